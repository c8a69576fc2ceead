"""Turtle: the RDF graph, serialised deterministically (same corpus, same bytes).

rdflib's own serialisers are correct but slow (about 34k triples/s here) and the plain one does
not order its output; this writer sorts subjects, predicates and objects and renders each term
with rdflib's own escaping, so the file is canonical for a given graph and quick to write.
A test parses it back and checks it is isomorphic to the graph it came from.
"""
from __future__ import annotations

import re
from contextlib import closing
from typing import TYPE_CHECKING, Iterable, Iterator

from legco_kg.exports.runs import RowWriter

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def quoted(lexical: str) -> str:
    r"""A literal's lexical form in Turtle quotes, on one line: line breaks are escaped, so a
    blank line in the file only ever separates two subjects (the store is loaded in pieces cut
    there, see :func:`blocks`).

    >>> print(quoted('say "hi"\nbye'))
    "say \"hi\"\nbye"
    """
    return '"' + lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Names:
    """Turtle text of IRIs: a prefixed name where one fits, each IRI worked out once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so id:span/... is never shortened against a shorter prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def iri(self, term: str) -> str:
        text = self.cache.get(term)
        if text is None:
            text = f"<{term}>"
            for prefix, namespace in self.prefixes:
                if term.startswith(namespace) and _LOCAL.match(term[len(namespace) :]):
                    text = f"{prefix}:{term[len(namespace):]}"
                    break
            self.cache[term] = text
        return text


def serialize(graph) -> bytes:
    """Turtle of ``graph`` (an rdflib Graph or :class:`legco_kg.graph.rdf.Triples`), sorted."""
    from legco_kg.graph.rdf import plain_graph

    return b"".join(chunks(*plain_graph(graph)))


def chunks(triples: Iterable[tuple], prefixes: dict[str, str]) -> Iterator[bytes]:
    """The Turtle file of plain ``triples`` (duplicates allowed) in pieces of about a megabyte.
    Memory holds one sorted run of triples (:func:`~legco_kg.exports.runs.sorted_triples`), not
    the file."""
    from legco_kg.exports.runs import sorted_triples

    return Writer(prefixes).pieces(sorted_triples(triples))


class Writer(RowWriter):
    """Turtle text of sorted triple rows (:func:`~legco_kg.exports.runs.sorted_triples`), given
    one at a time to :meth:`add`: subjects in that order, ``a`` first and then the predicates,
    each subject a block of its own separated by a blank line."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.iri = _Names(prefixes).iri
        self.out: list[str] = ["".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(prefixes.items()))]
        self.subject = self.verb = None

    def add(self, s: str, not_type: bool, p: str, is_literal: bool, value: str, lang: str, datatype: str) -> None:
        if not is_literal:
            o = self.iri(value)
        elif datatype:
            o = f"{quoted(value)}^^{self.iri(datatype)}"
        else:
            o = quoted(value) + ("@" + lang if lang else "")
        if s != self.subject:
            if self.subject is not None:
                self.out.append(" .\n")
            self.out.append(f"\n{self.iri(s)}\n    {self.iri(p) if not_type else 'a'} {o}")
            self.subject, self.verb = s, p
            self.subjects += 1
        elif p != self.verb:
            self.out.append(f" ;\n    {self.iri(p) if not_type else 'a'} {o}")
            self.verb = p
        else:
            self.out.append(f" ,\n        {o}")

    def open_share(self) -> bytes:
        if self.subject is not None:
            self.out.append(" .\n")
            self.subject = None
        return self.take()

    close_share = open_share  # a subject's block is whole once its " ." is out

    def end(self) -> bytes:
        return self.open_share()


def blocks(path, size: int = 1 << 21) -> Iterator[bytes]:
    """Pieces of about ``size`` bytes of a Turtle file :func:`chunks` wrote, each a whole Turtle
    document (the prefixes, then whole subjects): cut at blank lines, which only separate subjects."""
    header, runs = subject_runs(path, size=size)
    for run in runs:
        yield document(header, [run])


def subject_runs(path, skip: "list[tuple[int, int]]" = (), size: int = 1 << 21) -> tuple[bytes, Iterator[bytes]]:
    """The prefixes of a Turtle file :func:`chunks` wrote, and its subjects' blocks in runs of
    about ``size`` bytes: whole blocks separated by blank lines (which only separate subjects),
    without the blank lines around the run. The byte ranges ``skip`` (sorted, each whole
    subjects' blocks, as a build's copied shares are) are left out: what is left reads as a
    Turtle file too."""
    pieces = _pieces(path, skip, size)
    rest = b""
    while b"\n\n" not in rest:
        piece = next(pieces, b"")
        if not piece:
            break
        rest += piece
    header, _, rest = rest.partition(b"\n\n")

    def runs(rest: bytes) -> Iterator[bytes]:
        with closing(pieces):
            while True:
                cut = rest.rfind(b"\n\n")  # what follows may go on in the next piece
                if cut > 0:
                    yield rest[:cut]
                if cut >= 0:
                    rest = rest[cut + 2 :]
                piece = next(pieces, b"")
                if not piece:
                    break
                rest += piece
            if rest.strip():
                yield rest.rstrip(b"\n")

    return header, runs(rest)


def document(header: bytes, blocks: Iterable[bytes]) -> bytes:
    """A Turtle document of the prefixes ``header`` and subjects' ``blocks`` (of :func:`subject_runs`)."""
    return header + b"\n\n" + b"\n\n".join(blocks) + b"\n"


def _pieces(path, skip: "list[tuple[int, int]]", size: int) -> Iterator[bytes]:
    """The bytes of the file at ``path`` outside the ranges ``skip``, in pieces of at most ``size`` bytes."""
    with open(path, "rb") as stream:
        at = 0
        for start, end in [*skip, (None, None)]:
            stream.seek(at)
            left = None if start is None else start - at
            while left is None or left > 0:
                piece = stream.read(size if left is None else min(size, left))
                if not piece:
                    break
                if left is not None:
                    left -= len(piece)
                yield piece
            at = end


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    from legco_kg.graph.rdf import PLAIN_PREFIXES, plain_triples

    return chunks(plain_triples(kg), PLAIN_PREFIXES)
