"""The site's pages at a desktop (1400 px) and a phone (390 px) width, in Debian's Chromium:
the scorecard's zero axis is drawn and labelled, negative results lie left of it, no two
labels of a chart overlap and the page never scrolls sideways; the graph opens on the
accountability tree with labels legible at the fitted zoom, the legend never covers the
graph, its swatches match the targets as drawn, and a scorecard row's link opens the target's
panel (result, gap, reason, tasks, lead body, quotes). The graph's first view at 1400×900 and
390×844: every label on screen drawn at 11 CSS px or more and none over another (a phone reads
the tree top-down, "Go to" reaches every task area), and tapping a target opens its panel.
Screenshots go to pytest's tmp_path.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tckg.html.graph_page import write_site_graph
from tckg.html.scorecard_page import graph_link, status_by_target, write_scorecard_html
from tckg.network import accountability_nodes, build_graph
from tckg.store.load import load_dataset
from tckg.track import assess

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
REPORT = "https://w3id.org/tckg/report/tianyuan-2023-plan/"
FAI_2022 = REPORT + "target/2022/district/fixed-asset-investment-growth"
GDP_2022 = REPORT + "target/2022/district/gdp-growth"
WIDTHS = (1400, 390)


def _wait(page: Any, expression: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout  # no wait_for_function: the CSP forbids its eval
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """scorecard.html and graph.html as tckg build writes them (without validating again)."""
    out = tmp_path_factory.mktemp("site")
    dataset = load_dataset()
    card = assess(dataset)
    write_scorecard_html(card, out / "scorecard.html")
    write_site_graph(dataset, out, statuses=status_by_target(card))
    return out


@pytest.fixture(scope="module")
def tree_size() -> int:
    G = build_graph(load_dataset())
    return len([n for n in accountability_nodes(G) if str(G.nodes[n].get("year")) == "2023"])


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):  # noqa: ANN001
    contexts = []

    def _open(url: str, width: int, graph: bool = False,
              height: int = 900) -> tuple[Any, list[str]]:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="zh-CN")
        contexts.append(context)
        errors: list[str] = []
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        if graph:
            _wait(page, "window.tckg !== undefined && window.tckg.ready === true")
        return page, errors

    yield _open
    for context in contexts:
        context.close()


def _overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"]
            and a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"])


@pytest.mark.parametrize("width", WIDTHS)
def test_scorecard_zero_axis_and_no_overlap(open_page, site, tmp_path, width) -> None:  # noqa: ANN001
    page, errors = open_page((site / "scorecard.html").as_uri(), width)
    page.screenshot(path=str(tmp_path / f"scorecard-{width}.png"), full_page=False)
    page.locator("#y2022").screenshot(path=str(tmp_path / f"scorecard-2022-{width}.png"))
    assert errors == []
    # the page never scrolls sideways (a wide table scrolls inside its own box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    charts = page.locator("#y2022 svg.unit-chart")
    assert charts.count() >= 2
    for i in range(charts.count()):
        chart = charts.nth(i)
        zero = chart.locator("line.zero-axis").bounding_box()
        label = chart.locator("text.zero-label").bounding_box()
        box = chart.bounding_box()
        assert zero and label and zero["height"] > 20, "a visible zero line, labelled"
        assert box["x"] <= zero["x"] <= box["x"] + box["width"]
        assert abs(label["x"] + label["width"] / 2 - zero["x"]) < label["width"]
        # the glyphs' boxes (getBBox: without the white halo drawn around the letters)
        boxes = chart.evaluate("""svg => [...svg.querySelectorAll('text')].map(t => {
            const b = t.getBBox();
            return {x: b.x, y: b.y, width: b.width, height: b.height, text: t.textContent}; })""")
        for a in range(len(boxes)):
            assert boxes[a]["x"] >= -0.5, f"cut off on the left: {boxes[a]['text']}"
            assert boxes[a]["x"] + boxes[a]["width"] <= box["width"] + 0.5, \
                f"cut off on the right: {boxes[a]['text']}"
            for b in range(a + 1, len(boxes)):
                assert not _overlap(boxes[a], boxes[b]), (boxes[a]["text"], boxes[b]["text"])
    percent = charts.first
    zero_x = percent.locator("line.zero-axis").bounding_box()["x"]
    fai = percent.locator("rect.result-bar").nth(2).bounding_box()  # -28 %
    assert fai["x"] < zero_x - 0.2 * (zero_x - percent.bounding_box()["x"])
    assert abs(fai["x"] + fai["width"] - zero_x) < 2
    target = percent.locator("rect.target-bar").nth(2).bounding_box()  # 9 %
    assert target["x"] >= zero_x - 2


@pytest.mark.parametrize("width", WIDTHS)
def test_graph_opens_on_the_accountability_tree(open_page, site, tmp_path, width,  # noqa: ANN001
                                                tree_size) -> None:
    page, errors = open_page((site / "graph.html").as_uri(), width, graph=True)
    page.screenshot(path=str(tmp_path / f"graph-{width}.png"))
    assert errors == []
    shown = page.evaluate("tckg.nodeView.length")
    assert shown == tree_size  # the tree of the plan year; other nodes come on demand
    types = set(page.evaluate("tckg.nodeView.get().map(n => n.d.type)"))
    assert types == {"task-area", "measure", "target"}
    legend = page.locator("#legend").bounding_box()
    graph = page.locator("#graph").bounding_box()
    assert not _overlap(legend, graph), "the legend never covers the graph"
    if width >= 1000:
        # labels legible when fitted: the tree's 16 px labels are drawn at 10 px or more
        assert page.evaluate("tckg.network.getScale()") * 16 >= 10
    # the target swatch matches the targets as drawn: each status row's colour is the
    # colour of the targets with that status
    drawn = page.evaluate("""() => { const out = {};
        tckg.nodes.get().filter(n => n.d.status).forEach(n => out[n.d.status] = n.color.background);
        return out; }""")
    swatches = page.evaluate("""() => { const out = {};
        document.querySelectorAll('#legend svg[data-status]').forEach(s =>
            out[s.dataset.status] = s.firstChild.getAttribute('fill'));
        return out; }""")
    assert swatches == drawn
    target_swatch = page.locator('#legend svg[data-type="target"] :first-child')
    assert target_swatch.get_attribute("fill") == "#ffffff"  # "colour = status", no orange
    # other node types on demand
    page.locator("#tree-only").uncheck()
    assert page.evaluate("tckg.nodeView.length") > shown


@pytest.mark.parametrize("width", WIDTHS)
def test_scorecard_link_opens_the_targets_panel(open_page, site, tmp_path, width) -> None:  # noqa: ANN001
    href = graph_link(FAI_2022)
    page, errors = open_page((site / href).as_uri() if "#" not in href else
                             (site / "graph.html").as_uri() + href[len("graph.html"):],
                             width, graph=True)
    _wait(page, "document.getElementById('panel').classList.contains('open')")
    page.screenshot(path=str(tmp_path / f"graph-panel-{width}.png"))
    assert errors == []
    panel = page.locator("#panel").inner_text()
    for words in ("固定资产投资增速", "-28%", "-37", "未达成", "创新机制推项目", "招商办", "9%"):
        assert words in panel, words
    assert page.evaluate("tckg.view.year") == "2022"  # the tree, at the target's year
    assert page.evaluate("tckg.shown(arguments[0])" if False else f"tckg.shown('{FAI_2022}')")
    page.evaluate(f"tckg.showPanel('{GDP_2022}')")
    assert "not stated" in page.locator("#panel").inner_text()


# Every node label of the first view that is on screen, as drawn: its box in CSS px inside
# the graph's element and its font size on screen. vis-network has no public call for a
# label's box; labelModule.size is what it draws with (its left/top are refreshed each time
# the label is drawn, which is why only nodes inside the view, drawn by the redraw, count).
LABELS_ON_SCREEN = """() => {
    const net = tckg.network, scale = net.getScale();
    net.redraw();
    const w = net.canvas.frame.clientWidth, h = net.canvas.frame.clientHeight;
    const inView = (l, t, r, b) => r > 0 && b > 0 && l < w && t < h;
    const out = [];
    tckg.nodeView.getIds().forEach(id => {
        const node = net.body.nodes[id], data = tckg.nodes.get(id);
        if (!node || !data.label) return;
        // the shape alone decides whether the node is in view (a label box is stale if not)
        const c = net.canvasToDOM(net.getPositions([id])[id]);
        const bb = net.getBoundingBox(id), half = node.options.size * scale;
        const shape = data.shape === 'box'
            ? [net.canvasToDOM({x: bb.left, y: bb.top}), net.canvasToDOM({x: bb.right, y: bb.bottom})]
            : [{x: c.x - half, y: c.y - half}, {x: c.x + half, y: c.y + half}];
        if (!inView(shape[0].x, shape[0].y, shape[1].x, shape[1].y)) return;
        const s = node.labelModule.size;
        const tl = net.canvasToDOM({x: s.left, y: s.top});
        const br = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
        out.push({id, type: data.d.type, text: data.label, px: node.labelModule.fontOptions.size * scale,
                  x: tl.x, y: tl.y, width: br.x - tl.x, height: br.y - tl.y});
    });
    return out;
}"""


# 1366×768 too: there the web fonts reflow the header after the first view, and vis-network
# rescales the view with the graph's box (it took the labels to 10.8 px before the page redid
# its first view on a resize)
@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844), (1366, 768)])
def test_graph_first_view_labels_legible(open_page, site, tmp_path, width, height) -> None:  # noqa: ANN001
    """The first view at a desktop and a phone size: every label on screen is drawn at 11 CSS
    px or more, and no two overlap; at a phone width the tree reads top-down, the legend
    stays out of the way, and tapping a target opens its panel."""
    page, errors = open_page((site / "graph.html").as_uri(), width, graph=True, height=height)
    page.screenshot(path=str(tmp_path / f"graph-first-view-{width}.png"))
    labels = page.evaluate(LABELS_ON_SCREEN)
    sizes = sorted(round(lab["px"], 1) for lab in labels)
    print(f"{width}x{height}: {len(labels)} labels on screen, {sizes[0]}-{sizes[-1]} px")
    assert errors == []
    # enough of the tree to read: task areas, measures and targets, each labelled
    assert len(labels) >= (10 if width < 600 else 40)
    assert {lab["type"] for lab in labels} >= {"task-area", "measure", "target"}
    small = [(lab["text"], round(lab["px"], 1)) for lab in labels if lab["px"] < 11 - 0.05]
    assert small == [], "labels too small to read without zooming"
    clashes = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
               if _overlap(a, b, slack=2.0)]
    assert clashes == [], "labels drawn over each other"
    legend = page.locator("#legend").bounding_box()
    graph = page.locator("#graph").bounding_box()
    assert not _overlap(legend, graph), "the legend never covers the graph"
    if width < 600:
        assert page.evaluate("tckg.layout()") == "outline"
        # the view starts at the first task area, its title whole on screen
        areas = page.evaluate("[...document.querySelectorAll('#goto option')].map(o => o.value)")
        assert len(areas) == 1 + 6 and areas[0] == ""  # "task area…", then the plan's six
        assert any(lab["id"] == areas[1] and lab["x"] >= 0 and lab["x"] + lab["width"] <= width
                   for lab in labels)
        # the rest is reachable: "Go to" puts another area at the top, still legible
        page.select_option("#goto", areas[4])
        moved = page.evaluate(LABELS_ON_SCREEN)
        assert any(lab["id"] == areas[4] and 0 <= lab["y"] < 80 for lab in moved)
        assert min(lab["px"] for lab in moved) >= 11 - 0.05
        page.screenshot(path=str(tmp_path / f"graph-goto-{width}.png"))
        page.evaluate("tckg.hidePanel()")
        page.evaluate("tckg.startView()")
        labels = page.evaluate(LABELS_ON_SCREEN)
    # tapping a target on screen (its shape: a diamond's label below it does not count as
    # the node for vis-network) opens its panel
    target = next(lab for lab in labels if lab["type"] == "target")
    x, y = page.evaluate("id => tckg.network.canvasToDOM(tckg.network.getPositions([id])[id])",
                         target["id"]).values()
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    _wait(page, "document.getElementById('panel').classList.contains('open')", timeout=5)
    assert page.evaluate("document.getElementById('panel').dataset.node") == target["id"]
    assert "状态 status" in page.locator("#panel").inner_text()
    page.screenshot(path=str(tmp_path / f"graph-first-view-panel-{width}.png"))
