"""The extraction stage of a build: every registered extractor over every document, cached and
in parallel.

Extraction is a pure function of one document and the lexicons (the extractors, the ontology's
data files, the NER model): its result is cached per document under the build folder, keyed by
the document's content hash and a fingerprint of all of those, so a rebuild redoes only the
documents that changed. The work is split into units — a paper, or a run of replies of an
estimates document (every extractor reads one reply at a time) — and run in a process pool of
``jobs`` workers; the units' results are put back in document order, so the output is the same
whatever ``jobs`` is. The same units could be mapped by a cluster engine (Dask, Ray) instead of
the pool: nothing in a unit depends on another.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import InputError

Progress = Callable[[str], None]
CACHE_FORMAT = 1
REPLIES_PER_UNIT = 24  # small enough to share 251 replies among workers, large enough to amortise a task


@dataclass
class Extracted:
    """What the extractors found in one document (or one unit of it)."""

    mentions: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Of a whole extraction with a cache and no warnings: a digest of every document's cache key,
    # in order — what the result is a function of (what --keep-going left out is not).
    inputs: str = ""

    def extend(self, other: "Extracted") -> None:
        self.mentions.extend(other.mentions)
        self.amounts.extend(other.amounts)
        self.warnings.extend(other.warnings)


@lru_cache(maxsize=1)
def _lexicon_digest() -> str:
    """A digest of everything extraction depends on besides the document: the code of the
    extractors, the ontology's data files and the NER model (every file of those packages)."""
    from legco_kg import __version__
    from legco_kg import extractors, ontology

    digest = hashlib.sha256(f"{CACHE_FORMAT}/{__version__}".encode())
    for package in (extractors, ontology):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(skip: Iterable[str] = (), extra: bytes = b"") -> str:
    """The cache key of an extraction setting: the lexicons, the extractors left out, the user
    gazetteers in force (``build --gazetteer``, by content) and any ``extra`` input."""
    from legco_kg.ontology import gazetteers_version

    digest = hashlib.sha256(_lexicon_digest().encode())
    digest.update(",".join(sorted(skip)).encode())
    files, contents = gazetteers_version()  # the digest of their contents, made as they were read
    if files:
        digest.update(b"\x00gazetteers\x00" + contents.encode())
    if "ner" not in skip:
        from legco_kg.extractors.ner import MODEL_DIR, model_dir

        chosen = model_dir()
        if chosen.resolve() != MODEL_DIR.resolve():  # LEGCO_KG_NER_MODEL: another model, another key
            for file in sorted(p for p in chosen.rglob("*") if p.is_file()):
                digest.update(file.relative_to(chosen).as_posix().encode() + b"\x00" + file.read_bytes())
    digest.update(extra)
    return digest.hexdigest()[:24]


def _document_key(doc, setting: str) -> str:
    digest = hashlib.sha256(setting.encode())
    digest.update(doc.doc_id.encode())
    digest.update(doc.source.encode())
    digest.update(doc.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _units(doc) -> list[slice | None]:
    """A paper whole (None); an estimates document as runs of :data:`REPLIES_PER_UNIT` replies."""
    if not doc.replies:
        return [None]
    return [slice(i, i + REPLIES_PER_UNIT) for i in range(0, len(doc.replies), REPLIES_PER_UNIT)]


# The documents of the extraction under way: forked workers inherit them, so a task names its
# unit (document number, replies) instead of sending a pickled copy of a large document.
_DOCUMENTS: list = []


def _extract_unit(task) -> Extracted:
    """Every extractor but ``skip`` over one unit; an extractor that fails leaves a warning
    (with ``keep_going``) or raises :class:`InputError` naming the file and the extractor."""
    from legco_kg.extractors import EXTRACTORS, run
    from legco_kg.extractors.model import Amount

    number, replies, skip, keep_going = task
    unit = _DOCUMENTS[number]
    if replies is not None:
        unit = replace(unit, replies=unit.replies[replies])

    found = Extracted()
    for name in EXTRACTORS:
        if name in skip:
            continue
        try:
            results = list(run(name, unit))
        except Exception as error:  # noqa: BLE001 - no extractor bug may escape as a traceback
            problem = f"the {name} extractor failed: {type(error).__name__}: {error}"
            if not keep_going:
                raise InputError(unit.source, problem) from None
            found.warnings.append(f"{unit.source}: {problem}; its {name} facts are left out")
            continue
        for result in results:
            (found.amounts if isinstance(result, Amount) else found.mentions).append(result)
    return found


_loaded: set[frozenset[str]] = set()  # the settings (extractors left out) _preload has loaded


def _preload(skip: frozenset[str]) -> None:
    """Import the extractors and load their models once, in the parent, so forked workers
    share them instead of each loading spaCy and the NER model again."""
    from legco_kg.extractors import EXTRACTORS

    for name in EXTRACTORS:
        if name not in skip:
            EXTRACTORS.get(name)
    if "ner" not in skip:
        from legco_kg.extractors.ner import load_model

        load_model()
    _loaded.add(skip)


def preload(skip: Iterable[str] = ()) -> None:
    """Load the extractors but ``skip`` now (a process that builds again and again does it
    once): a later extraction then runs here at once instead of loading them aside."""
    from legco_kg.extractors import EXTRACTORS

    _preload(frozenset(EXTRACTORS.check(name) for name in skip))


def extract_all(
    documents: list, skip: Iterable[str] = (), keep_going: bool = False, progress: Progress = lambda _: None,
    jobs: int = 1, cache: Path | None = None, extra: bytes = b"", meanwhile: Callable[[], None] | None = None,
) -> Extracted:
    """Mentions and amounts of every document, in document order, from the cache where it has
    them. ``cache`` is a folder (None: no cache); ``extra`` joins the cache key.

    When some documents are cached and others are not (and ``jobs`` > 1), the others are
    extracted in a forked process (which loads spaCy and the model) while this one reads the
    cache and then calls ``meanwhile`` — unless this process has loaded them already."""
    from legco_kg.cache import has, prune, read, write
    from legco_kg.extractors import EXTRACTORS

    skipped = frozenset(EXTRACTORS.check(name) for name in skip)
    setting = fingerprint(skipped, extra)
    keys = {doc.doc_id: _document_key(doc, setting) for doc in documents}
    results: dict[str, Extracted] = {}
    aside = None  # the documents a forked process extracts meanwhile, and the process
    try:
        if cache is not None:
            stored = {doc.doc_id for doc in documents if has(cache, keys[doc.doc_id])}
            unstored = [doc for doc in documents if doc.doc_id not in stored]
            if jobs > 1 and stored and unstored and skipped not in _loaded:
                aside = unstored, _extract_aside(unstored, skipped, keep_going, jobs)
            for doc in documents:
                cached = read(cache, keys[doc.doc_id], Extracted) if doc.doc_id in stored else None
                if cached is not None:
                    results[doc.doc_id] = cached
            if results:
                progress(f"extraction: {len(results)} of {len(documents)} documents unchanged (cached)")
            if aside is not None and meanwhile is not None:
                meanwhile()
    except BaseException:
        if aside is not None:  # not left working (and waited for at exit) after the build failed
            aside[1][0].kill()
            _receive(aside[1])
        raise
    todo = [doc for doc in documents if doc.doc_id not in results]
    found = _receive(aside[1]) if aside is not None else None
    if found is None:
        found = _extract(todo, skipped, keep_going, jobs)
    else:  # the forked process's documents, then any whose cache entry could not be read
        done = {doc.doc_id for doc in aside[0]}
        todo = [*aside[0], *(doc for doc in todo if doc.doc_id not in done)]
        found = [*found, *_extract(todo[len(aside[0]):], skipped, keep_going, jobs)]
    units = iter(found)
    for doc in todo:
        whole = Extracted()
        for _ in _units(doc):
            whole.extend(next(units))
        results[doc.doc_id] = whole
        if cache is not None and not whole.warnings:  # what --keep-going left out is never replayed
            write(cache, keys[doc.doc_id], whole)
    if cache is not None:
        prune(cache, set(keys.values()))
    merged = Extracted()
    for doc in documents:
        merged.extend(results[doc.doc_id])
    if cache is not None and not merged.warnings:
        merged.inputs = hashlib.sha256("\x00".join(keys[doc.doc_id] for doc in documents).encode()).hexdigest()
    for warning in merged.warnings:
        progress(f"warning: {warning}")
    return merged


def _tasks(todo: list, skipped: frozenset[str], keep_going: bool) -> list[tuple]:
    return [(number, unit, skipped, keep_going) for number, doc in enumerate(todo) for unit in _units(doc)]


def _extract(todo: list, skipped: frozenset[str], keep_going: bool, jobs: int) -> list[Extracted]:
    """The units' results of the documents ``todo``, in order (see :func:`_units`)."""
    tasks = _tasks(todo, skipped, keep_going)
    if not tasks:
        return []
    _preload(skipped)
    _DOCUMENTS[:] = todo
    try:
        return _run(tasks, jobs)
    finally:
        _DOCUMENTS.clear()


def _extract_aside(todo: list, skipped: frozenset[str], keep_going: bool, jobs: int):
    """Start a forked process extracting ``todo`` (:func:`_extract`); :func:`_receive` gives
    its results."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # Not a daemon: it may start a pool of its own.
    process = context.Process(target=_extract_child, args=(todo, skipped, keep_going, jobs, sender))
    with frozen_heap():
        process.start()
    sender.close()
    return process, receiver


def _extract_child(todo: list, skipped: frozenset[str], keep_going: bool, jobs: int, sender) -> None:
    """In the forked process: send the results of :func:`_extract`, or None if it failed (the
    build then extracts those documents itself, and fails there with its one-line error)."""
    try:
        results = _extract(todo, skipped, keep_going, jobs)
    except BaseException:  # noqa: BLE001 - reported by the build's own extraction
        results = None
    sender.send(results)
    sender.close()


def _receive(started) -> list[Extracted] | None:
    """The results the forked process sent, or None (it failed, or ended without a word: killed,
    out of memory)."""
    process, receiver = started
    try:
        return receiver.recv()
    except Exception:  # noqa: BLE001 - whatever it was, the build extracts those documents itself
        return None
    finally:
        receiver.close()
        process.join()


def _run(tasks: list, jobs: int) -> list[Extracted]:
    if jobs <= 1 or len(tasks) <= 1:
        return [_extract_unit(task) for task in tasks]
    import multiprocessing

    # fork: the workers inherit the loaded extractors and model (see _preload); results come
    # back in task order (map), whatever worker ran them.
    context = multiprocessing.get_context("fork")
    with frozen_heap(), context.Pool(min(jobs, len(tasks))) as pool:
        return pool.map(_extract_unit, tasks, chunksize=1)


@contextmanager
def frozen_heap():
    """Fork inside this: the objects the parent has are moved out of the garbage collector's
    reach (:func:`gc.freeze`), so a forked worker's collections do not write to — and so copy —
    every page of the inherited heap; the parent's objects are collectable again after."""
    import gc

    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
