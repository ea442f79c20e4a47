"""The named queries rewritten to run in linear time return exactly the rows of their old texts.

The old texts (correlated "earliest quote" FILTER NOT EXISTS, VALUES ?class {…}, a UNION
joined after the fact) are kept in tests/fixtures/queries-before/. Both texts run over a
small corpus of two districts (the bundled report and a renamed copy, as bench/bench_queries.py
makes them) plus the manual-assessment fixture, on both stores.

The old texts were written for the model before evidence had two selectors (one node typed
both oa:TextQuoteSelector and oa:TextPositionSelector, with oa:exact, oa:start and oa:end), so
they run over the same corpus put back into that model: the rows must survive both the rewrite
and the change of model. Queries changed for the selectors only keep their texts from before
that change in tests/fixtures/queries-one-selector/.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from tckg.namespaces import OA, TCK
from tckg.sparql.catalogue import parse_header, query_text
from tckg.sparql.run import query
from tckg.store.load import load_dataset

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "tests" / "fixtures" / "queries-before"
ONE_SELECTOR = ROOT / "tests" / "fixtures" / "queries-one-selector"
OLD_TEXT = {p.stem: p for folder in (ONE_SELECTOR, BEFORE) for p in folder.glob("*.rq")}
REWRITTEN = sorted(OLD_TEXT)
# rewrites whose rows need tckg's verdicts in the store: compared below with assessments loaded
ASSESSED = {"scorecard"}
# rewrites that change the rows on purpose, and how: their description says so (so it differs
# from the old one) and the rows are compared as that change allows
DISTINCT_ROWS = {"city-vs-district"}  # a city target restated by several reports counts once


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


def one_selector(path: Path, out: Path) -> Path:
    """The file in the model before the split: each evidence's quote and position selectors
    merged into one node ``<evidence>/selector`` typed both, carrying all three properties."""
    g = Graph().parse(path, format="turtle")
    for ev in set(g.subjects(OA.hasSelector, None)):
        old = URIRef(f"{ev}/selector")
        for sel in list(g.objects(ev, OA.hasSelector)):
            for p, o in list(g.predicate_objects(sel)):
                g.remove((sel, p, o))
                g.add((old, p, o))
            g.remove((ev, OA.hasSelector, sel))
        g.add((ev, OA.hasSelector, old))
    g.serialize(out, format="turtle")
    return out


@pytest.fixture(scope="module")
def old_corpus(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-selector")
    return [one_selector(p, folder / p.name) for p in corpus]


def test_the_old_model_corpus_has_one_selector_per_evidence(corpus, old_corpus):
    # guards the comparison below: the old texts must meet the old model, not the new one
    new, old = Graph().parse(corpus[0]), Graph().parse(old_corpus[0])
    evidence = set(new.subjects(RDF.type, TCK.Evidence))
    assert len(evidence) > 100 and evidence == set(old.subjects(RDF.type, TCK.Evidence))
    assert len(list(new.triples((None, OA.hasSelector, None)))) == 2 * len(evidence)
    assert len(list(old.triples((None, OA.hasSelector, None)))) == len(evidence)
    for sel in old.objects(None, OA.hasSelector):
        assert {OA.TextQuoteSelector, OA.TextPositionSelector} <= set(old.objects(sel, RDF.type))
        assert all((sel, p, None) in old for p in (OA.exact, OA.start, OA.end))


class _Loaded(dict):
    """The corpus in a store, loaded on first use: the plain run asks for Oxigraph only."""

    def __init__(self, files):  # noqa: ANN001
        super().__init__()
        self.files = files

    def __missing__(self, kind):  # noqa: ANN001, ANN204
        self[kind] = load_dataset(self.files, store=kind)
        return self[kind]


@pytest.fixture(scope="module")
def stores(corpus):
    return _Loaded(corpus)


@pytest.fixture(scope="module")
def old_stores(old_corpus):
    return _Loaded(old_corpus)


def _rows(text, ds):
    result = query(text, ds, timeout=0, max_rows=10**9)
    return result.columns, result.rows


def test_every_rewritten_query_keeps_its_header_and_has_an_old_text():
    assert set(REWRITTEN) >= {"track-evidence", "targets", "targets-without-result",
                              "network-evidence"}
    for name in REWRITTEN:
        old = OLD_TEXT[name].read_text(encoding="utf-8")
        new = query_text(name)
        assert old != new, name
        before, after = parse_header(old, name), parse_header(new, name)
        for field in ("title_zh", "title_en", "description", "columns", "params"):
            if field == "description" and name in DISTINCT_ROWS:
                assert getattr(before, field) != getattr(after, field), (name, "say what changed")
                continue
            assert getattr(before, field) == getattr(after, field), (name, field)
        if name in DISTINCT_ROWS:
            continue
        # the header comment is kept word for word
        head = [line for line in old.splitlines() if line.startswith("#")]
        assert [line for line in new.splitlines() if line.startswith("#")][: len(head)] == head


@pytest.mark.parametrize("name", sorted(set(REWRITTEN) - ASSESSED))
def test_rewritten_query_returns_the_same_rows_on_oxigraph(stores, old_stores, name):
    old_cols, old_rows = _rows(OLD_TEXT[name].read_text(encoding="utf-8"), old_stores["oxigraph"])
    new_cols, new_rows = _rows(query_text(name), stores["oxigraph"])
    assert new_cols == old_cols
    if name in DISTINCT_ROWS:
        # the same rows, each as often as there are district targets, no longer once per
        # report restating the city's target: one factor (the restatements) for every row
        old, new = Counter(map(repr, old_rows)), Counter(map(repr, new_rows))
        assert set(old) == set(new)
        assert len({old[r] / new[r] for r in old}) == 1
        return
    assert old_rows, f"{name} returns nothing on the test corpus: the comparison would prove nothing"
    assert Counter(map(repr, new_rows)) == Counter(map(repr, old_rows))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(REWRITTEN) - ASSESSED))
def test_rewritten_query_returns_the_same_rows_on_rdflib(stores, old_stores, name):
    old_cols, old_rows = _rows(OLD_TEXT[name].read_text(encoding="utf-8"), old_stores["rdflib"])
    new_cols, new_rows = _rows(query_text(name), stores["rdflib"])
    assert new_cols == old_cols
    if name in DISTINCT_ROWS:
        # the same rows, each as often as there are district targets, no longer once per
        # report restating the city's target: one factor (the restatements) for every row
        old, new = Counter(map(repr, old_rows)), Counter(map(repr, new_rows))
        assert set(old) == set(new)
        assert len({old[r] / new[r] for r in old}) == 1
        return
    assert old_rows
    assert Counter(map(repr, new_rows)) == Counter(map(repr, old_rows))


# -- the scorecard query reads tckg's verdicts: the same rows with and without them ----------

class _Assessed(_Loaded):
    """The corpus with tckg's verdicts added, as ``tckg query scorecard`` and ``tckg build``
    add them: one card, computed once on the first store asked for, put into each store."""

    card = None

    def __missing__(self, kind):  # noqa: ANN001, ANN204
        from tckg.track import add_assessments, assess

        ds = super().__missing__(kind)
        if self.card is None:
            self.card = assess(ds, use_cache=False)
        add_assessments(ds, self.card)
        return ds


@pytest.fixture(scope="module")
def assessed(corpus):  # noqa: ANN001, ANN201
    return _Assessed(corpus)


@pytest.mark.slow  # the old text takes its 2-3 s here: the cost this rewrite removes
@pytest.mark.parametrize("name", sorted(ASSESSED))
def test_rewritten_query_returns_no_rows_without_assessments(stores, name):  # noqa: ANN001
    ds = stores["oxigraph"]
    assert _rows(OLD_TEXT[name].read_text(encoding="utf-8"), ds)[1] == []
    assert _rows(query_text(name), ds)[1] == []


@pytest.mark.parametrize("kind", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
@pytest.mark.parametrize("name", sorted(ASSESSED))
def test_rewritten_query_returns_the_same_rows_with_assessments(assessed, kind, name):  # noqa: ANN001
    ds = assessed[kind]
    old_cols, old_rows = _rows(OLD_TEXT[name].read_text(encoding="utf-8"), ds)
    new_cols, new_rows = _rows(query_text(name), ds)
    assert new_cols == old_cols
    # the comparison covers every part of the text: verdicts with and without a result, a
    # manual one, quotes on both sides, gaps and shares
    assert len(old_rows) == len(assessed.card.rows) > 20
    assert {r["status_code"] for r in old_rows} >= {"met", "missed", "no-result"}
    assert any(r["manual"] is True for r in old_rows)
    answered = [r for r in old_rows if r["achievement"]]
    assert answered and all(r["result"] and r["result_evidence"] for r in answered)
    assert all(r["target_evidence"] for r in old_rows)
    assert any(r["gap"] is not None for r in old_rows)
    assert any(r["share"] is not None for r in old_rows)
    assert new_rows == old_rows  # the same rows in the same order (the query's ORDER BY)


# -- the scorecard's narrowed reads: track-answers and track-quotes are the rows of
# track-achievements and track-evidence that the scorecard can use, whatever the year --------

def _keys(targets):  # noqa: ANN001, ANN202
    """(indicator, area, year) that a target asks for: its own, a relative target's other
    indicator, a benchmark's area (tckg.track.assess looks answers up by these)."""
    keys = set()
    for t in targets:
        keys.add((t["indicator"], t["area"], t["year"]))
        if t["relativeTo"] is not None:
            keys.add((t["relativeTo"], t["area"], t["year"]))
        if t["benchmarkArea"] is not None:
            keys.add((t["indicator"], t["benchmarkArea"], t["year"]))
    return keys


def _terms(name, ds, **params):  # noqa: ANN001, ANN003, ANN202
    result = query(name, ds, params or None, timeout=0, max_rows=10**9)
    return [dict(zip(result.columns, row, strict=True)) for row in result.terms]


QUOTED_ASSESSMENT = """
@prefix tck: <https://w3id.org/tckg/def#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://example.org/analyst/> .
ex:verdict a tck:Assessment ; tck:evidence ex:quote .
ex:quote oa:hasSelector ex:exact , ex:position .
ex:exact oa:exact "a quote an analyst cites" .
ex:position oa:start 3 ; oa:end 27 .
"""


@pytest.fixture(scope="module")
def with_assessment(corpus, tmp_path_factory):  # noqa: ANN001, ANN201
    """The corpus and an analyst's file whose assessment cites a quote of its own."""
    extra = tmp_path_factory.mktemp("analyst") / "verdicts.ttl"
    extra.write_text(QUOTED_ASSESSMENT, encoding="utf-8")
    return _Loaded([*corpus, extra])


# every result of the corpus is of 2022: the 2023 targets have no answer yet
@pytest.mark.parametrize(("year", "answered"), [
    (None, True), pytest.param("2022", True, marks=pytest.mark.slow),
    pytest.param("2023", False, marks=pytest.mark.slow)])
@pytest.mark.parametrize("kind", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_track_answers_and_quotes_are_the_rows_the_scorecard_can_use(with_assessment, kind,  # noqa: ANN001
                                                                     year, answered):  # noqa: ANN001
    ds = with_assessment[kind]
    when = {} if year is None else {"year": year}
    targets = _terms("track-targets", ds, **when)
    keys = _keys(targets)
    every = _terms("track-achievements", ds)
    answers = _terms("track-answers", ds, **when)
    expected = [r for r in every if (r["indicator"], r["area"], r["year"]) in keys]
    assert bool(expected) is answered, "the corpus no longer answers the targets it did"
    assert targets and len(expected) < len(every)  # the narrowing is real here
    assert Counter(map(repr, answers)) == Counter(map(repr, expected))

    evidence = _terms("track-evidence", ds)
    assessments = {r["subject"] for r in evidence} - {r["target"] for r in _terms("track-targets", ds)} \
        - {r["achievement"] for r in every}
    assert assessments  # the manual assessments' own quotes are kept
    wanted = {r["target"] for r in targets} | {r["achievement"] for r in answers} | assessments
    quotes = _terms("track-quotes", ds, **when)
    expected = [r for r in evidence if r["subject"] in wanted]
    assert len(expected) < len(evidence)
    assert Counter(map(repr, quotes)) == Counter(map(repr, expected))
