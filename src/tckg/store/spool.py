"""A large graph of this command kept on disk, not in memory: the full scorecard of a corpus.

``tckg build`` at N = 1,000 reports puts about 620,000 assessment triples into the persistent
store for the command's lifetime and writes them into ``tckg.trig`` at its end. Held as an
rdflib graph they were several hundred MB for the whole build; a :class:`Spool` keeps them as
N-Triples in an anonymous temporary file (freed by the kernel when closed or when the process
dies) as sorted runs, one per part added, and gives them back merged, sorted and without
duplicates, a line at a time. :func:`spooled_trig` writes them as the TriG block that
:func:`tckg.store.backends.trig_graph` gives for the whole graph, a part at a time.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tckg.store.backends import trig_graph

BLOCK = 1 << 20  # bytes read at a time from a run
PART = 50_000  # triples per part written to TriG


class Spool:
    """N-Triples lines on disk in sorted runs; :meth:`lines` merges them."""

    def __init__(self, folder: Path | None = None) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder)
        self._runs: list[tuple[int, int]] = []  # (offset, size)
        self._end = 0

    def add(self, ntriples: bytes) -> None:
        """Keep these N-Triples lines (each ending in ``\\n``), as one sorted run."""
        lines = sorted(set(ntriples.split(b"\n")) - {b""})
        if not lines:
            return
        data = b"\n".join(lines) + b"\n"
        self._file.seek(self._end)
        self._file.write(data)
        self._runs.append((self._end, len(data)))
        self._end += len(data)

    def lines(self) -> Iterator[bytes]:
        """Every line once (without its ``\\n``), in byte order: the order of
        ``(str(s), str(p), str(o))`` of Oxigraph's terms that :func:`trig_graph` sorts by, since an
        IRI ends with ``>`` and a literal that is the start of another is followed in its line
        by a space, which sorts before ``@`` and ``^``."""
        self._file.flush()
        last = None
        for line in heapq.merge(*(self._run(start, size) for start, size in self._runs)):
            if line != last:
                yield line
                last = line

    def _run(self, start: int, size: int) -> Iterator[bytes]:
        fd = self._file.fileno()
        rest, pos, end = b"", start, start + size
        while pos < end:
            block = os.pread(fd, min(BLOCK, end - pos), pos)
            if not block:  # pragma: no cover - the file is ours and not truncated
                break
            pos += len(block)
            parts = (rest + block).split(b"\n")
            rest = parts.pop()
            yield from parts

    def ntriples(self) -> bytes:
        """The whole graph as sorted N-Triples (for the rare reader that wants all of it)."""
        return b"".join(line + b"\n" for line in self.lines())

    def close(self) -> None:
        self._file.close()


def spooled_trig(ox: Any, name: str, spool: Spool, part: int | None = None) -> Iterator[str]:
    """The TriG block of the graph ``name`` as :func:`trig_graph` writes it for all its quads at
    once, in pieces: each part of about ``part`` triples ends at a subject's last triple, is
    written by :func:`trig_graph`, and loses the ``<name> {`` and ``}`` lines it does not share."""
    part = part or PART
    graph = ox.NamedNode(name)
    chunk: list[bytes] = []
    first = True

    def block(lines: list[bytes]) -> str:
        triples = ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES)
        return trig_graph([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])

    subject = None
    for line in spool.lines():
        here = line[:line.index(b" ")]  # N-Triples: an IRI holds no space
        if len(chunk) >= part and here != subject:
            text = block(chunk)
            yield text[:-2] if first else text[text.index("\n") + 1:-2]  # keep "}\n" for last
            first, chunk = False, []
        chunk.append(line)
        subject = here
    if chunk:
        text = block(chunk)
        yield text if first else text[text.index("\n") + 1:]
