"""Turn a source file into a parsed :class:`Document` of the layout it has.

A document in Simplified Chinese (told by its characters, :func:`~legco_kg.extractors.text.script_of`)
is read as Traditional: every extractor sees Traditional text whose offsets still index the
original file text, and :func:`in_original` gives each finding the original form of its span.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

from legco_kg.errors import LayoutError
from legco_kg.extractors.estimates import looks_like_estimates, missing_parts, parse_estimates
from legco_kg.extractors.model import Document, Mention
from legco_kg.extractors.papers import parse_paper
from legco_kg.extractors.reading import read_source
from legco_kg.extractors.text import SIMPLIFIED, Spellings, Text, aligned_view, clean_lines, clean_lines_of, script_of


def parse_document(path: Path, data: bytes | None = None) -> Document:
    """Read (unless its bytes are given as ``data``) and parse ``path``; raise
    :class:`~legco_kg.errors.InputError` for bad input."""
    source = read_source(path, data)
    script = script_of(source.text)
    lines = list(clean_lines_of(source.text, script, known_spellings() if script == SIMPLIFIED else None))
    if looks_like_estimates(lines):
        doc = parse_estimates(source, lines)
    else:
        missing = missing_parts(lines)
        if missing:
            raise LayoutError(
                source.path.name,
                f"opens with an estimates index table but has no {', '.join(missing)}: cut inside its index table?",
            )
        doc = parse_paper(source, lines)
    if script == SIMPLIFIED:
        doc = dataclasses.replace(doc, script=script, reading=aligned_view(source.text, lines))
    return doc


def known_spellings() -> Spellings:
    """The gazetteer's names (labels and aliases) and the name rules' words (heads, generic and
    rejected words), found by their Simplified form."""
    from legco_kg.ontology import gazetteers_version

    return _spellings(gazetteers_version())


@lru_cache(maxsize=2)
def _spellings(version: tuple) -> Spellings:
    from legco_kg.extractors.names import name_rules
    from legco_kg.ontology import gazetteer_entries

    rules = name_rules()
    words = [*rules["heads"], *rules["generic_words"], *rules["rejected"], *rules["rejected_fragments"]]
    names = [name for entry in gazetteer_entries() for name in (entry["label_zh"], *(entry.get("aliases") or ()))]
    return Spellings([*names, *words])


Found = TypeVar("Found")


def original_form(doc: Document, start: int, end: int) -> str:
    """The clean form of ``doc.text[start:end]`` as written (PDF spaces removed, lines joined)."""
    return Text.join(list(clean_lines(doc.text[start:end]))).text.replace("\n", "")


def in_original(doc: Document, found: Iterable[Found]) -> Iterator[Found]:
    """Mentions or amounts of ``doc`` with ``text`` as the original writes it.

    In a Simplified document the extractors read Traditional text: each finding's ``text``
    becomes its original span's form, and a mention keeps the Traditional form as ``label``
    (what it resolves by).  Other documents' findings pass unchanged.
    """
    if doc.script != SIMPLIFIED:
        yield from found
        return
    for item in found:
        text = original_form(doc, item.start, item.end)
        if isinstance(item, Mention):
            yield dataclasses.replace(item, text=text, label=item.name)
        else:
            yield dataclasses.replace(item, text=text)
