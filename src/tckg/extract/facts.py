"""Sentences to facts: subject, verb, number, unit, comparator."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from tckg.extract import periods
from tckg.extract.common import MATCH_THRESHOLD, MAX_CLAUSE, MAX_PHRASE, _alternation, norm_label
from tckg.extract.grammar import (
    _clause_ranges,
    _clean_post,
    _complete,
    _groups,
    _is_event,
    _PhraseInfo,
    _strip_fillers,
    _subject_of,
    _variants,
)
from tckg.extract.model import Fact, _mint
from tckg.extract.normalise import View
from tckg.extract.numbers import Mention, _is_cjk
from tckg.extract.periods import When
from tckg.extract.registry import IndicatorInfo
from tckg.extract.segment import Part


def _strip_lead(text: str) -> str:
    return text.strip("、,;: ")


def _start(mention: Mention) -> int:
    return mention.a


def _direction(info: _PhraseInfo) -> str:
    if info.decrease:
        return "decrease"
    if info.growth or info.growth_noun:
        return "increase"
    return info.lead_direction or "level"


class FactsMixin:
    """Reads the facts of each sentence."""

    _when: When = When()

    # -- sentences -------------------------------------------------------------------------
    def _sentence(self, view: View, a: int, b: int, part: Part) -> None:
        lex = self.lex
        s = view.text[a:b]
        self._topic_period(s, part)
        if any(w in s for w in lex["forecast_words"]):
            return
        cue = re.sub(lex["plan_cue_noise"], "", s)   # 规模以上 is no 以上 of a target
        estimated = any(w in s for w in lex["estimate_words"])
        if part.implicit and (estimated or not any(w in cue for w in lex["plan_sentence_words"])):
            part = self._review_body(part)   # 预计全年…增长 5% 左右: an estimated result
        estimate = False
        if part.review:
            if estimated:
                estimate = True
                if any(w in s for w in lex["estimate_scope_words"]):
                    top = part
                    while top.parent is not None:
                        top = top.parent
                    top.estimate_all = True
                elif s.rstrip().endswith(":"):
                    part.estimate_all = True   # 全年主要指标预计完成如下: the list that follows
                elif re.match(r"\s*(?:" + _alternation(lex["estimate_lead_words"]) + r")[,:]", s):
                    # 初步预计，…。其中，…: a lead-in of its own qualifies the whole paragraph
                    self._estimate_block = view
            if self.__dict__.get("_estimate_block") is view:
                estimate = True
            top = part
            while True:
                # a heading that says its figures are estimates (主要指标预计完成情况)
                if not part.implicit and not re.search(r"[,;，；]", top.title) and \
                        any(w in top.title for w in lex["estimate_words"]):
                    estimate = True
                estimate = estimate or top.estimate_all
                if top.parent is None:
                    break
                top = top.parent
        aspiration = any(w in s for w in lex["aspiration_words"])
        by = re.search(r"(?:到|至)(\d{4})年(?:底|末)?", s)
        if by and not part.review and int(by.group(1)) > part.year:
            part = replace(part, year=int(by.group(1)))  # 到 2025 年…: a target for that year
        self._sentence_facts = len(self.facts)
        # the block's mentions are in text order: slice by bisection (a paragraph can hold
        # thousands of sentences, and scanning all its numbers per sentence was quadratic)
        block_mentions = self._mentions(view)
        lo = bisect_left(block_mentions, a, key=_start)
        mentions = block_mentions[lo:bisect_left(block_mentions, b, lo=lo, key=_start)]
        # clause boundaries inside the sentence
        clauses = _clause_ranges(view.text, a, b)
        sent_area = self._area_at(view, a, b) or self.area
        prev_phrase: str | None = None
        prev_rank: str | None = None
        prev_ind: IndicatorInfo | None = None
        if part.kind != "section" and 2 <= len(part.title) <= 20:
            # 1.地区生产总值。年初计划增长 6.5%，1—9月增长 4.8%: a heading that names a core
            # indicator is the subject of the numbers under it that name none
            head = self.matcher.exact(part.title, "level", None, self._stems()) or \
                self.matcher.exact(part.title, "increase", None, self._stems())
            if head is not None and head.id in self.matcher.core:
                prev_phrase = part.title
        self._prev_items: list[str] = []
        when = periods.start(part, lex)
        topic = self.__dict__.get("_topic")
        if topic is not None and topic[0] is periods.top(part) and when.period is None:
            when = topic[1]     # 过去五年…。国内生产总值…: the span an earlier sentence opened
        carried = self.__dict__.get("_carry")
        if carried is not None and carried[0] is view and carried[1] is part:
            when = carried[2]   # a year named earlier in the paragraph
        prev_ca: int | None = None
        asp_at = None
        if aspiration and mentions:
            first_at = min(s.find(w) for w in lex["aspiration_words"] if w in s)
            asp_at = first_at if a + first_at > mentions[0].a else None
        for ca, cb in clauses:
            when = periods.clause(view.text[ca:cb], when, part, self.review_year, lex)
            self._when = when
            if when.sticky:
                self._carry = (view, part, replace(when, cls=None, progress=False,
                                                   estimate=False, plan_progress=False))
            clause_area = self._area_at(view, ca, cb)
            if clause_area:
                sent_area = clause_area
            # the clause before this one (only its last piece is ever read; keeping the whole
            # sentence so far made a sentence of many clauses quadratic)
            self._prev_clause = view.text[prev_ca:ca] if prev_ca is not None else ""
            prev_ca = ca
            lo = bisect_left(mentions, ca, key=_start)
            cms = mentions[lo:bisect_left(mentions, cb, lo=lo, key=_start)]
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
                ranked = group[0].kind in ("rank", "rank-change")
                # an aspiration (力争…) opening the sentence governs all its numbers; one
                # written after a number (增长 5% 以上，力争 6%) those after it up to the next ";"
                hoped = aspiration and (asp_at is None or any(
                    w in view.text[max(a, view.text.rfind(";", a, group[0].a) + 1):group[0].a]
                    for w in lex["aspiration_words"]))
                results = self._interpret(view, seg_start, group, cb, part, sent_area,
                                          hoped, estimate,
                                          (prev_rank or prev_phrase) if ranked else prev_phrase,
                                          prev_ind, clause_start=ca, all_mentions=cms)
                named = [phrase for phrase, _ in results if phrase]
                if named and not ranked:
                    self._prev_items = named   # a list a later list of numbers continues
                for phrase, ind in results:
                    if phrase and ranked:
                        prev_rank = phrase     # 百强园区第 84 位，较上年上升 12 位
                    elif phrase:
                        prev_phrase = phrase   # a ranking (排湘潭市第一) names no subject
                    if ind is not None and ind.kind not in ("rank", "rank-change"):
                        prev_ind = ind
                left = group[-1].b

    def _topic_period(self, sentence: str, part: Part) -> None:
        """A sentence opening with a span makes it the topic of what follows in its top-level
        section; one opening with a single year ends it (:func:`periods.opening`)."""
        opened = periods.opening(sentence, part, self.review_year, self.lex)
        if opened is False:
            self._topic = None
        elif opened is not None:
            self._topic = (periods.top(part), opened)

    def _mentions(self, view: View) -> list[Mention]:
        """The numbers of a block, read once (a block has many sentences)."""
        key = id(view)
        if key not in self._mention_cache:
            self._mention_cache[key] = (view, self.numbers.read(view))
        return self._mention_cache[key][1]

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
        if any(v in raw_pre for v in lex["non_fact_verbs"]) and not any(
                n in raw_pre for n in lex["enterprise_nouns"] + lex["project_nouns"]):
            return []   # 落实 15 条措施 counts rules; 落实京冀企业 167 个 counts enterprises won
        if len(group) == 1 and first.after in lex["threshold_words"] and last.b < clause_end \
                and first.unit not in ("percent", None) \
                and _is_cjk(t[last.b]) and t[last.b] not in lex["threshold_followers"]:
            return []   # 30万千瓦以下煤电机组, 500万元以上项目: a threshold naming a class
        dated = re.sub(r"\d{4}年(?:底|末)?的?$", "", raw_pre)   # 由 2020 年的 300 亿元
        # 由每人每年 420 元提高到 450 元: the rate's basis between 由 and the number
        dated = re.sub("(?:" + lex["per_unit_basis"] + "|" + _alternation(lex["from_hedges"])
                       + ")$", "", dated)   # 从不到 70 万亿元增加到…: a hedged start
        if len(group) == 1 and dated.endswith(tuple(lex["from_markers"])) and \
                re.match(r"^(?:\d{4}年(?:底|末)?的?)?(?:" + lex["to_markers"].lstrip("^") + ")",
                         t[last.b:clause_end]):
            # 从 54 万亿元增加到 82.7 万亿元: the start of a change is no fact; its subject is
            info = _PhraseInfo.parse(dated[:-1], self, area)
            return [(info.phrase, None)] if info.phrase else []
        if re.search("(?:" + _alternation(lex["relative_higher"] + lex["relative_lower"])
                     + r")[\u4e00-\u9fff]{0,4}?(?:" + _alternation(lex["benchmark_words"]) + ")",
                     raw_pre):
            # 高于全省平均水平 1.3 个百分点: a gap to a benchmark, not a result (but 两年平均
            # 增速高于全国 0.3 个百分点 is a gap of the subject's average: the benchmark word
            # has to follow the comparison)
            return []
        if re.search(lex["target_gap_before"], raw_pre):
            return []  # 低于年度目标 1.5 个百分点: the distance to the year's own target
        if part.review and self._when.plan_progress and prev_phrase and first.unit == "percent":
            # 完成调整预算 60 亿元的 101.7%: the plan figure is the year's target
            plan = next((x for x in all_mentions if x.modifier and seg_start <= x.a < first.a
                         and x.kind == "number" and x.unit not in ("percent", None)
                         and t[x.b:first.a].strip() == "的"), None)
            if plan is not None:
                self._review_goal(view, seg_start, plan, plan.b, part, area, prev_phrase,
                                  prev_ind)
                # the plan figure is no part of the progress's subject: the line's subject is
                raw_pre = t[plan.b:first.a]
        if part.review and len(group) == 1 and first.kind == "number" and prev_phrase and \
                re.search(lex["review_goal_before"], raw_pre) and \
                re.match(lex["review_goal_after"], t[last.b:clause_end]):
            return self._review_goal(view, seg_start, first, clause_end, part, area,
                                     prev_phrase, prev_ind)
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
        if part.review and self._counted_before_noun(group, post_clean, info.phrase):
            return []
        if part.review and post_clean.endswith(tuple(lex["ongoing_words"])):
            return []   # 22宗、15312.1亩地块正常推进: work still under way, no result of the year
        after_text = t[last.b:clause_end]
        if post and (re.match(lex["attributive_after"], after_text) or (
                after_text.startswith("的") and last.after in lex["qualifiers_after"])):
            # 稳定在 5% 左右的较低水平, 6.5% 左右的增速可以…, 近 14 亿中国人的饭碗: the number
            # describes the noun after 的; that noun names nothing the number measures (but
            # 71% 的煤电机组实现超低排放 is a share: a plain number right before 的 stays)
            if not info.phrase:
                return []
            post = post_clean = ""
        continued = t[seg_start - 1:seg_start] == "、"
        if continued and not (info.growth or info.lead_direction) and group[0].kind == "number":
            info.lead_direction = self.__dict__.get("_last_lead")   # 退出钢铁产能…、煤炭产能…
        self._last_lead = info.lead_direction
        if info.phrase in lex["headless_subjects"]:
            info.phrase = self._headed(info.phrase, info)
        # 其中出口 38 亿元 after 进出口总额: a part of the total, never the total itself
        part_of = _strip_lead(raw_pre).startswith("其中")
        if prev_phrase and info.phrase and len(group) == 1:
            completed = _complete(info.phrase, prev_phrase, lex, part_of)
            if completed != info.phrase:
                info.phrase, info.raw_items = completed, [completed]
        phrase = info.phrase
        if prev_phrase and len(group) == 1 and first.unit == "percentage-point" and re.fullmatch(
                "(?:" + _alternation(lex["relative_higher"] + lex["relative_lower"]) + ")(?:"
                + _alternation(list(lex["area_words"])) + ")", phrase or ""):
            # 增长 8.3%，高于全省 2 个百分点: the gap of the growth the clause before stated
            grown = prev_ind is not None and prev_ind.kind == "growth-rate"
            phrase = info.phrase = _subject_of(prev_phrase) + ("增速" if grown else "") + phrase
            info.raw_items = [phrase]
        kind_hint = info.kind
        if group[0].kind == "rank":
            kind_hint = "rank"
        elif group[0].kind == "rank-change":
            kind_hint = "rank-change"
        items = info.items(len(group))
        before = self.__dict__.get("_prev_items") or []
        if len(group) > 1 and len(items) == 1 and phrase and len(before) == len(group) and \
                phrase.startswith(tuple(lex["share_heads"])):
            # A、B 分别占地区生产总值 71%、22%，占全市比重分别达 31%、37%: a share list without
            # its own subjects continues the subjects of the list before, in order
            items = [re.split("分别", b)[0] + phrase for b in before]
        compose = 0.9
        if len(items) == 1 and prev_phrase and phrase and not part_of and (
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
                verb = next((v for v in lex["optional_verbs"] if phrase.startswith(v)), None)
                if verb and len(phrase) > len(verb) + 1 and \
                        any(w in raw_pre for w in lex["cumulative_words"]):
                    # 新增高新技术企业 356 家，累计达到 2300 家: the total has no 新增
                    phrase = phrase[len(verb):]
                versus = re.match(lex["versus_last_year"], _strip_lead(raw_pre))
                if versus and first.unit not in ("percent", "percentage-point"):
                    # 特别国债 1.3 万亿元，比上年增加 3000 亿元: the change is a figure of its own
                    # (财政赤字比去年增加), not a second value of the level
                    phrase = prev_phrase + versus.group(0)
                items = [phrase]
                before = self.__dict__.get("_prev_items") or []
                if len(group) > 1 and len(before) == len(group) and before[-1] == prev_phrase:
                    # 城乡居民收入分别达到 45150 元、16722 元，增长 7%、8%: a second list of
                    # numbers without a subject continues the subjects of the first, in order
                    items = list(before)
                inherited = True
                if first.unit == "percent" and not (info.growth or info.lead_direction) and \
                        prev_ind is not None and prev_ind.kind == "growth-rate" and \
                        re.fullmatch("(?:" + _alternation(lex["aspiration_words"]
                                                          + lex["floor_words"]) + ")",
                                     _strip_lead(raw_pre)):
                    # 增长 5% 以上，力争 6%: the same growth, hoped for; 增长 8%，确保 7%: the
                    # same growth, guaranteed at least
                    info.growth, info.kind = True, "growth"
                    info.decrease = bool(self.__dict__.get("_last_decrease"))
                    if _strip_lead(raw_pre) in lex["floor_words"]:
                        info.comparator = info.comparator or "at-least"
        elif post_clean and len(group) == 1 and not info.examples:
            items = [phrase + post_clean]
        self._last_decrease = info.decrease
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
        elif len(group) == 1 and len(items) > 1 and (info.each or info.distributive
                                                      or info.growth):
            pairs = [(group[0], it) for it in items]
        else:
            pairs = [(m, phrase) for m in group]
        shared_after = last.after if len(group) > 1 and info.distributive else None
        taken: dict[str, str] = {}   # indicator id -> the list item that took it
        for m, item in pairs:
            span_a, span_b = quote_a, max(m.b, quote_end)
            if len(group) > 1:
                span_b = max(last.b, quote_end)
            span = view.orig(span_a, max(span_b, span_a + 1))
            after = m.after or shared_after
            ind, score, used = self._indicator(item, items, m, kind_hint, info, prev_ind,
                                               inherited, compose)
            if ind.proposed and info.shared_head and taken.get(ind.id, item) != item:
                # names sharing one head are different things (化学需氧量、氨氮排放量分别下降
                # 2%): a proposal one of them matched by likeness is not the other's indicator
                unit = self.reg.units.get(m.unit or "")
                ind = self._propose(item, "growth" if ind.kind == "growth-rate" else "level",
                                    unit.dimension if unit else "none", None, None)
            taken[ind.id] = item
            if ind.id not in self.matcher.core and any(
                    w in norm_label(item).split("、")[-1] for w in lex["budget_allocation_words"]):
                results.append((item, ind))
                continue   # 中央预算内投资安排 5076 亿元: money the central budget allocates
            fact = self._fact(m, ind, score, part, area, span, after, info, aspiration,
                              estimate, item)
            if fact is not None:
                self.facts.append(fact)
            results.append((item, ind))
        return results

    def _review_goal(self, view: View, seg_start: int, m: Mention, clause_end: int, part: Part,
                     area: str, subject: str, prev_ind: IndicatorInfo | None
                     ) -> list[tuple[str, IndicatorInfo | None]]:
        """增长 11.3%，低于 13% 左右的预期目标: in a review, the year's target of the subject the
        sentence spoke of (bench/corpus/gold/README.md: a target of the review year)."""
        t = view.text
        info = _PhraseInfo.parse(subject, self, area)
        saved = self._when
        # the plan figure is the subject's target, whatever the clause says of progress
        self._when = replace(saved, cls="target", progress=False, estimate=False,
                             plan_progress=False)
        if prev_ind is not None and prev_ind.kind == "growth-rate" and m.unit == "percent":
            info.growth, info.kind = True, "growth"
            ind, score = prev_ind, 0.9
        else:
            ind, score, _ = self._indicator(subject, [subject], m, info.kind, info, prev_ind,
                                            True)
        goal = re.match(self.lex["review_goal_after"], t[m.b:clause_end])
        end = m.b + (goal.end() if goal else 0)
        quote_a = seg_start
        while quote_a < m.a and t[quote_a] in "、,;:":
            quote_a += 1
        span = view.orig(quote_a, max(end, quote_a + 1))
        try:
            fact = self._fact(m, ind, score, part, area, span, m.after, info, False, False,
                              subject)
        finally:
            self._when = saved
        if fact is not None:
            self.facts.append(fact)
        return [(subject, ind)]

    def _headed(self, head: str, info: _PhraseInfo) -> str:
        """总量突破 5 万亿元 after 地区生产总值迈上新台阶: a subject that is only a head noun
        takes the noun the sentence opened with, when the two make a label of the scheme."""
        before = re.split(r"[,;:]", self.__dict__.get("_prev_clause", ""))
        text = next((x for x in reversed(before) if x), "")
        text = self.matcher.scope_rx.sub("", norm_label(text))
        # only the noun the clause opened with (国内生产总值增长 5.1%，总量…: not 增长)
        cut = re.search(r"\d|" + _alternation(self.lex["growth_verbs"] + self.lex["decrease_verbs"]
                                              + self.lex["link_words"]), text)
        if cut and cut.start() > 1:
            text = text[:cut.start()]
        verbal = info.growth or info.decrease
        for k in range(min(len(text), 12), 1, -1):
            found = self.matcher.exact(text[:k] + head, "increase" if verbal else "level", None,
                                       self._stems())
            if found is not None and found.id in self.matcher.core:
                return text[:k] + head
        return head

    def _counted_before_noun(self, group: list[Mention], noun: str, phrase: str) -> bool:
        """设立 11 个自贸试验区, 加快实施 42 个项目: a count of things done, written with its
        classifier before the noun, is no result (bench/corpus/gold/README.md) unless the noun
        names a core indicator."""
        m = group[0]
        if len(group) != 1 or not noun or m.kind != "number":
            return False
        unit = self.reg.units.get(m.unit or "")
        written = m.unit_text or (unit.symbol if unit else "")
        if written not in self.lex["classifier_units"]:
            return False
        for words in (phrase + noun, noun):
            found = self.matcher.exact(words, "level", "count", self._stems())
            if found is not None and found.id in self.matcher.core:
                return False
        return True

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
        direction = _direction(info)
        if self._when.plan_progress:
            # 完成年计划的 97%: progress towards the line's plan figure (its target), else
            # of the indicator the line spoke of last
            # (the last one: a sentence may hold several lines, 其中，A…；B…)
            planned = next((f for f in reversed(self.facts[self.__dict__.get("_sentence_facts", 0):])
                            if f.cls == "target"), None)
            found = planned and (self.reg.indicators.get(planned.indicator)
                                 or self.proposed.get(planned.indicator))
            if found:
                return found, 0.8, item
            if prev_ind is not None:
                return prev_ind, 0.8, item   # 完成年计划的 97%: progress of the line's indicator
        if kind_hint not in ("rank", "rank-change"):
            tries = [item]
            # a verb shared by a list (新增规上工业企业 30 家、高新技术企业 20 家)
            verb = next((v for v in self.lex["optional_verbs"] if items and items[0].startswith(v)), None)
            if verb and len(items) > 1 and not item.startswith(verb):
                tries.insert(0, verb + item)
            for phrase in tries:
                verbal = info.growth or info.decrease or info.growth_noun
                found = self.matcher.exact(phrase, direction if verbal else "level",
                                           None if dimension == "none" else dimension, self._stems())
                if found is not None:
                    return found, 1.0, phrase
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

    def _stems(self) -> tuple[str, ...]:
        """The names of the report's area and its ancestors, with and without 省/市/区."""
        if "_stem_cache" not in self.__dict__:
            names = []
            for ident in [self.area, *self._ancestors(self.area)]:
                info = self.places.get(ident) or self.reg.places.get(ident)
                if info:
                    names.append(norm_label(info.zh))
                    short = re.sub(r"(?:省|市|区|县|自治区|自治州|州)$", "", names[-1])
                    if len(short) >= 2:
                        names.append(short)
            self._stem_cache = tuple(sorted(set(names), key=len, reverse=True))
        return self._stem_cache

    def _ancestors(self, ident: str) -> list[str]:
        out: list[str] = []
        info = self.places.get(ident) or self.reg.places.get(ident)
        while info and info.part_of and info.part_of not in out:
            out.append(info.part_of)
            info = self.places.get(info.part_of) or self.reg.places.get(info.part_of)
        return out

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
        when: When = self._when
        conf = round(min(0.95, 0.55 + 0.4 * score), 2) if not ind.proposed else 0.4
        year = when.year or part.year
        direction = _direction(info)
        value = m.value
        # a reduction indicator (单位地区生产总值能耗下降) is named by its reduction
        reduction = ind.kind == "growth-rate" and \
            norm_label(ind.label_zh).endswith(tuple(lex["reduction_suffixes"]))
        if info.decrease and m.unit in ("percent", "percentage-point") and value > 0 \
                and not reduction:
            value = -value   # a fall of a growth indicator; a reduction stays positive
        unit = self.reg.units.get(m.unit or "")
        written = {"value_text": (m.value_text or "").lstrip("-") if info.decrease else m.value_text,
                   "unit_text": m.unit_text if m.unit_text is not None else (unit.symbol if unit else None),
                   "direction": direction, "subject": self.matcher.subject(phrase, self._stems(), keep_case=True),
                   "period": when.period or str(year), "progress": when.progress}
        cls = when.cls or ("achievement" if part.review else "target")
        if cls == "target" and info.already and when.period is None:
            # 60岁以上人口已达 2.5 亿 in a plan section: the figure reached by the review year
            cls, year = "achievement", self.review_year
            written["period"] = str(year)
        if cls == "target" and when.period and "/" in when.period and \
                when.year is not None and when.year < self.plan_year:
            cls = "achievement"   # “十三五”时期…: a span that ended before the report is done
        if cls == "achievement":
            qualifier = None
            if m.inner:
                qualifier = m.inner
            elif after and after in lex["qualifiers_after"]:
                qualifier = lex["qualifiers_after"][after]
            elif info.qualifier:
                qualifier = info.qualifier
            # a plan-versus-result line says itself what is estimated (全年预计)
            # progress against the plan of an estimated result is estimated too
            is_est = (when.estimate or (when.plan_progress and estimate) if when.cls
                      else estimate) and m.kind == "number"
            return Fact("achievement", ind.id, year, area, part, span, conf, value, m.unit,
                        None, None, qualifier, is_est, phrase=phrase, **written)
        comparator = None
        if m.upper is not None:
            comparator = "range"
        elif after and after in lex["comparators_after"]:
            comparator = lex["comparators_after"][after]
        elif info.comparator:
            comparator = info.comparator
        elif m.inner == "more-than":
            comparator = "at-least"   # 减税 8000 多亿元 as a target: at least 8000
        elif aspiration:
            comparator = "strive-for"
        else:
            comparator = "point"
        level = self.place(self.area).level
        return Fact("target", ind.id, year, area, part, span, conf, value, m.unit, m.upper,
                    comparator, plan_level=level, committed_by=self.government, phrase=phrase,
                    **written)

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
