"""What ``legco-kg sparql`` refuses to run: no network, no files, no writes.

Both engines would follow a ``SERVICE <http://…>`` clause (rdflib sends data from the store
with it), and rdflib also loads every ``FROM``/``FROM NAMED`` IRI of a query from the network
or the disk.  Queries are read-only: updates (``LOAD``, ``INSERT``, …) are refused.  A user
opts in to federation with ``--allow-service``.

The rdflib engine is checked on its parsed algebra (:func:`rdflib_federation`); pyoxigraph
exposes no algebra, so its queries are checked by :func:`service_tokens`, a SPARQL tokenizer
that skips strings, IRIs and comments (``"SERVICE"`` in a literal, ``ex:service`` or
``?service`` are not the keyword).  Both checks run for the rdflib engine.
"""
from __future__ import annotations

import re

from legco_kg.errors import LegcoError


class RefusedQuery(LegcoError):
    """A SPARQL query legco-kg will not run (federation, dataset loading, update, bad bind)."""


# SPARQL 1.1 terminals (https://www.w3.org/TR/sparql11-query/#sparqlGrammar), enough to find
# keywords: the alternatives are tried in order, and everything a keyword could hide in
# (strings, IRIs, comments, prefixed names, variables) is one token.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '''(?:[^'\\]|\\.|'(?!''))*'''
                | "(?:[^"\\\n\r]|\\.)*"
                | '(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>[^\W\d][\w.-]*:[\w.:%\\-]*|:[\w.:%\\-]*)
    | (?P<word>[^\W\d_]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_IRI_CHARACTER = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
FEDERATION = ("SERVICE",)
SERVICE_REFUSED = (
    "SPARQL SERVICE (federation) refused: the query would send requests to other servers; add --allow-service to run it"
)
UPDATES = ("LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def unescape_codepoints(query: str) -> str:
    r"""The query as SPARQL parsers see it: ``\uXXXX`` and ``\UXXXXXXXX`` escapes are replaced
    before parsing (SPARQL 1.1, 19.2), so ``\u0053ERVICE`` is the keyword SERVICE.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def keywords(query: str) -> list[str]:
    """The bare words of ``query`` (upper-cased), outside strings, IRIs, comments, prefixed
    names and variables.

    >>> keywords('SELECT * { ?service ex:SERVICE "SERVICE" } # SERVICE')
    ['SELECT']
    """
    return [m.group().upper() for m in _TOKEN.finditer(unescape_codepoints(query)) if m.lastgroup == "word"]


def operation(query: str) -> str | None:
    """The first keyword after the prologue (``BASE``/``PREFIX`` declarations): ``SELECT``,
    ``ASK``…, or an update's ``INSERT``, ``LOAD``…

    >>> operation('PREFIX insert: <http://example.org/> SELECT * { ?s insert:x ?o }')
    'SELECT'
    """
    words = keywords(query)
    for word in words:
        if word not in ("BASE", "PREFIX"):
            return word
    return None


def service_tokens(query: str) -> list[str]:
    """The federation keywords (``SERVICE``) of ``query``, found by the tokenizer."""
    return [word for word in keywords(query) if word in FEDERATION]


def rdflib_federation(query: str) -> tuple[list[str], list[str]]:
    """Parse ``query`` with rdflib: ``(services, datasets)``, the ``SERVICE`` endpoints and the
    ``FROM``/``FROM NAMED`` IRIs of its algebra.  A syntax error or an update is refused."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import algebra, parser

    try:
        parsed = algebra.translateQuery(parser.parseQuery(query))
    except ParseException as error:
        if _is_update(query):
            raise RefusedQuery("SPARQL update refused: legco-kg sparql only reads the build") from None
        raise RefusedQuery(f"SPARQL syntax error: {error}") from None
    except Exception as error:  # noqa: BLE001 - rdflib raises many types for bad queries
        raise RefusedQuery(f"SPARQL: {type(error).__name__}: {error}") from None
    services: list[str] = []
    _walk(parsed.algebra, services)
    # CompValue.get(key) answers the key itself when it is missing: test membership instead
    clauses = parsed.algebra["datasetClause"] if "datasetClause" in parsed.algebra else None
    datasets = [str(clause["default"] if "default" in clause else clause["named"]) for clause in clauses or []]
    return services, datasets


def _is_update(query: str) -> bool:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        parser.parseUpdate(query)
    except ParseException:
        return False
    return True


def _walk(node, services: list[str]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            services.append(str(node["term"]) if "term" in node else "?")
        for value in node.values():
            _walk(value, services)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _walk(value, services)


def check_query(query: str, engine: str, allow_service: bool = False) -> None:
    """Refuse ``query`` with one line unless it is safe to run on ``engine``.

    Refused: updates; unless ``allow_service``, ``SERVICE`` clauses (either engine) and, with
    rdflib, ``FROM``/``FROM NAMED`` (rdflib would load those IRIs).

    >>> check_query('SELECT * { ?s ?p "SERVICE" }', "oxigraph")  # a literal is not the keyword
    >>> check_query('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }', "oxigraph")
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    RefusedQuery: SPARQL SERVICE (federation) refused
    """
    if operation(query) in UPDATES:
        raise RefusedQuery("SPARQL update refused: legco-kg sparql only reads the build")
    if not allow_service and service_tokens(query):
        raise RefusedQuery(SERVICE_REFUSED)
    if engine != "rdflib":
        return
    services, datasets = rdflib_federation(query)  # also refuses what rdflib cannot parse
    if allow_service:
        return
    if services:
        raise RefusedQuery(SERVICE_REFUSED)
    if datasets:
        raise RefusedQuery(
            f"SPARQL FROM <{datasets[0]}> refused: rdflib would load it from the network or the disk; "
            "use --engine oxigraph, or add --allow-service"
        )


def check_bindings(bindings: dict[str, tuple[str, str]]) -> None:
    """Refuse an IRI binding that is not a valid IRI (a space, ``<``, ``"``…) with one line."""
    for name, (kind, value) in bindings.items():
        if kind == "iri":
            bad = _IRI_CHARACTER.search(value)
            if bad or not value:
                what = f"the character {bad.group()!r}" if bad else "nothing"
                raise RefusedQuery(f"--bind {name}=<{value}>: not an IRI (it has {what}); quote a literal without <>")
