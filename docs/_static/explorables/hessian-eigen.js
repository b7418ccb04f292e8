/* Contours of f = ½(λ₁x² + λ₂y²), whose Hessian is diag(λ₁, λ₂): bowl, saddle or dome, and
 * the verdict by slopebook's rule (a sign within n·eps·max|λ| of zero cannot be trusted). */
SB_EXPLORE.register("hessian-eigen", (kit) => {
  const EPS = 2 ** -52;
  const l1 = kit.slider({ name: "l1", label: "Eigenvalue λ₁", min: -2, max: 2, step: 0.1, value: 1, show: (v) => kit.fmt(v, 3) });
  const l2 = kit.slider({ name: "l2", label: "Eigenvalue λ₂", min: -2, max: 2, step: 0.1, value: 2, show: (v) => kit.fmt(v, 3) });
  const P = kit.plot({ w: 340, h: 340, x: [-2, 2], y: [-2, 2], margin: { l: 24, r: 6, t: 6, b: 20 }, label: "Contours of ½(λ₁x² + λ₂y²): solid where f > 0, dashed where f < 0." });
  P.axes([-2, -1, 1, 2], [-2, -1, 1, 2], ["x", "y"]);
  const out = {
    verdict: kit.readout("verdict", "critical point at 0"),
    det: kit.readout("det", "det H = λ₁λ₂"),
    trace: kit.readout("trace", "trace H = λ₁ + λ₂"),
    shape: kit.readout("shape", "shape"),
  };
  const SHAPE = { minimum: "a bowl", maximum: "a dome", saddle: "a saddle", indeterminate: "flat in some direction: the Hessian cannot decide" };
  kit.onChange(() => {
    const a = l1.get(), b = l2.get();
    const err = 2 * EPS * Math.max(Math.abs(a), Math.abs(b));
    const verdict = Math.abs(a) <= err || Math.abs(b) <= err ? "indeterminate"
      : a > 0 && b > 0 ? "minimum" : a < 0 && b < 0 ? "maximum" : "saddle";
    P.clear();
    const q = (x, y) => 0.5 * (a * x * x + b * y * y);
    P.contours(q, [0.1, 0.4, 0.9, 1.6, 2.5], 60, "xp-line-a", P.live);
    P.contours(q, [-0.1, -0.4, -0.9, -1.6, -2.5], 60, "xp-curve2", P.live);
    P.dot(0, 0, "xp-dot", 4);
    out.verdict.set(verdict);
    out.det.set(a * b);
    out.trace.set(a + b);
    out.shape.set(SHAPE[verdict]);
  });
});
