"""Indicator tables (the appendix)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tckg.extract.common import MATCH_THRESHOLD, _alternation, norm_label
from tckg.extract.grammar import _variants
from tckg.extract.model import Fact
from tckg.extract.normalise import make_view
from tckg.extract.segment import Block, Part, _lines


class TablesMixin:
    """Facts of indicator tables."""

    def _table(self, blk: Block, part: Part) -> None:
        rows: list[list[tuple[int, int]]] = []
        for a, b in _lines(self.text[blk.start:blk.end]):
            line_a, line_b = blk.start + a, blk.start + b
            cells, pos = [], line_a
            for cell in self.text[line_a:line_b].split("\t"):
                cells.append((pos, pos + len(cell)))
                pos += len(cell) + 1
            rows.append(cells)
        header: list[list[str]] = []
        data_start = 0
        for i, cells in enumerate(rows):
            texts = [norm_label(self.text[a:b]) for a, b in cells]
            if any(self._cell_value(a, b) for a, b in cells[1:]):
                data_start = i
                break
            header.append(texts)
        else:
            return
        width = max(len(r) for r in rows)
        unit_col = next((j for j in range(1, width) if any(
            j < len(h) and h[j] in ("单位", "计量单位") for h in header)), None)
        columns: dict[int, dict[str, Any]] = {}
        for j in range(1, width):
            parts = []
            for h in header:
                cell = h[j] if j < len(h) else ""
                if not cell and any(j < len(h2) and h2[j] for h2 in header[header.index(h) + 1:]):
                    cell = next((h[k] for k in range(min(j, len(h) - 1), 0, -1) if h[k]), "")
                parts.append(cell)
            desc = "".join(parts)
            col = self._column(desc)
            if col:
                columns[j] = col
        for cells in rows[data_start:]:
            la, lb = cells[0]
            label_raw = self.text[la:lb]
            label = re.sub(r"^\s*(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|其中[:：])\s*", "",
                           unicodedata.normalize("NFKC", label_raw)).strip()
            label = re.sub(r"^其中[:：]", "", label)
            unit_hint = None
            mu = re.search(r"[(（]([^)）]+)[)）]\s*$", label)
            if mu and mu.group(1) in self.numbers.by_symbol:
                unit_hint = self.numbers.by_symbol[mu.group(1)]
                label = label[:mu.start()]
            if unit_col is not None and unit_col < len(cells):
                ua, ub = cells[unit_col]
                symbol = norm_label(self.text[ua:ub])
                unit_hint = self.numbers.by_symbol.get(symbol) or unit_hint
            for j, (a, b) in enumerate(cells[1:], start=1):
                col = columns.get(j)
                if not col:
                    continue
                self._table_cell(label, a, b, col, part, unit_hint)

    def _column(self, desc: str) -> dict[str, Any] | None:
        m = re.search(r"(\d{4})年", desc)
        year = int(m.group(1)) if m else None
        if year is None:
            return None
        if re.search(r"预计|完成|实际|执行", desc):
            return {"cls": "achievement", "year": year, "estimate": "预计" in desc}
        if re.search(r"计划|目标|预期", desc):
            level = self.place(self.area).level
            if re.search(r"市计划|全市|市级", desc):
                level = "city"
            elif re.search(r"省计划|全省", desc):
                level = "province"
            elif re.search(r"区计划|县计划|全区|全县", desc):
                level = self.place(self.area).level
            return {"cls": "target", "year": year, "level": level}
        return None

    def _cell_value(self, a: int, b: int) -> bool:
        t = make_view(self.text, a, b).text
        return bool(re.search(r"\d", re.sub(r"\d{4}年", "", t))) or bool(re.search(r"高于|低于", t))

    def _table_cell(self, label: str, a: int, b: int, col: dict[str, Any], part: Part,
                    unit_hint: str | None) -> None:
        view = make_view(self.text, a, b)
        t = view.text
        if not t or t in ("-", "—", "/"):
            return
        mentions = [m for m in self.numbers.read(view, unit_hint)
                    if m.kind == "number" and not m.modifier]
        level = col.get("level") or self.place(self.area).level
        area = self.area if col["cls"] == "achievement" else (self.level_place(level) or self.area)
        committed = self.government if area == self.area else (self.government_of(area)
                                                               or self._body_for(area))
        span = view.orig(0, len(t))
        if not mentions:
            rel = re.fullmatch(r"(高于|低于|快于|慢于)(.+)", t)
            if not rel:
                return
            ref, rscore, _ = self.matcher.best([rel.group(2)], None, "growth")
            ind, score, _ = self.matcher.best(_variants(label, [label], self.lex, "growth", ""),
                                              "ratio", "growth")
            if ref is None or rscore < 0.8:
                return
            if ind is None or score < MATCH_THRESHOLD:
                ind = self._propose(label, "growth", "ratio", None, None)
                score = 0.3
            comparator = "higher-than-indicator" if rel.group(1) in ("高于", "快于") \
                else "lower-than-indicator"
            conf = round(min(0.9, 0.5 + 0.4 * score), 2)
            self.facts.append(Fact(col["cls"], ind.id, col["year"], area, part, span, conf,
                                   comparator=comparator, relative_to=ref.id,
                                   estimate=bool(col.get("estimate")),
                                   plan_level=level if col["cls"] == "target" else None,
                                   committed_by=committed if col["cls"] == "target" else None))
            return
        m = mentions[0]
        unit = self.reg.units.get(m.unit or "")
        kind = "growth" if (m.unit == "percent" and re.search(
            _alternation(self.lex["growth_nouns"] + ["增长"]), label)) else "level"
        ind, score, _ = self.matcher.best(_variants(label, [label], self.lex, kind, ""),
                                          unit.dimension if unit else None, kind)
        if ind is None or score < MATCH_THRESHOLD:
            ind = self._propose(label, kind, unit.dimension if unit else "none", None, None)
            score = 0.3
        conf = round(min(0.95, 0.55 + 0.4 * score), 2)
        # as written, like the facts of sentences: the unit of the cell or of the unit column
        # (%, 亿元), a growth rate's direction, the row's label as the subject
        growth = ind.kind == "growth-rate"
        subject = self.matcher.subject(label, self._stems(), keep_case=True)
        if growth:   # 地区生产总值增速 6.5: the growth of 地区生产总值, as a sentence says it
            subject = re.sub("(?:" + _alternation(self.lex["growth_nouns"]) + ")$", "",
                             subject) or subject
        written = {"value_text": m.value_text,
                   "unit_text": m.unit_text or (unit.symbol if unit else None),
                   "direction": "increase" if growth else "level", "subject": subject}
        if col["cls"] == "achievement":
            qualifier = self.lex["qualifiers_after"].get(m.after or "") if m.after else None
            self.facts.append(Fact("achievement", ind.id, col["year"], area, part, span, conf,
                                   m.value, m.unit, None, None, m.inner or qualifier,
                                   bool(col.get("estimate")), phrase=label, **written))
            return
        comparator = "range" if m.upper is not None else \
            self.lex["comparators_after"].get(m.after or "", "point")
        self.facts.append(Fact("target", ind.id, col["year"], area, part, span, conf, m.value,
                               m.unit, m.upper, comparator, plan_level=level,
                               committed_by=committed, phrase=label, **written))

