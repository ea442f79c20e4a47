"""SPARQL over the commitment graph: named queries, bound parameters, read-only by default.

A *named query* is a ``.rq`` file in ``tckg/queries/`` whose header comment gives its title
(zh / en), a description, its result columns and its parameters::

    # title: 预期目标 / Targets
    # description: One row per target ...
    # columns: target, indicator, ...
    # param: year (year) = (any) — 目标年度 / the year of the target, four digits

A parameter is bound as an RDF term through ``initBindings`` (never pasted into the query
text), so a value is only ever a value: ``(year)`` makes ``"2023"^^xsd:gYear``, ``(zh)`` a
``@zh`` literal, ``(string)`` a plain literal, ``(iri)`` an IRI (full, ``<…>`` or with a tckg
prefix), ``(integer)``/``(decimal)``/``(boolean)`` a typed literal. A parameter without a type
takes Turtle term syntax (``<iri>``, ``prefix:name``, ``"text"@zh``, ``"2023"^^xsd:gYear``,
numbers, ``true``), else a plain literal. ``(any)`` as the default, or an empty value, leaves
the variable unbound: no filter.

Safety, checked on rdflib's parse tree and algebra (never on the text, so comments and
strings cannot fool it): SPARQL Update is refused; ``SERVICE`` (constant, variable or
``SILENT``, anywhere, including inside ``EXISTS`` and sub-queries) is refused unless
``allow_service``; ``FROM`` / ``FROM NAMED`` are always refused because rdflib would fetch the
named IRIs. The query runs in a child process that is killed when ``timeout`` passes, and at
most ``max_rows`` rows come back (settings ``query_timeout`` and ``max_rows``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Variable

from tckg.namespaces import PREFIXES
from tckg.sparql.catalogue import NamedQuery, parse_header
from tckg.sparql.errors import QueryError, QueryRefused

if TYPE_CHECKING:  # pragma: no cover

    pass


# -- parsing and safety ------------------------------------------------------------------------

@dataclass
class PreparedQuery:
    """A query that parsed, translated and passed the safety checks."""

    text: str
    source: str  # what to call it in messages: a name, a file or "-e"
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    algebra: Any  # rdflib.plugins.sparql.sparql.Query
    variables: frozenset[str]
    header: NamedQuery
    uses_service: bool = False


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree or algebra (CompValue, Expr, lists), iteratively."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        else:
            yield item


def _caret(text: str, line_no: int, column: int) -> str:
    """The offending line and a caret under the column (East Asian wide characters count 2)."""
    lines = text.splitlines() or [""]
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    shown = line.replace("\t", " ")
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                for ch in shown[: max(column - 1, 0)])
    gutter = f"{line_no:>4} | "
    return f"\n{gutter}{shown}\n{' ' * (len(gutter) - 2)}| {' ' * width}^"


def _syntax_error(source: str, text: str, exc: Exception) -> QueryError:
    line_no = getattr(exc, "lineno", None)
    column = getattr(exc, "col", None)
    found = getattr(exc, "found", "") or "end of text"
    if line_no is None:
        detail = re.sub(r"\s+", " ", str(exc)).strip()[:300]
        return QueryError(f"{source}: the query is not valid SPARQL: {detail}. "
                          "查询不是有效的 SPARQL。")
    return QueryError(
        f"{source}: SPARQL syntax error at line {line_no}, column {column} (near {found}). "
        "Check the brackets, the dots between triple patterns and the quotes there. "
        f"SPARQL 语法错误（第 {line_no} 行第 {column} 列）。" + _caret(text, line_no, column))


_UPDATE_NAMES = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT … WHERE", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}


def _refuse_update(source: str, names: list[str], broken: bool = False) -> QueryRefused:
    ops = ", ".join(dict.fromkeys(_UPDATE_NAMES.get(n, n) for n in names)) or "an update"
    tail = " (it also has a syntax error)" if broken else ""
    return QueryRefused(
        f"{source}: SPARQL Update ({ops}) is refused{tail}: tckg query only reads the graph and "
        "never changes, loads or drops data. Edit the curated sources and recompile instead. "
        "拒绝执行 SPARQL 更新：查询是只读的，不会修改、加载或删除数据。")


# SPARQL's codepoint escapes. rdflib expands them in the whole text before tokenising (as the
# SPARQL grammar says); Oxigraph only inside strings and IRIs. So one text can hide a SERVICE in
# a string for rdflib and run it on Oxigraph (`"a\u0022 … SERVICE <…> … "`). The checks must
# judge the text the engine runs: with no escape in it, both engines read the same tokens.
_CODEPOINT_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")


def refuse_codepoint_escapes(text: str, source: str) -> None:
    match = _CODEPOINT_ESCAPE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        raise QueryRefused(
            f"{source}: line {line}, column {column}: the codepoint escape {match.group(0)} is "
            "refused: SPARQL engines disagree on where such escapes apply, so the query that is "
            "checked could differ from the query that runs. Write the character itself "
            "(queries are UTF-8). 拒绝 \\u/\\U 转义（各引擎解释不一）；请直接写出该字符。"
            + _caret(text, line, column))


def prepare(text: str, source: str = "query", allow_service: bool = False) -> PreparedQuery:
    """Parse and translate a query; refuse updates, FROM and (unless allowed) SERVICE."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    refuse_codepoint_escapes(text, source)
    header = parse_header(text, source)
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        try:
            update = parseUpdate(text)
        except ParseBaseException as uexc:
            if getattr(uexc, "loc", 0) > getattr(exc, "loc", 0) and uexc.loc > 0:
                # The update grammar got further: this is an update with a typo in it.
                raise _refuse_update(source, [], broken=True) from None
            raise _syntax_error(source, text, exc) from None
        except RecursionError:
            raise QueryError(f"{source}: the query is nested too deeply to parse. "
                             "查询嵌套过深。") from None
        requests = [r.name for r in (OrderedDict.get(update, "request") or [])]
        if not requests:
            raise QueryError(f"{source}: the query is empty (only comments or prefixes); write "
                             "a SELECT, ASK, CONSTRUCT or DESCRIBE query. 查询为空。") from None
        raise _refuse_update(source, requests) from None
    except RecursionError:
        raise QueryError(f"{source}: the query is nested too deeply to parse. "
                         "查询嵌套过深。") from None

    for node in _walk(parsed):
        if _has_dataset_clause(node):
            raise _refuse_from(source, node)
    try:
        algebra = translateQuery(parsed, initNs=PREFIXES)
    except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes and the like
        detail = re.sub(r"\s+", " ", str(exc)).strip()[:300]
        raise QueryError(f"{source}: the query cannot be translated: {detail}. Declare every "
                         "prefix you use (tckg's own prefixes tck:, ind:, cmp:, unit: … are "
                         "predeclared) and group by every projected variable. "
                         "查询无法翻译（前缀未声明或分组有误）。") from None

    service = False
    variables: set[str] = set()
    for node in _walk(algebra.algebra):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            service = True
        elif _has_dataset_clause(node):
            raise _refuse_from(source, node)
        elif isinstance(node, Variable):
            variables.add(str(node))
    if service and not allow_service:
        raise QueryRefused(
            f"{source}: the query uses SERVICE, which would make the engine send requests to "
            "another host (or a host named at run time). It is refused by default; pass "
            "--allow-service (allow_service=True) if you trust every endpoint it names. "
            "查询含 SERVICE（会访问网络），默认拒绝；如确信安全请加 --allow-service。")
    kind = algebra.algebra.name.replace("Query", "").upper()
    return PreparedQuery(text, source, kind, algebra, frozenset(variables), header, service)


def _has_dataset_clause(node: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return False
    # dict.get, not CompValue.get: the latter returns the key itself when it is missing.
    return node.name == "DatasetClause" or bool(OrderedDict.get(node, "datasetClause"))


def _refuse_from(source: str, node: Any) -> QueryRefused:
    return QueryRefused(
        f"{source}: FROM / FROM NAMED are refused: rdflib would fetch the named IRIs from the "
        "network or the disk. The loaded reports are already in the dataset, one named graph "
        "each; select one with GRAPH <…> { … } instead. "
        "拒绝 FROM / FROM NAMED（会从网络或磁盘读取）；请用 GRAPH <…> { … } 选择命名图。")


