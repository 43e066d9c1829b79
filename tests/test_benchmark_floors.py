"""The benchmarks' floors compute what the KPIs they are compared with compute.

A floor that counted something else (durations in days while the KPI counts calendar months)
would make the ratios in docs/performance.md meaningless, so each floor's result is compared
here with the library's on a small table full of awkward dates: month ends, 29 February,
same-day churn, customers still active.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_engines  # noqa: E402
import bench_kpis  # noqa: E402

AS_OF = "2026-09-30"


@pytest.fixture(scope="module")
def subs() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 4000
    starts = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 3895, n), "D")
    # awkward days on purpose: month ends and leap days
    fixed = pd.to_datetime(["2020-01-31", "2020-02-29", "2019-03-31", "2024-02-29",
                            "2026-09-30", "2021-08-31", "2020-01-30", "2023-05-31"])
    starts = starts.append(fixed)
    ends = starts + pd.to_timedelta(rng.integers(0, 2500, len(starts)), "D")
    ends = ends.where(ends <= pd.Timestamp(AS_OF), pd.NaT)
    ends = ends.where(rng.random(len(starts)) > 0.2, pd.NaT)
    ends = ends.where(np.arange(len(starts)) != 1, starts)          # churned the day it started
    return pd.DataFrame({"customer_id": np.arange(len(starts)), "start_date": starts,
                         "end_date": ends,
                         "plan": rng.choice(["Basic", "Standard", "Enterprise"], len(starts))})


def _library_counts(subs: pd.DataFrame, month: str) -> pd.DataFrame:
    life = cs.to_lifetimes(subs, as_of=AS_OF, month=month)
    got = cs.survival.aggregate_lifetimes(life, by="plan")
    return (got.rename(columns={"group": "plan"})
            .sort_values(["plan", "duration", "churned"], ignore_index=True))


def _floor_counts(frame: pd.DataFrame) -> pd.DataFrame:
    got = frame.rename(columns={"d": "duration", "n": "customers"})
    got = got.assign(churned=~got["c"].astype(bool), customers=got["customers"].astype(np.int64))
    return (got[["plan", "duration", "churned", "customers"]]
            .sort_values(["plan", "duration", "churned"], ignore_index=True))


def test_the_calendar_floor_counts_the_same_calendar_months_in_duckdb(subs):
    con = duckdb.connect()
    con.register("t", subs)
    got = _floor_counts(con.sql(bench_engines.calendar_sql("duckdb").replace("{t}", "t")).df())
    want = _library_counts(subs, "calendar")
    pd.testing.assert_frame_equal(got, want[got.columns.tolist()], check_exact=False,
                                  rtol=1e-12, check_dtype=False)


def test_the_calendar_floor_is_not_the_day_difference(subs):
    """The check above can fail: the day-difference floor does not pass it."""
    con = duckdb.connect()
    con.register("t", subs)
    days = con.sql(bench_engines.day_difference_sql("duckdb").replace("{t}", "t")).df()
    days["d"] = days["d"] / cs.dates.DAYS_PER_MONTH       # the floor counts days
    want = _library_counts(subs, "calendar")
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(_floor_counts(days), want[["plan", "duration", "churned",
                                                                 "customers"]],
                                      check_exact=False, rtol=1e-12, check_dtype=False)
    # and it is the floor of month="average"
    pd.testing.assert_frame_equal(_floor_counts(days), _library_counts(subs, "average")[
        ["plan", "duration", "churned", "customers"]], check_exact=False, rtol=1e-12,
        check_dtype=False)


def test_the_pandas_calendar_floor_gives_the_durations_of_to_lifetimes(subs):
    d, churned = bench_kpis.calendar_durations(subs["start_date"].to_numpy(),
                                               subs["end_date"].to_numpy(), AS_OF)
    life = cs.to_lifetimes(subs, as_of=AS_OF)
    np.testing.assert_allclose(d, life["duration"].to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(churned, life["churned"].to_numpy())
