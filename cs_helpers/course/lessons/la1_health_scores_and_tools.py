"""Exercises of notebook A1_health_scores_and_tools (health scores): expected answers computed from the data.

The lesson is ``notebooks/A1_health_scores_and_tools.ipynb``; its solution notebook ``exercises/solutions/A1_health_scores_and_tools.ipynb``
calls ``check("A1.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import datasets
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_accounts, b2b_nps_answers

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


SCORE_MONTH_A1 = "2026-03-01"
#: The month exercises A1.1 and A1.2 ask about (the lesson scores March 2026).
MONTH_A1_1 = "2024-09-01"


@cache
def _health_a1(month: str = SCORE_MONTH_A1) -> pd.DataFrame:
    from ... import health
    usage = datasets.load("b2b_usage_monthly")
    scores = health.score(usage, as_of=month)
    return scores.assign(status=health.status(scores["health"]))


@cache
def _backtest_a1(month: str = SCORE_MONTH_A1, horizon: int = 6) -> float:
    import warnings

    from ... import health
    from ...errors import DataWarning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = health.backtest(datasets.load("b2b_usage_monthly"), b2b_accounts(),
                                 as_of=month, horizon=horizon)
    return float(result.auc)


EXERCISES.append(Exercise(
    "A1.1", "How many active accounts are RED in September 2024 (as_of='2024-09-01') with the "
    "default signals and thresholds?",
    expected=lambda: float((_health_a1(MONTH_A1_1)["status"] == "red").sum()), rtol=0,
    decimals=0,
    mistakes=(Mistake(lambda: float((_health_a1(MONTH_A1_1)["status"] == "green").sum()),
                      "that is the number of green accounts."),
              Mistake(lambda: float((_health_a1(MONTH_A1_1)["status"] == "yellow").sum()),
                      "that is the number of yellow accounts."),
              Mistake(lambda: float((_health_a1(MONTH_A1_1)["status"] == "red").mean()),
                      "that is the share of red accounts; the question asks how many."),
              Mistake(lambda: float((_health_a1()["status"] == "red").sum()),
                      "that is March 2026, the lesson's scoring month; score September 2024 "
                      "(as_of='2024-09-01').")),
    hints=("cs.health.score(usage, as_of='2024-09-01'), then cs.health.status(scores['health']).",),
    explanation="Red: health below 40."))

EXERCISES.append(Exercise(
    "A1.2", "AUC of the default health score scored in September 2024 (as_of='2024-09-01') "
    "against churn in the next 6 months (cs.health.backtest)",
    expected=lambda: _backtest_a1(MONTH_A1_1), rtol=0, decimals=2,
    mistakes=(Mistake(lambda: 1 - _backtest_a1(MONTH_A1_1),
                      "that is 1 - AUC: check the direction."),
              Mistake(lambda: _backtest_a1(MONTH_A1_1, horizon=3),
                      "that is churn within 3 months; the question asks for 6 (horizon=6)."),
              Mistake(lambda: _backtest_a1(),
                      "that is March 2026, the lesson's scoring month; score September 2024.")),
    hints=("cs.health.backtest(usage, accounts, as_of='2024-09-01', horizon=6).auc",),
    explanation="0.5 is a coin toss; 1.0 a perfect ranking. Close to the lesson's March 2026 "
    "value: the score ranks accounts about as well at both dates."))

EXERCISES.append(Exercise(
    "A1.3", "An analyst tunes the score's weights on churn from April to September 2026 and then "
    "back-tests it on the same months. What is wrong? (a) nothing, (b) look-ahead: the test "
    "uses the data the score was tuned on, so it looks better than it will be in use, "
    "(c) the thresholds are wrong",
    expected=lambda: "b", kind="choice", choices=("a", "b", "c"),
    mistakes=(Mistake(lambda: "a", "a score tested on the data it was tuned on always looks "
                                   "better than it will be: test on a later period."),),
    explanation="Tune on one period, test on a later one."))

EXERCISES.append(Exercise(
    "A1.4", "Your team can make 60 proactive calls a month. How would you set the red threshold?",
    expected=None, kind="judgement",
    model_answer="So that red accounts are about as many as the team can call (around 60 a "
    "month), checking in the back-test that those accounts really churn more; move accounts "
    "between yellow and green with lighter-touch actions (emails, webinars), and revisit the "
    "threshold as the team or the alert volume changes. The same goes for alerts: count the "
    "accounts with a new alert each month (cs.health.alert_history), and if they are several "
    "times the capacity, rank them (cs.health.worklist) by what you want to protect and give "
    "the rest a lighter touch."))

#: The months exercises A1.5 and A1.6 ask about (not shown in the lesson).
MONTH_A1_5 = "2024-10-01"
MONTH_A1_6 = "2024-09-01"


@cache
def _alert_history_a1(month: str, ramp_on: bool) -> pd.DataFrame:
    from ... import health
    return health.alert_history(
        datasets.load("b2b_usage_monthly"), [month], nps=b2b_nps_answers(),
        tickets=datasets.load("b2b_tickets"), accounts=b2b_accounts(),
        ramp=health.DEFAULT_RAMP if ramp_on else None)


def _young_share_a1(rule: str | None, ramp_on: bool) -> float:
    a = _alert_history_a1(MONTH_A1_6, ramp_on)
    if rule is not None:
        a = a[a["rule"] == rule]
    return float((a["tenure_months"] < 6).mean())


def _young_base_a1() -> float:
    usage = datasets.load("b2b_usage_monthly")
    ids = usage.loc[usage["month"] == MONTH_A1_6, "account_id"]
    start = b2b_accounts().set_index("account_id").loc[ids, "start_date"].dt.to_period("M")
    month = pd.Period(MONTH_A1_6, "M")
    return float(np.mean([(month - s).n < 6 for s in start]))


EXERCISES.append(Exercise(
    "A1.5", "How many accounts had at least one NEW alert in October 2024 (default rules, ramp "
    "allowance on, with the NPS answers, the tickets and the accounts table)?",
    expected=lambda: float(_alert_history_a1(MONTH_A1_5, True).query("new")["account_id"]
                           .nunique()), rtol=0, decimals=0,
    mistakes=(Mistake(lambda: float(_alert_history_a1(MONTH_A1_5, True)["account_id"].nunique()),
                      "that counts every account with an alert, including alerts that already "
                      "fired the month before (open tasks): keep the rows where new is True."),
              Mistake(lambda: float(_alert_history_a1(MONTH_A1_5, True)["new"].sum()),
                      "that counts new alerts, not accounts: one account with two new alerts is "
                      "still one call. Count distinct account_id."),
              Mistake(lambda: float(_alert_history_a1(MONTH_A1_5, False).query("new")
                                    ["account_id"].nunique()),
                      "that is without the ramp allowance (ramp=None); the question asks for "
                      "the default rules.")),
    hints=("cs.health.alert_history(usage, ['2024-10-01'], nps=answers, tickets=tickets, "
           "accounts=accounts)",
           "Keep the rows where new is True, then count distinct account_id."),
    explanation="October is a survey month: the detractors of the new wave add to the list."))

EXERCISES.append(Exercise(
    "A1.6", "Without the ramp allowance (ramp=None), what share of the low-utilisation alerts "
    "of September 2024 are for accounts under 6 months (tenure_months < 6)? (a fraction)",
    expected=lambda: _young_share_a1("low_utilisation", False), rtol=0, decimals=2,
    mistakes=(Mistake(lambda: _young_share_a1("low_utilisation", True),
                      "that is with the ramp allowance (the default); the question asks for "
                      "ramp=None."),
              Mistake(_young_base_a1,
                      "that is the share of ALL active accounts that are under 6 months: "
                      "compare it with the share among the low-utilisation alerts."),
              Mistake(lambda: _young_share_a1(None, False),
                      "that is the share among all alerts; keep the low_utilisation rule only."),
              Mistake(lambda: 100 * _young_share_a1("low_utilisation", False),
                      "that is a percentage; give a fraction (e.g. 0.5 for 50%).")),
    hints=("cs.health.alerts(usage, as_of='2024-09-01', accounts=accounts, ramp=None)",
           "Keep rule == 'low_utilisation', then (tenure_months < 6).mean()."),
    explanation="Most low-usage alarms are the onboarding ramp, not risk: compare with the "
    "share of new accounts among all active ones."))

EXERCISES.append(Exercise(
    "A1.7", "In a back-test an alert rule has lift 1.0 (95% interval 0.6-1.4) for churn within "
    "6 months. What does it tell you? (a) it flags every account that churns; (b) the accounts "
    "it flags churn no more often than other accounts, so calls on its alerts are spent as if "
    "at random; (c) it is the best rule, since its interval is the widest",
    expected=lambda: "b", kind="choice", choices=("a", "b", "c"),
    mistakes=(Mistake(lambda: "a", "lift compares the churn rate of flagged accounts with all "
                                   "accounts; it says nothing about catching every churner."),
              Mistake(lambda: "c", "a wide interval means the data say little, not that the "
                                   "rule is good; its centre, 1.0, means no better than "
                                   "chance.")),
    explanation="Lift 1 = no better than picking accounts at random; drop or rework the rule."))
