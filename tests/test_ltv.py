"""LTV formulas by hand, survival-based LTV with an honest tail, and the sBG model against
Fader & Hardie (2007)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from cs_helpers import ltv
from cs_helpers.errors import DataError as cs_DataError

# Fader & Hardie (2007), "How to project customer retention", Table 1 (t = 0..12).
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def test_simple_by_hand():
    assert ltv.simple(10_000, 0.8, 0.02) == pytest.approx(400_000)
    np.testing.assert_allclose(ltv.simple(100, 1.0, np.array([0.1, 0.2])), [1000, 500])
    with pytest.raises(ValueError, match="churn_rate"):
        ltv.simple(100, 0.5, 0)
    with pytest.raises(ValueError, match="gross_margin"):
        ltv.simple(100, 1.5, 0.1)


def test_from_components_by_hand():
    assert ltv.from_components(2, 3_000, 0.5, 24) == 72_000


def test_discounted_by_hand():
    # horizon 3, 10% churn, no discounting: 100 + 90 + 81
    assert ltv.discounted(100, 1.0, 0.1, discount_rate=0.0, horizon=3) == pytest.approx(271)
    # with discounting: sum of ((1 - c) / (1 + d))^t
    d = (1.12) ** (1 / 12) - 1
    expected = sum((0.9 / (1 + d)) ** t for t in range(3)) * 100
    assert ltv.discounted(100, 1.0, 0.1, discount_rate=0.12, horizon=3) == pytest.approx(expected)
    # an endless horizon without discounting equals the simple formula
    assert ltv.discounted(100, 0.7, 0.05, discount_rate=0.0) == pytest.approx(
        ltv.simple(100, 0.7, 0.05))
    with pytest.raises(ValueError, match="infinite"):
        ltv.discounted(100, 0.7, 0.0, discount_rate=0.0)


def test_cac_payback_by_hand():
    assert ltv.cac_payback(240_000, 20_000, 0.8) == 15


@given(st.floats(0.001, 0.5), st.floats(0.001, 0.5))
def test_ltv_falls_as_churn_rises(c1, c2):
    lo, hi = sorted([c1, c2])
    assert ltv.simple(100, 0.8, hi) <= ltv.simple(100, 0.8, lo)
    assert ltv.discounted(100, 0.8, hi, discount_rate=0.1) <= \
        ltv.discounted(100, 0.8, lo, discount_rate=0.1)


def test_from_survival_matches_discounted_for_a_geometric_curve():
    s = pd.Series(0.95 ** np.arange(200), index=np.arange(200))
    r = ltv.from_survival(s, 100, 0.8, horizon=120, discount_rate=0.1)
    assert r.value == pytest.approx(ltv.discounted(100, 0.8, 0.05, discount_rate=0.1,
                                                   horizon=120))
    assert r.months_extrapolated == 0 and r.extrapolated_share == 0


def test_from_survival_reports_and_warns_about_extrapolation():
    s = pd.Series(0.9 ** np.arange(13), index=np.arange(13))
    with pytest.warns(UserWarning, match="beyond the data"):
        r = ltv.from_survival(s, 100, 1.0, horizon=60)
    assert r.months_observed == 13 and r.months_extrapolated == 47
    assert r.tail_hazard == pytest.approx(0.1)
    assert r.value == pytest.approx(ltv.discounted(100, 1.0, 0.1, discount_rate=0, horizon=60))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stop = ltv.from_survival(s, 100, 1.0, horizon=60, tail="none")
    assert stop.value == pytest.approx(sum(100 * 0.9 ** t for t in range(13)))
    assert "tail" in stop.summary().index


def test_from_survival_accepts_a_kaplan_meier_fitter():
    kmf = KaplanMeierFitter().fit([1, 2, 3, 3, 5], [1, 1, 1, 0, 0])
    r = ltv.from_survival(kmf, 10, 1.0, horizon=4)
    # S(0)=1, S(1)=0.8, S(2)=0.6, S(3)=0.4
    assert r.value == pytest.approx(10 * (1 + 0.8 + 0.6 + 0.4))


@pytest.mark.parametrize("data, alpha, beta", [(REGULAR, 0.704, 1.182),
                                               (HIGH_END, 0.668, 3.806)])
def test_sbg_recovers_the_published_estimates(data, alpha, beta):
    m = ltv.ShiftedBetaGeometric.fit(data[:8])           # the paper fits years 1-7
    assert m.alpha == pytest.approx(alpha, abs=0.0015)
    assert m.beta == pytest.approx(beta, abs=0.0015)


def test_sbg_projection_is_close_to_the_held_out_years():
    m = ltv.ShiftedBetaGeometric.fit(REGULAR[:8])
    projected = 1000 * m.survival(np.arange(8, 13))
    # Fader & Hardie report the regular-cohort projection within a few percent of the truth
    np.testing.assert_allclose(projected, REGULAR[8:], rtol=0.05)


def test_sbg_formulas_agree_with_each_other():
    m = ltv.ShiftedBetaGeometric(0.7, 1.2)
    t = np.arange(1, 30)
    np.testing.assert_allclose(m.survival(t) / m.survival(t - 1), m.retention_rate(t))
    np.testing.assert_allclose(m.survival(t - 1) - m.survival(t), m.churn_probability(t))
    assert m.survival(0) == pytest.approx(1)
    assert np.all(np.diff(m.retention_rate(t)) > 0)     # retention rises with tenure (sorting)


@pytest.mark.parametrize("renewals", [0, 1, 5])
def test_derl_equals_the_brute_force_sum(renewals):
    m = ltv.ShiftedBetaGeometric(0.704, 1.182)
    n = renewals + 1
    t = np.arange(n, n + 3000)
    brute = np.sum(m.survival(t) / m.survival(n - 1) / 1.1 ** (t - n))
    assert m.derl(0.10, renewals=renewals) == pytest.approx(brute, rel=1e-9)


def test_derl_grows_with_renewals():
    m = ltv.ShiftedBetaGeometric.fit(REGULAR[:8])
    vals = [m.derl(0.1, renewals=r) for r in range(6)]
    assert all(b > a for a, b in zip(vals, vals[1:], strict=False))


def test_sbg_loglik_by_hand_at_alpha_beta_one():
    # alpha = beta = 1: P(T = t) = B(2, t) / B(1, 1) = 1 / (t (t + 1)) and S(t) = 1 / (t + 1)
    data = np.array(HIGH_END[:8], dtype=float)
    lost = data[:-1] - data[1:]                          # 131, 126, 90, 60, 42, 34, 26
    t = np.arange(1, 8)
    by_hand = np.sum(lost * np.log(1 / (t * (t + 1)))) + 491 * np.log(1 / 8)
    assert ltv.ShiftedBetaGeometric._loglik(1.0, 1.0, data) == pytest.approx(by_hand)
    # independent check: public sBG implementations test -2.115 per customer at (1, 1)
    assert by_hand == pytest.approx(-2115.5, abs=0.05)
    m = ltv.ShiftedBetaGeometric.fit(data)
    assert m.loglik > by_hand and m.n == 1000


def test_derl_and_del_closed_forms_at_alpha_beta_one():
    # alpha = beta = 1: S(t) = 1 / (t + 1), x = 1 / (1 + d)
    #   DEL  = sum_t x^t / (t + 1) = -ln(1 - x) / x
    #   DERL(renewals=0) = sum_t x^t / (t + 2) = (-ln(1 - x) - x) / x^2
    m = ltv.ShiftedBetaGeometric(1.0, 1.0)
    x = 1 / 1.1
    assert m.del_(0.10) == pytest.approx(-np.log(1 - x) / x)
    assert m.derl(0.10) == pytest.approx((-np.log(1 - x) - x) / x ** 2)
    assert m.dlv(250, 0.10) == pytest.approx(250 * m.del_(0.10))


@pytest.mark.parametrize("a, b, d", [(0.704, 1.182, 0.10), (0.668, 3.806, 0.10),
                                     (2.5, 4.0, 0.0), (0.3, 0.9, 0.01)])
def test_del_equals_brute_force_and_first_payment_plus_derl(a, b, d):
    m = ltv.ShiftedBetaGeometric(a, b)
    t = np.arange(0, 200_000 if d == 0 else 6000)
    brute = np.sum(m.survival(t) / (1 + d) ** t)
    assert m.del_(d) == pytest.approx(brute, rel=1e-4 if d == 0 else 1e-9)
    assert m.del_(d) == pytest.approx(1 + m.derl(d, renewals=0) / (1 + d))


def test_undiscounted_lifetime_is_infinite_when_alpha_at_most_one():
    with pytest.raises(ValueError, match="infinite"):
        ltv.ShiftedBetaGeometric(0.7, 1.2).del_(0.0)
    with pytest.raises(ValueError, match="0 or more"):
        ltv.ShiftedBetaGeometric(2.0, 1.2).derl(-0.1)


@given(st.floats(0.05, 20), st.floats(0.05, 20))
def test_sbg_survival_is_non_increasing_within_0_1(a, b):
    s = ltv.ShiftedBetaGeometric(a, b).survival(np.arange(0, 60))
    assert s[0] == pytest.approx(1)
    assert np.all((s >= 0) & (s <= 1 + 1e-12))
    assert np.all(np.diff(s) <= 1e-15)


@given(st.lists(st.floats(0.0, 0.3), min_size=1, max_size=24),
       st.integers(1, 60), st.sampled_from(["geometric", "none"]))
def test_from_survival_curve_is_non_increasing_within_0_1(hazards, horizon, tail):
    curve = pd.Series(np.r_[1.0, np.cumprod(1 - np.array(hazards))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        r = ltv.from_survival(curve, 100, 0.8, horizon=horizon, tail=tail)
    s = r.survival.to_numpy()
    assert len(s) == horizon and s[0] == 1
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) <= 1e-12)
    assert r.months_observed + r.months_extrapolated == horizon
    assert 0 <= r.extrapolated_share <= 1


def test_from_survival_rejects_bad_curves_and_endless_horizons():
    with pytest.raises(cs_DataError, match="never increase"):
        ltv.from_survival(pd.Series([1.0, 0.8, 0.9]), 100, 1.0, horizon=3)
    with pytest.raises(cs_DataError, match=r"numbers in \[0, 1\] — 1 of 3"):
        ltv.from_survival(pd.Series([1.0, np.nan, 0.5]), 100, 1.0, horizon=3)
    with pytest.raises(cs_DataError, match="empty"):
        ltv.from_survival(pd.Series([], dtype=float), 100, 1.0, horizon=3)
    with pytest.raises(ValueError, match="finite"):
        ltv.from_survival(pd.Series([1.0, 0.9]), 100, 1.0, horizon=np.inf)


@pytest.mark.parametrize("alive, words", [
    ([100, 90, 95], ["never increase", "1 of 3", "row labels: 2"]),
    ([100, 90.5, 80], ["whole numbers", "row labels: 1"]),
    ([0, 0, 0], ["cohort size"]),
    ([100, 90], ["3 or more"]),
])
def test_sbg_fit_rejects_bad_counts(alive, words):
    with pytest.raises(cs_DataError) as err:
        ltv.ShiftedBetaGeometric.fit(alive)
    for w in words:
        assert w in str(err.value)
