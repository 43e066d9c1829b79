"""The project's install files agree with each other and with the two documented commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _names(reqs: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in reqs}


def _project_names() -> tuple[set[str], set[str]]:
    project = _pyproject()["project"]
    return _names(project["dependencies"]), _names(project["optional-dependencies"]["dev"])


def _conda_env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_conda_route_installs_exactly_the_lock():
    """conda provides Python and pip; every package comes from requirements-lock.txt, so the
    conda route gets the same versions as `make` (and as the committed notebook outputs)."""
    deps = _conda_env()["dependencies"]
    conda = sorted(d for d in deps if isinstance(d, str))
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert conda == ["pip", "python>=3.11,<3.14"]
    assert pip == ["-r requirements-lock.txt", "-e ."]


def test_conda_python_range_is_the_package_range():
    python = next(d for d in _conda_env()["dependencies"]
                  if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == _pyproject()["project"]["requires-python"]


def test_lock_pins_every_dependency_exactly():
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line.split(";")[0].strip())
        spec = str(req.specifier)
        assert spec.startswith("=="), f"{req.name} is not pinned exactly: {line!r}"
        pins[canonicalize_name(req.name)] = spec
    runtime, dev = _project_names()
    assert (runtime | dev) <= set(pins), f"not in the lock: {(runtime | dev) - set(pins)}"


def test_lock_satisfies_the_pyproject_ranges():
    lock = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line.split(";")[0].strip())
            lock.setdefault(canonicalize_name(req.name), []).append(str(req.specifier)[2:])
    project = _pyproject()["project"]
    for r in project["dependencies"] + project["optional-dependencies"]["dev"]:
        req = Requirement(r)
        for version in lock[canonicalize_name(req.name)]:
            assert req.specifier.contains(version), f"lock has {req.name}=={version}, not in {r}"


def test_python_range_is_3_11_to_3_13():
    assert _pyproject()["project"]["requires-python"] == ">=3.11,<3.14"


def _lock_versions() -> dict[str, list[str]]:
    lock: dict[str, list[str]] = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line.split(";")[0].strip())
            lock.setdefault(canonicalize_name(req.name), []).append(str(req.specifier)[2:])
    return lock


def test_lock_has_one_version_of_each_package_on_every_python():
    """Markers may include or leave out a package on some Pythons, never switch its version: the
    committed notebook outputs must be valid on 3.11, 3.12 and 3.13 alike."""
    forked = {name: v for name, v in _lock_versions().items() if len(set(v)) > 1}
    assert forked == {}


def test_ci_runs_make_test_on_every_python_the_readme_names():
    ci = (ROOT / ".ci" / "run").read_text()
    named = re.search(r"You need `python3` \(([^)]*)\)", (ROOT / "README.md").read_text())
    versions = re.findall(r"3\.\d+", named.group(1))
    assert versions == ["3.11", "3.12", "3.13"]
    assert re.search(r"^VERSIONS=\(" + " ".join(v.replace(".", r"\.") for v in versions) + r"\)$",
                     ci, re.M)
    assert 'make test PYTHON="${PY[$v]}" VENV=".venv-$v"' in ci
    # a Python the README names but the machine lacks fails the run, it is not skipped
    assert re.search(r"is not on this machine.*\n\s*exit 1", ci)


def test_readme_quick_start_names_the_two_commands_and_their_windows_form():
    readme = (ROOT / "README.md").read_text()
    quick = readme[readme.index("## Quick start"):readme.index("## Course map")]
    for command in ("make lab", "make test", "tasks.py lab", "tasks.py test", "Windows",
                    "conda env create -f environment.yml", "tasks.py --here lab"):
        assert command in quick, command
    makefile = (ROOT / "Makefile").read_text()
    # make runs the same entry point as Windows: `python tasks.py lab` / `... test`
    for task in ("lab", "test"):
        recipe = re.search(rf"^{task}:.*\n\t(.*)$", makefile, re.M).group(1)
        assert recipe == f"@$(TASKS) {task}", recipe
    assert re.search(r"^TASKS = \$\(BOOT\) tasks\.py ", makefile, re.M)


def test_readme_course_map_matches_the_notebooks():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"\[(\w+)\.ipynb\]", readme))
    present = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert listed == present


