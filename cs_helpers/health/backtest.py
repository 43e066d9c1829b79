"""Back-tests: would the score (:func:`backtest`) or the alert rules (:func:`backtest_alerts`) have
predicted churn in the following months (:mod:`cs_helpers.health`)?
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import stats

from .. import dates, errors
from ..errors import DataError, DataWarning
from ..sentences import Sentence
from .alerts import _alert_setup, _mark_new
from .ramp import DEFAULT_RAMP, Ramp
from .scores import DEFAULT_THRESHOLDS, STATUSES, Signal, _check_months, _to_month, score, status

__all__ = ["Backtest", "backtest", "AlertBacktest", "backtest_alerts"]


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
        from .. import plotting

        if ax is None:
            _, ax = plotting.subplots()
        t = self.table.loc[list(STATUSES)]
        ax.bar([plotting.status_label(s) for s in STATUSES], t["churn_rate"].fillna(0).to_numpy(),
               color=[plotting.STATUS_COLORS[s] for s in STATUSES])
        for i, (rate, n) in enumerate(zip(t["churn_rate"], t["accounts"], strict=True)):
            text = (plotting.figure_text("no_accounts") if n == 0 else
                    plotting.figure_text("rate_of_n", rate=f"{rate:.0%}", n=f"{n:,}"))
            ax.annotate(text, (i, 0 if np.isnan(rate) else rate), ha="center", va="bottom",
                        xytext=(0, 2), textcoords="offset points", fontsize=10)
        plotting.percent_axis(ax)
        month = self.as_of.strftime("%Y-%m")
        plotting.finish(ax, title=plotting.figure_text("backtest_title", horizon=self.horizon,
                                                       month=month, auc=f"{self.auc:.2f}"),
                        xlabel=plotting.figure_text("backtest_x", month=month),
                        ylabel=plotting.figure_text("backtest_y", horizon=self.horizon))
        return ax


def _outcome_accounts(accounts: pd.DataFrame, id_col: str, start_col: str, end_col: str,
                      observed_until: Any) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Check the accounts table; return ``_start`` and ``_end`` by id (as text) and the date up
    to which churn is known."""
    errors.check_columns(accounts, [id_col, start_col, end_col], "accounts")
    errors.check_not_empty(accounts, "accounts")
    errors.check_unique(accounts, id_col)
    start = dates.parse_dates(accounts, start_col, id_col)
    end = dates.parse_dates(accounts, end_col, id_col, allow_missing=True)
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
    >>> from cs_helpers.health import LowSignal
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
        notes.append({"reason": Sentence("account-months not active at the end of the month "
                                         "checked (ended that month)"),
                      "rows": notes_rows["inactive"]})
    if notes_rows["no_health"]:
        notes.append({"reason": Sentence("account-months with no computable health signal"),
                      "rows": notes_rows["no_health"]})
    for note in notes:
        warnings.warn(f"{note['rows']:,} rows left out: {note['reason']}.", DataWarning,
                      stacklevel=2)
    return AlertBacktest(months=[m.to_timestamp() for m in todo], horizon=horizon,
                         accounts=table_acc, alerts=hist, table=table, base_rate=base,
                         notes=notes)
