"""Is ``tckg extract`` linear in the length of its text, whatever the text's shape?

Hostile shapes (repeated lines, one endless sentence, no punctuation, Chinese numerals, headings,
an unclosed quotation mark, lists, brackets, places, CRLF …) at two sizes, the second near the
extractor's declared limit (``MAX_TEXT_CHARS``). Each run is a child process; it prints CPU
seconds and peak memory at both sizes and the growth exponent log(t2/t1)/log(n2/n1) (1.0 is
linear; the quadratic spots fixed in December 2026 gave 1.6–2.0 and up to 5.5 GB).

Usage: ``python bench/bench_extract_growth.py [--small 48000] [--large 190000] [SHAPE …]``.
Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TITLE = "关于天元区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告\n"
SHAPES = {
    "lines": "全区地区生产总值增长7.1%，规模工业增加值增长10.6%，固定资产投资增长5%。\n",
    "paragraphs": "全区地区生产总值增长7.1%，规模工业增加值增长10.6%。\n\n",
    "one-sentence": "地区生产总值增长7.1%，",
    "no-punctuation": "地区生产总值增长7.1%和",
    "chinese-numerals": "新增就业三千人，引进项目二十个，建成学校五所。",
    "headings": "一、加快发展\n（一）推进项目建设\n1.新增就业三千人。\n",
    "unclosed-quote": "“地区生产总值增长7.1%",
    "list": "7.1%、",
    "bold": "**地区生产总值**增长7.1%",
    "brackets": "（地区生产总值增长7.1%，",
    "years": "2023年地区生产总值2024年增长7.1%，",
    "places": "天元区、芦淞区、荷塘区地区生产总值增长7.1%；",
    "crlf": "地区生产总值增长7.1%。\r\n",
}

CHILD = r"""
import json, resource, sys, time
from tckg.extract.core import extract_text
from tckg.extract.common import ExtractError
from tckg.extract.registry import Registry
registry = Registry.default()   # loaded before the clock starts: a constant, not the text's cost
text = sys.stdin.read()
t = time.process_time()
try:
    facts = len(extract_text(text, year=2024, registry=registry).facts)
except ExtractError as e:
    facts = "refused"
print(json.dumps({"cpu": time.process_time() - t, "facts": facts,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def text_of(shape: str, chars: int) -> str:
    unit = SHAPES[shape]
    return TITLE + unit * ((chars - len(TITLE)) // len(unit))


def run(text: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True,
                          text=True, encoding="utf-8", env=env, check=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shapes", nargs="*", default=list(SHAPES))
    ap.add_argument("--small", type=int, default=48_000)
    ap.add_argument("--large", type=int, default=190_000)
    args = ap.parse_args()
    print(f"{'shape':18} {'CPU s':>7} {'MB':>6}   {'CPU s':>7} {'MB':>6}   exponent  facts")
    print(f"{'':18} {args.small:>14,}   {args.large:>14,} characters")
    for shape in args.shapes:
        small, large = run(text_of(shape, args.small)), run(text_of(shape, args.large))
        exponent = math.log(large["cpu"] / small["cpu"]) / math.log(args.large / args.small)
        print(f"{shape:18} {small['cpu']:7.2f} {small['peak_mb']:6.0f}   {large['cpu']:7.2f} "
              f"{large['peak_mb']:6.0f}   {exponent:8.2f}  {large['facts']}")


if __name__ == "__main__":
    main()
