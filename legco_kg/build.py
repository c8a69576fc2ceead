"""The build: read the corpus, parse, extract, resolve, render every output, write atomically."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import InputError
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


def build(
    paths: list[Path] | None, out: Path, keep_going: bool = False, progress: Progress = _silent, skip: Iterable[str] = (),
    gazetteers: Iterable[Path] = (),
) -> BuildResult:
    """Build the graph of ``paths`` (default: the embedded corpus) into ``out``; entities of the
    ``gazetteers`` files (the gazetteer's JSON Lines format) add to or override the shipped ones."""
    from legco_kg import exports
    from legco_kg.ontology import user_gazetteers

    started = time.perf_counter()
    with user_gazetteers(gazetteers):
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
    written = BuildFolder(out).commit(files, turtle_for_store=files[exports.get("turtle").filename])
    progress("loaded the SPARQL store and wrote the outputs")
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
