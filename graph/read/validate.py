"""SHACL validation of a finished build (``legco-kg validate``)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Validation:
    """The outcome of checking a build's ``graph.ttl`` against ``ontology/shapes.ttl``."""

    path: Path
    conforms: bool
    report: str


def validate(out: Path) -> Validation:
    """Check the build in ``out`` against the project's SHACL shapes (pySHACL, no inference)."""
    from pyshacl import validate as shacl
    from rdflib import Graph

    from legco_kg.folder import BuildFolder
    from legco_kg.graph.read.sparql import load_rdflib
    from legco_kg.ontology import data_path

    shapes = Graph().parse(data_path("shapes.ttl"), format="turtle")
    conforms, _, report = shacl(load_rdflib(out), shacl_graph=shapes, inference="none")
    return Validation(BuildFolder(out).path("turtle"), bool(conforms), report)
