"""The HTML explorer in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

`.ci/run` installs Chromium.  Elsewhere, without /usr/bin/chromium, these tests are skipped with
that reason — unless CI is set, where a missing browser is a failure.

Each test does what a person would (type in the search box, click a node, press Escape) and
asserts what the screen then shows through the page's own state, ``legcoState()``: entities in
view, labels drawn and their sizes, overlaps, the selection and the panel's text.  Screenshots
of the four views go to tests/artifacts/ (copies for the README in docs/img/).
"""
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import run

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


def screenshot(browser, name: str) -> Path:
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"]))
    return path


def page_state(browser) -> dict:
    return browser.evaluate("legcoState()")


def offline_and_clean(browser) -> None:
    assert not browser.errors, browser.errors
    assert [url for url in browser.requests if not url.startswith("file://")] == []


def click_node(browser, node_id: str) -> None:
    """A real mouse click (DevTools input events) where the node is drawn."""
    x, y = browser.evaluate(
        f"(() => {{ const p = network.canvasToDOM(network.getPosition({json.dumps(node_id)}));"
        " const r = document.getElementById('graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()"
    )
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def search(browser, text: str) -> None:
    browser.evaluate(
        "(() => { const box = document.getElementById('search'); box.value = " + json.dumps(text) + ";"
        " box.dispatchEvent(new Event('change')); })()"
    )


@pytest.fixture()
def default_page(built, browser):
    browser.call("Page.navigate", url=(built / "graph.html").resolve().as_uri())
    browser.wait_for("window.legcoDrawn === true")
    return browser


def test_default_view_is_readable_fast_and_offline(default_page, built):
    browser = default_page
    drawn_ms = browser.evaluate("window.legcoDrawnAt")
    if drawn_ms >= 2000:
        # One more load before judging: on a machine busy with other work (a parallel build, the
        # rest of the suite) one draw can be slow for reasons that are not the page's.
        browser.evaluate("window.legcoDrawn = false")
        browser.call("Page.navigate", url=(built / "graph.html").resolve().as_uri())
        browser.wait_for("window.legcoDrawn === true")
        drawn_ms = min(drawn_ms, browser.evaluate("window.legcoDrawnAt"))
    state = page_state(browser)
    shot = screenshot(browser, "explorer-default.png")
    assert drawn_ms < 2000, f"first draw after {drawn_ms:.0f} ms"
    assert 140 <= state["visible"] <= 160, state["visible"]
    assert state["labelled"] == state["visible"], "every label of the default view is drawn"
    assert state["overlaps"] == 0, "drawn labels overlap"
    assert max(state["labelSizes"]) >= 12, "the main entities' labels are legible at the default zoom"
    for main in ("innovation-and-technology-fund", "cyberport", "innovation-and-technology-commission"):
        assert main in state["labelledIds"]
    assert browser.evaluate("nodes.get('cyberport').label") == "數碼港\nCyberport"
    assert state["selected"] is None and state["panel"] == ""
    placeholder_fits = browser.evaluate(
        "(() => { const box = document.getElementById('search'); const style = getComputedStyle(box);"
        " const ctx = document.createElement('canvas').getContext('2d'); ctx.font = `${style.fontSize} ${style.fontFamily}`;"
        " return ctx.measureText(box.placeholder).width <= box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight); })()"
    )
    assert placeholder_fits, "the search box's placeholder is cut off"
    offline_and_clean(browser)
    print(f"\nfirst draw of {state['visible']} entities, {state['edges']} links: {drawn_ms:.0f} ms -> {shot}")


@pytest.mark.parametrize("typed", ["Cyberport", "數碼港", "数码港", "cyberport"], ids=["english", "chinese", "simplified", "lower-case"])
def test_search_finds_cyberport_in_one_step(default_page, typed):
    browser = default_page
    suggestions = browser.wait_for("document.querySelectorAll('#names option').length && [...document.querySelectorAll('#names option')].map(o => o.value)")
    assert {"數碼港", "Cyberport", "数码港"} <= set(suggestions)
    search(browser, typed)
    state = page_state(browser)
    assert state["selected"] == "cyberport"
    assert state["panel"].startswith("數碼港\nCyberport")
    assert "答覆 ITIB" in state["panel"]
    assert state["status"].startswith("數碼港")
    centre = browser.evaluate("network.getViewPosition()")
    node = browser.evaluate("network.getPosition('cyberport')")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    if typed == "Cyberport":
        screenshot(browser, "explorer-search-cyberport.png")
    offline_and_clean(browser)


def test_search_brings_an_entity_from_outside_the_view_and_escape_takes_it_back(default_page):
    browser = default_page
    before = page_state(browser)["visible"]
    rare = browser.evaluate("data.nodes.filter(n => !inView.has(n.id) && neighbours.get(n.id).length).sort((a, b) => b.rank - a.rank)[0]")
    search(browser, rare["zh"])
    state = page_state(browser)
    assert state["selected"] == rare["id"] and state["visible"] > before
    assert rare["id"] in state["labelledIds"]  # centred and zoomed in: its label is drawn
    browser.call("Input.dispatchKeyEvent", type="keyDown", key="Escape", code="Escape", windowsVirtualKeyCode=27)
    state = page_state(browser)
    assert state["selected"] is None and state["visible"] == before
    offline_and_clean(browser)


def test_a_link_shows_the_replies_and_sentences_naming_both(default_page):
    browser = default_page
    search(browser, "Cyberport")
    # The "▸ evidence" of Cyberport's strongest link to a scheme, clicked as a user would.
    scheme = browser.evaluate(
        "(() => { const e = neighbours.get('cyberport').filter(e => nodeById.get(e.from === 'cyberport' ? e.to : e.from).kind === 'scheme')"
        ".sort((a, b) => b.weight - a.weight)[0]; return e.from === 'cyberport' ? e.to : e.from; })()"
    )
    name = browser.evaluate(f"nodeById.get({json.dumps(scheme)}).zh")
    browser.evaluate(  # open the rest of the "strongest links" list
        "(() => { let at = [...document.querySelectorAll('#panel h3')].find(h => h.textContent.startsWith('最強關連')).nextElementSibling;"
        " while (at && at.tagName !== 'H3') { if (at.textContent.startsWith('▸')) { at.click(); return; } at = at.nextElementSibling; } })()"
    )
    browser.evaluate(
        "(() => { for (const item of document.querySelectorAll('#panel .item')) {"
        f" if (item.textContent.startsWith({json.dumps(name)})) {{ [...item.querySelectorAll('.link')].pop().click(); return; }} }} }})()"
    )
    panel = page_state(browser)["panel"]
    assert panel.startswith(f"數碼港 — {name}") or panel.startswith(f"{name} — 數碼港")
    assert "兩者皆提及的答覆 replies naming both" in panel
    assert "答覆 ITIB" in panel and "「" in panel
    offline_and_clean(browser)


def test_clicking_a_scheme_lists_its_replies_and_evidence_then_escape_clears(default_page):
    browser = default_page
    scale = page_state(browser)["scale"]
    click_node(browser, "innovation-and-technology-fund")
    state = page_state(browser)
    assert abs(state["scale"] - scale) < 1e-6, "a click keeps the zoom (the panel opening does not shrink it)"
    assert state["labelled"] == state["visible"]
    assert state["selected"] == "innovation-and-technology-fund"
    panel = state["panel"]
    assert panel.startswith("創新及科技基金\nInnovation and Technology Fund\n計劃 scheme")
    assert "答覆 replies (" in panel and "答覆 ITIB" in panel
    assert "「" in panel and "[" in panel  # an evidence sentence with its source offsets
    dimmed = browser.evaluate("nodes.get().filter(n => n.color && n.color.background === '#e5e7eb').length")
    assert 0 < dimmed < state["visible"]
    screenshot(browser, "explorer-click-itf.png")
    browser.call("Input.dispatchKeyEvent", type="keyDown", key="Escape", code="Escape", windowsVirtualKeyCode=27)
    state = page_state(browser)
    assert state["selected"] is None and state["panel"] == ""
    assert browser.evaluate("nodes.get().filter(n => n.color && n.color.background === '#e5e7eb').length") == 0
    offline_and_clean(browser)


def test_filters_and_legend_narrow_the_view(default_page):
    browser = default_page
    before = page_state(browser)["visible"]
    browser.evaluate("(() => { const s = document.getElementById('member'); s.value = s.options[1].value; s.dispatchEvent(new Event('change')); })()")
    after = page_state(browser)
    assert 0 < after["visible"] < before
    # A click on a kind in the legend hides that kind.
    browser.evaluate("[...document.querySelectorAll('.legend-item')].find(i => i.textContent.includes('member')).click()")
    kinds = browser.evaluate("nodeView.get().map(n => nodeById.get(n.id).kind)")
    assert kinds and "member" not in kinds
    offline_and_clean(browser)


def test_entity_page_opens_centred_and_marked(built, browser, tmp_path):
    target = tmp_path / "cyberport.html"
    result = run("html", "Cyberport", "--depth", "1", "--build", built, "--out", target)
    assert result.exit_code == 0, result.output
    browser.call("Page.navigate", url=target.as_uri())
    browser.wait_for("window.legcoDrawn === true")
    browser.wait_for("legcoState().selected === 'cyberport'")
    time.sleep(0.3)
    state = page_state(browser)
    assert state["panel"].startswith("數碼港")
    assert browser.evaluate("network.getSelectedNodes()") == ["cyberport"]
    x, y = browser.evaluate(
        "(() => { const p = network.canvasToDOM(network.getPosition('cyberport')); const c = document.getElementById('graph');"
        " return [p.x / c.clientWidth, p.y / c.clientHeight]; })()"
    )
    assert abs(x - 0.5) < 0.05 and abs(y - 0.5) < 0.05, (x, y)
    assert 10 < state["visible"] <= 160
    assert state["labelled"] == state["visible"] and state["overlaps"] == 0
    screenshot(browser, "explorer-entity-cyberport.png")
    offline_and_clean(browser)


HOSTILE = [
    "</script><script>window.pwned = 1</script>",
    "<img src=x onerror=\"window.pwned = 1\">計劃",
    "/*{{data}}*/",
    "/*{{vis_js}}*/ <!-- 註",
    "&lt;b&gt;粗體&lt;/b&gt;",
]


def hostile_graph():
    from legco_kg.graph.kg import Entity, KnowledgeGraph

    entities = {f"zh-{i}": Entity(f"zh-{i}", "scheme", name, name) for i, name in enumerate(HOSTILE)}
    return KnowledgeGraph([], entities)


def test_names_holding_html_scripts_or_placeholders_render_as_text(browser, tmp_path):
    from legco_kg.exports.html import read_data, render

    page = tmp_path / "hostile.html"
    page.write_bytes(render(hostile_graph()))
    assert [n["zh"] for n in sorted(read_data(page)["nodes"], key=lambda n: n["id"])] == HOSTILE
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("window.legcoDrawn === true")
    labels = browser.evaluate("nodes.get().map(n => n.label).sort()")
    assert labels == sorted(HOSTILE)  # English name = Chinese name: shown once
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    search(browser, "粗體")
    assert "&lt;b&gt;粗體&lt;/b&gt;" in page_state(browser)["panel"]
    offline_and_clean(browser)
