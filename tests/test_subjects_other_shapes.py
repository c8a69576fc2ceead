"""What an amount is of, in text of other shapes (news, press releases, speeches, fact sheets).

Every sentence here is written for the test; none is taken from the corpus or the check set.
"""
from pathlib import Path

import pytest

from legco_kg.extractors.parse import parse_document

from helpers import kg_of


def subjects(text: str, folder: Path) -> list[tuple[str, str | None]]:
    (folder / "case.txt").write_text(text, encoding="utf-8")
    doc = parse_document(folder / "case.txt")  # as a build reads it: Simplified text is read as Traditional
    kg = kg_of(doc)
    return [(a.text, kg.entities[s].label_zh if s else None) for a, s in kg.amounts]


CASES = [
    # The brief's "X will receive HK$N" shapes: the recipient named in the figure's clause.
    ("向X撥款", "政府今年向香港科技園公司撥款50億元。", [("50億元", "香港科技園公司")]),
    ("giver-向-recipient", "創新科技署今年向數碼港撥款3億元。", [("3億元", "數碼港")]),
    ("X獲資助", "「海水淡化試驗計劃」獲資助3,000萬元。", [("3,000萬元", "海水淡化試驗計劃")]),
    ("為X預留", "當局已為「低空經濟發展計劃」預留5億元。", [("5億元", "低空經濟發展計劃")]),
    ("X的預算為", "「長者科技租賃計劃」的預算為6,000萬元。", [("6,000萬元", "長者科技租賃計劃")]),
    ("N元的X", "政府推出一項2億元的「社區回收資助計劃」。", [("2億元", "社區回收資助計劃")]),
    # A bare head noun opening the sentence refers back to the name before it that ends so.
    (
        "head-計劃",
        "去年的「漁船更新資助計劃」反應理想。創新科技署今日宣布推出「智慧農場資助計劃」。計劃為每個農場提供最高300萬元資助。",
        [("300萬元", "智慧農場資助計劃")],
    ),
    (
        "head-after-connective",
        "去年的「漁船更新資助計劃」反應理想。政府推出「智慧農場資助計劃」。此外，計劃會為每個農場提供最高300萬元資助。",
        [("300萬元", "智慧農場資助計劃")],
    ),
    (
        "head-simplified",
        "去年的「渔船更新资助计划」反应理想。政府推出「智慧农场资助计划」。计划为每个农场提供最高300万元资助。",
        [("300萬元", "智慧農場資助計劃")],
    ),
    (
        "此項目-run-by-a-department",
        "「智慧泊車導航系統」已在觀塘試行。此項目由運輸署與香港生產力促進局統籌，總開支約為2,000萬元。",
        [("2,000萬元", "智慧泊車導航系統")],
    ),
    (
        "head-平台-later-clause",
        "「漁港智能監測平台」已投入服務。平台設有水質感測器，開放予漁民使用，每月收費500元。",
        [("500元", "漁港智能監測平台")],
    ),
    (
        "head-after-headline",
        "「建築科技資助計劃」第二輪\n\n發展局今日宣布「建築機械人應用資助計劃」接受申請。計劃為每個項目提供最高80萬元。",
        [("80萬元", "建築機械人應用資助計劃")],
    ),
    (
        "headline-names-it-body-refers-back",
        "「長者科技租賃計劃」第二期推出\n\n社會福利署今日宣布，計劃第二期即日接受登記。計劃為每間院舍提供最高50萬元租賃資助，與「樂齡科技應用資助計劃」互相補足。",
        [("50萬元", "長者科技租賃計劃")],
    ),
    (
        "demonstrative-head-in-the-clause",
        "政府去年推出「智慧農場資助計劃」。今年會透過該計劃撥款3億元，並與香港科技園公司合作。",
        [("3億元", "智慧農場資助計劃")],
    ),
    # Who pays is not what the money is of when the sentence opens with the funded project.
    (
        "funder-and-platform",
        "「漁港智能監測平台」由香港科技大學營運，獲創新及科技基金撥款900萬元。",
        [("900萬元", "漁港智能監測平台")],
    ),
    (
        "recipient-in-clause",
        "香港大學獲創新及科技基金撥款1,000萬元研發新藥。",
        [("1,000萬元", "香港大學")],
    ),
    (
        "parent-fund",
        "一家本地初創公司昨日表示，獲創新及科技基金轄下的企業支援計劃資助500萬元。",
        [("500萬元", "企業支援計劃")],
    ),
    (
        "head-新-the-one-set-up",
        "政府會成立「新型工業推廣署」，接手工業貿易署部分職能。新部門首年開支約為1億元。",
        [("1億元", "新型工業推廣署")],
    ),
    (
        "investor-named-beside",
        "「香港科技園公司」宣布完成新一輪融資，集資2億元，投資者包括科技企業投資基金。",
        [("2億元", "香港科技園公司")],
    ),
    (
        "headline-apart-from-the-sentence",
        "數碼港與科學園動態\n\n香港科技園公司今日宣布完成新一輪融資，集資2億元。",
        [("2億元", "香港科技園公司")],
    ),
    (
        "paid-by-a-fund",
        "「深水埗社區數碼中心」年內啟用，整體開支約為900萬元，由創新及科技基金支付。",
        [("900萬元", "深水埗社區數碼中心")],
    ),
    # Null when the text does not make it clear.
    (
        "head-two-candidates",
        "「新型工業推廣署」會接手工業貿易署部分職能。該部門首年開支約為1億元。",
        [("1億元", None)],
    ),
    (
        "head-then-another-name",
        "「綠色氫能產業聯盟」今日成立。聯盟將推出氫能車輛試驗計劃，首期撥款2億元。",
        [("2億元", None)],
    ),
    (
        "blank-line-inside-a-wrapped-sentence",
        "本署在過去一年與漁農業界、環保團體及大學學者多次舉行會議商討，詳細檢討了「漁船更新資助計劃」與\n\n「智慧農場資助計劃」。計劃為每個農場提供最高300萬元資助。",
        [("300萬元", None)],
    ),
    (
        "head-could-name-an-unrecognised-name",
        "香港科技園公司昨日與一家本地初創公司簽署協議。公司將投資1億元興建廠房。",
        [("1億元", None)],
    ),
    (
        "no-name-at-all",
        "主辦單位表示，今年活動的開支約為80萬元。",
        [("80萬元", None)],
    ),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_subject_of_an_amount(text, expected, tmp_path):
    assert subjects(text, tmp_path) == expected
