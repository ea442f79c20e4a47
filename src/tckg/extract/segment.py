"""Segmentation: paragraphs, tables, headings and sentences."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tckg.extract.normalise import View, make_view


@dataclass
class Block:
    start: int
    end: int
    table: bool = False
    view: View = field(default_factory=lambda: View("", []))


@dataclass
class Part:
    id: str
    kind: str                 # section | review-area | task-area | measure
    title: str
    span: tuple[int, int]     # original offsets of the heading
    year: int
    review: bool
    depth: int
    ordinal: int | None = None
    parent: Part | None = None
    children: int = 0
    mentions: list[str] = field(default_factory=list)
    estimate_all: bool = False
    implicit: bool = False


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_table_line(line: str) -> bool:
    return "\t" in line and sum(1 for c in line.split("\t") if c.strip()) >= 1 \
        and len(line.split("\t")) >= 3


_SECTION = re.compile(r"^(?:([一二三四五六七八九十]+)、|第([一二三四五六七八九十]+)部分[、:]?)(.{2,60})$")
_APPENDIX = re.compile(r"^附件\d*(?::(.*))?$")
_AREA_MARKERS = [
    ("paren-cn", re.compile(r"^[(]([一二三四五六七八九十]+)[)]")),
    ("arabic", re.compile(r"^(\d{1,2})[.、](?!\d)")),
    ("paren-ar", re.compile(r"^[(](\d{1,2})[)]")),
]


def _heading_kind(view_text: str) -> str | None:
    if _SECTION.match(view_text) and "。" not in view_text:
        return "section"
    if _APPENDIX.match(view_text):
        return "appendix"
    for name, rx in _AREA_MARKERS:
        if rx.match(view_text):
            return name
    return None


def _blocks(text: str) -> list[Block]:
    """Paragraphs and tables, with page breaks inside a sentence joined."""
    raw: list[Block] = []
    cur: Block | None = None
    for a, b in _lines(text):
        line = text[a:b]
        if not line.strip():
            cur = None
            continue
        table = _is_table_line(line)
        heading = None if table else _heading_kind(make_view(text, a, b).text)
        if cur is not None and cur.table == table and heading is None:
            cur.end = b
        else:
            cur = Block(a, b, table)
            raw.append(cur)
        if heading in ("section", "appendix"):
            cur = None  # a heading line is a block of its own
    for blk in raw:
        blk.view = make_view(text, blk.start, blk.end)
    out: list[Block] = []
    first: dict[int, Block] = {}    # a joined block's first piece (its view: the heading check)
    size: dict[int, int] = {}
    for blk in raw:
        prev = out[-1] if out else None
        if prev is not None and not prev.table and not blk.table and \
                _continues(first[id(prev)], prev, blk, size[id(prev)]):
            prev.end = blk.end
            prev.view = blk.view          # the last piece until all are joined (linear)
            size[id(prev)] += len(blk.view.text)
            continue
        out.append(blk)
        first[id(blk)] = Block(blk.start, blk.end, blk.table, blk.view)
        size[id(blk)] = len(blk.view.text)
    for blk in out:
        if blk.view is not first[id(blk)].view:
            blk.view = make_view(text, blk.start, blk.end)
    return out


def _continues(head: Block, prev: Block, nxt: Block, length: int) -> bool:
    """Does ``nxt`` continue the sentence ``prev`` broke off (a page break)? ``head`` is the
    first piece of ``prev``, ``length`` its length in characters."""
    p, q = prev.view.text, nxt.view.text
    if not p or not q or p[-1] in "。!?;:…":
        return False
    if _heading_kind(head.view.text) in ("section", "appendix") or _heading_kind(q) \
            or q.startswith(("——", "—")):
        return False
    # a short line is a title, unless it broke off inside a number or a list (达到74.4 | 万亿元)
    return length >= 30 or p[-1].isdigit() or p[-1] in "、,"


_SENT_END = "。!?"


def _sentences(view: View) -> list[tuple[int, int]]:
    """Sentence ranges of a block; bold runs end a sentence too (run-in headings)."""
    cuts = set()
    for a, b in view.bold:
        cuts.add(a)
        cuts.add(b)
    out, start = [], 0
    t = view.text
    for i, ch in enumerate(t):
        if i in cuts and i > start:
            if t[start:i].strip(_SENT_END):
                out.append((start, i))
            start = i
        if ch in _SENT_END:
            if t[start:i].strip():
                out.append((start, i))
            start = i + 1
    if start < len(t) and t[start:].strip(_SENT_END):
        out.append((start, len(t)))
    # strip leading terminators left by a bold cut
    clean = []
    for a, b in out:
        while a < b and t[a] in _SENT_END:
            a += 1
        if a < b:
            clean.append((a, b))
    return clean


def _is_bold(view: View, a: int, b: int) -> bool:
    covered = sum(max(0, min(b, y) - max(a, x)) for x, y in view.bold)
    return b > a and covered >= 0.8 * (b - a)


def _runin_heading(view: View, a: int, b: int, after_measure: bool, counted: bool) -> bool:
    """A run-in heading: a bold sentence, or a short one with no number, comma or colon
    (提前谋划抓储备。) that does not directly follow another heading."""
    if counted:
        return False
    text = view.text[a:b]
    core = re.sub(r"[“”\"'‘’]", "", text)
    if _is_bold(view, a, b):
        return 2 <= len(core) <= 30 and not re.search(r"\d", core)
    if after_measure:
        return False
    return (4 <= len(core) <= 13 and not re.search(r"[\d,;:()第]", core)
            and not core.startswith(("要", "我们", "为了")))


def _cn_int(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        import cn2an

        return int(cn2an.cn2an(text, "smart"))
    except Exception:  # noqa: BLE001 - not a numeral
        return None


def _plan_year(title: str, lex: Mapping[str, Any]) -> int | None:
    """The year a title's plan is for: the latest year not followed by 执行情况 (review)."""
    found = list(re.finditer(r"(\d{4})年", title))
    plans, others = [], []
    for i, m in enumerate(found):
        tail = title[m.end():found[i + 1].start() if i + 1 < len(found) else len(title)]
        (others if any(w in tail for w in lex["review_section_words"]) else plans).append(
            int(m.group(1)))
    if plans:
        return max(plans)
    return max(others) + 1 if others else None

