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


def test_sbg_fit_rejects_bad_counts():
    with pytest.raises(ValueError, match="never increase"):
        ltv.ShiftedBetaGeometric.fit([100, 90, 95])
