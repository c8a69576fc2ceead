"""The registries and the vocabulary: what they list is part of the contract."""
import pytest
from rdflib import BNode, Graph, RDF
from rdflib.namespace import OWL

from legco_kg import exports
from legco_kg import extractors
from legco_kg.ontology import LKG, data_path
from legco_kg.registry import UnknownName


def test_extractor_registry_is_pinned():
    assert list(extractors.EXTRACTORS) == [
        "estimates-header", "gazetteer", "abbreviations", "name-rules", "ner", "amounts",
    ]


def test_unknown_extractor_lists_the_valid_ones():
    with pytest.raises(UnknownName, match="unknown extractor 'nope'; valid: estimates-header, gazetteer"):
        extractors.get("nope")


def test_exporters():
    assert {name: e.filename for name, e in exports.EXPORTERS.items()} == {
        "turtle": "graph.ttl", "html": "graph.html", "jsonl": "export.jsonl",
        "jsonld": "graph.jsonld", "graphml": "graph.graphml", "index": "index.sqlite",
    }
    with pytest.raises(exports.UnknownFormat, match="unknown format .xml.; valid: turtle, html, jsonl, jsonld, graphml, index"):
        exports.get("xml")


def test_namespace_and_ontology_file_agree():
    ontology = Graph().parse(data_path("legco.ttl"))
    declared = {
        str(s) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(LKG._NS))
    }
    in_code = {str(LKG._NS[name]) for name in LKG.__annotations__}
    assert declared == in_code


def test_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError):
        LKG.Replly  # noqa: B018


def test_turtle_parses_back(built):
    graph = Graph().parse(built / "graph.ttl")
    assert len(list(graph.subjects(RDF.type, LKG.Reply))) == 251
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_html_is_self_contained_and_escaped(built):
    page = (built / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in page
    assert "https://" not in page.split("<script>", 1)[0]  # no remote stylesheet
    assert "src=\"http" not in page and "href=\"http" not in page


def test_turtle_writer_is_faithful(excerpt_path):
    from rdflib.compare import isomorphic

    from legco_kg.exports.turtle import serialize
    from legco_kg.extractors.parse import parse_document
    from legco_kg.graph.rdf import to_rdf
    from legco_kg.build import assemble

    triples = to_rdf(assemble([parse_document(excerpt_path)]))
    written = serialize(triples)
    assert isomorphic(Graph().parse(data=written.decode("utf-8"), format="turtle"), triples.graph())
    assert serialize(triples) == written


@pytest.mark.parametrize(
    "registry, names",
    [
        ("legco_kg.graph.read.query:OPERATIONS", ["card", "comention", "questions", "asked", "about", "amounts", "bureaus"]),
        ("legco_kg.output:FORMATS", ["table", "json", "csv"]),
        ("legco_kg.graph.read.sparql:ENGINES", ["oxigraph", "rdflib"]),
    ],
    ids=["query-operations", "output-formats", "sparql-engines"],
)
def test_read_side_registries_are_pinned(registry, names):
    from importlib import import_module

    module, _, attribute = registry.partition(":")
    found = getattr(import_module(module), attribute)
    assert list(found) == names
    for name in names:
        assert callable(found.get(name)) or isinstance(found.get(name), type)
    with pytest.raises(UnknownName, match=f"unknown {found.family} 'nope'; valid: {', '.join(names)}"):
        found.get("nope")


def test_cli_choices_match_the_registries():
    from legco_kg import cli
    from legco_kg.graph.read.sparql import FORMATS as SPARQL_FORMATS
    from legco_kg.output import FORMATS, formats_of

    assert cli.OUTPUT_FORMATS == FORMATS.names == formats_of("answer") == formats_of("card") == formats_of("candidates")
    assert cli.STATS_FORMATS == formats_of("stats")
    assert cli.SPARQL_FORMATS == SPARQL_FORMATS
    from legco_kg.graph.read.sparql import ENGINES

    assert cli.SPARQL_ENGINES == ENGINES.names


@pytest.mark.parametrize(
    "render, format_, message",
    [
        ("render", "xml", "unknown output format 'xml'; valid: table, json, csv"),
        ("render_card", "yaml", "unknown output format 'yaml'; valid: table, json, csv"),
        ("render_candidates", "tsv", "unknown output format 'tsv'; valid: table, json, csv"),
        ("render_stats", "csv", "unknown stats output format 'csv'; valid: table, json"),
    ],
    ids=["query", "show", "candidates", "stats-has-no-csv"],
)
def test_every_printer_goes_through_the_output_formats(render, format_, message):
    from legco_kg import output

    with pytest.raises(UnknownName, match=f"^{message}$"):
        getattr(output, render)({}, format_)


def test_restoring_a_registry_entry_keeps_it_lazy(monkeypatch):
    # A test that stands an object in for an extractor and restores it afterwards must leave the
    # registry following the module again, so a later patch of the module is seen.
    saved = extractors.EXTRACTORS["amounts"]
    extractors.EXTRACTORS["amounts"] = lambda doc: []
    extractors.EXTRACTORS["amounts"] = saved

    def stand_in(doc):
        return []

    monkeypatch.setattr("legco_kg.extractors.amounts.amounts", stand_in)
    assert extractors.EXTRACTORS["amounts"] is stand_in
