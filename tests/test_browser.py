"""The HTML explorer in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

`.ci/run` installs Chromium.  Elsewhere, without /usr/bin/chromium, these tests are skipped with
that reason — unless CI is set, where a missing browser is a failure.
"""
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but Chromium is not installed (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium here (.ci/run installs it)", allow_module_level=True)


class Browser:
    """A headless Chromium page, with the console errors and network requests it saw."""

    def __init__(self, profile: Path) -> None:
        import websocket

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--window-size=1280,900", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        port = self._port(profile)
        pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(p for p in pages if p["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.errors: list[str] = []
        self.requests: list[str] = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def _port(self, profile: Path) -> int:
        marker = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if marker.is_file() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            time.sleep(0.05)
        raise RuntimeError("Chromium did not open its DevTools port")

    def _event(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression}")

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture()
def browser(tmp_path):
    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


def node_count(graphml: Path) -> int:
    from legco_kg.exports.graphml import load

    graph = load(graphml)
    return sum(1 for _, kind in graph.nodes(data="kind") if kind != "amount")


def test_full_page_draws_offline_and_search_finds_cyberport(built, browser):
    page = built / "graph.html"
    browser.call("Page.navigate", url=page.resolve().as_uri())
    browser.wait_for("window.legcoDrawn === true")
    drawn_ms = browser.evaluate("window.legcoDrawnAt")
    assert browser.evaluate("window.legcoNodeCount") == node_count(built / "graph.graphml")
    assert drawn_ms < 2000, f"first draw after {drawn_ms:.0f} ms"
    # Search by the English name selects the Chinese-labelled node.
    browser.evaluate(
        "(() => { const box = document.getElementById('search'); box.value = 'Cyberport';"
        " box.dispatchEvent(new Event('change')); })()"
    )
    assert browser.evaluate("network.getSelectedNodes()") == ["cyberport"]
    assert browser.evaluate("document.getElementById('status').textContent").startswith("數碼港")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.call("Page.captureScreenshot", format="png")["data"]
    import base64

    (ARTIFACTS / "graph.png").write_bytes(base64.b64decode(shot))
    assert not browser.errors, browser.errors
    assert [url for url in browser.requests if not url.startswith("file://")] == []
    print(f"\nfirst draw of {node_count(built / 'graph.graphml')} nodes: {drawn_ms:.0f} ms")


def test_neighbourhood_view(built, browser, tmp_path):
    from click.testing import CliRunner

    from legco_kg.cli import main

    target = tmp_path / "cyberport.html"
    result = CliRunner().invoke(main, ["html", "Cyberport", "--depth", "2", "--build", str(built), "--out", str(target)])
    assert result.exit_code == 0, result.output
    browser.call("Page.navigate", url=target.as_uri())
    browser.wait_for("window.legcoDrawn === true")
    assert browser.evaluate("nodes.get('cyberport').label").startswith("數碼港")
    assert browser.evaluate("window.legcoNodeCount") > 50
    assert not browser.errors, browser.errors
    assert [url for url in browser.requests if not url.startswith("file://")] == []
