"""The entity graph the explorer draws: entities only, edges weighted and evidenced by replies."""
import pytest

from legco_kg.build import assemble
from legco_kg.extractors.parse import parse_document
from legco_kg.graph.entity_graph import KINDS, entity_graph, ranked, remove_overlaps

PAPER = (
    "數碼港與香港科技園公司今年合辦三場創業講座。\n"
    "創新及科技基金另向十個項目撥款。\n"
    "香港生產力促進局與數碼港亦會交流經驗。\n"
)


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "briefing.txt"
    path.write_text(PAPER, encoding="utf-8")
    kg = assemble([parse_document(path)])
    return path, kg, entity_graph(kg)


@pytest.fixture(scope="module")
def replies(excerpt_path):
    return entity_graph(assemble([parse_document(excerpt_path)]))


def _id(graph, label):
    return next(n for n, zh in graph.nodes(data="label_zh") if zh == label)


@pytest.mark.parametrize("a, b, linked", [
    ("數碼港", "香港科技園公司", True),
    ("數碼港", "香港生產力促進局", True),
    ("數碼港", "創新及科技基金", False),  # a paper links names in one sentence, not the whole paper
    ("香港科技園公司", "香港生產力促進局", False),
], ids=["same-sentence", "later-sentence", "other-sentence", "never-together"])
def test_paper_links_names_in_one_sentence(paper, a, b, linked):
    _, _, graph = paper
    assert graph.has_edge(_id(graph, a), _id(graph, b)) is linked


def test_edge_evidence_is_the_sentence_naming_both_with_source_offsets(paper):
    path, _, graph = paper
    edge = graph.edges[_id(graph, "數碼港"), _id(graph, "香港科技園公司")]
    assert edge["relations"] == ["co-mentioned"] and edge["weight"] == 1
    [sentence] = edge["evidence"]
    assert sentence.text == "數碼港與香港科技園公司今年合辦三場創業講座。"
    assert path.read_text(encoding="utf-8")[sentence.start:sentence.end] == sentence.text


def test_replies_documents_and_sentences_are_evidence_not_nodes(replies):
    assert {kind for _, kind in replies.nodes(data="kind")} <= set(KINDS)
    assert not any(str(n).startswith(("reply:", "doc:", "amount:")) for n in replies)


@pytest.mark.parametrize("a, b, relation", [
    ("陳月明", "北部都會區", "asked about"),
    ("北部都會區", "創新科技及工業局", "replied by"),
    ("programme", "創新科技及工業局", "under"),
    ("北部都會區", "河套香港園區", "co-mentioned"),
], ids=["member-asked", "bureau-replied", "programme-under-head", "same-reply"])
def test_reply_relations(replies, a, b, relation):
    by_label = {zh: n for n, zh in replies.nodes(data="label_zh")}
    by_label["programme"] = next(n for n, kind in replies.nodes(data="kind") if kind == "programme")
    assert relation in replies.edges[by_label[a], by_label[b]]["relations"]


def test_weight_counts_replies_and_ranking_puts_the_busiest_first(replies):
    for _, _, data in replies.edges(data=True):
        assert data["weight"] == max(1, len(data["places"]))
    order = ranked(replies)
    weights = [replies.nodes[n]["weight"] for n in order]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize("count", [1, 12, 60], ids=["one", "a-dozen", "sixty"])
def test_labels_moved_apart_never_overlap(count):
    positions = {f"n{i}": (float(i % 3), float(i % 2)) for i in range(count)}  # crowded on purpose
    boxes = {node: (60.0 + 7 * (i % 4), 30.0, 8.0) for i, node in enumerate(positions)}
    placed = remove_overlaps(positions, boxes, sorted(positions))
    rects = [(placed[n][0] - boxes[n][0] / 2, placed[n][1] - boxes[n][2], boxes[n][0], boxes[n][1]) for n in sorted(positions)]
    for i, (x1, y1, w1, h1) in enumerate(rects):
        for x2, y2, w2, h2 in rects[i + 1:]:
            assert x1 + w1 <= x2 + 1e-6 or x2 + w2 <= x1 + 1e-6 or y1 + h1 <= y2 + 1e-6 or y2 + h2 <= y1 + 1e-6
    assert remove_overlaps(positions, boxes, sorted(positions)) == placed  # deterministic


def test_a_members_evidence_is_what_they_asked_with_source_offsets(excerpt_path, replies):
    original = excerpt_path.read_text(encoding="utf-8")
    member = next(n for n, kind in replies.nodes(data="kind") if kind == "member")
    for sentence in replies.nodes[member]["evidence"]:
        assert sentence.place.reply is not None
        assert len(sentence.text) > len(replies.nodes[member]["label_zh"])  # a sentence, not the name
        assert "".join(original[sentence.start:sentence.end].split()) == sentence.text


def test_every_evidence_sentence_is_the_original_text_at_its_offsets(excerpt_path, replies):
    from legco_kg.extractors.reading import read_source
    from legco_kg.extractors.text import original_agrees

    original = read_source(excerpt_path).text
    sentences = {s for _, data in replies.nodes(data=True) for s in data["evidence"]}
    sentences |= {s for *_, data in replies.edges(data=True) for s in data["evidence"]}
    assert len(sentences) > 10
    assert [s for s in sentences if not original_agrees(original[s.start:s.end], s.text)] == []
