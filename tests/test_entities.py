"""Curated entities: the candidates report, per-reply short forms, user gazetteers, linear cost."""
import time
from pathlib import Path

import pytest

from legco_kg.extractors.names import abbreviation_mentions
from legco_kg.extractors.papers import parse_paper
from legco_kg.extractors.reading import SourceText


def paper(text: str):
    return parse_paper(SourceText(Path("case.txt"), text, "utf-8"))


def test_short_forms_cost_is_linear_in_the_paragraphs():
    paragraph = "創新科技署(創科署)表示，創科署會與數碼港跟進「新型工業加速計劃」(「加速計劃」)。\n\n"
    small, large = paper(paragraph * 300), paper(paragraph * 3000)
    timings = []
    for doc in (small, large):
        started = time.perf_counter()
        found = list(abbreviation_mentions(doc))
        timings.append(time.perf_counter() - started)
        assert len(found) == 3 * len(doc.paragraphs)  # 創科署 twice and 加速計劃 in every paragraph
    # Ten times the text: linear cost is ~10x; paragraphs x mentions was ~100x.
    assert timings[1] < 30 * max(timings[0], 0.005)
