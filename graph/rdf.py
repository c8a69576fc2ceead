"""The RDF view of the knowledge graph: standard vocabularies, span provenance, no blank nodes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SDO, SKOS, XSD

from legco_kg.graph.facts import Relation
from legco_kg.ontology import ID, LKG, NIF

if TYPE_CHECKING:
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
# ... and those of a document's own triples (own_triples)
_IDENTIFIER = str(DCTERMS.identifier)
_IS_PART_OF = str(DCTERMS.isPartOf)
_SOURCE = str(DCTERMS.source)
_TITLE = str(DCTERMS.title)
_DOCUMENT = str(LKG.Document)
_REPLY = str(LKG.Reply)
_WRITTEN_QUESTION = str(LKG.WrittenQuestion)
_ANSWERS = str(LKG.answers)
_DOCUMENT_KIND = str(LKG.documentKind)
_MEMBER_REFERENCE = str(LKG.memberReference)
_QUESTION_NUMBER = str(LKG.questionNumber)
_REPLY_NUMBER = str(LKG.replyNumber)
_SUBHEAD = str(LKG.subhead)
_IN_HEAD = str(LKG.underHead)
_TEXT = str(SDO.text)


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


def plain_triples(kg: "KnowledgeGraph", inputs: "dict[str, OwnInput] | None" = None):
    """Every triple of the graph as plain terms (:func:`plain`), one at a time and not
    deduplicated (a span stating two facts is described twice): the writers sort and
    deduplicate them (:mod:`legco_kg.exports.runs`) without holding a set of the whole graph.

    Given ``inputs`` (:func:`document_inputs`), only the documents of those have their own
    triples (:func:`own_triples`) here: a build copies the others' from its last Turtle and
    JSON-LD files (:mod:`legco_kg.exports.rdf_files`).
    """
    inputs = document_inputs(kg) if inputs is None else inputs
    for triples in (general_triples(kg), *map(own_triples, inputs.values())):
        for s, p, o in triples:
            kind = type(o)
            yield (s if type(s) is str else plain(s), p if type(p) is str else plain(p),
                   o if kind is str or kind is Lit else plain(o))


# A document's own triples are those about its own nodes: the document, its replies and
# questions, its sentences and the spans of its mentions and amounts. Their subjects' IRIs are
# ``doc/D`` and those starting with these families' ``…/D/``; no other triple has such a subject.
OWN_FAMILIES = ("question", "reply", "sentence", "span")


def own_subjects(doc_id: str) -> tuple[str, ...]:
    """The IRI of document ``doc_id``'s node and the prefixes of its other own subjects (see
    :func:`own_triples`), in IRI order. A prefix ends with ``/``: for ids without ``/`` no
    other document's subject starts with it."""
    return (document_iri(doc_id), *(iri(family, doc_id) + "/" for family in OWN_FAMILIES))


class OwnInput(NamedTuple):
    """Everything a document's own triples are made from, as plain values (so that a digest of
    it is a key of them): the document, its replies, its mentions and amounts with what the
    resolution made of them (the entity named, the relation, the amount fact stated) and the
    sentences they are in (a mention's or amount's sentence is ``(start, end)``, or ``()``)."""

    doc: tuple  # (doc_id, source, kind, title)
    replies: tuple  # (reply, question, start, end, head, subhead, question text, answer text, member_ref)
    mentions: tuple  # sorted (start, end, text, simplified, section, extractor, reply, relation, entity, keyed, sentence)
    amounts: tuple  # sorted (start, end, text, extractor, reply, fact id, sentence)
    sentences: tuple  # sorted (start, end, text), each once


def document_inputs(kg: "KnowledgeGraph") -> dict[str, OwnInput]:
    """The :class:`OwnInput` of each document, by document id."""
    locate = kg.sentences.locate
    mentions: dict[str, list] = {doc.doc_id: [] for doc in kg.documents}
    sentences: dict[str, set] = {doc.doc_id: set() for doc in kg.documents}

    def sentence(doc_id: str, start: int, end: int) -> tuple:
        found = locate(doc_id, start, end)
        if not found:
            return ()
        sentences[doc_id].add(found)
        return found[:2]

    for fact in kg.facts:
        relation, entity = fact.relation.edge, fact.object
        for m in fact.evidence:
            mentions[m.doc_id].append((
                m.start, m.end, m.text, bool(m.label), m.section or "", m.extractor, m.reply or "", relation, entity,
                bool(m.key), sentence(m.doc_id, m.start, m.end) if m.section else (),
            ))
    amounts: dict[str, list] = {doc.doc_id: [] for doc in kg.documents}
    for fact in kg.amount_facts:
        for a in fact.evidence:
            amounts[a.doc_id].append(
                (a.start, a.end, a.text, a.extractor, a.reply or "", fact.id, sentence(a.doc_id, a.start, a.end))
            )
    return {
        doc.doc_id: OwnInput(
            (doc.doc_id, doc.source, doc.kind, doc.title or ""),
            tuple(
                (r.reply, r.question, r.start, r.end, r.head, r.subhead or "", r.question_text.text, r.answer_text.text,
                 r.member_ref or "")
                for r in doc.replies
            ),
            tuple(sorted(mentions[doc.doc_id])),
            tuple(sorted(amounts[doc.doc_id])),
            tuple(sorted(sentences[doc.doc_id])),
        )
        for doc in kg.documents
    }


def own_triples(own: OwnInput):
    """The triples about a document's own nodes (see :func:`own_subjects`), from its
    :class:`OwnInput` alone."""
    doc_id, source, kind, title = own.doc
    doc_node = document_iri(doc_id)
    yield doc_node, _TYPE, _DOCUMENT
    yield doc_node, _TYPE, str(NIF.Context)
    yield doc_node, _IDENTIFIER, Lit(doc_id)
    yield doc_node, _SOURCE, Lit(source)
    yield doc_node, _DOCUMENT_KIND, Lit(kind)
    if title:
        yield doc_node, _TITLE, Lit(title, ZH)
    questions = {}
    for reply, question_number, start, end, head, subhead, question_text, answer_text, member_ref in own.replies:
        node = reply_iri(doc_id, reply)
        question = questions[reply] = question_iri(doc_id, question_number)
        yield node, _TYPE, _REPLY
        yield node, _REPLY_NUMBER, Lit(reply)
        yield node, _IS_PART_OF, doc_node
        yield node, _ANSWERS, question
        yield node, _BEGIN, Lit(str(start), None, _NON_NEGATIVE)
        yield node, _END, Lit(str(end), None, _NON_NEGATIVE)
        yield node, _IN_HEAD, head_iri(head)
        if subhead:
            yield node, _SUBHEAD, Lit(subhead)
        yield question, _TYPE, _WRITTEN_QUESTION
        yield question, _QUESTION_NUMBER, Lit(question_number)
        yield question, _TEXT, Lit(question_text, ZH)
        yield node, _TEXT, Lit(answer_text, ZH)
        if member_ref:
            yield question, _MEMBER_REFERENCE, Lit(member_ref)

    sentences = {}
    for s_start, s_end, text in own.sentences:
        node = sentences[s_start, s_end] = iri("sentence", doc_id, f"{s_start}-{s_end}")
        yield node, _TYPE, _SENTENCE
        yield node, _CONTEXT, doc_node
        yield node, _BEGIN, Lit(str(s_start), None, _NON_NEGATIVE)
        yield node, _END, Lit(str(s_end), None, _NON_NEGATIVE)
        yield node, _ANCHOR, Lit(text, ZH)

    for start, end, text, simplified, section, extractor, reply, relation, entity_id, keyed, sentence in own.mentions:
        span = iri("span", doc_id, f"{start}-{end}")
        entity = entity_iri(entity_id)
        yield span, _TYPE, _MENTION
        yield span, _CONTEXT, doc_node
        yield span, _BEGIN, Lit(str(start), None, _NON_NEGATIVE)
        yield span, _END, Lit(str(end), None, _NON_NEGATIVE)
        yield span, _ANCHOR, Lit(text, "zh-Hans" if simplified else ZH)  # Simplified original
        yield span, _RELATED, entity
        if sentence:
            yield span, _IN_SENTENCE, sentences[sentence]
        yield span, _GENERATED_BY, iri("extractor", extractor)
        subject = reply_iri(doc_id, reply) if reply else doc_node
        if reply:
            yield span, _IN_REPLY, subject
        if section:
            yield span, _SECTION, Lit(section)
        # How a fact is stated, from its relation alone: a member asks the reply's question (the
        # question derived from the span; lkg:asked in general_triples); a header bureau is what
        # its head funds (general_triples); a programme or officer of the header is both its
        # relation and a mention; every other fact is lkg:mentions.
        if relation == _ASKED:
            yield questions[reply], _DERIVED_FROM, span
        elif relation == _FUNDS and keyed:
            pass
        elif relation in _AND_MENTIONED:
            yield subject, _RELATION_TERMS[relation], entity
            yield subject, _MENTIONS, entity
        else:
            yield subject, _MENTIONS, entity
    for start, end, text, extractor, reply, fact_id, sentence in own.amounts:
        span = iri("span", doc_id, f"{start}-{end}")
        yield span, _TYPE, _STRING
        yield span, _CONTEXT, doc_node
        yield span, _BEGIN, Lit(str(start), None, _NON_NEGATIVE)
        yield span, _END, Lit(str(end), None, _NON_NEGATIVE)
        yield span, _ANCHOR, Lit(text, ZH)
        yield span, _GENERATED_BY, iri("extractor", extractor)
        if sentence:
            yield span, _IN_SENTENCE, sentences[sentence]
        yield reply_iri(doc_id, reply) if reply else doc_node, _STATES_AMOUNT, iri("amount", fact_id)


def general_triples(kg: "KnowledgeGraph"):
    """The triples about nodes no one document owns: budget heads, entities, amount facts and
    extractors (with the questions members asked, and the bureaus heads fund)."""
    for doc in kg.documents:
        for reply in doc.replies:
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
    extractors = set()
    for fact in kg.facts:
        relation = fact.relation
        entity = entity_iri(fact.object)
        for mention in fact.evidence:
            extractors.add(mention.extractor)
            if relation is Relation.ASKED_BY:
                yield entity, _RELATION_TERMS[_ASKED], question_iri(mention.doc_id, questions[mention.doc_id, mention.reply])
            elif relation is Relation.UNDER_HEAD and mention.key:
                yield head_iri(mention.key), _RELATION_TERMS[_FUNDS], entity
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
            yield node, _DERIVED_FROM, iri("span", amount.doc_id, f"{amount.start}-{amount.end}")
            extractors.add(amount.extractor)
    for name in sorted(extractors):
        activity = iri("extractor", name)
        yield activity, RDF.type, PROV.Activity
        yield activity, LKG.extractor, Lit(name)


_RELATION_TERMS = {relation.edge: str(relation.rdf_term) for relation in Relation}
_ASKED, _FUNDS = Relation.ASKED_BY.edge, Relation.UNDER_HEAD.edge  # relations by edge name
_AND_MENTIONED = (Relation.UNDER_PROGRAMME.edge, Relation.ANSWERED_BY.edge)
_STATES_AMOUNT = str(LKG.statesAmount)
