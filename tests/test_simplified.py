"""Simplified Chinese input: detected, read as Traditional, every fact pointing into the original."""
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from legco_kg.build import assemble, parse_corpus
from legco_kg.extractors.parse import parse_document
from legco_kg.extractors.text import (
    SIMPLIFIED, TRADITIONAL, Spellings, clean_lines, clean_lines_of, compact, script_of, to_traditional,
)

from helpers import paper, run

TO_SIMPLIFIED = opencc.OpenCC("t2s")


@pytest.mark.parametrize(
    "text, script",
    [
        ("政府推出新型工业加速计划，资助额为2亿元。", SIMPLIFIED),
        ("政府推出新型工業加速計劃，資助額為2億元。", TRADITIONAL),
        ("创 新 科 技 署 表 示 ， 计 划 反 应 良 好 。", SIMPLIFIED),
        ("創新科技署表示，業界對「数码企业身份」反應熱烈，將於明年擴展服務。", TRADITIONAL),  # a Simplified name quoted
        ("本港经济：創新科技署表示，计划已于去年推出，反应理想。", SIMPLIFIED),
        ("中文 123 ABC", TRADITIONAL),  # nothing to tell: read as it is
        ("", TRADITIONAL),
    ],
    ids=["simplified", "traditional", "simplified-pdf-spaces", "traditional-quoting-simplified",
         "mostly-simplified", "no-telling-characters", "empty"],
)
def test_the_script_is_told_from_the_characters(text, script):
    assert script_of(text) == script


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("卫生署拨款2亿元", "衞生署撥款2億元"),
        ("数码港的云平台", "數碼港的雲平台"),
        ("为中小企业提供头发护理", "為中小企業提供頭髮護理"),
        ("住户须缴税并阅读说明", "住戶須繳稅並閱讀說明"),
    ],
    ids=["hk-forms", "platform-keeps-台", "phrases", "government-glyph-forms"],
)
def test_conversion_writes_hong_kong_government_forms(simplified, traditional):
    assert to_traditional(simplified).text == traditional


def test_known_names_keep_their_spelling_where_a_character_is_ambiguous():
    spellings = Spellings(["製造業升級計劃", "香港賽馬會慈善信託基金"])
    line = "支持制造业升级计划及香港赛马会慈善信托基金"
    assert spellings.apply(line, to_traditional(line)).text == "支持製造業升級計劃及香港賽馬會慈善信託基金"


HAN = "创新科技署资助计划发展头发面积数码港为说户税制造里后台亿万元學習計劃"
def is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


TEXT = st.text(alphabet=HAN + "abc 12\n，。「」", max_size=60)


@settings(max_examples=150, deadline=2000)
@given(TEXT)
def test_every_converted_character_maps_to_one_original_character_in_order(original):
    converted = to_traditional(original)
    assert len(converted.offsets) == len(converted.text)
    assert list(converted.offsets) == sorted(converted.offsets)
    assert set(converted.offsets) == set(range(len(original)))  # nothing dropped
    for char, offset in zip(converted.text, converted.offsets):
        if is_han(original[offset]):
            assert is_han(char)  # a Han character becomes a Han character (台面 → 枱面)
        else:
            assert char == original[offset]  # only Han characters change


@settings(max_examples=100, deadline=2000)
@given(TEXT)
def test_clean_lines_of_a_simplified_text_point_into_the_original(original):
    for line in clean_lines_of(original, SIMPLIFIED):
        assert len(line.offsets) == len(line.text)
        for char, offset in zip(line.text, line.offsets):
            assert original[offset].isspace() == (char == " ")  # a kept space is a space ("1 1")
            assert is_han(char) == is_han(original[offset])
    assert [compact(line.text) for line in clean_lines_of(original, SIMPLIFIED)] == [
        compact(to_traditional(line.text).text) for line in clean_lines(original)
    ]


# A reply of our own, in the shape of the corpus's answers (PDF spaces included).
REPLY = """各 項 資 助 的 最 新 情 況

答 覆 ：
創 新 科 技 署 在 2025-26年 度 為「 智 慧 工 地 科 技 應 用 資 助 計 劃 」預 留 約 2.5億 元 ，
每 個 項 目 的 資 助 上 限 為 200萬 元 。 香 港 生 產 力 促 進 局 亦 會 透 過「 中 小 企 數 碼 轉 型
支 援 平 台 」提 供 協 助 ， 開 支 為 一 千 二 百 萬 元 。 該 署 並 會 與 衞 生 署 及 香 港 科 技 園 公 司
合 作 ， 在 香 港 科 學 園 設 立 醫 療 科 技 測 試 中 心 。
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "traditional.txt").write_text(REPLY, encoding="utf-8")
    (folder / "simplified.txt").write_text(TO_SIMPLIFIED.convert(REPLY), encoding="utf-8")
    documents, _ = parse_corpus([folder])
    return {doc.doc_id: doc for doc in documents}, assemble(documents)


def test_a_simplified_copy_gives_the_same_entities_and_amounts(both):
    documents, kg = both
    assert documents["simplified"].script == SIMPLIFIED and documents["traditional"].script == TRADITIONAL

    def found(doc_id):
        mentions = sorted((m.start, m.end, entity, m.kind) for m, entity in kg.mentions if m.doc_id == doc_id)
        amounts = sorted((a.start, a.end, a.value, a.currency, subject) for a, subject in kg.amounts if a.doc_id == doc_id)
        return mentions, amounts

    mentions, amounts = found("traditional")
    assert len(mentions) >= 6 and len(amounts) == 3
    assert found("simplified") == (mentions, amounts)  # same spans (the copy is as long), entities, values
    labels = {kg.entities[entity].label_zh for _, _, entity, _ in mentions}
    assert {"智慧工地科技應用資助計劃", "衞生署", "香港科技園公司"} <= labels  # Traditional labels


def test_simplified_facts_keep_the_original_text(both):
    documents, kg = both
    original = documents["simplified"].text
    mentions = [m for m, _ in kg.mentions if m.doc_id == "simplified"]
    amounts = [a for a, _ in kg.amounts if a.doc_id == "simplified"]
    for fact in [*mentions, *amounts]:
        assert compact(original[fact.start : fact.end]) == compact(fact.text)
    assert "智慧工地科技应用资助计划" in {m.text for m in mentions}
    assert {a.text for a in amounts} >= {"2.5亿元", "200万元", "一千二百万元"}
    aliases = {alias for entity in kg.entities.values() for alias in entity.aliases}
    assert "智慧工地科技应用资助计划" not in aliases  # labels and aliases stay Traditional


def test_a_traditional_document_is_read_unchanged(estimates_path):
    doc = parse_document(estimates_path)
    assert doc.script == TRADITIONAL and doc.reading is None and doc.reading_text is doc.text


def test_the_check_set_builds_as_papers_and_is_scored_by_document(tmp_path):
    import json

    folder = Path(__file__).parent / "data" / "ooc"
    built = run("build", folder, "--out", tmp_path, "--quiet", "--without", "ner")
    assert built.exit_code == 0, built.output
    scored = run("evaluate", "--gold", folder / "gold.json", "--out", tmp_path)
    assert scored.exit_code == 0, scored.output
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    certain = sum(not e.get("uncertain") for doc in gold for kind in ("schemes", "institutions", "platforms") for e in doc[kind])
    overall = next(line.split() for line in scored.output.splitlines() if line.startswith("overall"))
    true_positives, false_negatives = int(overall[4]), int(overall[6])
    assert len(gold) >= 30 and true_positives + false_negatives == certain  # every paper's entry was scored
    assert true_positives > certain // 2


@pytest.mark.parametrize(
    "text, first",
    [
        ("科學園迎來三家新租戶\n\n今屆獲選的企業包括元啟醫療。\n", "科學園迎來三家新租戶"),
        ("科學園迎來三家新租戶\n今屆獲選的企業包括元啟醫療。\n", "科學園迎來三家新租戶今屆獲選的企業包括元啟醫療。"),
        ("「 智\n\n方 便 」 已 推 出 。\n", "「智方便」已推出。"),
    ],
    ids=["headline-then-blank-line", "no-blank-line", "pdf-wrapped-name"],
)
def test_a_headline_is_a_paragraph_of_its_own(text, first):
    paragraphs = [p.text for p in paper(text, "p.txt").paragraphs]
    assert paragraphs[0] == first


@pytest.mark.parametrize(
    "gold_form, extracted, same",
    [
        ("香港知识产权署", "香港知識產權署", True),
        ("「智方便」", "智方便", True),
        ("Ｗｉ－Ｆｉ.HK", "Wi-Fi.HK", True),
        ("创新科技署", "創新科技及工業局", False),
    ],
    ids=["simplified-gold-traditional-label", "quotes", "full-width", "different-names"],
)
def test_names_are_scored_script_neutrally(gold_form, extracted, same):
    from legco_kg.evaluate import compare_form

    assert (compare_form(gold_form) == compare_form(extracted)) is same


def test_a_simplified_page_footer_is_dropped_like_a_traditional_one():
    original = "第 一 段 文 字\n第 3 节 IT IB - 第 5 页\n第 二 段\n"
    assert [line.text for line in clean_lines_of(original, SIMPLIFIED)] == ["第一段文字", "第二段"]


def test_words_of_the_name_rules_keep_their_spelling():
    from legco_kg.extractors.parse import known_spellings

    line = "完善香港创科产业布局"
    assert to_traditional(line).text.endswith("佈局")  # OpenCC's Hong Kong form
    assert known_spellings().apply(line, to_traditional(line)).text == "完善香港創科產業布局"


def test_a_simplified_copy_of_estimates_replies_parses_the_same(excerpt_path, tmp_path):
    original = excerpt_path.read_text(encoding="utf-8")
    (tmp_path / "traditional.txt").write_text(original, encoding="utf-8")
    (tmp_path / "simplified.txt").write_text(TO_SIMPLIFIED.convert(original), encoding="utf-8")
    documents, _ = parse_corpus([tmp_path])
    simplified, traditional = documents
    assert simplified.script == SIMPLIFIED and simplified.kind == traditional.kind == "estimates-replies"
    facts = lambda doc: [(r.reply, r.question, r.member, r.head, r.programmes, r.start, r.end) for r in doc.replies]
    assert facts(simplified) == facts(traditional) and len(facts(traditional)) == 2
    kg = assemble(documents)
    found = lambda doc_id: sorted((m.start, m.end, entity) for m, entity in kg.mentions if m.doc_id == doc_id)
    assert found("simplified") == found("traditional")
