"""Turtle: the RDF graph, serialised deterministically (same corpus, same bytes).

rdflib's own serialisers are correct but slow (about 34k triples/s here) and the plain one does
not order its output; this writer sorts subjects, predicates and objects and renders each term
with rdflib's own escaping, so the file is canonical for a given graph and quick to write.
A test parses it back and checks it is isomorphic to the graph it came from.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Iterator

from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TYPE = str(RDF.type)


def quoted(lexical: str) -> str:
    r"""A literal's lexical form in Turtle quotes, on one line: line breaks are escaped, so a
    blank line in the file only ever separates two subjects (the store is loaded in pieces cut
    there, see :func:`blocks`).

    >>> print(quoted('say "hi"\nbye'))
    "say \"hi\"\nbye"
    """
    return '"' + lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Names:
    """Turtle text of plain terms (IRIs as ``str``, literals as :class:`~legco_kg.graph.rdf.Lit`)."""

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

    def term(self, term) -> str:
        if type(term) is str:
            return self.iri(term)
        lexical, lang, datatype = term
        if datatype is not None:
            return f"{quoted(lexical)}^^{self.iri(datatype)}"
        return quoted(lexical) + ("@" + lang if lang else "")


def serialize(graph) -> bytes:
    """Turtle of ``graph`` (an rdflib Graph or :class:`legco_kg.graph.rdf.Triples`), sorted."""
    from legco_kg.graph.rdf import plain_graph

    return b"".join(chunks(*plain_graph(graph)))


def chunks(triples: Iterable[tuple], prefixes: dict[str, str]) -> Iterator[bytes]:
    """The Turtle file of plain ``triples`` (duplicates allowed) in pieces of about a megabyte:
    subjects sorted, ``a`` first and then predicates sorted, objects sorted.  Memory holds one
    sorted run of rendered triples (:func:`~legco_kg.exports.runs.sorted_unique`), not the file."""
    from legco_kg.exports.runs import sorted_unique

    names = _Names(prefixes)
    iri, term = names.iri, names.term
    header = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(prefixes.items()))
    rendered = ((iri(s), p != _TYPE, iri(p), term(o)) for s, p, o in triples)
    out: list[str] = [header]
    size = 0
    subject = verb = None
    for s, is_other, p, o in sorted_unique(rendered):
        if s != subject:
            if subject is not None:
                out.append(" .\n")
            out.append(f"\n{s}\n    {p if is_other else 'a'} {o}")
            subject, verb = s, p
            size += 1
            if size >= _SUBJECTS_PER_CHUNK:
                yield "".join(out).encode("utf-8")
                out, size = [], 0
        elif p != verb:
            out.append(f" ;\n    {p if is_other else 'a'} {o}")
            verb = p
        else:
            out.append(f" ,\n        {o}")
    if subject is not None:
        out.append(" .\n")
    yield "".join(out).encode("utf-8")


def blocks(path, size: int = 1 << 21) -> Iterator[bytes]:
    """Pieces of about ``size`` bytes of a Turtle file :func:`chunks` wrote, each a whole Turtle
    document (the prefixes, then whole subjects): cut at blank lines, which only separate subjects."""
    with open(path, "rb") as stream:
        header = b""
        rest = b""
        while True:
            data = stream.read(size)
            if not data:
                break
            data = rest + data
            cut = data.rfind(b"\n\n")
            if cut < 0:
                rest = data
                continue
            if not header:
                header, _, data = data.partition(b"\n\n")
                header += b"\n"
                cut = data.rfind(b"\n\n")
                if cut < 0:
                    rest = data
                    continue
            yield header + data[: cut + 1]
            rest = data[cut + 1 :]
        if rest.strip():
            yield header + rest if header else rest


_SUBJECTS_PER_CHUNK = 4_000


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    from legco_kg.graph.rdf import PLAIN_PREFIXES, plain_triples

    return chunks(plain_triples(kg), PLAIN_PREFIXES)
