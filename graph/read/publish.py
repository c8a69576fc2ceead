"""Publish a finished build to a SPARQL server (``legco-kg publish``).

The graph is sent with the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` of ``graph.ttl`` into a
temporary named graph, a count of its triples through the query endpoint, then a SPARQL Update
``MOVE`` of the temporary graph onto the target graph (which replaces it in one operation), and a
last count of the target. A failure at any step before the move leaves the server's previous
graph as it was; the temporary graph is dropped. Only the standard library is used (``urllib``).
"""
from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from legco_kg.errors import LegcoError

GRAPH = "https://w3id.org/legco-kg/graph"  # the default named graph of a published build
TIMEOUT = 300  # seconds for one request: a large upload takes a while


class PublishError(LegcoError):
    """The server refused or failed a step; the message names the step and the URL."""


@dataclass(frozen=True)
class Endpoints:
    """Where the server takes graphs (Graph Store), queries and updates."""

    store: str
    query: str
    update: str

    @classmethod
    def from_store(cls, store: str, query: str | None = None, update: str | None = None) -> "Endpoints":
        """The endpoints of a server, the query and update ones derived from the Graph Store URL
        the way Oxigraph lays them out (``…/store`` → ``…/query``, ``…/update``) unless given.

        >>> Endpoints.from_store("http://127.0.0.1:7878/store").update
        'http://127.0.0.1:7878/update'
        """
        parsed = urllib.parse.urlsplit(store)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise PublishError(f"{store!r}: not an http(s) URL of a Graph Store endpoint")
        head, _, last = parsed.path.rstrip("/").rpartition("/")

        def sibling(name: str) -> str:
            if last != "store":
                raise PublishError(
                    f"{store}: cannot tell the server's {name} endpoint from this URL; give --{name}-endpoint"
                )
            return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, f"{head}/{name}", "", ""))

        return cls(store, query or sibling("query"), update or sibling("update"))


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int


def _credentials(user: str | None, password_env: str | None) -> str | None:
    if user is None:
        return None
    if not password_env:
        raise PublishError("--user needs --password-env VAR (the password is never taken on the command line)")
    password = os.environ.get(password_env)
    if password is None:
        raise PublishError(f"--password-env {password_env}: no such environment variable")
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


class _Server:
    def __init__(self, endpoints: Endpoints, authorization: str | None) -> None:
        self.endpoints = endpoints
        self.authorization = authorization

    def request(self, step: str, method: str, url: str, body: bytes | None, content_type: str | None,
                accept: str | None = None) -> bytes:
        request = urllib.request.Request(url, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        if self.authorization:
            request.add_header("Authorization", self.authorization)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode("utf-8", "replace").strip().splitlines()
            raise PublishError(f"{step}: {url} answered {error.code} {error.reason}"
                               + (f" ({detail[0]})" if detail else "")) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PublishError(f"{step}: cannot reach {url}: {reason}") from None

    def put_graph(self, graph: str, turtle: bytes) -> None:
        url = f"{self.endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
        self.request("upload", "PUT", url, turtle, "text/turtle")

    def count(self, graph: str) -> int:
        # The graph IRI is checked to be an absolute IRI without spaces or angle brackets, so it
        # can stand in the query text; nothing a user types reaches it otherwise.
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = urllib.parse.urlencode({"query": query}).encode("ascii")
        answer = self.request("count", "POST", self.endpoints.query, body,
                              "application/x-www-form-urlencoded", "application/sparql-results+json")
        try:
            return int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError) as error:
            raise PublishError(f"count: {self.endpoints.query} gave no SPARQL JSON count ({error})") from None

    def update(self, step: str, update: str) -> None:
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self.request(step, "POST", self.endpoints.update, body, "application/x-www-form-urlencoded")


def _checked_iri(graph: str) -> str:
    parsed = urllib.parse.urlsplit(graph)
    if not parsed.scheme or any(c in graph for c in ' <>"{}|\\^`') or not graph.isascii():
        raise PublishError(f"--graph {graph!r}: not an absolute ASCII IRI")
    return graph


def publish(out: Path, endpoints: Endpoints, graph: str = GRAPH, user: str | None = None,
            password_env: str | None = None) -> Published:
    """Replace the named graph ``graph`` on the server with the build in ``out``; return its size."""
    from legco_kg.folder import BuildFolder
    from legco_kg.graph.read.sparql import open_store

    graph = _checked_iri(graph)
    build = BuildFolder(out).current()  # the Turtle and the store of one build, even if a build switches
    turtle = build.require("turtle").read_bytes()
    expected = len(open_store(build.root))  # the build's own store holds exactly the triples of graph.ttl
    server = _Server(endpoints, _credentials(user, password_env))
    staging = f"{urllib.parse.urldefrag(graph).url}#upload-{os.getpid()}"  # one fragment, whatever the graph's
    try:
        server.put_graph(staging, turtle)
        staged = server.count(staging)
        if staged != expected:
            raise PublishError(f"upload: the server holds {staged} triples of the {expected} sent; graph {graph} unchanged")
        server.update("move", f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
    except PublishError:
        try:
            server.update("clean-up", f"DROP SILENT GRAPH <{staging}>")
        except PublishError:
            pass
        raise
    published = server.count(graph)
    if published != expected:
        raise PublishError(f"check: {graph} holds {published} triples after the move, not {expected}")
    return Published(graph, published)
