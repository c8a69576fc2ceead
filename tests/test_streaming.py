"""Outputs written in pieces: the RDF writers sort in bounded runs, the store loads in pieces,
and neither changes a byte or a triple of what a user gets."""
import json

import pytest

from legco_kg.exports import jsonld, runs, turtle


@pytest.fixture(scope="module")
def excerpt_graph(excerpt_path):
    from legco_kg.build import assemble
    from legco_kg.extractors.parse import parse_document

    return assemble([parse_document(excerpt_path)])


@pytest.mark.parametrize("writer", [turtle, jsonld], ids=["turtle", "jsonld"])
def test_a_graph_sorted_in_runs_on_disk_is_written_byte_for_byte_as_one_sorted_in_memory(
        writer, excerpt_graph, monkeypatch):
    whole = b"".join(writer.render(excerpt_graph))
    monkeypatch.setattr(runs, "RUN_SIZE", 7)  # hundreds of runs, merged from temporary files
    assert b"".join(writer.render(excerpt_graph)) == whole


@pytest.mark.parametrize("run_size", [None, 7], ids=["one-run", "runs-on-disk"])
def test_the_build_writes_turtle_and_jsonld_from_one_sort_as_each_writer_alone(excerpt_graph, tmp_path, monkeypatch, run_size):
    from legco_kg.exports import rdf_files

    if run_size:
        monkeypatch.setattr(runs, "RUN_SIZE", run_size)
    rdf_files.write(excerpt_graph, tmp_path / "graph.ttl", tmp_path / "graph.jsonld")
    assert (tmp_path / "graph.ttl").read_bytes() == b"".join(turtle.render(excerpt_graph))
    assert (tmp_path / "graph.jsonld").read_bytes() == b"".join(jsonld.render(excerpt_graph))


@pytest.fixture(scope="module")
def two_documents(excerpt_path, tmp_path_factory):
    from legco_kg.build import assemble
    from legco_kg.extractors.parse import parse_document

    paper = tmp_path_factory.mktemp("paper") / "paper.txt"
    paper.write_text("「智慧園藝試驗計劃」由創新科技署推行，首年撥款3,000萬元，資助本地農場。\n", encoding="utf-8")
    return assemble([parse_document(excerpt_path), parse_document(paper)])


def test_every_triple_is_one_documents_own_or_no_documents(two_documents):
    """What lets a build copy an unchanged document's share of the RDF files: a document's own
    triples are all about subjects in its stretches, and no other triple is."""
    from legco_kg.graph import rdf

    inputs = rdf.document_inputs(two_documents)
    assert len(inputs) == 2

    def owner(subject: str) -> list[str]:
        return [doc_id for doc_id in inputs if any(
            subject == stretch or (stretch.endswith("/") and subject.startswith(stretch))
            for stretch in rdf.own_subjects(doc_id))]

    general = [rdf.plain(s) for s, _, _ in rdf.general_triples(two_documents)]
    assert general and not any(owner(s) for s in general)
    for doc_id, own in inputs.items():
        subjects = {s for s, _, _ in rdf.own_triples(own)}
        assert len(subjects) >= 5 and all(owner(s) == [doc_id] for s in subjects)


@pytest.mark.parametrize("kernel_copy", [True, False], ids=["copy_file_range", "copied-through-python"])
def test_shares_copied_from_the_last_files_are_the_bytes_written_anew(two_documents, tmp_path, monkeypatch, kernel_copy):
    import os

    from legco_kg.exports import rdf_files
    from legco_kg.graph import rdf

    if not kernel_copy:
        def refused(*args):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", refused)

    first, again = tmp_path / "first", tmp_path / "again"
    first.mkdir()
    again.mkdir()
    shares = rdf_files.write(two_documents, first / "graph.ttl", first / "graph.jsonld", code="v1")
    assert len(shares) == 2
    monkeypatch.setattr(rdf, "own_triples", lambda own: pytest.fail("a share was made again, not copied"))
    last = rdf_files.Last(first / "graph.ttl", first / "graph.jsonld", shares)
    assert rdf_files.write(two_documents, again / "graph.ttl", again / "graph.jsonld", last, code="v1") == shares
    for name in ("graph.ttl", "graph.jsonld"):
        assert (again / name).read_bytes() == (first / name).read_bytes()
    json.loads((again / "graph.jsonld").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "items, run_size, expected",
    [
        ([("b",), ("a",), ("b",), ("a",)], 100, [("a",), ("b",)]),
        ([("b",), ("a",), ("b",), ("a",)], 1, [("a",), ("b",)]),
        ([("x", "2"), ("x", "10"), ("w", "9")], 2, [("w", "9"), ("x", "10"), ("x", "2")]),
        ([], 3, []),
    ],
    ids=["in-memory", "one-item-runs", "string-order-across-runs", "nothing"],
)
def test_sorted_unique_sorts_and_drops_repeats_whatever_the_run_size(items, run_size, expected):
    assert list(runs.sorted_unique(items, run_size=run_size)) == expected


TEXT_WITH_BLANK_LINES = "第一段 .\n\nid:x a 混淆 .\n\n\n第三段"  # looks like a subject's end and start


def test_the_store_loaded_in_small_pieces_holds_every_triple(tmp_path):
    import pyoxigraph

    from legco_kg.folder import _load_store

    triples = [
        (f"https://example.org/s{i}", "https://example.org/p", ("段落" + TEXT_WITH_BLANK_LINES * (i % 3), "zh-Hant", None))
        for i in range(40)
    ] + [("https://example.org/s1", "https://example.org/q", f"https://example.org/o{i}") for i in range(30)]
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"".join(turtle.chunks(triples, {"ex": "https://example.org/"})))
    pieces = list(turtle.blocks(path, size=100))
    assert len(pieces) > 5
    assert all(piece.startswith(b"@prefix ex:") for piece in pieces)
    _load_store(tmp_path / "store", pieces, tmp_path)
    store = pyoxigraph.Store(str(tmp_path / "store"))
    assert len(store) == 70
    texts = {str(q.object.value) for q in store.quads_for_pattern(None, pyoxigraph.NamedNode("https://example.org/p"), None)}
    assert "段落" + TEXT_WITH_BLANK_LINES * 2 in texts


def test_graphml_written_in_pieces_reads_back_as_the_networkx_graph(excerpt_graph, tmp_path):
    from legco_kg.exports import graphml
    from legco_kg.graph.network import to_networkx

    path = tmp_path / "graph.graphml"
    path.write_bytes(b"".join(graphml.render(excerpt_graph)))
    back = graphml.load(path)
    graph = to_networkx(excerpt_graph)
    assert sorted(back.nodes) == sorted(graph.nodes)
    for node, data in graph.nodes(data=True):
        expected = {k: v for k, v in data.items() if v is not None}
        assert back.nodes[node] == expected, node
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    for source, target, key, data in graph.edges(keys=True, data=True):
        assert back.edges[source, target, key].get("count") == data.get("count")


@pytest.mark.parametrize("batch", [1, 3, 4096])
@pytest.mark.parametrize("run_size", [1, 2, 7, 100])
def test_runs_merged_batch_by_batch_give_every_distinct_item_once_in_order(monkeypatch, batch, run_size):
    import random

    monkeypatch.setattr(runs, "_BATCH", batch)
    draw = random.Random(run_size * 10_000 + batch)  # repeats, ties across runs, runs of unequal length
    items = [(draw.choice("abcde"), draw.choice(["", "x", "xy"]), draw.randrange(40)) for _ in range(700)]
    assert list(runs.sorted_unique(items, run_size=run_size)) == sorted(set(items))
