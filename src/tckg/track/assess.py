"""Were the targets met? Verdicts on every target, explained (:func:`assess`).

A target is answered by the achievement (result) of the **same indicator, area and year**,
stated in **any** loaded report: this report's review of last year answers last year's plan,
and next year's report answers this year's targets. When several results answer one target,
a final figure is preferred to an estimate (预计数), then the latest report, then the IRI.

Values are compared in the target's unit after converting the result through the unit
scheme (``tck:baseUnit`` and ``tck:conversionFactor`` in ``ontology/units.ttl``): 34,500 t
against 3.5 万吨 is 3.45 万吨 against 3.5 万吨. Units with different base units (人 and 万吨,
percent and percentage points) are not comparable, and the verdict says so.

Statuses (``status:…`` in ``ontology/schemes.ttl``): ``met``, ``met-within-tolerance``,
``missed``, ``no-result`` (nothing answers the target yet), ``not-assessable`` (with the reason:
a benchmark outside the data, a qualitative or unquantified target, incomparable units).

Numeric targets are judged by the rules of ``ontology/rules.ttl``, read from the loaded
ontology at run time and interpreted by :mod:`tckg.track.rules`: the comparator's operator
(``tck:operator``) and the indicator's polarity choose the rule, its outcomes decide.

A tolerance applies only where the rule says so (``tck:usesTolerance``: "approximately", and a
neutral point). Its default comes from ``tck:tolerance`` on the indicator kind
(``ontology/schemes.ttl``), absolute in the target's unit or a fraction of the target as the
kind's ``tck:toleranceIsRelative`` says: 0.5 percentage points for growth rates and shares,
5 % of the target for levels and counts, 0 for ranks. ``tolerances={"growth-rate": 0.3}``
(CLI ``--tolerance growth-rate=0.3``) overrides a kind. A result hedged with 余/超过
(``qual:more-than``) or 近 (``qual:nearly``) counts as just above or just below its number
when it equals the bound (the qualifier's ``tck:resultBias``).

Relative targets (``cmp:higher-than-indicator``, 居民收入增长高于经济增长) are met when the
result of the indicator exceeds the result of ``tck:relativeTo`` for the same area and year;
when either number is missing, a result the report states in the same relative terms (an
achievement with the same comparator and ``tck:relativeTo``, as the appendix does for 2022)
decides. Benchmark targets (``cmp:below-benchmark``, ``cmp:not-above-benchmark``) compare with
the same indicator's result for ``tck:benchmarkArea`` and year; without it the target is not
assessable ("benchmark 湖南省 … not in the data"). Qualitative and unquantified targets are not
assessable unless an analyst recorded a **manual assessment** (``tck:isManual true``) in any
loaded graph; a manual assessment always wins and the scorecard marks it as manual.

Each row gives the gap (result minus target, in the target's unit; percentage points for
percent targets) and, for kinds with ``tck:reportsShareReached`` (levels and counts), the share
of the target reached (105 talents against 100 = 1.05). :mod:`tckg.track.rdf` turns the
verdicts into ``tck:Assessment`` resources with PROV-O provenance.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from tckg import __version__
from tckg.io.paths import data_dir
from tckg.namespaces import KIND, REPORT, STATUS, TCK, UNIT
from tckg.numbers import fmt_number
from tckg.store.load import TckDataset, parse_file
from tckg.track import cache
from tckg.track.model import Quote, Scorecard, ScoreRow
from tckg.track.rdf import ASSESSMENT_BASE
from tckg.track.rules import STATUSES, RuleBook, TrackError, compare
from tckg.vocab.iri import in_namespace, local_name, mint

PLAN_LEVEL_ORDER = {"district": 0, "zone": 1, "city": 2, "province": 3, "nation": 4}
PERCENT_UNITS = frozenset({str(UNIT.percent), str(UNIT["percentage-point"])})


# -- numbers ----------------------------------------------------------------------------------

def _tidy(value: Decimal) -> Decimal:
    """Round to 6 places and drop trailing zeros, never into exponent form (-1E+2 is not a
    valid xsd:decimal lexical form)."""
    return Decimal(fmt_number(value.quantize(Decimal("0.000001"))))


def _dec(term: Any) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(str(term))
    except (InvalidOperation, ValueError):
        return None


# -- reading the data -------------------------------------------------------------------------

def _run(dataset: TckDataset, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Rows of terms of a named query, through the one runner (and so through the store seam).

    In this process and without a row cap: track's own queries are fixed, not user text."""
    from tckg.sparql.run import query

    result = query(name, dataset, params=bindings or None, timeout=0, max_rows=sys.maxsize)
    return [dict(zip(result.columns, row, strict=True)) for row in result.terms]



def _gap_unit(look: Any, unit: str | None) -> str | None:
    """The unit of a gap between two results: percentage points for percentages."""
    return "个百分点" if unit in PERCENT_UNITS else look.symbol(unit) or None

@dataclass
class _Obs:
    iri: str
    indicator: str
    year: str
    area: str
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    base_unit: str | None = None
    factor: Decimal | None = None
    comparator: str | None = None
    operator: str | None = None
    reference_kind: str | None = None
    relative_to: str | None = None
    benchmark_area: str | None = None
    qualitative: str | None = None
    qualifier: str | None = None
    is_estimate: bool | None = None
    report: str | None = None
    report_date: str = ""
    kind: str | None = None
    polarity: str | None = None
    level: str | None = None


def _obs(row: Mapping[str, Any], key: str) -> _Obs:
    def s(name: str) -> str | None:
        value = row.get(name)
        return None if value is None else str(value)

    est = row.get("isEstimate")
    return _Obs(
        iri=str(row[key]), indicator=str(row["indicator"]), year=str(row["year"]),
        area=str(row["area"]), value=_dec(row.get("value")), upper=_dec(row.get("upper")),
        unit=s("unit"), base_unit=s("baseUnit"), factor=_dec(row.get("factor")),
        comparator=s("comparator"), operator=s("operator"), reference_kind=s("referenceKind"),
        relative_to=s("relativeTo"), benchmark_area=s("benchmarkArea"),
        qualitative=s("qualitative"), qualifier=s("qualifier"),
        is_estimate=None if est is None else bool(est.toPython()),
        report=s("report"), report_date=s("reportDate") or "", kind=s("kind"),
        polarity=s("polarity"), level=s("level"))


class _Lookup:
    """Labels, unit symbols and report titles, read once from the dataset."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._labels: dict[tuple[str, str], str] = {}
        # symbols and flags are asked for on every row (9,000 targets at N = 1,000 reports
        # share a few dozen units and scheme concepts); each store look-up costs 15-25 µs
        self._values: dict[tuple[str, URIRef], Any] = {}
        self.rules = RuleBook(graph)  # the verdict rules of the loaded ontology

    def label(self, iri: str | None, lang: str = "zh") -> str:
        if not iri:
            return ""
        key = (iri, lang)
        if key not in self._labels:
            self._labels[key] = self._find_label(URIRef(iri), lang)
        return self._labels[key]

    def _find_label(self, node: URIRef, lang: str) -> str:
        for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
            values = sorted(self.g.objects(node, prop), key=str)
            for v in values:
                if getattr(v, "language", None) == lang:
                    return str(v)
            if values:
                return str(values[0])
        return local_name(node)

    def _value(self, node: str, prop: URIRef) -> Any:
        key = (node, prop)
        if key not in self._values:
            self._values[key] = self.g.value(URIRef(node), prop)
        return self._values[key]

    def symbol(self, unit: str | None) -> str:
        if not unit:
            return ""
        value = self._value(unit, TCK.symbol)
        return str(value) if value is not None else local_name(unit)

    def flag(self, node: str | None, prop: URIRef) -> bool:
        """A boolean annotation of a scheme concept (false when absent)."""
        value = self._value(node, prop) if node else None
        return bool(value.toPython()) if isinstance(value, Literal) else False

    def bias(self, qualifier: str | None) -> int:
        """How a result hedged with this qualifier compares at a bound (tck:resultBias)."""
        value = self._value(qualifier, TCK.resultBias) if qualifier else None
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def kind_tolerances(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for kind in self.g.subjects(RDF.type, TCK.IndicatorKind):
            tol = _dec(self.g.value(kind, TCK.tolerance))
            if tol is not None:
                out[local_name(kind)] = tol
        return out


def _quotes(dataset: TckDataset, year: str | None = None,
            out: dict[str, list[Quote]] | None = None, **one: Any) -> dict[str, list[Quote]]:
    """Quotes by subject: of the targets (of ``year``), their answers and every assessment
    (named query ``track-quotes``), or with ``subject=`` of that one subject (``track-evidence``),
    added to ``out``."""
    out = defaultdict(list) if out is None else out
    seen: set[tuple[str, str]] = {(s, q.evidence) for s, qs in out.items() for q in qs}
    rows = (_run(dataset, "track-evidence", **one) if one
            else _run(dataset, "track-quotes", **({} if year is None else {"year": year})))
    for row in rows:
        subject, ev = str(row["subject"]), str(row["evidence"])
        if (subject, ev) in seen:
            continue
        seen.add((subject, ev))
        report = row.get("evidenceReport") or row.get("report")
        start, end = row.get("start"), row.get("end")
        out[subject].append(Quote(str(row["quote"]), ev,
                                  int(start) if start is not None else None,
                                  int(end) if end is not None else None,
                                  str(report) if report is not None else None))
    for quotes in out.values():
        quotes.sort(key=lambda q: (q.start if q.start is not None else -1, q.evidence))
    return out


@dataclass
class _Manual:
    iri: str
    graph: str
    target: str
    status: str
    reason_en: str = ""
    reason_zh: str = ""
    based_on: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    generated_at: str = ""


def _manual_assessments(dataset: TckDataset, targets: set[str],
                        look: _Lookup | None = None) -> dict[str, _Manual]:
    """Manual verdicts by target; ``targets`` are the targets read (one year's with --year:
    a verdict on another year's target is checked against the store with ``look``)."""
    found: dict[str, _Manual] = {}
    reports: set[str] | None = None
    # GRAPH ?graph names the file a bad record came from, so this one runs on the dataset
    for row in _run(dataset, "track-manual"):
        iri = str(row["assessment"])
        if in_namespace(iri, ASSESSMENT_BASE):
            continue  # tckg's own copy of a manual verdict (a loaded assessments.ttl)
        graph = str(row["graph"])
        if reports is None:
            reports = {str(n) for n in dataset.report_graphs()}
        if graph in reports:  # a report may not overturn a verdict (SECURITY.md, issue 14)
            source = getattr(dataset, "sources", {}).get(URIRef(graph), graph)
            raise TrackError(
                f"manual assessment <{iri}> is stated inside the report graph <{graph}> ({source}); "
                "a report may not assess targets. Manual verdicts come only from the analyst's "
                "own files (data/assessments/*.ttl or --manual), where the scorecard shows them "
                "as manual: move it there. 报告不得携带人工评估，请移至 data/assessments/。")
        manual = row.get("manual")
        flag = manual.toPython() if isinstance(manual, Literal) else None
        if flag is False:  # "0"^^xsd:boolean: not a manual verdict
            continue
        if flag is not True:
            raise TrackError(
                f"manual assessment <{iri}> (graph <{graph}>) has tck:isManual {manual.n3()}; "
                "write tck:isManual true (an xsd:boolean) for an analyst's verdict, or leave "
                "the assessment out. tck:isManual 须为布尔值 true。")
        m = found.get(iri)
        status = row.get("status")
        if m is not None and status is not None and local_name(status, STATUS) != m.status:
            raise TrackError(
                f"manual assessment <{iri}> (graph <{graph}>) has two statuses, status:{m.status} "
                f"and <{status}>; give it one tck:status (one verdict per assessment; record a "
                "changed verdict as a new assessment with its own prov:generatedAtTime). "
                "每条人工评估只能有一个状态。")
        if m is None:
            if local_name(status, STATUS) not in STATUSES:
                raise TrackError(
                    f"manual assessment <{iri}> (graph <{graph}>) has tck:status "
                    f"{'<' + str(status) + '>' if status is not None else 'missing'}; give one of "
                    + ", ".join(f"status:{s}" for s in STATUSES) + ".")
            m = found[iri] = _Manual(iri, graph, str(row["target"]), local_name(status),
                                     generated_at=str(row.get("generatedAt") or ""))
        reason = row.get("reason")
        if reason is not None:
            if getattr(reason, "language", None) == "zh":
                m.reason_zh = str(reason)
            else:
                m.reason_en = m.reason_en or str(reason)
        for key, bucket in (("basedOn", m.based_on), ("evidence", m.evidence)):
            value = row.get(key)
            if value is not None and str(value) not in bucket:
                bucket.append(str(value))
    by_target: dict[str, _Manual] = {}
    for m in sorted(found.values(), key=lambda m: (m.generated_at, m.iri)):
        if m.target not in targets and not (
                look is not None and TCK.Target in set(look.g.objects(URIRef(m.target), RDF.type))):
            raise TrackError(
                f"manual assessment <{m.iri}> (graph <{m.graph}>) assesses <{m.target}>, which is "
                "not a target in the loaded data; check the IRI (targets look like "
                f"{REPORT}<report>/target/<year>/<plan level>/<indicator>) or load its report.")
        if not (m.reason_en or m.reason_zh):
            raise TrackError(f"manual assessment <{m.iri}> (graph <{m.graph}>) has no tck:reason; "
                             "say why, in Chinese and English.")
        if not (m.based_on or m.evidence):
            raise TrackError(f"manual assessment <{m.iri}> (graph <{m.graph}>) names no "
                             "tck:basedOn achievement and no tck:evidence; cite what it rests on.")
        by_target[m.target] = m  # the latest (by prov:generatedAtTime, then IRI) wins
    return by_target


def manual_assessment_files() -> list[Path]:
    """The analyst's manual assessments kept beside the data (``data/assessments/*.ttl``)."""
    return sorted((data_dir() / "assessments").glob("*.ttl"))


def load_manual_assessments(dataset: TckDataset, files: Iterable[Path | str] | None = None) -> None:
    """Add manual-assessment files to the dataset, each in its own named graph."""
    for path in manual_assessment_files() if files is None else [Path(f) for f in files]:
        for name, graph in parse_file(path).graphs.items():
            dataset.store.add_graph(name, graph)
            dataset.sources.setdefault(name, Path(path))


# -- the scorecard ----------------------------------------------------------------------------

def _parse_tolerances(known: dict[str, Decimal],
                      overrides: Mapping[str, Any] | None) -> dict[str, Decimal]:
    out = dict(known)
    for kind, value in (overrides or {}).items():
        if kind not in known and known:
            raise TrackError(f"unknown indicator kind {kind!r} in the tolerances; kinds with a "
                             "tolerance are " + ", ".join(sorted(known)) + ".")
        tol = _dec(value)
        # Decimal reads "nan" and "inf"; comparing a NaN was an internal error
        if tol is None or not tol.is_finite() or tol < 0:
            raise TrackError(f"tolerance for {kind!r} must be a number of at least 0 (a finite "
                             f"number, not nan or inf), not {value!r} (e.g. growth-rate=0.3 "
                             "percentage points, level=0.05 for 5 %).")
        out[kind] = tol
    return out


def _unit_suffix(symbol: str) -> str:
    """How a unit follows a number: 7.5%, 7000 人, 3.5 万吨."""
    return symbol if symbol in ("%", "") else " " + symbol


def _target_text(t: _Obs, look: _Lookup) -> str:
    cmp_ = local_name(t.comparator)
    symbol = look.symbol(t.unit)

    def num(v: Decimal) -> str:
        return fmt_number(v) + _unit_suffix(symbol)

    if t.reference_kind == "indicator":
        word = "高于" if t.operator in ("gt", "ge") else "低于"
        return f"{word}{look.label(t.relative_to)}"
    if t.reference_kind == "benchmark":
        word = "低于" if t.operator == "lt" else "不高于"
        return f"{word}{look.label(t.benchmark_area)}水平"
    if t.reference_kind == "qualitative" or t.qualitative:
        return t.qualitative or look.label(t.comparator)
    if t.value is None:
        return "（无数值）"
    if t.operator == "between" and t.upper is not None:
        return f"{fmt_number(t.value)}–{num(t.upper)}"
    # the comparator's wording in the loaded ontology (tck:wording, e.g. "{value}左右")
    wording = look.rules.wordings.get(cmp_)
    prefix, suffix = wording[0].split("{value}") if wording else ("", look.label(t.comparator))
    # "7.5% 左右" keeps a space after the percent sign; "500 人以上" reads as the report does.
    return f"{prefix}{num(t.value)}{' ' if suffix and symbol == '%' else ''}{suffix}"


def _target_words(t: _Obs, look: _Lookup) -> dict[str, str]:
    """The target's indicator, area and year, as the reason templates name them."""
    return {"indicator": look.label(t.indicator), "indicator_en": look.label(t.indicator, "en"),
            "area": look.label(t.area), "area_en": look.label(t.area, "en"), "year": t.year}


def _result_text(a: _Obs, look: _Lookup) -> str:
    if a.value is not None:
        text = fmt_number(a.value) + _unit_suffix(look.symbol(a.unit))
        qual = local_name(a.qualifier)
        text = {"more-than": f"超过 {text}", "about": f"约 {text}", "nearly": f"近 {text}",
                "at-most": f"{text} 以内"}.get(
            qual, text)
    elif a.relative_to:
        word = "低于" if local_name(a.comparator) == "lower-than-indicator" else "高于"
        text = f"{word}{look.label(a.relative_to)}"
    else:
        text = a.qualitative or ""
    return text + ("（预计）" if a.is_estimate else "")


def _pick(candidates: list[_Obs]) -> _Obs | None:
    """Final figures before estimates, then the latest report, then the IRI."""
    if not candidates:
        return None
    ordered = sorted(candidates, key=lambda a: a.iri)
    ordered.sort(key=lambda a: a.report_date, reverse=True)  # stable: latest report first
    ordered.sort(key=lambda a: bool(a.is_estimate))  # then final figures before estimates
    return ordered[0]


def _convert(a: _Obs, t: _Obs) -> Decimal | None:
    """The result in the target's unit, or None when the units do not convert."""
    if a.value is None:
        return None
    if a.unit == t.unit:
        return a.value
    if None in (a.base_unit, t.base_unit, a.factor, t.factor) or a.base_unit != t.base_unit:
        return None
    return a.value * a.factor / t.factor  # type: ignore[operator]


def _tolerance_abs(t: _Obs, tolerances: Mapping[str, Decimal],
                   look: _Lookup) -> tuple[Decimal, Decimal | None]:
    tol = tolerances.get(local_name(t.kind, KIND))
    if tol is None or t.value is None:
        return Decimal(0), tol
    if not look.flag(t.kind, TCK.toleranceIsRelative):
        return tol, tol
    return _tidy(tol * abs(t.value)), tol


def assessment_iri(target: str) -> URIRef:
    """``…/assessment/<report>/target/<year>/<level>/<indicator>`` for a target IRI."""
    path = local_name(target, REPORT) or "x-" + hashlib.sha1(target.encode("utf-8")).hexdigest()[:16]
    return mint(ASSESSMENT_BASE, path)


def assess(dataset: TckDataset, *, year: str | int | None = None, scope: str | None = None,
           tolerances: Mapping[str, Any] | None = None, now: datetime | None = None,
           use_cache: bool = True) -> Scorecard:
    """Score every target of the dataset (or of one year / plan level or area).

    ``scope`` is a plan level (``district``, ``city`` …) or an area id (``tianyuan``).
    Manual assessments in any graph of the dataset win over computed verdicts.
    Nothing in the dataset is changed; see :func:`add_assessments` to store the verdicts.
    On the persistent store the card is cached under the store's content
    (:mod:`tckg.track.cache`); ``use_cache=False`` computes it afresh.
    """
    if year is not None and not re.fullmatch(r"\d{4}", str(year)):
        raise TrackError(f"--year must be a four-digit year such as 2023, not {year!r}.")
    generated = (now or datetime.now(UTC)).replace(microsecond=0)
    kept = cache.cache_path(dataset, None if year is None else str(year), scope,
                            tolerances) if use_cache else None
    card = cache.read(kept, generated)
    if card is None:
        card = _assess(dataset, year=year, scope=scope, tolerances=tolerances, generated=generated)
        cache.write(kept, card)
    return card


def _assess(dataset: TckDataset, *, year: str | int | None, scope: str | None,
            tolerances: Mapping[str, Any] | None, generated: datetime) -> Scorecard:
    look = _Lookup(dataset.lookup())  # by index on the persistent store, never a corpus copy
    tols = _parse_tolerances(look.kind_tolerances(), tolerances)

    # One row per node even if the data (wrongly) gives a property twice: the first wins.
    # With --year only that year's targets are read (and their accountability chains): at
    # N = 1,000 reports the other years' are most of the work.
    def read_targets(**bindings: Any) -> list[_Obs]:
        by_iri: dict[str, _Obs] = {}
        for row in _run(dataset, "track-targets", **bindings):
            by_iri.setdefault(str(row["target"]), _obs(row, "target"))
        return list(by_iri.values())

    targets = read_targets(**({} if year is None else {"year": str(year)}))
    if scope is not None:
        scopes = {local_name(t.level) for t in targets} | {local_name(t.area) for t in targets}
        if scope not in scopes and year is not None:  # a scope of other years: an empty card
            scopes |= {x for t in read_targets() for x in (local_name(t.level), local_name(t.area))}
        if scope not in scopes:
            raise TrackError(f"unknown --scope {scope!r}; the loaded targets have the plan levels "
                             "and areas " + ", ".join(sorted(s for s in scopes if s)) + ".")
    # Only the results that can answer these targets (the same indicator, area and year, a
    # relative target's other indicator, a benchmark's area) and only the quotes shown: at
    # N = 1,000 reports reading every result and quote was 60 of the 80 s of --year 2022.
    when = None if year is None else str(year)
    achievements: dict[tuple[str, str, str], list[_Obs]] = defaultdict(list)
    seen: set[str] = set()

    def add_results(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            a = _obs(row, "achievement")
            if a.iri not in seen:
                seen.add(a.iri)
                achievements[(a.indicator, a.area, a.year)].append(a)

    add_results(_run(dataset, "track-answers", **({} if when is None else {"year": when})))
    quotes = _quotes(dataset, when)
    manual = _manual_assessments(dataset, {t.iri for t in targets}, look)
    # an analyst's verdict may rest on any result: those that answer no target, one by one
    for m in manual.values():
        for b in m.based_on:
            if b not in seen:
                add_results(_run(dataset, "track-achievements", achievement=b))
                _quotes(dataset, out=quotes, subject=b)

    rows = []
    for t in targets:
        if year is not None and t.year != str(year):
            continue
        if scope is not None and scope not in (local_name(t.level), local_name(t.area)):
            continue
        rows.append(_score(t, achievements, quotes, manual.get(t.iri), tols, look))
    rows = _with_accountability(dataset, rows, year)
    first = {r.target: (r.target_evidence[0].start or 0) if r.target_evidence else 0 for r in rows}
    rows.sort(key=lambda r: (r.year, PLAN_LEVEL_ORDER.get(r.scope, 9), r.target_report or "",
                             first[r.target], r.target))
    reports = tuple(sorted({x for r in rows for x in (r.target_report, r.result_report) if x}))
    return Scorecard(rows, generated, tols, __version__, reports,
                     None if year is None else str(year), scope)


def _with_accountability(dataset: TckDataset, rows: list[ScoreRow],
                         year: str | int | None = None) -> list[ScoreRow]:
    """The rows with their tasks and lead bodies (named query ``accountability``)."""
    from dataclasses import replace

    from tckg.accountability import NOT_STATED, accountability

    chains = accountability(dataset, year=None if year is None else str(year)) if rows else {}
    out = []
    for row in rows:
        chain = chains.get(row.target)
        out.append(replace(row, tasks=chain.task_text if chain else "—",
                           lead_bodies=chain.lead_text if chain else NOT_STATED))
    return out


def _score(t: _Obs, achievements: Mapping[tuple[str, str, str], list[_Obs]],
           quotes: Mapping[str, list[Quote]], manual: _Manual | None,
           tolerances: Mapping[str, Decimal], look: _Lookup) -> ScoreRow:
    unit_symbol = look.symbol(t.unit)
    base: dict[str, Any] = dict(
        target=t.iri, assessment=str(assessment_iri(t.iri)), indicator=t.indicator,
        indicator_label=look.label(t.indicator), indicator_label_en=look.label(t.indicator, "en"),
        kind=local_name(t.kind) or None, polarity=local_name(t.polarity) or None, year=t.year,
        scope=local_name(t.level), scope_label=look.label(t.level), area=t.area,
        area_label=look.label(t.area),
        comparator=local_name(t.comparator), target_text=_target_text(t, look),
        target_value=t.value, target_upper=t.upper, target_unit=unit_symbol or None,
        target_evidence=tuple(quotes.get(t.iri, ())), target_report=t.report,
        target_report_title=look.label(t.report) if t.report else None,
        result_text="", result_value=None)
    a = _pick(achievements.get((t.indicator, t.area, t.year), []))

    def answered(a: _Obs, **extra: Any) -> dict[str, Any]:
        return dict(base, achievement=a.iri, result_text=_result_text(a, look),
                    result_evidence=tuple(quotes.get(a.iri, ())), result_report=a.report,
                    result_report_title=look.label(a.report) if a.report else None,
                    is_estimate=a.is_estimate, based_on=(a.iri,), **extra)

    def verdict(fields_: dict[str, Any], status: str, rule: str, en: str, zh: str,
                **extra: Any) -> ScoreRow:
        if fields_.get("is_estimate"):
            en += " The result is an estimate (预计数)."
            zh += "结果为预计数。"
        return ScoreRow(**dict(fields_, status=status, rule=rule, reason=en, reason_zh=zh,
                               **extra))

    if manual is not None:
        return _manual_row(base, manual, achievements, quotes, look)

    # the reasons of the verdicts without a numeric test: tck:reasonCase in ontology/rules.ttl
    def reason(rule: str, case: str, **values: str) -> tuple[str, str]:
        return look.rules.reason(rule, case, **dict(_target_words(t, look), **values))

    ref = t.reference_kind
    if ref in ("qualitative", "none") or t.operator == "none":
        rule = "qualitative" if ref == "qualitative" else "unquantified"
        fields_ = answered(a) if a is not None else base
        return verdict(fields_, "not-assessable", rule,
                       *reason(rule, "answered" if a is not None else "unanswered",
                               result=fields_["result_text"]))

    if ref == "benchmark":
        return _benchmark(t, a, achievements, quotes, look, base, answered, verdict, reason)
    if ref == "indicator":
        return _relative(t, a, achievements, look, base, answered, verdict, reason)

    if a is None:
        return verdict(base, "no-result", "no-result", *reason("no-result", "result"))
    fields_ = answered(a)
    if t.value is None:
        return verdict(fields_, "not-assessable", "no-number", *reason("no-number", "target"))
    if a.value is None:
        return verdict(fields_, "not-assessable", "no-number",
                       *reason("no-number", "result", result=fields_["result_text"]))
    r = _convert(a, t)
    if r is None:
        return verdict(fields_, "not-assessable", "incomparable-units",
                       *reason("incomparable-units", "result", result_unit=look.symbol(a.unit),
                               result_unit_en=look.label(a.unit, "en"), target_unit=unit_symbol))
    r = _tidy(r)
    tol_abs, tol_cfg = _tolerance_abs(t, tolerances, look)
    in_percent = t.unit in PERCENT_UNITS
    gap_unit = "个百分点" if in_percent else unit_symbol or None
    j = look.rules.judge(t.operator or "eq", t.polarity, t.value, r, upper=t.upper, tolerance=tol_abs,
              bias=look.bias(a.qualifier),
              unit=_unit_suffix(unit_symbol), percent=in_percent)
    if t.operator == "between" and t.upper is not None:
        gap = r - t.value if r < t.value else r - t.upper if r > t.upper else Decimal(0)
    else:
        gap = r - t.value
    share = None  # "105 of 100 talents": meaningful where more is better and the target is one number
    if (look.flag(t.kind, TCK.reportsShareReached) and t.value > 0 and t.upper is None
            and local_name(t.polarity) != "lower-is-better"):
        share = (r / t.value).quantize(Decimal("0.0001"))
    extra_en = extra_zh = ""
    qualifier = local_name(a.qualifier)
    if qualifier in ("more-than", "nearly"):
        extra_en += (" The result is hedged (" + ("余/超过, more than" if qualifier == "more-than"
                     else "近, nearly") + "): at its bound it counts as just "
                     + ("above." if qualifier == "more-than" else "below."))
        extra_zh += ("结果带限定词“" + ("余/超过" if qualifier == "more-than" else "近")
                     + "”，恰在界限上时视为略" + ("高" if qualifier == "more-than" else "低")
                     + "于该数。")
    if a.unit != t.unit:
        extra_en = (f" The result {fmt_number(a.value)} {look.symbol(a.unit)} is "
                    f"{fmt_number(r)} {unit_symbol} in the target's unit.")
        extra_zh = (f"结果 {fmt_number(a.value)} {look.symbol(a.unit)} 折合 {fmt_number(r)} "
                    f"{unit_symbol}。")
    return verdict(dict(fields_, result_value=r), j.status, j.rule, j.reason + extra_en,
                   j.reason_zh + extra_zh, gap=_tidy(gap), gap_unit=gap_unit,
                   share_reached=share, tolerance=tol_cfg if j.uses_tolerance else None)


def _relative(t: _Obs, a: _Obs | None, achievements: Mapping[tuple[str, str, str], list[_Obs]],
              look: _Lookup, base: dict[str, Any], answered: Any, verdict: Any,
              reason: Any) -> ScoreRow:
    other = look.label(t.relative_to)
    other_en = look.label(t.relative_to, "en")
    want_higher = t.operator in ("gt", "ge")
    if a is None:
        return verdict(base, "no-result", "no-result", *reason("no-result", "result"))
    b = _pick([x for x in achievements.get((t.relative_to or "", t.area, t.year), [])
               if x.value is not None])
    if a.value is not None and b is not None and b.value is not None:
        rb = _convert(b, a) if b.unit != a.unit else b.value
        if rb is not None:
            fields_ = answered(a)
            fields_["based_on"] = (a.iri, b.iri)
            sym = _unit_suffix(look.symbol(a.unit))
            c = compare(a.value, look.bias(a.qualifier), rb)
            ok = c > 0 if want_higher else c < 0
            fields_["result_text"] = f"{fields_['result_text']}（{other} {fmt_number(rb)}{sym}）"
            gap_unit = _gap_unit(look, a.unit)
            return verdict(fields_, "met" if ok else "missed", "relative-results",
                           *reason("relative-results", {1: "above", -1: "below", 0: "equal"}[c],
                                   r=fmt_number(a.value) + sym, rb=fmt_number(rb) + sym,
                                   other=other, other_en=other_en),
                           gap=_tidy(a.value - rb), gap_unit=gap_unit)
    if a.relative_to == t.relative_to and a.comparator is not None:
        stated = local_name(a.comparator)
        fields_ = answered(a)
        same = stated == local_name(t.comparator)
        opposite = stated in ("higher-than-indicator", "lower-than-indicator") and not same
        if same or opposite:
            return verdict(fields_, "met" if same else "missed", "relative-stated",
                           *reason("relative-stated", "stated", result=fields_["result_text"]))
    fields_ = answered(a)
    return verdict(fields_, "not-assessable", "missing-reference",
                   *reason("missing-reference", "indicator", other=other, other_en=other_en))


def _benchmark(t: _Obs, a: _Obs | None, achievements: Mapping[tuple[str, str, str], list[_Obs]],
               quotes: Mapping[str, list[Quote]], look: _Lookup, base: dict[str, Any],
               answered: Any, verdict: Any, reason: Any) -> ScoreRow:
    area, area_en = look.label(t.benchmark_area), look.label(t.benchmark_area, "en")
    b = _pick([x for x in achievements.get((t.indicator, t.benchmark_area or "", t.year), [])
               if x.value is not None])
    if b is None:
        fields_ = answered(a) if a is not None else base
        return verdict(fields_, "not-assessable", "missing-reference",
                       *reason("missing-reference", "benchmark", benchmark=area,
                               benchmark_en=area_en))
    if a is None or a.value is None:
        return verdict(base, "no-result", "no-result", *reason("no-result", "numeric-result"))
    rb = _convert(b, a)
    fields_ = answered(a)
    if rb is None:
        return verdict(fields_, "not-assessable", "incomparable-units",
                       *reason("incomparable-units", "benchmark",
                               benchmark_unit=look.symbol(b.unit), result_unit=look.symbol(a.unit)))
    sym = _unit_suffix(look.symbol(a.unit))
    fields_["based_on"] = (a.iri, b.iri)
    fields_["result_text"] = f"{fields_['result_text']}（{area} {fmt_number(rb)}{sym}）"
    c = compare(a.value, look.bias(a.qualifier), rb)
    ok = c < 0 if t.operator == "lt" else c <= 0
    gap_unit = _gap_unit(look, a.unit)
    return verdict(fields_, "met" if ok else "missed", "benchmark",
                   *reason("benchmark", "below" if t.operator == "lt" else "not-above",
                           r=fmt_number(a.value) + sym, rb=fmt_number(rb) + sym,
                           benchmark=area, benchmark_en=area_en),
                   gap=_tidy(a.value - rb), gap_unit=gap_unit)


def _manual_row(base: dict[str, Any], m: _Manual,
                achievements: Mapping[tuple[str, str, str], list[_Obs]],
                quotes: Mapping[str, list[Quote]], look: _Lookup) -> ScoreRow:
    by_iri = {a.iri: a for group in achievements.values() for a in group}
    based = [by_iri[b] for b in m.based_on if b in by_iri]
    fields_ = dict(base)
    evidence: list[Quote] = list(quotes.get(m.iri, ()))
    if based:
        a = based[0]
        fields_.update(achievement=a.iri, result_text=_result_text(a, look),
                       result_report=a.report, is_estimate=a.is_estimate,
                       result_report_title=look.label(a.report) if a.report else None)
        for b in based:
            evidence += [q for q in quotes.get(b.iri, ()) if q not in evidence]
    if not fields_.get("result_report") and evidence and evidence[0].report:
        fields_["result_report"] = evidence[0].report
        fields_["result_report_title"] = look.label(evidence[0].report)
    return ScoreRow(**dict(fields_, result_evidence=tuple(evidence), based_on=tuple(m.based_on),
                           status=m.status, rule="manual", is_manual=True,
                           manual_assessment=m.iri,
                           reason=m.reason_en or m.reason_zh, reason_zh=m.reason_zh or m.reason_en))


