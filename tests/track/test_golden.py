"""Golden files: tckg track's verdicts, CSV and JSON, on the bundled data, on the bundled data
with the FICTIONAL next-year report and the manual-assessment example, and on the synthetic
rule fixture; and every operator x polarity x position of the result as judged by the rules.

The files were written by the if-ladder track.py had before the rules moved into
``ontology/rules.ttl``; the interpreter must give the same verdicts, rules and reasons, word
for word. Columns added later (e.g. accountability) are not compared here: a golden file
speaks for the columns it has. Regenerate after an intended change with
``TCKG_REGENERATE_GOLDEN=1 pytest tests/track/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from tckg.compile import compile_report, write_turtle
from tckg.store.load import load_dataset
from tckg.track import assess, judge

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("TCKG_REGENERATE_GOLDEN") == "1"
NOW = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
FICTIONAL_DIR = ROOT / "tests" / "fixtures" / "fictional-tianyuan-2024"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
        return
    golden = path.read_text(encoding="utf-8")
    if name.endswith(".csv"):
        old = list(csv.DictReader(io.StringIO(golden)))
        new = list(csv.DictReader(io.StringIO(text)))
        assert len(new) == len(old), name
        for i, (o, n) in enumerate(zip(old, new, strict=True)):
            assert {k: n.get(k) for k in o} == o, f"{name} row {i + 2}"
    else:
        old, new = json.loads(golden), json.loads(text)
        assert {k: new.get(k) for k in old if k != "rows"} == {k: v for k, v in old.items()
                                                                 if k != "rows"}, name
        assert len(new["rows"]) == len(old["rows"]), name
        for i, (o, n) in enumerate(zip(old["rows"], new["rows"], strict=True)):
            assert {k: n.get(k) for k in o} == o, f"{name} row {i}: {o['target']}"


def _files(case: str, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if case == "synthetic":
        return [ROOT / "tests" / "fixtures" / "synthetic-rules.ttl"]
    if case == "bundled":
        return [ROOT / "data" / "report.ttl"]
    fictional = tmp_path_factory.mktemp("golden") / "fictional-tianyuan-2024-plan.ttl"
    write_turtle(compile_report(FICTIONAL_DIR, FICTIONAL_DIR), fictional)
    return [ROOT / "data" / "report.ttl", fictional,
            ROOT / "tests" / "fixtures" / "manual-assessments.ttl"]


@pytest.mark.parametrize("case", [
    "synthetic",
    pytest.param("bundled", marks=pytest.mark.slow),
    pytest.param("two-reports", marks=pytest.mark.slow),
])
def test_scorecard_is_unchanged(case, tmp_path_factory):
    card = assess(load_dataset(_files(case, tmp_path_factory)), now=NOW)
    _check(f"{case}.csv", card.to_csv())
    _check(f"{case}.json", card.to_json() + "\n")


def _grid() -> str:
    """Every operator x polarity, the result below, at, between and beyond the bounds (a target
    of 10, a range 10–12, tolerance 0.5), hedged at the bounds, in percent and in 万吨."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("operator", "polarity", "result", "bias", "unit", "status", "rule", "reason",
                     "reason_zh"))
    for operator in ("approx", "eq", "ge", "gt", "le", "lt", "between"):
        for polarity in ("higher-is-better", "lower-is-better", "neutral"):
            for result, bias in [("9", 0), ("9.6", 0), ("10", -1), ("10", 0), ("10", 1),
                                 ("10.4", 0), ("11", 0), ("12", -1), ("12", 0), ("12", 1),
                                 ("12.5", 0)]:
                for unit in ("%", " 万吨"):
                    j = judge(operator, polarity, Decimal(10), Decimal(result),
                              upper=Decimal(12) if operator == "between" else None,
                              tolerance=Decimal("0.5"), bias=bias, unit=unit,
                              percent=unit == "%")
                    writer.writerow((operator, polarity, result, bias, unit.strip(), j.status,
                                     j.rule, j.reason, j.reason_zh))
    return buf.getvalue()


def test_every_rule_gives_the_same_verdicts_and_reasons():
    _check("judge-grid.csv", _grid())
