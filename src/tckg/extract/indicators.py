"""Indicator matching: a phrase of the text against the scheme's labels and synonyms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from tckg.extract.common import lexicon, norm_label
from tckg.extract.registry import IndicatorInfo, Registry


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


