"""``tckg add``: store a new report (a reviewed draft) beside the existing ones, safely.

The file is parsed with the same safe loader as everything else, validated **together with
the existing data** (so its indicators, places and bodies must fit theirs), and only if the
whole conforms is it written as ``data/reports/<slug>.ttl``, where ``load_dataset`` and
``tckg track`` pick it up. A refused file changes nothing.

Existing files are never opened for writing: the new file is created under a name that does
not exist yet, by a write that is atomic even when the process is killed half-way. On Linux
the bytes go to an anonymous ``O_TMPFILE`` inode in ``data/reports/`` that only receives its
name (``linkat``) once complete and synced, so a crash leaves neither a partial report nor a
temporary file; elsewhere :func:`tckg.io.write.atomic_write_bytes` (temporary file + rename) is
used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tckg.errors import TckgError
from tckg.namespaces import GRAPH, REPORT, TCK, bind_prefixes
from tckg.vocab.iri import SLUG, local_name


class AddError(TckgError):
    """The file cannot be added as it is (unreadable, not one report, already present)."""

    exit_code = 2


class AddRefused(TckgError):
    """The file does not conform together with the existing data; ``report`` says why."""

    exit_code = 1

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class AddResult:
    path: Path
    slug: str
    report: URIRef
    graph_name: URIRef
    triples: int
    is_draft: bool
    validation: object


def _one_report(graph: Graph, path: Path) -> tuple[URIRef, str]:
    reports = sorted(set(graph.subjects(RDF.type, TCK.Report)))
    if len(reports) != 1:
        raise AddError(f"{path}: describes {len(reports)} reports (tck:Report); a file added with "
                       "tckg add must describe exactly one. 文件须恰好描述一份报告。")
    report = reports[0]
    slug = local_name(report, REPORT)
    if not SLUG.fullmatch(slug):
        raise AddError(f"{path}: the report's IRI <{report}> is not of the form "
                       f"{REPORT}<slug> with a lowercase ASCII slug; the slug names the stored "
                       "file. 报告 IRI 须为 …/report/<slug>。")
    return URIRef(report), slug


def add_report(path: Path | str, *, data_dir: Path | str | None = None,
               encoding: str | None = None, store: str | None = None,
               store_dir: Path | str | None = None) -> AddResult:
    """Validate ``path`` with the data in ``data_dir`` and store it as ``reports/<slug>.ttl``.

    Raises :class:`tckg.io.errors.LoadError` (unreadable, exit 2), :class:`AddError` (not one
    report, or that report is already there, exit 2) or :class:`AddRefused` (does not
    conform, exit 1, with the validation report). Nothing is written unless it conforms.
    """
    from tckg.io.paths import data_dir as default_data_dir
    from tckg.io.paths import default_data_files
    from tckg.store.load import load_dataset, parse_file

    path = Path(path)
    data = Path(data_dir) if data_dir is not None else default_data_dir()
    parsed = parse_file(path, encoding=encoding)
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    for g in parsed.graphs.values():
        for triple in g:
            graph.add(triple)
    if len(graph) == 0:
        raise AddError(f"{path}: holds no triples; nothing to add. 文件为空。")
    report, slug = _one_report(graph, path)
    dest = data / "reports" / f"{slug}.ttl"
    if dest.exists():
        raise AddError(f"{dest} already exists: the report {slug} has been added before. tckg add "
                       "never replaces a stored file; remove it yourself first if you mean to "
                       "replace it. 该报告已添加过；tckg add 不会覆盖已有文件。")
    existing = default_data_files(data)
    # With the persistent store the existing reports are not reparsed and their verdicts come
    # from the cache: the cost is this report's validation plus the cross-report checks.
    dataset = load_dataset(existing, store=store,
                           store_dir=store_dir if store_dir is not None or existing else
                           data / ".tckg-store")
    try:
        return _add(dataset, graph, path, report, slug, dest)
    finally:
        dataset.close()


def _add(dataset, graph: Graph, path: Path, report: URIRef, slug: str,  # noqa: ANN001
         dest: Path) -> AddResult:
    from tckg.validate import validate_dataset

    name = GRAPH[slug]
    if name in dataset.sources:
        raise AddError(f"{path}: the report {slug} is already in {dataset.sources[name]}; a report "
                       "is stored once. 该报告已存在于现有数据中。")
    dataset.store.add_graph(name, graph)
    dataset.sources[name] = path
    validation = validate_dataset(dataset)
    if not validation.conforms:
        n = len(validation.violations)
        raise AddRefused(f"{path}: refused; together with the existing data it does not conform "
                         f"({n} violation{'s' if n != 1 else ''}). Nothing was written. Fix the "
                         "file and run tckg add again. 与现有数据一起验证未通过，未写入任何文件。",
                         validation)
    text = graph.serialize(format="longturtle")
    create_new_file(dest, text.encode("utf-8"))
    from tckg.validate.engine import remember_file_verdict

    remember_file_verdict(validation, name, text.encode("utf-8"))  # the next validate reuses it
    return AddResult(dest, slug, report, name, len(graph),
                     (report, TCK.isDraft, None) in graph and any(
                         o.toPython() is True for o in graph.objects(report, TCK.isDraft)),
                     validation)


def create_new_file(dest: Path, data: bytes) -> None:
    """Create ``dest`` with ``data`` atomically; fail if it exists; never replace a file.

    :func:`tckg.io.write.atomic_write_bytes` with ``exclusive=True``: the bytes get their name
    only when complete, and the name is refused rather than replaced if ``dest`` appeared
    meanwhile (another ``tckg add`` of the same report).
    """
    from tckg.io.write import atomic_write_bytes

    try:
        atomic_write_bytes(Path(dest), data, exclusive=True)
    except FileExistsError:
        raise AddError(f"{dest} already exists (another tckg add of the same report?); "
                       "nothing was replaced.") from None
