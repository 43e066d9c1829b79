"""tasks.py, the entry point that `make` calls and that Windows users run directly."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
tasks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tasks)


@pytest.mark.parametrize("version", [(3, 11, 7), (3, 12, 1), (3, 13, 0)])
def test_supported_pythons(version):
    assert tasks.python_problem(version) is None


@pytest.mark.parametrize("version, words", [((3, 14, 0), "newer than this course supports"),
                                            ((3, 10, 13), "too old")])
def test_other_pythons_are_refused_with_the_python_to_install(version, words):
    message = tasks.python_problem(version)
    assert words in message
    assert "Install Python 3.13" in message and "py -3.13 tasks.py lab" in message


def test_python_3_14_is_refused_before_anything_is_created(tmp_path):
    venv = tmp_path / "venv"
    code = ("import runpy, sys; sys.version_info = (3, 14, 0, 'final', 0); "
            f"sys.argv = ['tasks.py', '--venv', {str(venv)!r}, 'install']; "
            f"runpy.run_path({str(ROOT / 'tasks.py')!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Python 3.14 is newer than this course supports" in result.stderr
    assert "Install Python 3.13" in result.stderr
    assert not venv.exists()


def test_windows_venv_layout():
    assert tasks.venv_python(Path(".venv"), windows=True) == Path(".venv/Scripts/python.exe")
    assert tasks.venv_python(Path(".venv"), windows=False) == Path(".venv/bin/python")


def test_lab_serves_the_repository_root_and_opens_lesson_00():
    argv = tasks.lab_argv("python", ["--no-browser"])
    assert argv[:3] == ["python", "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={ROOT}" in argv
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in argv
    assert argv[-1] == "--no-browser"
    assert (ROOT / tasks.FIRST_NOTEBOOK).exists()


def test_make_runs_the_same_entry_points():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # a clean environment: this test may itself run under `make test` (CI), whose variables
    # (VENV=.venv-3.12, MAKEFLAGS ...) would otherwise pass down to this make
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENV", "SPARK", "PYTHON",
                        "CS_HELPERS_REQUIRE_SPARK")}
    for task in ("lab", "test", "exercises", "unit"):
        out = subprocess.run(["make", "-s", "-n", task, f"PYTHON={sys.executable}"], cwd=ROOT,
                             env=env, capture_output=True, text=True, check=True).stdout
        assert out.split() == [sys.executable, "tasks.py", "--venv", ".venv", task], out


def test_help_lists_every_task():
    out = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "--help"],
                         capture_output=True, text=True, check=True).stdout
    for task in ("install", "lab", "test", "exercises", "clean-notebooks"):
        assert task in out
