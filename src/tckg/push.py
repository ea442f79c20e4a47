"""``tckg push --endpoint URL``: copy the corpus into any SPARQL 1.1 Graph Store Protocol store.

One HTTP ``PUT {endpoint}?graph={name}`` per named graph (each report, the ontology, any
assessment graph), so the remote store ends up with exactly tckg's graphs, each replaced as a
whole (PUT, not POST: pushing twice leaves one copy). The body is N-Triples sent as
``text/turtle`` (N-Triples is a subset of Turtle and every Graph Store implementation reads
Turtle: Oxigraph, Virtuoso, GraphDB, Fuseki, QLever's, cloud stores). ``union_default`` also
PUTs the union of the graphs (as a set) into the default graph (``?default``), for stores whose
default graph is not the union of the named graphs.

Endpoint URLs by store (examples): Oxigraph ``http://host:7878/store``, Fuseki
``http://host:3030/ds/data``, GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``,
Virtuoso ``http://host:8890/sparql-graph-crud-auth``.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from tckg.errors import TckgError


class PushError(TckgError):
    """The remote store refused or could not be reached."""

    exit_code = 2


@dataclass
class Pushed:
    graph: str  # the graph IRI, or "default"
    triples: int
    status: int
    seconds: float


def graph_url(endpoint: str, graph: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}"


def check_endpoint(endpoint: str) -> str:
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:  # "http://[::1" (an unclosed IPv6 address) was an internal error
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or \
            any(ch in endpoint for ch in "\r\n\t\x00 "):
        raise PushError(f"--endpoint {endpoint!r} is not an http(s) URL of a Graph Store Protocol "
                        "service, e.g. http://localhost:7878/store. 端点须为 http(s) 地址。")
    if parts.username or parts.password:
        raise PushError("put credentials in a header (--header 'Authorization: Basic …'), not in "
                        "the URL, where they would be shown and logged. 请勿在网址中写密码。")
    return endpoint


def put_graph(endpoint: str, graph: str | None, body: bytes, headers: Mapping[str, str],
              timeout: float) -> int:
    request = urllib.request.Request(graph_url(endpoint, graph), data=body, method="PUT")
    request.add_header("Content-Type", "text/turtle; charset=utf-8")
    for k, v in headers.items():
        request.add_header(k, v)
    what = "the default graph" if graph is None else f"<{graph}>"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise PushError(f"{endpoint} refused {what}: HTTP {exc.code} {exc.reason}"
                        + (f": {detail}" if detail else "") + ". 远端存储拒绝写入。") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"cannot reach {endpoint} to write {what}: {reason}. 无法连接远端存储。") from None


def push(dataset: Any, endpoint: str, *, headers: Mapping[str, str] | None = None,
         union_default: bool = False, timeout: float = 120.0,
         graphs: Iterable[Any] | None = None,
         progress: Callable[[Pushed], None] | None = None) -> list[Pushed]:
    """PUT every named graph of ``dataset`` (a TckDataset or a Store) to ``endpoint``."""
    check_endpoint(endpoint)
    store = getattr(dataset, "store", dataset)
    names = list(store.graph_names() if graphs is None else graphs)
    done: list[Pushed] = []
    for name in names:
        g = store.graph(name)
        started = time.perf_counter()
        status = put_graph(endpoint, str(name), g.serialize(format="nt", encoding="utf-8"),
                           headers or {}, timeout)
        done.append(Pushed(str(name), len(g), status, time.perf_counter() - started))
        if progress:
            progress(done[-1])
    if union_default:
        g = store.union(names)
        started = time.perf_counter()
        status = put_graph(endpoint, None, g.serialize(format="nt", encoding="utf-8"),
                           headers or {}, timeout)
        done.append(Pushed("default", len(g), status, time.perf_counter() - started))
        if progress:
            progress(done[-1])
    return done


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 field name
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def parse_headers(items: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, colon, value = item.partition(":")
        if not colon or not name.strip():
            raise PushError(f"--header {item!r} needs the form 'Name: value'. 请求头格式为 名: 值。")
        if not _TOKEN.fullmatch(name.strip()) or _CONTROL.search(value):
            # a CR or LF would start another header (http.client refused it as an internal error)
            raise PushError(f"--header {item!r}: a header name is letters, digits and -, and a "
                            "value holds no line break or other control character; give one "
                            "header per --header. 请求头不得含换行或控制字符。")
        out[name.strip()] = value.strip()
    return out
