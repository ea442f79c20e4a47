"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale.
"""

from __future__ import annotations

# One palette for the verdicts on every page of the site and in the terminal, so "missed" is the
# same red in the scorecard, the graph and tckg track: tck:colour on the status concepts of
# ontology/schemes.ttl (labels: tckg.track.STATUSES, from the same concepts).
from tckg.track.rules import STATUS_COLOURS

__all__ = ["STATUS_COLOURS"]


class Verdict(str):
    """A target's status notation (``met`` …) that also carries what the graph's target panel
    shows: result, gap, reason, the tasks that serve it and the bodies that lead them.
    It is a ``str``, so wherever a plain status is expected it is one."""

    details: dict[str, str]

    def __new__(cls, status: str, **details: str) -> Verdict:
        obj = super().__new__(cls, status)
        obj.details = dict(details)
        return obj
