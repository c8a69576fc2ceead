"""A self-contained interactive HTML page of the graph (pyvis + vis-network, no CDN).

pyvis collects the nodes and edges; the page is our own template with vis-network inlined
from pyvis's package, because pyvis's template always links Bootstrap from a CDN.  Positions
are computed in Python and physics is off: vis-network's physics on hundreds of nodes takes
tens of seconds to settle in a browser.
"""
from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

STYLE = {  # kind: (colour, shape)
    "document": ("#7f7f7f", "box"),
    "reply": ("#c7c7c7", "dot"),
    "member": ("#1f77b4", "dot"),
    "bureau": ("#d62728", "diamond"),
    "institution": ("#ff7f0e", "diamond"),
    "programme": ("#9467bd", "square"),
    "officer": ("#8c564b", "triangle"),
    "scheme": ("#2ca02c", "star"),
    "platform": ("#17becf", "triangleDown"),
}
_DEFAULT_STYLE = ("#bcbd22", "dot")


def _vis_asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _script_json(value) -> str:
    # Inside <script>, "</script>" or "<!--" in a label must not end the element.
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _wrap(text: str, width: int = 36, limit: int = 160) -> str:
    """An evidence sentence for a tooltip: at most ``limit`` characters, lines of ``width``."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def layout(graph) -> dict[str, tuple[int, int]]:
    """Deterministic positions (seeded force-directed layout, scaled to pixels)."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    positions = nx.spring_layout(simple, seed=7, iterations=25)
    scale = 120 * max(1, len(simple)) ** 0.5
    return {node: (round(x * scale), round(y * scale)) for node, (x, y) in positions.items()}


def render(kg: "KnowledgeGraph", graph=None, title: str = "legco-kg") -> bytes:
    from pyvis.network import Network

    graph = kg.networkx if graph is None else graph
    # Amounts are data of their replies and subjects, not places to go: the explorer leaves them out.
    graph = graph.subgraph(n for n, kind in graph.nodes(data="kind") if kind != "amount")
    positions = layout(graph)
    degree = dict(graph.degree())
    network = Network(directed=True, cdn_resources="in_line")
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        kind = data.get("kind", "")
        colour, shape = STYLE.get(kind, _DEFAULT_STYLE)
        label = data.get("label_zh") or node
        if data.get("label_en"):
            label = f"{label}\n{data['label_en']}"
        replies = data.get("replies") or []
        tooltip = "\n".join(
            part for part in (
                f"{kind}: {data.get('label_zh') or node}",
                data.get("label_en") or "",
                ("aliases: " + ", ".join(data["aliases"])) if data.get("aliases") else "",
                (f"in {len(replies)}: " + ", ".join(replies[:6]) + (" …" if len(replies) > 6 else "")) if replies else "",
                _wrap(data["evidence"]) if data.get("evidence") else "",
            ) if part
        )
        x, y = positions[node]
        network.add_node(
            node, label=html.escape(label), title=html.escape(tooltip), color=colour, shape=shape,
            x=x, y=y, size=8 + min(30, degree.get(node, 0)), kind=kind, physics=False,
            aliases=[html.escape(a) for a in data.get("aliases") or ()],
        )
    for source, target, key in sorted(graph.edges(keys=True)):
        network.add_edge(source, target, title=html.escape(key), arrows="to")
    nodes, edges, *_ = network.get_network_data()
    kinds = sorted({graph.nodes[n].get("kind", "") for n in graph.nodes})
    legend = [{"kind": kind, "colour": STYLE.get(kind, _DEFAULT_STYLE)[0]} for kind in kinds]
    template = resources.files("legco_kg.exports").joinpath("templates/explorer.html").read_text(encoding="utf-8")
    page = (
        template.replace("{{title}}", html.escape(title))
        .replace("/*{{vis_css}}*/", _vis_asset("vis-network.css"))
        .replace("/*{{vis_js}}*/", _vis_asset("vis-network.min.js"))
        .replace("/*{{nodes}}*/[]", _script_json(nodes))
        .replace("/*{{edges}}*/[]", _script_json(edges))
        .replace("/*{{legend}}*/[]", _script_json(legend))
    )
    return page.encode("utf-8")
