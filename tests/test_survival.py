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


# --------------------------------------------------------------------------------------------
# late entry (left truncation)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def late(life) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    entry = np.floor(rng.uniform(0, 1, len(life)) * life["duration"].to_numpy())
    return life.assign(entry=entry)


def test_late_entry_curves_equal_lifelines_on_raw_rows(late):
    curves = cs.survival_curves(late, by="plan", entry_col="entry")
    assert "entry" in curves.counts.columns and curves.entry_col == "entry"
    for plan, kmf in curves.fitters.items():
        part = late[late["plan"] == plan]
        raw = KaplanMeierFitter().fit(part["duration"], part["churned"], entry=part["entry"])
        np.testing.assert_allclose(kmf.survival_function_.to_numpy(),
                                   raw.survival_function_.to_numpy())
        np.testing.assert_allclose(kmf.confidence_interval_.to_numpy(),
                                   raw.confidence_interval_.to_numpy())
        np.testing.assert_array_equal(kmf.event_table["at_risk"], raw.event_table["at_risk"])
    assert curves.median()["customers"].sum() == len(late)
    # late entry removes survivors' head start: the curve falls faster than ignoring it
    ignored = cs.survival_curves(late, by="plan")
    assert (curves.survival_at(24).iloc[:, 0] < ignored.survival_at(24).iloc[:, 0]).all()


def test_late_entry_comparison_is_a_cox_likelihood_ratio_test(late):
    from lifelines import CoxPHFitter

    comp = cs.survival_curves(late, by="plan", entry_col="entry").compare()
    assert comp.attrs["test"] == "Cox likelihood-ratio with late entry"
    x = pd.get_dummies(late["plan"], drop_first=True, dtype=float)
    x[["duration", "churned", "entry"]] = late[["duration", "churned", "entry"]]
    raw = CoxPHFitter().fit(x, "duration", "churned", entry_col="entry")
    expected = raw.log_likelihood_ratio_test()
    # whole-month durations have many ties; lifelines handles ties (Efron) slightly
    # differently for frequency weights than for repeated rows: close, not identical
    assert comp.loc["all", "test_statistic"] == pytest.approx(expected.test_statistic,
                                                              rel=0.03)
    assert comp.loc["all", "df"] == 2
    assert cs.survival_curves(late, by="plan").compare().attrs["test"] == "log-rank"
    # without ties, the counts and the raw rows give the same test exactly
    rng = np.random.default_rng(3)
    n = 800
    plan = rng.choice(["a", "b", "c"], n)
    t = rng.exponential(np.where(plan == "a", 10, 14))
    c = rng.uniform(1, 40, n)
    d = np.minimum(t, c)
    cont = pd.DataFrame({"duration": d, "churned": t <= c, "plan": plan,
                         "entry": rng.uniform(0, 1, n) * d})
    comp = cs.survival_curves(cont, by="plan", entry_col="entry").compare()
    x = pd.get_dummies(cont["plan"], drop_first=True, dtype=float)
    x[["duration", "churned", "entry"]] = cont[["duration", "churned", "entry"]]
    expected = CoxPHFitter().fit(x, "duration", "churned", entry_col="entry")\
        .log_likelihood_ratio_test()
    assert comp.loc["all", "test_statistic"] == pytest.approx(expected.test_statistic,
                                                              rel=1e-9)
    assert comp.loc["all", "p_value"] == pytest.approx(expected.p_value, rel=1e-6)


@pytest.mark.parametrize("entry, words", [
    ([0.0, -1.0, 0.0], ["'entry'", "must not be negative", "1 of 3"]),
    ([0.0, 5.0, 0.0], ["'entry'", "must not be after the end of the follow-up", "1 of 3"]),
    ([0.0, None, 0.0], ["'entry'", "must be numbers", "1 of 3"]),
])
def test_bad_entry_is_a_data_error(entry, words):
    life = pd.DataFrame({"duration": [1.0, 2.0, 3.0], "churned": [True, False, True],
                         "entry": entry})
    with pytest.raises(cs.DataError) as err:
        cs.survival_curves(life, entry_col="entry")
    for w in words:
        assert w in str(err.value)


def test_survival_at_past_the_data_is_unknown_not_the_last_value():
    life = pd.DataFrame({"duration": [1.0, 2.0, 3.0, 10.0], "churned": [True, False, False, False],
                         "g": ["a", "a", "a", "b"]})
    curves = cs.survival_curves(life, by="g")
    with pytest.warns(cs.DataWarning, match=r"t = 5 months is past the last follow-up of 'a'"):
        table = curves.survival_at([1, 5])
    assert table.loc["a", 1.0] == pytest.approx(2 / 3)
    assert np.isnan(table.loc["a", 5.0]) and table.loc["b", 5.0] == 1.0
    # a curve that has reached 0 is known to stay there
    gone = pd.DataFrame({"duration": [1.0, 2.0], "churned": [True, True]})
    import warnings as w
    with w.catch_warnings():
        w.simplefilter("error")
        assert cs.survival_curves(gone).survival_at(7).iloc[0, 0] == 0.0


def test_empty_observations_are_left_out_loudly():
    life = pd.DataFrame({"duration": [0.0, 0.0, 2.0, 3.0, 4.0],
                         "churned": [True, False, True, False, True],
                         "entry": [0.0, 0.0, 0.0, 1.0, 0.0]})
    with pytest.warns(cs.DataWarning, match=r"2 customers have an empty observation .* 1 of "
                                            r"them churned at that moment"):
        curves = cs.survival_curves(life, entry_col="entry")
    assert curves.counts["customers"].sum() == 5
    assert curves.median()["customers"].iloc[0] == 5
