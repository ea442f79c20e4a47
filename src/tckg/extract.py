"""Report text -> a draft in the tckg ontology, every fact with its evidence and a confidence.

The extractor reads a plan report (or a government work report) as plain text and writes the
same records as the curated YAML (``data/source/README.md``: report, places, bodies,
enterprises, campaigns, projects, tasks, targets, achievements), which :mod:`tckg.compile`
turns into triples. Drafts and curated data therefore share one writer and one IRI scheme;
the draft adds ``tck:confidence`` on every fact, ``tck:isDraft true`` on the report and
``tck:isProposed true`` on indicators it had to invent.

It works by rules and lexicons, not by a statistical model, so every decision can be read:

- **text**: NFKC (full-width digits and punctuation), spaces between CJK and numbers dropped,
  page breaks inside a sentence joined (a paragraph that stops without 。 continues), ``**bold**``
  kept as a heading mark. Every character keeps its offset in the original text, so evidence
  points at the original characters.
- **structure**: 一、二、 sections; numbered areas (1. / （一）); bold or short run-in headings
  as measures; 附件 and its tables as the appendix. Sections whose title reviews a year
  (执行情况, 回顾) hold achievements; the others hold targets.
- **numbers**: Arabic and Chinese numerals (cn2an), 万/亿 multipliers, hedges (余, 约, 超过),
  comparators (左右, 以上, 以内, 不低于, 不超过, 力争), ranges (6%－6.5%), negative growth
  (增长-8.1%, 下降 8.1%), lists (分别增长 9.7%、9.6%; 面积、产量分别 … 以上), ranks (第 3 位,
  全市第一, 亚军) and rank changes (上升 12 位); relative (高于经济增长), benchmark (低于全省平均
  水平), qualitative (保持 II 类) and unquantified (完成上级下达的节能减排任务) targets.
- **indicators**: the phrase before the number is matched to the indicator scheme's
  ``skos:prefLabel`` and ``skos:altLabel`` (filtered by the unit's dimension and by the kind:
  growth, rank …); when nothing matches well a new indicator is proposed.
- **entities**: places, bodies and enterprises already known to the data are reused by label;
  lists the text marks (``A、B 等一批项目开工建设``, ``A、B 等企业``, ``“X”专项行动``) become
  projects with milestones, enterprises and campaigns.

The lexicon is ``src/tckg/lexicon/extract.yaml``; units come from ``ontology/units.ttl``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tckg.compile import _Compiler
from tckg.errors import TckgError
from tckg.namespaces import BODYKIND, DIM, IND, KIND, LEVEL, ORGS, PLACE, POL, SCHEMA, TCK, UNIT
from tckg.numbers import fmt_number
from tckg.vocab.iri import SLUG, local_name
from tckg.vocab.iri import mint as mint_iri

LEXICON_PATH = Path(__file__).with_name("lexicon") / "extract.yaml"
MATCH_THRESHOLD = 0.62
MAX_PHRASE = 60        # characters of text before (or after) a number read as its subject
MAX_CLAUSE = 300       # longer "clauses" are not sentences of a report: only their end is read
LEVEL_ORDER = ["village", "town", "zone", "district", "city", "province", "nation"]


class ExtractError(TckgError):
    """A report text the extractor cannot turn into a draft (no year, no area …)."""


# =============================================================================== lexicon

@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The extractor's word lists (``src/tckg/lexicon/extract.yaml``), loaded once."""
    import yaml

    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def norm_label(text: str) -> str:
    """A label as compared: NFKC, no spaces, quotes or brackets, lower-case ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s“”‘’\"'「」『』《》〈〉·*()（）【】\[\]]", "", text)
    return text.lower()


# =============================================================================== registry

@dataclass
class UnitInfo:
    id: str
    symbol: str
    dimension: str
    base: str
    factor: Decimal


@dataclass
class IndicatorInfo:
    id: str
    label_zh: str
    labels: list[str]
    kind: str
    dimension: str
    polarity: str
    growth_of: str | None = None
    proposed: bool = False
    label_en: str | None = None


@dataclass
class PlaceInfo:
    id: str
    zh: str
    en: str
    level: str
    part_of: str | None = None


@dataclass
class BodyInfo:
    id: str
    zh: str
    en: str
    kind: str
    jurisdiction: str | None = None


def _lang(graph: Graph, node: URIRef, prop: URIRef, lang: str) -> str | None:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return None


@dataclass
class Registry:
    """What the extractor already knows: units and indicators from the ontology; places,
    bodies and enterprises from the loaded data (shared by all reports)."""

    units: dict[str, UnitInfo] = field(default_factory=dict)
    indicators: dict[str, IndicatorInfo] = field(default_factory=dict)
    places: dict[str, PlaceInfo] = field(default_factory=dict)
    bodies: dict[str, BodyInfo] = field(default_factory=dict)
    enterprises: dict[str, tuple[str, str]] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)   # tck: properties the ontology declares

    @classmethod
    def from_graph(cls, graph: Graph) -> Registry:
        reg = cls()
        for kind in (OWL.DatatypeProperty, OWL.ObjectProperty):
            reg.terms |= {str(p) for p in graph.subjects(RDF.type, kind)
                          if str(p).startswith(str(TCK))}
        for node in graph.subjects(RDF.type, TCK.Unit):
            ident = local_name(node, UNIT)
            symbol = next((str(s) for s in graph.objects(node, TCK.symbol)), None)
            dim = local_name(next(graph.objects(node, TCK.dimension), ""), DIM)
            base = local_name(next(graph.objects(node, TCK.baseUnit), node), UNIT)
            factor = next(graph.objects(node, TCK.conversionFactor), Literal(1))
            if ident and symbol and dim:
                reg.units[ident] = UnitInfo(ident, symbol, dim, base or ident,
                                            Decimal(str(factor)))
        for node in graph.subjects(RDF.type, TCK.Indicator):
            ident = local_name(node, IND)
            if not ident:
                continue
            zh = _lang(graph, node, SKOS.prefLabel, "zh") or ident
            labels = [zh] + [str(a) for a in graph.objects(node, SKOS.altLabel)]
            reg.indicators[ident] = IndicatorInfo(
                ident, zh, labels,
                local_name(next(graph.objects(node, TCK.indicatorKind), ""), KIND) or "level",
                local_name(next(graph.objects(node, TCK.dimension), ""), DIM) or "none",
                local_name(next(graph.objects(node, TCK.polarity), ""), POL) or "higher-is-better",
                local_name(next(graph.objects(node, TCK.growthOf), ""), IND) or None,
                label_en=_lang(graph, node, SKOS.prefLabel, "en"))
        for node in graph.subjects(RDF.type, TCK.Place):
            ident = local_name(node, PLACE)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                level = local_name(next(graph.objects(node, TCK.placeLevel), ""), LEVEL) or "other"
                parent = local_name(next(graph.objects(node, SCHEMA.containedInPlace), ""), PLACE)
                reg.places[ident] = PlaceInfo(ident, zh, en, level, parent or None)
        for node in graph.subjects(RDF.type, TCK.ResponsibleBody):
            ident = local_name(node, ORGS)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                kind = local_name(next(graph.objects(node, TCK.bodyKind), ""), BODYKIND) or "other"
                juris = local_name(next(graph.objects(node, TCK.jurisdiction), ""), PLACE)
                reg.bodies[ident] = BodyInfo(ident, zh, en, kind, juris or None)
        for node in graph.subjects(RDF.type, TCK.Enterprise):
            ident = local_name(node, ORGS)
            zh, en = _lang(graph, node, RDFS.label, "zh"), _lang(graph, node, RDFS.label, "en")
            if ident and zh and en:
                reg.enterprises[ident] = (zh, en)
        return reg

    @classmethod
    def default(cls, with_data: bool = True) -> Registry:
        """The ontology, plus the bundled data when ``with_data`` (reuses their places)."""
        from tckg.store.load import load_dataset

        ds = load_dataset(None if with_data else [])
        return cls.from_graph(ds.union())

    # -- look-ups ------------------------------------------------------------------------
    def ancestors(self, place: str) -> list[str]:
        out, seen = [], set()
        while place and place not in seen and place in self.places:
            seen.add(place)
            out.append(place)
            place = self.places[place].part_of or ""
        return out

    def place_by_label(self, label: str) -> str | None:
        key = norm_label(label)
        for p in self.places.values():
            if norm_label(p.zh) == key or p.id == label:
                return p.id
        return None

    def body_by_label(self, label: str) -> str | None:
        key = norm_label(label)
        for b in self.bodies.values():
            if norm_label(b.zh) == key or b.id == label:
                return b.id
        return None


# =============================================================================== text views

@dataclass
class View:
    """A normalised stretch of the text; ``pos[i]`` is the original offset of ``text[i]``."""

    text: str
    pos: list[int]
    bold: list[tuple[int, int]] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)

    def orig(self, a: int, b: int) -> tuple[int, int]:
        return self.pos[a], self.pos[b - 1] + 1


_WS = set(" \t\r\n\u3000\xa0\u2002\u2003\u2009")


def make_view(src: str, start: int, end: int) -> View:
    """NFKC each character, drop ``**`` (remembering bold runs) and spaces not between
    ASCII letters or digits; keep every character's original offset."""
    chars: list[str] = []
    pos: list[int] = []
    bold: list[tuple[int, int]] = []
    bold_open: int | None = None
    i = start
    while i < end:
        c = src[i]
        if c == "*" and i + 1 < end and src[i + 1] == "*":
            if bold_open is None:
                bold_open = len(chars)
            else:
                bold.append((bold_open, len(chars)))
                bold_open = None
            i += 2
            continue
        n = unicodedata.normalize("NFKC", c) if ord(c) > 127 else c
        for ch in n:
            chars.append(ch)
            pos.append(i)
        i += 1
    # drop whitespace unless it separates two ASCII letters/digits
    keep_c: list[str] = []
    keep_p: list[int] = []
    remap: list[int] = []
    next_solid = [""] * (len(chars) + 1)   # the next non-space character after each position
    for k in range(len(chars) - 1, -1, -1):
        c2 = chars[k]
        next_solid[k] = next_solid[k + 1] if (c2 in _WS or c2.isspace()) else c2
    for k, ch in enumerate(chars):
        remap.append(len(keep_c))
        if ch in _WS or ch.isspace():
            prev = keep_c[-1] if keep_c else ""
            nxt = next_solid[k + 1]
            broken = ch in "\r\n" and (prev.isdigit() or nxt.isdigit())  # 1\n508 万美元
            if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum() \
                    and keep_c and keep_c[-1] != " " and not broken:
                keep_c.append(" ")
                keep_p.append(pos[k])
            continue
        keep_c.append(ch)
        keep_p.append(pos[k])
    remap.append(len(keep_c))
    bold = [(remap[a], remap[b]) for a, b in bold if remap[b] > remap[a]]
    text = "".join(keep_c)
    quoted, depth = [], 0
    for ch in text:
        if ch in "“「『":
            depth += 1
        quoted.append(depth > 0)
        if ch in "”」』" and depth:
            depth -= 1
    return View(text, keep_p, bold, quoted)


# =============================================================================== structure

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
    for blk in raw:
        prev = out[-1] if out else None
        if prev is not None and not prev.table and not blk.table and _continues(prev, blk):
            prev.end = blk.end
            prev.view = make_view(text, prev.start, prev.end)
            continue
        out.append(blk)
    return out


def _continues(prev: Block, nxt: Block) -> bool:
    """Does ``nxt`` continue the sentence ``prev`` broke off (a page break)?"""
    p, q = prev.view.text, nxt.view.text
    if not p or not q or p[-1] in "。!?;:…" or len(p) < 30:
        return False
    if _heading_kind(p) in ("section", "appendix") or _heading_kind(q) \
            or q.startswith(("——", "—")):
        return False
    return True


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


# =============================================================================== numbers

@dataclass
class Mention:
    a: int                     # view offsets: number (sign included) …
    b: int                     # … through unit and after-words
    value: Decimal
    unit: str | None
    upper: Decimal | None = None
    inner: str | None = None   # 余/多 between number and unit
    after: str | None = None   # 以上/左右/以内 … right after the unit
    kind: str = "number"       # number | rank | rank-change
    modifier: bool = False     # part of a noun phrase (10 亿元以上项目 2 个)
    unit_end: int = 0          # view offset after the unit (before after-words)


class NumberReader:
    """Finds numbers with their units, hedges and comparators in a view."""

    def __init__(self, units: Mapping[str, UnitInfo]) -> None:
        lex = lexicon()
        self.units = units
        self.by_symbol: dict[str, str | None] = {u.symbol: u.id for u in units.values()}
        for alias, ident in (lex.get("unit_aliases") or {}).items():
            if ident is None or ident in units:
                self.by_symbol.setdefault(alias, ident)
        self.mults = {k: Decimal(v) for k, v in lex["multipliers"].items()}
        self.unit_rx = re.compile(_alternation(self.by_symbol))
        self.mult_rx = re.compile(_alternation(self.mults))
        self.inner = lex["inner_qualifiers"]
        after = list(lex["comparators_after"]) + list(lex["qualifiers_after"])
        self.after_rx = re.compile(_alternation(after))
        self.range_seps = lex["range_separators"]
        self.rank_words = lex["rank_words"]
        self.cn_skip = set(lex["chinese_numeral_skip_units"])
        self.up = lex["rank_up_verbs"]
        self.down = lex["rank_down_verbs"]
        self.event_verbs = set(lex["category_verbs"]) | set(lex["stage_verbs"]) | {
            "完成", "实现", "办结", "建成", "出", "签约", "开工", "获", "达到", "累计"}

    _ARABIC = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
    _CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")

    def _unit_at(self, t: str, i: int) -> tuple[str | None, Decimal, int, str | None]:
        """(unit id, multiplier, end, inner hedge) for the unit written at ``t[i:]``."""
        inner = None
        j = i
        if j < len(t) and t[j] in self.inner:
            inner, j = self.inner[t[j]], j + 1
        m = self.unit_rx.match(t, j)
        if m and self.by_symbol.get(m.group()) is not None:
            return self.by_symbol[m.group()], Decimal(1), m.end(), inner
        mm = self.mult_rx.match(t, j)
        if mm:
            k = mm.end()
            if k < len(t) and t[k] in self.inner:
                inner, k = self.inner[t[k]], k + 1
            um = self.unit_rx.match(t, k)
            if um and self.by_symbol.get(um.group()) is not None:
                composed = self.by_symbol.get(mm.group() + um.group())
                if composed:
                    return composed, Decimal(1), um.end(), inner
                return self.by_symbol[um.group()], self.mults[mm.group()], um.end(), inner
        return None, Decimal(1), i, inner

    def read(self, view: View, default_unit: str | None = None) -> list[Mention]:
        """Numbers of ``view``; ``default_unit`` is the unit of bare numbers (a table column
        whose unit is given once, in a 单位 column or the row label)."""
        t = view.text
        found: list[Mention] = []
        taken = [False] * (len(t) + 1)
        for m in self._ARABIC.finditer(t):
            a, b = m.start(), m.end()
            if taken[a]:
                continue
            prev = t[a - 1] if a else ""
            if prev and prev.isascii() and (prev.isalpha() or prev in "._/"):
                continue  # PM2.5, 3A, version numbers
            if view.quoted[a]:
                continue
            value = Decimal(m.group().replace(",", ""))
            if prev == "第":
                mention = self._rank(t, a - 1, b, value)
                if mention:
                    found.append(mention)
                continue
            sign_a = a
            if prev and prev in "-−" and (a < 2 or not (t[a - 2].isdigit() or t[a - 2] == "%")):
                value, sign_a = -value, a - 1
            unit, mult, end, inner = self._unit_at(t, b)
            if unit is None and default_unit:
                unit, mult, end = default_unit, Decimal(1), b
            upper = None
            # a range: 6%-6.5%, 6-6.5%, 6%至6.5%
            for sep in self.range_seps:
                if t.startswith(sep, end if unit else b):
                    k = (end if unit else b) + len(sep)
                    m2 = self._ARABIC.match(t, k)
                    if m2:
                        u2, mult2, end2, inner2 = self._unit_at(t, m2.end())
                        if u2 is None and default_unit:
                            u2, mult2, end2 = default_unit, Decimal(1), m2.end()
                        if u2 and (unit is None or u2 == unit):
                            upper = Decimal(m2.group().replace(",", "")) * mult2
                            unit, mult, end, inner = u2, mult2, end2, inner or inner2
                            for x in range(m2.start(), m2.end()):
                                taken[x] = True
                    break
            if unit is None:
                if end == b and b < len(t) and t[b] in "、和及" and self._next_has_unit(t, b + 1):
                    unit_next = self._next_unit(t, b + 1)
                    if unit_next:
                        unit, mult = unit_next
                        found.append(self._finish(t, sign_a, b, value * mult, unit, None,
                                                  inner, b))
                continue
            found.append(self._finish(t, sign_a, end, value * mult, unit,
                                      upper, inner, end))
        for m in self._CHINESE.finditer(t):
            a, b = m.start(), m.end()
            if view.quoted[a] or any(x.a <= a < x.b for x in found):
                continue
            prev = t[a - 1] if a else ""
            try:
                import cn2an

                value = Decimal(str(cn2an.cn2an(m.group(), "smart")))
            except Exception:  # noqa: BLE001 - not a numeral after all (e.g. 万一)
                continue
            if prev == "第":
                mention = self._rank(t, a - 1, b, value)
                if mention:
                    found.append(mention)
                continue
            unit, mult, end, inner = self._unit_at(t, b)
            if unit is None or t[b:b + 1] in self.cn_skip:
                continue
            nxt = t[end] if end < len(t) else ""
            if nxt and (_is_cjk(nxt) and not self.after_rx.match(t, end)):
                continue  # 百名干部, 二次会议, 一个中心: part of a noun
            found.append(self._finish(t, a, end, value * mult, unit, None, inner, end))
        for word, value in self.rank_words.items():
            for m in re.finditer(re.escape(word), t):
                before = t[max(0, m.start() - 6):m.start()]
                if not view.quoted[m.start()] and re.search(r"获得|荣获|夺得|取得|获", before):
                    found.append(Mention(m.start(), m.end(), Decimal(value), "rank",
                                         kind="rank", unit_end=m.end()))
        found.sort(key=lambda x: x.a)
        self._mark_modifiers(t, found)
        return found

    def _next_has_unit(self, t: str, i: int) -> bool:
        return self._next_unit(t, i) is not None

    def _next_unit(self, t: str, i: int) -> tuple[str, Decimal] | None:
        m = self._ARABIC.match(t, i)
        if not m:
            return None
        unit, mult, _, _ = self._unit_at(t, m.end())
        if unit:
            return unit, mult
        if m.end() < len(t) and t[m.end()] in "、和及":
            return self._next_unit(t, m.end() + 1)
        return None

    def _rank(self, t: str, di: int, b: int, value: Decimal) -> Mention | None:
        """第 N 位 / 第 N 名 / 全市第一: a rank when followed by 位/名 or a clause end."""
        end = b
        if end < len(t) and t[end] in "位名":
            end += 1
        elif end < len(t) and (_is_cjk(t[end]) or t[end].isalnum()):
            return None  # 第十九批, 第六届, 第三次会议
        return Mention(di, end, value, "rank", kind="rank", unit_end=end)

    def _finish(self, t: str, a: int, end: int, value: Decimal, unit: str,
                upper: Decimal | None, inner: str | None, unit_end: int) -> Mention:
        after = None
        m = self.after_rx.match(t, end)
        if m:
            after, end = m.group(), m.end()
        kind = "number"
        if unit == "rank":
            before = t[max(0, a - 4):a]
            if any(before.endswith(v) for v in self.up):
                kind = "rank-change"
            elif any(before.endswith(v) for v in self.down):
                kind, value = "rank-change", -value
        return Mention(a, end, value, unit, upper, inner, after, kind, unit_end=unit_end)

    def _mark_modifiers(self, t: str, found: list[Mention]) -> None:
        """``10 亿元以上项目 2 个``, ``8 家头部企业完成产值 476.2 亿元``: a number followed by a
        noun and then by another number of the same clause describes, it does not count."""
        for i, m in enumerate(found):
            if m.kind != "number" or m.b >= len(t):
                continue
            nxt = t[m.b]
            if not _is_cjk(nxt) and nxt not in "“":
                continue
            if any(t.startswith(v, m.b) for v in self.event_verbs):
                continue
            clause_end = _clause_end(t, m.b)
            if any(o.a < clause_end for o in found[i + 1:] if o.kind == "number"):
                m.modifier = True


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_CLAUSE_PUNCT = ",;:。!?"


def _clause_end(t: str, i: int) -> int:
    while i < len(t) and t[i] not in _CLAUSE_PUNCT:
        i += 1
    return i


# =============================================================================== indicators

def canonical(text: str) -> str:
    """A normalised label with the lexicon's synonyms folded (年均 = 平均, GDP = 地区生产总值)."""
    text = norm_label(text)
    for word, canon in _synonyms():
        text = text.replace(word, canon)
    return text


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, str]]:
    pairs = [(norm_label(k), norm_label(v)) for k, v in lexicon()["match_synonyms"].items()]
    return sorted(pairs, key=lambda kv: -len(kv[0]))


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


@lru_cache(maxsize=200_000)
def label_score(phrase: str, label: str, base: str | None = None) -> float:
    """How well a phrase of the text names an indicator label (0–1).

    The characters the two share in runs of two or more (difflib's matching blocks) give a
    recall over the label and a precision over the phrase, combined as F2: naming all of
    the label matters more than extra words around it in the text. Different numbers
    (10 亿元 / 100 亿元) or contradicting words (省级 / 国家级) lower the score.
    """
    from difflib import SequenceMatcher

    if not phrase or not label:
        return 0.0
    if phrase == label:
        return 1.0
    blocks = SequenceMatcher(None, phrase, label, autojunk=False).get_matching_blocks()
    short = min(len(phrase), len(label)) <= 2
    matched = sum(b.size for b in blocks if b.size >= 2 or (short and b.size == 1))
    if not matched:
        return 0.0
    recall, precision = matched / len(label), matched / len(phrase)
    score = 0.95 * 5 * precision * recall / (4 * precision + recall)
    if re.findall(r"\d+", phrase) != re.findall(r"\d+", label):
        score *= 0.6
    lex = lexicon()
    words_of = base if base is not None else phrase   # what the text said, before trimming
    for group in lex["exclusive_words"]:
        in_p = {w for w in group if w in words_of}
        in_l = {w for w in group if w in label}
        if in_p and in_l and not in_p & in_l:
            score *= 0.6
    for group in lex["qualifying_words"]:
        in_p = {w for w in group if w in words_of}
        in_l = {w for w in group if w in label}
        if in_p != in_l:       # 农村居民… is not 居民…, 人均地区生产总值 is not 地区生产总值
            score *= 0.6
    return score


_COUNT_SUFFIX = re.compile(r"(?:个数|数量|期数|场次|(?<!总)数)$")


class IndicatorMatcher:
    def __init__(self, registry: Registry) -> None:
        self.reg = registry
        self.index: list[tuple[str, IndicatorInfo]] = []
        for ind in registry.indicators.values():
            self._add(ind)

    def _add(self, ind: IndicatorInfo) -> None:
        seen = set()
        for label in ind.labels:
            for variant in (canonical(label), _COUNT_SUFFIX.sub("", canonical(label))):
                if variant and variant not in seen:
                    seen.add(variant)
                    self.index.append((variant, ind))

    def add(self, ind: IndicatorInfo) -> None:
        self.reg.indicators[ind.id] = ind
        self._add(ind)

    def candidates(self, dimension: str | None, kind: str) -> Iterable[tuple[str, IndicatorInfo]]:
        for label, ind in self.index:
            if dimension and ind.dimension != dimension:
                continue
            if kind == "growth" and ind.kind != "growth-rate":
                continue
            if kind in ("rank", "rank-change", "qualitative") and ind.kind != kind:
                continue
            if kind == "level" and ind.kind in ("growth-rate", "rank", "rank-change", "qualitative"):
                continue
            yield label, ind

    def best(self, phrases: Sequence[str | tuple[str, float]], dimension: str | None,
             kind: str) -> tuple[IndicatorInfo | None, float, str]:
        """The best indicator for any of the phrasings (the first is what the text says);
        a phrasing may carry a weight below 1 (composed, not written)."""
        best: tuple[IndicatorInfo | None, float, str] = (None, 0.0, "")
        cands = list(self.candidates(dimension, kind))
        weighted = [(p, 1.0) if isinstance(p, str) else p for p in phrases]
        base = canonical(weighted[0][0]) if weighted else None
        for phrase, weight in weighted:
            p = canonical(phrase)
            if not p:
                continue
            pb = _bigrams(p)
            for label, ind in cands:
                if len(p) > 2 and len(label) > 2 and not pb & _bigrams(label):
                    continue  # nothing in common: skip the costly alignment
                s = label_score(p, label, base) * weight
                if s > best[1] or (s == best[1] and best[0] is not None and ind.id < best[0].id):
                    best = (ind, s, phrase)
        return best


# =============================================================================== facts

@dataclass
class Fact:
    cls: str                          # target | achievement
    indicator: str
    year: int
    area: str
    part: Part
    span: tuple[int, int]             # original offsets of the quote
    confidence: float
    value: Decimal | None = None
    unit: str | None = None
    upper: Decimal | None = None
    comparator: str | None = None
    qualifier: str | None = None
    estimate: bool = False
    relative_to: str | None = None
    benchmark_area: str | None = None
    qualitative: str | None = None
    plan_level: str | None = None
    committed_by: str | None = None
    phrase: str = ""                  # the words of the text that name the indicator
    also: list[tuple[int, int]] = field(default_factory=list)
    note: str | None = None

    def key(self) -> tuple[Any, ...]:
        if self.cls == "target":
            return ("target", self.year, self.plan_level, self.indicator)
        return ("achievement", self.year, self.area, self.indicator)


@dataclass
class Options:
    government: str | None = None
    area: str | None = None
    year: int | None = None
    slug: str | None = None
    text_name: str = "report.txt"


@dataclass
class Draft:
    """The result of :func:`extract_text`: the source records, the graph and notes."""

    source: dict[str, Any]
    graph: Graph
    slug: str
    text: str
    facts: list[Fact]
    proposed: list[IndicatorInfo]
    notes: list[str]

    @property
    def graph_name(self) -> URIRef:
        from tckg.namespaces import GRAPH

        return GRAPH[self.slug]

    def counts(self) -> dict[str, int]:
        src = self.source
        return {key: len(src.get(key) or []) for key in
                ("tasks", "targets", "achievements", "projects", "enterprises", "campaigns")} | {
            "proposed_indicators": len(self.proposed)}

    def to_turtle(self) -> str:
        return self.graph.serialize(format="longturtle")


class _Extractor:
    def __init__(self, text: str, registry: Registry, options: Options) -> None:
        self.text = text
        # proposals join the indicator index of this run only: the caller's registry is kept
        self.reg = replace(registry, indicators=dict(registry.indicators))
        self.opt = options
        self.lex = lexicon()
        self.numbers = NumberReader(registry.units)
        self.matcher = IndicatorMatcher(self.reg)
        self.notes: list[str] = []
        self.facts: list[Fact] = []
        self.proposed: dict[str, IndicatorInfo] = {}
        self.places: dict[str, PlaceInfo] = {}
        self.bodies: dict[str, BodyInfo] = {}
        self.parts: list[Part] = []
        self.enterprises: dict[str, dict[str, Any]] = {}
        self.projects: dict[str, dict[str, Any]] = {}
        self.campaigns: dict[str, dict[str, Any]] = {}
        self.body: Part | None = None
        self._mention_cache: dict[int, tuple[View, list[Mention]]] = {}
        self.body_review: Part | None = None

    # -- report metadata -------------------------------------------------------------------
    def _metadata(self, blocks: list[Block]) -> None:
        head = [b for b in blocks[:8] if not b.table]
        if not head:
            raise ExtractError(f"{self.opt.text_name}: the text is empty; nothing to extract.")
        # the title: the first line that names a report (a block may hold a note line too)
        self.title_span = None
        for blk in head:
            for a, b in _lines(self.text[blk.start:blk.end]):
                line = make_view(self.text, blk.start + a, blk.start + b).text
                if re.search(r"报告$|计划(?:草案)?的报告|政府工作报告", line):
                    self.title_span = (blk.start + a, blk.start + b)
                    self.title_blk = blk
                    break
            if self.title_span:
                break
        if self.title_span is None:
            self.title_blk = head[0]
            first = _lines(self.text[head[0].start:head[0].end])[0]
            self.title_span = (head[0].start + first[0], head[0].start + first[1])
        title = make_view(self.text, *self.title_span).text
        self.kind = "work-report" if "政府工作报告" in title else "plan-report"
        plan = self.opt.year
        if plan is None:
            plan = _plan_year(title, self.lex)
        date = None
        for blk in head[:6]:
            m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", blk.view.text)
            if m:
                date = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                break
        if plan is None and date is not None:
            plan = date.year
        if plan is None:
            raise ExtractError(f"{self.opt.text_name}: cannot tell which year the plan is for "
                               "(no year in the title); pass --year, e.g. --year 2024.")
        self.plan_year = plan
        self.review_year = plan - 1
        self.date = date or _dt.date(plan, 1, 1)
        if date is None:
            self.notes.append("no date found near the title; the report date is set to "
                              f"{self.date.isoformat()} (review it).")
        # the area: from the title, else from the opening lines (…在青山县第十八届人民代表大会…)
        opening = " ".join(b.view.text for b in head[:6])
        m = re.search(r"([\u4e00-\u9fff]{2,16}?)(?:第[一二三四五六七八九十]+届)?人民(?:代表大会|政府)",
                      opening)
        self._area(title, m.group(1) if m else None)
        self._government()

    def _area(self, title: str, opening: str | None) -> None:
        reg, opt = self.reg, self.opt
        place = None
        if opt.area:
            place = opt.area if opt.area in reg.places else reg.place_by_label(opt.area)
        names = _place_names(re.split(r"\d{4}年", title)[0])
        if not names and opening:
            names = _place_names(opening)
        if place is None:
            for name in reversed(names):
                place = reg.place_by_label(name) or self._suffix_place(name)
                if place:
                    break
        if place is None:
            label = opt.area or (names[-1] if names else None)
            if not label:
                raise ExtractError(f"{self.opt.text_name}: cannot tell which area the report "
                                   "governs; pass --area with a place id or name, e.g. "
                                   "--area tianyuan or --area 天元区.")
            ident = opt.area if opt.area and SLUG.match(opt.area) else _mint("place", label)
            zh = label if not SLUG.match(label) else (names[-1] if names else label)
            level = _level_of(zh)
            parent = None
            if len(names) >= 2:
                parent_label = names[-2]
                parent = reg.place_by_label(parent_label) or _mint("place", parent_label)
                if parent not in reg.places:
                    self.places[parent] = PlaceInfo(parent, parent_label,
                                                    f"(untranslated) {parent_label}",
                                                    _level_of(parent_label))
            self.places[ident] = PlaceInfo(ident, zh, f"(untranslated) {zh}", level, parent)
            place = ident
        self.area = place

    def _suffix_place(self, name: str) -> str | None:
        for p in self.reg.places.values():
            if len(p.zh) >= 3 and len(name) >= 3 and (name.endswith(p.zh) or p.zh.endswith(name)):
                return p.id
        return None

    def place(self, ident: str) -> PlaceInfo:
        return self.places.get(ident) or self.reg.places[ident]

    def _government(self) -> None:
        reg, opt = self.reg, self.opt
        gov = None
        if opt.government:
            gov = opt.government if opt.government in reg.bodies else \
                reg.body_by_label(opt.government)
        if gov is None:
            gov = self.government_of(self.area)
        if gov is None:
            area = self.place(self.area)
            ident = opt.government if opt.government and SLUG.match(opt.government) else \
                (f"{self.area}-gov" if SLUG.match(self.area) and not self.area.startswith("place-")
                 else _mint("body", area.zh + "人民政府"))
            zh = opt.government if opt.government and not SLUG.match(opt.government) \
                else area.zh + "人民政府"
            self.bodies[ident] = BodyInfo(ident, zh, f"(untranslated) {zh}", "government",
                                          self.area)
            gov = ident
        self.government = gov

    def government_of(self, place: str) -> str | None:
        for body in list(self.reg.bodies.values()) + list(self.bodies.values()):
            if body.kind == "government" and body.jurisdiction == place:
                return body.id
        return None

    def level_place(self, level: str) -> str | None:
        """The report's own area or its ancestor at ``level`` (全市 → the city)."""
        chain = [self.area]
        p = self.place(self.area).part_of
        while p and p not in chain:
            chain.append(p)
            info = self.places.get(p) or self.reg.places.get(p)
            p = info.part_of if info else None
        for ident in chain:
            info = self.places.get(ident) or self.reg.places.get(ident)
            if info and info.level == level:
                return ident
        if level == self.place(self.area).level:
            return self.area
        own = LEVEL_ORDER.index(self.place(self.area).level) \
            if self.place(self.area).level in LEVEL_ORDER else -1
        if level in LEVEL_ORDER and LEVEL_ORDER.index(level) > own >= 0:
            # an ancestor the data does not know yet (全省 in a report of an unknown county)
            top = self.place(chain[-1])
            names = {"city": "市", "province": "省", "nation": "国"}
            zh = f"{top.zh}所在{names.get(level, level)}（待核实）"
            ident = _mint("place", zh)
            if ident not in self.places:
                self.places[ident] = PlaceInfo(ident, zh, f"(to be identified) the {level} "
                                               f"containing {top.en}", level)
                if chain[-1] in self.places and not self.places[chain[-1]].part_of:
                    self.places[chain[-1]].part_of = ident
            return ident
        return None

    def zone_place(self, word: str) -> str | None:
        """A known development zone for 高新区/园区 …: the zone place related to the area;
        without one, a new zone place named as the text names it."""
        zones = [p for p in list(self.reg.places.values()) + list(self.places.values())
                 if p.level == "zone"]
        if not zones:
            ident = _mint("place", word)
            self.places[ident] = PlaceInfo(ident, word, f"(untranslated) {word}", "zone",
                                           self.area)
            return ident
        related = [z for z in zones if z.part_of in {self.area, self.place(self.area).part_of}]
        pool = related or zones
        exact = [z for z in pool if z.zh.endswith(word)]
        pick = (exact or pool)
        return sorted(pick, key=lambda z: z.id)[0].id if len(pick) == 1 or exact else None

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
        taken = {p.id for p in self.parts}
        if ident in taken:  # numbering restarts (a second 一、 in an annex): keep ids unique
            n = 2
            while f"{ident}-{n}" in taken:
                n += 1
            ident = f"{ident}-{n}"
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
        facts = self._merge(self.facts)
        source = self._source(facts)
        graph = _Compiler(source, self.text, self.opt.text_name).run()
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
        return Draft(source, graph, source["report"]["slug"], self.text, facts, proposed,
                     self.notes)

    # -- sentences -------------------------------------------------------------------------
    def _sentence(self, view: View, a: int, b: int, part: Part) -> None:
        lex = self.lex
        s = view.text[a:b]
        if any(w in s for w in lex["forecast_words"]):
            return
        if part.implicit and not any(w in s for w in lex["plan_sentence_words"]):
            part = self._review_body(part)
        estimate = False
        if part.review:
            if any(w in s for w in lex["estimate_words"]):
                estimate = True
                if any(w in s for w in lex["estimate_scope_words"]):
                    top = part
                    while top.parent is not None:
                        top = top.parent
                    top.estimate_all = True
            top = part
            while top.parent is not None:
                top = top.parent
            estimate = estimate or top.estimate_all
        aspiration = any(w in s for w in lex["aspiration_words"])
        by = re.search(r"(?:到|至)(\d{4})年(?:底|末)?", s)
        if by and not part.review and int(by.group(1)) > part.year:
            part = replace(part, year=int(by.group(1)))  # 到 2025 年…: a target for that year
        mentions = [m for m in self._mentions(view) if a <= m.a < b]
        # clause boundaries inside the sentence
        clauses = _clause_ranges(view.text, a, b)
        sent_area = self._area_at(view, a, b) or self.area
        prev_phrase: str | None = None
        prev_ind: IndicatorInfo | None = None
        for ca, cb in clauses:
            clause_area = self._area_at(view, ca, cb)
            if clause_area:
                sent_area = clause_area
            cms = [m for m in mentions if ca <= m.a < cb]
            facts_here = [m for m in cms if not m.modifier]
            if not facts_here:
                self._non_numeric(view, ca, cb, part, sent_area, estimate)
                continue
            groups = _groups(view.text, facts_here)
            left = ca
            for group in groups:
                seg_start = left
                if group[0].kind in ("rank", "rank-change"):
                    zone = self._zone_in(view.text[ca:group[0].a])
                    if zone:
                        sent_area = zone
                results = self._interpret(view, seg_start, group, cb, part, sent_area,
                                          aspiration, estimate, prev_phrase, prev_ind,
                                          clause_start=ca, all_mentions=cms)
                for phrase, ind in results:
                    if phrase:
                        prev_phrase = phrase
                    if ind is not None:
                        prev_ind = ind
                left = group[-1].b

    def _mentions(self, view: View) -> list[Mention]:
        """The numbers of a block, read once (a block has many sentences)."""
        key = id(view)
        if key not in self._mention_cache:
            self._mention_cache[key] = (view, self.numbers.read(view))
        return self._mention_cache[key][1]

    def _zone_in(self, text: str) -> str | None:
        """A ranking of zones (百强园区第 84 位, 国家高新区排名第 30 名) ranks the zone."""
        for word in sorted(self.lex["zone_words"], key=len, reverse=True):
            if word in text:
                return self.zone_place(word)
        return None

    def _area_at(self, view: View, a: int, b: int) -> str | None:
        """A place or body named at the start of a clause sets the area measured."""
        t = view.text[a:b]
        lex = self.lex
        t2 = t
        if any(t2.startswith(p) for p in lex["scope_prepositions"]):
            return None
        t2 = re.sub(r"^(?:对|为|向|从)", "", t2)
        for word, level in sorted(lex["area_words"].items(), key=lambda kv: -len(kv[0])):
            if t2.startswith(word):
                own = self.place(self.area).level
                if level == own or level == "district" and own in ("district",):
                    return self.area
                if level in ("city", "province") and not t2.startswith(word + "第"):
                    place = self.level_place(level)
                    # 全市第一, 全省领先: a scope, not the area; only "全市 + indicator" counts
                    if place and re.match(re.escape(word) + r"[\u4e00-\u9fff]{2,}(?:增长|为|达)",
                                          t2):
                        return place
                return None
        for word in sorted(lex["zone_words"], key=len, reverse=True):
            if t2.startswith(word):
                return self.zone_place(word)
        for p in sorted(list(self.reg.places.values()) + list(self.places.values()),
                        key=lambda p: -len(p.zh)):
            if len(p.zh) >= 2 and t2.startswith(p.zh) and p.id != self.area:
                if p.level in ("nation", "province", "city"):
                    return None
                return p.id
            if len(p.zh) >= 3 and t2.startswith(p.zh) and p.id == self.area:
                return self.area
        for body in list(self.reg.bodies.values()) + list(self.bodies.values()):
            short = body.zh
            for cand in (short, _strip_place_prefix(short, self.reg.places.values())):
                if cand and len(cand) >= 3 and t2.startswith(cand) and body.jurisdiction:
                    lvl = self.place(body.jurisdiction).level if (
                        body.jurisdiction in self.places or body.jurisdiction in self.reg.places) \
                        else None
                    if lvl in ("zone", "district", "town", "village", "other"):
                        return body.jurisdiction
        m = re.match(r"([\u4e00-\u9fff]{2,5}?(?:" + _alternation(lex["place_suffixes"]) + "))", t2)
        if m and len(m.group(1)) >= 3 and t2[0] not in lex["function_chars"] and \
                not any(w in t2[:len(m.group(1)) + 2] for w in lex["place_stopwords"]):
            name = m.group(1)
            nxt = t2[len(name):len(name) + 1]
            # a new name must look like a subject: named again elsewhere, or followed by a
            # word that opens a predicate (石三门片区以…, 三门镇获评…)
            if nxt and _is_cjk(nxt) and (self.text.count(name) >= 2 or any(
                    t2.startswith(w, len(name)) for w in lex["subject_followers"])):
                return self._new_place(name)
        return None

    def _new_place(self, name: str) -> str:
        known = self.reg.place_by_label(name)
        if known:
            return known
        ident = _mint("place", name)
        if ident not in self.places:
            suffix = next((s for s in sorted(self.lex["place_suffixes"], key=len, reverse=True)
                           if name.endswith(s)), None)
            level = self.lex["place_suffixes"].get(suffix, "other")
            self.places[ident] = PlaceInfo(ident, name, f"(untranslated) {name}", level,
                                           self.area)
        return ident

    def _interpret(self, view: View, seg_start: int, group: list[Mention], clause_end: int,
                   part: Part, area: str, aspiration: bool, estimate: bool,
                   prev_phrase: str | None, prev_ind: IndicatorInfo | None,
                   clause_start: int, all_mentions: list[Mention]
                   ) -> list[tuple[str, IndicatorInfo | None]]:
        lex = self.lex
        t = view.text
        first, last = group[0], group[-1]
        raw_pre = t[seg_start:first.a]
        # a list item: start after the last "、" that follows the previous mention
        if seg_start != clause_start and "、" in raw_pre:
            seg_start = seg_start + raw_pre.rfind("、") + 1
            raw_pre = t[seg_start:first.a]
        raw_pre = raw_pre.lstrip("、,;:")[-MAX_PHRASE:]  # an indicator's name is short
        seg_start = first.a - len(raw_pre)
        if any(v in raw_pre for v in lex["non_fact_verbs"]):
            return []
        if any(w in raw_pre for w in lex["benchmark_words"]) and \
                any(w in raw_pre for w in lex["relative_higher"] + lex["relative_lower"]):
            return []  # 高于全省平均水平 1.3 个百分点: a gap to a benchmark, not a result
        info = _PhraseInfo.parse(raw_pre, self, area, rank=group[0].kind != "number")
        post, post_end = "", last.b
        if last.b < clause_end and (_is_cjk(t[last.b]) or t[last.b] == "“"):
            cut = t.find("、", last.b, clause_end)
            post_end = cut if cut >= 0 else clause_end
            pieces, k = [], last.b
            for other in all_mentions:
                if last.b <= other.a < post_end:
                    pieces.append(t[k:other.a])
                    k = other.b
            pieces.append(t[k:post_end])
            post = "".join(pieces).replace("的", "")[:MAX_PHRASE]
        post_clean = _clean_post(post, lex)
        phrase = info.phrase
        kind_hint = info.kind
        if group[0].kind == "rank":
            kind_hint = "rank"
        elif group[0].kind == "rank-change":
            kind_hint = "rank-change"
        items = info.items(len(group))
        compose = 0.9
        if len(items) == 1 and prev_phrase and phrase and (
                t[seg_start - 1:seg_start] == "、" or len(phrase) <= 3):
            # a list item continuing the previous one (新增规上工业企业 30 家、高新技术企业 20 家),
            # or a subject left out (粮食播种面积…，总产量…): only an exact label may complete it
            if t[seg_start - 1:seg_start] != "、":
                compose = 0.65
            items = [prev_phrase, phrase]
        inherited = False
        if not phrase:
            if post_clean:
                phrase = post_clean
                if prev_phrase and not info.examples and _is_event(post_clean, lex):
                    phrase = _subject_of(prev_phrase) + post_clean
                items = [phrase]
            elif prev_phrase:
                phrase = prev_phrase
                items = [phrase]
                inherited = True
        elif post_clean and len(group) == 1 and not info.examples:
            items = [phrase + post_clean]
        results: list[tuple[str, IndicatorInfo | None]] = []
        quote_end = post_end if post_clean and (not info.phrase or len(group) == 1) else last.b
        quote_a = seg_start
        while quote_a < first.a and t[quote_a] in "、,;:":
            quote_a += 1
        # one fact per value, or per item when one value is shared (各 1 家)
        pairs: list[tuple[Mention, str]] = []
        if len(items) == 2 and len(group) == 1 and items[0] == prev_phrase and items[1] == phrase:
            pairs = [(group[0], phrase)]
        elif len(items) == len(group):
            pairs = list(zip(group, items, strict=True))
        elif len(group) == 1 and len(items) > 1 and info.each:
            pairs = [(group[0], it) for it in items]
        else:
            pairs = [(m, phrase) for m in group]
        shared_after = last.after if len(group) > 1 and info.distributive else None
        for m, item in pairs:
            span_a, span_b = quote_a, max(m.b, quote_end)
            if len(group) > 1:
                span_b = max(last.b, quote_end)
            span = view.orig(span_a, max(span_b, span_a + 1))
            after = m.after or shared_after
            ind, score, used = self._indicator(item, items, m, kind_hint, info, prev_ind,
                                               inherited, compose)
            fact = self._fact(m, ind, score, part, area, span, after, info, aspiration,
                              estimate, item)
            if fact is not None:
                self.facts.append(fact)
            results.append((item, ind))
        return results

    def _indicator(self, item: str, items: list[str], m: Mention, kind_hint: str,
                   info: _PhraseInfo, prev_ind: IndicatorInfo | None, inherited: bool,
                   compose: float = 0.9) -> tuple[IndicatorInfo, float, str]:
        unit = self.reg.units.get(m.unit or "")
        dimension = unit.dimension if unit else None
        # a growth rate is a percent after 增长/下降 (or a name ending in 增速); a change in
        # percentage points is a change too, never the level of a share
        growth = m.unit in ("percent", "percentage-point") and (info.growth or info.growth_noun)
        kind = "growth" if growth else kind_hint if kind_hint in ("rank", "rank-change") \
            else "level"
        if inherited and kind == "growth" and prev_ind is not None:
            for ind in self.reg.indicators.values():
                if ind.growth_of == prev_ind.id and ind.kind == "growth-rate":
                    return ind, 0.85, item
        phrases = _variants(item, items, self.lex, kind, unit.symbol if unit else "",
                            [info.verb] if info.verb else [], compose)
        ind, score, used = self.matcher.best(phrases, dimension, kind)
        if ind is not None and score >= MATCH_THRESHOLD:
            return ind, score, used
        growth_of = prev_ind.id if inherited and kind == "growth" and prev_ind else None
        return self._propose(item, kind, dimension or "none", growth_of, prev_ind
                             if inherited else None), 0.5, item

    def _propose(self, phrase: str, kind: str, dimension: str, growth_of: str | None,
                 base: IndicatorInfo | None) -> IndicatorInfo:
        label = norm_label(phrase) or "未命名指标"
        if base is not None and kind in ("growth", "rank-change"):
            label = norm_label(base.label_zh)
        suffix = {"growth": "增速", "rank": "排名", "rank-change": "排名变化"}.get(kind, "")
        if kind == "growth":  # 营业收入增长 → 营业收入增速, not 营业收入增长增速
            label = re.sub("(?:" + _alternation(self.lex["growth_verbs"] + self.lex["decrease_verbs"])
                           + ")$", "", label) or label
        ends = self.lex["growth_nouns"] if kind == "growth" else [suffix]
        if suffix and not any(label.endswith(e) for e in ends):
            label += suffix
        kind_id = {"growth": "growth-rate", "rank": "rank", "rank-change": "rank-change",
                   "qualitative": "qualitative"}.get(kind)
        if kind_id is None:
            kind_id = "share" if dimension == "ratio" else (
                "count" if dimension in ("count", "people") else "level")
        ident = _mint("proposed", f"{label}|{kind_id}|{dimension}")
        if ident in self.reg.indicators:
            return self.reg.indicators[ident]
        polarity = "lower-is-better" if kind == "rank" or any(
            w in label for w in self.lex["lower_is_better_words"]) else "higher-is-better"
        ind = IndicatorInfo(ident, label, [label], kind_id, dimension, polarity, growth_of,
                            proposed=True)
        self.proposed[ident] = ind
        self.matcher.add(ind)
        return ind

    def _fact(self, m: Mention, ind: IndicatorInfo, score: float, part: Part, area: str,
              span: tuple[int, int], after: str | None, info: _PhraseInfo, aspiration: bool,
              estimate: bool, phrase: str) -> Fact | None:
        lex = self.lex
        conf = round(min(0.95, 0.55 + 0.4 * score), 2) if not ind.proposed else 0.4
        year = part.year
        value = m.value
        if info.decrease and m.unit in ("percent", "percentage-point") and value > 0:
            value = -value
        if part.review:
            qualifier = None
            if m.inner:
                qualifier = m.inner
            elif after and after in lex["qualifiers_after"]:
                qualifier = lex["qualifiers_after"][after]
            elif info.qualifier:
                qualifier = info.qualifier
            is_est = estimate and m.kind == "number"
            return Fact("achievement", ind.id, year, area, part, span, conf, value, m.unit,
                        None, None, qualifier, is_est, phrase=phrase)
        comparator = None
        if m.upper is not None:
            comparator = "range"
        elif after and after in lex["comparators_after"]:
            comparator = lex["comparators_after"][after]
        elif info.comparator:
            comparator = info.comparator
        elif aspiration:
            comparator = "strive-for"
        else:
            comparator = "point"
        level = self.place(self.area).level
        return Fact("target", ind.id, year, area, part, span, conf, value, m.unit, m.upper,
                    comparator, plan_level=level, committed_by=self.government, phrase=phrase)

    # -- facts without numbers ---------------------------------------------------------------
    def _non_numeric(self, view: View, a: int, b: int, part: Part, area: str,
                     estimate: bool) -> None:
        lex = self.lex
        a = max(a, b - MAX_CLAUSE)
        t = view.text[a:b]
        # relative: 居民收入增长高于经济增长; benchmark: 低于全省平均水平 / 在全市平均值以下
        m = re.search(r"(?P<subj>[\u4e00-\u9fff“”]{2,30}?)(?:增长|增速)?(?P<cmp>"
                      + _alternation(lex["relative_higher"] + lex["relative_lower"])
                      + r")(?P<ref>[\u4e00-\u9fff]{2,16})$", t)
        bench = re.search(r"(?P<subj>[\u4e00-\u9fffA-Za-z0-9.“”]{2,30}?)(?P<cmp>低于|不高于|不超过|"
                          r"控制在|保持在|在|要)?(?P<scope>" + _alternation(lex["area_words"])
                          + r")(?:的)?(?:" + _alternation(lex["benchmark_words"])
                          + r")(?P<tail>以下|以内|之下)?$", t)
        span = view.orig(a, b)
        if bench and (bench.group("cmp") in ("低于", "不高于", "不超过") or bench.group("tail")):
            level = lex["area_words"][bench.group("scope")]
            place = self.level_place(level)
            if place is None:
                return
            comparator = "below-benchmark" if bench.group("cmp") == "低于" \
                else "not-above-benchmark"
            subj = _strip_fillers(bench.group("subj"), lex)
            ind, score, _ = self.matcher.best(_variants(subj, [subj], lex, "level", ""), None,
                                              "level")
            if ind is None or score < MATCH_THRESHOLD:
                ind = self._propose(subj, "level", "none", None, None)
                score = 0.3
            self._relative_fact(ind, score, part, area, span, comparator, None, place, None,
                                estimate)
            return
        if m:
            ref_ind, rscore, _ = self.matcher.best([m.group("ref")], None, "growth")
            subj = _strip_fillers(m.group("subj"), lex)
            if ref_ind is not None and rscore >= 0.8 and subj:
                higher = m.group("cmp") in lex["relative_higher"]
                growth = "增长" in t[m.start("subj"):m.start("cmp")] or \
                    ref_ind.kind == "growth-rate"
                kind = "growth" if growth else "level"
                ind, score, _ = self.matcher.best(
                    _variants(subj, [subj], lex, kind, ""), "ratio" if growth else None, kind)
                if ind is None or score < MATCH_THRESHOLD:
                    ind = self._propose(subj, kind, "ratio", None, None)
                    score = 0.3
                self._relative_fact(ind, score, part, area, span,
                                    "higher-than-indicator" if higher else "lower-than-indicator",
                                    ref_ind.id, None, None, estimate)
                return
        for pattern in lex["unquantified_patterns"]:
            mu = re.search(pattern, t)
            if mu and not part.review:
                subj = mu.group("subject") or _strip_fillers(mu.group("before") or "", lex)
                if not subj:
                    continue
                ind, score, _ = self.matcher.best([subj, subj + "任务"], None, "qualitative")
                if ind is None or score < MATCH_THRESHOLD:
                    ind = self._propose(subj, "qualitative", "none", None, None)
                    score = 0.3
                self._relative_fact(ind, score, part, area, span, "unquantified", None, None,
                                    None, estimate)
                return
        mq = re.search(lex["qualitative_class"], t) or re.search(lex["qualitative_stable"], t)
        if mq:
            subj = re.sub(r"(?:整体|总体|均|稳定|持续)+$", "", _strip_fillers(t[:mq.start()], lex))
            if not subj:
                return
            # the level as printed (spaces kept): 保持或优于 II 类; a result states the class only
            la = mq.start("verb") if "verb" in mq.groupdict() and mq.group("verb") and \
                not part.review else mq.start("level")
            oa, ob = view.orig(a + la, a + mq.end("level"))
            level = re.sub(r"\s+", " ", self.text[oa:ob]).strip()
            # one fact per listed subject (地表水体水质、湘江断面水质和饮用水水源地均保持 II 类)
            items = [x for x in re.split(r"[、和及与]", subj) if len(x) >= 2]
            matched = []
            for item in items if len(items) > 1 else [subj]:
                ind, score, _ = self.matcher.best(_variants(item, [item], lex, "qualitative", ""),
                                                  None, "qualitative")
                if ind is not None and score >= MATCH_THRESHOLD and \
                        all(ind.id != m[0].id for m in matched):
                    matched.append((ind, score))
            if not matched:
                if mq.re.pattern == lex["qualitative_stable"]:
                    return  # "保持稳定" alone is too common to propose an indicator for
                matched = [(self._propose(subj, "qualitative", "none", None, None), 0.3)]
            for ind, score in matched:
                self._relative_fact(ind, score, part, area, span, "qualitative", None, None,
                                    level, estimate)

    def _relative_fact(self, ind: IndicatorInfo, score: float, part: Part, area: str,
                       span: tuple[int, int], comparator: str, relative_to: str | None,
                       benchmark: str | None, qualitative: str | None, estimate: bool) -> None:
        conf = round(min(0.85, 0.45 + 0.4 * score), 2)
        if part.review:
            self.facts.append(Fact("achievement", ind.id, part.year, area, part, span, conf,
                                   comparator=comparator, relative_to=relative_to,
                                   benchmark_area=benchmark, qualitative=qualitative,
                                   estimate=estimate and comparator != "qualitative"))
        else:
            self.facts.append(Fact("target", ind.id, part.year, area, part, span, conf,
                                   comparator=comparator, relative_to=relative_to,
                                   benchmark_area=benchmark, qualitative=qualitative,
                                   plan_level=self.place(self.area).level,
                                   committed_by=self.government))

    # -- tables ------------------------------------------------------------------------------
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
        if col["cls"] == "achievement":
            qualifier = self.lex["qualifiers_after"].get(m.after or "") if m.after else None
            self.facts.append(Fact("achievement", ind.id, col["year"], area, part, span, conf,
                                   m.value, m.unit, None, None, m.inner or qualifier,
                                   bool(col.get("estimate")), phrase=label))
            return
        comparator = "range" if m.upper is not None else \
            self.lex["comparators_after"].get(m.after or "", "point")
        self.facts.append(Fact("target", ind.id, col["year"], area, part, span, conf, m.value,
                               m.unit, m.upper, comparator, plan_level=level,
                               committed_by=committed, phrase=label))

    def _body_for(self, place: str) -> str:
        info = self.place(place)
        ident = f"{place}-gov" if not place.startswith("place-") else _mint("body", info.zh)
        if ident not in self.bodies and ident not in self.reg.bodies:
            zh = info.zh + "人民政府"
            self.bodies[ident] = BodyInfo(ident, zh, f"(untranslated) {zh}", "government", place)
        return ident

    # -- projects, enterprises, campaigns ----------------------------------------------------
    def _entities(self, view: View, a: int, b: int, part: Part) -> None:
        lex = self.lex
        t = view.text
        s = t[a:b]
        verbs = _alternation(lex["list_lead_verbs"])
        lead = f"(?:{verbs})?"
        item = r"[\u4e00-\u9fffA-Za-z0-9]{2,14}"
        ent_rx = re.compile(lead + r"(?P<list>" + item + r"(?:、" + item + r"){0,30})等(?:一批)?"
                            r"(?:龙头|头部|重点|骨干)?(?:企业|公司)")
        for m in ent_rx.finditer(s):
            for name in m.group("list").split("、"):
                self._enterprise(name, view, a + m.start("list"), a + m.end("list"), part)
        proj_rx = re.compile(r"(?P<lead>" + verbs + r")?(?P<list>" + item + r"(?:、" + item +
                             r"){0,30})等(?:一批|\d+个)?[\u4e00-\u9fff]{0,8}?(?:项目|工程)"
                             r"(?P<tail>[\u4e00-\u9fff、]{0,10})")
        for m in proj_rx.finditer(s):
            stages: list[str] = []
            tail = m.group("tail") or ""
            for verb, st in sorted(lex["stage_verbs"].items(), key=lambda kv: -len(kv[0])):
                if verb in tail:
                    for x in st:
                        if x not in stages:
                            stages.append(x)
                    tail = tail.replace(verb, "")
            if not stages and m.group("lead"):
                for verb, st in lex["stage_verbs"].items():
                    if verb in m.group("lead"):
                        stages = list(st)
                        break
            if not stages:
                continue
            qa, qb = a + m.start(), a + m.end()
            for name in m.group("list").split("、"):
                if re.search(r"\d", name) and len(name) < 4:
                    continue
                self._project(name, stages, view, qa, qb, part)
        for m in re.finditer(r"“([^”]{2,20})”(" + _alternation(lex["campaign_nouns"]) + ")", s):
            if view.quoted[a + m.start()] and m.start() > 0 and view.quoted[a + m.start() - 1]:
                continue
            label = m.group(0)
            ident = _mint("campaign", label + str(part.year))
            if ident not in self.campaigns:
                qa, qb = view.orig(a + m.start(), a + m.end())
                self.campaigns[ident] = {"id": ident, "label": _zh_en(label), "year": part.year,
                                         "_span": (qa, qb), "confidence": 0.6}
            part.mentions.append(ident)

    def _enterprise(self, name: str, view: View, a: int, b: int, part: Part) -> str | None:
        name = name.strip()
        if len(name) < 2:
            return None
        known = next((k for k, (zh, _) in self.reg.enterprises.items() if zh == name), None)
        ident = known or _mint("enterprise", name)
        if ident not in self.enterprises:
            qa, qb = view.orig(a, b)
            self.enterprises[ident] = {"id": ident, "label": _zh_en(name, self.reg.enterprises
                                                                    .get(ident)),
                                       "_span": (qa, qb), "confidence": 0.6 if not known else 0.8}
        part.mentions.append(ident)
        return ident

    def _project(self, name: str, stages: list[str], view: View, a: int, b: int,
                 part: Part) -> None:
        ent = next((k for k, v in self.enterprises.items() if v["label"]["zh"] == name), None) \
            or next((k for k, (zh, _) in self.reg.enterprises.items() if name.startswith(zh)),
                    None) \
            or next((k for k, v in self.enterprises.items()
                     if name.startswith(v["label"]["zh"]) and len(v["label"]["zh"]) >= 2), None)
        label = name + "项目" if (ent and self._ent_label(ent) == name) else name
        ident = _mint("project", label)
        qa, qb = view.orig(a, b)
        rec = self.projects.setdefault(ident, {"id": ident, "label": _zh_en(label),
                                               "milestones": [], "task": part.id,
                                               "confidence": 0.6})
        if ent:
            if ent not in self.enterprises:
                zh, en = self.reg.enterprises[ent]
                self.enterprises[ent] = {"id": ent, "label": {"zh": zh, "en": en},
                                         "confidence": 0.8}
            rec["enterprise"] = ent
            part.mentions.append(ent)
        for stage in stages:
            if not any(ms["stage"] == stage and ms["year"] == part.year
                       for ms in rec["milestones"]):
                rec["milestones"].append({"stage": stage, "year": part.year,
                                          "planned": not part.review, "_span": (qa, qb),
                                          "confidence": 0.6})
        part.mentions.append(ident)

    def _ent_label(self, ident: str) -> str:
        if ident in self.enterprises:
            return self.enterprises[ident]["label"]["zh"]
        return self.reg.enterprises[ident][0]

    # -- assembling ----------------------------------------------------------------------------
    def _merge(self, facts: list[Fact]) -> list[Fact]:
        """One fact per key (the compiler's rule); a second statement becomes evidence."""
        out: dict[tuple[Any, ...], Fact] = {}
        order: list[tuple[Any, ...]] = []
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
                if f.span != kept.span and f.span not in kept.also:
                    kept.also.append(f.span)
                if not same:
                    kept.note = ("the text and the table differ; the text's figure is kept "
                                 "(review it)")
                    kept.confidence = round(min(kept.confidence, 0.6), 2)
                if _in_table(kept) and not _in_table(f):
                    f.also = [kept.span] + kept.also
                    f.confidence = max(f.confidence, kept.confidence) if same else f.confidence
                    out[k] = f
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
        return [out[k] for k in order if k in out]

    def _source(self, facts: list[Fact]) -> dict[str, Any]:
        text = self.text
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


# =============================================================================== helpers

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


_ADMIN_SUFFIX = re.compile(r"自治区|自治州|地区|[省市区县旗州盟]")
_NAME_STOP = set("关于在日年月的和与及为对届次会上下全本我各该其这此从向由经据以将把同年度")


def _place_names(text: str) -> list[str]:
    """Administrative names in order (株洲市天元区 → 株洲市, 天元区): the characters before a
    level suffix, back to a function word or another name."""
    names = []
    for m in _ADMIN_SUFFIX.finditer(text):
        i = m.start()
        j = i
        while j > 0 and _is_cjk(text[j - 1]) and text[j - 1] not in _NAME_STOP \
                and not _ADMIN_SUFFIX.match(text[j - 1]) and i - j < 7:
            j -= 1
        if i - j >= 2 or (i - j == 1 and m.group() in "省市县"):
            name = text[j:m.end()]
            if not names or not names[-1].endswith(name):
                names.append(name)
    return names


def _level_of(name: str) -> str:
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith(("市", "州", "盟", "地区")):
        return "city"
    if name.endswith(("区", "县", "旗")):
        return "district"
    return "other"


def _mint(kind: str, label: str) -> str:
    """A deterministic id for something the draft introduces (``proposed-1a2b3c4d5e``)."""
    return f"{kind}-{hashlib.sha1(norm_label(label).encode('utf-8')).hexdigest()[:10]}"


def _zh_en(zh: str, known: tuple[str, str] | None = None) -> dict[str, str]:
    zh = re.sub(r"\s+", " ", zh).strip()
    if known:
        return {"zh": known[0], "en": known[1]}
    return {"zh": zh, "en": f"(untranslated) {zh}"}


def _num(value: Decimal) -> float | int | str:
    text = fmt_number(value)
    return text if "." in text else int(text)


def _in_table(f: Fact) -> bool:
    return f.part.id == "appendix"


@lru_cache(maxsize=4096)
def _place_stems(labels: tuple[str, ...]) -> tuple[str, ...]:
    stems = set()
    for label in labels:
        stems.add(label)
        short = re.sub(r"(?:省|市|区|县|自治区|自治州|州)$", "", label)
        if len(short) >= 2:
            stems.add(short)
    return tuple(sorted(stems, key=len, reverse=True))


def _strip_place_prefix(name: str, places: Iterable[PlaceInfo]) -> str | None:
    """``株洲高科集团`` → ``高科集团``: a body's name without the place it starts with
    (written in full, 株洲市, or without its level suffix, 株洲)."""
    for stem in _place_stems(tuple(sorted(p.zh for p in places))):
        if name.startswith(stem) and len(name) > len(stem) + 1:
            return name[len(stem):]
    return None


def _clause_ranges(t: str, a: int, b: int) -> list[tuple[int, int]]:
    out, start, depth = [], a, 0
    for i in range(a, b):
        ch = t[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if ch in ",;:" and depth == 0:
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < b:
        out.append((start, b))
    return out


def _groups(t: str, mentions: list[Mention]) -> list[list[Mention]]:
    """Numbers written as one list (9.7%、9.6%; 7.5 万亩、3.5 万吨): only 、/和/及 between."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            prev = groups[-1][-1]
            between = t[prev.b:m.a]
            if between in ("、", "和", "及", "、和") and prev.kind == m.kind == "number":
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _strip_fillers(text: str, lex: Mapping[str, Any]) -> str:
    text = re.sub(r"\d{4}年(?:度)?", "", text)
    changed = True
    while changed and text:
        changed = False
        for w in sorted(lex["leading_fillers"], key=len, reverse=True):
            if text.startswith(w) and len(text) > len(w):
                text, changed = text[len(w):], True
        for w in sorted(lex["link_words"], key=len, reverse=True):
            if text.endswith(w) and len(text) > len(w):
                text, changed = text[:-len(w)], True
    return text.strip("、,;:")


@dataclass
class _PhraseInfo:
    phrase: str
    raw_items: list[str]
    kind: str = "level"
    growth: bool = False
    growth_noun: bool = False
    decrease: bool = False
    comparator: str | None = None
    qualifier: str | None = None
    distributive: bool = False
    each: bool = False
    examples: bool = False
    verb: str | None = None

    @classmethod
    def parse(cls, raw: str, ex: _Extractor, area: str, rank: bool = False) -> _PhraseInfo:
        lex = ex.lex
        text = raw
        info = cls("", [])
        # leading prepositions + area words, zone words, place and body names
        text = re.sub(r"^(?:对|为|向|在|从|由|据|经)(?=" + _alternation(
            list(lex["area_words"]) + lex["zone_words"]) + ")", "", text)
        for word in sorted(list(lex["area_words"]) + lex["zone_words"], key=len, reverse=True):
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word):]
                break
        for p in sorted(list(ex.reg.places.values()) + list(ex.places.values()),
                        key=lambda p: -len(p.zh)):
            if len(p.zh) >= 2 and text.startswith(p.zh) and len(text) > len(p.zh):
                text = text[len(p.zh):]
                break
        text = re.sub(r"\d{4}年(?:度)?", "", text)
        text = re.sub(r"^(?:较|比)(?:上年|去年|同期)?", "", text)
        # time words (二季度、三季度均…) and a ranking's scope (在全市…中) name no indicator
        text = re.sub(r"(?:[一二三四上下]半年|[一二三四]季度|第[一二三四]季度)[、和]?", "", text)
        text = re.sub(r"^(?:均|都)", "", text)
        text = re.sub(r"^在(?=" + _alternation(lex["area_words"]) + ")", "", text)
        if rank:
            text = re.sub(_alternation(lex["area_words"]), "", text)
        # trailing words: link verbs, comparators, hedges, growth verbs, 分别/各
        changed = True
        while changed and text:
            changed = False
            for w, cmp in sorted(lex["comparators_before"].items(), key=lambda kv: -len(kv[0])):
                if text.endswith(w):
                    info.comparator = info.comparator or cmp
                    info.qualifier = info.qualifier or lex["qualifiers_before"].get(w)
                    text, changed = text[:-len(w)], True
            for w, q in sorted(lex["qualifiers_before"].items(), key=lambda kv: -len(kv[0])):
                if text.endswith(w):
                    if q:
                        info.qualifier = info.qualifier or q
                    text, changed = text[:-len(w)], True
            for w in sorted(lex["decrease_verbs"], key=len, reverse=True):
                if text.endswith(w):
                    info.growth, info.decrease, info.verb = True, True, w
                    text, changed = text[:-len(w)], True
                    break
            for w in sorted(lex["growth_verbs"], key=len, reverse=True):
                if text.endswith(w) and not info.growth:
                    info.growth, info.verb = True, w
                    text, changed = text[:-len(w)], True
                    break
            for w in lex["rank_up_verbs"] + lex["rank_down_verbs"] + lex["rank_phrase_noise"]:
                if text.endswith(w) and (rank or len(text) > len(w)):
                    text, changed = text[:-len(w)], True
            for w in sorted(lex["link_words"], key=len, reverse=True):
                if text.endswith(w):
                    if w.startswith("分别"):
                        info.distributive = True
                    if w == "各":
                        info.each = True
                    text, changed = text[:-len(w)], True
                    break
        if any(text.endswith(n) for n in lex["growth_nouns"]):
            info.growth_noun = True
        text = _strip_fillers(text, lex)
        if any(text.endswith(w) for w in lex["example_words"]):
            info.examples = True
            text = ""
        info.phrase = text.strip("、,;:")
        info.raw_items = [x for x in re.split(r"、", info.phrase) if x]
        if info.growth:
            info.kind = "growth"
        return info

    def items(self, n: int) -> list[str]:
        if n > 1 and len(self.raw_items) == n:
            return self.raw_items
        if self.each and len(self.raw_items) > 1:
            return self.raw_items
        if n > 1 and len(self.raw_items) < n:
            parts = re.split(r"和|及|与", self.phrase)
            if len(parts) == n:
                return parts
        return [self.phrase]


def _clean_post(post: str, lex: Mapping[str, Any]) -> str:
    post = re.sub(r"\(.*?\)", "", post)
    post = re.sub(r"^(?:的)", "", post)
    for verb in sorted(lex["category_verbs"], key=len, reverse=True):
        if verb in post:
            return post.split(verb, 1)[1]
    return post.strip("“”")


def _is_event(post: str, lex: Mapping[str, Any]) -> bool:
    return any(post.startswith(v) for v in lex["stage_verbs"]) or post.startswith(("完成", "办结"))


def _subject_of(phrase: str) -> str:
    """The noun part of a phrase like ``宏工智能项目签约`` (drop a trailing event verb)."""
    for verb in sorted(lexicon()["stage_verbs"], key=len, reverse=True):
        if phrase.endswith(verb):
            return phrase[:-len(verb)]
    return phrase


def _variants(item: str, items: Sequence[str], lex: Mapping[str, Any], kind: str,
              unit_symbol: str, extra_verbs: Sequence[str] = (),
              compose: float = 0.9) -> list[tuple[str, float]]:
    """Phrasings of an item to match against indicator labels, each with a weight: 1 for
    what the text says (trimmed), less for a phrase composed from other list items, which
    the text only implies (面积、产量 → 粮食产量)."""
    out: dict[str, float] = {}

    def add(x: str, weight: float) -> None:
        x = x.strip("、,;:")
        if x and out.get(x, 0) < weight:
            out[x] = weight

    base: list[tuple[str, float]] = [(item, 1.0)]
    for rx in (r"[\u4e00-\u9fff]{2,3}等地", r"^(?:深度|积极|大力|着力|全面|有效)"):
        trimmed = re.sub(rx, "", item)
        if trimmed != item and trimmed:
            base.append((trimmed, 1.0))
    no_num = re.sub(r"\d+(?:\.\d+)?(?:[万亿千百]?[\u4e00-\u9fff%])?", "", item)
    if no_num != item:
        base.append((no_num, 1.0))
    no_paren = re.sub(r"\(.*?\)", "", item)
    if no_paren != item:
        base.append((no_paren, 1.0))
    # shared prefixes and heads of a list (省级、国家级专精特新企业; 面积、产量)
    if len(items) > 1 and item in items:
        i = items.index(item)
        first, last_ = items[0], items[-1]
        if i > 0:
            for k in range(1, len(first)):
                base.append((first[:k] + item, compose))
        if i < len(items) - 1:
            for k in range(1, len(last_)):
                base.append((item + last_[k:], compose))
    for b, w in base:
        add(b, w)
        for v in lex["optional_verbs"]:
            if b.startswith(v):
                add(b[len(v):], w)
        if kind == "growth":
            add(b + "增长", w)
            add(b + "增速", w)
        if kind == "rank":
            add(b + "排名", w)
        if kind == "rank-change":
            add(b + "排名变化", w)
            add(b + "上升", w)
        if unit_symbol and len(unit_symbol) >= 2 and not unit_symbol.startswith(("万", "亿")):
            add(b + unit_symbol, w)
        if unit_symbol in ("天", "小时", "个月", "年"):
            add(b + "用时", w)
        for verb in extra_verbs:
            add(b + verb, w)
    return list(out.items())


def _evidence(text: str, span: tuple[int, int]) -> dict[str, Any]:
    """``quote`` (and ``within`` when the quote is not unique, ``start`` in any case)."""
    a, b = span
    while a < b and text[a] in " \t\r\n":
        a += 1
    while b > a and text[b - 1] in " \t\r\n":
        b -= 1
    if b <= a:
        return {}
    quote = text[a:b]
    rec: dict[str, Any] = {"quote": quote, "start": a}
    if text.count(quote) == 1:
        return rec
    within = _anchor(text, a, b)
    if within is None:
        return {}
    rec["within"] = within
    return rec


def _anchor(text: str, a: int, b: int) -> str | None:
    """A stretch of text that starts at the quote and occurs once (extended to the right),
    or ends at it (extended to the left) when the right runs out."""
    quote = text[a:b]
    step = 4
    e = b
    while e < len(text):
        e = min(len(text), e + step)
        w = text[a:e]
        if text.count(w) == 1:
            return w
        step *= 2
    s = a
    step = 4
    while s > 0:
        s = max(0, s - step)
        w = text[s:b]
        if text.count(w) == 1 and w.find(quote) == a - s:
            return w
        step *= 2
    return None


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
        graph.add((mint_iri(IND, ind.id), TCK.isProposed, Literal(True)))
        graph.add((mint_iri(IND, ind.id), SKOS.editorialNote, Literal(
            "Proposed by tckg extract: no indicator of the scheme matched the text.", lang="en")))
        graph.add((mint_iri(IND, ind.id), SKOS.editorialNote, Literal(
            "由 tckg extract 提议：原文未能匹配到指标体系中的现有指标。", lang="zh")))


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
    if year is not None and not (1950 <= int(year) <= 2100):
        raise ExtractError(f"--year {year} is not a plausible plan year (1950–2100).")
    # the text is kept as given (CRLF included): evidence offsets are offsets in it
    opts = Options(government, area, int(year) if year is not None else None, slug, text_name)
    return _Extractor(text, registry, opts).run()


def extract_file(path: Path | str, *, encoding: str | None = None, **kwargs: Any) -> Draft:
    """Read a report text file (UTF-8 unless ``encoding``) and draft its facts."""
    from tckg.io.read import read_text

    path = Path(path)
    text = read_text(path, encoding)
    return extract_text(text, text_name=path.name, **kwargs)


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


__all__ = ["Draft", "ExtractError", "Registry", "extract_file", "extract_text", "lexicon",
           "write_draft"]

