"""The store seam: the same data in pyoxigraph answers every named query as rdflib does."""

from __future__ import annotations

import pytest
from conftest import run_tckg

from tckg.sparql.catalogue import named_queries
from tckg.sparql.errors import QueryError, QueryTimeout
from tckg.sparql.run import query
from tckg.store.backends import OxigraphStore
from tckg.store.load import load_dataset


@pytest.fixture(scope="module")
def oxigraph():
    return load_dataset(store="oxigraph")


def _rows(result) -> list[tuple]:  # noqa: ANN001
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in result.rows)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_gives_the_same_rows_on_both_stores(name, dataset, oxigraph) -> None:  # noqa: ANN001
    mine, theirs = query(name, dataset, timeout=0), query(name, oxigraph, timeout=0)
    assert mine.columns == theirs.columns
    assert _rows(mine) == _rows(theirs)


def test_parameters_are_substituted_as_terms_on_oxigraph(oxigraph) -> None:  # noqa: ANN001
    rows = query("targets", oxigraph, {"year": "2023", "plan_level": "district",
                                       "indicator": "ind:gdp-growth"}).rows
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [(7.5, "%", "approximately")]
    hostile = '天元区" } ; DROP ALL ; SELECT * {'
    assert query("targets", oxigraph, {"scope": hostile}).rows == []
    assert len(query("targets", oxigraph).rows) == 55  # nothing was dropped


def test_oxigraph_store_holds_one_graph_per_report(oxigraph) -> None:  # noqa: ANN001
    assert isinstance(oxigraph.store, OxigraphStore)
    assert [str(n) for n in oxigraph.report_graphs()] == ["https://w3id.org/tckg/graph/tianyuan-2023-plan"]
    assert len(oxigraph.union()) == len(load_dataset().union())


def test_timeout_and_infer_on_oxigraph(oxigraph) -> None:  # noqa: ANN001
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        query(slow, oxigraph, timeout=0.5)
    with pytest.raises(QueryError, match="rdflib"):
        query("targets", oxigraph, infer=True)


def test_cli_store_option() -> None:
    result = run_tckg("query", "targets", "-p", "year=2022", "--store", "oxigraph", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 10  # the header and the nine 2022 plan targets
    bad = run_tckg("query", "targets", "--store", "sqlite")
    assert bad.returncode == 2 and "unknown store" in bad.stderr and "Traceback" not in bad.stderr


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
def test_shared_entities_do_not_multiply_rows_on_oxigraph(name, three_reports) -> None:  # noqa: ANN001
    # Oxigraph's union default graph is a bag: a place label stated in three reports would
    # join three times. The store keeps a set union, as rdflib does.
    rdflib_ds, oxigraph_ds = three_reports
    mine, theirs = query(name, rdflib_ds, timeout=0), query(name, oxigraph_ds, timeout=0)
    assert _rows(mine) == _rows(theirs)
    if name == "targets":
        assert len(theirs.rows) == 3 * 55
