"""The graph of a corpus one report at a time, so that memory follows one report.

A report's graph is built from its own named graph plus the graphs that are no report's (the
ontology: indicators, units, comparators and their labels), each read with the
``network-graph-*`` named queries (the graph bound as a parameter: an index lookup in the
store), then cut to the report's own nodes, their neighbours and one step further
(:func:`report_part`), as :func:`report_parts` cuts a whole graph. Differences from cutting the
whole graph, by design:

- labels are told apart within the report (the plan level added to targets and achievements
  sharing a label), not across the corpus, where every district's "2023 GDP growth 7%" would
  carry it;
- a resource shared between reports (a province, a city's body) shows what this report and
  the ontology say of it: a label or quote that only another report states is not there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from tckg.namespaces import BASE, GRAPH
from tckg.network.building import GraphRows, _select, assemble_graph, by_iri, graph_rows
from tckg.store.load import TckDataset

if TYPE_CHECKING:
    import networkx as nx

REPORT_PREFIX = BASE + "report/"


def report_of(node: str) -> str | None:
    """The report slug of a node minted inside a report (``…/report/<slug>/…``), else None."""
    if not node.startswith(REPORT_PREFIX):
        return None
    return node[len(REPORT_PREFIX):].split("/", 1)[0] or None


def count_nodes(dataset: TckDataset) -> int:
    """The number of nodes :func:`tckg.network.build_full_graph` would give, from one counting
    query (``network-node-count``), without building the graph."""
    rows = _select(dataset, "network-node-count")
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _part_nodes(G: nx.MultiDiGraph, own: set[str]) -> set[str]:
    nodes = set(own)
    for n in own:
        nodes.update(G.predecessors(n))
        nodes.update(G.successors(n))
    for n in list(nodes - own):
        nodes.update(G.successors(n))
    return nodes


def report_part(G: nx.MultiDiGraph, own: set[str]) -> nx.MultiDiGraph:
    """A report's own nodes, their neighbours, and what those shared neighbours point to (a
    body's jurisdiction, a place's province, a project's enterprise: one step only)."""
    return G.subgraph(_part_nodes(G, own)).copy()


def report_title(part: nx.MultiDiGraph, slug: str) -> str:
    """The report's title as its shortest section title naming a plan or report, else its slug."""
    sections = [a for _, a in part.nodes(data=True) if a.get("type") == "section"]
    for a in sorted(sections, key=lambda a: len(a.get("label_zh") or "")):
        label = a.get("label_zh") or ""
        if "计划" in label or "报告" in label:
            return label
    return slug


def _own_nodes(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    own: dict[str, set[str]] = defaultdict(set)
    for node in G.nodes:
        slug = report_of(node)
        if slug:
            own[slug].add(node)
    return own


def report_parts(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, nx.MultiDiGraph]]:
    """(report IRI, title, graph) per report of a whole graph: the report's own nodes and their
    neighbours (:func:`report_part`)."""
    own = _own_nodes(G)
    for slug in sorted(own):
        part = report_part(G, own[slug])
        yield REPORT_PREFIX + slug, report_title(part, slug), part


def _looked_up(by_subject: Mapping[Any, list[Any]], always: set[Any], rows: GraphRows) -> GraphRows:
    """The shared properties the graph of ``rows`` can look up: those of its nodes, of the
    values its nodes point to (indicator, unit, comparator, plan level …), of its milestones'
    stages and its relations, and of the shared graphs' own nodes and relations."""
    subjects = set(always)
    subjects.update(r[0] for r in rows.nodes)
    subjects.update(r[2] for r in rows.properties)
    subjects.update(r[2] for r in rows.milestones)
    subjects.update(r[1] for r in rows.edges)
    return GraphRows(properties=[row for s in subjects for row in by_subject.get(s, ())])


def report_graphs(dataset: TckDataset, *, statuses: Mapping[Any, Any] | None = None
                  ) -> Iterator[tuple[str, str, nx.MultiDiGraph]]:
    """(report IRI, title, graph) per report, each built from its own named graph and the
    graphs no report owns (see the module's notes); one report's graph in memory at a time.
    ``statuses`` maps target IRIs to verdicts (``met`` …) as for :func:`build_full_graph`."""
    # by a query, not TckDataset.report_graphs(), which copies each graph out of an
    # in-memory Oxigraph store to look for its report
    reports = sorted({r.graph for r in _select(dataset, "network-report-graphs")}, key=str)
    is_report = set(reports)
    shared = GraphRows()
    for name in dataset.store.graph_names():
        if name not in is_report:
            shared = shared + graph_rows(dataset, name)
    # the shared graphs' properties are looked up by subject: a graph of every report's
    # verdicts (tckg build adds one, labels of N × 100 assessments) must not join every report
    by_subject: dict[Any, list[Any]] = defaultdict(list)
    for row in shared.properties:
        by_subject[row[0]].append(row)
    shared.properties = []
    always = {r[0] for r in shared.nodes} | {r[1] for r in shared.edges}
    wanted = by_iri(statuses)
    for name in reports:
        own_rows = graph_rows(dataset, name)
        G = assemble_graph(shared + own_rows + _looked_up(by_subject, always, own_rows),
                           statuses=wanted)
        own = _own_nodes(G)
        # the graph of report <slug> is graph/<slug>; nodes of other reports it mentions (a
        # target an achievement refers to) belong to their own report's part
        mine = str(name)[len(str(GRAPH)):] if str(name).startswith(str(GRAPH)) else None
        slugs = [mine] if mine in own else sorted(own)
        for slug in slugs:
            if len(slugs) == 1:  # the graph is this report's alone: cut in place, no copy
                keep = _part_nodes(G, own[slug])
                G.remove_nodes_from([n for n in G if n not in keep])
                part = G
            else:
                part = report_part(G, own[slug])
            yield REPORT_PREFIX + slug, report_title(part, slug), part
