#!/usr/bin/env python3
"""One peer (numpy | pandas | statsmodels | duckdb), one task, one file: prints a JSON line
{"answer": ..., "seconds": {"ingest": s, "compute": s, "total": s}}.

Run as its own process per task so that the harness reads this task's peak RSS from wait4(). Each run reads
the CSV (ingest) and then computes (compute); `total` is what a user waits for, file to answer.

Definitions shared with surveystats-bench (the harness checks the answers agree):
  likert   : per region (levels 1..6) and item q1..q20, answers 1..5 only (9 = declared missing, empty = missing):
             n, mean, sample SD, counts of 1..5
  crosstab : region x edu counts, Pearson chi2 (no continuity correction) and df
  ttest    : Welch t-test of y between gender 1 and 2: t, df, two-sided p
  ols10    : y ~ 1 + x1..x10 (main file); ols50: y ~ 1 + x1..x50 (wide file); coefficients and
             classical SEs, or HC1 SEs with the -hc1 suffix
  ingest   : read the whole file; answer = row count and sum of y
  ols10-mem: compute only, arrays already in memory: y ~ 1 + x1..x10 on the raw float64 file written by
             `peers.py make-bin CSV OUT 10` (columns y, x1..x10), the same file surveystats-bench ols-mem reads;
             "ingest" = np.fromfile + building X, "compute" = lstsq / OLS().fit() alone (-hc1: cov_type="HC1")
"""
import json
import sys
import time

import numpy as np

ITEMS = [f"q{k}" for k in range(1, 21)]


def now():
    return time.perf_counter()


# ---------- shared finishing helpers (pure numpy on tiny arrays; negligible time) ----------

def likert_from_counts(cnt):
    """cnt: (6, 20, 5) counts of codes 1..5 -> n, mean, sd lists."""
    codes = np.arange(1, 6, dtype=np.float64)
    n = cnt.sum(axis=2)
    mean = (cnt * codes).sum(axis=2) / n
    ss = (cnt * (codes[None, None, :] - mean[:, :, None]) ** 2).sum(axis=2)
    sd = np.sqrt(ss / (n - 1))
    return {"groups": [str(g) for g in range(1, 7)], "n": n.tolist(), "mean": mean.tolist(), "sd": sd.tolist(),
            "counts": cnt.astype(int).tolist()}


def chi2_from_counts(c):
    c = np.asarray(c, dtype=np.float64)
    e = c.sum(1)[:, None] * c.sum(0)[None, :] / c.sum()
    x2 = float(((c - e) ** 2 / e).sum())
    return {"counts": c.astype(int).tolist(), "chi2": x2, "df": (c.shape[0] - 1) * (c.shape[1] - 1)}


def welch_from_moments(n1, m1, v1, n2, m2, v2):
    from scipy import stats
    se2 = v1 / n1 + v2 / n2
    t = (m1 - m2) / np.sqrt(se2)
    df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    p = 2 * stats.t.sf(abs(t), df)
    return {"t": float(t), "df": float(df), "p": float(p)}


def read_pandas(path):
    import pandas as pd
    return pd.read_csv(path)


def read_duckdb(path):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header=true)")
    return con


# ---------- peers ----------

def run_pandas(task, path):
    import pandas as pd
    from scipy import stats
    t0 = now()
    df = read_pandas(path)
    t1 = now()
    if task == "ingest":
        ans = {"rows": len(df), "sum_y": float(df["y"].sum())}
    elif task == "likert":
        q = df[ITEMS].where((df[ITEMS] >= 1) & (df[ITEMS] <= 5))
        q["region"] = df["region"]
        g = q.groupby("region")
        n = g.count().to_numpy()
        mean = g.mean().to_numpy()
        sd = g.std().to_numpy()
        cnt = np.zeros((6, 20, 5))
        for k, it in enumerate(ITEMS):
            vc = q.groupby(["region", it]).size()
            for (r, code), c in vc.items():
                cnt[int(r) - 1, k, int(code) - 1] = c
        ans = {"groups": [str(x) for x in g.mean().index], "n": n.tolist(), "mean": mean.tolist(),
               "sd": sd.tolist(), "counts": cnt.astype(int).tolist()}
    elif task == "crosstab":
        ct = pd.crosstab(df["region"], df["edu"])
        x2, p, dof, _ = stats.chi2_contingency(ct.to_numpy(), correction=False)
        ans = {"counts": ct.to_numpy().tolist(), "chi2": float(x2), "df": int(dof), "p": float(p)}
    elif task == "ttest":
        a = df.groupby("gender")["y"].agg(["count", "mean", "var"])
        ans = welch_from_moments(a.loc[1, "count"], a.loc[1, "mean"], a.loc[1, "var"],
                                 a.loc[2, "count"], a.loc[2, "mean"], a.loc[2, "var"])
    else:
        raise SystemExit(f"pandas: no task {task}")
    t2 = now()
    return ans, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}


def load_ols_bin(path, p):
    """[1 | x1..xp] in Fortran order and y from the raw float64 column file (y first)."""
    a = np.fromfile(path, dtype="<f8")
    n = a.size // (p + 1)
    a = a.reshape(p + 1, n)
    X = np.empty((n, p + 1), order="F")
    X[:, 0] = 1.0
    X[:, 1:] = a[1:].T
    return X, a[0].copy()


def blas_info():
    """Which BLAS (and kernel) numpy runs, for the record (threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
        return [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
                for d in threadpool_info() if d.get("user_api") == "blas"]
    except Exception as e:  # threadpoolctl missing: say so rather than fail the timing
        return [f"threadpoolctl unavailable: {e}"]


def run_numpy(task, path):
    """numpy/scipy on the columns as arrays; the file is read by pandas' C parser (numpy's own loadtxt is
    ~10x slower and would flatter us)."""
    from scipy import stats
    if task.startswith("ols10-mem"):
        t0 = now()
        X, y = load_ols_bin(path, 10)
        t1 = now()
        beta, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
        t2 = now()
        return {"coef": beta.tolist()}, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}
    t0 = now()
    df = read_pandas(path)
    if task.startswith("ols"):
        p = 50 if task.startswith("ols50") else 10
        X = np.empty((len(df), p + 1), order="F")
        X[:, 0] = 1.0
        for j in range(p):
            X[:, j + 1] = df[f"x{j + 1}"].to_numpy()
        y = df["y"].to_numpy()
    t1 = now()
    if task == "likert":
        reg = df["region"].to_numpy().astype(np.int64) - 1
        cnt = np.zeros((6, 20, 5))
        for k, it in enumerate(ITEMS):
            v = df[it].to_numpy()
            ok = (v >= 1) & (v <= 5)
            idx = reg[ok] * 5 + v[ok].astype(np.int64) - 1
            cnt[:, k, :] = np.bincount(idx, minlength=30).reshape(6, 5)
        ans = likert_from_counts(cnt)
    elif task == "crosstab":
        r = df["region"].to_numpy().astype(np.int64) - 1
        e = df["edu"].to_numpy().astype(np.int64) - 1
        c = np.bincount(r * 5 + e, minlength=30).reshape(6, 5)
        x2, p, dof, _ = stats.chi2_contingency(c, correction=False)
        ans = {"counts": c.tolist(), "chi2": float(x2), "df": int(dof), "p": float(p)}
    elif task == "ttest":
        y = df["y"].to_numpy()
        g = df["gender"].to_numpy()
        a, b = y[g == 1], y[g == 2]
        r = stats.ttest_ind(a, b, equal_var=False)
        ans = {"t": float(r.statistic), "df": float(r.df), "p": float(r.pvalue)}
    elif task in ("ols10", "ols50"):
        beta, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
        ans = {"coef": beta.tolist()}
    else:
        raise SystemExit(f"numpy: no task {task}")
    t2 = now()
    return ans, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}


def run_statsmodels(task, path):
    import statsmodels.api as sm
    if task.startswith("ols10-mem"):
        t0 = now()
        X, y = load_ols_bin(path, 10)
        t1 = now()
        fit = sm.OLS(y, X).fit(cov_type="HC1") if task.endswith("-hc1") else sm.OLS(y, X).fit()
        ans = {"coef": fit.params.tolist(), "se": fit.bse.tolist()}
        t2 = now()
        return ans, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}
    t0 = now()
    df = read_pandas(path)
    if task.startswith("ols"):
        p = 50 if task.startswith("ols50") else 10
        X = sm.add_constant(df[[f"x{j}" for j in range(1, p + 1)]].to_numpy())
        y = df["y"].to_numpy()
    t1 = now()
    if task.startswith("ols"):
        hc1 = task.endswith("-hc1")
        fit = sm.OLS(y, X).fit(cov_type="HC1") if hc1 else sm.OLS(y, X).fit()
        ans = {"coef": fit.params.tolist(), "se": fit.bse.tolist()}
    elif task == "ttest":
        from statsmodels.stats.weightstats import ttest_ind
        y = df["y"].to_numpy()
        g = df["gender"].to_numpy()
        t, p, dof = ttest_ind(y[g == 1], y[g == 2], usevar="unequal")
        ans = {"t": float(t), "df": float(dof), "p": float(p)}
    else:
        raise SystemExit(f"statsmodels: no task {task}")
    t2 = now()
    return ans, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}


def run_duckdb(task, path):
    t0 = now()
    con = read_duckdb(path)
    t1 = now()
    if task == "ingest":
        r = con.execute("SELECT count(*), sum(y) FROM t").fetchone()
        ans = {"rows": int(r[0]), "sum_y": float(r[1])}
    elif task == "likert":
        sel = ", ".join(f"count(*) FILTER (WHERE {q} BETWEEN 1 AND 5), "
                        f"avg({q}) FILTER (WHERE {q} BETWEEN 1 AND 5), "
                        f"stddev_samp({q}) FILTER (WHERE {q} BETWEEN 1 AND 5)" for q in ITEMS)
        rows = con.execute(f"SELECT region, {sel} FROM t GROUP BY region ORDER BY region").fetchall()
        dist = con.execute(
            "SELECT region, item, code, count(*) FROM (UNPIVOT t ON " + ", ".join(ITEMS) +
            " INTO NAME item VALUE code) WHERE code BETWEEN 1 AND 5 GROUP BY ALL").fetchall()
        cnt = np.zeros((6, 20, 5))
        for r, it, code, c in dist:
            cnt[int(r) - 1, int(it[1:]) - 1, int(code) - 1] = c
        ans = {"groups": [str(r[0]) for r in rows],
               "n": [[r[1 + 3 * k] for k in range(20)] for r in rows],
               "mean": [[r[2 + 3 * k] for k in range(20)] for r in rows],
               "sd": [[r[3 + 3 * k] for k in range(20)] for r in rows],
               "counts": cnt.astype(int).tolist()}
    elif task == "crosstab":
        rows = con.execute("SELECT region, edu, count(*) FROM t GROUP BY ALL").fetchall()
        c = np.zeros((6, 5))
        for r, e, n in rows:
            c[int(r) - 1, int(e) - 1] = n
        ans = chi2_from_counts(c)
    elif task == "ttest":
        rows = con.execute("SELECT gender, count(y), avg(y), var_samp(y) FROM t GROUP BY gender ORDER BY gender").fetchall()
        (_, n1, m1, v1), (_, n2, m2, v2) = rows
        ans = welch_from_moments(n1, m1, v1, n2, m2, v2)
    else:
        raise SystemExit(f"duckdb: no task {task}")
    t2 = now()
    return ans, {"ingest": t1 - t0, "compute": t2 - t1, "total": t2 - t0}


PEERS = {"numpy": run_numpy, "pandas": run_pandas, "statsmodels": run_statsmodels, "duckdb": run_duckdb}

def make_bin(csv, out, p):
    """Writes y, x1..xp of the CSV as raw float64 columns (the compute-only OLS input)."""
    import pandas as pd
    cols = ["y"] + [f"x{j}" for j in range(1, p + 1)]
    df = pd.read_csv(csv, usecols=cols)
    with open(out + ".tmp", "wb") as fh:
        for c in cols:
            np.ascontiguousarray(df[c].to_numpy(dtype="<f8")).tofile(fh)
    import os
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    if sys.argv[1] == "make-bin":
        make_bin(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        sys.exit(0)
    peer, task, path = sys.argv[1:4]
    ans, secs = PEERS[peer](task, path)
    out = {"answer": ans, "seconds": secs}
    if peer in ("numpy", "statsmodels"):
        out["info"] = {"blas": blas_info()}
    print(json.dumps(out))
