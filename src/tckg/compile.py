"""Curated report sources (YAML) -> RDF in the tckg ontology.

A report is described once, by hand or by the extractor, as plain records (see
``data/source/README.md``); this module is the one place that turns such records into
triples and mints their IRIs. Evidence offsets are computed here from the verbatim
quotes, so nobody counts characters by hand.

Run as ``python -m tckg.compile SOURCE_DIR OUT.ttl`` (a report) or
``python -m tckg.compile --vocabulary OUT.ttl INDICATORS.yaml …`` (the indicator scheme).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from tckg.errors import TckgError
from tckg.namespaces import (
    BODYKIND,
    CAMPAIGN,
    CMP,
    DIM,
    IND,
    KIND,
    LEVEL,
    OA,
    ORG,
    ORGS,
    PLACE,
    POL,
    PROJECT,
    QB,
    QUAL,
    SCHEMA,
    STAGE,
    TCK,
    UNIT,
    bind_prefixes,
    report_iri,
)
from tckg.vocab.iri import SLUG, local_name, mint

LIST_KEYS = ("places", "bodies", "enterprises", "campaigns", "projects", "tasks", "targets",
             "achievements")
TASK_KINDS = {"section": TCK.Section, "review-area": TCK.ReviewArea,
              "task-area": TCK.TaskArea, "measure": TCK.Measure}
NUMERIC_FREE_COMPARATORS = {"higher-than-indicator", "lower-than-indicator", "below-benchmark",
                            "not-above-benchmark", "qualitative", "unquantified"}


class SourceError(TckgError):
    """A curated source that cannot be compiled; the message names the file and the record."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str


def slugify(text: str) -> str:
    """A readable IRI segment from any label: lowercase ASCII, digits and hyphens only.

    Characters outside that set (CJK, spaces, quotes, angle brackets) are replaced by a
    short hash so the result is always a valid, deterministic IRI segment.
    """
    ascii_part = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if ascii_part and ascii_part.isascii() and re.fullmatch(r"[a-z0-9-]+", text.lower()):
        return ascii_part
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}-{digest}" if ascii_part else f"x-{digest}"


def read_source(folder: Path) -> dict[str, Any]:
    """Merge every ``*.yaml`` of a report folder: lists concatenated, ``report`` once."""
    import yaml

    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise SourceError(f"{folder}: no *.yaml files; a report source is a folder of YAML files.")
    merged: dict[str, Any] = {key: [] for key in LIST_KEYS}
    for file in files:
        try:
            doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SourceError(f"{file}: not valid YAML ({exc}). Fix the syntax and rerun.") from None
        if not isinstance(doc, dict):
            raise SourceError(f"{file}: the top level must be a mapping of lists.")
        for key, value in doc.items():
            if key == "report":
                if "report" in merged:
                    raise SourceError(f"{file}: `report` is given in more than one file.")
                merged["report"] = value
            elif key in LIST_KEYS:
                if not isinstance(value, list):
                    raise SourceError(f"{file}: `{key}` must be a list.")
                merged[key].extend(dict(item, _file=str(file)) for item in value)
            else:
                raise SourceError(f"{file}: unknown top-level key `{key}`; known: report, "
                                  + ", ".join(LIST_KEYS) + ".")
    if "report" not in merged:
        raise SourceError(f"{folder}: no file gives `report`.")
    return merged


class Compiler:
    """Source records (the curated YAML, or an extractor's draft) and the report text -> a Graph.

    ``Compiler(source, text, text_name).run()``; raises :class:`SourceError`."""

    def __init__(self, source: Mapping[str, Any], text: str, text_name: str) -> None:
        self.src = source
        self.text = text
        self.text_name = text_name
        self.g = Graph()
        bind_prefixes(self.g.namespace_manager)
        rep = source["report"]
        self.slug = self._need(rep, "slug", "report")
        if not SLUG.match(self.slug):
            raise SourceError(f"report.slug `{self.slug}` must be lowercase ASCII with hyphens.")
        self.report = URIRef(report_iri(self.slug))
        self.base = f"{self.report}/"
        self.ids: dict[str, tuple[str, URIRef]] = {}
        self.targets: dict[str, URIRef] = {}

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _where(rec: Mapping[str, Any]) -> str:
        ident = rec.get("id") or rec.get("indicator") or rec.get("quote", "")[:20]
        return f"{rec.get('_file', 'report')}: record `{ident}`"

    def _need(self, rec: Mapping[str, Any], key: str, where: str | None = None) -> Any:
        if rec.get(key) in (None, ""):
            raise SourceError(f"{where or self._where(rec)}: missing `{key}`.")
        return rec[key]

    def _ref(self, kind: str, ident: str, rec: Mapping[str, Any]) -> URIRef:
        found = self.ids.get(ident)
        if found is None or (kind != "any" and found[0] not in kind.split("|")):
            raise SourceError(f"{self._where(rec)}: `{ident}` is not a defined {kind} id.")
        return found[1]

    def locate(self, quote: str, within: str | None, rec: Mapping[str, Any],
               start: int | None = None) -> Span:
        if start is not None:  # the extractor knows the exact span; check it, don't search
            if not isinstance(start, int) or self.text[start:start + len(quote)] != quote:
                raise SourceError(f"{self._where(rec)}: the text at offset {start!r} is not "
                                  f"the quote {quote!r}.")
            return Span(start, start + len(quote), quote)
        if within:
            n = self.text.count(within)
            if n != 1:
                raise SourceError(f"{self._where(rec)}: `within` occurs {n} times in "
                                  f"{self.text_name}; it must occur exactly once: {within!r}")
            base = self.text.index(within)
            idx = within.find(quote)
            if idx < 0:
                raise SourceError(f"{self._where(rec)}: quote {quote!r} is not inside its "
                                  f"`within` {within!r}.")
            start = base + idx
        else:
            n = self.text.count(quote)
            if n != 1:
                raise SourceError(f"{self._where(rec)}: quote occurs {n} times in "
                                  f"{self.text_name} (it must occur exactly once; add `within`):"
                                  f" {quote!r}")
            start = self.text.index(quote)
        return Span(start, start + len(quote), quote)

    def evidence(self, subject: URIRef, rec: Mapping[str, Any], required: bool = True) -> None:
        items: list[Mapping[str, Any]] = []
        if rec.get("quote"):
            items.append(rec)
        elif required:
            raise SourceError(f"{self._where(rec)}: missing `quote` (every fact needs evidence).")
        items.extend(rec.get("also") or [])
        for item in items:
            span = self.locate(str(item["quote"]), item.get("within"), rec, item.get("start"))
            ev = URIRef(f"{self.base}evidence/{span.start}-{span.end}")
            g = self.g
            g.add((subject, TCK.evidence, ev))
            if (ev, RDF.type, TCK.Evidence) in g:
                continue
            g.add((ev, RDF.type, TCK.Evidence))
            g.add((ev, OA.hasSource, self.text_iri))
            # Two selectors, as Web Annotation defines them: a TextQuoteSelector carries only
            # the quote and a TextPositionSelector only the offsets, so a consumer that knows
            # one kind reads exactly the properties that kind defines.
            quote, position = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
            g.add((ev, OA.hasSelector, quote))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(span.exact)))
            g.add((ev, OA.hasSelector, position))
            g.add((position, RDF.type, OA.TextPositionSelector))
            g.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
            g.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))

    def labels(self, subject: URIRef, rec: Mapping[str, Any], key: str = "label",
               prop: URIRef = RDFS.label) -> None:
        label = self._need(rec, key)
        if not isinstance(label, Mapping) or not label.get("zh") or not label.get("en"):
            raise SourceError(f"{self._where(rec)}: `{key}` needs both zh and en.")
        for lang in ("zh", "en"):
            self.g.add((subject, prop, Literal(str(label[lang]).strip(), lang=lang)))

    def year(self, rec: Mapping[str, Any], key: str = "year") -> Literal:
        value = self._need(rec, key)
        if not re.fullmatch(r"\d{4}", str(value)):
            raise SourceError(f"{self._where(rec)}: `{key}` must be a four-digit year, not {value!r}.")
        return Literal(str(value), datatype=XSD.gYear)

    def number(self, rec: Mapping[str, Any], key: str) -> Literal:
        try:
            return Literal(Decimal(str(rec[key])), datatype=XSD.decimal)
        except (InvalidOperation, ValueError):
            raise SourceError(f"{self._where(rec)}: `{key}` must be a number, "
                              f"not {rec[key]!r}.") from None

    def define(self, kind: str, ident: str, iri: URIRef, rec: Mapping[str, Any]) -> None:
        if not SLUG.match(str(ident)):
            raise SourceError(f"{self._where(rec)}: id `{ident}` must be lowercase ASCII, "
                              "digits and hyphens.")
        if ident in self.ids:
            raise SourceError(f"{self._where(rec)}: id `{ident}` is defined twice.")
        self.ids[ident] = (kind, iri)

    # -- records ---------------------------------------------------------------------------
    def run(self) -> Graph:
        g, rep = self.g, self.src["report"]
        self.text_iri = URIRef(f"{self.base}text")
        for key in LIST_KEYS:  # ids first, so references may point forward
            for rec in self.src[key]:
                self._declare(key, rec)
        g.add((self.report, RDF.type, TCK.Report))
        self.labels(self.report, rep, "title", DCTERMS.title)
        self.labels(self.report, rep, "title")
        date = rep.get("date")
        if not isinstance(date, _dt.date):
            raise SourceError(f"report.date must be a date (YYYY-MM-DD), not {date!r}.")
        g.add((self.report, DCTERMS.date, Literal(date, datatype=XSD.date)))
        g.add((self.report, TCK.reportKind, URIRef(f"{TCK}{_camel(rep.get('kind', 'plan-report'))}")))
        g.add((self.report, TCK.planYear, self.year(rep, "plan_year")))
        if rep.get("draft"):
            g.add((self.report, TCK.isDraft, Literal(True)))
        if rep.get("review_year"):
            g.add((self.report, TCK.reviewYear, self.year(rep, "review_year")))
        gov = self._ref("body", self._need(rep, "government", "report"), rep)
        g.add((self.report, DCTERMS.creator, gov))
        g.add((self.report, PROV.wasAttributedTo, gov))
        g.add((self.report, DCTERMS.spatial, self._ref("place", rep["area"], rep)))
        g.add((self.report, TCK.sourceText, self.text_iri))
        g.add((self.text_iri, RDF.type, TCK.SourceText))
        g.add((self.text_iri, SCHEMA.name, Literal(self.text_name)))
        g.add((self.text_iri, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        g.add((self.text_iri, TCK.sha256,
               Literal(hashlib.sha256(self.text.encode("utf-8")).hexdigest())))
        g.add((self.text_iri, TCK.characterCount, Literal(len(self.text), datatype=XSD.integer)))
        if rep.get("quote"):
            self.evidence(self.report, rep)
        for kind, cls in (("targets", TCK.TargetDataSet), ("achievements", TCK.AchievementDataSet)):
            ds = URIRef(f"{self.base}dataset/{kind}")
            g.add((ds, RDF.type, QB.DataSet))
            g.add((ds, RDF.type, cls))
            g.add((ds, QB.structure, TCK.TargetStructure if kind == "targets"
                   else TCK.AchievementStructure))
            g.add((ds, TCK.statedIn, self.report))
            g.add((ds, RDFS.label, Literal(f"{self.slug} {kind}", lang="en")))
            g.add((ds, RDFS.label, Literal(f"{self.slug} {'目标' if kind == 'targets' else '完成情况'}",
                                           lang="zh")))
        for rec in self.src["places"]:
            self._place(rec)
        for rec in self.src["bodies"]:
            self._body(rec)
        for rec in self.src["enterprises"]:
            self._simple(rec, TCK.Enterprise)
        for rec in self.src["campaigns"]:
            iri = self._simple(rec, TCK.Campaign)
            g.add((iri, TCK.year, self.year(rec)))
        for rec in self.src["targets"]:
            self._target(rec)
        for rec in self.src["achievements"]:
            self._achievement(rec)
        for rec in self.src["tasks"]:
            self._task(rec)
        for rec in self.src["projects"]:
            self._project(rec)
        return g

    def _declare(self, key: str, rec: Mapping[str, Any]) -> None:
        if key in ("targets", "achievements"):
            return
        ident = str(self._need(rec, "id"))
        ns = {"places": (PLACE, "place"), "bodies": (ORGS, "body"),
              "enterprises": (ORGS, "enterprise"), "campaigns": (CAMPAIGN, "campaign"),
              "projects": (PROJECT, "project")}
        if key == "tasks":
            self.define("task", ident, URIRef(f"{self.base}task/{ident}"), rec)
        else:
            namespace, kind = ns[key]
            self.define(kind, ident, namespace[ident], rec)

    def _fact(self, iri: URIRef, rec: Mapping[str, Any]) -> None:
        self.g.add((iri, TCK.statedIn, self.report))
        self.evidence(iri, rec)
        self._confidence(iri, rec)

    def _confidence(self, iri: URIRef, rec: Mapping[str, Any]) -> None:
        """An extractor's draft says how sure it is of each record (``confidence:``)."""
        if rec.get("confidence") is not None and (iri, TCK.confidence, None) not in self.g:
            self.g.add((iri, TCK.confidence, self.number(rec, "confidence")))

    def _place(self, rec: Mapping[str, Any]) -> None:
        iri = self.ids[rec["id"]][1]
        g = self.g
        g.add((iri, RDF.type, TCK.Place))
        self.labels(iri, rec)
        g.add((iri, TCK.placeLevel, mint(LEVEL, self._need(rec, "level"))))
        if rec.get("within") in self.ids:
            raise SourceError(f"{self._where(rec)}: the containing place goes in `part_of:`; "
                              "`within:` is the anchor of the quote.")
        if rec.get("part_of"):
            g.add((iri, SCHEMA.containedInPlace, self._ref("place", rec["part_of"], rec)))
        self.evidence(iri, rec, required=False)
        self._confidence(iri, rec)

    def _body(self, rec: Mapping[str, Any]) -> None:
        iri = self.ids[rec["id"]][1]
        g = self.g
        g.add((iri, RDF.type, TCK.ResponsibleBody))
        self.labels(iri, rec)
        g.add((iri, TCK.bodyKind, mint(BODYKIND, self._need(rec, "kind"))))
        if rec.get("jurisdiction"):
            g.add((iri, TCK.jurisdiction, self._ref("place", rec["jurisdiction"], rec)))
        if rec.get("parent"):
            g.add((iri, ORG.subOrganizationOf, self._ref("body", rec["parent"], rec)))
        self.evidence(iri, rec, required=False)
        self._confidence(iri, rec)

    def _simple(self, rec: Mapping[str, Any], cls: URIRef) -> URIRef:
        iri = self.ids[rec["id"]][1]
        self.g.add((iri, RDF.type, cls))
        self.labels(iri, rec)
        self.g.add((iri, TCK.statedIn, self.report))
        self.evidence(iri, rec, required=False)
        self._confidence(iri, rec)
        return iri

    def _observation(self, iri: URIRef, rec: Mapping[str, Any], cls: URIRef, dataset: str) -> None:
        g = self.g
        g.add((iri, RDF.type, cls))
        g.add((iri, TCK.indicator, mint(IND, self._need(rec, "indicator"))))
        g.add((iri, TCK.year, self.year(rec)))
        g.add((iri, TCK.refArea, self._ref("place", self._need(rec, "area"), rec)))
        comparator = rec.get("comparator")
        if comparator:
            g.add((iri, TCK.comparator, mint(CMP, comparator)))
        if rec.get("value") is not None:
            # a number makes it a Data Cube observation of the report's data set; a statement
            # without one (qualitative, relative, unquantified) is not an observation
            g.add((iri, RDF.type, TCK.Observation))
            g.add((iri, QB.dataSet, URIRef(f"{self.base}dataset/{dataset}")))
            g.add((iri, TCK.value, self.number(rec, "value")))
            g.add((iri, TCK.unit, mint(UNIT, self._need(rec, "unit"))))
        elif comparator not in NUMERIC_FREE_COMPARATORS:
            raise SourceError(f"{self._where(rec)}: no `value`; only the comparators "
                              + ", ".join(sorted(NUMERIC_FREE_COMPARATORS)) + " go without one.")
        elif rec.get("unit"):
            g.add((iri, TCK.unit, mint(UNIT, rec["unit"])))
        if rec.get("upper") is not None:
            g.add((iri, TCK.upperValue, self.number(rec, "upper")))
        if rec.get("relative_to"):
            g.add((iri, TCK.relativeTo, mint(IND, rec["relative_to"])))
        if rec.get("benchmark_area"):
            g.add((iri, TCK.benchmarkArea, self._ref("place", rec["benchmark_area"], rec)))
        if rec.get("qualitative"):
            g.add((iri, TCK.qualitativeValue, Literal(str(rec["qualitative"]), lang="zh")))
        if rec.get("note"):
            g.add((iri, SKOS.note, Literal(str(rec["note"]), lang="en")))
        self._fact(iri, rec)

    def _target(self, rec: Mapping[str, Any]) -> None:
        level = self._need(rec, "plan_level")
        key = f"{self.year(rec)}/{level}/{self._need(rec, 'indicator')}"
        iri = URIRef(f"{self.base}target/{key}")
        if key in self.targets:
            raise SourceError(f"{self._where(rec)}: a second target {key}; a target is one per "
                              "year, plan level and indicator.")
        self.targets[key] = iri
        self._observation(iri, rec, TCK.Target, "targets")
        g = self.g
        g.add((iri, TCK.planLevel, mint(LEVEL, level)))
        g.add((iri, TCK.committedBy, self._ref("body", self._need(rec, "committed_by"), rec)))
        g.add((iri, TCK.comparator, mint(CMP, self._need(rec, "comparator"))))
        if rec.get("task"):
            g.add((self._ref("task", rec["task"], rec), TCK.statesTarget, iri))

    def _achievement(self, rec: Mapping[str, Any]) -> None:
        key = f"{self.year(rec)}/{self._need(rec, 'area')}/{self._need(rec, 'indicator')}"
        iri = URIRef(f"{self.base}achievement/{key}")
        if (iri, RDF.type, TCK.Achievement) in self.g:
            raise SourceError(f"{self._where(rec)}: a second achievement {key}; an achievement "
                              "is one per year, area and indicator.")
        self._observation(iri, rec, TCK.Achievement, "achievements")
        g = self.g
        g.add((iri, TCK.isEstimate, Literal(bool(rec.get("estimate", False)))))
        if rec.get("qualifier"):
            g.add((iri, TCK.qualifier, mint(QUAL, rec["qualifier"])))
        if rec.get("section"):
            g.add((self._ref("task", rec["section"], rec), TCK.statesAchievement, iri))

    def _task(self, rec: Mapping[str, Any]) -> None:
        iri = self.ids[rec["id"]][1]
        g = self.g
        kind = self._need(rec, "kind")
        if kind not in TASK_KINDS:
            raise SourceError(f"{self._where(rec)}: kind `{kind}` is not one of "
                              + ", ".join(TASK_KINDS) + ".")
        g.add((iri, RDF.type, TASK_KINDS[kind]))
        self.labels(iri, rec, "title", DCTERMS.title)
        self.labels(iri, rec, "title")
        g.add((iri, TCK.year, self.year(rec)))
        if rec.get("ordinal") is not None:
            g.add((iri, TCK.ordinal, Literal(int(rec["ordinal"]), datatype=XSD.integer)))
        if rec.get("parent"):
            g.add((iri, TCK.partOf, self._ref("task", rec["parent"], rec)))
        for body in rec.get("responsible") or []:
            g.add((iri, TCK.responsibleBody, self._ref("body", body, rec)))
        for ref in rec.get("mentions") or []:
            g.add((iri, TCK.mentions, self._ref("any", ref, rec)))
        for key in rec.get("serves") or []:
            target = self.targets.get(str(key))
            if target is None:
                raise SourceError(f"{self._where(rec)}: serves `{key}`, which is not a target of "
                                  "this report (year/plan_level/indicator).")
            g.add((iri, TCK.contributesTo, target))
        self._fact(iri, rec)

    def _project(self, rec: Mapping[str, Any]) -> None:
        iri = self.ids[rec["id"]][1]
        g = self.g
        g.add((iri, RDF.type, TCK.Project))
        self.labels(iri, rec)
        g.add((iri, TCK.statedIn, self.report))
        self._confidence(iri, rec)
        if rec.get("enterprise"):
            g.add((iri, TCK.enterprise, self._ref("enterprise|body", rec["enterprise"], rec)))
        if rec.get("task"):
            g.add((self._ref("task", rec["task"], rec), TCK.mentions, iri))
        milestones = rec.get("milestones") or []
        if not milestones:
            raise SourceError(f"{self._where(rec)}: a project needs at least one milestone.")
        for m in milestones:
            m = dict(m, _file=rec.get("_file"), id=rec["id"])
            stage = self._need(m, "stage")
            ms = URIRef(f"{self.base}milestone/{rec['id']}/{stage}/{self.year(m)}")
            g.add((iri, TCK.milestone, ms))
            g.add((ms, RDF.type, TCK.Milestone))
            g.add((ms, TCK.stage, mint(STAGE, stage)))
            g.add((ms, TCK.year, self.year(m)))
            g.add((ms, TCK.isPlanned, Literal(bool(m.get("planned", False)))))
            self._fact(ms, m)


def _camel(text: str) -> str:
    return "".join(part.capitalize() for part in text.split("-"))


def compile_report(source_dir: Path, text_dir: Path | None = None) -> Graph:
    """Compile a report folder to an rdflib Graph (raises :class:`SourceError`)."""
    source = read_source(source_dir)
    name = source["report"].get("source")
    if not name:
        raise SourceError(f"{source_dir}: report.source (the text file's name) is missing.")
    text_dir = text_dir or source_dir.parent.parent / "sources"
    path = text_dir / name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the report text as UTF-8 ({exc}).") from None
    return Compiler(source, text, name).run()


def compile_vocabulary(files: Iterable[Path]) -> Graph:
    """Compile indicator YAML files into the SKOS indicator scheme."""
    import yaml

    records: list[tuple[Any, Mapping[str, Any]]] = []
    for file in files:
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        records.extend((file, rec) for rec in doc.get("indicators", []))
    return indicator_graph(records)


def indicator_graph(records: Iterable[tuple[Any, Mapping[str, Any]]],
                    known: Iterable[str] = ()) -> Graph:
    """Indicator concepts from records ``(where, record)``, as the YAML files write them.

    ``known`` names indicators defined elsewhere (the scheme, for an extractor's proposed
    indicators) that ``growth_of`` may point at.
    """
    g = Graph()
    bind_prefixes(g.namespace_manager)
    scheme = TCK.IndicatorScheme
    seen: dict[str, Any] = {ident: "the scheme" for ident in known}
    for file, rec in records:
        ident = rec.get("id", "")
        where = f"{file}: indicator `{ident}`"
        if not SLUG.match(ident):
            raise SourceError(f"{where}: id must be lowercase ASCII with hyphens.")
        if ident in seen:
            raise SourceError(f"{where}: defined twice (also in {seen[ident]}).")
        seen[ident] = file
        iri = mint(IND, ident)
        g.add((iri, RDF.type, TCK.Indicator))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SKOS.notation, Literal(ident)))
        for lang in ("zh", "en"):
            if not rec.get("label", {}).get(lang):
                raise SourceError(f"{where}: label.{lang} is missing.")
            g.add((iri, SKOS.prefLabel, Literal(rec["label"][lang], lang=lang)))
        for alt in [rec.get("national"), rec.get("regional"), *(rec.get("alt") or [])]:
            if alt and alt != rec["label"]["zh"]:
                g.add((iri, SKOS.altLabel, Literal(str(alt), lang="zh")))
        if rec.get("national") and rec.get("regional") and rec["national"] != rec["regional"]:
            # one concept, named by the level that uses it (国内生产总值 / 地区生产总值)
            g.add((iri, SKOS.scopeNote, Literal(
                f"全国：{rec['national']}；地区：{rec['regional']}", lang="zh")))
            g.add((iri, SKOS.scopeNote, Literal(
                f"The nation writes {rec['national']}, a region {rec['regional']}.", lang="en")))
        for key, prop, ns in (("kind", TCK.indicatorKind, KIND), ("dimension", TCK.dimension, DIM),
                              ("polarity", TCK.polarity, POL)):
            if not rec.get(key):
                raise SourceError(f"{where}: `{key}` is missing.")
            g.add((iri, prop, ns[rec[key]]))
        if rec.get("growth_of"):
            g.add((iri, TCK.growthOf, mint(IND, rec["growth_of"])))
        if rec.get("broader"):
            g.add((iri, SKOS.broader, mint(IND, rec["broader"])))
        if rec.get("definition"):
            for lang, text in rec["definition"].items():
                g.add((iri, SKOS.definition, Literal(text, lang=lang)))
    for ident, file in seen.items():
        for _, _, target in g.triples((mint(IND, ident), TCK.growthOf, None)):
            if local_name(target, IND) not in seen:
                raise SourceError(f"{file}: indicator `{ident}` is a growth of `{target}`, "
                                  "which is not defined.")
    return g


def write_turtle(graph: Graph, out: Path) -> None:
    """Deterministic Turtle (one block per subject, sorted), written atomically."""
    from tckg.io.turtle import turtle
    from tckg.io.write import atomic_write_text

    atomic_write_text(out, turtle(graph))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["--vocabulary"] and len(args) >= 3:
            write_turtle(compile_vocabulary(Path(a) for a in args[2:]), Path(args[1]))
        elif len(args) == 2:
            write_turtle(compile_report(Path(args[0])), Path(args[1]))
        else:
            print("usage: python -m tckg.compile SOURCE_DIR OUT.ttl\n"
                  "       python -m tckg.compile --vocabulary OUT.ttl INDICATORS.yaml ...",
                  file=sys.stderr)
            return 2
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
