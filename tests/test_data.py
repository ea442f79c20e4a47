"""The bundled data: every evidence quote against the source text, the Turtle against its
YAML source, and the facts of the report that everything else relies on."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF

from tckg.namespaces import CMP, IND, LEVEL, OA, PLACE, REPORT, SCHEMA, TCK, UNIT

ROOT = Path(__file__).resolve().parents[1]
REPORT_TTL = ROOT / "data" / "report.ttl"
SOURCE_DIR = ROOT / "data" / "source" / "tianyuan-2023-plan"
TEXTS = ROOT / "data" / "sources"
SLUG = "tianyuan-2023-plan"
COMPILE_HINT = (
    "data/report.ttl is not what the YAML compiles to; regenerate it with\n"
    "  PYTHONPATH=src python -m tckg.compile --vocabulary ontology/indicators.ttl "
    "ontology/src/indicators*.yaml && PYTHONPATH=src python -m tckg.compile "
    "data/source/tianyuan-2023-plan data/report.ttl")


@pytest.fixture(scope="module")
def report() -> Graph:
    return Graph().parse(REPORT_TTL, format="turtle")


def _year(g: Graph, node: URIRef) -> str:
    return str(g.value(node, TCK.year))


def _target(slug_path: str) -> URIRef:
    return URIRef(f"{REPORT}{SLUG}/target/{slug_path}")


# -- evidence ----------------------------------------------------------------------------------

def test_every_evidence_quote_is_the_source_text_at_its_offsets(report: Graph) -> None:
    texts: dict[URIRef, str] = {}
    for source in set(report.subjects(RDF.type, TCK.SourceText)):
        path = TEXTS / str(report.value(source, SCHEMA.name))
        raw = path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == str(report.value(source, TCK.sha256)), \
            f"{path.name} changed since data/report.ttl was compiled"
        texts[source] = raw.decode("utf-8")
        assert len(texts[source]) == int(report.value(source, TCK.characterCount))
    assert texts, "the report names no source text"

    checked, wrong = 0, []
    for evidence in set(report.subjects(RDF.type, TCK.Evidence)):
        text = texts[report.value(evidence, OA.hasSource)]
        # One quote selector and one position selector, each carrying only its own properties.
        selectors = {t: s for s in report.objects(evidence, OA.hasSelector)
                     for t in report.objects(s, RDF.type)}
        assert len(selectors) == 2 == len(set(report.objects(evidence, OA.hasSelector))), evidence
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        assert (quote, OA.start, None) not in report and (position, OA.exact, None) not in report
        # Offsets are Python str indices: Unicode code points of the decoded text.
        start, end = int(report.value(position, OA.start)), int(report.value(position, OA.end))
        exact = str(report.value(quote, OA.exact))
        if not (0 <= start < end <= len(text)) or text[start:end] != exact:
            wrong.append(f"{evidence}: [{start}:{end}] is {text[start:end]!r}, quote {exact!r}")
        checked += 1
    assert not wrong, "\n".join(wrong[:20])
    assert checked >= 100  # the whole report is evidenced, not a sample


def test_every_fact_carries_evidence(report: Graph) -> None:
    facts = set()
    for cls in (TCK.Target, TCK.Achievement, TCK.Measure, TCK.TaskArea, TCK.Milestone):
        facts |= set(report.subjects(RDF.type, cls))
    without = sorted(str(f) for f in facts if (f, TCK.evidence, None) not in report)
    assert not without, without[:20]


# -- data/report.ttl is exactly what its YAML compiles to ---------------------------------------

def test_report_ttl_is_what_the_yaml_compiles_to(report: Graph, tmp_path: Path) -> None:
    from tckg.compile import compile_report, write_turtle

    out = tmp_path / "report.ttl"
    write_turtle(compile_report(SOURCE_DIR), out)
    fresh = Graph().parse(out, format="turtle")
    if not isomorphic(fresh, report):
        _, only_committed, only_fresh = graph_diff(to_isomorphic(report), to_isomorphic(fresh))
        sample = sorted(f"- {t}" for t in only_committed)[:5] + sorted(
            f"+ {t}" for t in only_fresh)[:5]
        pytest.fail(f"{COMPILE_HINT}\n({len(only_committed)} triples only in the committed file, "
                    f"{len(only_fresh)} only in a fresh compile), e.g.\n" + "\n".join(sample))


def test_indicator_scheme_is_what_its_yaml_compiles_to() -> None:
    from tckg.compile import compile_vocabulary

    fresh = compile_vocabulary(sorted((ROOT / "ontology" / "src").glob("indicators*.yaml")))
    committed = Graph().parse(ROOT / "ontology" / "indicators.ttl", format="turtle")
    assert isomorphic(fresh, committed), COMPILE_HINT


# -- the report's facts ------------------------------------------------------------------------

def test_counts_match_the_whole_report(report: Graph) -> None:
    targets = set(report.subjects(RDF.type, TCK.Target))
    achievements = set(report.subjects(RDF.type, TCK.Achievement))
    # About 40 targets for 2023 in the text plus the appendix columns; about 80 results for 2022.
    assert sum(_year(report, t) == "2023" for t in targets) >= 40
    assert sum(_year(report, a) == "2022" for a in achievements) >= 80
    assert len(set(report.subjects(RDF.type, TCK.TaskArea))) >= 6
    assert len(set(report.subjects(RDF.type, TCK.ReviewArea))) >= 5
    assert len(set(report.subjects(RDF.type, TCK.Project))) >= 10


def test_district_gdp_target_2023_is_about_7_5_percent(report: Graph) -> None:
    t = _target("2023/district/gdp-growth")
    assert (t, RDF.type, TCK.Target) in report
    assert report.value(t, TCK.indicator) == IND["gdp-growth"]
    assert report.value(t, TCK.comparator) == CMP.approximately
    assert report.value(t, TCK.value).toPython() == Decimal("7.5")
    assert report.value(t, TCK.unit) == UNIT.percent
    assert report.value(t, TCK.planLevel) == LEVEL.district
    assert report.value(t, TCK.refArea) == PLACE.tianyuan


def test_city_grain_target_2023_is_30_yi_jin(report: Graph) -> None:
    # The 市计划 column is Zhuzhou's own target for the city, in the city's units.
    t = _target("2023/city/grain-output")
    assert (t, RDF.type, TCK.Target) in report
    assert report.value(t, TCK.indicator) == IND["grain-output"]
    assert report.value(t, TCK.value).toPython() == Decimal(30)
    assert report.value(t, TCK.unit) == UNIT["yi-jin"]
    assert report.value(t, TCK.planLevel) == LEVEL.city
    assert report.value(t, TCK.refArea) == PLACE.zhuzhou


def test_every_target_is_stated_by_a_task(report: Graph) -> None:
    targets = set(report.subjects(RDF.type, TCK.Target))
    assert targets
    unstated = sorted(str(t) for t in targets if (None, TCK.statesTarget, t) not in report)
    assert not unstated, f"targets no task or section states: {unstated}"
    # Analyst links are kept apart from stated ones and point at targets only.
    inferred = set(report.objects(None, TCK.contributesTo))
    assert inferred and inferred <= targets


def test_every_number_stands_in_its_own_quote(dataset) -> None:  # noqa: ANN001
    """A value mistyped while encoding (7.6 for 7.5) would still pass the shapes; its quote
    would not contain it. Chinese numerals (全国第二) are read with cn2an; 亚军 is second place."""
    from decimal import Decimal

    import cn2an

    rows = dataset.union().query("""
        PREFIX tck: <https://w3id.org/tckg/def#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?fact ?value (GROUP_CONCAT(?quote; separator=" | ") AS ?quotes) WHERE {
          ?fact tck:value ?value ; tck:evidence/oa:hasSelector/oa:exact ?quote }
        GROUP BY ?fact ?value""")
    missing = []
    for fact, value, quotes in rows:
        number = format(Decimal(str(value)).normalize(), "f").lstrip("-")
        text = cn2an.transform(str(quotes).replace("亚军", "第2"), "cn2an")
        if number not in text:
            missing.append((str(fact), number, str(quotes)))
    assert len(rows) >= 140  # the seed: 150 numeric targets and results
    assert missing == []
