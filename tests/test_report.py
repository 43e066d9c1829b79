"""The analysts' template (notebooks/A2_your_own_data.ipynb) runs by papermill on differently
shaped tables, writes a report a manager can read (HTML without code, a summary with what
limits it, figures), and refuses bad tables with the DataError message before it shows any
result. Each papermill run costs a few seconds: the cases here are the template's distinct
paths (dates, tenure snapshot, tenure in years, engines, parameters, make); the awkward tables
of tests/tables/ run in tests/test_report_corpus.py and the escaping in
tests/test_report_escaping.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from lifelines import KaplanMeierFitter
from report_tools import (
    DATES_PARAMS,
    ROOT,
    TEMPLATE,
    assert_no_code,
    failed_run,
    figures,
    html_report,
    results_before_error,
    run,
    subscriptions,
    summary,
    telco_snapshot,
    text,
)

from cs_helpers import report


def _summary_lines(nb: dict) -> list[str]:
    return summary(nb)[0]


def test_parameters_cell_is_the_documented_list():
    params = pm.inspect_notebook(str(TEMPLATE))
    assert list(params) == list(report.PARAMETERS)
    for name, p in params.items():
        assert eval(p["default"]) == report.DEFAULTS[name], name   # noqa: S307 (our own file)
        assert p["help"], f"{name} has no comment"


def test_dates_form_report_and_its_html(tmp_path):
    path = tmp_path / "customers.csv"
    subscriptions().to_csv(path, index=False)
    nb = run(tmp_path, data_path=str(path), currency="EUR", **DATES_PARAMS)
    out = text(nb)
    assert "400 customers analysed" in out
    lines = _summary_lines(nb)
    assert [line.split(":")[0] for line in lines] == [
        "- **Churn", "- **Retention", "- **LTV", "- **Revenue"]
    assert "95% interval" in lines[0] and "a year" in lines[0]
    assert "€" in lines[2] and "95% interval €" in lines[2]
    assert "GRR" in lines[3] and "NRR is the same" in lines[3]
    assert any("Revenue from one MRR per customer" in x for x in summary(nb)[1])
    assert "DuckDB: monthly churn table: **identical**; retention curves: **identical**" in out
    assert "inf" not in re.sub(r"info|infinite", "", out)
    assert figures(nb) == 7     # customers, churn, curves, churn by month of life, cohorts,
    #                             LTV, revenue
    html = html_report(tmp_path, nb)
    assert_no_code(html)
    assert "Customer KPI report" in html and "What limits this reading" in html
    assert html.count(" src=\"data:image/png;base64,") == 7
    assert "alt=\"Figure: 3. Retention curves\"" in html
    assert "Every number first" not in html                     # guide cells are left out
    with_code = report.to_html(tmp_path / "report.ipynb", tmp_path / "code.html",
                               show_code=True).read_text()
    assert "to_lifetimes" in with_code and 'class="highlight' in with_code
    assert "Every number first" in with_code


def test_telco_style_snapshot_report_has_three_figures_andassert_no_code(tmp_path):
    path = tmp_path / "telco.csv"
    telco_snapshot().to_csv(path, index=False)
    nb = run(tmp_path, data_path=str(path), id_col="customerID", tenure_col="tenure",
             churned_col="Churn", window=1, segment_col="Contract", mrr_col="MonthlyCharges",
             currency="USD")
    out = text(nb)
    assert figures(nb) == 4       # customers by tenure, curves, churn by month of life, LTV
    assert "Snapshot: the churn flag covers the last 1 month" in out
    assert r"Cox likelihood\-ratio with late entry" in out          # escaped Markdown
    assert "churn events / customer-months, counted from when each came under observation" in out
    html = html_report(tmp_path, nb)
    assert_no_code(html)
    assert "no cohorts" in html and "window" in html


def test_snapshot_without_window_is_flagged(tmp_path):
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"tenure": rng.integers(1, 72, 300),
                       "Churn": rng.choice(["Yes", "No"], 300, p=[0.2, 0.8]),
                       "Contract": rng.choice(["Month-to-month", "One year"], 300),
                       "MonthlyCharges": rng.uniform(20, 100, 300).round(2)})
    path = tmp_path / "telco.csv"
    df.to_csv(path, index=False)
    nb = run(tmp_path, data_path=str(path), id_col=None, tenure_col="tenure",
             churned_col="Churn", segment_col="Contract", mrr_col="MonthlyCharges")
    out = text(nb)
    assert "300 customers analysed" in out and "no churn by month" in out
    assert "Snapshot read as a full history" in out and "No id column" in out


def _bank(n: int = 600, seed: int = 21) -> pd.DataFrame:
    """Tenure in whole YEARS (0-10), as in the public bank-churn table."""
    rng = np.random.default_rng(seed)
    geo = rng.choice(["France", "Germany", "Spain"], n)
    years = np.minimum(rng.geometric(np.where(geo == "Germany", 0.22, 0.12)) - 1, 10)
    exited = rng.random(n) < np.where(years < 10, 0.75, 0.0)
    return pd.DataFrame({"CustomerId": [f"{15600000 + i}" for i in range(n)],
                         "Tenure": years, "Exited": exited.astype(int), "Geography": geo})


def _medians(nb: dict) -> dict[str, str]:
    found = {}
    for line in text(nb).split("\n"):
        m = re.match(r"^(All customers|France|Germany|Spain)\s+\d+\s+\d+\s+"
                     r"(not reached|\d+\.\d months)\s", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def test_tenure_in_years_gives_lifelines_medians_in_months(tmp_path):
    bank = _bank()
    path = tmp_path / "bank.csv"
    bank.to_csv(path, index=False)
    nb = run(tmp_path, data_path=str(path), id_col="CustomerId", tenure_col="Tenure",
             churned_col="Exited", tenure_unit="years", window="all", segment_col="Geography")
    shown = _medians(nb)
    expected = {}
    for label, part in [("All customers", bank)] + list(bank.groupby("Geography")):
        kmf = KaplanMeierFitter().fit(part["Tenure"] * 12, part["Exited"])
        expected[label] = report.months(kmf.median_survival_time_)
    assert shown == expected
    assert all(v.endswith("months") for v in expected.values())
    assert "tenure in years" in text(nb) and "'years'" in text(nb)


def test_one_zero_flags_without_segments_or_revenue(tmp_path):
    df = pd.DataFrame({"months": [1, 5, 9, 12, 3, 30], "left": [1, 0, 1, 0, 0, 1]})
    path = tmp_path / "small.csv"
    df.to_csv(path, index=False)
    out = text(run(tmp_path, data_path=str(path), id_col=None, tenure_col="months",
                   churned_col="left", window="all"))
    assert "6 customers analysed" in out and "LTV skipped" in out
    assert "revenue retention skipped" in out and "NPS skipped" in out


def test_missing_parameters_are_asked_for_in_one_message(tmp_path):
    path = tmp_path / "my data.csv"
    pd.DataFrame({"Customer ID": ["a", "b"], "Signed": ["2024-01-01", "2024-02-01"],
                  "Subscription  Length": [3, 5], "churn": ["Yes", "No"],
                  "Plan": ["x", "y"]}).to_csv(path, index=False)
    err, nb = failed_run(tmp_path, data_path=str(path), tenure_col="subscription length",
                         churned_col="churn", segment_col="plan", mrr_col="MRR")
    assert "DataError: The report needs these parameters for my data.csv" in err
    for part in ["id_col: not given", "-p id_col None",
                 "'subscription length' is not a column",
                 "Did you mean 'Subscription  Length' (differs in case or spaces)?",
                 "segment_col: 'plan' is not a column", "Did you mean 'Plan'",
                 "mrr_col: 'MRR' is not a column",
                 "Columns of my data.csv: 'Customer ID', 'Signed'"]:
        assert part in err, part
    assert not results_before_error(nb)


@pytest.mark.parametrize("change, words", [
    (lambda d: d.assign(**{"Cancelled on": "2020-01-01"}),
     ["end date must not be before its start date", "Cancelled on", "c0"]),
    (lambda d: pd.concat([d, d.head(2)]), ["ids must be unique", "c0"]),
    (lambda d: d.assign(**{"Monthly fee": d["Monthly fee"].where(d.index != 7, -50.0)}),
     ["Monthly fee", "must not be negative", "c7"]),
    (lambda d: d.assign(**{"Signed on": d["Signed on"].where(
        d.index % 2 == 0, pd.to_datetime(d["Signed on"]).dt.strftime("%d/%m/%Y"))}),
     ["Signed on", "one format", "c1"]),
])
def test_bad_tables_stop_before_any_result(tmp_path, change, words):
    path = tmp_path / "bad.csv"
    change(subscriptions()).to_csv(path, index=False)
    err, nb = failed_run(tmp_path, data_path=str(path), **DATES_PARAMS)
    assert "DataError" in err
    for w in words:
        assert w in err, w
    assert not results_before_error(nb)          # nothing printed, then a failure


def test_parquet_input_and_yyyymmdd_dates(tmp_path):
    table = subscriptions(n=200)
    for col in ("Signed on", "Cancelled on"):
        table[col] = pd.to_datetime(table[col]).dt.strftime("%Y%m%d")
    path = tmp_path / "customers.parquet"
    table.to_parquet(path)
    out = text(run(tmp_path, data_path=str(path), **DATES_PARAMS))
    assert "200 customers analysed" in out
    assert "monthly churn table: **identical**; retention curves: **identical**" in out


def test_duckdb_engine_gives_the_same_report(tmp_path):
    path = tmp_path / "customers.parquet"
    subscriptions(n=300).to_parquet(path)
    kw = dict(data_path=str(path), **DATES_PARAMS)
    pandas_lines = _summary_lines(run(tmp_path, "pandas", **kw))
    duck = run(tmp_path, "duckdb", engine="duckdb", **kw)
    assert "read with duckdb: 300 rows, 300 customers analysed" in text(duck)
    duck_lines = _summary_lines(duck)
    assert duck_lines == [x for x in pandas_lines if not x.startswith("- **Revenue")]
    assert "revenue retention skipped" in text(duck)


def test_duckdb_engine_tenure_form_and_bad_table(tmp_path):
    df = pd.DataFrame({"months": [1, 5, 9, 12, 3, 30],
                       "left": ["yes", "no", "yes", "no", "no", "yes"]})
    path = tmp_path / "small.csv"
    df.to_csv(path, index=False)
    out = text(run(tmp_path, data_path=str(path), engine="duckdb", id_col=None,
                   tenure_col="months", churned_col="left", window="all"))
    assert "6 customers analysed" in out and "no churn by month" in out
    bad = tmp_path / "bad.csv"
    subscriptions().assign(**{"Cancelled on": "2020-01-01"}).to_csv(bad, index=False)
    err, nb = failed_run(tmp_path, data_path=str(bad), engine="duckdb", **DATES_PARAMS)
    assert "Column 'Cancelled on': an end date must not be before its start date" in err
    assert not results_before_error(nb)


@pytest.mark.slow
def test_spark_engine_report(tmp_path):
    try:
        import pyspark  # noqa: F401
        ok = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    except ImportError:
        ok = False
    if not ok:
        if os.environ.get("CS_HELPERS_REQUIRE_SPARK", "") == "1":
            pytest.fail("CS_HELPERS_REQUIRE_SPARK=1 but pyspark or Java is missing.")
        pytest.skip("pyspark or Java is missing")
    path = tmp_path / "customers.csv"
    subscriptions(n=250).to_csv(path, index=False)
    out = text(run(tmp_path, data_path=str(path), engine="spark", **DATES_PARAMS))
    assert "read with spark: 250 rows, 250 customers analysed" in out and "**LTV" in out


def _make(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    venv = Path(sys.prefix)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["make", "-s", "-C", str(ROOT), "-o", str(venv / ".installed-stamp"),
                           f"VENV={venv}", "report", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is missing")
def test_make_report_with_spaces_in_the_path(tmp_path):
    folder = tmp_path / "my exports"
    folder.mkdir()
    path = folder / "my data.csv"
    subscriptions(n=150).to_csv(path, index=False)
    out_dir = tmp_path / "my reports"
    args = [f"DATA={path}", f"REPORT_DIR={out_dir}",
            "ARGS=-p id_col 'Customer ID' -p start_col 'Signed on' -p end_col 'Cancelled on' "
            "-p as_of 2025-12-31"]
    done = _make(args, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Unable to parse" not in done.stderr and "unknown parameter" not in done.stderr
    html = (out_dir / "report.html").read_text()
    assert "150 customers analysed" in html and "my data.csv" in html
    assert_no_code(html)
    bad = folder / "bad data.csv"
    subscriptions(n=150).assign(**{"Cancelled on": "2020-01-01"}).to_csv(bad, index=False)
    done = _make([f"DATA={bad}", f"REPORT_DIR={out_dir}", args[-1]], tmp_path)
    assert done.returncode != 0
    assert "DataError: Column 'Cancelled on': an end date must not be before its start " \
        "date" in done.stderr
    assert "Traceback" not in done.stderr                # the message, not papermill's stack
    assert not (out_dir / "report.html").exists()     # the old report is not left behind


# --------------------------------------------------------------------------------------------
# the Japanese report (CS_HELPERS_LANG=ja make report: the Japanese A2, the library's words in
# Japanese)
# --------------------------------------------------------------------------------------------

#: What the library itself writes into a report, in English: none of it may appear in the
#: Japanese report (the notebook's own words are the translation's, checked elsewhere).
LIBRARY_ENGLISH = [r"\d months\b", r"\bnot reached\b", r"\bn/a\b", r"\bRevenue: ",
                   r"went with customers who left", r"\bdetected from the first lines\b",
                   r"\(Shift-JIS, as Excel", r"read as text \(an id", r"None: detected",
                   r"the customers table \(CSV", r"Customer KPI report", r"alt=\"Figure",
                   r"the monthly revenue table", r"one MRR per customer \("]


def test_japanese_report_speaks_japanese(tmp_path):
    if not report.TEMPLATE_JA.is_file():
        pytest.skip("notebooks/ja/A2_your_own_data.ipynb is not built (make notebooks-ja)")
    from cs_helpers import set_language

    set_language("ja")
    try:
        assert report.default_template() == report.TEMPLATE_JA    # what make report runs
        path = tmp_path / "顧客.csv"
        table = subscriptions(n=300)
        table.loc[5, "Monthly fee"] = None                         # rows left out: notes
        table["Plan name"] = table["Plan name"].map({"Basic": "ベーシック", "Pro": "プロ"})
        table.to_csv(path, index=False, sep=";", encoding="cp932")
        out = tmp_path / "report.ipynb"
        pm.execute_notebook(str(report.TEMPLATE_JA), str(out), progress_bar=False,
                            cwd=str(tmp_path), kernel_name="python3",
                            parameters=dict(data_path=str(path), **DATES_PARAMS))
        html = report.to_html(out).read_text(encoding="utf-8")
    finally:
        set_language(None)
    import html as html_module
    import json

    shown = html_module.unescape(re.sub(r"\\(.)", r"\1", text(json.loads(out.read_text()))))
    assert '<html lang="ja">' in html and "<title>顧客KPIレポート</title>" in html
    assert 'alt="図: ' in html
    for words in ["文字コード: cp932（Shift-JIS（日本語版Excelが書き出す形式）。自動判定",
                  "区切り文字: ';'（先頭の数行から自動判定。sep= で指定できます）",
                  "列 'Customer ID' は文字列として読みました",
                  "**売上: 毎月MRRの", "顧客ごとに一つのMRR（Monthly fee）と開始日・終了日",
                  "未到達", "か月", "'Monthly fee' に MRR が入っていない顧客"]:
        assert words in shown, words
    assert "顧客テーブル（CSV、Parquet、Excel）" in html             # the parameters' meanings
    assert "CSV の区切り文字（None: 自動判定）" in html
    for pattern in LIBRARY_ENGLISH:
        assert not re.search(pattern, shown), pattern
        assert not re.search(pattern, html), pattern
    assert_no_code(html)


@pytest.mark.parametrize("command", [[], ["make"], ["html"]])
def test_the_command_line_help_speaks_the_language_in_effect(command, capsys):
    from cs_helpers import set_language

    shown = {}
    for language in ("en", "ja"):
        set_language(language)
        try:
            with pytest.raises(SystemExit) as stop:
                report._main([*command, "--help"])
        finally:
            set_language(None)
        assert stop.value.code == 0
        shown[language] = capsys.readouterr().out
    assert shown["en"].startswith("usage: python -m cs_helpers.report")
    assert shown["ja"].startswith("使い方: python -m cs_helpers.report")
    assert "show this help message and exit" in shown["en"]
    # Japanese: no run of three English words (option names, metavars and paths aside)
    words = re.sub(r"\[[^\]]*\]|--?[\w-]+|\b[A-Z_]+\b|\S*[/.:]\S*", " ", shown["ja"])
    assert not re.search(r"\b[a-z']+ [a-z']+ [a-z']+\b", words), shown["ja"]
