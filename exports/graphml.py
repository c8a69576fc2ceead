"""GraphML (NetworkX's writer): the graph for Gephi, yEd or ``networkx.read_graphml``.

GraphML attributes are scalars: lists (aliases, replies) become ``"; "``-joined strings, missing
values are left out, and mention edges keep their ``count`` but not their spans (those are in
``graph.ttl`` and ``export.jsonl``). :func:`load` reads it back (for analysis and the tests;
``legco-kg html`` reads the explorer page instead).
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

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


def graphml_graph(graph):
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_scalars(data))
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **_scalars(data))
    return flat


def render(kg: "KnowledgeGraph") -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graphml_graph(kg.networkx), buffer, encoding="utf-8", prettyprint=False)
    return buffer.getvalue()


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
