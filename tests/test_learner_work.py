"""A learner's work is never lost or blamed (without a browser; tests/test_lab.py does the same
through JupyterLab in Chromium).

A student copy is edited as JupyterLab saves it (an answer typed in, cells run, outputs and the
kernel's metadata written by nbformat); then `make test`'s freshness check must pass, `make
exercises` must leave the copy alone, and when the solution changes the answers must still be
kept, with a message that never points to a command that destroys them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cs_helpers import exercises as ex

ROOT = Path(__file__).resolve().parent.parent
NAME = "03_kpi_churn.ipynb"


@pytest.fixture
def course(tmp_path) -> tuple[Path, Path]:
    solutions = tmp_path / "exercises" / "solutions"
    shutil.copytree(ROOT / "exercises" / "solutions", solutions)
    student = tmp_path / "exercises"
    ex.build(solutions=solutions, student=student)
    return solutions, student


def _save_as_jupyterlab(path: Path, answer: str | None = "0.0321") -> str:
    """Type an answer into the first exercise cell, 'run' the cells and save as JupyterLab does:
    nbformat 4.5 with outputs and execution counts, the kernel's language_info (with its Python
    version), kernelspec, and the notebook metadata JupyterLab keeps (ours included)."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        if answer is not None and "answer = ..." in cell.source and count > 1:
            cell.source = cell.source.replace("answer = ...", f"answer = {answer}", 1)
            answer = None
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("display_data", data={
            "text/plain": f"[x] output {count}", "text/markdown": f"**x** output {count}"})]
    nb.metadata["language_info"] = {"name": "python", "version": "3.13.0",
                                    "mimetype": "text/x-python", "file_extension": ".py"}
    nbformat.write(nb, path)
    return path.read_text(encoding="utf-8")


def _run(*args: str, solutions: Path, student: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cs_helpers.exercises", "build", *args,
                           "--solutions", str(solutions), "--student", str(student)],
                          capture_output=True, text=True)


DESTRUCTIVE = ("--force", "git checkout", "git restore", "git reset", "git stash", "rm ",
               "delete", "overwrite it", "discard")


def test_saved_answers_pass_the_check_and_survive_make_exercises(course):
    solutions, student = course
    copy = student / NAME
    saved = _save_as_jupyterlab(copy)
    assert "answer = 0.0321" in saved
    generated = ex._generate(solutions)[NAME]
    assert ex.copy_state(copy, generated) == "answers"
    assert ex.build(check_only=True, solutions=solutions, student=student) == []
    check = _run("--check", solutions=solutions, student=student)
    assert check.returncode == 0 and "1 with your answers" in check.stdout
    build = _run(solutions=solutions, student=student)
    assert build.returncode == 0 and copy.read_text(encoding="utf-8") == saved
    # CI's strict check (a fresh clone has no learner) does see the difference
    assert ex.build(check_only=True, strict=True, solutions=solutions, student=student) == [copy]


def test_a_copy_only_run_and_saved_is_up_to_date_and_not_rewritten(course):
    solutions, student = course
    copy = student / NAME
    saved = _save_as_jupyterlab(copy, answer=None)
    assert ex.copy_state(copy, ex._generate(solutions)[NAME]) == "saved"
    assert ex.build(solutions=solutions, student=student) == []
    assert copy.read_text(encoding="utf-8") == saved


def test_when_the_solution_changes_the_answers_are_kept_and_the_way_out_is_safe(course):
    solutions, student = course
    copy = student / NAME
    saved = _save_as_jupyterlab(copy)
    untouched = student / "04_kpi_ltv.ipynb"
    for name in (NAME, "04_kpi_ltv.ipynb"):
        sol = nbformat.read(solutions / name, as_version=4)
        sol.cells.insert(1, nbformat.v4.new_markdown_cell("A note added by the authors."))
        nbformat.write(sol, solutions / name)

    # make test: the untouched copy is stale (the message's command is safe); yours is not blamed
    check = _run("--check", solutions=solutions, student=student)
    assert check.returncode == 1
    assert "exercises/04_kpi_ltv.ipynb" in check.stdout.replace(str(student.parent) + "/", "")
    assert NAME not in check.stdout.split("never overwrites")[0]
    assert "make exercises" in check.stdout and "never overwrites" in check.stdout

    # make exercises: writes the untouched copy, keeps yours, says how to get the new version
    build = _run(solutions=solutions, student=student)
    assert build.returncode == 1
    assert copy.read_text(encoding="utf-8") == saved
    assert "A note added by the authors." in untouched.read_text(encoding="utf-8")
    assert "kept exactly as they are" in build.stdout and "rename your copy" in build.stdout
    out = (build.stdout + build.stderr + check.stdout + check.stderr).lower()
    assert not [w for w in DESTRUCTIVE if w in out]
    # make test no longer fails: only your copy is behind, and it is yours
    check = _run("--check", solutions=solutions, student=student)
    assert check.returncode == 0 and "kept exactly as they are" in check.stdout

    # following the message: rename, rebuild; your answers and the new copy sit side by side
    mine = student / "03_kpi_churn-my-answers.ipynb"
    copy.rename(mine)
    assert ex.build(solutions=solutions, student=student) == [copy]
    assert mine.read_text(encoding="utf-8") == saved
    assert "A note added by the authors." in copy.read_text(encoding="utf-8")
    assert _run("--check", solutions=solutions, student=student).returncode == 0


def test_an_unreadable_copy_is_never_overwritten(course):
    solutions, student = course
    copy = student / NAME
    copy.write_text("<<<<<<< HEAD\n{half a notebook", encoding="utf-8")
    assert ex.build(solutions=solutions, student=student) == []
    assert copy.read_text(encoding="utf-8").startswith("<<<<<<<")


def test_copies_are_written_as_jupyterlab_writes_them(course):
    _, student = course
    for copy in student.glob("*.ipynb"):
        text = copy.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        assert nbformat.writes(nb) + "\n" == text
        meta = json.loads(text)["metadata"]
        assert "version" not in meta.get("language_info", {})
        assert all("execution" not in c["metadata"] for c in json.loads(text)["cells"])


def test_no_message_points_to_a_command_that_destroys_work():
    text = (ROOT / "cs_helpers" / "course" / "exercises.py").read_text(encoding="utf-8").lower()
    messages = text[text.index("_update = ("):]
    assert not [w for w in DESTRUCTIVE if w in messages]


# --- the Japanese edition: exercises/ja/ from exercises/solutions/ja/, the same rules ----------

def _japanese_solution(solutions: Path, name: str = NAME) -> Path:
    """A Japanese solution as the translate build writes it (one folder deeper: links rewritten;
    its prose here is made up: the copy machinery does not read it)."""
    nb = nbformat.read(solutions / name, as_version=4)
    nb.cells[0].source = ("# 演習 03 · チャーンレート（解約率）\n\n"
                          "[ノートブック 03](../../../notebooks/03_kpi_churn.ipynb)の練習です。")
    out = solutions / "ja" / name
    out.parent.mkdir(exist_ok=True)
    nbformat.write(nb, out)
    return out


@pytest.fixture
def course_ja(course) -> tuple[Path, Path]:
    solutions, student = course
    _japanese_solution(solutions)
    ex.build(solutions=solutions, student=student)
    return solutions, student


def test_japanese_copies_are_built_next_to_the_english_ones(course, tmp_path):
    solutions, student = course
    # start from a course with no Japanese solution (the real ones are copied with the rest)
    shutil.rmtree(solutions / "ja", ignore_errors=True)
    shutil.rmtree(student / "ja", ignore_errors=True)
    ex.build(solutions=solutions, student=student)
    english = {p.name: p.read_text(encoding="utf-8") for p in student.glob("*.ipynb")}
    assert not (student / "ja").exists()             # no Japanese solution yet: nothing written
    _japanese_solution(solutions)
    assert ex.build(solutions=solutions, student=student) == [student / "ja" / NAME]
    assert {p.name: p.read_text(encoding="utf-8") for p in student.glob("*.ipynb")} == english
    nb = nbformat.read(student / "ja" / NAME, as_version=4)
    assert "(../../notebooks/03_kpi_churn.ipynb)" in nb.cells[0].source   # rebased: same file
    link = nb.cells[-1].source
    assert link.startswith("**解答。**") and f"(../solutions/ja/{NAME})" in link
    assert (student / "ja" / "../solutions/ja" / NAME).resolve() == (solutions / "ja" / NAME)
    assert nb.metadata["cs_helpers"]["generated_from"] == f"exercises/solutions/ja/{NAME}"
    assert "答え" in nb.metadata["cs_helpers"]["note"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert ex.build(check_only=True, strict=True, solutions=solutions, student=student) == []
    # --to (make test's fresh copies): the Japanese ones in <dir>/ja
    written = ex.write_copies(tmp_path / "fresh", solutions=solutions)
    assert tmp_path / "fresh" / "ja" / NAME in written
    assert (tmp_path / "fresh" / "ja" / NAME).read_text(encoding="utf-8") == \
        (student / "ja" / NAME).read_text(encoding="utf-8")


def test_japanese_answers_survive_and_are_never_overwritten(course_ja):
    solutions, student = course_ja
    copy = student / "ja" / NAME
    saved = _save_as_jupyterlab(copy)
    assert ex.copy_state(copy, ex._generate(solutions, "ja")[NAME]) == "answers"
    assert _run("--check", solutions=solutions, student=student).returncode == 0
    sol = nbformat.read(solutions / "ja" / NAME, as_version=4)
    sol.cells.insert(1, nbformat.v4.new_markdown_cell("著者が追加した注記。"))
    nbformat.write(sol, solutions / "ja" / NAME)
    build = _run(solutions=solutions, student=student)
    assert build.returncode == 1 and "kept exactly as they are" in build.stdout
    assert "exercises/ja/03_kpi_churn-my-answers.ipynb" in build.stdout.replace(
        str(student.parent) + "/", "")
    assert copy.read_text(encoding="utf-8") == saved
    assert _run("--check", solutions=solutions, student=student).returncode == 0
    copy.write_text("<<<<<<< HEAD\n{half", encoding="utf-8")
    assert ex.build(solutions=solutions, student=student) == []
    assert copy.read_text(encoding="utf-8").startswith("<<<<<<<")


def test_a_japanese_copy_without_a_japanese_solution_is_left_alone_but_strict_sees_it(course_ja):
    solutions, student = course_ja
    mine = student / "ja" / "my_notes.ipynb"
    mine.write_text((student / "ja" / NAME).read_text(encoding="utf-8"), encoding="utf-8")
    assert ex.build(solutions=solutions, student=student) == []
    assert ex.build(check_only=True, strict=True, solutions=solutions, student=student) == [mine]
