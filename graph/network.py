"""The NetworkX view of the knowledge graph (analysis, GraphML); the explorer draws the entity
graph of :mod:`legco_kg.graph.entity_graph` instead."""
from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from legco_kg.extractors.model import Mention
from legco_kg.graph.facts import Relation, document_node, reply_node

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


def to_networkx(kg: "KnowledgeGraph") -> nx.MultiDiGraph:
    """Nodes: documents, replies and entities; edges: ``partOf``, the facts, ``amountOf`` ...

    A projection of :attr:`KnowledgeGraph.facts`: each fact is one edge named by its relation
    (``mentions``, ``askedBy``, ``underHead`` ...), carrying ``count`` and the ``spans`` (start,
    end) of its evidence. Node attributes: ``kind``, ``label_zh``, ``label_en``; entities also
    ``replies`` (the replies and papers whose text names them) and ``evidence`` (one source
    sentence).
    """
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes(kg))
    graph.add_edges_from(edges(kg))
    return graph


def nodes(kg: "KnowledgeGraph", places: dict | None = None):
    """The graph's nodes as (id, attributes), one at a time (see :func:`to_networkx`);
    ``places`` is :func:`text_places` of ``kg`` if the caller has it already."""
    for doc in kg.documents:
        yield document_node(doc.doc_id), {"kind": "document", "label_zh": doc.title, "label_en": None, "source": doc.source}
        for reply in doc.replies:
            yield reply_node(doc.doc_id, reply.reply), {
                "kind": "reply", "label_zh": reply.reply, "label_en": None,
                "question": reply.question, "start": reply.start, "end": reply.end,
            }
    places = text_places(kg) if places is None else places
    for entity in kg.entities.values():
        data = {"kind": entity.kind.value, "label_zh": entity.label_zh, "label_en": entity.label_en,
                "aliases": list(entity.aliases)}
        data.update(places.get(entity.id, {}))
        yield entity.id, data
    for amount, _ in kg.amounts:
        yield _amount_node(amount), {
            "kind": "amount", "label_zh": amount.text, "label_en": None, "value": str(amount.value),
            "currency": amount.currency, "qualifier": amount.qualifier, "per_unit": amount.per_unit,
            "start": amount.start, "end": amount.end,
        }


def text_places(kg: "KnowledgeGraph") -> dict[str, dict]:
    """Entity id → ``replies`` (the replies and papers whose text names it) and ``evidence``
    (its first sentence), for the entities named in text."""
    in_text: dict[str, list[Mention]] = {}
    for fact in kg.facts:
        if fact.relation is Relation.MENTIONS:
            in_text.setdefault(fact.object, []).extend(m for m in fact.evidence if m.section)
    finder = kg.sentences
    out: dict[str, dict] = {}
    for entity_id, found in in_text.items():
        if not found:
            continue
        found.sort(key=lambda m: (m.doc_id, m.start, m.end))
        data = out[entity_id] = {"replies": sorted({m.reply or m.doc_id for m in found})}
        for mention in found:
            sentence = finder.find(mention.doc_id, mention.start, mention.end)
            if sentence:
                data["evidence"] = f"{mention.reply or mention.doc_id}: {sentence}"
                break
    return out


def edges(kg: "KnowledgeGraph"):
    """The graph's edges as (source, target, key, attributes), one at a time."""
    for doc in kg.documents:
        for reply in doc.replies:
            yield reply_node(doc.doc_id, reply.reply), document_node(doc.doc_id), "partOf", {"relation": "partOf"}
    for entity in kg.entities.values():
        if entity.parent and entity.parent in kg.entities:
            yield entity.id, entity.parent, "subOrganizationOf", {"relation": "subOrganizationOf"}
    for fact in kg.facts:
        spans = [(m.start, m.end) for m in fact.evidence]
        edge = fact.relation.edge
        yield fact.subject, fact.object, edge, {"relation": edge, "count": len(spans), "spans": spans}
    for amount, subject in kg.amounts:
        node = _amount_node(amount)
        source = reply_node(amount.doc_id, amount.reply) if amount.reply else document_node(amount.doc_id)
        yield source, node, "statesAmount", {"relation": "statesAmount"}
        if subject:
            yield node, subject, "amountOf", {"relation": "amountOf"}


def _amount_node(amount) -> str:
    return f"amount:{amount.doc_id}/{amount.start}-{amount.end}"
