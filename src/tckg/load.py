"""Safe loading of RDF files into a dataset of named graphs, behind one small store interface.

Everything that reads RDF from disk goes through :func:`parse_file`, which

- accepts formats from an allow-list only (by file extension),
- decodes text as UTF-8 (with or without BOM) or an encoding the user names, and refuses
  other bytes with a message naming the likely encoding,
- refuses RDF/XML with a DOCTYPE (entity expansion, external entities) before any parser sees it,
- refuses JSON-LD that names a remote ``@context`` unless allowed,
- never follows ``owl:imports``,
- replaces blank nodes with deterministic skolem IRIs, so loading a file twice gives one graph.

:class:`Store` is the seam where an Oxigraph store or a remote SPARQL endpoint can stand in
for rdflib's memory store: the rest of tckg only adds named graphs, asks for their union and
runs SPARQL through it.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from tckg.errors import TckgError
from tckg.namespaces import BASE, GRAPH, ONTOLOGY_GRAPH, TCK, bind_prefixes
from tckg.settings import SETTINGS

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


class LoadError(TckgError):
    """An input that cannot be read; ``str()`` is a one-paragraph message for the user."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.path, self.line, self.column = str(path), line, column
        where = self.path
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


# -- where things are -------------------------------------------------------------------------

def project_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``.

    ``TCKG_HOME`` wins; otherwise the checkout this package is installed from (editable
    install), then the current directory.
    """
    env = os.environ.get("TCKG_HOME")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[2], Path.cwd()]
    for root in candidates:
        if (root / "ontology").is_dir() and (root / "shapes").is_dir():
            return root
    raise LoadError(candidates[0], "cannot find the tckg ontology/ and shapes/ folders; run "
                    "tckg from a checkout (pip install -e .) or set TCKG_HOME to one.")


def ontology_files() -> list[Path]:
    return sorted((project_root() / "ontology").glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted((project_root() / "shapes").glob("*.ttl"))


def data_dir() -> Path:
    return project_root() / "data"


def default_data_files(folder: Path | None = None) -> list[Path]:
    """The bundled report and every report added beside it with ``tckg add``."""
    root = data_dir() if folder is None else Path(folder)
    files = [root / "report.ttl"] if (root / "report.ttl").exists() else []
    return files + sorted((root / "reports").glob("*.ttl"))


# -- atomic writes ----------------------------------------------------------------------------

def atomic_write_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader, or a crash, sees the old file or the new one.

    On Linux the bytes go to an anonymous ``O_TMPFILE`` inode in the target folder, are
    fsynced, and only then get a name: a process killed while writing leaves nothing behind,
    since the kernel frees an inode without a name. Elsewhere a named temporary file beside
    ``path`` is renamed over it (and removed on any error we get to see). With
    ``exclusive=True`` an existing ``path`` is never replaced: :class:`FileExistsError`.
    New files get the usual ``0o666 & ~umask`` mode; a replaced file keeps its mode.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and path.exists():
        raise FileExistsError(path)
    mode = _file_mode(path)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a writer killed mid-rename
        stale.unlink(missing_ok=True)
    fd = _anonymous_file(path.parent, mode)
    if fd is not None:
        try:
            _write_all(fd, data)
            if exclusive:
                if _link_fd(fd, path):
                    _fsync_dir(path.parent)
                    return
            else:
                tmp = path.parent / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
                if _link_fd(fd, tmp):
                    try:
                        os.replace(tmp, path)
                    except BaseException:
                        tmp.unlink(missing_ok=True)
                        raise
                    _fsync_dir(path.parent)
                    return
        finally:
            os.close(fd)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        os.close(fd)
        fd = -1
        if exclusive:
            os.link(tmp_name, path)  # fails rather than replaces if path appeared meanwhile
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _anonymous_file(folder: Path, mode: int) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY, mode)
    except OSError:  # the filesystem does not support O_TMPFILE
        return None
    os.fchmod(fd, mode)
    return fd


def _link_fd(fd: int, dest: Path) -> bool:
    """Give the anonymous file ``fd`` the name ``dest`` (FileExistsError if taken);
    False where this system cannot, so the caller falls back to a named temporary file."""
    try:
        os.link(f"/proc/self/fd/{fd}", dest)  # linkat(AT_SYMLINK_FOLLOW), the documented way
        return True
    except FileExistsError:
        raise
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    # The new name is durable only once the folder's entry is on disk.
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# -- decoding and parsing ---------------------------------------------------------------------

def read_text(path: Path, encoding: str | None = None, max_bytes: int | None = None) -> str:
    """Decode a text file: UTF-8 (BOM optional) unless ``encoding`` is named."""
    path = Path(path)
    limit = SETTINGS["max_input_bytes"].value if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoadError(path, f"the file is {size:,} bytes, over the limit of {limit:,} "
                            "(setting max_input_bytes); raise it with --max-input-bytes if "
                            "you trust the file.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(path, "no such file; check the path.") from None
    except IsADirectoryError:
        raise LoadError(path, "is a folder, not a file.") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).") from None
    if encoding:
        try:
            return raw.decode(encoding).lstrip("\ufeff")
        except LookupError:
            raise LoadError(path, f"unknown encoding {encoding!r}.") from None
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"is not valid {encoding} at byte {exc.start}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "the file is not UTF-8"
        try:
            raw.decode("gb18030")
            hint = "the file looks like GBK/GB18030 (Chinese Windows) rather than UTF-8"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(path, f"{hint}. Convert it to UTF-8, or pass --encoding gb18030 if that "
                        "is its encoding.", line=line) from None


_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml(path: Path, text: str) -> None:
    match = _DOCTYPE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise LoadError(path, "RDF/XML with a DOCTYPE or ENTITY declaration is refused: entity "
                        "expansion can exhaust memory and external entities read other files. "
                        "Remove the declaration or convert the file to Turtle.", line=line)


def _remote_contexts(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "@context":
                for ctx in value if isinstance(value, list) else [value]:
                    if isinstance(ctx, str):
                        yield ctx
                    elif isinstance(ctx, Mapping) and isinstance(ctx.get("@import"), str):
                        yield ctx["@import"]
            yield from _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)


def _check_jsonld(path: Path, text: str, allow_remote_context: bool) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"not valid JSON: {exc.msg}.", exc.lineno, exc.colno) from None
    remote = list(_remote_contexts(doc))
    if remote and not allow_remote_context:
        raise LoadError(path, f"the JSON-LD names a remote @context ({remote[0]}), which would be "
                        "fetched over the network; inline the context, or pass "
                        "--allow-remote-context if you trust that host.")


def _readable(message: str) -> str:
    """rdflib quotes the offending input as Python bytes (b'\\xe7…'); show it as text."""

    def decode(match: re.Match[str]) -> str:
        try:
            return repr(ast.literal_eval(match.group(0)).decode("utf-8", "replace"))
        except (ValueError, SyntaxError):
            return match.group(0)

    return re.sub(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"", decode, message)


def _syntax_error(path: Path, exc: Exception, text: str) -> LoadError:
    msg = _readable(str(exc))
    line: int | None = None
    column = None
    match = re.search(r"at line (\d+)", msg) or re.search(r"line (\d+)", msg)
    if match:
        line = int(match.group(1))
    elif isinstance(getattr(exc, "lines", None), int):
        line = exc.lines + 1  # BadSyntax counts lines from 0
    invalid = re.search(r"Invalid line: (.+)", msg)
    if line is None and invalid:  # the N-Triples parser quotes the line but not its number
        quoted = invalid.group(1).strip().strip("'\"")
        for number, candidate in enumerate(text.splitlines(), 1):
            if candidate.strip() and candidate.strip() in quoted or quoted in candidate:
                line = number
                break
    match = re.search(r"col(?:umn)? (\d+)", msg)
    if match:
        column = int(match.group(1))
    detail = re.sub(r"\s+", " ", msg).strip()
    if len(detail) > 300:
        detail = detail[:300] + "…"
    return LoadError(path, f"is not valid RDF: {detail}. Check the syntax there (a missing '.' "
                     "or ';', an unclosed quote or '<', or an undeclared prefix are the usual "
                     "causes).", line=line, column=column)


def skolemize(graph: Graph, salt: str) -> Graph:
    """Replace blank nodes by IRIs that depend only on the graph's content."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    from rdflib.compare import to_canonical_graph

    canonical = to_canonical_graph(graph)
    out = Graph()
    out.namespace_manager = graph.namespace_manager

    def fix(term: Any) -> Any:
        if isinstance(term, BNode):
            return URIRef(f"{BASE}.well-known/genid/{salt}/{term}")
        return term

    for s, p, o in canonical:
        out.add((fix(s), p, fix(o)))
    return out


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
        _check_xml(path, text)
    if fmt == "json-ld":
        _check_jsonld(path, text, allow_remote_context)
    max_triples = SETTINGS["max_triples"].value
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            graphs = {}
            for ctx in ds.graphs():
                if len(ctx):
                    name = ctx.identifier if isinstance(ctx.identifier, URIRef) and \
                        ctx.identifier != DATASET_DEFAULT_GRAPH_ID else None
                    graphs[name or _graph_name_for(ctx, path)] = _copy(ctx)
        else:
            g = Graph()
            g.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            graphs = {graph_name or _graph_name_for(g, path): g}
    except LoadError:
        raise
    except Exception as exc:  # rdflib raises many types for bad syntax; all become one message
        raise _syntax_error(path, exc, text) from None
    total = sum(len(g) for g in graphs.values())
    if total > max_triples:
        raise LoadError(path, f"holds {total:,} triples, over the limit of {max_triples:,} "
                        "(setting max_triples).")
    salt = re.sub(r"[^A-Za-z0-9_-]", "_", path.stem)
    graphs = {name: skolemize(g, salt) for name, g in graphs.items()}
    return ParsedFile(path, graphs)


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for triple in graph:
        g.add(triple)
    return g


def _graph_name_for(graph: Graph, path: Path) -> URIRef:
    """A report's named graph is derived from its tck:Report resource; else from the file."""
    reports = sorted(set(graph.subjects(RDF.type, TCK.Report)))
    if len(reports) == 1 and str(reports[0]).startswith(f"{BASE}report/"):
        return GRAPH[str(reports[0])[len(f"{BASE}report/"):]]
    return GRAPH["file/" + re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem)]


# -- the store --------------------------------------------------------------------------------

class Store(Protocol):
    """What tckg needs from a quad store. rdflib's memory store is the default; an Oxigraph
    store or a remote SPARQL endpoint can implement the same four methods."""

    def add_graph(self, name: URIRef, graph: Graph) -> None: ...

    def graph_names(self) -> list[URIRef]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def union(self, names: Iterable[URIRef] | None = None) -> Graph: ...


class RdflibStore:
    """An in-memory rdflib :class:`~rdflib.Dataset` whose default graph is the union."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)
        bind_prefixes(self.dataset.namespace_manager)
        self._names: list[URIRef] = []

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        target = self.dataset.graph(name)
        for triple in graph:
            target.add(triple)
        if name not in self._names:
            self._names.append(name)

    def graph_names(self) -> list[URIRef]:
        return list(self._names)

    def graph(self, name: URIRef) -> Graph:
        return self.dataset.graph(name)

    def union(self, names: Iterable[URIRef] | None = None) -> Graph:
        g = Graph()
        bind_prefixes(g.namespace_manager)
        for name in self._names if names is None else names:
            for triple in self.dataset.graph(name):
                g.add(triple)
        return g


class OxigraphStore:
    """The same four methods over a pyoxigraph store (Rust, in memory), for data too large
    for rdflib's SPARQL engine; ``tckg.query`` evaluates on it directly (see ``query``)."""

    def __init__(self) -> None:
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store()
        self._names: list[URIRef] = []

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        data = graph.serialize(format="nt", encoding="utf-8")
        self.store.load(data, format=self._ox.RdfFormat.N_TRIPLES,
                        to_graph=self._ox.NamedNode(str(name)))
        # Oxigraph's "default graph as union" is a bag: a triple stated in two reports (a
        # place's label) would answer twice. rdflib's union is a set, so keep a set here too:
        # every triple once more in the default graph, which queries read.
        self.store.load(data, format=self._ox.RdfFormat.N_TRIPLES,
                        to_graph=self._ox.DefaultGraph())
        if name not in self._names:
            self._names.append(name)

    def graph_names(self) -> list[URIRef]:
        return list(self._names)

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        data = self.store.dump(format=self._ox.RdfFormat.N_TRIPLES,
                               from_graph=self._ox.NamedNode(str(name)))
        g.parse(data=data.decode("utf-8"), format="nt")
        return g

    def union(self, names: Iterable[URIRef] | None = None) -> Graph:
        g = Graph()
        bind_prefixes(g.namespace_manager)
        for name in self._names if names is None else names:
            g += self.graph(name)
        return g

    def query(self, text: str, substitutions: Mapping[str, Any],
              prefixes: Mapping[str, str] | None = None) -> Any:
        """SPARQL over the (set) union of the named graphs, variables bound to terms."""
        subs = {self._ox.Variable(k): self.to_oxigraph(v) for k, v in substitutions.items()}
        return self.store.query(text, substitutions=subs, prefixes=dict(prefixes or {}))

    def to_oxigraph(self, term: Any) -> Any:
        from rdflib import Literal as RLiteral

        ox = self._ox
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, RLiteral):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        raise TypeError(f"not an RDF term: {term!r}")

    @staticmethod
    def to_rdflib(term: Any) -> Any:
        import pyoxigraph as ox
        from rdflib import Literal as RLiteral

        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return RLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(datatype))


@dataclass
class TckDataset:
    """The ontology plus one named graph per report (and any assessment graphs)."""

    store: RdflibStore | OxigraphStore
    sources: dict[URIRef, Path] = field(default_factory=dict)

    @property
    def rdflib(self) -> Dataset:
        if not isinstance(self.store, RdflibStore):
            raise TckgError("this dataset is held in Oxigraph, not rdflib; load it with "
                            "load_dataset(store='rdflib') for this operation.")
        return self.store.dataset

    def report_graphs(self) -> list[URIRef]:
        return [n for n in self.store.graph_names() if n != ONTOLOGY_GRAPH
                and (None, RDF.type, TCK.Report) in self.store.graph(n)]

    def data_graph(self) -> Graph:
        """The union of every graph except the ontology."""
        return self.store.union(n for n in self.store.graph_names() if n != ONTOLOGY_GRAPH)

    def ontology_graph(self) -> Graph:
        return self.store.graph(ONTOLOGY_GRAPH)

    def union(self) -> Graph:
        return self.store.union()


def load_ontology(store: RdflibStore | OxigraphStore) -> None:
    for path in ontology_files():
        for _, graph in parse_file(path).graphs.items():
            store.add_graph(ONTOLOGY_GRAPH, graph)


def load_dataset(files: Iterable[Path | str] | None = None, *, with_ontology: bool = True,
                 encoding: str | None = None, allow_remote_context: bool = False,
                 store: str = "rdflib") -> TckDataset:
    """Load the ontology and the given data files (default: the bundled reports).

    A file whose graph names a report goes into that report's named graph; two files that
    claim the same report are refused rather than silently merged. ``store="oxigraph"`` holds
    the data in pyoxigraph instead of rdflib's memory store (faster SPARQL on large data).
    """
    if store not in ("rdflib", "oxigraph"):
        raise TckgError(f"unknown store {store!r}; use rdflib or oxigraph.")
    backend: RdflibStore | OxigraphStore = RdflibStore() if store == "rdflib" else OxigraphStore()
    ds = TckDataset(backend)
    if with_ontology:
        load_ontology(backend)
    paths = [Path(f) for f in files] if files is not None else default_data_files()
    for path in paths:
        parsed = parse_file(path, encoding=encoding, allow_remote_context=allow_remote_context)
        for name, graph in parsed.graphs.items():
            if name in ds.sources and ds.sources[name] != path:
                raise LoadError(path, f"describes the same report graph <{name}> as "
                                f"{ds.sources[name]}; one report per file.")
            ds.sources[name] = path
            backend.add_graph(name, graph)
    return ds
