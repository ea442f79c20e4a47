"""The store seam and its two backends: rdflib's memory store and Oxigraph.

Every command reads and writes the data through :class:`Store`: named graphs in, SPARQL out
(:meth:`Store.query` answers a query that :mod:`tckg.sparql.safety` already vetted, with its
parameters bound as terms), and :meth:`Store.update` for tckg's own writes. Callers never
ask which backend they hold; :mod:`tckg.sparql.run` adds the time limit around ``query``.

Terms cross the seam unchanged: a literal typed ``xsd:nonNegativeInteger`` comes back typed
``xsd:nonNegativeInteger`` from either backend's graphs. Oxigraph receives rdflib's terms one by
one, and, since its storage folds every integer type into ``xsd:integer``, remembers per
predicate which derived type was stated and restores it when a graph is read back. SPARQL
results from Oxigraph carry the values (``787`` typed ``xsd:integer``), as the SPARQL
specification allows; Oxigraph also writes numbers in their canonical lexical form (``7.50``
becomes ``7.5``, the same value), which tckg's own data never depends on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.term import Node

from tckg.errors import TckgError
from tckg.namespaces import PREFIXES, bind_prefixes

STORE_KINDS = ("rdflib", "oxigraph", "persistent")

# Oxigraph keeps integers in one binary form and gives them back typed xsd:integer, whatever
# XML Schema type derived from xsd:integer they had (oa:start is xsd:nonNegativeInteger).
_FOLDED_INTEGERS = frozenset(XSD[n] for n in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
# Where the store remembers, per predicate, the derived type its integers were given.
STORE_META_GRAPH = URIRef("urn:tckg:store-meta")
_DATATYPE_OF = URIRef("urn:tckg:store-meta#integerDatatype")


class StoreError(TckgError):
    """A backend could not answer; the message is for the user."""


@dataclass
class Solutions:
    """What a store answers: rows of terms for SELECT, a boolean for ASK, triples for
    CONSTRUCT/DESCRIBE; ``truncated`` when ``max_rows`` cut the answer short."""

    kind: str
    columns: list[str] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] | None = None
    truncated: bool = False


@runtime_checkable
class Store(Protocol):
    """What tckg needs from a quad store."""

    kind: str

    def add_graph(self, name: URIRef, graph: Graph) -> None: ...

    def remove_graph(self, name: URIRef) -> None: ...

    def graph_names(self) -> list[URIRef]: ...

    def graph(self, name: URIRef) -> Graph: ...

    def union(self, names: Iterable[URIRef] | None = None) -> Graph: ...

    def query(self, text: str, algebra: Any, bindings: Mapping[str, Node], *,
              max_rows: int) -> Solutions: ...

    def update(self, text: str) -> None: ...

    def to_trig(self) -> str: ...


def _limited(rows: Iterable[Any], max_rows: int) -> tuple[list[Any], bool]:
    out: list[Any] = []
    for row in rows:
        if len(out) >= max_rows:
            return out, True
        out.append(row)
    return out, False


def _to_oxigraph(ox: Any, term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype and term.datatype != XSD.string:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def exact_trig(graphs: Iterable[tuple[URIRef, Graph]]) -> str:
    """The named graphs as TriG, every literal in the lexical form the store holds.

    Written by Oxigraph's serializer, as the persistent store writes its TriG: rdflib's writes
    a decimal in its shorthand (``"35"^^xsd:decimal`` becomes ``35.0``, another lexical form),
    so the site's data would differ from the store, and between stores. Graphs in name order
    and triples sorted (:func:`trig_prefixes`, :func:`trig_graph`), so the same data gives the
    same file from every store.
    """
    import pyoxigraph as ox

    parts = [trig_prefixes()]
    for name, graph in sorted(graphs, key=lambda pair: str(pair[0])):
        to = ox.NamedNode(str(name))
        parts.append(trig_graph([ox.Quad(_to_oxigraph(ox, s), _to_oxigraph(ox, p), _to_oxigraph(ox, o), to)
                                 for s, p, o in graph]))
    return "".join(parts)


def trig_prefixes() -> str:
    """The ``@prefix`` lines of tckg's TriG, sorted (Oxigraph writes them in hash order, which
    changes from run to run)."""
    return "".join(sorted(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items()))


def trig_graph(quads: list[Any]) -> str:
    """One graph's quads as a TriG block in tckg's prefixes, the triples sorted by their
    N-Triples form: the same block whether a memory store or the on-disk one writes it."""
    import pyoxigraph as ox

    quads = sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    text = ox.serialize(quads, format=ox.RdfFormat.TRIG,
                        prefixes={prefix: str(iri) for prefix, iri in PREFIXES.items()}).decode("utf-8")
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@prefix "))


class RdflibStore:
    """An in-memory rdflib :class:`~rdflib.Dataset` whose default graph is the union."""

    kind = "rdflib"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)
        bind_prefixes(self.dataset.namespace_manager)
        self._names: list[URIRef] = []

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        target = self.dataset.graph(name)
        target += graph
        if name not in self._names:
            self._names.append(name)

    def remove_graph(self, name: URIRef) -> None:
        self.dataset.remove_graph(self.dataset.graph(name))
        if name in self._names:
            self._names.remove(name)

    def graph_names(self) -> list[URIRef]:
        return list(self._names)

    def graph(self, name: URIRef) -> Graph:
        g = Graph(identifier=name)
        bind_prefixes(g.namespace_manager)
        g += self.dataset.graph(name)
        return g

    def union(self, names: Iterable[URIRef] | None = None) -> Graph:
        g = Graph()
        bind_prefixes(g.namespace_manager)
        for name in self._names if names is None else names:
            g += self.dataset.graph(name)
        return g

    def query(self, text: str, algebra: Any, bindings: Mapping[str, Node], *,
              max_rows: int) -> Solutions:
        from rdflib.plugins.sparql.evaluate import evalQuery

        res = evalQuery(self.dataset, algebra, dict(bindings))
        kind = res["type_"]
        if kind == "SELECT":
            columns = [str(v) for v in res["vars_"]]
            variables = [Variable(c) for c in columns]
            rows, cut = _limited((tuple(s.get(v) for v in variables) for s in res["bindings"]),
                                 max_rows)
            return Solutions(kind, columns, rows, truncated=cut)
        if kind == "ASK":
            return Solutions(kind, boolean=bool(res["askAnswer"]))
        triples, cut = _limited(res["graph"], max_rows)
        return Solutions(kind, triples=triples, truncated=cut)

    def update(self, text: str) -> None:
        self.dataset.update(text, initNs=PREFIXES)
        self._names = [n for n in self._names if len(self.dataset.graph(n))] + [
            g.identifier for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier not in self._names and len(g)
            and g.identifier != self.dataset.default_graph.identifier]

    def to_trig(self) -> str:
        return exact_trig((name, self.dataset.graph(name)) for name in self._names)


class OxigraphStore:
    """The same seam over a pyoxigraph store (Rust): faster SPARQL on large data.

    Oxigraph's "default graph as union" is a bag: a triple stated in two reports (a place's
    label) would answer twice, where rdflib's union is a set. Queries therefore run with the
    default graph set to the union of the named graphs as a set: every triple is also kept
    once in the default graph (counted per named graph, so removing a report removes only
    the triples no other graph states).
    """

    kind = "oxigraph"

    def __init__(self, path: str | None = None) -> None:
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store(path) if path else pyoxigraph.Store()
        self._meta = pyoxigraph.NamedNode(str(STORE_META_GRAPH))
        self._names: list[URIRef] = [URIRef(g.value) for g in self.store.named_graphs()
                                     if g != self._meta]
        # predicate -> the derived integer type its objects had (None: several, keep integer)
        self._integer_types: dict[str, str | None] = {
            q.subject.value: q.object.value
            for q in self.store.quads_for_pattern(None, None, None, self._meta)}

    def _remember_integer_types(self, graph: Graph) -> None:
        ox = self._ox
        for _, p, o in graph:
            if isinstance(o, Literal) and o.datatype in _FOLDED_INTEGERS:
                key, dt = str(p), str(o.datatype)
                if key not in self._integer_types:
                    self._integer_types[key] = dt
                    self.store.add(ox.Quad(ox.NamedNode(key), ox.NamedNode(str(_DATATYPE_OF)),
                                           ox.NamedNode(dt), self._meta))
                elif self._integer_types[key] not in (dt, None):
                    self._integer_types[key] = None  # mixed types: give back xsd:integer

    def _object(self, predicate: Any, obj: Any) -> Node | None:
        term = self.to_rdflib(obj)
        if isinstance(term, Literal) and term.datatype == XSD.integer:
            restored = self._integer_types.get(predicate.value)
            if restored:
                return Literal(str(term), datatype=URIRef(restored))
        return term

    # -- terms ---------------------------------------------------------------------------

    def to_oxigraph(self, term: Node) -> Any:
        return _to_oxigraph(self._ox, term)

    @staticmethod
    def to_rdflib(term: Any) -> Node | None:
        import pyoxigraph as ox

        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        # lexical form kept as written: Literal(..., datatype=) would otherwise normalise
        # "2023" or "07" only if asked; rdflib keeps the lexical form by default.
        return Literal(term.value, datatype=URIRef(datatype))

    def _quads(self, graph: Graph, to: Any) -> Iterator[Any]:
        ox, conv = self._ox, self.to_oxigraph
        for s, p, o in graph:
            yield ox.Quad(conv(s), conv(p), conv(o), to)

    # -- graphs --------------------------------------------------------------------------

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        ox = self._ox
        self._remember_integer_types(graph)
        self.store.extend(self._quads(graph, ox.NamedNode(str(name))))
        self.store.extend(self._quads(graph, ox.DefaultGraph()))
        if name not in self._names:
            self._names.append(name)

    def remove_graph(self, name: URIRef) -> None:
        ox = self._ox
        node = ox.NamedNode(str(name))
        if any(True for _ in self.store.quads_for_pattern(None, None, None, node)):
            # The set-union default graph loses the triples no other graph states, in one
            # update evaluated by Oxigraph (a look-up per triple from Python took about 10 s
            # for the scorecard of 1,000 reports). Oxigraph's update takes no parameters: the
            # name goes in as the N-Triples form of a NamedNode, which Oxigraph has checked.
            self.store.update(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {node}) }} }}")
        self.store.remove_graph(node)
        if name in self._names:
            self._names.remove(name)

    def graph_names(self) -> list[URIRef]:
        return list(self._names)

    def graph(self, name: URIRef) -> Graph:
        g = Graph(identifier=name)
        bind_prefixes(g.namespace_manager)
        conv = self.to_rdflib
        for q in self.store.quads_for_pattern(None, None, None, self._ox.NamedNode(str(name))):
            g.add((conv(q.subject), conv(q.predicate), self._object(q.predicate, q.object)))
        return g

    def union(self, names: Iterable[URIRef] | None = None) -> Graph:
        g = Graph()
        bind_prefixes(g.namespace_manager)
        for name in self._names if names is None else names:
            g += self.graph(name)
        return g

    # -- SPARQL --------------------------------------------------------------------------

    def _restore_integers(self, algebra: Any, columns: list[str], rows: list[Any]) -> list[Any]:
        """Oxigraph stores every derived integer type as xsd:integer. A column read straight
        from a predicate whose objects were, say, xsd:nonNegativeInteger (``oa:start``) gets
        that type back, as :meth:`graph` does, so ``query -f json`` is the same on both stores."""
        sources = _object_predicates(algebra)
        restore: dict[int, URIRef] = {}
        for i, column in enumerate(columns):
            types = {self._integer_types.get(str(p)) for p in sources.get(column, ())}
            if len(types) == 1 and None not in types:
                restore[i] = URIRef(types.pop())
        if not restore:
            return rows
        memo: dict[tuple[int, Any], Any] = {}

        def fix(i: int, term: Any) -> Any:
            if not isinstance(term, Literal) or term.datatype != XSD.integer:
                return term
            key = (i, term)
            if key not in memo:
                memo[key] = Literal(str(term), datatype=restore[i])
            return memo[key]

        # only the columns to restore are touched: a loop over every cell of every row cost as
        # much as the conversion itself on large answers
        out = []
        for row in rows:
            cells = list(row)
            for i in restore:
                cells[i] = fix(i, cells[i])
            out.append(tuple(cells))
        return out

    def query(self, text: str, algebra: Any, bindings: Mapping[str, Node], *,
              max_rows: int) -> Solutions:
        ox = self._ox
        subs = {ox.Variable(k): self.to_oxigraph(v) for k, v in bindings.items()}
        # Oxigraph substitutes only projected variables; rdflib binds any variable. A
        # parameter the SELECT does not list is projected too (only its name is added to the
        # text; the value still goes in as a term) and its column dropped from the answer.
        hidden = _unprojected(algebra, bindings)
        if hidden:
            text = _project_also(text, hidden)
        try:
            results = self.store.query(text, substitutions=subs,
                                       prefixes={k: str(v) for k, v in PREFIXES.items()})
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            if hidden:  # e.g. an aggregate query, where a further projected variable is an error
                raise _cannot_bind(hidden) from None
            # RuntimeError: Oxigraph's evaluation errors (an unsupported function, …)
            raise StoreError(f"Oxigraph could not run the query: {exc}") from None
        # answers repeat the same terms (units, years, places) row after row; rdflib's Literal
        # constructor dominates the cost of a large answer, so each term is converted once
        conv = _Converted(self.to_rdflib).__getitem__

        if isinstance(results, ox.QueryBoolean):
            return Solutions("ASK", boolean=bool(results))
        if isinstance(results, ox.QuerySolutions):
            columns = [v.value for v in results.variables if v.value not in hidden]
            if hidden:
                rows, cut = _limited((tuple(conv(s[c]) for c in columns) for s in results),
                                     max_rows)
            else:  # a solution iterates its cells in column order: map, no Python loop per cell
                rows, cut = _limited((tuple(map(conv, s)) for s in results), max_rows)
            return Solutions("SELECT", columns, self._restore_integers(algebra, columns, rows),
                             truncated=cut)
        triples, cut = _limited(((conv(t.subject), conv(t.predicate), conv(t.object))
                                 for t in results), max_rows)
        return Solutions("CONSTRUCT", triples=triples, truncated=cut)

    def update(self, text: str) -> None:
        # tckg's own writes only (never user text): keep the set-union default graph in step
        # by rebuilding it from the named graphs afterwards.
        ox = self._ox
        self.store.update(text, prefixes={k: str(v) for k, v in PREFIXES.items()})
        self._names = [URIRef(g.value) for g in self.store.named_graphs() if g != self._meta]
        self.store.clear_graph(ox.DefaultGraph())
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                          for q in self.store.quads_for_pattern(None, None, None, None)
                          if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != self._meta)

    def to_trig(self) -> str:
        return exact_trig((name, self.graph(name)) for name in self._names)


class _Converted(dict):
    """pyoxigraph term -> rdflib term, each converted once (``None``, unbound, stays ``None``)."""

    def __init__(self, convert: Any) -> None:
        super().__init__()
        self._convert = convert

    def __missing__(self, term: Any) -> Node | None:
        found = self[term] = self._convert(term)
        return found


def _object_predicates(algebra: Any) -> dict[str, set[URIRef]]:
    """Variable name -> the predicates whose object it is in the query's triple patterns (the
    last step of a sequence path counts: ``oa:hasSelector/oa:start ?start``)."""
    from rdflib.paths import AlternativePath, SequencePath
    from rdflib.plugins.sparql.parserutils import CompValue

    found: dict[str, set[URIRef]] = {}

    def last_steps(p: Any) -> list[Any]:
        if isinstance(p, SequencePath):
            return last_steps(p.args[-1])
        if isinstance(p, AlternativePath):
            return [x for a in p.args for x in last_steps(a)]
        return [p] if isinstance(p, URIRef) else []

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for _, p, o in node.get("triples") or ():
                    if isinstance(o, Variable):
                        found.setdefault(str(o), set()).update(last_steps(p))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(getattr(algebra, "algebra", algebra))
    return found


def _unprojected(algebra: Any, bindings: Mapping[str, Node]) -> list[str]:
    """The bound variables a SELECT query does not project (none for ``SELECT *``)."""
    root = getattr(algebra, "algebra", None)
    if not bindings or root is None or getattr(root, "name", "") != "SelectQuery":
        return []
    projected = {str(v) for v in (root.get("PV") or [])}
    return [name for name in bindings if name not in projected]


# The prologue (comments, PREFIX and BASE declarations) and the SELECT keyword with its modifier.
_SELECT_HEAD = re.compile(
    r"\A(?:\s+|#[^\n]*(?:\n|\Z)|PREFIX\s*[^\s:<>]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)*"
    r"SELECT(?:\s+(?:DISTINCT|REDUCED))?", re.IGNORECASE)


def _cannot_bind(names: list[str]) -> Exception:
    return StoreError("Oxigraph binds parameters only to variables the SELECT can list, and "
                      "this query cannot list " + ", ".join(f"?{n}" for n in names) + " (an "
                      "aggregate without it in GROUP BY?); add it to the SELECT and GROUP BY "
                      "clauses, or use --store rdflib. Oxigraph 仅能绑定 SELECT 中列出的变量。")


def _project_also(text: str, names: list[str]) -> str:
    match = _SELECT_HEAD.match(text)
    if match is None or any(not re.fullmatch(r"\w+", n) for n in names):
        raise _cannot_bind(names)
    return text[:match.end()] + " " + " ".join(f"?{n}" for n in names) + " " + text[match.end():]


def open_store(kind: str = "rdflib", path: str | None = None) -> Store:
    """A new empty store of the given kind (``rdflib`` or ``oxigraph``)."""

    if kind == "rdflib":
        return RdflibStore()
    if kind == "oxigraph":
        return OxigraphStore(path)
    raise TckgError(f"unknown store {kind!r}; use {' or '.join(STORE_KINDS)}.")
