"""Shape customer tables into lifetimes: one row per customer with ``duration`` and ``churned``.

Two shapes of input are common:

- a **subscriptions table** (start date, end date empty while active) and an observation date:
  :func:`to_lifetimes`;
- a **snapshot table** with a tenure in months and a churned flag, as most public churn tables
  are (the Telco churn data, for one): :func:`lifetimes_from_tenure`.

Durations are in **calendar months** by default: whole months counted between monthly
anniversaries of the start date, plus the elapsed fraction of the month in progress. Most
subscriptions end on an anniversary (the billing date), and then the duration is exactly 1, 2,
3, ... months whatever the lengths of the months in between: a member who joins on 31 January
and leaves on the first billing date, 28 February, has a duration of exactly 1. Blocks of
30.4375 days (365.25 / 12), the older convention, would give 0.92 for that member and 1.02 for
one who stays through a 31-day month, which moves Kaplan-Meier curves read at whole months and
lifecycle phases by a month for many customers. ``month="average"`` keeps that convention
for comparison.

A customer still active at the observation date is *censored*: ``churned`` is False and
``duration`` runs to that date.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import errors
from .errors import DataError

__all__ = ["DAYS_PER_MONTH", "MONTH_DEFINITIONS", "calendar_months", "durations", "to_lifetimes",
           "lifetimes_from_tenure", "clean_subscriptions"]

#: Days in an average month: durations with ``month="average"`` are days / DAYS_PER_MONTH.
DAYS_PER_MONTH = 30.4375

#: The two definitions of a month :func:`to_lifetimes` knows (the first is the default).
MONTH_DEFINITIONS: tuple[str, str] = ("calendar", "average")


def _month_anniversary(month_ordinal: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The date (datetime64[D]) with day ``day`` in the month ``month_ordinal`` (months since
    1970-01), the day clipped to the month's length, as a billing date is."""
    first = month_ordinal.astype("datetime64[M]").astype("datetime64[D]")
    next_first = (month_ordinal + 1).astype("datetime64[M]").astype("datetime64[D]")
    length = (next_first - first).astype(np.int64)
    return first + (np.minimum(day, length) - 1).astype("timedelta64[D]")


def calendar_months(start: Any, stop: Any) -> np.ndarray:
    """Months from ``start`` to ``stop`` counted on monthly anniversaries of ``start``.

    The whole months are the anniversaries passed (``start`` plus k months, the day clipped to
    the month's end as billing dates are); the fraction is the share of the current
    anniversary-to-anniversary month elapsed, in days. So a stop on an anniversary gives a
    whole number whatever the lengths of the months between.

    Parameters
    ----------
    start, stop : array-like of dates
        Same length; ``stop >= start``; no missing values.

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> calendar_months(["2024-01-31", "2024-01-31", "2024-01-31", "2023-01-15"],
    ...                 ["2024-02-29", "2024-03-31", "2024-03-30", "2023-02-01"]).round(4)
    array([1.    , 2.    , 1.9677, 0.5484])

    The last one: 17 of the 31 days from 15 January to 15 February.
    """
    s = np.asarray(start, dtype="datetime64[D]")
    e = np.asarray(stop, dtype="datetime64[D]")
    s_month = s.astype("datetime64[M]")
    day = (s - s_month.astype("datetime64[D]")).astype(np.int64) + 1
    s_ord = s_month.astype(np.int64)
    k = e.astype("datetime64[M]").astype(np.int64) - s_ord
    passed = _month_anniversary(s_ord + k, day)
    k = np.where(passed > e, k - 1, k)
    last = _month_anniversary(s_ord + k, day)
    following = _month_anniversary(s_ord + k + 1, day)
    frac = (e - last).astype(np.int64) / (following - last).astype(np.int64)
    return k + frac


def _resolve_as_of(subs: pd.DataFrame, as_of: Any, start: pd.Series, end: pd.Series
                   ) -> tuple[pd.Timestamp, str]:
    if as_of is not None:
        try:
            return pd.Timestamp(as_of).tz_localize(None).normalize(), "given"
        except (TypeError, ValueError) as exc:
            raise DataError(f"as_of: {as_of!r} is not a date (e.g. '2026-09-30').") from exc
    if "as_of" in subs.attrs:
        return pd.Timestamp(subs.attrs["as_of"]), "the table's attrs['as_of']"
    latest = max(start.max(), end.max() if end.notna().any() else start.max())
    return pd.Timestamp(latest), "the latest date in the table (pass as_of= to choose)"


def clean_subscriptions(subs: pd.DataFrame, *, id_col: str | None = "customer_id",
                        start_col: str = "start_date", end_col: str = "end_date",
                        as_of: Any = None, what: str = "subscriptions") -> pd.DataFrame:
    """Validate a subscriptions table and return it with parsed dates, censored at ``as_of``.

    The result has the original columns, ``start_col`` and ``end_col`` as ``datetime64``, and
    ``end_col`` set to NaT where the end falls after ``as_of`` (the customer was still active
    then). Customers starting after ``as_of`` are left out with a :class:`DataWarning`.
    ``result.attrs["as_of"]`` holds the observation date used.
    """
    errors.check_columns(subs, [id_col, start_col, end_col], what)
    errors.check_not_empty(subs, what)
    start = errors.parse_dates(subs, start_col, id_col)
    end = errors.parse_dates(subs, end_col, id_col, allow_missing=True)
    if id_col is not None:
        errors.check_unique(subs, id_col)
    errors.fail_where(subs, end_col, "an end date must not be before its start date",
                      (end < start).to_numpy(), id_col)
    as_of_ts, source = _resolve_as_of(subs, as_of, start, end)
    out = subs.copy()
    out[start_col] = start
    out[end_col] = end.where(end <= as_of_ts)
    out.attrs = {**subs.attrs, "as_of": as_of_ts, "as_of_source": source}
    late = (start > as_of_ts).to_numpy()
    if late.all():
        raise DataError(
            f"Column '{start_col}': every customer starts after as_of={as_of_ts.date()} "
            f"(earliest start {start.min().date()}), so nobody was a customer then. "
            "Choose a later as_of.")
    if late.any():
        ids = errors.offending_ids(subs, late, id_col)
        out = out.loc[~late]
        out.attrs = {**subs.attrs, "as_of": as_of_ts, "as_of_source": source}
        errors.record_filtered(
            out, f"customers who start after as_of={as_of_ts.date()} (not yet customers then)",
            int(late.sum()), ids, stacklevel=4)
    return out


def to_lifetimes(subs: Any, *, id_col: str | None = "customer_id",
                 start_col: str = "start_date", end_col: str = "end_date",
                 as_of: Any = None, month: str = "calendar",
                 observed_from: Any = None) -> pd.DataFrame:
    """One row per customer with ``duration`` (months) and ``churned``, from start/end dates.

    Parameters
    ----------
    subs : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer (or contract): an id, a start date and an end date that is empty
        while the customer is active. Dates may be strings. A DuckDB relation or a Spark
        DataFrame is checked in its engine and the result is a lazy table of the same engine
        (see :func:`cs_helpers.engines.to_lifetimes`).
    id_col, start_col, end_col : str
        Column names (``id_col=None`` when the table has no id column).
    as_of : date-like, optional
        The observation date. Ends after it count as still active (censored). Default: the
        table's ``attrs["as_of"]`` (set by :func:`cs_helpers.datasets.load`), else the latest
        date in the table; ``result.attrs["as_of_source"]`` says which.
    month : {"calendar", "average"}
        How a month is measured. ``"calendar"`` (default): whole months between monthly
        anniversaries of the start plus the fraction of the month in progress (see
        :func:`calendar_months`), so a cancellation on the anniversary is exactly 1, 2, 3...
        months. ``"average"``: days / 30.4375, the older convention (kept for comparison).
    observed_from : date-like, optional
        For a table that only holds customers still active on some date (an export of the
        billing system since 2022-01-01, say): the date observation began. Customers who
        started earlier came under observation late; an ``entry`` column gives the months of
        their life already behind them then (0 for later starters), for
        ``cs.survival_curves(life, entry_col="entry")``. Customers whose end date falls on or
        before ``observed_from`` are left out with a :class:`DataWarning`: the export would
        hold only some of them, so they cannot be counted fairly.

    Returns
    -------
    DataFrame
        The input's columns plus ``duration`` (float, months) and ``churned`` (bool);
        ``attrs["month"]`` says which month definition was used. Rows of customers who start
        after ``as_of`` are left out with a warning and a note in
        ``attrs["cs_helpers_filtered"]``.

    Raises
    ------
    DataError
        A missing column, unparseable dates, an end before its start, duplicate ids, an empty
        table, or an ``as_of`` before every start.

    Examples
    --------
    >>> subs = pd.DataFrame({"customer_id": ["a", "b"],
    ...                      "start_date": ["2024-01-01", "2024-01-01"],
    ...                      "end_date": ["2024-03-01", None]})
    >>> life = to_lifetimes(subs, as_of="2024-07-01")
    >>> life[["customer_id", "duration", "churned"]].round(3)
      customer_id  duration  churned
    0           a       2.0     True
    1           b       6.0    False
    >>> life.attrs["month"]
    'calendar'
    >>> to_lifetimes(subs, as_of="2024-07-01", month="average")["duration"].round(3).tolist()
    [1.971, 5.979]

    Observed only from 1 February 2024: customer ``a`` was then one month into its life.

    >>> to_lifetimes(subs, as_of="2024-07-01", observed_from="2024-02-01")["entry"].tolist()
    [1.0, 1.0]
    """
    from . import engines

    month = _check_month(month)
    if engines.is_sql_table(subs):
        return engines.to_lifetimes(subs, id_col=id_col, start_col=start_col,
                                    end_col=end_col, as_of=as_of, month=month,
                                    observed_from=observed_from)
    clean = clean_subscriptions(subs, id_col=id_col, start_col=start_col, end_col=end_col,
                                as_of=as_of)
    as_of_ts = clean.attrs["as_of"]
    attrs = {**clean.attrs, "month": month, "id_col": id_col}
    if observed_from is not None:
        window = _observed_from(observed_from, as_of_ts)
        gone = (clean[end_col] <= window).to_numpy()
        if gone.any():
            ids = errors.offending_ids(clean, gone, id_col)
            clean = clean.loc[~gone]
            clean.attrs = attrs
            errors.record_filtered(clean, _ENDED_BEFORE.format(window=window.date()),
                                   int(gone.sum()), ids, stacklevel=3)
            attrs = clean.attrs
        attrs["observed_from"] = window
    stop = clean[end_col].fillna(as_of_ts)
    out = clean.copy()
    out["duration"] = durations(clean[start_col], stop, month)
    out["churned"] = clean[end_col].notna().to_numpy()
    if observed_from is not None:
        first = clean[start_col].where(clean[start_col] > window, window)
        out["entry"] = durations(clean[start_col], first, month)
    out.attrs = attrs
    return out


_ENDED_BEFORE = ("customers whose subscription ended by observed_from={window} (the table "
                 "cannot represent them fairly: others who ended before then are missing)")


def _observed_from(value: Any, as_of: pd.Timestamp) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"observed_from: {value!r} is not a date (e.g. '2022-01-01').") from exc
    if pd.isna(ts):
        raise DataError(f"observed_from: {value!r} is not a date (e.g. '2022-01-01').")
    ts = ts.tz_localize(None).normalize() if ts.tzinfo is not None else ts.normalize()
    if ts > as_of:
        raise DataError(f"observed_from: {ts.date()} is after as_of={as_of.date()}: "
                        "observation must begin before it ends.")
    return ts


def _check_month(month: str) -> str:
    if month not in MONTH_DEFINITIONS:
        raise DataError(f"month: must be one of {MONTH_DEFINITIONS} (calendar months between "
                        f"anniversaries, or blocks of {DAYS_PER_MONTH} days); got {month!r}.")
    return month


def durations(start: pd.Series, stop: pd.Series, month: str = "calendar") -> np.ndarray:
    """Months from ``start`` to ``stop`` (datetime Series without missing values).

    ``month="calendar"``: :func:`calendar_months`; ``"average"``: days / 30.4375.

    Examples
    --------
    >>> start = pd.Series(pd.to_datetime(["2023-01-31"]))
    >>> stop = pd.Series(pd.to_datetime(["2023-02-28"]))
    >>> durations(start, stop).tolist(), durations(start, stop, "average").round(3).tolist()
    ([1.0], [0.92])
    """
    month = _check_month(month)
    s = start.to_numpy(dtype="datetime64[D]")
    e = stop.to_numpy(dtype="datetime64[D]")
    if month == "average":
        return (e - s).astype(np.int64) / DAYS_PER_MONTH
    return calendar_months(s, e)


def lifetimes_from_tenure(df: pd.DataFrame, *, tenure_col: str, churned_col: str,
                          churned_values: Sequence = (True, 1, "Yes", "yes"),
                          active_values: Sequence = (False, 0, "No", "no"),
                          id_col: str | None = None) -> pd.DataFrame:
    """Lifetimes from a snapshot table: a tenure in months and a churned flag.

    Flags are compared case-insensitively with surrounding spaces removed, so ``"Yes"``,
    ``"yes "`` and ``"YES"`` are the same; any value in neither ``churned_values`` nor
    ``active_values`` is an error (never guessed).

    Parameters
    ----------
    df : DataFrame
        One row per customer.
    tenure_col : str
        Tenure in months (whole or fractional, not negative, not missing).
    churned_col : str
        The churn flag.
    churned_values, active_values : sequence
        Values meaning "churned" and "still active".
    id_col : str, optional
        Customer id column, used in error messages and checked for duplicates.

    Returns
    -------
    DataFrame
        The input's columns plus ``duration`` (float months) and ``churned`` (bool).

    Examples
    --------
    >>> telco = pd.DataFrame({"tenure": [1, 34, 2], "Churn": ["No", "No", "Yes"]})
    >>> lifetimes_from_tenure(telco, tenure_col="tenure", churned_col="Churn")
       tenure Churn  duration  churned
    0       1    No       1.0    False
    1      34    No      34.0    False
    2       2   Yes       2.0     True
    """
    errors.check_columns(df, [tenure_col, churned_col, id_col], "tenure")
    errors.check_not_empty(df, "tenure")
    if id_col is not None:
        errors.check_unique(df, id_col)
    tenure = errors.check_non_negative(df, tenure_col, id_col)
    flags = errors.parse_flags(df, churned_col, true_values=churned_values,
                               false_values=active_values, id_col=id_col)
    out = df.copy()
    out["duration"] = tenure.to_numpy(dtype=float)
    out["churned"] = flags.to_numpy(dtype=bool)
    return out
