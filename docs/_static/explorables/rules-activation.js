/* An activation and its derivative with a point to drag: where the derivative is near zero
 * the unit saturates and passes almost no gradient back. The formulas are slopebook's. */
SB_EXPLORE.register("rules-activation", (kit) => {
  const sigmoid = (x) => { const e = Math.exp(-Math.abs(x)); return x >= 0 ? 1 / (1 + e) : e / (1 + e); };
  const dsigmoid = (x) => { const e = Math.exp(-Math.abs(x)); return e / ((1 + e) * (1 + e)); };
  const dtanh = (x) => { const e = Math.exp(-2 * Math.abs(x)); return 4 * e / ((1 + e) * (1 + e)); };
  const FN = {
    sigmoid: [sigmoid, dsigmoid, "σ(x)", "σ′(x)"],
    tanh: [Math.tanh, dtanh, "tanh x", "1 − tanh² x"],
    relu: [(x) => (x > 0 ? x : 0), (x) => (x > 0 ? 1 : 0), "ReLU(x)", "ReLU′(x)"],
  };
  const PEAK = { sigmoid: 0.25, tanh: 1, relu: 1 };  // the largest value of each derivative
  const which = kit.choice({ name: "activation", label: "Activation", value: "sigmoid", options: [["sigmoid", "sigmoid"], ["tanh", "tanh"], ["relu", "ReLU"]] });
  const x = kit.slider({ name: "x", label: "Input x", min: -6, max: 6, step: 0.1, value: 1, show: (v) => kit.fmt(v, 3) });
  const P = kit.plot({ w: 520, h: 280, x: [-6, 6], y: [-1.2, 1.6], label: "The chosen activation (solid) and its derivative (dashed) with the point at x on both." });
  P.axes([-6, -4, -2, 0, 2, 4, 6], [-1, 0, 1], ["x", ""]);
  const out = {
    value: kit.readout("value", "activation a(x)"),
    slope: kit.readout("slope", "derivative a′(x)"),
    state: kit.readout("state", "a′(x) against its peak"),
  };
  kit.onChange(() => {
    const [f, df, nf, ndf] = FN[which.get()];
    const xv = x.get();
    P.clear();
    P.curve(f, 240, "xp-curve");
    P.curve(df, 240, "xp-curve2");
    P.text(-5.8, 1.4, `solid: ${nf}   dashed: ${ndf}`);
    P.dot(xv, f(xv), "xp-dot xp-dot-a", 5);
    P.dot(xv, df(xv), "xp-dot xp-dot-b", 5);
    const s = df(xv);
    out.value.set(f(xv));
    out.slope.set(s);
    const share = s / PEAK[which.get()];
    out.state.set(share, s === 0 ? "0: no gradient passes" : share < 0.05 ? `${kit.fmt(100 * share, 2)} %: saturated` : `${kit.fmt(100 * share, 3)} %`);
  });
});
