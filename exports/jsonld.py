"""JSON-LD: the RDF graph as a flattened JSON-LD document with an ``@context`` of the prefixes.

Written by hand, like the Turtle, so it is sorted (same corpus, same bytes) and quick: one
object per subject in ``@graph``, compact IRIs (``skos:prefLabel``, ``id:entity/cyberport``),
literals as ``{"@value", "@language"}`` or ``{"@value", "@type"}``.  A test parses it back with
rdflib's JSON-LD parser and compares it with the Turtle.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring as _string  # the escaping json.dumps uses (ensure_ascii=False)
from typing import TYPE_CHECKING

from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_TYPE = str(RDF.type)


def serialize(graph) -> bytes:
    """The flattened, sorted JSON-LD document of ``graph`` (an rdflib Graph or
    :class:`~legco_kg.graph.rdf.Triples`).

    Written as text with the JSON encoder's own string escaping rather than built as a tree of
    dicts for ``json.dumps``: the bytes are what ``json.dumps(..., separators=(",", ":"))`` of
    that tree gives, at half the cost.
    """
    from legco_kg.graph.rdf import group_by_subject

    prefixes = sorted(((p, str(n)) for p, n in graph.namespaces() if p), key=lambda item: -len(item[1]))
    compacted: dict[str, str] = {}  # each IRI is compacted once: the prefixes are scanned per IRI, not per use

    def compact(iri: str) -> str:
        text = compacted.get(iri)
        if text is None:
            text = iri
            for prefix, namespace in prefixes:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    text = f"{prefix}:{iri[len(namespace):]}"
                    break
            compacted[iri] = text
        return text

    iri_values: dict[str, tuple] = {}

    def value(term) -> tuple[tuple[str, str, str, str], str]:
        """The sort key of a value object (@id, @value, @language, @type) and its JSON text."""
        if type(term) is str:
            found = iri_values.get(term)
            if found is None:
                iri = compact(term)
                found = iri_values[term] = ((iri, "", "", ""), '{"@id":' + _string(iri) + "}")
            return found
        lexical, lang, datatype = term
        if lang:
            return ("", lexical, lang, ""), '{"@value":' + _string(lexical) + ',"@language":' + _string(lang) + "}"
        if datatype is not None:
            kind = compact(datatype)
            return ("", lexical, "", kind), '{"@value":' + _string(lexical) + ',"@type":' + _string(kind) + "}"
        return ("", lexical, "", ""), '{"@value":' + _string(lexical) + "}"

    by_subject = graph.by_subject() if hasattr(graph, "by_subject") else group_by_subject(graph)
    nodes = []
    for subject_text, subject in sorted((compact(subject), subject) for subject in by_subject):
        properties = {}
        for predicate, objects in by_subject[subject].items():
            if predicate == _TYPE:
                properties["@type"] = ",".join(_string(kind) for kind in sorted(map(compact, objects)))
            else:
                values = [value(obj) for obj in objects]
                if len(values) > 1:
                    values.sort(key=_first)
                properties[compact(predicate)] = ",".join(text for _, text in values)
        parts = ['{"@id":' + _string(subject_text)]
        parts.extend(_string(key) + ":[" + properties[key] + "]" for key in sorted(properties))
        nodes.append(",".join(parts) + "}")
    context = json.dumps({prefix: namespace for prefix, namespace in sorted(prefixes)}, ensure_ascii=False,
                         separators=(",", ":"))
    return ('{"@context":' + context + ',"@graph":[' + ",".join(nodes) + "]}").encode("utf-8")


def _first(item: tuple) -> tuple:
    return item[0]


def render(kg: "KnowledgeGraph") -> bytes:
    return serialize(kg.rdf)
