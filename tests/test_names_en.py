"""Official English names: every one has a source, names are compared by one key, and users find
entities and members by their English names, abbreviations and former names."""
import re

import pytest

from legco_kg.extractors.text import name_key
from legco_kg.graph.kg import Gazetteer
from legco_kg.ontology import budget_head_entries, gazetteer_entries, member_entries

from helpers import ask_json, records

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _named(entries):
    return [entry for entry in entries if entry.get("label_en")]


@pytest.mark.parametrize(
    "entries", [gazetteer_entries(), member_entries(), budget_head_entries()],
    ids=["gazetteer", "members", "budget-heads"],
)
def test_every_english_label_has_a_source_and_a_date(entries):
    named = _named(entries)
    assert named, "no English labels at all"
    for entry in named:
        assert (entry.get("source") or "").startswith(("http://", "https://")), entry["label_zh"]
        assert DATE.match(entry.get("source_read") or ""), entry["label_zh"]


def test_every_member_has_a_chinese_name_once():
    names = [member["label_zh"] for member in member_entries()]
    assert len(names) == len(set(names)) and all(re.fullmatch(r"[\u4e00-\u9fff]{2,5}", n) for n in names)


@pytest.mark.parametrize(
    "typed, written",
    [
        ("Guangdong-Hong Kong Technology Co-operation Funding Scheme",
         "Guangdong-Hong Kong Technology Cooperation Funding Scheme"),
        ("logistics and supply chain multitech research and development center",
         "Logistics and Supply Chain MultiTech R&D Centre"),
        ("innovation and technology industry oriented fund", "I&T Industry-Oriented Fund"),
        ("New Industrialization Funding Scheme", "New Industrialisation Funding Scheme"),
        ("Hong Kong Polytechnic University", "The Hong Kong Polytechnic University"),
        ("Innovation and Technology Support Program", "Innovation and Technology Support Programme"),
        ("WiFi HK", "Wi-Fi.HK"),
        ("「數 碼 港」", "數碼港"),
    ],
    ids=["hyphen", "r-and-d-centre", "i-and-t", "z-spelling", "leading-the", "program", "punctuation",
         "chinese-spaces-quotes"],
)
def test_name_variants_share_one_key(typed, written):
    assert name_key(typed) == name_key(written)


@pytest.mark.parametrize(
    "one, other",
    [("智方便", "智方便+"), ("創新科技署", "創新科技局"), ("Cyberport Macro Fund", "Cyberport"),
     ("AIR@InnoHK", "InnoHK")],
    ids=["plus-sign", "different-word", "longer-name", "at-sign"],
)
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    "header_name, english, aliases",
    [("香港議員甲", "Alice CHAN", ("Alice Chan", "CHAN Alice")), ("香港議員乙", None, ())],
    ids=["with-english-name", "without"],
)
def test_members_take_their_english_name_from_the_members_file(header_name, english, aliases):
    members = [{"label_zh": "香港議員甲", "label_en": "Alice CHAN", "aliases": ["Alice Chan", "CHAN Alice"]}]
    member = Gazetteer([], members).member(header_name, "member-x")
    assert (member.kind, member.label_zh, member.label_en, member.aliases) == ("member", header_name, english, aliases)


@pytest.mark.parametrize(
    "head, code, english",
    [("155", "1", "Support for Research and Development"), ("155", "9", None)],
    ids=["known-programme", "unknown-programme"],
)
def test_programmes_take_their_english_name_from_the_budget_heads_file(head, code, english):
    budget_heads = [{"head": "155", "programme": "1", "label_en": "Support for Research and Development"},
                    {"head": "155", "programme": None, "label_en": "A head, not a programme"}]
    assert Gazetteer([], [], budget_heads).programmes.get((head, code), {}).get("label_en") == english


@pytest.mark.parametrize(
    "name, entity_id",
    [
        ("ASTRI", "hong-kong-applied-science-and-technology-research-institute"),
        ("Research Talent Hub", "research-talent-hub"),
        ("RTH", "research-talent-hub"),
        ("HKSTP", "hong-kong-science-and-technology-parks-corporation"),
        ("hkpc", "hong-kong-productivity-council"),
        ("TVP", "technology-voucher-programme"),
        ("Digital Policy Office", "digital-policy-office"),
        ("New Industrialization Acceleration Scheme", "new-industrialisation-acceleration-scheme"),
        ("Re-industrialisation Funding Scheme", "new-industrialisation-funding-scheme"),
        ("Guangdong-Hong Kong Technology Co-operation Funding Scheme",
         "guangdong-hong-kong-technology-cooperation-funding-scheme"),
        ("HSITP", "zh-a98d19cbe9"),
        ("I&T Accelerator Pilot Scheme", "zh-92ac8195d9"),
        ("New Industrialisation Vetting Committee", "zh-b44985b4d3"),
        ("Support for Research and Development", "programme-155-1"),
        ("quality support", "programme-155-5"),
        ("Commercial Data Interchange", "commercial-data-interchange"),
        ("CDI", "commercial-data-interchange"),
        ("chatbot as a service", "zh-ce4baa4ac3"),
        ("LCSD", "leisure-and-cultural-services-department"),
        ("Cross-boundary Public Services", "zh-194cb1b8a3"),
        ("HKPilot", "zh-f8352055dd"),
        ("PCPD", "office-of-the-privacy-commissioner-for-personal-data"),
        ("DTSPP", "digital-transformation-support-pilot-programme"),
        ("Public Sector Information Portal", "data-gov-hk"),
        ("Hong Kong Jockey Club Charities Trust", "the-hong-kong-jockey-club-charities-trust"),
    ],
    ids=["astri", "rth-name", "rth", "hkstp", "hkpc-lower-case", "tvp", "dpo-name", "nias-z-spelling",
         "nifs-former-name", "tcfs-co-operation", "hsitp", "accelerator-scheme", "vetting-committee",
         "programme-name", "programme-lower-case", "cdi-name", "cdi", "chatbot-hyphens-as-spaces",
         "department-abbreviation", "initiative-name", "alias-without-official-label", "statutory-body",
         "scheme-abbreviation", "former-name", "without-leading-the"],
)
def test_show_finds_an_entity_by_english_name_or_abbreviation(built, name, entity_id):
    assert ask_json(built, "show", name, "--format", "json")["id"] == entity_id


@pytest.mark.parametrize(
    "member",
    ["Elizabeth Quat", "QUAT Elizabeth", "quat elizabeth", "Elizabeth QUAT", "葛珮帆"],
    ids=["given-first", "family-first", "lower-case", "as-legco-writes", "chinese"],
)
def test_questions_by_a_member_named_in_english(built, member):
    found = ask_json(built, "query", f"questions by {member}", "--format", "json")
    assert found["subject"]["label_zh"] == "葛珮帆" and found["subject"]["label_en"] == "Elizabeth QUAT"
    assert found["results"] and all(result["kind"] == "reply" for result in found["results"])


@pytest.mark.parametrize(
    "member, label_zh, label_en",
    [("Martin Liao", "廖長江", "Martin LIAO"), ("LIAO Martin", "廖長江", "Martin LIAO"),
     ("shang hailong", "尚海龍", "SHANG Hailong"), ("Hoi-yan Chan", "陳凱欣", "CHAN Hoi-yan")],
    ids=["given-first", "family-first", "no-english-given-name", "given-name-first-hyphenated"],
)
def test_questions_by_other_members_named_in_english(built, member, label_zh, label_en):
    found = ask_json(built, "query", f"questions by {member}", "--format", "json")
    assert (found["subject"]["label_zh"], found["subject"]["label_en"]) == (label_zh, label_en)
    assert found["results"] and all(result["kind"] == "reply" for result in found["results"])


def test_english_labels_reach_every_output(built):
    entities = {r["id"]: r for r in records(built, "entity")}
    assert entities["hong-kong-productivity-council"]["label_en"] == "Hong Kong Productivity Council"
    assert "HKPC" in entities["hong-kong-productivity-council"]["aliases"]
    member = next(r for r in entities.values() if r["label_zh"] == "葛珮帆")
    assert member["label_en"] == "Elizabeth QUAT" and "Quat Elizabeth" in member["aliases"]
    turtle = (built / "graph.ttl").read_text(encoding="utf-8")
    assert '"Hong Kong Productivity Council"@en' in turtle and '"HKPC"@en' in turtle
    assert '"Elizabeth QUAT"@en' in turtle and "foaf:Person" in turtle
    graphml = (built / "graph.graphml").read_text(encoding="utf-8")
    assert "Hong Kong Productivity Council" in graphml and "Elizabeth QUAT" in graphml
