"""The analysts' template (notebooks/A2_your_own_data.ipynb) runs by papermill on differently
shaped tables, and refuses bad tables with the DataError message."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "notebooks" / "A2_your_own_data.ipynb"


def _table(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    life = rng.geometric(np.where(rng.random(n) < 0.5, 0.03, 0.08)) * 30
    end = start + pd.to_timedelta(life, unit="D")
    end = end.where(end <= pd.Timestamp("2025-12-31"))
    return pd.DataFrame({"Customer ID": [f"c{i}" for i in range(n)],
                         "Signed on": start.strftime("%Y-%m-%d"),
                         "Cancelled on": end.strftime("%Y-%m-%d"),
                         "Plan name": rng.choice(["Basic", "Pro"], n),
                         "Monthly fee": rng.choice([3000.0, 9000.0], n)})


def _run(tmp_path: Path, **params) -> dict:
    out = tmp_path / "report.ipynb"
    pm.execute_notebook(str(TEMPLATE), str(out), parameters=params, progress_bar=False,
                        cwd=str(tmp_path), kernel_name="python3")
    return json.loads(out.read_text())


def _text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            parts.append("".join(o.get("text", "")))
            for key in ("text/plain", "text/markdown"):
                parts.append("".join(o.get("data", {}).get(key, "")))
            parts.append(" ".join(o.get("traceback", [])) + o.get("evalue", ""))
    return "\n".join(parts)


def test_dates_form_with_spaces_in_column_names(tmp_path):
    path = tmp_path / "customers.csv"
    _table().to_csv(path, index=False)
    nb = _run(tmp_path, data_path=str(path), id_col="Customer ID", start_col="Signed on",
              end_col="Cancelled on", as_of="2025-12-31", segment_col="Plan name",
              mrr_col="Monthly fee")
    text = _text(nb)
    assert "400 customers analysed" in text and "Pooled monthly churn" in text
    assert "Highest LTV" in text and "Log-rank" in text


def test_tenure_form_with_yes_no_flags_and_no_id_column(tmp_path):
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"tenure": rng.integers(0, 72, 300),
                       "Churn": rng.choice(["Yes", "No"], 300),
                       "Contract": rng.choice(["Month-to-month", "One year"], 300),
                       "MonthlyCharges": rng.uniform(20, 100, 300).round(2)})
    path = tmp_path / "telco.csv"
    df.to_csv(path, index=False)
    nb = _run(tmp_path, data_path=str(path), id_col=None, tenure_col="tenure",
              churned_col="Churn", segment_col="Contract", mrr_col="MonthlyCharges")
    text = _text(nb)
    assert "300 customers analysed" in text and "no churn by month" in text


def test_one_zero_flags_without_segments_or_revenue(tmp_path):
    df = pd.DataFrame({"months": [1, 5, 9, 12, 3, 30], "left": [1, 0, 1, 0, 0, 1]})
    path = tmp_path / "small.csv"
    df.to_csv(path, index=False)
    text = _text(_run(tmp_path, data_path=str(path), id_col=None, tenure_col="months",
                      churned_col="left", segment_col=None, mrr_col=None))
    assert "6 customers analysed" in text and "LTV skipped" in text


@pytest.mark.parametrize("change, words", [
    (lambda d: d.assign(**{"Cancelled on": "2020-01-01"}),
     ["end date must not be before its start date", "Cancelled on"]),
    (lambda d: d.drop(columns="Signed on"), ["'Signed on'", "required column missing"]),
    (lambda d: pd.concat([d, d.head(2)]), ["ids must be unique", "c0"]),
])
def test_bad_tables_stop_with_the_data_error(tmp_path, change, words):
    path = tmp_path / "bad.csv"
    change(_table()).to_csv(path, index=False)
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, data_path=str(path), id_col="Customer ID", start_col="Signed on",
             end_col="Cancelled on", as_of="2025-12-31", segment_col="Plan name",
             mrr_col="Monthly fee")
    assert "DataError" in str(err.value)
    for w in words:
        assert w in str(err.value)


def test_parquet_input(tmp_path):
    path = tmp_path / "customers.parquet"
    _table(n=200).to_parquet(path)
    text = _text(_run(tmp_path, data_path=str(path), id_col="Customer ID",
                      start_col="Signed on", end_col="Cancelled on", as_of="2025-12-31",
                      segment_col="Plan name", mrr_col="Monthly fee"))
    assert "200 customers analysed" in text


def test_duckdb_engine_gives_the_same_report(tmp_path):
    path = tmp_path / "customers.parquet"
    _table(n=300).to_parquet(path)
    kw = dict(data_path=str(path), id_col="Customer ID", start_col="Signed on",
              end_col="Cancelled on", as_of="2025-12-31", segment_col="Plan name",
              mrr_col="Monthly fee")
    pandas_text = _text(_run(tmp_path, **kw))
    duck_text = _text(_run(tmp_path, engine="duckdb", **kw))
    assert "(duckdb): 300 rows; 300 customers analysed" in duck_text
    summary = [t for t in duck_text.split("\n") if t.startswith("- ")]
    assert summary and summary == [t for t in pandas_text.split("\n") if t.startswith("- ")]


def test_duckdb_engine_tenure_form_and_bad_table(tmp_path):
    df = pd.DataFrame({"months": [1, 5, 9, 12, 3, 30], "left": ["yes", "no", "yes", "no",
                                                                 "no", "yes"]})
    path = tmp_path / "small.csv"
    df.to_csv(path, index=False)
    text = _text(_run(tmp_path, data_path=str(path), engine="duckdb", id_col=None,
                      tenure_col="months", churned_col="left", segment_col=None, mrr_col=None))
    assert "6 customers analysed" in text and "no churn by month" in text
    bad = tmp_path / "bad.csv"
    _table().assign(**{"Cancelled on": "2020-01-01"}).to_csv(bad, index=False)
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, data_path=str(bad), engine="duckdb", id_col="Customer ID",
             start_col="Signed on", end_col="Cancelled on", as_of="2025-12-31",
             segment_col="Plan name", mrr_col="Monthly fee")
    assert "DataError" in str(err.value)
    assert "Column 'Cancelled on': an end date must not be before its start date" in str(
        err.value)


def test_spark_engine_report(tmp_path):
    import os
    import shutil

    try:
        import pyspark  # noqa: F401
        ok = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    except ImportError:
        ok = False
    if not ok:
        if os.environ.get("CS_HELPERS_REQUIRE_SPARK", "") == "1":
            pytest.fail("CS_HELPERS_REQUIRE_SPARK=1 but pyspark or Java is missing.")
        pytest.skip("pyspark or Java is missing")
    path = tmp_path / "customers.csv"
    _table(n=250).to_csv(path, index=False)
    text = _text(_run(tmp_path, data_path=str(path), engine="spark", id_col="Customer ID",
                      start_col="Signed on", end_col="Cancelled on", as_of="2025-12-31",
                      segment_col="Plan name", mrr_col="Monthly fee"))
    assert "(spark): 250 rows; 250 customers analysed" in text and "Highest LTV" in text
