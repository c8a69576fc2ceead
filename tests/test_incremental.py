"""Incremental and parallel builds give the same bytes as a full build on one process."""
import shutil

import pytest

from legco_kg import extraction
from legco_kg.build import build

from helpers import PAPER, outputs, run


def test_any_number_of_jobs_gives_the_same_build(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(extraction, "REPLIES_PER_UNIT", 1)  # several units even in a small corpus
    one = build([corpus], tmp_path / "one", jobs=1, cache=False)
    two = build([corpus], tmp_path / "two", jobs=2, cache=False)
    assert one.mentions == two.mentions > 0
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_a_rebuild_redoes_only_the_changed_document_and_matches_a_full_build(tmp_path, corpus):
    out = tmp_path / "out"
    build([corpus], out)
    messages = []
    (corpus / "paper.txt").write_text(PAPER + "另撥款500萬元設立「智慧園藝數據平台」。\n", encoding="utf-8")
    build([corpus], out, progress=messages.append)
    assert "extraction: 1 of 2 documents unchanged (cached)" in messages
    build([corpus], tmp_path / "full", cache=False)
    assert outputs(out) == outputs(tmp_path / "full")
    assert "智慧園藝數據平台" in (out / "export.jsonl").read_text(encoding="utf-8")


def test_a_rebuild_parses_only_the_changed_file(tmp_path, corpus, monkeypatch):
    from legco_kg.extractors import parse

    out = tmp_path / "out"
    build([corpus], out)
    parsed = []
    real = parse.parse_document
    monkeypatch.setattr(parse, "parse_document", lambda path, data=None: parsed.append(path.name) or real(path, data))
    (corpus / "paper.txt").write_text(PAPER + "另撥款500萬元設立「智慧園藝數據平台」。\n", encoding="utf-8")
    build([corpus], out)
    assert parsed == ["paper.txt"]
    build([corpus], out)
    assert parsed == ["paper.txt"]  # nothing changed: nothing parsed
    assert len(list((out / "cache" / "parsed").iterdir())) == 2  # the old paper's entry is pruned


def test_a_broken_cache_entry_is_parsed_and_extracted_again(tmp_path, corpus):
    out = tmp_path / "out"
    build([corpus], out)
    for entry in (out / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    messages = []
    build([corpus], out, progress=messages.append)
    assert not any("cached" in m for m in messages)
    build([corpus], tmp_path / "full", cache=False)
    assert outputs(out) == outputs(tmp_path / "full")


def test_another_ner_model_is_another_cache_key(tmp_path, monkeypatch):
    from legco_kg.extractors.ner import MODEL_DIR, MODEL_ENV

    shipped = extraction.fingerprint()
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    (copy / "meta.json").write_text((copy / "meta.json").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setenv(MODEL_ENV, str(copy))
    assert extraction.fingerprint() != shipped
    assert extraction.fingerprint(skip=["ner"]) == extraction.fingerprint(skip=["ner"])  # no NER, no model in the key


def test_what_keep_going_left_out_is_not_replayed_from_the_cache(tmp_path, corpus, monkeypatch):
    from legco_kg import extractors
    from legco_kg.errors import InputError

    def broken(doc):
        raise ZeroDivisionError("a bug met by odd input")

    monkeypatch.setitem(extractors.EXTRACTORS, "amounts", broken)
    out = tmp_path / "out"
    build([corpus], out, keep_going=True)  # warns, leaves the amounts out
    with pytest.raises(InputError, match="the amounts extractor failed"):
        build([corpus], out)  # without --keep-going the same failure is an error, cache or not


@pytest.mark.parametrize("how", ["extracted aside", "aside process killed", "extractor fails", "extractor fails, keep going"])
def test_a_rebuild_extracts_the_changed_document_beside_reading_the_cache(tmp_path, corpus, monkeypatch, how):
    import os

    from legco_kg import extractors
    from legco_kg.errors import InputError

    out = tmp_path / "out"
    build([corpus], out, jobs=2)
    (corpus / "paper.txt").write_text(PAPER + "另撥款500萬元設立「智慧園藝數據平台」。\n", encoding="utf-8")
    monkeypatch.setattr(extraction, "_loaded", set())  # the rebuild of a new process, which has loaded no extractor
    forked = []
    real = extraction._extract_aside
    monkeypatch.setattr(extraction, "_extract_aside", lambda todo, *rest: forked.append(len(todo)) or real(todo, *rest))
    if how == "aside process killed":  # killed before a word: the build extracts the paper itself
        monkeypatch.setattr(extraction, "_extract_child", lambda *args: os._exit(9))
    elif how.startswith("extractor fails"):
        real_amounts = extractors.EXTRACTORS.get("amounts")

        def broken(doc):
            if doc.source.endswith("paper.txt"):
                raise ZeroDivisionError("a bug met by odd input")
            return real_amounts(doc)

        monkeypatch.setitem(extractors.EXTRACTORS, "amounts", broken)
        if how == "extractor fails":  # the build's own one-line error, not the forked process's
            with pytest.raises(InputError, match=r"paper\.txt: the amounts extractor failed: ZeroDivisionError"):
                build([corpus], out, jobs=2)
            assert forked == [1]
            return
    messages = []
    result = build([corpus], out, jobs=2, keep_going=how.endswith("keep going"), progress=messages.append)
    assert forked == [1] and "extraction: 1 of 2 documents unchanged (cached)" in messages
    if how.endswith("keep going"):
        assert any("paper.txt: the amounts extractor failed" in w for w in result.warnings)
        return
    monkeypatch.undo()
    build([corpus], tmp_path / "full", cache=False)
    assert outputs(out) == outputs(tmp_path / "full")


def test_a_rebuild_that_fails_while_extracting_aside_leaves_no_process_behind(tmp_path, corpus, monkeypatch):
    import multiprocessing

    from legco_kg import build as pipeline

    out = tmp_path / "out"
    build([corpus], out, jobs=2)
    (corpus / "paper.txt").write_text(PAPER + "另撥款500萬元設立「智慧園藝數據平台」。\n", encoding="utf-8")
    monkeypatch.setattr(extraction, "_loaded", set())  # the rebuild of a new process, which has loaded no extractor

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "import_renderers", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([corpus], out, jobs=2)
    assert multiprocessing.active_children() == []
    assert (out / "graph.ttl").is_file()  # the last build is still there


@pytest.mark.parametrize("failing", ["html", "graphml", "index"],
                         ids=["output-rendered-aside", "output-rendered-in-the-build", "output-written-in-a-thread"])
def test_an_output_that_fails_to_render_leaves_the_last_build_and_one_line(tmp_path, corpus, monkeypatch, failing):
    from legco_kg import build as pipeline
    from legco_kg import exports
    from legco_kg.errors import OutputError

    out = tmp_path / "out"
    build([corpus], out, jobs=2, cache=False)
    before = outputs(out)

    def broken(kg, *path):
        raise RuntimeError("renderer bug")

    if failing == "index":  # written in a thread when the corpus is too large to render aside
        monkeypatch.setattr(pipeline, "ASIDE_TEXT_LIMIT", 10)
    function = "write" if failing == "index" else "render"
    module = __import__(exports.get(failing).module, fromlist=[function])
    monkeypatch.setattr(module, function, broken)
    with pytest.raises(Exception, match="renderer bug") as raised:
        build([corpus], out, jobs=2, cache=False)
    assert "\n" not in str(raised.value)
    if failing == "html":
        assert isinstance(raised.value, OutputError)
    assert outputs(out) == before
    assert len(list((out / "builds").iterdir())) == 1


def test_a_killed_renderer_process_fails_the_build_in_one_line_and_keeps_the_last(tmp_path, corpus, monkeypatch):
    import os
    import signal

    from legco_kg.errors import OutputError
    from legco_kg.exports import html

    out = tmp_path / "out"
    build([corpus], out, jobs=2, cache=False)
    before = outputs(out)
    monkeypatch.setattr(html, "render", lambda kg: os.kill(os.getpid(), signal.SIGKILL))  # as the OOM killer would
    with pytest.raises(OutputError, match=r"stopped \(exit code -9\)"):
        build([corpus], out, jobs=2, cache=False)
    assert outputs(out) == before


def test_a_corpus_over_the_limit_renders_one_output_after_another(tmp_path, corpus, monkeypatch):
    from legco_kg import build as pipeline

    monkeypatch.setattr(pipeline, "ASIDE_TEXT_LIMIT", 10)  # characters: every corpus is over it

    def no_fork(*args):
        raise AssertionError("forked a renderer above the memory limit")

    monkeypatch.setattr(pipeline, "_fork_render", no_fork)
    serial = build([corpus], tmp_path / "serial", jobs=2, cache=False)
    assert serial.mentions > 0
    assert outputs(tmp_path / "serial") == outputs(build([corpus], tmp_path / "one", jobs=1, cache=False).out)


def _quads(out):
    import pyoxigraph

    return {str(quad) for quad in pyoxigraph.Store.read_only(str(out / "store"))}


def test_a_rebuild_makes_the_store_by_difference_holding_what_a_full_load_holds(tmp_path, corpus, monkeypatch):
    from legco_kg import store_delta

    monkeypatch.setattr(store_delta, "MOST_CHANGED", 1.0)  # this small corpus changes by more than a large one would
    out = tmp_path / "out"
    build([corpus], out)
    (corpus / "paper.txt").write_text(PAPER.replace("3,000萬元", "3,500萬元") + "另撥款500萬元設立「智慧園藝數據平台」。\n",
                                      encoding="utf-8")
    messages, skipped = [], []
    real = store_delta._blocks
    monkeypatch.setattr(store_delta, "_blocks", lambda path, skip=(): skipped.append(len(skip)) or real(path, skip))
    build([corpus], out, progress=messages.append)
    assert any(m.startswith("made the SPARQL store from the last build's") for m in messages)
    assert skipped and min(skipped) > 0  # the unchanged reply document's copied shares were not compared
    build([corpus], tmp_path / "full", cache=False)
    assert _quads(out) == _quads(tmp_path / "full")
    stated = "\n".join(_quads(out))
    assert "智慧園藝數據平台" in stated and "3,500萬元" in stated and "3,000萬元" not in stated


@pytest.mark.parametrize("spoil", ["marker of another format", "last turtle gone", "no-cache build between", "much changed"])
def test_a_store_that_cannot_be_diffed_is_loaded_whole(tmp_path, corpus, monkeypatch, spoil):
    import json

    from legco_kg import store_delta

    # the share of the Turtle that may change before the store is loaded whole instead
    monkeypatch.setattr(store_delta, "MOST_CHANGED", 0.0001 if spoil == "much changed" else 1.0)
    out = tmp_path / "out"
    build([corpus], out)
    if spoil == "marker of another format":
        marker = out / "cache" / "store.json"
        marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 0}))
    elif spoil == "last turtle gone":
        (out / "current" / "graph.ttl").unlink()
    elif spoil == "no-cache build between":
        build([corpus], out, cache=False)
    (corpus / "paper.txt").write_text(PAPER + "另撥款500萬元設立「智慧園藝數據平台」。\n", encoding="utf-8")
    messages = []
    build([corpus], out, progress=messages.append)
    assert "loaded the SPARQL store" in messages
    build([corpus], tmp_path / "full", cache=False)
    assert _quads(out) == _quads(tmp_path / "full")


@pytest.mark.parametrize("piece", [7, 100, 1 << 20])
def test_the_store_difference_reads_a_turtle_file_subject_by_subject_whatever_its_pieces(tmp_path, monkeypatch, piece):
    from legco_kg import store_delta
    from legco_kg.exports import turtle

    triples = [(f"https://example.org/s{i}", "https://example.org/p", (f"第{i}段\n\n下文", "zh-Hant", None)) for i in range(30)]
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"".join(turtle.chunks(triples, {"ex": "https://example.org/"})))
    monkeypatch.setattr(store_delta, "_PIECE", piece)
    header, blocks = store_delta._blocks(path)
    blocks = list(blocks)
    assert header == b"@prefix ex: <https://example.org/> ."
    assert len(blocks) == 30 and all(block.startswith(b"ex:s") and block.endswith(b" .") for block in blocks)
    # Left out: two stretches of whole blocks, as a build's copied shares are (see store_delta.copied).
    data = path.read_bytes()

    def stretch(first: str, last: str) -> tuple[int, int]:
        start = data.index(f"\nex:{first}\n".encode())
        end = data.index(b" .\n", data.index(f"\nex:{last}\n".encode())) + 3
        return start, end

    header, rest = store_delta._blocks(path, [stretch("s11", "s13"), stretch("s2", "s20")])
    names = sorted(block.split(b"\n", 1)[0].decode() for block in rest)
    kept = {f"ex:s{i}" for i in range(30)} - {"ex:s11", "ex:s12", "ex:s13", "ex:s2", "ex:s20"}
    assert header == b"@prefix ex: <https://example.org/> ." and names == sorted(kept)


def test_a_rebuild_of_an_unchanged_corpus_keeps_the_last_outputs(tmp_path, corpus):
    out = tmp_path / "out"
    build([corpus], out)
    before = outputs(out)
    last = (out / "current").resolve()
    messages = []
    result = build([corpus], out, progress=messages.append)
    assert "nothing changed since the last build: its outputs are kept" in messages
    assert outputs(out) == before and result.entities > 0
    assert (out / "current").resolve() != last  # a new build, whose files are the last one's
    assert (out / "graph.ttl").stat().st_ino == (last / "graph.ttl").stat().st_ino
    assert _quads(out) and run("query", "智慧園藝試驗計劃", "--out", out).exit_code == 0


@pytest.mark.parametrize("change", ["an extractor left out", "a user gazetteer", "no cache"])
def test_a_rebuild_with_other_inputs_renders_its_outputs(tmp_path, corpus, change):
    out = tmp_path / "out"
    build([corpus], out)
    messages = []
    if change == "an extractor left out":
        build([corpus], out, progress=messages.append, skip=["ner"])
    elif change == "a user gazetteer":
        gazetteer = tmp_path / "mine.jsonl"
        gazetteer.write_text('{"id": "smart-farming-trial", "kind": "scheme", "label_zh": "智慧園藝試驗計劃", '
                             '"label_en": "Smart Farming Trial Scheme"}\n', encoding="utf-8")
        build([corpus], out, progress=messages.append, gazetteers=[gazetteer])
        assert "Smart Farming Trial Scheme" in (out / "export.jsonl").read_text(encoding="utf-8")
    else:
        build([corpus], out, progress=messages.append, cache=False)
    assert "nothing changed since the last build: its outputs are kept" not in messages
    assert "committed the build" in messages


OTHER = "「漁農數碼化先導計劃」由漁農自然護理署推行，撥款1,200萬元，資助漁民使用電子記錄系統。\n"


def _triples_made_for(monkeypatch) -> list[str]:
    """The ids of the documents whose own triples a build makes (the others' are copied)."""
    from legco_kg.graph import rdf

    made = []
    real = rdf.own_triples
    monkeypatch.setattr(rdf, "own_triples", lambda own: made.append(own.doc[0]) or real(own))
    return made


@pytest.mark.parametrize("change", ["text before every offset", "a name resolved anew", "a paper removed", "a paper added"])
def test_a_rebuild_copies_the_unchanged_documents_rdf_and_matches_a_full_build(tmp_path, corpus, monkeypatch, change):
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    build([corpus], out)
    gazetteers = []
    expected = {"text before every offset": ["paper"], "a paper removed": [], "a paper added": ["third"]}.get(change)
    if change == "text before every offset":
        (corpus / "paper.txt").write_text("前言。\n" + PAPER, encoding="utf-8")
    elif change == "a paper removed":
        (corpus / "paper.txt").unlink()
    elif change == "a paper added":
        (corpus / "third.txt").write_text(PAPER.replace("智慧園藝試驗計劃", "智慧漁業試驗計劃"), encoding="utf-8")
    else:  # another id for a scheme one paper names: its triples change, and only its
        gazetteer = tmp_path / "mine.jsonl"
        gazetteer.write_text('{"id": "fisheries-digital-pilot", "kind": "scheme", "label_zh": "漁農數碼化先導計劃"}\n',
                             encoding="utf-8")
        gazetteers = [gazetteer]
        expected = ["other"]
    made = _triples_made_for(monkeypatch)
    build([corpus], out, gazetteers=gazetteers)
    assert made == expected
    monkeypatch.undo()
    build([corpus], tmp_path / "full", cache=False, gazetteers=gazetteers)
    assert outputs(out) == outputs(tmp_path / "full")
    if change == "a name resolved anew":
        assert "entity/fisheries-digital-pilot" in (out / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("spoil", ["offsets", "file"])
def test_rdf_files_that_are_not_what_their_record_says_are_written_anew(tmp_path, corpus, spoil):
    import json

    out = tmp_path / "out"
    build([corpus], out)
    if spoil == "offsets":  # the record shifted by a byte: no share begins or ends where it says
        marker = out / "cache" / "store.json"
        record = json.loads(marker.read_text())
        record["shares"] = {key: [[s, a + 1, b, c + 1, d] for s, a, b, c, d in found] for key, found in record["shares"].items()}
        marker.write_text(json.dumps(record))
    else:  # the last Turtle edited in place: a changed literal, the file's length kept
        last = out / "current" / "graph.ttl"
        data = last.read_bytes()
        assert "沙嶺".encode() in data  # the unchanged reply's text, in a share the next build would copy
        last.write_bytes(data.replace("沙嶺".encode(), "沙岭".encode()))
    (corpus / "paper.txt").write_text("前言。\n" + PAPER, encoding="utf-8")
    build([corpus], out)
    build([corpus], tmp_path / "full", cache=False)
    assert outputs(out) == outputs(tmp_path / "full")
