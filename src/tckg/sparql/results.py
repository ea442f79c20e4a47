"""Query results and their serialisations (table, CSV, TSV, JSON, Markdown, RDF).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from tckg.namespaces import compact_iri
from tckg.numbers import fmt_number
from tckg.sparql.catalogue import GRAPH_FORMATS, TABLE_FORMATS
from tckg.sparql.errors import QueryError
from tckg.store.canonical import canonical_lexical

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table



# -- results -----------------------------------------------------------------------------------

_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                  XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}


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
                return fmt_number(Decimal(str(term)))
            except InvalidOperation:
                return str(term)
        return str(term)
    return plain(term)


def _term_json(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    # numbers in their canonical form: engines spell computed values differently (rdflib
    # writes 1.0000 where Oxigraph writes 1), and the answer must not depend on the store
    lexical = canonical_lexical(term) if isinstance(term, Literal) else None
    out = {"type": "literal", "value": lexical if lexical is not None else str(term)}
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


