"""Latency of `legco-kg query`, `show` and `stats` as a user runs them: a new process each time,
on the embedded corpus and on a corpus SCALE times its size, against the start-up of
`python -c "import rdflib"` (the target: at most 3× that).

The large corpus is the estimates-replies document copied SCALE times, the reply numbers
rewritten in each copy (ITIB001 → ITAB001, ITCB001, …) so that every copy is a new set of
replies, plus the four papers.  It is built without the NER (the query index has the same shape;
the build is only faster).  Each command runs RUNS times; the minimum and the median are printed.

Usage: python bench/query.py [--runs 5] [--scale 16] [--small DIR] [--large DIR]
(``--small``/``--large`` reuse builds made before; otherwise both are built in a temporary folder.)
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    ["query", "schemes mentioned with Cyberport"],
    ["query", "與數碼港及科學園一同提及的計劃"],
    ["query", "who asked about 科技券"],
    ["query", "who asked about 人工智能"],
    ["query", "replies about 數據中心"],
    ["query", "amounts for 新型工業加速計劃 by year"],
    ["query", "questions by 黃錦輝"],
    ["query", "与数码港一同提及的计划"],
    ["show", "創科署"],
    ["stats"],
]
PROBE = (
    "import sys; sys.argv = ['legco-kg', *sys.argv[1:]]\n"
    "from legco_kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('spacy imported' if 'spacy' in sys.modules else 'no spacy', file=sys.stderr)"
)
LETTERS = "ACDEFGHJKLMNOPQRSTUVWXYZ"  # never I or B, so no copy keeps the original numbers


def scaled_corpus(scale: int, folder: Path) -> list[Path]:
    """The estimates document ``scale`` times (reply numbers rewritten per copy) and the papers."""
    from legco_kg.build import default_corpus

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for path in default_corpus():
        text = path.read_text(encoding="utf-8-sig")
        if "答覆編號" not in re.sub(r"\s", "", text[:20000]):
            paths.append(path)
            continue
        for copy in range(scale):
            prefix = LETTERS[copy // len(LETTERS) - 1] if copy >= len(LETTERS) else ""
            code = f"IT{prefix}{LETTERS[copy % len(LETTERS)]}B"
            target = folder / f"{path.stem}-copy{copy:02d}.txt"
            target.write_text(re.sub(r"I[ \t]*T[ \t]*I[ \t]*B", code, text), encoding="utf-8")
            paths.append(target)
    return paths


def timed(command: list[str], runs: int) -> tuple[float, float, str]:
    times, note = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, *command], capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        lines = done.stderr.strip().splitlines()
        note = lines[-1] if lines else ""
        if done.returncode:
            note = f"FAILED: {done.stdout.strip()[:80]} {note}"
    return min(times), statistics.median(times), note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--small", type=Path, help="a build of the embedded corpus to reuse")
    parser.add_argument("--large", type=Path, help="a build of the scaled corpus to reuse")
    args = parser.parse_args()
    from legco_kg.build import build

    with tempfile.TemporaryDirectory() as scratch:
        small, large = args.small, args.large
        if small is None:
            small = Path(scratch) / "small"
            build(None, small)
        if large is None:
            large = Path(scratch) / "large"
            started = time.perf_counter()
            build(scaled_corpus(args.scale, Path(scratch) / "corpus"), large, skip=("ner",))
            print(f"built the {args.scale}x corpus in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        sizes = {
            label: (folder / "index.sqlite").stat().st_size / 1e6 for label, folder in (("1x", small), (f"{args.scale}x", large))
        }
        baseline, baseline_median, _ = timed(["-c", "import rdflib"], args.runs)
        print(f"python -c 'import rdflib': min {baseline:.2f}s median {baseline_median:.2f}s; target ≤ {3 * baseline:.2f}s")
        print(f"index.sqlite: 1x {sizes['1x']:.1f} MB, {args.scale}x {sizes[f'{args.scale}x']:.1f} MB")
        print(f"{'command':48s} {'1x min':>7s} {'median':>7s} {f'{args.scale}x min':>8s} {'median':>7s} {'worst/rdflib':>12s}")
        for command in QUERIES:
            row = []
            for out in (small, large):
                best, median, note = timed(["-c", PROBE, *command, "--out", str(out), "--format", "json"], args.runs)
                row.append((best, median, note))
            worst = max(row[0][0], row[1][0]) / baseline
            notes = "; ".join(sorted({n for _, _, n in row}))
            print(
                f"{' '.join(command):48s} {row[0][0]:6.2f}s {row[0][1]:6.2f}s {row[1][0]:7.2f}s {row[1][1]:6.2f}s"
                f" {worst:11.1f}x  ({notes})"
            )


if __name__ == "__main__":
    main()
