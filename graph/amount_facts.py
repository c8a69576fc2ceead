"""Amount facts: one fact per (subject, value, currency, year, role), every mention its evidence.

A scheme's HK$3 bn allocation is stated in many replies; each statement is a mention (an
:class:`~legco_kg.extractors.model.Amount` with its span), and all of them are evidence of one
fact.  Counting or summing facts, not mentions, is what keeps totals honest.

An amount without a subject is a fact of its own: two unattached "1億元" in different replies
need not be the same money, so they are not merged.  A mention that leaves the year or the role
unsaid joins the one fact of its subject and value that says them, if there is exactly one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from legco_kg.extractors.model import Amount


@dataclass(frozen=True)
class AmountFact:
    """One amount of money: what it is of, how much, for which year, of which kind.

    ``id`` is ASCII and stable across builds; ``evidence`` holds every mention stating the
    fact, in document order; ``subject`` (an entity id), ``year`` and ``role`` may be None.
    """

    id: str
    subject: str | None
    value: Decimal
    currency: str
    year: str | None
    role: str | None
    evidence: tuple[Amount, ...]

    @property
    def replies(self) -> tuple[tuple[str, str], ...]:
        """The replies stating the fact as ``(document, reply)``, in order, each once: two budget
        years reuse reply numbers, so a reply number alone is ambiguous.  A paper has none."""
        return tuple(dict.fromkeys((a.doc_id, a.reply) for a in self.evidence if a.reply))

    @property
    def per_unit(self) -> bool:
        return any(a.per_unit for a in self.evidence)

    @property
    def qualifier(self) -> str | None:
        """The mentions' qualifier (about, over …) when they all agree, else None."""
        qualifiers = {a.qualifier for a in self.evidence}
        return qualifiers.pop() if len(qualifiers) == 1 else None


def fact_key(amount: Amount, subject: str | None) -> tuple:
    """What makes two mentions the same fact."""
    if subject is None:
        return (None, amount.doc_id, amount.start, amount.end)
    return (subject, amount.value.normalize(), amount.currency, amount.year, amount.role)


def _fact_id(key: tuple) -> str:
    text = "\x1f".join("" if part is None else str(part) for part in key)
    return "amount-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def amount_facts(amounts: Iterable[tuple[Amount, str | None]]) -> list[AmountFact]:
    """Group mentions into facts, in the order of each fact's first mention.

    Parameters
    ----------
    amounts : each amount mention with the id of its subject entity, or None

    Returns
    -------
    list of AmountFact

    Examples
    --------
    >>> from legco_kg.extractors.model import Amount
    >>> def said(reply, start):
    ...     return Amount("30億元", Decimal(3000000000), "HKD", None, False, start, start + 4, "d", "amounts-text", reply, "answer")
    >>> facts = amount_facts([(said("R1", 10), "ai-scheme"), (said("R2", 90), "ai-scheme"), (said("R3", 200), None)])
    >>> [(f.subject, f.value, f.replies) for f in facts]
    [('ai-scheme', Decimal('3000000000'), (('d', 'R1'), ('d', 'R2'))), (None, Decimal('3000000000'), (('d', 'R3'),))]
    """
    groups: dict[tuple, list[Amount]] = {}
    for amount, subject in sorted(amounts, key=lambda item: (item[0].doc_id, item[0].start, item[0].end)):
        groups.setdefault(fact_key(amount, subject), []).append(amount)
    _merge_partial(groups)
    facts = []
    for key, evidence in groups.items():
        evidence.sort(key=lambda a: (a.doc_id, a.start, a.end))
        first = evidence[0]
        facts.append(AmountFact(
            id=_fact_id(key), subject=key[0], value=first.value, currency=first.currency,
            year=key[3] if key[0] else first.year, role=key[4] if key[0] else first.role, evidence=tuple(evidence),
        ))
    return facts


def _merge_partial(groups: dict[tuple, list[Amount]]) -> None:
    """A mention that leaves the year or the role unsaid ("the 30億元") is evidence of the one
    fact of the same subject and value that says them, when there is exactly one."""
    by_money: dict[tuple, list[tuple]] = {}
    for key in groups:
        if key[0] is not None:
            by_money.setdefault(key[:3], []).append(key)
    for keys in by_money.values():
        # The nearly complete first: (2024-25, None) joins (2024-25, allocation) before (None,
        # None) looks for its one candidate.
        for key in sorted(keys, key=lambda k: (k[3] is None) + (k[4] is None)):
            year, role = key[3], key[4]
            if year is not None and role is not None:
                continue
            fuller = [
                other for other in keys
                if other != key and other in groups and (year is None or other[3] == year) and (role is None or other[4] == role)
                and (other[3], other[4]) != (year, role)
            ]
            if len(fuller) == 1 and key in groups:
                groups[fuller[0]].extend(groups.pop(key))


def fact_of(facts: Iterable[AmountFact]) -> dict[tuple[str, int, int], str]:
    """The id of the fact each mention is evidence of, by ``(document, start, end)``."""
    return {(a.doc_id, a.start, a.end): fact.id for fact in facts for a in fact.evidence}
