"""``index.json``: what ``legco-kg query``, ``show`` and ``stats`` read, written at build time.

Queries answer in well under a second because they read this one compact file — no spaCy, no
Turtle parsing.  It holds the entities, the replies' header facts, every mention as
``[entity, document, reply, section, sentence]`` and every amount, and the source sentences
they point at (clean text, for evidence).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

from legco_kg.folder import INDEX_FORMAT as FORMAT
def build_index(kg: "KnowledgeGraph") -> dict:
    from legco_kg.extractors.names import SENTENCE

    sentences: list[str] = []
    sentence_ids: dict[str, int] = {}
    finder = kg.sentences

    def sentence_of(doc_id: str, start: int, end: int) -> int | None:
        text = finder.find(doc_id, start, end)
        if text is None:
            return None
        if text not in sentence_ids:
            sentence_ids[text] = len(sentences)
            sentences.append(text)
        return sentence_ids[text]

    replies = {}
    for doc in kg.documents:
        for reply in doc.replies:
            asked = SENTENCE.search(reply.question_text.text)
            replies[reply.reply] = {
                "document": doc.doc_id, "member": reply.member, "head": reply.head, "head_name": reply.head_name,
                "question": reply.question, "programmes": list(reply.programmes),
                "asks": asked.group().strip() if asked else "",
            }
    mentions = []
    for mention, entity_id in kg.mentions:
        sentence = sentence_of(mention.doc_id, mention.start, mention.end) if mention.section else None
        mentions.append([entity_id, mention.doc_id, mention.reply, mention.section, sentence])
    amounts = []
    for amount, subject in kg.amounts:
        sentence = sentence_of(amount.doc_id, amount.start, amount.end)
        amounts.append([amount.doc_id, amount.reply, amount.text, str(amount.value), amount.currency,
                        amount.qualifier, amount.per_unit, subject, sentence])
    entities = {
        entity.id: {
            "kind": entity.kind, "label_zh": entity.label_zh, "label_en": entity.label_en,
            "aliases": list(entity.aliases), "type": entity.type, "parent": entity.parent,
        }
        for entity in kg.entities.values()
    }
    documents = {doc.doc_id: {"title": doc.title, "kind": doc.kind} for doc in kg.documents}
    return {
        "format": FORMAT, "documents": documents, "entities": entities, "replies": replies,
        "mentions": mentions, "amounts": amounts, "sentences": sentences,
    }


def render(kg: "KnowledgeGraph") -> bytes:
    return json.dumps(build_index(kg), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
