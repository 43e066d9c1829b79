"""A Telco-style tenure snapshot, read with ``window=``, recovers the true survival curve.

Public churn tables such as the Telco data are snapshots: the customers active at the start of
an observation window of W months (plus those who joined during it), each with its tenure at the
end of the window, or at churn, and a flag "left during the window". Read as a full history
(everyone followed from the first month) such a table hides every customer who left before the
window, and survival looks far better than it is. ``cs.lifetimes_from_tenure(..., window=W)``
gives each customer an ``entry`` = max(0, tenure - W) months (late entry), and Kaplan-Meier with
that entry recovers the truth (issue 11, item 2; issue 12).

The snapshot is built from the seed-7 B2C members (24,000, never seen by the notebooks); the
truth is ``simulate.true_survival`` (the survival of a new member under the model that made the
data).

For a customer who left during the window the table does not say when, so max(0, tenure - W)
is the earliest possible entry; with a window of one month (Telco: "left within the last
month") that costs nothing, with longer windows it biases the curve up a little (measured
below).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers import simulate

MONTH = 24


def _snapshot(members: pd.DataFrame, window: int) -> pd.DataFrame:
    """The Telco-style table: one row per member active at the window's start or joining
    during it; tenure (calendar months) at the window's end or at churn; churned in it."""
    as_of = members.attrs["as_of"]
    life = cs.to_lifetimes(members, id_col="member_id", start_col="join_date",
                           end_col="cancel_date", as_of=as_of)
    start = as_of - pd.DateOffset(months=window)
    present = (life["cancel_date"].isna() | (life["cancel_date"] > start)).to_numpy()
    snap = life.loc[present, ["member_id", "duration", "churned", "plan"]]
    return snap.rename(columns={"duration": "tenure", "churned": "Churn"}).assign(
        Churn=lambda d: np.where(d["Churn"], "Yes", "No")).reset_index(drop=True)


def _at(curves: cs.SurvivalCurves, t: float) -> tuple[float, float, float]:
    kmf = curves.fitters["all"]
    est = float(kmf.survival_function_at_times(t).iloc[0])
    ci = kmf.confidence_interval_survival_function_
    pos = np.searchsorted(ci.index.to_numpy(), t, side="right") - 1
    return est, float(ci.iloc[pos, 0]), float(ci.iloc[pos, 1])


@pytest.fixture(scope="module")
def truth() -> float:
    return float(simulate.true_survival("b2c", MONTH).loc[MONTH])


def test_telco_style_snapshot_with_entry_recovers_the_truth(b2c_seed7, truth):
    members = b2c_seed7["b2c_members"]
    snap = _snapshot(members, window=1)
    # a snapshot: most members were customers long before the window opened
    assert len(snap) < 0.5 * len(members)
    life = cs.lifetimes_from_tenure(snap, tenure_col="tenure", churned_col="Churn",
                                    id_col="member_id", window=1)
    assert life.attrs["window"] == 1 and (life["entry"] > 0).mean() > 0.8
    est, low, high = _at(cs.survival_curves(life, entry_col="entry", alpha=0.01), MONTH)
    assert low <= truth <= high, (est, low, high, truth)
    # the full history of the same members (what the snapshot was cut from) agrees too
    full = cs.to_lifetimes(members, id_col="member_id", start_col="join_date",
                           end_col="cancel_date")
    reference, ref_low, ref_high = _at(cs.survival_curves(full, alpha=0.01), MONTH)
    assert ref_low <= truth <= ref_high
    assert abs(est - reference) < 0.05


def test_the_snapshot_read_as_a_full_history_is_far_off(b2c_seed7, truth):
    snap = _snapshot(b2c_seed7["b2c_members"], window=1)
    with pytest.warns(cs.DataWarning, match="cannot say when each customer came under "
                                            "observation"):
        life = cs.lifetimes_from_tenure(snap, tenure_col="tenure", churned_col="Churn",
                                        id_col="member_id")
    assert "entry" not in life.columns
    naive, low, _ = _at(cs.survival_curves(life), MONTH)
    # measured: about 0.95 against a truth of about 0.34
    assert naive - truth > 0.4 and low > truth


@pytest.mark.parametrize("window, bias", [(6, 0.04), (12, 0.05)])
def test_longer_windows_bias_the_curve_up_a_little(b2c_seed7, truth, window, bias):
    # the entry of members who left during the window is taken as early as possible; the
    # curve stays near the truth and far from the full-history reading
    snap = _snapshot(b2c_seed7["b2c_members"], window=window)
    life = cs.lifetimes_from_tenure(snap, tenure_col="tenure", churned_col="Churn",
                                    id_col="member_id", window=window)
    est, _, _ = _at(cs.survival_curves(life, entry_col="entry"), MONTH)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.DataWarning)
        naive, _, _ = _at(cs.survival_curves(life.drop(columns="entry")), MONTH)
    assert -0.01 < est - truth < bias, (est, truth)
    assert naive - truth > 0.15


def test_snapshot_on_duckdb_gives_the_same_curve(b2c_seed7):
    import duckdb

    snap = _snapshot(b2c_seed7["b2c_members"], window=1)
    kw = dict(tenure_col="tenure", churned_col="Churn", id_col="member_id", window=1)
    expected = cs.survival_curves(cs.lifetimes_from_tenure(snap, **kw), entry_col="entry")
    con = duckdb.connect()
    con.register("snap", snap)
    got = cs.survival_curves(cs.lifetimes_from_tenure(con.table("snap"), **kw),
                             entry_col="entry")
    pd.testing.assert_frame_equal(got.table(), expected.table())
