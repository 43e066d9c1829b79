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

from . import dates, engines, errors
from .dates import DAYS_PER_MONTH
from .engines.aggregations import ENDED_BEFORE as _ENDED_BEFORE
from .engines.aggregations import observed_from_date as _observed_from
from .errors import DataError

__all__ = ["DAYS_PER_MONTH", "MONTH_DEFINITIONS", "TENURE_UNITS", "calendar_months", "durations",
           "to_lifetimes", "lifetimes_from_tenure", "snapshot_entry", "clean_subscriptions"]


#: The two definitions of a month :func:`to_lifetimes` knows (the first is the default).
MONTH_DEFINITIONS: tuple[str, str] = ("calendar", "average")


def _month_firsts(*dates: np.ndarray) -> np.ndarray:
    """The first day (as days since 1970-01-01) of every month from the earliest of ``dates``
    to two months after the latest: a small table that replaces numpy's slow per-element
    calendar conversions (datetime64[D] to [M] and back) in :func:`calendar_months`."""
    lo = min(d.min() for d in dates).astype("datetime64[M]")
    hi = max(d.max() for d in dates).astype("datetime64[M]") + 2
    return np.arange(lo, hi + 1).astype("datetime64[D]").astype(np.int64)


def _month_anniversary(month: np.ndarray, day: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """The date (days since 1970-01-01) with day ``day`` in the month at index ``month`` of the
    table ``firsts`` (see :func:`_month_firsts`), the day clipped to the month's length, as a
    billing date is."""
    first = firsts[month]
    length = firsts[month + 1] - first
    return first + np.minimum(day, length) - 1


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
    if s.size == 0:
        return np.zeros(0)
    firsts = _month_firsts(s, e)
    s_days = s.astype(np.int64)
    e_days = e.astype(np.int64)
    # each date's month as an index into the table, looked up by day (one entry per day of the
    # table's span: a few thousand, cheap to index, unlike a search or a calendar conversion)
    month_of_day = np.repeat(np.arange(firsts.size - 1), np.diff(firsts))
    s_month = month_of_day[s_days - firsts[0]]
    e_month = month_of_day[e_days - firsts[0]]
    day = s_days - firsts[s_month] + 1
    k = e_month - s_month
    passed = _month_anniversary(s_month + k, day, firsts)
    k = np.where(passed > e_days, k - 1, k)
    last = _month_anniversary(s_month + k, day, firsts)
    following = _month_anniversary(s_month + k + 1, day, firsts)
    frac = (e_days - last) / (following - last)
    return k + frac


def _resolve_as_of(subs: pd.DataFrame, as_of: Any, start: pd.Series, end: pd.Series,
                   date_format: str | None = None, dayfirst: bool | None = None
                   ) -> tuple[pd.Timestamp, str]:
    if as_of is not None:
        return dates.parse_date(as_of, "as_of", date_format=date_format,
                                 dayfirst=dayfirst), "given"
    if "as_of" in subs.attrs:
        return pd.Timestamp(subs.attrs["as_of"]), "the table's attrs['as_of']"
    latest = max(start.max(), end.max() if end.notna().any() else start.max())
    return pd.Timestamp(latest), "the latest date in the table (pass as_of= to choose)"


def clean_subscriptions(subs: pd.DataFrame, *, id_col: str | None = "customer_id",
                        start_col: str = "start_date", end_col: str = "end_date",
                        as_of: Any = None, what: str = "subscriptions",
                        date_format: str | None = None,
                        dayfirst: bool | None = None) -> pd.DataFrame:
    """Validate a subscriptions table and return it with parsed dates, censored at ``as_of``.

    The result has the original columns, ``start_col`` and ``end_col`` as ``datetime64``, and
    ``end_col`` set to NaT where the end falls after ``as_of`` (the customer was still active
    then). Customers starting after ``as_of`` are left out with a :class:`DataWarning`.
    ``result.attrs["as_of"]`` holds the observation date used and
    ``result.attrs["date_formats"]`` the format read in each date column. Dates follow the
    rules of :func:`cs_helpers.dates.parse_dates` (``date_format``, ``dayfirst``); so does
    ``as_of``. Without an id column, rows that repeat another row exactly are counted and
    reported with a :class:`DataWarning` (``attrs["duplicate_rows"]``).
    """
    errors.check_columns(subs, [id_col, start_col, end_col], what)
    errors.check_not_empty(subs, what)
    if as_of is not None:     # a bad as_of fails before the table is read
        dates.parse_date(as_of, "as_of", date_format=date_format, dayfirst=dayfirst)
    start = dates.parse_dates(subs, start_col, id_col, date_format=date_format,
                               dayfirst=dayfirst)
    end = dates.parse_dates(subs, end_col, id_col, allow_missing=True,
                             date_format=date_format, dayfirst=dayfirst)
    if id_col is not None:
        errors.check_unique(subs, id_col)
    errors.fail_where(subs, end_col, "an end date must not be before its start date",
                      (end < start).to_numpy(), id_col)
    as_of_ts, source = _resolve_as_of(subs, as_of, start, end, date_format, dayfirst)
    out = subs.copy()
    out[start_col] = start
    out[end_col] = end.where(end <= as_of_ts)
    formats = {start_col: start.attrs.get("date_format", ""),
               end_col: end.attrs.get("date_format", "")}
    out.attrs = {**subs.attrs, "as_of": as_of_ts, "as_of_source": source,
                 "date_formats": formats}
    if id_col is None:
        errors.warn_duplicate_rows(subs, out, f"{what} table", stacklevel=4)
    late = (start > as_of_ts).to_numpy()
    if late.all():
        raise DataError(
            f"Column '{start_col}': every customer starts after as_of={as_of_ts.date()} "
            f"(earliest start {start.min().date()}), so nobody was a customer then. "
            "Choose a later as_of.")
    if late.any():
        ids = errors.offending_ids(subs, late, id_col)
        kept = dict(out.attrs)
        out = out.loc[~late]
        out.attrs = kept
        errors.record_filtered(
            out, f"customers who start after as_of={as_of_ts.date()} (not yet customers then)",
            int(late.sum()), ids, stacklevel=4)
    return out


def to_lifetimes(subs: Any, *, id_col: str | None = "customer_id",
                 start_col: str = "start_date", end_col: str = "end_date",
                 as_of: Any = None, month: str = "calendar", observed_from: Any = None,
                 date_format: str | None = None, dayfirst: bool | None = None) -> pd.DataFrame:
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
    date_format : str, optional
        How the dates are written when that cannot be read from the values themselves: a
        ``strptime`` format (``"%d/%m/%Y"``), ``"mixed"`` (several unambiguous formats in one
        column) or ``"excel"`` (serial day numbers). See :func:`cs_helpers.dates.parse_dates`.
    dayfirst : bool, optional
        Slashed dates such as ``02/03/2024``: ``True`` day/month/year, ``False``
        month/day/year. Without it an ambiguous date is an error, never a guess. Applies to
        ``as_of`` too.

    Returns
    -------
    DataFrame
        The input's columns plus ``duration`` (float, months) and ``churned`` (bool);
        ``attrs["month"]`` says which month definition was used, ``attrs["date_formats"]``
        the format read in each date column. Rows of customers who start after ``as_of`` are
        left out with a warning and a note in ``attrs["cs_helpers_filtered"]``.

    Raises
    ------
    DataError
        A missing column, dates that are not dates, ambiguous or mixed date formats (unless
        stated), an end before its start, duplicate ids, an empty table, or an ``as_of``
        before every start.

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
    month = _check_month(month)
    if engines.is_sql_table(subs):
        return engines.to_lifetimes(subs, id_col=id_col, start_col=start_col,
                                    end_col=end_col, as_of=as_of, month=month,
                                    observed_from=observed_from, date_format=date_format,
                                    dayfirst=dayfirst)
    clean = clean_subscriptions(subs, id_col=id_col, start_col=start_col, end_col=end_col,
                                as_of=as_of, date_format=date_format, dayfirst=dayfirst)
    as_of_ts = clean.attrs["as_of"]
    attrs = {**clean.attrs, "month": month, "id_col": id_col}
    if observed_from is not None:
        window = _observed_from(observed_from, as_of_ts, date_format, dayfirst)
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


#: Months per unit of tenure: durations are always returned in months.
TENURE_UNITS: dict[str, float] = {"months": 1.0, "years": 12.0, "weeks": 7 / DAYS_PER_MONTH,
                                  "days": 1 / DAYS_PER_MONTH}

#: What S(24) came out as on a simulated snapshot read as a full history, against the truth
#: (issue 11, item 2; tests/truth/test_snapshot_truth.py measures it again).
SNAPSHOT_BIAS = "S(24) = 0.987 against a true 0.616"


def _check_unit(tenure_unit: str) -> float:
    if tenure_unit not in TENURE_UNITS:
        raise DataError(f"tenure_unit: must be one of {', '.join(map(repr, TENURE_UNITS))}; "
                        f"got {tenure_unit!r}.")
    return TENURE_UNITS[tenure_unit]


def _check_window(window: Any, tenure_unit: str) -> float | str | None:
    if window is None or (isinstance(window, str) and window == "all"):
        return window
    try:
        w = float(window)
    except (TypeError, ValueError) as exc:
        raise DataError(f"window: pass the length of the observation window in {tenure_unit} "
                        f"(a number > 0) or 'all'; got {window!r}.") from exc
    if not np.isfinite(w) or w <= 0:
        raise DataError(f"window: the observation window must be a number of {tenure_unit} "
                        f"above 0 (or 'all'); got {window!r}.")
    return w


def snapshot_entry(tenure: Any, window: float, tenure_unit: str = "months") -> np.ndarray:
    """Months since start at which each customer of a snapshot came under observation.

    A snapshot table lists the customers active at the start of an observation window of
    ``window`` (in ``tenure_unit``) and those who joined during it, with their tenure at the
    end of the window (or when they left). A customer with tenure ``T`` was first seen at
    ``max(0, T - window)``: one who joined before the window had survived that long already
    (*late entry*, or left truncation); one who joined during it was seen from its start.

    Parameters
    ----------
    tenure : array-like
        Tenures in ``tenure_unit``.
    window : float
        Length of the observation window, in ``tenure_unit``.
    tenure_unit : {"months", "years", "weeks", "days"}

    Returns
    -------
    numpy.ndarray
        Entry times in months (for ``cs.survival_curves(..., entry_col="entry")``).

    Examples
    --------
    >>> snapshot_entry([3, 30, 40], window=12)
    array([ 0., 18., 28.])
    >>> snapshot_entry([1, 5], window=2, tenure_unit="years")
    array([ 0., 36.])
    """
    factor = _check_unit(tenure_unit)
    w = _check_window(window, tenure_unit)
    if not isinstance(w, float):
        raise DataError("window: snapshot_entry needs the window's length (a number).")
    t = np.asarray(tenure, dtype=float)
    return np.maximum(0.0, t - w) * factor


def unit_warning(column: str, tenure_unit: str, n: int, all_whole: bool, low: float,
                 high: float, median: float) -> str | None:
    """The warning when tenures given in ``tenure_unit`` look like another unit, else None.

    Examples
    --------
    >>> print(unit_warning("Tenure", "months", 10_000, True, 0, 10, 5))
    Column 'Tenure': tenure_unit='months', but every one of the 10,000 values is a whole number from 0 to 10, which looks like years. If they are years, pass tenure_unit='years' (durations become years x 12 months); if they really are months, ignore this warning.
    """
    def says(looks: str, suggestion: str) -> str:
        return (f"Column '{column}': tenure_unit={tenure_unit!r}, but {looks}. If they are "
                f"{suggestion}, pass tenure_unit={suggestion!r} (durations become "
                f"{_HOW[suggestion]}); if they really are {tenure_unit}, ignore this warning.")
    span = f"from {low:g} to {high:g}"
    if n < 20:
        return None
    if tenure_unit == "months":
        if all_whole and high <= 10:
            return says(f"every one of the {n:,} values is a whole number {span}, which "
                        "looks like years", "years")
        if median > 120:
            return says(f"the median tenure is {median:g} months ({median / 12:.0f} years), "
                        "which looks like days or weeks", "days")
    if tenure_unit == "years" and median > 30:
        return says(f"the median tenure is {median:g} years, which looks like months",
                    "months")
    if tenure_unit == "days" and all_whole and high <= 120 and median <= 72:
        return says(f"every value is a whole number {span}: a longest tenure of "
                    f"{high:g} days ({high / DAYS_PER_MONTH:.1f} months) is short, and "
                    "looks like months", "months")
    if tenure_unit == "weeks" and median > 520:
        return says(f"the median tenure is {median:g} weeks ({median / 52:.0f} years), "
                    "which looks like days", "days")
    return None


_HOW = {"months": "the values as they are", "years": "years x 12 months",
        "weeks": "weeks x 7 / 30.4375 months", "days": "days / 30.4375 months"}


def snapshot_warning(window: Any) -> str:
    """The warning when a tenure table is read without ``window=``."""
    return ("A tenure table cannot say when each customer came under observation. Read as a "
            "full history (everyone followed from their first month), which overstates "
            "survival if the table is a snapshot of the customers active on some date: on a "
            f"simulated snapshot, {SNAPSHOT_BIAS}. Pass window=W (the length of the "
            "observation window, in tenure_unit) if the churn flag means 'left during the "
            "last W', to get an entry column for cs.survival_curves(..., entry_col='entry'); "
            "or window='all' if every customer who ever joined is in the table.")


def lifetimes_from_tenure(df: Any, *, tenure_col: str, churned_col: str,
                          churned_values: Sequence = errors.TRUE_VALUES,
                          active_values: Sequence = errors.FALSE_VALUES,
                          id_col: str | None = None, tenure_unit: str = "months",
                          window: float | str | None = None) -> Any:
    """Lifetimes from a snapshot table: a tenure and a churned flag.

    Flags are compared case-insensitively with surrounding spaces removed, so ``"Yes"``,
    ``"yes "`` and ``"YES"`` are the same; any value in neither ``churned_values`` nor
    ``active_values`` is an error (never guessed). The default vocabulary is the package's
    one (:data:`cs_helpers.errors.TRUE_VALUES` / ``FALSE_VALUES``: True/1/Yes/Y/churned and
    False/0/No/N/active), the same as :func:`cs_helpers.survival_curves` and the DuckDB and
    Spark paths.

    Parameters
    ----------
    df : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer. An engine table is checked in its engine and the result is a
        lazy table of the same engine.
    tenure_col : str
        Tenure in ``tenure_unit`` (whole or fractional, not negative, not missing, finite).
    churned_col : str
        The churn flag.
    churned_values, active_values : sequence
        Values meaning "churned" and "still active".
    id_col : str, optional
        Customer id column, used in error messages and checked for duplicates.
    tenure_unit : {"months", "years", "weeks", "days"}, default "months"
        The unit of ``tenure_col``. Durations are always returned in months: years x 12,
        weeks x 7 / 30.4375, days / 30.4375. A :class:`cs_helpers.DataWarning` says when the
        values look like another unit (every tenure a whole number up to 10 "months" looks
        like years; hundreds of "months" look like days).
    window : float, "all" or None
        What the table covers. A number ``W`` (in ``tenure_unit``): the table is a snapshot of
        the customers present at the start of an observation window of length ``W`` (plus
        those who joined during it), each with the tenure at the end of the window or at
        churn, and the flag means "left during the window"; the result gets an ``entry``
        column, ``max(0, tenure - W)`` in months, for
        ``cs.survival_curves(life, entry_col="entry")`` (late entry). ``"all"``: every
        customer who ever joined is in the table, followed from the first month (no entry).
        ``None`` (default): read as ``"all"``, with a :class:`cs_helpers.DataWarning` that a
        snapshot read so overstates survival.

    Returns
    -------
    DataFrame (or a lazy engine table)
        The input's columns plus ``duration`` (float months), ``churned`` (bool) and, with a
        numeric ``window``, ``entry`` (float months). ``attrs`` (pandas): ``tenure_unit``,
        ``months_per_unit``, ``window`` (as given, ``None`` when not), ``duration_unit``
        (``"months"``) and ``id_col`` (so that later messages name customers).

    Raises
    ------
    DataError
        A missing column, an empty table, duplicate ids, a tenure that is missing, not a
        number, infinite or negative, an unknown flag, an unknown unit or a bad window.

    Examples
    --------
    >>> telco = pd.DataFrame({"tenure": [1, 34, 2], "Churn": ["No", "No", "Yes"]})
    >>> lifetimes_from_tenure(telco, tenure_col="tenure", churned_col="Churn", window=12)
       tenure Churn  duration  churned  entry
    0       1    No       1.0    False    0.0
    1      34    No      34.0    False   22.0
    2       2   Yes       2.0     True    0.0
    >>> bank = pd.DataFrame({"Tenure": [2, 7], "Exited": [1, 0]})
    >>> life = lifetimes_from_tenure(bank, tenure_col="Tenure", churned_col="Exited",
    ...                              tenure_unit="years", window="all")
    >>> life["duration"].tolist(), life.attrs["tenure_unit"]
    ([24.0, 84.0], 'years')
    """
    import warnings

    factor = _check_unit(tenure_unit)
    w = _check_window(window, tenure_unit)
    if engines.is_sql_table(df):
        out, stats = engines.lifetimes_from_tenure(
            df, tenure_col=tenure_col, churned_col=churned_col, churned_values=churned_values,
            active_values=active_values, id_col=id_col, factor=factor, window=w)
        text = unit_warning(tenure_col, tenure_unit, stats["n"], stats["all_whole"],
                            stats["lo"], stats["hi"], stats["mid"])
        if text is not None:
            warnings.warn(text, errors.DataWarning, stacklevel=2)
        if w is None:
            warnings.warn(snapshot_warning(window), errors.DataWarning, stacklevel=2)
        return out
    errors.check_columns(df, [tenure_col, churned_col, id_col], "tenure")
    errors.check_not_empty(df, "tenure")
    if id_col is not None:
        errors.check_unique(df, id_col)
    tenure = errors.check_non_negative(df, tenure_col, id_col)
    flags = errors.parse_flags(df, churned_col, true_values=churned_values,
                               false_values=active_values, id_col=id_col)
    values = tenure.to_numpy(dtype=float)
    out = df.copy()
    out["duration"] = values * factor
    out["churned"] = flags.to_numpy(dtype=bool)
    if isinstance(w, float):
        out["entry"] = np.maximum(0.0, values - w) * factor
    out.attrs = {**df.attrs, "tenure_unit": tenure_unit, "months_per_unit": factor,
                 "window": window, "duration_unit": "months", "id_col": id_col}
    if id_col is None:
        errors.warn_duplicate_rows(df, out, "tenure table", stacklevel=3)
    text = unit_warning(tenure_col, tenure_unit, len(values),
                        bool(np.all(values == np.round(values))), float(values.min()),
                        float(values.max()), float(np.median(values)))
    if text is not None:
        warnings.warn(text, errors.DataWarning, stacklevel=2)
    if w is None:
        warnings.warn(snapshot_warning(window), errors.DataWarning, stacklevel=2)
    return out
