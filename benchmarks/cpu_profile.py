"""CPU seconds of every query a KPI sends, and of its floor, re-run on one DuckDB thread.

Usage: ``python benchmarks/cpu_profile.py KPI [N] [--repeat R]`` (KPI: km_by_plan,
churn_monthly, cohort_monthly or revenue_12m) on the Parquet files ``bench_engines.py`` writes
for N customers (``CS_BENCH_DATA``, default ``benchmarks/_data``), read by DuckDB.

Wall-clock times on a shared machine move with the load (the same call took 1.4 s and 3.2 s
within minutes on our 2-core box); the CPU time of one DuckDB thread moves far less. So this
runs the KPI once (to record the queries the engine layer sends), then sets ``threads = 1`` on
the connection and re-runs each recorded query and the bare GROUP BY of ``bench_engines.py``
(the floor), ``R`` times each (default 3), and prints the best CPU time (``time.process_time``)
of each. Run it with ``PYTHONPATH=<tree>`` to measure another checkout (an older commit) the
same way. The time outside the queries (Python, lifelines on the counts) is not included.
Used for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import duckdb

import cs_helpers as cs
from cs_helpers.engines import table as engine_table

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("CS_BENCH_DATA", HERE / "_data"))


def main() -> None:
    import bench_engines as bench

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kpi", choices=bench.KPIS)
    parser.add_argument("n", type=int, nargs="?", default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bench.DATA = DATA

    log: list[tuple[object, str, str]] = []
    original = engine_table.Runner._run

    def run(self, expr):
        if self.engine == "duckdb":
            log.append((self.source, self.name, self.sql(expr)))
        return original(self, expr)

    engine_table.Runner._run = run
    con = duckdb.connect()
    subs = con.read_parquet(str(bench.subs_path(args.n)))
    usage = con.read_parquet(str(bench.usage_path(args.n)))
    warnings.simplefilter("ignore")
    bench._kpi(args.kpi, subs, usage)
    engine_table.Runner._run = original
    con.execute("SET threads = 1")

    def cpu(f) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            f()
            best = min(best, time.process_time() - t0)
        return best

    total = 0.0
    print(f"{args.kpi}, {args.n:,} customers, one DuckDB thread, CPU s best of {args.repeat} "
          f"({cs.__file__}; load average {os.getloadavg()[0]:.2f})")
    for i, (source, name, sql) in enumerate(log):
        t = cpu(lambda s=source, v=name, q=sql: s.query(v, q).fetchall())
        total += t
        print(f"  q{i}: {t:.3f}  {' '.join(sql.split())[:100]}")
    floor = cpu(lambda: bench._floor("duckdb-parquet", args.kpi, subs, usage, con))
    print(f"  queries: {total:.3f}; floor (bare GROUP BY): {floor:.3f}; ratio {total / floor:.2f}")


if __name__ == "__main__":
    main()
