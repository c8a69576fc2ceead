"""GraphML: the NetworkX graph for Gephi, yEd or ``networkx.read_graphml``.

GraphML attributes are scalars: lists (aliases, replies) become ``"; "``-joined strings, missing
values are left out, and mention edges keep their ``count`` but not their spans (those are in
``graph.ttl`` and ``export.jsonl``). :func:`load` reads it back (for analysis and the tests;
``legco-kg html`` reads the explorer page instead).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

SEPARATOR = "; "


def _scalars(attributes: dict) -> dict:
    out = {}
    for key, value in sorted(attributes.items()):
        if value is None or key == "spans":
            continue
        out[key] = SEPARATOR.join(map(str, value)) if isinstance(value, (list, tuple)) else value
    return out


def _type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    return "double" if isinstance(value, float) else "string"


def _text(value) -> str:
    return escape(str(value))


def _attribute(value: str) -> str:
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def render(kg: "KnowledgeGraph") -> Iterator[bytes]:
    """GraphML of the NetworkX graph (:func:`~legco_kg.graph.network.to_networkx`), written as
    its nodes and edges are made rather than built as one XML tree: the attribute keys (and the
    nodes only an edge names) are gathered in a first pass, then nodes and edges follow."""
    from legco_kg.graph.network import edges, nodes, text_places

    places = text_places(kg)
    keys: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    for node, data in nodes(kg, places):
        seen.add(node)
        for name, value in _scalars(data).items():
            keys.setdefault(("node", name), _type(value))
    edge_only: list[str] = []  # nodes named only by an edge (a budget head), in the order met
    for source, target, _, data in edges(kg):
        for node in (source, target):
            if node not in seen:
                seen.add(node)
                edge_only.append(node)
        for name, value in _scalars(data).items():
            keys.setdefault(("edge", name), _type(value))
    ids = {key: f"d{number}" for number, key in enumerate(sorted(keys))}
    out = [_HEADER]
    out.extend(
        f'<key id="{ids[where, name]}" for="{where}" attr.name={_attribute(name)} attr.type="{keys[where, name]}" />'
        for where, name in sorted(keys)
    )
    out.append('<graph edgedefault="directed">')

    def element(tag: str, opening: str, where: str, data: dict) -> str:
        fields = "".join(f'<data key="{ids[where, name]}">{_text(value)}</data>' for name, value in _scalars(data).items())
        return f"<{tag} {opening}>{fields}</{tag}>" if fields else f"<{tag} {opening} />"

    for node, data in nodes(kg, places):
        out.append(element("node", f"id={_attribute(node)}", "node", data))
        if len(out) >= _PIECE:
            yield "".join(out).encode("utf-8")
            out = []
    out.extend(f"<node id={_attribute(node)} />" for node in edge_only)
    for source, target, key, data in edges(kg):
        out.append(element("edge", f"source={_attribute(source)} target={_attribute(target)} id={_attribute(key)}", "edge", data))
        if len(out) >= _PIECE:
            yield "".join(out).encode("utf-8")
            out = []
    out.append("</graph></graphml>")
    yield "".join(out).encode("utf-8")


_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_PIECE = 4_096


def load(path):
    """A graph written by :func:`render`, with its list attributes split again."""
    from xml.etree.ElementTree import ParseError

    import networkx as nx

    from legco_kg.errors import LegcoError

    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as error:
        raise LegcoError(f"{path}: not a readable graph ({type(error).__name__}: {error}); rebuild with 'legco-kg build'") from None
    for _, data in graph.nodes(data=True):
        for key in ("aliases", "replies"):
            if isinstance(data.get(key), str):
                data[key] = data[key].split(SEPARATOR) if data[key] else []
    return graph
