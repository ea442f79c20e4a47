"""Terminal tables that stay readable at 80 and 100 columns.

A wide table is not squeezed until every cell is one character wide: the columns are taken in
order of importance while they fit (each at least as wide as its header's longest word, long
cells folded), and the ones left out are named on stderr with the way to get them
(``--format csv|json``). Chinese characters count two cells (rich measures them so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

MAX_COLUMN = 40  # a column is never wider than this; longer cells fold
MIN_COLUMN = 6


@dataclass
class Column:
    name: str
    priority: int = 0  # lower comes first when the width runs out
    justify: str = "left"
    min_width: int = 0  # at least this wide (or its content, if narrower) when width is tight


def _min_width(col: Column, cells: list[str]) -> int:
    natural = max([cell_len(col.name), *(cell_len(c) for c in cells)], default=1)
    word = max((cell_len(w) for w in col.name.split()), default=1)
    return max(1, min(natural, max(MIN_COLUMN, word, col.min_width)))


def _natural(col: Column, cells: list[str]) -> int:
    return min(MAX_COLUMN, max([cell_len(col.name), *(cell_len(c) for c in cells)], default=1))


def fit(columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int | None, *,
        show_lines: bool = False) -> tuple[Table, list[str]]:
    """A rich Table of the columns that fit in ``width`` cells (``None``: all of them), in
    their given order, and the names of the columns left out."""
    plain = [[c.plain if isinstance(c, Text) else str(c) for c in row] for row in rows]
    keep = list(range(len(columns)))
    if width is not None:
        by_priority = sorted(range(len(columns)), key=lambda i: (columns[i].priority, i))
        keep, used = [], 1  # the table's left border
        for i in by_priority:
            cells = [row[i] for row in plain]
            need = _min_width(columns[i], cells) + 3  # padding and the border
            if used + need <= width or not keep:
                keep.append(i)
                used += need
        keep.sort()
    # fixed widths: start from each column's natural width and take a cell at a time from the
    # widest column still above its minimum until the table fits
    widths = {i: _natural(columns[i], [r[i] for r in plain]) for i in keep}
    if width is not None:
        floors = {i: _min_width(columns[i], [r[i] for r in plain]) for i in keep}
        while 1 + sum(w + 3 for w in widths.values()) > width:
            wide = [i for i in keep if widths[i] > floors[i]]
            if not wide:
                break
            widest = max(wide, key=lambda i: (widths[i] - floors[i], widths[i]))
            widths[widest] -= 1
    table = Table(header_style="bold", show_lines=show_lines)
    for i in keep:
        table.add_column(columns[i].name, overflow="fold", justify=columns[i].justify,
                         width=widths[i] if width is not None else None,
                         max_width=None if width is not None else MAX_COLUMN * 2)
    for row in rows:
        table.add_row(*(row[i] if isinstance(row[i], Text) else Text(str(row[i])) for i in keep))
    dropped = [columns[i].name for i in range(len(columns)) if i not in keep]
    return table, dropped


def dropped_note(dropped: list[str], width: int) -> str:
    return (f"{len(dropped)} column{'s' if len(dropped) != 1 else ''} left out to fit {width} "
            f"columns: {', '.join(dropped)}; use --format csv or json (or a wider terminal) for "
            f"all of them. 终端较窄，已省略 {len(dropped)} 列；完整内容请用 --format csv 或 json。")
