"""The course's exercises: expected answers computed from the data, mistakes recognised.

Each exercise is registered with :func:`cs_helpers.exercises.register`. The expected answer
and the value of each recognised mistake are *functions*, evaluated from the course data the
first time an answer is checked, so that a change in the data or the helpers can never leave a
stale answer typed in here.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from . import datasets
from . import exercises as _registry
from .churn import annualize, churn_rate
from .exercises import Exercise, Mistake
from .lifetimes import to_lifetimes
from .survival import survival_curves

B2C = {"id_col": "member_id", "start_col": "join_date", "end_col": "cancel_date"}

#: Every exercise of the course, in order.
BANK: list[Exercise] = []


def register(ex: Exercise) -> Exercise:
    """Add ``ex`` to the bank (registered by :func:`register_all`)."""
    BANK.append(ex)
    return ex


def register_all() -> None:
    """Make sure every exercise of the bank is in the registry (idempotent)."""
    for ex in BANK:
        _registry.EXERCISES.setdefault(ex.id, ex)

# --------------------------------------------------------------------------------------------
# 03 · churn rate

#: The month exercise 03.1 asks about.
MONTH_03_1 = "2025-06"
#: The calendar year exercise 03.2 asks about (the lesson converts the last 12 months and 2025).
YEAR_03_2 = 2024
#: The acquisition channel and the tenure of exercise 03.3 (the lesson shows all members and plans).
CHANNEL_03_3, MONTHS_03_3 = "Referral", 12


@cache
def _members() -> pd.DataFrame:
    return datasets.load("b2c_members")


@cache
def _monthly() -> pd.DataFrame:
    return churn_rate(_members(), **B2C)


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
    table = churn_rate(_members(), freq="Y", **B2C)
    return float(table.loc[pd.Period(str(year), "Y"), "churn_rate"])


@cache
def _life() -> pd.DataFrame:
    return to_lifetimes(_members(), **B2C)


def _channel(channel: str | None = CHANNEL_03_3) -> pd.DataFrame:
    life = _life()
    return life if channel is None else life[life["channel"] == channel]


def _km_channel(channel: str | None = CHANNEL_03_3, months: int = MONTHS_03_3) -> float:
    return float(survival_curves(_channel(channel)).survival_at(months).iloc[0, 0])


def _old_enough_channel(months: int = MONTHS_03_3) -> float:
    """The lesson's other right method: only members who joined ``months`` or more before the
    observation date, all of whom had the full window."""
    life = _channel()
    as_of = _members().attrs["as_of"]
    old = life[life["join_date"] <= as_of - pd.DateOffset(months=months)]
    return float(1 - (old["churned"] & (old["duration"] <= months)).mean())


def _naive_channel(censored_as: str) -> float:
    life = _channel()
    left = life["churned"] & (life["duration"] <= MONTHS_03_3)
    if censored_as == "churned":
        left = left | (~life["churned"] & (life["duration"] < MONTHS_03_3))
    return float(1 - left.mean())


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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

register(Exercise(
    "03.4", "A dashboard shows 'churn = members who ever cancelled / all members ever' and it "
    "rises every year. Which trap is it: (a) end-of-period denominator, (b) new members in the "
    "denominator, (c) it is not a rate: it mixes members of every age and grows as the business "
    "ages, (d) averaging monthly rates?",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(Mistake(lambda: "d", "averaging rates is a different trap; here no monthly rate "
                                   "is computed at all."),),
    hints=("Over what period is that 'rate' measured? Who is in its denominator?",),
    explanation="It is a cumulative share, not a rate per period: it can only grow."))

register(Exercise(
    "03.5", "The log-rank test comparing single and double plans gives a tiny p-value. Does the "
    "double plan make members stay longer?",
    expected=None, kind="judgement",
    model_answer="Not necessarily. The test says the two retention curves differ by more than "
    "chance would explain. It does not say why: members who expect to rent a lot may choose the "
    "double plan and would have stayed anyway (self-selection), and members can switch plans. "
    "Nor does it give a size: read that from the curves (a gap of a few points, opened in the "
    "first months). To learn the effect of the plan, offer an upgrade to a random half of "
    "single-plan members and compare the halves."))


# --------------------------------------------------------------------------------------------
# 05 · NPS

@cache
def _answers() -> pd.DataFrame:
    return datasets.load("b2b_nps")


def _shares() -> tuple[float, float, float]:
    s = _answers()["score"]
    return float((s >= 9).mean()), float(s.between(7, 8).mean()), float((s <= 6).mean())


def _nps() -> float:
    p, _, d = _shares()
    return 100 * (p - d)


def _se(n: int) -> float:
    p, _, d = _shares()
    return float(100 * np.sqrt(((p + d) - (p - d) ** 2) / n))


#: How many answers exercise 05.2 asks about (not a size the lesson's table prints).
N_05_2 = 60


def _plan_difference(clustered: bool = True) -> pd.Series:
    """Lite minus Standard; with ``clustered`` each account's answers count together."""
    from . import nps
    answers = _answers().merge(datasets.load("b2b_accounts")[["account_id", "plan"]],
                               on="account_id")
    lite, std = answers[answers["plan"] == "Lite"], answers[answers["plan"] == "Standard"]
    cluster = (lite["account_id"], std["account_id"]) if clustered else None
    return nps.compare(lite["score"], std["score"], cluster=cluster)


register(Exercise(
    "05.1", "NPS of all B2B answers, in points (-100 to 100)",
    expected=_nps, rtol=0.001, atol=0.05,        # accepts the one decimal the lesson shows
    mistakes=(
        Mistake(lambda: _nps() / 100, "that is a fraction; NPS is in points: 100 x (p - d)."),
        Mistake(lambda: 100 * (_shares()[0] + _shares()[1] - _shares()[2]),
                "you counted passives (7-8) as promoters; promoters answer 9 or 10 only."),
        Mistake(lambda: 100 * _shares()[0], "that is the share of promoters only; subtract the "
                                            "share of detractors (0-6)."),
        Mistake(lambda: float(_answers()["score"].mean()), "that is the average score, not NPS."),
    ),
    hints=("Promoters answer 9-10, detractors 0-6.", "cs.nps.score(answers['score'])"),
    explanation="100 x (share of promoters - share of detractors)."))

register(Exercise(
    "05.2", f"Margin of error (95%, in points) of an NPS from {N_05_2} independent answers with "
    "these shares",
    expected=lambda: 1.959964 * _se(N_05_2), rtol=0.01,
    mistakes=(
        Mistake(lambda: _se(N_05_2), "that is the standard error; the 95% margin is 1.96 x SE."),
        Mistake(lambda: 1.959964 * _se(len(_answers())),
                f"that is the margin for all the answers; the question asks for {N_05_2}."),
        Mistake(lambda: 1.959964 * _se(40), "that is the margin for 40 answers (the lesson's "
                                            f"table); the question asks for {N_05_2}."),
    ),
    hints=("Per-answer variance = (p + d) - (p - d)^2.", "SE = 100 sqrt(variance / n); margin = "
                                                         "1.96 SE."),
    explanation="Compare that margin with the differences between segments in notebook 05."))

register(Exercise(
    "05.3", "p-value of the NPS difference between Lite and Standard accounts, counting each "
    "account's answers together (cluster by account)",
    expected=lambda: float(_plan_difference()["p_value"]), rtol=0.02,
    mistakes=(
        Mistake(lambda: float(_plan_difference(clustered=False)["p_value"]),
                "that p-value treats every answer as an independent opinion; many accounts "
                "answered several times. Pass cluster=(lite['account_id'], "
                "standard['account_id'])."),
    ),
    hints=("cs.nps.compare(lite_scores, standard_scores, cluster=(lite_ids, standard_ids)) "
           "gives an interval and a p-value.",
           "Take the scores and the account ids of each plan from the same table."),
    explanation="It is far above 0.05 and the interval of the difference includes 0: chance "
    "explains the gap. Counted as independent answers the p-value looks about half as large."))

register(Exercise(
    "05.4", "A manager wants to rank CS teams by the NPS of their accounts, from about 40 "
    "answers per team per quarter. What do you tell them?",
    expected=None, kind="judgement",
    model_answer="With 40 answers each team's NPS has a very wide margin of error (notebook "
    "05's table gives it for 40 answers), so most differences between teams are noise and the "
    "ranking would change from quarter to quarter by chance. If the same accounts answer "
    "every quarter, pooling quarters adds less than it seems: count each account once "
    "(cluster=). Report NPS with its interval, track the response rate (non-response bias), "
    "and judge teams on retention and outcomes instead."))


# --------------------------------------------------------------------------------------------
# 04 · LTV

#: The plan whose accounts exercises 04.1-04.5 value (the lesson values all accounts).
PLAN_04 = "Enterprise"
#: The acquisition cost of exercise 04.3 (an assumption: Enterprise accounts cost more to win
#: than the average account of notebook 04, section 6).
CAC_04 = 3_000_000


def _course():
    from .assumptions import COURSE
    return COURSE


@cache
def _accounts() -> pd.DataFrame:
    return datasets.load("b2b_accounts")


def _onboarded_within(days: int) -> pd.Series:
    """True for accounts that completed all four milestones within ``days`` of their start."""
    ob = datasets.load("b2b_onboarding").merge(_accounts()[["account_id", "start_date"]])
    on_time = ob[(ob["completed_date"] - ob["start_date"]).dt.days <= days]
    return on_time.groupby("account_id").size().eq(4)


def _plan_accounts(plan: str | None = PLAN_04) -> pd.DataFrame:
    acc = _accounts()
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
    from . import ltv
    margin = _course().b2b.gross_margin if margin is None else margin
    return float(ltv.simple(_arpa_04(plan, rule), margin, _churn_04(plan)))


def _ltv_discounted_04(rate: float | None = None, plan: str | None = PLAN_04,
                       rate_per_month: bool = False) -> float:
    from . import ltv
    course = _course()
    rate = course.annual_discount_rate if rate is None else rate
    arpa, margin, c = _arpa_04(plan), course.b2b.gross_margin, _churn_04(plan)
    if rate_per_month:      # the mistake of using the annual rate as a monthly one
        return float(sum(arpa * margin * (1 - c) ** t / (1 + rate) ** t
                         for t in range(course.horizon_months)))
    return float(ltv.discounted(arpa, margin, c, discount_rate=rate,
                                horizon=course.horizon_months))


def _payback_04(plan: str | None = PLAN_04, margin: bool = True) -> float:
    from . import ltv
    m = _course().b2b.gross_margin if margin else 1.0
    return float(ltv.cac_payback(CAC_04, _arpa_04(plan), m))


@cache
def _survival_ltv_04(plan: str | None = PLAN_04, horizon: int | None = None,
                     discount_rate: float | None = None) -> object:
    """LTV of a new account of ``plan`` from its Kaplan-Meier curve (notebook 04, section 4)."""
    import warnings

    from . import ltv
    course = _course()
    life = to_lifetimes(_plan_accounts(plan), id_col="account_id")
    curve = survival_curves(life).fitters["all"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return ltv.from_survival(
            curve, _arpa_04(plan), course.b2b.gross_margin,
            horizon=course.horizon_months if horizon is None else horizon,
            discount_rate=course.annual_discount_rate if discount_rate is None else discount_rate)


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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

register(Exercise(
    "04.4", "A CS programme costs money from month 0 and lowers churn from month 4. Judged after "
    "one quarter it looks like a loss. Is it a bad programme? (answer 'yes' or 'no')",
    expected=lambda: "no", kind="choice", choices=("yes", "no"),
    mistakes=(Mistake(lambda: "yes", "a quarter is too early: the cost comes first and the "
                                     "retained margin accumulates later; look for the break-even "
                                     "month."),),
    explanation="CS pays back over customer lifetimes; judge it on its cash flow."))

register(Exercise(
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


# --------------------------------------------------------------------------------------------
# 07 · onboarding

REPORTED_CHURN_07 = 0.006
#: The landmark of exercise 07.3, in calendar months after the start (the lesson uses 3).
LANDMARK_07_3 = 2


def _onboarded_by_landmark(months: int) -> pd.Series:
    """True for accounts that completed all four milestones on or before the landmark date
    (the start date plus ``months`` calendar months), as notebook 07 defines "onboarded"."""
    ob = datasets.load("b2b_onboarding").merge(_accounts()[["account_id", "start_date"]])
    by_then = ob[ob["completed_date"] <= ob["start_date"] + pd.DateOffset(months=months)]
    return by_then.groupby("account_id").size().eq(4)


def _landmark_rate(months: int, *, landmark: float | None = None, count_from: float | None = None,
                   onboarded: pd.Series | None = None) -> float:
    """Monthly churn after the landmark of accounts onboarded by then (events / account-months).

    The keywords build the recognised mistakes: another landmark duration (``landmark``),
    exposure counted from another time (``count_from``), another onboarding definition."""
    life = to_lifetimes(_accounts(), id_col="account_id")
    landmark = float(months) if landmark is None else landmark
    count_from = landmark if count_from is None else count_from
    onboarded = _onboarded_by_landmark(months) if onboarded is None else onboarded
    alive = life[life["duration"] > landmark]
    part = alive[alive["account_id"].map(onboarded).eq(True).to_numpy()]
    return float(part["churned"].sum() / (part["duration"] - count_from).sum())


def _naive_ever() -> float:
    acc = _accounts()
    life = to_lifetimes(acc, id_col="account_id")
    ob = datasets.load("b2b_onboarding").dropna(subset=["completed_date"])
    ever = ob.groupby("account_id").size().eq(4)
    part = life[life["account_id"].map(ever).eq(True).to_numpy()]
    return float(part["churned"].sum() / part["duration"].sum())


register(Exercise(
    "07.1", "Expected customer lifetime, in YEARS, at the reported 0.60% monthly churn",
    expected=lambda: 1 / REPORTED_CHURN_07 / 12,
    mistakes=(
        Mistake(lambda: 1 / REPORTED_CHURN_07, "that is in months; the question asks for years."),
        Mistake(lambda: float(np.log(0.5) / np.log(1 - REPORTED_CHURN_07) / 12),
                "that is the median lifetime; the expected (mean) lifetime is 1 / churn."),
    ),
    hints=("With a constant monthly churn c, a customer stays 1 / c months on average.",),
    explanation="1 / 0.006 months, divided by 12."))

register(Exercise(
    "07.2", "Annual churn equivalent to the reported 0.60% a month (a fraction)",
    expected=lambda: float(annualize(REPORTED_CHURN_07)),
    mistakes=(Mistake(lambda: 12 * REPORTED_CHURN_07,
                      "12 x monthly overstates annual churn; use 1 - (1 - c)^12."),),
    hints=("cs.annualize(0.006)",),
    explanation="1 - 0.994^12."))

register(Exercise(
    "07.3", "Landmark at month 2: among accounts still customers 2 months after their start that "
    "had completed all four milestones by then (on or before the start date + 2 calendar months), "
    "monthly churn after the landmark (churn events / account-months followed after month 2)",
    expected=lambda: _landmark_rate(LANDMARK_07_3), rtol=0.01,
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
                                      onboarded=_onboarded_within(60)),
                "you used day 60 and 60 / 30.4375 months; durations are calendar months, so the "
                "landmark is exactly 2.0, the second monthly anniversary of the start."),
        Mistake(lambda: _landmark_rate(LANDMARK_07_3, onboarded=_onboarded_within(60)),
                "you counted milestones done within 60 days; the landmark is the date 2 calendar "
                "months after the start (59 to 62 days): start_date + pd.DateOffset(months=2)."),
    ),
    hints=("Keep accounts whose duration is above 2 (calendar months).",
           "'Onboarded' = all four milestones with completed_date <= start_date + "
           "pd.DateOffset(months=2). Divide their churn events by the months each was followed "
           "after month 2 (duration - 2)."),
    explanation="Both groups start alive at the landmark and are grouped by what they had done "
    "by then, so nobody gets immortal time."))

register(Exercise(
    "07.4", "Which design can show that an onboarding programme CAUSES lower churn? (a) compare "
    "completers with non-completers, (b) a landmark analysis, (c) a Cox model adjusting for "
    "size, plan and channel, (d) offering the programme to a random half of new accounts",
    expected=lambda: "d", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(
        Mistake(lambda: "b", "a landmark analysis removes immortal-time bias, but completers may "
                             "still differ in ways we did not measure."),
        Mistake(lambda: "c", "a Cox model adjusts only for what was measured; motivated "
                             "customers may both complete and stay."),
    ),
    explanation="Randomisation balances the unmeasured differences too."))


# --------------------------------------------------------------------------------------------
# 01 · defining customer success

def _milestone_churn_01(reached: bool) -> float:
    acc = _accounts()
    life = to_lifetimes(acc, id_col="account_id")
    ob = datasets.load("b2b_onboarding").merge(acc[["account_id", "start_date"]])
    fv = ob[(ob["milestone"] == "first_value")
            & ((ob["completed_date"] - ob["start_date"]).dt.days <= 90)]["account_id"]
    landmark = 3.0                      # months: the third monthly anniversary, about day 90
    alive = life[life["duration"] > landmark]
    mask = alive["account_id"].isin(set(fv)).to_numpy() == reached
    part = alive[mask]
    return float(part["churned"].sum() / (part["duration"] - landmark).sum())


def _share_after_12(after: bool = True) -> float:
    acc = _accounts()
    life = to_lifetimes(acc, id_col="account_id")
    s = survival_curves(life).survival_at(np.arange(60)).iloc[0].to_numpy()
    usage = datasets.load("b2b_usage_monthly").merge(acc[["account_id", "start_date"]])
    tenure = (usage["month"].dt.to_period("M").astype("int64")
              - usage["start_date"].dt.to_period("M").astype("int64"))
    mrr = usage.groupby(tenure)["mrr"].mean().reindex(np.arange(60)).ffill().to_numpy()
    cum = np.cumsum(s * mrr)
    share = 1 - cum[11] / cum[-1]
    return float(share if after else 1 - share)


register(Exercise(
    "01.1", "Which is an OUTCOME metric for the contact-management product? (a) weekly logins, "
    "(b) seats in use, (c) deals the customer sources through shared contacts, (d) business "
    "cards scanned",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=tuple(Mistake(lambda v=v: v, "that measures usage of our product, not the result "
                           "the customer bought it for.") for v in ("a", "b", "d")),
    explanation="A deal won is the customer's business result; the rest is activity."))

register(Exercise(
    "01.2", "Monthly churn after month 3 of accounts that had NOT reached 'first_value' within "
    "90 days (among accounts still customers at month 3)",
    expected=lambda: _milestone_churn_01(False), rtol=0.01,
    mistakes=(Mistake(lambda: _milestone_churn_01(True),
                      "that is the churn of the accounts that DID reach first value."),),
    hints=("Keep accounts whose duration is above 3 months; follow them from month 3.",),
    explanation="Churn events after month 3 / account-months after month 3."))

register(Exercise(
    "01.3", "Share of a new account's expected revenue over its first 60 months that arrives "
    "AFTER month 12",
    expected=_share_after_12, rtol=0.01,
    mistakes=(Mistake(lambda: _share_after_12(False),
                      "that is the share arriving in the first 12 months."),),
    hints=("Expected revenue in month t = S(t) x mean MRR of accounts in their t-th month.",
           "Sum months 12-59 and divide by the sum of months 0-59."),
    explanation="Most of a subscription's revenue comes long after the sale."))

register(Exercise(
    "01.4", "Your support team answers tickets faster every quarter, yet churn is flat. What does "
    "that say about support KPIs and CS KPIs?",
    expected=None, kind="judgement",
    model_answer="Support KPIs measure how efficiently problems are handled once raised; they "
    "say little about whether customers reach their goals. Retention depends on the customer's "
    "success, so a CS team should own churn, NRR and LTV, and work proactively with accounts "
    "that struggle (many tickets are a warning sign), not just answer faster."))


# --------------------------------------------------------------------------------------------
# 02 · targeting

def _success_by_channel() -> pd.Series:
    acc = _accounts()
    old = acc[acc["start_date"] <= acc.attrs["as_of"] - pd.Timedelta(days=90)]
    flag = old["account_id"].map(_onboarded_within(90)).eq(True)
    return flag.groupby(old["channel"], observed=True).mean()


def _success_by_channel_all() -> pd.Series:
    acc = _accounts()
    flag = acc["account_id"].map(_onboarded_within(90)).eq(True)
    return flag.groupby(acc["channel"], observed=True).mean()


def _expected_months_02(size: str) -> float:
    life = to_lifetimes(_accounts(), id_col="account_id")
    part = life[life["company_size"] == size]
    return float(survival_curves(part).survival_at(np.arange(60)).iloc[0].sum())


register(Exercise(
    "02.1", "Onboarding success rate (all four milestones within 90 days) of Outbound accounts, "
    "among accounts that started at least 90 days before the observation date",
    expected=lambda: float(_success_by_channel()["Outbound"]), rtol=0.005,
    mistakes=(Mistake(lambda: float(_success_by_channel_all()["Outbound"]),
                      "you included accounts that started less than 90 days ago: they have not "
                      "had the chance to complete yet."),),
    hints=("Filter start_date <= as_of - 90 days first.",),
    explanation="Only accounts that have had their full 90 days can be judged."))

register(Exercise(
    "02.2", "Which acquisition channel has the highest onboarding success rate? (Event, Inbound, "
    "Outbound or Partner)",
    expected=lambda: str(_success_by_channel().idxmax()), kind="choice",
    choices=("Event", "Inbound", "Outbound", "Partner"),
    explanation="Success differs by channel: a targeting lever."))

register(Exercise(
    "02.3", "Expected months as a customer within the first 60 months, for accounts of 1-49 "
    "employees (the area under their Kaplan-Meier curve, months 0-59)",
    expected=lambda: _expected_months_02("1-49"), rtol=0.005,
    mistakes=(Mistake(lambda: _expected_months_02("1000+"),
                      "that is the value for 1000+ employee accounts."),),
    hints=("cs.survival_curves(part).survival_at(range(60)) then sum.",),
    explanation="Sum of S(t) over t = 0..59: the months a new account is expected to pay."))

register(Exercise(
    "02.4", "Sales wants to sign every prospect. When is it in the CUSTOMER's interest that you do "
    "not sell to them?",
    expected=None, kind="judgement",
    model_answer="When the product cannot deliver the result they need: they would pay, fail to "
    "succeed and leave, losing time and money. Declining, or pointing them to a better fit, "
    "respects their success (the article's step 2) and keeps CS effort on customers it can help."))


# --------------------------------------------------------------------------------------------
# 06 · phase strategy

def _phase_continuation_06(phase: str = "onboarding", plan: str | None = "double") -> float:
    from . import phases
    life = _life() if plan is None else _life()[_life()["plan"] == plan]
    table = phases.continuation(life, id_col="member_id").set_index("phase")
    return float(table.loc[phase, "monthly_continuation"])


def _sbg_true():
    from . import ltv, simulate
    p = simulate.TRUE_PARAMS["b2c"]
    return ltv.ShiftedBetaGeometric(p["alpha"], p["beta"])


#: The basis of the 06 what-ifs: months valued and annual discount rate (as in notebook 06).
HORIZON_06, DISCOUNT_06 = 60, 0.08


@cache
def _double_life() -> pd.DataFrame:
    life = _life()
    return life[life["plan"] == "double"]


@cache
def _phase_model_06(segment: str = "double"):
    from . import phases
    life = _double_life() if segment == "double" else _life()
    return phases.fit_model(life, id_col="member_id")


def _gain_06(segment: str = "double", horizon: int = HORIZON_06,
             discount_rate: float = DISCOUNT_06, row: str = "gain") -> float:
    w = _phase_model_06(segment).what_if({"onboarding": 0.8}, horizon=horizon,
                                         discount_rate=discount_rate)
    return float(w.loc[row, "expected_lifetime_months"])


def _homogeneous_gain_06(horizon: int | None = HORIZON_06) -> float:
    from . import phases
    table = phases.continuation(_double_life(), id_col="member_id")
    w = phases.what_if(table, {"onboarding": 0.8}, horizon=horizon, discount_rate=DISCOUNT_06)
    return float(w["expected_lifetime_months"].diff().iloc[1])


register(Exercise(
    "06.1", "Monthly continuation in the onboarding phase (the first 3 months) of members who "
    "joined on the double plan (durations as cs.to_lifetimes gives them)",
    expected=_phase_continuation_06, rtol=0.0005,
    mistakes=(Mistake(lambda: _phase_continuation_06(plan=None),
                      "that is the onboarding continuation of ALL members (the lesson's "
                      "table); keep only the members who joined on the double plan."),
              Mistake(lambda: _phase_continuation_06(plan="single"),
                      "that is the single plan's onboarding continuation."),
              Mistake(lambda: _phase_continuation_06("overall"),
                      "that is their continuation over all phases pooled."),
              Mistake(lambda: 1 - _phase_continuation_06(),
                      "that is the monthly hazard (churn); continuation is 1 - hazard.")),
    hints=("cs.phases.continuation(lifetimes_of_double_plan_members, id_col='member_id')",),
    explanation="Cancellations in the phase / member-months spent in it, then 1 - hazard."))

register(Exercise(
    "06.2", "With no CS at all and the simulation's true Beta(alpha, beta) heterogeneity "
    "(cs.simulate.TRUE_PARAMS['b2c']), what share of members still there at month 11 stay "
    "through month 12? (the sBG retention rate r_12)",
    expected=lambda: float(_sbg_true().retention_rate(12)), rtol=0.001,
    mistakes=(Mistake(lambda: float(_sbg_true().survival(12)),
                      "that is S(12), the share of a new cohort left after 12 months; the "
                      "question asks for the renewal rate of those still there at month 11."),),
    hints=("cs.ltv.ShiftedBetaGeometric(alpha, beta).retention_rate(12)",),
    explanation="Retention rises with tenure from sorting alone."))

register(Exercise(
    "06.3", "A report says: 'continuation rose from about 95% to 98% for members past nine "
    "months, so the phase programme works.' Which reply is best? (a) Agreed: three points of "
    "monthly continuation is a large rise. (b) Agreed if the 98% has a narrow confidence "
    "interval that excludes 95%. (c) Ask what continuation past nine months would be without "
    "the programme. (d) Disagree: a phase programme cannot change continuation.",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=(
        Mistake(lambda: "a", "the size of a rise says nothing about its cause: in section 3 of "
                             "notebook 06 members who differ produce such a rise with no CS."),
        Mistake(lambda: "b", "a narrow interval shows the rise is not chance, not that the "
                             "programme caused it: sorting produces a rise that is just as "
                             "real."),
        Mistake(lambda: "d", "too strong: the programme may well work (notebook 06 finds a "
                             "real, smaller phase effect); the reported numbers alone cannot "
                             "show it."),
    ),
    hints=("What would the continuation of members past nine months be if the programme "
           "did nothing at all?",),
    explanation="Credit a strategy only against a baseline without it: a sorting baseline, a "
                "model in which members differ, or a randomised comparison."))

register(Exercise(
    "06.4", "You can fund one programme that cuts one phase's churn by 20%. How do you choose the "
    "phase?",
    expected=None, kind="judgement",
    model_answer="Compare the LTV gained per new member for each phase on a model in which "
    "members differ (cs.phases.fit_model, then model.what_if), over a stated horizon and "
    "discount rate and with its interval: the gain depends on how many members reach the "
    "phase, how likely they themselves are to leave and how long they stay in it. Do not use "
    "the homogeneous approximation (phases.what_if): it overstates early-phase programmes. "
    "Then weigh each gain against the programme's cost and how sure you are it works (test it "
    "on a random half of new members first)."))

register(Exercise(
    "06.5", "Fit the phase model to the members who joined on the double plan. By how many "
    f"discounted months ({HORIZON_06} months, {DISCOUNT_06:.0%} a year) does 20% less churn in "
    "onboarding raise a new double-plan member's expected lifetime? (two decimals, as in the "
    "lesson)",
    expected=_gain_06, rtol=0.0, atol=0.0051,
    mistakes=(
        Mistake(lambda: _homogeneous_gain_06(),
                "that is the homogeneous approximation (cs.phases.what_if), which treats every "
                "member of a phase alike and overstates the gain; use the fitted model's "
                "what_if."),
        Mistake(lambda: _homogeneous_gain_06(None),
                "that is the homogeneous approximation with no horizon; use the fitted model "
                "over 60 months."),
        Mistake(lambda: _gain_06("all"),
                "that is the gain for all members; fit the model to double-plan members only."),
        Mistake(lambda: _gain_06(discount_rate=0.0),
                "that gain is not discounted: pass discount_rate=0.08."),
        Mistake(lambda: _gain_06(row="what-if"),
                "that is the expected lifetime after the change; the question asks for the "
                "gain (what-if minus baseline)."),
    ),
    hints=("model = cs.phases.fit_model(double_members_lifetimes, id_col='member_id')",
           "model.what_if({'onboarding': 0.8}, horizon=60, discount_rate=0.08).loc['gain', "
           "'expected_lifetime_months']"),
    explanation="The model knows the members it keeps through onboarding are the likely "
                "leavers, so the gain is far below what treating every member alike suggests."))


# --------------------------------------------------------------------------------------------
# A1 · health scores

SCORE_MONTH_A1 = "2026-03-01"


@cache
def _health_a1() -> pd.DataFrame:
    from . import health
    usage = datasets.load("b2b_usage_monthly")
    scores = health.score(usage, as_of=SCORE_MONTH_A1)
    return scores.assign(status=health.status(scores["health"]))


def _backtest_a1(horizon: int = 6) -> float:
    import warnings

    from . import health
    from .errors import DataWarning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = health.backtest(datasets.load("b2b_usage_monthly"), _accounts(),
                                 as_of=SCORE_MONTH_A1, horizon=horizon)
    return float(result.auc)


register(Exercise(
    "A1.1", "How many active accounts are RED in March 2026 with the default signals and "
    "thresholds?",
    expected=lambda: float((_health_a1()["status"] == "red").sum()), rtol=0, atol=0.5,
    mistakes=(Mistake(lambda: float((_health_a1()["status"] == "green").sum()),
                      "that is the number of green accounts."),
              Mistake(lambda: float((_health_a1()["status"] == "red").mean()),
                      "that is the share of red accounts; the question asks how many.")),
    hints=("cs.health.score(usage, as_of='2026-03-01'), then cs.health.status(scores['health']).",),
    explanation="Red: health below 40."))

register(Exercise(
    "A1.2", "AUC of the default health score scored in March 2026 against churn in the next "
    "6 months (cs.health.backtest)",
    expected=_backtest_a1, rtol=0.001,
    mistakes=(Mistake(lambda: 1 - _backtest_a1(), "that is 1 - AUC: check the direction."),),
    hints=("cs.health.backtest(usage, accounts, as_of='2026-03-01', horizon=6).auc",),
    explanation="0.5 is a coin toss; 1.0 a perfect ranking."))

register(Exercise(
    "A1.3", "An analyst tunes the score's weights on churn from April to September 2026 and then "
    "back-tests it on the same months. What is wrong? (a) nothing, (b) look-ahead: the test "
    "uses the data the score was tuned on, so it looks better than it will be in use, "
    "(c) the thresholds are wrong",
    expected=lambda: "b", kind="choice", choices=("a", "b", "c"),
    mistakes=(Mistake(lambda: "a", "a score tested on the data it was tuned on always looks "
                                   "better than it will be: test on a later period."),),
    explanation="Tune on one period, test on a later one."))

register(Exercise(
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
    from . import health
    return health.alert_history(
        datasets.load("b2b_usage_monthly"), [month], nps=_answers(),
        tickets=datasets.load("b2b_tickets"), accounts=_accounts(),
        ramp=health.DEFAULT_RAMP if ramp_on else None)


def _young_share_a1(rule: str | None, ramp_on: bool) -> float:
    a = _alert_history_a1(MONTH_A1_6, ramp_on)
    if rule is not None:
        a = a[a["rule"] == rule]
    return float((a["tenure_months"] < 6).mean())


def _young_base_a1() -> float:
    usage = datasets.load("b2b_usage_monthly")
    ids = usage.loc[usage["month"] == MONTH_A1_6, "account_id"]
    start = _accounts().set_index("account_id").loc[ids, "start_date"].dt.to_period("M")
    month = pd.Period(MONTH_A1_6, "M")
    return float(np.mean([(month - s).n < 6 for s in start]))


register(Exercise(
    "A1.5", "How many accounts had at least one NEW alert in October 2024 (default rules, ramp "
    "allowance on, with the NPS answers, the tickets and the accounts table)?",
    expected=lambda: float(_alert_history_a1(MONTH_A1_5, True).query("new")["account_id"]
                           .nunique()), rtol=0, atol=0.5,
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

register(Exercise(
    "A1.6", "Without the ramp allowance (ramp=None), what share of the low-utilisation alerts "
    "of September 2024 are for accounts under 6 months (tenure_months < 6)? (a fraction)",
    expected=lambda: _young_share_a1("low_utilisation", False), rtol=0, atol=0.005,
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

register(Exercise(
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
