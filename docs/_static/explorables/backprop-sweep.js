/* Step through the forward and the reverse sweep of f(x, y) = x²y + 3y, the chapter's graph
 * (v1 = x², v2 = v1·y, v3 = 3y, f = v2 + v3): the forward sweep fills in values from the
 * inputs to f, the reverse sweep fills in adjoints (∂f/∂node) from f back to the inputs, in
 * the order of the chapter's reverse trace. The arithmetic is slopebook.backprop.Var's:
 * each adjoint is the sum over the node's uses of (user's adjoint) × (local partial). */
SB_EXPLORE.register("backprop-sweep", (kit) => {
  const bar = (name) => `${name[0]}\u0304${name.slice(1)}`;
  const FORWARD = ["v1", "v2", "v3", "f"];
  const REVERSE = ["f", "v3", "v2", "y", "v1", "x"];
  const LAST = FORWARD.length + REVERSE.length;
  const x = kit.slider({ name: "x", label: "Input x", min: -3, max: 3, step: 0.1, value: 2, show: (v) => kit.fmt(v, 3) });
  const y = kit.slider({ name: "y", label: "Input y", min: -5, max: 5, step: 0.1, value: 5, show: (v) => kit.fmt(v, 3) });
  const step = kit.slider({ name: "step", label: "Sweep step", min: 0, max: LAST, step: 1, value: 0, show: (v) => `${v} of ${LAST}` });
  const row = kit.row("explorable-buttons");
  const prev = kit.button("Previous step", () => { if (step.get() > 0) step.set(step.get() - 1); }, row);
  const next = kit.button("Next step", () => { if (step.get() < LAST) step.set(step.get() + 1); }, row);
  const P = kit.plot({ w: 480, h: 250, x: [0, 480], y: [0, 250], margin: { l: 0, r: 0, t: 0, b: 0 }, label: "The computational graph of f = x²y + 3y: x feeds v1 = x²; v1 and y feed v2 = v1·y; y also feeds v3 = 3y; v2 and v3 feed f = v2 + v3. Each node shows its value once the forward sweep reaches it and its adjoint once the reverse sweep does." });
  // The layout of slopebook.backprop.draw_graph: each node one column before its first use.
  const NODES = {
    x: [49, 125, "x (input)"], v1: [176, 188, "v1 = x²"], y: [176, 62, "y (input)"],
    v2: [303, 188, "v2 = v1·y"], v3: [303, 62, "v3 = 3y"], f: [430, 125, "f = v2 + v3"],
  };
  const EDGES = [["x", "v1"], ["v1", "v2"], ["y", "v2"], ["y", "v3"], ["v2", "f"], ["v3", "f"]];
  const BW = 94, BH = 66;
  // An edge runs between the centres of its boxes, from where it leaves one box to 2 units
  // before it meets the other (the arrowhead's tip).
  const edgeEnds = (p, q) => {
    const [x0, y0] = NODES[p], [x1, y1] = NODES[q];
    const dx = x1 - x0, dy = y1 - y0;
    const t = Math.min(BW / 2 / Math.abs(dx), dy ? BH / 2 / Math.abs(dy) : Infinity);
    const gap = 2 / Math.hypot(dx, dy);
    return [x0 + t * dx, y0 + t * dy, x1 - (t + gap) * dx, y1 - (t + gap) * dy];
  };
  const labels = {
    v1: "v1 = x²", v2: "v2 = v1·y", v3: "v3 = 3y", f: "f = v2 + v3",
    f_bar: "f̄ = ∂f/∂f", v3_bar: "v̄3 = ∂f/∂v3", v2_bar: "v̄2 = ∂f/∂v2", y_bar: "ȳ = ∂f/∂y",
    v1_bar: "v̄1 = ∂f/∂v1", x_bar: "x̄ = ∂f/∂x",
  };
  const out = { step: kit.readout("stepText", "This step:", true) };
  out.step.out.setAttribute("aria-live", "polite");
  for (const [name, label] of Object.entries(labels)) out[name] = kit.readout(name, label);
  kit.onChange(() => {
    const s = step.get(), xv = x.get(), yv = y.get();
    const n = (v) => (v < 0 ? `(${kit.fmt(v, 4)})` : kit.fmt(v, 4));
    // The forward sweep, then the reverse sweep: Var.backward's float64 operations.
    const val = { x: xv, y: yv };
    val.v1 = xv * xv;
    val.v2 = val.v1 * yv;
    val.v3 = 3 * yv;
    val.f = val.v2 + val.v3;
    const adj = { f: 1 };
    adj.v3 = adj.f * 1;
    adj.v2 = adj.f * 1;
    adj.y = adj.v2 * val.v1 + adj.v3 * 3; // y feeds v2 and v3: two paths
    adj.v1 = adj.v2 * yv;
    adj.x = adj.v1 * (2 * xv);
    const known = new Set(FORWARD.slice(0, s));
    const knownBar = new Set(REVERSE.slice(0, Math.max(0, s - FORWARD.length)));
    const texts = [
      `Start: the inputs are set, x = ${n(xv)} and y = ${n(yv)}. Next step runs the forward sweep.`,
      `Forward 1: v1 = x² = ${n(xv)}² = ${n(val.v1)}.`,
      `Forward 2: v2 = v1 · y = ${n(val.v1)} · ${n(yv)} = ${n(val.v2)}.`,
      `Forward 3: v3 = 3y = 3 · ${n(yv)} = ${n(val.v3)}.`,
      `Forward 4: f = v2 + v3 = ${n(val.v2)} + ${n(val.v3)} = ${n(val.f)}. The forward sweep is done; the reverse sweep starts at f.`,
      "Reverse 1: f̄ = ∂f/∂f = 1.",
      "Reverse 2: v̄3 = f̄ · ∂f/∂v3 = 1 · 1 = 1.",
      "Reverse 3: v̄2 = f̄ · ∂f/∂v2 = 1 · 1 = 1.",
      `Reverse 4: ȳ = v̄2 · ∂v2/∂y + v̄3 · ∂v3/∂y = 1 · ${n(val.v1)} + 1 · 3 = ${n(adj.y)}. y feeds both v2 and v3, so its adjoint sums the two paths.`,
      `Reverse 5: v̄1 = v̄2 · ∂v2/∂v1 = v̄2 · y = 1 · ${n(yv)} = ${n(adj.v1)}.`,
      `Reverse 6: x̄ = v̄1 · ∂v1/∂x = v̄1 · 2x = ${n(adj.v1)} · ${n(2 * xv)} = ${n(adj.x)}. Done: x̄ = ∂f/∂x and ȳ = ∂f/∂y.`,
    ];
    // What this step uses: the node it computes, and the edges its value or adjoint flows along.
    const current = s === 0 ? null : s <= FORWARD.length ? FORWARD[s - 1] : REVERSE[s - FORWARD.length - 1];
    const hot = (p, q) => current !== null && (s <= FORWARD.length ? q === current : p === current);
    P.clear();
    for (const [p, q] of EDGES) {
      const [x0, y0, x1, y1] = edgeEnds(p, q);
      P.arrow(x0, y0, x1, y1, hot(p, q) ? (s <= FORWARD.length ? "xp-line-a" : "xp-line-b") : "xp-thin");
    }
    for (const [name, [cx, cy, title]] of Object.entries(NODES)) {
      const input = name === "x" || name === "y";
      const cls = ["xp-node", input ? "xp-node-input" : "", name === current ? "xp-node-active" : ""].join(" ");
      kit.svgEl("rect", { x: P.sx(cx - BW / 2), y: P.sy(cy + BH / 2), width: BW, height: BH, rx: 6, class: cls.trim() }, P.live);
      P.text(cx, cy + 14, title, "xp-label", "middle");
      P.text(cx, cy - 5, input || known.has(name) ? `= ${kit.fmt(val[name], 4)}` : "= ?", "xp-label", "middle");
      P.text(cx, cy - 24, knownBar.has(name) ? `${bar(name)} = ${kit.fmt(adj[name], 4)}` : " ", "xp-label", "middle");
    }
    prev.disabled = s === 0;
    next.disabled = s === LAST;
    out.step.set(texts[s]);
    for (const name of FORWARD) out[name].set(known.has(name) ? val[name] : "", known.has(name) ? undefined : "not yet");
    for (const name of REVERSE) {
      const o = out[`${name}_bar`];
      o.set(knownBar.has(name) ? adj[name] : "", knownBar.has(name) ? undefined : "not yet");
    }
  });
});
