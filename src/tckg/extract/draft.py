"""Draft writing: merging facts and writing the source records the compiler turns into RDF."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from tckg.extract.model import Draft, Fact, _in_table, _num, _zh_en
from tckg.extract.registry import IndicatorInfo, UnitInfo
from tckg.namespaces import IND, TCK
from tckg.vocab.iri import mint


def _in_base(f: Fact, units: Mapping[str, UnitInfo]) -> tuple[str | None, Decimal | None]:
    """A fact's value in its unit's base unit (2 万元 and 20560 元 compare)."""
    unit = units.get(f.unit or "")
    if unit is None or f.value is None:
        return f.unit, f.value
    return unit.base, f.value * unit.factor


def _stretch_of(a: Fact, b: Fact, units: Mapping[str, UnitInfo] | None = None) -> Fact | None:
    """Of two targets of one indicator and year, the stretch target (力争 a number beyond
    the firm one: 增长 5% 以上，力争 6%), if one of them is that."""
    if a.value is None or b.value is None or a.cls != b.cls:
        return None
    if a.cls == "achievement":
        # 突破 2 万元，达到 20560 元: a threshold crossed, then the figure; the figure is the result
        for exact, hedged in ((a, b), (b, a)):
            (eu, ev), (hu, hv) = _in_base(exact, units or {}), _in_base(hedged, units or {})
            if hedged.qualifier == "more-than" and exact.qualifier is None and eu == hu and \
                    ev is not None and hv is not None and ev >= hv and \
                    exact.estimate == hedged.estimate:
                return hedged
        return None
    if a.cls != "target":
        return None
    for firm, hoped in ((a, b), (b, a)):
        if hoped.comparator == "strive-for" and firm.comparator != "strive-for" and \
                firm.unit == hoped.unit:
            return hoped
        # 增长 8%，确保 7%: a floor below the target, guaranteed; the target is what is scored
        if hoped.comparator == "at-least" and firm.comparator in ("point", "approximately") \
                and firm.unit == hoped.unit and hoped.value < firm.value:
            return hoped
    return None


class DraftMixin:
    """Assembles the draft."""

    # -- assembling ----------------------------------------------------------------------------
    def _merge(self, facts: list[Fact]) -> list[Fact]:
        """One fact per key (the compiler's rule); a second statement becomes evidence."""
        out: dict[tuple[Any, ...], Fact] = {}
        order: list[tuple[Any, ...]] = []
        also_seen: dict[int, tuple[list[Any], set[Any]]] = {}
        stretches: list[Fact] = []
        for f in facts:
            k = f.key()
            if k not in out:
                out[k] = f
                order.append(k)
                continue
            kept = out[k]
            same = (kept.value == f.value and kept.unit == f.unit) or \
                (kept.value is None and f.value is None and kept.comparator == f.comparator)
            if same or _in_table(f) or _in_table(kept):
                # the spans already listed, as a set (a text repeating one fact thousands of
                # times made the list look-up quadratic)
                listed = also_seen.get(id(kept))
                if listed is None or listed[0] is not kept.also:
                    listed = also_seen[id(kept)] = (kept.also, set(kept.also))
                if f.span != kept.span and f.span not in listed[1]:
                    kept.also.append(f.span)
                    listed[1].add(f.span)
                if not same:
                    kept.note = ("the text and the table differ; the text's figure is kept "
                                 "(review it)")
                    kept.confidence = round(min(kept.confidence, 0.6), 2)
                if _in_table(kept) and not _in_table(f):
                    f.also = [kept.span] + kept.also
                    f.confidence = max(f.confidence, kept.confidence) if same else f.confidence
                    out[k] = f
                continue
            stretch = _stretch_of(kept, f, self.reg.units)
            if stretch is not None:
                # 增长 5% 以上，力争 6%: one commitment and a stretch target of the same
                # indicator and year. The graph holds one target per indicator, year and plan
                # level: the firm one, which tracking scores; the stretch target keeps the
                # indicator in the draft's list and is named in a note on the firm one
                firm = kept if stretch is f else f
                out[k] = firm
                stretch.stretch = True
                what = "threshold passed (突破)" if stretch.cls == "achievement" else \
                    "floor (确保)" if stretch.comparator == "at-least" else "stretch target (力争)"
                firm.note = (f"{what}: {stretch.value_text or stretch.value}"
                             f"{stretch.unit_text or ''}")
                stretches.append(stretch)
                continue
            # two different statements claim one indicator: the weaker gets its own proposal
            weaker = f if f.confidence <= kept.confidence else kept
            stronger = kept if weaker is f else f
            out[k] = stronger
            unit = self.reg.units.get(weaker.unit or "")
            kind = {"growth-rate": "growth", "rank": "rank", "rank-change": "rank-change"}.get(
                self.reg.indicators[weaker.indicator].kind, "level")
            new = self._propose(weaker.phrase or self.text[weaker.span[0]:weaker.span[1]], kind,
                                unit.dimension if unit else "none", None, None)
            weaker.indicator = new.id
            weaker.confidence = 0.4
            k2 = weaker.key()
            if k2 not in out:
                out[k2] = weaker
                order.append(k2)
            else:
                self.notes.append(f"dropped a second statement of {k2}: "
                                  f"{self.text[weaker.span[0]:weaker.span[1]]!r}")
        merged = [out[k] for k in order if k in out]
        return merged + stretches

    def _source(self, facts: list[Fact]) -> dict[str, Any]:
        text = self.original
        area = self.place(self.area)
        slug = self.opt.slug or \
            f"{self.area}-{self.plan_year}-{'work' if self.kind == 'work-report' else 'plan'}-draft"
        slug = re.sub(r"[^a-z0-9-]", "-", slug.lower()).strip("-")
        title_span = self.title_span
        title_zh = text[title_span[0]:title_span[1]]
        report = {
            "slug": slug,
            "title": {"zh": re.sub(r"\s+", " ", title_zh).strip(),
                      "en": f"Draft extracted from {self.opt.text_name}: "
                            f"{'government work report' if self.kind == 'work-report' else 'plan report'}"
                            f" of {area.en} for {self.plan_year} (unreviewed)"},
            "kind": self.kind,
            "date": self.date,
            "plan_year": self.plan_year,
            "review_year": self.review_year,
            "government": self.government,
            "area": self.area,
            "draft": True,
        }
        report.update(_evidence(text, title_span))
        # places and bodies: known ones copied from the data, new ones as drafted
        used_places = {self.area} | {f.area for f in facts} | \
            {f.benchmark_area for f in facts if f.benchmark_area}
        used_bodies = {self.government} | {f.committed_by for f in facts if f.committed_by}
        for b in used_bodies:
            info = self.bodies.get(b) or self.reg.bodies.get(b)
            if info and info.jurisdiction:
                used_places.add(info.jurisdiction)
        closure = set()
        for p in used_places:
            q: str | None = p
            while q and q not in closure:
                closure.add(q)
                info2 = self.places.get(q) or self.reg.places.get(q)
                q = info2.part_of if info2 else None
        places = []
        for p in sorted(closure):
            info2 = self.places.get(p) or self.reg.places.get(p)
            if info2 is None:
                continue
            rec: dict[str, Any] = {"id": p, "label": {"zh": info2.zh, "en": info2.en},
                                   "level": info2.level}
            if info2.part_of and info2.part_of in closure:
                rec["part_of"] = info2.part_of
            if p in self.places:
                rec["confidence"] = 0.5
            places.append(rec)
        bodies = []
        for b in sorted(x for x in used_bodies if x):
            info = self.bodies.get(b) or self.reg.bodies.get(b)
            if info is None:
                continue
            rec = {"id": b, "label": {"zh": info.zh, "en": info.en}, "kind": info.kind}
            if info.jurisdiction and info.jurisdiction in closure:
                rec["jurisdiction"] = info.jurisdiction
            if b in self.bodies:
                rec["confidence"] = 0.5
            bodies.append(rec)
        defined = {r["id"] for r in places} | {r["id"] for r in bodies}
        # tasks
        tasks = []
        stated = defaultdict(list)
        for f in facts:
            stated[f.part.id].append(f)
        for part in self.parts:
            if part.implicit and not stated.get(part.id):
                continue  # text outside the sections that states nothing
            rec = {"id": part.id, "kind": part.kind, "title": _zh_en(part.title),
                   "year": part.year, "confidence": 0.7 if part.kind == "measure" else 0.85}
            if part.ordinal is not None:
                rec["ordinal"] = part.ordinal
            if part.parent is not None:
                rec["parent"] = part.parent.id
            if not part.review and part.kind in ("section",) and part.id != "appendix":
                rec["responsible"] = [self.government]
            mentions = []
            for ident in part.mentions:
                if ident not in mentions and (ident in self.enterprises or ident in self.projects
                                              or ident in self.campaigns or ident in defined):
                    mentions.append(ident)
            if mentions:
                rec["mentions"] = mentions
            rec.update(_evidence(text, part.span))
            if "quote" not in rec:
                continue
            tasks.append(rec)
        task_ids = {t["id"] for t in tasks}
        targets, achievements = [], []
        for f in facts:
            ev = _evidence(text, f.span)
            if "quote" not in ev:
                continue
            also = [_evidence(text, s) for s in f.also]
            rec = {"indicator": f.indicator, "year": f.year, "area": f.area}
            if f.value is not None:
                rec["value"] = _num(f.value)
                rec["unit"] = f.unit
            if f.upper is not None:
                rec["upper"] = _num(f.upper)
            if f.comparator:
                rec["comparator"] = f.comparator
            if f.relative_to:
                rec["relative_to"] = f.relative_to
            if f.benchmark_area:
                rec["benchmark_area"] = f.benchmark_area
            if f.qualitative:
                rec["qualitative"] = f.qualitative
            if f.note:
                rec["note"] = f.note
            rec.update(ev)
            if also:
                rec["also"] = [x for x in also if "quote" in x]
            rec["confidence"] = f.confidence
            if f.cls == "target":
                rec["plan_level"] = f.plan_level
                rec["committed_by"] = f.committed_by
                if f.part.id in task_ids:
                    rec["task"] = f.part.id
                targets.append(rec)
            else:
                rec["estimate"] = f.estimate
                if f.qualifier:
                    rec["qualifier"] = f.qualifier
                if f.part.id in task_ids:
                    rec["section"] = f.part.id
                achievements.append(rec)
        enterprises = []
        for rec in self.enterprises.values():
            r = {k: v for k, v in rec.items() if not k.startswith("_")}
            if "_span" in rec:
                r.update(_evidence(text, rec["_span"]))
            enterprises.append(r)
        campaigns = []
        for rec in self.campaigns.values():
            r = {k: v for k, v in rec.items() if not k.startswith("_")}
            r.update(_evidence(text, rec["_span"]))
            campaigns.append(r)
        projects = []
        for rec in self.projects.values():
            r = {k: v for k, v in rec.items() if k != "milestones"}
            if r.get("task") not in task_ids:
                r.pop("task", None)
            ms = []
            for m in rec["milestones"]:
                ev = _evidence(text, m["_span"])
                if "quote" in ev:
                    ms.append({k: v for k, v in m.items() if not k.startswith("_")} | ev)
            if ms:
                r["milestones"] = ms
                projects.append(r)
        known_ids = defined | {e["id"] for e in enterprises} | {c["id"] for c in campaigns} | \
            {p["id"] for p in projects}
        for t in tasks:
            if "mentions" in t:
                t["mentions"] = [x for x in t["mentions"] if x in known_ids]
                if not t["mentions"]:
                    del t["mentions"]
        return {"report": report, "places": places, "bodies": bodies,
                "enterprises": enterprises, "campaigns": campaigns, "projects": projects,
                "tasks": tasks, "targets": targets, "achievements": achievements}


def _evidence(text: str, span: tuple[int, int]) -> dict[str, Any]:
    """``quote`` and ``start``: the extractor knows where each quote is, so the compiler checks
    the text at that offset instead of searching for the quote. (Searching for a unique stretch
    around every quote made extraction quadratic in the text's length: 160,000 characters of
    repeated lines took 22 s and 1.4 GB.)"""
    a, b = span
    while a < b and text[a] in " \t\r\n":
        a += 1
    while b > a and text[b - 1] in " \t\r\n":
        b -= 1
    if b <= a:
        return {}
    return {"quote": text[a:b], "start": a}


def _add_proposed(graph: Graph, proposed: list[IndicatorInfo]) -> None:
    """Proposed indicators, written by the same compiler as the curated scheme, marked
    ``tck:isProposed true`` with an editorial note for the reviewer."""
    from tckg.compile import indicator_graph

    records = []
    for ind in proposed:
        rec: dict[str, Any] = {
            "id": ind.id,
            "label": {"zh": ind.label_zh, "en": f"Proposed indicator (untranslated): {ind.label_zh}"},
            "kind": ind.kind, "dimension": ind.dimension, "polarity": ind.polarity,
            "definition": {"en": "Proposed by tckg extract because no indicator of the scheme "
                                 "matched the text; review, rename or merge it.",
                           "zh": "tckg extract 未能将原文匹配到现有指标而提议的新指标；请审核、改名或合并。"}}
        if ind.growth_of:
            rec["growth_of"] = ind.growth_of
        records.append(("the draft", rec))
    known = {i.growth_of for i in proposed if i.growth_of} - {i.id for i in proposed}
    graph += indicator_graph(records, known=known)
    for ind in proposed:
        graph.add((mint(IND, ind.id), TCK.isProposed, Literal(True)))
        graph.add((mint(IND, ind.id), SKOS.editorialNote, Literal(
            "Proposed by tckg extract: no indicator of the scheme matched the text.", lang="en")))
        graph.add((mint(IND, ind.id), SKOS.editorialNote, Literal(
            "由 tckg extract 提议：原文未能匹配到指标体系中的现有指标。", lang="zh")))


def write_draft(draft: Draft, out: Path | str) -> Path:
    """Write the draft atomically: deterministic Turtle (the loader names its graph after
    the report), or TriG with the named graph spelled out when ``out`` ends in ``.trig``."""
    from rdflib import Dataset

    from tckg.io.write import atomic_write_text
    from tckg.namespaces import bind_prefixes

    out = Path(out)
    if out.suffix.lower() == ".trig":
        ds = Dataset()
        bind_prefixes(ds.namespace_manager)
        named = ds.graph(draft.graph_name)
        for triple in draft.graph:
            named.add(triple)
        atomic_write_text(out, ds.serialize(format="trig"))
    else:
        atomic_write_text(out, draft.to_turtle())
    return out

