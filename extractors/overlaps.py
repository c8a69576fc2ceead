"""Overlap removal: where the extractors' mentions overlap, which one stands.

It lives with the extractors (not in ``graph/``) because the NER's training uses it too, and the
extractors depend on nothing in ``graph/``.
"""
from __future__ import annotations

from typing import Iterable

from legco_kg.extractors.model import Mention


def without_overlaps(mentions: Iterable[Mention], precedence: list[str], proposers: Iterable[str] = ()) -> list[Mention]:
    """Where mentions overlap, keep the longest, then the one whose extractor comes first.

    Mentions of a ``proposers`` extractor come after all others, whatever their length.
    """
    tier = frozenset(proposers)
    rank = {name: i for i, name in enumerate(precedence)}
    mentions = list(mentions)
    size: dict[str, int] = {}
    for mention in mentions:
        size[mention.doc_id] = max(size.get(mention.doc_id, 0), mention.end)
    taken = {doc_id: bytearray(length) for doc_id, length in size.items()}
    kept: list[Mention] = []
    def order(m: Mention):
        return (m.doc_id, m.extractor in tier, -(m.end - m.start), rank.get(m.extractor, len(rank)), m.start)

    for mention in sorted(mentions, key=order):
        used = taken[mention.doc_id]
        if used.find(1, mention.start, mention.end) != -1:
            continue
        used[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        kept.append(mention)
    return kept
