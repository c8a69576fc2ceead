"""The build: read the corpus, parse, extract, resolve, render every output, write atomically."""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import InputError, LegcoError

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


def default_corpus() -> list[Path]:
    """The five documents shipped inside the package."""
    folder = Path(str(resources.files("legco_kg").joinpath("corpus")))
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")


@dataclass
class BuildResult:
    out: Path
    written: list[Path]
    documents: int
    replies: int
    entities: int
    mentions: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def parse_corpus(paths: Iterable[Path], keep_going: bool = False, progress: Progress = _silent):
    """Parse every file; bad input raises, or with ``keep_going`` is skipped with a warning."""
    from legco_kg.extractors.parse import parse_document
    from legco_kg.extractors.reading import collect_paths

    documents, warnings = [], []
    for path in collect_paths(list(paths)):
        try:
            doc = parse_document(path)
        except InputError as error:
            if not keep_going:
                raise
            warnings.append(f"skipped {error}")
            progress(f"warning: skipped {error}")
            continue
        progress(f"parsed {path.name}: {doc.kind}, {len(doc.replies) or len(doc.paragraphs)} {'replies' if doc.replies else 'paragraphs'}")
        documents.append(doc)
        warnings.extend(doc.warnings)
    if not documents:
        raise InputError("corpus", "no usable document")
    ids = [doc.doc_id for doc in documents]
    clash = sorted({i for i in ids if ids.count(i) > 1})
    if clash:
        raise InputError("corpus", f"two files give the same document id: {', '.join(clash)}")
    return sorted(documents, key=lambda d: d.doc_id), warnings


def assemble(documents, skip: Iterable[str] = ()):
    """Run the extractor registry (but ``skip``) over ``documents``; resolve the mentions into a graph."""
    from legco_kg.extractors import extract
    from legco_kg.extractors.amounts import amounts
    from legco_kg.graph.kg import build_graph

    skip = tuple(skip)
    return build_graph(
        documents,
        (m for doc in documents for m in extract(doc, skip)),
        amounts=[a for doc in documents for a in amounts(doc)],
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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


STORE = "store"  # the pyoxigraph store `legco-kg sparql` queries, written beside graph.ttl


def stage_store(out: Path, turtle: bytes) -> Path:
    """Load ``turtle`` into a new pyoxigraph store in a temporary folder of ``out``."""
    import shutil

    import pyoxigraph

    out.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".store.", suffix=".tmp", dir=out))
    os.chmod(staged, 0o777 & ~_umask())
    try:
        store = pyoxigraph.Store(str(staged))
        store.bulk_load(turtle, pyoxigraph.RdfFormat.TURTLE)
        store.flush()
        del store
    except (OSError, ValueError) as error:
        shutil.rmtree(staged, ignore_errors=True)
        raise LegcoError(f"{out}: cannot write the SPARQL store: {error}") from None
    return staged


def swap_in(staged: Path, target: Path) -> Path:
    """Put the staged folder in place of ``target``; the old one is removed after the swap."""
    import shutil

    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(staged, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def build(
    paths: list[Path] | None, out: Path, keep_going: bool = False, progress: Progress = _silent, skip: Iterable[str] = ()
) -> BuildResult:
    """Build the graph of ``paths`` (default: the embedded corpus) into ``out``."""
    from legco_kg import exports

    started = time.perf_counter()
    documents, warnings = parse_corpus(paths or default_corpus(), keep_going, progress)
    for warning in warnings:
        progress(f"warning: {warning}")
    kg = assemble(documents, skip)
    progress(f"graph: {len(kg.entities)} entities, {len(kg.mentions)} mentions")
    files = {}
    for name in exports.BUILD_OUTPUTS:
        exporter = exports.get(name)
        files[exporter.filename] = exporter.render(kg)
        progress(f"rendered {exporter.filename}")
    store = stage_store(out, files[exports.get("turtle").filename])
    progress("loaded the SPARQL store")
    try:
        written = write_atomically(out, files)
    except LegcoError:
        import shutil

        shutil.rmtree(store, ignore_errors=True)
        raise
    written.append(swap_in(store, out / STORE))
    return BuildResult(
        out=out,
        written=written,
        documents=len(documents),
        replies=sum(len(d.replies) for d in documents),
        entities=len(kg.entities),
        mentions=len(kg.mentions),
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )
