"""The legco-kg ontology: vocabulary terms (closed namespaces) and the gazetteer data files."""
from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator


def __getattr__(name: str):
    """The vocabulary namespaces (``ID``, ``LKG``, ``NIF``) import rdflib: loaded on first use, so
    reading a data file of this package (the query words, for ``legco-kg query``) stays light."""
    if name in ("ID", "LKG", "NIF"):
        from legco_kg.ontology import namespace

        return getattr(namespace, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ID", "LKG", "NIF", "amount_roles", "budget_head_entries", "data_entries", "data_path", "gazetteer_entries",
    "member_entries", "read_gazetteer", "user_gazetteers",
]

ENTITY_KINDS = ("bureau", "institution", "scheme", "platform")

# User gazetteer files (``build --gazetteer FILE``) in force, in the order given, with a digest of
# their contents: a process that builds more than once (``build --watch``) sees a changed file.
_in_force: list[tuple[tuple[Path, ...], str]] = [((), "")]


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``ontology/`` (``legco.ttl``, ``gazetteer.jsonl`` ...)."""
    return Path(str(resources.files("legco_kg.ontology").joinpath(name)))


def data_entries(name: str) -> tuple[dict, ...]:
    """The entries of a JSON Lines file shipped in ``ontology/`` (blank lines skipped).

    >>> {"head", "programme", "label_zh"} <= set(data_entries("budget_heads.jsonl")[0])
    True
    """
    with open(data_path(name), encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def gazetteer_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/gazetteer.jsonl``, with the user gazetteers in force applied."""
    return _merged(*_in_force[-1])


def gazetteers_version() -> tuple[tuple[Path, ...], str]:
    """The user gazetteer files in force and a digest of their contents: the cache key of what is
    built from the entries, which a file changed since (``build --watch``) does not find."""
    return _in_force[-1]


@contextmanager
def user_gazetteers(paths: Iterable[Path]) -> Iterator[tuple[dict, ...]]:
    """Within the block, entries of ``paths`` (JSON Lines in the gazetteer's format) add entities
    or override the shipped entity of the same id; a later file overrides an earlier one.

    A bad file raises :class:`~legco_kg.errors.InputError` naming the file and line.
    """
    paths = tuple(Path(p) for p in paths)
    version = (paths, _digest(paths))
    entries = _merged(*version)  # read and check now, before any work
    _in_force.append(version)
    try:
        yield entries
    finally:
        _in_force.pop()


def _digest(paths: tuple[Path, ...]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError:
            return ""  # _merged reports the file
        digest.update(b"\x00")
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _merged(paths: tuple[Path, ...], digest: str) -> tuple[dict, ...]:
    entries = {entry["id"]: entry for entry in read_gazetteer(data_path("gazetteer.jsonl"))}
    shipped = list(entries)
    users: dict[str, dict] = {}
    for path in paths:
        for entry in read_gazetteer(path):
            users[entry["id"]] = entry
    # A user's entities come first, so where a user's name is also a shipped one it is theirs.
    return tuple(users.values()) + tuple(entries[i] for i in shipped if i not in users)


def read_gazetteer(path: Path) -> list[dict]:
    """The entries of one gazetteer file, each checked: ``id`` (ASCII, no spaces or separators),
    ``kind`` (bureau, institution, scheme, platform), ``label_zh``; ``aliases`` a list."""
    from legco_kg.errors import InputError

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the gazetteer: {getattr(error, 'strerror', None) or error}") from None
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as error:
            raise InputError(str(path), f"line {number}: not JSON ({error.msg})") from None
        problem = _entry_problem(entry)
        if problem:
            raise InputError(str(path), f"line {number}: {problem}")
        entries.append(entry)
    return entries


def _entry_problem(entry) -> str | None:
    if not isinstance(entry, dict):
        return "expected a JSON object"
    entity_id = entry.get("id")
    if not isinstance(entity_id, str) or not entity_id or not entity_id.isascii() or any(c in entity_id for c in " /\\\t"):
        return f"'id' must be an ASCII name without spaces or slashes, got {entity_id!r}"
    if entry.get("kind") not in ENTITY_KINDS:
        return f"'kind' must be one of {', '.join(ENTITY_KINDS)}, got {entry.get('kind')!r}"
    if not isinstance(entry.get("label_zh"), str) or not entry["label_zh"].strip():
        return "'label_zh' (the Chinese name) is required"
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        return "'aliases' must be a list of names"
    return None


@lru_cache(maxsize=1)
def member_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/members.jsonl`` (LegCo members' names), read once per process."""
    return data_entries("members.jsonl")


@lru_cache(maxsize=1)
def budget_head_entries() -> tuple[dict, ...]:
    """The entries of ``ontology/budget_heads.jsonl``: the Estimates' heads and programmes (head
    code, programme code or null for the head itself) with their English names, read once."""
    return data_entries("budget_heads.jsonl")


@lru_cache(maxsize=1)
def amount_roles() -> tuple[dict, ...]:
    """The roles of ``ontology/amount_roles.json`` (id, labels, cue words), read once per process."""
    with open(data_path("amount_roles.json"), encoding="utf-8") as file:
        return tuple(json.load(file)["roles"])
