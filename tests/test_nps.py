"""NPS: categories, score, standard error by hand, interval coverage, comparisons, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_within_bounds(scores):
    assert -100 <= nps.score(scores) <= 100


@pytest.mark.parametrize("bad, words", [
    ([3, 11], ["scores must lie in 0..10", "1 of 2"]),
    ([3, 7.5], ["whole numbers"]),
    ([3, None], ["numbers (not missing"]),
    ([], ["empty"]),
])
def test_bad_scores_are_data_errors(bad, words):
    with pytest.raises(cs.DataError) as err:
        nps.summary(pd.Series(bad, dtype=object, name="score"))
    for w in words:
        assert w in str(err.value)
