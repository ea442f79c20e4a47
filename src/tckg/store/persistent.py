"""The persistent store: the ontology and every data file in an on-disk Oxigraph store, kept in
step with the files by content hash, so a command opens it instead of reparsing the corpus.

Layout of the store folder (in the user's cache folder, or ``--store-dir``)::

    oxigraph/        the pyoxigraph (RocksDB) store: one named graph per report, the ontology
                     in graph/ontology, and every triple once more in the default graph (the
                     set union that :class:`~tckg.store.backends.OxigraphStore` queries)
    manifest.json    file -> (size, mtime, sha256, graph names); written atomically
    lock             a file lock: one tckg command at a time uses the store
    validation/      cached per-report validation verdicts (tckg.validation.cache)

Opening compares each file's size and modification time with the manifest (and its SHA-256
when they differ): unchanged files cost a ``stat``; a changed, added or removed file reloads
only its own named graph(s). Files still pass tckg's safety checks (byte limit, decoding,
DOCTYPE refusal for RDF/XML, remote-context refusal for JSON-LD) before pyoxigraph parses
them; blank nodes become per-file skolem IRIs ``{BASE}.well-known/genid/<file-stem>/<n>``,
numbered in parse order (deterministic for the same bytes, linear time).

Crash safety: the manifest is marked ``dirty`` before the store changes and clean after; a
store found dirty (a command killed half-way) is rebuilt from the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef

from tckg.io.errors import LoadError
from tckg.io.paths import data_dir as default_data_dir
from tckg.io.paths import default_data_files, ontology_files
from tckg.io.read import check_jsonld, check_xml, read_text, refuse_irregular, syntax_error
from tckg.namespaces import BASE, GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from tckg.settings import SETTINGS
from tckg.store.backends import OxigraphStore, trig_graph, trig_prefixes

STORE_FOLDER = ".tckg-store"
MANIFEST_VERSION = 2
ONTOLOGY_KEY = "<ontology>"
# Below this many changed files, each is loaded in its own transaction; above, in one bulk load.
BULK_FROM = 8
BATCH = 25  # files per bulk load during a first load: memory stays flat as the corpus grows
BULK_TRIPLES = 50_000  # a graph added at run time this large goes in by the bulk loader
LOCK_TIMEOUT = 600.0
_TCK_REPORT = "https://w3id.org/tckg/def#Report"
_REPORT_PREFIX = f"{BASE}report/"


def _ox() -> Any:
    import pyoxigraph

    return pyoxigraph


def _formats() -> dict[str, Any]:
    ox = _ox()
    return {
        ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
        ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    }


def tckg_version() -> str:
    from tckg import __version__

    return str(__version__)


def store_dir_for(files: Iterable[Path] | None, store_dir: Path | str | None = None) -> Path:
    """Where the store for these files lives: ``store_dir``, ``$TCKG_STORE_DIR``, else under the
    user's cache folder (``$XDG_CACHE_HOME/tckg/stores/<digest of the data folder>``).

    Not beside the data: the store is derived (it can always be rebuilt from the files), so it
    belongs with caches, never in a folder the user versions, publishes or cannot write (a
    wheel's bundled data), and validating a file in /tmp must not leave a folder in /tmp."""
    if store_dir is not None:
        return Path(store_dir)
    if os.environ.get("TCKG_STORE_DIR"):
        return Path(os.environ["TCKG_STORE_DIR"])
    paths = [Path(f).resolve() for f in files] if files else None
    if paths is None:
        base = default_data_dir().resolve()
    else:
        base = Path(os.path.commonpath([str(p.parent) for p in paths]))
        if base.name == "reports":  # data/reports/*.ttl: one store for the data folder
            base = base.parent
    digest = hashlib.sha256(str(base).encode("utf-8")).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tckg" / "stores" / digest


# -- parsing one file with pyoxigraph ----------------------------------------------------------

@dataclass
class PreparedFile:
    """One file parsed (not yet loaded): its graphs as N-Triples bytes, ready to load."""

    key: str
    path: Path
    size: int
    mtime_ns: int
    sha256: str
    graphs: dict[str, bytes] = field(default_factory=dict)  # graph IRI -> N-Triples
    triples: int = 0
    outside: list[str] = field(default_factory=list)  # IRIs used but not described here


def _skolem_salt(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", path.stem)


def _graph_name(reports: list[str], path: Path) -> str:
    if len(reports) == 1 and reports[0].startswith(_REPORT_PREFIX):
        return str(GRAPH[reports[0][len(_REPORT_PREFIX):]])
    return str(GRAPH["file/" + re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem)])


def _checked_text(path: Path, encoding: str | None, allow_remote_context: bool) -> tuple[str, Any]:
    """The file's text after tckg's safety checks, and its pyoxigraph format."""
    ox = _ox()
    fmt = _formats().get(path.suffix.lower())
    if fmt is None:
        raise LoadError(path, f"unknown RDF format {path.suffix!r}; tckg reads "
                        + ", ".join(sorted(_formats())) + ".")
    text = read_text(path, encoding)
    if fmt == ox.RdfFormat.RDF_XML:
        text = check_xml(path, text)
    if fmt == ox.RdfFormat.JSON_LD:
        check_jsonld(path, text, allow_remote_context)
    return text, fmt


def _too_many(path: Path, total: int) -> None:
    max_triples = SETTINGS["max_triples"].value
    if total > max_triples:
        raise LoadError(path, f"holds {total:,} triples, over the limit of {max_triples:,} "
                        "(setting max_triples).")


def exact_quads(path: Path, *, encoding: str | None = None, allow_remote_context: bool = False,
                graph_name: str | None = None) -> dict[str, list[Any]]:
    """The file's triples exactly as written (pyoxigraph's parser keeps every lexical form and
    datatype; its store would not), per graph name, blank nodes renamed
    ``.well-known/genid/<file-stem>/<n>`` in order of first appearance (linear, stable)."""
    ox = _ox()
    text, fmt = _checked_text(path, encoding, allow_remote_context)
    salt = _skolem_salt(path)
    names: dict[str, Any] = {}

    def fix(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            iri = names.get(term.value)
            if iri is None:
                iri = names[term.value] = ox.NamedNode(f"{BASE}.well-known/genid/{salt}/{len(names)}")
            return iri
        return term

    graphs: dict[Any, list[Any]] = {}
    reports: list[str] = []
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    try:
        for q in ox.parse(text.encode("utf-8"), format=fmt, base_iri=path.resolve().as_uri()):
            g = q.graph_name
            key = None if isinstance(g, ox.DefaultGraph) else g.value
            triple = ox.Triple(fix(q.subject), q.predicate, fix(q.object))
            graphs.setdefault(key, []).append(triple)
            if key is None and q.predicate.value == rdf_type and \
                    isinstance(q.object, ox.NamedNode) and q.object.value == _TCK_REPORT and \
                    isinstance(triple.subject, ox.NamedNode) and triple.subject.value not in reports:
                reports.append(triple.subject.value)
    except (SyntaxError, ValueError) as exc:
        raise syntax_error(path, exc, text) from None
    except MemoryError as exc:  # pyoxigraph's 16 MiB cap on one token, not the machine's memory
        raise too_big_a_token(path, exc) from None
    _too_many(path, sum(len(v) for v in graphs.values()))
    out: dict[str, list[Any]] = {}
    for key, triples in graphs.items():
        name = key if key is not None else (graph_name or _graph_name(reports, path))
        out.setdefault(name, []).extend(triples)
    return out


def too_big_a_token(path: Path, exc: MemoryError) -> LoadError:
    """pyoxigraph refuses one literal or IRI over its buffer (16 MiB) with a MemoryError."""
    return LoadError(path, f"holds a single literal or IRI too long to parse ({exc}); the parser "
                     "reads at most 16 MiB for one term. Split the text into several literals or "
                     "leave it out of the RDF. 单个字面量或 IRI 过长，无法解析。")


def parse_with_oxigraph(path: Path, *, encoding: str | None = None,
                        allow_remote_context: bool = False,
                        graph_name: str | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Parse one file safely with pyoxigraph: its graphs (name -> N-Triples bytes to load),
    and the tckg IRIs it uses without describing them (see :func:`_outside`).

    The same checks as :func:`tckg.store.load.parse_file` run first (byte limit, decoding,
    DOCTYPE, remote JSON-LD contexts); syntax errors become :class:`LoadError` with a line.
    A file without blank nodes goes through pyoxigraph alone (parse, find the report, dump);
    one that may hold blank nodes through :func:`exact_quads` for the skolem IRIs.
    """
    ox = _ox()
    text, fmt = _checked_text(path, encoding, allow_remote_context)
    if "_:" in text or "[" in text or fmt in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
        return _parse_skolemized(path, encoding, allow_remote_context, graph_name)
    scratch = ox.Store()
    try:
        scratch.load(text.encode("utf-8"), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError) as exc:
        raise syntax_error(path, exc, text) from None
    except MemoryError as exc:  # pyoxigraph's 16 MiB cap on one token, not the machine's memory
        raise too_big_a_token(path, exc) from None
    if scratch.query(_ANY_BLANK):
        # blank nodes the quick look missed (a Turtle list "( 1 2 )"): skolemise them too
        return _parse_skolemized(path, encoding, allow_remote_context, graph_name)
    _too_many(path, len(scratch))
    out = {}
    for g in [ox.DefaultGraph(), *scratch.named_graphs()]:
        nt = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        if not nt:
            continue
        if isinstance(g, ox.DefaultGraph):
            reports = [s["r"].value for s in scratch.query(
                f"SELECT DISTINCT ?r WHERE {{ ?r a <{_TCK_REPORT}> }}")]
            name = graph_name or _graph_name(reports, path)
        else:
            name = g.value
        out[name] = out.get(name, b"") + nt
    return out, _outside(scratch)


_ANY_BLANK = ("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } "
              "FILTER(isBlank(?s) || isBlank(?o)) }")


def _parse_skolemized(path: Path, encoding: str | None, allow_remote_context: bool,
                      graph_name: str | None) -> tuple[dict[str, bytes], list[str]]:
    ox = _ox()
    out: dict[str, bytes] = {}
    scratch = ox.Store()
    for name, triples in exact_quads(path, encoding=encoding, graph_name=graph_name,
                                     allow_remote_context=allow_remote_context).items():
        out[name] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        scratch.load(out[name], format=ox.RdfFormat.N_TRIPLES)
    return out, _outside(scratch)


def _outside(scratch: Any) -> list[str]:
    """tckg IRIs the file points to (not as a class) but does not describe itself."""
    rows = scratch.query(
        "SELECT DISTINCT ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } "
        "FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && "
        f'STRSTARTS(STR(?o), "{BASE}")) '
        "FILTER NOT EXISTS { { ?o ?q ?x } UNION { GRAPH ?h { ?o ?q ?x } } } }")
    return sorted(r["o"].value for r in rows)


_CANONICAL_TYPES = {f"http://www.w3.org/2001/XMLSchema#{n}" for n in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte", "decimal", "boolean")}


def _canonical(term: Any) -> Any:
    """A number or boolean in the canonical form tckg.store.load reads (tckg.store.canonical)."""
    ox = _ox()
    if not isinstance(term, ox.Literal) or term.datatype.value not in _CANONICAL_TYPES:
        return term
    from rdflib import Literal

    from tckg.store.canonical import canonical_lexical

    lexical = canonical_lexical(Literal(term.value, datatype=URIRef(term.datatype.value)))
    if lexical is None or lexical == term.value:
        return term
    return ox.Literal(lexical, datatype=term.datatype)


class StoreLookup:
    """The few rdflib ``Graph`` reads tckg.track's look-ups use (``objects``, ``value``,
    ``subjects``), answered from the store's set-union default graph by index."""

    def __init__(self, store: OxigraphStore) -> None:
        self._store = store

    def _pattern(self, s: Any, p: Any, o: Any) -> Any:
        ox = self._store._ox
        conv = self._store.to_oxigraph
        return self._store.store.quads_for_pattern(
            None if s is None else conv(s), None if p is None else conv(p),
            None if o is None else conv(o), ox.DefaultGraph())

    def objects(self, subject: Any = None, predicate: Any = None) -> Any:
        for q in self._pattern(subject, predicate, None):
            yield self._store._object(q.predicate, q.object)

    def subjects(self, predicate: Any = None, object: Any = None) -> Any:  # noqa: A002 - rdflib's name
        for q in self._pattern(None, predicate, object):
            yield self._store.to_rdflib(q.subject)

    def value(self, subject: Any = None, predicate: Any = None, obj: Any = None) -> Any:
        if obj is None:
            return next(iter(self.objects(subject, predicate)), None)
        return next(iter(self.subjects(predicate, obj)), None)


def _to_nquads(nt: bytes, graph: str) -> bytes:
    # In N-Triples a line ends with " .\n" and a newline inside a literal is escaped, so this
    # replacement touches the statement ends only.
    return nt.replace(b" .\n", f" <{graph}> .\n".encode())


# -- the store ---------------------------------------------------------------------------------

def _declared_integer_types() -> dict[str, str]:
    """Predicate -> the derived integer datatype the shapes require of its objects."""
    ox = _ox()
    from tckg.io.paths import shapes_files
    from tckg.store.backends import _FOLDED_INTEGERS

    scratch = ox.Store()
    for path in shapes_files():
        scratch.load(path=str(path), format=ox.RdfFormat.TURTLE)
    found: dict[str, set[str]] = {}
    for row in scratch.query("PREFIX sh: <http://www.w3.org/ns/shacl#> "
                             "SELECT ?p ?d WHERE { ?s sh:path ?p ; sh:datatype ?d FILTER(isIRI(?p)) }"):
        if URIRef(row["d"].value) in _FOLDED_INTEGERS:
            found.setdefault(row["p"].value, set()).add(row["d"].value)
    return {p: next(iter(d)) for p, d in found.items() if len(d) == 1}


class PersistentStore(OxigraphStore):
    """An :class:`OxigraphStore` on disk, with its folder, manifest and lock."""

    kind = "oxigraph"

    def __init__(self, folder: Path, lock: Any) -> None:
        self.folder = folder
        self._lock = lock
        (folder / "oxigraph").mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder / "oxigraph"))
        self.path = folder / "oxigraph"
        # The files are bulk-loaded, so the store never sees the integer types it folds; the
        # shapes declare them (oa:start and oa:end are xsd:nonNegativeInteger), and query
        # answers take them back from there, as the in-memory Oxigraph store does from the
        # graphs it is given. Graphs are read exactly from the files (below) in any case.
        for predicate, datatype in _declared_integer_types().items():
            self._integer_types.setdefault(predicate, datatype)
        self.manifest: dict[str, Any] = {}
        self.encoding: str | None = None
        # this command's own graphs: an rdflib graph, or a Spool on disk (add_triples)
        self._transient: dict[URIRef, Any] = {}

    # -- exact graphs --------------------------------------------------------------------
    # Oxigraph keeps numbers by value: "5"^^xsd:nonNegativeInteger comes back from its store as
    # "5"^^xsd:integer. SPARQL over the store is unaffected (the values are equal), but the
    # graphs handed to rdflib (pyshacl, the site's tckg.trig, the HTML) must carry the datatypes
    # as stated, so they are read from the file with pyoxigraph's parser, which keeps them, and
    # given the canonical number forms tckg.store.load reads (tckg.store.canonical); graphs
    # added at run time are kept as given.

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        """A graph for this command only (assessments, a report being added): it is queryable
        like the others but not kept; the next open drops it. The graph is kept as given (not
        copied): the caller hands it over and does not change it afterwards."""
        ox = self._ox
        conv = self.to_oxigraph
        nt = ox.serialize((ox.Triple(conv(s), conv(p), conv(o)) for s, p, o in graph),
                          format=ox.RdfFormat.N_TRIPLES)
        if b"_:" in nt:  # blank nodes keep their identity only through the store's own insert
            super().add_graph(name, graph)
        else:
            self._remember_integer_types(graph)
            data = nt + _to_nquads(nt, str(name))
            if len(graph) >= BULK_TRIPLES:
                # the full scorecard of a large corpus (over 600,000 triples at N = 1,000):
                # a transaction inserts a quad at a time, the bulk loader several times
                # faster. It is not atomic, so the store is marked dirty meanwhile: a command
                # killed half-way leaves a store the next one rebuilds.
                _write_manifest(self.folder, dict(self.manifest, dirty=True))
                self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                _write_manifest(self.folder, self.manifest)
            else:
                self.store.load(data, format=ox.RdfFormat.N_QUADS)
            if name not in self._names:
                self._names.append(name)
        if name in self._transient:  # a second graph under the same name: the union, as stored
            merged = self._held_graph(name)
            merged += graph
            graph = merged
            self._drop_held(name)
        self._transient[name] = graph

    def add_triples(self, name: URIRef, triples: Iterable[tuple[Any, Any, Any]]) -> None:
        """As :meth:`add_graph` for a large graph of this command that the caller streams (no
        blank nodes): loaded into the store :data:`BULK_TRIPLES` triples at a time and kept for
        ``tckg.trig`` on disk (:class:`~tckg.store.spool.Spool`), never whole in memory. The
        full scorecard of 1,000 reports (620,000 triples) as one rdflib graph and one N-Quads
        text was the peak of ``tckg build``."""
        from tckg.store.spool import Spool

        if name in self._transient:  # rare (a second graph of the same name): the union
            graph = Graph(identifier=name)
            for triple in triples:
                graph.add(triple)
            self.add_graph(name, graph)
            return
        ox, conv = self._ox, self.to_oxigraph
        spool = Spool(self.folder)
        parts = iter(triples)
        bulk = False
        try:
            while True:
                part = [t for _, t in zip(range(BULK_TRIPLES), parts, strict=False)]
                if not part:
                    break
                if any(isinstance(term, BNode) for triple in part for term in triple):
                    raise ValueError(f"add_triples takes no blank nodes (graph {name})")
                nt = ox.serialize((ox.Triple(conv(s), conv(p), conv(o)) for s, p, o in part),
                                  format=ox.RdfFormat.N_TRIPLES)
                self._remember_integer_types(part)
                large = len(part) >= BULK_TRIPLES  # a first part this large: more may follow
                del part
                spool.add(nt)
                data = nt + _to_nquads(nt, str(name))
                del nt
                if not bulk and large:
                    # as add_graph: the bulk loader, not atomic, with the store marked dirty
                    _write_manifest(self.folder, dict(self.manifest, dirty=True))
                    bulk = True
                if bulk:
                    self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                else:
                    self.store.load(data, format=ox.RdfFormat.N_QUADS)
                del data
        except BaseException:
            spool.close()
            raise
        if bulk:
            _write_manifest(self.folder, self.manifest)
        if name not in self._names:
            self._names.append(name)
        self._transient[name] = spool

    def _held_graph(self, name: URIRef) -> Graph:
        """This command's graph ``name`` as an rdflib graph (a copy)."""
        from tckg.store.spool import Spool

        held = self._transient[name]
        g = Graph(identifier=name)
        bind_prefixes(g.namespace_manager)
        if isinstance(held, Spool):
            g.parse(data=held.ntriples().decode("utf-8"), format="nt")
        else:
            g += held
        return g

    def _drop_held(self, name: URIRef) -> None:
        from tckg.store.spool import Spool

        held = self._transient.pop(name, None)
        if isinstance(held, Spool):
            held.close()

    def remove_graph(self, name: URIRef) -> None:
        super().remove_graph(name)
        self._drop_held(name)

    def source_of(self, name: URIRef) -> list[str]:
        return [key for key, entry in self.manifest.get("files", {}).items()
                if str(name) in entry["graphs"]]

    def graph(self, name: URIRef) -> Graph:
        if name in self._transient:
            return self._held_graph(name)
        sources = self.source_of(name)
        if not sources:
            return super().graph(name)
        from tckg.store.canonical import canonical_numbers

        nt = b"".join(self.exact_ntriples(name, sources))
        g = Graph(identifier=name)
        bind_prefixes(g.namespace_manager)
        g.parse(data=nt.decode("utf-8"), format="nt")
        return canonical_numbers(g)  # as tckg.store.load.parse_file reads them

    def exact_ntriples(self, name: URIRef, sources: list[str] | None = None) -> list[bytes]:
        ox = self._ox
        out = []
        for key in sources if sources is not None else self.source_of(name):
            paths = ontology_files() if key == ONTOLOGY_KEY else [Path(key)]
            for path in paths:
                # --encoding names the user's files; the ontology is tckg's own, UTF-8
                onto = key == ONTOLOGY_KEY
                graphs = exact_quads(path, encoding=None if onto else self.encoding,
                                     graph_name=str(ONTOLOGY_GRAPH) if onto else None)
                if str(name) in graphs:
                    out.append(ox.serialize(graphs[str(name)], format=ox.RdfFormat.N_TRIPLES))
        return out

    def lookup_graph(self) -> StoreLookup:
        """Point look-ups (labels, symbols) on the set union, without copying it into rdflib."""
        return StoreLookup(self)

    def write_trig(self, path: Path) -> None:
        """Every graph as TriG, streamed graph by graph (the terms as the files state them,
        numbers in canonical form; graphs in name order, triples sorted, byte for byte what the
        memory stores write), written atomically: one graph in memory at a time, never the
        corpus."""
        import os as _os

        from tckg.store.spool import Spool, spooled_trig

        ox = self._ox
        tmp = path.with_name(f".{path.name}.tmp-{_os.getpid()}")
        try:
            with open(tmp, "wb") as out:
                out.write(trig_prefixes().encode("utf-8"))
                for name in sorted(self._names, key=str):
                    if isinstance(self._transient.get(name), Spool):  # a part at a time
                        for text in spooled_trig(ox, str(name), self._transient[name]):
                            out.write(text.encode("utf-8"))
                        continue
                    if name in self._transient:
                        conv = self.to_oxigraph
                        quads = [ox.Quad(conv(s), conv(p), conv(o), ox.NamedNode(str(name)))
                                 for s, p, o in self._transient[name]]
                    else:
                        quads = []
                        for key in self.source_of(name):
                            paths = ontology_files() if key == ONTOLOGY_KEY else [Path(key)]
                            for src in paths:
                                onto = key == ONTOLOGY_KEY  # the ontology is UTF-8
                                graphs = exact_quads(src, encoding=None if onto else self.encoding,
                                                     graph_name=str(ONTOLOGY_GRAPH) if onto else None)
                                quads.extend(ox.Quad(t.subject, t.predicate, _canonical(t.object),
                                                     ox.NamedNode(str(name)))
                                             for t in graphs.get(str(name), []))
                    if quads:
                        out.write(trig_graph(quads).encode("utf-8"))
                out.flush()
                _os.fsync(out.fileno())
            _os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def content_digest(self) -> str | None:
        """A digest of everything the store holds: each file's SHA-256 and graph names from the
        manifest, and this command's own graphs (assessments, a report being added) by their
        sorted N-Triples. Results computed from the store can be cached under it (tckg track
        does); ``None`` when the store is not known to match its manifest."""
        if not self.manifest or self.manifest.get("dirty") or self.store is None:
            return None
        h = hashlib.sha256(f"tckg {self.manifest.get('tckg')}\n".encode())
        for key, entry in sorted(self.manifest.get("files", {}).items()):
            h.update(json.dumps([key, entry.get("sha256"), sorted(entry.get("graphs", []))],
                                ensure_ascii=False).encode("utf-8") + b"\n")
        from tckg.store.spool import Spool

        for name in sorted(self._transient, key=str):
            held = self._transient[name]
            h.update(f"graph {name}\n".encode())
            if isinstance(held, Spool):  # sorted N-Triples as Oxigraph writes them, line by line
                for line in held.lines():
                    h.update(line + b"\n")
                continue
            lines = sorted(held.serialize(format="nt").splitlines())
            h.update("\n".join(lines).encode("utf-8") + b"\n")
        return h.hexdigest()

    def ntriples(self, name: URIRef) -> bytes:
        """One named graph as N-Triples bytes (serialised by Oxigraph, not via rdflib)."""
        ox = self._ox
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))

    def graphs_with_type(self, cls: str) -> list[URIRef]:
        ox = self._ox
        seen: dict[str, None] = {}
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        for q in self.store.quads_for_pattern(None, rdf_type, ox.NamedNode(cls), None):
            if isinstance(q.graph_name, ox.NamedNode):
                seen[q.graph_name.value] = None
        return [URIRef(g) for g in seen]

    def close(self) -> None:
        """Drop this command's own graphs, flush, and let go of the store and its lock (the
        object is unusable after)."""
        if self.store is None:
            return
        try:
            for name in list(self._transient):
                OxigraphStore.remove_graph(self, name)
                self._drop_held(name)
            self.store.flush()
        except Exception:  # noqa: BLE001 - closing must not fail a finished command
            pass
        self.store = None  # type: ignore[assignment]
        import gc

        gc.collect()  # drop the RocksDB handle (also held by tracebacks) before the lock goes
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- loading -------------------------------------------------------------------------

    def load_prepared(self, prepared: list[PreparedFile]) -> None:
        """Add parsed files' graphs (named, and once more in the set-union default graph)."""
        ox = self._ox
        if not prepared:
            return
        if len(prepared) >= BULK_FROM:
            chunks: list[bytes] = []
            for p in prepared:
                for name, nt in p.graphs.items():
                    chunks.append(_to_nquads(nt, name))
                    chunks.append(nt)
            self.store.bulk_load(b"".join(chunks), format=ox.RdfFormat.N_QUADS)
        else:
            for p in prepared:
                for name, nt in p.graphs.items():
                    self.store.load(nt + _to_nquads(nt, name), format=ox.RdfFormat.N_QUADS)
        for p in prepared:
            for name in p.graphs:
                if URIRef(name) not in self._names:
                    self._names.append(URIRef(name))

    def rebuild_default_graph(self) -> None:
        ox = self._ox
        self.store.clear_graph(ox.DefaultGraph())
        chunks = [self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                  for g in self.store.named_graphs()]
        if chunks:
            self.store.bulk_load(b"".join(chunks), format=ox.RdfFormat.N_TRIPLES)


def _load_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # a manifest edited or damaged into other JSON (a list, files that are not a mapping) is
    # as untrustworthy as an unreadable one: the store is rebuilt from the data files
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict) or \
            not all(_sound_entry(e) for e in manifest.get("files", {}).values()):
        return {}
    if manifest.get("format") != MANIFEST_VERSION or manifest.get("tckg") != tckg_version():
        return {}
    return manifest


def _sound_entry(entry: Any) -> bool:
    """A manifest entry of the shape the store reads (size, mtime_ns, sha256, graphs)."""
    return (isinstance(entry, dict) and isinstance(entry.get("size"), int)
            and isinstance(entry.get("mtime_ns"), int) and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("graphs"), list)
            and all(isinstance(g, str) for g in entry["graphs"])
            and isinstance(entry.get("triples", 0), int)
            and isinstance(entry.get("outside", []), list))


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    from tckg.io.write import atomic_write_text

    atomic_write_text(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=0))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _lock(folder: Path) -> Any:
    from filelock import FileLock, Timeout

    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / "lock"), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire(timeout=0.05)
    except Timeout:
        import sys

        print(f"waiting for another tckg command to finish with the store {folder} …",
              file=sys.stderr)
        try:
            lock.acquire()
        except Timeout:
            raise LoadError(folder, f"another tckg command has held the store for over "
                            f"{LOCK_TIMEOUT:g} s; try again when it has finished.") from None
    return lock


@dataclass
class SyncStats:
    unchanged: int = 0
    loaded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def open_persistent(files: Iterable[Path | str] | None = None, *, with_ontology: bool = True,
                    encoding: str | None = None, allow_remote_context: bool = False,
                    store_dir: Path | str | None = None) -> Any:
    """Open (creating or updating as needed) the persistent store for these data files and
    return a :class:`~tckg.store.load.TckDataset` over it.

    The store then holds exactly the ontology and these files: graphs of files no longer
    given are dropped. ``dataset.sync`` says what was reloaded.
    """
    from tckg.store.load import TckDataset

    started = time.perf_counter()
    paths = [Path(f) for f in files] if files is not None else default_data_files()
    folder = store_dir_for(paths if files is not None else None, store_dir).resolve()
    lock = _lock(folder)
    store = None  # before the try: the handler below reads it whatever step failed
    try:
        manifest = _load_manifest(folder)
        if (not manifest or manifest.get("dirty")) and (folder / "oxigraph").exists():
            # another format or tckg version, or a command killed while changing the store:
            # start afresh rather than trust half-written graphs
            shutil.rmtree(folder / "oxigraph")
            manifest = {}
        store = PersistentStore(folder, lock)
        store.encoding = encoding
        stats = _sync(store, manifest, paths, with_ontology, encoding, allow_remote_context)
    except BaseException:
        if store is not None:
            store._transient.clear()
            store.close()  # drops the RocksDB handle, then the lock
        else:
            lock.release()
        raise
    stats.seconds = time.perf_counter() - started
    ds = TckDataset(store)
    entries = store.manifest["files"]
    for key, entry in entries.items():
        if key != ONTOLOGY_KEY:
            for name in entry["graphs"]:
                ds.sources[URIRef(name)] = Path(key)
    ds.sync = stats  # type: ignore[attr-defined]
    return ds


def _file_state(path: Path, key: str, old: dict[str, Any] | None) -> tuple[bool, int, int, str]:
    """(changed?, size, mtime_ns, sha256) — hashing only when size or mtime moved."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LoadError(path, "no such file; check the path.") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).") from None
    refuse_irregular(path, st.st_mode)  # a FIFO would block the hash below, a device never end
    if old and old["size"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
        return False, st.st_size, st.st_mtime_ns, old["sha256"]
    digest = _sha256(path)
    return (not old or old["sha256"] != digest), st.st_size, st.st_mtime_ns, digest


def _ontology_subjects(store: PersistentStore) -> set[str]:
    ox = store._ox
    return {q.subject.value for q in store.store.quads_for_pattern(
        None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))) if isinstance(q.subject, ox.NamedNode)}


def _sync(store: PersistentStore, manifest: dict[str, Any], paths: list[Path], with_ontology: bool,
          encoding: str | None, allow_remote_context: bool) -> SyncStats:
    stats = SyncStats()
    old: dict[str, Any] = dict(manifest.get("files", {}))
    new: dict[str, Any] = {}
    todo: list[tuple[str, Path | list[Path], int, int, str]] = []

    if with_ontology:
        onto = ontology_files()
        h = hashlib.sha256()
        for p in onto:
            h.update(p.name.encode() + b"\0" + _sha256(p).encode())
        digest = h.hexdigest()
        entry = old.get(ONTOLOGY_KEY)
        if entry and entry["sha256"] == digest:
            new[ONTOLOGY_KEY] = entry
        else:
            todo.append((ONTOLOGY_KEY, onto, 0, 0, digest))
    seen: set[str] = set()
    for path in paths:
        key = str(path.resolve())
        if key in seen:
            continue
        seen.add(key)
        changed, size, mtime_ns, digest = _file_state(path, key, old.get(key))
        if changed:
            todo.append((key, path, size, mtime_ns, digest))
        else:
            entry = dict(old[key], size=size, mtime_ns=mtime_ns)
            new[key] = entry
            stats.unchanged += 1
    gone = [k for k in old if k not in new and k not in {t[0] for t in todo}]

    owner: dict[str, str] = {name: key for key, entry in new.items() for name in entry["graphs"]}
    store.manifest = {"format": MANIFEST_VERSION, "tckg": tckg_version(), "files": new}
    known = {name for entry in old.values() for name in entry["graphs"]}
    for name in store.graph_names():
        if str(name) not in known:  # a graph a killed command added for itself
            store.remove_graph(name)
    if not todo and not gone:
        return stats

    def prepare(item: tuple[str, Any, int, int, str]) -> PreparedFile:
        from tckg.child import time_limit

        seconds = float(SETTINGS["load_timeout"].value)
        where = Path(item[0]) if item[0] != ONTOLOGY_KEY else Path("ontology")

        def too_slow() -> LoadError:
            return LoadError(where, f"parsing took longer than {seconds:g} s and was stopped "
                             "(setting load_timeout, per file with the persistent store): the file "
                             "may be hostile (blank-node or nesting bombs) or very large. Raise the "
                             "limit with --load-timeout if you trust it. 载入超时，已停止。")

        with time_limit(seconds, too_slow):
            return _prepare(item)

    def _prepare(item: tuple[str, Any, int, int, str]) -> PreparedFile:
        key, src, size, mtime_ns, digest = item
        if key == ONTOLOGY_KEY:
            nts = b"".join(nt for p in src
                           for nt in parse_with_oxigraph(p, graph_name=str(ONTOLOGY_GRAPH))[0].values())
            return PreparedFile(key, Path("ontology"), 0, 0, digest, {str(ONTOLOGY_GRAPH): nts},
                                nts.count(b"\n"))
        path = Path(src)
        graphs, outside = parse_with_oxigraph(path, encoding=encoding,
                                              allow_remote_context=allow_remote_context)
        return PreparedFile(key, path, size, mtime_ns, digest, graphs,
                            sum(nt.count(b"\n") for nt in graphs.values()), outside)

    def claim(p: PreparedFile) -> None:
        for name in p.graphs:
            if name in owner and owner[name] != p.key:
                raise LoadError(p.path, f"describes the same report graph <{name}> as "
                                f"{owner[name]}; one report per file.")
            owner[name] = p.key

    def load(batch: list[PreparedFile]) -> None:
        names = set(store.graph_names())
        for p in batch:
            for name in p.graphs:  # a half-loaded graph left by a killed command
                if URIRef(name) in names:
                    store.remove_graph(URIRef(name))
        store.load_prepared(batch)
        for p in batch:
            new[p.key] = {"size": p.size, "mtime_ns": p.mtime_ns, "sha256": p.sha256,
                          "graphs": sorted(p.graphs), "triples": p.triples, "outside": p.outside}
            stats.loaded.append(p.key)

    # A few changed files (the usual case) are all parsed before the store is touched, so a bad
    # file changes nothing. Many (a first load) are parsed and loaded a batch at a time, to keep
    # memory flat; a bad file then stops the load with the manifest still marked dirty, and the
    # next command rebuilds the store.
    bulk = len(todo) >= BULK_FROM
    prepared = [] if bulk else [prepare(t) for t in todo]
    for p in prepared:
        claim(p)
    _write_manifest(store.folder, dict(store.manifest, dirty=True, files={**old, **new}))
    changed = {t[0] for t in todo}
    for key in gone + sorted(changed):
        for name in (old.get(key) or {}).get("graphs", []):
            store.remove_graph(URIRef(name))
        if key in old and key not in changed:
            stats.removed.append(key)
    if bulk:
        for i in range(0, len(todo), BATCH):
            batch = [prepare(t) for t in todo[i:i + BATCH]]
            for p in batch:
                claim(p)
            load(batch)
            del batch
    else:
        load(prepared)
    if any(new[k].get("outside") for k in changed):
        described = _ontology_subjects(store)
        for k in changed:
            new[k]["outside"] = [iri for iri in new[k].get("outside", []) if iri not in described]
    store.manifest = {"format": MANIFEST_VERSION, "tckg": tckg_version(), "files": new}
    store.store.flush()
    _write_manifest(store.folder, store.manifest)
    return stats
