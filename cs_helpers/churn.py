"""KPI 1, churn: period churn rates, monthly <-> annual, cohort retention, revenue retention and
repeat purchase.

Boundary convention (used everywhere here): a customer belongs to the period that contains its
start date and churns in the period that contains its end date. For a period ``p``:

- ``active_start``: started in an earlier period and had not ended before ``p`` began;
- ``new``: started in ``p``;
- ``churned``: among ``active_start``, those whose end falls in ``p``;
- ``new_and_churned``: started and ended inside ``p`` (reported, never hidden; not in the
  churn rate, whose denominator is the customers active at the start);
- ``active_end = active_start + new - churned - new_and_churned``;
- ``churn_rate = churned / active_start`` (the article's definition), ``retention_rate = 1 - churn_rate``.

Everything is computed from period numbers bucketed once (``np.bincount``), so the cost is one
pass over the customers whatever the number of periods.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import dates, engines, errors
from .errors import DataError
from .lifetimes import clean_subscriptions

__all__ = ["churn_rate", "annualize", "monthly_from_annual", "cohort_retention",
           "revenue_retention", "repeat_purchase_rate", "pooled_churn", "churn_per_exposure"]

_FREQS = {"M": "M", "MS": "M", "ME": "M", "Q": "Q", "QS": "Q", "QE": "Q", "Y": "Y", "A": "Y",
          "YS": "Y", "YE": "Y"}


def _freq(freq: str) -> str:
    key = str(freq).upper()
    if key not in _FREQS:
        raise ValueError(f"freq must be 'M' (month), 'Q' (quarter) or 'Y' (year), got {freq!r}.")
    return _FREQS[key]


def _ordinals(dates: pd.Series, freq: str) -> np.ndarray:
    """Period ordinals of ``dates`` (NaT -> a very large number).

    Months since 1970-01 (pandas' ordinal of a monthly period), floor-divided by 3 for quarters
    and by 12 for years: the same numbers as ``dates.dt.to_period(freq)``, computed by a numpy
    cast (several times faster on millions of rows).
    """
    values = dates.to_numpy()
    missing = np.isnat(values)
    months = values.astype("datetime64[M]").astype(np.int64)
    out = months if freq == "M" else months // (3 if freq == "Q" else 12)
    out[missing] = _NEVER
    return out


_NEVER = np.iinfo(np.int64).max


def _bucketed(subs: Any, freq: str, as_of: Any, id_col: str | None, start_col: str,
              end_col: str, date_format: str | None = None, dayfirst: bool | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, int, pd.Timestamp]:
    """Start and end period of every customer (or of every group of customers).

    Returns ``(s, e, w, first, last, as_of)``: period numbers counted from the first start
    period ``first`` (``e`` is -1 while active at ``as_of``), the weight of each row (None: one
    customer per row) and the number of the period that contains ``as_of``. A DuckDB relation
    or a Spark DataFrame is bucketed in its engine and comes back as counts per (start, end).
    """
    f = _freq(freq)
    if engines.is_sql_table(subs):
        counts, as_of_ts = engines.subscription_periods(subs, f, as_of, id_col, start_col,
                                                        end_col, date_format, dayfirst)
        s_abs = counts["start"].to_numpy()
        e_abs = np.where(counts["ended"].to_numpy(), counts["end"].to_numpy(), _NEVER)
        w = counts["customers"].to_numpy()
    else:
        clean = clean_subscriptions(subs, id_col=id_col, start_col=start_col, end_col=end_col,
                                    as_of=as_of, date_format=date_format, dayfirst=dayfirst)
        as_of_ts = clean.attrs["as_of"]
        s_abs = _ordinals(clean[start_col], f)
        e_abs = _ordinals(clean[end_col], f)
        w = None
    first = int(s_abs.min())
    last = int(pd.Period(as_of_ts, f).ordinal)
    return (s_abs - first, np.where(e_abs == _NEVER, -1, e_abs - first), w, first,
            last - first, as_of_ts)


def _count(x: np.ndarray, w: np.ndarray | None, n: int) -> np.ndarray:
    """``np.bincount`` of ``x`` (weighted by ``w`` when given) as integers, length ``n``."""
    if w is None:
        return np.bincount(x, minlength=n)[:n]
    return np.rint(np.bincount(x, weights=w, minlength=n)[:n]).astype(np.int64)


def churn_rate(subs: Any, *, freq: str = "M", as_of: Any = None,
               id_col: str | None = "customer_id", start_col: str = "start_date",
               end_col: str = "end_date", date_format: str | None = None,
               dayfirst: bool | None = None) -> pd.DataFrame:
    """Churn rate per period: churned during the period / customers active at its start.

    Parameters
    ----------
    subs : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer: id, start date, end date (empty while active). A DuckDB
        relation (e.g. ``duckdb.read_parquet(...)``) or a Spark DataFrame is aggregated in its
        own engine (see :mod:`cs_helpers.engines`); the result is the same table.
    freq : {"M", "Q", "Y"}
        Period length.
    as_of : date-like, optional
        Observation date (see :func:`cs_helpers.to_lifetimes`); periods run up to the one that
        contains it, and ends after it count as still active.
    id_col, start_col, end_col : str
        Column names.
    date_format, dayfirst : optional
        How the dates are written when the values cannot say (ambiguous ``02/03/2024``, mixed
        formats, Excel serial numbers): see :func:`cs_helpers.dates.parse_dates`.

    Returns
    -------
    DataFrame
        One row per period (a ``PeriodIndex`` named ``period``): ``active_start``, ``new``,
        ``churned``, ``new_and_churned``, ``active_end``, ``churn_rate``, ``retention_rate`` and
        ``complete`` (False for the period still running at ``as_of``: its churn is not final).
        ``churn_rate`` is NaN where nobody was active at the start (undefined, not 0); use
        :func:`pooled_churn` for a rate over several periods.

    Examples
    --------
    >>> subs = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d", "e"],
    ...     "start_date": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10", "2024-03-02"],
    ...     "end_date":   ["2024-02-15", None,         "2024-02-25", "2024-03-20", None]})
    >>> table = churn_rate(subs, as_of="2024-03-31")
    >>> print(table[["active_start", "new", "churned", "new_and_churned", "active_end",
    ...              "churn_rate"]].to_string())
             active_start  new  churned  new_and_churned  active_end  churn_rate
    period
    2024-01             0    2        0                0           2         NaN
    2024-02             2    2        1                1           2         0.5
    2024-03             2    1        1                0           2         0.5
    """
    s, e, w, first, last, as_of_ts = _bucketed(subs, freq, as_of, id_col, start_col, end_col,
                                               date_format, dayfirst)
    n = last + 1
    starts = _count(s, w, n)
    ended = e >= 0
    ends = _count(e[ended], None if w is None else w[ended], n)
    same = ended & (e == s)
    new_and_churned = _count(s[same], None if w is None else w[same], n)
    cum_starts, cum_ends = np.cumsum(starts), np.cumsum(ends)
    active_start = np.concatenate([[0], (cum_starts - cum_ends)[:-1]])
    churned = ends - new_and_churned
    active_end = cum_starts - cum_ends
    f = _freq(freq)
    index = pd.period_range(pd.Period(ordinal=first, freq=f), periods=n, freq=f, name="period")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(active_start > 0, churned / np.maximum(active_start, 1), np.nan)
    out = pd.DataFrame({"active_start": active_start, "new": starts, "churned": churned,
                        "new_and_churned": new_and_churned, "active_end": active_end,
                        "churn_rate": rate, "retention_rate": 1 - rate}, index=index)
    out["complete"] = index.end_time.normalize() <= as_of_ts
    out.attrs["as_of"] = as_of_ts
    return out


def _check_rate(x: Any, name: str) -> np.ndarray:
    """``x`` as floats; each must be a fraction in [0, 1] (a percent gets a hint). NaN (an
    undefined rate, nobody at risk) passes through as NaN."""
    arr = np.asarray(x, dtype=float)
    defined = arr[~np.isnan(arr)] if arr.ndim else (arr if not np.isnan(arr) else None)
    if defined is not None and np.size(defined):
        errors.check_fraction(defined, name)
    return arr


def _like(x: Any, values: np.ndarray) -> Any:
    if isinstance(x, pd.Series):
        return pd.Series(values, index=x.index, name=x.name)
    if np.ndim(values) == 0:
        return float(values)
    return values


def annualize(monthly_churn: Any) -> Any:
    """Annual churn from a constant monthly churn: ``1 - (1 - m) ** 12``.

    Multiplying by 12 overstates it, because a customer can only leave once. An undefined
    rate (NaN: nobody was at risk) stays NaN; a rate outside [0, 1] is a DataError.

    Examples
    --------
    >>> round(annualize(0.02), 4)
    0.2153
    >>> round(annualize(0.006), 4)
    0.0697
    >>> annualize(2)
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: monthly churn: must be a fraction from 0 to 1 (0.08 means 8%); got 2, which looks like a percent: pass 0.02.
    """
    m = _check_rate(monthly_churn, "monthly churn")
    return _like(monthly_churn, 1 - (1 - m) ** 12)


def monthly_from_annual(annual_churn: Any) -> Any:
    """Monthly churn equivalent to an annual churn: ``1 - (1 - a) ** (1 / 12)``.

    Examples
    --------
    >>> round(monthly_from_annual(0.2153), 4)
    0.02
    """
    a = _check_rate(annual_churn, "annual churn")
    return _like(annual_churn, 1 - (1 - a) ** (1 / 12))


def cohort_retention(subs: Any, *, freq: str = "M", as_of: Any = None,
                     values: str = "share", id_col: str | None = "customer_id",
                     start_col: str = "start_date", end_col: str = "end_date",
                     date_format: str | None = None,
                     dayfirst: bool | None = None) -> pd.DataFrame:
    """Cohort retention table: cohorts (start period) x periods since start.

    Cell ``(c, k)`` is the share of cohort ``c`` still active at the *start* of its ``k``-th
    period after the start period (so column 0 is 100%: everyone who joined). A customer who
    ends in period ``c + j`` is counted up to column ``j``. Cells whose period starts after
    ``as_of`` are NaN: not yet observable, not zero.

    Parameters
    ----------
    subs : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer: id, start date, end date (empty while active); see
        :func:`churn_rate` (same columns, same engines).
    values : {"share", "count"}
        Shares of the cohort (default) or customer counts.
    date_format, dayfirst : optional
        See :func:`churn_rate`.

    Returns
    -------
    DataFrame
        Index: cohort (``PeriodIndex``); columns ``0, 1, ..., K`` (periods since start).
        ``attrs["cohort_size"]`` holds the number of customers per cohort.

    Examples
    --------
    >>> subs = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "start_date": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10"],
    ...     "end_date":   ["2024-02-15", None, "2024-03-25", None]})
    >>> cohort_retention(subs, as_of="2024-03-31")
    periods_since_start    0    1    2
    cohort
    2024-01              1.0  1.0  0.5
    2024-02              1.0  1.0  NaN
    """
    if values not in ("share", "count"):
        raise ValueError("values must be 'share' or 'count'.")
    s, e, w, first, last, _ = _bucketed(subs, freq, as_of, id_col, start_col, end_col,
                                        date_format, dayfirst)
    n_c = last + 1
    width = n_c                      # periods since start: 0 .. last
    size = _count(s, w, n_c)
    ended = e >= 0
    life = e[ended] - s[ended]       # periods from the start period to the end period
    # A customer ending in period c + j is active at the start of columns 0..j.
    ends_at = _count(s[ended] * (width + 1) + life, None if w is None else w[ended],
                     n_c * (width + 1)).reshape(n_c, width + 1)
    gone_before = np.concatenate([np.zeros((n_c, 1), dtype=np.int64),
                                  np.cumsum(ends_at, axis=1)[:, :-1]], axis=1)[:, :width]
    counts = size[:, None] - gone_before
    observable = (np.arange(n_c)[:, None] + np.arange(width)[None, :]) <= last
    table = np.where(observable, counts, np.nan).astype(float)
    if values == "share":
        with np.errstate(divide="ignore", invalid="ignore"):
            table = table / np.where(size > 0, size, np.nan)[:, None]
    f = _freq(freq)
    index = pd.period_range(pd.Period(ordinal=first, freq=f), periods=n_c, freq=f,
                            name="cohort")
    out = pd.DataFrame(table, index=index,
                       columns=pd.RangeIndex(width, name="periods_since_start"))
    keep = size > 0
    out = out.loc[keep]
    out.attrs["cohort_size"] = pd.Series(size[keep], index=index[keep], name="customers")
    return out


def revenue_retention(usage: Any, *, id_col: str = "account_id",
                      month_col: str = "month", mrr_col: str = "mrr",
                      window: int = 12, date_format: str | None = None,
                      dayfirst: bool | None = None) -> pd.DataFrame:
    """Gross and net revenue retention and logo retention over ``window`` months.

    For each base month ``m``: the base is the customers with MRR > 0 in ``m``. Then

    - ``nrr`` (net revenue retention) = their total MRR in ``m + window`` / their MRR in ``m``
      (expansion counts, churned customers count as 0);
    - ``grr`` (gross revenue retention) = the same with each customer's later MRR capped at its
      base MRR (expansion does not count; contraction and churn do);
    - ``logo_retention`` = share of the base customers still paying in ``m + window``.

    Only base months whose ``m + window`` lies within the data are returned.

    Parameters
    ----------
    usage : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer per month with the MRR billed that month. A DuckDB relation or
        a Spark DataFrame is joined and summed in its own engine (see
        :mod:`cs_helpers.engines`).
    window : int
        Months between the base month and the comparison month.
    date_format, dayfirst : optional
        How ``month_col`` is written when the values cannot say (see :func:`churn_rate`).

    Returns
    -------
    DataFrame
        Indexed by base month (``PeriodIndex``): ``customers``, ``base_mrr``, ``mrr_after``,
        ``nrr``, ``grr``, ``logo_retention``, ``expansion_mrr``, ``contraction_mrr``,
        ``churned_mrr``.

    Examples
    --------
    >>> usage = pd.DataFrame({
    ...     "account_id": ["a", "b", "c", "a", "b"],
    ...     "month": ["2024-01-01"] * 3 + ["2024-02-01"] * 2,
    ...     "mrr": [100.0, 100.0, 100.0, 150.0, 80.0]})
    >>> revenue_retention(usage, window=1)[["nrr", "grr", "logo_retention"]]
                  nrr       grr  logo_retention
    month
    2024-01  0.766667  0.600000        0.666667
    """
    if window < 1:
        raise ValueError("window must be at least 1 month.")
    if engines.is_sql_table(usage):
        sums = engines.revenue_sums(usage, id_col, month_col, mrr_col, window, date_format,
                                    dayfirst)
        if sums.empty:
            raise DataError(f"Column '{month_col}': the data span less than window={window} "
                            "months, so no base month can be followed to its end.")
        return _revenue_table(sums.set_index("m"), month_col, window)
    errors.check_columns(usage, [id_col, month_col, mrr_col], "usage")
    errors.check_not_empty(usage, "usage")
    month = dates.parse_dates(usage, month_col, id_col, date_format=date_format,
                               dayfirst=dayfirst).dt.to_period("M").array.asi8
    mrr = errors.check_non_negative(usage, mrr_col, id_col).to_numpy()
    ids = usage[id_col].to_numpy()
    frame = pd.DataFrame({"id": ids, "m": month, "mrr": mrr})
    dup = frame.duplicated(["id", "m"], keep=False).to_numpy()
    errors.fail_where(usage, month_col, "one row per customer and month", dup, id_col)
    base = frame[frame["mrr"] > 0]
    later = frame.assign(m=frame["m"] - window).rename(columns={"mrr": "mrr_after"})
    merged = base.merge(later, on=["id", "m"], how="left")
    merged["mrr_after"] = merged["mrr_after"].fillna(0.0)
    merged = merged[merged["m"] + window <= frame["m"].max()]
    if merged.empty:
        raise DataError(f"Column '{month_col}': the data span less than window={window} months, "
                        "so no base month can be followed to its end.")
    after, before = merged["mrr_after"], merged["mrr"]
    merged["capped"] = np.minimum(after, before)
    merged["expansion"] = (after - before).clip(lower=0)
    merged["contraction"] = np.where(after > 0, (before - after).clip(lower=0), 0.0)
    merged["churned_mrr"] = np.where(after > 0, 0.0, before)
    merged["kept"] = after > 0
    g = merged.groupby("m")
    sums = pd.DataFrame({
        "customers": g.size(), "base_mrr": g["mrr"].sum(), "mrr_after": g["mrr_after"].sum(),
        "expansion_mrr": g["expansion"].sum(), "contraction_mrr": g["contraction"].sum(),
        "churned_mrr": g["churned_mrr"].sum(), "kept": g["kept"].sum(),
        "capped": g["capped"].sum()})
    return _revenue_table(sums, month_col, window)


def _revenue_table(sums: pd.DataFrame, month_col: str, window: int) -> pd.DataFrame:
    """Ratios from the per-base-month sums (indexed by month ordinal)."""
    out = sums.copy()
    out["nrr"] = out["mrr_after"] / out["base_mrr"]
    out["grr"] = out["capped"] / out["base_mrr"]
    out["logo_retention"] = out["kept"] / out["customers"]
    out.index = pd.PeriodIndex.from_ordinals(out.index.to_numpy(), freq="M").rename(month_col)
    out = out[["customers", "base_mrr", "mrr_after", "nrr", "grr", "logo_retention",
               "expansion_mrr", "contraction_mrr", "churned_mrr"]]
    out.attrs["window_months"] = window
    return out


def repeat_purchase_rate(orders: pd.DataFrame, *, id_col: str = "customer_id",
                         date_col: str = "order_date", within_days: int = 90,
                         freq: str = "M", as_of: Any = None, date_format: str | None = None,
                         dayfirst: bool | None = None) -> pd.DataFrame:
    """Repeat-purchase rate for non-subscription businesses, by month of first purchase.

    A customer *repeats* when it buys again within ``within_days`` days after its first
    purchase (a later purchase on another day). Cohorts whose window is not fully observed by
    ``as_of`` are left out (with a warning and a note in ``attrs``), because their customers
    have not had the full chance to come back.

    Returns
    -------
    DataFrame
        Per first-purchase period: ``customers``, ``repeaters``, ``repeat_rate``;
        ``attrs["overall"]`` holds the pooled rate.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...     "order_date": ["2024-01-03", "2024-02-01", "2024-01-10", "2024-01-20", "2024-06-01"]})
    >>> repeat_purchase_rate(orders, within_days=60, as_of="2024-12-31")
                 customers  repeaters  repeat_rate
    first_order
    2024-01              3          1     0.333333
    """
    errors.check_columns(orders, [id_col, date_col], "orders")
    errors.check_not_empty(orders, "orders")
    order_dates = dates.parse_dates(orders, date_col, id_col, date_format=date_format,
                               dayfirst=dayfirst)
    frame = pd.DataFrame({"id": orders[id_col].to_numpy(), "d": order_dates.to_numpy()})
    first = frame.groupby("id")["d"].transform("min")
    later = frame[(frame["d"] > first) & (frame["d"] <= first + pd.Timedelta(days=within_days))]
    firsts = frame.groupby("id")["d"].min()
    repeaters = firsts.index.isin(later["id"].unique())
    as_of_ts = (dates.parse_date(as_of, "as_of", date_format=date_format, dayfirst=dayfirst)
                if as_of is not None else order_dates.max())
    observed = (firsts + pd.Timedelta(days=within_days) <= as_of_ts).to_numpy()
    per = firsts.dt.to_period(_freq(freq))
    out = pd.DataFrame({"period": per.to_numpy(), "rep": repeaters})[observed]
    g = out.groupby("period")
    result = pd.DataFrame({"customers": g.size(), "repeaters": g["rep"].sum().astype(int)})
    result["repeat_rate"] = result["repeaters"] / result["customers"]
    result.index.name = "first_order"
    result.attrs["overall"] = float(out["rep"].mean()) if len(out) else float("nan")
    result.attrs["within_days"] = within_days
    if (~observed).any():
        errors.record_filtered(
            result, f"customers whose first purchase is less than {within_days} days before "
            f"as_of={as_of_ts.date()} (their repeat window is not over)",
            int((~observed).sum()), [str(i) for i in firsts.index[~observed][:5]])
    return result


def pooled_churn(table: pd.DataFrame, periods: int | None = 12, *,
                 complete_only: bool = True) -> pd.Series:
    """One churn rate over several periods of a :func:`churn_rate` table: customers lost /
    customers at risk, summed over the last ``periods`` periods.

    When nobody was at risk (no customer active at the start of any of those periods, e.g. a
    table of one active customer), the rate is undefined: NaN with a
    :class:`cs_helpers.DataWarning`, never 0.

    Parameters
    ----------
    table : DataFrame
        The result of :func:`churn_rate`.
    periods : int or None, default 12
        How many of the last periods to pool (None: all).
    complete_only : bool, default True
        Leave out the period still running at ``as_of`` (its churn is not final).

    Returns
    -------
    pandas.Series
        ``churn_rate`` (float or NaN), ``churned``, ``active_start`` (the customers at risk,
        summed over the periods), ``periods`` (how many were pooled), ``first`` and ``last``
        (the periods, as text).

    Examples
    --------
    >>> subs = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                      "start_date": ["2024-01-05", "2024-01-20", "2024-02-03"],
    ...                      "end_date": ["2024-02-15", None, None]})
    >>> r = pooled_churn(churn_rate(subs, as_of="2024-04-30"))
    >>> round(r["churn_rate"], 4), r["churned"], r["active_start"], r["periods"]
    (0.1667, 1, 6, 4)

    One customer who joined in the month of the observation date: nobody was ever at risk at
    the start of a complete month, so the rate is undefined, not 0%.

    >>> import warnings
    >>> one = pd.DataFrame({"customer_id": ["a"], "start_date": ["2024-06-05"],
    ...                     "end_date": [None]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     pooled_churn(churn_rate(one, as_of="2024-06-30"))["churn_rate"]
    nan
    """
    import warnings

    errors.check_columns(table, ["churned", "active_start"], "churn_rate")
    part = table[table["complete"]] if complete_only and "complete" in table.columns else table
    if periods is not None:
        part = part.tail(int(periods))
    churned = int(part["churned"].sum())
    at_risk = int(part["active_start"].sum())
    rate = churned / at_risk if at_risk > 0 else float("nan")
    first = str(part.index[0]) if len(part) else ""
    last = str(part.index[-1]) if len(part) else ""
    if at_risk == 0:
        where = (f"no customer was active at the start of any of the {len(part)} period(s) "
                 f"pooled ({first} to {last})" if len(part) else
                 "there is no complete period yet (the first one is still running at as_of)")
        warnings.warn(f"Pooled churn is undefined (n/a): {where}, so nobody was at risk of "
                      "churning. This is not a churn of 0%.", errors.DataWarning, stacklevel=2)
    return pd.Series({"churn_rate": rate, "churned": churned, "active_start": at_risk,
                      "periods": len(part), "first": first, "last": last},
                     name="pooled churn", dtype=object)


def churn_per_exposure(lifetimes: Any, *, duration_col: str = "duration",
                       event_col: str = "churned") -> pd.Series:
    """Average monthly churn of a lifetimes table: churn events / customer-months observed.

    The rate for tables with no calendar (tenure snapshots). Exposure runs from ``entry``
    when the table has an ``entry`` column (late entry). NaN with a
    :class:`cs_helpers.DataWarning` when there is no exposure at all.

    Examples
    --------
    >>> life = pd.DataFrame({"duration": [2.0, 10.0, 8.0], "churned": [True, False, True]})
    >>> churn_per_exposure(life)[["churn_rate", "churned", "exposure"]].tolist()
    [0.1, 2, 20.0]
    """
    import warnings

    from .survival import aggregate_lifetimes

    entry = 0.0
    if isinstance(lifetimes, pd.DataFrame) and "entry" in lifetimes.columns:
        id_col = lifetimes.attrs.get("id_col")
        entry = float(errors.check_non_negative(
            lifetimes, "entry", id_col if id_col in lifetimes.columns else None).sum())
        counts = aggregate_lifetimes(lifetimes, duration_col=duration_col, event_col=event_col)
    elif engines.is_sql_table(lifetimes) and "entry" in engines.columns_of(lifetimes):
        entry = engines.column_sum(lifetimes, "entry")
        counts = aggregate_lifetimes(lifetimes, duration_col=duration_col, event_col=event_col)
    else:
        counts = aggregate_lifetimes(lifetimes, duration_col=duration_col, event_col=event_col)
    exposure = float((counts["duration"] * counts["customers"]).sum()) - entry
    churned = int(counts.loc[counts["churned"], "customers"].sum())
    rate = churned / exposure if exposure > 0 else float("nan")
    if not exposure > 0:
        warnings.warn("Churn per customer-month is undefined (n/a): the table has no time at "
                      "risk (every duration is 0). This is not a churn of 0%.",
                      errors.DataWarning, stacklevel=2)
    return pd.Series({"churn_rate": rate, "churned": churned, "exposure": exposure,
                      "customers": int(counts["customers"].sum())},
                     name="churn per customer-month", dtype=object)
