#!/usr/bin/env python3
"""Converts NIST StRD linear-regression .dat files into the CSV + JSON fixture layout used by
/work/shared/reference/nist/regression (and Tests/SurveyStatsTests/Fixtures/nist-regression/), and
re-derives every certified value in exact rational arithmetic (Python `fractions`) as an independent check
that the data and certified values were transcribed correctly.

Usage:
    python3 scripts/reference/ols_nist_convert.py scripts/reference/ols_nist_raw/*.dat \
        --out Tests/SurveyStatsTests/Fixtures/nist-regression
    # and, for the four sets copied verbatim from /work/shared/reference/nist/regression:
    python3 scripts/reference/ols_nist_convert.py --verify-fixture \
        Tests/SurveyStatsTests/Fixtures/nist-regression/{Norris,Longley,NoInt1,Wampler1}.json

Each .dat file is the NIST text (https://www.itl.nist.gov/div898/strd/lls/lls.shtml), obtained from the
public GitHub repository mathnet/mathnet-numerics (data/NIST/<name>.dat), which vendors the NIST files
unchanged apart from line endings.

Verification: the exact least-squares solution b = (X'X)^{-1} X'y is computed with Fractions from the decimal
data tokens (exact), then RSS, sigma^2 = RSS/(n-p), SD(b_j) = sqrt(sigma^2 [(X'X)^{-1}]_jj) and R^2 are
evaluated at 40 significant digits with mpmath, and each is compared to NIST's printed 15-digit value. The
script stops with an error if any disagrees by more than 1 unit in the 14th significant digit.
Forming X'X is fine here: the arithmetic is exact, so conditioning does not matter.
"""
import argparse
import hashlib
import json
import os
import re
import sys
from fractions import Fraction

import mpmath

mpmath.mp.dps = 40

def parse_dat(path):
    text = open(path, encoding="ascii").read().replace("\r\n", "\n")
    lines = text.split("\n")
    name = re.search(r"Dataset Name:\s+(\w+)", text).group(1)
    # Data section: "Data:" line followed by header tokens (y x ... ) and rows.
    m = re.search(r"Certified Values\s+\(lines (\d+) to (\d+)\)\s*\n\s*Data\s+\(lines (\d+) to (\d+)\)", text)
    d0, d1 = int(m.group(3)), int(m.group(4))
    rows = [ln.split() for ln in lines[d0 - 1:d1] if ln.strip()]
    header_line = [ln for ln in lines if ln.startswith("Data:") and ("y" in ln.split())][-1]
    header = header_line.split()[1:]
    model = re.search(r"(Model:.*?)\n\s*\n\s*\n", text, re.S)
    model_text = text[text.index("Model:"):text.index("Certified Regression Statistics")].rstrip()
    model_text = re.sub(r"[ \t]+\n", "\n", model_text)
    # Parameter lines "B0  est  sd"
    params = []
    for ln in lines:
        pm = re.match(r"\s+(B\d+)\s+(\S+)\s+(\S+)\s*$", ln)
        if pm:
            params.append((pm.group(1), pm.group(2), pm.group(3)))
    rsd = re.search(r"Standard Deviation\s+(\S+)\s*\n", text.split("Residual", 1)[1]).group(1)
    r2 = re.search(r"R-Squared\s+(\S+)", text).group(1)
    reg = re.search(r"\nRegression\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)", text)
    res = re.search(r"\nResidual\s+(\d+)\s+(\S+)\s+(\S+)", text)
    return dict(name=name, header=header, rows=rows, params=params, rsd=rsd, r2=r2,
                reg=reg.groups(), res=res.groups(), model_text=model_text, raw=text)

def num(tok):
    """NIST printed token → JSON number (None for 'Infinity')."""
    try:
        v = float(tok)
    except ValueError:
        return None
    return None if v != v or v in (float("inf"), -float("inf")) else v

def clean(tok):
    """A data token in plain decimal form ('.11019' → '0.11019', '760.' → '760'), value unchanged."""
    f = Fraction(tok)
    s = tok
    if s.startswith("."): s = "0" + s
    if s.startswith("-."): s = "-0" + s[1:]
    if s.endswith("."): s = s[:-1]
    assert Fraction(s) == f
    return s

def design(name, rows, header):
    """Regressor columns as exact Fractions, following NIST's model for each set."""
    y = [Fraction(r[0]) for r in rows]
    xs = [[Fraction(t) for t in r[1:]] for r in rows]
    if name in ("NoInt1", "NoInt2"):
        return y, [[x[0]] for x in xs], ["x"], False, 1
    if name == "Longley":
        return y, [[Fraction(1)] + x for x in xs], ["1"] + header[1:], True, None
    degree = {"Norris": 1, "Pontius": 2, "Filip": 10}.get(name, 5)  # Wampler1-5: degree 5
    X = [[x[0] ** k for k in range(degree + 1)] for x in xs]
    return y, X, ["1"] + ["x" if k == 1 else f"x^{k}" for k in range(1, degree + 1)], True, degree

def solve_exact(A, b):
    n = len(A)
    M = [row[:] + [bb] for row, bb in zip(A, b)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [a - f * bb for a, bb in zip(M[r], M[c])]
    return [M[i][n] / M[i][i] for i in range(n)]

def inverse_diag(A):
    n = len(A)
    out = []
    for j in range(n):
        e = [Fraction(int(i == j)) for i in range(n)]
        out.append(solve_exact(A, e)[j])
    return out

def lre(computed, certified):
    if certified == 0:
        return 99 if computed == 0 else -mpmath.log10(abs(computed))
    if computed == certified:
        return 99
    return -mpmath.log10(abs(computed - certified) / abs(certified))

def verify(d):
    y, X, regressors, intercept, degree = design(d["name"], d["rows"], d["header"])
    n, p = len(X), len(X[0])
    XtX = [[sum(X[i][a] * X[i][b] for i in range(n)) for b in range(p)] for a in range(p)]
    Xty = [sum(X[i][a] * y[i] for i in range(n)) for a in range(p)]
    beta = solve_exact(XtX, Xty)
    fitted = [sum(X[i][j] * beta[j] for j in range(p)) for i in range(n)]
    rss = sum((yi - fi) ** 2 for yi, fi in zip(y, fitted))
    s2 = rss / (n - p)
    diag = inverse_diag(XtX)
    if intercept:
        ybar = sum(y) / n
        tss = sum((yi - ybar) ** 2 for yi in y)
    else:
        tss = sum(yi ** 2 for yi in y)
    r2 = 1 - rss / tss
    worst = 99
    report = []
    for j, (pname, est, sd) in enumerate(d["params"]):
        b = mpmath.mpf(beta[j].numerator) / beta[j].denominator
        se = mpmath.sqrt(mpmath.mpf((s2 * diag[j]).numerator) / (s2 * diag[j]).denominator)
        l1, l2 = lre(b, mpmath.mpf(est)), lre(se, mpmath.mpf(sd))
        worst = min(worst, l1, l2)
        report.append(f"{pname}: est LRE {float(l1):.1f} sd LRE {float(l2):.1f}")
    rsd = mpmath.sqrt(mpmath.mpf(s2.numerator) / s2.denominator)
    lr = lre(rsd, mpmath.mpf(d["rsd"])); lq = lre(mpmath.mpf(r2.numerator) / r2.denominator, mpmath.mpf(d["r2"]))
    worst = min(worst, lr, lq)
    print(f"{d['name']}: n={n} p={p} exact-vs-certified min LRE {float(worst):.2f} (resid SD {float(lr):.1f}, R2 {float(lq):.1f})")
    if worst < 13.5:
        print("\n".join(report)); sys.exit(f"{d['name']}: certified values do not match the exact solution")
    return regressors, intercept, degree

def verify_fixture(json_path):
    """Re-derives the certified values of an existing CSV + JSON fixture (e.g. the four sets copied from
    /work/shared/reference/nist/regression) in exact arithmetic."""
    meta = json.load(open(json_path))
    csv_path = json_path[:-5] + ".csv"
    lines = [ln.strip().split(",") for ln in open(csv_path) if ln.strip()]
    c = meta["certified_text"]
    d = dict(name=meta["dataset"], header=lines[0], rows=lines[1:],
             params=[(q["name"], q["estimate"], q["standard_deviation"]) for q in c["parameters"]],
             rsd=c["residual_standard_deviation"], r2=c["r_squared"])
    verify(d)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dat", nargs="*")
    ap.add_argument("--out")
    ap.add_argument("--verify-fixture", nargs="*", default=[])
    a = ap.parse_args()
    for j in a.verify_fixture:
        verify_fixture(j)
    if not a.dat:
        return
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.out, exist_ok=True)
    for path in a.dat:
        d = parse_dat(path)
        regressors, intercept, degree = verify(d)
        name = d["name"]
        cols = ["y"] + (["x"] if len(d["header"]) == 2 else [f"x{i}" for i in range(1, len(d["header"]))])
        with open(os.path.join(a.out, f"{name}.csv"), "w") as f:
            f.write(",".join(cols) + "\n")
            for r in d["rows"]:
                f.write(",".join(clean(t) for t in r) + "\n")
        params = [dict(name=pn, estimate=num(e), standard_deviation=num(s)) for pn, e, s in d["params"]]
        params_t = [dict(name=pn, estimate=e, standard_deviation=s) for pn, e, s in d["params"]]
        des = dict(csv_columns=cols, regressors=regressors)
        if degree is not None: des["polynomial_degree_in_x"] = degree
        des["intercept"] = intercept
        reg, res = d["reg"], d["res"]
        out = {
            "dataset": name,
            "kind": "linear_least_squares_regression",
            "raw_file": f"scripts/reference/ols_nist_raw/{name}.dat",
            "raw_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
            "raw_source": "github mathnet/mathnet-numerics data/NIST/" + name + ".dat (NIST text with LF line endings)",
            "nist_page": f"https://www.itl.nist.gov/div898/strd/lls/data/{name}.shtml",
            "n_observations": len(d["rows"]),
            "model_text": d["model_text"],
            "design": des,
            "certified": {
                "parameters": params,
                "residual_standard_deviation": num(d["rsd"]),
                "r_squared": num(d["r2"]),
                "anova": {"regression": {"df": int(reg[0]), "ss": num(reg[1]), "ms": num(reg[2]), "f": num(reg[3])},
                          "residual": {"df": int(res[0]), "ss": num(res[1]), "ms": num(res[2])}},
            },
            "certified_text": {
                "parameters": params_t,
                "residual_standard_deviation": d["rsd"],
                "r_squared": d["r2"],
                "anova": {"regression": {"df": reg[0], "ss": reg[1], "ms": reg[2], "f": reg[3]},
                          "residual": {"df": res[0], "ss": res[1], "ms": res[2]}},
            },
            "verification": "certified estimates, SDs, residual SD and R^2 re-derived in exact rational arithmetic "
                            "by scripts/reference/ols_nist_convert.py (agree to >= 13.5 significant digits)",
        }
        with open(os.path.join(a.out, f"{name}.json"), "w") as f:
            json.dump(out, f, indent=2, ensure_ascii=False); f.write("\n")

if __name__ == "__main__":
    main()
