#!/usr/bin/env python3
"""SurveyStats benchmark harness: ours vs numpy/scipy, pandas, statsmodels and DuckDB on the same files.

Called by scripts/bench/run (which builds the binaries and the venv). Every measurement is one child process;
wall time is measured around it and peak RSS is read from wait4()'s rusage of that child. Each peer's answer is
checked against ours before its time is printed; a disagreement prints MISMATCH instead of a time.
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
PY = sys.executable
BENCH = os.path.join(HERE, ".build-bench", "release", "surveystats-bench")
CLI = os.path.join(HERE, "..", "..", ".build-release", "release", "surveystats")

# task -> (file kind, ours implementations [(label, argv-template)], peers)
# In argv templates {f} is the data file.
TASKS = {
    "ingest": ("survey", [("CSVReader→Dataset", [BENCH, "ingest", "{f}"]),
                          ("CSVReader→Dataset, 1 thread", [BENCH, "ingest", "{f}", "1"])], ["pandas", "duckdb"]),
    "likert": ("survey", [("streaming counts", [BENCH, "likert-stream", "{f}"]),
                          ("Dataset + counts", [BENCH, "likert-mem", "{f}"]),
                          ("Dataset + LikertSummary.grouped", [BENCH, "likert-grouped", "{f}"])], ["numpy", "pandas", "duckdb"]),
    "crosstab": ("survey", [("streaming counts", [BENCH, "crosstab-stream", "{f}"]),
                            ("Dataset + CrossTab", [BENCH, "crosstab-mem", "{f}"])], ["numpy", "pandas", "duckdb"]),
    "ttest": ("survey", [("Dataset + WelchTTest", [BENCH, "ttest", "{f}"])], ["numpy", "pandas", "statsmodels", "duckdb"]),
    "ols10": ("survey", [("streaming TSQR", [BENCH, "ols-stream", "{f}", "10"]),
                         ("Dataset + LinearModel", [BENCH, "ols", "{f}", "10"])], ["numpy", "statsmodels"]),
    "ols10-hc1": ("survey", [("streaming TSQR", [BENCH, "ols-stream", "{f}", "10", "hc1"]),
                             ("Dataset + LinearModel", [BENCH, "ols", "{f}", "10", "hc1"])], ["statsmodels"]),
    # Compute only (arrays in memory, loaded from the raw float64 columns written by `peers.py make-bin`); ours
    # also times one read of [X | y] (the memory-bandwidth floor) in the same process.
    "ols10-mem": ("olsbin", [("in-memory fit (design matrix)", [BENCH, "ols-mem", "{f}", "10"]),
                             ("in-memory fit (formula on a Dataset)", [BENCH, "ols-mem", "{f}", "10", "formula"])],
                  ["numpy", "statsmodels"]),
    "ols10-mem-hc1": ("olsbin", [("in-memory fit (design matrix)", [BENCH, "ols-mem", "{f}", "10", "hc1"])],
                      ["statsmodels"]),
    "ols50": ("wide", [("streaming TSQR", [BENCH, "ols-stream", "{f}", "50"]),
                       ("Dataset + LinearModel", [BENCH, "ols", "{f}", "50"])], ["numpy", "statsmodels"]),
    "ols50-hc1": ("wide", [("streaming TSQR", [BENCH, "ols-stream", "{f}", "50", "hc1"]),
                           ("Dataset + LinearModel", [BENCH, "ols", "{f}", "50", "hc1"])], ["statsmodels"]),
}


def cli_likert_answer(out):
    """The `surveystats likert ... --by region --format json` output as the likert answer (per group × item)."""
    items = json.loads(out)["items"]
    groups = [g["name"] for g in items[0]["groups"]]
    per = lambda key: [[it["groups"][k][key] for it in items] for k in range(len(groups))]
    return {"groups": groups, "n": per("n"), "mean": per("mean"), "sd": per("sd"),
            "counts": [[[int(c) for c in it["groups"][k]["counts"]] for it in items] for k in range(len(groups))]}


def cli_crosstab_answer(out):
    """The `surveystats crosstab ... --format json` output as the crosstab answer."""
    j = json.loads(out)
    return {"counts": j["counts"], "chi2": j["chi2"], "df": j["df"], "p": j["p"]}


# The real command line, end to end (process start, argument parsing, file, tables, JSON): the user's time.
CLI_ITEMS = [f"q{i}" for i in range(1, 21)]
for engine in ("stream", "memory"):
    TASKS["likert"][1].append((f"surveystats CLI --engine {engine}",
                               [CLI, "likert", "--data", "{f}", *CLI_ITEMS, "--by", "region", "--scale", "1-5",
                                "--format", "json", "--engine", engine], cli_likert_answer))
    TASKS["crosstab"][1].append((f"surveystats CLI --engine {engine}",
                                 [CLI, "crosstab", "--data", "{f}", "region", "edu", "--format", "json",
                                  "--engine", engine], cli_crosstab_answer))
PEER_NAMES = ["numpy", "pandas", "statsmodels", "duckdb"]
# Tolerances of the agreement check: integers (counts, n, rows) exactly; floats relatively.
REL_TOL = {"default": 1e-9, "p": 1e-6, "coef": 1e-8, "se": 1e-8, "sum_y": 1e-9}


def size_label(n):
    e = int(round(math.log10(n)))
    return f"1e{e}" if 10 ** e == n else str(n)


def data_file(kind, n, wide_max):
    if kind == "wide" and n > wide_max:
        return None
    if kind == "olsbin":
        csv = data_file("survey", n, wide_max)
        path = os.path.join(DATA, f"survey_{size_label(n)}.ols10.f64")
        if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(csv):
            print(f"  writing {os.path.basename(path)} (y, x1..x10 as raw float64 columns) …", flush=True)
            subprocess.run([PY, os.path.join(HERE, "peers.py"), "make-bin", csv, path, "10"], check=True)
        return path
    path = os.path.join(DATA, f"{kind}_{size_label(n)}.csv")
    if not os.path.exists(path):
        print(f"  generating {os.path.basename(path)} …", flush=True)
        cmd = [PY, os.path.join(HERE, "gen_data.py"), "--rows", str(n), "--out", path]
        if kind == "wide":
            cmd.append("--wide")
        subprocess.run(cmd, check=True)
    return path


# numpy's own OpenBLAS is benchmarked with its best kernel: these variables (set on some machines for older
# OpenBLAS builds) are removed for the peers' processes only; peers.py records the kernel it ran (threadpoolctl).
PEER_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


def run_measured(argv, timeout, parse=None, env=None):
    """Fork/exec with wait4 so that this child's own rusage (peak RSS) is known."""
    r, w = os.pipe()
    re_, we = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r); os.close(re_)
        os.dup2(w, 1); os.dup2(we, 2)
        try:
            if env is None:
                os.execv(argv[0], argv)
            else:
                os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(w); os.close(we)
    out = b""
    err = b""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(r, selectors.EVENT_READ)
    sel.register(re_, selectors.EVENT_READ)
    deadline = t0 + timeout
    open_fds = 2
    while open_fds:
        left = deadline - time.perf_counter()
        if left <= 0:
            os.kill(pid, 9)
            break
        for key, _ in sel.select(timeout=left):
            chunk = os.read(key.fd, 1 << 16)
            if not chunk:
                sel.unregister(key.fd); open_fds -= 1
            elif key.fd == r:
                out += chunk
            else:
                err += chunk
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    os.close(r); os.close(re_)
    rss = ru.ru_maxrss / 1024.0  # KiB -> MiB on Linux
    cpu = ru.ru_utime + ru.ru_stime
    if time.perf_counter() > deadline:
        return None, None, None, f"timeout after {timeout}s"
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return wall, rss, None, (err.decode(errors="replace")[-500:] or f"exit {code}")
    try:
        if parse is not None:  # a command whose own output is converted to the task's answer
            ans = {"answer": parse(out.decode()), "seconds": {"total": wall}}
        else:
            ans = json.loads(out.decode().strip().splitlines()[-1])
        ans.setdefault("seconds", {})["cpu"] = cpu
        return wall, rss, ans, ""
    except Exception as e:
        return wall, rss, None, f"bad output: {e}: {out[-200:]!r}"


def agree(ours, peer, key="", path=""):
    """Returns None when peer's answer agrees with ours (on every key the peer reports), else a message."""
    if isinstance(peer, dict):
        for k, v in peer.items():
            if k not in ours:
                return f"{path}{k}: missing in ours"
            m = agree(ours[k], v, k, f"{path}{k}.")
            if m:
                return m
        return None
    if isinstance(peer, list):
        if not isinstance(ours, list) or len(ours) != len(peer):
            return f"{path}: length {len(ours) if isinstance(ours, list) else '?'} vs {len(peer)}"
        for i, (a, b) in enumerate(zip(ours, peer)):
            m = agree(a, b, key, f"{path}[{i}]")
            if m:
                return m
        return None
    if isinstance(peer, str) or isinstance(ours, str):
        return None if str(ours) == str(peer) else f"{path}: {ours!r} vs {peer!r}"
    a, b = float(ours), float(peer)
    if math.isnan(a) or math.isnan(b):
        return None if math.isnan(a) and math.isnan(b) else f"{path}: {a} vs {b}"
    if isinstance(peer, int) and isinstance(ours, int) or (float(peer).is_integer() and float(ours).is_integer()
                                                          and key in ("n", "counts", "rows", "df")):
        return None if a == b else f"{path}: {a} vs {b} (exact)"
    tol = REL_TOL.get(key, REL_TOL["default"])
    if abs(a - b) <= tol * max(abs(a), abs(b)) + 1e-300:
        return None
    return f"{path}: {a!r} vs {b!r} (rel diff {abs(a - b) / max(abs(a), abs(b)):.1e} > {tol})"


def machine():
    info = {}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cores"] = os.cpu_count()
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    info["kernel"] = platform.release()
    try:
        info["swift"] = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except Exception:
        info["swift"] = "?"
    vers = subprocess.run([PY, "-c", "import numpy,scipy,pandas,statsmodels,duckdb;"
                           "print(f'numpy {numpy.__version__}, scipy {scipy.__version__}, pandas {pandas.__version__}, "
                           "statsmodels {statsmodels.__version__}, duckdb {duckdb.__version__}')"],
                          capture_output=True, text=True).stdout.strip()
    info["peers"] = vers
    import numpy
    try:
        cfg = numpy.show_config(mode="dicts")
        info["numpy BLAS"] = cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        pass
    return info


_MACHINE = None


def machine_cached():
    global _MACHINE
    if _MACHINE is None:
        _MACHINE = machine()
    return _MACHINE


def fmt_t(t):
    if t is None:
        return "–"
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--peers", default=",".join(PEER_NAMES))
    ap.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median); --reps-large at ≥ 1e7 rows")
    ap.add_argument("--reps-large", type=int, default=1, help="repetitions per measurement at ≥ 1e7 rows (median)")
    ap.add_argument("--wide-max", type=float, default=1e6, help="largest size for the 51-column OLS p=50 file")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--linear-model-max", type=float, default=1e6,
                    help="largest size at which the in-memory LinearModel path is timed (it is slow at 1e7)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--note", default="")
    ap.add_argument("--append", action="store_true",
                    help="merge with the previous results.json (same size/task/implementation replaced) before writing")
    ap.add_argument("--skip-impl", default="", help="comma-separated substrings of our implementation labels to skip")
    ap.add_argument("--render-only", action="store_true", help="rewrite RESULTS.md from results.json")
    a = ap.parse_args()
    if a.render_only:
        old = json.load(open(os.path.join(HERE, "results.json")))
        rs = old["results"]
        write_markdown(a, rs, sorted({r["size"] for r in rs}), [t for t in TASKS if any(r["task"] == t for r in rs)],
                       old.get("elapsed", 0), old["load"][0], old["load"][1])
        return
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    jpath = os.path.join(HERE, "results.json")
    a.base = json.load(open(jpath)) if a.append and os.path.exists(jpath) else None
    tasks = a.tasks.split(",")
    peers = a.peers.split(",")
    os.makedirs(DATA, exist_ok=True)
    load_start = os.getloadavg()
    started = time.time()
    results = []  # dicts: size, task, impl, kind('ours'|'peer'), wall, rss, inner, status
    for n in sizes:
        reps = a.reps if n < 10_000_000 else a.reps_large
        print(f"== {size_label(n)} rows (reps {reps})", flush=True)
        for task in tasks:
            kind, ours_impls, task_peers = TASKS[task]
            f = data_file(kind, n, a.wide_max)
            if f is None:
                print(f"  {task}: skipped (wide file only up to {size_label(int(a.wide_max))} rows)")
                continue
            reference = None
            for label, tmpl, *parse in ours_impls:
                if any(x and x in label for x in a.skip_impl.split(",")):
                    continue
                if not os.path.exists(tmpl[0]):
                    print(f"  {task:10s} ours/{label}: skipped ({tmpl[0]} not built)")
                    continue
                if "LinearModel" in label and n > a.linear_model_max:
                    print(f"  {task:10s} ours/{label}: skipped above {size_label(int(a.linear_model_max))} rows")
                    continue
                argv = [x.format(f=f) for x in tmpl]
                runs = [run_measured(argv, a.timeout, *parse) for _ in range(reps)]
                ok = [r for r in runs if r[2] is not None]
                if not ok:
                    print(f"  {task:10s} ours/{label}: FAILED {runs[0][3].strip()[:200]}", flush=True)
                    results.append(dict(size=n, task=task, impl=label, kind="ours", status="failed"))
                    continue
                if reference is None:
                    reference = ok[0][2]["answer"]
                    status = "ok"
                else:
                    m = agree(reference, ok[0][2]["answer"])
                    status = "ok" if m is None else "MISMATCH " + m
                wall = statistics.median(r[0] for r in ok)
                rss = max(r[1] for r in ok)
                inner = {k: statistics.median(r[2]["seconds"].get(k, float("nan")) for r in ok)
                         for k in ok[0][2].get("seconds", {})}
                results.append(dict(size=n, task=task, impl=label, kind="ours", wall=wall, rss=rss, inner=inner, status=status,
                                    info=ok[0][2].get("info")))
                print(f"  {task:10s} ours/{label:22s} {fmt_t(wall):>9s}  {rss:7.1f} MiB  {status}", flush=True)
            for peer in task_peers:
                if peer not in peers:
                    continue
                argv = [PY, os.path.join(HERE, "peers.py"), peer, task, f]
                runs = [run_measured(argv, a.timeout, env=PEER_ENV) for _ in range(reps)]
                ok = [r for r in runs if r[2] is not None]
                if not ok:
                    print(f"  {task:10s} {peer}: FAILED {runs[0][3].strip()[:300]}", flush=True)
                    results.append(dict(size=n, task=task, impl=peer, kind="peer", status="failed"))
                    continue
                status = "ok"
                if reference is not None:
                    m = agree(reference, ok[0][2]["answer"])
                    if m:
                        status = "MISMATCH " + m
                else:
                    status = "unchecked (ours failed)"
                wall = statistics.median(r[0] for r in ok)
                rss = max(r[1] for r in ok)
                inner = {k: statistics.median(r[2]["seconds"][k] for r in ok) for k in ok[0][2]["seconds"]}
                results.append(dict(size=n, task=task, impl=peer, kind="peer", wall=wall, rss=rss, inner=inner, status=status,
                                    info=ok[0][2].get("info")))
                print(f"  {task:10s} {peer:27s} {fmt_t(wall):>9s}  {rss:7.1f} MiB  "
                      f"(ingest {fmt_t(inner.get('ingest'))}, compute {fmt_t(inner.get('compute'))})  {status[:160]}",
                      flush=True)
            save(a, list(results), sizes, tasks, started, load_start)
    save(a, results, sizes, tasks, started, load_start)
    print(f"wrote {a.out} ({time.time() - started:.0f} s)")


def save(a, results, sizes, tasks, started, load_start):
    """Writes results.json and RESULTS.md (called after every task, so an interrupted run keeps what it measured)."""
    elapsed = time.time() - started
    load_end = os.getloadavg()
    jpath = os.path.join(HERE, "results.json")
    if a.base is not None:
        old = a.base
        mine = {(r["size"], r["task"], r["impl"]) for r in results}
        results = [r for r in old["results"] if (r["size"], r["task"], r["impl"]) not in mine] + results
        results.sort(key=lambda r: (r["size"], list(TASKS).index(r["task"])))
        sizes = sorted({r["size"] for r in results})
        tasks = [t for t in TASKS if any(r["task"] == t for r in results)]
        elapsed += old.get("elapsed", 0)
        load_start = old["load"][0]
    with open(jpath, "w") as fh:
        json.dump({"machine": machine_cached(), "results": results, "load": [load_start, load_end], "elapsed": elapsed}, fh, indent=1)
    write_markdown(a, results, sizes, tasks, elapsed, load_start, load_end)


def write_markdown(a, results, sizes, tasks, elapsed, load_start, load_end):
    m = machine_cached()
    L = []
    L.append("# SurveyStats benchmarks\n")
    L.append(f"Generated by `scripts/bench/run` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {elapsed / 60:.1f} min.\n")
    L.append("## Machine\n")
    for k, v in m.items():
        L.append(f"- {k}: {v}")
    L.append(f"- load average (1/5/15 min) at start {load_start[0]:.2f}/{load_start[1]:.2f}/{load_start[2]:.2f}, "
             f"at end {load_end[0]:.2f}/{load_end[1]:.2f}/{load_end[2]:.2f}")
    if a.note:
        L.append(f"\n**Note:** {a.note}\n")
    L.append("""
## How to read this

- Ours: **median wall time of the whole `surveystats-bench` process** (file on disk, warm page cache → answer
  printed, start-up included), its CPU time (user + system, all threads; steadier than wall time on a loaded
  machine) and **peak RSS** (`wait4` rusage). The fastest of our implementations is shown.
- Peers: wall time **inside** their process from the start of reading the file to the answer (interpreter start-up
  and library imports excluded — that favours the peers), and the peak RSS of the process.
  Ratio = peer time / our time (> 1: we are faster).
- Peers read the CSV themselves (pandas `read_csv`, DuckDB `read_csv` into a table; numpy/scipy and statsmodels
  get their arrays from pandas' C parser) and then compute; the second table splits their time into ingest and
  compute as measured inside the process, next to ours.
- Before a time is printed the peer's answer is compared with ours: counts, n and df exactly; means, SDs, χ², t
  and Welch df to relative 1e-9; p-values to 1e-6 relative; OLS coefficients and SEs to 1e-8 relative.
  A disagreement shows as MISMATCH instead of a ratio.
- Tasks: *ingest* = whole file into memory; *likert* = per region (6 levels) × 20 items: n, mean, SD and counts
  of codes 1–5 (9 = declared missing, empty = missing); *crosstab* = region × edu (6×5) with Pearson χ²;
  *ttest* = Welch t-test of y by gender; *olsP* = y ~ 1 + x1..xP (p=50 uses the 51-column `wide` file), `-hc1`
  with HC1 standard errors.
""")
    by = {}
    for r in results:
        by.setdefault((r["size"], r["task"]), []).append(r)
    L.append("## End to end (file → answer)\n")
    L.append("| task | rows | ours (s) | ours RSS | " + " | ".join(PEER_NAMES) + " |")
    L.append("|---|---|---|---|" + "---|" * len(PEER_NAMES))
    for n in sizes:
        for t in tasks:
            rs = by.get((n, t), [])
            ours = [r for r in rs if r["kind"] == "ours" and r.get("wall") is not None]
            if not rs:
                continue
            best = min(ours, key=lambda r: r["wall"]) if ours else None
            oc = (f"{fmt_t(best['wall'])} (CPU {fmt_t(best['inner'].get('cpu'))}; {best['impl']})" if best else "failed")
            orss = f"{best['rss']:.0f} MiB" if best else "–"
            cells = []
            for p in PEER_NAMES:
                pr = [r for r in rs if r["impl"] == p]
                if not pr:
                    cells.append("")
                    continue
                r = pr[0]
                if r.get("wall") is None:
                    cells.append("failed")
                elif r["status"].startswith("MISMATCH"):
                    cells.append("MISMATCH")
                else:
                    # Peer time = read_csv + compute inside its process (interpreter start-up and imports excluded,
                    # which favours the peers); ours = the whole process.
                    pt = r["inner"].get("total", r["wall"])
                    ratio = f" **{pt / best['wall']:.1f}×**" if best else ""
                    cells.append(f"{fmt_t(pt)}{ratio}, {r['rss']:.0f} MiB")
            L.append(f"| {t} | {size_label(n)} | {oc} | {orss} | " + " | ".join(cells) + " |")
    L.append("\n## Inside the process: ingest and compute separately\n")
    L.append("Ours: `surveystats-bench` timers (ingest = CSVReader → Dataset; compute = analysis on the Dataset). "
             "Peers: perf_counter around `read_csv` and around the computation.\n")
    L.append("Streaming implementations read and compute in one pass (shown as compute). The compute ratio compares "
             "the peer's compute with ours on the in-memory `Dataset`. Process wall = whole process, start-up included.\n")
    L.append("| task | rows | implementation | ingest | compute | total | process wall | compute ratio peer/ours |")
    L.append("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for t in tasks:
            rs = [r for r in by.get((n, t), []) if r.get("inner")]
            ours_c = [r["inner"].get("compute") for r in rs
                      if r["kind"] == "ours" and r["inner"].get("compute") and "ingest" in r["inner"]]
            oc = min(ours_c) if ours_c else None
            for r in rs:
                i = r["inner"]
                ratio = ""
                if r["kind"] == "peer" and oc and i.get("compute") and not r["status"].startswith("MISMATCH"):
                    ratio = f"{i['compute'] / oc:.1f}×"
                name = f"ours: {r['impl']}" if r["kind"] == "ours" else r["impl"]
                L.append(f"| {t} | {size_label(n)} | {name} | {fmt_t(i.get('ingest'))} | {fmt_t(i.get('compute'))} | "
                         f"{fmt_t(i.get('total'))} | {fmt_t(r.get('wall'))} | {ratio} |")
    mem = [r for r in results if r["task"].startswith("ols10-mem") and r.get("inner")]
    if mem:
        L.append("\n## OLS compute only (X in memory) vs the memory-bandwidth floor\n")
        L.append("Same arrays for everyone: y, x1..x10 as raw float64 columns (`peers.py make-bin`), X = [1 | x1..x10] "
                 "(n × 11). Compute = the fit alone, timed inside the process. Floor = one read of [X | y] "
                 "(n × 12 doubles) by a vectorised summing loop on both cores in the same `surveystats-bench` process "
                 "(best of 3; one-core figure in brackets). Peers run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE; their CPU is "
                 "the whole process's (file load included).\n")
        L.append("Ours: compute = the first fit in the process (what a user waits for), best = the best of three fits "
                 "alternating with the floor's reads; best / floor compares like with like (both best of three).\n")
        L.append("| task | rows | implementation | compute | best of 3 | CPU (user+sys) | best / floor | floor (GB/s) | peer compute / ours |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for n in sizes:
            for t in tasks:
                rs = [r for r in mem if r["size"] == n and r["task"] == t]
                ours = [r for r in rs if r["kind"] == "ours" and "floor" in r["inner"]]
                design = [r for r in ours if "design" in r["impl"]]
                ref = (design or ours or [None])[0]
                for r in rs:
                    i = r["inner"]
                    c = i.get("compute")
                    if r["kind"] == "ours" and "floor" in i:
                        inf = r.get("info") or {}
                        fl = f"{fmt_t(i['floor'])} ({inf.get('GBps_2threads', float('nan')):.1f} GB/s; 1 core {fmt_t(i.get('floor_1thread'))}, {inf.get('GBps_1thread', float('nan')):.1f} GB/s)"
                        cpu = i.get("compute_user", float("nan")) + i.get("compute_sys", float("nan"))  # the fit's own
                        cb = i.get("compute_best", c)
                        L.append(f"| {t} | {size_label(n)} | ours: {r['impl']} [{inf.get('precision', '?')}] | {fmt_t(c)} | "
                                 f"{fmt_t(cb)} | {fmt_t(cpu)} (first fit) | {cb / i['floor']:.2f}× | {fl} | |")
                    elif r["kind"] == "peer":
                        ratio = (f"**{c / ref['inner']['compute']:.1f}×**" if ref and c and not r["status"].startswith("MISMATCH")
                                 else r["status"][:40])
                        blas = ((r.get("info") or {}).get("blas") or [{}])[0]
                        bl = f" ({blas.get('internal_api')} {blas.get('architecture')}, {blas.get('num_threads')} thr)" if isinstance(blas, dict) and blas else ""
                        L.append(f"| {t} | {size_label(n)} | {r['impl']}{bl} | {fmt_t(c)} | | {fmt_t(i.get('cpu'))} | | | {ratio} |")
    startup = os.path.join(HERE, "startup.md")
    if os.path.exists(startup):
        L.append("\n## Start-up (hyperfine)\n")
        L.append(open(startup).read())
    L.append("\nProfiles and where the time goes: [PROFILE.md](PROFILE.md).")
    bad = [r for r in results if r.get("status", "ok") != "ok"]
    if bad:
        L.append("\n## Failures and mismatches\n")
        for r in bad:
            L.append(f"- {r['task']} {size_label(r['size'])} {r['impl']}: {r['status']}")
    with open(a.out, "w") as fh:
        fh.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
