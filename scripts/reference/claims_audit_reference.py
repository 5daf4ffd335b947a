#!/usr/bin/env python3
"""Reference values for the audit's statcheck/GRIM tests (Tests/SurveyReportTests/AuditStatcheckTests.swift).
Exact calls: scipy.stats.f.sf(F, df1, df2); scipy.stats.norm.sf(|z|)*2 with z = (p - p0)/sqrt(p0 (1-p0)/n);
R² = F df1 / (F df1 + df2); GRIM counts by brute force over k = 0..n. Writes scripts/reference/claims_audit_reference.json
and prints the Swift literals pasted into the test."""
import json
import math

from scipy import stats

cases_f = [(32.27, 1, 241), (4.2, 2, 300), (1.1, 3, 120), (10.5, 1, 30)]
cases_z = [(0.3519, 0.6122, 54), (0.5287, 0.6122, 87), (0.2037, 0.1043, 54), (0.1429, 0.1043, 126)]
out = {"f": [], "z": [], "grim": [], "z2": []}
# Two-sample pooled proportion z (Tabell 4: veiledere 2014 vs 2019; Figur 27 ordførere 2011 vs 2019)
for p1, n1, p2, n2 in [(0.647, 949, 0.61, 1745), (0.74, 104, 0.56, 150)]:
    pp = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
    out["z2"].append({"p1": p1, "n1": n1, "p2": p2, "n2": n2, "z": z, "pvalue": float(2 * stats.norm.sf(abs(z)))})
for f, d1, d2 in cases_f:
    out["f"].append({"F": f, "df1": d1, "df2": d2, "p": float(stats.f.sf(f, d1, d2)), "r2": f * d1 / (f * d1 + d2)})
for p, p0, n in cases_z:
    z = (p - p0) / math.sqrt(p0 * (1 - p0) / n)
    out["z"].append({"p": p, "p0": p0, "n": n, "z": z, "pvalue": float(2 * stats.norm.sf(abs(z)))})
for printed, lo, hi, n in [("35,19", 35.185, 35.195, 54), ("23,3", 23.25, 23.35, 831), ("61", 60.5, 61.5, 93),
                           ("3,86", 3.855, 3.865, 28)]:
    pct = "," in printed and printed != "3,86" or printed == "61"
    scale = 100.0 if printed != "3,86" else 1.0
    ks = [k for k in range(0, n * (1 if scale == 100 else 5) + 1) if lo <= k * scale / n < hi]
    out["grim"].append({"printed": printed, "n": n, "counts": ks})
json.dump(out, open(__file__.replace(".py", ".json"), "w"), indent=1)
for r in out["f"]:
    print(f'({r["F"]}, {r["df1"]}, {r["df2"]}, {r["p"]!r}, {r["r2"]!r}),')
for r in out["z"]:
    print(f'({r["p"]}, {r["p0"]}, {r["n"]}, {r["z"]!r}, {r["pvalue"]!r}),')
for r in out["z2"]:
    print(f'({r["p1"]}, {r["n1"]}, {r["p2"]}, {r["n2"]}, {r["z"]!r}, {r["pvalue"]!r}),')
for r in out["grim"]:
    print(r)
