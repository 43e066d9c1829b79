"""Exercises of notebook 02_targeting (targeting): expected answers computed from the data.

The lesson is ``notebooks/02_targeting.ipynb``; its solution notebook ``exercises/solutions/02_targeting.ipynb``
calls ``check("02.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ...assumptions import COURSE
from ...lifetimes import to_lifetimes
from ...survival import survival_curves
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_accounts, onboarded_within

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


#: The invented cost table of notebook 02 (section 4): per company size, CS hours per account
#: per month and the cost of acquiring one account (JPY); and the fully loaded cost of a CS hour.
COSTS_02 = {"1-49": (1.0, 300_000.0), "50-249": (2.5, 900_000.0),
            "250-999": (6.0, 2_500_000.0), "1000+": (15.0, 6_000_000.0)}
CS_COST_PER_HOUR_02 = 8_000.0
#: The segment and the variant the 02 exercises ask about (the lesson does not print them).
SIZE_02_1, CHANNEL_02_1 = "1000+", "Outbound"
PLAN_02_3 = "Enterprise"
SIZE_02_4, DISCOUNT_02_4 = "50-249", 0.12


def _success_rate_02(size: str | None = None, channel: str | None = None, *,
                     old_only: bool = True, within_days: int = 90) -> float:
    """Share of accounts (of a company size and/or channel) with all four milestones done within
    ``within_days``, among accounts that started at least 90 days before the observation date."""
    acc = b2b_accounts()
    if old_only:
        acc = acc[acc["start_date"] <= acc.attrs["as_of"] - pd.Timedelta(days=90)]
    if size is not None:
        acc = acc[acc["company_size"] == size]
    if channel is not None:
        acc = acc[acc["channel"] == channel]
    return float(acc["account_id"].map(onboarded_within(within_days)).eq(True).mean())


def _size_vs_success_p_02(channel: str = "Outbound") -> float:
    """p-value of the lesson's chi-square test of company size x onboarded, within a channel."""
    from scipy import stats

    acc = b2b_accounts()
    acc = acc[(acc["start_date"] <= acc.attrs["as_of"] - pd.Timedelta(days=90))
              & (acc["channel"] == channel)]
    done = acc["account_id"].map(onboarded_within(90)).eq(True)
    return float(stats.chi2_contingency(pd.crosstab(acc["company_size"], done)).pvalue)


@cache
def _b2b_life_02() -> pd.DataFrame:
    return to_lifetimes(b2b_accounts(), id_col="account_id")


def _part_02(column: str | None, value: str | None) -> pd.DataFrame:
    life = _b2b_life_02()
    return life if column is None else life[life[column] == value]


def _churn_02(column: str | None, value: str | None) -> float:
    """Churn per account-month: accounts that left / months that accounts were customers."""
    part = _part_02(column, value)
    return float(part["churned"].sum() / part["duration"].sum())


def _months_02(churn: float, discount_rate: float = 0.0, horizon: int | None = None) -> float:
    """Sum over months t = 0..horizon-1 of (1 - churn)^t / (1 + rate)^(t/12), as in notebook 02."""

    t = np.arange(COURSE.horizon_months if horizon is None else horizon)
    return float(((1 - churn) ** t / (1 + discount_rate) ** (t / 12)).sum())


def _km_months_02(column: str, value: str) -> float:
    """The same expected months from the Kaplan-Meier curve (notebook 03's method)."""

    curve = survival_curves(_part_02(column, value))
    return float(curve.survival_at(np.arange(COURSE.horizon_months)).iloc[0].sum())


def _net_value_02(size: str = SIZE_02_4, discount_rate: float = DISCOUNT_02_4, *,
                  discount_ltv: bool = True, discount_cost: bool = True,
                  costs: bool = True, per_yen: bool = False) -> float:
    """Net value of a new account of ``size`` over the course horizon: LTV - acquisition cost -
    CS cost to serve, LTV and CS cost discounted alike (the lesson's ``economics``)."""

    churn = _churn_02("company_size", size)
    arpa = float(_part_02("company_size", size)["mrr"].mean())
    discounted = _months_02(churn, discount_rate)
    plain = _months_02(churn)
    hours, acquisition = COSTS_02[size]
    ltv = arpa * COURSE.b2b.gross_margin * (discounted if discount_ltv else plain)
    serve = hours * CS_COST_PER_HOUR_02 * (discounted if discount_cost else plain)
    if not costs:
        return ltv
    net = ltv - acquisition - serve
    return net / (acquisition + serve) if per_yen else net


EXERCISES.append(Exercise(
    "02.1", f"Onboarding success rate (all four milestones within 90 days) of accounts with "
    f"{SIZE_02_1} employees that came through the {CHANNEL_02_1} channel, among accounts that "
    "started at least 90 days before the observation date (a fraction)",
    expected=lambda: _success_rate_02(SIZE_02_1, CHANNEL_02_1), rtol=0.0, decimals=3,
    mistakes=(Mistake(lambda: _success_rate_02(SIZE_02_1, CHANNEL_02_1, old_only=False),
                      "you included accounts that started less than 90 days ago: they have not "
                      "had their 90 days yet, so they cannot be judged."),
              Mistake(lambda: _success_rate_02(SIZE_02_1, CHANNEL_02_1, within_days=100_000),
                      "that counts milestones completed at any time; success means all four "
                      "within 90 days of the start."),
              Mistake(lambda: _success_rate_02(SIZE_02_1, None),
                      f"that is all {SIZE_02_1}-employee accounts; keep only those that came "
                      f"through {CHANNEL_02_1}."),
              Mistake(lambda: _success_rate_02(None, CHANNEL_02_1),
                      f"that is all {CHANNEL_02_1} accounts; keep only those with {SIZE_02_1} "
                      "employees."),
              Mistake(lambda: 100 * _success_rate_02(SIZE_02_1, CHANNEL_02_1),
                      "that is a percentage; give a fraction (0.5 for 50%).")),
    hints=("Keep accounts with start_date <= accounts.attrs['as_of'] - pd.Timedelta(days=90), "
           "then the size and the channel asked for.",
           "An account succeeded when all four of its milestones have completed_date - "
           "start_date of at most 90 days; the rate is the mean of that flag."),
    explanation="A segment inside a segment: fewer accounts, so a wider interval (try "
    "scipy.stats.binomtest(k, n).proportion_ci(method='wilson'))."))

EXERCISES.append(Exercise(
    "02.2", f"Among {CHANNEL_02_1} accounts only (judged as in the lesson), do the onboarding "
    "success rates of the four company sizes differ by more than chance? Use the lesson's "
    "chi-square test. (a) yes: the p-value is below 0.05; (b) not clearly: the p-value is 0.05 "
    "or more, so differences this large often come from luck alone; (c) the test cannot be "
    "used, because the company sizes have different numbers of accounts",
    expected=lambda: "a" if _size_vs_success_p_02(CHANNEL_02_1) < 0.05 else "b",
    kind="choice", choices=("a", "b", "c"),
    mistakes=(Mistake(lambda: "b" if _size_vs_success_p_02(CHANNEL_02_1) < 0.05 else "a",
                      "compute the p-value: stats.chi2_contingency(pd.crosstab(size, onboarded))"
                      ".pvalue, and compare it with 0.05."),
              Mistake(lambda: "c", "the chi-square test compares groups of any size; it takes "
                                   "their numbers of accounts into account.")),
    hints=("Keep the judged Outbound accounts, then pd.crosstab(company_size, onboarded).",
           "stats.chi2_contingency(table).pvalue"),
    explanation="Over all accounts company size differs by more than chance; within one channel "
    "there are fewer accounts, and the test can no longer tell. Not larger than chance does not "
    "mean no difference: it means these data cannot tell."))

EXERCISES.append(Exercise(
    "02.3", f"Expected months as a customer within the first 60 months for an account on the "
    f"{PLAN_02_3} plan, by the lesson's method (churn per account-month, the "
    "same chance of leaving every month, not discounted)",
    expected=lambda: _months_02(_churn_02("plan", PLAN_02_3)), rtol=0.0, decimals=1,
    also_right=(lambda: _km_months_02("plan", PLAN_02_3),),
    mistakes=(Mistake(lambda: 1 / _churn_02("plan", PLAN_02_3),
                      "1 / churn is the expected lifetime with no end; the question stops at 60 "
                      "months: sum (1 - churn)**t for t = 0..59."),
              Mistake(lambda: _months_02(_churn_02("plan", PLAN_02_3), 0.08),
                      "those are discounted months; the question asks for plain months (no "
                      "discount rate)."),
              Mistake(lambda: _months_02(_churn_02(None, None)),
                      f"that is for all accounts; keep the {PLAN_02_3} accounts only."),
              Mistake(lambda: _months_02(float(_part_02("plan", PLAN_02_3)["churned"]
                                               .mean())),
                      "you used the share of accounts that ever left as a monthly churn; divide "
                      "the accounts that left by the account-months (sum of duration).")),
    hints=("churn = left / account-months = part['churned'].sum() / part['duration'].sum()",
           "t = np.arange(60); ((1 - churn) ** t).sum()"),
    explanation="Notebook 03's retention curve (Kaplan-Meier) gives nearly the same number "
    "without assuming the same chance of leaving every month; both are accepted."))

EXERCISES.append(Exercise(
    "02.4", f"Net value (JPY) of a new {SIZE_02_4}-employee account over 60 months with a discount "
    f"rate of {DISCOUNT_02_4:.0%} a year, everything else as in the lesson (gross margin 80%, the "
    "lesson's cost table, LTV and CS cost to serve discounted alike, acquisition cost paid at "
    "the start)",
    expected=lambda: _net_value_02(), decimals=0,
    mistakes=(Mistake(lambda: _net_value_02(discount_cost=False),
                      "the CS cost to serve is not discounted: it is paid month by month while "
                      "the account stays, like the revenue, so discount it the same way."),
              Mistake(lambda: _net_value_02(discount_ltv=False, discount_cost=False),
                      "nothing is discounted: use discounted months, each month's chance of "
                      f"still being a customer divided by (1 + {DISCOUNT_02_4})**(t/12)."),
              Mistake(lambda: _net_value_02(discount_rate=0.08),
                      f"that is at the course's 8% a year; the question asks for "
                      f"{DISCOUNT_02_4:.0%}."),
              Mistake(lambda: _net_value_02(costs=False),
                      "that is the LTV alone; subtract the acquisition cost and the CS cost to "
                      "serve."),
              Mistake(lambda: _net_value_02(per_yen=True),
                      "that is the return per yen; the question asks for the net value in "
                      "yen.")),
    hints=("Reuse the lesson's months_within and economics with discount_rate=0.12: "
           "COURSE.vary('annual_discount_rate', [0.12])[0].",
           "net value = ARPA x 0.8 x discounted months - acquisition cost - hours x 8,000 x "
           "discounted months."),
    explanation="A higher discount rate lowers the LTV and the CS cost together; the "
    "acquisition cost, paid at the start, does not change."))
