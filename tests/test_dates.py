"""Dates stated, never guessed: the rules of cs_helpers.dates, the same on pandas and DuckDB."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cs_helpers as cs
from cs_helpers import dates, engines
from cs_helpers.dates import parse_date, parse_dates

DAYS = st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2260, 12, 31))

FORMS = {
    "iso": lambda d: d.isoformat(),
    "iso time": lambda d: f"{d.isoformat()} 23:59:59",
    "iso offset": lambda d: f"{d.isoformat()}T23:30:00+09:00",
    "ymd": lambda d: f"{d.year}/{d.month}/{d.day}",
    "compact": lambda d: d.strftime("%Y%m%d"),
    "kanji": lambda d: f"{d.year}年{d.month}月{d.day}日",
}


@settings(max_examples=60, deadline=None)
@given(st.lists(DAYS, min_size=1, max_size=8), st.sampled_from(sorted(FORMS)))
def test_unambiguous_forms_read_back_exactly(days, form):
    df = pd.DataFrame({"d": [FORMS[form](d) for d in days]})
    got = parse_dates(df, "d").dt.date.tolist()
    assert got == days


@settings(max_examples=60, deadline=None)
@given(st.lists(DAYS, min_size=1, max_size=8), st.booleans())
def test_slashed_dates_read_the_stated_way(days, dayfirst):
    fmt = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    df = pd.DataFrame({"d": [f"{d:%d}/{d:%m}/{d.year:04d}" if dayfirst else
                             f"{d:%m}/{d:%d}/{d.year:04d}" for d in days]})
    assert parse_dates(df, "d", dayfirst=dayfirst).dt.date.tolist() == days
    assert parse_dates(df, "d", date_format=fmt).dt.date.tolist() == days


def test_whole_numbers_yyyymmdd_and_excel_serials():
    df = pd.DataFrame({"d": [20240131, 20240229, np.nan]})
    assert parse_dates(df, "d", allow_missing=True).dt.strftime("%Y-%m-%d").tolist()[:2] == \
        ["2024-01-31", "2024-02-29"]
    serial = pd.DataFrame({"id": ["a", "b"], "d": [45292, 45322.75]})
    with pytest.raises(cs.DataError, match=r"Column 'd': values must be dates, not numbers; "
                                           r"numbers such as 45292 look like Excel serial day "
                                           r"numbers \(45292 = 2024-01-01\).*first ids: a, b"):
        parse_dates(serial, "d", "id")
    got = parse_dates(serial, "d", "id", date_format="excel")
    assert got.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-31"]


@pytest.mark.parametrize("values, kind", [
    (["2024-01-31", "31/01/2024"], "mixed"),
    (["31/01/2024", "01/31/2024"], "mixed"),
    (["02/03/2024", "31/01/2024"], "ambiguous"),
    (["2024-01-31", "20240131"], "mixed"),
    (["45292", "2024-01-01"], "serial"),
    (["31/01/2024", "05/05/2024"], "ok"),
])
def test_decisions(values, kind):
    counts = pd.Series(dates.classify(pd.Series(values))).value_counts().to_dict()
    assert dates.decide(counts).kind == kind


def test_mixed_formats_name_every_form_with_counts_and_examples():
    df = pd.DataFrame({"id": list("abcde"),
                       "d": ["2023-01-31", "2023-02-01", "31/01/2023", "01/31/2023",
                             "02/03/2023"]})
    with pytest.raises(cs.DataError) as err:
        parse_dates(df, "d", "id")
    msg = str(err.value)
    for part in ("Column 'd'", "found 4 forms", "YYYY-MM-DD: 2 (e.g. '2023-01-31')",
                 "DD/MM/YYYY (day first): 1 (e.g. '31/01/2023')",
                 "MM/DD/YYYY (month first): 1 (e.g. '01/31/2023')", "(ambiguous): 1",
                 "3 of 5 rows break this rule (first ids: c, d, e)"):
        assert part in msg, part
    # stated: mixed forms accepted, each slashed date read one way (and must fit it)
    with pytest.raises(cs.DataError, match=r"dayfirst=True\) — 1 of 5 rows .*first ids: d"):
        parse_dates(df, "d", "id", dayfirst=True)
    ok = parse_dates(df.drop(index=3), "d", "id", dayfirst=True)
    assert ok.dt.strftime("%Y-%m-%d").tolist() == ["2023-01-31", "2023-02-01", "2023-01-31",
                                                   "2023-03-02"]
    both = pd.DataFrame({"d": ["2023-01-31", "20230201"]})
    assert parse_dates(both, "d", date_format="mixed").dt.day.tolist() == [31, 1]


def test_time_zones_are_read_at_their_local_date():
    text = pd.DataFrame({"d": ["2024-01-31T23:30:00+09:00", "2024-02-01T01:00:00+09:00",
                               "2024-01-31T23:30:00Z"]})
    assert parse_dates(text, "d").dt.strftime("%Y-%m-%d").tolist() == \
        ["2024-01-31", "2024-02-01", "2024-01-31"]
    aware = pd.DataFrame({"d": pd.to_datetime(["2024-02-01 01:00"]).tz_localize("Asia/Tokyo")})
    assert parse_dates(aware, "d").iloc[0] == pd.Timestamp("2024-02-01")


def test_as_of_by_the_same_rules():
    assert parse_date("2024-07-01") == parse_date(20240701) == parse_date(dt.date(2024, 7, 1))
    with pytest.raises(cs.DataError, match=r"as_of: '01/07/2024' reads either as 1 July 2024 "
                                           r"\(day/month/year\) or as 7 January 2024"):
        parse_date("01/07/2024")
    assert parse_date("01/07/2024", dayfirst=False) == pd.Timestamp("2024-01-07")
    assert parse_date("01.07.2024", date_format="%d.%m.%Y") == pd.Timestamp("2024-07-01")
    with pytest.raises(cs.DataError, match="as_of: 45292 is a number, not a date"):
        parse_date(45292)


def test_spark_formats():
    assert dates.to_java_format("%d.%m.%Y") == "d.M.yyyy"
    assert dates.to_java_format("%Y年%m月%d日") == "yyyy年M月d日"
    with pytest.raises(cs.DataError, match="not supported on Spark"):
        dates.to_java_format("%A %d")


# --------------------------------------------------------------------------------------------
# DuckDB reads every value exactly as pandas does (Spark: tests/test_corpus.py)
# --------------------------------------------------------------------------------------------

GRID = [
    ["2023-01-31", "2023-2-5", None, " 2023-03-01 "],
    ["2023-01-31 10:15:00", "2023-02-01T23:30:00+09:00", "2023-02-01T01:00Z", ""],
    ["2024/1/31", "2024/02/29 0:00", None],
    ["20240131", "20240229", "20230229"],
    ["2024年1月31日", "2024年2月29日"],
    ["31/01/2024", "15.02.2024", "29-02-2024", "05/05/2024"],
    ["01/31/2024", "02/15/2024"],
    ["02/03/2024", "31/01/2024"],
    ["2023-02-30", "2023-01-01"],
    ["soon", "2023-01-01"],
    ["9999-12-31", "2023-01-01"],
    ["45292", "45322"],
]


def _duck_dates(values, **kw):
    df = pd.DataFrame({"id": [f"c{i}" for i in range(len(values))], "d": values})
    con = duckdb.connect()
    con.register("df", df)
    t = engines.table.wrap(con.table("df"))
    t.plan_dates(["d"], "id", "input", kw.get("date_format"), kw.get("dayfirst"))
    t.check_rules(engines.table.date_rules(t, "d", True), "id", "input")
    got = t.run(t.t.select(d=t.date("d")))["d"]
    return pd.to_datetime(got).tolist()


@pytest.mark.parametrize("values", GRID)
@pytest.mark.parametrize("kw", [{}, {"dayfirst": True}, {"dayfirst": False},
                                {"date_format": "excel"}, {"date_format": "mixed"}])
def test_duckdb_reads_what_pandas_reads(values, kw):
    df = pd.DataFrame({"id": [f"c{i}" for i in range(len(values))], "d": values})
    try:
        expected = parse_dates(df, "d", "id", allow_missing=True, **kw).tolist()
    except cs.DataError as err:
        with pytest.raises(cs.DataError) as engine_err:
            _duck_dates(values, **kw)
        assert str(engine_err.value) == str(err)
        return
    got = _duck_dates(values, **kw)
    assert [None if pd.isna(x) else x for x in got] == \
        [None if pd.isna(x) else x for x in expected]
