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
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SUPPORTED = ((3, 11), (3, 13))          # oldest and newest supported Python (minor versions)
LOCK = ROOT / "requirements-lock.txt"
SPARK_LOCK = ROOT / "requirements-spark.txt"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
# the Japanese edition (issue 16): notebooks/ja/, built from the English notebooks and
# translations/ja/ by `python -m cs_helpers.course.translate build`
FIRST_NOTEBOOK_JA = "notebooks/ja/00_start_here.ipynb"
# JupyterLab's own interface language for `lab-ja` (the jupyterlab-language-pack-ja-jp package)
LAB_LOCALES = {"ja": "ja_JP"}
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
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


# --- a throwaway PostgreSQL for the tests -------------------------------------------------------
# The warehouse tests (tests/test_warehouse.py, the Postgres cases of tests/test_corpus.py) need a
# PostgreSQL server. `test`, `unit` and `warehouse` start one for the run when PostgreSQL's
# programs (initdb, pg_ctl) are on this machine: a fresh data folder in a temporary directory,
# a free port on 127.0.0.1 (trust authentication for 127.0.0.1 only, no Unix socket), stopped
# and deleted after the tests, also when they fail or are interrupted (Ctrl-C, SIGTERM). Its
# URL reaches the tests in CS_HELPERS_PG_URL. Without the programs one line says so and the
# tests skip; CI sets CS_HELPERS_REQUIRE_POSTGRES=1, which makes them fail instead.

PG_URL_ENV = "CS_HELPERS_PG_URL"
PG_WHY_ENV = "CS_HELPERS_PG_UNAVAILABLE"     # why there is no server (the tests' skip reason)
PG_SUPERUSER = "cs_helpers"
# where PostgreSQL installs its versioned folders: Debian/Ubuntu, Windows' installer
PG_ROOTS = (Path("/usr/lib/postgresql"),
            Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "PostgreSQL")
PG_SETTINGS = """
# written by tasks.py for a throwaway test server
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = ''
max_connections = 40
fsync = off
synchronous_commit = off
full_page_writes = off
"""
PG_HBA = ("# written by tasks.py: trust, from this machine's loopback address only\n"
          "host all all 127.0.0.1/32 trust\n")


def _exe(name: str) -> str:
    return name + (".exe" if os.name == "nt" else "")


def _version_key(name: str) -> tuple[int, ...]:
    """'15' -> (15,), '9.6' -> (9, 6): so 15 sorts after 9.6 (as text it would not)."""
    return tuple(int(x) for x in re.findall(r"\d+", name)) or (-1,)


def postgres_bin(roots: tuple[Path, ...] = PG_ROOTS) -> Path | None:
    """The folder holding PostgreSQL's ``initdb`` and ``pg_ctl``, or None.

    Looked for in ``CS_HELPERS_PG_BIN``, then on PATH, then in the newest version folder under
    ``roots`` (Debian puts them in /usr/lib/postgresql/<version>/bin, off the PATH).
    """
    def complete(folder: Path) -> bool:
        return (folder / _exe("initdb")).is_file() and (folder / _exe("pg_ctl")).is_file()

    if os.environ.get("CS_HELPERS_PG_BIN"):
        folder = Path(os.environ["CS_HELPERS_PG_BIN"])
        return folder if complete(folder) else None
    on_path = shutil.which("initdb")
    if on_path and complete(Path(on_path).parent):
        return Path(on_path).parent
    for root in roots:
        if root.is_dir():
            versions = sorted((d for d in root.iterdir() if d.is_dir()),
                              key=lambda d: _version_key(d.name), reverse=True)
            for version in versions:
                if complete(version / "bin"):
                    return version / "bin"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL server: :meth:`start` creates and starts it, :meth:`stop` stops it
    and deletes its folder.

    PostgreSQL refuses to run as root: when root, its programs run as ``run_as`` (the
    ``postgres`` user that Debian's package creates), and the folder is given to that user.
    """

    def __init__(self, bindir: Path, run_as: str | None = None):
        self.bindir = Path(bindir)
        self.run_as = run_as
        self.folder: Path | None = None
        self.port: int | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{PG_SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str | Path, **kw) -> subprocess.CompletedProcess:
        if self.run_as is not None:
            import pwd  # POSIX only; run_as is only set for root

            user = pwd.getpwnam(self.run_as)
            kw.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                              cwd=self.folder, **kw)

    def start(self, tries: int = 3) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cs_helpers_pg_"))
        try:
            if self.run_as is not None:
                import pwd

                user = pwd.getpwnam(self.run_as)
                os.chown(self.folder, user.pw_uid, user.pw_gid)
            done = self._run(self.bindir / _exe("initdb"), "-D", self.data, "-U", PG_SUPERUSER,
                             "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
            if done.returncode != 0:
                raise TaskError(f"initdb failed: {_last_line(done.stderr or done.stdout)}")
            (self.data / "pg_hba.conf").write_text(PG_HBA)    # keeps the file's owner
            conf = (self.data / "postgresql.conf").read_text()
            for _ in range(tries):              # a port taken meanwhile: try another
                self.port = free_port()
                (self.data / "postgresql.conf").write_text(conf + PG_SETTINGS.format(
                    port=self.port))
                done = self._run(self.bindir / _exe("pg_ctl"), "-D", self.data, "-l",
                                 self.folder / "server.log", "-w", "-t", "60", "start",
                                 start_new_session=True)   # Ctrl-C reaches us, and we stop it
                if done.returncode == 0:
                    return
            log = self.folder / "server.log"
            why = _last_line(log.read_text() if log.exists() else done.stderr or done.stdout,
                             n=3)
            raise TaskError(f"pg_ctl start failed: {why}")
        except BaseException:
            self.stop()
            raise

    def version(self) -> str:
        """The server's version, as ``pg_ctl --version`` prints it (e.g. '15.18')."""
        out = subprocess.run([str(self.bindir / _exe("pg_ctl")), "--version"],
                             capture_output=True, text=True).stdout
        found = re.search(r"\d+(\.\d+)*", out)
        return found.group(0) if found else "?"

    def pid(self) -> int | None:
        """The server's process id (from postmaster.pid), or None when it is not running."""
        if self.folder is None:
            return None
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        """Stop the server (if running) and delete its folder; safe to call twice."""
        if self.folder is None:
            return
        try:
            # "fast" rolls back the sessions; a session stuck in a long query may ignore it,
            # "immediate" does not wait for anything; the last resort kills the server's
            # process group (the server makes itself a group leader)
            for mode in ("fast", "immediate"):
                if self.pid() is None:
                    break
                self._run(self.bindir / _exe("pg_ctl"), "-D", self.data, "-m", mode, "-w",
                          "-t", "30", "stop")
            pid = self.pid()
            if pid is not None and os.name != "nt":
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _last_line(text: str, n: int = 1) -> str:
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return " / ".join(lines[-n:]) if lines else "no message"


def _server_user() -> str | None:
    """Who runs PostgreSQL's programs: None (ourselves), or 'postgres' when we are root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise TaskError("running as root and there is no 'postgres' user to run PostgreSQL "
                        "as (PostgreSQL refuses root; Debian's postgresql package creates "
                        "the user)") from None
    return "postgres"


@contextlib.contextmanager
def postgres_for_tests():
    """Give the tests a PostgreSQL server for the duration of the block.

    Yields the :class:`PostgresServer` started for the block (its URL is in
    ``CS_HELPERS_PG_URL`` meanwhile), or None: when ``CS_HELPERS_PG_URL`` is already set (your
    own server is used as is), or when no server can be started (one line says why, and the
    reason goes to the tests in ``CS_HELPERS_PG_UNAVAILABLE`` for their skip message).
    """
    if os.environ.get(PG_URL_ENV):
        print(f"PostgreSQL for the tests: the server of {PG_URL_ENV} (set by you).", flush=True)
        yield None
        return
    try:
        bindir = postgres_bin()
        if bindir is None:
            raise TaskError("PostgreSQL is not installed here (no initdb/pg_ctl found; "
                            "Debian: apt-get install postgresql; or set CS_HELPERS_PG_BIN)")
        server = PostgresServer(bindir, run_as=_server_user())
        server.start()
    except TaskError as e:
        required = os.environ.get("CS_HELPERS_REQUIRE_POSTGRES", "") == "1"
        print(f"PostgreSQL for the tests: {e}; the warehouse tests "
              f"{'FAIL (CS_HELPERS_REQUIRE_POSTGRES=1)' if required else 'skip'}.", flush=True)
        os.environ[PG_WHY_ENV] = str(e)
        try:
            yield None
        finally:
            os.environ.pop(PG_WHY_ENV, None)
        return
    print(f"PostgreSQL for the tests: PostgreSQL {server.version()} started on "
          f"127.0.0.1:{server.port}, stopped and deleted after the tests.", flush=True)
    os.environ[PG_URL_ENV] = server.url
    try:
        yield server
    finally:
        os.environ.pop(PG_URL_ENV, None)
        server.stop()


def interrupt_on_sigterm() -> None:
    """Make SIGTERM (a CI job cancelled, `kill`) act as Ctrl-C, so the server is stopped."""
    def handler(signum, frame):
        raise KeyboardInterrupt
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)


# --- the tasks ----------------------------------------------------------------------------------

def run(argv: list[str], env: dict[str, str] | None = None) -> None:
    """Run a command from the repository root; a failure raises with its exit code."""
    code = subprocess.call(argv, cwd=ROOT, env={**os.environ, **(env or {})})
    if code != 0:
        raise subprocess.CalledProcessError(code, argv)


def first_notebook(language: str = "en", root: Path = ROOT) -> str:
    """The notebook ``lab`` opens: lesson 00 of the chosen edition (the English one while the
    Japanese 00 is not built)."""
    if language == "ja" and (root / FIRST_NOTEBOOK_JA).exists():
        return FIRST_NOTEBOOK_JA
    return FIRST_NOTEBOOK


def lab_settings_dir(language: str, root: Path = ROOT) -> Path:
    """The folder ``lab`` gives JupyterLab as its application settings for ``language``."""
    return root / "build" / f"jupyterlab-{language}"


def write_lab_settings(language: str, prefix: Path, root: Path = ROOT) -> Path:
    """Write JupyterLab's application settings for an edition; return their folder.

    JupyterLab reads the interface language from the setting ``locale`` of
    ``@jupyterlab/translation-extension:plugin``: a learner's own choice (Settings > Language)
    comes first, then the application's ``overrides.json``, then "default" (the server's system
    locale). ``lab-ja`` points JupyterLab at a settings folder of its own
    (``--LabApp.app_settings_dir``, in build/) whose ``overrides.json`` says ``ja_JP``, so the
    menus are Japanese without touching the learner's settings or the English ``lab``. Files
    already in the environment's settings folder (``<prefix>/share/jupyter/lab/settings``,
    where some distributions put overrides) are copied first, so nothing they set is lost.
    """
    folder = lab_settings_dir(language, root)
    folder.mkdir(parents=True, exist_ok=True)
    default = Path(prefix) / "share" / "jupyter" / "lab" / "settings"
    overrides: dict = {}
    if default.is_dir():
        for f in default.iterdir():
            if f.is_file() and f.name != "overrides.json":
                shutil.copy2(f, folder / f.name)
        if (default / "overrides.json").is_file():
            with contextlib.suppress(ValueError):
                overrides = json.loads((default / "overrides.json").read_text(encoding="utf-8"))
    overrides.setdefault(TRANSLATION_PLUGIN, {})["locale"] = LAB_LOCALES[language]
    (folder / "overrides.json").write_text(json.dumps(overrides, indent=2, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
    return folder


def lab_argv(python: str | Path, extra: list[str] = (), root: Path = ROOT,
             language: str = "en") -> list[str]:
    """The JupyterLab command of ``lab`` (``language="ja"``: of ``lab-ja``).

    The repository root is the served folder (so the lessons, exercises, solutions and docs are
    all reachable and their relative links open), both the browser and the URL printed for
    copying open ``notebooks/00_start_here.ipynb`` (``lab-ja``: ``notebooks/ja/00_start_here.ipynb``,
    with JupyterLab's menus in Japanese: :func:`write_lab_settings`), and notebooks are saved
    without execution timestamps or the kernel's Python version
    (``cs_helpers.course.lab.pre_save_hook``), so running and saving a lesson leaves it
    unmodified in git.
    """
    argv = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
            f"--LabApp.default_url=/lab/tree/{first_notebook(language, root)}",
            "--ContentsManager.pre_save_hook=cs_helpers.course.lab.pre_save_hook"]
    if language != "en":
        argv.append(f"--LabApp.app_settings_dir={lab_settings_dir(language, root)}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv + list(extra)


def task_lab(python: Path, extra: list[str], language: str = "en") -> int:
    if language != "en":
        prefix = subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"],
                                capture_output=True, text=True, check=True).stdout.strip()
        write_lab_settings(language, Path(prefix))
        if first_notebook(language) != FIRST_NOTEBOOK_JA:
            print("The Japanese edition of lesson 00 is not built yet (make notebooks-ja); "
                  f"opening {FIRST_NOTEBOOK}, with JupyterLab's menus in Japanese.", flush=True)
    return subprocess.call(lab_argv(python, extra, language=language), cwd=ROOT)


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
    with postgres_for_tests():
        run([str(python), "-m", "pytest", "-q", "-rfEs", "tests", "cs_helpers", "tasks.py"],
            env={"MPLBACKEND": "Agg"})


def task_warehouse(python: Path) -> None:
    with postgres_for_tests():
        run([str(python), "-m", "pytest", "-q", "-rfEs", "tests/test_warehouse.py",
             "tests/test_corpus.py", "-k", "postgres or warehouse"], env={"MPLBACKEND": "Agg"})


def nbval_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks ``notebooks-test`` runs with full nbval: the lessons, their Japanese
    edition (``notebooks/ja/``), the solutions and theirs (``exercises/solutions/ja/``)."""
    return sorted(str(p.relative_to(root).as_posix()) for p in
                  [*root.glob("notebooks/*.ipynb"), *root.glob("notebooks/ja/*.ipynb"),
                   *root.glob("exercises/solutions/*.ipynb"),
                   *root.glob("exercises/solutions/ja/*.ipynb")])


def student_copies_to_run(copies: Path, root: Path = ROOT) -> list[str]:
    """The fresh student copies ``notebooks-test`` runs with nbval-lax: both editions
    (``copies/`` and ``copies/ja/``)."""
    return sorted(str(p.relative_to(root).as_posix()) for p in
                  [*copies.glob("*.ipynb"), *copies.glob("ja/*.ipynb")])


def task_notebooks_test(python: Path) -> None:
    failure = None
    try:
        run([str(python), "-m", "pytest", "-q", "--nbval", *SANITIZE, *nbval_notebooks()])
    except subprocess.CalledProcessError as e:
        failure = e                     # the student copies are still run, then it fails
    copies = student_copies_for_test()
    run([str(python), "-m", "cs_helpers.exercises", "build", "--to", str(copies)])
    generated = student_copies_to_run(copies)
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
    task_notebooks_ja(python)


def task_notebooks_ja(python: Path, stems: list[str] = ()) -> None:
    """Build ``notebooks/ja/`` and ``exercises/solutions/ja/`` from the English notebooks and
    ``translations/ja/`` (every notebook whose translation is complete, or ``stems`` such as
    ``03_kpi_churn`` or ``solutions/03_kpi_churn``; the others are named with the reason), then
    execute the built notebooks and clean them like the English ones; when a Japanese solution
    was built, update the Japanese student copies (``exercises/ja/``, never a learner's answers)."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "built.txt"
        run([str(python), "-m", "cs_helpers.course.translate", "--root", str(ROOT), "build",
             *stems, "--list", str(listing)])
        built = listing.read_text(encoding="utf-8").split()
    if not built:
        print("No Japanese notebook to execute (no translation is complete yet).")
        return
    run([str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3",
         "--ExecutePreprocessor.record_timing=False", *built])
    run([str(python), "-m", "cs_helpers.course.lab", "clean", *built])
    if any(p.startswith("exercises/solutions/") for p in built):
        # exit code 1 only says that copies with a learner's answers were kept (it says which)
        subprocess.call([str(python), "-m", "cs_helpers.exercises", "build"], cwd=ROOT)


TASKS = {
    "install": "Create the virtual environment and install the pinned packages",
    "lab": "Open JupyterLab on notebooks/00_start_here.ipynb (extra arguments go to JupyterLab)",
    "lab-ja": "The same in Japanese: notebooks/ja/00_start_here.ipynb, JupyterLab's menus in "
              "Japanese",
    "test": "Everything CI runs: ruff, unit tests and doctests, every notebook (nbval)",
    "lint": "ruff over the package, tests, notebooks and solutions",
    "unit": "Unit tests and doctests",
    "warehouse": "Only the PostgreSQL tests (a throwaway server is started and stopped for them)",
    "notebooks-test": "Re-run every committed notebook and compare outputs (nbval)",
    "notebooks": "Re-execute every lesson and solution in place (after an intended change), "
                 "then notebooks-ja",
    "notebooks-ja": "Build notebooks/ja/ and exercises/solutions/ja/ from translations/ja/ "
                    "(complete translations only), execute and clean them [STEM ...]",
    "translations": "Where each notebook's Japanese translation stands (cells translated, "
                    "untranslated, stale)",
    "exercises": "Update the student copies in exercises/ and exercises/ja/ (never overwrites "
                 "your answers)",
    "site": "Render the executed notebooks to a static site in _site/",
    "slides": "Render each taught notebook as a reveal.js deck in _slides/",
    "report": "KPI report (notebook A2) on a file or a database table: report --data FILE | "
              "--connection URL --table NAME [-p name value ...]",
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
                        help="for lab: JupyterLab options; for clean-notebooks: notebook files; "
                             "for notebooks-ja: notebook names (03_kpi_churn ...); for "
                             "report: --data/--connection/--table and papermill's -p options")
    args = parser.parse_args(argv)

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # quiet debugger warnings
    interrupt_on_sigterm()
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
            return task_lab(python, args.args)
        elif args.task == "lab-ja":
            return task_lab(python, args.args, language="ja")
        elif args.task == "test":
            task_test(python)
        elif args.task == "lint":
            task_lint(python)
        elif args.task == "unit":
            task_unit(python)
        elif args.task == "warehouse":
            task_warehouse(python)
        elif args.task == "notebooks-test":
            task_notebooks_test(python)
        elif args.task == "notebooks":
            task_notebooks(python)
        elif args.task == "notebooks-ja":
            task_notebooks_ja(python, args.args)
        elif args.task == "translations":
            run([str(python), "-m", "cs_helpers.course.translate", "--root", str(ROOT), "status"])
        elif args.task == "exercises":
            run([str(python), "-m", "cs_helpers.exercises", "build"])
        elif args.task == "site":
            run([str(python), "-m", "cs_helpers.course.site", "site", "--out", "_site"])
        elif args.task == "slides":
            run([str(python), "-m", "cs_helpers.course.site", "slides", "--out", "_slides"])
        elif args.task == "report":
            run([str(python), "-m", "cs_helpers.report", "make", "--cwd", os.getcwd(),
                 *args.args])
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
