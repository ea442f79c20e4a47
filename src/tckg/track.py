"""Were the targets met? Verdicts on every target, explained, as a typed scorecard and as RDF.

A target is answered by the achievement (result) of the **same indicator, area and year**,
stated in **any** loaded report: this report's review of last year answers last year's plan,
and next year's report answers this year's targets. When several results answer one target,
a final figure is preferred to an estimate (预计数), then the latest report, then the IRI.

Values are compared in the target's unit after converting the result through the unit
scheme (``tck:baseUnit`` and ``tck:conversionFactor`` in ``ontology/units.ttl``): 34,500 t
against 3.5 万吨 is 3.45 万吨 against 3.5 万吨. Units with different base units (人 and 万吨,
percent and percentage points) are not comparable, and the verdict says so.

Statuses (``status:…`` in ``ontology/schemes.ttl``):
``met``, ``met-within-tolerance``, ``missed``, ``no-result`` (nothing answers the target yet),
``not-assessable`` (with the reason: a benchmark outside the data, a qualitative or
unquantified target, incomparable units).

Rules: the comparator's operator (``tck:operator``) and the indicator's polarity decide.

============  ===================  ============================================================
operator      polarity             verdict (r = result, t = target, tol = tolerance)
============  ===================  ============================================================
approx 左右    higher-is-better     r >= t met; t - tol <= r < t met-within-tolerance; else missed
approx 左右    lower-is-better      a ceiling: r <= t met; t < r <= t + tol within tolerance
approx 左右    neutral              r = t met; abs(r - t) <= tol within tolerance; else missed
eq 达到        higher-is-better     a floor: r >= t met, else missed
eq 达到        lower-is-better      a ceiling: r <= t met, else missed
eq 达到        neutral              r = t met; abs(r - t) <= tol within tolerance; else missed
ge 以上/力争    any                  r >= t met (力争 is a floor too, marked aspirational)
gt 超过        any                  r > t met
le 以内        any                  r <= t met
lt 低于        any                  r < t met
between 区间   higher-is-better     r >= lower bound met (above the range still met)
between 区间   lower-is-better      r <= upper bound met (below the range still met)
between 区间   neutral              lower <= r <= upper met
============  ===================  ============================================================

A tolerance applies only where the table says so ("approximately", and a neutral point).
Its default comes from ``tck:tolerance`` on the indicator kind (``ontology/schemes.ttl``):
0.5 percentage points for growth rates and shares (absolute, in the target's unit), 5 % of
the target for levels and counts (relative), 0 for ranks. ``tolerances={"growth-rate": 0.3}``
(CLI ``--tolerance growth-rate=0.3``) overrides a kind. A result hedged with 余/超过
(``qual:more-than``) or 近 (``qual:nearly``) counts as just above or just below its number
when it equals the bound.

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
percent targets) and, for level and count targets, the share of the target reached
(105 talents against 100 = 1.05). :meth:`Scorecard.to_graph` turns the verdicts into
``tck:Assessment`` resources with PROV-O provenance for the named graph
``namespaces.ASSESSMENT_GRAPH``; report graphs are never edited.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from tckg import __version__
from tckg.errors import TckgError
from tckg.io.paths import data_dir
from tckg.io.write import atomic_write_text
from tckg.namespaces import (
    ASSESSMENT_GRAPH,
    BASE,
    REPORT,
    RULE,
    SCHEMA,
    STATUS,
    TCK,
    bind_prefixes,
)
from tckg.store.load import TckDataset, parse_file

ASSESSMENT_BASE = f"{BASE}assessment/"
SOFTWARE = URIRef(f"{BASE}software/tckg")

STATUSES: dict[str, tuple[str, str]] = {  # notation -> (zh, en); mirrors status:… in schemes.ttl
    "met": ("达成", "met"),
    "met-within-tolerance": ("在容差内达成", "met within tolerance"),
    "missed": ("未达成", "missed"),
    "no-result": ("尚无结果", "no result yet"),
    "not-assessable": ("无法评估", "not assessable"),
}

# The rules a verdict can rest on; written with their labels into the assessment graph so a
# SPARQL user reading tck:rule sees what each means.
RULES: dict[str, tuple[str, str, str]] = {  # notation -> (zh, en, definition)
    "approx-floor": ("左右（越高越好）", "approximately, higher is better",
                     "Met at or above the target; met within tolerance up to the tolerance "
                     "below it; missed further below."),
    "approx-ceiling": ("左右（越低越好）", "approximately, lower is better",
                       "A ceiling: met at or below the target; met within tolerance up to the "
                       "tolerance above it; missed further above."),
    "approx-band": ("左右（中性）", "approximately, neutral",
                    "Met at the target; met within tolerance either side; missed beyond."),
    "point-floor": ("达到（越高越好）", "point target, higher is better",
                    "A floor: met at or above the target, missed below."),
    "point-ceiling": ("达到（越低越好）", "point target, lower is better",
                      "A ceiling: met at or below the target, missed above."),
    "point-band": ("达到（中性）", "point target, neutral",
                   "Met at the target; met within tolerance either side; missed beyond."),
    "at-least": ("以上", "at least", "Met when the result is at least the target."),
    "more-than": ("超过", "more than", "Met when the result exceeds the target."),
    "at-most": ("以内", "at most", "Met when the result is at most the target."),
    "below": ("低于", "below", "Met when the result is below the target."),
    "range-floor": ("区间（越高越好）", "range, higher is better",
                    "Met at or above the lower bound (above the range is still met)."),
    "range-ceiling": ("区间（越低越好）", "range, lower is better",
                      "Met at or below the upper bound (below the range is still met)."),
    "range-band": ("区间（中性）", "range, neutral", "Met within the bounds inclusive."),
    "relative-results": ("相对目标：比较两项结果", "relative target: results compared",
                         "Met when the result exceeds (or falls below) the result of the other "
                         "indicator for the same area and year."),
    "relative-stated": ("相对目标：报告以相对方式陈述", "relative target: stated in relative terms",
                        "Decided by a result the report states in the same relative terms."),
    "benchmark": ("外部基准", "outside benchmark",
                  "Compared with the same indicator's result for the benchmark area and year."),
    "manual": ("人工评估", "manual assessment", "Recorded by an analyst with evidence."),
    "no-result": ("尚无结果", "no result", "No achievement answers the target yet."),
    "incomparable-units": ("单位不可比", "incomparable units",
                           "The result's unit cannot be converted to the target's unit."),
    "no-number": ("结果无数值", "result without a number",
                  "The result is stated without a number, so a numeric target cannot be "
                  "scored."),
    "missing-reference": ("缺少参照结果", "reference result missing",
                          "The other indicator's or benchmark's result is not in the data."),
    "qualitative": ("定性目标", "qualitative target",
                    "A level stated in words; needs a manual assessment."),
    "unquantified": ("无数值目标", "unquantified target",
                     "A commitment without a number; needs a manual assessment."),
}

# Kinds whose tolerance is absolute in the target's unit (percentage points, rank places);
# for every other kind tck:tolerance is a fraction of the target (tck:tolerance's comment).
ABSOLUTE_TOLERANCE_KINDS = frozenset({"growth-rate", "share", "rank", "rank-change"})
SHARE_KINDS = frozenset({"level", "count"})
PLAN_LEVEL_ORDER = {"district": 0, "zone": 1, "city": 2, "province": 3, "nation": 4}
PERCENT_UNITS = frozenset({f"{BASE}unit/percent", f"{BASE}unit/percentage-point"})

# How targets read: (prefix, suffix) around "value unit", as the reports write them.
COMPARATOR_WORDS: dict[str, tuple[str, str]] = {
    "approximately": ("", "左右"),
    "at-least": ("", "以上"),
    "more-than": ("超过 ", ""),
    "at-most": ("", "以内"),
    "below": ("低于 ", ""),
    "point": ("", ""),
    "strive-for": ("力争 ", ""),
}


class TrackError(TckgError):
    """A request or a manual assessment the scorecard cannot use; the message says what to fix."""


# -- the typed result -------------------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """One verbatim passage of a report that states a target or a result."""

    text: str
    evidence: str
    start: int | None = None
    end: int | None = None
    report: str | None = None


@dataclass(frozen=True)
class ScoreRow:
    """The verdict on one target, with everything needed to check it by hand."""

    target: str
    assessment: str
    indicator: str
    indicator_label: str
    indicator_label_en: str
    kind: str | None
    polarity: str | None
    year: str
    scope: str
    scope_label: str
    area: str
    area_label: str
    comparator: str
    target_text: str
    target_value: Decimal | None
    target_upper: Decimal | None
    target_unit: str | None
    result_text: str
    result_value: Decimal | None
    status: str
    rule: str
    reason: str
    reason_zh: str
    gap: Decimal | None = None
    gap_unit: str | None = None
    share_reached: Decimal | None = None
    tolerance: Decimal | None = None
    is_manual: bool = False
    is_estimate: bool | None = None
    achievement: str | None = None
    based_on: tuple[str, ...] = ()
    target_evidence: tuple[Quote, ...] = ()
    result_evidence: tuple[Quote, ...] = ()
    target_report: str | None = None
    result_report: str | None = None
    target_report_title: str | None = None
    result_report_title: str | None = None
    manual_assessment: str | None = None
    # the accountability chain (tckg.accountability): the parts that serve the target, as
    # "task area › measure (stated|inferred)", and the bodies the text makes them lead;
    # "not stated" when the report names none (never the issuing government by default)
    tasks: str = ""
    lead_bodies: str = ""

    @property
    def status_iri(self) -> URIRef:
        return STATUS[self.status]

    @property
    def rule_iri(self) -> URIRef:
        return RULE[self.rule]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status][0]

    @property
    def status_label_en(self) -> str:
        return STATUSES[self.status][1]

    @property
    def gap_text(self) -> str:
        if self.gap is None:
            return ""
        sign = "+" if self.gap > 0 else ""
        return f"{sign}{fmt_number(self.gap)}{' ' + self.gap_unit if self.gap_unit else ''}"

    @property
    def share_text(self) -> str:
        if self.share_reached is None:
            return ""
        return f"{fmt_number((self.share_reached * 100).quantize(Decimal('0.1')))}%"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, tuple):
                value = [q.__dict__ if isinstance(q, Quote) else q for q in value]
            out[f.name] = value
        out["status_label"] = self.status_label
        out["status_label_en"] = self.status_label_en
        out["share_text"] = self.share_text
        out["gap_text"] = self.gap_text
        return out


CSV_COLUMNS = ("indicator_label", "indicator_label_en", "year", "scope", "area_label",
               "target_text", "result_text", "status", "gap", "gap_unit", "share_reached",
               "reason", "target_evidence", "result_evidence", "is_manual", "tasks",
               "lead_bodies", "target", "achievement", "target_report", "result_report")


@dataclass
class Scorecard:
    """Verdicts on targets, in reading order (year, plan level, place in the report)."""

    rows: list[ScoreRow]
    generated_at: datetime
    tolerances: dict[str, Decimal]
    version: str
    reports: tuple[str, ...] = ()
    year: str | None = None
    scope: str | None = None

    def __iter__(self) -> Iterator[ScoreRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def counts(self) -> dict[str, int]:
        """How many targets have each status (every status listed, zero included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    status_counts = counts  # the name build.py uses

    def get(self, indicator: str, year: str | int, scope: str = "district") -> ScoreRow:
        """The row of one target by indicator id (``gdp-growth``), year and plan level."""
        for row in self.rows:
            if (row.indicator.rsplit("/", 1)[-1] == indicator and row.year == str(year)
                    and row.scope == scope):
                return row
        raise KeyError(f"no target {year}/{scope}/{indicator} in the scorecard")

    def to_json(self) -> str:
        return json.dumps({
            "generated_at": self.generated_at.isoformat(),
            "tckg_version": self.version,
            "tolerances": {k: float(v) for k, v in sorted(self.tolerances.items())},
            "year": self.year, "scope": self.scope,
            "counts": self.counts(),
            "rows": [row.to_dict() for row in self.rows],
        }, ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.rows:
            values = []
            for name in CSV_COLUMNS:
                value = getattr(row, name)
                if name.endswith("_evidence"):
                    value = " | ".join(q.text for q in value)
                elif isinstance(value, Decimal):
                    value = fmt_number(value)
                elif value is None:
                    value = ""
                values.append(value)
            writer.writerow(values)
        return buf.getvalue()

    def to_graph(self) -> Graph:
        """The verdicts as tck:Assessment resources with PROV-O (for ASSESSMENT_GRAPH)."""
        return assessment_graph(self)


# -- numbers ----------------------------------------------------------------------------------

def fmt_number(value: Decimal) -> str:
    """A decimal as people write it: 7.5, 7000, -10.98 (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _tidy(value: Decimal) -> Decimal:
    """Round to 6 places and drop trailing zeros, never into exponent form (-1E+2 is not a
    valid xsd:decimal lexical form)."""
    value = value.quantize(Decimal("0.000001"))
    return Decimal(0) if value == 0 else Decimal(format(value.normalize(), "f"))


def _dec(term: Any) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(str(term))
    except (InvalidOperation, ValueError):
        return None


def _cmp(result: Decimal, bias: int, bound: Decimal) -> int:
    """Compare a (possibly hedged) result with a bound: -1, 0 or 1.

    ``bias`` is +1 for 余/超过 (the true figure is above the number), -1 for 近 (just
    below), 0 otherwise; it only matters when the number equals the bound.
    """
    if result != bound:
        return 1 if result > bound else -1
    return bias


@dataclass(frozen=True)
class Judgement:
    status: str
    rule: str
    reason: str
    reason_zh: str


def judge(operator: str, polarity: str | None, target: Decimal, result: Decimal, *,
          upper: Decimal | None = None, tolerance: Decimal = Decimal(0), bias: int = 0,
          unit: str = "", percent: bool = False) -> Judgement:
    """Decide a numeric target: comparator operator x polarity x tolerance (see module doc).

    ``target``, ``upper``, ``result`` and ``tolerance`` are in the same unit (the target's);
    ``tolerance`` is absolute. ``unit`` (as written after a number, e.g. ``%`` or `` 万吨``)
    and ``percent`` (differences are percentage points) only shape the explanation.
    """
    pol = (polarity or "higher-is-better").rsplit("/", 1)[-1]
    # Differences are written once with a marker, then in each language's words for the unit.
    du = "\u241f"
    du_en = " percentage points" if percent else unit
    du_zh = " 个百分点" if percent else unit
    r, t = fmt_number(result) + unit, fmt_number(target) + unit
    d = fmt_number(abs(result - target))
    tol = fmt_number(tolerance)
    c = _cmp(result, bias, target)

    def j(status: str, rule: str, en: str, zh: str) -> Judgement:
        return Judgement(status, rule, en.replace(du, du_en), zh.replace(du, du_zh))

    if operator == "approx":
        if pol == "lower-is-better":
            if c <= 0:
                return j("met", "approx-ceiling", f"{r} is at or below the ceiling {t} "
                         "(approximately; lower is better).",
                         f"{r} 不高于目标 {t} 左右（越低越好，左右视为上限）。")
            if result - target <= tolerance:
                return j("met-within-tolerance", "approx-ceiling",
                         f"{r} is {d}{du} above {t}, within the tolerance of {tol}{du}.",
                         f"{r} 高于目标 {t} {d}{du}，在容差 {tol}{du}以内。")
            return j("missed", "approx-ceiling",
                     f"{r} is {d}{du} above {t}, beyond the tolerance of {tol}{du}.",
                     f"{r} 高于目标 {t} {d}{du}，超出容差 {tol}{du}。")
        if pol == "neutral":
            if c == 0:
                return j("met", "approx-band", f"{r} equals {t}.", f"{r} 与目标 {t} 持平。")
            if abs(result - target) <= tolerance:
                return j("met-within-tolerance", "approx-band",
                         f"{r} is {d}{du} from {t}, within the tolerance of {tol}{du}.",
                         f"{r} 与目标 {t} 相差 {d}{du}，在容差 {tol}{du}以内。")
            return j("missed", "approx-band",
                     f"{r} is {d}{du} from {t}, beyond the tolerance of {tol}{du}.",
                     f"{r} 与目标 {t} 相差 {d}{du}，超出容差 {tol}{du}。")
        if c >= 0:
            return j("met", "approx-floor", f"{r} is at or above the target {t} (approximately).",
                     f"{r} 达到或超过目标 {t} 左右。")
        if target - result <= tolerance:
            return j("met-within-tolerance", "approx-floor",
                     f"{r} is {d}{du} below {t}, within the tolerance of {tol}{du}.",
                     f"{r} 低于目标 {t} {d}{du}，在容差 {tol}{du}以内。")
        return j("missed", "approx-floor",
                 f"{r} is {d}{du} below {t}, beyond the tolerance of {tol}{du}.",
                 f"{r} 低于目标 {t} {d}{du}，超出容差 {tol}{du}。")

    if operator == "eq":
        if pol == "lower-is-better":
            if c <= 0:
                return j("met", "point-ceiling", f"{r} is at or below {t} (a ceiling: lower is "
                         "better).", f"{r} 不高于目标 {t}（越低越好，视为上限）。")
            return j("missed", "point-ceiling", f"{r} is {d}{du} above the ceiling {t}.",
                     f"{r} 高于目标 {t} {d}{du}。")
        if pol == "neutral":
            if c == 0:
                return j("met", "point-band", f"{r} equals {t}.", f"{r} 与目标 {t} 持平。")
            if abs(result - target) <= tolerance:
                return j("met-within-tolerance", "point-band",
                         f"{r} is {d}{du} from {t}, within the tolerance of {tol}{du}.",
                         f"{r} 与目标 {t} 相差 {d}{du}，在容差 {tol}{du}以内。")
            return j("missed", "point-band", f"{r} is {d}{du} from {t}.",
                     f"{r} 与目标 {t} 相差 {d}{du}。")
        if c >= 0:
            return j("met", "point-floor", f"{r} is at or above {t} (a floor: higher is better).",
                     f"{r} 达到或超过目标 {t}（越高越好，视为下限）。")
        return j("missed", "point-floor", f"{r} is {d}{du} below the target {t}.",
                 f"{r} 低于目标 {t} {d}{du}。")

    simple = {"ge": ("at-least", c >= 0, "at least", "不低于"),
              "gt": ("more-than", c > 0, "more than", "高于"),
              "le": ("at-most", c <= 0, "at most", "不高于"),
              "lt": ("below", c < 0, "below", "低于")}
    if operator in simple:
        rule, ok, words, words_zh = simple[operator]
        if ok:
            return j("met", rule, f"{r} is {words} {t}.", f"{r} {words_zh}目标 {t}。")
        return j("missed", rule, f"{r} is not {words} {t} (off by {d}{du}).",
                 f"{r} 未达到“{words_zh} {t}”（相差 {d}{du}）。")

    if operator == "between":
        hi = upper if upper is not None else target
        h = fmt_number(hi) + unit
        lo_c, hi_c = c, _cmp(result, bias, hi)
        inside = lo_c >= 0 and hi_c <= 0
        if pol == "lower-is-better":
            ok, rule = hi_c <= 0, "range-ceiling"
        elif pol == "neutral":
            ok, rule = inside, "range-band"
        else:
            ok, rule = lo_c >= 0, "range-floor"
        where = ("within" if inside else "above" if hi_c > 0 else "below")
        where_zh = {"within": "在区间内", "above": "高于区间上限", "below": "低于区间下限"}[where]
        return j("met" if ok else "missed", rule,
                 f"{r} is {where} the range {t}–{h}.", f"{r} {where_zh}（{t}–{h}）。")

    raise TrackError(f"unknown comparator operator {operator!r}; tckg knows approx, eq, ge, gt, "
                     "le, lt, between and none (tck:operator in ontology/schemes.ttl).")


# -- reading the data -------------------------------------------------------------------------

def _run(dataset: TckDataset, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Rows of terms of a named query, through the one runner (and so through the store seam).

    In this process and without a row cap: track's own queries are fixed, not user text."""
    from tckg.sparql.run import query

    result = query(name, dataset, params=bindings or None, timeout=0, max_rows=sys.maxsize)
    return [dict(zip(result.columns, row, strict=True)) for row in result.terms]


def _local(iri: Any) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri is not None else ""


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
        return _local(node)

    def symbol(self, unit: str | None) -> str:
        if not unit:
            return ""
        value = self.g.value(URIRef(unit), TCK.symbol)
        return str(value) if value is not None else _local(unit)

    def kind_tolerances(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for kind in self.g.subjects(RDF.type, TCK.IndicatorKind):
            tol = _dec(self.g.value(kind, TCK.tolerance))
            if tol is not None:
                out[_local(kind)] = tol
        return out


def _quotes(dataset: TckDataset) -> dict[str, list[Quote]]:
    out: dict[str, list[Quote]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for row in _run(dataset, "track-evidence"):
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


def _manual_assessments(dataset: TckDataset, targets: set[str]) -> dict[str, _Manual]:
    found: dict[str, _Manual] = {}
    # GRAPH ?graph names the file a bad record came from, so this one runs on the dataset
    for row in _run(dataset, "track-manual"):
        iri = str(row["assessment"])
        if iri.startswith(ASSESSMENT_BASE):
            continue  # tckg's own copy of a manual verdict (a loaded assessments.ttl)
        graph = str(row["graph"])
        m = found.get(iri)
        if m is None:
            status = row.get("status")
            if status is None or not str(status).startswith(str(STATUS)) \
                    or _local(status) not in STATUSES:
                raise TrackError(
                    f"manual assessment <{iri}> (graph <{graph}>) has tck:status "
                    f"{'<' + str(status) + '>' if status is not None else 'missing'}; give one of "
                    + ", ".join(f"status:{s}" for s in STATUSES) + ".")
            m = found[iri] = _Manual(iri, graph, str(row["target"]), _local(status),
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
        if m.target not in targets:
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
        if tol is None or tol < 0:
            raise TrackError(f"tolerance for {kind!r} must be a number of at least 0, not "
                             f"{value!r} (e.g. growth-rate=0.3 percentage points, level=0.05 "
                             "for 5 %).")
        out[kind] = tol
    return out


def _unit_suffix(symbol: str) -> str:
    """How a unit follows a number: 7.5%, 7000 人, 3.5 万吨."""
    return symbol if symbol in ("%", "") else " " + symbol


def _target_text(t: _Obs, look: _Lookup) -> str:
    cmp_ = _local(t.comparator)
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
    prefix, suffix = COMPARATOR_WORDS.get(cmp_, ("", look.label(t.comparator)))
    # "7.5% 左右" keeps a space after the percent sign; "500 人以上" reads as the report does.
    return f"{prefix}{num(t.value)}{' ' if suffix and symbol == '%' else ''}{suffix}"


def _result_text(a: _Obs, look: _Lookup) -> str:
    if a.value is not None:
        text = fmt_number(a.value) + _unit_suffix(look.symbol(a.unit))
        qual = _local(a.qualifier)
        text = {"more-than": f"超过 {text}", "about": f"约 {text}", "nearly": f"近 {text}"}.get(
            qual, text)
    elif a.relative_to:
        word = "低于" if _local(a.comparator) == "lower-than-indicator" else "高于"
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


def _tolerance_abs(t: _Obs, tolerances: Mapping[str, Decimal]) -> tuple[Decimal, Decimal | None]:
    kind = _local(t.kind)
    tol = tolerances.get(kind)
    if tol is None or t.value is None:
        return Decimal(0), tol
    if kind in ABSOLUTE_TOLERANCE_KINDS:
        return tol, tol
    return _tidy(tol * abs(t.value)), tol


def assessment_iri(target: str) -> URIRef:
    """``…/assessment/<report>/target/<year>/<level>/<indicator>`` for a target IRI."""
    path = target[len(str(REPORT)):] if target.startswith(str(REPORT)) else \
        "x-" + hashlib.sha1(target.encode("utf-8")).hexdigest()[:16]
    return URIRef(ASSESSMENT_BASE + path)


def assess(dataset: TckDataset, *, year: str | int | None = None, scope: str | None = None,
           tolerances: Mapping[str, Any] | None = None, now: datetime | None = None) -> Scorecard:
    """Score every target of the dataset (or of one year / plan level or area).

    ``scope`` is a plan level (``district``, ``city`` …) or an area id (``tianyuan``).
    Manual assessments in any graph of the dataset win over computed verdicts.
    Nothing in the dataset is changed; see :func:`add_assessments` to store the verdicts.
    """
    if year is not None and not re.fullmatch(r"\d{4}", str(year)):
        raise TrackError(f"--year must be a four-digit year such as 2023, not {year!r}.")
    # One plain graph of everything: rdflib's Dataset warns (DeprecationWarning) on every
    # pattern it matches, which costs more than the copy.
    lookup = getattr(dataset.store, "lookup_graph", None)  # the persistent store: by index
    union = lookup() if lookup is not None else dataset.union()
    look = _Lookup(union)
    tols = _parse_tolerances(look.kind_tolerances(), tolerances)
    generated = (now or datetime.now(UTC)).replace(microsecond=0)

    # one row per node even if the data (wrongly) gives a property twice: the first wins
    by_iri: dict[str, _Obs] = {}
    for row in _run(dataset, "track-targets"):
        by_iri.setdefault(str(row["target"]), _obs(row, "target"))
    targets = list(by_iri.values())
    if scope is not None:
        scopes = {_local(t.level) for t in targets} | {_local(t.area) for t in targets}
        if scope not in scopes:
            raise TrackError(f"unknown --scope {scope!r}; the loaded targets have the plan levels "
                             "and areas " + ", ".join(sorted(s for s in scopes if s)) + ".")
    achievements: dict[tuple[str, str, str], list[_Obs]] = defaultdict(list)
    seen: set[str] = set()
    for row in _run(dataset, "track-achievements"):
        a = _obs(row, "achievement")
        if a.iri not in seen:
            seen.add(a.iri)
            achievements[(a.indicator, a.area, a.year)].append(a)
    quotes = _quotes(dataset)
    manual = _manual_assessments(dataset, {t.iri for t in targets})

    rows = []
    for t in targets:
        if year is not None and t.year != str(year):
            continue
        if scope is not None and scope not in (_local(t.level), _local(t.area)):
            continue
        rows.append(_score(t, achievements, quotes, manual.get(t.iri), tols, look))
    rows = _with_accountability(dataset, rows)
    first = {r.target: (r.target_evidence[0].start or 0) if r.target_evidence else 0 for r in rows}
    rows.sort(key=lambda r: (r.year, PLAN_LEVEL_ORDER.get(r.scope, 9), r.target_report or "",
                             first[r.target], r.target))
    reports = tuple(sorted({x for r in rows for x in (r.target_report, r.result_report) if x}))
    return Scorecard(rows, generated, tols, __version__, reports,
                     None if year is None else str(year), scope)


def _with_accountability(dataset: TckDataset, rows: list[ScoreRow]) -> list[ScoreRow]:
    """The rows with their tasks and lead bodies (named query ``accountability``)."""
    from dataclasses import replace

    from tckg.accountability import NOT_STATED, accountability

    chains = accountability(dataset) if rows else {}
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
        kind=_local(t.kind) or None, polarity=_local(t.polarity) or None, year=t.year,
        scope=_local(t.level), scope_label=look.label(t.level), area=t.area,
        area_label=look.label(t.area),
        comparator=_local(t.comparator), target_text=_target_text(t, look),
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

    ref = t.reference_kind
    if ref in ("qualitative", "none") or t.operator == "none":
        rule = "qualitative" if ref == "qualitative" else "unquantified"
        fields_ = answered(a) if a is not None else base
        said = f" The result is stated as “{fields_['result_text']}”." if a is not None else ""
        said_zh = f"结果表述为“{fields_['result_text']}”。" if a is not None else ""
        en = ("A qualitative target (a level stated in words) is not scored automatically; "
              if rule == "qualitative" else
              "The target has no number, so it cannot be scored automatically; ")
        zh = "定性目标不自动评估；" if rule == "qualitative" else "目标无数值，无法自动评估；"
        return verdict(fields_, "not-assessable", rule,
                       en + "record a manual assessment (tck:isManual true) with evidence." + said,
                       zh + "请以人工评估（tck:isManual true）附证据记录。" + said_zh)

    if ref == "benchmark":
        return _benchmark(t, a, achievements, quotes, look, base, answered, verdict)
    if ref == "indicator":
        return _relative(t, a, achievements, look, base, answered, verdict)

    if a is None:
        return verdict(base, "no-result", "no-result",
                       f"No loaded report states a result for {look.label(t.indicator, 'en')} "
                       f"in {look.label(t.area, 'en')}, {t.year}.",
                       f"尚无报告陈述{look.label(t.area)} {t.year} 年"
                       f"{look.label(t.indicator)}的结果。")
    fields_ = answered(a)
    if t.value is None:
        return verdict(fields_, "not-assessable", "no-number", "The target has no number.",
                       "目标无数值。")
    if a.value is None:
        return verdict(fields_, "not-assessable", "no-number",
                       f"The result is stated without a number (“{fields_['result_text']}”).",
                       f"结果无数值（“{fields_['result_text']}”）。")
    r = _convert(a, t)
    if r is None:
        return verdict(fields_, "not-assessable", "incomparable-units",
                       f"The result's unit {look.symbol(a.unit)} ({look.label(a.unit, 'en')}) "
                       f"does not convert to the target's unit {unit_symbol}: their base units "
                       "differ in ontology/units.ttl.",
                       f"结果单位“{look.symbol(a.unit)}”无法换算为目标单位“{unit_symbol}”"
                       "（基本单位不同）。")
    r = _tidy(r)
    tol_abs, tol_cfg = _tolerance_abs(t, tolerances)
    in_percent = t.unit in PERCENT_UNITS
    gap_unit = "个百分点" if in_percent else unit_symbol or None
    j = judge(t.operator or "eq", t.polarity, t.value, r, upper=t.upper, tolerance=tol_abs,
              bias={"more-than": 1, "nearly": -1}.get(_local(a.qualifier), 0),
              unit=_unit_suffix(unit_symbol), percent=in_percent)
    if t.operator == "between" and t.upper is not None:
        gap = r - t.value if r < t.value else r - t.upper if r > t.upper else Decimal(0)
    else:
        gap = r - t.value
    share = None  # "105 of 100 talents": meaningful where more is better and the target is one number
    if (_local(t.kind) in SHARE_KINDS and t.value > 0 and t.upper is None
            and _local(t.polarity) != "lower-is-better"):
        share = (r / t.value).quantize(Decimal("0.0001"))
    extra_en = extra_zh = ""
    qualifier = _local(a.qualifier)
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
    uses_tol = j.rule in ("approx-floor", "approx-ceiling", "approx-band", "point-band")
    return verdict(dict(fields_, result_value=r), j.status, j.rule, j.reason + extra_en,
                   j.reason_zh + extra_zh, gap=_tidy(gap), gap_unit=gap_unit,
                   share_reached=share, tolerance=tol_cfg if uses_tol else None)


def _relative(t: _Obs, a: _Obs | None, achievements: Mapping[tuple[str, str, str], list[_Obs]],
              look: _Lookup, base: dict[str, Any], answered: Any, verdict: Any) -> ScoreRow:
    other = look.label(t.relative_to)
    other_en = look.label(t.relative_to, "en")
    want_higher = t.operator in ("gt", "ge")
    if a is None:
        return verdict(base, "no-result", "no-result",
                       f"No loaded report states a result for {look.label(t.indicator, 'en')} "
                       f"in {look.label(t.area, 'en')}, {t.year}.",
                       f"尚无报告陈述{look.label(t.area)} {t.year} 年"
                       f"{look.label(t.indicator)}的结果。")
    b = _pick([x for x in achievements.get((t.relative_to or "", t.area, t.year), [])
               if x.value is not None])
    if a.value is not None and b is not None and b.value is not None:
        rb = _convert(b, a) if b.unit != a.unit else b.value
        if rb is not None:
            fields_ = answered(a)
            fields_["based_on"] = (a.iri, b.iri)
            sym = _unit_suffix(look.symbol(a.unit))
            c = _cmp(a.value, {"more-than": 1, "nearly": -1}.get(_local(a.qualifier), 0), rb)
            ok = c > 0 if want_higher else c < 0
            word_en, word_zh = {1: ("above", "高于"), -1: ("below", "低于"),
                                0: ("equal to", "等于")}[c]
            fields_["result_text"] = f"{fields_['result_text']}（{other} {fmt_number(rb)}{sym}）"
            gap_unit = "个百分点" if a.unit in PERCENT_UNITS else look.symbol(a.unit) or None
            return verdict(fields_, "met" if ok else "missed", "relative-results",
                           f"{fmt_number(a.value)}{sym} is {word_en} {other_en} "
                           f"({fmt_number(rb)}{sym}) for the same area and year.",
                           f"{fmt_number(a.value)}{sym} {word_zh}同年同地区的{other}"
                           f"（{fmt_number(rb)}{sym}）。",
                           gap=_tidy(a.value - rb), gap_unit=gap_unit)
    if a.relative_to == t.relative_to and a.comparator is not None:
        stated = _local(a.comparator)
        fields_ = answered(a)
        same = stated == _local(t.comparator)
        opposite = stated in ("higher-than-indicator", "lower-than-indicator") and not same
        if same or opposite:
            return verdict(fields_, "met" if same else "missed", "relative-stated",
                           f"The report states the result in the same relative terms: "
                           f"“{fields_['result_text']}”.",
                           f"报告以相同的相对方式陈述结果：“{fields_['result_text']}”。")
    fields_ = answered(a)
    return verdict(fields_, "not-assessable", "missing-reference",
                   f"No result for {other_en} in {look.label(t.area, 'en')}, {t.year} is in the "
                   "data to compare with.",
                   f"数据中没有{look.label(t.area)} {t.year} 年{other}的结果可供比较。")


def _benchmark(t: _Obs, a: _Obs | None, achievements: Mapping[tuple[str, str, str], list[_Obs]],
               quotes: Mapping[str, list[Quote]], look: _Lookup, base: dict[str, Any],
               answered: Any, verdict: Any) -> ScoreRow:
    area, area_en = look.label(t.benchmark_area), look.label(t.benchmark_area, "en")
    ind, ind_en = look.label(t.indicator), look.label(t.indicator, "en")
    b = _pick([x for x in achievements.get((t.indicator, t.benchmark_area or "", t.year), [])
               if x.value is not None])
    if b is None:
        fields_ = answered(a) if a is not None else base
        return verdict(fields_, "not-assessable", "missing-reference",
                       f"The benchmark {area} ({area_en}) {ind_en} {t.year} is not in the data; "
                       "load a report that states it to score this target.",
                       f"基准（{area} {t.year} 年{ind}）不在数据中；"
                       "载入陈述该数据的报告后方可评估。")
    if a is None or a.value is None:
        return verdict(base, "no-result", "no-result",
                       f"No loaded report states a result for {ind_en} in "
                       f"{look.label(t.area, 'en')}, {t.year}.",
                       f"尚无报告陈述{look.label(t.area)} {t.year} 年{ind}的数值结果。")
    rb = _convert(b, a)
    fields_ = answered(a)
    if rb is None:
        return verdict(fields_, "not-assessable", "incomparable-units",
                       f"The benchmark's unit {look.symbol(b.unit)} does not convert to the "
                       f"result's unit {look.symbol(a.unit)}.",
                       f"基准单位“{look.symbol(b.unit)}”无法换算为结果单位“{look.symbol(a.unit)}”。")
    sym = _unit_suffix(look.symbol(a.unit))
    fields_["based_on"] = (a.iri, b.iri)
    fields_["result_text"] = f"{fields_['result_text']}（{area} {fmt_number(rb)}{sym}）"
    bias = {"more-than": 1, "nearly": -1}.get(_local(a.qualifier), 0)
    c = _cmp(a.value, bias, rb)
    ok = c < 0 if t.operator == "lt" else c <= 0
    words_en = "below" if t.operator == "lt" else "not above"
    words_zh = "低于" if t.operator == "lt" else "不高于"
    gap_unit = "个百分点" if a.unit in PERCENT_UNITS else look.symbol(a.unit) or None
    return verdict(fields_, "met" if ok else "missed", "benchmark",
                   f"{fmt_number(a.value)}{sym} against the benchmark {area_en} "
                   f"{fmt_number(rb)}{sym}: the target asks for {words_en} it.",
                   f"{fmt_number(a.value)}{sym}，基准{area} {fmt_number(rb)}{sym}；"
                   f"目标要求{words_zh}基准。",
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


# -- assessments as RDF -------------------------------------------------------------------------

def activity_iri(version: str) -> URIRef:
    return URIRef(f"{ASSESSMENT_BASE}activity/tckg-{version}")


def assessment_graph(scorecard: Scorecard) -> Graph:
    """The scorecard as tck:Assessment resources with PROV-O, deterministic but for the time.

    Re-running gives the same triples except ``prov:generatedAtTime`` and the activity's
    ``prov:endedAtTime``; manual verdicts are copied with ``prov:wasDerivedFrom`` the analyst's
    record so the graph alone answers the scorecard query.
    """
    g = Graph()
    bind_prefixes(g.namespace_manager)
    g.bind("assessment", ASSESSMENT_BASE)
    when = Literal(scorecard.generated_at.isoformat(), datatype=XSD.dateTime)
    act = activity_iri(scorecard.version)
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, RDFS.label, Literal(f"tckg {scorecard.version} 目标评估", lang="zh")))
    g.add((act, RDFS.label, Literal(f"tckg {scorecard.version} target assessment", lang="en")))
    g.add((act, PROV.wasAssociatedWith, SOFTWARE))
    g.add((act, PROV.endedAtTime, when))
    for report in scorecard.reports:
        g.add((act, PROV.used, URIRef(report)))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal("tckg")))
    g.add((SOFTWARE, SCHEMA.softwareVersion, Literal(scorecard.version)))
    rules_used = set()
    for row in scorecard.rows:
        node = URIRef(row.assessment)
        g.add((node, RDF.type, TCK.Assessment))
        g.add((node, RDFS.label, Literal(f"评估：{row.indicator_label} {row.year}（"
                                         f"{row.scope_label or row.area_label}）", lang="zh")))
        g.add((node, RDFS.label, Literal(f"Assessment: {row.indicator_label_en} {row.year} "
                                         f"({row.scope})", lang="en")))
        g.add((node, TCK.assesses, URIRef(row.target)))
        g.add((node, TCK.status, row.status_iri))
        g.add((node, TCK.rule, row.rule_iri))
        rules_used.add(row.rule)
        g.add((node, TCK.isManual, Literal(row.is_manual)))
        for b in row.based_on:
            g.add((node, TCK.basedOn, URIRef(b)))
        if row.gap is not None:
            g.add((node, TCK.gap, Literal(row.gap, datatype=XSD.decimal)))
        if row.share_reached is not None:
            g.add((node, TCK.shareReached, Literal(row.share_reached, datatype=XSD.decimal)))
        if row.tolerance is not None:
            g.add((node, TCK.tolerance, Literal(row.tolerance, datatype=XSD.decimal)))
        g.add((node, TCK.reason, Literal(row.reason, lang="en")))
        g.add((node, TCK.reason, Literal(row.reason_zh, lang="zh")))
        if row.manual_assessment:
            g.add((node, PROV.wasDerivedFrom, URIRef(row.manual_assessment)))
            for q in row.result_evidence:
                g.add((node, TCK.evidence, URIRef(q.evidence)))
        g.add((node, PROV.wasGeneratedBy, act))
        g.add((node, PROV.generatedAtTime, when))
    for rule in sorted(rules_used):
        zh, en, definition = RULES[rule]
        node = RULE[rule]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.notation, Literal(rule)))
        g.add((node, RDFS.label, Literal(zh, lang="zh")))
        g.add((node, RDFS.label, Literal(en, lang="en")))
        g.add((node, SKOS.definition, Literal(definition, lang="en")))
    return g


def add_assessments(dataset: TckDataset, scorecard: Scorecard) -> URIRef:
    """Put the verdicts into the dataset's assessment graph, replacing earlier ones.

    Only ``ASSESSMENT_GRAPH`` is written; report graphs are never touched.
    """
    target = dataset.store.graph(ASSESSMENT_GRAPH)
    target.remove((None, None, None))
    dataset.store.add_graph(ASSESSMENT_GRAPH, scorecard.to_graph())
    return ASSESSMENT_GRAPH


def write_assessments(scorecard: Scorecard, path: Path | str) -> Path:
    """Write the assessment graph as deterministic Turtle (atomically)."""
    path = Path(path)
    text = scorecard.to_graph().serialize(format="longturtle")
    header = ("# Assessments of targets against results, generated by tckg "
              f"{scorecard.version} (tckg track). Do not edit: re-run to refresh.\n"
              f"# Named graph: <{ASSESSMENT_GRAPH}>\n")
    atomic_write_text(path, header + text)
    return path
