"""Data-driven SHACL shape tests, in the manner of the W3C SHACL test suite.

For every node shape in ``shapes/*.ttl`` (enumerated from the shapes graph, so a new shape
without fixtures fails here) there is

- ``tests/shapes/valid/<Shape>.ttl``: data that must conform with no result at all, declaring
  the node it is an example of: ``[] a tckt:ExpectedConformance ; tckt:shape … ; tckt:focus … .``
- ``tests/shapes/invalid/<Shape>.ttl`` (and optional variants ``<Shape>--<case>.ttl``): data that
  declares, in RDF, every result it must produce::

      [] a tckt:ExpectedResult ; tckt:shape tcksh:TargetShape ; tckt:focus <…> ;
         tckt:path tck:planLevel ; tckt:component sh:MinCountConstraintComponent ;
         tckt:severity sh:Violation ; tckt:value … .      # tckt:path / tckt:value optional

  (without ``tckt:shape``: a result of tckg's checks outside SHACL, e.g. ``tck:IllTypedLiteral``)

Each fixture is validated together with ``tests/shapes/base.ttl`` (a report, its source text,
places, bodies, a section and evidence quoted from the real text) and the real ontology, with
the ``tckt:`` triples stripped first. The results must be exactly the declared ones: no fewer,
no other.

A result is attributed to a shape as a reader of the shapes would: a property shape's result to
its node shape (for a shared property shape such as ``tcksh:Year``, to the node shape that
targets the focus node), and a failed ``sh:node`` to the shape it names (``tcksh:InSchemeShape``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, NamespaceManager

from tckg.namespaces import OA, bind_prefixes
from tckg.store.backends import RdflibStore
from tckg.store.load import load_ontology, parse_file
from tckg.validate import Severity, ValidationReport, ValidationResult, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "shapes"
BASE = FIXTURES / "base.ttl"
SOURCE_TEXT = ROOT / "data" / "sources" / "tianyuan-2023-plan-report.txt"

TCKT = Namespace("https://w3id.org/tckg/test#")
TCKSH = Namespace("https://w3id.org/tckg/shapes#")
SEVERITY_IRI = {Severity.VIOLATION: SH.Violation, Severity.WARNING: SH.Warning,
                Severity.INFO: SH.Info}
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                     SH.target)
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- the shapes, read once at collection time so that parametrize sees every shape --------------

def node_shapes(shapes: Graph) -> list[URIRef]:
    """Every named node shape: typed sh:NodeShape, or with a target and no path, or used by sh:node."""
    found = {s for s in shapes.subjects(RDF.type, SH.NodeShape)}
    for pred in TARGET_PREDICATES:
        found |= {s for s in shapes.subjects(pred, None) if (s, SH.path, None) not in shapes}
    found |= set(shapes.objects(None, SH.node))
    return sorted((s for s in found if isinstance(s, URIRef)), key=str)


def local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


SHAPES = load_shapes()
NODE_SHAPES = node_shapes(SHAPES)
SHAPE_BY_NAME = {local(s): s for s in NODE_SHAPES}
SHAPE_NAMES = list(SHAPE_BY_NAME)
VARIANTS = sorted(p.stem for p in (FIXTURES / "invalid").glob("*--*.ttl"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    store = RdflibStore()
    load_ontology(store)
    return store.union()


# -- fixtures: load, split declarations from data, validate --------------------------------------

def parse(path: Path) -> Graph:
    g = Graph()
    for graph in parse_file(path).graphs.values():
        for triple in graph:
            g.add(triple)
    return g


def split_declarations(fixture: Graph) -> tuple[Graph, list[dict]]:
    """The fixture's data without its tckt: declarations, and the declarations as dicts."""
    declarations = []
    data = Graph()
    declared = set(fixture.subjects(RDF.type, TCKT.ExpectedResult)) | set(
        fixture.subjects(RDF.type, TCKT.ExpectedConformance))
    for node in declared:
        decl: dict = {"kind": fixture.value(node, RDF.type)}
        for p, o in fixture.predicate_objects(node):
            if p != RDF.type:
                assert str(p).startswith(str(TCKT)), f"unexpected {p} on a declaration"
                key = str(p)[len(str(TCKT)):]
                assert key not in decl, f"tckt:{key} given twice on one declaration"
                decl[key] = o
        declarations.append(decl)
    for s, p, o in fixture:
        if s in declared:
            continue
        assert not any(str(t).startswith(str(TCKT)) for t in (p, o)), \
            f"a tckt: term outside a declaration: {s} {p} {o}"
        data.add((s, p, o))
    return data, declarations


def validate_fixture(ontology: Graph, fixture_data: Graph) -> tuple[Graph, ValidationReport]:
    data = Graph()
    for triple in ontology:
        data.add(triple)
    for triple in parse(BASE):
        data.add(triple)
    for triple in fixture_data:
        data.add(triple)
    return data, validate_graph(data, SHAPES)


# -- turning the typed report's strings back into IRIs -------------------------------------------

def _nsm() -> NamespaceManager:
    nsm = NamespaceManager(Graph())
    bind_prefixes(nsm)
    nsm.bind("tcksh", TCKSH)
    return nsm


NSM = _nsm()


def iri(text: str | None) -> URIRef | None:
    """``tck:unit`` or ``<https://…>`` as printed in a ValidationResult, as a URIRef."""
    if text is None:
        return None
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if re.match(r"^[A-Za-z][\w.-]*:[^/]", text) and not text.startswith(("http:", "https:")):
        return URIRef(NSM.expand_curie(text))
    return URIRef(text)


def is_instance(data: Graph, node: URIRef, cls: URIRef) -> bool:
    for t in data.objects(node, RDF.type):
        if t == cls or cls in set(data.transitive_objects(t, RDFS.subClassOf)):
            return True
    return False


def responsible_shape(result: ValidationResult, data: Graph) -> URIRef | None:
    """The node shape a reader would blame for this result (see the module docstring);
    None for a check tckg makes outside SHACL (an ill-typed literal)."""
    source = iri(result.shape)
    if source is None:
        return None
    if iri(result.component) == SH.NodeConstraintComponent:
        nested = SHAPES.value(source, SH.node)
        if nested is not None:
            return nested
    if source in NODE_SHAPES:
        return source
    parents = [n for n in SHAPES.subjects(SH.property, source) if n in NODE_SHAPES]
    if len(parents) > 1:  # a shared property shape: the parent whose target class holds the focus
        focus = URIRef(result.focus)
        parents = [n for n in parents
                   if any(is_instance(data, focus, c) for c in SHAPES.objects(n, SH.targetClass))]
    assert len(parents) == 1, f"cannot attribute {source} to one node shape: {parents}"
    return parents[0]


def term_matches(printed: str | None, expected: URIRef | Literal) -> bool:
    if printed is None:
        return False
    if isinstance(expected, URIRef):
        return iri(printed) == expected
    return printed == str(expected)


def describe(r: ValidationResult) -> str:
    return (f"{r.severity.value} {r.shape} focus={r.focus} path={r.path} "
            f"component={r.component} value={r.value!r}: {r.message_en}")


# -- the enumeration itself -------------------------------------------------------------------

def test_shapes_are_enumerated_from_both_files() -> None:
    # Guards the enumeration that drives every test below: if it found nothing, they would
    # pass vacuously.
    assert TCKSH.TargetShape in NODE_SHAPES and TCKSH.UndeclaredTermShape in NODE_SHAPES
    assert TCKSH.InSchemeShape in NODE_SHAPES  # reached only through sh:node
    # the two Web Annotation selectors of an evidence, each checked by its own shape
    assert {TCKSH.QuoteSelectorShape, TCKSH.PositionSelectorShape} <= set(NODE_SHAPES)
    assert len(NODE_SHAPES) >= 25
    assert len(SHAPE_BY_NAME) == len(NODE_SHAPES), "two shapes share a local name"
    assert not any(p in NODE_SHAPES for p in (TCKSH.Year, TCKSH.LabelZh))  # property shapes


def test_every_fixture_belongs_to_a_shape() -> None:
    """A renamed or deleted shape must not leave fixtures that test nothing."""
    orphans = [p.relative_to(FIXTURES).as_posix()
               for folder in ("valid", "invalid") for p in sorted((FIXTURES / folder).iterdir())
               if p.suffix != ".ttl" or p.stem.split("--")[0] not in SHAPE_NAMES
               or (folder == "valid" and "--" in p.stem)]
    assert not orphans, f"fixtures for no current shape: {orphans}"


@pytest.mark.slow
def test_base_conforms_without_any_result(ontology: Graph) -> None:
    _, report = validate_fixture(ontology, Graph())
    assert report.results == [], [describe(r) for r in report.results]
    assert report.conforms


# -- valid examples ------------------------------------------------------------------------------

@pytest.mark.parametrize("shape_name", SHAPE_NAMES)
@pytest.mark.slow
def test_valid_example_conforms(shape_name: str, ontology: Graph) -> None:
    path = FIXTURES / "valid" / f"{shape_name}.ttl"
    assert path.is_file(), f"add a conforming example for tcksh:{shape_name} at {path}"
    fixture, declarations = split_declarations(parse(path))
    shape = SHAPE_BY_NAME[shape_name]
    assert declarations, f"{path.name}: declare the example's node with tckt:ExpectedConformance"
    data, report = validate_fixture(ontology, fixture)
    assert report.results == [], [describe(r) for r in report.results]
    assert report.conforms
    own_nodes = set(fixture.subjects()) | set(fixture.objects())
    for decl in declarations:
        assert decl["kind"] == TCKT.ExpectedConformance, f"{path.name}: only conformance here"
        assert decl["shape"] == shape, f"{path.name} declares {decl['shape']}, not {shape}"
        focus = decl["focus"]
        # The example must be about something this file adds, and be a node the shape checks.
        assert focus in own_nodes, f"{path.name}: focus {focus} is not in the fixture"
        classes = list(SHAPES.objects(shape, SH.targetClass))
        if classes:
            assert any(is_instance(data, focus, c) for c in classes), \
                f"{focus} is not targeted by {shape_name}"
        via = [SHAPES.value(p, SH.path) for p in SHAPES.subjects(SH.node, shape)]
        if via and not classes and (shape, SH.target, None) not in SHAPES:
            assert any((None, p, focus) in fixture for p in via), \
                f"{focus} is not reached by {shape_name} (through {via})"


# -- invalid examples ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", SHAPE_NAMES + VARIANTS)
@pytest.mark.slow
def test_invalid_example_gives_exactly_the_declared_results(case: str, ontology: Graph) -> None:
    path = FIXTURES / "invalid" / f"{case}.ttl"
    shape = SHAPE_BY_NAME.get(case.split("--")[0])
    assert path.is_file(), f"add a failing example for {shape} at {path}, declaring its results"
    fixture, declarations = split_declarations(parse(path))
    assert declarations, f"{path.name}: declare the expected results with tckt:ExpectedResult"
    expected = Counter()
    values = []
    for decl in declarations:
        assert decl["kind"] == TCKT.ExpectedResult, f"{path.name}: only expected results here"
        missing = {"focus", "component", "severity"} - set(decl)
        assert not missing, f"{path.name}: a declaration lacks tckt:{', tckt:'.join(missing)}"
        # No tckt:shape: a result of tckg's own checks outside SHACL (tck:IllTypedLiteral).
        key = (decl.get("shape"), decl["focus"], decl.get("path"), decl["component"],
               decl["severity"])
        expected[key] += 1
        values.append((key, decl.get("value")))
    assert any(k[0] == shape for k in expected), f"{path.name} expects no result of {shape}"

    data, report = validate_fixture(ontology, fixture)
    actual = Counter()
    by_key: dict[tuple, list[ValidationResult]] = {}
    for r in report.results:
        key = (responsible_shape(r, data), URIRef(r.focus), iri(r.path), iri(r.component),
               SEVERITY_IRI[r.severity])
        actual[key] += 1
        by_key.setdefault(key, []).append(r)
    assert actual == expected, (
        f"{path.name}\nmissing: {list((expected - actual).elements())}\n"
        f"unexpected: {[describe(r) for k in (actual - expected) for r in by_key[k]]}")

    for key, value in values:
        if value is not None:
            printed = [r.value for r in by_key[key]]
            assert any(term_matches(p, value) for p in printed), f"{key}: value {printed} != {value}"
    # Warnings are reported but do not make the data fail.
    assert report.conforms == (SH.Violation not in {k[4] for k in expected})
    # Every result reaches the user in both languages.
    for r in report.results:
        assert r.message_en and r.message_zh, describe(r)
        assert CJK.search(r.message_zh), f"no Chinese message: {describe(r)}"
        assert r.message_en != r.message_zh, f"no English message: {describe(r)}"


# -- the shapes graph itself ----------------------------------------------------------------------

def test_every_shape_and_constraint_has_messages_in_zh_and_en() -> None:
    holders = set(NODE_SHAPES)
    holders |= {p for p in SHAPES.subjects(SH.path, None)}          # property shapes
    holders |= {c for c in SHAPES.objects(None, SH.sparql)}          # SPARQL constraints
    missing = []
    for node in holders:
        langs = Counter(m.language for m in SHAPES.objects(node, SH.message)
                        if isinstance(m, Literal))
        if langs["zh"] != 1 or langs["en"] != 1:
            missing.append((str(node), dict(langs)))
    assert not missing, f"sh:message must be given once in zh and once in en: {missing}"
    for shape in NODE_SHAPES:
        labels = {lbl.language for lbl in SHAPES.objects(shape, RDFS.label)}
        assert {"zh", "en"} <= labels, f"{shape} needs rdfs:label @zh and @en"


def test_shapes_graph_is_valid_shacl() -> None:
    """SHACL-SHACL accepts the shapes, and every sh: term in them is a SHACL term."""
    from tckg.validate import check_shapes

    assert check_shapes(SHAPES) == []


def test_fixture_quotes_are_verbatim_from_the_source_text() -> None:
    """The shared context and the valid examples quote the real report with exact offsets."""
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    checked = 0
    for path in [BASE, *sorted((FIXTURES / "valid").glob("*.ttl"))]:
        g = parse(path)
        # the quote on the evidence's quote selector, the offsets on its position selector
        for ev in set(g.subjects(OA.hasSelector, None)):
            start = int(g.value(ev, OA.hasSelector / OA.start))
            end = int(g.value(ev, OA.hasSelector / OA.end))
            assert text[start:end] == str(g.value(ev, OA.hasSelector / OA.exact)), f"{path.name}: {ev}"
            checked += 1
    assert checked >= 20
