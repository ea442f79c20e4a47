"""Enterprises, projects and campaigns the text names."""

from __future__ import annotations

import re

from tckg.extract.common import _alternation, longest_first
from tckg.extract.model import _mint, _zh_en
from tckg.extract.normalise import View
from tckg.extract.registry import BodyInfo
from tckg.extract.segment import Part


class NamedMixin:
    """Named entities."""

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
            for verb, st in longest_first("stage_verbs"):
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
