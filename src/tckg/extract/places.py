"""Place names in a text: administrative suffixes, levels, prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from tckg.extract.common import lexicon
from tckg.extract.numbers import _is_cjk
from tckg.extract.registry import PlaceInfo

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
            for verb in lexicon()["place_name_leading_verbs"]:   # 关于印发新乡市… → 新乡市
                if name.startswith(verb) and len(name) > len(verb) + 1:
                    name = name[len(verb):]
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


