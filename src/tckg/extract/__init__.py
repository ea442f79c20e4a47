"""Report text -> a draft in the tckg ontology, every fact with its evidence and a confidence.

The extractor reads a plan report (or a government work report) as plain text and writes the
same records as the curated YAML (``data/source/README.md``), which :class:`tckg.compile.Compiler`
turns into triples. Drafts and curated data share one writer and one IRI scheme; the draft adds
``tck:confidence`` on every fact, ``tck:isDraft true`` on the report and ``tck:isProposed true``
on indicators it had to invent.

It works by rules and word lists (``tckg/lexicon/*.yaml``), not by a statistical model, so
every decision can be read. One module per stage, in the order the text flows:

- :mod:`~tckg.extract.normalise`: traditional → simplified characters (OpenCC), NFKC, the
  provenance header skipped, damaged quotes contained, line breaks inside numbers joined;
  every character keeps its offset in the original text, so evidence points at the original.
- :mod:`~tckg.extract.segment`, :mod:`~tckg.extract.structure`: paragraphs, tables,
  sections (一、), areas (（一）, 1.), run-in headings, the appendix.
- :mod:`~tckg.extract.numbers`: numerals, 万/亿 multipliers, units, hedges, comparators, ranges.
- :mod:`~tckg.extract.indicators`: the phrase naming a number against the indicator scheme.
- :mod:`~tckg.extract.grammar`, :mod:`~tckg.extract.facts`: subject, verb, number, unit,
  comparator; lists distributed over their subjects.
- :mod:`~tckg.extract.periods`: the period of a fact (a year, a span, a partial year) and the
  plan-versus-result lines of county reports (年计划 / 1—9月 / 全年预计 / 完成年计划的X%).
- :mod:`~tckg.extract.entities`, :mod:`~tckg.extract.named`: area and government, places,
  enterprises, projects, campaigns.
- :mod:`~tckg.extract.draft`: the records, compiled to RDF.
"""

from tckg.extract.common import ExtractError, lexicon
from tckg.extract.core import Extractor, extract_file, extract_text
from tckg.extract.draft import write_draft
from tckg.extract.indicators import IndicatorMatcher, label_score
from tckg.extract.model import Draft, Fact, Options
from tckg.extract.normalise import View, make_view
from tckg.extract.numbers import Mention, NumberReader
from tckg.extract.registry import Registry

__all__ = ["Draft", "ExtractError", "Extractor", "Fact", "IndicatorMatcher", "Mention",
           "NumberReader", "Options", "Registry", "View", "extract_file", "extract_text",
           "label_score", "lexicon", "make_view", "write_draft"]
