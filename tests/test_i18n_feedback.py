"""Exercise feedback in Japanese (issue 16, items 2 and 6).

- every text of every exercise (prompt, hints, explanation, model answer, recognised mistakes)
  has a Japanese translation in ``translations/ja/exercises.yaml``, made from the current English
  (a changed English text makes the translation stale and this test fail);
- ``check`` gives the same verdict in English and Japanese for the right answer, a rounded one,
  every other right method, every recognised mistake, a wrong answer and invalid answers, and the
  Japanese feedback is in Japanese (with the mistake's own translated message);
- ``hint``, ``model_answer`` and ``progress`` speak Japanese; ``CS_HELPERS_LANG`` works as well
  as ``cs.set_language``; English stays the fallback.
"""

from __future__ import annotations

import re

import pytest

import cs_helpers as cs
from cs_helpers.course import exercises as exmod
from cs_helpers.exercises import (
    EXERCISES,
    Exercise,
    Mistake,
    _also_right,
    _expected,
    _load_catalogue,
    _mistake_value,
    check,
    hint,
    model_answer,
    progress,
    text_keys,
)

_load_catalogue()
BANK = sorted(e for e in EXERCISES if re.fullmatch(r"(\d\d|A\d)\.\d+", e))
_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _japanese_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(bool(_JA.match(c)) for c in letters) / max(len(letters), 1)


@pytest.fixture(autouse=True)
def _no_progress_and_english_after(monkeypatch):
    monkeypatch.setenv("CS_HELPERS_PROGRESS", "off")
    monkeypatch.delenv("CS_HELPERS_LANG", raising=False)
    yield
    cs.set_language(None)
    exmod._HINTS_SHOWN.clear()


def _in(language: str, fn, *args, **kwargs):
    cs.set_language(language)
    try:
        return fn(*args, **kwargs)
    finally:
        cs.set_language(None)


def test_every_exercise_text_is_translated_and_none_is_stale():
    problems = exmod.ja_text_problems()
    assert problems == {"missing": [], "stale": [], "orphan": []}, problems


@pytest.mark.parametrize("exercise_id", BANK)
def test_the_japanese_texts_read_as_japanese(exercise_id):
    ex = EXERCISES[exercise_id]
    keys = text_keys(ex)
    assert f"{exercise_id}/prompt" in keys
    cs.set_language("ja")
    for key, english in keys.items():
        ja = exmod._tr(ex, key.split("/", 1)[1], english)
        assert ja != english, key
        # code and column names stay as they are; the sentences around them are Japanese
        assert len(_JA.findall(ja)) >= 5 or _japanese_share(ja) > 0.3, (key, ja)


def test_a_changed_english_text_is_stale_and_falls_back_to_english(tmp_path, monkeypatch):
    ex = Exercise("01.1", "A new wording of the question", lambda: "c", kind="choice",
                  choices=("a", "b", "c", "d"))
    monkeypatch.setitem(EXERCISES, "01.1", ex)
    problems = exmod.ja_text_problems()
    assert "01.1/prompt" in problems["stale"]
    cs.set_language("ja")
    assert exmod._tr(ex, "prompt", ex.prompt) == ex.prompt          # English until updated
    # a text with no entry at all is missing and shown in English
    monkeypatch.setattr(exmod, "TRANSLATIONS_JA", tmp_path / "none.yaml")
    exmod._translations_ja.cache_clear()
    try:
        assert "01.2/prompt" in exmod.ja_text_problems()["missing"]
        assert exmod._tr(EXERCISES["01.2"], "prompt", EXERCISES["01.2"].prompt) == \
            EXERCISES["01.2"].prompt
    finally:
        monkeypatch.undo()
        exmod._translations_ja.cache_clear()


def _answers(exercise_id: str) -> list[tuple[str, object, int | None]]:
    """(what, answer, index of the recognised mistake or None) to try on an exercise."""
    ex = EXERCISES[exercise_id]
    out: list[tuple[str, object, int | None]] = [("blank", ..., None), ("none", None, None)]
    if ex.kind == "judgement":
        return out
    expected = _expected(exercise_id)
    out.append(("right", expected, None))
    for i in range(len(ex.mistakes)):
        out.append((f"mistake {i}", _mistake_value(exercise_id, i), i))
    if ex.kind == "choice":
        out += [(f"option {c}", c, None) for c in ex.choices] + [("not an option", "zz", None)]
        return out
    exp = float(expected)
    if ex.decimals is not None:
        out.append(("rounded", round(exp, ex.decimals), None))
    out += [("also right", v, None) for v in _also_right(exercise_id)]
    out += [("too high", exp * 3 + 7, None), ("too low", -abs(exp) * 3 - 7, None),
            ("a table", [1.0, 2.0], None), ("text", "abc", None)]
    return out


@pytest.mark.parametrize("exercise_id", BANK)
def test_check_gives_the_same_verdict_in_both_languages(exercise_id):
    ex = EXERCISES[exercise_id]
    for what, answer, mistake in _answers(exercise_id):
        en = _in("en", check, exercise_id, answer)
        ja = _in("ja", check, exercise_id, answer)
        assert (en.status, en.correct) == (ja.status, ja.correct), (exercise_id, what)
        assert not _JA.search(en.message), (exercise_id, what, en.message)
        assert _JA.search(ja.message), (exercise_id, what, ja.message)
        if mistake is not None and not en.correct:
            translated = _in("ja", exmod._tr, ex, f"mistake.{mistake}",
                             ex.mistakes[mistake].message)
            if ex.mistakes[mistake].message in en.message:
                assert translated in ja.message, (exercise_id, what)
    if ex.kind == "judgement":
        en = _in("en", check, exercise_id, show_answer=True)
        ja = _in("ja", check, exercise_id, show_answer=True)
        assert en.message.startswith("Model answer: ") and ja.message.startswith("模範解答: ")


@pytest.mark.parametrize("exercise_id", BANK)
def test_hints_and_model_answers_in_japanese(exercise_id):
    ex = EXERCISES[exercise_id]
    for level in range(1, len(ex.hints) + 1):
        en = _in("en", hint, exercise_id, level)
        ja = _in("ja", hint, exercise_id, level)
        assert en.message == f"Hint {level} of {len(ex.hints)}: {ex.hints[level - 1]}"
        assert ja.message.startswith(f"ヒント {level}/{len(ex.hints)}: ") and _JA.search(ja.message)
    if not ex.hints:
        assert _JA.search(_in("ja", hint, exercise_id).message)
    ja = _in("ja", model_answer, exercise_id)
    assert ja.message.startswith("模範解答: ") and _JA.search(ja.message[6:])


def test_generic_feedback_in_japanese_and_english_unchanged():
    _ = exmod.register(Exercise("i18n.1", "Monthly churn if 5 of 100 leave", lambda: 0.05,
                                mistakes=(Mistake(lambda: 5.0, "That is a percent."),)))
    try:
        assert str(_in("en", check, "i18n.1", 0.05)) == "[i18n.1] Right: 0.05."
        assert str(_in("ja", check, "i18n.1", 0.05)) == "[i18n.1] 正解です: 0.05。"
        # no translation for this made-up exercise: its own text stays English (the fallback)
        assert str(_in("ja", check, "i18n.1", 5)) == "[i18n.1] 惜しいです: That is a percent."
        assert str(_in("en", check, "i18n.1", 1)) == (
            "[i18n.1] Not quite: your answer is too high. Try hint('i18n.1').")
        assert "大きすぎ" in _in("ja", check, "i18n.1", 1).message
        assert "小さすぎ" in _in("ja", check, "i18n.1", -1).message
        assert "まだ答えがありません" in _in("ja", check, "i18n.1").message
        assert "ヒントがありません" in _in("ja", hint, "i18n.1").message
        with pytest.raises(KeyError, match="はありません"):
            _in("ja", check, "no.such", 1)
    finally:
        EXERCISES.pop("i18n.1", None)


def test_the_environment_variable_chooses_the_language(monkeypatch):
    cs.set_language(None)
    monkeypatch.setenv("CS_HELPERS_LANG", "ja")
    fb = check("03.1", ...)
    assert fb.message.startswith("まだ答えがありません")
    monkeypatch.setenv("CS_HELPERS_LANG", "en")
    assert check("03.1", ...).message.startswith("Not answered yet")


def test_progress_in_japanese(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_HELPERS_PROGRESS", str(tmp_path / "progress.json"))
    first, second = [e for e in BANK if e.startswith("03.")][:2]
    assert check(first, float(_expected(first))).correct
    assert not check(second, -12345.0).correct
    en = _in("en", progress, "03")
    ja = _in("ja", progress, "03")
    n = len(en.table)
    assert en.summary().startswith(f"03: 1 of {n} done; tried, not yet right: {second}")
    summary = _in("ja", ja.summary)          # words chosen when shown
    assert summary.startswith(f"03: {n}問中1問完了、挑戦中（まだ正解していない）: {second}")
    assert "未着手" in summary
    assert (en.table["status"] == ja.table["status"]).all()       # the data do not change
    assert all(_JA.search(p) for p in ja.table["prompt"])
    assert not any(_JA.search(p) for p in en.table["prompt"])
    with pytest.raises(KeyError, match="演習のあるノートブック"):
        _in("ja", progress, "99")


def test_student_copies_can_be_written_in_japanese():
    nb = {"cells": [{"cell_type": "code", "id": "a", "metadata": {"tags": ["solution"]},
                     "source": "### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION\ncheck('x', answer)",
                     "outputs": [], "execution_count": 1}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    en = exmod.student_copy(nb, "03_kpi_churn.ipynb")
    ja = exmod.student_copy(nb, "03_kpi_churn.ipynb", language="ja")
    assert en["cells"][-1]["source"].startswith("**Solutions.**")
    assert ja["cells"][-1]["source"].startswith("**解答。**")
    assert "(solutions/03_kpi_churn.ipynb)" in ja["cells"][-1]["source"]
    assert _JA.search(ja["metadata"]["cs_helpers"]["note"])
    cs.set_language("ja")                   # the language in effect does not change a build
    assert exmod.student_copy(nb, "03_kpi_churn.ipynb") == en
