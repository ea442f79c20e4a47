"""Deterministic Turtle, in time linear in the graph.

rdflib's ``longturtle`` serializer writes what tckg wants (one block per subject, sorted, the
project's prefixes), but its namespace manager files the namespace of *every* IRI it is asked
to abbreviate in a trie that it then scans linearly for every new IRI. IRIs such as
``…/evidence/12-34/selector`` each have a namespace of their own, so writing a draft of 12,000
facts took 76 s (quadratic). :class:`_BoundOnly` answers "no prefix" at once for a subject or
object whose namespace no bound prefix can abbreviate, which is exactly what rdflib would have
answered after the scan, so the text is the same, byte for byte (``tests/test_load.py``).
"""

from __future__ import annotations

from typing import IO

from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager, split_uri


class _BoundOnly(NamespaceManager):
    """A namespace manager that only abbreviates with prefixes already bound when it is asked
    not to generate new ones (rdflib's serializers ask so for subjects and objects)."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph, bind_namespaces="none")
        self._bound = [str(ns) for _, ns in graph.namespaces()]

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        if not generate:
            try:
                namespace, _ = split_uri(uri)
            except ValueError:
                namespace = uri
            # a bound namespace that starts with the split one may still abbreviate the IRI
            if not any(ns.startswith(namespace) or namespace.startswith(ns) for ns in self._bound):
                raise KeyError(f"No known prefix for {namespace} and generate=False")
        return super().compute_qname(uri, generate)


def turtle(graph: Graph) -> str:
    """``graph`` as rdflib's deterministic ``longturtle``, with its bound prefixes."""
    return _view(graph).serialize(format="longturtle")


def write_turtle(graph: Graph, stream: IO[bytes]) -> None:
    """:func:`turtle` as UTF-8 into ``stream``, written as the serializer goes: the same bytes
    without the whole text as a string (and its copies) beside the graph."""
    _view(graph).serialize(destination=stream, format="longturtle", encoding="utf-8")


def _view(graph: Graph) -> Graph:
    view = Graph(store=graph.store, identifier=graph.identifier)
    view.namespace_manager = _BoundOnly(view)
    return view
