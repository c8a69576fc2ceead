"""``legco-kg build --watch``: one process builds again after each change, as a fresh build would."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from legco_kg import cache
from legco_kg.build import build
from legco_kg.graph import entity_graph
from legco_kg.watch import changed, stamps, watch

from helpers import PAPER, outputs

MORE = "另撥款500萬元設立「智慧園藝數據平台」，由香港生產力促進局營運。\n"


def watched(corpus, out, changes, **options) -> list[str]:
    """The lines ``watch`` reports when each of ``changes`` is made after a build (the next
    poll finds it); it stops after the build following the last change."""
    lines: list[str] = []
    todo = list(changes)

    def report(line: str) -> None:
        lines.append(line)
        if todo:
            todo.pop(0)()

    watch([corpus], out, report=report, every=0.05, stop=lambda: len(lines) > len(changes), jobs=2, **options)
    return lines


def test_each_change_is_built_again_and_gives_what_a_fresh_build_gives(tmp_path, corpus):
    out = tmp_path / "out"
    paper = corpus / "paper.txt"
    lines = watched(corpus, out, [
        lambda: paper.write_text(PAPER + MORE, encoding="utf-8"),
        lambda: (corpus / "second.txt").write_text(MORE, encoding="utf-8"),
    ])
    assert lines[0].startswith("first build: built 2 documents")
    assert lines[1].startswith("changed paper.txt: built 2 documents")
    assert lines[2].startswith("changed second.txt: built 3 documents")
    build([corpus], tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert "智慧園藝數據平台" in (out / "export.jsonl").read_text(encoding="utf-8")


def test_a_failed_build_is_reported_the_last_good_one_kept_and_the_watch_goes_on(tmp_path, corpus):
    out = tmp_path / "out"
    bad = corpus / "bad.txt"
    kept = {}
    lines = watched(corpus, out, [
        lambda: (kept.update(outputs(out)), bad.write_bytes(b"\x00\xff\x00\xfe binary")),
        lambda: bad.unlink(),
    ])
    assert "changed bad.txt: build failed" in lines[1] and "keeps the last good build" in lines[1]
    assert "bad.txt" in lines[1].split("keeps the last good build")[1]  # the file and its problem
    assert "\n" not in lines[1]
    assert lines[2].startswith("changed bad.txt: built 2 documents")
    assert outputs(out) == kept


def test_a_changed_user_gazetteer_is_read_again(tmp_path, corpus):
    out = tmp_path / "out"
    gazetteer = tmp_path / "mine.jsonl"
    gazetteer.write_text("", encoding="utf-8")
    entry = {"id": "smart-horticulture", "kind": "scheme", "label_zh": "智慧園藝試驗計劃",
             "label_en": "Smart Horticulture Pilot Scheme"}
    watched(corpus, out, [lambda: gazetteer.write_text(json.dumps(entry) + "\n", encoding="utf-8")],
            gazetteers=[gazetteer])
    build([corpus], tmp_path / "fresh", cache=False, gazetteers=[gazetteer])
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert "Smart Horticulture Pilot Scheme" in (out / "export.jsonl").read_text(encoding="utf-8")


def test_a_process_that_has_loaded_the_extractors_extracts_a_changed_document_itself(tmp_path, corpus, monkeypatch):
    from legco_kg import extraction

    out = tmp_path / "out"
    build([corpus], out, jobs=2)
    extraction.preload()
    monkeypatch.setattr(extraction, "_extract_aside", lambda *args: pytest.fail("forked a process to load them again"))
    (corpus / "paper.txt").write_text(PAPER + MORE, encoding="utf-8")
    build([corpus], out, jobs=2)
    build([corpus], tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_changed_names_the_files_added_removed_or_changed(tmp_path):
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "b.txt").write_text("二", encoding="utf-8")
    before = stamps([tmp_path])
    (tmp_path / "a.txt").write_text("一二", encoding="utf-8")
    (tmp_path / "b.txt").unlink()
    (tmp_path / "c.txt").write_text("三", encoding="utf-8")
    assert changed(before, stamps([tmp_path])) == ["a.txt", "b.txt", "c.txt"]
    assert changed(before, before) == []


def test_an_entry_kept_in_memory_is_read_again_once_its_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_kept", None)
    cache.keep_in_memory()
    cache.write(tmp_path, "key", ["first"])
    assert cache.read(tmp_path, "key", list) == ["first"]
    with open(tmp_path / "key.pickle", "wb") as stream:  # another process's entry under that name
        import pickle

        pickle.dump(["second"], stream)
    assert cache.read(tmp_path, "key", list) == ["second"]
    assert cache.read(tmp_path, "key", dict) is None


def test_a_rebuild_that_leaves_the_layout_core_as_it_was_reads_it_back(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    build([corpus], out)
    laid_out = []
    real = entity_graph._core_layout
    monkeypatch.setattr(entity_graph, "_core_layout", lambda *args: laid_out.append(1) or real(*args))
    (corpus / "paper.txt").write_text(PAPER + "本署亦會檢討計劃成效。\n", encoding="utf-8")  # no new link
    build([corpus], out, jobs=1)
    assert laid_out == []
    (corpus / "paper.txt").write_text(PAPER + MORE, encoding="utf-8")  # a new entity and links: laid out anew
    build([corpus], out, jobs=1)
    assert laid_out == [1]
    assert len(list((out / "cache" / "layouts").iterdir())) == 1
    build([corpus], tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "kill"])
def test_the_command_stops_on_an_interrupt_with_its_last_build_in_place(tmp_path, corpus, how):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "legco_kg", "build", str(corpus), "--out", str(out), "--watch", "--every", "0.1", "--quiet"],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # as from a terminal, whatever this test runs under (a background job ignores SIGINT)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        first = process.stderr.readline()
        assert first.startswith(f"watching {corpus} every 0.1s")
        assert process.stderr.readline().startswith("first build: built 2 documents")
        time.sleep(0.3)
        process.send_signal(how)
        _, rest = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0
    assert rest.strip() == f"stopped watching; {out} holds the last good build"
    build([corpus], tmp_path / "fresh", cache=False)
    assert outputs(out) == outputs(tmp_path / "fresh")
