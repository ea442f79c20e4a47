"""RDF -> networkx: the graph of tasks, targets and who carries them, its filters and exports.

:func:`build_graph` turns a :class:`~tckg.store.load.TckDataset` into a ``networkx.MultiDiGraph``
whose nodes are report parts (sections, review areas, task areas, measures), targets,
achievements, the indicators they measure, responsible bodies, projects, enterprises, places
and campaigns, and whose edges are the relations between them (a measure states or serves a
target, a project is carried by an enterprise …). The SPARQL it runs lives in
``queries/network-*.rq``.

Every node carries the same string attributes, so the graph exports cleanly to GraphML (which
has no null) and node-link JSON:

``type``       one of :data:`NODE_TYPES`
``label_zh``, ``label_en``
``value``, ``unit``, ``unit_en``   the number as the report writes it (``6–6.5`` for a range)
``year``       ``2023``; several years separated by spaces (a project's milestones); ``""``
``quote``      the evidence passage(s), one per line, in reading order
``status``     a target's assessment status (``met`` …) when the caller passes ``statuses``
``detail_zh``, ``detail_en``   comparator, plan level, qualifier, milestones … for tooltips

Edges carry ``relation`` (``tck:statesTarget``), ``label_zh``, ``label_en`` and ``link``:
``inferred`` for an analyst's ``tck:contributesTo``, ``stated`` for everything the report says.

The layouts (:func:`hierarchical_layout`, :func:`force_layout`) are plain Python, so positions
are computed once when the page is written and the browser need not run physics.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.namespace import DCTERMS, RDFS, SKOS

from tckg.errors import TckgError
from tckg.io.write import atomic_write_bytes, atomic_write_text
from tckg.namespaces import ORG, SCHEMA, STATUS, TCK, compact_iri
from tckg.numbers import fmt_term
from tckg.store.load import TckDataset
from tckg.vocab.iri import in_namespace, local_name

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

# type -> (zh, en); the order is the legend's and decides a node's type when it has two classes
NODE_TYPES: dict[str, tuple[str, str]] = {
    "section": ("章", "Section"),
    "review-area": ("回顾部分", "Review area"),
    "task-area": ("任务领域", "Task area"),
    "measure": ("措施", "Measure"),
    "target": ("目标", "Target"),
    "achievement": ("完成情况", "Achievement"),
    "indicator": ("指标", "Indicator"),
    "body": ("责任主体", "Responsible body"),
    "project": ("项目", "Project"),
    "enterprise": ("企业", "Enterprise"),
    "place": ("地区", "Place"),
    "campaign": ("专项活动", "Campaign"),
}
TASK_TYPES = frozenset({"section", "review-area", "task-area", "measure"})
TYPE_ALIASES: dict[str, frozenset[str]] = {
    "task": TASK_TYPES,
    "tasks": TASK_TYPES,
    "observation": frozenset({"target", "achievement"}),
}
_CLASS_TYPE = {
    TCK.Section: "section", TCK.ReviewArea: "review-area", TCK.TaskArea: "task-area",
    TCK.Measure: "measure", TCK.Target: "target", TCK.Achievement: "achievement",
    TCK.Indicator: "indicator", TCK.ResponsibleBody: "body", TCK.Project: "project",
    TCK.Enterprise: "enterprise", TCK.Place: "place", TCK.Campaign: "campaign",
}
_TYPE_RANK = {t: i for i, t in enumerate(NODE_TYPES)}
# relations outside the tck ontology carry no label there
_EDGE_LABELS = {
    ORG.subOrganizationOf: ("上级机构", "sub-organization of"),
    SCHEMA.containedInPlace: ("所属地区", "contained in place"),
}
NODE_ATTRIBUTES = ("type", "label_zh", "label_en", "value", "unit", "unit_en", "year", "quote",
                   "status", "detail_zh", "detail_en")
# a target's verdict, when the caller passes statuses that carry it (tckg.html.Verdict)
VERDICT_ATTRIBUTES = ("result", "gap", "reason_zh", "reason_en", "tasks", "lead")


class GraphFilterError(TckgError):
    """A filter that names no node, several nodes, or an unknown type."""


# -- building --------------------------------------------------------------------------------

class _Row(tuple):
    """A result row read by position (``s, p, o = row``) or by column (``row.node``)."""

    columns: dict[str, int]

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self.columns[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return super().__getitem__(self.columns[key] if isinstance(key, str) else key)


def _select(dataset: TckDataset, name: str) -> list[_Row]:
    """A named query's rows through the one runner (and so the store seam), in this process:
    the network's queries are fixed text, and the caller's command has its own limits."""
    from tckg.sparql.run import query

    result = query(name, dataset, timeout=0, max_rows=sys.maxsize)
    columns = {c: i for i, c in enumerate(result.columns)}
    rows = []
    for terms in result.terms:
        row = _Row(terms)
        row.columns = columns
        rows.append(row)
    return rows


def _s(term: Any) -> str:
    return "" if term is None else str(term)


def _unit_text(symbol: str, unit_en: str, lang: str) -> str:
    """The text after the number: ``%``, ``亿元``; in English `` × 100 million yuan``."""
    if lang == "en" and symbol and not symbol.isascii() and unit_en:
        return f" × {unit_en}" if unit_en[:1].isdigit() else f" {unit_en}"
    return symbol


def _observation_phrase(row: Mapping[str, str], lang: str) -> str:
    """How the report states the value: 7.5%左右 / approximately 7.5%, 高于经济增长 …"""
    cmp = local_name(row["comparator"]) if row["comparator"] else ""
    value, upper = row["value"], row["upper"]
    unit = _unit_text(row["unit_symbol"], row["unit_en"], lang)
    number = f"{value}–{upper}{unit}" if upper else (f"{value}{unit}" if value else "")
    label = row[f"cmp_{lang}"] or cmp
    if cmp in ("higher-than-indicator", "lower-than-indicator"):
        higher = cmp.startswith("higher")
        other = row[f"rel_{lang}"] or row["rel_zh"] or row["rel_en"]
        if lang == "zh":
            return f"{'高于' if higher else '低于'}{other}"
        return f"{'higher than' if higher else 'lower than'} {other}"
    if cmp in ("below-benchmark", "not-above-benchmark"):
        area = row[f"bench_{lang}"]
        return f"{label}（{area}）" if lang == "zh" else f"{label} ({area})"
    if cmp == "qualitative":
        return row["qualitative"] or label
    if cmp == "unquantified":
        return f"（{label}）" if lang == "zh" else f"({label})"
    if not number:
        return label
    if not cmp or cmp in ("point", "range"):
        return number
    if lang == "zh":  # 7.5%左右, 100亿元以上, 3%以内, but 力争8%, 超过5%, 低于3.5%
        suffix = cmp in ("approximately", "at-least", "at-most")
        return f"{number}{label}" if suffix else f"{label}{number}"
    return f"{label} {number}"


class _Properties:
    """network-properties' rows by subject and property, with label lookups."""

    LABELS = (SKOS.prefLabel, RDFS.label, DCTERMS.title)

    def __init__(self, dataset: TckDataset) -> None:
        self.values: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in _select(dataset, "network-properties"):
            self.values[s][p].append(o)

    def first(self, s: Any, p: Any) -> Any:
        found = self.values.get(s, {}).get(p)
        return min(found, key=str) if found else None  # deterministic when there are several

    def label(self, s: Any, lang: str) -> str:
        if s is None:
            return ""
        props = self.values.get(s, {})
        for p in self.LABELS:
            found = sorted(str(o) for o in props.get(p, ())
                           if getattr(o, "language", None)
                           and o.language.lower().split("-")[0] == lang)
            if found:
                return found[0]
        return ""

    def observation(self, obs: Any) -> dict[str, str]:
        get = self.first
        unit, cmp, level = get(obs, TCK.unit), get(obs, TCK.comparator), get(obs, TCK.planLevel)
        qual, rel = get(obs, TCK.qualifier), get(obs, TCK.relativeTo)
        bench = get(obs, TCK.benchmarkArea)
        indicator = get(obs, TCK.indicator)
        return {
            "indicator": _s(indicator),
            "ind_zh": self.label(indicator, "zh"), "ind_en": self.label(indicator, "en"),
            "value": fmt_term(get(obs, TCK.value)), "upper": fmt_term(get(obs, TCK.upperValue)),
            "unit_symbol": _s(get(unit, TCK.symbol)), "unit_en": self.label(unit, "en"),
            "comparator": _s(cmp), "cmp_zh": self.label(cmp, "zh"), "cmp_en": self.label(cmp, "en"),
            "level_zh": self.label(level, "zh"), "level_en": self.label(level, "en"),
            "qual_zh": self.label(qual, "zh"), "qual_en": self.label(qual, "en"),
            "estimate": _s(get(obs, TCK.isEstimate)).lower(),
            "qualitative": _s(get(obs, TCK.qualitativeValue)),
            "rel_zh": self.label(rel, "zh"), "rel_en": self.label(rel, "en"),
            "bench_zh": self.label(bench, "zh"), "bench_en": self.label(bench, "en"),
        }


def _describe_observation(attrs: dict[str, Any], obs: Mapping[str, str]) -> None:
    ind_zh = obs["ind_zh"] or obs["ind_en"] or local_name(obs["indicator"])
    ind_en = obs["ind_en"] or ind_zh
    year = attrs["year"]
    attrs["label_zh"] = f"{year} {ind_zh} {_observation_phrase(obs, 'zh')}".strip()
    attrs["label_en"] = f"{year} {ind_en} {_observation_phrase(obs, 'en')}".strip()
    attrs["value"] = f"{obs['value']}–{obs['upper']}" if obs["upper"] else (
        obs["value"] or obs["qualitative"])
    attrs["unit"] = obs["unit_symbol"]
    attrs["unit_en"] = obs["unit_en"]
    zh: list[str] = []
    en: list[str] = []
    if obs["cmp_zh"] or obs["cmp_en"]:
        zh.append(f"比较符：{obs['cmp_zh'] or obs['cmp_en']}")
        en.append(f"comparator: {obs['cmp_en'] or obs['cmp_zh']}")
    if obs["level_zh"] or obs["level_en"]:
        zh.append(f"计划层级：{obs['level_zh'] or obs['level_en']}")
        en.append(f"plan level: {obs['level_en'] or obs['level_zh']}")
    if obs["qual_zh"] or obs["qual_en"]:
        zh.append(f"限定：{obs['qual_zh'] or obs['qual_en']}")
        en.append(f"qualifier: {obs['qual_en'] or obs['qual_zh']}")
    if obs["estimate"] == "true":
        zh.append("预计数")
        en.append("estimate")
    attrs["detail_zh"] = "；".join(zh)
    attrs["detail_en"] = "; ".join(en)


def _offset(term: Any) -> int:
    try:
        return int(str(term))
    except ValueError:  # no offset, or not a number: such passages come first
        return -1


def _status_key(value: Any) -> str:
    text = str(value)
    if in_namespace(text, STATUS):
        return local_name(text, STATUS)
    return text.split(":", 1)[1] if text.startswith("status:") else text


def build_full_graph(dataset: TckDataset, *,
                     statuses: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """Every node and edge of the graph view, unfiltered (see :func:`build_graph`)."""
    import networkx as nx

    G = nx.MultiDiGraph()
    props = _Properties(dataset)
    # the queries are unordered (rdflib's ORDER BY is slow); sorting here keeps the graph,
    # its layouts and its page the same from run to run
    rows = sorted(((str(r.node), r.node, _CLASS_TYPE[r["class"]])
                   for r in _select(dataset, "network-nodes")), key=lambda t: (t[0], t[2]))
    for node, term, kind in rows:
        if node in G:
            if _TYPE_RANK[kind] < _TYPE_RANK[G.nodes[node]["type"]]:
                G.nodes[node]["type"] = kind
            continue
        attrs: dict[str, Any] = dict.fromkeys(NODE_ATTRIBUTES, "")
        attrs["type"] = kind
        attrs["label_zh"] = props.label(term, "zh")
        attrs["label_en"] = props.label(term, "en")
        attrs["year"] = _s(props.first(term, TCK.year))
        ordinal = props.first(term, TCK.ordinal)
        if ordinal is not None:
            try:
                attrs["ordinal"] = int(ordinal)
            except ValueError:
                pass
        if kind in ("target", "achievement"):
            _describe_observation(attrs, props.observation(term))
        G.add_node(node, **attrs)

    milestones: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    for r in sorted(_select(dataset, "network-milestones"), key=lambda r: tuple(map(str, r))):
        milestones[str(r.project)].append(
            (_s(r.year), props.label(r.stage, "zh") or local_name(r.stage),
             props.label(r.stage, "en") or local_name(r.stage), _s(r.planned).lower() == "true"))
    for project, stages in milestones.items():
        if project not in G:
            continue
        attrs = G.nodes[project]
        attrs["year"] = " ".join(sorted({year for year, *_ in stages}))
        attrs["detail_zh"] = "；".join(f"{zh}{year}{'（计划）' if planned else ''}"
                                      for year, zh, _, planned in stages)
        attrs["detail_en"] = "; ".join(f"{en} {year}{' (planned)' if planned else ''}"
                                       for year, _, en, planned in stages)

    quotes: dict[str, list[str]] = defaultdict(list)
    passages = sorted((str(r.node), _offset(r.start), str(r.quote))
                      for r in _select(dataset, "network-evidence"))
    for node, _start, quote in passages:
        # a table cell repeating part of a sentence already quoted adds nothing to read
        if node in G and not any(quote in q for q in quotes[node]):
            quotes[node].append(quote)
    for node, found in quotes.items():
        G.nodes[node]["quote"] = "\n".join(found)

    for node, attrs in G.nodes(data=True):  # a node never goes without a label
        fallback = attrs["label_zh"] or attrs["label_en"] or local_name(node)
        attrs["label_zh"] = attrs["label_zh"] or fallback
        attrs["label_en"] = attrs["label_en"] or fallback
    _disambiguate(G)

    relations: dict[Any, tuple[str, str, str, str]] = {}
    for s, p, o in sorted((str(r.s), r.p, str(r.o)) for r in _select(dataset, "network-edges")):
        if s not in G or o not in G or s == o:
            continue
        if p not in relations:
            key = local_name(p)
            zh, en = _EDGE_LABELS.get(p, (props.label(p, "zh"), props.label(p, "en")))
            relations[p] = (key, compact_iri(p), zh or key, en or key)
        key, relation, zh, en = relations[p]
        if not G.has_edge(s, o, key=key):
            G.add_edge(s, o, key=key, relation=relation, label_zh=zh, label_en=en,
                       link="inferred" if p == TCK.contributesTo else "stated")
    # the scheme holds every indicator; the view shows those some observation uses
    G.remove_nodes_from([n for n, t in G.nodes(data="type") if t == "indicator" and not any(
        key in ("indicator", "relativeTo") for *_, key in G.in_edges(n, keys=True))])

    if statuses:
        for target, status in statuses.items():
            target = str(target)
            if target in G and G.nodes[target]["type"] == "target":
                G.nodes[target]["status"] = _status_key(status)
                for key, value in getattr(status, "details", {}).items():
                    if key in VERDICT_ATTRIBUTES:
                        G.nodes[target][key] = str(value or "")

    reports = [(str(r.report), _s(r.title_zh), _s(r.title_en))
               for r in _select(dataset, "network-reports")]
    if reports:  # graph-level attributes, kept by filters and exports
        G.graph["report"] = " ".join(iri for iri, _, _ in reports)
        G.graph["title_zh"] = "；".join(zh for _, zh, _ in reports if zh)
        G.graph["title_en"] = "; ".join(en for _, _, en in reports if en)
    return G


def _disambiguate(G: nx.MultiDiGraph) -> None:
    """Two targets with one label (city and district plan, same value) get their level added."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        if attrs["type"] in ("target", "achievement"):
            seen[(attrs["type"], attrs["label_zh"])].append(node)
    for nodes in seen.values():
        if len(nodes) < 2:
            continue
        for node in nodes:
            attrs = G.nodes[node]
            level_zh = attrs["detail_zh"].split("计划层级：")[-1].split("；")[0] \
                if "计划层级：" in attrs["detail_zh"] else local_name(node)
            level_en = attrs["detail_en"].split("plan level: ")[-1].split(";")[0] \
                if "plan level: " in attrs["detail_en"] else local_name(node)
            attrs["label_zh"] += f"（{level_zh}）"
            attrs["label_en"] += f" ({level_en})"


def build_graph(dataset: TckDataset, *, year: int | str | None = None,
                types: Iterable[str] | str | None = None, task_area: str | None = None,
                focus: str | None = None, depth: int = 1,
                statuses: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """The graph of the report's tasks, targets and the actors around them, filtered.

    ``statuses`` maps target IRIs to assessment statuses (``met``, ``status:met`` or the full
    IRI); the tracking module provides it. The filters are those of :func:`filter_graph`.
    """
    G = build_full_graph(dataset, statuses=statuses)
    return filter_graph(G, year=year, types=types, task_area=task_area, focus=focus, depth=depth)


# -- filters ---------------------------------------------------------------------------------

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
    out = G.subgraph(keep).copy()
    out.graph.update(G.graph)
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


# -- exports ---------------------------------------------------------------------------------

def _safe(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all str/int/float/bool (GraphML has no null or list)."""
    H = G.copy()
    for _, attrs in H.nodes(data=True):
        for k, v in attrs.items():
            attrs[k] = _safe(v)
    for *_, attrs in H.edges(keys=True, data=True):
        for k, v in attrs.items():
            attrs[k] = _safe(v)
    H.graph = {k: _safe(v) for k, v in G.graph.items()}
    return H


def write_graphml(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """GraphML for Gephi, Cytoscape or yEd, written atomically as UTF-8."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(export_ready(G), buffer, encoding="utf-8", named_key_ids=True)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def write_node_link_json(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """networkx node-link JSON (``nodes`` and ``edges``), UTF-8, Chinese unescaped."""
    import networkx as nx

    data = nx.node_link_data(export_ready(G), edges="edges")
    path = Path(path)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path


# -- layouts ---------------------------------------------------------------------------------

ROW = 48.0      # vertical distance between rows of the hierarchical layout
COLUMN = 300.0  # horizontal distance between the levels of the task tree
CELL = 260.0    # width of one column of items (a target, an indicator …) and its label

# columns after the task tree: what tasks link to, then what those link to
_ITEM_COLUMN = {"target": 0, "achievement": 0, "project": 0, "campaign": 0,
                "indicator": 1, "enterprise": 1, "body": 2, "place": 2}


def hierarchical_layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Left to right: the task tree (sections → task areas → measures) in report order; each
    part's targets, achievements, projects and campaigns in a small grid beside it; then
    indicators and enterprises, then bodies and places, each level with what links to it.

    Wide groups are folded into several sub-columns so the picture stays roughly as wide as
    it is tall instead of one column thousands of rows high.
    """
    parent: dict[str, str] = {}
    for s, o, key in G.edges(keys=True):
        if key == "partOf" and G.nodes[s]["type"] in TASK_TYPES \
                and G.nodes[o]["type"] in TASK_TYPES and s not in parent:
            parent[s] = o
    tasks = [n for n, t in G.nodes(data="type") if t in TASK_TYPES]
    children: dict[str | None, list[str]] = defaultdict(list)
    for t in tasks:
        p = parent.get(t)
        # a cycle in partOf would loop forever below; such a part becomes a root
        children[p if p is not None and not _has_cycle(parent, t) else None].append(t)

    def order(n: str) -> tuple[Any, ...]:
        a = G.nodes[n]
        return (a.get("ordinal", 10**6), _TYPE_RANK[a["type"]], a["label_zh"], n)

    preorder: list[tuple[str, int]] = []
    stack = [(t, 0) for t in sorted(children[None], key=order, reverse=True)]
    while stack:
        node, level = stack.pop()
        preorder.append((node, level))
        stack.extend((c, level + 1) for c in sorted(children[node], key=order, reverse=True))
    rank = {n: i for i, (n, _) in enumerate(preorder)}

    # a node linked to report parts is stacked beside the first of them in reading order
    owned: dict[str, list[str]] = defaultdict(list)
    for n, t in G.nodes(data="type"):
        if t in TASK_TYPES or _ITEM_COLUMN.get(t) != 0:
            continue
        linked = [m for m in (*G.predecessors(n), *G.successors(n)) if m in rank]
        if linked:
            owned[min(linked, key=rank.__getitem__)].append(n)
    total = sum(len(v) for v in owned.values())
    grid = max(1, min(8, round(math.sqrt(total / 25))))  # sub-columns of the item grid

    depth = max((level for _, level in preorder), default=-1)
    items_x = (depth + 1) * COLUMN
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    spans: dict[str, tuple[int, int]] = {}
    for node, _level in preorder:
        items = sorted(owned[node], key=lambda m: (_TYPE_RANK[G.nodes[m]["type"]],
                                                   G.nodes[m]["label_zh"], m))
        start = row
        for i, item in enumerate(items):
            pos[item] = (items_x + (i % grid) * CELL, (row + i // grid) * ROW)
        row += -(-len(items) // grid)
        if not children[node]:
            row = max(row, start + 2)  # a box of two lines of title
        spans[node] = (start, row)
    # a part sits level with the middle of everything below it
    for node, level in reversed(preorder):
        start, end = spans[node]
        for c in children[node]:
            cs, ce = spans[c]
            start, end = min(start, cs), max(end, ce)
        spans[node] = (start, end)
        pos[node] = (level * COLUMN, (start + max(end - 1, start)) / 2 * ROW)

    # the rest (items of no report part, indicators, bodies …): columns of lanes, each node
    # as level as it can be with the median of its neighbours already placed
    x = items_x + (grid * CELL if owned else 0)
    height = max(row * ROW, ROW)
    by_column: dict[int, list[str]] = defaultdict(list)
    for n in G:
        if n not in pos:
            by_column[_ITEM_COLUMN.get(G.nodes[n]["type"], 2)].append(n)
    for column in sorted(by_column):
        wanted: list[tuple[float, str]] = []
        for n in by_column[column]:
            ys = sorted(pos[m][1] for m in (*G.predecessors(n), *G.successors(n)) if m in pos)
            wanted.append((ys[len(ys) // 2] if ys else math.inf, n))
        wanted.sort(key=lambda w: (w[0], _TYPE_RANK[G.nodes[w[1]]["type"]],
                                   G.nodes[w[1]]["label_zh"], w[1]))
        lanes = max(1, min(8, math.ceil(len(wanted) * ROW / height)))
        last = [-math.inf] * lanes
        bottom = max((y for _, y in pos.values()), default=-ROW)
        for desired, n in wanted:
            if desired == math.inf:  # linked to nothing placed: below the rest
                desired = bottom + ROW
            lane = min(range(lanes), key=lambda i: (max(desired, last[i] + ROW), i))
            y = max(desired, last[lane] + ROW)
            last[lane] = y
            bottom = max(bottom, y)
            pos[n] = (x + lane * CELL, y)
        x += lanes * CELL
    return pos


TREE_PARTS = frozenset({"task-area", "measure", "review-area"})
_SERVES = ("statesTarget", "contributesTo")


def accountability_nodes(G: nx.MultiDiGraph) -> set[str]:
    """The accountability tree: targets a task area, measure or review area serves (stated or
    inferred), those parts, and the parts above them. Sections and the appendix, which state
    every target at once, are left out: they say what was promised, not whose task it is."""
    tree: set[str] = set()
    for s, o, key in G.edges(keys=True):
        if key in _SERVES and G.nodes[s]["type"] in TREE_PARTS \
                and G.nodes[o]["type"] == "target":
            tree |= {s, o}
    parent = _tree_parents(G)
    for node in list(tree):
        seen = {node}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
            tree.add(node)
    return tree


def _tree_parents(G: nx.MultiDiGraph) -> dict[str, str]:
    parent: dict[str, str] = {}
    for s, o, key in G.edges(keys=True):
        if key == "partOf" and G.nodes[s]["type"] in TREE_PARTS \
                and G.nodes[o]["type"] in TREE_PARTS and s not in parent:
            parent[s] = o
    return parent


TREE_ROW = 46.0
TREE_COLUMN = 230.0


def _tree_structure(G: nx.MultiDiGraph) -> tuple[dict[str | None, list[str]],
                                                  dict[str, list[str]],
                                                  Callable[[str], tuple[Any, ...]]]:
    """The accountability tree's parts by parent (``None``: the roots), the targets each part
    serves (stated links first), and the reading order of roots."""
    tree = accountability_nodes(G)
    parent = _tree_parents(G)
    children: dict[str | None, list[str]] = defaultdict(list)
    for n in tree:
        if G.nodes[n]["type"] in TREE_PARTS:
            p = parent.get(n)
            children[p if p in tree and not _has_cycle(parent, n) else None].append(n)

    def order(n: str) -> tuple[Any, ...]:
        a = G.nodes[n]
        return (a.get("year", ""), a.get("ordinal", 10**6), a["label_zh"], n)

    served: dict[str, list[str]] = defaultdict(list)
    for s, o, key in sorted(G.edges(keys=True), key=lambda e: (e[2] != "statesTarget", e)):
        if key in _SERVES and s in tree and o in tree and G.nodes[o]["type"] == "target":
            served[s].append(o)
    return children, served, order


def tree_outline(G: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """The accountability tree as an outline: ``(node, depth)`` in reading order (a year's
    areas in report order, each part followed by its sub-parts, then the targets it serves;
    a target served by several parts appears once, under the first). The graph page draws
    it top-down on a phone, where a left-to-right tree cannot be legible at the fitted zoom.
    """
    children, served, order = _tree_structure(G)
    out: list[tuple[str, int]] = []
    placed: set[str] = set()

    def visit(n: str, d: int) -> None:
        out.append((n, d))
        placed.add(n)
        for c in sorted(children[n], key=lambda c: (G.nodes[c].get("ordinal", 10**6),
                                                    G.nodes[c]["label_zh"], c)):
            if c not in placed:
                visit(c, d + 1)
        for t in served[n]:
            if t not in placed:
                placed.add(t)
                out.append((t, d + 1))

    for r in sorted(children[None], key=order):
        visit(r, 0)
    return out


def tree_layout(G: nx.MultiDiGraph, aspect: float = 1.4) -> dict[str, tuple[float, float]]:
    """Task areas → measures → targets, left to right, one block of columns per year.

    Each part's targets sit in the last column beside it (a target served by several parts,
    beside the first in reading order); a year's areas are packed into as many side-by-side
    column blocks as make the year's picture about ``aspect`` times as wide as it is tall, so
    the labels stay legible when the view is fitted to a screen. Nodes outside the tree are
    placed below it by :func:`hierarchical_layout`'s positions.
    """
    children, served, order = _tree_structure(G)
    depth = 0

    def measure(n: str, d: int = 0) -> int:
        nonlocal depth
        depth = max(depth, d)
        return sum(measure(c, d + 1) for c in children[n]) + max(1, len(served[n]))

    roots_by_year: dict[str, list[str]] = defaultdict(list)
    for r in sorted(children[None], key=order):
        roots_by_year[G.nodes[r].get("year", "")].append(r)
    for rs in roots_by_year.values():
        for r in rs:
            measure(r)  # the tree's depth
    block_w = (depth + 2) * TREE_COLUMN
    pos: dict[str, tuple[float, float]] = {}
    placed: set[str] = set()
    y0 = 0.0
    for _year, roots in sorted(roots_by_year.items()):
        # each area's subtree laid out alone first (rows it really takes, a target once)
        local: dict[str, dict[str, tuple[float, float]]] = {}
        height: dict[str, int] = {}
        for r in roots:
            sub: dict[str, tuple[float, float]] = {}
            height[r] = _place_tree(G, r, 0, 0, 0.0, 0.0, children, served, placed, sub, depth)
            local[r] = sub
        total = sum(height.values())
        # blocks side by side: the count whose picture comes closest to the wanted aspect
        k = min(range(1, len(roots) + 1),
                key=lambda k: abs(math.log((k * block_w) / (total / k * TREE_ROW) / aspect)))
        per_block = total / k
        block, row, tallest = 0, 0, 0
        for r in roots:
            if row > 0 and row + height[r] / 2 > per_block and block < k - 1:
                block, row = block + 1, 0
            for n, (x, y) in local[r].items():
                pos[n] = (x + block * block_w, y + y0 + row * TREE_ROW)
            row += height[r]
            tallest = max(tallest, row)
        y0 += (tallest + 2) * TREE_ROW
    # everything else keeps its hierarchical place, below the tree
    rest = hierarchical_layout(G)
    for n, (x, y) in rest.items():
        if n not in pos:
            pos[n] = (x, y + y0)
    return pos


def _place_tree(G: nx.MultiDiGraph, n: str, d: int, row: int, x0: float, y0: float,
                children: Mapping[str | None, list[str]], served: Mapping[str, list[str]],
                placed: set[str], pos: dict[str, tuple[float, float]], depth: int) -> int:
    start = row
    for c in sorted(children[n], key=lambda c: (G.nodes[c].get("ordinal", 10**6),
                                                G.nodes[c]["label_zh"], c)):
        row = _place_tree(G, c, d + 1, row, x0, y0, children, served, placed, pos, depth)
    for t in served[n]:
        if t in placed:
            continue
        placed.add(t)
        pos[t] = (x0 + (depth + 1) * TREE_COLUMN, y0 + row * TREE_ROW)
        row += 1
    if row == start:
        row += 1
    pos[n] = (x0 + d * TREE_COLUMN, y0 + (start + row - 1) / 2 * TREE_ROW)
    return row


def _has_cycle(parent: Mapping[str, str], start: str) -> bool:
    seen = {start}
    node = parent.get(start)
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


def force_layout(G: nx.MultiDiGraph, *, iterations: int | None = None, seed: int = 7,
                 spacing: float = 160.0, gravity: float = 0.01,
                 box_size: float = 2.0) -> dict[str, tuple[float, float]]:
    """A force-directed layout (Fruchterman–Reingold) in plain Python.

    Repulsion is only computed between nodes in neighbouring cells of a grid, so one
    iteration costs about n × (nodes per cell) rather than n²; the number of iterations
    shrinks with the graph (200 for a few hundred nodes, ~25 for 6,000) so the page of any
    graph is written in seconds. It starts from the hierarchical layout squeezed into a
    square, so related nodes start close and few iterations suffice. Deterministic.
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[s], index[o]), max(index[s], index[o]))
                    for s, o in G.edges() if s != o})
    degree = [0] * n
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    # an edge to a hub (the district every target measures, the government committing to all)
    # pulls weakly, so hubs do not drag everything into one knot
    weights = [1.0 / math.sqrt(max(degree[a], degree[b])) for a, b in pairs]
    # report parts are drawn as boxes holding their title: they push harder
    size = [box_size if G.nodes[v].get("type") in TASK_TYPES else 1.0 for v in nodes]
    if iterations is None:
        iterations = max(15, min(200, int(2_500_000 / (20 * n + len(pairs) + 1))))
    k = spacing
    side = k * math.sqrt(n) * 1.2
    rng = random.Random(seed)
    start = hierarchical_layout(G)
    xs0 = [start[v][0] for v in nodes]
    ys0 = [start[v][1] for v in nodes]
    w = (max(xs0) - min(xs0)) or 1.0
    h = (max(ys0) - min(ys0)) or 1.0
    xs = [(x - min(xs0)) / w * side - side / 2 + rng.uniform(-k, k) / 4 for x in xs0]
    ys = [(y - min(ys0)) / h * side - side / 2 + rng.uniform(-k, k) / 4 for y in ys0]
    cell = 2.0 * k
    cutoff2 = cell * cell
    k2 = k * k
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), members in grid.items():
            others: list[int] = []
            for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):  # each cell pair once
                if (ox, oy) != (0, 0):
                    others.extend(grid.get((cx + ox, cy + oy), ()))
            for a_pos, a in enumerate(members):
                xa, ya = xs[a], ys[a]
                for b in (*members[a_pos + 1:], *others):
                    ddx = xa - xs[b]
                    ddy = ya - ys[b]
                    d2 = ddx * ddx + ddy * ddy
                    if d2 >= cutoff2:
                        continue
                    if d2 < 1e-6:
                        ddx, ddy, d2 = rng.uniform(-1, 1), rng.uniform(-1, 1), 1.0
                    f = k2 * size[a] * size[b] / d2
                    dx[a] += ddx * f
                    dy[a] += ddy * f
                    dx[b] -= ddx * f
                    dy[b] -= ddy * f
        for (a, b), weight in zip(pairs, weights, strict=True):
            ddx = xs[a] - xs[b]
            ddy = ys[a] - ys[b]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 1e-3
            f = d / k * weight
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):
            ddx = dx[i] - gravity * xs[i]
            ddy = dy[i] - gravity * ys[i]
            d = math.sqrt(ddx * ddx + ddy * ddy)
            if d > temperature:
                ddx, ddy = ddx / d * temperature, ddy / d * temperature
            xs[i] += ddx
            ys[i] += ddy
        temperature = max(temperature - cooling, k / 20)
    boxes = [G.nodes[v].get("type") in TASK_TYPES for v in nodes]
    _remove_overlaps(xs, ys, [105.0 if b else 80.0 for b in boxes],
                     [26.0 if b else 22.0 for b in boxes])
    return {node: (round(xs[i], 1), round(ys[i], 1)) for i, node in enumerate(nodes)}


def _remove_overlaps(xs: list[float], ys: list[float], half_w: list[float],
                     half_h: list[float], rounds: int = 12) -> None:
    """Push apart nodes whose drawings (a box, or a shape with its label under it) overlap,
    along the axis where they overlap least. Grid-bucketed like the force layout; the
    force layout's picture is kept, only collisions move."""
    n = len(xs)
    cell = 2 * max(max(half_w, default=1.0), max(half_h, default=1.0))
    for _ in range(rounds):
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        moved = False
        for (cx, cy), members in grid.items():
            others: list[int] = []
            for ox, oy in ((1, 0), (-1, 1), (0, 1), (1, 1)):
                others.extend(grid.get((cx + ox, cy + oy), ()))
            for a_pos, a in enumerate(members):
                for b in (*members[a_pos + 1:], *others):
                    ox_ = half_w[a] + half_w[b] - abs(xs[a] - xs[b])
                    oy_ = half_h[a] + half_h[b] - abs(ys[a] - ys[b])
                    if ox_ <= 0 or oy_ <= 0:
                        continue
                    moved = True
                    if ox_ < oy_:
                        step = ox_ / 2 + 0.5
                        sign = 1.0 if xs[a] >= xs[b] else -1.0
                        xs[a] += sign * step
                        xs[b] -= sign * step
                    else:
                        step = oy_ / 2 + 0.5
                        sign = 1.0 if ys[a] >= ys[b] else -1.0
                        ys[a] += sign * step
                        ys[b] -= sign * step
        if not moved:
            return
