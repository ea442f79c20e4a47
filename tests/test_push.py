"""``tckg push`` into a real ``oxigraph serve`` process (the ``oxigraph`` binary from PyPI): one
named graph per report plus the ontology, replaced on a second push, and a query there returns
the same rows as ``tckg query``."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import run_tckg

from tckg.namespaces import PREFIXES
from tckg.push import PushError, check_endpoint, graph_url
from tckg.sparql.catalogue import query_text

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    if not Path(OXIGRAPH).exists():
        pytest.skip("needs the oxigraph binary (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "ox"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2).close()
            break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"oxigraph serve did not start: {proc.stderr.read()[:500]!r}") from None
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def remote(base: str, text: str) -> dict:
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    url = base + "/query?" + urllib.parse.urlencode({"query": prologue + text, "union-default-graph": ""})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def test_endpoint_must_be_http_without_credentials():
    for bad in ("file:///etc/passwd", "ftp://host/x", "localhost:7878/store",
                "http://user:secret@host/store"):
        with pytest.raises(PushError):
            check_endpoint(bad)
    assert graph_url("http://h/store", "https://w3id.org/tckg/graph/a b") == \
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Ftckg%2Fgraph%2Fa%20b"
    assert graph_url("http://h/x?repo=1", None) == "http://h/x?repo=1&default"


@pytest.mark.slow
def test_push_loads_a_real_oxigraph_server_and_answers_like_tckg_query(oxigraph_server):
    pushed = run_tckg("push", "--endpoint", oxigraph_server + "/store", "--store", "oxigraph")
    assert pushed.returncode == 0, pushed.stderr
    graphs = remote(oxigraph_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    names = {b["g"]["value"] for b in graphs["results"]["bindings"]}
    assert names == {"https://w3id.org/tckg/graph/ontology", "https://w3id.org/tckg/graph/tianyuan-2023-plan"}

    expected = run_tckg("query", "targets", "-f", "json", "--store", "oxigraph")
    assert expected.returncode == 0, expected.stderr
    rows = json.loads(expected.stdout)["results"]["bindings"]
    assert len(rows) > 50
    assert remote(oxigraph_server, query_text("targets"))["results"]["bindings"] == rows

    # a second push replaces each graph instead of adding a second copy
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = remote(oxigraph_server, count)["results"]["bindings"][0]["n"]["value"]
    again = run_tckg("push", "--endpoint", oxigraph_server + "/store", "--store", "oxigraph")
    assert again.returncode == 0, again.stderr
    assert remote(oxigraph_server, count)["results"]["bindings"][0]["n"]["value"] == before


@pytest.mark.slow
def test_push_says_clearly_when_the_store_cannot_be_reached():
    result = run_tckg("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--store", "oxigraph")
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr
