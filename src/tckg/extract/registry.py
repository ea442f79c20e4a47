"""What the extractor already knows: units, indicators, places, bodies, enterprises."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tckg.extract.common import norm_label
from tckg.namespaces import BODYKIND, DIM, IND, KIND, LEVEL, ORGS, PLACE, POL, SCHEMA, TCK, UNIT
from tckg.vocab.iri import local_name


@dataclass
class UnitInfo:
    id: str
    symbol: str
    dimension: str
    base: str
    factor: Decimal


@dataclass
class IndicatorInfo:
    id: str
    label_zh: str
    labels: list[str]
    kind: str
    dimension: str
    polarity: str
    growth_of: str | None = None
    proposed: bool = False
    label_en: str | None = None


@dataclass
class PlaceInfo:
    id: str
    zh: str
    en: str
    level: str
    part_of: str | None = None


@dataclass
class BodyInfo:
    id: str
    zh: str
    en: str
    kind: str
    jurisdiction: str | None = None


def _lang(graph: Graph, node: URIRef, prop: URIRef, lang: str) -> str | None:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return None


@dataclass
class Registry:
    """What the extractor already knows: units and indicators from the ontology; places,
    bodies and enterprises from the loaded data (shared by all reports)."""

    units: dict[str, UnitInfo] = field(default_factory=dict)
    indicators: dict[str, IndicatorInfo] = field(default_factory=dict)
    places: dict[str, PlaceInfo] = field(default_factory=dict)
    bodies: dict[str, BodyInfo] = field(default_factory=dict)
    enterprises: dict[str, tuple[str, str]] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)   # tck: properties the ontology declares

    @classmethod
    def from_graph(cls, graph: Graph) -> Registry:
        reg = cls()
        for kind in (OWL.DatatypeProperty, OWL.ObjectProperty):
            reg.terms |= {str(p) for p in graph.subjects(RDF.type, kind)
                          if str(p).startswith(str(TCK))}
        for node in graph.subjects(RDF.type, TCK.Unit):
            ident = local_name(node, UNIT)
            symbol = next((str(s) for s in graph.objects(node, TCK.symbol)), None)
            dim = local_name(next(graph.objects(node, TCK.dimension), ""), DIM)
            base = local_name(next(graph.objects(node, TCK.baseUnit), node), UNIT)
            factor = next(graph.objects(node, TCK.conversionFactor), Literal(1))
            if ident and symbol and dim:
                reg.units[ident] = UnitInfo(ident, symbol, dim, base or ident,
                                            Decimal(str(factor)))
        for node in graph.subjects(RDF.type, TCK.Indicator):
            ident = local_name(node, IND)
            if not ident:
                continue
            zh = _lang(graph, node, SKOS.prefLabel, "zh") or ident
            labels = [zh] + [str(a) for a in graph.objects(node, SKOS.altLabel)]
            reg.indicators[ident] = IndicatorInfo(
                ident, zh, labels,
                local_name(next(graph.objects(node, TCK.indicatorKind), ""), KIND) or "level",
                local_name(next(graph.objects(node, TCK.dimension), ""), DIM) or "none",
                local_name(next(graph.objects(node, TCK.polarity), ""), POL) or "higher-is-better",
                local_name(next(graph.objects(node, TCK.growthOf), ""), IND) or None,
                label_en=_lang(graph, node, SKOS.prefLabel, "en"))
        for node in graph.subjects(RDF.type, TCK.Place):
            ident = local_name(node, PLACE)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                level = local_name(next(graph.objects(node, TCK.placeLevel), ""), LEVEL) or "other"
                parent = local_name(next(graph.objects(node, SCHEMA.containedInPlace), ""), PLACE)
                reg.places[ident] = PlaceInfo(ident, zh, en, level, parent or None)
        for node in graph.subjects(RDF.type, TCK.ResponsibleBody):
            ident = local_name(node, ORGS)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                kind = local_name(next(graph.objects(node, TCK.bodyKind), ""), BODYKIND) or "other"
                juris = local_name(next(graph.objects(node, TCK.jurisdiction), ""), PLACE)
                reg.bodies[ident] = BodyInfo(ident, zh, en, kind, juris or None)
        for node in graph.subjects(RDF.type, TCK.Enterprise):
            ident = local_name(node, ORGS)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                reg.enterprises[ident] = (zh, en)
        return reg

    @classmethod
    def default(cls, with_data: bool = True) -> Registry:
        """The ontology, plus the bundled data when ``with_data`` (reuses their places)."""
        from tckg.store.load import load_dataset

        ds = load_dataset(None if with_data else [])
        return cls.from_graph(ds.union())

    # -- look-ups ------------------------------------------------------------------------
    def ancestors(self, place: str) -> list[str]:
        out, seen = [], set()
        while place and place not in seen and place in self.places:
            seen.add(place)
            out.append(place)
            place = self.places[place].part_of or ""
        return out

    def place_by_label(self, label: str) -> str | None:
        key = norm_label(label)
        for p in self.places.values():
            if norm_label(p.zh) == key or p.id == label:
                return p.id
        return None

    def body_by_label(self, label: str) -> str | None:
        key = norm_label(label)
        for b in self.bodies.values():
            if norm_label(b.zh) == key or b.id == label:
                return b.id
        return None

