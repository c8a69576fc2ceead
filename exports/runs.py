"""Sorting more items than memory should hold: sorted runs spilled to disk, merged lazily.

The RDF writers sort every triple; a corpus many times the embedded one has millions. They sort
up to :data:`RUN_SIZE` items in memory (the embedded corpus fits in one run, so nothing touches
the disk); beyond that each full run is sorted and written to an anonymous temporary file
(removed when closed, whatever happens) and the runs are merged a batch at a time (see
:func:`_merge`), so memory holds one run and one batch per run, not the whole graph.
"""
from __future__ import annotations

import bisect
import marshal
import tempfile
from typing import IO, Iterable, Iterator

RUN_SIZE = 400_000  # items sorted in memory at once
_BATCH = 4_096  # items per record of a run file (its length, then the marshalled items)


def sorted_unique(items: Iterable[tuple], run_size: int | None = None) -> Iterator[tuple]:
    """``items`` (tuples of strings) sorted, each distinct item once; ``run_size`` items at most
    are sorted in memory (default :data:`RUN_SIZE`).

    >>> list(sorted_unique([("b",), ("a",), ("b",)], run_size=2))
    [('a',), ('b',)]
    """
    run_size = run_size or RUN_SIZE
    runs: list[IO[bytes]] = []
    batch: list[tuple] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= run_size:
                runs.append(_spill(batch))
                batch = []
        if runs:
            runs.append(_spill(batch))
            batch = []
            merged: Iterable[tuple] = _merge([_read(run) for run in runs])
        else:
            batch.sort()
            merged = batch
        previous = None
        for item in merged:
            if item != previous:
                yield item
                previous = item
    finally:
        for run in runs:
            run.close()


_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def sorted_triples(triples: Iterable[tuple], run_size: int | None = None) -> Iterator[tuple]:
    """Plain RDF ``triples`` (IRIs as ``str``, literals as (lexical, language, datatype), repeats
    allowed) sorted, each once, as flat rows ``(subject, not_type, predicate, is_literal, value,
    language, datatype)``: by subject, then ``rdf:type`` before other predicates, then predicate,
    then IRI objects before literals, so one subject's triples and one predicate's objects are
    consecutive. The order of the Turtle and JSON-LD files (one sort serves both)."""
    def row(s: str, p: str, o) -> tuple:
        if type(o) is str:
            return (s, p != _TYPE, p, False, o, "", "")
        lexical, lang, datatype = o
        return (s, p != _TYPE, p, True, lexical, lang or "", datatype or "")

    return sorted_unique((row(*triple) for triple in triples), run_size)


class RowWriter:
    """The text of a file written from sorted triple rows (:func:`sorted_triples`): a subclass
    appends each row's text to :attr:`out` in :meth:`add` (counting new subjects in
    :attr:`subjects`) and closes the file in :meth:`end`; this hands the text over in pieces of
    :data:`SUBJECTS_PER_PIECE` subjects."""

    out: list[str]
    subjects = 0  # since the last take

    def add(self, s: str, not_type: bool, p: str, is_literal: bool, value: str, lang: str, datatype: str) -> None:
        raise NotImplementedError

    def end(self) -> bytes:
        """The rest of the file, closed."""
        raise NotImplementedError

    def open_share(self) -> bytes:
        """The text since the last take, ending where a share of whole subjects may follow: one
        copied from another file this writer wrote (from its :meth:`open_share` to its
        :meth:`close_share` there), or one written here. The file's bytes are what they would
        be without the two calls, so a share's bytes are a function of its own rows alone."""
        raise NotImplementedError

    def close_share(self) -> bytes:
        """The text since the last take, ending with the share begun by :meth:`open_share`
        (which holds at least one subject)."""
        raise NotImplementedError

    @property
    def ready(self) -> bool:
        """Whether a piece is worth taking."""
        return self.subjects >= SUBJECTS_PER_PIECE

    def take(self) -> bytes:
        """The text made since the last take."""
        text, self.out, self.subjects = "".join(self.out).encode("utf-8"), [], 0
        return text

    def pieces(self, rows: Iterable[tuple]) -> Iterator[bytes]:
        """The whole file of ``rows``, in pieces."""
        for row in rows:
            self.add(*row)
            if self.ready:
                yield self.take()
        yield self.end()


SUBJECTS_PER_PIECE = 4_000


def _spill(batch: list[tuple]) -> IO[bytes]:
    batch.sort()
    run = tempfile.TemporaryFile()
    for start in range(0, len(batch), _BATCH):
        record = marshal.dumps(batch[start : start + _BATCH])
        run.write(len(record).to_bytes(8, "little") + record)
    run.seek(0)
    return run


def _read(run: IO[bytes]) -> Iterator[list]:
    """The batches of a run file, in order. Each is read whole, then unmarshalled from memory
    (``marshal.load`` on a file reads it object by object, ten times slower)."""
    while size := int.from_bytes(run.read(8), "little"):
        yield marshal.loads(run.read(size))


def _merge(runs: list[Iterator[list]]) -> Iterator[tuple]:
    """The items of sorted ``runs`` (each read in sorted batches) in order.

    Each step takes, from every run's current batch, the items up to the smallest of the
    batches' last items (every item up to it is in those batches, since each run is sorted)
    and sorts them together: Python's sort finds the few sorted stretches and merges them in
    C, where :func:`heapq.merge` would compare item by item in Python. The run whose batch
    ended there is read on, so each step uses up at least one batch.
    """
    heads = [(batch, rest) for rest in runs for batch in [next(rest, None)] if batch]
    while heads:
        bound = min(batch[-1] for batch, _ in heads)
        taken: list[tuple] = []
        kept = []
        for batch, rest in heads:
            cut = bisect.bisect_right(batch, bound)
            taken.extend(batch[:cut])
            batch = batch[cut:] or next(rest, None)
            if batch:
                kept.append((batch, rest))
        taken.sort()
        yield from taken
        heads = kept
