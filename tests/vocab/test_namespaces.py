"""The vocabulary defined once (tckg.vocab): closed namespaces generated from the ontology, one
helper to mint IRIs and one to read a local name, one number formatter."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tckg import namespaces
from tckg.namespaces import CMP, IND, REPORT, STATUS, TCK, UNIT, compact_iri
from tckg.numbers import fmt_number, fmt_term
from tckg.vocab import generate
from tckg.vocab.iri import SLUG, in_namespace, local_name, mint


def test_generated_namespaces_match_the_ontology():
    """Regenerate in memory and compare: the committed files cannot drift from ontology/*.ttl."""
    for path, text in generate.generate().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run python -m tckg.vocab.generate")


def test_generate_check_exits_0_when_current():
    proc = subprocess.run([sys.executable, "-m", "tckg.vocab.generate", "--check"],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_generate_check_names_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "_status.py"
    stale.write_text("# edited by hand\n", encoding="utf-8")
    monkeypatch.setattr(generate, "HERE", tmp_path)
    assert generate.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "# edited by hand\n"  # --check writes nothing
    assert generate.main([]) == 0
    assert "class STATUS(DefinedNamespace)" in stale.read_text(encoding="utf-8")


def test_a_misspelt_term_raises():
    assert TCK.planLevel == URIRef("https://w3id.org/tckg/def#planLevel")
    with pytest.raises(AttributeError, match="planLevle"):
        _ = TCK.planLevle
    with pytest.raises(AttributeError, match="not-a-status"):
        _ = STATUS["not-a-status"]


def test_a_misspelt_term_fails_at_import(tmp_path):
    """A module that names an undefined term fails when it is imported, as a user would see."""
    (tmp_path / "uses_typo.py").write_text(
        "from tckg.namespaces import TCK\nLEVEL = TCK.planLevle\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "import uses_typo"], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 1
    assert "AttributeError: term 'planLevle' not in namespace" in proc.stderr


def test_every_term_the_ontology_declares_is_in_its_namespace():
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(path)
    for ns in (TCK, STATUS, CMP, UNIT, IND):
        declared = {s for s in g.subjects() if in_namespace(s, ns)}
        assert declared and all(s in ns for s in declared)
        assert {ns[local_name(s, ns)] for s in declared} == declared
    assert STATUS["met-within-tolerance"] in set(g.subjects(RDF.type, TCK.Status))


def test_namespaces_reexports_the_closed_namespaces():
    from tckg import vocab

    for name in vocab.__all__:
        assert getattr(namespaces, name) is getattr(vocab, name)
    assert namespaces.PREFIXES["tck"] is TCK


@pytest.mark.parametrize("iri, ns, name", [
    ("https://w3id.org/tckg/status/met", STATUS, "met"),
    ("https://w3id.org/tckg/status/", STATUS, ""),
    ("https://w3id.org/tckg/unit/percent", STATUS, ""),
    ("https://w3id.org/tckg/report/tianyuan-2023-plan/target/2023/district/gdp-growth", REPORT,
     "tianyuan-2023-plan/target/2023/district/gdp-growth"),
    ("https://w3id.org/tckg/def#planLevel", None, "planLevel"),
    ("https://w3id.org/tckg/place/tianyuan/", None, "tianyuan"),
    (None, None, ""),
])
def test_local_name(iri, ns, name):
    assert local_name(iri, ns) == name


def test_mint_does_not_check_data_names_against_the_ontology():
    assert mint(IND, "proposed-0123") == URIRef("https://w3id.org/tckg/indicator/proposed-0123")
    assert local_name(mint(REPORT, "x-1"), REPORT) == "x-1"


@pytest.mark.parametrize("text, ok", [("tianyuan-2023-plan", True), ("2023", True),
                                      ("-x", False), ("Tianyuan", False), ("天元", False), ("", False)])
def test_slug(text, ok):
    assert (SLUG.fullmatch(text) is not None) is ok


def test_compact_iri_prefers_the_longest_namespace():
    assert compact_iri("https://w3id.org/tckg/indicator/gdp-growth") == "ind:gdp-growth"
    assert compact_iri("https://w3id.org/tckg/report/r1/target/x") == "report:r1/target/x"
    assert compact_iri("http://example.org/x") == "http://example.org/x"


@pytest.mark.parametrize("value, text", [("7.50", "7.5"), ("1E+3", "1000"), ("-0.0", "0"),
                                         ("-10.98", "-10.98"), ("0.0000001", "0.0000001")])
def test_fmt_number(value, text):
    assert fmt_number(Decimal(value)) == text
    assert fmt_term(value) == text


def test_fmt_term_keeps_what_is_not_a_number():
    assert fmt_term(None) == "" and fmt_term("n/a") == "n/a"
