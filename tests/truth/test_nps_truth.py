"""NPS intervals recover the truth when the same accounts answer several surveys.

The simulation has no "true NPS" parameter: an answer's score depends on the account's latent
health and outcomes (``TRUE_PARAMS["b2b"]["nps_score"]``), and accounts answer in several
waves. The estimand is the NPS of the survey process, which a very large simulated company
gives to within a fraction of a point (the *large-sample NPS*). Companies of the course's kind
re-simulated with other seeds then show how often each interval covers it: the account-clustered
interval at about its nominal 95%, the interval that treats every answer as independent far
less often. All seeds differ from ``simulate.DEFAULT_SEED``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cs_helpers import nps, simulate

TRUTH_SEED = 10_000
TRUTH_ACCOUNTS = 20_000
REPLICATES = 150
REPLICATE_ACCOUNTS = 400            # about 500 answers from 240 accounts each
REPLICATE_SEEDS = range(1_000, 1_000 + REPLICATES)
assert simulate.DEFAULT_SEED not in (TRUTH_SEED, *REPLICATE_SEEDS)


@pytest.fixture(scope="module")
def large_sample() -> pd.Series:
    """NPS of about 25,000 answers from about 12,000 simulated accounts, clustered."""
    answers = simulate.simulate_b2b(seed=TRUTH_SEED, n_accounts=TRUTH_ACCOUNTS)["b2b_nps"]
    return nps.summary(answers["score"], cluster=answers["account_id"])


@pytest.fixture(scope="module")
def replicates() -> pd.DataFrame:
    """One row per re-simulated company: clustered and naive intervals, and a null comparison."""
    rows = []
    for seed in REPLICATE_SEEDS:
        a = simulate.simulate_b2b(seed=seed, n_accounts=REPLICATE_ACCOUNTS)["b2b_nps"]
        clustered = nps.summary(a["score"], cluster=a["account_id"])
        naive = nps.summary(a["score"])
        # Two halves of the same company, split by account: no true difference between them.
        rng = np.random.default_rng(seed)
        ids = a["account_id"].unique()
        half = a["account_id"].isin(rng.choice(ids, len(ids) // 2, replace=False))
        x, y = a[half], a[~half]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # the halves are small samples on purpose
            p_clustered = nps.compare(x["score"], y["score"],
                                      cluster=(x["account_id"], y["account_id"]))["p_value"]
            p_naive = nps.compare(x["score"], y["score"])["p_value"]
        rows.append({"c_low": clustered["ci_low"], "c_high": clustered["ci_high"],
                     "n_low": naive["ci_low"], "n_high": naive["ci_high"],
                     "design_effect": clustered["design_effect"],
                     "clusters": clustered["clusters"], "n": clustered["n"],
                     "p_clustered": p_clustered, "p_naive": p_naive})
    return pd.DataFrame(rows)


def _covers(low: pd.Series, high: pd.Series, truth: float) -> float:
    return float(((low <= truth) & (truth <= high)).mean())


@pytest.mark.slow
def test_clustered_interval_covers_the_large_sample_nps(large_sample, replicates):
    truth = large_sample["nps"]
    assert large_sample["margin"] < 1.5                   # the truth is known to a point or so
    clustered = _covers(replicates["c_low"], replicates["c_high"], truth)
    naive = _covers(replicates["n_low"], replicates["n_high"], truth)
    # 150 companies: a coverage of 0.95 is measured to about +/- 0.02 (one SE)
    assert 0.90 <= clustered <= 0.99, clustered            # measured: 0.93
    assert naive < 0.88, naive                             # measured: 0.79
    assert clustered - naive > 0.08
    assert replicates["design_effect"].median() > 1.6      # repeat answers: about 2


@pytest.mark.slow
def test_clustered_comparison_keeps_its_false_alarm_rate(replicates):
    """Two random halves of one company differ only by chance: a 5% test should say so ~5%."""
    clustered = float((replicates["p_clustered"] < 0.05).mean())
    naive = float((replicates["p_naive"] < 0.05).mean())
    assert clustered <= 0.10, clustered                    # nominal 0.05
    assert naive > clustered and naive >= 0.10, naive       # ignoring accounts: too many alarms


def test_seed7_clustered_interval_covers_the_large_sample_nps(b2b_seed7, large_sample):
    answers = b2b_seed7["b2b_nps"]
    s = nps.summary(answers["score"], cluster=answers["account_id"])
    assert s["ci_low"] <= large_sample["nps"] <= s["ci_high"]
    assert s["clusters"] == answers["account_id"].nunique() < s["n"]
    # the design effect measured on one company agrees with the large-sample one
    assert s["design_effect"] == pytest.approx(large_sample["design_effect"], rel=0.25)
    naive = nps.summary(answers["score"])
    assert s["se"] / naive["se"] == pytest.approx(np.sqrt(s["design_effect"]), rel=1e-9)
