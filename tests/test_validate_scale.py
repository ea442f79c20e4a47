"""Incremental, parallel validation: per-report verdicts cached on disk, Oxigraph-evaluated SPARQL
targets equal to pyshacl's, the cross-report checks, the per-report time limit, and the
commands on the persistent store. Real files and processes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from tckg.namespaces import GRAPH, ONTOLOGY_GRAPH
from tckg.store.load import load_dataset
from tckg.store.persistent import store_dir_for
from tckg.validate import ValidationError, load_shapes, validate_dataset

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "report.ttl"
SHAPES_DIR = ROOT / "tests" / "shapes"


def _copies(folder: Path, n: int) -> list[Path]:
    text = REPORT.read_text(encoding="utf-8")
    out = []
    for i in range(n):
        path = folder / "reports" / f"d{i}-2023-plan.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("tianyuan-2023-plan", f"d{i}-2023-plan"), encoding="utf-8")
        out.append(path)
    return out


def _district(i: int) -> str:
    """The bundled report as another district's: its own slug, place, government, projects,
    campaigns and source text (as bench/bench_scale.py makes the corpus)."""
    import hashlib

    d = f"d{i}"
    t = REPORT.read_text(encoding="utf-8").replace("tianyuan-2023-plan", f"{d}-2023-plan")
    t = re.sub(r"\bplace:tianyuan(?![A-Za-z0-9_-])", f"place:{d}", t)
    t = re.sub(r"\borgs:tianyuan-", f"orgs:{d}-tianyuan-", t)
    t = re.sub(r"\b(project|campaign):(?=[A-Za-z0-9])", rf"\1:{d}-", t)
    return re.sub(r'tck:sha256 "[0-9a-f]{64}"', f'tck:sha256 "{hashlib.sha256(d.encode()).hexdigest()}"', t)


def _key(report) -> list[tuple]:  # noqa: ANN001
    return sorted((r.severity.value, r.focus, r.path or "", r.component) for r in report.results)


@pytest.fixture(scope="module")
def shapes_and_ontology() -> tuple[Graph, Graph]:
    return load_shapes(), load_dataset([]).store.graph(ONTOLOGY_GRAPH)


@pytest.mark.parametrize("fixture", [
    "IncomparableUnitsShape", "UndeclaredTermShape--class",
    pytest.param("EvidenceInsideTextShape", marks=pytest.mark.slow),
    pytest.param("MeasureWithoutTargetShape", marks=pytest.mark.slow)])
def test_oxigraph_sparql_targets_give_pyshacls_results(fixture: str, shapes_and_ontology) -> None:  # noqa: ANN001
    from tckg.validate.engine import Unit, _prepare_context, validate_unit

    path = next(SHAPES_DIR.glob(f"invalid/{fixture}.ttl"), None) or \
        next(SHAPES_DIR.glob(f"valid/{fixture}.ttl"))
    shapes, ontology = shapes_and_ontology
    unit = Unit(GRAPH["x"], "x", ntriples=Graph().parse(path).serialize(format="nt", encoding="utf-8"))
    verdicts = []
    for oxigraph_targets in (True, False):
        _prepare_context(shapes, ontology, oxigraph_targets)
        verdicts.append(sorted(json.dumps(r, sort_keys=True) for r in validate_unit(unit)["results"]))
    assert verdicts[0] == verdicts[1]
    assert verdicts[0], "the fixture should produce at least one result"


@pytest.mark.slow
def test_unchanged_reports_come_from_the_cache_and_a_changed_one_is_revalidated(tmp_path: Path) -> None:
    files = _copies(tmp_path, 2)
    ds = load_dataset(files, store="persistent")
    first = validate_dataset(ds, jobs=2)
    ds.close()
    assert first.conforms and (first.stats.units, first.stats.validated) == (2, 2)
    assert list((store_dir_for(files) / "validation").rglob("*.json"))

    ds = load_dataset(files, store="persistent")
    again = validate_dataset(ds)
    ds.close()
    assert (again.stats.cached, again.stats.validated) == (2, 0)
    assert _key(again) == _key(first) and again.triples == first.triples

    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text.replace('tck:year "2022"^^xsd:gYear', 'tck:year "二〇二二"^^xsd:gYear', 1),
                        encoding="utf-8")
    ds = load_dataset(files, store="persistent")
    changed = validate_dataset(ds)
    ds.close()
    assert (changed.stats.cached, changed.stats.validated) == (1, 1)
    assert not changed.conforms
    assert {r.focus for r in changed.violations} and all("d1-2023-plan" in r.focus
                                                          for r in changed.violations)


def _split_incomparable(tmp_path: Path) -> list[Path]:
    """The IncomparableUnitsShape fixture as two reports: the target in one, the achievement
    (same indicator, year and area, a unit of another base) in the other."""
    text = (SHAPES_DIR / "invalid" / "IncomparableUnitsShape.ttl").read_text(encoding="utf-8")
    head = text[: text.index("[] a tckt:ExpectedResult")]
    target = text[text.index("\n<target/2022"): text.index("\n<achievement/2022")]
    achievement = text[text.index("\n<achievement/2022"):]
    a = tmp_path / "a.ttl"
    a.write_text(head + target, encoding="utf-8")
    b = tmp_path / "b.ttl"
    b.write_text(re.sub(r"@base <[^>]+>", "@base <https://w3id.org/tckg/report/shape-test-b/>", head)
                 + achievement, encoding="utf-8")
    return [a, b]


@pytest.mark.slow
def test_incomparable_units_across_reports_are_found_without_pyshacl(tmp_path: Path) -> None:
    files = _split_incomparable(tmp_path)
    ds = load_dataset(files, store="persistent")
    report = validate_dataset(ds)
    ds.close()
    found = [r for r in report.violations if r.shape == "tcksh:IncomparableUnitsShape"]
    assert [(r.focus, r.value) for r in found] == [
        ("https://w3id.org/tckg/report/shape-test/target/2022/district/actual-foreign-investment",
         "<https://w3id.org/tckg/report/shape-test-b/achievement/2022/tianyuan/actual-foreign-investment>")]
    assert "another report" in found[0].message_en
    # the one-run pyshacl validation of the union finds the same pair
    whole = validate_dataset(load_dataset(files), whole=True)
    assert {r.focus for r in whole.violations if r.node_shape == "tcksh:IncomparableUnitsShape"} == \
        {found[0].focus}


@pytest.mark.slow
def test_duplicate_reports_and_dangling_references(tmp_path: Path) -> None:
    files = _copies(tmp_path, 2)
    # the second copy claims the same area, plan year and kind, and points at a target no
    # report describes
    text = files[1].read_text(encoding="utf-8")
    text = text.replace("tck:statesTarget\n", "tck:statesTarget\n        "
                        "<https://w3id.org/tckg/report/nowhere/target/2023/x> ,\n", 1)
    files[1].write_text(text, encoding="utf-8")
    ds = load_dataset(files)  # the memory store takes the same path
    report = validate_dataset(ds, use_cache=False)
    dup = [r for r in report.warnings if r.component == "tck:DuplicateReport"]
    assert {r.focus for r in dup} == {"https://w3id.org/tckg/report/d0-2023-plan",
                                      "https://w3id.org/tckg/report/d1-2023-plan"}
    dangling = [r for r in report.violations if r.component == "tck:DanglingReference"]
    assert [r.focus for r in dangling] == ["https://w3id.org/tckg/report/nowhere/target/2023/x"]


def test_the_time_limit_applies_to_each_report_and_kills_its_process(tmp_path: Path) -> None:
    files = _copies(tmp_path, 1)
    ds = load_dataset(files, store="persistent")
    try:
        with pytest.raises(ValidationError, match="ran longer than 0.2 s"):
            validate_dataset(ds, timeout=0.2, use_cache=False)
    finally:
        ds.close()
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.name == "tckg-validate"]


@pytest.mark.slow
def test_per_report_validation_matches_the_whole_run_on_the_bundled_data() -> None:
    ds = load_dataset()
    split = validate_dataset(ds, use_cache=False)
    whole = validate_dataset(ds, whole=True)
    assert split.conforms == whole.conforms
    assert _key(split) == _key(whole)
    assert split.triples == whole.triples


@pytest.mark.slow
def test_cli_validate_add_and_build_on_the_persistent_store(tmp_path: Path, tckg_cli) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    files = _copies(data, 2)
    first = tckg_cli("validate", "--format", "json", *map(str, files))
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["conforms"] is True
    assert (store_dir_for(files) / "manifest.json").exists()
    again = tckg_cli("validate", *map(str, files))
    assert again.returncode == 0 and "conforms" in again.stdout
    new = tmp_path / "new.ttl"
    new.write_text(_district(9), encoding="utf-8")
    added = tckg_cli("add", str(new), "--data-dir", str(data))
    assert added.returncode == 0, added.stderr
    assert (data / "reports" / "d9-2023-plan.ttl").exists()
    built = tckg_cli("build", "-o", str(tmp_path / "site"), "--validation-timeout", "600",
                     *map(str, sorted((data / "reports").glob("*.ttl"))))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "tckg.trig").exists()
    rdflib_run = tckg_cli("validate", "--store", "rdflib", *map(str, files))
    assert rdflib_run.returncode == 0, rdflib_run.stderr


@pytest.mark.slow
def test_a_report_added_is_not_validated_again(tmp_path: Path) -> None:
    from tckg.add import add_report

    data = tmp_path / "data"
    existing = _copies(data, 1)
    ds = load_dataset(existing, store="persistent")
    validate_dataset(ds)  # the existing report's verdict is cached
    ds.close()
    new = tmp_path / "new.ttl"
    new.write_text(_district(7), encoding="utf-8")
    added = add_report(new, data_dir=data, store="persistent")
    assert added.validation.stats.validated == 1  # the new report only
    ds = load_dataset(sorted((data / "reports").glob("*.ttl")), store="persistent")
    try:
        after = validate_dataset(ds)
    finally:
        ds.close()
    assert (after.stats.units, after.stats.validated) == (2, 0)


_PROPOSED = """
@prefix dim: <https://w3id.org/tckg/dimension/> .
@prefix kind: <https://w3id.org/tckg/kind/> .
@prefix pol: <https://w3id.org/tckg/polarity/> .
ind:proposed-visits-test
    a tck:Indicator ;
    skos:inScheme tck:IndicatorScheme ;
    skos:notation "proposed-visits-test" ;
    skos:prefLabel "Proposed indicator (untranslated): 接待游客人次"@en , "接待游客人次"@zh ;
    tck:dimension dim:person-time ;
    tck:indicatorKind kind:level ;
    tck:isProposed true ;
    tck:polarity pol:higher-is-better .
"""


@pytest.mark.slow
@pytest.mark.parametrize("in_scheme", [True, False])
def test_a_report_reusing_an_indicator_another_report_proposes_validates_as_the_whole_data(
        tmp_path: Path, in_scheme: bool) -> None:
    # tckg extract reuses an indicator an earlier report proposed (it is in the data's registry)
    # without restating it: the per-report run must see that the indicator is in the scheme,
    # as the one pyshacl run over the union does (it once failed here and passed there)
    first, second = tmp_path / "reports" / "d0-2023-plan.ttl", tmp_path / "reports" / "d1-2023-plan.ttl"
    first.parent.mkdir(parents=True)
    proposed = _PROPOSED if in_scheme else _PROPOSED.replace("    skos:inScheme tck:IndicatorScheme ;\n", "")
    first.write_text(_district(0) + proposed, encoding="utf-8")
    text = _district(1)
    assert text.count("tck:indicator ind:tourist-visits ;") >= 1
    second.write_text(text.replace("tck:indicator ind:tourist-visits ;", "tck:indicator ind:proposed-visits-test ;"),
                      encoding="utf-8")
    files = [first, second]
    ds = load_dataset(files, store="persistent")
    per_report = validate_dataset(ds, use_cache=False)
    ds.close()
    whole = validate_dataset(load_dataset(files), whole=True)
    assert per_report.conforms == whole.conforms == in_scheme
    def indicator_failures(report) -> set[str]:  # noqa: ANN001
        return {r.focus for r in report.violations if r.path == "tck:indicator"}
    # the targets whose indicator is not in the scheme: none, or the same ones in both runs
    assert indicator_failures(per_report) == indicator_failures(whole)
    assert bool(indicator_failures(whole)) is not in_scheme
