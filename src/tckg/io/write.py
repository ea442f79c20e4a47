"""Atomic writes: a reader, or a crash, sees the old file or the new one, never a part.

How, on Linux (``O_TMPFILE`` and ``linkat``):

- The bytes go to an anonymous inode in the target folder (``open(folder, O_TMPFILE)``) and
  are fsynced. A process killed up to here leaves nothing: the kernel frees an inode that has
  no name.
- A **new file that must not replace anything** (``exclusive=True``, as ``tckg add`` uses)
  then gets its name in one call, ``linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, path,
  AT_SYMLINK_FOLLOW)``, which fails if the name exists. No temporary name is ever visible.
  (Python's ``os.link`` cannot do this: it calls ``link()``, which does not follow the
  ``/proc`` symlink and fails with EXDEV, so ctypes calls ``linkat`` itself.)
- A **replacing write** links the inode to a temporary name ``.<name>.<pid>-<hex>.tmp`` and
  renames that over the target: the temporary name exists only between those two calls.

Elsewhere (no ``O_TMPFILE``, or a filesystem without it) the bytes go to a named temporary
file of the same pattern, which is renamed (or, exclusive, linked) into place and removed on
any error we get to see.

A temporary file can only outlive its writer if the writer is killed in that short window. It
is then *stale*: its name carries the pid of a process that no longer runs, and the next write
to the same target removes it. A temporary file of a writer that is still running is never
touched, so concurrent writers do not delete each other's files.

Failures of the machine (disk full, read-only, permission denied) are raised as
:class:`tckg.errors.EnvironmentProblem` naming the target path (still an ``OSError``).
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import sys
from pathlib import Path

from tckg.errors import environment_problem

_AT_FDCWD = -100
_AT_SYMLINK_FOLLOW = 0x400
_linkat = None


def atomic_write_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader, or a crash, sees the old file or the new one.

    With ``exclusive=True`` an existing ``path`` is never replaced: :class:`FileExistsError`.
    New files get the usual ``0o666 & ~umask`` mode; a replaced file keeps its mode.
    """
    path = Path(path)
    try:
        _write(path, data, exclusive)
    except FileExistsError:
        raise
    except OSError as exc:
        problem = environment_problem(exc, path)
        if problem is None:
            raise
        raise problem from None


def _write(path: Path, data: bytes, exclusive: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and (path.exists() or path.is_symlink()):
        raise FileExistsError(path)
    mode = _file_mode(path)
    remove_stale_temporaries(path)
    fd = _anonymous_file(path.parent, mode)
    if fd is not None:
        try:
            _write_all(fd, data)
            if exclusive:
                if _link_fd(fd, path):
                    _fsync_dir(path.parent)
                    return
            else:
                tmp = _temporary_name(path)
                if _link_fd(fd, tmp):
                    try:
                        os.replace(tmp, path)
                    except BaseException:
                        tmp.unlink(missing_ok=True)
                        raise
                    _fsync_dir(path.parent)
                    return
        finally:
            os.close(fd)
    tmp = _temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        os.close(fd)
        fd = -1
        if exclusive:
            os.link(tmp, path)  # fails rather than replaces if path appeared meanwhile
            tmp.unlink()
        else:
            os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
        raise


def _temporary_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove ``.<name>.<pid>-<hex>.tmp`` files beside ``path`` whose writer no longer runs."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)-[0-9a-f]{{8}}\.tmp$")
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match and not _alive(int(match.group(1))) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except FileNotFoundError:
                pass  # another writer removed it first
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _anonymous_file(folder: Path, mode: int) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or _linkat_function() is None:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as exc:
        if environment_problem(exc) is not None:
            raise  # a full or read-only disk is the answer, not a reason to try another way
        return None  # the filesystem does not support O_TMPFILE
    os.fchmod(fd, mode)
    return fd


def _linkat_function():  # noqa: ANN202 - a ctypes function or None
    global _linkat
    if _linkat is None:
        _linkat = False
        if sys.platform.startswith("linux"):
            try:
                fn = ctypes.CDLL(None, use_errno=True).linkat
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                               ctypes.c_int]
                fn.restype = ctypes.c_int
                _linkat = fn
            except (AttributeError, OSError):
                pass
    return _linkat or None


def _link_fd(fd: int, dest: Path) -> bool:
    """Give the anonymous file ``fd`` the name ``dest`` (FileExistsError if taken);
    False where this system cannot, so the caller falls back to a named temporary file."""
    linkat = _linkat_function()
    if linkat is None:
        return False
    source = f"/proc/self/fd/{fd}".encode()
    if linkat(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(dest), _AT_SYMLINK_FOLLOW) == 0:
        return True
    code = ctypes.get_errno()
    if code == 17:  # EEXIST
        raise FileExistsError(code, os.strerror(code), str(dest))
    exc = OSError(code, os.strerror(code), str(dest))
    if environment_problem(exc) is not None and code not in (1, 13):  # not EPERM/EACCES:
        raise exc  # full or read-only; EPERM/EACCES may only mean /proc is not ours: fall back
    return False


def _fsync_dir(folder: Path) -> None:
    # The new name is durable only once the folder's entry is on disk.
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
