"""Headless Chromium for the tests, driven over the DevTools protocol (websocket-client only).

`chromium()` finds Debian's ``chromium`` (or another Chromium/Chrome on PATH). Without one the
browser tests skip, unless ``CS_HELPERS_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs
Debian's ``chromium``): then a missing browser fails them.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
import websocket

REQUIRE_BROWSER = os.environ.get("CS_HELPERS_REQUIRE_BROWSER", "") == "1"
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium_path() -> str:
    """The Chromium executable, or skip (fail under ``CS_HELPERS_REQUIRE_BROWSER=1``)."""
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    why = "Chromium is not installed (Debian: apt-get install chromium)"
    if REQUIRE_BROWSER:
        pytest.fail(f"CS_HELPERS_REQUIRE_BROWSER=1 but {why}.")
    pytest.skip(why)


class Browser:
    """One headless Chromium with one page; every call is bounded in time."""

    def __init__(self, width: int = 1280, height: int = 720, timeout: float = 60) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="cs-chromium-"))
        self.log_path = self.profile / "stderr.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--hide-scrollbars",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True)
        self.timeout = timeout
        deadline = time.monotonic() + 30
        port = None
        while port is None:
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", self.log_path.read_text())
            if m:
                port = int(m.group(1))
            elif self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Chromium did not start:\n" + self.log_path.read_text())
            else:
                time.sleep(0.1)
        targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout)
        self._ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Runtime.enable")
        # the viewport is exactly the screen size, whatever the window decorations
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        # behave as the focused window (apps such as JupyterLab track the focused document)
        self.send("Emulation.setFocusEmulationEnabled", enabled=True)

    def send(self, method: str, **params) -> dict:
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
        raise TimeoutError(method)

    def js(self, expression: str):
        """Evaluate JavaScript in the page (promises awaited) and return the value."""
        r = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"].get("exception", {}).get("description")
                               or r["exceptionDetails"])
        return r["result"].get("value")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def wait_for(self, expression: str, timeout: float = 60, what: str = "") -> object:
        """Poll a JavaScript expression until it is truthy; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
                if value:
                    return value
            except RuntimeError as e:      # the page is still loading
                last = e
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what or expression} ({last})")

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
        for sig_wait in (10, 5):
            if self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, 15 if sig_wait == 10 else 9)
                self.proc.wait(timeout=sig_wait)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
