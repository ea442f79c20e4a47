"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale. Bidirectional control characters in the data
(a right-to-left override U+202E could make ``gnp.exe`` read ``exe.png``) are shown as visible
marks instead of reordering what follows them (:func:`inert`).
"""

from __future__ import annotations

import html as _html
import re

# One palette for the verdicts on every page of the site and in the terminal, so "missed" is the
# same red in the scorecard, the graph and tckg track: tck:colour on the status concepts of
# ontology/schemes.ttl (labels: tckg.track.STATUSES, from the same concepts).
from tckg.track.rules import STATUS_COLOURS

__all__ = ["BIDI_CONTROLS", "STATUS_COLOURS", "Verdict", "escape", "inert"]

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM: every character that changes text direction.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def inert(text: str) -> str:
    """``text`` with each bidirectional control character replaced by a visible ⟦U+202E⟧ mark."""
    return _BIDI.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)


def escape(text: str, quote: bool = True) -> str:
    """:func:`html.escape` of :func:`inert` text: for every data text put into a page."""
    return _html.escape(inert(text), quote)




class Verdict(str):
    """A target's status notation (``met`` …) that also carries what the graph's target panel
    shows: result, gap, reason, the tasks that serve it and the bodies that lead them.
    It is a ``str``, so wherever a plain status is expected it is one."""

    details: dict[str, str]

    def __new__(cls, status: str, **details: str) -> Verdict:
        obj = super().__new__(cls, status)
        obj.details = dict(details)
        return obj
