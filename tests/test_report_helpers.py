"""cs_helpers.report: the numbers the report computes itself agree with the package's own
functions and with lifelines; the parameter check finds every problem at once; the HTML export
has no code and no script. Fast (no papermill)."""

from __future__ import annotations

import warnings

import nbformat
import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from scipy import stats

import cs_helpers as cs
from cs_helpers import report


def _subs(n: int = 300, seed: int = 4, mrr: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    end = start + pd.to_timedelta(rng.integers(20, 900, n), unit="D")
    end = end.where(rng.random(n) < 0.6)
    df = pd.DataFrame({"id": [f"k{i}" for i in range(n)], "start": start.strftime("%Y-%m-%d"),
                       "end": end.strftime("%Y-%m-%d")})
    if mrr:
        df["mrr"] = rng.choice([100.0, 250.0, 900.0], n)
    return df


def _usage(subs: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The monthly revenue table the dates imply: MRR in every month at whose start the
    customer is active (started in an earlier month, not ended before it)."""
    rows = []
    last = pd.Period(as_of, "M")
    for r in subs.itertuples():
        s = pd.Period(r.start, "M")
        e = pd.Period(r.end, "M") if isinstance(r.end, str) and r.end <= as_of else None
        m = s + 1
        while m <= last and (e is None or m <= e):
            rows.append((r.id, m.to_timestamp().strftime("%Y-%m-%d"), r.mrr))
            m += 1
    return pd.DataFrame(rows, columns=["id", "month", "mrr"])


def test_mrr_churn_from_dates_agrees_with_revenue_retention():
    subs = _subs()
    as_of = "2024-06-30"
    monthly, kept = report.mrr_churn_from_dates(subs, id_col="id", start_col="start",
                                                end_col="end", mrr_col="mrr", as_of=as_of,
                                                window=6)
    usage = _usage(subs, as_of)
    six = cs.revenue_retention(usage, id_col="id", window=6)
    common = kept.index.intersection(six.index)
    assert len(common) >= 10
    np.testing.assert_allclose(kept.loc[common, "grr"], six.loc[common, "grr"])
    np.testing.assert_allclose(kept.loc[common, "base_mrr"], six.loc[common, "base_mrr"])
    one = cs.revenue_retention(usage, id_col="id", window=1)
    both = monthly.index.intersection(one.index)
    np.testing.assert_allclose(monthly.loc[both, "mrr_churned"], one.loc[both, "churned_mrr"])
    np.testing.assert_allclose(monthly.loc[both, "mrr_start"], one.loc[both, "base_mrr"])


def test_mrr_churn_with_equal_mrr_is_the_customer_churn_rate():
    subs = _subs().assign(mrr=500.0)
    monthly, _ = report.mrr_churn_from_dates(subs, id_col="id", start_col="start",
                                             end_col="end", mrr_col="mrr", as_of="2024-06-30")
    churn = cs.churn_rate(subs, id_col="id", start_col="start", end_col="end",
                          as_of="2024-06-30")
    np.testing.assert_allclose(monthly["mrr_churn"].to_numpy(), churn["churn_rate"].to_numpy(),
                               equal_nan=True)
    assert (monthly["customers_start"] == churn["active_start"]).all()


def test_mrr_checks_and_left_out_rows():
    subs = _subs()
    subs.loc[3, "mrr"] = -10
    with pytest.raises(cs.DataError, match=r"'mrr'.*must not be negative.*k3"):
        report.mrr_churn_from_dates(subs, id_col="id", start_col="start", end_col="end",
                                    mrr_col="mrr", as_of="2024-06-30")
    subs.loc[3, "mrr"] = np.nan
    with pytest.warns(cs.DataWarning, match="without an MRR"):
        monthly, _ = report.mrr_churn_from_dates(subs, id_col="id", start_col="start",
                                                 end_col="end", mrr_col="mrr",
                                                 as_of="2024-06-30")
    note = monthly.attrs["cs_helpers_filtered"][-1]
    assert note["rows"] == 1 and note["example_ids"] == ["k3"]


def test_life_table_is_churned_over_at_risk_for_whole_months():
    rng = np.random.default_rng(2)
    d = rng.integers(1, 25, 2000).astype(float)
    e = rng.random(2000) < 0.7
    life = pd.DataFrame({"duration": d, "churned": e})
    curves = cs.survival_curves(life)
    table = report.life_table(curves.fitters["all"], curves.counts, min_exposure=0)
    kmf = KaplanMeierFitter().fit(d, e)
    events = kmf.event_table
    for row in table.itertuples():
        t = float(row.end)
        assert row.at_risk == events.loc[t, "at_risk"]
        assert row.churned == events.loc[t, "observed"]
        assert row.churn == pytest.approx(row.churned / row.at_risk)
    assert (table["end"] - table["start"] == 1).all()


def test_life_table_with_late_entry_and_wide_intervals():
    rng = np.random.default_rng(3)
    tenure = rng.integers(1, 60, 800).astype(float)
    life = pd.DataFrame({"duration": tenure, "churned": rng.random(800) < 0.1,
                         "entry": np.maximum(tenure - 1, 0)})
    curves = cs.survival_curves(life, entry_col="entry")
    table = report.life_table(curves.fitters["all"], curves.counts, min_exposure=100)
    assert (table["end"] - table["start"]).max() > 1          # few observed: months grouped
    assert table["exposure"].iloc[:-1].ge(100).all() or (table["end"] - table["start"]).max() == 12
    kmf = curves.fitters["all"]
    for row in table.itertuples():
        s = kmf.survival_function_at_times([float(row.start), float(row.end)]).to_numpy()
        assert row.churn == pytest.approx(1 - (s[1] / s[0]) ** (1 / (row.end - row.start)))
        assert row.ci_low <= row.churned / row.exposure <= row.ci_high
    assert int(table["churned"].sum()) == int(life["churned"].sum())


def test_rate_intervals():
    lo, hi = report.rate_interval(30, 1500)
    ci = stats.binomtest(30, 1500).proportion_ci(method="wilson")
    assert (lo, hi) == pytest.approx((ci.low, ci.high))
    lo, hi = report.rate_interval(0, 1000.0, kind="poisson")
    assert lo == 0 and hi == pytest.approx(3.6889 / 1000, rel=1e-4)    # -ln(0.025)
    assert np.isnan(report.rate_interval(0, 0)[0])


def test_ltv_with_band_edges():
    kmf = KaplanMeierFitter().fit(np.arange(1, 41) % 20 + 1, np.arange(40) % 3 == 0)
    with pytest.warns(cs.DataWarning, match="LTV of plan x: No 12-month window"):
        r = report.ltv_with_band(kmf, 100.0, 0.8, horizon=30, discount_rate=0.08,
                                 label="plan x")     # the uncertain tail is passed on
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = cs.ltv.from_survival(kmf, 100.0, 0.8, horizon=30, discount_rate=0.08)
    assert r["LTV"] == pytest.approx(direct.value)
    assert (r["LTV low"], r["LTV high"]) == pytest.approx((direct.ltv_low, direct.ltv_high))
    assert r["LTV low"] < r["LTV"] < r["LTV high"]
    assert r["extrapolated share"] == pytest.approx(direct.extrapolated_share)
    assert r["extrapolated share"] > 0
    assert report.ltv_with_band(kmf, 0.0, 0.8, horizon=30)["LTV"] == 0
    assert np.isnan(report.ltv_with_band(kmf, np.nan, 0.8, horizon=30)["LTV"])


COLS = ["Customer ID", "Start", "End", "Plan", "MRR", "2024"]


def test_check_parameters_resolves_and_fills_optional_columns():
    p = report.check_parameters({"id_col": "Customer ID", "start_col": "Start",
                                 "end_col": "End", "segment_col": 2024}, COLS)
    assert p["form"] == "dates" and p["segment_col"] == "2024"    # -p segment_col 2024
    assert p["mrr_col"] is None and p["as_of"] is None and p["nps_path"] is None
    given = {"id_col": "Customer ID", "start_col": "Start", "end_col": "End",
             "revenue_path": "rev.csv", "revenue_month_col": "month", "revenue_mrr_col": "mrr"}
    rev = {"revenue": ("rev.csv", ["Customer ID", "month", "mrr"])}
    p = report.check_parameters(given, COLS, tables=rev)
    assert p["revenue_id_col"] == "Customer ID"              # the same name in both tables
    with pytest.raises(cs.DataError, match=r"revenue_id_col: not given.*'Customer ID'"):
        report.check_parameters({**given, "id_col": None}, COLS, tables=rev)


def test_check_parameters_lists_every_problem_once():
    with pytest.raises(cs.DataError) as err:
        report.check_parameters(
            {"start_col": "start", "end_col": "End", "tenure_col": "Tenure", "window": 12,
             "discount_rate": 8, "gross_margin": 0.8, "currency": "¥", "dayfirst": "yes",
             "nps_path": "nps.csv", "revenue_path": "rev.csv", "revenue_month_col": "Month"},
            COLS, source="subs.csv",
            tables={"nps": ("nps.csv", ["Score", "Account"]),
                    "revenue": ("rev.csv", ["Customer ID", "month", "amount"])})
    msg = str(err.value)
    for part in ["both given", "id_col: not given", "'start' is not a column of subs.csv",
                 "(differs in case or spaces)", "discount_rate", "looks like a percent",
                 "currency", "dayfirst", "score_col: not given", "of nps.csv",
                 "e.g. -p score_col 'Score'", "revenue_month_col: 'Month' is not a column of "
                 "rev.csv", "revenue_mrr_col: not given", "Columns of rev.csv: 'Customer ID'"]:
        assert part in msg, part
    assert msg.count("\n  - ") >= 9


def test_check_parameters_rules_for_each_form():
    base = {"id_col": None, "start_col": "Start", "end_col": "End"}
    with pytest.raises(cs.DataError, match="window: applies to the tenure form"):
        report.check_parameters({**base, "window": 12}, COLS)
    with pytest.raises(cs.DataError, match="observed_from: applies to the dates form"):
        report.check_parameters({"id_col": None, "tenure_col": "Start", "churned_col": "End",
                                 "observed_from": "2024-01-01"}, COLS)
    with pytest.raises(cs.DataError, match="tenure_unit: 'moons'"):
        report.check_parameters({"id_col": None, "tenure_col": "Start", "churned_col": "End",
                                 "tenure_unit": "moons"}, COLS)
    with pytest.raises(cs.DataError, match="start_col: None, but"):
        report.check_parameters({**base, "start_col": None}, COLS)


def test_course_defaults_fill_only_what_was_not_given():
    given = dict(report.DEFAULTS, segment_col="industry", nps_path=None)
    p = report.course_defaults(given, cs.datasets.data_dir())
    assert p["segment_col"] == "industry" and p["nps_path"] is None
    assert p["id_col"] == "account_id" and p["data_path"].endswith("b2b_accounts.csv")
    assert p["revenue_path"].endswith("b2b_usage_monthly.csv")


def test_formatting():
    assert report.money(1234.5, "USD") == "$1,234" and report.money(12.345, "GBP") == "£12.35"
    assert report.money(-5000, "JPY") == "-¥5,000" and report.money(3.2e9, compact=True) == \
        "¥3.2B"
    assert report.money(None) == "n/a" and report.percent(float("nan")) == "n/a"
    assert report.months(float("inf")) == "not reached" and report.months(12.25) == \
        "12.2 months"
    assert report.p_value(0.5) == "0.5" and report.p_value(1e-300) == "< 0.001"


def test_notes_collect_data_warnings_and_pass_others_on():
    notes = report.Notes()
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        with notes.collect():
            warnings.warn("2 rows left out", cs.DataWarning, stacklevel=2)
            warnings.warn("2 rows left out", cs.DataWarning, stacklevel=2)
            warnings.warn("something else", UserWarning, stacklevel=2)
    assert notes.messages == ["2 rows left out"]
    assert [str(w.message) for w in outside] == ["something else"]


def test_to_html_hides_code_and_guide_cells_and_runs_nothing(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("How to run me", metadata={"tags": ["guide"]}),
                nbformat.v4.new_code_cell("x = 1  # secret_code_marker"),
                nbformat.v4.new_markdown_cell("## 1. Numbers"),
                nbformat.v4.new_code_cell("print(2)", outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="two\n")])]
    nb.metadata["papermill"] = {"parameters": {"show_code": False}}
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    html = report.to_html(path).read_text()
    assert "two" in html and "Numbers" in html
    assert "secret_code_marker" not in html and "How to run me" not in html
    assert "<script" not in html and "mathjax" not in html.lower()
    nb.metadata["papermill"]["parameters"]["show_code"] = True
    nbformat.write(nb, path)
    html = report.to_html(path).read_text()
    assert "secret_code_marker" in html and "How to run me" in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_notes_sort_left_out_rows_the_same_way_in_either_language(language):
    # the report's "what limits this reading" lists the rows left out; it must find them when
    # the messages are shown in Japanese too (they are sorted by their English text)
    notes = report.Notes()
    try:
        cs.set_language(language)
        with notes.collect():
            warnings.warn("3 rows left out: rows with every cell empty.", cs.DataWarning, stacklevel=1)
            warnings.warn("The table looks like a snapshot.", cs.DataWarning, stacklevel=1)
    finally:
        cs.set_language(None)
    assert len(notes.left_out) == 1 and len(notes.others) == 1
    assert notes.left_out[0] == notes.messages[0]
    if language == "ja":
        assert notes.left_out[0] == "3 行を除外しました: すべてのセルが空の行。"
    else:
        assert notes.english == notes.messages
