"""The display-label layer (:mod:`cs_helpers.labels`): Japanese tables, identical code.

- English display is pandas' own, byte for byte; text/plain is never changed.
- In Japanese, only label cells change: every other cell of pandas' HTML (every number) is
  identical, for flat and MultiIndex tables, categoricals, Series and truncated frames.
- The IPython hook: installed by ``set_language("ja")``, asks the language at display time.
- The Japanese agrees with the 日本語 column of ``docs/glossary.md``.
- No dead entries: every label has an English that a lesson's output or the library shows.
- Coverage: every English phrase in the HTML tables of the English notebooks' outputs has a
  Japanese label, or is on the short allowlist below (with the reason).
"""

from __future__ import annotations

import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers import labels
from cs_helpers.course import datasets
from cs_helpers.course.labels_ja import COURSE_JA

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cs.set_language(None)


# --- reading the English notebooks' tables ------------------------------------------------------

class _Cells(HTMLParser):
    """The text of every th/td of every table in an HTML output, with its tag."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables += 1
        elif tag in ("th", "td") and self._tables:
            self._cell = [tag, ""]

    def handle_endtag(self, tag):
        if tag == "table":
            self._tables -= 1
        elif tag in ("th", "td") and self._cell is not None:
            self.cells.append((self._cell[0], self._cell[1]))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data


def _cells(html: str) -> list[tuple[str, str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


@cache
def _notebook_outputs() -> tuple[dict[str, set[str]], str]:
    """Label text -> notebooks whose HTML tables show it; and all text/plain output, joined."""
    shown: dict[str, set[str]] = {}
    plain: list[str] = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
                data = out.get("data", {})
                plain.append("".join(out.get("text", "")) + "".join(data.get("text/plain", "")))
                html = "".join(data.get("text/html", ""))
                if "<table" in html:
                    for _, text in _cells(html):
                        shown.setdefault(text.strip(), set()).add(path.stem)
    return shown, "\n".join(plain)


# --- English is pandas' own; only label cells change in Japanese ------------------------------------

def _tables() -> list[pd.DataFrame | pd.Series]:
    rng = np.random.default_rng(3)
    flat = pd.DataFrame({
        "churn per month": [0.0123456, 0.2, np.nan],
        "accounts": [120, 80, 4000],
        "plan": pd.Categorical(["double", "single", "double"]),
        "segment": ["promoter", "Lite", None],
        "plausible range": ["0.53% to 0.67%", "1.1% (1.0% to 1.2%)", "x"],
    }, index=pd.Index(["onboarding", "adoption", "overall"], name="phase"))
    multi = pd.DataFrame(rng.normal(size=(4, 3)) * 1000,
                         index=pd.MultiIndex.from_product([["onboarding", "maturity"],
                                                           ["Lite", "double"]],
                                                          names=["phase", "plan"]),
                         columns=pd.MultiIndex.from_tuples([("estimate", "ci_low"),
                                                            ("estimate", "ci_high"),
                                                            ("se", "")]))
    long = pd.DataFrame({"phase": ["onboarding", "adoption", "maturity"] * 40,
                         "estimate": rng.random(120), "churned": rng.random(120) < 0.3})
    series = pd.Series([0.61, 0.25, 0.14], index=["promoter", "passive", "detractor"], name="share")
    return [flat, multi, long, series, pd.DataFrame({"x": [1.5, 2.5]})]


@pytest.mark.parametrize("i", range(5))
def test_english_display_is_pandas_own(i):
    table = _tables()[i]
    cs.set_language("en")
    if isinstance(table, pd.DataFrame):
        assert labels.localize(table)._repr_html_() == table._repr_html_()
        assert labels._html_for_frame(table) == table._repr_html_()
    else:
        assert labels.localize(table)._repr_html_() is None       # a Series stays text
        assert labels._html_for_series(table) is None
    assert repr(labels.localize(table)) == repr(table)


@pytest.mark.parametrize("i", range(5))
def test_japanese_changes_only_label_cells(i):
    table = _tables()[i]
    cs.set_language("ja")
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    ja_html = labels.localize(table)._repr_html_()
    before, after = _cells(frame._repr_html_()), _cells(ja_html)
    assert len(before) == len(after)
    changed = 0
    for (tag, english), (tag2, shown) in zip(before, after, strict=True):
        assert tag == tag2
        if english != shown:                    # a label: the Japanese, then the English
            changed += 1
            japanese = labels.label(english.strip())
            assert japanese != english.strip(), (english, shown)
            assert shown.startswith(japanese)
            assert shown.endswith(english.strip()) or labels._name(english.strip()) is None
    assert changed or i == 4
    assert repr(table) == repr(labels.localize(table))               # text/plain untouched


def test_truncated_frames_keep_pandas_truncation():
    big = pd.DataFrame({"phase": ["onboarding"] * 500, "estimate": np.arange(500) / 7})
    cs.set_language("ja")
    with pd.option_context("display.max_rows", 10):
        ja, en = labels.localize(big)._repr_html_(), big._repr_html_()
    assert "500 rows × 2 columns" in ja and ja.count("<tr>") == en.count("<tr>")
    numbers = re.compile(r"<td>([-0-9.]+)</td>")
    assert numbers.findall(ja) == numbers.findall(en)


def test_styler_and_other_objects_are_left_alone():
    styler = pd.DataFrame({"phase": ["onboarding"]}).style
    assert labels.localize(styler) is styler
    assert labels.localize(3) == 3


def test_label_register_and_the_number_patterns():
    assert labels.label("detractor", "ja") == "批判者"
    assert labels.label("detractor", "en") == "detractor"
    assert labels.label("customer_id", "ja") == "customer_id"
    assert labels.label("1.1% (1.0% to 1.2%)", "ja") == "1.1%（1.0%〜1.2%）"
    assert labels.label("¥1,515,468 to ¥1,630,716", "ja") == "¥1,515,468〜¥1,630,716"
    assert labels.label("1.1% then 2", "ja") == "1.1% then 2"
    assert labels.label("2020-03 (71% new)", "ja") == "2020-03（新規71%）"
    with pytest.raises(TypeError):
        labels.register({"x": ""})
    labels.register({"a label for the test": "テスト用"})
    try:
        assert labels.label("a label for the test", "ja") == "テスト用"
    finally:
        del labels._registered["a label for the test"]


def test_a_list_of_labels_in_one_cell_reads_as_its_parts():
    # the health worklist's "rules" column: the alerts of an account joined by ", "
    assert labels.label("health_drop, no_deals", "ja") == (
        f"{labels.label('health_drop', 'ja')}、{labels.label('no_deals', 'ja')}")
    assert labels.label("health_drop, no_deals", "en") == "health_drop, no_deals"
    # one unknown part: the cell stays as it is
    assert labels.label("health_drop, a rule of our own", "ja") == "health_drop, a rule of our own"


def test_to_html_keeps_pandas_options_and_english_output():
    t = pd.DataFrame({"missing values": [0, np.nan], "note": ["<b>x</b>", "overall"]},
                     index=pd.Index(["plan", "account_id"], name="column"))
    options = dict(escape=True, na_rep="n/a", border=0, classes="dataframe")
    assert labels.to_html(t, "en", **options) == t.to_html(**options)
    ja = labels.to_html(t, "ja", **options)
    assert "欠損値の数" in ja and ">missing values</span>" in ja      # the name to type, in grey
    assert "&lt;b&gt;x&lt;/b&gt;" in ja and "<b>x" not in ja           # still escaped
    assert "<td>n/a</td>" in ja and ja.startswith('<table class="dataframe dataframe">')
    # every cell that is not a label is pandas' own
    keep = [c for c in re.findall(r"<td>(.*?)</td>", t.to_html(**options)) if "overall" not in c]
    assert all(f"<td>{c}</td>" in ja for c in keep)


def test_a_report_parameter_name_stays_the_name_to_type():
    # the report's settings table: its index holds the parameter names (-p table ...); the
    # catalog's one-word message pieces ("table" -> テーブル) must not rename them
    from cs_helpers import report

    settings = pd.DataFrame({"value": ["subs"]}, index=pd.Index(["table"], name="parameter"))
    ja = labels.to_html(settings, "ja", escape=True)
    assert "<th>table</th>" in ja and "テーブル" not in ja
    assert labels.label(report.PARAMETERS["table"].english, "ja") != report.PARAMETERS[
        "table"].english                                            # its meaning still is


def test_the_ipython_hook_follows_the_language_at_display_time():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        table = pd.DataFrame({"accounts": [3]}, index=["promoter"])
        series = pd.Series([1], index=["promoter"])
        fmt = shell.display_formatter.format
        cs.set_language("ja")                                   # installs the hook
        data, _ = fmt(table)
        assert "推奨者" in data["text/html"] and "アカウント数" in data["text/html"]
        assert data["text/plain"] == repr(table)
        assert "推奨者" in fmt(series)[0]["text/html"]
        cs.set_language("en")
        data, _ = fmt(table)
        assert data["text/html"] == table._repr_html_()
        assert "text/html" not in fmt(series)[0]
    finally:
        InteractiveShell.clear_instance()


# --- the Japanese: the glossary's terms ------------------------------------------------------------

def _glossary() -> list[tuple[list[str], list[str]]]:
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) != 4 or cols[0] in ("English", "---"):
            continue
        english = [re.sub(r"\s*\(.*?\)", "", e).strip().lower()
                   for e in re.split(r" / |, ", cols[0])]
        japanese = [j.strip("「」 ") for j in re.split(r" / |（|）|、", cols[1]) if j.strip("「」 ")]
        rows.append((english, japanese))
    return rows


def test_labels_use_the_glossary_terms():
    every = labels.registered()
    checked = 0
    for english_terms, japanese_terms in _glossary():
        for key, japanese in every.items():
            if key.lower().replace("_", " ") in english_terms:
                checked += 1
                assert any(j in japanese for j in japanese_terms), (key, japanese, japanese_terms)
    assert checked >= 15
    assert [every[k] for k in ("promoter", "passive", "detractor")] == ["推奨者", "中立者", "批判者"]
    assert [every[k] for k in ("onboarding", "adoption", "maturity")] == ["導入期", "定着期", "成熟期"]
    assert "解約率" in every["churn per month"] and "打ち切り" in every["censored counted as survivors"]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_at_risk_table_under_a_figure_reads_in_the_language(language):
    """cs.plotting.add_at_risk_counts: lifelines' table with its row title and row names (the
    fitters' labels) as cs.label shows them; the counts are lifelines' own."""
    from lifelines import KaplanMeierFitter

    fitters = [KaplanMeierFitter(label=name).fit([1, 2, 3, 5, 8], [1, 0, 1, 1, 0])
               for name in ("promoter", "detractor")]
    cs.set_language(language)
    fig, ax = cs.plotting.subplots()
    for kmf in fitters:
        kmf.plot_survival_function(ax=ax)
    cs.plotting.add_at_risk_counts(*fitters, ax=ax)
    title, *rows = fig.axes[-1].get_xticklabels()[0].get_text().splitlines()
    names = [row.rsplit(maxsplit=1)[0].strip() for row in rows]
    expected = (["At risk", "promoter", "detractor"] if language == "en"
                else ["観測中の顧客数", "推奨者", "批判者"])
    assert [title, *names] == expected
    assert [row.split()[-1] for row in rows] == ["5", "5"]      # at risk at time 0


# --- no dead entries, full coverage ------------------------------------------------------------------

@cache
def _library_words() -> str:
    """Every string literal of the library's source, and the words in the course datasets."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "cs_helpers").rglob("*.py")
                     if "course" not in p.parts)
    values = set()
    for name in ("b2b_accounts", "b2b_tickets", "b2c_members"):
        table = datasets.load(name)
        for column in table.columns:
            if table[column].dtype == object:
                values.update(map(str, table[column].dropna().unique()))
    return text + "\n" + "\n".join(sorted(values))


def test_no_dead_entries():
    shown, plain = _notebook_outputs()
    lib = _library_words()
    cut = [t[:-3] for t in shown if t.endswith("...")]

    def seen(k: str) -> bool:                     # shown, possibly cut by pandas
        return k in shown or k in plain or any(k.startswith(c) for c in cut)

    dead_course = [k for k in COURSE_JA if not seen(k)]
    assert not dead_course, f"course labels no English notebook shows: {dead_course}"
    dead_lib = [k for k in labels.LIBRARY_JA
                if not seen(k) and f'"{k}"' not in lib
                and f"'{k}'" not in lib and k not in lib.splitlines()
                and f"{k} employees" not in shown and f'"{k.split()[0]}"' not in lib]
    assert not dead_lib, f"library labels neither the library nor a notebook shows: {dead_lib}"


#: English that stays English in a Japanese table, by rule (see _allowed) or listed here.
ALLOWED: dict[str, str] = {
    # the report's parameter names (A2): what the learner passes, like a column name
    **{k: "a report parameter name (what the learner types)"
       for k in ("sep", "decimal", "encoding", "sheet", "dayfirst", "window", "table")},
    "b2b_accounts.csv": "a file name",
    "health 24 -> 9 (-16 points in a month; rule: a drop of 15 or more)":
        "an alert's detail sentence made per account by cs_helpers.health (libja's sentences)",
    "utilisation 24% over the scoring window (rule: below 30%)": "as above",
    "0 deals_sourced in each of the last 3 months": "as above",
}


@cache
def _dataset_columns() -> frozenset[str]:
    from cs_helpers.course import schema

    return frozenset(c for table in schema.TABLES.values() for c in table)


def _allowed(text: str) -> bool:
    if text in ALLOWED or re.fullmatch(r"'.*'", text):                      # repr of a value
        return True
    identifiers = [p.strip() for p in text.split(",")]
    if all(re.fullmatch(r"[a-z][a-z0-9]*(_[A-Za-z0-9+\-]+)+", p) for p in identifiers):
        return True                              # column names and lists of them (code)
    if len(identifiers) > 1 and all(re.fullmatch(r"([a-z][a-z0-9_]*)?(\.\.\.)?", p)
                                    for p in identifiers if p):
        return True                              # a list of column names (maybe cut by pandas)
    if text in _dataset_columns():
        return True                              # a column of a course dataset
    if not re.search(r"[a-z]{2,}", text):         # acronyms, numbers, NaN / NaT / True
        return True
    return text in ("Lite", "Standard", "Enterprise", "None", "False", "True")   # plan names


def _covered(text: str) -> bool:
    if labels.label(text, "ja") != text:
        return True
    if text.endswith("...") and len(text) > 40:   # cut by pandas (display.max_colwidth)
        return any(k.startswith(text[:-3]) for k in labels.registered())
    return False


def test_every_english_phrase_in_the_lessons_tables_has_a_japanese_label():
    shown, _ = _notebook_outputs()
    missing = sorted(f"{t!r} ({', '.join(sorted(nb))})" for t, nb in shown.items()
                     if re.search(r"[A-Za-z]{2,}", t) and not _allowed(t) and not _covered(t))
    assert not missing, "no Japanese display label:\n" + "\n".join(missing)


def test_the_allowlist_has_no_stale_entry():
    shown, _ = _notebook_outputs()
    assert not [k for k in ALLOWED if k not in shown]


def test_no_html_when_pandas_gives_none():
    cs.set_language("ja")
    with pd.option_context("display.notebook_repr_html", False):
        assert labels.localize(pd.DataFrame({"phase": ["onboarding"]}))._repr_html_() is None
