"""The error every reader raises: a one-paragraph message naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

from tckg.errors import TckgError


class LoadError(TckgError):
    """An input that cannot be read; ``str()`` is a one-paragraph message for the user."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.path, self.line, self.column = str(path), line, column
        where = self.path
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


