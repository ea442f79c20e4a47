"""Every namespace and prefix tckg uses, declared once.

IRIs of the project live under https://w3id.org/tckg/:

- ``def#``        the ontology (classes and properties), prefix ``tck``
- ``indicator/``  the indicator concept scheme, prefix ``ind``
- ``comparator/`` target comparators, prefix ``cmp``
- ``unit/``       units with their factor to a base unit, prefix ``unit``
- ``kind/``, ``stage/``, ``level/``, ``qualifier/``, ``polarity/``, ``dimension/``: small schemes
- ``place/``, ``org/``, ``project/``, ``campaign/``: shared by all reports
- ``report/{slug}/…``    the facts of one report; ``graph/{slug}`` its named graph

The ontology's namespaces (``tck``, ``ind``, ``cmp``, ``unit`` and the schemes) are closed: they
are generated from ``ontology/*.ttl`` into :mod:`tckg.vocab` and re-exported here, so a misspelt
term (``TCK.planLevle``) raises ``AttributeError``. The namespaces of the data (places, bodies,
projects, reports, graphs) are open; IRIs in them are made with :func:`tckg.vocab.iri.mint`.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, NamespaceManager

from tckg.vocab import BODYKIND, CMP, DIM, IND, KIND, LEVEL, POL, QUAL, RULE, STAGE, STATUS, TCK, UNIT
from tckg.vocab.iri import local_name, mint

BASE = "https://w3id.org/tckg/"

PLACE = Namespace(BASE + "place/")
ORGS = Namespace(BASE + "org/")
PROJECT = Namespace(BASE + "project/")
CAMPAIGN = Namespace(BASE + "campaign/")
REPORT = Namespace(BASE + "report/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes#")

# Standard vocabularies reused by the ontology.
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATT = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEAS = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
ASSESSMENT_GRAPH = GRAPH["assessments"]

PREFIXES: dict[str, Namespace] = {
    "tck": TCK,
    "ind": IND,
    "cmp": CMP,
    "unit": UNIT,
    "kind": KIND,
    "stage": STAGE,
    "level": LEVEL,
    "qual": QUAL,
    "pol": POL,
    "dim": DIM,
    "bodykind": BODYKIND,
    "place": PLACE,
    "orgs": ORGS,
    "project": PROJECT,
    "campaign": CAMPAIGN,
    "rule": RULE,
    "status": STATUS,
    "tcksh": SHAPES,
    "org": ORG,
    "qb": QB,
    "oa": OA,
    "pplan": PPLAN,
    "time": TIME,
    "schema": SCHEMA,
    "sdmx-dimension": SDMX_DIM,
    "sdmx-attribute": SDMX_ATT,
    "sdmx-measure": SDMX_MEAS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
}


def bind_prefixes(manager: NamespaceManager) -> None:
    """Bind the project's prefixes on a graph's namespace manager (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        manager.bind(prefix, ns, override=True, replace=True)


def _display_prefixes() -> list[tuple[str, str]]:
    pairs = [(p, str(ns)) for p, ns in PREFIXES.items()] + [("report", str(REPORT))]
    return sorted(pairs, key=lambda pair: -len(pair[1]))


def compact_iri(iri: str) -> str:
    """``https://w3id.org/tckg/indicator/gdp-growth`` → ``ind:gdp-growth`` (for display only)."""
    for prefix, ns in _display_prefixes():
        name = local_name(iri, ns)
        if name:
            return f"{prefix}:{name}"
    return str(iri)


def report_iri(slug: str) -> str:
    return str(mint(REPORT, slug))


def report_graph_iri(slug: str) -> str:
    return str(mint(GRAPH, slug))
