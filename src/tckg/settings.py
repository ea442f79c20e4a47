"""Runtime limits, declared once with their defaults and documentation.

The CLI exposes each as an option (``--query-timeout`` …) and the README lists them; a test
fails when one is missing from the README.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The longest time limit accepted: about 11.5 days. Larger values overflow the timers the limits
# use (poll() and setitimer() take C integers of milliseconds), which crashed with "internal
# error: OverflowError"; a user who wants no limit says 0 where the setting allows it.
MOST_SECONDS = 1_000_000.0


@dataclass
class Setting:
    name: str
    value: int | float
    unit: str
    help_en: str
    help_zh: str
    no_limit_at_zero: bool = False  # 0 turns the limit off (else 0 would stop every run at once)

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def problem(self, value: float) -> str | None:
        """Why ``value`` cannot be this setting (None when it can): not a finite number,
        below its least value, or a time too long for the timers."""
        least = 0 if self.no_limit_at_zero else (1 if isinstance(self.value, int) else 0.001)
        most = MOST_SECONDS if self.unit == "seconds" else math.inf
        if not isinstance(value, (int, float)) or math.isnan(value) or not least <= value <= most:
            span = f"from {least:g} to {most:,.0f}" if most < math.inf else f"of at least {least:g}"
            zero = " (0: no limit)" if self.no_limit_at_zero else ""
            return (f"{self.option} {value!r} is out of range; give a number {span}{zero} "
                    f"{self.unit}. {self.option} 超出范围。")
        return None


_DEFAULTS = [
    Setting("query_timeout", 30.0, "seconds",
            "Wall-clock limit for one SPARQL query; the query runs in a child process that is "
            "stopped when the limit passes.",
            "单个 SPARQL 查询的时间上限；查询在子进程中运行，超时即终止。", no_limit_at_zero=True),
    Setting("max_rows", 10000, "rows",
            "Most rows a query returns; further rows are dropped with a notice.",
            "查询最多返回的行数；超出部分丢弃并提示。"),
    Setting("max_input_bytes", 50_000_000, "bytes",
            "Largest input file read (RDF data, report text, query).",
            "读取输入文件（RDF 数据、报告文本、查询）的最大字节数。"),
    Setting("max_triples", 2_000_000, "triples",
            "Most triples loaded from one file.",
            "单个文件最多载入的三元组数。"),
    Setting("load_timeout", 120.0, "seconds",
            "Wall-clock limit for reading and parsing the input files of one run (blank-node "
            "or nesting bombs, slow parsers); loading stops with a clear error when it passes.",
            "一次运行读取并解析输入文件的时间上限；超时即停止并报错。", no_limit_at_zero=True),
    Setting("validation_timeout", 300.0, "seconds",
            "Wall-clock limit for the SHACL validation of one report (each report is validated in "
            "its own process, which is stopped when the limit passes).",
            "单份报告 SHACL 验证的时间上限（每份报告在各自的子进程中验证，超时即终止）。"),
]

SETTINGS: dict[str, Setting] = {s.name: s for s in _DEFAULTS}


def override(name: str, value: int | float) -> None:
    """Change a limit for this process (the CLI calls this from its options)."""
    setting = SETTINGS[name]
    problem = setting.problem(value)
    if problem is not None:
        raise ValueError(problem)
    setting.value = type(setting.value)(value)
