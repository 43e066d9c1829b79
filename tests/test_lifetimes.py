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
