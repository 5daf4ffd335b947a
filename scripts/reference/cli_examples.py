#!/usr/bin/env python3
"""Reference values for the CLI tests (Tests/CLITests/Fixtures/cli_reference.json).

The example data `datasets/examples/ledere.csv` are synthetic (made with `--generate`, seed 2020): 60 leaders
with role, sector, a likeverd (equality) scale score, a samarbeid (cooperation) score, a 1–5 trust item, years
of experience and a case weight; a few cells are empty or NA.

Every value is computed from the committed CSV by scipy 1.17.1 / statsmodels 0.15.0 / pandas 3.1.1:
  describe   pandas mean/std(ddof=1)/min/max after dropping missing
  ttest      scipy.stats.ttest_ind(a, b, equal_var=True|False) with .confidence_interval(0.95);
             ttest_rel for paired, ttest_1samp for one-sample; groups in sorted order, difference = first − second
  anova      scipy.stats.f_oneway; Welch: statsmodels.stats.oneway.anova_oneway(use_var="unequal")
  crosstab   scipy.stats.chi2_contingency(correction=False) and lambda_="log-likelihood" (G²);
             Cramér's V = sqrt(chi2 / (n (min(r, c) − 1)))
  prop-test  statsmodels.stats.proportion.proportions_ztest (pooled two-sample; one-sample with prop_var=p0)
  regress    statsmodels.formula.api.ols / wls with patsy formula, cov_type nonrobust and HC1 with use_t=True

Run: python3 scripts/reference/cli_examples.py            (writes the fixture)
     python3 scripts/reference/cli_examples.py --generate (re-creates the CSV; not needed normally)
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.stats as st

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "datasets/examples/ledere.csv"
OUT = ROOT / "Tests/CLITests/Fixtures/cli_reference.json"


def generate():
    rng = np.random.default_rng(2020)
    roles = ["ordfører", "rådmann", "enhetsleder", "mellomleder", "veileder"]
    rows = []
    for i in range(60):
        rolle = roles[i % 5]
        sektor = "statlig" if rng.random() < 0.45 else "kommunal"
        likeverd = round(float(np.clip(rng.normal(3.4 + 0.1 * (i % 5), 0.7), 1, 5)), 2)
        samarbeid = round(float(np.clip(0.8 + 0.7 * likeverd + (0.3 if sektor == "statlig" else 0) + rng.normal(0, 0.5), 1, 5)), 2)
        tillit = int(np.clip(round(likeverd + rng.normal(0, 0.8)), 1, 5))
        erfaring = int(rng.integers(1, 30))
        vekt = round(float(rng.uniform(0.5, 2.0)), 3)
        rows.append([i + 1, rolle, sektor, likeverd, samarbeid, tillit, erfaring, vekt])
    df = pd.DataFrame(rows, columns=["id", "rolle", "sektor", "likeverd", "samarbeid", "tillit", "erfaring", "vekt"])
    df = df.astype(object)
    df.loc[6, "samarbeid"] = ""
    df.loc[17, "likeverd"] = "NA"
    df.loc[33, "tillit"] = ""
    df.loc[41, "sektor"] = ""
    df.to_csv(CSV, index=False, lineterminator="\n")


def load():
    return pd.read_csv(CSV, keep_default_na=False, na_values=["", "NA"])


def describe(df):
    out = {}
    for v in ["likeverd", "samarbeid", "tillit"]:
        x = df[v].dropna()
        out[v] = {"n": int(x.size), "missing": int(df[v].isna().sum()), "mean": x.mean(), "sd": x.std(ddof=1),
                  "min": x.min(), "max": x.max()}
    groups = {}
    for g, sub in df.dropna(subset=["rolle"]).groupby("rolle"):
        x = sub["samarbeid"].dropna()
        groups[g] = {"n": int(x.size), "mean": x.mean(), "sd": x.std(ddof=1)}
    out["samarbeid_by_rolle"] = groups
    return out


def ttests(df):
    d = df.dropna(subset=["samarbeid", "sektor"])
    a = d[d.sektor == "kommunal"].samarbeid.to_numpy()
    b = d[d.sektor == "statlig"].samarbeid.to_numpy()
    out = {}
    for name, eq in [("student", True), ("welch", False)]:
        r = st.ttest_ind(a, b, equal_var=eq)
        ci = r.confidence_interval(0.95)
        out[name] = {"t": r.statistic, "df": float(r.df), "p": r.pvalue, "mean_difference": a.mean() - b.mean(),
                     "ci": [ci.low, ci.high], "n": [len(a), len(b)], "mean": [a.mean(), b.mean()],
                     "sd": [a.std(ddof=1), b.std(ddof=1)]}
    p = df.dropna(subset=["samarbeid", "likeverd"])
    r = st.ttest_rel(p.samarbeid, p.likeverd)
    ci = r.confidence_interval(0.95)
    out["paired"] = {"t": r.statistic, "df": float(r.df), "p": r.pvalue,
                     "mean_difference": (p.samarbeid - p.likeverd).mean(), "ci": [ci.low, ci.high], "n": len(p)}
    x = df.samarbeid.dropna()
    r = st.ttest_1samp(x, 3.0)
    ci = r.confidence_interval(0.95)
    out["one_sample"] = {"t": r.statistic, "df": float(r.df), "p": r.pvalue, "mean_difference": x.mean() - 3.0,
                         "ci": [ci.low, ci.high], "n": len(x)}
    # From summaries: the two groups' mean, SD, n (Welch and Student).
    sa, sb = out["student"], out["welch"]
    return out


def anova(df):
    from statsmodels.stats.oneway import anova_oneway
    d = df.dropna(subset=["samarbeid", "rolle"])
    groups = [g.samarbeid.to_numpy() for _, g in sorted(d.groupby("rolle"), key=lambda kv: kv[0])]
    r = st.f_oneway(*groups)
    allv = np.concatenate(groups)
    grand = allv.mean()
    ssb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups)
    ssw = sum(((g - g.mean()) ** 2).sum() for g in groups)
    k, n = len(groups), len(allv)
    w = anova_oneway(groups, use_var="unequal")
    return {"classic": {"f": r.statistic, "df1": k - 1, "df2": n - k, "p": r.pvalue, "ss_between": ssb,
                        "ss_within": ssw, "r_squared": ssb / (ssb + ssw)},
            "welch": {"f": w.statistic, "df1": float(w.df[0]), "df2": float(w.df[1]), "p": w.pvalue}}


def crosstab(df):
    d = df.dropna(subset=["rolle", "sektor"])
    tab = pd.crosstab(d.rolle, d.sektor)
    tab = tab.sort_index().reindex(sorted(tab.columns), axis=1)
    chi2, p, dof, _ = st.chi2_contingency(tab.to_numpy(), correction=False)
    g2, pg, _, _ = st.chi2_contingency(tab.to_numpy(), correction=False, lambda_="log-likelihood")
    n = tab.to_numpy().sum()
    v = math.sqrt(chi2 / (n * (min(tab.shape) - 1)))
    return {"counts": tab.to_numpy().tolist(), "row_labels": list(tab.index), "column_labels": list(tab.columns),
            "chi2": chi2, "df": int(dof), "p": p, "g2": g2, "p_g2": pg, "cramers_v": v}


def prop_tests():
    from statsmodels.stats.proportion import proportions_ztest
    # Summary form (percent and n), as the report compares 2019 with published 2011 percentages.
    z, p = proportions_ztest([0.74 * 104, 0.56 * 150], [104, 150])
    one_z, one_p = proportions_ztest(30, 50, value=0.5, prop_var=0.5)
    cz, cp = proportions_ztest([77, 84], [104, 150])
    return {"two_sample_summary": {"z": z, "p": p, "estimates": [0.74, 0.56]},
            "two_sample_counts": {"z": cz, "p": cp, "estimates": [77 / 104, 84 / 150]},
            "one_sample": {"z": one_z, "p": one_p, "estimates": [0.6]}}


def regressions(df):
    import statsmodels.formula.api as smf
    out = {}
    d = df.dropna(subset=["samarbeid", "likeverd", "rolle"])
    specs = {
        "quadratic": ("samarbeid ~ likeverd + I(likeverd**2)", "ols", "nonrobust"),
        "categorical_hc1": ("samarbeid ~ likeverd + C(rolle)", "ols", "HC1"),
        "weighted": ("samarbeid ~ likeverd", "wls", "nonrobust"),
    }
    for key, (formula, kind, cov) in specs.items():
        if kind == "ols":
            m = smf.ols(formula, data=d).fit(cov_type=cov, use_t=True)  # t (not z) p-values, as R/Stata
        else:
            dw = d.dropna(subset=["vekt"])
            m = smf.wls(formula, data=dw, weights=dw.vekt).fit()
        terms = [t.replace(" ** ", "^").replace("**", "^") for t in m.params.index]
        out[key] = {"formula": formula, "n": int(m.nobs), "terms": terms, "estimate": list(m.params),
                    "std_error": list(m.bse), "t": list(m.tvalues), "p": list(m.pvalues),
                    "r_squared": m.rsquared, "adj_r_squared": m.rsquared_adj, "f": m.fvalue, "f_p": m.f_pvalue,
                    "df1": m.df_model, "df2": m.df_resid, "residual_se": math.sqrt(m.scale)}
    return out


def labelled(df):
    """Values the codebook datasets/examples/ledere.codebook.yaml implies: tillit 9 = «ubesvart» is missing;
    rolle in code order (ordfører, rådmann, enhetsleder, mellomleder, veileder); --where sektor == kommunal."""
    t = df.tillit[df.tillit != 9].dropna()
    order = ["ordfører", "rådmann", "enhetsleder", "mellomleder", "veileder"]
    k = df[df.sektor == "kommunal"].samarbeid.dropna()
    return {"tillit": {"n": int(t.size), "mean": t.mean(), "sd": t.std(ddof=1), "code9": int((df.tillit == 9).sum()),
                       "empty": int(df.tillit.isna().sum())},
            "rolle_order": order,
            "tillit_percent": [100 * float((t == k).sum()) / t.size for k in (1, 2, 3, 4, 5)],
            "tillit_top_4_5": 100 * float(t.isin([4, 5]).sum()) / t.size,
            "samarbeid_kommunal": {"n": int(k.size), "mean": k.mean(), "sd": k.std(ddof=1)}}


def weighted(df):
    """--weight vekt: crosstab counts = pandas crosstab(values=vekt, aggfunc='sum') and scipy chi2_contingency on
    them; describe = statsmodels DescrStatsW(x, weights=w) mean and std (ddof=1, frequency weights)."""
    from statsmodels.stats.weightstats import DescrStatsW
    d = df.dropna(subset=["rolle", "sektor", "vekt"])
    tab = pd.crosstab(d.rolle, d.sektor, values=d.vekt, aggfunc="sum").fillna(0)
    tab = tab.sort_index().reindex(sorted(tab.columns), axis=1)
    chi2, p, dof, _ = st.chi2_contingency(tab.to_numpy(), correction=False)
    x = df.dropna(subset=["samarbeid", "vekt"])
    w = DescrStatsW(x.samarbeid.to_numpy(), weights=x.vekt.to_numpy(), ddof=1)
    return {"crosstab": {"counts": tab.to_numpy().tolist(), "chi2": chi2, "p": p},
            "describe_samarbeid": {"mean": w.mean, "sd": w.std, "sum_of_weights": w.sum_weights}}


def spss():
    """iris.sav (written by another program, ../shared/reference/spss/), read with pyreadstat 1.x:
    scipy.stats.f_oneway of Sepal.Length by Species."""
    import pyreadstat
    df, meta = pyreadstat.read_sav("/work/shared/reference/spss/iris.sav")
    groups = [df[df.Species == k]["Sepal.Length"].to_numpy() for k in (1.0, 2.0, 3.0)]
    r = st.f_oneway(*groups)
    return {"iris_anova": {"f": r.statistic, "p": r.pvalue,
                           "groups": [meta.variable_value_labels["Species"][k] for k in (1.0, 2.0, 3.0)]}}


def main():
    if "--generate" in sys.argv:
        generate()
    df = load()
    ref = {"source": "scripts/reference/cli_examples.py on datasets/examples/ledere.csv "
                     f"(scipy {__import__('scipy').__version__}, statsmodels {__import__('statsmodels').__version__})",
           "describe": describe(df), "ttest": ttests(df), "anova": anova(df), "crosstab": crosstab(df),
           "prop_test": prop_tests(), "regress": regressions(df), "labelled": labelled(df),
           "weighted": weighted(df)}
    try:
        ref["spss"] = spss()
    except Exception as e:  # pyreadstat not installed: keep the previous values
        ref["spss"] = json.loads(OUT.read_text()).get("spss") if OUT.exists() else None
        print("spss reference not recomputed:", e)
    OUT.write_text(json.dumps(ref, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
