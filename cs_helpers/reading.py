"""Reading a customer table from a file: CSV, Parquet or Excel, in one place.

:func:`read_table` is what the report template and :func:`cs_helpers.engines.read` use. It
reads what real exports look like and says what it found, instead of guessing silently:

- **CSV** in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text") or
  cp932 (Shift-JIS as Excel in Japan writes it). Without ``encoding=`` the encoding is
  detected (UTF-8 first, then cp932) and the note says which one was used.
- The **separator** (comma, semicolon, tab or ``|``) is detected from the first lines unless
  ``sep=`` is given: a semicolon file never comes back as one column.
- **Parquet** (``.parquet``, ``.pq``) and **Excel** (``.xlsx`` via openpyxl; ``sheet=`` picks
  a sheet, the first by default).
- **Ids stay text**: the columns named in ``id_cols`` are read as text, and any column whose
  values have leading zeros (``00123``) is kept as text, so ``'00123'`` and ``'123'`` stay two
  customers. Other columns whose every value is a number become numbers; everything else
  (dates included) stays text, for the helpers to parse by their stated rules
  (:func:`cs_helpers.dates.parse_dates`).
- Every read failure (a missing or empty file, an undecodable byte, a wrong separator, an old
  ``.xls`` workbook, an unknown extension...) is a :class:`cs_helpers.DataError` that says
  what to pass.

What was detected goes into ``result.attrs``: ``"read_notes"`` (sentences a report can echo),
``"source"``, ``"format"``, ``"encoding"`` and ``"sep"`` (CSV), ``"sheet"`` (Excel) and
``"rows_read"`` (rows in the file, before any fully empty row was left out).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "subs.csv").write_bytes(
...     "顧客ID;開始日;MRR\\n00123;2024-01-31;1200\\n123;2024-02-29;900\\n".encode("cp932"))
>>> table = read_table(folder / "subs.csv", id_cols=["顧客ID"])
>>> table["顧客ID"].tolist(), table["MRR"].tolist()
(['00123', '123'], [1200, 900])
>>> for note in table.attrs["read_notes"]:
...     print(note)
encoding: cp932 (Shift-JIS, as Excel in Japan writes it; detected: pass encoding= to choose)
separator: ';' (detected from the first lines: pass sep= to choose)
column '顧客ID' read as text (an id: leading zeros kept)
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import errors
from .errors import DataError

__all__ = ["read_table", "FORMATS", "detect_encoding", "sniff_separator", "sniff_csv",
           "format_of", "CsvLayout", "utf8_copy", "text_columns", "check_head"]

#: The file formats :func:`read_table` reads.
FORMATS = ("csv", "parquet", "xlsx")

_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv", ".dat": "csv",
             ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx"}

#: Separators tried when ``sep`` is not given, in order of preference on a tie.
SEPARATORS = (",", ";", "\t", "|")

_ENCODING_NAMES = {"utf-8-sig": "UTF-8 with a byte-order mark",
                   "utf-16": "UTF-16 (Excel's 'Unicode text')",
                   "cp932": "Shift-JIS, as Excel in Japan writes it"}

_SEP_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}

_HINT_FORMAT = "pass format='csv', 'parquet' or 'xlsx' (or convert the file to one of them)"


def _sep_name(sep: str) -> str:
    return _SEP_NAMES.get(sep, repr(sep))


# --------------------------------------------------------------------------------------------
# detection
# --------------------------------------------------------------------------------------------

def _magic(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8)


def format_of(path: Any, format: str | None = None) -> tuple[str, str | None]:
    """The format to read ``path`` as, and a note when the content overrides the name.

    The content decides where it is certain (an Excel workbook or a Parquet file named
    ``.csv``), the extension otherwise.

    Raises
    ------
    DataError
        For an old ``.xls`` workbook, an unknown extension or an unknown ``format``.

    Examples
    --------
    >>> format_of("exports/customers.parquet")
    ('parquet', None)
    """
    p = Path(str(path))
    if format is not None:
        if format not in FORMATS:
            raise DataError(f"format: {format!r} is not one of {', '.join(FORMATS)}.")
        return format, None
    suffixes = [s.lower() for s in p.suffixes]
    suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else \
        (suffixes[-1] if suffixes else "")
    magic = _magic(p) if p.is_file() else b""
    if magic.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise DataError(f"{p.name}: an old Excel workbook (.xls) cannot be read. Open it in "
                        "Excel and save it as .xlsx or as CSV (UTF-8).")
    from_name = _SUFFIXES.get(suffix)
    if magic.startswith(b"PK\x03\x04"):
        if _is_xlsx(p):
            note = (None if from_name == "xlsx" else
                    f"format: read as an Excel workbook (.xlsx): the file is one although its "
                    f"name ends in '{suffix or '(no extension)'}'")
            return "xlsx", note
        if from_name != "xlsx":
            raise DataError(f"{p.name}: a zip archive, not a table. Unzip it and pass the "
                            "CSV, Parquet or .xlsx file inside.")
    if magic.startswith(b"PAR1") and from_name != "parquet":
        return "parquet", (f"format: read as Parquet: the file is one although its name ends "
                           f"in '{suffix or '(no extension)'}'")
    if from_name is None:
        what = f"the extension '{suffix}'" if suffix else "a file name without an extension"
        raise DataError(f"{p.name}: {what} is not a table format cs_helpers reads: "
                        f"{_HINT_FORMAT}.")
    return from_name, None


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.startswith("xl/") for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def detect_encoding(data: bytes, *, complete: bool = True) -> str:
    """Name the encoding of ``data``: a byte-order mark, else UTF-8, else cp932.

    ``complete=False`` means ``data`` is only the start of a file (a character may be cut at
    the end). Other encodings (Latin-1, cp1252...) are never guessed: pass ``encoding=``.

    Raises
    ------
    DataError
        When ``data`` is neither valid UTF-8 nor valid cp932.

    Examples
    --------
    >>> detect_encoding("開始日".encode("cp932")), detect_encoding(b"\\xef\\xbb\\xbfid")
    ('cp932', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(data, "utf-8", complete):
        return "utf-8"
    if _decodes(data, "cp932", complete):
        text = codecs.getincrementaldecoder("cp932")().decode(data, final=complete)
        odd = _latin_in_cp932(text)
        if odd:
            raise DataError(
                f"The file decodes as Shift-JIS (cp932), but words such as {odd!r} look like "
                "accented Latin letters read wrongly (a Western file: é, ü, ç...). Pass "
                "encoding='cp932' if it is Japanese, or encoding='cp1252' (Excel on Windows "
                "in Western Europe and the Americas) or 'latin-1'.")
        return "cp932"
    pos, byte = _first_bad(data)
    raise DataError(
        f"The file is neither UTF-8 nor Shift-JIS (cp932): byte 0x{byte:02x} at position "
        f"{pos:,} cannot be read. Pass its encoding, e.g. encoding='cp1252' (Excel on "
        "Windows in Western Europe and the Americas) or encoding='latin-1', or save it from "
        "Excel as 'CSV UTF-8'.")


def _latin_in_cp932(text: str) -> str | None:
    """A word where one non-ASCII character sits between ASCII letters ("b畊ico"): what a
    Latin-1 or cp1252 accented letter plus the next letter become when read as cp932. Real
    Japanese text rarely has a lone kanji inside a Latin word; None when there is none."""
    import re

    found = re.findall(r"[A-Za-z]+[^\x00-\x7f][A-Za-z]+", text)
    alone = re.findall(r"[^\x00-\x7f]", text)
    if found and len(found) * 2 >= len(alone) * 0.3:
        return found[0]
    return None


def _decodes(data: bytes, encoding: str, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _first_bad(data: bytes) -> tuple[int, int]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start, data[exc.start]
    return 0, data[0] if data else 0


def sniff_separator(text: str, *, partial: bool = False) -> str | None:
    """The separator (``,``, ``;``, tab or ``|``) that splits the first lines consistently.

    Returns None when no candidate gives the header two or more columns (a one-column
    file). ``partial=True`` ignores the last line, which may be cut.

    Examples
    --------
    >>> sniff_separator("id;start;mrr\\n1;2024-01-31;12,5\\n")
    ';'
    >>> sniff_separator("id,name\\n1,Foo; Bar\\n")
    ','
    """
    lines = text.splitlines()
    if partial and len(lines) > 1:
        lines = lines[:-1]
    lines = [ln for ln in lines if ln.strip()][:50]
    if not lines:
        return None
    sample = "\n".join(lines)
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, sep in enumerate(SEPARATORS):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=sep) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = (consistent, width, -rank)
        if best is None or score > best:
            best, chosen = score, sep
    return chosen


@dataclass
class CsvLayout:
    """How a CSV file is laid out: encoding, separator, and notes on what was detected."""

    encoding: str
    sep: str
    notes: list[str] = field(default_factory=list)


#: Bytes read from the start of a file to detect the layout for an engine (DuckDB, Spark).
HEAD_BYTES = 1 << 20


def sniff_csv(path: Any, *, encoding: str | None = None, sep: str | None = None,
              data: bytes | None = None) -> CsvLayout:
    """Detect (or check) the encoding and separator of a CSV file.

    ``data`` is the whole file when the caller has it (then every byte is checked); otherwise
    the first megabyte is read, which is what an engine reading a large file relies on.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a\\tb\\n1\\t2\\n")
    >>> sniff_csv(p).sep == "\\t"
    True
    """
    p = Path(str(path))
    complete = data is not None
    if data is None:
        with open(p, "rb") as fh:
            data = fh.read(HEAD_BYTES)
        complete = len(data) < HEAD_BYTES
    notes: list[str] = []
    scope = "" if complete else " (from the first megabyte)"
    if encoding is None:
        enc = detect_encoding(data, complete=complete)
        what = f"{_ENCODING_NAMES[enc]}; " if enc in _ENCODING_NAMES else ""
        notes.append(f"encoding: {enc} ({what}detected{scope}: pass encoding= to choose)")
    else:
        enc = _normal_encoding(encoding)
        if enc == "utf-8" and data.startswith(codecs.BOM_UTF8):
            enc = "utf-8-sig"
            notes.append("encoding: utf-8-sig (the file starts with a byte-order mark)")
        if not _decodes(data, enc, complete):
            pos = _bad_position(data, enc)
            try:
                likely = f" It looks like {detect_encoding(data, complete=complete)}."
            except DataError:
                likely = ""
            raise DataError(
                f"{p.name}: the file is not valid {encoding} (byte {pos:,} cannot be read)."
                f"{likely} Pass the right encoding=, e.g. 'utf-8' or 'cp932' (Shift-JIS), or "
                "leave it out to detect it.")
    text = codecs.getincrementaldecoder(enc)().decode(data, final=complete)
    if sep is None:
        found = sniff_separator(text, partial=not complete)
        chosen = found or ","
        if found is None:
            notes.append("separator: none found in the first lines (one column; pass sep= "
                         "if there are more)")
        else:
            notes.append(f"separator: {_sep_name(found)} (detected from the first lines: "
                         "pass sep= to choose)")
    else:
        chosen = sep
    return CsvLayout(enc, chosen, notes)


def _normal_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise DataError(f"encoding: {encoding!r} is not an encoding Python knows (try "
                        "'utf-8', 'utf-8-sig', 'cp932' or 'latin-1').") from exc
    aliases = {"shift_jis": "shift_jis", "ms932": "cp932", "windows-31j": "cp932"}
    return aliases.get(name, name)


def _bad_position(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return len(data)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def read_table(path: Any, *, encoding: str | None = None, sep: str | None = None,
               sheet: str | int | None = None, id_cols: Sequence[str] | str | None = None,
               format: str | None = None, decimal: str = ".",
               allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file into a DataFrame, saying what was detected.

    Parameters
    ----------
    path : str or Path
        The file. The format comes from the extension (``.csv``, ``.tsv``, ``.txt``,
        ``.csv.gz``; ``.parquet``, ``.pq``; ``.xlsx``), or from the content where that is
        certain (an ``.xlsx`` workbook saved under a ``.csv`` name is read as Excel, and a
        note says so).
    encoding : str, optional
        CSV only. ``"utf-8"``, ``"utf-8-sig"``, ``"cp932"`` (Shift-JIS), ``"utf-16"``,
        ``"cp1252"``, ``"latin-1"``... Default: detected (a byte-order mark, else UTF-8, else
        cp932; anything else must be stated).
    sep : str, optional
        CSV only. Default: detected among ``,``, ``;``, tab and ``|``.
    sheet : str or int, optional
        Excel only: the sheet name or its position (0 = first). Default: the first sheet; the
        note names it when the workbook has several.
    id_cols : str or list of str, optional
        Columns read as text whatever they look like (customer ids, codes): ``"00123"`` stays
        ``"00123"``. Columns with leading zeros are kept as text even when not listed.
    format : {"csv", "parquet", "xlsx"}, optional
        Overrides the extension.
    decimal : str, default "."
        CSV only: the decimal mark of numbers (``","`` for ``12,5``).
    allow_empty : bool, default False
        Return a table without rows instead of raising when the file has only a header.

    Returns
    -------
    DataFrame
        The table, with ``attrs["read_notes"]`` (what was detected, as sentences),
        ``attrs["source"]``, ``attrs["format"]``, ``attrs["rows_read"]`` and, for CSV,
        ``attrs["encoding"]`` and ``attrs["sep"]``, for Excel ``attrs["sheet"]``. Rows whose
        every cell is empty are left out with a :class:`cs_helpers.DataWarning` and a note in
        ``attrs["cs_helpers_filtered"]``.

    Raises
    ------
    DataError
        A missing, empty (0 bytes) or header-only file, an encoding that does not fit, lines
        with more fields than the header, repeated column names, an ``id_cols`` name that is
        not in the file, an unknown format or sheet. The message says what to pass.

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> accounts = read_table(datasets.data_dir() / "b2b_accounts.csv", id_cols="account_id")
    >>> accounts.attrs["format"], accounts.attrs["encoding"], accounts.attrs["sep"]
    ('csv', 'utf-8', ',')
    """
    p = Path(str(path))
    if not p.exists():
        raise DataError(f"data_path: file not found: {p.name} (looked in "
                        f"{p.parent.resolve()}).")
    if p.is_dir():
        raise DataError(f"data_path: {p.name} is a folder; pass one file (for a folder of "
                        "Parquet files use engine='duckdb' or 'spark').")
    if p.stat().st_size == 0:
        raise DataError(f"{p.name} is empty (0 bytes): there is nothing to read. Check that "
                        "the export finished.")
    fmt, fmt_note = format_of(p, format)
    ids = [id_cols] if isinstance(id_cols, str) else list(id_cols or [])
    notes = [fmt_note] if fmt_note else []
    attrs: dict[str, Any] = {"source": str(p), "format": fmt}
    if fmt == "csv":
        df = _read_csv(p, encoding, sep, decimal, ids, notes, attrs)
    elif fmt == "parquet":
        df = _read_parquet(p, ids, notes)
    else:
        df = _read_xlsx(p, sheet, ids, notes, attrs)
    df.columns = [c.lstrip("\ufeff") if isinstance(c, str) else c for c in df.columns]
    attrs["rows_read"] = len(df)
    blank = df.isna().all(axis=1).to_numpy() if len(df.columns) else np.zeros(len(df), bool)
    if len(df) and blank.all():
        raise DataError(f"{p.name}: every row is empty ({len(df):,} rows with no values): "
                        "there is nothing to measure.")
    if blank.any():
        rows = [str(i + 2) for i in np.flatnonzero(blank)[:errors.MAX_IDS]]
        df = df.loc[~blank].reset_index(drop=True)
        df.attrs = {}
        errors.record_filtered(df, "rows with every cell empty (file lines "
                               f"{', '.join(rows)})", int(blank.sum()), stacklevel=3)
    if len(df) == 0 and not allow_empty:
        have = ", ".join(repr(c) for c in list(df.columns)[:15])
        raise DataError(f"{p.name} has column names ({have}) but no rows: there is nothing "
                        "to measure. Check the export (or pass allow_empty=True).")
    df.attrs.update(attrs)
    df.attrs["read_notes"] = notes
    return df


def _check_ids(columns: Sequence[Any], ids: Sequence[str], name: str) -> None:
    missing = [c for c in ids if c not in columns]
    if missing:
        have = ", ".join(repr(c) for c in list(columns)[:15])
        close = difflib.get_close_matches(missing[0], [str(c) for c in columns], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise DataError(f"id_cols: column {missing[0]!r} is not in {name} (it has: {have})."
                        f"{hint}")


def _read_csv(p: Path, encoding: str | None, sep: str | None, decimal: str,
              ids: list[str], notes: list[str], attrs: dict[str, Any]) -> pd.DataFrame:
    if p.suffix.lower() == ".gz":
        import gzip

        with gzip.open(p, "rb") as fh:
            data = fh.read()
    else:
        data = p.read_bytes()
    layout = sniff_csv(p, encoding=encoding, sep=sep, data=data)
    notes.extend(layout.notes)
    text = data.decode(layout.encoding)
    if not text.strip():
        raise DataError(f"{p.name} holds no text (only blank lines): there is nothing to read.")
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=layout.sep), [])
    header = [h.lstrip("\ufeff") for h in header]
    seen: dict[str, int] = {}
    for h in header:
        seen[h] = seen.get(h, 0) + 1
    repeated = [h for h, n in seen.items() if n > 1 and h.strip()]
    if repeated:
        raise DataError(f"{p.name}: column names must be unique; {repeated[0]!r} appears "
                        f"{seen[repeated[0]]} times. Rename the columns in the export.")
    _check_ids(header, ids, p.name)
    try:
        df = pd.read_csv(io.StringIO(text), sep=layout.sep, dtype=str, keep_default_na=True,
                         skipinitialspace=False)
    except pd.errors.ParserError as exc:
        raise DataError(_parser_hint(p, exc, layout, sep is None)) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{p.name} has no header row: there is nothing to read.") from exc
    if len(df.columns) == 1:
        only = str(df.columns[0])
        other = next((s for s in SEPARATORS if s != layout.sep and s in only), None)
        if other is not None:
            notes.append(f"one column only, named {only!r}: the names look separated by "
                         f"{_sep_name(other)}; pass sep={other!r}")
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed: ")]
    if unnamed:
        notes.append(f"{len(unnamed)} column(s) without a name in the header "
                     f"(read as {', '.join(repr(c) for c in unnamed[:3])})")
    df = _typed(df, ids, decimal, notes)
    attrs.update(encoding=layout.encoding, sep=layout.sep)
    return df


def _parser_hint(p: Path, exc: Exception, layout: CsvLayout, sniffed: bool) -> str:
    how = "detected" if sniffed else "given"
    detail = " ".join(str(exc).split()).replace("Error tokenizing data. C error: ", "")
    return (f"{p.name}: the rows do not line up with the header ({detail}). The separator "
            f"{how} is {_sep_name(layout.sep)}: pass sep= if it is another one, and check that "
            "text containing the separator is in double quotes.")


_LEADING_ZERO = r"^[+-]?0[0-9]"


def _typed(df: pd.DataFrame, ids: Sequence[str], decimal: str,
           notes: list[str]) -> pd.DataFrame:
    """Text columns -> numbers where every value is one; ids and zero-padded codes stay text."""
    out = {}
    for col in df.columns:
        s = df[col]
        if col in ids:
            out[col] = s
            notes.append(f"column {col!r} read as text (an id: leading zeros kept)")
            continue
        present = s.dropna().str.strip()
        if present.empty:
            out[col] = s
            continue
        txt = present.str.replace(decimal, ".", regex=False) if decimal != "." else present
        num = pd.to_numeric(txt, errors="coerce")
        if num.notna().all():
            if present.str.match(_LEADING_ZERO).any():
                example = present[present.str.match(_LEADING_ZERO)].iloc[0]
                notes.append(f"column {col!r} kept as text: values such as {example!r} start "
                             "with 0 (a code, not a number)")
                out[col] = s
                continue
            full = s.str.strip()
            if decimal != ".":
                full = full.str.replace(decimal, ".", regex=False)
            out[col] = pd.to_numeric(full)
        else:
            out[col] = s
    return pd.DataFrame(out, index=df.index)


def _read_parquet(p: Path, ids: list[str], notes: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_parquet(p)
    except Exception as exc:   # pyarrow raises several types for a broken file
        raise DataError(f"{p.name}: not a readable Parquet file ({type(exc).__name__}: "
                        f"{exc}). Export it again, or pass format='csv' if it is text.") from exc
    _check_ids(list(df.columns), ids, p.name)
    for col in ids:
        if not (pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object):
            df[col] = _as_text(df[col])
            notes.append(f"column {col!r} read as text (an id)")
    return df


def _as_text(s: pd.Series) -> pd.Series:
    """Ids as text: whole floats (from a column with gaps) lose their '.0'."""
    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return np.nan
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)
    return pd.Series([one(v) for v in s], index=s.index, name=s.name, dtype=object)


def _read_xlsx(p: Path, sheet: str | int | None, ids: list[str], notes: list[str],
               attrs: dict[str, Any]) -> pd.DataFrame:
    try:
        import openpyxl
    except ImportError as exc:   # pragma: no cover - openpyxl is a dependency
        raise DataError("Reading .xlsx needs openpyxl: pip install openpyxl.") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)   # openpyxl: styles, data validation
            # a file object: openpyxl refuses a workbook whose name does not end in .xlsx
            book = openpyxl.load_workbook(io.BytesIO(p.read_bytes()), read_only=True,
                                          data_only=True)
    except Exception as exc:
        raise DataError(f"{p.name}: not a readable Excel workbook ({type(exc).__name__}). "
                        "Save it again from Excel as .xlsx, or as CSV.") from exc
    try:
        names = list(book.sheetnames)
        if sheet is None:
            name = names[0]
            if len(names) > 1:
                others = ", ".join(repr(n) for n in names[1:6])
                notes.append(f"sheet: {name!r}, the first of {len(names)} (others: {others}; "
                             "pass sheet= to choose)")
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataError(f"sheet: {p.name} has {len(names)} sheet(s) "
                                f"({', '.join(repr(n) for n in names)}); sheet={sheet} is not "
                                "one of them (0 is the first).")
            name = names[sheet]
        else:
            if sheet not in names:
                raise DataError(f"sheet: {p.name} has no sheet {sheet!r}; it has "
                                f"{', '.join(repr(n) for n in names)}.")
            name = sheet
        rows = list(book[name].iter_rows(values_only=True))
    finally:
        book.close()
    attrs["sheet"] = name
    rows = [r for r in rows if r is not None]
    if not rows or all(v is None for v in rows[0]):
        raise DataError(f"{p.name}, sheet {name!r}: the first row (the column names) is empty; "
                        "the table must start in cell A1 with one header row.")
    header = list(rows[0])
    while header and header[-1] is None:
        header.pop()
    width = len(header)
    cols = [str(h) if h is not None else f"Unnamed: {i}" for i, h in enumerate(header)]
    seen = {c: cols.count(c) for c in cols}
    repeated = [c for c, n in seen.items() if n > 1]
    if repeated:
        raise DataError(f"{p.name}, sheet {name!r}: column names must be unique; "
                        f"{repeated[0]!r} appears {seen[repeated[0]]} times.")
    _check_ids(cols, ids, f"{p.name}, sheet {name!r}")
    body = [list(r[:width]) + [None] * (width - len(r[:width])) for r in rows[1:]]
    df = pd.DataFrame(body, columns=cols, dtype=object)
    out = {}
    for col in cols:
        s = df[col]
        present = s.dropna()
        if col in ids:
            out[col] = _as_text(s)
            notes.append(f"column {col!r} read as text (an id)")
        elif len(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                  for v in present):
            out[col] = pd.to_numeric(s)
        elif len(present) and all(hasattr(v, "year") and hasattr(v, "hour") for v in present):
            out[col] = pd.to_datetime(s)
        else:
            out[col] = s.where(s.notna(), np.nan)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------------
# helpers for the engines (cs_helpers.engines.read)
# --------------------------------------------------------------------------------------------

_COPIES: list[str] = []


def utf8_copy(path: Any, encoding: str) -> Path:
    """A UTF-8 copy of a text file in another encoding, in a temporary folder removed when
    Python exits (DuckDB and Spark read UTF-8 only). The file is streamed, never loaded whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sjis.csv"
    >>> _ = p.write_bytes("顧客ID\\nA1\\n".encode("cp932"))
    >>> utf8_copy(p, "cp932").read_text(encoding="utf-8")
    '顧客ID\\nA1\\n'
    """
    import atexit
    import shutil
    import tempfile

    if not _COPIES:
        _COPIES.append(tempfile.mkdtemp(prefix="cs_helpers_utf8_"))
        atexit.register(shutil.rmtree, _COPIES[0], True)
    src = Path(str(path))
    out = Path(_COPIES[0]) / f"{len(list(Path(_COPIES[0]).iterdir()))}_{src.name}"
    try:
        with open(src, encoding=encoding, newline="") as fin, \
                open(out, "w", encoding="utf-8", newline="") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
    except UnicodeDecodeError as exc:
        raise DataError(f"{src.name}: the file is not valid {encoding} (byte {exc.start:,} of "
                        "a block cannot be read). Pass the right encoding=.") from exc
    return out


def text_columns(head: str, sep: str, id_cols: Sequence[str]) -> list[str]:
    """Columns to read as text on an engine: ``id_cols`` and, from the first lines, every
    column with a zero-padded number (``007``), as :func:`read_table` keeps them."""
    rows = list(csv.reader(io.StringIO(head), delimiter=sep))
    if not rows:
        return list(id_cols)
    header = [h.lstrip("\ufeff") for h in rows[0]]
    padded = set(id_cols)
    import re

    zero = re.compile(_LEADING_ZERO + r"[0-9]*([.][0-9]*)?$")
    for row in rows[1:-1] if len(rows) > 2 else rows[1:]:
        for name, value in zip(header, row, strict=False):
            if zero.match(value.strip()):
                padded.add(name)
    return [h for h in header if h in padded]


def check_head(head: str, sep: str, id_cols: Sequence[str], name: str, *,
               complete: bool) -> int:
    """The checks :func:`read_table` makes, on the first lines an engine will read.

    Raises the same DataErrors for repeated column names, an ``id_cols`` name not in the
    header, lines with more fields than the header and (when ``head`` is the whole file) a
    file with a header only. Returns the number of fully empty lines seen (``,,,``), which the
    engine then leaves out with a note.
    """
    lines = head.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]                   # the last line may be cut
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    if not rows:
        raise DataError(f"{name} holds no text: there is nothing to read.")
    header = [h.lstrip("\ufeff") for h in rows[0]]
    counts: dict[str, int] = {}
    for h in header:
        counts[h] = counts.get(h, 0) + 1
    repeated = [h for h, n in counts.items() if n > 1 and h.strip()]
    if repeated:
        raise DataError(f"{name}: column names must be unique; {repeated[0]!r} appears "
                        f"{counts[repeated[0]]} times. Rename the columns in the export.")
    _check_ids(header, id_cols, name)
    body = [r for r in rows[1:] if r]
    for i, r in enumerate(rows[1:], start=2):
        if r and len(r) > len(header):
            raise DataError(
                f"{name}: the rows do not line up with the header (Expected {len(header)} "
                f"fields in line {i}, saw {len(r)}). The separator is {_sep_name(sep)}: pass "
                "sep= if it is another one, and check that text containing the separator is "
                "in double quotes.")
    if complete and not body:
        have = ", ".join(repr(c) for c in header[:15])
        raise DataError(f"{name} has column names ({have}) but no rows: there is nothing "
                        "to measure. Check the export (or pass allow_empty=True).")
    return sum(1 for r in body if all(not v.strip() for v in r))
