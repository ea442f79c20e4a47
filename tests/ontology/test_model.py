"""The data model as a semantic-web engineer reads it: what RDFS entails from the bundled data
and the ontology (tckg.sparql.inference), and how the home-made units map to QUDT."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

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


def test_every_observation_has_its_measure_and_only_those(dataset):
    """A Data Cube observation has its measure (tck:value); a target or result without a number
    (qualitative, relative, unquantified) is an indicator statement, not an observation."""
    from tckg.namespaces import QB

    g = dataset.union()
    statements = set(g.subjects(RDF.type, TCK.Target)) | set(g.subjects(RDF.type, TCK.Achievement))
    observations = set(g.subjects(RDF.type, TCK.Observation))
    with_value = {s for s in statements if g.value(s, TCK.value) is not None}
    assert observations == with_value
    assert statements - observations, "the bundled data has targets without a number"
    for node in observations:
        assert g.value(node, QB.dataSet) is not None, node
    for node in statements - observations:
        assert g.value(node, QB.dataSet) is None, node
    assert (TCK.Target, RDFS.subClassOf, TCK.Observation) not in g


def test_shapes_are_portable_shacl():
    """No SHACL-AF: every shape uses a Core target and its SPARQL constraint picks the offenders."""
    from rdflib.namespace import SH

    shapes = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path)
    assert not list(shapes.triples((None, SH.target, None)))
    assert not list(shapes.subjects(RDF.type, SH.SPARQLTarget))
    for shape in shapes.subjects(SH.sparql, None):
        targets = [p for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                   if shapes.value(shape, p) is not None]
        assert targets, shape
    text = (ROOT / "src" / "tckg" / "validate" / "__init__.py").read_text(encoding="utf-8")
    assert "advanced=False" in text and "advanced=True" not in text
