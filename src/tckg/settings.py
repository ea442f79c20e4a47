"""Runtime limits, declared once with their defaults and documentation.

The CLI exposes each as an option (``--query-timeout`` …) and the README lists them; a test
fails when one is missing from the README.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Setting:
    name: str
    value: int | float
    unit: str
    help_en: str
    help_zh: str

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


_DEFAULTS = [
    Setting("query_timeout", 30.0, "seconds",
            "Wall-clock limit for one SPARQL query; the query runs in a child process that is "
            "stopped when the limit passes.",
            "单个 SPARQL 查询的时间上限；查询在子进程中运行，超时即终止。"),
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
            "一次运行读取并解析输入文件的时间上限；超时即停止并报错。"),
    Setting("validation_timeout", 300.0, "seconds",
            "Wall-clock limit for the SHACL validation of one report (each report is validated in "
            "its own process, which is stopped when the limit passes).",
            "单份报告 SHACL 验证的时间上限（每份报告在各自的子进程中验证，超时即终止）。"),
]

SETTINGS: dict[str, Setting] = {s.name: s for s in _DEFAULTS}


def override(name: str, value: int | float) -> None:
    """Change a limit for this process (the CLI calls this from its options)."""
    setting = SETTINGS[name]
    setting.value = type(setting.value)(value)
