#!/usr/bin/env python3
"""Exact-rational references for near-perfect and perfect least-squares fits, where double-precision programs
(statsmodels included) lose the digits being tested.

Writes Tests/SurveyStatsTests/Fixtures/ols/near_perfect.csv and near_perfect.json.
Run:  python3 scripts/reference/ols_exact_rational.py Tests/SurveyStatsTests/Fixtures/ols
(statsmodels, only for the contrast values, from scripts/bench/.venv: scripts/bench/.venv/bin/python ...)

near_perfect: y = 1e6 + 1000·x + e, x = 1..30, e ~ N(0, 1e-4) (numpy seed 20261202), y written with 10 decimals.
The references are the least-squares solution of the doubles the CSV reads as (Python float(), correctly
rounded, as Swift's Double(String)), solved in fractions.Fraction — no rounding at all — and only then rounded to
double: RSS, σ̂ = √(RSS/(n − 2)), SE(β₀), SE(β₁). statsmodels' own values (double-precision QR/pinv) are recorded
under "statsmodels" for contrast: they differ by ~5e-8 relative, because ‖e‖ is ~1e-10 of ‖y‖ and double's
rounding of the fitted values is ~1e-16 of ‖y‖.

perfect_weighted: y = 2x − 1 at x = 1, 2, 3, 4 with weights 1, 1, 0, 2 (the zero-weight row dropped). The exact
weighted RSS is 0, so the overall F is +∞ (p = 0), as NIST certifies for Wampler1.
"""
import csv, io, json, os, sys
from fractions import Fraction as Fr
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/SurveyStatsTests/Fixtures/ols"

def exact_line(xs, ys, ws=None):
    """Weighted least squares of y on (1, x) in rationals: β, RSS, σ̂², (XᵀWX)⁻¹ diagonal."""
    ws = ws or [Fr(1)] * len(xs)
    sw = sum(ws); sx = sum(w * x for w, x in zip(ws, xs)); sxx = sum(w * x * x for w, x in zip(ws, xs))
    sy = sum(w * y for w, y in zip(ws, ys)); sxy = sum(w * x * y for w, x, y in zip(ws, xs, ys))
    det = sw * sxx - sx * sx
    b1 = (sw * sxy - sx * sy) / det; b0 = (sy - b1 * sx) / sw
    rss = sum(w * (y - b0 - b1 * x) ** 2 for w, x, y in zip(ws, xs, ys))
    return b0, b1, rss, sxx / det, sw / det

def s(x): return repr(float(x))

rng = np.random.default_rng(20261202)
x = np.arange(1, 31, dtype=float)
y = 1e6 + 1000 * x + rng.normal(0, 1e-4, size=x.size)
text = "y,x\n" + "".join(f"{yi:.10f},{xi:.1f}\n" for yi, xi in zip(y, x))
with open(os.path.join(OUT, "near_perfect.csv"), "w") as f: f.write(text)
rows = list(csv.DictReader(io.StringIO(text)))
xs = [Fr(float(r["x"])) for r in rows]; ys = [Fr(float(r["y"])) for r in rows]
b0, b1, rss, c00, c11 = exact_line(xs, ys)
n = len(ys); s2 = rss / (n - 2)
doc = {"generator": "scripts/reference/ols_exact_rational.py",
       "near_perfect": {"formula": "y ~ x", "call": "fractions.Fraction least squares on float(csv field)",
                        "estimates": [s(b0), s(b1)], "rss": s(rss), "residual_se": repr(float(s2) ** 0.5),
                        "std_errors": [repr(float(s2 * c00) ** 0.5), repr(float(s2 * c11) ** 0.5)]}}
try:
    import pandas as pd, statsmodels, statsmodels.formula.api as smf
    m = smf.ols("y ~ x", pd.read_csv(io.StringIO(text))).fit()
    doc["near_perfect"]["statsmodels"] = {"version": statsmodels.__version__, "call": "smf.ols('y ~ x', df).fit()",
                                          "residual_se": repr(float(np.sqrt(m.scale))), "std_errors": [repr(float(v)) for v in m.bse]}
except ImportError:
    pass
px = [Fr(1), Fr(2), Fr(4)]; pw = [Fr(1), Fr(1), Fr(2)]
_, _, prss, _, _ = exact_line(px, [2 * v - 1 for v in px], pw)
doc["perfect_weighted"] = {"x": [1, 2, 3, 4], "y": [1, 3, 5, 7], "w": [1, 1, 0, 2], "call": "fractions.Fraction weighted least squares",
                           "rss": s(prss), "f": "inf" if prss == 0 else None}
with open(os.path.join(OUT, "near_perfect.json"), "w") as f: json.dump(doc, f, indent=1); f.write("\n")
print(json.dumps(doc, indent=1))
