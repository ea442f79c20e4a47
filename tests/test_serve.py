"""``tckg serve`` as a real process, asked by real SPARQL clients (SPARQLWrapper, rdflib's
SPARQLStore) and a real browser (Debian's Chromium through Playwright): the same rows as
``tckg query``, and updates, SERVICE, FROM, dataset parameters and file paths refused over HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg

from tckg.sparql.catalogue import query_text

CHROMIUM = Path("/usr/bin/chromium")


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``tckg serve --port 0`` and return the process and its endpoint URL."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tckg", "serve", "--port", "0", "--store", "oxigraph", "-q", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "http://" in line or proc.poll() is not None:
            break
    if "http://" not in line:
        proc.kill()
        raise AssertionError(f"tckg serve did not start: {line!r} {proc.stderr.read()[:2000]}")
    url = line[line.index("http://"):].split()[0]
    return proc, url


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def endpoint():
    proc, url = start_serve("--timeout", "20")
    yield url
    stop(proc)
    assert proc.returncode is not None


def cli_rows(name: str) -> list[dict]:
    """The rows of ``tckg query NAME`` as SPARQL results JSON bindings."""
    result = run_tckg("query", name, "-f", "json", "--store", "oxigraph")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["results"]["bindings"]


def post(url: str, data: bytes, content_type: str, accept: str = "application/sparql-results+json"):
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def get(url: str, accept: str = "application/sparql-results+json"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                    timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["targets", "achievements", "counts"])
def test_sparqlwrapper_gets_the_same_rows_as_tckg_query(endpoint, name):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query_text(name))
    client.setReturnFormat(JSON)
    got = client.query().convert()["results"]["bindings"]
    expected = cli_rows(name)
    assert expected, name
    assert got == expected


@pytest.mark.slow
def test_rdflib_sparqlstore_over_xml_gets_the_same_rows(endpoint):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(endpoint, returnFormat="xml"))
    rows = list(graph.query(query_text("targets")))
    expected = cli_rows("targets")
    assert len(rows) == len(expected) > 50
    values = sorted(str(r.target) for r in rows)
    assert values == sorted(b["target"]["value"] for b in expected)


@pytest.mark.slow
def test_get_post_named_query_and_csv(endpoint):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?t a tck:Target }"  # tck: is predeclared
    status, body = get(endpoint + "?" + urllib.parse.urlencode({"query": text, "format": "csv"}))
    assert status == 200 and body.splitlines()[0] == "n" and int(body.splitlines()[1]) > 50
    status, body = post(endpoint, text.encode("utf-8"), "application/sparql-query")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["n"]
    status, body = get(endpoint + "?query=counts")  # a named query by name
    assert status == 200 and json.loads(body)["results"]["bindings"] == cli_rows("counts")
    status, body = get(endpoint + "?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { ?t a tck:Target } WHERE { ?t a tck:Target } LIMIT 2"}), accept="text/turtle")
    assert status == 200 and "tck:Target" in body


UPDATE = "INSERT DATA { <urn:x> <urn:p> <urn:o> }"


@pytest.mark.slow
def test_update_is_refused_over_http_and_changes_nothing(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    status, body = post(endpoint, urllib.parse.urlencode({"update": UPDATE}).encode(),
                        "application/x-www-form-urlencoded")
    assert status == 403 and "read-only" in body
    status, body = post(endpoint, UPDATE.encode(), "application/sparql-update")
    assert status == 403
    # an update sent as a query is refused by the same check as tckg query
    status, body = post(endpoint, urllib.parse.urlencode({"query": UPDATE}).encode(),
                        "application/x-www-form-urlencoded")
    assert status == 403 and "Update" in body
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(UPDATE)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    status, body = get(endpoint + "?" + urllib.parse.urlencode(
        {"query": "ASK { <urn:x> <urn:p> <urn:o> }"}))
    assert status == 200 and json.loads(body)["boolean"] is False


@pytest.mark.slow
def test_service_from_dataset_parameters_and_paths_are_refused(endpoint, tmp_path):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, body = get(endpoint + "?" + urllib.parse.urlencode({"query": service}))
    assert status == 403 and "SERVICE" in body
    from_ = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    status, body = get(endpoint + "?" + urllib.parse.urlencode({"query": from_}))
    assert status == 403 and "FROM" in body
    status, body = get(endpoint + "?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "file:///etc/passwd"}))
    assert status == 403
    secret = tmp_path / "secret.rq"
    secret.write_text("SELECT * WHERE { ?s ?p 'TOP-SECRET-LINE' ", encoding="utf-8")
    status, body = get(endpoint + "?" + urllib.parse.urlencode({"query": str(secret)}))
    assert status == 400 and "TOP-SECRET" not in body


@pytest.mark.slow
def test_time_limit_and_row_cap_over_http():
    proc, url = start_serve("--timeout", "1", "--max-rows", "5")
    try:
        status, body = get(url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, body = get(url + "?" + urllib.parse.urlencode({"query": heavy}))
        assert status == 503 and "longer than 1 s" in body
        assert time.monotonic() - started < 15
        # still answering after the stopped query
        status, _ = get(url + "?query=counts")
        assert status == 200
    finally:
        stop(proc)


@pytest.mark.slow
def test_binds_to_localhost_by_default():
    proc, url = start_serve()
    try:
        assert url.startswith("http://127.0.0.1:")
    finally:
        stop(proc)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium")
def test_query_page_runs_a_named_query_in_chromium(endpoint):
    from playwright.sync_api import sync_playwright

    page_url = endpoint[: -len("sparql")]
    expected = cli_rows("counts")
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(page_url) else None)
            page.goto(page_url)
            deadline = time.monotonic() + 30
            while page.evaluate("document.querySelectorAll('#named option').length") < 10:
                assert time.monotonic() < deadline, "the named queries never arrived"
                page.wait_for_timeout(50)
            page.select_option("#named", "counts")
            page.click("#run")
            deadline = time.monotonic() + 60
            while page.evaluate("document.querySelectorAll('#results tbody tr').length") == 0:
                assert time.monotonic() < deadline, page.inner_text("#status")
                page.wait_for_timeout(50)
            assert page.evaluate("document.querySelectorAll('#results tbody tr').length") == len(expected)
            assert "rows" in page.inner_text("#status")
            # a refused query shows the server's message, not a crash
            page.fill("#query", UPDATE)
            page.click("#run")
            deadline = time.monotonic() + 30
            while "403" not in page.inner_text("#status"):
                assert time.monotonic() < deadline, page.inner_text("#status")
                page.wait_for_timeout(50)
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / "sparql-page.png"), full_page=True)
        finally:
            browser.close()
    # the browser logs the refused update's 403 as a failed resource; nothing else may fail
    assert [e for e in errors if "status of 403" not in e] == [], errors
    assert not outside, outside
