"""Indicator matching: a phrase of the text against the scheme's labels and synonyms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from tckg.extract.common import _alternation, lexicon, norm_label
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


@lru_cache(maxsize=1)
def _expansions() -> list[tuple[str, str]]:
    """The synonyms that write an abbreviation out (GDP → 地区生产总值, 固投 → 固定资产投资)."""
    return [(k, v) for k, v in _synonyms() if len(v) > len(k)]


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


def _same_dimension(ind: IndicatorInfo, dimension: str | None) -> bool:
    return dimension is None or ind.dimension == dimension or (
        dimension in ("people", "count") and ind.dimension in ("people", "count"))


_COUNT_SUFFIX = re.compile(r"(?:个数|数量|期数|场次|(?<!总)数)$")


CORE_FILES = ("indicators-core.yaml", "indicators-common.yaml")


@lru_cache(maxsize=4)
def core_ids(files: tuple[str, ...] = CORE_FILES) -> frozenset[str]:
    """The ids of the core scheme: the agreed indicators of every plan
    (``ontology/src/indicators-core.yaml``) and the common ones of county, district and city
    reports (``indicators-common.yaml``). They are matched only exactly, never by similarity."""
    import yaml

    from tckg.io.paths import project_root

    ids: set[str] = set()
    for name in files:
        try:
            path = project_root() / "ontology" / "src" / name
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except Exception:  # noqa: BLE001 - no sources beside an installed package: none is core
            continue
        ids.update(rec["id"] for rec in doc.get("indicators", []))
    return frozenset(ids)


def agreed_ids() -> frozenset[str]:
    """The agreed core list only (``indicators-core.yaml``, as bench/corpus/core-indicators.tsv)."""
    return core_ids(CORE_FILES[:1])


class IndicatorMatcher:
    """Exact matching first: the subject as the text names it, scope words stripped, against
    every label and synonym of the scheme, with the verb deciding between a level, its growth
    and a reduction. Similarity is a fallback for the indicators outside the core scheme only."""

    def __init__(self, registry: Registry) -> None:
        self.reg = registry
        self.index: list[tuple[str, IndicatorInfo]] = []
        self.exact_index: dict[str, list[IndicatorInfo]] = {}
        self.growth: dict[str, IndicatorInfo] = {}
        self.core = core_ids()
        lex = lexicon()
        self.scope_rx = re.compile("^(?:" + _alternation(lex["subject_scope_words"]) + ")+")
        self.tail_rx = re.compile("(?:" + _alternation(lex["subject_tail_words"]) + ")+$")
        for ind in registry.indicators.values():
            self._add(ind)

    def _add(self, ind: IndicatorInfo) -> None:
        if not ind.proposed:
            for label in ind.labels:
                bucket = self.exact_index.setdefault(norm_label(label), [])
                if ind not in bucket:
                    bucket.append(ind)
            if ind.growth_of and ind.kind == "growth-rate":
                self.growth.setdefault(ind.growth_of, ind)
        seen = set()
        for label in ind.labels:
            for variant in (canonical(label), _COUNT_SUFFIX.sub("", canonical(label))):
                if variant and variant not in seen:
                    seen.add(variant)
                    self.index.append((variant, ind))

    def add(self, ind: IndicatorInfo) -> None:
        self.reg.indicators[ind.id] = ind
        self._add(ind)

    def subject(self, phrase: str, places: Sequence[str] = (), keep_case: bool = False) -> str:
        """The subject as compared: normalised, scope words (全国, 全省, 全社会 …), the
        report's places and trailing link words stripped."""
        s = re.sub(lexicon()["periods"]["partial_months"], "", norm_label(phrase, keep_case)).lstrip("—-–·、,;:")
        for _ in range(3):
            before = s
            s = self.scope_rx.sub("", s)
            for place in places:
                if s.startswith(place) and len(s) > len(place) + 1:
                    s = s[len(place):]
            s = re.sub(r"^\d{4}年(?:度)?", "", s)
            s = self.tail_rx.sub("", s) or s
            if s == before:
                break
        return s

    def exact(self, phrase: str, direction: str, dimension: str | None,
              places: Sequence[str] = ()) -> IndicatorInfo | None:
        """The indicator whose label is the subject exactly (no similarity): with 增长 and a
        percentage its growth rate; with 下降 its reduction (or its growth, negative)."""
        s = self.subject(phrase, places)
        if not s:
            return None
        found = self._exact(s, direction, dimension)
        if found is None:
            narrowed = re.sub(lexicon()["subject_scope_prefix"], "", s)
            if narrowed != s and narrowed:
                found = self._exact(narrowed, direction, dimension)
        if found is None:
            # an abbreviation inside the subject (R&D经费支出占GDP比重, 社零总额): written out
            expanded = s
            for short, full in _expansions():
                expanded = expanded.replace(short, full)
            if expanded != s:
                found = self._exact(expanded, direction, dimension)
        return found

    def _exact(self, s: str, direction: str, dimension: str | None) -> IndicatorInfo | None:
        lex = lexicon()
        ratio = dimension == "ratio"
        if direction in ("increase", "decrease"):
            suffixes = lex["growth_suffixes"] if direction == "increase" else lex["reduction_suffixes"]
            for suffix in suffixes:
                for ind in self.exact_index.get(s + suffix, []):
                    if ind.kind == "growth-rate" and dimension in ("ratio", None):
                        return ind
                    # a count named by its change (农村贫困人口减少 1240 万)
                    if ind.kind != "growth-rate" and not ratio and _same_dimension(ind, dimension):
                        return ind
        for ind in self.exact_index.get(s, []):
            if ratio and direction in ("increase", "decrease") and ind.kind != "growth-rate":
                grown = self.growth.get(ind.id)
                if grown is not None:
                    return grown
                if ind.dimension != "ratio":
                    continue
            if dimension is None and direction in ("increase", "decrease") and \
                    ind.kind != "growth-rate" and self.growth.get(ind.id) is not None:
                continue   # a change of unknown unit is neither the level nor surely its growth
            if _same_dimension(ind, dimension):
                return ind
        return None

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
        weighted = [(p, 1.0) if isinstance(p, str) else p for p in phrases]
        direction = "increase" if kind == "growth" else "level"
        # a bare number (5000 万农村贫困人口) has no dimension: any core label may name it
        exact_dim = None if dimension == "none" else dimension
        for phrase, weight in weighted:
            if kind in ("growth", "level"):
                found = self.exact(phrase, direction, exact_dim)
                if found is not None and (kind == "growth") == (found.kind == "growth-rate"):
                    return found, weight, phrase
            elif kind == "qualitative":
                # 地表水水质保持 II 类: a class stated of an indicator the scheme names (a share
                # of water of class III or better, a quality) is that indicator's class
                found = self.exact(phrase, "level", None)
                if found is not None and found.kind not in ("growth-rate", "rank", "rank-change"):
                    return found, weight, phrase
        cands = list(self.candidates(dimension, kind))
        base = canonical(weighted[0][0]) if weighted else None
        for phrase, weight in weighted:
            p = canonical(phrase)
            if not p:
                continue
            pb = _bigrams(p)
            for label, ind in cands:
                if ind.id in self.core:
                    continue  # the core scheme is matched exactly or not at all
                if len(p) > 2 and len(label) > 2 and not pb & _bigrams(label):
                    continue  # nothing in common: skip the costly alignment
                s = label_score(p, label, base) * weight
                if s > best[1] or (s == best[1] and best[0] is not None and ind.id < best[0].id):
                    best = (ind, s, phrase)
        return best


