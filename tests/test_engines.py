"""The same KPI call on pandas, DuckDB, polars, an Ibis table and Spark gives the same numbers.

DuckDB relations, polars frames and DuckDB-backed Ibis tables are always tested (the
PostgreSQL-backed Ibis tables are in tests/test_warehouse.py). Spark runs in local mode (``local[2]``) when pyspark and Java are
present; with ``CS_HELPERS_REQUIRE_SPARK=1`` (set by ``.ci/run``) a missing Spark fails the
run instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import warnings

import duckdb
import ibis
import numpy as np
import pandas as pd
import polars as pl
import pytest
from _warehouse import check_late_entry

import cs_helpers as cs
from cs_helpers import DataError, DataWarning, datasets

REQUIRE_SPARK = os.environ.get("CS_HELPERS_REQUIRE_SPARK", "") == "1"

MEMBERS = dict(id_col="member_id", start_col="join_date", end_col="cancel_date",
               as_of="2026-09-30")


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JDK 17 or later)"
    return None


@pytest.fixture(scope="session")
def spark():
    why = _spark_missing()
    if why:
        if REQUIRE_SPARK:
            pytest.fail(f"CS_HELPERS_REQUIRE_SPARK=1 but {why}.")
        pytest.skip(why)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("cs_helpers-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def con():
    return duckdb.connect()


#: The kinds of table every engine-enabled call must accept besides pandas.
KINDS = ["duckdb", "ibis", "polars", "spark"]


@pytest.fixture(scope="session")
def ibis_con():
    """A DuckDB backend of Ibis (the tables are Ibis tables, not DuckDB relations)."""
    return ibis.duckdb.connect()


def _pandas(table) -> pd.DataFrame:
    """Any engine's (small) table as pandas, to compare."""
    kind = cs.engines.engine_of(table)
    if kind == "duckdb":
        return table.df()
    if kind == "spark":
        return table.toPandas()
    return table.to_pandas()


@pytest.fixture(params=KINDS)
def to_engine(request, con, ibis_con):
    """A function turning a pandas DataFrame into a table of the engine under test."""
    if request.param == "duckdb":
        def convert(df: pd.DataFrame):
            name = f"t{abs(hash(id(df)))}"
            con.register(name, df)
            return con.table(name)
        return convert
    if request.param == "ibis":
        def convert_ibis(df: pd.DataFrame):
            # a view on the frame (Ibis 12's create_table from pandas breaks with sqlglot 30)
            name = f"t{abs(hash(id(df)))}"
            ibis_con.con.register(name, df)
            return ibis_con.table(name)
        return convert_ibis
    if request.param == "polars":
        return pl.from_pandas
    session = request.getfixturevalue("spark")

    def convert_spark(df: pd.DataFrame):
        clean = df.copy()
        for col in clean.select_dtypes(include="object").columns:
            clean[col] = clean[col].astype(object).where(clean[col].notna(), None)
        return session.createDataFrame(clean)
    return convert_spark


@pytest.fixture(params=KINDS)
def engine(request):
    if request.param == "spark":
        request.getfixturevalue("spark")
    return request.param


def _read(engine: str, con, request, path: str):
    if engine == "duckdb":
        return con.read_csv(path)
    if engine == "ibis":
        return request.getfixturevalue("ibis_con").read_csv(path)
    if engine == "polars":
        return pl.read_csv(path)        # dates stay text: the engine reads them
    session = request.getfixturevalue("spark")
    return session.read.csv(str(path), header=True, inferSchema=True)


# --------------------------------------------------------------------------------------------
# identical results on the course data, read by each engine from the CSV files
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("freq", ["M", "Q", "Y"])
def test_churn_rate_same_on_every_engine(engine, con, request, freq):
    path = datasets.data_dir() / "b2c_members.csv"
    expected = cs.churn_rate(pd.read_csv(path), freq=freq, **MEMBERS)
    got = cs.churn_rate(_read(engine, con, request, path), freq=freq, **MEMBERS)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["as_of"] == expected.attrs["as_of"]


@pytest.mark.parametrize("values", ["share", "count"])
def test_cohort_retention_same_on_every_engine(engine, con, request, values):
    path = datasets.data_dir() / "b2c_members.csv"
    expected = cs.cohort_retention(pd.read_csv(path), freq="Q", values=values, **MEMBERS)
    got = cs.cohort_retention(_read(engine, con, request, path), freq="Q", values=values,
                              **MEMBERS)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_series_equal(got.attrs["cohort_size"], expected.attrs["cohort_size"])


def test_survival_curves_same_on_every_engine(engine, con, request):
    path = datasets.data_dir() / "b2b_accounts.csv"
    kw = dict(id_col="account_id", as_of="2026-09-30")
    life_pd = cs.to_lifetimes(pd.read_csv(path), **kw)
    life_engine = cs.to_lifetimes(_read(engine, con, request, path), **kw)
    assert cs.engines.engine_of(life_engine) == engine      # lazy, stays in the engine
    for by in (None, "plan", "company_size"):
        a, b = cs.survival_curves(life_pd, by=by), cs.survival_curves(life_engine, by=by)
        assert a.labels == b.labels
        pd.testing.assert_frame_equal(b.counts, a.counts)
        pd.testing.assert_frame_equal(b.table(), a.table())
        pd.testing.assert_frame_equal(b.median(), a.median())
        if by is not None:
            pd.testing.assert_frame_equal(b.compare(), a.compare())


def test_lifetimes_columns_same_on_every_engine(engine, con, request):
    path = datasets.data_dir() / "b2c_members.csv"
    expected = cs.to_lifetimes(pd.read_csv(path), **MEMBERS)
    rel = cs.to_lifetimes(_read(engine, con, request, path), **MEMBERS)
    got = _pandas(rel)
    got = got.sort_values("member_id", ignore_index=True)
    expected = expected.sort_values("member_id", ignore_index=True)
    np.testing.assert_array_equal(got["duration"].to_numpy(), expected["duration"].to_numpy())
    np.testing.assert_array_equal(got["churned"].to_numpy(), expected["churned"].to_numpy())


@pytest.mark.parametrize("month", ["calendar", "average"])
def test_month_end_durations_same_on_every_engine(to_engine, month):
    # month ends, leap days and year ends, stopped on and off anniversaries, as DATE columns
    start = pd.to_datetime(["2023-01-31", "2024-01-31", "2024-01-30", "2024-02-29",
                            "2024-02-29", "2023-12-15", "2024-03-10", "2024-01-31",
                            "2024-05-31", "2022-08-31"])
    end = pd.to_datetime(["2023-02-28", "2024-03-31", "2024-02-29", "2025-02-28",
                          "2024-03-28", "2024-01-15", "2024-03-10", "2024-03-30", None, None])
    subs = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(start))],
                         "start_date": start, "end_date": end})
    expected = cs.to_lifetimes(subs, as_of="2025-06-30", month=month)
    rel = cs.to_lifetimes(to_engine(subs), as_of="2025-06-30", month=month)
    got = _pandas(rel)
    got = got.sort_values("customer_id", key=lambda c: c.str[1:].astype(int), ignore_index=True)
    np.testing.assert_array_equal(got["duration"].to_numpy(), expected["duration"].to_numpy())
    if month == "calendar":
        assert expected["duration"].iloc[:4].tolist() == [1.0, 2.0, 1.0, 12.0]


def test_late_entry_same_on_every_engine(engine, con, request):
    # an export that begins on 2024-01-01: entry and the left-out early leavers, then the curves
    path = datasets.data_dir() / "b2c_members.csv"
    check_late_entry(pd.read_csv(path), _read(engine, con, request, path), _pandas,
                     dict(MEMBERS, observed_from="2024-01-01"), "member_id")


def test_bad_entry_same_rule_on_every_engine(to_engine):
    life = pd.DataFrame({"duration": [1.0, 2.0, 3.0], "churned": [True, False, True],
                         "entry": [0.0, 5.0, 0.0]})
    with pytest.raises(DataError, match=r"Column 'entry': entry must not be after the end of "
                                        r"the follow-up \(duration\) — 1 of 3 rows"):
        cs.survival_curves(to_engine(life), entry_col="entry")


@pytest.mark.parametrize("window", [1, 12])
def test_revenue_retention_same_on_every_engine(engine, con, request, window):
    path = datasets.data_dir() / "b2b_usage_monthly.csv"
    expected = cs.revenue_retention(pd.read_csv(path), window=window)
    got = cs.revenue_retention(_read(engine, con, request, path), window=window)
    # whole-yen MRR: every sum is exact, so the engines agree to the last bit
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("window", [1, 12])
def test_revenue_retention_with_integer_ids_and_date_months(to_engine, window):
    # integer ids and DATE months: DuckDB checks one row per (customer, month) with a bitstring
    usage = pd.read_csv(datasets.data_dir() / "b2b_usage_monthly.csv", parse_dates=["month"])
    usage["account_id"] = usage["account_id"].str[1:].astype(np.int64)
    expected = cs.revenue_retention(usage, window=window)
    got = cs.revenue_retention(to_engine(usage), window=window)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


# --------------------------------------------------------------------------------------------
# hand-made tables: text dates, flags as words, fractional amounts, parquet
# --------------------------------------------------------------------------------------------

SUBS = pd.DataFrame({
    "customer_id": ["a", "b", "c", "d", "e", "f"],
    "start_date": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10", "2024-03-02",
                   " 2024-03-15 "],
    "end_date": ["2024-02-15", None, "2024-02-25", "2024-03-20", "", "2024-05-02"],
    "plan": ["x", "y", "x", "y", "x", "x"]})


def test_text_dates_and_blank_ends(to_engine):
    table = to_engine(SUBS)
    pd.testing.assert_frame_equal(cs.churn_rate(table, as_of="2024-04-30"),
                                  cs.churn_rate(SUBS, as_of="2024-04-30"))
    pd.testing.assert_frame_equal(cs.cohort_retention(table, as_of="2024-04-30"),
                                  cs.cohort_retention(SUBS, as_of="2024-04-30"))


def test_default_as_of_is_the_latest_date(to_engine):
    expected = cs.churn_rate(SUBS)
    got = cs.churn_rate(to_engine(SUBS))
    assert got.attrs["as_of"] == pd.Timestamp("2024-05-02") == expected.attrs["as_of"]
    pd.testing.assert_frame_equal(got, expected)


def test_late_starters_left_out_with_a_warning(to_engine):
    with pytest.warns(DataWarning, match=r"2 rows left out: customers who start after "
                                         r"as_of=2024-02-29.*\(e.g. e, f\)"):
        got = cs.churn_rate(to_engine(SUBS), as_of="2024-02-29")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        expected = cs.churn_rate(SUBS, as_of="2024-02-29")
    pd.testing.assert_frame_equal(got, expected)


def test_lifetime_flags_as_words_and_numbers(to_engine):
    life = pd.DataFrame({"tenure": [1, 34, 2, 2, 5, 12], "Churn": ["No", "no ", "Yes", "YES",
                                                                   "No", "yes"],
                         "segment": ["b", "a", "a", "b", "a", "b"]})
    expected = cs.survival_curves(life, duration_col="tenure", event_col="Churn", by="segment")
    got = cs.survival_curves(to_engine(life), duration_col="tenure", event_col="Churn",
                             by="segment")
    pd.testing.assert_frame_equal(got.counts, expected.counts)
    pd.testing.assert_frame_equal(got.table(), expected.table())
    ones = life.assign(Churn=life["Churn"].str.strip().str.lower().eq("yes").astype(int))
    got_int = cs.survival_curves(to_engine(ones), duration_col="tenure", event_col="Churn")
    pd.testing.assert_frame_equal(got_int.counts,
                                  cs.survival_curves(ones, duration_col="tenure",
                                                     event_col="Churn").counts)


def test_fractional_revenue_agrees_to_rounding(to_engine):
    rng = np.random.default_rng(3)
    n_acc, months = 300, pd.date_range("2023-01-01", periods=18, freq="MS")
    usage = pd.DataFrame({"account_id": np.repeat([f"A{i}" for i in range(n_acc)], len(months)),
                          "month": np.tile(months, n_acc),
                          "mrr": rng.gamma(2.0, 55.5, n_acc * len(months)).round(3)})
    usage.loc[rng.random(len(usage)) < 0.1, "mrr"] = 0.0
    expected = cs.revenue_retention(usage, window=6)
    got = cs.revenue_retention(to_engine(usage), window=6)
    pd.testing.assert_frame_equal(got[["customers"]], expected[["customers"]])
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_duckdb_reads_parquet_larger_than_memory_path(tmp_path, con):
    # the analyst's route: a folder of Parquet files, never loaded into pandas
    subs = datasets.load("b2c_members")
    folder = tmp_path / "members"
    folder.mkdir()
    for i, rows in enumerate(np.array_split(np.arange(len(subs)), 3)):
        part = subs.iloc[rows].copy()
        part.attrs = {}
        part.to_parquet(folder / f"part-{i}.parquet")
    rel = con.read_parquet(str(folder / "*.parquet"))
    pd.testing.assert_frame_equal(cs.churn_rate(rel, **MEMBERS),
                                  cs.churn_rate(subs, **MEMBERS))
    got = cs.survival_curves(cs.to_lifetimes(rel, **MEMBERS), by="plan")
    expected = cs.survival_curves(cs.to_lifetimes(subs, **MEMBERS), by="plan")
    # a pandas categorical keeps its category order (single, double); an engine has no
    # categories, so its groups come in sorted order: same curves, other order
    assert expected.labels == ["single", "double"] and got.labels == ["double", "single"]
    for label in expected.labels:
        pd.testing.assert_frame_equal(got.fitters[label].survival_function_,
                                      expected.fitters[label].survival_function_)


# --------------------------------------------------------------------------------------------
# bad tables: the same DataError rules as pandas
# --------------------------------------------------------------------------------------------

def _same_error(table, df, fn, **kw):
    with pytest.raises(DataError) as engine_err:
        fn(table, **kw)
    with pytest.raises(DataError) as pandas_err:
        fn(df, **kw)
    return str(engine_err.value), str(pandas_err.value)


def test_missing_column_message_matches_pandas(to_engine):
    got, expected = _same_error(to_engine(SUBS.drop(columns="end_date")),
                                SUBS.drop(columns="end_date"), cs.churn_rate)
    assert got == expected
    assert "Column 'end_date': required column missing" in got


@pytest.mark.parametrize("change, column, rule, n_bad, ids", [
    ({"start_date": {2: "soon"}}, "start_date", "values must be dates", 1, "c"),
    ({"start_date": {1: None, 3: ""}}, "start_date", "dates must not be missing", 2, "b, d"),
    ({"end_date": {0: "2023-12-31"}}, "end_date", "end date must not be before its start", 1,
     "a"),
    ({"customer_id": {1: "a"}}, "customer_id", "ids must be unique", 2, "a, a"),
])
def test_rule_messages_name_column_rule_count_and_ids(to_engine, change, column, rule, n_bad,
                                                      ids):
    bad = SUBS.copy()
    for col, edits in change.items():
        for row, value in edits.items():
            bad.loc[row, col] = value
    got, expected = _same_error(to_engine(bad), bad, cs.churn_rate, as_of="2024-04-30")
    assert f"Column '{column}'" in got and rule in got
    assert f"{n_bad:,} of 6 rows break this rule (first ids: {ids})" in got
    assert f"Column '{column}'" in expected and f"{n_bad:,} of 6 rows" in expected


INT_SUBS = SUBS.assign(start_date=pd.to_datetime(SUBS["start_date"].str.strip()),
                       end_date=pd.to_datetime(SUBS["end_date"].replace("", None)))


@pytest.mark.parametrize("ids", [[10, 11, 12, 13, 14, 15],             # a dense range
                                 [10**12, 11, 12, 13, 14, -5]])        # too wide: DISTINCT
def test_integer_ids_checked_exactly(to_engine, ids):
    subs = INT_SUBS.assign(customer_id=np.array(ids, dtype=np.int64))
    pd.testing.assert_frame_equal(cs.churn_rate(to_engine(subs), as_of="2024-04-30"),
                                  cs.churn_rate(subs, as_of="2024-04-30"))
    dup = subs.copy()
    dup.loc[4, "customer_id"] = ids[1]
    got, expected = _same_error(to_engine(dup), dup, cs.churn_rate, as_of="2024-04-30")
    assert got == expected == (
        "Column 'customer_id': ids must be unique (one row per customer) — 2 of 6 rows break "
        f"this rule (first ids: {ids[1]}, {ids[1]}).")


def test_integer_usage_pairs_checked_exactly(to_engine):
    usage = pd.DataFrame({"account_id": np.array([7, 7, 9, 9], dtype=np.int64),
                          "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01",
                                                   "2024-01-15"]),
                          "mrr": [10.0, 10.0, 5.0, 5.0]})
    got, expected = _same_error(to_engine(usage), usage, cs.revenue_retention, window=1)
    assert got == ("Column 'month': one row per customer and month — 2 of 4 rows break this "
                   "rule (first ids: 9, …).")
    assert expected.startswith("Column 'month': one row per customer and month — 2 of 4 rows")


def test_bitstring_counts_distinct_values_exactly(con):
    # DuckDB counts distinct integer ids with bitstring_agg over their range: the same counts
    # as count(DISTINCT), missing ids left out as count(DISTINCT) leaves them
    from cs_helpers.engines.table import wrap

    t = wrap(con.sql("SELECT range AS id, range % 7 AS k FROM range(100, 1100) "
                     "UNION ALL SELECT 150, 4 UNION ALL SELECT NULL, 1"))
    fast = t.bitstring_distinct([("id", lambda c: c)])
    assert fast is not None
    assert "bitstring_agg" in t.runner.sql(t.t.aggregate(n=fast[0])).lower()
    row = t.scalar_row(n=fast[0], present=fast[1], exact=t["id"].nunique())
    assert (int(row["n"]), int(row["present"]), int(row["exact"])) == (1000, 1001, 1000)
    pairs = t.bitstring_distinct([("id", lambda c: c), ("k", lambda c: c * 2)])
    assert pairs is not None
    exact = t.t.filter(t["id"].notnull()).select("id", "k").distinct()
    assert int(t.scalar_row(n=pairs[0])["n"]) == 1001
    assert int(t.run(exact.aggregate(n=exact.count()))["n"].iloc[0]) == 1001
    # text ids and ranges wider than the table allows: count(DISTINCT) instead
    assert wrap(con.sql("SELECT 'a' AS id")).bitstring_distinct([("id", lambda c: c)]) is None
    wide = wrap(con.sql("SELECT 1 AS id UNION ALL SELECT 10000000000"))
    assert wide.bitstring_distinct([("id", lambda c: c)]) is None


def test_date_extremes_come_with_the_id_range(con, tmp_path, monkeypatch):
    # DuckDB, DATE columns and integer ids: the row count, the dates' minimums and maximums
    # and the missing-start screen are computed by the query that reads the id range (answered
    # from a Parquet file's statistics), not by the pass over every row; the errors stay
    # those of pandas
    from cs_helpers.engines import table as engine_table

    subs = pd.DataFrame({"customer_id": [1, 2, 3, 4],
                         "start_date": pd.to_datetime(["2024-01-05", "2024-01-20",
                                                       "2024-02-03", "2024-02-10"]),
                         "end_date": pd.to_datetime(["2024-02-15", None, None, "2024-03-20"]),
                         "plan": ["x", "y", "x", "y"]})
    sent: list[str] = []
    original = engine_table.Runner._run

    def run(self, expr):
        sent.append(self.sql(expr).lower())
        return original(self, expr)

    monkeypatch.setattr(engine_table.Runner, "_run", run)

    def read(df):
        path = tmp_path / f"subs{len(sent)}_{id(df)}.parquet"
        con.execute("COPY (SELECT customer_id, CAST(start_date AS DATE) AS start_date, "
                    "CAST(end_date AS DATE) AS end_date, plan FROM df) TO "
                    f"'{path}' (FORMAT parquet)")
        return con.read_parquet(str(path))

    cs.to_lifetimes(read(subs), as_of="2024-06-30")
    passes = [q for q in sent if "bitstring_agg" in q]
    assert len(passes) == 1 and "min(" not in passes[0] and "max(" not in passes[0]
    assert any("min(" in q and "bitstring_agg" not in q for q in sent)
    bad = subs.assign(start_date=subs["start_date"].where(subs["customer_id"] != 3))
    got, expected = _same_error(read(bad), bad, cs.to_lifetimes, as_of="2024-06-30")
    assert got == expected
    assert got.startswith("Column 'start_date': dates must not be missing — 1 of 4 rows")
    assert "(first ids: 3)" in got


def test_as_of_before_every_start(to_engine):
    got, expected = _same_error(to_engine(SUBS), SUBS, cs.churn_rate, as_of="2023-06-30")
    assert got == expected
    assert "every customer starts after as_of=2023-06-30" in got


def test_empty_table(con):
    rel = con.sql("SELECT 'a' AS customer_id, DATE '2024-01-01' AS start_date, "
                  "CAST(NULL AS DATE) AS end_date WHERE false")
    with pytest.raises(DataError, match="The subscriptions table is empty"):
        cs.churn_rate(rel)


def test_bad_lifetimes(to_engine):
    life = pd.DataFrame({"duration": [1.0, -2.0, 3.0], "churned": ["yes", "no", "maybe"],
                         "seg": ["a", None, "b"]})
    with pytest.raises(DataError, match=r"Column 'duration': values must not be negative — "
                                         r"1 of 3 rows"):
        cs.survival_curves(to_engine(life))
    life.loc[1, "duration"] = 2.0
    with pytest.raises(DataError, match=r"Column 'churned': churn flags must be one of .* "
                                         r"1 of 3 rows"):
        cs.survival_curves(to_engine(life))
    life.loc[2, "churned"] = "no"
    with pytest.raises(DataError, match=r"Column 'seg': group labels must not be missing — "
                                         r"1 of 3 rows"):
        cs.survival_curves(to_engine(life), by="seg")


def test_bad_usage(to_engine):
    usage = pd.DataFrame({"account_id": ["a", "a", "b", "b"],
                          "month": ["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-01"],
                          "mrr": [10.0, 10.0, 5.0, 5.0]})
    got, expected = _same_error(to_engine(usage), usage, cs.revenue_retention, window=1)
    assert got.startswith("Column 'month': one row per customer and month — 2 of 4 rows "
                          "break this rule (first ids: b")
    assert expected.startswith("Column 'month': one row per customer and month — 2 of 4 rows")
    usage = usage.drop(index=3)
    usage.loc[0, "mrr"] = -1.0
    got, _ = _same_error(to_engine(usage), usage, cs.revenue_retention, window=1)
    assert got.startswith("Column 'mrr': values must not be negative — 1 of 3 rows")


def test_unknown_table_kind():
    with pytest.raises(DataError, match="a DuckDB relation, a Spark DataFrame or an Ibis "
                                        "table, got builtins.list"):
        cs.engines.engine_of([1, 2])


# --------------------------------------------------------------------------------------------
# report helpers (notebook A2)
# --------------------------------------------------------------------------------------------

def test_read_profile_and_means_agree_across_engines(engine, con, request, tmp_path):
    path = datasets.data_dir() / "b2b_accounts.csv"
    frame = cs.engines.read(path, "pandas")
    spark_session = request.getfixturevalue("spark") if engine == "spark" else None
    if engine in cs.engines.ENGINES:
        table = cs.engines.read(path, engine, spark=spark_session)
    else:       # read() opens files on pandas, DuckDB or Spark: the frame handed over
        if engine == "polars":
            table = pl.from_pandas(frame)
        else:
            ibis_con = request.getfixturevalue("ibis_con")
            ibis_con.con.register("accounts", frame)
            table = ibis_con.table("accounts")
    assert cs.engines.engine_of(table) == engine
    cols = ["account_id", "plan", "end_date", "mrr"]
    expected = cs.engines.column_profile(frame, cols)
    got = cs.engines.column_profile(table, cols)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got.attrs["rows"] == expected.attrs["rows"] == len(frame)
    for by in (None, "plan"):
        pd.testing.assert_series_equal(cs.engines.group_means(table, "mrr", by),
                                       cs.engines.group_means(frame, "mrr", by),
                                       check_exact=False, rtol=1e-12)
    if engine not in cs.engines.ENGINES:
        return
    parquet = tmp_path / "accounts.parquet"
    frame.to_parquet(parquet)
    assert cs.engines.column_profile(cs.engines.read(parquet, engine, spark=spark_session),
                                     cols).attrs["rows"] == len(frame)


def test_read_refuses_a_missing_file_and_an_unknown_engine(tmp_path):
    with pytest.raises(DataError, match="file not found: nope.csv"):
        cs.engines.read(tmp_path / "nope.csv", "duckdb")
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ValueError, match="engine must be one of"):
        cs.engines.read(path, "polars")


def test_group_means_refuses_text_amounts(to_engine):
    table = pd.DataFrame({"plan": ["a", "b"], "mrr": ["100", "lots"]})
    with pytest.raises(DataError, match="Column 'mrr': values must be numbers — 1 of 2 rows"):
        cs.engines.group_means(to_engine(table), "mrr", "plan")


@pytest.mark.parametrize("dialect", ["postgres", "snowflake"])
def test_text_is_validated_before_any_cast(dialect):
    # Ibis compiles try_cast to a plain CAST on PostgreSQL and Snowflake, which fails on the
    # first bad value: dates are built from validated parts with make_date, and numbers are
    # cast only where the text matches a number (compiled here; run on PostgreSQL in
    # tests/test_warehouse.py)
    import re

    t = cs.engines.table.wrap(ibis.table({"id": "string", "d": "string", "x": "string"},
                                         name="subs"))
    t.plans["d"] = cs.dates.decide({"iso": 3, "ymd": 1})
    sql = ibis.to_sql(t.t.select(d=t.date("d"), x=t.number("x")), dialect=dialect)
    date_casts = re.findall(r"CAST\((.{0,60}?) AS DATE\)", sql, flags=re.S)
    assert all(src.strip() == "NULL" for src in date_casts)      # no text cast to a date
    assert "MAKE_DATE" in sql.upper() or "DATE_FROM_PARTS" in sql.upper()
    # the number is cast only where the text matched the number pattern
    pattern = cs.engines.table.NUMBER_TEXT[1:-1]
    assert pattern in sql
    assert sql.index(pattern) < sql.upper().index("AS DOUBLE") if "AS DOUBLE" in sql.upper() \
        else "AS FLOAT" in sql.upper()


@pytest.mark.parametrize("as_of", ["2026-09-30", "2025-06-30"])
@pytest.mark.parametrize("month", ["calendar", "average"])
def test_counts_of_a_to_lifetimes_table_come_from_its_dates(con, month, as_of):
    # survival_curves on the table to_lifetimes returned counts per (group, start, end) first
    # and filters, censors and computes the months on those rows (calendar months), or counts
    # per (group, days, churned) and divides on those rows (average months): the same counts
    # as the general path (taken for any other relation, e.g. a projection of it) and as
    # pandas, also with an as_of before some starts and ends (left out, censored)
    import warnings

    from cs_helpers.engines import aggregations

    subs = datasets.load("b2c_members")
    rel = con.from_df(subs.astype({"plan": str}))
    kw = {**MEMBERS, "as_of": as_of}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.DataWarning)     # the customers who start later
        life = cs.to_lifetimes(rel, month=month, **kw)
        expected = cs.survival.aggregate_lifetimes(
            cs.to_lifetimes(subs.astype({"plan": str}), month=month, **kw), by="plan")
    assert aggregations._made_by_to_lifetimes(life) is not None
    assert aggregations._made_by_to_lifetimes(life.project("*")) is None
    for by in ("plan", None):
        fast = aggregations.lifetime_counts(life, by, "duration", "churned")
        general = aggregations.lifetime_counts(life.project("*"), by, "duration", "churned")
        pd.testing.assert_frame_equal(fast, general)
    pd.testing.assert_frame_equal(aggregations.lifetime_counts(life, "plan", "duration",
                                                               "churned"), expected)


def test_what_to_lifetimes_remembers_goes_with_its_table(con):
    # the fast path's memory of how a table was made holds no input alive: the entry goes
    # when the table the user got back is garbage-collected
    import gc

    from cs_helpers.engines import aggregations

    rel = con.from_df(datasets.load("b2c_members").astype({"plan": str}))
    life = cs.to_lifetimes(rel, **MEMBERS)
    key = id(life)
    assert aggregations._made_by_to_lifetimes(life) is not None
    del life
    gc.collect()
    assert key not in aggregations._MADE
