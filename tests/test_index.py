"""The query index (index.sqlite): deterministic bytes, its format check, provenance, text search."""
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from legco_kg.extractors.text import compact
from legco_kg.folder import INDEX_FORMAT, OUTPUTS
from legco_kg.graph.read.query import Index

from helpers import one_line, run

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(scope="module")
def excerpt_index(excerpt_path, tmp_path_factory):
    from legco_kg.build import assemble
    from legco_kg.exports.index import write
    from legco_kg.extractors.parse import parse_document

    out = tmp_path_factory.mktemp("excerpt-index")
    write(assemble([parse_document(excerpt_path)], skip=("ner",)), out / OUTPUTS["index"])
    return out


def test_two_builds_give_the_same_bytes(excerpt_path, tmp_path):
    """Each build in its own process, with a different hash seed: no set order can leak."""
    def build(seed: str) -> str:
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "legco_kg", "build", str(excerpt_path), "--out", str(out), "--quiet", "--without", "ner"],
            check=True, env=env, capture_output=True,
        )
        return hashlib.sha256((out / OUTPUTS["index"]).read_bytes()).hexdigest()

    assert build("1") == build("2")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda path: path.write_text('{"format": 1}', encoding="utf-8"), "not a SQLite database); rebuild with 'legco-kg build'"),
        (lambda path: _set_version(path, 1), f"index format 1, this legco-kg reads format {INDEX_FORMAT}; rebuild"),
        (lambda path: path.write_bytes(path.read_bytes()[:200]), "rebuild with 'legco-kg build'"),
    ],
    ids=["json-file", "old-format", "truncated"],
)
def test_a_bad_index_is_one_line_asking_for_a_rebuild(excerpt_index, tmp_path, damage, message):
    shutil.copy(excerpt_index / OUTPUTS["index"], tmp_path / OUTPUTS["index"])
    damage(tmp_path / OUTPUTS["index"])
    result = run("query", "who asked about 科技", "--out", tmp_path)
    assert result.exit_code == 1
    assert message in one_line(result)


def _set_version(path: Path, version: int) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()


def test_every_mention_points_at_its_source_text(excerpt_index, excerpt_path):
    original = excerpt_path.read_text(encoding="utf-8-sig")
    db = sqlite3.connect(excerpt_index / OUTPUTS["index"])
    rows = db.execute(
        "SELECT m.text, m.start, m.\"end\", s.text FROM mentions m LEFT JOIN sentences s ON s.id = m.sentence"
    ).fetchall()
    assert rows
    for text, start, end, sentence in rows:
        assert compact(original[start:end]) == compact(text)
        assert sentence is None or compact(text) in compact(sentence)


@pytest.mark.parametrize("term", ["科技", "科技券", "中小企", "TVP", "tvp", "資助金額"], ids=str)
def test_text_search_finds_every_sentence_containing_the_term(excerpt_index, term):
    index = Index.load(excerpt_index)
    found = [row["id"] for row in index.search(term)]
    expected = [
        row[0] for row in index.rows("SELECT id, text FROM sentences ORDER BY id")
        if term.casefold() in row[1].casefold()
    ]
    assert found == expected


def test_every_table_is_documented():
    db = sqlite3.connect(":memory:")
    from legco_kg.exports.index import SCHEMA

    db.executescript(SCHEMA)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE TABLE ''%'")]
    tables = [t for t in tables if not re.match(r"sentence_text_", t)]
    documented = README.read_text(encoding="utf-8")
    assert tables and [t for t in tables if f"`{t}`" not in documented] == []


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["發展計劃", "頭髮"], [("发", "發"), ("划", "劃"), ("头", "頭"), ("计", "計")]),
        (["頭髮頭髮", "發"], [("发", "髮"), ("头", "頭")]),
        (["數碼港 Cyberport"], [("码", "碼"), ("数", "數")]),
        (["人工智能"], []),
    ],
    ids=["more-frequent-wins", "counts-decide", "latin-ignored", "same-in-both"],
)
def test_simplified_forms(texts, expected):
    from legco_kg.exports.index import simplified_forms

    assert simplified_forms(texts) == sorted(expected)
