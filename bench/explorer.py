"""Explorer: how long the default page takes to draw, for builds of several sizes.

Opens each build's ``graph.html`` in Debian's headless Chromium (the DevTools driver of
tests/test_browser.py) and prints the page's size, the entities and links drawn, and the
milliseconds from the start of loading to vis-network's first ``afterDrawing`` (the page's own
``window.legcoDrawnAt``), best of ``--runs`` loads.

Usage: python bench/explorer.py OUT [OUT ...]   (folders written by ``legco-kg build``)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outs", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from test_browser import Browser  # skips (exits) without Chromium

    print(f"{'build':30s} {'page MB':>8} {'entities':>9} {'links':>6} {'first draw ms':>14}")
    for out in args.outs:
        page = (out / "graph.html").resolve()
        best = float("inf")
        with tempfile.TemporaryDirectory() as profile:
            browser = Browser(Path(profile))
            try:
                for _ in range(args.runs):
                    browser.call("Page.navigate", url=page.as_uri())
                    browser.wait_for("window.legcoDrawn === true", timeout=120)
                    best = min(best, browser.evaluate("window.legcoDrawnAt"))
                state = browser.evaluate("legcoState()")
            finally:
                browser.close()
        print(f"{str(out):30s} {page.stat().st_size / 1e6:8.1f} {state['visible']:9d} {state['edges']:6d} {best:14.0f}")


if __name__ == "__main__":
    main()
