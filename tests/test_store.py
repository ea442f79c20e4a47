"""The store seam: the same data in pyoxigraph answers every named query as rdflib does."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, run_tckg
from rdflib import BNode

from tckg.sparql.catalogue import named_queries
from tckg.sparql.errors import QueryError, QueryTimeout
from tckg.sparql.run import query
from tckg.store.backends import OxigraphStore
from tckg.store.load import load_dataset


@pytest.fixture(scope="module")
def oxigraph():
    return load_dataset(store="oxigraph")


def _rows(result) -> list[tuple]:  # noqa: ANN001
    """Rows as sorted tuples of (column, value, datatype, language): a datatype Oxigraph folds
    (xsd:nonNegativeInteger to xsd:integer) is a difference, as it is in ``query -f json``."""
    return sorted(tuple(sorted((k, str(v), str(getattr(v, "datatype", None) or ""),
                                str(getattr(v, "language", None) or "")) for k, v in row.items()))
                  for row in result.rows)


@pytest.fixture(scope="module")
def persistent(tmp_path_factory):
    ds = load_dataset(store="persistent", store_dir=tmp_path_factory.mktemp("persistent"))
    yield ds
    ds.close()


@pytest.mark.parametrize("name", sorted(named_queries()))
@pytest.mark.slow
def test_every_named_query_gives_the_same_rows_on_both_stores(name, dataset, oxigraph,  # noqa: ANN001
                                                              persistent) -> None:  # noqa: ANN001
    mine, theirs = query(name, dataset, timeout=0), query(name, oxigraph, timeout=0)
    assert _rows(query(name, persistent, timeout=0)) == _rows(theirs)
    assert mine.columns == theirs.columns
    assert _rows(mine) == _rows(theirs)


def test_parameters_are_substituted_as_terms_on_oxigraph(oxigraph) -> None:  # noqa: ANN001
    rows = query("targets", oxigraph, {"year": "2023", "plan_level": "district",
                                       "indicator": "ind:gdp-growth"}).rows
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [(7.5, "%", "approximately")]
    hostile = '天元区" } ; DROP ALL ; SELECT * {'
    assert query("targets", oxigraph, {"scope": hostile}).rows == []
    assert len(query("targets", oxigraph).rows) == 55  # nothing was dropped


@pytest.mark.slow
def test_oxigraph_store_holds_one_graph_per_report(oxigraph) -> None:  # noqa: ANN001
    assert isinstance(oxigraph.store, OxigraphStore)
    assert [str(n) for n in oxigraph.report_graphs()] == ["https://w3id.org/tckg/graph/tianyuan-2023-plan"]
    assert len(oxigraph.union()) == len(load_dataset().union())


def test_timeout_and_infer_on_oxigraph(oxigraph) -> None:  # noqa: ANN001
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        query(slow, oxigraph, timeout=0.5)
    # the RDFS closure is tckg's own, computed in a memory copy whatever the store
    plain, inferred = (query("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", oxigraph, infer=i, timeout=0)
                       for i in (False, True))
    assert inferred.rows[0]["n"] > plain.rows[0]["n"]
    with pytest.raises(QueryError, match="Oxigraph could not run"):
        query("SELECT * WHERE { ?s ?p ?o FILTER(<urn:nofunction>(?o)) }", oxigraph, timeout=0)


@pytest.mark.slow
def test_cli_store_option() -> None:
    result = run_tckg("query", "targets", "-p", "year=2022", "--store", "oxigraph", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 10  # the header and the nine 2022 plan targets
    bad = run_tckg("query", "targets", "--store", "sqlite")
    assert bad.returncode == 2 and "unknown --store" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory):  # noqa: ANN001, ANN201
    """Three distinct reports that share places, bodies and indicators, as real ones do."""
    from tckg.io.paths import data_dir

    folder = tmp_path_factory.mktemp("reports")
    text = (data_dir() / "report.ttl").read_text(encoding="utf-8")
    files = []
    for i in range(3):
        path = folder / f"copy-{i}.ttl"
        path.write_text(text.replace("tianyuan-2023-plan", f"tianyuan-2023-plan-copy{i}"),
                        encoding="utf-8")
        files.append(path)
    return load_dataset(files), load_dataset(files, store="oxigraph")


@pytest.mark.parametrize("name", ["targets", "achievements", "task-targets", "projects",
                                  "targets-without-result", "city-vs-district"])
@pytest.mark.slow
def test_shared_entities_do_not_multiply_rows_on_oxigraph(name, three_reports) -> None:  # noqa: ANN001
    # Oxigraph's union default graph is a bag: a place label stated in three reports would
    # join three times. The store keeps a set union, as rdflib does.
    rdflib_ds, oxigraph_ds = three_reports
    mine, theirs = query(name, rdflib_ds, timeout=0), query(name, oxigraph_ds, timeout=0)
    assert _rows(mine) == _rows(theirs)
    if name == "targets":
        assert len(theirs.rows) == 3 * 55


FICTIONAL = ROOT / "tests" / "fixtures" / "fictional-tianyuan-2024"


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):  # noqa: ANN001
    """The fictional 2024 report compiled from its YAML source, as a real report would be."""
    from tckg.compile import compile_report, write_turtle

    out = tmp_path_factory.mktemp("fictional") / "fictional-tianyuan-2024-plan.ttl"
    write_turtle(compile_report(FICTIONAL, FICTIONAL), out)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "persistent"])
def test_terms_and_datatypes_round_trip_exactly_through_oxigraph(dataset, kind, tmp_path) -> None:  # noqa: ANN001
    """Graphs compared as graphs (terms with their datatypes), not as strings: an evidence offset
    typed xsd:nonNegativeInteger must come back typed so, or validation sees a different graph."""
    from rdflib.compare import isomorphic
    from rdflib.namespace import XSD

    oxigraph = load_dataset(store=kind, **({"store_dir": tmp_path} if kind == "persistent" else {}))

    assert sorted(dataset.store.graph_names()) == sorted(oxigraph.store.graph_names())
    for name in dataset.store.graph_names():
        mine, theirs = dataset.store.graph(name), oxigraph.store.graph(name)
        assert set(mine) == set(theirs), name
        assert isomorphic(mine, theirs), name
    datatypes = {o.datatype for _, _, o in oxigraph.union() if getattr(o, "datatype", None)}
    assert XSD.nonNegativeInteger in datatypes


@pytest.mark.slow
def test_bundled_data_conforms_on_both_stores_with_the_same_report(oxigraph) -> None:  # noqa: ANN001
    from tckg.validate import validate_dataset

    on_rdflib = validate_dataset(load_dataset())
    on_oxigraph = validate_dataset(oxigraph)
    assert on_rdflib.conforms and on_oxigraph.conforms
    assert on_rdflib.to_json() == on_oxigraph.to_json()


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("validate", "--format", "json"),
    ("query", "targets", "--format", "csv"),
    ("query", "scorecard", "--format", "json"),
    ("track", "--format", "csv"),
    ("track", "--format", "json"),
])
def test_every_command_answers_the_same_on_both_stores(args, next_year) -> None:  # noqa: ANN001
    """The bundled report plus the fictional next-year report, as a user runs them."""
    files = [str(ROOT / "data" / "report.ttl"), str(next_year)]
    if args[0] == "query":
        files = [x for f in files for x in ("-d", f)]
    outputs = []
    for store in ("rdflib", "oxigraph"):
        done = run_tckg(*args, *files, "--store", store)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(re.sub(r'"generated(_at|At)?": "[^"]*"', "", done.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0].strip()


@pytest.mark.slow
def test_graph_has_the_same_nodes_and_edges_on_both_stores(tmp_path) -> None:  # noqa: ANN001
    import json

    got = []
    for store in ("rdflib", "oxigraph"):
        out = tmp_path / store
        done = run_tckg("graph", "-o", str(out / "graph.html"), "--json", str(out / "graph.json"),
                        "--store", store)
        assert done.returncode == 0, done.stderr
        data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
        edges = data.get("links", data.get("edges", []))
        got.append((sorted(n["id"] for n in data["nodes"]),
                    sorted((e["source"], e["target"], e.get("key", "")) for e in edges)))
    assert got[0] == got[1]
    assert len(got[0][0]) > 100


@pytest.mark.parametrize(("datatype", "written"), [
    ("decimal", "12.0"), ("decimal", "0.50"), ("decimal", "-0.0"), ("decimal", "+3"), ("decimal", ".5"),
    ("decimal", "7.5"), ("integer", "+007"), ("integer", "-0"),
    ("nonNegativeInteger", "007"), ("boolean", "0"), ("boolean", "true"), ("decimal", "100000000000000000000.25"),
])
def test_canonical_numbers_are_what_oxigraph_gives_back(datatype, written) -> None:  # noqa: ANN001
    """The load step's canonical form is Oxigraph's own, checked against Oxigraph itself."""
    import pyoxigraph as ox
    from rdflib import Literal
    from rdflib.namespace import XSD

    from tckg.store.canonical import canonical_lexical

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                      ox.Literal(written, datatype=ox.NamedNode(str(XSD[datatype]))), ox.DefaultGraph()))
    given_back = next(iter(store)).object.value
    ours = canonical_lexical(Literal(written, datatype=XSD[datatype]))
    assert (ours if ours is not None else written) == given_back


# the build's own clock (prov:generatedAtTime, the pages' "generated at"): the one thing that
# may differ between two builds of the same data
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _site_dataset(path):  # noqa: ANN001, ANN202
    from rdflib import Dataset

    text = _TIMESTAMP.sub("2000-01-01T00:00:00+00:00", path.read_text(encoding="utf-8"))
    ds = Dataset().parse(data=text, format="trig")
    return {g.identifier: set(g) for g in ds.graphs() if len(g)}


@pytest.mark.slow
def test_build_writes_the_same_site_on_every_store(next_year, tmp_path) -> None:  # noqa: ANN001
    """`tckg build` on the bundled and the fictional next-year report: every page, the
    assessments and the data the same from the rdflib, Oxigraph and persistent stores."""
    files = [str(ROOT / "data" / "report.ttl"), str(next_year)]
    sites = {}
    for store in ("rdflib", "oxigraph", "persistent"):
        out = tmp_path / store
        done = run_tckg("build", *files, "-o", str(out), "--store", store,
                        "--store-dir", str(tmp_path / "persistent-store"))
        assert done.returncode == 0, done.stderr
        sites[store] = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*"))
                        if p.is_file()}
    names = set(sites["rdflib"])
    assert {"index.html", "graph.html", "scorecard.html", "assessments.ttl", "tckg.trig"} <= names
    assert all(set(site) == names for site in sites.values())
    for name in sorted(names):
        texts = {store: _TIMESTAMP.sub("", site[name].read_text(encoding="utf-8"))
                 for store, site in sites.items()}
        # every file byte for byte, tckg.trig too (the persistent store streams it graph by
        # graph, the memory stores write it at once)
        for store in tuple(texts)[1:]:
            assert texts[store] == texts["rdflib"], f"{name} differs on {store}"
    # the data, term for term: same graphs, same triples, same lexical forms and datatypes
    mine = _site_dataset(sites["rdflib"]["tckg.trig"])
    theirs = _site_dataset(sites["persistent"]["tckg.trig"])
    assert sorted(mine) == sorted(theirs)
    assert len(mine) == 4  # ontology, two reports, assessments
    for graph in mine:
        assert mine[graph] == theirs[graph], graph


_BLANK_NODE_FILES = {
    # nested blank nodes and lists: rdflib's parsers meet the inner node first, pyoxigraph's
    # the outer one, so each store once numbered them differently
    "nested.ttl": '@prefix ex: <https://example.org/> .\n'
                  'ex:s ex:p [ ex:q [ ex:r "x" ] ; ex:t ( 1 2 [ ex:u 3 ] ) ] .\n'
                  '_:b1 ex:p _:b2 . _:b2 ex:p _:b1 .\n',
    "list-only.ttl": '@prefix ex: <https://example.org/> .\nex:s ex:list ( "a" "b" ) .\n',
    "nested.rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  'xmlns:ex="https://example.org/"><rdf:Description rdf:about="https://example.org/s">'
                  '<ex:p><rdf:Description><ex:q><rdf:Description><ex:r>x</ex:r></rdf:Description>'
                  '</ex:q></rdf:Description></ex:p><ex:l rdf:parseType="Collection">'
                  '<rdf:Description rdf:about="https://example.org/a"/><rdf:Description/></ex:l>'
                  '</rdf:Description></rdf:RDF>\n',
    "nested.jsonld": '{"@context": {"ex": "https://example.org/"}, "@graph": ['
                     '{"@id": "ex:s", "ex:p": {"ex:q": {"ex:r": "x"}}, "ex:l": {"@list": [1, {"ex:u": 2}]}},'
                     '{"@id": "_:n1", "ex:m": {"ex:k": [{"ex:z": 1}, {"ex:z": 2}]}}]}\n',
    "nested.trig": '@prefix ex: <https://example.org/> .\n'
                   'ex:g { ex:s ex:p [ ex:q [ ex:r "x" ] ] . }\n',
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_BLANK_NODE_FILES))
def test_blank_nodes_get_the_same_skolem_iris_in_every_store(tmp_path, name) -> None:  # noqa: ANN001
    """One file, three stores, the same IRIs for its blank nodes: in the graphs handed to rdflib
    and in what SPARQL sees inside the store."""
    path = tmp_path / name
    path.write_text(_BLANK_NODE_FILES[name], encoding="utf-8")
    text = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/tckg/graph/ontology>) }"
    seen = {}
    for kind in ("rdflib", "oxigraph", "persistent"):
        ds = load_dataset([path], store=kind,
                          **({"store_dir": tmp_path / "store"} if kind == "persistent" else {}))
        try:
            graphs = {n: set(ds.store.graph(n)) for n in ds.store.graph_names()}
            result = query(text, ds, timeout=0)
        finally:
            ds.close()
        assert not any(isinstance(v, BNode) for row in result.rows for v in row.values()), kind
        rows = _rows(result)
        assert any("/.well-known/genid/" in cell[1] for row in rows for cell in row)
        seen[kind] = (graphs, rows)
    assert seen["rdflib"] == seen["oxigraph"] == seen["persistent"]
