"""The Turtle and JSON-LD files of a graph written together, from one sort of its triples, with
the unchanged documents' shares copied from the last build's files.

Both files list the same triples in the same order (:func:`~legco_kg.exports.runs.sorted_triples`),
so a build generates and sorts the graph's triples once and hands each sorted row to both
writers, instead of doing both for each file.

Most triples are a document's own (:func:`legco_kg.graph.rdf.own_triples`: about its spans,
sentences, replies and questions), made from its :class:`~legco_kg.graph.rdf.OwnInput` alone. In
both files a document's own subjects lie in five stretches of whole subjects — its node, and
the subjects under each of its prefixes (:func:`~legco_kg.graph.rdf.own_subjects`) — whose
bytes depend on those triples alone. So the files record where each stretch (a *share*) lies,
by the digest of the input it was made from; a build given the last build's files and record
(:class:`Last`) copies the shares of every document whose input is unchanged, and generates and
sorts only the other documents' triples and the few that no document owns (entities, heads,
amount facts). The files' bytes are the same either way.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

# Where each share lies in the two files, by the digest of its document's input: a list of
# (subject key, Turtle start, Turtle end, JSON-LD start, JSON-LD end), byte offsets.
Shares = dict[str, list[tuple[str, int, int, int, int]]]


class Last(NamedTuple):
    """The last build's Turtle and JSON-LD files and where their shares lie."""

    turtle: Path
    jsonld: Path
    shares: Shares


def share_key(own, code: str) -> str:
    """The key of a document's shares: a digest of its :class:`~legco_kg.graph.rdf.OwnInput`
    and of ``code``, the key of the code that wrote them (:func:`legco_kg.build.code_key`)."""
    # repr, not marshal: marshal's bytes depend on which objects are shared, not on values alone
    text = repr(tuple(own)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(code.encode() + b"\x00" + text, digest_size=16).hexdigest()


def write(kg: "KnowledgeGraph", turtle_path: Path, jsonld_path: Path, last: Last | None = None, code: str = "") -> Shares:
    """Write ``kg``'s Turtle to ``turtle_path`` and its JSON-LD to ``jsonld_path`` (new files),
    each as :func:`legco_kg.exports.turtle.render` and :func:`legco_kg.exports.jsonld.render`
    would, piece by piece; the shares of the documents ``last`` has are copied from its files
    (written by the code of key ``code``). Returns where the shares lie in the new files."""
    if last is not None:
        try:
            return _write(kg, turtle_path, jsonld_path, last, code)
        except (_NotAShare, OSError, ValueError, TypeError):  # the last files are not what their record says: write everything anew
            turtle_path.unlink(missing_ok=True)
            jsonld_path.unlink(missing_ok=True)
    return _write(kg, turtle_path, jsonld_path, None, code)


class _NotAShare(Exception):
    pass


# How a share's bytes begin and end in each file (a Turtle block; a JSON-LD node object)
_ENDS = ((b"\n", b" .\n"), (b"{", b"]}"))


def _write(kg: "KnowledgeGraph", turtle_path: Path, jsonld_path: Path, last: Last | None, code: str) -> Shares:
    from legco_kg.exports import jsonld, turtle
    from legco_kg.exports.runs import sorted_triples
    from legco_kg.graph.rdf import PLAIN_PREFIXES, document_inputs, own_subjects, plain_triples

    inputs = document_inputs(kg)
    keys = {doc_id: share_key(own, code) for doc_id, own in inputs.items()}
    if any("/" in doc_id for doc_id in inputs):  # then one document's prefix could hold another's subjects
        keys, last = {}, None
    old = last.shares if last is not None else {}
    copied = {doc_id for doc_id, key in keys.items() if key in old}
    stretches = sorted((subject, doc_id) for doc_id in keys for subject in own_subjects(doc_id))
    shares: Shares = {keys[doc_id]: [] for doc_id in keys}
    writers = turtle.Writer(PLAIN_PREFIXES), jsonld.Writer(PLAIN_PREFIXES)
    with open(turtle_path, "xb") as turtle_file, open(jsonld_path, "xb") as jsonld_file:
        files = (turtle_file, jsonld_file)
        pairs = tuple(zip(writers, files))
        sources = (open(last.turtle, "rb"), open(last.jsonld, "rb")) if copied else ()
        try:
            def open_share() -> list[int]:
                for writer, file in pairs:
                    file.write(writer.open_share())
                return [file.tell() for file in files]

            def close_share(subject: str, doc_id: str, starts: list[int]) -> None:
                for writer, file in pairs:
                    file.write(writer.close_share())
                shares[keys[doc_id]].append((subject, starts[0], files[0].tell(), starts[1], files[1].tell()))

            def copy(subject: str, doc_id: str) -> None:
                for _, t_start, t_end, j_start, j_end in (share for share in old[keys[doc_id]] if share[0] == subject):
                    starts = open_share()
                    for source, file, start, end, ends in zip(sources, files, (t_start, j_start), (t_end, j_end), _ENDS):
                        _copy(source, file, start, end, ends)
                    close_share(subject, doc_id, starts)

            rows = sorted_triples(plain_triples(kg, {d: own for d, own in inputs.items() if d not in copied}))
            at, open_stretch, previous = 0, None, None
            for row in rows:
                s = row[0]
                if s != previous:
                    previous = s
                    if open_stretch is not None and not _within(s, open_stretch[0]):
                        close_share(*open_stretch)
                        open_stretch = None
                    while open_stretch is None and at < len(stretches) and stretches[at][0] <= s:
                        subject, doc_id = stretches[at]
                        at += 1
                        if doc_id in copied:
                            copy(subject, doc_id)
                        elif _within(s, subject):
                            open_stretch = (subject, doc_id, open_share())
                for writer, file in pairs:
                    writer.add(*row)
                    if writer.ready:
                        file.write(writer.take())
            if open_stretch is not None:
                close_share(*open_stretch)
            for subject, doc_id in stretches[at:]:
                if doc_id in copied:
                    copy(subject, doc_id)
            for writer, file in pairs:
                file.write(writer.end())
        finally:
            for source in sources:
                source.close()
    return shares


def _copy(source: BinaryIO, file: BinaryIO, start: int, end: int, ends: tuple[bytes, bytes]) -> None:
    """Append bytes ``start:end`` of ``source`` to ``file``, which must begin and end as a share
    does (``ends``); in the kernel where it can (``copy_file_range``: a few hundred megabytes at
    16 times the embedded corpus, ten times quicker than through Python's buffers)."""
    first, final = ends
    size = end - start
    if not (size >= len(first) + len(final) and os.pread(source.fileno(), len(first), start) == first
            and os.pread(source.fileno(), len(final), end - len(final)) == final):
        raise _NotAShare
    file.flush()
    at = file.tell()
    copied = 0
    try:
        while copied < size:
            done = os.copy_file_range(source.fileno(), file.fileno(), size - copied, start + copied, at + copied)
            if not done:
                raise _NotAShare  # the source ended early
            copied += done
    except (AttributeError, OSError):  # no copy_file_range here, or not between these files
        source.seek(start + copied)
        file.seek(at + copied)
        file.write(source.read(size - copied))
    file.seek(at + size)


def _within(subject: str, stretch: str) -> bool:
    """Whether ``subject`` is in the stretch of :func:`~legco_kg.graph.rdf.own_subjects`
    ``stretch`` (a node's IRI, or a prefix ending with ``/``)."""
    return subject == stretch or (stretch[-1] == "/" and subject.startswith(stretch))
