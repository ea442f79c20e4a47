"""Scorecards cached under the persistent store's content (tckg.track.cache): a card read from
the cache is the card computed afresh; anything that changes the store's content, the year,
scope or tolerances gives another entry; a broken entry is recomputed; memory stores are never
cached."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import pytest
from conftest import ROOT

from tckg.store.backends import open_store
from tckg.store.load import TckDataset, load_dataset
from tckg.track import assess, load_manual_assessments
from tckg.track.cache import cache_path

MANUAL = ROOT / "tests" / "fixtures" / "manual-assessments.ttl"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _card(card):  # noqa: ANN001, ANN202
    data = json.loads(card.to_json())
    data.pop("generated_at")
    return data


@pytest.fixture(scope="module")
def persistent(tmp_path_factory):  # noqa: ANN001, ANN201
    # one store for the module (loading it is most of the time); the test that adds a graph
    # to it runs last
    ds = load_dataset(store="persistent", store_dir=tmp_path_factory.mktemp("store"))
    yield ds
    ds.close()


def test_a_cached_card_is_the_card_computed_afresh(persistent, monkeypatch) -> None:  # noqa: ANN001
    fresh = assess(persistent, year=2022, now=NOW, use_cache=False)
    assert len(fresh) == 9
    path = cache_path(persistent, "2022", None, None)
    assert path is not None and not path.exists()  # use_cache=False wrote nothing
    first = assess(persistent, year=2022, now=NOW)
    assert path.exists()

    def no_queries(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the store was queried although the card is cached")

    # tckg.track.assess the module (the package exports the function under that name)
    monkeypatch.setattr(sys.modules["tckg.track.assess"], "_run", no_queries)
    later = datetime(2026, 2, 1, tzinfo=UTC)
    cached = assess(persistent, year=2022, now=later)
    assert cached.generated_at == later  # this run's time, not the cached run's
    assert _card(cached) == _card(first) == _card(fresh)
    assert cached.rows == fresh.rows  # Decimals, quotes and accountability included
    with pytest.raises(AssertionError, match="queried"):
        assess(persistent, year=2023, now=NOW)  # another year: another entry, not cached yet


@pytest.mark.slow  # a whole scorecard: 1.3 s
def test_a_broken_entry_is_recomputed(persistent) -> None:  # noqa: ANN001
    path = cache_path(persistent, None, None, None)
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "rows": [{"nonsense": 1}]}', encoding="utf-8")
    card = assess(persistent, now=NOW)
    assert len(card) == 55
    head, *rows = path.read_text(encoding="utf-8").splitlines()  # a line per row
    assert json.loads(head)["rows"] == len(rows) == 55
    assert json.loads(rows[0])["target"] == card.rows[0].target
    # a card cut short (a full disk, a killed writer) is recomputed, not read in part
    path.write_text("\n".join([head, *rows[:-1]]) + "\n", encoding="utf-8")
    assert len(assess(persistent, now=NOW)) == 55
    assert len(path.read_text(encoding="utf-8").splitlines()) == 56


def test_every_argument_and_the_stores_content_are_in_the_key(persistent) -> None:  # noqa: ANN001
    base = cache_path(persistent, "2022", None, None)
    others = [cache_path(persistent, "2023", None, None),
              cache_path(persistent, "2022", "district", None),
              cache_path(persistent, "2022", None, {"growth-rate": "0.3"})]
    assert base is not None and len({base, *others}) == 4
    load_manual_assessments(persistent, [MANUAL])  # a graph this command adds: new content
    assert cache_path(persistent, "2022", None, None) not in (base, None)


def test_memory_stores_are_not_cached() -> None:
    for kind in ("rdflib", "oxigraph"):
        assert cache_path(TckDataset(open_store(kind)), "2022", None, None) is None


def test_only_the_most_recently_used_cards_are_kept(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import os

    from tckg.track import cache
    from tckg.track.model import Scorecard

    monkeypatch.setattr(cache, "KEEP", 2)
    paths = [tmp_path / "scorecards" / f"{i:02d}" / f"{i:02d}card.json" for i in range(4)]
    for i, path in enumerate(paths):
        cache.write(path, Scorecard([], NOW, {}, "test"))
        os.utime(path, ns=(i * 10**9, i * 10**9))  # written one after the other
    assert [p.exists() for p in paths] == [False, False, True, True]
    assert cache.read(paths[2], NOW) is not None  # read: the most recently used now
    cache.write(paths[0], Scorecard([], NOW, {}, "test"))
    assert [p.exists() for p in paths] == [True, False, True, False]
