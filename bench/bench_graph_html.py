"""Time the graph page at growing sizes: RDF -> networkx, layouts, HTML, and (optionally) the
first drawing in Chromium.

The synthetic report is the shape of the real one scaled up: sections, task areas, measures,
targets stated or served, achievements, indicators, bodies, projects, enterprises, places.
Prints figures only; no assertions.

    PYTHONPATH=src python bench/bench_graph_html.py            # ~600 and ~6,000 nodes
    PYTHONPATH=src python bench/bench_graph_html.py 600 6000 20000 --browser
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from tckg.namespaces import OA, TCK
from tckg.store.backends import RdflibStore
from tckg.store.load import TckDataset


def synthetic_dataset(nodes: int) -> TckDataset:
    """A dataset whose graph view has about ``nodes`` nodes (measured, not promised)."""
    g = Graph()
    base = "https://example.org/bench/"
    unit = URIRef(base + "unit/percent")
    g.add((unit, TCK.symbol, Literal("%")))
    g.add((unit, RDFS.label, Literal("percent", lang="en")))
    scale = max(1, nodes // 60)  # ~60 nodes per task area
    places = [URIRef(f"{base}place/{i}") for i in range(max(3, scale // 4))]
    bodies = [URIRef(f"{base}body/{i}") for i in range(max(4, scale // 2))]
    for kind, items in ((TCK.Place, places), (TCK.ResponsibleBody, bodies)):
        for i, iri in enumerate(items):
            g.add((iri, RDF.type, kind))
            g.add((iri, RDFS.label, Literal(f"{'地区' if kind == TCK.Place else '机构'}{i}", lang="zh")))
            g.add((iri, RDFS.label, Literal(f"{kind.split('#')[-1]} {i}", lang="en")))

    def labelled(iri: URIRef, cls: URIRef, zh: str, en: str, year: str | None = None) -> None:
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(zh, lang="zh")))
        g.add((iri, RDFS.label, Literal(en, lang="en")))
        if year:
            g.add((iri, TCK.year, Literal(year, datatype=XSD.gYear)))

    def evidence(iri: URIRef, text: str, n: int) -> None:
        # the quote and the offset on two selectors, as tckg.compile writes them
        ev = URIRef(f"{base}ev/{n}")
        quote, position = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
        g.add((iri, TCK.evidence, ev))
        g.add((ev, OA.hasSelector, quote))
        g.add((quote, OA.exact, Literal(text)))
        g.add((ev, OA.hasSelector, position))
        g.add((position, OA.start, Literal(n)))

    n = 0
    section = URIRef(base + "task/s")
    labelled(section, TCK.Section, "主要任务", "Main tasks", "2023")
    for a in range(scale):
        area = URIRef(f"{base}task/a{a}")
        labelled(area, TCK.TaskArea, f"任务领域 {a} 突出改革开放持续释放新动力",
                 f"Task area {a}", "2023")
        g.add((area, TCK.partOf, section))
        g.add((area, TCK.ordinal, Literal(a)))
        for m in range(6):
            measure = URIRef(f"{base}task/a{a}/m{m}")
            labelled(measure, TCK.Measure, f"措施 {a}.{m} 提升产业发展融合度",
                     f"Measure {a}.{m}", "2023")
            g.add((measure, TCK.partOf, area))
            g.add((measure, TCK.ordinal, Literal(m)))
            g.add((measure, TCK.responsibleBody, bodies[(a + m) % len(bodies)]))
            for t in range(3):
                n += 1
                ind = URIRef(f"{base}indicator/{a}-{m}-{t}")
                g.add((ind, RDF.type, TCK.Indicator))
                g.add((ind, SKOS.prefLabel, Literal(f"指标{a}-{m}-{t}增速", lang="zh")))
                g.add((ind, SKOS.prefLabel, Literal(f"Indicator {a}-{m}-{t} growth", lang="en")))
                target = URIRef(f"{base}target/{a}/{m}/{t}")
                g.add((target, RDF.type, TCK.Target))
                g.add((target, TCK.indicator, ind))
                g.add((target, TCK.year, Literal("2023", datatype=XSD.gYear)))
                g.add((target, TCK.value, Literal("7.5", datatype=XSD.decimal)))
                g.add((target, TCK.unit, unit))
                g.add((target, TCK.refArea, places[a % len(places)]))
                g.add((target, TCK.committedBy, bodies[a % len(bodies)]))
                evidence(target, f"指标{a}-{m}-{t}增长 7.5%左右", n)
                g.add((measure, TCK.statesTarget if t == 0 else TCK.contributesTo, target))
                if t == 0:
                    n += 1
                    ach = URIRef(f"{base}achievement/{a}/{m}")
                    g.add((ach, RDF.type, TCK.Achievement))
                    g.add((ach, TCK.indicator, ind))
                    g.add((ach, TCK.year, Literal("2022", datatype=XSD.gYear)))
                    g.add((ach, TCK.value, Literal("4", datatype=XSD.decimal)))
                    g.add((ach, TCK.unit, unit))
                    g.add((ach, TCK.refArea, places[a % len(places)]))
                    evidence(ach, f"指标{a}-{m}-{t}增长 4%", n)
                    g.add((measure, TCK.statesAchievement, ach))
            if m % 2 == 0:
                project = URIRef(f"{base}project/{a}-{m}")
                enterprise = URIRef(f"{base}enterprise/{a}-{m}")
                labelled(project, TCK.Project, f"项目{a}-{m}二期", f"Project {a}-{m} phase II")
                labelled(enterprise, TCK.Enterprise, f"企业{a}-{m}", f"Enterprise {a}-{m}")
                g.add((project, TCK.enterprise, enterprise))
                g.add((measure, TCK.mentions, project))
                g.add((measure, TCK.mentions, enterprise))
    store = RdflibStore()
    store.add_graph(URIRef(base + "graph"), g)
    return TckDataset(store)


def bench(nodes: int, out: Path, browser: bool) -> None:
    from tckg.html.graph_page import compute_positions, write_graph_html
    from tckg.network import build_graph

    dataset = synthetic_dataset(nodes)
    t0 = time.perf_counter()
    G = build_graph(dataset)
    t1 = time.perf_counter()
    compute_positions(G)
    t2 = time.perf_counter()
    path = write_graph_html(G, out / f"graph-{nodes}.html")
    t3 = time.perf_counter()
    line = (f"{G.number_of_nodes():>7,} nodes {G.number_of_edges():>7,} edges | "
            f"RDF->networkx {t1 - t0:6.2f} s | both layouts {t2 - t1:6.2f} s | "
            f"page (layouts + HTML) {t3 - t2:6.2f} s | {path.stat().st_size / 1e6:5.1f} MB")
    if browser:
        line += f" | Chromium load+draw {_browser_seconds(path):5.2f} s"
    print(line, flush=True)


def _browser_seconds(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium",
                               args=["--no-sandbox", "--disable-gpu",
                                     "--disable-background-networking"])
        page = b.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        # polled with evaluate: wait_for_function compiles with eval, which the page's CSP forbids
        while not page.evaluate("window.tckg !== undefined && window.tckg.ready === true"):
            page.wait_for_timeout(20)
        seconds = time.perf_counter() - start
        b.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[600, 6000])
    parser.add_argument("--browser", action="store_true",
                        help="also time loading the page in /usr/bin/chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            bench(size, Path(tmp), args.browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
