"""The corpus overview (tckg.html.overview): lists with counts and status totals, one view file
per report, area and task area, escaping as safe as the graph page, and the page working in
Chromium from the disk (views loaded as scripts, no request leaving file://)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from tckg.html.overview import report_parts, write_graph_or_overview, write_overview
from tckg.network import build_full_graph

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def graph(dataset):
    G = build_full_graph(dataset)
    targets = sorted(n for n, t in G.nodes(data="type") if t == "target")
    # a few statuses, and a hostile label, to see them travel
    for i, node in enumerate(targets):
        G.nodes[node]["status"] = ("met", "missed", "no-result")[i % 3]
    G.nodes[targets[0]]["label_zh"] = HOSTILE
    return G


def _views(page: Path) -> dict[int, dict]:
    out = {}
    for path in page.with_name(page.stem + "-views").glob("v*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"tckgView({path.stem[1:]},") and text.endswith(");\n")
        out[int(path.stem[1:])] = json.loads(text[text.index(",") + 1: -3])
    return out


def _lists(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script id="tckg-data" type="application/json">') + len(
        '<script id="tckg-data" type="application/json">')
    return json.loads(text[start: text.index("</script>", start)])


def test_overview_counts_statuses_and_views(graph, tmp_path):
    page = write_overview(report_parts(graph), tmp_path / "graph.html")
    data, views = _lists(page), _views(page)
    kinds = Counter(t for _, t in graph.nodes(data="type"))
    (report,) = data["lists"]["report"]
    label, _slug, targets, achievements, statuses, view, key = report
    assert key == "https://w3id.org/tckg/report/tianyuan-2023-plan"
    assert (targets, achievements) == (kinds["target"], kinds["achievement"])
    assert sum(statuses.values()) == targets and set(statuses) == {"met", "missed", "no-result"}
    assert len(views[view]["nodes"]) == graph.number_of_nodes()
    # every task area and every area opens a view of its own; indicators are counted
    task_areas = data["lists"]["task-area"]
    assert len(task_areas) == kinds["task-area"] and all(r[5] in views for r in task_areas)
    areas = {r[6]: r for r in data["lists"]["area"]}
    assert "https://w3id.org/tckg/place/tianyuan" in areas
    assert all(r[5] in views for r in areas.values())
    assert sum(r[2] for r in data["lists"]["indicator"]) == kinds["target"]
    assert sum(r[2] for r in areas.values()) == kinds["target"]
    # a task area's view holds its targets, not the whole report
    biggest = max(task_areas, key=lambda r: r[2])
    assert 0 < len(views[biggest[5]]["nodes"]) < graph.number_of_nodes()
    assert data["totals"]["views"] == len(views)


def test_an_overview_row_lists_statuses_in_name_order():
    # counted over sets of nodes, they came in hash-seed order: graph.html differed between runs
    from tckg.html.overview import _Entry

    entry = _Entry("task-area", "k", "label", statuses=Counter({"no-result": 1, "met": 2,
                                                                 "missed": 1}))
    assert list(entry.row()[4]) == ["met", "missed", "no-result"]


def test_overview_escapes_what_the_data_says(graph, tmp_path):
    page = write_overview(report_parts(graph), tmp_path / "graph.html")
    texts = [page.read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (tmp_path / "graph-views").glob("*.js")]
    assert not any(HOSTILE in t or "<img" in t for t in texts)
    assert any(HOSTILE in json.dumps(v, ensure_ascii=False) for v in _views(page).values())


def test_small_graph_stays_one_page_large_one_becomes_an_overview(graph, tmp_path):
    one = write_graph_or_overview(graph, tmp_path / "one.html")
    assert not (tmp_path / "one-views").exists() and "tckgOverview" not in one.read_text(encoding="utf-8")
    many = write_graph_or_overview(graph, tmp_path / "many.html", threshold=100)
    assert "tckgOverview" in many.read_text(encoding="utf-8") and (tmp_path / "many-views" / "v0.js").exists()


def test_a_second_run_leaves_no_stale_view(graph, tmp_path):
    write_overview(report_parts(graph), tmp_path / "graph.html")
    (tmp_path / "graph-views" / "v999.js").write_text("stale", encoding="utf-8")
    page = write_overview(report_parts(graph), tmp_path / "graph.html")
    assert 999 not in {int(p.stem[1:]) for p in (tmp_path / "graph-views").glob("v*.js")}
    assert len(_views(page)) == _lists(page)["totals"]["views"]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium")
def test_overview_opens_a_report_and_a_task_area_in_chromium(graph, tmp_path):
    from playwright.sync_api import sync_playwright

    page_path = write_overview(report_parts(graph), tmp_path / "graph.html")
    errors: list[str] = []
    outside: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file://") else None)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_path.as_uri())

            def wait(expression: str, seconds: float = 30) -> None:
                deadline = time.monotonic() + seconds
                while not page.evaluate(expression):
                    assert time.monotonic() < deadline, expression
                    page.wait_for_timeout(20)

            wait("window.tckgOverview && window.tckgOverview.ready")
            assert page.locator("#rows tr").count() == 1  # one report
            page.click("#rows tr.open")
            wait("window.tckgOverview.opened !== null")
            assert page.locator("#graph canvas").count() == 1
            box = page.evaluate("JSON.stringify(document.getElementById('graph').getBoundingClientRect())")
            assert 300 < json.loads(box)["height"] <= 900  # drawn inside the window, not growing
            assert "nodes" in page.inner_text("#viewtitle")
            assert page.evaluate("window.tckgOverview.redraw()") < 200
            page.click("#tabs button:nth-child(3)")  # task areas
            assert page.locator("#rows tr.open").count() >= 6
            page.fill("#filter", "zzz-nothing")
            wait("document.querySelectorAll('#rows tr').length === 0", 5)
            page.fill("#filter", "")
            wait("document.querySelectorAll('#rows tr').length > 0", 5)
            first = page.evaluate("window.tckgOverview.opened")
            page.click("#rows tr.open >> nth=0")
            wait(f"window.tckgOverview.opened !== {first}")
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / "overview.png"))
        finally:
            browser.close()
    assert not errors, errors
    assert not outside, outside
    assert not dialogs, dialogs


def test_site_views_switch_to_the_overview_above_the_threshold(dataset, tmp_path):
    from tckg.html.overview import write_site_views

    small = write_site_views(dataset, tmp_path / "small")
    assert "tckgOverview" not in small.read_text(encoding="utf-8")
    large = write_site_views(dataset, tmp_path / "large", threshold=100)
    assert large == tmp_path / "large" / "graph.html"
    assert "tckgOverview" in large.read_text(encoding="utf-8")
    assert (tmp_path / "large" / "graph-views" / "v0.js").exists()


def test_tckg_graph_writes_the_overview_above_the_threshold(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``tckg graph`` at corpus size writes the overview (as ``tckg build`` does), not one page
    that cannot be drawn; ``--one-page`` still forces the single page. The threshold is lowered
    here so that the bundled report (about 430 nodes) stands for a corpus."""
    from typer.testing import CliRunner

    import tckg.html.overview as overview
    from tckg.cli import app

    monkeypatch.setattr(overview, "OVERVIEW_NODES", 100)
    page = tmp_path / "graph.html"
    result = CliRunner().invoke(app, ["graph", "--store", "rdflib", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "overview" in result.output
    assert _views(page)  # one view file per report, area and task area
    single = tmp_path / "single.html"
    result = CliRunner().invoke(app, ["graph", "--store", "rdflib", "--one-page", "-o", str(single)])
    assert result.exit_code == 0, result.output
    assert not single.with_name("single-views").exists()
    assert "vis.Network" in single.read_text(encoding="utf-8")


# -- the overview built one report at a time (tckg.network.corpus) ------------------------------

def _slug_copies(folder: Path, n: int) -> list[Path]:
    """The bundled report n times, only its slug changed: every shared resource (places, bodies,
    projects) says the same in every copy, so cutting the whole graph and building each report's
    graph on its own must agree; the area of 天元区 gathers the targets of all three."""
    text = (ROOT / "data" / "report.ttl").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"d{i}-2023-plan.ttl"
        path.write_text(text.replace("tianyuan-2023-plan", f"d{i}-2023-plan"), encoding="utf-8")
        files.append(path)
    return files


def _keyed_views(page: Path) -> dict[tuple[str, str], dict]:
    data, views = _lists(page), _views(page)
    return {(kind, row[6]): views[row[5]] for kind, rows in data["lists"].items()
            for row in rows if row[5] is not None}


@pytest.mark.parametrize("store", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_report_by_report_overview_equals_the_whole_graph_cut_into_reports(tmp_path, store):
    from rdflib import URIRef

    from tckg.html.overview import write_corpus_overview
    from tckg.network.building import assemble_graph, by_iri, disambiguate_labels, graph_rows
    from tckg.network.corpus import count_nodes
    from tckg.store.load import load_dataset

    dataset = load_dataset(_slug_copies(tmp_path / "data", 3), store=store)
    # a graph of no report (as tckg build adds its verdicts): its labels of resources no
    # report draws stay out, its label of an indicator the reports use shows in every view
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS, SKOS

    extra = Graph()
    extra.add((URIRef("https://w3id.org/tckg/assessment/x"), RDFS.label, Literal("评估", lang="zh")))
    extra.add((URIRef("https://w3id.org/tckg/indicator/gdp-growth"), SKOS.prefLabel, Literal("一一GDP", lang="zh")))
    dataset.store.add_graph(URIRef("https://w3id.org/tckg/graph/extra"), extra)
    whole = assemble_graph(graph_rows(dataset), disambiguate=False)
    assert whole.nodes["https://w3id.org/tckg/indicator/gdp-growth"]["label_zh"] == "一一GDP"
    targets = sorted(n for n, t in whole.nodes(data="type") if t == "target")
    # verdicts keyed by URIRef, as tckg.track gives them
    statuses = {URIRef(t): ("met", "missed", "no-result")[i % 4] for i, t in enumerate(targets)
                if i % 4 < 3}
    streamed = write_corpus_overview(dataset, tmp_path / "streamed.html", statuses=statuses)

    # the reference: the whole graph with the same verdicts, cut into reports, labels told
    # apart within each report (as a report's own graph does)
    whole = assemble_graph(graph_rows(dataset), statuses=by_iri(statuses), disambiguate=False)

    def parts():
        for report, title, part in report_parts(whole):
            disambiguate_labels(part)
            yield report, title, part

    reference = write_overview(parts(), tmp_path / "whole.html")
    assert count_nodes(dataset) == whole.number_of_nodes()  # how tckg graph chooses the overview
    got, expected = _lists(streamed), _lists(reference)
    assert got["lists"] == expected["lists"] and got["totals"] == expected["totals"]
    assert len(got["lists"]["report"]) == 3
    # the lists span reports: 天元区's area counts the targets of all three, statuses included
    area = next(r for r in got["lists"]["area"] if r[6] == "https://w3id.org/tckg/place/tianyuan")
    assert area[2] > 0 and area[2] % 3 == 0 and sum(area[4].values()) == area[2]
    assert {"met", "missed", "no-result", "no-status"} <= {
        k for r in got["lists"]["report"] for k in r[4]}
    views = _keyed_views(streamed)
    assert views == _keyed_views(reference)
    assert len(views[("area", "https://w3id.org/tckg/place/tianyuan")]["nodes"]) > \
        len(views[("report", "https://w3id.org/tckg/report/d0-2023-plan")]["nodes"]) / 3


def test_count_nodes_is_the_built_graphs_size(dataset):
    from tckg.network.corpus import count_nodes

    # (on three reports in the test above)
    assert count_nodes(dataset) == build_full_graph(dataset).number_of_nodes()


def test_a_view_file_is_compact_and_keeps_what_the_tooltip_shows(graph, tmp_path):
    from tckg.html.overview import QUOTE_CHARS

    graph = graph.copy()
    gdp = "https://w3id.org/tckg/report/tianyuan-2023-plan/target/2023/district/gdp-growth"
    graph.nodes[gdp]["quote"] = "长" * 1000
    page = write_overview(report_parts(graph), tmp_path / "graph.html")
    (report,) = _lists(page)["lists"]["report"]
    view = _views(page)[report[5]]
    rows = {row[0]: row for row in view["nodes"]}
    attrs = graph.nodes[gdp]
    assert rows[gdp][4] == attrs["label_zh"] and rows[gdp][7] == attrs["value"]
    assert rows[gdp][10] == attrs["status"] and rows[gdp][11] == "长" * QUOTE_CHARS  # cut
    assert len(rows) == graph.number_of_nodes() and len(view["edges"]) == graph.number_of_edges()
