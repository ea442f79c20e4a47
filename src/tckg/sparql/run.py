"""One way to run SPARQL: every named query and ad-hoc query of tckg goes through :func:`query`.

The query is resolved (a name from the catalogue, a ``.rq`` file or text), vetted and parsed
(:mod:`tckg.sparql.safety`), its parameters bound as terms (:mod:`tckg.sparql.params`), and
answered by the store behind the seam (:class:`tckg.store.Store`), in a child process killed
when the time limit passes, with at most ``max_rows`` rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph
from rdflib.term import Node

from tckg.namespaces import PREFIXES, bind_prefixes
from tckg.settings import SETTINGS
from tckg.sparql.catalogue import INFERRED_GRAPH, query_text
from tckg.sparql.errors import QueryError, QueryTimeout
from tckg.sparql.inference import rdfs_closure
from tckg.sparql.params import bind_params
from tckg.sparql.results import QueryResult
from tckg.sparql.safety import PreparedQuery, prepare
from tckg.store.backends import RdflibStore, Solutions, Store, StoreError

if TYPE_CHECKING:  # pragma: no cover
    from tckg.store.load import TckDataset


def _answer(store: Store | str, prepared: PreparedQuery | str, bindings: Mapping[str, Node],
            max_rows: int, infer: bool) -> Solutions:
    """The query process's work. Under spawn the data and the query arrive as text."""
    if isinstance(store, str):
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        quads, text = store, str(prepared)
        store = RdflibStore()
        ds = Dataset()
        ds.parse(data=quads, format="nquads")
        for g in ds.graphs():
            if len(g):
                store.add_graph(g.identifier, g)
        algebra = translateQuery(parseQuery(text), initNs=PREFIXES)
        return _on(store, infer).query(text, algebra, bindings, max_rows=max_rows)
    assert isinstance(prepared, PreparedQuery)
    try:
        return _on(store, infer).query(prepared.text, prepared.algebra, bindings,
                                       max_rows=max_rows)
    except StoreError as exc:
        raise QueryError(str(exc)) from None


def _on(store: Store, infer: bool) -> Store:
    """The store to ask: itself, or with ``infer`` a memory copy with the RDFS closure added
    (whatever the backend: the closure is tckg's, not the engine's)."""
    if not infer:
        return store
    inferred = RdflibStore()
    for name in store.graph_names():
        inferred.add_graph(name, store.graph(name))
    inferred.add_graph(INFERRED_GRAPH, rdfs_closure(store.union()))
    return inferred


def _run_in_child(store: Store, prepared: PreparedQuery, bindings: Mapping[str, Node],
                  max_rows: int, infer: bool, timeout: float) -> Solutions:
    from tckg.child import ChildFailed, ChildTimeout, run_in_child, start_method

    # fork shares the loaded store with the child for free; spawn (Windows, macOS) gets the
    # data as N-Quads. TCKG_QUERY_START_METHOD lets tests exercise the spawn path on Linux.
    method = start_method(os.environ.get("TCKG_QUERY_START_METHOD"))
    if method == "fork":
        job: tuple[Any, ...] = (store, prepared, dict(bindings), max_rows, infer)
    else:
        quads = Dataset()
        for name in store.graph_names():
            quads.graph(name).__iadd__(store.graph(name))
        job = (quads.serialize(format="nquads"), prepared.text, dict(bindings), max_rows, infer)
    try:
        return run_in_child(_answer, job, timeout=timeout, method=method, name="tckg-query")
    except ChildTimeout as exc:
        raise QueryTimeout(
            f"{prepared.source}: the query ran longer than {timeout:g} s and was stopped "
            "(its process is ended; nothing was changed). Narrow it down (fewer unbound "
            "triple patterns, a LIMIT, a parameter) or raise --timeout. "
            f"查询超过 {timeout:g} 秒，已终止。", pid=exc.pid) from None
    except ChildFailed as exc:
        raise QueryError(f"{prepared.source}: the query failed while running: {exc}. "
                         "查询运行出错。") from None


def _store_of(dataset: Any) -> Store:
    if dataset is None:
        from tckg.store.load import load_dataset

        dataset = load_dataset()
    if isinstance(dataset, Graph):
        # a plain rdflib graph (a notebook user's own): wrap it, without copying its name
        store = RdflibStore()
        if isinstance(dataset, Dataset):
            for g in dataset.graphs():
                if len(g):
                    store.add_graph(g.identifier, g)
        else:
            store.add_graph(dataset.identifier, dataset)
        return store
    store = getattr(dataset, "store", dataset)
    if isinstance(store, Store):
        return store
    raise QueryError(f"cannot query a {type(dataset).__name__}; pass a TckDataset "
                     "(tckg.load_dataset()), a Store or an rdflib Graph/Dataset. 无法查询该对象。")


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def resolve(name_or_text: str) -> tuple[str, str]:
    """(text, source) for a named query, a path to a ``.rq`` file or SPARQL text."""
    text = name_or_text.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+", text):
        return query_text(text), text
    if "\n" not in text and (text.endswith((".rq", ".sparql")) or _is_file(text)):
        from tckg.io.read import read_text

        return read_text(Path(text)), text
    return name_or_text, "query"


def check(name_or_text: str, params: Mapping[str, Any] | None = None,
          allow_service: bool = False) -> tuple[PreparedQuery, dict[str, Node]]:
    """Resolve, parse, vet and bind a query without running it (raises QueryError)."""
    text, source = resolve(name_or_text)
    prepared = _prepared(text, source, allow_service)
    return prepared, bind_params(prepared, params)


@lru_cache(maxsize=128)
def _prepared(text: str, source: str, allow_service: bool) -> PreparedQuery:
    """Parsing and vetting a query costs 5-40 ms (pyparsing); a caller running one named query
    per report (the graph overview: thousands of times) parses it once. A prepared query is
    only read afterwards (bound per call, as rdflib's prepareQuery is meant to be reused)."""
    return prepare(text, source, allow_service=allow_service)


def query(name_or_text: str, dataset: TckDataset | Store | Graph | None = None,
          params: Mapping[str, Any] | None = None, infer: bool = False, *,
          allow_service: bool = False, timeout: float | None = None,
          max_rows: int | None = None) -> QueryResult:
    """Run a named query (``"targets"``), a ``.rq`` file or SPARQL text over the dataset.

    ``dataset`` defaults to the bundled reports with the ontology (``tckg.load_dataset()``).
    ``params`` maps variable names to values (strings as on the command line, or rdflib
    terms); they are bound as RDF terms, never pasted into the text. ``infer`` adds the RDFS
    closure (sub-classes, sub-properties, domains, ranges) in a copy. ``timeout`` (seconds,
    default the ``query_timeout`` setting; 0 runs in this process without a limit) and
    ``max_rows`` (default the ``max_rows`` setting) bound the work.

    >>> import pandas as pd, tckg                                  # doctest: +SKIP
    >>> pd.DataFrame(tckg.query("targets", params={"year": "2023"}).rows)  # doctest: +SKIP
    """
    prepared, bindings = check(name_or_text, params, allow_service)
    limit = int(SETTINGS["max_rows"].value if max_rows is None else max_rows)
    seconds = float(SETTINGS["query_timeout"].value if timeout is None else timeout)
    store = _store_of(dataset)
    if seconds > 0:
        payload = _run_in_child(store, prepared, bindings, limit, infer, seconds)
    else:
        payload = _answer(store, prepared, bindings, limit, infer)
    result_graph = None
    if payload.triples is not None:
        result_graph = Graph()
        bind_prefixes(result_graph.namespace_manager)
        for triple in payload.triples:
            result_graph.add(triple)
    return QueryResult(payload.kind, payload.columns, payload.terms, payload.boolean,
                       result_graph, payload.truncated, limit, prepared.source)


