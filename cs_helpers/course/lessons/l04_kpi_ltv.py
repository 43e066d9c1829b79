"""Exercises of notebook 04_kpi_ltv (LTV): expected answers computed from the data.

The lesson is ``notebooks/04_kpi_ltv.ipynb``; its solution notebook ``exercises/solutions/04_kpi_ltv.ipynb``
calls ``check("04.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ...assumptions import COURSE
from ...churn import annualize, churn_rate
from ...lifetimes import to_lifetimes
from ...survival import survival_curves
from .. import datasets
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_accounts

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


#: The plan whose accounts exercises 04.1-04.5 value (the lesson values all accounts).
PLAN_04 = "Enterprise"
#: The acquisition cost of exercise 04.3 (an assumption: Enterprise accounts cost more to win
#: than the average account of notebook 04, section 6).
CAC_04 = 3_000_000


def _course():
    return COURSE


def _plan_accounts(plan: str | None = PLAN_04) -> pd.DataFrame:
    acc = b2b_accounts()
    return acc if plan is None else acc[acc["plan"] == plan]


@cache
def _churn_04(plan: str | None = PLAN_04) -> float:
    """Monthly churn pooled over the last 12 complete months (notebook 04, section 2)."""
    table = churn_rate(_plan_accounts(plan), id_col="account_id")
    last = table[table["complete"]].tail(12)
    return float(last["churned"].sum() / last["active_start"].sum())


@cache
def _arpa_04(plan: str | None = PLAN_04, rule: str = "start") -> float:
    """ARPA as the course defines it (``COURSE.b2b.arpa``: MRR at the start of the contract,
    averaged over accounts); ``rule="latest"`` is the old mistake (the latest month's MRR)."""
    acc = _plan_accounts(plan)
    if rule == "start":
        return float(acc["mrr"].mean())
    usage = datasets.load("b2b_usage_monthly")
    latest = usage[(usage["month"] == usage["month"].max())
                   & usage["account_id"].isin(acc["account_id"])]
    return float(latest["mrr"].mean())


def _ltv_simple_04(plan: str | None = PLAN_04, rule: str = "start",
                   margin: float | None = None) -> float:
    from ... import ltv
    margin = _course().b2b.gross_margin if margin is None else margin
    return float(ltv.simple(_arpa_04(plan, rule), margin, _churn_04(plan)))


def _ltv_discounted_04(rate: float | None = None, plan: str | None = PLAN_04,
                       rate_per_month: bool = False) -> float:
    from ... import ltv
    course = _course()
    rate = course.annual_discount_rate if rate is None else rate
    arpa, margin, c = _arpa_04(plan), course.b2b.gross_margin, _churn_04(plan)
    if rate_per_month:      # the mistake of using the annual rate as a monthly one
        return float(sum(arpa * margin * (1 - c) ** t / (1 + rate) ** t
                         for t in range(course.horizon_months)))
    return float(ltv.discounted(arpa, margin, c, discount_rate=rate,
                                horizon=course.horizon_months))


def _payback_04(plan: str | None = PLAN_04, margin: bool = True) -> float:
    from ... import ltv
    m = _course().b2b.gross_margin if margin else 1.0
    return float(ltv.cac_payback(CAC_04, _arpa_04(plan), m))


@cache
def _survival_ltv_04(plan: str | None = PLAN_04, horizon: int | None = None,
                     discount_rate: float | None = None) -> object:
    """LTV of a new account of ``plan`` from its Kaplan-Meier curve (notebook 04, section 4)."""
    import warnings

    from ... import ltv
    course = _course()
    life = to_lifetimes(_plan_accounts(plan), id_col="account_id")
    curve = survival_curves(life).fitters["all"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return ltv.from_survival(
            curve, _arpa_04(plan), course.b2b.gross_margin,
            horizon=course.horizon_months if horizon is None else horizon,
            discount_rate=course.annual_discount_rate if discount_rate is None else discount_rate)


EXERCISES.append(Exercise(
    "04.1", f"Simple LTV (JPY) of a {PLAN_04}-plan B2B account: ARPA and monthly churn of the "
    f"{PLAN_04} accounts, the course's B2B margin",
    expected=_ltv_simple_04,
    decimals=0,                      # the lesson shows amounts in whole yen
    mistakes=(
        Mistake(lambda: _ltv_simple_04(margin=1.0),
                "you left out the gross margin: LTV counts margin, not revenue."),
        Mistake(lambda: _ltv_simple_04() * _churn_04() / float(annualize(_churn_04())),
                "you divided by the annual churn; with a monthly ARPA, use the monthly churn."),
        Mistake(lambda: _ltv_simple_04() / 100,
                "you used the churn rate as a percentage (e.g. 1.3) instead of a fraction "
                "(0.013)."),
        Mistake(lambda: _ltv_simple_04(plan=None),
                f"that is the LTV of all accounts (the lesson's figure); keep only the accounts "
                f"whose plan is '{PLAN_04}', for both the churn and the ARPA."),
        Mistake(lambda: _ltv_simple_04(rule="latest"),
                "you took ARPA from the latest month's MRR; the course's ARPA is the MRR at the "
                "start of the contract, averaged over accounts (b2b_accounts.mrr)."),
    ),
    hints=(f"Keep accounts[accounts['plan'] == '{PLAN_04}']; their churn: cs.churn_rate(..., "
           "id_col='account_id'), pooled over the last 12 complete months; their ARPA: the mean "
           "of the mrr column.",
           "cs.ltv.simple(arpa, COURSE.b2b.gross_margin, monthly_churn)"),
    explanation="ARPA x margin / monthly churn."))

EXERCISES.append(Exercise(
    "04.2", f"The same {PLAN_04}-plan account's LTV over the course's horizon, discounted at the "
    "course's rate (JPY)",
    expected=_ltv_discounted_04,
    decimals=0,
    mistakes=(
        Mistake(lambda: _ltv_discounted_04(rate_per_month=True),
                "you discounted by the course's rate every MONTH; it is an annual rate "
                "(cs.ltv.discounted converts it to the monthly equivalent)."),
        Mistake(lambda: _ltv_discounted_04(0.0), "you did not discount at all."),
        Mistake(_ltv_simple_04, "that is the undiscounted LTV over an endless horizon."),
        Mistake(lambda: _ltv_discounted_04(plan=None),
                f"that is for all accounts (the lesson's figure); keep the {PLAN_04} plan."),
    ),
    hints=("cs.ltv.discounted(arpa, margin, churn, discount_rate=COURSE.annual_discount_rate, "
           "horizon=COURSE.horizon_months)",),
    explanation="Cash t months away is divided by (1 + d)^t, d the monthly equivalent of the "
                "annual rate."))

EXERCISES.append(Exercise(
    "04.3", f"CAC payback (months) of a {PLAN_04}-plan account for a CAC of {CAC_04:,} JPY, with "
    "its ARPA and the course's B2B margin",
    expected=_payback_04,
    decimals=1,                      # the lesson shows payback in months with one decimal
    mistakes=(Mistake(lambda: _payback_04(margin=False),
                      "you divided by revenue; payback is earned from margin (ARPA x margin)."),
              Mistake(lambda: _payback_04(plan=None),
                      f"that is the payback of an average account (the lesson's); use the "
                      f"{PLAN_04} accounts' ARPA.")),
    hints=("cs.ltv.cac_payback(cac, arpa, gross_margin)",),
    explanation="CAC / (ARPA x margin)."))

EXERCISES.append(Exercise(
    "04.4", "A CS programme costs money from month 0 and lowers churn from month 4. Judged after "
    "one quarter it looks like a loss. Is it a bad programme? (answer 'yes' or 'no')",
    expected=lambda: "no", kind="choice", choices=("yes", "no"),
    mistakes=(Mistake(lambda: "yes", "a quarter is too early: the cost comes first and the "
                                     "retained margin accumulates later; look for the break-even "
                                     "month."),),
    explanation="CS pays back over customer lifetimes; judge it on its cash flow."))

EXERCISES.append(Exercise(
    "04.5", f"Survival-based LTV (JPY) of a new {PLAN_04}-plan account: its Kaplan-Meier curve, "
    "its ARPA, the course's margin, horizon and discount rate",
    expected=lambda: _survival_ltv_04().value,
    decimals=0,
    mistakes=(
        Mistake(_ltv_discounted_04,
                "that is the LTV with one constant churn (exercise 04.2); use the accounts' "
                "Kaplan-Meier curve with cs.ltv.from_survival."),
        Mistake(lambda: _survival_ltv_04().ltv_low,
                "that is the lower end of the LTV's range (ltv_low); the question asks for the "
                "LTV itself (value)."),
        Mistake(lambda: _survival_ltv_04().ltv_high, "that is the upper end of the range."),
        Mistake(lambda: _survival_ltv_04(discount_rate=0.0).value,
                "you did not discount: pass discount_rate=COURSE.annual_discount_rate."),
        Mistake(lambda: _survival_ltv_04(horizon=120).value,
                "that is over 120 months (the optional 10-year section); the course's horizon "
                "is COURSE.horizon_months."),
        Mistake(lambda: _survival_ltv_04(plan=None).value,
                f"that is the LTV of all accounts (the lesson's); use the curve and the ARPA of "
                f"the {PLAN_04} accounts."),
    ),
    hints=(f"curve = cs.survival_curves(cs.to_lifetimes(accounts[accounts['plan'] == "
           f"'{PLAN_04}'], id_col='account_id')).fitters['all']",
           "r = cs.ltv.from_survival(curve, arpa, margin, horizon=COURSE.horizon_months, "
           "discount_rate=COURSE.annual_discount_rate); r.value"),
    explanation="The sum over the horizon of S(t) x ARPA x margin / (1 + d)^t; quote it with its "
    "range (r.ltv_low to r.ltv_high)."))
