"""Check the fresh held-out gold files against their texts (format only; never runs the extractor).

Every gold/<stem>.tsv must have the README header, 11 tab-separated fields per row, kind in T/A/P,
an indicator id from ../core-indicators.tsv (or empty), a known direction and comparator, estimate yes/no,
and a quote that is an exact substring of <stem>.txt. Every text must have a gold file. A value that does not
appear verbatim in its quote (other than a range) is printed as a note, not counted as a problem.
Usage: python bench/corpus/fresh/check_gold.py   (exit status 1 on any problem)
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = [
    "kind",
    "area",
    "period",
    "indicator",
    "subject",
    "direction",
    "value",
    "unit",
    "comparator",
    "estimate",
    "quote",
]
KINDS = {"T", "A", "P"}
DIRECTIONS = {"increase", "decrease", "level"}
COMPARATORS = {"approximately", "at-least", "at-most", "below", "range", "point", "strive-for", "more-than"}


def indicator_ids() -> set[str]:
    with open(HERE.parent / "core-indicators.tsv", encoding="utf-8") as f:
        return {row["id"] for row in csv.DictReader(f, delimiter="\t")}


def check(stem: str, ids: set[str]) -> list[str]:
    problems = []
    text = (HERE / f"{stem}.txt").read_text(encoding="utf-8")
    gold = HERE / "gold" / f"{stem}.tsv"
    if not gold.exists():
        return [f"{stem}: no gold file"]
    lines = gold.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if not lines or lines[0].split("\t") != HEADER:
        problems.append(f"{stem}: bad header")
    for n, line in enumerate(lines[1:], start=2):
        f = line.split("\t")
        where = f"{stem}.tsv:{n}"
        if len(f) != 11:
            problems.append(f"{where}: {len(f)} fields")
            continue
        kind, area, period, ind, subject, direction, value, unit, comp, est, quote = f
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r}")
        if ind and ind not in ids:
            problems.append(f"{where}: unknown indicator {ind!r}")
        if direction not in DIRECTIONS:
            problems.append(f"{where}: direction {direction!r}")
        if comp not in COMPARATORS:
            problems.append(f"{where}: comparator {comp!r}")
        if est not in {"yes", "no"}:
            problems.append(f"{where}: estimate {est!r}")
        if not (area and period and subject and value and quote):
            problems.append(f"{where}: empty required field")
        if quote not in text:
            problems.append(f"{where}: quote not in text: {quote}")
        elif value not in quote and "-" not in value:
            print(f"note {where}: value {value!r} is not written as such in the quote")
    return problems


def main() -> int:
    ids = indicator_ids()
    problems = []
    for txt in sorted(HERE.glob("*.txt")):
        problems += check(txt.stem, ids)
    for p in problems:
        print(p)
    rows = {
        t.stem: len((HERE / "gold" / f"{t.stem}.tsv").read_text(encoding="utf-8").splitlines()) - 1
        for t in sorted(HERE.glob("*.txt"))
        if (HERE / "gold" / f"{t.stem}.tsv").exists()
    }
    for stem, n in rows.items():
        print(f"{stem}\t{n} rows")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
