"""The RDF view of the knowledge graph: standard vocabularies, span provenance, no blank nodes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

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
PLAIN_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}  # what the writers take
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
_NON_NEGATIVE, _BOOLEAN = str(XSD.nonNegativeInteger), str(XSD.boolean)


def _labels(node: str, entity: "Entity"):
    yield node, SKOS.prefLabel, Lit(entity.label_zh, ZH)
    if entity.label_en:
        yield node, SKOS.prefLabel, Lit(entity.label_en, "en")
    for alias in entity.aliases:
        yield node, SKOS.altLabel, Lit(alias, "en" if alias.isascii() else ZH)


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


def plain_graph(graph) -> tuple[Iterable[tuple], dict[str, str]]:
    """The plain triples (:func:`plain`) and the prefixes of an rdflib Graph or a :class:`Triples`,
    as the writers take them."""
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    if hasattr(graph, "plain_triples"):
        return graph.plain_triples(), prefixes
    return (tuple(map(plain, triple)) for triple in graph), prefixes


class Triples:
    """The triples of the graph, collected in a set of plain values (:func:`plain`):
    ``rdflib.Graph.add`` keeps three indexes and costs ~40 µs a triple, too slow for a build of
    100,000 triples, and rdflib terms cost a Python call to compare. ``add`` takes rdflib terms
    or plain ones; iterating gives rdflib terms; :meth:`plain_triples` gives the plain ones;
    ``graph()`` gives an rdflib Graph when one is needed (tests, analysis).  The build's writers
    do not collect the graph: they stream :func:`plain_triples` of the knowledge graph."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self._prefixes: dict[str, URIRef] = {}

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

    def bind(self, prefix: str, namespace) -> None:
        self._prefixes[prefix] = URIRef(str(namespace))

    def namespaces(self):
        return iter(self._prefixes.items())

    def plain_triples(self):
        return iter(self.triples)

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
    """The graph's triples, collected (for tests, validation and anything that wants them all)."""
    graph = Triples()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.triples.update(plain_triples(kg))
    return graph


def plain_triples(kg: "KnowledgeGraph"):
    """Every triple of the graph as plain terms (:func:`plain`), one at a time and not
    deduplicated (a sentence holding two mentions is stated twice): the writers sort and
    deduplicate them (:mod:`legco_kg.exports.runs`) without holding a set of the whole graph."""
    for s, p, o in _triples(kg):
        kind = type(o)
        yield (s if type(s) is str else plain(s), p if type(p) is str else plain(p),
               o if kind is str or kind is Lit else plain(o))


def _triples(kg: "KnowledgeGraph"):
    for doc in kg.documents:
        doc_node = document_iri(doc.doc_id)
        yield doc_node, RDF.type, LKG.Document
        yield doc_node, RDF.type, NIF.Context
        yield doc_node, DCTERMS.identifier, Lit(doc.doc_id)
        yield doc_node, DCTERMS.source, Lit(doc.source)
        yield doc_node, LKG.documentKind, Lit(doc.kind)
        if doc.title:
            yield doc_node, DCTERMS.title, Lit(doc.title, ZH)
        for reply in doc.replies:
            node = reply_iri(doc.doc_id, reply.reply)
            question = question_iri(doc.doc_id, reply.question)
            yield node, RDF.type, LKG.Reply
            yield node, LKG.replyNumber, Lit(reply.reply)
            yield node, DCTERMS.isPartOf, doc_node
            yield node, LKG.answers, question
            yield node, NIF.beginIndex, Lit(str(reply.start), None, _NON_NEGATIVE)
            yield node, NIF.endIndex, Lit(str(reply.end), None, _NON_NEGATIVE)
            yield node, LKG.underHead, head_iri(reply.head)
            if reply.subhead:
                yield node, LKG.subhead, Lit(reply.subhead)
            yield question, RDF.type, LKG.WrittenQuestion
            yield question, LKG.questionNumber, Lit(reply.question)
            yield question, SDO.text, Lit(reply.question_text.text, ZH)
            yield node, SDO.text, Lit(reply.answer_text.text, ZH)
            if reply.member_ref:
                yield question, LKG.memberReference, Lit(reply.member_ref)
            head = head_iri(reply.head)
            yield head, RDF.type, LKG.Head
            yield head, LKG.headCode, Lit(reply.head)
            yield head, SKOS.notation, Lit(reply.head)
            yield head, SKOS.prefLabel, Lit(reply.head_name, ZH)

    for entity in kg.entities.values():
        node = entity_iri(entity.id)
        for rdf_class in _CLASS.get(entity.kind, (SDO.Thing,)):
            yield node, RDF.type, rdf_class
        yield node, LKG.entityKind, Lit(entity.kind.value)
        yield from _labels(node, entity)
        if entity.kind == "member":
            yield node, FOAF.name, Lit(entity.label_zh, ZH)
            if entity.label_en:
                yield node, FOAF.name, Lit(entity.label_en, "en")
        if entity.notation:
            yield node, SKOS.notation, Lit(entity.notation)
            yield node, SKOS.inScheme, head_iri(entity.notation.split("-", 1)[0])
        if entity.parent:
            yield node, ORG.subOrganizationOf, entity_iri(entity.parent)

    questions = {(d.doc_id, r.reply): r.question for d in kg.documents for r in d.replies}
    sentences = kg.sentences

    stated: set[str] = set()  # sentences already described: most hold several spans

    def link_sentence(span: str, doc_id: str, start: int, end: int):
        found = sentences.locate(doc_id, start, end)
        if found is None:
            return
        s_start, s_end, text = found
        node = iri("sentence", doc_id, f"{s_start}-{s_end}")
        yield span, _IN_SENTENCE, node
        if node in stated:
            return
        stated.add(node)
        yield node, _TYPE, _SENTENCE
        yield node, _CONTEXT, document_iri(doc_id)
        yield node, _BEGIN, Lit(str(s_start), None, _NON_NEGATIVE)
        yield node, _END, Lit(str(s_end), None, _NON_NEGATIVE)
        yield node, _ANCHOR, Lit(text, ZH)

    extractors = set()
    for fact in kg.facts:
        entity = entity_iri(fact.object)
        for mention in fact.evidence:
            doc_node = document_iri(mention.doc_id)
            span = iri("span", mention.doc_id, f"{mention.start}-{mention.end}")
            yield span, _TYPE, _MENTION
            yield span, _CONTEXT, doc_node
            yield span, _BEGIN, Lit(str(mention.start), None, _NON_NEGATIVE)
            yield span, _END, Lit(str(mention.end), None, _NON_NEGATIVE)
            yield span, _ANCHOR, Lit(mention.text, "zh-Hans" if mention.label else ZH)  # Simplified original
            yield span, _RELATED, entity
            if mention.section:
                yield from link_sentence(span, mention.doc_id, mention.start, mention.end)
            yield span, _GENERATED_BY, iri("extractor", mention.extractor)
            extractors.add(mention.extractor)
            subject = reply_iri(mention.doc_id, mention.reply) if mention.reply else doc_node
            if mention.reply:
                yield span, _IN_REPLY, subject
            if mention.section:
                yield span, _SECTION, Lit(mention.section)
            yield from fact_triples(fact, mention, subject, entity, span, questions)
    for fact in kg.amount_facts:
        # One schema:MonetaryAmount per fact; every mention stating it is a span it was derived from.
        node = iri("amount", fact.id)
        yield node, RDF.type, SDO.MonetaryAmount
        yield node, SDO.value, Literal(fact.value, datatype=XSD.decimal)
        yield node, SDO.currency, Lit(fact.currency)
        if fact.qualifier:
            yield node, LKG.qualifier, Lit(fact.qualifier)
        yield node, LKG.perUnit, Lit("true" if fact.per_unit else "false", None, _BOOLEAN)
        if fact.year:
            yield node, LKG.fiscalYear, Lit(fact.year)
        if fact.role:
            yield node, LKG.amountRole, Lit(fact.role)
        if fact.evidence[0].row:
            yield node, LKG.rowLabel, Lit(fact.evidence[0].row, ZH)
        if fact.subject:
            yield node, LKG.amountOf, entity_iri(fact.subject)
        for amount in fact.evidence:
            span = iri("span", amount.doc_id, f"{amount.start}-{amount.end}")
            yield node, PROV.wasDerivedFrom, span
            yield span, RDF.type, NIF.String
            yield span, NIF.referenceContext, document_iri(amount.doc_id)
            yield span, NIF.beginIndex, Lit(str(amount.start), None, _NON_NEGATIVE)
            yield span, NIF.endIndex, Lit(str(amount.end), None, _NON_NEGATIVE)
            yield span, NIF.anchorOf, Lit(amount.text, ZH)
            yield span, PROV.wasGeneratedBy, iri("extractor", amount.extractor)
            yield from link_sentence(span, amount.doc_id, amount.start, amount.end)
            extractors.add(amount.extractor)
            owner = reply_iri(amount.doc_id, amount.reply) if amount.reply else document_iri(amount.doc_id)
            yield owner, LKG.statesAmount, node
    for name in extractors:
        activity = iri("extractor", name)
        yield activity, RDF.type, PROV.Activity
        yield activity, LKG.extractor, Lit(name)


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
