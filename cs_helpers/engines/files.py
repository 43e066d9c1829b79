"""Opening files on an engine (:func:`read`) and what was detected (:func:`read_notes`)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import errors, reading
from ..errors import DataError
from ..sentences import say
from .table import Table, count_if, wrap

__all__ = ["ENGINES", "read", "read_notes"]

#: The engines :func:`read` opens a file on.
ENGINES = ("pandas", "duckdb", "spark")

_NOTES: Any = None


def read_notes(table: Any) -> list[str]:
    """What :func:`read` detected when it opened ``table`` (encoding, separator, sheet...), in
    the language in effect.

    A pandas table carries them in ``attrs["read_notes"]``; a DuckDB relation or a Spark
    DataFrame has no ``attrs``, so they are kept here. They are stored in English and
    translated when asked for (:func:`cs_helpers.sentences.say`).

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> read_notes(read(datasets.data_dir() / "b2b_accounts.csv", "duckdb"))
    ['encoding: utf-8 (detected: pass encoding= to choose)', "separator: ',' (detected from the first lines: pass sep= to choose)"]
    """
    if isinstance(table, pd.DataFrame):
        notes = list(table.attrs.get("read_notes", []))
    elif _NOTES is None:
        notes = []
    else:
        try:
            notes = list(_NOTES.get(table, []))
        except TypeError:
            notes = []
    return [say(note) for note in notes]


def _remember(table: Any, notes: list[str]) -> Any:
    global _NOTES
    import weakref

    if _NOTES is None:
        _NOTES = weakref.WeakKeyDictionary()
    try:
        _NOTES[table] = list(notes)
    except TypeError:   # not weak-referenceable: notes are then only in the message
        pass
    return table


#: Types DuckDB may give a CSV column: no TIMESTAMP WITH TIME ZONE (an offset in text is read
#: by the date rules, at the date as written) and dates only as ISO, as pandas reads them.
_DUCKDB_CSV_TYPES = ["BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP"]


def read(path: Any, engine: str = "pandas", *, spark: Any = None, encoding: str | None = None,
         sep: str | None = None, sheet: str | int | None = None,
         id_cols: Sequence[str] | str | None = None, format: str | None = None,
         decimal: str = ".") -> Any:
    """Open a CSV, Parquet or Excel file (or a glob of CSV or Parquet files) on ``engine``.

    ``"pandas"`` loads it into memory with :func:`cs_helpers.read_table` (same parameters);
    ``"duckdb"`` returns a lazy relation that streams the file, so it may be larger than
    memory; ``"spark"`` returns a Spark DataFrame (on ``spark``, default the active or a new
    local session). Every engine reads the same table:

    - the encoding and the separator are detected from the first megabyte of a local file (or
      taken from ``encoding=`` / ``sep=``); a file that is not UTF-8 (cp932, UTF-16...) is
      streamed into a temporary UTF-8 copy, since DuckDB and Spark read only UTF-8;
    - ``id_cols`` (and columns whose first lines have zero-padded numbers) are read as text;
    - dates are typed only when they are ISO (``2024-01-31``, ``2024-01-31 10:15:00``);
      anything else stays text for the date rules (:mod:`cs_helpers.dates`), so DuckDB's own
      guess of day/month order never applies;
    - an ``.xlsx`` workbook is read by pandas (a sheet holds at most about a million rows) and
      handed to the engine.

    :func:`read_notes` returns what was detected. Read failures are
    :class:`cs_helpers.DataError` messages that say what to pass.

    Examples
    --------
    >>> from cs_helpers import datasets
    >>> from cs_helpers.engines import column_profile, engine_of
    >>> rel = read(datasets.data_dir() / "b2b_accounts.csv", "duckdb")
    >>> engine_of(rel), int(column_profile(rel, ["plan"]).loc["plan", "distinct values"])
    ('duckdb', 3)
    """
    import glob as globbing
    from pathlib import Path

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}.")
    ids = [id_cols] if isinstance(id_cols, str) else list(id_cols or [])
    text = str(path)
    remote = "://" in text
    if engine == "pandas" or (not remote and "*" not in text and Path(text).is_file()
                              and reading.format_of(text, format)[0] == "xlsx"):
        if remote or "*" in text:
            raise DataError(f"data_path: {text} is not a local file; engine='pandas' reads one "
                            "local file (use engine='duckdb' or 'spark' for globs and URLs).")
        frame = reading.read_table(text, encoding=encoding, sep=sep, sheet=sheet, id_cols=ids,
                                   format=format, decimal=decimal)
        if engine == "pandas":
            return frame
        notes = frame.attrs.get("read_notes", []) + [
            f"read by pandas (an Excel workbook) and handed to {engine}"]
        plain = frame.copy()
        plain.attrs = {}
        if engine == "duckdb":
            import duckdb

            return _remember(duckdb.from_df(plain), notes)
        session = _spark_session(spark)
        for col in plain.select_dtypes(include="object").columns:
            plain[col] = plain[col].astype(object).where(plain[col].notna(), None)
        return _remember(session.createDataFrame(plain), notes)
    files = sorted(globbing.glob(text)) if ("*" in text and not remote) else [text]
    if not remote:
        if not files:
            raise DataError(f"data_path: no file matches {text}.")
        for f in files:
            if not Path(f).exists():
                raise DataError(f"data_path: file not found: {Path(f).name} (looked in "
                                f"{Path(f).parent.resolve()}).")
            if Path(f).stat().st_size == 0:
                raise DataError(f"{Path(f).name} is empty (0 bytes): there is nothing to read. "
                                "Check that the export finished.")
    fmt = format or (reading.format_of(files[0])[0] if not remote else
                     ("parquet" if text.rstrip("*").lower().endswith((".parquet", ".pq"))
                      else "csv"))
    notes: list[str] = []
    if fmt == "parquet":
        if engine == "duckdb":
            import duckdb

            rel = duckdb.read_parquet(files if len(files) > 1 else files[0])
            t = wrap(rel)
            cast = [c for c in ids if c in t.columns and t.kinds[c] != "string"]
            if cast:
                rel = t.lazy(t.t.mutate(**{c: t[c].cast("string") for c in cast}))
            return _remember(rel, notes)
        df = _spark_session(spark).read.parquet(*files)
        for c in ids:
            if c in df.columns:
                df = df.withColumn(c, df[c].cast("string"))
        return _remember(df, notes)
    # CSV: the layout from the first file (every file of a glob must share it)
    heads = ""
    if not remote:
        layout = reading.sniff_csv(files[0], encoding=encoding, sep=sep)
        notes += layout.notes
        if layout.encoding not in ("utf-8", "utf-8-sig", "ascii"):
            files = [str(reading.utf8_copy(f, layout.encoding)) for f in files]
            notes.append(f"read from a UTF-8 copy of the {layout.encoding} file ({engine} "
                         "reads UTF-8 only)")
        with open(files[0], encoding="utf-8-sig", errors="replace") as fh:
            heads = fh.read(reading.HEAD_BYTES)
        chosen_sep = layout.sep
    else:
        if encoding not in (None, "utf-8", "utf-8-sig"):
            raise DataError(f"encoding: {engine} reads UTF-8 only, and {text} is not a local "
                            "file that could be copied to UTF-8. Convert it first.")
        chosen_sep = sep or ","
        how = "given" if sep else "assumed"
        notes.append(f"separator: {chosen_sep!r} ({how}: a remote file is not sniffed)")
    as_text = reading.text_columns(heads, chosen_sep, ids) if heads else list(ids)
    blank_lines = 0
    if heads:
        blank_lines = reading.check_head(heads, chosen_sep, ids, Path(files[0]).name,
                                         complete=len(files) == 1 and
                                         Path(files[0]).stat().st_size < reading.HEAD_BYTES)
    if decimal != "." and engine == "spark":
        raise DataError(f"decimal: Spark reads numbers with '.' only; got decimal={decimal!r}. "
                        "Read the file with engine='pandas' or 'duckdb', or convert it first.")
    if engine == "duckdb":
        import duckdb

        try:
            rel = duckdb.read_csv(files if len(files) > 1 else files[0], header=True,
                                  sep=chosen_sep, date_format="%Y-%m-%d",
                                  auto_type_candidates=_DUCKDB_CSV_TYPES,
                                  dtype={c: "VARCHAR" for c in as_text} or None,
                                  **({"decimal": decimal} if decimal != "." else {}))
        except duckdb.Error as exc:
            first = " ".join(str(exc).strip().splitlines()[:2])[:300]
            raise DataError(f"{Path(files[0]).name}: DuckDB could not read it as CSV with "
                            f"sep={chosen_sep!r} ({first}). Pass sep= and encoding= if they "
                            "differ, and check that text containing the separator is in "
                            "double quotes.") from exc
        if blank_lines:
            rel = _drop_blank_rows(wrap(rel))
        return _remember(rel, notes)
    session = _spark_session(spark)
    opts = dict(header=True, sep=chosen_sep, encoding="UTF-8", dateFormat="yyyy-MM-dd",
                timestampFormat="yyyy-MM-dd HH:mm:ss", mode="FAILFAST")
    df = session.read.csv(files, inferSchema=True, **opts)
    if as_text:
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(f.name, StringType() if f.name in as_text
                                         else f.dataType, True) for f in df.schema.fields])
        df = session.read.csv(files, schema=schema, **opts)
    if blank_lines:
        df = _drop_blank_rows(wrap(df))
    return _remember(df, notes)


def _drop_blank_rows(t: Table) -> Any:
    """Leave out rows whose every cell is empty, with the same DataWarning as read_table."""
    empty = functools.reduce(operator.and_, [t.blank(c) for c in t.columns])
    n = int(t.scalar_row(n=count_if(empty))["n"])
    if n:
        errors.record_filtered(pd.DataFrame(), "rows with every cell empty", n, stacklevel=4)
    return t.lazy(t.t.filter(~empty))


def _spark_session(spark: Any) -> Any:
    if spark is not None:
        return spark
    from pyspark.sql import SparkSession

    return SparkSession.builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


