"""`make lab` serves the course: JupyterLab starts headless, answers, and its kernel imports
cs_helpers. Everything runs on loopback, is bounded in time and is shut down afterwards."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab_server(tmp_path):
    jupyter = BIN / "jupyter-lab"
    if not jupyter.exists():
        found = shutil.which("jupyter-lab")
        if found is None:
            pytest.fail("jupyter-lab is not installed in this environment")
        jupyter = Path(found)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PYTHONUNBUFFERED": "1"}
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [str(jupyter), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
         "--ServerApp.port_retries=0", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"] + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail("jupyter lab exited early:\n" + (tmp_path / "lab.log").read_text())
            try:
                if requests.get(f"{base}/api/status", params={"token": token}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("jupyter lab did not answer in 90 s:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
        yield base, token
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and everything it started (kernels share its process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _execute(base: str, token: str, kernel_id: str, code: str, timeout: float = 60) -> list[dict]:
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?token={token}",
        timeout=timeout)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        replies, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            replies.append(msg)
            if msg["msg_type"] == "execute_reply":
                return replies
        raise AssertionError("no execute_reply within the time limit")
    finally:
        ws.close()


def test_lab_serves_the_course_and_its_kernel_imports_cs_helpers(lab_server):
    base, token = lab_server
    page = requests.get(f"{base}/lab/tree/notebooks/00_start_here.ipynb",
                        params={"token": token}, timeout=30)
    assert page.status_code == 200 and "JupyterLab" in page.text

    notebook = requests.get(f"{base}/api/contents/notebooks/00_start_here.ipynb",
                            params={"token": token, "content": 0}, timeout=30)
    assert notebook.status_code == 200

    kernel = requests.post(f"{base}/api/kernels", params={"token": token},
                           json={"name": "python3"}, timeout=60).json()
    try:
        replies = _execute(base, token, kernel["id"],
                           "import cs_helpers, sys\nprint(cs_helpers.__version__, sys.prefix)")
        reply = next(m for m in replies if m["msg_type"] == "execute_reply")
        assert reply["content"]["status"] == "ok", reply["content"]
        out = "".join(m["content"].get("text", "") for m in replies if m["msg_type"] == "stream")
        assert out.startswith("0.")
    finally:
        requests.delete(f"{base}/api/kernels/{kernel['id']}", params={"token": token}, timeout=30)
    assert requests.get(f"{base}/api/kernels", params={"token": token}, timeout=10).json() == []
