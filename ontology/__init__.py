"""The legco-kg ontology: vocabulary terms (closed namespaces) and the gazetteer data files."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from legco_kg.ontology.namespace import ID, LKG, NIF

__all__ = ["ID", "LKG", "NIF", "amount_roles", "budget_head_entries", "data_path", "gazetteer_entries", "member_entries"]


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``ontology/`` (``legco.ttl``, ``gazetteer.jsonl`` ...)."""
    return Path(str(resources.files("legco_kg.ontology").joinpath(name)))


@lru_cache(maxsize=1)
def gazetteer_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/gazetteer.jsonl``, read once per process."""
    with open(data_path("gazetteer.jsonl"), encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


@lru_cache(maxsize=1)
def member_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/members.jsonl`` (LegCo members' names), read once per process."""
    with open(data_path("members.jsonl"), encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


@lru_cache(maxsize=1)
def budget_head_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/budget_heads.jsonl``: the Estimates' heads and programmes (head
    code, programme code or null for the head itself) with their English names, read once."""
    with open(data_path("budget_heads.jsonl"), encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


@lru_cache(maxsize=1)
def amount_roles() -> tuple[dict, ...]:
    """The roles of ``ontology/amount_roles.json`` (id, labels, cue words), read once per process."""
    with open(data_path("amount_roles.json"), encoding="utf-8") as file:
        return tuple(json.load(file)["roles"])
