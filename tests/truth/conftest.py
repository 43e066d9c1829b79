"""Data simulated from ``TRUE_PARAMS`` with a seed other than the shipped one.

Truth-recovery tests check that each estimate the course teaches recovers the value the
simulation was built with, on data the notebooks have never seen (seed 7, not
``simulate.DEFAULT_SEED``). The tables are simulated, written and loaded once per test session
exactly as the course data are (``cs.datasets.load``: typed columns, ``attrs["as_of"]``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cs_helpers import datasets, simulate

SEED = 7
assert SEED != simulate.DEFAULT_SEED


@pytest.fixture(scope="session")
def seed7_dir(tmp_path_factory: pytest.TempPathFactory):
    """A folder with every course table simulated with seed 7."""
    folder = tmp_path_factory.mktemp("seed7")
    simulate.write_all(folder, seed=SEED, progress=False)
    return folder


@pytest.fixture(scope="session")
def b2c_seed7(seed7_dir) -> dict[str, pd.DataFrame]:
    """``b2c_members`` and ``b2c_activity_monthly`` simulated with seed 7 (24,000 members)."""
    return {n: datasets.load(n, seed7_dir) for n in ("b2c_members", "b2c_activity_monthly")}


@pytest.fixture(scope="session")
def b2b_seed7(seed7_dir) -> dict[str, pd.DataFrame]:
    """The five B2B tables simulated with seed 7 (3,600 accounts)."""
    names = ("b2b_accounts", "b2b_usage_monthly", "b2b_onboarding", "b2b_nps", "b2b_tickets")
    return {n: datasets.load(n, seed7_dir) for n in names}
