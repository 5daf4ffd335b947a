#!/usr/bin/env python3
"""Reference values for SurveyStats' special functions and distributions, computed with mpmath at 50 digits.

Usage (from the repository root):
    python3 scripts/reference/distributions.py                 # the grid  -> .../distributions/reference.json
    python3 scripts/reference/distributions.py --random-only   # random points (fixed seed) -> .../random.json

Writes Tests/SurveyStatsTests/Fixtures/distributions/reference.json (about 20 minutes on one core). Every argument is a Double (the value the
Swift test passes), converted exactly to an mpmath number; every expected value is the correctly rounded Double of
the 50-digit result. Points whose result is not a normal Double (|v| < 1e-300 or > 1e300, or 0/inf) are skipped,
except for the log-scale functions, which exist precisely for those tails.

Methods (all at mp.dps = 50):
  normal       erfc(z/sqrt 2)/2, log via mpmath.log of the 50-digit value
  chi2, P/Q    series (P, x < a+1) or Legendre continued fraction (Q) in 70-digit arithmetic, validated against
               mpmath.gammainc for moderate a (whose hypergeometric series stalls for a ~ 1e5)
  t, F, I_x    the continued fraction of I_x(a, b) on its convergent side, in 70-digit arithmetic with the
               front factor from mpmath.loggamma (mpmath.betainc's hypergeometric series fails to converge for
               a, b in the thousands); validated at start-up against mpmath.betainc for moderate parameters and
               against mpmath.quad of the beta density for large ones (see check_cf_independently)
  quantiles    Newton's method in 50-digit arithmetic on log(tail) vs log(x), started from scipy's ppf/isf
               (scipy only supplies the starting point), iterated until |step| < 1e-40
scipy is NOT used for any expected value.
"""
import json
import math
import os
import sys

import mpmath as mp
from mpmath import mpf

mp.mp.dps = 50
TINY, HUGE = 1e-300, 1e300
cases = []


def D(v):
    """Exact mpf of a Double."""
    return mpf(float(v))


def add(function, params, x, value, region, log_scale=False):
    v = float(value)
    if not log_scale:
        if v == 0 or math.isinf(v) or abs(v) < TINY or abs(v) > HUGE:
            return
    elif math.isinf(v) or 0 < abs(v) < TINY:   # subnormal logs (log(1 - 1e-323)) carry no relative accuracy
        return
    cases.append({"function": function, "params": [float(p) for p in params], "x": float(x),
                  "expected": v, "region": region})


# ---------------------------------------------------------------- incomplete beta reference
def ibeta_cf(a, b, x, y=None):
    """I_x(a, b) by the continued fraction (x < (a+1)/(a+b+2)), in the current (raised) precision."""
    tiny = mpf(10) ** (-200)
    qab, qap, qam = a + b, a + 1, a - 1
    c = mpf(1)
    d = 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10**7):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d; d = d if abs(d) > tiny else tiny
        c = 1 + aa / c; c = c if abs(c) > tiny else tiny
        d = 1 / d; h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d; d = d if abs(d) > tiny else tiny
        c = 1 + aa / c; c = c if abs(c) > tiny else tiny
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < mpf(10) ** (-55):
            break
    else:
        raise RuntimeError("continued fraction did not converge")
    y = 1 - x if y is None else y
    logfront = a * mp.log(x) + b * mp.log(y) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b))
    return mp.exp(logfront) * h / a


def ibeta_pair(a, b, x, y=None):
    """(I_x(a,b), 1 - I_x(a,b)) to ~50 digits, both sides accurate: the continued fraction on its convergent side.
    y = 1 - x may be given separately (callers form it without cancellation)."""
    a, b, x = mpf(a), mpf(b), mpf(x)
    with mp.workdps(70):
        y = 1 - x if y is None else mpf(y)
        if x < (a + 1) / (a + b + 2):
            lo = ibeta_cf(a, b, x, y)
            return +lo, +(1 - lo)
        hi = ibeta_cf(b, a, y, x)
        return +(1 - hi), +hi


def check_cf_independently():
    """Self-check of the continued fraction: against mpmath.betainc (hypergeometric) for moderate parameters, and
    against numerical integration of the density (mpmath.quad) for large ones."""
    for (a, b, x) in [(3.65, 120.5, 0.003), (50.0, 0.5, 0.999), (20.0, 30.0, 0.41), (0.5, 90.0, 1e-4),
                      (0.5, 0.5, 0.3), (2.0, 3.0, 0.9)]:
        a, b, x = mpf(a), mpf(b), mpf(x)
        with mp.workdps(70):
            ref = mp.betainc(a, b, 0, x, regularized=True)
            lo, _ = ibeta_pair(a, b, x)
            assert abs(lo - ref) <= abs(ref) * mpf(10) ** -40, (a, b, x, ref, lo)
    for (a, b, x) in [(5e5, 0.5, 1 - 3e-6), (2000.0, 3000.0, 0.38), (5e5, 5e5, 0.499)]:
        a, b, x = mpf(a), mpf(b), mpf(x)
        with mp.workdps(60):
            lb = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)
            dens = lambda t: mp.exp((a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t) - lb)
            mode = (a - 1) / (a + b - 2) if a > 1 and b > 1 else x
            sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
            pts = sorted(set([mpf(0)] + [v for v in (mode - 40 * sd, mode - 10 * sd, mode - 3 * sd, mode - sd)
                                          if 0 < v < x] + [x]))
            ref = mp.quad(dens, pts)
            lo, _ = ibeta_pair(a, b, x)
            assert abs(lo - ref) <= abs(ref) * mpf(10) ** -25, (a, b, x, ref, lo)


# ---------------------------------------------------------------- distributions in mp
def norm_sf(z):
    return mp.erfc(z / mp.sqrt(2)) / 2


def norm_pdf(z):
    return mp.npdf(z)


def t_pair(t, df):
    """(cdf, sf)."""
    t, df = mpf(t), mpf(df)
    if t == 0:
        return mpf(0.5), mpf(0.5)
    with mp.workdps(80):
        x = df / (df + t * t)
        y = t * t / (df + t * t)
    w, w1 = ibeta_pair(df / 2, mpf(1) / 2, x, y)   # w = P(|T| > |t|)
    tail, body = w / 2, 1 - w / 2
    return (tail, body) if t < 0 else (body, tail)


def t_pdf(t, df):
    t, df = mpf(t), mpf(df)
    return mp.exp(mp.loggamma((df + 1) / 2) - mp.loggamma(df / 2)) / mp.sqrt(df * mp.pi) * (1 + t * t / df) ** (-(df + 1) / 2)


def igamma_pair(a, x):
    """(P(a, x), Q(a, x)) to ~50 digits: power series for P when x < a + 1, else Legendre's continued fraction
    for Q, in 70-digit arithmetic (mpmath.gammainc's hypergeometric series stalls for a ~ 1e5 and beyond);
    validated at start-up against mpmath.gammainc for moderate a."""
    a, x = mpf(a), mpf(x)
    eps = mpf(10) ** -60
    with mp.workdps(70):
        logfront = a * mp.log(x) - x - mp.loggamma(a)
        if x < a + 1:
            term = total = mpf(1)
            ap = a
            for _ in range(10**7):
                ap += 1
                term *= x / ap
                total += term
                if term < total * eps:
                    break
            else:
                raise RuntimeError("series did not converge")
            lo = mp.exp(logfront) * total / a
            return +lo, +(1 - lo)
        tiny = mpf(10) ** -200
        b = x + 1 - a
        c, d = 1 / tiny, 1 / b
        h = d
        for i in range(1, 10**7):
            an = -i * (i - a)
            b += 2
            d = an * d + b; d = d if abs(d) > tiny else tiny
            c = b + an / c; c = c if abs(c) > tiny else tiny
            d = 1 / d
            delta = d * c
            h *= delta
            if abs(delta - 1) < eps:
                break
        else:
            raise RuntimeError("continued fraction did not converge")
        hi = mp.exp(logfront) * h
        return +(1 - hi), +hi


def check_igamma_independently():
    for a, x in [(0.5, 0.1), (0.5, 3), (2.5, 30), (10, 9), (100, 90), (100, 150), (3.65, 1e-8), (50, 300)]:
        a, x = mpf(a), mpf(x)
        with mp.workdps(70):
            lo_ref = mp.gammainc(a, 0, x, regularized=True)
            hi_ref = mp.gammainc(a, x, mp.inf, regularized=True)
        lo, hi = igamma_pair(a, x)
        assert abs(lo - lo_ref) <= lo_ref * mpf(10) ** -40 and abs(hi - hi_ref) <= hi_ref * mpf(10) ** -40, (a, x)


def chi2_pair(x, k):
    return igamma_pair(mpf(k) / 2, mpf(x) / 2)


def chi2_pdf(x, k):
    x, k = mpf(x), mpf(k)
    return mp.exp((k / 2 - 1) * mp.log(x) - x / 2 - (k / 2) * mp.log(2) - mp.loggamma(k / 2))


def f_pair(f, d1, d2):
    f, d1, d2 = mpf(f), mpf(d1), mpf(d2)
    with mp.workdps(80):
        x = d1 * f / (d1 * f + d2)
        y = d2 / (d1 * f + d2)
    return ibeta_pair(d1 / 2, d2 / 2, x, y)


def f_pdf(f, d1, d2):
    f, d1, d2 = mpf(f), mpf(d1), mpf(d2)
    lb = mp.loggamma(d1 / 2) + mp.loggamma(d2 / 2) - mp.loggamma((d1 + d2) / 2)
    return mp.exp((d1 / 2) * mp.log(d1 * f) + (d2 / 2) * mp.log(d2) - ((d1 + d2) / 2) * mp.log(d1 * f + d2) - lb) / f


# ---------------------------------------------------------------- quantiles by Newton in mp
def invert(tail, pdf, target, guess, decreasing):
    """x > 0 with tail(x) = target, in 50-digit arithmetic: bracket u = log x by a growing search from the guess
    (scipy's value when finite, else 1), then Newton on log tail vs u, safeguarded by bisection of the bracket."""
    lt = mp.log(mpf(target))
    sign = -1 if decreasing else 1

    def h(u):
        """sign * (log tail(e^u) - log target): increasing in u."""
        v = tail(mp.exp(u))
        if v <= 0:   # the tail vanished: far out on the side where it decays
            return mp.inf if decreasing else -mp.inf
        return sign * (mp.log(v) - lt)

    u0 = mp.log(mpf(guess)) if (guess is not None and math.isfinite(guess) and guess > 0) else mpf(0)
    step = mpf("0.01")
    if h(u0) < 0:
        lo = u0
        while h(lo + step) < 0:
            lo, step = lo + step, step * 2
            if step > 4000:
                raise RuntimeError("no bracket")
        hi = lo + step
    else:
        hi = u0
        while h(hi - step) >= 0:
            hi, step = hi - step, step * 2
            if step > 4000:
                raise RuntimeError("no bracket")
        lo = hi - step
    u = (lo + hi) / 2
    for _ in range(400):
        fv = h(u)
        if fv < 0:
            lo = u
        else:
            hi = u
        un = (lo + hi) / 2
        if mp.isfinite(fv):
            x = mp.exp(u)
            slope = x * pdf(x) / tail(x)   # |d log tail / d log x|
            newton = u - fv / slope
            if lo < newton < hi:
                un = newton
        if abs(un - u) < mpf(10) ** -40 or hi - lo < mpf(10) ** -40:
            return mp.exp(un)
        u = un
    raise RuntimeError(f"quantile iteration did not converge: target {target}, last x {mp.nstr(mp.exp(u), 20)}")


def region_for_p(p):
    p = min(p, 1 - p) if p < 1 else 0
    if p < 1e-100:
        return "p<1e-100"
    if p < 1e-10:
        return "p<1e-10"
    return "central"


def df_class(*dfs):
    m = max(dfs)
    return "df>1e3" if m > 1e3 else ("df>10" if m > 10 else "df<=10")


P_GRID = [1e-300, 1e-100, 1e-10, 0.001, 0.025, 0.5, 0.975, 0.999, 1 - 1e-10]


def add_pair(name, params, x, lo, hi, pdf, region_df):
    for fn, v, other in (("cdf", lo, hi), ("sf", hi, lo)):
        add(f"{name}.{fn}", params, x, v, f"{region_df},{region_for_p(float(v)) if v > 0 else 'p<1e-100'}")
        if v > 0:
            # log of a value near 1 from its small complement (v itself is rounded to 50 digits)
            logv = mp.log1p(-other) if other < 0.5 else mp.log(v)
            add(f"{name}.log{fn}", params, x, logv, f"{region_df},log", log_scale=True)
    if pdf is not None:
        add(f"{name}.pdf", params, x, pdf, f"{region_df},pdf")


def random_cases(seed=20260523, n_beta=160, n_gamma=100):
    """Random points (fixed seed) over the whole parameter space, to catch region-selection mistakes that a
    hand-picked grid would miss: a, b log-uniform in [0.05, 2e6], x spread around the mean in units of the sd
    (and at random quantiles of log x), gamma likewise."""
    import random
    rng = random.Random(seed)
    for _ in range(n_beta):
        a = float(f"{10 ** rng.uniform(math.log10(0.05), math.log10(2e6)):.6g}")
        b = float(f"{10 ** rng.uniform(math.log10(0.05), math.log10(2e6)):.6g}")
        mean = a / (a + b)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        if rng.random() < 0.7:
            x = mean + rng.uniform(-12, 12) * sd
        else:
            x = 10 ** rng.uniform(-12, 0)
        x = float(f"{x:.8g}")
        if not 0 < x < 1:
            continue
        lo, hi = ibeta_pair(a, b, D(x))
        region = "random"
        add("regularizedBeta", [a, b], x, lo, region)
        add("regularizedBetaComplement", [a, b], x, hi, region)
    for _ in range(n_gamma):
        a = float(f"{10 ** rng.uniform(math.log10(0.05), math.log10(2e6)):.6g}")
        x = a + rng.uniform(-15, 15) * math.sqrt(a) if rng.random() < 0.7 else 10 ** rng.uniform(-8, 3) * a
        x = float(f"{x:.8g}")
        if x <= 0:
            continue
        lo, hi = igamma_pair(D(a), D(x))
        add("regularizedGammaP", [a], x, lo, "random")
        add("regularizedGammaQ", [a], x, hi, "random")


def main():
    import scipy.stats as st   # starting points for the quantile Newton iterations only

    if "--random-only" in sys.argv:
        # Second fixture: random points (see random_cases); written to random.json.
        check_cf_independently()
        check_igamma_independently()
        random_cases()
        write("random.json", "python3 scripts/reference/distributions.py --random-only")
        return

    check_cf_independently()
    check_igamma_independently()

    # ---- special functions
    for x in [1e-10, 1e-3, 0.5, 0.9, 0.999, 1 - 2**-30, 1 + 2**-30, 1.001, 1.5, 1.9, 1.999, 2 - 2**-30,
              2 + 2**-30, 2.001, 2.5, 3, 7.3, 10, 10.5, 100.5, 12345.678, 5e5, 1e6 + 0.5, 1e15]:
        add("logGamma", [], x, mp.loggamma(D(x)), "logGamma")
    for a, b in [(0.5, 0.5), (1, 1), (0.5, 5e5), (5e5, 5e5), (3.65, 120.5), (1, 1e6), (10, 10), (9.5, 12.5),
                 (1e-3, 2), (1e5, 3e5), (0.5, 1e12)]:
        add("logBeta", [a, b], 0, mp.loggamma(D(a)) + mp.loggamma(D(b)) - mp.loggamma(D(a) + D(b)), "logBeta")
    for x in [-0.999, -0.7, -0.5, -0.3, -1e-3, -1e-9, 1e-9, 1e-4, 0.2, 0.5, 0.6, 3, 1e10]:
        add("log1pmx", [], x, mp.log1p(D(x)) - D(x), "log1pmx")
    beta_points = [(0.3, 2, 3), (1e-4, 0.5, 0.5), (0.999, 0.5, 0.5), (0.5, 5e5, 5e5), (0.5005, 5e5, 5e5),
                   (0.4, 1e3, 1e3), (0.999999, 5e5, 0.5), (1e-7, 0.5, 5e5), (0.2, 50, 200), (0.05, 50, 200),
                   (0.7, 7.3, 3.65), (1e-3, 10, 1e4), (0.01, 1e4, 10), (0.6, 1e5, 1e5)]
    for x, a, b in beta_points:
        lo, hi = ibeta_pair(a, b, D(x))
        add("regularizedBeta", [a, b], x, lo, "ibeta," + region_for_p(float(min(lo, hi))))
        add("regularizedBetaComplement", [a, b], x, hi, "ibeta," + region_for_p(float(min(lo, hi))))
    gamma_points = [(0.5, 0.1), (0.5, 3), (1, 1e-5), (2.5, 30), (5, 1000), (10, 10), (10, 40), (100, 90),
                    (100, 150), (5e5, 5e5), (5e5, 5e5 + 3000), (5e5, 4.9e5), (0.5, 700), (3.65, 1e-8)]
    for a, x in gamma_points:
        lo, hi = igamma_pair(D(a), D(x))
        add("regularizedGammaP", [a], x, lo, "igamma," + region_for_p(float(min(lo, hi))))
        add("regularizedGammaQ", [a], x, hi, "igamma," + region_for_p(float(min(lo, hi))))

    # ---- normal
    for z in [-38, -20, -10, -5, -1.96, -0.5, -1e-8, 0, 1e-8, 0.3, 1, 1.96, 3, 5, 8, 10, 20, 30, 37, 38, 38.4]:
        sf = norm_sf(D(z)); cdf = norm_sf(-D(z))
        add_pair("norm", [], z, cdf, sf, norm_pdf(D(z)), "normal")
    for z in [40, 100, 1e3, 1e5]:
        add("norm.logsf", [], z, mp.log(norm_sf(D(z))), "normal,log", log_scale=True)
        add("norm.logcdf", [], -z, mp.log(norm_sf(D(z))), "normal,log", log_scale=True)
    for p in P_GRID + [0.25, 0.3, 0.49, 0.51]:
        q = float(p)
        if q == 0.5:
            continue   # exactly 0; checked in the unit tests
        tail = q if q < 0.5 else 1 - q   # exact in double
        y = invert(norm_sf, norm_pdf, D(tail), st.norm.isf(tail), True)
        zq = -y if q < 0.5 else y
        add("norm.quantile", [], q, zq, "normal," + region_for_p(q))
        add("norm.isf", [], q, -zq, "normal," + region_for_p(q))

    # ---- Student t
    t_dfs = [1, 2, 3, 4.5, 7.3, 10, 30, 100, 241, 1e3, 1e4, 1e5, 1e6]
    t_points = [-40, -5, -2, -0.5, 0, 1e-6, 0.1, 0.7, 1, 1.96, 2, 3.5, 5, 10, 40, 1e3, 1e10]
    for df in t_dfs:
        for t in t_points:
            lo, hi = t_pair(D(t), D(df))
            add_pair("t", [df], t, lo, hi, t_pdf(D(t), D(df)), df_class(df))
        for p in P_GRID:
            q = float(p)
            if q == 0.5:
                continue   # exactly 0; checked in the unit tests
            for kind, sign in (("isf", 1), ("quantile", -1)):
                # isf(q) solves sf(t) = q; quantile(p) = -isf(p) by symmetry.
                tail = q
                qq = tail if tail < 0.5 else 1 - tail
                x0 = st.t.isf(qq, df)
                if not (math.isfinite(x0) and x0 > 0):
                    continue
                tq = invert(lambda x: t_pair(x, D(df))[1], lambda x: t_pdf(x, D(df)), D(qq), x0, True)
                v = tq if tail < 0.5 else -tq
                add(f"t.{kind}", [df], q, sign * v, df_class(df) + "," + region_for_p(q))
                # evaluate sf/cdf at the rounded quantile: puts cdf/sf points deep in the tails
                tr = float(v)
                if math.isfinite(tr) and tr != 0:
                    lo, hi = t_pair(D(tr), D(df))
                    add_pair("t", [df], tr, lo, hi, None, df_class(df))
    lo, hi = t_pair(D(40), D(3))
    add("t.sf", [3], 40, hi, "special")

    # ---- chi-squared
    c_dfs = [1, 2, 3, 7.3, 10, 50, 241, 1e3, 1e4, 1e5, 1e6]
    for df in c_dfs:
        xs = [1e-8, 0.01, 0.5, 1, 2, 5, 20, 100, 2000, df / 2, df - 1, df, df + 1,
              df + 3 * math.sqrt(2 * df), df + 30 * math.sqrt(2 * df), 2 * df, 10 * df]
        for x in sorted(set(xs)):
            if x <= 0:
                continue
            lo, hi = chi2_pair(D(x), D(df))
            add_pair("chi2", [df], x, lo, hi, chi2_pdf(D(x), D(df)), df_class(df))
        for p in P_GRID:
            q = float(p)
            pdf = lambda x, df=df: chi2_pdf(x, D(df))
            # quantile(p) solves cdf = p (p<=0.5) else sf = 1-p
            if q <= 0.5:
                x0 = st.chi2.ppf(q, df)
                if x0 > 0 and math.isfinite(x0):
                    v = invert(lambda x: chi2_pair(x, D(df))[0], pdf, D(q), x0, False)
                    add("chi2.quantile", [df], q, v, df_class(df) + "," + region_for_p(q))
                x1 = st.chi2.isf(q, df)
                if x1 > 0 and math.isfinite(x1):
                    v = invert(lambda x: chi2_pair(x, D(df))[1], pdf, D(q), x1, True)
                    add("chi2.isf", [df], q, v, df_class(df) + "," + region_for_p(q))
            else:
                qc = 1 - q   # exact in double
                x0 = st.chi2.isf(qc, df)
                if x0 > 0 and math.isfinite(x0):
                    v = invert(lambda x: chi2_pair(x, D(df))[1], pdf, D(qc), x0, True)
                    add("chi2.quantile", [df], q, v, df_class(df) + "," + region_for_p(q))
                x1 = st.chi2.ppf(qc, df)
                if x1 > 0 and math.isfinite(x1):
                    v = invert(lambda x: chi2_pair(x, D(df))[0], pdf, D(qc), x1, False)
                    add("chi2.isf", [df], q, v, df_class(df) + "," + region_for_p(q))
    lo, hi = chi2_pair(D(2000), D(10))
    add("chi2.logsf", [10], 2000, mp.log(hi), "special", log_scale=True)

    # ---- F
    f_dfs = [(1, 1), (1, 241), (2, 10), (3.5, 7.3), (4, 120), (10, 1e4), (30, 30), (1, 1e6), (5, 1e6),
             (1e3, 1e5), (1e6, 1e6), (1e6, 1), (1e5, 20)]
    f_points = [1e-6, 0.01, 0.1, 0.5, 0.9, 1, 1.01, 1.1, 2, 5, 32.27, 100, 1e4, 1e8]
    for d1, d2 in f_dfs:
        for f in f_points:
            lo, hi = f_pair(D(f), D(d1), D(d2))
            add_pair("f", [d1, d2], f, lo, hi, f_pdf(D(f), D(d1), D(d2)), df_class(d1, d2))
        pdf = lambda x, d1=d1, d2=d2: f_pdf(x, D(d1), D(d2))
        for p in P_GRID:
            q = float(p)
            for kind in ("quantile", "isf"):
                # the tail to solve on: quantile(q): cdf = q if q <= .5 else sf = 1-q; isf(q): sf = q if q <= .5 else cdf = 1-q
                if kind == "quantile":
                    use_cdf, target = (True, q) if q <= 0.5 else (False, 1 - q)
                else:
                    use_cdf, target = (False, q) if q <= 0.5 else (True, 1 - q)
                x0 = st.f.ppf(target, d1, d2) if use_cdf else st.f.isf(target, d1, d2)
                if not (math.isfinite(x0) and x0 > 0):
                    continue
                idx = 0 if use_cdf else 1
                v = invert(lambda x: f_pair(x, D(d1), D(d2))[idx], pdf, D(target), x0, not use_cdf)
                add(f"f.{kind}", [d1, d2], q, v, df_class(d1, d2) + "," + region_for_p(q))
                fr = float(v)
                if math.isfinite(fr) and 0 < fr < 1e300 and fr > 1e-300:
                    lo, hi = f_pair(D(fr), D(d1), D(d2))
                    add_pair("f", [d1, d2], fr, lo, hi, None, df_class(d1, d2))
    lo, hi = f_pair(D(1e4), D(1), D(241))
    add("f.sf", [1, 241], 1e4, hi, "special")

    write("reference.json", "python3 scripts/reference/distributions.py")


def write(name, command):
    out = {
        "generator": "scripts/reference/distributions.py",
        "command": command,
        "mpmath_version": mp.__version__,
        "dps": mp.mp.dps,
        "note": "expected = correctly rounded Double of a 50-digit mpmath result; see the script docstring",
        "cases": cases,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Tests", "SurveyStatsTests", "Fixtures", "distributions", name)
    with open(path, "w") as fh:
        json.dump(out, fh, indent=0)
        fh.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
