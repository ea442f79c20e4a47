"""Facts, options and the draft."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, URIRef

from tckg.extract.common import norm_label
from tckg.extract.registry import IndicatorInfo
from tckg.extract.segment import Part


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

    def key(self) -> tuple[Any, ...]:
        if self.cls == "target":
            return ("target", self.year, self.plan_level, self.indicator)
        return ("achievement", self.year, self.area, self.indicator)


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

    @property
    def graph_name(self) -> URIRef:
        from tckg.namespaces import GRAPH

        return GRAPH[self.slug]

    def counts(self) -> dict[str, int]:
        src = self.source
        return {key: len(src.get(key) or []) for key in
                ("tasks", "targets", "achievements", "projects", "enterprises", "campaigns")} | {
            "proposed_indicators": len(self.proposed)}

    def to_turtle(self) -> str:
        return self.graph.serialize(format="longturtle")

def _mint(kind: str, label: str) -> str:
    """A deterministic id for something the draft introduces (``proposed-1a2b3c4d5e``)."""
    return f"{kind}-{hashlib.sha1(norm_label(label).encode('utf-8')).hexdigest()[:10]}"


def _zh_en(zh: str, known: tuple[str, str] | None = None) -> dict[str, str]:
    zh = re.sub(r"\s+", " ", zh).strip()
    if known:
        return {"zh": known[0], "en": known[1]}
    return {"zh": zh, "en": f"(untranslated) {zh}"}


def _num(value: Decimal) -> float | int | str:
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return str(value)


def _in_table(f: Fact) -> bool:
    return f.part.id == "appendix"


