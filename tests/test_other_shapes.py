"""Names in prose of other shapes (news, press releases, speeches): no 「」, no proper prefix."""
import pytest

from legco_kg.extractors.names import bare_name_mentions, company_mentions, rule_mentions

from helpers import names_found, paper


@pytest.mark.parametrize(
    "text, expected",
    [
        ("局長昨日向議員介紹了海洋生態保育支援計劃的進展。", [("海洋生態保育支援計劃", "scheme")]),
        ("訪問團成員包括北極光理工學院的教授。", [("北極光理工學院", "institution")]),
        ("學生可申請交流到楓林大學修讀一年。", [("楓林大學", "institution")]),
        ("新廠房會設於荃灣創新園，明年落成。", [("荃灣創新園", "platform")]),
        ("代表團由星洲數碼媒體發展局率領。", [("星洲數碼媒體發展局", "institution")]),
        ("議員在工務及航運事務委員會提出質詢。", [("工務及航運事務委員會", "institution")]),
        ("計劃由前數碼轉型辦公室推行。", [("數碼轉型辦公室", "institution")]),
        ("市民可向前海港灣管理局查詢。", [("前海港灣管理局", "institution")]),
        ("課程由電競及遊戲設計培訓計劃資助。", [("電競及遊戲設計培訓計劃", "scheme")]),
    ],
    ids=["after-a-verb-and-le", "after-de", "after-dao", "zone", "foreign-body", "committee-with-ji",
         "former-office", "qianhai-is-a-place", "scheme-with-ji"],
)
def test_a_name_starts_after_the_verb_or_particle_before_it(text, expected):
    assert names_found(bare_name_mentions, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "政府會鼓勵大學加強研究。",
        "當局會檢討各項資助計劃的成效。",
        "學生可選擇本地或海外頂尖大學升學。",
        "資助涵蓋科研機構及大學。",
        "申請人可參加商業服務或資助計劃。",
        "財政司司長辦公室今日公布預算。",
        "在審批過程中大學須提交報告。",
    ],
    ids=["verb-before-university", "quantifier-before-scheme", "descriptive-university", "list-of-kinds",
         "alternatives", "gazetteer-name-is-left-to-the-gazetteer", "in-the-course-of"],
)
def test_descriptions_are_not_names(text):
    assert names_found(bare_name_mentions, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("本港初創企業青峰感測科技有限公司今日宣布完成融資。", ["青峰感測科技有限公司"]),
        ("平台由本地公司雲帆數據有限公司開發。", ["雲帆數據有限公司"]),
        ("新服務由香港寬頻網絡有限公司營運。", ["香港寬頻網絡有限公司"]),
        ("數字辦今日與南灣通訊有限公司簽署合約。", ["南灣通訊有限公司"]),
    ],
    ids=["after-a-descriptor", "after-you-and-a-descriptor", "after-you", "after-yu"],
)
def test_a_company_name_does_not_run_over_the_clause(text, expected):
    assert [m.text for m in company_mentions(paper(text))] == expected


def test_a_prefixed_name_does_not_swallow_a_clause_with_le():
    names = [name for name, _ in names_found(rule_mentions, "數碼港主席介紹了數碼創意支援計劃。")]
    assert "數碼港主席介紹了數碼創意支援計劃" not in names
    assert "數碼創意支援計劃" in names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("獲選的初創企業包括雲杉智能、海角生物及北辰晶片。", ["雲杉智能", "海角生物", "北辰晶片"]),
        ("當局會邀請電動車品牌如Voltara及Pinecar在港設點。", ["Voltara", "Pinecar"]),
        ("新租戶包括從事醫療用品及先進材料製造的企業。", []),
        ("合資格企業包括中小企及初創企業。", []),
        ("參展公司如綠洲能源將展示新產品。", []),
        ("公司如何與本地企業及大學合作？", []),
    ],
    ids=["chinese-one-word-names", "latin-brands", "a-description-not-a-list-of-names", "kinds-of-companies",
         "one-item-is-not-a-list", "ruhe-is-not-such-as"],
)
def test_companies_listed_by_name_without_a_head(text, expected):
    from legco_kg.extractors.names import company_list_mentions

    assert [m.text for m in company_list_mentions(paper(text))] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我們歡迎嶺東大學及星海半導體有限公司參與。", ["星海半導體有限公司"]),
        ("合作夥伴包括青雲研究院和遠航物流有限公司。", ["遠航物流有限公司"]),
        ("合約由香港海運及航空有限公司承辦。", ["香港海運及航空有限公司"]),
    ],
    ids=["after-a-university-and-ji", "after-an-institute-and-he", "ji-inside-a-company-name"],
)
def test_a_company_name_starts_after_another_name_joined_to_it(text, expected):
    assert [m.text for m in company_mentions(paper(text))] == expected


def test_a_scheme_named_after_a_project_kind():
    assert names_found(bare_name_mentions, "聯盟明年會推出海水淡化示範項目資助計劃。") == [("海水淡化示範項目資助計劃", "scheme")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("代表團拜訪了廣州市交通和物流委員會。", ["廣州市交通和物流委員會"]),
        ("雙方與國家文化和旅遊部簽署協議。", ["國家文化和旅遊部"]),
        ("深圳市政府和香港特區政府簽署協議。", []),
    ],
    ids=["city-committee", "national-ministry", "two-governments"],
)
def test_a_mainland_body_may_join_two_fields_with_he(text, expected):
    assert [name for name, _ in names_found(rule_mentions, text) if "和" in name] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("論壇明年在香港會議展覽中心舉行。", ["香港會議展覽中心"]),
        ("香港會積極推動創科中心發展。", []),
    ],
    ids=["hui-yi-is-a-noun", "hui-is-will"],
)
def test_a_particle_after_the_prefix_may_start_a_noun(text, expected):
    assert [name for name, _ in names_found(rule_mentions, text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第五屆「亞太綠色建築博覽」下月開幕。", [("亞太綠色建築博覽", "platform")]),
        ("學生隊伍在「國際機械人設計大賽」奪冠。", [("國際機械人設計大賽", "platform")]),
        ("政府會發展「南區海洋科技樞紐」。", [("南區海洋科技樞紐", "platform")]),
        ("目標是把香港發展成為國際創科樞紐。", []),
    ],
    ids=["expo", "competition", "hub", "a-policy-goal-is-not-a-hub"],
)
def test_events_and_hubs_are_platforms(text, expected):
    assert names_found(rule_mentions, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("項目由華為技術有限公司承建。", ["華為技術有限公司"]),
        ("協議由信和電子有限公司簽署。", ["信和電子有限公司"]),
        ("計劃的有關公司為恒昌科技有限公司。", ["恒昌科技有限公司"]),
    ],
    ids=["wei-inside-a-trade-name", "he-inside-a-trade-name", "wei-as-the-verb-before-it"],
)
def test_a_particle_inside_a_trade_name_is_part_of_it(text, expected):
    assert [m.text for m in company_mentions(paper(text))] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("機場管理局資訊保安及系統部主管表示。", [("機場管理局", "institution"), ("資訊保安及系統部", "institution")]),
        ("措施會配合北部發展。", []),
        ("新大樓快將全部落成。", []),
    ],
    ids=["unit-after-its-body", "north-is-not-a-unit", "all-is-not-a-unit"],
)
def test_a_department_of_a_body_is_named_after_it(text, expected):
    assert names_found(bare_name_mentions, text) == expected
