"""Money tables of the shapes the replies use, each cell with its row, year and role."""
from decimal import Decimal

import pytest

from legco_kg.extractors.amounts import amounts, find_in_year_tables, role_of

from helpers import kg_of, paper, table_lines


def year_cells(text: str):
    table = table_lines(text)
    return [
        ("".join(table[i][0][a:b] for i, a, b in cell.label), cell.found.text, cell.found.value, cell.year, cell.role)
        for cell in find_in_year_tables(table)
    ]


M = Decimal(10**6)
YEAR_TABLES = [
    (
        # One header line: a unit for the table, years with their kind, a dash for no figure,
        # a label on a line of its own, a total row.
        "各計劃的開支(百萬元) 2021-22年度實際開支2022-23年度實際開支2023-24年度修訂預算甲計劃12.5 - 20.1\n"
        "乙計劃\n3.0 4.5 6\n總數15.5 4.5 26.1",
        [
            ("甲計劃", "12.5", Decimal("12.5") * M, "2021-22", "actual"),
            ("甲計劃", "20.1", Decimal("20.1") * M, "2023-24", "revised-estimate"),
            ("乙計劃", "3.0", 3 * M, "2021-22", "actual"),
            ("乙計劃", "4.5", Decimal("4.5") * M, "2022-23", "actual"),
            ("乙計劃", "6", 6 * M, "2023-24", "revised-estimate"),
            ("總數", "15.5", Decimal("15.5") * M, "2021-22", "actual"),
            ("總數", "4.5", Decimal("4.5") * M, "2022-23", "actual"),
            ("總數", "26.1", Decimal("26.1") * M, "2023-24", "revised-estimate"),
        ],
    ),
    (
        # The unit in each money row's label; a row of staff numbers is not money.
        "年度中心2021-22 2022-23\n甲中心營運開支(百萬元) 30.5 31.2\n員工人數40 42\n研發開支(百萬元) 10 12",
        [
            ("甲中心營運開支", "30.5", Decimal("30.5") * M, "2021-22", None),
            ("甲中心營運開支", "31.2", Decimal("31.2") * M, "2022-23", None),
            ("研發開支", "10", 10 * M, "2021-22", None),
            ("研發開支", "12", 12 * M, "2022-23", None),
        ],
    ),
    (
        # Years one per line, broken like "2022- 23"; cells glued by the cleaner but spaced in the original.
        "撥款額(萬元) 2022- 23\n2023- 24\n2024- 25 甲大學100|200|300\n乙大學 - 150 1,250",
        [
            ("甲大學", "100", Decimal(10**6), "2022-23", None),
            ("甲大學", "200", Decimal(2 * 10**6), "2023-24", None),
            ("甲大學", "300", Decimal(3 * 10**6), "2024-25", None),
            ("乙大學", "150", Decimal(15 * 10**5), "2023-24", None),
            ("乙大學", "1,250", Decimal(125 * 10**5), "2024-25", None),
        ],
    ),
    (
        # Thousands of dollars, and a table in US dollars.
        "開支(千元) 2022-23 2023-24\n甲項目450 1,200\n投資(美元) 2022-23 2023-24\n乙項目5,000 7,500",
        [
            ("甲項目", "450", Decimal(450000), "2022-23", None),
            ("甲項目", "1,200", Decimal(1200000), "2023-24", None),
            ("乙項目", "5,000", Decimal(5000), "2022-23", None),
            ("乙項目", "7,500", Decimal(7500), "2023-24", None),
        ],
    ),
    (
        # A row, then the next table's header on the same line.
        "年度 2021-22 2022-23\n甲中心開支(百萬元) 1.5 2.5\n乙中心開支(百萬元) 3.5 4.5年度2023-24 2024-25\n丙中心開支(百萬元) 5 6",
        [
            ("甲中心開支", "1.5", Decimal(1500000), "2021-22", None),
            ("甲中心開支", "2.5", Decimal(2500000), "2022-23", None),
            ("乙中心開支", "3.5", Decimal(3500000), "2021-22", None),
            ("乙中心開支", "4.5", Decimal(4500000), "2022-23", None),
            ("丙中心開支", "5", Decimal(5000000), "2023-24", None),
            ("丙中心開支", "6", Decimal(6000000), "2024-25", None),
        ],
    ),
    # Years without a unit anywhere: counts, not money.
    ("申請數目2022-23 2023-24\n甲計劃12 30", []),
    # A count that looks like a year at a line's end is not a year header.
    ("各區熱點數目\n東區120\n離島2023\n西區開支(萬元) 35\n2022-23年度的開支為40", []),
]


@pytest.mark.parametrize("text, expected", YEAR_TABLES, ids=["unit-in-header", "unit-in-row", "years-per-line", "thousands-and-dollars", "next-header-on-the-row's-line",
         "no-unit", "count-like-a-year"])
def test_every_cell_under_a_year_column_carries_its_year(text, expected):
    assert year_cells(text) == expected


def test_a_table_in_us_dollars_keeps_its_currency():
    table = table_lines("開支(千元) 2022-23 2023-24\n甲項目450 1,200\n投資(美元) 2022-23 2023-24\n乙項目5,000 7,500")
    assert [cell.found.currency for cell in find_in_year_tables(table)] == ["HKD", "HKD", "USD", "USD"]


def paper_amounts(text: str):
    doc = paper(text)
    return [(a.text, a.value, a.year, a.role) for a in amounts(doc)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "年 度 開 支 (億 元 )\n2024-25 (修 訂 預 算 ) 6.4\n2025-26 (預 算 ) 7.1",
            [("6.4", Decimal(640000000), "2024-25", "revised-estimate"), ("7.1", Decimal(710000000), "2025-26", "estimate")],
        ),
        (
            "職 位 數 目 年 薪 值 開 支 (百 萬 元 )\n系 統 經 理 2 1.8\n刪 除 職 位 (註 1) -1 -0.6",
            [("1.8", Decimal(1800000), None, "staff-cost"), ("-0.6", Decimal(-600000), None, "staff-cost")],
        ),
        (
            "年 度 保 養 開 支 (百 萬 元 ) 優 化 開 支 (百 萬 元 ) 登 記 用 戶 數 目 \n2022-23 40.5 (實 際 ) - 1500\n"
            "2023-24 45.1 (修 訂 預 算 ) 8.2 (修 訂 預 算 ) 2600",
            [("40.5", Decimal(40500000), "2022-23", "actual"), ("45.1", Decimal(45100000), "2023-24", "revised-estimate"),
             ("8.2", Decimal(8200000), "2023-24", "revised-estimate")],
        ),
        (
            "年 度 開 支 (萬 元 ) 2022-23 (實 際 )約 4,500\n2023-24 (實 際 )註 約 8,100\n2024-25 (修 訂 預 算 )註 約 7,200",
            [("4,500", Decimal(45000000), "2022-23", "actual"), ("8,100", Decimal(81000000), "2023-24", "actual"),
             ("7,200", Decimal(72000000), "2024-25", "revised-estimate")],
        ),
        (
            "年 度 甲 類 開 支 (百 萬 元 ) 乙 類 開 支 (百 萬 元 ) 2021-22 (實 際 ) 12.5 - 2022-23 (實 際 ) 13.1 2.0 "
            "2023-24 (修 訂 預 算 ) 15.0 2.4",
            [("12.5", Decimal(12500000), "2021-22", "actual"), ("13.1", Decimal(13100000), "2022-23", "actual"),
             ("2.0", Decimal(2000000), "2022-23", "actual"), ("15.0", Decimal(15000000), "2023-24", "revised-estimate"),
             ("2.4", Decimal(2400000), "2023-24", "revised-estimate")],
        ),
    ],
    ids=["year-rows", "staff-with-negative-cells", "each-cell-marked-and-a-dash", "year-rows-with-footnote-marks",
         "year-rows-on-one-line"],
)
def test_tables_in_a_paper(text, expected):
    assert paper_amounts(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("政 府 在 2024-25年 度 預 留 5億 元 推 行 計 劃 。", [("5億元", Decimal(500000000), "2024-25", "allocation")]),
        ("計 劃 在 2021-22至 2023-24年 度 合 共 批 出 3億 元 。", [("3億元", Decimal(300000000), "2021-22..2023-24", "approved")]),
        ("每 個 項 目 的 最 高 資 助 額 為 80萬 元 。", [("80萬元", Decimal(800000), None, "cap")]),
        ("每 宗 申 請 平 均 獲 批 約 12萬 元 。", [("12萬元", Decimal(120000), None, "average")]),
        ("項 目 吸 引 私 人 投 資 超 過 9億 元 。", [("9億元", Decimal(900000000), None, "investment")]),
        # The noun the figure quantifies names its role (it used to be left out: no cue before).
        ("計 劃 帶 來 約 2億 元 的 經 濟 效 益 。", [("2億元", Decimal(200000000), None, "revenue")]),
        ("計 劃 帶 來 約 2億 元 ， 效 益 可 觀 。", [("2億元", Decimal(200000000), None, None)]),
        ("合 共 2億 元 。", [("2億元", Decimal(200000000), None, None)]),
    ],
    ids=["allocation-in-a-year", "approved-over-a-period", "cap", "average", "investment", "the-noun-the-figure-quantifies", "a-cue-in-the-next-clause", "no-cue"],
)
def test_year_and_role_in_prose(text, expected):
    assert paper_amounts(text) == expected


def test_roles_are_the_vocabulary():
    from legco_kg.ontology import amount_roles

    ids = {role["id"] for role in amount_roles()}
    assert {"estimate", "revised-estimate", "actual", "approved", "allocation", "cap", "average", "investment",
            "revenue", "staff-cost"} == ids
    assert role_of("本年度的收入為") in ids


def subjects(text: str):
    doc = paper(text)
    kg = kg_of(doc)
    return [(a.text, a.year, kg.entities[s].label_zh if s else None) for a, s in kg.amounts]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "兩 個 園 區 的 數 字 如 下 ：\n年 度 2022-23 2023-24\n數 碼 港 員 工 人 數 40 42\n營 運 開 支 (百 萬 元 ) 30 32\n"
            "香 港 科 技 園 公 司 員 工 人 數 50 51\n營 運 開 支 (百 萬 元 ) 60 61",
            [("30", "2022-23", "數碼港"), ("32", "2023-24", "數碼港"),
             ("60", "2022-23", "香港科技園公司"), ("61", "2023-24", "香港科技園公司")],
        ),
        (
            "「 新 型 工 業 加 速 計 劃 」 的 開 支 如 下 ：\n開 支 (百 萬 元 ) 2022-23 2023-24\n數 碼 港 5 6\n總 數 5 6",
            [("5", "2022-23", "數碼港"), ("6", "2023-24", "數碼港"),
             ("5", "2022-23", "新型工業加速計劃"), ("6", "2023-24", "新型工業加速計劃")],
        ),
    ],
    ids=["measure-row-under-its-entity", "total-row-is-the-tables"],
)
def test_table_cell_subjects(text, expected):
    assert subjects(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("項 目 開 支 (百 萬 元 )\n分 目 120甲 計 劃 35.5\n乙 計 劃 的 H.264編 碼 器 12", [("35.5", Decimal(35500000)), ("12", Decimal(12000000))]),
        ("項 目 開 支 (百 萬 元 )\n產 學 研 1+計 劃 8.5", [("8.5", Decimal(8500000))]),
        (
            "編 號 部 門 名 稱 開 發 成 本 (元 )每 年 維 護 成 本 (元 )推 出 日 期 總 下 載 次 數 \n1.甲 署 乙 程 式 \n120,000 30,000 2019年 3月 45000",
            [("120,000", Decimal(120000)), ("30,000", Decimal(30000))],
        ),
        (
            "項 目 日 期 內 容 項 目 總 開 支 (萬 元 )\n甲 外 展 計 劃 2023年 4月 開 始 ， 已 為 超 過 4600人 次 長 者 提 供 服 務 約 1,610\n"
            "乙 培 訓 計 劃 2024年 2月 開 始 ， 參 與 長 者 人 次 超 過 6800",
            [("1,610", Decimal(16100000))],
        ),
        (
            "職 位 數 目 年 薪 開 支 (百 萬 元 )\n支 援 機 房 每 日 24小 時 運 作 的 操 作 員 6 2.7",
            [("2.7", Decimal(2700000))],
        ),
        (
            "編 號 部 門 程 式 開 發 成 本 (元 )每 年 維 護 成 本 (元 )總 下 載 次 數 \n"
            "7.甲 署 乙 程 式 約 95萬 (與 相 關 網 站 一 同 開 發 ， 相 關 開 支 不 能 分 拆 。 ) 64,000 12000",
            [("95萬", Decimal(950000)), ("64,000", Decimal(64000))],
        ),
    ],
    ids=["sub-head-code-and-codec", "a-numeral-in-a-name", "money-then-a-date-and-a-count",
         "money-ending-a-description-but-not-a-count", "hours-in-a-label", "a-note-inside-a-cell"],
)
def test_codes_in_row_labels_are_not_money(text, expected):
    assert [(text, value) for text, value, _, _ in paper_amounts(text)] == expected


def test_a_thousands_group_split_from_its_number_is_not_a_cell():
    from legco_kg.extractors.amounts import find_in_tables

    table = table_lines("年份開支(萬元)\n2023 000\n2024 45")
    assert [(cell.found.text, cell.found.value) for cell in find_in_tables(table)] == [("45", Decimal(450000))]


def wrapped_cells(text: str):
    from legco_kg.extractors.amounts import find_in_wrapped_rows

    table = table_lines(text)
    return [
        ("".join(table[i][0][a:b] for i, a, b in cell.label), cell.found.text, cell.found.value, cell.year, cell.found.qualifier)
        for cell in find_in_wrapped_rows(table)
    ]


# Rows that are years, each wrapped over lines; "|" is a space of the original text.
WRAPPED_ROWS = [
    (
        # The header ends where the first row's year starts; a year's last digits and the first
        # cell are told apart by the space between them; a figure in brackets is a column.
        "學年參與中心數目(新增中心數目)講座數目主題獲批款額(百萬元)參加者人次2019/|20|85\n"
        "(85)|140社區導賞、長者手機班等12約|9|000\n"
        "2020/|21|97\n(12)|1|120|33約|15|000\n"
        "總計97|1|260|45約|24|000",
        [("2019/20", "12", 12 * M, "2019-20", None), ("2020/21", "33", 33 * M, "2020-21", None)],
    ),
    (
        # A row's year on a line of its own, its cells on the lines after it.
        "年度受惠團體數目資助額(萬元)受惠人次2022-23|40|250|1|200\n2023-24\n52\n310|1|800",
        [("2022-23", "250", Decimal(2500000), "2022-23", None), ("2023-24", "310", Decimal(3100000), "2023-24", None)],
    ),
    (
        # The year's last digits run into the first cell with no space: which is which cannot
        # be told, so the row is left alone; the next row is read.
        "學年學校數目撥款(百萬元)學生人次2021/2230|5.5|800\n2022/|23|40|7.25|1|100",
        [("2022/23", "7.25", Decimal("7250000"), "2022-23", None)],
    ),
    (
        # A row with more figures than the header has columns is not read: a figure in the
        # topic column ("3D打印") would shift every cell.
        "學年學校數目撥款(百萬元)學生人次2021/|22|30|3D打印|5.5|800",
        [],
    ),
    (
        # Not this shape: a header whose names are followed by something other than a year.
        "項目開支(百萬元)備註\n2021-22|5.5|甲",
        [],
    ),
]


@pytest.mark.parametrize("text, expected", WRAPPED_ROWS, ids=["school-years", "year-on-its-own-line", "year-run-into-cell", "figure-in-a-text-column", "other-shape"])
def test_rows_wrapped_over_lines_carry_their_year(text, expected):
    assert wrapped_cells(text) == expected


def table_cells(text: str):
    from legco_kg.extractors.amounts import find_in_tables

    table = table_lines(text)
    return [("".join(table[i][0][a:b] for i, a, b in cell.label)[:8], cell.found.text, cell.found.value) for cell in find_in_tables(table)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            # A long description row whose money, the table's one column, is on the next line.
            "計劃日期內容開支\n(萬元)社區數碼站(2022-2024) 2022年5月開始為區內長者提供數碼支援，累計服務超過5100人次\n約730\n",
            [("社區數碼站(20", "730", Decimal(7300000))],
        ),
        (
            # The column names repeated on the next page run into the row before the unit header.
            "各項計劃的開支如下：\n計劃日期內容開支\n(萬元)甲計劃2021年開始為青年提供培訓約1,200計劃日期內容開支\n"
            "(萬元)乙計劃2023年開始為長者提供培訓約860",
            [("甲計劃2021年", "1,200", Decimal(12000000)), ("乙計劃2023年", "860", Decimal(8600000))],
        ),
        (
            # A count on the line after a description is not money when the table has a count column.
            "計劃參加人數開支\n(萬元)甲計劃為長者提供培訓，課程內容包括手機應用\n5100\n",
            [],
        ),
        (
            # The header's last column name carries a footnote mark; the first row follows it.
            "院校獲資助項目數目(1 )資助總額(萬元) (1 )論文數目(2 )甲學院12 1,250 30\n乙學院8 960 14",
            [("甲學院", "1,250", Decimal(12500000)), ("乙學院", "960", Decimal(9600000))],
        ),
        (
            # A figure in brackets opening a line is a cell, never a row's label: the line is left
            # alone (the wrapped-row reader reads such rows when the header names the column).
            "院校資助總額(萬元)\n甲學院\n(12) 450",
            [],
        ),
        (
            # A row's first money cell opens a line and the next column's words run on after it.
            "編號部門名稱開發成本(元)每年維護成本(元)推出日期\n1.甲署乙程式\n420,000維護費用已包括在開發成本內。\n2019年5月\n"
            "2.丙署丁程式\n約135萬不適用(程式仍在保養期內)\n2023年2月",
            [("甲署乙程式", "420,000", Decimal(420000)), ("丙署丁程式", "135萬", Decimal(1350000))],
        ),
        (
            # "安全通2.0": a version in a name, where the table's money is whole dollars with commas.
            "編號部門名稱開發成本(元)每年維護成本(元)\n1.甲署乙程式38,000 12,500\n2.丙署安全通2.0\n",
            [("甲署乙程式", "38,000", Decimal(38000)), ("甲署乙程式", "12,500", Decimal(12500))],
        ),
        (
            # The same header on the next page: the table's money is still written with commas.
            "編號部門名稱開發成本(元)每年維護成本(元)\n1.甲署乙程式38,000 12,500\n編號部門名稱開發成本(元)每年維護成本(元)\n"
            "2.丙署安全通2.0\n3.丁署戊程式50,000 4600",
            [("甲署乙程式", "38,000", Decimal(38000)), ("甲署乙程式", "12,500", Decimal(12500)), ("丁署戊程式", "50,000", Decimal(50000))],
        ),
        (
            # Column names longer than twenty characters: every count column is seen, so a row
            # with only its counts on the line has no money.
            "行業申請數目(約數)獲批數目(約數)資助金額(約數)(萬元)\n零售300 80 1,250\n餐飲120 45",
            [("零售", "1,250", Decimal(12500000))],
        ),
    ],
    ids=["money-on-the-line-after-its-description", "repeated-column-names-run-into-a-row", "not-in-a-table-with-a-count-column",
         "first-row-after-a-footnote-mark", "a-cell-in-brackets-is-no-label", "first-cell-then-the-next-column's-words",
         "a-version-in-a-name-is-no-money", "the-table-continued-on-the-next-page", "long-column-names"],
)
def test_rows_of_description_tables(text, expected):
    assert table_cells(text) == expected
