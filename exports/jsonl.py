"""JSON Lines: the public, documented record format (see README, "JSON Lines")."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph


def records(kg: "KnowledgeGraph") -> Iterator[dict]:
    """Documents, replies, entities, mentions, amounts, then amount facts, each in a stable order."""
    for doc in kg.documents:
        yield {"record": "document", "id": doc.doc_id, "source": doc.source, "kind": doc.kind, "title": doc.title}
    for doc in kg.documents:
        for reply in doc.replies:
            yield {
                "record": "reply",
                "reply": reply.reply,
                "question": reply.question,
                "member": reply.member,
                "member_ref": reply.member_ref,
                "head": reply.head,
                "head_name": reply.head_name,
                "subhead": reply.subhead,
                "programmes": list(reply.programmes),
                "controlling_officer": reply.controlling_officer,
                "document": doc.doc_id,
                "start": reply.start,
                "end": reply.end,
            }
    for entity in kg.entities.values():
        record = {
            "record": "entity",
            "id": entity.id,
            "kind": entity.kind,
            "label_zh": entity.label_zh,
            "label_en": entity.label_en,
            "aliases": list(entity.aliases),
        }
        if entity.type:
            record["type"] = entity.type
        if entity.parent:
            record["parent"] = entity.parent
        yield record
    evidence = ((mention, fact.object) for fact in kg.facts for mention in fact.evidence)
    for mention, entity_id in sorted(evidence, key=lambda item: (item[0].doc_id, item[0].start, item[0].end, item[1])):
        yield {
            "record": "mention",
            "entity": entity_id,
            "document": mention.doc_id,
            "reply": mention.reply,
            "section": mention.section,
            "text": mention.text,
            "start": mention.start,
            "end": mention.end,
            "extractor": mention.extractor,
        }
    fact_of = kg.amount_fact_of
    for amount, subject in kg.amounts:
        yield {
            "record": "amount",
            "document": amount.doc_id,
            "reply": amount.reply,
            "section": amount.section,
            "text": amount.text,
            "value": json_number(amount.value),
            "currency": amount.currency,
            "qualifier": amount.qualifier,
            "per_unit": amount.per_unit,
            "year": amount.year,
            "role": amount.role,
            "row": amount.row,
            "subject": subject,
            "fact": fact_of[amount.doc_id, amount.start, amount.end],
            "start": amount.start,
            "end": amount.end,
            "extractor": amount.extractor,
        }
    for fact in kg.amount_facts:
        yield {
            "record": "amount_fact",
            "id": fact.id,
            "subject": fact.subject,
            "value": json_number(fact.value),
            "currency": fact.currency,
            "year": fact.year,
            "role": fact.role,
            "per_unit": fact.per_unit,
            "replies": [{"document": document, "reply": reply} for document, reply in fact.replies],
            "mentions": [{"document": a.doc_id, "start": a.start, "end": a.end, "text": a.text} for a in fact.evidence],
        }


def json_number(value: Decimal) -> int | float:
    """An integral amount as an exact integer; a fractional one (rare: 元 and 仙) as a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    """The file in pieces of :data:`LINES_PER_PIECE` records, written as they are made."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines: list[str] = []
    for record in records(kg):
        lines.append(encode(record))
        if len(lines) == LINES_PER_PIECE:
            lines.append("")
            yield "\n".join(lines).encode("utf-8")
            lines = []
    if lines:
        lines.append("")
        yield "\n".join(lines).encode("utf-8")


LINES_PER_PIECE = 4_096
