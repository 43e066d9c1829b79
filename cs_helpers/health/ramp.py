"""The onboarding ramp: what accounts of a given age typically reach, so that alerts hold a new
account to its age's bar (:mod:`cs_helpers.health`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import dates, errors
from ..errors import DataError
from .scores import Signal, _check_months, _prepare, _resolve_signals, _to_month

__all__ = ["Ramp", "DEFAULT_RAMP", "ramp_curve"]


# --------------------------------------------------------------------------------------------
# tenure and the onboarding ramp
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ramp:
    """How the alert rules allow for the onboarding ramp: new accounts use the product less
    while they start, so a low value is judged against what accounts *of the same age* reach.

    An account's **tenure** in a month is the number of calendar months since its start month
    (0 in its first month). For every tenure month ``t`` below ``mature_after``, the *ramp
    factor* of a signal is its level at tenure ``t`` divided by the level of **the same
    accounts** at tenure ``mature_after`` (capped at 1):

    - for a ``"ratio"`` signal, level = sum of the numerator / sum of the denominator over
      those accounts (e.g. active users / seats); for a ``"mean"`` signal or a usage column,
      the sum over those accounts divided by their number;
    - only accounts observed both at ``t`` and at ``mature_after`` count, so the factor measures
      how accounts grow into the product, not the fact that the accounts still there after
      ``mature_after`` months are the healthier ones (comparing young accounts with other,
      established accounts would mix the ramp with that sorting and excuse real risk);
    - they are pooled over every month up to the month checked (no look-ahead), so they rest
      on every account that has been through that age, not on the few that are new this month;
    - a tenure month with fewer than ``min_rows`` such accounts (or a level of 0 at
      ``mature_after``) gets factor 1: no allowance where the data cannot say.

    :func:`alerts` then holds each account to the bar for established accounts times the ramp
    factor of its months in the window (see :class:`LowSignal`, :class:`NoActivity`,
    :class:`TicketSpike`). Where new accounts already reach the established level the factors
    are 1 and the rules are unchanged; the allowance only ever lowers a bar, never raises it.

    Choose ``mature_after`` longer than the onboarding you expect: the default, six months,
    leaves room for a quarter of onboarding and some slack. What is typical at an age is taken
    as normal, so a whole cohort that is new and at risk is not flagged by comparison with
    itself; keep onboarding milestones (notebook 07) for the first months.

    Parameters
    ----------
    mature_after : int, default 6
        Tenure (months) from which an account counts as established: the reference month.
    min_rows : int, default 50
        Fewest accounts (observed at both tenures) needed to estimate a factor; below it the
        ratio is too noisy for sparse counts such as deals.

    Examples
    --------
    >>> Ramp()
    Ramp(mature_after=6, min_rows=50)
    >>> Ramp(mature_after=0)
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Ramp.mature_after: must be a whole number of months >= 1; got 0.
    """

    mature_after: int = 6
    min_rows: int = 50

    def __post_init__(self) -> None:
        _check_months(self.mature_after, "Ramp.mature_after")
        if isinstance(self.min_rows, bool) or not isinstance(self.min_rows, (int, np.integer)) \
                or self.min_rows < 1:
            raise DataError(f"Ramp.min_rows: must be a whole number >= 1; got {self.min_rows!r}.")


#: The default ramp allowance of :func:`alerts` (``ramp=None`` switches it off).
DEFAULT_RAMP = Ramp()


def _check_one_row_per_month(rows: pd.DataFrame, id_col: str, month_col: str) -> None:
    """DataError when an account has two rows for one month (compared as month numbers: fast)."""
    key = pd.DataFrame({"i": rows[id_col].to_numpy(),
                        "m": pd.PeriodIndex(rows["_month"]).asi8})
    errors._fail(rows, month_col, f"one row per {id_col} and month",
                 key.duplicated(keep=False).to_numpy(), id_col)


def _start_months(prep: pd.DataFrame, id_col: str, accounts: pd.DataFrame | None,
                  start_col: str) -> tuple[pd.Series, pd.Series]:
    """Per account (index: id as text): start month ordinal (NaN when unknown) and the first
    month ordinal with usage."""
    key = prep[id_col].astype(str)
    first = pd.Series(pd.PeriodIndex(prep["_month"]).asi8, index=prep.index)
    first_seen = first.groupby(key).min().astype(float)
    if accounts is None:
        # Accounts already there in the table's first month may have started long before:
        # their start (and tenure) is unknown.
        start = first_seen.where(first_seen != first.min())
        return start, first_seen
    errors.check_columns(accounts, [id_col, start_col], "accounts")
    errors.check_unique(accounts, id_col)
    starts = dates.parse_dates(accounts, start_col, id_col)
    by_id = pd.Series(pd.PeriodIndex(starts.dt.to_period("M")).asi8.astype(float),
                      index=accounts[id_col].astype(str).to_numpy())
    unknown = ~first_seen.index.isin(by_id.index)
    if unknown.any():
        ids = first_seen.index[unknown]
        raise DataError(f"Column '{id_col}': accounts with usage must appear in the accounts "
                        f"table (it gives their start date, for tenure) — {len(ids):,} "
                        f"accounts do not (first ids: {', '.join(ids[:5])}).")
    return by_id.reindex(first_seen.index), first_seen


def _tenure_rows(rows: pd.DataFrame, id_col: str, start: pd.Series, first_seen: pd.Series,
                 month_col: str, mature_after: int | None) -> pd.Series:
    """Tenure (months since the start month) of each usage row; NaN when unknown. With
    ``mature_after``, rows of accounts of unknown start that have been in the table at least
    that long count as established (tenure = months since first seen)."""
    key = rows[id_col].astype(str)
    month = pd.Series(pd.PeriodIndex(rows["_month"]).asi8, index=rows.index).astype(float)
    t = month - key.map(start).to_numpy()
    neg = (t < 0).to_numpy()
    errors._fail(rows, month_col, "usage months must not come before the account's start "
                 "month (negative tenure): check the start dates", neg, id_col)
    if mature_after is not None:
        seen = month - key.map(first_seen).to_numpy()
        t = t.where(t.notna() | (seen < mature_after), seen)
    return t


def _ramp_levels(rows: pd.DataFrame, tenure: pd.Series, sig: Signal, ramp: Ramp,
                 id_col: str) -> pd.DataFrame:
    """Ramp factor of ``sig`` per tenure month 0 .. mature_after - 1: the level at that tenure
    relative to the same accounts' level at tenure ``mature_after`` (see :class:`Ramp`)."""
    m = ramp.mature_after
    idx = pd.RangeIndex(m)
    if sig.how == "trend":
        return pd.DataFrame({"tenure_months": idx, "accounts": 0, "level": np.nan,
                             "established_level": np.nan, "factor": 1.0, "adjusted": False})
    keep = (tenure <= m).to_numpy()            # NaN (unknown) compares False
    r = rows[keep]
    d = pd.DataFrame({"_key": r[id_col].to_numpy(), "_t": tenure[keep].to_numpy(dtype=int),
                      "_num": errors.check_non_negative(r, sig.column, id_col).to_numpy(),
                      "_den": (errors.check_non_negative(r, sig.per, id_col).to_numpy()
                               if sig.how == "ratio" else 1.0)})
    ref = d[d["_t"] == m].drop(columns="_t")
    pairs = d[d["_t"] < m].merge(ref, on="_key", suffixes=("", "_ref"))
    g = pairs.groupby("_t")[["_num", "_den", "_num_ref", "_den_ref"]].sum().reindex(idx)
    n = pairs.groupby("_t").size().reindex(idx, fill_value=0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = g["_num"] / g["_den"]
        ref_level = g["_num_ref"] / g["_den_ref"]
        ratio = level / ref_level
    ok = (n >= ramp.min_rows) & (ref_level > 0) & np.isfinite(ratio)
    return pd.DataFrame({"tenure_months": idx, "accounts": n.to_numpy(),
                         "level": level.to_numpy(), "established_level": ref_level.to_numpy(),
                         "factor": ratio.clip(upper=1.0).where(ok, 1.0).to_numpy(),
                         "adjusted": ok.to_numpy()})


def ramp_curve(usage: pd.DataFrame, *, accounts: pd.DataFrame | None = None,
               signals: Mapping[str, Signal] | None = None, columns: Sequence[str] = (),
               as_of: Any = None, ramp: Ramp = DEFAULT_RAMP, id_col: str = "account_id",
               month_col: str = "month", start_col: str = "start_date") -> pd.DataFrame:
    """The onboarding ramp in the data: each signal's level by tenure month, and its factor.

    This is what :func:`alerts` uses to hold new accounts to what accounts of their age reach
    (see :class:`Ramp` for the definitions).

    Parameters
    ----------
    usage : pandas.DataFrame
        Monthly usage (as for :func:`score`); rows after ``as_of`` are not read.
    accounts : pandas.DataFrame, optional
        One row per account with ``id_col`` and ``start_col``: tenure counts from the start
        month. Without it, tenure counts from the account's first month in ``usage``, and
        accounts already present in the table's first month have an unknown start (they count
        as established once they have been in the table ``mature_after`` months, and are left
        out of the younger tenure months).
    signals : mapping name -> :class:`Signal`, optional
        Default :data:`DEFAULT_SIGNALS`; ``"trend"`` signals have no ramp and are skipped.
    columns : sequence of str
        Usage columns whose monthly mean to add (as :class:`NoActivity` uses them).
    as_of : date or month, optional
        Last month read (default: the latest in ``usage``).
    ramp : Ramp
        ``mature_after`` and ``min_rows``.
    id_col, month_col, start_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per series (signal name or column) and tenure month ``0 .. mature_after - 1``:
        ``series``, ``tenure_months``, ``accounts`` (observed at that tenure and at
        ``mature_after``), ``level`` (theirs at that tenure), ``established_level`` (the same
        accounts' at ``mature_after``), ``factor`` (level / established level, capped at 1; 1
        where not ``adjusted``) and ``adjusted`` (enough accounts to estimate it).

    Raises
    ------
    DataError
        Missing columns, bad dates, two rows for one account and month, negative or missing
        usage values, accounts with usage missing from ``accounts``, or usage before an
        account's start month (negative tenure).

    Examples
    --------
    Forty accounts: in their first month they use 2 of 10 seats, from the second month on 6,
    so in their first month they reach a third of the level they have two months later:

    >>> rows = [(f"A{i}", m, 10, 2 if m == f"2025-{1 + i % 3:02d}-01" else 6)
    ...         for i in range(40) for m in ["2025-01-01", "2025-02-01", "2025-03-01",
    ...                                      "2025-04-01", "2025-05-01"]
    ...         if m >= f"2025-{1 + i % 3:02d}-01"]
    >>> usage = pd.DataFrame(rows, columns=["account_id", "month", "seats", "users"])
    >>> accounts = pd.DataFrame({"account_id": [f"A{i}" for i in range(40)],
    ...                          "start_date": [f"2025-{1 + i % 3:02d}-10" for i in range(40)]})
    >>> c = ramp_curve(usage, accounts=accounts, ramp=Ramp(mature_after=2, min_rows=10),
    ...                signals={"use": Signal("ratio", "users", per="seats")})
    >>> c[["series", "tenure_months", "accounts", "level", "established_level", "factor"]]
      series  tenure_months  accounts  level  established_level    factor
    0    use              0        40    0.2                0.6  0.333333
    1    use              1        40    0.6                0.6  1.000000
    """
    if not isinstance(ramp, Ramp):
        raise DataError(f"ramp: expected a health.Ramp, got {type(ramp).__name__}.")
    sigs = {k: s for k, s in _resolve_signals(signals, None).items() if s.how != "trend"}
    sigs.update({c: Signal("mean", c) for c in columns})
    prep = _prepare(usage, id_col, month_col, [c for s in sigs.values() for c in s.columns])
    month = prep["_month"].max() if as_of is None else _to_month(as_of)
    prep = prep[prep["_month"] <= month]
    _check_one_row_per_month(prep, id_col, month_col)
    start, first_seen = _start_months(prep, id_col, accounts, start_col)
    tenure = _tenure_rows(prep, id_col, start, first_seen, month_col, ramp.mature_after)
    parts = [_ramp_levels(prep, tenure, sig, ramp, id_col).assign(series=name)
             for name, sig in sigs.items()]
    out = pd.concat(parts, ignore_index=True)
    cols = ["series", "tenure_months", "accounts", "level", "established_level", "factor",
            "adjusted"]
    return out[cols]
