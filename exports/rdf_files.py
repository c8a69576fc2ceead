"""The Turtle and JSON-LD files of a graph written together, from one sort of its triples.

Both files list the same triples in the same order (:func:`~legco_kg.exports.runs.sorted_triples`),
so a build generates and sorts the graph's triples once and hands each sorted row to both
writers, instead of doing both for each file.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


def write(kg: "KnowledgeGraph", turtle_path: Path, jsonld_path: Path) -> None:
    """Write ``kg``'s Turtle to ``turtle_path`` and its JSON-LD to ``jsonld_path`` (new files),
    each as :func:`legco_kg.exports.turtle.render` and :func:`legco_kg.exports.jsonld.render`
    would, piece by piece."""
    from legco_kg.exports import jsonld, turtle
    from legco_kg.exports.runs import sorted_triples
    from legco_kg.graph.rdf import PLAIN_PREFIXES, plain_triples

    writers = turtle.Writer(PLAIN_PREFIXES), jsonld.Writer(PLAIN_PREFIXES)
    with open(turtle_path, "xb") as turtle_file, open(jsonld_path, "xb") as jsonld_file:
        pairs = tuple(zip(writers, (turtle_file, jsonld_file)))
        for row in sorted_triples(plain_triples(kg)):
            for writer, file in pairs:
                writer.add(*row)
                if writer.ready:
                    file.write(writer.take())
        for writer, file in pairs:
            file.write(writer.end())
