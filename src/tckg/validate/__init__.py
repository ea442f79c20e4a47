"""SHACL validation behind a typed report.

pyshacl's report graph is turned into :class:`ValidationReport` here, before the CLI, the
HTML or the tests see it. Warnings (e.g. a measure that serves no target) are reported but
do not make the data non-conforming; violations do.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from tckg.errors import TckgError
from tckg.io.paths import shapes_files
from tckg.namespaces import bind_prefixes
from tckg.settings import SETTINGS
from tckg.store.load import TckDataset, parse_file


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


# pyshacl's default is 15; our shapes nest two deep, so anything deeper is hostile input.
SETTINGS_DEPTH = 15
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


@dataclass(frozen=True)
class ValidationResult:
    severity: Severity
    focus: str
    focus_label: str
    focus_label_en: str
    path: str | None
    value: str | None
    message_en: str
    message_zh: str
    shape: str | None  # the shape that reported it (may be an unnamed property shape)
    component: str
    node_shape: str | None = None  # the named node shape it belongs to

    def label(self, lang: str = "en") -> str:
        return self.focus_label if lang == "zh" else self.focus_label_en

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
    for wanted in (lang, None):  # the user's language first, then any label at all
        for prop in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            for value in graph.objects(node, prop):
                if isinstance(value, Literal) and (wanted is None or value.language == wanted):
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


class ValidationError(TckgError):
    """Validation could not finish (time budget, a graph too deep or cyclic to check)."""


# Lexical forms rdflib accepts without complaint but XML Schema does not (rdflib flags an
# ill-typed xsd:decimal, but takes "二〇三〇"^^xsd:gYear as it comes).
_LEXICAL = {
    XSD.gYear: re.compile(r"-?\d{4,}(Z|[+-]\d\d:\d\d)?"),
    XSD.date: re.compile(r"-?\d{4,}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?"),
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.nonNegativeInteger: re.compile(r"\+?\d+"),
    XSD.decimal: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD.boolean: re.compile(r"true|false|1|0"),
}


def ill_typed_literals(data: Graph) -> list[ValidationResult]:
    """Every literal whose lexical form does not fit its datatype, as a violation."""
    bind_prefixes(data.namespace_manager)
    results = []
    for s, p, o in data:
        if not isinstance(o, Literal) or o.datatype is None:
            continue
        pattern = _LEXICAL.get(o.datatype)
        bad = o.ill_typed or (pattern is not None and not pattern.fullmatch(str(o)))
        if bad:
            dtype = _term(data, o.datatype)
            results.append(ValidationResult(
                severity=Severity.VIOLATION, focus=str(s),
                focus_label=_label(data, s, "zh") if isinstance(s, URIRef) else str(s),
                focus_label_en=_label(data, s, "en") if isinstance(s, URIRef) else str(s),
                path=_term(data, p), value=str(o),
                message_en=f"The literal \"{o}\" is not a valid {dtype}; fix its value or datatype.",
                message_zh=f"字面量“{o}”不是有效的 {dtype}，请更正其值或数据类型。",
                shape=None, component="tck:IllTypedLiteral"))
    return results


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ShapeRecursionWarning

    with warnings.catch_warnings():
        # pyshacl warns (and carries on) when it hits its recursion limit; we refuse instead.
        # Only that warning: others (rdflib's deprecations) must not change what pyshacl decides.
        warnings.simplefilter("error", ShapeRecursionWarning)
        _, report_graph, _ = shacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True,
            abort_on_first=False, meta_shacl=False, do_owl_imports=False,
            max_validation_depth=SETTINGS_DEPTH,
        )
    return report_graph


def _report_as_ntriples(data: Graph, shapes: Graph) -> str:
    return _run_pyshacl(data, shapes).serialize(format="nt")


def _shacl_report(data: Graph, shapes: Graph, timeout: float) -> Graph:
    """Run pyshacl in a forked child so a runaway validation can be stopped at ``timeout``."""
    import multiprocessing

    from tckg.child import ChildFailed, ChildTimeout, run_in_child

    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return _run_pyshacl(data, shapes)
    try:
        payload = run_in_child(_report_as_ntriples, (data, shapes), timeout=timeout,
                               name="tckg-validate")
    except ChildTimeout:
        raise ValidationError(
            f"validation ran longer than {timeout:g} s and was stopped (setting "
            "validation_timeout; raise it with --validation-timeout if the data is that "
            f"large). 验证超过 {timeout:g} 秒，已终止。") from None
    except ChildFailed as exc:
        raise ValidationError(f"validation could not finish: {exc}. The data graph may be "
                              "cyclic or nested too deeply for the shapes. 验证无法完成。") from None
    report = Graph()
    report.parse(data=payload, format="nt")
    return report


def _shape_name(shapes: Graph, shape: object) -> str | None:
    """The shape's name; for an unnamed property shape, the node shape that holds it."""
    if shape is None:
        return None
    if not isinstance(shape, URIRef) or "/.well-known/genid/" in str(shape):
        parent = shapes.value(None, SH.property, shape)
        if parent is None:
            return None
        shape = parent
    return _term(shapes, shape)


def validate_graph(data: Graph, shapes: Graph | None = None,
                   timeout: float | None = None) -> ValidationReport:
    """Validate one graph (data and ontology together) against the shapes."""
    shapes = shapes if shapes is not None else load_shapes()
    timeout = SETTINGS["validation_timeout"].value if timeout is None else timeout
    report_graph = _shacl_report(data, shapes, timeout)
    return _report_from_graph(data, shapes, report_graph)


def _report_from_graph(data: Graph, shapes: Graph, report_graph: Graph) -> ValidationReport:
    """pyshacl's report graph (and the ill-typed literals) as a typed report."""
    bind_prefixes(data.namespace_manager)
    results = ill_typed_literals(data)
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
            focus_label_en=_label(data, focus, "en") if focus is not None else "",
            path=_term(data, report_graph.value(node, SH.resultPath)),
            value=_term(data, report_graph.value(node, SH.value)),
            message_en=messages.get("en") or messages.get(None) or "",
            message_zh=messages.get("zh") or messages.get("en") or messages.get(None) or "",
            shape=_term(shapes, shape) if isinstance(shape, URIRef) else None,
            node_shape=_shape_name(shapes, shape),
            component=_term(data, component) or "",
        ))
    results.sort(key=lambda r: (r.severity != Severity.VIOLATION, r.focus, r.path or "", r.component))
    conforms = not any(r.severity is Severity.VIOLATION for r in results)
    return ValidationReport(conforms=conforms, results=results, triples=len(data))


def validate_dataset(dataset: TckDataset, shapes: Graph | None = None, *,
                     timeout: float | None = None, jobs: int | None = None,
                     use_cache: bool = True, whole: bool = False) -> ValidationReport:
    """Validate the dataset: each report with the ontology on its own, in parallel processes,
    its verdict cached on disk, then the checks that span reports
    (:mod:`tckg.validate.engine`). ``whole=True`` validates the union in one pyshacl run
    instead (the former way; quadratic in the number of reports)."""
    if whole:
        report = validate_graph(dataset.union(), shapes, timeout)
    else:
        from tckg.validate.engine import validate_incremental

        report = validate_incremental(dataset, shapes, timeout=timeout, jobs=jobs,
                                      use_cache=use_cache)
    if not dataset.report_graphs():
        # Shapes only check what is there: an empty or unrelated file would "conform".
        report.results.insert(0, ValidationResult(
            severity=Severity.WARNING, focus="", focus_label="", focus_label_en="", path=None,
            value=None, shape=None, component="tck:NoReport",
            message_en="The data describes no report (no tck:Report); only the ontology was "
                       "checked. Is this the file you meant?",
            message_zh="数据中没有报告（tck:Report），只检查了本体。请确认文件是否正确。"))
    return report


def check_shapes(shapes: Graph | None = None) -> list[str]:
    """Problems in the shapes themselves: SHACL-SHACL violations and unknown ``sh:`` terms.

    SHACL-SHACL alone lets a misspelt ``sh:minlength`` through (an unknown predicate is just
    another triple), so every ``sh:`` IRI is also checked against the SHACL vocabulary that
    pyshacl bundles.
    """
    from pathlib import Path as _Path

    import pyshacl
    from pyshacl import validate as shacl_validate

    shapes = shapes if shapes is not None else load_shapes()
    problems: list[str] = []
    assets = _Path(pyshacl.__file__).parent / "assets"
    shacl_shacl = Graph().parse(assets / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = shacl_validate(shapes, shacl_graph=shacl_shacl, inference="none",
                                       do_owl_imports=False)
    if not conforms:
        problems.append(f"the shapes violate SHACL-SHACL: {text}")
    vocabulary = Graph().parse(assets / "shacl.ttl", format="turtle")
    declared = {s for s in vocabulary.subjects() if isinstance(s, URIRef)}
    for triple in shapes:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(SH)) and term not in declared:
                problems.append(f"{shapes.namespace_manager.normalizeUri(term)} is not a SHACL term "
                                f"(in the triple {' '.join(t.n3() for t in triple)}); check its spelling.")
    return sorted(set(problems))
