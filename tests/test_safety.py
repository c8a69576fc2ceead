"""Security of the read side: no network or files from SPARQL, no writes outside the build,
and one-line errors for a broken build."""
import http.server
import shutil
import threading

import pytest

from legco_kg.folder import BuildFolder
from legco_kg.graph.read.sparql_safety import RefusedQuery, check_query, keywords

from helpers import one_line, run

ENGINES = ["oxigraph", "rdflib"]


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, excerpt_path):
    out = tmp_path_factory.mktemp("small") / "out"
    assert run("build", excerpt_path, "--out", out, "--quiet").exit_code == 0
    return out


@pytest.fixture
def build_copy(tmp_path, small_build):
    """A copy of the small build that a test may break."""
    out = tmp_path / "out"
    shutil.copytree(small_build, out, symlinks=True)
    return out


class Endpoint:
    """A local HTTP server that counts the requests it gets (a stand-in for a remote SPARQL endpoint)."""

    def __enter__(self):
        self.requests = []
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                endpoint.requests.append(self.path)
                self.send_response(500)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


FEDERATED = [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o OPTIONAL {{ SeRvIcE <{url}> {{ ?s ?q ?r }} }} }}",
    "SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }}",
    "# a comment\nSELECT * {{ ?s ?p \"#\" . SERVICE <{url}> {{ ?s ?q ?r }} }}",
    "SELECT * {{ ?s ?p \"\"\"a \" quote\"\"\" . SERVICE <{url}> {{ ?s ?q ?r }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX service: <http://example.org/> SELECT * {{ SERVICE <{url}> {{ ?s service:x ?o }} }}",
]
FEDERATED_IDS = ["plain", "lower case silent", "in OPTIONAL", "in EXISTS", "after comment and #", "after long string",
                 "codepoint escape", "prefix named service"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", FEDERATED, ids=FEDERATED_IDS)
def test_service_is_refused_and_sends_nothing(small_build, engine, query):
    with Endpoint() as endpoint:
        result = run("sparql", query.format(url=endpoint.url), "--out", small_build, "--engine", engine)
        assert result.exit_code == 1
        assert one_line(result) == (
            "Error: SPARQL SERVICE (federation) refused: the query would send requests to other servers; "
            "add --allow-service to run it"
        )
        assert endpoint.requests == []


@pytest.mark.parametrize("engine", ENGINES)
def test_allow_service_opts_in(small_build, engine):
    with Endpoint() as endpoint:
        query = f"SELECT * {{ SERVICE <{endpoint.url}> {{ ?s ?p ?o }} }}"
        result = run("sparql", query, "--out", small_build, "--engine", engine, "--allow-service")
        assert "Traceback" not in result.output
        assert endpoint.requests  # the request went out (the stand-in answers 500)


NOT_FEDERATED = [
    'SELECT ?s {{ ?s ?p "SERVICE <{url}>" }}',
    "SELECT ?service {{ ?service ?p ?o }}",
    "PREFIX ex: <http://example.org/> SELECT ?s {{ ?s ex:SERVICE ?o }}",
    "SELECT ?s {{ ?s ?p ?o }} # SERVICE <{url}>",
    "SELECT ?s {{ ?s <http://example.org/SERVICE> ?o }}",
    "SELECT ?s {{ ?s ?p \"服務\"@service }}",
]
NOT_FEDERATED_IDS = ["in a literal", "a variable", "a prefixed name", "a comment", "in an IRI", "a language tag"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", NOT_FEDERATED, ids=NOT_FEDERATED_IDS)
def test_the_word_service_elsewhere_is_not_refused(small_build, engine, query):
    with Endpoint() as endpoint:
        result = run("sparql", query.format(url=endpoint.url), "--out", small_build, "--engine", engine)
        assert result.exit_code == 0, result.output
        assert endpoint.requests == []


@pytest.mark.parametrize(
    "query, engine, refused",
    [
        ("SELECT * FROM <{url}> {{ ?s ?p ?o }}", "rdflib", "SPARQL FROM <{url}> refused"),
        ("SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", "rdflib", "SPARQL FROM <{url}> refused"),
        ("SELECT * FROM <{url}> {{ ?s ?p ?o }}", "oxigraph", None),  # a graph of the store, never fetched
    ],
    ids=["rdflib FROM", "rdflib FROM NAMED", "oxigraph FROM"],
)
def test_from_never_loads_a_remote_graph(small_build, query, engine, refused):
    with Endpoint() as endpoint:
        result = run("sparql", query.format(url=endpoint.url), "--out", small_build, "--engine", engine)
        if refused:
            assert result.exit_code == 1 and one_line(result).startswith("Error: " + refused.format(url=endpoint.url))
        else:
            assert result.exit_code == 0, result.output
        assert endpoint.requests == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "update",
    ["LOAD <{url}>", "INSERT DATA {{ <http://example.org/a> <http://example.org/b> \"乙\" }}",
     "PREFIX ex: <http://example.org/> DELETE WHERE {{ ?s ex:p ?o }}", "CLEAR ALL"],
    ids=["load", "insert", "delete with prefix", "clear"],
)
def test_updates_are_refused_with_one_line(small_build, engine, update):
    with Endpoint() as endpoint:
        result = run("sparql", update.format(url=endpoint.url), "--out", small_build, "--engine", engine)
        assert result.exit_code == 1
        assert one_line(result) == "Error: SPARQL update refused: legco-kg sparql only reads the build"
        assert endpoint.requests == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "bind, bad",
    [("s=<http://example.org/a b>", "' '"), ("s=http://example.org/<x>", "'<'"), ("s=<>", "nothing")],
    ids=["space", "angle bracket", "empty"],
)
def test_a_bind_that_is_not_an_iri_is_one_line(small_build, engine, bind, bad):
    result = run("sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--out", small_build, "--engine", engine, "--bind", bind)
    assert result.exit_code == 1
    assert f"not an IRI (it has {'the character ' if bad != 'nothing' else ''}{bad})" in one_line(result)


def test_a_syntax_error_with_rdflib_is_one_line(small_build):
    result = run("sparql", "SELEC * { ?s ?p ?o }", "--out", small_build, "--engine", "rdflib")
    assert result.exit_code == 1 and one_line(result).startswith("Error: SPARQL syntax error")


def test_keywords_skip_strings_iris_comments_and_names():
    query = "PREFIX s: <http://e/SERVICE#> SELECT ?service { ?x s:service 'SERVICE' ; <SERVICE> \"\"\"\nSERVICE\"\"\" } # SERVICE"
    assert keywords(query) == ["PREFIX", "SELECT"]
    with pytest.raises(RefusedQuery):
        check_query(query.replace("?service {", "?service { SERVICE <http://e/> { ?a ?b ?c }"), "oxigraph")


# --- a broken or planted build ----------------------------------------------------------------

def _index(out):
    return BuildFolder(out).require("index")


def plant(out, entity_id, label):
    """Add an entity ``entity_id`` named ``label`` to the build's query index, as an attacker
    who can write the build folder would."""
    import sqlite3

    from legco_kg.extractors.text import name_key

    path = _index(out)
    db = sqlite3.connect(path)
    with db:
        row = db.execute("SELECT * FROM entities LIMIT 1").fetchone()
        db.execute("INSERT INTO entities VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)", (entity_id, row[1], label, *row[4:]))
        db.execute("INSERT INTO names VALUES (?, ?, ?)", (name_key(label), entity_id, label))
    db.close()


@pytest.mark.parametrize(
    "planted",
    ["../../escaped", "子/頁", ".hidden", "a\\b"],
    ids=["parent dirs", "slash and non-ascii", "hidden", "backslash"],
)
def test_a_planted_id_cannot_write_outside_the_folder(tmp_path, build_copy, planted):
    plant(build_copy, planted, "逃逸測試")
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run("html", "逃逸測試", "--build", build_copy)
    assert result.exit_code == 1
    assert one_line(result) == f"Error: {planted!r}: not a safe file name for a page; give the file with --out"
    assert sorted(p for p in tmp_path.rglob("*")) == before


def _sqlite(setup: str) -> bytes:
    """The bytes of a SQLite database made by ``setup`` (SQL)."""
    import sqlite3
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "x.sqlite"
        db = sqlite3.connect(path)
        db.executescript(setup)
        db.close()
        return path.read_bytes()


def _without_tables(path) -> bytes:
    import sqlite3

    db = sqlite3.connect(path)
    db.executescript("DROP TABLE names; DROP TABLE entities; DROP TABLE replies;")
    db.commit()
    db.close()
    return path.read_bytes()


BROKEN_INDEX = [
    (lambda path: path.read_bytes()[:3000], "not a legco-kg query index"),
    (lambda path: b"\xff\xfe\x00garbage", "not a legco-kg query index (not a SQLite database)"),
    (lambda path: b'{"format": 1, "entities": {}}', "not a legco-kg query index (not a SQLite database)"),
    (lambda path: _sqlite("CREATE TABLE t (x);"), "index format 0, this legco-kg reads format 2"),
    (lambda path: _sqlite("CREATE TABLE t (x); PRAGMA user_version = 1;"), "index format 1, this legco-kg reads format 2"),
    (_without_tables, "damaged query index (no such table: "),
]
BROKEN_INDEX_IDS = ["truncated", "binary", "the old index.json", "another database", "an older format", "a table missing"]


@pytest.mark.parametrize("command", [["query", "新田科技城"], ["show", "新田科技城"], ["stats"], ["html", "新田科技城", "--build"]],
                         ids=["query", "show", "stats", "html"])
@pytest.mark.parametrize("content, problem", BROKEN_INDEX, ids=BROKEN_INDEX_IDS)
def test_a_broken_index_is_one_line_asking_for_a_rebuild(build_copy, command, content, problem):
    path = _index(build_copy)
    path.write_bytes(content(path))
    option = [] if command[-1] == "--build" else ["--out"]
    result = run(*command, *option, build_copy)
    assert result.exit_code == 1
    message = one_line(result)
    assert message.startswith(f"Error: {path}: {problem}") and "rebuild" in message


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'<script type="application/json" id="legco-data">{"nodes": [',
        b"\xff\xfe\x00binary",
        b"<html><body>another page</body></html>",
        b'<script type="application/json" id="legco-data">{"nodes": 1}</script>',
    ],
    ids=["empty", "truncated", "binary", "another page", "data of another shape"],
)
def test_a_broken_explorer_page_is_one_line_asking_for_a_rebuild(build_copy, content):
    """`html ENTITY` reads the data block of the build's graph.html."""
    path = BuildFolder(build_copy).require("html")
    path.write_bytes(content)
    result = run("html", "新田科技城", "--build", build_copy)
    assert result.exit_code == 1
    message = one_line(result)
    assert message.startswith(f"Error: {path}: ") and "rebuild with 'legco-kg build'" in message


@pytest.mark.parametrize(
    "query, services, datasets",
    [
        ("SELECT * { SERVICE <http://example.org/a> { ?s ?p ?o } OPTIONAL { SERVICE ?where { ?s ?q ?r } } }",
         ["http://example.org/a", "where"], []),
        ("SELECT * FROM <http://example.org/g> FROM NAMED <http://example.org/n> { ?s ?p ?o }",
         [], ["http://example.org/g", "http://example.org/n"]),
        ("SELECT * { ?s ?p 'SERVICE' }", [], []),
    ],
    ids=["services", "datasets", "neither"],
)
def test_the_rdflib_algebra_lists_services_and_datasets(query, services, datasets):
    from legco_kg.graph.read.sparql_safety import rdflib_federation

    assert rdflib_federation(query) == (services, datasets)


@pytest.mark.parametrize(
    "command",
    [["sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--engine", "rdflib"], ["validate"]],
    ids=["sparql rdflib", "validate"],
)
def test_a_broken_turtle_file_is_one_line_asking_for_a_rebuild(build_copy, command):
    path = BuildFolder(build_copy).require("turtle")
    path.write_bytes(b"@prefix broken\n<http://example.org/a> <b> .\n")
    result = run(*command, "--out", build_copy)
    assert result.exit_code == 1
    message = one_line(result)
    assert message.startswith(f"Error: {path}: not readable Turtle") and message.endswith("rebuild with 'legco-kg build'")


def test_a_corrupt_store_is_one_line_asking_for_a_rebuild(build_copy):
    store = BuildFolder(build_copy).require("store")
    for table in store.glob("*.sst"):
        table.write_bytes(b"broken")
    result = run("sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--out", build_copy)
    assert result.exit_code == 1
    message = one_line(result)
    assert message.startswith(f"Error: {store}: cannot open the SPARQL store") and message.endswith("rebuild with 'legco-kg build'")


def test_the_safety_doctests_run():
    import doctest

    from legco_kg.graph.read import sparql_safety

    outcome = doctest.testmod(sparql_safety)
    assert outcome.attempted >= 5 and outcome.failed == 0
