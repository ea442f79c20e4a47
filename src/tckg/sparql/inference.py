"""A small RDFS closure (sub-classes, sub-properties, domains, ranges) for ``--infer``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from tckg.namespaces import bind_prefixes
from tckg.sparql.catalogue import INFERRED_GRAPH

if TYPE_CHECKING:  # pragma: no cover

    pass


# -- inference ---------------------------------------------------------------------------------

def _closure(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Reflexive-free transitive closure of a relation given as (sub, super) pairs."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in pairs:
        if sub != sup:
            direct[sub].add(sup)
    result: dict[Node, set[Node]] = {}
    for start in list(direct):
        seen: set[Node] = set()
        stack = list(direct[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(direct.get(node, ()))
        seen.discard(start)
        result[start] = seen
    return result


def rdfs_closure(graph: Graph) -> Graph:
    """The triples RDFS entailment adds for the class and property hierarchy of ``graph``.

    Rules rdfs5 and rdfs11 (transitive subPropertyOf / subClassOf), rdfs7 (a triple holds for
    every super-property), rdfs2 / rdfs3 (domain and range give types) and rdfs9 (an instance of
    a class is an instance of its super-classes). The axiomatic triples of full RDFS (every
    resource an rdfs:Resource, rdf:_1 … ) are left out: they add nothing a query over this
    graph can use and owlrl's full closure takes seconds where this takes milliseconds.
    """
    sub_prop = _closure(graph.subject_objects(RDFS.subPropertyOf))
    sub_class = _closure(graph.subject_objects(RDFS.subClassOf))
    domains: dict[Node, set[Node]] = defaultdict(set)
    ranges: dict[Node, set[Node]] = defaultdict(set)
    for prop, cls in graph.subject_objects(RDFS.domain):
        domains[prop].add(cls)
    for prop, cls in graph.subject_objects(RDFS.range):
        ranges[prop].add(cls)
    new = Graph()
    for sub, supers in sub_prop.items():
        for sup in supers:
            new.add((sub, RDFS.subPropertyOf, sup))
    for sub, supers in sub_class.items():
        for sup in supers:
            new.add((sub, RDFS.subClassOf, sup))
    # triples(), not iteration: a Dataset iterates over quads; with default_union this is the union.
    triples = list(graph.triples((None, None, None)))
    for s, p, o in triples:  # rdfs7
        for sup in sub_prop.get(p, ()):
            new.add((s, sup, o))
    for s, p, o in triples + list(new):  # rdfs2, rdfs3
        for cls in domains.get(p, ()):
            new.add((s, RDF.type, cls))
        if not isinstance(o, Literal):
            for cls in ranges.get(p, ()):
                new.add((o, RDF.type, cls))
    typed = list(graph.subject_objects(RDF.type)) + list(new.subject_objects(RDF.type))
    for x, cls in typed:  # rdfs9
        for sup in sub_class.get(cls, ()):
            new.add((x, RDF.type, sup))
    known = set(triples)
    out = Graph()
    for triple in new:
        if triple not in known:
            out.add(triple)
    return out


def with_inference(graph: Graph) -> Graph:
    """A copy of ``graph`` (every named graph kept) plus the RDFS closure in GRAPH tckg:inferred."""
    if isinstance(graph, Dataset):
        copy = Dataset(default_union=True)
        for s, p, o, ctx in graph.quads((None, None, None, None)):
            copy.add((s, p, o, ctx))
        inferred = rdfs_closure(graph)
        target = copy.graph(INFERRED_GRAPH)
        for triple in inferred:
            target.add(triple)
    else:
        copy = Graph()
        for triple in graph:
            copy.add(triple)
        copy += rdfs_closure(graph)
    bind_prefixes(copy.namespace_manager)
    return copy


