"""The RDF view of the knowledge graph: standard vocabularies, span provenance, no blank nodes."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SDO, SKOS, XSD

from legco_kg.ontology import ID, LKG, NIF

if TYPE_CHECKING:
    from legco_kg.graph.kg import Entity, KnowledgeGraph

PREFIXES = {
    "lkg": LKG._NS, "id": ID, "nif": NIF._NS, "org": ORG, "foaf": FOAF, "schema": SDO,
    "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "xsd": XSD,
}
_CLASS = {
    "member": (LKG.Member,),
    "bureau": (LKG.Bureau, SDO.GovernmentOrganization),
    "programme": (LKG.Programme,),
    "officer": (LKG.ControllingOfficer,),
    "institution": (ORG.Organization,),
    "scheme": (SDO.FundingScheme,),
    "platform": (SDO.Thing,),
}
ZH = "zh-Hant"


def iri(*parts: str) -> URIRef:
    return ID["/".join(parts)]


def entity_iri(entity_id: str) -> URIRef:
    return iri("entity", entity_id)


def document_iri(doc_id: str) -> URIRef:
    return iri("doc", doc_id)


def reply_iri(doc_id: str, reply: str) -> URIRef:
    return iri("reply", doc_id, reply)


def question_iri(doc_id: str, question: str) -> URIRef:
    return iri("question", doc_id, question)


def head_iri(code: str) -> URIRef:
    return iri("head", code)


def _labels(graph: Graph, node: URIRef, entity: "Entity") -> None:
    graph.add((node, SKOS.prefLabel, Literal(entity.label_zh, lang=ZH)))
    if entity.label_en:
        graph.add((node, SKOS.prefLabel, Literal(entity.label_en, lang="en")))
    for alias in entity.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias, lang="en" if alias.isascii() else ZH)))


class Triples:
    """The triples of the graph, collected in a set: ``rdflib.Graph.add`` keeps three indexes and
    costs ~40 µs a triple, too slow for a build of 100,000 triples.  ``graph()`` gives the rdflib
    Graph when one is needed (tests, validation)."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self._prefixes: dict[str, URIRef] = {}

    def add(self, triple: tuple) -> None:
        self.triples.add(triple)

    def bind(self, prefix: str, namespace) -> None:
        self._prefixes[prefix] = URIRef(str(namespace))

    def namespaces(self):
        return iter(self._prefixes.items())

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in self._prefixes.items():
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph


def to_rdf(kg: "KnowledgeGraph") -> Triples:
    graph = Triples()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)

    for doc in kg.documents:
        doc_node = document_iri(doc.doc_id)
        graph.add((doc_node, RDF.type, LKG.Document))
        graph.add((doc_node, RDF.type, NIF.Context))
        graph.add((doc_node, DCTERMS.identifier, Literal(doc.doc_id)))
        graph.add((doc_node, DCTERMS.source, Literal(doc.source)))
        graph.add((doc_node, LKG.documentKind, Literal(doc.kind)))
        if doc.title:
            graph.add((doc_node, DCTERMS.title, Literal(doc.title, lang=ZH)))
        for reply in doc.replies:
            node = reply_iri(doc.doc_id, reply.reply)
            question = question_iri(doc.doc_id, reply.question)
            graph.add((node, RDF.type, LKG.Reply))
            graph.add((node, LKG.replyNumber, Literal(reply.reply)))
            graph.add((node, DCTERMS.isPartOf, doc_node))
            graph.add((node, LKG.answers, question))
            graph.add((node, NIF.beginIndex, Literal(reply.start, datatype=XSD.nonNegativeInteger)))
            graph.add((node, NIF.endIndex, Literal(reply.end, datatype=XSD.nonNegativeInteger)))
            graph.add((node, LKG.underHead, head_iri(reply.head)))
            if reply.subhead:
                graph.add((node, LKG.subhead, Literal(reply.subhead)))
            graph.add((question, RDF.type, LKG.WrittenQuestion))
            graph.add((question, LKG.questionNumber, Literal(reply.question)))
            graph.add((question, SDO.text, Literal(reply.question_text.text, lang=ZH)))
            graph.add((node, SDO.text, Literal(reply.answer_text.text, lang=ZH)))
            if reply.member_ref:
                graph.add((question, LKG.memberReference, Literal(reply.member_ref)))
            head = head_iri(reply.head)
            graph.add((head, RDF.type, LKG.Head))
            graph.add((head, LKG.headCode, Literal(reply.head)))
            graph.add((head, SKOS.notation, Literal(reply.head)))
            graph.add((head, SKOS.prefLabel, Literal(reply.head_name, lang=ZH)))

    for entity in kg.entities.values():
        node = entity_iri(entity.id)
        for rdf_class in _CLASS.get(entity.kind, (SDO.Thing,)):
            graph.add((node, RDF.type, rdf_class))
        graph.add((node, LKG.entityKind, Literal(entity.kind)))
        _labels(graph, node, entity)
        if entity.kind == "member":
            graph.add((node, FOAF.name, Literal(entity.label_zh, lang=ZH)))
        if entity.notation:
            graph.add((node, SKOS.notation, Literal(entity.notation)))
            graph.add((node, SKOS.inScheme, head_iri(entity.notation.split("-", 1)[0])))
        if entity.parent:
            graph.add((node, ORG.subOrganizationOf, entity_iri(entity.parent)))

    questions = {(d.doc_id, r.reply): r.question for d in kg.documents for r in d.replies}
    sentences = kg.sentences

    def link_sentence(span: URIRef, doc_id: str, start: int, end: int) -> None:
        found = sentences.locate(doc_id, start, end)
        if found is None:
            return
        s_start, s_end, text = found
        node = iri("sentence", doc_id, f"{s_start}-{s_end}")
        graph.add((span, NIF.sentence, node))
        graph.add((node, RDF.type, NIF.Sentence))
        graph.add((node, NIF.referenceContext, document_iri(doc_id)))
        graph.add((node, NIF.beginIndex, Literal(s_start, datatype=XSD.nonNegativeInteger)))
        graph.add((node, NIF.endIndex, Literal(s_end, datatype=XSD.nonNegativeInteger)))
        graph.add((node, NIF.anchorOf, Literal(text, lang=ZH)))

    extractors = set()
    for mention, entity_id in kg.mentions:
        entity = entity_iri(entity_id)
        doc_node = document_iri(mention.doc_id)
        span = iri("span", mention.doc_id, f"{mention.start}-{mention.end}")
        graph.add((span, RDF.type, LKG.Mention))
        graph.add((span, NIF.referenceContext, doc_node))
        graph.add((span, NIF.beginIndex, Literal(mention.start, datatype=XSD.nonNegativeInteger)))
        graph.add((span, NIF.endIndex, Literal(mention.end, datatype=XSD.nonNegativeInteger)))
        graph.add((span, NIF.anchorOf, Literal(mention.text, lang="zh-Hans" if mention.label else ZH)))
        graph.add((span, SKOS.related, entity))
        if mention.section:
            link_sentence(span, mention.doc_id, mention.start, mention.end)
        activity = iri("extractor", mention.extractor)
        graph.add((span, PROV.wasGeneratedBy, activity))
        extractors.add(mention.extractor)
        subject = reply_iri(mention.doc_id, mention.reply) if mention.reply else doc_node
        if mention.reply:
            graph.add((span, LKG.inReply, subject))
        if mention.section:
            graph.add((span, LKG.section, Literal(mention.section)))
        _add_fact(graph, questions, mention, subject, entity, span)
    for amount, subject_id in kg.amounts:
        node = iri("amount", amount.doc_id, f"{amount.start}-{amount.end}")
        span = iri("span", amount.doc_id, f"{amount.start}-{amount.end}")
        graph.add((node, RDF.type, SDO.MonetaryAmount))
        graph.add((node, SDO.value, Literal(amount.value, datatype=XSD.decimal)))
        graph.add((node, SDO.currency, Literal(amount.currency)))
        if amount.qualifier:
            graph.add((node, LKG.qualifier, Literal(amount.qualifier)))
        graph.add((node, LKG.perUnit, Literal(amount.per_unit)))
        if amount.year:
            graph.add((node, LKG.fiscalYear, Literal(amount.year)))
        if amount.row:
            graph.add((node, LKG.rowLabel, Literal(amount.row, lang=ZH)))
        if subject_id:
            graph.add((node, LKG.amountOf, entity_iri(subject_id)))
        graph.add((node, PROV.wasDerivedFrom, span))
        graph.add((span, RDF.type, NIF.String))
        graph.add((span, NIF.referenceContext, document_iri(amount.doc_id)))
        graph.add((span, NIF.beginIndex, Literal(amount.start, datatype=XSD.nonNegativeInteger)))
        graph.add((span, NIF.endIndex, Literal(amount.end, datatype=XSD.nonNegativeInteger)))
        graph.add((span, NIF.anchorOf, Literal(amount.text, lang=ZH)))
        graph.add((span, PROV.wasGeneratedBy, iri("extractor", amount.extractor)))
        link_sentence(span, amount.doc_id, amount.start, amount.end)
        extractors.add(amount.extractor)
        owner = reply_iri(amount.doc_id, amount.reply) if amount.reply else document_iri(amount.doc_id)
        graph.add((owner, LKG.statesAmount, node))
    for name in extractors:
        activity = iri("extractor", name)
        graph.add((activity, RDF.type, PROV.Activity))
        graph.add((activity, LKG.extractor, Literal(name)))
    return graph


def _add_fact(graph: Graph, questions: dict, mention, subject: URIRef, entity: URIRef, span: URIRef) -> None:
    """The fact a mention supports, and the span it was derived from (PROV)."""
    if mention.reply and mention.section is None:
        if mention.kind == "member":
            question = question_iri(mention.doc_id, questions[mention.doc_id, mention.reply])
            graph.add((entity, LKG.asked, question))
            graph.add((question, PROV.wasDerivedFrom, span))
            return
        if mention.kind == "programme":
            graph.add((subject, LKG.underProgramme, entity))
        elif mention.kind == "officer":
            graph.add((subject, LKG.answeredBy, entity))
        elif mention.kind == "bureau" and mention.key:
            graph.add((head_iri(mention.key), LKG.fundsBureau, entity))
            return
    graph.add((subject, LKG.mentions, entity))
