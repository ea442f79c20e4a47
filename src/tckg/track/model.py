"""The typed result of tracking: a verdict per target (:class:`ScoreRow`) in a
:class:`Scorecard`, with its CSV, JSON and RDF forms. Statuses and their labels come from the
ontology (:data:`tckg.track.rules.STATUSES`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from tckg.namespaces import IND, RULE, STATUS
from tckg.numbers import fmt_number
from tckg.track.rules import STATUSES
from tckg.vocab.iri import local_name

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph


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
            if (local_name(row.indicator, IND) == indicator and row.year == str(year)
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
        from tckg.track.rdf import assessment_graph

        return assessment_graph(self)


