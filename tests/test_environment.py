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


def _conda_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names: set[str] = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {canonicalize_name(Requirement(p).name) for p in dep["pip"]
                      if not p.startswith("-e")}
        else:
            names.add(canonicalize_name(re.split(r"[<>=! ]", dep, maxsplit=1)[0]))
    return names - {"python", "pip"}


def test_environment_yml_names_the_same_packages_as_pyproject():
    runtime, dev = _project_names()
    assert _conda_names() == runtime | dev


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


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


def test_ci_runs_exactly_make_test():
    commands = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
    assert commands[-1] == "make test"


def test_readme_quick_start_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "notebooks/00_start_here.ipynb" in makefile


def test_readme_course_map_matches_the_notebooks():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"\[(\w+)\.ipynb\]", readme))
    present = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert listed == present


def _course_map() -> dict[str, tuple[int, int]]:
    rows = re.findall(r"\| \[(\w+)\.ipynb\]\([^)]*\) \|[^|]*\| (\d+) \+ (\d+) \|",
                      (ROOT / "README.md").read_text())
    return {name: (int(t), int(e)) for name, t, e in rows}


def test_readme_timings_match_each_notebook():
    import json
    for name, (teach, exercises) in _course_map().items():
        nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
        title = "".join(nb["cells"][0]["source"])
        m = re.search(r"\*\*Time:\*\* teaching (\d+) min \+ exercises (\d+) min", title)
        assert m, f"{name}: no 'Time: teaching N min + exercises M min' line in the title cell"
        assert (int(m.group(1)), int(m.group(2))) == (teach, exercises), name


def test_readme_core_path_total_is_the_sum_of_the_table():
    core = {k: v for k, v in _course_map().items() if k[:2].isdigit()}
    teach = sum(t for t, _ in core.values())
    exercises = sum(e for _, e in core.values())
    fmt = lambda m: f"{m // 60} h {m % 60} min"  # noqa: E731
    sentence = (f"Core path 00-07: {fmt(teach)} of teaching plus {fmt(exercises)} of exercises "
                f"({fmt(teach + exercises)} in all).")
    assert sentence in (ROOT / "README.md").read_text().replace("\n", " ")
