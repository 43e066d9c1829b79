"""Tests for cs_helpers.phases: phase assignment, per-phase continuation and what-ifs."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import PiecewiseExponentialFitter
from scipy import stats

from cs_helpers import DataError, phases

matplotlib.use("Agg")


def _four() -> pd.DataFrame:
    """Durations 2, 5, 12 (churned) and 10 (still active)."""
    return pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "duration": [2.0, 5.0, 12.0, 10.0],
                         "churned": [True, True, True, False]})


# ---------------------------------------------------------------------------- assign

def test_assign_default_boundaries_are_half_open():
    got = phases.assign([0, 2.99, 3, 8.99, 9, 120])
    assert list(got) == ["onboarding", "onboarding", "adoption", "adoption", "maturity",
                         "maturity"]
    assert got.ordered and list(got.categories) == ["onboarding", "adoption", "maturity"]


def test_assign_japanese_labels_and_series_index_kept():
    s = pd.Series([1.0, 5.0, 20.0], index=["x", "y", "z"])
    got = phases.assign(s, labels="ja")
    assert list(got) == ["導入期", "定着期", "成熟期"]
    assert list(got.index) == ["x", "y", "z"]
    assert got.cat.ordered
    assert list(phases.assign([1], labels=phases.JA_LABELS).categories) == list(phases.JA_LABELS)


def test_assign_other_boundaries_and_custom_labels():
    got = phases.assign([0.5, 1, 7, 12], boundaries=(1, 6, 12))
    assert list(got) == ["[0, 1)", "[1, 6)", "[6, 12)", "12+"]
    got = phases.assign([0.5, 2], boundaries=(1,), labels=["first month", "later"])
    assert list(got) == ["first month", "later"]


@pytest.mark.parametrize("labels", [["a", "b"], ["a", "a", "b"], "fr"])
def test_assign_rejects_bad_labels(labels):
    with pytest.raises(DataError, match="labels"):
        phases.assign([1.0], labels=labels)


def test_assign_rejects_negative_and_missing_tenure():
    with pytest.raises(DataError, match="must not be negative — 1 of 3 rows"):
        phases.assign([1.0, -2.0, 3.0])
    with pytest.raises(DataError, match="not missing"):
        phases.assign([1.0, np.nan])


@pytest.mark.parametrize("bad", [(3, 3), (9, 3), (0, 3), (-1, 3), (), (3, np.inf), (3, np.nan)])
def test_boundaries_must_be_positive_and_increasing(bad):
    with pytest.raises(DataError, match="boundaries"):
        phases.assign([1.0], boundaries=bad)
    with pytest.raises(DataError, match="boundaries"):
        phases.continuation(_four(), boundaries=bad)


# ---------------------------------------------------------------------------- continuation

def test_continuation_hand_computed_four_customers():
    # Exposure by hand (clip(d, a, b) - a):
    #   onboarding [0, 3): 2 + 3 + 3 + 3 = 11;  adoption [3, 9): 0 + 2 + 6 + 6 = 14;
    #   maturity [9, inf): 0 + 0 + 3 + 1 = 4;  total 29 = 2 + 5 + 12 + 10.
    # Churn: d=2 onboarding, d=5 adoption, d=12 maturity; d=10 censored in maturity.
    t = phases.continuation(_four()).set_index("phase")
    assert t["exposure_months"].tolist() == [11.0, 14.0, 4.0, 29.0]
    assert t["customers_entering"].tolist() == [4, 3, 2, 4]
    assert t["churned"].tolist() == [1, 1, 1, 3]
    assert t["censored"].tolist() == [0, 0, 1, 1]
    np.testing.assert_allclose(t["monthly_hazard"], [1 / 11, 1 / 14, 1 / 4, 3 / 29])
    np.testing.assert_allclose(t["monthly_continuation"], [10 / 11, 13 / 14, 3 / 4, 26 / 29])
    assert t["start_month"].tolist() == [0, 3, 9, 0]
    assert t["end_month"].tolist() == [3, 9, np.inf, np.inf]
    assert t.index.tolist() == ["onboarding", "adoption", "maturity", "overall"]


def test_churn_exactly_at_a_boundary_counts_in_the_earlier_phase():
    # Left after exactly 3 paid months: last at risk in month 3 (tenure [2, 3)), never in adoption.
    life = pd.DataFrame({"duration": [3.0, 9.0, 0.0], "churned": [1, 1, 1]})
    t = phases.continuation(life, overall=False).set_index("phase")
    assert t["churned"].tolist() == [2, 1, 0]          # d=0 and d=3 onboarding, d=9 adoption
    assert t["exposure_months"].tolist() == [6.0, 6.0, 0.0]
    assert t["customers_entering"].tolist() == [3, 1, 0]
    assert np.isnan(t.loc["maturity", "monthly_hazard"])   # no exposure: no rate


def test_confidence_interval_is_the_exact_poisson_interval():
    t = phases.continuation(_four()).set_index("phase")
    # 0 events would give upper = -ln(0.025) / E; check k = 1 and k = 3 against the Poisson cdf:
    # the lower bound mu_L solves P(X >= k | mu_L) = 0.025, the upper P(X <= k | mu_U) = 0.025.
    for phase, k, e in [("onboarding", 1, 11.0), ("overall", 3, 29.0)]:
        lo, hi = t.loc[phase, "hazard_ci_low"] * e, t.loc[phase, "hazard_ci_high"] * e
        assert stats.poisson.sf(k - 1, lo) == pytest.approx(0.025, rel=1e-6)
        assert stats.poisson.cdf(k, hi) == pytest.approx(0.025, rel=1e-6)
    life = pd.DataFrame({"duration": [4.0, 6.0], "churned": [0, 0]})
    z = phases.continuation(life, overall=False).iloc[0]
    assert z["hazard_ci_low"] == 0.0
    assert z["hazard_ci_high"] == pytest.approx(-np.log(0.025) / 6.0)
    assert z["continuation_ci_high"] == 1.0
    assert z["continuation_ci_low"] == pytest.approx(1 + np.log(0.025) / 6.0)


def test_hazard_matches_person_month_expansion():
    # Independent method: expand each customer into one row per month at risk, label the month
    # with assign(), and count (integer durations, so every month is whole).
    rng = np.random.default_rng(3)
    d = rng.integers(0, 30, 400).astype(float)
    churned = rng.random(400) < 0.6
    life = pd.DataFrame({"duration": d, "churned": churned})
    months = np.concatenate([np.arange(int(x)) for x in d])
    exposure = pd.Series(phases.assign(months)).value_counts()
    last_month = np.maximum(d - 1, 0)         # the month in which the customer left
    events = pd.Series(phases.assign(last_month[churned])).value_counts()
    t = phases.continuation(life, overall=False).set_index("phase")
    for ph in phases.EN_LABELS:
        assert t.loc[ph, "exposure_months"] == exposure.get(ph, 0)
        assert t.loc[ph, "churned"] == events.get(ph, 0)
        assert t.loc[ph, "monthly_hazard"] == pytest.approx(events[ph] / exposure[ph])


def test_hazard_agrees_with_lifelines_piecewise_exponential():
    # Continuous durations (no ties at the boundaries): the piecewise-exponential MLE of
    # lifelines has hazard 1 / lambda_i = events_i / exposure_i.
    rng = np.random.default_rng(7)
    d = rng.exponential(12.0, 800)
    e = rng.random(800) < 0.7
    fitter = PiecewiseExponentialFitter(breakpoints=[3, 9]).fit(d, e)
    t = phases.continuation(pd.DataFrame({"duration": d, "churned": e}), overall=False)
    np.testing.assert_allclose(t["monthly_hazard"], 1 / fitter.params_.to_numpy(), rtol=1e-4)


def test_recovers_known_piecewise_hazards_in_a_seeded_simulation():
    # Month-by-month simulation with true hazards 10%, 5%, 2% and censoring at a random
    # observation time: the estimate must fall within 4 standard errors sqrt(h / exposure).
    rng = np.random.default_rng(2024)
    n, horizon = 20_000, 48
    true = np.array([0.10, 0.05, 0.02])
    h_month = true[np.searchsorted([3, 9], np.arange(horizon), side="right")]
    leaves = rng.random((n, horizon)) < h_month
    churn_month = np.where(leaves.any(axis=1), leaves.argmax(axis=1) + 1, horizon + 1)
    observed = rng.integers(1, horizon + 1, n)            # months observed before the cut-off
    life = pd.DataFrame({"duration": np.minimum(churn_month, observed).astype(float),
                         "churned": churn_month <= observed})
    t = phases.continuation(life, overall=False)
    se = np.sqrt(true / t["exposure_months"].to_numpy())
    assert np.all(np.abs(t["monthly_hazard"].to_numpy() - true) < 4 * se)
    assert np.all((t["hazard_ci_low"] < true) & (true < t["hazard_ci_high"]))


def test_recovers_a_constant_hazard():
    rng = np.random.default_rng(11)
    p = 0.05
    d = rng.geometric(p, 50_000).astype(float)      # whole months, P(D = k) = (1-p)^(k-1) p
    t = phases.continuation(pd.DataFrame({"duration": d, "churned": True})).set_index("phase")
    assert t.loc["overall", "monthly_hazard"] == pytest.approx(p, abs=4 * np.sqrt(p / d.sum()))
    for ph in phases.EN_LABELS:
        lo, hi = t.loc[ph, ["hazard_ci_low", "hazard_ci_high"]]
        assert lo < p < hi


def test_by_gives_each_segment_its_own_phases():
    life = _four().assign(plan=["single", "double", "single", "double"])
    t = phases.continuation(life, by="plan")
    assert list(t.columns[:2]) == ["plan", "phase"]
    assert len(t) == 8
    for plan, g in t.groupby("plan"):
        alone = phases.continuation(life[life["plan"] == plan])
        pd.testing.assert_frame_equal(g.drop(columns="plan").reset_index(drop=True),
                                      alone.reset_index(drop=True), check_dtype=False)


def test_by_keeps_missing_segment_values_as_a_segment():
    life = _four().assign(plan=["a", None, "a", None])
    t = phases.continuation(life, by=["plan"], overall=False)
    assert t["customers_entering"].groupby(t["phase"], observed=True).sum().tolist() == [4, 3, 2]
    assert t["plan"].isna().sum() == 3


def test_japanese_labels_and_pooled_row_name():
    t = phases.continuation(_four(), labels="ja")
    assert t["phase"].tolist() == ["導入期", "定着期", "成熟期", "全期間"]


def test_other_column_names():
    life = _four().rename(columns={"duration": "tenure", "churned": "left"})
    t = phases.continuation(life, duration_col="tenure", event_col="left")
    assert t["churned"].iloc[-1] == 3


# ---------------------------------------------------------------------------- late entry

def test_entry_by_hand():
    # Durations 2, 5, 12, 10 as in _four(); C entered at month 4 and D at month 10.
    #   onboarding [0, 3): 2 + 3 + (3 - 3) + (3 - 3) = 5     (C and D entered after it)
    #   adoption   [3, 9): 0 + 2 + (9 - 4) + (9 - 9) = 7
    #   maturity  [9, oo): 0 + 0 + (12 - 9) + (10 - 10) = 3
    life = _four().assign(entry=[0.0, 0.0, 4.0, 10.0])
    t = phases.continuation(life, entry_col="entry").set_index("phase")
    assert t["exposure_months"].tolist() == [5.0, 7.0, 3.0, 15.0]
    assert t["customers_entering"].tolist() == [2, 2, 2, 4]      # C in adoption+maturity, D
    assert t["churned"].tolist() == [1, 1, 1, 3]
    assert t["censored"].tolist() == [0, 0, 1, 1]
    np.testing.assert_allclose(t["monthly_hazard"], [1 / 5, 1 / 7, 1 / 3, 3 / 15])


def test_entry_at_zero_is_the_no_entry_case():
    rng = np.random.default_rng(4)
    life = pd.DataFrame({"duration": rng.integers(0, 40, 500).astype(float) + rng.random(500),
                         "churned": rng.random(500) < 0.6, "seg": rng.choice(list("ab"), 500)})
    plain = phases.continuation(life, by="seg")
    zero = phases.continuation(life.assign(entry=0.0), by="seg", entry_col="entry")
    pd.testing.assert_frame_equal(plain, zero)


def test_entry_at_a_boundary_gives_the_later_phases_of_the_full_table():
    # Observing only the customers still there at month 3, from month 3 on, must give exactly
    # the adoption and maturity rows of the full table (those rows only use customers at risk
    # after month 3), and nothing in onboarding.
    rng = np.random.default_rng(8)
    life = pd.DataFrame({"duration": rng.integers(1, 40, 2000).astype(float),
                         "churned": rng.random(2000) < 0.7})
    full = phases.continuation(life, overall=False).set_index("phase")
    later = life[life["duration"] > 3].assign(entry=3.0)
    t = phases.continuation(later, overall=False, entry_col="entry").set_index("phase")
    cols = ["customers_entering", "churned", "censored", "exposure_months", "monthly_hazard"]
    pd.testing.assert_frame_equal(t.loc[["adoption", "maturity"], cols],
                                  full.loc[["adoption", "maturity"], cols])
    assert t.loc["onboarding", ["customers_entering", "churned", "exposure_months"]].sum() == 0


def test_entry_hazards_agree_with_lifelines_piecewise_exponential():
    rng = np.random.default_rng(5)
    d, e = rng.exponential(12.0, 3000), rng.uniform(0, 10, 3000)
    keep = d > e
    d, e = d[keep], e[keep]
    ev = rng.random(len(d)) < 0.7
    fitter = PiecewiseExponentialFitter(breakpoints=[3, 9]).fit(d, ev, entry=e)
    t = phases.continuation(pd.DataFrame({"duration": d, "churned": ev, "entry": e}),
                            overall=False, entry_col="entry")
    np.testing.assert_allclose(t["monthly_hazard"], 1 / fitter.params_.to_numpy(), rtol=1e-4)


def test_entry_recovers_known_hazards_from_a_snapshot():
    # Whole-month geometric lifetimes with hazards 10%, 5%, 2%, observed only inside a window:
    # customers who started before the window enter at their tenure at its start.
    rng = np.random.default_rng(21)
    n, horizon = 40_000, 60
    true = np.array([0.10, 0.05, 0.02])
    h_month = true[np.searchsorted([3, 9], np.arange(horizon), side="right")]
    leaves = rng.random((n, horizon)) < h_month
    churn = np.where(leaves.any(axis=1), leaves.argmax(axis=1) + 1, horizon + 1)
    start = rng.integers(-36, 12, n)              # months before (-) or after the window start
    window_end = 12
    entry = np.maximum(-start, 0).astype(float)   # tenure when the window opens
    seen = churn > entry                          # still there when the window opens
    end = np.minimum(churn, window_end - start)
    life = pd.DataFrame({"duration": end, "churned": churn <= window_end - start,
                         "entry": entry})[seen]
    t = phases.continuation(life, overall=False, entry_col="entry")
    assert np.all((t["hazard_ci_low"] < true) & (true < t["hazard_ci_high"]))
    # ignoring entry counts months nobody was watching: the hazards come out far too low
    naive = phases.continuation(life, overall=False)
    assert np.all(naive["hazard_ci_high"].to_numpy()[:2] < true[:2])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(0.01, 60), st.floats(0, 1), st.booleans()),
                     min_size=1, max_size=40),
       b1=st.floats(0.5, 10), gap=st.floats(0.5, 20))
def test_property_entry_exposure_and_flow(rows, b1, gap):
    life = pd.DataFrame(rows, columns=["duration", "share", "churned"])
    # entry somewhere before the duration (strictly before it for churned customers)
    life["entry"] = life["duration"] * life["share"] * np.where(life["churned"], 0.999, 1.0)
    b = (b1, b1 + gap)
    t = phases.continuation(life, b, entry_col="entry")
    ph = t[t["phase"] != "overall"]
    assert ph["exposure_months"].sum() == pytest.approx((life["duration"] - life["entry"]).sum(),
                                                        abs=1e-7)
    assert (ph["exposure_months"] >= -1e-12).all()
    # everyone at risk in a phase churns, is censored or goes on to the next one; the next one
    # also gets the customers who entered late in it
    late = np.bincount(phases._phase_index(life["entry"].to_numpy(), np.array(b)), minlength=3)
    ent = ph["customers_entering"].to_numpy()
    nxt = np.append(ent[1:], 0) - np.append(late[1:], 0)
    np.testing.assert_array_equal(ent, ph["churned"] + ph["censored"] + nxt)
    assert t["customers_entering"].iloc[-1] == len(life)


@pytest.mark.parametrize("entry, churned, match", [
    ([0.0, 6.0, 0.0, 0.0], [1, 1, 1, 0], "entry <= duration"),
    ([0.0, 5.0, 0.0, 0.0], [1, 1, 1, 0], "enter before it churns"),
    ([0.0, -1.0, 0.0, 0.0], [1, 1, 1, 0], "negative"),
    ([0.0, np.nan, 0.0, 0.0], [1, 1, 1, 0], "not missing"),
])
def test_bad_entry_is_a_data_error_naming_the_customer(entry, churned, match):
    life = _four().assign(entry=entry, churned=churned)
    with pytest.raises(DataError, match=rf"Column 'entry'.*{match}.*first ids: B"):
        phases.continuation(life, entry_col="entry")
    with pytest.raises(DataError, match="'start'"):
        phases.continuation(life, entry_col="start")


def test_censored_at_entry_counts_where_it_entered():
    # Entered at month 3 and left observation at once (still active): no exposure, censored
    # in adoption, the phase it entered.
    life = pd.DataFrame({"duration": [3.0], "churned": [False], "entry": [3.0]})
    t = phases.continuation(life, overall=False, entry_col="entry").set_index("phase")
    assert t["censored"].tolist() == [0, 1, 0]
    assert t["customers_entering"].tolist() == [0, 1, 0]
    assert t["exposure_months"].sum() == 0


# ---------------------------------------------------------------------------- calendar months

def test_month_three_leavers_count_in_onboarding_with_calendar_months():
    # Members who cancel on their third billing date, from starts on every day of a year
    # (31-day months, February, month ends): with calendar months each lasted exactly 3
    # months and left in onboarding, as the docstring says. 30.4375-day months put the ones
    # whose three months had more than 91.3 days into adoption (issue 11, item 1).
    import cs_helpers as cs

    start = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    subs = pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(start))],
                         "start_date": start, "end_date": start + pd.DateOffset(months=3)})
    life = cs.to_lifetimes(subs, as_of="2025-12-31")
    assert (life["duration"] == 3.0).all()
    t = phases.continuation(life, overall=False).set_index("phase")
    assert t["churned"].tolist() == [len(subs), 0, 0]
    old = cs.to_lifetimes(subs, as_of="2025-12-31", month="average")
    t_old = phases.continuation(old, overall=False).set_index("phase")
    assert t_old.loc["adoption", "churned"] > 0.3 * len(subs)


def test_missing_column_is_a_data_error():
    with pytest.raises(DataError, match="Column 'duration': required column missing"):
        phases.continuation(_four().drop(columns="duration"))
    with pytest.raises(DataError, match="'segment'"):
        phases.continuation(_four(), by="segment")


def test_negative_missing_infinite_durations_are_data_errors():
    life = _four()
    life.loc[[1, 3], "duration"] = [-1.0, -4.0]
    with pytest.raises(DataError, match=r"'duration': values must not be negative — 2 of 4 rows"
                                        r".*first ids: B, D"):
        phases.continuation(life)
    life = _four()
    life.loc[2, "duration"] = np.nan
    with pytest.raises(DataError, match=r"not missing.*first ids: C"):
        phases.continuation(life)
    life = _four()
    life.loc[0, "duration"] = np.inf
    with pytest.raises(DataError, match=r"finite.*first ids: A"):
        phases.continuation(life)


def test_bad_flags_and_empty_table_are_data_errors():
    life = _four().assign(churned=["yes", "no", "maybe", "yes"])
    with pytest.raises(DataError, match=r"'churned'.*'maybe'.*first ids: C"):
        phases.continuation(life)
    with pytest.raises(DataError, match="empty"):
        phases.continuation(_four().iloc[:0])
    with pytest.raises(DataError, match="confidence"):
        phases.continuation(_four(), confidence=95)


lifetimes = st.lists(
    st.tuples(st.floats(0, 200, allow_nan=False), st.booleans(), st.sampled_from("ab")),
    min_size=1, max_size=60,
).map(lambda rows: pd.DataFrame(rows, columns=["duration", "churned", "seg"]))


@settings(max_examples=80, deadline=None)
@given(life=lifetimes, b1=st.floats(0.5, 10), gap=st.floats(0.5, 30))
def test_properties_exposure_sums_and_continuation_in_unit_interval(life, b1, gap):
    t = phases.continuation(life, (b1, b1 + gap), by="seg")
    ph = t[t["phase"] != "overall"]
    total = ph.groupby("seg")["exposure_months"].sum()
    np.testing.assert_allclose(total, life.groupby("seg")["duration"].sum(), rtol=1e-9,
                               atol=1e-9)
    cont = t["monthly_continuation"].dropna()
    assert ((cont >= 0) & (cont <= 1)).all()
    assert (t["hazard_ci_low"].dropna() <= t["monthly_hazard"].dropna() + 1e-12).all()
    assert (t["monthly_hazard"].dropna() <= t["hazard_ci_high"].dropna() + 1e-12).all()
    # Everyone who enters a phase either churns, is censored or enters the next one.
    for _, g in ph.groupby("seg"):
        ent = g["customers_entering"].to_numpy()
        nxt = np.append(ent[1:], 0)
        np.testing.assert_array_equal(ent, g["churned"] + g["censored"] + nxt)
    assert t.loc[t["phase"] == "overall", "churned"].sum() == life["churned"].sum()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.booleans()), min_size=1, max_size=50))
def test_property_whole_months_give_continuation_equal_one_minus_hazard(rows):
    # With whole-month durations (>= 1) every churn has at least one month of exposure in its
    # phase, so the hazard is a share in [0, 1] and no clipping happens.
    life = pd.DataFrame(rows, columns=["duration", "churned"]).astype({"duration": float})
    t = phases.continuation(life).dropna(subset=["monthly_hazard"])
    assert (t["monthly_hazard"] <= 1).all()
    np.testing.assert_allclose(t["monthly_continuation"], 1 - t["monthly_hazard"])


def test_millions_of_rows_are_fine():
    rng = np.random.default_rng(0)
    n = 2_000_000
    life = pd.DataFrame({"duration": rng.exponential(15, n), "churned": rng.random(n) < 0.8})
    t = phases.continuation(life)
    assert t["customers_entering"].iloc[0] == n
    assert t["exposure_months"].iloc[:3].sum() == pytest.approx(life["duration"].sum())


# ---------------------------------------------------------------------------- pooled hazards

def test_pooled_hazards_by_hand():
    # Monthly hazards 10%, 10%, 10%, 5%, 5%, 5%, 5%, 5%, 5%, 2%, 2%: each phase's pooled hazard
    # is its own constant hazard (weights do not matter when the hazard is constant).
    h = np.array([0.1] * 3 + [0.05] * 6 + [0.02] * 2)
    s = np.r_[1.0, np.cumprod(1 - h)]
    t = phases.pooled_hazards(s)
    np.testing.assert_allclose(t["monthly_hazard"], [0.1, 0.05, 0.02])
    np.testing.assert_allclose(t["monthly_continuation"], [0.9, 0.95, 0.98])
    assert t["end_month"].tolist() == [3, 9, 11]
    # within a phase the hazards are averaged with weights S(k) (default) or at_risk
    s2 = np.array([1.0, 0.8, 0.72, 0.684])          # hazards 0.2, 0.1, 0.05
    got = phases.pooled_hazards(s2).iloc[0]["monthly_hazard"]
    assert got == pytest.approx((1 - 0.684) / (1 + 0.8 + 0.72))     # churned / months at risk
    w = phases.pooled_hazards(s2, at_risk=[10, 0, 30]).iloc[0]["monthly_hazard"]
    assert w == pytest.approx((10 * 0.2 + 30 * 0.05) / 40)


def test_pooled_hazards_of_a_counted_cohort_equal_continuation():
    # A cohort with no censoring: S from the counts, then pooled_hazards == continuation().
    rng = np.random.default_rng(9)
    lifetime = rng.geometric(rng.beta(0.5, 2.8, 5000))
    life = pd.DataFrame({"duration": np.minimum(lifetime, 40).astype(float),
                         "churned": lifetime <= 40})          # followed for 40 months
    s = np.array([(lifetime > k).mean() for k in range(41)])
    np.testing.assert_allclose(phases.pooled_hazards(s)["monthly_hazard"],
                               phases.continuation(life, overall=False)["monthly_hazard"])


@pytest.mark.parametrize("survival, at_risk, match", [
    ([1.0], None, "at least two"),
    ([1.0, 1.2], None, "at least two"),
    ([1.0, 0.5, 0.7], None, "never increasing"),
    ([1.0, 0.9, 0.8], [1.0], "one weight per month"),
    ([1.0, 0.9, 0.8], [1.0, -1.0], ">= 0"),
])
def test_pooled_hazards_validates(survival, at_risk, match):
    with pytest.raises(DataError, match=match):
        phases.pooled_hazards(survival, at_risk=at_risk)


# ---------------------------------------------------------------------------- what-if

def test_survival_curve_is_piecewise_geometric():
    s = phases.survival_curve({"onboarding": 0.1, "adoption": 0.05, "maturity": 0.02},
                              horizon=12)
    expected = [0.9 ** min(t, 3) * 0.95 ** min(max(t - 3, 0), 6) * 0.98 ** max(t - 9, 0)
                for t in range(13)]
    np.testing.assert_allclose(s.to_numpy(), expected)
    assert s.index[0] == 0 and s.iloc[0] == 1.0


def test_expected_lifetime_by_hand():
    # 1 + .9 + .81 + .729 (1 - .95^6) / .05 + .729 .95^6 / .02 = 33.3665...
    by_hand = 2.71 + 0.729 * (1 - 0.95 ** 6) / 0.05 + 0.729 * 0.95 ** 6 / 0.02
    assert phases.expected_lifetime([0.10, 0.05, 0.02]) == pytest.approx(by_hand)
    assert phases.expected_lifetime([0.05] * 3) == pytest.approx(20.0)
    # Constant hazard h, monthly discount d: sum ((1 - h) / (1 + d))^t = (1 + d) / (d + h);
    # discount_rate is annual (as in cs_helpers.ltv): d = 1.12 ** (1 / 12) - 1.
    d = 1.12 ** (1 / 12) - 1
    assert phases.expected_lifetime([0.05] * 3, discount_rate=0.12) == \
        pytest.approx((1 + d) / (d + 0.05))
    # A finite horizon sums the first months only: 1 + 0.9 + 0.81 for 3 months.
    assert phases.expected_lifetime([0.1, 0.05, 0.02], horizon=3) == pytest.approx(2.71)
    long = phases.expected_lifetime([0.10, 0.05, 0.02], horizon=2000)
    assert long == pytest.approx(by_hand, rel=1e-9)


def test_expected_lifetime_infinite_without_churn_is_an_error():
    with pytest.raises(DataError, match="infinite"):
        phases.expected_lifetime([0.1, 0.05, 0.0])
    assert phases.expected_lifetime([0.1, 0.05, 0.0], horizon=12) > 0


def test_what_if_lower_onboarding_hazard_raises_lifetime_and_ltv():
    w = phases.what_if([0.10, 0.05, 0.02], {"onboarding": 0.8}, arpa=10_000, gross_margin=0.7)
    assert w.index.tolist() == ["baseline", "what-if"]
    assert w["hazard_onboarding"].tolist() == pytest.approx([0.10, 0.08])
    assert w["hazard_adoption"].tolist() == pytest.approx([0.05, 0.05])
    new = 1 + 0.92 + 0.92 ** 2 + 0.92 ** 3 * ((1 - 0.95 ** 6) / 0.05 + 0.95 ** 6 / 0.02)
    assert w.loc["what-if", "expected_lifetime_months"] == pytest.approx(new)
    assert w.loc["what-if", "survival_3m"] == pytest.approx(0.92 ** 3)
    assert w["ltv"].tolist() == pytest.approx(7000 * w["expected_lifetime_months"])
    base = w.loc["baseline", "expected_lifetime_months"]
    assert w.attrs["lifetime_change_pct"] == pytest.approx(100 * (new / base - 1))


def test_what_if_takes_a_continuation_table():
    t = phases.continuation(_four())
    w = phases.what_if(t, {"maturity": 0.5})
    assert w.loc["baseline", "hazard_maturity"] == pytest.approx(0.25)
    assert w.loc["what-if", "hazard_maturity"] == pytest.approx(0.125)
    tj = phases.continuation(_four(), labels="ja")
    wj = phases.what_if(tj, {"成熟期": 0.5}, labels="ja")
    assert wj.loc["what-if", "hazard_成熟期"] == pytest.approx(0.125)
    with pytest.raises(DataError, match="segments"):
        phases.what_if(phases.continuation(_four().assign(s=list("abab")), by="s"), {})


@pytest.mark.parametrize("hazards, changes, match", [
    ([0.1, 0.05, 0.02], {"onbording": 0.8}, "unknown phase"),
    ([0.1, 0.05], {}, "3 phases"),
    ([0.1, 0.05, 1.2], {}, "fraction from 0 to 1"),
    ([10, 5, 2], {}, "looks like a percent: pass 0.1"),
    ([0.6, 0.05, 0.02], {"onboarding": 2.0}, "exceeds 1"),
    ([0.1, 0.05, 0.02], {"onboarding": -1}, ">= 0"),
])
def test_what_if_validates(hazards, changes, match):
    with pytest.raises(DataError, match=match):
        phases.what_if(hazards, changes)


def test_rates_given_as_percents_are_refused_with_a_hint():
    with pytest.raises(DataError, match="discount_rate.*looks like a percent: pass 0.08"):
        phases.what_if([0.1, 0.05, 0.02], {"onboarding": 0.8}, discount_rate=8)
    with pytest.raises(DataError, match="discount_rate.*looks like a percent: pass 0.08"):
        phases.expected_lifetime([0.1, 0.05, 0.02], discount_rate=8)
    with pytest.raises(DataError, match="discount_rate"):
        phases.expected_lifetime([0.1, 0.05, 0.02], discount_rate=-0.1)


def test_homogeneous_what_if_says_it_is_an_approximation():
    w = phases.what_if([0.10, 0.05, 0.02], {"onboarding": 0.8})
    assert (w["model"] == "homogeneous (approximation)").all()
    assert "approximation" in w.attrs and "fit_model" in w.attrs["approximation"]
    assert "approximation" in phases.what_if.__doc__.lower()


def test_what_if_needs_whole_month_boundaries():
    with pytest.raises(DataError, match="whole months"):
        phases.survival_curve([0.1, 0.05, 0.02], boundaries=(2.5, 9))


# ---------------------------------------------------------------------------- plot

def test_plot_continuation_has_title_labels_and_percent_axis():
    from matplotlib.ticker import PercentFormatter

    ax = phases.plot_continuation(phases.continuation(_four()))
    assert ax.get_title() and "%" in ax.get_ylabel() and ax.get_xlabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == list(phases.EN_LABELS)
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    assert len(ax.patches) == 3
    assert any("pooled" in t for t in ax.get_legend_handles_labels()[1])


def test_plot_continuation_starts_at_zero_or_says_it_does_not():
    ax = phases.plot_continuation(phases.continuation(_four()))
    assert ax.get_ylim()[0] == 0
    assert "starts at" not in ax.get_ylabel()
    zoomed = phases.plot_continuation(phases.continuation(_four()), ylim=(0.6, 1.0))
    assert zoomed.get_ylim()[0] == pytest.approx(0.6)
    assert "(axis starts at 60%)" in zoomed.get_ylabel()
    assert len(zoomed.lines) >= 2                   # the break sign


def test_plot_continuation_by_segment_in_japanese_without_missing_glyphs():
    life = _four().assign(plan=["single", "double", "single", "double"])
    ax = phases.plot_continuation(phases.continuation(life, by="plan", labels="ja"),
                                  title="継続率", ylabel="月次継続率 (%)", xlabel="フェーズ")
    assert len(ax.patches) == 6
    assert sorted(ax.get_legend_handles_labels()[1]) == ["double", "single"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()
    assert not [w for w in caught if "missing from font" in str(w.message)]
