"""Health scores, green/yellow/red status, alerts and a back-test against later churn.

What CS tools automate, done in the open on a monthly usage table (one row per account per month
it was a customer, e.g. the course's ``b2b_usage_monthly``):

1. :func:`score` turns a few usage **signals** over the last ``lookback`` months into 0-100
   sub-scores and a weighted **health score** 0-100 (:data:`DEFAULT_SIGNALS` says how each is
   computed and weighted). It reads only data up to and including ``as_of``: no look-ahead.
2. :func:`status` cuts the score into red / yellow / green.
3. :func:`alerts` applies simple rules (health dropped 15 points, utilisation below 30%, no deals
   for 3 months, a detractor NPS answer in the last 6 months, a spike in tickets) and suggests a
   task for each alert, as a CS tool's "an alert creates a task". By default the rules allow for
   the **onboarding ramp** (:class:`Ramp`): a new account is held to what accounts of its age
   typically reach (:func:`ramp_curve`), not to the bar for established accounts; ``ramp=None``
   keeps every account to the established bar.
4. :func:`alert_history` runs the rules month after month and marks each alert new or repeated;
   :func:`worklist` turns alerts into one call per account, ranked and cut at the team's
   capacity.
5. :func:`backtest` checks whether the score would have predicted churn: score at ``as_of``, then
   look at who churned in the next ``horizon`` months; churn rate per status, AUC and lift.
   :func:`backtest_alerts` does the same for alert rules: precision and lift per rule.

Column names are arguments, so any usage table works.

>>> import pandas as pd
>>> from cs_helpers import health
>>> usage = pd.DataFrame({
...     "account_id": ["A", "B", "C"], "month": ["2025-03-01"] * 3, "seats": [10, 10, 10],
...     "active_users": [9, 5, 1], "cards_scanned": [300, 100, 10],
...     "deals_sourced": [4, 2, 0], "mrr": [100_000.0, 100_000.0, 100_000.0]})
>>> s = health.score(usage)
>>> s[["account_id", "utilisation", "health"]]
  account_id  utilisation  health
0          A          0.9   100.0
1          B          0.5    50.0
2          C          0.1     0.0
>>> list(health.status(s))
['green', 'yellow', 'red']
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import stats

from . import errors
from .errors import DataError, DataWarning

__all__ = ["Signal", "DEFAULT_SIGNALS", "STATUSES", "DEFAULT_THRESHOLDS", "score", "history",
           "status", "Ramp", "DEFAULT_RAMP", "ramp_curve", "HealthDrop", "LowSignal",
           "NoActivity", "Detractor", "TicketSpike", "DEFAULT_RULES", "alerts", "alert_history",
           "worklist", "Backtest", "backtest", "AlertBacktest", "backtest_alerts"]

#: Health statuses from worst to best.
STATUSES: tuple[str, str, str] = ("red", "yellow", "green")

#: red < 40 <= yellow < 70 <= green.
DEFAULT_THRESHOLDS: tuple[float, float] = (40.0, 70.0)


@dataclass(frozen=True)
class Signal:
    """How one usage signal is computed over the lookback window and scored 0-100.

    Parameters
    ----------
    how : {"ratio", "mean", "trend"}
        ``"ratio"``: sum of ``column`` / sum of ``per`` over the window's months (e.g. active
        users / seats = seat utilisation); ``"mean"``: monthly mean of ``column``; ``"trend"``:
        relative change of ``column`` from the account's first to its last month in the window
        (``last / first - 1``; missing when there is only one month or the first is 0).
    column : str
        The usage column.
    per : str, optional
        The denominator column for ``"ratio"``.
    weight : float
        Weight in the health score (weights are normalised to sum to 1).
    scale : (low, high), optional
        Fixed thresholds: sub-score 0 at or below ``low``, 100 at or above ``high``, linear in
        between. ``None`` (default): **percentile rank** among the accounts scored at the same
        ``as_of``: ``100 * (rank - 1) / (n - 1)`` with ties sharing their average rank (worst 0,
        best 100, 50 when only one account).
    higher_is_better : bool, default True
        ``False`` flips the sub-score (e.g. for support tickets).
    description : str
        One line for documentation and notebooks.

    Examples
    --------
    >>> Signal("ratio", "active_users", per="seats", scale=(0.2, 0.8)).how
    'ratio'
    """

    how: Literal["ratio", "mean", "trend"]
    column: str
    per: str | None = None
    weight: float = 1.0
    scale: tuple[float, float] | None = None
    higher_is_better: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        if self.how not in ("ratio", "mean", "trend"):
            raise DataError(f"Signal.how: use 'ratio', 'mean' or 'trend'; got {self.how!r}.")
        if self.how == "ratio" and not self.per:
            raise DataError(f"Signal on {self.column!r}: a 'ratio' needs per= (denominator).")
        if not np.isfinite(self.weight) or self.weight < 0:
            raise DataError(f"Signal on {self.column!r}: weight must be >= 0; got {self.weight}.")
        if self.scale is not None and not (len(self.scale) == 2
                                           and float(self.scale[0]) < float(self.scale[1])):
            raise DataError(f"Signal on {self.column!r}: scale must be (low, high) with "
                            f"low < high; got {self.scale}.")

    @property
    def columns(self) -> list[str]:
        """The usage columns this signal reads."""
        return [self.column] + ([self.per] if self.per else [])


#: The default health signals for the B2B usage table (``b2b_usage_monthly``).
DEFAULT_SIGNALS: dict[str, Signal] = {
    "utilisation": Signal(
        "ratio", "active_users", per="seats", weight=0.35, scale=(0.2, 0.8),
        description="Seat utilisation: active users / seats over the window; "
                    "score 0 at <= 20%, 100 at >= 80%, linear in between."),
    "cards_per_seat": Signal(
        "ratio", "cards_scanned", per="seats", weight=0.20,
        description="Business cards scanned per seat per month; percentile rank."),
    "deals_sourced": Signal(
        "mean", "deals_sourced", weight=0.25,
        description="Deals sourced per month (the customer's business outcome); "
                    "percentile rank."),
    "mrr_trend": Signal(
        "trend", "mrr", weight=0.20,
        description="MRR change from the first to the last month of the window "
                    "(expansion high, contraction low); percentile rank."),
}


# --------------------------------------------------------------------------------------------
# preparation and scoring
# --------------------------------------------------------------------------------------------

def _to_month(value: Any, what: str = "as_of") -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    try:
        return pd.Period(pd.Timestamp(value), freq="M")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{what}: expected a date or month such as '2025-03'; "
                        f"got {value!r}.") from exc


def _resolve_signals(signals: Mapping[str, Signal] | None,
                     weights: Mapping[str, float] | None) -> dict[str, Signal]:
    sigs = dict(DEFAULT_SIGNALS if signals is None else signals)
    if not sigs:
        raise DataError("signals: give at least one signal.")
    for name, sig in sigs.items():
        if not isinstance(sig, Signal):
            raise DataError(f"signals[{name!r}]: expected a health.Signal, got "
                            f"{type(sig).__name__}.")
    if weights is not None:
        unknown = [k for k in weights if k not in sigs]
        if unknown:
            raise DataError(f"weights: unknown signal(s) {unknown}; signals are {list(sigs)}.")
        sigs = {k: Signal(s.how, s.column, s.per, float(weights.get(k, s.weight)), s.scale,
                          s.higher_is_better, s.description) for k, s in sigs.items()}
    if sum(s.weight for s in sigs.values()) <= 0:
        raise DataError("weights: at least one signal needs a weight above 0.")
    return sigs


def _prepare(usage: pd.DataFrame, id_col: str, month_col: str,
             columns: Iterable[str]) -> pd.DataFrame:
    """Check the usage table's columns and add ``_month`` (a monthly Period)."""
    errors.check_columns(usage, [id_col, month_col], "usage")
    missing = [c for c in dict.fromkeys(columns) if c not in usage.columns]
    if missing:
        have = ", ".join(repr(c) for c in list(usage.columns)[:15])
        word = "Column" if len(missing) == 1 else "Columns"
        raise DataError(f"{word} {', '.join(repr(c) for c in missing)}: required column missing "
                        f"from the usage table (it has: {have}). The health signals read it: "
                        "pass signals={name: health.Signal(...)} naming your columns.")
    errors.check_not_empty(usage, "usage")
    months = errors.parse_dates(usage, month_col, id_col).dt.to_period("M")
    return usage.assign(_month=months)


def _window(prep: pd.DataFrame, as_of: pd.Period, months: int) -> pd.DataFrame:
    m = prep["_month"]
    return prep[(m > as_of - months) & (m <= as_of)]


def _percentile(values: pd.Series) -> pd.Series:
    """100 * (average rank - 1) / (n - 1) among non-missing values; 50 when n == 1."""
    n = values.notna().sum()
    if n <= 1:
        return pd.Series(np.where(values.notna(), 50.0, np.nan), index=values.index)
    return 100.0 * (values.rank(method="average") - 1.0) / (n - 1.0)


def _subscore(values: pd.Series, sig: Signal) -> pd.Series:
    if sig.scale is None:
        sub = _percentile(values)
    else:
        lo, hi = float(sig.scale[0]), float(sig.scale[1])
        sub = 100.0 * ((values - lo) / (hi - lo)).clip(0.0, 1.0)
    return sub if sig.higher_is_better else 100.0 - sub


def _signal_values(win: pd.DataFrame, id_col: str, sig: Signal) -> pd.Series:
    g = win.groupby(id_col, sort=True, observed=True)
    if sig.how == "ratio":
        num = g[sig.column].sum()
        den = g[sig.per].sum()
        return (num / den.where(den > 0)).astype(float)
    if sig.how == "mean":
        return g[sig.column].mean().astype(float)
    ordered = win.sort_values([id_col, "_month"])
    go = ordered.groupby(id_col, sort=True, observed=True)[sig.column]
    first, last, n = go.first(), go.last(), go.size()
    trend = last / first.where(first > 0) - 1.0
    return trend.where(n > 1).astype(float)


def _score_prepared(prep: pd.DataFrame, as_of: pd.Period, *, id_col: str, month_col: str,
                    sigs: Mapping[str, Signal], lookback: int) -> pd.DataFrame:
    win = _window(prep, as_of, lookback)
    # Only the window is read, so only the window is checked: later rows never matter.
    dup = win.duplicated([id_col, "_month"], keep=False).to_numpy()
    errors._fail(win, month_col, f"one row per {id_col} and month", dup, id_col)
    errors.check_no_missing(win, id_col, rule="ids must not be missing")
    used = dict.fromkeys(c for s in sigs.values() for c in s.columns)
    clean = {c: errors.check_non_negative(win, c, id_col) for c in used}
    win = win.assign(**clean)
    active = win.loc[win["_month"] == as_of, id_col].unique()
    if len(active) == 0:
        raise DataError(f"No account has a usage row in {as_of} (as_of): nothing to score. "
                        f"The usage table covers {prep['_month'].min()} to "
                        f"{prep['_month'].max()}.")
    win = win[win[id_col].isin(active)]
    out = pd.DataFrame(index=pd.Index(np.sort(active), name=id_col))
    out["as_of"] = as_of.to_timestamp()
    out["months_observed"] = win.groupby(id_col, observed=True).size().reindex(out.index)
    for name, sig in sigs.items():
        out[name] = _signal_values(win, id_col, sig).reindex(out.index)
    subs = pd.DataFrame({f"{name}_score": _subscore(out[name], sig)
                         for name, sig in sigs.items()}, index=out.index)
    w = np.array([sig.weight for sig in sigs.values()], dtype=float)
    available = subs.notna().to_numpy()
    total_w = (available * w).sum(axis=1)
    weighted = (np.nan_to_num(subs.to_numpy()) * w).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        health = np.where(total_w > 0, weighted / total_w, np.nan)
    out = pd.concat([out, subs], axis=1)
    out["health"] = health
    return out.reset_index()


def score(usage: pd.DataFrame, *, id_col: str = "account_id", month_col: str = "month",
          signals: Mapping[str, Signal] | None = None,
          weights: Mapping[str, float] | None = None, as_of: Any = None,
          lookback: int = 3) -> pd.DataFrame:
    """Health score 0-100 of every account active in the ``as_of`` month.

    Parameters
    ----------
    usage : pandas.DataFrame
        One row per account per month it was a customer: ``id_col``, ``month_col`` (any date in
        the month) and the columns the signals read.
    id_col, month_col : str
        Account id and month column names.
    signals : mapping name -> :class:`Signal`, optional
        What to measure; defaults to :data:`DEFAULT_SIGNALS` (utilisation, cards per seat,
        deals sourced, MRR trend).
    weights : mapping name -> float, optional
        Override some signals' weights (e.g. ``{"mrr_trend": 0}`` to leave it out).
    as_of : date or month, optional
        The month scored; defaults to the latest month in ``usage``. Only rows of the
        ``lookback`` months ending at ``as_of`` are read (and checked): no look-ahead.
    lookback : int, default 3
        Months in the window, ``as_of`` included.

    Returns
    -------
    pandas.DataFrame
        One row per account with a usage row in the ``as_of`` month, sorted by id: ``id_col``,
        ``as_of`` (first day of the month), ``months_observed`` (months of the window the
        account has, fewer for new accounts), each signal's value, each ``<signal>_score``
        (0-100) and ``health`` = weighted mean of the sub-scores. A sub-score that cannot be
        computed (e.g. a trend with a single month) is left out and the other weights are
        rescaled; ``health`` is missing only when no sub-score is available.

    Raises
    ------
    DataError
        Missing columns, dates that are not dates, two rows for one account and month, signal
        values missing, non-numeric or negative in the window, or no account in ``as_of``.

    Examples
    --------
    Three accounts with 10 seats each over two months. A uses 13 of 20 seat-months (65%):
    (0.65 - 0.2) / 0.6 = 75; it ranks first on the three percentile signals (100), so its health
    is 0.35 x 75 + 0.65 x 100 = 91.25. B is in the middle everywhere (50), C last (0):

    >>> usage = pd.DataFrame({
    ...     "account_id": ["A", "B", "C"] * 2, "month": ["2025-02-01"] * 3 + ["2025-03-01"] * 3,
    ...     "seats": 10, "active_users": [6, 5, 1, 7, 5, 1], "cards_scanned": [50, 40, 30] * 2,
    ...     "deals_sourced": [2, 1, 0] * 2, "mrr": [1.0, 1.0, 1.0, 1.2, 1.0, 0.9]})
    >>> score(usage, as_of="2025-03")[["account_id", "utilisation_score", "mrr_trend", "health"]]
      account_id  utilisation_score  mrr_trend  health
    0          A               75.0        0.2   91.25
    1          B               50.0        0.0   50.0
    2          C                0.0       -0.1    0.0
    """
    sigs = _resolve_signals(signals, weights)
    lookback = _check_months(lookback, "lookback")
    cols = [c for s in sigs.values() for c in s.columns]
    prep = _prepare(usage, id_col, month_col, cols)
    month = prep["_month"].max() if as_of is None else _to_month(as_of)
    return _score_prepared(prep, month, id_col=id_col, month_col=month_col, sigs=sigs,
                           lookback=lookback)


def _check_months(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise DataError(f"{what}: must be a whole number of months >= 1; got {n!r}.")
    return int(n)


def history(usage: pd.DataFrame, months: Iterable[Any] | None = None, *,
            id_col: str = "account_id", month_col: str = "month",
            signals: Mapping[str, Signal] | None = None,
            weights: Mapping[str, float] | None = None, lookback: int = 3) -> pd.DataFrame:
    """:func:`score` for several months stacked: one row per account per month scored.

    Each month is scored with data up to that month only (percentile ranks are taken among the
    accounts active in that month).

    Parameters
    ----------
    usage : pandas.DataFrame
        As for :func:`score`.
    months : iterable of dates or months, optional
        Months to score; defaults to every month in ``usage``.
    id_col, month_col, signals, weights, lookback
        As for :func:`score`.

    Returns
    -------
    pandas.DataFrame
        The :func:`score` columns, ``as_of`` telling the month.

    Examples
    --------
    >>> usage = pd.DataFrame({"account_id": ["A", "B", "A", "B"],
    ...                       "month": ["2025-01-01"] * 2 + ["2025-02-01"] * 2,
    ...                       "users": [5, 1, 1, 5], "seats": 10})
    >>> sig = {"use": Signal("ratio", "users", per="seats")}
    >>> history(usage, signals=sig, lookback=1)[["account_id", "as_of", "health"]]
      account_id      as_of  health
    0          A 2025-01-01   100.0
    1          B 2025-01-01     0.0
    2          A 2025-02-01     0.0
    3          B 2025-02-01   100.0
    """
    sigs = _resolve_signals(signals, weights)
    lookback = _check_months(lookback, "lookback")
    prep = _prepare(usage, id_col, month_col, [c for s in sigs.values() for c in s.columns])
    todo = sorted(prep["_month"].unique()) if months is None else \
        sorted({_to_month(m, "months") for m in months})
    parts = [_score_prepared(prep, m, id_col=id_col, month_col=month_col, sigs=sigs,
                             lookback=lookback) for m in todo]
    return pd.concat(parts, ignore_index=True)


def status(score: Any, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> Any:
    """Red / yellow / green from a 0-100 health score.

    ``red < thresholds[0] <= yellow < thresholds[1] <= green``; with the default (40, 70) a
    score of 40 is yellow and 70 is green.

    Parameters
    ----------
    score : pandas.Series, array-like or DataFrame
        Health scores in [0, 100] (a DataFrame from :func:`score`: its ``health`` column).
        Missing scores get a missing status.
    thresholds : (float, float), default (40, 70)
        ``0 <= low < high <= 100``.

    Returns
    -------
    pandas.Series or pandas.Categorical
        Ordered categorical red < yellow < green; a Series (same index) for Series and
        DataFrame input.

    Examples
    --------
    >>> list(status([10, 39.9, 40, 69.9, 70, 100]))
    ['red', 'red', 'yellow', 'yellow', 'green', 'green']
    """
    t = np.asarray(thresholds, dtype=float)
    if t.shape != (2,) or not np.all(np.isfinite(t)) or not 0 <= t[0] < t[1] <= 100:
        raise DataError(f"thresholds: give (low, high) with 0 <= low < high <= 100; "
                        f"got {tuple(np.atleast_1d(thresholds).tolist())}.")
    if isinstance(score, pd.DataFrame):
        errors.check_columns(score, ["health"], "scores")
        score = score["health"]
    is_series = isinstance(score, pd.Series)
    s = score if is_series else pd.Series(np.asarray(score, dtype=float).ravel())
    frame = s.rename("health").to_frame()
    values = pd.to_numeric(frame["health"], errors="coerce")
    errors._fail(frame, "health", "health scores must be numbers",
                 (values.isna() & frame["health"].notna()).to_numpy(), None)
    v = values.to_numpy(dtype=float)
    errors._fail(frame, "health", "health scores must lie in 0..100",
                 ~np.isnan(v) & ((v < 0) | (v > 100)), None)
    codes = np.where(np.isnan(v), -1, np.searchsorted(t, np.nan_to_num(v), side="right"))
    cat = pd.Categorical.from_codes(codes, categories=list(STATUSES), ordered=True)
    if is_series:
        return pd.Series(cat, index=s.index, name="status")
    return cat


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
    starts = errors.parse_dates(accounts, start_col, id_col)
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


# --------------------------------------------------------------------------------------------
# alerts
# --------------------------------------------------------------------------------------------

@dataclass
class _Context:
    """What the alert rules see: everything up to and including ``as_of``."""

    as_of: pd.Period
    id_col: str
    usage: pd.DataFrame               # prepared usage rows up to as_of (with ``_month``)
    now: pd.DataFrame                 # health scores at as_of
    prev: pd.DataFrame | None         # health scores a month earlier (None if no data)
    nps: pd.DataFrame | None          # columns id, _month, _score
    tickets: pd.DataFrame | None      # columns id, _month
    sigs: Mapping[str, Signal] = field(default_factory=dict)
    lookback: int = 3
    ramp: Ramp | None = None
    tenure: pd.Series | None = None   # tenure of each row of ``usage`` (NaN unknown)
    _levels: dict = field(default_factory=dict)

    def ramp_levels(self, name: str, sig: Signal) -> pd.DataFrame | None:
        """The ramp table of a signal (None without a ramp); computed once per context."""
        if self.ramp is None or self.tenure is None:
            return None
        if name not in self._levels:
            self._levels[name] = _ramp_levels(self.usage, self.tenure, sig, self.ramp,
                                              self.id_col)
        return self._levels[name]

    def row_factors(self, name: str, sig: Signal) -> pd.Series:
        """Ramp factor of each usage row (1 for established rows or unknown tenure)."""
        levels = self.ramp_levels(name, sig)
        if levels is None:
            return pd.Series(1.0, index=self.usage.index)
        t = self.tenure
        f = t.map(pd.Series(levels["factor"].to_numpy(), index=levels["tenure_months"]
                            .to_numpy(dtype=float)))
        return f.fillna(1.0)

    def window_expectation(self, name: str, sig: Signal) -> pd.Series:
        """Per account scored: the ramp factor of its scoring window (1 = established)."""
        ids = self.now[self.id_col]
        if self.ramp is None or sig.how == "trend":
            return pd.Series(1.0, index=ids.to_numpy())
        f = self.row_factors(name, sig)
        win = _window(self.usage, self.as_of, self.lookback)
        fw = f.loc[win.index]
        if sig.how == "ratio":
            den = win[sig.per].astype(float)
            num = (fw * den).groupby(win[self.id_col], observed=True).sum()
            tot = den.groupby(win[self.id_col], observed=True).sum()
            exp = (num / tot.where(tot > 0)).fillna(1.0)
        else:
            exp = fw.groupby(win[self.id_col], observed=True).mean()
        return exp.reindex(ids.to_numpy()).fillna(1.0)

    def tenure_now(self) -> pd.Series:
        """Tenure in the ``as_of`` month per account scored (NaN unknown)."""
        rows = self.usage["_month"] == self.as_of
        t = self.tenure if self.tenure is not None else pd.Series(np.nan, self.usage.index)
        by_id = pd.Series(t[rows].to_numpy(), index=self.usage.loc[rows, self.id_col].to_numpy())
        return by_id.reindex(self.now[self.id_col].to_numpy())


def _empty_alerts(id_col: str) -> pd.DataFrame:
    return pd.DataFrame({id_col: pd.Series(dtype=object), "detail": pd.Series(dtype=object)})


def _month_word(t: float) -> str:
    k = int(t) + 1
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(k if k < 20 else k % 10, "th")
    return f"{k}{suffix} month"


@dataclass(frozen=True)
class HealthDrop:
    """Health fell by at least ``points`` against the previous month.

    The rule compares an account with itself, so it needs no ramp allowance: while a new
    account ramps up its health rises rather than drops.
    """

    points: float = 15.0
    name: str = "health_drop"
    task: str = ("Call the account within 5 working days: ask what changed and agree a "
                 "recovery plan.")
    needs: str | None = None

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        if ctx.prev is None:
            return _empty_alerts(ctx.id_col)
        both = ctx.now[[ctx.id_col, "health"]].merge(
            ctx.prev[[ctx.id_col, "health"]], on=ctx.id_col, suffixes=("", "_prev"))
        drop = both["health"] - both["health_prev"]
        hit = both[drop <= -self.points]
        detail = [f"health {p:.0f} -> {h:.0f} ({h - p:+.0f} points in a month; rule: a drop "
                  f"of {self.points:g} or more)" for h, p in zip(hit["health"],
                                                              hit["health_prev"], strict=True)]
        return pd.DataFrame({ctx.id_col: hit[ctx.id_col].to_numpy(), "detail": detail})


@dataclass(frozen=True)
class LowSignal:
    """A signal's value over the scoring window is below ``below`` (e.g. utilisation < 30%).

    With a ramp (the default of :func:`alerts`), ``below`` is the bar for established accounts;
    an account still in its ramp months is held to ``below`` x the ramp factor of its window
    (for a ratio, the factors of its window months weighted by the denominator, e.g. seats;
    for a mean, their average), that is, to what accounts of its age typically reach relative
    to established ones; and an account is judged only once it has been a customer for the
    whole scoring window (``lookback`` months), since a shorter window is a noisier measure.
    ``ramp=None`` holds every account to ``below``, whatever its age.
    """

    signal: str = "utilisation"
    below: float = 0.30
    name: str = "low_utilisation"
    task: str = ("Run a re-onboarding session for inactive users and review the seat count "
                 "with the admin.")
    fmt: str = "{:.0%}"
    needs: str | None = None

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        if self.signal not in ctx.now.columns:
            raise DataError(f"Rule {self.name!r}: no signal {self.signal!r} in the health "
                            f"score; signals are computed by health.score(signals=...).")
        vals = ctx.now[self.signal].to_numpy(dtype=float)
        sig = ctx.sigs.get(self.signal)
        if sig is None:
            expect = np.ones(len(vals))
        else:
            expect = ctx.window_expectation(self.signal, sig).to_numpy(dtype=float)
        bar = self.below * expect
        tenure = ctx.tenure_now().to_numpy(dtype=float)
        hit = vals < bar
        if ctx.ramp is not None:
            # judged on a full window, as established accounts are: an account younger than
            # the window has fewer months of data, so a noisier value
            hit &= ~(tenure + 1 < ctx.lookback)
        detail = []
        for v, b, e, t in zip(vals[hit], bar[hit], expect[hit], tenure[hit], strict=True):
            text = (f"{self.signal} {self.fmt.format(v)} over the scoring window (rule: below "
                    f"{self.fmt.format(self.below)}")
            if e < 1:
                text += (f" once established; in its {_month_word(t)} the bar is "
                         f"{self.fmt.format(b)}: accounts of that age reach {e:.0%} of the "
                         f"established level")
            detail.append(text + ")")
        return pd.DataFrame({ctx.id_col: ctx.now.loc[hit, ctx.id_col].to_numpy(),
                             "detail": detail})


@dataclass(frozen=True)
class NoActivity:
    """``column`` was 0 in each of the last ``months`` months (accounts with that much history).

    With a ramp (the default of :func:`alerts`), the account's latest run of months with 0 is
    weighed by the ramp factor of each month (what accounts of that age typically reach of the
    established level) and the rule fires when the run is worth ``months`` established months:
    a 0 in a month when accounts that new rarely have any counts little. ``ramp=None``: the
    last ``months`` months must all be 0.
    """

    column: str = "deals_sourced"
    months: int = 3
    name: str = "no_deals"
    task: str = ("Share a customer story with the champion, set a target for deals sourced and "
                 "check who owns the tool.")
    needs: str | None = None

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        errors.check_columns(ctx.usage, [self.column], "usage")
        if ctx.ramp is None:
            win = _window(ctx.usage, ctx.as_of, self.months)
            win = win[win[ctx.id_col].isin(ctx.now[ctx.id_col])]
            vals = errors.check_non_negative(win, self.column, ctx.id_col)
            g = vals.groupby(win[ctx.id_col], observed=True)
            tot, n = g.sum(), g.size()
            hit = tot[(tot == 0) & (n >= self.months)].index
            detail = [f"0 {self.column} in each of the last {self.months} months"] * len(hit)
            return pd.DataFrame({ctx.id_col: np.asarray(hit), "detail": detail})
        rows = ctx.usage[ctx.usage[ctx.id_col].isin(ctx.now[ctx.id_col])]
        vals = errors.check_non_negative(rows, self.column, ctx.id_col)
        f = ctx.row_factors(f"{self.column} (mean)", Signal("mean", self.column)).loc[rows.index]
        month = pd.Series(pd.PeriodIndex(rows["_month"]).asi8, index=rows.index)
        key = rows[ctx.id_col]
        last_active = month[vals > 0].groupby(key[vals > 0], observed=True).max()
        since = month > key.map(last_active).fillna(-np.inf).to_numpy()
        r = pd.DataFrame({"k": key[since], "m": month[since], "f": f[since]}).sort_values(
            ["k", "m"])
        g_f = r.groupby("k", observed=True)["f"]
        worth, run = g_f.sum(), g_f.size()
        # what the latest `months` months of the run alone are worth (all 1 once established)
        back = r.groupby("k", observed=True).cumcount(ascending=False)
        recent = r[back < self.months].groupby("k", observed=True)["f"].sum()
        hit = worth.index[worth >= self.months - 1e-9]
        detail = []
        for acc in hit:
            k, w = int(run[acc]), float(worth[acc])
            if recent[acc] < self.months - 1e-9:
                detail.append(f"0 {self.column} in each of the last {k} months (ramp months "
                              f"count less: worth {w:.1f} established months; rule: "
                              f"{self.months})")
            else:
                detail.append(f"0 {self.column} in each of the last {self.months} months")
        return pd.DataFrame({ctx.id_col: np.asarray(hit), "detail": detail})


@dataclass(frozen=True)
class Detractor:
    """An NPS answer of ``max_score`` or less (a detractor) in the last ``months`` months.

    The default window, 6 months ending with the month checked, always contains the latest
    wave of a survey sent twice a year (the course's company surveys in April and October),
    so a month between waves still shows the detractors of the last wave. The same answer
    then alerts in every month of the window: count *new* alerts (:func:`alert_history`) when
    planning work, and shorten ``months`` for surveys sent more often.
    """

    max_score: int = 6
    months: int = 6
    name: str = "nps_detractor"
    task: str = ("Close the loop: call the respondent within 48 hours, log the reason and "
                 "agree a fix.")
    needs: str | None = "nps"

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        nps = ctx.nps
        recent = nps[(nps["_month"] > ctx.as_of - self.months) & (nps["_month"] <= ctx.as_of)
                     & (nps["_score"] <= self.max_score)
                     & nps[ctx.id_col].isin(ctx.now[ctx.id_col])]
        worst = recent.groupby(ctx.id_col, observed=True).agg(
            low=("_score", "min"), k=("_score", "size"), last=("_month", "max"))
        detail = [f"NPS answer {int(lo)} in {last} ({k} detractor answer"
                  f"{'s' if k > 1 else ''} in the last {self.months} month"
                  f"{'s' if self.months > 1 else ''}; rule: {self.max_score} or less)"
                  for lo, k, last in zip(worst["low"], worst["k"], worst["last"], strict=True)]
        return pd.DataFrame({ctx.id_col: worst.index.to_numpy(), "detail": detail})


@dataclass(frozen=True)
class TicketSpike:
    """At least ``min_tickets`` tickets in ``as_of`` and ``factor`` x the monthly average of the
    previous ``baseline_months`` months.

    With a ramp (the default of :func:`alerts`), the average is taken over the months of that
    baseline in which the account was a customer (had a usage row), so a new account is not
    compared with months before it started, and an account needs at least ``min_baseline``
    such months (a spike against one or two months of history is mostly noise, and a new
    account's first tickets are onboarding questions). ``ramp=None``: every baseline month
    counts, months without tickets (or before the start) as 0, and ``min_baseline`` is unused.
    """

    factor: float = 2.0
    min_tickets: int = 3
    baseline_months: int = 6
    min_baseline: int = 3
    name: str = "ticket_spike"
    task: str = ("Review the open tickets with support, then call the admin: is a wider "
                 "problem behind them?")
    needs: str | None = "tickets"

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        t = ctx.tickets
        t = t[t[ctx.id_col].isin(ctx.now[ctx.id_col])]
        now = t[t["_month"] == ctx.as_of].groupby(ctx.id_col, observed=True).size()
        base_rows = t[(t["_month"] < ctx.as_of)
                      & (t["_month"] >= ctx.as_of - self.baseline_months)]
        base = base_rows.groupby(ctx.id_col, observed=True).size().reindex(now.index,
                                                                           fill_value=0)
        if ctx.ramp is None:
            months = pd.Series(float(self.baseline_months), index=now.index)
        else:
            u = ctx.usage
            inside = u[(u["_month"] < ctx.as_of)
                       & (u["_month"] >= ctx.as_of - self.baseline_months)]
            months = inside.groupby(ctx.id_col, observed=True).size().reindex(
                now.index, fill_value=0).astype(float)
        avg = base / months.where(months > 0)
        enough = months.gt(0) if ctx.ramp is None else months.ge(self.min_baseline)
        hit = (now >= self.min_tickets) & (now >= self.factor * avg) & enough
        detail = [f"{n} tickets this month vs {a:.1f} a month over the previous "
                  f"{int(k)} month{'s' if k != 1 else ''} (rule: >= {self.min_tickets} and >= "
                  f"{self.factor:g}x)" for n, a, k in zip(now[hit], avg[hit], months[hit],
                                                          strict=True)]
        return pd.DataFrame({ctx.id_col: now.index[hit].to_numpy(), "detail": detail})


#: The default alert rules (rules needing NPS or tickets run only when that table is given).
DEFAULT_RULES: tuple = (HealthDrop(), LowSignal(), NoActivity(), Detractor(), TicketSpike())

ALERT_COLUMNS = ["as_of", "rule", "detail", "task", "health", "status", "tenure_months"]


def _prepare_events(df: pd.DataFrame, id_col: str, date_col: str, what: str,
                    score_col: str | None = None) -> pd.DataFrame:
    errors.check_columns(df, [id_col, date_col, score_col], what)
    months = errors.parse_dates(df, date_col, id_col).dt.to_period("M")
    out = pd.DataFrame({id_col: df[id_col].to_numpy(), "_month": months.to_numpy()})
    if score_col is not None:
        out["_score"] = errors.check_whole_in_range(df, score_col, 0, 10, id_col).to_numpy()
    return out


@dataclass
class _AlertSetup:
    """Everything :func:`alerts` prepares once; :meth:`at` runs the rules for one month."""

    prep: pd.DataFrame
    id_col: str
    month_col: str
    sigs: dict
    lookback: int
    thresholds: Sequence[float]
    rules: list
    skipped: list
    events: dict
    ramp: Ramp | None
    start: pd.Series | None
    first_seen: pd.Series | None
    checked_upto: pd.Period | None = None

    def at(self, month: pd.Period) -> pd.DataFrame:
        return self.run(month)[0]

    def check_upto(self, month: pd.Period) -> None:
        """The ramp reads every month up to ``month``: check them (once) for duplicates."""
        if self.ramp is not None and (self.checked_upto is None or month > self.checked_upto):
            _check_one_row_per_month(self.prep[self.prep["_month"] <= month], self.id_col,
                                     self.month_col)
            self.checked_upto = month

    def run(self, month: pd.Period) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The alerts of ``month`` and the health scores they were computed from."""
        id_col = self.id_col
        prep = self.prep[self.prep["_month"] <= month]
        kw: dict[str, Any] = {"id_col": id_col, "month_col": self.month_col, "sigs": self.sigs,
                              "lookback": self.lookback}
        now = _score_prepared(prep, month, **kw)
        has_prev = (prep["_month"] == month - 1).any()
        prev = _score_prepared(prep, month - 1, **kw) if has_prev else None
        tenure = None
        if self.start is not None:
            tenure = _tenure_rows(prep, id_col, self.start, self.first_seen, self.month_col,
                                  None if self.ramp is None else self.ramp.mature_after)
            self.check_upto(month)
        events = {k: None if v is None else v[v["_month"] <= month]     # no look-ahead
                  for k, v in self.events.items()}
        ctx = _Context(month, id_col, prep, now, prev, events["nps"], events["tickets"],
                       sigs=self.sigs, lookback=self.lookback, ramp=self.ramp, tenure=tenure)
        parts = [rule.evaluate(ctx).assign(rule=rule.name, task=rule.task)
                 for rule in self.rules]
        cols = [id_col, *ALERT_COLUMNS]
        if parts:
            out = pd.concat(parts, ignore_index=True)
        else:
            out = pd.DataFrame(columns=[id_col, "rule", "detail", "task"])
        t_now = ctx.tenure_now()
        if self.start is not None:
            # the tenure column reports known starts only (not the "established" stand-in)
            rows = prep["_month"] == month
            known = prep.loc[rows, id_col].astype(str).map(self.start)
            exact = pd.Series(month.ordinal - known.to_numpy(),
                              index=prep.loc[rows, id_col].to_numpy())
            t_now = exact.reindex(now[id_col].to_numpy())
        info = now[[id_col, "health"]].assign(status=status(now["health"], self.thresholds),
                                              tenure_months=t_now.to_numpy(dtype=float))
        out = out.merge(info, on=id_col, how="left").assign(as_of=month.to_timestamp())
        order = {r.name: i for i, r in enumerate(self.rules)}
        out = out.assign(_r=out["rule"].map(order)).sort_values(
            ["health", id_col, "_r"], kind="stable").drop(columns="_r")
        out = out[cols].reset_index(drop=True)
        out["tenure_months"] = out["tenure_months"].astype(float)
        out.attrs["rules_skipped"] = list(self.skipped)
        return out, now


def _alert_setup(usage: pd.DataFrame, rules: Sequence[Any] | None, *,
                 nps: pd.DataFrame | None, tickets: pd.DataFrame | None,
                 accounts: pd.DataFrame | None, ramp: Ramp | None, id_col: str,
                 month_col: str, start_col: str, signals: Mapping[str, Signal] | None,
                 weights: Mapping[str, float] | None, lookback: int,
                 thresholds: Sequence[float], nps_date_col: str, nps_score_col: str,
                 ticket_date_col: str) -> _AlertSetup:
    sigs = _resolve_signals(signals, weights)
    lookback = _check_months(lookback, "lookback")
    if ramp is not None and not isinstance(ramp, Ramp):
        raise DataError(f"ramp: expected a health.Ramp or None, got {type(ramp).__name__}.")
    status([50.0], thresholds)                                   # validate thresholds early
    prep = _prepare(usage, id_col, month_col, [c for s in sigs.values() for c in s.columns])
    events = {
        "nps": None if nps is None else _prepare_events(nps, id_col, nps_date_col, "nps",
                                                        nps_score_col),
        "tickets": None if tickets is None else _prepare_events(tickets, id_col,
                                                                ticket_date_col, "tickets"),
    }
    chosen, skipped = [], []
    for rule in (DEFAULT_RULES if rules is None else rules):
        need = getattr(rule, "needs", None)
        if need is not None and events.get(need) is None:
            if rules is None:
                skipped.append(rule.name)
                continue
            raise DataError(f"Rule {rule.name!r} needs the {need} table: pass {need}=...")
        chosen.append(rule)
    start = first_seen = None
    if ramp is not None or accounts is not None:
        start, first_seen = _start_months(prep, id_col, accounts, start_col)
    return _AlertSetup(prep, id_col, month_col, sigs, lookback, thresholds, chosen, skipped,
                       events, ramp, start, first_seen)


def alerts(usage: pd.DataFrame, rules: Sequence[Any] | None = None, *, as_of: Any = None,
           nps: pd.DataFrame | None = None, tickets: pd.DataFrame | None = None,
           accounts: pd.DataFrame | None = None, ramp: Ramp | None = DEFAULT_RAMP,
           id_col: str = "account_id", month_col: str = "month", start_col: str = "start_date",
           signals: Mapping[str, Signal] | None = None,
           weights: Mapping[str, float] | None = None, lookback: int = 3,
           thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
           nps_date_col: str = "survey_date", nps_score_col: str = "score",
           ticket_date_col: str = "opened_date") -> pd.DataFrame:
    """Rule-based alerts for the accounts active at ``as_of``, each with a suggested task.

    Parameters
    ----------
    usage : pandas.DataFrame
        The monthly usage table (as for :func:`score`); health is scored inside, at ``as_of``
        and a month earlier.
    rules : sequence of rules, optional
        Rule objects (:class:`HealthDrop`, :class:`LowSignal`, :class:`NoActivity`,
        :class:`Detractor`, :class:`TicketSpike`, or your own with ``name``, ``task``,
        ``needs`` and ``evaluate(ctx)``). Default :data:`DEFAULT_RULES`, from which rules
        needing a table that was not given (``nps``, ``tickets``) are skipped and listed in
        ``attrs["rules_skipped"]``; a rule passed explicitly without its table is an error.
    as_of : date or month, optional
        The month checked (default: the latest in ``usage``). Nothing later is read.
    nps, tickets : pandas.DataFrame, optional
        NPS answers (``id_col``, ``nps_date_col``, ``nps_score_col`` 0-10) and support tickets
        (``id_col``, ``ticket_date_col``).
    accounts : pandas.DataFrame, optional
        One row per account with ``id_col`` and ``start_col`` (e.g. ``b2b_accounts``): tenure
        counts from the start month. Without it, tenure counts from the account's first month
        in ``usage``; accounts already there in the table's first month have an unknown start
        and are treated as established once in the table ``ramp.mature_after`` months (and
        never held to a lower bar before that).
    ramp : Ramp or None, default :data:`DEFAULT_RAMP`
        Allow for the onboarding ramp: new accounts are held to what accounts of their age
        reach (:class:`Ramp`; it changes :class:`LowSignal`, :class:`NoActivity` and
        :class:`TicketSpike`). ``None``: the rules as they were before the ramp allowance,
        every account held to the established bar (for comparison).
    id_col, month_col, start_col, signals, weights, lookback
        As for :func:`score`; ``start_col`` names the start date in ``accounts``.
    thresholds : (float, float)
        For the ``status`` column (see :func:`status`).

    Returns
    -------
    pandas.DataFrame
        One row per alert: ``id_col``, ``as_of``, ``rule``, ``detail``, ``task``, ``health``,
        ``status``, ``tenure_months`` (calendar months since the start month, 0 in the first;
        missing when the start is unknown); the least healthy accounts first.
        ``attrs["rules_skipped"]`` lists the default rules left out for want of a table.
        :func:`ramp_curve` shows the ramp factors used.

    Raises
    ------
    DataError
        As for :func:`score`; also missing or bad columns in ``nps``, ``tickets`` or
        ``accounts``, accounts with usage missing from ``accounts``, usage before an
        account's start month (negative tenure), or a ``ramp`` that is not a :class:`Ramp`.

    Examples
    --------
    >>> usage = pd.DataFrame({"account_id": ["A", "B"] * 2,
    ...                       "month": ["2025-02-01"] * 2 + ["2025-03-01"] * 2,
    ...                       "seats": 10, "active_users": [8, 8, 8, 2],
    ...                       "cards_scanned": 20, "deals_sourced": 1, "mrr": 100.0})
    >>> a = alerts(usage, as_of="2025-03", lookback=1)
    >>> a[["account_id", "rule", "health", "status"]]
      account_id             rule  health status
    0          B      health_drop  28.125    red
    1          B  low_utilisation  28.125    red
    >>> a["detail"].iloc[0]
    'health 72 -> 28 (-44 points in a month; rule: a drop of 15 or more)'
    >>> a["detail"].iloc[1]
    'utilisation 20% over the scoring window (rule: below 30%)'
    """
    setup = _alert_setup(usage, rules, nps=nps, tickets=tickets, accounts=accounts, ramp=ramp,
                         id_col=id_col, month_col=month_col, start_col=start_col,
                         signals=signals, weights=weights, lookback=lookback,
                         thresholds=thresholds, nps_date_col=nps_date_col,
                         nps_score_col=nps_score_col, ticket_date_col=ticket_date_col)
    month = setup.prep["_month"].max() if as_of is None else _to_month(as_of)
    return setup.at(month)


def alert_history(usage: pd.DataFrame, months: Iterable[Any] | None = None,
                  rules: Sequence[Any] | None = None, **kwargs: Any) -> pd.DataFrame:
    """:func:`alerts` for several months stacked, with each alert marked new or repeated.

    A CS tool creates a task when an alert first appears; an alert that fired for the same
    account and rule the month before is a repeat of an open task. Counting *new* alerts per
    month is what to compare with the team's capacity.

    Parameters
    ----------
    usage : pandas.DataFrame
        As for :func:`alerts`.
    months : iterable of dates or months, optional
        Months to check (default: every month in ``usage``); each uses data up to that month.
    rules : sequence of rules, optional
        As for :func:`alerts`.
    **kwargs
        Any other keyword of :func:`alerts` (``nps``, ``tickets``, ``accounts``, ``ramp``...).

    Returns
    -------
    pandas.DataFrame
        The :func:`alerts` columns for every month, plus ``new``: False when the same rule
        fired for the account in the previous calendar month (checked too when ``usage``
        has it, so the first month's repeats are known).

    Examples
    --------
    >>> usage = pd.DataFrame({"account_id": ["A", "B"] * 3,
    ...                       "month": [f"2025-0{m}-01" for m in (1, 1, 2, 2, 3, 3)],
    ...                       "seats": 10, "active_users": [8, 8, 8, 2, 8, 2],
    ...                       "cards_scanned": 20, "deals_sourced": 1, "mrr": 100.0})
    >>> h = alert_history(usage, ["2025-02", "2025-03"], [LowSignal()], lookback=1)
    >>> h[["account_id", "as_of", "rule", "new"]]
      account_id      as_of             rule    new
    0          B 2025-02-01  low_utilisation   True
    1          B 2025-03-01  low_utilisation  False
    """
    if "as_of" in kwargs:
        raise DataError("alert_history: give the months to check as months=..., not as_of.")
    setup = _alert_setup(usage, rules, **{**_ALERT_DEFAULTS, **kwargs})
    have = set(setup.prep["_month"].unique())
    todo = sorted(have) if months is None else sorted({_to_month(m, "months") for m in months})
    if not todo:
        raise DataError("months: give at least one month to check.")
    before = todo[0] - 1
    checked = ([before] if before in have else []) + todo
    setup.check_upto(todo[-1])
    parts = {m: setup.at(m) for m in checked}
    out = _mark_new(pd.concat([parts[m] for m in todo], ignore_index=True), parts.values(),
                    setup.id_col)
    out.attrs["rules_skipped"] = list(setup.skipped)
    return out


def _mark_new(out: pd.DataFrame, parts: Iterable[pd.DataFrame], id_col: str) -> pd.DataFrame:
    """Add ``new``: False when the same rule fired for the account the month before."""
    seen = pd.concat([p.assign(as_of=p["as_of"] + pd.offsets.MonthBegin(1)) for p in parts],
                     ignore_index=True)
    key = [id_col, "as_of", "rule"]
    flag = out[key].merge(seen[key].drop_duplicates().assign(_rep=True), on=key, how="left")
    return out.assign(new=flag["_rep"].isna().to_numpy())


_ALERT_DEFAULTS: dict[str, Any] = {
    "nps": None, "tickets": None, "accounts": None, "ramp": DEFAULT_RAMP,
    "id_col": "account_id", "month_col": "month", "start_col": "start_date", "signals": None,
    "weights": None, "lookback": 3, "thresholds": DEFAULT_THRESHOLDS,
    "nps_date_col": "survey_date", "nps_score_col": "score", "ticket_date_col": "opened_date"}


def worklist(alert_table: pd.DataFrame, *, by: str = "health", ascending: bool = True,
             capacity: int | None = None, id_col: str = "account_id") -> pd.DataFrame:
    """One call per account: alerts grouped by account and month, ranked, cut at capacity.

    A team calls an account once, whatever the number of its alerts, so the unit of work is
    the account. Within each month the accounts are ranked by ``by`` (ties keep the order of
    the alert table), and the first ``capacity`` are marked as the ones the team can handle.

    Parameters
    ----------
    alert_table : pandas.DataFrame
        From :func:`alerts` or :func:`alert_history`, possibly with more columns to rank by
        (e.g. the account's MRR merged in). A column ``new`` is kept as ``any_new`` (the
        account has at least one new alert).
    by : str, default "health"
        The column to rank by; its first value per account and month is used.
    ascending : bool, default True
        True: smallest first (lowest health); False: largest first (e.g. highest MRR).
    capacity : int, optional
        Calls the team can make per month; ``None``: every account is within capacity.
    id_col : str
        Account id column.

    Returns
    -------
    pandas.DataFrame
        One row per account and month: ``id_col``, ``as_of``, ``rules`` (the rules that fired,
        comma-separated), ``alerts`` (how many), the first value of each other column
        (``health``, ``status``, ``tenure_months``, ``by``...), ``rank`` (1 = first call of
        the month) and ``within_capacity``; sorted by month and rank.

    Raises
    ------
    DataError
        A missing column, or ``capacity`` that is not a whole number >= 0.

    Examples
    --------
    >>> alerts_ = pd.DataFrame({"account_id": ["A", "A", "B", "C"], "as_of": "2025-03-01",
    ...                         "rule": ["no_deals", "health_drop", "no_deals", "no_deals"],
    ...                         "health": [20.0, 20.0, 35.0, 60.0], "mrr": [1.0, 1.0, 9.0, 5.0]})
    >>> worklist(alerts_, capacity=2)[["account_id", "rules", "alerts", "rank",
    ...                                "within_capacity"]]
      account_id                  rules  alerts  rank  within_capacity
    0          A  no_deals, health_drop       2     1             True
    1          B               no_deals       1     2             True
    2          C               no_deals       1     3            False
    >>> worklist(alerts_, by="mrr", ascending=False, capacity=2)["account_id"].tolist()
    ['B', 'C', 'A']
    """
    errors.check_columns(alert_table, [id_col, "as_of", "rule", by], "alerts")
    if capacity is not None and (isinstance(capacity, bool)
                                 or not isinstance(capacity, (int, np.integer)) or capacity < 0):
        raise DataError(f"capacity: calls per month, a whole number >= 0; got {capacity!r}.")
    t = alert_table.reset_index(drop=True)
    g = t.groupby(["as_of", id_col], sort=False, observed=True)
    others = [c for c in t.columns if c not in (id_col, "as_of", "rule", "detail", "task",
                                                "new")]
    out = g[others].first() if others else g.size().to_frame().iloc[:, :0]
    out.insert(0, "rules", g["rule"].agg(", ".join))
    out.insert(1, "alerts", g.size())
    if "new" in t.columns:
        out["any_new"] = g["new"].any()
    out["_order"] = np.arange(len(out))          # groups come in order of first appearance
    out = out.reset_index().sort_values(["as_of", by, "_order"], ascending=[True, ascending,
                                                                            True],
                                        kind="stable", na_position="last")
    out["rank"] = out.groupby("as_of", observed=True).cumcount() + 1
    out["within_capacity"] = True if capacity is None else out["rank"] <= capacity
    return out.drop(columns="_order").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# back-test
# --------------------------------------------------------------------------------------------

@dataclass
class Backtest:
    """The result of :func:`backtest`.

    Attributes
    ----------
    as_of : pandas.Timestamp
        First day of the month scored (the score uses data up to the end of that month).
    horizon : int
        Months of outcome window after ``as_of``.
    window_end : pandas.Timestamp
        Last day of the outcome window.
    scores : pandas.DataFrame
        One row per account scored: the :func:`score` columns, ``status``, ``end_date`` and
        ``churned`` (ended inside the outcome window).
    table : pandas.DataFrame
        Per status (red, yellow, green) and ``all``: ``accounts``, ``churned``, ``churn_rate``.
    auc : float
        Probability that an account that stayed has a higher health score than one that churned
        (ties count half): the Mann-Whitney U / (n_stayed x n_churned). 0.5 = no better than
        chance, 1 = perfect.
    lift : float
        Churn rate of red accounts / churn rate of green accounts.
    """

    as_of: pd.Timestamp
    horizon: int
    window_end: pd.Timestamp
    scores: pd.DataFrame
    table: pd.DataFrame
    auc: float
    lift: float
    notes: list = field(default_factory=list)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Bar chart of churn rate in the outcome window per health status."""
        from . import plotting

        if ax is None:
            _, ax = plotting.subplots()
        t = self.table.loc[list(STATUSES)]
        ax.bar(list(STATUSES), t["churn_rate"].fillna(0).to_numpy(),
               color=[plotting.STATUS_COLORS[s] for s in STATUSES])
        for i, (rate, n) in enumerate(zip(t["churn_rate"], t["accounts"], strict=True)):
            text = "no accounts" if n == 0 else f"{rate:.0%} of {n:,}"
            ax.annotate(text, (i, 0 if np.isnan(rate) else rate), ha="center", va="bottom",
                        xytext=(0, 2), textcoords="offset points", fontsize=10)
        plotting.percent_axis(ax)
        month = self.as_of.strftime("%Y-%m")
        plotting.finish(ax, title=f"Churn within {self.horizon} months of {month} by health "
                                  f"status (AUC {self.auc:.2f})",
                        xlabel=f"Health status at the end of {month}",
                        ylabel=f"Churned within {self.horizon} months (%)")
        return ax


def _outcome_accounts(accounts: pd.DataFrame, id_col: str, start_col: str, end_col: str,
                      observed_until: Any) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Check the accounts table; return ``_start`` and ``_end`` by id (as text) and the date up
    to which churn is known."""
    errors.check_columns(accounts, [id_col, start_col, end_col], "accounts")
    errors.check_not_empty(accounts, "accounts")
    errors.check_unique(accounts, id_col)
    start = errors.parse_dates(accounts, start_col, id_col)
    end = errors.parse_dates(accounts, end_col, id_col, allow_missing=True)
    if observed_until is None:
        observed_until = accounts.attrs.get("as_of")
    if observed_until is None:
        raise DataError("observed_until: say up to which date churn is known (the data's "
                        "observation date), e.g. observed_until='2026-09-30'.")
    observed = pd.Timestamp(observed_until)
    late = (end > observed).to_numpy()
    errors._fail(accounts, end_col, f"end dates must not be after observed_until "
                 f"{observed.date()}", late, id_col)
    by_id = pd.DataFrame({"_start": start.to_numpy(), "_end": end.to_numpy()},
                         index=pd.Index(accounts[id_col].astype(str).to_numpy()))
    return by_id, observed


def _check_window(month: pd.Period, horizon: int, observed: pd.Timestamp) -> pd.Timestamp:
    """End of the outcome window after ``month``; a DataError when it is not fully observed."""
    window_end = (month + horizon).end_time.normalize()
    if window_end > observed:
        latest = pd.Period(observed, "M") - horizon
        if pd.Timestamp(observed) != pd.Period(observed, "M").end_time.normalize():
            latest -= 1
        raise DataError(
            f"Outcome window not fully observed: as_of {month} + {horizon} months ends on "
            f"{window_end.date()}, after observed_until {observed.date()}, so churn in it "
            f"would be undercounted. Choose as_of <= {latest} or a shorter horizon.")
    return window_end


def backtest(usage: pd.DataFrame, accounts: pd.DataFrame, *, as_of: Any, horizon: int = 6,
             observed_until: Any = None, id_col: str = "account_id", month_col: str = "month",
             start_col: str = "start_date", end_col: str = "end_date",
             signals: Mapping[str, Signal] | None = None,
             weights: Mapping[str, float] | None = None, lookback: int = 3,
             thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> Backtest:
    """Would the health score have predicted churn? Score at ``as_of``, watch ``horizon`` months.

    Accounts are scored with usage up to the end of the ``as_of`` month only. The outcome is
    read from ``accounts``: an account churned if its ``end_col`` falls after the end of the
    ``as_of`` month and no later than ``horizon`` months after it.

    Parameters
    ----------
    usage : pandas.DataFrame
        Monthly usage (as for :func:`score`).
    accounts : pandas.DataFrame
        One row per account: ``id_col``, ``start_col``, ``end_col`` (empty while active).
    as_of : date or month
        The month scored.
    horizon : int, default 6
        Months of outcome window.
    observed_until : date, optional
        The date up to which churn is known (the data's observation date). Defaults to
        ``accounts.attrs["as_of"]`` (set by :func:`cs_helpers.datasets.load`). The outcome
        window must end on or before it, or churn in it would be undercounted.
    id_col, month_col, start_col, end_col : str
        Column names.
    signals, weights, lookback
        As for :func:`score`.
    thresholds : (float, float)
        Status thresholds (see :func:`status`).

    Returns
    -------
    Backtest
        ``.table`` (churn per status), ``.auc``, ``.lift``, ``.scores`` and ``.plot()``.

    Raises
    ------
    DataError
        Missing columns, bad dates, duplicate account ids, no ``observed_until``, an outcome
        window not fully observed, or an account with usage at ``as_of`` missing from
        ``accounts``.

    Notes
    -----
    Only accounts active at the end of the ``as_of`` month are assessed (started on or
    before it and not ended by then). Others are left out with a
    :class:`~cs_helpers.DataWarning` and noted in ``scores.attrs["cs_helpers_filtered"]``:
    accounts not active at ``as_of``, active accounts without a usage row that month (they
    cannot be scored), and accounts whose health could not be computed.

    Examples
    --------
    >>> usage = pd.DataFrame({"account_id": list("ABCD"), "month": "2025-01-01",
    ...                       "seats": 10, "active_users": [9, 7, 3, 1], "cards_scanned": 5,
    ...                       "deals_sourced": 1, "mrr": 1.0})
    >>> accounts = pd.DataFrame({"account_id": list("ABCD"), "start_date": "2024-06-01",
    ...                          "end_date": [None, None, "2025-03-10", "2025-02-20"]})
    >>> bt = backtest(usage, accounts, as_of="2025-01", horizon=3, observed_until="2025-06-30")

    Health 71.9 (A, green), 64.6 (B, yellow), 35.4 and 28.1 (C and D, red); C and D end within
    three months of January 2025:

    >>> bt.table
            accounts  churned  churn_rate
    status
    red            2        2         1.0
    yellow         1        0         0.0
    green          1        0         0.0
    all            4        2         0.5
    >>> bt.auc, bt.lift
    (1.0, inf)
    """
    horizon = _check_months(horizon, "horizon")
    month = _to_month(as_of)
    as_of_end = month.end_time.normalize()
    by_id, observed = _outcome_accounts(accounts, id_col, start_col, end_col, observed_until)
    window_end = _check_window(month, horizon, observed)

    scores = score(usage, id_col=id_col, month_col=month_col, signals=signals,
                   weights=weights, as_of=month, lookback=lookback)
    acc = pd.DataFrame({id_col: by_id.index.to_numpy(), "_start": by_id["_start"].to_numpy(),
                        "_end": by_id["_end"].to_numpy()})
    active = (acc["_start"] <= as_of_end) & (acc["_end"].isna() | (acc["_end"] > as_of_end))
    scored_ids = scores[id_col].astype(str)
    unknown = ~scored_ids.isin(acc[id_col])
    errors._fail(scores, id_col, "accounts with usage at as_of must appear in the accounts "
                 "table", unknown.to_numpy(), id_col)

    scores = scores.assign(_key=scored_ids.to_numpy()).merge(
        acc.rename(columns={id_col: "_key"}), on="_key", how="left")
    keep = scores["_key"].isin(acc.loc[active, id_col]) & scores["health"].notna()
    ended = ~scores["_key"].isin(acc.loc[active, id_col])
    no_health = scores["health"].isna() & ~ended
    inactive_ids = acc.loc[~active, id_col]
    not_scored = acc.loc[active & ~acc[id_col].isin(scored_ids), id_col]
    result = scores.loc[keep].drop(columns=["_key", "_start"]).rename(
        columns={"_end": end_col}).reset_index(drop=True)
    result.attrs = {}
    errors.record_filtered(result, f"accounts not active at the end of {month} (started later "
                           "or already ended)", len(inactive_ids), inactive_ids.tolist())
    errors.record_filtered(result, f"accounts active at the end of {month} without a usage row "
                           "that month (cannot be scored)", len(not_scored), not_scored.tolist())
    errors.record_filtered(result, "accounts with no computable health signal",
                           int(no_health.sum()), scores.loc[no_health, id_col].tolist())
    if len(result) == 0:
        raise DataError(f"No account active at the end of {month} could be scored.")

    result["status"] = status(result["health"], thresholds).array
    e = result[end_col]
    result["churned"] = (e.notna() & (e > as_of_end) & (e <= window_end)).to_numpy()
    grp = result.groupby("status", observed=False)["churned"]
    table = pd.DataFrame({"accounts": grp.size(), "churned": grp.sum()})
    table.index = table.index.astype(str)
    table = table.reindex(list(STATUSES), fill_value=0)
    table.loc["all"] = [len(result), int(result["churned"].sum())]
    table.index.name = "status"
    table = table.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["churn_rate"] = np.where(table["accounts"] > 0,
                                       table["churned"] / table["accounts"], np.nan)
    churned = result["churned"].to_numpy()
    h = result["health"].to_numpy(dtype=float)
    n1, n0 = int(churned.sum()), int((~churned).sum())
    if n1 and n0:
        u = stats.mannwhitneyu(h[~churned], h[churned], alternative="two-sided").statistic
        auc = float(u) / (n1 * n0)
    else:
        auc = float("nan")
    red, green = table.loc["red", "churn_rate"], table.loc["green", "churn_rate"]
    if np.isnan(red) or np.isnan(green):
        lift = float("nan")
    elif green == 0:
        lift = float("inf") if red > 0 else float("nan")
    else:
        lift = float(red / green)
    return Backtest(as_of=month.to_timestamp(), horizon=horizon, window_end=window_end,
                    scores=result, table=table, auc=auc, lift=lift,
                    notes=list(result.attrs.get("cs_helpers_filtered", [])))


# --------------------------------------------------------------------------------------------
# back-testing alerts
# --------------------------------------------------------------------------------------------

@dataclass
class AlertBacktest:
    """The result of :func:`backtest_alerts`.

    Attributes
    ----------
    months : list of pandas.Timestamp
        First day of each month checked.
    horizon : int
        Months of outcome window after each month checked.
    accounts : pandas.DataFrame
        One row per account and month checked (the accounts assessed: active at the end of the
        month, with a usage row and a health score): ``id_col``, ``as_of``, ``tenure_months``,
        ``health``, ``churned`` (ended within ``horizon`` months after the month), one
        True/False column per rule (it fired) and ``any_alert``.
    alerts : pandas.DataFrame
        The alerts of those account-months (:func:`alert_history` columns, with ``new``).
    table : pandas.DataFrame
        One row per rule, then ``any alert`` and ``all accounts``: ``account_months``,
        ``accounts`` (distinct), ``churned`` (account-months followed by churn within the
        horizon), ``precision`` (churned / account_months), ``lift`` (precision / the churn
        rate of all account-months) and its ``lift_low`` / ``lift_high`` interval (bootstrap
        over accounts, since one account's months are not independent).
    base_rate : float
        Churn rate within the horizon of all account-months assessed.
    notes : list of dict
        Account-months left out and why.
    """

    months: list
    horizon: int
    accounts: pd.DataFrame
    alerts: pd.DataFrame
    table: pd.DataFrame
    base_rate: float
    notes: list = field(default_factory=list)


def _bootstrap_lift(keys: pd.Series, flagged: np.ndarray, churned: np.ndarray,
                    confidence: float, n_resamples: int, seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval of (churn among flagged) / (churn among all), resampling
    accounts (scipy.stats.bootstrap, paired)."""
    per = pd.DataFrame({"n": flagged.astype(float), "c": (flagged & churned).astype(float),
                        "N": 1.0, "C": churned.astype(float)}).groupby(keys.to_numpy()).sum()
    if per["n"].sum() == 0 or per["C"].sum() == 0:
        return float("nan"), float("nan")

    def lift(n, c, big_n, big_c, axis=-1):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (c.sum(axis) / n.sum(axis)) / (big_c.sum(axis) / big_n.sum(axis))

    gen = np.random.default_rng(seed)
    params = inspect.signature(stats.bootstrap).parameters
    kw = {"rng": gen} if "rng" in params else {"random_state": gen}
    with warnings.catch_warnings():
        # tiny tables: some resamples hold no alert or no churn; the interval is then NaN
        warnings.simplefilter("ignore", getattr(stats, "DegenerateDataWarning", RuntimeWarning))
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.bootstrap(tuple(per[c].to_numpy() for c in ("n", "c", "N", "C")), lift,
                              paired=True, vectorized=True, n_resamples=n_resamples,
                              confidence_level=confidence, method="percentile", **kw)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def backtest_alerts(usage: pd.DataFrame, accounts: pd.DataFrame, *, months: Iterable[Any],
                    horizon: int = 6, observed_until: Any = None,
                    rules: Sequence[Any] | None = None, nps: pd.DataFrame | None = None,
                    tickets: pd.DataFrame | None = None, ramp: Ramp | None = DEFAULT_RAMP,
                    id_col: str = "account_id", month_col: str = "month",
                    start_col: str = "start_date", end_col: str = "end_date",
                    signals: Mapping[str, Signal] | None = None,
                    weights: Mapping[str, float] | None = None, lookback: int = 3,
                    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
                    confidence: float = 0.95, n_resamples: int = 999,
                    seed: int = 0, **alert_kwargs: Any) -> AlertBacktest:
    """Would the alerts have pointed at accounts about to churn? Precision and lift per rule.

    Each month in ``months`` is checked with data up to its end only (as :func:`alerts`
    would have run then); the outcome is whether the account ended within ``horizon`` months
    after that month (read from ``accounts``, as in :func:`backtest`). Account-months are
    pooled over the months checked.

    Parameters
    ----------
    usage, accounts : pandas.DataFrame
        Monthly usage (as for :func:`score`) and one row per account (``id_col``, ``start_col``,
        ``end_col``); ``accounts`` also gives the start dates for tenure.
    months : iterable of dates or months
        The months checked.
    horizon : int, default 6
        Months of outcome window after each month checked.
    observed_until : date, optional
        As for :func:`backtest` (default ``accounts.attrs["as_of"]``); every month's outcome
        window must end on or before it.
    rules, nps, tickets, ramp, signals, weights, lookback, thresholds
        As for :func:`alerts`.
    id_col, month_col, start_col, end_col : str
        Column names.
    confidence : float, default 0.95
        Level of the lift intervals.
    n_resamples : int, default 999
        Bootstrap resamples (of accounts) for the intervals.
    seed : int, default 0
        Seed of the bootstrap, so that the intervals are reproducible.
    **alert_kwargs
        Other keywords of :func:`alerts` (``nps_date_col``, ``nps_score_col``,
        ``ticket_date_col``).

    Returns
    -------
    AlertBacktest
        ``.table`` (precision and lift per rule), ``.accounts``, ``.alerts``, ``.base_rate``.

    Raises
    ------
    DataError
        As for :func:`alerts` and :func:`backtest`.

    Notes
    -----
    Precision is the share of alerted account-months followed by churn within the horizon;
    lift divides it by the same share among all account-months assessed, so lift 1 means the
    alert picks accounts no likelier to churn than any other. An account alerted in several
    months counts in each.

    Examples
    --------
    >>> usage = pd.DataFrame({"account_id": list("ABCD") * 2,
    ...                       "month": ["2025-01-01"] * 4 + ["2025-02-01"] * 4, "seats": 10,
    ...                       "active_users": [9, 8, 2, 1] * 2, "cards_scanned": 5,
    ...                       "deals_sourced": 1, "mrr": 1.0})
    >>> accounts = pd.DataFrame({"account_id": list("ABCD"), "start_date": "2023-06-01",
    ...                          "end_date": [None, "2025-05-10", "2025-04-20", None]})
    >>> bt = backtest_alerts(usage, accounts, months=["2025-02"], horizon=3,
    ...                      observed_until="2025-06-30", rules=[LowSignal()])

    C and D use 20% and 10% of their seats (alerted); B and C end within three months:

    >>> bt.table[["account_months", "churned", "precision", "lift"]]
                     account_months  churned  precision  lift
    rule
    low_utilisation               2        1        0.5   1.0
    any alert                     2        1        0.5   1.0
    all accounts                  4        2        0.5   1.0
    """
    horizon = _check_months(horizon, "horizon")
    errors.check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) \
            or n_resamples < 1:
        raise DataError(f"n_resamples: a whole number >= 1; got {n_resamples!r}.")
    todo = sorted({_to_month(m, "months") for m in months})
    if not todo:
        raise DataError("months: give at least one month to check.")
    acc, observed = _outcome_accounts(accounts, id_col, start_col, end_col, observed_until)
    _check_window(todo[-1], horizon, observed)
    setup = _alert_setup(usage, rules, nps=nps, tickets=tickets, accounts=accounts, ramp=ramp,
                         id_col=id_col, month_col=month_col, start_col=start_col,
                         signals=signals, weights=weights, lookback=lookback,
                         thresholds=thresholds,
                         nps_date_col=alert_kwargs.pop("nps_date_col", "survey_date"),
                         nps_score_col=alert_kwargs.pop("nps_score_col", "score"),
                         ticket_date_col=alert_kwargs.pop("ticket_date_col", "opened_date"))
    if alert_kwargs:
        raise DataError(f"backtest_alerts: unknown keyword(s) {sorted(alert_kwargs)}.")
    names = [r.name for r in setup.rules]
    rows, kept, notes_rows = [], [], {"inactive": 0, "no_health": 0}
    have = set(setup.prep["_month"].unique())
    before = todo[0] - 1
    alerts_by_month = {}
    setup.check_upto(todo[-1])
    for m in ([before] if before in have else []) + todo:
        a, now = setup.run(m)
        alerts_by_month[m] = a
        if m == before:
            continue
        as_of_end = m.end_time.normalize()
        key = now[id_col].astype(str)
        start = key.map(acc["_start"])
        end = key.map(acc["_end"])
        active = (start <= as_of_end) & (end.isna() | (end > as_of_end))
        ok = active & now["health"].notna()
        notes_rows["inactive"] += int((~active).sum())
        notes_rows["no_health"] += int((active & now["health"].isna()).sum())
        window_end = (m + horizon).end_time.normalize()
        d = pd.DataFrame({id_col: now.loc[ok, id_col].to_numpy(), "as_of": m.to_timestamp(),
                          "tenure_months": m.ordinal - key[ok].map(setup.start).to_numpy(),
                          "health": now.loc[ok, "health"].to_numpy(),
                          "churned": (end[ok].notna() & (end[ok] <= window_end)).to_numpy()})
        for r in names:
            d[r] = d[id_col].isin(a.loc[a["rule"] == r, id_col])
        d["any_alert"] = d[names].any(axis=1) if names else False
        rows.append(d)
        kept.append(a[a[id_col].isin(d[id_col])])
    table_acc = pd.concat(rows, ignore_index=True)
    hist = _mark_new(pd.concat(kept, ignore_index=True), alerts_by_month.values(), id_col)
    hist.attrs = {"rules_skipped": list(setup.skipped)}

    churned = table_acc["churned"].to_numpy()
    base = float(churned.mean())
    keys = table_acc[id_col].astype(str)
    out = []
    for label, col in [*((r, r) for r in names), ("any alert", "any_alert")]:
        f = table_acc[col].to_numpy(dtype=bool)
        n, c = int(f.sum()), int((f & churned).sum())
        prec = c / n if n else float("nan")
        lo, hi = _bootstrap_lift(keys, f, churned, confidence, n_resamples, seed)
        out.append({"rule": label, "account_months": n,
                    "accounts": int(table_acc.loc[f, id_col].nunique()), "churned": c,
                    "precision": prec, "lift": prec / base if base > 0 else float("nan"),
                    "lift_low": lo, "lift_high": hi})
    out.append({"rule": "all accounts", "account_months": len(table_acc),
                "accounts": int(table_acc[id_col].nunique()), "churned": int(churned.sum()),
                "precision": base, "lift": 1.0, "lift_low": float("nan"),
                "lift_high": float("nan")})
    table = pd.DataFrame(out).set_index("rule")
    notes = []
    if notes_rows["inactive"]:
        notes.append({"reason": "account-months not active at the end of the month checked "
                                "(ended that month)", "rows": notes_rows["inactive"]})
    if notes_rows["no_health"]:
        notes.append({"reason": "account-months with no computable health signal",
                      "rows": notes_rows["no_health"]})
    for note in notes:
        warnings.warn(f"{note['rows']:,} rows left out: {note['reason']}.", DataWarning,
                      stacklevel=2)
    return AlertBacktest(months=[m.to_timestamp() for m in todo], horizon=horizon,
                         accounts=table_acc, alerts=hist, table=table, base_rate=base,
                         notes=notes)
