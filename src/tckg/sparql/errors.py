"""Errors of SPARQL handling.
"""

from __future__ import annotations

from tckg.errors import TckgError


class QueryError(TckgError):
    """A query that cannot run: unknown name, bad syntax, bad parameter, failure while running."""


class QueryRefused(QueryError):
    """A query that asks for something tckg does not do: update, SERVICE, FROM."""


class QueryTimeout(QueryError):
    """The query ran past its time limit; its process was stopped (``pid`` names it)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


