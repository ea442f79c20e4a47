"""Sentence grammar helpers: clauses, list groups, the phrase before a number."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tckg.extract.common import MAX_CLAUSE, _alternation, lexicon, longest_first
from tckg.extract.numbers import Mention


def _clause_ranges(t: str, a: int, b: int) -> list[tuple[int, int]]:
    """Clauses of the sentence ``t[a:b]``, split at ``,;:`` outside brackets. No clause is
    longer than ``MAX_CLAUSE``: a longer run (an unclosed bracket, a text without punctuation)
    is no clause of a report, and cutting it keeps the work per number bounded, so that reading
    a hostile text stays linear in its length."""
    out, start, depth = [], a, 0
    for i in range(a, b):
        ch = t[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if ch in ",;:" and depth == 0 and not (ch == ":" and t[i - 1:i].isdigit()
                                               and t[i + 1:i + 2].isdigit()):   # 2.8:50.9:46.3
            if i > start:
                out.append((start, i))
            start = i + 1
        elif i - start >= MAX_CLAUSE:
            out.append((start, i))
            start = i
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


@lru_cache(maxsize=1)
def _leading_rx() -> re.Pattern[str]:
    """An ordinal (一是, 其次) or an adverb of repetition before a verb (再压减, 又新增)."""
    lex = lexicon()
    verbs = lex["leading_decrease_verbs"] + lex["leading_increase_verbs"] + lex["optional_verbs"] \
        + lex["repeat_adverb_verbs"]
    return re.compile("^(?:" + _alternation(lex["ordinal_openers"]) + ")|^(?:"
                      + _alternation(lex["repeat_adverbs"]) + ")(?=" + _alternation(verbs) + ")")


def _strip_fillers(text: str, lex: Mapping[str, Any]) -> str:
    text = re.sub(r"\d{4}年(?:度)?", "", text)
    text = re.sub(lex["periods"]["partial_months"], "", text).lstrip("—-–·、,;: ")
    # a span opening the phrase (近三年累计完成固定资产投资) is its period, not its subject
    text = re.sub(lex["periods"]["clause_span_opening"], "", text) or text
    for w in lex["periods"]["plan_progress_words"]:   # 完成年计划的 97%: no subject of its own
        text = text.replace(w, "")
    changed = True
    while changed and text:
        changed = False
        for w in longest_first("leading_fillers"):
            if text.startswith(w) and len(text) > len(w):
                text, changed = text[len(w):], True
        lead = _leading_rx().match(text)
        if lead and lead.end() < len(text):   # 二是…, 再压减…: an ordinal or "again" opens it
            text, changed = text[lead.end():], True
        for w in longest_first("link_words"):
            if text.endswith(w) and len(text) > len(w):
                text, changed = text[:-len(w)], True
    text = text.strip("、,;:")
    # a phrase that is only a time or plan word names no subject: the clause before does
    period_words = set(lex["periods"]["full_year_estimate_words"]) | {"全年", "预计", "年计划", "的"}
    if text in period_words or re.match(lex["periods"]["span_only_phrase"], text):
        return ""
    return text


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
    lead_direction: str | None = None   # a verb opening the phrase: 降低企业税负 …
    shared_head: str | None = None      # 二氧化硫、氮氧化物排放量: the head both items share
    already: bool = False               # 已达, 已经超过: a figure reached, whatever the section

    @classmethod
    def parse(cls, raw: str, ex: Any, area: str, rank: bool = False) -> _PhraseInfo:
        lex = ex.lex
        # a list marker opening the line (1.地区生产总值增长 6%, （2）…): no part of the name
        text = re.sub(r"^\s*(?:\d{1,2}[.、](?!\d)|[(][\d一二三四五六七八九十]{1,3}[)]"
                      r"|[一二三四五六七八九十]{1,3}、)", "", raw)
        info = cls("", [])
        # 比去年预算低 0.4 个百分点, 比全省高 1.2 个百分点: a difference, its direction the adjective
        cmp = re.search(lex["comparison_tail"], text)
        if cmp:
            info.lead_direction = "increase" if cmp.group("adj") in "高多" else "decrease"
            text = text[:cmp.start()]
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
        text = re.sub(r"\d{4}年(?:度|底|末)?(?:的(?=$))?", "", text)
        text = re.sub(r"^(?:较|比)(?:上年|去年|同期)?", "", text)
        # time words (二季度、三季度均…) and a ranking's scope (在全市…中) name no indicator
        text = re.sub(r"(?:[一二三四上下]半年|前[一二三]季度|[一二三四]季度|第[一二三四]季度)[、和]?", "", text)
        text = re.sub(r"^(?:均|都)", "", text)
        text = re.sub(r"^在(?=" + _alternation(lex["area_words"]) + ")", "", text)
        if rank:
            text = re.sub(_alternation(lex["area_words"]), "", text)
        # trailing words: link verbs, comparators, hedges, growth verbs, 分别/各
        changed = True
        while changed and text:
            changed = False
            for w, cmp in longest_first("comparators_before"):
                if text.endswith(w):
                    info.comparator = info.comparator or cmp
                    info.qualifier = info.qualifier or lex["qualifiers_before"].get(w)
                    text, changed = text[:-len(w)], True
            for w, q in longest_first("qualifiers_before"):
                if text.endswith(w):
                    if q:
                        info.qualifier = info.qualifier or q
                    text, changed = text[:-len(w)], True
            for w in longest_first("decrease_verbs"):
                if text.endswith(w):
                    info.growth, info.decrease, info.verb = True, True, w
                    text, changed = text[:-len(w)], True
                    break
            for w in longest_first("growth_verbs"):
                if text.endswith(w) and not info.growth:
                    info.growth, info.verb = True, w
                    text, changed = text[:-len(w)], True
                    break
            for w in lex["rank_up_verbs"] + lex["rank_down_verbs"] + lex["rank_phrase_noise"]:
                if text.endswith(w) and (rank or len(text) > len(w)):
                    text, changed = text[:-len(w)], True
            for w in longest_first("link_words"):
                if text.endswith(w):
                    if w.startswith("分别"):
                        info.distributive = True
                    if w in ("各", "均"):
                        info.each = True
                    text, changed = text[:-len(w)], True
                    break
        already = re.search("(?:" + _alternation(lex["already_words"]) + ")$", text)
        if already and already.start() > 0:
            info.already = True   # 60岁以上人口已达 2.5 亿: reached, not planned
            text = text[:already.start()]
        if any(text.endswith(n) for n in lex["growth_nouns"]):
            info.growth_noun = True
        text = _strip_fillers(text, lex)
        if text in lex["plan_subject_words"]:
            text = ""   # 年初计划增长 6.5%: the plan of the indicator spoken of, no subject
        if any(text.endswith(w) for w in lex["example_words"]):
            info.examples = True
            text = ""
        info.phrase = re.sub(lex["benefactive"], "", text.strip("、,;:"))
        if not info.growth and not info.lead_direction:
            for w in lex["leading_decrease_verbs"]:
                if info.phrase.startswith(w):
                    info.lead_direction = "decrease"
            for w in lex["leading_increase_verbs"]:
                if info.phrase.startswith(w):
                    info.lead_direction = "increase"
        info.raw_items = _share_head([x for x in re.split(r"、", info.phrase) if x], lex)
        if info.growth:
            info.kind = "growth"
        return info

    def items(self, n: int) -> list[str]:
        if n > 1 and len(self.raw_items) == n:
            return self.raw_items
        for prefix, parts in lexicon()["distributive_prefixes"].items():
            if n == len(parts) and len(self.raw_items) == 1 and self.phrase.startswith(prefix):
                return [p + self.phrase[len(prefix):] for p in parts]
        listed = self.growth and n == 1 and len(self.raw_items) in (2, 3) and \
            min(len(x) for x in self.raw_items) >= 2   # 二氧化硫、氮氧化物排放量下降 3%: both
        if (self.each or self.distributive or listed) and len(self.raw_items) > 1:
            head = next((h for h in lexicon()["shared_heads"]
                         if self.raw_items[-1].endswith(h) and len(self.raw_items[-1]) > len(h)
                         and not any(x.endswith(h) for x in self.raw_items[:-1])), None)
            if head:   # 二氧化硫、氮氧化物排放量: coordinated names sharing the last one's head
                self.shared_head = head
                return [x + head for x in self.raw_items[:-1]] + [self.raw_items[-1]]
            return self.raw_items   # 二氧化硫、氮氧化物排放量分别下降 3%: one value, each item
        if n == 1 and (self.each or self.distributive):
            parts = [x for x in re.split(r"和|及|与", self.phrase) if x]
            if len(parts) == 2 and min(len(x) for x in parts) >= 2:
                return parts
        if n > 1 and len(self.raw_items) < n:
            parts = re.split(r"和|及|与", self.phrase)
            if len(parts) == n:
                return _share_head(parts, lexicon())
        return [self.phrase]


def _share_head(items: list[str], lex: Mapping[str, Any]) -> list[str]:
    """城镇、农村居民人均可支配收入: modifiers of one kind written before a shared head noun,
    which only the last item carries; each modifier takes the head (城镇居民人均可支配收入)."""
    if len(items) < 2:
        return items
    last = items[-1]
    for group in lex["parallel_modifiers"]:
        lead = max((m for m in group if last.startswith(m)), key=len, default=None)
        if lead and len(last) > len(lead) and all(x in group and x != lead for x in items[:-1]):
            return [x + last[len(lead):] for x in items[:-1]] + [last]
    return items


def _complete(phrase: str, prev: str, lex: Mapping[str, Any], part_of: bool) -> str:
    """A subject the text shortens because the clause before named its rest:

    - a parallel modifier: 农村居民 after 城镇居民人均可支配收入 is 农村居民人均可支配收入;
    - a part after 其中: 其中城镇居民 after 居民人均可支配收入 is 城镇居民人均可支配收入;
    - a verb alone: 新增 (25 家) after 规模以上工业企业 (180 家) is 新增规模以上工业企业.
    """
    for group in lex["parallel_modifiers"]:
        m1 = max((m for m in group if phrase.startswith(m)), key=len, default=None)
        m2 = max((m for m in group if prev.startswith(m)), key=len, default=None)
        if m1 and m2 and m1 != m2:
            x, y = phrase[len(m1):], prev[len(m2):]
            if y.startswith(x) and len(y) > len(x):
                return m1 + y
    if phrase.startswith("占") and len(phrase) > 2 and not prev.endswith(("比重", "比例")):
        return prev + phrase   # 数字经济核心产业增加值 …，占 GDP 比重达 62%
    if part_of:
        for k in range(min(len(phrase), len(prev) - 1), 1, -1):
            if phrase.endswith(prev[:k]):
                return phrase + prev[k:]
    if phrase in lex["optional_verbs"] and not prev.startswith(phrase):
        noun = next((prev[len(v):] for v in longest_first("optional_verbs") if prev.startswith(v)),
                    prev)
        if len(noun) >= 2:
            return phrase + noun
    return phrase


def _clean_post(post: str, lex: Mapping[str, Any]) -> str:
    post = re.sub(r"\(.*?\)", "", post)
    post = re.sub(r"^(?:的)", "", post)
    for verb in longest_first("category_verbs"):
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
    light = re.sub(_alternation(lex["light_verbs"]), "", item)
    if light != item and len(light) >= 2:
        base.append((light, 1.0))   # 农村贫困人口实现脱贫 = 农村贫困人口脱贫
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

