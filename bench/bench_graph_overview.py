"""The graph at corpus size: the overview page and its per-view files at N reports, timed in
Chromium (Debian's /usr/bin/chromium through Playwright).

Run: PYTHONPATH=src python bench/bench_graph_overview.py [--copies 1 100 1000] [--no-browser]
     PYTHONPATH=src python bench/bench_graph_overview.py --page graph.html   (a page tckg wrote)

The corpus is N copies of the bundled report's graph (targets coloured by tckg.track's
verdicts), each a distinct district: its report slug and its place, body, project and campaign
IRIs renamed per copy, as bench/bench_queries.py renames the RDF. The copies are fed to
tckg.html.overview one report at a time. Printed per N: nodes, time to write the overview and
its views, page and view sizes; in Chromium: first draw of the overview (navigation to the
lists drawn), the list redraw when filtering, opening the largest report view (click to its
first canvas frame) and a redraw of that view (median of 20). Goals: first draw < 1 s,
redraw < 50 ms. No assertions: this is a measurement.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

SHARED = re.compile(r"^(https://w3id\.org/tckg/(?:place|org|project|campaign)/[A-Za-z0-9_-]+)$")
SLUG = "tianyuan-2023-plan"
REPORT = f"https://w3id.org/tckg/report/{SLUG}"


def base_graph():  # noqa: ANN201
    from tckg.html.scorecard_page import status_by_target
    from tckg.network import build_full_graph
    from tckg.store.load import load_dataset
    from tckg.track import assess

    dataset = load_dataset(store="oxigraph")
    return build_full_graph(dataset, statuses=status_by_target(assess(dataset)))


def copies(G, n: int):  # noqa: ANN001, ANN201
    """(report IRI, title, graph) for districts c0 … c(n-1)."""
    import networkx as nx

    from tckg.html.overview import report_parts

    (_, title, part), = list(report_parts(G))
    for i in range(n):
        def rename(node: str, i: int = i) -> str:
            if node.startswith(REPORT):
                return node.replace(REPORT, f"{REPORT}-c{i}", 1)
            m = SHARED.match(node)
            return f"{m.group(1)}-c{i}" if m else node

        copy = nx.relabel_nodes(part, rename, copy=True)
        for node in copy.nodes:
            if SHARED.match(node) and copy.nodes[node]["type"] == "place":
                attrs = copy.nodes[node]
                attrs["label_zh"] = f"{attrs['label_zh']}{i}"
        yield f"{REPORT}-c{i}", f"{title}（{i}）", copy


def browser_figures(page_path: Path, largest_view: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium",
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = b.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(page_path.as_uri())
        while not page.evaluate("window.tckgOverview !== undefined && window.tckgOverview.ready"):
            page.wait_for_timeout(5)
        # one frame after the lists are in the DOM: what the reader sees
        page.evaluate("new Promise(function (r) { requestAnimationFrame(function () { r(); }); })")
        figures["first draw s"] = time.perf_counter() - start
        lists = []
        for text in ("1", "12", "天元", "", "增长"):
            page.fill("#filter", text)
            page.wait_for_timeout(120)
            lists.append(page.evaluate("window.tckgOverview.lastList"))
        figures["list redraw ms (max)"] = max(lists)
        page.click("#tabs button:nth-child(3)")  # task areas
        page.wait_for_timeout(50)
        figures["task-area list ms"] = page.evaluate("window.tckgOverview.lastList")
        start = time.perf_counter()
        page.evaluate(f"window.tckgOverview.open({largest_view})")
        while page.evaluate(f"window.tckgOverview.opened !== {largest_view}"):
            page.wait_for_timeout(5)
        figures["open report view s"] = time.perf_counter() - start
        figures["view first frame ms (in page)"] = page.evaluate("window.tckgOverview.lastDraw")
        redraws = [page.evaluate("window.tckgOverview.redraw()") for _ in range(20)]
        figures["view redraw ms (median)"] = statistics.median(redraws)
        figures["view redraw ms (max)"] = max(redraws)
        b.close()
    return figures


def time_page(page: Path) -> int:
    """The browser figures of a page already written, opening its largest report view."""
    import json

    text = page.read_text(encoding="utf-8")
    tag = '<script id="tckg-data" type="application/json">'
    start = text.index(tag) + len(tag)
    data = json.loads(text[start: text.index("</script>", start)])
    views = page.with_name(data["views"])
    sizes = {int(p.stem[1:]): p.stat().st_size for p in views.glob("v*.js")}
    reports = [row[5] for row in data["lists"]["report"]]
    largest = max(reports, key=lambda v: sizes[v])
    print(f"{page}: {data['totals']['reports']:,} reports, {data['totals']['nodes']:,} nodes, "
          f"{data['totals']['edges']:,} edges | page {page.stat().st_size / 1e6:5.2f} MB | "
          f"{len(sizes):,} views, {sum(sizes.values()) / 1e6:7.1f} MB, largest "
          f"{max(sizes.values()) / 1e6:4.2f} MB; report view v{largest} ({sizes[largest] / 1e3:.0f} kB)",
          flush=True)
    for k, v in browser_figures(page, largest).items():
        print(f"         {k:<32}{v:9.3f}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--page", type=Path, default=None,
                        help="time this overview page (as tckg graph or tckg build wrote it) in "
                        "Chromium instead of writing synthetic ones")
    args = parser.parse_args(argv)
    if args.page is not None:
        return time_page(args.page)
    from tckg.html.overview import OverviewWriter

    G = base_graph()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.copies:
            page = Path(tmp) / f"n{n}" / "graph.html"
            page.parent.mkdir(parents=True)
            start = time.perf_counter()
            writer = OverviewWriter(page)
            for report, title, part in copies(G, n):
                writer.add_report(report, title, part)
            writer.finish()
            seconds = time.perf_counter() - start
            report_views = [e.view for (kind, _), e in writer.entries.items() if kind == "report"]
            sizes = {int(p.stem[1:]): p.stat().st_size for p in writer.views_dir.glob("v*.js")}
            largest = max(report_views, key=lambda v: sizes[v])
            line = (f"N={n:>5}: {writer.nodes:>9,} nodes {writer.edges:>9,} edges | write {seconds:6.1f} s | "
                    f"page {page.stat().st_size / 1e6:5.2f} MB | {writer.views:,} views, "
                    f"{writer.view_bytes / 1e6:7.1f} MB, largest {max(sizes.values()) / 1e6:4.2f} MB")
            print(line, flush=True)
            if not args.no_browser:
                for k, v in browser_figures(page, largest).items():
                    print(f"         {k:<32}{v:9.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
