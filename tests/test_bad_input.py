"""Bad input of every shape: one line naming the file, exit 1, or a single warning and a skip
under --keep-going; never a traceback."""
import decimal
import os
from pathlib import Path

import pytest

import legco_kg.extractors as extractors
from legco_kg.folder import BuildFolder

from helpers import one_line, run

INDEX_HEADER = "答覆編號 問題編號 議員姓名 總目 綱領\n"
INDEX_ROWS = "ABCD001 0101 王小明 155 (1) 科技發展\nABCD002 0102 李大文 155 (2) 數碼經濟\n"
ASKED = "(問題編號：0101)\n總目：(155) 創新科技署\n問題：\n請告知創科基金的開支。\n提問人：王小明議員\n"


@pytest.mark.parametrize(
    "text, missing",
    [
        (INDEX_HEADER, "question numbers (問題編號), askers (提問人), answers (答覆)"),
        (INDEX_HEADER + INDEX_ROWS, "question numbers (問題編號), askers (提問人), answers (答覆)"),
        (INDEX_ROWS, "question numbers (問題編號), askers (提問人), answers (答覆)"),
        (INDEX_HEADER + INDEX_ROWS + ASKED, "answers (答覆)"),
    ],
    ids=["header only", "header and rows", "rows without header", "question but no answer"],
)
def test_estimates_cut_inside_its_index_table_is_an_error(tmp_path, text, missing):
    cut = tmp_path / "cut.txt"
    cut.write_text(text, encoding="utf-8")
    result = run("build", cut, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert one_line(result) == (
        f"Error: cut.txt: opens with an estimates index table but has no {missing}: cut inside its index table?"
    )


def test_a_paper_that_mentions_reply_numbers_is_still_a_paper(tmp_path):
    paper = tmp_path / "paper.txt"
    paper.write_text("創新科技的發展\n答覆編號ABCD001提及創科基金。政府會繼續支持數碼港。\n", encoding="utf-8")
    result = run("build", paper, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output


def _loop(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    return tmp_path / "loop.txt", "cannot read: Too many levels of symbolic links"


def _missing(tmp_path):
    return tmp_path / "missing.txt", "no such file or folder"


def _unreadable(tmp_path, monkeypatch=None):
    path = tmp_path / "secret.txt"
    path.write_text("機密", encoding="utf-8")
    path.chmod(0)
    return path, "cannot read: Permission denied"


def _fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    return tmp_path / "pipe.txt", "not a regular file"


BAD_PATHS = [_loop, _missing, _unreadable, _fifo]
BAD_IDS = ["symlink loop", "missing", "unreadable", "fifo"]


@pytest.fixture
def unreadable_for_root(monkeypatch):
    """Root reads a file whatever its mode: make a mode-0 file fail to read (and make click's
    os.access check say so too, as it does for other users) so both code paths are exercised."""
    if os.geteuid() != 0:
        return
    read_bytes = Path.read_bytes

    def guarded(self):
        if self.exists() and not self.stat().st_mode & 0o444:
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path).name == "secret.txt" else access(path, mode, **kw))


@pytest.mark.parametrize("make", BAD_PATHS, ids=BAD_IDS)
def test_a_bad_path_named_on_the_command_line_is_one_line(tmp_path, make, unreadable_for_root):
    path, problem = make(tmp_path)
    result = run("build", path, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert one_line(result) == f"Error: {path}: {problem}"


@pytest.mark.parametrize("make", BAD_PATHS, ids=BAD_IDS)
def test_keep_going_skips_a_bad_path_with_one_warning(tmp_path, excerpt_path, make, unreadable_for_root):
    path, problem = make(tmp_path)
    out = tmp_path / "out"
    result = run("build", excerpt_path, path, "--out", out, "--keep-going")
    assert result.exit_code == 0, result.output
    warning = f"warning: skipped {path}: {problem}"
    assert result.output.count(warning) == 1
    assert result.output.count(str(path)) == 1  # named once, not once per stage
    assert BuildFolder(out).exists()


def test_two_files_with_one_document_id_are_both_named(tmp_path, excerpt_path):
    for folder in ("甲", "乙"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "同名.txt").write_bytes(excerpt_path.read_bytes())
    first, second = tmp_path / "乙" / "同名.txt", tmp_path / "甲" / "同名.txt"
    result = run("build", tmp_path / "乙", tmp_path / "甲", "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert str(first) in one_line(result) and str(second) in one_line(result)
    assert "rename one of the two files" in result.output


def _boom(doc):
    raise decimal.InvalidOperation([decimal.InvalidOperation])


@pytest.mark.parametrize("stage", ["gazetteer", "amounts"], ids=["a mention extractor", "the amount extractor"])
def test_an_extractor_that_raises_names_the_file(tmp_path, excerpt_path, monkeypatch, stage):
    if stage == "amounts":
        monkeypatch.setattr("legco_kg.extractors.amounts.amounts", _boom)
    else:
        monkeypatch.setitem(extractors.EXTRACTORS, stage, _boom)
    out = tmp_path / "out"
    result = run("build", excerpt_path, "--out", out, "--quiet")
    assert result.exit_code == 1
    assert one_line(result).startswith(f"Error: {excerpt_path.name}: the {stage} extractor failed: InvalidOperation")
    assert not out.exists()

    result = run("build", excerpt_path, "--out", out, "--keep-going")
    assert result.exit_code == 0, result.output
    assert result.output.count(f"the {stage} extractor failed") == 1
    assert f"its {stage} facts are left out" in result.output
    assert BuildFolder(out).exists()


def test_a_parser_that_raises_names_the_file(tmp_path, excerpt_path, monkeypatch):
    def broken(path, data=None):
        raise IndexError("list index out of range")

    monkeypatch.setattr("legco_kg.extractors.parse.parse_document", broken)
    result = run("build", excerpt_path, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert one_line(result) == f"Error: {excerpt_path}: cannot parse: IndexError: list index out of range"


def test_an_unexpected_error_is_one_line_naming_its_type(tmp_path, excerpt_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division\n  by zero")  # a message of several lines is still one

    monkeypatch.setattr("legco_kg.graph.kg.build_graph", broken)
    result = run("build", excerpt_path, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert one_line(result).startswith("Error: unexpected ZeroDivisionError: division by zero (a bug")


def test_a_symlink_loop_inside_a_folder_is_reported_not_dropped(tmp_path, excerpt_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "答覆.txt").write_bytes(excerpt_path.read_bytes())
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    result = run("build", corpus, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert one_line(result) == f"Error: {corpus / 'loop.txt'}: cannot read: Too many levels of symbolic links"
    result = run("build", corpus, "--out", tmp_path / "out", "--keep-going")
    assert result.exit_code == 0 and result.output.count("loop.txt") == 1
