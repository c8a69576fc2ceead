"""SPARQL over a build: pyoxigraph on the store the build wrote, rdflib as the reference.

``legco-kg sparql`` runs a query given as text, as a file, or by the name of a shipped query
(``ontology/queries/*.rq``).  Values for variables (``--bind scheme=科技券``) are passed to the
engine as bindings — pyoxigraph's ``substitutions``, rdflib's ``initBindings`` — and never
spliced into the query text; a name is resolved to its entity's IRI through the query index.
Results are written by the engine's own serialisers: the W3C SPARQL results formats (JSON, XML,
CSV, TSV) for SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from legco_kg.errors import LegcoError
from legco_kg.ontology import data_path
from legco_kg.registry import Registry

# Result formats: the W3C SPARQL results formats, Turtle for graphs, and a table for people.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
FORMATS = ("table", *RESULT_FORMATS, "turtle")


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
    """A query's answer, run on demand: ``form`` is select, ask or graph (CONSTRUCT, DESCRIBE).

    ``rows`` (and ``variables``, ``boolean``, ``triples``) give plain values for tables and tests;
    :meth:`serialize` writes the engine's own serialisation.
    """

    engine: Any  # Oxigraph or Rdflib, from ENGINES
    source: Any
    query: str
    bindings: dict = field(default_factory=dict)

    def run(self):
        return self.engine.execute(self.source, self.query, self.bindings)

    @cached_property
    def _plain(self) -> tuple[str, list[str], list[list[str | None]], bool | None]:
        return self.engine.plain(self.run())

    @property
    def form(self) -> str:
        return self._plain[0]

    @property
    def variables(self) -> list[str]:
        return self._plain[1]

    @property
    def rows(self) -> list[list[str | None]]:
        return self._plain[2]

    @property
    def boolean(self) -> bool | None:
        return self._plain[3]

    @property
    def triples(self) -> list[tuple] | None:
        return [tuple(row) for row in self.rows] if self.form == "graph" else None

    def serialize(self, format_: str) -> bytes:
        """The answer in a W3C results format (SELECT, ASK) or Turtle (CONSTRUCT, DESCRIBE)."""
        results = self.run()
        graph = self.engine.is_graph(results)
        if graph != (format_ == "turtle"):
            wanted = "--format turtle (or table)" if graph else f"--format {', '.join(RESULT_FORMATS)} (or table)"
            what = "a CONSTRUCT or DESCRIBE query gives triples" if graph else "a SELECT or ASK query gives results"
            raise LegcoError(f"--format {format_}: {what}; use {wanted}")
        return self.engine.serialize(results, format_)


@dataclass(frozen=True)
class Binding:
    """A value for a variable: an IRI or a literal, and what it was given as."""

    kind: str  # "iri" or "literal"
    value: str
    note: str | None = None  # how a name was resolved, for stderr

    def __iter__(self):  # (kind, value), as the engines take it
        return iter((self.kind, self.value))


def parse_bindings(pairs: tuple[str, ...], resolve: Callable[[str], tuple[str, str]] | None = None) -> dict[str, Binding]:
    """``NAME=VALUE`` pairs: ``<IRI>`` or ``http…`` binds an IRI, ``"text"`` a literal, anything
    else names an entity, whose IRI ``resolve(name) -> (iri, description)`` finds.

    >>> parse_bindings(('year="2025-26"', "s=<https://example.org/x>"))["year"]
    Binding(kind='literal', value='2025-26', note=None)
    """
    bindings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.lstrip("?$")
        if not sep or not name.isidentifier():
            raise LegcoError(f"--bind {pair!r}: expected NAME=VALUE")
        if value.startswith("<") and value.endswith(">"):
            bindings[name] = Binding("iri", value[1:-1])
        elif value.startswith(("http://", "https://", "urn:")):
            bindings[name] = Binding("iri", value)
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            bindings[name] = Binding("literal", value[1:-1])
        else:
            if resolve is None:
                raise LegcoError(f"--bind {pair!r}: a name needs the query index to resolve it")
            iri, described = resolve(value)
            bindings[name] = Binding("iri", iri, f"--bind {name}={value}: {described} <{iri}>")
    return bindings


def index_resolver(out: Path) -> Callable[[str], tuple[str, str]]:
    """Resolve a name or alias to its entity's IRI through the build's query index, as ``query`` does
    (an unknown name fails with suggestions; add quotes, ``NAME="text"``, for a literal)."""
    from legco_kg.graph.read.query import Index, QueryError

    def resolve(name: str) -> tuple[str, str]:
        index = Index.load(out)
        try:
            entity_id = index.resolve(name)
        except QueryError as error:
            raise LegcoError(f"--bind: {error} (quote the value for a literal: NAME=\"text\")") from None
        return index.entity(entity_id)["iri"], index.describe(entity_id)

    return resolve


# --- engines ---------------------------------------------------------------------------------------

def _ox_term(term) -> str | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.Literal)):
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


def load_rdflib(out: Path):
    from rdflib import Graph

    from legco_kg.folder import BuildFolder

    path = BuildFolder(out).require("turtle")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as error:  # noqa: BLE001 - rdflib's parsers raise many types for a broken file
        reason = " ".join(str(error).split())
        raise LegcoError(f"{path}: not readable Turtle ({type(error).__name__}: {reason}); rebuild with 'legco-kg build'") from None


def _terms(bindings: dict | None, variable, iri, literal) -> dict:
    """The bindings (name → (``"iri"`` or ``"literal"``, value)) as one engine's terms, given its
    variable, IRI and literal types."""
    return {
        variable(name): iri(value) if kind == "iri" else literal(value)
        for name, (kind, value) in (bindings or {}).items()
    }


class Oxigraph:
    """pyoxigraph on the store the build wrote."""

    name = "oxigraph"
    formats = FORMATS

    @staticmethod
    def load(out: Path):
        return open_store(out)

    @staticmethod
    def execute(store, query: str, bindings: dict):
        import pyoxigraph as ox

        substitutions = _terms(bindings, ox.Variable, ox.NamedNode, ox.Literal)
        try:
            return store.query(query, substitutions=substitutions)
        except SyntaxError as error:
            raise LegcoError(f"SPARQL syntax error: {error}") from None
        except (RuntimeError, ValueError, OSError) as error:  # OSError: a SERVICE that failed (--allow-service)
            raise LegcoError(f"SPARQL: {error}") from None

    @staticmethod
    def is_graph(results) -> bool:
        import pyoxigraph as ox

        return isinstance(results, ox.QueryTriples)

    @staticmethod
    def plain(results):
        import pyoxigraph as ox

        if isinstance(results, ox.QueryBoolean):
            return "ask", [], [], bool(results)
        if isinstance(results, ox.QuerySolutions):
            variables = [v.value for v in results.variables]
            return "select", variables, [[_ox_term(solution[v]) for v in variables] for solution in results], None
        rows = [[_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)] for t in results]
        return "graph", ["subject", "predicate", "object"], rows, None

    @staticmethod
    def serialize(results, format_: str) -> bytes:
        import pyoxigraph as ox

        if format_ == "turtle":
            return results.serialize(format=ox.RdfFormat.TURTLE)
        return results.serialize(format=getattr(ox.QueryResultsFormat, format_.upper()))


class Rdflib:
    """rdflib on graph.ttl: the reference, slower to load."""

    name = "rdflib"
    formats = ("table", "json", "xml", "csv", "turtle")  # rdflib has no TSV results serialiser

    @staticmethod
    def load(out: Path):
        return load_rdflib(out)

    @staticmethod
    def execute(graph, query: str, bindings: dict):
        from rdflib import Literal, URIRef, Variable

        init = _terms(bindings, Variable, URIRef, Literal)
        try:
            return graph.query(query, initBindings=init)
        except Exception as error:  # rdflib raises pyparsing's errors, among others
            if type(error).__name__ == "ParseException":
                raise LegcoError(f"SPARQL syntax error: {error}") from None
            raise LegcoError(f"SPARQL: {error}") from None

    @staticmethod
    def is_graph(results) -> bool:
        return results.type in ("CONSTRUCT", "DESCRIBE")

    @staticmethod
    def plain(results):
        if results.type == "ASK":
            return "ask", [], [], bool(results.askAnswer)
        if results.type == "SELECT":
            variables = [str(v) for v in results.vars]
            return "select", variables, [[None if row[v] is None else str(row[v]) for v in variables] for row in results], None
        return "graph", ["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in results], None

    @staticmethod
    def serialize(results, format_: str) -> bytes:
        if format_ == "turtle":
            return results.graph.serialize(format="turtle", encoding="utf-8")
        return results.serialize(format=format_)


ENGINES = Registry("SPARQL engine", {
    "oxigraph": "legco_kg.graph.read.sparql:Oxigraph",
    "rdflib": "legco_kg.graph.read.sparql:Rdflib",
})


def run(engine_name: str, out: Path, query: str, bindings: dict | None = None) -> Answer:
    """The answer of ``query`` on the build in ``out`` with the engine named ``engine_name``."""
    engine = ENGINES.get(engine_name)
    return Answer(engine, engine.load(out), query, bindings or {})


def run_oxigraph(store, query: str, bindings: dict | None = None) -> Answer:
    return Answer(Oxigraph, store, query, bindings or {})


def run_rdflib(graph, query: str, bindings: dict | None = None) -> Answer:
    return Answer(Rdflib, graph, query, bindings or {})


# --- output --------------------------------------------------------------------------------------

def render(answer: Answer, format_: str) -> bytes:
    """The answer in ``format_``: a table for people, else the engine's serialisation."""
    if format_ not in answer.engine.formats:
        raise LegcoError(
            f"--format {format_}: the {answer.engine.name} engine writes {', '.join(answer.engine.formats)}"
        )
    if format_ != "table":
        return answer.serialize(format_)
    from legco_kg.output import table

    if answer.boolean is not None:
        return str(answer.boolean).lower().encode("utf-8")
    cells = [["" if value is None else value for value in row] for row in answer.rows]
    shown = table(answer.variables, cells) if cells else "(no rows)"
    return (shown + f"\n({len(cells)} rows)").encode("utf-8")
