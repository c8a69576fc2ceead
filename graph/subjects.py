"""What each amount is the amount of: attach amounts to the entities their text names.

An amount gets a subject only when the text makes it clear; otherwise it has none.  In order:

1. a table cell: the entity named in its row label; a row without one (研發開支, a measure of
   the entity in the rows above) the entity named last in the table's rows above it; a total,
   or a row with nothing above, belongs to the table, whose subject is the last scheme named
   before its header in the same part, when that is within a few sentences;
2. an entity named right after the figure: 100億元的「新型工業加速計劃」, 三十億元人工智能資助計劃;
3. the figure's clause (between ， ； ： 。): the one recipient of 向/為 X 撥款/預留; else the only
   entity named, or failing one, the only scheme among several: 撥出20億元支持「InnoHK創新香港研發
   平台」, 預留10億元成立香港人工智能研發院.  A fund named as the parent of the next name
   (X轄下的Y) yields to Y.  When the clause names only who pays (獲/由 X 撥款/捐款), the money is
   the funded scheme or platform the sentence opens with, or one its head noun names back, else
   the payer's;
4. a demonstrative and a head noun in the clause (透過該計劃撥款3億元), or a bare head noun opening the sentence (計劃為…, 實驗室首階段獲…, 此外，基金將…; heads in
   ``ontology/anaphors.json``) names the last entity before it whose name ends so, when the
   sentence that named it names no other such entity (新部門: the one just 成立) and nothing else
   is named between the head and the figure;
5. the only entity named in the figure's sentence, leaving out who pays when something else is
   named (由X支付, 投資者包括X): 政府已預留10億港元，成立香港人工智能研發院;
6. the sentence before a 此/該 sentence ("此項目總投資金額約6億元"), the only scheme of the numbered
   answer item, or of the whole written question (its sub-questions refer back to it).

A document's headline (its short first line, a blank line after it) is not part of the sentence
below it.

Short forms count: a defined 資助計劃 names its scheme.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable

from legco_kg.extractors.model import Amount, Mention
from legco_kg.extractors.text import ITEM_MARK

SUBJECT_KINDS = frozenset({"scheme", "institution", "platform", "bureau"})
# Offsets are into the original text, whose line breaks are the PDF's wrapping, not sentence ends.
# A bullet starts a statement of its own (fact sheets, speeches' points): "•●▪■◆" and the PDF
# symbol fonts' bullets, kept as private-use characters (U+F000-F0FF: \uf06e, \uf0d8 …).
_BULLETS = frozenset("•●▪■◆◇►▶") | frozenset(map(chr, range(0xF000, 0xF100)))
_CLAUSE_BREAKS = frozenset("，,；;：:。") | _BULLETS
_SENTENCE_BREAKS = frozenset("。；;") | _BULLETS
_LINK = frozenset("的「」『』“” \n")
REACH = 200  # at most this far to a clause or sentence end
ITEM_REACH = 1500  # at most this far to a numbered item's start
TABLE_REACH = 400  # original characters before a table's header searched for its subject


def attach(amounts: Iterable[Amount], mentions: list[tuple[Mention, str]], kinds: dict[str, str], text_of: dict[str, str]) -> list[tuple[Amount, str | None]]:
    """Each amount with the id of its subject entity, or None.

    ``mentions`` are the resolved mentions, ``kinds`` the kind of each entity id and
    ``text_of`` the original text of each document (to find clause and sentence ends).
    """
    by_part: dict[tuple, list[tuple[Mention, str]]] = {}
    for mention, entity_id in mentions:
        if kinds.get(entity_id) in SUBJECT_KINDS and mention.section in ("question", "answer", "body"):
            by_part.setdefault((mention.doc_id, mention.reply, mention.section), []).append((mention, entity_id))
    starts = {}
    for key, found in by_part.items():
        found.sort(key=lambda item: item[0].start)
        starts[key] = [m.start for m, _ in found]
    result = []
    for amount in amounts:
        key = (amount.doc_id, amount.reply, amount.section)
        found = by_part.get(key, [])
        result.append((amount, _subject(amount, found, starts.get(key, []), kinds, text_of[amount.doc_id])))
    return result


def _between(found: list[tuple[Mention, str]], starts: list[int], lo: int, hi: int) -> list[tuple[Mention, str]]:
    return [item for item in found[bisect_left(starts, lo) : bisect_right(starts, hi)] if item[0].end <= hi]


def _only(items: list[tuple[Mention, str]], kinds: dict[str, str]) -> str | None:
    ids = list(dict.fromkeys(entity_id for _, entity_id in items))
    if len(ids) == 1:
        return ids[0]
    schemes = [i for i in ids if kinds[i] == "scheme"]
    return schemes[0] if len(schemes) == 1 else None


_ITEM_START = re.compile(rf"\n[ \t]*{ITEM_MARK}")


def _bounds(text: str, start: int, end: int, breaks: frozenset[str], reach: int = REACH) -> tuple[int, int]:
    """The stretch around ``start:end`` up to the nearest break, a numbered item's start, or ``reach``."""
    stops = _stops(breaks)
    lo = max(0, start - reach)
    for found in stops.finditer(text, lo, start):  # the last stop before ``start`` bounds it
        at = found.start()
        if text[at] in breaks or _ITEM_START.match(text, at):
            lo = at + 1
    hi = min(len(text), end + reach)
    for found in stops.finditer(text, end, hi):  # the first stop from ``end`` on bounds it
        at = found.start()
        if text[at] in breaks or _ITEM_START.match(text, at):
            hi = at
            break
    return lo, hi


@lru_cache(maxsize=None)
def _stops(breaks: frozenset[str]) -> re.Pattern:
    """The characters that can end a stretch: the ``breaks``, and a line break (if an item starts there)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(breaks | {"\n"})) + "]")


def _subject(amount: Amount, found, starts, kinds, text: str) -> str | None:
    if amount.row_span is not None:
        in_row = _between(found, starts, *amount.row_span)
        # A name in brackets annotates the row ("(自2021年6月起納入創新及科技支援計劃內)").
        in_row = [item for item in in_row if not _in_brackets(text, amount.row_span[0], item[0].start)] or in_row
        if in_row:
            # "漁農自然護理署郊野樂行": a body, then the item of the row; the item is the subject.
            items = [entity_id for _, entity_id in in_row if kinds[entity_id] in ("scheme", "platform")]
            return (items or [entity_id for _, entity_id in in_row])[-1]
        if amount.table is not None and not _WHOLE_TABLE.match(amount.row or ""):
            # "應科院 / 開展的新項目數目… / 相關項目成本(百萬元) 504.3 …": a row of a measure
            # belongs to the entity named last in the table's rows above it.
            above = _between(found, starts, amount.table, amount.row_span[0])
            if above:
                return above[-1][1]
        return _last_scheme(found, starts, kinds, amount.table, text)
    # Right after the figure, joined by 的 or a quote.
    at = amount.end
    while at < len(text) and at - amount.end < 6 and text[at] in _LINK:
        at += 1
    following = [item for item in _between(found, starts, at, at + 40) if item[0].start == at]
    if following:
        return following[0][1]
    clause_lo, clause_hi = _bounds(text, amount.start, amount.end, _CLAUSE_BREAKS)
    clause = _between(found, starts, clause_lo, clause_hi)
    lo, hi = _bounds(text, amount.start, amount.end, _SENTENCE_BREAKS)
    lo = _after_headline(text, lo, amount.start)
    respective = _respectively(text, amount, clause_lo, clause_hi, lo, found, starts)
    if respective is not None:
        return respective
    if clause:
        clause = _without_parents(clause, text)
        # A body that gives (特區政府將撥款) pays; a scheme that grants (計劃批出) is what it is of.
        givers = [item for item in clause if kinds[item[1]] not in ("scheme", "platform") and _gives(item[0], text, amount.start)]
        funders = [item for item in clause if _is_funder(item[0], text, amount.start) or item in givers]
        others = [item for item in clause if item not in funders]
        recipients = list(dict.fromkeys(item[1] for item in others if _is_recipient(item[0], text, amount.start)))
        if len(recipients) == 1:
            # "創新科技署向數碼港撥款3億元": the money is the recipient's, not the giver's.
            return recipients[0]
        if others or not funders:
            return _only(others or clause, kinds)
        # "平台由…營運，獲某基金撥款2,300萬元": the clause names only who pays; the
        # money is the funded project's, when the sentence opens with one.
        topic = _topic(text, lo, amount.start, found, starts, kinds)
        if topic is not None and topic[1] != "name" and topic[0] not in {entity_id for _, entity_id in funders}:
            return topic[0]
        if givers:
            # "為支持「X計劃」，特區政府將撥款5億元": who gives is named; what it is for is the
            # one scheme or platform the sentence names besides.
            payer_ids = {entity_id for _, entity_id in funders}
            funded = [item for item in _between(found, starts, lo, hi) if item[1] not in payer_ids and kinds[item[1]] in ("scheme", "platform")]
            ids = list(dict.fromkeys(entity_id for _, entity_id in funded))
            if len(ids) == 1:
                return ids[0]
        return _only(funders, kinds)
    intro = text.rfind("如下", max(0, amount.start - REACH), amount.start)
    if intro >= 0 and "。" not in text[intro : amount.start]:
        # A table whose cells carry their own unit (6億元): it belongs to the last scheme named
        # before its "…表列如下" line, as a table with a unit header does.
        return _last_scheme(found, starts, kinds, intro)
    # "政府會透過該計劃撥款3億元": a demonstrative and a head noun in the clause name it.
    pointer = _POINTER.search(text, clause_lo, clause_hi)
    if pointer is not None:
        head = _anaphors()[0].match(text, pointer.end())
        if head is not None and head.start() == pointer.end() and not _between(found, starts, head.start(), head.end() + 1):
            referent = _referent(text, head, found, starts)
            if referent is not None:
                return referent
    # "計劃為每個項目提供最高200萬元資助", "實驗室首階段獲撥款8,000萬元": a clause without a name of
    # its own is about what the head noun opening its sentence refers back to.
    topic = _topic(text, lo, amount.start, found, starts, kinds)
    if topic is not None and topic[1] == "head" and not _named_between(text, topic[2], clause_lo, found, starts):
        return topic[0]
    frame = _FRAME.match(text, _OPENING.match(text, lo).end())
    if frame is not None:
        # "在「A計劃」下，每個項目的上限為100萬元": the frame names what the sentence is about,
        # up to another name ("而在「B計劃」下則為50萬元").
        framed = list(dict.fromkeys(entity_id for _, entity_id in _between(found, starts, frame.start("name"), frame.end("name") + 1)))
        if len(framed) == 1 and not _named_between(text, frame.end(), clause_lo, found, starts):
            return framed[0]
    if topic is None and _opens_with_head(text, lo, amount.start, found, starts):
        # "系統由本地公司…開發，整體開支約為1,900萬元": the sentence is about the thing its
        # head noun refers back to; when that is not known (or could be two), the figure is of
        # neither who built it nor who pays.
        return None
    phase = _LATER_PHASE.search(text, lo, hi)
    if phase is not None:
        # "X已完成首階段工作。當局預留1億元推行第二階段": a later phase is of what the sentence
        # before says finished or began its first.
        before_lo, _ = _bounds(text, lo - 1, lo - 1, _SENTENCE_BREAKS) if lo > 0 else (0, 0)
        if lo > 0 and _FIRST_PHASE.search(text, before_lo, lo):
            previous = [
                item for item in _without_parents(_between(found, starts, before_lo, lo), text)
                if not _runs(item[0], text) and not _SPEAKER.match(text, item[0].end)
            ]
            ids = list(dict.fromkeys(entity_id for _, entity_id in previous))
            if len(ids) == 1 and not _between(found, starts, clause_lo, clause_hi):
                return ids[0]
    if _unrecognised_quote(text, clause_lo, clause_hi, found, starts):
        # "「研究人才庫」的預算為5億元，而「博士專才庫」則為3億元": the clause quotes a name the
        # extractors do not know; the figure is its, not another entity's of the sentence.
        return None
    sentence = _without_parents(_between(found, starts, lo, hi), text)
    # "「…網絡」由渠務署負責，工程費用為2,700萬元": who runs a thing is not what it costs;
    # "X舉辦的「Y」…成交額約8億元": the organiser yields to what it organises, known or not.
    organisers = [item for item in sentence if _organises_a_quoted(item[0], text)]
    if organisers and len(organisers) == len(sentence):
        return None
    sentence = [item for item in sentence if not _runs(item[0], text) and item not in organisers]
    # "漁護署署長表示，…" names who speaks: the body yields to anything else named, but is the
    # one who gives when nothing else is ("…行政總裁表示，明年會再投放8億元").
    sentence = [item for item in sentence if not _SPEAKER.match(text, item[0].end)] or sentence
    # "預留50億元…，當中20億元用於「X計劃」": X is the part's, not the whole's.
    parts = [item for item in sentence if _in_a_part(item[0], text, amount)]
    if parts and len(parts) == len(sentence):
        return None
    sentence = [item for item in sentence if item not in parts]
    if sentence:
        # "…集資1.5億元，投資者包括科技企業投資基金": who pays is named beside what is paid for.
        paid = [item for item in sentence if not _pays(item[0], text)]
        return _only(paid or sentence, kinds) or _set_up(paid or sentence, text, amount.start, kinds)
    if lo > 0 and text[lo - 1] in _BULLETS:
        # "• 推出「…先導計劃」 • 向每家企業提供最高三千萬元資助": a point naming nothing goes on
        # about what the point before it, in the same list, names.
        before_lo, _ = _bounds(text, lo - 1, lo - 1, _SENTENCE_BREAKS)
        if before_lo > 0 and text[before_lo - 1] in _BULLETS:
            previous = _between(found, starts, before_lo, lo)
            previous = [item for item in previous if not _runs(item[0], text)]
            if previous and _only(previous, kinds):
                return _only(previous, kinds)
            topic = _topic(text, before_lo, lo, found, starts, kinds)
            if not previous and topic is not None and topic[1] == "head":
                return topic[0]  # "•「A計劃」推出 • 計劃總撥款2億元 • 每個項目上限50萬元"
    if _DEMONSTRATIVE.match(text, lo) and lo > 0:
        # "此項目總投資金額約6億元": the sentence before names what 此 refers to.
        before_lo, _ = _bounds(text, lo - 1, lo - 1, _SENTENCE_BREAKS)
        previous = _between(found, starts, before_lo, lo)
        if previous:
            return _only(previous, kinds)
    if lo > 0 and text[lo - 1] in _BULLETS:
        return None  # a point of a list names what it is of, or its point before does; else unclear
    if _NEW_TOPIC.match(text, lo):
        return None  # "另外，新客運大樓的工程費用為30億元": a sentence turning to something else
    # A numbered answer item about one scheme: its amounts are that scheme's.
    item = _between(found, starts, *_bounds(text, amount.start, amount.end, frozenset(), ITEM_REACH))
    schemes = {entity_id for _, entity_id in item if kinds[entity_id] == "scheme"}
    if len(schemes) == 1:
        return schemes.pop()
    if amount.section == "question":
        # A written question is about one thing; its sub-questions ("1.…上限設為25萬元") refer
        # back to the scheme it names, when it names only one.
        schemes = {entity_id for _, entity_id in found if kinds[entity_id] == "scheme"}
        if len(schemes) == 1:
            return schemes.pop()
    item_lo, _ = _bounds(text, amount.start, amount.end, frozenset(), ITEM_REACH)
    if not item and item_lo > 0 and _ITEM_START.match(text, item_lo - 1):
        # "政府推出「A計劃」…。就此，政府可否告知本會：(一)…(二)會否把上限由20萬元提高至40萬元":
        # items naming nothing go on about the one scheme the words introducing the list name.
        intro = _list_intro(text, item_lo)
        schemes = list(dict.fromkeys(entity_id for _, entity_id in _between(found, starts, *intro) if kinds[entity_id] == "scheme"))
        if len(schemes) == 1:
            return schemes[0]
    return None


def _list_intro(text: str, item_lo: int) -> tuple[int, int]:
    """The words introducing the list of numbered items that ``item_lo`` starts one of: from the
    paragraph before the first item of the run up to it."""
    first = item_lo
    while True:
        previous = max((m.start() + 1 for m in _ITEM_START.finditer(text, max(0, first - ITEM_REACH), first - 1)), default=None)
        if previous is None or _PARAGRAPH.search(text, previous, first):
            break
        first = previous
    paragraph = max((m.end() for m in _PARAGRAPH.finditer(text, max(0, first - ITEM_REACH), first)), default=max(0, first - ITEM_REACH))
    return paragraph, first


# Rows about the whole table, not the row above: totals, "others".
_WHOLE_TABLE = re.compile(r"^(?:總數|總計|合計|總額|小計|共計|其他|其餘|整體|全部)")
_DEMONSTRATIVE = re.compile(r"\s*(?:此|該|這|上述)")


def _in_brackets(text: str, start: int, at: int) -> bool:
    """Whether ``at`` is inside brackets opened after ``start``."""
    before = text[start:at]
    return before.count("(") + before.count("（") > before.count(")") + before.count("）")


def _last_scheme(found, starts, kinds, before: int, text: str | None = None) -> str | None:
    """The table's subject: the last scheme named before its header, else the only entity of
    the sentence that introduces it ("研發中心的營運開支如下：")."""
    earlier = _between(found, starts, max(0, before - TABLE_REACH), before)
    schemes = [entity_id for _, entity_id in earlier if kinds[entity_id] == "scheme"]
    if schemes:
        return schemes[-1]
    if text is None:
        return None
    intro_start = max(text.rfind(c, max(0, before - TABLE_REACH), before) for c in "。；")
    intro = [item for item in earlier if item[0].start > intro_start]
    ids = list(dict.fromkeys(entity_id for _, entity_id in intro))
    return ids[0] if len(ids) == 1 else None


# A parent fund, or an organiser: "X轄下的Y", "X舉辦的Y" (the money is Y's).
_PARENT = re.compile(r"[」』”]?(?:(?:轄下|旗下|屬下)(?:的|之)?|下(?:的|之)|(?:所|主辦|舉辦|籌辦|營運|管理|推出|成立|設立|開發)的)")
_FUNDER_BEFORE = re.compile(r"(?:獲|由|得到|獲得|透過|通過|經)[「『“]?$")
_FUNDING = re.compile(r"(?:撥款|撥出|資助|捐款|捐助|捐贈|贊助|支付|注資|出資)")


def _without_parents(clause, text: str):
    """Drop a fund named as the parent of the next name ("創新及科技基金轄下的企業支援計劃")."""
    kept = []
    for index, item in enumerate(clause):
        parent = _PARENT.match(text, item[0].end)
        if parent and index + 1 < len(clause) and clause[index + 1][0].start - parent.end() <= 1:
            continue
        kept.append(item)
    return kept


_PART = re.compile(r"\s*(?:當中|其中)[^，。；]*?\d[\d,.]*[萬億]?元")


def _in_a_part(mention: Mention, text: str, amount: Amount) -> bool:
    """Whether ``mention`` stands in a clause giving a part of another figure (當中20億元用於X)."""
    lo, hi = _bounds(text, mention.start, mention.end, _CLAUSE_BREAKS)
    part = _PART.match(text, lo)
    return part is not None and part.end() <= hi and not lo <= amount.start < hi


def _organises_a_quoted(mention: Mention, text: str) -> bool:
    """Whether ``mention`` is named as the parent or organiser of a quoted name: X舉辦的「Y」."""
    parent = _PARENT.match(text, mention.end)
    return parent is not None and text[parent.end() : parent.end() + 1] in ("「", "『")


def _is_funder(mention: Mention, text: str, figure: int) -> bool:
    """Whether ``mention`` names who pays the figure: 獲/由 X (轄下的Y) 撥款/資助/捐款 … figure."""
    if mention.end > figure or not _FUNDER_BEFORE.search(text, max(0, mention.start - 3), mention.start):
        return False
    return bool(_FUNDING.search(text, mention.end, figure))


_PAYER_BEFORE = re.compile(r"(?:(?:由|獲|得到|獲得|透過|通過|經)(?:政府的)?|(?:投資者|投資方|出資方|資金來源)(?:包括|為|是)?)[「『“]?$")


def _pays(mention: Mention, text: str) -> bool:
    """Whether ``mention`` is named as who pays, in its own clause: "由X支付", "獲X資助",
    "投資者包括X"."""
    before = _PAYER_BEFORE.search(text, max(0, mention.start - 7), mention.start)
    if before is None:
        return False
    if before.group().startswith(("投資者", "投資方", "出資方", "資金來源")):
        return True
    _, clause_end = _bounds(text, mention.start, mention.end, _CLAUSE_BREAKS)
    return bool(_FUNDING.search(text, mention.end, clause_end))


# 向 X, also after a few words saying where X is ("向港澳地區的「…項目」撥款").
_RECIPIENT_BEFORE = re.compile(r"(?:(?:向|為|給|給予|予)|向[^，。；：「」『』“”\n]{1,8}的)[「『“]?$")
_GIVING = re.compile(r"(?:撥款|撥出|撥|資助|提供|預留|注資|批出|發放)")


def _is_recipient(mention: Mention, text: str, figure: int) -> bool:
    """Whether ``mention`` names who receives the figure: 向/為 X 撥款/預留/提供 … figure."""
    if mention.end > figure or not _RECIPIENT_BEFORE.search(text, max(0, mention.start - 12), mention.start):
        return False
    return bool(_GIVING.search(text, mention.end, figure))


@lru_cache(maxsize=1)
def _anaphors() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    from legco_kg.ontology import data_path

    heads = {head: tuple(endings) for head, endings in json.loads(data_path("anaphors.json").read_text("utf-8"))["heads"].items()}
    words = "|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))
    return re.compile(rf"(?:該|此|這|上述|有關|新|整個)?({words})(?![\u4e00-\u9fff]*[」』”])"), heads


# A person's title after a body's name: "漁農自然護理署署長指出", "數碼港行政總裁介紹" name a
# person, who speaks; the body is not what the money is of.
_TITLES = r"(?:副?局長|副?署長|副?處長|副?司長|副?主席|發言人|行政總裁|總裁|總監|秘書長|議員|主任|院長|校長|代表)"
# A label before the sentence proper ("項目簡介：", "主席：").
_OPENING = re.compile(
    rf"[\s「『]*(?:{ITEM_MARK}\s*|[一二三四五六七八九十]{{1,3}}、\s*)?"
    # A label ("項目簡介：") or a speaker ("主席：", "創新科技及工業局局長：").
    rf"(?:(?:[^\s，。；：:「」]{{1,6}}|[^\s，。；：:「」]{{1,16}}?{_TITLES})[：:][\s「『]*)?"
    r"(?:(?:此外|另外|同時|另一方面|目前|現時|今年|明年|去年|首階段|首年)[，,]?\s*)?"
)
_NEW_TOPIC = re.compile(r"[\s「『]*(?:另外|此外|另一方面|與此同時|除此之外|至於)")
_LATER_PHASE = re.compile(r"第[二三四五六七八九十2-9](?:階段|期)")
_FIRST_PHASE = re.compile(r"(?:首|第一|第1)(?:個)?(?:階段|期)")
_PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n")
_SPEAKER = re.compile(_TITLES)


def _topic(text: str, lo: int, until: int, found, starts, kinds) -> tuple[str, str, int] | None:
    """What a sentence opens with, and how: a name at its start ("funded" for a scheme or
    platform, else "name"), or a bare head noun (計劃, 實驗室, 平台) naming the last entity
    before it that ends so ("head"); None when neither, or when the head could name two
    entities of the sentence before."""
    paragraph = _after_headline(text, lo, until)
    at = _OPENING.match(text, paragraph).end()
    if at >= until:
        return None
    opening = [item for item in _between(found, starts, at, at + 40) if item[0].start == at]
    if opening:
        entity_id = opening[0][1]
        return entity_id, "funded" if kinds[entity_id] in ("scheme", "platform") else "name", opening[0][0].end
    head = _anaphors()[0].match(text, at)
    if head is None or _between(found, starts, at, head.end() + 1) or text[head.end() : head.end() + 1] in _COMPOUND_AFTER_HEAD:
        return None
    entity_id = _referent(text, head, found, starts)
    return (entity_id, "head", head.end()) if entity_id is not None else None


# A character that makes a head noun part of another word (服務業, 服務費, 中心區, 計劃書).
_COMPOUND_AFTER_HEAD = frozenset("業費區書性法組界")


def _opens_with_head(text: str, lo: int, until: int, found, starts) -> bool:
    """Whether the sentence from ``lo`` opens with a bare head noun (系統, 項目, 新服務)."""
    at = _OPENING.match(text, _after_headline(text, lo, until)).end()
    head = _anaphors()[0].match(text, at)
    if head is None or head.end() > until or _between(found, starts, at, head.end() + 1):
        return False
    return text[head.end() : head.end() + 1] not in _COMPOUND_AFTER_HEAD  # 服務業, 服務費: no head


def _referent(text: str, head: re.Match, found, starts) -> str | None:
    """The entity a head noun (計劃, 該基金, 新部門) refers back to: the last named before it whose
    name ends so, when the sentence naming it names no other such entity and no word ending so
    stands between; else None."""
    at = head.start()
    endings = _anaphors()[1][head.group(1)]
    earlier = [item for item in _between(found, starts, max(0, at - 2 * REACH), at)
               if _name(text, item[0]).endswith(endings)]
    if not earlier:
        return None
    last = earlier[-1][0]
    if _unrecognised(text, last.end, at, endings, found, starts):
        return None  # "…與一家初創公司簽約。公司將…": the head may name what was not recognised
    sentence_lo, _ = _bounds(text, last.start, last.end, _SENTENCE_BREAKS)
    sentence_lo = _after_headline(text, sentence_lo, last.start)
    candidates = [item for item in earlier if item[0].start >= sentence_lo]
    if len(set(entity_id for _, entity_id in candidates)) > 1:
        # "成立新型工業推廣署，接手工業貿易署…。新部門…": 新 names the one just set up; a bare
        # head the one the sentence introduces ("「A平台」將擴展至「B系統」。項目…": B).
        introduced = _SET_UP if head.group().startswith("新") else _INTRODUCED
        candidates = [item for item in candidates if introduced.search(text, max(0, item[0].start - 4), item[0].start)]
    ids = list(dict.fromkeys(entity_id for _, entity_id in candidates))
    return ids[0] if len(ids) == 1 else None


_POINTER = re.compile(r"(?:該|此|這|上述)(?=[\u4e00-\u9fff])")
_SET_UP_VERBS = "成立|設立|新設|推出|籌建|創立"
_SET_UP = re.compile(rf"(?:{_SET_UP_VERBS})[「『“]?$")
_INTRODUCED = re.compile(rf"(?:{_SET_UP_VERBS}|擴展至|擴展到|擴大至|擴大到|升級為|升級至|發展成|發展為)(?:全新的|新的|一個|一項|一套)?[「『“]?$")


def _named_between(text: str, lo: int, hi: int, found, starts) -> bool:
    """Whether something else the figure could be of is named between ``lo`` and ``hi``: an
    entity, or a word ending in a head noun ("推出屋苑充電設施資助計劃", a name not recognised)."""
    if lo >= hi:
        return False
    # "此項目由運輸署統籌，…": who runs the thing, named after 由 or 與, is not another candidate.
    inside = _between(found, starts, lo, hi)
    named = [item for item in inside if not _AGENT_BEFORE.search(text, max(0, item[0].start - 2), item[0].start)]
    if named:
        return True
    # A head word inside a name ("香港應用科技研究院") is that name's, not another thing named.
    return any(not any(m.start <= head.start() < m.end for m, _ in inside) for head in _anaphors()[0].finditer(text, lo, hi))


_AGENT_BEFORE = re.compile(r"(?:由|與|和|及)[「『“]?$")
# 由 X, or 由 a few words of description X ("由本地公司港灣數據有限公司開發"); not 由於, 理由.
_RUN_BY = re.compile(r"(?<![自理經緣])由(?!於)[^，。；：:\n「」『』“”]{0,6}[「『“]?$")
# What X does: runs it, maybe with others ("由機電署與應科院合作開發").
_RUNNING = re.compile(r"[」』”]?(?:(?:與|和|及|、|以及|聯同)[^，。；：:\n]{1,24}?)?(?:合作|共同|聯合|攜手|全權|專責|直接)?(?:負責|推行|執行|統籌|營運|運作|管理|開發|研發|主理|承辦|牽頭|主導|落實|督導|監督|設計|興建|建造|營辦)")


_GIVER_AFTER = re.compile(
    r"[」』”]?(?:[今明去]年|今日|將會|將|會|已經|已|亦|再|正|共|合共|額外|另外|分別|先後)*"
    r"(?:撥款|預留|撥出|投放|斥資|注資|批出|投入|投資)"
)


def _gives(mention: Mention, text: str, figure: int) -> bool:
    """Whether ``mention`` is who gives the figure: "特區政府將撥款5億元", "X今年預留…"."""
    giver = _GIVER_AFTER.match(text, mention.end)
    return giver is not None and giver.end() <= figure and not _is_recipient(mention, text, figure)


_FRAME = re.compile(r"(?:在|根據|按照|就|於)(?P<name>[「『“]?[^，,。；「」『』“”]{2,40}?[」』”]?)(?:之下|下|而言|方面|中)?[，,]")


def _respectively(text: str, amount: Amount, clause_lo: int, clause_hi: int, lo: int, found, starts) -> str | None:
    """The name in the place of the figure: "A與B分別獲撥款2億元及1億元" (A: 2億元, B: 1億元)."""
    at = text.find("分別", lo, amount.start)
    if at < 0:
        return None
    from legco_kg.extractors.amounts import find_in_text

    _, sentence_hi = _bounds(text, amount.start, amount.end, _SENTENCE_BREAKS)
    figures = [at + f.start for f in find_in_text(text[at:sentence_hi]) if f.qualifier != "range"]
    names = list(dict.fromkeys(entity_id for _, entity_id in _between(found, starts, lo, at)))
    if len(names) < 2 or len(names) != len(figures) or amount.start not in figures:
        return None
    return names[figures.index(amount.start)]


def _runs(mention: Mention, text: str) -> bool:
    """Whether ``mention`` is named as who runs or builds a thing ("由X負責", "由X營運") or as a
    partner ("與X合作", "聯同X推行")."""
    if _PARTNER_BEFORE.search(text, max(0, mention.start - 3), mention.start) and _PARTNERING.match(text, mention.end):
        return True
    if _PARTNERS_WITH.match(text, mention.end):
        return True  # "數碼港與科技園公司合作": both are partners
    return bool(_RUN_BY.search(text, max(0, mention.start - 3), mention.start)) and bool(_RUNNING.match(text, mention.end))


_PARTNER_BEFORE = re.compile(r"(?:與|和|同|聯同|夥拍|聯合)[「『“]?$")
_PARTNERS_WITH = re.compile(r"[」』”]?(?:與|和|同|聯同)[^，。；：:\n]{1,20}?(?:緊密|共同|一同|一起)?(?:合作|攜手|合辦|協作)")
_PARTNERING = re.compile(r"[」』”]?[^，。；：:\n]{0,4}?(?:緊密|共同|一同|一起)?(?:合作|攜手|合辦|協作)")


_QUOTE = re.compile(r"[「『“](?P<name>[^「」『』“”\n，。；]{2,20})[」』”]")


def _unrecognised_quote(text: str, lo: int, hi: int, found, starts) -> bool:
    """Whether a quoted name no extractor recognised stands between ``lo`` and ``hi``: 「博士專才庫」."""
    for quote in _QUOTE.finditer(text, lo, hi):
        if not _between(found, starts, quote.start(), quote.end() + 4):
            return True
    return False


def _set_up(items, text: str, figure: int, kinds) -> str | None:
    """The one entity the sentence says is set up or launched before the figure ("推出「智方便+」
    平台，開發費用…"): the money of a clause naming nothing is the new thing's, not who launched
    it.  One set up after the figure ("預留100億元…，並設立「…中心」") may be only part of it."""
    launched = []
    for index, (mention, entity_id) in enumerate(items):
        if mention.end <= figure and _LAUNCHED.search(text, max(0, mention.start - 4), mention.start):
            launched.append(entity_id)
            # "推出「A計劃」及「B計劃」，兩項計劃合共撥款3億元": the launch names both.
            for other, other_id in items[index + 1 :]:
                if not _JOINED.fullmatch(text, mention.end, other.start):
                    break
                launched.append(other_id)
                mention = other
    launched = list(dict.fromkeys(launched))
    # "推出「A計劃」，並優化「B計劃」，涉及款項共4億元": another scheme named beside it may share it.
    items_of_kind = {entity_id for _, entity_id in items if kinds[entity_id] in ("scheme", "platform")}
    if len(launched) != 1 or items_of_kind - set(launched):
        return None
    return launched[0]


_JOINED = re.compile(r"[」』”]?\s?(?:及|和|與|、|以及)\s?[「『“]?")
_LAUNCHED = re.compile(r"(?:推出|成立|設立|新設|籌建|創立|建立|開發|推行|啟用|開設)(?:了|的)?[「『“]?$")


def _unrecognised(text: str, lo: int, hi: int, endings: tuple[str, ...], found, starts) -> bool:
    """Whether a word with one of ``endings`` stands between ``lo`` and ``hi`` outside the names."""
    between = list(text[lo:hi])
    for mention, _ in _between(found, starts, lo, hi):
        between[mention.start - lo : mention.end - lo] = " " * (mention.end - mention.start)
    words = "".join(between)
    for ending in endings:
        for found_at in (m.start() for m in re.finditer(re.escape(ending), words)):
            # "初創公司", "的培育計劃": a name's last word; "，計劃第二期…", "向基金注資": the bare
            # head again, referring back as well.
            if found_at > 0 and "\u4e00" <= words[found_at - 1] <= "\u9fff" and words[found_at - 1] not in _BEFORE_BARE_HEAD:
                return True
    return False


# Characters after which a head noun stands bare: prepositions, conjunctions, demonstratives.
_BEFORE_BARE_HEAD = frozenset("向為於與及和同由該此這其本新有述")


def _after_headline(text: str, lo: int, until: int) -> int:
    """``lo``, or the start of the body when the headline lies between ``lo`` and ``until`` (a
    headline is not part of the sentence below it)."""
    starts = [m.end() for m in _PARAGRAPH.finditer(text, lo, until) if _is_headline(text, m.start())]
    return max(starts, default=lo)


_VISIBLE = re.compile(r"\S")
HEADLINE_WIDTH = 40  # as papers.heading_apart: a headline is short


def _is_headline(text: str, end: int) -> bool:
    """Whether the line ending at ``end`` is the document's headline: its first line, short,
    brackets closed, a blank line after it (as a paper's parse takes it); a blank line inside a
    PDF's wrapped sentence is not a break."""
    line_start = text.rfind("\n", 0, end) + 1
    line = text[line_start:end].strip()
    if _VISIBLE.search(text, 0, line_start) or not line or len(line) > HEADLINE_WIDTH:
        return False
    return all(line.count(pair[0]) == line.count(pair[1]) for pair in ("「」", "『』", "()", "《》"))


def _name(text: str, mention: Mention) -> str:
    return text[mention.start : mention.end].strip("「」『』“” \n")
