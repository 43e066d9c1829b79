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

from . import dates, errors
from .errors import DataError

__all__ = ["engine_of", "is_sql_table", "read", "read_notes", "to_lifetimes",
           "subscription_periods", "lifetimes_from_tenure", "lifetime_counts", "revenue_sums",
           "column_profile", "group_means", "ENGINES"]

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
        self.plans: dict[str, dates.DatePlan] = {}

    # identifiers and dialect ------------------------------------------------------------
    def q(self, col: str) -> str:
        """Quote a column name."""
        if self.engine == "duckdb":
            return '"' + col.replace('"', '""') + '"'
        return "`" + col.replace("`", "``") + "`"

    def literal(self, text: str) -> str:
        """A SQL string literal."""
        if self.engine == "duckdb":
            return "'" + text.replace("'", "''") + "'"
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def matches(self, expr: str, pattern: str) -> str:
        """SQL true where the whole of ``expr`` matches ``pattern`` (see dates.PATTERNS)."""
        if self.engine == "duckdb":
            return f"regexp_full_match({expr}, '{pattern}')"
        return f"({expr} RLIKE '^(?:{pattern})$')"

    def date_text(self, col: str) -> str:
        """SQL for the value of ``col`` as the text the date rules read (as dates.as_text)."""
        c, kind = self.q(col), self.kinds[col]
        if kind == "number":
            return (f"(CASE WHEN {self.blank(col)} THEN NULL WHEN {c} = floor({c}) THEN "
                    f"CAST(TRY_CAST({c} AS BIGINT) AS {self.text}) "
                    f"ELSE CAST({c} AS {self.text}) END)")
        return f"trim(CAST({c} AS {self.text}))"

    def date_form(self, col: str) -> str:
        """SQL for the form of each value (dates.FORMS): the same test as dates.classify."""
        x, m = self.date_text(col), self.matches
        P = dates.PATTERNS
        a = f"TRY_CAST(regexp_extract({x}, '{dates.PARTS['slash']}', 1) AS INTEGER)"
        b = f"TRY_CAST(regexp_extract({x}, '{dates.PARTS['slash']}', 2) AS INTEGER)"
        slash = (f"CASE WHEN {a} = {b} THEN 'same' WHEN {a} > 12 AND {b} <= 12 THEN 'dmy' "
                 f"WHEN {b} > 12 AND {a} <= 12 THEN 'mdy' WHEN {a} <= 12 AND {b} <= 12 "
                 "THEN 'amb' ELSE 'other' END")
        return (f"(CASE WHEN {self.blank(col)} THEN 'blank' "
                + " ".join(f"WHEN {m(x, P[f])} THEN '{f}'"
                           for f in ("iso", "ymd", "compact", "kanji"))
                + f" WHEN {m(x, P['slash'])} THEN {slash} WHEN {m(x, P['serial'])} THEN "
                "'serial' ELSE 'other' END)")

    def plan_dates(self, columns: Sequence[str | None], id_col: str | None, what: str,
                   date_format: str | None = None, dayfirst: bool | None = None) -> None:
        """Decide how to read each date column (dates.decide), counting forms in one pass.

        DATE and TIMESTAMP columns need no decision. A column that breaks a date rule raises
        the same DataError as pandas (with the forms found, examples and the first ids).
        """
        todo = []
        for col in columns:
            if col is None or col in self.plans:
                continue
            if self.kinds[col] in ("date", "timestamp"):
                self.plans[col] = dates.DatePlan(label="a date/time column")
            else:
                todo.append(col)
        if not todo:
            return
        forms = [self.date_form(c) for c in todo]
        keys = ", ".join(f"f{i}" for i in range(len(todo)))
        sel = ", ".join(f"{f} AS f{i}" for i, f in enumerate(forms))
        got = self.run(f"SELECT {keys}, count(*) AS n FROM (SELECT {sel} FROM {{t}}) x "
                       f"GROUP BY {keys}")
        n_rows = int(got["n"].sum()) if len(got) else 0
        if n_rows == 0:
            raise DataError(f"The {what} table is empty (0 rows): there is nothing to measure.")
        for i, col in enumerate(todo):
            counts = {str(k): int(v) for k, v in got.groupby(f"f{i}")["n"].sum().items()}
            plan = dates.decide(counts, date_format=date_format, dayfirst=dayfirst)
            if plan.rule == dates.NOT_A_DATE and plan.bad == ("other",):
                # as pandas: dates of a readable form that are no date (2023-02-30) join the
                # same message
                rest = {f: n for f, n in counts.items() if f != "other"}
                trial = dates.decide(rest, date_format=date_format, dayfirst=dayfirst)
                if trial.rule is None:
                    self.plans[col] = trial
                    bad_sql = (f"({forms[i]} = 'other' OR (NOT {self.blank(col)} AND "
                               f"{self.date(col)} IS NULL))")
                    del self.plans[col]
                    n_bad = int(self.run(f"SELECT sum(CASE WHEN {bad_sql} THEN 1 ELSE 0 END) "
                                         "AS n FROM {t}").iloc[0]["n"])
                    self._raise(col, plan.rule, n_bad, n_rows, bad_sql, id_col)
            if plan.rule is not None:
                x = self.date_text(col)
                parts = [f"SELECT * FROM (SELECT '{f}' AS f, {x} AS v FROM {{t}} WHERE "
                         f"{forms[i]} = '{f}' LIMIT 1) s{j}" for j, f in enumerate(plan.counts)]
                ex = self.run(" UNION ALL ".join(parts))
                examples = {str(f): str(v) for f, v in zip(ex["f"], ex["v"], strict=True)}
                bad = ", ".join(f"'{f}'" for f in plan.bad)
                n_bad = sum(plan.counts.get(f, 0) for f in plan.bad)
                self._raise(col, dates.message(plan, examples), n_bad, n_rows,
                            f"({forms[i]} IN ({bad}))", id_col)
            self.plans[col] = plan

    def date(self, col: str) -> str:
        """SQL for ``col`` as a DATE (NULL for missing, blank or unreadable values), read by
        the plan :meth:`plan_dates` made for it."""
        c, kind = self.q(col), self.kinds[col]
        if kind == "date":
            return c
        if kind == "timestamp":
            return f"CAST({c} AS DATE)"
        if col not in self.plans:
            self.plan_dates([col], None, "input")
        plan, x = self.plans[col], self.date_text(col)

        def iso(pattern: str, y: int, m: int, d: int) -> str:
            g = [f"regexp_extract({x}, '{pattern}', {k})" for k in (y, m, d)]
            return (f"concat({g[0]}, '-', lpad({g[1]}, 2, '0'), '-', lpad({g[2]}, 2, '0'))")

        P, parts = dates.PATTERNS, dates.PARTS
        # ISO dates are read as ISO whatever the plan (dates.to_days)
        iso_branch = (f"WHEN {self.matches(x, P['iso'])} THEN "
                      f"TRY_CAST({iso(parts['iso'], 1, 2, 3)} AS DATE)")
        if plan.fmt is not None:
            if self.engine == "duckdb":
                other = f"CAST(try_strptime({x}, {self.literal(plan.fmt)}) AS DATE)"
            else:
                java = dates.to_java_format(plan.fmt)
                other = f"CAST(try_to_timestamp({x}, {self.literal(java)}) AS DATE)"
            return f"(CASE {iso_branch} ELSE {other} END)"
        if plan.excel:
            days = f"CAST(floor(TRY_CAST({x} AS DOUBLE)) AS INTEGER)"
            epoch = f"DATE '{dates.EXCEL_EPOCH}'"
            shifted = (f"CAST({epoch} + {days} AS DATE)" if self.engine == "duckdb"
                       else f"date_add({epoch}, {days})")
            return (f"(CASE {iso_branch} WHEN {self.matches(x, P['serial'])} THEN {shifted} "
                    "END)")
        # only the forms the column holds (the plan counted them): a short expression, which
        # Spark compiles much faster than one with every form
        present = set(plan.counts) or set(dates.FORMS)
        if present == {"iso"}:
            # every value matched the ISO pattern: its date part casts directly (one
            # extraction instead of a match and three)
            return (f"TRY_CAST(regexp_extract({x}, '^[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}', 0) "
                    "AS DATE)")
        branches = [f"WHEN {self.matches(x, P[f])} THEN {iso(parts[f], 1, 2, 3)}"
                    for f in ("iso", "ymd", "compact", "kanji") if f in present]
        if not branches and not present & {"dmy", "mdy", "amb", "same"}:
            return "CAST(NULL AS DATE)"
        if plan.order is not None:
            y, mo, d = (3, 2, 1) if plan.order == "dmy" else (3, 1, 2)
            branches.append(f"WHEN {self.matches(x, P['slash'])} THEN "
                            f"{iso(parts['slash'], y, mo, d)}")
        return f"TRY_CAST(CASE {' '.join(branches)} END AS DATE)"

    @property
    def text(self) -> str:
        """The engine's name for the text type."""
        return "VARCHAR" if self.engine == "duckdb" else "STRING"

    def blank(self, col: str) -> str:
        """SQL that is true where ``col`` is missing (NULL, NaN or blank text)."""
        c = self.q(col)
        if self.kinds[col] == "string":
            return f"({c} IS NULL OR TRIM({c}) = '')"
        if self.kinds[col] == "number":
            return f"({c} IS NULL OR isnan(CAST({c} AS DOUBLE)))"
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

    def infinite(self, expr: str) -> str:
        """SQL true where the DOUBLE ``expr`` is +/- infinity."""
        if self.engine == "duckdb":
            return f"coalesce(isinf({expr}), FALSE)"
        return f"coalesce(abs({expr}) = CAST('Infinity' AS DOUBLE), FALSE)"

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
        try:
            if self.engine == "duckdb":
                return self.table.query(name, query).df()
            spark = self.table.sparkSession
            self.table.createOrReplaceTempView(name)
            try:
                return spark.sql(query).toPandas()
            finally:
                spark.catalog.dropTempView(name)
        except Exception as exc:        # a file the engine cannot read becomes a DataError
            text = str(exc)
            if any(k in text for k in ("CSV Error", "Error when sniffing", "MALFORMED",
                                       "Malformed", "FAILFAST")):
                first = " ".join(text.strip().splitlines()[:2])[:300]
                raise DataError(f"The {self.engine} engine could not read the file: {first} "
                                "Check the separator (sep=), the encoding (encoding=) and that "
                                "text containing the separator is in double quotes.") from exc
            raise

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
            raise DataError(errors.missing_columns_message(missing, self.columns, what))

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


_RANGE_RULE = ("dates must lie between 1677-09-22 and 2262-04-11 (a placeholder such as "
               "9999-12-31 for 'no date' should be left empty)")


def _date_rules(t: _SQL, column: str, allow_missing: bool,
                day: str | None = None) -> list[tuple[str, str, str]]:
    """The rules :func:`cs_helpers.errors.parse_dates` checks, as SQL (after plan_dates).

    ``day`` is SQL for the column read as a DATE (default :meth:`_SQL.date`)."""
    plan = t.plans.get(column) or dates.DatePlan()
    day = day or t.date(column)
    rules = [(column, plan.invalid_rule, f"(NOT {t.blank(column)} AND {day} IS NULL)")]
    if not allow_missing:
        rules.append((column, "dates must not be missing", t.blank(column)))
    rules.append((column, _RANGE_RULE,
                  f"({day} < DATE '1677-09-22' OR {day} > DATE '2262-04-11')"))
    return rules


#: Helper columns holding the dates read once (dropped from what a user sees).
_HELPERS = ("__cs_start", "__cs_end")


def _resolve_as_of(as_of: Any, latest: Any, date_format: str | None = None,
                   dayfirst: bool | None = None) -> tuple[pd.Timestamp, str]:
    if as_of is not None:
        return errors.parse_date(as_of, "as_of", date_format=date_format,
                                 dayfirst=dayfirst), "given"
    return (pd.Timestamp(latest).normalize(),
            "the latest date in the table (pass as_of= to choose)")


def _warn_duplicate_rows(t: _SQL, what: str) -> None:
    """Without an id column, count rows that repeat another row exactly (as pandas does)."""
    row = t.run("SELECT (SELECT count(*) FROM {t}) AS n, "
                "(SELECT count(*) FROM (SELECT DISTINCT * FROM {t}) d) AS d").iloc[0]
    n_dup = int(row["n"]) - int(row["d"])
    if n_dup:
        import warnings

        warnings.warn(errors.duplicate_rows_message(n_dup, what, []), errors.DataWarning,
                      stacklevel=5)


def _clean_subscriptions(t: _SQL, id_col: str | None, start_col: str, end_col: str,
                         as_of: Any, what: str = "subscriptions",
                         date_format: str | None = None, dayfirst: bool | None = None
                         ) -> tuple[pd.Timestamp, _SQL, str, str, str]:
    """Check a subscriptions table in the engine.

    Returns as_of, the table to read from (with the dates read once, in helper columns, when
    they are not DATE columns already), SQL for the start, the censored end and the filter
    that keeps customers who started by as_of."""
    t.check_columns([id_col, start_col, end_col], what)
    if as_of is not None:
        _resolve_as_of(as_of, None, date_format, dayfirst)      # a bad as_of fails first
    t.plan_dates([start_col, end_col], id_col, what, date_format, dayfirst)
    if t.kinds[start_col] == "date" and t.kinds[end_col] == "date":
        d, start, end = t, t.q(start_col), t.q(end_col)
    else:
        # each date read once into a helper column: the rules and the month arithmetic refer
        # to it many times, and a date read from text is a long expression
        d = _SQL(t.select([t.q(c) for c in t.columns if c not in _HELPERS]
                          + [f"{t.date(start_col)} AS {_HELPERS[0]}",
                             f"{t.date(end_col)} AS {_HELPERS[1]}"]), t.engine)
        d.plans = dict(t.plans)
        start, end = _HELPERS
    rules = _date_rules(d, start_col, False, start) + _date_rules(d, end_col, True, end)
    order = [(end_col, "an end date must not be before its start date", f"({end} < {start})")]
    extra = {"latest": f"greatest(max({start}), coalesce(max({end}), max({start})))",
             "earliest": f"min({start})"}
    if as_of is not None:
        # customers who start after as_of, counted in the same pass (with no as_of the latest
        # date is used, and nobody starts after it)
        day = d.literal_date(_resolve_as_of(as_of, None, date_format, dayfirst)[0])
        extra["n_late"] = f"sum(CASE WHEN {start} > {day} THEN 1 ELSE 0 END)"
    row = d.check_rules(rules, id_col, what, extra=extra, unique=id_col, after_unique=order)
    if id_col is None:
        _warn_duplicate_rows(t, f"{what} table")
    as_of_ts, _ = _resolve_as_of(as_of, row["latest"], date_format, dayfirst)
    day = d.literal_date(as_of_ts)
    n_late = int(row["n_late"] or 0) if as_of is not None else 0
    if n_late == int(row["n_rows"]):
        raise DataError(
            f"Column '{start_col}': every customer starts after as_of={as_of_ts.date()} "
            f"(earliest start {pd.Timestamp(row['earliest']).date()}), so nobody was a "
            "customer then. Choose a later as_of.")
    if n_late:
        ids: list[str] = []
        if id_col is not None:
            ids = [str(v) for v in d.run(f"SELECT {d.q(id_col)} AS id FROM {{t}} WHERE "
                                         f"{start} > {day} LIMIT {errors.MAX_IDS}")["id"]]
        errors.record_filtered(
            pd.DataFrame(), f"customers who start after as_of={as_of_ts.date()} (not yet "
            "customers then)", n_late, ids, stacklevel=5)
    censored_end = f"CASE WHEN {end} <= {day} THEN {end} END"
    return as_of_ts, d, start, censored_end, f"{start} <= {day}"


# --------------------------------------------------------------------------------------------
# The aggregations the KPI functions call
# --------------------------------------------------------------------------------------------

def to_lifetimes(subs: Any, *, id_col: str | None = "customer_id",
                 start_col: str = "start_date", end_col: str = "end_date",
                 as_of: Any = None, month: str = "calendar", observed_from: Any = None,
                 date_format: str | None = None, dayfirst: bool | None = None) -> Any:
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
    as_of_ts, d, start, end, keep = _clean_subscriptions(t, id_col, start_col, end_col, as_of,
                                                         date_format=date_format,
                                                         dayfirst=dayfirst)
    if d is not t:
        # the censored end once more in its own column, for the same reason
        d = _SQL(d.select([d.q(c) for c in d.columns if c != _HELPERS[1]]
                          + [f"{end} AS {_HELPERS[1]}"], where=keep), d.engine)
        end, keep = _HELPERS[1], None
    stop = f"coalesce({end}, {d.literal_date(as_of_ts)})"
    others = [t.q(c) for c in t.columns if c not in ("duration", "churned", "entry") + _HELPERS]
    exprs = others + [f"{d.months_between(start, stop, month)} AS duration",
                      f"({end} IS NOT NULL) AS churned"]
    if observed_from is not None:
        window_ts = _observed_from(observed_from, as_of_ts, date_format, dayfirst)
        window = d.literal_date(window_ts)
        gone = f"({end} IS NOT NULL AND {end} <= {window})"
        among = f"({keep}) AND {gone}" if keep else gone
        n_gone = int(d.run(f"SELECT count(*) AS n FROM {{t}} WHERE {among}").iloc[0]["n"])
        if n_gone:
            ids: list[str] = []
            if id_col is not None:
                ids = [str(v) for v in d.run(f"SELECT {d.q(id_col)} AS id FROM {{t}} WHERE "
                                             f"{among} LIMIT {errors.MAX_IDS}")["id"]]
            errors.record_filtered(pd.DataFrame(), _ENDED_BEFORE.format(window=window_ts.date()),
                                   n_gone, ids, stacklevel=4)
        first = f"(CASE WHEN {start} > {window} THEN {start} ELSE {window} END)"
        exprs.append(f"{d.months_between(start, first, month)} AS entry")
        keep = f"({keep}) AND NOT {gone}" if keep else f"NOT {gone}"
    return d.select(exprs, where=keep)


_ENDED_BEFORE = ("customers whose subscription ended by observed_from={window} (the table "
                 "cannot represent them fairly: others who ended before then are missing)")


def subscription_periods(subs: Any, freq: str, as_of: Any, id_col: str | None,
                         start_col: str, end_col: str, date_format: str | None = None,
                         dayfirst: bool | None = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Customers counted per (start period, end period) in the engine.

    Returns the counts (columns ``start``, ``end`` as pandas period ordinals, ``ended``,
    ``customers``) and the observation date. ``end`` equals ``start`` where ``ended`` is
    False (still active at ``as_of``).
    """
    t = _wrap(subs)
    as_of_ts, d, start, end, keep = _clean_subscriptions(t, id_col, start_col, end_col, as_of,
                                                         date_format=date_format,
                                                         dayfirst=dayfirst)
    s, e = d.period(start, freq), d.period(end, freq)
    sql = (f"SELECT s AS start, coalesce(e, s) AS end_, e IS NOT NULL AS ended, "
           f"count(*) AS customers FROM (SELECT {s} AS s, {e} AS e FROM {{t}} WHERE {keep}) x "
           "GROUP BY s, e")
    got = d.run(sql).rename(columns={"end_": "end"})
    got = got.astype({"start": np.int64, "end": np.int64, "ended": bool,
                      "customers": np.int64})
    return got.sort_values(["start", "end", "ended"], ignore_index=True), as_of_ts


def _flag(t: _SQL, col: str, true_values: Sequence = errors.TRUE_VALUES,
          false_values: Sequence = errors.FALSE_VALUES) -> str:
    """SQL for a churn flag as BOOLEAN (NULL where the value is not a recognised flag).

    The same vocabulary as :func:`cs_helpers.errors.parse_flags`: text compared without case
    or surrounding spaces, numbers and booleans as they are.
    """
    c, kind = t.q(col), t.kinds[col]

    def words(values: Sequence) -> str:
        found = sorted({v.strip().lower() for v in values if isinstance(v, str)})
        return ", ".join(t.literal(v) for v in found) or "NULL"

    def numbers(values: Sequence) -> str:
        found = sorted({float(v) for v in values if isinstance(v, (bool, int, float, np.bool_,
                                                                   np.integer, np.floating))
                        and not pd.isna(v)})
        return ", ".join(repr(v) for v in found) or "NULL"

    if kind == "bool":
        def as_bool(v: bool) -> str:
            if v in set(true_values):
                return "TRUE"
            return "FALSE" if v in set(false_values) else "NULL"
        return f"(CASE WHEN {c} THEN {as_bool(True)} WHEN NOT {c} THEN {as_bool(False)} END)"
    if kind == "number":
        return (f"(CASE WHEN CAST({c} AS DOUBLE) IN ({numbers(true_values)}) THEN TRUE "
                f"WHEN CAST({c} AS DOUBLE) IN ({numbers(false_values)}) THEN FALSE END)")
    low = f"lower(trim(CAST({c} AS {t.text})))"
    return (f"(CASE WHEN {low} IN ({words(true_values)}) THEN TRUE "
            f"WHEN {low} IN ({words(false_values)}) THEN FALSE END)")


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


def lifetimes_from_tenure(table: Any, *, tenure_col: str, churned_col: str,
                          churned_values: Sequence = errors.TRUE_VALUES,
                          active_values: Sequence = errors.FALSE_VALUES,
                          id_col: str | None = None, tenure_unit: str = "months",
                          window: float | str | None = None) -> Any:
    """:func:`cs_helpers.lifetimes_from_tenure` for a DuckDB relation or a Spark DataFrame.

    The same rules, checked in the engine in one pass, and the same warnings (unit, snapshot,
    repeated rows); returns a lazy table of the same engine with ``duration`` (months),
    ``churned`` and, with a numeric ``window``, ``entry``.
    """
    import warnings

    from .lifetimes import TENURE_UNITS, snapshot_warning, unit_warning

    factor = TENURE_UNITS[tenure_unit]
    t = _wrap(table)
    t.check_columns([tenure_col, churned_col, id_col], "tenure")
    num, flag = t.number(tenure_col), _flag(t, churned_col, churned_values, active_values)
    rules = [(tenure_col, "values must be numbers (not missing, not text)", t.not_a_number(num)),
             (tenure_col, "values must be finite numbers (not infinite)", t.infinite(num)),
             (tenure_col, "values must not be negative", f"({num} < 0)"),
             (churned_col, "churn flags must be one of True/1/Yes (churned) or False/0/No "
              "(still active)", f"({flag} IS NULL)")]
    median = "median" if t.engine == "duckdb" else "percentile_approx"
    mid = f"{median}({num})" if t.engine == "duckdb" else f"{median}({num}, 0.5, 100000)"
    extra = {"lo": f"min({num})", "hi": f"max({num})", "mid": mid,
             "fractional": f"sum(CASE WHEN {num} <> floor({num}) THEN 1 ELSE 0 END)"}
    row = t.check_rules([], id_col, "tenure", unique=id_col, after_unique=rules, extra=extra)
    if id_col is None:
        _warn_duplicate_rows(t, "tenure table")
    text = unit_warning(tenure_col, tenure_unit, int(row["n_rows"]),
                        int(row["fractional"] or 0) == 0, float(row["lo"]), float(row["hi"]),
                        float(row["mid"]))
    if text is not None:
        warnings.warn(text, errors.DataWarning, stacklevel=3)
    if window is None:
        warnings.warn(snapshot_warning(window), errors.DataWarning, stacklevel=3)
    others = [t.q(c) for c in t.columns if c not in ("duration", "churned", "entry")]
    exprs = others + [f"CAST({num} * {factor!r} AS DOUBLE) AS duration",
                      f"{flag} AS churned"]
    if isinstance(window, float):
        exprs.append(f"CAST(greatest({num} - {window!r}, 0.0) * {factor!r} AS DOUBLE) AS entry")
    return t.select(exprs)


def revenue_sums(usage: Any, id_col: str, month_col: str, mrr_col: str,
                 window: int, date_format: str | None = None,
                 dayfirst: bool | None = None) -> pd.DataFrame:
    """Per base month, the sums :func:`cs_helpers.revenue_retention` divides, in the engine.

    Returns columns ``m`` (month ordinal), ``customers``, ``base_mrr``, ``mrr_after``,
    ``expansion_mrr``, ``contraction_mrr``, ``churned_mrr``, ``kept``, ``capped``.
    """
    t = _wrap(usage)
    t.check_columns([id_col, month_col, mrr_col], "usage")
    t.plan_dates([month_col], id_col, "usage", date_format, dayfirst)
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

_NOTES: Any = None


def read_notes(table: Any) -> list[str]:
    """What :func:`read` detected when it opened ``table`` (encoding, separator, sheet...).

    A pandas table carries them in ``attrs["read_notes"]``; a DuckDB relation or a Spark
    DataFrame has no ``attrs``, so they are kept here.

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> read_notes(read(datasets.data_dir() / "b2b_accounts.csv", "duckdb"))
    ['encoding: utf-8 (detected: pass encoding= to choose)', "separator: ',' (detected from the first lines: pass sep= to choose)"]
    """
    if isinstance(table, pd.DataFrame):
        return list(table.attrs.get("read_notes", []))
    if _NOTES is None:
        return []
    try:
        return list(_NOTES.get(table, []))
    except TypeError:
        return []


def _remember(table: Any, notes: list[str]) -> Any:
    global _NOTES
    import weakref

    if _NOTES is None:
        _NOTES = weakref.WeakKeyDictionary()
    try:
        _NOTES[table] = list(notes)
    except TypeError:   # not weak-referenceable: notes are then only in the message
        pass
    return table


#: Types DuckDB may give a CSV column: no TIMESTAMP WITH TIME ZONE (an offset in text is read
#: by the date rules, at the date as written) and dates only as ISO, as pandas reads them.
_DUCKDB_CSV_TYPES = ["BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP"]


def read(path: Any, engine: str = "pandas", *, spark: Any = None, encoding: str | None = None,
         sep: str | None = None, sheet: str | int | None = None,
         id_cols: Sequence[str] | str | None = None, format: str | None = None,
         decimal: str = ".") -> Any:
    """Open a CSV, Parquet or Excel file (or a glob of CSV or Parquet files) on ``engine``.

    ``"pandas"`` loads it into memory with :func:`cs_helpers.read_table` (same parameters);
    ``"duckdb"`` returns a lazy relation that streams the file, so it may be larger than
    memory; ``"spark"`` returns a Spark DataFrame (on ``spark``, default the active or a new
    local session). Every engine reads the same table:

    - the encoding and the separator are detected from the first megabyte of a local file (or
      taken from ``encoding=`` / ``sep=``); a file that is not UTF-8 (cp932, UTF-16...) is
      streamed into a temporary UTF-8 copy, since DuckDB and Spark read only UTF-8;
    - ``id_cols`` (and columns whose first lines have zero-padded numbers) are read as text;
    - dates are typed only when they are ISO (``2024-01-31``, ``2024-01-31 10:15:00``);
      anything else stays text for the date rules (:mod:`cs_helpers.dates`), so DuckDB's own
      guess of day/month order never applies;
    - an ``.xlsx`` workbook is read by pandas (a sheet holds at most about a million rows) and
      handed to the engine.

    :func:`read_notes` returns what was detected. Read failures are
    :class:`cs_helpers.DataError` messages that say what to pass.

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> rel = read(datasets.data_dir() / "b2b_accounts.csv", "duckdb")
    >>> engine_of(rel), int(column_profile(rel, ["plan"]).loc["plan", "distinct values"])
    ('duckdb', 3)
    """
    import glob as globbing
    from pathlib import Path

    from . import reading

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")
    ids = [id_cols] if isinstance(id_cols, str) else list(id_cols or [])
    text = str(path)
    remote = "://" in text
    if engine == "pandas" or (not remote and "*" not in text and Path(text).is_file()
                              and reading.format_of(text, format)[0] == "xlsx"):
        if remote or "*" in text:
            raise DataError(f"data_path: {text} is not a local file; engine='pandas' reads one "
                            "local file (use engine='duckdb' or 'spark' for globs and URLs).")
        frame = reading.read_table(text, encoding=encoding, sep=sep, sheet=sheet, id_cols=ids,
                                   format=format, decimal=decimal)
        if engine == "pandas":
            return frame
        notes = frame.attrs.get("read_notes", []) + [
            f"read by pandas (an Excel workbook) and handed to {engine}"]
        plain = frame.copy()
        plain.attrs = {}
        if engine == "duckdb":
            import duckdb

            return _remember(duckdb.from_df(plain), notes)
        session = _spark_session(spark)
        for col in plain.select_dtypes(include="object").columns:
            plain[col] = plain[col].astype(object).where(plain[col].notna(), None)
        return _remember(session.createDataFrame(plain), notes)
    files = sorted(globbing.glob(text)) if ("*" in text and not remote) else [text]
    if not remote:
        if not files:
            raise DataError(f"data_path: no file matches {text}.")
        for f in files:
            if not Path(f).exists():
                raise DataError(f"data_path: file not found: {Path(f).name} (looked in "
                                f"{Path(f).parent.resolve()}).")
            if Path(f).stat().st_size == 0:
                raise DataError(f"{Path(f).name} is empty (0 bytes): there is nothing to read. "
                                "Check that the export finished.")
    fmt = format or (reading.format_of(files[0])[0] if not remote else
                     ("parquet" if text.rstrip("*").lower().endswith((".parquet", ".pq"))
                      else "csv"))
    notes: list[str] = []
    if fmt == "parquet":
        if engine == "duckdb":
            import duckdb

            rel = duckdb.read_parquet(files if len(files) > 1 else files[0])
            cast = [c for c in ids if c in rel.columns and _kind(str(
                rel.types[list(rel.columns).index(c)])) != "string"]
            if cast:
                t = _SQL(rel, "duckdb")
                rel = rel.project("* REPLACE (" + ", ".join(
                    f"CAST({t.q(c)} AS VARCHAR) AS {t.q(c)}" for c in cast) + ")")
            return _remember(rel, notes)
        df = _spark_session(spark).read.parquet(*files)
        for c in ids:
            if c in df.columns:
                df = df.withColumn(c, df[c].cast("string"))
        return _remember(df, notes)
    # CSV: the layout from the first file (every file of a glob must share it)
    heads = ""
    if not remote:
        layout = reading.sniff_csv(files[0], encoding=encoding, sep=sep)
        notes += layout.notes
        if layout.encoding not in ("utf-8", "utf-8-sig", "ascii"):
            files = [str(reading.utf8_copy(f, layout.encoding)) for f in files]
            notes.append(f"read from a UTF-8 copy of the {layout.encoding} file ({engine} "
                         "reads UTF-8 only)")
        with open(files[0], encoding="utf-8-sig", errors="replace") as fh:
            heads = fh.read(reading.HEAD_BYTES)
        chosen_sep = layout.sep
    else:
        if encoding not in (None, "utf-8", "utf-8-sig"):
            raise DataError(f"encoding: {engine} reads UTF-8 only, and {text} is not a local "
                            "file that could be copied to UTF-8. Convert it first.")
        chosen_sep = sep or ","
        notes.append(f"separator: {chosen_sep!r} ({'given' if sep else 'assumed'}: a remote "
                     "file is not sniffed)")
    as_text = reading.text_columns(heads, chosen_sep, ids) if heads else list(ids)
    blank_lines = 0
    if heads:
        blank_lines = reading.check_head(heads, chosen_sep, ids, Path(files[0]).name,
                                         complete=len(files) == 1 and
                                         Path(files[0]).stat().st_size < reading.HEAD_BYTES)
    if decimal != "." and engine == "spark":
        raise DataError(f"decimal: Spark reads numbers with '.' only; got decimal={decimal!r}. "
                        "Read the file with engine='pandas' or 'duckdb', or convert it first.")
    if engine == "duckdb":
        import duckdb

        try:
            rel = duckdb.read_csv(files if len(files) > 1 else files[0], header=True,
                                  sep=chosen_sep, date_format="%Y-%m-%d",
                                  auto_type_candidates=_DUCKDB_CSV_TYPES,
                                  dtype={c: "VARCHAR" for c in as_text} or None,
                                  **({"decimal": decimal} if decimal != "." else {}))
        except duckdb.Error as exc:
            first = " ".join(str(exc).strip().splitlines()[:2])[:300]
            raise DataError(f"{Path(files[0]).name}: DuckDB could not read it as CSV with "
                            f"sep={chosen_sep!r} ({first}). Pass sep= and encoding= if they "
                            "differ, and check that text containing the separator is in "
                            "double quotes.") from exc
        if blank_lines:
            rel = _drop_blank_rows(_SQL(rel, "duckdb"))
        return _remember(rel, notes)
    session = _spark_session(spark)
    opts = dict(header=True, sep=chosen_sep, encoding="UTF-8", dateFormat="yyyy-MM-dd",
                timestampFormat="yyyy-MM-dd HH:mm:ss", mode="FAILFAST")
    df = session.read.csv(files, inferSchema=True, **opts)
    if as_text:
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(f.name, StringType() if f.name in as_text
                                         else f.dataType, True) for f in df.schema.fields])
        df = session.read.csv(files, schema=schema, **opts)
    if blank_lines:
        df = _drop_blank_rows(_SQL(df, "spark"))
    return _remember(df, notes)


def _drop_blank_rows(t: _SQL) -> Any:
    """Leave out rows whose every cell is empty, with the same DataWarning as read_table."""
    empty = " AND ".join(t.blank(c) for c in t.columns)
    n = int(t.run(f"SELECT count(*) AS n FROM {{t}} WHERE {empty}").iloc[0]["n"])
    if n:
        errors.record_filtered(pd.DataFrame(), "rows with every cell empty", n, stacklevel=4)
    return t.select([t.q(c) for c in t.columns], where=f"NOT ({empty})")


def _spark_session(spark: Any) -> Any:
    if spark is not None:
        return spark
    from pyspark.sql import SparkSession

    return SparkSession.builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


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


def group_means(table: Any, value_col: str, by: str | None = None, *,
                id_col: str | None = None) -> pd.Series:
    """Mean of an amount (MRR: ARPA) per value of ``by`` (or overall, ``"all"``), in the engine.

    Rules, the same on every engine:

    - text that is not a number, and an infinite amount, are DataErrors (with ids);
    - a **negative** amount is a DataError naming the first ids: a refund or a credit is not
      revenue per account, and averaging it in would lower ARPA (fix the export or set it to
      0 if that is what it means);
    - **missing** amounts are left out of the mean and reported per segment with a
      :class:`cs_helpers.DataWarning` and a note in ``attrs["cs_helpers_filtered"]``;
    - a segment with no amount at all gets NaN (not a number to use), with the same note;
    - a missing segment label is a DataError (as in :func:`cs_helpers.survival_curves`).

    Parameters
    ----------
    table : DataFrame, DuckDB relation or Spark DataFrame
    value_col : str
        The amount (e.g. MRR per customer).
    by : str, optional
        The segment column.
    id_col : str, optional
        Customer ids, for messages.

    Returns
    -------
    pandas.Series
        The mean per segment (sorted by label), named ``value_col``; ``attrs["counted"]`` and
        ``attrs["missing"]``: rows with and without an amount per segment;
        ``attrs["rows"]``: all rows.

    Examples
    --------
    >>> group_means(pd.DataFrame({"plan": ["a", "a", "b"], "mrr": [10, 20, 5]}), "mrr", "plan")
    plan
    a    15.0
    b     5.0
    Name: mrr, dtype: float64
    >>> group_means(pd.DataFrame({"id": ["x", "y"], "mrr": [10, -20]}), "mrr", id_col="id")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'mrr': amounts must not be negative (a refund or credit is not revenue per account; fix the export, or set it to 0 if that is what it means) — 1 of 2 rows break this rule (first ids: y).
    """

    negative = ("amounts must not be negative (a refund or credit is not revenue per account; "
                "fix the export, or set it to 0 if that is what it means)")
    if not is_sql_table(table):
        errors.check_columns(table, [value_col, by, id_col], "input")
        raw = table[value_col]
        values = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | raw.astype(str).str.strip().eq("")
        errors.fail_where(table, value_col, "values must be numbers",
                          (values.isna() & ~blank).to_numpy(), id_col)
        errors.fail_where(table, value_col, "values must be finite numbers (not infinite)",
                          np.isinf(values.to_numpy(dtype=float)), id_col)
        errors.fail_where(table, value_col, negative, (values < 0).to_numpy(), id_col)
        if by is None:
            labels = pd.Series("all", index=table.index)
        else:
            errors.fail_where(table, by, "group labels must not be missing",
                              table[by].isna().to_numpy(), id_col)
            labels = table[by].astype(str)
        present = values.notna()
        stats = pd.DataFrame({"sum": values.where(present, 0.0).groupby(labels).sum(),
                              "counted": present.groupby(labels).sum(),
                              "rows": present.groupby(labels).size()})
        missing_ids = errors.offending_ids(table, (~present).to_numpy(), id_col)
    else:
        t = _wrap(table)
        t.check_columns([value_col, by, id_col], "input")
        num = t.number(value_col)
        rules = [(value_col, "values must be numbers",
                  f"({num} IS NULL AND NOT {t.blank(value_col)})"),
                 (value_col, "values must be finite numbers (not infinite)", t.infinite(num)),
                 (value_col, negative, f"({num} < 0)")]
        if by is not None:
            rules.append((by, "group labels must not be missing", f"({t.q(by)} IS NULL)"))
        t.check_rules(rules, id_col, "input")
        label = f"CAST({t.q(by)} AS {t.text})" if by is not None else "'all'"
        value = f"(CASE WHEN {t.not_a_number(num)} THEN NULL ELSE {num} END)"
        got = t.run(f"SELECT {label} AS g, sum({value}) AS s, count({value}) AS c, "
                    f"count(*) AS n FROM {{t}} GROUP BY {label}")
        stats = pd.DataFrame({"sum": got["s"].fillna(0.0).astype(float).to_numpy(),
                              "counted": got["c"].astype(np.int64).to_numpy(),
                              "rows": got["n"].astype(np.int64).to_numpy()},
                             index=got["g"].astype(str).to_numpy())
        missing_ids = []
        if int((stats["rows"] - stats["counted"]).sum()) and id_col is not None:
            missing_ids = [str(v) for v in t.run(
                f"SELECT {t.q(id_col)} AS id FROM {{t}} WHERE {value} IS NULL "
                f"LIMIT {errors.MAX_IDS}")["id"]]
    stats = stats.sort_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(stats["counted"] > 0, stats["sum"] / stats["counted"].clip(lower=1),
                         np.nan)
    out = pd.Series(means.astype(float), index=pd.Index(stats.index, name=by),
                    name=value_col)
    if by is None:
        out.index.name = None
    missing = (stats["rows"] - stats["counted"]).astype(np.int64)
    out.attrs["counted"] = stats["counted"].astype(np.int64)
    out.attrs["missing"] = missing
    out.attrs["rows"] = int(stats["rows"].sum())
    if int(missing.sum()):
        per = ", ".join(f"{g}: {n:,} of {int(stats.loc[g, 'rows']):,}"
                        for g, n in missing.items() if n)
        empty = [str(g) for g, c in stats["counted"].items() if c == 0]
        tail = (f"; no amount at all in {', '.join(empty)} (its mean is NaN, not a number to "
                "use)" if empty else "")
        errors.record_filtered(out, f"rows with no {value_col} (missing), left out of the mean "
                               f"({per}){tail}", int(missing.sum()), missing_ids, stacklevel=3)
    return out
