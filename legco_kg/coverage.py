"""Number coverage: classify every figure of the documents and list money no extractor claimed.

A gold set only measures the replies someone annotated; this report looks at all of them.  Each
Arabic figure of a document's sections is put in one class:

- ``money``: inside an amount an extractor found;
- ``percentage``: ``45%``, ``百分之``;
- ``year/date``: ``2023-24``, ``2025年``, ``3月31日``, a year in a table header;
- ``ordinal/code``: numbered items (``1.``, ``(2)``), codes (``ITIB001``, ``分目090``), ``第3``,
  names (``產學研1+計劃``), footnote marks and footnotes (``總開支1`` / ``1有關項目…。``);
- ``count``: a figure followed by a classifier (``12個``, ``30200人次``, ``100萬登記用戶``, the
  end of a range ``11至17歲``), and in a table with count columns: the figures of a row whose
  money is claimed, a lone figure of a row when the first column counts (``資料處理員8``), a
  figure right after a date column (``2014年9月71000``), and a figure of four or more digits
  without thousands commas where the table writes its money with them (``38,000 … 487000``);
  there, a decimal glued to a name is a version (``職安健2.0``, ``ordinal/code``);
- ``other``: anything else.  A figure longer than any amount (figures the PDF ran together,
  ``580000650000720000…``) is ``other`` and never near money.

A figure is *near a money unit* when a currency word follows it (``20億元``, ``$``), or it stands
in a table region, from a line with a unit header such as ``(百萬元)`` to the first line of
prose.  Near-money figures that are not ``money`` are the *unclaimed* ones: misses to look at.
This method is deliberately simpler than the extractor's, so it does not share its blind spots.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from legco_kg.extractors.model import Amount, Document

CLASSES = ("money", "count", "percentage", "year/date", "ordinal/code", "other")

_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?")
_CURRENCY_AFTER = re.compile(r"^\s?(?:百萬|千萬|萬|億|千)?(?:港元|港幣|元|美元|人民幣)")
_CURRENCY_BEFORE = re.compile(r"(?:HK\$|US\$|\$|港幣|人民幣|RMB)\s?$")
_UNIT_HEADER = re.compile(r"[(（](?:百萬|千萬|萬|億|千)?(?:港元|元|美元|人民幣)[)）]|[(（](?:HK)?\$[)）]")
_PERCENT = re.compile(r"^\s?(?:%|％|個百分點)")
_DATE_AFTER = re.compile(r"^(?:年|月|日|財政年度|-\d\d(?!\d)|/\d\d(?!\d)|至\d{4})")
# The end of a year written 2021/22 whose next figure the PDF ran into it ("2021/ 22309").
_YEAR_START_BEFORE = re.compile(r"(?:19|20)\d\d\s?[/／]\s?$")
_DATE_BEFORE = re.compile(r"(?:19|20)\d\d年\d{1,2}月(?:\d{1,2}日)?\s?$")
_RANGE_AFTER = re.compile(r"^(?:至|到|-|–|~)\d[\d,]*(?:\.\d+)?")
_ROW_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s?[/／\-]\s?\d\d")
MAX_DIGITS = 16  # longer figures are no amount (as the extractor's limit)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_COUNT_AFTER = re.compile(
    r"^\s?(?:萬|億)?(?:個|名|宗|間|項(?!目)|人|次|倍|所|座|張|份|部|架|輛|家|位|隊|條|本|場|類|款|支|套|篇|頁|節|屆|期|輪|批|組|歲|區|小時|分鐘|天|周|星期|"
    r"平方|米|公里|公頃|兆|GB|MB|TB|Gbps|%|(?:登記)?用戶)"
)
_CODE_BEFORE = re.compile(r"(?:[A-Za-z]|第|編號|分目|綱領|總目|註|附件|[(（])\s?$")
_COUNT_LABEL = re.compile(r"人數|數目|次數|宗數|數量|件數|名額|人次")
_ONLY_FIGURES = re.compile(r"(?:[\s\d,.\-%()（）]|註|[一二三四五六七八九十])*")  # between a row's label and its figure
_POSTS_BEFORE = re.compile(r"編制(?:上限)?\s?$")  # "人手編制888": an establishment of posts
_COUNT_COLUMN = re.compile(r"次數|宗數|數量|件數|名額|職位")
_PROSE_END = re.compile(r"[。；]\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Coverage:
    """Counts per class; near-money figures and the unclaimed ones, with where they are."""

    by_class: Counter = field(default_factory=Counter)
    near_money: int = 0
    unclaimed: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # doc, reply, figure, context

    @property
    def unclaimed_share(self) -> float:
        return len(self.unclaimed) / self.near_money if self.near_money else 0.0


def _classify(text: str, start: int, end: int, claimed: bool) -> str:
    figure = text[start:end]
    # A line break of the PDF is no break in the words: "11至17\n歲".
    after, before = text[end : end + 12].replace("\n", "")[:8], text[max(0, start - 4) : start]
    if claimed:
        return "money"
    if _PERCENT.match(after) or before.endswith("百分之"):
        return "percentage"
    if (_DATE_AFTER.match(after) or (_YEAR.match(figure) and not _COUNT_AFTER.match(after)) or before.rstrip().endswith("-")
            or _YEAR_START_BEFORE.search(text[max(0, start - 8) : start])):
        return "year/date"
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if _CODE_BEFORE.search(before) or (start == line_start and re.match(r"^[.．]", after)) or re.match(r"^[)）+]", after):
        return "ordinal/code"
    if len(figure) <= 2 and start == line_start and _CJK.match(text, end) and line.rstrip().endswith("。"):
        return "ordinal/code"  # a footnote: "1有關項目的現金流量或會橫跨超過1個財政年度。"
    if len(figure) == 1 and _CJK.match(text, start - 1) and text[end : end + 1] == "\n" and _UNIT_HEADER.match(text, end + 1):
        return "ordinal/code"  # a footnote mark on a column name: "項目總開支1" / "(萬元)"
    if _COUNT_AFTER.match(after) or _POSTS_BEFORE.search(text[max(0, start - 6) : start]):
        return "count"
    ranged = _RANGE_AFTER.match(after)
    if ranged and _COUNT_AFTER.match(after[ranged.end() :]):
        return "count"
    return "other"


def number_coverage(documents: Iterable[Document], amounts: Iterable[Amount]) -> Coverage:
    """Classify every figure of ``documents``; ``amounts`` are what the extractors claimed.

    Parameters
    ----------
    documents : parsed documents
    amounts : every amount extracted from them (original offsets)

    Returns
    -------
    Coverage
    """
    from legco_kg.extractors.names import sections

    claimed: dict[str, list[tuple[int, int]]] = {}
    for amount in amounts:
        claimed.setdefault(amount.doc_id, []).append((amount.start, amount.end))
    report = Coverage()
    for doc in documents:
        spans = sorted(claimed.get(doc.doc_id, []))
        in_table, reply, count_columns, count_first, commas, table_names = False, None, False, False, False, None
        for part in sections(doc):
            text = part.text.text
            if part.reply != reply or part.section != "body":
                in_table, table_names = False, None  # a paper's paragraphs continue one another; replies do not
            reply = part.reply
            rows = _claimed_rows(part.text, spans)
            line_end = -1
            for match in _NUMBER.finditer(text):
                start, end = match.span()
                if start > line_end:
                    # Every line up to this figure's: a unit header opens a table region (a header
                    # may have no figure), a line of prose with a figure closes it.
                    at = line_end + 1
                    while True:
                        line_start, line_end = at, text.find("\n", at)
                        line_end = len(text) if line_end < 0 else line_end
                        line = text[line_start:line_end]
                        if _UNIT_HEADER.search(line):
                            # A header repeated on each page continues its table ("編號局/部門名稱開發成本(元)…").
                            names_line = line[: _UNIT_HEADER.search(line).start()]
                            same = table_names is not None and (names_line.endswith(table_names) or table_names.endswith(names_line))
                            in_table, commas, table_names = True, commas and same, names_line
                            # The header may start on the line before ("年份 獲批申請數目" / "核准資助金額(百萬元)").
                            header = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : line_end]
                            count_columns = bool(_COUNT_LABEL.search(header) or _COUNT_COLUMN.search(header))
                            # A count column before the money ("職位人數 … 開支(百萬元)"): a row's lone figure counts.
                            names = line[: _UNIT_HEADER.search(line).start()]
                            count_first = bool(_COUNT_LABEL.search(re.split(r"[。；：，]", names)[-1]))
                        elif in_table and line_end >= start and (
                            _PROSE_END.search(line) and len(line) > 40 or line.startswith("註") or "如下" in line
                        ):
                            in_table = False  # prose, a footnote, or a sentence introducing the next table
                        if line_end >= start:
                            break
                        at = line_end + 1
                    line_lo, line_hi = part.text.span(line_start, line_end)
                    line_claimed = any(line_lo <= s < line_hi for s, _ in spans)
                    figures_on_line = len(_NUMBER.findall(line))
                orig_start, orig_end = part.text.span(start, end)
                is_claimed = any(s < orig_end and orig_start < e for s, e in spans)
                kind = _classify(text, start, end, is_claimed)
                figure = match.group()
                too_long = len(figure.replace(",", "").split(".")[0]) > MAX_DIGITS
                if is_claimed and table_names is not None and "," in figure:
                    commas = True  # the money of the table last opened is written with thousands commas
                if kind == "other" and in_table and not too_long:
                    kind = _table_count(text, start, figure, line_start, count_columns, count_first, commas,
                                        line_claimed or rows.get(line_start, False), figures_on_line) or kind
                report.by_class[kind] += 1
                money_word = _CURRENCY_AFTER.match(text[end : end + 8]) or _CURRENCY_BEFORE.search(text[max(0, start - 4) : start])
                if not too_long and (money_word or (in_table and kind in ("other", "money"))):
                    report.near_money += 1
                    if kind != "money":
                        context = text[max(line_start, start - 20) : min(line_end, end + 12)]
                        report.unclaimed.append((doc.doc_id, part.reply, figure, context))
    return report


def _table_count(text, start, figure, line_start, count_columns, count_first, commas, row_claimed, figures_on_line):
    """``count`` for a figure of a money table that the table's own columns say is a count."""
    labels = list(_COUNT_LABEL.finditer(text, line_start, start))
    if labels and _ONLY_FIGURES.fullmatch(text, labels[-1].end(), start):
        return "count"  # 員工人數 30 27 …: a row of counts in a money table, its label right before
    if not count_columns:
        return None
    if row_claimed:
        return "count"  # a count column beside claimed money (獲批申請數目, 下載次數)
    if count_first and figures_on_line == 1:
        return "count"  # "資料處理員8": a row with its count only, under 職位人數
    if _DATE_BEFORE.search(text[max(0, start - 12) : start]):
        return "count"  # "2014年9月71000": the count column after the date column
    if commas and "," not in figure and len(figure.split(".")[0]) >= 4:
        return "count"  # the table writes money as 38,000; 487000 is of a count column
    if commas and "." in figure and "," not in figure and text[start - 1 : start].isalpha():
        return "ordinal/code"  # "職安健2.0": a version in a name, where the table's money is whole dollars
    return None


def _claimed_rows(text, spans) -> dict[int, bool]:
    """For each line of a row that starts with a year and wraps over lines ("2024/ 25" / "171" /
    "(4) 559 60約38000"): whether the row holds claimed money, by the line's start."""
    rows: dict[int, bool] = {}
    group: list[int] = []
    at = 0

    def close():
        if group:  # the row's lines, from its first line's start to its last line's end
            end = text.text.find("\n", group[-1])
            lo, hi = text.span(group[0], len(text.text) if end < 0 else end)
            held = any(lo <= s < hi for s, _ in spans)
            for line_start in group:
                rows[line_start] = held

    for line in text.text.split("\n"):
        if _ROW_YEAR.match(line):
            close()
            group = [at]
        elif group and line.strip() and not _PROSE_END.search(line):
            group.append(at)
        else:
            close()
            group = []
        at += len(line) + 1
    close()
    return rows


def format_coverage(report: Coverage, verbose: bool = False) -> str:
    total = sum(report.by_class.values())
    lines = [f"{'class':14s} {'figures':>8s} {'share':>7s}"]
    for kind in CLASSES:
        count = report.by_class[kind]
        lines.append(f"{kind:14s} {count:8d} {count / total if total else 0:7.3f}")
    lines.append(f"{'all':14s} {total:8d}")
    lines.append(
        f"near a money unit: {report.near_money}; unclaimed: {len(report.unclaimed)} "
        f"({report.unclaimed_share:.3f})"
    )
    if verbose:
        lines.append("")
        lines.extend(f"unclaimed  {reply or doc} {figure:>10s}  {context}" for doc, reply, figure, context in report.unclaimed)
    return "\n".join(lines)


def corpus_coverage(paths=None) -> Coverage:
    """:func:`number_coverage` of ``paths`` (default: the embedded corpus), amounts extracted afresh."""
    from legco_kg.build import default_corpus, parse_corpus
    from legco_kg.extractors.amounts import amounts

    documents, _ = parse_corpus(paths or default_corpus())
    return number_coverage(documents, [a for doc in documents for a in amounts(doc)])
