"""Ask the graph: bilingual queries over the build's ``index.json``, every hit with evidence.

Understood, case-insensitively (Chinese forms in brackets):

- ``<kinds> mentioned with <entity>`` (``與<entity>一同提及的<kinds>``): kinds are schemes,
  institutions, platforms, members, bureaus, amounts, replies; co-mentioned in the same reply or
  paper, ranked by the number of replies, then by same-sentence co-occurrence;
- ``questions by <member>`` (``<member>的問題``);
- ``who asked about <entity>`` (``誰問及<entity>``): members whose question mentions it, then
  those whose reply does;
- ``amounts for <entity>`` (``<entity>的款額``);
- ``bureaus replying about <entity>`` (``答覆<entity>的部門``);
- a bare ``<entity>``: its card.

Names resolve by Chinese label, alias, short form, English name or abbreviation, Simplified
Chinese (OpenCC), then fuzzily; an unknown name fails with suggestions, an ambiguous one lists
the candidates.  This module never imports spaCy and never parses Turtle.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from legco_kg.errors import LegcoError
from legco_kg.extractors.text import name_key  # light: the extractors package loads lazily

KINDS = {  # words for kinds → entity kinds
    "schemes": ("scheme",), "scheme": ("scheme",), "institutions": ("institution", "bureau"),
    "institution": ("institution", "bureau"), "platforms": ("platform",), "platform": ("platform",),
    "members": ("member",), "member": ("member",), "bureaus": ("bureau",), "bureau": ("bureau",),
    "amounts": ("amount",), "replies": ("reply",), "entities": ("scheme", "institution", "bureau", "platform"),
    "計劃": ("scheme",), "基金": ("scheme",), "機構": ("institution", "bureau"), "平台": ("platform",),
    "議員": ("member",), "部門": ("bureau",), "政策局": ("bureau",), "款額": ("amount",), "金額": ("amount",),
    "答覆": ("reply",), "實體": ("scheme", "institution", "bureau", "platform"),
}
NAMED = ("scheme", "institution", "bureau", "platform")
_KIND_WORDS = "|".join(sorted(map(re.escape, KINDS), key=len, reverse=True))
PATTERNS = [
    ("comention", re.compile(rf"^(?P<kinds>{_KIND_WORDS})\s+(?:co-)?mentioned\s+(?:with|alongside)\s+(?P<name>.+)$", re.I)),
    ("comention", re.compile(rf"^與(?P<name>.+?)一同?(?:提及|出現)的(?P<kinds>{_KIND_WORDS})$")),
    ("questions", re.compile(r"^questions\s+(?:by|from|asked by)\s+(?P<name>.+)$", re.I)),
    ("questions", re.compile(r"^(?P<name>.+?)(?:提出|提交)?的(?:問題|提問|書面質詢)$")),
    ("asked", re.compile(r"^who\s+asked\s+(?:about|on)\s+(?P<name>.+?)\??$", re.I)),
    ("asked", re.compile(r"^(?:誰|哪些議員|邊個)(?:問及|問到|提問|查詢|問)(?:有關)?(?P<name>.+?)[?？]?$")),
    ("amounts", re.compile(r"^amounts?\s+(?:for|of|on)\s+(?P<name>.+)$", re.I)),
    ("amounts", re.compile(r"^(?P<name>.+?)的(?:款額|金額|撥款|開支)$")),
    ("bureaus", re.compile(r"^bureaus?\s+(?:replying|that replied|answering)\s+(?:about|on)\s+(?P<name>.+)$", re.I)),
    ("bureaus", re.compile(r"^(?:哪些部門)?(?:答覆|回覆|回應)(?:有關)?(?P<name>.+?)的(?:部門|政策局)$")),
]


class QueryError(LegcoError):
    """A query that cannot be answered: an unknown or ambiguous name (exit code 1)."""


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_traditional(text: str) -> str:
    """Simplified Chinese to Traditional (Hong Kong forms) with OpenCC."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return text
    return _converter(opencc).convert(text)


@lru_cache(maxsize=1)
def _converter(opencc):
    return opencc.OpenCC("s2hk")


@dataclass
class Index:
    """The build's ``index.json``."""

    data: dict

    @classmethod
    def load(cls, out: Path) -> "Index":
        from legco_kg.folder import BuildFolder

        path = BuildFolder(out).require("index")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise LegcoError(f"{path}: not a readable index ({error}); rebuild with 'legco-kg build'") from None
        return cls(BuildFolder.check_index_format(data, path))

    @property
    def entities(self) -> dict[str, dict]:
        return self.data["entities"]

    @cached_property
    def names(self) -> dict[str, set[str]]:
        """Every name key → the entity ids carrying it."""
        names: dict[str, set[str]] = defaultdict(set)
        for entity_id, entity in self.entities.items():
            for name in (entity["label_zh"], entity["label_en"], *entity["aliases"], entity_id):
                if name:
                    names[name_key(name)].add(entity_id)
        return names

    @cached_property
    def by_container(self) -> dict[tuple, list[tuple[str, str | None, int | None]]]:
        """(document, reply) → [(entity, section, sentence)] of the replies' and papers' text,
        and of the replies' header facts (section None)."""
        found = defaultdict(list)
        for entity_id, doc, reply, section, sentence in self.data["mentions"]:
            found[(doc, reply)].append((entity_id, section, sentence))
        return found

    @cached_property
    def containers_of(self) -> dict[str, set[tuple]]:
        found = defaultdict(set)
        for container, items in self.by_container.items():
            for entity_id, section, _ in items:
                if section is not None:
                    found[entity_id].add(container)
        return found

    # --- names ---

    def resolve(self, name: str) -> str:
        """The id of the entity ``name`` names; raises with suggestions or candidates."""
        candidates = self._lookup(name)
        if not candidates and re.search(r"[\u4e00-\u9fff]", name):
            candidates = self._lookup(to_traditional(name))
        if not candidates:
            candidates = self._fuzzy(name, cutoff=0.86, exact=True)
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            listed = "; ".join(self.describe(i) for i in sorted(candidates, key=self._rank))
            raise QueryError(f"{name!r} is ambiguous: {listed}")
        suggestions = self._fuzzy(name, cutoff=0.5)
        hint = f"; did you mean: {', '.join(self.describe(i) for i in suggestions)}?" if suggestions else ""
        raise QueryError(f"no entity named {name!r}{hint}")

    def _lookup(self, name: str) -> set[str]:
        return set(self.names.get(name_key(name), ()))

    def _fuzzy(self, name: str, cutoff: float, exact: bool = False) -> list[str]:
        key = name_key(to_traditional(name) if re.search(r"[\u4e00-\u9fff]", name) else name)
        close = difflib.get_close_matches(key, list(self.names), n=5, cutoff=cutoff)
        ids: list[str] = []
        for match in close:
            for entity_id in sorted(self.names[match], key=self._rank):
                if entity_id not in ids:
                    ids.append(entity_id)
        if exact and close:
            best = self.names[close[0]]
            return sorted(best) if len(best) > 1 else [next(iter(best))]
        return ids[:5]

    def _rank(self, entity_id: str):
        return (-len(self.containers_of.get(entity_id, ())), entity_id)

    def describe(self, entity_id: str) -> str:
        entity = self.entities[entity_id]
        english = f" / {entity['label_en']}" if entity["label_en"] else ""
        return f"{entity['label_zh']}{english} ({entity['kind']}, {entity_id})"

    def entity_record(self, entity_id: str) -> dict:
        entity = self.entities[entity_id]
        return {"id": entity_id, "kind": entity["kind"], "label_zh": entity["label_zh"], "label_en": entity["label_en"]}

    def sentence(self, index: int | None) -> str | None:
        return None if index is None else self.data["sentences"][index]

    @staticmethod
    def where(container: tuple) -> str:
        doc, reply = container
        return reply or doc


def parse(text: str) -> tuple[str, str, tuple[str, ...]]:
    """``(operation, name, kinds)`` of a query; a bare name asks for its card."""
    text = text.strip()
    def candidates():
        yield text
        if re.search(r"[\u4e00-\u9fff]", text):
            yield to_traditional(text)  # Simplified input: OpenCC only when needed (it costs 0.2 s)

    for candidate in candidates():
        for operation, pattern in PATTERNS:
            match = pattern.match(candidate)
            if match:
                kinds = KINDS[match["kinds"].lower()] if "kinds" in pattern.groupindex else ()
                return operation, match["name"].strip(), kinds
    return "card", text, ()


def run(index: Index, text: str, limit: int = 20) -> dict:
    """Answer a query: ``{"query", "subject", "results"}``."""
    operation, name, kinds = parse(text)
    subject_id = index.resolve(name)
    subject = index.entity_record(subject_id)
    if operation == "card":
        return {"query": text, "subject": subject, "results": [], "card": card(index, subject_id)}
    if operation == "comention" and kinds == ("amount",):
        operation = "amounts"
    if operation == "comention" and kinds == ("reply",):
        results = replies_mentioning(index, subject_id)
    elif operation == "comention":
        results = comentioned(index, subject_id, kinds)
    elif operation == "questions":
        results = questions_by(index, subject_id)
    elif operation == "asked":
        results = who_asked(index, subject_id)
    elif operation == "amounts":
        results = amounts_for(index, subject_id)
    else:
        results = bureaus_replying(index, subject_id)
    return {"query": text, "subject": subject, "results": results[:limit]}


def _evidence(index: Index, container: tuple, sentence: int | None) -> dict:
    return {"reply": index.where(container), "text": index.sentence(sentence)}


def comentioned(index: Index, subject_id: str, kinds: tuple[str, ...]) -> list[dict]:
    replies: dict[str, set] = defaultdict(set)
    together: Counter = Counter()
    evidence: dict[str, dict] = {}
    for container in index.containers_of.get(subject_id, ()):
        items = index.by_container[container]
        subject_sentences = {s for e, section, s in items if e == subject_id and s is not None}
        for entity_id, section, sentence in items:
            if entity_id == subject_id or index.entities[entity_id]["kind"] not in kinds:
                continue
            if section is None and index.entities[entity_id]["kind"] not in ("member", "bureau"):
                continue
            replies[entity_id].add(container)
            if sentence is not None and sentence in subject_sentences:
                together[entity_id] += 1
                evidence.setdefault(entity_id, _evidence(index, container, sentence))
            elif sentence is not None:
                evidence.setdefault(f"~{entity_id}", _evidence(index, container, sentence))
    ranked = sorted(replies, key=lambda e: (-len(replies[e]), -together[e], e))
    results = []
    for entity_id in ranked:
        shown = evidence.get(entity_id) or evidence.get(f"~{entity_id}") or _first_evidence(index, replies[entity_id], subject_id)
        results.append({
            **index.entity_record(entity_id), "count": len(replies[entity_id]), "same_sentence": together[entity_id],
            "replies": sorted(index.where(c) for c in replies[entity_id]), "evidence": [shown],
        })
    return results


def _first_evidence(index: Index, containers, entity_id: str) -> dict:
    for container in sorted(containers, key=lambda c: (c[0], c[1] or "")):
        for e, section, sentence in index.by_container[container]:
            if e == entity_id and sentence is not None:
                return _evidence(index, container, sentence)
    container = min(containers, key=lambda c: (c[0], c[1] or ""))
    return {"reply": index.where(container), "text": None}


def replies_mentioning(index: Index, subject_id: str) -> list[dict]:
    results = []
    for container in sorted(index.containers_of.get(subject_id, ()), key=lambda c: (c[0], c[1] or "")):
        doc, reply = container
        count = sum(1 for e, section, _ in index.by_container[container] if e == subject_id and section)
        info = index.data["replies"].get(reply, {}) if reply else {}
        label = info.get("asks") or index.data["documents"][doc]["title"]
        results.append({
            "id": index.where(container), "kind": "reply" if reply else "paper", "label_zh": label, "label_en": None,
            "count": count, "replies": [index.where(container)],
            "evidence": [_first_evidence(index, [container], subject_id)],
        })
    return sorted(results, key=lambda r: (-r["count"], r["id"]))


def questions_by(index: Index, member_id: str) -> list[dict]:
    member = index.entities[member_id]
    if member["kind"] != "member":
        raise QueryError(f"{index.describe(member_id)} is not a member; 'questions by' takes a member's name")
    results = []
    for reply_id, info in sorted(index.data["replies"].items()):
        if info["member"] == member["label_zh"]:
            results.append({
                "id": reply_id, "kind": "reply", "label_zh": info["asks"], "label_en": None, "count": 1,
                "replies": [reply_id], "evidence": [{"reply": reply_id, "text": info["asks"]}],
                "question": info["question"], "head": info["head"],
            })
    return results


def who_asked(index: Index, subject_id: str) -> list[dict]:
    """Members whose question mentions the entity first, then those whose reply does."""
    by_member: dict[str, dict] = {}
    member_ids = {e["label_zh"]: i for i, e in index.entities.items() if e["kind"] == "member"}
    for container in index.containers_of.get(subject_id, ()):
        doc, reply = container
        if not reply:
            continue
        member_id = member_ids.get(index.data["replies"][reply]["member"])
        if member_id is None:
            continue
        sections = [(section, sentence) for e, section, sentence in index.by_container[container] if e == subject_id and section]
        in_question = any(section == "question" for section, _ in sections)
        sentence = next((s for section, s in sorted(sections, key=lambda x: x[0] != "question")), None)
        entry = by_member.setdefault(member_id, {"question": set(), "answer": set(), "evidence": []})
        entry["question" if in_question else "answer"].add(reply)
        if len(entry["evidence"]) < 1:
            entry["evidence"].append(_evidence(index, container, sentence))
    ranked = sorted(by_member, key=lambda m: (-len(by_member[m]["question"]), -len(by_member[m]["answer"]), m))
    return [
        {
            **index.entity_record(m), "count": len(by_member[m]["question"] | by_member[m]["answer"]),
            "in_question": len(by_member[m]["question"]),
            "replies": sorted(by_member[m]["question"] | by_member[m]["answer"]), "evidence": by_member[m]["evidence"],
        }
        for m in ranked
    ]


def amounts_for(index: Index, subject_id: str) -> list[dict]:
    results = []
    for doc, reply, text, value, currency, qualifier, per_unit, subject, sentence in index.data["amounts"]:
        if subject != subject_id:
            continue
        container = (doc, reply)
        results.append({
            "id": f"{index.where(container)}:{text}", "kind": "amount", "label_zh": text, "label_en": None,
            "text": text, "value": _number(value), "currency": currency, "qualifier": qualifier, "per_unit": per_unit,
            "count": 1, "replies": [index.where(container)], "evidence": [_evidence(index, container, sentence)],
        })
    return results


def _number(value: str):
    return int(value) if re.fullmatch(r"-?\d+", value) else float(value)


def bureaus_replying(index: Index, subject_id: str) -> list[dict]:
    by_bureau: dict[str, set] = defaultdict(set)
    evidence: dict[str, dict] = {}
    for container in index.containers_of.get(subject_id, ()):
        doc, reply = container
        if not reply:
            continue
        items = index.by_container[container]
        for entity_id, section, _ in items:
            if section is None and index.entities[entity_id]["kind"] == "bureau":
                by_bureau[entity_id].add(reply)
                sentence = next((s for e, sec, s in items if e == subject_id and sec), None)
                evidence.setdefault(entity_id, _evidence(index, container, sentence))
    ranked = sorted(by_bureau, key=lambda b: (-len(by_bureau[b]), b))
    return [
        {**index.entity_record(b), "count": len(by_bureau[b]), "replies": sorted(by_bureau[b]), "evidence": [evidence[b]]}
        for b in ranked
    ]


def card(index: Index, entity_id: str) -> dict:
    """An entity's card: labels, kind, parent, counts and strongest neighbours."""
    entity = index.entities[entity_id]
    containers = index.containers_of.get(entity_id, set())
    mentions = sum(1 for e, _, _, section, _ in index.data["mentions"] if e == entity_id)
    amounts = [a for a in index.data["amounts"] if a[7] == entity_id]
    neighbours = comentioned(index, entity_id, NAMED)[:8] if entity["kind"] in NAMED else []
    replies_asked = [r for r, info in index.data["replies"].items() if info["member"] == entity["label_zh"]] if entity["kind"] == "member" else []
    return {
        **index.entity_record(entity_id),
        "type": entity.get("type"),
        "aliases": entity["aliases"],
        "parent": index.entity_record(entity["parent"]) if entity.get("parent") in index.entities else None,
        "replies": len({c for c in containers if c[1]}) or len(replies_asked),
        "papers": len({c for c in containers if not c[1]}),
        "mentions": mentions,
        "amounts": len(amounts),
        "neighbours": [{"id": n["id"], "label_zh": n["label_zh"], "label_en": n["label_en"], "count": n["count"]} for n in neighbours],
    }


def stats(index: Index, top: int = 10) -> dict:
    kinds = Counter(e["kind"] for e in index.entities.values())
    per_head = Counter(info["head"] for info in index.data["replies"].values())
    per_programme = Counter(p for info in index.data["replies"].values() for p in info["programmes"])
    scheme_replies = Counter()
    for entity_id, containers in index.containers_of.items():
        if index.entities[entity_id]["kind"] == "scheme":
            scheme_replies[entity_id] = len({c for c in containers if c[1]})
    members = Counter(info["member"] for info in index.data["replies"].values())
    return {
        "documents": len(index.data["documents"]), "replies": len(index.data["replies"]),
        "mentions": len(index.data["mentions"]), "amounts": len(index.data["amounts"]),
        "entities_by_kind": dict(sorted(kinds.items())),
        "replies_per_head": dict(sorted(per_head.items())),
        "replies_per_programme": dict(sorted(per_programme.items(), key=lambda kv: (-kv[1], kv[0]))),
        "top_schemes": [
            {**index.entity_record(i), "replies": n}
            for i, n in sorted(scheme_replies.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "top_members": [{"member": m, "questions": n} for m, n in sorted(members.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
    }
