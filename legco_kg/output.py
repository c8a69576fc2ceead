"""Printing query answers: an aligned table (CJK counted as two columns), JSON or CSV."""
from __future__ import annotations

import csv
import io
import json

from legco_kg.graph.read.query import display_width

FORMATS = ("table", "json", "csv")


def rows_of(answer: dict) -> tuple[list[str], list[list[str]]]:
    results = answer["results"]
    if results and results[0]["kind"] == "amount":
        header = ["amount", "value", "currency", "qualifier", "reply", "evidence"]
        rows = [
            [r["text"], str(r["value"]), r["currency"], r["qualifier"] or "", ", ".join(r["replies"]), _evidence(r)]
            for r in results
        ]
    else:
        header = ["id", "kind", "label_zh", "label_en", "count", "replies", "evidence"]
        rows = [
            [r["id"], r["kind"], r["label_zh"] or "", r["label_en"] or "", str(r["count"]), _replies(r["replies"]), _evidence(r)]
            for r in results
        ]
    return header, rows


def _replies(replies: list[str], shown: int = 4) -> str:
    more = f" +{len(replies) - shown}" if len(replies) > shown else ""
    return ", ".join(replies[:shown]) + more


def _evidence(result: dict) -> str:
    evidence = result["evidence"][0] if result["evidence"] else {}
    return f"{evidence.get('reply', '')}: {evidence.get('text') or ''}".strip(": ")


def table(header: list[str], rows: list[list[str]], clip: int = 60) -> str:
    rows = [[_clip(cell, clip) for cell in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(row[i]) for row in rows]) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _clip(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, width = [], 0
    for char in text:
        width += display_width(char)
        if width > limit - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def render(answer: dict, format_: str) -> str:
    if format_ == "json":
        return json.dumps(answer, ensure_ascii=False, indent=1)
    if "card" in answer:
        return render_card(answer["card"], format_)
    header, rows = rows_of(answer)
    if format_ == "csv":
        return to_csv(header, rows)
    subject = answer["subject"]
    title = f"{answer['query']}  →  {subject['label_zh']}" + (f" / {subject['label_en']}" if subject["label_en"] else "")
    return title + "\n\n" + (table(header, rows) if rows else "(no results)")


def render_card(card: dict, format_: str) -> str:
    fields = [
        ("id", card["id"]), ("kind", card["kind"] + (f" ({card['type']})" if card.get("type") else "")),
        ("label_zh", card["label_zh"]), ("label_en", card["label_en"] or "—"),
        ("aliases", "、".join(card["aliases"]) or "—"),
        ("parent", f"{card['parent']['label_zh']} ({card['parent']['id']})" if card["parent"] else "—"),
        ("replies", str(card["replies"])), ("papers", str(card["papers"])),
        ("mentions", str(card["mentions"])), ("amounts", str(card["amounts"])),
        ("neighbours", "; ".join(f"{n['label_zh']} ({n['count']})" for n in card["neighbours"]) or "—"),
    ]
    if format_ == "csv":
        return to_csv(["field", "value"], [list(f) for f in fields])
    return table(["field", "value"], [list(f) for f in fields], clip=120)
