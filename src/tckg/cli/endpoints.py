"""The corpus for other tools: ``tckg serve`` (a read-only SPARQL endpoint) and ``tckg push``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tckg.cli.common import (
    Encoding,
    LoadTimeout,
    MaxInput,
    MaxTriples,
    StoreDir,
    StoreKind,
    app,
    apply_limits,
    cli_store,
    err,
    fail,
    out,
)
from tckg.settings import SETTINGS


@app.command("serve")
def serve_command(
    data: Annotated[list[Path] | None, typer.Option(
        "-d", "--data", help="RDF files to serve (default: the bundled reports); the ontology "
        "is always loaded.")] = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. The default answers this machine only; another "
        "address makes the data readable by anyone who can reach it. 监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="Port (0: any free port, printed at start). 端口。")] = 7879,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", "--query-timeout", min=0.1, help=SETTINGS["query_timeout"].help_en,
        show_default=False)] = None,
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=1, help=SETTINGS["max_rows"].help_en, show_default=False)] = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log each request.")] = False,
) -> None:
    """Serve the graph as a read-only SPARQL endpoint (SPARQL 1.1 Protocol) with a query page.
    只读 SPARQL 端点。

    Same safety as tckg query: no update, no SERVICE, no FROM, a time limit and a row cap per
    query. The endpoint is /sparql; / is a small query page. Stop with Ctrl+C.
    """
    from tckg.serve import Endpoint, serve
    from tckg.store.load import load_dataset

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                 query_timeout=timeout, max_rows=max_rows)
    dataset = load_dataset(data, encoding=encoding, store=cli_store(store), store_dir=store_dir)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"note 注意: listening on {host}: every host that can reach it can read the data.")

    def ready(url: str) -> None:
        print(f"tckg serve: SPARQL endpoint {url} (query page {url[: -len('sparql')]}); "
              "Ctrl+C stops. 端点已启动。", flush=True)

    def log(line: str) -> None:
        err.print(line, markup=False, highlight=False)

    try:
        serve(Endpoint(dataset), host, port, ready=ready, log=None if quiet else log)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}. 无法监听该地址。")
    except KeyboardInterrupt:
        err.print("stopped 已停止.")


@app.command("push")
def push_command(
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="A SPARQL 1.1 Graph Store Protocol URL, e.g. http://localhost:7878/store "
        "(Oxigraph), http://host:3030/ds/data (Fuseki). 图存储协议地址。")],
    data: Annotated[list[Path] | None, typer.Option(
        "-d", "--data", help="RDF files to push (default: the bundled reports); the ontology "
        "graph is always pushed.")] = None,
    header: Annotated[list[str] | None, typer.Option(
        "--header", "-H", help="An HTTP header for every request, e.g. 'Authorization: Basic …'; "
        "repeatable.")] = None,
    union_default: Annotated[bool, typer.Option(
        "--union-default", help="Also put the union of the graphs into the default graph (for "
        "stores whose default graph is not the union of the named graphs).")] = False,
    http_timeout: Annotated[float, typer.Option(
        "--http-timeout", min=1, max=1_000_000, help="Seconds to wait for each request.")] = 120.0,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
) -> None:
    """Copy the corpus into another triple store, one named graph per report. 推送到其他存储。

    Each graph (each report, the ontology) is replaced with an HTTP PUT ?graph=IRI, so pushing
    again leaves one copy. Works with Oxigraph, Virtuoso, GraphDB, Fuseki, QLever and cloud
    stores that speak the Graph Store Protocol.
    """
    from tckg.push import check_endpoint, parse_headers, push
    from tckg.store.load import load_dataset

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout)
    check_endpoint(endpoint)  # before loading: a bad URL is refused at once
    headers = parse_headers(header or [])
    dataset = load_dataset(data, encoding=encoding, store=cli_store(store), store_dir=store_dir)

    def progress(item) -> None:  # noqa: ANN001 - a tckg.push.Pushed
        out.print(f"{item.status} PUT {item.graph}: {item.triples:,} triples 三元组 "
                  f"({item.seconds:.2f} s)", markup=False, highlight=False)

    done = push(dataset, endpoint, headers=headers, union_default=union_default,
                timeout=http_timeout, progress=progress)
    total = sum(p.triples for p in done)
    out.print(f"pushed 已推送 {len(done)} graphs 图, {total:,} triples → {endpoint}",
              markup=False, highlight=False)
