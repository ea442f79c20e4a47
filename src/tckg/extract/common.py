"""Constants, the lexicon (word lists of ``tckg/lexicon/extract.yaml``) and the error."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from tckg.errors import TckgError

LEXICON_PATH = Path(__file__).parent.parent / "lexicon" / "extract.yaml"
MATCH_THRESHOLD = 0.62
MAX_PHRASE = 60        # characters of text before (or after) a number read as its subject
MAX_CLAUSE = 300       # longer "clauses" are not sentences of a report: only their end is read
# The largest text read: three times a national government work report (about 62,000
# characters). Extraction is linear below it; above it the text is refused, not read slowly.
MAX_TEXT_CHARS = 200_000
LEVEL_ORDER = ["village", "town", "zone", "district", "city", "province", "nation"]


class ExtractError(TckgError):
    """A report text the extractor cannot turn into a draft (no year, no area …)."""


# =============================================================================== lexicon

@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The extractor's word lists (``src/tckg/lexicon/extract.yaml``), loaded once."""
    import yaml

    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _alternation(words: Iterable[str]) -> str:
    return _alternation_of(frozenset(words))


@lru_cache(maxsize=512)
def _alternation_of(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def norm_label(text: str, keep_case: bool = False) -> str:
    """A label as compared: NFKC, no spaces, quotes or brackets, lower-case ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s“”‘’\"'「」『』《》〈〉·*()（）【】\[\]]", "", text)
    return text if keep_case else text.lower()


@lru_cache(maxsize=128)
def longest_first(key: str) -> tuple[Any, ...]:
    """A lexicon list (its words) or mapping (its items), longest word first; sorted once."""
    value = lexicon()[key]
    if isinstance(value, dict):
        return tuple(sorted(value.items(), key=lambda kv: -len(kv[0])))
    return tuple(sorted(value, key=len, reverse=True))
