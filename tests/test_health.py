"""Tests for cs_helpers.health: score, status, alerts and backtest."""

from __future__ import annotations

import itertools
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_helpers import DataError, DataWarning, health
from cs_helpers.health import Signal

matplotlib.use("Agg")

USE = {"use": Signal("ratio", "users", per="seats")}


def _usage(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (account, 'YYYY-MM', seats, active_users, cards, deals, mrr)."""
    df = pd.DataFrame(rows, columns=["account_id", "month", "seats", "active_users",
                                     "cards_scanned", "deals_sourced", "mrr"])
    df["month"] = pd.to_datetime(df["month"] + "-01")
    return df


def _four_accounts() -> pd.DataFrame:
    # Two months (Feb, Mar 2025); lookback 2 uses both.
    return _usage([
        ("A", "2025-02", 10, 9, 100, 4, 1000.0), ("A", "2025-03", 10, 9, 100, 4, 1100.0),
        ("B", "2025-02", 10, 6, 40, 2, 1000.0), ("B", "2025-03", 10, 6, 40, 2, 1000.0),
        ("C", "2025-02", 20, 6, 40, 2, 1000.0), ("C", "2025-03", 20, 6, 40, 2, 1000.0),
        ("D", "2025-02", 10, 1, 0, 0, 1000.0), ("D", "2025-03", 10, 1, 0, 0, 800.0),
    ])


# ---------------------------------------------------------------------------- score

def test_score_by_hand_four_accounts():
    s = health.score(_four_accounts(), as_of="2025-03", lookback=2).set_index("account_id")
    # utilisation = sum(active) / sum(seats): A 18/20 = .9, B 12/20 = .6, C 12/40 = .3, D .1;
    # scale (0.2, 0.8): A 100, B 400/6 = 66.67, C 100/6 = 16.67, D 0.
    np.testing.assert_allclose(s["utilisation"], [0.9, 0.6, 0.3, 0.1])
    np.testing.assert_allclose(s["utilisation_score"], [100, 200 / 3, 50 / 3, 0])
    # cards per seat-month: A 200/20 = 10, B 80/20 = 4, C 80/40 = 2, D 0 -> ranks 4, 3, 2, 1
    # -> percentile 100 (r - 1) / 3 = 100, 66.67, 33.33, 0.
    np.testing.assert_allclose(s["cards_per_seat"], [10, 4, 2, 0])
    np.testing.assert_allclose(s["cards_per_seat_score"], [100, 200 / 3, 100 / 3, 0])
    # deals per month: A 4, B 2, C 2, D 0 -> ranks 4, 2.5, 2.5, 1 -> 100, 50, 50, 0.
    np.testing.assert_allclose(s["deals_sourced_score"], [100, 50, 50, 0])
    # MRR trend: A +10%, B 0, C 0, D -20% -> 100, 50, 50, 0.
    np.testing.assert_allclose(s["mrr_trend"], [0.1, 0.0, 0.0, -0.2])
    np.testing.assert_allclose(s["mrr_trend_score"], [100, 50, 50, 0])
    # health = .35 u + .20 c + .25 d + .20 m
    expected = [100.0,
                0.35 * 200 / 3 + 0.20 * 200 / 3 + 0.25 * 50 + 0.20 * 50,
                0.35 * 50 / 3 + 0.20 * 100 / 3 + 0.25 * 50 + 0.20 * 50,
                0.0]
    np.testing.assert_allclose(s["health"], expected)
    assert s["months_observed"].tolist() == [2, 2, 2, 2]
    assert (s["as_of"] == pd.Timestamp("2025-03-01")).all()
    assert list(health.status(s["health"])) == ["green", "yellow", "red", "red"]


def test_score_defaults_to_latest_month_and_sorts_by_id():
    u = _four_accounts().iloc[::-1]
    s = health.score(u, lookback=2)
    assert s["account_id"].tolist() == ["A", "B", "C", "D"]
    assert (s["as_of"] == pd.Timestamp("2025-03-01")).all()


def test_ratio_uses_sums_over_the_window_not_the_mean_of_ratios():
    u = pd.DataFrame({"account_id": ["A", "A"], "month": ["2025-01-01", "2025-02-01"],
                      "users": [10, 0], "seats": [10, 30]})
    s = health.score(u, signals=USE)
    assert s["use"].iloc[0] == pytest.approx(10 / 40)       # the mean of ratios would be 0.5


def test_trend_uses_first_and_last_month_of_the_window():
    u = pd.DataFrame({"account_id": "A", "month": ["2025-01-01", "2025-02-01", "2025-03-01"],
                      "mrr": [100.0, 110.0, 121.0]})
    sig = {"t": Signal("trend", "mrr")}
    assert health.score(u, signals=sig, lookback=3)["t"].iloc[0] == pytest.approx(0.21)
    assert health.score(u, signals=sig, lookback=2)["t"].iloc[0] == pytest.approx(0.10)
    assert np.isnan(health.score(u, signals=sig, lookback=1)["t"].iloc[0])


def test_missing_subscore_reweights_the_others():
    # E is new (one month): no MRR trend, so its health is the weighted mean of the other three.
    u = pd.concat([_four_accounts(), _usage([("E", "2025-03", 10, 8, 60, 3, 500.0)])])
    s = health.score(u, as_of="2025-03", lookback=2).set_index("account_id")
    e = s.loc["E"]
    assert e["months_observed"] == 1 and np.isnan(e["mrr_trend_score"])
    # E: utilisation .8 -> 100; cards 6 ranks 4 of 5 -> 75; deals 3 ranks 4 of 5 -> 75.
    assert e["cards_per_seat_score"] == pytest.approx(75)
    assert e["deals_sourced_score"] == pytest.approx(75)
    assert e["health"] == pytest.approx((0.35 * 100 + 0.20 * 75 + 0.25 * 75) / 0.80)


def test_percentile_with_a_single_account_is_50_and_higher_is_better_flips():
    u = pd.DataFrame({"account_id": ["A", "B", "C"], "month": "2025-01-01",
                      "tickets": [0, 2, 5]})
    sig = {"tickets": Signal("mean", "tickets", higher_is_better=False)}
    s = health.score(u, signals=sig)
    assert s["health"].tolist() == [100.0, 50.0, 0.0]
    assert health.score(u.iloc[:1], signals=sig)["health"].tolist() == [50.0]


def test_weights_override_and_validation():
    u = _four_accounts()
    s = health.score(u, lookback=2, weights={"utilisation": 1, "cards_per_seat": 0,
                                            "deals_sourced": 0, "mrr_trend": 0})
    np.testing.assert_allclose(s["health"], s["utilisation_score"])
    with pytest.raises(DataError, match="unknown signal"):
        health.score(u, weights={"nps": 1})
    with pytest.raises(DataError, match="at least one signal"):
        health.score(u, weights=dict.fromkeys(health.DEFAULT_SIGNALS, 0))
    with pytest.raises(DataError, match="weight must be >= 0"):
        health.score(u, weights={"utilisation": -1})


def test_only_accounts_active_in_the_as_of_month_are_scored():
    u = _four_accounts()
    u = u[~((u["account_id"] == "D") & (u["month"] == "2025-03-01"))]
    s = health.score(u, as_of="2025-03")
    assert s["account_id"].tolist() == ["A", "B", "C"]


def test_no_look_ahead_rows_after_as_of_change_nothing():
    u = _four_accounts()
    before = health.score(u, as_of="2025-02", lookback=2)
    later = u["month"] > "2025-02-28"
    changed = u.copy()
    changed.loc[later, ["active_users", "cards_scanned", "deals_sourced"]] = 0
    changed.loc[later, "mrr"] = -5.0          # even invalid later values are never read
    changed = pd.concat([changed, _usage([("Z", "2025-04", 5, 5, 500, 9, 9.0)])])
    pd.testing.assert_frame_equal(health.score(changed, as_of="2025-02", lookback=2), before)
    pd.testing.assert_frame_equal(health.score(u[~later], as_of="2025-02", lookback=2), before)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 500), st.integers(0, 9)),
                min_size=8, max_size=8))
def test_property_health_in_0_100_and_no_look_ahead(later_values):
    u = _four_accounts()
    s = health.score(u, as_of="2025-03", lookback=2)
    assert s["health"].between(0, 100).all()
    extra = _usage([(a, "2025-04", 12, au, c, d, 1000.0)
                    for a, (au, c, d) in zip("ABCDABCD", later_values, strict=True)][:4])
    pd.testing.assert_frame_equal(health.score(pd.concat([u, extra]), as_of="2025-03",
                                               lookback=2), s)


def test_score_data_errors_name_column_rule_and_ids():
    u = _four_accounts()
    with pytest.raises(DataError, match="Column 'seats': required column missing"):
        health.score(u.drop(columns="seats"))
    bad = u.copy()
    bad.loc[[2, 3], "active_users"] = -1
    with pytest.raises(DataError, match=r"'active_users': values must not be negative — 2 of 8 "
                                        r"rows.*first ids: B, B"):
        health.score(bad)
    dup = pd.concat([u, u.iloc[[0]]])
    with pytest.raises(DataError, match=r"one row per account_id and month — 2 of \d+ rows.*A"):
        health.score(dup, as_of="2025-02")
    with pytest.raises(DataError, match="No account has a usage row in 2025-07"):
        health.score(u, as_of="2025-07")
    with pytest.raises(DataError, match="as_of"):
        health.score(u, as_of="next month")
    with pytest.raises(DataError, match="lookback"):
        health.score(u, lookback=0)
    with pytest.raises(DataError, match="'month': values must be dates"):
        health.score(u.assign(month="soon"))
    with pytest.raises(DataError, match="per="):
        Signal("ratio", "users")


def test_history_scores_each_month_with_its_own_data():
    u = _four_accounts()
    h = health.history(u, lookback=2)
    assert h.groupby("as_of").size().tolist() == [4, 4]
    pd.testing.assert_frame_equal(
        h[h["as_of"] == "2025-02-01"].reset_index(drop=True),
        health.score(u, as_of="2025-02", lookback=2))


# ---------------------------------------------------------------------------- status

def test_status_boundaries_and_missing():
    got = health.status(pd.Series([0, 39.99, 40, 69.99, 70, 100, np.nan], index=list("abcdefg")))
    assert got.tolist()[:6] == ["red", "red", "yellow", "yellow", "green", "green"]
    assert pd.isna(got["g"]) and got.cat.ordered
    assert list(got.index) == list("abcdefg")
    assert list(health.status([50], thresholds=(30, 50))) == ["green"]


@pytest.mark.parametrize("thresholds", [(70, 40), (40, 40), (-1, 50), (40, 120), (40,),
                                        (40, np.nan)])
def test_status_validates_thresholds(thresholds):
    with pytest.raises(DataError, match="thresholds"):
        health.status([50], thresholds=thresholds)


def test_status_rejects_scores_outside_0_100():
    with pytest.raises(DataError, match=r"0\.\.100 — 1 of 2 rows"):
        health.status([50, 101])


# ---------------------------------------------------------------------------- alerts

def _alert_usage() -> pd.DataFrame:
    rows = []
    for m in ["2025-01", "2025-02", "2025-03"]:
        rows.append(("A", m, 10, 9, 50, 2, 1000.0))       # healthy throughout
        rows.append(("C", m, 10, 5, 20, 0, 1000.0))       # never sources deals
    rows += [("B", "2025-01", 10, 8, 50, 2, 1000.0), ("B", "2025-02", 10, 8, 50, 2, 1000.0),
             ("B", "2025-03", 10, 1, 0, 0, 1000.0)]       # sudden drop in March
    rows += [("N", "2025-02", 10, 6, 30, 0, 1000.0), ("N", "2025-03", 10, 6, 30, 0, 1000.0)]
    return _usage(rows)


def test_alerts_rules_by_hand():
    a = health.alerts(_alert_usage(), as_of="2025-03", lookback=1)
    got = set(zip(a["account_id"], a["rule"], strict=True))
    # lookback 1, March: utilisation A .9 (100), C .5 (50), N .6 (66.7), B .1 (0);
    # B's health fell from Feb to March by far more than 15 points; B's utilisation 10% < 30%;
    # C had 0 deals in each of the last 3 months; N has only 2 months, so no "no_deals" alert.
    assert got == {("B", "health_drop"), ("B", "low_utilisation"), ("C", "no_deals")}
    assert a["account_id"].iloc[0] == "B"                 # least healthy first
    assert a.attrs["rules_skipped"] == ["nps_detractor", "ticket_spike"]
    assert (a["as_of"] == pd.Timestamp("2025-03-01")).all()
    row = a[a["rule"] == "no_deals"].iloc[0]
    assert row["detail"] == "0 deals_sourced in each of the last 3 months"
    assert "deals" in row["task"]
    s = health.score(_alert_usage(), as_of="2025-03", lookback=1).set_index("account_id")
    assert a.set_index("rule").loc["no_deals", "health"] == pytest.approx(s.loc["C", "health"])


def test_health_drop_threshold_by_hand():
    # One signal, two accounts, lookback 1: percentile 100/0 in January, 0/100 in February:
    # A drops 100 points, B rises.
    u = pd.DataFrame({"account_id": ["A", "B", "A", "B"],
                      "month": ["2025-01-01"] * 2 + ["2025-02-01"] * 2, "users": [5, 1, 1, 5],
                      "seats": 10})
    a = health.alerts(u, [health.HealthDrop(points=100)], signals=USE, lookback=1)
    assert a["account_id"].tolist() == ["A"]
    assert a["detail"].iloc[0].startswith("health 100 -> 0 (-100 points")
    assert health.alerts(u, [health.HealthDrop(points=100.01)], signals=USE,
                         lookback=1).empty


def _nps_and_tickets() -> tuple[pd.DataFrame, pd.DataFrame]:
    nps = pd.DataFrame({"account_id": ["A", "C", "N", "A"],
                        "survey_date": ["2025-03-10", "2025-03-02", "2025-02-20", "2025-04-02"],
                        "score": [7, 6, 0, 0]})
    tickets = pd.DataFrame({"account_id": ["A"] * 4 + ["C"] * 5 + ["N"] * 3,
                            "opened_date": ["2025-03-03", "2025-03-04", "2025-03-05",
                                            "2025-01-05",
                                            "2025-03-01", "2025-03-02", "2025-03-03",
                                            "2025-02-01", "2025-01-01",
                                            "2025-04-01", "2025-04-02", "2025-04-03"]})
    return nps, tickets


def test_detractor_and_ticket_spike_with_no_look_ahead():
    u = _alert_usage()
    nps, tickets = _nps_and_tickets()
    # A answered 7 (passive) in March and 0 in April (after as_of: not read); C answered 6
    # (detractor) in March; N answered 0 in February: inside the default 6-month window.
    # Tickets, without the ramp allowance (every one of the 6 baseline months counts):
    # A: 3 in March vs 1 over the 6 previous months (1/6 a month) -> spike.
    # C: 3 in March vs 2 / 6 = 0.33 a month -> spike (3 >= 2 x 0.33 and >= 3).
    # N: its tickets are in April, after as_of.
    a = health.alerts(u, [health.Detractor(), health.TicketSpike()], as_of="2025-03",
                      nps=nps, tickets=tickets, ramp=None)
    got = set(zip(a["account_id"], a["rule"], strict=True))
    assert got == {("C", "nps_detractor"), ("N", "nps_detractor"), ("A", "ticket_spike"),
                   ("C", "ticket_spike")}
    assert a.loc[a["account_id"] == "N", "detail"].iloc[0] == (
        "NPS answer 0 in 2025-02 (1 detractor answer in the last 6 months; rule: 6 or less)")
    a2 = health.alerts(u, [health.TicketSpike(factor=10)], as_of="2025-03", tickets=tickets,
                       ramp=None)
    assert set(a2["account_id"]) == {"A"}          # C: 3 < 10 x 0.33; A: 3 >= 10 x 0.17
    a3 = health.alerts(u, [health.Detractor(months=1)], as_of="2025-03", nps=nps)
    assert set(a3["account_id"]) == {"C"}          # the scoring month only: N's answer is out
    # The detractor rule reads no answer after as_of: in February, A's April 0 is unknown.
    a4 = health.alerts(u, [health.Detractor()], as_of="2025-02", nps=nps)
    assert set(a4["account_id"]) == {"N"}


def test_ticket_spike_with_the_ramp_uses_months_as_a_customer():
    u = _alert_usage()
    _, tickets = _nps_and_tickets()
    # With the ramp, the baseline is the months of the last 6 in which the account had a usage
    # row: January and February for A and C (2 months), so by default (min_baseline 3) there
    # is not enough history to call anything a spike.
    assert health.alerts(u, [health.TicketSpike()], as_of="2025-03", tickets=tickets).empty
    # With min_baseline 2: A 1 ticket / 2 months = 0.5 a month, C 2 / 2 = 1.0.
    a = health.alerts(u, [health.TicketSpike(min_baseline=2)], as_of="2025-03",
                      tickets=tickets)
    assert set(a["account_id"]) == {"A", "C"}
    assert a.set_index("account_id").loc["C", "detail"] == (
        "3 tickets this month vs 1.0 a month over the previous 2 months (rule: >= 3 and >= 2x)")
    a = health.alerts(u, [health.TicketSpike(min_baseline=2, factor=4)], as_of="2025-03",
                      tickets=tickets)
    assert set(a["account_id"]) == {"A"}           # C: 3 < 4 x 1.0; A: 3 >= 4 x 0.5


def test_explicit_rule_without_its_table_is_an_error():
    with pytest.raises(DataError, match="needs the nps table"):
        health.alerts(_alert_usage(), [health.Detractor()])
    with pytest.raises(DataError, match="'score'"):
        health.alerts(_alert_usage(), nps=pd.DataFrame({"account_id": ["A"],
                                                        "survey_date": ["2025-03-01"]}))
    with pytest.raises(DataError, match="no signal 'nps'"):
        health.alerts(_alert_usage(), [health.LowSignal(signal="nps")])


def test_alerts_empty_when_nothing_fires():
    a = health.alerts(_alert_usage(), [health.LowSignal(below=0.0)])
    assert a.empty and list(a.columns) == ["account_id", "as_of", "rule", "detail", "task",
                                           "health", "status", "tenure_months"]


# ---------------------------------------------------------------------------- backtest

def _simulate(n: int = 800, seed: int = 0, informative: bool = True,
              months: int = 30) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """Accounts with a latent health z: usage rises with z; churn hazard falls with z only when
    ``informative`` (otherwise a constant 4% a month)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    start = rng.integers(0, 12, n)
    seats = rng.integers(5, 60, n)
    hazard = 1 / (1 + np.exp(3.2 + 1.3 * z)) if informative else np.full(n, 0.04)
    life = rng.geometric(hazard)                          # months as a customer
    last = start + life - 1                               # last month index with usage
    ids = np.array([f"K{i:04d}" for i in range(n)])
    n_rows = np.minimum(last, months - 1) - start + 1
    acc_idx = np.repeat(np.arange(n), n_rows)
    month_idx = start[acc_idx] + (np.arange(n_rows.sum()) - np.repeat(np.cumsum(n_rows) - n_rows,
                                                                       n_rows))
    zz, ss = z[acc_idx], seats[acc_idx]
    p_use = 1 / (1 + np.exp(-(0.3 + 1.2 * zz + rng.normal(0, 0.5, len(zz)))))
    first_days = pd.date_range("2023-01-01", periods=months + 1, freq="MS")
    usage = pd.DataFrame({
        "account_id": ids[acc_idx],
        "month": first_days[month_idx],
        "seats": ss,
        "active_users": rng.binomial(ss, p_use),
        "cards_scanned": rng.poisson(ss * 3 * np.exp(0.5 * zz)),
        "deals_sourced": rng.poisson(np.exp(0.2 + 0.7 * zz)),
        "mrr": ss * 1000.0,
    })
    observed = first_days[months] - pd.Timedelta(days=1)     # last day of the last month
    end = pd.Series(first_days[np.minimum(last, months)] + pd.Timedelta(days=14)).where(
        last < months)
    accounts = pd.DataFrame({"account_id": ids, "start_date": first_days[start],
                             "end_date": end.to_numpy()})
    return usage, accounts, observed


def test_backtest_recovers_an_informative_health_score():
    usage, accounts, observed = _simulate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt = health.backtest(usage, accounts, as_of="2024-07", horizon=6,
                             observed_until=observed)
    assert bt.auc > 0.7
    assert bt.table.loc["red", "churn_rate"] > bt.table.loc["green", "churn_rate"]
    assert bt.lift > 2
    assert bt.table.loc["all", "accounts"] == len(bt.scores)
    assert bt.table.loc[list(health.STATUSES), "accounts"].sum() == len(bt.scores)
    # Every assessed account was active at the end of July 2024 and scored with its usage.
    as_of_end = pd.Timestamp("2024-07-31")
    assert (bt.scores["end_date"].isna() | (bt.scores["end_date"] > as_of_end)).all()
    ax = bt.plot()
    assert "AUC" in ax.get_title() and ax.get_ylabel().endswith("(%)")


def test_backtest_auc_near_half_when_churn_ignores_usage():
    usage, accounts, observed = _simulate(seed=1, informative=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt = health.backtest(usage, accounts, as_of="2024-07", horizon=6,
                             observed_until=observed)
    n1 = bt.scores["churned"].sum()
    n0 = len(bt.scores) - n1
    se = np.sqrt((n0 + n1 + 1) / (12 * n0 * n1))          # sd of AUC under no association
    assert abs(bt.auc - 0.5) < 3 * se


def test_backtest_auc_equals_the_pairwise_definition():
    usage, accounts, observed = _simulate(n=150, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt = health.backtest(usage, accounts, as_of="2024-05", horizon=4,
                             observed_until=observed)
    h = bt.scores["health"].to_numpy()
    c = bt.scores["churned"].to_numpy()
    pairs = list(itertools.product(h[~c], h[c]))
    by_pairs = np.mean([1.0 if s > k else 0.5 if s == k else 0.0 for s, k in pairs])
    assert bt.auc == pytest.approx(by_pairs)


def _small() -> tuple[pd.DataFrame, pd.DataFrame]:
    usage = _usage([
        ("A", "2025-01", 10, 9, 5, 1, 1.0), ("B", "2025-01", 10, 7, 5, 1, 1.0),
        ("C", "2025-01", 10, 3, 5, 1, 1.0), ("D", "2025-01", 10, 1, 5, 1, 1.0),
        ("E", "2025-01", 10, 9, 5, 1, 1.0),          # ended on 31 January: not active at as_of
        ("G", "2025-02", 10, 9, 5, 1, 1.0),          # started later
    ])
    accounts = pd.DataFrame({
        "account_id": list("ABCDEFG"),
        "start_date": ["2024-06-01"] * 6 + ["2025-02-01"],
        "end_date": [None, "2025-04-30", "2025-04-30", "2025-02-01", "2025-01-31", None, None],
    })                                                   # F: active but no usage row
    return usage, accounts


def test_backtest_by_hand_with_exclusions_reported():
    usage, accounts = _small()
    with pytest.warns(DataWarning) as caught:
        bt = health.backtest(usage, accounts, as_of="2025-01", horizon=3,
                             observed_until="2025-06-30")
    notes = bt.scores.attrs["cs_helpers_filtered"]
    assert [n["rows"] for n in notes] == [2, 1]
    assert notes[0]["example_ids"] == ["E", "G"] and notes[1]["example_ids"] == ["F"]
    assert len(caught) == 2 and bt.notes == notes
    # Health (utilisation decides; other signals tie): A 71.9 green, B 64.6 yellow, C 35.4 red,
    # D 28.1 red. Window (Jan 31, Apr 30]: B and C churn on Apr 30 (inside), D on Feb 1.
    assert bt.scores["account_id"].tolist() == list("ABCD")
    assert bt.scores["churned"].tolist() == [False, True, True, True]
    assert bt.table["accounts"].tolist() == [2, 1, 1, 4]
    assert bt.table["churned"].tolist() == [2, 1, 0, 3]
    assert bt.lift == float("inf")
    # AUC: the one stayer (A) beats all three churners -> 1.
    assert bt.auc == 1.0
    assert bt.window_end == pd.Timestamp("2025-04-30")
    moved = accounts.assign(end_date=accounts["end_date"].replace("2025-04-30", "2025-05-01"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt2 = health.backtest(usage, moved, as_of="2025-01", horizon=3,
                              observed_until="2025-06-30")
    assert bt2.scores["churned"].tolist() == [False, False, False, True]


def test_backtest_requires_a_fully_observed_outcome_window():
    usage, accounts = _small()
    with pytest.raises(DataError, match=r"ends on 2025-07-31, after observed_until 2025-06-30.*"
                                        r"as_of <= 2024-12"):
        health.backtest(usage, accounts, as_of="2025-01", horizon=6, observed_until="2025-06-30")
    with pytest.raises(DataError, match="observed_until"):
        health.backtest(usage, accounts, as_of="2025-01")
    accounts.attrs["as_of"] = pd.Timestamp("2025-04-30")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt = health.backtest(usage, accounts, as_of="2025-01", horizon=3)
    assert bt.window_end == pd.Timestamp("2025-04-30")


def test_backtest_data_errors():
    usage, accounts = _small()
    with pytest.raises(DataError, match=r"'account_id': accounts with usage at as_of must appear"
                                        r".*first ids: D"):
        health.backtest(usage, accounts[accounts["account_id"] != "D"], as_of="2025-01",
                        horizon=3, observed_until="2025-06-30")
    with pytest.raises(DataError, match="Column 'end_date': required column missing"):
        health.backtest(usage, accounts.drop(columns="end_date"), as_of="2025-01",
                        observed_until="2025-06-30")
    with pytest.raises(DataError, match=r"ids must be unique.*first ids: A, A"):
        health.backtest(usage, pd.concat([accounts, accounts.iloc[[0]]]), as_of="2025-01",
                        observed_until="2025-06-30", horizon=3)
    with pytest.raises(DataError, match=r"'end_date': end dates must not be after"):
        health.backtest(usage, accounts.assign(end_date="2025-12-01"), as_of="2025-01",
                        observed_until="2025-06-30", horizon=3)
    with pytest.raises(DataError, match="horizon"):
        health.backtest(usage, accounts, as_of="2025-01", horizon=0,
                        observed_until="2025-06-30")


def test_backtest_uses_no_usage_after_as_of():
    usage, accounts, observed = _simulate(n=300, seed=5)
    kwargs = {"as_of": "2024-03", "horizon": 6, "observed_until": observed}
    later = usage["month"] > "2024-03-31"
    changed = usage.copy()
    changed.loc[later, "active_users"] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        a = health.backtest(usage, accounts, **kwargs)
        b = health.backtest(changed, accounts, **kwargs)
    pd.testing.assert_frame_equal(a.scores, b.scores)
    assert a.auc == b.auc


# ---------------------------------------------------------------------------- onboarding ramp

UTIL = {"utilisation": Signal("ratio", "active_users", per="seats")}
RAMP2 = health.Ramp(mature_after=2, min_rows=10)


def _ramp_population(n: int = 30, first: str = "2024-01", months: int = 8,
                     deals: tuple = (0, 1)) -> list[tuple]:
    """Accounts P00.. starting one a month from ``first`` (cycling over 4 start months), each
    using 2 of 10 seats in its first month and 6 from then on; deals by tenure month are
    ``deals``, then 2 a month."""
    rows = []
    start = pd.Period(first, "M")
    for i in range(n):
        s = start + i % 4
        for t in range(months):
            rows.append((f"P{i:02d}", str(s + t), 10, 2 if t == 0 else 6, 0,
                         deals[t] if t < len(deals) else 2, 1000.0))
    return rows


def _ramp_accounts(usage: pd.DataFrame) -> pd.DataFrame:
    first = usage.groupby("account_id")["month"].min()
    return pd.DataFrame({"account_id": first.index, "start_date": first.to_numpy()})


def test_ramp_curve_by_hand_follows_the_same_accounts():
    rows = _ramp_population()
    # Ten more accounts that use 1 seat of 10 in their first month and leave after it: they
    # lower the level of all first-month accounts, but never reach month 2, so they are not
    # part of the same-account comparison.
    rows += [(f"Q{i}", "2024-02", 10, 1, 0, 0, 1000.0) for i in range(10)]
    u = _usage(rows)
    c = health.ramp_curve(u, accounts=_ramp_accounts(u), signals=UTIL,
                          columns=["deals_sourced"], ramp=RAMP2).set_index(
        ["series", "tenure_months"])
    # Utilisation: 2/10 in month 0 and 6/10 in month 2, for the same 30 accounts -> 1/3.
    assert c.loc[("utilisation", 0), "accounts"] == 30
    assert c.loc[("utilisation", 0), "level"] == pytest.approx(0.2)
    assert c.loc[("utilisation", 0), "established_level"] == pytest.approx(0.6)
    assert c.loc[("utilisation", 0), "factor"] == pytest.approx(1 / 3)
    assert c.loc[("utilisation", 1), "factor"] == pytest.approx(1.0)
    # Deals: 0 in month 0, 1 in month 1, 2 from month 2 -> factors 0 and 1/2.
    assert c.loc[("deals_sourced", 0), "factor"] == pytest.approx(0.0)
    assert c.loc[("deals_sourced", 1), "factor"] == pytest.approx(0.5)
    assert c["adjusted"].all()
    # Comparing with other (established) accounts instead would have mixed in the leavers:
    all_first = u[u["month"] == u.groupby("account_id")["month"].transform("min")]
    assert all_first["active_users"].sum() / all_first["seats"].sum() < 0.2


def test_ramp_curve_caps_at_1_and_needs_enough_accounts():
    rows = [(a, m, 10, 9 if t == 0 else 6, 0, 1, 1.0) for a, m, t in
            [(r[0], r[1], int(r[5])) for r in _ramp_population()]]
    u = _usage(rows)
    c = health.ramp_curve(u, accounts=_ramp_accounts(u), signals=UTIL, ramp=RAMP2)
    assert c.loc[0, "level"] == pytest.approx(0.9) and c.loc[0, "factor"] == 1.0  # capped
    few = health.ramp_curve(u, accounts=_ramp_accounts(u), signals=UTIL,
                            ramp=health.Ramp(mature_after=2, min_rows=31))
    assert (few["factor"] == 1.0).all() and not few["adjusted"].any()
    # Rows after as_of are not read: in the population's first two months nobody is at month 2.
    early = health.ramp_curve(u, accounts=_ramp_accounts(u), signals=UTIL, ramp=RAMP2,
                              as_of="2024-02")
    assert (early["accounts"] == 0).all() and (early["factor"] == 1.0).all()


def test_ramp_curve_without_start_dates_leaves_out_accounts_already_there():
    # 20 accounts are in the table from its first month (January 2024), using 6 seats of 10:
    # they may have started long before, so their tenure is unknown. 30 accounts join from
    # May 2024 with the ramp: only they measure it.
    old = [(f"O{i:02d}", str(pd.Period("2024-01", "M") + k), 10, 6, 0, 2, 1.0)
           for i in range(20) for k in range(12)]
    u = _usage(old + _ramp_population(first="2024-05"))
    c = health.ramp_curve(u, signals=UTIL, ramp=RAMP2, as_of="2024-12")
    assert c.loc[0, "accounts"] == 30
    assert c.loc[0, "factor"] == pytest.approx(1 / 3)
    # Counted from their first row, the O accounts would have looked new in January 2024,
    # at the established level, and hidden the ramp:
    naive = health.ramp_curve(u, signals=UTIL, ramp=RAMP2, as_of="2024-12",
                              accounts=_ramp_accounts(u))
    assert naive.loc[0, "accounts"] == 50 and naive.loc[0, "factor"] > 0.5
    a = health.alerts(u, [health.LowSignal(below=0.99)], signals=UTIL, as_of="2024-06",
                      lookback=1)
    t = a.set_index("account_id")["tenure_months"]
    assert t.filter(like="P").notna().all() and set(t.filter(like="P")) == {0.0, 1.0}
    assert t.filter(like="O").isna().all()           # unknown start


def _low_use_table() -> pd.DataFrame:
    rows = _ramp_population(n=30, first="2024-01", months=14)        # ramp factor 1/3 then 1
    rows += [("X", "2025-01", 10, 1, 0, 0, 1.0), ("X", "2025-02", 10, 2, 0, 0, 1.0),
             ("Y", "2025-01", 10, 1, 0, 0, 1.0), ("Y", "2025-02", 10, 4, 0, 0, 1.0),
             ("Z", "2025-02", 10, 0, 0, 0, 1.0),
             ("E", "2024-12", 10, 2, 0, 0, 1.0), ("E", "2025-01", 10, 2, 0, 0, 1.0),
             ("E", "2025-02", 10, 3, 0, 0, 1.0)]
    return _usage(rows)


def test_low_signal_holds_new_accounts_to_their_age():
    u = _low_use_table()
    acc = _ramp_accounts(u).assign(start_date=lambda d: d["start_date"].where(
        d["account_id"] != "E", pd.Timestamp("2023-01-15")))
    kw = {"signals": UTIL, "as_of": "2025-02", "lookback": 2, "accounts": acc}
    old = health.alerts(u, [health.LowSignal()], ramp=None, **kw)
    new = health.alerts(u, [health.LowSignal()], ramp=RAMP2, **kw)
    # Without the ramp: X 3/20 = 15%, Y 5/20 = 25%, Z 0%, E 5/20 = 25%: all below 30%.
    assert set(old["account_id"]) == {"X", "Y", "Z", "E"}
    # With it: X and Y are in their 2nd month, window = months 0 and 1, expected level
    # (1/3 + 1) / 2 = 2/3 of the established one, so the bar is 30% x 2/3 = 20%: X (15%) alerts,
    # Y (25%) does not. Z is in its first month: one month of data is less than the 2-month
    # window, so it is not judged yet. E is established: held to 30%.
    assert set(new["account_id"]) == {"X", "E"}
    d = new.set_index("account_id")
    assert d.loc["X", "detail"] == ("utilisation 15% over the scoring window (rule: below 30% "
                                    "once established; in its 2nd month the bar is 20%: "
                                    "accounts of that age reach 67% of the established level)")
    assert d.loc["E", "detail"] == "utilisation 25% over the scoring window (rule: below 30%)"
    assert d.loc["X", "tenure_months"] == 1 and d.loc["E", "tenure_months"] == 25


def test_no_activity_weighs_ramp_months_by_what_accounts_that_new_reach():
    # Deals 0, 1, 1 in the first three months, 2 from then on: with mature_after 3 the factors
    # are 0, 1/2 and 1/2.
    rows = _ramp_population(n=30, first="2024-01", months=14, deals=(0, 1, 1))
    rows += [("W", m, 10, 6, 0, 0, 1.0) for m in ["2024-10", "2024-11", "2024-12", "2025-01",
                                                  "2025-02"]]                  # month 4
    rows += [("V", m, 10, 6, 0, 0, 1.0) for m in ["2024-11", "2024-12", "2025-01", "2025-02"]]
    rows += [("E", m, 10, 6, 0, d, 1.0) for m, d in [("2024-10", 0), ("2024-11", 3),
                                                     ("2024-12", 0), ("2025-01", 0),
                                                     ("2025-02", 0)]]
    u = _usage(rows)
    acc = _ramp_accounts(u).assign(start_date=lambda d: d["start_date"].where(
        d["account_id"] != "E", pd.Timestamp("2023-01-15")))
    kw = {"signals": UTIL, "as_of": "2025-02", "accounts": acc}
    old = health.alerts(u, [health.NoActivity()], ramp=None, **kw)
    assert set(old["account_id"]) == {"W", "V", "E"}
    ramp3 = health.Ramp(mature_after=3, min_rows=10)
    c = health.ramp_curve(u, accounts=acc, signals=UTIL, columns=["deals_sourced"], ramp=ramp3)
    np.testing.assert_allclose(c.loc[c["series"] == "deals_sourced", "factor"], [0, 0.5, 0.5])
    new = health.alerts(u, [health.NoActivity()], ramp=ramp3, **kw)
    # V (month 3): 0 + 0.5 + 0.5 + 1 = 2 < 3; W (month 4): 3 -> alert; E is established, its
    # last 3 months were 0.
    assert set(new["account_id"]) == {"W", "E"}
    d = new.set_index("account_id")["detail"]
    assert d["W"] == ("0 deals_sourced in each of the last 5 months (ramp months count less: "
                      "worth 3.0 established months; rule: 3)")
    assert d["E"] == "0 deals_sourced in each of the last 3 months"
    # An account past the ramp whose run reaches back into it needs no explanation: U is in
    # its 7th month with no deal ever; its last 3 months alone make the rule.
    rows += [("U", str(pd.Period("2024-08", "M") + k), 10, 6, 0, 0, 1.0) for k in range(7)]
    u = _usage(rows)
    new = health.alerts(u, [health.NoActivity()], ramp=ramp3, signals=UTIL, as_of="2025-02",
                        accounts=_ramp_accounts(u).assign(start_date=lambda d: d[
                            "start_date"].where(d["account_id"] != "E",
                                                pd.Timestamp("2023-01-15"))))
    assert new.set_index("account_id").loc["U", "detail"] == (
        "0 deals_sourced in each of the last 3 months")


def test_the_ramp_only_removes_alerts_and_ramp_none_is_the_old_rule():
    from cs_helpers import simulate
    t = simulate.simulate_b2b(seed=3, n_accounts=400)
    u, acc = t["b2b_usage_monthly"], t["b2b_accounts"]
    for month in ["2025-06", "2026-03"]:
        kw = {"as_of": month, "nps": t["b2b_nps"], "tickets": t["b2b_tickets"],
              "accounts": acc}
        old = health.alerts(u, ramp=None, **kw)
        new = health.alerts(u, **kw)
        pairs = set(zip(new["account_id"], new["rule"], strict=True))
        assert pairs <= set(zip(old["account_id"], old["rule"], strict=True))
        assert len(pairs) < len(old)
        # Every alert the ramp removed looks back into the first six months (mature_after):
        # a 3-month window or run of no deals, on an account under 9 months.
        removed = old[~pd.Series(list(zip(old["account_id"], old["rule"], strict=True)))
                      .isin(pairs).to_numpy()]
        assert (removed["tenure_months"] < health.DEFAULT_RAMP.mature_after + 3).all()
        # Health drops and detractors do not depend on the ramp.
        for rule in ("health_drop", "nps_detractor"):
            assert (old["rule"] == rule).sum() == (new["rule"] == rule).sum()


def test_ramp_and_tenure_data_errors():
    u = _low_use_table()
    acc = _ramp_accounts(u)
    with pytest.raises(DataError, match="Column 'start_date': required column missing"):
        health.alerts(u, signals=UTIL, accounts=acc.drop(columns="start_date"))
    with pytest.raises(DataError, match=r"accounts with usage must appear in the accounts "
                                        r"table.*1 accounts do not \(first ids: Z\)"):
        health.alerts(u, signals=UTIL, accounts=acc[acc["account_id"] != "Z"])
    late = acc.assign(start_date=acc["start_date"].where(acc["account_id"] != "X",
                                                         pd.Timestamp("2025-02-10")))
    with pytest.raises(DataError, match=r"'month': usage months must not come before the "
                                        r"account's start month \(negative tenure\).*first "
                                        r"ids: X"):
        health.alerts(u, signals=UTIL, accounts=late)
    with pytest.raises(DataError, match="negative tenure"):
        health.ramp_curve(u, signals=UTIL, accounts=late)
    with pytest.raises(DataError, match=r"ids must be unique.*first ids: X, X"):
        health.alerts(u, signals=UTIL, accounts=pd.concat([acc, acc[acc["account_id"] == "X"]]))
    with pytest.raises(DataError, match="values must be dates"):
        health.alerts(u, signals=UTIL, accounts=acc.assign(start_date="soon"))
    with pytest.raises(DataError, match=r"ramp: expected a health.Ramp or None, got str"):
        health.alerts(u, signals=UTIL, ramp="on")
    with pytest.raises(DataError, match="ramp: expected a health.Ramp"):
        health.ramp_curve(u, signals=UTIL, ramp=None)
    for bad in ({"mature_after": 0}, {"mature_after": 2.5}, {"min_rows": 0},
                {"min_rows": True}):
        with pytest.raises(DataError, match="Ramp"):
            health.Ramp(**bad)
    # The ramp reads every month up to as_of, so it checks them: a duplicate or a negative
    # value months before the scoring window is an error (without the ramp it is not read).
    dup = pd.concat([u, u[(u["account_id"] == "P00") & (u["month"] == "2024-03-01")]])
    with pytest.raises(DataError, match=r"one row per account_id and month.*first ids: P00"):
        health.alerts(dup, signals=UTIL, as_of="2025-02")
    assert len(health.alerts(dup, signals=UTIL, as_of="2025-02", ramp=None)) > 0
    neg = u.assign(active_users=u["active_users"].where(
        ~((u["account_id"] == "P01") & (u["month"] == "2024-03-01")), -1))
    with pytest.raises(DataError, match=r"'active_users': values must not be negative.*P01"):
        health.alerts(neg, signals=UTIL, as_of="2025-02")


# ---------------------------------------------------------------------------- history, worklist

def test_alert_history_marks_new_and_repeated_alerts():
    rows = []
    for m, users in [("2025-01", 2), ("2025-02", 2), ("2025-03", 8), ("2025-04", 2)]:
        rows += [("A", m, 10, 9, 0, 1, 1.0), ("B", m, 10, users, 0, 1, 1.0)]
    u = _usage(rows)
    h = health.alert_history(u, ["2025-02", "2025-03", "2025-04"], [health.LowSignal()],
                             signals=UTIL, lookback=1, ramp=None)
    # B is low in Jan, Feb and Apr: Feb repeats January's alert (checked too), April is new.
    assert h["as_of"].dt.strftime("%Y-%m").tolist() == ["2025-02", "2025-04"]
    assert h["new"].tolist() == [False, True]
    first = health.alert_history(u, ["2025-01"], [health.LowSignal()], signals=UTIL,
                                 lookback=1, ramp=None)
    assert first["new"].tolist() == [True]               # nothing before January
    with pytest.raises(DataError, match="months=..., not as_of"):
        health.alert_history(u, as_of="2025-02", signals=UTIL)
    with pytest.raises(DataError, match="at least one month"):
        health.alert_history(u, [], signals=UTIL)


def test_worklist_groups_ranks_and_cuts_at_capacity():
    a = pd.DataFrame({
        "account_id": ["A", "A", "B", "C", "A", "D"],
        "as_of": pd.to_datetime(["2025-03-01"] * 4 + ["2025-04-01"] * 2),
        "rule": ["no_deals", "health_drop", "no_deals", "no_deals", "no_deals", "no_deals"],
        "health": [20.0, 20.0, 35.0, 60.0, 22.0, 10.0],
        "mrr": [1.0, 1.0, 9.0, 5.0, 1.0, 3.0],
        "new": [True, False, False, True, False, False]})
    w = health.worklist(a, capacity=2)
    assert w[["account_id", "rank", "within_capacity"]].values.tolist() == [
        ["A", 1, True], ["B", 2, True], ["C", 3, False], ["D", 1, True], ["A", 2, True]]
    assert w.loc[0, "rules"] == "no_deals, health_drop" and w.loc[0, "alerts"] == 2
    assert w["any_new"].tolist() == [True, False, True, False, False]
    by_mrr = health.worklist(a, by="mrr", ascending=False, capacity=1)
    assert by_mrr.loc[by_mrr["within_capacity"], "account_id"].tolist() == ["B", "D"]
    assert health.worklist(a)["within_capacity"].all()
    with pytest.raises(DataError, match="capacity"):
        health.worklist(a, capacity=-1)
    with pytest.raises(DataError, match="capacity"):
        health.worklist(a, capacity=2.5)
    with pytest.raises(DataError, match="Column 'arr': required column missing"):
        health.worklist(a, by="arr")


# ---------------------------------------------------------------------------- alert back-test

def test_backtest_alerts_counts_precision_and_lift():
    usage, accounts, observed = _simulate(n=400, seed=2)
    months = ["2024-03", "2024-04", "2024-05"]
    rules = [health.LowSignal(below=0.4), health.NoActivity(months=2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        bt = health.backtest_alerts(usage, accounts, months=months, horizon=4,
                                    observed_until=observed, rules=rules, n_resamples=200)
        again = health.backtest_alerts(usage, accounts, months=months, horizon=4,
                                       observed_until=observed, rules=rules, n_resamples=200)
    pd.testing.assert_frame_equal(bt.table, again.table)            # seeded bootstrap
    acc = bt.accounts
    assert bt.table.index.tolist() == ["low_utilisation", "no_deals", "any alert",
                                       "all accounts"]
    assert bt.base_rate == pytest.approx(acc["churned"].mean())
    for rule, col in [("low_utilisation", "low_utilisation"), ("no_deals", "no_deals"),
                      ("any alert", "any_alert")]:
        row = bt.table.loc[rule]
        assert row["account_months"] == acc[col].sum()
        assert row["churned"] == (acc[col] & acc["churned"]).sum()
        assert row["precision"] == pytest.approx(acc.loc[acc[col], "churned"].mean())
        assert row["lift"] == pytest.approx(row["precision"] / bt.base_rate)
        assert row["lift_low"] <= row["lift"] <= row["lift_high"]
    # Usage rises with the latent health that lowers churn: low usage alerts are informative.
    assert bt.table.loc["low_utilisation", "lift_low"] > 1
    # Each month's alerts match alerts() run on that month alone, on the accounts assessed.
    one = health.alerts(usage, rules, as_of="2024-04")
    assessed = acc.loc[acc["as_of"] == "2024-04-01", "account_id"]
    got = bt.alerts[bt.alerts["as_of"] == "2024-04-01"]
    assert set(zip(got["account_id"], got["rule"], strict=True)) == set(
        zip(one["account_id"], one["rule"], strict=True)) & set(
        (a, r) for a in assessed for r in ("low_utilisation", "no_deals"))
    # churned = ended within 4 months after the month checked
    end = acc["account_id"].map(accounts.set_index("account_id")["end_date"])
    window_end = acc["as_of"] + pd.offsets.MonthEnd(0) + pd.DateOffset(months=4)
    assert (acc["churned"] == (end.notna() & (end <= window_end + pd.offsets.MonthEnd(0)))).all()


def test_backtest_alerts_data_errors():
    usage, accounts, observed = _simulate(n=100, seed=3)
    kw = {"observed_until": observed, "rules": [health.LowSignal()]}
    with pytest.raises(DataError, match="Outcome window not fully observed"):
        health.backtest_alerts(usage, accounts, months=["2025-05"], horizon=6, **kw)
    with pytest.raises(DataError, match="at least one month"):
        health.backtest_alerts(usage, accounts, months=[], **kw)
    with pytest.raises(DataError, match="looks like a percent"):
        health.backtest_alerts(usage, accounts, months=["2024-01"], confidence=95, **kw)
    with pytest.raises(DataError, match="n_resamples"):
        health.backtest_alerts(usage, accounts, months=["2024-01"], n_resamples=0, **kw)
    with pytest.raises(DataError, match="unknown keyword"):
        health.backtest_alerts(usage, accounts, months=["2024-01"], nps_col="x", **kw)
    with pytest.raises(DataError, match="Column 'end_date': required column missing"):
        health.backtest_alerts(usage, accounts.drop(columns="end_date"), months=["2024-01"],
                               **kw)
