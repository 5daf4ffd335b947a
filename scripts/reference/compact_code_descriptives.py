#!/usr/bin/env python3
"""Reference values for DescriptiveStatistics of code columns (NumericColumn one-byte storage).

Writes Tests/SurveyStatsTests/Fixtures/compact/code_descriptives.json: deterministic code sequences (0..254, 255 =
missing, plus declared missing codes) and their summaries computed EXACTLY with fractions.Fraction, then rounded
once to the nearest double (float(Fraction) is correctly rounded):
  mean = S/n; variance = sum((x-mean)^2)/(n-1); se = sqrt(variance/n) (math.sqrt of the rounded variance ratio
  computed exactly via Fraction then float -> sqrt, as the Swift code does); median (average of the two middle
  values); r1 = sum_{k>=1}(x_k-mean)(x_{k-1}-mean) / sum (x_k-mean)^2 over the non-missing values in order.
Run: python3 scripts/reference/compact_code_descriptives.py   (Python 3 stdlib only)
"""
import json, math, random, os
from fractions import Fraction

def summary(codes, missing):
    xs = [c for c in codes if c != 255 and c not in missing]
    n = len(xs)
    out = {"n": n, "missing": len(codes) - n}
    if n == 0:
        return out
    m = Fraction(sum(xs), n)
    ss = sum((Fraction(x) - m) ** 2 for x in xs)
    out["mean"] = float(m)
    out["min"] = min(xs); out["max"] = max(xs)
    s = sorted(xs); h = n // 2
    out["median"] = float(s[h]) if n % 2 else float(Fraction(s[h - 1] + s[h], 2))
    if n > 1:
        var = ss / (n - 1)
        out["variance"] = float(var)
        out["sd"] = math.sqrt(float(var)) if var >= 0 else None
        if ss > 0:
            lag = sum((Fraction(xs[k]) - m) * (Fraction(xs[k - 1]) - m) for k in range(1, n))
            out["r1"] = float(lag / ss)
    # Doubles as repr strings: Foundation's JSONSerialization on Linux does not parse numbers correctly rounded.
    return {k: (repr(v) if isinstance(v, float) else v) for k, v in out.items()}

def main():
    rng = random.Random(20261123)
    cases = []
    def add(name, codes, missing=()):
        cases.append({"name": name, "codes": codes, "missing_codes": sorted(missing),
                      "expected": summary(codes, set(missing))})
    add("likert_1_5_with_9_and_missing",
        [rng.choice([1, 2, 3, 4, 5, 5, 4, 9, 255]) for _ in range(5000)], [9])
    add("skewed_0_254", [min(254, int(rng.expovariate(1 / 30))) for _ in range(4001)])
    add("constant", [3] * 100)
    add("single", [255, 7, 255])
    add("all_missing", [255, 9, 9], [9])
    add("two_values_even", [0, 254] * 500)
    add("autocorrelated", [(k // 50) % 5 + 1 for k in range(3000)])
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Tests", "SurveyStatsTests", "Fixtures", "compact", "code_descriptives.json")
    with open(path, "w") as f:
        json.dump({"generator": "scripts/reference/compact_code_descriptives.py (fractions.Fraction, exact)",
                   "cases": cases}, f)

main()
