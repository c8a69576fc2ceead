"""The fact model: what the graph says, computed once from the resolved mentions.

A :class:`Fact` is ``(subject, relation, object, evidence)``: its subject and object are node ids
(an entity id, a reply ``reply:<document>/<number>`` or a paper ``doc:<document>``), its
relation a :class:`Relation`, and its evidence every mention (span of the original text) that
states it. NetworkX, RDF, JSON Lines, the query index and the explorer are projections of the
same facts (``graph/network.py``, ``graph/rdf.py``, ``exports/``): none of them decides again
what a mention means.

>>> Relation.ASKED_BY.edge, Relation.ASKED_BY.rdf_local
('askedBy', 'asked')
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Iterable

from legco_kg.extractors.model import Kind, Mention

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


class Relation(Enum):
    """A relation between two nodes, with its NetworkX edge name and its RDF term.

    ``rdf_local`` is the local name of the term in the project's vocabulary (``lkg:``); how its
    triple is shaped — the member asks the reply's *question*, the head funds the bureau — is
    :func:`legco_kg.graph.rdf.own_triples`'s to say, from the relation alone.
    """

    MENTIONS = ("mentions", "mentions")  # a reply's question or answer, or a paper, names an entity
    ASKED_BY = ("askedBy", "asked")  # a reply answers a question the member asked
    UNDER_HEAD = ("underHead", "fundsBureau")  # a reply's head is the bureau's budget head
    UNDER_PROGRAMME = ("underProgramme", "underProgramme")
    ANSWERED_BY = ("answeredBy", "answeredBy")  # the reply's controlling officer

    def __init__(self, edge: str, rdf_local: str) -> None:
        self.edge = edge
        self.rdf_local = rdf_local

    @property
    def rdf_term(self):
        """The RDF predicate (imports rdflib: only projections that write RDF ask for it)."""
        from legco_kg.ontology import LKG

        return LKG[self.rdf_local]


# What a fact from a reply's header block says about the reply, by the kind of its entity.
HEADER_RELATIONS = {
    Kind.MEMBER: Relation.ASKED_BY,
    Kind.BUREAU: Relation.UNDER_HEAD,
    Kind.PROGRAMME: Relation.UNDER_PROGRAMME,
    Kind.OFFICER: Relation.ANSWERED_BY,
}


def reply_node(doc_id: str, reply: str) -> str:
    """The node id of a reply."""
    return f"reply:{doc_id}/{reply}"


def document_node(doc_id: str) -> str:
    """The node id of a document."""
    return f"doc:{doc_id}"


@dataclass(frozen=True)
class Fact:
    """``subject`` —``relation``→ ``object``, stated by every mention in ``evidence``."""

    subject: str
    relation: Relation
    object: str
    evidence: tuple[Mention, ...]

    @property
    def in_header(self) -> bool:
        """Whether the fact comes from a reply's header block (member, head, programme, officer)."""
        return self.relation is not Relation.MENTIONS


def relation_of(mention: Mention) -> Relation:
    """What a mention states: a header fact by its kind, else that its text names the entity."""
    if mention.reply and mention.section is None:
        return HEADER_RELATIONS.get(Kind(mention.kind), Relation.MENTIONS)
    return Relation.MENTIONS


def source_node(mention: Mention) -> str:
    """The reply (or, in a paper, the document) a mention belongs to."""
    return reply_node(mention.doc_id, mention.reply) if mention.reply else document_node(mention.doc_id)


def derive_facts(mentions: Iterable[tuple[Mention, str]]) -> list[Fact]:
    """One fact per (subject, relation, object), in the order it is first stated.

    ``mentions`` are (mention, entity id) pairs in document order; each becomes evidence of the
    fact it states.
    """
    evidence: dict[tuple[str, Relation, str], list[Mention]] = {}
    for mention, entity_id in mentions:
        evidence.setdefault((source_node(mention), relation_of(mention), entity_id), []).append(mention)
    return [Fact(subject, relation, object_, tuple(found)) for (subject, relation, object_), found in evidence.items()]


def facts_of(kg: "KnowledgeGraph") -> list[Fact]:
    """The facts of a knowledge graph (see :attr:`KnowledgeGraph.facts`, which caches them)."""
    return derive_facts(kg.mentions)
