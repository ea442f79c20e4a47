"""No silent empties: one scope vocabulary and suggestions for values that match nothing."""

from __future__ import annotations

import pytest

from tckg.suggest import NoMatch, check_year, did_you_mean, resolve_scope, scopes


def test_did_you_mean_is_case_insensitive_and_ranked() -> None:
    assert did_you_mean("scorecad", ["targets", "scorecard", "projects"]) == ["scorecard"]
    assert did_you_mean("TARGET", ["targets", "task-targets"])[0] == "targets"
    assert did_you_mean("zzz", ["targets"]) == []


def test_a_scope_is_an_id_or_a_chinese_or_english_name(dataset) -> None:  # noqa: ANN001
    known = scopes(dataset.union())
    for name in ("tianyuan", "Tianyuan", "天元区", "Tianyuan District"):
        found = resolve_scope(name, known)
        assert (found.kind, found.id, found.zh) == ("area", "tianyuan", "天元区")
    assert resolve_scope("区县", known).id == "district"
    assert resolve_scope("City", known).kind == "plan-level"
    with pytest.raises(NoMatch, match="天元区"):  # the message suggests the close name
        resolve_scope("天元", known)


def test_years_that_match_nothing_are_named_with_the_years_there_are() -> None:
    assert check_year("2022", {"2022", "2023"}) == "2022"
    assert check_year(None, {"2022"}) is None
    with pytest.raises(NoMatch, match="2022, 2023"):
        check_year("2030", {"2022", "2023"})
    with pytest.raises(NoMatch, match="four-digit"):
        check_year("twenty", {"2022"})
