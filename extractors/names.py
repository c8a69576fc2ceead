"""Named schemes, institutions and platforms: gazetteer matcher, name rules, abbreviations.

Each extractor here is ``(Document) -> Iterable[Mention]`` and runs over the sections that can
hold names: a reply's question and answer, a paper's paragraphs (section ``body``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Iterator

from legco_kg.extractors.model import Document, Mention
from legco_kg.extractors.text import Text, name_form
from legco_kg.ontology import data_entries, data_path, gazetteer_entries, gazetteers_version

GAZETTEER = "gazetteer"
NAME_RULES = "name-rules"
ABBREVIATIONS = "abbreviations"


@dataclass(frozen=True)
class Section:
    reply: str | None
    section: str
    text: Text


def sections(doc: Document) -> Iterator[Section]:
    for reply in doc.replies:
        yield Section(reply.reply, "question", reply.question_text)
        yield Section(reply.reply, "answer", reply.answer_text)
    for paragraph in doc.paragraphs:
        yield Section(None, "body", paragraph)


SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")  # a sentence of clean text, or a line


def placed_sentences(doc: Document) -> list[tuple[tuple[int, int, str], str | None, str]]:
    """``((original start, original end, clean text), reply, section)`` of every sentence of
    ``doc``'s sections, sorted by span: the evidence shown for a fact."""
    found = []
    for part in sections(doc):
        text = part.text
        for match in SENTENCE.finditer(text.text):
            sentence = match.group().strip()
            if sentence:
                start, end = text.span(match.start(), match.end())
                found.append(((start, end, sentence), part.reply, part.section))
    found.sort(key=itemgetter(0))
    return found


class SentenceFinder:
    """The sentence holding a span, by bisection over a document's sorted sentence spans."""

    def __init__(self, documents) -> None:
        self._placed = {doc.doc_id: placed_sentences(doc) for doc in documents}
        self._spans = {doc_id: [span for span, _, _ in placed] for doc_id, placed in self._placed.items()}
        self._starts = {doc_id: [s for s, _, _ in spans] for doc_id, spans in self._spans.items()}

    def placed(self, doc_id: str) -> list[tuple[tuple[int, int, str], str | None, str]]:
        """Every sentence of the document with its reply and section (:func:`placed_sentences`)."""
        return self._placed[doc_id]

    def locate(self, doc_id: str, start: int, end: int) -> tuple[int, int, str] | None:
        """``(start, end, text)`` of the sentence holding ``start:end``, or None."""
        from bisect import bisect_right

        at = bisect_right(self._starts[doc_id], start) - 1
        if at < 0 or self._spans[doc_id][at][1] < end:
            return None
        return self._spans[doc_id][at]

    def find(self, doc_id: str, start: int, end: int) -> str | None:
        """The clean text of the sentence holding ``start:end``, or None."""
        found = self.locate(doc_id, start, end)
        return found[2] if found else None


@lru_cache(maxsize=1)
def name_rules() -> dict:
    """Heads, generic words and rejected phrases (``ontology/name_rules.json``)."""
    with open(data_path("name_rules.json"), encoding="utf-8") as stream:
        return json.load(stream)


def _mention(doc: Document, part: Section, start: int, end: int, kind: str, extractor: str, key: str | None) -> Mention:
    orig_start, orig_end = part.text.span(start, end)
    return Mention(part.text.text[start:end], kind, orig_start, orig_end, doc.doc_id, extractor, part.reply, part.section, key)


def _latin_boundary(text: str, start: int, end: int) -> bool:
    """A Latin name is not part of a longer Latin word ("ITC" inside "ITCxyz")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if text[start].isascii() and text[start].isalnum() and before.isascii() and before.isalnum():
        return False
    if text[end - 1].isascii() and text[end - 1].isalnum() and after.isascii() and after.isalnum():
        return False
    return True


def char_doc(vocab, text: str):
    """A Doc of one token per character, built directly (``doc.text == text``).

    This is what ``spacy.blank("zh")`` does with its default character segmentation, but its
    tokenizer is a Python loop; building the Doc from the characters is ~10x faster.  A space
    is not a token: it becomes the whitespace after the character before it.
    """
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    for char in text:
        if char == " " and words and not spaces[-1]:
            spaces[-1] = True
        else:
            words.append(char)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


# --- 1. gazetteer ---------------------------------------------------------------------------

class GazetteerMatcher:
    """spaCy ``PhraseMatcher`` over every name of every gazetteer entity; longest match wins."""

    def __init__(self, entries: tuple[dict, ...]) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("zh")  # character segmentation: no model to download
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.kinds: dict[str, str] = {}
        for entry in entries:
            names = {entry["label_zh"], *(entry.get("aliases") or ())}
            if entry.get("label_en"):
                names.add(entry["label_en"])
            self.kinds[entry["id"]] = entry["kind"]
            patterns = [self.char_doc(name) for name in sorted(names)]
            self.matcher.add(entry["id"], patterns)

    def char_doc(self, text: str):
        return char_doc(self.nlp.vocab, text)

    def find(self, texts: list[str]) -> Iterator[list[tuple[str, int, int]]]:
        """For each text, the ``(entity id, start, end)`` character spans, longest first-come."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        strings = self.nlp.vocab.strings
        for doc in map(self.char_doc, texts):
            spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
            yield [(strings[span.label], span.start_char, span.end_char) for span in filter_spans(spans)]


def gazetteer_matcher() -> GazetteerMatcher:
    """The matcher of the gazetteer in force (with any user gazetteers), built once for each."""
    return _matcher(gazetteers_version())


@lru_cache(maxsize=4)
def _matcher(version: tuple) -> GazetteerMatcher:
    return GazetteerMatcher(gazetteer_entries())


# What the extractors of one document share (the registry runs every extractor on a document
# before the next): the gazetteer's matches by section, the gazetteer's and the rules' mentions.
_shared: dict = {}


def _for_document(doc: Document, name: str, compute) -> list:
    if _shared.get("document") is not doc:
        _shared.clear()
        _shared["document"] = doc
    key = (name, gazetteers_version())
    if key not in _shared:
        _shared[key] = list(compute(doc))
    return _shared[key]


def gazetteer_spans(doc: Document) -> list[tuple[Section, list[tuple[str, int, int]]]]:
    """Each section of ``doc`` with the gazetteer's ``(entity id, start, end)`` matches in it."""
    def compute(doc):
        parts = list(sections(doc))
        return zip(parts, gazetteer_matcher().find([p.text.text for p in parts]))

    return _for_document(doc, "gazetteer-spans", compute)


def gazetteer_mentions(doc: Document) -> Iterator[Mention]:
    yield from _for_document(doc, GAZETTEER, _gazetteer_mentions)


def _gazetteer_mentions(doc: Document) -> Iterator[Mention]:
    matcher = gazetteer_matcher()
    for part, found in gazetteer_spans(doc):
        for entity_id, start, end in found:
            if _latin_boundary(part.text.text, start, end):
                yield _mention(doc, part, start, end, matcher.kinds[entity_id], GAZETTEER, entity_id)


# --- 2. name rules --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _rule_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    rules = name_rules()
    heads = rules["heads"]  # head → kind
    alternation = "|".join(sorted(map(re.escape, heads), key=len, reverse=True))
    quoted = re.compile(r"「(?P<name>[^「」\n]{2,40}?)」")
    inner = r"[\u4e00-\u9fffA-Za-z0-9+＋&@·‧]"
    unquoted = re.compile(
        rf"(?P<name>(?P<prefix>{'|'.join(map(re.escape, rules['proper_prefixes']))}){inner}{{0,14}}?(?:{alternation}))"
    )
    return quoted, unquoted, heads


@lru_cache(maxsize=None)
def _longest_first(key: str) -> tuple[str, ...]:
    """A word list of the name rules, longest first, so the longest head or modifier wins."""
    return tuple(sorted(name_rules()[key], key=len, reverse=True))


_JOINERS = frozenset("及和與、")


def head_kind(name: str) -> str | None:
    """The kind a name's head gives it: 計劃 → scheme, 大學 → institution, 平台 → platform."""
    heads = name_rules()["heads"]
    for head in _longest_first("heads"):
        if name.endswith(head):
            return heads[head]
    return None


@lru_cache(maxsize=1)
def _TAIL_HEADS() -> tuple[str, ...]:
    rules = name_rules()
    return tuple(sorted({*rules["heads"], *rules["descriptor_heads"], *rules["related_heads"]}, key=len, reverse=True))


def quoted_head_kind(name: str) -> str | None:
    """The kind a head gives a name only when the name is quoted: 「樓宇維修預約服務」, 「綠悠網」,
    “跨境鮮活食品快速通關通道” (``name_rules.json`` quoted_heads).  Unquoted, these
    heads end ordinary phrases (網上服務, 社交網絡), so no unquoted rule reads them."""
    heads = name_rules()["quoted_heads"]
    head = next((h for h in sorted(heads, key=len, reverse=True) if name.endswith(h)), None)
    core = name[: -len(head)] if head else ""
    if head is None or len(core) < name_rules()["quoted_min_core"][head]:
        return None  # 專題服務, 綠色通道: two characters before a common head make a phrase
    if core.startswith(tuple(name_rules()["generic_modifiers"])):
        return None
    return heads[head]


def is_generic(name: str) -> bool:
    """A head word alone, or with a generic modifier (計劃, 資助計劃, 該基金)."""
    rules = name_rules()
    core = name.strip("「」『』")
    for modifier in _longest_first("generic_modifiers"):
        if core.startswith(modifier) and len(core) > len(modifier):
            core = core[len(modifier) :]
            break
    return core in rules["heads"] or core in rules["generic_words"]


@lru_cache(maxsize=1)
def rejections() -> dict[str, str]:
    """Reviewed names that are not entities, with the reason (``ontology/rejections.jsonl``),
    keyed by :func:`~legco_kg.extractors.text.name_form`."""
    found: dict[str, str] = {}
    for entry in data_entries("rejections.jsonl"):
        found.setdefault(name_form(entry["name"]), entry["reason"])
    return found


def rejection_reason(name: str, quoted: bool = False) -> str | None:
    """Why ``name`` is not an entity name, or None when nothing rejects it.

    >>> rejection_reason("該基金")
    'generic word'
    >>> rejection_reason("科技券") is None
    True
    """
    rules = name_rules()
    reviewed = rejections().get(name_form(name))
    if reviewed:
        return reviewed
    if name in rules["rejected"]:
        return "slogan or policy goal"
    if is_generic(name):
        return "generic word"
    place_head = next((h for h in rules["place_heads"] if name.endswith(h)), None)
    if place_head and not name.startswith(tuple(rules["place_prefixes"])):
        return f"「{place_head}」 without a province or city before it"
    words = name
    for word in rules["fragment_words"] if quoted else ():
        words = words.replace(word, "\u3000")  # 「…申請平台」: 申請 is a word, not the 請 of 請政府告知
    fragment = next((bad for bad in rules["rejected_fragments"] if bad in words), None)
    if fragment:
        return f"holds「{fragment}」: a phrase, not a name"
    return None


def _acceptable(name: str) -> bool:
    return rejection_reason(name) is None


def rule_mentions(doc: Document) -> Iterator[Mention]:
    """「…」-quoted names with a known head, and unquoted names with a proper prefix and a head.

    Policy documents in 《》 are never names; slogans and generic words are rejected.
    """
    yield from _for_document(doc, NAME_RULES, _rule_mentions)


def _rule_mentions(doc: Document) -> Iterator[Mention]:
    for mention, reason in rule_proposals(doc):
        if reason is None:
            yield mention
    yield from listed_mentions(doc)
    yield from shaped_mentions(doc)


_INNER_QUOTED = re.compile(r"『(?P<name>[^『』「」\n]{2,40}?)』|(?<=“)(?P<curly>[^“”「」『』\n]{2,40}?)(?=”)")


def rule_proposals(doc: Document) -> Iterator[tuple[Mention, str | None]]:
    """Every name the rules consider, with the reason it is rejected (None: accepted)."""
    quoted, unquoted, _ = _rule_patterns()
    for part in sections(doc):
        text = part.text.text
        taken: list[tuple[int, int]] = []
        # A name quoted inside a quotation is in 『』 (a speech: 「我們推出『…計劃』，撥款…」), and
        # Simplified text quotes names in “” (推出“深港数据创新基金”); read after the 「」
        # names, where it is not part of one (「『…』計劃」).
        inner = (m for m in _INNER_QUOTED.finditer(text) if not any(s < m.end() and m.start() < e for s, e in taken))
        for match in chain(quoted.finditer(text), inner):
            group = "curly" if match.groupdict().get("curly") else "name"
            start, end = match.start(group), match.end(group)
            year = _YEAR.match(text, start, end)
            if year:
                start = year.end()  # 「2024年…宣傳周」: the event of every year
            name = text[start:end]
            kind = head_kind(name)
            if not kind and not text.startswith(_TAIL_HEADS(), match.end()):
                kind = quoted_head_kind(name)  # not 「精簡政府服務」計劃: there the scheme is the name
            if kind:
                reason = rejection_reason(name, quoted=True)
                if reason is None:
                    taken.append((start, end))
                yield _mention(doc, part, start, end, kind, NAME_RULES, None), reason
        at = 0
        while (match := unquoted.search(text, at)) is not None:
            start, end = match.span("name")
            at = end
            end = _extend_by_heads(text, end)  # 國家自然科學基金 + 委員會: the longer body
            end = _extend_to_office(text, end)  # 全國運動會 + 統籌辦公室: the body of an event or fund
            if any(s <= start < e or s < end <= e for s, e in taken):
                continue
            edition = _EDITION.search(text[max(0, start - 8) : start])
            if edition:
                start -= len(edition.group())  # 第十五屆 + 全國運動會
            joint = _JOINT.search(text[max(0, start - 4) : start])
            if joint:
                start -= len(joint.group())  # 內地與 + 香港科技合作委員會: a joint body
            name = text[start:end]
            kind = head_kind(name)
            if not kind or _head_continues(name, text, end):
                continue
            if _inside_book_title(text, start):
                reason = "inside a policy document's title 《…》"
            elif match["name"][len(match["prefix"]) : len(match["prefix"]) + 1] in _JOINERS:
                reason = "a prefix joined to another name (及、和、與)"
            elif text.startswith(_after_prefix_words(), match.end("prefix")) and not text.startswith(
                tuple(name_rules()["prefix_particle_nouns"]), match.end("prefix")
            ):  # 香港會 + …: "Hong Kong will", but 香港 + 會議展覽中心 is a name
                reason = f"a verb or particle after {match['prefix']}: a clause, not a name"
            else:
                reason = rejection_reason(name)
                if reason and _joined_office(name):
                    reason = None  # 上海市 + 經濟和信息化委員會: 和 inside a mainland body's name
            if reason:
                at = match.start("name") + 1  # a later prefix may start the real name (…與前海管理局)
            yield _mention(doc, part, start, end, kind, NAME_RULES, None), reason
        for match in _BLOCK_VOTE.finditer(text):
            start, end = match.span("name")
            annex = _ANNEX.match(text, start, end)
            if annex:
                start = annex.end()  # 附件一 + 科技統籌(整體撥款): an annex's title
            if not any(s <= start < e or s < end <= e for s, e in taken):
                yield _mention(doc, part, start, end, "scheme", NAME_RULES, None), rejection_reason(match["name"])


_LISTED_ROW = re.compile(r"^\d{1,3}\.(?P<rest>.+)$", re.M)
# Where a listed name (a numbered table row's name column) ends: figures, notes, words of the
# row's prose (name_rules.json "listed_table_ends", regular expressions).
_LISTED_END = re.compile("|".join(name_rules()["listed_table_ends"]))
_PLATFORM_WORDS = re.compile(r"應用程式|系統|平台|網站|App")


def listed_mentions(doc: Document) -> Iterator[Mention]:
    """Names in the "名稱" column of a numbered table whose rows start with a body's name.

    Replies list, for example, each department's mobile apps as rows "1.漁農自然護理署郊野樂行
    38,000 ...": the text between the body and the first figure is the item's name.  Only tables
    with a 名稱 (name) header, at least three such rows, and items of a platform kind (apps,
    systems, platforms, websites) named in the text before the table are read.
    """
    matcher = gazetteer_matcher()
    for part in _blocks(doc):
        text = part.text.text
        if "名稱" not in text:
            continue
        rows = []
        for match in _LISTED_ROW.finditer(text):
            rest_at = match.start("rest")
            found = next(iter(matcher.find([match["rest"]])), [])
            body = next(((i, s, e) for i, s, e in found if s == 0 and matcher.kinds[i] in ("institution", "bureau")), None)
            if body is None:
                continue
            name_start = rest_at + body[2]
            stop = _LISTED_END.search(text, name_start, match.end())
            name_end = stop.start() if stop else match.end()
            half = (name_end - name_start) // 2
            if half >= 2 and text[name_start : name_start + half] == text[name_start + half : name_end]:
                name_end = name_start + half  # the PDF repeated the cell: "警察牌照易警察牌照易"
            if 2 <= name_end - name_start <= 30:
                rows.append((match.start(), name_start, name_end))
        if len(rows) < 3:
            continue
        header = text.rfind("名稱", 0, rows[0][0])
        if header < 0 or not _PLATFORM_WORDS.search(text, max(0, header - 300), rows[0][0]):
            continue
        for _, start, end in rows:
            yield _mention(doc, part, start, end, head_kind(text[start:end]) or "platform", NAME_RULES, None)


def _blocks(doc: Document) -> Iterator[Section]:
    """Sections, with a paper's paragraphs as one block (its tables span paragraphs)."""
    if doc.replies:
        yield from sections(doc)
        return
    if doc.paragraphs:
        yield Section(None, "body", Text.lines(doc.paragraphs))


def _after_prefix_words() -> tuple[str, ...]:
    """Particles that cannot follow a name's prefix (數碼港已…, 數碼港於…, 香港作為…)."""
    return _longest_first("not_after_prefix")


def _joined_office(name: str) -> bool:
    """A mainland body whose name joins two fields with 和 (廣州市發展和改革委員會,
    國家工業和信息化部): a province, city or 國家 before it, an institution's head after it, and
    no name ending before the 和 nor starting after it (深圳市政府和香港… is two names)."""
    rules = name_rules()
    if name.count("和") != 1 or head_kind(name) != "institution" or not name.startswith(tuple(rules["joined_office_prefixes"])):
        return False
    left, right = name.split("和")
    ends_a_name = head_kind(left) is not None or left in rules["joined_office_prefixes"]
    return not ends_a_name and not right.startswith(tuple(rules["proper_prefixes"])) and rejection_reason(left + right) is None


def _head_continues(name: str, text: str, end: int) -> bool:
    """The head word is the start of a longer word (部 in 部門, 政府 in 政府合署)."""
    following = text[end : end + 1]
    return bool(following) and any(
        name.endswith(head) and following in chars for head, chars in name_rules()["heads_not_before"].items()
    )


_EDITION = re.compile(r"第[一二三四五六七八九十百零\d]{1,4}屆$")
_JOINT = re.compile(r"(?:內地|粵|深圳|澳門|滬|京)與$")
_ANNEX = re.compile(r"附件[一二三四五六七八九十\d]*")
_YEAR = re.compile(r"\d{4}(?:年度|年)?(?=[\u4e00-\u9fff])")
# A block vote (整體撥款) named after its subhead number, at a line start or in quotes.
_BLOCK_VOTE = re.compile(r"(?:(?<=分目\d{3})|(?<=[「\n)：:])|(?<=年度|由於|透過|通過)|^)(?P<name>[\u4e00-\u9fff]{2,12}\(整體撥款\))", re.M)


@lru_cache(maxsize=1)
def _office_pattern() -> re.Pattern:
    heads = "|".join(map(re.escape, _longest_first("office_heads")))
    return re.compile(rf"[\u4e00-\u9fff]{{0,4}}?(?P<head>{heads})")


def _extend_to_office(text: str, end: int) -> int:
    """``end`` moved over the office or committee of the event, fund or scheme just named
    (全國運動會 + 統籌辦公室, 計劃 + 督導委員會), when one follows within four characters."""
    if head_kind(text[max(0, end - 4) : end]) not in ("platform", "scheme"):
        return end
    office = _office_pattern().match(text, end)
    if office is None or any(bad in office.group() for bad in name_rules()["rejected_fragments"]) or any(j in office.group() for j in _JOINERS):
        return end
    return office.end()


def _extend_by_heads(text: str, end: int) -> int:
    """``end`` moved over head words that follow at once (基金 → 基金委員會, 中心 → 中心秘書處),
    or that complete a longer head (基金 + 項目 → 基金項目)."""
    heads = _longest_first("heads")
    while True:
        head = next((h for h in heads if len(h) > 1 and text.startswith(h, end)), None)
        if head is not None:
            end += len(head)
            continue
        longer = next(
            (k for k in (2, 1) if end + k <= len(text) for h in heads if len(h) > k + 1 and text.endswith(h, 0, end + k)), None
        )
        if longer is None:
            return end
        end += longer


def _inside_book_title(text: str, at: int) -> bool:
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


# --- 3. abbreviations -----------------------------------------------------------------------

_DEFINITION = re.compile(r"\((?:以下簡稱|下稱|簡稱)?「?(?P<short>[^()「」，。]{1,12}?)」?\)")


def abbreviation_mentions(doc: Document) -> Iterator[Mention]:
    """A short form defined right after a name — 創新科技署(創科署), 「先導計劃」(「計劃」),
    (以下簡稱「X」) — names the same entity wherever it is used in that reply (or paper).

    Linear in the size of the document: long forms are found in their section by bisection over
    their end offsets, and every short form of a reply is searched in one pass over its text.
    """
    parts_of: dict[str | None, list[Section]] = {}
    for part in sections(doc):
        parts_of.setdefault(part.reply, []).append(part)
    by_place: dict[tuple[str | None, str], list[Mention]] = {}
    for mention in _long_form_mentions(doc):
        by_place.setdefault((mention.reply, mention.section), []).append(mention)
    for mentions in by_place.values():
        mentions.sort(key=lambda m: (m.end, m.start))
    ends = {place: [m.end for m in mentions] for place, mentions in by_place.items()}
    for reply_id, parts in parts_of.items():
        definitions: dict[str, Mention] = {}
        for part in parts:
            place = (reply_id, part.section)
            for mention, local_end in _ending_in(part, by_place.get(place, []), ends.get(place, [])):
                text = part.text.text
                if text.startswith("」", local_end):
                    local_end += 1
                found = _DEFINITION.match(text, local_end)
                if found and found["short"] != mention.text and found["short"] not in definitions:
                    definitions[found["short"]] = mention
        if not definitions:
            continue
        reply_mentions = sorted(
            (m for (r, _), ms in by_place.items() if r == reply_id for m in ms), key=lambda m: (m.start, m.end)
        )
        finder = _ShortForms(definitions, reply_mentions)
        for part in parts:
            yield from finder.mentions(doc, part)


def _ending_in(part: Section, mentions: list[Mention], ends: list[int]) -> Iterator[tuple[Mention, int]]:
    """The mentions (sorted by ``ends``, their end offsets) that end inside ``part``, with their
    local end index."""
    from bisect import bisect_left, bisect_right

    offsets = part.text.offsets
    if not offsets or not mentions:
        return
    first = bisect_left(ends, offsets[0] + 1)
    last = bisect_right(ends, offsets[-1] + 1)
    for mention in mentions[first:last]:
        local_end = _local_index(part.text, mention.end)
        if local_end is not None:
            yield mention, local_end


class _ShortForms:
    """Every use of a reply's defined short forms that is not inside a longer name."""

    def __init__(self, definitions: dict[str, Mention], mentions: list[Mention]) -> None:
        from itertools import accumulate

        self.definitions = definitions
        shorts = sorted(definitions, key=lambda s: (-len(s), s))
        self.starts = re.compile("(?=" + "|".join(map(re.escape, shorts)) + ")")
        self.by_first: dict[str, list[str]] = {}
        for short in shorts:
            self.by_first.setdefault(short[0], []).append(short)
        # A short form inside a longer mention is part of that name: some span holds start:end
        # when the furthest end among the spans starting before ``start`` reaches ``end``, or
        # one starting at ``start`` ends after ``end``.
        self.spans = [(m.start, m.end) for m in mentions]  # sorted by the caller
        self.span_starts = [s for s, _ in self.spans]
        self.furthest = list(accumulate((e for _, e in self.spans), max))

    def _inside_name(self, start: int, end: int) -> bool:
        from bisect import bisect_left, bisect_right

        before = bisect_left(self.span_starts, start)
        same = bisect_right(self.span_starts, start)
        return (before > 0 and self.furthest[before - 1] >= end) or (same > before and self.spans[same - 1][1] > end)

    def mentions(self, doc: Document, part: Section) -> Iterator[Mention]:
        text = part.text.text
        for match in self.starts.finditer(text):
            at = match.start()
            for short in self.by_first[text[at]]:
                if not text.startswith(short, at):
                    continue
                start, end = part.text.span(at, at + len(short))
                if self._inside_name(start, end) or not _latin_boundary(text, at, at + len(short)):
                    continue
                long_form = self.definitions[short]
                yield _mention(doc, part, at, at + len(short), long_form.kind, ABBREVIATIONS, long_form.key or long_form.text)


def _local_index(text: Text, original_end: int) -> int | None:
    """Index in ``text`` just after the character that ends at ``original_end``."""
    from bisect import bisect_left

    at = bisect_left(text.offsets, original_end - 1)
    if at < len(text.offsets) and text.offsets[at] == original_end - 1:
        return at + 1
    return None


def _long_form_mentions(doc: Document) -> Iterator[Mention]:
    yield from gazetteer_mentions(doc)
    yield from rule_mentions(doc)


# --- 4. names of other shapes ---------------------------------------------------------------

def shaped_mentions(doc: Document) -> Iterator[Mention]:
    """Names the head-word rules cannot see: titles of projects in numbered tables, units named
    after their parent body, bodies listed beside known ones, quoted names with their head,
    companies named with 有限公司."""
    yield from project_title_mentions(doc)
    yield from unit_mentions(doc)
    yield from list_item_mentions(doc)
    yield from quoted_compound_mentions(doc)
    yield from company_mentions(doc)
    yield from company_table_mentions(doc)
    yield from bare_name_mentions(doc)
    yield from company_list_mentions(doc)


_TITLE_HEADER = "項目名稱"
_BODY_COLUMN = re.compile(r"大學|機構|院校|公司|部門")
_TITLE_END = re.compile(r"\n|\$|港幣|(?:已完成|進行中|已終止|已撤回|已暫停|已批出)|註[:：]|項目名稱")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def project_title_mentions(doc: Document) -> Iterator[Mention]:
    """Titles of projects in a numbered table under a 項目名稱 (project title) header.

    Rows are numbered 1, 2, 3 …; a title runs from its number to the first of: the body named in
    the next column (when the header names one: 大學, 申請機構 …), a status (進行中, 已完成 …),
    an amount ($, 港幣), a line break or the next row's number.  The titles of funded projects
    are platforms.  A table needs three rows in sequence.
    """
    matcher = gazetteer_matcher()
    for part in _blocks(doc):
        text = part.text.text
        header = text.find(_TITLE_HEADER)
        if header < 0:
            continue
        bodies = None
        titles: list[tuple[int, int]] = []
        at, number = header, 1
        while True:
            row = re.compile(rf"(?<![\d,.$A-Za-z]){number}(?![\d,%+]|\.\d)[.．]?\s*").search(text, at)
            if row is None or (titles and row.start() - at > 400):
                break
            if bodies is None:
                bodies = sorted(
                    (start, end) for entity_id, start, end in next(iter(matcher.find([text])))
                    if matcher.kinds[entity_id] in ("institution", "bureau")
                )
            start = row.end()
            end = _title_end(text, start, number + 1, bodies if _BODY_COLUMN.search(text, header, row.start()) else ())
            end = start + len(text[start:end].rstrip(" *#"))
            if 4 <= end - start <= 80 and len(_CJK.findall(text, start, end)) >= 2:
                titles.append((start, end))
            at, number = max(end, row.end()), number + 1
        if len(titles) >= 3:
            for start, end in titles:
                yield _mention(doc, part, start, end, "platform", NAME_RULES, None)


def _title_end(text: str, start: int, next_number: int, bodies) -> int:
    from bisect import bisect_left

    stops = [len(text)]
    found = _TITLE_END.search(text, start)
    if found:
        stops.append(found.start())
    row = re.compile(rf"(?<![\d,.$A-Za-z]){next_number}(?![\d,%+]|\.\d)").search(text, start)
    if row:
        stops.append(row.start())
    at = bisect_left(bodies, (start + 1, 0)) if bodies else 0
    if bodies and at < len(bodies):
        stops.append(bodies[at][0])
    return min(stops)


_ROW_START = re.compile(r"(?:^|\n)\d{1,3}\.$")
_UNIT_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,14}")


def unit_mentions(doc: Document) -> Iterator[Mention]:
    """A unit named after its parent body, as one name: 立法會 + 工商及創新科技事務委員會,
    香港警務處 + 網絡安全及科技罪案調查科, 大學教育資助委員會 + 秘書處.

    The unit runs from the end of a gazetteer institution or bureau to the first unit head
    (委員會, 小組, 組, 科, 處, 中心, 秘書處 …) that does not start a longer word (科 in 科技,
    處 in 處理); it must not start with a verb or particle (會, 將, 推出 …) nor hold a phrase
    fragment.
    """
    rules = name_rules()
    heads = sorted(rules["unit_heads"], key=len, reverse=True)
    not_start = tuple(sorted(rules["unit_not_start"], key=len, reverse=True))
    matcher = gazetteer_matcher()
    for part, found in gazetteer_spans(doc):
        text = part.text.text
        for (entity_id, start, body_end), following in zip(found, [*found[1:], None]):
            if _ROW_START.search(text[max(0, start - 6) : start]):
                continue  # a body opening a numbered row is followed by an item's name, not a unit
            of_body = matcher.kinds[entity_id] in ("institution", "bureau")
            stretch = _UNIT_CHARS.match(text, body_end)
            if stretch is None or (text.startswith(not_start, body_end) and not text.startswith(_longest_first("office_heads"), body_end)):
                continue
            limit = min(stretch.end(), following[1] if following else len(text))  # not into the next name
            # After a zone, fund or scheme only its office counts (北部都會區 + 統籌辦事處).
            end = _first_unit_end(text, body_end, limit, heads if of_body else list(_longest_first("office_heads")))
            if end is None:
                continue
            end = _extend_by_heads(text, end)
            unit = text[body_end:end]
            if rejection_reason(text[start:end]) is None and not any(bad in unit for bad in rules["unit_rejected_fragments"]):
                yield _mention(doc, part, start, end, "institution", NAME_RULES, None)


def _first_unit_end(text: str, start: int, limit: int, heads: list[str]) -> int | None:
    """End of the first unit head in ``text[start:limit]`` that is not the start of a longer word."""
    not_before = name_rules()["heads_not_before"]
    for at in range(start, limit):
        head = next((h for h in heads if text.startswith(h, at) and at + len(h) <= limit), None)
        if head is None:
            continue
        end = at + len(head)
        following = text[end : end + 1]
        if (following and following in not_before.get(head, "")) or (len(head) == 1 and at - start < 3):
            continue  # 科 of 科技; 北部, 歷史科: too short to be a unit's name
        return end
    return None


_LIST_ITEM = re.compile(r"(?<=[、：:(])(?P<name>[\u4e00-\u9fffA-Za-z0-9&·‧ ]{3,30}?)(?=、|，|。|；|\)|及|和|以及|等)")
_LIST_FIRST = re.compile(r"(?:包括|例如|如|與|由|聯同)(?P<name>[\u4e00-\u9fffA-Za-z0-9&·‧ ]{3,30}?)(?=、)")


def list_item_mentions(doc: Document) -> Iterator[Mention]:
    """Bodies named in a list beside known ones: in 「A、B、C及D」 where a neighbour is a
    gazetteer body, an item ending in a body's head (公司, 集團, 協會, 組織, 大學 …) is a name
    (中銀集團投資公司 between 香港工程師學會 and 香港新型工業化聯盟)."""
    rules = name_rules()
    heads = tuple(sorted(rules["list_heads"], key=len, reverse=True))
    matcher = gazetteer_matcher()
    for part, found in gazetteer_spans(doc):
        text = part.text.text
        if "、" not in text:
            continue
        known = {(s, e) for entity_id, s, e in found if matcher.kinds[entity_id] in ("institution", "bureau")}
        known_ends = {e for _, e in known}
        known_starts = {s for s, _ in known}
        items = [m.span("name") for m in _LIST_ITEM.finditer(text)] + [m.span("name") for m in _LIST_FIRST.finditer(text)]
        for start, end in sorted(set(items)):
            if text.startswith("即", start):
                start += 1  # (即A、B): "that is"
            name = text[start:end].strip()
            if (start, end) in known or not name.endswith(heads) or name.startswith(tuple(_JOINERS)):
                continue
            before = text[start - 1 : start] == "、" and (start - 1) in known_ends
            after = text[end : end + 1] == "、" and (end + 1) in known_starts
            after = after or (text.startswith("及", end) and end + 1 in known_starts) or (text.startswith("以及", end) and end + 2 in known_starts)
            if (before or after) and rejection_reason(name) is None:
                kind = next(rules["list_heads"][h] for h in heads if name.endswith(h))
                yield _mention(doc, part, start, end, kind, NAME_RULES, None)


_QUOTED_THEN = re.compile(r"[「“](?P<quoted>[^「」“”\n]{2,20})[」”](?P<tail>[\u4e00-\u9fff]{1,6})")


def quoted_compound_mentions(doc: Document) -> Iterator[Mention]:
    """A quoted name followed by a head is one name: 「智方便」平台, 「X」流動應用程式, 「X」沙盒計劃.

    After a descriptor (平台, 應用程式, 網站, 計劃 …) the whole names what the quoted part names
    (「智方便」平台 is 智方便), unless the quoted part is a gazetteer entity of another kind
    (「友智識」計劃, a scheme of the 友智識 platform).  After a related head (沙盒計劃, 自助服務機,
    專題網站 …) the whole is an entity of its own, related to the quoted one.
    """
    rules = name_rules()
    heads = {**rules["descriptor_heads"], **rules["related_heads"]}
    ordered = tuple(sorted(heads, key=len, reverse=True))
    gazetteer = None
    for part in sections(doc):
        text = part.text.text
        for match in _QUOTED_THEN.finditer(text):
            head = next((h for h in ordered if match["tail"].startswith(h)), None)
            if head is None:
                continue
            quoted, kind = match["quoted"], heads[head]
            if head_kind(quoted) or rejection_reason(quoted + head) or rejection_reason(quoted):
                continue  # 「…計劃」計劃: the quoted name has its own head
            if gazetteer is None:
                gazetteer = {name_form(n): e for e in gazetteer_entries() for n in (e["label_zh"], *(e.get("aliases") or ()))}
            known = gazetteer.get(name_form(quoted))
            if head in rules["related_heads"] or (known and known["kind"] != kind):
                key = quoted + head
            else:
                key = known["id"] if known else quoted
            yield _mention(doc, part, match.start(), match.start("tail") + len(head), kind, NAME_RULES, key)


def company_mentions(doc: Document) -> Iterator[Mention]:
    """A company named with 有限公司 (Limited) and no prefix: 中華電力有限公司, a grantee in a table
    row after its scheme (企業支援計劃 + 高訊科技有限公司), an item of a list.

    The name runs back from 有限公司 over name characters to a punctuation mark, the end of a
    gazetteer name before it, or a leading verb or particle (已支持, 包括, 及 …).
    """
    from bisect import bisect_right

    rules = name_rules()
    suffix = rules["company_suffixes"][0]
    leads = tuple(dict.fromkeys(_longest_first("company_lead_words") + _longest_first("company_cut_words")))
    cuts = set(rules["company_cut_words"])  # 由 + 港灣數據有限公司, 本地公司 + …: the clause ends there
    for part, found in gazetteer_spans(doc):
        text = part.text.text
        if suffix not in text:
            continue
        known_ends = sorted(e for _, _, e in found)
        covered = {(s, e) for _, s, e in found}
        at, previous = text.find(suffix), 0
        while at >= 0:
            end = at + len(suffix)
            start = at
            while start > previous and start > at - 16 and re.match(r"[\u4e00-\u9fffA-Za-z&]", text[start - 1]):
                start -= 1
            i = bisect_right(known_ends, at) - 1
            if i >= 0 and known_ends[i] > start:
                start = known_ends[i]  # after the scheme or body named before it
            # After the last verb of the run (…已支持 + 明川生物有限公司); a one-character particle
            # only where the run starts with it (及 + 恒生銀行…, but 和記… keeps its 和).
            for lead in (w for w in leads if len(w) > 1 or w in cuts):
                found_at = text.rfind(lead, start, at - 1)
                if found_at >= 0:
                    start = max(start, found_at + len(lead))
            # After another name that ends in the run and is joined to this one (廈門大學及 + …).
            for head in (h for h in _longest_first("heads") if len(h) > 1 and h != suffix):
                joined = text.rfind(head, start, at - 2)
                if joined >= 0 and text[joined + len(head)] in _JOINERS:
                    start = max(start, joined + len(head) + 1)
            if text[start] in "".join(w for w in leads if len(w) == 1) and at - start > 2:
                start += 1
            name = text[start:end]
            if 2 <= at - start <= 12 and not any(s <= start and end <= e for s, e in covered) and _company_name_ok(name):
                yield _mention(doc, part, start, end, "institution", NAME_RULES, None)
            at, previous = text.find(suffix, end), end


def _company_name_ok(name: str) -> bool:
    """A company name passes the phrase filter, except that a particle inside a trade name is
    part of it (聯想集團有限公司, 和記…): the run was already cut at the clause's particles."""
    if rejection_reason(name) is None:
        return True
    inside = name_rules()["company_name_chars"]
    return not name.startswith(tuple(inside)) and rejection_reason(name.translate({ord(c): None for c in inside})) is None


_COMPANY_HEADER = "公司名稱"
_ROW_LINE = re.compile(r"\d{1,3}\.\s*(?P<rest>[^\n]+)")


def company_table_mentions(doc: Document) -> Iterator[Mention]:
    """Companies in the rows of a numbered table under a 公司名稱 (company name) header: a row's
    name runs from its number to a qualifier in brackets or to the row's business field, the last
    field word of the row (``name_rules.json`` business_fields: 生物醫藥, 電子, 金融科技 …).

    "3.商湯科技(已於2021年上市)資訊及通訊科技" names 商湯科技; "2.華潤微電子電子" names 華潤微電子.
    """
    fields = _longest_first("business_fields")
    for part in _blocks(doc):
        text = part.text.text
        header = text.find(_COMPANY_HEADER)
        while header >= 0:
            line_end = text.find("\n", header)
            at = line_end + 1 if line_end >= 0 else len(text)
            while (row := _ROW_LINE.match(text, at)) is not None:
                start, stop = row.start("rest"), row.end("rest")
                bracket = text.find("(", start, stop)
                if bracket >= 0:
                    stop = bracket
                # The field that ends last, the longest of those (物料及精密工程, not 工程).
                found = [(at_ + len(f), len(f), at_) for f in fields if (at_ := text.rfind(f, start + 2, stop)) >= 0]
                end = max(found)[2] if found else stop
                end = start + len(text[start:end].rstrip())
                if 2 <= end - start <= 30 and rejection_reason(text[start:end]) is None:
                    yield _mention(doc, part, start, end, "institution", NAME_RULES, None)
                at = row.end() + 1
            header = text.find(_COMPANY_HEADER, max(at, header + len(_COMPANY_HEADER)))  # one table once


_BARE_CHARS = re.compile(r"[\u4e00-\u9fff·‧]")
_BARE_JOINERS = "及和與或而"
_BARE_OPEN = re.compile(r"[\s，。、；：:！？（(「」『』“”\n]")


def bare_name_mentions(doc: Document) -> Iterator[Mention]:
    """Names written without 「」 and without a proper prefix, as news and speeches write them:
    樓宇外牆檢測系統, 青年電競培訓支援計劃, 馬來西亞數碼經濟發展局.

    From a distinctive head (``name_rules.json`` bare_heads) the name runs back over Chinese
    characters to the nearest of: a punctuation mark or figure, the end of a gazetteer name or of
    another head (復旦大學 + 及 + 南京大學 are two names), or a verb, particle or descriptor of
    the clause (``bare_stops``: 介紹了, 由, 本地公司, 引入 …).  A name never runs across them, so
    a clause is never glued into one name; what is left must not be generic nor rejected.
    """
    rules = name_rules()
    heads = _longest_first("bare_heads")
    all_heads = tuple(h for h in _longest_first("heads") if len(h) > 1)
    stops = _longest_first("bare_stops")
    pattern = re.compile("|".join(map(re.escape, heads)))
    for part, found in gazetteer_spans(doc):
        text = part.text.text
        spans = [(s, e) for _, s, e in found]
        known_ends = {e for _, e in spans}
        for match in pattern.finditer(text):
            head = next(h for h in heads if text.startswith(h, match.start()))
            end = match.start() + len(head)
            if text[end : end + 1] and text[end] in rules["bare_not_before"].get(head, ""):
                continue  # 基金會, 大學生: the head starts a longer word
            after = text[end : end + 1]
            if head in rules["bare_end_before"] and _CJK.match(after) and after not in rules["bare_end_before"][head]:
                continue  # …大賽 + 香港分站賽: the name runs on past the head
            if any(e == end and e - s > 3 for s, e in spans):
                continue  # the gazetteer names it (a short alias like 發展局 may end a longer name)
            start = match.start()
            bounded = after_name = False
            while start > match.start() - 14:
                if start == 0 or _BARE_OPEN.match(text, start - 1):
                    bounded = True
                    break
                if not _BARE_CHARS.match(text, start - 1):
                    break  # a figure or Latin word before it: no clear start
                if start < match.start() and (start in known_ends or text.endswith(all_heads, 0, start)):
                    bounded = after_name = True
                    break  # another name ends here
                if any(text.endswith(w, 0, start) for w in stops):
                    bounded = True
                    break
                start -= 1
            if head in rules["bare_unit_heads"] and not after_name:
                continue  # 部, 中心: a unit only right after its body's name (醫院管理局 + 資訊科技及醫療信息部)
            while start < match.start() and text[start] in _BARE_JOINERS:
                start += 1  # 及 + 醫院管理局: a joiner opens no name
            former = next((w for w in rules["bare_former"] if text.startswith(w, start)), None)
            if former and not text.startswith(tuple(rules["proper_prefixes"]), start):
                start += len(former)  # 前 + 資訊科技總監辦公室: the former office, named by its name (not 前海)
            name = text[start:end]
            core = name[: -len(head)]
            last_joiner = max(core.rfind(j) for j in "及和")
            if "或" in core or 0 <= len(core) - last_joiner - 1 < 2:
                continue  # 科研機構及大學: a list of kinds, not a name
            if any(word in core for word in rules["bare_not_in_core"]) or core.endswith(tuple(rules["bare_core_not_end"])):
                continue  # 鼓勵大學, 各項資助計劃: a verb or quantifier before the head, not a name
            if not bounded or len(core) < rules["bare_min_core"].get(head, 2) or any(s <= start < e for s, e in spans):
                continue
            if head in rules["bare_intro_heads"] and (not _introduced(text, start) or text[end : end + 1] in "「“『"):
                continue  # 系統, 平台: a name only where the text introduces it (首個…系統, 引入…平台),
                # and not a descriptor before the quoted name (推出網上學習平台「…」)
            if _inside_book_title(text, start) or text[start - 1 : start] == "「" or rejection_reason(name):
                continue
            yield _mention(doc, part, start, end, rules["bare_heads"][head], NAME_RULES, None)


def _introduced(text: str, start: int) -> bool:
    """Whether the words before ``start`` introduce a new system or platform by name: a launch
    (推出了, 引入), a first or new one (首個, 新一代), or its owner (深圳市氣象局 + 的)."""
    if any(text.endswith(w, 0, start) for w in name_rules()["bare_intros"]):
        return True
    if text[start - 1 : start] != "的":
        return False
    before = text[max(0, start - 13) : start - 1]
    return any(head_kind(before[i:]) == "institution" and rejection_reason(before[i:]) is None and _proper_start(before, i)
               for i in range(len(before) - 2))


def _proper_start(text: str, i: int) -> bool:
    return i == 0 or _BARE_OPEN.match(text, i - 1) is not None or text.startswith(tuple(name_rules()["proper_prefixes"]), i)


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.&'-]*(?: [A-Z][A-Za-z0-9.&'-]*)*")


def company_list_mentions(doc: Document) -> Iterator[Mention]:
    """Companies and brands listed by name after a word for companies: 企業包括A、B及C,
    雲端公司如Snowflake及Databricks.  One-word names have no head, so the list must hold at least two
    items and every item must look like a name (a Latin word, or two to six Chinese characters
    with no generic word, verb or particle in them); one item that does not (從事醫療用品 …)
    drops the whole list.
    """
    rules = name_rules()
    subjects = "|".join(map(re.escape, _longest_first("company_list_subjects")))
    opener = re.compile(rf"(?:{subjects})[，,(（]?(?:包括|例如|如(?![何果同此今])|計有)")
    ends = tuple(_longest_first("company_list_ends"))
    not_in_item = tuple(rules["company_list_not_in_item"]) + tuple(rules["rejected_fragments"])
    for part in sections(doc):
        text = part.text.text
        for match in opener.finditer(text):
            items: list[tuple[int, int]] = []
            at = match.end()
            while True:
                latin = _LATIN_NAME.match(text, at)
                if latin:
                    end = latin.end()
                else:
                    end = at
                    while end < len(text) and end - at < 7 and _CJK.match(text, end) and not text.startswith(("及", "和", "以及") + ends, end):
                        end += 1
                item = text[at:end]
                if not item or (not latin and not 2 <= len(item) <= 6) or any(bad in item for bad in not_in_item):
                    items = []
                    break
                items.append((at, end))
                joiner = re.compile(r"\s*(?:、|以及|及|和|與)\s*").match(text, end)
                if joiner is None:
                    if not (end == len(text) or text[end] in "，。；、)）" or text.startswith(ends, end)):
                        items = []
                    break
                at = joiner.end()
            if len(items) >= 2:
                for start, end in items:
                    yield _mention(doc, part, start, end, "institution", NAME_RULES, None)
