"""A corpus of awkward tables (tests/tables/) run through the API on every engine.

Each case is one small file, the arguments a careful analyst would pass, and the outcome it
must give: either the right numbers, checked against an independent computation (calendar
months counted with ``dateutil``, lifelines fitted on rows converted by hand), or a
``DataError`` whose message names the column, the rule, how many rows break it and the first
customer ids. Every table is read the way the report reads it (``cs.engines.read``), on pandas
and DuckDB; the cases about dates, flags and encodings also on Spark. Every case past reading
also runs on a real PostgreSQL server (the ``warehouse`` fixture of ``tests/conftest.py``): the
file as pandas reads it is loaded into a table there, as an analyst's loader would, and the
call gets the Ibis table, so the warehouse must give the same numbers and the same DataErrors.
A last test counts rows: rows in the file = rows counted + rows reported as left out, so
nothing disappears unreported.

The files are written by ``tests/tables/make_tables.py`` (committed with them).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from lifelines import KaplanMeierFitter

import cs_helpers as cs
from cs_helpers import DataError, DataWarning

TABLES = Path(__file__).resolve().parent / "tables"
AS_OF = "2024-03-31"
REQUIRE_SPARK = os.environ.get("CS_HELPERS_REQUIRE_SPARK", "") == "1"

_spec = importlib.util.spec_from_file_location("make_tables", TABLES / "make_tables.py")
make_tables = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_tables)
BASE = make_tables.BASE
SUBS = dict(id_col="customer_id", start_col="start_date", end_col="end_date", as_of=AS_OF)
JA = dict(id_col="顧客ID", start_col="開始日", end_col="終了日", as_of=AS_OF)


# --------------------------------------------------------------------------------------------
# independent computations
# --------------------------------------------------------------------------------------------

def calendar_months(start: date, stop: date) -> float:
    """Whole months between anniversaries (day clipped to the month's end, as relativedelta
    does) plus the elapsed share of the next one."""
    k = (stop.year - start.year) * 12 + stop.month - start.month
    while start + relativedelta(months=k) > stop:
        k -= 1
    a, b = start + relativedelta(months=k), start + relativedelta(months=k + 1)
    return k + (stop - a).days / (b - a).days


def reference(rows=BASE, as_of: str = AS_OF) -> pd.DataFrame:
    """Lifetimes of ``rows`` (ISO dates) computed by hand."""
    cut = date.fromisoformat(as_of)
    out = []
    for cid, start, end, plan, mrr in rows:
        s = date.fromisoformat(start)
        if s > cut:
            continue
        e = date.fromisoformat(end) if end else None
        churned = e is not None and e <= cut
        out.append({"customer_id": cid, "plan": plan, "mrr": float(mrr),
                    "duration": calendar_months(s, e if churned else cut),
                    "churned": churned})
    return pd.DataFrame(out)


def reference_churn(rows=BASE, as_of: str = AS_OF) -> pd.DataFrame:
    """Monthly active_start and churned counted customer by customer."""
    cut = pd.Period(as_of, "M")
    first = min(pd.Period(r[1], "M") for r in rows)
    out = []
    for p in pd.period_range(first, cut, freq="M"):
        active = churned = 0
        for _, start, end, _, _ in rows:
            s = pd.Period(start, "M")
            e = pd.Period(end, "M") if end and date.fromisoformat(end) <= \
                date.fromisoformat(as_of) else None
            if s < p and (e is None or e >= p):
                active += 1
                churned += int(e == p)
        out.append({"period": p, "active_start": active, "churned": churned})
    return pd.DataFrame(out).set_index("period")


# --------------------------------------------------------------------------------------------
# engines
# --------------------------------------------------------------------------------------------

def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JDK 17 or later)"
    return None


@pytest.fixture(scope="session")
def spark_session():
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
    return session


def _pandas(table: Any) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    if type(table).__module__.startswith("ibis"):        # a warehouse (PostgreSQL) table
        return table.to_pandas()
    if cs.engines.engine_of(table) == "duckdb":
        return table.df()
    return table.toPandas()


def _left_out(caught) -> int:
    """Rows reported as left out by DataWarnings ("N rows left out: ...")."""
    total = 0
    for w in caught:
        m = re.match(r"([\d,]+) rows left out", str(w.message))
        if issubclass(w.category, DataWarning) and m:
            total += int(m.group(1).replace(",", ""))
    return total


def _rows_in_file(name: str, encoding: str = "utf-8", sep: str = ",") -> int:
    """Data rows in a file, counted without cs_helpers (blank lines are not rows)."""
    path = TABLES / name
    if path.suffix == ".xlsx" or name == "excel_saved_as.csv":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True).active
        return sum(1 for r in sheet.iter_rows(values_only=True)) - 1
    text = path.read_bytes().decode(encoding)
    return sum(1 for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep)
               if r) - 1


# --------------------------------------------------------------------------------------------
# the cases
# --------------------------------------------------------------------------------------------

@dataclass
class Case:
    """One file, how to read it, what to call, and what must come out."""

    name: str
    file: str
    call: str                        # lifetimes, churn, curves, tenure, tenure_curves, means, read
    kwargs: dict = field(default_factory=dict)
    read: dict = field(default_factory=dict)
    error: tuple[str, ...] = ()      # fragments of the DataError (column, rule, count, ids)
    warns: tuple[str, ...] = ()      # fragments of an expected DataWarning
    rows: Any = None                 # the reference rows (for "ok" cases)
    spark: bool = False              # run on Spark too (dates, flags, encodings)
    engines: tuple[str, ...] = ("pandas", "duckdb")
    check: Any = None                # extra check(result, engine)

    @property
    def ok(self) -> bool:
        return not self.error


CASES = [
    # --- encodings, separators, headers ---------------------------------------------------
    Case("utf-8, comma", "utf8.csv", "lifetimes", SUBS, rows=BASE, spark=True),
    Case("utf-8 with a byte-order mark", "utf8_bom.csv", "lifetimes", SUBS, rows=BASE,
         spark=True),
    Case("cp932 (Shift-JIS), Japanese headers", "cp932_japanese_headers.csv", "lifetimes", JA,
         rows=BASE, spark=True),
    Case("utf-8, Japanese headers", "utf8_japanese_headers.csv", "lifetimes", JA, rows=BASE),
    Case("utf-16, tab (Excel's Unicode text)", "utf16_tab.txt", "lifetimes", SUBS, rows=BASE,
         spark=True),
    Case("semicolon separator", "semicolon.csv", "lifetimes", SUBS, rows=BASE, spark=True),
    Case("tab separator", "tab.tsv", "lifetimes", SUBS, rows=BASE),
    Case("semicolon read with a comma: one column", "semicolon.csv", "lifetimes", SUBS,
         read={"sep": ","},
         error=("Columns 'customer_id', 'start_date', 'end_date': required column missing",
                "one column whose name contains ';'", "sep=';'")),
    Case("Latin-1 is never guessed", "latin1.csv", "read",
         error=("decodes as Shift-JIS (cp932), but words such as", "look like accented Latin",
                "encoding='cp1252'", "'latin-1'")),
    Case("Latin-1 when stated", "latin1.csv", "lifetimes", SUBS, read={"encoding": "latin-1"},
         rows=BASE),
    # --- Excel ---------------------------------------------------------------------------
    Case("Excel dates", "excel_dates.xlsx", "lifetimes", SUBS, rows=BASE, spark=True),
    Case("xlsx saved under a .csv name", "excel_saved_as.csv", "lifetimes", SUBS, rows=BASE),
    Case("Excel serial day numbers", "excel_serial_dates.xlsx", "lifetimes", SUBS,
         error=("Column 'start_date'", "look like Excel serial day numbers",
                "44941 = 2023-01-15", "date_format='excel'", "12 of 12 rows",
                "first ids: C001, C002, C003, C004, C005, …"), spark=True),
    Case("Excel serial day numbers, stated", "excel_serial_dates.xlsx", "lifetimes",
         {**SUBS, "date_format": "excel"}, rows=BASE, spark=True),
    # --- date formats --------------------------------------------------------------------
    Case("yyyymmdd numbers", "dates_yyyymmdd.csv", "lifetimes", SUBS, rows=BASE, spark=True),
    Case("yyyymmdd churn table", "dates_yyyymmdd.csv", "churn", SUBS, rows=BASE, spark=True),
    Case("YYYY年M月D日", "dates_kanji.csv", "lifetimes", SUBS, rows=BASE, spark=True),
    Case("YYYY/M/D", "dates_slash_ymd.csv", "lifetimes", SUBS, rows=BASE),
    Case("day/month/year, ambiguous", "dates_dmy.csv", "lifetimes", SUBS,
         error=("Column 'start_date'", "dates such as '10/02/2023' read either as "
                "day/month/year (10 February 2023) or as month/day/year (2 October 2023)",
                "the column also has dates that read only as day/month/year (e.g. "
                "'15/01/2023')", "dayfirst=True",
                "5 of 12 rows break this rule (first ids: C003, C004, C006, C007, C009)"),
         spark=True),
    Case("day/month/year, stated", "dates_dmy.csv", "churn", {**SUBS, "dayfirst": True},
         rows=BASE, spark=True),
    Case("month/day/year, stated", "dates_mdy.csv", "lifetimes", {**SUBS, "dayfirst": False},
         rows=BASE),
    Case("month/day/year read as day first", "dates_mdy.csv", "lifetimes",
         {**SUBS, "dayfirst": True},
         error=("Column 'start_date'", "slashed dates written day/month/year (dayfirst=True)",
                "first ids: C001")),
    Case("day/month/year, every date unambiguous", "dates_dmy_unambiguous.csv", "lifetimes",
         SUBS, rows=[r for r in BASE if all(not x or int(x[8:]) > 12 for x in r[1:3])]),
    Case("mixed formats in one column", "dates_mixed.csv", "lifetimes", SUBS,
         error=("Column 'start_date'", "found 4 forms", "YYYY-MM-DD: 8",
                "DD/MM/YYYY (day first): 1 (e.g. '31/01/2023')",
                "MM/DD/YYYY (month first): 1 (e.g. '03/20/2023')", "(ambiguous): 2",
                "4 of 12 rows break this rule (first ids: C002, C003, C004, C005)"),
         spark=True),
    Case("ambiguous as_of", "utf8.csv", "churn", {**SUBS, "as_of": "01/03/2024"},
         error=("as_of: '01/03/2024' reads either as 1 March 2024",
                "or as 3 January 2024", "dayfirst=")),
    Case("as_of stated day first", "utf8.csv", "churn",
         {**SUBS, "as_of": "31/03/2024", "dayfirst": True}, rows=BASE),
    Case("time-zone offsets: the date as written", "dates_tz_offsets.csv", "lifetimes", SUBS,
         rows=BASE, spark=True),
    Case("times of day are dropped", "dates_with_times.csv", "lifetimes", SUBS, rows=BASE,
         spark=True),
    Case("placeholder 9999-12-31", "dates_placeholder_9999.csv", "lifetimes", SUBS,
         error=("Column 'end_date'", "dates must lie between 1677-09-22 and 2262-04-11",
                "2 of 12 rows", "first ids: C003, C005"), spark=True),
    Case("not dates", "dates_not_dates.csv", "lifetimes", SUBS,
         error=("Column 'start_date'", "values must be dates", "2 of 12 rows",
                "first ids: C006, C007")),
    Case("end before start", "end_before_start.csv", "lifetimes", SUBS,
         error=("Column 'end_date'", "end date must not be before its start date",
                "1 of 12 rows", "first ids: C004")),
    # --- shapes and rows -----------------------------------------------------------------
    Case("0-byte file", "empty.csv", "read", error=("empty.csv is empty (0 bytes)",)),
    Case("header only", "header_only.csv", "read",
         error=("header_only.csv has column names", "but no rows")),
    Case("single customer", "single_customer.csv", "churn",
         {**SUBS, "as_of": None}, rows=[("C001", "2024-03-05", "", "basic", 1000)],
         check=lambda r, e: _pooled_is_undefined(r)),
    Case("all churned", "all_churned.csv", "curves", SUBS,
         rows=[r[:2] + (r[2] or "2024-03-01",) + r[3:] for r in BASE]),
    Case("none churned", "none_churned.csv", "curves", SUBS,
         rows=[r[:2] + ("",) + r[3:] for r in BASE]),
    Case("a one-row segment", "one_row_segment.csv", "curves", {**SUBS, "by": "plan"},
         rows=[r[:3] + ("enterprise" if r[0] == "C003" else r[3], r[4]) for r in BASE]),
    Case("exact duplicate rows, no id column", "duplicate_rows_no_id.csv", "lifetimes",
         {**SUBS, "id_col": None}, warns=("5 rows of the subscriptions table are exact copies",),
         rows=[r for r in BASE] + [BASE[0]] * 3 + [BASE[2]] * 2),
    Case("duplicate ids", "duplicate_ids.csv", "lifetimes", SUBS,
         error=("Column 'customer_id'", "ids must be unique", "2 of 12 rows",
                "first ids: C002, C002")),
    Case("ids with leading zeros", "leading_zero_ids.csv", "lifetimes",
         {**SUBS}, read={"id_cols": ["customer_id"]},
         rows=[("00123",) + BASE[0][1:], ("123",) + BASE[1][1:], ("0123",) + BASE[2][1:],
               *BASE[3:]], spark=True),
    Case("fully empty rows", "blank_rows.csv", "lifetimes", SUBS, rows=BASE,
         warns=("2 rows left out: rows with every cell empty",)),
    Case("customers who start after as_of", "starts_after_as_of.csv", "lifetimes", SUBS,
         rows=[*BASE[:10], ("C011", "2024-04-10", "", "basic", 1100),
               ("C012", "2024-05-01", "", "pro", 2900)],
         warns=("2 rows left out: customers who start after as_of=2024-03-31",)),
    Case("ragged lines", "ragged.csv", "read",
         error=("the rows do not line up with the header", "Expected 5 fields in line 5, saw 6",
                "sep=")),
    Case("repeated column names", "repeated_header.csv", "read",
         error=("column names must be unique; 'plan' appears 2 times",)),
    Case("unknown extension", "unknown.json", "read",
         error=("the extension '.json' is not a table format", "format='csv'")),
    # --- money ---------------------------------------------------------------------------
    Case("negative MRR", "mrr_negative.csv", "means", {"id_col": "customer_id"},
         error=("Column 'mrr'", "amounts must not be negative", "2 of 12 rows",
                "first ids: C004, C009")),
    Case("missing MRR, a segment with none", "mrr_missing.csv", "means",
         {"id_col": "customer_id"},
         warns=("4 rows left out: rows with no mrr (missing), left out of the mean "
                "(basic: 2 of 6, trial: 2 of 2); no amount at all in trial",)),
    Case("MRR written with a thousands separator", "mrr_text.csv", "means",
         {"id_col": "customer_id"},
         error=("Column 'mrr'", "values must be numbers", "1 of 12 rows", "first ids: C003")),
    Case("decimal comma", "semicolon_decimal_comma.csv", "means",
         {"id_col": "customer_id"}, read={"decimal": ","}),
    # --- flags and tenure -----------------------------------------------------------------
    Case("flags TRUE/FALSE/1/0/Yes/no", "flags_true_1.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "churned", "id_col": "id", "window": "all"},
         spark=True),
    Case("Telco-style snapshot, window of 12 months", "tenure_months_telco.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "Churn", "id_col": "customerID",
          "window": 12}, spark=True),
    Case("one-month window on 60 rows: too few seen early", "tenure_months_telco.csv",
         "tenure_curves", {"tenure_col": "tenure", "churned_col": "Churn",
                           "id_col": "customerID", "window": 1},
         error=("Column 'entry': the curve cannot be estimated with late entry",
                "use a longer observation window")),
    Case("tenure snapshot without a window", "tenure_months_telco.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "Churn", "id_col": "customerID"},
         warns=("cannot say when each customer came under observation", "window=")),
    Case("tenure in years, not stated", "tenure_years_bank.csv", "tenure",
         {"tenure_col": "Tenure", "churned_col": "Exited", "id_col": "CustomerId",
          "window": "all"},
         warns=("tenure_unit='months', but every one of the 60 values is a whole number",
                "looks like years", "tenure_unit='years'"), spark=True),
    Case("tenure in years, stated", "tenure_years_bank.csv", "tenure",
         {"tenure_col": "Tenure", "churned_col": "Exited", "id_col": "CustomerId",
          "window": "all", "tenure_unit": "years"}, spark=True),
    Case("tenure in days given as months", "tenure_days_as_months.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "Churn", "id_col": "customerID",
          "window": "all"},
         warns=("the median tenure is", "looks like days or weeks", "tenure_unit='days'")),
    Case("infinite tenure", "tenure_infinite.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "Churn", "id_col": "customerID",
          "window": "all"},
         error=("Column 'tenure'", "values must be finite numbers", "1 of 8 rows",
                "first ids: 7593-VHVEG")),
    Case("missing tenure", "tenure_missing.csv", "tenure",
         {"tenure_col": "tenure", "churned_col": "Churn", "id_col": "customerID",
          "window": "all"},
         error=("Column 'tenure'", "values must be numbers (not missing, not text)",
                "2 of 8 rows", "first ids: 7592-VHVEG, 7595-VHVEG")),
]


def _pooled_is_undefined(table: pd.DataFrame) -> None:
    with pytest.warns(DataWarning, match="undefined"):
        pooled = cs.churn.pooled_churn(table)
    assert np.isnan(pooled["churn_rate"]) and pooled["active_start"] == 0


def _engines(case: Case) -> tuple[str, ...]:
    """The engines a case runs on: its own, Spark when marked, and PostgreSQL for every case
    past reading (a file that cannot be read never reaches a warehouse)."""
    return (case.engines + (("spark",) if case.spark else ())
            + (("postgres",) if case.call != "read" else ()))


def _params():
    out = []
    for case in CASES:
        for engine in _engines(case):
            out.append(pytest.param(case, engine, id=f"{case.name} [{engine}]"))
    return out


_loaded = itertools.count()


def _read(case: Case, engine: str, request) -> Any:
    if engine == "postgres":
        # the warehouse route: the file, read as pandas reads it (its read warnings and all),
        # loaded into a PostgreSQL table; the call gets the Ibis table
        warehouse = request.getfixturevalue("warehouse")
        frame = cs.engines.read(TABLES / case.file, "pandas", **case.read)
        return warehouse.load(f"corpus_{next(_loaded)}", frame)
    spark = request.getfixturevalue("spark_session") if engine == "spark" else None
    return cs.engines.read(TABLES / case.file, engine, spark=spark, **case.read)


def _run(case: Case, table: Any) -> Any:
    kw = dict(case.kwargs)
    if case.call == "read":
        return table
    if case.call == "lifetimes":
        return cs.to_lifetimes(table, **kw)
    if case.call == "churn":
        return cs.churn_rate(table, **kw)
    if case.call == "curves":
        by = kw.pop("by", None)
        return cs.survival_curves(cs.to_lifetimes(table, **kw), by=by)
    if case.call == "tenure":
        return cs.lifetimes_from_tenure(table, **kw)
    if case.call == "tenure_curves":
        return cs.survival_curves(cs.lifetimes_from_tenure(table, **kw), entry_col="entry")
    if case.call == "means":
        return cs.engines.group_means(table, "mrr", "plan", **kw)
    raise AssertionError(case.call)


@pytest.mark.parametrize("case, engine", _params())
def test_corpus_case(case: Case, engine: str, request):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if not case.ok:
            with pytest.raises(DataError) as err:
                _run(case, _read(case, engine, request))
            message = str(err.value)
            for fragment in case.error:
                assert fragment in message, f"{fragment!r} not in: {message}"
            return
        result = _run(case, _read(case, engine, request))
    texts = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    for fragment in case.warns:
        assert any(fragment in t for t in texts), f"{fragment!r} not in warnings: {texts}"
    _check_numbers(case, result, engine)
    if case.check is not None:
        case.check(result, engine)


def _check_numbers(case: Case, result: Any, engine: str) -> None:
    if case.call == "lifetimes":
        got = _pandas(result)
        id_col = case.kwargs.get("id_col")
        ref = reference(case.rows, case.kwargs.get("as_of") or AS_OF)
        if id_col is None:       # no ids: compare the multiset of (duration, churned)
            key = ["duration", "churned"]
            a = got[key].sort_values(key, ignore_index=True)
            b = ref[key].sort_values(key, ignore_index=True)
        else:
            a = got.assign(customer_id=got[id_col].astype(str)).sort_values(
                "customer_id", ignore_index=True)[["customer_id", "duration", "churned"]]
            b = ref.sort_values("customer_id", ignore_index=True)[
                ["customer_id", "duration", "churned"]]
        np.testing.assert_allclose(a["duration"].to_numpy(float), b["duration"].to_numpy(float),
                                   rtol=0, atol=1e-12)
        assert a["churned"].astype(bool).tolist() == b["churned"].astype(bool).tolist()
        if id_col is not None:
            assert a["customer_id"].tolist() == b["customer_id"].tolist()
    elif case.call == "churn":
        as_of = case.kwargs.get("as_of")
        ref = reference_churn(case.rows, _iso(as_of) if as_of else case.rows[0][1])
        got = result[["active_start", "churned"]]
        got.index = got.index.astype(str)
        ref.index = ref.index.astype(str)
        pd.testing.assert_frame_equal(got, ref, check_dtype=False, check_names=False)
    elif case.call == "curves":
        ref = reference(case.rows)
        by = case.kwargs.get("by")
        groups = sorted(ref[by].unique()) if by else ["all"]
        for g in groups:
            part = ref[ref[by] == g] if by else ref
            kmf = KaplanMeierFitter().fit(part["duration"], part["churned"])
            times = [0.5, 1, 2, 3, 6, 9, 12]
            np.testing.assert_allclose(
                result.fitters[str(g)].survival_function_at_times(times).to_numpy(),
                kmf.survival_function_at_times(times).to_numpy(), atol=1e-12)
            assert result.median().loc[str(g), "median"] == kmf.median_survival_time_
    elif case.call == "tenure":
        _check_tenure(case, _pandas(result))
    elif case.call == "means":
        _check_means(case, result)


def _iso(value: str) -> str:
    return cs.dates.parse_date(value, dayfirst=True).date().isoformat()


def _check_tenure(case: Case, life: pd.DataFrame) -> None:
    raw = pd.read_csv(TABLES / case.file, dtype=str)
    kw = case.kwargs
    unit = kw.get("tenure_unit", "months")
    factor = {"months": 1.0, "years": 12.0, "days": 1 / 30.4375}[unit]
    tenure = raw[kw["tenure_col"]].astype(float).to_numpy() * factor
    flag = raw[kw["churned_col"]].str.strip().str.lower().isin(["yes", "1", "true"]).to_numpy()
    ids = raw[kw["id_col"]].to_numpy()
    got = life.assign(_id=life[kw["id_col"]].astype(str)).set_index("_id").loc[ids]
    np.testing.assert_allclose(got["duration"].to_numpy(float), tenure, atol=1e-12)
    assert got["churned"].astype(bool).tolist() == flag.tolist()
    window = kw.get("window")
    entry = None
    if isinstance(window, (int, float)):
        entry = np.maximum(0, raw[kw["tenure_col"]].astype(float).to_numpy() - window) * factor
        np.testing.assert_allclose(got["entry"].to_numpy(float), entry, atol=1e-12)
    else:
        assert "entry" not in got.columns
    # the curve: lifelines on the rows converted by hand (with late entry when windowed)
    kmf = KaplanMeierFitter().fit(tenure, flag, entry=entry)
    if entry is None:
        curves = cs.survival_curves(life)
        assert curves.median().loc["all", "median"] == kmf.median_survival_time_
        np.testing.assert_allclose(curves.fitters["all"].survival_function_at_times(
            [12, 24, 36]).to_numpy(), kmf.survival_function_at_times([12, 24, 36]).to_numpy(),
            atol=1e-12)
    else:
        mine = KaplanMeierFitter().fit(got["duration"], got["churned"], entry=got["entry"])
        np.testing.assert_allclose(mine.survival_function_at_times([12, 24]).to_numpy(),
                                   kmf.survival_function_at_times([12, 24]).to_numpy(),
                                   atol=1e-12)


def _check_means(case: Case, result: pd.Series) -> None:
    raw = pd.read_csv(TABLES / case.file, dtype=str, sep=";" if "semicolon" in case.file
                      else ",")
    amount = pd.to_numeric(raw["mrr"].str.replace(",", ".", regex=False))
    expected = amount.groupby(raw["plan"]).mean()
    np.testing.assert_allclose(result.reindex(expected.index).to_numpy(), expected.to_numpy(),
                               equal_nan=True)
    missing = amount.isna().groupby(raw["plan"]).sum()
    assert result.attrs["missing"].reindex(missing.index).tolist() == missing.tolist()


# --------------------------------------------------------------------------------------------
# rows in = rows counted + rows reported as left out
# --------------------------------------------------------------------------------------------

COUNTED = [c for c in CASES if c.ok and c.call in ("lifetimes", "curves", "tenure")]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in COUNTED])
@pytest.mark.parametrize("engine", ["pandas", "duckdb", "postgres"])
def test_nothing_disappears_unreported(case: Case, engine: str, request):
    layout = {"utf16_tab.txt": ("utf-16", "\t"), "tab.tsv": ("utf-8", "\t"),
              "semicolon.csv": ("utf-8", ";"), "cp932_japanese_headers.csv": ("cp932", ","),
              "latin1.csv": ("latin-1", ",")}
    encoding, sep = layout.get(case.file, ("utf-8", ","))
    rows_in = _rows_in_file(case.file, encoding, sep)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = _read(case, engine, request)
        kw = dict(case.kwargs)
        kw.pop("by", None)
        life = (cs.lifetimes_from_tenure(table, **kw) if case.call == "tenure"
                else cs.to_lifetimes(table, **kw))
        counted = int(cs.survival_curves(life).counts["customers"].sum())
    assert rows_in == counted + _left_out(caught), (rows_in, counted, _left_out(caught))


def test_corpus_files_are_what_the_generator_writes(tmp_path, monkeypatch):
    # the committed files are the generator's output, byte for byte
    monkeypatch.setattr(make_tables, "HERE", tmp_path)
    make_tables.main()
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (TABLES / path.name).read_bytes(), path.name


def test_every_case_file_exists_and_every_file_is_used():
    used = {c.file for c in CASES}
    present = {p.name for p in TABLES.iterdir() if p.name != "make_tables.py"
               and not p.name.startswith(".") and p.is_file()}
    assert used <= present, used - present
    assert present <= used, f"files no case reads: {present - used}"


def test_the_adapting_guide_examples_run_as_written(monkeypatch):
    # docs/adapting_your_data.md shows these tables and messages; they must stay true
    import doctest

    root = TABLES.parent.parent
    monkeypatch.chdir(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = doctest.testfile(str(root / "docs" / "adapting_your_data.md"),
                                  module_relative=False, globs={},
                                  optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20 and result.failed == 0
