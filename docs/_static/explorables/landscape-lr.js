/* Gradient descent on the toy loss L(x) = 0.3 sin 3x + x²/2 from x = 2.5, 40 steps,
 * with a learning-rate slider: creeping, settling, zigzagging, bouncing, running away. */
SB_EXPLORE.register("landscape-lr", (kit) => {
  const L = (x) => 0.3 * Math.sin(3 * x) + 0.5 * (x * x);
  const dL = (x) => 0.9 * Math.cos(3 * x) + x;
  const d2L = (x) => 1 - 2.7 * Math.sin(3 * x);
  const X0 = 2.5, STEPS = 40;
  let xStar = -0.4;
  for (let i = 0; i < 8; i++) xStar = xStar - (0.9 * Math.cos(3 * xStar) + xStar) / (1 - 2.7 * Math.sin(3 * xStar));
  const curvature = d2L(xStar);
  const limit = 2 / curvature;

  const lr = kit.slider({ name: "lr", label: "Learning rate", min: 0.01, max: 2.5, step: 0.01, value: 0.3, show: (v) => v.toFixed(2) });
  const n = kit.slider({ name: "n", label: "Steps shown", min: 0, max: STEPS, step: 1, value: STEPS, show: String });
  const P = kit.plot({ w: 520, h: 300, x: [-3, 3.2], y: [-0.5, 4.5], label: "The toy loss curve with the points gradient descent visits; the last point shown is larger." });
  P.axes([-3, -2, -1, 0, 1, 2, 3], [0, 1, 2, 3, 4], ["x", "L(x)"]);
  P.curve(L, 240, "xp-curve", P.stat);
  P.seg(xStar, -0.5, xStar, 4.5, "xp-thin", P.stat);
  const out = {
    x_n: kit.readout("x_n", "x after n steps"),
    loss: kit.readout("loss", "loss L(x)"),
    verdict: kit.readout("verdict", "the 40-step run"),
    factor: kit.readout("factor", "|1 − lr·L″(x*)|"),
    limit: kit.readout("limit", "limit 2 / L″(x*)"),
    x_star: kit.readout("x_star", "minimum x*"),
    curvature: kit.readout("curvature", "curvature L″(x*)"),
  };

  function verdict(path) {
    const [a, b, c] = path.slice(-3);
    const step = c - b, before = b - a;
    if (Math.abs(c) > 10 * Math.abs(path[0])) return "runs away";
    if (Math.abs(step) <= 1e-9 * (1 + Math.abs(c))) return "settles";
    if (step * before > 0) return "still creeping downhill";
    if (Math.abs(step) < 0.9 * Math.abs(before)) return "zigzags in";
    return "bounces, never settles";
  }

  kit.onChange(() => {
    const rate = lr.get(), shown = n.get();
    const path = [X0];
    let x = X0;
    for (let k = 0; k < STEPS; k++) { x = x - rate * dL(x); path.push(x); }
    P.clear();
    const pts = path.slice(0, shown + 1);
    const zig = [];
    for (const p of pts) zig.push([p, L(p)]);
    P.poly(zig, "xp-line-b");
    pts.forEach((p, i) => P.dot(p, L(p), i === shown ? "xp-dot xp-dot-b" : "xp-dot", i === shown ? 6 : 3));
    P.text(xStar + 0.08, 4.2, "x*", "xp-label");
    const xn = path[shown];
    out.x_n.set(xn);
    out.loss.set(L(xn));
    out.verdict.set(verdict(path));
    out.factor.set(Math.abs(1 - rate * curvature), `${kit.fmt(Math.abs(1 - rate * curvature), 4)} (${Math.abs(1 - rate * curvature) < 1 ? "< 1: stable near x*" : "≥ 1: unstable near x*"})`);
    out.limit.set(limit, kit.fmt(limit, 4));
    out.x_star.set(xStar);
    out.curvature.set(curvature, kit.fmt(curvature, 5));
  });
});
