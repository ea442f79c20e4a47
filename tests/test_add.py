"""``tckg add``: a report joins the data only if it conforms with it, and the data is never at
risk: refused or unreadable files change nothing (byte for byte), a process killed while
writing leaves neither a partial report nor a temporary file, and once a later report is added
``tckg track`` scores the earlier report's targets with its results.

Every test works on a copy of the data in a temporary folder (``--data-dir``), never on data/.
The 2024 report below is FICTIONAL: invented figures, to play the part of next year's report.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tckg.add import AddError, AddRefused, add_report
from tckg.io.errors import LoadError
from tckg.io.paths import default_data_files
from tckg.store.load import load_dataset

ROOT = Path(__file__).resolve().parents[1]

FICTIONAL_2024 = """【虚构测试样例，非真实报告 FICTIONAL TEST TEXT, NOT A REAL REPORT】

关于株洲市天元区 2023 年国民经济和社会发展计划执行情况与 2024 年国民经济和社会发展计划草案的报告

一、2023 年计划执行情况

全区地区生产总值增长 7.1%，规模工业增加值增长 10.6%，固定资产投资增长 5%。城镇新增就业 7350 人，粮食总产量 3.52 万吨。

二、2024 年主要预期目标

地区生产总值增长 6.5%左右，规模工业增加值增长 9%左右。
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    (folder / "reports").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "report.ttl", folder / "report.ttl")
    return folder


@pytest.fixture(scope="module")
def draft_2024(tmp_path_factory) -> Path:
    """The fictional 2024 report, drafted by ``tckg extract`` (library call)."""
    from tckg.extract import extract_file, write_draft

    folder = tmp_path_factory.mktemp("draft")
    text = folder / "fictional-2024.txt"
    text.write_text(FICTIONAL_2024, encoding="utf-8")
    return write_draft(extract_file(text), folder / "fictional-2024-draft.ttl")


@pytest.mark.slow
def test_add_stores_a_conforming_draft_beside_the_data(data, draft_2024):
    before = (data / "report.ttl").read_bytes()
    result = add_report(draft_2024, data_dir=data)
    assert result.path == data / "reports" / "tianyuan-2024-plan-draft.ttl"
    assert result.is_draft and result.validation.conforms
    assert (data / "report.ttl").read_bytes() == before
    assert [p.name for p in default_data_files(data)] == ["report.ttl", "tianyuan-2024-plan-draft.ttl"]
    ds = load_dataset(default_data_files(data))
    assert result.graph_name in ds.report_graphs()
    assert sorted(p.name for p in (data / "reports").iterdir()) == ["tianyuan-2024-plan-draft.ttl"]


def test_adding_twice_never_replaces(data, draft_2024, tckg_cli):
    (data / "reports" / "tianyuan-2024-plan-draft.ttl").write_text("# added before\n",
                                                                    encoding="utf-8")
    before = snapshot(data)
    proc = tckg_cli("add", str(draft_2024), "--data-dir", str(data))
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert snapshot(data) == before


@pytest.mark.slow
def test_cli_refuses_a_broken_file_and_changes_nothing(data, draft_2024, tmp_path, tckg_cli):
    # the draft with its 2024 GDP target stripped of its comparator: a target needs one
    text = draft_2024.read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    lines = text.splitlines(keepends=True)
    target = "<https://w3id.org/tckg/report/tianyuan-2024-plan-draft/target/2024/district/gdp-growth>"
    start = next(i for i, line in enumerate(lines) if line.startswith(target))
    i = next(i for i in range(start, len(lines)) if "tck:comparator" in lines[i])
    assert lines[i].strip() == "tck:comparator cmp:approximately ;"
    kept = lines[:i] + lines[i + 1:]
    broken.write_text("".join(kept), encoding="utf-8")
    before = snapshot(data)
    proc = tckg_cli("add", str(broken), "--data-dir", str(data), env={"COLUMNS": "200"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "does not conform" in proc.stdout + proc.stderr
    assert "comparator" in proc.stdout                       # the validation report says why
    assert snapshot(data) == before


def test_unreadable_file_exits_2_and_changes_nothing(data, tmp_path, tckg_cli):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix tck: <https://w3id.org/tckg/def#> .\ntck:x tck:y \"unclosed .\n",
                   encoding="utf-8")
    before = snapshot(data)
    proc = tckg_cli("add", str(bad), "--data-dir", str(data))
    assert proc.returncode == 2 and "not valid RDF" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(data) == before
    with pytest.raises(LoadError):
        add_report(tmp_path / "missing.ttl", data_dir=data)
    assert snapshot(data) == before


@pytest.mark.slow
def test_a_file_that_is_not_one_report_is_refused(data, tmp_path):
    other = tmp_path / "two.ttl"
    other.write_text("@prefix tck: <https://w3id.org/tckg/def#> .\n"
                     "<https://w3id.org/tckg/report/a> a tck:Report .\n"
                     "<https://w3id.org/tckg/report/b> a tck:Report .\n", encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(AddError, match="exactly one"):
        add_report(other, data_dir=data)
    # the curated report itself is already there: adding it again is refused before validation
    with pytest.raises(AddError, match="already"):
        add_report(ROOT / "data" / "report.ttl", data_dir=data)
    assert snapshot(data) == before


@pytest.mark.slow
def test_refusal_carries_the_validation_report(data, draft_2024, tmp_path):
    # a unit that does not measure what the indicator measures (GDP growth in 万吨)
    text = draft_2024.read_text(encoding="utf-8")
    wrong = tmp_path / "wrong-unit.ttl"
    wrong.write_text(text.replace("tck:unit unit:percent", "tck:unit unit:wan-tonne", 1),
                     encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(AddRefused) as info:
        add_report(wrong, data_dir=data)
    assert not info.value.report.conforms
    assert any("dimension" in r.message_en for r in info.value.report.violations)
    assert snapshot(data) == before


CHILD = """
import os, sys, time
import tckg.add

def stall(fd):
    # the bytes are written, the name not given yet: tell the parent, then wait to be killed
    sys.stdout.write("WRITING\\n")
    sys.stdout.flush()
    time.sleep(600)

os.fsync = stall
tckg.add.add_report(sys.argv[1], data_dir=sys.argv[2])
"""


@pytest.mark.slow
def test_killed_mid_write_leaves_old_data_and_no_temp_file(data, draft_2024, tmp_path):
    before = snapshot(data)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    child = subprocess.Popen([sys.executable, str(script), str(draft_2024), str(data)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8", env=env)
    try:
        line = child.stdout.readline()   # blocks until the child is inside the write
        assert line.strip() == "WRITING", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    time.sleep(0.1)
    assert snapshot(data) == before                     # same files, same bytes, nothing else
    assert not any(p.name.startswith(".") for p in (data / "reports").iterdir())
    # and the data still loads as before
    assert len(load_dataset(default_data_files(data)).report_graphs()) == 1


@pytest.mark.slow
def test_added_report_answers_the_earlier_targets(data, draft_2024):
    track = pytest.importorskip("tckg.track")
    ds = load_dataset(default_data_files(data))
    before = {r.target: r for r in track.assess(ds, year=2023).rows}
    add_report(draft_2024, data_dir=data)
    ds = load_dataset(default_data_files(data))
    after = {r.target: r for r in track.assess(ds, year=2023).rows}
    gdp = "https://w3id.org/tckg/report/tianyuan-2023-plan/target/2023/district/gdp-growth"
    assert gdp in before and gdp in after
    assert str(before[gdp].status).endswith("no-result")
    row = after[gdp]
    # 7.1 against "7.5 左右" (approximately, 0.5 points of tolerance)
    assert str(row.status).endswith("met-within-tolerance"), row
    assert row.result_report and "tianyuan-2024-plan-draft" in row.result_report


# -- duplicates, replace, remove -----------------------------------------------------------

def _renamed(draft: Path, tmp_path: Path, slug: str) -> Path:
    """The same report under another slug: same source text, government and plan year."""
    copy = tmp_path / f"{slug}.ttl"
    copy.write_text(draft.read_text(encoding="utf-8").replace("tianyuan-2024-plan-draft", slug),
                    encoding="utf-8")
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("store", ["rdflib", "persistent"])
def test_a_report_already_in_the_data_is_refused_and_nothing_changes(data, draft_2024, tmp_path,
                                                                      store):
    # on the persistent store the check reads the store's index (a copy of the corpus into
    # rdflib was 36 of 40 s of tckg add at N = 100 reports)
    add_report(draft_2024, data_dir=data, store=store)
    before = snapshot(data)
    with pytest.raises(AddError, match="already in the data as tianyuan-2024-plan-draft"):
        add_report(_renamed(draft_2024, tmp_path, "tianyuan-2024-again"), data_dir=data, store=store)
    assert snapshot(data) == before
    with pytest.raises(AddError, match="already exists"):  # the same slug
        add_report(draft_2024, data_dir=data)
    assert snapshot(data) == before


@pytest.mark.slow
def test_the_bundled_report_cannot_be_added_twice(data, tmp_path, tckg_cli):
    draft = tmp_path / "seed-draft.ttl"
    proc = tckg_cli("extract", str(ROOT / "data/sources/tianyuan-2023-plan-report.txt"),
                    "-o", str(draft), "--no-validate")
    assert proc.returncode == 0, proc.stderr
    before = snapshot(data)
    proc = tckg_cli("add", str(draft), "--data-dir", str(data), "--store", "rdflib")
    assert proc.returncode == 2 and "same source text" in proc.stderr
    assert "bundled report" in proc.stderr
    assert snapshot(data) == before


@pytest.mark.slow
def test_replace_and_remove(data, draft_2024, tmp_path, tckg_cli):
    add_report(draft_2024, data_dir=data)
    again = _renamed(draft_2024, tmp_path, "tianyuan-2024-plan")
    result = add_report(again, data_dir=data, replace=True)
    assert result.slug == "tianyuan-2024-plan"
    assert sorted(p.name for p in (data / "reports").iterdir()) == ["tianyuan-2024-plan.ttl"]
    # the same slug replaced in place
    result = add_report(again, data_dir=data, replace=True)
    assert sorted(p.name for p in (data / "reports").iterdir()) == ["tianyuan-2024-plan.ttl"]
    proc = tckg_cli("remove", "tianyuan-2024-pln", "--data-dir", str(data))
    assert proc.returncode == 2 and "tianyuan-2024-plan" in proc.stderr  # did you mean
    proc = tckg_cli("remove", "tianyuan-2024-plan", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    assert list((data / "reports").iterdir()) == []
    proc = tckg_cli("remove", "tianyuan-2023-plan", "--data-dir", str(data))
    assert proc.returncode == 2 and "bundled report" in proc.stderr
    assert (data / "report.ttl").exists()
