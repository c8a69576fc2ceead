"""Monetary amounts: parsing the corpus's own forms, money tables, and what an amount is of."""
from decimal import Decimal

import pytest

from legco_kg.extractors.amounts import find_in_tables, find_in_text, parse_number
from legco_kg.extractors.text import clean_line

from helpers import kg_of, paper, table_lines


def found(text: str, default_unit=None):
    clean = clean_line(text, base=0).text
    return [(f.text, f.value, f.currency, f.qualifier, f.per_unit) for f in find_in_text(clean, default_unit)]


def one(text, value, currency="HKD", qualifier=None, per_unit=False):
    return (text, Decimal(value), currency, qualifier, per_unit)


PARSING = [
    # Arabic numerals, separators, decimals
    ("計 劃 預 算 為 9,414萬 元", [one("9,414萬元", "94140000")]),
    ("預 留 3 117萬 元", [one("3117萬元", "31170000")]),
    ("撥 款 2.15億 元", [one("2.15億元", "215000000")]),
    ("開 支 0.364億 元", [one("0.364億元", "36400000")]),
    ("推 出 100億 元 的 計 劃", [one("100億元", "10000000000")]),
    ("撥 出 20億 元 支 持", [one("20億元", "2000000000")]),
    ("總 收 益 達 到 2,433億 元", [one("2,433億元", "243300000000")]),
    ("總 計 13.14億 元", [one("13.14億元", "1314000000")]),
    ("平 均 獲 批 金 額 178,000元", [one("178,000元", "178000")]),
    ("合 共 1,500萬 元", [one("1,500萬元", "15000000")]),
    ("開 支 約 127,000元", [one("127,000元", "127000", qualifier="about")]),
    ("預 算 900萬 元", [one("900萬元", "9000000")]),
    ("開 支 (千 元 )以 外 共 5千 元", [one("5千元", "5000")]),
    # Chinese numerals
    ("推 出 一 億 八 千 萬 元 的 先 導 計 劃", [one("一億八千萬元", "180000000")]),
    ("資 助 二 十 五 萬 元", [one("二十五萬元", "250000")]),
    ("預 留 兩 億 元", [one("兩億元", "200000000")]),
    ("投 資 三 十 七 億 元", [one("三十七億元", "3700000000")]),
    ("撥 款 五 百 二 十 億 元", [one("五百二十億元", "52000000000")]),
    ("涉 及 九 億 三 千 萬 元", [one("九億三千萬元", "930000000")]),
    ("三 十 億 元 人 工 智 能 資 助 計 劃", [one("三十億元", "3000000000")]),
    ("十 億 元 基 金", [one("十億元", "1000000000")]),
    ("一 百 萬 元 獎 金", [one("一百萬元", "1000000")]),
    # Chinese decimals: 點 and one numeral per decimal place, the unit after them
    ("撥 款 一 點 五 億 元 推 行 計 劃", [one("一點五億元", "150000000")]),
    ("每 隊 可 獲 三 點 二 萬 元", [one("三點二萬元", "32000", per_unit=True)]),
    ("預 留 十 二 點 三 五 億 元", [one("十二點三五億元", "1235000000")]),
    ("開 支 約 零 點 八 億 元", [one("零點八億元", "80000000", qualifier="about")]),
    ("資 助 兩 點 五 千 萬 元", [one("兩點五千萬元", "25000000")]),
    ("資 助 額 上 限 由 一 點 五 萬 提 升 至 二 點 五 萬", [one("一點五萬", "15000"), one("二點五萬", "25000")]),
    ("會 議 於 上 午 十 點 三 十 分 開 始", []),
    ("撥 款 一 點 兩 億 元", []),
    ("撥 款 一 點 億 元", []),
    # currencies
    ("預 留 10億 港 元", [one("10億港元", "1000000000")]),
    ("HK$3,000的 資 助", [one("HK$3,000", "3000")]),
    ("每 宗 $500", [one("$500", "500", per_unit=True)]),
    ("人 民 幣 1億 元 的 投 資", [one("人民幣1億元", "100000000", "CNY")]),
    ("港 幣 5,000元", [one("港幣5,000元", "5000")]),
    ("約 200萬 美 元", [one("200萬美元", "2000000", "USD", "about")]),
    # qualifiers
    ("預 算 約 17億 元", [one("17億元", "1700000000", qualifier="about")]),
    ("現 時 獲 批 資 助 的 金 額 逾 1.2億 元", [one("1.2億元", "120000000", qualifier="over")]),
    ("投 資 超 過 3億 元", [one("3億元", "300000000", qualifier="over")]),
    ("提 供 最 高 25萬 元 資 助", [one("25萬元", "250000", qualifier="at-most")]),
    ("不 多 於 100萬 元", [one("100萬元", "1000000", qualifier="at-most")]),
    ("上 限 為 50萬 元", [one("50萬元", "500000", qualifier="at-most")]),
    ("投 資 1億 元 以 上", [one("1億元", "100000000", qualifier="over")]),
    ("至 少 300萬 元", [one("300萬元", "3000000", qualifier="at-least")]),
    ("預 算 增 加 了 16.6億 左 右", [one("16.6億", "1660000000", qualifier="about")]),
    # ranges and rates
    ("資 助 1億 至 2億 元", [one("1億", "100000000", qualifier="range"), one("2億元", "200000000", qualifier="range")]),
    ("500至 1,000萬 元", [one("500", "5000000", qualifier="range"), one("1,000萬元", "10000000", qualifier="range")]),
    ("每 名 研 究 人 員 每 年 100萬 元", [one("100萬元", "1000000", per_unit=True)]),
    ("每 家 企 業 最 多 25萬 元", [one("25萬元", "250000", qualifier="at-most", per_unit=True)]),
    ("平 均 每 家 中 小 企 獲 得 的 資 助 金 額 約 48,000元", [one("48,000元", "48000", qualifier="about", per_unit=True)]),
    # 萬/億 without 元 where the clause speaks of money
    ("資 助 額 上 限 由 20萬 提 升 至 60萬", [one("20萬", "200000"), one("60萬", "600000")]),
    ("有 關 該 10億 的 開 支 分 佈", [one("10億", "1000000000")]),
    # not money
    ("共 批 出 3 117宗 申 請", []),
    ("增 長 5.2%", []),
    ("於 2025年 推 出", []),
    ("2025-26年 度 的 預 算", []),
    ("約 2 000平 方 米", []),
    ("聘 請 500名 人 員", []),
    ("比 例 為 1(政 府 )： 2(企 業 )", []),
    ("人 口 750萬", []),
    ("ITIB001的 答 覆", []),
    ("(百 萬 元 )", []),
    ("增 加 3倍", []),
    ("為 期 12個 月", []),
    ("涉 及 73個 決 策 局", []),
    ("超 過 1100項 服 務", []),
    ("99%的 企 業", []),
    ("2024年 12月 31日", []),
    ("服 務 10萬 人 次", []),
    ("為 期 三 年", []),
    ("一 網 通 辦", []),
    ("2023至 2024年", []),
    # a money table's cells, under their header's unit
    ("7.5", [one("7.5", "7500000")], "百萬"),
    ("約 268萬", [one("268萬", "2680000", qualifier="about")], ""),
    ("38,000", [one("38,000", "38000")], ""),
    ("6.36", [one("6.36", "636000000")], "億"),
    ("1,253.12", [one("1,253.12", "1253120000")], "百萬"),
    ("4,360", [one("4,360", "43600000")], "萬"),
]


@pytest.mark.parametrize("case", PARSING, ids=[c[0].replace(" ", "") for c in PARSING])
def test_parsing(case):
    text, expected, *unit = case
    assert found(text, *unit) == expected


def test_there_are_sixty_parsing_cases():
    assert len(PARSING) >= 60 and sum(1 for c in PARSING if not c[1]) >= 15


@pytest.mark.parametrize(
    "numeral, value",
    [("2,166.81", "2166.81"), ("一億八千萬", "180000000"), ("九億三千萬", "930000000"), ("兩億", "200000000"),
     ("五百二十億", "52000000000"), ("十", "10"), ("一萬零五百", "10500"), ("一點五", "1.5"),
     ("十二點三五", "12.35"), ("一百點零五", "100.05")],
)
def test_numerals(numeral, value):
    assert parse_number(numeral) == Decimal(value)


@pytest.mark.parametrize(
    "numeral", ["一點", "點五", "一萬點五", "一點兩", "一點五點五"], ids=["no-decimals", "no-whole", "unit-before-point", "liang-decimal", "two-points"]
)
def test_odd_chinese_decimals_are_not_numerals(numeral):
    with pytest.raises(ValueError, match="not a numeral"):
        parse_number(numeral)


def cells(text: str):
    table = table_lines(text)
    return [
        ("".join(table[i][0][a:b] for i, a, b in cell.label), cell.found.text, cell.found.value)
        for cell in find_in_tables(table)
    ]


def test_a_million_table_with_a_total_row():
    assert cells(
        "項目預算開支(百萬元)顧問服務費65\n增聘合約員工以協助統籌電子政府審\n計計劃\n27\n總計600"
    ) == [
        ("顧問服務費", "65", Decimal("65000000")),
        ("增聘合約員工以協助統籌電子政府審計計劃", "27", Decimal("27000000")),
        ("總計", "600", Decimal("600000000")),
    ]


def test_a_hundred_million_table_by_year():
    assert cells("年度開支(億元) 2024-25 (修訂預算) 6.36\n2025-26 (預算) 7.73\n2026-27(預算) 8") == [
        ("2024-25 (修訂預算)", "6.36", Decimal("636000000")),
        ("2025-26 (預算)", "7.73", Decimal("773000000")),
        ("2026-27(預算)", "8", Decimal("800000000")),
    ]


def test_count_columns_are_not_money():
    # 年份 | 獲批申請數目 | 核准資助金額(百萬元): the count "1 536" is not an amount.
    assert cells("年份獲批申請數目\n核准資助金額(百萬元) 2020 1|536 251.25\n2021 3787 589.07") == [
        ("2020", "251.25", Decimal("251250000")),
        ("2021", "589.07", Decimal("589070000")),
    ]


def test_cells_split_where_the_original_had_spaces():
    table = "行業申請數目(約數)獲批數目(約數)資助金額(約數) (萬元)\n旅遊10 3 10個人服務440|110|560"
    assert cells(table) == [("旅遊", "10", Decimal("100000")), ("個人服務", "560", Decimal("5600000"))]


def test_money_columns_before_count_columns():
    table = (
        "編號局/部門名稱開發成本(元)每年維護成本(元)截至2025年1月31日的總下載次數\n"
        "1.漁農自然護理署郊野樂行38,000 49,500 487|000\n"
        "2.屋宇署小型工程錦囊290,000 109,000\n71000"
    )
    assert [(text, value) for _, text, value in cells(table)] == [
        ("38,000", Decimal("38000")), ("49,500", Decimal("49500")),
        ("290,000", Decimal("290000")), ("109,000", Decimal("109000")),
    ]


def subjects(text: str) -> list[tuple[str, str | None]]:
    doc = paper(text)
    kg = kg_of(doc)
    return [(a.text, kg.entities[s].label_zh if s else None) for a, s in kg.amounts]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("政 府 去 年 推 出 100億 元 的 「 新 型 工 業 加 速 計 劃 」 。", [("100億元", "新型工業加速計劃")]),
        ("撥 出 20億 元 支 持 「 InnoHK創 新 香 港 研 發 平 台 」 進 駐 河 套 。", [("20億元", "InnoHK創新香港研發平台")]),
        ("政 府 已 預 留 10億 港 元 ， 成 立 香 港 人 工 智 能 研 發 院 。", [("10億港元", "香港人工智能研發院")]),
        (
            "設 立 生 命 健 康 研 發 院 資 助 計 劃 (資 助 計 劃 )。 資 助 計 劃 涉 及 5億 元 。",
            [("5億元", "設立生命健康研發院資助計劃")],
        ),
        ("政 府 會 投 放 更 多 資 源 ， 涉 及 約 3億 元 。", [("3億元", None)]),
        ("數 碼 港 與 科 學 園 合 共 獲 撥 款 10億 元 。", [("10億元", None)]),
    ],
    ids=["followed-by-name", "same-clause", "same-sentence", "defined-short-form", "no-entity", "two-bodies"],
)
def test_attachment(text, expected):
    assert subjects(text) == expected
