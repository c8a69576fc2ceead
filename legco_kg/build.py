"""The build: read the corpus, parse, extract, resolve, render every output, write atomically."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import InputError, OutputError
from legco_kg.folder import BuildFolder

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


def parse_corpus(paths: Iterable[Path], keep_going: bool = False, progress: Progress = _silent,
                 cache: "ParseCache | None" = None):
    """Parse every file; bad input raises, or with ``keep_going`` is skipped with a warning.

    Every warning (a skipped file, a document's own warnings) is passed to ``progress`` once, as
    it happens, and returned. With a ``cache``, a file an earlier build parsed is read back from
    it instead of parsed again.
    """
    from legco_kg.extractors.parse import parse_document
    from legco_kg.extractors.reading import collect_paths

    parse = cache.parse if cache is not None else partial(_parse, parse_document)
    documents, warnings, files = [], [], {}
    for path in collect_paths(list(paths)):
        try:
            doc = parse(path)
        except InputError as error:
            if not keep_going:
                raise
            _warn(f"skipped {error}", warnings, progress)
            continue
        progress(f"parsed {path.name}: {doc.kind}, {len(doc.replies) or len(doc.paragraphs)} {'replies' if doc.replies else 'paragraphs'}")
        if doc.doc_id in files:
            raise InputError(
                str(path), f"gives the document id {doc.doc_id!r}, as {files[doc.doc_id]} does; rename one of the two files"
            )
        files[doc.doc_id] = path
        documents.append(doc)
        for warning in doc.warnings:
            _warn(warning, warnings, progress)
    if not documents:
        raise InputError("corpus", "no usable document")
    return sorted(documents, key=lambda d: d.doc_id), warnings


def _warn(message: str, warnings: list[str], progress: Progress) -> None:
    warnings.append(message)
    progress(f"warning: {message}")


class ParseCache:
    """The documents earlier builds parsed, in the ``parsed`` folder of a build's cache, by the
    file's name and bytes and the lexicons (the parser reads the gazetteer).

    What this build parsed anew is written by :meth:`save`, called once the build's extraction
    has succeeded (a first build that fails leaves no cache behind); it also drops the entries
    this build did not use.
    """

    def __init__(self, cache: Path) -> None:
        from legco_kg.extraction import fingerprint

        self.folder = cache / PARSED
        self.setting = fingerprint()
        self.used: set[str] = set()
        self.fresh: dict[str, object] = {}

    def parse(self, path: Path):
        import hashlib

        from legco_kg import cache
        from legco_kg.extractors.model import Document
        from legco_kg.extractors.parse import parse_document
        from legco_kg.extractors.reading import read_bytes

        data = read_bytes(path)
        key = hashlib.sha256(f"{self.setting}\x00{path}\x00".encode() + data).hexdigest()[:32]
        self.used.add(key)
        doc = cache.read(self.folder, key, Document)
        if doc is None:
            doc = self.fresh[key] = _parse(parse_document, path, data)
        return doc

    def save(self) -> None:
        from legco_kg import cache

        for key, doc in self.fresh.items():
            cache.write(self.folder, key, doc)
        self.fresh = {}
        cache.prune(self.folder, self.used)


PARSED = "parsed"  # the cache's folder of parsed documents


def _parse(parse_document, path: Path, data: bytes | None = None):
    try:
        return parse_document(path, data)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - a parser bug on odd input is still the file's one-line error
        raise InputError(str(path), f"cannot parse: {type(error).__name__}: {error}") from None


def assemble(documents, skip: Iterable[str] = (), keep_going: bool = False, progress: Progress = _silent,
             warnings=None, jobs: int = 1, cache: Path | None = None):
    """Run the extractor registry (but ``skip``) over ``documents``; resolve the mentions into a graph.

    Extraction (:func:`legco_kg.extraction.extract_all`) runs in ``jobs`` processes and reuses the
    results cached in ``cache`` for unchanged documents; ``warnings`` (a list) collects what
    ``keep_going`` left out.
    """
    return _assemble(documents, skip, keep_going, progress, warnings, jobs, cache)[0]


def _assemble(documents, skip, keep_going, progress, warnings, jobs, cache, meanwhile=None):
    """:func:`assemble`'s graph, and the extraction's digest of its inputs (see
    :attr:`legco_kg.extraction.Extracted.inputs`); ``meanwhile`` is called while a forked
    process extracts the documents the cache lacks, if one does."""
    from legco_kg.extraction import extract_all
    from legco_kg.graph.kg import build_graph

    found = extract_all(documents, skip, keep_going, progress, jobs=jobs, cache=cache, meanwhile=meanwhile)
    if warnings is not None:
        warnings.extend(found.warnings)
    return build_graph(documents, found.mentions, amounts=found.amounts), found.inputs


def outputs_key(inputs: str) -> str:
    """What a build's outputs are a function of: the extraction's inputs (every document's cache
    key, which holds the lexicons, the extractors left out and the user gazetteers) and the code
    (:func:`code_key`)."""
    import hashlib

    return hashlib.sha256(f"{inputs}\x00{code_key()}".encode()).hexdigest()


@lru_cache(maxsize=1)
def code_key() -> str:
    """A digest of the code of every legco-kg package and data file and of the versions of
    Python and of the libraries that shape an output (the layout's arithmetic, the page's
    script, the literals, the store)."""
    import hashlib
    import sys
    from importlib import import_module
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(sys.version.encode())
    for library in ("networkx", "numpy", "pyvis", "rdflib", "pyoxigraph", "spacy"):
        try:
            digest.update(f"\x00{library}={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"\x00{library}".encode())
    files: dict[Path, str] = {}  # installed, the subpackages lie inside legco_kg/: each file is read once
    for package in ("legco_kg", "legco_kg.extractors", "legco_kg.graph", "legco_kg.exports", "legco_kg.ontology"):
        root = Path(import_module(package).__path__[0]).resolve()
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.setdefault(path, f"{package}/{path.relative_to(root).as_posix()}")
    for path, name in files.items():
        digest.update(f"\x00{name}\x00".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def import_renderers() -> None:
    """Import the renderers (rdflib, networkx, pyvis …): done while a forked process extracts
    the changed documents, or by a watching build while nothing changes, it is off the
    rebuild's clock."""
    from legco_kg import exports

    for name in exports.BUILD_OUTPUTS:
        exports.get(name).render


TOGETHER = ("turtle", "jsonld")  # written in one pass, from one sort of the triples (exports.rdf_files)
ASIDE = ("html", "jsonl")  # rendered in a forked process beside the others when jobs > 1 ...
ASIDE_TEXT_LIMIT = 4_000_000  # ... and the documents hold at most this many characters
# Written in a thread of the build while it renders the others, when nothing is rendered aside
# and jobs > 1: SQLite builds its tables and full-text index without holding the interpreter lock.
BESIDE = ("index",)


def render_outputs(kg, writer, jobs: int = 1, progress: Progress = _silent) -> None:
    """Render every build output into ``writer``'s staged build, each written as it is made,
    and load the SPARQL store from the Turtle.

    With ``jobs`` > 1 the outputs of :data:`ASIDE` are rendered at the same time in a forked
    process (it inherits the graph, nothing is copied or pickled up front) while this process
    renders the rest.  The forked process copies the memory pages it touches, about half the
    graph's (measured: +450 MB at 16 times the embedded corpus), so it is only used up to
    :data:`ASIDE_TEXT_LIMIT` characters of documents (5.6 times the embedded corpus); a larger
    corpus is rendered one output after another, in bounded memory, except that (with ``jobs``
    > 1) the outputs of :data:`BESIDE` are written in a thread meanwhile, and the store is loaded
    from the Turtle in another while the outputs after it are rendered.
    """
    from legco_kg import exports

    small = sum(len(doc.text) for doc in kg.documents) <= ASIDE_TEXT_LIMIT
    aside = [name for name in exports.BUILD_OUTPUTS if name in ASIDE] if jobs > 1 and small else []
    beside = [name for name in exports.BUILD_OUTPUTS if name in BESIDE] if jobs > 1 and not aside else []
    child = _fork_render(kg, writer, aside) if aside else None
    store = None
    threads = [_Background(writer.make_with, exports.get(name).filename, partial(exports.get(name).write, kg))
               for name in beside]
    try:
        for name in exports.BUILD_OUTPUTS:
            if name in aside or name in beside or name in TOGETHER[1:]:
                continue
            exporter = exports.get(name)
            if name == TOGETHER[0]:
                from legco_kg.exports import rdf_files

                together = [exports.get(other).filename for other in TOGETHER]
                last = writer.last_rdf_files(*together)

                def write_rdf(*paths: Path) -> None:
                    writer.rdf_shares = rdf_files.write(kg, *paths, last=last, code=code_key() if writer.reuse_last_build else "")

                writer.write_with(tuple(together), write_rdf)
                progress(f"rendered {', '.join(together)}")
            elif exporter.write is not None:
                writer.write_with(exporter.filename, partial(exporter.write, kg))
                progress(f"rendered {exporter.filename}")
            else:
                writer.write(exporter.filename, _render(exporter, kg, writer))  # written now, not held until the commit
                progress(f"rendered {exporter.filename}")
            if name == "turtle":  # the store is made from the Turtle just written
                if jobs > 1 and not aside:  # beside a forked renderer a thread would only contend
                    store = _Background(writer.load_store, exporter.filename)
                else:
                    progress(writer.load_store(exporter.filename))
    finally:
        failure = _join(child, writer.root) if child else None
        for thread in [*threads, *([store] if store else [])]:
            thread.thread.join()  # never left writing into a build being removed
    if failure:
        raise OutputError(failure)
    for name, thread in zip(beside, threads):
        thread.wait()  # raises the output's own error, if any
        writer.adopt(exports.get(name).filename)
        progress(f"rendered {exports.get(name).filename}")
    if store is not None:
        progress(store.wait())
    for name in aside:
        writer.adopt(exports.get(name).filename)
        progress(f"rendered {exports.get(name).filename}")


def _render(exporter, kg, writer):
    """The output of ``exporter``; one that keeps things in the cache does so in a build that uses it."""
    if exporter.cache and writer.reuse_last_build:
        return exporter.render(kg, cache=writer.folder.cache / exporter.cache)
    return exporter.render(kg)


class _Background:
    """``work(*args)`` in a thread of this process.

    For the store and the index: pyoxigraph parses and loads Turtle, and SQLite inserts rows and
    builds its indexes, without holding the interpreter lock, so that work goes on while this
    thread renders the other outputs, and nothing is copied (a forked process would copy the
    graph's pages; see :data:`ASIDE_TEXT_LIMIT`)."""

    def __init__(self, work: Callable, *args) -> None:
        import threading

        self.error: BaseException | None = None
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(work, *args), daemon=True)
        self.thread.start()

    def _run(self, work: Callable, *args) -> None:
        try:
            self.result = work(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the building thread by wait()
            self.error = error

    def wait(self):
        """What ``work`` returned, once it has; what it raised is raised here."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result


def _fork_render(kg, writer, names: list[str]):
    import multiprocessing

    from legco_kg import exports

    for name in names:
        exports.get(name).render  # imported before the fork (networkx, pyvis …): once, not on the forked side's clock
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_render_child, args=(kg, writer, names, sender), daemon=True)
    process.start()
    sender.close()
    return process, receiver, names


def _render_child(kg, writer, names: list[str], sender) -> None:
    """In the forked process: write ``names``' outputs, then send None, or the failure's one line."""
    from legco_kg import exports
    from legco_kg.errors import LegcoError

    try:
        for name in names:
            exporter = exports.get(name)
            writer.write_file(exporter.filename, _render(exporter, kg, writer))
        sender.send(None)
    except LegcoError as error:
        sender.send(str(error))
    except Exception as error:  # noqa: BLE001 - an exporter bug is still the build's one-line error
        sender.send(f"{writer.root}: cannot render {', '.join(names)}: {type(error).__name__}: {error}")


def _join(child, root) -> str | None:
    """Wait for the forked renderer; its failure as one line, or None."""
    process, receiver, names = child
    try:
        failure = receiver.recv()
    except EOFError:  # the process ended without a word (killed, out of memory)
        failure = None
    process.join()
    receiver.close()
    if failure is None and process.exitcode != 0:
        failure = f"{root}: the process rendering {', '.join(names)} stopped (exit code {process.exitcode})"
    return failure


@contextmanager
def _fewer_collections():
    """Run the garbage collector's youngest generation every 50,000 allocations instead of 700.

    A build allocates millions of objects that live to its end (texts, mentions, rows), few of
    them in cycles; with the default threshold the collector keeps walking them (about 5% of a
    build's time, measured). Restored after, for a program that builds and goes on.
    """
    import gc

    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(
    paths: list[Path] | None, out: Path, keep_going: bool = False, progress: Progress = _silent, skip: Iterable[str] = (),
    jobs: int = 1, cache: bool = True, gazetteers: Iterable[Path] = (),
) -> BuildResult:
    """Build the graph of ``paths`` (default: the embedded corpus) into ``out``; entities of the
    ``gazetteers`` files (the gazetteer's JSON Lines format) add to or override the shipped ones.

    The output folder is checked and locked before any work (see :class:`BuildFolder`); the
    new build becomes visible to readers in one step, when every output is written.
    """
    from legco_kg.ontology import user_gazetteers

    started = time.perf_counter()
    with _fewer_collections(), user_gazetteers(gazetteers), BuildFolder(out).writing() as writer:  # a bad gazetteer fails first
        writer.reuse_last_build = cache
        parsed = ParseCache(writer.folder.cache) if cache else None
        documents, warnings = parse_corpus(paths or default_corpus(), keep_going, progress, parsed)
        kg, inputs = _assemble(documents, skip, keep_going, progress, warnings, jobs,
                               writer.folder.cache if cache else None, import_renderers)
        if parsed is not None:
            parsed.save()
        progress(f"graph: {len(kg.entities)} entities, {len(kg.mentions)} mentions")
        writer.outputs_key = outputs_key(inputs) if inputs else ""
        if writer.keep_last_outputs():
            progress("nothing changed since the last build: its outputs are kept")
        else:
            render_outputs(kg, writer, jobs, progress)
        written = writer.commit()
    progress("committed the build")
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
