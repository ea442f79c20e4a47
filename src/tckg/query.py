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

import csv
import io
import json
import re
import sys
import types
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from tckg.errors import TckgError
from tckg.namespaces import GRAPH, PREFIXES, REPORT, bind_prefixes
from tckg.settings import SETTINGS

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table

    from tckg.load import TckDataset

QUERY_PACKAGE = "tckg.queries"
INFERRED_GRAPH = GRAPH["inferred"]
ANY = "(any)"
PARAM_TYPES = ("year", "zh", "string", "iri", "integer", "decimal", "boolean")
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
# Characters that may not occur in an IRI (RFC 3987 excludes them; SPARQL's IRIREF too).
_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QueryError(TckgError):
    """A query that cannot run: unknown name, bad syntax, bad parameter, failure while running."""


class QueryRefused(QueryError):
    """A query that asks for something tckg does not do: update, SERVICE, FROM."""


class QueryTimeout(QueryError):
    """The query ran past its time limit; its process was stopped (``pid`` names it)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


# -- named queries -----------------------------------------------------------------------------

@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str | None  # one of PARAM_TYPES, or None: Turtle term syntax
    default: str | None  # None: unbound ("(any)")
    meaning: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title_zh: str
    title_en: str
    description: str
    columns: tuple[str, ...]
    params: tuple[QueryParam, ...]

    @property
    def title(self) -> str:
        return f"{self.title_zh} / {self.title_en}" if self.title_en else self.title_zh


_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<type>[a-z]+)\))?\s*"
    r"(?:=\s*(?P<default>.*?))?\s*(?:[—–]|--)\s*(?P<meaning>.*)$")


def parse_header(text: str, name: str = "query") -> NamedQuery:
    """Read the ``# key: value`` comment lines that open a query (continuations indented)."""
    fields: dict[str, list[str]] = defaultdict(list)
    key: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped[1:]
        match = re.match(r"^\s?([a-z-]+):\s?(.*)$", body)
        if match:
            key = match.group(1)
            fields[key].append(match.group(2).strip())
        elif key and body.startswith("  ") and fields[key]:
            fields[key][-1] += " " + body.strip()
    title = " / ".join(fields.get("title", []))
    zh, _, en = title.partition(" / ")
    params = []
    for raw in fields.get("param", []):
        if re.sub(r"[()\s]", "", re.split(r"[—–]|--", raw)[0]).lower() in ("none", "", "-"):
            continue  # "# param: none — …" or "(none)": the query takes no parameters
        match = _PARAM_LINE.match(raw)
        if not match:
            raise QueryError(f"query {name}: cannot read the header line `# param: {raw}`; "
                             "write `# param: name (type) = default — meaning`. "
                             "查询头部的参数行格式有误。")
        ptype = match.group("type")
        if ptype is not None and ptype not in PARAM_TYPES:
            raise QueryError(f"query {name}: parameter {match.group('name')} has unknown type "
                             f"({ptype}); use one of {', '.join(PARAM_TYPES)}. 参数类型未知。")
        default = (match.group("default") or "").strip()
        params.append(QueryParam(match.group("name"), ptype,
                                 None if default in ("", ANY) else default,
                                 match.group("meaning").strip()))
    columns = tuple(c.strip() for c in ",".join(fields.get("columns", [])).split(",") if c.strip())
    return NamedQuery(name, text, zh.strip() or name, en.strip(),
                      " ".join(fields.get("description", [])), columns, tuple(params))


def _query_files() -> dict[str, Any]:
    folder = resources.files(QUERY_PACKAGE)
    return {entry.name[:-3]: entry for entry in folder.iterdir() if entry.name.endswith(".rq")}


def named_queries() -> dict[str, NamedQuery]:
    """Every named query of the package, by name, sorted."""
    return {name: parse_header(entry.read_text(encoding="utf-8"), name)
            for name, entry in sorted(_query_files().items())}


def query_text(name: str) -> str:
    """The SPARQL text of a named query (header comment included), e.g. for tckg.track."""
    entry = _query_files().get(name)
    if entry is None:
        raise QueryError(_unknown_name(name))
    return entry.read_text(encoding="utf-8")


def named_query(name: str) -> NamedQuery:
    return parse_header(query_text(name), name)


def _unknown_name(name: str) -> str:
    known = ", ".join(sorted(_query_files()))
    return (f"there is no named query {name!r}; the named queries are: {known}. Give a .rq "
            f"file's path or -e 'SELECT …' for your own query. 没有名为 {name!r} 的查询，"
            "可用 tckg query --list 查看。")


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


def prepare(text: str, source: str = "query", allow_service: bool = False) -> PreparedQuery:
    """Parse and translate a query; refuse updates, FROM and (unless allowed) SERVICE."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

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


# -- results -----------------------------------------------------------------------------------

_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                  XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def plain(term: Node | None) -> Any:
    """A plain Python value for a term: str, int, float, bool or None (for DataFrames, JSON)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        dt = term.datatype
        try:
            if dt in _INTEGER_TYPES:
                return int(str(term))
            if dt == XSD.decimal:
                value = Decimal(str(term))
                return int(value) if value == value.to_integral_value() else float(value)
            if dt in (XSD.double, XSD.float):
                return float(str(term))
            if dt == XSD.boolean:
                return str(term).strip().lower() in ("true", "1")
        except (ValueError, InvalidOperation):
            pass
        return str(term)
    return str(term)


def display(term: Node | None, compact: bool = False) -> str:
    """Text for one cell: numbers without trailing zeros, booleans as true/false."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term)) if compact else str(term)
    if isinstance(term, Literal):
        value = plain(term)
        if isinstance(value, bool):
            return "true" if value else "false"
        if term.datatype == XSD.decimal:
            try:
                return _decimal_text(Decimal(str(term)))
            except InvalidOperation:
                return str(term)
        return str(term)
    return plain(term)


def _display_prefixes() -> list[tuple[str, str]]:
    pairs = [(p, str(ns)) for p, ns in PREFIXES.items()] + [("report", str(REPORT))]
    return sorted(pairs, key=lambda pair: -len(pair[1]))


def compact_iri(iri: str) -> str:
    """``https://w3id.org/tckg/indicator/gdp-growth`` → ``ind:gdp-growth`` (for display only)."""
    for prefix, ns in _display_prefixes():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _term_json(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


@dataclass
class QueryResult:
    """The answer to one query. ``rows`` are dicts of plain Python values (a DataFrame's input);
    ``terms`` the same cells as rdflib terms; ``graph`` the result of CONSTRUCT / DESCRIBE."""

    kind: str
    columns: list[str] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    max_rows: int = 0
    source: str = "query"

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, (plain(t) for t in row), strict=True))
                for row in self.terms]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.graph) if self.graph is not None else len(self.terms)

    @property
    def notice(self) -> str | None:
        if not self.truncated:
            return None
        what = "triples" if self.graph is not None else "rows"
        return (f"showing the first {self.max_rows:,} {what}; the query returned more "
                f"(setting max_rows; raise it with --max-rows). "
                f"仅显示前 {self.max_rows:,} 条结果。")

    def _text_rows(self, compact: bool = False) -> list[list[str]]:
        return [[display(t, compact) for t in row] for row in self.terms]

    def _need_table(self, fmt: str) -> None:
        if self.graph is not None:
            raise QueryError(f"a {self.kind} result is a graph; use --format ttl, nt or jsonld, "
                             f"not {fmt}. 图结果请用 ttl、nt 或 jsonld 格式。")

    def to_csv(self, delimiter: str = ",") -> str:
        self._need_table("csv")
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        if self.kind == "ASK":
            writer.writerows([["boolean"], ["true" if self.boolean else "false"]])
            return buf.getvalue()
        writer.writerow(self.columns)
        writer.writerows(self._text_rows())
        return buf.getvalue()

    def to_tsv(self) -> str:
        """Tab-separated plain values (tabs and line breaks in cells become spaces)."""
        self._need_table("tsv")
        if self.kind == "ASK":
            return f"boolean\n{'true' if self.boolean else 'false'}\n"
        lines = ["\t".join(self.columns)]
        for row in self._text_rows():
            lines.append("\t".join(re.sub(r"[\t\r\n]+", " ", cell) for cell in row))
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON (ASK: ``boolean``); a graph result as JSON-LD."""
        if self.graph is not None:
            return self.graph.serialize(format="json-ld", indent=2)
        if self.kind == "ASK":
            doc: dict[str, Any] = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [{col: _term_json(term) for col, term in zip(self.columns, row, strict=True)
                         if term is not None} for row in self.terms]
            doc = {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        self._need_table("md")
        if self.kind == "ASK":
            return f"| boolean |\n|---|\n| {'true' if self.boolean else 'false'} |\n"

        def cell(text: str) -> str:
            return re.sub(r"\s*[\r\n]+\s*", " ", text).replace("|", "\\|")

        lines = ["| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self._text_rows(True)]
        return "\n".join(lines) + "\n"

    def to_table(self) -> Table:
        """A rich Table (East Asian wide characters are measured as two cells)."""
        from rich.table import Table
        from rich.text import Text

        self._need_table("table")
        table = Table(show_lines=False, header_style="bold")
        if self.kind == "ASK":
            table.add_column("boolean")
            table.add_row("true" if self.boolean else "false")
            return table
        for column in self.columns:
            table.add_column(column, overflow="fold")
        for row in self._text_rows(True):
            table.add_row(*(Text(c) for c in row))  # Text: cells are never read as markup
        return table

    def serialize(self, fmt: str) -> str:
        """Text in one of TABLE_FORMATS (not "table") or GRAPH_FORMATS."""
        if fmt in GRAPH_FORMATS or (self.graph is not None and fmt == "json"):
            if self.graph is None:
                raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE results; a "
                                 f"{self.kind} result takes table, csv, tsv, json or md. "
                                 "该格式仅用于图结果。")
            rdf_format = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "json": "json-ld"}[fmt]
            if rdf_format == "json-ld":
                return self.graph.serialize(format="json-ld", indent=2)
            return self.graph.serialize(format=rdf_format)
        writers = {"csv": self.to_csv, "tsv": self.to_tsv, "json": self.to_json,
                   "md": self.to_markdown}
        if fmt not in writers:
            raise QueryError(f"unknown format {fmt!r}; use one of "
                             f"{', '.join(TABLE_FORMATS + GRAPH_FORMATS)}. 未知的输出格式。")
        return writers[fmt]()


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


# -- evaluation --------------------------------------------------------------------------------

@dataclass
class _Payload:
    kind: str
    columns: list[str] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] | None = None
    truncated: bool = False


def _evaluate(graph: Graph, algebra: Any, bindings: Mapping[str, Node], max_rows: int,
              infer: bool) -> _Payload:
    from rdflib.plugins.sparql.evaluate import evalQuery

    if infer:
        graph = with_inference(graph)
    res = evalQuery(graph, algebra, dict(bindings))
    kind = res["type_"]
    if kind == "SELECT":
        columns = [str(v) for v in res["vars_"]]
        variables = [Variable(c) for c in columns]
        terms: list[tuple[Node | None, ...]] = []
        truncated = False
        for solution in res["bindings"]:
            if len(terms) >= max_rows:
                truncated = True
                break
            terms.append(tuple(solution.get(v) for v in variables))
        return _Payload(kind, columns, terms, truncated=truncated)
    if kind == "ASK":
        return _Payload(kind, boolean=bool(res["askAnswer"]))
    triples = []
    truncated = False
    for triple in res["graph"]:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return _Payload(kind, triples=triples, truncated=truncated)


def _evaluate_job(graph: Graph | str, algebra: Any, bindings: Mapping[str, Node], max_rows: int,
                  infer: bool) -> _Payload:
    """The query process's work; under spawn the dataset and the query arrive as text."""
    if isinstance(graph, str):
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        text, graph = graph, Dataset(default_union=True)
        graph.parse(data=algebra, format="nquads")
        algebra = translateQuery(parseQuery(text), initNs=PREFIXES)
    return _evaluate(graph, algebra, bindings, max_rows, infer)


def _run_in_child(graph: Graph, prepared: PreparedQuery, bindings: Mapping[str, Node],
                  max_rows: int, infer: bool, timeout: float) -> _Payload:
    import os

    from tckg.child import start_method

    # fork shares the loaded dataset with the child for free; spawn (Windows, macOS) gets the
    # dataset as N-Quads. TCKG_QUERY_START_METHOD lets tests exercise the spawn path on Linux.
    method = start_method(os.environ.get("TCKG_QUERY_START_METHOD"))
    if method == "fork":
        job: tuple[Any, ...] = (graph, prepared.algebra, dict(bindings), max_rows, infer)
    else:
        quads = graph.serialize(format="nquads") if isinstance(graph, Dataset) else \
            graph.serialize(format="nt")
        job = (prepared.text, quads, dict(bindings), max_rows, infer)
    return _run_job(_evaluate_job, job, prepared, timeout, method)


def _run_job(work: Any, job: tuple[Any, ...], prepared: PreparedQuery, timeout: float,
             method: str = "fork") -> _Payload:
    from tckg.child import ChildFailed, ChildTimeout, run_in_child

    try:
        return run_in_child(work, job, timeout=timeout, method=method, name="tckg-query")
    except ChildTimeout as exc:
        raise QueryTimeout(
            f"{prepared.source}: the query ran longer than {timeout:g} s and was stopped "
            "(its process is ended; nothing was changed). Narrow it down (fewer unbound "
            "triple patterns, a LIMIT, a parameter) or raise --timeout. "
            f"查询超过 {timeout:g} 秒，已终止。", pid=exc.pid) from None
    except ChildFailed as exc:
        raise QueryError(f"{prepared.source}: the query failed while running: {exc}. "
                         "查询运行出错。") from None


def _oxigraph_of(dataset: Any) -> Any:
    from tckg.load import OxigraphStore

    store = getattr(dataset, "store", None)
    return store if isinstance(store, OxigraphStore) else None


def _evaluate_oxigraph(store: Any, text: str, bindings: Mapping[str, Node],
                       max_rows: int) -> _Payload:
    """The same query on Oxigraph: the text already passed :func:`prepare`'s checks, and the
    parameters are substituted as terms (SEP-0007), as initBindings does for rdflib."""
    import pyoxigraph as ox

    try:
        results = store.query(text, bindings, prefixes={k: str(v) for k, v in PREFIXES.items()})
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"Oxigraph could not run the query: {exc}") from None
    convert = store.to_rdflib
    if isinstance(results, ox.QueryBoolean):
        return _Payload("ASK", boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        columns = [v.value for v in results.variables]
        terms: list[tuple[Node | None, ...]] = []
        truncated = False
        for solution in results:
            if len(terms) >= max_rows:
                truncated = True
                break
            terms.append(tuple(convert(solution[c]) for c in columns))
        return _Payload("SELECT", columns, terms, truncated=truncated)
    triples = []
    truncated = False
    for triple in results:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return _Payload("CONSTRUCT", triples=triples, truncated=truncated)


def _graph_of(dataset: Any) -> Graph:
    if dataset is None:
        from tckg.load import load_dataset

        dataset = load_dataset()
    if isinstance(dataset, Graph):
        return dataset
    graph = getattr(dataset, "rdflib", None)
    if isinstance(graph, Graph):
        return graph
    raise QueryError(f"cannot query a {type(dataset).__name__}; pass a TckDataset "
                     "(tckg.load_dataset()) or an rdflib Graph/Dataset. 无法查询该对象。")


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
        from tckg.load import read_text

        return read_text(Path(text)), text
    return name_or_text, "query"


def check(name_or_text: str, params: Mapping[str, Any] | None = None,
          allow_service: bool = False) -> tuple[PreparedQuery, dict[str, Node]]:
    """Resolve, parse, vet and bind a query without running it (raises QueryError)."""
    text, source = resolve(name_or_text)
    prepared = prepare(text, source, allow_service=allow_service)
    return prepared, bind_params(prepared, params)


def query(name_or_text: str, dataset: TckDataset | Graph | None = None,
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
    oxigraph = _oxigraph_of(dataset)
    if oxigraph is not None:
        if infer:
            raise QueryError("--infer needs the rdflib store (load_dataset(store='rdflib')); "
                             "Oxigraph evaluates the data as it is. 推理仅支持 rdflib 存储。")
        job = (oxigraph, prepared.text, dict(bindings), limit)
        payload = _run_job(_evaluate_oxigraph, job, prepared, seconds) if seconds > 0 else \
            _evaluate_oxigraph(*job)
    else:
        graph = _graph_of(dataset)
        if seconds > 0:
            payload = _run_in_child(graph, prepared, bindings, limit, infer, seconds)
        else:
            payload = _evaluate(graph, prepared.algebra, bindings, limit, infer)
    result_graph = None
    if payload.triples is not None:
        result_graph = Graph()
        bind_prefixes(result_graph.namespace_manager)
        for triple in payload.triples:
            result_graph.add(triple)
    return QueryResult(payload.kind, payload.columns, payload.terms, payload.boolean,
                       result_graph, payload.truncated, limit, prepared.source)


__all__ = ["QueryError", "QueryRefused", "QueryTimeout", "QueryResult", "NamedQuery",
           "QueryParam", "named_queries", "named_query", "query", "query_text", "prepare", "check",
           "rdfs_closure", "with_inference"]


class _CallableModule(types.ModuleType):
    """``tckg.query`` is both this module and the function: importing the submodule makes the
    package attribute ``tckg.query`` the module, so calling it must still run :func:`query`."""

    def __call__(self, *args: Any, **kwargs: Any) -> QueryResult:
        return query(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
