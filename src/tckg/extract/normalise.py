"""Text normalisation: the text as the later stages read it, every character at its original offset.

Two levels:

- :func:`normalise` turns the whole text into a *working text of the same length*: the
  provenance header (leading ``# key: value`` lines, as the development corpus writes them)
  blanked and kept as metadata, traditional characters converted to simplified ones (OpenCC
  ``t2s``, character by character where a phrase conversion would change the length). Offsets
  in the working text are offsets in the original, so quotes are cut from the original text.
- :func:`make_view` reads a stretch of the working text: NFKC, ``**bold**`` runs, spaces
  dropped (also line breaks inside a number: ``2\n0.6%``), quoted stretches marked, a
  quotation mark that is never closed within its sentence ignored (a damaged quote cannot
  swallow the rest of a report).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tckg.extract.common import ExtractError

MAX_QUOTE = 80          # a quotation longer than this, or running past its sentence, is damaged
_HEADER = re.compile(r"# ?([A-Za-z][\w -]*):\s*(.*)")


@dataclass
class Normalised:
    """The original text, the working text (same length) and the provenance header."""

    original: str
    text: str
    header: dict[str, str] = field(default_factory=dict)
    header_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    converted: int = 0          # characters changed from traditional to simplified


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - the OpenCC converter, built once
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ExtractError("OpenCC is not installed (pip install opencc); it converts "
                           "traditional characters.") from exc
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified characters, keeping the length (and so every offset)."""
    conv = _t2s()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    # a phrase conversion changed the length somewhere: convert line by line, then by character
    lines = []
    for line in text.split("\n"):
        c = conv.convert(line)
        if len(c) != len(line):
            c = "".join(ch2 if len(ch2 := conv.convert(ch)) == 1 else ch for ch in line)
        lines.append(c)
    return "\n".join(lines)


def normalise(text: str) -> Normalised:
    """The working text: header blanked, traditional characters simplified, same length."""
    header: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    chars = list(text)
    pos = 0
    for line in text.split("\n"):
        if not line.startswith("#"):
            if line.strip():
                break
            pos += len(line) + 1
            continue
        m = _HEADER.match(line)
        if m:
            key = m.group(1).strip().lower()
            header.setdefault(key, m.group(2).strip())
            spans.setdefault(key, (pos + m.start(2), pos + m.end(2)))
        for k in range(pos, pos + len(line)):
            chars[k] = " "
        pos += len(line) + 1
    work = "".join(chars)
    simple = to_simplified(work)
    changed = sum(1 for a, b in zip(work, simple, strict=True) if a != b)
    header = {k: to_simplified(v) for k, v in header.items()}
    return Normalised(text, simple, header, spans, changed)


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


_NFKC: dict[str, str] = {}   # a character's NFKC form, computed once per character


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
        n = _NFKC.get(c)
        if n is None:
            n = _NFKC[c] = unicodedata.normalize("NFKC", c) if ord(c) > 127 else c
        for ch in n:
            chars.append(ch)
            pos.append(i)
        i += 1
    # drop whitespace unless it separates two ASCII letters/digits
    keep_c: list[str] = []
    keep_p: list[int] = []
    remap: list[int] = []
    space = [c2 in _WS or c2.isspace() for c2 in chars]
    next_solid = [""] * (len(chars) + 1)   # the next non-space character after each position
    for k in range(len(chars) - 1, -1, -1):
        next_solid[k] = next_solid[k + 1] if space[k] else chars[k]
    for k, ch in enumerate(chars):
        remap.append(len(keep_c))
        if space[k]:
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
    return View(text, keep_p, bold, _quoted(text))


def _quoted(text: str) -> list[bool]:
    """Which characters are inside a quotation (“…”, 「…」, 『…』). A quotation mark whose
    closing mark does not follow within its sentence and ``MAX_QUOTE`` characters is damaged
    punctuation and quotes nothing."""
    quoted = [False] * len(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "“「『":
            close = {"“": "”", "「": "」", "『": "』"}[ch]
            limit = min(n, i + MAX_QUOTE)
            stop = text.find("。", i, limit)
            j = text.find(close, i + 1, stop if stop >= 0 else limit)
            if j >= 0:
                for k in range(i, j + 1):
                    quoted[k] = True
                i = j + 1
                continue
        i += 1
    return quoted


