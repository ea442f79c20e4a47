"""The graph page in a real browser: Debian's Chromium driven by Playwright (no downloaded
browser). The page must load offline with no console error, show as many nodes and edges as
the networkx graph, show a target's evidence on hover, find 麦格米特, filter by type, and
render markup from the data as text without running it.

Screenshots go to test-artifacts/ (graph.png, graph-search.png, graph-hierarchical.png).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import ROOT

from tckg.html.graph_page import write_graph_html
from tckg.network import build_full_graph
from tckg.store.load import load_dataset

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]

REPORT = "https://w3id.org/tckg/report/tianyuan-2023-plan/"
GDP_2023 = REPORT + "target/2023/district/gdp-growth"
MEGMEET = "https://w3id.org/tckg/org/megmeet"
HOSTILE = "<img src=x onerror=alert(1)>"


def _wait(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` until it is true. page.wait_for_function compiles its predicate
    with eval, which the page's Content-Security-Policy (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


@dataclass
class Recorder:
    """Everything the page did that a test may object to."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside_file(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file://")]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium "
                    "(apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(path: Path, width: int = 1400, height: int = 900) -> tuple[Any, Recorder]:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="zh-CN")
        contexts.append(context)
        rec = Recorder()
        # any request off file:// is recorded, then refused, so a regression cannot hang
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        page = context.new_page()
        page.on("console", lambda m: rec.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: rec.errors.append(str(e)))
        page.on("request", lambda r: rec.requests.append(r.url))

        def dialog(d: Any) -> None:
            rec.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.as_uri())
        _wait(page, "window.tckg !== undefined && window.tckg.ready === true")
        return page, rec

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def report_graph() -> nx.MultiDiGraph:
    # a status on one target, as tckg build passes them, so the status colouring is drawn
    return build_full_graph(load_dataset(), statuses={GDP_2023: "met-within-tolerance"})


@pytest.fixture(scope="module")
def report_page(report_graph, tmp_path_factory) -> Path:
    return write_graph_html(report_graph, tmp_path_factory.mktemp("page") / "graph.html")


def _hover(page: Any, node: str) -> None:
    """Centre the view on ``node`` and move the real mouse onto it."""
    page.evaluate("id => tckg.network.focus(id, {scale: 1.6, animation: false})", node)
    page.evaluate("() => tckg.network.redraw()")
    x, y = page.evaluate("""id => {
        const p = tckg.network.canvasToDOM(tckg.network.getPositions([id])[id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", node)
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)


def test_page_loads_offline_and_matches_the_graph(open_page, report_page, report_graph) -> None:
    page, rec = open_page(report_page)
    counts = page.evaluate("[tckg.network.body.data.nodes.length,"
                           " tckg.network.body.data.edges.length]")
    assert counts == [report_graph.number_of_nodes(), report_graph.number_of_edges()]
    # the nodes drawn are the graph's nodes, not just as many
    ids = page.evaluate("tckg.network.body.data.nodes.getIds()")
    assert set(ids) == set(report_graph)
    assert page.locator("#legend input[type=checkbox]").count() == 12
    assert "在容差内达成" in page.locator("#legend").inner_text()
    colour = page.evaluate("id => tckg.nodes.get(id).color.background", GDP_2023)
    assert colour == "#9ccc65"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))
    assert rec.errors == []
    assert rec.outside_file() == []
    assert rec.requests == [report_page.as_uri()]


def test_hovering_a_target_shows_its_evidence(open_page, report_page, report_graph) -> None:
    page, rec = open_page(report_page)
    _hover(page, GDP_2023)
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    attrs = report_graph.nodes[GDP_2023]
    assert attrs["quote"].splitlines()[0] in text      # GDP 增长 7.5%左右
    assert "GDP 增长 7.5%左右" in text
    assert "7.5 %" in text and "2023" in text
    assert attrs["label_zh"] in text and "目标 · Target" in text
    assert "在容差内达成" in text
    assert page.evaluate("document.getElementById('tooltip').dataset.node") == GDP_2023
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden", timeout=5_000)
    assert rec.errors == []


def test_search_finds_megmeet(open_page, report_page) -> None:
    page, rec = open_page(report_page)
    page.fill("#search", "麦格米特")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=5_000)
    labels = results.locator(".label").all_inner_texts()
    assert labels[:2] == ["麦格米特", "麦格米特二期"]  # the exact match first
    assert "找到 2 个" in page.locator("#search-count").inner_text()
    page.press("#search", "Enter")
    assert page.evaluate("tckg.network.getSelectedNodes()") == [MEGMEET]
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert "麦格米特" in tip.inner_text() and "企业 · Enterprise" in tip.inner_text()
    # English labels are searched too
    assert page.evaluate("tckg.search('megmeet phase')") == [
        "https://w3id.org/tckg/project/megmeet-phase-2"]
    page.screenshot(path=str(ARTIFACTS / "graph-search.png"))
    assert rec.errors == [] and rec.outside_file() == []


def test_type_filters_hide_and_show(open_page, report_page, report_graph) -> None:
    page, rec = open_page(report_page)
    targets = [n for n, t in report_graph.nodes(data="type") if t == "target"]
    touching = sum(1 for s, o in report_graph.edges() if s in targets or o in targets)
    page.locator('#legend input[data-type="target"]').uncheck()
    shown = page.evaluate("[tckg.network.body.data.nodes.length,"
                          " tckg.network.body.data.edges.length]")
    assert shown == [report_graph.number_of_nodes() - len(targets),
                     report_graph.number_of_edges() - touching]
    assert f"{shown[0]}/{report_graph.number_of_nodes()}" in page.locator("#counts").inner_text()
    page.locator('#legend input[data-type="target"]').check()
    assert page.evaluate("tckg.network.body.data.nodes.length") == report_graph.number_of_nodes()
    assert rec.errors == []


def test_hierarchical_layout_shows_the_task_tree(open_page, report_page) -> None:
    page, rec = open_page(report_page)
    page.select_option("#layout", "hierarchical")
    xs = page.evaluate("""ids => { const p = tckg.network.getPositions(ids);
                                   return ids.map(id => p[id].x); }""",
                       [REPORT + "task/t2023", REPORT + "task/t2023-3", REPORT + "task/t2023-3-1",
                        "https://w3id.org/tckg/project/megmeet-phase-2"])
    assert xs == sorted(xs) and len(set(xs)) == 4  # section → area → measure → its project
    page.evaluate("id => tckg.network.focus(id, {scale: 1.0, animation: false})",
                  REPORT + "task/t2023-3-1")
    page.screenshot(path=str(ARTIFACTS / "graph-hierarchical.png"))
    assert rec.errors == []


def _synthetic(areas: int) -> nx.MultiDiGraph:
    """A report-shaped graph: areas → 8 measures → 4 targets each, indicators, one place."""
    G = nx.MultiDiGraph()

    def node(iri: str, kind: str, label: str) -> None:
        G.add_node(iri, type=kind, label_zh=label, label_en=label, value="", unit="",
                   unit_en="", year="2023", quote=f"{label} 的原文", status="",
                   detail_zh="", detail_en="")

    node("p", "place", "天元区")
    for a in range(areas):
        node(f"a{a}", "task-area", f"任务领域 {a}")
        for m in range(8):
            node(f"m{a}.{m}", "measure", f"措施 {a}.{m}")
            G.add_edge(f"m{a}.{m}", f"a{a}", key="partOf", link="stated")
            for t in range(4):
                target, ind = f"t{a}.{m}.{t}", f"i{a}.{m}.{t}"
                node(target, "target", f"目标 {a}.{m}.{t}")
                node(ind, "indicator", f"指标 {a}.{m}.{t}")
                G.add_edge(f"m{a}.{m}", target, key="statesTarget", link="stated")
                G.add_edge(target, ind, key="indicator", link="stated")
                G.add_edge(target, "p", key="refArea", link="stated")
    return G


def test_a_large_graph_draws_at_once(open_page, tmp_path: Path) -> None:
    G = _synthetic(45)  # 3,286 nodes, 4,680 edges
    start = time.perf_counter()
    path = write_graph_html(G, tmp_path / "large.html")
    written = time.perf_counter() - start
    start = time.perf_counter()
    page, rec = open_page(path)
    drawn = time.perf_counter() - start
    print(f"{G.number_of_nodes()} nodes: page written in {written:.1f} s, drawn in {drawn:.1f} s")
    assert page.evaluate("[tckg.network.body.data.nodes.length,"
                         " tckg.network.body.data.edges.length]") == [
        G.number_of_nodes(), G.number_of_edges()]
    # positions come from Python; the browser runs no physics, so it never has to settle
    assert page.evaluate("tckg.network.physics.physicsEnabled") is False
    pos = page.evaluate("tckg.network.getPositions(['a0', 'm0.0'])")
    assert pos["a0"] != pos["m0.0"]
    # generous: physics needed 26 s for 633 nodes and never settled 6,300
    assert drawn < 20 and rec.errors == []


HOSTILE_TTL = """
@prefix tck: <https://w3id.org/tckg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/hostile/> .

ex:m1 a tck:Measure ; rdfs:label "<img src=x onerror=alert(1)>"@zh,
        "<b onmouseover=alert(2)>bold</b>"@en ;
    tck:year "2023"^^xsd:gYear ; tck:statesTarget ex:t1 ; tck:responsibleBody ex:body ;
    tck:evidence ex:ev1 .
ex:ev1 oa:hasSelector ex:quote1, ex:pos1 . ex:quote1 oa:exact "</script><script>alert(3)</script>" .
ex:pos1 oa:start 0 .
ex:t1 a tck:Target ; tck:indicator ex:ind ; tck:year "2023"^^xsd:gYear ;
    tck:value 1.5 ; tck:unit ex:unit ; tck:evidence ex:ev2 .
ex:ev2 oa:hasSelector ex:quote2, ex:pos2 . ex:quote2 oa:exact "\\"><svg onload=alert(4)>" .
ex:pos2 oa:start 9 .
ex:ind a tck:Indicator ; skos:prefLabel "<iframe src=javascript:alert(5)>"@zh, "x & y"@en .
ex:unit tck:symbol "<u>%</u>" .
ex:body a tck:ResponsibleBody ; rdfs:label "<script>alert(6)</script>"@zh,
    "&lt;escaped&gt; ]]> <!--"@en .
"""


def test_markup_in_the_data_is_shown_as_text(open_page, tmp_path: Path) -> None:
    source = tmp_path / "hostile.ttl"
    source.write_text(HOSTILE_TTL, encoding="utf-8")
    G = build_full_graph(load_dataset([source]))
    measure = "https://example.org/hostile/m1"
    assert G.nodes[measure]["label_zh"] == HOSTILE and G.number_of_nodes() == 4
    page_path = write_graph_html(G, tmp_path / "hostile.html",
                                 title="<script>alert('title')</script>")
    page, rec = open_page(page_path)
    assert page.evaluate("tckg.network.body.data.nodes.length") == 4
    assert page.title() == "<script>alert('title')</script>"

    _hover(page, measure)
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.locator(".t-label").inner_text() == HOSTILE
    assert "</script><script>alert(3)</script>" in tip.inner_text()
    page.evaluate("id => tckg.showNodeTooltip(id)", "https://example.org/hostile/t1")
    assert '"><svg onload=alert(4)>' in tip.inner_text()
    assert "<iframe src=javascript:alert(5)>" in tip.inner_text()

    page.fill("#search", "<script>")
    page.locator("#search-results li").first.wait_for(timeout=5_000)
    assert page.locator("#search-results li .label").all_inner_texts() == [
        "<script>alert(6)</script>"]
    page.fill("#search", "<img")
    _wait(page, "(document.querySelector('#search-results li .label') || {textContent: ''})"
                ".textContent.startsWith('<img')", timeout=5)
    page.wait_for_timeout(300)  # an injected <img onerror> would fire by now

    injected = page.evaluate("""() => ({
        img: document.querySelectorAll('img, svg[onload], iframe').length,
        handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,
        scripts: document.scripts.length,
        bold: document.querySelectorAll('b').length })""")
    assert injected == {"img": 0, "handlers": 0, "scripts": 3, "bold": 0}
    assert rec.dialogs == []
    assert rec.errors == [] and rec.outside_file() == []
