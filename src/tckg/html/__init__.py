"""Offline HTML pages: the interactive graph, the scorecard and the site index.

Every text from the data is escaped wherever it lands; pages load nothing from any host
and are written as UTF-8 whatever the locale.
"""
