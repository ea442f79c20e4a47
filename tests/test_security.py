"""Claims of SECURITY.md that no other test module covers (each claim there names its test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from tckg.compile import slugify
from tckg.namespaces import TCK
from tckg.settings import SETTINGS
from tckg.validate import ValidationError, validate_graph


@pytest.mark.slow
def test_output_is_utf8_whatever_the_locale() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LC_ALL="C", LANG="C",
               PYTHONIOENCODING="latin-1", PYTHONUTF8="0")
    done = subprocess.run([sys.executable, "-m", "tckg", "query", "targets", "-p", "year=2023",
                           "--format", "csv"], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")  # raises if the output was not UTF-8
    assert "天元区" in text and "地区生产总值增速" in text


@pytest.mark.parametrize("label", [
    "麦格米特 二期", 'a "quoted" name', "<img src=x onerror=alert(1)>", "株洲西 500KV 变电站",
    "  ", "{} ; DROP", "a/b?c#d",
])
def test_iris_minted_from_labels_are_valid_and_deterministic(label: str) -> None:
    slug = slugify(label)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug), slug
    assert slug == slugify(label)
    iri = URIRef(f"https://w3id.org/tckg/project/{slug}")
    g = Graph()
    g.add((iri, RDFS.label, Literal(label)))
    assert Graph().parse(data=g.serialize(format="nt"), format="nt").isomorphic(g)


def test_validation_has_a_time_budget_and_leaves_nothing_running(dataset) -> None:  # noqa: ANN001
    before = _children()
    started = time.monotonic()
    with pytest.raises(ValidationError, match="longer than"):
        validate_graph(dataset.union(), timeout=0.05)
    assert time.monotonic() - started < 30
    assert _children() == before


@pytest.mark.slow
def test_cli_validation_timeout_is_a_clear_error(tmp_path) -> None:  # noqa: ANN001
    # a store of its own: a verdict cached by another test would (rightly) need no validation
    result = run_tckg("validate", "--validation-timeout", "0.05",
                      env={"TCKG_STORE_DIR": str(tmp_path / "store")})
    assert result.returncode == 2
    assert "ran longer than" in result.stderr and "validation" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cyclic_and_deep_graphs_give_a_bounded_reported_result() -> None:
    from tckg.namespaces import ONTOLOGY_GRAPH
    from tckg.store.backends import RdflibStore
    from tckg.store.load import load_ontology

    store = RdflibStore()
    load_ontology(store)
    g = Graph()
    g += store.graph(ONTOLOGY_GRAPH)
    base = "https://w3id.org/tckg/report/hostile/task/"
    depth = 300
    for i in range(depth):  # a chain 300 parts deep that loops back on itself: as deep as
        # pyshacl's recursion check needs, without 3,000 parts' 40 s
        node = URIRef(f"{base}{i}")
        g.add((node, RDF.type, TCK.Measure))
        g.add((node, TCK.partOf, URIRef(f"{base}{(i + 1) % depth}")))
    started = time.monotonic()
    report = validate_graph(g, timeout=SETTINGS["validation_timeout"].value)
    assert time.monotonic() - started < 120
    assert not report.conforms  # the parts lack titles, years and evidence: reported, not hidden
    assert {r.focus for r in report.violations} >= {f"{base}0", f"{base}{depth - 1}"}


@pytest.mark.slow
def test_every_limit_is_documented_in_the_readme_and_exposed_as_an_option() -> None:
    # the reference moved from the README to the docs site; the test follows it there
    readme = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    help_texts = {cmd: run_tckg(cmd, "--help", env={"COLUMNS": "250"}).stdout
                  for cmd in ("validate", "query", "build", "add")}
    for setting in SETTINGS.values():
        assert f"`{setting.name}`" in readme, f"docs/limits.md does not document the limit {setting.name}"
        assert setting.option in readme, f"docs/limits.md does not name the option {setting.option}"
        assert any(setting.option in text for text in help_texts.values()), setting.option


def _children() -> set[int]:
    """Live (not zombie) child processes of this test process."""
    pids = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text(encoding="utf-8")
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(os.getpid()) and not fields.get("State", "").startswith("Z"):
            pids.add(int(status.parent.name))
    return pids


def test_ill_typed_literals_are_violations() -> None:
    from tckg.validate import ill_typed_literals

    g = Graph()
    node = URIRef("https://w3id.org/tckg/report/x/target/1")
    g.add((node, TCK.value, Literal("abc", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    g.add((node, TCK.year, Literal("二〇三〇", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))))
    g.add((node, TCK.ordinal, Literal("3", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    found = sorted((r.path, r.value) for r in ill_typed_literals(g))
    assert found == [("tck:value", "abc"), ("tck:year", "二〇三〇")]


def test_security_page_names_only_real_tests() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", text))
    assert len(named) > 30
    missing = []
    for module, name in sorted(named):
        source = (ROOT / module).read_text(encoding="utf-8") if (ROOT / module).exists() else ""
        if not re.search(rf"^def {name}\(", source, re.MULTILINE):
            missing.append(f"{module}::{name}")
    assert missing == []
