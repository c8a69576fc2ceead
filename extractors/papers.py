"""Policy papers, press releases and fact sheets: a title and paragraphs."""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from legco_kg.extractors.model import PAPER, Document
from legco_kg.extractors.reading import SourceText
from legco_kg.extractors.text import Text, clean_lines

_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")
_MARKUP = re.compile(r"^[#>*\s]+|[*\s]+$")
_HEADING = re.compile(r"^#{1,6}[^#\s]")
_TITLE_END = re.compile(r"[：。]")
_REPEATS_AS_HEADER = 3  # a short line seen this often is a running page header


def paragraphs(lines: Sequence[Text]) -> Iterable[Text]:
    """Join wrapped lines into paragraphs (see :meth:`Text.join`), one Text each."""
    joined = Text.join(lines)
    start = 0
    for end in [i for i, char in enumerate(joined.text) if char == "\n"] + [len(joined)]:
        paragraph = joined[start:end].strip()
        if paragraph.text:
            yield paragraph
        start = end + 1


def _without_running_headers(lines: list[Text]) -> list[Text]:
    counts: dict[str, int] = {}
    for line in lines:
        if len(line.text) <= 40:
            counts[line.text] = counts.get(line.text, 0) + 1
    repeated = {text for text, count in counts.items() if count >= _REPEATS_AS_HEADER and not _is_content(text)}
    return [line for line in lines if line.text not in repeated]


def _is_content(text: str) -> bool:
    # Table cells and bullets repeat legitimately ("-", "項目", "10億元"): only lines with
    # running text are candidates for page headers.
    return len(text) < 6 or any(char.isdigit() for char in text[:3])


def title_of(lines: Sequence[Text]) -> str:
    """The first heading, else the first line that is not a date."""
    for line in lines:
        if _HEADING.match(line.text):
            return _MARKUP.sub("", line.text)
    for line in lines:
        text = _MARKUP.sub("", line.text)
        if text and not _DATE.match(text) and len(text) > 3:
            if len(text) > 60:  # running text: its opening clause names the subject
                text = _TITLE_END.split(text, maxsplit=1)[0][:60]
            return text.rstrip("：")
    return ""


def heading_apart(lines: Sequence[Text], original: str) -> bool:
    """Whether the first line is a heading of its own: short, and a blank line follows it.

    A headline ("科學園迎來三家新租戶") has no sentence punctuation, so it would otherwise be
    joined to the paragraph under it and run into its first name.
    """
    first = lines[0].text if lines else ""
    if len(lines) < 2 or not first or len(first) > _HEADING_LENGTH:
        return False
    if any(first.count(open_) != first.count(close) for open_, close in _PAIRS):
        return False  # a name or a bracket wrapped over the blank line of a PDF page
    between = original[lines[0].offsets[-1] + 1 : lines[1].offsets[0]]
    return between.count("\n") >= 2 and not between.strip()


_HEADING_LENGTH = 40
_PAIRS = ("「」", "『』", "()", "《》")


def parse_paper(source: SourceText, lines: list[Text] | None = None) -> Document:
    lines = list(clean_lines(source.text)) if lines is None else lines
    lines = _without_running_headers(lines)
    if heading_apart(lines, source.text):
        body = (lines[0], *paragraphs(lines[1:]))
    else:
        body = tuple(paragraphs(lines))
    return Document(
        doc_id=source.doc_id,
        source=source.path.name,
        kind=PAPER,
        title=title_of(lines),
        text=source.text,
        encoding=source.encoding,
        paragraphs=body,
    )
