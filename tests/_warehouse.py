"""A PostgreSQL warehouse for the tests: where it is, and the course tables loaded into it.

``make test`` and ``.ci/run`` start a throwaway PostgreSQL server on a loopback port (see
``tasks.py``, ``postgres_for_tests``) and pass its URL in ``CS_HELPERS_PG_URL``; any server
you own works too (``CS_HELPERS_PG_URL=postgresql://user@host:port/db``; the tests create a
fresh database in it and drop it after). Without a URL the tests that need Postgres skip with
the reason; with ``CS_HELPERS_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) they fail instead.

Tables are made the analyst's way: Ibis creates each table (``con.create_table``, so Ibis
chooses the column types: dates as ``DATE``, ids and labels as ``TEXT``, money as ``DOUBLE
PRECISION``) and the rows go in with PostgreSQL's ``COPY`` (Ibis would insert them row by
row: 30 s for the course tables instead of about 3 s).

:func:`check_late_entry` holds the late-entry comparison that ``tests/test_engines.py`` (every
embedded engine) and ``tests/test_warehouse.py`` (PostgreSQL) both make.
"""

from __future__ import annotations

import os
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

URL_ENV = "CS_HELPERS_PG_URL"
REQUIRE_ENV = "CS_HELPERS_REQUIRE_POSTGRES"
WHY_ENV = "CS_HELPERS_PG_UNAVAILABLE"
STATEMENT_TIMEOUT = "120s"
#: The course table loaded a second time with its dates as TEXT (as a CSV loaded without types).
TEXT_DATES = {"b2c_members_text": "b2c_members", "b2b_accounts_text": "b2b_accounts"}


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "1"


def missing() -> str | None:
    """Why the Postgres tests cannot run here, or None when they can."""
    url = os.environ.get(URL_ENV, "")
    if not url:
        why = os.environ.get(WHY_ENV)       # tasks.py could not start one, and says why
        return (f"no PostgreSQL server for the tests ({why})" if why else
                f"no PostgreSQL server for the tests ({URL_ENV} is not set: `make test` starts "
                "one when PostgreSQL is installed, e.g. Debian's `postgresql` package)")
    try:
        import ibis  # noqa: F401
        import psycopg
    except ImportError as e:
        return f"the Postgres client is not installed ({e}; pip install 'ibis-framework[postgres]')"
    try:
        with psycopg.connect(url, connect_timeout=5):
            pass
    except psycopg.Error as e:
        return f"cannot connect to {_safe(url)}: {str(e).strip().splitlines()[0]}"
    return None


def _safe(url: str) -> str:
    """The URL without its password (never print credentials)."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    return urlunsplit(parts)


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a warehouse holds it: labels as plain text (no pandas categories)."""
    out = df.copy()
    out.attrs = {}
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(
                out[col].dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


class Warehouse:
    """A fresh database in the server of ``CS_HELPERS_PG_URL``, dropped by :meth:`close`."""

    def __init__(self, url: str):
        import ibis
        import psycopg

        self.url = url
        self.database = f"cs_helpers_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
            # a runaway query fails the test instead of holding the server
            admin.execute(f'ALTER DATABASE "{self.database}" SET statement_timeout = '
                          f"'{STATEMENT_TIMEOUT}'")
        self.con = ibis.connect(_with_database(url, self.database))
        self.frames: dict[str, pd.DataFrame] = {}

    def load(self, name: str, df: pd.DataFrame, *, dates: str = "date") -> Any:
        """Create table ``name`` from ``df`` and return it as an Ibis table.

        Datetime columns become ``DATE`` columns (``dates="date"``) or text written
        ``YYYY-MM-DD`` (``dates="text"``, as a CSV loaded without types). The frame kept in
        ``self.frames[name]`` is exactly what the table holds, for the pandas side of a
        comparison.
        """
        import ibis

        frame = plain_frame(df)
        schema = {}
        for col in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[col]):
                if dates == "text":
                    frame[col] = frame[col].dt.strftime("%Y-%m-%d").astype(object).where(
                        frame[col].notna(), None)
                    schema[col] = "string"
                else:
                    schema[col] = "date"
            elif frame[col].dtype == object:
                schema[col] = "string"
            else:
                schema[col] = ibis.dtype(frame[col].dtype)
        table = self.con.create_table(name, schema=ibis.schema(schema))
        self._copy(name, frame, schema)
        self.frames[name] = frame
        return table

    def _copy(self, name: str, frame: pd.DataFrame, schema: dict) -> None:
        columns = []
        for col in frame.columns:
            values = frame[col]
            if schema[col] == "date":
                values = values.dt.date
            values = values.astype(object)
            columns.append(np.where(pd.isna(frame[col]).to_numpy(), None, values.to_numpy()))
        names = ", ".join('"' + c.replace('"', '""') + '"' for c in frame.columns)
        raw = self.con.con
        with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)
        raw.commit()

    def load_course(self) -> None:
        """Every course table (``cs.datasets``) with DATE columns, and :data:`TEXT_DATES`."""
        from cs_helpers import datasets

        for name in datasets.names():
            self.load(name, datasets.load(name))
        for name, source in TEXT_DATES.items():
            self.load(name, datasets.load(source), dates="text")

    def table(self, name: str) -> Any:
        """The warehouse table ``name`` as an Ibis table (what an analyst's
        ``ibis.connect(url).table(name)`` gives)."""
        return self.con.table(name)

    def close(self) -> None:
        import psycopg

        self.con.disconnect()
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def check_late_entry(frame: pd.DataFrame, table: Any, as_pandas: Any, kw: dict,
                     id_col: str) -> None:
    """``cs.to_lifetimes(..., observed_from=...)`` on an engine's ``table`` equals pandas on
    ``frame`` (the same rows): the same warning about customers who ended by then, the same
    ``duration`` and ``entry`` per customer, and the same late-entry curves by plan.

    ``as_pandas`` turns the engine's lazy lifetimes into pandas; ``kw`` holds the
    ``to_lifetimes`` arguments, ``observed_from`` among them.
    """
    import pytest

    import cs_helpers as cs
    from cs_helpers import DataWarning

    match = f"ended by observed_from={kw['observed_from']}"
    with pytest.warns(DataWarning, match=match) as pd_warn:
        expected = cs.to_lifetimes(frame, **kw)
    with pytest.warns(DataWarning, match=match) as engine_warn:
        life = cs.to_lifetimes(table, **kw)
    assert str(pd_warn[0].message) == str(engine_warn[0].message)
    got = as_pandas(life).sort_values(id_col, ignore_index=True)
    expected = expected.sort_values(id_col, ignore_index=True)
    for col in ("duration", "entry"):
        np.testing.assert_array_equal(got[col].to_numpy(), expected[col].to_numpy())
    a = cs.survival_curves(expected, by="plan", entry_col="entry")
    b = cs.survival_curves(life, by="plan", entry_col="entry")
    pd.testing.assert_frame_equal(b.counts, a.counts)
    pd.testing.assert_frame_equal(b.table(), a.table())
    pd.testing.assert_frame_equal(b.compare(), a.compare())
