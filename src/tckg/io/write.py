"""Atomic writes: a reader, or a crash, sees the old file or the new one, never a part.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

# -- atomic writes ----------------------------------------------------------------------------

def atomic_write_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader, or a crash, sees the old file or the new one.

    On Linux the bytes go to an anonymous ``O_TMPFILE`` inode in the target folder, are
    fsynced, and only then get a name: a process killed while writing leaves nothing behind,
    since the kernel frees an inode without a name. Elsewhere a named temporary file beside
    ``path`` is renamed over it (and removed on any error we get to see). With
    ``exclusive=True`` an existing ``path`` is never replaced: :class:`FileExistsError`.
    New files get the usual ``0o666 & ~umask`` mode; a replaced file keeps its mode.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and path.exists():
        raise FileExistsError(path)
    mode = _file_mode(path)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a writer killed mid-rename
        stale.unlink(missing_ok=True)
    fd = _anonymous_file(path.parent, mode)
    if fd is not None:
        try:
            _write_all(fd, data)
            if exclusive:
                if _link_fd(fd, path):
                    _fsync_dir(path.parent)
                    return
            else:
                tmp = path.parent / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        os.close(fd)
        fd = -1
        if exclusive:
            os.link(tmp_name, path)  # fails rather than replaces if path appeared meanwhile
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp_name).unlink(missing_ok=True)
        raise


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
    if flag is None:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY, mode)
    except OSError:  # the filesystem does not support O_TMPFILE
        return None
    os.fchmod(fd, mode)
    return fd


def _link_fd(fd: int, dest: Path) -> bool:
    """Give the anonymous file ``fd`` the name ``dest`` (FileExistsError if taken);
    False where this system cannot, so the caller falls back to a named temporary file."""
    try:
        os.link(f"/proc/self/fd/{fd}", dest)  # linkat(AT_SYMLINK_FOLLOW), the documented way
        return True
    except FileExistsError:
        raise
    except OSError:
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


