"""The shipped data reproduce the figures reported in the source articles (see data/README.md).

Definitions (also in data/README.md): a lifetime is measured in calendar months (whole months
between monthly anniversaries of the start, plus the fraction of the month in progress; see
``cs.lifetimes.calendar_months``), censored at the observation date; a monthly hazard is events / customer-months at risk; monthly
continuation is 1 - hazard.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs

AS_OF = pd.Timestamp(cs.schema.AS_OF)


def _lifetimes(df: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    ended = df[end].where(df[end] <= AS_OF)          # a cancellation after AS_OF is not known yet
    out = df.copy()
    out["duration"] = cs.lifetimes.calendar_months(df[start].to_numpy(),
                                                   ended.fillna(AS_OF).to_numpy())
    out["churned"] = ended.notna()
    return out


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return _lifetimes(cs.datasets.load("b2c_members"), "join_date", "cancel_date")


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    acc = _lifetimes(cs.datasets.load("b2b_accounts"), "start_date", "end_date")
    ob = cs.datasets.load("b2b_onboarding")
    done = ob[ob["completed_date"].notna()].merge(acc[["account_id", "start_date"]])
    done = done[(done["completed_date"] - done["start_date"]).dt.days <= 90]
    n_done = done.groupby("account_id").size()
    acc["onboarded"] = acc["account_id"].map(n_done).fillna(0).eq(4).to_numpy()
    return acc


def _continuation(d: np.ndarray, e: np.ndarray, after: float = 0.0) -> float:
    exposure = np.clip(d - after, 0, None).sum()
    events = (e & (d > after)).sum()
    return 1 - events / exposure


def test_b2c_average_monthly_continuation_is_about_95_percent(members):
    # reported figure (Laxus): about 95% average monthly continuation
    c = _continuation(members["duration"].to_numpy(), members["churned"].to_numpy())
    assert 0.94 <= c <= 0.96


def test_b2c_continuation_past_9_months_is_about_98_percent(members):
    # reported figure (Laxus): about 98% for members past 9 months
    c = _continuation(members["duration"].to_numpy(), members["churned"].to_numpy(), after=9)
    assert 0.97 <= c <= 0.99


def test_b2c_phase_helper_agrees_with_the_direct_count(members):
    table = cs.phases.continuation(members, boundaries=(3, 9), id_col="member_id")
    maturity = table.loc[table["phase"] == "maturity", "monthly_continuation"].iloc[0]
    direct = _continuation(members["duration"].to_numpy(), members["churned"].to_numpy(), 9)
    assert maturity == pytest.approx(direct, abs=1e-9)


def _landmark_churn(acc: pd.DataFrame) -> pd.Series:
    landmark = 3.0          # three calendar months, about the 90 days onboarding is given
    at_risk = acc[acc["duration"] > landmark]
    g = at_risk.groupby("onboarded")
    return g["churned"].sum() / (g["duration"].sum() - landmark * g.size())


def test_b2b_onboarded_accounts_churn_about_0_6_percent_a_month(accounts):
    # reported figure (Sansan): 0.60% monthly churn
    assert 0.0045 <= _landmark_churn(accounts)[True] <= 0.0075


def test_b2b_accounts_not_onboarded_churn_several_times_more(accounts):
    rates = _landmark_churn(accounts)
    assert rates[False] >= 3 * rates[True]


def test_promoters_churn_less_than_detractors(accounts):
    nps = cs.datasets.load("b2b_nps").merge(accounts[["account_id", "start_date", "duration",
                                                      "churned"]])
    since = cs.lifetimes.calendar_months(nps["start_date"].to_numpy(),
                                         nps["survey_date"].to_numpy())
    nps["after"] = (nps["duration"] - since).clip(lower=0)
    nps["kind"] = pd.cut(nps["score"], [-1, 6, 8, 10], labels=["detractor", "passive",
                                                                "promoter"])
    g = nps.groupby("kind", observed=True)
    rate = g["churned"].sum() / g["after"].sum()
    assert rate["promoter"] < rate["passive"] < rate["detractor"]
    assert rate["detractor"] >= 2 * rate["promoter"]


def test_net_revenue_retention_differs_from_logo_and_gross_retention():
    usage = cs.datasets.load("b2b_usage_monthly")
    base_month, later = pd.Timestamp("2024-09-01"), pd.Timestamp("2025-09-01")
    base = usage[usage["month"] == base_month].set_index("account_id")["mrr"]
    after = usage[usage["month"] == later].set_index("account_id")["mrr"].reindex(base.index)
    after = after.fillna(0.0)
    nrr = after.sum() / base.sum()
    grr = np.minimum(after, base).sum() / base.sum()
    logo = (after > 0).mean()
    assert nrr > logo + 0.05 and grr < nrr
    assert ((after > base) & (after > 0)).sum() > 0 and ((after < base) & (after > 0)).sum() > 0


def test_onboarding_completion_differs_by_segment(accounts):
    # notebook 02 (targeting) needs segments whose success rates differ
    for col, low, high in [("company_size", "1000+", "1-49"), ("plan", "Lite", "Enterprise"),
                           ("channel", "Outbound", "Inbound")]:
        rate = accounts.groupby(col, observed=True)["onboarded"].mean()
        assert rate[high] - rate[low] >= 0.05, col


def test_an_outcome_predicts_retention_better_than_logins(accounts):
    usage = cs.datasets.load("b2b_usage_monthly").merge(accounts[["account_id", "start_date"]])
    k = (usage["month"].dt.to_period("M").astype("int64")
         - usage["start_date"].dt.to_period("M").astype("int64"))
    early = usage[k < 6].groupby("account_id").agg(deals=("deals_sourced", "sum"),
                                                   users=("active_users", "sum"),
                                                   seats=("seats", "sum"))
    x = accounts.set_index("account_id").join(early, rsuffix="_m")
    x = x[x["duration"] > 6]
    after = x["duration"] - 6

    def ratio(flag: pd.Series) -> float:
        rate = x["churned"].groupby(flag).sum() / after.groupby(flag).sum()
        return rate[False] / rate[True]

    outcome = ratio(x["deals"] > 0)
    logins = ratio(x["users"] / x["seats"] > (x["users"] / x["seats"]).median())
    assert outcome > logins > 1
