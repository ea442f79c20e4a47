"""The JSON files that validation keeps between runs (verdicts, cross-report index rows): one
file per key under ``<folder>/<key[:2]>/<key>.json``, written atomically, ignored when
unreadable or of another format. A cache that cannot be written only costs time next run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def cache_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def read_cache(folder: Path, key: str, fmt: int) -> dict[str, Any] | None:
    """The payload stored under ``key``, or None (missing, unreadable, another format)."""
    try:
        payload = json.loads(cache_path(folder, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return payload if isinstance(payload, dict) and payload.get("format") == fmt else None


def write_cache(folder: Path, key: str, payload: dict[str, Any]) -> None:
    from tckg.io.write import atomic_write_text

    try:
        path = cache_path(folder, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False))
    except OSError:  # a cache that cannot be written only costs time next run
        pass
