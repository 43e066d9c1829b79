"""Kaplan-Meier on aggregated counts equals lifelines on the raw rows."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test

import cs_helpers as cs

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def life() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 3000
    plan = rng.choice(["basic", "pro", "max"], n)
    t = rng.geometric(np.where(plan == "pro", 0.04, 0.07)).astype(float)   # whole months: ties
    censor = rng.integers(1, 60, n).astype(float)
    return pd.DataFrame({"duration": np.minimum(t, censor), "churned": t <= censor,
                         "plan": plan})


def test_hand_computed_curve():
    life = pd.DataFrame({"duration": [1, 2, 2, 3, 4, 5.0],
                         "churned": [True, True, False, True, False, False]})
    s = cs.survival_curves(life).survival_at([0, 1, 2, 3, 5]).iloc[0].to_numpy()
    np.testing.assert_allclose(s, [1, 5 / 6, 5 / 6 * 4 / 5, 5 / 6 * 4 / 5 * 2 / 3,
                                   5 / 6 * 4 / 5 * 2 / 3])


def test_curves_and_intervals_equal_lifelines_on_raw_rows(life):
    curves = cs.survival_curves(life, by="plan")
    for plan, kmf in curves.fitters.items():
        part = life[life["plan"] == plan]
        raw = KaplanMeierFitter().fit(part["duration"], part["churned"])
        np.testing.assert_allclose(kmf.survival_function_.to_numpy(),
                                   raw.survival_function_.to_numpy())
        np.testing.assert_allclose(kmf.confidence_interval_.to_numpy(),
                                   raw.confidence_interval_.to_numpy())
        assert kmf.median_survival_time_ == raw.median_survival_time_
        np.testing.assert_array_equal(kmf.event_table["at_risk"], raw.event_table["at_risk"])


def test_log_rank_equals_lifelines_on_raw_rows(life):
    comp = cs.survival_curves(life, by="plan").compare()
    raw = multivariate_logrank_test(life["duration"], life["plan"], life["churned"])
    assert comp.loc["all", "p_value"] == pytest.approx(raw.p_value, rel=1e-9)
    assert comp.loc["all", "test_statistic"] == pytest.approx(raw.test_statistic, rel=1e-9)
    a, b = life[life["plan"] == "basic"], life[life["plan"] == "max"]
    pair = logrank_test(a["duration"], b["duration"], a["churned"], b["churned"])
    assert comp.loc["basic vs max", "p_value"] == pytest.approx(pair.p_value, rel=1e-9)


def test_median_table_says_when_the_median_is_not_reached():
    life = pd.DataFrame({"duration": [1.0, 2, 3, 4], "churned": [True, False, False, False]})
    m = cs.survival_curves(life).median()
    assert not m.loc["all", "reached"] and np.isinf(m.loc["all", "median"])
    assert m.loc["all", "customers"] == 4 and m.loc["all", "churned"] == 1


def test_table_plot_and_categorical_order(life):
    life = life.assign(plan=pd.Categorical(life["plan"], ["max", "pro", "basic"]))
    curves = cs.survival_curves(life, by="plan")
    assert curves.labels == ["max", "pro", "basic"]
    table = curves.table()
    assert set(table.columns) == {"group", "timeline", "survival", "ci_lower", "ci_upper",
                                  "at_risk"}
    ax = curves.plot()
    assert ax.get_title() and "Months" in ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="two groups"):
        cs.survival_curves(life).compare()


def test_errors_are_data_errors():
    with pytest.raises(cs.DataError, match="'duration'"):
        cs.survival_curves(pd.DataFrame({"churned": [True]}))
    with pytest.raises(cs.DataError, match="must not be negative"):
        cs.survival_curves(pd.DataFrame({"duration": [-1.0, 2.0], "churned": [True, False]}))
    with pytest.raises(cs.DataError, match="churn flags"):
        cs.survival_curves(pd.DataFrame({"duration": [1.0], "churned": ["perhaps"]}))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=60))
def test_survival_is_non_increasing_within_0_1(rows):
    life = pd.DataFrame(rows, columns=["duration", "churned"]).astype({"duration": float})
    sf = cs.survival_curves(life).table()["survival"].to_numpy()
    assert ((sf >= 0) & (sf <= 1)).all() and (np.diff(sf) <= 1e-12).all()


def test_median_interval_equals_lifelines_on_raw_rows(life):
    from lifelines.utils import median_survival_times
    m = cs.survival_curves(life, by="plan").median()
    for plan in ("basic", "pro", "max"):
        part = life[life["plan"] == plan]
        raw = KaplanMeierFitter().fit(part["duration"], part["churned"])
        ci = median_survival_times(raw.confidence_interval_)
        assert m.loc[plan, "median"] == raw.median_survival_time_
        assert (m.loc[plan, "ci_lower"], m.loc[plan, "ci_upper"]) == tuple(ci.iloc[0])


def test_continuous_durations_in_many_groups_count_sparsely_and_still_match():
    # 300 groups x 5000 distinct durations (3M keys > 4 x rows): the sparse np.unique path.
    rng = np.random.default_rng(3)
    n = 5000
    life = pd.DataFrame({"duration": rng.exponential(20, n), "churned": rng.random(n) < 0.7,
                         "seg": rng.integers(0, 300, n)})
    counts = cs.survival.aggregate_lifetimes(life, by="seg")
    assert counts["customers"].sum() == n and len(counts) == n
    curves = cs.survival_curves(life, by="seg")
    for seg in (0, 17):
        part = life[life["seg"] == seg]
        raw = KaplanMeierFitter().fit(part["duration"], part["churned"])
        np.testing.assert_allclose(curves.fitters[str(seg)].survival_function_.to_numpy(),
                                   raw.survival_function_.to_numpy())
