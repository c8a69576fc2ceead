"""Number coverage: classify every figure of the documents and list money no extractor claimed.

A gold set only measures the replies someone annotated; this report looks at all of them.  Each
Arabic figure of a document's sections is put in one class:

- ``money``: inside an amount an extractor found;
- ``percentage``: ``45%``, ``百分之``;
- ``year/date``: ``2023-24``, ``2025年``, ``3月31日``, a year in a table header;
- ``ordinal/code``: numbered items (``1.``, ``(2)``), codes (``ITIB001``, ``分目090``), ``第3``;
- ``count``: a figure followed by a classifier (``12個``, ``30200人次``);
- ``other``: anything else.

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
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_COUNT_AFTER = re.compile(
    r"^\s?(?:個|名|宗|間|項|人|次|倍|所|座|張|份|部|架|輛|家|位|隊|條|本|場|類|款|支|套|篇|頁|節|屆|期|輪|批|組|歲|小時|分鐘|天|周|星期|"
    r"平方|米|公里|公頃|兆|GB|MB|TB|Gbps|%)"
)
_CODE_BEFORE = re.compile(r"(?:[A-Za-z]|第|編號|分目|綱領|總目|註|附件|[(（])\s?$")
_COUNT_LABEL = re.compile(r"人數|數目|次數|宗數|數量|件數|名額|人次")
_COUNT_COLUMN = re.compile(r"次數|宗數|數量|件數|名額|職位")
_PROSE_END = re.compile(r"[。；]\s*$")


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
    after, before = text[end : end + 6], text[max(0, start - 4) : start]
    if claimed:
        return "money"
    if _PERCENT.match(after) or before.endswith("百分之"):
        return "percentage"
    if _DATE_AFTER.match(after) or (_YEAR.match(figure) and not _COUNT_AFTER.match(after)) or before.rstrip().endswith("-"):
        return "year/date"
    line_start = text.rfind("\n", 0, start) + 1
    if _CODE_BEFORE.search(before) or (start == line_start and re.match(r"^[.．]", after)) or re.match(r"^[)）]", after):
        return "ordinal/code"
    if _COUNT_AFTER.match(after):
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
        in_table, reply, count_columns = False, None, False
        for part in sections(doc):
            text = part.text.text
            if part.reply != reply or part.section != "body":
                in_table = False  # a paper's paragraphs continue one another; replies do not
            reply = part.reply
            line_end = -1
            for match in _NUMBER.finditer(text):
                start, end = match.span()
                if start > line_end:
                    # A new line: a unit header opens a table region, a line of prose closes it.
                    line_start = text.rfind("\n", 0, start) + 1
                    line_end = text.find("\n", start)
                    line_end = len(text) if line_end < 0 else line_end
                    line = text[line_start:line_end]
                    if _UNIT_HEADER.search(line):
                        in_table = True
                        # The header may start on the line before ("年份 獲批申請數目" / "核准資助金額(百萬元)").
                        header = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : line_end]
                        count_columns = bool(_COUNT_LABEL.search(header) or _COUNT_COLUMN.search(header))
                    elif in_table and (_PROSE_END.search(line) and len(line) > 40 or line.startswith("註")):
                        in_table = False
                    line_lo, line_hi = part.text.span(line_start, line_end)
                    line_claimed = any(line_lo <= s < line_hi for s, _ in spans)
                orig_start, orig_end = part.text.span(start, end)
                is_claimed = any(s < orig_end and orig_start < e for s, e in spans)
                kind = _classify(text, start, end, is_claimed)
                if kind == "other" and in_table and _COUNT_LABEL.search(text, line_start, start):
                    kind = "count"  # 員工人數 30 27 …: a row of counts in a money table
                elif kind == "other" and in_table and count_columns and line_claimed:
                    kind = "count"  # a count column beside claimed money (獲批申請數目, 下載次數)
                report.by_class[kind] += 1
                money_word = _CURRENCY_AFTER.match(text[end : end + 8]) or _CURRENCY_BEFORE.search(text[max(0, start - 4) : start])
                if money_word or (in_table and kind in ("other", "money")):
                    report.near_money += 1
                    if kind != "money":
                        context = text[max(line_start, start - 20) : min(line_end, end + 12)]
                        report.unclaimed.append((doc.doc_id, part.reply, match.group(), context))
    return report


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
