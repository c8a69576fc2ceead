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
    for doc in kg.documents:
        doc_node = document_node(doc.doc_id)
        graph.add_node(doc_node, kind="document", label_zh=doc.title, label_en=None, source=doc.source)
        for reply in doc.replies:
            node = reply_node(doc.doc_id, reply.reply)
            graph.add_node(
                node, kind="reply", label_zh=reply.reply, label_en=None,
                question=reply.question, start=reply.start, end=reply.end,
            )
            graph.add_edge(node, doc_node, key="partOf", relation="partOf")
    for entity in kg.entities.values():
        graph.add_node(
            entity.id, kind=entity.kind.value, label_zh=entity.label_zh, label_en=entity.label_en,
            aliases=list(entity.aliases),
        )
        if entity.parent and entity.parent in kg.entities:
            graph.add_edge(entity.id, entity.parent, key="subOrganizationOf", relation="subOrganizationOf")

    in_text: dict[str, list[Mention]] = {}
    for fact in kg.facts:
        if fact.relation is Relation.MENTIONS:
            in_text.setdefault(fact.object, []).extend(m for m in fact.evidence if m.section)
    finder = kg.sentences
    for entity_id, found in in_text.items():
        if not found:
            continue
        found.sort(key=lambda m: (m.doc_id, m.start, m.end))
        node = graph.nodes[entity_id]
        node["replies"] = sorted({m.reply or m.doc_id for m in found})
        for mention in found:
            sentence = finder.find(mention.doc_id, mention.start, mention.end)
            if sentence:
                node["evidence"] = f"{mention.reply or mention.doc_id}: {sentence}"
                break

    for fact in kg.facts:
        spans = [(m.start, m.end) for m in fact.evidence]
        edge = fact.relation.edge
        graph.add_edge(fact.subject, fact.object, key=edge, relation=edge, count=len(spans), spans=spans)
    for amount, subject in kg.amounts:
        node = f"amount:{amount.doc_id}/{amount.start}-{amount.end}"
        graph.add_node(
            node, kind="amount", label_zh=amount.text, label_en=None, value=str(amount.value),
            currency=amount.currency, qualifier=amount.qualifier, per_unit=amount.per_unit,
            start=amount.start, end=amount.end,
        )
        source = reply_node(amount.doc_id, amount.reply) if amount.reply else document_node(amount.doc_id)
        graph.add_edge(source, node, key="statesAmount", relation="statesAmount")
        if subject:
            graph.add_edge(node, subject, key="amountOf", relation="amountOf")
    return graph
