"""The area and government of a report, and the places its sentences name."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from tckg.extract.common import LEVEL_ORDER, ExtractError, _alternation, longest_first
from tckg.extract.model import _mint
from tckg.extract.normalise import View, make_view
from tckg.extract.numbers import _is_cjk
from tckg.extract.places import _level_of, _place_names, _strip_place_prefix
from tckg.extract.registry import BodyInfo, PlaceInfo
from tckg.extract.segment import Block, _lines, _plan_year
from tckg.vocab.iri import SLUG

MAX_TITLE = 80   # characters of a title line


def _unknown(option: str, value: str, kind: str, known: dict, found: str | None) -> str:
    """An id-like --area or --government the data does not know, where the text names one it
    does: refused, never silently replaced by the text's (which hid a typo such as tianyaun)."""
    import difflib

    close = difflib.get_close_matches(value, list(known), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return (f"{option} {value!r} is no {kind} id in the data{hint}, while the text points to "
            f"{found}; pass a known id, or the Chinese name to draft a new {kind}, or leave "
            f"{option} out to take {found}. {option} 不是已知标识。")


class PlacesMixin:
    """Report metadata, area, government and places named in clauses."""

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
                # a title is a short line; a paragraph citing 省《政府工作报告》 is none
                if len(line) <= MAX_TITLE and re.search(r"报告$|计划(?:草案)?的报告|政府工作报告", line):
                    self.title_span = (blk.start + a, blk.start + b)
                    self.title_blk = blk
                    break
            if self.title_span:
                break
        title = None
        if self.title_span is None and self.header.get("title"):
            # the body starts after its title (an excerpt, a page): the provenance header's
            # title names the report; evidence points at the header line
            self.title_blk = None
            self.title_span = self.norm.header_spans["title"]
            title = unicodedata.normalize("NFKC", self.header["title"])
        if self.title_span is None:
            self.title_blk = head[0]
            first = _lines(self.text[head[0].start:head[0].end])[0]
            self.title_span = (head[0].start + first[0], head[0].start + first[1])
        if title is None:
            title = make_view(self.text, *self.title_span).text
        self.title = title
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
        self._area(title, m.group(1) if m else None, opening)
        self._government()

    def _area(self, title: str, opening: str | None, text: str = "") -> None:
        """The area the report governs: the most specific place the title names (else the
        opening: 在青山县第十八届人民代表大会); the nation for the State Council's reports.
        A place the text does not name is never chosen."""
        reg, opt = self.reg, self.opt
        place = None
        if opt.area:
            place = opt.area if opt.area in reg.places else reg.place_by_label(opt.area)
        head = re.split(r"\d{4}年", title)[0]
        names = _place_names(head)
        if not names and opening:
            names = _place_names(opening)
        if opt.area and place is None:
            # An --area the data does not know was silently replaced by the title's place. A new
            # id for a place the data lacks is drafted (the title gives its name); an unknown id
            # where the text names a known place is a typo, refused; a new name wins.
            if not SLUG.match(opt.area):
                names = [opt.area]
            elif names and reg.place_by_label(names[-1]) is not None:
                raise ExtractError(_unknown("--area", opt.area, "place", reg.places,
                                            reg.place_by_label(names[-1])))
        nation = self.lex["nation"]
        if place is None and not names and (
                any(w in title for w in nation["title_words"])
                or any(w in text[:400] for w in nation["opening_words"])):
            place = self._nation()
        # the provenance header's level line may spell the chain out: district (天津市东丽区)
        level_line = re.search(r"\(([^()]*)\)", self.header.get("level", ""))
        if names and level_line:
            chain = _place_names(level_line.group(1))
            if chain and chain[-1].endswith(names[-1]):
                names = chain
        if place is None and names:
            # only the most specific name: a known parent never stands for an unknown child
            place = reg.place_by_label(names[-1])
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

    def _nation(self) -> str:
        nation = self.lex["nation"]
        ident = nation["id"]
        if ident not in self.reg.places:
            self.places[ident] = PlaceInfo(ident, nation["zh"], nation["en"], "nation")
        if not self.opt.government and self.government_of(ident) is None:
            gov = nation["government"]
            self.bodies[gov["id"]] = BodyInfo(gov["id"], gov["zh"], gov["en"], "government", ident)
        return ident

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
            known = self.government_of(self.area)
            if gov is None and SLUG.match(opt.government) and known in reg.bodies:
                raise ExtractError(_unknown("--government", opt.government, "body", reg.bodies,
                                            known))
        if gov is None and not opt.government:  # a new body named by --government is drafted
            gov = self.government_of(self.area)
        if gov is None:
            area = self.place(self.area)
            ident = opt.government if opt.government and SLUG.match(opt.government) else \
                _mint("body", opt.government) if opt.government else \
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
        # a zone of the registry only when the text names it (a fact is never filed under a
        # place the text does not name); else the zone as the text names it
        near = {self.area, self.place(self.area).part_of}
        zones = [p for p in list(self.places.values()) if p.level == "zone"] + [
            p for p in self.reg.places.values()
            if p.level == "zone" and (p.part_of in near or self._names(p.zh))]
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

    def _names(self, name: str) -> bool:
        """Does the report's text name ``name``? (memoised: called per clause)"""
        cache = self.__dict__.setdefault("_named_cache", {})
        if name not in cache:
            cache[name] = bool(name) and name in self.text
        return cache[name]

    def _zone_in(self, text: str) -> str | None:
        """A ranking of zones (百强园区第 84 位, 国家高新区排名第 30 名) ranks the zone."""
        for word in longest_first("zone_words"):
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
        for word, level in longest_first("area_words"):
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
        for word in longest_first("zone_words"):
            if t2.startswith(word):
                if self.place(self.area).level in ("nation", "province"):
                    return None   # 园区规模工业增加值占比: a province's parks, no one zone
                return self.zone_place(word)
        for p in self._places_by_first().get(t2[:1], ()):
            if len(p.zh) >= 2 and t2.startswith(p.zh) and p.id != self.area:
                if p.level in ("nation", "province", "city"):
                    return None
                return p.id
            if len(p.zh) >= 3 and t2.startswith(p.zh) and p.id == self.area:
                return self.area
        for body, stripped in self._body_names():
            if body.zh[:1] != t2[:1] and (not stripped or stripped[:1] != t2[:1]):
                continue
            for cand in (body.zh, stripped):
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
            if nxt and _is_cjk(nxt) and (self._count(name) >= 2 or any(
                    t2.startswith(w, len(name)) for w in lex["subject_followers"])):
                return self._new_place(name)
        return None

    def _places_by_length(self) -> list[PlaceInfo]:
        """Known and new places, longest name first (rebuilt only when a place is added)."""
        key = len(self.places)
        cache = self.__dict__.get("_places_sorted")
        if cache is None or cache[0] != key:
            cache = (key, sorted(list(self.reg.places.values()) + list(self.places.values()),
                                 key=lambda p: -len(p.zh)))
            self._places_sorted = cache
        return cache[1]

    def _places_by_first(self) -> dict[str, list[PlaceInfo]]:
        """The places by the first character of their name, longest name first."""
        cache = self.__dict__.get("_places_first")
        places = self._places_by_length()
        if cache is None or cache[0] is not places:
            index: dict[str, list[PlaceInfo]] = {}
            for p in places:
                index.setdefault(p.zh[:1], []).append(p)
            cache = (places, index)
            self._places_first = cache
        return cache[1]

    def _body_names(self) -> list[tuple[BodyInfo, str | None]]:
        """Bodies with their names without a leading place (株洲高科集团 → 高科集团)."""
        key = len(self.bodies)
        cache = self.__dict__.get("_bodies_named")
        if cache is None or cache[0] != key:
            bodies = list(self.reg.bodies.values()) + list(self.bodies.values())
            cache = (key, [(b, _strip_place_prefix(b.zh, self.reg.places.values()))
                           for b in bodies])
            self._bodies_named = cache
        return cache[1]

    def _count(self, name: str) -> int:
        """How often a name occurs in the text (counted once per name: linear time)."""
        cache = self.__dict__.setdefault("_counts", {})
        if name not in cache:
            cache[name] = self.text.count(name)
        return cache[name]

    def _new_place(self, name: str) -> str:
        known = self.reg.place_by_label(name)
        if known:
            return known
        ident = _mint("place", name)
        if ident not in self.places:
            suffix = next((s for s in longest_first("place_suffixes")
                           if name.endswith(s)), None)
            level = self.lex["place_suffixes"].get(suffix, "other")
            self.places[ident] = PlaceInfo(ident, name, f"(untranslated) {name}", level,
                                           self.area)
        return ident

