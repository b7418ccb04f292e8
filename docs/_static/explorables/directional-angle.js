/* D_u f = ∇f · u on the bowl x² + y² at (3, 4) as the unit vector u turns: largest, |∇f|,
 * along the gradient, zero along the contour, most negative straight downhill. */
SB_EXPLORE.register("directional-angle", (kit) => {
  const GX = 6, GY = 8, NORM = 10, PX0 = 3, PY0 = 4;
  const theta = kit.slider({ name: "theta", label: "Direction θ (degrees)", min: 0, max: 359, step: 1, value: 0, show: (v) => `${v}°` });
  const P = kit.plot({ w: 300, h: 300, x: [-0.5, 6.5], y: [0.5, 7.5], margin: { l: 24, r: 6, t: 6, b: 20 }, label: "Contours of x² + y² near (3, 4), the gradient arrow (6, 8) scaled down, and the unit direction u." });
  P.axes([0, 2, 4, 6], [2, 4, 6], ["x", "y"]);
  P.contours((a, b) => a * a + b * b, [9, 16, 25, 36, 49], 40, "xp-grid");
  P.arrow(PX0, PY0, PX0 + GX / 5, PY0 + GY / 5, "xp-line-b", P.stat);
  const Q = kit.plot({ w: 300, h: 300, x: [0, 360], y: [-11, 11], margin: { l: 28, r: 14, t: 6, b: 20 }, label: "D_u f against the angle θ: a sinusoid between −10 and 10." });
  Q.axes([0, 90, 180, 270, 360], [-10, -5, 5, 10], ["θ", "D_u f"]);
  const th = (deg) => (deg * Math.PI) / 180;
  Q.curve((deg) => GX * Math.cos(th(deg)) + GY * Math.sin(th(deg)), 180, "xp-curve", Q.stat);
  const out = {
    ux: kit.readout("ux", "u₁ = cos θ"),
    uy: kit.readout("uy", "u₂ = sin θ"),
    du: kit.readout("du", "D_u f = ∇f · u"),
    where: kit.readout("where", "compared with |∇f| = 10"),
  };
  kit.onChange(() => {
    const deg = theta.get();
    const t = deg * Math.PI / 180;
    const ux = Math.cos(t), uy = Math.sin(t);
    const du = GX * ux + GY * uy;
    P.clear(); Q.clear();
    P.arrow(PX0, PY0, PX0 + 2 * ux, PY0 + 2 * uy, "xp-line-c");
    P.dot(PX0, PY0, "xp-dot", 4);
    P.text(0, 7.1, "orange: ∇f / 5; green: 2u");
    Q.dot(deg, du, "xp-dot xp-dot-c", 5);
    out.ux.set(ux);
    out.uy.set(uy);
    out.du.set(du);
    const share = du / NORM;
    out.where.set(share > 0.999 ? "≈ largest: u points along ∇f" : share < -0.999 ? "≈ most negative: straight downhill"
      : Math.abs(share) < 0.02 ? "≈ 0: u runs along the contour" : `${kit.fmt(100 * share, 3)} % of the largest`);
  });
});
