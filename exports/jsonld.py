"""JSON-LD: the RDF graph as a flattened JSON-LD document with an ``@context`` of the prefixes.

Written by hand, like the Turtle, so it is sorted (same corpus, same bytes) and quick: one
object per subject in ``@graph``, compact IRIs (``skos:prefLabel``, ``id:entity/cyberport``),
literals as ``{"@value", "@language"}`` or ``{"@value", "@type"}``.  A test parses it back with
rdflib's JSON-LD parser and compares it with the Turtle.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


def serialize(graph) -> bytes:
    prefixes = sorted(((p, str(n)) for p, n in graph.namespaces() if p), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def value(term) -> dict:
        if isinstance(term, URIRef):
            return {"@id": compact(str(term))}
        if isinstance(term, Literal):
            if term.language:
                return {"@value": str(term), "@language": term.language}
            if term.datatype is not None:
                return {"@value": str(term), "@type": compact(str(term.datatype))}
            return {"@value": str(term)}
        raise ValueError(f"blank nodes are not written: {term!r}")

    subjects: dict[str, dict[str, list]] = {}
    for subject, predicate, obj in graph:
        node = subjects.setdefault(compact(str(subject)), {})
        if predicate == RDF.type:
            node.setdefault("@type", []).append(compact(str(obj)))
        else:
            node.setdefault(compact(str(predicate)), []).append(value(obj))
    nodes = []
    for subject in sorted(subjects):
        node = {"@id": subject}
        for key in sorted(subjects[subject]):
            values = subjects[subject][key]
            node[key] = sorted(values) if key == "@type" else sorted(values, key=_order)
        nodes.append(node)
    context = {prefix: namespace for prefix, namespace in sorted(prefixes)}
    document = {"@context": context, "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")


def _order(value: dict) -> tuple[str, str, str, str]:
    return (value.get("@id", ""), value.get("@value", ""), value.get("@language", ""), value.get("@type", ""))


def render(kg: "KnowledgeGraph") -> bytes:
    return serialize(kg.rdf)
