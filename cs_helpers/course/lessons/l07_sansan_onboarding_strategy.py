"""Exercises of notebook 07_sansan_onboarding_strategy (onboarding): expected answers computed from the data.

The lesson is ``notebooks/07_sansan_onboarding_strategy.ipynb``; its solution notebook ``exercises/solutions/07_sansan_onboarding_strategy.ipynb``
calls ``check("07.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ...churn import annualize, churn_rate
from ...lifetimes import to_lifetimes
from .. import datasets
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_accounts, onboarded_within

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


REPORTED_CHURN_07 = 0.006
#: The landmark of exercise 07.3, in calendar months after the start (the lesson uses 3).
LANDMARK_07_3 = 2


@cache
def _company_churn_07() -> float:
    """Our company's monthly churn as notebook 07 section 1 measures it: cancellations /
    accounts active at the start of the month, pooled over the last 12 complete months."""
    company = churn_rate(b2b_accounts(), id_col="account_id")
    last12 = company[company["complete"]].tail(12)
    return float(last12["churned"].sum() / last12["active_start"].sum())


def _median_years(churn: float) -> float:
    return float(np.log(0.5) / np.log(1 - churn) / 12)


def _onboarded_by_landmark(months: int) -> pd.Series:
    """True for accounts that completed all four milestones on or before the landmark date
    (the start date plus ``months`` calendar months), as notebook 07 defines "onboarded"."""
    ob = datasets.load("b2b_onboarding").merge(b2b_accounts()[["account_id", "start_date"]])
    by_then = ob[ob["completed_date"] <= ob["start_date"] + pd.DateOffset(months=months)]
    return by_then.groupby("account_id").size().eq(4)


def _landmark_rate(months: int, *, landmark: float | None = None, count_from: float | None = None,
                   onboarded: pd.Series | None = None) -> float:
    """Monthly churn after the landmark of accounts onboarded by then (events / account-months).

    The keywords build the recognised mistakes: another landmark duration (``landmark``),
    exposure counted from another time (``count_from``), another onboarding definition."""
    life = to_lifetimes(b2b_accounts(), id_col="account_id")
    landmark = float(months) if landmark is None else landmark
    count_from = landmark if count_from is None else count_from
    onboarded = _onboarded_by_landmark(months) if onboarded is None else onboarded
    alive = life[life["duration"] > landmark]
    part = alive[alive["account_id"].map(onboarded).eq(True).to_numpy()]
    return float(part["churned"].sum() / (part["duration"] - count_from).sum())


def _landmark_rate_by_phases(months: int) -> float:
    """The same rate the way notebook 07 computes it: ``cs.phases.continuation`` with the
    landmark as the phase boundary, the row "after" the landmark of the onboarded group."""
    from ...phases import continuation

    life = to_lifetimes(b2b_accounts(), id_col="account_id")
    life = life[life["duration"] > months].assign(
        onboarded=lambda t: t["account_id"].map(_onboarded_by_landmark(months)).eq(True)
        .to_numpy())
    rates = continuation(life, boundaries=(months,), by="onboarded", id_col="account_id",
                         labels=["before", "after"])
    row = rates[(rates["phase"] == "after") & rates["onboarded"]]
    return float(row["monthly_hazard"].iloc[0])


def _naive_ever() -> float:
    acc = b2b_accounts()
    life = to_lifetimes(acc, id_col="account_id")
    ob = datasets.load("b2b_onboarding").dropna(subset=["completed_date"])
    ever = ob.groupby("account_id").size().eq(4)
    part = life[life["account_id"].map(ever).eq(True).to_numpy()]
    return float(part["churned"].sum() / part["duration"].sum())


EXERCISES.append(Exercise(
    "07.1", "Median customer lifetime, in YEARS, at OUR company's monthly churn (all accounts, "
    "last 12 complete months, as in section 1), if that churn stayed constant",
    expected=lambda: _median_years(_company_churn_07()), decimals=1,
    mistakes=(
        Mistake(lambda: 1 / _company_churn_07() / 12,
                "that is the expected (average) lifetime, 1 / churn; the median is the age by "
                "which half have left: log(0.5) / log(1 - churn)."),
        Mistake(lambda: 12 * _median_years(_company_churn_07()),
                "that is in months; the question asks for years (divide by 12)."),
        Mistake(lambda: _median_years(REPORTED_CHURN_07),
                "that is the median at the reported 0.60% (Sansan's figure); use our company's "
                "churn from section 1."),
        Mistake(lambda: 0.5 / _company_churn_07() / 12,
                "half the average lifetime is not the median: with a constant churn use "
                "log(0.5) / log(1 - churn) months."),
    ),
    hints=("Section 1 computes our company's monthly churn (cs.churn_rate, the last 12 complete "
           "months pooled). Section 1's table shows the median formula.",
           "np.log(0.5) / np.log(1 - churn) months, then divide by 12."),
    explanation="Half of the customers would be gone well before the average lifetime: a few "
    "very long lives pull the average up."))

EXERCISES.append(Exercise(
    "07.2", "Annual churn equivalent to OUR company's monthly churn of section 1 (a fraction)",
    expected=lambda: float(annualize(_company_churn_07())), decimals=3,
    mistakes=(
        Mistake(lambda: 12 * _company_churn_07(),
                "12 x monthly overstates annual churn; use 1 - (1 - c)^12."),
        Mistake(lambda: float(annualize(REPORTED_CHURN_07)),
                "that is the reported 0.60% converted (Sansan's figure); use our company's "
                "churn from section 1."),
        Mistake(lambda: 100 * float(annualize(_company_churn_07())),
                "that is a percentage; give a fraction (e.g. 0.1 for 10%)."),
    ),
    hints=("cs.annualize(monthly_churn), with our company's churn of section 1.",),
    explanation="1 - (1 - c)^12: compare it with the reported figure converted the same way."))

EXERCISES.append(Exercise(
    "07.3", "Landmark at month 2: among accounts still customers 2 months after their start that "
    "had completed all four milestones by then (on or before the start date + 2 calendar months), "
    "monthly churn after the landmark (churn events / account-months followed after month 2)",
    expected=lambda: _landmark_rate(LANDMARK_07_3), decimals=4,
    also_right=(lambda: _landmark_rate_by_phases(LANDMARK_07_3),),
    mistakes=(
        Mistake(_naive_ever,
                "you compared accounts that EVER completed onboarding, from their start: "
                "that credits onboarding with the survival it required (immortal-time "
                "bias). Keep accounts alive at month 2 and count from month 2."),
        Mistake(lambda: _landmark_rate(LANDMARK_07_3, count_from=0.0),
                "you kept the right accounts but counted their months from the start; count "
                "only the months after the landmark (duration - 2)."),
        Mistake(lambda: _landmark_rate(3),
                "that is the lesson's landmark at month 3; this exercise moves it to month 2."),
        Mistake(lambda: _landmark_rate(LANDMARK_07_3, landmark=60 / 30.4375,
                                      onboarded=onboarded_within(60)),
                "you used day 60 and 60 / 30.4375 months; durations are calendar months, so the "
                "landmark is exactly 2.0, the second monthly anniversary of the start."),
        Mistake(lambda: _landmark_rate(LANDMARK_07_3, onboarded=onboarded_within(60)),
                "you counted milestones done within 60 days; the landmark is the date 2 calendar "
                "months after the start (59 to 62 days): start_date + pd.DateOffset(months=2)."),
    ),
    hints=("Keep accounts whose duration is above 2 (calendar months).",
           "'Onboarded' = all four milestones with completed_date <= start_date + "
           "pd.DateOffset(months=2). Divide their churn events by the months each was followed "
           "after month 2 (duration - 2), or use cs.phases.continuation with boundaries=(2,) as "
           "the lesson's helper does."),
    explanation="Both groups start alive at the landmark and are grouped by what they had done "
    "by then, so nobody gets immortal time."))

EXERCISES.append(Exercise(
    "07.4", "Which design can show that an onboarding programme CAUSES lower churn? (a) compare "
    "completers with non-completers, (b) a landmark analysis, (c) a Cox model adjusting for "
    "size, plan and channel, (d) offering the programme to a random half of new accounts",
    expected=lambda: "d", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(
        Mistake(lambda: "a", "completers had to survive until they completed (immortal time), "
                             "and they may be healthier to begin with."),
        Mistake(lambda: "b", "a landmark analysis removes immortal-time bias, but completers may "
                             "still differ in ways we did not measure."),
        Mistake(lambda: "c", "a Cox model adjusts only for what was measured; motivated "
                             "customers may both complete and stay."),
    ),
    explanation="Randomisation balances the unmeasured differences too."))

EXERCISES.append(Exercise(
    "07.5", "Our accounts onboarded by month 3 churn about 0.60% a month after month 3, like the "
    "0.60% the article reports for Sansan. What follows? (a) onboarding every account would "
    "bring our company to Sansan's level; (b) the two figures are not like for like: Sansan's "
    "is a whole company's churn, ours a subgroup's after its first three months, and our whole "
    "company churns more; (c) our onboarded accounts churn like Sansan's customers, so only the "
    "accounts that do not onboard need attention; (d) the reported figure must be annual, so we "
    "are doing far worse",
    expected=lambda: "b", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(
        Mistake(lambda: "a", "that compares a subgroup's churn with a whole company's, and reads "
                             "an association as an effect (section 5): onboarding everyone would "
                             "not make every account as healthy as those that onboard today."),
        Mistake(lambda: "c", "the reported 0.60% is Sansan's whole company; if all its customers "
                             "together churn that little, its onboarded customers probably churn "
                             "less. A subgroup of ours cannot be compared with it."),
        Mistake(lambda: "d", "the article gives no period; the course reads it as monthly and "
                             "says so. Guessing another period does not make the figures "
                             "comparable."),
    ),
    explanation="Compare like with like: a whole company with a whole company (ours churns more "
    "than the reported figure), a subgroup with the same subgroup measured the same way."))
