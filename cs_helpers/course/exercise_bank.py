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
from .assumptions import COURSE
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


#: The industry exercise 05.1 asks about (the lesson prints no NPS by industry).
INDUSTRY_05_1 = "Services"


def _industry_scores() -> pd.Series:
    industry = _answers()["account_id"].map(
        datasets.load("b2b_accounts").set_index("account_id")["industry"])
    return _answers().loc[industry == INDUSTRY_05_1, "score"]


def _shares(scores: pd.Series | None = None) -> tuple[float, float, float]:
    s = _answers()["score"] if scores is None else scores
    return float((s >= 9).mean()), float(s.between(7, 8).mean()), float((s <= 6).mean())


def _nps(scores: pd.Series | None = None) -> float:
    p, _, d = _shares(scores)
    return 100 * (p - d)


#: The team survey of exercise 05.2: promoters, passives, detractors (one answer per account).
COUNTS_05_2 = (30, 18, 12)
Z95 = 1.959964


def _se_05_2(square: bool = True) -> float:
    pr, pa, de = COUNTS_05_2
    n = pr + pa + de
    p, d = pr / n, de / n
    return float(100 * np.sqrt(((p + d) - (p - d) ** 2 * square) / n))


def _lesson_margin(n: int) -> float:
    """The margin the lesson's table gives for ``n`` answers (shares of all answers)."""
    p, _, d = _shares()
    return float(Z95 * 100 * np.sqrt(((p + d) - (p - d) ** 2) / n))


def _adjusted_margin_05_2() -> float:
    from . import nps
    return float(nps.from_counts(*COUNTS_05_2)["margin"].iloc[0])


def _plan_difference(clustered: bool = True) -> pd.Series:
    """Lite minus Standard; with ``clustered`` each account's answers count together."""
    from . import nps
    answers = _answers().merge(datasets.load("b2b_accounts")[["account_id", "plan"]],
                               on="account_id")
    lite, std = answers[answers["plan"] == "Lite"], answers[answers["plan"] == "Standard"]
    cluster = (lite["account_id"], std["account_id"]) if clustered else None
    return nps.compare(lite["score"], std["score"], cluster=cluster)


register(Exercise(
    "05.1", f"NPS of the answers given by accounts in the {INDUSTRY_05_1} industry, in points "
    "(-100 to 100)",
    expected=lambda: _nps(_industry_scores()), rtol=0.001, decimals=1,   # shown as +4.7
    mistakes=(
        Mistake(lambda: _nps(_industry_scores()) / 100,
                "that is a fraction; NPS is in points: 100 x (p - d)."),
        Mistake(lambda: -_nps(_industry_scores()),
                "the sign is reversed: NPS is promoters minus detractors."),
        Mistake(lambda: 100 * (_shares(_industry_scores())[0] + _shares(_industry_scores())[1]
                               - _shares(_industry_scores())[2]),
                "you counted passives (7-8) as promoters; promoters answer 9 or 10 only."),
        Mistake(lambda: 100 * _shares(_industry_scores())[0],
                "that is the share of promoters only; subtract the share of detractors (0-6)."),
        Mistake(lambda: float(_industry_scores().mean()), "that is the average score, not NPS."),
        Mistake(lambda: _nps(), f"that is the NPS of all answers (the lesson's); keep only the "
                                f"answers of {INDUSTRY_05_1} accounts."),
    ),
    hints=("Attach each answer to its account's industry: answers.merge(accounts[['account_id', "
           "'industry']], on='account_id').",
           f"Keep the rows whose industry is '{INDUSTRY_05_1}', then cs.nps.score(...['score'])."),
    explanation="100 x (share of promoters - share of detractors) among that industry's answers."))

register(Exercise(
    "05.2", "A team's survey got 60 answers, each from a different account: "
    f"{COUNTS_05_2[0]} promoters, {COUNTS_05_2[1]} passives and {COUNTS_05_2[2]} detractors. "
    "What is the 95% margin of error of its NPS, in points?",
    expected=lambda: Z95 * _se_05_2(), rtol=0.01, decimals=1,     # the lesson's table: 25.3
    also_right=(_adjusted_margin_05_2,),          # cs.nps.from_counts (adjusted-Wald interval)
    mistakes=(
        Mistake(lambda: _se_05_2(), "that is the standard error; the 95% margin is 1.96 x SE."),
        Mistake(lambda: 2 * _se_05_2(), "close: 2 x SE is the rough rule; the 95% margin is "
                                        "1.96 x SE."),
        Mistake(lambda: Z95 * _se_05_2(square=False),
                "the variance per answer is (p + d) - (p - d)^2: you left out the square."),
        Mistake(lambda: _lesson_margin(60),
                "that uses the shares of all the lesson's answers; use this team's counts."),
        Mistake(lambda: _lesson_margin(40), "that is the lesson's table for 40 answers (with all "
                                            "answers' shares); this survey has 60."),
        Mistake(lambda: Z95 * 100 * np.sqrt(COUNTS_05_2[0] / 60 * (1 - COUNTS_05_2[0] / 60) / 60),
                "that is the margin of the share of promoters alone; NPS also moves with the "
                "detractors: variance per answer = (p + d) - (p - d)^2."),
    ),
    hints=("p = 30/60, d = 12/60; variance per answer = (p + d) - (p - d)^2.",
           "SE = 100 sqrt(variance / n); margin = 1.96 SE. Or cs.nps.from_counts(30, 18, 12)."),
    explanation="With 60 answers the team's NPS could be far from its true value by chance: "
                "compare gaps between teams with margins this wide before ranking them."))

register(Exercise(
    "05.3", "p-value of the NPS difference between Lite and Standard accounts, counting each "
    "account's answers together (cluster by account)",
    expected=lambda: float(_plan_difference()["p_value"]), rtol=0.02, decimals=3,  # p = 0.117
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


@cache
def _company_churn_07() -> float:
    """Our company's monthly churn as notebook 07 section 1 measures it: cancellations /
    accounts active at the start of the month, pooled over the last 12 complete months."""
    company = churn_rate(_accounts(), id_col="account_id")
    last12 = company[company["complete"]].tail(12)
    return float(last12["churned"].sum() / last12["active_start"].sum())


def _median_years(churn: float) -> float:
    return float(np.log(0.5) / np.log(1 - churn) / 12)


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


def _landmark_rate_by_phases(months: int) -> float:
    """The same rate the way notebook 07 computes it: ``cs.phases.continuation`` with the
    landmark as the phase boundary, the row "after" the landmark of the onboarded group."""
    from .phases import continuation

    life = to_lifetimes(_accounts(), id_col="account_id")
    life = life[life["duration"] > months].assign(
        onboarded=lambda t: t["account_id"].map(_onboarded_by_landmark(months)).eq(True)
        .to_numpy())
    rates = continuation(life, boundaries=(months,), by="onboarded", id_col="account_id",
                         labels=["before", "after"])
    row = rates[(rates["phase"] == "after") & rates["onboarded"]]
    return float(row["monthly_hazard"].iloc[0])


def _naive_ever() -> float:
    acc = _accounts()
    life = to_lifetimes(acc, id_col="account_id")
    ob = datasets.load("b2b_onboarding").dropna(subset=["completed_date"])
    ever = ob.groupby("account_id").size().eq(4)
    part = life[life["account_id"].map(ever).eq(True).to_numpy()]
    return float(part["churned"].sum() / part["duration"].sum())


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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
           "after month 2 (duration - 2), or use cs.phases.continuation with boundaries=(2,) as "
           "the lesson's helper does."),
    explanation="Both groups start alive at the landmark and are grouped by what they had done "
    "by then, so nobody gets immortal time."))

register(Exercise(
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

register(Exercise(
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


# --------------------------------------------------------------------------------------------
# 01 · defining customer success

#: Exercise 01.2 follows accounts still customers after this month (as the lesson's section 4).
FROM_01 = 6


@cache
def _first6_deals_01() -> pd.Series:
    """Deals each account sourced in its first six calendar months (the start month = 0)."""
    acc = _accounts()
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
    life = to_lifetimes(_accounts(), id_col="account_id")
    if not keep_all:
        life = life[life["duration"] > FROM_01] if strict else life[life["duration"] >= FROM_01]
    deals = life["account_id"].map(_first6_deals_01())
    part = life[(deals > 0) if deal else (deals == 0)]
    return float(part["churned"].sum() / (part["duration"] - count_from).sum())


def _no_deal_churn_unweighted_01() -> float:
    """The mistake of averaging the two no-deal groups' rates (busy / neither) instead of pooling."""
    life = to_lifetimes(_accounts(), id_col="account_id")
    acc = _accounts()
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
    from .assumptions import COURSE
    from .churn import pooled_churn
    from .ltv import discounted

    acc = _accounts()
    churn = pooled_churn(churn_rate(acc, id_col="account_id"), 12)["churn_rate"] * churn_factor
    rate = COURSE.annual_discount_rate if discount else 0.0

    def value(months: int) -> float:
        return float(discounted(acc["mrr"].mean(), COURSE.b2b.gross_margin, churn,
                                discount_rate=rate, horizon=months))

    share = 1 - value(first) / value(COURSE.horizon_months)
    return share if after else 1 - share


register(Exercise(
    "01.1", "Which is an OUTCOME metric for the contact-management product? (a) weekly logins, "
    "(b) seats in use, (c) deals the customer sources through shared contacts, (d) business "
    "cards scanned",
    expected=lambda: "c", kind="choice", choices=("a", "b", "c", "d"),
    mistakes=tuple(Mistake(lambda v=v: v, "that measures usage of our product, not the result "
                           "the customer bought it for.") for v in ("a", "b", "d")),
    explanation="A deal won is the customer's business result; the rest is activity."))

register(Exercise(
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

register(Exercise(
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

register(Exercise(
    "01.4", "Your support team answers tickets faster every quarter, yet churn is flat. What does "
    "that say about support KPIs and CS KPIs?",
    expected=None, kind="judgement",
    model_answer="Support KPIs measure how efficiently problems are handled once raised (the "
    "long guide: efficiency, a cost centre); they say little about whether customers reach their "
    "goals. Retention depends on the customer's success, so a CS team should own cancellation "
    "and continuation rates and LTV (and, in this course, revenue retention), and work "
    "proactively with accounts that struggle (many tickets are a warning sign), not just answer "
    "faster."))


# --------------------------------------------------------------------------------------------
# 02 · targeting

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
    acc = _accounts()
    if old_only:
        acc = acc[acc["start_date"] <= acc.attrs["as_of"] - pd.Timedelta(days=90)]
    if size is not None:
        acc = acc[acc["company_size"] == size]
    if channel is not None:
        acc = acc[acc["channel"] == channel]
    return float(acc["account_id"].map(_onboarded_within(within_days)).eq(True).mean())


def _size_vs_success_p_02(channel: str = "Outbound") -> float:
    """p-value of the lesson's chi-square test of company size x onboarded, within a channel."""
    from scipy import stats

    acc = _accounts()
    acc = acc[(acc["start_date"] <= acc.attrs["as_of"] - pd.Timedelta(days=90))
              & (acc["channel"] == channel)]
    done = acc["account_id"].map(_onboarded_within(90)).eq(True)
    return float(stats.chi2_contingency(pd.crosstab(acc["company_size"], done)).pvalue)


@cache
def _b2b_life_02() -> pd.DataFrame:
    return to_lifetimes(_accounts(), id_col="account_id")


def _part_02(column: str | None, value: str | None) -> pd.DataFrame:
    life = _b2b_life_02()
    return life if column is None else life[life[column] == value]


def _churn_02(column: str | None, value: str | None) -> float:
    """Churn per account-month: accounts that left / months that accounts were customers."""
    part = _part_02(column, value)
    return float(part["churned"].sum() / part["duration"].sum())


def _months_02(churn: float, discount_rate: float = 0.0, horizon: int | None = None) -> float:
    """Sum over months t = 0..horizon-1 of (1 - churn)^t / (1 + rate)^(t/12), as in notebook 02."""
    from .assumptions import COURSE

    t = np.arange(COURSE.horizon_months if horizon is None else horizon)
    return float(((1 - churn) ** t / (1 + discount_rate) ** (t / 12)).sum())


def _km_months_02(column: str, value: str) -> float:
    """The same expected months from the Kaplan-Meier curve (notebook 03's method)."""
    from .assumptions import COURSE

    curve = survival_curves(_part_02(column, value))
    return float(curve.survival_at(np.arange(COURSE.horizon_months)).iloc[0].sum())


def _net_value_02(size: str = SIZE_02_4, discount_rate: float = DISCOUNT_02_4, *,
                  discount_ltv: bool = True, discount_cost: bool = True,
                  costs: bool = True, per_yen: bool = False) -> float:
    """Net value of a new account of ``size`` over the course horizon: LTV - acquisition cost -
    CS cost to serve, LTV and CS cost discounted alike (the lesson's ``economics``)."""
    from .assumptions import COURSE

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


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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

register(Exercise(
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


# --------------------------------------------------------------------------------------------
# 06 · phase strategy

def _phase_continuation_06(phase: str = "onboarding", plan: str | None = "double") -> float:
    from . import phases
    life = _life() if plan is None else _life()[_life()["plan"] == plan]
    table = phases.continuation(life, id_col="member_id").set_index("phase")
    return float(table.loc[phase, "monthly_continuation"])


def _median_if_constant_06(continuation: float) -> float:
    """Months until half of a cohort is gone if every month's continuation were ``continuation``."""
    return float(np.log(0.5) / np.log(continuation))


def _km_median_06(plan: str = "double") -> float:
    life = _life()[_life()["plan"] == plan]
    return float(survival_curves(life).median().loc["all", "median"])


#: The basis of the 06 what-ifs: the course assumptions (cs_helpers.assumptions.COURSE).
HORIZON_06, DISCOUNT_06 = COURSE.horizon_months, COURSE.annual_discount_rate

#: The phase whose programme exercise 06.5 values (the lesson prints the gains of all members).
PHASE_06_5 = "maturity"


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
             discount_rate: float = DISCOUNT_06, row: str = "gain",
             phase: str = PHASE_06_5) -> float:
    w = _phase_model_06(segment).what_if({phase: 0.8}, horizon=horizon,
                                         discount_rate=discount_rate)
    return float(w.loc[row, "expected_lifetime_months"])


def _homogeneous_gain_06(horizon: int | None = HORIZON_06) -> float:
    from . import phases
    table = phases.continuation(_double_life(), id_col="member_id")
    w = phases.what_if(table, {PHASE_06_5: 0.8}, horizon=horizon, discount_rate=DISCOUNT_06)
    return float(w["expected_lifetime_months"].diff().iloc[1])


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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

register(Exercise(
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

register(Exercise(
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


# --------------------------------------------------------------------------------------------
# A1 · health scores

SCORE_MONTH_A1 = "2026-03-01"
#: The month exercises A1.1 and A1.2 ask about (the lesson scores March 2026).
MONTH_A1_1 = "2024-09-01"


@cache
def _health_a1(month: str = SCORE_MONTH_A1) -> pd.DataFrame:
    from . import health
    usage = datasets.load("b2b_usage_monthly")
    scores = health.score(usage, as_of=month)
    return scores.assign(status=health.status(scores["health"]))


@cache
def _backtest_a1(month: str = SCORE_MONTH_A1, horizon: int = 6) -> float:
    import warnings

    from . import health
    from .errors import DataWarning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = health.backtest(datasets.load("b2b_usage_monthly"), _accounts(),
                                 as_of=month, horizon=horizon)
    return float(result.auc)


register(Exercise(
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

register(Exercise(
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

register(Exercise(
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
