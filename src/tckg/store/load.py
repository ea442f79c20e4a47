"""Parsing RDF files into named graphs (formats from an allow-list, skolemised blank nodes) and
loading the ontology and reports into a store.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.plugins.stores.memory import Memory

from tckg.io.errors import LoadError
from tckg.io.paths import default_data_files, ontology_files
from tckg.io.read import check_jsonld, check_xml, read_text, syntax_error
from tckg.namespaces import GRAPH, ONTOLOGY_GRAPH, REPORT, TCK
from tckg.settings import SETTINGS
from tckg.store.backends import Store, open_store
from tckg.store.canonical import canonical_numbers
from tckg.vocab.iri import in_namespace, local_name, mint

# rdflib logs a full traceback for every ill-typed literal it parses; tckg reports those as
# validation results instead (tckg.validate.ill_typed_literals), so the log would only alarm.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)



FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
QUAD_FORMATS = {"trig", "nquads"}


class _DocumentOrder(Memory):
    """rdflib's memory store, noting each blank node when the parser first adds it."""

    def __init__(self) -> None:
        super().__init__()
        self.first_seen: dict[BNode, int] = {}

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        for term in (triple[0], triple[2]):
            if isinstance(term, BNode) and term not in self.first_seen:
                self.first_seen[term] = len(self.first_seen)
        super().add(triple, context, quoted)


@dataclass
class ParsedFile:
    path: Path
    graphs: dict[URIRef, Graph]  # graph name -> triples


def parse_file(path: Path | str, *, encoding: str | None = None,
               allow_remote_context: bool = False, graph_name: URIRef | None = None) -> ParsedFile:
    """Parse one RDF file safely; raise :class:`LoadError` with a line number on bad input."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(path, f"unknown RDF format {path.suffix!r}; tckg reads "
                        + ", ".join(sorted(FORMATS)) + ".")
    text = read_text(path, encoding)
    if fmt == "xml":
        text = check_xml(path, text)
    if fmt == "json-ld":
        check_jsonld(path, text, allow_remote_context)
    if "_:" in text or "[" in text or fmt in ("xml", "json-ld"):
        # blank nodes likely: read once, by the parser whose order names them in every store
        graphs = _skolemized_by_oxigraph(path, encoding, allow_remote_context, graph_name)
        return ParsedFile(path, {name: canonical_numbers(g) for name, g in graphs.items()})
    max_triples = SETTINGS["max_triples"].value
    order = _DocumentOrder()
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset(store=order)
            ds.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            graphs = {}
            for ctx in ds.graphs():
                if len(ctx):
                    name = ctx.identifier if isinstance(ctx.identifier, URIRef) and \
                        ctx.identifier != DATASET_DEFAULT_GRAPH_ID else None
                    graphs[name or _graph_name_for(ctx, path)] = _copy(ctx)
        else:
            g = Graph(store=order)
            g.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            graphs = {graph_name or _graph_name_for(g, path): g}
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(path, "nests blank nodes, lists or elements too deeply to parse (more "
                        "levels than Python's recursion allows); flatten the nesting, e.g. give "
                        "the inner nodes IRIs. 嵌套过深，无法解析。") from None
    except Exception as exc:  # rdflib raises many types for bad syntax; all become one message
        raise syntax_error(path, exc, text) from None
    total = sum(len(g) for g in graphs.values())
    if total > max_triples:
        raise LoadError(path, f"holds {total:,} triples, over the limit of {max_triples:,} "
                        "(setting max_triples).")
    if order.first_seen:  # blank nodes the quick look missed (a Turtle list "( 1 2 )")
        graphs = _skolemized_by_oxigraph(path, encoding, allow_remote_context, graph_name)
    else:
        _refuse_bad_iris(path, graphs, text)
    return ParsedFile(path, {name: canonical_numbers(g) for name, g in graphs.items()})


# Characters no IRI may hold (RFC 3987). rdflib's parsers let them through, pyoxigraph refuses
# them: a file read here would otherwise load, then fail in the persistent store or the writer
# as "a bug in tckg", or be stored by tckg add and then stop every later command.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def _refuse_bad_iris(path: Path, graphs: dict[URIRef, Graph], text: str) -> None:
    for graph in graphs.values():
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef) and _BAD_IRI.search(term):
                    _bad_iri(path, str(term), text)


def _bad_iri(path: Path, iri: str, text: str) -> None:
    at = text.find(iri)
    line = text.count("\n", 0, at) + 1 if at >= 0 else None
    char = _BAD_IRI.search(iri)
    shown = repr(char.group(0)) if char else "a character"
    raise LoadError(path, f"the IRI <{iri[:200]}> holds {shown}, which no IRI may contain "
                    "(spaces, quotes, <, >, {, }, |, ^, ` and control characters). Percent-encode "
                    "it (a space as %20) or fix the IRI. IRI 含非法字符，请改为百分号编码。",
                    line=line)


def _skolemized_by_oxigraph(path: Path, encoding: str | None, allow_remote_context: bool,
                            graph_name: URIRef | None) -> dict[URIRef, Graph]:
    """A file with blank nodes, read again by pyoxigraph's parser, whose order of first
    appearance names the skolem IRIs in the persistent store too. rdflib's parsers meet nested
    blank nodes in another order (inner before outer in Turtle and JSON-LD), so numbering what
    each parser met first gave the same file different IRIs in the two stores."""
    from tckg.store.backends import OxigraphStore
    from tckg.store.persistent import exact_quads

    conv = OxigraphStore.to_rdflib
    graphs: dict[URIRef, Graph] = {}
    quads = exact_quads(path, encoding=encoding, allow_remote_context=allow_remote_context,
                        graph_name=str(graph_name) if graph_name is not None else None)
    for name, triples in quads.items():
        g = graphs.setdefault(URIRef(name), Graph())
        for t in triples:
            g.add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return graphs


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for triple in graph:
        g.add(triple)
    return g


def _graph_name_for(graph: Graph, path: Path) -> URIRef:
    """A report's named graph is derived from its tck:Report resource; else from the file."""
    reports = sorted(set(graph.subjects(RDF.type, TCK.Report)))
    if len(reports) == 1 and in_namespace(reports[0], REPORT):
        return mint(GRAPH, local_name(reports[0], REPORT))
    return mint(GRAPH, "file/" + re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem))


@dataclass
class TckDataset:
    """The ontology plus one named graph per report (and any assessment graphs), in a store.

    Everything reads it through :attr:`store` (the seam) or through :func:`tckg.sparql.run.query`.
    """

    store: Store
    sources: dict[URIRef, Path] = field(default_factory=dict)

    def report_graphs(self) -> list[URIRef]:
        fast = getattr(self.store, "graphs_with_type", None)
        if fast is not None:  # the persistent store: one index lookup, no copy
            found = set(fast(str(TCK.Report)))
            return [n for n in self.store.graph_names() if n in found and n != ONTOLOGY_GRAPH]
        return [n for n in self.store.graph_names() if n != ONTOLOGY_GRAPH
                and (None, RDF.type, TCK.Report) in self.store.graph(n)]

    def close(self) -> None:
        """Let go of the store (the persistent one holds a lock); a no-op in memory."""
        close = getattr(self.store, "close", None)
        if close is not None:
            close()

    def data_graph(self) -> Graph:
        """The union of every graph except the ontology."""
        return self.store.union(n for n in self.store.graph_names() if n != ONTOLOGY_GRAPH)

    def ontology_graph(self) -> Graph:
        return self.store.graph(ONTOLOGY_GRAPH)

    def union(self) -> Graph:
        return self.store.union()

    def lookup(self) -> Any:
        """Point reads (``objects``, ``subjects``, ``value``) over the set union of every graph.

        On the persistent store they are answered by its index; :meth:`union` would copy the
        whole corpus into rdflib first (160 s of a 190 s ``tckg track`` at N = 100 reports).
        The in-memory stores hand back the union graph itself."""
        fast = getattr(self.store, "lookup_graph", None)
        return fast() if fast is not None else self.union()


def default_store_kind() -> str:
    import os

    return os.environ.get("TCKG_STORE") or "rdflib"


def load_ontology(store: Store, reading: list[Path] | None = None) -> None:
    for path in ontology_files():
        if reading is not None:
            reading.append(path)
        for _, graph in parse_file(path).graphs.items():
            store.add_graph(ONTOLOGY_GRAPH, graph)


def load_dataset(files: Iterable[Path | str] | None = None, *, with_ontology: bool = True,
                 encoding: str | None = None, allow_remote_context: bool = False,
                 store: str | None = None, store_dir: Path | str | None = None) -> TckDataset:
    """Load the ontology and the given data files (default: the bundled reports).

    A file whose graph names a report goes into that report's named graph; two files that
    claim the same report are refused rather than silently merged. ``store="oxigraph"`` holds
    the data in pyoxigraph instead of rdflib's memory store (faster SPARQL on large data);
    ``store="persistent"`` opens the on-disk Oxigraph store kept in step with the files
    (:mod:`tckg.store.persistent`), reparsing only the files that changed. The default is
    ``$TCKG_STORE``, else rdflib.
    """
    from tckg.child import time_limit

    seconds = float(SETTINGS["load_timeout"].value)
    reading: list[Path] = []

    def too_slow() -> LoadError:
        from tckg.io.read import last_read

        where = last_read() or (reading[-1] if reading else "the data")
        return LoadError(where, f"loading took longer than {seconds:g} s and was stopped (setting "
                         "load_timeout): the file may be hostile (blank-node or nesting bombs) or "
                         "very large. Raise the limit with --load-timeout if you trust it. "
                         "载入超时，已停止。")

    if (store or default_store_kind()) == "persistent":
        # the persistent store applies the limit to each file it parses: a first load of a
        # thousand reports is long, one hostile file is what the limit is for
        return _load_dataset(files, with_ontology, encoding, allow_remote_context, store,
                             store_dir, reading)
    with time_limit(seconds, too_slow):
        return _load_dataset(files, with_ontology, encoding, allow_remote_context, store,
                             store_dir, reading)


def _load_dataset(files: Iterable[Path | str] | None, with_ontology: bool, encoding: str | None,
                  allow_remote_context: bool, store: str | None, store_dir: Path | str | None,
                  reading: list[Path]) -> TckDataset:
    store = store or default_store_kind()
    if store == "persistent":
        from tckg.store.persistent import open_persistent

        return open_persistent(files, with_ontology=with_ontology, encoding=encoding,
                               allow_remote_context=allow_remote_context, store_dir=store_dir)
    backend = open_store(store)
    ds = TckDataset(backend)
    if with_ontology:
        load_ontology(backend, reading)
    paths = [Path(f) for f in files] if files is not None else default_data_files()
    for path in paths:
        reading.append(path)
        parsed = parse_file(path, encoding=encoding, allow_remote_context=allow_remote_context)
        for name, graph in parsed.graphs.items():
            if name == ONTOLOGY_GRAPH and with_ontology:
                # the persistent store refuses this; here the file was merged into the
                # ontology's graph without a word, so a data file could restate the vocabulary
                raise LoadError(path, f"puts triples in the ontology's graph <{name}>; a data "
                                "file may not change the ontology. Put them in the file's own "
                                "graph (leave the graph name out). 数据文件不得写入本体图。")
            if name in ds.sources and ds.sources[name] != path:
                raise LoadError(path, f"describes the same report graph <{name}> as "
                                f"{ds.sources[name]}; one report per file.")
            ds.sources[name] = path
            backend.add_graph(name, graph)
    return ds
