"""The build folder: one type that owns the layout of a build's output folder.

Layout of ``DIR`` (default ``./legco-kg-out``)::

    DIR/builds/<stamp>-<random>/   one complete build: the six files and store/
    DIR/current -> builds/<…>      the build readers see; switched by one atomic rename
    DIR/graph.ttl -> current/graph.ttl   (and every other output, store/ too) for users

Writers (``legco-kg build``) open the folder with :meth:`BuildFolder.writing`, which checks that
the folder can be written, takes an exclusive ``fcntl`` lock on it for the whole build (a second
build fails at once with "another build is writing DIR"), removes what an interrupted build left
behind, and stages the new build in a fresh folder under ``builds/``. :meth:`BuildWriter.commit`
writes and fsyncs every file and the store there, then replaces the ``current`` symlink with one
``rename`` — the only step that changes what readers see. The previous build stays until the next
build starts, so a reader that resolved ``current`` just before the switch can finish.

Readers (``query``, ``show``, ``stats``, ``sparql``, ``export``, ``html``, ``evaluate``) ask for
an output with :meth:`BuildFolder.require`, which resolves ``current`` once, or pin one build with
:meth:`BuildFolder.current` when they read several outputs. A folder written by an older
legco-kg (the outputs directly in ``DIR``) is still read, and converted by the next build.
File names are written in this module only.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import LegcoError, OutputError

# Every output of a build, by the name the code uses for it.
OUTPUTS: dict[str, str] = {
    "turtle": "graph.ttl",
    "jsonld": "graph.jsonld",
    "html": "graph.html",
    "jsonl": "export.jsonl",
    "graphml": "graph.graphml",
    "index": "index.sqlite",
}
CACHE = "cache"  # extraction results of earlier builds, by document content; safe to delete
STORE = "store"  # the pyoxigraph store `legco-kg sparql` queries, written beside graph.ttl
BUILDS = "builds"  # every build's own folder
CURRENT = "current"  # symlink to the build readers see
# The format version of index.sqlite (its PRAGMA user_version); a reader of another version asks
# for a rebuild. 1 was index.json.
INDEX_FORMAT = 2


class NoBuild(LegcoError):
    """The folder holds no (complete) build."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reached(step: str) -> None:
    """Called after each step of a commit; tests replace it to simulate a kill at that point."""


COMMIT_STEPS = ("files-written", "store-loaded", "synced", "link-staged", "switched", "links-updated")


def is_safe_name(name: str) -> bool:
    """Whether ``name`` can be a file name in a build folder: ASCII letters, digits, ``_.-``,
    not starting with a dot (no separators, no ``..``, nothing hidden).

    >>> is_safe_name("scheme-tvp"), is_safe_name("../../escaped"), is_safe_name("a/b"), is_safe_name(".x")
    (True, False, False, False)
    """
    return bool(name) and len(name) <= 200 and name[0] != "." and all(
        c.isascii() and (c.isalnum() or c in "_.-") for c in name
    )


@dataclass(frozen=True)
class BuildFolder:
    """The output folder of a build (default ``./legco-kg-out``)."""

    root: Path

    def current(self) -> "BuildFolder":
        """The folder of the build readers see now, resolved once (``current`` is switched by
        builds); a folder in the older flat layout, or one build's own folder, is itself."""
        link = self.root / CURRENT
        if link.is_symlink():
            return BuildFolder(self.root / os.readlink(link))
        return self

    def path(self, output: str) -> Path:
        """Where ``output`` (a key of :data:`OUTPUTS`, or ``"store"``) lives in this folder."""
        if output == STORE:
            return self.root / STORE
        try:
            return self.root / OUTPUTS[output]
        except KeyError:
            raise LegcoError(f"unknown output {output!r}; valid: {', '.join([*OUTPUTS, STORE])}") from None

    def require(self, output: str) -> Path:
        """The path of ``output`` in the current build, or a one-line error saying there is no build here."""
        path = self.current().path(output)
        present = path.is_dir() if output == STORE else path.is_file()
        if not present:
            raise NoBuild(f"{self.path(output)}: no build here; run 'legco-kg build --out {self.root}' first")
        return path

    def exists(self) -> bool:
        """Whether a build has been committed here."""
        build = self.current()
        return all(build.path(name).is_file() for name in OUTPUTS) and build.path(STORE).is_dir()

    def page_path(self, entity_id: str) -> Path:
        """Where ``legco-kg html`` writes the page of ``entity_id`` by default: ``DIR/<id>.html``,
        refused for an id that is not a safe file name (a planted ``../x`` must not escape)."""
        if not is_safe_name(entity_id):
            raise OutputError(f"{entity_id!r}: not a safe file name for a page; give the file with --out")
        return self.root / f"{entity_id}.html"

    @staticmethod
    def check_index_format(found: int | None, path: Path) -> None:
        """A one-line error unless ``found`` (the index's ``PRAGMA user_version``) is the format this
        version reads."""
        if found != INDEX_FORMAT:
            raise NoBuild(
                f"{path}: index format {found!r}, this legco-kg reads format {INDEX_FORMAT}; "
                "rebuild with 'legco-kg build'"
            )

    # --- writing ---------------------------------------------------------------------------

    @property
    def cache(self) -> Path:
        """Per-document extraction results kept between builds (:mod:`legco_kg.extraction`)."""
        return self.root / CACHE

    def writing(self) -> "BuildWriter":
        """Check, lock and clean this folder for a new build (before any work is done).

        Use as a context manager; the lock is held until it exits, and a build not committed by
        then is removed.  Raises :class:`OutputError` naming the folder when it cannot be written
        or another build holds it.
        """
        return BuildWriter(self)

    def commit(self, files: dict[str, bytes], turtle_for_store: bytes | None = None) -> list[Path]:
        """Lock the folder and commit ``files`` (file name → bytes) and a SPARQL store loaded from
        ``turtle_for_store`` as its new build; a failure leaves the previous build as it was."""
        with self.writing() as writer:
            return writer.commit(files, turtle_for_store)


@dataclass
class BuildWriter:
    """One build being written into a :class:`BuildFolder` under its lock."""

    folder: BuildFolder
    staging: Path | None = None
    committed: bool = False
    # Set by a build that uses the cache: the store is made from the last build's by difference
    # (see :mod:`legco_kg.store_delta`), and the last build's outputs are kept if their inputs
    # are this build's (see :attr:`outputs_key`).
    reuse_last_build: bool = False
    # The key of what this build's outputs are made from (:func:`legco_kg.build.outputs_key`;
    # empty: unknown): recorded at the commit, and if the last build's is the same, its outputs
    # are kept (:meth:`keep_last_outputs`).
    outputs_key: str = ""
    # Where the documents' shares lie in this build's Turtle and JSON-LD files
    # (:mod:`legco_kg.exports.rdf_files`): recorded at the commit, for the next build to copy.
    rdf_shares: dict | None = None
    _lock: int | None = None
    _created: list[Path] = field(default_factory=list)
    _written: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.folder.root

    def __enter__(self) -> "BuildWriter":
        self._make_root()
        try:
            self._take_lock()
            clean_stale(self.root)
            builds = self.root / BUILDS
            builds.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
            self.staging = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=builds))
            os.chmod(self.staging, 0o777 & ~_umask())
        except OSError as error:
            self._release()
            raise OutputError(f"{self.root}: cannot write the output folder: {_reason(error)}") from None
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._release()

    def _make_root(self) -> None:
        root = self.root
        if root.is_symlink() and not root.exists():
            raise OutputError(f"{root}: a broken symlink, not a folder; choose another --out")
        if root.exists() and not root.is_dir():
            raise OutputError(f"{root}: not a folder (a file is in the way); choose another --out")
        missing = []
        for folder in (root, *root.parents):
            if folder.is_dir():
                break
            if folder.exists() or folder.is_symlink():
                raise OutputError(f"{root}: cannot create the output folder: {folder} is not a folder")
            missing.append(folder)
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue  # made by someone else meanwhile
            except OSError as error:
                self._remove_created()
                raise OutputError(f"{root}: cannot create the output folder: {_reason(error)}") from None
            self._created.append(folder)
        if not os.access(root, os.W_OK | os.X_OK):
            self._remove_created()
            problem = "read-only file system" if _read_only_mount(root) else "permission denied"
            raise OutputError(f"{root}: the output folder is not writable ({problem})")

    def _take_lock(self) -> None:
        import fcntl

        self._lock = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            self._lock = None
            self._created = []  # the other build uses the folder now: never remove it under it
            raise OutputError(f"another build is writing {self.root}; wait for it to finish") from None

    def _release(self) -> None:
        if self.staging is not None and not self.committed:
            (self.root / _staged_link(self.staging)).unlink(missing_ok=True)
            shutil.rmtree(self.staging, ignore_errors=True)
            if self._created:
                try:
                    (self.root / BUILDS).rmdir()
                except OSError:
                    pass
        if not self.committed:
            self._remove_created()  # still under the lock, so no other build is using the folder
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _remove_created(self) -> None:
        """Remove the folders this build made, if they are still empty: a failed first build
        leaves nothing behind."""
        for folder in reversed(self._created):
            try:
                folder.rmdir()
            except OSError:
                break
        self._created = []

    def write(self, name: str, data: "bytes | Iterable[bytes]") -> None:
        """Write one output (its bytes, or its pieces as they are made) into the staged build
        now (fsync'd), so the build need not hold every output in memory until the commit;
        readers see it only after :meth:`commit`."""
        self.write_file(name, data)
        self._written.append(name)

    def write_with(self, names: "str | tuple[str, ...]", write: "Callable[..., None]") -> None:
        """Have ``write`` make the output ``names`` (one, or several made together, each a path
        argument) in place in the staged build, then fsync them; readers see them only after
        :meth:`commit`."""
        names = (names,) if isinstance(names, str) else names
        self.make_with(names, write)
        self._written.extend(names)

    def make_with(self, names: "str | tuple[str, ...]", write: "Callable[..., None]") -> None:
        """:meth:`write_with`, without counting the outputs (a thread writing beside the build
        makes them with this; the build then adopts them with :meth:`adopt`)."""
        names = (names,) if isinstance(names, str) else names

        def made(*paths: Path) -> None:
            write(*paths)
            for path in paths:
                with open(path, "rb") as stream:
                    os.fsync(stream.fileno())
                os.chmod(path, 0o666 & ~_umask())

        self._make(names, made)

    def write_file(self, name: str, data: "bytes | Iterable[bytes]") -> None:
        """Write one output into the staged build without recording it (a forked process
        rendering outputs aside writes with this; the build then adopts the file with :meth:`adopt`)."""
        self._make((name,), lambda path: _write_synced(path, data))

    def _make(self, names: tuple[str, ...], make: "Callable[..., None]") -> None:
        staging = self._staging("write")
        try:
            make(*(staging / name for name in names))
        except OSError as error:
            raise OutputError(f"{self.root}: cannot write outputs: {_reason(error)}") from None

    def _staging(self, doing: str) -> Path:
        """The staged build's folder, while this build holds it uncommitted."""
        if self.staging is None or self.committed:
            raise LegcoError(f"{self.root}: {doing} outside a locked build")
        return self.staging

    def load_store(self, turtle: str) -> str:
        """Make the SPARQL store of the staged build from its Turtle output ``turtle``: by
        difference from the last build's (with :attr:`reuse_last_build`), else loaded whole, in
        pieces (see :func:`~legco_kg.exports.turtle.blocks`); returns what was done, in words."""
        from legco_kg.exports.turtle import blocks

        staging = self._staging("store loaded")
        changed = self._store_by_difference(turtle) if self.reuse_last_build else None
        if changed is not None:
            _sync_store(staging / STORE)
            return f"made the SPARQL store from the last build's ({changed} subject blocks went or came)"
        _load_store(staging / STORE, blocks(staging / turtle), self.root)
        return "loaded the SPARQL store"

    def _store_by_difference(self, turtle: str) -> int | None:
        from legco_kg import store_delta

        last = store_delta.last_build(self.root, self.folder.cache, self.root / CURRENT)
        if last is None:
            return None
        made = self._staging("store made") / STORE
        try:
            same = store_delta.copied(store_delta.last_shares(self.folder.cache, last, (turtle,)), self.rdf_shares)
            return store_delta.update(last / turtle, last / STORE, made.parent / turtle, made, same)
        except Exception:  # noqa: BLE001 - whatever went wrong, loading the store whole is always right
            _remove(made)
            return None

    def last_rdf_files(self, turtle: str, jsonld: str):
        """The last build's Turtle and JSON-LD outputs (``turtle``, ``jsonld``) and where the
        documents' shares lie in them (an :class:`legco_kg.exports.rdf_files.Last`), if this
        build may copy from them (:attr:`reuse_last_build`); else None."""
        from legco_kg import store_delta
        from legco_kg.exports.rdf_files import Last

        if not self.reuse_last_build:
            return None
        last = store_delta.last_build(self.root, self.folder.cache, self.root / CURRENT)
        shares = store_delta.last_shares(self.folder.cache, last, (turtle, jsonld)) if last is not None else None
        return Last(last / turtle, last / jsonld, shares) if shares else None

    def keep_last_outputs(self) -> bool:
        """If the last build's outputs were made from the same inputs (:attr:`outputs_key`), put
        them in the staged build (hard links; its store by a checkpoint) and return True; else
        (or if anything fails, leaving the staged build as it was) False."""
        from legco_kg import store_delta

        if not (self.reuse_last_build and self.outputs_key):
            return False
        last = store_delta.last_build(self.root, self.folder.cache, self.root / CURRENT, self.outputs_key)
        staging = self._staging("outputs kept")
        names = list(OUTPUTS.values())
        if last is None or not all((last / name).is_file() for name in names) or not (last / STORE).is_dir():
            return False
        try:
            import pyoxigraph

            for name in names:
                os.link(last / name, staging / name)
            pyoxigraph.Store.read_only(str(last / STORE)).backup(str(staging / STORE))
            _sync_store(staging / STORE)
        except (OSError, ValueError):
            for name in [*names, STORE]:
                _remove(staging / name)
            return False
        self._written.extend(names)
        self.rdf_shares = store_delta.last_shares(self.folder.cache, last, names)  # the same files: the same shares
        return True

    def adopt(self, name: str) -> None:
        """Count ``name``, written into the staged build by another process, as an output."""
        if not (self._staging("adopt") / name).is_file():
            raise LegcoError(f"{self.root}: no staged output {name} to commit")
        self._written.append(name)

    def commit(self, files: dict[str, bytes] | None = None, turtle_for_store: bytes | None = None,
               store_from: str | None = None) -> list[Path]:
        """Write ``files`` and the store (loaded from ``turtle_for_store``, or from the output
        ``store_from`` already written) into the staged build, fsync them, then switch
        ``current`` to it with one rename; returns the outputs' paths in ``DIR``."""
        staging = self._staging("commit")
        files = files or {}
        try:
            for name, data in files.items():
                _write_synced(staging / name, data)
            _reached("files-written")
            if store_from is not None:
                self.load_store(store_from)
            elif turtle_for_store is not None:
                _load_store(staging / STORE, [turtle_for_store], self.root)
            _reached("store-loaded")
            _sync_dir(staging)
            _sync_dir(staging.parent)
            _reached("synced")
            link = self.root / _staged_link(staging)
            link.unlink(missing_ok=True)
            os.symlink(Path(BUILDS) / staging.name, link)
            _reached("link-staged")
            os.replace(link, self.root / CURRENT)  # the commit: readers now see the new build
            self.committed = True
            if self.reuse_last_build and (staging / STORE).is_dir():
                from legco_kg import store_delta

                store_delta.mark(self.folder.cache, staging, self.outputs_key, self.rdf_shares or {},
                                 tuple(name for name in OUTPUTS.values() if (staging / name).is_file()))
            _sync_dir(self.root)
            _reached("switched")
            names = [*self._written, *files, *([STORE] if (staging / STORE).is_dir() else [])]
            written = [_link_output(self.root, name) for name in names]
            _sync_dir(self.root)
            _reached("links-updated")
        except OSError as error:
            if self.committed:
                raise OutputError(f"{self.root}: build committed, but the links beside it failed: {_reason(error)}") from None
            raise OutputError(f"{self.root}: cannot write outputs: {_reason(error)}") from None
        return written


def _staged_link(staging: Path) -> str:
    return f".{CURRENT}.{staging.name}.tmp"


def clean_stale(root: Path) -> list[Path]:
    """Remove what interrupted builds left in ``root``: builds ``current`` does not point to,
    staged links, and the older layout's temporaries. Call only under the lock.

    Only names legco-kg makes are touched, so a folder shared with other files keeps them.
    """
    removed = []
    link = root / CURRENT
    keep = os.path.normpath(root / os.readlink(link)) if link.is_symlink() else None
    builds = root / BUILDS
    if builds.is_dir():
        for build in sorted(builds.iterdir()):
            if _BUILD_NAME.match(build.name) and os.path.normpath(build) != keep:
                _remove(build)
                removed.append(build)
    for path in sorted(root.iterdir()):
        if _TEMPORARY.match(path.name):
            _remove(path)
            removed.append(path)
    return removed


_BUILD_NAME = re.compile(r"^\d{8}T\d{6}-[A-Za-z0-9_]+$")
# staged links and replaced outputs of this layout, and the older layout's staged files and store
_TEMPORARY = re.compile(
    rf"^\.(?:{'|'.join(re.escape(name) for name in [CURRENT, *OUTPUTS.values(), STORE])})\..*\.tmp$|^\.{STORE}\.old$"
)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _link_output(root: Path, name: str) -> Path:
    """Make ``root/name`` the symlink ``current/name`` (once; later builds only switch ``current``)."""
    target = root / name
    wanted = Path(CURRENT) / name
    if target.is_symlink() and Path(os.readlink(target)) == wanted:
        return target
    if target.is_dir() and not target.is_symlink():  # the older layout's store/
        old = root / f".{name}.old.tmp"
        _remove(old)
        os.replace(target, old)
        _remove(old)
    link = root / f".{name}.link.tmp"
    link.unlink(missing_ok=True)
    os.symlink(wanted, link)
    os.replace(link, target)
    return target


def _write_synced(path: Path, data: "bytes | Iterable[bytes]") -> None:
    with open(path, "xb") as stream:
        if isinstance(data, bytes):
            stream.write(data)
        else:
            for piece in data:
                stream.write(piece)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _sync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _load_store(path: Path, turtle: Iterable[bytes], root: Path) -> None:
    """Load the store from ``turtle``, whole Turtle documents one after another: the bulk
    loader holds what it is given in memory, so a large graph is given in pieces."""
    import pyoxigraph

    try:
        store = pyoxigraph.Store(str(path))
        # lenient: the Turtle is our own writer's, its IRIs ASCII and checked; skipping
        # pyoxigraph's re-validation saves ~10% of the load.
        for piece in turtle:
            store.bulk_load(piece, pyoxigraph.RdfFormat.TURTLE, lenient=True)
        store.flush()
        del store
    except (OSError, ValueError) as error:
        raise OutputError(f"{root}: cannot write the SPARQL store: {error}") from None
    _sync_store(path)


def _sync_store(path: Path) -> None:
    """Make the store's folder readable as the outputs are, and fsync its files."""
    os.chmod(path, 0o777 & ~_umask())
    for folder, _, names in os.walk(path):
        for name in names:
            with open(os.path.join(folder, name), "rb") as stream:
                os.fsync(stream.fileno())
        _sync_dir(Path(folder))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def write_atomically(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file to a temporary name first (fsync'd), then rename them all into place.

    For single pages outside a build (``legco-kg html``); a failure while writing leaves the
    previous files untouched.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: cannot create the folder: {_reason(error)}") from None
    staged: list[tuple[str, Path]] = []
    written = []
    name = ""
    try:
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            staged.append((name, Path(temporary)))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())
        for name, temporary in staged:
            os.replace(temporary, out / name)
            written.append(out / name)
    except OSError as error:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"{out / name}: cannot write: {_reason(error)}") from None
    return written
