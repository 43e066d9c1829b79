"""`make lab` serves the course: JupyterLab started with the command of `tasks.py lab`, headless.

Without a browser: it serves the repository root, `/` and the printed URL lead to lesson 00, its
kernel imports cs_helpers, and a notebook saved through it keeps no execution metadata.
In headless Chromium (tests/_browser.py): the printed URL opens lesson 00, links between
lessons, exercises and solutions open in JupyterLab, a learner's saved answers survive
`make exercises` and `make test`'s checks, and running and saving a lesson leaves its file
byte for byte as committed. Everything runs on loopback, bounded in time, and is shut down.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
import websocket

from cs_helpers.course import exercises, lab

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
tasks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tasks)
LESSON_00 = "notebooks/00_start_here.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server started exactly as `python tasks.py lab` starts it."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.port, self.token = _free_port(), secrets.token_hex(16)
        # as a learner starts it: not with the unit tests' MPLBACKEND=Agg, which would stop the
        # kernels from showing figures
        env = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"},
               "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_DATA_DIR": str(tmp / "data"),
               "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "PYTHONUNBUFFERED": "1"}
        self.log_path = tmp / "lab.log"
        self._log = open(self.log_path, "w")
        argv = tasks.lab_argv(sys.executable, [
            "--no-browser", f"--port={self.port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}", "--ServerApp.port_retries=0",
            "--LabApp.news_url=", "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"], root=root)
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=root, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("jupyter lab exited early:\n" + self.log())
            try:
                if requests.get(f"{self.base}/api/status", params={"token": self.token},
                                timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("jupyter lab did not answer in 90 s:\n" + self.log())
            time.sleep(0.5)

    def log(self) -> str:
        return self.log_path.read_text()

    def api(self, method: str, path: str, params: dict | None = None,
            **kw) -> requests.Response:
        return requests.request(method, f"{self.base}{path}",
                                params={"token": self.token, **(params or {})}, timeout=60, **kw)

    def stop(self) -> None:
        """Stop the server and everything it started (kernels share its process group)."""
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self._log.close()


@pytest.fixture
def lab_server(tmp_path):
    server = Lab(ROOT, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def _course_copy(dest: Path) -> Path:
    """A copy of the course to work in (saving in it never touches the repository)."""
    for folder in ("notebooks", "exercises", "docs"):
        shutil.copytree(ROOT / folder, dest / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(ROOT / "README.md", dest)
    return dest


def _execute(server: Lab, kernel_id: str, code: str, timeout: float = 60) -> list[dict]:
    ws = websocket.create_connection(
        f"{server.base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels"
        f"?token={server.token}", timeout=timeout)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        # The reply (shell channel) can arrive before the last outputs (iopub channel): wait for
        # both the execute_reply and the kernel's "idle" status for this request.
        replies, deadline = [], time.monotonic() + timeout
        replied = idle = False
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            replies.append(msg)
            replied = replied or msg["msg_type"] == "execute_reply"
            idle = idle or (msg["msg_type"] == "status"
                            and msg["content"].get("execution_state") == "idle")
            if replied and idle:
                return replies
        raise AssertionError("no execute_reply and idle status within the time limit")
    finally:
        ws.close()


def test_lab_serves_the_course_and_its_kernel_imports_cs_helpers(lab_server):
    page = lab_server.api("GET", f"/lab/tree/{LESSON_00}")
    assert page.status_code == 200 and "JupyterLab" in page.text
    assert lab_server.api("GET", f"/api/contents/{LESSON_00}", params={"content": 0}).ok

    kernel = lab_server.api("POST", "/api/kernels", json={"name": "python3"}).json()
    try:
        replies = _execute(lab_server, kernel["id"],
                           "import cs_helpers, sys\nprint(cs_helpers.__version__, sys.prefix)")
        reply = next(m for m in replies if m["msg_type"] == "execute_reply")
        assert reply["content"]["status"] == "ok", reply["content"]
        out = "".join(m["content"].get("text", "") for m in replies if m["msg_type"] == "stream")
        assert out.startswith("0.")
    finally:
        lab_server.api("DELETE", f"/api/kernels/{kernel['id']}")
    assert lab_server.api("GET", "/api/kernels").json() == []


def test_hint_and_check_show_in_the_kernel_wherever_they_are_called(lab_server):
    kernel = lab_server.api("POST", "/api/kernels", json={"name": "python3"}).json()
    try:
        def shown(code: str) -> tuple[list[str], list[str]]:
            replies = _execute(lab_server, kernel["id"], code, timeout=120)
            reply = next(m for m in replies if m["msg_type"] == "execute_reply")
            assert reply["content"]["status"] == "ok", reply["content"]
            return ([m["content"]["data"]["text/markdown"] for m in replies
                     if m["msg_type"] == "display_data"],
                    [m["msg_type"] for m in replies if m["msg_type"] == "execute_result"])

        # mid-cell calls show (they used to show nothing unless on the last line)
        displays, results = shown('from cs_helpers.exercises import check, hint\n'
                                  'hint("03.1")\nfb = check("03.1", ...)\nx = 1')
        assert len(displays) == 2 and results == []
        assert displays[0].startswith("**03.1** — Hint 1 of")
        assert "Not answered yet" in displays[1]
        # a call on the last line shows once, not twice
        displays, results = shown('check("03.1", ...)')
        assert len(displays) == 1 and results == []
    finally:
        lab_server.api("DELETE", f"/api/kernels/{kernel['id']}")


def test_lab_serves_the_repository_root_and_leads_to_lesson_00(lab_server):
    listing = {item["name"] for item in lab_server.api("GET", "/api/contents/").json()["content"]}
    assert {"notebooks", "exercises", "docs", "data", "README.md"} <= listing
    for path in ("exercises/03_kpi_churn.ipynb", "exercises/solutions/03_kpi_churn.ipynb",
                 "docs/glossary.md"):
        assert lab_server.api("GET", f"/api/contents/{path}", params={"content": 0}).ok, path
    # a URL copied by hand without a path, and the URL the server prints, both lead to lesson 00
    root = requests.get(lab_server.base + "/", allow_redirects=False, timeout=10)
    assert root.status_code in (301, 302)
    assert root.headers["Location"].split("?")[0].endswith(f"/lab/tree/{LESSON_00}")
    printed = re.findall(r"http://127\.0\.0\.1:\d+(/\S*)\?token=", lab_server.log())
    assert printed and set(printed) == {f"/lab/tree/{LESSON_00}"}, lab_server.log()


def _ran_on_another_machine(nb: dict, python: str = "3.13.0") -> dict:
    """A notebook as JupyterLab holds it after running on another machine: the kernel's Python
    version in the metadata, and execution timestamps in the cells."""
    nb = json.loads(json.dumps(nb))
    nb["metadata"].setdefault("language_info", {"name": "python"})["version"] = python
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            cell["metadata"]["execution"] = {"iopub.status.idle": f"2026-12-01T10:00:{i:02d}Z"}
    return nb


def test_saving_through_lab_keeps_a_lesson_as_committed(tmp_path):
    course = _course_copy(tmp_path / "course")
    lesson = course / "notebooks" / "01_defining_customer_success.ipynb"
    committed = lesson.read_bytes()
    server = Lab(course, tmp_path)
    try:
        path = "/api/contents/notebooks/01_defining_customer_success.ipynb"
        model = server.api("GET", path).json()
        content = _ran_on_another_machine(model["content"])
        saved = server.api("PUT", path, json={"type": "notebook", "format": "json",
                                              "content": content})
        assert saved.ok, saved.text
    finally:
        server.stop()
    assert lesson.read_bytes() == committed


def test_committed_notebooks_carry_no_execution_metadata():
    """Lessons, solutions and student copies are committed as JupyterLab saves them through the
    hook. If this fails after re-executing notebooks, run `python tasks.py clean-notebooks`."""
    dirty = [str(p.relative_to(ROOT)) for p in lab.committed_notebooks() if not lab.is_clean(p)]
    assert dirty == []


# --- in a real browser --------------------------------------------------------------------------

W = "Array.from(jupyterapp.shell.widgets('main'))"      # the open documents


@pytest.fixture(scope="module")
def browser_lab(tmp_path_factory):
    from _browser import Browser

    tmp = tmp_path_factory.mktemp("lab")
    course = _course_copy(tmp / "course")
    server = Lab(course, tmp)
    try:
        with Browser(width=1280, height=800) as browser:
            yield server, browser, course
    finally:
        server.stop()


def _current_path(browser) -> str:
    return browser.js("(jupyterapp.shell.currentWidget && jupyterapp.shell.currentWidget.context)"
                      " ? jupyterapp.shell.currentWidget.context.path : ''")


def _open(server: Lab, browser, path: str) -> None:
    browser.goto(f"{server.base}/lab/tree/{path}?token={server.token}")
    browser.wait_for(f"!!(window.jupyterapp && jupyterapp.shell.currentWidget && "
                     f"jupyterapp.shell.currentWidget.context && "
                     f"jupyterapp.shell.currentWidget.context.path === {path!r} && "
                     f"jupyterapp.shell.currentWidget.context.isReady)", 120, f"{path} to open")


def _wait_kernel_idle(browser, timeout: float = 180) -> None:
    browser.wait_for("(() => { const w = jupyterapp.shell.currentWidget;"
                     " const k = w.sessionContext.session && w.sessionContext.session.kernel;"
                     " return k && k.status === 'idle'; })()", timeout, "the kernel")


def _run_all_and_save(browser, timeout: float = 300) -> None:
    _wait_kernel_idle(browser)
    browser.js("jupyterapp.commands.execute('notebook:run-all-cells')")
    browser.wait_for("(() => { const w = jupyterapp.shell.currentWidget;"
                     " return w.sessionContext.session.kernel.status === 'idle' &&"
                     " w.content.widgets.every(c => c.model.type !== 'code'"
                     " || c.model.executionCount !== null); })()", timeout, "all cells to run")
    browser.js("jupyterapp.shell.currentWidget.context.save()")


def test_the_printed_url_opens_lesson_00_with_the_whole_course_in_the_file_browser(browser_lab):
    server, browser, _ = browser_lab
    # the server prints the URL with its token (shown as ... here, as the test set the token)
    printed = re.search(r"http://127\.0\.0\.1:\d+(/\S*)\?token=", server.log()).group(1)
    browser.goto(f"{server.base}{printed}?token={server.token}")
    browser.wait_for("!!(window.jupyterapp && jupyterapp.shell.currentWidget && "
                     "jupyterapp.shell.currentWidget.context)", 120, "a document to open")
    assert _current_path(browser) == LESSON_00
    # the file browser shows lesson 00's folder; one click on its root shows the whole course
    browser.wait_for("!!document.querySelector('.jp-BreadCrumbs-home')", 30, "the file browser")
    browser.js("document.querySelector('.jp-BreadCrumbs-home').click()")
    listed = browser.wait_for(
        "(() => { const items = Array.from(document.querySelectorAll("
        "'.jp-DirListing-itemText')).map(e => e.textContent.trim());"
        " return items.includes('exercises') ? items : null; })()", 30, "the course folder")
    assert {"notebooks", "exercises", "docs", "README.md"} <= set(listed)


def _click_link(browser, target: str) -> None:
    """Click the link of the current document that JupyterLab resolved to ``target`` (a path
    under the served root; JupyterLab rewrites a relative link to ``/files/<path>`` and opens it
    in a tab of its own when clicked). Only the current document's links count."""
    sel = json.dumps(f'.jp-RenderedMarkdown a[href$="/files/{target}"], '
                     f'.jp-RenderedMarkdown a[href*="/files/{target}?"]')
    find = f"jupyterapp.shell.currentWidget.node.querySelector({sel})"
    browser.wait_for(f"!!{find}", 60, f"a link to {target}")
    browser.js(f"{find}.click()")


def test_links_between_lessons_exercises_and_solutions_open_in_jupyterlab(browser_lab):
    server, browser, _ = browser_lab
    _open(server, browser, "notebooks/03_kpi_churn.ipynb")
    _click_link(browser, "exercises/03_kpi_churn.ipynb")
    browser.wait_for("jupyterapp.shell.currentWidget.context.path === "
                     "'exercises/03_kpi_churn.ipynb'", 60, "the exercises to open")
    _click_link(browser, "exercises/solutions/03_kpi_churn.ipynb")
    browser.wait_for("jupyterapp.shell.currentWidget.context.path === "
                     "'exercises/solutions/03_kpi_churn.ipynb'", 60, "the solutions to open")
    _click_link(browser, "notebooks/03_kpi_churn.ipynb")
    browser.wait_for("jupyterapp.shell.currentWidget.context.path === "
                     "'notebooks/03_kpi_churn.ipynb'", 60, "the lesson to open again")
    browser.js("jupyterapp.commands.execute('application:close-all')")


def test_a_learners_saved_answers_survive_make_exercises_and_make_test(browser_lab):
    server, browser, course = browser_lab
    student, solutions = course / "exercises", course / "exercises" / "solutions"
    copy = student / "01_defining_customer_success.ipynb"
    exercises._get("01.2")                       # loads the course's exercise bank
    right = exercises._expected("01.2")
    _open(server, browser, "exercises/01_defining_customer_success.ipynb")
    # type an answer in the exercise's cell, run everything, save (Ctrl+S does the same)
    browser.js(f"""(() => {{
        const cells = jupyterapp.shell.currentWidget.content.widgets;
        const cell = cells.find(c => c.model.sharedModel.getSource().includes('check("01.2"'));
        cell.model.sharedModel.setSource('answer = {right!r}\\ncheck("01.2", answer)');
        return true; }})()""")
    _run_all_and_save(browser)
    browser.wait_for("!jupyterapp.shell.currentWidget.context.model.dirty", 30, "the save")
    saved = copy.read_text(encoding="utf-8")
    assert f"answer = {right!r}" in saved and "[01.2] Right" in saved

    # make test's freshness check passes, and make exercises leaves the copy alone
    assert exercises.copy_state(copy, exercises._generate(solutions)[copy.name]) == "answers"
    assert exercises.build(check_only=True, solutions=solutions, student=student) == []
    assert exercises.build(solutions=solutions, student=student) == []
    assert copy.read_text(encoding="utf-8") == saved
    check = subprocess.run([sys.executable, "-m", "cs_helpers.exercises", "build", "--check",
                            "--solutions", str(solutions), "--student", str(student)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "1 with your answers" in check.stdout, check.stdout

    # the solution changes: the copy is out of date, but make exercises keeps the answers
    sol = nbformat.read(solutions / copy.name, as_version=4)
    sol.cells.insert(1, nbformat.v4.new_markdown_cell("A new note from the course authors."))
    nbformat.write(sol, solutions / copy.name)
    build = subprocess.run([sys.executable, "-m", "cs_helpers.exercises", "build",
                            "--solutions", str(solutions), "--student", str(student)],
                           capture_output=True, text=True)
    assert build.returncode == 1 and copy.read_text(encoding="utf-8") == saved
    assert "kept exactly as they are" in build.stdout and "rename your copy" in build.stdout
    for destructive in ("--force", "git checkout", "git restore", "git reset", "rm ", "delete"):
        assert destructive not in (build.stdout + build.stderr).lower()
    check = subprocess.run([sys.executable, "-m", "cs_helpers.exercises", "build", "--check",
                            "--solutions", str(solutions), "--student", str(student)],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "kept exactly as they are" in check.stdout
    # the way out the message gives: rename, rebuild; both files are there
    copy.rename(student / "01_defining_customer_success-my-answers.ipynb")
    assert exercises.build(solutions=solutions, student=student) == [copy]
    assert (student / "01_defining_customer_success-my-answers.ipynb").read_text(
        encoding="utf-8") == saved
    assert exercises.build(check_only=True, solutions=solutions, student=student) == []
    browser.js("jupyterapp.commands.execute('application:close-all')")


def test_running_and_saving_a_lesson_leaves_it_as_committed(browser_lab):
    server, browser, course = browser_lab
    lesson = course / "notebooks" / "01_defining_customer_success.ipynb"
    committed = lesson.read_bytes()
    _open(server, browser, "notebooks/01_defining_customer_success.ipynb")
    _run_all_and_save(browser)
    browser.wait_for("!jupyterapp.shell.currentWidget.context.model.dirty", 30, "the save")
    time.sleep(0.5)
    now = lesson.read_bytes()
    if now != committed:                         # say what changed, to tell noise from a change
        before, after = json.loads(committed), json.loads(now)
        changed = []
        for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True)):
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key) and key != "outputs":
                    changed.append(f"cell {i} {key}")
            if len(a.get("outputs", [])) != len(b.get("outputs", [])):
                changed.append(f"cell {i}: {len(a.get('outputs', []))} outputs, now "
                               f"{len(b.get('outputs', []))}")
            for j, (x, y) in enumerate(zip(a.get("outputs", []), b.get("outputs", []),
                                           strict=False)):
                keys = sorted(k for k in set(x.get("data", {})) | set(y.get("data", {}))
                              if x.get("data", {}).get(k) != y.get("data", {}).get(k))
                other = sorted(k for k in set(x) | set(y) if k != "data" and x.get(k) != y.get(k))
                if keys or other:
                    changed.append(f"cell {i} output {j}: {keys + other}")
        pytest.fail(f"changed: {changed}; metadata equal: "
                    f"{before['metadata'] == after['metadata']}")
    browser.js("jupyterapp.commands.execute('application:close-all')")
