"""The NetworkX view of the knowledge graph (analysis, GraphML, the HTML explorer)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


# What a fact from a reply's header block says about the reply.
HEADER_RELATIONS = {"member": "askedBy", "bureau": "underHead", "programme": "underProgramme", "officer": "answeredBy"}


def reply_node(doc_id: str, reply: str) -> str:
    return f"reply:{doc_id}/{reply}"


def to_networkx(kg: "KnowledgeGraph") -> nx.MultiDiGraph:
    """Nodes: documents, replies and entities; edges: ``partOf``, ``asked``, ``mentions`` ...

    Node attributes: ``kind``, ``label_zh``, ``label_en``; entities also ``replies`` (the replies
    and papers whose text names them) and ``evidence`` (one source sentence); mention edges carry
    ``count`` and the ``spans`` (start, end) they were found at.
    """
    graph = nx.MultiDiGraph()
    for doc in kg.documents:
        doc_node = f"doc:{doc.doc_id}"
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
            entity.id, kind=entity.kind, label_zh=entity.label_zh, label_en=entity.label_en,
            aliases=list(entity.aliases),
        )
        if entity.parent and entity.parent in kg.entities:
            graph.add_edge(entity.id, entity.parent, key="subOrganizationOf", relation="subOrganizationOf")

    finder = kg.sentences
    seen_in: dict[str, set[str]] = {}
    for mention, entity_id in kg.mentions:
        if mention.section is None:
            continue
        where = mention.reply or mention.doc_id
        seen_in.setdefault(entity_id, set()).add(where)
        node = graph.nodes[entity_id]
        if "evidence" not in node:
            sentence = finder.find(mention.doc_id, mention.start, mention.end)
            if sentence:
                node["evidence"] = f"{where}: {sentence}"
    for entity_id, places in seen_in.items():
        graph.nodes[entity_id]["replies"] = sorted(places)

    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for mention, entity_id in kg.mentions:
        source = reply_node(mention.doc_id, mention.reply) if mention.reply else f"doc:{mention.doc_id}"
        relation = HEADER_RELATIONS.get(mention.kind, "mentions") if mention.section is None and mention.reply else "mentions"
        spans.setdefault((source, entity_id, relation), []).append((mention.start, mention.end))
    for (source, entity_id, relation), found in spans.items():
        graph.add_edge(source, entity_id, key=relation, relation=relation, count=len(found), spans=found)
    for amount, subject in kg.amounts:
        node = f"amount:{amount.doc_id}/{amount.start}-{amount.end}"
        graph.add_node(
            node, kind="amount", label_zh=amount.text, label_en=None, value=str(amount.value),
            currency=amount.currency, qualifier=amount.qualifier, per_unit=amount.per_unit,
            start=amount.start, end=amount.end,
        )
        source = reply_node(amount.doc_id, amount.reply) if amount.reply else f"doc:{amount.doc_id}"
        graph.add_edge(source, node, key="statesAmount", relation="statesAmount")
        if subject:
            graph.add_edge(node, subject, key="amountOf", relation="amountOf")
    return graph
