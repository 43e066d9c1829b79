"""tasks.py, the entry point that `make` calls and that Windows users run directly."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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


# --------------------------------------------------------------------------------------------
# the throwaway PostgreSQL server of `test`, `unit` and `warehouse`
# --------------------------------------------------------------------------------------------

def _fake_pg(root: Path, version: str, complete: bool = True) -> Path:
    folder = root / version / "bin"
    folder.mkdir(parents=True)
    for name in ("initdb", "pg_ctl") if complete else ("initdb",):
        (folder / tasks._exe(name)).write_text("")
    return folder


def test_postgres_binaries_newest_complete_version(tmp_path, monkeypatch):
    monkeypatch.delenv("CS_HELPERS_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert tasks.postgres_bin((tmp_path / "absent", tmp_path)) is None
    _fake_pg(tmp_path, "9.6")
    _fake_pg(tmp_path, "15")
    _fake_pg(tmp_path, "17", complete=False)          # initdb without pg_ctl: not usable
    # 15 is newer than 9.6, although '9.6' > '15' as text
    assert tasks.postgres_bin((tmp_path,)) == tmp_path / "15" / "bin"
    # CS_HELPERS_PG_BIN wins, and a folder without the programs is not taken
    monkeypatch.setenv("CS_HELPERS_PG_BIN", str(tmp_path / "9.6" / "bin"))
    assert tasks.postgres_bin((tmp_path,)) == tmp_path / "9.6" / "bin"
    monkeypatch.setenv("CS_HELPERS_PG_BIN", str(tmp_path / "17" / "bin"))
    assert tasks.postgres_bin((tmp_path,)) is None


def test_free_port_is_free_on_loopback():
    import socket

    port = tasks.free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))           # would raise if something listened there


@pytest.mark.parametrize("required", ["", "1"])
def test_no_postgres_says_so_in_one_line_and_the_tests_learn_why(monkeypatch, capsys,
                                                                 required):
    monkeypatch.delenv(tasks.PG_URL_ENV, raising=False)
    monkeypatch.setenv("CS_HELPERS_REQUIRE_POSTGRES", required)
    monkeypatch.setattr(tasks, "postgres_bin", lambda *a: None)
    with tasks.postgres_for_tests() as server:
        assert server is None
        assert tasks.PG_URL_ENV not in os.environ
        assert "PostgreSQL is not installed here" in os.environ[tasks.PG_WHY_ENV]
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1, out
    assert "no initdb/pg_ctl found" in out
    assert ("the warehouse tests FAIL" if required else "the warehouse tests skip") in out
    assert tasks.PG_WHY_ENV not in os.environ


def test_a_server_of_your_own_is_used_as_is(monkeypatch, capsys):
    monkeypatch.setenv(tasks.PG_URL_ENV, "postgresql://me@db.example:5432/x")
    monkeypatch.setattr(tasks, "postgres_bin", lambda *a: pytest.fail("must not look"))
    with tasks.postgres_for_tests() as server:
        assert server is None
        assert os.environ[tasks.PG_URL_ENV] == "postgresql://me@db.example:5432/x"
    assert "set by you" in capsys.readouterr().out


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it counts as stopped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        with contextlib.suppress(OSError):
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _accepts(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def pg_binaries(monkeypatch):
    monkeypatch.delenv(tasks.PG_URL_ENV, raising=False)
    bindir = tasks.postgres_bin()
    if bindir is None:
        if os.environ.get("CS_HELPERS_REQUIRE_POSTGRES", "") == "1":
            pytest.fail("CS_HELPERS_REQUIRE_POSTGRES=1 but PostgreSQL is not installed here")
        pytest.skip("PostgreSQL is not installed here (no initdb/pg_ctl)")
    return bindir


@pytest.mark.parametrize("ending", ["normal", "failure", "ctrl-c", "sigterm"])
def test_throwaway_server_serves_then_leaves_nothing_behind(pg_binaries, ending, request,
                                                           capsys):
    if ending == "sigterm":
        if os.name == "nt":
            pytest.skip("no SIGTERM to send here")
        previous = signal.getsignal(signal.SIGTERM)
        request.addfinalizer(lambda: signal.signal(signal.SIGTERM, previous))
        tasks.interrupt_on_sigterm()          # what main() does
    seen = {}
    expected = {"normal": None, "failure": RuntimeError, "ctrl-c": KeyboardInterrupt,
                "sigterm": KeyboardInterrupt}[ending]
    with contextlib.ExitStack() as stack:
        if expected is not None:
            stack.enter_context(pytest.raises(expected))
        with tasks.postgres_for_tests() as server:
            seen.update(folder=server.folder, port=server.port, pid=server.pid(),
                        url=os.environ[tasks.PG_URL_ENV])
            assert _accepts(server.port) and _alive(seen["pid"])
            hba = (server.data / "pg_hba.conf").read_text().splitlines()
            assert [ln for ln in hba if ln and not ln.startswith("#")] == [
                "host all all 127.0.0.1/32 trust"]
            if os.geteuid() == 0:    # PostgreSQL refuses root: it runs as 'postgres'
                import pwd

                assert pwd.getpwuid(server.data.stat().st_uid).pw_name == "postgres"
            if ending == "failure":
                raise RuntimeError("a test run that fails")
            if ending == "ctrl-c":
                raise KeyboardInterrupt
            if ending == "sigterm":
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)            # the handler interrupts this
    assert seen["url"] == f"postgresql://cs_helpers@127.0.0.1:{seen['port']}/postgres"
    assert "started on 127.0.0.1:" in capsys.readouterr().out
    assert tasks.PG_URL_ENV not in os.environ
    assert not seen["folder"].exists()
    deadline = time.monotonic() + 10
    while _alive(seen["pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(seen["pid"])
    assert not _accepts(seen["port"])


def test_a_server_that_cannot_start_is_cleaned_up(pg_binaries, monkeypatch):
    made, real = [], tempfile.mkdtemp

    def mkdtemp(**kw):
        made.append(Path(real(**kw)))
        return str(made[-1])
    monkeypatch.setattr(tasks.tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr(tasks, "PG_SETTINGS", "port = not_a_number\n")   # the server refuses
    server = tasks.PostgresServer(pg_binaries, run_as=tasks._server_user())
    with pytest.raises(tasks.TaskError, match='pg_ctl start failed: .*invalid value for parameter "port"'):
        server.start(tries=1)
    assert len(made) == 1 and not made[0].exists()
    assert server.folder is None


def test_make_warehouse_runs_the_task():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENV", "SPARK", "PYTHON",
                        "CS_HELPERS_REQUIRE_SPARK")}
    out = subprocess.run(["make", "-s", "-n", "warehouse", f"PYTHON={sys.executable}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [sys.executable, "tasks.py", "--venv", ".venv", "warehouse"], out
