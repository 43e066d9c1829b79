"""The KPI calls on warehouse tables give exactly what they give on pandas.

Three parts:

1. **PostgreSQL, run.** The course tables sit in a real PostgreSQL server (the ``warehouse``
   fixture: ``make test`` and ``.ci/run`` start a throwaway server, see ``tasks.py``), once with
   DATE columns and once with dates as TEXT, as a CSV loaded without types. Every
   engine-enabled call on the Ibis table (``ibis.connect(url).table(name)``) must return the
   same pandas result as the same call on the same rows in pandas (``assert_frame_equal``).
   Without a server these tests skip; with ``CS_HELPERS_REQUIRE_POSTGRES=1`` (CI) they fail.
   The bad-table corpus runs on PostgreSQL in ``tests/test_corpus.py``.
2. **Snowflake and BigQuery, compiled, NOT run** (there is no such server here). The calls run
   on Ibis's embedded DuckDB backend; every expression they send to it is also compiled to
   Snowflake and BigQuery SQL (``ibis.to_sql(expr, dialect=...)``) and the SQL is checked: it
   parses in that dialect, the group-by keys are there, and no text column is turned into a
   date or a number by a plain ``CAST`` that a bad value would make fail (Ibis compiles
   ``try_cast`` to a plain ``CAST`` on Snowflake and PostgreSQL: the rule "values must be dates"
   has to validate the text before it converts it). Whether Snowflake and BigQuery then run
   that SQL as DuckDB does is not tested.

polars frames and DuckDB-backed Ibis tables are compared with pandas in ``tests/test_engines.py``.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from _warehouse import check_late_entry

import cs_helpers as cs
from cs_helpers import DataError, DataWarning

MEMBERS = dict(id_col="member_id", start_col="join_date", end_col="cancel_date",
               as_of="2026-09-30")
ACCOUNTS = dict(id_col="account_id", as_of="2026-09-30")
# each subscriptions table with DATE columns and with its dates as TEXT
MEMBER_TABLES = ["b2c_members", "b2c_members_text"]
ACCOUNT_TABLES = ["b2b_accounts", "b2b_accounts_text"]


def _pair(warehouse, name: str) -> tuple[Any, pd.DataFrame]:
    """The warehouse table and the pandas frame of exactly the same rows."""
    return warehouse.table(name), warehouse.frames[name]


def _load_once(warehouse, name: str, df: pd.DataFrame, dates: str = "date") -> Any:
    """A table made by a test, loaded on first use and shared by its parametrized runs."""
    if name not in warehouse.frames:
        return warehouse.load(name, df, dates=dates)
    return warehouse.table(name)


def _frame(table: Any) -> pd.DataFrame:
    """A lazy result (an Ibis table) as pandas."""
    return table if isinstance(table, pd.DataFrame) else table.to_pandas()


# --------------------------------------------------------------------------------------------
# 1. PostgreSQL: the tables are what the fixture says
# --------------------------------------------------------------------------------------------

def test_the_warehouse_holds_every_course_table(warehouse):
    from cs_helpers import datasets

    for name in datasets.names():
        table = warehouse.table(name)
        assert int(table.count().to_pandas()) == len(datasets.load(name)), name
    assert warehouse.table("b2c_members").schema()["join_date"].is_date()
    assert warehouse.table("b2c_members_text").schema()["join_date"].is_string()
    assert warehouse.table("b2c_members").get_backend().name == "postgres"


# --------------------------------------------------------------------------------------------
# 1. PostgreSQL: the KPIs equal pandas on the same rows
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", MEMBER_TABLES)
@pytest.mark.parametrize("freq", ["M", "Q", "Y"])
def test_churn_rate(warehouse, name, freq):
    table, frame = _pair(warehouse, name)
    expected = cs.churn_rate(frame, freq=freq, **MEMBERS)
    got = cs.churn_rate(table, freq=freq, **MEMBERS)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["as_of"] == expected.attrs["as_of"]


@pytest.mark.parametrize("name", MEMBER_TABLES)
def test_churn_rate_default_as_of_is_the_latest_date(warehouse, name):
    table, frame = _pair(warehouse, name)
    kw = {k: v for k, v in MEMBERS.items() if k != "as_of"}
    expected = cs.churn_rate(frame, **kw)
    got = cs.churn_rate(table, **kw)
    assert got.attrs["as_of"] == expected.attrs["as_of"]
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("name", MEMBER_TABLES)
@pytest.mark.parametrize("freq, values", [("M", "share"), ("Q", "share"), ("Q", "count")])
def test_cohort_retention(warehouse, name, freq, values):
    table, frame = _pair(warehouse, name)
    expected = cs.cohort_retention(frame, freq=freq, values=values, **MEMBERS)
    got = cs.cohort_retention(table, freq=freq, values=values, **MEMBERS)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_series_equal(got.attrs["cohort_size"], expected.attrs["cohort_size"])


@pytest.mark.parametrize("name", ACCOUNT_TABLES)
def test_lifetimes_stay_in_the_warehouse_and_equal_pandas(warehouse, name):
    table, frame = _pair(warehouse, name)
    expected = cs.to_lifetimes(frame, **ACCOUNTS)
    life = cs.to_lifetimes(table, **ACCOUNTS)
    assert cs.engines.engine_of(life) == "ibis"          # lazy: still a query on the server
    assert life.get_backend().name == "postgres"
    got = _frame(life).sort_values("account_id", ignore_index=True)
    expected = expected.sort_values("account_id", ignore_index=True)
    np.testing.assert_array_equal(got["duration"].to_numpy(), expected["duration"].to_numpy())
    np.testing.assert_array_equal(got["churned"].to_numpy(bool),
                                  expected["churned"].to_numpy(bool))


@pytest.mark.parametrize("name", ACCOUNT_TABLES)
@pytest.mark.parametrize("by", [None, "plan", "company_size", "industry", "channel"])
def test_survival_curves(warehouse, name, by):
    table, frame = _pair(warehouse, name)
    a = cs.survival_curves(cs.to_lifetimes(frame, **ACCOUNTS), by=by)
    b = cs.survival_curves(cs.to_lifetimes(table, **ACCOUNTS), by=by)
    assert b.labels == a.labels
    pd.testing.assert_frame_equal(b.counts, a.counts)
    pd.testing.assert_frame_equal(b.table(), a.table())
    pd.testing.assert_frame_equal(b.median(), a.median())
    for label in a.labels:
        pd.testing.assert_frame_equal(b.fitters[label].survival_function_,
                                      a.fitters[label].survival_function_)
    if by is not None:
        pd.testing.assert_frame_equal(b.compare(), a.compare())


@pytest.mark.parametrize("name", MEMBER_TABLES)
def test_late_entry(warehouse, name):
    # an export that begins on 2024-01-01: entry, the left-out early leavers, then the curves
    table, frame = _pair(warehouse, name)
    check_late_entry(frame, table, _frame, dict(MEMBERS, observed_from="2024-01-01"),
                     "member_id")


MONTH_ENDS = pd.DataFrame({
    "customer_id": [f"c{i}" for i in range(10)],
    # month ends, leap days and year ends, stopped on and off anniversaries
    "start_date": pd.to_datetime(["2023-01-31", "2024-01-31", "2024-01-30", "2024-02-29",
                                  "2024-02-29", "2023-12-15", "2024-03-10", "2024-01-31",
                                  "2024-05-31", "2022-08-31"]),
    "end_date": pd.to_datetime(["2023-02-28", "2024-03-31", "2024-02-29", "2025-02-28",
                                "2024-03-28", "2024-01-15", "2024-03-10", "2024-03-30", None,
                                None])})


@pytest.mark.parametrize("dates", ["date", "text"])
@pytest.mark.parametrize("month", ["calendar", "average"])
def test_calendar_months_on_month_ends(warehouse, dates, month):
    table = _load_once(warehouse, f"month_ends_{dates}", MONTH_ENDS, dates)
    expected = cs.to_lifetimes(MONTH_ENDS, as_of="2025-06-30", month=month)
    got = _frame(cs.to_lifetimes(table, as_of="2025-06-30", month=month))
    got = got.sort_values("customer_id", key=lambda c: c.str[1:].astype(int), ignore_index=True)
    np.testing.assert_array_equal(got["duration"].to_numpy(), expected["duration"].to_numpy())
    if month == "calendar":      # anniversaries are whole months: 31 Jan -> 28 Feb is 1.0
        assert got["duration"].iloc[:4].tolist() == [1.0, 2.0, 1.0, 12.0]


@pytest.mark.parametrize("window", [1, 12])
def test_revenue_retention(warehouse, window):
    table, frame = _pair(warehouse, "b2b_usage_monthly")
    expected = cs.revenue_retention(frame, window=window)
    got = cs.revenue_retention(table, window=window)
    # whole-yen MRR: every sum is exact, so the engines agree to the last bit
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


def _tenure_snapshot() -> pd.DataFrame:
    """A Telco-style snapshot made from the B2C members: whole months of tenure and a Yes/No
    churn flag, as a CRM export gives them."""
    from cs_helpers import datasets

    life = cs.to_lifetimes(datasets.load("b2c_members"), **MEMBERS)
    return pd.DataFrame({"member_id": life["member_id"].astype(str),
                         "tenure": np.floor(life["duration"]).astype("int64"),
                         "Churn": np.where(life["churned"], "Yes", "No"),
                         "plan": life["plan"].astype(str)})


@pytest.mark.parametrize("window", ["all", 12])
def test_tenure_tables(warehouse, window):
    table = _load_once(warehouse, "tenure_snapshot", _tenure_snapshot())
    frame = warehouse.frames["tenure_snapshot"]
    kw = dict(tenure_col="tenure", churned_col="Churn", id_col="member_id", window=window)
    expected = cs.lifetimes_from_tenure(frame, **kw)
    life = cs.lifetimes_from_tenure(table, **kw)
    got = _frame(life).sort_values("member_id", ignore_index=True)
    expected = expected.sort_values("member_id", ignore_index=True)
    cols = ["duration", "churned"] + (["entry"] if window != "all" else [])
    for col in cols:
        np.testing.assert_array_equal(got[col].to_numpy(), expected[col].to_numpy())
    entry = "entry" if window != "all" else None
    a = cs.survival_curves(expected, by="plan", entry_col=entry)
    b = cs.survival_curves(life, by="plan", entry_col=entry)
    pd.testing.assert_frame_equal(b.counts, a.counts)
    pd.testing.assert_frame_equal(b.table(), a.table())


@pytest.mark.parametrize("name", ACCOUNT_TABLES)
def test_column_profile_and_group_means(warehouse, name):
    table, frame = _pair(warehouse, name)
    cols = ["account_id", "plan", "start_date", "end_date", "mrr", "seats"]
    expected = cs.engines.column_profile(frame, cols)
    got = cs.engines.column_profile(table, cols)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got.attrs["rows"] == expected.attrs["rows"] == len(frame)
    for by in (None, "plan", "industry"):
        pd.testing.assert_series_equal(cs.engines.group_means(table, "mrr", by),
                                       cs.engines.group_means(frame, "mrr", by),
                                       check_exact=False, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# 1. PostgreSQL: bad input gives the DataError pandas gives
# --------------------------------------------------------------------------------------------

SUBS = pd.DataFrame({
    "customer_id": ["a", "b", "c", "d", "e", "f"],
    "start_date": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10", "2024-03-02",
                   " 2024-03-15 "],
    "end_date": ["2024-02-15", None, "2024-02-25", "2024-03-20", "", "2024-05-02"],
    "plan": ["x", "y", "x", "y", "x", "x"]})


@pytest.mark.parametrize("change, column, rule, n_bad, ids", [
    # 'soon' in a TEXT column: a plain CAST(... AS DATE) would stop PostgreSQL with its own
    # error instead of counting the row (the try_cast trap)
    ({"start_date": {2: "soon"}}, "start_date", "values must be dates", 1, "c"),
    ({"start_date": {2: "2024-02-30"}}, "start_date", "values must be dates", 1, "c"),
    ({"start_date": {1: None, 3: ""}}, "start_date", "dates must not be missing", 2, "b, d"),
    ({"end_date": {0: "2023-12-31"}}, "end_date", "end date must not be before its start", 1,
     "a"),
    ({"customer_id": {1: "a"}}, "customer_id", "ids must be unique", 2, "a, a"),
])
def test_rule_messages_equal_pandas(warehouse, change, column, rule, n_bad, ids):
    bad = SUBS.copy()
    for col, edits in change.items():
        for row, value in edits.items():
            bad.loc[row, col] = value
    name = f"bad_{column}_{abs(hash(str(change))) % 10**8}"
    table = warehouse.load(name, bad)
    with pytest.raises(DataError) as pg_err:
        cs.churn_rate(table, as_of="2024-04-30")
    with pytest.raises(DataError) as pd_err:
        cs.churn_rate(warehouse.frames[name], as_of="2024-04-30")
    got = str(pg_err.value)
    assert f"Column '{column}'" in got and rule in got
    assert f"{n_bad:,} of 6 rows break this rule (first ids: {ids})" in got
    assert f"Column '{column}'" in str(pd_err.value) and rule in str(pd_err.value)
    assert f"{n_bad:,} of 6 rows break this rule" in str(pd_err.value)


def test_missing_column_and_empty_table_equal_pandas(warehouse):
    frame = SUBS.drop(columns="end_date")
    table = warehouse.load("no_end_date", frame)
    with pytest.raises(DataError) as pg_err:
        cs.churn_rate(table)
    with pytest.raises(DataError) as pd_err:
        cs.churn_rate(warehouse.frames["no_end_date"])
    assert str(pg_err.value) == str(pd_err.value)
    assert "Column 'end_date': required column missing" in str(pg_err.value)
    empty = warehouse.load("no_rows", SUBS.iloc[:0])
    with pytest.raises(DataError, match="The subscriptions table is empty"):
        cs.churn_rate(empty)


def test_bad_lifetimes_and_usage(warehouse):
    life = pd.DataFrame({"duration": [1.0, -2.0, 3.0], "churned": ["yes", "no", "maybe"]})
    with pytest.raises(DataError, match=r"Column 'duration': values must not be negative — "
                                         r"1 of 3 rows"):
        cs.survival_curves(warehouse.load("bad_life", life))
    usage = pd.DataFrame({"account_id": ["a", "a", "b", "b"],
                          "month": ["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-01"],
                          "mrr": [10.0, 10.0, 5.0, 5.0]})
    with pytest.raises(DataError, match=r"^Column 'month': one row per customer and month — "
                                         r"2 of 4 rows break this rule \(first ids: b"):
        cs.revenue_retention(warehouse.load("bad_usage", usage), window=1)


# --------------------------------------------------------------------------------------------
# what goes to the warehouse and what comes back
# --------------------------------------------------------------------------------------------

class Sent:
    """Every expression an Ibis backend executes while the block runs, and its result size.

    It wraps the backend's ``execute`` (what ``expr.to_pandas()`` calls), so it sees what the
    KPI calls send to the warehouse without knowing how cs_helpers builds them.
    """

    def __init__(self) -> None:
        self.exprs: list[Any] = []
        self.rows: list[int] = []

    @contextlib.contextmanager
    def watching(self, backend_class: type):
        original = backend_class.execute

        def execute(backend, expr, *args, **kwargs):
            result = original(backend, expr, *args, **kwargs)
            self.exprs.append(expr)
            self.rows.append(len(result) if hasattr(result, "__len__") else 1)
            return result
        backend_class.execute = execute
        try:
            yield self
        finally:
            backend_class.execute = original


def test_only_counts_come_back_from_the_warehouse(warehouse):
    # the group-by runs in PostgreSQL: a curve by plan over 24,000 members fetches one row per
    # (plan, duration, churned) (about 3,300: durations are day-exact), never the members
    table = warehouse.table("b2c_members_text")
    sent = Sent()
    with sent.watching(type(table.get_backend())):
        curves = cs.survival_curves(cs.to_lifetimes(table, **MEMBERS), by="plan")
        churn = cs.churn_rate(table, **MEMBERS)
    assert sent.exprs, "nothing was sent to PostgreSQL"
    n = len(warehouse.frames["b2c_members_text"])
    assert int(curves.counts["customers"].sum()) == n      # every member counted ...
    assert max(sent.rows) < n / 4, sent.rows                # ... but as counts
    assert len(churn) < 200


#: The longest query (bytes) and the most REGEXP_MATCH calls in one query that a KPI call on a
#: table with TEXT dates may send to PostgreSQL. A date read from text is read once per row in
#: steps (``Table.with_dates``); written as one expression, each use repeated it (a single query
#: was 178 kB with 611 REGEXP_MATCH calls, and took minutes on 24,000 rows). Today the largest
#: is about 37 kB (late entry) with at most 16 REGEXP_MATCH (the form count of two columns).
MAX_SQL_BYTES = 50_000
MAX_REGEXP_MATCH = 24
TEXT_DATE_CALLS = {
    "churn_rate": lambda t: cs.churn_rate(t("b2c_members_text"), **MEMBERS),
    "survival_curves by plan": lambda t: cs.survival_curves(
        cs.to_lifetimes(t("b2c_members_text"), **MEMBERS), by="plan"),
    "late entry": lambda t: cs.survival_curves(
        cs.to_lifetimes(t("b2c_members_text"), observed_from="2024-01-01", **MEMBERS),
        by="plan", entry_col="entry"),
    "revenue_retention": lambda t: cs.revenue_retention(t("b2b_usage_monthly_text"), window=12),
}


@pytest.mark.parametrize("call", list(TEXT_DATE_CALLS))
def test_text_date_sql_stays_small_on_postgres(warehouse, call):
    from cs_helpers import datasets

    _load_once(warehouse, "b2b_usage_monthly_text", datasets.load("b2b_usage_monthly"),
               dates="text")
    sent = Sent()
    with sent.watching(type(warehouse.con)), warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        TEXT_DATE_CALLS[call](warehouse.table)
    sql = [warehouse.con.compile(e) for e in sent.exprs]
    assert sql and any("~" in q or "REGEXP" in q.upper() for q in sql)   # dates read from text
    sizes = [(len(q), q.upper().count("REGEXP_MATCH")) for q in sql]
    assert max(n for n, _ in sizes) < MAX_SQL_BYTES, sizes
    assert max(k for _, k in sizes) <= MAX_REGEXP_MATCH, sizes


# --------------------------------------------------------------------------------------------
# 2. Snowflake and BigQuery: compiled, NOT run
# --------------------------------------------------------------------------------------------

DIALECTS = ["snowflake", "bigquery"]
STRING_TYPES = {"VARCHAR", "TEXT", "CHAR", "NCHAR", "NVARCHAR", "STRING"}


@pytest.fixture(scope="module")
def embedded_tables():
    """The course tables with dates as TEXT (and as DATE) in Ibis's embedded DuckDB backend."""
    import ibis
    from _warehouse import plain_frame

    from cs_helpers import datasets

    con = ibis.duckdb.connect()
    tables = {}
    for name in ("b2c_members", "b2b_accounts", "b2b_usage_monthly"):
        frame = plain_frame(datasets.load(name))
        for col in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[col]):
                frame[col] = frame[col].dt.strftime("%Y-%m-%d").astype(object).where(
                    frame[col].notna(), None)
        tables[name + "_text"] = _embedded_table(con, name + "_text", frame)
    return con, tables


def _embedded_table(con, name: str, frame: pd.DataFrame) -> Any:
    """``frame`` as a table of the embedded DuckDB backend (through DuckDB itself: Ibis 12's
    ``create_table`` from a pandas frame fails on DuckDB with 'DROP VIEW IF EXISTS')."""
    con.con.register("cs_frame", frame)
    try:
        con.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM cs_frame')
    finally:
        con.con.unregister("cs_frame")
    return con.table(name)


def _compiled(call, con) -> tuple[Sent, dict[str, list[str]]]:
    sent = Sent()
    with sent.watching(type(con)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            call()
    assert sent.exprs, "the call sent nothing to the Ibis backend"
    import ibis

    return sent, {d: [ibis.to_sql(e, dialect=d) for e in sent.exprs] for d in DIALECTS}


def _unguarded_casts(sql: str, dialect: str, text_columns: set[str]) -> list[str]:
    """Plain CASTs of text columns to a non-text type that a bad value would make fail.

    A cast is safe when it is a TRY_CAST / SAFE_CAST, when its operand is a regular
    expression's extract (only digits can come out), or when it sits in a CASE/IF branch whose
    condition tests a regular expression (the text was validated first).
    """
    import sqlglot
    from sqlglot import exp

    def is_regex(node) -> bool:
        name = type(node).__name__
        if isinstance(node, exp.Anonymous):
            name = node.name
        elif isinstance(node, exp.Func):
            name += " " + node.sql_name()
        return any(w in name.upper() for w in ("REGEXP", "RLIKE", "REGEX"))

    def validated(node) -> bool:
        child, parent = node, node.parent
        while parent is not None:
            if isinstance(parent, (exp.If, exp.Case)):
                conds = ([parent.args.get("this")] if isinstance(parent, exp.If) else
                         [parent.args.get("this")] + [i.args.get("this") for i in
                                                       parent.args.get("ifs", [])])
                if child not in conds and any(
                        c is not None and any(is_regex(n) for n in c.walk()) for c in conds):
                    return True
            child, parent = parent, parent.parent
        return False

    bad = []
    for cast in sqlglot.parse_one(sql, read=dialect).find_all(exp.Cast):
        if type(cast) is not exp.Cast:             # TryCast, SafeCast
            continue
        if cast.to.this.name in STRING_TYPES:
            continue
        operand = cast.this
        # the text reaches this cast as text: not through another cast or a comparison
        # (CAST(x IS NULL AS INT) converts a boolean, not the text)
        inside = list(operand.walk(prune=lambda n, top=operand: n is not top and isinstance(
            n, (exp.Cast, exp.Predicate, exp.Connector, exp.Not))))
        if not any(isinstance(n, exp.Column) and n.name in text_columns for n in inside):
            continue
        if any(isinstance(n, exp.RegexpExtract) or is_regex(n) for n in inside):
            continue
        if not validated(cast):
            bad.append(cast.sql(dialect=dialect))
    return bad


def _group_keys(sql: str, dialect: str) -> set[str]:
    """The names of every GROUP BY key (ordinals resolved, and the columns inside each key)."""
    import sqlglot
    from sqlglot import exp

    keys = set()
    for select in sqlglot.parse_one(sql, read=dialect).find_all(exp.Select):
        group = select.args.get("group")
        if group is None:
            continue
        outputs = select.expressions
        for key in group.expressions:
            if isinstance(key, exp.Literal) and key.is_int:
                key = outputs[int(key.this) - 1]
            keys.add(key.alias_or_name)
            keys.update(c.name for c in key.find_all(exp.Column))   # 'plan' AS g
    return keys


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_unguarded_cast_check_catches_the_try_cast_trap(dialect):
    # the check must fail on the trap itself, else the tests below prove nothing
    import ibis

    t = ibis.table({"join_date": "string", "plan": "string"}, name="t")
    trap = t.aggregate(bad=(t.join_date.try_cast("date").isnull()).sum(), by="plan")
    sql = ibis.to_sql(trap, dialect=dialect)
    if dialect == "snowflake":
        assert _unguarded_casts(sql, dialect, {"join_date"})
    else:       # BigQuery has SAFE_CAST, which Ibis uses
        assert "SAFE_CAST" in sql and not _unguarded_casts(sql, dialect, {"join_date"})
    guarded = t.select(d=t.join_date.re_search("^[0-9]{4}$").ifelse(
        t.join_date.cast("int64"), ibis.null("int64")))
    assert not _unguarded_casts(ibis.to_sql(guarded, dialect=dialect), dialect, {"join_date"})
    assert _group_keys(sql, dialect) == {"plan"}


COMPILED_CALLS = {
    "churn_rate": lambda t: cs.churn_rate(t["b2c_members_text"], freq="Q", **MEMBERS),
    "cohort_retention": lambda t: cs.cohort_retention(t["b2c_members_text"], freq="Q",
                                                      **MEMBERS),
    "survival_curves by plan": lambda t: cs.survival_curves(
        cs.to_lifetimes(t["b2c_members_text"], **MEMBERS), by="plan"),
    "late entry": lambda t: cs.survival_curves(
        cs.to_lifetimes(t["b2c_members_text"], observed_from="2024-01-01", **MEMBERS),
        by="plan", entry_col="entry"),
    "revenue_retention": lambda t: cs.revenue_retention(t["b2b_usage_monthly_text"], window=12),
    "group_means": lambda t: cs.engines.group_means(t["b2b_accounts_text"], "mrr", "plan"),
    "column_profile": lambda t: cs.engines.column_profile(t["b2b_accounts_text"],
                                                          ["plan", "end_date", "mrr"]),
}
# a group-by key each call must send by name (None: its keys are its own, e.g. periods, or
# renamed in a subquery, as group_means does)
GROUP_KEY = {"churn_rate": None, "cohort_retention": None, "survival_curves by plan": "plan",
             "late entry": "plan", "revenue_retention": None, "group_means": None,
             "column_profile": None}
# rows of the input tables
INPUT_ROWS = {"churn_rate": 24_000, "cohort_retention": 24_000,
              "survival_curves by plan": 24_000, "late entry": 24_000,
              "revenue_retention": 83_323, "group_means": 3_600, "column_profile": 3_600}


@pytest.mark.parametrize("call", list(COMPILED_CALLS))
def test_expressions_compile_for_snowflake_and_bigquery(embedded_tables, call):
    con, tables = embedded_tables
    sent, sql = _compiled(lambda: COMPILED_CALLS[call](tables), con)
    # what comes back is counts and sums, not the customers (run here on DuckDB); a curve
    # needs one row per (group, duration, churned), and durations are day-exact, so a few
    # thousand rows for 24,000 members
    assert max(sent.rows) < INPUT_ROWS[call] / 4, sent.rows
    text_columns = {"join_date", "cancel_date", "start_date", "end_date", "month", "mrr"}
    for dialect in DIALECTS:
        for query in sql[dialect]:
            assert not _unguarded_casts(query, dialect, text_columns), (dialect, query)
        if GROUP_KEY[call]:
            keys = set().union(*(_group_keys(q, dialect) for q in sql[dialect]))
            assert GROUP_KEY[call] in keys, (dialect, keys)


def test_date_rule_compiles_portably(embedded_tables):
    # a text date column that breaks the rule: the DataError comes from SQL that validates
    # the text first, on every dialect
    import ibis

    con, _ = embedded_tables
    bad = SUBS.copy()
    bad.loc[2, "start_date"] = "soon"
    table = _embedded_table(con, "bad_dates", bad)
    sent = Sent()
    with sent.watching(type(con)), pytest.raises(DataError, match="values must be dates"):
        cs.churn_rate(table, as_of="2024-04-30")
    for dialect in DIALECTS:
        for expr in sent.exprs:
            query = ibis.to_sql(expr, dialect=dialect)
            assert not _unguarded_casts(query, dialect, {"start_date", "end_date"}), query
