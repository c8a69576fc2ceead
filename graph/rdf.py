"""The RDF view of the knowledge graph: standard vocabularies, span provenance, no blank nodes."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SDO, SKOS, XSD

from legco_kg.graph.facts import Relation
from legco_kg.ontology import ID, LKG, NIF

if TYPE_CHECKING:
    from legco_kg.graph.facts import Fact
    from legco_kg.graph.kg import Entity, KnowledgeGraph

PREFIXES = {
    "lkg": LKG._NS, "id": ID, "nif": NIF._NS, "org": ORG, "foaf": FOAF, "schema": SDO,
    "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "xsd": XSD,
}
_CLASS = {
    "member": (LKG.Member, FOAF.Person),
    "bureau": (LKG.Bureau, SDO.GovernmentOrganization),
    "programme": (LKG.Programme,),
    "officer": (LKG.ControllingOfficer,),
    "institution": (ORG.Organization,),
    "scheme": (SDO.FundingScheme,),
    "platform": (SDO.Thing,),
}
ZH = "zh-Hant"


_ID = str(ID)


# IRIs are plain strings here (see :class:`Triples`); rdflib wants them as ``URIRef(iri)``.
def iri(*parts: str) -> str:
    return _ID + "/".join(parts)


def entity_iri(entity_id: str) -> str:
    return iri("entity", entity_id)


def document_iri(doc_id: str) -> str:
    return iri("doc", doc_id)


def reply_iri(doc_id: str, reply: str) -> str:
    return iri("reply", doc_id, reply)


def question_iri(doc_id: str, question: str) -> str:
    return iri("question", doc_id, question)


def head_iri(code: str) -> str:
    return iri("head", code)


# Terms of the hot loops as plain strings: a closed namespace's ``__getattr__`` is a Python call,
# and it ran half a million times a build.
_TYPE, _MENTION, _STRING, _SENTENCE = str(RDF.type), str(LKG.Mention), str(NIF.String), str(NIF.Sentence)
_CONTEXT, _BEGIN, _END, _ANCHOR = str(NIF.referenceContext), str(NIF.beginIndex), str(NIF.endIndex), str(NIF.anchorOf)
_IN_SENTENCE, _RELATED, _GENERATED_BY = str(NIF.sentence), str(SKOS.related), str(PROV.wasGeneratedBy)
_IN_REPLY, _SECTION, _MENTIONS, _DERIVED_FROM = str(LKG.inReply), str(LKG.section), str(LKG.mentions), str(PROV.wasDerivedFrom)
_NON_NEGATIVE = str(XSD.nonNegativeInteger)


def _labels(graph: Graph, node: URIRef, entity: "Entity") -> None:
    graph.add((node, SKOS.prefLabel, Literal(entity.label_zh, lang=ZH)))
    if entity.label_en:
        graph.add((node, SKOS.prefLabel, Literal(entity.label_en, lang="en")))
    for alias in entity.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias, lang="en" if alias.isascii() else ZH)))


class Lit(NamedTuple):
    """A literal as plain values: hashing and comparing it costs what a tuple of strings costs,
    not what an rdflib ``Literal`` costs (its constructor and ``__eq__`` are Python code)."""

    lexical: str
    lang: str | None = None
    datatype: str | None = None


def plain(term) -> "str | Lit":
    """An IRI as a plain ``str``, a literal as a :class:`Lit`; plain terms pass through."""
    kind = type(term)
    if kind is str or kind is Lit:
        return term
    if isinstance(term, Literal):
        return Lit(str(term), term.language, str(term.datatype) if term.datatype is not None else None)
    if isinstance(term, URIRef):
        return str(term)
    raise ValueError(f"blank nodes are not written: {term!r}")


def rdflib_term(term: "str | Lit"):
    """The rdflib term of a plain one (for tests, validation and anything that wants rdflib)."""
    if type(term) is Lit:
        return Literal(term.lexical, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)
    return URIRef(term)


def group_by_subject(triples) -> dict[str, dict[str, list]]:
    """Plain triples (or rdflib ones, made plain) grouped as subject → predicate → objects."""
    grouped: dict[str, dict[str, list]] = {}
    for triple in triples:
        subject, predicate, obj = triple if type(triple[0]) is str else map(plain, triple)
        grouped.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    return grouped


class Triples:
    """The triples of the graph, collected in a set of plain values (:func:`plain`):
    ``rdflib.Graph.add`` keeps three indexes and costs ~40 µs a triple, too slow for a build of
    100,000 triples, and rdflib terms cost a Python call to compare. ``add`` takes rdflib terms
    or plain ones; iterating gives rdflib terms; :meth:`plain_triples` gives the plain ones to
    the writers; ``graph()`` gives an rdflib Graph when one is needed (tests, validation)."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self._prefixes: dict[str, URIRef] = {}
        self._grouped: dict | None = None

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        if type(s) is not str:
            s = plain(s)
        if type(p) is not str:
            p = plain(p)
        kind = type(o)
        if kind is not str and kind is not Lit:
            o = plain(o)
        self.triples.add((s, p, o))
        self._grouped = None

    def bind(self, prefix: str, namespace) -> None:
        self._prefixes[prefix] = URIRef(str(namespace))

    def namespaces(self):
        return iter(self._prefixes.items())

    def plain_triples(self):
        return iter(self.triples)

    def by_subject(self) -> dict[str, dict[str, list]]:
        """subject → predicate → objects, plain; grouped once for the Turtle and JSON-LD writers.
        The lists are shared: a writer must not change them."""
        if self._grouped is None:
            self._grouped = group_by_subject(self.triples)
        return self._grouped

    def __iter__(self):
        for s, p, o in self.triples:
            yield URIRef(s), URIRef(p), rdflib_term(o)

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in self._prefixes.items():
            graph.bind(prefix, namespace)
        for triple in self:
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
        graph.add((node, LKG.entityKind, Literal(entity.kind.value)))
        _labels(graph, node, entity)
        if entity.kind == "member":
            graph.add((node, FOAF.name, Literal(entity.label_zh, lang=ZH)))
            if entity.label_en:
                graph.add((node, FOAF.name, Literal(entity.label_en, lang="en")))
        if entity.notation:
            graph.add((node, SKOS.notation, Literal(entity.notation)))
            graph.add((node, SKOS.inScheme, head_iri(entity.notation.split("-", 1)[0])))
        if entity.parent:
            graph.add((node, ORG.subOrganizationOf, entity_iri(entity.parent)))

    questions = {(d.doc_id, r.reply): r.question for d in kg.documents for r in d.replies}
    sentences = kg.sentences

    def link_sentence(span: str, doc_id: str, start: int, end: int) -> None:
        found = sentences.locate(doc_id, start, end)
        if found is None:
            return
        s_start, s_end, text = found
        node = iri("sentence", doc_id, f"{s_start}-{s_end}")
        graph.add((span, _IN_SENTENCE, node))
        graph.add((node, _TYPE, _SENTENCE))
        graph.add((node, _CONTEXT, document_iri(doc_id)))
        graph.add((node, _BEGIN, Lit(str(s_start), None, _NON_NEGATIVE)))
        graph.add((node, _END, Lit(str(s_end), None, _NON_NEGATIVE)))
        graph.add((node, _ANCHOR, Lit(text, ZH)))

    extractors = set()
    for fact in kg.facts:
        entity = entity_iri(fact.object)
        for mention in fact.evidence:
            doc_node = document_iri(mention.doc_id)
            span = iri("span", mention.doc_id, f"{mention.start}-{mention.end}")
            graph.add((span, _TYPE, _MENTION))
            graph.add((span, _CONTEXT, doc_node))
            graph.add((span, _BEGIN, Lit(str(mention.start), None, _NON_NEGATIVE)))
            graph.add((span, _END, Lit(str(mention.end), None, _NON_NEGATIVE)))
            graph.add((span, _ANCHOR, Lit(mention.text, "zh-Hans" if mention.label else ZH)))  # Simplified original
            graph.add((span, _RELATED, entity))
            if mention.section:
                link_sentence(span, mention.doc_id, mention.start, mention.end)
            graph.add((span, _GENERATED_BY, iri("extractor", mention.extractor)))
            extractors.add(mention.extractor)
            subject = reply_iri(mention.doc_id, mention.reply) if mention.reply else doc_node
            if mention.reply:
                graph.add((span, _IN_REPLY, subject))
            if mention.section:
                graph.add((span, _SECTION, Lit(mention.section)))
            for triple in fact_triples(fact, mention, subject, entity, span, questions):
                graph.add(triple)
    for fact in kg.amount_facts:
        # One schema:MonetaryAmount per fact; every mention stating it is a span it was derived from.
        node = iri("amount", fact.id)
        graph.add((node, RDF.type, SDO.MonetaryAmount))
        graph.add((node, SDO.value, Literal(fact.value, datatype=XSD.decimal)))
        graph.add((node, SDO.currency, Literal(fact.currency)))
        if fact.qualifier:
            graph.add((node, LKG.qualifier, Literal(fact.qualifier)))
        graph.add((node, LKG.perUnit, Literal(fact.per_unit)))
        if fact.year:
            graph.add((node, LKG.fiscalYear, Literal(fact.year)))
        if fact.role:
            graph.add((node, LKG.amountRole, Literal(fact.role)))
        if fact.evidence[0].row:
            graph.add((node, LKG.rowLabel, Literal(fact.evidence[0].row, lang=ZH)))
        if fact.subject:
            graph.add((node, LKG.amountOf, entity_iri(fact.subject)))
        for amount in fact.evidence:
            span = iri("span", amount.doc_id, f"{amount.start}-{amount.end}")
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


def fact_triples(fact: "Fact", mention, subject: URIRef, entity: URIRef, span: URIRef, questions: dict):
    """The triples that state ``fact`` as evidenced by ``mention`` (its span ``span``).

    A member asks the reply's question (``lkg:asked``, the question derived from the span); a
    header bureau is what its head funds (``lkg:fundsBureau``); a programme or officer of the
    header is both its relation and a mention; every other fact is ``lkg:mentions``.
    """
    relation = fact.relation
    term = _RELATION_TERMS[relation]
    if relation is Relation.ASKED_BY:
        question = question_iri(mention.doc_id, questions[mention.doc_id, mention.reply])
        return [(entity, term, question), (question, _DERIVED_FROM, span)]
    if relation is Relation.UNDER_HEAD and mention.key:
        return [(head_iri(mention.key), term, entity)]
    if relation in (Relation.UNDER_PROGRAMME, Relation.ANSWERED_BY):
        return [(subject, term, entity), (subject, _MENTIONS, entity)]
    return [(subject, _MENTIONS, entity)]


_RELATION_TERMS = {relation: str(relation.rdf_term) for relation in Relation}
