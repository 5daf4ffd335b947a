#!/usr/bin/env python3
"""Reference values for the uniform hypothesis-test API (UniformAPIReferenceTests): degrees of freedom, effect
sizes, lower/upper tails of F and χ² tests, Welch-ANOVA ω², and Fisher's exact test on small, large and
extreme tables — computed with scipy / statsmodels / numpy, and for Fisher's p-values also exactly with mpmath
(rational hypergeometric probabilities at 60 digits, R's fisher.test rule for the two-sided p).

Writes Tests/SurveyStatsTests/Fixtures/uniform_api.json. Numbers are written as 17-significant-digit strings
(repr), so the Swift side reads exactly the double Python computed; each case names the call ("call").

Versions used: scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6, mpmath 1.3.0 (Python 3.11).
Usage: python3 scripts/reference/uniform_api_reference.py
"""
import json, os
import numpy as np
import mpmath as mp
from scipy import stats
from scipy.stats import contingency
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep

mp.mp.dps = 60
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests/SurveyStatsTests/Fixtures/uniform_api.json")
VERSIONS = (f"scipy {__import__('scipy').__version__}, statsmodels {__import__('statsmodels').__version__}, "
            f"numpy {np.__version__}, mpmath {mp.__version__}")


def s(x):
    return repr(float(x))


def arr(xs):
    return [s(x) for x in xs]


rng = np.random.default_rng(20261203)
out = {"generator": "scripts/reference/uniform_api_reference.py", "versions": VERSIONS}

# --- t-tests: df, Cohen's d, all three tails -------------------------------------------------------------------
t_cases = []
for (m1, s1, n1, m2, s2, n2) in [(3.86, 0.9, 104, 3.52, 1.1, 150), (10.0, 2.0, 8, 12.5, 4.0, 5)]:
    for welch in (False, True):
        r = {alt: stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=not welch, alternative=alt)
             for alt in ("two-sided", "greater", "less")}
        sp = np.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))
        v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
        df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1)) if welch else n1 + n2 - 2
        t_cases.append({"kind": "welch" if welch else "student", "summary": arr([m1, s1, n1, m2, s2, n2]),
                        "call": f"scipy.stats.ttest_ind_from_stats(..., equal_var={not welch}, alternative=...); df: n1+n2-2 or Welch-Satterthwaite",
                        "t": s(r["two-sided"].statistic), "df": s(df),
                        "p_both": s(r["two-sided"].pvalue), "p_right": s(r["greater"].pvalue), "p_left": s(r["less"].pvalue),
                        "cohens_d": s((m1 - m2) / sp)})
x = np.round(rng.normal(5, 1, 12), 3)
y = np.round(x - 0.4 + rng.normal(0, 0.5, 12), 3)
d = x - y
r = stats.ttest_rel(x, y)
t_cases.append({"kind": "paired", "x": arr(x), "y": arr(y), "call": "scipy.stats.ttest_rel(x, y); d_z = mean(d)/std(d, ddof=1)",
                "t": s(r.statistic), "df": s(r.df), "p_both": s(r.pvalue),
                "p_right": s(stats.ttest_rel(x, y, alternative="greater").pvalue),
                "p_left": s(stats.ttest_rel(x, y, alternative="less").pvalue),
                "cohens_d": s(d.mean() / d.std(ddof=1))})
r = stats.ttest_1samp(x, 4.5)
t_cases.append({"kind": "one-sample", "x": arr(x), "mu0": s(4.5), "call": "scipy.stats.ttest_1samp(x, 4.5)",
                "t": s(r.statistic), "df": s(r.df), "p_both": s(r.pvalue),
                "p_right": s(stats.ttest_1samp(x, 4.5, alternative="greater").pvalue),
                "p_left": s(stats.ttest_1samp(x, 4.5, alternative="less").pvalue),
                "cohens_d": s((x.mean() - 4.5) / x.std(ddof=1))})
out["t_tests"] = t_cases

# --- F and χ² tails ---------------------------------------------------------------------------------------------
out["f_tails"] = [{"f": s(f), "df1": s(a), "df2": s(b), "call": "scipy.stats.f.sf / f.cdf",
                   "upper": s(stats.f.sf(f, a, b)), "lower": s(stats.f.cdf(f, a, b))}
                  for (f, a, b) in [(4.1, 2, 30), (0.05, 3, 40.5), (1e-4, 5, 20), (250.0, 4, 12), (1.0, 1, 1),
                                    (0.9, 7.3, 1e6)]]
out["chi2_tails"] = [{"x": s(x), "df": s(k), "call": "scipy.stats.chi2.sf / chi2.cdf",
                      "upper": s(stats.chi2.sf(x, k)), "lower": s(stats.chi2.cdf(x, k))}
                     for (x, k) in [(3.84, 1), (0.01, 4), (1e-6, 2), (150.0, 6), (9.5, 9.5)]]

# --- ANOVA (classic and Welch) ----------------------------------------------------------------------------------
anovas = []
for spec in [[(12, 5.0, 1.0), (15, 5.6, 1.5), (9, 6.1, 0.7)], [(20, 0.0, 1.0), (25, 0.05, 3.0), (18, -0.1, 0.5), (30, 0.02, 2.0)]]:
    groups = [np.round(rng.normal(mu, sd, n), 4) for (n, mu, sd) in spec]
    eq = anova_oneway(groups, use_var="equal")
    wel = anova_oneway(groups, use_var="unequal")
    allv = np.concatenate(groups)
    ssb = sum(len(g) * (g.mean() - allv.mean()) ** 2 for g in groups)
    sst = ((allv - allv.mean()) ** 2).sum()
    N = len(allv)
    fw, d1w, d2w = float(wel.statistic), float(wel.df_num), float(wel.df_denom)
    anovas.append({
        "groups": [arr(g) for g in groups],
        "call": "statsmodels anova_oneway(groups, use_var='equal' / 'unequal'); scipy.stats.f.cdf for the lower tail; "
                "Welch ω² = df1(F−1)/(df1(F−1)+N) (Carroll & Nordholm 1975) from statsmodels' Welch F",
        "f": s(eq.statistic), "df1": s(eq.df_num), "df2": s(eq.df_denom), "p": s(eq.pvalue),
        "p_lower": s(stats.f.cdf(eq.statistic, eq.df_num, eq.df_denom)), "eta_squared": s(ssb / sst),
        "welch_f": s(fw), "welch_df1": s(d1w), "welch_df2": s(d2w), "welch_p": s(wel.pvalue),
        "welch_p_lower": s(stats.f.cdf(fw, d1w, d2w)), "n": s(N),
        "welch_omega_squared": s(d1w * (fw - 1) / (d1w * (fw - 1) + N)),
    })
out["anova"] = anovas

# --- cross-tabs: χ² tails, G² test, Cramér's V ------------------------------------------------------------------
tabs = []
for t in [[[12, 5, 9], [7, 14, 3]], [[30, 10], [12, 28]], [[5, 5, 5], [5, 5, 6], [4, 6, 5]]]:
    t = np.array(t, dtype=float)
    c = contingency.chi2_contingency(t, correction=False)
    g = contingency.chi2_contingency(t, correction=False, lambda_="log-likelihood")
    tabs.append({"counts": [arr(r) for r in t],
                 "call": "scipy chi2_contingency(t, correction=False[, lambda_='log-likelihood']); chi2.cdf; association(t, 'cramer')",
                 "chi2": s(c.statistic), "df": s(c.dof), "p": s(c.pvalue), "p_lower": s(stats.chi2.cdf(c.statistic, c.dof)),
                 "g2": s(g.statistic), "g2_p": s(g.pvalue), "g2_p_lower": s(stats.chi2.cdf(g.statistic, g.dof)),
                 "cramers_v": s(contingency.association(t.astype(int), method="cramer"))})
out["crosstabs"] = tabs

# --- proportions: Cohen's h, Wald CI of a difference clipped to [−1, 1] -------------------------------------------
props = []
for (x1, n1, x2, n2) in [(77, 104, 84, 150), (9, 10, 0, 3)]:
    z, p = proportions_ztest([x1, x2], [n1, n2])
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="wald", compare="diff")
    p1, p2 = x1 / n1, x2 / n2
    props.append({"x1": s(x1), "n1": s(n1), "x2": s(x2), "n2": s(n2),
                  "call": "statsmodels proportions_ztest([x1, x2], [n1, n2]); confint_proportions_2indep(method='wald') clipped to [-1, 1]",
                  "z": s(z), "p": s(p), "cohens_h": s(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))),
                  "ci_raw": arr([lo, hi]), "ci": arr([max(-1.0, lo), min(1.0, hi)])})
out["two_sample_proportions"] = props

# --- statistic-only summaries -----------------------------------------------------------------------------------
out["f_summaries"] = [{"f": s(f), "df1": s(a), "df2": s(b), "call": "f.sf, f.cdf; R² = F·df1/(F·df1+df2)",
                       "upper": s(stats.f.sf(f, a, b)), "lower": s(stats.f.cdf(f, a, b)), "r_squared": s(f * a / (f * a + b))}
                      for (f, a, b) in [(21.0, 8, 180), (0.3, 2, 97), (3.2, 3, 50)]]

# --- Fisher's exact test ----------------------------------------------------------------------------------------



def bisect(l, h, go_right):
    """Shrinks [l, h] to neighbouring points around the boundary of a monotone test: go_right(mid) says the
    boundary lies right of mid."""
    while h - l > 1:
        mid = (l + h) // 2
        if go_right(mid):
            l = mid
        else:
            h = mid
    return l, h

def fisher_exact_mp(t):
    """Exact p-values at 60 digits: hypergeometric probabilities from binomial coefficients; two-sided by R's rule
    (sum of the tables with P ≤ P_obs·(1 + 1e-7)). Sums start at the largest term and stop once a term is below
    1e-40 of the sum (the terms fall at least geometrically beyond it: log-concave)."""
    (a, b), (c, d) = t
    m, n, k = a + b, c + d, a + c
    lo, hi = max(0, k - n), min(k, m)
    den = mp.binomial(m + n, k)

    def P(x):
        return mp.binomial(m, x) * mp.binomial(n, k - x) / den

    mode = min(hi, max(lo, ((m + 1) * (k + 1)) // (m + n + 2)))

    def tail_sum(start, step, stop):
        tot, x = mp.mpf(0), start
        while (step > 0 and x <= stop) or (step < 0 and x >= stop):
            term = P(x)
            tot += term
            if term < tot * mp.mpf("1e-40") and x != start:
                break
            x += step
        return tot

    def range_sum(l, h):
        peak = min(h, max(l, mode))
        return tail_sum(peak, 1, h) + (tail_sum(peak - 1, -1, l) if peak - 1 >= l else 0)

    greater = range_sum(a, hi)
    less = range_sum(lo, a)
    pobs = P(a) * (1 + mp.mpf("1e-7"))
    if P(mode) <= pobs:
        both = mp.mpf(1)
    else:
        both = mp.mpf(0)
        # left run: lo..kL, right run: kU..hi (the probabilities rise to the mode and fall after it)
        kl = bisect(lo, mode, lambda k: P(k) <= pobs)[0] if P(lo) <= pobs else None
        ku = bisect(mode, hi, lambda k: P(k) > pobs)[1] if P(hi) <= pobs else None
        if kl is not None: both += range_sum(lo, kl)
        if ku is not None: both += range_sum(ku, hi)
    return min(both, 1), min(greater, 1), min(less, 1)


fisher = []
for t in [[[3, 1], [2, 6]], [[12, 5], [7, 14]], [[0, 10], [10, 0]], [[10000, 20000], [30000, 15000]],
          [[0, 500], [500, 0]], [[2, 498], [480, 20]], [[1200, 1300], [1250, 1220]], [[50, 0], [0, 1]],
          [[150000, 149000], [149500, 150500]]]:
    both, greater, less = fisher_exact_mp(t)
    sc = stats.fisher_exact(t)
    case = {"table": t, "call": "mpmath exact (R fisher.test rule, 1e-7); scipy.stats.fisher_exact; "
                                "scipy.stats.contingency.odds_ratio(t, kind='conditional')",
            "p": s(both), "p_greater": s(greater), "p_less": s(less), "log10_p": s(mp.log10(both)) if both > 0 else "-inf",
            "scipy_p": s(sc.pvalue), "scipy_p_greater": s(stats.fisher_exact(t, alternative="greater").pvalue),
            "scipy_p_less": s(stats.fisher_exact(t, alternative="less").pvalue),
            "odds_ratio": s(sc.statistic)}
    if sum(map(sum, t)) <= 100000:
        case["conditional_odds_ratio"] = s(contingency.odds_ratio(np.array(t), kind="conditional").statistic)
    fisher.append(case)
out["fisher"] = fisher

# A table at the size limit (total 2^40 − 200 000): too large for exact sums here, and scipy's hypergeom.sf is off
# in the 4th digit at this size (0.424299 vs 0.424367) and fisher_exact overflows int64. The distribution has
# SD 2^18 and skewness ≈ 1.3e-7, so the continuity-corrected normal approximation is accurate to ~1e-8
# (Edgeworth term skew/6·(z²−1)·φ(z)); the test allows 2e-7.
h = (1 << 38) - 100000
a, m, n, k = h + 200000, 2 * h + 200000, 2 * h, 2 * h + 200000
N = m + n
mu = mp.mpf(m) * k / N
sd = mp.sqrt(mp.mpf(m) * n * k * (N - k) / (mp.mpf(N) ** 2 * (N - 1)))
out["fisher_limit"] = {"table": [[a, h], [h, h]],
                       "call": "mpmath: continuity-corrected normal approximation 1 - ncdf((a - 0.5 - mu)/sd), ncdf((a + 0.5 - mu)/sd)",
                       "p_greater": s(1 - mp.ncdf((a - mp.mpf(0.5) - mu) / sd)), "p_less": s(mp.ncdf((a + mp.mpf(0.5) - mu) / sd)),
                       "p": s(2 * (1 - mp.ncdf((a - mp.mpf(0.5) - mu) / sd))), "tolerance": "2e-7"}

with open(OUT, "w") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
print("wrote", OUT)
