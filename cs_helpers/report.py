"""Building the analysts' KPI report (notebook A2, ``make report``).

The template computes its numbers with the rest of ``cs_helpers``; this module holds what is
particular to a report that someone else will read:

- **escaping**: :func:`esc` makes any value from the user's table (a plan name, a column name,
  a file name, an id in a note) safe to place in Markdown, so that a label such as
  ``<img src=x onerror=alert(1)>`` or ``**bold**`` is shown as the text it is and never becomes
  markup; :func:`plot_label` does the same for matplotlib (``$...$`` would be typeset as math);
  :func:`table` displays a DataFrame as escaped HTML;
- **formatting** for a reader: :func:`money` (with the currency), :func:`percent`,
  :func:`months` ("not reached" instead of ``inf``), :func:`p_value`;
- **where the tables come from**: :func:`open_sources` opens a file, a table on a database
  connection (:func:`connect`: ``postgresql://...``, ``duckdb:///file.duckdb``, ``$ENV_VAR``;
  :func:`open_table` lists the tables when a name is wrong) or a table object passed from
  Python; a database table is never loaded, its counting runs in the database
  (:func:`nps_answers` counts NPS answers there). A password in a connection string is never
  shown: :func:`mask_url` and :func:`scrub` mask it, :func:`hide_passwords` keeps it out of
  papermill's parameters;
- **the parameters** of the template: :func:`check_parameters` checks them against the table's
  columns and raises ONE :class:`cs_helpers.DataError` that lists every problem, with near
  matches;
- **numbers the report shows** that no other module computes: :func:`rate_interval`
  (uncertainty of a churn rate), :func:`retention_at` (a Kaplan-Meier value with its interval),
  :func:`life_table` (churn by month of customer life, read from a Kaplan-Meier curve) and
  :func:`mrr_churn_from_dates` (MRR churn and 12-month revenue retention from a table of start
  and end dates with one MRR per customer);
- **the HTML export** without code: :func:`to_html` (also ``python -m cs_helpers.report html
  reports/report.ipynb``), with no script at all in the page; ``python -m cs_helpers.report
  run ...`` runs papermill and ends a failed run with the error message only.

Examples
--------
>>> esc("<b>Pro</b> **plan**")
'&lt;b&gt;Pro&lt;/b&gt; \\\\*\\\\*plan\\\\*\\\\*'
>>> money(1234567, "JPY"), money(64.5, "USD"), percent(0.01849), months(float("inf"))
('¥1,234,567', '$64.50', '1.8%', 'not reached')
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import errors, labels
from .errors import DataError
from .i18n import get_language
from .sentences import Sentence, say

__all__ = ["NOT_GIVEN", "esc", "plot_label", "table", "money", "percent", "months", "p_value",
           "check_parameters", "read", "rate_interval", "retention_at", "life_table",
           "mrr_churn_from_dates", "plot_curves", "to_html", "Notes", "PARAMETERS",
           "DEFAULTS", "COURSE", "course_defaults", "ltv_with_band", "Revenue",
           "revenue_from_table", "revenue_from_dates", "revenue_sentence", "check_segments",
           "MAX_SEGMENTS", "run_papermill", "mask_url", "scrub", "connect", "list_tables",
           "open_table", "Source", "open_sources", "nps_answers", "CONNECTION_ENV",
           "hide_passwords", "make_report", "default_template"]

#: The template's value for a parameter that was not given (``None`` means "no such column").
NOT_GIVEN = ""

# --------------------------------------------------------------------------------------------
# escaping
# --------------------------------------------------------------------------------------------

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
# Markdown's punctuation (CommonMark lets any ASCII punctuation be backslash-escaped), plus
# ':' '@' and '.' so that no URL or e-mail address becomes a link, and '$' so that nothing is
# typeset as math.
_MARKDOWN = set("\\`*_{}[]()#+-.!|~:@$=^")


def esc(value: Any) -> str:
    """``value`` as text that Markdown (and the HTML it becomes) shows literally.

    HTML's special characters become entities (``<`` -> ``&lt;``), Markdown's punctuation is
    backslash-escaped (``*`` -> ``\\*``), and line breaks become spaces (a new line could start
    a heading or a list). Use it on every value that comes from the user's table or files
    before it goes into ``Markdown(...)``.

    Examples
    --------
    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert\\\\(1\\\\)&lt;/script&gt;'
    >>> esc("Pro\\n# plan")
    'Pro \\\\# plan'
    >>> esc(12.5)
    '12\\\\.5'
    """
    text = " ".join(str(value).split())
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _MARKDOWN:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def plot_label(value: Any) -> str:
    """``value`` as a matplotlib label that is drawn as written.

    ``$`` is escaped (matplotlib would typeset ``$x$`` as math, and an odd number of ``$``
    fails), and a leading ``_`` is kept visible (matplotlib hides legend entries whose label
    starts with ``_``).

    Examples
    --------
    >>> plot_label("$5 plan"), plot_label("_internal")
    ('\\\\$5 plan', '\\u200b_internal')
    """
    text = " ".join(str(value).split()).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


class _Table:
    """A DataFrame shown as escaped HTML (``to_html(escape=True)``) and as plain text."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def _repr_html_(self) -> str:
        # labels in the language in effect (cs_helpers.labels); English: pandas' to_html itself
        return labels.to_html(self.frame, escape=True, na_rep=say("n/a"), border=0,
                              classes="dataframe")

    def __repr__(self) -> str:
        return self.frame.to_string(na_rep=say("n/a"))


def table(frame: pd.DataFrame | pd.Series) -> _Table:
    """Display ``frame`` with every label and value escaped (``display(report.table(df))``).

    Examples
    --------
    >>> "&lt;b&gt;" in table(pd.DataFrame({"plan": ["<b>x</b>"]}))._repr_html_()
    True
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    return _Table(frame)


# --------------------------------------------------------------------------------------------
# formatting for a reader
# --------------------------------------------------------------------------------------------

_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "KRW": "₩",
            "INR": "₹"}
#: Currencies whose amounts are written without decimals.
ZERO_DECIMALS = {"JPY", "KRW", "VND", "CLP", "ISK"}


def money(value: Any, currency: str = "JPY", *, compact: bool = False) -> str:
    """An amount with its currency, rounded for reading: ``'¥1,234,567'``, ``'$64.50'``.

    No decimals for currencies without minor units (JPY, KRW...) and for amounts of 1,000 or
    more; two below that. Unknown codes follow the amount (``'1,250 CHF'``). NaN is ``'n/a'``.
    ``compact=True`` (for axis ticks) writes thousands, millions and billions as k, M, B.

    Examples
    --------
    >>> money(93.456, "EUR"), money(12500, "USD"), money(99.5, "CHF"), money(float("nan"))
    ('€93.46', '$12,500', '99.50 CHF', 'n/a')
    >>> money(2_500_000, compact=True), money(750, "USD", compact=True)
    ('¥2.5M', '$750')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return say("n/a")
    if not math.isfinite(v):
        return say("n/a")
    code = str(currency).upper()
    decimals = 0 if code in ZERO_DECIMALS or abs(v) >= 1000 else 2
    number = f"{abs(v):,.{decimals}f}"
    if compact:
        number = f"{abs(v):,.0f}" if abs(v) < 1000 else ""
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if not number and abs(v) >= size:
                number = f"{abs(v) / size:.3g}{suffix}"
    sign = "-" if v < 0 else ""
    if code in _SYMBOLS:
        return f"{sign}{_SYMBOLS[code]}{number}"
    return f"{sign}{number} {code}"


def percent(value: Any, decimals: int = 1) -> str:
    """A fraction as a percentage (``0.0185`` -> ``'1.9%'``); NaN or None is ``'n/a'``.

    Examples
    --------
    >>> percent(0.01849, 2), percent(None)
    ('1.85%', 'n/a')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return say("n/a")
    return say("n/a") if not math.isfinite(v) else f"{v:.{decimals}%}"


def months(value: Any, decimals: int = 1) -> str:
    """A duration in months; ``inf`` (a median the curve never reached) is ``'not reached'``.

    Examples
    --------
    >>> months(38), months(float("inf")), months(float("nan"))
    ('38.0 months', 'not reached', 'n/a')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return say("n/a")
    if math.isinf(v) and v > 0:
        return say("not reached")
    if not math.isfinite(v):
        return say("n/a")
    return say(f"{v:.{decimals}f} months")


def p_value(p: float) -> str:
    """A p-value for reading: ``'< 0.001'`` below 0.001 (tiny values underflow to 0).

    Examples
    --------
    >>> p_value(0.0234), p_value(0.0)
    ('0.023', '< 0.001')
    """
    if not np.isfinite(p):
        return say("n/a")
    return "< 0.001" if p < 0.001 else f"{p:.2g}"


# --------------------------------------------------------------------------------------------
# the template's parameters
# --------------------------------------------------------------------------------------------

#: The template's parameters, in the order of its parameters cell, with what each one is (the
#: report echoes them in its last section; a test keeps this list and the cell in step). Each
#: meaning is a :class:`~cs_helpers.sentences.Sentence`: English as a value, shown in the
#: language in effect.
PARAMETERS = {name: Sentence(meaning) for name, meaning in {
    "data_path": "the customers table (CSV, Parquet or Excel)",
    "connection": "database connection string (password masked), instead of data_path",
    "table": "the customers table in that database",
    "engine": "where the counting ran (pandas, duckdb or spark)",
    "encoding": "CSV text encoding (None: detected)",
    "sep": "CSV separator (None: detected)",
    "sheet": "Excel sheet (None: the first)",
    "decimal": "decimal mark of numbers in a CSV ('.' or ',')",
    "id_col": "customer id column (None: the table has none)",
    "start_col": "dates form: start date column",
    "end_col": "dates form: end date column (empty while active)",
    "as_of": "the date the data describe (None: the latest date in the table)",
    "date_format": "how the dates are written, when they could be read two ways",
    "dayfirst": "slashed dates read day first (True) or month first (False)",
    "observed_from": "dates form: the date the export starts",
    "tenure_col": "tenure form: tenure column",
    "churned_col": "tenure form: churn flag column",
    "tenure_unit": "tenure form: unit of the tenure",
    "window": "tenure form: months (in tenure_unit) the churn flag covers; 'all' for a full "
              "history",
    "segment_col": "column the segments are compared by",
    "mrr_col": "monthly revenue per customer",
    "currency": "currency of the revenue",
    "gross_margin": "share of revenue kept after the cost of serving (LTV)",
    "discount_rate": "annual discount rate (LTV)",
    "horizon_months": "months of lifetime valued in LTV",
    "revenue_path": "monthly revenue table (one row per customer and month)",
    "revenue_id_col": "its customer id column (default: id_col)",
    "revenue_month_col": "its month column",
    "revenue_mrr_col": "its revenue column",
    "revenue_table": "monthly revenue table in the database",
    "nps_path": "NPS answers table",
    "nps_table": "NPS answers table in the database",
    "score_col": "its 0-10 answer column",
    "nps_cluster_col": "its customer id column (answers from one customer grouped)",
    "show_code": "code shown in the HTML report",
}.items()}

#: The template's default values (its parameters cell; a test keeps the two in step).
DEFAULTS = {"data_path": None, "connection": None, "table": None, "engine": "pandas",
            "encoding": None, "sep": None, "sheet": None, "decimal": ".",
            "id_col": NOT_GIVEN, "start_col": NOT_GIVEN, "end_col": NOT_GIVEN,
            "as_of": NOT_GIVEN, "date_format": None, "dayfirst": None, "observed_from": None,
            "tenure_col": NOT_GIVEN, "churned_col": NOT_GIVEN, "tenure_unit": "months",
            "window": None, "segment_col": NOT_GIVEN, "mrr_col": NOT_GIVEN, "currency": "JPY",
            "gross_margin": 0.8, "discount_rate": 0.08, "horizon_months": 60,
            "revenue_path": NOT_GIVEN, "revenue_id_col": NOT_GIVEN,
            "revenue_month_col": NOT_GIVEN, "revenue_mrr_col": NOT_GIVEN,
            "revenue_table": NOT_GIVEN, "nps_path": NOT_GIVEN, "nps_table": NOT_GIVEN,
            "score_col": NOT_GIVEN, "nps_cluster_col": NOT_GIVEN,
            "show_code": False}

#: What fills the parameters that were not given when the template runs on the course data
#: (``data_path=None``): the simulated B2B accounts, their monthly revenue and NPS answers.
COURSE = {"data_path": "b2b_accounts.csv", "id_col": "account_id", "start_col": "start_date",
          "end_col": "end_date", "as_of": "2026-09-30", "segment_col": "plan",
          "mrr_col": "mrr", "revenue_path": "b2b_usage_monthly.csv",
          "revenue_id_col": "account_id", "revenue_month_col": "month",
          "revenue_mrr_col": "mrr", "nps_path": "b2b_nps.csv", "score_col": "score",
          "nps_cluster_col": "account_id"}


def course_defaults(params: Mapping[str, Any], data_dir: str | Path) -> dict[str, Any]:
    """``params`` with what was not given (``""``) filled from :data:`COURSE`, the paths in
    ``data_dir`` (the course's ``data/`` folder: ``cs.datasets.data_dir()``); used only when no
    ``data_path`` is given. The folder is an argument so that the library never imports the
    course package.

    Examples
    --------
    >>> p = course_defaults({"data_path": None, "id_col": "", "segment_col": None}, "data")
    >>> p["id_col"], p["segment_col"], Path(p["data_path"]).as_posix()
    ('account_id', None, 'data/b2b_accounts.csv')
    """
    out = dict(params)
    for name, value in COURSE.items():
        if name == "data_path" or out.get(name, NOT_GIVEN) == NOT_GIVEN:
            out[name] = (str(Path(data_dir) / value) if name.endswith("_path")
                         else value)
    return out


#: What each column parameter is, for messages.
COLUMN_PARAMETERS = {
    "id_col": "the customer id column",
    "start_col": "the start date column (dates form)",
    "end_col": "the end date column, empty while active (dates form)",
    "tenure_col": "the tenure column (tenure form)",
    "churned_col": "the churn flag column, Yes/No or 1/0 (tenure form)",
    "segment_col": "a column to compare segments by (plan, size...)",
    "mrr_col": "monthly revenue per customer",
}

# words that suggest a column for a parameter that was not given
_LOOKS_LIKE = {
    "id_col": ("id", "customer", "account", "client", "member", "number", "code", "顧客",
               "会員", "番号", "コード"),
    "start_col": ("start", "sign", "creat", "join", "begin", "since", "開始", "契約日", "入会",
                  "登録"),
    "end_col": ("end", "cancel", "churn date", "closed", "stop", "終了", "解約", "退会"),
    "tenure_col": ("tenure", "month", "length", "duration", "year", "期間", "継続", "月数"),
    "churned_col": ("churn", "exit", "left", "status", "cancel", "active", "解約", "退会"),
    "revenue_month_col": ("month", "date", "period", "月", "日"),
    "revenue_mrr_col": ("mrr", "revenue", "amount", "fee", "charge", "billing", "売上", "金額",
                        "料金"),
    "score_col": ("score", "nps", "answer", "rating", "recommend", "評価", "点"),
}
_LOOKS_LIKE["revenue_id_col"] = _LOOKS_LIKE["nps_cluster_col"] = _LOOKS_LIKE["id_col"]


def _squash(name: Any) -> str:
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def _near(name: str, columns: Sequence[Any]) -> str:
    """A hint naming the column(s) ``name`` probably meant, or ''."""
    squashed = {_squash(c): c for c in columns}
    if _squash(name) in squashed:
        return f" Did you mean {squashed[_squash(name)]!r} (differs in case or spaces)?"
    close = difflib.get_close_matches(str(name), [str(c) for c in columns], n=2, cutoff=0.7)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _looks_like(param: str, columns: Sequence[Any]) -> list[str]:
    words = _LOOKS_LIKE.get(param, ())
    found = [str(c) for c in columns if any(w in str(c).casefold() for w in words)]
    return found[:4]


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and value == NOT_GIVEN)


def check_parameters(params: Mapping[str, Any], columns: Sequence[Any], *,
                     source: str = "the table",
                     tables: Mapping[str, tuple[str, Sequence[Any]]] | None = None
                     ) -> dict[str, Any]:
    """Check the template's parameters against its tables; ONE message for every problem.

    ``params`` holds the template's parameters (:data:`PARAMETERS`); a column parameter is
    ``""`` (:data:`NOT_GIVEN`) when the user did not give it, ``None`` when the user said the
    table has no such column. The form is the **tenure form** when ``tenure_col`` or
    ``churned_col`` is given, the **dates form** otherwise. Required: ``id_col`` (a column, or
    None: the table has no ids), then ``start_col`` and ``end_col`` (dates form) or
    ``tenure_col`` and ``churned_col`` (tenure form); with a revenue table its month and
    revenue columns (its id column defaults to ``id_col`` when the table has it); with an NPS
    table its score column. Optional columns not given become ``None``. A column name given as
    a number (papermill reads ``-p segment_col 2024`` as the number 2024) is matched as text.
    The other parameters are checked too (unit, window, rates, flags, engine).

    Parameters
    ----------
    params : mapping
        The parameters.
    columns : sequence
        The customers table's columns.
    source : str
        The customers table's name, for the message.
    tables : mapping, optional
        ``{"revenue": (name, columns), "nps": (name, columns)}`` for the other tables given.

    Returns
    -------
    dict
        ``params`` with the column names resolved, plus ``form`` (``"dates"`` or
        ``"tenure"``).

    Raises
    ------
    DataError
        One message listing every required parameter that is missing, every name that is not
        a column (with near matches: a name that differs only in case or spaces, such as
        ``'Subscription  Length'``, is pointed out) and every other bad value, then the
        table's columns and how to say that a column does not exist (``-p id_col None``).

    Examples
    --------
    >>> cols = ["Customer ID", "Signed", "Subscription  Length", "Churn"]
    >>> check_parameters({"id_col": "", "tenure_col": "subscription length",
    ...                   "churned_col": "Churn"}, cols, source="my data.csv")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: The report needs these parameters for my data.csv (tenure form: a tenure and a churn flag):
      - id_col: not given: the customer id column; e.g. -p id_col 'Customer ID' (columns that look like it: 'Customer ID'), or -p id_col None if the table has no id column.
      - tenure_col: 'subscription length' is not a column of my data.csv. Did you mean 'Subscription  Length' (differs in case or spaces)?
    Columns of my data.csv: 'Customer ID', 'Signed', 'Subscription  Length', 'Churn'.
    Pass each with -p name value (quote names with spaces: -p id_col 'Customer ID'; use -r instead of -p for a name that looks like a number). Optional columns may be left out or set to None.
    """
    from .lifetimes import TENURE_UNITS

    out = {name: params.get(name, DEFAULTS[name]) for name in PARAMETERS}
    out.update({k: v for k, v in params.items() if k not in out})
    problems: list[str] = []
    tables = dict(tables or {})
    # which table each column parameter belongs to, and whether it is required
    tenure = _given(out["tenure_col"]) or _given(out["churned_col"])
    dates = _given(out["start_col"]) or _given(out["end_col"])
    form = "tenure" if tenure else "dates"
    if tenure and dates:
        problems.append("start_col/end_col and tenure_col/churned_col are both given: a table "
                        "is in the dates form (start and end dates) or in the tenure form (a "
                        "tenure and a churn flag); give the pair that fits.")
    main = (source, list(columns))
    if not tenure and not dates:
        def alike(name: str) -> str:
            found = _looks_like(name, main[1])
            return f" such as {', '.join(repr(c) for c in found)}" if found else ""
        problems.append("the form is not given: pass start_col and end_col (a start date"
                        f"{alike('start_col')} and an end date{alike('end_col')} per customer) "
                        f"or tenure_col and churned_col (a tenure{alike('tenure_col')} and a "
                        f"churn flag{alike('churned_col')}, as in a snapshot table).")
    checks: list[tuple[str, tuple[str, list], bool]] = [
        ("id_col", main, True), ("start_col", main, not tenure and dates),
        ("end_col", main, not tenure and dates), ("tenure_col", main, tenure),
        ("churned_col", main, tenure), ("segment_col", main, False),
        ("mrr_col", main, False)]
    if not tenure:
        checks = [c for c in checks if c[0] not in ("tenure_col", "churned_col")]
    elif not dates:
        checks = [c for c in checks if c[0] not in ("start_col", "end_col")]
    if "revenue" in tables:
        rev = (tables["revenue"][0], list(tables["revenue"][1]))
        if (out["revenue_id_col"] == NOT_GIVEN and isinstance(out["id_col"], str)
                and out["id_col"] in rev[1]):
            out["revenue_id_col"] = out["id_col"]
        checks += [("revenue_id_col", rev, True), ("revenue_month_col", rev, True),
                   ("revenue_mrr_col", rev, True)]
    if "nps" in tables:
        nps = (tables["nps"][0], list(tables["nps"][1]))
        checks += [("score_col", nps, True), ("nps_cluster_col", nps, False)]
    for name, (where, cols), required in checks:
        value = out[name]
        text_cols = {str(c): c for c in cols}
        if _given(value) and not isinstance(value, str):
            value = text_cols.get(str(value), str(value))   # -p col 2024 comes as a number
            out[name] = value
        if value == NOT_GIVEN:
            if required:
                problems.append(_not_given(name, where, cols, main[0]))
            else:
                out[name] = None
        elif value is None:
            if required and name not in ("id_col",):
                problems.append(f"{name}: None, but {where} needs this column "
                                f"({PARAMETERS[name].english}).")
        elif value not in cols:
            problems.append(f"{name}: {value!r} is not a column of {where}."
                            f"{_near(value, cols)}")
    for name in PARAMETERS:            # columns of tables that were not given: not used
        if name not in {c[0] for c in checks} and name.endswith("_col") and \
                out[name] == NOT_GIVEN:
            out[name] = None
    problems += _other_problems(out, form, tenure or dates, TENURE_UNITS)
    if problems and len(main[1]) == 1:
        only = str(main[1][0])
        sep = next((c for c in (";", "\t", "|", ",") if c in only), None)
        if sep is not None:
            shown = "tab" if sep == "\t" else repr(sep)
            problems.insert(0, f"the table has one column whose name contains {shown}: it was "
                               f"read with the wrong separator; pass -p sep {shown}.")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        what = ("tenure form: a tenure and a churn flag" if tenure else
                "dates form: start and end dates" if dates else "no form chosen yet")
        listed = [main] + [(t[0], list(t[1])) for t in tables.values()]
        cols_text = "\n".join(f"Columns of {name}: {_columns_text(cols)}."
                              for name, cols in listed)
        raise DataError(
            f"The report needs these parameters for {source} ({what}):\n{lines}\n"
            f"{cols_text}\n"
            "Pass each with -p name value (quote names with spaces: -p id_col 'Customer ID'; "
            "use -r instead of -p for a name that looks like a number). Optional columns "
            "may be left out or set to None.")
    out = {k: (None if isinstance(v, str) and v == NOT_GIVEN else v) for k, v in out.items()}
    out["form"] = form
    return out


def _columns_text(cols: Sequence[Any]) -> str:
    shown = ", ".join(repr(c) for c in list(cols)[:40])
    return shown + (f", … ({len(cols)} columns)" if len(cols) > 40 else "")


def _not_given(name: str, where: str, cols: Sequence[Any], main: str) -> str:
    alike = _looks_like(name, cols)
    example = repr(alike[0]) if alike else "'...'"
    seen = (f" (columns that look like it: {', '.join(repr(c) for c in alike)})"
            if alike else "")
    none = (", or -p id_col None if the table has no id column" if name == "id_col" else "")
    place = "" if where == main else f" of {where}"
    what = COLUMN_PARAMETERS.get(name, PARAMETERS[name].english)
    return f"{name}: not given: {what}{place}; e.g. -p {name} {example}{seen}{none}."


def _other_problems(p: dict[str, Any], form: str, chosen: bool, units: Any) -> list[str]:
    from .engines import ENGINES

    problems = []
    if p["engine"] not in ENGINES:
        problems.append(f"engine: {p['engine']!r} is not one of {', '.join(ENGINES)}.")
    if p["tenure_unit"] not in units:
        problems.append(f"tenure_unit: {p['tenure_unit']!r} is not one of "
                        f"{', '.join(units)}.")
    if chosen and form == "dates":
        if p["window"] is not None:
            problems.append("window: applies to the tenure form (a snapshot's observation "
                            "window); for a dates table exported from a date on, pass "
                            "observed_from.")
        if p["tenure_unit"] != "months":
            problems.append("tenure_unit: applies to the tenure form only.")
    if chosen and form == "tenure" and p["observed_from"] is not None:
        problems.append("observed_from: applies to the dates form; for a snapshot table pass "
                        "window (the months the churn flag covers).")
    if form == "tenure" and p["window"] is not None and p["window"] != "all":
        try:
            ok = float(p["window"]) > 0 and math.isfinite(float(p["window"]))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(f"window: {p['window']!r} is not a number of {p['tenure_unit']} "
                            "above 0 (or 'all').")
    for name in ("dayfirst",):
        if p[name] not in (None, True, False):
            problems.append(f"{name}: pass True, False or None; got {p[name]!r}.")
    if p["decimal"] not in (".", ","):
        problems.append(f"decimal: pass '.' or ','; got {p['decimal']!r}.")
    if not isinstance(p["show_code"], bool) and str(p["show_code"]).lower() not in (
            "true", "false"):
        problems.append(f"show_code: pass True or False; got {p['show_code']!r}.")
    currency = p["currency"]
    if not (isinstance(currency, str) and currency.isalpha() and len(currency) == 3):
        problems.append(f"currency: pass a three-letter code such as JPY, USD or EUR; got "
                        f"{currency!r}.")
    for name, zero in (("gross_margin", False), ("discount_rate", True)):
        try:
            errors.check_fraction(p[name], name, allow_zero=zero)
        except (DataError, TypeError, ValueError) as exc:
            problems.append(str(exc))
    h = p["horizon_months"]
    if isinstance(h, bool) or not isinstance(h, (int, float)) or not h >= 1 or \
            not float(h).is_integer():
        problems.append(f"horizon_months: pass a whole number of months, at least 1 (e.g. 60); "
                        f"got {h!r}.")
    return problems


#: Most segments a report compares (a plan, a size band, a channel...); more is refused.
MAX_SEGMENTS = 30


def check_segments(quality: pd.DataFrame, segment_col: str | None,
                   limit: int = MAX_SEGMENTS) -> None:
    """Refuse a segment column with more than ``limit`` distinct values (a customer name or an
    id given as ``segment_col`` would make one curve per customer).

    ``quality`` is :func:`cs_helpers.engines.column_profile`'s table.

    Examples
    --------
    >>> q = pd.DataFrame({"distinct values": [3, 950]}, index=["plan", "company"])
    >>> check_segments(q, "plan")
    >>> check_segments(q, "company")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: segment_col: 'company' has 950 distinct values; a segment groups customers (a plan, a size band, a channel), at most 30 of them. Pass a column with fewer values, or segment_col=None.
    """
    if segment_col is None:
        return
    n = int(quality.loc[segment_col, "distinct values"])
    if n > limit:
        raise DataError(f"segment_col: {segment_col!r} has {n:,} distinct values; a segment "
                        "groups customers (a plan, a size band, a channel), at most "
                        f"{limit} of them. Pass a column with fewer values, or "
                        "segment_col=None.")


def read(source: Any, engine: str = "pandas", *, id_col: Any = None, encoding: str | None = None,
         sep: str | None = None, sheet: str | int | None = None, decimal: str = ".") -> Any:
    """Open the report's table with :func:`cs_helpers.engines.read`, ids read as text.

    When ``id_col`` is not a column of the file the table is read without it, so that
    :func:`check_parameters` can report every problem at once.
    """
    from . import engines

    if isinstance(sep, str) and sep.lower() in ("\\t", "tab"):
        sep = "\t"
    ids = [id_col] if isinstance(id_col, str) and id_col != NOT_GIVEN else None
    try:
        return engines.read(source, engine, encoding=encoding, sep=sep, sheet=sheet,
                            id_cols=ids, decimal=decimal)
    except DataError as exc:
        if ids is None or not str(exc).startswith("id_cols:"):
            raise
    return engines.read(source, engine, encoding=encoding, sep=sep, sheet=sheet,
                        decimal=decimal)


# --------------------------------------------------------------------------------------------
# where the tables come from: a file, a database connection, or a table object
# --------------------------------------------------------------------------------------------

#: Environment variable through which ``python -m cs_helpers.report run`` hands a connection
#: string with a password to the notebook's kernel: the notebook itself (its parameters, its
#: outputs, the HTML) only ever holds the string with the password masked (:func:`mask_url`).
CONNECTION_ENV = "CS_HELPERS_REPORT_CONNECTION"
#: What a password is replaced with.
MASK = "***"
_SECRET_KEYS = ("password", "passwd", "pwd", "token", "secret", "private_key_passphrase",
                "private_key", "access_token", "api_key")


def _userinfo(url: str) -> tuple[int, int] | None:
    """Where ``user:password`` sits in ``scheme://user:password@host...``, or None."""
    if "://" not in url:
        return None
    begin = url.index("://") + 3
    rest = url[begin:]
    cut = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0],
              default=len(rest))
    at = rest.rfind("@", 0, cut)
    if at < 0 and "@" in rest[cut:]:          # a password holding '/' (not URL-encoded)
        at = rest.rfind("@")
    if at < 0:
        return None
    return begin, begin + at


def _secrets(url: str) -> list[str]:
    """The passwords and tokens written in a connection string (raw and URL-decoded)."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    found = []
    where = _userinfo(url)
    if where is not None:
        user, sep, password = url[where[0]:where[1]].partition(":")
        if sep and password and password != MASK:
            found += [password, unquote(password)]
    query = urlsplit(url).query if "://" in url else ""
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key.lower() in _SECRET_KEYS and value != MASK:
            found.append(value)
    return sorted({s for s in found if s}, key=len, reverse=True)


def mask_url(text: Any) -> str:
    """``text`` with the password (and any ``password=``/``token=`` value) of a connection
    string replaced by ``***``, for showing it.

    Examples
    --------
    >>> mask_url("postgresql://ana:s3cret@db.example.com:5432/crm")
    'postgresql://ana:***@db.example.com:5432/crm'
    >>> mask_url("snowflake://ana@acct/DB/PUBLIC?warehouse=WH&password=x")
    'snowflake://ana@acct/DB/PUBLIC?warehouse=WH&password=***'
    >>> mask_url("postgresql://ana@db/crm"), mask_url("duckdb:///data/billing.db")
    ('postgresql://ana@db/crm', 'duckdb:///data/billing.db')
    """
    import re

    url = str(text)
    where = _userinfo(url)
    if where is not None:
        user, sep, password = url[where[0]:where[1]].partition(":")
        if sep and password:
            url = url[:where[0]] + f"{user}:{MASK}" + url[where[1]:]
    keys = "|".join(_SECRET_KEYS)
    return re.sub(rf"(?i)([?&;](?:{keys})=)[^&;#]*", rf"\g<1>{MASK}", url)


def scrub(message: Any, url: str) -> str:
    """``message`` with every secret of ``url`` replaced by ``***`` (for a driver's error).

    Examples
    --------
    >>> scrub("password authentication failed (pw s3cret)", "postgresql://a:s3cret@h/d")
    'password authentication failed (pw ***)'
    """
    text = str(message)
    for secret in _secrets(url):
        text = text.replace(secret, MASK)
    return text


def _connection_text(connection: Any) -> str:
    """The full connection string: ``$NAME`` is read from the environment variable NAME, and
    a masked string is completed from :data:`CONNECTION_ENV` (set by ``report run``)."""
    import os

    text = str(connection).strip()
    if text.startswith("$"):
        name = text[1:].strip("{}")
        if not os.environ.get(name):
            raise DataError(f"connection: the environment variable {name} is not set (or is "
                            "empty); set it to the connection string before running the "
                            "report, e.g. export "
                            f"{name}=\"postgresql://analyst@db.example.com:5432/crm\".")
        return os.environ[name].strip()
    if MASK in text:
        full = os.environ.get(CONNECTION_ENV, "")
        if full and mask_url(full) == text:
            return full
        raise DataError(f"connection: {text!r} has a masked password ({MASK}) and the full "
                        f"string is not in {CONNECTION_ENV}. Pass the connection string to "
                        "`make report CONNECTION=...`, or keep the password out of it "
                        "(~/.pgpass, PGPASSWORD) or the whole string in an environment "
                        "variable: -p connection '$CS_WAREHOUSE_URL'.")
    return text


def connect(connection: Any) -> Any:
    """An Ibis connection for the report's ``connection`` parameter.

    ``connection`` is a connection string Ibis understands (``postgresql://user@host:5432/db``,
    ``snowflake://...``...), ``duckdb:///path/to/file.db`` (a DuckDB database file, opened
    read-only; ``duckdb://relative/file.db`` for a path relative to the working folder), or
    ``$NAME``: the connection string is in the environment variable ``NAME``. A failure is a
    :class:`DataError` that shows the string with its password masked (:func:`mask_url`).

    Examples
    --------
    >>> connect("duckdb:///no/such/file.db")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: connection: DuckDB file not found: /no/such/file.db (duckdb:///path/to/file.db is an absolute path, duckdb://file.db a path relative to the working folder).
    """
    text = _connection_text(connection)
    shown = mask_url(text)
    if "://" not in text:
        raise DataError(f"connection: {shown!r} is not a connection string; write it as "
                        "postgresql://user@host:5432/database or duckdb:///path/to/file.db "
                        "(or $NAME for one kept in the environment variable NAME).")
    import ibis

    scheme, _, rest = text.partition("://")
    if scheme.lower() == "duckdb":
        path = rest.split("?", 1)[0]
        if not path or path == ":memory:" or not Path(path).is_file():
            raise DataError(f"connection: DuckDB file not found: {path or '(none)'} "
                            "(duckdb:///path/to/file.db is an absolute path, duckdb://file.db "
                            "a path relative to the working folder).")
        try:
            return ibis.duckdb.connect(path, read_only=True)
        except Exception as exc:               # noqa: BLE001 (any driver error, reworded)
            first = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else
                          type(exc).__name__, text)
            raise DataError(f"connection: DuckDB could not open {path}: {first}") from None
    try:
        return ibis.connect(text)
    except Exception as exc:                   # noqa: BLE001 (any driver error, reworded)
        lines = [x.strip() for x in str(exc).strip().splitlines() if x.strip()]
        first = scrub(" ".join(lines[:2]) if lines else type(exc).__name__, text)
        raise DataError(f"connection: could not connect to {shown}: {first}") from None


def list_tables(con: Any) -> list[str]:
    """The tables and views a connection can see, ``schema.table`` outside its default
    schema (from ``information_schema``; Ibis's ``list_tables`` where that is missing)."""
    try:
        cur = con.raw_sql("SELECT table_schema, table_name FROM information_schema.tables "
                          "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                          "ORDER BY 1, 2")
        rows = cur.fetchall()
        default_cur = con.raw_sql("SELECT current_schema()")
        default = default_cur.fetchall()[0][0]
        for c in (cur, default_cur):
            if hasattr(c, "close"):
                c.close()
        return [t if s == default else f"{s}.{t}" for s, t in rows]
    except Exception:                          # noqa: BLE001 (a backend without it)
        return sorted(con.list_tables())


def open_table(con: Any, name: Any, *, parameter: str = "table", where: str = "") -> Any:
    """Table ``name`` (``schema.table`` for another schema) of the Ibis connection ``con``.

    A name that is not there is a :class:`DataError` listing the tables the connection can
    see, with near matches (``where`` names the connection in the message, masked).
    """
    text = str(name).strip()
    schema, _, table_name = text.rpartition(".")
    try:
        return con.table(table_name, database=schema or None)
    except Exception as exc:                   # noqa: BLE001 (TableNotFound, or no schema)
        seen = list_tables(con)
        place = f" in {where}" if where else ""
        if not seen:
            listing = "It sees no table at all (check the database and the user's rights)."
        else:
            listing = "Tables it can see: " + ", ".join(repr(t) for t in seen[:40]) + (
                f", … ({len(seen)} tables)." if len(seen) > 40 else ".")
        cause = "" if type(exc).__name__ == "TableNotFound" else (
            f" ({type(exc).__name__}: {scrub(str(exc).strip().splitlines()[0][:200], where)})"
            if str(exc).strip() else "")
        raise DataError(f"{parameter}: no table {text!r}{place}{cause}.{_near(text, seen)} "
                        f"{listing} Pass -p {parameter} <name> (schema.name for a table "
                        "in another schema).") from None


class Source:
    """One table of the report and where it came from.

    ``table``: a pandas DataFrame (a file read by pandas) or an engine table (DuckDB relation,
    Spark DataFrame, Ibis table...); ``name``: how the report names it (never a password);
    ``kind``: ``"file"``, ``"database"`` (a table name on ``connection``) or ``"table"`` (a
    table object passed from Python); ``engine``: where its counting runs (``pandas``,
    ``duckdb``, ``spark``, ``postgres``...).
    """

    def __init__(self, table: Any, name: str, kind: str, engine: str):
        self.table, self.name, self.kind, self.engine = table, name, kind, engine

    @property
    def in_memory(self) -> bool:
        """True when the rows are a pandas DataFrame (every step of the report can use them)."""
        return isinstance(self.table, pd.DataFrame)

    def __repr__(self) -> str:
        return f"Source({self.name!r}, kind={self.kind!r}, engine={self.engine!r})"


def _engine_name(table: Any) -> str:
    from . import engines

    kind = engines.engine_of(table)
    if kind == "ibis":
        try:
            return str(table.get_backend().name)
        except Exception:                      # noqa: BLE001
            return "ibis"
    return kind


def open_sources(params: Mapping[str, Any], con: Any = None) -> dict[str, Source]:
    """The report's tables from its parameters: ``{"customers": ..., "revenue": ...,
    "nps": ...}`` (the last two only when given), as :class:`Source` objects.

    The customers table is a file (``data_path``), a table name on a database
    (``connection`` plus ``table``), or a table object passed from Python (``table`` set to an
    Ibis table, a DuckDB relation, a Spark or polars DataFrame). The revenue table is
    ``revenue_path`` (a file) or ``revenue_table`` (a name on the same connection, or a
    table object); NPS answers likewise (``nps_path`` or ``nps_table``). Files are read with
    :func:`read` (NPS answers always by pandas); database tables are not read at all: the
    report's counting runs in the database. ``con`` is an open connection to use instead of
    ``connection``.
    """
    p = {name: params.get(name, DEFAULTS[name]) for name in PARAMETERS}
    problems = []
    data_path, connection, table = p["data_path"], p["connection"], p["table"]
    given_table = _given(table) and table is not None
    if _given(data_path) and data_path is not None and (_given(connection) and connection
                                                        is not None or given_table):
        problems.append("data_path and connection/table are both given: the customers come "
                        "from a file (data_path) or from a database table (connection and "
                        "table), not both.")
    if (given_table or _given(connection) and connection is not None) and \
            p["engine"] != "pandas":
        problems.append(f"engine: {p['engine']!r} applies to files; a database table is "
                        "counted in its own database (leave engine out).")
    for other in ("revenue", "nps"):
        if _given(p[f"{other}_path"]) and _given(p[f"{other}_table"]):
            problems.append(f"{other}_path and {other}_table are both given: pass one.")
    if problems:
        raise DataError("The report cannot tell where the tables are:\n"
                        + "\n".join(f"  - {x}" for x in problems))
    has_connection = (_given(connection) and connection is not None) or con is not None
    where = mask_url(_connection_text(connection)) if _given(connection) and \
        connection is not None else "the connection"
    if has_connection and con is None:
        con = connect(connection)

    def from_name(name: Any, parameter: str) -> Source:
        if not isinstance(name, str):              # a table object passed from Python
            engine = _engine_name(name)
            label = say("a pandas table") if isinstance(name, pd.DataFrame) else \
                say(f"a {engine} table")
            try:                                   # an Ibis table knows its own name
                label = f"{name.get_name()} ({label})"
            except Exception:                      # noqa: BLE001 (no name: a query, a frame)
                pass
            return Source(name, label, "table", engine)
        if con is None:
            raise DataError(f"{parameter}: {name!r} is a table name, but no connection is "
                            "given: pass -p connection postgresql://user@host:5432/database "
                            "(or duckdb:///path/to/file.db) with it.")
        t = open_table(con, name, parameter=parameter, where=where)
        shown = say(where) if where == "the connection" else where
        return Source(t, f"{name} ({shown})", "database", _engine_name(t))

    out: dict[str, Source] = {}
    engine = p["engine"]
    if given_table:
        out["customers"] = from_name(table, "table")
    elif has_connection:
        seen = list_tables(con)
        raise DataError(f"table: not given: the customers table in {where}. Tables it can "
                        "see: " + (", ".join(repr(x) for x in seen[:40]) or "none") + ". Pass "
                        "-p table <name>.")
    else:
        path = Path(str(data_path))
        out["customers"] = Source(read(path, engine, id_col=p["id_col"],
                                       encoding=p["encoding"], sep=p["sep"], sheet=p["sheet"],
                                       decimal=p["decimal"]), path.name, "file", engine)
    if _given(p["revenue_table"]) and p["revenue_table"] is not None:
        out["revenue"] = from_name(p["revenue_table"], "revenue_table")
    elif _given(p["revenue_path"]) and p["revenue_path"] is not None:
        path = Path(str(p["revenue_path"]))
        ids = p["revenue_id_col"] or p["id_col"]
        out["revenue"] = Source(read(path, engine, id_col=ids), path.name, "file", engine)
    if _given(p["nps_table"]) and p["nps_table"] is not None:
        out["nps"] = from_name(p["nps_table"], "nps_table")
    elif _given(p["nps_path"]) and p["nps_path"] is not None:
        path = Path(str(p["nps_path"]))
        out["nps"] = Source(read(path, "pandas", id_col=p["nps_cluster_col"]), path.name,
                            "file", "pandas")
    return out


def nps_answers(answers: Any, score_col: str, cluster_col: str | None = None
                ) -> tuple[pd.Series, pd.Series | None]:
    """The NPS answers as :func:`cs_helpers.nps.summary` takes them (scores, and who answered).

    From a pandas table, its two columns. From an engine table (a database table...), the
    answers are counted per (score, customer) in the engine and only those counts come back;
    they are then written out once per answer, which gives :func:`cs_helpers.nps.summary`
    exactly the same numbers (it depends only on how often each score occurs, per customer
    when clustered). The rules on the scores are those of :func:`cs_helpers.nps.summary`.

    Examples
    --------
    >>> import duckdb
    >>> rel = duckdb.sql("SELECT * FROM (VALUES ('a', 10), ('a', 9), ('b', 3)) t(id, score)")
    >>> scores, who = nps_answers(rel, "score", "id")
    >>> sorted(zip(who, scores))
    [('a', 9), ('a', 10), ('b', 3)]
    """
    from .engines.table import wrap

    if isinstance(answers, pd.DataFrame):
        errors.check_columns(answers, [score_col, cluster_col], "NPS answers")
        return answers[score_col], (answers[cluster_col] if cluster_col else None)
    t = wrap(answers)
    t.check_columns([score_col, cluster_col], "NPS answers")
    keys = {"score": t[score_col]}
    if cluster_col:
        keys["who"] = t[cluster_col].cast("string")
    counted = t.t.group_by(**keys).aggregate(n=t.t.count())
    got = t.run(counted)
    order = ["who", "score"] if cluster_col else ["score"]
    got = got.sort_values(order, ignore_index=True, na_position="last")
    reps = got["n"].to_numpy(dtype=np.int64)
    scores = pd.Series(np.repeat(got["score"].to_numpy(), reps), name=score_col)
    who = (pd.Series(np.repeat(got["who"].to_numpy(dtype=object), reps), name=cluster_col)
           if cluster_col else None)
    return scores, who


# --------------------------------------------------------------------------------------------
# numbers the report shows
# --------------------------------------------------------------------------------------------

def rate_interval(events: float, trials: float, *, kind: str = "binomial",
                  confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval of a churn rate ``events / trials``.

    ``kind="binomial"``: ``trials`` customers at risk (summed over months), Wilson interval
    (scipy). ``kind="poisson"``: ``trials`` customer-months of exposure, exact (Garwood)
    interval for a Poisson rate. (NaN, NaN) when ``trials`` is 0.

    Examples
    --------
    >>> [round(x, 4) for x in rate_interval(20, 1000)]
    [0.013, 0.0307]
    >>> [round(x, 4) for x in rate_interval(20, 1000.0, kind="poisson")]
    [0.0122, 0.0309]
    """
    from scipy import stats

    errors.check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
    if not trials > 0:
        return float("nan"), float("nan")
    k = int(round(events))
    if kind == "binomial":
        ci = stats.binomtest(k, int(round(trials))).proportion_ci(confidence, method="wilson")
        return float(ci.low), float(ci.high)
    if kind == "poisson":
        a = 1 - confidence
        low = stats.chi2.ppf(a / 2, 2 * k) / 2 if k > 0 else 0.0
        high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
        return float(low / trials), float(high / trials)
    raise ValueError("kind must be 'binomial' or 'poisson'.")


def retention_at(kmf: Any, t: float) -> tuple[float, float, float]:
    """Share still active at ``t`` months on a fitted lifelines Kaplan-Meier curve, with its
    confidence interval (lifelines' own, Greenwood / log-log); NaN past the last follow-up.

    Examples
    --------
    >>> from lifelines import KaplanMeierFitter
    >>> kmf = KaplanMeierFitter().fit([1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 0, 0])
    >>> [round(x, 3) for x in retention_at(kmf, 2.5)]
    [0.667, 0.195, 0.904]
    """
    sf = kmf.survival_function_.iloc[:, 0]
    if t > float(sf.index.max()):
        return float("nan"), float("nan"), float("nan")
    ci = kmf.confidence_interval_survival_function_
    row = int(np.searchsorted(sf.index.to_numpy(dtype=float), t, side="right") - 1)
    row = max(row, 0)
    return float(sf.iloc[row]), float(ci.iloc[row, 0]), float(ci.iloc[row, 1])


def life_table(kmf: Any, counts: pd.DataFrame, *, months_max: int | None = None,
               min_exposure: float = 300.0, max_width: int = 12,
               confidence: float = 0.95) -> pd.DataFrame:
    """Churn by month of customer life (the life-table hazard), read from a Kaplan-Meier curve.

    Months of life are grouped into intervals from month ``start`` to month ``end`` (month 1
    is the first month after the start): one month each while enough customers are observed
    in it, wider (up to ``max_width`` months) where fewer are, so that every interval has at
    least ``min_exposure`` customer-months observed when it can. For each interval:

    - ``churn``: the monthly churn in it, ``1 - (S(end) / S(start)) ** (1 / width)`` with
      ``S`` the Kaplan-Meier curve (lifelines; it handles censoring and late entry), i.e. the
      share of the customers still active at the start of a month of that interval who leave
      during it. With whole-month tenures and one-month intervals this is churned / at risk;
    - ``at_risk``: customers observed at the interval's start; ``exposure``: customer-months
      observed in it; ``churned``: churn events in it (from ``counts``, a
      :attr:`cs_helpers.SurvivalCurves.counts` table of one group, with ``entry`` when the
      customers came under observation late);
    - ``ci_low``, ``ci_high``: an approximate interval, the exact Poisson interval of churned
      / exposure (:func:`rate_interval`).

    Examples
    --------
    >>> import cs_helpers as cs
    >>> life = pd.DataFrame({"duration": [1, 1, 2, 3, 3, 3.0],
    ...                      "churned": [True, False, True, True, False, False]})
    >>> curves = cs.survival_curves(life)
    >>> table = life_table(curves.fitters["all"], curves.counts, min_exposure=1)
    >>> table[["start", "end", "at_risk", "churned", "churn"]].round(3)
       start  end  at_risk  churned  churn
    0      0    1        6        1  0.167
    1      1    2        4        1  0.250
    2      2    3        3        1  0.333
    """
    last = float(kmf.survival_function_.index.max())
    top = int(math.floor(last)) if months_max is None else min(int(months_max),
                                                                int(math.floor(last)))
    cols = ["start", "end", "at_risk", "exposure", "churned", "churn", "ci_low", "ci_high"]
    if top < 1:
        return pd.DataFrame(columns=cols)
    d = counts["duration"].to_numpy(dtype=float)
    n = counts["customers"].to_numpy(dtype=float)
    ev = counts["churned"].to_numpy(dtype=bool)
    entry = (counts["entry"].to_numpy(dtype=float) if "entry" in counts.columns
             else np.zeros_like(d))
    per_month = []
    for m in range(1, top + 1):
        seen = np.clip(np.minimum(d, m) - np.maximum(entry, m - 1), 0, 1)
        per_month.append((float((n * ((entry <= m - 1) & (d > m - 1))).sum()),
                          float((n * seen).sum()),
                          float(n[ev & (d > m - 1) & (d <= m) & (entry < d)].sum())))
    rows, a = [], 0
    while a < top:
        b = a + 1
        while (b < top and b - a < max_width
               and sum(x[1] for x in per_month[a:b]) < min_exposure):
            b += 1
        at_risk = per_month[a][0]
        exposure = sum(x[1] for x in per_month[a:b])
        churned = sum(x[2] for x in per_month[a:b])
        s_a, s_b = kmf.survival_function_at_times([float(a), float(b)]).to_numpy(dtype=float)
        churn = 1 - (s_b / s_a) ** (1 / (b - a)) if s_a > 0 else float("nan")
        low, high = rate_interval(churned, exposure, kind="poisson", confidence=confidence)
        rows.append((a, b, int(round(at_risk)), exposure, int(round(churned)), churn,
                     min(low, 1.0), min(high, 1.0)))
        a = b
    return pd.DataFrame(rows, columns=cols)


def ltv_with_band(kmf: Any, arpa: float, gross_margin: float, *, horizon: int,
                  discount_rate: float = 0.0, label: str = "") -> dict[str, float]:
    """LTV of one curve by :func:`cs_helpers.ltv.from_survival`, with its approximate 95%
    interval (``ltv_low``, ``ltv_high``: the curve held at the edges of its band every month,
    tail hazard included, so if anything too wide) and the share extrapolated.

    An ARPA of 0 gives an LTV of 0; a missing ARPA (a segment with no revenue) gives NaN. The
    extrapolated share is returned, not warned about; any other warning of the LTV (an
    uncertain tail) is passed on as a :class:`cs_helpers.DataWarning` naming ``label``.

    Returns
    -------
    dict
        ``ARPA``, ``LTV``, ``LTV low``, ``LTV high``, ``extrapolated share``,
        ``months observed``.

    Examples
    --------
    >>> from lifelines import KaplanMeierFitter
    >>> kmf = KaplanMeierFitter().fit([1, 2, 3, 4, 5, 6] * 5, [1, 0, 1, 1, 0, 0] * 5)
    >>> r = ltv_with_band(kmf, 100.0, 0.8, horizon=6)   # 80 x (1 + 5/6 + 5/6 + 5/8 + 5/12 + 5/12)
    >>> round(r["LTV"], 1), r["LTV low"] < r["LTV"] < r["LTV high"], r["extrapolated share"]
    (330.0, True, 0.0)
    """
    from . import ltv

    nan = float("nan")
    if not np.isfinite(arpa):
        return {"ARPA": nan, "LTV": nan, "LTV low": nan, "LTV high": nan,
                "extrapolated share": nan, "months observed": nan}
    if arpa == 0:
        return {"ARPA": 0.0, "LTV": 0.0, "LTV low": 0.0, "LTV high": 0.0,
                "extrapolated share": 0.0, "months observed": nan}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = ltv.from_survival(kmf, arpa, gross_margin, horizon=horizon,
                              discount_rate=discount_rate, warn_share=1.0)
    for w in caught:
        prefix = f"LTV of {label}: " if label else "LTV: "
        english = getattr(w.message, "english", str(w.message))   # translated again below
        warnings.warn(prefix + english, errors.DataWarning, stacklevel=2)
    return {"ARPA": float(arpa), "LTV": r.value, "LTV low": r.ltv_low, "LTV high": r.ltv_high,
            "extrapolated share": r.extrapolated_share,
            "months observed": float(r.months_observed)}


class Revenue:
    """Revenue retention for the report: MRR churn by month and revenue kept 12 months later.

    Attributes: ``source`` (``"table"``: a monthly revenue table; ``"dates"``: one MRR per
    customer with start and end dates), ``label``, ``monthly`` (``mrr_start``, ``mrr_churned``,
    ``mrr_churn`` and, from a table, ``gross_churn`` with downgrades), ``kept`` (per base month:
    ``customers``, ``base_mrr``, ``grr``, ``nrr``), ``pooled`` (MRR churn over the last 12
    months: lost / at the start), ``pooled_gross``.
    """

    def __init__(self, source: str, label: str, monthly: pd.DataFrame, kept: pd.DataFrame):
        self.source, self.label = source, label
        self.monthly, self.kept = monthly, kept
        last = monthly.tail(12)
        start = float(last["mrr_start"].sum())
        self.periods = len(last)
        self.pooled = float(last["mrr_churned"].sum()) / start if start > 0 else float("nan")
        self.pooled_gross = (float((last["gross_churn"] * last["mrr_start"]).sum()) / start
                             if "gross_churn" in last.columns and start > 0 else float("nan"))


def revenue_from_table(usage: Any, *, id_col: str, month_col: str, mrr_col: str,
                       date_format: str | None = None, dayfirst: bool | None = None,
                       window: int = 12) -> Revenue:
    """:class:`Revenue` from a monthly revenue table, by :func:`cs_helpers.revenue_retention`:
    month to month (``window=1``: MRR of leavers, and of downgrades, among the customers
    paying in a month) and over ``window`` months (GRR, NRR). A table spanning fewer than
    ``window + 1`` months gives an empty ``kept`` table (not an error).
    """
    from .churn import revenue_retention

    kw = dict(id_col=id_col, month_col=month_col, mrr_col=mrr_col, date_format=date_format,
              dayfirst=dayfirst)
    one = revenue_retention(usage, window=1, **kw)
    monthly = pd.DataFrame({"mrr_start": one["base_mrr"], "mrr_churned": one["churned_mrr"],
                            "mrr_churn": one["churned_mrr"] / one["base_mrr"],
                            "gross_churn": (one["churned_mrr"] + one["contraction_mrr"])
                            / one["base_mrr"]})
    try:
        year = revenue_retention(usage, window=window, **kw)
        kept = year[["customers", "base_mrr", "grr", "nrr"]]
    except DataError as exc:
        if "span less than" not in str(exc):
            raise
        kept = pd.DataFrame(columns=["customers", "base_mrr", "grr", "nrr"],
                            index=pd.PeriodIndex([], freq="M", name=month_col))
    return Revenue("table", say(f"the monthly revenue table ({mrr_col} by {month_col})"),
                   monthly, kept)


def revenue_from_dates(subs: pd.DataFrame, *, id_col: str | None, start_col: str,
                       end_col: str, mrr_col: str, as_of: Any = None,
                       date_format: str | None = None, dayfirst: bool | None = None,
                       window: int = 12) -> Revenue:
    """:class:`Revenue` from start and end dates with one MRR per customer
    (:func:`mrr_churn_from_dates`; complete months only)."""
    monthly, kept = mrr_churn_from_dates(subs, id_col=id_col, start_col=start_col,
                                         end_col=end_col, mrr_col=mrr_col, as_of=as_of,
                                         date_format=date_format, dayfirst=dayfirst,
                                         window=window)
    monthly = monthly[monthly["complete"] & (monthly["mrr_start"] > 0)]
    return Revenue("dates", say(f"one MRR per customer ({mrr_col}) with the start and end dates"),
                   monthly[["mrr_start", "mrr_churned", "mrr_churn"]],
                   kept[["customers", "base_mrr", "grr", "nrr"]])


def revenue_sentence(rev: Revenue, *, lead: bool = True) -> str:
    """What a :class:`Revenue` says, in one or two sentences (Markdown, nothing from the
    table but numbers and months); ``lead`` starts with the headline in bold. In the language
    in effect (each sentence through :func:`~cs_helpers.sentences.say`)."""
    gross = (f" ({percent(rev.pooled_gross, 2)} with downgrades)"
             if np.isfinite(rev.pooled_gross) else "")
    head = (f"**Revenue: {percent(rev.pooled, 2)} of MRR lost a month.** That share of the "
            if lead else f"{percent(rev.pooled, 2)} of the ")
    first = head + (f"monthly revenue went with customers who left, pooled over the last "
                    f"{rev.periods} months{gross}.")
    if len(rev.kept):
        last = rev.kept.iloc[-1]
        month = rev.kept.index[-1]
        kept = (f" Of the MRR paid in {month} by {int(last['customers']):,} customers, "
                f"{percent(last['grr'], 0)} was still paid 12 months later not counting "
                "upgrades (GRR)")
        second = kept + (" and, one MRR per customer, NRR is the same." if rev.source == "dates"
                         else f" and {percent(last['nrr'], 0)} counting them (NRR).")
    else:
        second = " The revenue data span less than 13 months, so 12-month retention is n/a."
    return say(first) + say(second)


def _periods(dates: pd.Series) -> np.ndarray:
    return dates.dt.to_period("M").array.asi8


def mrr_churn_from_dates(subs: pd.DataFrame, *, id_col: str | None, start_col: str,
                         end_col: str, mrr_col: str, as_of: Any = None,
                         date_format: str | None = None, dayfirst: bool | None = None,
                         window: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """MRR churn by month and revenue retention over ``window`` months, from start and end
    dates with one MRR per customer.

    A customer pays its MRR in every month at whose start it is active (it started in an
    earlier month and had not ended before that month), as in :func:`cs_helpers.churn_rate`.
    Then, per calendar month ``m``:

    - ``mrr_start``: MRR of the customers active at the start of ``m``; ``mrr_churned``: the
      MRR of those of them who ended during ``m``; ``mrr_churn = mrr_churned / mrr_start``
      (NaN when nothing was at risk). With every MRR equal it is the customer churn rate;
    - per base month ``m`` (second table): ``base_mrr`` and ``retained_mrr``, the MRR of the
      same customers still active at the start of ``m + window``; ``grr = retained / base``.
      The table knows one MRR per customer, so upgrades and downgrades are not seen: net
      revenue retention equals ``grr`` here (``nrr`` column). A monthly revenue table gives
      both (:func:`cs_helpers.revenue_retention`).

    Rows without an MRR are left out (with a :class:`cs_helpers.DataWarning` and a note in
    ``attrs["cs_helpers_filtered"]``); a negative MRR is a :class:`DataError` (as in
    :func:`cs_helpers.engines.group_means`). The dates follow the package's rules
    (:func:`cs_helpers.lifetimes.clean_subscriptions`).

    Returns
    -------
    (monthly, retention) : two DataFrames indexed by month (``PeriodIndex``). ``monthly`` has
    ``customers_start``, ``mrr_start``, ``mrr_churned``, ``mrr_churn`` and ``complete``;
    ``retention`` has ``customers``, ``base_mrr``, ``retained_mrr``, ``grr``, ``nrr``.

    Examples
    --------
    >>> subs = pd.DataFrame({"id": ["a", "b", "c"], "start": ["2024-01-10"] * 3,
    ...                      "end": ["2024-03-05", None, None], "mrr": [100, 300, 600]})
    >>> monthly, kept = mrr_churn_from_dates(subs, id_col="id", start_col="start",
    ...                                      end_col="end", mrr_col="mrr",
    ...                                      as_of="2024-06-30", window=2)
    >>> monthly.loc["2024-03", ["mrr_start", "mrr_churned", "mrr_churn"]].astype(float).tolist()
    [1000.0, 100.0, 0.1]
    >>> kept.loc["2024-02", ["base_mrr", "retained_mrr", "grr"]].astype(float).tolist()
    [1000.0, 900.0, 0.9]
    """
    from .lifetimes import clean_subscriptions

    if int(window) < 1:
        raise DataError(f"window: must be at least 1 month; got {window!r}.")
    clean = clean_subscriptions(subs, id_col=id_col, start_col=start_col, end_col=end_col,
                                as_of=as_of, date_format=date_format, dayfirst=dayfirst)
    as_of_ts = clean.attrs["as_of"]
    errors.check_columns(clean, [mrr_col], "subscriptions")
    raw = clean[mrr_col]
    value = pd.to_numeric(raw, errors="coerce")
    blank = raw.isna() | raw.astype(str).str.strip().eq("")
    errors.fail_where(clean, mrr_col, "values must be numbers", (value.isna() & ~blank)
                      .to_numpy(), id_col)
    errors.fail_where(clean, mrr_col, "values must be finite numbers (not infinite)",
                      np.isinf(value.to_numpy(dtype=float)), id_col)
    errors.fail_where(clean, mrr_col, "amounts must not be negative (a refund or credit is "
                      "not revenue per account)", (value < 0).to_numpy(), id_col)
    left_out = blank.to_numpy()
    missing_ids = errors.offending_ids(clean, left_out, id_col)
    keep = ~left_out
    # aggregate first: MRR and customers per (start month, end month)
    never = np.iinfo(np.int64).max
    ends = clean[end_col].to_numpy()[keep]
    e = np.full(int(keep.sum()), never, dtype=np.int64)
    e[~pd.isna(ends)] = _periods(clean[end_col][keep].dropna())
    pairs = pd.DataFrame({"s": _periods(clean[start_col][keep]), "e": e,
                          "mrr": value.to_numpy(dtype=float)[keep]})
    pairs = pairs.groupby(["s", "e"], sort=False).agg(mrr=("mrr", "sum"),
                                                       customers=("mrr", "size")).reset_index()
    s_, e_ = pairs["s"].to_numpy(), pairs["e"].to_numpy()
    w, n = pairs["mrr"].to_numpy(dtype=float), pairs["customers"].to_numpy()
    first = int(s_.min()) if len(s_) else int(pd.Period(as_of_ts, "M").ordinal)
    last = int(pd.Period(as_of_ts, "M").ordinal)
    months_ = np.arange(first, last + 1)
    rows = []
    for m in months_:                       # active at the start of m: s < m <= e
        at_start = (s_ < m) & (e_ >= m)
        gone = at_start & (e_ == m)
        rows.append((int(n[at_start].sum()), float(w[at_start].sum()), float(w[gone].sum())))
    monthly = pd.DataFrame(rows, columns=["customers_start", "mrr_start", "mrr_churned"],
                           index=pd.PeriodIndex.from_ordinals(months_, freq="M").rename("month"))
    with np.errstate(divide="ignore", invalid="ignore"):
        monthly["mrr_churn"] = np.where(monthly["mrr_start"] > 0,
                                        monthly["mrr_churned"] / monthly["mrr_start"], np.nan)
    monthly["complete"] = monthly.index.end_time.normalize() <= as_of_ts
    kept_rows = []
    for m in months_[months_ + int(window) <= last]:
        base = (s_ < m) & (e_ >= m)
        still = base & (e_ >= m + int(window))
        kept_rows.append((m, int(n[base].sum()), float(w[base].sum()), float(w[still].sum())))
    retention = pd.DataFrame(kept_rows, columns=["m", "customers", "base_mrr", "retained_mrr"])
    retention.index = pd.PeriodIndex.from_ordinals(retention.pop("m").to_numpy(dtype=np.int64),
                                                   freq="M").rename("month")
    with np.errstate(divide="ignore", invalid="ignore"):
        retention["grr"] = np.where(retention["base_mrr"] > 0,
                                    retention["retained_mrr"] / retention["base_mrr"], np.nan)
    retention["nrr"] = retention["grr"]
    monthly.attrs = {"as_of": as_of_ts, "window_months": int(window),
                     "cs_helpers_filtered": list(clean.attrs.get("cs_helpers_filtered", []))}
    errors.record_filtered(monthly, f"customers without an MRR in '{mrr_col}' (left out of "
                           "the revenue figures)", int(left_out.sum()), missing_ids)
    retention.attrs = dict(monthly.attrs)
    return monthly, retention


def plot_curves(curves: Any, ax: Any, *, title: str, xlabel: str | None = None,
                ylabel: str | None = None, ci: bool = True) -> Any:
    """Draw Kaplan-Meier curves (a :class:`cs_helpers.SurvivalCurves`) with their 95% bands,
    the legend labels passed through :func:`plot_label` (labels come from the user's table).

    Examples
    --------
    >>> import cs_helpers as cs
    >>> from cs_helpers import plotting
    >>> life = pd.DataFrame({"duration": [1, 2, 3, 4.0], "churned": [True, False, True, False],
    ...                      "plan": ["$a$", "$a$", "_b", "_b"]})
    >>> fig, ax = plotting.subplots()
    >>> ax = plot_curves(cs.survival_curves(life, by="plan"), ax, title="Retention")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['\\\\$a\\\\$', '\\u200b_b']
    """
    from . import plotting

    for i, (label, kmf) in enumerate(curves.fitters.items()):
        sf = kmf.survival_function_.iloc[:, 0]
        color = plotting.color_for(i)
        ax.step(sf.index.to_numpy(dtype=float), sf.to_numpy(dtype=float), where="post",
                color=color, label=plot_label(label))
        if ci:
            band = kmf.confidence_interval_survival_function_
            ax.fill_between(band.index.to_numpy(dtype=float), band.iloc[:, 0].to_numpy(),
                            band.iloc[:, 1].to_numpy(), step="post", color=color, alpha=0.2,
                            linewidth=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    plotting.percent_axis(ax)
    plotting.finish(ax, title=title,
                    xlabel=xlabel or plotting.figure_text("months_since_start"),
                    ylabel=ylabel or plotting.figure_text("share_still_active"),
                    legend=len(curves.fitters) > 1)
    return ax


# --------------------------------------------------------------------------------------------
# notes: the warnings a report shows as text
# --------------------------------------------------------------------------------------------

class Notes:
    """Collects the :class:`cs_helpers.DataWarning` messages raised while a report computes,
    so that the report shows them as text (escaped) instead of as stderr output.

    Examples
    --------
    >>> notes = Notes()
    >>> with notes.collect():
    ...     warnings.warn("3 rows left out", errors.DataWarning)
    >>> notes.messages
    ['3 rows left out']
    >>> notes.left_out
    ['3 rows left out']

    ``messages`` are in the language in effect (:func:`cs_helpers.set_language`); ``left_out``
    and ``others`` sort them by what they say in English, so the sorting works in every language.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.english: list[str] = []

    @property
    def left_out(self) -> list[str]:
        """The messages about rows left out of a count (as shown)."""
        return [m for m, en in zip(self.messages, self.english, strict=True) if " left out" in en]

    @property
    def others(self) -> list[str]:
        """Every other message (as shown)."""
        return [m for m, en in zip(self.messages, self.english, strict=True)
                if " left out" not in en]

    def collect(self) -> Any:
        import contextlib

        @contextlib.contextmanager
        def _ctx() -> Any:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", errors.DataWarning)
                yield self
            for w in caught:
                if issubclass(w.category, errors.DataWarning):
                    text = str(w.message)
                    if text not in self.messages:
                        self.messages.append(text)
                        self.english.append(getattr(w.message, "english", text))
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        return _ctx()


# --------------------------------------------------------------------------------------------
# HTML export
# --------------------------------------------------------------------------------------------

#: Cells with this tag explain the template to its reader in JupyterLab (how to run it, what
#: the code does); the HTML report leaves them out unless the code is shown.
GUIDE_TAG = "guide"

# nbconvert's lab template without any script: no require.js, MathJax or mermaid loader (the
# report has no math, no widgets and no diagrams), so the page runs nothing and loads nothing
# from the web.
_REPORT_TEMPLATE = (
    '{%- extends "index.html.j2" -%}\n'
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{% block data_png scoped %}<div class=\"jp-RenderedImage jp-OutputArea-output\">"
    "<img alt=\"{{ cell.metadata.get('alt', 'Figure') | escape_html }}\" "
    "src=\"data:image/png;base64,{{ output.data['image/png'] | escape_html }}\"></div>"
    "{% endblock data_png %}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def to_html(notebook: Any, out: Any = None, *, show_code: bool | None = None) -> Path:
    """Write an executed report notebook as one HTML file for readers who do not code.

    Code cells' inputs are left out (only their results show), and so are the template's
    guide cells (tag ``"guide"``), unless ``show_code`` is true. ``show_code=None`` takes the
    notebook's own ``show_code`` parameter (papermill records it), so ``-p show_code True``
    is enough. The page has no script at all.

    Returns the path written (``out``, default the notebook's path with ``.html``).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    path = Path(str(notebook))
    nb = nbformat.read(path, as_version=4)
    if show_code is None:
        params = nb.metadata.get("papermill", {}).get("parameters", {})
        show_code = _flag(params.get("show_code", False))
    if not show_code:              # code cells that show nothing would leave empty boxes
        nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")]
    heading = say("Figure")
    for cell in nb.cells:          # each figure's alternative text: the section it is in
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = say("Figure: " + cell.source.splitlines()[0][3:].strip())
        if cell.cell_type == "code" and any("image/png" in o.get("data", {})
                                            for o in cell.get("outputs", [])):
            cell.metadata.setdefault("alt", heading)
    exporter = HTMLExporter(template_name="lab", raw_template=_REPORT_TEMPLATE,
                            exclude_input=not show_code, exclude_input_prompt=not show_code,
                            exclude_output_prompt=not show_code,
                            language_code=get_language())
    if not show_code:
        remover = TagRemovePreprocessor(remove_cell_tags={GUIDE_TAG, "injected-parameters",
                                                          "parameters"}, enabled=True)
        exporter.register_preprocessor(remover, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {
        "name": say("Customer KPI report")}})
    target = Path(str(out)) if out is not None else path.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def hide_passwords(args: Sequence[str]) -> list[str]:
    """papermill's arguments with a password in ``-p connection URL`` masked.

    The full string goes to the environment variable :data:`CONNECTION_ENV`, which the
    notebook's kernel inherits and :func:`connect` reads back; papermill writes only the masked
    string into the executed notebook (its parameters cell and metadata).

    Examples
    --------
    >>> import os
    >>> hide_passwords(["a.ipynb", "-p", "connection", "postgresql://ana:pw@db/crm"])
    ['a.ipynb', '-p', 'connection', 'postgresql://ana:***@db/crm']
    >>> os.environ.pop(CONNECTION_ENV)
    'postgresql://ana:pw@db/crm'
    """
    import os

    out = list(args)
    for i in range(len(out) - 2):
        if out[i] in ("-p", "--parameters", "-r", "--parameters_raw") and \
                out[i + 1] == "connection" and _secrets(out[i + 2]):
            os.environ[CONNECTION_ENV] = out[i + 2]
            out[i + 2] = mask_url(out[i + 2])
    return out


def run_papermill(args: Sequence[str]) -> int:
    """Run papermill's command line with ``args``; a failing cell prints only its error.

    ``make report`` uses it: a table that breaks a rule ends with the ``DataError`` message
    (not papermill's traceback) and exit status 1; the executed notebook is still written.
    A password in ``-p connection URL`` never reaches the notebook (:func:`hide_passwords`).
    """
    import sys

    from papermill.cli import papermill as papermill_cli
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill_cli.main(args=hide_passwords(args), prog_name="papermill",
                           standalone_mode=False)
    except PapermillExecutionError as exc:
        print(f"\n{exc.ename}: {exc.evalue}", file=sys.stderr)
        return 1
    return 0


#: Notebook A2 (in a source checkout, beside the package).
TEMPLATE = Path(__file__).resolve().parent.parent / "notebooks" / "A2_your_own_data.ipynb"
#: Its Japanese edition (built by ``make notebooks-ja``): the template when the language in
#: effect is Japanese (``CS_HELPERS_LANG=ja make report ...``).
TEMPLATE_JA = TEMPLATE.parent / "ja" / TEMPLATE.name


def default_template() -> Path:
    """Notebook A2 in the language in effect: :data:`TEMPLATE_JA` in Japanese (when it has
    been built), else :data:`TEMPLATE`."""
    if get_language() == "ja" and TEMPLATE_JA.is_file():
        return TEMPLATE_JA
    return TEMPLATE


def make_report(*, data: str | None = None, connection: str | None = None,
                table: str | None = None, out_dir: str | Path = "reports",
                cwd: str | Path = ".", show_code: bool = False,
                extra: Sequence[str] = (), template: str | Path | None = None) -> int:
    """What ``make report`` and ``python tasks.py report`` run: notebook A2 by papermill on a
    file (``data``) or a database table (``connection`` and ``table``), then the HTML.

    ``template`` defaults to notebook A2 in the language in effect (:func:`default_template`:
    the Japanese edition with ``CS_HELPERS_LANG=ja``).

    ``extra`` are papermill's own arguments (``-p id_col 'Customer ID' ...``). An older
    ``report.html`` is removed first, so a failed run cannot leave one that looks current.
    Returns the exit status (1 when the report stopped on a ``DataError``).
    """
    import sys

    target = Path(str(out_dir))
    given_source = any(a in ("data_path", "connection", "table") for a in extra)
    if not (data or connection or table or given_source):
        print(say("Usage: make report DATA=path/to/table.csv [ARGS=\"-p name value ...\"]\n"
                  "   or: make report CONNECTION=postgresql://user@host:5432/db "
                  "TABLE=subscriptions [ARGS=...]\n(python tasks.py report --data ... / "
                  "--connection ... --table ...)"), file=sys.stderr)
        return 2
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.html").unlink(missing_ok=True)
    template = default_template() if template is None else template
    args = [str(template), str(target / "report.ipynb"), "--cwd", str(cwd)]
    if data:
        args += ["-p", "data_path", data]
    if connection:
        args += ["-p", "connection", connection]
    if table:
        args += ["-p", "table", table]
    if show_code:
        args += ["-p", "show_code", "True"]
    args += list(extra)
    shown = [mask_url(a) for a in hide_passwords(args)]
    print("papermill " + " ".join(shown), file=sys.stderr)
    status = run_papermill(args)
    if status:
        return status
    print(say(f"Report: {to_html(target / 'report.ipynb')}"))
    return 0


def _parser(prog: str, description: str) -> Any:
    """An argparse parser whose help speaks the language in effect (argparse's own words,
    "usage:", "options", "-h", are English in the standard library)."""
    import argparse

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            super().add_usage(usage, actions, groups,
                              say("usage: ") if prefix is None else prefix)

    return _speaking(argparse.ArgumentParser(prog=prog, description=description,
                                             add_help=False, allow_abbrev=False,
                                             formatter_class=Formatter))


def _speaking(parser: Any) -> Any:
    """``parser`` (made with ``add_help=False``) with its section titles and ``-h`` in the
    language in effect."""
    parser._positionals.title = say("positional arguments")
    parser._optionals.title = say("options")
    parser.add_argument("-h", "--help", action="help",
                        help=say("show this help message and exit"))
    return parser


def _main(argv: Iterable[str] | None = None) -> int:
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"]:                 # papermill's own options follow
        return run_papermill(args[1:])
    if args[:1] == ["make"]:                # make report / tasks.py report
        mk = _parser("python -m cs_helpers.report make",
                     say("Run notebook A2 on a file or a database table and write "
                         "reports/report.html; papermill's arguments (-p name value) follow."))
        mk.add_argument("--data", default=None, help=say("the customers file"))
        mk.add_argument("--connection", default=None,
                        help=say("database connection string (postgresql://..., duckdb:///f.db)"))
        mk.add_argument("--table", default=None, help=say("the customers table in that database"))
        mk.add_argument("--out-dir", default="reports",
                        help=say("the folder for report.ipynb and report.html (default: reports)"))
        mk.add_argument("--cwd", default=".",
                        help=say("the folder the notebook runs in (default: the current one)"))
        mk.add_argument("--show-code", action="store_true",
                        help=say("keep the code in the HTML report"))
        mk.add_argument("--template", default=None,
                        help=say("the notebook to run (default: A2 in the language in effect)"))
        known, extra = mk.parse_known_args(args[1:])
        return make_report(data=known.data or None, connection=known.connection or None,
                           table=known.table or None, out_dir=known.out_dir, cwd=known.cwd,
                           show_code=known.show_code, extra=extra, template=known.template)
    parser = _parser("python -m cs_helpers.report",
                     say("Report helpers for notebook A2: 'run' (papermill's arguments), "
                         "'make' and 'html'."))
    sub = parser.add_subparsers(dest="command", required=True, title=say("commands"))
    html = _speaking(sub.add_parser("html", help=say("write an executed report notebook as HTML"),
                                    description=say("write an executed report notebook as HTML"),
                                    add_help=False, formatter_class=parser.formatter_class))
    html.add_argument("notebook", help=say("the executed report notebook (.ipynb)"))
    html.add_argument("--out", default=None,
                      help=say("the HTML file to write (default: next to the notebook)"))
    html.add_argument("--show-code", action="store_true", default=None,
                      help=say("keep the code (default: the notebook's show_code parameter)"))
    parsed = parser.parse_args(args)
    target = to_html(parsed.notebook, parsed.out, show_code=parsed.show_code)
    print(say(f"Report: {target}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
