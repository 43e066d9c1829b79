"""List every query the engine layer sends for one KPI, with its time and SQL size.

Usage: ``python benchmarks/profile_queries.py KPI [N] [-v]`` (KPI: km_by_plan, churn_monthly,
cohort_monthly or revenue_12m) on the Parquet files ``bench_engines.py`` writes for N customers
(``CS_BENCH_DATA``, default ``benchmarks/_data``), read by DuckDB. ``-v`` prints the SQL.
Used for docs/performance.md ("Where the time went").
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import duckdb

import cs_helpers as cs
from cs_helpers.engines import table as engine_table

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("CS_BENCH_DATA", HERE / "_data"))
AS_OF = "2026-09-30"


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    kpi, n = args[0], int(args[1]) if len(args) > 1 else 10_000_000
    log: list[tuple[float, str]] = []
    original = engine_table.Runner._run

    def run(self, expr):
        t0 = time.perf_counter()
        out = original(self, expr)
        log.append((time.perf_counter() - t0, self.sql(expr)))
        return out

    engine_table.Runner._run = run
    con = duckdb.connect()
    subs = con.read_parquet(str(DATA / f"subscriptions_{n}.parquet"))
    usage = con.read_parquet(str(DATA / f"usage_{n}.parquet"))
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    if kpi == "km_by_plan":
        cs.survival_curves(cs.to_lifetimes(subs, as_of=AS_OF), by="plan")
    elif kpi == "churn_monthly":
        cs.churn_rate(subs, as_of=AS_OF)
    elif kpi == "cohort_monthly":
        cs.cohort_retention(subs, as_of=AS_OF)
    else:
        cs.revenue_retention(usage, window=12)
    total = time.perf_counter() - t0
    print(f"{kpi} ({n:,} customers): {total:.2f} s, {len(log)} queries "
          f"({sum(t for t, _ in log):.2f} s), load average {os.getloadavg()[0]:.2f}")
    for i, (t, sql) in enumerate(log):
        print(f"  q{i}: {t:.2f} s, {len(sql):,} bytes: {' '.join(sql.split())[:160]}")
    if "-v" in sys.argv:
        for i, (_, sql) in enumerate(log):
            print(f"---- q{i}\n{sql}")


if __name__ == "__main__":
    main()
