"""Small helpers the test files share: one of each, so every test means the same by it.

(Fixtures are in ``conftest.py``; these are plain functions, imported with ``from helpers import …``.)
"""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from legco_kg.cli import main


# A short paper naming a scheme, a bureau and an amount; with the excerpt it makes the two-document
# corpus of the rebuild tests (the ``corpus`` fixture of conftest.py).
PAPER = "「智慧園藝試驗計劃」由創新科技署推行，首年撥款3,000萬元，資助本地農場引入感測系統。\n"

def run(*args, env: dict | None = None) -> Result:
    """``legco-kg ARGS`` in a :class:`CliRunner` (paths may be given as :class:`Path`)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def ask(out: Path, *args, env: dict | None = None) -> Result:
    """``legco-kg ARGS --out OUT``: a command that reads the build in ``out``."""
    return run(*args, "--out", out, env=env)


def ask_json(out: Path, *args) -> dict | list:
    """The JSON that ``legco-kg ARGS --out OUT`` prints (give ``--format json``); it must succeed."""
    result = ask(out, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_line(result: Result) -> str:
    """The command's message, which must be one line and no traceback."""
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message, result.output
    return message


def records(out: Path, kind: str | None = None) -> list[dict]:
    """The records of the build's ``export.jsonl`` (those of ``kind`` only, if given)."""
    with open(out / "export.jsonl", encoding="utf-8") as lines:
        return [r for r in map(json.loads, lines) if kind is None or r["record"] == kind]


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file of the build in ``out`` (by name), as bytes."""
    from legco_kg.folder import OUTPUTS

    return {name: (out / name).read_bytes() for name in OUTPUTS.values()}


def paper(text: str, name: str = "case.txt"):
    """``text`` read as a paper (a :class:`~legco_kg.extractors.model.Document`), as if from ``name``."""
    from legco_kg.extractors.papers import parse_paper
    from legco_kg.extractors.reading import SourceText

    return parse_paper(SourceText(Path(name), text, "utf-8"))


def names_found(extractor, text: str) -> list[tuple[str, str]]:
    """(text, kind) of each mention ``extractor`` finds in ``text`` read as a paper."""
    return [(m.text, m.kind) for m in extractor(paper(text))]


def kg_of(doc):
    """The knowledge graph of one document from the rules and its amounts (no NER)."""
    from legco_kg.extractors import extract
    from legco_kg.extractors.amounts import amounts
    from legco_kg.graph.kg import build_graph

    return build_graph([doc], extract(doc, skip=["ner", "amounts"]), amounts=list(amounts(doc)))


def table_lines(text: str) -> list[tuple[str, set[int]]]:
    """Table lines as the cleaner leaves them; "|" marks where the original had a space."""
    result = []
    for line in text.split("\n"):
        clean, gaps = "", set()
        for char in line:
            if char == "|":
                gaps.add(len(clean))
            else:
                clean += char
        result.append((clean, gaps))
    return result
