"""Shaping customer tables into lifetimes, and every DataError rule with its message."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers.errors import DataWarning

M = 30.4375


def subs(**overrides) -> pd.DataFrame:
    base = {"customer_id": ["c1", "c2", "c3", "c4"],
            "start_date": ["2024-01-01", "2024-01-15", "2024-02-01", "2024-03-01"],
            "end_date": ["2024-03-01", None, "2024-05-01", ""]}
    base.update(overrides)
    return pd.DataFrame(base)


def test_hand_computed_durations_and_censoring():
    life = cs.to_lifetimes(subs(), as_of="2024-06-01")
    assert life["churned"].tolist() == [True, False, True, False]
    # c1: 1 Jan -> 1 Mar, two anniversaries; c2: 15 Jan -> 1 Jun, four anniversaries (15 May)
    # and 17 of the 31 days to 15 June; c3: 1 Feb -> 1 May; c4: 1 Mar -> 1 Jun.
    np.testing.assert_allclose(life["duration"], [2, 4 + 17 / 31, 3, 3])
    assert life.attrs["as_of"] == pd.Timestamp("2024-06-01")
    assert life.attrs["month"] == "calendar"


def test_average_months_keep_the_old_definition():
    life = cs.to_lifetimes(subs(), as_of="2024-06-01", month="average")
    expected_days = [60, 138, 90, 92]   # 2024 is a leap year
    np.testing.assert_allclose(life["duration"], np.array(expected_days) / M)
    assert life.attrs["month"] == "average"
    with pytest.raises(cs.DataError, match="month: must be one of"):
        cs.to_lifetimes(subs(), as_of="2024-06-01", month="30 days")


@pytest.mark.parametrize("start, stop, months", [
    ("2023-01-31", "2023-02-28", 1.0),     # month-end start, short month: the billing date
    ("2024-01-31", "2024-02-29", 1.0),     # leap year
    ("2024-01-30", "2024-02-29", 1.0),     # the 30th also bills on the 29th in February
    ("2024-01-31", "2024-03-31", 2.0),     # back to the 31st: no drift to the 29th
    ("2024-02-29", "2025-02-28", 12.0),    # leap day, one year on
    ("2023-12-15", "2024-01-15", 1.0),     # across a year end
    ("2024-03-10", "2024-03-10", 0.0),
    ("2024-01-31", "2024-03-30", 1 + 30 / 31),   # 28 Feb -> 31 Mar is 31 days, 30 of them
    ("2024-02-29", "2024-03-28", 28 / 29),        # not yet the 29 March anniversary
])
def test_calendar_months_on_anniversaries_and_month_ends(start, stop, months):
    life = cs.to_lifetimes(pd.DataFrame({"customer_id": ["x"], "start_date": [start],
                                         "end_date": [stop]}), as_of="2026-01-01")
    assert life["duration"].iloc[0] == pytest.approx(months, abs=1e-12)


def test_calendar_months_are_whole_on_every_anniversary_and_increase_within_a_month():
    start = pd.date_range("2020-01-01", "2021-12-31", freq="D")
    rng = np.random.default_rng(1)
    k = rng.integers(0, 40, len(start))
    anniversary = [s + pd.DateOffset(months=int(m)) for s, m in zip(start, k, strict=True)]
    got = cs.lifetimes.calendar_months(start.to_numpy(), pd.DatetimeIndex(anniversary).to_numpy())
    np.testing.assert_array_equal(got, k.astype(float))
    # one day before the next anniversary: less than k + 1, more than k
    before = pd.DatetimeIndex([s + pd.DateOffset(months=int(m) + 1) - pd.Timedelta(days=1)
                               for s, m in zip(start, k, strict=True)])
    got = cs.lifetimes.calendar_months(start.to_numpy(), before.to_numpy())
    assert ((got > k) & (got < k + 1)).all()


def test_end_after_as_of_is_still_active_at_as_of():
    life = cs.to_lifetimes(subs(), as_of="2024-04-01")
    row = life.set_index("customer_id").loc["c3"]
    assert not row["churned"]
    assert row["duration"] == pytest.approx(2.0)      # 1 Feb -> 1 Apr


def test_customers_starting_after_as_of_are_left_out_loudly():
    with pytest.warns(DataWarning, match="1 rows left out: customers who start after"):
        life = cs.to_lifetimes(subs(), as_of="2024-02-15")
    assert "c4" not in set(life["customer_id"])
    note = life.attrs["cs_helpers_filtered"][0]
    assert note["rows"] == 1 and note["example_ids"] == ["c4"]


def test_as_of_defaults_to_the_tables_attrs_then_to_the_latest_date():
    df = subs()
    assert cs.to_lifetimes(df).attrs["as_of"] == pd.Timestamp("2024-05-01")
    df.attrs["as_of"] = pd.Timestamp("2024-12-31")
    life = cs.to_lifetimes(df)
    assert life.attrs["as_of"] == pd.Timestamp("2024-12-31")
    assert "attrs" in life.attrs["as_of_source"]


def test_other_columns_are_kept_and_no_id_column_works():
    df = subs().assign(plan=["a", "b", "a", "b"]).drop(columns="customer_id")
    life = cs.to_lifetimes(df, id_col=None, as_of="2024-06-01")
    assert list(life["plan"]) == ["a", "b", "a", "b"]


@pytest.mark.parametrize("table, kwargs, words", [
    (subs().drop(columns="start_date"), {}, ["'start_date'", "required column missing"]),
    (subs(start_date=["2024-01-01", "someday", "2024-02-01", "2024-03-01"]), {},
     ["'start_date'", "must be dates", "1 of 4 rows", "c2"]),
    (subs(end_date=["2023-12-01", None, "2024-01-01", None]), {},
     ["'end_date'", "end date must not be before its start", "2 of 4 rows", "c1, c3"]),
    (subs(customer_id=["c1", "c1", "c3", "c4"]), {},
     ["'customer_id'", "unique", "2 of 4 rows", "c1"]),
    (subs().iloc[:0], {}, ["empty"]),
    (subs(start_date=["2024-01-01", None, "2024-02-01", "2024-03-01"]), {},
     ["'start_date'", "must not be missing", "c2"]),
])
def test_data_errors_name_column_rule_count_and_ids(table, kwargs, words):
    with pytest.raises(cs.DataError) as err:
        cs.to_lifetimes(table, **kwargs)
    for w in words:
        assert w in str(err.value)
    assert isinstance(err.value, ValueError)


def test_too_many_offenders_are_elided():
    df = pd.DataFrame({"customer_id": [f"x{i}" for i in range(8)],
                       "start_date": ["2024-02-01"] * 8, "end_date": ["2024-01-01"] * 8})
    with pytest.raises(cs.DataError, match=r"8 of 8 rows .*x0, x1, x2, x3, x4, …"):
        cs.to_lifetimes(df)


def test_tenure_form_reads_yes_no_and_numbers_case_insensitively():
    df = pd.DataFrame({"tenure": [1, 5, 0, 12.5], "Churn": ["Yes", " no", "YES", "No"]})
    life = cs.lifetimes_from_tenure(df, tenure_col="tenure", churned_col="Churn")
    assert life["churned"].tolist() == [True, False, True, False]
    assert life["duration"].tolist() == [1.0, 5.0, 0.0, 12.5]
    flags = pd.DataFrame({"t": [1, 2, 3], "c": [1, 0, True]})
    assert cs.lifetimes_from_tenure(flags, tenure_col="t", churned_col="c")["churned"].tolist() \
        == [True, False, True]


@pytest.mark.parametrize("df, words", [
    (pd.DataFrame({"id": ["a", "b"], "t": [-1, 2], "c": ["Yes", "No"]}),
     ["'t'", "must not be negative", "1 of 2", "a"]),
    (pd.DataFrame({"id": ["a", "b"], "t": [None, 2], "c": ["Yes", "No"]}),
     ["'t'", "numbers", "a"]),
    (pd.DataFrame({"id": ["a", "b"], "t": [1, 2], "c": ["Yes", "maybe"]}),
     ["'c'", "churn flags", "'maybe'", "b"]),
    (pd.DataFrame({"id": ["a", "b"], "t": [1, 2], "c": ["Yes", None]}),
     ["'c'", "churn flags", "b"]),
])
def test_tenure_form_errors(df, words):
    with pytest.raises(cs.DataError) as err:
        cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", id_col="id")
    for w in words:
        assert w in str(err.value)


def test_custom_flag_values():
    df = pd.DataFrame({"t": [1, 2], "status": ["cancelled", "active"]})
    life = cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="status",
                                    churned_values=("cancelled",), active_values=("active",))
    assert life["churned"].tolist() == [True, False]


def test_course_data_shapes_without_warnings():
    members = cs.datasets.load("b2c_members")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        life = cs.to_lifetimes(members, id_col="member_id", start_col="join_date",
                               end_col="cancel_date")
    # members who gave notice before the export are active at the observation date
    noticed = members["cancel_date"] > members.attrs["as_of"]
    assert noticed.any() and not life.loc[noticed.to_numpy(), "churned"].any()
    assert (life["duration"] >= 0).all()


def test_as_of_before_every_start_is_an_error_not_an_empty_table():
    with pytest.raises(cs.DataError, match=r"'start_date': every customer starts after as_of"):
        cs.to_lifetimes(subs(), as_of="2023-06-01")
    with pytest.raises(cs.DataError, match="Choose a later as_of"):
        cs.churn_rate(subs(), as_of="2023-06-01")


def test_observed_from_gives_entry_and_leaves_out_earlier_leavers_loudly():
    # c1 ends 1 Mar (before the window opens on 15 Mar); c2 started 15 Jan: two months in
    with pytest.warns(DataWarning, match="1 rows left out: customers whose subscription ended "
                                         "by observed_from=2024-03-15") as caught:
        life = cs.to_lifetimes(subs(), as_of="2024-06-01", observed_from="2024-03-15")
    assert "c1" in str(caught[0].message)
    got = life.set_index("customer_id")
    assert list(got.index) == ["c2", "c3", "c4"]
    np.testing.assert_allclose(got["entry"], [2.0, 1 + 14 / 31, 14 / 31])
    assert (got["entry"] <= got["duration"]).all()
    assert life.attrs["observed_from"] == pd.Timestamp("2024-03-15")
    assert life.attrs["cs_helpers_filtered"][0]["example_ids"] == ["c1"]
    with pytest.raises(cs.DataError, match="observed_from: 2024-07-01 is after as_of"):
        cs.to_lifetimes(subs(), as_of="2024-06-01", observed_from="2024-07-01")
    with pytest.raises(cs.DataError, match="observed_from: 'soon' is not a date"):
        cs.to_lifetimes(subs(), as_of="2024-06-01", observed_from="soon")


# --------------------------------------------------------------------------------------------
# tenure tables: units, windows (late entry), one flag vocabulary
# --------------------------------------------------------------------------------------------

def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return fn(*args, **kwargs)


@pytest.mark.parametrize("unit, factor", [("months", 1.0), ("years", 12.0),
                                          ("weeks", 7 / M), ("days", 1 / M)])
def test_tenure_units_are_returned_in_months(unit, factor):
    df = pd.DataFrame({"t": [0, 1, 2.5, 10], "c": ["No", "Yes", "No", "Yes"]})
    life = _quiet(cs.lifetimes_from_tenure, df, tenure_col="t", churned_col="c",
                  tenure_unit=unit, window="all")
    np.testing.assert_allclose(life["duration"], np.array([0, 1, 2.5, 10]) * factor)
    assert life.attrs["tenure_unit"] == unit and life.attrs["months_per_unit"] == factor
    assert life.attrs["duration_unit"] == "months"


def test_small_whole_tenures_given_as_months_look_like_years():
    bank = pd.DataFrame({"CustomerId": np.arange(40), "Tenure": np.arange(40) % 11,
                         "Exited": np.arange(40) % 3 == 0})
    kw = dict(tenure_col="Tenure", churned_col="Exited", id_col="CustomerId", window="all")
    with pytest.warns(DataWarning, match=r"every one of the 40 values is a whole number from 0 "
                                         r"to 10, which looks like years"):
        cs.lifetimes_from_tenure(bank, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)   # stated: no unit warning
        life = cs.lifetimes_from_tenure(bank, **kw, tenure_unit="years")
    assert life["duration"].max() == 120


def test_hundreds_of_months_look_like_days():
    days = pd.DataFrame({"t": np.linspace(30, 2000, 30).round(), "c": [0, 1] * 15})
    with pytest.warns(DataWarning, match="looks like days or weeks"):
        cs.lifetimes_from_tenure(days, tenure_col="t", churned_col="c", window="all")


def test_window_adds_late_entry_and_no_window_warns():
    df = pd.DataFrame({"id": ["a", "b", "c"], "t": [3, 30, 40], "c": ["No", "Yes", "No"]})
    life = cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", id_col="id",
                                    window=12)
    assert life["entry"].tolist() == [0.0, 18.0, 28.0] and life.attrs["window"] == 12
    np.testing.assert_allclose(cs.lifetimes.snapshot_entry([3, 30, 40], 1, "years"),
                               [2 * 12, 29 * 12, 39 * 12])
    with pytest.warns(DataWarning, match=r"overstates survival.*window=W"):
        life = cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", id_col="id")
    assert "entry" not in life.columns and life.attrs["window"] is None


@pytest.mark.parametrize("bad", [0, -3, "some", float("inf")])
def test_bad_windows_and_units_are_refused(bad):
    df = pd.DataFrame({"t": [1, 2], "c": [0, 1]})
    with pytest.raises(cs.DataError, match="window"):
        cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", window=bad)
    with pytest.raises(cs.DataError, match="tenure_unit: must be one of"):
        cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", tenure_unit="month")


def test_infinite_tenure_is_a_data_error_with_ids():
    df = pd.DataFrame({"id": ["a", "b"], "t": [1, np.inf], "c": [0, 1]})
    with pytest.raises(cs.DataError, match=r"Column 't': values must be finite numbers .* "
                                           r"1 of 2 rows .*first ids: b"):
        cs.lifetimes_from_tenure(df, tenure_col="t", churned_col="c", id_col="id",
                                 window="all")


def test_one_flag_vocabulary_for_tenure_curves_and_engines():
    import duckdb

    df = pd.DataFrame({"t": [1.0, 2, 3, 4, 5, 6], "c": ["TRUE", "1", "FALSE", "0", "Y", "n"]})
    life = _quiet(cs.lifetimes_from_tenure, df, tenure_col="t", churned_col="c", window="all")
    assert life["churned"].tolist() == [True, True, False, False, True, False]
    pandas_counts = cs.survival_curves(df, duration_col="t", event_col="c").counts
    con = duckdb.connect()
    con.register("df", df)
    duck_counts = cs.survival_curves(con.table("df"), duration_col="t", event_col="c").counts
    pd.testing.assert_frame_equal(duck_counts, pandas_counts)
    assert pandas_counts["churned"].tolist() == life["churned"].tolist()


def test_duplicate_rows_without_ids_are_reported_not_dropped():
    df = subs().drop(columns="customer_id")
    df = pd.concat([df, df.iloc[[0, 0]]], ignore_index=True)
    with pytest.warns(DataWarning, match="2 rows of the subscriptions table are exact copies"):
        life = cs.to_lifetimes(df, id_col=None, as_of="2024-06-01")
    assert len(life) == 6 and life.attrs["duplicate_rows"]["rows"] == 2


def test_date_rules_reach_to_lifetimes_and_as_of():
    df = subs(start_date=["01/02/2024", "15/01/2024", "01/02/2024", "01/03/2024"],
              end_date=["01/03/2024", None, "01/05/2024", ""])
    with pytest.raises(cs.DataError, match=r"'start_date': dates such as '01/02/2024'"):
        cs.to_lifetimes(df, as_of="2024-06-01")
    life = cs.to_lifetimes(df, as_of="01/06/2024", dayfirst=True)
    assert life.attrs["as_of"] == pd.Timestamp("2024-06-01")
    assert life.attrs["date_formats"]["start_date"] == "DD/MM/YYYY (dayfirst=True)"
    with pytest.raises(cs.DataError, match=r"as_of: '01/06/2024' reads either as"):
        cs.to_lifetimes(subs(), as_of="01/06/2024")
