"""The scorecard streamed into the persistent store in parts (tckg.store.spool): the store holds,
gives back and writes into tckg.trig exactly what the whole rdflib graph that
``add_assessments`` added before gave."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT

from tckg.namespaces import ASSESSMENT_GRAPH
from tckg.store import persistent, spool
from tckg.store.backends import trig_graph
from tckg.store.canonical import canonical_numbers
from tckg.store.load import load_dataset
from tckg.store.spool import Spool, spooled_trig
from tckg.track import add_assessments, assess

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_spooled_trig_is_trig_graph_of_the_whole_graph(tmp_path: Path) -> None:
    """Parts that end at a subject's last triple, merged from sorted runs, give the block of
    all the quads at once, with literals that begin one another and IRIs that sort around ``>``."""
    g = ox.NamedNode("https://example.org/g")
    subjects = ["https://example.org/a", "https://example.org/a-b", "https://example.org/a/c",
                "https://example.org/a0", "https://example.org/ab"]
    objects = [ox.Literal("x"), ox.Literal("x", language="zh"), ox.Literal("x y"),
               ox.Literal("x", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
               ox.Literal('say "x"\nnow'), ox.NamedNode("https://example.org/o"),
               ox.Literal("评估：x", language="zh")]
    quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, g) for s in subjects
             for p in ("https://example.org/p", "http://www.w3.org/2000/01/rdf-schema#label")
             for o in objects]
    held = Spool(tmp_path)
    try:
        for i in range(0, len(quads), 9):  # runs that overlap, and a triple given twice
            nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object)
                               for q in quads[i:i + 9] + quads[:1]], format=ox.RdfFormat.N_TRIPLES)
            held.add(nt)
        whole = trig_graph(quads)
        for part in (1, 5, 13, 1000):
            assert "".join(spooled_trig(ox, g.value, held, part)) == whole, part
        assert held.ntriples().count(b"\n") == len(quads)
    finally:
        held.close()


@pytest.mark.slow  # a scorecard of two reports, stored twice: 6 s
def test_streamed_assessments_are_what_the_whole_graph_gave(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    files = [ROOT / "data" / "report.ttl", ROOT / "tests" / "fixtures" / "manual-assessments.ttl"]
    monkeypatch.setattr(persistent, "BULK_TRIPLES", 100)  # many parts, bulk-loaded
    monkeypatch.setattr(spool, "PART", 70)
    stores = {}
    for how in ("whole", "streamed"):
        ds = load_dataset(files, store="persistent", store_dir=tmp_path / how)
        card = assess(ds, now=NOW, use_cache=False)
        if how == "whole":  # as add_assessments did before it streamed
            graph = canonical_numbers(card.to_graph())
            assert len(graph) > 4 * 100
            ds.store.add_graph(ASSESSMENT_GRAPH, graph)
        else:
            add_assessments(ds, card)
            assert isinstance(ds.store._transient[ASSESSMENT_GRAPH], Spool)
        stores[how] = ds
    try:
        whole, streamed = stores["whole"].store, stores["streamed"].store
        for graph in (ox.NamedNode(str(ASSESSMENT_GRAPH)), ox.DefaultGraph()):
            assert set(streamed.store.quads_for_pattern(None, None, None, graph)) == \
                set(whole.store.quads_for_pattern(None, None, None, graph))
        assert set(streamed.graph(ASSESSMENT_GRAPH)) == set(whole.graph(ASSESSMENT_GRAPH))
        for name, s in (("whole", whole), ("streamed", streamed)):
            s.write_trig(tmp_path / f"{name}.trig")
        assert (tmp_path / "streamed.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()
        assert streamed.content_digest() is not None  # the spool is read for the cache key
    finally:
        for ds in stores.values():
            ds.close()
    again = load_dataset(files, store="persistent", store_dir=tmp_path / "streamed")
    try:  # a command's graph is not kept
        assert ASSESSMENT_GRAPH not in again.store.graph_names()
    finally:
        again.close()
