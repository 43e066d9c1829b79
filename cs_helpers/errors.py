"""Errors, warnings and the shared input checks every helper uses.

Every rule a table can break raises :class:`DataError` with one message shape::

    Column 'end_date': end date before start date — 2 of 5 rows break this rule
    (first ids: C3, C5).

so that a learner or an analyst can see at once *which column*, *which rule*, *how many rows*
and *which customers* to look at. Functions that deliberately leave rows out say so with a
:class:`DataWarning` and record it in the result's ``attrs["cs_helpers_filtered"]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .i18n import translate_message
from .sentences import Sentence

__all__ = [
    "DataError",
    "DataWarning",
    "check_columns",
    "fail_where",
    "check_not_empty",
    "check_unique",
    "check_no_missing",
    "check_whole_in_range",
    "check_non_negative",
    "parse_flags",
    "record_filtered",
    "warn_duplicate_rows",
    "offending_ids",
    "check_fraction",
]

#: How many offending ids a message shows.
MAX_IDS = 5


class _TranslatedMessage:
    """The message in the language in effect when made (:func:`cs_helpers.set_language`),
    the English kept on ``english``; pickles as made (no second translation)."""

    english: str

    def __init__(self, *args: Any) -> None:
        args, self.english = _translated(args)
        super().__init__(*args)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, self.english)


class DataError(_TranslatedMessage, ValueError):
    """A table does not meet the data contract.

    The message names the column, the rule, how many rows break it and the first few
    offending ids. It is written in the language in effect when the error is made
    (:func:`cs_helpers.set_language`, or ``CS_HELPERS_LANG``); ``english`` keeps the English
    text whatever the language.

    Examples
    --------
    >>> import cs_helpers as cs
    >>> issubclass(cs.DataError, ValueError)
    True
    >>> cs.set_language("ja")
    >>> err = cs.DataError("The subscriptions table is empty (0 rows): there is nothing to measure.")
    >>> print(err)
    subscriptions テーブルが空です（0 行）。集計できるデータがありません。
    >>> print(err.english)
    The subscriptions table is empty (0 rows): there is nothing to measure.
    >>> cs.set_language(None)
    """


class DataWarning(_TranslatedMessage, UserWarning):
    """Something the result depends on that the table cannot state: rows left out on purpose
    (how many and why), rows that look repeated, a unit or a snapshot assumption.

    Like :class:`DataError`, the message follows the language in effect when the warning is
    made; ``english`` keeps the English text.

    Examples
    --------
    >>> import warnings
    >>> import cs_helpers as cs
    >>> cs.set_language("ja")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("3 rows left out: rows with every cell empty.", cs.DataWarning)
    >>> print(caught[0].message)
    3 行を除外しました: すべてのセルが空の行。
    >>> print(caught[0].message.english)
    3 rows left out: rows with every cell empty.
    >>> cs.set_language(None)
    """


def _rebuild(cls: type, args: tuple[Any, ...], english: str) -> Any:
    """Unpickle a DataError/DataWarning as it was made (no second translation)."""
    obj = cls.__new__(cls)
    obj.args = args
    obj.english = english
    return obj


def _translated(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
    """The arguments with a text message translated into the language in effect, and the
    English text."""
    if not args or not isinstance(args[0], str):
        return args, str(args[0]) if args else ""
    english = args[0]
    return (translate_message(english), *args[1:]), english


def offending_ids(df: pd.DataFrame, mask: Any, id_col: str | None = None,
                  k: int = MAX_IDS) -> list[str]:
    """Return up to ``k`` ids (or row labels when there is no id column) where ``mask`` is true."""
    mask = np.asarray(mask, dtype=bool)
    if id_col is not None and id_col in df.columns:
        vals = df.loc[mask, id_col].head(k)
    else:
        vals = pd.Series(df.index[mask][:k])
    return [str(v) for v in vals]


def _fail(df: pd.DataFrame, column: str, rule: str, mask: Any, id_col: str | None) -> None:
    mask = np.asarray(mask, dtype=bool)
    n_bad = int(mask.sum())
    if n_bad == 0:
        return
    ids = offending_ids(df, mask, id_col)
    label = "ids" if id_col is not None and id_col in df.columns else "row labels"
    more = ", …" if n_bad > len(ids) else ""
    raise DataError(
        f"Column '{column}': {rule} — {n_bad:,} of {len(df):,} rows break this rule "
        f"(first {label}: {', '.join(ids)}{more})."
    )


def fail_where(df: pd.DataFrame, column: str, rule: str, mask: Any,
               id_col: str | None = None) -> None:
    """Raise :class:`DataError` for the rows where ``mask`` is true, if any.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b"], "x": [1, -1]})
    >>> fail_where(df, "x", "values must be positive", df["x"] <= 0, "id")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'x': values must be positive — 1 of 2 rows break this rule (first ids: b).
    """
    _fail(df, column, rule, mask, id_col)


def check_not_empty(df: pd.DataFrame, what: str = "table") -> None:
    """Raise :class:`DataError` when ``df`` has no rows.

    Examples
    --------
    >>> check_not_empty(pd.DataFrame({"a": []}), "subscriptions")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: The subscriptions table is empty (0 rows): there is nothing to measure.
    """
    if len(df) == 0:
        raise DataError(f"The {what} table is empty (0 rows): there is nothing to measure.")


def check_columns(df: pd.DataFrame, columns: Iterable[str | None], what: str = "table") -> None:
    """Raise :class:`DataError` naming every required column that ``df`` lacks.

    ``None`` entries (optional columns that were not given) are ignored.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"id": [1]}), ["id", "start_date"], "subscriptions")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'start_date': required column missing from the subscriptions table (it has: 'id'). Pass the right name as an argument, e.g. start_col='...'.
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"Expected the {what} as a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise DataError(missing_columns_message(missing, list(df.columns), what))


def _squash(name: Any) -> str:
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def missing_columns_message(missing: Sequence[str], have: Sequence[Any], what: str) -> str:
    """The message for required columns that a table lacks, with near-match hints.

    A name that differs only in case or spaces is pointed out (``'Subscription  Length'``
    has two spaces), as is a one-column table whose name holds a separator (a semicolon file
    read with commas).

    Examples
    --------
    >>> print(missing_columns_message(["tenure"], ["Customer ID", "Tenure "], "tenure"))
    Column 'tenure': required column missing from the tenure table (it has: 'Customer ID', 'Tenure '). Did you mean 'Tenure ' (differs in case or spaces)? Pass the right name as an argument, e.g. the matching *_col argument='...'.
    """
    import difflib

    shown = ", ".join(repr(c) for c in list(have)[:15])
    more = f", … ({len(have)} columns)" if len(have) > 15 else ""
    names = ", ".join(repr(c) for c in missing)
    word = "Column" if len(missing) == 1 else "Columns"
    hints = []      # each starts with a space
    by_squash = {_squash(c): c for c in have}
    for col in missing:
        if _squash(col) in by_squash:
            hints.append(f" Did you mean {by_squash[_squash(col)]!r} (differs in case or "
                         "spaces)?")
        else:
            close = difflib.get_close_matches(str(col), [str(c) for c in have], n=1,
                                              cutoff=0.75)
            if close:
                hints.append(f" Did you mean {close[0]!r}?")
    if len(have) == 1:
        only = str(have[0])
        sep = next((s for s in (";", "\t", "|", ",") if s in only), None)
        if sep is not None:
            hints.append(f" The table has one column whose name contains {sep!r}: the file "
                         f"was probably read with the wrong separator (read it with "
                         f"cs.read_table(path), or pass sep={sep!r}).")
    hint = "".join(hints)
    return (f"{word} {names}: required column missing from the {what} table (it has: "
            f"{shown}{more}).{hint} Pass the right name as an argument, e.g. "
            f"{_arg_hint(missing[0])}='...'.")


def _arg_hint(col: str) -> str:
    hints = {"start_date": "start_col", "end_date": "end_col", "customer_id": "id_col",
             "duration": "duration_col", "churned": "churned_col", "score": "score_col"}
    return hints.get(col, "the matching *_col argument")


def check_unique(df: pd.DataFrame, column: str) -> None:
    """Raise :class:`DataError` when ``column`` has duplicate values.

    Examples
    --------
    >>> check_unique(pd.DataFrame({"id": ["a", "b", "a"]}), "id")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'id': ids must be unique (one row per customer) — 2 of 3 rows break this rule (first ids: a, a).
    """
    dup = df[column].duplicated(keep=False).to_numpy()
    _fail(df, column, "ids must be unique (one row per customer)", dup, column)


def check_no_missing(df: pd.DataFrame, column: str, id_col: str | None = None,
                     rule: str = "values must not be missing") -> None:
    """Raise :class:`DataError` when ``column`` has missing values."""
    _fail(df, column, rule, df[column].isna().to_numpy(), id_col)


def check_non_negative(df: pd.DataFrame, column: str, id_col: str | None = None) -> pd.Series:
    """Return ``column`` as floats; raise when values are missing, non-numeric or negative."""
    raw = df[column]
    num = pd.to_numeric(raw, errors="coerce")
    _fail(df, column, "values must be numbers (not missing, not text)", num.isna().to_numpy(),
          id_col)
    _fail(df, column, "values must be finite numbers (not infinite)",
          np.isinf(num.to_numpy(dtype=float)), id_col)
    _fail(df, column, "values must not be negative", (num < 0).to_numpy(), id_col)
    return num.astype(float)


def check_whole_in_range(df: pd.DataFrame, column: str, low: int, high: int,
                         id_col: str | None = None) -> pd.Series:
    """Return ``column`` as integers; raise when a value is missing, fractional or out of range.

    Examples
    --------
    >>> check_whole_in_range(pd.DataFrame({"score": [3, 11]}), "score", 0, 10)
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'score': scores must lie in 0..10 — 1 of 2 rows break this rule (first row labels: 1).
    """
    num = pd.to_numeric(df[column], errors="coerce")
    _fail(df, column, "scores must be numbers (not missing, not text)", num.isna().to_numpy(),
          id_col)
    vals = num.to_numpy(dtype=float)
    _fail(df, column, f"scores must lie in {low}..{high}", (vals < low) | (vals > high), id_col)
    _fail(df, column, "scores must be whole numbers", vals != np.round(vals), id_col)
    return num.astype(int)


#: Values read as "churned" / "not churned" by :func:`parse_flags` unless the caller says otherwise.
TRUE_VALUES: tuple = (True, 1, "1", "yes", "y", "true", "t", "churned")
FALSE_VALUES: tuple = (False, 0, "0", "no", "n", "false", "f", "active")


def parse_flags(df: pd.DataFrame, column: str, true_values: Sequence = TRUE_VALUES,
                false_values: Sequence = FALSE_VALUES, id_col: str | None = None) -> pd.Series:
    """Return ``column`` as booleans; raise on any value in neither accepted list.

    Text is compared case-insensitively and with surrounding spaces removed, so ``"Yes"``,
    ``" yes"`` and ``"YES"`` all count as true when ``"yes"`` is accepted.

    Examples
    --------
    >>> parse_flags(pd.DataFrame({"c": ["Yes", "No", 1, 0, True]}), "c").tolist()
    [True, False, True, False, True]
    >>> parse_flags(pd.DataFrame({"c": ["Yes", "maybe"]}), "c")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: Column 'c': churn flags must be one of True/1/Yes (churned) or False/0/No (still active); found 'maybe' — 1 of 2 rows break this rule (first row labels: 1).
    """

    def norm(v: Any) -> Any:
        if isinstance(v, str):
            return v.strip().lower()
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
            return int(v) if float(v).is_integer() else float(v)
        return v

    t = {norm(v) for v in true_values}
    f = {norm(v) for v in false_values}
    raw = df[column]
    # Normalise once per distinct value: millions of rows share a handful of flag values.
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    uniq_norm = [norm(v) for v in uniques]
    is_true = np.array([u in t for u in uniq_norm] or [False], dtype=bool)
    is_false = np.array([u in f for u in uniq_norm] or [False], dtype=bool)
    ok_unique = is_true | is_false
    bad = (codes < 0) | ~ok_unique[np.clip(codes, 0, None)]
    if bad.any():
        first_bad = raw[bad].iloc[0]
        _fail(df, column,
              "churn flags must be one of True/1/Yes (churned) or False/0/No (still active); "
              f"found {first_bad!r}", bad, id_col)
    return pd.Series(is_true[np.clip(codes, 0, None)], index=df.index, name=column)


def warn_duplicate_rows(df: pd.DataFrame, result: pd.DataFrame, what: str = "table",
                        columns: Sequence[str] | None = None, stacklevel: int = 3) -> int:
    """Warn when rows are exact copies of an earlier row (for tables with no id column).

    Without ids, repeated export lines cannot be told from customers who happen to look
    alike, so the rows are kept (counted) and a :class:`DataWarning` says how many there are;
    ``result.attrs["duplicate_rows"]`` records it. Returns the number of repeated rows.

    Examples
    --------
    >>> import warnings
    >>> df = pd.DataFrame({"start": ["2024-01-01"] * 3 + ["2024-02-01"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_duplicate_rows(df, df)
    2
    >>> print(caught[0].message)
    2 rows of the table are exact copies of an earlier row (every column equal; first at row labels 1, 2). With no id column each row counts as one customer: if these are repeated export lines, remove them (df.drop_duplicates()) or pass id_col=; if they are different customers who look alike, ignore this.
    """
    cols = list(columns) if columns is not None else list(df.columns)
    try:
        dup = df.duplicated(subset=cols, keep="first").to_numpy()
    except TypeError:   # unhashable cells (lists...): compare their text
        dup = df[cols].astype(str).duplicated(keep="first").to_numpy()
    n = int(dup.sum())
    if n == 0:
        return 0
    labels = [str(v) for v in df.index[dup][:MAX_IDS]]
    result.attrs["duplicate_rows"] = {"rows": n, "example_rows": labels}
    warnings.warn(duplicate_rows_message(n, what, labels), DataWarning, stacklevel=stacklevel)
    return n


def duplicate_rows_message(n: int, what: str, labels: Sequence[str]) -> str:
    """The warning for ``n`` rows that repeat an earlier row (every engine says the same)."""
    where = f"; first at row labels {', '.join(labels)}" if labels else ""
    return (f"{n:,} rows of the {what} are exact copies of an earlier row (every column "
            f"equal{where}). With no id column each row counts as one customer: if these are "
            "repeated export lines, remove them (df.drop_duplicates()) or pass id_col=; if "
            "they are different customers who look alike, ignore this.")


def record_filtered(result: pd.DataFrame | pd.Series, reason: str, n_rows: int,
                    ids: Sequence[str] = (), stacklevel: int = 3) -> None:
    """Warn that ``n_rows`` rows were left out, and note it in ``result.attrs``.

    The note is appended to ``result.attrs["cs_helpers_filtered"]`` (a list of dicts with
    ``reason``, ``rows`` and ``example_ids``) so that it travels with the result. The
    ``reason`` is a :class:`~cs_helpers.sentences.Sentence`: its value is the English given
    here, and printing it shows it in the language in effect.
    """
    if n_rows <= 0:
        return
    reason = Sentence(reason)
    note = {"reason": reason, "rows": int(n_rows), "example_ids": [str(i) for i in ids][:MAX_IDS]}
    # a new list each time: attrs are copied shallowly between tables, so appending in place
    # would also change the input's notes
    result.attrs["cs_helpers_filtered"] = [*result.attrs.get("cs_helpers_filtered", []), note]
    english = reason.english  # the warning is translated as a whole, from the English
    text = (f"{n_rows:,} rows left out: {english} (e.g. {', '.join(note['example_ids'])})."
            if note["example_ids"] else f"{n_rows:,} rows left out: {english}.")
    warnings.warn(text, DataWarning, stacklevel=stacklevel)


def check_fraction(value: Any, name: str, *, allow_zero: bool = True,
                   allow_one: bool = True) -> Any:
    """Return ``value`` (a number or an array) if every element is a fraction in [0, 1].

    Rates and shares (churn, margin, discount, confidence) are fractions throughout the
    package: 0.08 means 8%. A value above 1 that would be a sensible percentage gets a hint,
    since passing ``8`` for 8% is the most common slip.

    Parameters
    ----------
    value : float or array-like
        The rate(s) to check.
    name : str
        The argument's name, used in the message.
    allow_zero, allow_one : bool, default True
        Whether 0 and 1 themselves are allowed.

    Raises
    ------
    DataError
        When a value is missing, not finite, or outside the allowed range.

    Examples
    --------
    >>> check_fraction(0.08, "discount_rate")
    0.08
    >>> check_fraction(8, "discount_rate")
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: discount_rate: must be a fraction from 0 to 1 (0.08 means 8%); got 8, which looks like a percent: pass 0.08.
    """
    arr = np.asarray(value, dtype=float)
    low_ok = arr >= 0 if allow_zero else arr > 0
    high_ok = arr <= 1 if allow_one else arr < 1
    ok = np.isfinite(arr) & low_ok & high_ok
    if bool(np.all(ok)):
        return value
    bad = arr[~ok] if arr.ndim else arr
    first = float(np.ravel(bad)[0])
    span = {(True, True): "from 0 to 1", (True, False): "from 0 below 1",
            (False, True): "above 0 to 1", (False, False): "above 0 below 1"}
    shown = f"{first:g}" if np.isfinite(first) else repr(first)
    rule = f"{name}: must be a fraction {span[allow_zero, allow_one]} (0.08 means 8%)"
    if np.isfinite(first) and 1 < first <= 100:
        raise DataError(f"{rule}; got {shown}, which looks like a percent: pass "
                        f"{first / 100:g}.")
    raise DataError(f"{rule}; got {shown}.")
