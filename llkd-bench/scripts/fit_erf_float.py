#!/usr/bin/env python3
"""Fits the float erf of org.llkd.models.kernels.VectorOps (the fused GELU kernel) and prints its coefficients.

Two pieces, each a weighted minimax fit of the relative error by Lawson's iteration (iteratively reweighted least
squares) on a dense grid:
  |x| < 1:   erf(x) = x * P(x^2),                P of degree 6   (relative error of the fit about 1.2e-9)
  |x| >= 1:  erf(x) = 1 - exp(-x^2) * R(1/|x|),   R of degree 9   (R ~ erfcx(x) = erfc(x) exp(x^2) on [1, 4],
                                                                   relative error of the fit about 1.5e-8)
Evaluated in float with FMA (Horner), the kernel's erf is within 1.3e-7 of the true erf (KernelsTest checks 2e-7).
Needs numpy and scipy:  python3 llkd-bench/scripts/fit_erf_float.py
"""
import numpy as np
from scipy.special import erf, erfcx


def lawson(design, target, weight, iters=500):
    """Coefficients minimising max |(design @ c - target) * weight| (approximately), and that maximum."""
    u = np.ones(len(target)) / len(target)
    best = None
    for _ in range(iters):
        w = np.sqrt(u) * weight
        c, *_ = np.linalg.lstsq(design * w[:, None], target * w, rcond=None)
        err = np.abs((design @ c - target) * weight)
        if best is None or err.max() < best[1]:
            best = (c, err.max())
        u = u * err
        u /= u.sum()
    return best


def main():
    x = np.linspace(1e-6, 1.0, 4000)
    s = x * x
    f = erf(x) / x
    p, p_err = lawson(np.vstack([s ** k for k in range(7)]).T, f, 1 / f)
    x = np.linspace(1.0, 4.0, 6000)
    t = 1 / x
    f = erfcx(x)
    r, r_err = lawson(np.vstack([t ** k for k in range(10)]).T, f, 1 / f)
    print(f"P (erf(x)/x in x^2 on [0, 1], max relative error {p_err:.3g}):")
    print("  " + ", ".join(f"ERF_P{k} = {np.float32(c):.9e}f" for k, c in enumerate(p)))
    print(f"R (erfcx(x) in 1/x on [1, 4], max relative error {r_err:.3g}):")
    print("  " + ", ".join(f"ERFCX_R{k} = {np.float32(c):.9e}f" for k, c in enumerate(r)))


if __name__ == "__main__":
    main()
