"""Periods: the year, span or partial year a fact is about, and plan-versus-result lines.

A fact is about its part's year (the review year in a review section, the plan year in the
plan) unless the text says otherwise:

- a **span**: a five-year review (过去五年, 五年来; a section titled so), a named plan period
  (十三五时期 → ``2016/2020``), a multi-year average (年均 inside such a span);
- a **partial year**: 1—9月, 1-10月, 前三季度, 上半年 (``2023-01/2023-09``): progress, never
  the year's result;
- a **plan-versus-result line** of county and district reports: 年计划 617 亿元 is the year's
  target; 1—9月 完成 428.3 亿元 progress; 全年预计 600 亿元 the year's (estimated) result;
  完成年计划的 97% progress against the plan, not an indicator.

Markers hold from the clause that states them to the end of the sentence, unless another
marker replaces them. A sentence that *opens* with a span (过去五年，…; 五年来，…; “十三五”时期，…)
sets the topic of the discourse: the sentences and paragraphs after it, in the same top-level
section, are about that span until a sentence opens with another period (过去一年, 去年, 今年,
2022 年, another span). A clause opening with a span of its own (十年增加近 70 万亿元) holds it to
the end of its sentence. The words are in ``lexicon/extract.yaml`` (``periods``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from tckg.extract.segment import Part


@dataclass(frozen=True)
class When:
    """What the clauses of a sentence are about, as far as the text has said so far."""

    period: str | None = None      # None: the fact's year; else "2013/2017", "2023-01/2023-09"
    year: int | None = None        # the year of the fact (the end of a span)
    cls: str | None = None         # "target" or "achievement" when a marker decides it
    progress: bool = False         # a partial year, or progress against the plan
    estimate: bool = False
    plan_progress: bool = False    # 完成年计划的 X%: a percentage of the plan figure
    sticky: bool = False           # set by a year the text names (刚刚过去的2017年, 去年…):
    #                                holds for the rest of the paragraph


def top(part: Part) -> Part:
    """The top-level section of a part."""
    while part.parent is not None:
        part = part.parent
    return part


def part_span(part: Part, lex: dict[str, Any]) -> tuple[int, int] | None:
    """A span a section's title names (一、过去五年工作回顾 → the five years up to its year)."""
    title = top(part).title
    for word, years in lex["periods"]["span_words"].items():
        if word in title:
            return (part.year - years + 1, part.year)
    return None


def start(part: Part, lex: dict[str, Any]) -> When:
    """The period every sentence of ``part`` starts with."""
    span = part_span(part, lex)
    if span:
        return When(period=f"{span[0]}/{span[1]}", year=span[1])
    return When()


def _span_at(text: str, rx: str, part: Part, review_year: int, lex: dict[str, Any]
             ) -> When | None:
    """The span a text opens with (``rx``: an opening pattern of the lexicon), if any."""
    p = lex["periods"]
    m = re.match(rx, text)
    if not m:
        return None
    if m.group("plan"):
        a, b = p["plan_periods"][m.group("plan")]
        if "以来" in m.group(0):   # “十四五”以来: since its start, up to the year reviewed
            b = min(b, review_year if part.review else part.year)
        return When(period=f"{a}/{b}", year=b)
    years = p["span_numbers"][m.group("years")]
    if m.group("ahead"):   # 今后五年, 未来五年: the years from the plan year on
        start = review_year + 1
        return When(period=f"{start}/{start + years - 1}", year=start + years - 1)
    end = review_year if part.review else part.year
    return When(period=f"{end - years + 1}/{end}", year=end)


def opening(sentence: str, part: Part, review_year: int, lex: dict[str, Any]
            ) -> When | None | bool:
    """The discourse period a sentence sets by its opening: a span (a :class:`When`), ``False``
    when it opens with a single year (过去一年, 去年, 今年, 2022 年: the topic span ends), else
    ``None`` (the topic so far holds)."""
    p = lex["periods"]
    span = _span_at(sentence, p["topic_span_opening"], part, review_year, lex)
    if span is not None:
        return span
    if re.match(p["topic_year_opening"], sentence):
        return False
    return None


def clause(text: str, when: When, part: Part, review_year: int, lex: dict[str, Any]) -> When:
    """The period after reading one clause: the markers it states replace the earlier ones."""
    p = lex["periods"]
    year = when.year or (part.year if part.review else review_year)
    m = re.search(p["explicit_year"], text)
    if m and 1990 <= int(m.group(1)) <= 2100 and part.review:
        year = int(m.group(1))
        if when.period and "/" in when.period and "-" not in when.period:
            when = When(year=year, sticky=True)   # an explicit year inside a span: that year
    if re.match(r"^(?:而|但|其中|同时)?(?:" + "|".join(p["review_year_words"]) + ")", text):
        year = review_year
        when = When(year=year, sticky=True)   # 去年…: the review year, whatever the section
    # a span of years written out (2021—2023年, 2021年至2023年): to the sentence's end
    r = re.search(p["year_range"], text)
    if r and 1990 <= int(r.group(1)) < int(r.group(2)) <= 2100:
        return replace(when, period=f"{r.group(1)}/{r.group(2)}", year=int(r.group(2)),
                       progress=False, cls=None, sticky=False)
    # a clause opening with a span (十年增加近 70 万亿元、年均增长 6.2%): to the sentence's end
    span = _span_at(text, p["clause_span_opening"], part, review_year, lex)
    if span is not None:
        return replace(when, period=span.period, year=span.year, progress=False, cls=None,
                       sticky=False)
    # named plan periods and spans written in the clause
    # (a plan named as a time frame: “十三五”时期, 十四五以来, 十三五末; not a plan named as a
    # thing: 实施“十四五”规划承上启下的关键之年, 实现“十四五”良好开局)
    for word, (a, b) in p["plan_periods"].items():
        frame = re.search(p["plan_period_frame"].format(word=word), text) if word in text else None
        if frame:
            if re.search(word + "”?以来", text):   # “十四五”以来: up to the year reviewed
                b = min(b, review_year if part.review else part.year)
            return replace(when, period=f"{a}/{b}", year=b, progress=False, cls=None,
                           sticky=False)
    for word, years in p["span_words"].items():
        if word in text:
            end = review_year if part.review else part.year
            return replace(when, period=f"{end - years + 1}/{end}", year=end, progress=False,
                           sticky=False)
    # plan-versus-result lines
    if any(w in text for w in p["plan_progress_words"]) or re.search(p["plan_progress_pattern"], text):
        return When(period=str(year), year=year, cls="achievement", progress=True,
                    plan_progress=True, estimate=when.estimate)   # of 全年预计 …: estimated
    if when.plan_progress:
        # progress against the plan is the clause that says so: the next clause is a result
        when = replace(when, period=None, cls=None, progress=False, plan_progress=False,
                       estimate=False)
    if any(w in text for w in p["year_plan_words"]):
        return When(period=str(year), year=year, cls="target")
    if any(w in text for w in p["full_year_estimate_words"]):
        return When(period=str(year), year=year, cls="achievement", estimate=True)
    m = re.search(p["partial_months"], text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 12 and (a, b) != (1, 12):
            return When(period=f"{year}-{a:02d}/{year}-{b:02d}", year=year, cls="achievement",
                        progress=True)
    for word, (a, b) in p["partial_words"].items():
        if word in text:
            return When(period=f"{year}-{a:02d}/{year}-{b:02d}", year=year, cls="achievement",
                        progress=True)
    return when
