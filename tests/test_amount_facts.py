"""Amount facts: one fact per (subject, value, currency, year, role), every mention its evidence."""
from decimal import Decimal

import pytest

from legco_kg.extractors.model import Amount
from legco_kg.graph.amount_facts import amount_facts

from helpers import kg_of, paper, records


def said(start, value="300000000", year=None, role="allocation", reply="R1"):
    return Amount("3億元", Decimal(value), "HKD", None, False, start, start + 3, "d", "amounts-text", reply, "answer",
                  year=year, role=role)


@pytest.mark.parametrize(
    "mentions, facts",
    [
        ([(said(1), "s"), (said(50, reply="R2"), "s")], 1),
        ([(said(1, year="2023-24"), "s"), (said(50, year="2024-25"), "s")], 2),
        ([(said(1, role="allocation"), "s"), (said(50, role="actual"), "s")], 2),
        ([(said(1), "s"), (said(50), "t")], 2),
        ([(said(1, "300000000"), "s"), (said(50, "3E+8"), "s")], 1),
        ([(said(1), None), (said(50), None)], 2),
        ([(said(1, role=None), "s"), (said(50), "s")], 1),
        ([(said(1, role=None), "s"), (said(50), "s"), (said(90, role="actual"), "s")], 3),
        ([(said(1, role=None), "s"), (said(50), "s"), (said(90, year="2024-25"), "s")], 1),
    ],
    ids=["repeated-in-two-replies", "two-years", "two-roles", "two-subjects", "same-value-written-two-ways", "no-subject-never-merged",
         "unsaid-role-joins-the-one-fact", "unsaid-role-between-two-facts-stays-apart",
         "partial-mentions-chain-into-the-complete-fact"],
)
def test_mentions_group_into_facts(mentions, facts):
    found = amount_facts(mentions)
    assert len(found) == facts
    assert sum(len(f.evidence) for f in found) == len(mentions)


def test_a_repeated_allocation_is_one_fact_with_every_statement_as_evidence():
    text = (
        "政 府 已 預 留 30億 元 推 出 「 新 型 工 業 加 速 計 劃 」 。\n"
        "「 新 型 工 業 加 速 計 劃 」 的 30億 元 預 留 款 項 將 分 三 年 發 放 。\n"
        "另 外 ， 政 府 為 「 新 型 工 業 加 速 計 劃 」 預 留 30億 元 。"
    )
    doc = paper(text)
    kg = kg_of(doc)
    facts = [f for f in kg.amount_facts if f.subject and kg.entities[f.subject].label_zh == "新型工業加速計劃"]
    assert [(f.value, len(f.evidence)) for f in facts] == [(Decimal(3000000000), 3)]
    node = [t for t in kg.rdf if str(t[1]).endswith("wasDerivedFrom") and str(t[0]).endswith(facts[0].id)]
    assert len(node) == 3


def test_every_amount_record_names_its_fact_and_the_fact_names_it_back(built):
    facts = {f["id"]: f for f in records(built, "amount_fact")}
    mentions = records(built, "amount")
    assert mentions and all(m["fact"] in facts for m in mentions)
    for mention in mentions:
        fact = facts[mention["fact"]]
        assert {"document": mention["document"], "start": mention["start"], "end": mention["end"], "text": mention["text"]} in fact["mentions"]
        assert fact["subject"] == mention["subject"]
        # A mention that leaves the year or role unsaid may be evidence of a fact that says them.
        assert mention["year"] in (None, fact["year"]) and mention["role"] in (None, fact["role"])
    assert sum(len(f["mentions"]) for f in facts.values()) == len(mentions)


def test_a_fact_names_each_reply_with_its_document(built):
    # Two budget years reuse reply numbers: a reply number alone does not say which reply.
    mentions = records(built, "amount")
    for fact in records(built, "amount_fact"):
        stated = [{"document": m["document"], "reply": m["reply"]} for m in mentions if m["fact"] == fact["id"] and m["reply"]]
        assert fact["replies"] == [dict(pair) for pair in dict.fromkeys(tuple(s.items()) for s in stated)]
        assert all(place["document"] and place["reply"] for place in fact["replies"])


@pytest.mark.parametrize(
    "stated, replies",
    [
        ([("2024", "R1"), ("2025", "R1")], (("2024", "R1"), ("2025", "R1"))),
        ([("2025", "R1"), ("2025", "R1"), ("2025", "R7")], (("2025", "R1"), ("2025", "R7"))),
        ([("paper", None), ("2025", "R3")], (("2025", "R3"),)),
    ],
    ids=["same-reply-number-in-two-budget-years", "each-reply-once", "a-paper-is-no-reply"],
)
def test_the_replies_of_a_fact_say_their_document(stated, replies):
    mentions = [
        (Amount("3億元", Decimal(300000000), "HKD", None, False, 10 * i, 10 * i + 3, document, "amounts-text", reply, "answer"), "s")
        for i, (document, reply) in enumerate(stated)
    ]
    [fact] = amount_facts(mentions)
    assert fact.replies == replies
