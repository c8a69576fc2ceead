"""The number-coverage report: every figure classified; money no extractor claimed is listed."""
import pytest

from legco_kg.coverage import number_coverage
from legco_kg.extractors.amounts import amounts

from helpers import paper


def coverage(text: str, claim: bool = True):
    doc = paper(text)
    return number_coverage([doc], list(amounts(doc)) if claim else [])


def answer(original: str, claim: bool = True):
    """The coverage of one reply whose answer is ``original``, its lines kept as a reply keeps them."""
    from types import SimpleNamespace

    from legco_kg.extractors.text import Text, clean_lines

    chars, offsets = [], []
    for line in clean_lines(original):
        if chars:
            chars.append("\n")
            offsets.append(offsets[-1] + 1)
        chars.append(line.text)
        offsets.extend(line.offsets)
    reply = SimpleNamespace(reply="R1", question_text=Text("", ()), answer_text=Text("".join(chars), tuple(offsets)))
    doc = SimpleNamespace(doc_id="case", replies=[reply], paragraphs=[])
    return number_coverage([doc], list(amounts(doc)) if claim else [])


@pytest.mark.parametrize(
    "text, kind",
    [
        ("計 劃 預 留 20億 元 。", "money"),
        ("共 有 35個 團 隊 獲 資 助 。", "count"),
        ("成 功 率 約 為 45% 。", "percentage"),
        ("計 劃 於 2024年 推 出 。", "year/date"),
        ("我 們 在 2023-24年 度 完 成 檢 討 。", "year/date"),
        ("見 附 件 第 3段 。", "ordinal/code"),
    ],
    ids=["money", "count", "percentage", "year", "financial-year", "ordinal"],
)
def test_each_figure_is_classified(text, kind):
    report = coverage(text)
    assert report.by_class[kind] >= 1 and report.by_class["other"] == 0


@pytest.mark.parametrize(
    "text, near, unclaimed",
    [
        ("計 劃 預 留 20億 元 。", 1, 0),
        ("各 區 開 支 如 下 ： \n 地 區 開 支 (萬 元 ) \n 東 區 120 \n 西 區 85 \n 以 上 數 字 為 約 數 ， 供 委 員 參 考 ， 詳 情 見 另 文 的 說 明 及 附 件 。", 2, 0),
        ("年 份 獲 批 申 請 數 目 \n核 准 資 助 金 額 (百 萬 元 ) 2020 1536 251.25\n2021 3787 589.07", 2, 0),
    ],
    ids=["prose", "table", "count-column-beside-money"],
)
def test_claimed_money_is_not_listed(text, near, unclaimed):
    report = coverage(text)
    assert (report.near_money, len(report.unclaimed)) == (near, unclaimed)


def test_money_nobody_claimed_is_listed():
    report = coverage("計 劃 預 留 20億 元 。", claim=False)
    assert [figure for _, _, figure, _ in report.unclaimed] == ["20"]
    assert report.unclaimed_share == 1.0


@pytest.mark.parametrize(
    "text, kind",
    [
        ("參 加 者 年 齡 為 12至 18\n歲 。", "count"),
        ("已 有 超 過 80萬 登 記 用 戶 。", "count"),
        ("服 務 遍 及 全 港 18區 。", "count"),
        ("「 創 研 2+計 劃 」 已 推 出 。", "ordinal/code"),
        ("2有 關 開 支 或 會 橫 跨 兩 個 年 度 。", "ordinal/code"),
    ],
    ids=["range-of-ages-over-a-line-break", "ten-thousands-of-users", "districts", "a-figure-in-a-name", "a-footnote"],
)
def test_figures_that_are_not_money(text, kind):
    report = answer(text)
    assert report.by_class[kind] >= 1 and report.by_class["other"] == 0


TABLE_NOTES = "以 上 數 字 為 約 數 ， 供 委 員 參 考 ， 詳 情 見 另 文 的 說 明 及 附 件 。"


@pytest.mark.parametrize(
    "text, unclaimed",
    [
        # A row's year and its cells wrapped over lines: the counts of a row whose money is claimed.
        ("學 年 學 校 數 目 撥 款 (百 萬 元 ) 學 生 人 次 2022/ 23 40 5.5 800 \n 2023/ 24 \n 52 \n 7.25 1 100 \n " + TABLE_NOTES, []),
        # A lone figure under a count column that comes before the money.
        ("職 級 職 位 人 數 開 支 (百 萬 元 ) 一 級 主 任 3 2.7 \n 二 級 助 理 2 \n 總 計 5 \n " + TABLE_NOTES, []),
        # A count column after a date column: 2019年5月 / 52000.
        ("項 目 開 發 成 本 (元 ) 推 出 日 期 下 載 次 數 \n 甲 程 式 450,000 2019年 5月 52000 \n 乙 程 式 \n 2020年 3月 8800 \n " + TABLE_NOTES, []),
        # Money written with thousands commas; a figure without them is of the count column.
        ("項 目 開 發 成 本 (元 ) 下 載 次 數 \n 甲 程 式 450,000 52000 \n 乙 程 式 詳 見 附 註 \n 38000 \n " + TABLE_NOTES, []),
        # A sentence introducing the next table ends the money table: its figures are not near money.
        ("機 構 開 支 (百 萬 元 ) \n 甲 中 心 12.5 \n 各 中 心 終 止 的 項 目 數 目 如 下 — 甲 中 心 3 \n 乙 中 心 \n -夥 伴 退 出 2 \n " + TABLE_NOTES, []),
        # An establishment of posts in a money table.
        ("項 目 職 位 數 目 開 支 (百 萬 元 ) \n 人 手 編 制 上 限 750 \n 新 增 職 位 2 1.6 \n " + TABLE_NOTES, []),
        # A version in a name, where the table's money is whole dollars with commas.
        ("項 目 開 發 成 本 (元 ) 下 載 次 數 \n 1. 甲 程 式 450,000 52000 \n 2. 安 全 通 2.0 \n " + TABLE_NOTES, []),
        # Money stays counted: a cell nobody claimed is listed, whatever surrounds it.
        ("項 目 開 發 成 本 (元 ) 下 載 次 數 \n 甲 程 式 450,000 52000 \n 乙 程 式 75,000維 護 成 本 已 包 括 在 內 \n " + TABLE_NOTES, ["75,000"]),
    ],
    ids=["wrapped-year-rows", "count-first-column", "count-after-date", "count-without-commas", "next-table-introduced",
         "posts", "version-in-a-name", "unclaimed-money-stays-listed"],
)
def test_counts_of_money_tables_are_told_from_money(text, unclaimed):
    report = answer(text)
    assert [figure for _, _, figure, _ in report.unclaimed] == unclaimed


def test_figures_run_together_are_no_amount():
    report = answer("項 目 開 發 成 本 (元 ) 下 載 次 數 \n 甲 程 式 450,000 \n 580000650000720000780000856000 \n " + TABLE_NOTES)
    assert report.unclaimed == [] and report.by_class["other"] == 1
