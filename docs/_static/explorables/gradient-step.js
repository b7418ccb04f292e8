/* The bowl f = x² + y²: a point on its contours, the gradient arrow (uphill), and one step of
 * gradient descent w − lr·∇f. On this bowl a step multiplies the point by 1 − 2·lr. */
SB_EXPLORE.register("gradient-step", (kit) => {
  const x = kit.slider({ name: "x", label: "Point x", min: -4, max: 4, step: 0.1, value: 3, show: (v) => kit.fmt(v, 3) });
  const y = kit.slider({ name: "y", label: "Point y", min: -4, max: 4, step: 0.1, value: 4, show: (v) => kit.fmt(v, 3) });
  const lr = kit.slider({ name: "lr", label: "Learning rate", min: 0.05, max: 1.1, step: 0.05, value: 0.1, show: (v) => v.toFixed(2) });
  const P = kit.plot({ w: 360, h: 360, x: [-6, 6], y: [-6, 6], margin: { l: 26, r: 6, t: 6, b: 20 }, label: "Contours of x² + y², the point, its gradient arrow (scaled by one quarter) and the point after one descent step." });
  P.axes([-6, -3, 0, 3, 6], [-6, -3, 3, 6], ["x", "y"]);
  P.contours((a, b) => a * a + b * b, [1, 4, 9, 16, 25, 36], 48, "xp-grid");
  const out = {
    gx: kit.readout("gx", "∂f/∂x = 2x"),
    gy: kit.readout("gy", "∂f/∂y = 2y"),
    norm: kit.readout("norm", "|∇f|"),
    x_new: kit.readout("x_new", "x after the step"),
    y_new: kit.readout("y_new", "y after the step"),
    f_old: kit.readout("f_old", "f before"),
    f_new: kit.readout("f_new", "f after"),
  };
  kit.onChange(() => {
    const xv = x.get(), yv = y.get(), r = lr.get();
    const gx = 2 * xv, gy = 2 * yv;
    const xn = xv - r * gx, yn = yv - r * gy;
    P.clear();
    P.arrow(xv, yv, xv + gx / 4, yv + gy / 4, "xp-line-b");
    P.arrow(xv, yv, xn, yn, "xp-line-c");
    P.dot(xv, yv, "xp-dot xp-dot-a", 5);
    P.dot(xn, yn, "xp-dot xp-dot-c", 5);
    P.text(-5.6, -5.5, "orange: ∇f / 4, uphill; green: the step");
    out.gx.set(gx);
    out.gy.set(gy);
    out.norm.set(Math.sqrt(gx * gx + gy * gy));
    out.x_new.set(xn);
    out.y_new.set(yn);
    out.f_old.set(xv * xv + yv * yv);
    out.f_new.set(xn * xn + yn * yn);
  });
});
