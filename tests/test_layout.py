"""The package's shape (issue 15): the analytics library apart from the course machinery.

- No import circles among ``cs_helpers`` modules, counting every intra-package import (module
  level and inside functions, ``if TYPE_CHECKING:`` too), read from the source with ``ast``;
  a package's ``__init__`` importing its own submodules (re-exporting them) is not a circle.
- No library module imports :mod:`cs_helpers.course` (directly or through a contract alias).
- ``import cs_helpers`` and a KPI call load nothing of the course.
- The contract aliases (``cs.datasets``, ``cs.simulate``, ``python -m cs_helpers.simulate``,
  ``from cs_helpers.exercises import check``...) work and are the course modules themselves.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cs_helpers

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cs_helpers"
COURSE = "cs_helpers.course"

#: Allowed exceptions, both empty since the engine rewrite landed (issue 15): the last circles
#: (engines <-> lifetimes, dates <-> errors) and the report's import of the course datasets are
#: gone. Each entry would be one circle (the modules of one strongly connected component) or one
#: (library module, course module) import; the tests fail on a new one and on a stale entry.
KNOWN_CIRCLES_OWNED_BY_ENGINE_REWRITE: frozenset[frozenset[str]] = frozenset()

KNOWN_COURSE_IMPORTS_OWNED_BY_ENGINE_REWRITE: frozenset[tuple[str, str]] = frozenset()


# --- the import graph, from the source ----------------------------------------------------------

def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Module name -> file, for every module of ``package`` (a ``cs_helpers`` folder)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


#: Names that are not files: ``cs.datasets`` etc. resolve lazily to the course module
#: (``cs_helpers._COURSE_ALIASES``); ``cs_helpers/simulate.py`` and ``exercises.py`` are files
#: that import their course module.
ALIASES = {f"cs_helpers.{name}": target for name, target in cs_helpers._COURSE_ALIASES.items()}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` loads: itself, its alias target, or its longest known prefix."""
    while name:
        if name in ALIASES and name not in modules:
            return ALIASES[name]
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every ``cs_helpers`` module ``module`` imports, anywhere in its code."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # `from pkg import name`: the submodule pkg.name if there is one, else pkg itself
            names = [f"{base}.{a.name}" if _resolve(f"{base}.{a.name}", modules) not in
                     (None, _resolve(base, modules)) else base for a in node.names]
        for name in names:
            if name == "cs_helpers" or name.startswith("cs_helpers."):
                target = _resolve(name, modules)
                if target is not None and target != module:
                    out.add(target)
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Edges importer -> imported; a package's ``__init__`` -> its own submodules is left out."""
    modules = _modules(package)
    graph = {}
    for module, path in modules.items():
        targets = imports_of(module, path, modules)
        if path.name == "__init__.py":
            targets = {t for t in targets if not t.startswith(module + ".")}
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _a_cycle(graph: dict[str, set[str]], component: frozenset[str]) -> list[str]:
    """One import path around ``component``, for the failure message."""
    start = min(component)
    path, seen = [start], {start}
    while True:
        nxt = sorted(w for w in graph[path[-1]] if w in component)
        step = next((w for w in nxt if w == start and len(path) > 1), None) or next(
            (w for w in nxt if w not in seen), nxt[0])
        path.append(step)
        if step in seen:
            return path[path.index(step):]
        seen.add(step)


GRAPH = import_graph()


def test_the_graph_sees_imports_inside_functions_and_relative_imports():
    # engines.table imports dates (relative, two dots); a lesson imports ...phases in a function
    assert "cs_helpers.dates" in GRAPH["cs_helpers.engines.table"]
    assert "cs_helpers.phases" in GRAPH["cs_helpers.course.lessons.l06_laxus_phase_strategy"]
    assert "cs_helpers.course.datasets" in GRAPH["cs_helpers.course.lessons._shared"]
    assert "cs_helpers.course.simulate" in GRAPH["cs_helpers.simulate"]


def test_no_import_circles():
    found = circles(GRAPH)
    new = [c for c in found if c not in KNOWN_CIRCLES_OWNED_BY_ENGINE_REWRITE]
    assert not new, "import circles: " + "; ".join(
        " -> ".join(_a_cycle(GRAPH, c)) for c in new)
    gone = KNOWN_CIRCLES_OWNED_BY_ENGINE_REWRITE - set(found)
    assert not gone, f"no longer circles, remove them from the allowlist: {sorted(map(sorted, gone))}"


def test_the_circle_check_fails_on_a_circle(tmp_path):
    # a copy of the package with one added circle: phases -> nps at module level, nps -> phases
    # inside a function
    copy = tmp_path / "cs_helpers"
    for path in PACKAGE.rglob("*.py"):
        (copy / path.relative_to(PACKAGE)).parent.mkdir(parents=True, exist_ok=True)
        (copy / path.relative_to(PACKAGE)).write_text(path.read_text(encoding="utf-8"))
    assert set(circles(import_graph(copy))) <= KNOWN_CIRCLES_OWNED_BY_ENGINE_REWRITE
    (copy / "phases.py").write_text((copy / "phases.py").read_text() + "\nfrom . import nps  # noqa\n")
    (copy / "nps.py").write_text((copy / "nps.py").read_text()
                                 + "\n\ndef _f():\n    from .phases import assign  # noqa\n")
    assert frozenset({"cs_helpers.phases", "cs_helpers.nps"}) in circles(import_graph(copy))


# --- the library never imports the course -----------------------------------------------------

#: The alias files: contract module paths that are the course modules (``python -m`` needs a file).
ALIAS_FILES = {"cs_helpers.simulate": "cs_helpers.course.simulate",
               "cs_helpers.exercises": "cs_helpers.course.exercises"}

#: The library: every module but the package root (lazy course aliases), the alias files and the
#: course package.
LIBRARY = sorted(m for m in GRAPH if m != "cs_helpers" and m not in ALIAS_FILES
                 and m != COURSE and not m.startswith(COURSE + "."))


def test_the_alias_files_only_import_their_course_module():
    for alias, target in ALIAS_FILES.items():
        assert GRAPH[alias] == {target}, alias
    assert "cs_helpers.churn" in LIBRARY and "cs_helpers.health" in LIBRARY


@pytest.mark.parametrize("module", LIBRARY)
def test_no_library_module_imports_the_course(module):
    course = {(module, t) for t in GRAPH[module] if t == COURSE or t.startswith(COURSE + ".")}
    assert not course - KNOWN_COURSE_IMPORTS_OWNED_BY_ENGINE_REWRITE, sorted(course)


def test_the_known_course_imports_are_still_there():
    for module, target in KNOWN_COURSE_IMPORTS_OWNED_BY_ENGINE_REWRITE:
        assert target in GRAPH[module], f"remove ({module}, {target}) from the allowlist"


# --- at run time -------------------------------------------------------------------------------

def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_importing_the_library_loads_no_course_module():
    r = _run(f"""
        import importlib, sys
        import cs_helpers
        cs_helpers.churn_rate, cs_helpers.to_lifetimes, cs_helpers.ltv.simple
        for name in {LIBRARY!r}:
            importlib.import_module(name)
        print(sorted(m for m in sys.modules if m.startswith("cs_helpers.course")))
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_star_import_gives_the_library_without_the_course():
    r = _run("""
        import sys
        from cs_helpers import *
        assert callable(churn_rate) and callable(set_language)
        print(sorted(m for m in sys.modules if m.startswith("cs_helpers.course")))
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_the_contract_aliases_are_the_course_modules():
    r = _run("""
        import sys
        import cs_helpers as cs
        import cs_helpers.course.simulate as course_simulate
        assert cs.simulate is course_simulate
        import cs_helpers.simulate
        assert sys.modules["cs_helpers.simulate"] is course_simulate
        from cs_helpers import simulate
        assert simulate is course_simulate
        cs.simulate.TRUE_PARAMS["b2c"], cs.simulate.true_survival, cs.simulate.b2b_latent
        cs.simulate.b2b_late_hazard, cs.simulate.b2b_survival, cs.simulate.DEFAULT_SEED

        from cs_helpers.exercises import check, hint, progress
        import cs_helpers.course.exercises as course_exercises
        assert (check, hint, progress) == (course_exercises.check, course_exercises.hint,
                                           course_exercises.progress)
        assert sys.modules["cs_helpers.exercises"] is course_exercises is cs.exercises

        assert cs.datasets is sys.modules["cs_helpers.course.datasets"]
        assert "b2c_members" in cs.datasets.names()
        from cs_helpers import datasets, schema, timing
        assert schema is sys.modules["cs_helpers.course.schema"]
        assert timing is sys.modules["cs_helpers.course.timing"]
        assert str(cs.schema.AS_OF) == "2026-09-30"
        print("ok")
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_monkeypatching_the_alias_patches_the_course_module(monkeypatch):
    import cs_helpers.course.simulate as course_simulate

    monkeypatch.setattr(cs_helpers.simulate, "DEFAULT_SEED", 1)
    assert course_simulate.DEFAULT_SEED == 1


@pytest.mark.parametrize("argv, usage", [
    (["-m", "cs_helpers.simulate", "--help"], "usage: python -m cs_helpers.simulate"),
    (["-m", "cs_helpers.exercises", "build", "--help"], "usage: python -m cs_helpers.exercises build"),
    (["-m", "cs_helpers.course.site", "--help"], "usage: python -m cs_helpers.course.site"),
    (["-m", "cs_helpers.course.lab", "--help"], "usage: python -m cs_helpers.course.lab"),
])
def test_the_command_lines_run(argv, usage):
    r = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(usage)
    assert "RuntimeWarning" not in r.stderr          # run once, not also imported as a module


def test_an_unknown_attribute_is_still_an_attribute_error():
    with pytest.raises(AttributeError):
        cs_helpers.no_such_name  # noqa: B018
