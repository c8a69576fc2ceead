"""Closed namespaces: a typo in a term is an AttributeError, not a silent new IRI.

``LKG`` holds only what the standard vocabularies (ORG, FOAF, schema.org, SKOS, PROV,
DCTERMS, NIF) lack; ``ontology/legco.ttl`` declares the same terms (a test checks they agree).
"""
from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ID = Namespace("https://w3id.org/legco-kg/id/")
"""Base of the IRIs of the graph's own resources (documents, replies, entities, spans)."""


class LKG(DefinedNamespace):
    """legco-kg's own terms."""

    _fail = True
    _NS = Namespace("https://w3id.org/legco-kg/ontology#")

    # Classes
    Reply: URIRef  # a controlling officer's reply to a written question
    WrittenQuestion: URIRef  # a legislator's written question on the estimates
    Member: URIRef  # a Member of the Legislative Council
    Bureau: URIRef  # a government bureau, department or office funded under a head
    Head: URIRef  # a head of expenditure (總目)
    Programme: URIRef  # a programme (綱領) of a head
    ControllingOfficer: URIRef  # the post that replies for a head
    Document: URIRef  # a source document
    Mention: URIRef  # a span of source text naming an entity

    # Properties
    replyNumber: URIRef
    questionNumber: URIRef
    memberReference: URIRef  # 立法會內部參考編號
    asked: URIRef  # member → question
    answers: URIRef  # reply → question
    answeredBy: URIRef  # reply → controlling officer
    underHead: URIRef
    underProgramme: URIRef
    subhead: URIRef
    headCode: URIRef
    fundsBureau: URIRef  # head → bureau
    mentions: URIRef  # reply or document → entity
    inReply: URIRef  # mention → reply
    section: URIRef  # "question" or "answer"
    documentKind: URIRef  # "estimates-replies" or "paper"
    entityKind: URIRef  # member, bureau, programme, officer, scheme, ...
    extractor: URIRef
    amountOf: URIRef  # monetary amount → the scheme, body or platform it is the amount of
    statesAmount: URIRef  # reply or document → monetary amount
    qualifier: URIRef  # about, over, at-most, at-least, range
    perUnit: URIRef  # true for a rate (每名 … 100萬元)
    fiscalYear: URIRef  # "2025-26" or "2024"
    rowLabel: URIRef  # a table cell's row label
    amountRole: URIRef  # estimate, revised-estimate, actual, approved, allocation, cap, average, …


class NIF(DefinedNamespace):
    """The NIF 2.0 Core terms legco-kg uses for text spans."""

    _fail = True
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

    String: URIRef
    Context: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    Sentence: URIRef
    sentence: URIRef  # a string → the sentence it is part of
    sourceUrl: URIRef
