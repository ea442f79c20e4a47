"""The named queries rewritten to run in linear time return exactly the rows of their old texts.

The old texts (correlated "earliest quote" FILTER NOT EXISTS, VALUES ?class {…}, a UNION
joined after the fact) are kept in tests/fixtures/queries-before/. Both texts run over a
small corpus of two districts (the bundled report and a renamed copy, as bench/bench_queries.py
makes them) plus the manual-assessment fixture, on both stores.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from tckg.sparql.catalogue import parse_header, query_text
from tckg.sparql.run import query
from tckg.store.load import load_dataset

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "tests" / "fixtures" / "queries-before"
REWRITTEN = sorted(p.stem for p in BEFORE.glob("*.rq"))


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_queries", ROOT / "bench" / "bench_queries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    copy = _bench_module().make_corpus(2, folder)[1]  # district c1
    return [ROOT / "data" / "report.ttl", copy, ROOT / "tests" / "fixtures" / "manual-assessments.ttl"]


@pytest.fixture(scope="module")
def stores(corpus):
    return {kind: load_dataset(corpus, store=kind) for kind in ("rdflib", "oxigraph")}


def _rows(text, ds):
    result = query(text, ds, timeout=0, max_rows=10**9)
    return result.columns, result.rows


def test_every_rewritten_query_keeps_its_header_and_has_an_old_text():
    assert set(REWRITTEN) >= {"track-evidence", "targets", "targets-without-result"}
    for name in REWRITTEN:
        old = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
        new = query_text(name)
        assert old != new, name
        before, after = parse_header(old, name), parse_header(new, name)
        for field in ("title_zh", "title_en", "description", "columns", "params"):
            assert getattr(before, field) == getattr(after, field), (name, field)
        # the header comment is kept word for word
        head = [line for line in old.splitlines() if line.startswith("#")]
        assert [line for line in new.splitlines() if line.startswith("#")][: len(head)] == head


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_query_returns_the_same_rows_on_oxigraph(stores, name):
    old_cols, old_rows = _rows((BEFORE / f"{name}.rq").read_text(encoding="utf-8"), stores["oxigraph"])
    new_cols, new_rows = _rows(query_text(name), stores["oxigraph"])
    assert new_cols == old_cols
    assert old_rows, f"{name} returns nothing on the test corpus: the comparison would prove nothing"
    assert Counter(map(repr, new_rows)) == Counter(map(repr, old_rows))


@pytest.mark.slow
@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_query_returns_the_same_rows_on_rdflib(stores, name):
    old_cols, old_rows = _rows((BEFORE / f"{name}.rq").read_text(encoding="utf-8"), stores["rdflib"])
    new_cols, new_rows = _rows(query_text(name), stores["rdflib"])
    assert new_cols == old_cols
    assert old_rows
    assert Counter(map(repr, new_rows)) == Counter(map(repr, old_rows))
