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
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

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

# What opens a numbered item ("1." "2．" "(a)" "(iv)" "(三)" "(2)"): the one definition, used to
# keep a line break before an item (here), to find an answer's numbered items (graph/subjects.py)
# and a table's numbered rows (extractors/amounts.py).
ITEM_NUMBER = r"\d{1,3}\s?[.．](?!\d)"
ITEM_LETTER = r"[(（](?:\d{1,2}|[a-zA-Z]|[ivx]{1,4}|[一二三四五六七八九十]{1,2})[)）]"
ITEM_MARK = rf"(?:{ITEM_NUMBER}|{ITEM_LETTER})"
# A line starting like this begins a new item, so the line break before it is kept.
_ITEM_START = re.compile(
    rf"^(?:{ITEM_MARK}|\d{{1,2}}[)）、](?!\d)"
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
    def lines(parts: Sequence["Text"]) -> "Text":
        """Each part on a line of its own (a paper's paragraphs as one block of text); a line break
        stands one character after the end of the part before it.

        >>> Text.lines([Text("甲乙", (0, 1)), Text("丙", (5,))])
        Text(text='甲乙\\n丙', offsets=(0, 1, 2, 5))
        """
        chars: list[str] = []
        offsets: list[int] = []
        for part in parts:
            if chars:
                chars.append("\n")
                offsets.append(offsets[-1] + 1)
            chars.append(part.text)
            offsets.extend(part.offsets)
        return Text("".join(chars), tuple(offsets))

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


def clean_lines(original: str, convert: "Callable[[Text], Text] | None" = None) -> Iterator[Text]:
    """The non-empty cleaned lines of ``original``, page footers removed.

    ``convert`` rewrites each clean line before footers are recognised (a Simplified text's
    conversion to Traditional: 第 3 节 … 第 5 页 is a footer too).
    """
    base = 0
    for raw in original.split("\n"):
        line = clean_line(raw, base)
        base += len(raw) + 1
        if line.text and convert is not None:
            line = convert(line)
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


# --- Simplified Chinese input -----------------------------------------------------------------

SIMPLIFIED = "zh-Hans"
TRADITIONAL = "zh-Hant"
# OpenCC's "s2hk" gives the Hong Kong forms these documents use (衞生署, 平台, 為), where "s2t"
# writes 爲, 臺, 祕 and "s2tw" 臺: of the corpus characters that t2s changes, converting back with
# s2hk restores 98.4% (s2t 96.4%).  Its HK-glyph-standard variants are then folded back to the
# forms government text (and the gazetteer) is written in: 户 → 戶, 説 → 說 … (98.9%).
S2T_CONFIG = "s2hk"
_GLYPH_FORMS = str.maketrans("户税閲説温悦鋭脱兑羣啓牀", "戶稅閱說溫悅銳脫兌群啟床")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LINE = re.compile(r"[^\n]+|\n")


@lru_cache(maxsize=2)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def script_of(text: str) -> str:
    """``zh-Hans`` when ``text`` writes more Han characters in their Simplified-only form
    (学, 计, 划) than in a Traditional-only one (學, 計, 劃); else ``zh-Hant``.

    Each distinct character is classified once with OpenCC, so a long text costs little.

    >>> script_of("政府推出新型工业加速计划。"), script_of("政府推出新型工業加速計劃。")
    ('zh-Hans', 'zh-Hant')
    """
    counts: dict[str, int] = {}
    for char in _HAN.findall(text):
        counts[char] = counts.get(char, 0) + 1
    if not counts:
        return TRADITIONAL
    chars = sorted(counts)
    as_traditional = _per_char(_opencc(S2T_CONFIG), chars)
    as_simplified = _per_char(_opencc("t2s"), chars)
    simplified_only = sum(counts[c] for c, t, s in zip(chars, as_traditional, as_simplified) if t != c and s == c)
    traditional_only = sum(counts[c] for c, s in zip(chars, as_simplified) if s != c)
    return SIMPLIFIED if simplified_only > traditional_only else TRADITIONAL


def _per_char(converter, chars: list[str]) -> list[str]:
    """Each character converted alone (a line break between them stops phrase matching)."""
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - a converter that merges lines
        converted = [converter.convert(c) for c in chars]
    return converted


def to_traditional(text: "Text | str") -> Text:
    """``text`` converted from Simplified to Traditional Chinese, with for every converted
    character the offset its source character has (``text.offsets``, or its index in a ``str``).

    OpenCC converts by phrases (发展 → 發展, 头发 → 頭髮), so a line of clean text (no PDF spaces
    between its characters, which would stop phrase matching) is converted whole; where that
    changes its length (a phrase written with more or fewer characters), the line is converted
    character by character instead, so every character of the result still maps to exactly one
    source character.

    >>> converted = to_traditional("创新科技署\\n拨款2亿元")
    >>> converted.text
    '創新科技署\\n撥款2億元'
    >>> converted.span(6, 8), "创新科技署\\n拨款2亿元"[6:8]
    ((6, 8), '拨款')
    """
    if isinstance(text, str):
        text = Text(text, tuple(range(len(text))))
    converter = _opencc(S2T_CONFIG)
    chars: list[str] = []
    offsets: list[int] = []
    for match in _LINE.finditer(text.text):
        line = match.group()
        at = match.start()
        converted = converter.convert(line) if line != "\n" else line
        if len(converted) == len(line):
            chars.append(converted)
            offsets.extend(text.offsets[at : at + len(line)])
            continue
        for index, char in enumerate(line):
            piece = converter.convert(char) or char
            chars.append(piece)
            offsets.extend([text.offsets[at + index]] * len(piece))
    return Text("".join(chars).translate(_GLYPH_FORMS), tuple(offsets))


def aligned_view(original: str, lines: Iterable[Text]) -> str:
    """A string as long as ``original`` in which every character that one clean character of
    ``lines`` came from is replaced by that character: rules that read the original text by
    offset (clause ends, 此項目 …) then read a Simplified text as Traditional."""
    view = list(original)
    seen: dict[int, int] = {}
    pairs = [(char, offset) for line in lines for char, offset in zip(line.text, line.offsets)]
    for _, offset in pairs:
        seen[offset] = seen.get(offset, 0) + 1
    for char, offset in pairs:
        if seen[offset] == 1 and not view[offset].isspace():
            view[offset] = char
    return "".join(view)


class Spellings:
    """Known names in their Traditional spelling, found in text by their Simplified form.

    A Simplified character can stand for several Traditional ones (制 → 制/製, 托 → 托/託), and
    OpenCC cannot always tell which a name uses; where a converted text names a known entity,
    the known spelling wins (制造及生产线 → 製造及生產線, not 制造; 布局 stays 布局, not 佈局).
    """

    def __init__(self, names: Iterable[str]) -> None:
        to_simplified = _opencc("t2s")
        self.by_simplified: dict[str, str] = {}
        for name in sorted(set(names)):
            simplified = to_simplified.convert(name)
            if len(name) >= 2 and len(simplified) == len(name) and _HAN.search(name):
                self.by_simplified.setdefault(simplified, name)
        alternation = "|".join(map(re.escape, sorted(self.by_simplified, key=lambda n: (-len(n), n))))
        self.pattern = re.compile(alternation) if alternation else None

    def apply(self, source: str, converted: Text) -> Text:
        """``converted`` (the conversion of ``source``, of the same length) with the known
        names respelled."""
        if self.pattern is None or len(source) != len(converted.text):
            return converted
        simplified = _opencc("t2s").convert(source)
        if len(simplified) != len(source):
            return converted
        text = converted.text
        for match in self.pattern.finditer(simplified):
            name = self.by_simplified[match.group()]
            text = text[: match.start()] + name + text[match.end() :]
        return Text(text, converted.offsets)


def clean_lines_of(original: str, script: str, spellings: Spellings | None = None) -> Iterator[Text]:
    """:func:`clean_lines` of ``original`` read as Traditional Chinese: in a Simplified text
    each clean line is converted (:func:`to_traditional`), known names respelled
    (``spellings``), and the offsets still index ``original``."""
    if script != SIMPLIFIED:
        yield from clean_lines(original)
        return

    def convert(line: Text) -> Text:
        converted = to_traditional(line)
        return spellings.apply(line.text, converted) if spellings else converted

    yield from clean_lines(original, convert)
