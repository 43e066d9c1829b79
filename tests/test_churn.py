"""Churn rates, monthly/annual conversion, cohorts, revenue retention and repeat purchase."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cs_helpers as cs

# Six customers, hand-checked month by month (as_of 2024-04-30):
#   a: Jan 10 -> Mar 05     b: Jan 20 -> (active)   c: Feb 01 -> Feb 20 (joined and left in Feb)
#   d: Feb 15 -> Apr 01     e: Mar 31 -> (active)   f: Jan 31 -> Feb 01 (left on the 1st)
SIX = pd.DataFrame({
    "customer_id": list("abcdef"),
    "start_date": ["2024-01-10", "2024-01-20", "2024-02-01", "2024-02-15", "2024-03-31",
                   "2024-01-31"],
    "end_date": ["2024-03-05", None, "2024-02-20", "2024-04-01", None, "2024-02-01"],
})


def test_six_customers_by_hand():
    t = cs.churn_rate(SIX, as_of="2024-04-30")
    assert [str(p) for p in t.index] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    # Jan: a, b, f join.  Feb: active at start a, b, f; f leaves (Feb 1); c and d join, c leaves.
    # Mar: active at start a, b, d; a leaves; e joins.  Apr: active b, d, e; d leaves.
    assert t["active_start"].tolist() == [0, 3, 3, 3]
    assert t["new"].tolist() == [3, 2, 1, 0]
    assert t["churned"].tolist() == [0, 1, 1, 1]
    assert t["new_and_churned"].tolist() == [0, 1, 0, 0]
    assert t["active_end"].tolist() == [3, 3, 3, 2]
    np.testing.assert_allclose(t["churn_rate"].iloc[1:], [1 / 3, 1 / 3, 1 / 3])
    assert np.isnan(t["churn_rate"].iloc[0])
    assert t["complete"].all()


def test_running_period_is_flagged_incomplete():
    t = cs.churn_rate(SIX, as_of="2024-04-15")
    assert t["complete"].tolist() == [True, True, True, False]


def test_quarterly_and_yearly():
    q = cs.churn_rate(SIX, freq="Q", as_of="2024-04-30")
    # Q1: everyone but nobody active at its start; Q2: a gone; active b, d, e; d leaves.
    assert q["active_start"].tolist() == [0, 3]
    assert q["churned"].tolist() == [0, 1]
    assert q["new_and_churned"].tolist() == [3, 0]
    y = cs.churn_rate(SIX, freq="Y", as_of="2024-04-30")
    assert len(y) == 1 and y["new"].iloc[0] == 6


def test_wrong_denominator_would_differ():
    # The article's definition divides by customers active at the START; dividing by the end
    # count (or including new customers) gives another number.
    t = cs.churn_rate(SIX, as_of="2024-04-30").loc["2024-02"]
    assert t["churn_rate"] == pytest.approx(1 / 3)
    assert t["churned"] / (t["active_start"] + t["new"]) == pytest.approx(1 / 5)


def test_identity_matches_a_direct_count_on_the_course_data():
    accounts = cs.datasets.load("b2b_accounts")
    t = cs.churn_rate(accounts, id_col="account_id")
    month = pd.Period("2024-06", "M")
    start = accounts["start_date"].dt.to_period("M")
    end = accounts["end_date"].dt.to_period("M")
    active_start = ((start < month) & ~(end < month)).sum()
    churned = ((start < month) & (end == month)).sum()
    assert t.loc[month, "active_start"] == active_start
    assert t.loc[month, "churned"] == churned


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(0, 400))),
                min_size=1, max_size=40))
def test_churn_rate_invariants(rows):
    base = pd.Timestamp("2023-01-01")
    df = pd.DataFrame({
        "customer_id": range(len(rows)),
        "start_date": [base + pd.Timedelta(days=s) for s, _ in rows],
        "end_date": [None if e is None else base + pd.Timedelta(days=s + e) for s, e in rows]})
    t = cs.churn_rate(df, as_of=base + pd.Timedelta(days=900))
    rate = t["churn_rate"].dropna()
    assert ((rate >= 0) & (rate <= 1)).all()
    assert (t["active_end"] == t["active_start"] + t["new"] - t["churned"]
            - t["new_and_churned"]).all()
    assert (t["active_start"].iloc[1:].to_numpy() == t["active_end"].iloc[:-1].to_numpy()).all()


def test_annualize_and_back():
    assert cs.annualize(0.02) == pytest.approx(1 - 0.98 ** 12)
    assert cs.annualize(0.02) < 12 * 0.02
    s = pd.Series([0.0, 0.006, 0.05], index=list("abc"))
    pd.testing.assert_series_equal(cs.monthly_from_annual(cs.annualize(s)), s)
    with pytest.raises(ValueError, match="fraction"):
        cs.annualize(2.5)


@given(st.floats(0, 0.5))   # beyond that (1 - m) ** 12 underflows to 0 in floats
def test_monthly_annual_round_trip(m):
    assert cs.monthly_from_annual(cs.annualize(m)) == pytest.approx(m, abs=1e-9)


def test_cohort_retention_by_hand():
    t = cs.cohort_retention(SIX, as_of="2024-04-30", values="count")
    # Jan cohort: a, b, f.  f ends Feb 1 -> active at the start of Jan and Feb only
    # (start of period 1 = Feb 1, f's end falls in Feb: counted there).
    assert t.loc["2024-01"].tolist()[:4] == [3, 3, 2, 1]
    # Feb cohort: c (ends Feb), d (ends Apr) -> [2, 1, 1] then not observable
    row = t.loc["2024-02"]
    assert row.tolist()[:3] == [2, 1, 1] and np.isnan(row.iloc[3])
    share = cs.cohort_retention(SIX, as_of="2024-04-30")
    assert share.loc["2024-01", 0] == 1.0
    assert share.attrs["cohort_size"].loc["2024-03"] == 1
    assert share.loc["2024-03"].iloc[1:2].tolist() == [1.0] and share.loc["2024-03"].isna().sum() == 2


def test_cohort_retention_agrees_with_a_loop_on_course_data():
    members = cs.datasets.load("b2c_members")
    t = cs.cohort_retention(members, id_col="member_id", start_col="join_date",
                            end_col="cancel_date", values="count")
    c = pd.Period("2022-05", "M")
    cohort = members[members["join_date"].dt.to_period("M") == c]
    end = cohort["cancel_date"].where(cohort["cancel_date"] <= members.attrs["as_of"])
    for k in (0, 1, 6, 12):
        expected = (~(end.dt.to_period("M") < c + k)).sum()
        assert t.loc[c, k] == expected


def test_revenue_retention_by_hand():
    usage = pd.DataFrame({
        "account_id": ["a", "b", "c", "a", "b", "d"],
        "month": ["2024-01-01"] * 3 + ["2024-03-01"] * 3,
        "mrr": [100.0, 200.0, 100.0, 160.0, 150.0, 999.0]})
    r = cs.revenue_retention(usage, window=2).loc["2024-01"]
    assert r["base_mrr"] == 400 and r["mrr_after"] == 310         # d is new: not in the base
    assert r["nrr"] == pytest.approx(310 / 400)
    assert r["grr"] == pytest.approx((100 + 150 + 0) / 400)
    assert r["logo_retention"] == pytest.approx(2 / 3)
    assert (r["expansion_mrr"], r["contraction_mrr"], r["churned_mrr"]) == (60, 50, 100)


def test_revenue_retention_rejects_duplicate_months():
    usage = pd.DataFrame({"account_id": ["a", "a"], "month": ["2024-01-01"] * 2,
                          "mrr": [1.0, 2.0]})
    with pytest.raises(cs.DataError, match="one row per customer and month"):
        cs.revenue_retention(usage, window=1)


def test_repeat_purchase_rate_by_hand_and_unfinished_windows_reported():
    orders = pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "c", "d"],
        "order_date": ["2024-01-05", "2024-02-01", "2024-01-10", "2024-01-20", "2024-01-20",
                       "2024-03-25"]})
    with pytest.warns(cs.DataWarning, match="repeat window is not over"):
        r = cs.repeat_purchase_rate(orders, within_days=30, as_of="2024-04-01")
    # a repeats within 30 days; c's second order is the same day: not a repeat
    assert r.loc["2024-01", "customers"] == 3 and r.loc["2024-01", "repeaters"] == 1
    assert r.attrs["cs_helpers_filtered"][0]["example_ids"] == ["d"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.one_of(st.none(), st.integers(0, 300))),
                min_size=1, max_size=30))
def test_cohort_retention_equals_a_direct_count(rows):
    # Cell (c, k) = customers of cohort c not ended before period c + k began; NaN after as_of.
    base = pd.Timestamp("2023-01-01")
    as_of = base + pd.Timedelta(days=500)
    df = pd.DataFrame({
        "customer_id": range(len(rows)),
        "start_date": [base + pd.Timedelta(days=s) for s, _ in rows],
        "end_date": [None if e is None else base + pd.Timedelta(days=s + e) for s, e in rows]})
    t = cs.cohort_retention(df, as_of=as_of, values="count")
    share = cs.cohort_retention(df, as_of=as_of)
    start = df["start_date"].dt.to_period("M")
    end_date = pd.to_datetime(df["end_date"])
    end = end_date.where(end_date <= as_of).dt.to_period("M")
    last = as_of.to_period("M")
    for c in t.index:
        members = start == c
        for k in t.columns:
            if c + k > last:
                assert np.isnan(t.loc[c, k])
            else:
                assert t.loc[c, k] == (members & ~(end < c + k)).sum()
    assert (share[0] == 1).all()
    assert (share.T.diff().iloc[1:].stack() <= 0).all()


def test_period_numbers_match_pandas_periods_on_every_frequency():
    from cs_helpers.churn import _NEVER, _ordinals

    days = pd.Series(pd.date_range("1960-01-01", "2030-12-31", freq="13D"))
    days[::17] = pd.NaT
    for freq in ("M", "Q", "Y"):
        expected = days.dt.to_period(freq).array.asi8.copy()
        expected[days.isna().to_numpy()] = _NEVER
        np.testing.assert_array_equal(_ordinals(days, freq), expected)


def test_placeholder_end_date_far_in_the_future_is_a_data_error():
    subs = pd.DataFrame({"customer_id": ["a", "b"],
                         "start_date": np.array(["2024-01-01", "2024-02-01"], "datetime64[s]"),
                         "end_date": np.array(["2024-03-01", "9999-12-31"], "datetime64[s]")})
    with pytest.raises(cs.DataError, match=r"Column 'end_date': dates must lie between 1677-09-22 "
                                        r"and 2262-04-11 .* 1 of 2 rows .*first ids: b"):
        cs.churn_rate(subs, as_of="2024-06-30")
