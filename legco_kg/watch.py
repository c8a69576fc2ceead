"""``legco-kg build --watch``: build, then build again whenever the corpus changes, in one process.

A process that stays keeps what a one-shot build loads every time: the interpreter and the
imports, spaCy and the NER model (loaded once, after the first build), and the cache entries it
has read or written (unpickled once; an entry whose file changed is read again). Each build is an
ordinary build (locked, atomic, the same bytes as a one-shot build of the same corpus), so one
that fails leaves the last good outputs in place, and the watch goes on.

Changes are found by polling, which needs nothing from the platform: every ``every`` seconds,
the size, time and inode of each file of the corpus (folders are listed anew, so a file added or
removed counts) and of each user gazetteer. A build starts once a change has held for one poll,
so a file still being copied is not read half-written.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import LegcoError

Stamp = tuple  # (path, size, mtime_ns, inode), or (path,) for a file that cannot be read


def stamps(paths: list[Path] | None, gazetteers: Iterable[Path] = ()) -> tuple[Stamp, ...]:
    """What the build of ``paths`` (None: the embedded corpus) reads, as stamps to compare."""
    from legco_kg.build import default_corpus
    from legco_kg.extractors.reading import collect_paths

    try:
        files = collect_paths(list(paths)) if paths else default_corpus()
    except LegcoError:  # no source file left: the build will say so
        files = []
    found = []
    for path in [*files, *map(Path, gazetteers)]:
        try:
            status = path.stat()
        except OSError:
            found.append((str(path),))
            continue
        found.append((str(path), status.st_size, status.st_mtime_ns, status.st_ino))
    return tuple(found)


def changed(before: tuple[Stamp, ...], after: tuple[Stamp, ...]) -> list[str]:
    """The names of the files added, removed or changed from ``before`` to ``after``."""
    old = {stamp[0]: stamp for stamp in before}
    new = {stamp[0]: stamp for stamp in after}
    return sorted(Path(path).name for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def watch(paths: list[Path] | None, out: Path, *, report: Callable[[str], None], every: float = 0.5,
          stop: Callable[[], bool] = lambda: False, gazetteers: Iterable[Path] = (), skip: Iterable[str] = (),
          cache: bool = True, **options) -> None:
    """Build ``paths`` into ``out`` (see :func:`legco_kg.build.build`, which gets ``options``),
    then again after each change, until ``stop()`` is true (asked after each poll) or the process
    is interrupted. ``report`` gets one line per build: what it built, or why it failed.

    ``cache=False`` (``--no-cache``) holds for the first build only: the later ones use what
    it left.
    """
    from legco_kg import cache as entries
    from legco_kg.build import build, import_renderers
    from legco_kg.extraction import preload

    gazetteers, skip = tuple(gazetteers), tuple(skip)
    entries.keep_in_memory()

    def run(why: str, cache: bool = True) -> None:
        started = time.perf_counter()
        try:
            result = build(paths, out, gazetteers=gazetteers, skip=skip, cache=cache, **options)
        except LegcoError as error:
            report(f"{why}: build failed, {out} keeps the last good build: {' '.join(str(error).split())}")
            return
        report(
            f"{why}: built {result.documents} documents, {result.entities} entities in "
            f"{time.perf_counter() - started:.2f}s → {out}"
        )

    seen = stamps(paths, gazetteers)
    run("first build", cache)
    try:  # while nothing changes, so that a rebuild extracts and renders at once
        preload(skip)
        import_renderers()
    except Exception as error:  # noqa: BLE001 - a rebuild that extracts reports it, as a build does
        report(f"could not load the extractors ahead: {' '.join(str(error).split())}")
    while True:
        time.sleep(every)
        if stop():
            return
        now = stamps(paths, gazetteers)
        if now == seen:
            continue
        while True:  # until the change holds for one poll
            time.sleep(every)
            later = stamps(paths, gazetteers)
            if later == now:
                break
            now = later
        names = changed(seen, now)
        seen = now
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        run(f"changed {shown}")
