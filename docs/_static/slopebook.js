/*
 * slopebook: a display formula wider than the text scrolls sideways in its own box. A box
 * that scrolls must be reachable by keyboard, so it joins the tab order while (and only
 * while) it overflows, as the theme already does for code blocks and outputs.
 */
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".bd-content div.math").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Formula, scrolls sideways");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  // KaTeX's fonts arrive after the first layout and change each formula's width.
  window.addEventListener("load", update);
  if (document.fonts) {
    document.fonts.ready.then(update);
  }
})();
