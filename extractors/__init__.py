"""Extractors: each a function ``(Document) -> Iterable[Mention]``, listed in one registry.

Parsing a source file into a :class:`~legco_kg.extractors.model.Document` is :func:`parse_document`;
the registry below then finds the mentions in it.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from legco_kg.extractors.headers import NAME as _HEADERS, header_mentions
from legco_kg.extractors.model import Document, Mention
from legco_kg.extractors.names import (
    ABBREVIATIONS, GAZETTEER, NAME_RULES, abbreviation_mentions, gazetteer_mentions, rule_mentions,
)
from legco_kg.extractors.ner import NER, ner_mentions
from legco_kg.extractors.parse import in_original

Extractor = Callable[[Document], Iterable[Mention]]

# In order of precedence: where two mentions overlap, the longer wins, then the earlier here.
EXTRACTORS: dict[str, Extractor] = {
    _HEADERS: header_mentions,
    GAZETTEER: gazetteer_mentions,
    ABBREVIATIONS: abbreviation_mentions,
    NAME_RULES: rule_mentions,
    NER: ner_mentions,
}
# Extractors that only propose: their mentions fill the gaps the others leave and never
# override one of them, however long.
PROPOSERS = frozenset({NER})


def get(name: str) -> Extractor:
    try:
        return EXTRACTORS[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; valid: {', '.join(EXTRACTORS)}") from None


def extract(doc: Document, skip: Iterable[str] = ()) -> Iterator[Mention]:
    """All mentions the registered extractors (but those named in ``skip``) find in ``doc``
    (in a Simplified document, with the original text: :func:`~legco_kg.extractors.parse.in_original`)."""
    skipped = set(skip)
    for name in skipped - set(EXTRACTORS):
        get(name)  # raises, listing the valid names
    for name, extractor in EXTRACTORS.items():
        if name not in skipped:
            yield from in_original(doc, extractor(doc))
