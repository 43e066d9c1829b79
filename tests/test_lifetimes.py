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
    expected_days = [60, 138, 90, 92]   # 2024 is a leap year
    np.testing.assert_allclose(life["duration"], np.array(expected_days) / M)
    assert life.attrs["as_of"] == pd.Timestamp("2024-06-01")


def test_end_after_as_of_is_still_active_at_as_of():
    life = cs.to_lifetimes(subs(), as_of="2024-04-01")
    row = life.set_index("customer_id").loc["c3"]
    assert not row["churned"]
    assert row["duration"] == pytest.approx(60 / M)


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
