#!/usr/bin/env python3
"""Reference values for the Statistics tests (t-tests, ANOVA, proportion tests, cross-tabs, weighted
descriptives, Likert summaries, statistic→p helpers), computed with scipy / statsmodels / numpy / mpmath.

Writes Tests/SurveyStatsTests/Fixtures/tests/*.json. Every number is written as a string with 17 significant
digits (repr), so the Swift side reads exactly the double Python computed. Each case names the program and the
exact call that produced it ("call"). Data are generated here with a fixed numpy seed and stored in the fixture,
so the tests need no Python at CI time.

Versions used: scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6, mpmath 1.3.0 (Python 3.11).
Usage: python3 scripts/reference/tests_reference.py
"""
import json, os
from fractions import Fraction as Fr
import numpy as np
import mpmath as mp
from scipy import stats
from scipy.stats import contingency
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.proportion import proportions_ztest, proportion_confint, confint_proportions_2indep
from statsmodels.stats.weightstats import DescrStatsW

mp.mp.dps = 40
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests/SurveyStatsTests/Fixtures/tests")
os.makedirs(OUT, exist_ok=True)
VERSIONS = f"scipy {__import__('scipy').__version__}, statsmodels {__import__('statsmodels').__version__}, numpy {np.__version__}, mpmath {mp.__version__}"

def s(x):
    x = float(x)
    return repr(x)

def arr(xs):
    return [s(x) for x in xs]

def hedges_j(df):
    df = mp.mpf(df)
    return mp.gamma(df / 2) / (mp.sqrt(df / 2) * mp.gamma((df - 1) / 2))

def mp_moments(v):
    """Exact mean and n-1 variance of the doubles in v (fractions), as mpmath numbers."""
    f = [a if isinstance(a, Fr) else Fr(float(a)) for a in v]
    m = sum(f) / len(f)
    var = sum((a - m) ** 2 for a in f) / (len(f) - 1)
    return m, var

def mpf(fr):
    return mp.mpf(fr.numerator) / mp.mpf(fr.denominator)

def t_exact(est, se, df, null=0):
    """t, two-sided p, and the 95 % CI from a statistic computed in exact arithmetic; the distribution functions are
    mpmath's regularized incomplete beta (40 digits) and scipy's t.ppf for the CI quantile."""
    t = (est - null) / se
    x = df / (df + t * t)
    p = mp.betainc(df / 2, mp.mpf(1) / 2, 0, x, regularized=True)
    q = stats.t.ppf(0.975, float(df))
    return {"t": s(t), "df": s(df), "p": s(p), "ci": [s(est - q * se), s(est + q * se)]}

def write(name, doc):
    doc = {"generator": "scripts/reference/tests_reference.py", "versions": VERSIONS, **doc}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False); f.write("\n")
    print("wrote", name, len(doc.get("cases", [])), "cases")

rng = np.random.default_rng(20201109)

# ---------------------------------------------------------------------------------------------- t-tests
def tcases():
    cases = []
    specs = [  # (n1, mean1, sd1, n2, mean2, sd2, decimals)
        (12, 3.2, 1.1, 15, 3.9, 0.8, 2),
        (40, 100.0, 15.0, 25, 92.0, 30.0, 1),
        (3, 1.0, 0.5, 2, 2.0, 0.3, 3),
        (200, 3.86, 0.9, 180, 3.61, 1.2, 0),   # Likert-like integers after rounding
        (30, 50.0, 1.0, 30, 45.0, 1.2, 4),     # huge t, tiny p
        (8, 1e6, 0.01, 9, 1e6 + 0.003, 0.02, 3),  # ill-conditioned: scipy loses ~8 digits; see "exact"
    ]
    for i, (n1, m1, s1, n2, m2, s2, dec) in enumerate(specs):
        x = np.round(rng.normal(m1, s1, n1), dec)
        y = np.round(rng.normal(m2, s2, n2), dec)
        if dec == 0:
            x = np.clip(x, 1, 5); y = np.clip(y, 1, 5)
        mu0 = float(np.round(m1 * 0.97, 2))
        c = {"name": f"case{i+1}", "x": arr(x), "y": arr(y), "mu0": s(mu0)}
        r = stats.ttest_1samp(x, mu0)
        ci = r.confidence_interval(0.95)
        sd = np.std(x, ddof=1)
        c["one_sample"] = {"call": "scipy.stats.ttest_1samp(x, mu0); .confidence_interval(0.95)",
                           "t": s(r.statistic), "df": s(r.df), "p": s(r.pvalue),
                           "p_right": s(stats.ttest_1samp(x, mu0, alternative="greater").pvalue),
                           "ci": [s(ci.low), s(ci.high)],
                           "cohens_d": s((np.mean(x) - mu0) / sd), "hedges_g": s((np.mean(x) - mu0) / sd * float(hedges_j(len(x) - 1)))}
        for key, eq in (("student", True), ("welch", False)):
            r = stats.ttest_ind(x, y, equal_var=eq)
            ci = r.confidence_interval(0.95)
            n1_, n2_ = len(x), len(y)
            sp = np.sqrt(((n1_ - 1) * np.var(x, ddof=1) + (n2_ - 1) * np.var(y, ddof=1)) / (n1_ + n2_ - 2))
            d = (np.mean(x) - np.mean(y)) / sp
            c[key] = {"call": f"scipy.stats.ttest_ind(x, y, equal_var={eq}); .confidence_interval(0.95)",
                      "t": s(r.statistic), "df": s(r.df), "p": s(r.pvalue),
                      "p_left": s(stats.ttest_ind(x, y, equal_var=eq, alternative="less").pvalue),
                      "ci": [s(ci.low), s(ci.high)],
                      "cohens_d": s(d), "hedges_g": s(d * float(hedges_j(n1_ + n2_ - 2)))}
            fs = stats.ttest_ind_from_stats(np.mean(x), np.std(x, ddof=1), n1_, np.mean(y), np.std(y, ddof=1), n2_, equal_var=eq)
            c[key]["from_stats_call"] = f"scipy.stats.ttest_ind_from_stats(mean1, sd1, n1, mean2, sd2, n2, equal_var={eq})"
            c[key]["from_stats_t"] = s(fs.statistic); c[key]["from_stats_p"] = s(fs.pvalue)
        m1, v1 = mp_moments(x); m2, v2 = mp_moments(y); n1_, n2_ = len(x), len(y)
        sd1 = mp.sqrt(mpf(v1))
        c["one_sample"]["exact"] = t_exact(mpf(m1), sd1 / mp.sqrt(n1_), mp.mpf(n1_ - 1), mu0)
        c["one_sample"]["exact"]["cohens_d"] = s((mpf(m1) - mu0) / sd1)
        vp = ((n1_ - 1) * v1 + (n2_ - 1) * v2) / (n1_ + n2_ - 2)
        d_exact = mpf(m1 - m2) / mp.sqrt(mpf(vp))
        c["student"]["exact"] = t_exact(mpf(m1 - m2), mp.sqrt(mpf(vp) * (mp.mpf(1) / n1_ + mp.mpf(1) / n2_)), mp.mpf(n1_ + n2_ - 2))
        a, b = mpf(v1) / n1_, mpf(v2) / n2_
        c["welch"]["exact"] = t_exact(mpf(m1 - m2), mp.sqrt(a + b), (a + b) ** 2 / (a * a / (n1_ - 1) + b * b / (n2_ - 1)))
        for k in ("student", "welch"):
            c[k]["exact"]["cohens_d"] = s(d_exact)
            c[k]["exact"]["hedges_g"] = s(d_exact * hedges_j(n1_ + n2_ - 2))
            c[k]["exact"]["call"] = "fractions.Fraction moments of the doubles; mpmath betainc (40 digits) for p; scipy t.ppf for the CI quantile"
        c["summary"] = {"n1": len(x), "mean1": s(np.mean(x)), "sd1": s(np.std(x, ddof=1)),
                        "n2": len(y), "mean2": s(np.mean(y)), "sd2": s(np.std(y, ddof=1))}
        if len(x) == len(y) or True:
            m = min(len(x), len(y))
            if m >= 2:
                r = stats.ttest_rel(x[:m], y[:m])
                ci = r.confidence_interval(0.95)
                dd = x[:m] - y[:m]
                c["paired"] = {"call": "scipy.stats.ttest_rel(x[:m], y[:m]) with m = min(len(x), len(y))", "m": m,
                               "t": s(r.statistic), "df": s(r.df), "p": s(r.pvalue), "ci": [s(ci.low), s(ci.high)],
                               "cohens_d": s(np.mean(dd) / np.std(dd, ddof=1))}
                md, vd = mp_moments([Fr(float(a)) - Fr(float(b)) for a, b in zip(x[:m], y[:m])])
                c["paired"]["exact"] = t_exact(mpf(md), mp.sqrt(mpf(vd) / m), mp.mpf(m - 1))
                c["paired"]["exact"]["cohens_d"] = s(mpf(md) / mp.sqrt(mpf(vd)))
        cases.append(c)
    write("ttests.json", {"cases": cases})

# ---------------------------------------------------------------------------------------------- ANOVA
def exact_ss(groups):
    g = [[Fr(float(v)) for v in grp] for grp in groups]
    allv = [v for grp in g for v in grp]
    N = len(allv); gm = sum(allv) / N
    ssb = sum(len(grp) * (sum(grp) / len(grp) - gm) ** 2 for grp in g)
    ssw = sum(sum((v - sum(grp) / len(grp)) ** 2 for v in grp) for grp in g)
    return ssb, ssw

def acases():
    cases = []
    specs = [
        ([10, 12, 15], [3.0, 3.4, 3.9], [1.0, 1.1, 0.9], 1),
        ([5, 50, 7, 20], [10.0, 10.5, 9.0, 11.0], [1.0, 3.0, 0.5, 2.0], 2),
        ([104, 150, 87], [3.86, 3.52, 3.70], [0.8, 1.1, 0.95], 0),
        ([3, 3], [1.0, 5.0], [0.1, 0.2], 3),
        ([25, 25, 25, 25, 25], [0.0, 0.1, 0.2, 0.1, 0.0], [1, 1, 1, 1, 1], 3),
    ]
    for i, (ns, ms, sds, dec) in enumerate(specs):
        groups = [np.round(rng.normal(m, sd, n), dec) for n, m, sd in zip(ns, ms, sds)]
        if dec == 0:
            groups = [np.clip(g, 1, 5) for g in groups]
        f = stats.f_oneway(*groups)
        ae = anova_oneway(groups, use_var="equal")
        aw = anova_oneway(groups, use_var="unequal", welch_correction=True)
        ssb, ssw = exact_ss(groups)
        cases.append({
            "name": f"anova{i+1}", "groups": [arr(g) for g in groups],
            "summaries": [{"n": len(g), "mean": s(np.mean(g)), "sd": s(np.std(g, ddof=1))} for g in groups],
            "classic": {"call": "scipy.stats.f_oneway(*groups); statsmodels anova_oneway(groups, use_var='equal'); SS exact via fractions.Fraction",
                        "f": s(f.statistic), "p": s(f.pvalue), "f_statsmodels": s(ae.statistic),
                        "df1": s(ae.df_num), "df2": s(ae.df_denom),
                        "ss_between": s(ssb), "ss_within": s(ssw), "eta_squared": s(ssb / (ssb + ssw))},
            "welch": {"call": "statsmodels.stats.oneway.anova_oneway(groups, use_var='unequal', welch_correction=True)",
                      "f": s(aw.statistic), "df1": s(aw.df_num), "df2": s(aw.df_denom), "p": s(aw.pvalue)},
        })
    write("anova.json", {"cases": cases})

# ---------------------------------------------------------------------------------------------- proportions
def pcases():
    one, two = [], []
    for count, nobs, p0 in [(76, 104, 0.56), (12, 150, 0.10), (500, 1000, 0.5), (3, 20, 0.4), (980, 1000, 0.9)]:
        z_s, p_s = proportions_ztest(count, nobs, value=p0)
        z_n, p_n = proportions_ztest(count, nobs, value=p0, prop_var=p0)
        _, p_n_right = proportions_ztest(count, nobs, value=p0, prop_var=p0, alternative="larger")
        w = proportion_confint(count, nobs, alpha=0.05, method="wilson")
        nrm = proportion_confint(count, nobs, alpha=0.05, method="normal")
        # One-sided 95 % intervals: each bound of the two-sided interval at level 1 − 2α = 0.90 (all of α in one
        # tail), with the open end at the edge of [0, 1].
        w90 = proportion_confint(count, nobs, alpha=0.10, method="wilson")
        one.append({"count": s(count), "n": s(nobs), "p0": s(p0),
                    "call": "statsmodels proportions_ztest(count, nobs, value=p0) [sample variance] and prop_var=p0 [null variance]; proportion_confint(method='wilson'|'normal'); one-sided: proportion_confint(alpha=0.10, method='wilson') bound with 0 or 1",
                    "z_sample": s(z_s), "p_sample": s(p_s), "z_null": s(z_n), "p_null": s(p_n), "p_null_right": s(p_n_right),
                    "ci_wilson": arr(w), "ci_wald": arr(nrm),
                    "ci_wilson_greater": arr([w90[0], 1.0]), "ci_wilson_less": arr([0.0, w90[1]])})
    # Published-percent form: 74 % of 104 vs 56 % of 150 → counts 76.96 and 84 (non-integer counts are fine).
    for c1, n1, c2, n2 in [(76, 104, 84, 150), (0.74 * 104, 104, 0.56 * 150, 150), (30, 300, 45, 310), (5, 12, 1, 15), (400, 800, 405, 820)]:
        z, p = proportions_ztest([c1, c2], [n1, n2])
        _, p_right = proportions_ztest([c1, c2], [n1, n2], alternative="larger")
        ci = confint_proportions_2indep(c1, n1, c2, n2, method="wald", compare="diff")
        ci90 = confint_proportions_2indep(c1, n1, c2, n2, method="wald", compare="diff", alpha=0.10)
        two.append({"count1": s(c1), "n1": s(n1), "count2": s(c2), "n2": s(n2),
                    "call": "statsmodels proportions_ztest([c1, c2], [n1, n2]) (pooled); confint_proportions_2indep(c1, n1, c2, n2, method='wald'); one-sided: the alpha=0.10 bound with -1 or 1",
                    "z": s(z), "p": s(p), "p_right": s(p_right), "ci_wald": arr(ci),
                    "ci_wald_greater": arr([ci90[0], 1.0]), "ci_wald_less": arr([-1.0, ci90[1]])})
    # Wilson at the edges, in 40-digit arithmetic: at x = 0 the lower end is 0 exactly (center − h cancels,
    # which in double left 1.4e-17) and the upper z²/(n + z²); at x = n symmetrically.
    z = mp.sqrt(2) * mp.erfinv(mp.mpf("0.95"))
    edges = []
    for count, nobs in [(0, 20), (20, 20), (0, 1), (7, 7), (0, 1000)]:
        p = mp.mpf(count) / nobs
        center = (p + z * z / (2 * nobs)) / (1 + z * z / nobs)
        h = z / (1 + z * z / nobs) * mp.sqrt(p * (1 - p) / nobs + z * z / (4 * nobs * nobs))
        edges.append({"count": s(count), "n": s(nobs), "call": "mpmath (dps 40) Wilson score bounds, z = sqrt(2)*erfinv(0.95)",
                      "ci_wilson": arr([center - h, center + h])})
    write("proportions.json", {"one_sample": one, "two_sample": two, "wilson_edges": edges})

# ---------------------------------------------------------------------------------------------- cross-tabs
def ccases():
    cases = []
    tables = [
        [[20, 15, 5], [10, 25, 30]],
        [[12, 5], [3, 9]],
        [[3, 1, 0, 2], [4, 6, 2, 1], [10, 2, 3, 7]],
        [[12.5, 7.25, 3.0], [4.75, 9.5, 11.0]],      # weighted counts
        [[200, 150], [180, 210]],
        [[8, 2], [1, 5]],
    ]
    for i, t in enumerate(tables):
        t = np.array(t, dtype=float)
        r = stats.chi2_contingency(t, correction=False)
        g = stats.chi2_contingency(t, correction=False, lambda_="log-likelihood")
        v = contingency.association(t.astype(int), method="cramer") if np.all(t == np.round(t)) else None
        if v is None:
            v = float(np.sqrt(r.statistic / (t.sum() * (min(t.shape) - 1))))
        c = {"name": f"table{i+1}", "counts": [arr(row) for row in t],
             "call": "scipy.stats.chi2_contingency(t, correction=False) / (..., lambda_='log-likelihood'); scipy.stats.contingency.association(t, method='cramer')",
             "chi2": s(r.statistic), "p": s(r.pvalue), "df": s(r.dof), "expected": [arr(row) for row in r.expected_freq],
             "g2": s(g.statistic), "g2_p": s(g.pvalue), "cramers_v": s(v),
             "expected_below_5": int((r.expected_freq < 5).sum())}
        if t.shape == (2, 2):
            y = stats.chi2_contingency(t, correction=True)
            c["yates_chi2"] = s(y.statistic)
            if np.all(t == np.round(t)):
                fe = stats.fisher_exact(t.astype(int))
                c["fisher"] = {"call": "scipy.stats.fisher_exact(t)", "odds_ratio": s(fe.statistic), "p": s(fe.pvalue),
                               "p_greater": s(stats.fisher_exact(t.astype(int), alternative="greater").pvalue),
                               "p_less": s(stats.fisher_exact(t.astype(int), alternative="less").pvalue)}
        cases.append(c)
    # A table with an empty row: the reference drops the row (scipy cannot take zero expected counts).
    t = np.array([[10, 20, 30], [0, 0, 0], [15, 10, 5]], dtype=float)
    r = stats.chi2_contingency(t[[0, 2]], correction=False)
    cases.append({"name": "empty_row", "counts": [arr(row) for row in t],
                  "call": "scipy.stats.chi2_contingency(t[[0, 2]], correction=False) (empty row removed)",
                  "chi2": s(r.statistic), "p": s(r.pvalue), "df": s(r.dof)})
    write("crosstab.json", {"cases": cases})

# ---------------------------------------------------------------------------------------------- descriptives, Likert
def dcases():
    x = np.round(rng.normal(50, 10, 40), 2)
    w = np.round(rng.uniform(0.2, 3.0, 40), 3)
    fw = rng.integers(1, 5, 40)
    n = len(x)
    d = DescrStatsW(x, weights=w, ddof=1)
    da = DescrStatsW(x, weights=w * n / w.sum(), ddof=1)
    m = d.mean
    # Stata pweight SE of the mean: sqrt(n/(n-1) * sum(w^2 (x-m)^2)) / sum(w)  (exact in Fraction)
    xf = [Fr(float(v)) for v in x]; wf = [Fr(float(v)) for v in w]
    W = sum(wf); mf = sum(a * b for a, b in zip(xf, wf)) / W
    pse2 = Fr(n, n - 1) * sum(b * b * (a - mf) ** 2 for a, b in zip(xf, wf)) / (W * W)
    df_ = DescrStatsW(x, weights=fw, ddof=1)
    expanded = np.repeat(x, fw)
    doc = {"x": arr(x), "weights": arr(w), "frequency_weights": [int(v) for v in fw],
           "frequency": {"call": "statsmodels DescrStatsW(x, weights=w, ddof=1).mean / .std / .std_mean",
                         "mean": s(d.mean), "sd": s(d.std), "se": s(d.std_mean), "sum_weights": s(d.sum_weights)},
           "analytic": {"call": "statsmodels DescrStatsW(x, weights=w*n/sum(w), ddof=1).std / .std_mean",
                        "mean": s(da.mean), "sd": s(da.std), "se": s(da.std_mean)},
           "probability": {"call": "sqrt(n/(n-1)·Σw²(x−x̄w)²)/Σw in fractions.Fraction (Stata mean [pweight] SE)",
                           "mean": s(m), "se": s(float(pse2) ** 0.5)},
           "integer_frequency": {"call": "statsmodels DescrStatsW(x, weights=fw, ddof=1); numpy.median(numpy.repeat(x, fw))",
                                 "mean": s(df_.mean), "sd": s(df_.std), "median": s(np.median(expanded))},
           "unweighted": {"call": "numpy mean, std(ddof=1), median, min, max",
                          "mean": s(np.mean(x)), "sd": s(np.std(x, ddof=1)), "median": s(np.median(x)),
                          "min": s(x.min()), "max": s(x.max())}}
    # Likert item: scale 1..5, 6 = "vet ikke" (declared missing), NaN = system missing, point 2 unused.
    vals = rng.choice([1, 3, 4, 5, 6, np.nan], size=157, p=[0.1, 0.25, 0.35, 0.2, 0.06, 0.04])
    lw = np.round(rng.uniform(0.5, 2.0, 157), 2)
    valid = vals[(vals >= 1) & (vals <= 5)]
    vw = lw[(vals >= 1) & (vals <= 5)]
    dl = DescrStatsW(valid, weights=vw, ddof=1)
    doc["likert"] = {"values": [("nan" if np.isnan(v) else s(v)) for v in vals], "weights": arr(lw),
                     "call": "numpy on the valid answers (1..5): mean, std(ddof=1), median, counts; DescrStatsW(valid, weights=w, ddof=1) for weighted",
                     "n": int(len(valid)), "system_missing": int(np.isnan(vals).sum()), "code6": int((vals == 6).sum()),
                     "mean": s(np.mean(valid)), "sd": s(np.std(valid, ddof=1)), "se": s(np.std(valid, ddof=1) / np.sqrt(len(valid))),
                     "median": s(np.median(valid)),
                     "counts": [int((valid == k).sum()) for k in range(1, 6)],
                     "percent": arr([100 * (valid == k).mean() for k in range(1, 6)]),
                     "percent_of_all": arr([100 * (valid == k).sum() / len(vals) for k in range(1, 6)]),
                     "top_box_4_5": s(100 * np.isin(valid, [4, 5]).mean()),
                     "weighted_mean": s(dl.mean), "weighted_sd": s(dl.std),
                     "weighted_top_box_4_5": s(100 * vw[np.isin(valid, [4, 5])].sum() / vw.sum())}
    write("descriptive.json", doc)

# ---------------------------------------------------------------------------------------------- statistic → p
def scases():
    f = [(21.0, 8, 180), (1.1804623744025478, 4, 20), (3.2, 2, 1500), (250.0, 3, 40), (0.4, 5, 12), (2.5, 3, 1e6), (1.0e-3, 2, 30)]
    t = [(2.0, 10), (-3.7, 25.3), (12.5, 200), (0.3, 3), (40.0, 1000), (3.0, 1e6), (0.001, 5e5), (1e-9, 10), (-25.0, 2.5)]
    z = [1.96, -2.5, 8.0, 0.1, 30.0]
    c = [(3.84, 1), (25.0, 4), (0.5, 2), (300.0, 12)]
    hj = [2, 3, 10, 57.3, 99, 100, 101, 1000, 123456.0]
    doc = {
        "f": [{"call": "scipy.stats.f.sf(F, df1, df2)", "f": s(a), "df1": s(b), "df2": s(d_), "p": s(stats.f.sf(a, b, d_)),
               "r_squared": s(Fr(a) * b / (Fr(a) * b + d_))} for a, b, d_ in f],
        "t": [{"call": "2*scipy.stats.t.sf(|t|, df); t.sf(t, df)", "t": s(a), "df": s(b), "p": s(2 * stats.t.sf(abs(a), b)),
               "p_right": s(stats.t.sf(a, b))} for a, b in t],
        "z": [{"call": "2*scipy.stats.norm.sf(|z|)", "z": s(a), "p": s(2 * stats.norm.sf(abs(a)))} for a in z],
        "chi2": [{"call": "scipy.stats.chi2.sf(x, df)", "chi2": s(a), "df": s(b), "p": s(stats.chi2.sf(a, b))} for a, b in c],
        "hedges_j": [{"call": "mpmath gamma(df/2)/(sqrt(df/2)*gamma((df-1)/2)), 40 digits", "df": s(d_), "j": s(hedges_j(d_))} for d_ in hj],
    }
    write("summary_stats.json", doc)

if __name__ == "__main__":
    tcases(); acases(); pcases(); ccases(); dcases(); scases()
