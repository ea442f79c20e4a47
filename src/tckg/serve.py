"""``tckg serve``: a read-only SPARQL 1.1 Protocol endpoint over the loaded corpus.

A small stdlib HTTP server (``ThreadingHTTPServer``) in front of the same runner as
``tckg query`` (:func:`tckg.sparql.run.query`): every query is vetted by
:func:`tckg.sparql.safety.prepare` (no update, no SERVICE, no FROM / FROM NAMED), runs in a
child process killed at the time limit, and returns at most ``max_rows`` rows. The protocol's
``default-graph-uri`` / ``named-graph-uri`` parameters are refused like FROM; the default graph
is the union of the loaded graphs, each report is a named graph.

Routes:

- ``GET /sparql?query=…`` and ``POST /sparql`` (``application/x-www-form-urlencoded`` with
  ``query=…``, or ``application/sparql-query``): SPARQL results as JSON, XML, CSV or TSV
  (SELECT, ASK) or Turtle, N-Triples, JSON-LD (CONSTRUCT, DESCRIBE), by ``Accept`` or by a
  ``format`` parameter (json, xml, csv, tsv, ttl, nt, jsonld). An update (``update=…`` or
  ``application/sparql-update``) is refused with 403.
- ``GET /queries.json``: the named queries (name, title, text) for the page.
- ``GET /``: a small query page of its own (no CDN; the script is inline).

Status codes: 400 a malformed query or request, 403 a refused query (update, SERVICE, FROM,
dataset parameters), 413 a request over 1 MB, 503 the time limit passed.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tckg.sparql.errors import QueryError, QueryRefused, QueryTimeout

MAX_REQUEST_BYTES = 1 << 20
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879  # one above Oxigraph's 7878, so both can run side by side

# media type -> tckg format name
TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}
FORMAT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
}


@dataclass
class Endpoint:
    """What the handler answers from: the dataset and the limits."""

    dataset: Any  # a TckDataset (or anything tckg.sparql.run.query accepts)
    timeout: float | None = None  # None: the query_timeout setting
    max_rows: int | None = None  # None: the max_rows setting
    # one query at a time: each runs in a forked child, and fork from several threads at once
    # is asking for trouble; HTTP parsing and writing stay concurrent
    lock: Any = field(default_factory=threading.Lock)


def choose_format(accept: str, requested: str | None, graph_result: bool) -> str:
    """The tckg format name for a response: ``format=`` wins, then ``Accept`` (q-values
    honoured), then JSON for tables and Turtle for graphs."""
    if requested:
        return requested.lower()
    table = {**TABLE_TYPES, "text/xml": "xml"}
    offered = GRAPH_TYPES if graph_result else table
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        q -= i * 1e-6  # earlier wins a tie
        if media in offered and q > best_q:
            best, best_q = offered[media], q
    if best:
        return best
    return "ttl" if graph_result else "json"


def to_xml(result: Any) -> str:
    """SPARQL 1.1 Query Results XML (rdflib's writer)."""
    from rdflib import Variable
    from rdflib.query import Result

    if result.kind == "ASK":
        res = Result("ASK")
        res.askAnswer = bool(result.boolean)
    else:
        res = Result("SELECT")
        res.vars = [Variable(c) for c in result.columns]
        res.bindings = [{Variable(c): t for c, t in zip(result.columns, row, strict=True)
                         if t is not None} for row in result.terms]
    return res.serialize(format="xml").decode("utf-8")


def render(result: Any, fmt: str) -> tuple[str, str]:
    """(body, media type) of a QueryResult in the chosen format."""
    graph_result = result.graph is not None
    if graph_result and fmt not in GRAPH_TYPES.values():
        fmt = "ttl"
    if not graph_result and fmt not in ("json", "xml", "csv", "tsv"):
        raise QueryError(f"format {fmt!r} is not offered for a {result.kind} result; use json, "
                         "xml, csv or tsv. 不支持该格式。")
    body = to_xml(result) if fmt == "xml" else result.serialize(fmt)
    media = FORMAT_TYPES[fmt]
    if fmt in ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"):
        media += "; charset=utf-8"
    return body, media


def page_html() -> str:
    return resources.files("tckg").joinpath("templates/sparql.html").read_text(encoding="utf-8")


def make_handler(endpoint: Endpoint, log: Callable[[str], None] | None = None) -> type:
    """The request handler class bound to one endpoint."""
    from tckg.sparql.run import query

    class Handler(BaseHTTPRequestHandler):
        server_version = "tckg-sparql/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            if log is not None:
                log(f"{self.address_string()} {format % args}")

        # -- helpers ---------------------------------------------------------------------

        def _send(self, status: int, body: str | bytes, media: str,
                  extra: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _error(self, status: int, message: str) -> None:
            self._send(status, message.rstrip() + "\n", "text/plain; charset=utf-8")

        def _body(self) -> bytes | None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"the request is over {MAX_REQUEST_BYTES:,} bytes. 请求过大。")
                return None
            return self.rfile.read(length) if length else b""

        # -- routes ----------------------------------------------------------------------

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path in ("/", "/index.html"):
                self._send(200, page_html(), "text/html; charset=utf-8",
                           {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                            "style-src 'unsafe-inline'"})
            elif url.path == "/favicon.ico":
                self._send(204, b"", "image/x-icon")
            elif url.path == "/queries.json":
                self._send(200, queries_json(), "application/json; charset=utf-8")
            elif url.path == "/sparql":
                self._sparql(parse_qs(url.query, keep_blank_values=True), None, None)
            else:
                self._error(404, f"no such page: {url.path}; the endpoint is /sparql. 页面不存在。")

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path != "/sparql":
                self._error(404, f"no such endpoint: {url.path}; POST to /sparql. 端点不存在。")
                return
            body = self._body()
            if body is None:
                return
            params = parse_qs(url.query, keep_blank_values=True)
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
                self._sparql(params, None, media)
            elif media in ("application/sparql-query", "application/sparql-update"):
                self._sparql(params, body.decode("utf-8", "replace"), media)
            else:
                self._error(415, "POST a query as application/x-www-form-urlencoded (query=…) or "
                            "application/sparql-query. 不支持的内容类型。")

        def _sparql(self, params: dict[str, list[str]], direct: str | None, media: str | None) -> None:
            if "update" in params or media == "application/sparql-update":
                self._error(403, "SPARQL Update is refused: this endpoint is read-only (tckg serve "
                            "never changes the data). 拒绝 SPARQL 更新：端点只读。")
                return
            if any(k in params for k in ("default-graph-uri", "named-graph-uri", "using-graph-uri",
                                         "using-named-graph-uri")):
                self._error(403, "default-graph-uri / named-graph-uri are refused, like FROM: the "
                            "default graph is the union of the loaded reports, each report a named "
                            "graph; select one with GRAPH <…> { … }. 拒绝数据集参数。")
                return
            texts = [direct] if direct is not None else params.get("query", [])
            if len(texts) != 1 or not texts[0].strip():
                self._error(400, "give exactly one query (query=… or a application/sparql-query "
                            "body). 请给出一个查询。")
                return
            fmt = (params.get("format") or [None])[0]
            if fmt is not None and fmt.lower() not in FORMAT_TYPES:
                self._error(400, f"unknown format {fmt!r}; use {', '.join(FORMAT_TYPES)}. 未知格式。")
                return
            text = as_text(texts[0])
            try:
                with endpoint.lock:
                    result = query(text, endpoint.dataset, timeout=endpoint.timeout,
                                   max_rows=endpoint.max_rows)
                body, media_type = render(result, choose_format(self.headers.get("Accept", ""),
                                                                fmt, result.graph is not None))
            except QueryTimeout as exc:
                self._error(503, str(exc))
                return
            except QueryRefused as exc:
                self._error(403, str(exc))
                return
            except QueryError as exc:
                self._error(400, str(exc))
                return
            extra = {"X-Tckg-Truncated": "true"} if result.truncated else {}
            self._send(200, body, media_type, extra)

    return Handler


def as_text(text: str) -> str:
    """The request's query as SPARQL text for :func:`tckg.sparql.run.query`: a bare name
    (``targets``) stays a named query, anything else is text, never a path to a file on the
    server (the runner reads a one-line ``….rq`` or existing path as a file; a trailing comment
    line keeps it text without moving the line numbers of error messages)."""
    stripped = text.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+", stripped):
        return stripped
    return text if "\n" in stripped else stripped + "\n#"


def queries_json() -> str:
    from tckg.sparql.catalogue import named_queries, query_text

    return json.dumps([{"name": q.name, "title": q.title, "text": query_text(q.name)}
                       for q in named_queries().values()], ensure_ascii=False)


def make_server(endpoint: Endpoint, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: any free port; see ``server.server_address``)."""
    server = ThreadingHTTPServer((host, port), make_handler(endpoint, log))
    server.daemon_threads = True
    return server


def serve(endpoint: Endpoint, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          ready: Callable[[str], None] | None = None, log: Callable[[str], None] | None = None) -> None:
    """Answer until interrupted; ``ready`` receives the endpoint's URL once it listens."""
    server = make_server(endpoint, host, port, log)
    try:
        bound_host, bound_port = server.server_address[:2]
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        if ready is not None:
            ready(f"http://{shown}:{bound_port}/sparql")
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":  # pragma: no cover - use `tckg serve`
    sys.exit("run `tckg serve`")
