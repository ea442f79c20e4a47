"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale.
"""

# One palette for the verdicts on every page of the site and in the terminal, so "missed" is the
# same red in the scorecard, the graph and tckg track: tck:colour on the status concepts of
# ontology/schemes.ttl (labels: tckg.track.STATUSES, from the same concepts).
from tckg.track.rules import STATUS_COLOURS

__all__ = ["STATUS_COLOURS"]
