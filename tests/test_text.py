"""The normaliser: each cleaning rule, and offsets that always point at the original text."""
import pytest
from hypothesis import given, settings, strategies as st

from legco_kg.extractors.text import Text, clean_line, clean_lines, compact, fold, spans_agree


def clean(raw: str) -> str:
    return Text.join(list(clean_lines(raw))).text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("創 新 科 技 署", "創新科技署"),
        ("推 行「 傑 出 創 科 學 人 計 劃 」，以 加 強", "推行「傑出創科學人計劃」，以加強"),
        ("GreenTech Hub 綠 色 科 技", "GreenTech Hub綠色科技"),
        ("Microsoft 365 的 服 務", "Microsoft 365的服務"),
        ("共 3 117宗 申 請", "共3117宗申請"),
        ("約 52 000個 職 位", "約52000個職位"),
        ("科 技 統 籌 (整 體 撥 款 ) 119.7 86.0", "科技統籌(整體撥款) 119.7 86.0"),
        ("2024-25年 度 與 2025-26年 度", "2024-25年度與2025-26年度"),
        ("總 目 ：  (135) 政 府 總 部 ︰ 創 新", "總目：(135)政府總部：創新"),
        ("ＡＩ 與 １２３", "AI與123"),
        ("**創新科技署**負責", "創新科技署負責"),
        ("八大方向<sup>1</sup>推動", "八大方向推動"),
    ],
    ids=["cjk-spaces", "quotes", "latin-words-keep-space", "latin-digit", "thousands", "thousands-2",
         "table-cells", "years", "vertical-colon", "fullwidth", "markdown-bold", "footnote"],
)
def test_clean_line(raw, expected):
    assert clean_line(raw, 0).text == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("「 智\n\n方 便 」", "「智方便」"),
        ("推 行「 傑 出 創 科 學\n人 計 劃 」", "推行「傑出創科學人計劃」"),
        ("Hong Kong Science\nand Technology Parks", "Hong Kong Science and Technology Parks"),
        ("請 告 知 ：\n1. 開 支", "請告知：\n1.開支"),
        ("每 年 100\n萬 元", "每年100萬元"),
        ("一 般 部 門 開 支  57.9 51.6\n總 計 ：  251.1 210.7", "一般部門開支57.9 51.6\n總計：251.1 210.7"),
        ("內 容\n第  1 9  節  IT IB  -  第  6  頁\n繼 續", "內容繼續"),
        ("#### 理 念\n創 新 及 科 技", "####理念\n創新及科技"),
    ],
    ids=["wrapped-name", "wrapped-quote", "wrapped-english", "numbered-item", "number-then-unit",
         "table-rows", "page-footer", "heading"],
)
def test_join_lines(raw, expected):
    assert clean(raw) == expected


def test_offsets_point_at_the_original():
    raw = "  當 局 預 留 三 十 七 億 元 ，\n\n 推 行「 智\n\n方 便 」"
    text = Text.join(list(clean_lines(raw)))
    start = text.text.index("「智方便」")
    orig_start, orig_end = text.span(start, start + 5)
    assert compact(raw[orig_start:orig_end]) == "「智方便」"


_alphabet = st.sampled_from(list("創新科技署數碼港計劃「」，。：0123456789 ABC︰ＡＢ\n") + ["  ", "\n\n"])


@settings(max_examples=300, deadline=2000)  # a fixed deadline: a slow case is a finding
@given(raw=st.lists(_alphabet, min_size=1, max_size=80).map("".join), data=st.data())
def test_random_spans_map_to_the_same_characters(raw, data):
    text = Text.join(list(clean_lines(raw)))
    if not text.text.strip():
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert spans_agree(raw, text, start, end)


def test_fold_keeps_cjk_sentence_punctuation():
    assert [fold(c) for c in "：，；（）︰"] == ["：", "，", "；", "(", ")", "："]
