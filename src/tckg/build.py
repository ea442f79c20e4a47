"""``tckg build``: load once, validate once, write the whole site to ``out/`` or nothing.

The site is written into a temporary folder beside the output and swapped in at the end,
so a failed build leaves the previous site as it was. The swap is one system call,
``renameat2(RENAME_EXCHANGE)``, which exchanges the two folders atomically: at every instant
``out/`` is a complete site, the old one or the new one (see :func:`swap_in`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tckg.errors import TckgError
from tckg.io.write import atomic_write_text
from tckg.store.load import TckDataset, load_dataset
from tckg.validate import ValidationReport, validate_dataset

COUNT_ORDER = ["reports", "targets", "achievements", "task areas", "measures", "review areas",
               "projects", "enterprises", "bodies", "places", "campaigns", "evidence"]


@dataclass
class BuildSummary:
    out_dir: Path
    conforms: bool
    validation: ValidationReport
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def count_entities(dataset: TckDataset) -> dict[str, int]:
    from tckg.sparql.run import query

    rows = query("counts", dataset).rows
    found = {str(r["type"]): int(r["count"]) for r in rows}
    return {key: found.get(key, 0) for key in COUNT_ORDER}


MARKER = ".tckg-site"


class BuildError(TckgError):
    """The output folder cannot be (re)written."""


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace anything tckg did not write: a file, or a folder without its marker.

    The site replaces the whole output folder, so ``-o ~`` must not mean "delete my home".
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} is a file, not a folder; choose another output folder with -o.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise BuildError(f"{out_dir} is a folder tckg did not write (it has no {MARKER} file), and "
                         "building would replace it; choose an empty or new folder with -o.")


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: Any = None


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically with Linux's ``renameat2(RENAME_EXCHANGE)``.

    True when done; False where this system or filesystem cannot (then the caller falls back).
    """
    global _renameat2
    if not sys.platform.startswith("linux"):
        return False
    if _renameat2 is None:
        try:
            fn = ctypes.CDLL(None, use_errno=True).renameat2
        except (AttributeError, OSError):  # glibc before 2.28, or another libc
            _renameat2 = False
            return False
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        _renameat2 = fn
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the kernel or the filesystem has no exchange
    raise OSError(code, os.strerror(code), str(b))


def swap_in(tmp: Path, out_dir: Path) -> None:
    """Make the finished site ``tmp`` the folder ``out_dir``, with no instant without a site.

    A new ``out_dir`` is one ``rename``. An existing one is exchanged with ``tmp`` in one
    ``renameat2(RENAME_EXCHANGE)`` call, after which ``tmp`` holds the old site and is removed.
    ``out_dir`` stays a real folder (not a symlink), so servers, ``rsync`` and earlier sites
    need no change. Where the exchange is unavailable (not Linux, or a filesystem without it)
    the old site is renamed aside and the new one renamed in: two calls, with a gap between.
    """
    if not out_dir.is_symlink() and not out_dir.exists():
        try:
            tmp.rename(out_dir)
            return
        except OSError as exc:  # another build created it meanwhile: exchange with that one
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if _exchange(tmp, out_dir):
        _remove(tmp)
        return
    old = tmp.with_name(tmp.name.replace(".build-", ".old-", 1))
    out_dir.rename(old)
    tmp.rename(out_dir)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:build|old)-(?P<pid>\d+)-[0-9a-f]{8}$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(out_dir: Path) -> list[Path]:
    """Remove the build folders of earlier builds that were killed (their process is gone).

    Only folders named ``.<out>.build-<pid>-<hex>`` or ``.<out>.old-<pid>-<hex>`` beside
    ``out_dir`` whose process no longer runs; a build running now keeps its folder.
    """
    removed = []
    try:
        entries = list(out_dir.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match and match["name"] == out_dir.name and entry.is_dir() and not entry.is_symlink() \
                and not _alive(int(match["pid"])):
            _remove(entry)
            removed.append(entry)
    return removed


def _make_build_folder(out_dir: Path) -> Path:
    """An empty folder beside ``out_dir`` with the mode ``out_dir`` has (or the umask gives)."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        mode = out_dir.stat().st_mode & 0o7777 if out_dir.is_dir() else 0o777 & ~umask
    except OSError:
        mode = 0o777 & ~umask
    while True:
        tmp = out_dir.with_name(f".{out_dir.name}.build-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            tmp.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(tmp, mode)  # mkdir's mode is filtered by the umask; the site gets the usual one
        return tmp


def build_site(out_dir: Path, files: Iterable[Path] | None = None, *, encoding: str | None = None,
               console: Any = None, store: str | None = None, store_dir: Path | None = None,
               jobs: int | None = None) -> BuildSummary:
    """Build the site; on non-conforming data, write nothing and return the report."""
    out_dir = Path(out_dir)
    check_out_dir(out_dir)

    def step(text: str) -> None:
        if console is not None:
            console.print(f"[dim]· {text}[/dim]")

    step("loading")
    dataset = load_dataset(files, encoding=encoding, store=store, store_dir=store_dir)
    try:
        return _build(dataset, out_dir, step, jobs)
    finally:
        dataset.close()


def _build(dataset: TckDataset, out_dir: Path, step: Any, jobs: int | None) -> BuildSummary:
    from tckg.track import load_manual_assessments

    step("validating")
    report = validate_dataset(dataset, jobs=jobs)
    # Analysts' verdicts (data/assessments/*.ttl) count in the site as they do in `tckg track`;
    # loaded after validation because they are checked by tckg.track, not by the report shapes.
    load_manual_assessments(dataset)
    summary = BuildSummary(out_dir, report.conforms, report)
    if not report.conforms:
        return summary

    from tckg.html.overview import write_site_views
    from tckg.html.site import report_titles, write_index
    from tckg.track import add_assessments, assess, write_assessments

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    tmp = _make_build_folder(out_dir)
    try:
        step("scoring targets")
        scorecard = assess(dataset)
        write_assessments(scorecard, tmp / "assessments.ttl")
        add_assessments(dataset, scorecard)  # so tckg.trig carries graph/assessments too
        from tckg.html.scorecard_page import status_by_target, write_scorecard_html

        write_scorecard_html(scorecard, tmp / "scorecard.html")
        summary.statuses = scorecard.status_counts()
        statuses = status_by_target(scorecard)
        del scorecard  # every verdict with its quotes: hundreds of MB at N = 1,000 reports
        step("drawing the graph")
        # one page up to a few thousand nodes, else an overview with a file per view
        write_site_views(dataset, tmp, statuses=statuses)
        step("writing the data and the index")
        stream = getattr(dataset.store, "write_trig", None)  # the persistent store streams it
        if stream is not None:
            stream(tmp / "tckg.trig")
        else:
            atomic_write_text(tmp / "tckg.trig", dataset.store.to_trig())
        summary.counts = count_entities(dataset)
        write_index(tmp / "index.html", summary, titles=report_titles(dataset))
        summary.files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        atomic_write_text(tmp / MARKER, "This folder was written by tckg build and is replaced "
                          "whole by the next build.\n")
        swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary
