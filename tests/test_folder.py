"""The build folder: one atomic switch per build, a lock, and one-line errors before any work."""
import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from legco_kg import folder
from legco_kg.errors import OutputError
from legco_kg.folder import BUILDS, COMMIT_STEPS, CURRENT, OUTPUTS, STORE, BuildFolder

from helpers import run

ROOT = Path(__file__).resolve().parents[1]


def files_of(version: str) -> dict[str, bytes]:
    return {name: f"{version} {name}\n".encode() for name in OUTPUTS.values()}


def turtle_of(version: str) -> bytes:
    return f'<http://example.org/build> <http://example.org/version> "{version}" .\n'.encode()


def seen(root: Path) -> set[str]:
    """The versions a reader sees: every output and the store, through BuildFolder and
    through the links users open (DIR/graph.ttl…); one complete build gives one version."""
    import pyoxigraph

    build = BuildFolder(root)
    versions = {build.require(key).read_bytes().split()[0].decode() for key in OUTPUTS}
    for name in OUTPUTS.values():
        if (root / name).exists():
            versions.add((root / name).read_bytes().split()[0].decode())
    store = pyoxigraph.Store.read_only(str(build.require(STORE)))
    versions |= {solution["v"].value for solution in store.query("SELECT ?v { ?b ?p ?v }")}
    return versions


def leftovers(root: Path) -> list[str]:
    kept = {BuildFolder(root).current().root.name}
    stale = [p.name for p in (root / BUILDS).iterdir() if p.name not in kept]
    return sorted(stale + [p.name for p in root.iterdir() if p.name.endswith(".tmp")])


CRASH = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import legco_kg.folder as folder
    step, root, version = sys.argv[1:]
    folder._reached = lambda reached: os._exit(9) if reached == step else None
    files = {name: f"{version} {name}\\n".encode() for name in folder.OUTPUTS.values()}
    turtle = f'<http://example.org/build> <http://example.org/version> "{version}" .\\n'.encode()
    folder.BuildFolder(Path(root)).commit(files, turtle)
    """
)


@pytest.mark.parametrize("step", COMMIT_STEPS, ids=COMMIT_STEPS)
def test_a_kill_during_the_commit_shows_one_whole_build(tmp_path, step):
    root = tmp_path / "out"
    BuildFolder(root).commit(files_of("v1"), turtle_of("v1"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", CRASH, step, str(root), "v2"], env=env, capture_output=True)
    assert killed.returncode == 9, killed.stderr.decode()
    switched = COMMIT_STEPS.index(step) >= COMMIT_STEPS.index("switched")
    assert seen(root) == ({"v2"} if switched else {"v1"})
    # the next build cleans what the killed one left and keeps only the build before it
    BuildFolder(root).commit(files_of("v3"), turtle_of("v3"))
    assert seen(root) == {"v3"}
    assert len(list((root / BUILDS).iterdir())) == 2  # the new build and the previous one
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("step", COMMIT_STEPS[:COMMIT_STEPS.index("switched")], ids=str)
def test_a_failed_commit_keeps_the_last_build_and_leaves_nothing(tmp_path, monkeypatch, step):
    root = tmp_path / "out"
    BuildFolder(root).commit(files_of("v1"), turtle_of("v1"))

    def fail(reached):
        if reached == step:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folder, "_reached", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        BuildFolder(root).commit(files_of("v2"), turtle_of("v2"))
    assert seen(root) == {"v1"}
    assert leftovers(root) == []


def test_readers_pinned_to_a_build_keep_it_through_the_next_switch(tmp_path):
    root = tmp_path / "out"
    BuildFolder(root).commit(files_of("v1"), turtle_of("v1"))
    pinned = BuildFolder(root).current()
    BuildFolder(root).commit(files_of("v2"), turtle_of("v2"))
    assert pinned.require("index").read_bytes().startswith(b"v1")
    assert seen(root) == {"v2"}


def test_layout_links_every_output_through_current(tmp_path):
    root = tmp_path / "out"
    written = BuildFolder(root).commit(files_of("v1"), turtle_of("v1"))
    assert sorted(p.name for p in written) == sorted([*OUTPUTS.values(), STORE])
    for name in [*OUTPUTS.values(), STORE]:
        assert os.readlink(root / name) == f"{CURRENT}/{name}"
    assert os.readlink(root / CURRENT).startswith(f"{BUILDS}/")


def test_a_folder_of_the_older_flat_layout_is_read_then_converted(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    for name, data in files_of("v1").items():
        (root / name).write_bytes(data)
    (root / STORE).mkdir()
    (root / ".graph.ttl.abc.tmp").write_bytes(b"left by an interrupted build")
    assert BuildFolder(root).require("turtle").read_bytes().startswith(b"v1")
    BuildFolder(root).commit(files_of("v2"), turtle_of("v2"))
    assert seen(root) == {"v2"}
    assert all((root / name).is_symlink() for name in [*OUTPUTS.values(), STORE])
    assert leftovers(root) == []


HOLD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from legco_kg.folder import BuildFolder
    with BuildFolder(Path(sys.argv[1])).writing():
        print("locked", flush=True)
        sys.stdin.readline()
    """
)


def test_a_second_build_while_one_is_writing_fails_with_one_line(tmp_path, excerpt_path):
    root = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run("build", excerpt_path, "--out", root, "--quiet")
        assert result.exit_code == 1
        assert result.output.strip() == f"Error: another build is writing {root}; wait for it to finish"
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    assert run("build", excerpt_path, "--out", root, "--quiet").exit_code == 0
    assert BuildFolder(root).exists()


def _file(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path / "a-file"


def _under_a_file(tmp_path):
    return _file(tmp_path) / "out"


def _broken_link(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    return tmp_path / "link"


@pytest.mark.parametrize(
    "make_out, problem",
    [
        (_file, "not a folder (a file is in the way); choose another --out"),
        (_under_a_file, "cannot create the output folder: {tmp}/a-file is not a folder"),
        (_broken_link, "a broken symlink, not a folder; choose another --out"),
    ],
    ids=["a file", "parent is a file", "broken symlink"],
)
def test_an_unusable_output_folder_fails_before_the_work(tmp_path, make_out, problem):
    out = make_out(tmp_path)
    # the input does not exist: the output folder is checked first, so its error is the one shown
    result = run("build", tmp_path / "missing.txt", "--out", out, "--quiet")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {out}: {problem.format(tmp=tmp_path)}"


def test_an_empty_out_is_an_error(tmp_path, excerpt_path):
    result = run("build", excerpt_path, "--out", "", "--quiet")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --out: an empty path; give a folder or file name"
    assert not (Path.cwd() / BUILDS).exists()


def test_a_read_only_output_folder_fails_before_the_work(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    # root ignores permission bits, so the check the folder uses (os.access) answers as a
    # read-only mount would; a test below does the same with chmod when not root
    monkeypatch.setattr(folder.os, "access", lambda path, mode: False)
    monkeypatch.setattr(folder, "_read_only_mount", lambda path: True)
    result = run("build", tmp_path / "missing.txt", "--out", out, "--quiet")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {out}: the output folder is not writable (read-only file system)"
    assert list(out.iterdir()) == []


def test_an_output_folder_that_cannot_be_created_names_it(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = tmp_path / "new" / "out"
    result = run("build", tmp_path / "missing.txt", "--out", out, "--quiet")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {out}: cannot create the output folder: Read-only file system"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder whatever its mode (the test above uses os.access)")
def test_an_unwritable_parent_fails_before_the_work(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run("build", tmp_path / "missing.txt", "--out", parent / "out", "--quiet")
    finally:
        parent.chmod(0o755)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {parent / 'out'}: cannot create the output folder: Permission denied"


def test_a_failed_first_build_leaves_no_folder(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "new" / "out"
    result = run("build", tmp_path / "empty.txt", "--out", out, "--quiet")
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "name, safe",
    [("scheme-tvp", True), ("member_陳", False), ("../../escaped", False), ("a/b", False), ("a\\b", False),
     (".hidden", False), ("..", False), ("", False), ("x" * 201, False)],
    ids=["ascii id", "non-ascii", "parent dirs", "slash", "backslash", "hidden", "dot-dot", "empty", "too long"],
)
def test_page_names_come_only_from_safe_ids(tmp_path, name, safe):
    build = BuildFolder(tmp_path)
    if safe:
        assert build.page_path(name) == tmp_path / f"{name}.html"
    else:
        with pytest.raises(OutputError, match="not a safe file name"):
            build.page_path(name)


def test_cleaning_touches_only_names_legco_kg_makes(tmp_path):
    root = tmp_path / "shared"
    (root / BUILDS).mkdir(parents=True)
    mine = [root / BUILDS / "筆記.txt", root / ".notes.tmp", root / "scheme-x.html", root / BUILDS / "2025-plans"]
    for path in mine:
        path.write_text("使用者的檔案", encoding="utf-8")
    (root / BUILDS / "20260101T000000-abc123").mkdir()  # a build an interrupted run left
    BuildFolder(root).commit(files_of("v1"), turtle_of("v1"))
    assert all(path.read_text(encoding="utf-8") == "使用者的檔案" for path in mine)
    assert not (root / BUILDS / "20260101T000000-abc123").exists()


def test_two_builds_at_once_never_mix(tmp_path, excerpt_path):
    """Two real builds started together: each either builds or stops with the lock's one line,
    and the folder holds one complete build."""
    root = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "legco_kg", "build", str(excerpt_path), "--out", str(root), "--quiet"]
    builds = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(build.wait(timeout=300), build.stderr.read().strip()) for build in builds]
    assert all(outcome in ((0, ""), (1, f"Error: another build is writing {root}; wait for it to finish")) for outcome in outcomes), outcomes
    assert (0, "") in outcomes
    assert BuildFolder(root).exists()
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_the_folder_doctests_run():
    import doctest

    outcome = doctest.testmod(folder)
    assert outcome.attempted >= 1 and outcome.failed == 0
