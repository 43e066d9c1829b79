"""Exercises of notebook 03_kpi_churn (churn rate): expected answers computed from the data.

The lesson is ``notebooks/03_kpi_churn.ipynb``; its solution notebook ``exercises/solutions/03_kpi_churn.ipynb``
calls ``check("03.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ...churn import annualize, churn_rate
from ...survival import survival_curves
from ..exercise_types import Exercise, Mistake
from ._shared import B2C, b2c_lifetimes, b2c_members

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


#: The month exercise 03.1 asks about.
MONTH_03_1 = "2025-06"
#: The calendar year exercise 03.2 asks about (the lesson converts the last 12 months and 2025).
YEAR_03_2 = 2024
#: The acquisition channel and the tenure of exercise 03.3 (the lesson shows all members and plans).
CHANNEL_03_3, MONTHS_03_3 = "Referral", 12


@cache
def _monthly() -> pd.DataFrame:
    return churn_rate(b2c_members(), **B2C)


def _row_03_1() -> pd.Series:
    return _monthly().loc[pd.Period(MONTH_03_1, "M")]


def _months_of(year: int) -> pd.DataFrame:
    table = _monthly()
    return table[table.index.year == year]


def _pooled_year(year: int = YEAR_03_2) -> float:
    months = _months_of(year)
    return float(months["churned"].sum() / months["active_start"].sum())


def _pooled_last_12() -> float:
    last = _monthly()[_monthly()["complete"]].tail(12)
    return float(last["churned"].sum() / last["active_start"].sum())


def _measured_year(year: int = YEAR_03_2) -> float:
    """The year's churn measured directly: cancelled during it / active on 1 January."""
    table = churn_rate(b2c_members(), freq="Y", **B2C)
    return float(table.loc[pd.Period(str(year), "Y"), "churn_rate"])


def _channel(channel: str | None = CHANNEL_03_3) -> pd.DataFrame:
    life = b2c_lifetimes()
    return life if channel is None else life[life["channel"] == channel]


def _km_channel(channel: str | None = CHANNEL_03_3, months: int = MONTHS_03_3) -> float:
    return float(survival_curves(_channel(channel)).survival_at(months).iloc[0, 0])


def _old_enough_channel(months: int = MONTHS_03_3) -> float:
    """The lesson's other right method: only members who joined ``months`` or more before the
    observation date, all of whom had the full window."""
    life = _channel()
    as_of = b2c_members().attrs["as_of"]
    old = life[life["join_date"] <= as_of - pd.DateOffset(months=months)]
    return float(1 - (old["churned"] & (old["duration"] <= months)).mean())


def _naive_channel(censored_as: str) -> float:
    life = _channel()
    left = life["churned"] & (life["duration"] <= MONTHS_03_3)
    if censored_as == "churned":
        left = left | (~life["churned"] & (life["duration"] < MONTHS_03_3))
    return float(1 - left.mean())


EXERCISES.append(Exercise(
    "03.1", f"Monthly churn rate of the B2C club in {MONTH_03_1} (a fraction)",
    expected=lambda: float(_row_03_1()["churn_rate"]),
    decimals=4,                      # the lesson shows churn rates as percents with two decimals
    mistakes=(
        Mistake(lambda: float(_row_03_1()["churned"] / _row_03_1()["active_end"]),
                "you divided by the members active at the END of the month; the article's "
                "denominator is the members active at its START."),
        Mistake(lambda: float((_row_03_1()["churned"] + _row_03_1()["new_and_churned"])
                              / (_row_03_1()["active_start"] + _row_03_1()["new"])),
                "you put the month's new members in the denominator; they were not there at "
                "the start of the month."),
        Mistake(lambda: float(100 * _row_03_1()["churn_rate"]),
                "that is a percentage; give a fraction (e.g. 0.043 for 4.3%)."),
        Mistake(lambda: float(1 - _row_03_1()["churn_rate"]),
                "that is the retention (continuation) rate, 1 - churn."),
    ),
    hints=("Use cs.churn_rate(members, id_col=..., start_col=..., end_col=...) and pick the row.",
           "churn rate = churned during the month / active at the start of the month."),
    explanation="Cancellations during the month divided by members active on its first day."))

EXERCISES.append(Exercise(
    "03.2", f"Pool the monthly churn of the twelve months of {YEAR_03_2} (all cancellations / all "
    "members active at the start of those months) and convert it to an annual rate",
    expected=lambda: float(annualize(_pooled_year())),
    decimals=3,                      # the lesson shows annual churn as a percent with one decimal
    rtol=0.001,
    mistakes=(
        Mistake(lambda: 12 * _pooled_year(),
                "12 x monthly overstates annual churn: a member can only leave once. Use "
                "1 - (1 - m) ** 12 (cs.annualize)."),
        Mistake(_pooled_year, "that is the monthly rate; the question asks for the annual one."),
        Mistake(lambda: float(annualize(_months_of(YEAR_03_2)["churn_rate"].mean())),
                "you averaged the twelve monthly rates (trap 4); pool them instead: all "
                "cancellations divided by all members active at the start of the months."),
        Mistake(_measured_year,
                f"that is the churn measured over the year (cs.churn_rate(..., freq='Y'): "
                f"members active on 1 January {YEAR_03_2} who left during it). The question asks "
                "for the conversion of the pooled monthly rate."),
        Mistake(lambda: float(annualize(_pooled_year(YEAR_03_2 + 1))),
                f"that is {YEAR_03_2 + 1}, the year the lesson converts; the question asks for "
                f"{YEAR_03_2}."),
        Mistake(lambda: float(annualize(_pooled_last_12())),
                "that is the lesson's window (the last twelve complete months); the question "
                f"asks for the calendar year {YEAR_03_2}."),
    ),
    hints=(f"Keep the rows of cs.churn_rate(...) whose period is in {YEAR_03_2}: "
           f"table[table.index.year == {YEAR_03_2}].",
           "Pool: sum of churned / sum of active_start. Then annual = 1 - (1 - monthly) ** 12, "
           "or cs.annualize(monthly)."),
    explanation="Pool the 12 months, then annualize with 1 - (1 - m)^12."))

EXERCISES.append(Exercise(
    "03.3", f"Share of members who joined through the {CHANNEL_03_3} channel still subscribed "
    f"{MONTHS_03_3} months after joining",
    expected=_km_channel,
    also_right=(_old_enough_channel,),
    decimals=3,                      # the lesson shows survival as a percent with one decimal
    rtol=0.002,
    mistakes=(
        Mistake(lambda: _naive_channel("survivors"),
                "you counted every member who has not cancelled within 12 months as a "
                "survivor, including recent members observed for less than 12 months "
                "(censored). Use the Kaplan-Meier curve, or only members who joined 12+ months "
                "before the observation date."),
        Mistake(lambda: _naive_channel("churned"),
                "you counted recent members who are still subscribed as churned (trap 5): they "
                "are censored, not gone."),
        Mistake(lambda: 1 - _km_channel(),
                "that is the share who LEFT within 12 months; the question asks who stayed."),
        Mistake(lambda: _km_channel(None),
                f"that is all members; keep only those whose channel is '{CHANNEL_03_3}'."),
    ),
    hints=(f"Shape the members with cs.to_lifetimes, keep channel == '{CHANNEL_03_3}'.",
           "cs.survival_curves(...).survival_at(12)"),
    explanation="Kaplan-Meier uses each member for as long as they were observed; counting only "
                "members old enough to have had the full 12 months gives nearly the same share "
                "from fewer members."))

EXERCISES.append(Exercise(
    "03.4", "A dashboard shows 'churn = members who ever cancelled / all members ever' and it "
    "rises every year. Which trap is it: (a) end-of-period denominator, (b) new members in the "
    "denominator, (c) it is not a rate: it mixes members of every age and grows as the business "
    "ages, (d) averaging monthly rates?",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(Mistake(lambda: "d", "averaging rates is a different trap; here no monthly rate "
                                   "is computed at all."),),
    hints=("Over what period is that 'rate' measured? Who is in its denominator?",),
    explanation="It is a cumulative share, not a rate per period: it can only grow."))

EXERCISES.append(Exercise(
    "03.5", "The log-rank test comparing single and double plans gives a tiny p-value. Does the "
    "double plan make members stay longer?",
    expected=None, kind="judgement",
    model_answer="Not necessarily. The test says the two retention curves differ by more than "
    "chance would explain. It does not say why: members who expect to rent a lot may choose the "
    "double plan and would have stayed anyway (self-selection), and members can switch plans. "
    "Nor does it give a size: read that from the curves (a gap of a few points, opened in the "
    "first months). To learn the effect of the plan, offer an upgrade to a random half of "
    "single-plan members and compare the halves."))
