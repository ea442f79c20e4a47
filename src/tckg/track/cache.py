"""Scorecards cached under the content of the store they were computed from.

A scorecard depends only on what the store holds (the reports, the ontology with its rules and
units, the manual assessments a command adds), on the year, scope and tolerances asked for, and
on tckg's own code. At N = 1,000 reports computing one reads hundreds of thousands of rows from
the on-disk store (tens of seconds), so :func:`tckg.track.assess` keeps each card it computes
on the persistent store in ``<store folder>/scorecards/`` under the hash of all of these, as
the validation verdicts are kept: an unchanged corpus scores again from the cache; any changed,
added or removed file, manual assessment, tolerance or tckg source file gives another key.

The cache is JSON lines (never pickle: the folder is only a cache, and reading it must not run
code); an unreadable or foreign entry is ignored and recomputed. Only the persistent store has
a content digest; the in-memory stores are never cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tckg.track.model import Quote, Scorecard, ScoreRow

# 2: a header line and a line per row (1 was one JSON document, read and written whole)
CACHE_FORMAT = 2
# a full card at N = 1,000 reports is about 140 MB of JSON: only the most recently used are kept
KEEP = 8
# the code that turns the store's rows into verdicts, and the queries it reads them with
_SOURCES = ("track/assess.py", "track/rules.py", "track/model.py", "accountability.py",
            "queries/track-targets.rq", "queries/track-achievements.rq",
            "queries/track-evidence.rq", "queries/track-manual.rq", "queries/accountability.rq")
_DECIMALS = {f.name for f in fields(ScoreRow) if "Decimal" in str(f.type)}


def _code_digest() -> str:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name in _SOURCES:
        h.update(name.encode() + b"\0" + (root / name).read_bytes())
    return h.hexdigest()


def cache_path(dataset: Any, year: str | None, scope: str | None,
               tolerances: Mapping[str, Any] | None) -> Path | None:
    """Where the scorecard for these arguments is kept, or ``None`` (no persistent store)."""
    store = getattr(dataset, "store", None)
    digest = getattr(store, "content_digest", None)
    folder = getattr(store, "folder", None)
    content = digest() if digest is not None and folder is not None else None
    if content is None:
        return None
    key = json.dumps({"format": CACHE_FORMAT, "content": content, "code": _code_digest(),
                      "year": year, "scope": scope,
                      "tolerances": sorted((str(k), str(v)) for k, v in (tolerances or {}).items())},
                     sort_keys=True)
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return Path(folder) / "scorecards" / name[:2] / f"{name}.json"


def _row_json(row: ScoreRow) -> dict[str, Any]:
    out = asdict(row)
    for name in _DECIMALS:
        if out[name] is not None:
            out[name] = str(out[name])
    return out


def _row(data: dict[str, Any]) -> ScoreRow:
    for name in _DECIMALS:
        if data.get(name) is not None:
            data[name] = Decimal(data[name])
    for name in ("target_evidence", "result_evidence"):
        data[name] = tuple(Quote(**q) for q in data[name])
    data["based_on"] = tuple(data["based_on"])
    return ScoreRow(**data)


def read(path: Path | None, generated_at: datetime) -> Scorecard | None:
    """The cached scorecard, stamped with this run's time; ``None`` if there is none.

    Read a row at a time: the card is a header line and one line per row, so the whole JSON
    (140 MB at N = 1,000) never sits in memory beside the rows made from it."""
    if path is None:
        return None
    try:
        with path.open(encoding="utf-8") as f:
            head = json.loads(f.readline())
            if not isinstance(head, dict) or head.get("format") != CACHE_FORMAT:
                return None
            rows = [_row(json.loads(line)) for line in f]
        if len(rows) != head["rows"]:  # cut short
            return None
        try:
            path.touch()  # recently used: kept longest
        except OSError:  # a read-only cache still answers
            pass
        return Scorecard(rows, generated_at,
                         {k: Decimal(v) for k, v in head["tolerances"].items()}, head["version"],
                         tuple(head["reports"]), head["year"], head["scope"])
    except (OSError, ValueError, KeyError, TypeError):  # unreadable or foreign: recompute
        return None


def write(path: Path | None, card: Scorecard) -> None:
    """Keep ``card`` at ``path``: a header line, then a line per row, written a row at a time
    to a temporary file that is renamed into place (a reader sees the old card or the new)."""
    if path is None:
        return
    head = {"format": CACHE_FORMAT, "version": card.version, "year": card.year,
            "scope": card.scope, "reports": list(card.reports),
            "tolerances": {k: str(v) for k, v in card.tolerances.items()}, "rows": len(card.rows)}
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False) as f:
            tmp = Path(f.name)
            f.write(json.dumps(head, ensure_ascii=False) + "\n")
            for row in card.rows:
                f.write(json.dumps(_row_json(row), ensure_ascii=False) + "\n")
        os.replace(tmp, path)
        tmp = None
        _prune(path.parents[1])
    except OSError:  # a cache that cannot be written only costs time next run
        pass
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Drop all but the :data:`KEEP` most recently used cards (every change of the corpus
    gives new keys; the old cards would only fill the disk)."""
    cards = sorted(folder.glob("*/*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in cards[KEEP:]:
        old.unlink(missing_ok=True)
