"""Kaplan-Meier read at whole months recovers the true survival curve (calendar months).

The simulation cancels subscriptions on monthly anniversaries of the start (the billing dates).
With calendar-month durations an anniversary cancel is exactly 1, 2, 3... months, so the curve
read at whole months is unbiased; with 30.4375-day months it was about 9 points too high at
month 1 (issue 11, item 1). The truth is ``simulate.true_survival``, the survival of a new
customer under the model that generated the data.
"""

from __future__ import annotations

import numpy as np
import pytest

import cs_helpers as cs
from cs_helpers import simulate

MONTHS = [1, 2, 3, 6, 9, 12, 24, 36, 48]


def _curve(table, id_col, start_col, end_col, month="calendar", alpha=0.01):
    life = cs.to_lifetimes(table, id_col=id_col, start_col=start_col, end_col=end_col,
                           month=month)
    return cs.survival_curves(life, alpha=alpha)


def _inside(curves, truth, months):
    kmf = curves.fitters["all"]
    est = kmf.survival_function_at_times(months).to_numpy()
    ci = kmf.confidence_interval_survival_function_
    idx = np.searchsorted(ci.index.to_numpy(), months, side="right") - 1
    low, high = ci.iloc[idx, 0].to_numpy(), ci.iloc[idx, 1].to_numpy()
    true = truth.loc[months].to_numpy()
    return est, low, high, true


@pytest.mark.parametrize("business", ["b2c", "b2b"])
def test_km_at_whole_months_covers_the_true_survival(business, b2c_seed7, b2b_seed7):
    if business == "b2c":
        curves = _curve(b2c_seed7["b2c_members"], "member_id", "join_date", "cancel_date")
    else:
        curves = _curve(b2b_seed7["b2b_accounts"], "account_id", "start_date", "end_date")
    truth = simulate.true_survival(business, max(MONTHS), n=200_000)
    est, low, high, true = _inside(curves, truth, MONTHS)
    # each point inside its 99% Greenwood interval, and close in absolute terms
    assert np.all((low <= true) & (true <= high)), list(zip(MONTHS, est, true, strict=True))
    assert np.max(np.abs(est - true)) < 0.02


def test_average_months_miss_the_truth_at_month_one(b2c_seed7):
    # the old 30.4375-day convention: a member leaving on the first billing date after a
    # 31-day month gets 1.02 months and counts as a survivor of month 1
    truth = simulate.true_survival("b2c", 3, n=200_000)
    members = b2c_seed7["b2c_members"]
    old = _curve(members, "member_id", "join_date", "cancel_date", month="average")
    est, low, high, true = _inside(old, truth, [1, 2])
    assert np.all(est - true > 0.05) and np.all(low > true)
