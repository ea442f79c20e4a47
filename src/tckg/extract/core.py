"""The extractor: the stages in order, and the public API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from tckg.compile import Compiler
from tckg.extract.common import MAX_TEXT_CHARS, ExtractError, lexicon
from tckg.extract.draft import DraftMixin, _add_proposed
from tckg.extract.entities import PlacesMixin
from tckg.extract.facts import FactsMixin
from tckg.extract.indicators import IndicatorMatcher
from tckg.extract.model import Draft, Fact, Options
from tckg.extract.named import NamedMixin
from tckg.extract.normalise import View, normalise
from tckg.extract.numbers import WRITTEN, Mention, NumberReader, written_units
from tckg.extract.registry import BodyInfo, IndicatorInfo, PlaceInfo, Registry
from tckg.extract.segment import Part, _blocks
from tckg.extract.structure import StructureMixin
from tckg.extract.tables import TablesMixin
from tckg.namespaces import ORGS, PLACE, TCK


class Extractor(PlacesMixin, StructureMixin, FactsMixin, TablesMixin, NamedMixin, DraftMixin):
    """One run of the extractor over one text (the stages are the mixins' modules)."""

    def __init__(self, text: str, registry: Registry, options: Options) -> None:
        # the stages read the working text (same length: offsets are offsets in the original);
        # quotes are cut from the original text
        self.norm = normalise(text)
        self.original = text
        self.text = self.norm.text
        self.header = self.norm.header
        # proposals join the indicator index of this run only: the caller's registry is kept
        self.reg = replace(registry, indicators=dict(registry.indicators),
                           units={**written_units(), **registry.units})
        self.opt = options
        self.lex = lexicon()
        self.numbers = NumberReader(self.reg.units)
        self.matcher = IndicatorMatcher(self.reg)
        self.notes: list[str] = []
        self.facts: list[Fact] = []
        self.proposed: dict[str, IndicatorInfo] = {}
        self.places: dict[str, PlaceInfo] = {}
        self.bodies: dict[str, BodyInfo] = {}
        self.parts: list[Part] = []
        self._part_ids: set[str] = set()          # the ids of self.parts
        self._part_suffix: dict[str, int] = {}    # the next free -n of a repeated id
        self.enterprises: dict[str, dict[str, Any]] = {}
        self.projects: dict[str, dict[str, Any]] = {}
        self.campaigns: dict[str, dict[str, Any]] = {}
        self.body: Part | None = None
        self._mention_cache: dict[int, tuple[View, list[Mention]]] = {}
        self.body_review: Part | None = None

    # -- extraction ----------------------------------------------------------------------------
    def run(self) -> Draft:
        blocks = _blocks(self.text)
        if not blocks:
            raise ExtractError(f"{self.opt.text_name}: the text is empty; nothing to extract.")
        self._metadata(blocks)
        blocks = self._split_title(blocks)
        structured = self._structure(blocks)
        for blk, part, sents in structured:
            if blk.table:
                if part is not None:
                    self._table(blk, part)
                continue
            for a, b, spart in sents:
                if spart is None:
                    continue
                self._sentence(blk.view, a, b, spart)
                self._entities(blk.view, a, b, spart)
        if self.norm.converted:
            self.notes.append(f"{self.norm.converted} traditional characters read as simplified "
                              "(OpenCC t2s); quotes keep the original characters.")
        merged = self._merge(self.facts)
        # only annual facts go into the graph, where a fact is one per year and indicator: a
        # five-year figure or a partial year must not stand for, or displace, the year's fact
        facts = [f for f in merged if f.annual and not (f.unit or "").startswith(WRITTEN)]
        kept_apart = [f for f in merged if f not in facts]
        if kept_apart:
            self.notes.append(f"{len(kept_apart)} facts of other periods (multi-year spans, "
                              "partial years, progress against the plan, stretch targets and floors, thresholds "
                              "passed beside the figure) or with units the "
                              "ontology does not define are listed, not written to the graph.")
        if not merged:
            raise ExtractError(f"{self.opt.text_name}: no target or result found in the text "
                               "(no number with a unit that a plan or work report states); "
                               "nothing to draft.")
        source = self._source(facts)
        graph = Compiler(source, self.original, self.opt.text_name).run()
        # places, bodies and enterprises the data already defines are shared by every report:
        # the draft points at them but does not restate them (the compiler needs them declared)
        for kind, known, ns in (("places", self.reg.places, PLACE), ("bodies", self.reg.bodies, ORGS),
                                ("enterprises", self.reg.enterprises, ORGS)):
            for rec in source[kind]:
                if rec["id"] in known:
                    for triple in list(graph.triples((ns[rec["id"]], None, None))):
                        if triple[1] != TCK.statedIn and triple[1] != TCK.evidence:
                            graph.remove(triple)
        proposed = sorted(self.proposed.values(), key=lambda i: i.id)
        _add_proposed(graph, proposed)
        return Draft(source, graph, source["report"]["slug"], self.original, facts, proposed,
                     self.notes, all_facts=merged)

# =============================================================================== public API

def extract_text(text: str, *, registry: Registry | None = None, government: str | None = None,
                 area: str | None = None, year: int | None = None, slug: str | None = None,
                 text_name: str = "report.txt") -> Draft:
    """Draft the facts of a report's text (a ``str``; offsets count its code points).

    ``registry`` says what is already known (indicators, units, places, bodies); by default
    the ontology and the bundled data. ``government`` and ``area`` are ids or Chinese names;
    ``year`` is the plan year when the title does not say it.
    """
    if registry is None:
        registry = Registry.default()
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractError(f"{text_name}: {len(text):,} characters is more than the extractor reads "
                           f"({MAX_TEXT_CHARS:,}, about three national government work reports); "
                           "split the text into its reports.")
    if year is not None and not (1950 <= int(year) <= 2100):
        raise ExtractError(f"--year {year} is not a plausible plan year (1950–2100).")
    # the text is kept as given (CRLF included): evidence offsets are offsets in it
    opts = Options(government, area, int(year) if year is not None else None, slug, text_name)
    return Extractor(text, registry, opts).run()


def extract_file(path: Path | str, *, encoding: str | None = None, **kwargs: Any) -> Draft:
    """Read a report text file (UTF-8 unless ``encoding``) and draft its facts."""
    from tckg.io.read import read_text

    path = Path(path)
    text = read_text(path, encoding)
    return extract_text(text, text_name=path.name, **kwargs)
