"""Issue 10's end-to-end promise, as a user runs it: extract the national government work
reports of 2017, 2018 and 2019 from their texts, add each to the data with ``tckg add`` (each
validated with the reports before it), then ``tckg track`` scores each year's targets against
the results the next report states — and gives the verdicts of
``bench/corpus/gold-verdicts-2017-2018.tsv``."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg

CORPUS = ROOT / "bench" / "corpus"
TARGET = "https://w3id.org/tckg/report/china-{year}-work-draft/target/{year}/nation/{indicator}"
# the gold names each indicator as the reports word it; these are the scheme's ids for them
HINTS = {"国内生产总值|GDP": "gdp-growth", "新增就业": "new-urban-jobs", "居民消费价格": "cpi"}


@pytest.mark.slow
def test_track_after_adding_the_national_reports_gives_the_gold_verdicts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for year in (2017, 2018, 2019):
        draft = tmp_path / f"china-{year}.ttl"
        extracted = run_tckg("extract", str(CORPUS / f"national-gwr-{year}.txt"), "-o", str(draft),
                             "--data-dir", str(data))
        assert extracted.returncode == 0, extracted.stderr
        added = run_tckg("add", str(draft), "--data-dir", str(data))
        assert added.returncode == 0, added.stderr
        assert (data / "reports" / f"china-{year}-work-draft.ttl").is_file()
    files = [str(data / "report.ttl"), *sorted(str(p) for p in (data / "reports").glob("*.ttl"))]
    tracked = run_tckg("track", *files, "--scope", "china", "-f", "csv")
    assert tracked.returncode == 0, tracked.stderr
    rows = {row["target"]: row for row in csv.DictReader(io.StringIO(tracked.stdout))}
    with (CORPUS / "gold-verdicts-2017-2018.tsv").open(encoding="utf-8") as fh:
        gold = list(csv.DictReader(fh, delimiter="\t"))
    assert len(gold) == 5
    got = {}
    for expected in gold:
        target = TARGET.format(year=expected["year"], indicator=HINTS[expected["label_hint"]])
        assert target in rows, f"no {expected['year']} target for {expected['label_hint']}"
        row = rows[target]
        # scored against the next year's report, not against the report that set it
        assert row["result_report"].endswith(f"china-{int(expected['year']) + 1}-work-draft"), row
        got[target] = (row["status"], expected["status"])
    assert all(status == gold_status for status, gold_status in got.values()), got
