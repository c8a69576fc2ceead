"""SPARQL over a build: pyoxigraph on the store the build wrote, rdflib as the reference.

``legco-kg sparql`` runs a query given as text, as a file, or by the name of a shipped query
(``ontology/queries/*.rq``).  Values for variables (``--bind scheme=<IRI>``) are passed to the
engine as bindings — pyoxigraph's ``substitutions``, rdflib's ``initBindings`` — and never
spliced into the query text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from legco_kg.errors import LegcoError
from legco_kg.ontology import data_path


def shipped_queries() -> dict[str, Path]:
    folder = data_path("queries")
    return {path.stem: path for path in sorted(folder.glob("*.rq"))}


def load_query(argument: str) -> str:
    """A shipped query's name, a file, or SPARQL text."""
    shipped = shipped_queries()
    if argument in shipped:
        return shipped[argument].read_text(encoding="utf-8")
    path = Path(argument)
    if len(argument) < 4096 and "\n" not in argument and path.suffix in (".rq", ".sparql"):
        if not path.is_file():
            raise LegcoError(f"{path}: no such query file; shipped queries: {', '.join(shipped)}")
        return path.read_text(encoding="utf-8")
    return argument


@dataclass
class Answer:
    """A query's answer: variables and rows (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    triples: list[tuple[str, str, str]] | None = None


def parse_bindings(pairs: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """``name=<IRI>`` or ``name=http…`` binds an IRI; anything else a plain literal."""
    bindings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.lstrip("?$")
        if not sep or not name.isidentifier():
            raise LegcoError(f"--bind {pair!r}: expected NAME=VALUE")
        if value.startswith("<") and value.endswith(">"):
            bindings[name] = ("iri", value[1:-1])
        elif value.startswith(("http://", "https://", "urn:")):
            bindings[name] = ("iri", value)
        else:
            bindings[name] = ("literal", value)
    return bindings


# --- pyoxigraph --------------------------------------------------------------------------------

def _ox_term(term) -> str | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def open_store(out: Path):
    import pyoxigraph as ox

    from legco_kg.folder import STORE, BuildFolder

    path = BuildFolder(out).require(STORE)
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:  # RuntimeError: a corrupt store
        raise LegcoError(f"{path}: cannot open the SPARQL store: {error}; rebuild with 'legco-kg build'") from None


def run_oxigraph(store, query: str, bindings: dict | None = None) -> Answer:
    import pyoxigraph as ox

    substitutions = {
        ox.Variable(name): ox.NamedNode(value) if kind == "iri" else ox.Literal(value)
        for name, (kind, value) in (bindings or {}).items()
    }
    try:
        results = store.query(query, substitutions=substitutions)
    except SyntaxError as error:
        raise LegcoError(f"SPARQL syntax error: {error}") from None
    except (RuntimeError, ValueError, OSError) as error:  # OSError: a SERVICE that failed (--allow-service)
        raise LegcoError(f"SPARQL: {error}") from None
    if isinstance(results, ox.QueryBoolean):
        return Answer([], [], boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        variables = [v.value for v in results.variables]
        rows = [[_ox_term(solution[v]) for v in variables] for solution in results]
        return Answer(variables, rows)
    triples = [(_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in results]
    return Answer(["subject", "predicate", "object"], [list(t) for t in triples], triples=triples)


# --- rdflib (reference) ------------------------------------------------------------------------

def load_rdflib(out: Path):
    from rdflib import Graph

    from legco_kg.folder import BuildFolder

    path = BuildFolder(out).require("turtle")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as error:  # noqa: BLE001 - rdflib's parsers raise many types for a broken file
        reason = " ".join(str(error).split())
        raise LegcoError(f"{path}: not readable Turtle ({type(error).__name__}: {reason}); rebuild with 'legco-kg build'") from None


def run_rdflib(graph, query: str, bindings: dict | None = None) -> Answer:
    from rdflib import Literal, URIRef, Variable

    init = {
        Variable(name): URIRef(value) if kind == "iri" else Literal(value)
        for name, (kind, value) in (bindings or {}).items()
    }
    try:
        results = graph.query(query, initBindings=init)
    except OSError as error:  # a SERVICE or FROM that failed (--allow-service)
        raise LegcoError(f"SPARQL: {error}") from None
    if results.type == "ASK":
        return Answer([], [], boolean=bool(results.askAnswer))
    if results.type == "SELECT":
        variables = [str(v) for v in results.vars]
        rows = [[None if row[v] is None else str(row[v]) for v in variables] for row in results]
        return Answer(variables, rows)
    triples = [(str(s), str(p), str(o)) for s, p, o in results]
    return Answer(["subject", "predicate", "object"], [list(t) for t in triples], triples=triples)


# --- output --------------------------------------------------------------------------------------

def render(answer: Answer, format_: str) -> str:
    from legco_kg.output import table, to_csv

    if answer.boolean is not None:
        return json.dumps({"head": {}, "boolean": answer.boolean}) if format_ == "json" else str(answer.boolean).lower()
    if format_ == "json":
        bindings = [
            {v: {"value": value} for v, value in zip(answer.variables, row) if value is not None}
            for row in answer.rows
        ]
        return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
    cells = [["" if value is None else value for value in row] for row in answer.rows]
    if format_ == "csv":
        return to_csv(answer.variables, cells)
    return table(answer.variables, cells, clip=70) + f"\n({len(cells)} rows)"
