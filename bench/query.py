"""Latency of `legco-kg query` and `legco-kg show` as a user runs them: a new process each time.

Builds the embedded corpus once into a temporary folder (unless --out names a build), then runs
each example query N times and prints min and median wall time, and whether spaCy was imported.

Usage: python bench/query.py [--runs N] [--out DIR]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    ["query", "schemes mentioned with Cyberport"],
    ["query", "與數碼港一同提及的計劃"],
    ["query", "who asked about 科技券"],
    ["query", "amounts for 新型工業加速計劃"],
    ["query", "与数码港一同提及的计划"],
    ["show", "創科署"],
]
PROBE = "import sys, runpy; sys.argv = ['legco-kg', *sys.argv[1:]]; " \
        "from legco_kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n" \
        "print('spacy imported' if 'spacy' in sys.modules else 'no spacy', file=sys.stderr)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out
        if out is None:
            from legco_kg.build import build

            out = Path(scratch)
            build(None, out)
        for query in QUERIES:
            times, note = [], ""
            for _ in range(args.runs):
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", PROBE, *query, "--out", str(out), "--format", "json"],
                    capture_output=True, text=True,
                )
                times.append(time.perf_counter() - started)
                note = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
            print(f"{' '.join(query):45s} min {min(times):5.2f}s  median {statistics.median(times):5.2f}s  ({note})")


if __name__ == "__main__":
    main()
