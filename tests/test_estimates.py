"""The estimates-replies structure: index table, reply headers, the whole document."""
from collections import Counter

import pytest

from legco_kg.extractors.estimates import parse_index, split_programmes
from legco_kg.extractors.parse import parse_document
from legco_kg.extractors.text import clean_lines, compact

INDEX = """ 答 覆 編 號 問 題 編 號 議 員 姓 名 總 目 綱 領
ITIB001 3130 陳 振 英 135 (2) 創 新 科 技 及 工 業
ITIB007 0637 邱 達 根 135
ITIB091 1580 洪 雯 155 (1) 支 援 研 究 及 發 展

(2) 推 動 科 技 創 業 活 動

(3) 規 劃 創 新 及 科 技 發 展
ITIB104 1824 李 惟 宏 155 (6) 資 助 金 ： 香 港 生 產 力 促 進 局 ， 香 港

應 用 科 技 研 究 院 有 限 公 司
ITIB094 1292 葉 劉 淑 儀 155 (1) 支 援 研 究 及 發 展
"""


@pytest.mark.parametrize(
    "reply, question, member, head, programmes",
    [
        ("ITIB001", "3130", "陳振英", "135", ("(2)創新科技及工業",)),
        ("ITIB007", "0637", "邱達根", "135", ()),
        ("ITIB091", "1580", "洪雯", "155", ("(1)支援研究及發展", "(2)推動科技創業活動", "(3)規劃創新及科技發展")),
        ("ITIB104", "1824", "李惟宏", "155", ("(6)資助金：香港生產力促進局，香港應用科技研究院有限公司",)),
        ("ITIB094", "1292", "葉劉淑儀", "155", ("(1)支援研究及發展",)),
    ],
    ids=["one-programme", "no-programme", "several-programmes", "wrapped-programme", "four-char-name"],
)
def test_index_rows(reply, question, member, head, programmes):
    rows = {row.reply: row for row in parse_index(clean_lines(INDEX))}
    row = rows[reply]
    assert (row.question, row.member, row.head, row.programmes) == (question, member, head, programmes)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("(2)數據治理，(3)數字基建", ["(2)數據治理", "(3)數字基建"]),
        ("(1)數字政府, (3)數字基建", ["(1)數字政府", "(3)數字基建"]),
        ("(6)資助金：香港生產力促進局，香港應用科技研究院有限公司", ["(6)資助金：香港生產力促進局，香港應用科技研究院有限公司"]),
        ("沒有指定", []),
    ],
    ids=["fullwidth-comma", "ascii-comma", "comma-inside-name", "unspecified"],
)
def test_split_programmes(value, expected):
    assert split_programmes(value) == expected


def test_excerpt_headers(excerpt_path):
    doc = parse_document(excerpt_path)
    assert [r.reply for r in doc.replies] == ["ITIB005", "ITIB006"]
    first, second = doc.replies
    assert not first.number_recovered
    assert second.number_recovered, "ITIB006 has no 答覆編號 header: recovered from the index"
    assert (first.question, first.member, first.member_ref) == ("0148", "陳月明", "23")
    assert (first.head, first.head_name, first.subhead) == ("135", "政府總部：創新科技及工業局", None)  # 分目：()
    assert first.controlling_officer == "創新科技及工業局常任秘書長(麥德偉)"
    assert (second.question, second.member, second.programmes) == ("0740", "陳勇", ("(2)創新科技及工業",))
    assert "沙嶺" in first.question_text.text and first.answer_text.text
    assert "提問人" not in first.question_text.text


def test_reply_texts_keep_offsets(excerpt_path):
    doc = parse_document(excerpt_path)
    for reply in doc.replies:
        for text in (reply.question_text, reply.answer_text):
            start, end = text.span()
            assert compact(doc.text[start:end]).startswith(compact(text.text)[:20])


def test_all_replies_parsed(estimates):
    assert len(estimates.replies) == 251
    assert [r.reply for r in estimates.replies] == [f"ITIB{n:03d}" for n in range(1, 252)]
    assert len({r.question for r in estimates.replies}) == 251
    first = estimates.replies[0]
    assert (first.question, first.subhead, first.member_ref) == ("3130", "000", "18")


def test_replies_agree_with_index(estimates):
    index = {row.reply: row for row in estimates.index}
    assert len(index) == 251
    for reply in estimates.replies:
        row = index[reply.reply]
        assert (reply.question, reply.member, reply.head, reply.programmes) == (
            row.question, row.member, row.head, row.programmes,
        ), reply.reply
    assert not estimates.warnings


def test_member_reply_counts_agree_with_index(estimates):
    assert Counter(r.member for r in estimates.replies) == Counter(row.member for row in estimates.index)


def test_header_facts_are_complete(estimates):
    for reply in estimates.replies:
        assert reply.member_ref and reply.member_ref.isdigit(), reply.reply
        assert reply.head in {"135", "155", "47"}
        assert reply.officer_name, reply.reply
        assert reply.answer_text.text and reply.question_text.text, reply.reply
