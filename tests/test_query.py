"""`legco-kg query`, `show` and `stats` on the built embedded corpus, checked against the source text."""
import json
import os
import subprocess
import sys

import pytest

from legco_kg.extractors.names import SENTENCE
from legco_kg.extractors.text import compact
from legco_kg.graph.read.query import Question, parse

from helpers import ask, ask_json, run


def answer(built, text, *options):
    return ask_json(built, "query", text, "--format", "json", *options)


@pytest.fixture(scope="module")
def replies(estimates):
    """Reply number → the parsed reply, to check answers against the source text."""
    return {reply.reply: reply for reply in estimates.replies}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("schemes mentioned with Cyberport", Question("comention", "Cyberport", ("scheme",))),
        ("Platforms co-mentioned with 數碼港", Question("comention", "數碼港", ("platform",))),
        ("與數碼港一同提及的計劃", Question("comention", "數碼港", ("scheme",))),
        ("schemes mentioned with 數碼港 and 科學園", Question("comention", "數碼港 and 科學園", ("scheme",))),
        ("與數碼港及科學園一同提及的計劃", Question("comention", "數碼港及科學園", ("scheme",))),
        ("questions by 陳振英", Question("questions", "陳振英")),
        ("questions by Chan Chun-ying", Question("questions", "Chan Chun-ying")),
        ("陳振英的問題", Question("questions", "陳振英")),
        ("Who asked about 科技券?", Question("asked", "科技券")),
        ("誰問及雲端服務", Question("asked", "雲端服務")),
        ("replies about 數據中心", Question("about", "數據中心")),
        ("關於數據中心的答覆", Question("about", "數據中心")),
        ("amounts for TVP", Question("amounts", "TVP")),
        ("科技券的款額", Question("amounts", "科技券")),
        ("amounts for TVP in 2023-24", Question("amounts", "TVP", year="2023-24")),
        ("amounts for TVP in 2023/24", Question("amounts", "TVP", year="2023-24")),
        ("科技券在2023-24年度的款額", Question("amounts", "科技券", year="2023-24")),
        ("amounts for TVP by year", Question("amounts", "TVP", by_year=True)),
        ("科技券按年度的款額", Question("amounts", "科技券", by_year=True)),
        ("bureaus replying about InnoHK", Question("bureaus", "InnoHK")),
        ("答覆科技券的部門", Question("bureaus", "科技券")),
        ("与数码港一同提及的计划", Question("comention", "數碼港", ("scheme",))),
        ("Cyberport", Question("card", "Cyberport")),
        ("Which members asked questions about the Technology Voucher Programme?",
         Question("asked", "Technology Voucher Programme")),
        ("有哪些議員問及雲端服務？", Question("asked", "雲端服務")),
        ("which replies mention 數據中心", Question("about", "數據中心")),
        ("數碼港和科學園一同提及的平台", Question("comention", "數碼港和科學園", ("platform",))),
        ("Which schemes are mentioned with Cyberport?", Question("comention", "Cyberport", ("scheme",))),
        ("What questions did 陳振英 ask?", Question("questions", "陳振英")),
        ("funding for TVP in 2025-26", Question("amounts", "TVP", year="2025-26")),
        ("How much was allocated to the Technology Voucher Programme in 2025-26?",
         Question("amounts", "Technology Voucher Programme", year="2025-26")),
        ("科技券在2025-26年度的預算", Question("amounts", "科技券", year="2025-26")),
        ("how much was spent on TVP each year?", Question("amounts", "TVP", by_year=True)),
        ("amounts for TVP in 2023", Question("amounts", "TVP", year="2023")),
        ("amounts for TVP in 2023-2024", Question("amounts", "TVP", year="2023-24")),
        ("科技券2023年的款額", Question("amounts", "科技券", year="2023")),
    ],
    ids=[
        "comention-en", "comention-co", "comention-zh", "two-names-en", "two-names-zh", "questions-en",
        "questions-english-name", "questions-zh", "asked-en", "asked-zh", "about-en", "about-zh", "amounts-en",
        "amounts-zh", "year-en", "year-slash", "year-zh", "by-year-en", "by-year-zh", "bureaus-en", "bureaus-zh",
        "simplified", "card", "which-members", "zh-which-members", "which-replies", "zh-no-yu",
        "which-schemes-are", "what-did-ask", "funding-in", "how-much", "zh-budget", "how-much-by-year", "calendar-year", "long-year", "zh-calendar-year",
    ],
)
def test_query_forms(text, expected):
    assert parse(text) == expected


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
    for result in results:  # every hit carries evidence: its replies and a source sentence
        assert result["replies"] and result["evidence"][0]["reply"] in result["replies"]


def test_json_has_total_beside_the_limit(built):
    everything = answer(built, "schemes mentioned with Cyberport", "--limit", "0")
    found = answer(built, "schemes mentioned with Cyberport", "--limit", "3")
    assert {"query", "operation", "subject", "results", "total", "limit"} <= set(found)
    assert len(found["results"]) == 3 and found["limit"] == 3
    assert found["total"] == everything["total"] == len(everything["results"]) > 3
    assert found["results"] == everything["results"][:3]
    for result in found["results"]:
        assert {"id", "kind", "label_zh", "label_en", "count", "replies", "evidence"} <= set(result)
        assert set(result["evidence"][0]) == {"reply", "text"}


def test_a_cut_list_says_so_on_stderr(built):
    total = answer(built, "schemes mentioned with Cyberport", "--limit", "0")["total"]
    result = ask(built, "query", "schemes mentioned with Cyberport", "--limit", "2")
    assert result.exit_code == 0
    assert result.stderr.strip() == f"{total} results, 2 shown; --limit 0 for all"
    result = ask(built, "query", "schemes mentioned with Cyberport", "--limit", "0")
    assert result.stderr == ""


@pytest.mark.parametrize(
    "text", ["who asked about 人工智能", "schemes mentioned with Cyberport", "amounts for 新型工業加速計劃"],
    ids=["text-search", "comention", "amounts"],
)
def test_json_is_the_same_bytes_on_every_run(built, text):
    def run(seed):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "legco_kg", "query", text, "--out", str(built), "--format", "json", "--limit", "0"],
            capture_output=True, env=env, check=True,
        )
        return done.stdout

    assert run("1") == run("2")


@pytest.mark.parametrize(
    "english, chinese",
    [
        ("schemes mentioned with Cyberport and Hong Kong Science Park", "與數碼港及科學園一同提及的計劃"),
        ("institutions mentioned with 科技券 & 數碼港", "與科技券、數碼港一同提及的機構"),
    ],
    ids=["schemes", "institutions"],
)
def test_mentioned_with_a_and_b(built, english, chinese):
    both = answer(built, english, "--limit", "0")
    assert both["results"] == answer(built, chinese, "--limit", "0")["results"]
    assert len(both["subjects"]) == 2
    places = []
    for subject in both["subjects"]:
        replies = answer(built, f"replies mentioned with {subject['id']}", "--limit", "0")["results"]
        places.append({r["id"] for r in replies})
    assert both["results"]
    for result in both["results"]:  # named where both are named
        assert set(result["replies"]) <= places[0] & places[1]
        assert result["id"] not in {s["id"] for s in both["subjects"]}


def test_a_name_with_and_in_it_is_one_name(built):
    found = answer(built, "schemes mentioned with Innovation and Technology Commission")
    assert [s["id"] for s in found["subjects"]] == ["innovation-and-technology-commission"]


@pytest.mark.parametrize(
    "text", ["amounts for 數字政策辦公室 in 2025-26", "數字政策辦公室在2025-26年度的款額", "amounts for DPO in 2025/26"],
    ids=["english", "chinese", "slash"],
)
def test_amounts_in_a_year(built, text):
    found = answer(built, text, "--limit", "0")
    every = answer(built, "amounts for 數字政策辦公室", "--limit", "0")["results"]
    assert found["year"] == "2025-26"
    assert found["results"] and found["results"] == [r for r in every if r["year"] == "2025-26"]


def test_amounts_by_year(built):
    every = answer(built, "amounts for 科技券", "--limit", "0")["results"]
    rows = answer(built, "amounts for 科技券 by year", "--limit", "0")["results"]
    years = [r["year"] for r in rows]
    assert len(set(years)) == len(years) > 1  # one row per year
    assert [y for y in years if y] == sorted(y for y in years if y)
    assert sum(r["count"] for r in rows) == len(every)
    for row in rows:
        assert row["amounts"] == [r["text"] for r in every if r["year"] == row["year"]]


def test_each_amount_fact_once_with_its_evidence(built, estimates_path):
    original = estimates_path.read_text(encoding="utf-8-sig")
    found = answer(built, "amounts for 新型工業加速計劃", "--limit", "0")["results"]
    keys = [(r["value"], r["currency"], r["year"], r["role"]) for r in found]
    assert found and len(keys) == len(set(keys))
    assert 10_000_000_000 in [r["value"] for r in found]  # 100億元
    for result in found:
        assert result["kind"] == "amount" and result["count"] == len(result["mentions"])
        assert result["replies"] == sorted({m["reply"] for m in result["mentions"]})
        assert compact(result["text"]) in compact(result["evidence"][0]["text"])
        for mention in result["mentions"]:
            if mention["document"] == estimates_path.stem:  # offsets point at the figure in the file
                assert compact(original[mention["start"]:mention["end"]]) == compact(mention["text"])


@pytest.mark.parametrize(
    "text, term",
    [("who asked about 人工智能", "人工智能"), ("誰問及人工智能", "人工智能"), ("谁问及人工智能", "人工智能"),
     ("who asked about 雲端", "雲端")],
    ids=["english", "chinese", "simplified", "two-characters"],
)
def test_who_asked_about_text_counts_the_questions_containing_it(built, replies, text, term):
    found = answer(built, text, "--limit", "0")
    assert found["search"] == {"by": "text", "entity": None, "terms": [term]}
    assert found["subject"] is None and found["results"]
    asked_by: dict[str, set] = {}
    for reply in replies.values():
        if term in reply.question_text.text:
            asked_by.setdefault(reply.member, set()).add(reply.reply)
    by_member = {r["label_zh"]: r for r in found["results"]}
    assert {m: r["in_question"] for m, r in by_member.items() if r["in_question"]} == {m: len(s) for m, s in asked_by.items()}
    for result in found["results"]:
        in_answer = {r for r in result["replies"] if term in replies[r].answer_text.text}
        assert result["in_reply"] == len(in_answer)
        assert term in result["evidence"][0]["text"]
    ranked = [(-r["in_question"], -r["in_reply"]) for r in found["results"]]
    assert ranked == sorted(ranked)


def test_who_asked_about_an_entity(built):
    found = answer(built, "who asked about 科技券")
    assert found["search"]["by"] == "entity" and found["subject"]["id"] == "technology-voucher-programme"
    assert found["results"]
    for result in found["results"]:
        assert result["kind"] == "member" and {"in_question", "in_reply"} <= set(result)
        assert result["count"] == len(result["replies"]) >= max(result["in_question"], result["in_reply"])
        sentence = result["evidence"][0]["text"]
        assert "科技券" in sentence or "TVP" in sentence


def test_who_asked_about_english_text_goes_through_the_bilingual_names(built):
    found = answer(built, "who asked about artificial intelligence", "--limit", "0")
    assert found["search"]["by"] == "text" and "人工智能" in found["search"]["terms"]
    assert found["results"] == answer(built, "who asked about 人工智能", "--limit", "0")["results"]


@pytest.mark.parametrize("text", ["replies about 數據中心", "關於數據中心的答覆"], ids=["english", "chinese"])
def test_replies_about_text(built, replies, text):
    found = answer(built, text, "--limit", "0")
    assert found["search"]["by"] == "text" and found["results"]
    for result in found["results"]:
        assert "數據中心" in result["evidence"][0]["text"]
        if result["kind"] == "reply":
            reply = replies[result["id"]]
            assert result["member"] == reply.member
            in_question = [s for s in SENTENCE.findall(reply.question_text.text) if "數據中心" in s]
            assert result["in_question"] == len(in_question)


def test_unknown_text_is_an_error(built):
    result = ask(built, "query", "who asked about 火星殖民地")
    assert result.exit_code == 1
    assert "no entity named '火星殖民地' and no sentence contains '火星殖民地'" in result.output


def test_abbreviation_and_english_name_resolve(built):
    assert answer(built, "amounts for 創科署")["subject"]["id"] == "innovation-and-technology-commission"
    assert answer(built, "amounts for Innovation and Technology Commission")["subject"]["id"] == "innovation-and-technology-commission"
    assert answer(built, "ITC")["subject"]["id"] == "innovation-and-technology-commission"


def test_questions_by_a_member(built, replies):
    found = answer(built, "questions by 陳振英", "--limit", "0")
    assert found["results"] and found["total"] == len(found["results"])
    assert [r["id"] for r in found["results"]] == sorted(r.reply for r in replies.values() if r.member == "陳振英")


def test_questions_by_an_english_name(excerpt_path, tmp_path):
    """Members are found by any of their names, so English names work once the names carry them."""
    from dataclasses import replace

    from legco_kg.build import assemble
    from legco_kg.exports.index import write
    from legco_kg.extractors.parse import parse_document
    from legco_kg.folder import OUTPUTS
    from legco_kg.graph.read.query import Index, run

    kg = assemble([parse_document(excerpt_path)])
    member = next(e for e in kg.entities.values() if e.kind == "member")
    kg.entities[member.id] = replace(member, label_en="Member of Test", aliases=("Test Member",))
    write(kg, tmp_path / OUTPUTS["index"])
    index = Index.load(tmp_path)
    by_chinese = run(index, f"questions by {member.label_zh}")
    assert by_chinese["results"]
    assert run(index, "questions by Member of Test")["results"] == by_chinese["results"]
    assert run(index, "questions by test member")["results"] == by_chinese["results"]
    assert run(index, "questions by the Hon Member of Test, JP")["results"] == by_chinese["results"]
    assert run(index, f"{member.label_zh}議員的問題")["results"] == by_chinese["results"]


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
    result = ask(built, "query", "評審委員會")  # two committees of that name, in different replies
    assert result.exit_code == 1
    assert "is ambiguous" in result.output and result.output.count("zh-") >= 2


def test_a_generic_short_form_is_no_name_of_its_own(built):
    # 計劃 names a scheme only in the reply that defines it; asked alone it names nothing.
    result = ask(built, "query", "計劃")
    assert result.exit_code == 1
    assert "no entity named '計劃'" in result.output and "did you mean" in result.output


@pytest.mark.parametrize("width", [60, 100, 160], ids=["narrow", "default", "wide"])
def test_table_fits_the_terminal_with_names_first(built, width):
    from rich.cells import cell_len

    for text, first in [("schemes mentioned with Cyberport", "name"), ("who asked about 人工智能", "member"),
                        ("amounts for 新型工業加速計劃", "amount")]:
        result = ask(built, "query", text, env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert all(cell_len(line) <= width for line in lines[2:]), text
        rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
        assert lines[rule - 1].split()[0] == first  # the header's last line, above the rule
        assert "cyberport" not in result.stdout  # ids are hidden


def test_csv_has_full_values_one_row_per_result(built):
    found = answer(built, "who asked about 人工智能", "--limit", "0")
    result = ask(built, "query", "who asked about 人工智能", "--format", "csv", "--limit", "0")
    assert result.exit_code == 0
    import csv

    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert len(rows) == len(found["results"])
    for row, expected in zip(rows, found["results"]):
        assert row["member"] == expected["label_zh"]
        assert row["replies"].split(";") == expected["replies"]  # no "+15" shortening
        assert int(row["in question"]) == expected["in_question"] and int(row["in reply"]) == expected["in_reply"]
        assert row["id"] == expected["id"]


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
    assert sum(m["questions"] for m in figures["top_members"]) <= 251
    assert figures["top_schemes"] and figures["top_members"]


def test_query_without_build(tmp_path):
    result = run("query", "Cyberport", "--out", tmp_path)
    assert result.exit_code == 1 and "no build here" in result.output


def test_query_never_imports_spacy_or_rdflib(built):
    probe = (
        "import sys\nfrom legco_kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'rdflib', 'pyvis') if m in sys.modules))"
    )
    for text in ("與數碼港一同提及的計劃", "who asked about 人工智能"):
        done = subprocess.run(
            [sys.executable, "-c", probe, "query", text, "--out", str(built), "--format", "table"],
            capture_output=True, text=True, check=True,
        )
        assert done.stdout.strip().splitlines()[-1] == "[]"


def _documented(marker: str) -> str:
    """The code block after ``<!-- marker -->`` in the README."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", (root / "README.md").read_text(encoding="utf-8"), re.S)
    assert found, f"no <!-- {marker} --> block in the README"
    return found.group(1)


def _examples():
    import re

    for line in _documented("query-examples").splitlines():
        found = re.match(r'legco-kg query (?:"(?P<quoted>[^"]+)"|(?P<bare>\S+))\s*(?:#\s*(?P<chinese>\S+))?', line)
        if found:
            chinese = found["chinese"] if found["chinese"] and re.search(r"[\u4e00-\u9fff]", found["chinese"]) else None
            yield found["quoted"] or found["bare"], chinese


@pytest.mark.parametrize("english, chinese", list(_examples()), ids=[e for e, _ in _examples()])
def test_readme_examples_answer_the_same_in_both_languages(built, english, chinese):
    found = answer(built, english, "--limit", "0")
    assert found["results"] or found.get("card")
    if chinese:
        assert answer(built, chinese, "--limit", "0")["results"] == found["results"]


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("与数码港一同提及的计划", "與數碼港一同提及的計劃"),
        ("谁问及人工智能", "誰問及人工智能"),
        ("关于数据中心的答复", "關於數據中心的答覆"),
        ("科技券按年度的款额", "科技券按年度的款額"),
        ("陈振英的问题", "陳振英的問題"),
        ("答复科技券的部门", "答覆科技券的部門"),
    ],
    ids=["comention", "asked", "about", "by-year", "questions", "bureaus"],
)
def test_simplified_input_answers_like_traditional(built, simplified, traditional):
    assert answer(built, simplified, "--limit", "0")["results"] == answer(built, traditional, "--limit", "0")["results"]


def test_simplified_input_does_not_load_opencc(built):
    probe = (
        "import sys\nfrom legco_kg.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('opencc' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "query", "与数码港及科学园一同提及的计划", "--out", str(built), "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(done.stdout[: done.stdout.rindex("\n", 0, -1)])["subjects"][1]["id"] == "hong-kong-science-park"
    assert done.stdout.strip().splitlines()[-1] == "False"
