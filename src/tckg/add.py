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

Two ``tckg add`` runs on the same data folder are serialised: the check and the write happen
under an exclusive lock on the folder (``flock`` on the folder itself, so no lock file is left
in the data), and the second run validates against the report the first one stored.

A report speaks only for itself: it may state facts about its own resources
(``…/report/<slug>`` and below) and about the shared reference entities (places, bodies,
projects, campaigns, indicators), never about another report's resources, the ontology or its
schemes, and it may not carry manual assessments, which come only from the analyst's own
files in ``data/assessments/`` (:func:`check_scope`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tckg.errors import TckgError
from tckg.io.turtle import turtle
from tckg.namespaces import BASE, CAMPAIGN, GRAPH, IND, ORGS, PLACE, PROJECT, REPORT, TCK, bind_prefixes
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



MAX_SLUG = 150  # characters of a report slug: its file name plus a temporary suffix fit 255 bytes

def _one_report(graph: Graph, path: Path) -> tuple[URIRef, str]:
    reports = sorted(set(graph.subjects(RDF.type, TCK.Report)))
    if len(reports) != 1:
        raise AddError(f"{path}: describes {len(reports)} reports (tck:Report); a file added with "
                       "tckg add must describe exactly one. 文件须恰好描述一份报告。")
    report = reports[0]
    slug = local_name(report, REPORT)
    if len(slug) > MAX_SLUG:
        # the stored file and its temporary would pass the file system's 255-byte name limit
        # ("internal error: File name too long")
        raise AddError(f"{path}: the report's slug is {len(slug):,} characters long; a stored "
                       f"report's slug (its file name) has at most {MAX_SLUG}. Shorten the "
                       f"report IRI {REPORT}<slug>. 报告标识过长。")
    if not SLUG.fullmatch(slug):
        raise AddError(f"{path}: the report's IRI <{report}> is not of the form "
                       f"{REPORT}<slug> with a lowercase ASCII slug; the slug names the stored "
                       "file. 报告 IRI 须为 …/report/<slug>。")
    return URIRef(report), slug


# Shared reference entities a report may describe (add a place's label, a new indicator …).
SHARED_NAMESPACES = (str(PLACE), str(ORGS), str(PROJECT), str(CAMPAIGN), str(IND))
_GENID = f"{BASE}.well-known/genid/"


def check_scope(graph: Graph, report: URIRef, path: Path) -> None:
    """Refuse statements a report may not make: about another report's resources, about
    anything outside the shared reference namespaces, and manual assessments."""
    own = str(report)
    manual = sorted({str(s) for s in graph.subjects(TCK.isManual, None)}
                    | {str(s) for s in graph.subjects(RDF.type, TCK.Assessment)})
    if manual:
        raise AddError(f"{path}: carries the assessment <{manual[0]}>"
                       + (f" and {len(manual) - 1} more" if len(manual) > 1 else "")
                       + "; a report may not assess targets. Manual verdicts are kept apart, in "
                       "data/assessments/*.ttl, where the scorecard shows them as manual; remove "
                       "it from the report and record it there. 报告不得携带评估；人工评估请写入 "
                       "data/assessments/。")
    genid = skolem_prefix(path)
    for s in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        iri = str(s)
        if iri == own or iri.startswith(own + "/") or iri.startswith(SHARED_NAMESPACES):
            continue
        if iri.startswith(genid):  # a blank node of this very file, skolemised on parsing
            continue
        whose = ""
        if iri.startswith(str(REPORT)):
            whose = f" (it belongs to the report {local_name(iri, REPORT).split('/', 1)[0]})"
        raise AddError(f"{path}: states facts about <{iri}>{whose}; a report may describe only its "
                       f"own resources (<{own}> and below) and the shared places, bodies, projects, "
                       "campaigns and indicators. Remove those triples, or describe the resource "
                       "under the report's own IRI. 报告只能描述自身资源与共享的地区、机构、项目、"
                       "活动和指标。")


def skolem_prefix(path: Path) -> str:
    """The prefix of the skolem IRIs :func:`tckg.store.load.parse_file` gives this file's blank nodes."""
    return f"{_GENID}{re.sub(r'[^A-Za-z0-9_-]', '_', Path(path).stem)}/"


@contextlib.contextmanager
def data_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the data folder while checking and writing.

    ``flock`` on the folder's own file descriptor: released by the kernel when the process
    ends however it ends (also ``kill -9``), and nothing is written into the data. Where the
    folder cannot be locked (a filesystem without ``flock`` on folders), a ``.tckg-add.lock``
    file beside it is locked instead.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no cross-process lock; tckg add stays exclusive-create
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno not in (errno.EBADF, errno.EINVAL, errno.ENOLCK, errno.EOPNOTSUPP):
                raise
            os.close(fd)
            fd = os.open(folder.parent / f".{folder.name}.tckg-add.lock", os.O_RDWR | os.O_CREAT, 0o666)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def add_report(path: Path | str, *, data_dir: Path | str | None = None,
               encoding: str | None = None, store: str | None = None,
               store_dir: Path | str | None = None, replace: bool = False) -> AddResult:
    """Validate ``path`` with the data in ``data_dir`` and store it as ``reports/<slug>.ttl``.

    Raises :class:`tckg.io.errors.LoadError` (unreadable, exit 2), :class:`AddError` (not one
    report, or that report is already there, exit 2) or :class:`AddRefused` (does not
    conform, exit 1, with the validation report). Nothing is written unless it conforms.

    A report already in the data (the same slug, the same source text, or the same
    government, plan year and kind: :func:`duplicate_of`) is refused, unless ``replace``:
    then the new file takes the old one's place, validated without it, and the old file is
    removed once the new one is stored (the bundled ``data/report.ttl`` is never replaced).
    """
    from tckg.io.paths import data_dir as default_data_dir
    from tckg.store.load import parse_file

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
    check_scope(graph, report, path)
    # The check and the write under one lock: a second add waits, then sees the first.
    with data_lock(data):
        return _check_and_write(path, data, graph, report, slug, store, store_dir, replace)


def _check_and_write(path: Path, data: Path, graph: Graph, report: URIRef, slug: str,
                     store: str | None, store_dir: Path | str | None, replace: bool) -> AddResult:
    from tckg.io.paths import default_data_files
    from tckg.store.load import load_dataset

    dest = data / "reports" / f"{slug}.ttl"
    old: Path | None = None
    if dest.is_symlink():  # not a report tckg add stored: never written through nor replaced
        raise AddError(f"{dest} is a symlink; tckg add neither writes through it nor replaces it, "
                       "so nothing was written. Remove the link yourself if it should not be "
                       "there. 目标是符号链接，tckg add 不会写入或替换它。")
    if dest.exists():
        if not replace:
            raise AddError(f"{dest} already exists: the report {slug} has been added before; "
                           "nothing was written. To replace it: tckg add --replace "
                           f"{path}; to remove it: tckg remove {slug}. 该报告已添加过，未写入；"
                           "替换请用 --replace，删除请用 tckg remove。")
        old = dest
    existing = default_data_files(data)

    def load(files: list[Path]):  # noqa: ANN202
        # With the persistent store the existing reports are not reparsed and their verdicts
        # come from the cache: the cost is this report's validation plus the cross-report checks.
        from tckg.store.persistent import store_dir_for

        # one store per data folder, even while the folder holds no report yet
        return load_dataset(files, store=store, store_dir=store_dir if store_dir is not None
                            else store_dir_for([data / "reports" / "new.ttl"]))

    dataset = load([f for f in existing if f != old])
    try:
        dup = duplicate_of(graph, report, dataset)
        if dup is not None:
            other, why, source = dup
            other_slug = local_name(other, REPORT)
            bundled = source is None or \
                Path(source).resolve().parent != (data / "reports").resolve()
            if not replace:
                how = ("it is the bundled report, compiled from data/source/" if bundled else
                       f"to replace it: tckg add --replace {path}; to remove it: tckg remove "
                       f"{other_slug}")
                raise AddError(f"{path}: the report is already in the data as {other_slug} ({why}, "
                               f"in {source}); nothing was written, so no count is doubled "
                               f"({how}). 该报告已在数据中（重复添加会使计数翻倍），未写入。")
            if bundled:
                raise AddError(f"{path}: it would replace {other_slug} in {source}, the bundled "
                               "report, which is compiled from data/source/ (python -m "
                               "tckg.compile); tckg add --replace only replaces reports stored "
                               "with tckg add. 内置报告不能替换。")
            old = Path(source)
            dataset.close()
            dataset = load([f for f in existing if f not in (old, dest)])
        return _add(dataset, graph, path, report, slug, dest, old)
    finally:
        dataset.close()


def _add(dataset, graph: Graph, path: Path, report: URIRef, slug: str,  # noqa: ANN001
         dest: Path, old: Path | None = None) -> AddResult:
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
    text = turtle(graph)
    if old is not None and old == dest:
        from tckg.io.write import atomic_write_bytes

        atomic_write_bytes(dest, text.encode("utf-8"))  # one rename: old or new, never neither
    else:
        create_new_file(dest, text.encode("utf-8"))
        if old is not None:
            old.unlink()  # the new report is stored; the one it replaces goes
    from tckg.validate.engine import remember_file_verdict

    remember_file_verdict(validation, name, text.encode("utf-8"))  # the next validate reuses it
    return AddResult(dest, slug, report, name, len(graph),
                     (report, TCK.isDraft, None) in graph and any(
                         o.toPython() is True for o in graph.objects(report, TCK.isDraft)),
                     validation)


def _report_key(graph: Graph, report: URIRef) -> tuple[str | None, tuple[str, ...] | None]:
    from rdflib.namespace import DCTERMS

    text = graph.value(report, TCK.sourceText)
    digest = graph.value(text, TCK.sha256) if text is not None else None
    parts = (graph.value(report, DCTERMS.creator), graph.value(report, TCK.planYear),
             graph.value(report, TCK.reportKind))
    return (str(digest) if digest is not None else None,
            tuple(str(p) for p in parts) if all(p is not None for p in parts) else None)


def duplicate_of(graph: Graph, report: URIRef, dataset: object
                 ) -> tuple[URIRef, str, Path | None] | None:
    """The report of ``dataset`` that ``report`` (in ``graph``) repeats, why, and its file:
    the same source text (``tck:sourceText``'s SHA-256), or the same government
    (``dcterms:creator``), plan year and kind of report. ``None`` when it is new."""
    digest, key = _report_key(graph, report)
    # point reads by index on the persistent store: dataset.union() copied the whole corpus
    # into rdflib (36 of 40 s of tckg add at N = 100 reports, and 1 GB)
    lookup = getattr(dataset, "lookup", None)
    union = lookup() if lookup is not None else dataset.union()  # type: ignore[attr-defined]
    for other in sorted(set(union.subjects(RDF.type, TCK.Report)), key=str):
        if other == report:
            continue
        other_digest, other_key = _report_key(union, other)
        why = None
        if digest is not None and digest == other_digest:
            why = f"the same source text, SHA-256 {digest[:12]}…"
        elif key is not None and key == other_key:
            why = f"the same government and plan year {key[1]}"
        if why:
            slug = local_name(other, REPORT)
            source = dataset.sources.get(GRAPH[slug])  # type: ignore[attr-defined]
            return URIRef(other), why, Path(source) if source is not None else None
    return None


class RemoveRefused(AddRefused):
    """Without the report the rest of the data would not conform; ``report`` says why."""


def remove_report(key: str, *, data_dir: Path | str | None = None) -> Path:
    """Remove a report stored with ``tckg add`` (by slug, report IRI or file path).

    The remaining data must still conform (another report may rely on places or bodies it
    declares): otherwise :class:`RemoveRefused` and nothing changes. The file goes with one
    ``unlink``, so the data holds the report or it does not, never half of it.
    """
    from tckg.io.paths import data_dir as default_data_dir
    from tckg.io.paths import default_data_files
    from tckg.store.load import load_dataset
    from tckg.validate import validate_dataset

    data = Path(data_dir) if data_dir is not None else default_data_dir()
    slug = key.strip()
    slug = local_name(slug, REPORT) or slug
    slug = Path(slug).name.removesuffix(".ttl") if slug.endswith(".ttl") else slug
    stored = sorted(p.stem for p in (data / "reports").glob("*.ttl"))
    target = data / "reports" / f"{slug}.ttl"
    if not SLUG.fullmatch(slug) or not target.is_file():
        from tckg.suggest import hint

        bundled = " (the bundled report in data/report.ttl is compiled from data/source/ and " \
                  "is not removed by tckg remove)" if (data / "report.ttl").exists() else ""
        raise AddError(f"there is no stored report {key!r} in {data / 'reports'}; the reports "
                       f"stored with tckg add are: {', '.join(stored) or 'none'}{bundled}."
                       f"{hint(slug, stored)} 没有该报告。")
    with data_lock(data):  # not while a tckg add checks against this report
        rest = [f for f in default_data_files(data) if f.resolve() != target.resolve()]
        validation = validate_dataset(load_dataset(rest))
        if not validation.conforms:
            n = len(validation.violations)
            raise RemoveRefused(f"{target}: not removed; without it the rest of the data does not "
                                f"conform ({n} violation{'s' if n != 1 else ''}), e.g. another "
                                "report relies on what it declares. Nothing was changed. 删除后其余"
                                "数据验证不通过，未作更改。", validation)
        target.unlink()
    return target


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
