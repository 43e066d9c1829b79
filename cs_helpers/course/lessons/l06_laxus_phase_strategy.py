"""Exercises of notebook 06_laxus_phase_strategy (phase strategy): expected answers computed from the data.

The lesson is ``notebooks/06_laxus_phase_strategy.ipynb``; its solution notebook ``exercises/solutions/06_laxus_phase_strategy.ipynb``
calls ``check("06.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ...assumptions import COURSE
from ...survival import survival_curves
from ..exercise_types import Exercise, Mistake
from ._shared import b2c_lifetimes

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


def _phase_continuation_06(phase: str = "onboarding", plan: str | None = "double") -> float:
    from ... import phases
    life = b2c_lifetimes() if plan is None else b2c_lifetimes()[b2c_lifetimes()["plan"] == plan]
    table = phases.continuation(life, id_col="member_id").set_index("phase")
    return float(table.loc[phase, "monthly_continuation"])


def _median_if_constant_06(continuation: float) -> float:
    """Months until half of a cohort is gone if every month's continuation were ``continuation``."""
    return float(np.log(0.5) / np.log(continuation))


def _km_median_06(plan: str = "double") -> float:
    life = b2c_lifetimes()[b2c_lifetimes()["plan"] == plan]
    return float(survival_curves(life).median().loc["all", "median"])


#: The basis of the 06 what-ifs: the course assumptions (cs_helpers.assumptions.COURSE).
HORIZON_06, DISCOUNT_06 = COURSE.horizon_months, COURSE.annual_discount_rate

#: The phase whose programme exercise 06.5 values (the lesson prints the gains of all members).
PHASE_06_5 = "maturity"


@cache
def _double_life() -> pd.DataFrame:
    life = b2c_lifetimes()
    return life[life["plan"] == "double"]


@cache
def _phase_model_06(segment: str = "double"):
    from ... import phases
    life = _double_life() if segment == "double" else b2c_lifetimes()
    return phases.fit_model(life, id_col="member_id")


def _gain_06(segment: str = "double", horizon: int = HORIZON_06,
             discount_rate: float = DISCOUNT_06, row: str = "gain",
             phase: str = PHASE_06_5) -> float:
    w = _phase_model_06(segment).what_if({phase: 0.8}, horizon=horizon,
                                         discount_rate=discount_rate)
    return float(w.loc[row, "expected_lifetime_months"])


def _homogeneous_gain_06(horizon: int | None = HORIZON_06) -> float:
    from ... import phases
    table = phases.continuation(_double_life(), id_col="member_id")
    w = phases.what_if(table, {PHASE_06_5: 0.8}, horizon=horizon, discount_rate=DISCOUNT_06)
    return float(w["expected_lifetime_months"].diff().iloc[1])


EXERCISES.append(Exercise(
    "06.1", "Monthly continuation in the onboarding phase (the first 3 months) of members who "
    "joined on the double plan (durations as cs.to_lifetimes gives them)",
    expected=_phase_continuation_06, rtol=0.0005, decimals=3,     # shown as 0.870 or 87.0%
    mistakes=(Mistake(lambda: _phase_continuation_06(plan=None),
                      "that is the onboarding continuation of ALL members (the lesson's "
                      "table); keep only the members who joined on the double plan."),
              Mistake(lambda: _phase_continuation_06(plan="single"),
                      "that is the single plan's onboarding continuation."),
              Mistake(lambda: _phase_continuation_06("overall"),
                      "that is their continuation over all phases pooled."),
              Mistake(lambda: 1 - _phase_continuation_06(),
                      "that is the monthly hazard (churn); continuation is 1 - hazard."),
              Mistake(lambda: 100 * _phase_continuation_06(),
                      "that is a percent written as a plain number; give a fraction (0.9) or "
                      "a percent with its sign ('90%').")),
    hints=("cs.phases.continuation(lifetimes_of_double_plan_members, id_col='member_id')",),
    explanation="Cancellations in the phase / member-months spent in it, then 1 - hazard."))

EXERCISES.append(Exercise(
    "06.2", "Members who joined on the double plan: take their monthly continuation over all "
    "phases pooled. If every month's continuation were that rate, after how many months would "
    "half of a new cohort be gone?",
    expected=lambda: _median_if_constant_06(_phase_continuation_06("overall")),
    rtol=0.002, decimals=1,                                        # shown as 13.5 months
    mistakes=(
        Mistake(lambda: 1 / (1 - _phase_continuation_06("overall")),
                "that is the average lifetime at a constant rate (1 / monthly churn); the "
                "question asks when half are gone: log(0.5) / log(continuation)."),
        Mistake(lambda: _median_if_constant_06(_phase_continuation_06("overall", plan=None)),
                "that uses the continuation of all members; keep the members who joined on "
                "the double plan."),
        Mistake(lambda: _median_if_constant_06(0.95),
                "that is the reported 95% (the lesson's example); use the double-plan members' "
                "own rate."),
        Mistake(lambda: _median_if_constant_06(1 - _phase_continuation_06("overall")),
                "you used the monthly churn in place of the continuation."),
        Mistake(lambda: _median_if_constant_06(_phase_continuation_06("maturity")),
                "that uses the maturity phase only; take all phases pooled (the 'overall' row)."),
        Mistake(lambda: _median_if_constant_06(_phase_continuation_06("onboarding")),
                "that uses the onboarding phase only; take all phases pooled (the 'overall' "
                "row)."),
        Mistake(lambda: _km_median_06(),
                "that is their real (Kaplan-Meier) median; the question asks what one constant "
                "rate would give. Compare the two: the gap is the early cancellations."),
    ),
    hints=("cs.phases.continuation(double_plan_lifetimes, id_col='member_id'): the 'overall' "
           "row.",
           "Half are gone when c ** t = 0.5, so t = log(0.5) / log(c)."),
    explanation="Their real median (the Kaplan-Meier curve) is much shorter: one average rate "
                "hides that cancellations crowd into the first months."))

EXERCISES.append(Exercise(
    "06.3", "A report says: 'the share of members on the double plan rises from about a third in "
    "onboarding to half in maturity, so our adoption-phase promotion of the double plan works.' "
    "Which reply is best? "
    "(a) Agreed: a rise of almost 20 points among thousands of members cannot be chance. "
    "(b) Not shown: the rise is sorting, because members who joined on the double plan leave "
    "less. "
    "(c) Not shown yet: most of the rise is members changing plan, but they may have changed "
    "without the promotion. "
    "(d) Agreed: most of the rise is members changing plan after joining, which is what the "
    "promotion asks them to do.",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(
        Mistake(lambda: "a", "the rise is real, but chance is not the question: a real rise can "
                             "have causes other than the promotion (section 5 of notebook 06 "
                             "splits it into sorting and members changing plan)."),
        Mistake(lambda: "b", "section 5 of notebook 06 measures it: sorting explains only a small "
                             "part of this rise (compare the share on the double plan with the "
                             "share who joined on it); most is members changing plan."),
        Mistake(lambda: "d", "members changed plan, but that does not say why: many may upgrade "
                             "without any promotion. Only a comparison with members who did not "
                             "get it can credit the promotion."),
    ),
    hints=("Section 5 of notebook 06 splits the rise in two parts. Which part is larger, and does "
           "either part show what caused it?",),
    explanation="Split the rise (sorting vs members changing plan), then credit the promotion "
                "only against a comparison without it, ideally a random half of members."))

EXERCISES.append(Exercise(
    "06.4", "You can fund one programme that cuts one phase's churn by 20%. How do you choose the "
    "phase?",
    expected=None, kind="judgement",
    model_answer="Compare the LTV gained per new member for each phase on a model in which "
    "members differ (cs.phases.fit_model, then model.what_if), over the course's horizon and "
    "discount rate and with its interval: the gain depends on how many members reach the "
    "phase, how likely they themselves are to leave and how long they stay in it. Do not use "
    "the homogeneous approximation (phases.what_if): it overstates early-phase programmes. "
    "Then weigh each gain against the programme's cost and how sure you are it works (test it "
    "on a random half of new members first)."))

EXERCISES.append(Exercise(
    "06.5", "Fit the phase model to the members who joined on the double plan. By how many "
    f"discounted months ({HORIZON_06} months, {DISCOUNT_06:.0%} a year: the course assumptions) "
    f"does 20% less churn in {PHASE_06_5} raise a new double-plan member's expected lifetime?",
    expected=_gain_06, rtol=0.0, decimals=2,                # the lesson's table shows 2 decimals
    mistakes=(
        Mistake(lambda: _homogeneous_gain_06(),
                "that is the homogeneous approximation (cs.phases.what_if), which treats every "
                "member of a phase alike and overstates the gain; use the fitted model's "
                "what_if."),
        Mistake(lambda: _homogeneous_gain_06(None),
                "that is the homogeneous approximation with no horizon; use the fitted model "
                f"over {HORIZON_06} months."),
        Mistake(lambda: _gain_06("all"),
                "that is the gain for all members; fit the model to double-plan members only."),
        Mistake(lambda: _gain_06(discount_rate=0.0),
                f"that gain is not discounted: pass discount_rate={DISCOUNT_06}."),
        Mistake(lambda: _gain_06(row="what-if"),
                "that is the expected lifetime after the change; the question asks for the "
                "gain (what-if minus baseline)."),
        Mistake(lambda: _gain_06(phase="onboarding"),
                f"that is the gain from the onboarding programme; the question asks about "
                f"{PHASE_06_5}."),
    ),
    hints=("model = cs.phases.fit_model(double_members_lifetimes, id_col='member_id')",
           f"model.what_if({{'{PHASE_06_5}': 0.8}}, horizon=COURSE.horizon_months, "
           "discount_rate=COURSE.annual_discount_rate).loc['gain', 'expected_lifetime_months']"),
    explanation="The model knows that the members a programme keeps are not average members, "
                "so its gain is below what treating every member of the phase alike "
                "suggests."))
