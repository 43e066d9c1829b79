"""Tables several lessons' exercises read (loaded once, cached).

Imports only the library and :mod:`cs_helpers.course.datasets`, never the exercise registry.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from ...lifetimes import to_lifetimes
from .. import datasets

#: The column names of the B2C members table, as ``to_lifetimes`` / ``churn_rate`` keywords.
B2C = {"id_col": "member_id", "start_col": "join_date", "end_col": "cancel_date"}


@cache
def b2c_members() -> pd.DataFrame:
    """The B2C members table (``b2c_members``)."""
    return datasets.load("b2c_members")


@cache
def b2c_lifetimes() -> pd.DataFrame:
    """One row per B2C member: duration in months and churned (``cs.to_lifetimes``)."""
    return to_lifetimes(b2c_members(), **B2C)


@cache
def b2b_accounts() -> pd.DataFrame:
    """The B2B accounts table (``b2b_accounts``)."""
    return datasets.load("b2b_accounts")


@cache
def b2b_nps_answers() -> pd.DataFrame:
    """The B2B NPS answers (``b2b_nps``)."""
    return datasets.load("b2b_nps")


def onboarded_within(days: int) -> pd.Series:
    """True for accounts that completed all four milestones within ``days`` of their start."""
    ob = datasets.load("b2b_onboarding").merge(b2b_accounts()[["account_id", "start_date"]])
    on_time = ob[(ob["completed_date"] - ob["start_date"]).dt.days <= days]
    return on_time.groupby("account_id").size().eq(4)
