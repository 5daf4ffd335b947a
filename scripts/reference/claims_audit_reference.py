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
out = {"f": [], "z": [], "grim": []}
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
for r in out["grim"]:
    print(r)
