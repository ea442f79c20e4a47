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

The overview is built from per-report graphs: :func:`write_corpus_overview` builds them one at
a time from the store (:func:`tckg.network.corpus.report_graphs`), so memory follows one report
plus the compact per-area pieces, not the corpus; :func:`report_parts` splits a whole graph.

Escaping as in :mod:`tckg.html.graph_page`: data goes into scripts as JSON with ``<``, ``>``,
``&`` escaped; the page's script puts text into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tckg.html.graph_page import (
    BOX_LABEL_WIDTH,
    FONT_SIZE,
    LARGE,
    STATUS_STYLE,
    TYPE_STYLE,
    UNKNOWN_STATUS_COLOUR,
    GraphPageError,
    _script_json,
    _short,
    to_pyvis,
)
from tckg.io.write import atomic_write_bytes
from tckg.network import NODE_TYPES, TASK_TYPES, hierarchical_layout
from tckg.network.corpus import REPORT_PREFIX, count_nodes, report_graphs, report_of, report_parts

if TYPE_CHECKING:
    import networkx as nx

OVERVIEW_NODES = 3000  # from this many nodes on, tckg writes the overview instead of one page
# a view holds at most this many nodes (places and task areas first): an area every report
# measures (a city, at a thousand reports) was cut at 4,000 and redrew in 140 ms in Chromium;
# a report's view (about 430 nodes) redraws in 6 ms, so 1,500 stays near the 50 ms goal
MAX_VIEW_NODES = 1500
__all__ = ["MAX_VIEW_NODES", "OVERVIEW_NODES", "REPORT_PREFIX", "OverviewWriter", "report_of", "report_parts",
           "write_corpus_overview", "write_graph_or_overview", "write_overview", "write_site_views"]
OBSERVATION_EDGES = ("statesTarget", "statesAchievement", "contributesTo")
DEFAULT_TITLE = "任务与目标总览 · Overview of tasks and targets"


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
                # statuses in name order: they are counted over sets of nodes, whose order
                # (and so the Counter's) moves with the hash seed; the page must not
                self.counts.get("achievement", 0), dict(sorted(self.statuses.items())), self.view,
                self.key]


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


QUOTE_CHARS = 300  # the page's tooltip shows this much of a quote; a view carries no more
# a view's node: [id, type index, x, y, label_zh, label_en ("": as zh), canvas label ("": as zh),
#                 value, unit, year, status, quote]; an edge: [from index, to index, inferred]
_SHOWN = ("value", "unit", "year", "status")


def _view_graph(part: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """``part`` on ``nodes``, nodes and edges added in sorted order: a view is the same file
    whichever order its report's graph was built in (whole, or one report at a time)."""
    import networkx as nx

    H = nx.MultiDiGraph()
    order = sorted(nodes)
    keep = set(order)
    H.add_nodes_from((n, part.nodes[n]) for n in order)
    H.add_edges_from(sorted((s, o, k, {"link": d.get("link", "stated")}) for s in order
                            for _, o, k, d in part.out_edges(s, keys=True, data=True) if o in keep))
    return H


def _compact_node(attrs: Mapping[str, Any]) -> list[Any]:
    """What a view needs of a node: its type and label for the layout, the tooltip's texts."""
    return [attrs["type"], str(attrs.get("label_zh") or ""), str(attrs.get("label_en") or ""),
            *(str(attrs.get(k) or "") for k in _SHOWN), str(attrs.get("quote") or "")[:QUOTE_CHARS],
            attrs.get("ordinal")]


class OverviewWriter:
    """Collects the overview from report graphs and writes the view files as it goes.

    What spans reports is kept compact: the list rows (counts and status totals per report,
    area, task area, indicator) in memory, each area's pieces (its targets and achievements,
    the parts stating them, their indicators) as lines of JSON in a temporary folder, drawn as
    one view per area at :meth:`finish`. So memory follows one report, not the corpus.
    """

    def __init__(self, page: Path | str, max_view_nodes: int = MAX_VIEW_NODES) -> None:
        import tempfile

        self.page = Path(page)
        self.views_dir = self.page.with_name(self.page.stem + "-views")
        self.views_dir.mkdir(parents=True, exist_ok=True)
        for old in self.views_dir.glob("v*.js"):  # views of an earlier run would be stale
            old.unlink()
        self.max_view_nodes = max_view_nodes
        self.entries: dict[tuple[str, str], _Entry] = {}
        self._pieces = tempfile.TemporaryDirectory(prefix="tckg-overview-")
        self._piece_files: dict[str, Path] = {}
        self.views = 0
        self.nodes = 0
        self.edges = 0
        self.view_bytes = 0
        self._types = {k: i for i, k in enumerate(NODE_TYPES)}

    def _entry(self, kind: str, key: str, label: str, report: str = "") -> _Entry:
        entry = self.entries.get((kind, key))
        if entry is None:
            entry = self.entries[(kind, key)] = _Entry(kind, key, label, report)
        return entry

    def _write_view(self, title: str, G: nx.MultiDiGraph) -> int:
        truncated = 0
        if G.number_of_nodes() > self.max_view_nodes:  # a shared area in a huge corpus
            keep = sorted(G.nodes, key=lambda n: (G.nodes[n]["type"] not in ("place", "task-area"), n))
            truncated = G.number_of_nodes() - self.max_view_nodes
            G = _view_graph(G, keep[: self.max_view_nodes])
        xy = hierarchical_layout(G)
        index = {n: i for i, n in enumerate(G)}
        nodes = []
        for n, a in G.nodes(data=True):
            kind = a["type"]
            zh = str(a.get("label_zh") or a.get("label_en") or n)
            en = str(a.get("label_en") or zh)
            short = _short(zh, BOX_LABEL_WIDTH if TYPE_STYLE.get(kind, ("",))[0] == "box" else 0)
            x, y = xy.get(n, (0.0, 0.0))
            nodes.append([n, self._types.get(kind, -1), x, y, zh, "" if en == zh else en,
                          "" if short == zh else short,
                          *(str(a.get(k) or "") for k in _SHOWN),
                          str(a.get("quote") or "")[:QUOTE_CHARS]])
        edges = [[index[s], index[o], int(d.get("link") == "inferred")]
                 for s, o, d in G.edges(data=True)]
        number = self.views
        self.views += 1
        view = {"title": title, "nodes": nodes, "edges": edges, "truncated": truncated}
        data = f"tckgView({number},{_script_json(view)});\n".encode()
        self.view_bytes += len(data)
        # a plain write: the folder was emptied for this run and the page, written last and
        # atomically, is what names the views (an fsync per view was a third of the time)
        (self.views_dir / f"v{number}.js").write_bytes(data)
        return number

    def _keep_piece(self, place: str, part: nx.MultiDiGraph, nodes: set[str]) -> None:
        import json

        path = self._piece_files.get(place)
        if path is None:
            path = self._piece_files[place] = Path(self._pieces.name) / f"{len(self._piece_files)}.jsonl"
        H = _view_graph(part, nodes)
        piece = {"nodes": [[n, *_compact_node(a)] for n, a in H.nodes(data=True)],
                 "edges": [[s, o, k, d["link"]] for s, o, k, d in H.edges(keys=True, data=True)]}
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(piece, ensure_ascii=False) + "\n")

    def _area_graph(self, place: str) -> nx.MultiDiGraph:
        import json

        import networkx as nx

        attrs: dict[str, dict[str, Any]] = {}
        edges: dict[tuple[str, str, str], str] = {}
        with self._piece_files[place].open(encoding="utf-8") as lines:
            for line in lines:
                piece = json.loads(line)
                for n, kind, zh, en, value, unit, year, status, quote, ordinal in piece["nodes"]:
                    a = {"type": kind, "label_zh": zh, "label_en": en, "value": value, "unit": unit,
                         "year": year, "status": status, "quote": quote}
                    if ordinal is not None:
                        a["ordinal"] = ordinal
                    attrs[n] = a  # a node in several pieces: the last one's, as nx.compose
                for s, o, k, link in piece["edges"]:
                    edges[(s, o, k)] = link
        G = nx.MultiDiGraph()
        G.add_nodes_from((n, attrs[n]) for n in sorted(attrs))
        G.add_edges_from((s, o, k, {"link": link}) for (s, o, k), link in sorted(edges.items()))
        return G

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
        rep.view = self._write_view(title, _view_graph(part, part.nodes))

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
        for place, nodes in sorted(by_place.items()):
            nodes = set(nodes)
            for obs in list(nodes):
                nodes.update(p for p, _, k in part.in_edges(obs, keys=True) if k in OBSERVATION_EDGES)
                nodes.update(o for _, o, k in part.out_edges(obs, keys=True) if k == "indicator")
            self._keep_piece(place, part, nodes)

        # task areas: the area's subtree, its observations and their indicators and places
        for node in sorted(part.nodes):
            attrs = part.nodes[node]
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
            entry.view = self._write_view(f"{attrs['label_zh']} · {title}", _view_graph(part, nodes))

    def finish(self, title: str | None = None) -> Path:
        """Write the area views and the overview page; return the page's path."""
        for place in sorted(self._piece_files):
            entry = self.entries[("area", place)]
            entry.view = self._write_view(entry.label, self._area_graph(place))
        self._pieces.cleanup()
        self._piece_files.clear()
        lists: dict[str, list[list[Any]]] = {"report": [], "area": [], "task-area": [], "indicator": []}
        for (kind, _), entry in sorted(self.entries.items()):
            lists[kind].append(entry.row())
        for rows in lists.values():  # most targets first
            rows.sort(key=lambda r: (-(r[2] + r[3]), r[0]))
        options = to_pyvis(_empty(), layout="hierarchical", positions={"hierarchical": {}}).options
        payload = {
            "views": self.page.with_name(self.page.stem + "-views").name,
            "lists": lists,
            "totals": {"reports": len(lists["report"]), "nodes": self.nodes, "edges": self.edges,
                       "views": self.views},
            "types": [{"key": k, "zh": zh, "en": en, "shape": TYPE_STYLE[k][0],
                       "color": TYPE_STYLE[k][1], "font": TYPE_STYLE[k][2],
                       "size": FONT_SIZE.get(k, 14)} for k, (zh, en) in NODE_TYPES.items()],
            "statuses": [{"key": k, "zh": zh, "en": en, "color": c}
                         for k, (zh, en, c) in STATUS_STYLE.items()],
            # the view's drawing options (graph_page.to_pyvis's); edges hide while dragging
            # from LARGE edges on, as on the one-page graph
            "options": options, "large": LARGE, "unknownStatus": UNKNOWN_STATUS_COLOUR,
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


def _empty() -> nx.MultiDiGraph:
    import networkx as nx

    return nx.MultiDiGraph()


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


def write_corpus_overview(dataset: Any, page: Path | str, *, statuses: Mapping[Any, Any] | None = None,
                          title: str | None = None) -> Path:
    """The overview of a stored corpus, built one report at a time
    (:func:`tckg.network.corpus.report_graphs`): memory follows one report, time the corpus."""
    return write_overview(report_graphs(dataset, statuses=statuses), page, title=title)


def write_site_views(dataset: Any, out_dir: Path | str,
                     statuses: dict[str, str] | None = None, *, threshold: int = OVERVIEW_NODES) -> Path:
    """``out_dir/graph.html`` for ``tckg build``: the one-page graph
    (:func:`tckg.html.graph_page.write_site_graph`) while the corpus has at most ``threshold``
    nodes, else the overview with its views in ``out_dir/graph-views/``, built report by report."""
    from tckg.html.graph_page import write_site_graph

    if count_nodes(dataset) <= threshold:
        return write_site_graph(dataset, out_dir, statuses=statuses)
    return write_corpus_overview(dataset, Path(out_dir) / "graph.html", statuses=statuses)
