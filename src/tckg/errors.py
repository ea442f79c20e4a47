"""The one exception family tckg raises for bad input; the CLI maps it to a message and an exit code."""

from __future__ import annotations


class TckgError(Exception):
    """A problem the user can fix; ``str()`` is a one-paragraph message naming the input.

    ``exit_code`` follows the CLI's convention: 1 the data does not conform or a check
    failed, 2 an input cannot be read or a request is refused.
    """

    exit_code = 2


# Failures of the machine rather than of tckg or its input: the user fixes them (free space,
# choose a writable folder), so they are exit 2 with a message, not "a bug in tckg".
_ENVIRONMENT = {
    "ENOSPC": ("the disk is full", "free some space"),
    "EDQUOT": ("the disk quota is used up", "free some space"),
    "EFBIG": ("the file is larger than this system allows", "free some space or raise the limit"),
    "EROFS": ("the file system is read-only", "choose a folder on a writable disk"),
    "EACCES": ("permission denied", "choose a folder you may write to, or fix its permissions"),
    "EPERM": ("the operation is not permitted", "choose a folder you may write to"),
    "ENOTDIR": ("a part of the path is a file, not a folder", "check the path"),
    "EISDIR": ("it is a folder, not a file", "check the path"),
    "ENAMETOOLONG": ("the file name is too long for the file system", "choose a shorter name"),
    # a folder that vanished, or one that cannot hold new files (/proc): writing there fails
    "ENOENT": ("the folder does not exist or cannot hold new files", "check the path"),
    # mkdir(exist_ok=True) raises it when a file stands where a folder of the path must be
    "EEXIST": ("a file is in the way where a folder is needed", "check the path"),
}


_MESSAGES = {"ENOSPC": "No space left on device", "EDQUOT": "Disk quota exceeded",
             "EROFS": "Read-only file system", "EACCES": "Permission denied"}


def _path_in(text: str) -> str | None:
    import re

    match = re.search(r"(/[^\s:,;'\"]+)", text)
    return match.group(1) if match else None


class EnvironmentProblem(TckgError, OSError):
    """The disk is full, read-only or not ours: ``str()`` names the path and what to do.

    Still an ``OSError`` (with the original ``errno``), so library callers catching that keep
    working; the command line prints it as one paragraph and exits 2.
    """

    exit_code = 2

    def __init__(self, path: object, message: str, code: int | None = None) -> None:
        OSError.__init__(self, code, message)
        self.path, self.message = path, message

    def __str__(self) -> str:
        return self.message


def environment_problem(exc: OSError, path: object = None,
                        doing: str = "write") -> EnvironmentProblem | None:
    """The user-facing form of an environmental ``OSError`` (None for any other)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    detail = ""
    if not name:  # a library (RocksDB under pyoxigraph) that reports only a message
        text = str(exc)
        name = next((n for n, words in _MESSAGES.items() if words in text), "")
        detail = f" [{text[:200]}]" if name else ""
    if name not in _ENVIRONMENT:
        return None
    what, fix = _ENVIRONMENT[name]
    where = path if path is not None else (exc.filename or _path_in(str(exc)) or "a file")
    return EnvironmentProblem(where, f"cannot {doing} {where}: {what} ({exc.strerror or name}){detail}. Files tckg "
                              f"was writing were left as they were; {fix} and run the command "
                              "again. 无法写入：磁盘已满、只读或无权限，原有文件未改动。", exc.errno)
