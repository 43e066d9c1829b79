"""Tests for cs_helpers.phase_model: the phase model in which customers differ.

Accuracy of the integral over p (against the sBG closed form and scipy's adaptive quadrature),
the likelihood by hand, recovery of known parameters from data simulated from the model itself,
standard errors against the spread of estimates, late entry, weights, and the what-if, hazard
and sorting-share outputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from cs_helpers import DataError, phase_model, phases
from cs_helpers.ltv import ShiftedBetaGeometric
from cs_helpers.phase_model import PhaseModel

TRUE = {"alpha": 0.5, "beta": 2.8, "mult": (1.15, 1.0, 0.85)}
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]       # Fader & Hardie (2007), t = 0..7


def _simulate(n: int, seed: int, *, alpha=TRUE["alpha"], beta=TRUE["beta"], mult=TRUE["mult"],
              max_window: int = 48, late: bool = False) -> pd.DataFrame:
    """Whole-month lifetimes from the model itself, censored at a random observation window.

    With ``late``, customers are seen only from a window start: those who started before it
    enter at their tenure then (and only if still there).
    """
    rng = np.random.default_rng(seed)
    p = rng.beta(alpha, beta, n)
    months = 120
    phase = np.searchsorted([3, 9], np.arange(months), side="right")
    h = np.minimum(p[:, None] * np.asarray(mult)[phase][None, :], 1)
    leave = rng.random((n, months)) < h
    churn = np.where(leave.any(axis=1), leave.argmax(axis=1) + 1, months + 1).astype(float)
    window = rng.integers(1, max_window + 1, n) + rng.random(n)      # fractional: mid-month
    life = pd.DataFrame({"duration": np.minimum(churn, window), "churned": churn <= window})
    if late:
        entry = np.floor(rng.uniform(0, 24, n))
        life["entry"] = entry
        life["duration"] = np.minimum(churn, entry + window)
        life["churned"] = churn <= entry + window
        life = life[churn > entry].reset_index(drop=True)
    return life


# ---------------------------------------------------------------------------- the integral

@pytest.mark.parametrize("alpha, beta", [(0.5, 2.8), (0.704, 1.182), (0.3, 0.8), (4.0, 15.0),
                                         (1.0, 1.0)])
def test_survival_is_the_sbg_closed_form_when_phases_do_nothing(alpha, beta):
    # B(alpha, beta + t) / B(alpha, beta): Gauss-Jacobi with 64 nodes is exact (to rounding)
    # for t <= 126 and still accurate beyond.
    m = PhaseModel(alpha, beta, [1.0, 1.0, 1.0])
    t = np.array([0, 1, 2, 3, 12, 60, 126, 200])
    exact = np.exp(special.betaln(alpha, beta + t) - special.betaln(alpha, beta))
    np.testing.assert_allclose(m.survival(t).to_numpy(), exact, rtol=1e-10)
    sbg = ShiftedBetaGeometric(alpha, beta)
    np.testing.assert_allclose(m.hazard(range(1, 13)).to_numpy(),
                               1 - sbg.retention_rate(np.arange(2, 14)), rtol=1e-9)


@pytest.mark.parametrize("mult, tol", [
    ((0.9, 1.0, 0.85), {"rel": 1e-10}),    # p x m <= 1 everywhere: polynomial, exact
    ((1.15, 1.0, 0.85), {"abs": 1e-6}),    # clipped at p = 1/1.15: a kink, 1e-7 at month 1
])
def test_survival_with_phase_multipliers_matches_adaptive_quadrature(mult, tol):
    # Independent integral: scipy.integrate.quad over the Beta density, with the kink where
    # p x m reaches 1 (the hazard is clipped there) given as a break point. The clipped part
    # only matters for the 0.1% of customers with p > 0.87, and dies out after a few months.
    a, b = TRUE["alpha"], TRUE["beta"]
    m = PhaseModel(a, b, list(mult))

    def s_quad(t):
        def f(p):
            h = [min(p * mult[0 if k < 3 else 1 if k < 9 else 2], 1.0) for k in range(t)]
            return np.prod(1 - np.array(h)) * stats.beta.pdf(p, a, b)
        return integrate.quad(f, 0, 1, points=[min(1 / max(mult), 0.999)], limit=400,
                              epsabs=1e-14, epsrel=1e-12)[0]

    for t in [1, 3, 9, 24, 60, 120]:
        assert m.survival(t).iloc[0] == pytest.approx(s_quad(t), **tol), t


def test_nearly_alike_customers_do_not_overflow_the_quadrature():
    # alpha + beta in the thousands: roots_jacobi's weights overflow; the Golub-Welsch
    # fallback gives the same nodes and weights where both work, and the sBG closed form here.
    for a, b in [(0.5, 2.8), (0.2, 0.6), (50.0, 280.0)]:
        x1, w1 = special.roots_jacobi(64, b - 1, a - 1)
        x2, w2 = phase_model._golub_welsch(64, b - 1, a - 1)
        np.testing.assert_allclose(x2, x1, atol=1e-14)
        np.testing.assert_allclose(w2, w1 / w1.sum(), atol=1e-11)
    t = np.arange(0, 130, 10)
    for a, b in [(500.0, 2800.0), (5000.0, 28000.0)]:
        exact = np.exp(special.betaln(a, b + t) - special.betaln(a, b))
        np.testing.assert_allclose(PhaseModel(a, b, [1, 1, 1]).survival(t), exact, rtol=1e-9)


def test_fewer_nodes_agree_within_lifetimes_they_integrate_exactly():
    # n nodes integrate polynomials of degree 2n - 1 exactly: 16 nodes, lifetimes to 30 months
    many = PhaseModel(0.5, 2.8, [0.9, 1.0, 0.85])
    few = PhaseModel(0.5, 2.8, [0.9, 1.0, 0.85], nodes=16)
    np.testing.assert_allclose(few.survival(range(31)).to_numpy(),
                               many.survival(range(31)).to_numpy(), rtol=1e-10)
    clipped = [PhaseModel(0.5, 2.8, list(TRUE["mult"]), nodes=k) for k in (16, 64)]
    np.testing.assert_allclose(*(m.survival(range(31)).to_numpy() for m in clipped), atol=1e-5)


# ---------------------------------------------------------------------------- likelihood

def test_likelihood_by_hand_for_two_customers():
    # Churned at d = 2 (left at the end of month 2: survived month 1, left in month 2) and
    # still active at 3.7 (survived 3 whole months):
    #   L1 = E[(1 - p m0) p m0],  L2 = E[(1 - p m0)^3]   (months 0-2 are onboarding)
    a, b, mult = 0.8, 3.0, np.array([1.2, 1.0, 0.7])

    def e(f):
        return integrate.quad(lambda p: f(min(1.2 * p, 1.0)) * stats.beta.pdf(p, a, b), 0, 1,
                              points=[1 / 1.2], epsabs=1e-14, epsrel=1e-13)[0]

    # h = min(1.2 p, 1): the hazard is clipped at 1 for p > 1/1.2
    by_hand = np.log(e(lambda h: (1 - h) * h)) + np.log(e(lambda h: (1 - h) ** 3))
    data = phase_model._Counts(np.array([1, 3]), np.array([True, False]), np.array([0, 0]),
                               np.ones(2))
    phase_of_month = np.searchsorted([3, 9], np.arange(data.n_months), side="right")
    got = phase_model._loglik(a, b, mult, phase_of_month, data, 64)
    assert got == pytest.approx(by_hand, rel=1e-7)     # the clipping kink: see above
    # a churn at a fractional duration ends the month it falls in: 1.4 -> month 2
    m = PhaseModel.fit(pd.DataFrame({"duration": [1.4, 2.0, 3.7, 12.0, 5.0, 10.5],
                                     "churned": [1, 1, 0, 1, 1, 0]}))
    m2 = PhaseModel.fit(pd.DataFrame({"duration": [2.0, 2.0, 3.0, 12.0, 5.0, 10.0],
                                      "churned": [1, 1, 0, 1, 1, 0]}))
    assert m.loglik == pytest.approx(m2.loglik, rel=1e-9)


def test_likelihood_is_the_sbg_likelihood_when_phases_do_nothing():
    # Fader & Hardie's regular cohort: at the published estimates and with every multiplier 1,
    # the model's log-likelihood equals the sBG one of cs_helpers.ltv.
    alive = np.array(REGULAR)
    lost = alive[:-1] - alive[1:]
    month = np.r_[np.arange(len(lost)), len(lost)]       # churn at t -> month index t - 1
    data = phase_model._Counts(month, np.r_[np.ones(len(lost), bool), False],
                               np.zeros(len(month), int), np.r_[lost, alive[-1]].astype(float))
    phase_of_month = np.searchsorted([3, 9], np.arange(data.n_months), side="right")
    got = phase_model._loglik(0.704, 1.182, np.ones(3), phase_of_month, data, 64)
    assert got == pytest.approx(ShiftedBetaGeometric._loglik(0.704, 1.182, alive), rel=1e-10)


def test_fit_beats_the_nested_sbg_fit():
    # With a multiplier for months 0-2 the model nests the sBG: its maximum log-likelihood on
    # the same data cannot be lower.
    alive = np.array(REGULAR)
    lost = alive[:-1] - alive[1:]
    life = pd.DataFrame({"duration": np.r_[np.arange(1, 8), 7.0],
                         "churned": np.r_[np.ones(7, bool), False],
                         "n": np.r_[lost, alive[-1]]})
    m = PhaseModel.fit(life, boundaries=(3,), weight_col="n", id_col=None)
    sbg = ShiftedBetaGeometric.fit(alive)
    assert m.loglik >= sbg.loglik - 1e-6
    assert m.n_customers == 1000 and m.n_churned == 759


# ---------------------------------------------------------------------------- recovery

@pytest.fixture(scope="module")
def fitted() -> PhaseModel:
    return PhaseModel.fit(_simulate(8000, seed=1))


def test_fit_recovers_known_parameters_within_their_intervals(fitted):
    s = fitted.summary(confidence=0.99)
    truth = {"alpha": TRUE["alpha"], "beta": TRUE["beta"],
             "multiplier_onboarding": TRUE["mult"][0], "multiplier_maturity": TRUE["mult"][2]}
    for name, value in truth.items():
        assert s.loc[name, "ci_low"] < value < s.loc[name, "ci_high"], (name, s.loc[name])
    assert fitted.converged
    assert s.loc["multiplier_adoption", "estimate"] == 1.0
    assert s.loc["multiplier_adoption", "note"].startswith("reference")


def test_summary_columns_and_delta_method(fitted):
    s = fitted.summary()
    assert list(s.columns) == ["estimate", "std_error", "ci_low", "ci_high", "note"]
    sd_log = np.sqrt(np.diag(fitted.cov))
    assert s.loc["alpha", "std_error"] == pytest.approx(fitted.alpha * sd_log[0])
    assert s.loc["alpha", "ci_low"] == pytest.approx(fitted.alpha * np.exp(-1.959964 * sd_log[0]),
                                                     rel=1e-6)
    assert (s["ci_low"] <= s["estimate"]).all() and (s["estimate"] <= s["ci_high"]).all()
    assert s.attrs["n_customers"] == 8000 and s.attrs["loglik"] == fitted.loglik
    assert fitted.params.index.tolist() == ["alpha", "beta", "multiplier_onboarding",
                                            "multiplier_adoption", "multiplier_maturity"]


@pytest.mark.slow
def test_standard_errors_match_the_spread_of_estimates():
    # 40 independent data sets: the observed-information standard errors must describe how
    # much the estimates really vary (within 30%), and 95% intervals must cover the truth in
    # most of them.
    est, se = [], []
    for seed in range(100, 140):
        m = PhaseModel.fit(_simulate(2000, seed=seed))
        est.append(m._theta())
        se.append(np.sqrt(np.diag(m.cov)))
    est, se = np.array(est), np.array(se)
    ratio = est.std(axis=0, ddof=1) / se.mean(axis=0)
    assert np.all((ratio > 0.7) & (ratio < 1.3)), ratio
    truth = np.log([TRUE["alpha"], TRUE["beta"], TRUE["mult"][0], TRUE["mult"][2]])
    covered = np.abs(est - truth) < 1.96 * se
    assert covered.mean(axis=0).min() >= 0.85, covered.mean(axis=0)


def test_late_entry_is_needed_and_enough():
    life = _simulate(8000, seed=3, late=True)
    assert (life["entry"] > 0).mean() > 0.8
    m = PhaseModel.fit(life, entry_col="entry")
    s = m.summary(confidence=0.99)
    for name, value in [("multiplier_onboarding", 1.15), ("multiplier_maturity", 0.85),
                        ("alpha", 0.5)]:
        assert s.loc[name, "ci_low"] < value < s.loc[name, "ci_high"], name
    # ignoring entry: the customers seen are the survivors, so churn looks far lower
    naive = PhaseModel.fit(life)
    assert naive.summary().loc["mean_propensity", "ci_high"] < 0.5 / 3.3


def test_entry_zero_and_weights_change_nothing():
    life = _simulate(1500, seed=4)
    base = PhaseModel.fit(life)
    zero = PhaseModel.fit(life.assign(entry=0.0), entry_col="entry")
    assert zero.loglik == pytest.approx(base.loglik, rel=1e-12)
    np.testing.assert_allclose(zero.params, base.params, rtol=1e-6)
    counted = life.groupby(["duration", "churned"]).size().rename("n").reset_index()
    weighted = PhaseModel.fit(counted, weight_col="n", id_col=None)
    assert weighted.loglik == pytest.approx(base.loglik, rel=1e-9)
    np.testing.assert_allclose(weighted.params, base.params, rtol=1e-5)
    np.testing.assert_allclose(weighted.cov, base.cov, rtol=1e-3)


def test_japanese_labels_and_another_reference():
    life = _simulate(3000, seed=5)
    ja = phases.fit_model(life, labels="ja")
    assert ja.reference == "定着期"
    assert "multiplier_導入期" in ja.params.index
    # the first phase as reference: the same sorting story, multipliers relative to onboarding
    first = phases.fit_model(life, reference="onboarding")
    assert first.multipliers["onboarding"] == 1.0
    ratio = first.multipliers["maturity"] / first.multipliers["adoption"]
    assert ratio == pytest.approx(ja.multipliers["成熟期"], rel=0.05)


# ---------------------------------------------------------------------------- outputs

def test_hazard_falls_within_a_phase_while_each_member_s_does_not():
    m = PhaseModel(0.5, 2.8, list(TRUE["mult"]))
    h = m.hazard(range(12))
    # month 0: E[p] x 1.15 (no clipping matters at this precision? it does: use the integral)
    assert h.iloc[0] == pytest.approx(1 - m.survival(1).iloc[0])
    assert h.iloc[0] == pytest.approx(1.15 * 0.5 / 3.3, rel=1e-3)
    for lo, hi in [(0, 3), (3, 9), (9, 12)]:
        assert h.iloc[lo:hi].is_monotonic_decreasing
    member = m.member_hazard(range(12))
    assert member.nunique() == 3
    assert member.iloc[0] / member.iloc[5] == pytest.approx(1.15)


def test_expected_lifetime_by_hand_and_discounting():
    m = PhaseModel(0.5, 2.8, list(TRUE["mult"]))
    s = m.survival(range(60)).to_numpy()
    assert m.expected_lifetime(horizon=60) == pytest.approx(s.sum())
    v = 1.08 ** (-np.arange(60) / 12)
    assert m.expected_lifetime(horizon=60, discount_rate=0.08) == pytest.approx(s @ v)
    with pytest.raises(DataError, match="looks like a percent: pass 0.08"):
        m.expected_lifetime(discount_rate=8)
    with pytest.raises(DataError, match="horizon"):
        m.expected_lifetime(horizon=None)


def test_what_if_by_hand_for_known_parameters():
    m = PhaseModel(0.5, 2.8, list(TRUE["mult"]))
    w = m.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08, arpa=8000,
                  gross_margin=0.6)
    better = PhaseModel(0.5, 2.8, [1.15 * 0.8, 1.0, 0.85])
    base, new = m.expected_lifetime(60, 0.08), better.expected_lifetime(60, 0.08)
    assert w["expected_lifetime_months"].tolist() == pytest.approx([base, new, new - base])
    assert w["ltv"].tolist() == pytest.approx([4800 * base, 4800 * new, 4800 * (new - base)])
    assert w.index.tolist() == ["baseline", "what-if", "gain"]
    assert (w["horizon_months"] == 60).all() and (w["annual_discount_rate"] == 0.08).all()
    assert w["model"].str.startswith("heterogeneous").all()
    assert w["lifetime_ci_low"].isna().all()             # known parameters: no interval
    # doing nothing gains nothing; cutting churn more gains more
    assert m.what_if({}, horizon=60).loc["gain", "expected_lifetime_months"] == 0
    g = [m.what_if({"onboarding": f}).loc["gain", "expected_lifetime_months"]
         for f in (0.9, 0.8, 0.5)]
    assert g[0] < g[1] < g[2]


def test_heterogeneous_gain_is_far_below_the_homogeneous_one():
    # The same customers, described by the same pooled phase hazards: the homogeneous what-if
    # credits a 20% cut in onboarding churn with several times the model's gain.
    m = PhaseModel(0.5, 2.8, list(TRUE["mult"]))
    pooled = m.phase_continuation(horizon=60)
    hom = phases.what_if(pooled, {"onboarding": 0.8}, horizon=60, discount_rate=0.08)
    het = m.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08)
    hom_gain = hom["expected_lifetime_months"].diff().iloc[1]
    assert hom_gain > 2.5 * het.loc["gain", "expected_lifetime_months"]


def test_what_if_intervals_from_the_fit(fitted):
    w = fitted.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08)
    for row in w.index:
        assert w.loc[row, "lifetime_ci_low"] < w.loc[row, "expected_lifetime_months"] \
            < w.loc[row, "lifetime_ci_high"]
    assert w.attrs["draws"] == phase_model.DEFAULT_DRAWS and "draws" in w.attrs["interval"]
    again = fitted.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08)
    pd.testing.assert_frame_equal(w, again)                # same seed, same interval
    other = fitted.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08, seed=1)
    assert other.loc["gain", "lifetime_ci_low"] != w.loc["gain", "lifetime_ci_low"]
    narrow = fitted.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08,
                            confidence=0.5)
    assert narrow.loc["gain", "lifetime_ci_low"] > w.loc["gain", "lifetime_ci_low"]


@pytest.mark.parametrize("kwargs, match", [
    ({"changes": {"onbording": 0.8}}, "unknown phase"),
    ({"changes": {"onboarding": -1}}, ">= 0"),
    ({"changes": {"onboarding": 0.8}, "discount_rate": 8}, "looks like a percent"),
    ({"changes": {"onboarding": 0.8}, "horizon": 0}, "horizon"),
    ({"changes": {"onboarding": 0.8}, "confidence": 95}, "confidence"),
    ({"changes": {"onboarding": 0.8}, "arpa": 100, "gross_margin": 60}, "gross_margin"),
])
def test_what_if_validates(kwargs, match):
    with pytest.raises(DataError, match=match):
        PhaseModel(0.5, 2.8, [1.15, 1, 0.85]).what_if(**kwargs)


def test_sorting_share_is_one_without_phase_effects_and_zero_without_differences():
    # Phases that change nobody's hazard: the whole rise is sorting.
    no_phase = PhaseModel(0.5, 2.8, [1.0, 1.0, 1.0]).sorting_share()
    assert no_phase["sorting_share"] == pytest.approx(1.0)
    # Customers (almost) all alike (Beta with a tiny spread): no sorting, the rise is all phase.
    alike = PhaseModel(500.0, 2800.0, [1.3, 1.0, 0.7]).sorting_share()
    assert abs(alike["sorting_share"]) < 0.02
    assert alike["rise"] == pytest.approx((1.3 - 0.7) * 500 / 3300, rel=0.02)


def test_phase_continuation_agrees_with_counting_a_large_cohort():
    # A big simulated cohort followed 60 months with no censoring: continuation() on it must
    # agree with the model's pooled phase continuation.
    rng = np.random.default_rng(6)
    p = rng.beta(0.5, 2.8, 200_000)
    phase = np.searchsorted([3, 9], np.arange(60), side="right")
    leave = rng.random((len(p), 60)) < np.minimum(p[:, None] * np.array(TRUE["mult"])[phase], 1)
    churn = np.where(leave.any(axis=1), leave.argmax(axis=1) + 1, 61)
    life = pd.DataFrame({"duration": np.minimum(churn, 60).astype(float), "churned": churn <= 60})
    counted = phases.continuation(life, overall=False)["monthly_hazard"].to_numpy()
    model = PhaseModel(0.5, 2.8, list(TRUE["mult"])).phase_continuation(60)
    np.testing.assert_allclose(counted, model["monthly_hazard"].to_numpy(), rtol=0.03)


def test_sorting_share_interval_from_the_fit(fitted):
    s = fitted.sorting_share()
    assert s["ci_low"] < s["sorting_share"] < s["ci_high"]
    assert s["horizon_months"] == 60
    assert s["rise"] == pytest.approx(s["continuation_last"] - s["continuation_first"])


# ---------------------------------------------------------------------------- bad input

def test_bad_input_is_a_data_error():
    life = _simulate(300, seed=7)
    with pytest.raises(DataError, match="no customer churned"):
        PhaseModel.fit(life.assign(churned=False))
    with pytest.raises(DataError, match="nobody was at risk in phase 'maturity'"):
        PhaseModel.fit(life.assign(duration=np.minimum(life["duration"], 5.0)))
    with pytest.raises(DataError, match="Column 'duration'.*negative"):
        PhaseModel.fit(life.assign(duration=-1.0))
    with pytest.raises(DataError, match="'tenure'"):
        PhaseModel.fit(life, duration_col="tenure")
    with pytest.raises(DataError, match="whole months"):
        PhaseModel.fit(life, boundaries=(2.5, 9))
    with pytest.raises(DataError, match="reference"):
        PhaseModel.fit(life, reference="trial")
    with pytest.raises(DataError, match="alpha and beta"):
        PhaseModel(0.0, 1.0, [1, 1, 1])
    with pytest.raises(DataError, match="multipliers"):
        PhaseModel(0.5, 1.0, [1, -1, 1])
    with pytest.raises(DataError, match="multipliers"):
        PhaseModel(0.5, 1.0, {"trial": 2.0})
