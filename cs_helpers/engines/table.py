"""One table, whatever holds it: Ibis expressions over it, run by its own engine.

Every input that is not a pandas DataFrame becomes a :class:`Table`: an Ibis table expression
plus a *runner* that knows how to execute an expression where the data lives.

- an **Ibis table** (``ibis.connect(url).table(name)``: DuckDB, PostgreSQL, Snowflake,
  BigQuery...) runs on its own backend;
- a **DuckDB relation** becomes an unbound Ibis table named after a view; the expression is
  compiled to DuckDB SQL and run with ``relation.query(view, sql)`` on the relation's own
  connection (no copy; a file larger than memory is streamed);
- a **Spark DataFrame** likewise: compiled to Spark SQL by Ibis's Spark compiler and run with
  ``spark.sql`` on a temporary view (Ibis's pyspark *backend* needs pyspark < 4.1; the
  compiler alone works with ours);
- a **polars** frame (eager or lazy) or a **pyarrow** table becomes ``ibis.memtable`` on an
  embedded DuckDB backend (Arrow memory, no pandas copy).

Every rule is written once as an Ibis expression. Where backends disagree the expression is
written so that they cannot: text is validated by a regular expression before it is cast
(Ibis compiles ``try_cast`` to a plain ``CAST`` on PostgreSQL and Snowflake, which fails on the
first bad value instead of giving NULL), and dates are built from validated year, month and day
integers with ``make_date`` (so 2023-02-30 is "not a date" everywhere, never an error).
"""

from __future__ import annotations

import itertools
import uuid
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from .. import dates, errors
from ..errors import DataError

_ids = itertools.count()

#: Text that pandas' ``to_numeric`` reads as a number (checked on the lower-cased, trimmed text).
NUMBER_TEXT = (r"^[+-]?(([0-9]+([.][0-9]*)?|[.][0-9]+)(e[+-]?[0-9]+)?|inf|infinity|nan)$")


# --------------------------------------------------------------------------------------------
# What kind of table is this?
# --------------------------------------------------------------------------------------------

def engine_of(table: Any) -> str:
    """Name what holds ``table``: ``"pandas"``, ``"duckdb"``, ``"spark"``, ``"ibis"``,
    ``"polars"`` or ``"arrow"``.

    Raises
    ------
    DataError
        For any other kind of object (a list, a dict...).

    Examples
    --------
    >>> engine_of(pd.DataFrame({"a": [1]}))
    'pandas'
    >>> engine_of(ibis.memtable({"a": [1]}))
    'ibis'
    """
    if isinstance(table, pd.DataFrame):
        return "pandas"
    if isinstance(table, ir.Table):
        return "ibis"
    cls = type(table)
    module = cls.__module__ or ""
    if module.startswith("duckdb") and cls.__name__ == "DuckDBPyRelation":
        return "duckdb"
    if module.startswith("pyspark") and cls.__name__ == "DataFrame":
        return "spark"
    if module.startswith("polars") and cls.__name__ in ("DataFrame", "LazyFrame"):
        return "polars"
    if module.startswith("pyarrow") and cls.__name__ == "Table":
        return "arrow"
    raise DataError(
        f"Expected a pandas or polars DataFrame, a pyarrow Table, a DuckDB relation, a Spark "
        f"DataFrame or an Ibis table, got {cls.__module__}.{cls.__name__}. Convert it first "
        "(e.g. pd.DataFrame(...), or duckdb.read_parquet('file.parquet') for files on disk).")


def is_sql_table(table: Any) -> bool:
    """True for every accepted table that is not a pandas DataFrame (they run as Ibis
    expressions).

    Examples
    --------
    >>> is_sql_table(pd.DataFrame())
    False
    """
    return not isinstance(table, pd.DataFrame) and engine_of(table) != "pandas"


# --------------------------------------------------------------------------------------------
# Runners: where an expression runs
# --------------------------------------------------------------------------------------------

_EMBEDDED: Any = None


def embedded() -> Any:
    """The embedded DuckDB backend that runs polars and pyarrow inputs (made once)."""
    global _EMBEDDED
    if _EMBEDDED is None:
        _EMBEDDED = ibis.duckdb.connect()
    return _EMBEDDED


def _spark_compiler_ready() -> None:
    """Ibis's Spark SQL compiler reads ``ibis.options.pyspark``, which only its pyspark
    backend registers; register the options without that backend (it needs pyspark < 4.1)."""
    if getattr(ibis.options, "pyspark", None) is None:
        from ibis.backends.pyspark import Backend

        ibis.options.pyspark = Backend.Options()


def _read_error(engine: str, exc: Exception) -> None:
    """A file the engine cannot read becomes a DataError (other errors pass through)."""
    text = str(exc)
    if any(k in text for k in ("CSV Error", "Error when sniffing", "MALFORMED", "Malformed",
                               "FAILFAST")):
        first = " ".join(text.strip().splitlines()[:2])[:300]
        raise DataError(f"The {engine} engine could not read the file: {first} Check the "
                        "separator (sep=), the encoding (encoding=) and that text containing "
                        "the separator is in double quotes.") from exc


class Runner:
    """Runs Ibis expressions over one input table in the input's own engine."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.engine = engine_of(source)
        if self.engine == "pandas":
            raise TypeError("pandas DataFrames take the in-memory path, not the Ibis one.")
        self.name = f"cs_helpers_{uuid.uuid4().hex[:12]}_{next(_ids)}"
        if self.engine == "ibis":
            self.table = source
        elif self.engine == "duckdb":
            from ibis.backends.sql.datatypes import DuckDBType

            schema = {c: DuckDBType.from_string(str(t))
                      for c, t in zip(source.columns, source.types, strict=True)}
            self.table = ibis.table(schema, name=self.name)
        elif self.engine == "spark":
            from ibis.backends.pyspark.datatypes import PySparkType

            _spark_compiler_ready()
            schema = {f.name: PySparkType.to_ibis(f.dataType, f.nullable)
                      for f in source.schema.fields}
            self.table = ibis.table(schema, name=self.name)
        else:
            data = source.collect() if type(source).__name__ == "LazyFrame" else source
            self.table = ibis.memtable(data)

    def sql(self, expr: ir.Expr) -> str:
        dialect = "pyspark" if self.engine == "spark" else "duckdb"
        return ibis.to_sql(expr, dialect=dialect)

    def run(self, expr: ir.Table) -> pd.DataFrame:
        """Execute ``expr`` (a small result) and return it as pandas."""
        with warnings.catch_warnings():
            # Ibis 12 calls DuckDB's deprecated fetch_arrow_table: not the user's concern
            warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
            return self._run(expr)

    def _run(self, expr: ir.Table) -> pd.DataFrame:
        try:
            if self.engine == "ibis":
                return expr.to_pandas()
            if self.engine in ("polars", "arrow"):
                return embedded().to_pandas(expr)
            if self.engine == "duckdb":
                return self.source.query(self.name, self.sql(expr)).df()
            spark = self.source.sparkSession
            self.source.createOrReplaceTempView(self.name)
            try:
                return spark.sql(self.sql(expr)).toPandas()
            finally:
                spark.catalog.dropTempView(self.name)
        except DataError:
            raise
        except Exception as exc:
            _read_error(self.engine, exc)
            raise

    def lazy(self, expr: ir.Table) -> Any:
        """``expr`` as a table of the input's kind (lazy where the engine is lazy)."""
        if self.engine == "ibis":
            return expr
        if self.engine in ("polars", "arrow"):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
                if self.engine == "polars":
                    return embedded().to_polars(expr)
                return embedded().to_pyarrow(expr)
        if self.engine == "duckdb":
            return self.source.query(self.name, self.sql(expr))
        self.source.createOrReplaceTempView(self.name)
        # the plan is analysed now, so the view may be replaced later
        return self.source.sparkSession.sql(self.sql(expr))


# --------------------------------------------------------------------------------------------
# Portable pieces
# --------------------------------------------------------------------------------------------

def _kind(dtype: Any) -> str:
    if dtype.is_date():
        return "date"
    if dtype.is_timestamp():
        return "timestamp"
    if dtype.is_string():
        return "string"
    if dtype.is_boolean():
        return "bool"
    if dtype.is_numeric():
        return "number"
    return "other"


def matches(x: ir.StringValue, pattern: str) -> ir.BooleanValue:
    """True where the whole of ``x`` matches ``pattern`` (see dates.PATTERNS)."""
    return x.re_search(f"^(?:{pattern})$")


def _group_int(x: ir.StringValue, pattern: str, k: int) -> ir.IntegerValue:
    """Group ``k`` of ``pattern`` in ``x`` as an integer (NULL where it does not match)."""
    return x.re_extract(pattern, k).nullif("").cast("int64")


@ibis.udf.scalar.builtin(name="try_strptime")
def _duck_parse(value: str, pattern: str) -> datetime:
    """DuckDB's try_strptime (NULL where the text does not fit the format)."""


@ibis.udf.scalar.builtin(name="try_to_timestamp")
def _spark_parse(value: str, pattern: str) -> datetime:
    """Spark's try_to_timestamp (NULL where the text does not fit the format)."""


@ibis.udf.agg.builtin(name="bitstring_agg")
def _duck_bitstring(value: int, lo: int, hi: int) -> str:
    """DuckDB's bitstring_agg: one bit per integer of [lo, hi], set where a value occurs."""


@ibis.udf.scalar.builtin(name="bit_count")
def _duck_bit_count(bits: str) -> int:
    """DuckDB's bit_count: the bits set in a bitstring."""


#: The widest range of integers :meth:`Table.distinct_count` counts with a bitstring (bits;
#: 32 MiB per DuckDB thread), and at most this many bits per row of the table.
BITSTRING_BITS = 2 ** 28
BITS_PER_ROW = 64


def _leap(y: ir.IntegerValue) -> ir.BooleanValue:
    return ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)


def days_in_month(y: ir.IntegerValue, m: ir.IntegerValue) -> ir.IntegerValue:
    return ibis.cases((m == 2, _leap(y).ifelse(29, 28)), (m.isin([4, 6, 9, 11]), 30),
                      else_=31)


def make_date(y: ir.IntegerValue, m: ir.IntegerValue, d: ir.IntegerValue) -> ir.DateValue:
    """The date y-m-d, NULL where it does not exist (2023-02-30): validated before
    ``make_date`` is called, so no backend ever raises on it."""
    ok = (y.between(1, 9999) & m.between(1, 12) & (d >= 1)
          & (d <= days_in_month(y, m))).fill_null(False)
    built = ibis.date(ok.ifelse(y, 2000), ok.ifelse(m, 1), ok.ifelse(d, 1))
    return ok.ifelse(built, ibis.null("date"))


def add_months(day: ir.DateValue, k: ir.IntegerValue) -> ir.DateValue:
    """The date ``k`` months after ``day``, the day clipped to the month's end (a billing
    date), as :func:`cs_helpers.lifetimes.calendar_months` counts: the backends' own month
    arithmetic (DuckDB, PostgreSQL and Spark all clip, and none moves a month-end date to later
    month ends)."""
    # date + interval is a TIMESTAMP in DuckDB and PostgreSQL, and Ibis drops a cast to the
    # type it believes the sum has (date): through TIMESTAMP the cast is written, and what
    # uses the result compares and subtracts dates (DuckDB: 3x faster than on timestamps)
    return (day + k.cast("int32").as_interval("M")).cast("timestamp").cast("date")


def days_between(start: ir.DateValue, stop: ir.DateValue) -> ir.IntegerValue:
    return stop.delta(start, unit="day")


_STEPS = ("__cs_k0", "__cs_at", "__cs_b", "__cs_other")


def with_months(table: ir.Table, start: str, stop: str, name: str, month: str) -> ir.Table:
    """``table`` with a column ``name``: the months from column ``start`` to column ``stop``
    (dates) as a float, in calendar months (:func:`cs_helpers.lifetimes.calendar_months`) or
    days / 30.4375.

    Calendar months: ``k0`` whole months between the two dates' months; the anniversary of
    ``start`` in ``stop``'s month; if it falls after ``stop`` (``b``), the last anniversary is
    one month earlier and that one is the next, otherwise the next is one month later. So two
    month additions per row (the month arithmetic is what costs), not three.

    Built in steps (one projection each) so that the SQL says each intermediate once: written
    as one expression it would repeat them (178 kB of SQL for Spark)."""
    if month == "average":
        return table.mutate(**{name: days_between(table[start], table[stop]).cast("float64")
                               / dates.DAYS_PER_MONTH})
    k0, at, late, other = _STEPS
    t = table.mutate(**{k0: (table[stop].year() - table[start].year()) * 12
                        + table[stop].month() - table[start].month()})
    t = t.mutate(**{at: add_months(t[start], t[k0])})
    t = t.mutate(**{late: (t[at] > t[stop]).ifelse(1, 0)})
    t = t.mutate(**{other: add_months(t[start], t[k0] + 1 - 2 * t[late])})
    is_late = t[late] == 1
    last = is_late.ifelse(t[other], t[at])
    following = is_late.ifelse(t[at], t[other])
    t = t.mutate(**{name: (t[k0] - t[late]).cast("float64")
                    + days_between(last, t[stop]).cast("float64")
                    / days_between(last, following).cast("float64")})
    return t.drop(*_STEPS)


#: The column :func:`once` adds (a random number nobody reads).
ONCE = "__cs_once"


def once(table: ir.Table) -> ir.Table:
    """``table`` (a projection) computed once per row, not re-expanded where it is used.

    A planner may merge a subquery into the query above it, replacing each reference to a
    column by the column's expression (PostgreSQL does: a date read from text, some 25 kB of
    SQL, was then evaluated at each of the dozen places the checks and the month arithmetic
    use it, and once more inside each of those: 35 s to minutes on 24,000 rows). A volatile
    function in the projection forbids that merge (PostgreSQL, Snowflake, BigQuery and Spark
    never duplicate a volatile expression), so the projection is evaluated once per row and
    everything above it reads its columns. ``random()`` costs next to nothing.
    """
    return table.mutate(**{ONCE: ibis.random()})


def where(table: ir.Table, cond: ir.BooleanValue) -> ir.Table:
    """``table.filter(cond)``, kept above a :func:`once` projection.

    A planner may also push a filter down into the projection it reads, substituting the
    columns' expressions (PostgreSQL does, for every column that is not volatile), and so read
    the date again from text in the filter. A condition that also reads the volatile column
    stays where it is written: ``cond OR random < 0`` is ``cond`` (random() is never negative)
    as a single condition that cannot be split.
    """
    if ONCE in table.columns:
        cond = cond | (table[ONCE] < 0)
    return table.filter(cond)


_where = where      # Table.first_ids has an argument of that name


def period(day: ir.DateValue, freq: str) -> ir.IntegerValue:
    """The pandas period ordinal of a date (months/quarters/years since 1970)."""
    if freq == "M":
        return (day.year() - 1970) * 12 + day.month() - 1
    if freq == "Q":
        return (day.year() - 1970) * 4 + day.quarter() - 1
    return day.year() - 1970


def infinite(x: ir.FloatingValue) -> ir.BooleanValue:
    return ((x == ibis.literal(float("inf"))) | (x == ibis.literal(float("-inf")))).fill_null(False)


def not_a_number(x: ir.FloatingValue) -> ir.BooleanValue:
    return x.isnull() | x.isnan().fill_null(False)


def literal_date(ts: pd.Timestamp) -> ir.DateValue:
    return ibis.date(ts.date().isoformat())


def count_if(cond: ir.BooleanValue) -> ir.IntegerScalar:
    """Rows where ``cond`` is true (NULL counts as false)."""
    return cond.ifelse(1, 0).sum()


# --------------------------------------------------------------------------------------------
# The table and its checks
# --------------------------------------------------------------------------------------------

class Table:
    """An input table as an Ibis expression, with what the checks need to know about it."""

    def __init__(self, runner: Runner, table: ir.Table | None = None) -> None:
        self.runner = runner
        self.t = runner.table if table is None else table
        self.engine = runner.engine
        schema = self.t.schema()
        self.columns = list(schema.names)
        self.kinds = {c: _kind(schema[c]) for c in self.columns}
        self.plans: dict[str, dates.DatePlan] = {}

    @classmethod
    def of(cls, source: Any) -> Table:
        return cls(Runner(source))

    def derive(self, table: ir.Table) -> Table:
        """Another table over the same input (a projection or a filter of it)."""
        out = Table(self.runner, table)
        out.plans = dict(self.plans)
        return out

    def run(self, expr: ir.Table) -> pd.DataFrame:
        return self.runner.run(expr)

    def scalar_row(self, **aggs: ir.Scalar) -> pd.Series:
        """One row of aggregates over the table."""
        return self.run(self.t.aggregate(**aggs)).iloc[0]

    def lazy(self, expr: ir.Table) -> Any:
        return self.runner.lazy(expr)

    def __getitem__(self, col: str) -> ir.Column:
        return self.t[col]

    # values ---------------------------------------------------------------------------------
    def blank(self, col: str) -> ir.BooleanValue:
        """True where ``col`` is missing (NULL, NaN or blank text)."""
        c = self.t[col]
        if self.kinds[col] == "string":
            return c.isnull() | (c.strip() == "").fill_null(False)
        if self.kinds[col] == "number" and c.type().is_floating():
            return c.isnull() | c.isnan().fill_null(False)
        return c.isnull()

    def number(self, col: str) -> ir.FloatingValue:
        """``col`` as a double (NULL where it is not a number)."""
        c = self.t[col]
        if self.kinds[col] == "number":
            return c.cast("float64")
        if self.kinds[col] == "string":
            s = c.strip()
            # validated before the cast: try_cast is a plain CAST on some backends
            return matches(s.lower(), NUMBER_TEXT[1:-1]).fill_null(False).ifelse(
                s.try_cast("float64"), ibis.null("float64"))
        return ibis.null("float64")

    def date_text(self, col: str) -> ir.StringValue:
        """The value of ``col`` as the text the date rules read (as dates.as_text)."""
        c, kind = self.t[col], self.kinds[col]
        if kind == "number":
            if c.type().is_integer():
                return c.cast("string")
            small = ~infinite(c.cast("float64")) & (c.abs() < 2.0 ** 62)
            whole = small.fill_null(False).ifelse(c == c.floor(), False).fill_null(False)
            return self.blank(col).ifelse(
                ibis.null("string"),
                whole.ifelse(c.floor().cast("int64").cast("string"), c.cast("string")))
        return c.cast("string").strip()

    def date_form(self, col: str) -> ir.StringValue:
        """The form of each value (dates.FORMS): the same test as dates.classify."""
        x, P = self.date_text(col), dates.PATTERNS
        a = _group_int(x, dates.PARTS["slash"], 1)
        b = _group_int(x, dates.PARTS["slash"], 2)
        slash = ibis.cases((a == b, "same"), ((a > 12) & (b <= 12), "dmy"),
                           ((b > 12) & (a <= 12), "mdy"), ((a <= 12) & (b <= 12), "amb"),
                           else_="other")
        branches = [(self.blank(col), "blank")]
        branches += [(matches(x, P[f]).fill_null(False), f)
                     for f in ("iso", "ymd", "compact", "kanji")]
        branches += [(matches(x, P["slash"]).fill_null(False), slash),
                     (matches(x, P["serial"]).fill_null(False), "serial")]
        return ibis.cases(*branches, else_="other")

    def plan_dates(self, columns: Sequence[str | None], id_col: str | None, what: str,
                   date_format: str | None = None, dayfirst: bool | None = None) -> None:
        """Decide how to read each date column (dates.decide), counting forms in one pass.

        DATE and TIMESTAMP columns need no decision. A column that breaks a date rule raises
        the same DataError as pandas (with the forms found, examples and the first ids).
        """
        todo = []
        for col in columns:
            if col is None or col in self.plans:
                continue
            if self.kinds[col] in ("date", "timestamp"):
                self.plans[col] = dates.DatePlan(label="a date/time column")
            else:
                todo.append(col)
        if not todo:
            return
        forms = {col: self.date_form(col) for col in todo}
        keys = {f"f{i}": forms[col] for i, col in enumerate(todo)}
        got = self.run(self.t.group_by(**keys).aggregate(n=self.t.count()))
        n_rows = int(got["n"].sum()) if len(got) else 0
        if n_rows == 0:
            raise DataError(f"The {what} table is empty (0 rows): there is nothing to measure.")
        for i, col in enumerate(todo):
            counts = {str(k): int(v) for k, v in got.groupby(f"f{i}")["n"].sum().items()}
            plan = dates.decide(counts, date_format=date_format, dayfirst=dayfirst)
            if plan.rule == dates.NOT_A_DATE and plan.bad == ("other",):
                # as pandas: dates of a readable form that are no date (2023-02-30) join the
                # same message
                rest = {f: n for f, n in counts.items() if f != "other"}
                trial = dates.decide(rest, date_format=date_format, dayfirst=dayfirst)
                if trial.rule is None:
                    self.plans[col] = trial
                    bad = (forms[col] == "other") | (~self.blank(col) & self.date(col).isnull())
                    del self.plans[col]
                    n_bad = int(self.scalar_row(n=count_if(bad))["n"])
                    self.fail(col, plan.rule, n_bad, n_rows, bad, id_col)
            if plan.rule is not None:
                x = self.date_text(col)
                parts = [self.t.filter(forms[col] == f).select(f=ibis.literal(f), v=x).limit(1)
                         for f in plan.counts]
                ex = self.run(ibis.union(*parts) if len(parts) > 1 else parts[0])
                examples = {str(f): str(v) for f, v in zip(ex["f"], ex["v"], strict=True)}
                n_bad = sum(plan.counts.get(f, 0) for f in plan.bad)
                self.fail(col, dates.message(plan, examples), n_bad, n_rows,
                          forms[col].isin(list(plan.bad)), id_col)
            self.plans[col] = plan

    def date(self, col: str, leaf: Any = None) -> ir.DateValue:
        """``col`` as a date (NULL for missing, blank or unreadable values), read by the plan
        :meth:`plan_dates` made for it.

        ``leaf(name, expr)`` (used by :meth:`with_dates`) may replace each piece read from the
        text (the trimmed text, each date part, each form test) by a column computed earlier."""
        leaf = leaf or (lambda name, expr: expr)
        c, kind = self.t[col], self.kinds[col]
        if kind == "date":
            return c
        if kind == "timestamp":
            return c.cast("date")
        if col not in self.plans:
            self.plan_dates([col], None, "input")
        plan, x = self.plans[col], leaf("x", self.date_text(col))
        P, parts = dates.PATTERNS, dates.PARTS

        def ymd(form: str, y: int = 1, m: int = 2, d: int = 3) -> ir.DateValue:
            return make_date(*(leaf(f"{form}{k}", _group_int(x, parts[form], k))
                               for k in (y, m, d)))

        def is_form(form: str) -> ir.BooleanValue:
            return leaf(f"is_{form}", matches(x, P[form]).fill_null(False))

        iso = is_form("iso")
        if plan.fmt is not None:
            return iso.ifelse(ymd("iso"), self._strptime(x, plan.fmt))
        if plan.excel:
            serial = is_form("serial")
            whole = x.re_extract(r"^([0-9]{1,5})", 1).nullif("").cast("int64")
            shifted = (ibis.date(dates.EXCEL_EPOCH) + whole.cast("int32").as_interval("D"))
            return ibis.cases((iso, ymd("iso")), (serial, shifted.cast("date")),
                              else_=ibis.null("date"))
        # only the forms the column holds (the plan counted them): a short expression
        present = set(plan.counts) or set(dates.FORMS)
        if present <= {"iso", "blank"}:
            # every value matched the ISO pattern: its date parts read directly
            return ymd("iso")
        branches = [(is_form(f), ymd(f))
                    for f in ("iso", "ymd", "compact", "kanji") if f in present]
        if plan.order is not None and present & {"dmy", "mdy", "amb", "same"}:
            y, mo, d = (3, 2, 1) if plan.order == "dmy" else (3, 1, 2)
            branches.append((is_form("slash"), ymd("slash", y, mo, d)))
        if not branches:
            return ibis.null("date")
        return ibis.cases(*branches, else_=ibis.null("date"))

    def with_dates(self, columns: dict[str, str]) -> ir.Table:
        """The table plus, for each ``name: col`` of ``columns``, a column ``name`` holding
        ``col`` read as a date (as :meth:`date`), each piece computed once per row.

        Read in one expression, a date from text repeats each of its parts (the year a dozen
        times, each a regular-expression match); here the pieces (trimmed text, date parts,
        form tests) are columns of a first projection and the date is built from them in a
        second, both kept by :func:`once` from being merged into what uses them.
        """
        pieces: dict[str, ir.Value] = {}

        def collect(i: int) -> Any:
            def leaf(name: str, expr: ir.Value) -> ir.Value:
                pieces[f"__cs_p{i}_{name}"] = expr
                return expr
            return leaf

        text = {out: col for out, col in columns.items()
                if self.kinds[col] not in ("date", "timestamp")}
        for i, (out, col) in enumerate(columns.items()):
            if out in text:
                self.date(col, collect(i))
        a = once(self.t.mutate(**pieces)) if pieces else self.t
        read = Table(self.runner, a)
        read.plans = dict(self.plans)
        built: dict[str, ir.Value] = {}
        for i, (out, col) in enumerate(columns.items()):
            if out in text:
                built[out] = read.date(col, lambda name, expr, i=i: a[f"__cs_p{i}_{name}"])
            else:
                built[out] = read.date(col)
        b = a.mutate(**built)
        if pieces:
            b = once(b).drop(*pieces)
        return b

    def _strptime(self, x: ir.StringValue, fmt: str) -> ir.DateValue:
        """``x`` read with a strptime format (``date_format=``): the engine's own parser,
        NULL where it fails. DuckDB and Spark only (PostgreSQL's to_date is lenient)."""
        if self.engine == "spark":
            java = dates.to_java_format(fmt)
            return _spark_parse(x, java).cast("date")
        backend = self._backend_name()
        if backend != "duckdb":
            raise DataError(f"date_format={fmt!r} is read by pandas, DuckDB and Spark; this "
                            f"table is on {backend}. Cast the column to a DATE in a view (or "
                            "export ISO dates, 2024-01-31) and pass that instead.")
        return _duck_parse(x, fmt).cast("date")

    def _backend_name(self) -> str:
        if self.engine == "ibis":
            try:
                return self.t.get_backend().name
            except Exception:       # an unbound table: compiled elsewhere
                return "unknown"
        return "duckdb" if self.engine in ("duckdb", "polars", "arrow") else self.engine

    def bitstring_distinct(self, keys: Sequence[tuple[str, Callable[[ir.Value], ir.Value]]],
                           more: dict[str, ir.Scalar] | None = None,
                           answers: dict[str, Any] | None = None
                           ) -> tuple[ir.Scalar, ir.Scalar] | None:
        """Aggregates counting, exactly, the distinct combinations of integer keys and the rows
        where every key is present, with DuckDB's ``bitstring_agg`` (one bit per possible
        value): a few times faster than ``count(DISTINCT ...)``, which builds a hash table of
        every value.

        ``keys`` are ``(column, f)``: the key is ``f(column)``, where ``f`` is non-decreasing
        and gives integers (e.g. a date's month number), so its range is ``f`` of the column's
        minimum and maximum. Those come from one query over the input table (answered from the
        file's statistics for Parquet). Returns ``None`` (use ``count(DISTINCT)``) off DuckDB,
        for keys that are not integers, and when the range of combinations is wider than
        :data:`BITSTRING_BITS` or :data:`BITS_PER_ROW` per row. Like ``count(DISTINCT)``, rows
        with a missing key are not counted.

        ``more`` are further aggregates over the input table to compute in that same query
        (minimums, maximums and counts, which DuckDB also answers from a Parquet file's
        statistics); their values are put in ``answers`` when the query runs.
        """
        if self._backend_name() != "duckdb":
            return None
        base = self.runner.table
        if any(col not in base.columns or col not in self.columns for col, _ in keys):
            return None
        lows = [f(base[col].min()) for col, f in keys]
        if not all(v.type().is_integer() for v in lows):
            return None
        aggs: dict[str, ir.Scalar] = {"n": base.count()}
        for i, (col, f) in enumerate(keys):
            aggs[f"lo{i}"], aggs[f"hi{i}"] = lows[i], f(base[col].max())
        extra = {f"more_{name}": agg for name, agg in (more or {}).items()}
        row = self.run(base.aggregate(**aggs, **extra)).iloc[0]
        if answers is not None:
            answers.update({name: row[f"more_{name}"] for name in (more or {})})
        n = _int(row["n"])
        if n == 0 or any(pd.isna(row[f"{e}{i}"]) for e in ("lo", "hi")
                         for i in range(len(keys))):
            return None
        spans = [int(row[f"hi{i}"]) - int(row[f"lo{i}"]) + 1 for i in range(len(keys))]
        bits = 1
        for span in spans:
            bits *= span
        if bits > min(BITSTRING_BITS, BITS_PER_ROW * n):
            return None
        key: ir.IntegerValue | None = None
        for i, (col, f) in enumerate(keys):
            part = f(self.t[col]).cast("int64") - int(row[f"lo{i}"])
            key = part if key is None else key * spans[i] + part
        assert key is not None
        return _duck_bit_count(_duck_bitstring(key, 0, bits - 1)), key.count()

    # checks ---------------------------------------------------------------------------------
    def check_columns(self, columns: Sequence[str | None], what: str) -> None:
        missing = [c for c in columns if c is not None and c not in self.columns]
        if missing:
            raise DataError(errors.missing_columns_message(missing, self.columns, what))

    def check_rules(self, rules: Sequence[tuple[str, str, ir.BooleanValue]],
                    id_col: str | None, what: str,
                    extra: dict[str, ir.Scalar] | None = None, unique: str | None = None,
                    after_unique: Sequence[tuple[str, str, ir.BooleanValue]] = (),
                    stats: dict[str, ir.Scalar] | None = None) -> pd.Series:
        """Count, in one pass, the rows breaking each rule; raise for the first one broken.

        ``rules`` are ``(column, rule text, true for a bad row)``, checked in order, then
        ``unique`` (a column whose values must be unique), then ``after_unique``. A rule may
        carry a fourth item, a *screen*: an aggregate that is true when some row may break the
        rule (e.g. a DATE column's minimum and maximum against the limits, which DuckDB reads
        far faster than it tests every row); the pass then computes the screen only, and the
        bad rows are counted by a second query when it is true (same message).
        ``extra`` are further aggregates to compute in the same pass (returned), ``stats``
        too, but made of minimums, maximums and counts of the table's columns only (returned).

        A screen is made of minimums, maximums and counts only. So are ``stats`` and the row
        count: on DuckDB, when the unique-id check reads the id column's range first (see
        :meth:`bitstring_distinct`) and the rules are over the input table itself, they are
        computed by that query, which DuckDB answers from a Parquet file's statistics without
        reading the rows, rather than by the pass over every row (about a quarter of that pass
        for the subscription checks).
        """
        every = list(rules) + list(after_unique)
        cheap: dict[str, ir.Scalar] = {"n_rows": self.t.count()}
        for i, rule in enumerate(every):
            if len(rule) > 3:
                # a screened rule: the pass computes only the screen (e.g. the column's minimum
                # and maximum against the limits); the rows are counted by a second query, and
                # only when the screen says some row may break the rule
                cheap[f"screen_{i}"] = rule[3]
        cheap.update(stats or {})
        aggs: dict[str, ir.Scalar] = {f"bad_{i}": count_if(rule[2])
                                      for i, rule in enumerate(every) if len(rule) <= 3}
        answered: dict[str, Any] = {}
        if unique is not None:
            over_input = self.t is self.runner.table
            fast = self.bitstring_distinct([(unique, lambda c: c)],
                                           more=cheap if over_input else None,
                                           answers=answered)
            aggs["n_distinct"], aggs["n_present"] = fast or (self.t[unique].nunique(),
                                                             self.t[unique].count())
        aggs.update({k: v for k, v in cheap.items() if k not in answered})
        aggs.update(extra or {})
        row = self.scalar_row(**aggs)
        if answered:
            row = pd.concat([row, pd.Series(answered, dtype=object)])
        n_rows = int(row["n_rows"])
        if n_rows == 0:
            raise DataError(f"The {what} table is empty (0 rows): there is nothing to measure.")
        def broken(i: int, rule: tuple) -> int:
            if len(rule) > 3:
                if not _true(row[f"screen_{i}"]):
                    return 0
                return _int(self.scalar_row(n=count_if(rule[2]))["n"])
            return _int(row[f"bad_{i}"])

        for i, rule in enumerate(rules):
            n_bad = broken(i, rule)
            if n_bad:
                self.fail(rule[0], rule[1], n_bad, n_rows, rule[2], id_col)
        if unique is not None and int(row["n_distinct"]) < int(row["n_present"]):
            u = self.t[unique]
            per = self.t.group_by(id=u).aggregate(c=self.t.count()).filter(lambda g: g.c > 1)
            dup = _int(self.run(per.aggregate(n=per.c.sum()))["n"].iloc[0])
            rows = self.t.filter(u.isin(per.id)).select(id=u)
            ids = self.run(rows.order_by("id").limit(errors.MAX_IDS))["id"]
            self.message(unique, "ids must be unique (one row per customer)", dup, n_rows,
                         [str(v) for v in ids], True)
        for i, rule in enumerate(after_unique, start=len(rules)):
            n_bad = broken(i, rule)
            if n_bad:
                self.fail(rule[0], rule[1], n_bad, n_rows, rule[2], id_col)
        return row

    def first_ids(self, where: ir.BooleanValue, id_col: str) -> list[str]:
        """Up to errors.MAX_IDS ids of rows where ``where`` holds."""
        got = self.run(_where(self.t, where).select(id=self.t[id_col])
                       .limit(errors.MAX_IDS))
        return [str(v) for v in got["id"]]

    def fail(self, column: str, rule: str, n_bad: int, n_rows: int, bad: ir.BooleanValue,
             id_col: str | None) -> None:
        ids = self.first_ids(bad, id_col) if id_col is not None else []
        self.message(column, rule, n_bad, n_rows, ids, id_col is not None)

    @staticmethod
    def message(column: str, rule: str, n_bad: int, n_rows: int, ids: list[str],
                has_ids: bool) -> None:
        more = ", …" if n_bad > len(ids) else ""
        which = (f" (first ids: {', '.join(ids)}{more})" if has_ids and ids
                 else " (the table has no id column to name them)")
        raise DataError(f"Column '{column}': {rule} — {n_bad:,} of {n_rows:,} rows break this "
                        f"rule{which}.")


def _true(value: Any) -> bool:
    """An aggregated condition as a bool (NULL is False)."""
    return value is not None and not pd.isna(value) and bool(value)


def _int(value: Any) -> int:
    """An aggregate as an int (NULL, i.e. None or NaN, is 0)."""
    return 0 if value is None or pd.isna(value) else int(value)


def wrap(table: Any) -> Table:
    """:class:`Table` over any accepted non-pandas input."""
    return Table.of(table)


_RANGE_RULE = ("dates must lie between 1677-09-22 and 2262-04-11 (a placeholder such as "
               "9999-12-31 for 'no date' should be left empty)")


def date_rules(t: Table, column: str, allow_missing: bool,
               day: ir.DateValue | None = None) -> list[tuple[str, str, ir.BooleanValue]]:
    """The rules :func:`cs_helpers.dates.parse_dates` checks (after plan_dates).

    ``day`` is the column read as a date (default :meth:`Table.date`)."""
    plan = t.plans.get(column) or dates.DatePlan()
    day = t.date(column) if day is None else day
    blank = t.blank(column)
    native = t.kinds.get(column) in ("date", "timestamp")
    # a DATE or TIMESTAMP column is never "not a date" where it is present: that rule is
    # counted for text (and numbers) only
    rules: list[tuple] = [] if native else [(column, plan.invalid_rule, ~blank & day.isnull())]
    if not allow_missing and native:
        # screened by the column's count of values (a DATE/TIMESTAMP value is missing exactly
        # where it is NULL)
        rules.append((column, "dates must not be missing", blank,
                      t[column].count() < t.t.count()))
    elif not allow_missing:
        rules.append((column, "dates must not be missing", blank))
    lo, hi = ibis.date("1677-09-22"), ibis.date("2262-04-11")
    outside = (day < lo) | (day > hi)
    if native:
        # screened by the column's extremes (see Table.check_rules)
        rules.append((column, _RANGE_RULE, outside,
                      ((day.min() < lo) | (day.max() > hi)).fill_null(False)))
    else:
        rules.append((column, _RANGE_RULE, outside))
    return rules


def warn_duplicate_rows(t: Table, what: str, stacklevel: int = 5) -> None:
    """Without an id column, count rows that repeat another row exactly (as pandas does)."""
    import warnings

    n = int(t.scalar_row(n=t.t.count())["n"])
    distinct = t.t.distinct()
    d = int(t.run(distinct.aggregate(n=distinct.count()))["n"].iloc[0])
    if n - d:
        warnings.warn(errors.duplicate_rows_message(n - d, what, []), errors.DataWarning,
                      stacklevel=stacklevel)


