"""The legco-kg ontology: vocabulary terms (closed namespaces) and the gazetteer data files."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from ontology.namespace import ID, LKG, NIF

__all__ = ["ID", "LKG", "NIF", "data_path"]


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``ontology/`` (``legco.ttl``, ``gazetteer.jsonl`` ...)."""
    return Path(str(resources.files("ontology").joinpath(name)))
