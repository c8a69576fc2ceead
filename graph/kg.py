"""The knowledge graph: parsed documents, resolved entities and their mentions.

Extractors only return mentions; this module decides which entity each mention names
(resolution) and holds the result, from which the NetworkX graph, the RDF graph and every
export are derived.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from legco_kg.extractors.headers import bureau_name
from legco_kg.extractors.model import Amount, Document, Kind, Mention
from legco_kg.extractors.overlaps import without_overlaps
from legco_kg.extractors.text import name_form, name_key
from legco_kg.ontology import budget_head_entries, gazetteer_entries, member_entries




@dataclass(frozen=True)
class Entity:
    """A resolved entity with its labels; ``id`` is ASCII and stable across builds."""

    id: str
    kind: Kind
    label_zh: str
    label_en: str | None = None
    aliases: tuple[str, ...] = ()
    type: str | None = None
    parent: str | None = None
    notation: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))

    @property
    def labels(self) -> dict[str, str]:
        """The entity's label per language (BCP 47 tag → label), Chinese first."""
        return {"zh-Hant": self.label_zh, **({"en": self.label_en} if self.label_en else {})}


def fold_name(name: str) -> str:
    """:func:`~legco_kg.extractors.text.name_form`, case-folded: what a new entity's id is hashed
    from (kept as it is so ids stay stable; names are looked up by
    :func:`~legco_kg.extractors.text.name_key`)."""
    return name_form(name).casefold()


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Gazetteer:
    """Canonical entities from ``ontology/gazetteer.jsonl``, looked up by any of their names."""

    def __init__(self, entries: Iterable[dict], members: Iterable[dict] = (), budget_heads: Iterable[dict] = ()) -> None:
        self.entities: dict[str, Entity] = {}
        # LegCo members by the key of their Chinese name: their English names and aliases.
        self.members: dict[str, dict] = {name_key(member["label_zh"]): member for member in members}
        # The Estimates' programmes by (head, programme code): their English names.
        self.programmes: dict[tuple[str, str], dict] = {
            (entry["head"], entry["programme"]): entry for entry in budget_heads if entry.get("programme")
        }
        self.by_name: dict[str, str] = {}
        for entry in entries:
            entity = Entity(
                id=entry["id"],
                kind=entry["kind"],
                label_zh=entry["label_zh"],
                label_en=entry.get("label_en"),
                aliases=tuple(entry.get("aliases", ())),
                type=entry.get("type"),
                parent=entry.get("parent"),
            )
            self.entities[entity.id] = entity
            for name in (entity.label_zh, entity.label_en, *entity.aliases):
                if name:
                    self.by_name.setdefault(name, entity.id)
        self._folded: dict[str, str] = {}
        for name, entity_id in self.by_name.items():
            self._folded.setdefault(name_key(name), entity_id)

    @classmethod
    def load(cls) -> "Gazetteer":
        return cls(gazetteer_entries(), member_entries(), budget_head_entries())

    def member(self, name: str, entity_id: str) -> Entity:
        """The member entity named ``name`` (Chinese, as the reply header writes it), with the
        English name and aliases of ``ontology/members.jsonl`` where they are known."""
        known = self.members.get(name_key(name), {})
        return Entity(entity_id, "member", name, label_en=known.get("label_en"), aliases=tuple(known.get("aliases", ())))

    def find(self, name: str) -> Entity | None:
        """The entity with this label or alias, compared by :func:`~legco_kg.extractors.text.name_key`,
        or a Hong Kong body written with its place before it (香港衞生署, 香港特別行政區政府環境保護署)."""
        entity_id = self.by_name.get(name) or self._folded.get(name_key(name))
        if entity_id is None:
            place = next((p for p in HONG_KONG_PREFIXES if name.startswith(p) and len(name) > len(p) + 1), None)
            if place:
                entity_id = self._folded.get(name_key(name[len(place) :]))
                if entity_id and self.entities[entity_id].kind not in ("institution", "bureau"):
                    entity_id = None
        return self.entities[entity_id] if entity_id else None


# How the text writes "Hong Kong's" before a body's own name, longest first.
HONG_KONG_PREFIXES = ("香港特別行政區政府", "香港特區政府", "特區政府", "香港")


@dataclass
class KnowledgeGraph:
    """Documents, entities and mentions, each mention resolved to one entity."""

    documents: list[Document]
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[tuple[Mention, str]] = field(default_factory=list)
    # Each amount with the id of the entity it is the amount of, or None.
    amounts: list[tuple[Amount, str | None]] = field(default_factory=list)

    @cached_property
    def facts(self):
        """The facts (:class:`legco_kg.graph.facts.Fact`), computed once for every projection."""
        from legco_kg.graph.facts import facts_of

        return facts_of(self)

    @cached_property
    def amount_facts(self):
        """One :class:`~legco_kg.graph.amount_facts.AmountFact` per (subject, value, currency, year,
        role), each with every mention stating it as evidence; in order of first mention."""
        from legco_kg.graph.amount_facts import amount_facts

        return amount_facts(self.amounts)

    @cached_property
    def amount_fact_of(self) -> dict[tuple[str, int, int], str]:
        """The fact id of each amount mention, by ``(document, start, end)``."""
        from legco_kg.graph.amount_facts import fact_of

        return fact_of(self.amount_facts)

    @cached_property
    def networkx(self):
        from legco_kg.graph.network import to_networkx

        return to_networkx(self)

    @cached_property
    def sentences(self):
        """The sentence around any span (:class:`legco_kg.extractors.names.SentenceFinder`), built once
        for the NetworkX graph, the RDF and the query index."""
        from legco_kg.extractors.names import SentenceFinder

        return SentenceFinder(self.documents)

    @cached_property
    def rdf(self):
        """The RDF triples collected in memory (:class:`legco_kg.graph.rdf.Triples`), for tests and
        analysis; the build's writers stream :func:`legco_kg.graph.rdf.plain_triples` instead."""
        from legco_kg.graph.rdf import to_rdf

        return to_rdf(self)


class Resolver:
    """Resolve mentions to entities, creating an entity the first time one is named."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.entities: dict[str, Entity] = {}
        self._aliases: dict[str, set[str]] = {}

    def resolve(self, mention: Mention) -> str:
        entity = self._entity_for(mention)
        if entity.id not in self.entities:
            self.entities[entity.id] = entity
            self._aliases[entity.id] = set(entity.aliases)
        self._aliases[entity.id].add(mention.name)
        return entity.id

    def _entity_for(self, mention: Mention) -> Entity:
        if mention.key in self.gazetteer.entities:
            return self.gazetteer.entities[mention.key]
        # A named mention's key is the name it stands for (an abbreviation's full form); a
        # header bureau's key is its head code, which names nothing.
        keyed = mention.key and Kind(mention.kind).named and not mention.key.isdigit()
        name = mention.key if keyed else mention.name
        known = self.gazetteer.find(name)
        if known is not None:
            return known
        kind, text = mention.kind, name
        if kind == "programme" and mention.key:
            head, code = mention.key.split("-", 1)
            label = re.sub(r"^\([^)]*\)", "", text)
            known = self.gazetteer.programmes.get((head, code), {})
            return Entity(f"programme-{head}-{slug(code)}", kind, label, label_en=known.get("label_en"),
                          aliases=tuple(known.get("aliases", ())), notation=f"{head}-({code})")
        if kind == "bureau":
            return Entity(f"{kind}-{short_hash(bureau_name(text))}", kind, bureau_name(text))
        if Kind(kind).named:
            label = text.strip("「」")
            return Entity(f"zh-{short_hash(fold_name(label))}", kind, label)
        if kind == "member":
            return self.gazetteer.member(text, f"{kind}-{short_hash(text)}")
        return Entity(f"{kind}-{short_hash(text)}", kind, text)

    def finished(self) -> dict[str, Entity]:
        """The entities, each with every variant it was written in among its aliases — but a
        generic short form (基金, 計劃, 該計劃) that names it in one reply is not an alias of it
        everywhere: it stays in that reply's mentions only."""
        from legco_kg.extractors.names import is_generic

        result = {}
        for entity_id in sorted(self.entities):
            entity = self.entities[entity_id]
            names = {entity.label_zh, entity.label_en}
            shipped = set(entity.aliases)
            aliases = tuple(sorted(
                a for a in self._aliases[entity_id] if a not in names and (a in shipped or not is_generic(a))
            ))
            result[entity_id] = Entity(**{**entity.__dict__, "aliases": aliases})
        return result


def build_graph(
    documents: list[Document], mentions: Iterable[Mention], gazetteer: Gazetteer | None = None,
    amounts: Iterable[Amount] = (),
) -> KnowledgeGraph:
    """Resolve ``mentions`` (overlaps removed), attach ``amounts`` to them, assemble the graph."""
    from legco_kg.extractors import EXTRACTORS, PROPOSERS
    from legco_kg.graph.subjects import attach

    resolver = Resolver(gazetteer or Gazetteer.load())
    selected = without_overlaps(mentions, list(EXTRACTORS), PROPOSERS)
    resolved = [(mention, resolver.resolve(mention)) for mention in selected]
    resolved.sort(key=lambda item: (item[0].doc_id, item[0].start, item[0].end, item[1]))
    entities = resolver.finished()
    kinds = {entity_id: entity.kind for entity_id, entity in entities.items()}
    attached = attach(amounts, resolved, kinds, {doc.doc_id: doc.reading_text for doc in documents})
    attached.sort(key=lambda item: (item[0].doc_id, item[0].start, item[0].end))
    return KnowledgeGraph(documents, entities, resolved, attached)
