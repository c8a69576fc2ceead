"""Clean PDF-extracted Chinese text while remembering where every character came from.

The source documents were extracted from PDFs: a space between most CJK characters, lines
wrapped inside sentences and names, page footers, numbers with a space as thousands
separator.  :class:`Text` is a cleaned string together with, for every character, its offset
in the original decoded file text, so any span of clean text maps back to the original.

Examples
--------
>>> line = clean_line("當 局 在 2025-26年 度 預 留 3 117萬 元", base=0)
>>> line.text
'當局在2025-26年度預留3117萬元'
>>> start, end = line.span(3, 12)
>>> "當 局 在 2025-26年 度 預 留 3 117萬 元"[start:end]
'2025-26年 度'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Sequence

# CJK sentence punctuation stays full-width (the official texts use it and it carries
# meaning for line joining); other compatibility forms are folded by NFKC.
# Vulgar fractions stay too: NFKC makes 1½ into "11⁄2", which reads as eleven halves.
_KEEP = frozenset("：，；！？½¼¾⅓⅔⅛⅜⅝⅞")
_EXTRA = {"\ufe30": "：", "\u2236": "："}  # vertical two-dot leader / ratio → colon
_FOLD_CACHE: dict[str, str] = {}

_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d.])")
_FOOTER = re.compile(r"^第\d+節[A-Z]+-第\d+頁$")
# Markdown emphasis and HTML footnote markers: dropped from the clean text.
_MARKUP = re.compile(r"\*\*|<sup>[^<>]{0,8}</sup>|</?(?:b|i|em|strong|sub|br)\s*/?>")

# A line starting like this begins a new item, so the line break before it is kept.
_ITEM_START = re.compile(
    r"^(?:\d{1,2}[.．)）、](?!\d)|[(（](?:\d{1,2}|[a-zA-Z]|[ivx]{1,4}|[一二三四五六七八九十]{1,2})[)）]"
    r"|[a-z][.)]\s|[-•*#>|]|[\ue000-\uf8ff]|第[一二三四五六七八九十\d]+[章節段條]"
    r"|[\u4e00-\u9fff]{2,7}[：:])"
)
_SENTENCE_END = frozenset("。；：？！;:?!")
# Characters that continue a number broken at a line end ("100" / "萬元").
_NUMBER_CONTINUATION = frozenset("萬億元千百%年月日個名宗間項倍")


def fold(char: str) -> str:
    """Unify full/half-width and compatibility forms of one character for matching."""
    folded = _FOLD_CACHE.get(char)
    if folded is None:
        if char in _KEEP:
            folded = char
        elif char in _EXTRA:
            folded = _EXTRA[char]
        else:
            folded = unicodedata.normalize("NFKC", char)
        _FOLD_CACHE[char] = folded
    return folded


def _is_ascii_word(char: str) -> bool:
    return "!" <= char <= "~"


@dataclass(frozen=True, slots=True)
class Text:
    """Clean text with the original offset of every character.

    ``offsets[i]`` is the index in the original text of the character that produced
    ``text[i]``.
    """

    text: str
    offsets: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def __getitem__(self, key: slice) -> "Text":
        if not isinstance(key, slice):
            raise TypeError("Text supports slicing only")
        return Text(self.text[key], self.offsets[key])

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Original ``(start, end)`` covering clean characters ``start:end``."""
        end = len(self.text) if end is None else end
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"empty or out-of-range span {start}:{end} of {len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def strip(self, chars: str | None = None) -> "Text":
        stripped = self.text.strip(chars)
        if not stripped:
            return Text("", ())
        start = self.text.index(stripped)
        return self[start : start + len(stripped)]

    @staticmethod
    def join(parts: Sequence["Text"]) -> "Text":
        """Join lines into running text: a line break stays only where the text breaks."""
        chars: list[str] = []
        offsets: list[int] = []
        previous: Text | None = None
        for part in parts:
            if not part.text:
                continue
            if previous is not None:
                separator = _separator(previous.text, part.text)
                if separator:
                    chars.append(separator)
                    offsets.append(previous.offsets[-1] + 1)
            chars.append(part.text)
            offsets.extend(part.offsets)
            previous = part
        return Text("".join(chars), tuple(offsets))


def _separator(before: str, after: str) -> str:
    last, first = before[-1], after[0]
    if last in _SENTENCE_END or _ITEM_START.match(after) or before[0] == "#":
        return "\n"
    if last.isdigit() and (first.isdigit() or first == "("):
        return "\n"  # a table row ends with a figure; the next row starts
    if last.isdigit() and not _is_ascii_word(first) and first not in _NUMBER_CONTINUATION:
        return "\n"
    if _is_ascii_word(last) and _is_ascii_word(first):
        return " "  # an English phrase wrapped over lines
    return ""


def clean_line(raw: str, base: int) -> Text:
    """Clean one line of original text that starts at offset ``base``.

    Spaces are dropped except between two printable ASCII characters ("GreenTech Hub",
    "119.7 86.0"); a space used as thousands separator is dropped too ("3 117" → "3117").
    Characters are folded with :func:`fold`.
    """
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = -1
    dropped = _dropped(raw)
    for index, char in enumerate(raw):
        if dropped and index in dropped:
            continue
        if char.isspace():
            if pending_space < 0:
                pending_space = base + index
            continue
        folded = fold(char)
        if not folded or folded.isspace():
            continue
        if pending_space >= 0 and chars and _is_ascii_word(chars[-1]) and _is_ascii_word(folded[0]):
            chars.append(" ")
            offsets.append(pending_space)
        pending_space = -1
        for piece in folded:
            chars.append(piece)
            offsets.append(base + index)
    text = "".join(chars)
    if " " in text:
        text, offsets = _join_thousands(text, offsets)
    return Text(text, tuple(offsets))


def _dropped(raw: str) -> set[int]:
    if "*" not in raw and "<" not in raw:
        return set()
    return {i for match in _MARKUP.finditer(raw) for i in range(match.start(), match.end())}


def _join_thousands(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    drop: set[int] = set()
    for match in _THOUSANDS.finditer(text):
        drop.update(i for i in range(match.start(), match.end()) if text[i] == " ")
    if not drop:
        return text, offsets
    keep = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in keep), [offsets[i] for i in keep]


def is_footer(line: Text) -> bool:
    """A page footer such as "第 1 9 節 IT IB - 第 6 頁"."""
    return bool(_FOOTER.match(line.text.replace(" ", "")))


def clean_lines(original: str) -> Iterator[Text]:
    """The non-empty cleaned lines of ``original``, page footers removed."""
    base = 0
    for raw in original.split("\n"):
        line = clean_line(raw, base)
        base += len(raw) + 1
        if line.text and not is_footer(line):
            yield line


_NAME_NOISE = str.maketrans("", "", " 「」『』《》")


def name_form(name: str) -> str:
    """The form names are compared in: NFKC, without spaces and 「」『』《》 quotes."""
    return unicodedata.normalize("NFKC", name).translate(_NAME_NOISE)


# How official English names vary in print: "R&D" / "Research and Development", "I&T" /
# "Innovation and Technology", "&" / "and", British and American spellings.  Whole words only.
_ENGLISH_VARIANTS = (
    (re.compile(r"\br\s*&\s*d\b"), " research and development "),
    (re.compile(r"\bi\s*&\s*t\b"), " innovation and technology "),
    (re.compile(r"&"), " and "),
    (re.compile(r"^the\s+"), ""),
    (re.compile(r"\bcentres?\b"), lambda m: "center" + m.group(0)[6:]),
    (re.compile(r"\bprogrammes?\b"), lambda m: "program" + m.group(0)[9:]),
    (re.compile(r"(?<=[a-z]{3})isation"), "ization"),
)
# Dropped from a lookup key: spaces, quotes, and the punctuation English names are written with
# or without ("Co-operation", "Wi-Fi.HK", "Financial Secretary's Office").  Kept: + and @, which
# tell names apart (智方便 / 智方便+, AIR@InnoHK).
_KEY_NOISE = re.compile(r"[\s「」『』《》\"'“”‘’`´.,\-‐‑‒–—―･・‧·]")


def name_key(name: str) -> str:
    """The key two names are compared on when a user or a text names an entity.

    :func:`name_form`, case-folded, with the variants of English names folded: "&" and "and",
    "R&D" and "Research and Development", "I&T" and "Innovation and Technology", "Centre" and
    "Center", "Programme" and "Program", "-isation" and "-ization", a leading "The", hyphens,
    dots, commas and apostrophes.  Chinese text only loses its spaces, quotes and dots.

    Parameters
    ----------
    name : str
        A name as written or typed.

    Returns
    -------
    str
        The lookup key; equal keys name the same thing.

    Examples
    --------
    >>> name_key("Co-operation") == name_key("Cooperation")
    True
    >>> name_key("Logistics and Supply Chain MultiTech R&D Centre") == name_key(
    ...     "logistics and supply chain multitech research and development center")
    True
    >>> name_key("The Hong Kong Polytechnic University") == name_key("Hong Kong Polytechnic University")
    True
    >>> name_key("New Industrialisation Funding Scheme") == name_key("New Industrialization Funding Scheme")
    True
    >>> name_key("「智 方 便+」")
    '智方便+'
    >>> name_key("智方便") == name_key("智方便+")
    False
    """
    key = unicodedata.normalize("NFKC", name).casefold().strip()
    if key.isascii() or re.search(r"[a-z]", key):
        for pattern, replacement in _ENGLISH_VARIANTS:
            key = pattern.sub(replacement, key)
    return _KEY_NOISE.sub("", key)


def compact(text: str) -> str:
    """``text`` with all whitespace removed: what two spans are compared on."""
    return "".join(text.split())


def spans_agree(original: str, text: Text, start: int, end: int) -> bool:
    """Whether clean ``text[start:end]`` is what cleaning its original span gives.

    Whitespace is ignored; a page footer inside the span (a name wrapped across a page
    break) is removed by the cleaning, as in the clean text.
    """
    orig_start, orig_end = text.span(start, end)
    return original_agrees(original[orig_start:orig_end], text.text[start:end])


def original_agrees(original_span: str, clean: str) -> bool:
    """``original_span`` cleaned like the clean text equals ``clean`` (whitespace ignored)."""
    cleaned = "".join(line.text for line in clean_lines(original_span))
    return compact(cleaned) == compact(clean)
