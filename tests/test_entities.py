"""Curated entities: the candidates report, per-reply short forms, user gazetteers, linear cost."""
import time
from pathlib import Path

import pytest

from legco_kg.extractors.names import abbreviation_mentions

from helpers import names_found, one_line, paper, records, run


def test_short_forms_cost_is_linear_in_the_paragraphs():
    paragraph = "創新科技署(創科署)表示，創科署會與數碼港跟進「新型工業加速計劃」(「加速計劃」)。\n\n"
    small, large = paper(paragraph * 300), paper(paragraph * 3000)
    timings = []
    for doc in (small, large):
        started = time.perf_counter()
        found = list(abbreviation_mentions(doc))
        timings.append(time.perf_counter() - started)
        assert len(found) == 3 * len(doc.paragraphs)  # 創科署 twice and 加速計劃 in every paragraph
    # Ten times the text: linear cost is ~10x; paragraphs x mentions was ~100x.
    assert timings[1] < 30 * max(timings[0], 0.005)


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


USER_ENTITIES = (
    '{"id": "harbour-robotics-lab", "kind": "institution", "label_zh": "海港機械人實驗所", "label_en": "Harbour Robotics Lab", "aliases": ["港機所"], "type": "rnd"}',
    '{"id": "cyberport", "kind": "institution", "label_zh": "數碼港", "label_en": "Cyberport", "aliases": ["數碼港公司"], "type": "public-company"}',
)


def test_build_with_a_user_gazetteer(tmp_path):
    source = tmp_path / "note.txt"
    source.write_text("海港機械人實驗所(港機所)與數碼港公司合作；港機所明年擴展。\n", encoding="utf-8")
    gazetteer = write_lines(tmp_path / "mine.jsonl", *USER_ENTITIES)
    out = tmp_path / "out"
    result = run("build", source, "--out", out, "--quiet", "--without", "ner", "--gazetteer", gazetteer)
    assert result.exit_code == 0, result.output
    mentioned = [(r["text"], r["entity"]) for r in records(out, "mention")]
    assert mentioned == [("海港機械人實驗所", "harbour-robotics-lab"), ("港機所", "harbour-robotics-lab"),
                         ("數碼港公司", "cyberport"), ("港機所", "harbour-robotics-lab")]
    # Without the file, the same text names neither.
    plain = run("build", source, "--out", tmp_path / "plain", "--quiet", "--without", "ner")
    assert plain.exit_code == 0 and "harbour-robotics-lab" not in (tmp_path / "plain" / "export.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line, problem",
    [
        ('{"id": "x", "kind": "company", "label_zh": "某公司"}', "line 1: 'kind' must be one of"),
        ('{"id": "壞 id", "kind": "scheme", "label_zh": "某計劃"}', "line 1: 'id' must be an ASCII name"),
        ('{"id": "x", "kind": "scheme"}', "line 1: 'label_zh'"),
        ('{"id": "x", "kind": "scheme", "label_zh": "某計劃"', "line 1: not JSON"),
    ],
    ids=["unknown-kind", "bad-id", "no-label", "not-json"],
)
def test_a_bad_user_gazetteer_is_one_line(tmp_path, line, problem):
    source = tmp_path / "note.txt"
    source.write_text("數碼港的計劃。\n", encoding="utf-8")
    gazetteer = write_lines(tmp_path / "bad.jsonl", line)
    result = run("build", source, "--out", tmp_path / "out", "--quiet", "--gazetteer", gazetteer)
    assert result.exit_code == 1
    assert f"bad.jsonl: {problem}" in one_line(result)
    assert not (tmp_path / "out").exists()


def rule_names(text: str) -> list[tuple[str, str]]:
    from legco_kg.extractors.names import rule_mentions

    return names_found(rule_mentions, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("創科署去年與上海市科學技術委員會簽訂備忘錄。", [("上海市科學技術委員會", "institution")]),
        ("兩地科研人員可申請國家自然科學基金委員會的項目。", [("國家自然科學基金委員會", "institution")]),
        ("特區政府與深圳市人民政府共同規劃園區。", [("深圳市人民政府", "institution")]),
        ("世界知識產權組織每年發表創新指數。", [("世界知識產權組織", "institution")]),
        ("澳門特區網絡安全委員會派員出席研討會。", [("澳門特區網絡安全委員會", "institution")]),
        ("陝西省科學技術廳的代表來港訪問。", [("陝西省科學技術廳", "institution")]),
        ("讓香港企業使用電子政府服務更方便。", []),
        ("當局已與中央相關部門商討安排。", []),
        ("推動香港發展為國際數據中心。", []),
    ],
    ids=["city-commission", "national-fund-commission", "city-government", "international-organisation",
         "macao-committee", "provincial-department", "government-without-place", "department-cut-short",
         "policy-goal"],
)
def test_mainland_and_international_bodies(text, expected):
    assert rule_names(text) == expected


TITLES_TABLE = (
    "附件\n獲資助的項目\n項目名稱大學研究範疇\n1海水淡化膜的低能耗改良香港大學環境科技\n"
    "2長者跌倒預警感應地墊*香港理工大學樂齡科技\n3⏎以機器學習預測颱風路徑香港科技大學人工智能\n"
)
STATUS_TABLE = (
    "研發中心的項目如下：\n項目名稱進度\n1.可降解包裝薄膜的量產技術已完成\n2.試用：為消防處研發輕量防護頭盔進行中\n"
    "3.回收玻璃製造建築磚塊的研究進行中\n"
)


@pytest.mark.parametrize(
    "text, titles",
    [
        (TITLES_TABLE.replace("⏎", "\n"), ["海水淡化膜的低能耗改良", "長者跌倒預警感應地墊", "以機器學習預測颱風路徑"]),
        (STATUS_TABLE, ["可降解包裝薄膜的量產技術", "試用：為消防處研發輕量防護頭盔", "回收玻璃製造建築磚塊的研究"]),
        ("項目名稱及資助額見附件。\n1.第一點說明\n其他內容", []),
    ],
    ids=["title-then-university", "title-then-status", "not-a-table"],
)
def test_project_titles_in_numbered_tables_are_platforms(text, titles):
    from legco_kg.extractors.names import project_title_mentions

    found = names_found(project_title_mentions, text)
    assert found == [(title, "platform") for title in titles]


def resolved(text: str) -> dict[str, str]:
    """Each mention's text → the label of the entity it resolves to."""
    from legco_kg.extractors import extract
    from legco_kg.graph.kg import build_graph

    doc = paper(text)
    kg = build_graph([doc], extract(doc, skip=("ner",)))
    return {mention.text: kg.entities[entity_id].label_zh for mention, entity_id in kg.mentions}


@pytest.mark.parametrize(
    "text, short, label",
    [
        ("數碼港人工智能超算中心(超算中心)已啟用。超算中心的使用率理想。", "超算中心", "人工智能超算中心"),
        ("「海洋生態保育基金」(「基金」)已成立。基金將資助研究。", "基金", "海洋生態保育基金"),
        ("「長者智能家居資助計劃」(「資助計劃」)下月推出。資助計劃接受申請。", "資助計劃", "長者智能家居資助計劃"),
    ],
    ids=["defined-centre", "defined-fund", "defined-grant-scheme"],
)
def test_a_short_form_names_what_its_text_defines(text, short, label):
    assert resolved(text)[short] == label


@pytest.mark.parametrize(
    "text, short",
    [
        ("大灣區另一所超算中心亦會開放。", "超算中心"),
        ("該基金明年會再注資。", "基金"),
        ("大學的財務委員會每年開會。", "財務委員會"),
    ],
    ids=["undefined-centre", "undefined-fund", "another-finance-committee"],
)
def test_an_undefined_short_form_names_nothing(text, short):
    assert short not in resolved(text)


def test_no_gazetteer_alias_is_a_bare_head_word():
    from legco_kg.extractors.names import name_rules
    from legco_kg.ontology import gazetteer_entries

    heads = set(name_rules()["heads"]) | set(name_rules()["generic_words"])
    # 科學園 is the Hong Kong Science Park's own short name, not a short form defined in a reply.
    bare = [(e["id"], a) for e in gazetteer_entries() for a in e.get("aliases", []) if a in heads and a != "科學園"]
    assert bare == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("當局已諮詢立法會經濟發展事務委員會的意見。", [("立法會經濟發展事務委員會", "institution")]),
        ("香港警務處反詐騙協調中心今年處理的個案上升。", [("香港警務處反詐騙協調中心", "institution")]),
        ("計劃由大學教育資助委員會秘書處負責行政。", [("大學教育資助委員會秘書處", "institution")]),
        ("機電工程署會與運輸署合作。", []),
        ("創新科技署持續彙集研發中心的意見。", []),
        ("12.機電工程署電力安全知多啲中心\n", []),
        ("新田科技城統籌辦事處負責協調。", [("新田科技城統籌辦事處", "institution")]),
        ("新田科技城統籌各項工作。", []),
    ],
    ids=["legco-panel", "police-unit", "secretariat", "verb-after-body", "phrase-after-body", "item-after-body-in-a-table-row",
         "office-of-a-zone", "verb-after-a-zone"],
)
def test_units_named_after_their_parent_body(text, expected):
    from legco_kg.extractors.names import unit_mentions

    assert names_found(unit_mentions, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("成員包括香港工業總會、東海航運集團、職業訓練局及香港生產力促進局。", [("東海航運集團", "institution")]),
        ("合作伙伴有香港科技園公司、星河數據有限公司以及數碼港。", [("星河數據有限公司", "institution")]),
        ("包括數碼港、創新科技署及其他機構。", []),
        ("我們會聯絡不同公司、團體及學校。", []),
    ],
    ids=["company-between-known-bodies", "limited-company-beside-known", "only-known-bodies", "no-known-neighbour"],
)
def test_bodies_listed_beside_known_ones(text, expected):
    from legco_kg.extractors.names import list_item_mentions

    assert names_found(list_item_mentions, text) == expected


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("香港衞生署", "department-of-health"),
        ("香港特別行政區政府環境保護署", "environmental-protection-department"),
        ("香港創新科技署", "innovation-and-technology-commission"),
        ("衛生署", "department-of-health"),
    ],
    ids=["hong-kong-before-a-department", "government-before-a-department", "hong-kong-before-a-bureau", "variant-character"],
)
def test_a_body_written_with_hong_kong_before_it_is_the_body(name, entity_id):
    from legco_kg.graph.kg import Gazetteer

    assert Gazetteer.load().find(name).id == entity_id


def test_hong_kong_before_a_platform_is_not_stripped():
    from legco_kg.graph.kg import Gazetteer

    assert Gazetteer.load().find("香港智方便") is None


CANDIDATE_TEXT = (
    "「海洋生態保育基金」(「基金」)今年成立，基金會資助本地研究。\n\n"
    "創新科技署會與數碼港合作推出「計劃」。\n\n"
    "數字辦亦推出多個中央平台。創新科技署表示歡迎。\n"
)


@pytest.fixture(scope="module")
def candidate_table():
    from legco_kg.candidates import candidates

    return {c.name: c for c in candidates([paper(CANDIDATE_TEXT)], with_ner=False)}


@pytest.mark.parametrize(
    "name, decision, detail",
    [
        ("創新科技署", "gazetteer", "innovation-and-technology-commission"),
        ("數碼港", "gazetteer", "cyberport"),
        ("海洋生態保育基金", "rule", "a name ending in a head word (scheme)"),
        ("基金", "short form", "of 海洋生態保育基金"),
        ("計劃", "rejected", "generic word"),
        ("中央平台", "rejected", "generic: the government's central platforms in general, not one named platform"),
    ],
    ids=["department", "company", "quoted-new-scheme", "defined-short-form", "generic-word", "reviewed-rejection"],
)
def test_candidates_carry_their_decision(candidate_table, name, decision, detail):
    candidate = candidate_table[name]
    assert (candidate.decision, candidate.detail) == (decision, detail)


def test_candidates_count_replies_and_keep_an_example(candidate_table):
    department = candidate_table["創新科技署"]
    assert department.count == 2 and department.replies == ("case",)
    assert department.example == "創新科技署會與數碼港合作推出「計劃」。"


def test_candidates_command_is_deterministic_and_has_every_format(tmp_path):
    import csv
    import io
    import json

    source = tmp_path / "case.txt"
    source.write_text(CANDIDATE_TEXT, encoding="utf-8")
    runs = [run("candidates", source, "--without-ner", "--format", f) for f in ("json", "json", "csv", "table")]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    assert runs[0].output == runs[1].output
    report = json.loads(runs[0].output)
    assert report["counts"]["unresolved"] == 0 and sum(report["counts"].values()) == len(report["candidates"])
    rows = list(csv.DictReader(io.StringIO(runs[2].output)))
    assert [r["name"] for r in rows] == [c["name"] for c in report["candidates"]]
    assert runs[3].output.startswith(f"{len(rows)} candidate names:")


@pytest.mark.parametrize(
    "text, name, label",
    [
        ("市民可透過「智方便」平台登記。", "「智方便」平台", "智方便"),
        ("下載「海港天氣」流動應用程式查看資料。", "「海港天氣」流動應用程式", "海港天氣"),
        ("數字辦推出「智方便」沙盒計劃供業界測試。", "「智方便」沙盒計劃", "智方便沙盒計劃"),
        ("兩地設有「灣區通辦」自助服務機。", "「灣區通辦」自助服務機", "灣區通辦自助服務機"),
    ],
    ids=["descriptor-of-a-known-platform", "descriptor-of-a-new-app", "sandbox-of-a-platform", "kiosk-of-a-service"],
)
def test_a_quoted_name_with_its_head_is_one_name(text, name, label):
    assert resolved(text)[name] == label


def test_every_candidate_of_the_corpus_is_decided():
    """The corpus review is data: every name any proposer finds is a gazetteer entity, a short
    form, a rule's name or a rejection with its reason; none stays unresolved."""
    from legco_kg.build import default_corpus, parse_corpus
    from legco_kg.candidates import candidates, counts

    documents, _ = parse_corpus(default_corpus())
    found = candidates(documents)
    assert counts(found)["unresolved"] == 0, [c.name for c in found if c.decision == "unresolved"]
    assert all(c.detail for c in found if c.decision == "rejected")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("評審委員會已支持明川生物有限公司的申請。", ["明川生物有限公司"]),
        ("資助計劃申請機構項目名稱\n企業支援計劃青嶺半導體有限公司低功耗感測晶片 2.1\n", ["青嶺半導體有限公司"]),
        ("參與機構包括海灣巴士有限公司及東海儲能有限公司。", ["海灣巴士有限公司", "東海儲能有限公司"]),
        ("政府全資擁有的有限公司負責營運。", []),
    ],
    ids=["after-a-verb", "grantee-after-its-scheme", "two-in-a-list", "no-name-before-the-suffix"],
)
def test_companies_named_with_limited(text, expected):
    from legco_kg.extractors.names import company_mentions

    assert [m.text for m in company_mentions(paper(text))] == expected


COMPANY_TABLE = (
    "附件\n園區租戶中的上市公司(以公司名稱英文字母順序排列)公司名稱業務領域\n"
    "1.青禾基因生物醫藥\n2. Lumio Labs金融科技\n3.天樞微電子電子\n"
    "4.遠帆智造(已於2023年上市)物料及精密工程\n"
)


@pytest.mark.parametrize(
    "text, companies",
    [
        (COMPANY_TABLE, ["青禾基因", "Lumio Labs", "天樞微電子", "遠帆智造"]),
        ("1.青禾基因生物醫藥\n2.天樞微電子電子\n", []),
    ],
    ids=["rows-under-a-company-header", "rows-without-a-header"],
)
def test_companies_in_a_table_of_company_names(text, companies):
    from legco_kg.extractors.names import company_table_mentions

    assert names_found(company_table_mentions, text) == [(c, "institution") for c in companies]
