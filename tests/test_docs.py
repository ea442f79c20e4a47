"""The documentation cannot drift: every ``$ tckg …`` example in README.md and docs/*.md that
shows its output is run, and the output it shows must be what the command prints now.

An example is a ``console`` block. Output lines follow the command inside the block, or, for
``-f md``, the Markdown table right after the block. A line ``…`` stands for lines left out;
a table may show only its first rows. ``$ echo $?`` after a command gives its exit code.
The commands run in a scratch folder (``-o`` writes there) with ``COLUMNS=100`` and
``TCKG_LANG=en``. After changing the data or the commands, refresh the examples with
``TCKG_DOCS_UPDATE=1 python -m pytest tests/test_docs.py --full`` and read the diff.

The fast tests check the site's shape: mkdocs.yml names every page, the README starts with
the two commands and stays short.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ELLIPSIS = "…"
ENV = {"COLUMNS": "100", "TCKG_LANG": "en"}  # the default store, as a user runs them
BROKEN_TTL = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n"


@dataclass
class Example:
    path: Path
    line: int  # of the command, 1-based
    command: str
    output: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None  # 0-based [start, end) of the output lines in the file
    exit_code: int = 0
    skip: str = ""  # <!-- docs-test: skip (why) --> just before the block

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}"


def examples(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        block = lines[i + 1:end]
        mark = re.match(r"<!-- docs-test: skip \((.*)\) -->", lines[i - 1].strip()) if i else None
        k = 0
        while k < len(block):
            if not block[k].startswith("$ tckg "):
                k += 1
                continue
            command, start = block[k][2:], k
            while True:  # a quoted command may run over several lines
                try:
                    shlex.split(command, comments=True)
                    break
                except ValueError:
                    k += 1
                    command += "\n" + block[k]
            k += 1
            out_start = k
            while k < len(block) and not block[k].startswith("$ "):
                k += 1
            ex = Example(path, i + 2 + start, command, block[out_start:k],
                         (i + 1 + out_start, i + 1 + k))
            if k < len(block) and block[k].strip() == "$ echo $?":
                ex.exit_code = int(block[k + 1].strip())
                k += 2
            if not ex.output and len([b for b in block if b.startswith("$ ")]) == 1:
                # -f md: the table right after the block is the output
                t = end + 1
                while t < len(lines) and not lines[t].strip():
                    t += 1
                if t < len(lines) and lines[t].startswith("|"):
                    u = t
                    while u < len(lines) and lines[u].startswith("|"):
                        u += 1
                    ex.output, ex.span = lines[t:u], (t, u)
            if mark:
                ex.skip = mark.group(1)
            if ex.output:
                found.append(ex)
        i = end + 1
    return found


ALL = [ex for path in DOCS for ex in examples(path)]


def _run(ex: Example, cwd: Path) -> tuple[int, list[str]]:
    args = shlex.split(ex.command, comments=True)[1:]
    proc = run_tckg(*args, cwd=cwd, env=ENV)
    text = proc.stdout + proc.stderr
    return proc.returncode, [line.rstrip() for line in text.splitlines()]


def _same(expected: str, actual: str) -> bool:
    """One line: equal, or ``…`` inside the line stands for any text (a count that changes
    whenever the ontology grows, say)."""
    if ELLIPSIS not in expected or expected.strip() == ELLIPSIS or expected.startswith("|"):
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, actual) is not None


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Every expected line, in order, as a whole line of the output; a line ``…`` skips
    lines."""
    pos = 0
    skipping = False
    for line in (e.rstrip() for e in expected):
        if line.strip() == ELLIPSIS:
            skipping = True
            continue
        if line.startswith("|") or skipping:
            found = next((i for i in range(pos, len(actual)) if _same(line, actual[i])), None)
            if found is None:
                return False
            pos = found + 1
        else:
            if pos >= len(actual) or not _same(line, actual[pos]):
                return False
            pos += 1
        skipping = False
    return True


def _refresh(ex: Example, actual: list[str]) -> None:
    lines = ex.path.read_text(encoding="utf-8").splitlines()
    start, end = ex.span
    old = lines[start:end]
    if old and old[0].startswith("|"):
        rows = [line for line in actual if line.startswith("|")]
        new = rows[: len(old) if len(old) > 2 else 6]  # a new table: its first four rows
    elif any(line.strip() == ELLIPSIS for line in old):
        cut = [i for i, line in enumerate(old) if line.strip() == ELLIPSIS][0]
        tail = len(old) - cut - 1
        new = actual[:cut] + [ELLIPSIS] + (actual[-tail:] if tail else [])
    else:
        new = actual
    lines[start:end] = new
    ex.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "broken.ttl").write_text(BROKEN_TTL, encoding="utf-8")
    for name in ("data",):  # relative paths in the examples (data/sources/…) resolve here
        (folder / name).symlink_to(ROOT / name)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("ex", sorted(ALL, key=lambda e: (e.path.name != "README.md", e.id)),
                         ids=lambda e: e.id)
def test_console_examples_print_what_the_docs_show(ex: Example, scratch: Path) -> None:
    if ex.skip:
        pytest.skip(f"{ex.id}: marked in the docs: {ex.skip}")
    if (scratch / "out").exists():
        shutil.rmtree(scratch / "out")
    code, actual = _run(ex, scratch)
    if os.environ.get("TCKG_DOCS_UPDATE") and not _matches(ex.output, actual):
        _refresh(ex, actual)
        pytest.skip(f"refreshed {ex.id}; read the diff")
    assert code == ex.exit_code, "\n".join(actual)
    assert _matches(ex.output, actual), (
        f"{ex.id}: `{ex.command}` no longer prints what the docs show.\nshown:\n"
        + "\n".join(ex.output) + "\nprinted:\n" + "\n".join(actual))


def test_the_examples_are_found() -> None:
    names = {ex.command.split()[1] for ex in ALL}
    assert {"validate", "build", "track", "query", "graph", "extract"} <= names
    assert len(ALL) >= 20


def test_mkdocs_names_every_page_and_the_readme_stays_short() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    named = re.findall(r":\s*([\w-]+\.md)\s*$", config, re.M)
    assert sorted(named) == pages
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```console\n(.*?)\n```", readme, re.S)[:2]
    assert first == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && tckg build",
        'python3 -m venv .venv && . .venv/bin/activate && pip install -q -e ".[test]" && '
        "python -X warn_default_encoding -m pytest -q --full"]
    assert len(readme.splitlines()) < 200
    for page in pages:  # every reference page is reachable from the README
        assert f"docs/{page}" in readme, page


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = pytest.importorskip("mkdocs.__main__")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                           str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "index.html").is_file() and mkdocs
