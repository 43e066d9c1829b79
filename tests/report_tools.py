"""Shared helpers for the report tests (tests/test_report*.py): run the A2 template by papermill,
read its outputs, build the HTML report, and the small tables the tests feed it."""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "notebooks" / "A2_your_own_data.ipynb"


def run(tmp_path: Path, name: str = "report", **params) -> dict:
    """Execute the template with ``params``; return the executed notebook (a dict).

    papermill's log is captured: a warning in it (a parameter it cannot parse, an unknown
    parameter) fails the run, since `make report` would print it to the user.
    """
    out = tmp_path / f"{name}.ipynb"
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.WARNING)
    logger = logging.getLogger("papermill")
    logger.addHandler(handler)
    try:
        pm.execute_notebook(str(TEMPLATE), str(out), parameters=params, progress_bar=False,
                            cwd=str(tmp_path), kernel_name="python3")
    finally:
        logger.removeHandler(handler)
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert not warnings, f"papermill warned: {warnings}"
    return json.loads(out.read_text())


def failed_run(tmp_path: Path, **params) -> tuple[str, dict]:
    """Execute the template expecting a failure; return the error text and the notebook."""
    out = tmp_path / "failed.ipynb"
    try:
        pm.execute_notebook(str(TEMPLATE), str(out), parameters=params, progress_bar=False,
                            cwd=str(tmp_path), kernel_name="python3")
    except pm.PapermillExecutionError as exc:
        return str(exc), json.loads(out.read_text())
    raise AssertionError("the report ran to the end, but a DataError was expected")


def outputs(nb: dict) -> list[dict]:
    """Every output of every code cell, in order."""
    return [o for cell in nb["cells"] if cell["cell_type"] == "code"
            for o in cell.get("outputs", [])]


def text(nb: dict) -> str:
    """The text of every output (plain text, Markdown, stream and error text)."""
    parts = []
    for o in outputs(nb):
        parts.append("".join(o.get("text", "")))
        for key in ("text/plain", "text/markdown"):
            parts.append("".join(o.get("data", {}).get(key, "")))
        parts.append(" ".join(o.get("traceback", [])) + o.get("evalue", ""))
    return "\n".join(parts)


def summary(nb: dict) -> tuple[list[str], list[str]]:
    """The report's headline bullets and its "what limits this reading" bullets."""
    for o in outputs(nb):
        md = "".join(o.get("data", {}).get("text/markdown", ""))
        if md.startswith("# Customer KPI report"):
            head, _, limits = md.partition("### What limits this reading")
            return ([x for x in head.split("\n") if x.startswith("- ")],
                    [x for x in limits.split("\n") if x.startswith("- ")])
    raise AssertionError("no summary in the report")


def figures(nb: dict) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(nb))


def results_before_error(nb: dict) -> list[dict]:
    """Outputs shown before the failing cell (a report must show none before it stops)."""
    shown = []
    for o in outputs(nb):
        if o.get("output_type") == "error":
            break
        shown.append(o)
    return shown


def html_report(tmp_path: Path, nb: dict, name: str = "report") -> str:
    """The HTML report (`python -m cs_helpers.report html`) of an executed notebook."""
    from cs_helpers import report

    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps(nb))
    return report.to_html(path).read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every element of a page: (tag, attributes) in order, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)


def parse(html: str) -> Elements:
    page = Elements()
    page.feed(html)
    return page


def assert_no_code(html: str) -> None:
    """The HTML report shows no code (no input area, no highlighted source) and no script."""
    page = parse(html)
    classes = [(a.get("class") or "").split() for _, a in page.elements]
    assert not [c for c in classes if "highlight" in c or "jp-Editor" in c]
    assert all("jp-mod-noInput" in c for c in classes if "jp-CodeCell" in c)
    assert "report.check_parameters(" not in html
    assert not [t for t, _ in page.elements if t == "script"]


def subscriptions(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """A dates-form table with spaces in its column names (start, end, plan, MRR)."""
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


DATES_PARAMS = dict(id_col="Customer ID", start_col="Signed on", end_col="Cancelled on",
                    as_of="2025-12-31", segment_col="Plan name", mrr_col="Monthly fee")


def telco_snapshot(n_total: int = 6000, window: int = 1, months: int = 72,
                   seed: int = 11) -> pd.DataFrame:
    """A Telco-style snapshot: customers active at the start of a ``window``-month observation
    window (or joining in it), with their tenure in whole months at its end (or at churn) and
    a Yes/No flag for leaving during the window, by contract type; churn falls with tenure."""
    rng = np.random.default_rng(seed)
    start = rng.integers(0, months, n_total)                       # month joined
    contract = rng.choice(["Month-to-month", "One year", "Two year"], n_total, p=[.5, .3, .2])
    base = np.select([contract == "Month-to-month", contract == "One year"], [0.06, 0.02], 0.008)
    life = np.zeros(n_total, dtype=int)
    for i in range(n_total):                                       # hazard falls with tenure
        t = 0
        while True:
            t += 1
            if rng.random() < base[i] * (1.6 if t <= 3 else 1.0) or t > 400:
                break
        life[i] = t
    end = start + life                                              # month left
    snap = months                                                   # end of the window
    present = (end > snap - window)                                 # active at window start
    churned = present & (end <= snap)
    tenure = np.where(churned, life, snap - start)
    keep = present & (tenure >= 0)
    df = pd.DataFrame({"customerID": [f"{i:04d}-TEL" for i in range(n_total)],
                       "tenure": tenure, "Churn": np.where(churned, "Yes", "No"),
                       "Contract": contract,
                       "MonthlyCharges": rng.uniform(20, 110, n_total).round(2)})
    return df[keep].reset_index(drop=True)
