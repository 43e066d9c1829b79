"""LTV formulas by hand, survival-based LTV with an honest tail and its interval, and the sBG
model against Fader & Hardie (2007, 2010), brute-force sums and its own simulations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from scipy import special, stats

from cs_helpers import ltv
from cs_helpers.errors import DataError as cs_DataError

# Fader & Hardie (2007), "How to project customer retention", Journal of Interactive Marketing
# 21(1), Table 1: customers (of 1,000) still active after t = 0..12 years. The same numbers, as
# percentages, are in the R package foretell's README (sriharitn/foretell, high end, years 0-12)
# and in pymc-marketing's sBG tests (pymc-labs/pymc-marketing,
# tests/clv/models/test_shifted_beta_geo.py, regular, years 0-7).
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


@pytest.mark.parametrize("data", [REGULAR, HIGH_END], ids=["regular", "high_end"])
def test_sbg_projection_is_close_to_the_held_out_years(data):
    # Fader & Hardie (2007) fit years 1-7 and hold out years 8-12 (Table 1). Measured here: the
    # projection is 1.3-1.7% below the observed survivors for the regular cohort (220 vs 223
    # ... 170 vs 173) and 1.6-4.1% below for the high-end cohort (460 vs 468 ... 378 vs 394).
    m = ltv.ShiftedBetaGeometric.fit(data[:8])
    t = np.arange(8, 13)
    projected = 1000 * m.survival(t)
    np.testing.assert_allclose(projected, data[8:], rtol=0.045)
    # every held-out year lies inside the 95% band of the expected share (parameter uncertainty)
    low, high = m.survival_interval(t)
    observed = np.array(data[8:]) / 1000
    assert np.all((low < observed) & (observed < high))


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
    with pytest.raises(ValueError, match="fraction from 0 to 1"):
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


# --------------------------------------------------------------------------------------------
# Published DERL values, and DERL / DEL finite everywhere


def test_derl_reproduces_fader_hardie_2010_table_3_case_1():
    # Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of
    # ignoring heterogeneity", Marketing Science 29(1), Table 3, case 1: alpha 3.80, beta 15.20,
    # d = 0.10, DERL for n = 1..5 is 3.31, 3.45, 3.59, 3.72, 3.84 (values as quoted in issue 11).
    # The paper's n counts the periods paid so far: the customer "has made n - 1 renewals" and is
    # about to decide on the n-th (equation 6). This package's `renewals` is that n - 1.
    m = ltv.ShiftedBetaGeometric(3.80, 15.20)
    published = [3.31, 3.45, 3.59, 3.72, 3.84]
    got = [m.derl(0.10, renewals=n - 1) for n in range(1, 6)]
    np.testing.assert_allclose(got, published, atol=0.005)
    # the mapping matters: shifted by one renewal the values no longer match
    shifted = [m.derl(0.10, renewals=n) for n in range(1, 6)]
    assert not np.allclose(shifted, published, atol=0.005)


def _brute_derl(a, b, renewals, d, terms):
    m = ltv.ShiftedBetaGeometric(a, b)
    n = renewals + 1
    t = np.arange(n, n + terms, dtype=float)
    return float(np.sum(m.survival(t) / m.survival(n - 1) / (1 + d) ** (t - n)))


def test_derl_is_finite_where_the_closed_form_fails():
    # scipy.special.hyp2f1 returns NaN here (issue 11); the brute-force sum gives 435.23
    m = ltv.ShiftedBetaGeometric(0.704, 1.182)
    assert np.isnan(special.hyp2f1(1, 1.182 + 241, 0.704 + 1.182 + 241, 1 / 1.001))
    value = m.derl(0.001, renewals=240)
    assert round(value, 2) == 435.23
    assert value == pytest.approx(_brute_derl(0.704, 1.182, 240, 0.001, 200_000), rel=1e-10)


@pytest.mark.parametrize("a", [0.05, 0.704, 3.8, 50.0])
@pytest.mark.parametrize("b", [0.1, 15.2, 1000.0])
@pytest.mark.parametrize("renewals", [0, 9, 240])
@pytest.mark.parametrize("d", [0.001, 0.0064, 0.1, 1.0])
def test_derl_and_del_equal_brute_force_sums_on_a_grid(a, b, renewals, d):
    # enough terms that the rest of the series is below 1e-14 of the sum: x^K / (1 - x) tiny
    terms = int(np.ceil(np.log(1e-16 * d / (1 + d)) / -np.log1p(d))) + 10
    assert ltv.ShiftedBetaGeometric(a, b).derl(d, renewals=renewals) == pytest.approx(
        _brute_derl(a, b, renewals, d, terms), rel=1e-10)
    m = ltv.ShiftedBetaGeometric(a, b)
    t = np.arange(terms, dtype=float)
    assert m.del_(d) == pytest.approx(float(np.sum(m.survival(t) / (1 + d) ** t)), rel=1e-10)


def test_undiscounted_lifetime_has_its_exact_value_when_alpha_above_one():
    # sum_{t >= 0} S(t) = E[1 / theta] = (alpha + beta - 1) / (alpha - 1) for theta ~ Beta
    m = ltv.ShiftedBetaGeometric(2.5, 4.0)
    assert m.del_(0.0) == pytest.approx(5.5 / 1.5)
    assert m.derl(0.0, renewals=3) == pytest.approx((4.0 + 3) / 1.5)   # (b + n - 1) / (a - 1)


# --------------------------------------------------------------------------------------------
# Rates are fractions


@pytest.mark.parametrize("call", [
    lambda: ltv.discounted(100, 0.8, 0.02, discount_rate=8),
    lambda: ltv.monthly_discount(8),
    lambda: ltv.from_survival(pd.Series([1.0, 0.9]), 100, 0.8, horizon=2, discount_rate=8),
    lambda: ltv.ShiftedBetaGeometric(0.7, 1.2).derl(8),
    lambda: ltv.ShiftedBetaGeometric(0.7, 1.2).del_(8),
    lambda: ltv.ShiftedBetaGeometric(0.7, 1.2).dlv(100, 8),
], ids=["discounted", "monthly_discount", "from_survival", "derl", "del_", "dlv"])
def test_a_discount_rate_given_as_a_percent_is_refused_with_a_hint(call):
    with pytest.raises(cs_DataError, match=r"discount_rate.*looks like a percent: pass 0\.08"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: ltv.simple(100, 75, 0.02), "gross_margin"),
    (lambda: ltv.simple(100, 0.75, 2), "churn_rate"),
    (lambda: ltv.discounted(100, 75, 0.02, discount_rate=0.08), "gross_margin"),
    (lambda: ltv.discounted(100, 0.75, 2, discount_rate=0.08), "churn_rate"),
    (lambda: ltv.cac_payback(1000, 100, 75), "gross_margin"),
    (lambda: ltv.from_survival(pd.Series([1.0, 0.9]), 100, 75, horizon=2), "gross_margin"),
])
def test_margins_and_churn_given_as_percents_are_refused(call, name):
    with pytest.raises(ValueError, match=rf"{name}.*looks like a percent"):   # a DataError
        call()


# --------------------------------------------------------------------------------------------
# The survival-LTV tail: events / exposure over a window with enough customers at risk


def _kmf(durations, churned, weights=None, entry=None, alpha=0.05):
    return KaplanMeierFitter(alpha=alpha).fit(durations, churned, weights=weights, entry=entry)


def _thinning_cohort():
    """24 monthly cohorts of 100 observed for 1..24 months; 2% leave at each renewal."""
    rng = np.random.default_rng(3)
    d, e = [], []
    for follow in range(1, 25):
        life = rng.geometric(0.02, size=100).astype(float)
        churned = life <= follow
        d.append(np.minimum(life, follow))
        e.append(churned)
    return np.concatenate(d), np.concatenate(e)


def test_tail_window_is_the_latest_with_enough_at_risk_and_the_hazard_is_events_over_exposure():
    d, ev = _thinning_cohort()
    kmf = _kmf(d, ev)
    r = ltv.from_survival(kmf, 100, 1.0, horizon=48, tail_months=6, min_at_risk=500,
                          warn_share=1)
    w0, w1 = r.tail_window

    def at_risk(t):                                               # no late entry here
        return int(np.sum(d >= t))

    assert w1 - w0 == 6 and at_risk(w1) >= 500 and at_risk(w1 + 1) < 500
    assert r.tail_at_risk == at_risk(w1)
    events = np.sum(ev & (d > w0) & (d <= w1))
    exposure = np.sum(np.clip(np.minimum(d, w1) - w0, 0, None))
    assert (r.tail_events, r.tail_exposure) == (events, pytest.approx(exposure))
    assert r.tail_hazard == pytest.approx(events / exposure)
    assert r.tail_hazard_low < 0.02 < r.tail_hazard_high                # the truth: 2% a month
    # the old rule read the last 6 months of the curve, where few customers remain
    old = ltv.from_survival(kmf.survival_function_, 100, 1.0, horizon=48, tail_months=6,
                            warn_share=1)
    assert old.tail_window[1] == d.max() and np.isnan(old.ltv_low)


def test_garwood_interval_is_the_exact_poisson_interval():
    d, ev = _thinning_cohort()
    r = ltv.from_survival(_kmf(d, ev), 100, 1.0, horizon=48, warn_share=1)
    k, expo = r.tail_events, r.tail_exposure
    # at the bounds, seeing k or more (k or fewer) events has probability 2.5% exactly
    assert stats.poisson.sf(k - 1, r.tail_hazard_low * expo) == pytest.approx(0.025)
    assert stats.poisson.cdf(k, r.tail_hazard_high * expo) == pytest.approx(0.025)


def test_survival_ltv_interval_brackets_the_value_and_uses_the_kaplan_meier_bounds():
    d, ev = _thinning_cohort()
    kmf = _kmf(d, ev)
    r = ltv.from_survival(kmf, 100, 0.8, horizon=60, discount_rate=0.08, warn_share=1)
    assert r.ltv_low < r.value < r.ltv_high and r.confidence == 0.95
    assert np.all(r.survival_low <= r.survival) and np.all(r.survival <= r.survival_high)
    ci = kmf.confidence_interval_survival_function_
    t = 10
    row = ci[ci.index <= t].iloc[-1]
    assert (r.survival_low[t], r.survival_high[t]) == (pytest.approx(row.iloc[0]),
                                                       pytest.approx(row.iloc[1]))
    # beyond the data: the bound at the last time x (1 - hazard at the other end)^gap
    last = d.max()
    lo_last = ci[ci.index <= last].iloc[-1, 0]
    assert r.survival_low[59] == pytest.approx(lo_last * (1 - r.tail_hazard_high) ** (59 - last))
    per_month = 100 * 0.8 / (1 + ltv.monthly_discount(0.08)) ** np.arange(60)
    assert r.ltv_low == pytest.approx(float(np.sum(r.survival_low * per_month)))
    # another level refits the curve's interval with lifelines
    r90 = ltv.from_survival(kmf, 100, 0.8, horizon=60, discount_rate=0.08, warn_share=1,
                            confidence=0.90)
    assert r.ltv_low < r90.ltv_low < r90.value < r90.ltv_high < r.ltv_high
    assert r90.value == pytest.approx(r.value)
    summary = r.summary()
    for key in ("ltv_low", "ltv_high", "tail_window_months", "tail_monthly_hazard_low",
                "survival_last_month_high", "annual_discount_rate", "horizon_months"):
        assert key in summary.index


def test_tail_counts_exposure_from_late_entry():
    # customers observed only from their entry (a snapshot): exposure starts there, and a
    # customer who entered after the window's start counts only from entry
    rng = np.random.default_rng(5)
    n = 20_000
    entry = rng.integers(0, 36, size=n).astype(float)          # months already survived
    life = entry + rng.geometric(0.03, size=n)                  # 3% a month, memoryless
    end = entry + 12                                            # observed for 12 months
    churned = life <= end
    d = np.minimum(life, end)
    kmf = _kmf(d, churned, entry=entry)
    r = ltv.from_survival(kmf, 100, 1.0, horizon=60, warn_share=1)
    w0, w1 = r.tail_window
    exposure = np.sum(np.clip(np.minimum(d, w1) - np.maximum(entry, w0), 0, None))
    assert r.tail_exposure == pytest.approx(exposure)
    assert r.tail_hazard_low < 0.03 < r.tail_hazard_high
    # at risk counts only those already under observation
    assert r.tail_at_risk == np.min([np.sum((entry < t) & (d >= t))
                                     for t in np.r_[w1, np.unique(entry[(entry > w0)
                                                                        & (entry < w1)])]])


def test_warns_when_no_window_has_enough_customers_at_risk():
    kmf = _kmf([1, 2, 3, 4, 5, 6.0], [1, 1, 0, 1, 0, 0])
    with pytest.warns(UserWarning, match="customers at risk"):
        r = ltv.from_survival(kmf, 10, 1.0, horizon=12, warn_share=1)
    assert r.tail_at_risk < 100 and np.isfinite(r.tail_hazard_high)


def _sbg_lifetimes(alpha, beta, n, follow_max, seed):
    """Customers with theta ~ Beta(alpha, beta), joined uniformly over follow_max months."""
    rng = np.random.default_rng(seed)
    theta = rng.beta(alpha, beta, size=n)
    life = rng.geometric(theta).astype(float)               # churn at renewal T
    follow = rng.integers(1, follow_max + 1, size=n).astype(float)
    return np.minimum(life, follow), life <= follow


def test_sbg_tail_follows_a_falling_hazard_that_a_flat_tail_misses():
    # a population of different customers: the hazard keeps falling after the data end
    d, ev = _sbg_lifetimes(0.8, 6.0, 20_000, 36, seed=11)
    kmf = _kmf(d, ev)
    truth = ltv.ShiftedBetaGeometric(0.8, 6.0).survival(119)
    sbg = ltv.from_survival(kmf, 100, 1.0, horizon=120, tail="sbg", warn_share=1)
    geo = ltv.from_survival(kmf, 100, 1.0, horizon=120, warn_share=1)
    assert sbg.survival_low[119] < truth < sbg.survival_high[119]
    assert abs(sbg.survival[119] / truth - 1) < 0.1
    assert geo.survival[119] < 0.75 * truth                  # the flat tail is far too low
    assert sbg.tail_model is not None and sbg.tail_window[0] == 12
    assert "sbg" in sbg.tail_method
    with pytest.raises(cs_DataError, match="counts"):
        ltv.from_survival(kmf.survival_function_, 100, 1.0, horizon=120, tail="sbg")


# --------------------------------------------------------------------------------------------
# sBG uncertainty


def test_sbg_fit_on_lifetimes_with_censoring_and_late_entry_recovers_the_parameters():
    d, ev = _sbg_lifetimes(0.7, 3.0, 40_000, 24, seed=2)
    life = pd.DataFrame({"duration": d, "churned": ev})
    m = ltv.ShiftedBetaGeometric.fit_lifetimes(life)
    s = m.summary()
    assert s.loc["alpha", "ci_low"] < 0.7 < s.loc["alpha", "ci_high"]
    assert s.loc["beta", "ci_low"] < 3.0 < s.loc["beta", "ci_high"]
    # left truncation: only customers still active at their entry month are seen
    rng = np.random.default_rng(4)
    entry = rng.integers(0, 12, size=len(d)).astype(float)
    seen = d > entry
    late = pd.DataFrame({"duration": d[seen], "churned": ev[seen], "entry": entry[seen]})
    m_late = ltv.ShiftedBetaGeometric.fit_lifetimes(late, entry_col="entry")
    s_late = m_late.summary()
    assert s_late.loc["alpha", "ci_low"] < 0.7 < s_late.loc["alpha", "ci_high"]
    assert s_late.loc["beta", "ci_low"] < 3.0 < s_late.loc["beta", "ci_high"]
    naive = ltv.ShiftedBetaGeometric.fit_lifetimes(late)      # entry ignored: biased
    assert naive.alpha / (naive.alpha + naive.beta) < 0.9 * 0.7 / 3.7


def test_sbg_standard_errors_match_the_spread_of_refits():
    # 80 cohorts of 1,000 simulated from the published regular-cohort fit, fitted on 7 years:
    # the spread of the estimates matches the standard errors from the observed information
    # (the spread of 80 values is itself uncertain by about 8%)
    m = ltv.ShiftedBetaGeometric.fit(REGULAR[:8])
    rng = np.random.default_rng(1)
    logs = []
    for _ in range(80):
        theta = rng.beta(m.alpha, m.beta, size=1000)
        life = rng.geometric(theta)
        alive = [int(np.sum(life > t)) for t in range(8)]
        fit = ltv.ShiftedBetaGeometric.fit(alive)
        logs.append(np.log([fit.alpha, fit.beta]))
    spread = np.std(np.array(logs), axis=0)
    np.testing.assert_allclose(spread, np.sqrt(np.diag(m.cov)), rtol=0.25)
    se = m.se
    assert se["alpha"] == pytest.approx(m.alpha * np.sqrt(m.cov[0, 0]))


def test_sbg_hessian_agrees_with_central_differences():
    m = ltv.ShiftedBetaGeometric.fit(HIGH_END[:8])
    x0 = np.log([m.alpha, m.beta])
    data = np.array(HIGH_END[:8], dtype=float)

    def f(x):
        return -ltv.ShiftedBetaGeometric._loglik(np.exp(x[0]), np.exp(x[1]), data)

    h = 1e-3
    hess = np.array([[(f(x0 + h * (ei + ej)) - f(x0 + h * (ei - ej)) - f(x0 - h * (ei - ej))
                       + f(x0 - h * (ei + ej))) / (4 * h * h)
                      for ej in np.eye(2)] for ei in np.eye(2)])
    np.testing.assert_allclose(m.cov, np.linalg.inv(hess), rtol=1e-4)


def test_sbg_projection_band_plot_and_intervals_of_derived_numbers():
    m = ltv.ShiftedBetaGeometric.fit(REGULAR[:8])
    proj = m.project(12)
    assert proj.loc[0, "survival_low"] == proj.loc[0, "survival_high"] == 1
    inside = proj.iloc[1:]
    assert np.all((inside["survival_low"] < inside["survival"])
                  & (inside["survival"] < inside["survival_high"]))
    # relative to the projection, the band widens beyond the fitted years
    ratio = inside["survival_high"] / inside["survival_low"]
    assert ratio[12] > ratio[7] > ratio[1]
    low, high = m.interval(lambda x: x.del_(0.10), n=400)
    assert low < m.del_(0.10) < high
    draws = m.parameter_draws(400)
    assert np.log(draws["alpha"]).std() == pytest.approx(np.sqrt(m.cov[0, 0]), rel=0.15)
    ax = m.plot(periods=12)
    assert len(ax.collections) >= 1                                  # the band
    assert any("interval" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(cs_DataError, match="no standard errors"):
        ltv.ShiftedBetaGeometric(0.7, 1.2).summary()
    assert "survival_low" not in ltv.ShiftedBetaGeometric(0.7, 1.2).project(5)
