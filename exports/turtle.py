"""Turtle: the RDF graph, serialised deterministically (same corpus, same bytes).

rdflib's own serialisers are correct but slow (about 34k triples/s here) and the plain one does
not order its output; this writer sorts subjects, predicates and objects and renders each term
with rdflib's own escaping, so the file is canonical for a given graph and quick to write.
A test parses it back and checks it is isomorphic to the graph it came from.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class _Names:
    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so id:span/... is never shortened against a shorter prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[URIRef, str] = {}

    def iri(self, term: URIRef) -> str:
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
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            if term.datatype is not None:
                return f"{Literal(str(term)).n3()}^^{self.iri(term.datatype)}"
            return term.n3()
        raise ValueError(f"blank nodes are not written: {term!r}")


def serialize(graph) -> bytes:
    """Turtle of ``graph`` (an rdflib Graph or :class:`legco_kg.graph.rdf.Triples`), sorted."""
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    names = _Names(prefixes)
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(prefixes.items())]
    lines.append("")
    by_subject: dict = {}
    for subject, predicate, obj in graph:
        by_subject.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    for subject in sorted(by_subject, key=names.term):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != RDF.type, names.term(p)))
        parts = []
        for predicate in order:
            objects = sorted(names.term(o) for o in predicates[predicate])
            verb = "a" if predicate == RDF.type else names.term(predicate)
            parts.append(f"    {verb} " + " ,\n        ".join(objects))
        lines.append(names.term(subject) + "\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(lines).encode("utf-8")


def render(kg: "KnowledgeGraph") -> bytes:
    return serialize(kg.rdf)
