"""How the size of each pyoxigraph ``bulk_load`` call moves the cost of a first load.

Run: ``python bench/bench_load_batches.py DIR [--n 1000] [--batches 25 100 1000 stream]``
where DIR holds report files (e.g. a corpus ``bench/bench_scale.py --keep`` left:
``<keep>/n1000/data/reports``).

tckg's first load hands pyoxigraph each report's triples twice (its named graph and the
set-union default graph) as N-Quads, ``BATCH`` files per ``bulk_load`` call
(``tckg.store.persistent``). This script does the same with pyoxigraph alone, no tckg in
between, for several batch sizes, and once as a single call that reads the N-Quads from a
Python file object filled one report at a time ("stream"). Each variant runs in its own process:
CPU seconds of the loading (user + system, every thread) and the process's peak resident MB.
The N-Quads are prepared before the clock starts, except for "stream", whose parsing is part of
its figure (printed apart as an estimate). Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def nquads(path: Path) -> bytes:
    import pyoxigraph as ox

    graph = ox.NamedNode("https://w3id.org/tckg/graph/" + path.stem)
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    quads += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


class _Stream(io.RawIOBase):
    """A readable file whose bytes are the chunks of an iterator, pulled as they are read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.view, self.at = chunks, memoryview(b""), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001
        while self.at >= len(self.view):
            try:
                self.view, self.at = memoryview(next(self.chunks)), 0
            except StopIteration:
                return 0
        k = min(len(buffer), len(self.view) - self.at)
        buffer[:k] = self.view[self.at:self.at + k]
        self.at += k
        return k


def one(files: list[Path], batch: str, store_dir: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    if batch == "stream":
        t = time.process_time()
        store.bulk_load(io.BufferedReader(_Stream(nquads(f) for f in files), 1 << 20),
                        format=ox.RdfFormat.N_QUADS)
        store.flush()
        cpu = time.process_time() - t
        prep = time.process_time()
        for f in files[: max(1, len(files) // 10)]:
            nquads(f)
        parse = (time.process_time() - prep) * len(files) / max(1, len(files) // 10)
        note = f"(parsing included, about {parse:.1f} s of it)"
    else:
        size = int(batch)
        chunks = [nquads(f) for f in files]
        t = time.process_time()
        for i in range(0, len(chunks), size):
            store.bulk_load(b"".join(chunks[i:i + size]), format=ox.RdfFormat.N_QUADS)
        store.flush()
        cpu = time.process_time() - t
        note = ""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {batch:>6} files per call: {cpu:7.1f} s CPU, peak {peak:6.0f} MB {note}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batches", nargs="*", default=["25", "100", "1000", "stream"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.ttl"))[: args.n]
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            one(files, args.one, Path(tmp) / "store")
        return
    print(f"{len(files)} files from {args.folder}, each in its graph and the default graph")
    for batch in args.batches:
        subprocess.run([sys.executable, __file__, str(args.folder), "--n", str(args.n),
                        "--one", batch], check=False)


if __name__ == "__main__":
    main()
