"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale.
"""

from __future__ import annotations

# One palette for the verdicts (tck status scheme notations) on every page of the site, so
# "missed" is the same red in the scorecard and in the graph. Labels: tckg.track.STATUSES.
STATUS_COLOURS: dict[str, str] = {
    "met": "#1a7f37",
    "met-within-tolerance": "#9ccc65",  # not the graph's place green (#7cb342)
    "missed": "#cf222e",
    "no-result": "#8c959f",
    "not-assessable": "#bf8700",
}


class Verdict(str):
    """A target's status notation (``met`` …) that also carries what the graph's target panel
    shows: result, gap, reason, the tasks that serve it and the bodies that lead them.
    It is a ``str``, so wherever a plain status is expected it is one."""

    details: dict[str, str]

    def __new__(cls, status: str, **details: str) -> Verdict:
        obj = super().__new__(cls, status)
        obj.details = dict(details)
        return obj
