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

from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_TYPE = str(RDF.type)


def serialize(graph) -> bytes:
    """The flattened, sorted JSON-LD document of ``graph`` (an rdflib Graph or
    :class:`~legco_kg.graph.rdf.Triples`)."""
    from legco_kg.graph.rdf import plain_graph

    return b"".join(chunks(*plain_graph(graph)))


def chunks(triples: Iterable[tuple], prefixes: dict[str, str]) -> Iterator[bytes]:
    """The JSON-LD document of plain ``triples`` (duplicates allowed) in pieces.

    Written as text with the JSON encoder's own string escaping rather than built as a tree of
    dicts for ``json.dumps``: the bytes are what ``json.dumps(..., separators=(",", ":"))`` of
    that tree gives, at half the cost, and memory holds one sorted run of triples
    (:func:`~legco_kg.exports.runs.sorted_unique`), not the document.
    """
    from legco_kg.exports.runs import sorted_unique

    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    compacted: dict[str, str] = {}  # each IRI is compacted once: the prefixes are scanned per IRI, not per use

    def compact(iri: str) -> str:
        text = compacted.get(iri)
        if text is None:
            text = iri
            for prefix, namespace in by_length:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    text = f"{prefix}:{iri[len(namespace):]}"
                    break
            compacted[iri] = text
        return text

    iri_values: dict[str, tuple] = {}

    def value(term) -> tuple[str, str, str, str, str]:
        """The sort key of a value object (@id, @value, @language, @type) and its JSON text."""
        if type(term) is str:
            found = iri_values.get(term)
            if found is None:
                iri = compact(term)
                found = iri_values[term] = (iri, "", "", "", '{"@id":' + _string(iri) + "}")
            return found
        lexical, lang, datatype = term
        if lang:
            return "", lexical, lang, "", '{"@value":' + _string(lexical) + ',"@language":' + _string(lang) + "}"
        if datatype is not None:
            kind = compact(datatype)
            return "", lexical, "", kind, '{"@value":' + _string(lexical) + ',"@type":' + _string(kind) + "}"
        return "", lexical, "", "", '{"@value":' + _string(lexical) + "}"

    def keyed(s: str, p: str, o) -> tuple:
        if p == _TYPE:
            kind = compact(o)
            return (compact(s), "@type", kind, "", "", "", _string(kind))
        return (compact(s), compact(p), *value(o))

    context = json.dumps(dict(sorted(prefixes.items())), ensure_ascii=False, separators=(",", ":"))
    out = ['{"@context":' + context + ',"@graph":[']
    subject = prop = None
    size = 0
    for s, p, *_, text in sorted_unique(keyed(*triple) for triple in triples):
        if s != subject:
            out.append(("]}," if subject is not None else "") + '{"@id":' + _string(s) + "," + _string(p) + ":[" + text)
            subject, prop = s, p
            size += 1
            if size >= _NODES_PER_CHUNK:
                yield "".join(out).encode("utf-8")
                out, size = [], 0
        elif p != prop:
            out.append("]," + _string(p) + ":[" + text)
            prop = p
        else:
            out.append("," + text)
    out.append("]}]}" if subject is not None else "]}")
    yield "".join(out).encode("utf-8")


_NODES_PER_CHUNK = 4_000


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    from legco_kg.graph.rdf import PLAIN_PREFIXES, plain_triples

    return chunks(plain_triples(kg), PLAIN_PREFIXES)
