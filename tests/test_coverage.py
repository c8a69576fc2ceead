"""The number-coverage report: every figure classified; money no extractor claimed is listed."""
from pathlib import Path

import pytest

from legco_kg.coverage import number_coverage
from legco_kg.extractors.amounts import amounts
from legco_kg.extractors.papers import parse_paper
from legco_kg.extractors.reading import SourceText


def coverage(text: str, claim: bool = True):
    doc = parse_paper(SourceText(Path("case.txt"), text, "utf-8"))
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
