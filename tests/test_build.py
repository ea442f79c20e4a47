"""`tckg build`: the site on the bundled data, and nothing half-written on bad data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_tckg


@pytest.mark.slow
def test_build_writes_the_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_tckg("build", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("index.html", "graph.html", "scorecard.html", "tckg.trig", "assessments.ttl"):
        assert (out / name).is_file(), name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "conforms" in index
    # the report's title, and the verdicts in both languages
    assert "关于株洲市天元区 2022 年国民经济和社会发展计划执行情况" in index
    assert "未达成 · missed" in index and "尚无结果 · no result yet" in index
    # The summary counts what the report holds (the seed has dozens of targets and results).
    assert "targets" in result.stdout and "achievements" in result.stdout
    assert not list(tmp_path.glob(".out.*")), "temporary build folders must be cleaned up"


@pytest.mark.slow
def test_build_refuses_nonconforming_data_and_keeps_old_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old site", encoding="utf-8")
    (out / ".tckg-site").write_text("", encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    text = (ROOT / "data" / "report.ttl").read_text(encoding="utf-8")
    # A typo in a property name: the kind of mistake the shapes must catch.
    bad.write_text(text.replace("tck:planLevel", "tck:planLevle", 1), encoding="utf-8")
    result = run_tckg("build", "-o", str(out), str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "planLevle" in result.stdout
    assert (out / "index.html").read_text(encoding="utf-8") == "old site"
    assert sorted(p.name for p in out.iterdir()) == [".tckg-site", "index.html"]


@pytest.mark.slow
def test_build_replaces_its_own_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_tckg("build", "-o", str(out)).returncode == 0
    (out / "stale.html").write_text("from an older build", encoding="utf-8")
    assert run_tckg("build", "-o", str(out)).returncode == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()


def test_build_never_replaces_what_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work", encoding="utf-8")
    afile = tmp_path / "notes.txt"
    afile.write_text("notes", encoding="utf-8")
    for target in (folder, afile):
        result = run_tckg("build", "-o", str(target))
        assert result.returncode == 2, result.stdout
        assert "Traceback" not in result.stderr and "choose" in result.stderr
    assert (folder / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    assert afile.read_text(encoding="utf-8") == "notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "notes.txt"]
