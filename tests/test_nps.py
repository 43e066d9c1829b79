"""NPS: categories, score, standard error by hand, interval coverage, comparisons, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import cs_helpers as cs
from cs_helpers import nps

TEN = [10, 10, 9, 8, 7, 6, 3, 10, 9, 5]      # 5 promoters, 2 passives, 3 detractors


def test_categories_at_the_boundaries():
    cats = nps.categorize([0, 6, 7, 8, 9, 10])
    assert list(cats) == ["detractor"] * 2 + ["passive"] * 2 + ["promoter"] * 2
    assert cats.ordered


def test_summary_by_hand():
    s = nps.summary(TEN)
    assert (s["promoters"], s["passives"], s["detractors"]) == (0.5, 0.2, 0.3)
    assert s["nps"] == pytest.approx(20)
    var = (0.5 + 0.3) - (0.5 - 0.3) ** 2                  # 0.76
    assert s["se"] == pytest.approx(100 * np.sqrt(var / 10))
    assert s["margin"] == pytest.approx(1.959964 * s["se"], rel=1e-6)
    assert s["ci_low"] == pytest.approx(20 - s["margin"])


def test_published_margin_of_error_example():
    # whuber, Cross Validated (stats.stackexchange.com/a/18609): 1/2 promoters, 1/3 passives,
    # 1/6 detractors -> NPS 1/3, per-respondent variance 5/9 (sd about 0.75); with n = 324 the
    # answer reports an NPS of about 33% with a standard error of about 4.1%.
    scores = [10] * 162 + [8] * 108 + [2] * 54
    s = nps.summary(scores)
    assert s["nps"] == pytest.approx(100 / 3)
    assert s["se"] == pytest.approx(100 * np.sqrt(5 / 9 / 324))
    assert round(s["se"], 1) == 4.1


def test_interval_is_clipped_to_the_scale():
    s = nps.summary([10, 10, 10, 9])
    assert s["nps"] == 100 and s["ci_high"] == 100


def test_interval_coverage_by_simulation():
    rng = np.random.default_rng(5)
    probs = np.array([0.05] * 7 + [0.1, 0.15] + [0.2, 0.2])     # scores 0..10
    probs = probs / probs.sum()
    true = 100 * (probs[9:].sum() - probs[:7].sum())
    hits = 0
    for _ in range(2000):
        s = nps.summary(rng.choice(11, 200, p=probs))
        hits += s["ci_low"] <= true <= s["ci_high"]
    assert 0.93 <= hits / 2000 <= 0.97


def test_compare_by_hand():
    a, b = [10] * 30 + [5] * 10, [10] * 20 + [5] * 20
    r = nps.compare(a, b)
    se = np.hypot(nps.summary(a)["se"], nps.summary(b)["se"])
    assert r["difference"] == 50 and r["se"] == pytest.approx(se)
    assert r["p_value"] < 0.05 and r["ci_low"] > 0


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


def test_compare_p_value_by_hand():
    # a: 20 promoters, 20 detractors (NPS 0, var 1); b: 40 passives (NPS 0, var 0)
    r = nps.compare([10] * 20 + [0] * 20, [7] * 40)
    assert r["difference"] == 0 and r["se"] == pytest.approx(100 * np.sqrt(1 / 40))
    assert r["p_value"] == pytest.approx(1.0)
    r = nps.compare([10] * 30 + [0] * 10, [0] * 30 + [10] * 10)   # 50 vs -50, var 0.75 each
    z = 100 / (100 * np.sqrt(2 * 0.75 / 40))
    assert r["z"] == pytest.approx(z)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(z))


def test_a_whole_table_is_refused():
    with pytest.raises(cs.DataError, match="one column"):
        nps.score(pd.DataFrame({"score": [9, 10]}))
    assert nps.score(pd.DataFrame({"score": [9, 10]})["score"]) == 100


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
