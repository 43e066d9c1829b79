"""Exercises of notebook 01_defining_customer_success (defining customer success): expected answers computed from the data.

The lesson is ``notebooks/01_defining_customer_success.ipynb``; its solution notebook ``exercises/solutions/01_defining_customer_success.ipynb``
calls ``check("01.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ...assumptions import COURSE
from ...churn import churn_rate
from ...lifetimes import to_lifetimes
from .. import datasets
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_accounts

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


#: Exercise 01.2 follows accounts still customers after this month (as the lesson's section 4).
FROM_01 = 6


@cache
def _first6_deals_01() -> pd.Series:
    """Deals each account sourced in its first six calendar months (the start month = 0)."""
    acc = b2b_accounts()
    usage = datasets.load("b2b_usage_monthly").merge(acc[["account_id", "start_date"]])
    tenure = (usage["month"].dt.to_period("M").astype("int64")
              - usage["start_date"].dt.to_period("M").astype("int64"))
    return usage[tenure < 6].groupby("account_id")["deals_sourced"].sum()


def _no_deal_churn_01(*, strict: bool = True, count_from: float = FROM_01,
                      keep_all: bool = False, deal: bool = False) -> float:
    """Churn per account-month after month 6 of accounts with no deal in their first six months.

    ``strict=False`` keeps accounts with duration >= 6 (those that left AT month 6 too);
    ``count_from=0`` counts their months from the start; ``keep_all`` keeps every account, not
    only those still customers after month 6; ``deal`` gives the accounts WITH a deal instead.
    """
    life = to_lifetimes(b2b_accounts(), id_col="account_id")
    if not keep_all:
        life = life[life["duration"] > FROM_01] if strict else life[life["duration"] >= FROM_01]
    deals = life["account_id"].map(_first6_deals_01())
    part = life[(deals > 0) if deal else (deals == 0)]
    return float(part["churned"].sum() / (part["duration"] - count_from).sum())


def _no_deal_churn_unweighted_01() -> float:
    """The mistake of averaging the two no-deal groups' rates (busy / neither) instead of pooling."""
    life = to_lifetimes(b2b_accounts(), id_col="account_id")
    acc = b2b_accounts()
    usage = datasets.load("b2b_usage_monthly").merge(acc[["account_id", "start_date"]])
    tenure = (usage["month"].dt.to_period("M").astype("int64")
              - usage["start_date"].dt.to_period("M").astype("int64"))
    first6 = usage[tenure < 6].groupby("account_id")[["active_users", "seats"]].sum()
    after = life[life["duration"] > FROM_01].merge(
        (first6["active_users"] / first6["seats"]).rename("utilisation"), on="account_id")
    after["deals"] = after["account_id"].map(_first6_deals_01())
    busy = after["utilisation"] >= after["utilisation"].median()
    rates = []
    for group in (busy, ~busy):
        part = after[(after["deals"] == 0) & group]
        rates.append(part["churned"].sum() / (part["duration"] - FROM_01).sum())
    return float(np.mean(rates))


def _share_after_12_01(churn_factor: float = 0.5, *, first: int = 12,
                       discount: bool = True, after: bool = True) -> float:
    """Share of a new account's value over the course horizon that arrives after month ``first``,
    with the company's current monthly churn (pooled over the last 12 complete months) times
    ``churn_factor``, the course's ARPA, margin and (unless ``discount=False``) discount rate."""
    from ...churn import pooled_churn
    from ...ltv import discounted

    acc = b2b_accounts()
    churn = pooled_churn(churn_rate(acc, id_col="account_id"), 12)["churn_rate"] * churn_factor
    rate = COURSE.annual_discount_rate if discount else 0.0

    def value(months: int) -> float:
        return float(discounted(acc["mrr"].mean(), COURSE.b2b.gross_margin, churn,
                                discount_rate=rate, horizon=months))

    share = 1 - value(first) / value(COURSE.horizon_months)
    return share if after else 1 - share


EXERCISES.append(Exercise(
    "01.1", "Which is an OUTCOME metric for the contact-management product? (a) weekly logins, "
    "(b) seats in use, (c) deals the customer sources through shared contacts, (d) business "
    "cards scanned",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=tuple(Mistake(lambda v=v: v, "that measures usage of our product, not the result "
                           "the customer bought it for.") for v in ("a", "b", "d")),
    explanation="A deal won is the customer's business result; the rest is activity."))

EXERCISES.append(Exercise(
    "01.2", "Among accounts still customers after month 6: monthly churn after month 6 (churn per "
    "account-month) of the accounts that sourced NO deal in their first six months, busy or not",
    expected=_no_deal_churn_01, decimals=4,
    also_right=(),          # the lesson gives one right method for this rate
    mistakes=(
        Mistake(lambda: _no_deal_churn_01(count_from=0.0),
                "you kept the right accounts but counted their months from the start; count only "
                "the months after month 6 (duration - 6)."),
        Mistake(lambda: _no_deal_churn_01(keep_all=True, count_from=0.0),
                "you kept every account with no deal, including those that left in their first "
                "six months; keep only accounts still customers after month 6 (duration above 6) "
                "and count from month 6."),
        Mistake(lambda: _no_deal_churn_01(strict=False),
                "you kept accounts whose duration is exactly 6: they left AT month 6 and were not "
                "customers after it. Keep duration above 6."),
        Mistake(_no_deal_churn_unweighted_01,
                "you averaged the two no-deal groups' rates (busy and neither); pool them "
                "instead: all their churn events / all their account-months after month 6."),
        Mistake(lambda: _no_deal_churn_01(deal=True),
                "that is the churn of the accounts that DID source a deal."),
        Mistake(lambda: 100 * _no_deal_churn_01(),
                "that looks like a percent; give the rate as a fraction (0.01 for 1%)."),
    ),
    hints=("Keep accounts whose duration is above 6 and who sourced 0 deals in their first six "
           "calendar months (the start month and the five after it).",
           "Churn events of those accounts / the months they were customers after month 6 "
           "(duration - 6, summed)."),
    explanation="Churn events after month 6 / account-months after month 6: about twice the "
    "rate of accounts that reached an outcome."))

EXERCISES.append(Exercise(
    "01.3", "If CS halved the company's current monthly churn, what share of a new account's "
    "value over the course horizon would arrive AFTER month 12 (course assumptions)?",
    expected=_share_after_12_01, decimals=3,
    also_right=(),          # the lesson values a customer one way (course assumptions)
    mistakes=(
        Mistake(lambda: _share_after_12_01(after=False),
                "that is the share arriving in the FIRST 12 months."),
        Mistake(lambda: _share_after_12_01(discount=False),
                "you left out the discount rate; value every month with the course assumptions "
                "(COURSE.annual_discount_rate), as the lesson does."),
        Mistake(lambda: _share_after_12_01(1.0),
                "that is the share at the CURRENT churn; halve the churn first."),
        Mistake(lambda: _share_after_12_01(2.0),
                "that is the share with churn DOUBLED; this exercise halves it."),
        Mistake(lambda: _share_after_12_01(first=13),
                "you started one month late: the first 12 months are months 0 to 11, so "
                "'after month 12' is value(horizon) - value(12)."),
        Mistake(lambda: 100 * _share_after_12_01(),
                "that looks like a percent; give the share as a fraction (0.5 for 50%)."),
    ),
    hints=("Reuse the lesson's value(monthly_churn, months) with half the current churn.",
           "Share after month 12 = 1 - value(churn, 12) / value(churn, COURSE.horizon_months)."),
    explanation="Halving churn raises the value mostly after month 12, yet the share moves by "
    "only a few points: the share mostly reflects the horizon; the amount is what churn changes."))

EXERCISES.append(Exercise(
    "01.4", "Your support team answers tickets faster every quarter, yet churn is flat. What does "
    "that say about support KPIs and CS KPIs?",
    expected=None, kind="judgement",
    model_answer="Support KPIs measure how efficiently problems are handled once raised (the "
    "long guide: efficiency, a cost centre); they say little about whether customers reach their "
    "goals. Retention depends on the customer's success, so a CS team should own cancellation "
    "and continuation rates and LTV (and, in this course, revenue retention), and work "
    "proactively with accounts that struggle (many tickets are a warning sign), not just answer "
    "faster."))
