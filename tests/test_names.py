"""Entity extractors and resolution, on small readable texts."""
import pytest

from legco_kg.extractors.names import abbreviation_mentions, gazetteer_mentions, is_generic, rule_mentions
from legco_kg.graph.kg import Gazetteer, build_graph
from legco_kg.extractors import extract

from helpers import names_found, paper


@pytest.mark.parametrize(
    "text, expected",
    [
        ("政 府 推 出「 科 技 券 」資 助 中 小 企", [("科技券", "scheme")]),
        ("由 香 港 科 技 園 公 司 負 責", [("香港科技園公司", "institution")]),
        ("透 過 數 碼 港 及 HKSTP 推 行", [("數碼港", "institution"), ("HKSTP", "institution")]),
        ("推 行「 傑 出 創 科 學\n\n人 計 劃 」", [("傑出創科學人計劃", "scheme")]),
        ("研 發 的 HKGAI V1 模 型", [("HKGAI V1", "platform")]),
        ("InnoHK創 新 香 港 研 發 平 台", [("InnoHK創新香港研發平台", "scheme")]),
    ],
    ids=["quoted", "unquoted", "english-abbreviation", "wrapped", "english-platform", "longest-wins"],
)
def test_gazetteer(text, expected):
    assert names_found(gazetteer_mentions, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("推 出「 綠 色 科 技 試 驗 資 助 計 劃 」", [("綠色科技試驗資助計劃", "scheme")]),
        ("與 香 港 太 空 機 械 人 研 究 院 合 作", [("香港太空機械人研究院", "institution")]),
        ("設 立「 智 慧 港 口 數 據 平 台 」", [("智慧港口數據平台", "platform")]),
        ("堅 持「 一 國 兩 制 」", []),
        ("《 香 港 創 新 科 技 發 展 藍 圖 計 劃 》", []),
        ("「 計 劃 」與「 資 助 計 劃 」", []),
        ("香 港 成 為 國 際 創 科 中 心", []),
        ("數 碼 港 及 科 學 園", []),
    ],
    ids=["quoted-scheme", "unquoted-institution", "quoted-platform", "slogan", "book-title",
         "generic-words", "policy-goal", "two-names-joined"],
)
def test_name_rules(text, expected):
    assert names_found(rule_mentions, text) == expected


def test_listed_names_in_a_table():
    text = (
        "各 部 門 的 流 動 應 用 程 式 載 於 附 件 。\n編 號 局 / 部 門 名 稱 開 發 成 本 (元 )\n"
        "1. 屋 宇 署 小 型 工 程 錦 囊 290,000 109,000\n2. 運 輸 署 香 港 乘 車 易 由 內 部 開 發\n"
        "3. 教 育 局 教 育 多 媒 體 49,000 289,000\n"
    )
    assert names_found(rule_mentions, text) == [("小型工程錦囊", "platform"), ("香港乘車易", "platform"), ("教育多媒體", "platform")]


@pytest.mark.parametrize(
    "text, short",
    [
        ("「 新 型 工 業 加 速 計 劃 」(「 加 速 計 劃 」)會 資 助 企 業 。 加 速 計 劃 已 接 受 申 請 。", "加速計劃"),
        ("創 新 科 技 署 (創 科 署 )表 示 ， 創 科 署 會 跟 進 。", "創科署"),
        ("設 立 生 命 健 康 研 發 院 資 助 計 劃 (資 助 計 劃 )。 資 助 計 劃 已 推 出 。", "資助計劃"),
    ],
    ids=["quoted-short-form", "department", "generic-short-form"],
)
def test_abbreviation_defined_then_used(text, short):
    found = [m for m in abbreviation_mentions(paper(text)) if m.text == short]
    assert len(found) == 2  # the definition and the later use
    assert found[0].key and found[0].key == found[1].key


def test_short_forms_resolve_to_the_full_entity():
    doc = paper("「 新 型 工 業 加 速 計 劃 」(「 加 速 計 劃 」)。 加 速 計 劃 的 申 請 。 NIAS 亦 然 。")
    kg = build_graph([doc], extract(doc, skip=["amounts"]))
    entity_ids = {entity_id for _, entity_id in kg.mentions}
    assert entity_ids == {"new-industrialisation-acceleration-scheme"}
    entity = kg.entities["new-industrialisation-acceleration-scheme"]
    assert entity.label_en == "New Industrialisation Acceleration Scheme"
    assert "加速計劃" in entity.aliases


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("數碼港", "cyberport"), ("香港數碼港管理有限公司", "cyberport"), ("Cyberport", "cyberport"),
        ("創科署", "innovation-and-technology-commission"), ("ITC", "innovation-and-technology-commission"),
        ("科技券", "technology-voucher-programme"), ("TVP", "technology-voucher-programme"),
        ("製造及生產線升級支援先導計劃", "pilot-manufacturing-and-production-line-upgrade-support-scheme"),
    ],
)
def test_gazetteer_resolves_every_form(name, entity_id):
    assert Gazetteer.load().find(name).id == entity_id


def test_gazetteer_parents():
    gazetteer = Gazetteer.load()
    assert gazetteer.find("創新科技署").parent == gazetteer.find("創新科技及工業局").id


@pytest.mark.parametrize("name, generic", [("計劃", True), ("資助計劃", True), ("該基金", True), ("加速計劃", False), ("科技券", False)])
def test_generic_names(name, generic):
    assert is_generic(name) is generic


def test_unknown_names_get_stable_ascii_ids():
    doc = paper("推 出「 綠 色 科 技 試 驗 資 助 計 劃 」")
    first = build_graph([doc], extract(doc, skip=["amounts"])).entities
    second = build_graph([doc], extract(doc, skip=["amounts"])).entities
    assert list(first) == list(second) and all(i.isascii() for i in first)
