"""`legco-kg publish` against a real Oxigraph server on 127.0.0.1 (the `oxigraph` wheel's binary)."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from legco_kg.graph.read.publish import GRAPH

from helpers import one_line, run

SERVER = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    if not Path(SERVER).is_file():
        if os.environ.get("CI"):
            pytest.fail("no oxigraph server binary (the test extra installs it)")
        pytest.skip("no oxigraph server binary here (pip install '.[test]' installs it)")
    port = free_port()
    process = subprocess.Popen(
        [SERVER, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # bounded: at most ~10 s for the server to listen
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def count(base: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{base}/query?{urllib.parse.urlencode({'query': query})}", headers={"Accept": "application/sparql-results+json"}
    )
    return int(json.loads(urllib.request.urlopen(request, timeout=10).read())["results"]["bindings"][0]["n"]["value"])


def test_publish_replaces_the_graph_and_checks_its_size(server, built):
    from legco_kg.graph.read.sparql import open_store

    expected = len(open_store(built))
    for _ in range(2):  # a second publish replaces, never adds
        result = run("publish", "--out", built, "--endpoint", f"{server}/store")
        assert result.exit_code == 0, result.output
        assert f"published {expected} triples" in result.output
        assert count(server, GRAPH) == expected
    # Nothing is left behind but the published graph.
    request = urllib.request.Request(
        f"{server}/query?{urllib.parse.urlencode({'query': 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }'})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    graphs = [b["g"]["value"] for b in json.loads(urllib.request.urlopen(request, timeout=10).read())["results"]["bindings"]]
    assert graphs == [GRAPH]


def test_a_graph_iri_with_a_fragment_publishes(server, built):
    graph = "https://example.org/legco#main"
    result = run("publish", "--out", built, "--endpoint", f"{server}/store", "--graph", graph)
    assert result.exit_code == 0, result.output
    from legco_kg.graph.read.sparql import open_store

    assert count(server, graph) == len(open_store(built))


def test_a_failed_upload_leaves_the_previous_graph(server, built, tmp_path):
    assert run("publish", "--out", built, "--endpoint", f"{server}/store").exit_code == 0
    before = count(server, GRAPH)
    broken = tmp_path / "broken"
    shutil.copytree(built, broken)  # copies of the files, never links into the shared build
    (broken / "graph.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b ", encoding="utf-8")  # cut short
    result = run("publish", "--out", broken, "--endpoint", f"{server}/store")
    assert result.exit_code == 1
    assert "upload:" in one_line(result)
    assert count(server, GRAPH) == before


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "ftp://example/store"], "not an http(s) URL"),
    (["--endpoint", "http://127.0.0.1:9/graphs"], "give --query-endpoint"),
    (["--endpoint", "http://127.0.0.1:9/store", "--graph", "not an iri"], "not an absolute ASCII IRI"),
    (["--endpoint", "http://127.0.0.1:9/store", "--user", "u"], "--user needs --password-env"),
    (["--endpoint", "http://127.0.0.1:9/store"], "cannot reach http://127.0.0.1:9/store"),
], ids=["scheme", "unknown-layout", "bad-graph-iri", "password-on-command-line", "no-server"])
def test_publish_errors_are_one_line(built, args, message):
    result = run("publish", "--out", built, *args)
    assert result.exit_code == 1 and message in one_line(result)
