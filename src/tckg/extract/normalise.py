"""Text normalisation: a view of the text whose every character keeps its original offset."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


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


