"""Curated entities: the candidates report, per-reply short forms, user gazetteers, linear cost."""
import time
from pathlib import Path

import pytest

from legco_kg.extractors.names import abbreviation_mentions
from legco_kg.extractors.papers import parse_paper
from legco_kg.extractors.reading import SourceText


def paper(text: str):
    return parse_paper(SourceText(Path("case.txt"), text, "utf-8"))


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
    import json

    from click.testing import CliRunner

    from legco_kg.cli import main

    source = tmp_path / "note.txt"
    source.write_text("海港機械人實驗所(港機所)與數碼港公司合作；港機所明年擴展。\n", encoding="utf-8")
    gazetteer = write_lines(tmp_path / "mine.jsonl", *USER_ENTITIES)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out), "--quiet", "--without", "ner", "--gazetteer", str(gazetteer)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "export.jsonl").read_text(encoding="utf-8").splitlines()]
    mentioned = [(r["text"], r["entity"]) for r in records if r["record"] == "mention"]
    assert mentioned == [("海港機械人實驗所", "harbour-robotics-lab"), ("港機所", "harbour-robotics-lab"),
                         ("數碼港公司", "cyberport"), ("港機所", "harbour-robotics-lab")]
    # Without the file, the same text names neither.
    plain = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "plain"), "--quiet", "--without", "ner"])
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
    from click.testing import CliRunner

    from legco_kg.cli import main

    source = tmp_path / "note.txt"
    source.write_text("數碼港的計劃。\n", encoding="utf-8")
    gazetteer = write_lines(tmp_path / "bad.jsonl", line)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "out"), "--quiet", "--gazetteer", str(gazetteer)])
    assert result.exit_code == 1
    assert f"bad.jsonl: {problem}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
