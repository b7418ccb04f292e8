/* Step through the forward and the reverse sweep of f(x, y) = x·y + sin x on its graph:
 * the forward sweep fills in values left to right, the reverse sweep fills in adjoints
 * (∂f/∂node) right to left, each from the adjoint of the node after it. */
SB_EXPLORE.register("backprop-sweep", (kit) => {
  const STEPS = [
    "Start: the inputs x and y are set.",
    "Forward 1: a = x · y.",
    "Forward 2: b = sin x.",
    "Forward 3: f = a + b. The forward sweep is done.",
    "Reverse 1: f̄ = ∂f/∂f = 1.",
    "Reverse 2: ā = f̄ · ∂f/∂a = f̄ and b̄ = f̄ · ∂f/∂b = f̄.",
    "Reverse 3: ȳ = ā · ∂a/∂y = ā · x, and x gets ā · ∂a/∂x = ā · y.",
    "Reverse 4: x̄ = ā · y + b̄ · cos x: x feeds two nodes, so its adjoint sums two paths. Done.",
  ];
  const x = kit.slider({ name: "x", label: "Input x", min: -2, max: 2, step: 0.1, value: 1, show: (v) => kit.fmt(v, 3) });
  const y = kit.slider({ name: "y", label: "Input y", min: -2, max: 2, step: 0.1, value: 2, show: (v) => kit.fmt(v, 3) });
  const step = kit.slider({ name: "step", label: "Sweep step", min: 0, max: STEPS.length - 1, step: 1, value: 0, show: (v) => `${v} of ${STEPS.length - 1}` });
  const row = kit.row("explorable-buttons");
  const prev = kit.button("Previous step", () => { if (step.get() > 0) step.set(step.get() - 1); }, row);
  const next = kit.button("Next step", () => { if (step.get() < STEPS.length - 1) step.set(step.get() + 1); }, row);
  const P = kit.plot({ w: 440, h: 210, x: [0, 10], y: [0, 5], margin: { l: 4, r: 4, t: 4, b: 4 }, label: "The computational graph: x and y feed a = x·y; x feeds b = sin x; a and b feed f = a + b. Each node shows its value and, in the reverse sweep, its adjoint." });
  const NODES = { x: [1.2, 3.6], y: [1.2, 1.2], a: [5, 1.8], b: [5, 3.9], f: [8.8, 2.85] };
  const EDGES = [["x", "a"], ["y", "a"], ["x", "b"], ["a", "f"], ["b", "f"]];
  for (const [p, q] of EDGES) P.seg(NODES[p][0] + 0.9, NODES[p][1], NODES[q][0] - 0.9, NODES[q][1], "xp-thin", P.stat);
  const out = {
    step: kit.readout("stepText", "This step:", true),
    a: kit.readout("a", "a = x·y"),
    b: kit.readout("b", "b = sin x"),
    f: kit.readout("f", "f = a + b"),
    x_bar: kit.readout("x_bar", "x̄ = ∂f/∂x"),
    y_bar: kit.readout("y_bar", "ȳ = ∂f/∂y"),
  };
  out.step.out.setAttribute("aria-live", "polite");
  kit.onChange(() => {
    const s = step.get(), xv = x.get(), yv = y.get();
    const v = { x: xv, y: yv };
    const bar = {};
    if (s >= 1) v.a = xv * yv;
    if (s >= 2) v.b = Math.sin(xv);
    if (s >= 3) v.f = v.a + v.b;
    if (s >= 4) bar.f = 1;
    if (s >= 5) { bar.a = bar.f; bar.b = bar.f; }
    if (s >= 6) { bar.y = bar.a * xv; bar.x = bar.a * yv; }
    if (s >= 7) bar.x = bar.a * yv + bar.b * Math.cos(xv);
    const active = [[], ["a"], ["b"], ["f"], ["f"], ["a", "b"], ["x", "y"], ["x"]][s];
    P.clear();
    for (const [name, [cx, cy]] of Object.entries(NODES)) {
      kit.svgEl("rect", { x: P.sx(cx - 0.9), y: P.sy(cy + 0.7), width: P.sx(1.8) - P.sx(0), height: P.sy(0) - P.sy(1.4), rx: 6, class: active.includes(name) ? "xp-node xp-node-active" : "xp-node" }, P.live);
      P.text(cx, cy + 0.25, v[name] === undefined ? `${name} = ?` : `${name} = ${kit.fmt(v[name], 4)}`, "xp-label", "middle");
      P.text(cx, cy - 0.35, bar[name] === undefined ? " " : `${name}̄ = ${kit.fmt(bar[name], 4)}`, "xp-label", "middle");
    }
    prev.disabled = s === 0;
    next.disabled = s === STEPS.length - 1;
    out.step.set(STEPS[s]);
    for (const k of ["a", "b", "f"]) out[k].set(v[k] === undefined ? "" : v[k], v[k] === undefined ? "not yet" : undefined);
    out.x_bar.set(s >= 7 ? bar.x : "", s >= 7 ? undefined : "not yet");
    out.y_bar.set(bar.y === undefined ? "" : bar.y, bar.y === undefined ? "not yet" : undefined);
  });
});
