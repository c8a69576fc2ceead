"""The entity graph: a projection of the knowledge graph for people to explore.

Nodes are the named things a reader looks for (schemes, institutions, platforms, members, bureaus,
programmes); replies, papers and sentences are not nodes but the *evidence* kept on nodes and
edges.  Two entities are linked when a reply (or, in a paper, a sentence) links them:

- ``co-mentioned``: both are named in the text of the same reply (in a paper: the same sentence,
  so that a long paper does not tie everything it names together);
- ``asked about``: a member and an entity named in the member's question;
- ``replied by``: an entity named in a reply (or the member who asked it) and the reply's bureau;
- ``amount of``: the reply's bureau states an amount of the entity;
- ``under``: a reply's programme and its bureau;
- ``part of``: an entity and its parent in the gazetteer.

An edge's ``weight`` is the number of replies (or papers) that give it.  Every place (a reply or a
paper) keeps the document, and every sentence its offsets into the original file text.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import networkx as nx
import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

    from legco_kg.graph.kg import KnowledgeGraph

KINDS = ("scheme", "institution", "platform", "member", "bureau", "programme")
RELATIONS = ("co-mentioned", "asked about", "replied by", "amount of", "under", "part of")
_YEAR = re.compile(r"(?:19|20)\d\d(?:-\d\d)?")


class Place(NamedTuple):
    """Where evidence comes from: a reply of an estimates document, or a paper.

    A named tuple, like :class:`Sentence`: the explorer's graph puts millions of them in sets and
    dicts at scale, and a tuple hashes and compares in C (a dataclass's ``__hash__`` is Python).
    """

    doc_id: str
    reply: str | None = None

    @property
    def id(self) -> str:
        return f"{self.doc_id}/{self.reply}" if self.reply else self.doc_id


class Sentence(NamedTuple):
    """A source sentence: its place, its offsets into the original file text, its clean text."""

    place: Place
    start: int
    end: int
    text: str


def document_year(title: str) -> str | None:
    """The year a document's title names (a financial year such as ``2025-26``), or None.

    >>> document_year("審核2025-26年度開支預算")
    '2025-26'
    >>> document_year("推動創新及科技發展") is None
    True
    """
    found = _YEAR.search(title or "")
    return found.group() if found else None


def amount_facts(kg: "KnowledgeGraph") -> list[dict]:
    """The panel's amounts: the graph's amount facts (:attr:`KnowledgeGraph.amount_facts`, one per
    subject, value, currency, year and role) that have a subject, with their first statement.
    ``places`` lists every reply or paper stating the amount.
    """
    facts = []
    for fact in kg.amount_facts:
        if not fact.subject:
            continue
        first = fact.evidence[0]
        facts.append({
            "entity": fact.subject, "value": str(fact.value), "currency": fact.currency, "text": first.text,
            "year": fact.year, "role": fact.role, "place": Place(first.doc_id, first.reply),
            "start": first.start, "end": first.end,
            "places": sorted({Place(a.doc_id, a.reply) for a in fact.evidence}),
        })
    facts.sort(key=lambda f: (f["entity"], f["place"], f["start"], f["value"], f["year"] or "", f["role"] or ""))
    return facts


def entity_graph(kg: "KnowledgeGraph") -> nx.Graph:
    """The entities of ``kg`` and the relations between them, weighted by replies.

    Node attributes: ``kind``, ``label_zh``, ``label_en``, ``aliases``, ``parent``, ``places`` (the
    replies and papers naming it), ``evidence`` (the first sentence naming it in each place) and
    ``weight`` (the number of places).  Edge attributes: ``relations`` (sorted), ``places``,
    ``weight`` (their number) and ``evidence`` (sentences naming both, at most two per place).
    Graph attribute ``places``: every :class:`Place` with its ``member``, ``head``, ``year``.

    Examples
    --------
    >>> from legco_kg.graph.kg import KnowledgeGraph
    >>> entity_graph(KnowledgeGraph([])).number_of_nodes()
    0
    """
    from legco_kg.extractors.names import SENTENCE

    graph = nx.Graph()
    place_info: dict[Place, dict] = {}
    bureau_of: dict[Place, str] = {}
    member_of: dict[Place, str] = {}
    question_of: dict[Place, Sentence] = {}  # a member's evidence: the first sentence they asked
    for doc in kg.documents:
        year = document_year(doc.title)
        if not doc.replies:
            place_info[Place(doc.doc_id)] = {"title": doc.title, "member": None, "head": None, "year": year}
        for reply in doc.replies:
            place = Place(doc.doc_id, reply.reply)
            place_info[place] = {
                "title": doc.title, "member": reply.member, "head": reply.head, "year": year,
                "start": reply.start, "end": reply.end,
            }
            asked_first = SENTENCE.search(reply.question_text.text)
            text = asked_first.group().strip() if asked_first else ""
            if text:
                first = asked_first.start() + asked_first.group().index(text)
                start, end = reply.question_text.span(first, first + len(text))
                question_of[place] = Sentence(place, start, end, text)
    for entity in sorted(kg.entities.values(), key=lambda e: e.id):
        if entity.kind in KINDS:
            graph.add_node(
                entity.id, kind=entity.kind, label_zh=entity.label_zh, label_en=entity.label_en,
                aliases=list(entity.aliases), parent=entity.parent, places=set(), evidence={},
            )

    finder = kg.sentences
    named_in: dict[Place, set[str]] = defaultdict(set)  # text mentions, per place
    asked: dict[Place, set[str]] = defaultdict(set)  # named in the question
    by_sentence: dict[Sentence, set[str]] = defaultdict(set)
    header: dict[Place, set[str]] = defaultdict(set)
    for fact, mention in ((fact, mention) for fact in kg.facts for mention in fact.evidence):  # the facts' evidence
        entity_id = fact.object
        if entity_id not in graph:
            continue
        place = Place(mention.doc_id, mention.reply)
        node = graph.nodes[entity_id]
        node["places"].add(place)
        if fact.in_header:
            header[place].add(entity_id)
            kind = node["kind"]
            if kind == "bureau":
                bureau_of[place] = entity_id
            elif kind == "member":
                member_of[place] = entity_id
            if place not in node["evidence"]:
                own = question_of.get(place) if kind == "member" else None
                node["evidence"][place] = own or Sentence(place, mention.start, mention.end, mention.text)
            continue
        found = finder.locate(mention.doc_id, mention.start, mention.end)
        sentence = Sentence(place, *found) if found else Sentence(place, mention.start, mention.end, mention.text)
        # The first sentence in the text is better evidence than a header field.
        current = node["evidence"].get(place)
        if current is None or (entity_id in header[place] and current.text == mention.text):
            node["evidence"][place] = sentence
        by_sentence[sentence].add(entity_id)
        named_in[place].add(entity_id)
        if mention.section == "question":
            asked[place].add(entity_id)

    links: dict[tuple[str, str], dict] = {}

    def link(a: str, b: str, relation: str, place: Place) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        edge = links.get(key)
        if edge is None:  # not setdefault: that would make the empty edge on every call
            edge = links[key] = {"relations": set(), "places": set(), "evidence": {}}
        edge["relations"].add(relation)
        edge["places"].add(place)

    for place in sorted(set(named_in) | set(header)):
        named = sorted(named_in.get(place, ()))
        if place.reply is not None:
            for i, a in enumerate(named):
                for b in named[i + 1:]:
                    link(a, b, "co-mentioned", place)
        bureau, member = bureau_of.get(place), member_of.get(place)
        if member:
            for entity_id in sorted(asked.get(place, ())):
                link(member, entity_id, "asked about", place)
        if bureau:
            for entity_id in named:
                link(entity_id, bureau, "replied by", place)
            if member:
                link(member, bureau, "replied by", place)
            for entity_id in sorted(header.get(place, ())):
                if graph.nodes[entity_id]["kind"] == "programme":
                    link(entity_id, bureau, "under", place)
    for sentence in sorted(by_sentence):
        named = sorted(by_sentence[sentence])
        for i, a in enumerate(named):
            for b in named[i + 1:]:
                if sentence.place.reply is None:
                    link(a, b, "co-mentioned", sentence.place)
                by_place = links[(a, b)]["evidence"]
                evidence = by_place.get(sentence.place)
                if evidence is None:
                    by_place[sentence.place] = [sentence]
                elif len(evidence) < 2:
                    evidence.append(sentence)
    for fact in amount_facts(kg):
        for place in fact["places"]:
            bureau = bureau_of.get(place)
            if bureau and fact["entity"] in graph:
                link(fact["entity"], bureau, "amount of", place)
    for node, parent in sorted(graph.nodes(data="parent")):
        if parent in graph:
            shared = graph.nodes[node]["places"] & graph.nodes[parent]["places"]
            for place in sorted(shared) or [Place("gazetteer")]:
                link(node, parent, "part of", place)

    for node, data in graph.nodes(data=True):
        data["places"] = sorted(data["places"])
        data["evidence"] = [data["evidence"][place] for place in sorted(data["evidence"])]
        data["weight"] = len(data["places"])
    for (a, b), edge in sorted(links.items()):
        places = sorted(p for p in edge["places"] if p.doc_id != "gazetteer")
        graph.add_edge(
            a, b, relations=sorted(edge["relations"], key=RELATIONS.index), places=places,
            weight=max(1, len(places)),
            evidence=[s for place in sorted(edge["evidence"]) for s in edge["evidence"][place]],
        )
    graph.graph["places"] = place_info
    return graph


def ranked(graph: nx.Graph) -> list[str]:
    """Nodes, most connected first: by the number of replies naming them, then of neighbours, then id.

    Replies first: one reply listing every department would otherwise make each of them a hub.
    """
    return sorted(graph, key=lambda n: (-graph.nodes[n]["weight"], -graph.degree(n), n))


def layout(graph: nx.Graph, seed: int = 7, core_size: int = 300, cache: "Path | None" = None) -> dict[str, tuple[float, float]]:
    """Seeded, deterministic positions in which communities separate; cost about linear in size.

    The ``core_size`` most connected nodes are laid out together: Louvain communities (networkx)
    are placed apart first, then ForceAtlas2 refines the whole core (its cost grows with the square
    of the core, which is bounded).  Every other node is placed on a small ring around its most
    strongly linked core neighbour, which costs one pass over the edges: the explorer shows the
    core by default and the rest on request, so a larger corpus adds nodes at the rim, not time.

    With a ``cache`` folder, the core's positions are kept there, keyed by everything they are
    computed from (the core's nodes, weights and edges, the seed, the versions of this code and
    of networkx and numpy): a rebuild whose change leaves the core as it was reads them back.
    """
    if graph.number_of_nodes() == 0:
        return {}
    order = ranked(graph)
    core = graph.subgraph(order[:core_size])
    simple = nx.Graph()
    simple.add_nodes_from(sorted(core))
    simple.add_edges_from(sorted((a, b, {"weight": math.log1p(w)}) for a, b, w in core.edges(data="weight")))
    size = {n: 1 + math.log1p(core.nodes[n]["weight"]) for n in simple}
    if cache is None:
        result = _core_layout(simple, size, seed)
    else:
        from legco_kg import cache as entries

        key = _core_key(simple, size, seed)
        result = entries.read(cache, key, dict)
        if result is None:
            result = _core_layout(simple, size, seed)
            entries.write(cache, key, result)
        entries.prune(cache, {key})
        result = dict(result)  # the cache's own (kept in memory by a watching build) is not changed below
    # The rest: on a ring around the strongest laid-out neighbour (or the rim if none).
    golden = math.pi * (3 - math.sqrt(5))
    spread = max((math.hypot(x, y) for x, y in result.values()), default=1.0) or 1.0
    around: dict[str, int] = defaultdict(int)
    for k, node in enumerate(order[core_size:]):
        anchors = sorted((-graph[node][m]["weight"], m) for m in graph[node] if m in result)
        if anchors:
            anchor = anchors[0][1]
            ax, ay = result[anchor]
            around[anchor] += 1
            step = around[anchor]
            r = 0.03 * spread * math.sqrt(step)
        else:
            ax = ay = 0.0
            step = k + 1
            r = spread * (1.05 + 0.002 * step)
        result[node] = (ax + r * math.cos(step * golden), ay + r * math.sin(step * golden))
    return result


def _core_key(simple: nx.Graph, size: dict[str, float], seed: int) -> str:
    import hashlib
    from pathlib import Path

    digest = hashlib.blake2b(digest_size=16)
    digest.update(Path(__file__).read_bytes())  # this module: the layout's code and parameters
    digest.update(repr((nx.__version__, np.__version__, seed, list(simple), list(simple.edges(data="weight")),
                        sorted(size.items()))).encode())
    return digest.hexdigest()


def _core_layout(simple: nx.Graph, size: dict[str, float], seed: int) -> dict[str, tuple[float, float]]:
    """Positions of the core (see :func:`layout`): communities apart, then ForceAtlas2."""
    communities = sorted(
        (sorted(c) for c in nx.community.louvain_communities(simple, weight="weight", seed=seed)),
        key=lambda c: (-len(c), c[0]),
    )
    start: dict[str, tuple[float, float]] = {}
    golden = math.pi * (3 - math.sqrt(5))
    for i, community in enumerate(communities):
        radius = 10 * math.sqrt(i)  # a sunflower of community centres, biggest in the middle
        cx, cy = radius * math.cos(i * golden), radius * math.sin(i * golden)
        spread = math.sqrt(len(community))
        for j, node in enumerate(community):
            r = spread * math.sqrt(j / len(community))
            start[node] = np.array([cx + r * math.cos(j * golden), cy + r * math.sin(j * golden)])
    positions = start
    if simple.number_of_nodes() > 2:
        positions = nx.forceatlas2_layout(
            simple, pos=start, max_iter=100, scaling_ratio=4.0, gravity=1.0, weight="weight",
            node_size=size, seed=seed, linlog=False,
        )
    return {n: (float(x), float(y)) if np.isfinite([x, y]).all() else tuple(map(float, start[n]))
            for n, (x, y) in positions.items()}


def remove_overlaps(positions: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float, float]],
                    order: list[str], density: float = 1.4, cell: float = 8.0, aspect: float = 1.9,
                    core: int | None = None) -> dict[str, tuple[float, float]]:
    """Positions (in pixels) where the ``boxes`` of ``order``'s nodes do not overlap.

    A box is (width, height, drop) in pixels: a node and its label below it, the node ``drop``
    pixels below the box's top.

    The layout is turned so that the long axis of the first ``core`` nodes of ``order`` (default:
    all) is horizontal and scaled so that their boxes cover about ``density`` of an area of
    ``aspect``; then each node, in ``order`` (most important first), takes the free place nearest
    to its scaled position, searched ring by ring on a grid of ``cell`` pixels.  Deterministic.
    Nodes not in ``order`` keep their scaled position.
    """
    if not order:
        return dict(positions)
    first = order[:core] if core else order
    # Turn the layout's long axis horizontal and stretch it to ``aspect`` (screens are wide), so
    # that the boxes fill the screen rather than a diagonal band of it.
    points = np.array([positions[n] for n in first], dtype=float)
    centre = points.mean(axis=0)
    axes, std = np.eye(2), np.ones(2)
    if len(first) > 2:
        _, vectors = np.linalg.eigh(np.cov((points - centre).T) + 1e-9 * np.eye(2))
        axes = vectors[:, ::-1]  # the main axis first
        axes = axes * np.where(axes.sum(axis=0) < 0, -1.0, 1.0)  # a fixed sign: deterministic
        std = ((points - centre) @ axes).std(axis=0) + 1e-9
    area = sum(w * h for w, h, _ in (boxes[n] for n in first))
    unit = math.sqrt(area / density / aspect) / 4  # about 4 standard deviations across the height
    scale = np.array([unit * aspect / std[0], unit / std[1]])
    scaled = {}
    for node, (x, y) in positions.items():
        sx, sy = ((np.array([x, y]) - centre) @ axes) * scale
        scaled[node] = (float(sx), float(sy))
    # Nodes far outside the core (unlinked ones on the layout's rim) come to its edge: the view of
    # every node then stays as compact as the core.
    xs = [scaled[n][0] for n in first]
    ys = [scaled[n][1] for n in first]
    margin_x, margin_y = 0.1 * (max(xs) - min(xs)) + cell, 0.1 * (max(ys) - min(ys)) + cell
    for node in order[len(first):]:
        x, y = scaled[node]
        scaled[node] = (min(max(x, min(xs) - margin_x), max(xs) + margin_x), min(max(y, min(ys) - margin_y), max(ys) + margin_y))
    result = dict(scaled)
    total = sum(w * h for w, h, _ in (boxes[n] for n in order))
    reach = max(max(abs(scaled[n][0]), abs(scaled[n][1])) for n in order)
    # An occupancy grid with its summed-area table: whether a box is free is four look-ups, and
    # a whole ring of candidate places is tested at once (in the flat table: one index per place).
    half = int((reach + 2 * math.sqrt(total / density)) / cell) + 8
    side = 2 * half + 1
    table = np.zeros((side, side), dtype=np.int32)
    flat = table.ravel()
    lines = np.arange(side)
    for node in order:
        w, h, drop = boxes[node]
        cols, rows = max(1, math.ceil(w / cell)), max(1, math.ceil(h / cell))
        # the top left cell of the box centred on the node's grid cell
        left, top = round(scaled[node][0] / cell) + half - cols // 2, round(scaled[node][1] / cell) + half - rows // 2
        corner = top * side + left
        spot = None
        for ring in range(0, half, _RINGS_AT_ONCE):
            offsets, steps = _rings(ring), _flat_rings(ring, side)
            reach_out = ring + _RINGS_AT_ONCE - 1
            if min(left, top) >= reach_out and max(left + cols, top + rows) + reach_out <= 2 * half:
                places = steps + corner  # every place of these rings is on the grid
            else:
                x, y = left + offsets[:, 0], top + offsets[:, 1]
                places = (steps + corner)[(x >= 0) & (y >= 0) & (x + cols <= 2 * half) & (y + rows <= 2 * half)]
            used = flat[places + (rows * side + cols)] - flat[places + cols] - flat[places + rows * side] + flat[places]
            free = np.flatnonzero(used == 0)
            if free.size:
                spot = divmod(int(places[free[0]]), side)[::-1]
                break
        if spot is None:  # pragma: no cover - the grid is twice the layout's size
            raise ValueError("no room left to place a label")
        sx, sy = spot
        # The table gains the box: entry (i, j) counts the box's cells above and left of it.
        across = np.clip(lines[sx + 1:] - sx, 0, cols).astype(np.int32)
        table[sy + 1 : sy + rows + 1, sx + 1:] += np.arange(1, rows + 1, dtype=np.int32)[:, None] * across
        table[sy + rows + 1 :, sx + 1:] += rows * across
        result[node] = ((sx - half + cols / 2) * cell, (sy - half) * cell + drop)
    # Widen to ``aspect`` where the packing came out narrower: stretching apart adds no overlap.
    left = min(result[n][0] - boxes[n][0] / 2 for n in first)
    right = max(result[n][0] + boxes[n][0] / 2 for n in first)
    top = min(result[n][1] - boxes[n][2] for n in first)
    bottom = max(result[n][1] - boxes[n][2] + boxes[n][1] for n in first)
    stretch = aspect * (bottom - top) / max(right - left, 1e-9)
    if stretch > 1:
        result = {n: (x * stretch, y) for n, (x, y) in result.items()}
    return result


_RINGS_AT_ONCE = 6


@lru_cache(maxsize=None)
def _rings(first: int) -> np.ndarray:
    """The offsets of rings ``first`` to ``first + _RINGS_AT_ONCE - 1``, nearer rings first."""
    return np.concatenate([_ring(r) for r in range(first, first + _RINGS_AT_ONCE)])


@lru_cache(maxsize=None)
def _flat_rings(first: int, side: int) -> np.ndarray:
    """:func:`_rings` as steps in a flattened grid ``side`` cells wide."""
    offsets = _rings(first)
    return offsets[:, 1] * side + offsets[:, 0]


def _ring(ring: int) -> np.ndarray:
    """Grid offsets at Chebyshev distance ``ring``, nearest first (sideways preferred: labels are wide)."""
    if ring == 0:
        return np.zeros((1, 2), dtype=np.int64)
    offsets = sorted(
        {(dx, dy) for d in range(-ring, ring + 1) for dx, dy in ((d, -ring), (d, ring), (-ring, d), (ring, d))},
        key=lambda c: (c[0] * c[0] + 4 * c[1] * c[1], c),
    )
    return np.array(offsets, dtype=np.int64)
