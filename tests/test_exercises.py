"""The exercise machinery: feedback, hints, and student copies generated from solutions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cs_helpers import exercises as ex
from cs_helpers.course.exercise_types import _close
from cs_helpers.exercises import Exercise, Mistake, check, hint, model_answer, register

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_registry(monkeypatch):
    monkeypatch.setattr(ex, "EXERCISES", dict(ex.EXERCISES))
    ex._expected.cache_clear()
    ex._mistake_value.cache_clear()
    monkeypatch.setattr(ex, "_HINTS_SHOWN", {})


def _churn_exercise() -> Exercise:
    # 12 of 400 customers active on 1 March left during March; 50 joined in March.
    return register(Exercise(
        "t.1", "March churn", lambda: 12 / 400,
        mistakes=(Mistake(lambda: 12 / 450, "you divided by customers at the start plus new "
                                           "ones: new customers are not at risk at the start"),
                  Mistake(lambda: 1 - (1 - 12 / 400) ** 12, "that is the annual rate"),
                  Mistake(lambda: 100 * 12 / 400, "that is a percent; give a fraction")),
        hints=("Who could leave in March?", "Customers active on 1 March."),
        explanation="12 of the 400 active at the start."))


def test_right_answer_is_confirmed():
    _churn_exercise()
    fb = check("t.1", 0.03)
    assert fb.correct and fb.status == "correct" and bool(fb)
    assert "0.03" in str(fb)


def test_answers_as_text_and_percent_strings_are_read():
    _churn_exercise()
    assert check("t.1", "3%").correct
    assert check("t.1", "0.030").correct


@pytest.mark.parametrize("answer, words", [
    (12 / 450, "new customers are not at risk"),
    (1 - 0.97 ** 12, "annual"),
    (3.0, "percent"),
])
def test_wrong_answers_name_the_likely_mistake(answer, words):
    _churn_exercise()
    fb = check("t.1", answer)
    assert not fb.correct and fb.status == "wrong"
    assert words in fb.message


def test_unrecognised_wrong_answer_says_which_way_and_points_to_hint():
    _churn_exercise()
    fb = check("t.1", 0.5)
    assert "too high" in fb.message and "hint('t.1')" in fb.message


def test_unanswered_gets_a_friendly_message_not_a_traceback():
    _churn_exercise()
    fb = check("t.1", ...)
    assert fb.status == "unanswered" and "Not answered yet" in fb.message
    assert check("t.1").status == "unanswered"


def test_non_numeric_answer_is_explained():
    _churn_exercise()
    fb = check("t.1", [0.1, 0.2])
    assert fb.status == "invalid" and "single number" in fb.message


def test_unknown_exercise_lists_the_known_ones():
    _churn_exercise()
    with pytest.raises(KeyError, match="t.1"):
        check("zz.9", 1)


def test_hints_advance_and_never_show_the_answer():
    _churn_exercise()
    first, second, third = hint("t.1"), hint("t.1"), hint("t.1")
    assert "Hint 1 of 2" in first.message and "Hint 2 of 2" in second.message
    assert "Hint 2 of 2" in third.message
    assert all("0.03" not in h.message for h in (first, second, third))


def test_choice_and_judgement_exercises():
    register(Exercise("t.2", "Which is an outcome metric?", lambda: "b", kind="choice",
                      choices=("a", "b", "c"),
                      mistakes=(Mistake(lambda: "a", "logins are usage, not an outcome"),)))
    register(Exercise("t.3", "Should you target segment X?", None, kind="judgement",
                      model_answer="Only if ..."))
    assert check("t.2", "B").correct
    assert "usage, not an outcome" in check("t.2", "a").message
    assert check("t.2", "d").status == "invalid"
    assert "no automatic check" in check("t.3", "yes").message
    assert "Only if" in check("t.3", show_answer=True).message
    assert "Only if" in model_answer("t.3").message


def test_feedback_renders_in_a_notebook():
    _churn_exercise()
    assert check("t.1", 0.03)._repr_markdown_().startswith("**t.1** — Right")


def test_expected_answers_are_computed_once():
    calls = []
    register(Exercise("t.4", "x", lambda: calls.append(1) or 2.0))
    check("t.4", 2.0)
    check("t.4", 3.0)
    assert len(calls) == 1


# --- student copies ------------------------------------------------------------------------

SOLUTION_CELL = """rate = 0.5
### BEGIN SOLUTION
table = rate * 2
answer = table + 1
### END SOLUTION
check("t.1", answer)"""


def test_scaffold_keeps_context_and_replaces_only_the_solution():
    out = ex.scaffold_source(SOLUTION_CELL)
    assert out.splitlines() == ["rate = 0.5", "answer = ...", 'check("t.1", answer)']


def test_scaffold_of_an_unmarked_solution_cell_is_ellipsis():
    assert ex.scaffold_source("x = 1\nprint(x)").endswith("...")


def test_scaffold_keeps_indentation():
    src = "def f():\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\n    return y"
    assert ex.scaffold_source(src) == "def f():\n    y = ...\n    return y"


def _solution_nb() -> dict:
    nb = nbformat.v4.new_notebook()
    sol = nbformat.v4.new_code_cell(SOLUTION_CELL, execution_count=2,
                                    outputs=[nbformat.v4.new_output("stream", text="ok\n")])
    sol.metadata["tags"] = ["solution"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Ex"),
                nbformat.v4.new_code_cell("import math", execution_count=1), sol]
    return json.loads(nbformat.writes(nb))


def test_student_copy_clears_outputs_and_solutions():
    copy = ex.student_copy(_solution_nb())
    code = [c for c in copy["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "BEGIN SOLUTION" not in json.dumps(copy) and "table + 1" not in json.dumps(copy)
    assert "answer = ..." in code[1]["source"]


def test_build_writes_copies_and_check_detects_staleness(tmp_path):
    sol_dir, stu_dir = tmp_path / "solutions", tmp_path
    sol_dir.mkdir()
    (sol_dir / "03_kpi.ipynb").write_text(json.dumps(_solution_nb()))
    assert ex.build(check_only=True, solutions=sol_dir, student=stu_dir) == [stu_dir / "03_kpi.ipynb"]
    ex.build(solutions=sol_dir, student=stu_dir)
    assert ex.build(check_only=True, solutions=sol_dir, student=stu_dir) == []
    nb = _solution_nb()
    nb["cells"][1]["source"] = "import math  # changed"
    (sol_dir / "03_kpi.ipynb").write_text(json.dumps(nb))
    assert ex.build(check_only=True, solutions=sol_dir, student=stu_dir) == [stu_dir / "03_kpi.ipynb"]


def test_committed_student_copies_are_fresh():
    result = subprocess.run([sys.executable, "-m", "cs_helpers.exercises", "build", "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the course's exercise bank ------------------------------------------------------------

def _bank():
    from cs_helpers.course import lessons
    return lessons.all_exercises()


def test_each_lesson_module_defines_only_its_own_notebook_s_exercises():
    from cs_helpers.course import lessons

    solutions = {p.stem for p in (ROOT / "exercises" / "solutions").glob("*.ipynb")}
    for module in lessons.lesson_modules():
        stem = next(s for s in solutions
                    if lessons.module_name(s) == module.__name__.rsplit(".", 1)[1])
        assert module.EXERCISES, stem
        assert {e.id.split(".")[0] for e in module.EXERCISES} == {stem.split("_")[0]}, stem


def test_every_core_notebook_has_at_least_four_exercises():
    ids = [e.id for e in _bank()]
    for nn in ("01", "02", "03", "04", "05", "06", "07"):
        assert sum(i.startswith(nn + ".") for i in ids) >= 4, nn
        assert (ROOT / "exercises" / "solutions").glob(f"{nn}_*.ipynb")


def test_expected_answers_compute_and_no_mistake_equals_the_answer():
    for e in _bank():
        if e.kind == "judgement":
            assert e.model_answer
            continue
        expected = e.expected()
        for m in e.mistakes:
            wrong = m.value()
            if e.kind == "choice":
                assert str(wrong).lower() != str(expected).lower(), e.id
            else:
                assert not _close(float(wrong), float(expected), e.rtol, e.atol), e.id
        assert check(e.id, expected).correct, e.id


def test_every_banked_exercise_is_checked_in_its_solution_notebook():
    text = "".join(p.read_text(encoding="utf-8")
                   for p in (ROOT / "exercises" / "solutions").glob("*.ipynb"))
    for e in _bank():
        assert f'check(\\"{e.id}\\"' in text, e.id


def test_06_answers_at_the_lesson_precision_pass_and_its_printed_numbers_do_not():
    # The lesson shows continuations with 3 decimals (or as 88.4%) and what-if gains with 2;
    # answers rounded that way must pass, and the numbers the lesson prints for ALL members
    # (which a learner might copy) must not.
    from cs_helpers.course.lessons import l06_laxus_phase_strategy as bank

    c = bank._phase_continuation_06()
    assert check("06.1", round(c, 3)).correct and check("06.1", f"{100 * c:.1f}%").correct
    everyone = bank._phase_continuation_06(plan=None)
    fb = check("06.1", round(everyone, 3))
    assert not fb.correct and "ALL members" in fb.message
    gain = bank._gain_06()
    assert check("06.5", round(gain, 2)).correct
    fb = check("06.5", round(bank._homogeneous_gain_06(), 2))
    assert not fb.correct and "homogeneous" in fb.message
    fb = check("06.5", round(bank._gain_06("all"), 2))
    assert not fb.correct and "all members" in fb.message
    assert check("06.3", "c").correct
    assert "sorting" in check("06.3", "b").message
