"""Turtle: the RDF graph, serialised deterministically (same corpus, same bytes).

rdflib's own serialisers are correct but slow (about 34k triples/s here) and the plain one does
not order its output; this writer sorts subjects, predicates and objects and renders each term
with rdflib's own escaping, so the file is canonical for a given graph and quick to write.
A test parses it back and checks it is isomorphic to the graph it came from.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib.namespace import RDF

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TYPE = str(RDF.type)


def quoted(lexical: str) -> str:
    r"""A literal's lexical form in Turtle quotes, escaped as rdflib's ``Literal.n3`` escapes it.

    >>> print(quoted('say "hi"'))
    "say \"hi\""
    """
    if "\n" in lexical:
        encoded = lexical.replace("\\", "\\\\")
        if '"""' in lexical:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    return '"' + lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'


class _Names:
    """Turtle text of plain terms (IRIs as ``str``, literals as :class:`~legco_kg.graph.rdf.Lit`)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so id:span/... is never shortened against a shorter prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def iri(self, term: str) -> str:
        text = self.cache.get(term)
        if text is None:
            text = f"<{term}>"
            for prefix, namespace in self.prefixes:
                if term.startswith(namespace) and _LOCAL.match(term[len(namespace) :]):
                    text = f"{prefix}:{term[len(namespace):]}"
                    break
            self.cache[term] = text
        return text

    def term(self, term) -> str:
        if type(term) is str:
            return self.iri(term)
        lexical, lang, datatype = term
        if datatype is not None:
            return f"{quoted(lexical)}^^{self.iri(datatype)}"
        return quoted(lexical) + ("@" + lang if lang else "")


def serialize(graph) -> bytes:
    """Turtle of ``graph`` (an rdflib Graph or :class:`legco_kg.graph.rdf.Triples`), sorted."""
    from legco_kg.graph.rdf import group_by_subject

    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    names = _Names(prefixes)
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(prefixes.items())]
    lines.append("")
    by_subject = graph.by_subject() if hasattr(graph, "by_subject") else group_by_subject(graph)
    rendered = sorted((names.iri(subject), subject) for subject in by_subject)
    for subject_text, subject in rendered:
        predicates = by_subject[subject]
        order = sorted((p != _TYPE, names.iri(p), p) for p in predicates)
        parts = []
        for is_other, verb_text, predicate in order:
            objects = [names.term(o) for o in predicates[predicate]]
            if len(objects) > 1:
                objects.sort()
            verb = verb_text if is_other else "a"
            parts.append(f"    {verb} " + " ,\n        ".join(objects))
        lines.append(subject_text + "\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(lines).encode("utf-8")


def render(kg: "KnowledgeGraph") -> bytes:
    return serialize(kg.rdf)
