"""The explorer: one self-contained HTML page of the entity graph (pyvis + vis-network, no CDN).

pyvis builds the network (nodes, edges, vis-network options) from the entity graph
(:mod:`legco_kg.graph.entity_graph`); the page is our own template with vis-network inlined from
pyvis's package, because pyvis's template links Bootstrap from a CDN.  Every piece of data (the
network, the places, the evidence sentences, the amount facts) goes into the page as ONE JSON
block, ``<script type="application/json" id="legco-data">``, escaped so that no name can end the
element; the template's only placeholders are for vis-network's own code and that block, filled
in one pass, so a name holding a placeholder string is never expanded.

Positions are computed in Python (:func:`~legco_kg.graph.entity_graph.layout`) and physics is off,
so the browser draws at once.  ``legco-kg html ENTITY`` reads the data block of the build's
``graph.html`` back (:func:`read_data`) and writes a page of ENTITY's neighbourhood, centred and
marked, without rebuilding.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyvis
from pyvis.network import Network

from legco_kg.errors import LegcoError
from legco_kg.graph.entity_graph import RELATIONS, amount_facts, entity_graph, layout, ranked, remove_overlaps

if TYPE_CHECKING:
    import networkx as nx

    from legco_kg.graph.kg import KnowledgeGraph

KIND_STYLE = {  # kind: (colour, vis-network shape, Chinese name, English name)
    "scheme": ("#2e8b3a", "dot", "計劃", "scheme"),
    "institution": ("#e07b00", "dot", "機構", "institution"),
    "platform": ("#1592a8", "dot", "平台", "platform"),
    "member": ("#3b6fd1", "dot", "議員", "member"),
    "bureau": ("#c62828", "diamond", "部門", "bureau"),
    "programme": ("#8e44ad", "square", "綱領", "programme"),
}
DEFAULT_VIEW = 150  # nodes shown when the page opens
PACKED = 800  # entities whose labels are packed apart (the most connected first)
ENGLISH_AT_DEFAULT = 20  # the most connected nodes show their English name beneath at any zoom
LABEL_SIZE = (16, 28)  # label font pixels, least to most connected (vis-network's scaling.label)
NODE_SIZE = (5, 26)  # dot radius, likewise
EDGE_COLUMNS = ("from", "to", "weight", "width", "opacity", "relations", "places", "evidence")
LABEL_WIDTH = 170  # vis-network's widthConstraint: longer labels wrap
# vis-network's options (https://visjs.github.io/vis-network/docs/network/): positions come from
# Python, so physics and vis's own layout are off; labels grow with the node's weight and a label
# smaller than ``drawThreshold`` pixels on screen is left out until the user zooms in.
VIS_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "hideEdgesOnDrag": True, "tooltipDelay": 300},
    "nodes": {
        "borderWidth": 1,
        "font": {"size": 14, "color": "#111827", "strokeWidth": 4, "strokeColor": "#ffffff"},
        "scaling": {"min": NODE_SIZE[0], "max": NODE_SIZE[1], "label": {"enabled": True, "min": LABEL_SIZE[0], "max": LABEL_SIZE[1], "drawThreshold": 8, "maxVisible": 30}},
        "widthConstraint": {"maximum": LABEL_WIDTH},
    },
    "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.5},
}
DATA_ID = "legco-data"
_PLACEHOLDER = re.compile(r"/\*\{\{(vis_css|vis_js|data)\}\}\*/")
_DATA_BLOCK = re.compile(
    r'<script type="application/json" id="' + DATA_ID + r'">(.*?)</script>', re.S
)


class NotAnExplorerPage(LegcoError):
    """A page without the explorer's data block (not written by this version of legco-kg)."""


def _vis_asset(name: str) -> str:
    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def script_json(value) -> str:
    """``value`` as JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` appear raw,
    so neither ``</script>`` nor ``<!--`` in a name can end or change the element.

    >>> script_json({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("hk2s")


def simplified_forms(names) -> list[str]:
    """The Simplified Chinese forms (OpenCC ``hk2s``) of ``names`` that differ from them."""
    converter = _to_simplified()
    forms = []
    for name in names:
        if name and re.search(r"[\u4e00-\u9fff]", name):
            form = converter.convert(name)
            if form != name and form not in forms:
                forms.append(form)
    return forms


@lru_cache(maxsize=None)
def _edge_style(weight: int) -> tuple[float, float]:
    """An edge's width and opacity (the page draws it grey): faint for a link one reply gives,
    stronger with every doubling of the replies."""
    strength = min(1.0, math.log2(weight) / 5)
    return round(0.5 + 3 * strength, 2), round(0.04 + 0.5 * strength, 3)


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(c) > 0x2E7F else 0.6 * size for c in text)


def wrapped_widths(text: str, size: float, limit: float = LABEL_WIDTH) -> list[float]:
    """The widths of the lines ``text`` wraps into within ``limit`` pixels, as vis-network's
    ``widthConstraint`` wraps: at spaces, and inside a word wider than the limit.

    >>> [round(w) for w in wrapped_widths("Innovation and Technology Fund", 20, 170)]
    [168, 120, 48]
    """
    lines: list[float] = []
    current = 0.0
    space = _text_width(" ", size)
    for word in text.split():
        width = _text_width(word, size)
        if current and current + space + width <= limit:
            current += space + width
            continue
        if current:
            lines.append(current)
        current = 0.0
        for char in word if width > limit else [word]:  # an over-long word breaks anywhere
            step = _text_width(char, size)
            if current and current + step > limit:
                lines.append(current)
                current = 0.0
            current += step
    lines.append(current)
    return lines


def label_boxes(graph: "nx.Graph", order: list[str]) -> dict[str, tuple[float, float, float]]:
    """(width, height, drop) in pixels of each node of ``order`` with its label, sized as vis-network
    will draw them at zoom 1 in the default view (log scaling of the weight between its least and
    most connected; those outside it get the smallest size)."""
    weights = [graph.nodes[n]["weight"] for n in order[:DEFAULT_VIEW]]
    low, high = max(1, min(weights, default=1)), max(1, max(weights, default=1))
    boxes = {}
    for rank, node in enumerate(order):
        data = graph.nodes[node]
        share = 0.5 if high == low else math.log(max(low, data["weight"]) / low) / math.log(high / low)
        font = LABEL_SIZE[0] + (LABEL_SIZE[1] - LABEL_SIZE[0]) * share
        radius = NODE_SIZE[0] + (NODE_SIZE[1] - NODE_SIZE[0]) * share
        lines = [data["label_zh"]] + ([data["label_en"]] if _english_line(data) and rank < ENGLISH_AT_DEFAULT else [])
        widths = [w for line in lines for w in wrapped_widths(line, font)]
        rows = len(widths)
        width = max(2 * radius, max(widths)) + 12
        height = 2 * radius + 4 + rows * font * 1.2 + 10  # a little air below the label
        boxes[node] = (width, height, radius + 2)
    return boxes


def explorer_data(graph: "nx.Graph", positions: dict, amounts: list[dict], title: str,
                  focus: str | None = None) -> dict:
    """Everything the page shows, as one JSON-ready dict (the network built with pyvis).

    ``graph`` is an entity graph (:func:`~legco_kg.graph.entity_graph.entity_graph`), ``amounts``
    its amount facts (:func:`~legco_kg.graph.entity_graph.amount_facts`).
    """

    order = ranked(graph)
    rank = {node: i for i, node in enumerate(order)}
    place_info = graph.graph.get("places", {})
    places: list = sorted({p for _, ps in graph.nodes(data="places") for p in ps}
                          | {p for *_, ps in graph.edges(data="places") for p in ps})
    place_index = {place: i for i, place in enumerate(places)}
    sentences: dict = {}

    def sentence_ref(sentence) -> int:
        if sentence not in sentences:
            sentences[sentence] = len(sentences)
        return sentences[sentence]

    facts_of: dict[str, list] = {}
    for fact in amounts:
        if fact["entity"] in graph and fact["place"] in place_index:
            facts_of.setdefault(fact["entity"], []).append({
                "text": fact["text"], "value": fact["value"], "currency": fact["currency"],
                "year": fact["year"], "role": fact["role"], "place": place_index[fact["place"]],
                "start": fact["start"], "end": fact["end"],
                "places": [place_index[p] for p in fact["places"] if p in place_index],
            })
    network = Network(cdn_resources="in_line")
    for node in order:
        data = graph.nodes[node]
        colour, shape, _, _ = KIND_STYLE[data["kind"]]
        full = data["label_zh"] + (f"\n{data['label_en']}" if _english_line(data) else "")
        x, y = positions[node]
        network.add_node(
            node, label=full if rank[node] < ENGLISH_AT_DEFAULT else data["label_zh"], full=full,
            shape=shape, color=colour, x=round(x), y=round(y),
            value=data["weight"], physics=False, kind=data["kind"], zh=data["label_zh"],
            en=data.get("label_en"), aliases=list(data.get("aliases") or ()),
            simplified=simplified_forms([data["label_zh"], *(data.get("aliases") or ())]),
            parent=data.get("parent"), weight=data["weight"], rank=rank[node],
            places=[place_index[p] for p in data["places"]],
            evidence=[sentence_ref(s) for s in data["evidence"]],
            amounts=facts_of.get(node, []),
        )
    nodes, *_ = network.get_network_data()
    for node in nodes:
        node.pop("font", None)  # pyvis's default font colour would override the page's
    # Edges outnumber nodes a hundred to one: they travel as rows of the columns of
    # EDGE_COLUMNS (node indices, relation indices) and the page turns them back into
    # vis-network edges, so they are made as rows here (a node's index is its rank).
    relation_index = {relation: i for i, relation in enumerate(RELATIONS)}
    edge_rows = []
    for a, b in sorted(graph.edges(), key=lambda e: (min(rank[e[0]], rank[e[1]]), max(rank[e[0]], rank[e[1]]))):
        edge = graph[a][b]
        weight = edge["weight"]
        edge_rows.append([
            rank[a], rank[b], weight, *_edge_style(weight),
            [relation_index[r] for r in edge["relations"]], [place_index[p] for p in edge["places"]],
            [sentence_ref(s) for s in edge["evidence"]],
        ])
    return {
        "title": title,
        "focus": focus,
        "defaultView": DEFAULT_VIEW,
        "options": VIS_OPTIONS,
        "kinds": [{"kind": k, "colour": c, "shape": s, "zh": zh, "en": en} for k, (c, s, zh, en) in KIND_STYLE.items()],
        "places": [
            {"id": p.id, "reply": p.reply, "doc": p.doc_id, "title": place_info.get(p, {}).get("title"),
             "member": place_info.get(p, {}).get("member"), "head": place_info.get(p, {}).get("head"),
             "year": place_info.get(p, {}).get("year")}
            for p in places
        ],
        "sentences": [[place_index.get(s.place), s.start, s.end, s.text] for s in sentences],
        "relations": list(RELATIONS),
        "nodes": nodes,
        "edges": {"columns": list(EDGE_COLUMNS), "rows": edge_rows},
    }


def page(data: dict) -> bytes:
    """The HTML page showing ``data`` (:func:`explorer_data`)."""
    template = resources.files("legco_kg.exports").joinpath("templates/explorer.html").read_text(encoding="utf-8")
    fills = {
        "vis_css": lambda: _vis_asset("vis-network.css"),
        "vis_js": lambda: _vis_asset("vis-network.min.js"),
        "data": lambda: script_json(data),
    }
    # One pass over the template: what a fill contains is never searched for placeholders.
    return _PLACEHOLDER.sub(lambda match: fills[match.group(1)](), template).encode("utf-8")


def render(kg: "KnowledgeGraph", cache: Path | None = None) -> bytes:
    """``graph.html``: the explorer of the whole entity graph; its layout's core is kept in the
    folder ``cache``, if given, for the next build (see :func:`~legco_kg.graph.entity_graph.layout`)."""
    graph = entity_graph(kg)
    return page(explorer_data(graph, placed(graph, cache=cache), amount_facts(kg), "legco-kg"))


def placed(graph: "nx.Graph", first: str | None = None, cache: Path | None = None) -> dict:
    """Pixel positions: the layout, with the default view's labels moved apart (``first`` first)."""
    order = ranked(graph)
    if first is not None:
        order = [first] + [n for n in order if n != first]
    order = order[:PACKED]  # beyond these, entities keep their layout position: the cost stays bounded
    return remove_overlaps(layout(graph, cache=cache), label_boxes(graph, order), order, core=DEFAULT_VIEW)


def read_data(path: Path) -> dict:
    """The data block of an explorer page written by :func:`page`; a page that is not one (or is
    damaged) is a one-line :class:`NotAnExplorerPage` asking for a rebuild."""
    rebuild = "rebuild with 'legco-kg build'"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NotAnExplorerPage(f"{path}: not an explorer page (not UTF-8 text); {rebuild}") from None
    found = _DATA_BLOCK.search(text)
    if not found:
        raise NotAnExplorerPage(f"{path}: no explorer data in this page; {rebuild}")
    try:
        data = json.loads(found.group(1))
    except ValueError as error:
        raise NotAnExplorerPage(f"{path}: damaged explorer data ({error}); {rebuild}") from None
    if not (isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), dict)
            and isinstance(data["edges"].get("rows"), list)):
        raise NotAnExplorerPage(f"{path}: damaged explorer data (no nodes or links); {rebuild}")
    return data


def neighbourhood(data: dict, entity_id: str, depth: int) -> dict:
    """The part of ``data`` within ``depth`` links of ``entity_id``, laid out again around it."""
    import networkx as nx

    graph = nx.Graph()
    by_id = {node["id"]: node for node in data["nodes"]}
    if entity_id not in by_id:
        raise LegcoError(f"{entity_id!r} is not in the explorer (kinds shown: {', '.join(KIND_STYLE)})")
    for node in data["nodes"]:
        graph.add_node(node["id"], weight=node["weight"])
    for row in data["edges"]["rows"]:
        graph.add_edge(data["nodes"][row[0]]["id"], data["nodes"][row[1]]["id"], weight=row[2])
    keep = set(nx.single_source_shortest_path_length(graph, entity_id, cutoff=depth))
    around = graph.subgraph(keep)
    for node in around:
        entry = by_id[node]
        around.nodes[node].update(label_zh=entry["zh"], label_en=entry.get("en"))
    positions = placed(around, first=entity_id)
    cx, cy = positions[entity_id]
    # Ranks (and so which labels show English at any zoom) as :func:`placed` sized them.
    order = [entity_id] + [n for n in ranked(around) if n != entity_id]
    rank = {node: i for i, node in enumerate(order)}
    nodes, index = [], {}
    for i, node in enumerate(data["nodes"]):
        if node["id"] in keep:
            index[i] = len(nodes)
            x, y = positions[node["id"]]
            label = node["full"] if rank[node["id"]] < ENGLISH_AT_DEFAULT else node["zh"]
            nodes.append({**node, "x": round(x - cx), "y": round(y - cy), "rank": rank[node["id"]], "label": label})
    rows = [[index[r[0]], index[r[1]], *r[2:]] for r in data["edges"]["rows"] if r[0] in index and r[1] in index]
    edges = {**data["edges"], "rows": rows}
    label = by_id[entity_id]["zh"]
    return {**data, "nodes": nodes, "edges": edges, "focus": entity_id, "title": f"{label} — legco-kg (depth {depth})"}


def write_neighbourhood(build_dir: Path, entity: str, depth: int, target: Path | None = None) -> tuple[Path, dict]:
    """Write the page of ``entity``'s neighbourhood from the build in ``build_dir``.

    ``entity`` is any name ``legco-kg query`` understands; the page opens centred on it.  Returns
    the path written (default ``build_dir/<entity id>.html``) and the page's data.
    """
    from legco_kg.folder import BuildFolder, write_atomically
    from legco_kg.graph.read.query import Index

    folder = BuildFolder(build_dir)
    build = folder.current()  # the index and the page of one build, even if a build switches meanwhile
    index = Index.load(build.root)
    entity_id = index.resolve(entity)
    target = target or folder.page_path(entity_id)  # an id planted in the index must not escape the folder
    data = read_data(build.require("html"))
    if not any(node["id"] == entity_id for node in data["nodes"]):
        raise LegcoError(f"{index.describe(entity_id)} is not in the explorer, which shows: {', '.join(KIND_STYLE)}")
    data = neighbourhood(data, entity_id, depth)
    write_atomically(target.parent, {target.name: page(data)})
    return target, data


def _english_line(data: dict) -> bool:
    """Whether a label shows the English name beneath the Chinese one (not when they are the
    same, as for AIR@InnoHK)."""
    english = data.get("label_en")
    return bool(english) and english != data["label_zh"]
