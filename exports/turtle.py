"""Turtle: the RDF graph, serialised deterministically (same corpus, same bytes)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph


def render(kg: "KnowledgeGraph") -> bytes:
    from graph.rdf import to_rdf

    # rdflib's "longturtle" sorts subjects, predicates and objects, so the output does not
    # depend on set iteration order (PYTHONHASHSEED).
    return to_rdf(kg).serialize(format="longturtle", encoding="utf-8")
