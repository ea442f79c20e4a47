"""Time whole tckg commands against the import floor of the libraries each one needs.

Run from a checkout with tckg installed:  python bench/bench_commands.py [--runs 5]
Prints, per command, the median wall time of several runs, the median of its floor
(a bare ``python -c "import …"`` of the libraries the command cannot avoid) and the ratio.
The goal is a ratio within 1.5: data parsed once, validated once, heavy imports only where used.
No assertions: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = [
    ("tckg validate", ["-m", "tckg", "validate"], "import rdflib, pyshacl"),
    ("tckg query targets", ["-m", "tckg", "query", "targets", "--format", "csv"], "import rdflib"),
    ("tckg build", ["-m", "tckg", "build", "-o", "{tmp}/out"], "import rdflib, pyshacl, networkx, pyvis"),
]


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'command':<22}{'median s':>10}{'floor s':>10}{'ratio':>8}   floor")
    with tempfile.TemporaryDirectory() as tmp:
        for name, argv, floor in COMMANDS:
            argv = [a.replace("{tmp}", tmp) for a in argv]
            runs = [timed(argv) for _ in range(args.runs)]
            floors = [timed(["-c", floor]) for _ in range(args.runs)]
            cmd, base = statistics.median(runs), statistics.median(floors)
            print(f"{name:<22}{cmd:>10.2f}{base:>10.2f}{cmd / base:>8.2f}   python -c {floor!r}")


if __name__ == "__main__":
    main()
