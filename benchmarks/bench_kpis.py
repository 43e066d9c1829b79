"""Benchmark the aggregate-first KPIs against their floors, and record peak memory.

Run with ``make bench`` (or ``python benchmarks/bench_kpis.py --customers 2000000``). Prints a
Markdown table to paste into docs/performance.md. Each timing is the best of ``--repeat`` runs;
peak memory is measured with tracemalloc (Python-level allocations, which is where pandas and
numpy buffers live) for one run of each function, relative to the input frame's own size.

Floors (from the cs_helpers issue):
- survival_curves: within 1.5x of lifelines' KaplanMeierFitter on the raw rows, and within 3x
  of a bare ``np.unique`` count of (duration, churned);
- churn_rate and cohort_retention over ten years of months: within 5x of bucketing starts and
  ends by month with ``np.bincount``;
- peak memory under 3x the input frame.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

import cs_helpers as cs


def make_subscriptions(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` simulated subscriptions over ten years of months (2016-10 .. 2026-09)."""
    rng = np.random.default_rng(seed)
    start0 = np.datetime64("2016-10-01")
    as_of = np.datetime64("2026-09-30")
    span = int((as_of - start0) / np.timedelta64(1, "D"))
    start = start0 + rng.integers(0, span, n).astype("timedelta64[D]")
    p = rng.beta(1.2, 30.0, n)                              # heterogeneous monthly churn
    months = rng.geometric(np.clip(p, 1e-4, 1))
    end = start + (months * 30.4375).astype("timedelta64[D]")
    end = np.where(end <= as_of, end, np.datetime64("NaT"))
    df = pd.DataFrame({"customer_id": np.arange(n), "start_date": start, "end_date": end,
                       "plan": rng.choice(["basic", "pro"], n)})
    df.attrs["as_of"] = pd.Timestamp(as_of)
    return df


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_memory(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bincount_floor(subs: pd.DataFrame) -> None:
    m0 = subs["start_date"].min().to_period("M").ordinal
    s = subs["start_date"].dt.to_period("M").array.asi8 - m0
    e = subs["end_date"].dropna().dt.to_period("M").array.asi8 - m0
    np.cumsum(np.bincount(s)), np.cumsum(np.bincount(e))


def calendar_durations(start: np.ndarray, end: np.ndarray, as_of: object
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Calendar-month durations and churned flags, bare: ``start`` and ``end`` as datetime64
    arrays (``end`` NaT while active), censored at ``as_of``; anniversaries with the day
    clipped to the month's end, the fraction in days; plain numpy with datetime64[M]
    conversions, no checks. The floors of ``to_lifetimes`` (here) and of Kaplan-Meier by plan
    on pandas (``bench_engines.py``)."""
    as_of = np.datetime64(as_of, "D")
    churned = ~np.isnat(end)
    s = start.astype("datetime64[D]")
    e = np.where(churned, end.astype("datetime64[D]"), as_of)
    s_month = s.astype("datetime64[M]")
    day = (s - s_month).astype(np.int64) + 1

    def anniversary(month):
        first = month.astype("datetime64[D]")
        length = ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
        return first + (np.minimum(day, length) - 1)

    k = e.astype("datetime64[M]") - s_month
    k = np.where(anniversary(s_month + k) > e, k - 1, k)
    last, following = anniversary(s_month + k), anniversary(s_month + k + 1)
    return (k.astype(np.int64) + (e - last).astype(np.int64)
            / (following - last).astype(np.int64), churned)


def calendar_floor(subs: pd.DataFrame) -> None:
    """The bare computation ``to_lifetimes`` is compared with: churned flags and calendar-month
    durations (:func:`calendar_durations`) from the already-parsed datetime64 columns; no
    checks, no copy of the other columns, no output frame."""
    calendar_durations(subs["start_date"].to_numpy(), subs["end_date"].to_numpy(),
                       subs.attrs["as_of"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", metavar="FUNCTION",
                        help="time only these functions (e.g. --only to_lifetimes)")
    args = parser.parse_args()

    subs = make_subscriptions(args.customers)
    life = cs.to_lifetimes(subs, as_of=subs.attrs["as_of"])
    d = life["duration"].to_numpy()
    e = life["churned"].to_numpy()
    input_bytes = int(subs.memory_usage(deep=True).sum())

    def raw_km() -> None:
        KaplanMeierFitter().fit(d, e)

    def unique_floor() -> None:
        # the bare count of distinct (duration, churned) pairs, on one float key
        np.unique(np.where(e, -d - 1, d), return_counts=True)

    rows = []

    def bench(name: str, fn, floor_name: str, floor_fn, limit: float, mem_input: int) -> None:
        if args.only and not any(name.startswith(f) for f in args.only):
            return
        t = best_of(fn, args.repeat)
        tf = best_of(floor_fn, args.repeat)
        mem = peak_memory(fn)
        rows.append((name, t, floor_name, tf, t / tf, limit, mem / mem_input))

    life_bytes = int(life.memory_usage(deep=True).sum())
    bench("survival_curves", lambda: cs.survival_curves(life), "lifelines KM on raw rows",
          raw_km, 1.5, life_bytes)
    bench("survival_curves", lambda: cs.survival_curves(life), "np.unique count",
          unique_floor, 3.0, life_bytes)
    plans = life["plan"].to_numpy()
    masks = [plans == v for v in np.unique(plans)]

    def raw_km_by_plan() -> None:
        for m in masks:
            KaplanMeierFitter().fit(d[m], e[m])

    bench("survival_curves(by='plan')", lambda: cs.survival_curves(life, by="plan"),
          "lifelines KM per plan on raw rows", raw_km_by_plan, 1.5, life_bytes)
    bench("churn_rate (monthly, 10 years)", lambda: cs.churn_rate(subs, as_of=subs.attrs["as_of"]),
          "np.bincount of starts and ends", lambda: bincount_floor(subs), 5.0, input_bytes)
    bench("cohort_retention (monthly)",
          lambda: cs.cohort_retention(subs, as_of=subs.attrs["as_of"]),
          "np.bincount of starts and ends", lambda: bincount_floor(subs), 5.0, input_bytes)
    bench("to_lifetimes", lambda: cs.to_lifetimes(subs, as_of=subs.attrs["as_of"]),
          "bare numpy calendar months + churned", lambda: calendar_floor(subs), 3.0,
          input_bytes)

    print(f"Customers: {args.customers:,}; input frame {input_bytes / 2**20:.0f} MiB; "
          f"python {platform.python_version()}, pandas {pd.__version__}, "
          f"numpy {np.__version__}; {platform.machine()}, best of {args.repeat}.\n")
    print("| function | time (s) | floor | floor time (s) | ratio | target ratio | "
          "peak memory / input |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for name, t, fname, tf, ratio, limit, mem in rows:
        target = "—" if np.isnan(limit) else f"≤ {limit:g}"
        print(f"| {name} | {t:.3f} | {fname} | {tf:.3f} | {ratio:.2f} | {target} | {mem:.2f} |")


if __name__ == "__main__":
    main()
