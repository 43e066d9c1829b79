"""Alert rules (health drop, low signal, no activity, detractor, ticket spike), alerts with a
suggested task, alert history and a ranked worklist (:mod:`cs_helpers.health`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import dates, errors
from ..errors import DataError
from ..sentences import Sentence, say
from .ramp import (
    DEFAULT_RAMP,
    Ramp,
    _check_one_row_per_month,
    _ramp_levels,
    _start_months,
    _tenure_rows,
)
from .scores import (
    DEFAULT_THRESHOLDS,
    Signal,
    _check_months,
    _prepare,
    _resolve_signals,
    _score_prepared,
    _to_month,
    _window,
    status,
)

__all__ = ["HealthDrop", "LowSignal", "NoActivity", "Detractor", "TicketSpike", "DEFAULT_RULES",
           "alerts", "alert_history", "worklist"]


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


def _suffix(k: int) -> str:
    """The English ordinal suffix of ``k`` (1st, 2nd, 3rd, 4th...)."""
    return {1: "st", 2: "nd", 3: "rd"}.get(k if k < 20 else k % 10, "th")


@dataclass(frozen=True)
class HealthDrop:
    """Health fell by at least ``points`` against the previous month.

    The rule compares an account with itself, so it needs no ramp allowance: while a new
    account ramps up its health rises rather than drops.
    """

    points: float = 15.0
    name: str = "health_drop"
    task: str = Sentence("Call the account within 5 working days: ask what changed and agree a "
                 "recovery plan.")
    needs: str | None = None

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        if ctx.prev is None:
            return _empty_alerts(ctx.id_col)
        both = ctx.now[[ctx.id_col, "health"]].merge(
            ctx.prev[[ctx.id_col, "health"]], on=ctx.id_col, suffixes=("", "_prev"))
        drop = both["health"] - both["health_prev"]
        hit = both[drop <= -self.points]
        detail = [say(f"health {p:.0f} -> {h:.0f} ({h - p:+.0f} points in a month; rule: a drop "
                      f"of {self.points:g} or more)") for h, p in zip(hit["health"],
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
    task: str = Sentence("Run a re-onboarding session for inactive users and review the seat count "
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
            if e < 1:
                detail.append(say(f"{self.signal} {self.fmt.format(v)} over the scoring window "
                                  f"(rule: below {self.fmt.format(self.below)} once established; "
                                  f"in its {int(t) + 1}{_suffix(int(t) + 1)} month the bar is {self.fmt.format(b)}: "
                                  f"accounts of that age reach {e:.0%} of the established "
                                  f"level)"))
            else:
                detail.append(say(f"{self.signal} {self.fmt.format(v)} over the scoring window "
                                  f"(rule: below {self.fmt.format(self.below)})"))
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
    task: str = Sentence("Share a customer story with the champion, set a target for deals sourced and "
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
            detail = [say(f"0 {self.column} in each of the last {self.months} months")] * len(hit)
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
                detail.append(say(f"0 {self.column} in each of the last {k} months (ramp "
                                  f"months count less: worth {w:.1f} established months; rule: "
                                  f"{self.months})"))
            else:
                detail.append(say(f"0 {self.column} in each of the last {self.months} months"))
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
    task: str = Sentence("Close the loop: call the respondent within 48 hours, log the reason and "
                 "agree a fix.")
    needs: str | None = "nps"

    def evaluate(self, ctx: _Context) -> pd.DataFrame:
        nps = ctx.nps
        recent = nps[(nps["_month"] > ctx.as_of - self.months) & (nps["_month"] <= ctx.as_of)
                     & (nps["_score"] <= self.max_score)
                     & nps[ctx.id_col].isin(ctx.now[ctx.id_col])]
        worst = recent.groupby(ctx.id_col, observed=True).agg(
            low=("_score", "min"), k=("_score", "size"), last=("_month", "max"))
        detail = [say(f"NPS answer {int(lo)} in {last} ({k} detractor answer"
                      f"{'s' if k > 1 else ''} in the last {self.months} month"
                      f"{'s' if self.months > 1 else ''}; rule: {self.max_score} or less)")
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
    task: str = Sentence("Review the open tickets with support, then call the admin: is a wider "
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
        detail = [say(f"{n} tickets this month vs {a:.1f} a month over the previous "
                      f"{int(k)} month{'s' if k != 1 else ''} (rule: >= {self.min_tickets} and "
                      f">= {self.factor:g}x)") for n, a, k in zip(now[hit], avg[hit], months[hit],
                                                          strict=True)]
        return pd.DataFrame({ctx.id_col: now.index[hit].to_numpy(), "detail": detail})


#: The default alert rules (rules needing NPS or tickets run only when that table is given).
DEFAULT_RULES: tuple = (HealthDrop(), LowSignal(), NoActivity(), Detractor(), TicketSpike())

ALERT_COLUMNS = ["as_of", "rule", "detail", "task", "health", "status", "tenure_months"]


def _prepare_events(df: pd.DataFrame, id_col: str, date_col: str, what: str,
                    score_col: str | None = None) -> pd.DataFrame:
    errors.check_columns(df, [id_col, date_col, score_col], what)
    months = dates.parse_dates(df, date_col, id_col).dt.to_period("M")
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
