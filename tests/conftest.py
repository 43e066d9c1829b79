"""Session fixtures shared by several test files.

``warehouse``: a fresh database in a real PostgreSQL server holding the course tables (see
``tests/_warehouse.py``; the server comes from ``make test``/``.ci/run`` through
``CS_HELPERS_PG_URL``). It skips when there is no server, and fails instead under
``CS_HELPERS_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import os

import pytest
from _warehouse import Warehouse, missing, required


@pytest.fixture(scope="session")
def warehouse():
    why = missing()
    if why:
        if required():
            pytest.fail(f"CS_HELPERS_REQUIRE_POSTGRES=1 but {why}.")
        pytest.skip(why)
    wh = Warehouse(os.environ["CS_HELPERS_PG_URL"])
    try:
        wh.load_course()
        yield wh
    finally:
        wh.close()
