"""Sections, areas, measures and the appendix: the parts of a report."""

from __future__ import annotations

import re

from tckg.extract.normalise import View, make_view
from tckg.extract.segment import (
    _APPENDIX,
    _AREA_MARKERS,
    _SECTION,
    Block,
    Part,
    _cn_int,
    _heading_kind,
    _runin_heading,
    _sentences,
)


class StructureMixin:
    """Assigns a part (section, area, measure) to every block and sentence."""

    # -- structure ---------------------------------------------------------------------------
    def _structure(self, blocks: list[Block]) -> list[tuple[Block, Part | None, list[tuple[int, int, Part | None]]]]:
        """Assign parts to blocks and sentences; return (block, part, sentences with parts)."""
        out = []
        section: Part | None = None
        stack: list[Part] = []       # areas under the section, by depth
        styles: list[str] = []
        n_sections = 0
        measure: Part | None = None
        appendix: Part | None = None
        pending_title: Block | None = None
        for blk in blocks:
            t = blk.view.text
            if blk is self.title_blk:
                out.append((blk, None, []))
                continue
            if blk.table:
                if appendix is None:
                    appendix = self._appendix_part(pending_title or blk, blk)
                out.append((blk, appendix, []))
                continue
            kind = _heading_kind(t)
            if kind == "appendix" or (appendix is not None and kind is None and len(t) < 60
                                      and "\t" not in t):
                if appendix is None:
                    appendix = self._appendix_part(blk, blk)
                pending_title = blk if kind is None else pending_title
                if kind is None and appendix is not None:
                    self._retitle_appendix(appendix, blk)
                section, stack, measure = appendix, [], None
                out.append((blk, appendix, []))
                continue
            if kind == "section":
                m = _SECTION.match(t)
                n_sections += 1
                title = m.group(3).strip()
                review = self._is_review(title)
                year = self._year_of(title, review)
                ordinal = _cn_int(m.group(1) or m.group(2)) or n_sections
                a = t.index(m.group(3))
                section = self._new_part(f"s{ordinal}", "section", title,
                                         blk.view.orig(0, len(t)), year, review, 0,
                                         ordinal, None)
                self._title_span(section, blk.view, a, len(t))
                stack, styles, measure = [], [], None
                out.append((blk, section, []))
                continue
            part = measure or (stack[-1] if stack else section)
            if part is None and re.search(r"\d|[一二三四五六七八九十百千]", t):
                part = self._body_part(blk)  # text outside any 一、 section
            sents = []
            if kind in ("paren-cn", "arabic", "paren-ar") and section is not None \
                    and section is not appendix:
                if kind not in styles:
                    styles.append(kind)
                depth = styles.index(kind) + 1
                while stack and stack[-1].depth >= depth:
                    stack.pop()
                parent = stack[-1] if stack else section
                m = dict(_AREA_MARKERS)[kind].match(t)
                marker_end = m.end()
                ordinal = _cn_int(m.group(1)) or (parent.children + 1)
                first = _sentences(blk.view)
                head_end = first[0][1] if first else len(t)
                if head_end - marker_end > 50:
                    comma = t.find(",", marker_end)
                    head_end = comma if 0 < comma < head_end else marker_end + 50
                title = t[marker_end:head_end]
                area = self._new_part(f"{parent.id}-{ordinal}",
                                      "review-area" if section.review else "task-area",
                                      title, (0, 0), section.year, section.review, depth,
                                      ordinal, parent)
                self._title_span(area, blk.view, 0, head_end)
                area.title = re.sub(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[.、．])\s*",
                                    "", area.title)
                stack.append(area)
                measure = None
                part = area
            sentences = _sentences(blk.view)
            numbers = self._mentions(blk.view)
            after_measure = False
            for a, b in sentences:
                if kind in ("paren-cn", "arabic", "paren-ar") and a == 0:
                    sents.append((a, b, part))
                    after_measure = False
                    continue
                if stack and section is not None and section is not appendix and \
                        _runin_heading(blk.view, a, b, after_measure,
                                       any(a <= n.a < b for n in numbers)):
                    parent = stack[-1]
                    ordinal = parent.children + 1
                    title = blk.view.text[a:b]
                    measure = self._new_part(f"{parent.id}-{ordinal}",
                                             "review-area" if section.review else "measure",
                                             title, (0, 0), section.year, section.review,
                                             parent.depth + 1, ordinal, parent)
                    self._title_span(measure, blk.view, a, b)
                    part = measure
                    after_measure = True
                    sents.append((a, b, None))
                    continue
                after_measure = False
                sents.append((a, b, part))
            out.append((blk, part, sents))
        return out

    def _review_body(self, body: Part) -> Part:
        """The review twin of the implicit body part (sentences without a plan cue)."""
        if self.body_review is None:
            self.body_review = self._new_part("s0-review", "section", body.title, body.span,
                                              self.review_year, True, 0, None, None)
            self.body_review.title = body.title.replace("正文：", "正文（回顾）：", 1)
            self.body_review.implicit = True
        return self.body_review

    def _split_title(self, blocks: list[Block]) -> list[Block]:
        """The title line is a block of its own; lines around it are text like any other."""
        out = []
        ta, tb = self.title_span
        for blk in blocks:
            if blk is not self.title_blk or (blk.start, blk.end) == (ta, tb):
                out.append(blk)
                continue
            for a, b in ((blk.start, ta - 1), (ta, tb), (tb + 1, blk.end)):
                if b > a and self.text[a:b].strip():
                    piece = Block(a, b, False, make_view(self.text, a, b))
                    out.append(piece)
                    if (a, b) == (ta, tb):
                        self.title_blk = piece
        return out

    def _body_part(self, blk: Block) -> Part:
        """Text before (or without) any 一、 section: review or plan is decided per sentence."""
        if self.body is None:
            sents = _sentences(blk.view)
            a, b = sents[0] if sents else (0, len(blk.view.text))
            self.body = self._new_part("s0", "section", "", (0, 0), self.plan_year, False, 0,
                                       None, None)
            self._title_span(self.body, blk.view, a, min(b, a + 40))
            self.body.title = "正文：" + self.body.title
            self.body.implicit = True
        return self.body

    def _title_span(self, part: Part, view: View, a: int, b: int) -> None:
        t = view.text
        while a < b and t[a] in " *":
            a += 1
        while b > a and t[b - 1] in " *。":
            b -= 1
        part.span = view.orig(a, b)
        title = self.text[part.span[0]:part.span[1]].replace("**", "")
        part.title = re.sub(r"\s+", " ", title).strip()

    def _appendix_part(self, title_blk: Block, blk: Block) -> Part:
        t = title_blk.view.text
        m = _APPENDIX.match(t)
        title = (m.group(1) if m and m.group(1) else t) if not title_blk.table else "附件"
        year = self.plan_year
        part = self._new_part("appendix", "section", title or "附件", (0, 0), year, False, 0,
                              None, None)
        if not title_blk.table:
            self._title_span(part, title_blk.view, 0, len(t))
        else:
            part.span = (blk.start, blk.start + len(self.text[blk.start:blk.end].split("\t")[0]))
        return part

    def _retitle_appendix(self, part: Part, blk: Block) -> None:
        t = blk.view.text
        if t and t != "附件":
            part.title = t
            self._title_span(part, blk.view, 0, len(t))

    def _new_part(self, ident: str, kind: str, title: str, span: tuple[int, int], year: int,
                  review: bool, depth: int, ordinal: int | None, parent: Part | None) -> Part:
        ident = re.sub(r"[^a-z0-9-]", "-", ident.lower())
        # numbering restarts (a second 一、 in an annex): keep ids unique. The ids taken and the
        # next free suffix of each are remembered (rebuilding them per part was quadratic).
        taken = self._part_ids
        if ident in taken:
            suffixes = self._part_suffix
            n = suffixes.get(ident, 2)
            while f"{ident}-{n}" in taken:
                n += 1
            suffixes[ident] = n + 1
            ident = f"{ident}-{n}"
        taken.add(ident)
        if parent is not None:
            parent.children += 1
        part = Part(ident, kind, title, span, year, review, depth, ordinal, parent)
        self.parts.append(part)
        return part

    def _is_review(self, title: str) -> bool:
        lex = self.lex
        if any(w in title for w in lex["review_section_words"]):
            return True
        years = [int(y) for y in re.findall(r"(\d{4})年", title)]
        return bool(years) and max(years) < self.plan_year

    def _year_of(self, title: str, review: bool) -> int:
        years = [int(y) for y in re.findall(r"(\d{4})年", title)]
        if years:
            return min(years) if review else max(years)
        return self.review_year if review else self.plan_year

