/* The V-curve: the error of the forward and central differences of sin at x = 1 as the step
 * h = 2^−k shrinks, computed live in float64 (truncation falls, round-off rises). */
SB_EXPLORE.register("slope-roundoff", (kit) => {
  const X = 1, EXACT = Math.cos(X), KMAX = 45;
  const forward = (h) => (Math.sin(X + h) - Math.sin(X)) / h;
  const central = (h) => (Math.sin(X + h) - Math.sin(X - h)) / (2 * h);
  const k = kit.slider({ name: "k", label: "Step h = 2^−k, k", min: 1, max: KMAX, step: 1, value: 20, show: (v) => `${v} (h ≈ ${kit.fmt(2 ** -v, 3)})` });
  const P = kit.plot({ w: 520, h: 300, x: [-14, 0], y: [-17, 0], margin: { l: 40, r: 8, t: 8, b: 26 }, label: "Error of the forward (solid) and central (dashed) differences of sin at 1 against the step h, both on log scales." });
  P.axes([-14, -12, -10, -8, -6, -4, -2, 0], [-16, -12, -8, -4, 0], ["log₁₀ h", "log₁₀ error"]);
  const lg = (e) => Math.log10(Math.max(e, 1e-17));
  const fw = [], ce = [];
  for (let j = 1; j <= KMAX; j++) {
    const hj = 2 ** -j;
    fw.push([Math.log10(hj), lg(Math.abs(forward(hj) - EXACT))]);
    ce.push([Math.log10(hj), lg(Math.abs(central(hj) - EXACT))]);
  }
  P.poly(fw, "xp-line-a", P.stat);
  P.poly(ce, "xp-curve2", P.stat);
  const out = {
    h: kit.readout("h", "step h"),
    forward: kit.readout("forward", "forward"),
    central: kit.readout("central", "central"),
    exact: kit.readout("exact", "cos 1, exact"),
    err_forward: kit.readout("err_forward", "forward error"),
    err_central: kit.readout("err_central", "central error"),
  };
  kit.onChange(() => {
    const h = 2 ** -k.get();
    const F = forward(h), C = central(h);
    P.clear();
    const x = Math.log10(h);
    P.seg(x, -17, x, 0, "xp-thin");
    P.text(-13.5, -15.6, "solid: forward; dashed: central");
    P.dot(x, lg(Math.abs(F - EXACT)), "xp-dot xp-dot-a", 5);
    P.dot(x, lg(Math.abs(C - EXACT)), "xp-dot xp-dot-b", 5);
    out.h.set(h, kit.fmt(h, 4));
    out.forward.set(F, kit.fmt(F, 12));
    out.central.set(C, kit.fmt(C, 12));
    out.exact.set(EXACT, kit.fmt(EXACT, 12));
    out.err_forward.set(Math.abs(F - EXACT), kit.fmt(Math.abs(F - EXACT), 3));
    out.err_central.set(Math.abs(C - EXACT), kit.fmt(Math.abs(C - EXACT), 3));
  });
});
