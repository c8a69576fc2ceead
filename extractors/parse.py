"""Turn a source file into a parsed :class:`Document` of the layout it has."""
from __future__ import annotations

from pathlib import Path

from legco_kg.errors import LayoutError
from legco_kg.extractors.estimates import looks_like_estimates, missing_parts, parse_estimates
from legco_kg.extractors.model import Document
from legco_kg.extractors.papers import parse_paper
from legco_kg.extractors.reading import read_source
from legco_kg.extractors.text import clean_lines


def parse_document(path: Path) -> Document:
    """Read and parse ``path``; raise :class:`~legco_kg.errors.InputError` for bad input."""
    source = read_source(path)
    lines = list(clean_lines(source.text))
    if looks_like_estimates(lines):
        return parse_estimates(source, lines)
    missing = missing_parts(lines)
    if missing:
        raise LayoutError(
            source.path.name, f"opens with an estimates index table but has no {', '.join(missing)}: cut inside its index table?"
        )
    return parse_paper(source, lines)
