"""Every candidate name the proposers find in a corpus, with its current decision.

This is how the team reviews the corpus and how a user reviews new documents: each name any
proposer (gazetteer, abbreviations, name rules, NER) finds, how often and where, one example
sentence, and what the build does with it:

- ``gazetteer``: a curated entity (``ontology/gazetteer.jsonl`` or a user gazetteer);
- ``short form``: a short form defined in a reply, naming the full name in that reply only;
- ``rule``: a name the rules accept by its shape (a 「…」 name with a head, a proper prefix and a
  head, an item of a numbered table);
- ``rejected``: not an entity, with the reason (``ontology/rejections.jsonl``, the generic words,
  slogans and phrase fragments of ``ontology/name_rules.json``, the shape checks of the NER);
- ``unresolved``: only the NER proposes it and nothing above decides it.

:func:`legco_kg.output.render_candidates` prints them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from legco_kg.extractors.model import Document, Mention

DECISIONS = ("gazetteer", "short form", "rule", "unresolved", "rejected")


@dataclass(frozen=True)
class Candidate:
    """One candidate name (in :func:`~legco_kg.extractors.text.name_form`) and its decision."""

    name: str
    kind: str
    count: int  # distinct spans
    replies: tuple[str, ...]  # reply numbers, or document ids for papers
    example: str  # the sentence of the first occurrence
    decision: str  # one of DECISIONS
    detail: str  # the entity id, the rule, the long form, or the reason for a rejection
    proposers: tuple[str, ...]


@dataclass(frozen=True)
class _Proposal:
    mention: Mention
    decision: str
    detail: str


def proposals(doc: Document, with_ner: bool = True) -> Iterator[_Proposal]:
    """What every proposer says about the names of ``doc``."""
    from legco_kg.extractors.names import (
        abbreviation_mentions, gazetteer_mentions, listed_mentions, rule_proposals, shaped_mentions,
    )

    for mention in gazetteer_mentions(doc):
        yield _Proposal(mention, "gazetteer", mention.key or "")
    for mention in abbreviation_mentions(doc):
        yield _Proposal(mention, "short form", f"of {mention.key}")
    for mention, reason in rule_proposals(doc):
        yield _Proposal(mention, "rejected" if reason else "rule", reason or f"a name ending in a head word ({mention.kind})")
    for mention in listed_mentions(doc):
        yield _Proposal(mention, "rule", "an item of a numbered table of names")
    for mention in shaped_mentions(doc):
        if mention.key and mention.key.isascii():
            yield _Proposal(mention, "gazetteer", mention.key)  # 「智方便」平台 names 智方便
        else:
            yield _Proposal(mention, "rule", f"a {mention.kind} named by its place in the text (a table's title column …)")
    if with_ner:
        from legco_kg.extractors.ner import ner_proposals

        for mention, reason in ner_proposals(doc):
            yield _Proposal(mention, "rejected" if reason else "unresolved", reason or "proposed by the NER only")


def candidates(documents: Iterable[Document], with_ner: bool = True) -> list[Candidate]:
    """The candidates of ``documents``, most frequent first, then by name (deterministic).

    A name's decision is the strongest any proposer gives it, in the order of ``DECISIONS``;
    a curated rejection (``ontology/rejections.jsonl``) or a gazetteer entity decides every
    occurrence of the name.
    """
    from legco_kg.extractors.names import SentenceFinder, rejections
    from legco_kg.extractors.text import name_form
    from legco_kg.graph.kg import Gazetteer

    documents = list(documents)
    gazetteer = Gazetteer.load()
    curated_rejections = rejections()
    finder = SentenceFinder(documents)
    spans: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
    kinds: dict[str, Counter] = defaultdict(Counter)
    places: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, int, int]] = {}
    verdicts: dict[str, dict[str, str]] = defaultdict(dict)  # name → decision → detail
    proposers: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        for proposal in proposals(doc, with_ner):
            mention = proposal.mention
            name = name_form(mention.text)
            if not name:
                continue
            where = (mention.doc_id, mention.start, mention.end)
            spans[name].add(where)
            kinds[name][mention.kind] += 1
            places[name].add(mention.reply or mention.doc_id)
            first[name] = min(first.get(name, where), where)
            verdicts[name].setdefault(proposal.decision, proposal.detail)
            proposers[name].add(mention.extractor)
    found = []
    for name, where in spans.items():
        decision, detail = _decide(name, verdicts[name], gazetteer, curated_rejections)
        kind = sorted(kinds[name].items(), key=lambda item: (-item[1], item[0]))[0][0]
        if decision == "gazetteer":
            kind = gazetteer.entities[detail].kind
        found.append(Candidate(
            name=name, kind=kind, count=len(where), replies=tuple(sorted(places[name])),
            example=finder.find(*first[name]) or "", decision=decision, detail=detail,
            proposers=tuple(sorted(proposers[name])),
        ))
    found.sort(key=lambda c: (-c.count, c.name, c.kind))
    return found


def _decide(name: str, verdicts: dict[str, str], gazetteer, curated_rejections: dict[str, str]) -> tuple[str, str]:
    known = gazetteer.find(name)
    if known is not None:
        return "gazetteer", known.id
    if verdicts.get("gazetteer") in gazetteer.entities:
        return "gazetteer", verdicts["gazetteer"]  # a rule's name keyed to an entity (「智方便」平台)
    if name in curated_rejections:
        return "rejected", curated_rejections[name]
    for decision in DECISIONS:
        if decision in verdicts:
            return decision, verdicts[decision]
    raise AssertionError(f"no decision for {name!r}")  # every proposal carries one


def counts(found: Iterable[Candidate]) -> dict[str, int]:
    """How many candidates have each decision, every decision listed."""
    tally = Counter(c.decision for c in found)
    return {decision: tally[decision] for decision in DECISIONS}
