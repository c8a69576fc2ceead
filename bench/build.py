"""Time the build of the embedded corpus: parse, extract and resolve, render, write.

The NER's share is shown on its own (loading the model, tagging); "whole build" clears the
model cache first and runs with the CLI's defaults (a worker per core, no cache), so it costs
what a fresh ``legco-kg build --no-cache`` costs, less the interpreter's start.

Usage: python bench/build.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from legco_kg import exports
    from legco_kg.extractors import ner
    from legco_kg.extractors.amounts import amounts
    from legco_kg.build import assemble, build, default_corpus, parse_corpus
    from legco_kg.exports.turtle import blocks
    from legco_kg.exports import rdf_files
    from legco_kg.folder import _load_store

    stages: dict[str, list[float]] = {}

    def timed(name, function, *a):
        started = time.perf_counter()
        result = function(*a)
        stages.setdefault(name, []).append(time.perf_counter() - started)
        return result

    for _ in range(args.runs):
        documents, _warnings = timed("parse", parse_corpus, default_corpus())
        ner.load_model.cache_clear()
        timed("load NER model", ner.load_model)
        timed("NER tagging", lambda: [m for d in documents for m in ner.ner_mentions(d)])
        timed("amounts", lambda: [a for d in documents for a in amounts(d)])
        kg = timed("extract + resolve (all)", assemble, documents)
        timed("facts", lambda: kg.facts)
        turtle = b""
        for name in exports.BUILD_OUTPUTS:
            exporter = exports.get(name)
            rendered = timed(f"render {exporter.filename}", _whole, exporter.render, kg)
            turtle = rendered if name == "turtle" else turtle
        with tempfile.TemporaryDirectory() as out:
            both = Path(out) / "together.ttl", Path(out) / "together.jsonld"
            timed("render ttl + jsonld together", rdf_files.write, kg, *both)
            (Path(out) / "graph.ttl").write_bytes(turtle)
            timed("SPARQL store (load)", _load_store, Path(out) / "store", blocks(Path(out) / "graph.ttl"), Path(out))
        ner.load_model.cache_clear()
        with tempfile.TemporaryDirectory() as out:
            timed("whole build (as the CLI)", partial(build, None, Path(out), jobs=os.cpu_count() or 1, cache=False))
    replies = sum(len(d.replies) for d in documents)
    print(f"embedded corpus: {len(documents)} documents, {replies} replies, {len(kg.mentions)} mentions; {args.runs} runs")
    for name, seconds in stages.items():
        print(f"{name:28s} min {min(seconds):6.2f}s  median {statistics.median(seconds):6.2f}s")


def _whole(render, kg) -> bytes:
    """An exporter's output, whole (some exporters give it in pieces as they make them)."""
    rendered = render(kg)
    return rendered if isinstance(rendered, bytes) else b"".join(rendered)


if __name__ == "__main__":
    main()
