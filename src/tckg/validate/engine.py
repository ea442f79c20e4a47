"""Incremental, parallel validation: each report with the ontology and the shapes on its own, in
its own process, its verdict cached on disk; the checks that span reports afterwards, as
indexed joins (:mod:`tckg.validate.crossreport`).

A report's verdict is cached under the hash of (its triples, the types of the resources it
uses from other reports, the shapes, the ontology, the tckg version). With the persistent
store the report's hash is its file's SHA-256 from the store manifest, so an unchanged corpus
is validated from the cache without reading a triple; a changed or added report costs its own
validation only, plus the cross-report checks.

The time limit (``validation_timeout``) applies to each report's validation: a report that
runs past it has its process killed and the run fails with :class:`ValidationError`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import wait as wait_any
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tckg.namespaces import BASE, ONTOLOGY_GRAPH
from tckg.settings import SETTINGS
from tckg.validate.cache import read_cache, write_cache

CACHE_FORMAT = 1


@dataclass
class Unit:
    """One graph to validate on its own."""

    name: URIRef
    digest: str  # hash of its triples (its file's SHA-256 with the persistent store)
    source: str | None = None  # the file to read it from (persistent store), else ``ntriples``
    ntriples: bytes | None = None
    outside: list[str] = field(default_factory=list)  # IRIs it uses but does not describe
    imports: bytes = b""  # what the data states about those IRIs (see _imports)
    key: str = ""


@dataclass
class RunStats:
    units: int = 0
    cached: int = 0
    validated: int = 0
    seconds: float = 0.0
    jobs: int = 1


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _files_digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def cache_dir_for(dataset: Any) -> Path:
    folder = getattr(dataset.store, "folder", None)
    if folder is not None:
        return Path(folder) / "validation"
    if os.environ.get("TCKG_VALIDATION_CACHE"):
        return Path(os.environ["TCKG_VALIDATION_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tckg" / "validation"


# -- the units ---------------------------------------------------------------------------------

def _outside_iris(graph: Graph, ontology_subjects: set[str]) -> list[str]:
    # described = typed here; a shared resource the graph only points at (a draft's
    # ``orgs:x tck:statedIn <draft>``) takes its class from the graph that defines it
    subjects = {str(s) for s in graph.subjects(RDF.type, None)}
    out = set()
    for p, o in graph.predicate_objects():
        if isinstance(o, URIRef) and p != RDF.type:
            iri = str(o)
            if iri.startswith(BASE) and iri not in subjects and iri not in ontology_subjects:
                out.add(iri)
    return sorted(out)


def units_of(dataset: Any) -> list[Unit]:
    """Every graph but the ontology, as a unit (a report, or a file that describes none)."""
    store = dataset.store
    names = [n for n in store.graph_names() if n != ONTOLOGY_GRAPH]
    manifest = getattr(store, "manifest", None)
    units: list[Unit] = []
    if manifest is not None:
        owner: dict[str, tuple[str, dict[str, Any]]] = {}
        for key, entry in manifest["files"].items():
            for g in entry["graphs"]:
                owner[g] = (key, entry)
        for name in names:
            if str(name) in owner:
                key, entry = owner[str(name)]
                units.append(Unit(name, _sha(entry["sha256"], str(name)), source=key,
                                  outside=list(entry.get("outside", []))))
            else:  # a graph this command added (tckg add's candidate)
                nt = store.graph(name).serialize(format="nt", encoding="utf-8")
                units.append(Unit(name, _sha(b"".join(sorted(nt.splitlines(True)))), ntriples=nt))
        if any(u.source is None for u in units):
            onto = {str(s) for s in store.graph(ONTOLOGY_GRAPH).subjects()}
            for u in units:
                if u.source is None:
                    g = Graph().parse(data=u.ntriples.decode("utf-8"), format="nt")  # type: ignore[union-attr]
                    u.outside = _outside_iris(g, onto)
        return units
    onto = {str(s) for s in store.graph(ONTOLOGY_GRAPH).subjects()}
    for name in names:
        g = store.graph(name)
        nt = g.serialize(format="nt", encoding="utf-8")
        units.append(Unit(name, _sha(b"".join(sorted(nt.splitlines(True)))), ntriples=nt,
                          outside=_outside_iris(g, onto)))
    return units


def _imports(dataset: Any, unit: Unit) -> bytes:
    """What the data states about the IRIs this unit uses but does not describe, as sorted
    N-Triples: their classes, and the rest of their description, so that a reference to another
    report's target still has its class and an indicator another report proposed is still in
    the scheme (``sh:node tcksh:InSchemeShape`` looks one step past the reference; with the
    classes alone, a report reusing an earlier report's proposed indicator failed on its own
    and passed in the whole-data run)."""
    if not unit.outside:
        return b""
    from tckg.sparql.run import query

    values = " ".join(f"<{iri}>" for iri in unit.outside)
    rows = query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}",
                 dataset, timeout=0, max_rows=10_000_000).terms
    found = Graph()
    for s, p, o in rows:
        found.add((s, p, o))
    nt = found.serialize(format="nt", encoding="utf-8")
    return b"".join(sorted(line for line in nt.splitlines(True) if line.strip()))


def typed_elsewhere(unit: Unit) -> set[str]:
    """The IRIs of ``unit.imports`` that another graph gives a class: described there, so
    checked with that graph, not with this one."""
    marker = f" <{RDF.type}> ".encode()
    return {line.split(b" ", 1)[0].strip(b"<>").decode("utf-8")
            for line in unit.imports.splitlines() if marker in line}


# -- the work in a child process -----------------------------------------------------------------

_CONTEXT: dict[str, Any] = {}
_SH = "http://www.w3.org/ns/shacl#"


def sparql_targets(shapes: Graph) -> tuple[Graph, list[tuple[Any, str, dict[str, str]]]]:
    """The shapes without their SHACL-AF SPARQL targets, and those targets as (shape, SELECT,
    prefixes): tckg evaluates them with Oxigraph and hands pyshacl the focus nodes as
    ``sh:targetNode`` (87 % of pyshacl's time was these SELECTs in rdflib)."""
    from rdflib.namespace import SH

    rest = Graph()
    rest += shapes
    targets = []
    for shape, target in list(shapes.subject_objects(SH.target)):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes:
            continue
        select = shapes.value(target, SH.select)
        if select is None:
            continue
        prefixes: dict[str, str] = {}
        for decl_holder in shapes.objects(target, SH.prefixes):
            for decl in shapes.objects(decl_holder, SH.declare):
                prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        targets.append((shape, str(select), prefixes))
        rest.remove((shape, SH.target, target))
    targets += _offender_targets(shapes, rest)
    return rest, targets


_CORE_TARGETS = ("targetClass", "targetSubjectsOf")
# what a shape may say besides its targets and sh:sparql for its targets to be narrowed
_INERT = {str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/2000/01/rdf-schema#comment", _SH + "message", _SH + "severity",
          _SH + "sparql"} | {_SH + t for t in _CORE_TARGETS}


def _offender_targets(shapes: Graph, rest: Graph) -> list[tuple[Any, str, dict[str, str]]]:
    """The portable SPARQL shapes (a Core target and a SPARQL constraint that selects the
    offending nodes, ``shapes/sparql.ttl``) as one SELECT each of the offending nodes: their Core
    targets are replaced by those nodes, so pyshacl runs each constraint only where it reports
    (the nodes it would pass produce no result either way: the same report, much sooner)."""
    from rdflib.namespace import SH

    out = []
    for shape in set(shapes.subjects(SH.sparql, None)):
        if any(str(p) not in _INERT for p in shapes.predicates(shape, None)):
            continue
        patterns = []
        for name in _CORE_TARGETS:
            for value in shapes.objects(shape, SH[name]):
                patterns.append(f"{{ ?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#"
                                f"subClassOf>* <{value}> }}" if name == "targetClass"
                                else f"{{ ?this <{value}> ?_anyTargetValue }}")
        bodies, prefixes = [], {}
        for constraint in shapes.objects(shape, SH.sparql):
            select = str(shapes.value(constraint, SH.select) or "")
            where = select.upper().find("WHERE")
            start, end = select.find("{", where), select.rfind("}")
            if where < 0 or start < 0 or end <= start:
                break
            bodies.append(select[start + 1:end])  # inlined: its FILTERs see ?this bound
            for holder in shapes.objects(constraint, SH.prefixes):
                for decl in shapes.objects(holder, SH.declare):
                    prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        else:
            if not patterns or not bodies:
                continue
            target = "{ " + " UNION ".join(patterns) + " }"
            query = ("SELECT DISTINCT ?this WHERE { "
                     + " UNION ".join(f"{{ {target} {body} }}" for body in bodies) + " }")
            out.append((shape, query, prefixes))
            for name in _CORE_TARGETS:
                rest.remove((shape, SH[name], None))
    return out


def _prepare_context(shapes: Graph, ontology: Graph, oxigraph_targets: bool = True) -> None:
    _CONTEXT["shapes"] = shapes
    _CONTEXT["ontology"] = ontology
    _CONTEXT["oxigraph_targets"] = oxigraph_targets
    if oxigraph_targets:
        _CONTEXT["shapes_rest"], _CONTEXT["targets"] = sparql_targets(shapes)
        _CONTEXT["ontology_nt"] = ontology.serialize(format="nt", encoding="utf-8")


def _shapes_for(nt: bytes) -> Graph:
    """The shapes with each SPARQL target replaced by the focus nodes Oxigraph finds for it in
    this report (with the ontology)."""
    import pyoxigraph as ox
    from rdflib import Literal
    from rdflib.namespace import SH

    if not _CONTEXT.get("oxigraph_targets"):
        return _CONTEXT["shapes"]
    scratch = ox.Store()
    scratch.load(_CONTEXT["ontology_nt"] + nt, format=ox.RdfFormat.N_TRIPLES)
    shapes = Graph()
    shapes += _CONTEXT["shapes_rest"]
    for shape, select, prefixes in _CONTEXT["targets"]:
        for row in scratch.query(select, prefixes=prefixes):
            node = row["this"]
            if isinstance(node, ox.NamedNode):
                shapes.add((shape, SH.targetNode, URIRef(node.value)))
            elif isinstance(node, ox.Literal):
                shapes.add((shape, SH.targetNode, Literal(node.value)))
    return shapes


def _unit_graph(unit: Unit, encoding: str | None) -> Graph:
    data = Graph()
    if unit.source is not None:
        import pyoxigraph as ox

        from tckg.store.persistent import exact_quads

        graphs = exact_quads(Path(unit.source), encoding=encoding)
        nt = ox.serialize(graphs.get(str(unit.name), []), format=ox.RdfFormat.N_TRIPLES)
    else:
        nt = unit.ntriples or b""
    data.parse(data=(nt + unit.imports).decode("utf-8"), format="nt")
    if unit.source is not None:
        from tckg.store.canonical import canonical_numbers

        canonical_numbers(data)  # as tckg.store.load reads files
    return data


def validate_unit(unit: Unit, encoding: str | None = None) -> dict[str, Any]:
    """One report with the ontology against the shapes (in this process); a JSON-able verdict."""
    from tckg.validate import _report_from_graph, _run_pyshacl

    data = _unit_graph(unit, encoding)
    imported = typed_elsewhere(unit)
    own = len(data)
    shapes = _shapes_for(data.serialize(format="nt", encoding="utf-8"))
    data += _CONTEXT["ontology"]
    report = _report_from_graph(data, _CONTEXT["shapes"], _run_pyshacl(data, shapes))
    # what other reports state is checked with them, not here
    results = [r for r in report.results if r.focus not in imported]
    return {"format": CACHE_FORMAT, "triples": own,
            "results": [dict(asdict(r), severity=r.severity.value) for r in results]}


def _child(conn: Any, unit: Unit, encoding: str | None) -> None:
    try:
        conn.send(("ok", validate_unit(unit, encoding)))
    except RecursionError:
        conn.send(("error", "it is nested too deeply to check"))
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a message to the parent
        conn.send(("error", f"{type(exc).__name__}: {str(exc)[:300]}"))
    finally:
        conn.close()


def _run_parallel(units: list[Unit], jobs: int, timeout: float, encoding: str | None,
                  on_done: Any = None) -> dict[str, dict[str, Any]]:
    """Validate the units, ``jobs`` at a time, each in a forked child with its own deadline."""
    from tckg.validate import ValidationError

    ctx = multiprocessing.get_context("fork")
    pending = list(units)
    running: dict[Any, tuple[Any, Unit, float]] = {}
    done: dict[str, dict[str, Any]] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                unit = pending.pop(0)
                receiver, sender = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(sender, unit, encoding), daemon=True,
                                   name="tckg-validate")
                proc.start()
                sender.close()
                running[receiver] = (proc, unit, time.monotonic() + timeout)
            now = time.monotonic()
            soonest = min(deadline for _, _, deadline in running.values())
            ready = wait_any(list(running), timeout=max(0.0, soonest - now))
            for receiver in ready:
                proc, unit, _ = running.pop(receiver)
                try:
                    status, payload = receiver.recv()
                except EOFError:
                    status, payload = "error", f"the process stopped (exit code {proc.exitcode})"
                receiver.close()
                proc.join()
                if status != "ok":
                    raise ValidationError(f"validation of {unit.name} could not finish: {payload}. "
                                          "The data graph may be cyclic or nested too deeply for "
                                          "the shapes. 验证无法完成。")
                done[unit.key] = payload
                if on_done is not None:  # cached at once: a stopped run keeps what it did
                    on_done(unit.key, payload)
            now = time.monotonic()
            for receiver, (_proc, unit, deadline) in list(running.items()):
                if now >= deadline and receiver not in ready:
                    raise ValidationError(
                        f"validation of {unit.name} ran longer than {timeout:g} s and was "
                        "stopped (setting validation_timeout, per report; raise it with "
                        f"--validation-timeout). 验证超过 {timeout:g} 秒，已终止。")
    finally:
        for receiver, (proc, _, _) in running.items():
            if proc.is_alive():
                proc.kill()
            proc.join()
            receiver.close()
    return done


# -- the cache -----------------------------------------------------------------------------------

# -- the run -------------------------------------------------------------------------------------

def validate_incremental(dataset: Any, shapes: Graph | None = None, *, timeout: float | None = None,
                         jobs: int | None = None, use_cache: bool = True,
                         encoding: str | None = None) -> Any:
    """Validate every graph of the dataset on its own (cached, in parallel), then the checks
    that span reports; one :class:`~tckg.validate.ValidationReport`."""
    from tckg.io.paths import ontology_files, shapes_files
    from tckg.store.persistent import tckg_version
    from tckg.validate import Severity, ValidationReport, ValidationResult, load_shapes
    from tckg.validate.crossreport import cross_report_results

    started = time.perf_counter()
    timeout = float(SETTINGS["validation_timeout"].value if timeout is None else timeout)
    encoding = encoding or getattr(dataset.store, "encoding", None)
    if shapes is None:
        shapes_digest = _files_digest(shapes_files())
    else:
        shapes_digest = _sha(b"".join(sorted(shapes.serialize(format="nt", encoding="utf-8")
                                             .splitlines(True))))
    manifest = getattr(dataset.store, "manifest", None)
    if manifest is not None and "<ontology>" in manifest["files"]:
        onto_digest = manifest["files"]["<ontology>"]["sha256"]
    else:
        onto_digest = _files_digest(ontology_files())
    folder = cache_dir_for(dataset)
    units = units_of(dataset)
    stats = RunStats(units=len(units))
    verdicts: dict[str, dict[str, Any]] = {}
    missing: list[Unit] = []
    def key_of(digest: str, imports: bytes) -> str:
        return _sha(digest, imports, shapes_digest, onto_digest, tckg_version(), str(CACHE_FORMAT))

    for unit in units:
        unit.imports = _imports(dataset, unit)
        unit.key = key_of(unit.digest, unit.imports)
    # the whole run (every verdict and the cross-report checks) for exactly these reports
    run_key = _sha("run", *sorted(u.key for u in units))
    whole = read_cache(folder, run_key, CACHE_FORMAT) if use_cache else None
    if whole is not None:
        stats.cached = len(units)
        stats.seconds = time.perf_counter() - started
        report = ValidationReport(
            conforms=whole["conforms"], triples=whole["triples"],
            results=[ValidationResult(**dict(r, severity=Severity(r["severity"])))
                     for r in whole["results"]])
        report.stats = stats  # type: ignore[attr-defined]
        report.cache = (folder, key_of, {})  # type: ignore[attr-defined]
        return report
    for unit in units:
        cached = read_cache(folder, unit.key, CACHE_FORMAT) if use_cache else None
        if cached is not None:
            verdicts[unit.key] = cached
            stats.cached += 1
        else:
            missing.append(unit)
    if missing:
        _prepare_context(shapes if shapes is not None else load_shapes(),
                         dataset.store.graph(ONTOLOGY_GRAPH))
        stats.jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        fresh = _run_parallel(missing, stats.jobs, timeout, encoding,
                              (lambda key, payload: write_cache(folder, key, payload))
                              if use_cache else None)
        verdicts.update(fresh)
        stats.validated = len(missing)
    results: list[ValidationResult] = []
    seen: set[tuple[Any, ...]] = set()
    triples = 0
    for unit in units:
        payload = verdicts[unit.key]
        triples += payload["triples"]
        for raw in payload["results"]:
            r = ValidationResult(**dict(raw, severity=Severity(raw["severity"])))
            ident = (r.severity, r.focus, r.path, r.value, r.component, r.shape, r.message_en)
            if ident not in seen:  # a shared place or body is checked with every report
                seen.add(ident)
                results.append(r)
    if manifest is not None and "<ontology>" in manifest["files"]:
        triples += manifest["files"]["<ontology>"].get("triples", 0)
    elif ONTOLOGY_GRAPH in dataset.store.graph_names():
        triples += len(dataset.store.graph(ONTOLOGY_GRAPH))
    # each report's rows for the joins are cached too: after an add, one graph is read
    results.extend(cross_report_results(dataset, units, folder if use_cache else None))
    results.sort(key=lambda r: (r.severity != Severity.VIOLATION, r.focus, r.path or "", r.component))
    conforms = not any(r.severity is Severity.VIOLATION for r in results)
    stats.seconds = time.perf_counter() - started
    report = ValidationReport(conforms=conforms, results=results, triples=triples)
    if use_cache:
        write_cache(folder, run_key, {"format": CACHE_FORMAT, "conforms": conforms,
                                       "triples": triples,
                                       "results": [dict(asdict(r), severity=r.severity.value)
                                                   for r in results]})
    report.stats = stats  # type: ignore[attr-defined]
    report.cache = (folder if use_cache else None, key_of,  # type: ignore[attr-defined]
                    {str(u.name): (u, verdicts[u.key]) for u in units})
    return report


def remember_file_verdict(report: Any, name: URIRef, file_bytes: bytes) -> None:
    """Cache a graph's verdict under the key its file will have once written (``tckg add``
    validated the report before writing it; the next command need not validate it again)."""
    cache = getattr(report, "cache", None)
    if not cache or cache[0] is None or str(name) not in cache[2]:
        return
    folder, key_of, units = cache
    unit, payload = units[str(name)]
    digest = _sha(hashlib.sha256(file_bytes).hexdigest(), str(name))
    write_cache(folder, key_of(digest, unit.imports), payload)
