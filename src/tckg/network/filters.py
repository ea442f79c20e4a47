"""Filtering the graph: by year, task area, a focus node's neighbourhood and node types."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tckg.network.model import NODE_TYPES, TASK_TYPES, TYPE_ALIASES, GraphFilterError

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx


def parse_types(types: Iterable[str] | str | None) -> frozenset[str] | None:
    """``"target,measure"`` or ``["task", "target"]`` -> the set of node types; aliases
    ``task`` (all report parts) and ``observation`` (targets and achievements)."""
    if types is None:
        return None
    items = types.split(",") if isinstance(types, str) else list(types)
    out: set[str] = set()
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item in NODE_TYPES:
            out.add(item)
        elif item in TYPE_ALIASES:
            out |= TYPE_ALIASES[item]
        elif item.endswith("s") and item[:-1] in NODE_TYPES:
            out.add(item[:-1])
        else:
            known = ", ".join([*NODE_TYPES, *sorted(TYPE_ALIASES)])
            raise GraphFilterError(f"unknown node type {item!r} (未知的节点类型); use one or more "
                                   f"of {known}, separated by commas.")
    return frozenset(out)


def find_node(G: nx.MultiDiGraph, key: str, *, types: Iterable[str] | None = None,
              option: str = "--focus") -> str:
    """The node named by an IRI, a label (zh or en, exact first, then a unique part of one),
    or the end of an IRI (``megmeet``, ``target/2023/district/gdp-growth``)."""
    wanted = frozenset(types) if types is not None else None
    pool = [n for n, t in G.nodes(data="type") if wanted is None or t in wanted]
    text = key.strip()
    if text in G and text in pool:
        return text
    folded = text.casefold()
    for test in (
        lambda n: folded in (G.nodes[n]["label_zh"].casefold(), G.nodes[n]["label_en"].casefold()),
        lambda n: n.endswith("/" + text) or n.endswith("#" + text),
        lambda n: folded in G.nodes[n]["label_zh"].casefold()
        or folded in G.nodes[n]["label_en"].casefold(),
    ):
        found = sorted(n for n in pool if test(n))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"{G.nodes[n]['label_zh']} <{n}>" for n in found[:8])
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            raise GraphFilterError(f"{option} {key!r} matches {len(found)} nodes (匹配多个节点): "
                                   f"{listed}{more}. Give the IRI or a longer label.")
    what = "task area" if option == "--task-area" else "node"
    raise GraphFilterError(f"{option} {key!r} matches no {what} in the graph (找不到节点). Give an "
                           "IRI or a label as the graph shows it, e.g. 麦格米特 or megmeet.")


def filter_graph(G: nx.MultiDiGraph, *, year: int | str | None = None,
                 types: Iterable[str] | str | None = None, task_area: str | None = None,
                 focus: str | None = None, depth: int = 1) -> nx.MultiDiGraph:
    """A filtered copy of ``G``; filters apply in the order year, task area, focus, types.

    - ``year``: nodes of that year, and the undated nodes (indicators, bodies, places …) that
      touch one of them or hang off such a node by an outgoing edge.
    - ``task_area``: the area, every report part below it, everything those parts link to,
      and what those link to in turn (a target's indicator, a project's enterprise), but no
      other report part.
    - ``focus`` and ``depth``: the nodes at most ``depth`` steps from the focus node, in
      either direction.
    - ``types``: only nodes of these types (see :func:`parse_types`).
    """
    wanted = parse_types(types)
    if depth < 0:
        raise GraphFilterError(f"--depth must be 0 or more, not {depth}.")
    keep = set(G)
    if year is not None:
        keep = _year_nodes(G, str(year).strip())
    if task_area is not None:
        area = find_node(G, task_area, types=TASK_TYPES, option="--task-area")
        if area not in keep:
            raise GraphFilterError(f"--task-area {task_area!r} is not in year {year} "
                                   "(该任务不在所选年度).")
        keep &= _area_nodes(G, area)
    if focus is not None:
        centre = find_node(G, focus)
        if centre not in keep:
            raise GraphFilterError(f"--focus {focus!r} is filtered out by the other filters "
                                   "(焦点节点已被其他条件过滤); drop --year or --task-area.")
        keep = _neighbourhood(G.subgraph(keep), centre, depth)
    if wanted is not None:
        keep = {n for n in keep if G.nodes[n]["type"] in wanted}
    # in G's order, not the order of the set ``keep`` (a subgraph view iterates that set, whose
    # order changes with the hash seed): the same data gives the same page byte for byte
    out = G.__class__()
    out.graph.update(G.graph)
    out.add_nodes_from((n, dict(a)) for n, a in G.nodes(data=True) if n in keep)
    out.add_edges_from((u, v, k, dict(a)) for u, v, k, a in G.edges(keys=True, data=True)
                       if u in keep and v in keep)
    return out


def _year_nodes(G: nx.MultiDiGraph, year: str) -> set[str]:
    dated = {n for n, y in G.nodes(data="year") if y and year in y.split()}
    undated = {n for n, y in G.nodes(data="year") if not y}
    keep = set(dated)
    for n in undated:
        if any(m in dated for m in (*G.successors(n), *G.predecessors(n))):
            keep.add(n)
    for n in list(keep & undated):  # a kept body's place, a kept indicator's level indicator
        keep.update(m for m in G.successors(n) if m in undated)
    return keep


def _area_nodes(G: nx.MultiDiGraph, area: str) -> set[str]:
    parts = {area}
    frontier = [area]
    while frontier:  # every part whose partOf chain reaches the area
        node = frontier.pop()
        for child, _, key in G.in_edges(node, keys=True):
            if key == "partOf" and child not in parts:
                parts.add(child)
                frontier.append(child)
    first = {m for n in parts for m in (*G.successors(n), *G.predecessors(n))
             if G.nodes[m]["type"] not in TASK_TYPES}
    second = {m for n in first for m in G.successors(n) if G.nodes[m]["type"] not in TASK_TYPES}
    return parts | first | second


def _neighbourhood(G: nx.MultiDiGraph, centre: str, depth: int) -> set[str]:
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for m in (*G.successors(node), *G.predecessors(node)):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen

