/* slopebook explorables: the shared kit (plain JS + SVG, no library, works from file://).
 *
 * Each explorable script calls SB_EXPLORE.register(name, setup). When the page is parsed,
 * every <div class="explorable" data-explorable="name"> gets its controls and plot from
 * setup(kit), and the static figure inside it (the no-JavaScript fallback) is hidden on
 * screen; print still shows the figure. Every readout is an <output> whose data-value holds
 * the full float64 value (String(x), the shortest text that reads back as the same double),
 * while its text is rounded for reading.
 */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const setups = {};
  let counter = 0;

  function el(tag, attrs, parent) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function svgEl(tag, attrs, parent) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  /** A number for reading: `digits` significant figures, a true minus sign, no "-0". */
  function fmt(x, digits) {
    if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "∞" : "−∞";
    if (x === 0) return "0";
    const a = Math.abs(x);
    const text = a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(digits || 4)))
      : x.toExponential((digits || 4) - 1).replace("e", "×10^");
    return text.replace(/^-/, "−").replace(/\^\+?(-?)(\d+)$/, (m, s, d) => sup(s + d));
  }
  function sup(s) {
    const map = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
    return [...s].map((c) => map[c]).join("");
  }

  function makeKit(root) {
    const id = `xp${++counter}`;
    const app = root.querySelector(".explorable-app");
    const controls = el("div", { class: "explorable-controls" }, app);
    const figure = el("div", { class: "explorable-figure" }, app);
    const readouts = el("div", { class: "explorable-readouts" }, app);
    const listeners = [];
    const changed = () => listeners.forEach((fn) => fn());

    const kit = {
      root, app, fmt, svgEl, el,
      onChange(fn) { listeners.push(fn); },
      update: changed,
      /** A range slider with a label and its value shown beside it. */
      slider({ name, label, min, max, step, value, show }) {
        const row = el("div", { class: "explorable-control" }, controls);
        const inputId = `${id}-${name}`;
        el("label", { for: inputId, text: label }, row);
        const input = el("input", {
          type: "range", id: inputId, name, min, max, step, value, "data-control": name,
        }, row);
        const out = el("output", { for: inputId, class: "explorable-value", "aria-hidden": "true" }, row);
        const get = () => parseFloat(input.value);
        const showValue = () => {
          const v = get();
          const text = show ? show(v) : fmt(v, 6);
          out.textContent = text;
          input.setAttribute("aria-valuetext", text);
        };
        input.addEventListener("input", () => { showValue(); changed(); });
        showValue();
        return { input, get, set(v) { input.value = v; showValue(); changed(); } };
      },
      /** A group of toggle buttons, one of them pressed; returns {get()}. */
      choice({ name, label, options, value }) {
        const row = el("div", { class: "explorable-control explorable-choice", role: "group", "aria-label": label }, controls);
        el("span", { class: "explorable-choice-label", text: label, "aria-hidden": "true" }, row);
        let current = value;
        const buttons = options.map(([key, text]) => {
          const b = el("button", { type: "button", "data-control": name, "data-choice": key, text }, row);
          b.addEventListener("click", () => { current = key; sync(); changed(); });
          return b;
        });
        const sync = () => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.choice === current)));
        sync();
        return { get: () => current };
      },
      /** A push button in the controls row. */
      button(text, onClick, row) {
        const b = el("button", { type: "button", text }, row || controls);
        b.addEventListener("click", onClick);
        return b;
      },
      row(cls) { return el("div", { class: `explorable-control ${cls || ""}` }, controls); },
      /** A live number: <output name=…>; set(value, text) shows text and keeps value whole. */
      readout(name, label, wide) {
        const row = el("div", { class: wide ? "explorable-readout explorable-readout-wide" : "explorable-readout" }, readouts);
        const outId = `${id}-out-${name}`;
        el("span", { class: "explorable-readout-label", id: `${outId}-label`, text: label }, row);
        const out = el("output", { name, id: outId, "aria-labelledby": `${outId}-label` }, row);
        return {
          out,
          set(value, text) {
            out.dataset.value = typeof value === "number" ? String(value) : value;
            out.textContent = text !== undefined ? text : typeof value === "number" ? fmt(value, 6) : value;
          },
        };
      },
      /** A plot: an SVG with data coordinates [x0, x1] × [y0, y1] drawn into w × h pixels. */
      plot({ w, h, x, y, label, margin }) {
        const m = margin || { l: 34, r: 8, t: 8, b: 22 };
        const svg = svgEl("svg", {
          viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": label, class: "explorable-svg",
        }, figure);
        const sx = (v) => m.l + ((v - x[0]) / (x[1] - x[0])) * (w - m.l - m.r);
        const sy = (v) => h - m.b - ((v - y[0]) / (y[1] - y[0])) * (h - m.t - m.b);
        const clipId = `${id}-clip${figure.children.length}`;
        const defs = svgEl("defs", {}, svg);
        const clip = svgEl("clipPath", { id: clipId }, defs);
        svgEl("rect", { x: m.l, y: m.t, width: w - m.l - m.r, height: h - m.t - m.b }, clip);
        const marker = svgEl("marker", {
          id: `${clipId}-arrow`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
          markerHeight: 7, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse",
        }, defs);
        svgEl("path", { d: "M0,0 L10,5 L0,10 z", class: "xp-arrowhead" }, marker);
        const axes = svgEl("g", { class: "xp-axes" }, svg);
        const stat = svgEl("g", { "clip-path": `url(#${clipId})` }, svg);
        const live = svgEl("g", { "clip-path": `url(#${clipId})` }, svg);
        const labels = svgEl("g", {}, svg);
        const clamp = (v) => Math.max(-1e4, Math.min(1e4, v));
        const P = {
          svg, sx, sy, stat, live, labels,
          clear() { live.replaceChildren(); labels.replaceChildren(); },
          poly(pts, cls, g) {
            const d = pts.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))
              .map((p, i) => `${i ? "L" : "M"}${clamp(sx(p[0])).toFixed(1)},${clamp(sy(p[1])).toFixed(1)}`).join("");
            return svgEl("path", { d, class: cls }, g || live);
          },
          curve(f, n, cls, g) {
            const pts = [];
            for (let i = 0; i <= n; i++) { const t = x[0] + ((x[1] - x[0]) * i) / n; pts.push([t, f(t)]); }
            return P.poly(pts, cls, g);
          },
          dot(px, py, cls, r, g) {
            return svgEl("circle", { cx: clamp(sx(px)), cy: clamp(sy(py)), r: r || 4, class: cls }, g || live);
          },
          seg(x1, y1, x2, y2, cls, g) {
            return svgEl("line", { x1: clamp(sx(x1)), y1: clamp(sy(y1)), x2: clamp(sx(x2)), y2: clamp(sy(y2)), class: cls }, g || live);
          },
          arrow(x1, y1, x2, y2, cls, g) {
            const a = P.seg(x1, y1, x2, y2, `${cls} xp-arrow`, g);
            a.setAttribute("marker-end", `url(#${clipId}-arrow)`);
            return a;
          },
          text(px, py, str, cls, anchor) {
            return svgEl("text", { x: sx(px), y: sy(py), class: cls || "xp-label", "text-anchor": anchor || "start", text: str }, labels);
          },
          /** Axis lines through 0 (or the edge) and a few tick labels. */
          axes(xticks, yticks, names) {
            const x0 = Math.min(Math.max(0, y[0]), y[1]);
            const y0 = Math.min(Math.max(0, x[0]), x[1]);
            svgEl("line", { x1: sx(x[0]), x2: sx(x[1]), y1: sy(x0), y2: sy(x0), class: "xp-axis" }, axes);
            svgEl("line", { x1: sx(y0), x2: sx(y0), y1: sy(y[0]), y2: sy(y[1]), class: "xp-axis" }, axes);
            for (const t of xticks || []) {
              svgEl("text", { x: sx(t), y: h - m.b + 14, class: "xp-tick", "text-anchor": "middle", text: fmt(t, 3) }, axes);
            }
            for (const t of yticks || []) {
              svgEl("text", { x: m.l - 4, y: sy(t) + 4, class: "xp-tick", "text-anchor": "end", text: fmt(t, 3) }, axes);
            }
            if (names && names[0]) svgEl("text", { x: w - m.r, y: h - m.b - 4, class: "xp-tick", "text-anchor": "end", text: names[0] }, axes);
            if (names && names[1]) svgEl("text", { x: m.l + 4, y: m.t + 10, class: "xp-tick", text: names[1] }, axes);
          },
          /** Level sets of f by marching squares on an n × n grid, as one path per level. */
          contours(f, levels, n, cls, g) {
            const xs = [], ys = [], F = [];
            for (let i = 0; i <= n; i++) { xs.push(x[0] + ((x[1] - x[0]) * i) / n); ys.push(y[0] + ((y[1] - y[0]) * i) / n); }
            for (let j = 0; j <= n; j++) { F.push(xs.map((xv) => f(xv, ys[j]))); }
            for (const c of levels) {
              let d = "";
              const lerp = (a, b, fa, fb) => a + ((c - fa) / (fb - fa)) * (b - a);
              for (let j = 0; j < n; j++) {
                for (let i = 0; i < n; i++) {
                  const v = [F[j][i], F[j][i + 1], F[j + 1][i + 1], F[j + 1][i]];
                  const pts = [];
                  const corner = [[xs[i], ys[j]], [xs[i + 1], ys[j]], [xs[i + 1], ys[j + 1]], [xs[i], ys[j + 1]]];
                  for (let e = 0; e < 4; e++) {
                    const a = v[e], b = v[(e + 1) % 4];
                    if ((a < c) !== (b < c)) {
                      const p = corner[e], q = corner[(e + 1) % 4];
                      pts.push([lerp(p[0], q[0], a, b), lerp(p[1], q[1], a, b)]);
                    }
                  }
                  for (let k = 0; k + 1 < pts.length; k += 2) {
                    d += `M${sx(pts[k][0]).toFixed(1)},${sy(pts[k][1]).toFixed(1)}L${sx(pts[k + 1][0]).toFixed(1)},${sy(pts[k + 1][1]).toFixed(1)}`;
                  }
                }
              }
              svgEl("path", { d, class: cls }, g || stat);
            }
          },
        };
        return P;
      },
    };
    return kit;
  }

  function start(root) {
    const setup = setups[root.dataset.explorable];
    if (!setup || root.classList.contains("explorable-live")) return;
    const kit = makeKit(root);
    setup(kit);
    root.classList.add("explorable-live");
    kit.update();
  }

  window.SB_EXPLORE = {
    fmt,
    register(name, setup) {
      setups[name] = setup;
      document.querySelectorAll(`.explorable[data-explorable="${name}"]`).forEach(start);
    },
  };
})();
