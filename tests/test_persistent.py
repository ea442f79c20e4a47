"""The persistent on-disk Oxigraph store: exact terms, per-file reloads, a consistent union,
safety checks before parsing, a lock, and recovery after a killed command. Real files, real
processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from tckg.io.errors import LoadError
from tckg.namespaces import BASE, GRAPH, ONTOLOGY_GRAPH
from tckg.store.load import load_dataset
from tckg.store.persistent import store_dir_for

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "report.ttl"
GENID = f"{BASE}.well-known/genid/"


def _unskolemized(graph: Graph) -> Graph:
    """Skolem IRIs back to blank nodes, so the two stores' naming schemes compare equal."""
    out = Graph()

    def back(t):  # noqa: ANN001, ANN202
        return BNode(str(t)[len(GENID):].replace("/", "_")) if str(t).startswith(GENID) else t

    for s, p, o in graph:
        out.add((back(s), p, back(o)))
    return out


def _copy(tmp: Path, n: int) -> list[Path]:
    text = REPORT.read_text(encoding="utf-8")
    files = []
    for i in range(n):
        path = tmp / "reports" / f"d{i}-2023-plan.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("tianyuan-2023-plan", f"d{i}-2023-plan"), encoding="utf-8")
        files.append(path)
    return files


def _union_size(ds) -> int:  # noqa: ANN001
    from tckg.sparql.run import query

    return int(query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", ds, timeout=0).rows[0]["n"])


@pytest.mark.slow
def test_bundled_data_is_isomorphic_in_both_stores(tmp_path: Path) -> None:
    mem = load_dataset()
    disk = load_dataset(store="persistent", store_dir=tmp_path / "store")
    try:
        assert sorted(disk.store.graph_names()) == sorted(mem.store.graph_names())
        for name in mem.store.graph_names():
            a, b = mem.store.graph(name), disk.store.graph(name)
            assert len(a) == len(b)
            assert isomorphic(_unskolemized(a), _unskolemized(b)), name
        # exact datatypes and lexical forms, from the graph the store hands to rdflib
        report = disk.store.graph(GRAPH["tianyuan-2023-plan"])
        types = {o.datatype for o in report.objects() if isinstance(o, Literal)}
        assert ns.XSD.nonNegativeInteger in types
        # the offsets, on the position selectors (the datatype is restored per predicate)
        start, end = URIRef("http://www.w3.org/ns/oa#start"), URIRef("http://www.w3.org/ns/oa#end")
        offsets = {o.datatype for p in (start, end) for o in report.objects(None, p)}
        assert offsets == {ns.XSD.nonNegativeInteger}
        positions = set(report.subjects(start, None))
        assert positions and all(str(s).endswith("/position") for s in positions)
        union_mem = mem.union()
        union_disk = disk.union()
        assert isomorphic(_unskolemized(union_mem), _unskolemized(union_disk))
        # the set-union default graph holds each distinct triple once
        assert _union_size(disk) == len(union_mem)
    finally:
        disk.close()


@pytest.mark.slow
def test_bundled_data_validates_the_same_from_both_stores(tmp_path: Path) -> None:
    from tckg.validate import validate_graph

    mem = load_dataset()
    disk = load_dataset(store="persistent", store_dir=tmp_path / "store")
    try:
        va, vb = validate_graph(mem.union()), validate_graph(disk.union())
    finally:
        disk.close()
    assert va.conforms == vb.conforms
    assert sorted((r.focus, r.component, r.path, r.value) for r in va.results) == \
        sorted((r.focus, r.component, r.path, r.value) for r in vb.results)


@pytest.mark.slow
def test_reopening_reparses_nothing_and_a_changed_file_reloads_only_its_graph(tmp_path: Path) -> None:
    files = _copy(tmp_path, 3)
    ds = load_dataset(files, store="persistent")
    assert len(ds.sync.loaded) == 4  # the ontology and three reports
    assert (store_dir_for(files) / "manifest.json").exists()
    size = _union_size(ds)
    ds.close()

    ds = load_dataset(files, store="persistent")
    assert ds.sync.loaded == [] and ds.sync.unchanged == 3
    ds.close()

    text = files[1].read_text(encoding="utf-8")
    files[1].write_text(text.replace("天元区", "某某区", 1), encoding="utf-8")
    ds = load_dataset(files, store="persistent")
    assert ds.sync.loaded == [str(files[1].resolve())]
    labels = {str(o) for o in ds.store.graph(GRAPH["d1-2023-plan"]).objects()}
    assert any("某某区" in s for s in labels)
    assert _union_size(ds) >= size  # the new label added, nothing lost
    ds.close()

    # a removed file takes its graph away, and from the union only what no other graph states
    ds = load_dataset(files[:2], store="persistent")
    assert ds.sync.removed == [str(files[2].resolve())]
    assert GRAPH["d2-2023-plan"] not in ds.store.graph_names()
    assert ONTOLOGY_GRAPH in ds.store.graph_names()
    fresh = load_dataset(files[:2])
    assert _union_size(ds) == len(fresh.union())
    ds.close()


def test_unsafe_or_broken_files_are_refused_before_parsing_and_change_nothing(tmp_path: Path) -> None:
    files = _copy(tmp_path, 1)
    ds = load_dataset(files, store="persistent", store_dir=tmp_path / ".tckg-store")
    names = sorted(ds.store.graph_names())
    ds.close()
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY a "aaaa"> ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
                    encoding="utf-8")
    with pytest.raises(LoadError, match="DOCTYPE"):
        load_dataset([*files, bomb], store="persistent", store_dir=tmp_path / ".tckg-store")
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "https://example.org/ctx.jsonld", "@id": "x:a"}', encoding="utf-8")
    with pytest.raises(LoadError, match="remote"):
        load_dataset([*files, remote], store="persistent", store_dir=tmp_path / ".tckg-store")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <x:> .\n\nx:a x:b x:c ;\n  x:d .\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_dataset([*files, broken], store="persistent", store_dir=tmp_path / ".tckg-store")
    assert info.value.line == 4
    ds = load_dataset(files, store="persistent", store_dir=tmp_path / ".tckg-store")
    assert sorted(ds.store.graph_names()) == names and ds.sync.loaded == []
    ds.close()


def test_blank_nodes_get_stable_per_file_skolem_iris(tmp_path: Path) -> None:
    path = tmp_path / "bnodes.ttl"
    path.write_text("@prefix x: <https://example.org/> .\n"
                    "x:a x:b [ x:c 1 ; x:d [ x:e \"0.50\"^^<http://www.w3.org/2001/XMLSchema#decimal> ] ] .\n"
                    "x:f x:g [ x:h 2 ] .\n", encoding="utf-8")
    seen = []
    for store_dir in ("s1", "s2"):
        ds = load_dataset([path], store="persistent", store_dir=tmp_path / store_dir)
        g = ds.store.graph(GRAPH["file/bnodes"])
        terms = sorted({str(t) for t in g.all_nodes() if str(t).startswith(GENID)})
        assert terms == [f"{GENID}bnodes/{i}" for i in range(3)]
        assert Literal("0.5", datatype=ns.XSD.decimal) in set(g.objects())  # canonical, as rdflib reads it
        seen.append(sorted(g))
        ds.close()
    assert seen[0] == seen[1]


def test_graphs_added_by_a_command_are_not_kept(tmp_path: Path) -> None:
    files = _copy(tmp_path, 1)
    ds = load_dataset(files, store="persistent")
    extra = Graph()
    extra.add((URIRef("https://example.org/a"), URIRef("https://example.org/b"), Literal("c")))
    ds.store.add_graph(GRAPH["scratch"], extra)
    assert GRAPH["scratch"] in ds.store.graph_names()
    ds.close()
    ds = load_dataset(files, store="persistent")
    assert GRAPH["scratch"] not in ds.store.graph_names()
    assert _union_size(ds) == len(load_dataset(files).union())
    ds.close()


_OPEN = """
import sys, time
from tckg.store.load import load_dataset
ds = load_dataset(sys.argv[2:], store="persistent")
print("opened", time.time(), flush=True)
time.sleep(float(sys.argv[1]))
print(len(ds.store.graph_names()), flush=True)
ds.close()
"""


def _python(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-c", _OPEN, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)


@pytest.mark.slow
def test_concurrent_commands_wait_for_each_other(tmp_path: Path) -> None:
    files = [str(p) for p in _copy(tmp_path, 2)]
    first = _python("2", *files)
    assert first.stdout.readline().startswith("opened")
    second = _python("0", *files[:1])  # wants to drop a graph while the first reads
    out1, _ = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err2
    assert out1.strip() == "3"  # the first saw its two reports and the ontology throughout
    assert "waiting for another tckg command" in err2
    assert out2.strip().splitlines()[-1] == "2"


@pytest.mark.slow
def test_a_command_killed_while_loading_leaves_a_store_that_is_rebuilt(tmp_path: Path) -> None:
    files = [str(p) for p in _copy(tmp_path, 12)]
    proc = _python("0", *files)
    manifest = store_dir_for(files) / "manifest.json"
    deadline = time.time() + 60
    while time.time() < deadline and not (manifest.exists() and
                                          '"dirty": true' in manifest.read_text(encoding="utf-8")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ds = load_dataset(files, store="persistent")
    try:
        assert len(ds.report_graphs()) == 12
        assert _union_size(ds) == len(load_dataset(files).union())
    finally:
        ds.close()
    shutil.rmtree(store_dir_for(files))


@pytest.mark.slow
def test_track_reads_the_persistent_store_by_index_never_a_corpus_copy(tmp_path: Path,
                                                                         monkeypatch) -> None:  # noqa: ANN001
    """``tckg track`` on the persistent store answers its look-ups (labels, years, scopes) from
    the store's index: copying the union into rdflib was 160 of 190 s at N = 100 reports.
    The scorecard is the one the rdflib store gives."""
    from datetime import UTC, datetime

    from tckg.cli.track import _track_filters
    from tckg.store.persistent import PersistentStore
    from tckg.track import assess

    files = _copy(tmp_path, 2)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    memory = load_dataset(files)
    expected = assess(memory, year="2022", scope="district", now=now).to_csv()
    ds = load_dataset(files, store="persistent")

    def no_copy(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the corpus was copied into rdflib")

    monkeypatch.setattr(PersistentStore, "union", no_copy)
    try:
        year, scope = _track_filters(ds, "2022", "District")
        assert (year, scope) == ("2022", "district")
        assert assess(ds, year=year, scope=scope, now=now).to_csv() == expected
    finally:
        ds.close()


# A manifest damaged into other JSON (a hand edit, a bad disk): the store is rebuilt from the
# data files. Before: a list gave "internal error: UnboundLocalError", an entry of the wrong
# shape KeyError or TypeError, on every command until the user found and deleted the store.
DAMAGED_MANIFESTS = {
    "a-list": lambda m: [],
    "entry-a-string": lambda m: {**m, "files": {k: "x" for k in m["files"]}},
    "entry-wrong-types": lambda m: {**m, "files": {k: {**e, "sha256": 5, "graphs": 7}
                                                   for k, e in m["files"].items()}},
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_MANIFESTS))
def test_a_damaged_manifest_means_a_rebuild_not_a_crash(tmp_path: Path, damage: str) -> None:
    import json

    data = tmp_path / "tiny.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
                    encoding="utf-8")
    folder = tmp_path / "store"
    load_dataset([data], store="persistent", store_dir=folder, with_ontology=False).close()
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps(DAMAGED_MANIFESTS[damage](
        json.loads(manifest.read_text(encoding="utf-8")))), encoding="utf-8")
    ds = load_dataset([data], store="persistent", store_dir=folder, with_ontology=False)
    assert ds.sync.loaded == [str(data.resolve())]  # rebuilt from the file
    assert _union_size(ds) == 1
    ds.close()
