"""Scale: build corpora of 1×, 4× and 16× the embedded one, and an incremental rebuild.

Each N× corpus holds N copies of every embedded document as distinct documents (other file
names; in the estimates copies the reply numbers are rewritten, ITIB001 → IXAB001, so no two
replies share a number). Each build runs as a new ``legco-kg build`` process, as a user runs it;
the figures are its wall time, its CPU time (children included) and its peak memory (the
largest resident set of the process or any of its workers). Then the smallest paper of the 1×
corpus (or of each corpus of ``--incremental``) is given a sentence naming a body, a new scheme
and an amount (:data:`CHANGE`) and the build repeated with the cache of a first build: the
incremental rebuild, against that first (full) build.

With ``--paper-mb N`` it also builds one paper of about N MB (the embedded papers' paragraphs
repeated, each copy numbered), the shape of one long document rather than many.

With ``--watch 1 16`` the same change is made under a watching build (``legco-kg build
--watch``, polling every 0.1 s), which stays with its imports, model and cache entries: the figure
is the rebuild's own time as the watch reports it (and the wall time from the change, polling
included), against a full build as a new process. It is made twice: once as it comes, and once
with the explorer's layout kept in the cache removed first, as after a change that alters the
layout's core (the most connected entities and their links).

Usage: python bench/scale.py [--sizes 1 4 16] [--jobs N] [--paper-mb N] [--incremental 1 16] [--watch 1 16]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_corpus(folder: Path, copies: int) -> Path:
    from legco_kg.build import default_corpus

    folder.mkdir(parents=True)
    for copy in range(copies):
        prefix = "ITIB" if copy == 0 else f"IX{chr(65 + copy // 26)}{chr(65 + copy % 26)}"
        for path in default_corpus():
            text = path.read_text(encoding="utf-8")
            if copy:
                text = text.replace("ITIB", prefix)
            (folder / f"{path.stem}-{copy:02d}{path.suffix}").write_text(text, encoding="utf-8")
    return folder


def make_paper(folder: Path, megabytes: float) -> Path:
    """One paper of about ``megabytes`` MB: the embedded papers' text again and again, each copy
    headed by its number."""
    from legco_kg.build import default_corpus

    folder.mkdir(parents=True)
    papers = [p.read_text(encoding="utf-8") for p in default_corpus() if "ITIB" not in p.read_text(encoding="utf-8")]
    parts, size, copy = [], 0, 0
    while size < megabytes * 1e6:
        copy += 1
        part = f"第{copy}部分\n\n" + "\n\n".join(papers) + "\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
    (folder / "paper.txt").write_text("".join(parts), encoding="utf-8")
    return folder


# What the incremental rebuild adds to a paper: a sentence naming a body, a scheme and an amount,
# so the paper's mentions, its amounts and the entity graph all change.
CHANGE = "\n創新科技署另撥款500萬元，推行「重建測試資助計劃」，資助本地初創企業。\n"


def timed_build(corpus: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds, peak resident MiB of the largest process, and peak MiB of the
    whole process tree (the sum of the proportional set sizes of the build and its workers,
    sampled every 0.1 s or more: forked workers share pages, which this figure counts once) of
    one ``legco-kg build`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "legco_kg", "build", str(corpus), "--out", str(out), "--quiet", "--jobs", str(jobs), *extra],
    )
    tree_peak = 0.0
    while process.poll() is None:
        sampled = time.perf_counter()
        tree_peak = max(tree_peak, _tree_pss(process.pid))
        # Reading smaps_rollup walks the page tables (~15 ms for a build): sample at most a tenth
        # of the time, so the measuring does not slow what it measures.
        time.sleep(max(0.1, 10 * (time.perf_counter() - sampled)))
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"the build of {corpus} failed (exit code {process.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, tree_peak  # ru_maxrss: KiB on Linux, the largest child so far


def watched_rebuilds(corpus: Path, out: Path, jobs: int) -> list[tuple[float, float]]:
    """Under ``legco-kg build --watch``: (the rebuild's own seconds, seconds from the change) after
    the change of :func:`main`, then after a second change with the layout cache removed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "legco_kg", "build", str(corpus), "--out", str(out), "--quiet", "--jobs", str(jobs),
         "--watch", "--every", "0.1"],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    paper = min(corpus.iterdir(), key=lambda p: (p.stat().st_size, p.name))
    found = []
    try:
        while not process.stderr.readline().startswith("first build"):
            if process.poll() is not None:
                raise SystemExit(f"the watch of {corpus} ended (exit code {process.returncode})")
        time.sleep(5)  # the watch loads the extractors after its first build
        for anew in (False, True):
            if anew:
                shutil.rmtree(out / "cache" / "layouts")
            changed = time.perf_counter()
            paper.write_text(paper.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
            line = process.stderr.readline()
            seen = time.perf_counter() - changed
            if ": built " not in line:
                raise SystemExit(f"the watch of {corpus} did not rebuild: {line.strip()}")
            found.append((float(line.split(" in ")[-1].split("s ")[0]), seen))
    finally:
        process.terminate()  # SIGTERM: a shell that starts the bench in the background ignores SIGINT in it
        process.wait(timeout=60)
    return found


def _tree_pss(pid: int) -> float:
    """MiB: the proportional set size of ``pid`` and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as stream:
                total += next(int(line.split()[1]) for line in stream if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as stream:
                todo.extend(int(child) for child in stream.read().split())
        except (OSError, StopIteration, ValueError):
            continue  # ended meanwhile
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--paper-mb", type=float, default=0, help="also build one paper of about this many MB")
    parser.add_argument("--incremental", type=int, nargs="*", default=[1], metavar="SIZE",
                        help="corpus sizes to time an incremental rebuild of (none: skip)")
    parser.add_argument("--watch", type=int, nargs="*", default=[], metavar="SIZE",
                        help="corpus sizes to time a rebuild under --watch of")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="legco-scale-"))
    try:
        print(f"{'corpus':>8} {'MB':>6} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'all MiB':>8}   (jobs={args.jobs}, no cache;"
              " peak: the largest process; all: the build and its workers together)")
        for size in sorted(args.sizes):
            corpus = make_corpus(work / f"corpus-{size}", size)
            megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
            wall, cpu, peak, together = timed_build(corpus, work / f"out-{size}", args.jobs, "--no-cache")
            print(f"{size:>7}× {megabytes:6.1f} {wall:8.1f} {cpu:8.1f} {peak:9.0f} {together:8.0f}", flush=True)
        if args.paper_mb:
            corpus = make_paper(work / "paper", args.paper_mb)
            megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
            wall, cpu, peak, together = timed_build(corpus, work / "out-paper", args.jobs, "--no-cache")
            print(f"{'paper':>8} {megabytes:6.1f} {wall:8.1f} {cpu:8.1f} {peak:9.0f} {together:8.0f}", flush=True)
        for run, size in enumerate(args.incremental):  # a size given twice is timed twice
            # Incremental: build the N× corpus (filling the cache), change one paper, build again.
            corpus = make_corpus(work / f"incremental-{run}-{size}", size)
            out = work / f"out-incremental-{run}-{size}"
            full, *_ = timed_build(corpus, out, args.jobs)
            paper = min(corpus.iterdir(), key=lambda p: (p.stat().st_size, p.name))  # a paper, the smallest document
            paper.write_text(paper.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
            again, *_ = timed_build(corpus, out, args.jobs)
            print(f"{size}×: incremental rebuild after changing {paper.name}: {again:.1f} s, "
                  f"{again / full:.0%} of a full build ({full:.1f} s)", flush=True)
        for run, size in enumerate(args.watch):
            corpus = make_corpus(work / f"watch-{run}-{size}", size)
            full, *_ = timed_build(corpus, work / f"out-watch-full-{run}-{size}", args.jobs, "--no-cache")
            (own, seen), (anew, seen_anew) = watched_rebuilds(corpus, work / f"out-watch-{run}-{size}", args.jobs)
            print(f"{size}×: rebuild under --watch: {own:.2f} s ({seen:.2f} s from the change), {own / full:.0%} of a "
                  f"full build ({full:.1f} s); with the layout's core laid out anew: {anew:.2f} s "
                  f"({seen_anew:.2f} s), {anew / full:.0%}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
