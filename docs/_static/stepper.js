/*
 * slopebook overview stepper: plain JavaScript, no dependencies, no network.
 *
 * Progressive enhancement: the page holds every step as an ordered list, which is what a
 * reader without JavaScript sees. This script turns each `.sb-stepper` into a player that
 * shows one step at a time, with Previous / Play-Pause / Next buttons, one button per step,
 * and a status line announced to screen readers. Keyboard (when focus is inside the
 * player): Space plays or pauses, Left / Right step, Home / End jump to the ends. Space on
 * a focused button keeps its normal meaning (it presses that button).
 *
 * Following the WAI-ARIA carousel pattern, the status line is aria-live="polite" while the
 * reader steps by hand and "off" while it plays by itself, so a screen reader is not
 * interrupted every few seconds.
 */
(function () {
  "use strict";

  function el(tag, props, text) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      node.setAttribute(k, props[k]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function enhance(root) {
    var list = root.querySelector(".sb-stepper-steps");
    if (!list || root.classList.contains("sb-stepper--enhanced")) {
      return;
    }
    var steps = Array.prototype.slice.call(list.children);
    if (steps.length === 0) {
      return;
    }
    var titles = steps.map(function (s, i) {
      var h = s.querySelector(".sb-step-title");
      return h ? h.textContent.trim() : "Step " + (i + 1);
    });
    var interval = parseInt(root.getAttribute("data-interval"), 10) || 4000;
    var current = 0;
    var timer = null;

    root.classList.add("sb-stepper--enhanced");
    root.setAttribute("tabindex", "0");
    root.setAttribute("aria-roledescription", "stepper");

    var dots = el("div", { class: "sb-stepper-dots", role: "group", "aria-label": "Go to step" });
    var dotButtons = titles.map(function (title, i) {
      var b = el("button", {
        type: "button",
        class: "sb-stepper-dot",
        "aria-label": "Step " + (i + 1) + ": " + title,
        title: title,
      });
      b.appendChild(el("span", { class: "sb-stepper-dot-number", "aria-hidden": "true" }, String(i + 1)));
      b.appendChild(el("span", { class: "sb-stepper-dot-label", "aria-hidden": "true" }, title));
      b.addEventListener("click", function () {
        pause();
        show(i);
      });
      dots.appendChild(b);
      return b;
    });

    var controls = el("div", { class: "sb-stepper-controls", role: "group", "aria-label": "Player controls" });
    var prev = el("button", { type: "button", class: "sb-stepper-prev", "aria-label": "Previous step" }, "\u25C2 Previous");
    var play = el("button", { type: "button", class: "sb-stepper-play", "aria-label": "Play" }, "\u25B6 Play");
    var next = el("button", { type: "button", class: "sb-stepper-next", "aria-label": "Next step" }, "Next \u25B8");
    var counter = el("span", { class: "sb-stepper-counter", "aria-hidden": "true" });
    controls.appendChild(prev);
    controls.appendChild(play);
    controls.appendChild(next);
    controls.appendChild(counter);

    var status = el("p", { class: "sb-stepper-status", role: "status", "aria-live": "polite", "aria-atomic": "true" });

    root.insertBefore(dots, list);
    root.insertBefore(controls, list);
    root.insertBefore(status, list);

    function show(k) {
      current = Math.max(0, Math.min(steps.length - 1, k));
      steps.forEach(function (s, i) {
        s.hidden = i !== current;
      });
      dotButtons.forEach(function (b, i) {
        if (i === current) {
          b.setAttribute("aria-current", "step");
        } else {
          b.removeAttribute("aria-current");
        }
      });
      counter.textContent = "Step " + (current + 1) + " / " + steps.length;
      status.textContent = "Step " + (current + 1) + " of " + steps.length + ": " + titles[current];
      root.setAttribute("data-current", String(current + 1));
      prev.disabled = current === 0;
      next.disabled = current === steps.length - 1;
    }

    function playing() {
      return timer !== null;
    }

    function pause() {
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
      play.textContent = "\u25B6 Play";
      play.setAttribute("aria-label", "Play");
      status.setAttribute("aria-live", "polite");
      root.setAttribute("data-playing", "false");
    }

    function start() {
      if (current === steps.length - 1) {
        show(0);
      }
      play.textContent = "\u275A\u275A Pause";
      play.setAttribute("aria-label", "Pause");
      status.setAttribute("aria-live", "off");
      root.setAttribute("data-playing", "true");
      timer = window.setInterval(function () {
        if (current >= steps.length - 1) {
          pause();
          return;
        }
        show(current + 1);
        if (current === steps.length - 1) {
          pause();
        }
      }, interval);
    }

    function toggle() {
      if (playing()) {
        pause();
      } else {
        start();
      }
    }

    prev.addEventListener("click", function () {
      pause();
      show(current - 1);
    });
    next.addEventListener("click", function () {
      pause();
      show(current + 1);
    });
    play.addEventListener("click", toggle);

    root.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var onControl = event.target.closest && event.target.closest("button, a, input, select, textarea");
      switch (event.key) {
        case " ":
        case "Spacebar":
          if (onControl) {
            return; // Space presses the focused button or follows the link, as usual
          }
          event.preventDefault();
          toggle();
          break;
        case "ArrowRight":
          event.preventDefault();
          pause();
          show(current + 1);
          break;
        case "ArrowLeft":
          event.preventDefault();
          pause();
          show(current - 1);
          break;
        case "Home":
          event.preventDefault();
          pause();
          show(0);
          break;
        case "End":
          event.preventDefault();
          pause();
          show(steps.length - 1);
          break;
        default:
          break;
      }
    });

    pause();
    show(0);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".sb-stepper"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
