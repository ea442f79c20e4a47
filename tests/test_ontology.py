"""The ontology and the shapes document themselves: labels, comments and messages in zh and en."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from tckg.namespaces import ONTOLOGY_GRAPH, TCK
from tckg.store.backends import RdflibStore
from tckg.store.load import load_ontology
from tckg.validate import check_shapes, load_shapes


@pytest.fixture(scope="module")
def ontology() -> Graph:
    store = RdflibStore()
    load_ontology(store)
    return store.graph(ONTOLOGY_GRAPH)


def _langs(graph: Graph, node: URIRef, prop: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(node, prop) if isinstance(o, Literal)}


def _tck_terms(graph: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for k in kinds for s in graph.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(str(TCK))})


def test_every_class_and_property_has_labels_and_a_comment(ontology: Graph) -> None:
    terms = _tck_terms(ontology)
    assert len(terms) > 60
    missing = [(t, p) for t in terms for p in (RDFS.label, RDFS.comment)
               if not {"zh", "en"} <= _langs(ontology, t, p)]
    assert missing == []


def test_every_concept_has_zh_and_en_labels(ontology: Graph) -> None:
    concepts = {s for s in ontology.subjects(SKOS.inScheme, None)}
    assert len(concepts) > 100  # indicators, units, comparators, statuses …
    missing = [c for c in concepts if not {"zh", "en"} <= _langs(ontology, c, SKOS.prefLabel)]
    assert missing == []


def test_every_shape_has_a_message_in_zh_and_en() -> None:
    shapes = load_shapes()
    nodes = [s for s in shapes.subjects(RDF.type, SH.NodeShape)]
    nodes += [s for s in shapes.objects(None, SH.property)]
    nodes += [s for s in shapes.objects(None, SH.sparql)]
    assert len(nodes) > 60
    missing = [shapes.namespace_manager.normalizeUri(n) if isinstance(n, URIRef) else n
               for n in nodes if not {"zh", "en"} <= _langs(shapes, n, SH.message)]
    assert missing == []


@pytest.mark.slow
def test_shapes_conform_to_shacl_shacl_and_use_only_shacl_terms() -> None:
    assert check_shapes() == []


@pytest.mark.slow
def test_a_misspelt_shacl_term_is_caught() -> None:
    shapes = load_shapes()
    shapes.add((BNode(), URIRef(str(SH) + "minlength"), Literal(3)))
    problems = check_shapes(shapes)
    assert len(problems) == 1 and "sh:minlength" in problems[0]


def test_units_convert_to_their_base(ontology: Graph) -> None:
    unit = URIRef("https://w3id.org/tckg/unit/")
    factor = {str(s)[len(unit):]: float(o) for s, o in
              ontology.subject_objects(TCK.conversionFactor)}
    assert factor["wan-tonne"] == 10000 and factor["yi-jin"] == 50000  # 亿斤 = 50,000 t
    assert factor["wan-person"] == 10000 and factor["yi-yuan"] == 1e8
    # 3.5 万吨 and 0.7 亿斤 are the same amount of grain once converted.
    assert 3.5 * factor["wan-tonne"] == pytest.approx(0.7 * factor["yi-jin"])


@pytest.mark.slow
def test_a_shape_that_breaks_shacl_shacl_is_caught() -> None:
    shapes = load_shapes()
    shapes.add((URIRef("https://w3id.org/tckg/shapes#TargetShape"), SH.minCount, Literal("one")))
    problems = check_shapes(shapes)
    assert len(problems) == 1 and "SHACL-SHACL" in problems[0]
