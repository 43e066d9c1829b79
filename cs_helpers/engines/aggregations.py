"""The aggregations the KPI functions call, written once as Ibis expressions.

Each function checks its input with the same rules (and the same :class:`cs_helpers.DataError`
messages) as the pandas path, then runs one small group-by in the input's own engine and returns
the aggregated rows as pandas (or, for :func:`to_lifetimes` and :func:`lifetimes_from_tenure`,
a table of the input's kind).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from .. import dates, errors
from ..errors import DataError
from .table import (
    ONCE,
    Table,
    _int,
    _true,
    count_if,
    date_rules,
    days_between,
    infinite,
    literal_date,
    not_a_number,
    period,
    warn_duplicate_rows,
    where,
    with_months,
    wrap,
)

#: Helper columns holding the dates read once (dropped from what a user sees).
_HELPERS = ("__cs_start", "__cs_end", ONCE)

ENDED_BEFORE = ("customers whose subscription ended by observed_from={window} (the table "
                "cannot represent them fairly: others who ended before then are missing)")


def observed_from_date(value: Any, as_of: pd.Timestamp, date_format: str | None = None,
                       dayfirst: bool | None = None) -> pd.Timestamp:
    """``observed_from`` as a date, checked against ``as_of``."""
    ts = dates.parse_date(value, "observed_from", date_format=date_format, dayfirst=dayfirst)
    if ts > as_of:
        raise DataError(f"observed_from: {ts.date()} is after as_of={as_of.date()}: "
                        "observation must begin before it ends.")
    return ts


def _resolve_as_of(as_of: Any, latest: Any, date_format: str | None = None,
                   dayfirst: bool | None = None) -> tuple[pd.Timestamp, str]:
    if as_of is not None:
        return dates.parse_date(as_of, "as_of", date_format=date_format,
                                 dayfirst=dayfirst), "given"
    return (pd.Timestamp(latest).normalize(),
            "the latest date in the table (pass as_of= to choose)")


class _Subs:
    """A checked subscriptions table: the dates read once, the censored end and the filter."""

    def __init__(self, t: Table, start: ir.DateValue, end: ir.DateValue, as_of: pd.Timestamp,
                 keep: ir.BooleanValue) -> None:
        self.t, self.start, self.as_of, self.keep = t, start, as_of, keep
        self.raw_end = end          # before the censoring at as_of
        day = literal_date(as_of)
        self.end = (end <= day).fill_null(False).ifelse(end, ibis.null("date"))


def _clean_subscriptions(t: Table, id_col: str | None, start_col: str, end_col: str,
                         as_of: Any, what: str = "subscriptions",
                         date_format: str | None = None, dayfirst: bool | None = None) -> _Subs:
    """Check a subscriptions table in its engine (same rules and messages as pandas)."""
    t.check_columns([id_col, start_col, end_col], what)
    if as_of is not None:
        _resolve_as_of(as_of, None, date_format, dayfirst)      # a bad as_of fails first
    t.plan_dates([start_col, end_col], id_col, what, date_format, dayfirst)
    if t.kinds[start_col] == "date" and t.kinds[end_col] == "date":
        d = t
        start, end = t[start_col], t[end_col]
    else:
        # each date read once into a helper column: the rules and the month arithmetic refer
        # to it many times, and a date read from text is a long expression
        keep_cols = [c for c in t.columns if c not in _HELPERS]
        d = t.derive(t.derive(t.t.select(*keep_cols)).with_dates(
            {_HELPERS[0]: start_col, _HELPERS[1]: end_col}))
        start, end = d[_HELPERS[0]], d[_HELPERS[1]]
    rules = date_rules(d, start_col, False, start) + date_rules(d, end_col, True, end)
    order = [(end_col, "an end date must not be before its start date", end < start)]
    # minimums and maximums only (see Table.check_rules: DuckDB reads them from a Parquet
    # file's statistics)
    extra: dict[str, ir.Scalar] = {
        "latest": ibis.greatest(start.max(), end.max().coalesce(start.max())),
        "earliest": start.min()}
    if as_of is not None:
        given = literal_date(_resolve_as_of(as_of, None, date_format, dayfirst)[0])
        # customers who start after as_of: screened by the latest start in the same pass,
        # counted by a second query only when there are some
        extra["any_late"] = (start.max() > given).fill_null(False)
    row = d.check_rules(rules, id_col, what, stats=extra, unique=id_col, after_unique=order)
    if id_col is None:
        warn_duplicate_rows(t, f"{what} table", stacklevel=6)
    as_of_ts, _ = _resolve_as_of(as_of, row["latest"], date_format, dayfirst)
    day = literal_date(as_of_ts)
    n_late = 0
    if as_of is not None and _true(row["any_late"]):
        n_late = _int(d.scalar_row(n=count_if(start > day))["n"])
    if n_late == int(row["n_rows"]):
        raise DataError(
            f"Column '{start_col}': every customer starts after as_of={as_of_ts.date()} "
            f"(earliest start {pd.Timestamp(row['earliest']).date()}), so nobody was a "
            "customer then. Choose a later as_of.")
    if n_late:
        ids = d.first_ids(start > day, id_col) if id_col is not None else []
        errors.record_filtered(
            pd.DataFrame(), f"customers who start after as_of={as_of_ts.date()} (not yet "
            "customers then)", n_late, ids, stacklevel=5)
    return _Subs(d, start, end, as_of_ts, start <= day)


def to_lifetimes(subs: Any, *, id_col: str | None = "customer_id",
                 start_col: str = "start_date", end_col: str = "end_date",
                 as_of: Any = None, month: str = "calendar", observed_from: Any = None,
                 date_format: str | None = None, dayfirst: bool | None = None) -> Any:
    """:func:`cs_helpers.to_lifetimes` for any non-pandas table.

    Checks the table in its engine (same rules as for pandas), then returns a table of the
    input's kind (lazy for DuckDB, Spark and Ibis; a polars or pyarrow frame for those) with the
    input's columns plus ``duration`` (float, calendar months by default, or days / 30.4375
    with ``month="average"``: the same numbers as the pandas path) and ``churned`` (boolean),
    ready for :func:`cs_helpers.survival_curves`. Customers who start after ``as_of`` are left
    out with a :class:`cs_helpers.DataWarning`. With ``observed_from`` an ``entry`` column is
    added and customers who ended by then are left out with a warning, as in the pandas path.
    """
    t = wrap(subs)
    s = _clean_subscriptions(t, id_col, start_col, end_col, as_of,
                             date_format=date_format, dayfirst=dayfirst)
    d = s.t
    keep = s.keep
    extra: dict[str, ir.Value] = {}
    window_ts = None
    if observed_from is not None:
        window_ts = observed_from_date(observed_from, s.as_of, date_format, dayfirst)
        window = literal_date(window_ts)
        gone = (s.end.notnull() & (s.end <= window)).fill_null(False)
        among = keep & gone
        n_gone = int(d.scalar_row(n=count_if(among))["n"])
        if n_gone:
            ids = d.first_ids(among, id_col) if id_col is not None else []
            errors.record_filtered(pd.DataFrame(), ENDED_BEFORE.format(window=window_ts.date()),
                                   n_gone, ids, stacklevel=4)
        keep = keep & ~gone
        extra[_STOPS[1]] = (s.start > window).ifelse(s.start, window)
    base = where(d.t, keep).mutate(**{_STOPS[0]: s.start, _STOPS[2]: s.end})
    base = base.mutate(**{_STOPS[3]: base[_STOPS[2]].coalesce(literal_date(s.as_of))},
                       **extra)
    base = with_months(base, _STOPS[0], _STOPS[3], "duration", month)
    if window_ts is not None:
        base = with_months(base, _STOPS[0], _STOPS[1], "entry", month)
    others = [c for c in t.columns
              if c not in ("duration", "churned", "entry") + _HELPERS + _STOPS]
    out = base.select(*others, duration=base.duration, churned=base[_STOPS[2]].notnull(),
                      **({"entry": base.entry} if window_ts is not None else {}))
    result = d.lazy(out)
    if window_ts is None and d.engine in ("duckdb", "spark", "ibis"):
        # how the lazy durations were made, for lifetime_counts (see _made_by_to_lifetimes;
        # polars and pyarrow results are frames in memory, not kept here)
        key = id(result)
        dated = d.t.mutate(**{_STOPS[0]: s.start, _RAW_END: s.raw_end})
        _MADE[key] = (weakref.ref(result), d, dated, others, month, s.as_of)
        weakref.finalize(result, _MADE.pop, key, None)     # forgotten with the table itself
    return result


#: The tables :func:`to_lifetimes` returned that are still alive, by ``id``, with how their
#: durations were made: ``(weak reference to the table, checked input, its rows with the start
#: and the end (not censored) as dates, not filtered, columns, month, as_of)``. An entry goes when its table is garbage-collected, so nothing
#: here keeps an input alive longer than the user's own result does.
_MADE: dict[int, tuple[weakref.ref, Table, ir.Table, list[str], str, pd.Timestamp]] = {}


def _made_by_to_lifetimes(lifetimes: Any
                          ) -> tuple[Table, ir.Table, list[str], str, pd.Timestamp] | None:
    """How ``lifetimes`` was made, if it is a table :func:`to_lifetimes` returned (the same
    object, not a copy or a filter of it)."""
    entry = _MADE.get(id(lifetimes))
    if entry is None or entry[0]() is not lifetimes:
        return None
    return entry[1:]


#: Columns of the intermediate steps of to_lifetimes (start, entry date, censored end, stop).
_STOPS = ("__cs_s", "__cs_first", "__cs_e", "__cs_stop")
#: The end date before the censoring at as_of (see _counts_from_dates).
_RAW_END = "__cs_r"


def subscription_periods(subs: Any, freq: str, as_of: Any, id_col: str | None,
                         start_col: str, end_col: str, date_format: str | None = None,
                         dayfirst: bool | None = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Customers counted per (start period, end period) in the engine.

    Returns the counts (columns ``start``, ``end`` as pandas period ordinals, ``ended``,
    ``customers``) and the observation date. ``end`` equals ``start`` where ``ended`` is
    False (still active at ``as_of``).
    """
    t = wrap(subs)
    s = _clean_subscriptions(t, id_col, start_col, end_col, as_of,
                             date_format=date_format, dayfirst=dayfirst)
    x = where(s.t.t, s.keep).select(s=period(s.start, freq), e=period(s.end, freq))
    g = x.group_by("s", "e").aggregate(customers=x.count())
    got = s.t.run(g.select(start=g.s, end=g.e.coalesce(g.s), ended=g.e.notnull(),
                           customers=g.customers))
    got = got.astype({"start": np.int64, "end": np.int64, "ended": bool,
                      "customers": np.int64})
    return got.sort_values(["start", "end", "ended"], ignore_index=True), s.as_of


def _flag(t: Table, col: str, true_values: Sequence = errors.TRUE_VALUES,
          false_values: Sequence = errors.FALSE_VALUES) -> ir.BooleanValue:
    """A churn flag as a boolean (NULL where the value is not a recognised flag).

    The same vocabulary as :func:`cs_helpers.errors.parse_flags`: text compared without case
    or surrounding spaces, numbers and booleans as they are.
    """
    c, kind = t[col], t.kinds[col]
    no = ibis.null("boolean")

    def words(values: Sequence) -> list[str]:
        return sorted({v.strip().lower() for v in values if isinstance(v, str)})

    def numbers(values: Sequence) -> list[float]:
        return sorted({float(v) for v in values if isinstance(v, (bool, int, float, np.bool_,
                                                                  np.integer, np.floating))
                       and not pd.isna(v)})

    def one_of(x: ir.Value, found: list) -> ir.BooleanValue:
        return x.isin(found) if found else ibis.literal(False)

    if kind == "bool":
        yes, no_ = set(true_values), set(false_values)
        if True in yes and False in no_ and False not in yes and True not in no_:
            return c            # the usual vocabulary: the column is the flag (no CASE per row)

        def as_bool(v: bool) -> ir.BooleanValue:
            if v in set(true_values):
                return ibis.literal(True)
            return ibis.literal(False) if v in set(false_values) else no
        return ibis.cases((c, as_bool(True)), (~c, as_bool(False)), else_=no)
    if kind == "number":
        x = c.cast("float64")
        return ibis.cases((one_of(x, numbers(true_values)), True),
                          (one_of(x, numbers(false_values)), False), else_=no)
    low = c.cast("string").strip().lower()
    return ibis.cases((one_of(low, words(true_values)), True),
                      (one_of(low, words(false_values)), False), else_=no)


def lifetime_counts(lifetimes: Any, by: str | None, duration_col: str,
                    event_col: str, entry_col: str | None = None) -> pd.DataFrame:
    """:func:`cs_helpers.survival.aggregate_lifetimes` run in the engine.

    Same output: ``group`` (when ``by`` is given), ``entry`` (when ``entry_col`` is given),
    ``duration``, ``churned``, ``customers``, sorted by group label, entry, duration and
    churned.
    """
    made = _made_by_to_lifetimes(lifetimes) if entry_col is None else None
    if (made is not None and duration_col == "duration" and event_col == "churned"
            and (by is None or by in made[2])):
        got = _counts_from_dates(*made, by)
        return _checked_counts(got, by, duration_col, event_col, entry_col)
    t = wrap(lifetimes)
    t.check_columns([duration_col, event_col, by, entry_col], "lifetimes")
    keys: dict[str, ir.Value] = {}
    if by is not None:
        keys["grp"] = t[by]
    if entry_col is not None:
        keys["entry"] = t.number(entry_col)
    keys["duration"] = t.number(duration_col)
    keys["churned"] = _flag(t, event_col)
    # One pass: the count itself. Rows that break a rule (a duration that is not a number or
    # is negative, an unknown flag, a missing group) land in their own groups (NULL, NaN or
    # negative keys), so the checks read the small result instead of scanning the table again.
    got = t.run(t.t.group_by(**keys).aggregate(customers=t.t.count()))
    return _checked_counts(got, by, duration_col, event_col, entry_col)


def _counts_from_dates(d: Table, dated: ir.Table, others: list[str], month: str,
                       as_of: pd.Timestamp, by: str | None) -> pd.DataFrame:
    """The counts of :func:`lifetime_counts` for a table :func:`to_lifetimes` returned.

    Calendar months: the month arithmetic is done once per distinct (group, start, end)
    rather than once per customer: the group-by first (about 630,000 groups for 10 million
    customers here), then, on those groups, the filter (customers who start by ``as_of``), the
    censoring at ``as_of``, the stop, the churn flag and the calendar months (the same
    expressions as in :func:`to_lifetimes`), then the counts per (group, duration, churned).
    Average-length months need only the day difference, which is cheap per row and has far
    fewer values (about 11,000 (group, days, churned) groups here): one group-by on it, and
    the durations (days / 30.4375) worked out on the groups. Same numbers as the lazy table's
    ``duration`` and ``churned`` either way: the same dates through the same expressions."""
    start, end, stop = _STOPS[0], _STOPS[2], _STOPS[3]
    day = literal_date(as_of)

    def censored(g: ir.Table) -> ir.Table:
        g = g.filter(g[start] <= day)           # _Subs.keep
        raw = g[_RAW_END]
        g = g.mutate(**{end: (raw <= day).fill_null(False).ifelse(raw, ibis.null("date"))})
        return g.mutate(**{stop: g[end].coalesce(day), "churned": g[end].notnull()})

    keys: dict[str, ir.Value] = {"grp": dated[by]} if by is not None else {}
    cols = [*keys, "duration", "churned"]
    if month == "average":
        rows = censored(dated.select(**keys, **{start: dated[start],
                                                _RAW_END: dated[_RAW_END]}))
        rows = rows.mutate(**{_DAYS: days_between(rows[start], rows[stop])})
        g = rows.group_by(*keys, _DAYS, "churned").aggregate(customers=rows.count())
        g = g.mutate(duration=g[_DAYS].cast("float64") / dates.DAYS_PER_MONTH)
        return d.run(g.select(*cols, "customers"))
    g = dated.group_by(**keys, **{start: dated[start], _RAW_END: dated[_RAW_END]}
                       ).aggregate(n=dated.count())
    g = with_months(censored(g), start, stop, "duration", month)
    return d.run(g.group_by(*cols).aggregate(customers=g.n.sum()))


#: The day difference from start to stop, in :func:`_counts_from_dates`.
_DAYS = "__cs_days"


def _checked_counts(got: pd.DataFrame, by: str | None, duration_col: str, event_col: str,
                    entry_col: str | None) -> pd.DataFrame:
    """The rules of :func:`lifetime_counts`, read from the counts, and the sorted result."""
    n_rows = int(got["customers"].sum())
    if n_rows == 0:
        raise DataError("The lifetimes table is empty (0 rows): there is nothing to measure.")
    d = pd.to_numeric(got["duration"], errors="coerce")
    rules = [(duration_col, "values must be numbers (not missing, not text)", d.isna()),
             (duration_col, "values must not be negative", d < 0),
             (duration_col, "durations must be finite (no infinite lifetimes)", np.isinf(d)),
             (event_col, "churn flags must be one of True/1/Yes (churned) or False/0/No "
              "(still active)", got["churned"].isna())]
    if entry_col is not None:
        ent = pd.to_numeric(got["entry"], errors="coerce")
        rules += [(entry_col, "values must be numbers (not missing, not text)", ent.isna()),
                  (entry_col, "values must not be negative", ent < 0),
                  (entry_col, f"entry must not be after the end of the follow-up "
                   f"({duration_col})", ent > d)]
    if by is not None:
        rules.append((by, "group labels must not be missing", got["grp"].isna()))
    for column, rule, bad in rules:
        n_bad = int(got.loc[bad.to_numpy(dtype=bool), "customers"].sum())
        if n_bad:
            Table.message(column, rule, n_bad, n_rows, [], False)
    types = {"duration": float, "churned": bool, "customers": np.int64}
    if entry_col is not None:
        types["entry"] = float
    got = got.astype(types)
    sort_cols = [c for c in ("entry", "duration", "churned") if c in got.columns]
    if by is None:
        return got.sort_values(sort_cols, ignore_index=True)
    got = got.rename(columns={"grp": "group"})
    order = np.lexsort(tuple(got[c].to_numpy() for c in reversed(sort_cols))
                       + (pd.factorize(got["group"], sort=True)[0],))
    return got.iloc[order].reset_index(drop=True)[["group", *sort_cols, "customers"]]


def column_sum(table: Any, col: str) -> float:
    """The sum of a numeric column (0 for an empty table), in the table's engine."""
    t = wrap(table)
    return float(t.scalar_row(s=t.number(col).sum().coalesce(0.0))["s"])


def columns_of(table: Any) -> list[str]:
    """The column names of any accepted table."""
    if isinstance(table, pd.DataFrame):
        return list(table.columns)
    return wrap(table).columns


def lifetimes_from_tenure(table: Any, *, tenure_col: str, churned_col: str,
                          churned_values: Sequence = errors.TRUE_VALUES,
                          active_values: Sequence = errors.FALSE_VALUES,
                          id_col: str | None = None, factor: float = 1.0,
                          window: float | str | None = None) -> tuple[Any, dict[str, float]]:
    """:func:`cs_helpers.lifetimes_from_tenure` for any non-pandas table.

    The same rules, checked in the engine in one pass, and the same repeated-rows warning;
    returns a table of the input's kind with ``duration`` (tenure x ``factor`` months),
    ``churned`` and, with a numeric ``window``, ``entry``, plus the tenure's statistics
    (``n``, ``all_whole``, ``lo``, ``hi``, ``mid``) for the unit warning.
    """
    t = wrap(table)
    t.check_columns([tenure_col, churned_col, id_col], "tenure")
    num, flag = t.number(tenure_col), _flag(t, churned_col, churned_values, active_values)
    rules = [(tenure_col, "values must be numbers (not missing, not text)", not_a_number(num)),
             (tenure_col, "values must be finite numbers (not infinite)", infinite(num)),
             (tenure_col, "values must not be negative", num < 0),
             (churned_col, "churn flags must be one of True/1/Yes (churned) or False/0/No "
              "(still active)", flag.isnull())]
    extra = {"lo": num.min(), "hi": num.max(), "mid": num.median(),
             "fractional": count_if(_fractional(num))}
    row = t.check_rules([], id_col, "tenure", unique=id_col, after_unique=rules, extra=extra)
    if id_col is None:
        warn_duplicate_rows(t, "tenure table", stacklevel=5)
    stats = {"n": int(row["n_rows"]), "all_whole": int(row["fractional"] or 0) == 0,
             "lo": float(row["lo"]), "hi": float(row["hi"]), "mid": float(row["mid"])}
    others = [c for c in t.columns if c not in ("duration", "churned", "entry")]
    exprs: dict[str, ir.Value] = {"duration": (num * factor).cast("float64"), "churned": flag}
    if isinstance(window, float):
        exprs["entry"] = (ibis.greatest(num - window, 0.0) * factor).cast("float64")
    return t.lazy(t.t.select(*others, **exprs)), stats


def _fractional(x: ir.FloatingValue) -> ir.BooleanValue:
    """True where ``x`` is finite and not a whole number (Ibis's floor is an integer, so an
    infinite or huge value is kept away from it)."""
    finite = ~infinite(x) & ~not_a_number(x) & (x.abs() < 2.0 ** 62)
    return finite.ifelse(x != x.floor(), False)


def revenue_sums(usage: Any, id_col: str, month_col: str, mrr_col: str,
                 window: int, date_format: str | None = None,
                 dayfirst: bool | None = None) -> pd.DataFrame:
    """Per base month, the sums :func:`cs_helpers.revenue_retention` divides, in the engine.

    Returns columns ``m`` (month ordinal), ``customers``, ``base_mrr``, ``mrr_after``,
    ``expansion_mrr``, ``contraction_mrr``, ``churned_mrr``, ``kept``, ``capped``.
    """
    t = wrap(usage)
    t.check_columns([id_col, month_col, mrr_col], "usage")
    t.plan_dates([month_col], id_col, "usage", date_format, dayfirst)
    if t.kinds[month_col] not in ("date", "timestamp"):
        # the month read once per row (see Table.with_dates)
        t = t.derive(t.with_dates({_HELPERS[0]: month_col}))
        month = t[_HELPERS[0]]
    else:
        month = t.date(month_col)
    mrr = t.number(mrr_col)
    rules = date_rules(t, month_col, False, month) + [
        (mrr_col, "values must be numbers (not missing, not text)", not_a_number(mrr)),
        (mrr_col, "values must not be negative", mrr < 0)]
    # the last month (a month number never falls as the date grows: the month of the latest
    # date), and, where DuckDB can count them exactly in the same pass, the distinct
    # (customer, month) pairs
    extra: dict[str, ir.Scalar] = {"last": period(month.max(), "M")}
    fast = None
    if t.kinds[month_col] in ("date", "timestamp"):
        fast = t.bitstring_distinct([(id_col, lambda c: c),
                                     (month_col, lambda c: period(c.cast("date"), "M"))])
    if fast is not None:
        extra["n_pairs"], extra["n_keyed"] = fast
    row = t.check_rules(rules, id_col, "usage", extra=extra)
    u = t.t.select(id=t[id_col], m=period(month, "M"), mrr=mrr)
    if fast is None or not (_int(row["n_pairs"]) == _int(row["n_keyed"]) == int(row["n_rows"])):
        # duplicates are possible (or a customer id is missing): count them as a group-by
        per = u.group_by("id", "m").aggregate(c=u.count()).filter(lambda g: g.c > 1)
        dup = t.run(per.aggregate(groups=per.count(), n_rows=per.c.sum())).iloc[0]
        if int(dup["groups"]):
            ids = t.run(per.select("id").order_by("id").limit(errors.MAX_IDS))["id"]
            t.message(month_col, "one row per customer and month", int(dup["n_rows"]),
                      int(row["n_rows"]), [str(v) for v in ids], True)
    w = int(window)
    last = ibis.literal(int(row["last"]), "int64")
    b = u.filter((u.mrr > 0) & (u.m + w <= last))
    a = u.view()
    j = b.left_join(a, [b.id == a.id, a.m == b.m + w]).select(
        m=b.m, before=b.mrr, after=a.mrr.coalesce(0.0))
    got = t.run(j.group_by("m").aggregate(
        customers=j.count(), base_mrr=j.before.sum(), mrr_after=j.after.sum(),
        expansion_mrr=(j.after > j.before).ifelse(j.after - j.before, 0.0).sum(),
        contraction_mrr=((j.after > 0) & (j.before > j.after)).ifelse(
            j.before - j.after, 0.0).sum(),
        churned_mrr=(j.after > 0).ifelse(0.0, j.before).sum(),
        kept=count_if(j.after > 0),
        capped=(j.after < j.before).ifelse(j.after, j.before).sum()))
    cols = ["base_mrr", "mrr_after", "expansion_mrr", "contraction_mrr", "churned_mrr",
            "capped"]
    got = got.astype({"m": np.int64, "customers": np.int64, "kept": np.int64,
                      **{c: float for c in cols}})
    return got.sort_values("m", ignore_index=True)


def column_profile(table: Any, columns: Sequence[str]) -> pd.DataFrame:
    """Missing and distinct values per column, counted in the table's own engine.

    ``attrs["rows"]`` holds the number of rows.

    Examples
    --------
    >>> column_profile(pd.DataFrame({"a": [1, None, 1], "b": ["x", "y", "z"]}), ["a", "b"])
       missing values  distinct values
    a               1                1
    b               0                3
    """
    cols = list(dict.fromkeys(columns))
    if isinstance(table, pd.DataFrame):
        errors.check_columns(table, cols)
        out = pd.DataFrame({"missing values": table[cols].isna().sum(),
                            "distinct values": table[cols].nunique()})
        out.attrs["rows"] = len(table)
        return out
    t = wrap(table)
    t.check_columns(cols, "input")
    aggs: dict[str, ir.Scalar] = {"n_rows": t.t.count()}
    for i, c in enumerate(cols):
        aggs[f"m{i}"] = count_if(t[c].isnull())
        aggs[f"d{i}"] = t[c].nunique()
    row = t.scalar_row(**aggs)
    out = pd.DataFrame({"missing values": [int(row[f"m{i}"] or 0) for i in range(len(cols))],
                        "distinct values": [int(row[f"d{i}"]) for i in range(len(cols))]},
                       index=cols)
    out.attrs["rows"] = int(row["n_rows"])
    return out


_NEGATIVE = ("amounts must not be negative (a refund or credit is not revenue per account; "
             "fix the export, or set it to 0 if that is what it means)")


def group_means(table: Any, value_col: str, by: str | None = None, *,
                id_col: str | None = None) -> pd.Series:
    """Mean of an amount (MRR: ARPA) per value of ``by`` (or overall, ``"all"``), in the engine.

    Rules, the same on every engine:

    - text that is not a number, and an infinite amount, are DataErrors (with ids);
    - a **negative** amount is a DataError naming the first ids: a refund or a credit is not
      revenue per account, and averaging it in would lower ARPA (fix the export or set it to
      0 if that is what it means);
    - **missing** amounts are left out of the mean and reported per segment with a
      :class:`cs_helpers.DataWarning` and a note in ``attrs["cs_helpers_filtered"]``;
    - a segment with no amount at all gets NaN (not a number to use), with the same note;
    - a missing segment label is a DataError (as in :func:`cs_helpers.survival_curves`).

    Parameters
    ----------
    table : DataFrame, polars frame, DuckDB relation, Spark DataFrame or Ibis table
    value_col : str
        The amount (e.g. MRR per customer).
    by : str, optional
        The segment column.
    id_col : str, optional
        Customer ids, for messages.

    Returns
    -------
    pandas.Series
        The mean per segment (sorted by label), named ``value_col``; ``attrs["counted"]`` and
        ``attrs["missing"]``: rows with and without an amount per segment;
        ``attrs["rows"]``: all rows.

    Examples
    --------
    >>> group_means(pd.DataFrame({"plan": ["a", "a", "b"], "mrr": [10, 20, 5]}), "mrr", "plan")
    plan
    a    15.0
    b     5.0
    Name: mrr, dtype: float64
    >>> group_means(pd.DataFrame({"id": ["x", "y"], "mrr": [10, -20]}), "mrr", id_col="id")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'mrr': amounts must not be negative (a refund or credit is not revenue per account; fix the export, or set it to 0 if that is what it means) — 1 of 2 rows break this rule (first ids: y).
    """
    if isinstance(table, pd.DataFrame):
        errors.check_columns(table, [value_col, by, id_col], "input")
        raw = table[value_col]
        values = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | raw.astype(str).str.strip().eq("")
        errors.fail_where(table, value_col, "values must be numbers",
                          (values.isna() & ~blank).to_numpy(), id_col)
        errors.fail_where(table, value_col, "values must be finite numbers (not infinite)",
                          np.isinf(values.to_numpy(dtype=float)), id_col)
        errors.fail_where(table, value_col, _NEGATIVE, (values < 0).to_numpy(), id_col)
        if by is None:
            labels = pd.Series("all", index=table.index)
        else:
            errors.fail_where(table, by, "group labels must not be missing",
                              table[by].isna().to_numpy(), id_col)
            labels = table[by].astype(str)
        present = values.notna()
        stats = pd.DataFrame({"sum": values.where(present, 0.0).groupby(labels).sum(),
                              "counted": present.groupby(labels).sum(),
                              "rows": present.groupby(labels).size()})
        missing_ids = errors.offending_ids(table, (~present).to_numpy(), id_col)
    else:
        t = wrap(table)
        t.check_columns([value_col, by, id_col], "input")
        num = t.number(value_col)
        rules = [(value_col, "values must be numbers", num.isnull() & ~t.blank(value_col)),
                 (value_col, "values must be finite numbers (not infinite)", infinite(num)),
                 (value_col, _NEGATIVE, num < 0)]
        if by is not None:
            rules.append((by, "group labels must not be missing", t[by].isnull()))
        t.check_rules(rules, id_col, "input")
        label = t[by].cast("string") if by is not None else ibis.literal("all")
        value = not_a_number(num).ifelse(ibis.null("float64"), num)
        x = t.t.select(g=label, v=value)
        got = t.run(x.group_by("g").aggregate(s=x.v.sum(), c=x.v.count(), n=x.count()))
        stats = pd.DataFrame({"sum": got["s"].fillna(0.0).astype(float).to_numpy(),
                              "counted": got["c"].astype(np.int64).to_numpy(),
                              "rows": got["n"].astype(np.int64).to_numpy()},
                             index=got["g"].astype(str).to_numpy())
        missing_ids = []
        if int((stats["rows"] - stats["counted"]).sum()) and id_col is not None:
            missing_ids = t.first_ids(value.isnull(), id_col)
    stats = stats.sort_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(stats["counted"] > 0, stats["sum"] / stats["counted"].clip(lower=1),
                         np.nan)
    out = pd.Series(means.astype(float), index=pd.Index(stats.index, name=by),
                    name=value_col)
    if by is None:
        out.index.name = None
    missing = (stats["rows"] - stats["counted"]).astype(np.int64)
    out.attrs["counted"] = stats["counted"].astype(np.int64)
    out.attrs["missing"] = missing
    out.attrs["rows"] = int(stats["rows"].sum())
    if int(missing.sum()):
        per = ", ".join(f"{g}: {n:,} of {int(stats.loc[g, 'rows']):,}"
                        for g, n in missing.items() if n)
        empty = [str(g) for g, c in stats["counted"].items() if c == 0]
        tail = (f"; no amount at all in {', '.join(empty)} (its mean is NaN, not a number to "
                "use)" if empty else "")
        errors.record_filtered(out, f"rows with no {value_col} (missing), left out of the mean "
                               f"({per}){tail}", int(missing.sum()), missing_ids, stacklevel=3)
    return out
