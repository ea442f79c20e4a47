"""The catalogue of named queries: ``.rq`` files whose header comment gives title, description,
columns and parameters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from tckg.namespaces import GRAPH
from tckg.sparql.errors import QueryError

if TYPE_CHECKING:  # pragma: no cover

    pass


QUERY_PACKAGE = "tckg.queries"
INFERRED_GRAPH = GRAPH["inferred"]
ANY = "(any)"
PARAM_TYPES = ("year", "zh", "string", "iri", "integer", "decimal", "boolean")
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")

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


