"""Exercises of notebook 05_kpi_nps (NPS): expected answers computed from the data.

The lesson is ``notebooks/05_kpi_nps.ipynb``; its solution notebook ``exercises/solutions/05_kpi_nps.ipynb``
calls ``check("05.N", ...)`` on these. See :mod:`cs_helpers.course.lessons`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import datasets
from ..exercise_types import Exercise, Mistake
from ._shared import b2b_nps_answers

#: The exercises of this lesson, in order.
EXERCISES: list[Exercise] = []


#: The industry exercise 05.1 asks about (the lesson prints no NPS by industry).
INDUSTRY_05_1 = "Services"


def _industry_scores() -> pd.Series:
    industry = b2b_nps_answers()["account_id"].map(
        datasets.load("b2b_accounts").set_index("account_id")["industry"])
    return b2b_nps_answers().loc[industry == INDUSTRY_05_1, "score"]


def _shares(scores: pd.Series | None = None) -> tuple[float, float, float]:
    s = b2b_nps_answers()["score"] if scores is None else scores
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
    from ... import nps
    return float(nps.from_counts(*COUNTS_05_2)["margin"].iloc[0])


def _plan_difference(clustered: bool = True) -> pd.Series:
    """Lite minus Standard; with ``clustered`` each account's answers count together."""
    from ... import nps
    answers = b2b_nps_answers().merge(datasets.load("b2b_accounts")[["account_id", "plan"]],
                               on="account_id")
    lite, std = answers[answers["plan"] == "Lite"], answers[answers["plan"] == "Standard"]
    cluster = (lite["account_id"], std["account_id"]) if clustered else None
    return nps.compare(lite["score"], std["score"], cluster=cluster)


EXERCISES.append(Exercise(
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

EXERCISES.append(Exercise(
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

EXERCISES.append(Exercise(
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

EXERCISES.append(Exercise(
    "05.4", "A manager wants to rank CS teams by the NPS of their accounts, from about 40 "
    "answers per team per quarter. What do you tell them?",
    expected=None, kind="judgement",
    model_answer="With 40 answers each team's NPS has a very wide margin of error (notebook "
    "05's table gives it for 40 answers), so most differences between teams are noise and the "
    "ranking would change from quarter to quarter by chance. If the same accounts answer "
    "every quarter, pooling quarters adds less than it seems: count each account once "
    "(cluster=). Report NPS with its interval, track the response rate (non-response bias), "
    "and judge teams on retention and outcomes instead."))
