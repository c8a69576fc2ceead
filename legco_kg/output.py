"""All printing: a table that fits the terminal (rich), JSON or CSV, chosen through :data:`FORMATS`.

A format is a class with one method per kind of answer it writes: ``answer`` (``query``),
``card`` (``show``), ``stats`` and ``candidates``.

- ``json``: the whole answer, every list complete, so the same question gives the same bytes on
  every run;
- ``csv``: one row per result, full values, lists joined by ``;``;
- ``table``: names first, ids hidden, long columns wrapped to fit the terminal width.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from typing import Callable

from legco_kg.registry import Registry, UnknownName


def _evidence(result: dict) -> str:
    evidence = result["evidence"][0] if result.get("evidence") else {}
    return f"{evidence.get('reply', '')}: {evidence.get('text') or ''}".strip(": ")


def _cell(value, joiner: str = ";") -> str:
    if isinstance(value, (list, tuple)):
        return joiner.join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


TABLE_ITEMS = 5  # a table shows this many items of a list, then "… +N"


@dataclass(frozen=True)
class Column:
    """A column of the results: its header, the result key it shows, and whether tables show it."""

    header: str
    key: str
    in_table: bool = True
    value: Callable[[dict], str] | None = None
    needs: str | None = None  # shown only when the results have this key too
    blank: str = ""  # what a table shows for an empty value

    def cell(self, result: dict, table: bool = False) -> str:
        if self.value:
            return self.value(result)
        if table and result.get(self.key) in (None, "", []):
            return self.blank
        value = result.get(self.key)
        if table and isinstance(value, list) and len(value) > TABLE_ITEMS:  # CSV and JSON keep them all
            value = [*value[:TABLE_ITEMS], f"… +{len(value) - TABLE_ITEMS}"]
        # CSV joins lists with ';'; a table with ', ' so that it can wrap between items
        return _cell(value, ", " if table else ";")


# Columns by the kind of the results; a column whose key no result has is left out.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "entity": (
        Column("name", "label_zh"), Column("English name", "label_en"), Column("kind", "kind"),
        Column("replies", "count"), Column("same sentence", "same_sentence", False),
        Column("reply list", "replies", False), Column("evidence", "evidence", value=_evidence),
        Column("id", "id", False),
    ),
    "member": (
        Column("member", "label_zh"), Column("English name", "label_en"), Column("in question", "in_question"),
        Column("in reply", "in_reply"), Column("replies", "replies"), Column("evidence", "evidence", value=_evidence),
        Column("id", "id", False),
    ),
    "reply": (
        Column("reply", "id"), Column("member", "member"), Column("question", "label_zh"),
        Column("in question", "in_question"), Column("in reply", "in_reply"), Column("head", "head", False),
        Column("question number", "question", False),
        Column("evidence", "evidence", value=_evidence, needs="in_question"), Column("member id", "member_id", False),
    ),
    "amount": (
        Column("amount", "text"), Column("value", "value"), Column("currency", "currency"), Column("year", "year"),
        Column("role", "role"), Column("qualifier", "qualifier", False), Column("mentions", "count", False),
        Column("replies", "replies"), Column("evidence", "evidence", value=_evidence), Column("id", "id", False),
    ),
    "year": (
        Column("year", "year", blank="(no year)"), Column("facts", "count"), Column("amounts", "amounts"),
        Column("values", "values", False), Column("currencies", "currencies", False), Column("replies", "replies"), Column("evidence", "evidence", value=_evidence),
    ),
}
COLUMNS["paper"] = COLUMNS["reply"]
_SHAPE = {"member": "member", "reply": "reply", "paper": "reply", "amount": "amount", "year": "year"}


def columns_of(answer: dict, table: bool = False) -> tuple[Column, ...]:
    results = answer["results"]
    shape = _SHAPE.get(results[0]["kind"], "entity") if results else "entity"
    return tuple(
        column for column in COLUMNS[shape]
        if any(column.key in r and (not column.needs or column.needs in r) for r in results)
        and (column.in_table or not table)
    )


def rows_of(answer: dict, table: bool = False) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the answer's results (all columns, or a table's)."""
    columns = columns_of(answer, table)
    return [c.header for c in columns], [[c.cell(r, table) for c in columns] for r in answer["results"]]


def limit_note(answer: dict) -> str | None:
    """The line for stderr when a limit cut the results, e.g. "21 results, 20 shown; --limit 0 for all"."""
    shown, total = len(answer.get("results", ())), answer.get("total", 0)
    if total > shown:
        return f"{total} results, {shown} shown; --limit 0 for all"
    return None


def _label(entity: dict) -> str:
    return entity["label_zh"] + (f" / {entity['label_en']}" if entity.get("label_en") else "")


def _card_fields(card: dict) -> list[list[str]]:
    return [
        ["name", card["label_zh"]], ["English name", card["label_en"] or "—"],
        ["kind", card["kind"] + (f" ({card['type']})" if card.get("type") else "")],
        ["aliases", "、".join(card["aliases"]) or "—"],
        ["parent", f"{card['parent']['label_zh']} ({card['parent']['id']})" if card["parent"] else "—"],
        *([["questions", str(card["questions"])]] if "questions" in card else []),
        ["replies", str(card["replies"])], ["papers", str(card["papers"])],
        ["mentions", str(card["mentions"])], ["amounts", str(card["amounts"])],
        ["neighbours", "; ".join(f"{n['label_zh']} ({n['count']})" for n in card["neighbours"]) or "—"],
        ["id", card["id"]],
    ]


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


# Table columns left out, in this order, when a terminal is too narrow for all of them
# (JSON and CSV always have every column).
NARROW_DROPS = ("value", "currency", "kind", "replies", "English name", "in reply", "member")


def table(header: list[str], rows: list[list[str]], wide: tuple[str, ...] = (), width: int | None = None) -> str:
    """``rows`` under ``header`` as a plain-text table that fits ``width`` (default: the terminal's).

    Short columns (numbers, kinds, years, reply ids) stay on one line; text columns wrap, never
    truncated, and the ``wide`` ones (the evidence) get most of the room.  Columns with no value
    are left out, and when the terminal is too narrow so are those in :data:`NARROW_DROPS`.
    """
    from rich.console import Console

    width = width or terminal_width()
    console = Console(
        file=io.StringIO(), width=width, color_system=None, force_terminal=False, highlight=False, emoji=False,
        markup=False,
    )
    keep = [i for i, _ in enumerate(header) if i == 0 or any(row[i] for row in rows)]
    for name in NARROW_DROPS:
        if _least_width(header, rows, keep, wide) <= width:
            break
        if name in header and header.index(name) in keep and len(keep) > 2:
            keep.remove(header.index(name))
    grid = _grid(header, rows, keep, wide)
    console.print(grid)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())


def _layout(header: list[str], rows: list[list[str]], position: int, wide: tuple[str, ...]) -> tuple[bool, int]:
    """(whether the column wraps, its least width)."""
    from rich.cells import cell_len

    name = header[position]
    longest = max([cell_len(name), *(cell_len(row[position]) for row in rows)])
    if longest <= 12 and name not in wide:
        return False, longest
    words = max([cell_len(word) for row in rows for word in row[position].split()] or [0])
    return True, min(max(words, 8), 16)


def _least_width(header, rows, keep, wide) -> int:
    return sum(_layout(header, rows, i, wide)[1] for i in keep) + 3 * (len(keep) - 1)


def _grid(header: list[str], rows: list[list[str]], keep: list[int], wide: tuple[str, ...]):
    from rich import box
    from rich.table import Table

    layouts = {position: _layout(header, rows, position, wide) for position in keep}
    # Spread over the terminal only a table with text to wrap; a table of short cells stays compact.
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=any(w for w, _ in layouts.values()))
    for position in keep:
        name = header[position]
        wraps, least = layouts[position]
        if wraps:
            grid.add_column(name, overflow="fold", ratio=3 if name in wide else 1, min_width=least)
        else:
            grid.add_column(name, no_wrap=True)
    for row in rows:
        grid.add_row(*(row[i] for i in keep))
    return grid


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


# --- formats ------------------------------------------------------------------------------------

def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


class Json:
    """``json``: what the command found, whole: the same question gives the same bytes on every run."""

    answer = card = stats = staticmethod(_json)

    @staticmethod
    def candidates(found: list) -> str:
        from dataclasses import asdict

        from legco_kg.candidates import counts

        return _json({"counts": counts(found), "candidates": [asdict(c) for c in found]})


class Csv:
    """``csv``: one row per result (a card: one per field), full values, lists joined by ``;``."""

    @staticmethod
    def answer(answer: dict) -> str:
        if "card" in answer:  # the answer of a bare name (``query Cyberport``)
            return Csv.card(answer["card"])
        return to_csv(*rows_of(answer))

    @staticmethod
    def card(card: dict) -> str:
        return to_csv(["field", "value"], _card_fields(card))

    @staticmethod
    def candidates(found: list) -> str:
        return to_csv(CANDIDATE_HEADER + ["proposers"], [
            [c.name, c.kind, str(c.count), " ".join(c.replies), c.decision, c.detail, c.example, " ".join(c.proposers)]
            for c in found
        ])


class Table:
    """``table``: names first, ids hidden, long columns wrapped to fit the terminal width."""

    @staticmethod
    def answer(answer: dict) -> str:
        if "card" in answer:  # the answer of a bare name (``query Cyberport``)
            return Table.card(answer["card"])
        subject = answer.get("subject")
        title = answer["query"]
        if answer.get("subjects") and len(answer["subjects"]) > 1:
            title += "  →  " + " + ".join(_label(s) for s in answer["subjects"])
        elif subject:
            title += f"  →  {_label(subject)}"
        search = answer.get("search")
        if search and search["by"] == "text":
            title += f"\n(no entity of that name: text search for {' or '.join(search['terms'])})"
        header, rows = rows_of(answer, table=True)
        return title + "\n\n" + (table(header, rows, wide=("evidence", "question")) if rows else "(no results)")

    @staticmethod
    def card(card: dict) -> str:
        return table(["field", "value"], _card_fields(card), wide=("value",))

    @staticmethod
    def stats(figures: dict) -> str:
        return "\n\n".join([
            f"{figures['documents']} documents, {figures['replies']} replies, {figures['mentions']} mentions, {figures['amounts']} amounts",
            table(["kind", "entities"], [[k, str(n)] for k, n in figures["entities_by_kind"].items()]),
            table(["head", "replies"], [[k, str(n)] for k, n in figures["replies_per_head"].items()]),
            table(["programme", "replies"], [[k, str(n)] for k, n in figures["replies_per_programme"].items()]),
            table(["scheme", "label_en", "replies"], [[s["label_zh"], s["label_en"] or "", str(s["replies"])] for s in figures["top_schemes"]]),
            table(["member", "questions"], [[m["member"], str(m["questions"])] for m in figures["top_members"]]),
        ])

    @staticmethod
    def candidates(found: list) -> str:
        from legco_kg.candidates import counts

        summary = ", ".join(f"{n} {decision}" for decision, n in counts(found).items())
        return f"{len(found)} candidate names: {summary}\n\n" + table(CANDIDATE_HEADER, candidate_rows(found))


CANDIDATE_HEADER = ["name", "kind", "count", "replies", "decision", "detail", "example"]


def candidate_rows(found) -> list[list[str]]:
    """A table's rows of :class:`legco_kg.candidates.Candidate` s: at most four replies each, then "+N"."""
    return [[c.name, c.kind, str(c.count), _replies(c.replies), c.decision, c.detail, c.example] for c in found]


def _replies(replies: tuple[str, ...], shown: int = 4) -> str:
    more = f" +{len(replies) - shown}" if len(replies) > shown else ""
    return ", ".join(replies[:shown]) + more


FORMATS = Registry("output format", {
    "table": "legco_kg.output:Table",
    "json": "legco_kg.output:Json",
    "csv": "legco_kg.output:Csv",
})


def formats_of(kind: str) -> tuple[str, ...]:
    """The names of the formats that write ``kind`` (for a command's ``--format`` choices)."""
    return tuple(name for name in FORMATS if hasattr(FORMATS.get(name), kind))


def printer(format_: str, kind: str = "answer") -> Callable:
    """The function that writes a ``kind`` of answer in ``format_``.

    ``kind`` is ``answer`` (``query``), ``card`` (``show``), ``stats`` or ``candidates``; a format
    that is not in :data:`FORMATS`, or does not write that kind, is :class:`~legco_kg.registry.UnknownName`
    naming the valid ones.

    >>> printer("json", "stats")({"replies": 2})
    '{\\n "replies": 2\\n}'
    >>> printer("csv", "stats")
    Traceback (most recent call last):
    ...
    legco_kg.registry.UnknownName: unknown stats output format 'csv'; valid: table, json
    """
    found = getattr(FORMATS.get(format_), kind, None)
    if found is None:
        raise UnknownName(f"unknown {kind} {FORMATS.family} {format_!r}; valid: {', '.join(formats_of(kind))}")
    return found


def render(answer: dict, format_: str) -> str:
    """``legco-kg query``: the answer in ``format_`` (a name in :data:`FORMATS`)."""
    return printer(format_)(answer)


def render_card(card: dict, format_: str) -> str:
    """``legco-kg show``: an entity's card (of :func:`legco_kg.graph.read.query.card`) in ``format_``."""
    return printer(format_, "card")(card)


def render_stats(figures: dict, format_: str) -> str:
    """``legco-kg stats``: the figures of :func:`legco_kg.graph.read.query.stats` in ``format_``."""
    return printer(format_, "stats")(figures)


def render_candidates(found: list, format_: str) -> str:
    """``legco-kg candidates``: the :class:`legco_kg.candidates.Candidate` s in ``format_`` (a table
    starts with the counts by decision)."""
    return printer(format_, "candidates")(found)
