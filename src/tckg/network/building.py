"""Building the graph from the store: the ``network-*`` named queries' rows assembled into a
``networkx.MultiDiGraph`` (see :mod:`tckg.network` for its nodes, edges and attributes)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from rdflib.namespace import DCTERMS, RDFS, SKOS

from tckg.namespaces import ORG, SCHEMA, STATUS, TCK, compact_iri
from tckg.network.filters import filter_graph
from tckg.network.model import CLASS_TYPE, NODE_ATTRIBUTES, TYPE_RANK, VERDICT_ATTRIBUTES
from tckg.numbers import fmt_term
from tckg.store.load import TckDataset
from tckg.vocab.iri import in_namespace, local_name

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx

# relations outside the tck ontology carry no label there
_EDGE_LABELS = {
    ORG.subOrganizationOf: ("上级机构", "sub-organization of"),
    SCHEMA.containedInPlace: ("所属地区", "contained in place"),
}


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


def _select(dataset: TckDataset, name: str, params: Mapping[str, Any] | None = None) -> list[_Row]:
    """A named query's rows through the one runner (and so the store seam), in this process:
    the network's queries are fixed text, and the caller's command has its own limits."""
    from tckg.sparql.run import query

    result = query(name, dataset, params, timeout=0, max_rows=sys.maxsize)
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

    def __init__(self, rows: Iterable[tuple[Any, Any, Any]]) -> None:
        self.values: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in rows:
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


@dataclass
class GraphRows:
    """The ``network-*`` queries' rows: all the graph is built from. Those of the whole
    dataset (:func:`graph_rows`), or of one named graph; rows of several graphs add up (``+``,
    repeats dropped), so a report's graph is its own rows plus the ontology's."""

    nodes: list[Any] = field(default_factory=list)       # node, class
    properties: list[Any] = field(default_factory=list)  # s, p, o
    milestones: list[Any] = field(default_factory=list)  # project, year, stage, planned
    evidence: list[Any] = field(default_factory=list)    # node, quote, start
    edges: list[Any] = field(default_factory=list)       # s, p, o
    reports: list[Any] = field(default_factory=list)     # report, title_zh, title_en

    def __add__(self, other: GraphRows) -> GraphRows:
        return GraphRows(*(list(dict.fromkeys([*getattr(self, f.name), *getattr(other, f.name)]))
                           for f in fields(self)))


_PARTS = ("nodes", "properties", "milestones", "evidence", "edges")


def graph_rows(dataset: TckDataset, graph: Any = None) -> GraphRows:
    """The rows of the whole dataset (the union of its graphs), or with ``graph`` of that one
    named graph (``network-graph-*``, the graph bound as a parameter: an index lookup)."""
    if graph is None:
        return GraphRows(*(_select(dataset, f"network-{part}") for part in _PARTS),
                         reports=_select(dataset, "network-reports"))
    return GraphRows(*(_select(dataset, f"network-graph-{part}", {"graph": graph})
                       for part in _PARTS))


def build_full_graph(dataset: TckDataset, *,
                     statuses: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """Every node and edge of the graph view, unfiltered (see :func:`build_graph`)."""
    return assemble_graph(graph_rows(dataset), statuses=by_iri(statuses))


def by_iri(statuses: Mapping[Any, Any] | None) -> dict[str, Any] | None:
    """Verdicts keyed by the target's IRI as a plain string (an rdflib URIRef hashes unlike the
    same text), as :func:`assemble_graph` looks them up."""
    return None if statuses is None else {str(k): v for k, v in statuses.items()}


def assemble_graph(data: GraphRows, *, statuses: Mapping[str, str] | None = None,
                   disambiguate: bool = True) -> nx.MultiDiGraph:
    """The graph from the queries' rows (:func:`graph_rows`); ``statuses`` maps target IRIs
    (str, :func:`by_iri`) to verdicts; ``disambiguate`` adds the plan level to the labels of
    targets and achievements that share one."""
    import networkx as nx

    G = nx.MultiDiGraph()
    props = _Properties(data.properties)
    # the queries are unordered (rdflib's ORDER BY is slow); sorting here keeps the graph,
    # its layouts and its page the same from run to run
    rows = sorted(((str(r.node), r.node, CLASS_TYPE[r["class"]])
                   for r in data.nodes), key=lambda t: (t[0], t[2]))
    for node, term, kind in rows:
        if node in G:
            if TYPE_RANK[kind] < TYPE_RANK[G.nodes[node]["type"]]:
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
    for r in sorted(data.milestones, key=lambda r: tuple(map(str, r))):
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
                      for r in data.evidence)
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
    if disambiguate:
        disambiguate_labels(G)

    relations: dict[Any, tuple[str, str, str, str]] = {}
    for s, p, o in sorted((str(r.s), r.p, str(r.o)) for r in data.edges):
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
        # looked up per target of this graph: a report's graph among a corpus's verdicts costs
        # its own targets, not the corpus's (keys are IRIs as str: see by_iri)
        for target, attrs in G.nodes(data=True):
            status = statuses.get(target) if attrs["type"] == "target" else None
            if status is not None:
                attrs["status"] = _status_key(status)
                for key, value in getattr(status, "details", {}).items():
                    if key in VERDICT_ATTRIBUTES:
                        attrs[key] = str(value or "")

    reports = [(str(r.report), _s(r.title_zh), _s(r.title_en))
               for r in data.reports]
    if reports:  # graph-level attributes, kept by filters and exports
        G.graph["report"] = " ".join(iri for iri, _, _ in reports)
        G.graph["title_zh"] = "；".join(zh for _, zh, _ in reports if zh)
        G.graph["title_en"] = "; ".join(en for _, _, en in reports if en)
    return G


def disambiguate_labels(G: nx.MultiDiGraph) -> None:
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

