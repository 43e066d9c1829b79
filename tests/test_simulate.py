"""The simulated datasets: deterministic, byte-identical to the committed files, well formed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers.course import schema, simulate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data")
    simulate.write_all(out, progress=False)
    return out


def test_committed_csvs_are_byte_identical_to_a_fresh_build(fresh):
    for name in schema.TABLES:
        assert (fresh / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes(), name


def test_same_seed_same_tables_other_seed_other_tables():
    a, b = simulate.simulate_b2c(seed=5, n_members=500), simulate.simulate_b2c(seed=5, n_members=500)
    c = simulate.simulate_b2c(seed=6, n_members=500)
    pd.testing.assert_frame_equal(a["b2c_members"], b["b2c_members"])
    assert not a["b2c_members"].equals(c["b2c_members"])
    x, y = simulate.simulate_b2b(seed=5, n_accounts=200), simulate.simulate_b2b(seed=5, n_accounts=200)
    for name in x:
        pd.testing.assert_frame_equal(x[name], y[name])
    z = simulate.simulate_b2b(seed=6, n_accounts=200)
    assert not x["b2b_accounts"].equals(z["b2b_accounts"])


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "100"])
def test_bad_sizes_are_a_data_error(bad):
    with pytest.raises(cs.DataError, match="n_members"):
        simulate.simulate_b2c(seed=1, n_members=bad)
    with pytest.raises(cs.DataError, match="n_accounts"):
        simulate.simulate_b2b(seed=1, n_accounts=bad)


def test_write_all_follows_the_schema_order_and_sizes(tmp_path):
    paths = simulate.write_all(tmp_path, seed=2, progress=False, n_members=120, n_accounts=40)
    assert [p.stem for p in paths] == list(schema.TABLES)
    assert len(pd.read_csv(tmp_path / "b2c_members.csv")) == 120
    assert len(pd.read_csv(tmp_path / "b2b_accounts.csv")) == 40
    text = (tmp_path / "b2b_accounts.csv").read_bytes()
    assert b"\r" not in text and text.endswith(b"\n")


def test_cli_writes_every_table(tmp_path):
    r = subprocess.run([sys.executable, "-m", "cs_helpers.simulate", "--out", str(tmp_path),
                        "--seed", "3"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.csv")) == sorted(schema.TABLES)
    assert "Wrote 7 tables" in r.stdout


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_headers_match_the_schema(name):
    header = (DATA / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == list(schema.TABLES[name])


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_load_gives_the_declared_types(name):
    df = cs.datasets.load(name)
    kinds = {"id": "string", "category": "category", "int": "int64", "float": "float64",
             "date": "datetime64[ns]"}
    for col, kind in schema.TABLES[name].items():
        assert str(df[col].dtype) == kinds[kind], (name, col, df[col].dtype)
    assert df.attrs["as_of"] == pd.Timestamp(schema.AS_OF)


def test_load_works_from_any_working_directory(tmp_path):
    code = "import cs_helpers as cs; print(len(cs.datasets.load('b2b_accounts')))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and int(r.stdout) >= 3000, r.stderr


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(cs.DataError, match="b2c_members"):
        cs.datasets.load("members")


def test_data_folder_stays_small():
    assert sum(p.stat().st_size for p in DATA.glob("*")) < 20 * 2**20


def test_sizes_and_spans():
    members, accounts = cs.datasets.load("b2c_members"), cs.datasets.load("b2b_accounts")
    assert len(members) >= 20_000 and len(accounts) >= 3_000
    span = accounts["start_date"].max() - accounts["start_date"].min()
    assert span >= pd.Timedelta(days=4 * 365)


def test_ids_unique_and_no_end_before_start():
    members, accounts = cs.datasets.load("b2c_members"), cs.datasets.load("b2b_accounts")
    assert members["member_id"].is_unique and accounts["account_id"].is_unique
    assert not (members["cancel_date"] < members["join_date"]).any()
    assert not (accounts["end_date"] < accounts["start_date"]).any()
    for name, key in [("b2b_nps", "response_id"), ("b2b_tickets", "ticket_id")]:
        assert cs.datasets.load(name)[key].is_unique


def test_censoring_and_the_notice_wart_are_present():
    members = cs.datasets.load("b2c_members")
    as_of = pd.Timestamp(schema.AS_OF)
    assert members["cancel_date"].isna().mean() > 0.1            # still members at as_of
    assert (members["cancel_date"] > as_of).sum() > 0              # notice given, effective later
    assert cs.datasets.load("b2b_accounts")["end_date"].isna().mean() > 0.3


@pytest.mark.parametrize("table, members_table, id_col, start, end", [
    ("b2c_activity_monthly", "b2c_members", "member_id", "join_date", "cancel_date"),
    ("b2b_usage_monthly", "b2b_accounts", "account_id", "start_date", "end_date"),
])
def test_monthly_rows_fall_inside_each_customers_membership(table, members_table, id_col, start,
                                                            end):
    rows = cs.datasets.load(table).merge(cs.datasets.load(members_table), on=id_col)
    month = rows["month"]
    assert (month >= rows[start].dt.to_period("M").dt.to_timestamp()).all()
    assert (month <= rows[end].fillna(pd.Timestamp(schema.AS_OF))).all()
    assert month.max() <= pd.Timestamp(schema.AS_OF)
    assert not rows.duplicated([id_col, "month"]).any()


@pytest.mark.parametrize("table, date_col", [("b2b_nps", "survey_date"),
                                             ("b2b_tickets", "opened_date"),
                                             ("b2b_onboarding", "completed_date")])
def test_b2b_events_fall_inside_each_contract(table, date_col):
    rows = cs.datasets.load(table).merge(cs.datasets.load("b2b_accounts"), on="account_id")
    assert len(rows) == len(cs.datasets.load(table))                  # every account is known
    when = rows[date_col].dropna()
    assert (when >= rows.loc[when.index, "start_date"]).all()
    assert (when <= pd.Timestamp(schema.AS_OF)).all()
    end = rows.loc[when.index, "end_date"]
    assert not (when[end.notna()] > end[end.notna()]).any()            # not after the end


def test_onboarding_rows_and_due_dates():
    ob = cs.datasets.load("b2b_onboarding").merge(cs.datasets.load("b2b_accounts"))
    assert not ob.duplicated(["account_id", "milestone"]).any()
    target = ob["milestone"].astype(str).map(simulate.TRUE_PARAMS["b2b"]["milestone_target_days"])
    assert ((ob["due_date"] - ob["start_date"]).dt.days == target).all()
    assert (ob["due_date"] <= pd.Timestamp(schema.AS_OF)).all()
    done = ob[ob["completed_date"].notna()]
    assert len(done) < len(ob)                                           # some never completed
    # every account whose first milestone is due has all earlier ones listed, in order
    order = ob.groupby("account_id")["milestone"].agg(lambda m: list(m.astype(str)))
    names = list(simulate.TRUE_PARAMS["b2b"]["milestone_target_days"])
    assert order.map(lambda m: m == names[:len(m)]).all()


def test_b2b_mrr_bands_by_plan():
    # brief: Lite ~30,000-60,000, Standard ~100,000-200,000, Enterprise 300,000+ JPY a month
    median = cs.datasets.load("b2b_accounts").groupby("plan", observed=True)["mrr"].median()
    assert 30_000 <= median["Lite"] <= 60_000
    assert 100_000 <= median["Standard"] <= 200_000
    assert median["Enterprise"] >= 300_000


def test_struggling_accounts_open_more_tickets():
    usage = cs.datasets.load("b2b_usage_monthly")
    tickets = cs.datasets.load("b2b_tickets").groupby("account_id").size()
    per_month = (tickets.reindex(usage["account_id"].unique(), fill_value=0)
                 / usage.groupby("account_id").size())
    churned = cs.datasets.load("b2b_accounts").set_index("account_id")["end_date"].notna()
    rate = per_month.groupby(churned.reindex(per_month.index)).mean()
    assert rate[True] > 1.2 * rate[False]


def test_sizes_of_the_event_tables():
    assert 2_000 <= len(cs.datasets.load("b2b_nps")) <= 6_000
    assert 10_000 <= len(cs.datasets.load("b2b_tickets")) <= 30_000


def test_signups_are_seasonal_and_growing():
    joins = cs.datasets.load("b2c_members")["join_date"]
    by_month = joins[joins < "2026-01-01"].dt.month.value_counts()
    assert by_month[[3, 4, 12]].min() > by_month.drop([3, 4, 12]).max()
    by_year = joins.dt.year.value_counts().sort_index()
    assert by_year.loc[2020:2025].is_monotonic_increasing
    starts = cs.datasets.load("b2b_accounts")["start_date"].dt.month.value_counts()
    assert starts.idxmax() == 4


def test_plan_changes_happen():
    act = cs.datasets.load("b2c_activity_monthly")
    assert (act.groupby("member_id", observed=True)["plan"].nunique() > 1).sum() > 100
    usage = cs.datasets.load("b2b_usage_monthly")
    assert (usage.groupby("account_id")["seats"].nunique() > 1).sum() > 500


def test_nps_scores_are_whole_numbers_0_to_10():
    scores = cs.datasets.load("b2b_nps")["score"]
    assert scores.between(0, 10).all()


def test_true_survival_first_month_by_hand():
    # S(1) = 1 - E[hazard in month 0]: p ~ Beta(0.5, 2.8) has mean 0.5 / 3.3; onboarding factor
    # 1.15; 30% join on the double plan (factor 0.8). Clipping at 1 affects p > 0.87 only.
    P = simulate.TRUE_PARAMS["b2c"]
    mean_p = P["alpha"] / (P["alpha"] + P["beta"])
    f = P["phase_factor"]["onboarding"]
    share = P["share_double_at_join"]
    by_hand = 1 - mean_p * f * ((1 - share) + share * P["double_plan_factor"])
    s = simulate.true_survival("b2c", 1)
    assert s.iloc[1] == pytest.approx(by_hand, abs=2e-4)
    # B2B: the first three months have the flat hazard of the first 90 days
    b = simulate.true_survival("b2b", 3, n=2_000)
    h0 = simulate.TRUE_PARAMS["b2b"]["hazard_first_90_days"]
    np.testing.assert_allclose(b.to_numpy(), (1 - h0) ** np.arange(4))


def test_true_survival_what_if_and_errors():
    base = simulate.true_survival("b2c", 24, n=20_000)
    cut = simulate.true_survival("b2c", 24, n=20_000, phase_multiplier={"onboarding": 0.8})
    assert (cut.iloc[1:] > base.iloc[1:]).all()
    with pytest.raises(cs.DataError, match="phase_multiplier"):
        simulate.true_survival("b2c", 3, phase_multiplier={"launch": 0.5})
    with pytest.raises(cs.DataError, match="business"):
        simulate.true_survival("b2x", 3)
