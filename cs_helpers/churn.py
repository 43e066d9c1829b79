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

from . import engines, errors
from .errors import DataError
from .lifetimes import clean_subscriptions

__all__ = ["churn_rate", "annualize", "monthly_from_annual", "cohort_retention",
           "revenue_retention", "repeat_purchase_rate"]

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
              end_col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, int,
                                     pd.Timestamp]:
    """Start and end period of every customer (or of every group of customers).

    Returns ``(s, e, w, first, last, as_of)``: period numbers counted from the first start
    period ``first`` (``e`` is -1 while active at ``as_of``), the weight of each row (None: one
    customer per row) and the number of the period that contains ``as_of``. A DuckDB relation
    or a Spark DataFrame is bucketed in its engine and comes back as counts per (start, end).
    """
    f = _freq(freq)
    if engines.is_sql_table(subs):
        counts, as_of_ts = engines.subscription_periods(subs, f, as_of, id_col, start_col,
                                                        end_col)
        s_abs = counts["start"].to_numpy()
        e_abs = np.where(counts["ended"].to_numpy(), counts["end"].to_numpy(), _NEVER)
        w = counts["customers"].to_numpy()
    else:
        clean = clean_subscriptions(subs, id_col=id_col, start_col=start_col, end_col=end_col,
                                    as_of=as_of)
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
               end_col: str = "end_date") -> pd.DataFrame:
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

    Returns
    -------
    DataFrame
        One row per period (a ``PeriodIndex`` named ``period``): ``active_start``, ``new``,
        ``churned``, ``new_and_churned``, ``active_end``, ``churn_rate``, ``retention_rate`` and
        ``complete`` (False for the period still running at ``as_of``: its churn is not final).
        ``churn_rate`` is NaN where nobody was active at the start.

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
    s, e, w, first, last, as_of_ts = _bucketed(subs, freq, as_of, id_col, start_col, end_col)
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
    arr = np.asarray(x, dtype=float)
    if np.any((arr < 0) | (arr > 1)) or np.any(np.isnan(arr)):
        raise ValueError(f"{name} must be a fraction between 0 and 1 (e.g. 0.02 for 2%), got {x!r}.")
    return arr


def _like(x: Any, values: np.ndarray) -> Any:
    if isinstance(x, pd.Series):
        return pd.Series(values, index=x.index, name=x.name)
    if np.ndim(values) == 0:
        return float(values)
    return values


def annualize(monthly_churn: Any) -> Any:
    """Annual churn from a constant monthly churn: ``1 - (1 - m) ** 12``.

    Multiplying by 12 overstates it, because a customer can only leave once.

    Examples
    --------
    >>> round(annualize(0.02), 4)
    0.2153
    >>> round(annualize(0.006), 4)
    0.0697
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
                     start_col: str = "start_date", end_col: str = "end_date") -> pd.DataFrame:
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
    s, e, w, first, last, _ = _bucketed(subs, freq, as_of, id_col, start_col, end_col)
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
                      window: int = 12) -> pd.DataFrame:
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
        sums = engines.revenue_sums(usage, id_col, month_col, mrr_col, window)
        if sums.empty:
            raise DataError(f"Column '{month_col}': the data span less than window={window} "
                            "months, so no base month can be followed to its end.")
        return _revenue_table(sums.set_index("m"), month_col, window)
    errors.check_columns(usage, [id_col, month_col, mrr_col], "usage")
    errors.check_not_empty(usage, "usage")
    month = errors.parse_dates(usage, month_col, id_col).dt.to_period("M").array.asi8
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
                         freq: str = "M", as_of: Any = None) -> pd.DataFrame:
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
    dates = errors.parse_dates(orders, date_col, id_col)
    frame = pd.DataFrame({"id": orders[id_col].to_numpy(), "d": dates.to_numpy()})
    first = frame.groupby("id")["d"].transform("min")
    later = frame[(frame["d"] > first) & (frame["d"] <= first + pd.Timedelta(days=within_days))]
    firsts = frame.groupby("id")["d"].min()
    repeaters = firsts.index.isin(later["id"].unique())
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else dates.max()
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
