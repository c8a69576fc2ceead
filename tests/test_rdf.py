"""RDF outputs: SHACL validation, a second Turtle parser, JSON-LD, and SPARQL on both engines."""
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal, InvalidOperation

import pytest
from rdflib import Graph

from legco_kg.graph.read import sparql

from helpers import run


@pytest.fixture(scope="module")
def reference(built):
    """graph.ttl parsed by rdflib, the reference engine."""
    return sparql.load_rdflib(built)


def normal(cell):
    """Compare results across engines: numbers by value (19 = 19.0), everything else as text."""
    if cell is None:
        return ""
    try:
        return str(Decimal(cell).normalize()) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", cell) else cell
    except InvalidOperation:
        return cell


@pytest.mark.parametrize("name", sorted(sparql.shipped_queries()))
def test_every_shipped_query_gives_the_same_answer_on_both_engines(built, reference, name):
    query = sparql.load_query(name)
    fast = sparql.run_oxigraph(sparql.open_store(built), query)
    slow = sparql.run_rdflib(reference, query)
    assert fast.rows, f"{name} found nothing"
    assert fast.variables == slow.variables
    assert sorted(map(lambda r: [normal(c) for c in r], fast.rows)) == sorted(map(lambda r: [normal(c) for c in r], slow.rows))


def test_bindings_are_passed_not_spliced(built, reference):
    query = sparql.load_query("members-who-asked-about")
    bindings = sparql.parse_bindings(("scheme=<https://w3id.org/legco-kg/id/entity/cyberport>",))
    fast = sparql.run_oxigraph(sparql.open_store(built), query, bindings)
    slow = sparql.run_rdflib(reference, query, bindings)
    assert fast.rows and sorted(fast.rows) == sorted(slow.rows)
    assert {row[0] for row in fast.rows} == {"https://w3id.org/legco-kg/id/entity/cyberport"}
    # A value that looks like SPARQL stays a literal: it matches nothing and breaks nothing.
    hostile = sparql.parse_bindings(('scheme="x" } ?s ?p ?o { "',))
    assert sparql.run_oxigraph(sparql.open_store(built), query, hostile).rows == []


def test_sparql_command(built, tmp_path):
    result = run("sparql", "schemes-with-cyberport", "--out", built, "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["head"]["vars"] == ["scheme", "label_zh", "label_en", "replies"]
    first = answer["results"]["bindings"][0]
    assert first["scheme"]["value"].endswith("/artificial-intelligence-subsidy-scheme")
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/MonetaryAmount> }", encoding="utf-8")
    result = run("sparql", query, "--out", built, "--format", "csv")
    assert result.exit_code == 0 and result.output.splitlines()[0] == "n" and int(result.output.splitlines()[1]) > 1000
    result = run("sparql", "SELEC ?x", "--out", built)
    assert result.exit_code == 1 and "SPARQL syntax error" in result.output
    result = run("sparql", "nope.rq", "--out", built)
    assert result.exit_code == 1 and "shipped queries: amounts-per-scheme" in result.output


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_sparql_json_is_the_w3c_results_format(built, engine):
    result = run("sparql", "members-who-asked-about", "--out", built, "--format", "json", "--engine", engine)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    row = answer["results"]["bindings"][0]
    assert row["member"]["type"] == "uri" and row["reply"]["type"] == "literal"
    assert row["name"]["xml:lang"].lower() == "zh-hant"


@pytest.mark.parametrize(
    "format_, check",
    [
        ("xml", lambda text: text.lstrip().startswith("<?xml") and "sparql-results#" in text),
        ("csv", lambda text: text.splitlines()[0].strip() == "scheme,member,name,reply"),
        ("tsv", lambda text: text.splitlines()[0] == "?scheme\t?member\t?name\t?reply" and "@zh-" in text),
    ],
    ids=["xml", "csv", "tsv"],
)
def test_sparql_result_formats(built, format_, check):
    result = run("sparql", "members-who-asked-about", "--out", built, "--format", format_)
    assert result.exit_code == 0, result.output
    assert check(result.stdout)


def test_construct_and_describe_give_turtle(built):
    iri = "<https://w3id.org/legco-kg/id/entity/cyberport>"
    for query in (f"DESCRIBE {iri}", f"CONSTRUCT {{ {iri} ?p ?o }} WHERE {{ {iri} ?p ?o }}"):
        result = run("sparql", query, "--out", built, "--format", "turtle")
        assert result.exit_code == 0, result.output
        graph = Graph().parse(data=result.stdout, format="turtle")
        assert any(str(o) == "數碼港" for o in graph.objects())
    result = run("sparql", f"DESCRIBE {iri}", "--out", built, "--format", "json")
    assert result.exit_code == 1 and "use --format turtle" in result.output


@pytest.mark.parametrize("value", ["科技券", "TVP", "Technology Voucher Programme"], ids=["chinese", "abbreviation", "english"])
def test_bind_a_name(built, value):
    result = run("sparql", "members-who-asked-about", "--out", built, "--format", "csv", "--bind", f"scheme={value}")
    assert result.exit_code == 0, result.output
    iri = "https://w3id.org/legco-kg/id/entity/technology-voucher-programme"
    assert f"--bind scheme={value}:" in result.stderr and iri in result.stderr
    rows = result.stdout.splitlines()[1:]
    assert rows and all(row.startswith(iri + ",") for row in rows)


def test_bind_an_unknown_name_is_an_error(built):
    result = run("sparql", "members-who-asked-about", "--out", built, "--bind", "scheme=Cyberzone Park")
    assert result.exit_code == 1
    assert "no entity named 'Cyberzone Park'" in result.output and 'NAME="text"' in result.output


def test_the_build_conforms_to_the_shapes(built):
    result = run("validate", "--out", built)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_a_broken_graph_is_reported(built, tmp_path):
    # Drop every currency: each amount now violates "one ISO 4217 currency".
    turtle = (built / "graph.ttl").read_text(encoding="utf-8")
    broken = re.sub(r'\n    schema:currency "[A-Z]{3}" ;', "", turtle)
    assert broken != turtle
    (tmp_path / "graph.ttl").write_text(broken, encoding="utf-8")
    result = run("validate", "--out", tmp_path)
    assert result.exit_code == 1
    assert "exactly one ISO 4217 currency code" in result.output and "does not conform" in result.output


RAPPER = shutil.which("rapper")


@pytest.mark.skipif(RAPPER is None and not os.environ.get("CI"), reason="no rapper here (.ci/run installs raptor2-utils)")
def test_a_second_parser_reads_the_same_triples(built, reference):
    done = subprocess.run(
        [RAPPER or "rapper", "-i", "turtle", "-c", str(built / "graph.ttl")], capture_output=True, text=True, check=True
    )
    counted = int(re.search(r"returned (\d+) triples", done.stderr).group(1))
    assert counted == len(reference) > 100_000


def test_jsonld_holds_the_same_triples(built, reference):
    document = json.loads((built / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    parsed = Graph().parse(built / "graph.jsonld", format="json-ld")
    assert set(parsed) == set(reference)


def test_no_blank_nodes_and_one_pref_label_per_language(reference):
    from rdflib import BNode
    from rdflib.namespace import SKOS

    assert not any(isinstance(term, BNode) for triple in reference for term in triple)
    seen = {}
    for subject, label in reference.subject_objects(SKOS.prefLabel):
        key = (subject, label.language)
        assert key not in seen, f"two {label.language} prefLabels on {subject}"
        seen[key] = label


def test_export_graphml_loads_in_networkx(built):
    from legco_kg.exports.graphml import load

    graph = load(built / "graph.graphml")
    assert graph.nodes["cyberport"]["label_en"] == "Cyberport"
    assert "ITIB008" in graph.nodes["cyberport"]["replies"]
