"""JSON-LD: the RDF graph as a flattened JSON-LD document with an ``@context`` of the prefixes.

Written by hand, like the Turtle, so it is sorted (same corpus, same bytes) and quick: one
object per subject in ``@graph``, compact IRIs (``skos:prefLabel``, ``id:entity/cyberport``),
literals as ``{"@value", "@language"}`` or ``{"@value", "@type"}``.  A test parses it back with
rdflib's JSON-LD parser and compares it with the Turtle.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring as _string  # the escaping json.dumps uses (ensure_ascii=False)
from typing import TYPE_CHECKING, Iterable, Iterator

from legco_kg.exports.runs import RowWriter

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


def serialize(graph) -> bytes:
    """The flattened, sorted JSON-LD document of ``graph`` (an rdflib Graph or
    :class:`~legco_kg.graph.rdf.Triples`)."""
    from legco_kg.graph.rdf import plain_graph

    return b"".join(chunks(*plain_graph(graph)))


def chunks(triples: Iterable[tuple], prefixes: dict[str, str]) -> Iterator[bytes]:
    """The JSON-LD document of plain ``triples`` (duplicates allowed) in pieces; memory holds one
    sorted run of triples (:func:`~legco_kg.exports.runs.sorted_triples`), not the document."""
    from legco_kg.exports.runs import sorted_triples

    return Writer(prefixes).pieces(sorted_triples(triples))


class Writer(RowWriter):
    """The JSON-LD text of sorted triple rows (:func:`~legco_kg.exports.runs.sorted_triples`),
    given one at a time to :meth:`add`, as :class:`legco_kg.exports.turtle.Writer` takes them.

    Written as text with the JSON encoder's own string escaping rather than built as a tree of
    dicts for ``json.dumps``: the bytes are what ``json.dumps(..., separators=(",", ":"))`` of
    that tree gives, at half the cost.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.compacted: dict[str, str] = {}  # each IRI is compacted once: the prefixes are scanned per IRI, not per use
        self.objects: dict[str, str] = {}  # the {"@id": ...} text of each IRI object
        context = json.dumps(dict(sorted(prefixes.items())), ensure_ascii=False, separators=(",", ":"))
        self.out = ['{"@context":' + context + ',"@graph":[']
        self.subject = self.prop = None
        self.gap = ""  # what goes before the next subject's object when none is open

    def compact(self, iri: str) -> str:
        text = self.compacted.get(iri)
        if text is None:
            text = iri
            for prefix, namespace in self.by_length:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    text = f"{prefix}:{iri[len(namespace):]}"
                    break
            self.compacted[iri] = text
        return text

    def add(self, s: str, not_type: bool, p: str, is_literal: bool, value: str, lang: str, datatype: str) -> None:
        if not not_type and not is_literal:  # rdf:type: the class's compact IRI under "@type"
            key, text = "@type", _string(self.compact(value))
        else:
            key = self.compact(p)
            if not is_literal:
                text = self.objects.get(value)
                if text is None:
                    text = self.objects[value] = '{"@id":' + _string(self.compact(value)) + "}"
            elif lang:
                text = '{"@value":' + _string(value) + ',"@language":' + _string(lang) + "}"
            elif datatype:
                text = '{"@value":' + _string(value) + ',"@type":' + _string(self.compact(datatype)) + "}"
            else:
                text = '{"@value":' + _string(value) + "}"
        if s != self.subject:
            self.out.append(("]}," if self.subject is not None else self.gap) + '{"@id":' + _string(self.compact(s))
                            + "," + _string(key) + ":[" + text)
            self.subject, self.prop = s, key
            self.subjects += 1
        elif key != self.prop:
            self.out.append("]," + _string(key) + ":[" + text)
            self.prop = key
        else:
            self.out.append("," + text)

    def open_share(self) -> bytes:
        if self.subject is not None:
            self.out.append("]},")
        elif self.gap:
            self.out.append(self.gap)
        self.subject, self.gap = None, ""
        return self.take()

    def close_share(self) -> bytes:
        if self.subject is not None:
            self.out.append("]}")
        self.subject, self.gap = None, ","
        return self.take()

    def end(self) -> bytes:
        self.out.append("]}]}" if self.subject is not None else "]}")
        self.subject = None
        return self.take()


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    from legco_kg.graph.rdf import PLAIN_PREFIXES, plain_triples

    return chunks(plain_triples(kg), PLAIN_PREFIXES)
