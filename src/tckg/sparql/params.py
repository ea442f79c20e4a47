"""Parameters bound as RDF terms, never pasted into query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from tckg.namespaces import PREFIXES, REPORT
from tckg.sparql.catalogue import ANY
from tckg.sparql.errors import QueryError
from tckg.sparql.safety import PreparedQuery

if TYPE_CHECKING:  # pragma: no cover

    pass


# Characters that may not occur in an IRI (RFC 3987 excludes them; SPARQL's IRIREF too).
_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# -- parameters --------------------------------------------------------------------------------

def _expand_name(value: str, prologue_ns: Mapping[str, str]) -> URIRef | None:
    """``prefix:local`` with a known prefix, ``<iri>`` or an absolute http(s)/urn IRI."""
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    else:
        prefix, colon, local = value.partition(":")
        if colon and prefix in prologue_ns and not local.startswith("//"):
            iri = str(prologue_ns[prefix]) + local
        elif re.match(r"^(https?://|urn:)", value):
            iri = value
        else:
            return None
    if not iri or _BAD_IRI.search(iri):
        return None
    return URIRef(iri)


def to_term(name: str, value: Any, ptype: str | None,
            prologue_ns: Mapping[str, str] | None = None) -> Node | None:
    """Turn one parameter value into an RDF term (``None``: leave the variable unbound)."""
    ns = {k: str(v) for k, v in PREFIXES.items()}
    ns["report"] = str(REPORT)  # so that an IRI copied from a table (report:…) works as a value
    ns.update(prologue_ns or {})
    if value is None:
        return None
    if isinstance(value, Node):
        return value
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, (int, Decimal)) and ptype in (None, "integer", "decimal"):
        return Literal(value, datatype=XSD.integer if isinstance(value, int) else XSD.decimal)
    if isinstance(value, float) and ptype in (None, "decimal"):
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    text = str(value)
    if text == "" or text == ANY:
        return None

    def bad(expected: str) -> QueryError:
        return QueryError(f"parameter {name} must be {expected}, not {text!r}. "
                          f"参数 {name} 的值格式不对。")

    if ptype == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise bad("a four-digit year such as 2023")
        return Literal(text, datatype=XSD.gYear)
    if ptype == "zh":
        return Literal(text, lang="zh")
    if ptype == "string":
        return Literal(text)
    if ptype == "iri":
        iri = _expand_name(text, ns)
        if iri is None:
            raise bad("an IRI: <https://…>, https://… or prefix:name with a known prefix "
                      "(tck:, ind:, place:, project: …)")
        return iri
    if ptype == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise bad("an integer")
        return Literal(int(text), datatype=XSD.integer)
    if ptype == "decimal":
        try:
            return Literal(Decimal(text), datatype=XSD.decimal)
        except InvalidOperation:
            raise bad("a number") from None
    if ptype == "boolean":
        if text.lower() not in ("true", "false"):
            raise bad("true or false")
        return Literal(text.lower() == "true")
    # Untyped: Turtle term syntax, else a plain string.
    match = re.fullmatch(r'"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', text, re.DOTALL)
    if match:
        lexical = match.group(1).replace('\\"', '"').replace("\\\\", "\\")
        if match.group(2):
            return Literal(lexical, lang=match.group(2))
        if match.group(3):
            datatype = _expand_name(match.group(3), ns)
            if datatype is None:
                raise bad('a literal with a known datatype, e.g. "2023"^^xsd:gYear')
            return Literal(lexical, datatype=datatype)
        return Literal(lexical)
    iri = _expand_name(text, ns)
    if iri is not None:
        return iri
    if re.fullmatch(r"[+-]?\d+", text):
        return Literal(int(text), datatype=XSD.integer)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
        return Literal(Decimal(text), datatype=XSD.decimal)
    if text in ("true", "false"):
        return Literal(text == "true")
    return Literal(text)


def bind_params(prepared: PreparedQuery, params: Mapping[str, Any] | None) -> dict[str, Node]:
    """Parameters (and the header's defaults) as initBindings; unknown names are refused."""
    declared = {p.name: p for p in prepared.header.params}
    given = dict(params or {})
    prologue_ns = {p: str(ns) for p, ns in prepared.algebra.prologue.namespace_manager.namespaces()}
    bindings: dict[str, Node] = {}
    for name in given:
        if not _VAR_NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name. 参数名无效。")
        if declared and name not in declared:
            raise QueryError(f"{prepared.source} has no parameter {name!r}; its parameters are "
                             f"{', '.join(declared) or 'none'}. 该查询没有参数 {name!r}。")
        if name not in prepared.variables:
            raise QueryError(f"{prepared.source} has no variable ?{name} for parameter {name!r}. "
                             f"查询中没有变量 ?{name}。")
    for name, param in declared.items():
        value = given[name] if name in given else param.default
        term = to_term(name, value, param.type, prologue_ns)
        if term is not None:
            bindings[name] = term
    for name, value in given.items():
        if name not in declared:
            term = to_term(name, value, None, prologue_ns)
            if term is not None:
                bindings[name] = term
    return bindings


