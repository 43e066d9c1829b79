"""NPS: categories, score, intervals by hand and by simulation, clustering, comparisons, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import cs_helpers as cs
from cs_helpers import nps

TEN = [10, 10, 9, 8, 7, 6, 3, 10, 9, 5]      # 5 promoters, 2 passives, 3 detractors
Z95 = stats.norm.ppf(0.975)
quiet = pytest.mark.filterwarnings("ignore::cs_helpers.DataWarning")   # small samples on purpose


def test_categories_at_the_boundaries():
    cats = nps.categorize([0, 6, 7, 8, 9, 10])
    assert list(cats) == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 2
    assert cats.ordered
    assert list(nps.CATEGORY_COLORS) == nps.CATEGORIES


@quiet
def test_wald_summary_by_hand():
    s = nps.summary(TEN, method="wald")
    assert (s["promoters"], s["passives"], s["detractors"]) == (0.5, 0.2, 0.3)
    assert s["nps"] == pytest.approx(20)
    var = (0.5 + 0.3) - (0.5 - 0.3) ** 2                  # 0.76
    assert s["se"] == pytest.approx(100 * np.sqrt(var / 10))
    assert s["margin"] == pytest.approx(1.959964 * s["se"], rel=1e-6)
    assert s["ci_low"] == pytest.approx(20 - s["margin"])


@quiet
def test_adjusted_summary_by_hand():
    # Rocks (2016): 3/4 more promoters and detractors, 3 more answers: 5.75 and 3.75 of 13.
    s = nps.summary(TEN)
    pt, dt = 5.75 / 13, 3.75 / 13
    se = 100 * np.sqrt((pt + dt - (pt - dt) ** 2) / 13)
    assert s["nps"] == pytest.approx(20)                  # the point estimate stays plain
    assert s["se"] == pytest.approx(se)
    assert s["ci_low"] == pytest.approx(100 * (pt - dt) - Z95 * se)
    assert s["ci_high"] == pytest.approx(100 * (pt - dt) + Z95 * se)
    assert s["margin"] == pytest.approx(Z95 * se)


def test_published_margin_of_error_example():
    # whuber, Cross Validated (stats.stackexchange.com/a/18609): 1/2 promoters, 1/3 passives,
    # 1/6 detractors -> NPS 1/3, per-respondent variance 5/9 (sd about 0.75); with n = 324 the
    # answer reports an NPS of about 33% with a standard error of about 4.1%.
    scores = [10] * 162 + [8] * 108 + [2] * 54
    s = nps.summary(scores, method="wald")
    assert s["nps"] == pytest.approx(100 / 3)
    assert s["se"] == pytest.approx(100 * np.sqrt(5 / 9 / 324))
    assert round(s["se"], 1) == 4.1
    assert round(nps.summary(scores)["se"], 1) == 4.1     # adjusted: the same at this size


def test_summary_is_from_counts_on_the_course_data():
    answers = cs.datasets.load("b2b_nps")
    s = nps.summary(answers["score"])
    c = answers["score"].pipe(nps.categorize).value_counts()
    f = nps.from_counts(c["promoter"], c["passive"], c["detractor"]).iloc[0]
    pd.testing.assert_series_equal(s, f.astype(float).rename("nps"))


@quiet
def test_interval_is_clipped_to_the_scale():
    s = nps.summary([10, 10, 10, 9])
    assert s["nps"] == 100 and s["ci_high"] == 100 and s["ci_low"] < 100


@quiet
def test_five_promoters_get_a_real_interval():
    s = nps.summary([10, 9, 10, 10, 9])
    # by hand: p~ = 5.75/8, d~ = 0.75/8, centre 62.5, variance 0.421875/8
    se = 100 * np.sqrt((5.75 / 8 + 0.75 / 8 - (5 / 8) ** 2) / 8)
    assert s["se"] == pytest.approx(se) and s["se"] > 20
    assert s["ci_low"] == pytest.approx(62.5 - Z95 * se)      # about 17.5
    assert s["ci_high"] == 100
    wald = nps.summary([10, 9, 10, 10, 9], method="wald")      # the old, degenerate interval
    assert (wald["se"], wald["ci_low"], wald["ci_high"]) == (0, 100, 100)


# -- coverage --------------------------------------------------------------------------------

#: True shares (promoters, passives, detractors): the course's mix, promoter-dominated ones
#: (the last is the setting of issue 11: Wald covers 65% at n = 10, 84% at n = 40),
#: polarised, and detractor-dominated.
PATTERNS = {"course mix": (0.36, 0.33, 0.31), "70% promoters": (0.7, 0.2, 0.1),
            "80% promoters": (0.8, 0.15, 0.05), "90% promoters": (0.9, 0.08, 0.02),
            "polarised": (0.45, 0.1, 0.45), "70% detractors": (0.1, 0.2, 0.7)}


def _simulated_coverage(n: int, shares: tuple, method: str, reps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, shares, size=reps)             # vectorised: reps surveys
    ci = nps.from_counts(counts[:, 0], counts[:, 1], counts[:, 2], method=method)
    true = 100 * (shares[0] - shares[2])
    return float(np.mean((ci["ci_low"] <= true) & (true <= ci["ci_high"])))


def _exact_coverage(n: int, shares: tuple, method: str) -> float:
    """Coverage summed over every possible survey of n answers (multinomial probabilities)."""
    P, D = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = P + D <= n
    P, D = P[keep], D[keep]
    prob = stats.multinomial.pmf(np.stack([P, n - P - D, D], axis=1), n, shares)
    ci = nps.from_counts(P, n - P - D, D, method=method)
    true = 100 * (shares[0] - shares[2])
    return float(np.sum(prob * ((ci["ci_low"] <= true) & (true <= ci["ci_high"]))))


@pytest.mark.parametrize("n", [10, 40, 100])
@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_adjusted_interval_keeps_its_coverage(n, pattern):
    shares = PATTERNS[pattern]
    simulated = _simulated_coverage(n, shares, "adjusted", reps=20_000, seed=n)
    assert 0.92 <= simulated <= 0.98, (pattern, n, simulated)
    # 20,000 surveys: the simulated coverage is within 0.01 of the exact one (SE ~ 0.0016)
    assert simulated == pytest.approx(_exact_coverage(n, shares, "adjusted"), abs=0.01)


def test_wald_interval_fails_in_the_same_setting():
    shares = PATTERNS["90% promoters"]
    at_10 = _simulated_coverage(10, shares, "wald", reps=20_000, seed=10)
    at_40 = _simulated_coverage(40, shares, "wald", reps=20_000, seed=40)
    assert at_10 < 0.70 and at_40 < 0.88                    # issue 11: 65% and 84%
    assert _exact_coverage(10, shares, "wald") == pytest.approx(0.649, abs=0.001)
    assert _exact_coverage(40, shares, "wald") == pytest.approx(0.836, abs=0.001)
    # ...where the adjusted interval stays in the band (the parametrised test above)
    assert _exact_coverage(10, shares, "adjusted") > 0.92


def test_adjusted_interval_contains_the_plain_nps_from_two_answers_on():
    for n in range(2, 61):
        P, D = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        keep = P + D <= n
        ci = nps.from_counts(P[keep], n - P[keep] - D[keep], D[keep])
        assert ((ci["ci_low"] <= ci["nps"] + 1e-9) & (ci["nps"] <= ci["ci_high"] + 1e-9)).all()
        assert (ci["se"] > 0).all()


# -- comparisons -----------------------------------------------------------------------------

@quiet
def test_compare_by_hand():
    a, b = [10] * 30 + [5] * 10, [10] * 20 + [5] * 20
    r = nps.compare(a, b)
    sa, sb = nps.summary(a), nps.summary(b)
    se = np.hypot(sa["se"], sb["se"])
    centre = 100 * ((30.75 - 10.75) / 43 - (20.75 - 20.75) / 43)   # adjusted centres
    assert r["difference"] == 50 and r["se"] == pytest.approx(se)
    assert r["z"] == pytest.approx(centre / se)
    assert r["ci_low"] == pytest.approx(centre - Z95 * se)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(centre / se))
    assert r["p_value"] < 0.05 and r["ci_low"] > 0


@quiet
def test_wald_compare_p_value_by_hand():
    # a: 20 promoters, 20 detractors (NPS 0, var 1); b: 40 passives (NPS 0, var 0)
    r = nps.compare([10] * 20 + [0] * 20, [7] * 40, method="wald")
    assert r["difference"] == 0 and r["se"] == pytest.approx(100 * np.sqrt(1 / 40))
    assert r["p_value"] == pytest.approx(1.0)
    r = nps.compare([10] * 30 + [0] * 10, [0] * 30 + [10] * 10, method="wald")
    z = 100 / (100 * np.sqrt(2 * 0.75 / 40))                        # 50 vs -50, var 0.75 each
    assert r["z"] == pytest.approx(z)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(z))


@quiet
@pytest.mark.parametrize("a, b", [([10] * 5, [10] * 5), ([10] * 5, [0] * 5),
                                  ([10] * 5, [10] * 4 + [8]), ([7] * 3, [0] * 8),
                                  ([10], [0])])
def test_degenerate_samples_never_give_p_zero(a, b):
    r = nps.compare(a, b)
    assert r["se"] > 0 and 0 < r["p_value"] <= 1
    assert r["ci_low"] < r["ci_high"]
    # the old method: one-category samples have SE 0, and now say so with NaN, never p = 0
    w = nps.compare([10] * 5, [0] * 5, method="wald")
    assert np.isnan(w["p_value"]) and np.isnan(w["se"])


@quiet
@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60),
       st.lists(st.integers(0, 10), min_size=1, max_size=60),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_compare_interval_and_p_value_agree(a, b, confidence):
    r = nps.compare(a, b, confidence)
    assert r["se"] > 0 and r["p_value"] > 0
    excludes_zero = r["ci_low"] > 0 or r["ci_high"] < 0
    assert excludes_zero == (r["p_value"] < 1 - confidence)


# -- clustering ------------------------------------------------------------------------------

TINY = pd.DataFrame({"account": ["a", "a", "b", "b", "c", "c"],
                     "score": [10, 9, 3, 0, 8, 10]})      # values +1 +1 -1 -1 0 +1


def _sandwich_se(values, groups) -> float:
    """Cluster-robust SE of an intercept-only OLS, written as matrices (an independent route)."""
    y = np.asarray(values, dtype=float)
    X = np.ones((len(y), 1))
    bread = np.linalg.inv(X.T @ X)
    resid = y - X @ (bread @ X.T @ y)
    labels = pd.factorize(pd.Series(groups))[0]
    G = labels.max() + 1
    meat = sum((X[labels == g].T @ resid[labels == g])[:, None]
               @ (X[labels == g].T @ resid[labels == g])[None, :] for g in range(G))
    n, k = X.shape
    c = G / (G - 1) * (n - 1) / (n - k)                       # CR1, as Stata and statsmodels
    return float(np.sqrt(c * (bread @ meat @ bread)[0, 0]))


def test_cluster_robust_se_by_hand():
    # mean 1/6; residuals summed per account: a 10/6, b -14/6, c 4/6 -> 312/36
    v_cr1 = 3 / 2 * (312 / 36) / 6 ** 2                       # G/(G-1) sum T_g^2 / n^2
    v_ind = (174 / 36) / (6 * 5)                              # sum e^2 / (n (n - 1))
    s = nps.summary(TINY["score"], cluster=TINY["account"], method="wald", min_n=3)
    assert s["se"] == pytest.approx(100 * np.sqrt(v_cr1))
    assert s["se"] == pytest.approx(100 * _sandwich_se([1, 1, -1, -1, 0, 1], TINY["account"]))
    assert s["design_effect"] == pytest.approx(v_cr1 / v_ind)  # 2.241
    assert s["clusters"] == 3 and s["nps"] == pytest.approx(100 / 6)
    adj = nps.summary(TINY["score"], cluster=TINY["account"], min_n=3)
    plain = nps.summary(TINY["score"], min_n=3)
    assert adj["se"] == pytest.approx(plain["se"] * np.sqrt(v_cr1 / v_ind))   # widened by deff


def test_cluster_robust_se_matches_the_matrix_sandwich_on_uneven_clusters():
    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 7, 150)
    ids = np.repeat(np.arange(150), sizes)
    health = np.repeat(rng.normal(0, 1.5, 150), sizes)
    scores = np.clip(np.round(7 + health + rng.normal(0, 1.3, len(ids))), 0, 10).astype(int)
    s = nps.summary(scores, cluster=ids, method="wald")
    values = np.select([scores >= 9, scores <= 6], [1, -1], 0)
    assert s["se"] == pytest.approx(100 * _sandwich_se(values, ids), rel=1e-10)
    assert s["clusters"] == 150 and s["design_effect"] > 1.5


def test_cluster_robust_se_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    answers = cs.datasets.load("b2b_nps")
    values = 100 * np.select([answers["score"] >= 9, answers["score"] <= 6], [1.0, -1.0], 0.0)
    fit = sm.OLS(values, np.ones(len(values))).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(answers["account_id"])[0]})
    s = nps.summary(answers["score"], cluster=answers["account_id"], method="wald")
    assert s["se"] == pytest.approx(float(fit.bse[0]), rel=1e-9)


def test_one_answer_per_cluster_is_no_design_effect():
    scores = [10, 9, 3, 0, 8, 10, 7, 2, 9, 9]
    s = nps.summary(scores, cluster=list("abcdefghij"), method="wald", min_n=1)
    x = np.array([1, 1, -1, -1, 0, 1, 0, -1, 1, 1])
    assert s["design_effect"] == pytest.approx(1.0)
    assert s["se"] == pytest.approx(100 * x.std(ddof=1) / np.sqrt(10))
    a = nps.summary(scores, cluster=list("abcdefghij"), min_n=1)
    assert a["se"] == pytest.approx(nps.summary(scores, min_n=1)["se"])


def test_a_design_effect_below_one_never_narrows_the_interval():
    scores, ids = [10, 9, 3, 10, 8, 0], ["a", "a", "a", "b", "b", "c"]   # deff 0.53
    s = nps.summary(scores, cluster=ids, min_n=1)
    assert s["design_effect"] < 1
    assert s["se"] == pytest.approx(nps.summary(scores, min_n=1)["se"])


def test_fewer_than_two_clusters_have_no_se():
    with pytest.warns(cs.DataWarning, match="no margin of error"):
        s = nps.summary([10, 9, 3], cluster=["a", "a", "a"])
    assert s["clusters"] == 1 and s["nps"] == pytest.approx(100 / 3)
    assert np.isnan(s["se"]) and np.isnan(s["ci_low"]) and np.isnan(s["design_effect"])


def test_by_with_clusters_matches_summary_per_group():
    answers = cs.datasets.load("b2b_nps").merge(
        cs.datasets.load("b2b_accounts")[["account_id", "plan"]], on="account_id")
    table = nps.by(answers, "plan", cluster="account_id")
    assert {"clusters", "design_effect", "small_sample"} <= set(table.columns)
    for plan, row in table.iterrows():
        part = answers[answers["plan"] == plan]
        s = nps.summary(part["score"], cluster=part["account_id"])
        pd.testing.assert_series_equal(row[s.index].astype(float), s, check_names=False)
        assert row["clusters"] == part["account_id"].nunique()


def test_course_data_clustered_vs_naive():
    """Issue 11: 4,346 answers from 2,082 accounts; the SE shown was 1.44x too small."""
    answers = cs.datasets.load("b2b_nps").merge(
        cs.datasets.load("b2b_accounts")[["account_id", "plan"]], on="account_id")
    naive = nps.summary(answers["score"], method="wald")
    clustered = nps.summary(answers["score"], cluster=answers["account_id"], method="wald")
    assert (naive["n"], clustered["clusters"]) == (4346, 2082)
    assert clustered["se"] / naive["se"] == pytest.approx(1.44, abs=0.01)
    assert clustered["design_effect"] == pytest.approx(1.44 ** 2, abs=0.03)
    default = nps.summary(answers["score"], cluster=answers["account_id"])   # adjusted, widened
    assert default["margin"] == pytest.approx(3.5, abs=0.05)
    assert nps.summary(answers["score"])["margin"] == pytest.approx(2.4, abs=0.05)

    lite, std = answers["plan"] == "Lite", answers["plan"] == "Standard"
    a, b = answers[lite], answers[std]
    p_naive = nps.compare(a["score"], b["score"])["p_value"]
    p_cluster = nps.compare(a["score"], b["score"],
                            cluster=(a["account_id"], b["account_id"]))["p_value"]
    assert p_naive == pytest.approx(0.153, abs=0.01)
    assert p_cluster == pytest.approx(0.32, abs=0.01)


def test_compare_warns_when_the_groups_share_clusters():
    d = pd.DataFrame({"id": list("abcde") * 2, "score": [10, 9, 3, 8, 7, 9, 10, 2, 8, 6]})
    with pytest.warns(cs.DataWarning, match="5 clusters answer in both groups"):
        nps.compare(d["score"][:5], d["score"][5:], cluster=(d["id"][:5], d["id"][5:]),
                    min_n=1)


# -- small samples ---------------------------------------------------------------------------

def test_summary_warns_below_min_n():
    with pytest.warns(cs.DataWarning, match="only 10 answers, fewer than min_n=100"):
        nps.summary(TEN)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nps.summary(TEN, min_n=10)                        # at min_n: no warning
    with pytest.warns(cs.DataWarning, match=r"only 3 clusters \(accounts\)"):
        nps.summary(TINY["score"], cluster=TINY["account"], min_n=4)
    with pytest.warns(cs.DataWarning, match="group b: only 2 answers"):
        nps.compare(TEN, [9, 3], min_n=5)


def test_by_flags_small_samples_by_clusters():
    d = pd.DataFrame({"g": ["x"] * 4 + ["y"] * 3, "acc": ["1", "1", "2", "2", "3", "4", "5"],
                      "score": [9, 10, 1, 2, 10, 8, 7]})
    assert nps.by(d, "g", min_n=3)["small_sample"].tolist() == [False, False]
    t = nps.by(d, "g", min_n=3, cluster="acc")
    assert t["clusters"].tolist() == [2, 3] and t["small_sample"].tolist() == [True, False]


# -- by --------------------------------------------------------------------------------------

def test_by_segment_and_period_on_course_data():
    answers = cs.datasets.load("b2b_nps")
    q = nps.by(answers, "survey_date", freq="Q")
    assert q["n"].sum() == len(answers)
    first = q.index[0]
    part = answers[answers["survey_date"].dt.to_period("Q") == first]["score"]
    assert q.loc[first, "nps"] == pytest.approx(nps.score(part))
    small = nps.by(pd.DataFrame({"g": ["x", "y", "y"], "score": [9, 1, 10]}), "g", min_n=2)
    assert small["small_sample"].tolist() == [True, False]


def test_by_with_groupers_lists_and_missing_segments():
    d = pd.DataFrame({"plan": ["A", "B", "A", "B", None],
                      "date": ["2024-01-05", "2024-02-01", "2024-05-01", "2024-07-01",
                               "2024-08-01"],
                      "score": [10, 3, 9, 8, 7]})
    two = nps.by(d, ["plan", pd.Grouper(key="date", freq="QE")])
    assert two.index.names == ["plan", "date"]
    assert two["n"].sum() == 5 and len(two) == 5
    assert two.loc[("B", pd.Period("2024Q1")), "nps"] == -100
    one = nps.by(d, "plan")
    assert one["n"].tolist() == [2, 2, 1]                # the missing plan keeps its own row
    assert one["nps"].tolist() == [100, -50, 0]
    monthly = nps.by(d, "date", freq="ME")
    assert list(monthly.index.astype(str)) == ["2024-01", "2024-02", "2024-05", "2024-07",
                                               "2024-08"]
    with pytest.raises(ValueError, match="pd.Grouper"):
        nps.by(d, ["plan", "date"], freq="Q")
    with pytest.raises(cs.DataError, match="Column 'segment'"):
        nps.by(d, "segment")


# -- errors ----------------------------------------------------------------------------------

def test_a_whole_table_is_refused():
    with pytest.raises(cs.DataError, match="one column"):
        nps.score(pd.DataFrame({"score": [9, 10]}))
    assert nps.score(pd.DataFrame({"score": [9, 10]})["score"]) == 100


@pytest.mark.parametrize("bad, words", [
    (95, ["confidence", "looks like a percent: pass 0.95"]),
    (0, ["confidence", "above 0"]),
    (1, ["confidence", "below 1"]),
    (-0.5, ["confidence"]),
    (float("nan"), ["confidence"]),
    (None, ["confidence"]),
    ("high", ["confidence"]),
    ([0.9, 0.95], ["confidence", "one number"]),
])
def test_bad_confidence_is_a_data_error(bad, words):
    d = pd.DataFrame({"g": ["x", "y"], "score": [9, 3]})
    for call in (lambda: nps.summary(TEN, bad, min_n=1), lambda: nps.compare(TEN, TEN, bad),
                 lambda: nps.by(d, "g", confidence=bad), lambda: nps.from_counts(1, 1, 1, bad)):
        with pytest.raises(cs.DataError) as err:
            call()
        for w in words:
            assert w in str(err.value)


def test_cluster_errors():
    with pytest.raises(cs.DataError, match="10 answers and 9 cluster ids"):
        nps.summary(TEN, cluster=list("abcdefghi"))
    ids = pd.Series(["a", "b", None, "c", np.nan, "d", "e", "f", "g", "h"], name="account_id")
    with pytest.raises(cs.DataError) as err:
        nps.summary(pd.Series(TEN, name="score"), cluster=ids)
    msg = str(err.value)
    assert "Column 'account_id'" in msg and "must not be missing" in msg
    assert "2 of 10 rows" in msg and "row labels: 2, 4" in msg
    with pytest.raises(cs.DataError, match="different row labels"):
        nps.summary(pd.Series(TEN, index=range(10, 20)), cluster=ids.fillna("z"))
    with pytest.raises(cs.DataError, match="pair"):
        nps.compare(TEN, TEN, cluster=list("abcdefghij"))
    with pytest.raises(cs.DataError, match="10 answers and 3 cluster ids"):
        nps.compare(TEN, TEN, cluster=(list("abcdefghij"), list("abc")))
    with pytest.raises(cs.DataError, match="one cluster id"):
        nps.summary(TEN, cluster="account_id")
    d = pd.DataFrame({"g": ["x", "y", "y"], "acc": ["a", None, "b"], "score": [9, 1, 10]})
    with pytest.raises(cs.DataError, match=r"Column 'acc'.*1 of 3 rows.*row labels: 1"):
        nps.by(d, "g", cluster="acc")
    with pytest.raises(cs.DataError, match="Column 'account_id'"):
        nps.by(d, "g", cluster="account_id")
    with pytest.raises(cs.DataError, match="method"):
        nps.summary(TEN, method="bootstrap")


def test_bad_scores_name_the_cluster_ids():
    with pytest.raises(cs.DataError, match=r"scores must lie in 0..10.*first ids: b"):
        nps.summary(pd.Series([9, 11]), cluster=pd.Series(["a", "b"], name="account_id"))


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_within_bounds(scores):
    assert -100 <= nps.score(scores) <= 100


@pytest.mark.parametrize("bad, words", [
    ([3, 11], ["scores must lie in 0..10", "1 of 2"]),
    ([3, 7.5], ["whole numbers"]),
    ([3, None], ["numbers (not missing"]),
    ([], ["empty"]),
    ([3, -1, 12, 5], ["scores must lie in 0..10", "2 of 4"]),
    (["x", 3], ["not text", "first row labels: 0"]),
])
def test_bad_scores_are_data_errors(bad, words):
    with pytest.raises(cs.DataError) as err:
        nps.summary(pd.Series(bad, dtype=object, name="score"))
    for w in words:
        assert w in str(err.value)


def test_bad_counts_are_data_errors():
    with pytest.raises(cs.DataError, match="whole numbers"):
        nps.from_counts(1.5, 2, 3)
    with pytest.raises(cs.DataError, match="at least one answer"):
        nps.from_counts([1, 0], [1, 0], [1, 0])
