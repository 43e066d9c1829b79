"""Where the aggregation runs: pandas in memory, DuckDB, or Spark.

Every KPI in the course reduces to one small group-by (DESIGN.md section 6, *aggregate first*):
customers counted per (group, duration, churned) for the survival curves, per (start period,
end period) for churn and cohort tables, revenue summed per base month for revenue retention.
Only that group-by has to touch every row. This module runs it *inside* the engine that holds
the table and brings back only the aggregated rows, which the KPI functions then finish exactly
as they do for a pandas DataFrame. So the same call works on

- a pandas ``DataFrame`` (in memory);
- a DuckDB relation (``duckdb.sql(...)``, ``duckdb.read_parquet(...)``, ``duckdb.read_csv(...)``,
  ``con.table(...)``): DuckDB streams Parquet or CSV files larger than memory;
- a Spark ``DataFrame`` (``pip install -e ".[spark]"``), local or on a cluster.

The input checks are the same rules as for pandas (missing columns, dates that are not dates,
an end before its start, duplicate ids, negative amounts...), run as SQL, and a broken rule
raises :class:`cs_helpers.DataError` with the column, the rule, how many rows break it and the
first offending ids.

Differences from the pandas path, by design:

- dates are read at day precision: ``DATE`` columns, ``TIMESTAMP`` columns (the time of day is
  dropped) or ISO text (``2024-01-31``); other text formats raise a DataError that says so;
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

import itertools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import errors
from .errors import DataError

__all__ = ["engine_of", "is_sql_table", "read", "to_lifetimes", "subscription_periods",
           "lifetime_counts", "revenue_sums", "column_profile", "group_means", "ENGINES"]

#: The engines a KPI function accepts, in the order they are tried.
ENGINES = ("pandas", "duckdb", "spark")

_ids = itertools.count()


def engine_of(table: Any) -> str:
    """Name the engine that holds ``table``: ``"pandas"``, ``"duckdb"`` or ``"spark"``.

    Raises
    ------
    DataError
        For any other kind of object (a list, a dict, a polars frame...).

    Examples
    --------
    >>> engine_of(pd.DataFrame({"a": [1]}))
    'pandas'
    """
    if isinstance(table, pd.DataFrame):
        return "pandas"
    cls = type(table)
    module = cls.__module__ or ""
    if module.startswith("duckdb") and cls.__name__ == "DuckDBPyRelation":
        return "duckdb"
    if module.startswith("pyspark") and cls.__name__ == "DataFrame":
        return "spark"
    raise DataError(
        f"Expected a pandas DataFrame, a DuckDB relation or a Spark DataFrame, got "
        f"{cls.__module__}.{cls.__name__}. Convert it first (e.g. pd.DataFrame(...), or "
        "duckdb.read_parquet('file.parquet') for files on disk).")


def is_sql_table(table: Any) -> bool:
    """True for a DuckDB relation or a Spark DataFrame (the engines that run SQL).

    Examples
    --------
    >>> is_sql_table(pd.DataFrame())
    False
    """
    return not isinstance(table, pd.DataFrame) and engine_of(table) != "pandas"


# --------------------------------------------------------------------------------------------
# A thin uniform wrapper over the two SQL engines
# --------------------------------------------------------------------------------------------

def _kind(type_name: str) -> str:
    t = type_name.lower()
    if t == "date" or t.startswith("date32"):
        return "date"
    if t.startswith("timestamp") or t == "datetime":
        return "timestamp"
    if t in ("varchar", "string", "text") or t.startswith("varchar") or t.startswith("char"):
        return "string"
    if t in ("boolean", "bool"):
        return "bool"
    if re.match(r"^(u?(tinyint|smallint|integer|int|bigint|hugeint)|byte|short|long|float|"
                r"double|real|decimal.*)$", t):
        return "number"
    return "other"


@dataclass
class _SQL:
    """A DuckDB relation or Spark DataFrame with what the checks need to know about it."""

    table: Any
    engine: str

    def __post_init__(self) -> None:
        if self.engine == "duckdb":
            self.columns = list(self.table.columns)
            self.kinds = {c: _kind(str(t)) for c, t in zip(self.columns, self.table.types,
                                                           strict=True)}
        else:
            self.columns = [c for c, _ in self.table.dtypes]
            self.kinds = {c: _kind(t) for c, t in self.table.dtypes}

    # identifiers and dialect ------------------------------------------------------------
    def q(self, col: str) -> str:
        """Quote a column name."""
        if self.engine == "duckdb":
            return '"' + col.replace('"', '""') + '"'
        return "`" + col.replace("`", "``") + "`"

    def date(self, col: str) -> str:
        """SQL for ``col`` as a DATE (NULL for missing, blank or unparseable text)."""
        c, kind = self.q(col), self.kinds[col]
        if kind == "date":
            return c
        if kind == "timestamp":
            return f"CAST({c} AS DATE)"
        return f"TRY_CAST(NULLIF(TRIM(CAST({c} AS {self.text})), '') AS DATE)"

    @property
    def text(self) -> str:
        """The engine's name for the text type."""
        return "VARCHAR" if self.engine == "duckdb" else "STRING"

    def blank(self, col: str) -> str:
        """SQL that is true where ``col`` is missing (NULL or blank text)."""
        c = self.q(col)
        if self.kinds[col] == "string":
            return f"({c} IS NULL OR TRIM({c}) = '')"
        return f"({c} IS NULL)"

    def days_between(self, start: str, end: str) -> str:
        if self.engine == "duckdb":
            return f"date_diff('day', {start}, {end})"
        return f"datediff({end}, {start})"

    def add_months(self, date_sql: str, k_sql: str) -> str:
        """SQL for ``date + k`` months, the day clipped to the month's end (a billing date).

        DuckDB's date arithmetic and Spark's ``add_months`` (3.0 and later) both clip, and
        neither moves a month-end date to later month ends, as :func:`cs_helpers.lifetimes.
        calendar_months` does.
        """
        if self.engine == "duckdb":
            return f"CAST({date_sql} + to_months(CAST({k_sql} AS INTEGER)) AS DATE)"
        return f"add_months({date_sql}, CAST({k_sql} AS INT))"

    def months_between(self, start: str, stop: str, month: str) -> str:
        """SQL for the months from ``start`` to ``stop`` (DATE expressions), as a DOUBLE:
        calendar months (:func:`cs_helpers.lifetimes.calendar_months`) or days / 30.4375."""
        from .lifetimes import DAYS_PER_MONTH

        if month == "average":
            return (f"CAST({self.days_between(start, stop)} AS DOUBLE) / "
                    f"CAST({DAYS_PER_MONTH} AS DOUBLE)")
        k0 = (f"((year({stop}) - year({start})) * 12 + month({stop}) - month({start}))")
        k = f"(CASE WHEN {self.add_months(start, k0)} > {stop} THEN {k0} - 1 ELSE {k0} END)"
        last, following = self.add_months(start, k), self.add_months(start, f"{k} + 1")
        return (f"(CAST({k} AS DOUBLE) + CAST({self.days_between(last, stop)} AS DOUBLE) / "
                f"CAST({self.days_between(last, following)} AS DOUBLE))")

    def number(self, col: str) -> str:
        """SQL for ``col`` as a DOUBLE (NULL where it is not a number)."""
        c = self.q(col)
        if self.kinds[col] == "number":
            return f"CAST({c} AS DOUBLE)"
        if self.kinds[col] == "string":
            return f"TRY_CAST(TRIM({c}) AS DOUBLE)"
        return "CAST(NULL AS DOUBLE)"

    def not_a_number(self, expr: str) -> str:
        return f"({expr} IS NULL OR isnan({expr}))"

    def period(self, date_sql: str, freq: str) -> str:
        """SQL for the pandas period ordinal of a date (months/quarters/years since 1970)."""
        if freq == "M":
            return f"((year({date_sql}) - 1970) * 12 + month({date_sql}) - 1)"
        if freq == "Q":
            return f"((year({date_sql}) - 1970) * 4 + quarter({date_sql}) - 1)"
        return f"(year({date_sql}) - 1970)"

    def literal_date(self, ts: pd.Timestamp) -> str:
        return f"DATE '{ts.date().isoformat()}'"

    # running -------------------------------------------------------------------------------
    def run(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` (which names the table ``{t}``) and return the (small) result."""
        name = f"cs_helpers_{uuid.uuid4().hex[:12]}_{next(_ids)}"
        query = sql.replace("{t}", name)
        if self.engine == "duckdb":
            return self.table.query(name, query).df()
        spark = self.table.sparkSession
        self.table.createOrReplaceTempView(name)
        try:
            return spark.sql(query).toPandas()
        finally:
            spark.catalog.dropTempView(name)

    def select(self, exprs: Sequence[str], where: str | None = None) -> Any:
        """A lazy projection of the table (same engine): ``SELECT exprs FROM t WHERE where``."""
        if self.engine == "duckdb":
            rel = self.table.filter(where) if where else self.table
            return rel.project(", ".join(exprs))
        df = self.table.where(where) if where else self.table
        return df.selectExpr(*exprs)

    # checks ---------------------------------------------------------------------------------
    def check_columns(self, columns: Sequence[str | None], what: str) -> None:
        missing = [c for c in columns if c is not None and c not in self.columns]
        if missing:
            have = ", ".join(repr(c) for c in self.columns[:15])
            names = ", ".join(repr(c) for c in missing)
            word = "Column" if len(missing) == 1 else "Columns"
            raise DataError(
                f"{word} {names}: required column missing from the {what} table (it has: "
                f"{have}). Pass the right name as an argument, e.g. "
                f"{errors._arg_hint(missing[0])}='...'.")

    def check_rules(self, rules: Sequence[tuple[str, str, str]], id_col: str | None,
                    what: str, extra: dict[str, str] | None = None,
                    unique: str | None = None,
                    after_unique: Sequence[tuple[str, str, str]] = ()) -> pd.Series:
        """Count, in one pass, the rows breaking each rule; raise for the first one broken.

        ``rules`` are ``(column, rule text, SQL true for a bad row)``, checked in order, then
        ``unique`` (a column whose values must be unique), then ``after_unique``.
        ``extra`` are further aggregates to compute in the same pass (returned).
        """
        every = list(rules) + list(after_unique)
        parts = ["count(*) AS n_rows"]
        parts += [f"sum(CASE WHEN {bad} THEN 1 ELSE 0 END) AS bad_{i}"
                  for i, (_, _, bad) in enumerate(every)]
        if unique is not None:
            parts.append(f"count(DISTINCT {self.q(unique)}) AS n_distinct")
            parts.append(f"count({self.q(unique)}) AS n_present")
        parts += [f"{expr} AS {name}" for name, expr in (extra or {}).items()]
        row = self.run(f"SELECT {', '.join(parts)} FROM {{t}}").iloc[0]
        n_rows = int(row["n_rows"])
        if n_rows == 0:
            raise DataError(f"The {what} table is empty (0 rows): there is nothing to measure.")
        for i, (column, rule, bad) in enumerate(rules):
            n_bad = int(row[f"bad_{i}"] or 0)
            if n_bad:
                self._raise(column, rule, n_bad, n_rows, bad, id_col)
        if unique is not None and int(row["n_distinct"]) < int(row["n_present"]):
            u = self.q(unique)
            dup = self.run(f"SELECT sum(c) AS n FROM (SELECT count(*) AS c FROM {{t}} "
                           f"GROUP BY {u} HAVING count(*) > 1) d").iloc[0]["n"]
            ids = self.run(f"SELECT {u} AS id FROM {{t}} WHERE {u} IN (SELECT {u} FROM {{t}} "
                           f"GROUP BY {u} HAVING count(*) > 1) ORDER BY {u} "
                           f"LIMIT {errors.MAX_IDS}")["id"]
            self._message(unique, "ids must be unique (one row per customer)", int(dup), n_rows,
                          [str(v) for v in ids], True)
        for i, (column, rule, bad) in enumerate(after_unique, start=len(rules)):
            n_bad = int(row[f"bad_{i}"] or 0)
            if n_bad:
                self._raise(column, rule, n_bad, n_rows, bad, id_col)
        return row

    def _raise(self, column: str, rule: str, n_bad: int, n_rows: int, bad: str,
               id_col: str | None) -> None:
        ids: list[str] = []
        if id_col is not None:
            got = self.run(f"SELECT {self.q(id_col)} AS id FROM {{t}} WHERE {bad} "
                           f"LIMIT {errors.MAX_IDS}")
            ids = [str(v) for v in got["id"]]
        self._message(column, rule, n_bad, n_rows, ids, id_col is not None)

    @staticmethod
    def _message(column: str, rule: str, n_bad: int, n_rows: int, ids: list[str],
                 has_ids: bool) -> None:
        more = ", …" if n_bad > len(ids) else ""
        which = (f" (first ids: {', '.join(ids)}{more})" if has_ids and ids
                 else " (the table has no id column to name them)")
        raise DataError(f"Column '{column}': {rule} — {n_bad:,} of {n_rows:,} rows break this "
                        f"rule{which}.")


def _wrap(table: Any) -> _SQL:
    engine = engine_of(table)
    if engine == "pandas":
        raise TypeError("pandas DataFrames take the in-memory path, not the SQL one.")
    return _SQL(table, engine)


_DATE_RULE = "values must be dates (a DATE column, or ISO text such as 2024-01-31)"


def _date_rules(t: _SQL, column: str, allow_missing: bool) -> list[tuple[str, str, str]]:
    rules = [(column, _DATE_RULE, f"(NOT {t.blank(column)} AND {t.date(column)} IS NULL)")]
    if not allow_missing:
        rules.append((column, "dates must not be missing", t.blank(column)))
    return rules


def _resolve_as_of(as_of: Any, latest: Any) -> tuple[pd.Timestamp, str]:
    if as_of is not None:
        try:
            return pd.Timestamp(as_of).tz_localize(None).normalize(), "given"
        except (TypeError, ValueError) as exc:
            raise DataError(f"as_of: {as_of!r} is not a date (e.g. '2026-09-30').") from exc
    return (pd.Timestamp(latest).normalize(),
            "the latest date in the table (pass as_of= to choose)")


def _clean_subscriptions(t: _SQL, id_col: str | None, start_col: str, end_col: str,
                         as_of: Any, what: str = "subscriptions"
                         ) -> tuple[pd.Timestamp, str, str, str]:
    """Check a subscriptions table in the engine; return as_of and SQL for start, censored end,
    and the filter that keeps customers who started by as_of."""
    t.check_columns([id_col, start_col, end_col], what)
    start, end = t.date(start_col), t.date(end_col)
    rules = _date_rules(t, start_col, False) + _date_rules(t, end_col, True)
    order = [(end_col, "an end date must not be before its start date", f"({end} < {start})")]
    extra = {"latest": f"greatest(max({start}), coalesce(max({end}), max({start})))",
             "earliest": f"min({start})"}
    if as_of is not None:
        # customers who start after as_of, counted in the same pass (with no as_of the latest
        # date is used, and nobody starts after it)
        day = t.literal_date(_resolve_as_of(as_of, None)[0])
        extra["n_late"] = f"sum(CASE WHEN {start} > {day} THEN 1 ELSE 0 END)"
    row = t.check_rules(rules, id_col, what, extra=extra, unique=id_col, after_unique=order)
    as_of_ts, _ = _resolve_as_of(as_of, row["latest"])
    day = t.literal_date(as_of_ts)
    n_late = int(row["n_late"] or 0) if as_of is not None else 0
    if n_late == int(row["n_rows"]):
        raise DataError(
            f"Column '{start_col}': every customer starts after as_of={as_of_ts.date()} "
            f"(earliest start {pd.Timestamp(row['earliest']).date()}), so nobody was a "
            "customer then. Choose a later as_of.")
    if n_late:
        ids: list[str] = []
        if id_col is not None:
            ids = [str(v) for v in t.run(f"SELECT {t.q(id_col)} AS id FROM {{t}} WHERE "
                                         f"{start} > {day} LIMIT {errors.MAX_IDS}")["id"]]
        errors.record_filtered(
            pd.DataFrame(), f"customers who start after as_of={as_of_ts.date()} (not yet "
            "customers then)", n_late, ids, stacklevel=5)
    censored_end = f"CASE WHEN {end} <= {day} THEN {end} END"
    return as_of_ts, start, censored_end, f"{start} <= {day}"


# --------------------------------------------------------------------------------------------
# The aggregations the KPI functions call
# --------------------------------------------------------------------------------------------

def to_lifetimes(subs: Any, *, id_col: str | None = "customer_id",
                 start_col: str = "start_date", end_col: str = "end_date",
                 as_of: Any = None, month: str = "calendar", observed_from: Any = None) -> Any:
    """:func:`cs_helpers.to_lifetimes` for a DuckDB relation or a Spark DataFrame.

    Checks the table in the engine (same rules as for pandas), then returns a *lazy* table of
    the same engine with the input's columns plus ``duration`` (DOUBLE, calendar months by
    default, or days / 30.4375 with ``month="average"``: the same numbers as the pandas path)
    and ``churned`` (BOOLEAN), ready for :func:`cs_helpers.survival_curves`. Customers who
    start after ``as_of`` are left out with a :class:`cs_helpers.DataWarning`. With
    ``observed_from`` an ``entry`` column is added and customers who ended by then are left
    out with a warning, as in the pandas path.
    """
    from .lifetimes import _check_month, _observed_from

    month = _check_month(month)
    t = _wrap(subs)
    as_of_ts, start, end, keep = _clean_subscriptions(t, id_col, start_col, end_col, as_of)
    stop = f"coalesce({end}, {t.literal_date(as_of_ts)})"
    others = [t.q(c) for c in t.columns if c not in ("duration", "churned", "entry")]
    exprs = others + [f"{t.months_between(start, stop, month)} AS duration",
                      f"({end} IS NOT NULL) AS churned"]
    if observed_from is not None:
        window_ts = _observed_from(observed_from, as_of_ts)
        window = t.literal_date(window_ts)
        gone = f"({end} IS NOT NULL AND {end} <= {window})"
        n_gone = int(t.run(f"SELECT count(*) AS n FROM {{t}} WHERE {keep} AND {gone}")
                     .iloc[0]["n"])
        if n_gone:
            ids: list[str] = []
            if id_col is not None:
                ids = [str(v) for v in t.run(f"SELECT {t.q(id_col)} AS id FROM {{t}} WHERE "
                                             f"{keep} AND {gone} LIMIT {errors.MAX_IDS}")["id"]]
            errors.record_filtered(pd.DataFrame(), _ENDED_BEFORE.format(window=window_ts.date()),
                                   n_gone, ids, stacklevel=4)
        first = f"(CASE WHEN {start} > {window} THEN {start} ELSE {window} END)"
        exprs.append(f"{t.months_between(start, first, month)} AS entry")
        keep = f"({keep}) AND NOT {gone}"
    return t.select(exprs, where=keep)


_ENDED_BEFORE = ("customers whose subscription ended by observed_from={window} (the table "
                 "cannot represent them fairly: others who ended before then are missing)")


def subscription_periods(subs: Any, freq: str, as_of: Any, id_col: str | None,
                         start_col: str, end_col: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Customers counted per (start period, end period) in the engine.

    Returns the counts (columns ``start``, ``end`` as pandas period ordinals, ``ended``,
    ``customers``) and the observation date. ``end`` equals ``start`` where ``ended`` is
    False (still active at ``as_of``).
    """
    t = _wrap(subs)
    as_of_ts, start, end, keep = _clean_subscriptions(t, id_col, start_col, end_col, as_of)
    s, e = t.period(start, freq), t.period(end, freq)
    sql = (f"SELECT s AS start, coalesce(e, s) AS end_, e IS NOT NULL AS ended, "
           f"count(*) AS customers FROM (SELECT {s} AS s, {e} AS e FROM {{t}} WHERE {keep}) x "
           "GROUP BY s, e")
    got = t.run(sql).rename(columns={"end_": "end"})
    got = got.astype({"start": np.int64, "end": np.int64, "ended": bool,
                      "customers": np.int64})
    return got.sort_values(["start", "end", "ended"], ignore_index=True), as_of_ts


_TRUE_TEXT = ("1", "yes", "y", "true", "t", "churned")
_FALSE_TEXT = ("0", "no", "n", "false", "f", "active")


def _flag(t: _SQL, col: str) -> str:
    """SQL for a churn flag as BOOLEAN (NULL where the value is not a recognised flag)."""
    c, kind = t.q(col), t.kinds[col]
    if kind == "bool":
        return c
    if kind == "number":
        return f"CASE WHEN {c} = 1 THEN TRUE WHEN {c} = 0 THEN FALSE END"
    low = f"lower(trim(CAST({c} AS {t.text})))"
    yes = ", ".join(f"'{v}'" for v in _TRUE_TEXT)
    no = ", ".join(f"'{v}'" for v in _FALSE_TEXT)
    return f"CASE WHEN {low} IN ({yes}) THEN TRUE WHEN {low} IN ({no}) THEN FALSE END"


def lifetime_counts(lifetimes: Any, by: str | None, duration_col: str,
                    event_col: str, entry_col: str | None = None) -> pd.DataFrame:
    """:func:`cs_helpers.survival.aggregate_lifetimes` run in the engine.

    Same output: ``group`` (when ``by`` is given), ``entry`` (when ``entry_col`` is given),
    ``duration``, ``churned``, ``customers``, sorted by group label, entry, duration and
    churned.
    """
    t = _wrap(lifetimes)
    t.check_columns([duration_col, event_col, by, entry_col], "lifetimes")
    dur, flag = t.number(duration_col), _flag(t, event_col)
    cols = (["grp"] if by is not None else []) + (["entry"] if entry_col is not None else []) \
        + ["duration", "churned"]
    select = ([f"{t.q(by)} AS grp"] if by is not None else []) \
        + ([f"{t.number(entry_col)} AS entry"] if entry_col is not None else []) \
        + [f"{dur} AS duration", f"{flag} AS churned"]
    keys = ", ".join(cols)
    inner = f"SELECT {', '.join(select)} FROM {{t}}"
    # One pass: the count itself. Rows that break a rule (a duration that is not a number or
    # is negative, an unknown flag, a missing group) land in their own groups (NULL, NaN or
    # negative keys), so the checks read the small result instead of scanning the table again.
    got = t.run(f"SELECT {keys}, count(*) AS customers FROM ({inner}) x GROUP BY {keys}")
    n_rows = int(got["customers"].sum())
    if n_rows == 0:
        raise DataError("The lifetimes table is empty (0 rows): there is nothing to measure.")
    d = pd.to_numeric(got["duration"], errors="coerce")
    rules = [(duration_col, "values must be numbers (not missing, not text)", d.isna()),
             (duration_col, "values must not be negative", d < 0),
             (duration_col, "durations must be finite (no infinite lifetimes)", np.isinf(d)),
             (event_col, "churn flags must be one of True/1/Yes (churned) or False/0/No "
              "(still active)", got["churned"].isna())]
    if entry_col is not None:
        ent = pd.to_numeric(got["entry"], errors="coerce")
        rules += [(entry_col, "values must be numbers (not missing, not text)", ent.isna()),
                  (entry_col, "values must not be negative", ent < 0),
                  (entry_col, f"entry must not be after the end of the follow-up "
                   f"({duration_col})", ent > d)]
    if by is not None:
        rules.append((by, "group labels must not be missing", got["grp"].isna()))
    for column, rule, bad in rules:
        n_bad = int(got.loc[bad.to_numpy(dtype=bool), "customers"].sum())
        if n_bad:
            t._message(column, rule, n_bad, n_rows, [], False)
    types = {"duration": float, "churned": bool, "customers": np.int64}
    if entry_col is not None:
        types["entry"] = float
    got = got.astype(types)
    sort_cols = [c for c in ("entry", "duration", "churned") if c in got.columns]
    if by is None:
        return got.sort_values(sort_cols, ignore_index=True)
    got = got.rename(columns={"grp": "group"})
    order = np.lexsort(tuple(got[c].to_numpy() for c in reversed(sort_cols))
                       + (pd.factorize(got["group"], sort=True)[0],))
    return got.iloc[order].reset_index(drop=True)[["group", *sort_cols, "customers"]]


def revenue_sums(usage: Any, id_col: str, month_col: str, mrr_col: str,
                 window: int) -> pd.DataFrame:
    """Per base month, the sums :func:`cs_helpers.revenue_retention` divides, in the engine.

    Returns columns ``m`` (month ordinal), ``customers``, ``base_mrr``, ``mrr_after``,
    ``expansion_mrr``, ``contraction_mrr``, ``churned_mrr``, ``kept``, ``capped``.
    """
    t = _wrap(usage)
    t.check_columns([id_col, month_col, mrr_col], "usage")
    mrr = t.number(mrr_col)
    rules = _date_rules(t, month_col, False) + [
        (mrr_col, "values must be numbers (not missing, not text)", t.not_a_number(mrr)),
        (mrr_col, "values must not be negative", f"({mrr} < 0)")]
    t.check_rules(rules, id_col, "usage")
    m = t.period(t.date(month_col), "M")
    u = f"SELECT {t.q(id_col)} AS id, {m} AS m, {mrr} AS mrr FROM {{t}}"
    dup = t.run(f"SELECT count(*) AS groups, sum(c) AS n_rows FROM (SELECT count(*) AS c "
                f"FROM ({u}) u GROUP BY id, m HAVING count(*) > 1) d").iloc[0]
    if int(dup["groups"]):
        total = int(t.run("SELECT count(*) AS n FROM {t}").iloc[0]["n"])
        ids = t.run(f"SELECT id FROM ({u}) u GROUP BY id, m HAVING count(*) > 1 ORDER BY id "
                    f"LIMIT {errors.MAX_IDS}")["id"]
        t._message(month_col, "one row per customer and month", int(dup["n_rows"]), total,
                   [str(v) for v in ids], True)
    sql = f"""
    WITH u AS ({u}),
    last AS (SELECT max(m) AS mx FROM u),
    j AS (
        SELECT b.m AS m, b.mrr AS before, coalesce(a.mrr, 0.0) AS after
        FROM u b LEFT JOIN u a ON a.id = b.id AND a.m = b.m + {int(window)}
        WHERE b.mrr > 0 AND b.m + {int(window)} <= (SELECT mx FROM last))
    SELECT m, count(*) AS customers, sum(before) AS base_mrr, sum(after) AS mrr_after,
        sum(CASE WHEN after > before THEN after - before ELSE 0.0 END) AS expansion_mrr,
        sum(CASE WHEN after > 0 AND before > after THEN before - after ELSE 0.0 END)
            AS contraction_mrr,
        sum(CASE WHEN after > 0 THEN 0.0 ELSE before END) AS churned_mrr,
        sum(CASE WHEN after > 0 THEN 1 ELSE 0 END) AS kept,
        sum(CASE WHEN after < before THEN after ELSE before END) AS capped
    FROM j GROUP BY m"""
    got = t.run(sql)
    cols = ["base_mrr", "mrr_after", "expansion_mrr", "contraction_mrr", "churned_mrr",
            "capped"]
    got = got.astype({"m": np.int64, "customers": np.int64, "kept": np.int64,
                      **{c: float for c in cols}})
    return got.sort_values("m", ignore_index=True)


# --------------------------------------------------------------------------------------------
# Small engine-neutral helpers for reports (notebook A2)
# --------------------------------------------------------------------------------------------

def read(path: Any, engine: str = "pandas", *, spark: Any = None) -> Any:
    """Open a CSV or Parquet file (or a glob of them) as a table of ``engine``.

    ``"pandas"`` loads it into memory; ``"duckdb"`` returns a lazy relation that streams the
    file, so it may be larger than memory; ``"spark"`` returns a Spark DataFrame (on
    ``spark``, default the active or a new local session). Parquet is chosen by the
    ``.parquet`` / ``.pq`` suffix, CSV otherwise (with a header row).

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> rel = read(datasets.data_dir() / "b2b_accounts.csv", "duckdb")
    >>> engine_of(rel), int(column_profile(rel, ["plan"]).loc["plan", "distinct values"])
    ('duckdb', 3)
    """
    from pathlib import Path

    text = str(path)
    parquet = Path(text.rstrip("*")).suffix.lower() in (".parquet", ".pq") or \
        text.endswith((".parquet", ".pq"))
    if "*" not in text and not Path(text).exists():
        raise DataError(f"data_path: file not found: {Path(text).name}")
    if engine == "pandas":
        return pd.read_parquet(text) if parquet else pd.read_csv(text)
    if engine == "duckdb":
        import duckdb

        return duckdb.read_parquet(text) if parquet else duckdb.read_csv(text)
    if engine == "spark":
        if spark is None:
            from pyspark.sql import SparkSession

            spark = (SparkSession.builder
                     .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        reader = spark.read
        return (reader.parquet(text) if parquet
                else reader.csv(text, header=True, inferSchema=True))
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")


def column_profile(table: Any, columns: Sequence[str]) -> pd.DataFrame:
    """Missing and distinct values per column, counted in the table's own engine.

    ``attrs["rows"]`` holds the number of rows.

    Examples
    --------
    >>> column_profile(pd.DataFrame({"a": [1, None, 1], "b": ["x", "y", "z"]}), ["a", "b"])
       missing values  distinct values
    a               1                1
    b               0                3
    """
    cols = list(dict.fromkeys(columns))
    if not is_sql_table(table):
        errors.check_columns(table, cols)
        out = pd.DataFrame({"missing values": table[cols].isna().sum(),
                            "distinct values": table[cols].nunique()})
        out.attrs["rows"] = len(table)
        return out
    t = _wrap(table)
    t.check_columns(cols, "input")
    parts = ["count(*) AS n_rows"]
    for i, c in enumerate(cols):
        parts += [f"sum(CASE WHEN {t.q(c)} IS NULL THEN 1 ELSE 0 END) AS m{i}",
                  f"count(DISTINCT {t.q(c)}) AS d{i}"]
    row = t.run(f"SELECT {', '.join(parts)} FROM {{t}}").iloc[0]
    out = pd.DataFrame({"missing values": [int(row[f"m{i}"] or 0) for i in range(len(cols))],
                        "distinct values": [int(row[f"d{i}"]) for i in range(len(cols))]},
                       index=cols)
    out.attrs["rows"] = int(row["n_rows"])
    return out


def group_means(table: Any, value_col: str, by: str | None = None) -> pd.Series:
    """Mean of ``value_col`` per value of ``by`` (or overall, labelled ``"all"``), in the engine.

    Missing values are left out of the mean (as pandas does); text that is not a number is
    an error.

    Examples
    --------
    >>> group_means(pd.DataFrame({"plan": ["a", "a", "b"], "mrr": [10, 20, 5]}), "mrr", "plan")
    plan
    a    15.0
    b     5.0
    Name: mrr, dtype: float64
    """
    if not is_sql_table(table):
        errors.check_columns(table, [value_col, by])
        values = pd.to_numeric(table[value_col], errors="coerce")
        errors.fail_where(table, value_col, "values must be numbers",
                          (values.isna() & table[value_col].notna()).to_numpy())
        if by is None:
            return pd.Series({"all": values.mean()}, name=value_col)
        return values.groupby(table[by].astype(str)).mean().rename(value_col)
    t = _wrap(table)
    t.check_columns([value_col, by], "input")
    num = t.number(value_col)
    t.check_rules([(value_col, "values must be numbers",
                    f"({num} IS NULL AND {t.q(value_col)} IS NOT NULL)")], None, "input")
    if by is None:
        got = t.run(f"SELECT avg({num}) AS v FROM {{t}}")
        return pd.Series({"all": float(got.iloc[0]["v"])}, name=value_col)
    got = t.run(f"SELECT CAST({t.q(by)} AS {t.text}) AS g, avg({num}) AS v FROM {{t}} "
                f"GROUP BY {t.q(by)}")
    out = got.set_index("g")["v"].astype(float).sort_index()
    out.index.name = by
    return out.rename(value_col)
