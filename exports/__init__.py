"""Exporters: each renders a :class:`~legco_kg.graph.kg.KnowledgeGraph` to the bytes of one file.

``exports.get("turtle")`` returns the exporter; an unknown name fails listing the valid ones.
Modules are imported only when their exporter is used, so a command pays for what it uses.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from legco_kg.folder import OUTPUTS
from legco_kg.registry import Registry, UnknownName


@dataclass(frozen=True)
class Exporter:
    name: str
    filename: str
    module: str
    description: str
    # The folder of the build's cache where ``render`` keeps what it may reuse (``render(kg,
    # cache=folder)``); None: it keeps nothing.
    cache: str | None = None

    @property
    def render(self) -> Callable:
        """``render(kg)``: the output's bytes, or its pieces as they are made."""
        return import_module(self.module).render

    @property
    def write(self) -> Callable | None:
        """``write(kg, path)`` for an output that is a file written in place (a database), else None."""
        return getattr(import_module(self.module), "write", None)


EXPORTERS = Registry("format", {
    exporter.name: exporter
    for exporter in (
        Exporter("turtle", OUTPUTS["turtle"], "legco_kg.exports.turtle", "RDF 1.1 Turtle, for SPARQL stores"),
        Exporter("html", OUTPUTS["html"], "legco_kg.exports.html", "self-contained interactive page (pyvis)", cache="layouts"),
        Exporter("jsonl", OUTPUTS["jsonl"], "legco_kg.exports.jsonl", "JSON Lines, one record per line"),
        Exporter("jsonld", OUTPUTS["jsonld"], "legco_kg.exports.jsonld", "JSON-LD (flattened, with an @context)"),
        Exporter("graphml", OUTPUTS["graphml"], "legco_kg.exports.graphml", "GraphML, for Gephi and NetworkX"),
        Exporter("index", OUTPUTS["index"], "legco_kg.exports.index", "the SQLite query index legco-kg query reads"),
    )
})
BUILD_OUTPUTS = ("turtle", "jsonld", "html", "jsonl", "graphml", "index")


UnknownFormat = UnknownName  # what an unknown export format raises (the registries' one error)


def get(name: str) -> Exporter:
    """The exporter called ``name``; :class:`~legco_kg.registry.UnknownName` lists the valid ones."""
    return EXPORTERS.get(name)
