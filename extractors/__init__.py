"""Extractors: each a function ``(Document) -> Iterable[Mention]``, listed in one registry.

Parsing a source file into a :class:`~legco_kg.extractors.model.Document` is :func:`parse_document`;
the registry below then finds the mentions in it.

The registry is built on first use (PEP 562 ``__getattr__``), so importing a light module of
this package (``legco_kg.extractors.text``, which ``query`` uses to compare names) does not
load the extractors, the ontology or rdflib.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from legco_kg.extractors.model import Document, Mention

Extractor = Callable[["Document"], Iterable["Mention"]]


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, Extractor], frozenset[str]]:
    from legco_kg.extractors.headers import NAME as _HEADERS, header_mentions
    from legco_kg.extractors.names import (
        ABBREVIATIONS, GAZETTEER, NAME_RULES, abbreviation_mentions, gazetteer_mentions, rule_mentions,
    )
    from legco_kg.extractors.ner import NER, ner_mentions

    # In order of precedence: where two mentions overlap, the longer wins, then the earlier here.
    extractors: dict[str, Extractor] = {
        _HEADERS: header_mentions,
        GAZETTEER: gazetteer_mentions,
        ABBREVIATIONS: abbreviation_mentions,
        NAME_RULES: rule_mentions,
        NER: ner_mentions,
    }
    # Extractors that only propose: their mentions fill the gaps the others leave and never
    # override one of them, however long.
    proposers = frozenset({NER})
    return extractors, proposers


def __getattr__(name: str):
    if name == "EXTRACTORS":
        return _registry()[0]
    if name == "PROPOSERS":
        return _registry()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(name: str) -> Extractor:
    extractors = _registry()[0]
    try:
        return extractors[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; valid: {', '.join(extractors)}") from None


def extract(doc: "Document", skip: Iterable[str] = ()) -> Iterator["Mention"]:
    """All mentions the registered extractors (but those named in ``skip``) find in ``doc``."""
    extractors = _registry()[0]
    skipped = set(skip)
    for name in skipped - set(extractors):
        get(name)  # raises, listing the valid names
    for name, extractor in extractors.items():
        if name not in skipped:
            yield from extractor(doc)
