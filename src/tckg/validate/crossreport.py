"""The checks that span reports, as indexed joins in Python over rows the store answers in one
pass each (never a SPARQL target that joins every report to every other):

- incomparable units: a target and an achievement of the same indicator, year and area in
  *different* reports whose units have different base units (the same check within one
  report is tcksh:IncomparableUnitsShape, run with that report);
- duplicate reports: one report IRI stated as a tck:Report in two graphs (a violation), or two
  reports of the same area, plan year and kind (a warning);
- references to other reports' resources that no graph describes (a dangling link).

Undeclared tck: terms need only the report and the ontology, so tcksh:UndeclaredTermShape
runs with each report and is exact there.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Graph, URIRef

from tckg.namespaces import BASE, bind_prefixes

_NS = Graph()
bind_prefixes(_NS.namespace_manager)


def _short(iri: str) -> str:
    try:
        return _NS.namespace_manager.normalizeUri(URIRef(iri))
    except Exception:  # noqa: BLE001 - an IRI no prefix covers
        return iri


class _Term(str):
    """An IRI or literal from Oxigraph as a string, with its language tag."""

    language: str | None = None


def _rows(dataset: Any, text: str) -> list[dict[str, Any]]:
    ox_store = getattr(dataset.store, "store", None)
    if ox_store is not None and dataset.store.kind == "oxigraph":
        # straight from pyoxigraph: strings, not rdflib terms (tens of thousands of rows)
        from tckg.namespaces import PREFIXES

        solutions = ox_store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()})
        names = [v.value for v in solutions.variables]
        out = []
        for sol in solutions:
            row: dict[str, Any] = {}
            for name in names:
                term = sol[name]
                if term is None:
                    row[name] = None
                else:
                    t = _Term(term.value)
                    t.language = getattr(term, "language", None)
                    row[name] = t
            out.append(row)
        return out
    from tckg.sparql.run import query

    return query(text, dataset, timeout=0, max_rows=100_000_000).rows


def _labels(dataset: Any, iris: set[str]) -> dict[str, dict[str, str]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(dataset, f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}"):
        lang = getattr(r["l"], "language", None) or ""
        out[str(r["s"])].setdefault(lang, str(r["l"]))
    return out


def incomparable_units(dataset: Any) -> list[Any]:
    from tckg.validate import Severity, ValidationResult

    base = {str(r["u"]): str(r["b"]) for r in _rows(
        dataset, "SELECT ?u ?b WHERE { ?u tck:baseUnit ?b }")}
    groups: dict[tuple[str, str, str], dict[str, list[tuple[str, str, str]]]] = defaultdict(
        lambda: {"t": [], "a": []})
    for kind, cls in (("t", "tck:Target"), ("a", "tck:Achievement")):
        for r in _rows(dataset, "SELECT ?g ?x ?ind ?year ?area ?u WHERE { GRAPH ?g { "
                       f"?x a {cls} ; tck:indicator ?ind ; tck:year ?year ; tck:refArea ?area ; "
                       "tck:unit ?u } }"):
            b = base.get(str(r["u"]))
            if b is None:
                continue
            key = (str(r["ind"]), str(r["year"]), str(r["area"]))
            groups[key][kind].append((str(r["g"]), str(r["x"]), b))
    pairs: list[tuple[str, str]] = []
    for group in groups.values():
        if not group["t"] or not group["a"]:
            continue
        if len({b for _, _, b in group["t"] + group["a"]}) < 2:
            continue  # the usual case: one base unit for the key, nothing to pair
        for g1, t, b1 in group["t"]:
            for g2, a, b2 in group["a"]:
                if g1 != g2 and b1 != b2:
                    pairs.append((t, a))
    labels = _labels(dataset, {t for t, _ in pairs})
    out = []
    for t, a in sorted(set(pairs)):
        value = _short(a)
        lab = labels.get(t, {})
        out.append(ValidationResult(
            severity=Severity.VIOLATION, focus=t,
            focus_label=lab.get("zh") or lab.get("") or lab.get("en") or _short(t),
            focus_label_en=lab.get("en") or lab.get("") or lab.get("zh") or _short(t),
            path="tck:unit", value=value,
            message_en=f"The achievement {value} of the same indicator, year and area (in another "
                       "report) uses a unit that does not convert to the target's.",
            message_zh=f"同一指标、年度、地区的完成情况 {value}（另一份报告）使用的单位无法换算为目标的单位。",
            shape="tcksh:IncomparableUnitsShape", node_shape="tcksh:IncomparableUnitsShape",
            component="sh:SPARQLConstraintComponent"))
    return out


def duplicate_reports(dataset: Any) -> list[Any]:
    from tckg.validate import Severity, ValidationResult

    graphs: dict[str, set[str]] = defaultdict(set)
    facets: dict[str, tuple[str, str, str]] = {}
    for r in _rows(dataset, "SELECT ?g ?r ?area ?year ?kind WHERE { GRAPH ?g { ?r a tck:Report "
                   "OPTIONAL { ?r dcterms:spatial ?area } OPTIONAL { ?r tck:planYear ?year } "
                   "OPTIONAL { ?r tck:reportKind ?kind } } }"):
        rep = str(r["r"])
        graphs[rep].add(str(r["g"]))
        if r["area"] is not None and r["year"] is not None and r["kind"] is not None:
            facets[rep] = (str(r["area"]), str(r["year"]), str(r["kind"]))
    out = []
    for rep, gs in sorted(graphs.items()):
        if len(gs) > 1:
            out.append(ValidationResult(
                severity=Severity.VIOLATION, focus=rep, focus_label=_short(rep),
                focus_label_en=_short(rep), path=None, value=None,
                message_en=f"The report is stated in {len(gs)} graphs ({', '.join(sorted(gs))}); "
                           "a report is stored once.",
                message_zh=f"该报告出现在 {len(gs)} 个图中；一份报告只应存储一次。",
                shape=None, component="tck:DuplicateReport"))
    same: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rep, key in facets.items():
        same[key].append(rep)
    for (area, year, kind), reps in sorted(same.items()):
        if len(reps) < 2:
            continue
        for rep in sorted(reps):
            others = ", ".join(_short(o) for o in sorted(reps) if o != rep)
            out.append(ValidationResult(
                severity=Severity.WARNING, focus=rep, focus_label=_short(rep),
                focus_label_en=_short(rep), path="dcterms:spatial", value=_short(area),
                message_en=f"Another report ({others}) has the same area, plan year {year} and "
                           f"kind {_short(kind)}: is one a duplicate?",
                message_zh=f"另一份报告（{others}）的地区、计划年度 {year} 与类型相同：是否重复？",
                shape=None, component="tck:DuplicateReport"))
    return out


def dangling_references(units: list[Any]) -> list[Any]:
    from tckg.validate import Severity, ValidationResult
    from tckg.validate.engine import typed_elsewhere

    out = []
    prefix = f"{BASE}report/"
    for unit in units:
        found = typed_elsewhere(unit)  # described (typed) by another graph
        for iri in unit.outside:
            if iri.startswith(prefix) and iri not in found:
                out.append(ValidationResult(
                    severity=Severity.VIOLATION, focus=iri, focus_label=_short(iri),
                    focus_label_en=_short(iri), path=None, value=str(unit.name),
                    message_en=f"The graph {unit.name} refers to {iri}, which no report in the "
                               "data describes (a typo, or a report not loaded?).",
                    message_zh=f"图 {unit.name} 引用了 {iri}，但数据中没有任何报告描述它。",
                    shape=None, component="tck:DanglingReference"))
    return out


def cross_report_results(dataset: Any, units: list[Any]) -> list[Any]:
    if len(units) < 2:
        return dangling_references(units)
    return incomparable_units(dataset) + duplicate_reports(dataset) + dangling_references(units)
