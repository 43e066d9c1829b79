"""The Japanese edition (issue 16): translation files, staleness, the build and notebooks/ja/.

One source: the Japanese notebooks are built from the English ones and `translations/ja/*.yaml`
(`python -m cs_helpers.course.translate build`, `make notebooks-ja`). The tests check, on the
real files: no translation is stale against the English notebooks (i); the committed
notebooks/ja/ are what the build writes (iii); translated code changes only strings and comments
(iv); its outputs show every number the English outputs show (iv b); the prose of a Japanese
notebook is Japanese (v); its **所要時間:** line has the English numbers (vi); every English lesson has a Japanese twin, or is listed in NOT_YET (vii). The
mechanism tests (staleness detected after an English edit (ii), the build, the checks
themselves) run on temporary copies and small made-up notebooks, never on the translators' files.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import nbformat
import pytest
from _japanese import english_units, japanese_share, prose

from cs_helpers.course import lab
from cs_helpers.course import translate as tr

ROOT = Path(__file__).resolve().parent.parent
STEMS = tr.lesson_stems(ROOT)
SOLUTION_STEMS = tr.solution_stems(ROOT)        # solutions/<name>: the second collection
ALL_STEMS = [*STEMS, *SOLUTION_STEMS]
JA_NOTEBOOKS = sorted((ROOT / "notebooks" / "ja").glob("*.ipynb"))
JA_SOLUTIONS = sorted((ROOT / "exercises" / "solutions" / "ja").glob("*.ipynb"))

# Lessons without a complete Japanese twin in notebooks/ja/ yet. Each is an expected failure
# (xfail, strict): when its translation lands and `make notebooks-ja` builds it, the test passes,
# strict xfail turns that into a failure, and the stem must be removed from here.
NOT_YET: dict[str, str] = {
    # stem -> why its Japanese twin is missing (a strict xfail: remove the entry when it lands)
}

CMD = "python -m cs_helpers.course.translate"


# --------------------------------------------------------------------------------------------
# the checks, as functions (so that the mechanism tests can show that they fail when they must)
# --------------------------------------------------------------------------------------------

def _built(stem: str, root: Path = ROOT) -> Path:
    """notebooks/ja/<stem>.ipynb, or exercises/solutions/ja/<name>.ipynb for solutions/<name>."""
    return tr._paths(root, "ja", stem)[2]


def _english_of(path: Path) -> Path:
    """The English notebook of a built Japanese one (one folder up, same name)."""
    return path.parent.parent / path.name


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def translation_problems(stem: str, root: Path = ROOT) -> str:
    """'' when the translation file of ``stem`` is in step with the English notebook, else what
    is wrong and how to fix it."""
    st = tr.status(stem, root=root)
    out = []
    if st.stale:
        out.append(f"cells {', '.join(st.stale)} are stale: the English changed since they were "
                   f"translated. `{CMD} diff {stem}` shows what changed; update their `ja` in "
                   f"translations/ja/{stem}.yaml, then `{CMD} accept {stem} "
                   f"{' '.join(st.stale)}` (never edit `source` by hand)")
    if st.no_file or st.missing or st.orphans:
        out.append(f"the file is not in step with the notebook's cells (new: {st.missing}, "
                   f"gone: {st.orphans}): run `{CMD} extract {stem}`")
    return "; ".join(out)


def time_numbers(markdown: str, label: str) -> list[int] | None:
    """The numbers on the line that carries ``label`` (**Time:** / **所要時間:**), or None."""
    for line in markdown.split("\n"):
        if label in line:
            return [int(n) for n in re.findall(r"\d+", prose(line))]
    return None


def _without_set_language(code: str) -> tuple[str, int]:
    lines = code.split("\n")
    kept = [ln for ln in lines if ln != tr.SET_LANGUAGE_LINE]
    return "\n".join(kept), len(lines) - len(kept)


# --------------------------------------------------------------------------------------------
# a small made-up course in a temporary folder, for the mechanism tests
# --------------------------------------------------------------------------------------------

def _notebook(cells: list[tuple[str, str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for cid, kind, text in cells:
        cell = (nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                else nbformat.v4.new_code_cell(text))
        cell["id"] = cid
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


ALPHA = [
    ("title", "markdown",
     "# 01 · Alpha\n\n**Time:** core path 10 min + exercises 5 min.\n\n"
     "See [the guide](../docs/guide.md#top), [the next lesson](02_beta.ipynb), "
     "![a figure](img/p.png) and <a href=\"../exercises/01_alpha.ipynb\">the exercises</a>; "
     "`[code](../docs/x.md)` stays."),
    ("setup", "code",
     "import numpy as np\n\nimport cs_helpers as cs\n\nx = np.arange(3)  # three months\n"
     "print(f\"{x.sum():,} customers\")"),
    ("prose", "markdown", "Churn is the share of customers who leave in a month."),
    ("plot", "code", "title = \"Churn per month\"\nprint(title)"),
    ("again", "code", "import cs_helpers as cs\nprint(cs.get_language())"),
]
ALPHA_JA = {
    "title": "# 01 · アルファ\n\n**所要時間:** 基本コース 10 分 + 演習 5 分\n\n"
             "[ガイド](../docs/guide.md#top)、[次の回](02_beta.ipynb)、![図](img/p.png)、"
             "<a href=\"../exercises/01_alpha.ipynb\">演習</a>を見てください。"
             "`[code](../docs/x.md)` はそのままです。\n",
    "prose": "チャーンレート（解約率）は、1か月に解約した顧客の割合です。\n",
    "plot": "title = \"月次チャーンレート\"\nprint(title)\n",
}
BETA = [
    ("title", "markdown", "# 02 · Beta\n\nBack to [alpha](01_alpha.ipynb)."),
    ("code", "code", "import cs_helpers as cs\nprint('hi')"),
]
BETA_JA = {"title": "# 02 · ベータ\n\n[アルファ](01_alpha.ipynb)に戻る。\n"}


def _fill(root: Path, stem: str, ja: dict[str, str]) -> None:
    path = root / "translations" / "ja" / f"{stem}.yaml"
    data = tr.load(path)
    for entry in data["cells"]:
        if entry["id"] in ja:
            entry["ja"] = ja[entry["id"]]
    tr.dump(data, path)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    for stem, cells in (("01_alpha", ALPHA), ("02_beta", BETA)):
        nbformat.write(_notebook(cells), tmp_path / "notebooks" / f"{stem}.ipynb")
        tr.extract(stem, root=tmp_path)
    _fill(tmp_path, "01_alpha", ALPHA_JA)
    return tmp_path


def _edit_english(root: Path, stem: str, cid: str, text: str) -> None:
    path = root / "notebooks" / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c["id"] == cid)["source"] = text
    nbformat.write(nb, path)


# --------------------------------------------------------------------------------------------
# (i) the real translation files are in step with the English notebooks
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ALL_STEMS)
def test_no_translation_is_stale(stem):
    problems = translation_problems(stem)
    assert problems == "", f"translations/ja/{stem}.yaml: {problems}"


# --------------------------------------------------------------------------------------------
# (ii) staleness, on a temporary copy of a real notebook and its translation file
# --------------------------------------------------------------------------------------------

def test_changing_an_english_markdown_cell_makes_the_staleness_check_fail(tmp_path, capsys):
    stem = "03_kpi_churn"
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "translations" / "ja").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / f"{stem}.ipynb", tmp_path / "notebooks")
    shutil.copy(ROOT / "translations" / "ja" / f"{stem}.yaml", tmp_path / "translations" / "ja")
    tr.extract(stem, root=tmp_path)                 # in step, whatever the translators did
    entries = tr.load(tmp_path / "translations" / "ja" / f"{stem}.yaml")["cells"]
    cid = next(e["id"] for e in entries if e["type"] == "markdown")
    _fill(tmp_path, stem, {cid: "# 03 · KPI 1: チャーンレート（解約率）\n"})
    assert translation_problems(stem, tmp_path) == ""

    nb = nbformat.read(tmp_path / "notebooks" / f"{stem}.ipynb", as_version=4)
    old = next(c for c in nb.cells if c["id"] == cid).source
    _edit_english(tmp_path, stem, cid, old.replace("churn rate", "churn rates", 1) + "\nA new line.")
    problems = translation_problems(stem, tmp_path)
    assert cid in problems and "stale" in problems
    assert f"accept {stem} {cid}" in problems and f"diff {stem}" in problems
    # the command line says so too, with exit code 1
    assert tr.main(["--root", str(tmp_path), "status", stem]) == 1
    assert "stale" in capsys.readouterr().out
    # extract does not hide it: a translated cell keeps the source it was translated from
    tr.extract(stem, root=tmp_path)
    assert cid in tr.status(stem, root=tmp_path).stale
    assert "+A new line." in tr.diff(stem, root=tmp_path)
    # a person updates ja and accepts: in step again
    _fill(tmp_path, stem, {cid: "# 03 · KPI 1: チャーンレート（解約率）\n\n新しい行です。\n"})
    tr.accept(stem, [cid], root=tmp_path)
    assert translation_problems(stem, tmp_path) == ""
    assert tr.main(["--root", str(tmp_path), "status", stem]) == 0


def test_a_changed_code_cell_with_a_translation_is_stale_and_one_without_is_not(course):
    _edit_english(course, "01_alpha", "plot", "title = \"Churn per month (%)\"\nprint(title)")
    _edit_english(course, "01_alpha", "again", "import cs_helpers as cs\nprint(1)")
    st = tr.status("01_alpha", root=course)
    assert st.stale == ["plot"]                 # translated: stale until accepted
    assert "again" in st.copied                 # untranslated code: copied as it is now
    assert not st.complete


def test_extract_refreshes_only_untranslated_cells_and_follows_the_notebook(course):
    _edit_english(course, "01_alpha", "prose", "Churn is the share who leave.")   # translated
    _edit_english(course, "02_beta", "code", "import cs_helpers as cs\nprint('hello')")
    nb = nbformat.read(course / "notebooks" / "02_beta.ipynb", as_version=4)
    new = nbformat.v4.new_markdown_cell("A new cell.")
    new["id"] = "new-cell"
    nb.cells.append(new)
    nbformat.write(nb, course / "notebooks" / "02_beta.ipynb")
    assert "new-cell" in translation_problems("02_beta", course)            # missing: extract
    tr.extract("01_alpha", root=course)
    tr.extract("02_beta", root=course)
    assert tr.status("01_alpha", root=course).stale == ["prose"]
    beta = {e["id"]: e for e in tr.load(course / "translations/ja/02_beta.yaml")["cells"]}
    assert beta["code"]["source"] == "import cs_helpers as cs\nprint('hello')"
    assert beta["new-cell"] == {"id": "new-cell", "type": "markdown", "source": "A new cell.",
                                "ja": None}


def test_accept_refuses_untranslated_and_unknown_cells(course):
    with pytest.raises(tr.TranslationError, match="untranslated"):
        tr.accept("01_alpha", ["again"], root=course)
    with pytest.raises(tr.TranslationError, match="no cell"):
        tr.accept("01_alpha", ["nope"], root=course)


# --------------------------------------------------------------------------------------------
# the build, on the made-up course
# --------------------------------------------------------------------------------------------

def test_build_writes_complete_translations_and_says_why_it_skips_the_others(course):
    result = tr.build(root=course)
    assert [p.name for p in result.written] == ["01_alpha.ipynb"]
    assert "1 of 1 markdown cells untranslated" in result.skipped["02_beta"]
    assert not (course / "notebooks" / "ja" / "02_beta.ipynb").exists()
    assert tr.main(["--root", str(course), "build", "02_beta"]) == 1    # asked for by name
    assert tr.main(["--root", str(course), "build"]) == 0


def test_built_notebook_cells(course):
    tr.build(root=course)
    en = nbformat.read(course / "notebooks" / "01_alpha.ipynb", as_version=4)
    ja = nbformat.read(course / "notebooks" / "ja" / "01_alpha.ipynb", as_version=4)
    assert [c["id"] for c in ja.cells] == [c["id"] for c in en.cells]
    assert [c.cell_type for c in ja.cells] == [c.cell_type for c in en.cells]
    cells = {c["id"]: c.source for c in ja.cells}
    assert cells["prose"] == ALPHA_JA["prose"].rstrip("\n")
    assert cells["plot"] == ALPHA_JA["plot"].rstrip("\n")
    # untranslated code is copied; the language is set once, right after the first import
    assert cells["setup"].split("\n")[2:5] == ["import cs_helpers as cs", "",
                                               tr.SET_LANGUAGE_LINE]
    assert cells["again"] == dict((c["id"], c.source) for c in en.cells)["again"]
    assert sum(tr.SET_LANGUAGE_LINE in s for s in cells.values()) == 1
    assert ja.metadata["language"] == "ja"
    assert lab.is_clean(course / "notebooks" / "ja" / "01_alpha.ipynb")


def test_built_links_point_one_folder_up_or_to_the_japanese_twin(course):
    tr.build(root=course)
    title = nbformat.read(course / "notebooks" / "ja" / "01_alpha.ipynb", as_version=4).cells[0]
    assert "[ガイド](../../docs/guide.md#top)" in title.source
    assert "[次の回](../02_beta.ipynb)" in title.source       # no Japanese 02 yet
    assert "![図](../img/p.png)" in title.source
    assert 'href="../../exercises/01_alpha.ipynb"' in title.source
    assert "`[code](../docs/x.md)`" in title.source           # code is not rewritten
    _fill(course, "02_beta", BETA_JA)                          # 02 becomes complete
    tr.build(root=course)
    title = nbformat.read(course / "notebooks" / "ja" / "01_alpha.ipynb", as_version=4).cells[0]
    assert "[次の回](02_beta.ipynb)" in title.source
    beta = nbformat.read(course / "notebooks" / "ja" / "02_beta.ipynb", as_version=4).cells[0]
    assert "[アルファ](01_alpha.ipynb)" in beta.source


SOLUTION = [
    ("title", "markdown",
     "# Exercises 01 · Alpha\n\nPractise [notebook 01](../../notebooks/01_alpha.ipynb) and "
     "[02](../../notebooks/02_beta.ipynb); your copy is [here](../01_alpha.ipynb), the next "
     "solutions [there](02_beta.ipynb), the [guide](../../docs/guide.md)."),
    ("setup", "code", "import cs_helpers as cs\nfrom cs_helpers.exercises import check"),
]
SOLUTION_JA = {"title": "# 演習 01 · アルファ\n\n[ノートブック 01](../../notebooks/01_alpha.ipynb)と"
                        "[02](../../notebooks/02_beta.ipynb)の練習です。自分用のコピーは"
                        "[こちら](../01_alpha.ipynb)、次の解答は[こちら](02_beta.ipynb)、"
                        "[ガイド](../../docs/guide.md)。\n"}


def test_solutions_are_a_second_collection(course):
    folder = course / "exercises" / "solutions"
    folder.mkdir(parents=True)
    nbformat.write(_notebook(SOLUTION), folder / "01_alpha.ipynb")
    assert tr.solution_stems(course) == ["solutions/01_alpha"]
    assert tr.main(["--root", str(course), "extract"]) == 0           # both collections
    tr_file = course / "translations" / "ja" / "solutions" / "01_alpha.yaml"
    assert tr.load(tr_file)["notebook"] == "exercises/solutions/01_alpha.ipynb"
    assert not tr.status("solutions/01_alpha", root=course).complete
    assert "solutions/01_alpha" in tr.build(root=course).skipped
    _fill(course, "solutions/01_alpha", SOLUTION_JA)
    result = tr.build(root=course)
    out = folder / "ja" / "01_alpha.ipynb"
    assert out in result.written and "solutions/01_alpha" not in result.skipped
    ja = nbformat.read(out, as_version=4)
    assert ja.cells[0].source == (
        "# 演習 01 · アルファ\n\n[ノートブック 01](../../../notebooks/ja/01_alpha.ipynb)と"
        "[02](../../../notebooks/02_beta.ipynb)の練習です。自分用のコピーは"
        "[こちら](../../ja/01_alpha.ipynb)、次の解答は[こちら](../02_beta.ipynb)、"
        "[ガイド](../../../docs/guide.md)。")
    assert ja.cells[1].source.split("\n")[:3] == ["import cs_helpers as cs", "",
                                                   tr.SET_LANGUAGE_LINE]
    assert ja.metadata["translation"]["notebook"] == "exercises/solutions/01_alpha.ipynb"
    # the lesson's link to its exercises now goes to the Japanese student copy
    lesson = nbformat.read(course / "notebooks" / "ja" / "01_alpha.ipynb", as_version=4)
    assert 'href="../../exercises/ja/01_alpha.ipynb"' in lesson.cells[0].source
    # staleness, diff and accept work on the solutions' stems
    nb = nbformat.read(folder / "01_alpha.ipynb", as_version=4)
    nb.cells[0].source += " Changed."
    nbformat.write(nb, folder / "01_alpha.ipynb")
    assert tr.status("solutions/01_alpha", root=course).stale == ["title"]
    assert "Changed." in tr.diff("solutions/01_alpha", root=course)
    assert tr.main(["--root", str(course), "status"]) == 1
    tr.accept("solutions/01_alpha", ["title"], root=course)
    assert tr.status("solutions/01_alpha", root=course).complete


def test_build_keeps_outputs_of_unchanged_code_and_drops_the_others(course):
    out = course / "notebooks" / "ja" / "01_alpha.ipynb"
    tr.build(root=course)
    nb = nbformat.read(out, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="run\n")]
            cell.execution_count = 1
    nbformat.write(nb, out)
    _fill(course, "01_alpha", {"prose": "チャーンレートは月ごとに測ります。"})
    _edit_english(course, "01_alpha", "again", "import cs_helpers as cs\nprint(2)")
    assert [p.name for p in tr.build(root=course).written] == ["01_alpha.ipynb"]
    cells = {c["id"]: c for c in nbformat.read(out, as_version=4).cells}
    assert cells["setup"].outputs[0]["text"] == "run\n" and cells["setup"].execution_count == 1
    assert cells["again"].outputs == [] and cells["again"].execution_count is None
    assert tr.build(root=course).unchanged == [out]            # nothing changed: not rewritten


def test_a_translation_that_changes_code_is_not_built(course):
    _fill(course, "01_alpha", {"plot": "title = \"月次\"\nprint(title.upper())"})
    st = tr.status("01_alpha", root=course)
    assert "plot" in st.code_changed and not st.complete
    assert "changes more than strings and comments" in tr.build(root=course).skipped["01_alpha"]


# --------------------------------------------------------------------------------------------
# (iii) the committed notebooks/ja/ are what the build writes
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ALL_STEMS)
def test_committed_japanese_notebook_is_up_to_date(stem):
    path = _built(stem)
    st = tr.status(stem, root=ROOT)
    if not st.complete:
        assert not path.exists(), (
            f"{_rel(path)} is out of date: its translation is not complete "
            f"({st.problems()}); finish translations/ja/{stem}.yaml, then `make notebooks-ja`")
        return
    if not path.exists():
        pytest.skip(f"translation complete, {_rel(path)} not built yet "
                    f"(`make notebooks-ja`; test_every_lesson_has_a_japanese_twin tracks it)")
    want = tr.build_notebook(stem, root=ROOT)
    have = json.loads(path.read_text(encoding="utf-8"))
    rebuild = f"{_rel(path)} is not what the build writes: run `make notebooks-ja`"
    assert [c.get("id") for c in have["cells"]] == [c.get("id") for c in want["cells"]], rebuild
    for h, w in zip(have["cells"], want["cells"], strict=True):
        assert tr.cell_text(h) == tr.cell_text(w), f"{rebuild} (cell {w.get('id')})"
    unexecuted = [c.get("id") for c in have["cells"]
                  if c["cell_type"] == "code" and c.get("execution_count") is None]
    assert unexecuted == [], f"cells {unexecuted} were never run: `make notebooks-ja`"
    assert lab.is_clean(path), f"run `python -m cs_helpers.course.lab clean {path}`"


def test_every_committed_japanese_notebook_has_an_english_source():
    assert [p.stem for p in JA_NOTEBOOKS if p.stem not in STEMS] == []
    assert [p.stem for p in JA_SOLUTIONS if f"solutions/{p.stem}" not in SOLUTION_STEMS] == []


# --------------------------------------------------------------------------------------------
# (iv) code: the English code, with only strings and comments changed
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("english, translated", [
    ('ax.set_title("Churn")  # per month', 'ax.set_title("解約率")  # 月次'),
    ('print(f"{n:,} customers")', 'print(f"顧客は {n:,} 人")'),
    ('print(f"{a} of {b}")', 'print(f"{b} のうち {a}")'),                 # word order may move
    ("print(f\"{', '.join(x)} and {y}\")", "print(f\"{'、'.join(x)}と{y}\")"),
    ("s = f\"{'above' if r >= m else 'below'}\"", "s = f\"{'上回る' if r >= m else '下回る'}\""),
    ('print("a " "b", f"{x:.1%}")', 'print("あいう", f"{x:.1%}")'),       # concatenation merged
    ('print(f"{f\'{x}\'} a")', 'print(f"{f\'{x}\'} あ")'),                 # nested f-strings
    ('for a in b:\n    print("x")', 'for a in b:\n    # 表示\n    print(\n        "エックス"\n    )'),
])
def test_code_comparison_allows_strings_and_comments(english, translated):
    assert tr.code_difference(english, translated) is None


@pytest.mark.parametrize("english, translated", [
    ('s = df["plan"].mean()', 's = df["plan"].median()'),                # a name
    ("x = 1", "x = 2"),                                                   # a number
    ('print(f"{n:,} customers")', 'print(f"{n:.0f} 人")'),                # a format spec
    ('print(f"{share:.1%}")', 'print(f"{share:.0%}")'),
    ('print(f"{a!r} ok")', 'print(f"{a} ok")'),                           # a conversion
    ('print(f"{len(df)} rows")', 'print(f"{len(df2)} 行")'),              # an expression
    ('print(f"{a} of {b}")', 'print(f"{b} のうち {b}")'),                 # a field replaced
    ('print(f"{a} of {b}")', 'print(f"{a} 件")'),                         # a field dropped
    ("s = f\"{'up' if r >= m else 'down'}\"", "s = f\"{'上' if r > m else '下'}\""),
    ('print(f"{y:{w}.1f}")', 'print(f"値 {y:{v}.1f}")'),                  # a nested spec
    ('print("a", "b")', 'print("a" "b")'),                                # an argument merged
])
def test_code_comparison_is_strict_on_everything_else(english, translated):
    assert tr.code_difference(english, translated) is not None


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_translated_code_cells_change_only_strings_and_comments(stem):
    changed = tr.status(stem, root=ROOT).code_changed
    assert changed == {}, (f"translations/ja/{stem}.yaml: code cells changed beyond strings and "
                           f"comments (translate only what a learner reads): {changed}")


@pytest.mark.parametrize("path", [*JA_NOTEBOOKS, *JA_SOLUTIONS], ids=_rel)
def test_japanese_notebook_code_is_the_english_code(path):
    english = {c["id"]: c for c in nbformat.read(_english_of(path), as_version=4).cells}
    inserted, differ = 0, {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        code, n = _without_set_language(cell.source)
        inserted += n
        why = tr.code_difference(english[cell["id"]].source, code)
        if why:
            differ[cell["id"]] = why
    assert differ == {}
    assert inserted == 1, "cs.set_language(\"ja\") must be set exactly once"


# --------------------------------------------------------------------------------------------
# (iv b) the outputs carry the English numbers
# --------------------------------------------------------------------------------------------
# Translated strings may reword a sentence, but every number the English cell shows must still be
# shown by its Japanese twin. Japanese adds numbers of its own (counters such as 1か月, ranges
# written 00〜07 instead of 00-07), so the check is one way: English numbers ⊆ Japanese numbers,
# counted with multiplicity and without sign (「405 下がる」 for "-405").

_NUMBER = re.compile(r"(?<![A-Za-z_])[-−]?\d[\d,]*(?:\.\d+)?")
# what is not a number a learner reads: addresses, figure reprs, temporary paths, and a Series'
# dtype line (`dtype: int64`), which the Japanese edition's HTML table of a Series does not show
_VOLATILE = [re.compile(p) for p in (r"0x[0-9a-fA-F]+", r"<Figure size \d+x\d+ with \d+ Axes>",
                                     r"/tmp/[^\s'\"]+", r"dtype: \w+")]


def _output_texts(cell, *, as_read: bool = False) -> list[str]:
    """The texts of a code cell's outputs: streams, HTML without its tags, markdown, else plain
    text. ``as_read``: as a learner reads them, without style blocks, without the grey English
    names that the display labels put under Japanese ones (there on purpose, to be typed) and
    without the text of figures."""
    texts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            texts.append(out["text"])
        elif "data" in out:
            data = out["data"]
            if "text/html" in data:
                page = "".join(data["text/html"])
                if as_read:
                    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
                    page = re.sub(r'<span class="cs-label-en"[^>]*>.*?</span>', " ", page,
                                  flags=re.S)
                texts.append(unescape(re.sub(r"<[^>]+>", "  " if as_read else " ", page)))
            elif "text/markdown" in data:
                texts.append("".join(data["text/markdown"]))
            elif "text/plain" in data and not (as_read and "image/png" in data):
                texts.append("".join(data["text/plain"]))
    return texts


def _shown_numbers(cell) -> Counter[str]:
    """The numbers a learner sees in a code cell's outputs (HTML tables without their tags)."""
    texts = _output_texts(cell)
    text = "\n".join(texts)
    for volatile in _VOLATILE:
        text = volatile.sub(" ", text)
    return Counter(n.replace(",", "").lstrip("-−") for n in _NUMBER.findall(text))


def numbers_missing(english_nb, japanese_nb) -> dict[str, dict[str, int]]:
    """Per code cell id: the English numbers its Japanese twin does not show."""
    english = {c["id"]: c for c in english_nb.cells if c.cell_type == "code"}
    missing = {}
    for cell in japanese_nb.cells:
        if cell.cell_type == "code" and cell["id"] in english:
            lost = _shown_numbers(english[cell["id"]]) - _shown_numbers(cell)
            if lost:
                missing[cell["id"]] = dict(lost)
    return missing


def test_the_number_check_sees_a_changed_number():
    def nb(text):
        cell = nbformat.v4.new_code_cell("x")
        cell["id"] = "c1"
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        return nbformat.v4.new_notebook(cells=[cell])
    english = nb("churn 4.6% per month, 1,234 accounts, change -405\n")
    assert numbers_missing(english, nb("月次解約率4.6%、1,234社（1か月あたり）、405減少\n")) == {}
    assert numbers_missing(english, nb("月次解約率4.7%、1,234社、405減少\n")) == {"c1": {"4.6": 1}}


@pytest.mark.parametrize("path", [*JA_NOTEBOOKS, *JA_SOLUTIONS], ids=_rel)
def test_japanese_outputs_show_every_english_number(path):
    missing = numbers_missing(nbformat.read(_english_of(path), as_version=4),
                              nbformat.read(path, as_version=4))
    assert missing == {}, ("numbers the English outputs show and the Japanese do not (a translated "
                           "string changed what is printed?)")


def _shown_text(cell) -> str:
    """What a learner reads in a code cell's outputs (:func:`_output_texts` ``as_read``),
    without inline code."""
    texts = _output_texts(cell, as_read=True)
    return re.sub(r"`[^`]*`", " ", "\n".join(texts))


# two or more Latin words in a row (a list of column names has commas, so it is not one)
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*)+")
# English runs a Japanese output may show, each with its reason
_ENGLISH_ALLOWED = {
    "B SaaS",           # "B2B SaaS", a term the Japanese glossary keeps (the 2 splits the run)
}


def english_in_outputs(nb) -> dict[str, list[str]]:
    """Per code cell id: the runs of English words its outputs show a learner."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            runs = [r for r in _ENGLISH_RUN.findall(_shown_text(cell)) if r not in _ENGLISH_ALLOWED]
            if runs:
                found[cell["id"]] = runs
    return found


def test_the_output_check_sees_english_left_in_a_table_and_not_the_names_to_type():
    cell = nbformat.v4.new_code_cell("x")
    cell["id"] = "c1"
    label = '月次解約率<br><span class="cs-label-en" style="color:#888">churn per month</span>'
    cell.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/html": f"<table><tr><th>{label}</th><th>範囲</th></tr></table>",
        "text/plain": "churn per month  範囲"})]
    assert english_in_outputs(nbformat.v4.new_notebook(cells=[cell])) == {}  # the grey name
    cell.outputs[0]["data"]["text/html"] += "<p>accounts not active at the end</p>"
    assert english_in_outputs(nbformat.v4.new_notebook(cells=[cell])) == {
        "c1": ["accounts not active at the end"]}
    cell.outputs[0]["data"]["text/html"] = f"<table><tr><th>{label}</th><th>plausible range</th>"
    assert english_in_outputs(nbformat.v4.new_notebook(cells=[cell])) == {
        "c1": ["plausible range"]}                                   # two words are enough


# Japanese notebooks whose outputs still show an English sentence, each a strict expected
# failure with the reason (remove the entry when it is fixed)
_ENGLISH_LEFT: dict[str, str] = {}


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=_ENGLISH_LEFT[p.name]))
    if p.parent.name == "ja" and p.parent.parent.name == "notebooks" and p.name in _ENGLISH_LEFT
    else p for p in [*JA_NOTEBOOKS, *JA_SOLUTIONS]], ids=_rel)
def test_japanese_outputs_show_no_english_sentence(path):
    assert english_in_outputs(nbformat.read(path, as_version=4)) == {}, (
        "English in what the Japanese outputs show: a library sentence without Japanese "
        "(cs_helpers/sentences.py), a table label without one (cs_helpers/labels.py), or a "
        "string of the lesson's code to translate in translations/ja/")


# --------------------------------------------------------------------------------------------
# (v) the prose is Japanese
# --------------------------------------------------------------------------------------------

def test_the_prose_checks_see_english_left_in_japanese():
    ja = ("## 要点\n\n- チャーンレートは月次で測ります。\n- The denominator is the customers at the "
          "start.\n\n`cs.churn_rate(members, id_col=\"member_id\")` で計算します。"
          "[glossary](../docs/glossary.md)\n")
    assert english_units(ja) == ["- The denominator is the customers at the start."]
    assert english_units("**NPS** と B2B SaaS の例です。\n\n## NPS\n\n| 指標 | 値 |") == []
    assert japanese_share(prose(ja)) < japanese_share(prose("## 要点\n\n- 月次で測ります。"))
    assert japanese_share(prose("`df.groupby(\"plan\")` を使います。")) == 1.0


@pytest.mark.parametrize("path", [*JA_NOTEBOOKS, *JA_SOLUTIONS], ids=_rel)
def test_japanese_notebook_prose_is_japanese(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    text = "\n\n".join(prose(c.source) for c in cells)
    assert japanese_share(text) > 0.5
    english = {c["id"]: english_units(c.source) for c in cells if english_units(c.source)}
    assert english == {}, "paragraphs without Japanese"


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_translated_markdown_has_no_english_paragraph(stem):
    """The same check on the translation file, before anything is built."""
    entries = tr.load(ROOT / "translations" / "ja" / f"{stem}.yaml")["cells"]
    english = {e["id"]: english_units(e["ja"]) for e in entries
               if e["type"] == "markdown" and e.get("ja") and english_units(e["ja"])}
    assert english == {}, f"translations/ja/{stem}.yaml: paragraphs without Japanese"


# --------------------------------------------------------------------------------------------
# (vi) the timing line keeps the English numbers
# --------------------------------------------------------------------------------------------

def test_time_numbers_reads_both_labels():
    assert time_numbers("**Time:** core path 60 min + exercises 35 min; going deeper (optional) "
                        "20 min (estimated by `cs_helpers.timing`).", "**Time:**") == [60, 35, 20]
    assert time_numbers("**所要時間:** 基本コース 60 分 + 演習 35 分、発展（任意）20 分",
                        "**所要時間:**") == [60, 35, 20]
    assert time_numbers("no line", "**Time:**") is None


def _time_mismatch(english: str, japanese: str) -> str | None:
    want = time_numbers(english, "**Time:**")
    if want is None:
        return None
    have = time_numbers(japanese, "**所要時間:**")
    if have != want:
        return f"**所要時間:** numbers {have}, the English **Time:** has {want}"
    return None


@pytest.mark.parametrize("stem", ALL_STEMS)
def test_translated_time_line_has_the_english_numbers(stem):
    entries = tr.load(ROOT / "translations" / "ja" / f"{stem}.yaml")["cells"]
    wrong = {e["id"]: _time_mismatch(e["source"], e["ja"]) for e in entries
             if e["type"] == "markdown" and e.get("ja")}
    assert {k: v for k, v in wrong.items() if v} == {}


@pytest.mark.parametrize("path", JA_NOTEBOOKS, ids=lambda p: p.stem)
def test_japanese_title_cell_time_line_matches_the_english(path):
    english = {c["id"]: c.source for c in nbformat.read(ROOT / "notebooks" / path.name,
                                                        as_version=4).cells}
    cells = nbformat.read(path, as_version=4).cells
    titles = [c for c in cells if c.cell_type == "markdown"
              and time_numbers(english[c["id"]], "**Time:**") is not None]
    assert titles, "the English title cell has no **Time:** line"
    for cell in titles:
        assert _time_mismatch(english[cell["id"]], cell.source) is None


def test_time_check_fails_on_changed_numbers():
    en = "**Time:** core path 60 min + exercises 35 min."
    assert _time_mismatch(en, "**所要時間:** 基本コース 60 分 + 演習 35 分") is None
    assert _time_mismatch(en, "**所要時間:** 基本コース 60 分 + 演習 30 分") is not None
    assert _time_mismatch(en, "基本コース 60 分 + 演習 35 分") is not None     # label missing


# --------------------------------------------------------------------------------------------
# (vii) every English lesson has a Japanese twin (or is listed, visibly, as not yet)
# --------------------------------------------------------------------------------------------

def test_not_yet_lists_only_real_lessons():
    assert set(NOT_YET) <= set(ALL_STEMS)


@pytest.mark.parametrize("stem", [
    pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[s])) if s in NOT_YET
    else s for s in ALL_STEMS])
def test_every_lesson_has_a_japanese_twin(stem):
    path = _built(stem)
    st = tr.status(stem, root=ROOT)
    assert st.complete, st.problems()
    assert path.exists(), f"build it: make notebooks-ja STEMS={stem}"
    have = json.loads(path.read_text(encoding="utf-8"))
    assert [tr.cell_text(c) for c in have["cells"]] == [
        tr.cell_text(c) for c in tr.build_notebook(stem, root=ROOT)["cells"]]


def test_the_notebook_tests_run_the_japanese_edition(tmp_path):
    """`make test` runs full nbval on notebooks/ja/ too (tasks.nbval_notebooks)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    (tmp_path / "notebooks" / "ja").mkdir(parents=True)
    for name in ("notebooks/01_a.ipynb", "notebooks/ja/01_a.ipynb"):
        (tmp_path / name).write_text("{}")
    assert tasks.nbval_notebooks(tmp_path) == ["notebooks/01_a.ipynb", "notebooks/ja/01_a.ipynb"]
    # ... and on the Japanese solutions; the fresh Japanese student copies are run like the others
    (tmp_path / "exercises" / "solutions" / "ja").mkdir(parents=True)
    (tmp_path / "build" / "copies" / "ja").mkdir(parents=True)
    for name in ("exercises/solutions/01_a.ipynb", "exercises/solutions/ja/01_a.ipynb",
                 "build/copies/01_a.ipynb", "build/copies/ja/01_a.ipynb"):
        (tmp_path / name).write_text("{}")
    assert tasks.nbval_notebooks(tmp_path) == [
        "exercises/solutions/01_a.ipynb", "exercises/solutions/ja/01_a.ipynb",
        "notebooks/01_a.ipynb", "notebooks/ja/01_a.ipynb"]
    assert tasks.student_copies_to_run(tmp_path / "build" / "copies", tmp_path) == [
        "build/copies/01_a.ipynb", "build/copies/ja/01_a.ipynb"]
    # lab-ja opens the Japanese 00 once it is built, the English one until then
    assert tasks.first_notebook("ja", tmp_path) == tasks.FIRST_NOTEBOOK
    (tmp_path / tasks.FIRST_NOTEBOOK_JA).write_text("{}")
    assert tasks.first_notebook("ja", tmp_path) == tasks.FIRST_NOTEBOOK_JA
    assert tasks.first_notebook("en", tmp_path) == tasks.FIRST_NOTEBOOK
    argv = tasks.lab_argv("python", [], tmp_path, language="ja")
    assert f"--LabApp.default_url=/lab/tree/{tasks.FIRST_NOTEBOOK_JA}" in argv
    assert f"--LabApp.app_settings_dir={tasks.lab_settings_dir('ja', tmp_path)}" in argv


def test_lab_ja_settings_make_the_jupyterlab_interface_japanese(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    prefix = tmp_path / "env"
    settings = prefix / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text('{"@jupyterlab/apputils-extension:themes": '
                                             '{"theme": "JupyterLab Dark"}}')
    (settings / "page_config.json").write_text("{}")
    folder = tasks.write_lab_settings("ja", prefix, tmp_path)
    overrides = json.loads((folder / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "ja_JP"}
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert (folder / "page_config.json").exists()


# --------------------------------------------------------------------------------------------
# README.ja.md: its course map links what is built
# --------------------------------------------------------------------------------------------

def test_readme_ja_course_map_links_the_built_edition():
    text = (ROOT / "README.ja.md").read_text(encoding="utf-8")
    rows = [s for s in STEMS if f"[{s}.ipynb](notebooks/" in text]
    assert rows == STEMS, "every lesson has a row in the course map"
    assert tr.readme_text(text, root=ROOT) == text, (
        "README.ja.md's course map does not match notebooks/ja/: run `make notebooks-ja` "
        f"(or `{CMD} build`), which updates it")


def test_readme_course_map_follows_the_build(course):
    (course / "README.ja.md").write_text(
        "| 01 | [01_alpha.ipynb](notebooks/01_alpha.ipynb) | 英語（翻訳中） | a | 10 + 5 | 0 |\n"
        "| 02 | [02_beta.ipynb](notebooks/02_beta.ipynb) | 英語（翻訳中） | b | 5 + 0 | 0 |\n",
        encoding="utf-8")
    tr.main(["--root", str(course), "build"])
    assert (course / "README.ja.md").read_text(encoding="utf-8").splitlines() == [
        "| 01 | [01_alpha.ipynb](notebooks/ja/01_alpha.ipynb) | 日本語 | a | 10 + 5 | 0 |",
        "| 02 | [02_beta.ipynb](notebooks/02_beta.ipynb) | 英語（翻訳中） | b | 5 + 0 | 0 |"]
