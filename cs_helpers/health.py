"""Health scores, green/yellow/red status, alerts and a back-test against later churn.

What CS tools automate, done in the open on a monthly usage table (one row per account per month
it was a customer, e.g. the course's ``b2b_usage_monthly``):

1. :func:`score` turns a few usage **signals** over the last ``lookback`` months into 0-100
   sub-scores and a weighted **health score** 0-100 (:data:`DEFAULT_SIGNALS` says how each is
   computed and weighted). It reads only data up to and including ``as_of``: no look-ahead.
2. :func:`status` cuts the score into red / yellow / green.
3. :func:`alerts` applies simple rules (health dropped 15 points, utilisation below 30%, no deals
   for 3 months, a detractor NPS answer, a spike in tickets) and suggests a task for each alert,
   as a CS tool's "an alert creates a task".
4. :func:`backtest` checks whether the score would have predicted churn: score at ``as_of``, then
   look at who churned in the next ``horizon`` months; churn rate per status, AUC and lift.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import stats

from . import errors
from .errors import DataError

__all__ = ["Signal", "DEFAULT_SIGNALS", "STATUSES", "DEFAULT_THRESHOLDS", "score", "history",
           "status", "HealthDrop", "LowSignal", "NoActivity", "Detractor", "TicketSpike",
           "DEFAULT_RULES", "alerts", "Backtest", "backtest"]

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


def _empty_alerts(id_col: str) -> pd.DataFrame:
    return pd.DataFrame({id_col: pd.Series(dtype=object), "detail": pd.Series(dtype=object)})


@dataclass(frozen=True)
class HealthDrop:
    """Health fell by at least ``points`` against the previous month."""

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
    """A signal's value over the scoring window is below ``below`` (e.g. utilisation < 30%)."""

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
        vals = ctx.now[self.signal]
        hit = ctx.now[vals < self.below]
        detail = [f"{self.signal} {self.fmt.format(v)} over the scoring window (rule: below "
                  f"{self.fmt.format(self.below)})" for v in hit[self.signal]]
        return pd.DataFrame({ctx.id_col: hit[ctx.id_col].to_numpy(), "detail": detail})


@dataclass(frozen=True)
class NoActivity:
    """``column`` was 0 in each of the last ``months`` months (accounts with that much history)."""

    column: str = "deals_sourced"
    months: int = 3
    name: str = "no_deals"
    task: str = ("Share a customer story with the champion, set a target for deals sourced and "
                 "check who owns the tool.")
    needs: str | None = None

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        errors.check_columns(ctx.usage, [self.column], "usage")
        win = _window(ctx.usage, ctx.as_of, self.months)
        win = win[win[ctx.id_col].isin(ctx.now[ctx.id_col])]
        vals = errors.check_non_negative(win, self.column, ctx.id_col)
        g = vals.groupby(win[ctx.id_col], observed=True)
        tot, n = g.sum(), g.size()
        hit = tot[(tot == 0) & (n >= self.months)].index
        detail = [f"0 {self.column} in each of the last {self.months} months"] * len(hit)
        return pd.DataFrame({ctx.id_col: np.asarray(hit), "detail": detail})


@dataclass(frozen=True)
class Detractor:
    """An NPS answer of ``max_score`` or less (a detractor) in the last ``months`` months."""

    max_score: int = 6
    months: int = 1
    name: str = "nps_detractor"
    task: str = ("Close the loop: call the respondent within 48 hours, log the reason and "
                 "agree a fix.")
    needs: str | None = "nps"

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        nps = ctx.nps
        recent = nps[(nps["_month"] > ctx.as_of - self.months) & (nps["_month"] <= ctx.as_of)
                     & (nps["_score"] <= self.max_score)
                     & nps[ctx.id_col].isin(ctx.now[ctx.id_col])]
        worst = recent.groupby(ctx.id_col, observed=True)["_score"].agg(["min", "size"])
        detail = [f"NPS answer {int(lo)} ({k} detractor answer{'s' if k > 1 else ''} in the "
                  f"last {self.months} month{'s' if self.months > 1 else ''}; rule: "
                  f"{self.max_score} or less)" for lo, k in zip(worst["min"], worst["size"],
                                                                strict=True)]
        return pd.DataFrame({ctx.id_col: worst.index.to_numpy(), "detail": detail})


@dataclass(frozen=True)
class TicketSpike:
    """At least ``min_tickets`` tickets in ``as_of`` and ``factor`` x the monthly average of the
    previous ``baseline_months`` months (months without tickets count as 0)."""

    factor: float = 2.0
    min_tickets: int = 3
    baseline_months: int = 6
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
        avg = base / self.baseline_months
        hit = (now >= self.min_tickets) & (now >= self.factor * avg)
        detail = [f"{n} tickets this month vs {a:.1f} a month over the previous "
                  f"{self.baseline_months} (rule: >= {self.min_tickets} and >= "
                  f"{self.factor:g}x)" for n, a in zip(now[hit], avg[hit], strict=True)]
        return pd.DataFrame({ctx.id_col: now.index[hit].to_numpy(), "detail": detail})


#: The default alert rules (rules needing NPS or tickets run only when that table is given).
DEFAULT_RULES: tuple = (HealthDrop(), LowSignal(), NoActivity(), Detractor(), TicketSpike())


def _prepare_events(df: pd.DataFrame, id_col: str, date_col: str, as_of: pd.Period,
                    what: str, score_col: str | None = None) -> pd.DataFrame:
    errors.check_columns(df, [id_col, date_col, score_col], what)
    months = errors.parse_dates(df, date_col, id_col).dt.to_period("M")
    out = pd.DataFrame({id_col: df[id_col].to_numpy(), "_month": months.to_numpy()})
    if score_col is not None:
        out["_score"] = errors.check_whole_in_range(df, score_col, 0, 10, id_col).to_numpy()
    return out[out["_month"] <= as_of]     # no look-ahead


def alerts(usage: pd.DataFrame, rules: Sequence[Any] | None = None, *, as_of: Any = None,
           nps: pd.DataFrame | None = None, tickets: pd.DataFrame | None = None,
           id_col: str = "account_id", month_col: str = "month",
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
    id_col, month_col, signals, weights, lookback
        As for :func:`score`.
    thresholds : (float, float)
        For the ``status`` column (see :func:`status`).

    Returns
    -------
    pandas.DataFrame
        One row per alert: ``id_col``, ``as_of``, ``rule``, ``detail``, ``task``, ``health``,
        ``status``; the least healthy accounts first.

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
    sigs = _resolve_signals(signals, weights)
    lookback = _check_months(lookback, "lookback")
    prep = _prepare(usage, id_col, month_col, [c for s in sigs.values() for c in s.columns])
    month = prep["_month"].max() if as_of is None else _to_month(as_of)
    prep = prep[prep["_month"] <= month]
    kw: dict[str, Any] = {"id_col": id_col, "month_col": month_col, "sigs": sigs,
                          "lookback": lookback}
    now = _score_prepared(prep, month, **kw)
    has_prev = (prep["_month"] == month - 1).any()
    prev = _score_prepared(prep, month - 1, **kw) if has_prev else None
    tables = {
        "nps": None if nps is None else _prepare_events(nps, id_col, nps_date_col, month,
                                                        "nps", nps_score_col),
        "tickets": None if tickets is None else _prepare_events(tickets, id_col,
                                                                ticket_date_col, month,
                                                                "tickets"),
    }
    chosen = list(DEFAULT_RULES if rules is None else rules)
    skipped = []
    ctx = _Context(month, id_col, prep, now, prev, tables["nps"], tables["tickets"])
    parts = []
    for rule in chosen:
        need = getattr(rule, "needs", None)
        if need is not None and tables.get(need) is None:
            if rules is None:
                skipped.append(rule.name)
                continue
            raise DataError(f"Rule {rule.name!r} needs the {need} table: pass {need}=...")
        hit = rule.evaluate(ctx)
        parts.append(hit.assign(rule=rule.name, task=rule.task))
    cols = [id_col, "as_of", "rule", "detail", "task", "health", "status"]
    if parts:
        out = pd.concat(parts, ignore_index=True)
    else:
        out = pd.DataFrame(columns=[id_col, "rule", "detail", "task"])
    info = now[[id_col, "health"]].assign(status=status(now["health"], thresholds))
    out = out.merge(info, on=id_col, how="left").assign(as_of=month.to_timestamp())
    order = {r.name: i for i, r in enumerate(chosen)}
    out = out.assign(_r=out["rule"].map(order)).sort_values(
        ["health", id_col, "_r"], kind="stable").drop(columns="_r")
    out = out[cols].reset_index(drop=True)
    out.attrs["rules_skipped"] = skipped
    return out


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
    errors.check_columns(accounts, [id_col, start_col, end_col], "accounts")
    errors.check_not_empty(accounts, "accounts")
    errors.check_unique(accounts, id_col)
    start = errors.parse_dates(accounts, start_col, id_col)
    end = errors.parse_dates(accounts, end_col, id_col, allow_missing=True)
    month = _to_month(as_of)
    as_of_end = month.end_time.normalize()
    window_end = (month + horizon).end_time.normalize()
    if observed_until is None:
        observed_until = accounts.attrs.get("as_of")
    if observed_until is None:
        raise DataError("observed_until: say up to which date churn is known (the data's "
                        "observation date), e.g. observed_until='2026-09-30'.")
    observed = pd.Timestamp(observed_until)
    if window_end > observed:
        latest = pd.Period(observed, "M") - horizon
        if pd.Timestamp(observed) != pd.Period(observed, "M").end_time.normalize():
            latest -= 1
        raise DataError(
            f"Outcome window not fully observed: as_of {month} + {horizon} months ends on "
            f"{window_end.date()}, after observed_until {observed.date()}, so churn in it "
            f"would be undercounted. Choose as_of <= {latest} or a shorter horizon.")
    late = (end > observed).to_numpy()
    errors._fail(accounts, end_col, f"end dates must not be after observed_until "
                 f"{observed.date()}", late, id_col)

    scores = score(usage, id_col=id_col, month_col=month_col, signals=signals,
                   weights=weights, as_of=month, lookback=lookback)
    acc = pd.DataFrame({id_col: accounts[id_col].astype(str).to_numpy(),
                        "_start": start.to_numpy(), "_end": end.to_numpy()})
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
