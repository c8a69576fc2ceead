"""The build folder: one type that owns the layout of a build's output folder.

Writers (``legco-kg build``) commit a new build through :meth:`BuildFolder.commit`; readers
(``query``, ``show``, ``stats``, ``sparql``, ``export``, ``html``, ``evaluate``) ask it for the
path of an output with :meth:`BuildFolder.require`, which fails with one line when there is no
build here. File names are written in this module only.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from legco_kg.errors import LegcoError

# Every output of a build, by the name the code uses for it.
OUTPUTS: dict[str, str] = {
    "turtle": "graph.ttl",
    "jsonld": "graph.jsonld",
    "html": "graph.html",
    "jsonl": "export.jsonl",
    "graphml": "graph.graphml",
    "index": "index.sqlite",
}
STORE = "store"  # the pyoxigraph store `legco-kg sparql` queries, written beside graph.ttl
# The format version of index.sqlite (its PRAGMA user_version); a reader of another version asks
# for a rebuild. 1 was index.json.
INDEX_FORMAT = 2


class NoBuild(LegcoError):
    """The folder holds no (complete) build."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class BuildFolder:
    """The output folder of a build (default ``./legco-kg-out``)."""

    root: Path

    def path(self, output: str) -> Path:
        """Where ``output`` (a key of :data:`OUTPUTS`, or ``"store"``) lives in this folder."""
        if output == STORE:
            return self.root / STORE
        try:
            return self.root / OUTPUTS[output]
        except KeyError:
            raise LegcoError(f"unknown output {output!r}; valid: {', '.join([*OUTPUTS, STORE])}") from None

    def require(self, output: str) -> Path:
        """The path of ``output``, or a one-line error saying there is no build here."""
        path = self.path(output)
        present = path.is_dir() if output == STORE else path.is_file()
        if not present:
            raise NoBuild(f"{path}: no build here; run 'legco-kg build --out {self.root}' first")
        return path

    def exists(self) -> bool:
        """Whether a build has been committed here."""
        return all(self.path(name).is_file() for name in OUTPUTS) and self.path(STORE).is_dir()

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

    def commit(self, files: dict[str, bytes], turtle_for_store: bytes | None = None) -> list[Path]:
        """Write ``files`` (file name → bytes) and, if given, a SPARQL store loaded from
        ``turtle_for_store`` into this folder; a failure leaves the previous build untouched."""
        store = self._stage_store(turtle_for_store) if turtle_for_store is not None else None
        try:
            written = write_atomically(self.root, files)
        except LegcoError:
            if store is not None:
                shutil.rmtree(store, ignore_errors=True)
            raise
        if store is not None:
            written.append(_swap_in(store, self.root / STORE))
        return written

    def _stage_store(self, turtle: bytes) -> Path:
        import pyoxigraph

        self.root.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".store.", suffix=".tmp", dir=self.root))
        os.chmod(staged, 0o777 & ~_umask())
        try:
            store = pyoxigraph.Store(str(staged))
            store.bulk_load(turtle, pyoxigraph.RdfFormat.TURTLE)
            store.flush()
            del store
        except (OSError, ValueError) as error:
            shutil.rmtree(staged, ignore_errors=True)
            raise LegcoError(f"{self.root}: cannot write the SPARQL store: {error}") from None
        return staged


def write_atomically(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file to a temporary name first, then rename them all into place.

    A failure while writing leaves the previous outputs untouched.
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o666 & ~_umask())
            staged.append((name, Path(temporary)))
    except OSError as error:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise LegcoError(f"{out}: cannot write outputs: {error.strerror}") from None
    written = []
    for name, temporary in staged:
        os.replace(temporary, out / name)
        written.append(out / name)
    return written


def _swap_in(staged: Path, target: Path) -> Path:
    """Put the staged folder in place of ``target``; the old one is removed after the swap."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(staged, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
