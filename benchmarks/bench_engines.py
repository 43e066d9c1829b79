"""Benchmark the KPIs on pandas, DuckDB (in memory and from Parquet) and Spark, at scale.

Run with ``make bench`` (1, 10 and 50 million simulated customers) or, for one size,
``python benchmarks/bench_engines.py --sizes 1000000``. Prints a Markdown table for
docs/performance.md.

Each measurement runs in its own child process, so that its peak memory is its own: the peak
resident memory (RSS) of the child and everything it starts (the Spark JVM included), sampled
every 20 ms with psutil. The time is the KPI call alone (the best of ``--repeat`` calls):
reading the table into pandas or into a DuckDB in-memory table, and starting Spark, are timed
separately ("load").

KPIs, each from the subscriptions table (or, for revenue retention, the monthly usage table):

- ``km_by_plan``: ``survival_curves(to_lifetimes(subs), by="plan")``: Kaplan-Meier by segment
  (durations in calendar months, the default);
- ``km_by_plan_average``: the same with ``to_lifetimes(subs, month="average")`` (durations in
  days / 30.4375);
- ``churn_monthly``: ``churn_rate(subs)``: the monthly churn table;
- ``cohort_monthly``: ``cohort_retention(subs)``: the monthly cohort table;
- ``revenue_12m``: ``revenue_retention(usage, window=12)`` on as many customer-month rows as
  there are customers.

``CS_BENCH_DUCKDB_MEMORY=4GB`` caps DuckDB's memory (it then spills to disk).

By default there is **no comparison with older code**: each KPI is timed with this tree's
code and as its floor. The comparison runs only when asked: ``--baseline TREE`` (or
``CS_BENCH_BASELINE=TREE``, so that ``make bench`` runs it) also times another checkout of the
package (e.g. an older commit unpacked with ``git archive <commit> | tar -x -C TREE``) in the
same run: each KPI is then measured with the baseline's code, with this tree's code and as
the bare floor, one after the other, and the table gains the columns "baseline (s)" and
"new / baseline". The environment variables ``CS_BENCH_PATHS``, ``CS_BENCH_KPIS`` and
``CS_BENCH_REPEAT`` set ``--paths``, ``--kpis`` and ``--repeat`` the same way, e.g. the
comparison of docs/performance.md through make::

    CS_BENCH_BASELINE=/tmp/old CS_BENCH_PATHS=duckdb-parquet CS_BENCH_KPIS=km_by_plan \
        CS_BENCH_REPEAT=3 make bench BENCH_SIZES=10000000

What will run (sizes, paths, KPIs, repeats, floors, baseline or not) is printed first, and
``uptime`` before and after (other work on the machine slows every row).

Floors: on pandas, the bare operations of the cs_helpers issue (lifelines' KM per plan on the
raw durations; ``np.bincount`` of start and end months; for revenue, a bare pandas self-merge);
on an engine, the same aggregation written as one bare ``GROUP BY`` statement in that engine
(no checks, no lifelines). Each floor computes the same durations as its KPI: calendar months
for ``km_by_plan`` (:func:`calendar_sql`: the customers grouped by plan and dates first, the
months worked out on those groups, as the fastest bare formulation we found), the day
difference for ``km_by_plan_average``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("CS_BENCH_DATA", HERE / "_data"))
AS_OF = "2026-09-30"
PATHS = ("pandas", "duckdb-memory", "duckdb-parquet", "spark")
KPIS = ("km_by_plan", "km_by_plan_average", "churn_monthly", "cohort_monthly", "revenue_12m")
CHUNK = 5_000_000


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------

def subs_path(n: int) -> Path:
    return DATA / f"subscriptions_{n}.parquet"


def usage_path(n: int) -> Path:
    return DATA / f"usage_{n}.parquet"


def make_data(n: int, seed: int = 7) -> None:
    """Write ``n`` simulated subscriptions and ``n`` customer-month usage rows as Parquet.

    Subscriptions: starts uniform over ten years of days (2016-10-01 .. 2026-09-30),
    heterogeneous monthly churn (Beta(1.2, 30)), ends after ``as_of`` censored (empty), a
    three-valued ``plan``; integer ids. Written in chunks of 5 million rows (one row group each),
    so memory stays flat whatever ``n``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    DATA.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    start0, as_of = np.datetime64("2016-10-01"), np.datetime64(AS_OF)
    span = int((as_of - start0) / np.timedelta64(1, "D"))
    plans = np.array(["basic", "standard", "premium"])
    if not subs_path(n).exists():
        tmp = subs_path(n).with_suffix(".tmp")
        schema = pa.schema([("customer_id", pa.int64()), ("start_date", pa.date32()),
                            ("end_date", pa.date32()), ("plan", pa.string())])
        with pq.ParquetWriter(tmp, schema) as writer:
            for lo in range(0, n, CHUNK):
                k = min(CHUNK, n - lo)
                start = start0 + rng.integers(0, span, k).astype("timedelta64[D]")
                plan = rng.integers(0, 3, k)
                p = rng.beta(1.2, 30.0, k) * (1.0 + 0.3 * plan)
                months = rng.geometric(np.clip(p, 1e-4, 1))
                end = start + (months * 30.4375).astype("timedelta64[D]")
                ended = end <= as_of
                table = pa.table({
                    "customer_id": np.arange(lo, lo + k, dtype=np.int64),
                    "start_date": pa.array(start.astype("datetime64[D]"), pa.date32()),
                    "end_date": pa.array(end.astype("datetime64[D]"), pa.date32(),
                                         mask=~ended),
                    "plan": plans[plan]}, schema=schema)
                writer.write_table(table)
        tmp.rename(subs_path(n))
    if not usage_path(n).exists():
        tmp = usage_path(n).with_suffix(".tmp")
        schema = pa.schema([("account_id", pa.int64()), ("month", pa.date32()),
                            ("mrr", pa.float64())])
        months_per = 24
        month0 = np.datetime64("2021-01", "M")
        with pq.ParquetWriter(tmp, schema) as writer:
            for lo in range(0, n // months_per, CHUNK // months_per):
                k = min(CHUNK // months_per, n // months_per - lo)
                first = rng.integers(0, 45, k)
                base = rng.integers(5, 200, k) * 1000.0
                growth = rng.normal(0.01, 0.03, k)
                churn_at = rng.geometric(0.02, k)
                step = np.tile(np.arange(months_per), k)
                acc = np.repeat(np.arange(k), months_per)
                mrr = np.round(base[acc] * (1 + growth[acc]) ** step, -2)
                mrr[step >= churn_at[acc]] = 0.0
                month = (month0 + (first[acc] + step)).astype("datetime64[D]")
                writer.write_table(pa.table({
                    "account_id": (lo + acc).astype(np.int64),
                    "month": pa.array(month, pa.date32()), "mrr": mrr}, schema=schema))
        tmp.rename(usage_path(n))


# --------------------------------------------------------------------------------------------
# one measurement (child process)
# --------------------------------------------------------------------------------------------

def _load(path: str, n: int):
    """Return (subs, usage, engine handle) for one path; the load is timed by the caller."""
    if path == "pandas":
        import pyarrow.parquet as pq

        # dates as datetime64 (pandas' own read_parquet gives Python date objects)
        return (pq.read_table(subs_path(n)).to_pandas(date_as_object=False),
                pq.read_table(usage_path(n)).to_pandas(date_as_object=False), None)
    if path.startswith("duckdb"):
        import duckdb

        con = duckdb.connect()
        if os.environ.get("CS_BENCH_DUCKDB_MEMORY"):      # e.g. 4GB: cap DuckDB, let it spill
            con.execute(f"SET memory_limit = '{os.environ['CS_BENCH_DUCKDB_MEMORY']}'")
        if path == "duckdb-memory":
            con.execute(f"CREATE TABLE subs AS SELECT * FROM read_parquet('{subs_path(n)}')")
            con.execute(f"CREATE TABLE usage AS SELECT * FROM read_parquet('{usage_path(n)}')")
            return con.table("subs"), con.table("usage"), con
        return (con.read_parquet(str(subs_path(n))), con.read_parquet(str(usage_path(n))), con)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("cs_helpers-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "4g")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return (spark.read.parquet(str(subs_path(n))), spark.read.parquet(str(usage_path(n))),
            spark)


def _kpi(kpi: str, subs, usage):
    import cs_helpers as cs

    if kpi == "km_by_plan":
        return cs.survival_curves(cs.to_lifetimes(subs, as_of=AS_OF), by="plan")
    if kpi == "km_by_plan_average":
        return cs.survival_curves(cs.to_lifetimes(subs, as_of=AS_OF, month="average"),
                                  by="plan")
    if kpi == "churn_monthly":
        return cs.churn_rate(subs, as_of=AS_OF)
    if kpi == "cohort_monthly":
        return cs.cohort_retention(subs, as_of=AS_OF)
    return cs.revenue_retention(usage, window=12)


_ORD = "((year({d}) - 1970) * 12 + month({d}) - 1)"


def calendar_sql(dialect: str, as_of: str = AS_OF) -> str:
    """The bare floor of ``km_by_plan`` on an engine: customers per (plan, calendar-month
    duration, still active) in one statement over table ``{t}``, with the durations of
    ``to_lifetimes`` (anniversaries with the day clipped to the month's end, the fraction in
    days; censored at ``as_of``). The rows are grouped by (plan, start, end) first and the
    months worked out on those groups (0.73 s of one DuckDB thread at 10 million customers;
    the same arithmetic on every row, then one GROUP BY, took 1.21 s). No checks, and none of
    the filtering ``to_lifetimes`` does: every start is taken to be on or before ``as_of`` and
    every end date on or before it, as in the benchmark's data."""
    if dialect == "duckdb":
        def add(d: str, k: str) -> str:
            return f"CAST({d} + to_months({k}) AS DATE)"

        def days(a: str, b: str) -> str:
            return f"date_diff('day', {a}, {b})"
    else:
        def add(d: str, k: str) -> str:
            return f"add_months({d}, {k})"

        def days(a: str, b: str) -> str:
            return f"datediff({b}, {a})"
    return (
        f"SELECT plan, k0 - late + {days('lst', 'e')} / {days('lst', 'nxt')} AS d, c, "
        "sum(n) AS n FROM ("
        f" SELECT *, CASE WHEN late = 1 THEN {add('s', 'k0 - 1')} ELSE anniv END AS lst,"
        f" CASE WHEN late = 1 THEN anniv ELSE {add('s', 'k0 + 1')} END AS nxt FROM ("
        "  SELECT *, CASE WHEN anniv > e THEN 1 ELSE 0 END AS late FROM ("
        f"   SELECT *, {add('s', 'k0')} AS anniv FROM ("
        "    SELECT *, (year(e) - year(s)) * 12 + month(e) - month(s) AS k0 FROM ("
        f"     SELECT plan, start_date AS s, coalesce(end_date, DATE '{as_of}') AS e,"
        "      end_date IS NULL AS c, n FROM ("
        "      SELECT plan, start_date, end_date, count(*) AS n FROM {t}"
        "      GROUP BY plan, start_date, end_date) q0) q1) q2) q3) q4) q5"
        " GROUP BY plan, k0 - late + " + days("lst", "e") + " / " + days("lst", "nxt") + ", c")


def day_difference_sql(dialect: str, as_of: str = AS_OF) -> str:
    """The bare floor of ``km_by_plan_average`` on an engine: customers per (plan, days from
    start to end or ``as_of``, still active) over table ``{t}``; the durations are those days
    / 30.4375. No checks, no filtering (see :func:`calendar_sql`)."""
    diff = (f"date_diff('day', start_date, coalesce(end_date, DATE '{as_of}'))"
            if dialect == "duckdb" else
            f"datediff(coalesce(end_date, DATE '{as_of}'), start_date)")
    return (f"SELECT plan, {diff} AS d, end_date IS NULL AS c, count(*) AS n FROM {{t}} "
            "GROUP BY plan, d, c")


def _floor(path: str, kpi: str, subs, usage, handle):
    """The bare operation the KPI is compared with."""
    if path == "pandas":
        import pandas as pd
        from lifelines import KaplanMeierFitter

        if kpi in ("km_by_plan", "km_by_plan_average"):
            if kpi == "km_by_plan":
                from bench_kpis import calendar_durations

                d, e = calendar_durations(subs["start_date"].to_numpy(),
                                          subs["end_date"].to_numpy(), AS_OF)
            else:
                stop = subs["end_date"].fillna(pd.Timestamp(AS_OF))
                d = (stop - subs["start_date"]).dt.days.to_numpy() / 30.4375
                e = subs["end_date"].notna().to_numpy()
            plan = subs["plan"].to_numpy()
            for v in np.unique(plan):
                m = plan == v
                KaplanMeierFitter().fit(d[m], e[m])
            return None
        if kpi in ("churn_monthly", "cohort_monthly"):
            s = subs["start_date"].dt.to_period("M").array.asi8
            e = subs["end_date"].dropna().dt.to_period("M").array.asi8
            m0 = s.min()
            np.cumsum(np.bincount(s - m0)), np.cumsum(np.bincount(e - m0))
            return None
        m = usage["month"].dt.to_period("M").array.asi8
        frame = pd.DataFrame({"id": usage["account_id"].to_numpy(), "m": m,
                              "mrr": usage["mrr"].to_numpy()})
        later = frame.assign(m=frame["m"] - 12)
        frame[frame["mrr"] > 0].merge(later, on=["id", "m"], how="left").groupby("m").size()
        return None
    s, e = _ORD.format(d="start_date"), _ORD.format(d="end_date")
    if kpi == "km_by_plan":
        sql = calendar_sql("duckdb" if path.startswith("duckdb") else "spark")
        table = subs
    elif kpi == "km_by_plan_average":
        sql = day_difference_sql("duckdb" if path.startswith("duckdb") else "spark")
        table = subs
    elif kpi in ("churn_monthly", "cohort_monthly"):
        sql = f"SELECT {s} AS s, {e} AS e, count(*) AS n FROM {{t}} GROUP BY s, e"
        table = subs
    else:
        o = _ORD.format(d="month")
        sql = (f"WITH u AS (SELECT account_id, {o} AS m, mrr FROM {{t}}) "
               "SELECT b.m, count(*) AS n, sum(coalesce(a.mrr, 0)) AS after FROM u b "
               "LEFT JOIN u a ON a.account_id = b.account_id AND a.m = b.m + 12 "
               "WHERE b.mrr > 0 GROUP BY b.m")
        table = usage
    if path.startswith("duckdb"):
        return table.query("t", sql.replace("{t}", "t")).df()
    table.createOrReplaceTempView("t")
    return handle.sql(sql.replace("{t}", "t")).toPandas()


def one(path: str, kpi: str, n: int, repeat: int, floor: bool) -> dict:
    import lifelines  # noqa: F401

    import cs_helpers  # noqa: F401  (imported before the clock starts)

    t0 = time.perf_counter()
    subs, usage, handle = _load(path, n)
    load = time.perf_counter() - t0
    if path == "spark":
        subs.count(), usage.count()        # the JVM is up and the files are listed
        load = time.perf_counter() - t0
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        if floor:
            _floor(path, kpi, subs, usage, handle)
        else:
            _kpi(kpi, subs, usage)
        best = min(best, time.perf_counter() - t)
    return {"load": load, "seconds": best}


# --------------------------------------------------------------------------------------------
# the suite (parent process)
# --------------------------------------------------------------------------------------------

def _tree_rss(proc) -> int:
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(path: str, kpi: str, n: int, repeat: int, floor: bool = False,
            timeout: float = 3600, tree: Path | None = None) -> dict:
    """Run one measurement in a child process; ``tree``: import cs_helpers from there."""
    import psutil

    cmd = [sys.executable, __file__, "--one", path, kpi, str(n), "--repeat", str(repeat)]
    if floor:
        cmd.append("--floor")
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "MPLBACKEND": "Agg",
           "PYTHONPATH": str(tree or HERE.parent)}
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    proc = psutil.Process(child.pid)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, _tree_rss(proc))
            except psutil.Error:
                pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode != 0:
        last = (err.strip().splitlines() or ["?"])[-1]
        return {"error": last[:200], "peak": peak}
    result = json.loads(out.strip().splitlines()[-1])
    result["peak"] = peak
    return result


def _fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[1_000_000, 10_000_000, 50_000_000])
    parser.add_argument("--paths", nargs="+", choices=PATHS,
                        default=os.environ.get("CS_BENCH_PATHS", " ".join(PATHS)).split())
    parser.add_argument("--kpis", nargs="+", choices=KPIS,
                        default=os.environ.get("CS_BENCH_KPIS", " ".join(KPIS)).split())
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("CS_BENCH_REPEAT", 1)))
    parser.add_argument("--no-floor", action="store_true", help="skip the floor timings")
    parser.add_argument("--baseline", type=Path, metavar="TREE",
                        default=os.environ.get("CS_BENCH_BASELINE") or None,
                        help="also time the cs_helpers of this checkout (an older commit); "
                             "default: $CS_BENCH_BASELINE if set, else no comparison")
    parser.add_argument("--one", nargs=3, metavar=("PATH", "KPI", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        path, kpi, n = args.one
        print(json.dumps(one(path, kpi, int(n), args.repeat, args.floor)))
        return

    for given, known, what in ((args.kpis, KPIS, "KPI (CS_BENCH_KPIS?)"),
                               (args.paths, PATHS, "path (CS_BENCH_PATHS?)")):
        bad = [k for k in given if k not in known]
        if bad:
            parser.error(f"unknown {what}: {', '.join(bad)}; choose from {', '.join(known)}")
    if args.baseline and not (args.baseline / "cs_helpers" / "__init__.py").is_file():
        parser.error(f"baseline {args.baseline} (CS_BENCH_BASELINE?) holds no cs_helpers package: "
                     "unpack the older commit there first (git archive <commit> | tar -x -C TREE)")

    import duckdb
    import pandas as pd

    try:
        import pyspark
        spark_version = pyspark.__version__
    except ImportError:
        spark_version = None
    paths = [p for p in args.paths if p != "spark" or spark_version]
    print(f"Machine: {os.cpu_count()} cores, "
          f"{__import__('psutil').virtual_memory().total / 2**30:.0f} GiB RAM, "
          f"{platform.machine()}, Python {platform.python_version()}, pandas {pd.__version__}, "
          f"DuckDB {duckdb.__version__}, pyspark {spark_version or 'not installed'}; "
          f"{time.strftime('%Y-%m-%d')}; best of {args.repeat}.\n", flush=True)
    print(f"Plan: sizes {', '.join(f'{n:,}' for n in args.sizes)}; paths {', '.join(paths)}; "
          f"KPIs {', '.join(args.kpis)}; best of {args.repeat}; "
          f"floor {'skipped' if args.no_floor and not args.baseline else 'timed'}; "
          + (f"against the baseline code in {args.baseline.resolve()}."
             if args.baseline else
             "no comparison with older code (set CS_BENCH_BASELINE=<tree> for one)."),
          flush=True)
    print(f"uptime before: {_uptime()}\n", flush=True)
    if args.baseline:
        _compare(args, paths)
        print(f"\nuptime after: {_uptime()}", flush=True)
        return
    print("| customers | KPI | path | load (s) | time (s) | floor (s) | ratio | "
          "peak memory (GiB) |")
    print("|---:|---|---|---:|---:|---:|---:|---:|", flush=True)
    for n in args.sizes:
        make_data(n)
        for kpi in args.kpis:
            for path in paths:
                r = measure(path, kpi, n, args.repeat)
                if "error" in r:
                    print(f"| {n:,} | {kpi} | {path} | — | failed: {r['error']} | — | — | "
                          f"{r['peak'] / 2**30:.2f} |", flush=True)
                    continue
                f = None if args.no_floor else measure(path, kpi, n, args.repeat, floor=True)
                tf = f.get("seconds") if f else None
                ratio = r["seconds"] / tf if tf else None
                print(f"| {n:,} | {kpi} | {path} | {_fmt(r['load'])} | {_fmt(r['seconds'])} | "
                      f"{_fmt(tf)} | {_fmt(ratio)} | {r['peak'] / 2**30:.2f} |", flush=True)

    print(f"\nuptime after: {_uptime()}", flush=True)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _compare(args: argparse.Namespace, paths: list[str]) -> None:
    """Baseline code, this tree's code and the floor, KPI by KPI, in one table."""
    print(f"baseline: {args.baseline.resolve()}; new: {HERE.parent}\n")
    print("| customers | KPI | path | baseline (s) | new (s) | new / baseline | floor (s) | "
          "new / floor | peak memory baseline / new / floor (GiB) | load average (1 min) |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    for n in args.sizes:
        make_data(n)
        for kpi in args.kpis:
            for path in paths:
                old = measure(path, kpi, n, args.repeat, tree=args.baseline)
                new = measure(path, kpi, n, args.repeat)
                floor = measure(path, kpi, n, args.repeat, floor=True)
                cells = []
                for r in (old, new, floor):
                    cells.append(None if "error" in r else r["seconds"])
                t_old, t_new, t_floor = cells
                peaks = " / ".join(f"{r['peak'] / 2**30:.2f}" for r in (old, new, floor))
                errs = "; ".join(r["error"] for r in (old, new, floor) if "error" in r)
                print(f"| {n:,} | {kpi} | {path} | {_fmt(t_old)} | {_fmt(t_new)} | "
                      f"{_fmt(t_new / t_old if t_new and t_old else None)} | {_fmt(t_floor)} | "
                      f"{_fmt(t_new / t_floor if t_new and t_floor else None)} | {peaks} | "
                      f"{os.getloadavg()[0]:.2f} |" + (f" failed: {errs}" if errs else ""),
                      flush=True)


if __name__ == "__main__":
    main()
