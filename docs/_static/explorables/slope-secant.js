/* Secant to tangent on f(x) = x²: the slope through (a, f(a)) and (a + h, f(a + h)) as h
 * shrinks, against the tangent slope 2a. The step is rounded as slopebook rounds it:
 * h' = (a + h) − a, the step the computer really takes. */
SB_EXPLORE.register("slope-secant", (kit) => {
  const f = (x) => x * x;
  const a = kit.slider({ name: "a", label: "Point a", min: -3, max: 3, step: 0.25, value: 1, show: (v) => kit.fmt(v, 4) });
  const h = kit.slider({ name: "h", label: "Step h", min: 0.01, max: 2, step: 0.01, value: 1, show: (v) => v.toFixed(2) });
  const P = kit.plot({ w: 520, h: 300, x: [-3.5, 3.5], y: [-1, 10], label: "The parabola y = x² with the secant line through a and a + h and the tangent line at a." });
  P.axes([-3, -2, -1, 0, 1, 2, 3], [0, 2, 4, 6, 8], ["x", "x²"]);
  P.curve(f, 200, "xp-curve", P.stat);
  const out = {
    secant: kit.readout("secant", "secant slope"),
    tangent: kit.readout("tangent", "tangent slope 2a"),
    gap: kit.readout("gap", "secant − tangent"),
  };
  kit.onChange(() => {
    const av = a.get(), hv = h.get();
    const step = (av + hv) - av > 0 ? (av + hv) - av : hv;
    const secant = (f(av + step) - f(av)) / step;
    const tangent = 2 * av;
    P.clear();
    const line = (s, cls) => P.seg(-4, f(av) + s * (-4 - av), 4, f(av) + s * (4 - av), cls);
    line(tangent, "xp-curve2");
    line(secant, "xp-line-c");
    P.text(-3.3, 9.2, "green: secant; dashed: tangent");
    P.dot(av, f(av), "xp-dot xp-dot-a", 5);
    P.dot(av + step, f(av + step), "xp-dot xp-dot-c", 5);
    out.secant.set(secant);
    out.tangent.set(tangent);
    out.gap.set(secant - tangent);
  });
});
