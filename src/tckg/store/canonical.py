"""Numbers in one lexical form, whichever backend holds them.

Oxigraph stores numbers and booleans as values and writes them back in their canonical form
(XML Schema 1.1): ``"12.0"^^xsd:decimal`` comes back as ``"12"``, ``"+007"^^xsd:integer`` as
``"7"``, ``"1"^^xsd:boolean`` as ``"true"``. rdflib keeps the form as written. So that both
stores hold term-for-term the same graph, every file is read with its well-formed numbers and
booleans put in that canonical form (the same value: nothing a query or a shape can tell apart
but the spelling). Ill-formed literals are left alone, so validation still reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from tckg.numbers import fmt_number

_INTEGER_TYPES = frozenset(XSD[n] for n in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BOOLEAN = {"1": "true", "0": "false"}


def canonical_lexical(literal: Literal) -> str | None:
    """The canonical lexical form of a well-formed number or boolean, or None if it has none
    (another datatype, or an ill-formed lexical form)."""
    text, datatype = str(literal), literal.datatype
    if datatype in _INTEGER_TYPES:
        return str(int(text)) if _INTEGER.fullmatch(text) else None
    if datatype == XSD.decimal:
        if not _DECIMAL.fullmatch(text):
            return None
        return fmt_number(Decimal(text))
    if datatype == XSD.boolean:
        return _BOOLEAN.get(text, text if text in ("true", "false") else None)
    return None


def _canonical_term(o: Node) -> Node | None:
    """``o`` in canonical form if it is a number or boolean written otherwise, else None."""
    if isinstance(o, Literal) and o.datatype is not None:
        lexical = canonical_lexical(o)
        if lexical is not None and lexical != str(o):
            return Literal(lexical, datatype=o.datatype)
    return None


def canonical_numbers(graph: Graph) -> Graph:
    """``graph`` with its numbers and booleans in canonical form (the same graph if none differ)."""
    changes = [((s, p, o), (s, p, new)) for s, p, o in graph
               if (new := _canonical_term(o)) is not None]
    for old, new in changes:
        graph.remove(old)
        graph.add(new)
    return graph


def canonical_triples(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[tuple[Node, Node, Node]]:
    """The triples with their numbers and booleans in canonical form, one at a time (as
    :func:`canonical_numbers` gives a graph, without holding one)."""
    for s, p, o in triples:
        yield s, p, _canonical_term(o) or o
