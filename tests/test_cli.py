"""The command line: builds, exports, and one-line errors for bad input that write nothing."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from legco_kg.folder import OUTPUTS as FOLDER_OUTPUTS

from helpers import records, run

OUTPUTS = {"graph.ttl", "graph.html", "export.jsonl"}


def test_build_writes_the_three_outputs(built):
    assert OUTPUTS <= {p.name for p in built.iterdir()}
    assert not [p for p in built.iterdir() if p.name.endswith(".tmp")]


def test_jsonl_reply_record(built):
    replies = {r["reply"]: r for r in records(built, "reply")}
    assert len(replies) == 251
    first = replies["ITIB001"]
    assert {k: first[k] for k in ("question", "member", "member_ref", "head", "head_name", "subhead", "programmes", "controlling_officer")} == {
        "question": "3130", "member": "陳振英", "member_ref": "18", "head": "135",
        "head_name": "政府總部：創新科技及工業局", "subhead": "000", "programmes": ["(2)創新科技及工業"],
        "controlling_officer": "創新科技及工業局常任秘書長(麥德偉)",
    }
    assert replies["ITIB007"]["programmes"] == []


def test_mentions_and_amounts_point_at_their_text_in_the_original(built):
    from legco_kg.extractors.text import original_agrees
    from legco_kg.build import default_corpus

    documents = {p.stem: p.read_text(encoding="utf-8") for p in default_corpus()}
    mentions = records(built, "mention") + records(built, "amount")
    assert mentions and any(m["extractor"] == "ner" for m in mentions)
    for mention in mentions:
        original = documents[mention["document"]][mention["start"] : mention["end"]]
        assert original_agrees(original, mention["text"]), mention


def test_entities_have_ascii_ids_and_known_kinds(built):
    entities = records(built, "entity")
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)) and all(i.isascii() for i in ids)
    kinds = {e["kind"] for e in entities}
    assert {"member", "bureau", "programme", "officer"} <= kinds
    bureaus = {e["label_zh"]: e["label_en"] for e in entities if e["kind"] == "bureau"}
    assert bureaus["創新科技署"] == "Innovation and Technology Commission"


def test_export_prints_the_last_build(built):
    result = run("export", "--format", "jsonl", "--out", built)
    assert result.exit_code == 0
    assert result.output == (built / "export.jsonl").read_text(encoding="utf-8")


def test_export_unknown_format_lists_valid_ones(built):
    result = run("export", "--format", "xml", "--out", built)
    assert result.exit_code != 0
    assert "unknown format 'xml'" in result.output and "jsonl" in result.output


def test_export_without_build(tmp_path):
    result = run("export", "--out", tmp_path)
    assert result.exit_code != 0 and "run 'legco-kg build" in result.output


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "empty file"),
        (b"   \n\n ", "empty file"),
        (bytes(range(256)) * 20, "binary file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file"),
    ],
    ids=["empty", "blank", "binary", "png"],
)
def test_bad_input_fails_with_one_line_and_writes_nothing(tmp_path, content, problem):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out"
    result = run("build", bad, "--out", out, "--quiet")
    assert result.exit_code == 1
    message = result.output.strip()
    assert "\n" not in message and "bad.txt" in message and problem in message
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.iterdir())


def test_undecodable_file(tmp_path):
    bad = tmp_path / "garbage.txt"
    bad.write_bytes(bytes([0xFF, 0xFE, 0xFD]) * 10 + "創新".encode("utf-16-le")[:-1] * 3 + bytes(range(0x80, 0x100)))
    result = run("build", bad, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1 and "garbage.txt" in result.output


def test_failed_build_keeps_the_last_good_outputs(tmp_path, excerpt_path):
    out = tmp_path / "out"
    assert run("build", excerpt_path, "--out", out, "--quiet").exit_code == 0
    def contents():  # the build readers see, through the links users see
        build = (out / "current").resolve()
        return {p.relative_to(build): p.read_bytes() for p in sorted(build.rglob("*")) if p.is_file()}

    before = contents()
    assert Path("store") in {p.parent for p in before}  # the SPARQL store is an output too
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    assert run("build", tmp_path / "binary.txt", "--out", out, "--quiet").exit_code == 1
    assert contents() == before


def test_keep_going_skips_bad_files(tmp_path, excerpt_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = run("build", excerpt_path, tmp_path / "empty.txt", "--out", out, "--keep-going")
    assert result.exit_code == 0
    assert "skipped" in result.output and "empty.txt" in result.output
    assert len(records(out, "reply")) == 2


@pytest.mark.parametrize("encoding", ["big5hkscs", "gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_parse(tmp_path, excerpt_path, encoding):
    text = excerpt_path.read_text(encoding="utf-8")
    if encoding == "gb18030":
        text = text.replace("︰", "：")  # not in every legacy code page; the parse is what is tested
    copy = tmp_path / f"excerpt-{encoding}.txt"
    copy.write_bytes(text.encode(encoding))
    out = tmp_path / "out"
    result = run("build", copy, "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    replies = records(out, "reply")
    assert [(r["reply"], r["member"]) for r in replies] == [("ITIB005", "陳月明"), ("ITIB006", "陳勇")]


def test_truncated_reply_is_an_error(tmp_path, excerpt_path):
    text = excerpt_path.read_text(encoding="utf-8")
    cut = text[: text.rindex("答 覆 ：")]  # the last reply loses its answer and end marker
    truncated = tmp_path / "truncated.txt"
    truncated.write_text(cut, encoding="utf-8")
    result = run("build", truncated, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert "truncated.txt" in result.output and "truncated reply (question 0740)" in result.output


def test_missing_path(tmp_path):
    result = run("build", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "nope.txt: no such file or folder" in result.output


@pytest.mark.parametrize("good", [True, False], ids=["built", "bad-input"])
def test_the_program_ends_as_a_build_does(tmp_path, excerpt_path, good):
    """A finished build ends the process without freeing its heap: what it printed still comes
    out, its outputs are whole and a failure is still one line with exit code 1."""
    source = excerpt_path if good else tmp_path / "empty.txt"
    source.touch()
    done = subprocess.run([sys.executable, "-m", "legco_kg", "build", str(source), "--out", str(tmp_path / "out"), "--jobs", "1"],
                          capture_output=True, text=True)
    if not good:
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and "empty.txt" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith(f"→ {tmp_path / 'out'}") and "built 1 documents" in done.stderr
    assert done.stdout == "" and run("stats", "--out", tmp_path / "out").exit_code == 0
    assert all((tmp_path / "out" / name).stat().st_size > 0 for name in FOLDER_OUTPUTS.values())


def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path, built):
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "legco_kg.cli", "build", "--quiet", "--out", str(out)], check=True, env=env)
    for name in FOLDER_OUTPUTS.values():  # every file of the build, not a sample
        assert (out / name).read_bytes() == (built / name).read_bytes(), name
    # The SPARQL store is a database, not a byte stream: the same quads, in any order.
    from legco_kg.graph.read.sparql import open_store

    def quads(folder):
        return sorted(str(q) for q in open_store(folder))

    assert quads(out) == quads(built)
