/* f(x, y) = (x²y, x + y³): a small circle around the point and its image. Near the point the
 * image is the ellipse J·circle, and the area scales by |det J|. */
SB_EXPLORE.register("jacobian-circle", (kit) => {
  const f = (x, y) => [x * x * y, x + y * y * y];
  const x = kit.slider({ name: "x", label: "Point x", min: -3, max: 3, step: 0.1, value: 1, show: (v) => kit.fmt(v, 3) });
  const y = kit.slider({ name: "y", label: "Point y", min: -3, max: 3, step: 0.1, value: 0.5, show: (v) => kit.fmt(v, 3) });
  const r = kit.slider({ name: "r", label: "Circle radius", min: 0.01, max: 0.5, step: 0.01, value: 0.1, show: (v) => v.toFixed(2) });
  const A = kit.plot({ w: 300, h: 300, x: [-3.5, 3.5], y: [-3.5, 3.5], margin: { l: 24, r: 6, t: 6, b: 20 }, label: "Input plane: the point and a circle around it." });
  A.axes([-3, -2, -1, 1, 2, 3], [-3, -2, -1, 1, 2, 3], ["x", "y"]);
  const B = kit.plot({ w: 300, h: 300, x: [-1, 1], y: [-1, 1], margin: { l: 24, r: 6, t: 6, b: 20 }, label: "Output plane, centred on f of the point: the true image of the circle (solid) and the Jacobian's ellipse (dashed)." });
  B.axes([], [], ["Δf₁", "Δf₂"]);
  const out = {
    j00: kit.readout("j00", "∂f₁/∂x = 2xy"),
    j01: kit.readout("j01", "∂f₁/∂y = x²"),
    j10: kit.readout("j10", "∂f₂/∂x = 1"),
    j11: kit.readout("j11", "∂f₂/∂y = 3y²"),
    det: kit.readout("det", "det J (area scale)"),
    lin_err: kit.readout("lin_err", "max |f(p+δ) − f(p) − Jδ|"),
  };
  kit.onChange(() => {
    const xv = x.get(), yv = y.get(), rv = r.get();
    const J = [[2 * xv * yv, xv * xv], [1, 3 * (yv * yv)]];
    const det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
    const [f0, f1] = f(xv, yv);
    const circle = [], image = [], ellipse = [];
    let reach = rv, linErr = 0;
    for (let i = 0; i <= 96; i++) {
      const t = (2 * Math.PI * i) / 96, c = rv * Math.cos(t), s = rv * Math.sin(t);
      circle.push([xv + c, yv + s]);
      const [g0, g1] = f(xv + c, yv + s);
      image.push([g0 - f0, g1 - f1]);
      ellipse.push([J[0][0] * c + J[0][1] * s, J[1][0] * c + J[1][1] * s]);
      reach = Math.max(reach, Math.abs(g0 - f0), Math.abs(g1 - f1));
      const e0 = g0 - f0 - (J[0][0] * c + J[0][1] * s), e1 = g1 - f1 - (J[1][0] * c + J[1][1] * s);
      linErr = Math.max(linErr, Math.sqrt(e0 * e0 + e1 * e1));
    }
    const zoom = 0.9 / reach;  // the output plot rescales so that the image fits
    A.clear(); B.clear();
    A.poly(circle, "xp-curve");
    A.dot(xv, yv, "xp-dot xp-dot-a", 4);
    B.poly(image.map(([u, v]) => [u * zoom, v * zoom]), "xp-curve");
    B.poly(ellipse.map(([u, v]) => [u * zoom, v * zoom]), "xp-curve2");
    B.dot(0, 0, "xp-dot", 3);
    B.text(0.95, 0.85, `drawn ×${kit.fmt(zoom, 3)}`, "xp-label", "end");
    out.j00.set(J[0][0]);
    out.j01.set(J[0][1]);
    out.j10.set(J[1][0]);
    out.j11.set(J[1][1]);
    out.det.set(det);
    out.lin_err.set(linErr, `${kit.fmt(linErr, 3)} (${kit.fmt(linErr / rv, 3)} × r)`);
  });
});
