"""Late entry recovers the truth: an export that begins at a date (``observed_from``).

Billing systems are often exported "since 2024-01-01": customers who left before then are
missing, while long-standing customers who were still active are present. Fitted as if every
customer were followed from its start, such a table makes survival look far better than it is;
with ``entry`` (months of life already behind each customer when observation began) the
Kaplan-Meier curve recovers the true survival of a new customer (issue 11, item 2).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers import simulate

MONTHS = [1, 3, 6, 12, 24, 36]


def test_export_since_a_date_with_entry_recovers_the_true_curve(b2c_seed7):
    members = b2c_seed7["b2c_members"]
    kw = dict(id_col="member_id", start_col="join_date", end_col="cancel_date")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.DataWarning)       # the early leavers left out
        life = cs.to_lifetimes(members, observed_from="2024-01-01", **kw)
    assert (life["entry"] > 0).mean() > 0.2                  # many entered late
    truth = simulate.true_survival("b2c", max(MONTHS)).loc[MONTHS].to_numpy()

    late = cs.survival_curves(life, entry_col="entry", alpha=0.01).fitters["all"]
    est = late.survival_function_at_times(MONTHS).to_numpy()
    ci = late.confidence_interval_survival_function_
    pos = np.searchsorted(ci.index.to_numpy(), MONTHS, side="right") - 1
    low, high = ci.iloc[pos, 0].to_numpy(), ci.iloc[pos, 1].to_numpy()
    assert np.all((low <= truth) & (truth <= high)), list(zip(MONTHS, est, truth, strict=True))

    # ignoring the late entry: the survivors of earlier years pass for the whole population
    naive = cs.survival_curves(life.drop(columns="entry")).fitters["all"]
    naive_est = naive.survival_function_at_times(MONTHS).to_numpy()
    assert np.all(naive_est[2:] - truth[2:] > 0.05)


@pytest.mark.slow
def test_late_entry_group_comparison_keeps_its_size(b2c_seed7):
    # Under the null (groups drawn at random), the late-entry comparison rejects about as often
    # as it should: 40 random splits of the export, p < 0.05 in at most 5 of them.
    members = b2c_seed7["b2c_members"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.DataWarning)
        life = cs.to_lifetimes(members, id_col="member_id", start_col="join_date",
                               end_col="cancel_date", observed_from="2024-01-01")
    rng = np.random.default_rng(3)
    small = life.sample(4000, random_state=1).reset_index(drop=True)
    rejected = 0
    for _ in range(40):
        split = small.assign(half=pd.Series(rng.integers(0, 2, len(small))).map({0: "a", 1: "b"}))
        p = cs.survival_curves(split, by="half", entry_col="entry").compare().loc["all",
                                                                                 "p_value"]
        rejected += p < 0.05
    assert rejected <= 5
