"""Facts, options and the draft."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, URIRef

from tckg.extract.common import norm_label
from tckg.extract.registry import IndicatorInfo
from tckg.extract.segment import Part
from tckg.numbers import fmt_number


@dataclass
class Fact:
    cls: str                          # target | achievement
    indicator: str
    year: int
    area: str
    part: Part
    span: tuple[int, int]             # original offsets of the quote
    confidence: float
    value: Decimal | None = None
    unit: str | None = None
    upper: Decimal | None = None
    comparator: str | None = None
    qualifier: str | None = None
    estimate: bool = False
    relative_to: str | None = None
    benchmark_area: str | None = None
    qualitative: str | None = None
    plan_level: str | None = None
    committed_by: str | None = None
    phrase: str = ""                  # the words of the text that name the indicator
    also: list[tuple[int, int]] = field(default_factory=list)
    note: str | None = None
    # the period (``2018``, ``2013/2017``, ``2022-01/2022-09``): only annual facts are scored
    # as annual; a span or a partial year is kept apart from the year's facts
    period: str | None = None
    progress: bool = False            # a partial-year figure or 完成年计划的X%
    value_text: str | None = None     # the number as written (1.3), the unit as written (万亿斤)
    unit_text: str | None = None
    direction: str = "level"          # increase | decrease | level
    subject: str = ""                 # the indicator as the text names it
    # a stretch target (力争 6% after 增长 5% 以上): listed with its indicator, not written to the
    # graph, which holds one target per indicator, year and plan level (the firm one)
    stretch: bool = False

    @property
    def annual(self) -> bool:
        return not self.progress and not self.stretch and \
            (self.period is None or self.period == str(self.year))

    def key(self) -> tuple[Any, ...]:
        period = self.period or str(self.year)
        if self.cls == "target":
            return ("target", period, self.progress, self.plan_level, self.indicator)
        return ("achievement", period, self.progress, self.area, self.indicator)


@dataclass
class Options:
    government: str | None = None
    area: str | None = None
    year: int | None = None
    slug: str | None = None
    text_name: str = "report.txt"


@dataclass
class Draft:
    """The result of :func:`extract_text`: the source records, the graph and notes."""

    source: dict[str, Any]
    graph: Graph
    slug: str
    text: str
    facts: list[Fact]
    proposed: list[IndicatorInfo]
    notes: list[str]
    all_facts: list[Fact] = field(default_factory=list)   # with non-annual and progress facts

    @property
    def graph_name(self) -> URIRef:
        from tckg.namespaces import GRAPH

        return GRAPH[self.slug]

    def rows(self, place_names: Mapping[str, str] | None = None) -> list[dict[str, str]]:
        """The numeric facts in the columns of the gold standard (``bench/corpus/gold``):
        kind (T, A, P), area (its Chinese name), period, indicator, subject, direction,
        value and unit as written, comparator, estimate, quote, start."""
        from tckg.extract.indicators import agreed_ids

        core = agreed_ids()   # the gold standard names the agreed core indicators only
        names = dict(place_names or {})
        for rec in self.source.get("places", []):
            names.setdefault(rec["id"], "全国" if rec.get("level") == "nation" else rec["label"]["zh"])
        out = []
        from tckg.extract.common import lexicon

        skip = set(lexicon()["event_count_units"])
        for f in self.all_facts:
            if f.value is None or f.unit in ("rank",) or "rank" in (f.indicator or "") \
                    or (f.unit_text or "") in skip:
                continue   # rankings and counts of events (召开会议3次) are not facts
            kind = "P" if f.progress else ("T" if f.cls == "target" else "A")
            comparator = f.comparator or "point"
            if f.cls == "achievement":
                comparator = {"more-than": "more-than", "about": "approximately",
                              "nearly": "approximately", "at-most": "at-most"
                              }.get(f.qualifier or "", "point")
            value = f.value_text or str(f.value)
            out.append({
                "kind": kind, "area": names.get(f.area, f.area),
                "period": f.period or str(f.year),
                "indicator": f.indicator if f.indicator in core else "",
                "subject": f.subject or f.phrase, "direction": f.direction, "value": value,
                "unit": f.unit_text if f.unit_text is not None else (f.unit or ""), "comparator": comparator,
                "estimate": "yes" if f.estimate else "no",
                "quote": self.text[f.span[0]:f.span[1]], "start": str(f.span[0])})
        return out

    def counts(self) -> dict[str, int]:
        src = self.source
        return {key: len(src.get(key) or []) for key in
                ("tasks", "targets", "achievements", "projects", "enterprises", "campaigns")} | {
            "proposed_indicators": len(self.proposed)}

    def to_turtle(self) -> str:
        from tckg.io.turtle import turtle

        return turtle(self.graph)

def _mint(kind: str, label: str) -> str:
    """A deterministic id for something the draft introduces (``proposed-1a2b3c4d5e``)."""
    return f"{kind}-{hashlib.sha1(norm_label(label).encode('utf-8')).hexdigest()[:10]}"


def _zh_en(zh: str, known: tuple[str, str] | None = None) -> dict[str, str]:
    zh = re.sub(r"\s+", " ", zh).strip()
    if known:
        return {"zh": known[0], "en": known[1]}
    return {"zh": zh, "en": f"(untranslated) {zh}"}


def _num(value: Decimal) -> float | int | str:
    text = fmt_number(value)
    return text if "." in text else int(text)


def _in_table(f: Fact) -> bool:
    return f.part.id == "appendix"


