"""Health scores: usage signals over a lookback window, 0-100 sub-scores, a weighted score, its
history, and the red / yellow / green status (:mod:`cs_helpers.health`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .. import dates, errors
from ..errors import DataError

__all__ = ["Signal", "DEFAULT_SIGNALS", "STATUSES", "DEFAULT_THRESHOLDS", "score", "history",
           "status"]


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
    months = dates.parse_dates(usage, month_col, id_col).dt.to_period("M")
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
