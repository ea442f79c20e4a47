"""Numbers with their units, hedges and comparators."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from tckg.extract.common import _alternation, lexicon
from tckg.extract.normalise import View
from tckg.extract.registry import UnitInfo


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
    value_text: str | None = None  # the number as written (1.3; 6-6.5), the unit as written
    unit_text: str | None = None


class NumberReader:
    """Finds numbers with their units, hedges and comparators in a view."""

    def __init__(self, units: Mapping[str, UnitInfo]) -> None:
        lex = lexicon()
        self.units = units
        self.by_symbol: dict[str, str | None] = {
            u.symbol: u.id for u in units.values() if u.symbol not in lex["multipliers"]}
        for alias, ident in (lex.get("unit_aliases") or {}).items():
            if ident is None or ident in units:
                self.by_symbol.setdefault(alias, ident)
        # units the ontology has no term for: the fact is read and listed as written, and
        # kept out of the graph (written_unit_id)
        for symbol in lex["written_units"]:
            if self.by_symbol.get(symbol) is None:
                self.by_symbol[symbol] = written_unit_id(symbol)
        self.mults = {k: Decimal(v) for k, v in lex["multipliers"].items()}
        self.unit_rx = re.compile(_alternation(self.by_symbol))
        self.mult_rx = re.compile(_alternation(self.mults))
        self.inner = lex["inner_qualifiers"]
        after = list(lex["comparators_after"]) + list(lex["qualifiers_after"])
        self.after_rx = re.compile(_alternation(after))
        self.range_seps = lex["range_separators"]
        self.to_rx = re.compile(lex["to_markers"])
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
        if m and self._word_goes_on(t, m):
            m = None   # 13 亿多人口: 人 begins the noun 人口, it is no unit
        if m and self.by_symbol.get(m.group()) is not None:
            return self.by_symbol[m.group()], Decimal(1), m.end(), inner
        mm = self.mult_rx.match(t, j)
        if mm:
            k = mm.end()
            if k < len(t) and t[k] in self.inner:
                inner, k = self.inner[t[k]], k + 1
            um = self.unit_rx.match(t, k)
            if um and self._word_goes_on(t, um):
                um = None
            if um and self.by_symbol.get(um.group()) is not None:
                composed = self.by_symbol.get(mm.group() + um.group())
                if composed:
                    return composed, Decimal(1), um.end(), inner
                return self.by_symbol[um.group()], self.mults[mm.group()], um.end(), inner
            if mm.group() in ("万", "亿") and not self.mult_rx.match(t, k) and \
                    not self.unit_rx.match(t, k):
                # 贫困人口减少 6800 多万: the multiplier is the unit as written
                return written_unit_id(mm.group()), Decimal(1), mm.end() + (k > mm.end()), inner
        return None, Decimal(1), i, inner

    def read(self, view: View, default_unit: str | None = None) -> list[Mention]:
        """Numbers of ``view``; ``default_unit`` is the unit of bare numbers (a table column
        whose unit is given once, in a 单位 column or the row label)."""
        t = view.text
        found: list[Mention] = []
        taken = [False] * (len(t) + 1)
        self._compounds(view, found, taken)
        self._fractions(view, found, taken)
        self._structures(view, found, taken)
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
            written = t[sign_a:b].replace(",", "").replace("−", "-")
            unit_from = b
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
                            written += "-" + m2.group().replace(",", "")
                            unit_from = m2.end()
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
                        found[-1].value_text = written
                continue
            found.append(self._finish(t, sign_a, end, value * mult, unit,
                                      upper, inner, end))
            found[-1].value_text, found[-1].unit_text = written, _unit_text(t, unit_from, end)
        # which characters a mention already covers (asking every mention per numeral was
        # quadratic in a long paragraph)
        covered = bytearray(len(t) + 1)
        for x in found:
            covered[x.a:x.b] = b"\x01" * (x.b - x.a)
        for m in self._CHINESE.finditer(t):
            a, b = m.start(), m.end()
            if view.quoted[a] or covered[a]:
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
            found[-1].value_text, found[-1].unit_text = m.group(), _unit_text(t, b, end)
            covered[found[-1].a:found[-1].b] = b"\x01" * (found[-1].b - found[-1].a)
        for word, value in self.rank_words.items():
            for m in re.finditer(re.escape(word), t):
                before = t[max(0, m.start() - 6):m.start()]
                if not view.quoted[m.start()] and re.search(r"获得|荣获|夺得|取得|获", before):
                    found.append(Mention(m.start(), m.end(), Decimal(value), "rank",
                                         kind="rank", unit_end=m.end()))
        found.sort(key=lambda x: x.a)
        self._mark_modifiers(t, found)
        return found

    # 2万5千公里, 1亿3千多万, 1万6千多户: a number written with two magnitudes
    # (each alternative starts only at the start of a run of digits: linear in a run of digits)
    _COMPOUND = re.compile(r"(?<![\d.])(\d+)(亿|万)(\d)(千|百)|(?<![\d.])(\d+)(千)(?![万亿])")
    _MAGNITUDE = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000),
                  "百": Decimal(100)}

    def _word_goes_on(self, t: str, m: re.Match[str]) -> bool:
        nxt = t[m.end():m.end() + 1]
        return bool(nxt) and nxt in lexicon()["unit_word_continuations"].get(m.group(), "")

    def _compounds(self, view: View, found: list[Mention], taken: list[bool]) -> None:
        t = view.text
        for m in self._COMPOUND.finditer(t):
            a, b = m.start(), m.end()
            if view.quoted[a] or (a and (t[a - 1].isdigit() or t[a - 1] == ".")):
                continue
            unit, mult, end, inner = self._unit_at(t, b)
            if unit is None:
                continue
            if m.group(5):    # 5千多户
                high, big, low = m.group(5), m.group(6), Decimal(0)
            else:
                high, big, low = m.group(1), m.group(2), \
                    Decimal(m.group(3)) * self._MAGNITUDE[m.group(4)]
            written_wan = unit == written_unit_id("万")
            if written_wan or t.startswith("万", b + (1 if inner else 0)) and mult == 10_000:
                low *= 10_000    # 1亿3千多万: the last 万 multiplies the 3 千
                mult = Decimal(1)
            value = Decimal(high) * self._MAGNITUDE[big] + low
            if written_wan:
                value /= 10_000
            found.append(self._finish(t, a, end, value * mult, unit, None, inner, end))
            found[-1].value_text, found[-1].unit_text = m.group(), _unit_text(t, b, end)
            for x in range(a, b):
                taken[x] = True

    def _fractions(self, view: View, found: list[Mention], taken: list[bool]) -> None:
        """减少一半, 缩短三分之一以上, 占世界三分之二: a share written in words after a verb of
        change; read as written, without a unit (kept out of the graph)."""
        t = view.text
        for m in self._fraction_rx.finditer(t):
            a, b = m.start(), m.end()
            if view.quoted[a] or taken[a]:
                continue
            num = m.group("num")
            if num == "一半":
                value = Decimal("0.5")
            else:
                den, top = (self._cn_digit(x) for x in num.split("分之"))
                if not den or not top or top >= den:
                    continue
                value = Decimal(top) / Decimal(den)
            found.append(self._finish(t, a, b, value, FRACTION, None, None, b))
            found[-1].value_text, found[-1].unit_text = num, ""
            for x in range(a, b):
                taken[x] = True

    # 三次产业结构调整为 2.8:50.9:46.3: shares of a whole written as one ratio
    _STRUCTURE = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){2,5}(?![\d.:])")

    def _structures(self, view: View, found: list[Mention], taken: list[bool]) -> None:
        """A structure (三次产业结构 10.9:49.1:40): three or more shares that make up 100,
        read as written, without a unit (kept out of the graph); not a time or a score."""
        t = view.text
        for m in self._STRUCTURE.finditer(t):
            a, b = m.start(), m.end()
            if view.quoted[a] or taken[a]:
                continue
            shares = [Decimal(x) for x in m.group().split(":")]
            if abs(sum(shares) - 100) > Decimal("0.5"):
                continue
            found.append(self._finish(t, a, b, shares[0], STRUCTURE, None, None, b))
            found[-1].value_text, found[-1].unit_text = m.group(), ""
            for x in range(a, b):
                taken[x] = True

    @staticmethod
    def _cn_digit(ch: str) -> int:
        return "零一二三四五六七八九十".find(ch) if ch in "一二三四五六七八九十" else 0

    @property
    def _fraction_rx(self) -> re.Pattern[str]:
        rx = self.__dict__.get("_frx")
        if rx is None:
            lex = lexicon()
            verbs = lex["decrease_verbs"] + lex["growth_verbs"] + lex["fraction_verbs"]
            rx = re.compile("(?:(?<=" + ")|(?<=".join(re.escape(v) for v in sorted(set(verbs)))
                            + r"))(?:平均|再|约|近)?(?P<num>一半|[二三四五六七八九十]分之[一二三四五六七八九])")
            self.__dict__["_frx"] = rx
        return rx

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
        # where each clause ends and where the next number starts, found in one pass each
        # (scanning forward from every number was quadratic in a text without punctuation)
        ends = [i for i, ch in enumerate(t) if ch in _CLAUSE_PUNCT]
        next_number: list[int | None] = [None] * len(found)
        following: int | None = None
        for i in range(len(found) - 1, -1, -1):
            next_number[i] = following
            if found[i].kind == "number":
                following = found[i].a
        for i, m in enumerate(found):
            if m.kind != "number" or m.b >= len(t):
                continue
            nxt = t[m.b]
            if not _is_cjk(nxt) and nxt not in "“":
                continue
            if any(t.startswith(v, m.b) for v in self.event_verbs):
                continue
            if nxt in "和及与" or re.match(self.to_rx, t[m.b:m.b + 4]):
                continue   # 5.6%和4%: a list; 54 万亿元增加到 82.7 万亿元: a change

            k = bisect_left(ends, m.b)
            clause_end = ends[k] if k < len(ends) else len(t)
            if next_number[i] is not None and next_number[i] < clause_end:
                m.modifier = True


WRITTEN = "written:"


FRACTION = "written:分之"   # a share in words (一半, 三分之二): no unit
STRUCTURE = "written:比"     # shares of a whole as one ratio (2.8:50.9:46.3): no unit


def written_unit_id(symbol: str) -> str:
    """A unit as the text writes it that the ontology does not define (岁, 项, 万)."""
    return WRITTEN + symbol


def written_units() -> dict[str, UnitInfo]:
    """The written-only units, as registry units (dimension from the lexicon)."""
    out = {}
    for symbol, dim in {**lexicon()["written_units"], "万": "none", "亿": "none"}.items():
        ident = written_unit_id(symbol)
        out[ident] = UnitInfo(ident, symbol, dim or "none", ident, Decimal(1))
    return out


def _unit_text(t: str, a: int, b: int) -> str:
    """The unit as written between ``a`` and ``b`` (万亿斤, 亿元, %), without 余/多."""
    return t[a:b].replace("余", "").replace("多", "")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_CLAUSE_PUNCT = ",;:。!?"




