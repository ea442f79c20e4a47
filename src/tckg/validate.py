"""SHACL validation behind a typed report.

pyshacl's report graph is turned into :class:`ValidationReport` here, before the CLI, the
HTML or the tests see it. Warnings (e.g. a measure that serves no target) are reported but
do not make the data non-conforming; violations do.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from tckg.load import TckDataset, parse_file, shapes_files
from tckg.namespaces import bind_prefixes


class Severity(str, Enum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


@dataclass(frozen=True)
class ValidationResult:
    severity: Severity
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    message_en: str
    message_zh: str
    shape: str | None
    component: str

    def message(self, lang: str = "en") -> str:
        return (self.message_zh if lang == "zh" else self.message_en) or self.message_en


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.WARNING]

    def by_focus(self) -> dict[str, list[ValidationResult]]:
        groups: dict[str, list[ValidationResult]] = defaultdict(list)
        for result in self.results:
            groups[result.focus].append(result)
        return dict(groups)

    def to_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "triples": self.triples,
             "violations": len(self.violations), "warnings": len(self.warnings),
             "results": [dict(asdict(r), severity=r.severity.value) for r in self.results]},
            ensure_ascii=False, indent=2)


def load_shapes(paths: list[Path] | None = None) -> Graph:
    shapes = Graph()
    bind_prefixes(shapes.namespace_manager)
    for path in paths or shapes_files():
        for graph in parse_file(path).graphs.values():
            shapes += graph
    return shapes


def _label(graph: Graph, node: URIRef | Literal, lang: str) -> str:
    for prop in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        for value in graph.objects(node, prop):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    try:
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
    except Exception:  # an IRI no prefix covers
        return str(node)


def _term(graph: Graph, node: object) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    return str(node)


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate one graph (data and ontology together) against the shapes."""
    from pyshacl import validate as shacl_validate

    shapes = shapes if shapes is not None else load_shapes()
    _, report_graph, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
        abort_on_first=False, meta_shacl=False, do_owl_imports=False,
    )
    bind_prefixes(data.namespace_manager)
    results = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        messages: dict[str | None, str] = {}
        for m in report_graph.objects(node, SH.resultMessage):
            # pyshacl drops the language tag when it fills in a message template.
            lang = m.language if isinstance(m, Literal) and m.language else (
                "zh" if _CJK.search(str(m)) else "en")
            messages[lang] = str(m)
        focus = report_graph.value(node, SH.focusNode)
        severity = _SEVERITY.get(report_graph.value(node, SH.resultSeverity), Severity.VIOLATION)
        component = report_graph.value(node, SH.sourceConstraintComponent)
        shape = report_graph.value(node, SH.sourceShape)
        results.append(ValidationResult(
            severity=severity,
            focus=str(focus),
            focus_label=_label(data, focus, "zh") if focus is not None else "",
            path=_term(data, report_graph.value(node, SH.resultPath)),
            value=_term(data, report_graph.value(node, SH.value)),
            message_en=messages.get("en") or messages.get(None) or "",
            message_zh=messages.get("zh") or messages.get("en") or messages.get(None) or "",
            shape=_term(shapes, shape) if isinstance(shape, URIRef) else None,
            component=_term(data, component) or "",
        ))
    results.sort(key=lambda r: (r.severity != Severity.VIOLATION, r.focus, r.path or "", r.component))
    conforms = not any(r.severity is Severity.VIOLATION for r in results)
    return ValidationReport(conforms=conforms, results=results, triples=len(data))


def validate_dataset(dataset: TckDataset, shapes: Graph | None = None) -> ValidationReport:
    """Validate every graph of the dataset together (the ontology included)."""
    return validate_graph(dataset.union(), shapes)
