"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale.
"""

# One palette for the verdicts (tck status scheme notations) on every page of the site, so
# "missed" is the same red in the scorecard and in the graph. Labels: tckg.track.STATUSES.
STATUS_COLOURS: dict[str, str] = {
    "met": "#1a7f37",
    "met-within-tolerance": "#9ccc65",  # not the graph's place green (#7cb342)
    "missed": "#cf222e",
    "no-result": "#8c959f",
    "not-assessable": "#bf8700",
}
