"""Were the targets met? (``tckg track``)

- :mod:`tckg.track.rules`: the statuses and verdict rules, read from the ontology
  (``ontology/schemes.ttl``, ``ontology/rules.ttl``), and the interpreter of the rules;
- :mod:`tckg.track.model`: the typed result (:class:`ScoreRow`, :class:`Scorecard`);
- :mod:`tckg.track.assess`: reading targets and results through the named queries and scoring;
- :mod:`tckg.track.rdf`: the verdicts as ``tck:Assessment`` resources with PROV-O.
"""

from tckg.numbers import fmt_number
from tckg.track.assess import (
    PERCENT_UNITS,
    PLAN_LEVEL_ORDER,
    assess,
    assessment_iri,
    load_manual_assessments,
    manual_assessment_files,
)
from tckg.track.model import CSV_COLUMNS, Quote, Scorecard, ScoreRow
from tckg.track.rdf import (
    ASSESSMENT_BASE,
    SOFTWARE,
    activity_iri,
    add_assessments,
    assessment_graph,
    write_assessments,
)
from tckg.track.rules import (
    COMPARATOR_WORDS,
    RULES,
    STATUS_COLOURS,
    STATUSES,
    Judgement,
    Rule,
    RuleBook,
    RuleError,
    TrackError,
    default_rulebook,
    judge,
)

__all__ = [
    "ASSESSMENT_BASE", "COMPARATOR_WORDS", "CSV_COLUMNS", "PERCENT_UNITS", "PLAN_LEVEL_ORDER",
    "RULES", "SOFTWARE", "STATUSES", "STATUS_COLOURS", "Judgement", "Quote", "Rule", "RuleBook",
    "RuleError", "ScoreRow", "Scorecard", "TrackError", "activity_iri", "add_assessments",
    "assess", "assessment_graph", "assessment_iri", "default_rulebook", "fmt_number", "judge",
    "load_manual_assessments", "manual_assessment_files", "write_assessments",
]
