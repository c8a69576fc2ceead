"""Monetary amounts: find every figure, normalise it to a value and a currency.

Three readers: sentences of prose (``20億元``, ``最高25萬元``, ``一億八千萬元``, ``1½億元``, ``一點五億元``;
``HK$3.5 million`` is not a form these papers use), money tables whose cells are bare figures
under a unit header such as ``(百萬元)`` (:func:`find_in_tables`), and tables whose columns are
years (:func:`find_in_year_tables`).  Each amount carries its year (``2023-24``, a period
``2020-21..2024-25``) and its role (:func:`role_of`, vocabulary ``ontology/amount_roles.json``)
where the text gives them.  Counts, percentages, years, areas and ratios are never amounts: a
figure is money only with a currency word or under a money header, or with 萬/億 where the
clause speaks of money (資助, 開支, 預算 …).

>>> [(a.text, a.value, a.currency, a.qualifier) for a in find_in_text("政府預留約一億八千萬元")]
[('一億八千萬元', Decimal('180000000'), 'HKD', 'about')]
>>> parse_number("2,166.81"), parse_number("九億三千萬"), parse_number("兩億")
(Decimal('2166.81'), Decimal('930000000'), Decimal('200000000'))
"""
from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Iterator

from legco_kg.extractors.model import Amount, Document
from legco_kg.extractors.text import ITEM_NUMBER, Text

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"萬": 10**4, "億": 10**8}
UNITS = {
    "萬億": Decimal(10**12), "千億": Decimal(10**11), "百億": Decimal(10**10),  # news: 1.2萬億元, 2千億元
    "百萬": Decimal(10**6), "千萬": Decimal(10**7), "萬": Decimal(10**4), "億": Decimal(10**8), "千": Decimal(1000), "": Decimal(1),
}

FRACTIONS = "½¼¾⅓⅔⅛⅜⅝⅞"
_ARABIC = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?[{FRACTIONS}]?|[{FRACTIONS}]"
# Figures larger than this are not money (a code, a garbled line): 10^16 dollars is a hundred
# times the world's output; refusing them also keeps every value inside the decimal context.
MAX_DIGITS = 16
_CHINESE = r"[零〇一二兩三四五六七八九十百千][零〇一二兩三四五六七八九十百千萬億]*"
# A Chinese decimal, 一點五 (1.5), 十二點三五 (12.35): a whole part without 萬/億 (they follow
# the decimal as its unit: 一點五億), 點, then one digit numeral per decimal place.
_CHINESE_DECIMAL = r"[零〇一二兩三四五六七八九十百千]+[點点][零〇一二三四五六七八九]+"
_UNIT = r"萬億|千億|百億|百萬|千萬|萬|億|千"
# Currencies of news about other places (10億歐元, 1億美金): read as theirs, never as 港元.
_OTHER_CURRENCIES = r"美金|歐元|英鎊|日圓|日元|新台幣|澳門元|澳門幣|澳元|新加坡元|新元|加元|瑞士法郎|韓圜|韓元"
_SUFFIX = rf"港元|港幣|元人民幣|元美元|{_OTHER_CURRENCIES}|元|美元|人民幣"
_PREFIX = r"HK\$|US\$|RMB|港幣|人民幣|\$"

def _money_words() -> dict:
    from legco_kg.ontology import data_path

    with open(data_path("money_words.json"), encoding="utf-8") as file:
        return json.load(file)


# The 萬 part after an Arabic 億 (1億2,000萬元, 2億5千萬元, 1億零500萬元): news and press releases
# write a figure of 億 and 萬 so; read apart, it was two amounts (1億 and 8,000萬元).
_REST = r"(?<=億)零?(?:\d{1,3}(?:,\d{3})+|\d{1,4})(?:千萬|百萬|萬)|(?<=億)零?[一二兩三四五六七八九][零〇一二兩三四五六七八九十百千]*萬"
# A figure with an optional currency before it, a unit and a currency word after it.
AMOUNT = re.compile(
    rf"(?P<prefix>{_PREFIX})?[ \t]?(?P<number>{_ARABIC}|(?<![點点])(?:{_CHINESE_DECIMAL}|{_CHINESE}))(?P<unit>{_UNIT})?(?P<rest>{_REST})?(?P<suffix>{_SUFFIX})?"
)
# The money lexicon is data (ontology/money_words.json): read once, the patterns built from it.
_WORDS = _money_words()
# What may not come right after a figure that is money: a count's classifier, a percentage …
_NOT_MONEY_AFTER = re.compile("^(?:" + "|".join(map(re.escape, _WORDS["not_money_after"])) + ")")
_MONEY_WORDS = re.compile("|".join(map(re.escape, _WORDS["money_words"])))
_CLAUSE_END = "，。；：\n,;"

QUALIFIERS_BEFORE = [tuple(pair) for pair in _WORDS["qualifiers_before"]]  # longest first
QUALIFIERS_AFTER = [tuple(pair) for pair in _WORDS["qualifiers_after"]]
CURRENCIES = dict(_WORDS["currencies"])
_PER_UNIT = re.compile("每(?:" + "|".join(map(re.escape, _WORDS["per_unit"])) + ")")
_RANGE_JOIN = re.compile(r"^(?:至|到|-|–|—|~)")


@dataclass(frozen=True)
class Found:
    """An amount found in a string: ``start``/``end`` index that string."""

    text: str
    value: Decimal
    currency: str
    qualifier: str | None
    per_unit: bool
    start: int
    end: int


def parse_number(text: str) -> Decimal:
    """The value of an Arabic (``2,166.81``, ``1½``) or Chinese (``一億八千萬``) numeral.

    Raises ValueError for what is not a numeral or has more than ``MAX_DIGITS`` digits.
    """
    if not text:
        raise ValueError("not a numeral: ''")
    if text[-1] in FRACTIONS:
        fraction = Decimal(str(round(unicodedata.numeric(text[-1]), 6)))
        return (parse_number(text[:-1]) if len(text) > 1 else Decimal(0)) + fraction
    if text[0].isdigit():
        digits = text.replace(",", "")
        if len(digits.split(".")[0]) > MAX_DIGITS or not re.fullmatch(r"\d+(?:\.\d+)?", digits):
            raise ValueError(f"not a money figure: {text[:20]!r}")
        return Decimal(digits)
    whole, point, decimals = re.split("([點点])", text, maxsplit=1) if re.search("[點点]", text) else (text, "", "")
    if point:
        # 一點五 → 1.5: the whole part as a numeral, then one digit per decimal place.
        if not whole or not decimals or any(c not in _DIGITS or c == "兩" for c in decimals) or any(c in _BIG_UNITS for c in whole):
            raise ValueError(f"not a numeral: {text[:20]!r}")
        return parse_number(whole) + Decimal("0." + "".join(str(_DIGITS[c]) for c in decimals))
    total = section = current = 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (current or 1) * _SMALL_UNITS[char]
            current = 0
        elif char in _BIG_UNITS:
            unit = _BIG_UNITS[char]
            section += current
            if unit == 10**8:
                total = (total + section) * unit
            else:
                total += section * unit
            section = current = 0
        else:
            raise ValueError(f"not a numeral: {text[:20]!r}")
    if total + section + current >= 10**MAX_DIGITS:
        raise ValueError(f"not a money figure: {text[:20]!r}")
    return Decimal(total + section + current)


def _qualifier(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The qualifier word before the figure (and where it starts) or after it."""
    before = text[max(0, start - 4) : start]
    for word, meaning in QUALIFIERS_BEFORE:
        if before.endswith(word):
            return meaning, start - len(word)
    after = text[end : end + 2]
    for word, meaning in QUALIFIERS_AFTER:
        if after.startswith(word):
            return meaning, start
    return None, start


def _clause(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, end) for c in _CLAUSE_END) if i >= 0]
    return text[lo : min(ends) if ends else len(text)]


def find_in_text(text: str, default_unit: str | None = None) -> Iterator[Found]:
    """Amounts in a string of clean text.

    ``default_unit`` is the unit of a money table's header (``萬``, ``百萬``, ``""`` for 元):
    with it, a bare figure is money in that unit.
    """
    previous_end = range_end = -1
    for match in AMOUNT.finditer(text):
        number, unit, prefix, suffix = match["number"], match["unit"] or "", match["prefix"], match["suffix"]
        start, end = match.start("number") if not prefix else match.start(), match.end()
        if start < previous_end:
            continue
        if not _arabic(number) and number[0] != "十" and not any(c in _DIGITS for c in number):
            # 百萬, 千 alone are units, not figures; but "逾百億元", "近千億元" are figures.
            if not (suffix and number[-1] in "萬億" and _ROUND_BEFORE.search(text, max(0, start - 3), start)):
                continue
        if _arabic(number) and start > 0 and (text[start - 1].isascii() and text[start - 1].isalnum() or text[start - 1] in ".-/"):
            continue  # part of a code, a date or a version: ITIB001, 2025-26
        after = text[end : end + 3]
        bare = not (prefix or suffix)
        join = _RANGE_JOIN.match(after)
        upper = AMOUNT.match(text, end + join.end()) if join and bare and default_unit is None else None
        if upper and (upper["suffix"] or upper["prefix"]) and _arabic(upper["number"]) == _arabic(number):
            # "1億至2億元", "500至1,000萬元": the lower end takes the upper end's unit and currency.
            scale = UNITS[unit or upper["unit"] or _trailing_unit(number, upper["number"])]
            try:
                value = parse_number(number) * scale
            except (ValueError, ArithmeticError):
                continue
            currency = CURRENCIES.get(upper["prefix"] or "") or CURRENCIES.get(upper["suffix"] or "") or "HKD"
            range_end = upper.end()
            previous_end = end
            yield Found(text[start:end], _normal(value), currency, "range", _per_unit(text, start), start, end)
            continue
        if bare:
            if _NOT_MONEY_AFTER.match(after) or (after[:1] and after[:1] in "(（" and not unit):
                continue
            if default_unit is None:
                # 萬/億 without 元 is money only where the clause is about money.
                if unit not in ("萬", "億", "百萬", "千萬", "百億", "千億", "萬億") or not _MONEY_WORDS.search(_clause(text, start, end)):
                    continue
                if _RANGE_JOIN.match(after):
                    continue
            elif not _arabic(number) and not unit:
                continue
        elif suffix is None and _NOT_MONEY_AFTER.match(after):
            continue
        scale = UNITS[unit] if unit or default_unit is None or not bare else UNITS[default_unit]
        try:
            value = parse_number(number) * scale + _rest_value(match["rest"])
        except (ValueError, ArithmeticError):
            continue
        currency = CURRENCIES.get(prefix or "") or CURRENCIES.get(suffix or "") or "HKD"
        qualifier = "range" if end == range_end else _qualifier(text, start, end)[0]
        previous_end = end
        yield Found(text[start:end], _normal(value), currency, qualifier, _per_unit(text, start), start, end)


# Before a round figure written without a digit (逾百億元): an approximation, not a column unit.
_ROUND_BEFORE = re.compile(r"(?:逾|近|超過|接近|達|約|過)$")


def _trailing_unit(lower: str, upper: str) -> str:
    """The 萬 or 億 a Chinese upper end closes with, which the lower end shares (五十至一百萬元:
    50萬 to 100萬); "" when the lower end has its own or the ends are Arabic (unit apart)."""
    if _arabic(upper) or upper[-1] not in "萬億" or any(c in "萬億" for c in lower):
        return ""
    return upper[-1]


def _rest_value(rest: str | None) -> Decimal:
    """The value of the 萬 part after an Arabic 億 (``8,000萬`` → 80,000,000); 0 for none.

    Raises ValueError when it is not below one 億 (``1億20,000萬`` is no figure).
    """
    if not rest:
        return Decimal(0)
    rest = rest.lstrip("零")
    if rest[0].isdigit():
        unit = next(u for u in ("千萬", "百萬", "萬") if rest.endswith(u))
        value = parse_number(rest[: -len(unit)]) * UNITS[unit]
    else:
        value = parse_number(rest)
    if value >= UNITS["億"]:
        raise ValueError(f"not a figure: {rest!r} after 億")
    return value


def _arabic(number: str) -> bool:
    return number[0].isdigit() or number[0] in FRACTIONS


def _per_unit(text: str, start: int) -> bool:
    """A rate: 每名/每家/每年 … earlier in the figure's clause."""
    clause_start = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    return bool(_PER_UNIT.search(text, clause_start, start))


def _normal(value: Decimal) -> Decimal:
    """``2.15E+8`` → ``215000000``; ``7.50`` stays exact without trailing zeros."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


# --- money tables -----------------------------------------------------------------------------

_UNIT_HEADER = re.compile(r"[(（](?P<unit>百萬|千萬|萬|億|千)?(?P<currency>港元|元|美元|人民幣)[)）]|[(（](?:HK)?\$[)）]")
_COUNT_HEADER = re.compile(r"數目|次數|人數|宗數|數量|件數|名額|百分比|%")  # not 下載 alone: "可供下載的程式" is a title
_COUNT_ROW = re.compile(r"人數|數目|次數|宗數|數量|件數|名額|百分比|%")
_TABLE_END = re.compile(r"如下|^附件|^註|^[(（](?:[a-z]|[一二三四五六七八九十]{1,2})[)）]")
_FIGURE = re.compile(r"(?P<qualifier>約|逾|超過)?(?P<number>(?:(?<![\w\-])-)?\d[\d,]*(?:\.\d+)?)(?P<unit>萬|億)?(?![\d.%])")


@dataclass(frozen=True)
class Cell:
    """A money cell of a table: ``found`` indexes line ``line``; ``label`` is the row label's
    pieces as ``(line, start, end)``; ``header`` the line of the table's unit header."""

    line: int
    found: Found
    label: tuple[tuple[int, int, int], ...]
    header: int
    role: str | None = None


# A cell's own kind written after it ("39.86 (實際)"), and a dash for a cell with no figure.
_CELL_ROLE = re.compile(r"(?<=\d)(\s?[(（](?P<role>實際開支|修訂預算|原來預算|預算|實際)[)）])")


_YEAR_RECORD = re.compile(
    r"(?P<year>(?:19|20)\d\d-\d\d)(?![\d年])\s?(?:[(（](?P<role>實際開支|修訂預算|原來預算|預算|實際)[)）])?\s?(?:註\d{0,2})?(?=\s?約?[\d\-])"
)
# A cell of a year row: a figure (maybe 約), a percentage, or a dash for none.
_RECORD_CELL = re.compile(r"\s?(?:(?P<about>約)?(?P<figure>\d[\d,]*(?:\.\d+)?)(?![\d.%]|-\s?\d)|\d+(?:\.\d+)?%|[-–—](?!\d))")
# The money cell ending a table row after a description: 約 and a figure, or a figure with
# thousands commas right after the text ("人次超過6800" is a count, "約1,040" money).
_LAST_CELL = re.compile(r"(?:(?P<about>約)(?P<figure>\d{1,3}(?:,\d{3})+|\d{2,4})|(?<=[\u4e00-\u9fff)）])(?P<grouped>\d{1,3}(?:,\d{3})+))\s*$")


def item_or_prose(line: str) -> bool:
    """A line that is a sentence (ends with 。；) or a numbered item, not a table row."""
    stripped = line.strip()
    return stripped.endswith(("。", "；", "：")) or bool(_ITEM.match(line))


_CODE_BEFORE = re.compile(r"(?:分目|總目|綱領|編號|第|[A-Za-z]\.?)$")


def _header_currency(header: re.Match) -> str:
    """(美元) → USD, (人民幣) → CNY; (元), ($), (HK$) → HKD."""
    return CURRENCIES.get(header.group("currency") or "", "HKD")


def _is_code(line: str, start: int, end: int) -> bool:
    """A figure that is part of a name or code: 分目110, H.265, 產學研1+計劃."""
    return bool(_CODE_BEFORE.search(line, 0, start)) or line[end : end + 1] == "+"


# What may follow a row's money: a date column and a count column ("2013年2月52000").
_DATE_COLUMNS = re.compile(r"\s*(?:19|20)\d\d年\d{1,2}月(?:\d{1,2}日)?\s*[\d,]*\s*")
_TRAILING_YEAR = re.compile(r"(?:19|20)\d\d(?:-\d\d)?(?:\s?[(（][^()（）]{0,12}[)）])?\s*$")


_CELL_NOTE = re.compile(r"((?:萬|億|元|\d))[(（][^()（）]{8,}[)）]")


def _masked(line: str) -> tuple[str, set[int], dict[int, str]]:
    """``line`` with each cell's kind mark blanked (its role kept by the cell's end) and each
    dash cell written as ``0`` (its place kept, so the cells after it stay in their columns)."""
    roles = {}
    if _CELL_ROLE.search(line):
        def blank(match: re.Match) -> str:
            if re.search(r"(?:19|20)\d\d(?:-\s?\d\d)?$", line[max(0, match.start() - 8) : match.start()]):
                return match.group()  # "2024-25 (修訂預算)": a year row's label, not a cell's mark
            roles[match.start()] = _COLUMN_ROLE[match["role"]]
            return " " * len(match.group())

        line = _CELL_ROLE.sub(blank, line)
    if "(" in line or "（" in line:
        # A note in a cell ("約137萬(與相關的網站一同開發…)"): blanked, so the cells line up.
        line = _CELL_NOTE.sub(lambda match: match.group(1) + " " * (len(match.group()) - len(match.group(1))), line)
    dashes = set()
    if "-" in line or "–" in line or "—" in line:
        for match in re.finditer(r"(?<=\s)[-–—](?=\s|$)", line):
            dashes.add(match.start())
        chars = list(line)
        for at in dashes:
            chars[at] = "0"
        line = "".join(chars)
    return line, dashes, roles


def _columns(header: str) -> list[tuple[str, str | None]]:
    """The figure columns a header names, in order: ``("money", unit)`` or ``("count", None)``."""
    marks = [(m.start(), "money", m["unit"] or "") for m in _UNIT_HEADER.finditer(header)]
    counts = [m.start() for m in _COUNT_HEADER.finditer(header)]
    # One count column per header cell: 下載次數 names one column, not two.
    marks += [(at, "count", None) for i, at in enumerate(counts) if i == 0 or at - counts[i - 1] > 4]
    marks.sort()
    return [(kind, unit) for _, kind, unit in marks]


def _tokens(line: str, gaps: set[int], start: int, end: int) -> list[tuple[int, int]]:
    """Figure tokens in ``line[start:end]``, split where the original text had a space."""
    tokens = []
    for match in _FIGURE.finditer(line, start, end):
        tokens.extend(_split_at_gaps(line, gaps, match.start(), match.end()))
    return tokens


def _split_at_gaps(line: str, gaps: set[int], start: int, end: int) -> list[tuple[int, int]]:
    """``line[start:end]`` cut where the original had a space between two digits ("440 110" is
    two cells, "487,000" one)."""
    tokens, at = [], start
    for cut in _gaps_within(gaps, start, end):
        if line[cut - 1].isdigit() and line[cut].isdigit():
            tokens.append((at, cut))
            at = cut
    tokens.append((at, end))
    return tokens


def _joined(line: str, tokens: list[tuple[int, int]], columns: int) -> list[tuple[int, int]]:
    """Join figures split by a thousands space ("487 000") while the row has more figures than
    the header has columns; "440 110 560" under three columns stays three cells."""
    tokens = list(tokens)
    # A group of three digits starting with 0 ("23 000") is never a cell of its own.
    i = len(tokens) - 1
    while i > 0:
        first, second = line[tokens[i - 1][0] : tokens[i - 1][1]], line[tokens[i][0] : tokens[i][1]]
        if re.fullmatch(r"\d{1,3}(?: \d{3})*", first) and re.fullmatch(r"0\d\d(?: \d{3})*|\d{3}(?: \d{3})* ?000", second):
            tokens[i - 1 : i + 1] = [(tokens[i - 1][0], tokens[i][1])]
        i -= 1
    while len(tokens) > columns:
        for i in range(len(tokens) - 1):
            first, second = line[tokens[i][0] : tokens[i][1]], line[tokens[i + 1][0] : tokens[i + 1][1]]
            if first.isdigit() and len(first) <= 3 and second.isdigit() and len(second) == 3:
                tokens[i : i + 2] = [(tokens[i][0], tokens[i + 1][1])]
                break
        else:
            break
    return tokens


def _gaps_within(gaps: list[int], start: int, end: int) -> list[int]:
    """The sorted ``gaps`` strictly inside ``start:end`` (by bisection: a line may be long)."""
    return gaps[bisect_right(gaps, start) : bisect_left(gaps, end)]


def _without_repeated_names(lines: list[tuple[str, set[int]]]) -> list[tuple[str, set[int]]]:
    """``lines`` with a table's column names, repeated on each page and run into the row before
    its unit header ("…社區長者約1,610項目日期內容項目總開支註1" / "(萬元)…"), blanked: the row
    then ends with its cell.  The names are the end every line before the table's unit headers
    shares (six characters or more)."""
    heads = [i for i, (line, _) in enumerate(lines) if i and _UNIT_HEADER.match(line) and lines[i - 1][0]]
    if len(heads) < 2:
        return lines
    tails = [lines[i - 1][0][::-1] for i in heads]
    shared = 0
    while shared < min(map(len, tails)) and len({tail[shared] for tail in tails}) == 1:
        shared += 1
    if shared < 6:
        return lines
    blanked = list(lines)
    for i in heads:
        line, gaps = lines[i - 1]
        if len(line) > shared and line[-shared - 1].isdigit():
            blanked[i - 1] = (line[:-shared] + " " * shared, gaps)
    return blanked


def _figure_cell(index: int, match: re.Match, group: str, unit, row: tuple, header_line, role=None) -> "Cell | None":
    """The cell of the money figure in ``match``'s ``group`` (read with the column's ``unit``;
    ``about`` when the match holds 約), or None when the group holds no amount."""
    found = next(iter(find_in_text(match[group], default_unit=unit)), None)
    if found is None:
        return None
    at = match.start(group)
    return Cell(index, Found(found.text, found.value, found.currency, "about" if match["about"] else None, False,
                             at + found.start, at + found.end), row, header_line, role)


def find_in_tables(lines: list[tuple[str, set[int]]]) -> Iterator[Cell]:
    """Money cells of the tables in ``lines``: each line is clean text and the places where
    the original had a space.

    A table starts at a header with a unit, ``(百萬元)``.  Each row is a label and figures; the
    figures line up with the header's figure columns, from the right when the row has at least
    as many figures as the header has columns, else from the left (a row broken over lines).
    A label broken over lines ("增聘合約員工以協助統籌電子政府審" / "計計劃" / "27") is joined.
    """
    columns: list[tuple[str, str | None]] = []
    label: list[tuple[int, int, int]] = []  # pieces of the pending row label: (line, start, end)
    commas = False
    header_line, table_names = 0, ""
    for index, (line, gaps) in enumerate(_without_repeated_names(lines)):
        gaps = sorted(gaps)
        line, dashes, cell_roles = _masked(line)
        header = list(_UNIT_HEADER.finditer(line))
        if header:
            body_start = header[-1].end()
            first_row = next(iter(_rows(line, body_start)), None)
            before = (lines[index - 1][0] if index else "") + line[: header[0].start()]
            columns = _columns(before[-40:] + line[header[0].start() : first_row[1] if first_row else len(line)])
            # The same header on the next page continues the table, and what it knows of its money.
            names = line[: header[-1].end()]
            commas = commas and bool(table_names) and (names.endswith(table_names) or table_names.endswith(names))
            label, header_line, table_names = [], index, names
        elif not columns:
            continue
        elif _TABLE_END.search(line):
            columns = []
            continue
        else:
            body_start = 0
        records = list(_YEAR_RECORD.finditer(line, body_start))
        if len(records) >= 2 and any(kind == "money" for kind, _ in columns):
            # Year rows laid out on one line: "2020-21 (實際) 124.48 - 2021-22 (實際) 132.41 6.4% …":
            # each year's cells, up to the next year, fill the header's columns from the left.
            own = _columns(line[: records[0].start()]) if header else []
            record_columns = own if any(kind == "money" for kind, _ in own) else columns
            for record, following in zip(records, records[1:] + [None]):
                stop = following.start() if following else len(line)
                cells, at = [], record.end()
                while (cell := _RECORD_CELL.match(line, at, stop)) is not None and cell.end() > at:
                    cells.append(cell)  # cells follow one another; anything else ends the row
                    at = cell.end()
                for (kind, unit), cell in zip(record_columns, cells):
                    if kind != "money" or cell["figure"] is None or cell.start("figure") in dashes:
                        continue
                    found = _figure_cell(index, cell, "figure", unit, ((index, record.start("year"), record.end("year")),),
                                         header_line, _COLUMN_ROLE.get(record["role"] or ""))
                    if found:
                        yield found
            label = []
            continue
        rows = list(_rows(line, body_start))
        for label_start, label_end, start, end in rows:
            if header and label_end > label_start:
                # The header's last column name, then the first row's year: the year is the label.
                year = _TRAILING_YEAR.search(line, label_start, label_end)
                if year and year.start() > label_start:
                    label_start = year.start()
                # The header's last column name and its footnote mark, then the first row's label:
                # "(2 )專利數目(3 )香港城市大學".
                marks = list(_FOOTNOTE_MARK.finditer(line, label_start, label_end))
                if marks and marks[-1].end() < label_end:
                    label_start = marks[-1].end()
            if label_end > label_start:
                label = [(index, label_start, label_end)]
            elif not label:
                continue
            if _COUNT_ROW.search("".join(lines[i][0][a:b] for i, a, b in label)):
                label = []
                continue  # 員工人數, 申請數目: a row of counts in a money table
            tokens = _joined(line, _tokens(line, gaps, start, end), len(columns))
            if len(tokens) >= len(columns):
                aligned = list(zip(columns[::-1], tokens[::-1]))[::-1]
            else:
                aligned = list(zip(columns, tokens))
            for (kind, unit), (t_start, t_end) in aligned:
                if kind != "money" or t_start in dashes or _is_code(line, t_start, t_end):
                    continue
                figure = line[t_start:t_end]
                digits = _FIGURE.match(figure)["number"].split(".")[0]
                label_text = "".join(lines[i][0][a:b] for i, a, b in label).strip()
                if re.fullmatch(r"-?0{2,}", digits) or (digits == "0" and label_text.isdigit()):
                    continue  # "19 000" split after its label: a thousands group, not a cell
                if "," in digits:
                    commas = True
                elif commas and len(digits) >= 4:
                    continue  # a count in a table whose money has thousands commas
                elif commas and unit == "" and "." in figure and line[t_start - 1 : t_start].isalpha():
                    continue  # "職安健2.0": a version in a name, where the table's money is whole dollars, 38,000
                negative = figure.startswith("-")
                found = next(iter(find_in_text(figure[negative:], default_unit=unit)), None)
                if found and negative:  # -1.5: a post deleted, a saving
                    found = Found("-" + found.text, -found.value, found.currency, found.qualifier, False,
                                  found.start, found.end + 1)
                if found:
                    qualifier, _ = _qualifier(line, t_start, t_end)
                    yield Cell(
                        index,
                        Found(found.text, found.value, found.currency, qualifier or found.qualifier, False,
                              t_start + found.start, t_start + found.end),
                        tuple(label),
                        header_line,
                        cell_roles.get(t_end),
                    )
            label = []
        last = _LAST_CELL.search(line, body_start) if not rows and columns[-1][0] == "money" else None
        if last and not item_or_prose(line):
            # A row whose last column, money, ends a long description ("…社區長者約1,040").
            row = label if label and not line[body_start : last.start()].strip() else [(index, body_start, last.start())]
            found = _figure_cell(index, last, "figure" if last["figure"] else "grouped", columns[-1][1], tuple(row), header_line)
            if found:
                yield found
                label = []
                continue
        lead = _LEAD_CELL.match(line, body_start) if not rows and label and index > label[-1][0] else None
        money_columns = [unit for kind, unit in columns if kind == "money"]
        if lead and money_columns:
            # The row's first money cell opens a line, the next column's words run on after it
            # ("75,000維護成本已包括在開發成本中"): money by its form (thousands commas, 萬).
            found = _figure_cell(index, lead, "figure", money_columns[0], tuple(label), header_line)
            if found:
                yield found
            label = []
            continue
        item = _ITEM.match(line, body_start)
        if not rows and item:
            # A numbered row told in prose ("13.發展局我的九龍東由內部開發，…"): its figures may
            # follow on the next lines, under this label.
            stop = re.search(r"[，。；(（]|\d", line[item.end() :])
            label = [(index, item.end(), item.end() + (stop.start() if stop else len(line) - item.end()))]
        elif not rows:
            body = line[body_start:]
            stripped = body.strip()
            short = len(stripped) < 40 and not stripped.endswith(("。", "；")) and body.count("(") == body.count(")")
            if short and stripped:
                label.append((index, body_start + len(body) - len(body.lstrip()), len(line.rstrip())))
            elif stripped and columns == [columns[-1]] and columns[-1][0] == "money" and not item_or_prose(line) and not label:
                # A long description whose money, the table's one column, is on the next line
                # ("…參與長者人次超過6800" / "約940").
                label = [(index, body_start + len(body) - len(body.lstrip()), len(line.rstrip()))]
            else:
                label = []


# A money cell opening a line, words after it: 75,000維護成本…, 約268萬 不適用(…).
_LEAD_CELL = re.compile(r"\s*(?P<about>約)?(?P<figure>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?萬)(?=\s*[\u4e00-\u9fff])")
_LABEL_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z\d]")
_ITEM = re.compile(rf"^\s*{ITEM_NUMBER}")  # a numbered row
_FIGURES = r"(?:約|逾|超過)?(?:(?<![\w\-])-)?\d[\d,]*(?:\.\d+)?(?:萬|億)?"
_ROW = re.compile(
    rf"(?P<label>(?:[^\d。；，]|[(（](?:註\s?)?\d{{1,2}}\s?[)）]|\d{{1,3}}(?:小時|人次|個月))*?(?:(?:19|20)\d\d(?:-\d\d)?(?:\s?[(（][^()（）]{{0,12}}[)）])?(?:註\d{{0,2}})?\s*)?)"
    rf"(?P<figures>{_FIGURES}(?:(?:\s+|(?<=[萬億])){_FIGURES})*)\s*(?!小時|人次|個月|分鐘|天|歲)(?=$|[^\d\s,.%(（)）元萬億\-/年月日名宗項倍]|(?:19|20)\d\d年\d{{1,2}}月)"
)


_FOOTNOTE_MARK = re.compile(r"[(（](?:註\s?)?\d{1,2}\s?[)）]")


def _rows(line: str, start: int) -> Iterator[tuple[int, int, int, int]]:
    """``(label start, label end, figures start, figures end)`` of each row in a table line: a
    label, then figures that end the line or are followed by the next row's label
    ("旅遊10 3 10個人服務440 110 560")."""
    item = _ITEM.match(line, start)
    at = item.end() if item else start
    rows = []
    while True:
        match = _ROW.match(line, at)
        if match is None:
            break  # the rest is prose (or nothing)
        label_start, label_end = match.span("label")
        if label_end > label_start and not _LABEL_WORD.search(_FOOTNOTE_MARK.sub("", line[label_start:label_end])):
            return  # "-25" or "/3": a date or a range; "(12) 802": a cell in brackets; not a row
        while label_start < label_end and line[label_start] == " ":
            label_start += 1
        while label_end > label_start and line[label_end - 1] == " ":
            label_end -= 1
        rows.append((label_start, label_end, match.start("figures"), match.end("figures")))
        at = match.end()
    if rows and (not line[at:].strip() or (item and len(rows) == 1) or _DATE_COLUMNS.fullmatch(line, at)):
        yield from rows  # a numbered item may go on in prose after its figures


# --- over a document --------------------------------------------------------------------------

AMOUNTS_TEXT = "amounts-text"
AMOUNTS_TABLE = "amounts-table"
_YEAR = re.compile(
    r"(?P<year>20\d\d-\d\d|20\d\d)(?:(?:年度|財政年度)?(?:至|到)(?P<to>20\d\d-\d\d))?"
    r"(?:年度|財政年度|\s*[(（](?:原來|修訂)?預算[)）])"
    # A span of calendar years (2024至2027年, 2024年至2027年, 2024-2027年): news and press
    # releases give a total over years so.  A single calendar year (2024年) is not read: it is
    # as often when a scheme began (自2020年推出至今，已批出…) as the year of the money.
    r"|(?P<first>20\d\d)年?(?:至|到|-|–|—)(?P<last>20\d\d)年"
    # A financial year written with a slash or 至 (2024/25年度, 2023至24年度), or in Chinese
    # numerals as speeches write it (二〇二五至二六年度, 二零二四／二五年度).
    # A calendar year right before the verb that gives the figure (政府在2024年撥款5億元).
    r"|(?P<cy>20\d\d)年(?:內|中|底|初)?(?=(?:將|會|已|再|共|合共|額外|先後)*(?:撥款|預留|撥出|投放|注資|批出|斥資|資助)(?:了|約|共|合共|逾|超過|近)?$)"
    r"|(?P<fy>20\d\d|二[〇零][〇零一二三四五六七八九]{2})\s?(?:[/／]|至|到)\s?(?P<fy_end>\d\d|[〇零一二三四五六七八九]{2})(?:年度|財政年度)"
)
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def amounts(doc: Document) -> Iterator[Amount]:
    """Every amount of ``doc``: table cells first, then the figures of its prose."""
    from legco_kg.extractors.names import Section, sections

    for part in sections(doc):
        if part.section != "body":
            yield from _section_amounts(doc, part)
    if doc.paragraphs:
        # A paper's table rows are paragraphs of their own: read the paragraphs as one text.
        yield from _section_amounts(doc, Section(None, "body", Text.lines(doc.paragraphs)))


def _lines(text: Text) -> list[Text]:
    lines, at = [], 0
    for piece in text.text.split("\n"):
        lines.append(text[at : at + len(piece)])
        at += len(piece) + 1
    return lines


def _gaps(line: Text) -> set[int]:
    """Where the original text had something (a space) between two characters of ``line``."""
    return {i for i in range(1, len(line.offsets)) if line.offsets[i] - line.offsets[i - 1] > 1}


def _section_amounts(doc: Document, part) -> Iterator[Amount]:
    lines = _lines(part.text)
    table_lines = [(line.text, _gaps(line)) for line in lines]
    taken: list[tuple[int, int]] = []

    def table_amount(cell, year: str | None, role: str | None) -> Amount:
        header_line, column = getattr(cell, "body", (cell.header, 0))
        header_text = lines[header_line]
        table = header_text.span(column - 1, column)[1] if column else header_text.span(0, 1)[0]
        line = lines[cell.line]
        start, end = line.span(cell.found.start, cell.found.end)
        first, last = cell.label[0], cell.label[-1]
        row_span = (lines[first[0]].span(first[1], first[2])[0], lines[last[0]].span(last[1], last[2])[1])
        label = "".join(lines[i].text[a:b] for i, a, b in cell.label)
        heading = lines[cell.header].text
        heading = heading[: (_UNIT_HEADER.search(heading) or _YEAR_COLUMN.search(heading) or re.search("$", heading)).start()]
        taken.append((start, end))
        return Amount(
            cell.found.text, cell.found.value, cell.found.currency, cell.found.qualifier, False, start, end,
            doc.doc_id, AMOUNTS_TABLE, part.reply, part.section, year, label, row_span, table,
            role=role or role_of(label, cell.found.qualifier) or role_of(heading[-30:], cell.found.qualifier),
        )

    for cell in find_in_year_tables(table_lines):
        yield table_amount(cell, cell.year, cell.role)
    for cell in find_in_tables(table_lines):
        line = lines[cell.line]
        start, end = line.span(cell.found.start, cell.found.end)
        if any(s < end and start < e for s, e in taken):
            continue
        label = "".join(lines[i].text[a:b] for i, a, b in cell.label)
        year = _LABEL_YEAR.match(label)
        yield table_amount(cell, normal_year(year.group()) if year else None, cell.role or _column_role(label))
    # Rows wrapped over lines last: a row another reader took a cell of is left to it.
    read = list(taken)
    for cell in find_in_wrapped_rows(table_lines):
        row_start = lines[cell.label[0][0]].span(0, 1)[0] if lines[cell.label[0][0]].text else 0
        row_end = lines[cell.line].span(cell.found.start, cell.found.end)[1]
        if not any(row_start <= s < row_end for s, _ in read):
            yield table_amount(cell, cell.year, cell.role)
    text = part.text
    for found in find_in_text(text.text):
        start, end = text.span(found.start, found.end)
        if any(s < end and start < e for s, e in taken):
            continue
        sentence_start = max(text.text.rfind(c, 0, found.start) for c in "。；\n") + 1
        clause_start = max(text.text.rfind(c, 0, found.start) for c in _CLAUSE_END) + 1
        years = list(_YEAR.finditer(text.text, sentence_start, found.start))
        if len(years) > 1 and "較" in text.text[max(sentence_start, years[-1].start() - 2) : years[-1].start()] and _CHANGE_BEFORE.search(text.text, sentence_start, found.start):
            # "2025-26年度的撥款較2024-25年度增加1,180萬元": a change is of the year compared, not
            # of the year it is compared with.
            years.pop()
        yield Amount(
            found.text, found.value, found.currency, found.qualifier, found.per_unit, start, end,
            doc.doc_id, AMOUNTS_TEXT, part.reply, part.section, _year_of(years[-1]) if years else None,
            role=_prose_role(text.text, sentence_start, clause_start, found),
        )


# The noun a figure quantifies, right after it: "帶來約400億元投資", "每年30億元的經濟效益".
# A noun, not a verb: after 的, or ending the clause ("3億元投資於基建" is money put into it).
_ROLE_AFTER = re.compile(
    r"(?:的(?:直接|私人|外來|新增|額外)?(?P<cue>經濟效益|經濟貢獻|收入|收益|營業額|銷售額|投資|融資)"
    r"|(?:直接|私人|外來|新增|額外)?(?P<last>經濟效益|經濟貢獻|收入|收益|營業額|銷售額|投資|融資)(?=[，。；、,;)）\s]|$))"
)


def _prose_role(text: str, sentence_start: int, clause_start: int, found: Found) -> str | None:
    """The role of a figure of prose: a cap, an average or a staff cost named anywhere in its
    clause; else the noun it quantifies ("400億元投資", "30億元的經濟效益"); else the cue nearest
    before it in its clause, then in its sentence."""
    clause = text[clause_start : found.start]
    role = role_of(clause, found.qualifier)
    if found.qualifier in _CLAUSE_ROLES or _role_cues()[2].search(clause):
        return role
    after = _ROLE_AFTER.match(text, found.end)
    if after:
        return _role_cues()[1][after["cue"] or after["last"]]
    return role or role_of(text[sentence_start : found.start], found.qualifier)


_CHANGE_BEFORE = re.compile(r"(?:增加|減少|上升|下降|增|減)(?:了)?(?:約|分別)?(?:[^，。；]*?[、和及])?$")


def normal_year(text: str) -> str:
    """``2013- 14`` → ``2013-14``; a calendar year stays as it is.

    >>> normal_year("2013- 14"), normal_year("2020")
    ('2013-14', '2020')
    """
    return re.sub(r"\s", "", text)


def _year_of(match: re.Match) -> str | None:
    if match["cy"]:
        return match["cy"]
    if match["fy"]:
        first, last = match["fy"].translate(_CHINESE_DIGITS), match["fy_end"].translate(_CHINESE_DIGITS)
        # 2024/25 is the year from April 2024; anything else (2024/27) is no financial year.
        return f"{first}-{last}" if (int(first) + 1) % 100 == int(last) else None
    if match["first"]:
        first, last = match["first"], match["last"]
        if int(last) == int(first) + 1 and not match.group().startswith(f"{first}年") and "至" not in match.group() and "到" not in match.group():
            return f"{first}-{last[2:]}"  # 2025-2026年: the financial year 2025-26 written in full
        return f"{first}..{last}"
    if match["to"]:
        return f"{normal_year(match['year'])}..{normal_year(match['to'])}"
    return normal_year(match["year"])


def _column_role(label: str) -> str | None:
    found = re.search(r"實際開支|修訂預算|原來預算|預算|實際|修訂", label)
    return _COLUMN_ROLE[found.group()] if found else None


@lru_cache(maxsize=1)
def _role_cues() -> tuple[re.Pattern, dict[str, str], re.Pattern]:
    from legco_kg.ontology import amount_roles

    cues = {cue: role["id"] for role in amount_roles() for cue in role["cues"]}
    whole = {cue: role["id"] for role in amount_roles() if role.get("whole_clause") for cue in role["cues"]}
    return _alternation(cues), cues, _alternation(whole)


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# A cap or an average qualifies the whole clause: 每個項目的最高資助額為1,500萬元 is a cap.
_CLAUSE_ROLES = {"at-most": "cap"}


def role_of(text: str, qualifier: str | None = None) -> str | None:
    """The role (a term of ``ontology/amount_roles.json``) named by the cue nearest the end of
    ``text``, the words before a figure; ``cap`` for an upper limit, ``average`` for 平均.

    >>> role_of("政府已預留"), role_of("2024-25年度的修訂預算為"), role_of("平均每宗獲批"), role_of("合共")
    ('allocation', 'revised-estimate', 'average', None)
    """
    if qualifier in _CLAUSE_ROLES:
        return _CLAUSE_ROLES[qualifier]
    pattern, cues, whole_clause = _role_cues()
    found = whole_clause.search(text)
    if found:
        return cues[found.group()]
    last = None
    for last in pattern.finditer(text):
        pass
    return cues[last.group()] if last else None


_LABEL_YEAR = re.compile(r"^(?:19|20)\d\d(?:-\d\d)?")


# --- tables with a year in each column -------------------------------------------------------

# A financial year heading a column, with the kind of figure it holds (實際開支, 修訂預算 …).
_YEAR_COLUMN = re.compile(
    r"(?P<year>(?:19|20)\d\d-\s?\d\d(?!\d)|(?:19|20)\d\d(?![\d\-/年月]))(?:\s?年度|\s?財政年度)?\s?"
    r"(?:[(（]?(?P<role>實際開支|修訂預算|原來預算|預算|實際|修訂)[)）]?)?"
)
_CELL = re.compile(r"(?<![\d.,\-/])(?:-?\d[\d,]*(?:\.\d+)?|[-–—])(?![\d.%/]|-\s?\d)")
_SUB_ITEM = frozenset("-－–—‧•·")
_TOTAL = re.compile(r"^(?:總數|總計|合計|總額|小計|共計)")
_COLUMN_ROLE = {"實際開支": "actual", "實際": "actual", "修訂預算": "revised-estimate", "修訂": "revised-estimate",
                "原來預算": "estimate", "預算": "estimate"}


@dataclass(frozen=True)
class YearCell:
    """A money cell of a table whose columns are years: ``found`` indexes line ``line``."""

    line: int
    found: Found
    label: tuple[tuple[int, int, int], ...]
    header: int
    year: str
    role: str | None
    body: tuple[int, int] = (0, 0)  # (line, column) where the table's header ends


def _year_run(line: str) -> tuple[list[tuple[str, str | None]], int, int] | None:
    """The run of year column headings in ``line``: ``(years, start, end)``; a run is two or
    more years in a row, one after the other ("2019-20年度2020-21年度…", "2013- 14")."""
    best = None
    run: list[re.Match] = []
    for match in _YEAR_COLUMN.finditer(line):
        if run and (match.start() - run[-1].end() > 2 or not _next_year(run[-1]["year"], match["year"])):
            if best is None or len(run) >= len(best):
                best = run
            run = []
        run.append(match)
    if run and (best is None or len(run) >= len(best)):
        best = run
    if best is None:
        return None
    return [(_year_text(m["year"]), _COLUMN_ROLE.get(m["role"] or "")) for m in best], best[0].start(), best[-1].end()


def _year_text(year: str) -> str:
    return year.replace(" ", "")


def _next_year(first: str, second: str) -> bool:
    a, b = int(first[:4]), int(second[:4])
    return b == a + 1


def _cell_runs(line: str, gaps: set[int], start: int) -> list[list[tuple[int, int]]]:
    """Runs of cells (figures or a dash for none) in ``line[start:]``, separated by spaces only."""
    runs: list[list[tuple[int, int]]] = []
    for match in _CELL.finditer(line, start):
        tokens = [(match.start(), match.end())]
        if match.group()[0] != "-" or len(match.group()) == 1:
            tokens = _split_at_gaps(line, gaps, match.start(), match.end())
        after = line[match.end() : match.end() + 1]
        if after and (after in "個名宗項人次倍所間" or after in "年月日" and "." not in match.group()):
            runs.append([])  # a count or a date in a label breaks the run
            continue
        if runs and runs[-1] and not line[runs[-1][-1][1] : match.start()].strip():
            runs[-1].extend(tokens)
        else:
            runs.append(tokens)
    return [run for run in runs if run]


def find_in_year_tables(lines: list[tuple[str, set[int]]]) -> Iterator[YearCell]:
    """Money cells of tables whose columns are years.

    The header is a run of years (``2019-20年度2020-21年度…``, one per line or all on one), with
    a unit for the whole table (``(百萬元)``) or a unit in each money row's label
    (``研發開支(百萬元) 48.7 49.9 …``); every row of money has one cell per year, a dash where
    there is none.  Each cell carries the year of its column and, where the header says, its
    kind (實際開支, 修訂預算).  Rows of counts (員工人數, 項目數目) and rows without a unit are
    not money.
    """
    years: list[tuple[str, str | None]] = []
    unit: str | None = None
    header = first_header = 0  # the header's last line, and its first
    body = (0, 0)  # (line, column) where the table's first header ends
    last_row: tuple[int, str | None] = (-1, None)  # the last row with a unit of its own
    currency = "HKD"
    table_heading = ""
    label: list[tuple[int, int, int]] = []
    for index, (full_line, gaps) in enumerate(lines):
        gaps = sorted(gaps)
        # A row, then the next table's header on the same line ("… 39.4 11.4年度研發中心2019-20 …"):
        # read the row under the current header first.
        views = [full_line]
        ahead = _year_run(full_line)
        if years and ahead and ahead[1] > 0 and len(ahead[0]) >= 2 and _cell_runs(full_line[: ahead[1]], gaps, 0):
            views = [full_line[: ahead[1]], full_line]
        for view, line in enumerate(views):
            body_start = 0
            run = _year_run(line) if view == len(views) - 1 else None
            if run:
                found_years, run_start, run_end = run
                # Years continued from the line before ("2013- 14" / "2014- 15" …) extend the header.
                continuing = bool(
                    years and index == header + 1 and not line[:run_start].strip()
                    and _next_year(years[-1][0], found_years[0][0])
                )
                if continuing:
                    found_years = years + found_years
                # One year ending a line starts a header only after a unit ("資助額(萬元) 2013- 14"):
                # "離島2023" is a district's count.
                single_ok = not line[run_end:].strip() and (continuing or _UNIT_HEADER.search(line, 0, run_start))
                if len(found_years) >= 2 or single_ok:
                    heading = line[max(0, run_start - 20) : run_start]
                    repeated = (heading, found_years) == (table_heading, years)  # a table split across pages
                    if not continuing:
                        header_units = list(_UNIT_HEADER.finditer(line, 0, run_start)) or (
                            list(_UNIT_HEADER.finditer(lines[index - 1][0])) if index else []
                        )
                        unit = header_units[-1]["unit"] or "" if header_units else None
                        currency = _header_currency(header_units[-1]) if header_units else "HKD"
                        if not repeated:
                            first_header, table_heading = index, heading
                    if continuing or not repeated:
                        body = (index, run_end)
                    years, header, body_start, label = found_years, index, run_end, []
                    if not line[run_end:].strip():
                        continue
            if not years:
                continue
            if body_start == 0 and _TABLE_END.search(line) and not _cell_runs(line, gaps, 0):
                years, unit = [], None
                continue
            columns = len(years)
            at = body_start
            matched = False
            for cells in _cell_runs(line, gaps, body_start):
                cells = _joined(line, cells, columns) if len(cells) > columns else cells
                if len(cells) != columns:
                    continue
                matched = True
                label_start, label_end = at, cells[0][0]
                row_unit, row_currency = None, None
                units = list(_UNIT_HEADER.finditer(line, label_start, label_end))
                if units and line[units[-1].end() : label_end].strip():
                    # "收入(百萬元)應科院25.9 …": the header's last cell, then the first row's label.
                    unit = units[-1]["unit"] or ""
                    currency = _header_currency(units[-1])
                    label_start = units[-1].end()
                elif units:
                    row_unit = units[-1]["unit"] or ""
                    row_currency = _header_currency(units[-1])
                    label_end = units[-1].start()
                while label_start < label_end and line[label_start] in " ":
                    label_start += 1
                while label_end > label_start and line[label_end - 1] in " ":
                    label_end -= 1
                if label_end > label_start and _LABEL_WORD.search(line, label_start, label_end):
                    label = [(index, label_start, label_end)]
                at = cells[-1][1]
                sub_item = bool(label) and lines[label[0][0]][0][label[0][1] : label[0][1] + 1] in _SUB_ITEM
                if row_unit is None and sub_item and last_row[0] >= first_header:
                    row_unit = last_row[1]  # "-員工薪酬 25.3 …": a part of the row above, in its unit
                elif row_unit is not None and not sub_item:
                    last_row = (index, row_unit)
                cell_unit = row_unit if row_unit is not None else unit
                label_text = "".join(lines[i][0][a:b] for i, a, b in label)
                if cell_unit is None or _COUNT_ROW.search(label_text) or not label:
                    label = []
                    continue
                for (t_start, t_end), (year, role) in zip(cells, years):
                    figure = line[t_start:t_end]
                    if not any(c.isdigit() for c in figure):
                        continue
                    try:
                        value = parse_number(figure.lstrip("-")) * UNITS[cell_unit]
                    except (ValueError, ArithmeticError):
                        continue
                    if figure.startswith("-"):
                        value = -value
                    yield YearCell(
                        index, Found(figure, _normal(value), row_currency or currency, None, False, t_start, t_end),
                        tuple(label), first_header, year, role, body,
                    )
                label = []
            if not matched:
                # A row label on a line of its own: its cells follow on the next line.
                rest = line[body_start:].strip()
                if rest and len(rest) < 40 and not rest.endswith(("。", "；")):
                    start = line.index(rest, body_start)
                    label = [(index, start, start + len(rest))]
                elif rest:
                    years, unit, label = [], None, []  # prose: the table is over


# --- tables whose rows are years, each row wrapped over lines --------------------------------

# A row's year at the start of a line: a financial or school year, 2021/22, 2021-22.
_ROW_YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)\s?[/／\-]\s?(?P<end>\d\d)")
_DIGIT = re.compile(r"\d")
_COLUMN_COUNT = re.compile(r"數目|次數|人數|人次|宗數|數量|件數|名額")
# A cell of a wrapped row: a figure, maybe about (約), or a figure in brackets, a column of its
# own ("309 (242)": schools, of which new).
_WRAPPED_CELL = re.compile(
    r"[(（](?P<inner>\d[\d,]*)[)）]|(?P<about>約)?(?P<figure>\d[\d,]*(?:\.\d+)?)|(?P<dash>(?<![^\s\d])[-–—](?![^\s\d]))"
)


def _row_columns(names: str) -> list[tuple[str, str | None]]:
    """The figure columns a header's names give, in order: each money unit ``(百萬元)`` and each
    count name (數目, 人次 …; one per header cell)."""
    marks = [(m.start(), "money", m["unit"] or "") for m in _UNIT_HEADER.finditer(names)]
    counts = [m.start() for m in _COLUMN_COUNT.finditer(names)]
    marks += [(at, "count", None) for i, at in enumerate(counts) if i == 0 or at - counts[i - 1] > 4]
    return [(kind, unit) for _, kind, unit in sorted(marks)]


def find_in_wrapped_rows(lines: list[tuple[str, set[int]]]) -> Iterator[YearCell]:
    """Money cells of tables whose rows are years and whose rows wrap over lines.

    The header names every column and ends where the first row's year starts
    (``學年獲批學校數目(新增學校數目)…獲批金額(百萬元)受惠學生人次2020/ 21 119``); each row is
    a year at the start of a line (``2021/ 22``, ``2021-22``) and its cells, on that line and the
    lines after it, up to the next row, a total or prose.  A row is read only when it has exactly
    one figure per column (a figure in brackets is a column of its own), so a row whose cells
    cannot be told apart is left alone.  Each money cell carries its row's year.
    """
    columns: list[tuple[str, str | None]] = []
    currency, header = "HKD", 0
    row: dict | None = None

    def finish(row: dict | None) -> Iterator[YearCell]:
        if row is None or row["broken"]:
            return
        cells = row["cells"]  # (line, start, end, about, not money: in brackets or a dash)
        # More figures than columns: a thousands group split by a space ("1 235 149" is 1,235
        # and 149), joined from the left while the row is too long.
        while len(cells) > len(columns):
            pairs = [
                (a1 - a0, i) for i, ((line_a, a0, a1, _, not_a), (line_b, b0, b1, _, not_b)) in enumerate(zip(cells, cells[1:]))
                if line_a == line_b and not not_a and not not_b and a1 - a0 <= 3 and b1 - b0 == 3 and lines[line_a][0][a0:b1].isdigit()
            ]
            if not pairs:
                return
            _, i = min(pairs)  # the shortest leading group first: "40 250 1 200" is 40, 250, 1 200
            (line_a, a0, _, about, _), (_, _, b1, _, _) = cells[i], cells[i + 1]
            cells[i : i + 2] = [(line_a, a0, b1, about, False)]
        if len(cells) != len(columns):
            return
        for (kind, unit), (index, start, end, about, bracket) in zip(columns, cells):
            if kind != "money" or bracket:
                continue
            figure = lines[index][0][start:end]
            try:
                value = parse_number(figure) * UNITS[unit]
            except (ValueError, ArithmeticError):
                continue
            yield YearCell(
                index, Found(figure, _normal(value), currency, "about" if about else None, False, start, end),
                (row["label"],), header, row["year"], None, (header, 0),
            )

    for index, (line, gaps) in enumerate(lines):
        gaps_sorted = sorted(gaps)
        units = list(_UNIT_HEADER.finditer(line))
        start = 0
        if units:
            yield from finish(row)
            row, columns = None, []
            first = _ROW_YEAR.search(line, units[-1].end())
            if first is None or _DIGIT.search(line, units[-1].end(), first.start()):
                continue  # not this shape: the first row's year must end the column names
            ends = list(re.finditer(r"[。；：]", line[: units[0].start()]))
            columns = _row_columns(line[ends[-1].end() if ends else 0 : first.start()])
            if sum(kind == "money" for kind, _ in columns) == 0 or len(columns) < 2:
                columns = []
                continue
            currency, header = _header_currency(units[-1]), index
            year = first
        elif not columns:
            continue
        else:
            year = _ROW_YEAR.match(line)
            if year is None and (_TOTAL.match(line.strip()) or _TABLE_END.search(line) or item_or_prose(line)):
                yield from finish(row)
                row, columns = None, []
                continue
        if year is not None:
            yield from finish(row)
            start = year.end()
            # The year's last two digits and a first cell run together ("2021/ 22309"): only a
            # space in the original tells them apart.
            broken = start < len(line) and line[start].isdigit() and start not in gaps
            label_year = f"{year['year']}-{year['end']}"
            row = {"label": (index, year.start(), year.end()), "year": label_year, "cells": [], "broken": broken}
        if row is None:
            continue
        for match in _WRAPPED_CELL.finditer(line, start):
            if match["inner"] is not None or match["dash"] is not None:
                row["cells"].append((index, *match.span("inner" if match["dash"] is None else "dash"), False, True))
                continue
            # Split where the original had a space; a group starting with 0 joins the one before.
            at = match.start("figure")
            tokens = _joined(line, _split_at_gaps(line, gaps_sorted, at, match.end()), 10**6)  # the row joins the rest
            for t_start, t_end in tokens:
                row["cells"].append((index, t_start, t_end, t_start == at and match["about"] is not None, False))
    yield from finish(row)
