#!/usr/bin/env python3
"""The course's tasks, on every platform. `make lab` and `make test` run this file; without make
(Windows), run it with the Python you installed:

    py -3.13 tasks.py lab       # Windows ("python tasks.py lab" in a conda or other prompt)
    py -3.13 tasks.py test
    python3 tasks.py --help     # every task

It uses the standard library only, because it runs before anything is installed: the first task
creates `.venv` with the Python that runs it, installs the pinned packages of
`requirements-lock.txt` into it (pip shows its progress), and every later task runs inside that
`.venv`. Python 3.11, 3.12 and 3.13 are supported and tested; another version is refused with a
message that says which Python to install.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SUPPORTED = ((3, 11), (3, 13))          # oldest and newest supported Python (minor versions)
LOCK = ROOT / "requirements-lock.txt"
SPARK_LOCK = ROOT / "requirements-spark.txt"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
SANITIZE = ["--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
# where `test` writes fresh student copies to run them (learners' own copies are never run)
STUDENT_CHECK = Path("build") / "student-copies"


class TaskError(Exception):
    """A task cannot go on; the message says why and what to do."""


# --- which Python -------------------------------------------------------------------------------

def python_problem(version: tuple[int, ...]) -> str | None:
    """Why this Python cannot run the course, or None if it can.

    >>> python_problem((3, 13, 0)) is None
    True
    >>> print(python_problem((3, 14, 0)))  # doctest: +ELLIPSIS
    Python 3.14 is newer than this course supports (3.11 to 3.13)...
    """
    lo, hi = SUPPORTED
    have = f"{version[0]}.{version[1]}"
    span = f"{lo[0]}.{lo[1]} to {hi[0]}.{hi[1]}"
    newest = f"{hi[0]}.{hi[1]}"
    how = (f"Install Python {newest} (https://www.python.org/downloads/; on Windows tick "
           f"'Add python.exe to PATH'), then run `make lab PYTHON=python{newest}`, or without "
           f"make `py -{newest} tasks.py lab` (Windows) / `python{newest} tasks.py lab`.")
    if tuple(version[:2]) > hi:
        return (f"Python {have} is newer than this course supports ({span}): the pinned "
                f"packages in requirements-lock.txt, and the notebook outputs they produce, are "
                f"tested on {span} only. {how}")
    if tuple(version[:2]) < lo:
        return f"Python {have} is too old for this course (it needs {span}). {how}"
    return None


def venv_python(venv: Path, windows: bool = os.name == "nt") -> Path:
    """The interpreter of a virtual environment, on Windows or elsewhere."""
    if windows:
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _version_of(python: Path) -> tuple[int, ...]:
    out = subprocess.run([str(python), "-c", "import sys; print(*sys.version_info[:3])"],
                         capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.split())


# --- install ------------------------------------------------------------------------------------

def _stamp_text(files: list[Path], version: tuple[int, ...]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return json.dumps({"python": ".".join(map(str, version[:3])), "sha256": digest.hexdigest()})


def _pip(python: Path, *args: str) -> None:
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", *args])


def install(venv: Path, spark: bool = False) -> Path:
    """Create ``venv`` if needed and install the pinned packages; return its Python.

    Does nothing when the lock and ``pyproject.toml`` have not changed since the last install
    (a stamp file in the venv remembers them).
    """
    python = venv_python(venv)
    if not python.exists():
        problem = python_problem(sys.version_info)
        if problem:
            raise TaskError(problem)
        print(f"Creating {venv} with Python {sys.version.split()[0]} ({sys.executable})",
              flush=True)
        run([sys.executable, "-m", "venv", str(venv)])
    version = _version_of(python)
    problem = python_problem(version)
    if problem:
        raise TaskError(f"{venv} was made with an unsupported Python. {problem} Then delete the "
                        f"folder {venv} (it only holds installed packages) and run the task again.")
    stamp = venv / ".installed-stamp"
    want = _stamp_text([LOCK, ROOT / "pyproject.toml"], version)
    if not stamp.exists() or stamp.read_text() != want:
        n = sum(1 for ln in LOCK.read_text().splitlines() if ln and ln[0] not in " #-")
        print(f"Installing the {n} pinned packages of requirements-lock.txt into {venv} "
              "(only the first time, or after the lock changes; a few minutes).", flush=True)
        _pip(python, "-r", str(LOCK))
        _pip(python, "--no-deps", "-e", str(ROOT))
        stamp.write_text(want)
    else:
        stamp.touch()   # up to date: tell make so, too
    if spark:
        spark_stamp = venv / ".spark-stamp"
        want = _stamp_text([SPARK_LOCK, LOCK], version)
        if not spark_stamp.exists() or spark_stamp.read_text() != want:
            print("Installing the Spark engine (pyspark; it needs Java 17 or later).", flush=True)
            _pip(python, "-r", str(SPARK_LOCK))
            spark_stamp.write_text(want)
        else:
            spark_stamp.touch()
    return python


# --- the tasks ----------------------------------------------------------------------------------

def run(argv: list[str], env: dict[str, str] | None = None) -> None:
    """Run a command from the repository root; a failure raises with its exit code."""
    code = subprocess.call(argv, cwd=ROOT, env={**os.environ, **(env or {})})
    if code != 0:
        raise subprocess.CalledProcessError(code, argv)


def lab_argv(python: str | Path, extra: list[str] = (), root: Path = ROOT) -> list[str]:
    """The JupyterLab command of ``lab``.

    The repository root is the served folder (so the lessons, exercises, solutions and docs are
    all reachable and their relative links open), both the browser and the URL printed for
    copying open ``notebooks/00_start_here.ipynb``, and notebooks are saved without execution
    timestamps or the kernel's Python version (``cs_helpers.course.lab.pre_save_hook``), so running and
    saving a lesson leaves it unmodified in git.
    """
    argv = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
            f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
            "--ContentsManager.pre_save_hook=cs_helpers.course.lab.pre_save_hook"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv + list(extra)


def student_copies_for_test() -> Path:
    """Fresh student copies (from the solutions) in ``build/student-copies`` for the tests."""
    out = ROOT / STUDENT_CHECK
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def task_lint(python: Path) -> None:
    copies = student_copies_for_test()
    run([str(python), "-m", "cs_helpers.exercises", "build", "--to", str(copies)])
    run([str(python), "-m", "ruff", "check", "cs_helpers", "tests", "notebooks",
         "exercises/solutions", "tasks.py", str(STUDENT_CHECK)])


def task_unit(python: Path) -> None:
    run([str(python), "-m", "pytest", "-q", "-rfEs", "tests", "cs_helpers", "tasks.py"],
        env={"MPLBACKEND": "Agg"})


def task_notebooks_test(python: Path) -> None:
    solutions = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("exercises/solutions/*.ipynb"))
    failure = None
    try:
        run([str(python), "-m", "pytest", "-q", "--nbval", *SANITIZE, "notebooks", *solutions])
    except subprocess.CalledProcessError as e:
        failure = e                     # the student copies are still run, then it fails
    copies = student_copies_for_test()
    run([str(python), "-m", "cs_helpers.exercises", "build", "--to", str(copies)])
    generated = sorted(str(p.relative_to(ROOT)) for p in copies.glob("*.ipynb"))
    if generated:
        run([str(python), "-m", "pytest", "-q", "--nbval-lax", *generated])
    if failure is not None:
        raise failure


def task_test(python: Path) -> None:
    os.environ["CS_HELPERS_PROGRESS"] = "off"      # the tests' checks are not a learner's progress
    failed = []
    for name, task in (("lint", task_lint), ("unit tests", task_unit),
                       ("notebook tests", task_notebooks_test)):
        print(f"\n=== {name} ===", flush=True)
        try:
            task(python)
        except subprocess.CalledProcessError:
            failed.append(name)
    if failed:
        raise TaskError("Failed: " + ", ".join(failed) + " (the output above says where).")
    print("\nEverything passed: lint, unit tests and notebooks.")


def task_notebooks(python: Path) -> None:
    notebooks = sorted(str(p.relative_to(ROOT)) for p in
                       [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/solutions/*.ipynb")])
    run([str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3",
         "--ExecutePreprocessor.record_timing=False", *notebooks])
    run([str(python), "-m", "cs_helpers.course.lab", "clean", *notebooks])


TASKS = {
    "install": "Create the virtual environment and install the pinned packages",
    "lab": "Open JupyterLab on notebooks/00_start_here.ipynb (extra arguments go to JupyterLab)",
    "test": "Everything CI runs: ruff, unit tests and doctests, every notebook (nbval)",
    "lint": "ruff over the package, tests, notebooks and solutions",
    "unit": "Unit tests and doctests",
    "notebooks-test": "Re-run every committed notebook and compare outputs (nbval)",
    "notebooks": "Re-execute every lesson and solution in place (after an intended change)",
    "exercises": "Update the student copies in exercises/ (never overwrites your answers)",
    "site": "Render the executed notebooks to a static site in _site/",
    "slides": "Render each taught notebook as a reveal.js deck in _slides/",
    "data": "Rebuild the simulated datasets in data/",
    "clean-notebooks": "Remove execution timestamps and the Python version from notebooks",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tasks.py", description="The course's tasks (what `make` runs).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(f"  {k:15s} {v}" for k, v in TASKS.items()))
    parser.add_argument("--venv", default=os.environ.get("VENV", ".venv"),
                        help="virtual environment folder (default .venv)")
    parser.add_argument("--here", action="store_true",
                        help="use the Python running this file and install nothing (the conda "
                             "route: conda env create -f environment.yml installed the lock)")
    parser.add_argument("--spark", action="store_true",
                        default=os.environ.get("CS_HELPERS_REQUIRE_SPARK", "") == "1",
                        help="also install the Spark engine (set by CS_HELPERS_REQUIRE_SPARK=1)")
    parser.add_argument("task", choices=sorted(TASKS), metavar="TASK")
    parser.add_argument("args", nargs=argparse.REMAINDER,
                        help="for lab: JupyterLab options; for clean-notebooks: notebook files")
    args = parser.parse_args(argv)

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # quiet debugger warnings
    venv = Path(args.venv)
    if not venv.is_absolute():
        venv = ROOT / venv
    try:
        if args.here:
            problem = python_problem(sys.version_info)
            if problem:
                raise TaskError(problem)
            python = Path(sys.executable)
        else:
            python = install(venv, spark=args.spark)
        if args.task == "install":
            print(f"Ready: {python}")
        elif args.task == "lab":
            return subprocess.call(lab_argv(python, args.args), cwd=ROOT)
        elif args.task == "test":
            task_test(python)
        elif args.task == "lint":
            task_lint(python)
        elif args.task == "unit":
            task_unit(python)
        elif args.task == "notebooks-test":
            task_notebooks_test(python)
        elif args.task == "notebooks":
            task_notebooks(python)
        elif args.task == "exercises":
            run([str(python), "-m", "cs_helpers.exercises", "build"])
        elif args.task == "site":
            run([str(python), "-m", "cs_helpers.course.site", "site", "--out", "_site"])
        elif args.task == "slides":
            run([str(python), "-m", "cs_helpers.course.site", "slides", "--out", "_slides"])
        elif args.task == "data":
            run([str(python), "-m", "cs_helpers.simulate", "--out", "data"])
        elif args.task == "clean-notebooks":
            run([str(python), "-m", "cs_helpers.course.lab", "clean", *args.args])
    except TaskError as e:
        print(f"\n{e}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as e:
        return e.returncode or 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
