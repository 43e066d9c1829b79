"""Where the aggregation runs: pandas in memory, or any engine Ibis reaches.

Every KPI in the course reduces to one small group-by (DESIGN.md section 6, *aggregate first*):
customers counted per (group, duration, churned) for the survival curves, per (start period,
end period) for churn and cohort tables, revenue summed per base month for revenue retention.
Only that group-by has to touch every row. This package runs it *inside* the engine that holds
the table and brings back only the aggregated rows, which the KPI functions then finish exactly
as they do for a pandas DataFrame. So the same call works on

- a pandas ``DataFrame`` (in memory: the reference path, plain pandas);
- a polars ``DataFrame``/``LazyFrame`` or a pyarrow ``Table`` (run by an embedded DuckDB);
- a DuckDB relation (``duckdb.sql(...)``, ``duckdb.read_parquet(...)``, ``duckdb.read_csv(...)``,
  ``con.table(...)``): DuckDB streams Parquet or CSV files larger than memory;
- any Ibis table (``ibis.connect("postgresql://...").table("subscriptions")``, or DuckDB,
  Snowflake, BigQuery... tables), run on its own backend;
- a Spark ``DataFrame`` (``pip install -e ".[spark]"``), local or on a cluster.

The group-bys and the input checks are written once, as Ibis expressions
(:mod:`cs_helpers.engines.table`, :mod:`cs_helpers.engines.aggregations`), and compiled for
each engine. The checks are the same rules as for pandas (missing columns, dates that are not
dates, an end before its start, duplicate ids, negative amounts...), and a broken rule raises
:class:`cs_helpers.DataError` with the column, the rule, how many rows break it and the first
offending ids.

Differences from the pandas path, by design:

- dates are read at day precision: date columns, timestamp columns (the time of day is
  dropped) or text in the forms of :mod:`cs_helpers.dates`;
- there is no ``attrs``: without ``as_of=`` the latest date in the table is used;
- sums of non-integer amounts (revenue retention) may differ from pandas in the last bits,
  because the engine adds in another order; counts are identical.

Examples
--------
>>> import duckdb
>>> import cs_helpers as cs
>>> con = duckdb.connect()
>>> subs = con.sql("SELECT * FROM (VALUES ('a', DATE '2024-01-05', DATE '2024-02-15'), "
...                "('b', DATE '2024-01-20', NULL)) t(customer_id, start_date, end_date)")
>>> cs.engines.engine_of(subs)
'duckdb'
>>> cs.churn_rate(subs, as_of="2024-03-31")["churned"].tolist()
[0, 1, 0]
"""

from __future__ import annotations

from .aggregations import (
    column_profile,
    column_sum,
    columns_of,
    group_means,
    lifetime_counts,
    lifetimes_from_tenure,
    revenue_sums,
    subscription_periods,
    to_lifetimes,
)
from .files import ENGINES, read, read_notes
from .table import engine_of, is_sql_table

__all__ = ["engine_of", "is_sql_table", "read", "read_notes", "to_lifetimes",
           "subscription_periods", "lifetimes_from_tenure", "lifetime_counts", "revenue_sums",
           "column_profile", "column_sum", "columns_of", "group_means", "ENGINES"]
