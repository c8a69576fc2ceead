"""A new build's SPARQL store made from the last build's, by difference.

A build's store holds exactly the triples of its Turtle file, and the Turtle writer puts each
subject in one block of its own, cut at blank lines (literals escape their line breaks). So when
the last build's Turtle and store are at hand, the new store can be a copy of the last one (a
RocksDB checkpoint: hard links, no data copied) less the triples of the blocks that changed or
went, plus those of the blocks that changed or came. A changed paper touches a few hundred blocks
of tens of thousands: reading both Turtle files costs much less than parsing and indexing every
triple again. Where much changed, a full load is quicker, and :func:`update` leaves it to one.

The cache folder's :data:`MARKER` names the build whose store and Turtle may be diffed: one this
version made (a store changed since by other software would carry its change over; ``--no-cache``
loads the store whole). It also holds the key of the inputs that build's outputs were made from
(:func:`legco_kg.build.outputs_key`): a build with the same key keeps those outputs.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator

FORMAT = 1  # of the Turtle blocks read here; another format in the marker means a full load
MARKER = "store.json"
MOST_CHANGED = 0.2  # of the new Turtle's bytes: above this, loading the store whole is quicker
_PIECE = 1 << 20


def last_build(root: Path, cache: Path, current: Path, outputs: str | None = None) -> Path | None:
    """The folder of the last build, if the ``cache``'s marker says its store may be diffed (and,
    given ``outputs``, that its outputs were made from inputs with that key)."""
    marker = _record(cache)
    try:
        last = current.resolve(strict=True)
    except OSError:
        return None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT or marker.get("build") != last.name:
        return None
    if last.parent.parent != root.resolve() or (outputs is not None and marker.get("outputs") != outputs):
        return None
    return last


def mark(cache: Path, build: Path, outputs: str, shares: dict | None = None, files: tuple[str, ...] = ()) -> None:
    """Record that ``build``'s store and Turtle may be diffed by the next build, the key of the
    inputs its outputs were made from (``outputs``; empty: unknown) and where the documents'
    shares lie in its RDF files (``shares``, see :mod:`legco_kg.exports.rdf_files`) with the
    size and time of those ``files``. Never an error: without the marker the next build loads
    its store whole and renders every output."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{MARKER}.tmp"
        record = {"format": FORMAT, "build": build.name, "outputs": outputs, "shares": shares or {},
                  "files": {name: _stamp(build / name) for name in files}}
        temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        temporary.replace(cache / MARKER)
    except OSError:
        pass


def last_shares(cache: Path, build: Path, files: tuple[str, ...]) -> dict | None:
    """Where the documents' shares lie in the RDF ``files`` of ``build``, the build the marker
    names (see :func:`mark`), if it records them and the files are as they were then."""
    try:
        record = _record(cache)
        shares, stamps = record["shares"], record["files"]
        if not isinstance(shares, dict) or any(stamps[name] != _stamp(build / name) for name in files):
            return None
    except (OSError, TypeError, KeyError):
        return None
    return shares


def _record(cache: Path):
    """What the marker says (see :func:`mark`); None if it is missing or unreadable."""
    try:
        return json.loads((cache / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stamp(path: Path) -> list[int]:
    """The size and modification time of a file: another means it was written since."""
    found = path.stat()
    return [found.st_size, found.st_mtime_ns]


Ranges = list[tuple[int, int]]


def copied(old: dict | None, new: dict | None) -> tuple[Ranges, Ranges]:
    """The byte ranges of the last and of the new Turtle file that hold the same subjects' blocks:
    the shares the new build copied (:mod:`legco_kg.exports.rdf_files`; ``old`` and ``new`` are
    the two builds' records of where the shares lie, by key: a key in both is a share copied)."""
    old, new = old or {}, new or {}
    pairs = []
    for key, found in new.items():
        before = {share[0]: share for share in old.get(key, ())}
        pairs.extend(((before[share[0]][1], before[share[0]][2]), (share[1], share[2])) for share in found if share[0] in before)
    return sorted(old for old, _ in pairs), sorted(new for _, new in pairs)


def update(old_turtle: Path, old_store: Path, new_turtle: Path, new_store: Path,
           same: tuple[Ranges, Ranges] = ([], [])) -> int | None:
    """Make ``new_store`` (which must not exist) from ``old_store`` by the difference between the
    Turtle files and return the number of subject blocks that went or came; None, with nothing
    made, where a full load is the better way. ``same`` are the ranges of the old and the new
    file known to hold the same blocks (see :func:`copied`): only the blocks outside them are
    compared."""
    import pyoxigraph

    from legco_kg.exports.turtle import document

    limit = MOST_CHANGED * new_turtle.stat().st_size
    header, blocks = _blocks(new_turtle, same[1])
    new = {_digest(block) for block in blocks}
    old_header, blocks = _blocks(old_turtle, same[0])
    if old_header != header:
        return None
    old: set[bytes] = set()
    removed: list[bytes] = []
    added: list[bytes] = []
    size = 0
    for block in blocks:
        digest = _digest(block)
        old.add(digest)
        if digest not in new:
            removed.append(block)
            size += len(block)
            if size > limit:
                return None
    for block in _blocks(new_turtle, same[1])[1]:
        if _digest(block) not in old:
            added.append(block)
            size += len(block)
            if size > limit:
                return None
    pyoxigraph.Store.read_only(str(old_store)).backup(str(new_store))
    store = pyoxigraph.Store(str(new_store))
    if removed:  # first: a subject whose block changed keeps the triples its new block states again
        for quad in pyoxigraph.parse(document(header, removed), pyoxigraph.RdfFormat.TURTLE):
            store.remove(quad)
    if added:
        store.bulk_load(document(header, added), pyoxigraph.RdfFormat.TURTLE, lenient=True)
    store.flush()
    return len(removed) + len(added)


def _digest(block: bytes) -> bytes:
    return hashlib.blake2b(block, digest_size=16).digest()


def _blocks(path: Path, skip: Ranges = ()) -> tuple[bytes, Iterator[bytes]]:
    """The prefixes of the Turtle file at ``path`` and an iterator of its subjects' blocks
    (each without the blank line around it) but those in the byte ranges ``skip``
    (:func:`~legco_kg.exports.turtle.subject_runs`), read a piece at a time."""
    from legco_kg.exports.turtle import subject_runs

    header, runs = subject_runs(path, skip, _PIECE)
    return header, (block for run in runs for block in run.split(b"\n\n"))
