"""Dates stated, never guessed: the one set of rules every engine uses to read a date column.

A date column is read value by value into *forms*:

=========  =======================================  ==========================================
form       looks like                               read as
=========  =======================================  ==========================================
iso        ``2024-01-31``, ``2024-01-31 10:15``,    the date as written (the time of day and
           ``2024-01-31T23:30:00+09:00``            any time-zone offset are dropped: the
                                                    local date of the value)
ymd        ``2024/01/31``, ``2024/1/31 0:00``       year/month/day
compact    ``20240131`` (text or a whole number)    year, month, day
kanji      ``2024年1月31日``                        year, month, day
dmy        ``31/01/2024`` (``31.01.2024``...)       day/month/year: the first number is > 12
mdy        ``01/31/2024``                           month/day/year: the second number is > 12
amb        ``02/03/2024``                           either: **ambiguous**, never guessed
same       ``05/05/2024``                           the same date read either way
serial     ``45322`` (a number of 1-5 digits)       an Excel serial day number: refused unless
                                                    ``date_format="excel"``
other      anything else (``soon``, ``Jan 31``)     not a date (``date_format=`` can read it)
=========  =======================================  ==========================================

Then one decision (:func:`decide`) for the whole column:

- a value that is not a date is an error (as is a serial number, with a hint);
- several forms in one column (``2024-01-31`` next to ``31/01/2024``), or day/month and
  month/day forms together, are an error that names every form found with counts and examples,
  unless ``date_format="mixed"`` (each value read on its own) or ``dayfirst=`` is given;
- ambiguous slashed dates are an error unless ``dayfirst=True`` (day/month/year) or
  ``dayfirst=False`` (month/day/year) or a ``date_format=`` is given; with ``dayfirst`` every
  slashed date must fit that order (``01/31/2024`` with ``dayfirst=True`` is an error, not
  swapped);
- ``date_format=`` with a ``strptime`` format (``"%d.%m.%Y"``) reads every value with it, and a
  value that does not fit is an error.

pandas (:func:`cs_helpers.dates.parse_dates`) and the SQL engines
(:mod:`cs_helpers.engines`) count the forms their own way and call the same :func:`decide`, so
a table that passes one passes the others with the same dates.

Dates are days: the time of day is dropped everywhere (as DuckDB and Spark ``DATE`` do).

Examples
--------
>>> import pandas as pd
>>> from cs_helpers.dates import parse_dates
>>> df = pd.DataFrame({"id": ["a", "b"], "d": ["31/01/2024", "02/03/2024"]})
>>> parse_dates(df, "d", "id")
Traceback (most recent call last):
...
cs_helpers.errors.DataError: Column 'd': dates such as '02/03/2024' read either as day/month/year (2 March 2024) or as month/day/year (3 February 2024); the column also has dates that read only as day/month/year (e.g. '31/01/2024'). Pass dayfirst=True (day/month/year) or dayfirst=False (month/day/year), or date_format= (e.g. '%d/%m/%Y') — 1 of 2 rows break this rule (first ids: b).
>>> parse_dates(df, "d", "id", dayfirst=True).dt.strftime("%Y-%m-%d").tolist()
['2024-01-31', '2024-03-02']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, _fail

__all__ = ["FORMS", "LABELS", "classify", "decide", "DatePlan", "parse_date", "parse_dates", "parse_value", "to_java_format",
           "EXCEL_EPOCH"]

#: Days in an average month: durations with ``month="average"`` are days / DAYS_PER_MONTH.
DAYS_PER_MONTH = 30.4375

#: Day 0 of Excel's serial day numbers (Excel counts 1900-02-29, which never existed).
EXCEL_EPOCH = "1899-12-30"

_TIME = "( +[0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?"

#: Full-match patterns of each form, written so that Python, DuckDB (RE2) and Spark (Java)
#: read them alike: ``[0-9]`` rather than ``\\d``, no look-around.
PATTERNS: dict[str, str] = {
    "iso": (r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?"
            r" *(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"),
    "ymd": r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}" + _TIME,
    "compact": r"[0-9]{8}",
    "kanji": r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日" + _TIME,
    "slash": r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}" + _TIME,
    "serial": r"[0-9]{1,5}([.][0-9]+)?",
}

#: Where the year, month and day sit in each form (regex groups on the value).
PARTS: dict[str, str] = {
    "iso": r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})",
    "ymd": r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})",
    "compact": r"^([0-9]{4})([0-9]{2})([0-9]{2})",
    "kanji": r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日",
    "slash": r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})",
}

#: Every form a value can take, in the order they are tested.
FORMS = ("iso", "ymd", "compact", "kanji", "dmy", "mdy", "amb", "same", "serial", "other")

#: How a message names each form.
LABELS = {"iso": "YYYY-MM-DD", "ymd": "YYYY/MM/DD", "compact": "YYYYMMDD",
          "kanji": "YYYY年M月D日", "dmy": "DD/MM/YYYY (day first)",
          "mdy": "MM/DD/YYYY (month first)",
          "amb": "NN/NN/YYYY with both numbers 12 or less (ambiguous)",
          "same": "NN/NN/YYYY with day = month", "serial": "a plain number",
          "other": "not a date"}

_SLASHED = ("dmy", "mdy", "amb", "same")

NOT_A_DATE = "values must be dates (e.g. 2024-01-31)"
SERIAL_RULE = ("values must be dates, not numbers; numbers such as {example} look like Excel "
               "serial day numbers ({example} = {as_date}): format the column as dates in "
               "Excel before exporting, or pass date_format='excel' to read them as days "
               f"since {EXCEL_EPOCH}")


# --------------------------------------------------------------------------------------------
# classifying values (pandas side)
# --------------------------------------------------------------------------------------------

def as_text(values: Any) -> pd.Series:
    """Distinct raw values as the text the rules read (whole numbers without ``.0``)."""
    def one(v: Any) -> Any:
        if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, str):
            return v.strip()
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, (int, np.integer)):
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        if isinstance(v, (pd.Timestamp, datetime, date, np.datetime64)):
            return pd.Timestamp(v).isoformat()
        return str(v).strip()
    return pd.Series([one(v) for v in values], dtype=object)


def classify(text: pd.Series) -> np.ndarray:
    """The form of each text value (``None`` / blank -> ``"blank"``).

    Examples
    --------
    >>> classify(pd.Series(["2024-01-31", "31/01/2024", "02/03/2024", "45322", "soon", None]))
    array(['iso', 'dmy', 'amb', 'serial', 'other', 'blank'], dtype=object)
    """
    s = pd.Series(text, dtype=object).reset_index(drop=True)
    blank = s.isna() | (s.astype(str).str.strip() == "")
    s = s.where(~blank, "").astype(str).str.strip()
    out = np.full(len(s), "other", dtype=object)
    todo = ~blank.to_numpy()
    for form in ("iso", "ymd", "compact", "kanji", "slash", "serial"):
        hit = todo & s.str.fullmatch(PATTERNS[form]).to_numpy(dtype=bool)
        if form == "slash" and hit.any():
            parts = s[hit].str.extract(PARTS["slash"]).astype(int)
            a, b = parts[0].to_numpy(), parts[1].to_numpy()
            out[np.flatnonzero(hit)] = np.select(
                [a == b, (a > 12) & (b <= 12), (b > 12) & (a <= 12), (a <= 12) & (b <= 12)],
                ["same", "dmy", "mdy", "amb"], "other")
        else:
            out[hit] = form
        todo &= ~hit
    out[blank.to_numpy()] = "blank"
    return out


# --------------------------------------------------------------------------------------------
# the decision (shared by every engine)
# --------------------------------------------------------------------------------------------

@dataclass
class DatePlan:
    """How a column is read, or which rule it breaks.

    ``order`` is ``"dmy"`` or ``"mdy"`` for slashed dates (None when there are none or they
    read the same both ways); ``excel`` reads serial numbers; ``fmt`` is a ``strptime`` format
    for every value. When ``rule`` is set the rows of the forms in ``bad`` break it.
    """

    order: str | None = None
    excel: bool = False
    fmt: str | None = None
    rule: str | None = None
    bad: tuple[str, ...] = ()
    kind: str = "ok"
    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def invalid_rule(self) -> str:
        """The rule for values of an accepted form that still are not dates (2024-02-30)."""
        if self.fmt is not None:
            return (f"values must be dates written as date_format={self.fmt!r} (or "
                    "YYYY-MM-DD)")
        if self.excel:
            return ("values must be Excel serial day numbers (date_format='excel') or "
                    "YYYY-MM-DD dates")
        if self.order is not None and self.kind == "stated":
            word = "day/month/year" if self.order == "dmy" else "month/day/year"
            return (f"values must be dates (e.g. 2024-01-31), slashed dates written {word} "
                    f"(dayfirst={self.order == 'dmy'})")
        return NOT_A_DATE


def _label(counts: dict[str, int], order: str | None) -> str:
    present = [f for f in FORMS if counts.get(f) and f not in ("other", "blank")]
    names = []
    for f in present:
        if f in _SLASHED:
            name = {"dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}.get(order or "", "NN/NN/YYYY")
        else:
            name = LABELS[f]
        if name not in names:
            names.append(name)
    return " and ".join(names)


def decide(counts: dict[str, int], *, date_format: str | None = None,
           dayfirst: bool | None = None) -> DatePlan:
    """Decide how to read a column from the number of values of each form.

    Examples
    --------
    >>> decide({"iso": 10, "dmy": 2}).kind
    'mixed'
    >>> decide({"iso": 10, "dmy": 2}, dayfirst=True).order
    'dmy'
    >>> decide({"dmy": 3, "same": 1}).label
    'DD/MM/YYYY'
    """
    counts = {f: int(n) for f, n in counts.items() if n and f != "blank"}
    if date_format is not None:
        iso = " and YYYY-MM-DD" if counts.get("iso") else ""
        if date_format == "excel":
            bad = tuple(f for f in counts if f not in ("serial", "iso"))
            rule = ("values must be Excel serial day numbers (date_format='excel') or "
                    "YYYY-MM-DD dates" if bad else None)
            return DatePlan(excel=True, rule=rule, bad=bad, kind="stated" if not bad else "bad",
                            label=f"Excel serial day numbers (days since {EXCEL_EPOCH}){iso}",
                            counts=counts)
        if date_format != "mixed":
            return DatePlan(fmt=date_format, kind="stated",
                            label=f"date_format={date_format!r}{iso}", counts=counts)
    if counts.get("other"):
        return DatePlan(rule=NOT_A_DATE, bad=("other",), kind="bad", counts=counts)
    if counts.get("serial"):
        return DatePlan(rule="serial", bad=("serial",), kind="serial", counts=counts)
    if dayfirst is not None:
        order = "dmy" if dayfirst else "mdy"
        return DatePlan(order=order, kind="stated", counts=counts,
                        label=_label(counts, order) + f" (dayfirst={bool(dayfirst)})")
    slashed = {f: counts[f] for f in _SLASHED if counts.get(f)}
    groups = {("slash" if f in _SLASHED else f) for f in counts}
    both_orders = "dmy" in slashed and "mdy" in slashed
    if (len(groups) > 1 and date_format != "mixed") or both_orders:
        # the column's main form: the one most values could be written in (an ambiguous or
        # day = month value fits both slashed orders); the others break the rule
        either = counts.get("amb", 0) + counts.get("same", 0)
        sizes = {f: n for f, n in counts.items() if f not in _SLASHED}
        sizes["dmy"] = counts.get("dmy", 0) + either
        sizes["mdy"] = counts.get("mdy", 0) + either
        main = max(sizes, key=lambda f: (sizes[f], -FORMS.index(f)))
        keep = {main, "amb", "same"} if main in ("dmy", "mdy") else {main}
        bad = tuple(f for f in FORMS if f in counts and f not in keep)
        return DatePlan(rule="mixed", bad=bad, kind="mixed", counts=counts)
    if "amb" in slashed:
        return DatePlan(rule="ambiguous", bad=("amb",), kind="ambiguous", counts=counts)
    order = "dmy" if "dmy" in slashed else "mdy" if "mdy" in slashed else (
        "dmy" if "same" in slashed else None)
    label = _label(counts, order)
    if date_format == "mixed" and len(groups) > 1:
        label += " (date_format='mixed')"
    return DatePlan(order=order, kind="ok", label=label, counts=counts)


def _spell(y: int, m: int, d: int) -> str:
    return f"{d} {date(2000, m, 1):%B} {y}"


def _readings(value: str) -> tuple[str, str]:
    a, b, y = (int(x) for x in re.match(PARTS["slash"], value).groups())
    try:
        first = _spell(y, b, a)
    except ValueError:
        first = "no date"
    try:
        second = _spell(y, a, b)
    except ValueError:
        second = "no date"
    return first, second


def message(plan: DatePlan, examples: dict[str, str]) -> str:
    """The rule text for a plan that refuses the column.

    ``examples`` maps a form to one value of that form from the column (the first one).
    """
    if plan.kind == "serial":
        ex = examples.get("serial", "45322")
        try:
            n = float(ex)
            as_date = (pd.Timestamp(EXCEL_EPOCH) + pd.Timedelta(days=int(n))).date().isoformat()
        except (ValueError, OverflowError):
            as_date = "a day"
        return SERIAL_RULE.format(example=ex, as_date=as_date)
    if plan.kind == "ambiguous":
        ex = examples.get("amb", "02/03/2024")
        dm, md = _readings(ex)
        also = ""
        for f, word in (("dmy", "day/month/year"), ("mdy", "month/day/year")):
            if f in examples:
                also = (f"; the column also has dates that read only as {word} (e.g. "
                        f"{examples[f]!r})")
        return (f"dates such as {ex!r} read either as day/month/year ({dm}) or as "
                f"month/day/year ({md}){also}. Pass dayfirst=True (day/month/year) or "
                "dayfirst=False (month/day/year), or date_format= (e.g. '%d/%m/%Y')")
    if plan.kind == "mixed":
        parts = []
        for f in FORMS:
            n = plan.counts.get(f)
            if n:
                parts.append(f"{LABELS[f]}: {n:,} (e.g. {examples[f]!r})" if f in examples
                             else f"{LABELS[f]}: {n:,}")
        return ("one column must hold dates in one stated format; found "
                f"{len(parts)} forms: {'; '.join(parts)}. Pass dayfirst=True or False to read "
                "every slashed date one way (each must then fit it), date_format='mixed' to "
                "accept several unambiguous forms, or date_format= with the one format of the "
                "column (e.g. '%Y-%m-%d'); better, export the dates in one format")
    return plan.rule or NOT_A_DATE


# --------------------------------------------------------------------------------------------
# turning accepted values into dates (pandas side)
# --------------------------------------------------------------------------------------------

def ymd_parts(text: pd.Series, forms: np.ndarray, order: str | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each value of a parsable form (-1 elsewhere)."""
    n = len(text)
    y, m, d = (np.full(n, -1, dtype=np.int64) for _ in range(3))
    s = pd.Series(text, dtype=object).reset_index(drop=True).fillna("").astype(str).str.strip()
    for form in ("iso", "ymd", "compact", "kanji"):
        hit = forms == form
        if hit.any():
            parts = s[hit].str.extract(PARTS[form]).astype(np.int64).to_numpy()
            y[hit], m[hit], d[hit] = parts[:, 0], parts[:, 1], parts[:, 2]
    hit = np.isin(forms, _SLASHED)
    if hit.any() and order is not None:
        parts = s[hit].str.extract(PARTS["slash"]).astype(np.int64).to_numpy()
        first, second = (0, 1) if order == "mdy" else (1, 0)
        y[hit], m[hit], d[hit] = parts[:, 2], parts[:, first], parts[:, second]
    return y, m, d


def from_parts(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` of each (year, month, day); NaT where it is no date (2024-02-30)."""
    ok = (y >= 0) & (m >= 1) & (m <= 12) & (d >= 1)
    months = np.where(ok, (y - 1970) * 12 + (m - 1), 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    ok &= d <= length
    out = first + np.where(ok, d - 1, 0).astype("timedelta64[D]")
    out[~ok] = np.datetime64("NaT")
    return out


def from_serial(text: pd.Series, forms: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` of Excel serial day numbers (NaT elsewhere)."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    hit = forms == "serial"
    if hit.any():
        days = np.floor(pd.to_numeric(pd.Series(text)[hit]).to_numpy(dtype=float))
        out[hit] = np.datetime64(EXCEL_EPOCH) + days.astype(np.int64).astype("timedelta64[D]")
    return out


def to_days(text: pd.Series, forms: np.ndarray, plan: DatePlan) -> np.ndarray:
    """``datetime64[D]`` of every value by ``plan`` (NaT for blanks and for values that are no
    date). ISO dates are read as ISO whatever the plan."""
    days = from_parts(*ymd_parts(text, forms, plan.order))
    if plan.excel:
        days = np.where(forms == "serial", from_serial(text, forms), days)
    if plan.fmt is not None:
        days = np.where(forms == "iso", days, from_format(text, plan.fmt))
    days[forms == "blank"] = np.datetime64("NaT")
    return days


def from_format(text: pd.Series, fmt: str) -> np.ndarray:
    """``datetime64[D]`` of every value read with ``strptime(fmt)`` (NaT where it fails)."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    for i, v in enumerate(text):
        if v is None or v == "":
            continue
        try:
            out[i] = np.datetime64(datetime.strptime(str(v), fmt).date())
        except ValueError:
            pass
    return out


# --------------------------------------------------------------------------------------------
# one value (as_of)
# --------------------------------------------------------------------------------------------

def parse_value(value: Any, name: str = "as_of", *, date_format: str | None = None,
                dayfirst: bool | None = None) -> pd.Timestamp:
    """One date given as an argument (``as_of``), read by the same rules as a column.

    Dates, datetimes and Timestamps are taken as they are (their local date); text and whole
    numbers must be an unambiguous form or fit ``date_format`` / ``dayfirst``.

    Examples
    --------
    >>> parse_value("2024-07-01")
    Timestamp('2024-07-01 00:00:00')
    >>> parse_value("01/07/2024")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: as_of: '01/07/2024' reads either as 1 July 2024 (day/month/year) or as 7 January 2024 (month/day/year). Write it as YYYY-MM-DD (e.g. '2024-07-01' or '2024-01-07'), or pass dayfirst=True or dayfirst=False.
    >>> parse_value("01/07/2024", dayfirst=True)
    Timestamp('2024-07-01 00:00:00')
    """

    if isinstance(value, (pd.Timestamp, datetime, date, np.datetime64)):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            raise DataError(f"{name}: {value!r} is not a date (e.g. '2026-09-30').")
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        return ts.normalize()
    text = as_text([value])
    forms = classify(text)
    plan = decide({forms[0]: 1}, date_format=date_format, dayfirst=dayfirst)
    if plan.kind == "ambiguous":
        v = str(text[0])
        dm, md = _readings(v)
        a, b, y = (int(x) for x in re.match(PARTS["slash"], v).groups())
        raise DataError(
            f"{name}: {value!r} reads either as {dm} (day/month/year) or as {md} "
            f"(month/day/year). Write it as YYYY-MM-DD (e.g. '{y}-{b:02d}-{a:02d}' or "
            f"'{y}-{a:02d}-{b:02d}'), or pass dayfirst=True or dayfirst=False.")
    if plan.kind == "serial":
        raise DataError(f"{name}: {value!r} is a number, not a date; write it as YYYY-MM-DD "
                        "(e.g. '2026-09-30').")
    if plan.rule is not None or forms[0] == "blank":
        raise DataError(f"{name}: {value!r} is not a date (e.g. '2026-09-30').")
    day = to_days(text, forms, plan)[0]
    if np.isnat(day):
        raise DataError(f"{name}: {value!r} is not a date ({plan.invalid_rule}).")
    return pd.Timestamp(day)


# --------------------------------------------------------------------------------------------
# strptime -> Java (Spark) formats
# --------------------------------------------------------------------------------------------

_JAVA = {"%Y": "yyyy", "%y": "yy", "%m": "M", "%d": "d", "%H": "H", "%M": "m", "%S": "s",
         "%b": "MMM", "%B": "MMMM", "%f": "SSSSSS", "%z": "XXX", "%%": "%"}


def to_java_format(fmt: str) -> str:
    """A Python ``strptime`` format as a Spark (Java ``DateTimeFormatter``) pattern.

    Examples
    --------
    >>> to_java_format("%d.%m.%Y")
    'd.M.yyyy'
    >>> to_java_format("%Y-%m-%dT%H:%M")
    "yyyy-M-d'T'H:m"
    """

    out, literal, i = [], [], 0

    def flush() -> None:
        if literal:
            text = "".join(literal)
            out.append(f"'{text}'" if re.search(r"[A-Za-z']", text) else text)
            literal.clear()

    while i < len(fmt):
        code = fmt[i:i + 2]
        if fmt[i] == "%":
            if code not in _JAVA:
                raise DataError(f"date_format: {code!r} in {fmt!r} is not supported on Spark; "
                                f"use {', '.join(k for k in _JAVA if k != '%%')}.")
            flush()
            out.append(_JAVA[code])
            i += 2
        else:
            literal.append(fmt[i])
            i += 1
    flush()
    return "".join(out)


def parse_dates(df: pd.DataFrame, column: str, id_col: str | None = None, *,
                allow_missing: bool = False, date_format: str | None = None,
                dayfirst: bool | None = None) -> pd.Series:
    """Return ``column`` as dates (``datetime64``, at midnight); raise on anything unclear.

    The rules are those of :mod:`cs_helpers.dates`, the same on every engine:

    - accepted as they are: ISO dates with or without a time (``2024-01-31``,
      ``2024-01-31 10:15``, ``2024-01-31T23:30:00+09:00``: the date as written, offset and time
      of day dropped), ``2024/01/31``, ``20240131`` (text or whole numbers), ``2024年1月31日``,
      datetime columns (a time-zone-aware one at its date in its own zone), and slashed dates
      that read only one way (``31/01/2024``);
    - refused unless stated: ambiguous slashed dates (``02/03/2024``: pass ``dayfirst=``),
      several formats in one column (pass ``dayfirst=``, ``date_format="mixed"`` or one
      ``date_format=``), Excel serial day numbers (pass ``date_format="excel"``);
    - refused always: text that is not a date, dates outside 1677-09-22..2262-04-11 (a
      placeholder such as 9999-12-31 for "no date" should be left empty).

    Missing values (NaN, None, empty strings) are allowed only with ``allow_missing``
    (an end date is empty while a customer is active). The result's ``attrs["date_format"]``
    names the format that was read.

    Parameters
    ----------
    df : DataFrame
    column : str
        The date column.
    id_col : str, optional
        Customer ids for messages.
    allow_missing : bool
        Whether empty values are allowed.
    date_format : str, optional
        A ``strptime`` format every value must fit (``"%d/%m/%Y"``), ``"mixed"`` (several
        unambiguous formats in one column) or ``"excel"`` (serial day numbers since
        1899-12-30).
    dayfirst : bool, optional
        How to read slashed dates: ``True`` day/month/year, ``False`` month/day/year.

    Examples
    --------
    >>> parse_dates(pd.DataFrame({"d": ["2024-01-31", ""]}), "d", allow_missing=True).tolist()
    [Timestamp('2024-01-31 00:00:00'), NaT]
    >>> parse_dates(pd.DataFrame({"d": [20240131, 20240229]}), "d").dt.date.tolist()
    [datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)]
    >>> parse_dates(pd.DataFrame({"d": ["2024-01-31", "soon"]}), "d")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'd': values must be dates (e.g. 2024-01-31) — 1 of 2 rows break this rule (first row labels: 1).
    """
    raw = df[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)        # the local date in the column's own zone
        days = out.to_numpy().astype("datetime64[D]")
        label = "a date/time column"
    else:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        text = as_text(uniques)
        forms = classify(text)
        row_forms = np.where(codes >= 0, forms[np.clip(codes, 0, None)] if len(forms) else
                             "blank", "blank")
        counted = np.bincount(codes[codes >= 0], minlength=len(uniques))
        counts = {f: int(counted[forms == f].sum()) for f in FORMS}
        plan = decide(counts, date_format=date_format, dayfirst=dayfirst)
        bad_rows = np.isin(row_forms, plan.bad)
        if plan.rule == NOT_A_DATE and plan.bad == ("other",):
            # values of a readable form that still are no date (2023-02-30) break the same
            # rule: report them in the same message
            rest = {f: n for f, n in counts.items() if f != "other"}
            trial = decide(rest, date_format=date_format, dayfirst=dayfirst)
            if trial.rule is None:
                invalid = np.isnat(to_days(text, forms, trial)) & \
                    ~np.isin(forms, ["blank", "other"])
                bad_rows |= (codes >= 0) & invalid[np.clip(codes, 0, None)]
        if plan.rule is not None:
            examples = {}
            for f in plan.counts:
                first = np.flatnonzero(forms == f)
                if len(first):
                    # the first row of that form, in table order
                    rows = np.flatnonzero(np.isin(codes, first))
                    examples[f] = str(text[codes[rows[0]]])
            _fail(df, column, message(plan, examples), bad_rows, id_col)
        day_u = to_days(text, forms, plan)
        invalid_u = np.isnat(day_u) & (forms != "blank")
        _fail(df, column, plan.invalid_rule,
              (codes >= 0) & invalid_u[np.clip(codes, 0, None)] if len(invalid_u) else
              np.zeros(len(df), bool), id_col)
        days = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[D]")
        if len(day_u):
            days = np.where(codes >= 0, day_u[np.clip(codes, 0, None)], days)
        label = plan.label
    if not allow_missing:
        _fail(df, column, "dates must not be missing", np.isnat(days), id_col)
    lo, hi = np.datetime64("1677-09-22", "D"), np.datetime64("2262-04-11", "D")
    _fail(df, column, "dates must lie between 1677-09-22 and 2262-04-11 (a placeholder such as "
          "9999-12-31 for 'no date' should be left empty)",
          ~np.isnat(days) & ((days < lo) | (days > hi)), id_col)
    result = pd.Series(days.astype("datetime64[ns]"), index=raw.index, name=raw.name)
    result.attrs["date_format"] = label
    return result


def parse_date(value: Any, name: str = "as_of", *, date_format: str | None = None,
               dayfirst: bool | None = None) -> pd.Timestamp:
    """One date given as an argument (``as_of``), by the rules of :func:`parse_dates`.

    Examples
    --------
    >>> parse_date("2026-09-30"), parse_date(20260930)
    (Timestamp('2026-09-30 00:00:00'), Timestamp('2026-09-30 00:00:00'))
    """
    return parse_value(value, name, date_format=date_format, dayfirst=dayfirst)
