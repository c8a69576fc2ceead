"""Extractors: each a function ``(Document) -> Iterable[Mention | Amount]``, listed in one registry.

Parsing a source file into a :class:`~legco_kg.extractors.model.Document` is
:func:`~legco_kg.extractors.parse.parse_document`; the registry below then finds the mentions and
amounts in it. Modules are imported only when their extractor runs, so importing
``legco_kg.extractors.text`` (the name normaliser) costs nothing heavy.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from legco_kg.registry import Registry

# In order of precedence: where two mentions overlap, the longer wins, then the earlier here.
EXTRACTORS = Registry("extractor", {
    "estimates-header": "legco_kg.extractors.headers:header_mentions",
    "gazetteer": "legco_kg.extractors.names:gazetteer_mentions",
    "abbreviations": "legco_kg.extractors.names:abbreviation_mentions",
    "name-rules": "legco_kg.extractors.names:rule_mentions",
    "ner": "legco_kg.extractors.ner:ner_mentions",
    "amounts": "legco_kg.extractors.amounts:amounts",
})
# Extractors that only propose: their mentions fill the gaps the others leave and never
# override one of them, however long.
PROPOSERS = frozenset({"ner"})


def get(name: str):
    """The extractor called ``name``; :class:`~legco_kg.registry.UnknownName` lists the valid ones."""
    return EXTRACTORS.get(name)


def run(name: str, doc) -> Iterator:
    """What the extractor called ``name`` finds in ``doc``, with the text as the original writes
    it (a Simplified document is read as Traditional: :func:`~legco_kg.extractors.parse.in_original`)."""
    from legco_kg.extractors.parse import in_original

    return in_original(doc, EXTRACTORS.get(name)(doc))


def extract(doc, skip: Iterable[str] = ()) -> Iterator:
    """All mentions and amounts the registered extractors (but those named in ``skip``) find in ``doc``."""
    skipped = {EXTRACTORS.check(name) for name in skip}
    for name in EXTRACTORS:
        if name not in skipped:
            yield from run(name, doc)
