/* One knob at a time on f(x, y) = x²y + 3y: each slice through the point is a curve whose
 * slope is a partial derivative. */
SB_EXPLORE.register("partial-knobs", (kit) => {
  const f = (x, y) => x * x * y + 3 * y;
  const x = kit.slider({ name: "x", label: "Knob x", min: -3, max: 3, step: 0.1, value: 2, show: (v) => kit.fmt(v, 3) });
  const y = kit.slider({ name: "y", label: "Knob y", min: -3, max: 3, step: 0.1, value: 1, show: (v) => kit.fmt(v, 3) });
  const PX = kit.plot({ w: 300, h: 240, x: [-3, 3], y: [-40, 40], margin: { l: 30, r: 6, t: 8, b: 22 }, label: "Slice with y held fixed: f against x, with the tangent whose slope is the partial derivative in x." });
  PX.axes([-3, 0, 3], [-40, 0, 40], ["x", "f(x, y fixed)"]);
  const PY = kit.plot({ w: 300, h: 240, x: [-3, 3], y: [-40, 40], margin: { l: 30, r: 6, t: 8, b: 22 }, label: "Slice with x held fixed: f against y, a straight line whose slope is the partial derivative in y." });
  PY.axes([-3, 0, 3], [-40, 0, 40], ["y", "f(x fixed, y)"]);
  const out = {
    f: kit.readout("f", "f(x, y) = x²y + 3y"),
    dfdx: kit.readout("dfdx", "∂f/∂x = 2xy"),
    dfdy: kit.readout("dfdy", "∂f/∂y = x² + 3"),
  };
  kit.onChange(() => {
    const xv = x.get(), yv = y.get();
    const fv = f(xv, yv), dfdx = 2 * xv * yv, dfdy = xv * xv + 3;
    PX.clear(); PY.clear();
    PX.curve((t) => f(t, yv), 120, "xp-curve");
    PX.seg(xv - 3, fv - 3 * dfdx, xv + 3, fv + 3 * dfdx, "xp-curve2");
    PX.dot(xv, fv, "xp-dot xp-dot-b", 5);
    PY.curve((t) => f(xv, t), 2, "xp-curve");
    PY.dot(yv, fv, "xp-dot xp-dot-b", 5);
    out.f.set(fv);
    out.dfdx.set(dfdx);
    out.dfdy.set(dfdy);
  });
});
