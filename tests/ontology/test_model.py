"""The data model as a semantic-web engineer reads it: what RDFS entails from the bundled data
and the ontology (tckg.sparql.inference), and how the home-made units map to QUDT."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from tckg.namespaces import PPLAN, TCK, UNIT
from tckg.sparql.inference import rdfs_closure

QUDT_UNIT = "http://qudt.org/vocab/unit/"
QUDT_CURRENCY = "http://qudt.org/vocab/currency/"


@pytest.fixture(scope="module")
def entailed(dataset) -> Graph:
    """The data, the ontology and what RDFS entails from them."""
    g = Graph()
    g += dataset.union()
    g += rdfs_closure(g)
    return g


def test_only_tasks_are_plan_steps(entailed):
    """Sections and review areas are parts of a report, not P-Plan steps, even for a consumer
    that knows P-Plan's domain and range of pplan:isStepOfPlan (ontology/external.ttl)."""
    steps = set(entailed.subjects(RDF.type, PPLAN.Step))
    assert steps, "task areas and measures are steps"
    for node in steps:
        assert (node, RDF.type, TCK.Task) in entailed, node
    for cls in (TCK.Section, TCK.ReviewArea):
        parts = set(entailed.subjects(RDF.type, cls))
        assert parts and not parts & steps, cls
    assert not set(entailed.subjects(RDF.type, PPLAN.Plan))


def test_units_map_to_qudt_where_qudt_has_the_unit(dataset):
    g = dataset.union()
    exact = {u: m for u, m in g.subject_objects(SKOS.exactMatch) if str(u).startswith(str(UNIT))}
    assert exact[UNIT.percent] == URIRef(QUDT_UNIT + "PERCENT")
    assert exact[UNIT.tonne] == URIRef(QUDT_UNIT + "TONNE")
    assert exact[UNIT.yuan] == URIRef(QUDT_CURRENCY + "CNY")
    assert exact[UNIT["ug-per-m3"]] == URIRef(QUDT_UNIT + "MicroGM-PER-M3")
    for unit, match in exact.items():
        assert str(match).startswith((QUDT_UNIT, QUDT_CURRENCY)), unit
        # 万吨, 亿元: a Chinese multiplier has no QUDT unit (its base unit has one)
        assert not str(unit).split("/")[-1].startswith(("wan-", "yi-")), unit
    close = dict(g.subject_objects(SKOS.closeMatch))
    assert close[UNIT.person] == URIRef(QUDT_UNIT + "NUM")
    assert not set(exact) & set(close)


def test_units_file_names_no_qudt_term_it_would_fetch():
    text = (ROOT / "ontology" / "units.ttl").read_text(encoding="utf-8")
    assert "owl:imports" not in text
