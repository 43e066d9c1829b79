"""Exercises with instant feedback, and the student copies generated from the solutions.

In an exercise notebook::

    from cs_helpers.exercises import check, hint
    answer = ...                 # the learner replaces ... with their answer
    check("03.1", answer)        # right or not, and for a wrong answer the likely mistake
    hint("03.1")                 # a nudge, never the answer

``check``, ``hint`` and ``model_answer`` show their feedback wherever they are called in a cell
(not only on its last line), in plain words that need no emoji font, and return it too.

The feedback, the hints, the model answers and ``progress`` speak the language of
``cs.set_language("ja"|"en")`` (or ``CS_HELPERS_LANG``), asked when they are shown; English is
the fallback. The Japanese of each exercise's own texts (prompt, hints, explanation, model
answer, recognised mistakes) is in ``translations/ja/exercises.yaml``, one entry per text with
the English ``source`` it was translated from: when the English changes, the entry is stale, the
English is shown until it is updated, and ``tests/test_i18n_feedback.py`` fails
(:func:`ja_text_problems`). ``python -m cs_helpers.exercises extract-ja`` adds new texts.

The expected answers are *computed from the course data by the helpers* when first needed (never
typed in), and each exercise lists the common mistakes it recognises (a wrong denominator, an
annual rate given for a monthly one, a percent given as a fraction...) so that feedback names the
mistake instead of just saying "wrong".

The solution notebooks in ``exercises/solutions/`` are the source. ``python -m
cs_helpers.exercises build`` writes the student copies in ``exercises/``: in every cell tagged
``solution`` the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes a scaffold
(``answer = ...``), and outputs are cleared. Learners write their answers in those copies, so a
learner's work is never lost or blamed:

- each copy records in its metadata a fingerprint of the solution version it was made from (and
  of its cells as generated); JupyterLab keeps notebook metadata when it saves;
- ``build --check`` fails only when a copy is missing or was made from an older solution and has
  no answers in it; a copy with answers (edited cells, outputs) made from the current solution is
  up to date;
- ``build`` writes missing and out-of-date copies but never one with answers in it: it says which
  copies it kept and how to get the new version next to yours;
- ``build --check --strict`` (CI, on a fresh clone with no learner in it) requires every copy to
  be byte for byte what ``build`` writes.
"""
from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..i18n import get_language
from .exercise_types import Exercise, Mistake

__all__ = ["Exercise", "Mistake", "Feedback", "Progress", "check", "hint", "model_answer",
           "progress", "register", "text_keys", "extract_ja_texts",
           "ja_text_problems",
           "EXERCISES", "scaffold_source", "student_copy", "copy_state", "build"]

ROOT = Path(__file__).resolve().parents[2]          # the checkout: cs_helpers/course/ -> ../..
SOLUTIONS = ROOT / "exercises" / "solutions"
STUDENT = ROOT / "exercises"
#: The Japanese edition: solutions built by ``python -m cs_helpers.course.translate build``
#: (``exercises/solutions/ja/``), their student copies (``exercises/ja/``).
EDITIONS = {"en": ("", "en"), "ja": ("ja", "ja")}   # language -> (subfolder, language of words)
#: The Japanese texts of the exercises (prompts, hints, explanations, model answers, mistakes).
TRANSLATIONS_JA = ROOT / "translations" / "ja" / "exercises.yaml"


EXERCISES: dict[str, Exercise] = {}


def register(ex: Exercise) -> Exercise:
    """Add ``ex`` to the registry (ids are unique)."""
    if ex.id in EXERCISES:
        raise ValueError(f"exercise {ex.id!r} registered twice")
    EXERCISES[ex.id] = ex
    return ex


# --------------------------------------------------------------------------------------------
# Language: the feedback follows cs.set_language() / CS_HELPERS_LANG, English as the fallback

def _say(en: str, ja: str) -> str:
    """``ja`` when the language in effect is Japanese, else ``en`` (asked at the moment of use)."""
    return ja if get_language() == "ja" else en


def text_keys(ex: Exercise) -> dict[str, str]:
    """Every text of an exercise a learner can see, by key, in English.

    Keys are ``"<id>/<field>"``: ``prompt``, ``explanation``, ``model_answer``, ``hint.<i>``,
    ``mistake.<i>`` (indices from 0; empty fields are left out).

    Examples
    --------
    >>> ex = Exercise("k.1", "Two plus two", lambda: 4.0, hints=("Add.",),
    ...               mistakes=(Mistake(lambda: 22.0, "You wrote them side by side."),))
    >>> sorted(text_keys(ex))
    ['k.1/hint.0', 'k.1/mistake.0', 'k.1/prompt']
    """
    out = {f"{ex.id}/prompt": ex.prompt, f"{ex.id}/explanation": ex.explanation,
           f"{ex.id}/model_answer": ex.model_answer}
    out.update({f"{ex.id}/hint.{i}": h for i, h in enumerate(ex.hints)})
    out.update({f"{ex.id}/mistake.{i}": m.message for i, m in enumerate(ex.mistakes)})
    return {k: v for k, v in out.items() if v}


@cache
def _translations_ja() -> dict[str, dict]:
    """``translations/ja/exercises.yaml`` as ``{key: {"source": English, "ja": Japanese}}``."""
    if not TRANSLATIONS_JA.exists():
        return {}
    import yaml

    with open(TRANSLATIONS_JA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {e["key"]: e for e in data.get("texts", [])}


def _tr(ex: Exercise, key: str, english: str) -> str:
    """The text ``key`` of ``ex`` in the language in effect: the Japanese translation when it was
    made from the current English (its ``source``), else the English."""
    if not english or get_language() != "ja":
        return english
    entry = _translations_ja().get(f"{ex.id}/{key}")
    if entry and entry.get("ja") and str(entry.get("source", "")).strip() == english.strip():
        return str(entry["ja"]).strip()
    return english


def extract_ja_texts(path: Path | None = None) -> Path:
    """Create or refresh ``translations/ja/exercises.yaml`` from the lesson modules.

    One entry per text (:func:`text_keys`): ``key``, ``source`` (the English translated) and
    ``ja`` (null while untranslated). As for the notebooks (:mod:`cs_helpers.course.translate`),
    existing entries are kept with the ``source`` they were translated from, so an English text
    changed since shows up as stale (and the English is shown until the translation is updated);
    new texts are added untranslated; texts that no longer exist are dropped.
    """
    from .translate import dump

    path = TRANSLATIONS_JA if path is None else path
    old = {}
    if path.exists():
        import yaml

        with open(path, encoding="utf-8") as fh:
            old = {e["key"]: e for e in (yaml.safe_load(fh) or {}).get("texts", [])}
    _load_catalogue()
    texts = []
    for ex in EXERCISES.values():
        if ex.id not in _LESSON_IDS():
            continue
        for key, english in text_keys(ex).items():
            texts.append(old.get(key) or {"key": key, "source": english, "ja": None})
    dump({"language": "ja", "about": "Japanese texts of the exercises (cs_helpers/course/"
          "lessons/*): key = <exercise id>/<field>, source = the English translated, ja = the "
          "translation. Never edit key or source by hand: `python -m cs_helpers.exercises "
          "extract-ja` writes them.", "texts": texts}, path)
    _translations_ja.cache_clear()
    return path


def ja_text_problems() -> dict[str, list[str]]:
    """What keeps the Japanese exercise texts from being complete, by kind.

    ``missing``: a text with no Japanese (or no entry); ``stale``: translated from an English text
    that has changed since (its ``source`` differs; the English is shown until it is updated);
    ``orphan``: an entry for a text that no longer exists. All empty when complete.
    """
    _translations_ja.cache_clear()
    entries = _translations_ja()
    _load_catalogue()
    out: dict[str, list[str]] = {"missing": [], "stale": [], "orphan": []}
    keys = set()
    for ex in EXERCISES.values():
        if ex.id not in _LESSON_IDS():
            continue
        for key, english in text_keys(ex).items():
            keys.add(key)
            entry = entries.get(key)
            if not entry or not entry.get("ja"):
                out["missing"].append(key)
            elif str(entry.get("source", "")).strip() != english.strip():
                out["stale"].append(key)
    out["orphan"] = sorted(set(entries) - keys)
    return out


@cache
def _LESSON_IDS() -> frozenset[str]:
    from .lessons import all_exercises

    return frozenset(ex.id for ex in all_exercises())


def _ipython():
    """The running IPython shell (a notebook kernel), or None in plain Python and in tests."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the course
        return None
    return get_ipython()


@dataclass
class Feedback:
    """What :func:`check` and :func:`hint` return; in a notebook they also show it at once.

    The text starts with the exercise id and plain words (``Right``, ``Not quite``, ``Hint 1 of
    2``...), so it reads the same with or without an emoji font.
    """

    exercise: str
    status: str                     # "correct", "wrong", "unanswered", "invalid", "model", "hint"
    message: str
    correct: bool = False
    details: dict = field(default_factory=dict)
    _shown_in: object = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return f"[{self.exercise}] {self.message}"

    def _repr_markdown_(self) -> str:
        return f"**{self.exercise}** — {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.correct

    def _ipython_display_(self) -> None:
        # Shown once per cell run: check() shows it where it is called, and the same object on a
        # cell's last line (the usual `check(...)`) is not shown a second time.
        shell = _ipython()
        run = (id(shell), getattr(shell, "execution_count", None))
        if self._shown_in == run:
            return
        self._shown_in = run
        from IPython.display import publish_display_data

        publish_display_data({"text/plain": str(self), "text/markdown": self._repr_markdown_()})


def _show(fb: Feedback) -> Feedback:
    """Show feedback now when running in a notebook (or IPython), and return it."""
    if _ipython() is not None:
        fb._ipython_display_()
    return fb


def _load_catalogue() -> None:
    """Make sure every lesson's exercises are registered (:mod:`cs_helpers.course.lessons`)."""
    from .lessons import all_exercises

    for ex in all_exercises():
        EXERCISES.setdefault(ex.id, ex)


def _get(exercise_id: str) -> Exercise:
    _load_catalogue()
    key = str(exercise_id).strip()
    if key not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise KeyError(_say(f"No exercise {key!r}. Known exercises: {known}.",
                            f"演習 {key!r} はありません。ある演習: {known}。"))
    return EXERCISES[key]


@cache
def _expected(exercise_id: str) -> Any:
    ex = EXERCISES[exercise_id]
    return None if ex.expected is None else ex.expected()


@cache
def _mistake_value(exercise_id: str, i: int) -> Any:
    return EXERCISES[exercise_id].mistakes[i].value()


@cache
def _also_right(exercise_id: str) -> tuple[Any, ...]:
    """The answers of the other right methods (computed once per session)."""
    return tuple(f() for f in _get(exercise_id).also_right)


def _as_number(answer: Any) -> float | None:
    try:
        import numpy as np
        if isinstance(answer, str):
            text = answer.strip().replace(",", "")
            if text.endswith("%"):
                return float(text[:-1]) / 100
            return float(text)
        arr = np.asarray(answer, dtype=float)
        if arr.size != 1:
            return None
        return float(arr.reshape(-1)[0])
    except (TypeError, ValueError):
        return None


def check(exercise_id: str, answer: Any = ..., *, show_answer: bool = False) -> Feedback:
    """Check an answer and say what is right or, for a wrong answer, the likely mistake.

    In a notebook the feedback shows where ``check`` is called; it is also returned (true when
    the answer is right).

    Parameters
    ----------
    exercise_id : str
        Like ``"03.2"`` (notebook 03, exercise 2).
    answer : any
        The learner's answer; ``...`` (not answered yet) gets a friendly reminder.
    show_answer : bool
        For judgement exercises: show the model answer.

    Examples
    --------
    >>> from cs_helpers.exercises import Exercise, register, check
    >>> _ = register(Exercise("doc.1", "Monthly churn if 5 of 100 leave", lambda: 0.05,
    ...     mistakes=(Mistake(lambda: 5.0, "That is a percent; give a fraction (0.05)."),)))
    >>> print(check("doc.1", 0.05))
    [doc.1] Right: 0.05.
    >>> print(check("doc.1", 5))
    [doc.1] Not quite: That is a percent; give a fraction (0.05).
    >>> print(check("doc.1", ...))
    [doc.1] Not answered yet: replace the ... with your answer and run the cell again.
    """
    fb = _check(exercise_id, answer, show_answer)
    _record(fb)
    return _show(fb)


def _check(exercise_id: str, answer: Any, show_answer: bool) -> Feedback:
    ex = _get(exercise_id)
    if ex.kind == "judgement":
        if show_answer:
            return Feedback(ex.id, "model", _say("Model answer: ", "模範解答: ")
                            + _tr(ex, "model_answer", ex.model_answer))
        return Feedback(ex.id, "model", _say(
            "This one is a judgement call, so there is no automatic check. Write "
            "your answer, discuss it, then compare with the model answer: "
            f'check("{ex.id}", show_answer=True).',
            "この問いは判断を問うものなので、自動では採点しません。自分の答えを書いて話し合ったあと、"
            f'模範解答と比べてください: check("{ex.id}", show_answer=True)'))
    if answer is ...:
        return Feedback(ex.id, "unanswered", _say(
            "Not answered yet: replace the ... with your answer and run the cell again.",
            "まだ答えがありません: ... を自分の答えに置き換えて、セルをもう一度実行してください。"))
    if answer is None:
        return Feedback(ex.id, "invalid", _say(
            "Your answer is None: the code ran but gave no value. A function without "
            "`return`, an in-place method (inplace=True, .sort()) or a plotting call "
            "returns None; assign the value itself to `answer`.",
            "答えが None です。コードは動きましたが、値が返っていません。`return` のない関数、"
            "その場で書き換えるメソッド（inplace=True、.sort()）、グラフを描く呼び出しは None "
            "を返します。値そのものを `answer` に代入してください。"))
    expected = _expected(ex.id)
    if ex.kind == "choice":
        given = str(answer).strip().lower()
        options = [c.lower() for c in ex.choices]
        if options and given not in options:
            return Feedback(ex.id, "invalid", _say(
                f"Answer with one of: {', '.join(ex.choices)} (you gave {answer!r}).",
                f"{'、'.join(ex.choices)} のどれかで答えてください（入力: {answer!r}）。"))
        if given == str(expected).strip().lower():
            return Feedback(ex.id, "correct", _say("Right. ", "正解です。")
                            + _tr(ex, "explanation", ex.explanation), correct=True)
        for i, m in enumerate(ex.mistakes):
            if given == str(_mistake_value(ex.id, i)).strip().lower():
                return Feedback(ex.id, "wrong", _say("Not quite: ", "惜しいです: ")
                                + _tr(ex, f"mistake.{i}", m.message))
        return Feedback(ex.id, "wrong", _say(
            "Not quite. Try hint(" + repr(ex.id) + ").",
            "惜しいです。hint(" + repr(ex.id) + ") を試してください。"))
    value = _as_number(answer)
    if value is None:
        return Feedback(ex.id, "invalid", _say(
            f"Expected a single number, got {type(answer).__name__}. If you have a "
            "table, pick the one value the question asks for.",
            f"数値を1つ答えてください（入力は {type(answer).__name__} です）。表になっている場合は、"
            "問いが求めている値を1つ取り出してください。"))
    exp = float(expected)
    if ex.accepts(value, exp) or any(ex.accepts(value, float(v)) for v in _also_right(ex.id)):
        shown = f"{exp:,.0f}" if abs(exp) >= 1000 else f"{exp:.4g}"
        explanation = _tr(ex, "explanation", ex.explanation)
        return Feedback(ex.id, "correct", _say(f"Right: {shown}. {explanation}".strip(),
                                               f"正解です: {shown}。{explanation}".strip()),
                        correct=True)
    for i, m in enumerate(ex.mistakes):
        wrong = _as_number(_mistake_value(ex.id, i))
        if wrong is not None and ex.accepts(value, wrong):
            return Feedback(ex.id, "wrong", _say("Not quite: ", "惜しいです: ")
                            + _tr(ex, f"mistake.{i}", m.message))
    direction = "high" if value > exp else "low"
    return Feedback(ex.id, "wrong", _say(
        f"Not quite: your answer is too {direction}. Try hint({ex.id!r}).",
        f"惜しいです: 答えが{'大きすぎ' if value > exp else '小さすぎ'}ます。"
        f"hint({ex.id!r}) を試してください。"))


def hint(exercise_id: str, level: int | None = None) -> Feedback:
    """Show a nudge for an exercise, without the answer (and return it).

    Each call without ``level`` shows the next hint; hints get more specific.

    Examples
    --------
    >>> _ = register(Exercise("doc.2", "x", lambda: 1.0, hints=("Think about it.", "Closer.")))
    >>> print(hint("doc.2"))
    [doc.2] Hint 1 of 2: Think about it.
    """
    ex = _get(exercise_id)
    if not ex.hints:
        return _show(Feedback(ex.id, "hint", _say(
            "No hint for this one: reread the section it follows.",
            "この問いにはヒントがありません。直前の節を読み直してください。")))
    if level is None:
        _HINTS_SHOWN[ex.id] = _HINTS_SHOWN.get(ex.id, 0) + 1
        level = _HINTS_SHOWN[ex.id]
    level = max(1, min(level, len(ex.hints)))
    text = _tr(ex, f"hint.{level - 1}", ex.hints[level - 1])
    return _show(Feedback(ex.id, "hint", _say(f"Hint {level} of {len(ex.hints)}: {text}",
                                              f"ヒント {level}/{len(ex.hints)}: {text}")))


_HINTS_SHOWN: dict[str, int] = {}


def model_answer(exercise_id: str) -> Feedback:
    """Show the model answer of a judgement exercise (or the explanation of a computed one)."""
    ex = _get(exercise_id)
    if ex.model_answer:
        text = _tr(ex, "model_answer", ex.model_answer)
    elif ex.explanation:
        text = _tr(ex, "explanation", ex.explanation)
    else:
        text = _say("See the solution notebook.", "解答ノートブックを見てください。")
    return _show(Feedback(ex.id, "model", _say("Model answer: ", "模範解答: ") + text))


# --------------------------------------------------------------------------------------------
# progress: which exercises are done

def _progress_path() -> Path | None:
    """Where progress is kept: ``$CS_HELPERS_PROGRESS`` ("off" to keep none), else
    ``exercises/.progress.json`` in the course folder (git-ignored), else the home folder."""
    import os

    env = os.environ.get("CS_HELPERS_PROGRESS", "")
    if env.lower() in ("off", "0", "none"):
        return None
    if env:
        return Path(env)
    if STUDENT.is_dir():
        return STUDENT / ".progress.json"
    return Path.home() / ".cs_helpers_progress.json"


def _record(fb: Feedback) -> None:
    """Note a checked answer (right: done; otherwise: tried). Solution notebooks and test runs
    (``CS_HELPERS_PROGRESS=off``) leave no trace; a file that cannot be written is skipped."""
    import datetime
    import os

    path = _progress_path()
    if path is None or fb.status not in ("correct", "wrong", "invalid"):
        return
    try:
        if Path(os.getcwd()).resolve().is_relative_to(SOLUTIONS.resolve()):
            return
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if data.get(fb.exercise, {}).get("status") == "done" and not fb.correct:
            return                                    # once done, it stays done
        data[fb.exercise] = {"status": "done" if fb.correct else "tried",
                             "when": datetime.datetime.now().isoformat(timespec="seconds")}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    except (OSError, ValueError):
        return


@dataclass
class Progress:
    """What :func:`progress` returns: a table of exercises and their status, shown as a summary.

    ``table`` has one row per exercise: ``notebook``, ``exercise``, ``prompt``, ``status``
    (``done``, ``tried`` or ``not started``) and ``when`` (last checked).
    """

    table: Any
    _shown_in: object = field(default=None, repr=False, compare=False)

    def summary(self) -> str:
        lines = []
        for nb, part in self.table.groupby("notebook", sort=True):
            done = part.loc[part["status"] == "done", "exercise"].tolist()
            tried = part.loc[part["status"] == "tried", "exercise"].tolist()
            todo = part.loc[part["status"] == "not started", "exercise"].tolist()
            if get_language() == "ja":
                line = f"{nb}: {len(part)}問中{len(done)}問完了"
                if tried:
                    line += f"、挑戦中（まだ正解していない）: {', '.join(tried)}"
                if todo:
                    line += f"、未着手: {', '.join(todo)}"
                lines.append(line)
                continue
            line = f"{nb}: {len(done)} of {len(part)} done"
            if tried:
                line += f"; tried, not yet right: {', '.join(tried)}"
            if todo:
                line += f"; not started: {', '.join(todo)}"
            lines.append(line)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {line}" for line in self.summary().splitlines())

    def _ipython_display_(self) -> None:
        shell = _ipython()                       # once per cell run, as Feedback
        run = (id(shell), getattr(shell, "execution_count", None))
        if self._shown_in == run:
            return
        self._shown_in = run
        from IPython.display import publish_display_data

        publish_display_data({"text/plain": self.summary(),
                              "text/markdown": self._repr_markdown_()})


def progress(notebook: str | None = None) -> Progress:
    """Which exercises you have done: for one notebook (``"03"``) or the whole course.

    Every :func:`check` notes its result (right: done; wrong: tried) in a small file of your
    own (``exercises/.progress.json``, never committed; ``CS_HELPERS_PROGRESS`` chooses another
    file, or ``off``). Running the solution notebooks leaves no trace.

    Examples
    --------
    >>> import os, tempfile
    >>> previous = os.environ.get("CS_HELPERS_PROGRESS", "")
    >>> os.environ["CS_HELPERS_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "p.json")
    >>> _ = register(Exercise("pdoc.1", "Two plus two", lambda: 4.0))
    >>> _ = register(Exercise("pdoc.2", "Two times three", lambda: 6.0))
    >>> _ = check("pdoc.1", 4)
    >>> print(progress("pdoc"))
    pdoc: 1 of 2 done; not started: pdoc.2
    >>> os.environ["CS_HELPERS_PROGRESS"] = previous
    """
    import pandas as pd

    _load_catalogue()
    path = _progress_path()
    data: dict = {}
    if path is not None and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
    rows = []
    for ex_id, ex in EXERCISES.items():
        nb = ex_id.split(".")[0]
        if notebook is not None and nb != str(notebook):
            continue
        rec = data.get(ex_id, {})
        rows.append({"notebook": nb, "exercise": ex_id,
                     "prompt": _tr(ex, "prompt", ex.prompt),
                     "status": rec.get("status", "not started"), "when": rec.get("when", "")})
    if not rows:
        known = sorted({e.split(".")[0] for e in EXERCISES})
        raise KeyError(_say(
            f"No exercises for notebook {notebook!r}; notebooks with exercises: "
            f"{', '.join(known)}.",
            f"ノートブック {notebook!r} には演習がありません。演習のあるノートブック: "
            f"{', '.join(known)}。"))
    out = Progress(pd.DataFrame(rows))
    if _ipython() is not None:
        out._ipython_display_()
    return out


# --------------------------------------------------------------------------------------------
# Student copies generated from the solution notebooks

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _names_assigned(block: str) -> list[str]:
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        for t in targets:
            if isinstance(t, ast.Name) and t.id not in names:
                names.append(t.id)
    return names


def scaffold_source(source: str) -> str:
    """Replace each solution block in a cell's source by a scaffold with ``...``.

    Names assigned in the block and used after it become ``name = ...``; a cell tagged
    ``solution`` without markers becomes a single ``...``.

    Examples
    --------
    >>> src = "t = 1\\n### BEGIN SOLUTION\\nx = t * 2\\nanswer = x + 1\\n### END SOLUTION\\ncheck('1', answer)"
    >>> print(scaffold_source(src))
    t = 1
    answer = ...
    check('1', answer)
    """
    lines = source.splitlines()
    if not any(ln.strip() == BEGIN for ln in lines):
        return "# Your code here\n..."
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != BEGIN:
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        j = i + 1
        while j < len(lines) and lines[j].strip() != END:
            j += 1
        block = "\n".join(ln[len(indent):] if ln.startswith(indent) else ln
                          for ln in lines[i + 1:j])
        rest = "\n".join(lines[j + 1:])
        used = [n for n in _names_assigned(block) if n in rest]
        out.extend(f"{indent}{n} = ..." for n in used) if used else out.append(f"{indent}...")
        i = j + 1
    return "\n".join(out)


GENERATED = "cs_helpers"   # the notebook metadata key of a student copy


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _dump(nb: dict) -> str:
    """The notebook's file text exactly as JupyterLab (nbformat) writes it."""
    import nbformat

    return nbformat.writes(nbformat.from_dict(nb), version=nbformat.NO_CONVERT) + "\n"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cells_digest(nb: dict) -> str:
    """A fingerprint of what a learner edits: each cell's type and source (not outputs)."""
    cells = [[c.get("cell_type"), _text(c.get("source", ""))] for c in nb.get("cells", [])]
    return _sha256(json.dumps(cells, ensure_ascii=False))


_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")


def rebase_links(markdown: str, solutions_dir: str = "exercises/solutions",
                 student_dir: str = "exercises") -> str:
    """Relative links of a solution (in ``solutions_dir``) made right for its student copy
    (in ``student_dir``), so that both open the same files.

    Examples
    --------
    >>> rebase_links("[lesson](../../notebooks/03_kpi_churn.ipynb), [web](https://x.org)")
    '[lesson](../notebooks/03_kpi_churn.ipynb), [web](https://x.org)'
    >>> rebase_links("[lesson](../../../notebooks/ja/03_kpi_churn.ipynb)",
    ...              "exercises/solutions/ja", "exercises/ja")
    '[lesson](../../notebooks/ja/03_kpi_churn.ipynb)'
    """
    def fix(m: re.Match) -> str:
        target = m.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", target, flags=re.I):
            return m.group(0)
        path, sep, rest = target.partition("#")
        rebased = posixpath.relpath(posixpath.normpath(posixpath.join(solutions_dir, path)),
                                    student_dir)
        return m.group(1) + rebased + sep + rest

    return _LINK.sub(fix, markdown)


def student_copy(solution_nb: dict, name: str | None = None, *, language: str = "en",
                 solutions_dir: str = "exercises/solutions", student_dir: str = "exercises") -> dict:
    """Return the student copy of a solution notebook (as a JSON dict): scaffolds, no outputs.

    ``language="ja"`` writes the words the copy adds (the link to the solutions, the note in its
    metadata) in Japanese, for the Japanese edition; it is a parameter, not the language in
    effect, so that a build never depends on the environment. ``solutions_dir`` and
    ``student_dir`` (from the course root) are where the solution is and where the copy goes:
    links are rebased between them (``exercises/solutions/ja`` and ``exercises/ja`` for the
    Japanese edition).

    The copy's metadata ``cs_helpers`` records where it comes from, a ``fingerprint`` of the
    copy as generated (it changes whenever the solution changes what the copy contains) and a
    fingerprint of its ``cells``, so that :func:`copy_state` can tell a learner's answers from an
    out-of-date copy. Execution timestamps and the Python version are left out (they would
    differ on every machine).
    """
    from .lab import clean

    nb = clean(copy.deepcopy(solution_nb))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = rebase_links(_text(cell["source"]), solutions_dir, student_dir)
        if cell["cell_type"] != "code":
            continue
        src = _text(cell["source"])
        if "solution" in cell.get("metadata", {}).get("tags", []):
            src = scaffold_source(src)
            cell["metadata"]["tags"] = [t for t in cell["metadata"]["tags"] if t != "solution"]
            if not cell["metadata"]["tags"]:
                del cell["metadata"]["tags"]
        cell["source"] = src
        cell["outputs"] = []
        cell["execution_count"] = None
    ja = language == "ja"
    if name:
        link = posixpath.relpath(f"{solutions_dir}/{name}", student_dir)
        nb["cells"].append({
            "cell_type": "markdown", "id": "cs-solutions-link", "metadata": {},
            "source": (f"**解答。** 解き終えたとき、またはヒントを見ても進めないときは、出力つきの"
                       f"解答を [{link}]({link}) で確認できます。" if ja else
                       f"**Solutions.** Done, or stuck even after the hints? The worked solutions, "
                       f"with their outputs, are in [{link}]({link}).")})
    meta = nb.setdefault("metadata", {})
    source = f"{solutions_dir}/{name}" if name else f"{solutions_dir}/"
    meta[GENERATED] = {
        "generated_from": source,
        "note": ("自分用のコピーです。ここに答えを書いて保存してください。解答ノートブックが変わると "
                 "`make exercises` がこのコピーを更新します。あなたの答えを上書きすることはありません。"
                 if ja else
                 "Your copy to work in: write your answers here and save. `make exercises` "
                 "updates this copy when its solution changes, and never overwrites your answers."),
    }
    meta[GENERATED]["fingerprint"] = _sha256(_dump(nb))
    meta[GENERATED]["cells"] = _cells_digest(nb)
    return nb


def copy_state(path: Path, generated: dict) -> str:
    """How the student copy at ``path`` stands against the copy generated now (``generated``).

    Returns one of:

    - ``"fresh"``: exactly what :func:`build` writes;
    - ``"saved"``: made from the current solution, saved since (outputs, JupyterLab's metadata)
      without changes to its cells;
    - ``"answers"``: made from the current solution, with the learner's answers in its cells;
    - ``"missing"``: no such file;
    - ``"outdated"``: made from an older solution (or before fingerprints), no answers in it;
    - ``"outdated-answers"``: made from an older solution, with the learner's answers;
    - ``"unreadable"``: not a notebook git or JupyterLab could read (a merge conflict, a half
      written file): treated as the learner's and never overwritten.
    """
    if not path.exists():
        return "missing"
    text = path.read_text(encoding="utf-8")
    if text == _dump(generated):
        return "fresh"
    try:
        nb = json.loads(text)
        meta = nb.get("metadata", {}).get(GENERATED, {})
        cells = _cells_digest(nb)
    except (ValueError, AttributeError, TypeError):
        return "unreadable"
    if not isinstance(meta, dict):
        meta = {}
    answers = cells not in (meta.get("cells"), generated["metadata"][GENERATED]["cells"])
    if meta.get("fingerprint") == generated["metadata"][GENERATED]["fingerprint"]:
        return "answers" if answers else "saved"
    return "outdated-answers" if answers else "outdated"


@dataclass
class BuildReport:
    """What :func:`build` found or did, copy by copy."""

    states: dict[Path, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    extra: list[Path] = field(default_factory=list)

    def having(self, *states: str) -> list[Path]:
        return [p for p, s in self.states.items() if s in states]


def _generate(solutions: Path, language: str = "en") -> dict[str, dict]:
    """The student copies, as generated now, of the solutions in ``solutions`` (for
    ``language="ja"``: of the Japanese solutions in ``solutions/ja``, for ``exercises/ja``)."""
    sub, words = EDITIONS[language]
    folder = solutions / sub if sub else solutions
    dirs = ({"solutions_dir": f"exercises/solutions/{sub}", "student_dir": f"exercises/{sub}"}
            if sub else {})
    return {sol.name: student_copy(json.loads(sol.read_text(encoding="utf-8")), sol.name,
                                   language=words, **dirs)
            for sol in sorted(folder.glob("*.ipynb"))}


def build_report(write: bool = True, solutions: Path = SOLUTIONS,
                 student: Path = STUDENT, language: str = "en") -> BuildReport:
    """Compare every student copy with its solution and, with ``write``, update the copies.

    Only ``"missing"`` and ``"outdated"`` copies are written: a copy with the learner's answers
    (``"answers"``, ``"outdated-answers"``) or an unreadable one is never overwritten. Notebooks
    in ``student`` that match no solution (a learner's renamed copy, their own notebook) are
    listed in ``extra`` and left alone. ``language="ja"``: the Japanese edition, from
    ``solutions/ja/`` into ``student/ja/`` (the same rules).
    """
    report = BuildReport()
    generated = _generate(solutions, language)
    sub = EDITIONS[language][0]
    student = student / sub if sub else student
    for name, nb in generated.items():
        target = student / name
        state = copy_state(target, nb)
        report.states[target] = state
        if write and state in ("missing", "outdated"):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_dump(nb), encoding="utf-8", newline="\n")
            report.written.append(target)
    report.extra = sorted(p for p in student.glob("*.ipynb") if p.name not in generated)
    return report


def build_reports(write: bool = True, solutions: Path = SOLUTIONS,
                  student: Path = STUDENT) -> BuildReport:
    """:func:`build_report` for both editions (``exercises/`` and ``exercises/ja/``), as one."""
    report = BuildReport()
    for language in EDITIONS:
        one = build_report(write, solutions, student, language)
        report.states.update(one.states)
        report.written += one.written
        report.extra += one.extra
    return report


def build(check_only: bool = False, solutions: Path = SOLUTIONS, student: Path = STUDENT,
          strict: bool = False) -> list[Path]:
    """Write (or, with ``check_only``, check) the student copies; return the ones out of date.

    With ``check_only`` the copies that are missing or were made from an older solution without
    answers in them; with ``strict`` too, every copy that is not byte for byte what ``build``
    writes and every notebook that matches no solution (for CI, on a clean clone). Without
    ``check_only``: the copies written. A copy with a learner's answers is never written.
    Both editions: ``exercises/`` from ``exercises/solutions/``, ``exercises/ja/`` from
    ``exercises/solutions/ja/``.
    """
    report = build_reports(write=not check_only, solutions=solutions, student=student)
    if not check_only:
        return report.written
    if strict:
        return report.having("missing", "outdated", "outdated-answers", "answers", "saved",
                             "unreadable") + report.extra
    return report.having("missing", "outdated")


def write_copies(out: Path, solutions: Path = SOLUTIONS) -> list[Path]:
    """Write every student copy, as generated now, into ``out`` (for tests: not the learner's);
    the Japanese edition's into ``out/ja``."""
    written = []
    for language, (sub, _) in EDITIONS.items():
        folder = out / sub if sub else out
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in _generate(solutions, language).items():
            (folder / name).write_text(_dump(nb), encoding="utf-8", newline="\n")
            written.append(folder / name)
    return written


def _rel(p: Path) -> str:
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(p)


_UPDATE = ("`make exercises` (without make: `python tasks.py exercises`) updates it; it never "
           "overwrites a copy that has your answers in it.")


def _kept_message(paths: list[Path]) -> str:
    lines = [f"  {_rel(p)}" for p in paths]
    example = paths[0]
    mine = example.with_name(example.stem + "-my-answers.ipynb")
    return ("These copies have your answers in them and were made from an older version of "
            "their exercises. They are kept exactly as they are:\n" + "\n".join(lines) + "\n"
            f"To get the new version as well, rename your copy (for example to {_rel(mine)}) "
            "and run `make exercises` again: it writes the new copy next to yours.")


def main(argv: list[str] | None = None) -> int:
    """``python -m cs_helpers.exercises build [--check [--strict] | --to DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.exercises")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="update exercises/*.ipynb from exercises/solutions/ and "
                                     "exercises/ja/*.ipynb from exercises/solutions/ja/ "
                                     "(never overwrites a copy with answers in it)")
    b.add_argument("--check", action="store_true",
                   help="exit 1 if a copy is missing or out of date (answers are fine)")
    b.add_argument("--strict", action="store_true",
                   help="with --check: every copy exactly as generated (CI, on a clean clone)")
    b.add_argument("--to", type=Path, default=None,
                   help="write fresh copies into this folder instead (leaves exercises/ alone)")
    b.add_argument("--solutions", type=Path, default=SOLUTIONS, help=argparse.SUPPRESS)
    b.add_argument("--student", type=Path, default=STUDENT, help=argparse.SUPPRESS)
    sub.add_parser("extract-ja", help="create or refresh translations/ja/exercises.yaml")
    args = parser.parse_args(argv)
    if args.command == "extract-ja":
        print(_rel(extract_ja_texts()))
        return 0
    if args.to is not None:
        written = write_copies(args.to, solutions=args.solutions)
        print(f"Wrote {len(written)} fresh student copies to {args.to}.")
        return 0
    report = build_reports(write=not args.check, solutions=args.solutions, student=args.student)
    kept = report.having("outdated-answers", "unreadable")
    if args.check:
        bad = build(check_only=True, strict=args.strict, solutions=args.solutions,
                    student=args.student)
        if bad:
            why = ("not exactly as generated (CI checks a clean clone)" if args.strict
                   else "missing, or made from an older version of their solution")
            print(f"Student copies {why}:", *(f"  {_rel(p)}" for p in bad), sep="\n")
            print(_UPDATE)
            return 1
        mine = report.having("answers", "outdated-answers", "unreadable")
        print("Student copies are up to date" + (
            f" ({len(mine)} with your answers, left as they are)." if mine else "."))
        if kept:
            print(_kept_message(kept))
        return 0
    n = len(report.written)
    print(f"Wrote {n} student cop{'y' if n == 1 else 'ies'}" + (
        ": " + ", ".join(_rel(p) for p in report.written) if report.written else
        " (all up to date)") + ".")
    if kept:
        print(_kept_message(kept))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
