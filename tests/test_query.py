"""`legco-kg query`, `show` and `stats` on the built embedded corpus."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from legco_kg.graph.read.query import display_width, parse
from legco_kg.cli import main


def ask(built, *args):
    return CliRunner().invoke(main, [*args, "--out", str(built)])


def answer(built, text, *options):
    result = ask(built, "query", text, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    "text, operation, name, kinds",
    [
        ("schemes mentioned with Cyberport", "comention", "Cyberport", ("scheme",)),
        ("Platforms co-mentioned with 數碼港", "comention", "數碼港", ("platform",)),
        ("與數碼港一同提及的計劃", "comention", "數碼港", ("scheme",)),
        ("questions by 陳振英", "questions", "陳振英", ()),
        ("陳振英的問題", "questions", "陳振英", ()),
        ("Who asked about 科技券?", "asked", "科技券", ()),
        ("誰問及科技券", "asked", "科技券", ()),
        ("amounts for TVP", "amounts", "TVP", ()),
        ("科技券的款額", "amounts", "科技券", ()),
        ("bureaus replying about InnoHK", "bureaus", "InnoHK", ()),
        ("答覆科技券的部門", "bureaus", "科技券", ()),
        ("与数码港一同提及的计划", "comention", "數碼港", ("scheme",)),
        ("Cyberport", "card", "Cyberport", ()),
    ],
)
def test_query_forms(text, operation, name, kinds):
    assert parse(text) == (operation, name, kinds)


@pytest.mark.parametrize(
    "text",
    ["schemes mentioned with Cyberport", "與數碼港一同提及的計劃", "与数码港一同提及的计划",
     "schemes mentioned with 香港數碼港管理有限公司", "SCHEMES MENTIONED WITH cyberport"],
    ids=["english", "chinese", "simplified", "full-name", "case"],
)
def test_schemes_with_cyberport_in_every_form(built, text):
    found = answer(built, text)
    assert found["subject"]["id"] == "cyberport"
    results = found["results"]
    assert results and all(r["kind"] == "scheme" for r in results)
    counts = [r["count"] for r in results]
    assert counts == sorted(counts, reverse=True)
    assert "artificial-intelligence-subsidy-scheme" in [r["id"] for r in results[:3]]
    for result in results:  # every hit carries evidence: its replies and a source sentence
        assert result["replies"] and result["evidence"][0]["reply"] in result["replies"]


def test_json_schema(built):
    found = answer(built, "schemes mentioned with Cyberport", "--limit", "3")
    assert set(found) == {"query", "subject", "results"}
    assert set(found["subject"]) >= {"id", "kind", "label_zh", "label_en"}
    assert len(found["results"]) == 3
    for result in found["results"]:
        assert set(result) >= {"id", "kind", "label_zh", "label_en", "count", "replies", "evidence"}
        assert set(result["evidence"][0]) == {"reply", "text"}


def test_evidence_sentence_names_the_entity(built):
    found = answer(built, "who asked about 科技券")
    assert found["results"]
    for result in found["results"]:
        assert result["kind"] == "member"
        sentence = result["evidence"][0]["text"]
        assert "科技券" in sentence or "TVP" in sentence


def test_abbreviation_and_english_name_resolve(built):
    assert answer(built, "amounts for 創科署")["subject"]["id"] == "innovation-and-technology-commission"
    assert answer(built, "amounts for Innovation and Technology Commission")["subject"]["id"] == "innovation-and-technology-commission"
    assert answer(built, "ITC")["subject"]["id"] == "innovation-and-technology-commission"


def test_amounts_carry_value_and_currency(built):
    found = answer(built, "amounts for 新型工業加速計劃")
    assert found["results"]
    for result in found["results"]:
        assert result["kind"] == "amount" and result["currency"] == "HKD" and result["value"] > 0
    assert 10_000_000_000 in [r["value"] for r in found["results"]]  # 100億元


def test_questions_by_a_member(built):
    found = answer(built, "questions by 陳振英")
    assert [r["id"] for r in found["results"]][:1] == ["ITIB001"]


def test_bureaus_replying(built):
    found = answer(built, "bureaus replying about 科技券")
    assert found["results"] and all(r["kind"] == "bureau" for r in found["results"])


def test_unknown_name_exits_1_with_suggestions(built):
    result = ask(built, "query", "schemes mentioned with Cybreport")
    assert result.exit_code == 0  # a near miss resolves fuzzily
    result = ask(built, "query", "schemes mentioned with Cyberzone Park")
    assert result.exit_code == 1
    assert "no entity named 'Cyberzone Park'; did you mean" in result.output


def test_ambiguous_name_lists_candidates(built):
    result = ask(built, "query", "計劃")
    assert result.exit_code == 1
    assert "is ambiguous" in result.output and "new-industrialisation-acceleration-scheme" in result.output


def test_table_aligns_cjk_by_display_width(built):
    result = ask(built, "query", "schemes mentioned with Cyberport", "--limit", "5")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("id "))
    column = display_width(lines[header][: lines[header].index("kind")])
    for line in lines[header + 2 : header + 7]:
        cut = next(i for i in range(len(line)) if display_width(line[:i]) == column)
        assert line[cut:].startswith("scheme")


def test_csv(built):
    result = ask(built, "query", "schemes mentioned with Cyberport", "--format", "csv", "--limit", "2")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "id,kind,label_zh,label_en,count,replies,evidence"
    assert len(result.output.splitlines()) == 3


def test_show_card(built):
    result = ask(built, "show", "數碼港", "--format", "json")
    assert result.exit_code == 0
    card = json.loads(result.output)
    assert card["id"] == "cyberport" and card["label_en"] == "Cyberport"
    assert card["replies"] > 10 and card["neighbours"]


def test_stats(built):
    result = ask(built, "stats", "--format", "json")
    assert result.exit_code == 0
    figures = json.loads(result.output)
    assert figures["replies"] == 251 and sum(figures["replies_per_head"].values()) == 251
    assert figures["top_schemes"] and figures["top_members"]


def test_query_without_build(tmp_path):
    result = CliRunner().invoke(main, ["query", "Cyberport", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "no build here" in result.output


def test_query_never_imports_spacy_or_rdflib(built):
    probe = (
        "import sys\nfrom legco_kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'rdflib', 'pyvis') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "query", "與數碼港一同提及的計劃", "--out", str(built), "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
