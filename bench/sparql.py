"""The shipped SPARQL queries on rdflib and on pyoxigraph: the built graph, and a synthetic graph
of about a million triples of the same shape.

The synthetic graph is the built one with its replies, documents, spans, sentences and amounts
copied COPIES times under new IRIs (as if COPIES more budget years had been built), the
entities shared — so every query still finds what it finds on the real graph, only more of it.
Each query runs RUNS times per engine; the minimum is printed, and the ratio.

Usage: python bench/sparql.py [--copies 9] [--runs 5] [--out DIR]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

SHARED = ("entity/", "head/", "extractor/")  # the same things in every copy


def synthetic(turtle: Path, copies: int, target: Path) -> int:
    import pyoxigraph as ox

    base = "https://w3id.org/legco-kg/id/"
    store = ox.Store()
    store.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)

    def copy(term, k: int):
        if isinstance(term, ox.NamedNode) and term.value.startswith(base):
            rest = term.value[len(base) :]
            if not rest.startswith(SHARED):
                return ox.NamedNode(f"{base}y{k}/{rest}")
        return term

    quads = [q for q in store]
    out = ox.Store()
    for k in range(copies + 1):
        out.bulk_extend(ox.Quad(copy(q.subject, k), q.predicate, copy(q.object, k)) for q in quads)
    out.dump(str(target), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return len(out)


def timed(function, runs: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        count = function()
        best = min(best, time.perf_counter() - started)
    return best, count


def bench(label: str, path: Path, fmt: str, runs: int) -> None:
    import pyoxigraph as ox
    from rdflib import Graph

    from legco_kg.graph.read import sparql

    started = time.perf_counter()
    reference = Graph().parse(path, format=fmt)
    rdflib_load = time.perf_counter() - started
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES)
    oxigraph_load = time.perf_counter() - started
    print(f"\n{label}: {len(reference):,} triples; load rdflib {rdflib_load:.1f}s, pyoxigraph {oxigraph_load:.2f}s "
          f"({rdflib_load / oxigraph_load:.0f}x)")
    print(f"{'query':28s} {'rows':>6s} {'rdflib':>9s} {'oxigraph':>9s} {'ratio':>7s}")
    for name in sparql.shipped_queries():
        query = sparql.load_query(name)
        slow, rows = timed(lambda: len(sparql.run_rdflib(reference, query).rows), runs)
        fast, _ = timed(lambda: len(sparql.run_oxigraph(store, query).rows), runs)
        print(f"{name:28s} {rows:6d} {slow:8.3f}s {fast:8.4f}s {slow / fast:6.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="a build to use (default: build the embedded corpus)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out
        if out is None:
            from legco_kg.build import build

            out = Path(scratch) / "out"
            build(None, out)
        bench("built graph", out / "graph.ttl", "turtle", args.runs)
        big = Path(scratch) / "synthetic.nt"
        synthetic(out / "graph.ttl", args.copies, big)
        bench(f"synthetic graph ({args.copies} copies)", big, "nt", args.runs)


if __name__ == "__main__":
    main()
