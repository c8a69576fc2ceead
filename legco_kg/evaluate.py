"""Score a build's entities against a gold set (format and rules: the gold set's README).

Per reply, a gold entity is found when an entity extracted from that reply's question or answer
has a label or alias equal to the gold name or one of its specific surface forms (generic
forms such as 計劃 alone do not count); names are compared without spaces and 「」『』《》,
after NFKC, and script-neutrally (both sides folded to Simplified with OpenCC ``t2s``, so a
Simplified text's surface forms match the Traditional labels its entities get).  An extracted entity that matches no gold entry of its reply is a false hit;
entries marked ``uncertain`` count neither way.

A gold entry is keyed by ``reply`` (an estimates reply: its question and answer are scored) or,
for a paper, a press release or any document that is not a set of replies, by ``document``: the
document id (the file name without extension), whose body is scored.
"""
from __future__ import annotations

import json
from decimal import Decimal
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from legco_kg.extractors.text import name_form
from legco_kg.errors import InputError

GOLD_KINDS = {"schemes": "scheme", "institutions": "institution", "platforms": "platform"}
# What each extracted kind is scored as.
SCORED_AS = {"scheme": "scheme", "institution": "institution", "bureau": "institution", "platform": "platform"}
@lru_cache(maxsize=None)
def compare_form(name: str) -> str:
    """The form gold and extracted names are compared in: :func:`name_form`, then Simplified."""
    import opencc

    return _to_simplified(opencc).convert(name_form(name))


@lru_cache(maxsize=1)
def _to_simplified(opencc):
    return opencc.OpenCC("t2s")


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    by_kind: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # reply, kind, gold name
    false_hits: list[tuple[str, str, str]] = field(default_factory=list)  # reply, kind, label
    amounts: Score = field(default_factory=Score)
    subjects_right: int = 0
    subjects_scored: int = 0
    wrong_subjects: list[tuple[str, str, str, str]] = field(default_factory=list)  # reply, text, gold, found

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.by_kind.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total


def load_gold(path: Path) -> list[dict]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(str(path), f"not a readable gold JSON file: {error}") from None
    if not isinstance(gold, list) or not all(isinstance(r, dict) and ("reply" in r or "document" in r) for r in gold):
        raise InputError(str(path), "expected a JSON list of objects with a 'reply' (or, for a paper, 'document') field")
    return gold


def gold_key(entry: dict) -> str:
    """What a gold entry scores: a reply number, else a document id."""
    return entry.get("reply") or entry["document"]


@dataclass
class Export:
    """What scoring needs of a build's export.jsonl."""

    entities: dict[str, dict] = field(default_factory=dict)
    # Keyed by reply number, or by document id for a paper's body.
    mentioned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # → entity ids
    amounts: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))  # → amounts


def load_export(path: Path) -> Export:
    """Entities by id; per reply (or paper), the entities mentioned in its question and answer (or
    body), and its amounts."""
    export = Export()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            kind = record["record"]
            if kind == "entity":
                export.entities[record["id"]] = record
            elif kind == "mention" and record["reply"] and record["section"] in ("question", "answer"):
                export.mentioned[record["reply"]].add(record["entity"])
            elif kind == "mention" and not record["reply"] and record["section"] == "body":
                export.mentioned[record["document"]].add(record["entity"])
            elif kind == "amount":
                export.amounts[record["reply"] or record["document"]].append(record)
    return export


def _names(entity: dict) -> set[str]:
    return {compare_form(n) for n in (entity["label_zh"], entity["label_en"], *entity["aliases"]) if n}


def evaluate(gold: list[dict], export: Export, is_generic) -> Report:
    report = Report()
    entities, mentioned = export.entities, export.mentioned
    for reply in gold:
        _score_amounts(reply, export, is_generic, report)
    for reply in gold:
        reply_id = gold_key(reply)
        extracted = [entities[i] for i in sorted(mentioned.get(reply_id, ())) if entities[i]["kind"] in SCORED_AS]
        names = {e["id"]: _names(e) for e in extracted}
        matched: set[str] = set()
        for field_name, kind in GOLD_KINDS.items():
            for entry in reply.get(field_name, []):
                forms = {compare_form(entry["name"])} | {
                    compare_form(f) for f in entry.get("surface_forms", []) if not is_generic(f)
                }
                hits = {i for i, n in names.items() if n & forms}
                matched |= hits
                if entry.get("uncertain"):
                    continue
                if hits:
                    report.by_kind[kind].true_positives += 1
                else:
                    report.by_kind[kind].false_negatives += 1
                    report.misses.append((reply_id, kind, entry["name"]))
        for entity in extracted:
            if entity["id"] not in matched:
                kind = SCORED_AS[entity["kind"]]
                report.by_kind[kind].false_positives += 1
                report.false_hits.append((reply_id, kind, entity["label_zh"]))
    return report


def _score_amounts(reply: dict, export: Export, is_generic, report: Report) -> None:
    """Amounts matched by value and currency; the subject scored where the gold subject is an
    annotated, certain entity of the reply."""
    reply_id = gold_key(reply)
    found = list(export.amounts.get(reply_id, []))
    entries = {}
    for field_name in GOLD_KINDS:
        for entry in reply.get(field_name, []):
            entries.setdefault(compare_form(entry["name"]), entry)
    for amount in reply.get("amounts", []):
        key = (Decimal(str(amount["value"])), amount["currency"])
        candidates = [i for i, f in enumerate(found) if (Decimal(str(f["value"])), f["currency"]) == key]
        if not candidates:
            report.amounts.false_negatives += 1
            report.misses.append((reply_id, "amount", f"{amount['text']} ({amount['value']} {amount['currency']})"))
            continue
        report.amounts.true_positives += 1
        entry = entries.get(compare_form(amount["subject"] or ""))
        if entry is None or entry.get("uncertain"):
            found.pop(candidates[0])
            continue
        forms = {compare_form(entry["name"])} | {compare_form(f) for f in entry.get("surface_forms", []) if not is_generic(f)}

        def right(f: dict) -> bool:
            subject = export.entities.get(f["subject"]) if f["subject"] else None
            return bool(subject and _names(subject) & forms)

        best = next((i for i in candidates if right(found[i])), candidates[0])
        report.subjects_scored += 1
        if right(found[best]):
            report.subjects_right += 1
        else:
            subject = export.entities.get(found[best]["subject"] or "")
            report.wrong_subjects.append((reply_id, amount["text"], entry["name"], subject["label_zh"] if subject else "-"))
        found.pop(best)
    for f in found:
        report.amounts.false_positives += 1
        report.false_hits.append((reply_id, "amount", f"{f['text']} ({f['value']} {f['currency']})"))


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [f"{'kind':12s} {'P':>6s} {'R':>6s} {'F1':>6s}  {'TP':>4s} {'FP':>4s} {'FN':>4s}"]
    rows = [(kind, report.by_kind[kind]) for kind in sorted(report.by_kind)]
    for kind, score in [*rows, ("overall", report.overall), ("amount", report.amounts)]:
        lines.append(
            f"{kind:12s} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}  "
            f"{score.true_positives:4d} {score.false_positives:4d} {score.false_negatives:4d}"
        )
    if report.subjects_scored:
        lines.append(
            f"amount subjects right: {report.subjects_right / report.subjects_scored:.3f} "
            f"({report.subjects_right} of {report.subjects_scored} scored)"
        )
    if verbose:
        lines.append("")
        lines.extend(f"wrong subject {r} {t}: gold {g}, found {f}" for r, t, g, f in report.wrong_subjects)
        lines.extend(f"miss       {r} {k:11s} {n}" for r, k, n in report.misses)
        lines.extend(f"false hit  {r} {k:11s} {n}" for r, k, n in report.false_hits)
    return "\n".join(lines)


def evaluate_build(gold_path, out, verbose: bool = False) -> str:
    """``legco-kg evaluate --gold``: the report of the build in ``out`` against the gold file."""
    from legco_kg.extractors.names import is_generic
    from legco_kg.folder import BuildFolder

    export_path = BuildFolder(out).require("jsonl")
    return format_report(evaluate(load_gold(gold_path), load_export(export_path), is_generic), verbose)
