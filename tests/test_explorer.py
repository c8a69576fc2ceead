"""The explorer page without a browser: its data block, its determinism, the html command's errors."""
import re

import pytest

from legco_kg.exports.html import DATA_ID, read_data, render, script_json
from legco_kg.graph.kg import Entity, KnowledgeGraph

from helpers import one_line, run


def graph_of(*names):
    entities = {f"zh-{i}": Entity(f"zh-{i}", "scheme", name, None) for i, name in enumerate(names)}
    return KnowledgeGraph([], entities)


@pytest.mark.parametrize("name", [
    "</script><script>alert(1)</script>計劃",
    "<!--註釋-->基金",
    "/*{{data}}*/",
    "/*{{vis_css}}*/科技券",
    "「引號」與\\反斜線\"",
], ids=["script-end", "html-comment", "data-placeholder", "css-placeholder", "quotes-backslash"])
def test_a_name_travels_in_the_data_block_unchanged(tmp_path, name):
    page = render(graph_of(name, "數碼港"))
    text = page.decode("utf-8")
    block = re.search(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', text, re.S).group(1)
    assert "<" not in block and ">" not in block  # nothing in it can close or open an element
    assert text.count('id="legco-data"') == 1
    path = tmp_path / "page.html"
    path.write_bytes(page)
    assert sorted(node["zh"] for node in read_data(path)["nodes"]) == sorted([name, "數碼港"])


def test_script_json_escapes_markup():
    assert script_json(["</script>", "<!--", "a&b"]) == '["\\u003c/script\\u003e","\\u003c!--","a\\u0026b"]'


@pytest.mark.parametrize("names", [(), ("科技券",), ("科技券", "數碼港")], ids=["empty", "one", "two-unlinked"])
def test_small_graphs_render(tmp_path, names):
    path = tmp_path / "page.html"
    path.write_bytes(render(graph_of(*names)))
    assert len(read_data(path)["nodes"]) == len(names)


def test_page_is_deterministic():
    assert render(graph_of("創新及科技基金", "數碼港", "科技券")) == render(graph_of("創新及科技基金", "數碼港", "科技券"))


@pytest.mark.parametrize("entity, messages", [
    ("完全不存在的名稱", ["no entity named '完全不存在的名稱'"]),
    ("創新科技及工業局常任秘書長", ["(officer,", "is not in the explorer, which shows: scheme, institution"]),
], ids=["unknown", "officer-not-drawn"])
def test_html_command_fails_in_one_line(built, tmp_path, entity, messages):
    result = run("html", entity, "--build", built, "--out", tmp_path / "x.html")
    assert result.exit_code == 1
    assert all(m in one_line(result) for m in messages)
    assert not (tmp_path / "x.html").exists()


def test_html_command_names_a_page_without_explorer_data(built, tmp_path):
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    (copy / "graph.html").write_text("<html>an old page</html>", encoding="utf-8")
    result = run("html", "Cyberport", "--build", copy)
    assert result.exit_code == 1
    assert "graph.html: no explorer data" in result.output


def test_html_command_writes_the_neighbourhood(built, tmp_path):
    target = tmp_path / "itf.html"
    result = run("html", "ITF", "--depth", "1", "--build", built, "--out", target)
    assert result.exit_code == 0, result.output
    data = read_data(target)
    assert f"{len(data['nodes'])} entities, {len(data['edges']['rows'])} links → {target}" in result.output
    assert data["focus"] == "innovation-and-technology-fund"
    centre = next(n for n in data["nodes"] if n["id"] == data["focus"])
    assert (centre["x"], centre["y"]) == (0, 0)
    linked = {data["nodes"][row[0]]["id"] for row in data["edges"]["rows"]} | {data["nodes"][row[1]]["id"] for row in data["edges"]["rows"]}
    assert {n["id"] for n in data["nodes"]} == linked  # every node is one link from the focus
