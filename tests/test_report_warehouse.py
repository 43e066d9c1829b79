"""The report (notebook A2) on a database table: a connection string plus a table name.

The same small tables (customers with spaces in their column names, a monthly revenue table,
NPS answers from customers who answer more than once) are given three ways: as CSV files, as
a DuckDB database file (``connection="duckdb:///..."``) and as tables in a real PostgreSQL
server (the ``warehouse`` fixture of ``tests/conftest.py``: it skips without a server and fails
under ``CS_HELPERS_REQUIRE_POSTGRES=1``). The report's summary (every headline number and every
limit) must read the same. A password in the connection string must appear neither in the
HTML nor in the executed notebook, and a wrong table name must say which tables there are.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import numpy as np
import pandas as pd
import pytest
from report_tools import DATES_PARAMS, failed_run, run, subscriptions, summary, text

import cs_helpers as cs
from cs_helpers import DataError, report

REVENUE_PARAMS = dict(revenue_month_col="month", revenue_mrr_col="mrr", score_col="score",
                      nps_cluster_col="Customer ID")


def _tables() -> dict[str, pd.DataFrame]:
    """Customers (dates as datetimes), their monthly revenue (some upgrade after a year) and
    NPS answers (up to three per customer)."""
    subs = subscriptions()
    subs["Signed on"] = pd.to_datetime(subs["Signed on"])
    subs["Cancelled on"] = pd.to_datetime(subs["Cancelled on"])
    rng = np.random.default_rng(8)
    rows = []
    upgrade = rng.random(len(subs)) < 0.3
    for i, r in enumerate(subs.itertuples(index=False)):
        stop = r[2] if pd.notna(r[2]) else pd.Timestamp("2025-12-31")
        for k, m in enumerate(pd.period_range(r[1], stop, freq="M")):
            rows.append((r[0], m.to_timestamp(), r[4] * (1.5 if upgrade[i] and k >= 12 else 1)))
    usage = pd.DataFrame(rows, columns=["Customer ID", "month", "mrr"])
    who = rng.choice(subs["Customer ID"].to_numpy(), 500)
    nps = pd.DataFrame({"Customer ID": who, "score": rng.integers(0, 11, len(who))})
    return {"subscriptions": subs, "usage": usage, "nps": nps}


def _csv(df: pd.DataFrame, path: Path) -> str:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def tables():
    return _tables()


@pytest.fixture(scope="module")
def files(tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    paths = {name: _csv(df, folder / f"{name}.csv") for name, df in tables.items()}
    db = folder / "kpi.duckdb"
    con = duckdb.connect(str(db))
    for name, df in tables.items():
        con.register("frame", df)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
        con.unregister("frame")
    con.close()
    return paths, db


@pytest.fixture(scope="module")
def csv_report(files, tmp_path_factory):
    paths, _ = files
    nb = run(tmp_path_factory.mktemp("csv"), data_path=paths["subscriptions"],
             revenue_path=paths["usage"], nps_path=paths["nps"], **DATES_PARAMS,
             **REVENUE_PARAMS)
    return nb


def _with_password(url: str, database: str, password: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return urlunsplit(parts._replace(path="/" + database))
    host = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or "postgres"
    # the test server trusts connections from 127.0.0.1, so the password is not checked
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}", path="/" + database))


def test_csv_report_has_every_section(csv_report):
    lines = summary(csv_report)[0]
    assert [line.split(":")[0] for line in lines] == [
        "- **Churn", "- **Retention", "- **LTV", "- **Revenue", "- **NPS"]
    assert "counting them (NRR)" in lines[3] and "from 2" in lines[4]


def test_duckdb_file_report_reads_as_the_csv_report(files, csv_report, tmp_path):
    _, db = files
    nb = run(tmp_path, connection=f"duckdb://{db}", table="subscriptions",
             revenue_table="usage", nps_table="nps", **DATES_PARAMS, **REVENUE_PARAMS)
    assert summary(nb) == summary(csv_report)
    out = text(nb)
    assert r"subscriptions \(duckdb\:" in out and "where the table lives" in out
    assert "Revenue table: usage" in out and "NPS answers: nps" in out
    assert "Counted again by DuckDB" not in out     # the file check is for files read by pandas


def test_postgres_report_reads_as_the_csv_report_and_hides_the_password(
        warehouse, tables, csv_report, tmp_path, monkeypatch):
    for name, df in tables.items():
        if f"report_{name}" not in warehouse.frames:
            warehouse.load(f"report_{name}", df)
    secret = "pw" + uuid.uuid4().hex[:12]
    url = _with_password(warehouse.url, warehouse.database, secret)
    secret = urlsplit(url).password
    monkeypatch.delenv(report.CONNECTION_ENV, raising=False)
    extra = [x for k, v in {**DATES_PARAMS, **REVENUE_PARAMS,
                            "revenue_table": "report_usage", "nps_table": "report_nps"}.items()
             for x in ("-p", k, str(v))]
    status = report.make_report(connection=url, table="report_subscriptions",
                                out_dir=tmp_path, cwd=tmp_path, extra=extra)
    monkeypatch.delenv(report.CONNECTION_ENV, raising=False)
    assert status == 0
    notebook = (tmp_path / "report.ipynb").read_text()
    html = (tmp_path / "report.html").read_text()
    nb = json.loads(notebook)
    assert summary(nb) == summary(csv_report)
    assert "counted in postgres" in text(nb)
    assert secret not in notebook and secret not in html
    host = urlsplit(url).hostname
    assert f":***@{host}" in html                   # shown, masked (section 1 and 10)


def test_postgres_connection_with_a_password_in_the_parameters_cell_shows_it_masked(
        warehouse, tables, tmp_path):
    """papermill's API (or JupyterLab) with the password in the parameter: every output and
    the HTML show it masked (papermill's injected parameters cell holds what it was given,
    which is why make report hands the string over by the environment)."""
    for name, df in tables.items():
        if f"report_{name}" not in warehouse.frames:
            warehouse.load(f"report_{name}", df)
    url = _with_password(warehouse.url, warehouse.database, "pw" + uuid.uuid4().hex[:12])
    secret = urlsplit(url).password
    nb = run(tmp_path, connection=url, table="report_subscriptions", **DATES_PARAMS)
    assert secret not in text(nb)
    nb["cells"] = [c for c in nb["cells"] if "injected-parameters" not in
                   c.get("metadata", {}).get("tags", [])]
    nb["metadata"].pop("papermill", None)
    assert secret not in json.dumps(nb)
    from report_tools import html_report

    assert secret not in html_report(tmp_path, json.loads(json.dumps(nb)))
    assert "No revenue retention from one MRR per customer" in "\n".join(summary(nb)[1])


def test_wrong_table_name_lists_the_tables(files, tmp_path):
    _, db = files
    con = report.connect(f"duckdb://{db}")
    with pytest.raises(DataError) as e:
        report.open_table(con, "subscription", where="kpi.duckdb")
    msg = str(e.value)
    assert "no table 'subscription' in kpi.duckdb" in msg
    assert "Did you mean 'subscriptions'?" in msg
    assert "Tables it can see: 'nps', 'subscriptions', 'usage'." in msg
    err, nb = failed_run(tmp_path, connection=f"duckdb://{db}", table="subscriptionz",
                         **DATES_PARAMS)
    assert "DataError" in err and "Tables it can see" in err and "'subscriptions'" in err
    with pytest.raises(DataError, match="table: not given.*'subscriptions'"):
        report.open_sources(dict(report.DEFAULTS, connection=f"duckdb://{db}"))


def test_wrong_table_name_on_postgres(warehouse):
    url = _with_password(warehouse.url, warehouse.database, "pw-not-shown")
    with pytest.raises(DataError) as e:
        report.open_sources(dict(report.DEFAULTS, connection=url, table="b2b_acounts"))
    msg = str(e.value)
    assert "no table 'b2b_acounts'" in msg and "'b2b_accounts'" in msg
    assert "Did you mean 'b2b_accounts'" in msg and "pw-not-shown" not in msg


def test_an_ibis_table_from_python(files, tables):
    import ibis

    _, db = files
    t = ibis.duckdb.connect(str(db), read_only=True).table("subscriptions")
    src = report.open_sources(dict(report.DEFAULTS, table=t))
    assert src["customers"].kind == "table" and src["customers"].engine == "duckdb"
    assert not src["customers"].in_memory
    assert src["customers"].name == "subscriptions (a duckdb table)"
    rel = duckdb.connect(str(db), read_only=True).table("subscriptions")
    assert report.open_sources(dict(report.DEFAULTS, table=rel))["customers"].name == \
        "a duckdb table"


def test_mask_url_and_scrub():
    assert report.mask_url("postgresql://a:p%40ss@h:5432/d") == "postgresql://a:***@h:5432/d"
    assert report.mask_url("postgresql://a:x/y@h/d") == "postgresql://a:***@h/d"
    assert report.mask_url("snowflake://u@acct/DB?token=abc&role=R") == \
        "snowflake://u@acct/DB?token=***&role=R"
    assert report.mask_url("postgresql://h/d?user=a&password=s3") == \
        "postgresql://h/d?user=a&password=***"
    assert report.scrub("bad p@ss for a", "postgresql://a:p%40ss@h/d") == "bad *** for a"


def test_connection_errors_never_show_the_password(monkeypatch):
    with pytest.raises(DataError) as e:
        report.connect("postgresql://ana:TopSecret1@127.0.0.1:1/crm")
    assert "TopSecret1" not in str(e.value)
    assert "could not connect to postgresql://ana:***@127.0.0.1:1/crm" in str(e.value)
    monkeypatch.delenv("CS_TEST_NO_SUCH_URL", raising=False)
    with pytest.raises(DataError, match="environment variable CS_TEST_NO_SUCH_URL is not set"):
        report.connect("$CS_TEST_NO_SUCH_URL")
    monkeypatch.delenv(report.CONNECTION_ENV, raising=False)
    with pytest.raises(DataError, match="masked password"):
        report.connect("postgresql://ana:***@127.0.0.1:1/crm")
    with pytest.raises(DataError, match="DuckDB file not found"):
        report.connect("duckdb:///no/such/file.duckdb")
    with pytest.raises(DataError, match="not a connection string"):
        report.connect("my_database")


def test_environment_variable_and_hidden_password(files, monkeypatch):
    _, db = files
    monkeypatch.setenv("CS_TEST_REPORT_URL", f"duckdb://{db}")
    con = report.connect("$CS_TEST_REPORT_URL")
    assert "subscriptions" in report.list_tables(con)
    monkeypatch.delenv(report.CONNECTION_ENV, raising=False)
    args = report.hide_passwords(["-p", "connection", "postgresql://a:s3@h/d", "-p", "x", "1"])
    assert args == ["-p", "connection", "postgresql://a:***@h/d", "-p", "x", "1"]
    assert os.environ[report.CONNECTION_ENV] == "postgresql://a:s3@h/d"
    assert report._connection_text("postgresql://a:***@h/d") == "postgresql://a:s3@h/d"
    monkeypatch.delenv(report.CONNECTION_ENV)


def test_where_the_tables_come_from_is_checked(files):
    paths, db = files
    with pytest.raises(DataError, match="data_path and connection/table are both given"):
        report.open_sources(dict(report.DEFAULTS, data_path=paths["subscriptions"],
                                 connection=f"duckdb://{db}", table="subscriptions"))
    with pytest.raises(DataError, match="engine: 'duckdb' applies to files"):
        report.open_sources(dict(report.DEFAULTS, connection=f"duckdb://{db}",
                                 table="subscriptions", engine="duckdb"))
    with pytest.raises(DataError, match="revenue_table: 'usage' is a table name, but no "
                                        "connection"):
        report.open_sources(dict(report.DEFAULTS, data_path=paths["subscriptions"],
                                 revenue_table="usage"))


def test_nps_counted_in_the_engine_gives_the_pandas_summary(tables):
    answers = tables["nps"]
    rel = duckdb.from_df(answers)
    scores, who = report.nps_answers(rel, "score", "Customer ID")
    assert len(scores) == len(answers)
    a = cs.nps.summary(answers["score"], cluster=answers["Customer ID"])
    b = cs.nps.summary(scores, cluster=who)
    pd.testing.assert_series_equal(a.astype(float), b.astype(float), rtol=1e-12)


@pytest.mark.slow
def test_tenure_snapshot_from_a_duckdb_file_reads_as_from_csv(tmp_path):
    from report_tools import telco_snapshot

    df = telco_snapshot()
    df.to_csv(tmp_path / "telco.csv", index=False)
    con = duckdb.connect(str(tmp_path / "telco.duckdb"))
    con.register("frame", df)
    con.execute("CREATE TABLE telco AS SELECT * FROM frame")
    con.close()
    params = dict(id_col="customerID", tenure_col="tenure", churned_col="Churn", window=1,
                  segment_col="Contract", mrr_col="MonthlyCharges", currency="USD")
    from_csv = run(tmp_path, name="csv", data_path=str(tmp_path / "telco.csv"), **params)
    from_db = run(tmp_path, name="db", connection=f"duckdb://{tmp_path}/telco.duckdb",
                  table="telco", **params)
    assert summary(from_db) == summary(from_csv)
    assert len(summary(from_db)[0]) == 3          # churn, retention, LTV


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is missing")
def test_make_report_with_a_postgres_url_never_prints_its_password(warehouse, tables, tmp_path):
    import subprocess
    import sys

    for name, df in tables.items():
        if f"report_{name}" not in warehouse.frames:
            warehouse.load(f"report_{name}", df)
    url = _with_password(warehouse.url, warehouse.database, "pw" + uuid.uuid4().hex[:12])
    secret = urlsplit(url).password
    venv = Path(sys.prefix)
    root = Path(__file__).resolve().parent.parent
    args = " ".join(f"-p {k} '{v}'" for k, v in DATES_PARAMS.items())
    done = subprocess.run(
        ["make", "-s", "-C", str(root), "-o", str(venv / ".installed-stamp"), f"VENV={venv}",
         "report", f"CONNECTION={url}", "TABLE=report_subscriptions",
         f"REPORT_DIR={tmp_path}", f"ARGS={args}"], cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True,
        timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert secret not in done.stdout + done.stderr
    html = (tmp_path / "report.html").read_text()
    assert "400 customers analysed" in html
    assert secret not in html and secret not in (tmp_path / "report.ipynb").read_text()
