"""Simulate the course's two fictional businesses, deterministically from a seed.

Every table is declared in :mod:`cs_helpers.course.schema`; ``data/README.md`` documents the columns,
the generating model and the true parameters (:data:`TRUE_PARAMS`). All customers are
simulated: no real customer data is used anywhere.

Rebuild the committed CSVs with ``make data`` or::

    python -m cs_helpers.simulate --out data

>>> tables = simulate_b2c(seed=1, n_members=300)
>>> sorted(tables)
['b2c_activity_monthly', 'b2c_members']
>>> len(tables["b2c_members"])
300
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from .schema import AS_OF, TABLES

__all__ = ["DEFAULT_SEED", "TRUE_PARAMS", "b2b_late_hazard", "b2b_latent", "b2b_survival",
           "simulate_b2b", "simulate_b2c", "true_survival", "write_all"]

DEFAULT_SEED = 20261130
DAYS_PER_MONTH = 30.4375

#: The true parameters behind the simulation (also documented in data/README.md).
TRUE_PARAMS: dict = {
    "as_of": AS_OF,
    "b2c": {
        "n_members": 24_000,
        "first_join": "2020-01-01",
        # Member i's base monthly cancellation probability p_i ~ Beta(alpha, beta): heterogeneity.
        "alpha": 0.5,
        "beta": 2.8,
        # The true phase effect (what CS in each phase really does), multiplying p_i:
        "phase_boundaries": (3, 9),
        "phase_factor": {"onboarding": 1.15, "adoption": 1.0, "maturity": 0.85},
        "double_plan_factor": 0.8,           # members on the double plan cancel less
        "share_double_at_join": 0.3,
        "upgrade_per_month": 0.02,           # single -> double
        "downgrade_per_month": 0.01,         # double -> single
        "monthly_fee": {"single": 6800.0, "double": 10800.0},
        "notice_wart_share": 0.5,            # of members cancelling in the month after AS_OF
    },
    "b2b": {
        "n_accounts": 3_600,
        "first_start": "2021-01-01",
        # Monthly churn hazard from month 3 on for an average account:
        "hazard_completed": 0.0118,          # onboarding completed within 90 days
        "hazard_not_completed": 0.028,
        "hazard_first_90_days": 0.004,
        "frailty_sd": 0.5,                   # log-normal heterogeneity in hazard
        "outcome_hazard_factor": 0.35,        # accounts reaching a business outcome (deals)
        "health_hazard_log_slope": -0.15,    # per SD of latent health
        "milestone_target_days": {"kickoff": 7, "data_imported": 21, "team_invited": 35,
                                  "first_value": 60},
        # Onboarding completed within 90 days with probability logistic(intercept + health z
        # + size + plan + channel effects): the segment economics of notebook 02.
        "onboarding_logit": {
            "intercept": 0.3, "health": 1.1,
            "company_size": {"1-49": 0.3, "50-249": 0.1, "250-999": -0.2, "1000+": -0.5},
            "plan": {"Lite": -0.2, "Standard": 0.2, "Enterprise": 0.5},
            "channel": {"Inbound": 0.3, "Partner": 0.2, "Outbound": -0.4, "Event": 0.0},
        },
        # Deals sourced per month ~ Poisson(exp(a + b z) x (1 if onboarded else 0.5)); the
        # account "reaches the outcome" when that rate exceeds the threshold.
        "deal_rate_log": (-1.3, 0.9),
        "deal_rate_not_onboarded_factor": 0.5,
        "outcome_threshold": 0.25,
        "nps_waves_months": (4, 10),          # surveys in April and October
        "nps_score": {"mean": 6.8, "health": 1.6, "outcome": 0.8, "noise_sd": 1.3},
        "plan_pricing": {"Lite": (20000.0, 2000.0), "Standard": (60000.0, 4000.0),
                         "Enterprise": (200000.0, 5000.0)},   # (base, per seat) JPY / month
    },
}


def _months_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whole calendar months from ``start`` to ``end`` (datetime64[D] arrays)."""
    s = start.astype("datetime64[M]").astype(int)
    e = end.astype("datetime64[M]").astype(int)
    return e - s


def _add_months(dates: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``dates + k`` calendar months, day clipped to the month's end (like a billing date)."""
    d = pd.to_datetime(dates)
    months = d.to_period("M").asi8 + np.asarray(k)
    first = pd.PeriodIndex.from_ordinals(months, freq="M").to_timestamp()
    last_day = first + pd.offsets.MonthEnd(0)
    day = np.minimum(d.day.to_numpy(), last_day.day.to_numpy())
    out = first + pd.to_timedelta(day - 1, unit="D")
    return out.to_numpy().astype("datetime64[D]")


def _join_dates(rng: np.random.Generator, n: int, first: str, growth: float,
                season: dict[int, float]) -> np.ndarray:
    """Sign-up dates with growth over time and a seasonal pattern (month -> multiplier)."""
    months = pd.period_range(first, AS_OF, freq="M")
    t = np.arange(len(months))
    weight = np.exp(growth * t) * np.array([season.get(m.month, 1.0) for m in months])
    idx = np.sort(rng.choice(len(months), size=n, p=weight / weight.sum()))
    start = months[idx].to_timestamp().to_numpy().astype("datetime64[D]")
    days_in = months[idx].days_in_month.to_numpy()
    day = np.floor(rng.random(n) * days_in).astype(int)
    dates = start + day.astype("timedelta64[D]")
    return np.minimum(dates, np.datetime64(AS_OF))


def _size(value: int | None, default: int, name: str) -> int:
    """The number of customers to simulate: ``default`` when ``value`` is None."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise DataError(f"{name} must be a whole number of at least 1, got {value!r}.")
    return int(value)


def _fmt_date(values: np.ndarray) -> pd.Series:
    s = pd.Series(pd.to_datetime(values)).dt.strftime("%Y-%m-%d")
    return s.fillna("")


# --------------------------------------------------------------------------------------------
# B2C: the bag-rental club


def simulate_b2c(seed: int = DEFAULT_SEED, n_members: int | None = None) -> dict[str, pd.DataFrame]:
    """Simulate the B2C subscription club: members and their monthly activity.

    Each member has a base monthly cancellation probability ``p_i ~ Beta(alpha, beta)``; in
    tenure month ``k`` it is multiplied by the phase factor and by the double-plan factor.
    Cancellations take effect at monthly billing dates (join date + k months).

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same tables.
    n_members : int, optional
        How many members; default ``TRUE_PARAMS["b2c"]["n_members"]``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``b2c_members`` and ``b2c_activity_monthly``, columns as in :data:`schema.TABLES`,
        dates as ``YYYY-MM-DD`` text (empty when none).

    Raises
    ------
    DataError
        If ``n_members`` is not a whole number of at least 1.

    Examples
    --------
    >>> t = simulate_b2c(seed=3, n_members=200)
    >>> bool(t["b2c_members"]["plan"].isin(["single", "double"]).all())
    True
    """
    P = TRUE_PARAMS["b2c"]
    rng = np.random.default_rng([seed, 2])
    n = _size(n_members, P["n_members"], "n_members")
    as_of = np.datetime64(AS_OF)
    join = _join_dates(rng, n, P["first_join"], growth=0.02,
                       season={3: 1.35, 4: 1.3, 12: 1.4, 1: 0.9, 8: 0.85})
    max_k = int(_months_between(join.min(), as_of).max()) + 2
    p = rng.beta(P["alpha"], P["beta"], n)
    double = rng.random(n) < P["share_double_at_join"]
    plan_at_join = double.copy()
    age_band = rng.choice(["20-29", "30-39", "40-49", "50+"], n, p=[0.25, 0.35, 0.25, 0.15])
    channel = rng.choice(["Instagram", "Search", "Referral", "Influencer"], n,
                         p=[0.35, 0.3, 0.2, 0.15])
    b1, b2 = P["phase_boundaries"]
    f = P["phase_factor"]
    alive = np.ones(n, dtype=bool)
    months_paid = np.zeros(n, dtype=int)        # completed billing months
    plans = np.zeros((n, max_k), dtype=bool)    # double plan in tenure month k (0-based)
    for k in range(max_k):
        plans[:, k] = double
        factor = f["onboarding"] if k < b1 else f["adoption"] if k < b2 else f["maturity"]
        h = np.clip(p * factor * np.where(double, P["double_plan_factor"], 1.0), 0, 1)
        u = rng.random(n)
        cancel_now = alive & (u < h)
        months_paid += alive
        alive &= ~cancel_now
        switch = rng.random(n)
        double = np.where(alive & ~double & (switch < P["upgrade_per_month"]), True, double)
        double = np.where(alive & plans[:, k] & (switch < P["downgrade_per_month"]), False,
                          double)
    cancel = _add_months(join, months_paid)
    never = alive  # still subscribed after max_k months: censored for sure
    cancel = np.where(never, np.datetime64("NaT"), cancel)
    observed = cancel <= as_of
    # Wart: some members who cancel at the next billing date after AS_OF already gave notice;
    # their cancel_date is in the future relative to the observation date.
    soon = (~observed) & (cancel <= as_of + np.timedelta64(31, "D"))
    notice = soon & (rng.random(n) < P["notice_wart_share"])
    cancel_out = np.where(observed | notice, cancel, np.datetime64("NaT"))
    ids = np.array([f"M{i:05d}" for i in range(1, n + 1)])
    fee = np.where(plan_at_join, P["monthly_fee"]["double"], P["monthly_fee"]["single"])
    members = pd.DataFrame({
        "member_id": ids, "join_date": _fmt_date(join), "cancel_date": _fmt_date(cancel_out),
        "plan": np.where(plan_at_join, "double", "single"), "age_band": age_band,
        "channel": channel, "monthly_fee": fee,
    })

    # Monthly activity: one row per member per calendar month of membership up to AS_OF.
    end_obs = np.where(observed, cancel, as_of)
    n_months = _months_between(join, end_obs) + 1
    n_months = np.where(observed & (cancel.astype("datetime64[M]") == cancel),
                        n_months - 1, n_months)  # cancelled on the 1st: not a member that month
    n_months = np.maximum(n_months, 1)
    rows = np.repeat(np.arange(n), n_months)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = join.astype("datetime64[M]")[rows] + k.astype("timedelta64[M]")
    tenure_k = np.minimum(k, max_k - 1)
    dbl = plans[rows, tenure_k]
    engage = 1.0 / (1.0 + 8.0 * p[rows])                      # loyal members rent more
    rentals = rng.poisson(np.where(dbl, 2.0, 1.1) * engage * 1.4)
    exch_rate = np.where(k < b1, 1.0, 0.6) * engage
    exchanges = rng.poisson(exch_rate)
    buy_rate = np.where(k < b1, 0.01, np.where(k < b2, 0.03, 0.07)) * engage * 1.3
    purchases = (rng.random(len(rows)) < buy_rate).astype(int)
    activity = pd.DataFrame({
        "member_id": ids[rows],
        "month": pd.Series(month.astype("datetime64[D]")).dt.strftime("%Y-%m-%d"),
        "plan": np.where(dbl, "double", "single"), "rentals": rentals,
        "exchanges": exchanges, "purchases": purchases,
    })
    return {"b2c_members": members, "b2c_activity_monthly": activity}


# --------------------------------------------------------------------------------------------
# B2B: the contact-management SaaS


def _b2b_latent(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Everything about each B2B account that is drawn before the month-by-month churn process:
    start date, firmographics, latent health, onboarding milestones, outcome and the monthly
    hazard from month 3 on (``h_late``). Shared by :func:`simulate_b2b` and
    :func:`true_survival`, so the truth is computed from the very model that made the data."""
    P = TRUE_PARAMS["b2b"]
    start = _join_dates(rng, n, P["first_start"], growth=0.015,
                        season={4: 1.6, 10: 1.2, 3: 0.8, 8: 0.7, 12: 0.8})
    sizes = np.array(["1-49", "50-249", "250-999", "1000+"])
    size_i = rng.choice(4, n, p=[0.45, 0.3, 0.17, 0.08])
    industry = rng.choice(["IT", "Manufacturing", "Finance", "Retail", "Services",
                           "Healthcare"], n, p=[0.25, 0.2, 0.12, 0.13, 0.2, 0.1])
    channel = rng.choice(["Inbound", "Outbound", "Partner", "Event"], n,
                         p=[0.4, 0.25, 0.2, 0.15])
    plan_p = np.array([[0.6, 0.35, 0.05], [0.3, 0.55, 0.15], [0.1, 0.5, 0.4], [0.02, 0.3, 0.68]])
    plan_names = np.array(["Lite", "Standard", "Enterprise"])
    plan_i = np.array([rng.choice(3, p=plan_p[s]) for s in size_i])
    seat_base = np.array([8, 25, 60, 150])[size_i]
    seats0 = np.maximum(3, np.round(seat_base * rng.lognormal(0, 0.35, n))).astype(int)
    z = rng.normal(0, 1, n)                                   # latent health

    # Onboarding: completion depends on health, size, plan and channel.
    L = P["onboarding_logit"]
    logit = (L["intercept"] + L["health"] * z
             + np.array([L["company_size"][s] for s in sizes])[size_i]
             + np.array([L["plan"][p] for p in plan_names])[plan_i]
             + pd.Series(channel).map(L["channel"]).to_numpy(dtype=float))
    complete_prob = 1 / (1 + np.exp(-logit))
    completes = rng.random(n) < complete_prob
    targets = P["milestone_target_days"]
    ms_names = list(targets)
    delays = {}
    for j, m in enumerate(ms_names):
        base = targets[m] * rng.lognormal(0.0, 0.3, n)
        late = ~completes & (rng.random(n) < 0.6 + 0.1 * j)
        cap = 88 - 3 * (3 - j)             # completers finish every milestone by day 88
        squeezed = rng.uniform(0.55, 1.0, n) * cap      # a late completer's date, spread out
        d = np.where(completes, np.where(base <= cap, base, squeezed),
                     base * rng.uniform(1.2, 3, n))
        d = np.where(late & (rng.random(n) < 0.5), np.nan, d)    # never done
        delays[m] = np.round(d)
    # Enforce order and that non-completers really miss the 90-day mark.
    prev = np.zeros(n)
    for m in ms_names:
        d = delays[m]
        d = np.where(np.isnan(prev), np.nan, np.maximum(d, prev + 1))
        delays[m] = d
        prev = d
    last = delays["first_value"]
    completed90 = ~np.isnan(last) & (last <= 90)
    fix = ~completes & completed90
    delays["first_value"] = np.where(fix, 91 + np.round(rng.exponential(30, n)),
                                     delays["first_value"])
    completed90 = ~np.isnan(delays["first_value"]) & (delays["first_value"] <= 90)

    # Churn: monthly hazards, tenure month k = 0, 1, 2, ...
    frailty = rng.lognormal(-P["frailty_sd"] ** 2 / 2, P["frailty_sd"], n)
    deal_rate, outcome, h_late = b2b_late_hazard(completed90, z, frailty)
    return {"start": start, "sizes": sizes, "size_i": size_i, "industry": industry,
            "channel": channel, "plan_names": plan_names, "plan_i": plan_i, "seats0": seats0,
            "z": z, "ms_names": ms_names, "targets": targets, "delays": delays,
            "completed90": completed90, "deal_rate": deal_rate, "outcome": outcome,
            "frailty": frailty, "h_late": h_late}


def b2b_late_hazard(completed90: Any, z: Any, frailty: Any
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The B2B model from onboarding to churn: deal rate, business outcome and the monthly churn
    hazard from month 3 on, for given onboarding (completed within 90 days or not), latent
    health ``z`` and frailty. Used by the simulation and, with onboarding forced one way or
    the other, for the true (counterfactual) effect of onboarding.

    Examples
    --------
    The same average account, onboarded or not: onboarded, it also reaches the business
    outcome, so its hazard is 0.028 / (0.0118 x 0.35) = 6.8 times lower.

    >>> _, outcome, h = b2b_late_hazard([True, False], [0.0, 0.0], [1.0, 1.0])
    >>> outcome.tolist(), round(float(h[1] / h[0]), 2)
    ([True, False], 6.78)
    """
    P = TRUE_PARAMS["b2b"]
    completed90 = np.asarray(completed90, dtype=bool)
    z = np.asarray(z, dtype=float)
    frailty = np.asarray(frailty, dtype=float)
    # Business outcome: deals sourced through shared contacts (rate depends on health).
    a, b = P["deal_rate_log"]
    deal_rate = np.exp(a + b * z) * np.where(completed90, 1.0,
                                             P["deal_rate_not_onboarded_factor"])
    outcome = deal_rate > P["outcome_threshold"]
    h_late = (np.where(completed90, P["hazard_completed"], P["hazard_not_completed"])
              * frailty * np.exp(P["health_hazard_log_slope"] * z)
              * np.where(outcome, P["outcome_hazard_factor"], 1.0))
    h_late = h_late / np.exp(P["health_hazard_log_slope"] ** 2 / 2)   # keep the mean near h0
    return deal_rate, outcome, h_late


def b2b_latent(n: int = 200_000, seed: int = 0) -> pd.DataFrame:
    """Draw ``n`` B2B accounts from the model and return what the tables never show.

    One row per account: ``plan``, ``company_size``, ``channel``, latent health ``z``,
    ``completed90`` (onboarding completed within 90 days), ``outcome`` (reaches the business
    outcome), ``frailty`` and ``h_late`` (true monthly churn hazard from month 3 on, before the
    renewal-month bump). With :func:`b2b_survival` this gives any true quantity: survival
    among onboarded accounts, or of everyone had they all been onboarded
    (:func:`b2b_late_hazard` with ``completed90`` forced).

    Examples
    --------
    >>> lat = b2b_latent(2_000)
    >>> sorted(lat.columns)[:4]
    ['channel', 'company_size', 'completed90', 'frailty']
    """
    lat = _b2b_latent(np.random.default_rng([seed, 12]), _size(n, 1, "n"))
    return pd.DataFrame({"plan": lat["plan_names"][lat["plan_i"]],
                         "company_size": lat["sizes"][lat["size_i"]], "channel": lat["channel"],
                         "z": lat["z"], "completed90": lat["completed90"],
                         "outcome": lat["outcome"], "frailty": lat["frailty"],
                         "h_late": lat["h_late"]})


def b2b_survival(h_late: Any, months: int,
                 phase_multiplier: dict | None = None) -> np.ndarray:
    """Each account's true probability of still being a customer after t = 0..months months.

    Parameters
    ----------
    h_late : array-like
        Each account's monthly hazard from month 3 on (``b2b_latent()["h_late"]``).
    months : int
        Last month.
    phase_multiplier : dict, optional
        Multiply the hazard in a phase (see :func:`true_survival`).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(h_late), months + 1)``; column 0 is 1.

    Examples
    --------
    >>> b2b_survival([0.01], 4).round(4).tolist()
    [[1.0, 0.996, 0.992, 0.988, 0.9781]]
    """
    h_late = np.asarray(h_late, dtype=float)
    factor = _phase_factor(phase_multiplier)
    out = np.ones((len(h_late), int(months) + 1))
    for k in range(int(months)):
        out[:, k + 1] = out[:, k] * (1 - np.clip(_b2b_monthly_hazard(h_late, k) * factor(k),
                                                 0, 1))
    return out


def _phase_factor(phase_multiplier: dict | None):
    names = ("onboarding", "adoption", "maturity")
    mult = dict(phase_multiplier or {})
    unknown = set(mult) - set(names)
    if unknown:
        raise DataError(f"phase_multiplier: unknown phase(s) {sorted(unknown)}; use {names}.")

    def factor(k: int) -> float:
        phase = names[0] if k < 3 else names[1] if k < 9 else names[2]
        return float(mult.get(phase, 1.0))
    return factor


def _b2b_monthly_hazard(h_late: np.ndarray, k: int) -> np.ndarray:
    """The true monthly churn hazard of each account in tenure month ``k`` (0-based)."""
    P = TRUE_PARAMS["b2b"]
    h = np.where(k < 3, P["hazard_first_90_days"], h_late)
    if k >= 12 and k % 12 == 11:
        h = h * 1.5                                        # renewal-month bump
    return np.clip(h, 0, 1)


def simulate_b2b(seed: int = DEFAULT_SEED, n_accounts: int | None = None) -> dict[str, pd.DataFrame]:
    """Simulate the B2B SaaS: accounts, monthly usage and MRR, onboarding, NPS and tickets.

    Each account has a latent health ``z ~ N(0, 1)`` that drives onboarding, usage, business
    outcomes (deals sourced through shared contacts), NPS answers and churn. From day 90 on
    the monthly churn hazard is ``h0 x frailty x exp(slope z) x outcome factor`` with ``h0``
    depending on whether onboarding was completed within 90 days.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same tables.
    n_accounts : int, optional
        How many accounts; default ``TRUE_PARAMS["b2b"]["n_accounts"]``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``b2b_accounts``, ``b2b_usage_monthly``, ``b2b_onboarding``, ``b2b_nps`` and
        ``b2b_tickets``, columns as in :data:`schema.TABLES`, dates as ``YYYY-MM-DD`` text.

    Raises
    ------
    DataError
        If ``n_accounts`` is not a whole number of at least 1.

    Examples
    --------
    >>> t = simulate_b2b(seed=3, n_accounts=150)
    >>> sorted(t)
    ['b2b_accounts', 'b2b_nps', 'b2b_onboarding', 'b2b_tickets', 'b2b_usage_monthly']
    """
    P = TRUE_PARAMS["b2b"]
    rng = np.random.default_rng([seed, 1])
    n = _size(n_accounts, P["n_accounts"], "n_accounts")
    as_of = np.datetime64(AS_OF)
    lat = _b2b_latent(rng, n)
    start, sizes, size_i, industry = lat["start"], lat["sizes"], lat["size_i"], lat["industry"]
    channel, plan_names, plan_i, seats0 = (lat["channel"], lat["plan_names"], lat["plan_i"],
                                           lat["seats0"])
    z, ms_names, targets, delays = lat["z"], lat["ms_names"], lat["targets"], lat["delays"]
    deal_rate, outcome, h_late = lat["deal_rate"], lat["outcome"], lat["h_late"]
    max_k = int(_months_between(start.min(), as_of).max()) + 2
    alive = np.ones(n, dtype=bool)
    months_paid = np.zeros(n, dtype=int)
    seats = seats0.copy()
    plan_now = plan_i.copy()
    seat_hist = np.zeros((n, max_k), dtype=np.int32)
    plan_hist = np.zeros((n, max_k), dtype=np.int8)
    for k in range(max_k):
        seat_hist[:, k] = seats
        plan_hist[:, k] = plan_now
        cancel_now = alive & (rng.random(n) < _b2b_monthly_hazard(h_late, k))
        months_paid += alive
        alive &= ~cancel_now
        # Seat growth and shrink, plan upgrades: healthier accounts expand.
        grow = alive & (rng.random(n) < 0.06 * np.exp(0.6 * z))
        shrink = alive & (rng.random(n) < 0.035 * np.exp(-0.6 * z))
        step = np.maximum(1, np.round(seats * rng.uniform(0.05, 0.2, n))).astype(int)
        seats = np.where(grow, seats + step, np.where(shrink, np.maximum(3, seats - step), seats))
        upgrade = alive & (plan_now < 2) & (rng.random(n) < 0.006 * np.exp(0.5 * z))
        plan_now = plan_now + upgrade
    end = _add_months(start, months_paid)
    end = np.where(alive, np.datetime64("NaT"), end)
    observed = end <= as_of
    end_out = np.where(observed, end, np.datetime64("NaT"))

    base_fee = np.array([P["plan_pricing"][p][0] for p in plan_names])
    per_seat = np.array([P["plan_pricing"][p][1] for p in plan_names])
    ids = np.array([f"A{i:04d}" for i in range(1, n + 1)])
    accounts = pd.DataFrame({
        "account_id": ids, "industry": industry, "company_size": sizes[size_i],
        "plan": plan_names[plan_i], "channel": channel, "seats": seats0,
        "start_date": _fmt_date(start), "end_date": _fmt_date(end_out),
        "mrr": base_fee[plan_i] + per_seat[plan_i] * seats0,
    })

    # Usage: one row per account per calendar month of the contract up to AS_OF.
    end_obs = np.where(observed, end, as_of)
    n_months = np.maximum(_months_between(start, end_obs) + (~observed), 1)
    rows = np.repeat(np.arange(n), n_months)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = start.astype("datetime64[M]")[rows] + k.astype("timedelta64[M]")
    kk = np.minimum(k, max_k - 1)
    s_seats = seat_hist[rows, kk]
    s_plan = plan_hist[rows, kk]
    ramp = np.minimum(1.0, (k + 1) / 3.0)
    util = np.clip(1 / (1 + np.exp(-(0.4 + 0.2 * z[rows] + rng.normal(0, 0.8, len(rows)))))
                   * ramp, 0.02, 1)
    active_users = rng.binomial(s_seats, util)
    cards = rng.poisson(active_users * 4.0 * np.exp(0.2 * z[rows]))
    deals = rng.poisson(deal_rate[rows] * np.minimum(1.0, k / 3.0) * (1 + s_seats / 50))
    mrr = base_fee[s_plan] + per_seat[s_plan] * s_seats
    usage = pd.DataFrame({
        "account_id": ids[rows],
        "month": pd.Series(month.astype("datetime64[D]")).dt.strftime("%Y-%m-%d"),
        "plan": plan_names[s_plan], "seats": s_seats, "active_users": active_users,
        "cards_scanned": cards, "deals_sourced": deals, "mrr": mrr,
    })

    # Onboarding milestones: one row per account per milestone.
    ob = []
    for m in ms_names:
        due = start + np.timedelta64(targets[m], "D")
        done = start + np.nan_to_num(delays[m], nan=0).astype("timedelta64[D]")
        done = np.where(np.isnan(delays[m]) | (done > as_of) | (observed & (done > end)),
                        np.datetime64("NaT"), done)
        ob.append(pd.DataFrame({"account_id": ids, "milestone": m, "due_date": _fmt_date(due),
                                "completed_date": _fmt_date(done), "_o": ms_names.index(m),
                                "_i": np.arange(n)}))
    onboarding = pd.concat(ob).sort_values(["_i", "_o"]).drop(columns=["_i", "_o"])
    onboarding = onboarding[onboarding["due_date"] <= AS_OF].reset_index(drop=True)

    # NPS: surveys in April and October to accounts active that month; answering depends on
    # health (non-response bias); scores depend on health and outcomes.
    wave_month = (month.astype("datetime64[M]").astype(int) % 12) + 1
    in_wave = np.isin(wave_month, P["nps_waves_months"]) & (k >= 2)
    ans_p = 0.25 + 0.25 / (1 + np.exp(-z[rows]))
    answered = in_wave & (rng.random(len(rows)) < ans_p)
    r = rows[answered]
    S = P["nps_score"]
    raw = (S["mean"] + S["health"] * z[r] + S["outcome"] * outcome[r]
           + rng.normal(0, S["noise_sd"], len(r)))
    score = np.clip(np.round(raw), 0, 10).astype(int)
    day = rng.integers(0, 20, len(r)).astype("timedelta64[D]")
    survey = month[answered].astype("datetime64[D]") + np.timedelta64(5, "D") + day
    nps = pd.DataFrame({"response_id": [f"R{i:05d}" for i in range(1, len(r) + 1)],
                        "account_id": ids[r], "survey_date": _fmt_date(survey),
                        "score": score})
    nps = nps[nps["survey_date"] <= AS_OF].reset_index(drop=True)

    # Support tickets: struggling accounts open more, in their first months especially.
    lam = (0.12 + 0.25 * (z[rows] < -0.5) + 0.3 * (k < 3)) * np.sqrt(s_seats / 20)
    n_t = rng.poisson(lam)
    trows = np.repeat(np.arange(len(rows)), n_t)
    # A ticket is opened on day 1-28 of a billed month; in the account's first month the day
    # is moved into [start date, month end] so that no ticket precedes the start. (Billed
    # months end before the end date's month, so every other day is inside the contract.)
    first_day = month[trows].astype("datetime64[D]")
    t_day = rng.integers(0, 28, len(trows))
    lo = np.where(k[trows] == 0, (start[rows[trows]] - first_day).astype(int), 0)
    days_in = ((month[trows] + 1).astype("datetime64[D]") - first_day).astype(int)
    t_day = np.where(k[trows] == 0, lo + (t_day * (days_in - lo)) // 28, t_day)
    opened = first_day + t_day.astype("timedelta64[D]")
    cats = np.array(["how-to", "bug", "billing", "feature request"])
    cat = cats[rng.choice(4, len(trows), p=[0.45, 0.25, 0.1, 0.2])]
    hours = np.round(rng.lognormal(np.log(np.select([cat == "bug", cat == "feature request"],
                                                    [20.0, 40.0], 5.0)), 0.8), 1)
    tickets = pd.DataFrame({"ticket_id": [f"T{i:06d}" for i in range(1, len(trows) + 1)],
                            "account_id": ids[rows][trows], "opened_date": _fmt_date(opened),
                            "category": cat, "hours_to_resolve": hours})
    tickets = tickets[tickets["opened_date"] <= AS_OF].reset_index(drop=True)
    return {"b2b_accounts": accounts, "b2b_usage_monthly": usage, "b2b_onboarding": onboarding,
            "b2b_nps": nps, "b2b_tickets": tickets}


def true_survival(business: str, months: int, *, phase_multiplier: dict | None = None,
                  n: int = 200_000, seed: int = 0) -> pd.Series:
    """The true survival curve of a new customer under the simulation's model (no censoring).

    ``S(t)`` = the probability that a customer who just started is still subscribed after
    ``t`` months (``t = 0 .. months``; ``S(0) = 1``), from the same hazards that generated the
    data, so that estimates made on simulated tables can be checked against the truth.

    - ``"b2c"``: exact up to a numerical integral over the members' churn propensity
      ``p ~ Beta(alpha, beta)`` (``n`` stratified quantiles), following each member's plan
      (single/double, with the monthly up- and downgrades) month by month;
    - ``"b2b"``: averages the exact survival probability of ``n`` accounts drawn from the
      model (their health, onboarding, outcome and frailty; Monte Carlo error about
      ``0.5 / sqrt(n)``).

    Parameters
    ----------
    business : {"b2c", "b2b"}
    months : int
        Last month of the curve.
    phase_multiplier : dict, optional
        A what-if: multiply the true hazard in a lifecycle phase (``"onboarding"`` = tenure
        months 0-2, ``"adoption"`` = 3-8, ``"maturity"`` = 9 on, the course's boundaries
        (3, 9)), e.g. ``{"onboarding": 0.8}`` for 20% less churn in onboarding.
    n : int
        Members (quantiles) or accounts used.
    seed : int
        Seed of the B2B draws.

    Returns
    -------
    pandas.Series
        ``S(t)`` indexed by ``t`` (months).

    Examples
    --------
    >>> s = true_survival("b2c", 12, n=20_000)
    >>> bool(s.iloc[0] == 1.0 and s.is_monotonic_decreasing)
    True
    >>> better = true_survival("b2c", 12, n=20_000, phase_multiplier={"onboarding": 0.8})
    >>> bool((better >= s).all())
    True
    """
    if business not in ("b2c", "b2b"):
        raise DataError(f"business: 'b2c' or 'b2b', got {business!r}.")
    if int(months) != months or months < 0:
        raise DataError(f"months: a whole number >= 0, got {months!r}.")
    factor = _phase_factor(phase_multiplier)
    out = np.ones(int(months) + 1)
    if business == "b2c":
        from scipy import stats

        P = TRUE_PARAMS["b2c"]
        p = stats.beta.ppf((np.arange(n) + 0.5) / n, P["alpha"], P["beta"])
        f = P["phase_factor"]
        b1, b2 = P["phase_boundaries"]
        single = np.full(n, 1 - P["share_double_at_join"])
        double = np.full(n, P["share_double_at_join"])
        up, down = P["upgrade_per_month"], P["downgrade_per_month"]
        for k in range(int(months)):
            phase = f["onboarding"] if k < b1 else f["adoption"] if k < b2 else f["maturity"]
            h = np.clip(p * phase, 0, 1)
            h_double = np.clip(p * phase * P["double_plan_factor"], 0, 1)
            single = single * (1 - np.clip(h * factor(k), 0, 1))
            double = double * (1 - np.clip(h_double * factor(k), 0, 1))
            single, double = single * (1 - up) + double * down, single * up + double * (1 - down)
            out[k + 1] = float(np.mean(single + double))
    else:
        lat = _b2b_latent(np.random.default_rng([seed, 11]), int(n))
        out = b2b_survival(lat["h_late"], int(months), phase_multiplier).mean(axis=0)
    return pd.Series(out, index=pd.RangeIndex(int(months) + 1, name="months"), name="survival")


def write_all(out_dir: str | Path, seed: int = DEFAULT_SEED, progress: bool | None = None, *,
              n_members: int | None = None, n_accounts: int | None = None) -> list[Path]:
    """Simulate both businesses and write every table of :data:`schema.TABLES` as CSV.

    Parameters
    ----------
    out_dir : path
        Folder to write into (created if needed).
    seed : int
        The seed; the same seed gives byte-identical files.
    progress : bool, optional
        Show a tqdm progress bar (default: when stderr is a terminal).
    n_members, n_accounts : int, optional
        Smaller businesses for quick trials; the defaults build the course data.

    Returns
    -------
    list of pathlib.Path
        The files written, one per table, in the order of :data:`schema.TABLES`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_all(folder, seed=1, n_members=100, n_accounts=50)
    ...     header = paths[0].read_text().splitlines()[0]
    >>> [p.name for p in paths][:2]
    ['b2b_accounts.csv', 'b2b_usage_monthly.csv']
    >>> header
    'account_id,industry,company_size,plan,channel,seats,start_date,end_date,mrr'
    """
    from tqdm.auto import tqdm

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    show = sys.stderr.isatty() if progress is None else progress
    steps = [("B2B SaaS", lambda: simulate_b2b(seed, n_accounts)),
             ("B2C club", lambda: simulate_b2c(seed, n_members))]
    written: list[Path] = []
    with tqdm(total=len(TABLES), disable=not show, desc="Simulating", unit="table") as bar:
        for label, fn in steps:
            bar.set_postfix_str(label)
            for name, df in fn().items():
                cols = list(TABLES[name])
                path = out / f"{name}.csv"
                df[cols].to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
                written.append(path)
                bar.update(1)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.simulate",
                                     description="Write the course's simulated datasets.")
    parser.add_argument("--out", default="data", help="output folder (default: data)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    paths = write_all(args.out, seed=args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"Wrote {len(paths)} tables ({total / 2**20:.1f} MiB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
