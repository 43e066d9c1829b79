"""The report half of the corpus (issue 12, item 1): the awkward tables of tests/tables/ run
through the A2 template (papermill) on pandas and DuckDB. Each ends in a correct report (its
counts and median equal an independent computation on the reference rows) or stops with the
DataError of tests/test_corpus.py (column, rule, count, customer ids) before any result is
shown.

Each papermill run costs a few seconds, so the cases here are those that take distinct paths
through the template (encodings and Japanese headers, Excel serials, stated date orders,
yyyymmdd on DuckDB, one customer, no id column, missing MRR, snapshots, each kind of refusal);
tests/test_corpus.py runs every file through the API on every engine.
"""

from __future__ import annotations

import pytest
import test_corpus as corpus
from lifelines import KaplanMeierFitter
from report_tools import (
    assert_no_code,
    failed_run,
    figures,
    html_report,
    results_before_error,
    run,
    summary,
    text,
)

from cs_helpers import report

CASES = {c.name: c for c in corpus.CASES}


def _params(case, **extra) -> dict:
    """The template's parameters for a corpus case (the API's keywords have the same names)."""
    kw = dict(case.kwargs)
    params = {"data_path": str(corpus.TABLES / case.file)}
    if "by" in kw:
        params["segment_col"] = kw.pop("by")
    params.update(kw)
    params.update({k: v for k, v in case.read.items() if k in ("sep", "encoding", "sheet")})
    params.update(extra)
    return params


def _check_report(nb: dict, case, as_of: str = corpus.AS_OF) -> None:
    """Customers, leavers and the median equal the corpus's own computation on its rows."""
    ref = corpus.reference(case.rows, as_of)
    out = text(nb)
    assert f"{len(ref):,} customers analysed" in out
    head, _ = summary(nb)
    churned = int(ref["churned"].sum())
    assert f"{churned:,} of them" in out
    kmf = KaplanMeierFitter().fit(ref["duration"], ref["churned"])
    median = report.months(kmf.median_survival_time_)
    table_line = next(x for x in out.split("\n") if x.startswith("All customers "))
    assert median in table_line, (median, table_line)
    assert not [x for x in head if " nan" in x or "inf" in x.split()]


OK_RUNS = [
    ("cp932 (Shift-JIS), Japanese headers", "pandas", {"segment_col": "プラン",
                                                      "mrr_col": "月額"}),
    ("Excel serial day numbers, stated", "pandas", {}),
    ("day/month/year, stated", "pandas", {}),
    ("yyyymmdd numbers", "duckdb", {"segment_col": "plan", "mrr_col": "mrr"}),
    ("utf-16, tab (Excel's Unicode text)", "duckdb", {}),
]


@pytest.mark.parametrize("name, engine, extra", OK_RUNS,
                         ids=[f"{n} [{e}]" for n, e, _ in OK_RUNS])
def test_awkward_tables_give_the_right_report(tmp_path, name, engine, extra):
    case = CASES[name]
    nb = run(tmp_path, **_params(case, engine=engine, **extra))
    _check_report(nb, case)
    if engine == "pandas":                       # the DuckDB recount agrees
        assert "monthly churn table: **identical**; retention curves: **identical**" in text(nb)
    if "segment_col" in extra:
        assert figures(nb) == 6 + (engine == "pandas")   # + revenue from dates on pandas


def test_one_customer_gives_na_not_zero(tmp_path):
    case = CASES["single customer"]
    nb = run(tmp_path, **_params(case))
    head, _ = summary(nb)
    assert head[0].startswith("- **Churn: n/a.**")
    assert "0.00%" not in text(nb)
    assert "1 customers analysed" in text(nb)


def test_no_id_column_with_repeated_rows(tmp_path):
    case = CASES["exact duplicate rows, no id column"]
    nb = run(tmp_path, **_params(case))
    _check_report(nb, case)
    _, limits = summary(nb)
    assert any("No id column" in x for x in limits)
    assert "5 rows of the subscriptions table are exact copies" in text(nb)


def test_missing_mrr_is_reported_and_a_segment_without_any_is_na(tmp_path):
    case = CASES["missing MRR, a segment with none"]
    params = {**corpus.SUBS, "data_path": str(corpus.TABLES / case.file),
              "segment_col": "plan", "mrr_col": "mrr"}
    nb = run(tmp_path, **params)
    out = text(nb)
    _, limits = summary(nb)
    left = " ".join(x for x in limits if "Left out" in x)
    assert "4 rows left out" in left and "no amount at all in trial" in left
    rows = [x.split() for x in out.split("\n") if x.startswith("trial ")]
    assert ["trial", "n/a", "n/a", "n/a", "to", "n/a", "n/a"] in rows   # LTV table: n/a, not 0


def test_snapshot_with_a_window_on_duckdb(tmp_path):
    case = CASES["Telco-style snapshot, window of 12 months"]
    nb = run(tmp_path, **_params(case, engine="duckdb", segment_col="Contract"))
    assert figures(nb) == 3       # customers by tenure, curves, churn by month of life
    out = text(nb)
    assert "Snapshot: the churn flag covers the last 12 months" in out
    assert_no_code(html_report(tmp_path, nb))


def test_years_table_from_the_corpus_on_duckdb(tmp_path):
    case = CASES["tenure in years, stated"]
    nb = run(tmp_path, **_params(case, engine="duckdb"))
    import pandas as pd

    bank = pd.read_csv(corpus.TABLES / case.file)
    kmf = KaplanMeierFitter().fit(bank["Tenure"] * 12.0, bank["Exited"])
    line = next(x for x in text(nb).split("\n") if x.startswith("All customers "))
    assert report.months(kmf.median_survival_time_) in line
    unstated = run(tmp_path, "unstated", **_params(CASES["tenure in years, not stated"]))
    assert "looks like years" in text(unstated)        # named in the notes, not silent
    assert any("more note" in x for x in summary(unstated)[1])


FAILURES = [
    ("mixed formats in one column", ("pandas", "duckdb")),
    ("negative MRR", ("pandas", "duckdb")),
    ("placeholder 9999-12-31", ("pandas", "duckdb")),
    ("day/month/year, ambiguous", ("pandas",)),
    ("ambiguous as_of", ("pandas",)),
    ("Excel serial day numbers", ("pandas",)),
    ("infinite tenure", ("duckdb",)),
    ("0-byte file", ("pandas",)),
    ("duplicate ids", ("duckdb",)),
]


def _failure_params():
    return [pytest.param(name, engine, id=f"{name} [{engine}]")
            for name, engines in FAILURES for engine in engines]


@pytest.mark.parametrize("name, engine", _failure_params())
def test_refused_tables_stop_with_the_data_error_before_any_result(tmp_path, name, engine):
    case = CASES[name]
    extra = {}
    if case.call == "means":
        extra = {**corpus.SUBS, "segment_col": "plan", "mrr_col": "mrr"}
    elif case.call == "read":
        extra = {**corpus.SUBS}
    err, nb = failed_run(tmp_path, **_params(case, engine=engine, **extra))
    assert "DataError" in err
    for fragment in case.error:
        assert fragment in err, f"{fragment!r} not in: {err}"
    assert not results_before_error(nb)


def test_wrong_separator_is_named_with_the_parameters(tmp_path):
    case = CASES["semicolon read with a comma: one column"]
    err, nb = failed_run(tmp_path, **_params(case))
    assert "one column whose name contains ';'" in err and "-p sep ';'" in err
    assert "id_col: 'customer_id' is not a column" in err
    assert not results_before_error(nb)


def _doc_examples() -> list[tuple[str, dict]]:
    """The `make report` commands of docs/adapting_your_data.md's "Three shapes, from the
    command line", as papermill parameters (papermill's own reading of -p values)."""
    import re
    import shlex

    from papermill.cli import _resolve_type

    doc = (corpus.TABLES.parent.parent / "docs" / "adapting_your_data.md").read_text()
    part = doc.split("### Three shapes, from the command line")[1].split("\n### ")[0]
    found = []
    for block in re.findall(r"```bash\n(.*?)```", part, flags=re.S):
        words = shlex.split(block.replace("\\\n", " "))
        data = next(w.split("=", 1)[1] for w in words if w.startswith("DATA="))
        args = shlex.split(next(w.split("=", 1)[1] for w in words if w.startswith("ARGS=")))
        params = {"data_path": str(corpus.TABLES.parent.parent / data)}
        for flag, name, value in zip(args[::3], args[1::3], args[2::3], strict=True):
            params[name] = _resolve_type(value) if flag == "-p" else value
        found.append((data, params))
    return found


@pytest.mark.slow
def test_the_documented_commands_make_reports(tmp_path):
    examples = _doc_examples()
    assert [d for d, _ in examples] == ["tests/tables/dates_dmy.csv",
                                        "tests/tables/tenure_months_telco.csv",
                                        "tests/tables/tenure_years_bank.csv"]
    for i, (_, params) in enumerate(examples):
        nb = run(tmp_path, f"doc{i}", **params)
        assert figures(nb) >= 3
        assert not [x for x in summary(nb)[1] if "Snapshot read as a full history" in x]
        assert "looks like years" not in text(nb)
