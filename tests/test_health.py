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


def test_detractor_and_ticket_spike_with_no_look_ahead():
    u = _alert_usage()
    nps = pd.DataFrame({"account_id": ["A", "C", "N", "A"],
                        "survey_date": ["2025-03-10", "2025-03-02", "2025-02-20", "2025-04-02"],
                        "score": [7, 6, 0, 0]})
    # A answered 7 (passive) in March and 0 in April (after as_of: not read); C answered 6
    # (detractor) in March; N's 0 was in February (outside the default 1-month window).
    tickets = pd.DataFrame({"account_id": ["A"] * 4 + ["C"] * 5 + ["N"] * 3,
                            "opened_date": ["2025-03-03", "2025-03-04", "2025-03-05",
                                            "2025-01-05",
                                            "2025-03-01", "2025-03-02", "2025-03-03",
                                            "2025-02-01", "2025-01-01",
                                            "2025-04-01", "2025-04-02", "2025-04-03"]})
    # A: 3 in March vs 1 over the 6 previous months (1/6 a month) -> spike.
    # C: 3 in March vs 2 / 6 = 0.33 a month -> spike (3 >= 2 x 0.33 and >= 3).
    # N: its tickets are in April, after as_of.
    a = health.alerts(u, [health.Detractor(), health.TicketSpike()], as_of="2025-03",
                      nps=nps, tickets=tickets)
    got = set(zip(a["account_id"], a["rule"], strict=True))
    assert got == {("C", "nps_detractor"), ("A", "ticket_spike"), ("C", "ticket_spike")}
    a2 = health.alerts(u, [health.TicketSpike(factor=10)], as_of="2025-03", tickets=tickets)
    assert set(a2["account_id"]) == {"A"}          # C: 3 < 10 x 0.33; A: 3 >= 10 x 0.17
    a3 = health.alerts(u, [health.Detractor(months=2)], as_of="2025-03", nps=nps)
    assert set(a3["account_id"]) == {"C", "N"}


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
                                           "health", "status"]


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
