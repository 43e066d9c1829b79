"""Every DataError and DataWarning message in Japanese (issue 16, item 2).

Three checks that do not rely on anyone remembering to add a translation:

* coverage: the library's source is scanned (``ast``) for every message it can write: the
  first argument of each ``DataError(...)``, of each ``warnings.warn(..., DataWarning)``,
  the rule given to ``_fail``/``fail_where``, the reason given to ``record_filtered``,
  following local variables, module constants and the package's own message-building
  functions. Each is rendered with a sample value for every placeholder and must match a
  template of ``cs_helpers.messages_ja``;
* staleness: every template's English must still be a text the source can produce;
* the corpus of bad tables (``tests/test_corpus.py``, pandas path) run in Japanese: every
  DataError and DataWarning is in Japanese, with the same numbers, quoted names and ids as
  the English, and no English sentence left over.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers import DataError, DataWarning, errors
from cs_helpers.i18n import find_template, message_catalog, translate_message
from cs_helpers.messages_ja import EXTERNAL, MESSAGES, PARTS

PKG = Path(cs.__file__).resolve().parent
SAMPLE = "\u00abv\u00bb"          # stands for any value in a rendered template


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cs.set_language(None)


# --------------------------------------------------------------------------------------------
# scanning the source
# --------------------------------------------------------------------------------------------

def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", None)


def _assignments(fn: ast.AST) -> dict[str, list[ast.expr]]:
    """Texts each local name is given: ``x = ...`` and, for lists of message pieces,
    ``x.append(...)`` / ``x.insert(i, ...)`` (under the name ``x[]``)."""
    env: dict[str, list[ast.expr]] = {}
    for n in ast.walk(fn):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and \
                isinstance(n.targets[0], ast.Name):
            env.setdefault(n.targets[0].id, []).append(n.value)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                isinstance(n.func.value, ast.Name) and n.func.attr in ("append", "insert") \
                and n.args:
            env.setdefault(n.func.value.id + "[]", []).append(n.args[-1])
    return env


@dataclass
class Source:
    """Module constants and function returns of the package, to follow message builders."""

    constants: dict[str, ast.expr]
    aliases: dict[str, str]
    returns: dict[str, list[tuple[ast.expr, dict]]]
    trees: dict[Path, ast.Module]


def _index() -> Source:
    constants: dict[str, ast.expr] = {}
    returns: dict[str, list[tuple[ast.expr, dict]]] = {}
    trees = {}
    aliases: dict[str, str] = {}
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "messages_ja.py":       # the catalog itself is not a source of text
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        trees[path] = tree
        for n in tree.body:
            if isinstance(n, ast.ImportFrom):
                aliases.update({a.asname: a.name for a in n.names if a.asname})
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and \
                    isinstance(n.targets[0], ast.Name) and \
                    isinstance(n.value, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                constants[n.targets[0].id] = n.value
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                env = _assignments(fn)
                returns.setdefault(fn.name, []).extend(
                    (r.value, env) for r in ast.walk(fn)
                    if isinstance(r, ast.Return) and r.value is not None)
    return Source(constants, aliases, returns, trees)


SOURCE = _index()


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _spec(value: ast.FormattedValue) -> str | None:
    spec = value.format_spec
    if isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and \
            isinstance(spec.values[0], ast.Constant):
        return spec.values[0].value
    return None


def _inner(value: ast.FormattedValue, env: dict, stack: tuple[str, ...]) -> list[str]:
    """A placeholder: a text variable of the same function (``{where}``, ``{hint}``) is
    followed, so that the English pieces it holds are checked too; anything else is a value."""
    node = value.value
    if value.conversion == -1 and value.format_spec is None and \
            isinstance(node, ast.Name) and node.id in env and node.id not in stack:
        texts = [t for v in env[node.id] for t in render(v, env, (*stack, node.id))]
        if any(t.replace(SAMPLE, "").strip() for t in texts):
            return sorted(set(texts))
    return [SAMPLE]


def render(node: ast.expr, env: dict, stack: tuple[str, ...] = ()) -> list[str]:
    """Every text an expression can give, each placeholder rendered as SAMPLE."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else [SAMPLE]
    if isinstance(node, ast.JoinedStr):
        parts = [[v.value] if isinstance(v, ast.Constant) else
                 MONTHS if _spec(v) == "%B" else _inner(v, env, stack) for v in node.values]
        return ["".join(p) for p in itertools.islice(itertools.product(*parts), 500)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in render(node.left, env, stack)
                for b in render(node.right, env, stack)]
    if isinstance(node, ast.IfExp):
        return render(node.body, env, stack) + render(node.orelse, env, stack)
    if isinstance(node, ast.BoolOp):
        return [t for v in node.values for t in render(v, env, stack)]
    if isinstance(node, ast.Attribute) and node.attr in SOURCE.returns and \
            node.attr not in stack:                    # a property that builds a message
        return [t for ret, fenv in SOURCE.returns[node.attr]
                for t in render(ret, fenv, (*stack, node.attr))]
    if isinstance(node, ast.Name) and node.id in env and node.id not in stack:
        return [t for v in env[node.id] for t in render(v, env, (*stack, node.id))]
    if isinstance(node, ast.Name) and SOURCE.aliases.get(node.id, node.id) in SOURCE.constants:
        return render(SOURCE.constants[SOURCE.aliases.get(node.id, node.id)], {}, stack)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return render(node.func.value, env, stack)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "join" and node.args:
            items = node.args[0]                       # "sep".join(pieces) or a generator
            if isinstance(items, ast.GeneratorExp):
                gen = items.generators[0]
                if isinstance(gen.target, ast.Name) and isinstance(gen.iter, ast.Name) and \
                        f"{gen.iter.id}[]" in env:     # (f"- {x}" for x in pieces)
                    env = {**env, gen.target.id: env[f"{gen.iter.id}[]"]}
                items = items.elt
            key = f"{items.id}[]" if isinstance(items, ast.Name) else None
            if key in env and key not in stack:
                return sorted({t for v in env[key] for t in render(v, env, (*stack, key))})
            if not isinstance(items, ast.Name):
                texts = render(items, env, stack)
                if any(t.replace(SAMPLE, "").strip() for t in texts):
                    return texts
        name = _name(node.func)
        if name in SOURCE.returns and name not in stack:
            return [t for ret, fenv in SOURCE.returns[name]
                    for t in render(ret, fenv, (*stack, name))]
    return [SAMPLE]


@dataclass(frozen=True)
class Site:
    path: str
    line: int
    function: str
    kind: str          # error, warning, rule, reason
    texts: tuple[str, ...]


def _enclosing(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    yield "<module>", tree
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield fn.name, fn


def message_sites() -> list[Site]:
    """Every place the library writes a DataError/DataWarning message or a part of one."""
    found: dict[tuple[str, int], Site] = {}
    for path, tree in SOURCE.trees.items():
        rel = str(path.relative_to(PKG.parent))
        for fname, fn in _enclosing(tree):         # innermost function wins (comes last)
            env = _assignments(fn)
            for n in ast.walk(fn):
                if not isinstance(n, ast.Call):
                    continue
                name = _name(n.func)
                kind = arg = None
                if name == "DataError" and n.args:
                    kind, arg = "error", n.args[0]
                elif name == "warn" and len(n.args) >= 2 and _name(n.args[1]) == "DataWarning":
                    kind, arg = "warning", n.args[0]
                elif name in ("_fail", "fail_where") and len(n.args) >= 3:
                    kind, arg = "rule", n.args[2]
                elif name == "record_filtered" and len(n.args) >= 2:
                    kind, arg = "reason", n.args[1]
                elif name == "check_no_missing":
                    arg = next((k.value for k in n.keywords if k.arg == "rule"), None)
                    kind = "rule" if arg is not None else None
                if kind is None:
                    continue
                texts = tuple(sorted(set(render(arg, env))))
                found[rel, n.lineno] = Site(rel, n.lineno, fname, kind, texts)
    return sorted(found.values(), key=lambda s: (s.path, s.line))


SITES = message_sites()

#: Sites whose message is a value passed in from elsewhere (the callers' texts are
#: scanned at their own sites): (path, function) -> why nothing is lost.
PASSED_THROUGH = {
    ("cs_helpers/errors.py", "fail_where"): "the rule argument; callers are sites",
    ("cs_helpers/errors.py", "check_no_missing"): "the rule argument; callers are sites",
}

#: English texts with no Japanese yet (must stay empty for the feature to be complete;
#: an entry here that is translated, or no longer in the source, fails the test).
UNTRANSLATED: set[str] = set()


def _site_texts() -> dict[str, list[Site]]:
    out: dict[str, list[Site]] = {}
    for site in SITES:
        for text in site.texts:
            if text.replace(SAMPLE, "").strip():
                out.setdefault(text, []).append(site)
    return out


def test_the_scan_finds_the_known_shapes():
    """The scanner is not blind: it sees the common shape, a rule, a reason, a warning and
    messages built by helper functions (missing columns, duplicate rows)."""
    texts = _site_texts()
    assert len(SITES) > 200
    assert "Column '«v»': «v» — «v» of «v» rows break this rule (first ids: «v», …)." in texts
    assert "Column '«v»': «v» — «v» of «v» rows break this rule (first row labels: «v»)." in texts
    assert "an end date must not be before its start date" in texts
    assert "rows with every cell empty" in texts
    assert any(t.startswith("«v» rows of the «v» are exact copies") for t in texts)
    assert any("required column missing from the «v» table" in t for t in texts)
    kinds = {s.kind for s in SITES}
    assert kinds == {"error", "warning", "rule", "reason"}


def _translatable(text: str, sites: list[Site]) -> bool:
    whole = any(s.kind in ("error", "warning") for s in sites)
    part = any(s.kind in ("rule", "reason") for s in sites)
    return (not whole or find_template(text) is not None) and \
        (not part or find_template(text, parts=True) is not None)


def test_every_message_has_a_japanese_translation():
    missing = sorted(t for t, sites in _site_texts().items() if not _translatable(t, sites))
    unexpected = [t for t in missing if t not in UNTRANSLATED]
    assert not unexpected, "no Japanese for:\n" + "\n".join(
        f"{_site_texts()[t][0].path}:{_site_texts()[t][0].line}: {t!r}" for t in unexpected)
    translated_now = [t for t in UNTRANSLATED if t not in missing]
    assert not translated_now, f"listed as untranslated but translated or gone: {translated_now}"


#: Rendered messages that keep English in Japanese on purpose, with the reason.
ENGLISH_KEPT: dict[str, str] = {}


def test_no_english_is_left_in_a_translated_message():
    """Each message rendered from the source (with the pieces its variables can hold) reads as
    Japanese once translated: an English piece in a place copied verbatim shows up here."""
    left = {}
    for text, sites in _site_texts().items():
        part = all(s.kind in ("rule", "reason") for s in sites)
        runs = _english_runs(translate_message(text, "ja", part=part))
        if runs:
            left[text] = runs
    unexpected = {t: r for t, r in left.items() if t not in ENGLISH_KEPT}
    assert not unexpected, "English left in Japanese messages:\n" + "\n".join(
        f"{t!r}: {r}" for t, r in sorted(unexpected.items()))
    assert not set(ENGLISH_KEPT) - set(left), "ENGLISH_KEPT entries no longer needed"


def test_sites_without_text_are_pass_throughs():
    """A site whose message cannot be read from the source must be a documented pass-through
    (so no message escapes the coverage test silently)."""
    opaque = {(s.path, s.function) for s in SITES
              if all(not t.replace(SAMPLE, "").strip() for t in s.texts)}
    assert opaque == set(PASSED_THROUGH), (
        f"new opaque sites: {sorted(opaque - set(PASSED_THROUGH))}; "
        f"stale entries: {sorted(set(PASSED_THROUGH) - opaque)}")


def _all_source_texts() -> set[str]:
    """Every string expression of the package, rendered (for the staleness check)."""
    out: set[str] = set()
    for tree in SOURCE.trees.values():
        for fn in [tree, *[f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)]]:
            env = _assignments(fn)
            for n in ast.walk(fn):
                if isinstance(n, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    out.update(t for t in render(n, env) if isinstance(t, str))
    out.update(_site_texts())
    return out


def test_no_translation_is_stale():
    """Every English template still matches a text the library writes: change a message in
    the code and its translation must be updated too."""
    texts = _all_source_texts()
    templates = message_catalog("ja") + message_catalog("ja", parts=True)[:len(PARTS)]
    stale = [t.english for t in templates if not any(t.loose.fullmatch(x) for x in texts)]
    assert not stale, "translations whose English is no longer in the library:\n" + \
        "\n".join(map(repr, stale))


def test_each_template_is_used_before_a_more_general_one():
    """No template is shadowed: each one's own English (rendered with samples) is matched by
    itself first, not by an earlier, more general template."""
    for parts in (False, True):
        for template in message_catalog("ja", parts=parts):
            sample = re.sub(r"\{\*?\w+:n\}", "7", template.english)
            sample = re.sub(r"\{\*?\w+;?\}", SAMPLE, sample).replace("{{", "{") \
                .replace("}}", "}")
            found = find_template(sample, parts=parts)
            assert found is not None, template.english
            assert found[0] is template, (template.english, found[0].english)


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _prose(text: str) -> str:
    """``text`` without what stays verbatim: quoted names and values, code, ids, numbers."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|«v»", " ", text)
    text = re.sub(r"のメッセージ: [^）]*）", " ", text)       # quoted from another library
    text = re.sub(r"\b[\w.]+(=\S*|\(\)?\S*)", " ", text)      # arg=..., call(...)
    text = re.sub(r"\S*[_/.\\%$<>*\[\]{}0-9]\S*", " ", text)  # identifiers, paths, numbers
    return text


def _english_runs(text: str) -> list[str]:
    """Runs of four or more plain English words left in the prose of ``text`` (an
    untranslated sentence); names, code, values and numbers do not count."""
    return [m.group(0) for m in
            re.finditer(r"\b[A-Za-z]+(?:[ ,;:()-]+[A-Za-z]+){3,}\b", _prose(text))]


@pytest.mark.parametrize("english, japanese", MESSAGES + PARTS + EXTERNAL,
                         ids=[e[:50] for e, _ in MESSAGES + PARTS + EXTERNAL])
def test_translations_read_as_japanese(english, japanese):
    plain = re.sub(r"\{\*?\w+\}", " ", japanese)
    if len(_prose(english).split()) >= 2:             # a sentence, not a code fragment
        assert JAPANESE.search(plain), japanese
        assert not _english_runs(plain), (_english_runs(plain), japanese)
    assert "。。" not in japanese and "、、" not in japanese


# --------------------------------------------------------------------------------------------
# behaviour
# --------------------------------------------------------------------------------------------

def test_english_is_unchanged_and_kept():
    df = pd.DataFrame({"id": ["C1", "C2", "C3"], "end": [1, -1, -2]})
    cs.set_language("en")
    with pytest.raises(DataError) as en:
        errors.fail_where(df, "end", "values must not be negative", df["end"] < 0, "id")
    assert str(en.value) == ("Column 'end': values must not be negative — 2 of 3 rows break "
                             "this rule (first ids: C2, C3).")
    assert en.value.english == str(en.value)
    cs.set_language("ja")
    with pytest.raises(DataError) as ja:
        errors.fail_where(df, "end", "values must not be negative", df["end"] < 0, "id")
    assert str(ja.value) == ("列 'end': 値がマイナスになっています — 3 行中 2 行が該当します"
                             "（先頭の ID: C2, C3）。")
    assert ja.value.english == str(en.value)
    assert isinstance(ja.value, ValueError)


def test_the_environment_variable_and_the_fallback(monkeypatch):
    cs.set_language(None)
    monkeypatch.setenv("CS_HELPERS_LANG", "ja")
    err = DataError("The usage table is empty (0 rows): there is nothing to measure.")
    assert str(err) == "usage テーブルが空です（0 行）。集計できるデータがありません。"
    new = DataError("A message the catalog has never seen.")   # fallback: English
    assert str(new) == new.english == "A message the catalog has never seen."
    monkeypatch.setenv("CS_HELPERS_LANG", "en")
    assert str(DataError("The usage table is empty (0 rows): there is nothing to measure.")) \
        == "The usage table is empty (0 rows): there is nothing to measure."


def test_pickled_errors_keep_both_texts():
    import pickle
    cs.set_language("ja")
    err = DataError("The usage table is empty (0 rows): there is nothing to measure.")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is DataError
    assert str(again) == str(err) and again.english == err.english != str(err)


def test_warnings_follow_the_language():
    cs.set_language("ja")
    with pytest.warns(DataWarning) as caught:
        errors.record_filtered(pd.DataFrame(), "rows with every cell empty", 3, ["a", "b"])
    assert str(caught[0].message) == "3 行を除外しました: すべてのセルが空の行（例: a, b）。"
    assert caught[0].message.english == "3 rows left out: rows with every cell empty (e.g. a, b)."


def test_nested_parts_are_translated():
    cs.set_language("ja")
    with pytest.raises(DataError) as err:
        errors.check_columns(pd.DataFrame({"Tenure ": [1]}), ["tenure"], "tenure")
    assert "'Tenure ' のことでしょうか" in str(err.value)
    assert "Did you mean" not in str(err.value)
    with pytest.raises(DataError, match="パーセント") as err:
        errors.check_fraction(8, "discount_rate")
    assert "0.08" in str(err.value) and "discount_rate" in str(err.value)


def test_translate_message_examples():
    msg = "Column 'x': values must not be negative — 1 of 2 rows break this rule (first row " \
          "labels: 1)."
    assert translate_message(msg, "en") == msg
    assert translate_message(msg, "ja") == \
        "列 'x': 値がマイナスになっています — 2 行中 1 行が該当します（先頭の行ラベル: 1）。"


# --------------------------------------------------------------------------------------------
# the bad-table corpus in Japanese
# --------------------------------------------------------------------------------------------

def _corpus():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "corpus_for_i18n", Path(__file__).resolve().parent / "test_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


CORPUS = _corpus()


def _numbers(text: str) -> Counter:
    return Counter(re.findall(r"\d[\d,.]*\d|\d", text))


#: Quoted English prose (not a name or a value): rendered in 「」 in Japanese.
PROSE_QUOTES = {"'no date'", "'left during the last W'"}


def _quoted(text: str) -> Counter:
    return Counter(q for q in re.findall(r"'[^']*'", text) if q not in PROSE_QUOTES)


def _run_case(case, language: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(messages, [(message, english)]) of one corpus case in ``language``, pandas path."""
    cs.set_language(language)
    out = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = cs.engines.read(CORPUS.TABLES / case.file, "pandas", **case.read)
            CORPUS._run(case, table)
        except DataError as exc:
            out.append((str(exc), exc.english))
    for w in caught:
        if issubclass(w.category, DataWarning):
            out.append((str(w.message), w.message.english))
    return out


@pytest.mark.parametrize("case", [c for c in CORPUS.CASES if "pandas" in c.engines],
                         ids=lambda c: c.name)
def test_corpus_messages_in_japanese(case):
    english = _run_case(case, "en")
    japanese = _run_case(case, "ja")
    assert [e for _, e in japanese] == [m for m, _ in english]     # same English underneath
    for ja, en in japanese:
        assert ja != en, f"untranslated: {en}"
        assert JAPANESE.search(ja), ja
        assert not _numbers(en) - _numbers(ja), (ja, en)      # every number kept
        assert not _quoted(en) - _quoted(ja), (ja, en)        # every quoted name kept
        assert not _english_runs(ja), (_english_runs(ja), ja)
    if not case.ok:
        assert japanese, "the case should raise"


def test_the_overall_group_of_a_mean_is_named_in_japanese_and_data_groups_stay():
    # group_means with no grouping names its one group "all": in a Japanese note that is 全体;
    # a segment's name is a data value and stays as written
    from cs_helpers import i18n

    reason = ("rows with no mrr (missing), left out of the mean "
              "(all: 21 of 800, Basic: 3 of 10)")
    ja = i18n.translate_message(reason, "ja", part=True)
    assert "全体: 800 行中 21 行" in ja
    assert "Basic: 10 行中 3 行" in ja
    assert "all" not in ja
