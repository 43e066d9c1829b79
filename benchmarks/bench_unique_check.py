"""Time the exact unique-id check alone against the bare GROUP BY (DuckDB from Parquet).

Usage: ``python benchmarks/bench_unique_check.py N [REPEAT]`` on the subscriptions file that
``bench_engines.py`` writes for N customers (``CS_BENCH_DATA``, default ``benchmarks/_data``).
Prints the best of REPEAT runs of each statement, as Markdown rows, and the load average before
and after (docs/performance.md).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("CS_BENCH_DATA", HERE / "_data"))


def main() -> None:
    n = int(sys.argv[1])
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    con = duckdb.connect()
    path = DATA / f"subscriptions_{n}.parquet"
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{path}')")
    con.sql("SELECT count(*) FROM t").fetchall()         # the file's metadata, read once
    lo, hi = con.sql("SELECT min(customer_id), max(customer_id) FROM t").fetchall()[0]
    month = "((year({d}) - 1970) * 12 + month({d}) - 1)"
    queries = {
        "bare `GROUP BY` (start month, end month)":
            f"SELECT {month.format(d='start_date')} AS s, {month.format(d='end_date')} AS e, "
            "count(*) FROM t GROUP BY s, e",
        "`count(DISTINCT id)`, integer ids":
            "SELECT count(DISTINCT customer_id), count(customer_id) FROM t",
        "`count(DISTINCT id)`, the same ids as text":
            "SELECT count(DISTINCT CAST(customer_id AS VARCHAR)), count(customer_id) FROM t",
        "the cast to text alone": "SELECT max(CAST(customer_id AS VARCHAR)) FROM t",
        "`bit_count(bitstring_agg(id, min, max))`, integer ids":
            f"SELECT bit_count(bitstring_agg(customer_id, {lo}, {hi})), count(customer_id) "
            "FROM t",
    }
    print(f"load average before: {os.getloadavg()[0]:.2f}\n")
    print("| query | time (s) |\n|---|---:|")
    for name, sql in queries.items():
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            con.sql(sql).fetchall()
            best = min(best, time.perf_counter() - t0)
        print(f"| {name} | {best:.2f} |", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
