#!/usr/bin/env python3
"""Reference values for SurveyStats' OLS/WLS and HC0-HC3 robust standard errors, computed with statsmodels.

Writes Tests/SurveyStatsTests/Fixtures/ols/<case>.csv (the data, exactly as fitted) and <case>.json (results).
Run:  python3 scripts/reference/ols_statsmodels.py Tests/SurveyStatsTests/Fixtures/ols

The data are synthetic (numpy seed fixed below) and written with few decimals; statsmodels fits the CSV as read
back by pandas, so both programs see the same doubles. Exact calls (recorded in each JSON under "call"):
    m = smf.ols(formula, data=df).fit()                          # classical
    m = smf.wls(formula, data=df, weights=df[w]).fit()           # weighted
    m.get_robustcov_results(cov_type="HC0".."HC3")               # robust SEs (and robust Wald F for HC1)
Rows with a missing value in a used variable are dropped by statsmodels' formula interface (missing="drop"),
which is SurveyStats' listwise deletion. For the rank-deficient case statsmodels (pinv) returns the minimum-norm
solution, whereas SurveyStats (like R's lm) aliases the later collinear column; the reference therefore also
includes the fit without the aliased column ("reduced"), whose estimates R would print, and the fit statistics
(R², RSS, F with df = rank) that any solution shares.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.formula.api as smf

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/SurveyStatsTests/Fixtures/ols"
os.makedirs(OUT, exist_ok=True)


def num(x):
    x = float(x)
    return None if not np.isfinite(x) else x


def surveystats_name(term):
    """statsmodels/patsy term name → the name SurveyStats (R style) gives the same column."""
    t = "(Intercept)" if term == "Intercept" else term
    t = t.replace("C(rolle, Treatment(reference='rådmann'))", "C(rolle, ref=rådmann)")
    return t.replace(" ** ", "^")


def results(m):
    r = {
        "terms": list(m.params.index),
        "surveystats_terms": [surveystats_name(t) for t in m.params.index],
        "estimate": [num(v) for v in m.params],
        "std_error": [num(v) for v in m.bse],
        "t": [num(v) for v in m.tvalues],
        "p": [num(v) for v in m.pvalues],
        "ci95": [[num(a), num(b)] for a, b in np.asarray(m.conf_int(0.05))],
        "ci90": [[num(a), num(b)] for a, b in np.asarray(m.conf_int(0.10))],
        "n": int(m.nobs),
        "df_model": num(m.df_model),
        "df_resid": num(m.df_resid),
        "r_squared": num(m.rsquared),
        "adj_r_squared": num(m.rsquared_adj),
        "f": num(m.fvalue),
        "f_p": num(m.f_pvalue),
        "rss": num(m.ssr),
        "residual_se": num(np.sqrt(m.mse_resid)),
        "condition_number_statsmodels": num(m.condition_number),
    }
    full_rank = np.linalg.matrix_rank(m.model.exog) == m.model.exog.shape[1]
    for hc in ["HC0", "HC1", "HC2", "HC3"]:
        rr = m.get_robustcov_results(cov_type=hc, use_t=True)
        # The robust Wald F is only meaningful for a full-rank design.
        f_ok = rr.df_model > 0 and full_rank
        r[hc.lower()] = {"std_error": [num(v) for v in rr.bse], "p": [num(v) for v in rr.pvalues],
                         "f": num(np.asarray(rr.fvalue).ravel()[0]) if f_ok else None,
                         "f_p": num(np.asarray(rr.f_pvalue).ravel()[0]) if f_ok else None}
    return r


def r_convention(m):
    """R's summary.lm for a formula without intercept uses the uncentred R² and tests all coefficients, even when
    the columns span a constant (e.g. `y ~ C(g) - 1`); statsmodels then detects an implicit constant and centres.
    Returns R's values, computed from statsmodels' own fit (ssr, uncentered_tss, robust covariances)."""
    from scipy import stats
    k = m.model.exog.shape[1]
    rss, utss, dfr = m.ssr, m.uncentered_tss, m.df_resid
    r2 = 1 - rss / utss
    out = {"r_squared": num(r2), "adj_r_squared": num(1 - (1 - r2) * m.nobs / dfr), "df_model": float(k)}
    f = ((utss - rss) / k) / (rss / dfr)
    out["f"], out["f_p"] = num(f), num(stats.f.sf(f, k, dfr))
    for hc in ["HC0", "HC1", "HC2", "HC3"]:
        V = m.get_robustcov_results(cov_type=hc, use_t=True).cov_params()
        b = np.asarray(m.params)
        fw = float(b @ np.linalg.solve(np.asarray(V), b)) / k
        out[hc.lower()] = {"f": num(fw), "f_p": num(stats.f.sf(fw, k, dfr))}
    return out


def write(case, df, cases):
    df.to_csv(os.path.join(OUT, case + ".csv"), index=False, na_rep="")
    back = pd.read_csv(os.path.join(OUT, case + ".csv"), keep_default_na=False, na_values=[""])
    out = {"program": f"statsmodels {statsmodels.__version__}, numpy {np.__version__}, pandas {pd.__version__}",
           "script": "scripts/reference/ols_statsmodels.py", "csv": case + ".csv", "models": []}
    for c in cases:
        if c.get("weights"):
            m = smf.wls(c["statsmodels_formula"], data=back, weights=back[c["weights"]]).fit()
            call = f'smf.wls("{c["statsmodels_formula"]}", data=df, weights=df["{c["weights"]}"]).fit()'
        else:
            m = smf.ols(c["statsmodels_formula"], data=back).fit()
            call = f'smf.ols("{c["statsmodels_formula"]}", data=df).fit()'
        entry = {"name": c["name"], "formula": c["formula"], "statsmodels_formula": c["statsmodels_formula"],
                 "weights": c.get("weights"), "call": call, "results": results(m)}
        if "- 1" in c["formula"] and m.k_constant == 1:
            entry["results"]["r_convention"] = r_convention(m)
            entry["results"]["r_convention_note"] = ("no intercept in the formula but the columns span a constant: "
                                                     "statsmodels centres R² and F, R (and SurveyStats) do not; "
                                                     "r_convention holds R's values computed from this fit")
        if "reduced_formula" in c:
            mr = smf.ols(c["reduced_formula"], data=back).fit()
            entry["reduced_formula"] = c["reduced_formula"]
            entry["aliased"] = c["aliased"]
            entry["reduced"] = results(mr)
            entry["matrix_rank"] = int(np.linalg.matrix_rank(m.model.exog))
        out["models"].append(entry)
    with open(os.path.join(OUT, case + ".json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")


rng = np.random.default_rng(20200901)

# 1. Survey-like: Likert outcome, numeric predictors, a Norwegian categorical with missing values, weights.
n = 240
roller = np.array(["ansatt", "leder", "rådmann", "tillitsvalgt"])
rolle = roller[rng.integers(0, 4, n)].astype(object)
likeverd = rng.integers(1, 6, n).astype(float)
alder = np.round(rng.uniform(22, 67, n), 1)
effect = {"ansatt": 0.0, "leder": 0.4, "rådmann": 0.7, "tillitsvalgt": -0.3}
samarbeid = np.round(1.2 + 0.45 * likeverd + 0.01 * alder + np.array([effect[r] for r in rolle])
                     + rng.normal(0, 0.6 + 0.15 * likeverd, n), 2)
vekt = np.round(rng.uniform(0.3, 2.5, n), 3)
df = pd.DataFrame({"samarbeid": samarbeid, "likeverd": likeverd, "alder": alder, "rolle": rolle, "vekt": vekt})
for col, k in [("samarbeid", 7), ("likeverd", 9), ("rolle", 11), ("alder", 5)]:
    df.loc[rng.choice(n, k, replace=False), col] = np.nan
write("survey", df, [
    {"name": "ols_categorical", "formula": "samarbeid ~ likeverd + alder + rolle",
     "statsmodels_formula": "samarbeid ~ likeverd + alder + rolle"},
    {"name": "ols_C_ref", "formula": "samarbeid ~ likeverd + C(rolle, ref=rådmann) + I(alder^2)",
     "statsmodels_formula": "samarbeid ~ likeverd + C(rolle, Treatment(reference='rådmann')) + I(alder**2)"},
    {"name": "wls", "formula": "samarbeid ~ likeverd + alder + rolle", "weights": "vekt",
     "statsmodels_formula": "samarbeid ~ likeverd + alder + rolle"},
    {"name": "ols_no_intercept", "formula": "samarbeid ~ likeverd + alder - 1",
     "statsmodels_formula": "samarbeid ~ likeverd + alder - 1"},
    {"name": "ols_interaction", "formula": "samarbeid ~ likeverd*alder",
     "statsmodels_formula": "samarbeid ~ likeverd*alder"},
    {"name": "cell_means", "formula": "samarbeid ~ C(rolle) - 1",
     "statsmodels_formula": "samarbeid ~ C(rolle) - 1"},
    {"name": "categorical_interaction", "formula": "samarbeid ~ likeverd*rolle + alder",
     "statsmodels_formula": "samarbeid ~ likeverd*rolle + alder"},
])

# 2. Rank-deficient: x3 = x1 + x2 exactly (integers), so any program must see the dependence.
n = 60
x1 = rng.integers(0, 20, n).astype(float)
x2 = rng.integers(-5, 15, n).astype(float)
x3 = x1 + x2
y = np.round(3 + 0.5 * x1 - 0.25 * x2 + rng.normal(0, 2, n), 3)
df = pd.DataFrame({"y": y, "x1": x1, "x2": x2, "x3": x3})
write("rank_deficient", df, [
    {"name": "aliased", "formula": "y ~ x1 + x2 + x3", "statsmodels_formula": "y ~ x1 + x2 + x3",
     "reduced_formula": "y ~ x1 + x2", "aliased": ["x3"]},
])

# 3. Heteroskedastic with high-leverage points and a polynomial term (HC2/HC3 differ visibly from HC0).
n = 80
x = np.round(np.concatenate([rng.uniform(0, 10, n - 4), [25, 28, 31, 40]]), 2)
y = np.round(2 - 0.3 * x + 0.02 * x ** 2 + rng.normal(0, 0.2 + 0.15 * x, n), 3)
df = pd.DataFrame({"y": y, "x": x})
write("heteroskedastic", df, [
    {"name": "quadratic", "formula": "y ~ x + I(x^2)", "statsmodels_formula": "y ~ x + I(x**2)"},
])
print("wrote", sorted(os.listdir(OUT)))
