"""Terminal tables fitted to 80 and 100 columns: columns left out by importance, never cut."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from tckg.termtable import Column, dropped_note, fit

ROWS = [["地区生产总值增速", "2022", "8%", "4%（预计）", "missed", "-4 个百分点",
         "“三个高地”建设有声有色 › 先进制造业争先进位 (inferred)", "not stated",
         "4% is 4 percentage points below the target 8%. The result is an estimate (预计数)."]] * 3
COLUMNS = [Column("指标 indicator", 0), Column("年度 year", 5), Column("目标 target", 0),
           Column("结果 result", 0), Column("状态 status", 0), Column("差距 gap", 3),
           Column("任务 task", 2, min_width=18), Column("牵头 lead", 1), Column("理由 reason", 8)]


def _render(table, width: int) -> list[str]:  # noqa: ANN001
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(table)
    return console.export_text().splitlines()


def test_tables_fit_80_and_100_columns_and_drop_the_least_important() -> None:
    for width in (80, 100):
        table, dropped = fit(COLUMNS, ROWS, width, show_lines=True)
        lines = _render(table, 1000)  # rendered wide: the table itself must be narrow enough
        assert max(cell_len(line) for line in lines) <= width
        if width == 80:
            assert "理由 reason" in dropped  # the least important goes first
        kept = [c.name for c in COLUMNS if c.name not in dropped]
        assert {"指标 indicator", "目标 target", "结果 result", "状态 status"} <= set(kept)
        assert "牵头 lead" in kept
    assert "--format csv" in dropped_note(["理由 reason"], 80)


def test_without_a_width_every_column_is_kept() -> None:
    table, dropped = fit(COLUMNS, ROWS, None)
    assert dropped == [] and len(table.columns) == len(COLUMNS)
