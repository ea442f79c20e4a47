"""The graph at corpus size: an overview page and one small view file per report, area and task
area, instead of one page holding every node.

Above :data:`OVERVIEW_NODES` nodes a single page cannot draw (at a thousand reports the whole
graph is ~400,000 nodes, a page of hundreds of MB). The overview page lists the reports, areas
(places), task areas and indicators with their counts of targets and achievements and their
targets' status totals; choosing a report, an area or a task area loads that view's file and
draws it (hierarchical layout, computed here, physics off) on the same page. Only the lists
and vis-network are in the page; the views are written beside it as
``<page>-views/v<N>.js``, each a ``tckgView(<key>, <data>)`` call (a script, not JSON fetched
with XHR, so the page also works opened from the disk, where browsers refuse ``fetch``).

The overview is built from per-report graphs (:func:`report_parts` splits a whole graph;
a caller with many reports can build one report's graph at a time), so memory follows one
report plus the per-area pieces, not the corpus.

Escaping as in :mod:`tckg.html.graph_page`: data goes into scripts as JSON with ``<``, ``>``,
``&`` escaped; the page's script puts text into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tckg.html.graph_page import STATUS_STYLE, TYPE_STYLE, GraphPageError, _script_json, to_pyvis
from tckg.io.write import atomic_write_bytes
from tckg.namespaces import BASE
from tckg.network import NODE_TYPES, TASK_TYPES, hierarchical_layout

if TYPE_CHECKING:
    import networkx as nx

OVERVIEW_NODES = 3000  # from this many nodes on, tckg writes the overview instead of one page
REPORT_PREFIX = BASE + "report/"
OBSERVATION_EDGES = ("statesTarget", "statesAchievement", "contributesTo")
DEFAULT_TITLE = "任务与目标总览 · Overview of tasks and targets"


def report_of(node: str) -> str | None:
    """The report slug of a node minted inside a report (``…/report/<slug>/…``), else None."""
    if not node.startswith(REPORT_PREFIX):
        return None
    return node[len(REPORT_PREFIX):].split("/", 1)[0] or None


def report_parts(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, nx.MultiDiGraph]]:
    """(report IRI, title, graph) per report: the report's own nodes and their neighbours."""
    own: dict[str, set[str]] = defaultdict(set)
    for node in G.nodes:
        slug = report_of(node)
        if slug:
            own[slug].add(node)
    for slug in sorted(own):
        nodes = set(own[slug])
        for n in own[slug]:
            nodes.update(G.predecessors(n))
            nodes.update(G.successors(n))
        # and what those shared nodes point to: a body's jurisdiction, a place's province, a
        # project's enterprise (one step only: the rest of the corpus stays out)
        for n in list(nodes - own[slug]):
            nodes.update(G.successors(n))
        part = G.subgraph(nodes).copy()
        yield REPORT_PREFIX + slug, _title_of(part, slug), part


def _title_of(part: nx.MultiDiGraph, slug: str) -> str:
    sections = [a for _, a in part.nodes(data=True) if a.get("type") == "section"]
    for a in sorted(sections, key=lambda a: len(a.get("label_zh") or "")):
        label = a.get("label_zh") or ""
        if "计划" in label or "报告" in label:
            return label
    return slug


@dataclass
class _Entry:
    """One row of the overview: a report, area, task area or indicator."""

    kind: str
    key: str
    label: str
    report: str = ""
    counts: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    view: int | None = None

    def row(self) -> list[Any]:
        return [self.label, self.report, self.counts.get("target", 0),
                self.counts.get("achievement", 0), dict(self.statuses), self.view, self.key]


def _status(attrs: dict[str, Any]) -> str:
    return str(attrs.get("status") or "no-status")


def _task_subtree(part: nx.MultiDiGraph, root: str) -> set[str]:
    tree, stack = {root}, [root]
    while stack:
        node = stack.pop()
        for child, _, key in part.in_edges(node, keys=True):
            if key == "partOf" and child not in tree and part.nodes[child]["type"] in TASK_TYPES:
                tree.add(child)
                stack.append(child)
    return tree


def _with_neighbours(part: nx.MultiDiGraph, nodes: set[str]) -> set[str]:
    out = set(nodes)
    for n in nodes:
        out.update(part.successors(n))
    # the indicators and places of the targets and achievements just added
    for n in list(out):
        if part.nodes[n]["type"] in ("target", "achievement"):
            out.update(part.successors(n))
    return out


class OverviewWriter:
    """Collects the overview from report graphs and writes the view files as it goes."""

    def __init__(self, page: Path | str, max_view_nodes: int = 4000) -> None:
        self.page = Path(page)
        self.views_dir = self.page.with_name(self.page.stem + "-views")
        self.views_dir.mkdir(parents=True, exist_ok=True)
        for old in self.views_dir.glob("v*.js"):  # views of an earlier run would be stale
            old.unlink()
        self.max_view_nodes = max_view_nodes
        self.entries: dict[tuple[str, str], _Entry] = {}
        self.area_pieces: dict[str, list[nx.MultiDiGraph]] = defaultdict(list)
        self.views = 0
        self.nodes = 0
        self.edges = 0
        self.view_bytes = 0

    def _entry(self, kind: str, key: str, label: str, report: str = "") -> _Entry:
        entry = self.entries.get((kind, key))
        if entry is None:
            entry = self.entries[(kind, key)] = _Entry(kind, key, label, report)
        return entry

    def _write_view(self, key: str, title: str, G: nx.MultiDiGraph) -> int:
        truncated = 0
        if G.number_of_nodes() > self.max_view_nodes:  # a shared area in a huge corpus
            keep = sorted(G.nodes, key=lambda n: (G.nodes[n]["type"] not in ("place", "task-area"), n))
            truncated = G.number_of_nodes() - self.max_view_nodes
            G = G.subgraph(keep[: self.max_view_nodes]).copy()
        positions = {"hierarchical": hierarchical_layout(G)}
        net = to_pyvis(G, layout="hierarchical", positions=positions)
        payload = {"title": title, "nodes": net.nodes, "edges": net.edges, "options": net.options,
                   "truncated": truncated}
        number = self.views
        self.views += 1
        text = f"tckgView({number},{_script_json(payload)});\n"
        data = text.encode("utf-8")
        self.view_bytes += len(data)
        atomic_write_bytes(self.views_dir / f"v{number}.js", data)
        return number

    def add_report(self, report: str, title: str, part: nx.MultiDiGraph) -> None:
        """One report's graph (as :func:`report_parts` yields it)."""
        slug = report_of(report + "/") or report
        self.nodes += part.number_of_nodes()
        self.edges += part.number_of_edges()
        rep = self._entry("report", report, title, slug)
        for node, attrs in part.nodes(data=True):
            kind = attrs["type"]
            if report_of(node) == slug:
                rep.counts[kind] += 1
                if kind == "target":
                    rep.statuses[_status(attrs)] += 1
        rep.view = self._write_view(report, title, part)

        # indicators and areas: every target and achievement of this report counts once
        for node, attrs in part.nodes(data=True):
            kind = attrs["type"]
            if kind not in ("target", "achievement") or report_of(node) != slug:
                continue
            for _, other, key in part.out_edges(node, keys=True):
                okind = part.nodes[other]["type"]
                if key == "indicator" and okind == "indicator":
                    entry = self._entry("indicator", other, part.nodes[other]["label_zh"])
                elif key == "refArea" and okind == "place":
                    entry = self._entry("area", other, part.nodes[other]["label_zh"])
                else:
                    continue
                entry.counts[kind] += 1
                if kind == "target":
                    entry.statuses[_status(attrs)] += 1

        # area pieces: the place, what refers to it, and the parts stating those
        by_place: dict[str, set[str]] = defaultdict(set)
        for s, o, key in part.edges(keys=True):
            if key == "refArea" and part.nodes[o]["type"] == "place" and report_of(s) == slug:
                by_place[o].update((o, s))
        for place, nodes in by_place.items():
            nodes = set(nodes)
            for obs in list(nodes):
                nodes.update(p for p, _, k in part.in_edges(obs, keys=True) if k in OBSERVATION_EDGES)
                nodes.update(o for _, o, k in part.out_edges(obs, keys=True) if k == "indicator")
            self.area_pieces[place].append(part.subgraph(nodes).copy())

        # task areas: the area's subtree, its observations and their indicators and places
        for node, attrs in part.nodes(data=True):
            if attrs["type"] != "task-area" or report_of(node) != slug:
                continue
            tree = _task_subtree(part, node)
            nodes = _with_neighbours(part, tree)
            entry = self._entry("task-area", node, attrs["label_zh"], title)
            for n in nodes:
                kind = part.nodes[n]["type"]
                if kind in ("target", "achievement"):
                    entry.counts[kind] += 1
                    if kind == "target":
                        entry.statuses[_status(part.nodes[n])] += 1
            entry.view = self._write_view(node, f"{attrs['label_zh']} · {title}",
                                          part.subgraph(nodes).copy())

    def finish(self, title: str | None = None) -> Path:
        """Write the area views and the overview page; return the page's path."""
        import networkx as nx

        for place, pieces in sorted(self.area_pieces.items()):
            G = nx.compose_all(pieces) if len(pieces) > 1 else pieces[0]
            entry = self.entries[("area", place)]
            entry.view = self._write_view(place, entry.label, G)
        self.area_pieces.clear()
        lists: dict[str, list[list[Any]]] = {"report": [], "area": [], "task-area": [], "indicator": []}
        for (kind, _), entry in sorted(self.entries.items()):
            lists[kind].append(entry.row())
        for rows in lists.values():  # most targets first
            rows.sort(key=lambda r: (-(r[2] + r[3]), r[0]))
        payload = {
            "views": self.page.with_name(self.page.stem + "-views").name,
            "lists": lists,
            "totals": {"reports": len(lists["report"]), "nodes": self.nodes, "edges": self.edges,
                       "views": self.views},
            "types": [{"key": k, "zh": zh, "en": en, "shape": TYPE_STYLE[k][0],
                       "color": TYPE_STYLE[k][1]} for k, (zh, en) in NODE_TYPES.items()],
            "statuses": [{"key": k, "zh": zh, "en": en, "color": c}
                         for k, (zh, en, c) in STATUS_STYLE.items()],
        }
        template = resources.files("tckg").joinpath("templates/overview.html").read_text(encoding="utf-8")
        vis_js = resources.files("tckg").joinpath("assets/vis-network.min.js").read_text(encoding="utf-8")
        if "</script" in vis_js.lower():
            raise GraphPageError("assets/vis-network.min.js contains '</script'; it cannot be inlined.")
        heading = html.escape(title or DEFAULT_TITLE)
        page = re.sub(r"@@([A-Z_]+)@@", lambda m: {
            "TITLE": heading, "DATA": _script_json(payload), "VIS_JS": vis_js}[m.group(1)], template)
        atomic_write_bytes(self.page, page.encode("utf-8"))
        return self.page


def write_overview(parts: Iterable[tuple[str, str, nx.MultiDiGraph]], page: Path | str, *,
                   title: str | None = None) -> Path:
    """Write the overview page and its views from (report IRI, title, graph) triples."""
    writer = OverviewWriter(page)
    for report, report_title, part in parts:
        writer.add_report(report, report_title, part)
    return writer.finish(title)


def write_graph_or_overview(G: nx.MultiDiGraph, page: Path | str, *, threshold: int = OVERVIEW_NODES,
                            title: str | None = None) -> Path:
    """The one-page graph (:func:`tckg.html.graph_page.write_graph_html`) up to ``threshold``
    nodes, the overview with per-view files above it."""
    if G.number_of_nodes() <= threshold:
        from tckg.html.graph_page import write_graph_html

        return write_graph_html(G, page, title=title)
    return write_overview(report_parts(G), page, title=title)


def write_site_views(dataset: Any, out_dir: Path | str,
                     statuses: dict[str, str] | None = None, *, threshold: int = OVERVIEW_NODES) -> Path:
    """``out_dir/graph.html`` for ``tckg build``: the one-page graph
    (:func:`tckg.html.graph_page.write_site_graph`) while the corpus has at most ``threshold``
    nodes, else the overview with its views in ``out_dir/graph-views/``."""
    from tckg.html.graph_page import write_site_graph
    from tckg.network import build_graph

    G = build_graph(dataset, statuses=statuses)
    if G.number_of_nodes() <= threshold:
        return write_site_graph(dataset, out_dir, statuses=statuses)
    return write_overview(report_parts(G), Path(out_dir) / "graph.html")
