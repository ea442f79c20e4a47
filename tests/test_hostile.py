"""Issue 14, hostile input second round: each case what an attacker got through, as a test.

Real files, real processes (killed with SIGKILL where atomicity is claimed), a real local HTTP
server counting requests, FIFOs made with os.mkfifo, real full and read-only file systems
(a tmpfs mounted in a private user and mount namespace). Every refusal is one paragraph,
exit 2 for user and environment errors, no traceback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg

REPORTS = "https://w3id.org/tckg/report/"
GDP_2022 = f"<{REPORTS}tianyuan-2023-plan/target/2022/district/gdp-growth>"
PREFIXES = """@prefix tck: <https://w3id.org/tckg/def#> .
@prefix status: <https://w3id.org/tckg/status/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "reports").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "report.ttl", folder / "report.ttl")
    return folder


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional 2024 report of test_add, drafted by ``tckg extract``: it conforms."""
    from test_add import FICTIONAL_2024

    from tckg.extract import extract_file, write_draft

    folder = tmp_path_factory.mktemp("draft")
    text = folder / "fictional-2024.txt"
    text.write_text(FICTIONAL_2024, encoding="utf-8")
    return write_draft(extract_file(text), folder / "fictional-2024-draft.ttl")


def variant(draft: Path, folder: Path, slug: str, extra: str = "") -> Path:
    """The draft as another report ``slug``, with ``extra`` Turtle appended."""
    path = folder / f"{slug}.ttl"
    text = draft.read_text(encoding="utf-8").replace("tianyuan-2024-plan-draft", slug)
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


# -- 6. concurrent tckg add ------------------------------------------------------------------

def _town(level: str) -> str:
    return (f"<https://w3id.org/tckg/place/concurrent-town> a <https://w3id.org/tckg/def#Place> ;\n"
            f'  <http://www.w3.org/2000/01/rdf-schema#label> "并发镇"@zh, "Concurrent Town"@en ;\n'
            f"  <https://w3id.org/tckg/def#placeLevel> <https://w3id.org/tckg/level/{level}> .\n")


@pytest.mark.slow
def test_concurrent_adds_are_serialised_and_the_second_sees_the_first(data, draft, tmp_path):
    # Each report conforms with the data alone; together the new town has two levels.
    a = variant(draft, tmp_path, "concurrent-a", _town("town"))
    b = variant(draft, tmp_path, "concurrent-b", _town("village"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    procs = [subprocess.Popen([sys.executable, "-m", "tckg", "add", str(f), "--data-dir", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8", env=env) for f in (a, b)]
    results = [(p.returncode, out + err) for p in procs for out, err in [p.communicate(timeout=300)]]
    # The second, once the first is stored, is refused for what the first holds: the clash
    # (exit 1, does not conform), or, as both are drafts of one government and year, as a
    # duplicate of it (exit 2). Unserialised, both were accepted.
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 1], [0, 2]), results
    refused = next(text for code, text in results if code != 0)
    assert ("does not conform" in refused or "already in the data as concurrent-" in refused), refused
    assert "Traceback" not in refused
    stored = sorted(p.name for p in (data / "reports").iterdir())
    assert len(stored) == 1, stored
    # and what is stored validates: build would not refuse
    check = run_tckg("validate", str(data / "report.ttl"), str(data / "reports" / stored[0]))
    assert check.returncode == 0, check.stdout


# -- 7. a report speaks only for itself --------------------------------------------------------

MANUAL_FLIP = PREFIXES + f"""
<{REPORTS}evil-2024/assessment/gdp> a tck:Assessment ; tck:isManual true ;
    tck:assesses {GDP_2022} ; tck:status status:met ;
    tck:reason "met, says the attacker"@en, "已完成"@zh ;
    tck:evidence <{REPORTS}tianyuan-2023-plan/evidence/9372-9399> .
"""
FOREIGN_TRIPLE = PREFIXES + f"""
{GDP_2022} tck:value 1.5 .
"""
ONTOLOGY_TRIPLE = PREFIXES + """
tck:Target rdfs:label "hijacked"@en .
"""


@pytest.mark.parametrize("extra, said", [
    (MANUAL_FLIP, "may not assess targets"),
    (FOREIGN_TRIPLE, "belongs to the report tianyuan-2023-plan"),
    (ONTOLOGY_TRIPLE, "def#Target"),
], ids=["manual-assessment", "another-reports-target", "the-ontology"])
def test_a_report_cannot_speak_for_another(data, draft, tmp_path, extra, said):
    from tckg.add import AddError, add_report

    evil = variant(draft, tmp_path, "evil-2024", extra)
    before = snapshot(data)
    with pytest.raises(AddError, match=said):
        add_report(evil, data_dir=data)
    assert snapshot(data) == before
    proc = run_tckg("add", str(evil), "--data-dir", str(data))
    assert proc.returncode == 2 and said in proc.stderr
    no_traceback(proc)
    assert snapshot(data) == before


# Terms rdflib's parser lets through but no store can hold: the report was read, then failed as
# "internal error: ValueError: Invalid IRI code point" (exit 3) when stored or validated.
MALFORMED = {
    "iri-with-space": (f"<{REPORTS}malformed-2024> rdfs:seeAlso <http://example.org/a b> .",
                       "holds ' '"),
    "iri-with-braces": (f"<{REPORTS}malformed-2024> rdfs:seeAlso <http://example.org/{{x}}> .",
                        "holds '{'"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_report_with_a_malformed_term_is_refused_and_nothing_stored(data, draft, tmp_path, case):
    from tckg.io.errors import LoadError

    extra, said = MALFORMED[case]
    bad = variant(draft, tmp_path, "malformed-2024", PREFIXES + extra)
    before = snapshot(data)
    proc = run_tckg("add", str(bad), "--data-dir", str(data), "--store-dir", str(tmp_path / "s"))
    assert proc.returncode == 2 and said in proc.stderr, proc.stderr
    assert str(bad) in proc.stderr
    no_traceback(proc)
    assert snapshot(data) == before
    from tckg.add import add_report
    from tckg.store.load import load_dataset

    with pytest.raises(LoadError, match=said):
        add_report(bad, data_dir=data, store="rdflib")
    with pytest.raises(LoadError, match=said):
        load_dataset([bad], store="oxigraph")
    assert snapshot(data) == before


def test_a_slug_too_long_for_a_file_name_is_refused(data, draft, tmp_path):
    """A 300-character slug failed as "internal error: File name too long" when the report
    was written."""
    from tckg.add import AddError, add_report

    slug = "a" * 300
    path = tmp_path / "long-slug.ttl"
    path.write_text(draft.read_text(encoding="utf-8").replace("tianyuan-2024-plan-draft", slug),
                    encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(AddError, match="at most 150"):
        add_report(path, data_dir=data)
    assert snapshot(data) == before


@pytest.mark.slow
def test_shared_entities_and_own_resources_may_be_stated(data, draft, tmp_path):
    from tckg.add import add_report

    own = variant(draft, tmp_path, "honest-2024", _town("town"))
    result = add_report(own, data_dir=data)
    assert result.path.name == "honest-2024.ttl" and result.validation.conforms


# -- 9. the build swap is atomic; 14. the site keeps the usual mode --------------------------

def test_build_swap_never_leaves_a_moment_without_a_site(tmp_path):
    from tckg.build import MARKER, swap_in

    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("0", encoding="utf-8")
    stop = tmp_path / "stop"
    # A separate process looks for the site as fast as it can while the swaps run.
    checker = subprocess.Popen(
        ["bash", "-c", f"n=0; m=0; while [ ! -e '{stop}' ]; do n=$((n+1)); "
         f"[ -e '{out}/{MARKER}' ] || m=$((m+1)); done; echo $n $m"],
        stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        for i in range(300):
            tmp = tmp_path / f".out.build-{os.getpid()}-{i:08x}"
            tmp.mkdir()
            (tmp / MARKER).write_text(str(i), encoding="utf-8")
            swap_in(tmp, out)
    finally:
        stop.touch()
        looks, missing = map(int, checker.communicate(timeout=30)[0].split())
    assert looks > 500
    assert missing == 0, f"out/ was missing {missing} times in {looks} looks"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "stop"]


def _site_is_complete(out: Path) -> bool:
    names = {"index.html", "graph.html", "scorecard.html", "tckg.trig", "assessments.ttl", ".tckg-site"}
    return out.is_dir() and names <= {p.name for p in out.iterdir()} and \
        (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.slow
def test_killed_build_leaves_a_complete_site_and_nothing_stale(tmp_path):
    out = tmp_path / "out"
    assert run_tckg("build", "-o", str(out)).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    # Kill real builds (SIGKILL) at three points of their writing: as soon as the build folder
    # appears, when the data is written, and when the marker (the last file) is there.
    for wait_for in (None, "tckg.trig", ".tckg-site"):
        proc = subprocess.Popen([sys.executable, "-m", "tckg", "build", "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                builds = list(tmp_path.glob(".out.build-*"))
                if builds and (wait_for is None or (builds[0] / wait_for).exists()):
                    break
                time.sleep(0.002)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
        assert _site_is_complete(out), wait_for
    # The next build removes what the killed ones left, and leaves nothing beside the site.
    assert run_tckg("build", "-o", str(out)).returncode == 0
    assert _site_is_complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.slow
@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o077, 0o700)])
def test_build_gives_the_site_the_mode_of_the_umask(tmp_path, umask, mode):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-m", "tckg", "build", "-o", str(out)], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == mode & 0o666


# -- 10. full, read-only and forbidden disks are the user's to fix: exit 2, path named ----------

def _namespaced(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``sh -c script`` as root of a private user and mount namespace (tmpfs allowed)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PY=sys.executable)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", *args], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    try:
        return _namespaced('mount -t tmpfs -o size=64k tmpfs "$1"', "/tmp").returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_mount = pytest.mark.skipif(not _can_mount(), reason="needs unshare -rm (user namespaces)")

# Each command writes into $M: the data folder (add), the site (build), a result (query -o),
# a draft (extract -o). $1 is the mount point, $2 the draft to add. The files compared are the
# data and outputs; the persistent store's cache (data/.tckg-store) is marked dirty before it
# changes and rebuilt from the files, so it is left out.
_COMMANDS = {
    "add": '"$PY" -m tckg add "$2" --data-dir "$M/data"',
    "build": '"$PY" -m tckg build -o "$M/site"',
    "query": '"$PY" -m tckg query targets -p year=2023 -o "$M/targets.csv"',
    "extract": f'"$PY" -m tckg extract "{ROOT}/data/sources/tianyuan-2023-plan-report.txt" '
               '-o "$M/draft.ttl" --no-validate',
}


@pytest.mark.slow
@needs_mount
@pytest.mark.parametrize("trouble", ["full", "read-only"])
def test_full_and_read_only_disks_exit_2_naming_the_path(tmp_path, draft, trouble):
    mount = tmp_path / "mnt"
    mount.mkdir()
    prepare = {
        # room for the data, then a file that fills the rest
        "full": 'mount -t tmpfs -o size=1m tmpfs "$M" && mkdir -p "$M/data/reports" && '
                f'cp "{ROOT}/data/report.ttl" "$M/data/" && '
                '(dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null; true)',
        "read-only": 'mount -t tmpfs -o size=1m tmpfs "$M" && mkdir -p "$M/data/reports" && '
                     f'cp "{ROOT}/data/report.ttl" "$M/data/" && mount -o remount,ro "$M"',
    }[trouble]
    word = {"full": "disk is full", "read-only": "read-only"}[trouble]
    for name, command in _COMMANDS.items():
        files = 'find . -type f -not -path "*/.tckg-store/*" | sort | xargs sha256sum'
        script = (f'M="$1"; {prepare} || exit 99; '
                  f'before=$(cd "$M" && {files}); {command}; rc=$?; after=$(cd "$M" && {files}); '
                  '[ "$before" = "$after" ] || echo CHANGED >&2; exit $rc')
        proc = _namespaced(script, str(mount), str(draft))
        assert proc.returncode == 2, (name, proc.returncode, proc.stderr)
        no_traceback(proc)
        assert word in proc.stderr and str(mount) in proc.stderr, (name, proc.stderr)
        assert "bug in tckg" not in proc.stderr and "CHANGED" not in proc.stderr, (name, proc.stderr)


def _can_drop_dac() -> bool:
    """As root, setpriv can drop the capabilities that let root write anywhere; what is left
    obeys a folder's permission bits like any user (the interpreter stays reachable)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _can_drop_dac(), reason="needs root and setpriv to drop CAP_DAC_OVERRIDE")
def test_forbidden_folders_exit_2_naming_the_path(tmp_path, draft):
    """EACCES, as ENOSPC and EROFS above: exit 2, the path named, nothing changed."""
    mount = tmp_path / "forbidden"
    (mount / "data" / "reports").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "report.ttl", mount / "data" / "report.ttl")
    for folder in (mount / "data" / "reports", mount / "data", mount):
        folder.chmod(0o555)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PY=sys.executable)
    try:
        for name, command in _COMMANDS.items():
            before = sorted((p, p.read_bytes()) for p in mount.rglob("*") if p.is_file())
            proc = subprocess.run(
                ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "sh", "-c",
                 f'M="$1"; {command}', "sh", str(mount), str(draft)],
                env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
            after = sorted((p, p.read_bytes()) for p in mount.rglob("*") if p.is_file())
            assert proc.returncode == 2, (name, proc.returncode, proc.stderr)
            no_traceback(proc)
            assert "permission denied" in proc.stderr and str(mount) in proc.stderr, (name, proc.stderr)
            assert "bug in tckg" not in proc.stderr, (name, proc.stderr)
            assert before == after, name
    finally:
        for folder in (mount, mount / "data", mount / "data" / "reports"):
            folder.chmod(0o755)


# -- 11. user text is never markup or emoji ----------------------------------------------------

@pytest.mark.slow
def test_markup_in_a_path_does_not_break_a_successful_add(tmp_path, draft):
    data = tmp_path / "da[/b]ta[bold]"
    (data / "reports").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "report.ttl", data / "report.ttl")
    proc = run_tckg("add", str(draft), "--data-dir", str(data), env={"COLUMNS": "400"})
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    assert f"{data}/reports/tianyuan-2024-plan-draft.ttl" in proc.stdout


@pytest.mark.slow
def test_markup_and_emoji_codes_in_data_are_printed_as_they_are(tmp_path):
    bad = tmp_path / "place.ttl"
    # A place without its level: the violation table shows its label.
    bad.write_text(PREFIXES + '<https://w3id.org/tckg/place/x> a tck:Place ;\n'
                   '  rdfs:label ":x: [/b] [bold]粗体:thumbs_up:"@zh, ":x: [red]en"@en .\n',
                   encoding="utf-8")
    proc = run_tckg("validate", str(bad), "--lang", "zh", env={"COLUMNS": "400"})
    assert proc.returncode == 1, proc.stderr
    no_traceback(proc)
    assert ":x: [/b] [bold]粗体:thumbs_up:" in proc.stdout
    assert "❌" not in proc.stdout and "👍" not in proc.stdout


# -- 15. options with no meaning are refused ---------------------------------------------------

@pytest.mark.parametrize("args, said", [
    (["validate", "--lang", "xx"], "--lang"),
    (["add", "x.ttl", "--lang", "xx"], "--lang"),
    (["track", "--lang", "fr"], "--lang"),
    (["query", "targets", "-o", "result.xyz"], ".xyz"),
    (["query", "targets", "-o", "result"], "suffix"),
], ids=["validate-lang", "add-lang", "track-lang", "query-o-xyz", "query-o-no-suffix"])
def test_meaningless_options_are_refused(tmp_path, args, said):
    proc = run_tckg(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert said in proc.stderr
    no_traceback(proc)
    assert list(tmp_path.iterdir()) == []


# -- 8. atomic writes: no temporary file for a new report, none left stale, none stolen ---------

_KILL_AT_FSYNC = """
import os, signal, sys
from pathlib import Path
calls = 0
real = os.fsync
def fsync(fd):
    global calls
    calls += 1
    if calls == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
    real(fd)
os.fsync = fsync
from tckg.io.write import atomic_write_bytes
atomic_write_bytes(Path(sys.argv[1]), b"complete report " * 50_000, exclusive=sys.argv[2] == "new")
"""


def _child(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize("kind", ["new", "replace"])
@pytest.mark.parametrize("at", [1, 2, 3])
def test_writer_killed_at_any_sync_leaves_old_or_new_and_no_temporary(tmp_path, kind, at):
    """SIGKILL at the 1st, 2nd, 3rd fsync of a real writer: the file is absent/old or complete."""
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.ttl"
    if kind == "replace":
        target.write_bytes(b"old")
    done = _child(_KILL_AT_FSYNC, str(target), kind, str(at))
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names in ([], ["report.ttl"]), names   # never a .tmp, whatever the moment
    if names:
        assert target.read_bytes() in (b"old", b"complete report " * 50_000)


_KILL_BEFORE_RENAME = """
import os, signal, sys
from pathlib import Path
os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)
from tckg.io.write import atomic_write_text
atomic_write_text(Path(sys.argv[1]), "new")
"""


def test_stale_temporary_of_a_killed_writer_is_removed_and_a_live_ones_kept(tmp_path):
    from tckg.io.write import atomic_write_text

    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    # A real writer killed in the one window where its temporary file has a name.
    done = _child(_KILL_BEFORE_RENAME, str(target))
    assert done.returncode == -signal.SIGKILL, done.stderr
    stale = [p for p in tmp_path.iterdir() if p != target]
    assert len(stale) == 1 and stale[0].name.endswith(".tmp")
    assert target.read_text(encoding="utf-8") == "old"
    # A temporary file of a writer that still runs (this process) is not touched.
    live = tmp_path / f".out.csv.{os.getpid()}-0123abcd.tmp"
    live.write_text("another writer's", encoding="utf-8")
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name])


_WRITE_LOOP = """
import sys
from pathlib import Path
from tckg.io.write import atomic_write_text
for i in range(300):
    atomic_write_text(Path(sys.argv[1]), sys.argv[2] * 1000)
"""


def test_concurrent_writers_never_delete_each_others_temporary_files(tmp_path):
    target = tmp_path / "result.csv"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    procs = [subprocess.Popen([sys.executable, "-c", _WRITE_LOOP, str(target), letter], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8") for letter in "ab"]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert target.read_text(encoding="utf-8") in ("a" * 1000, "b" * 1000)
    assert [p.name for p in tmp_path.iterdir()] == ["result.csv"]


# -- 1. SERVICE hidden behind codepoint escapes, on both stores --------------------------------

@pytest.fixture
def counting_server(monkeypatch):
    """An HTTP endpoint on 127.0.0.1 that counts every request (any method) it gets."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(self.command)
            body = b'{"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    server.shutdown()
    server.server_close()


# Each hides a SERVICE inside a string or IRI for a parser that expands \u escapes everywhere
# (rdflib, and the SPARQL grammar), while an engine that expands them only inside strings and
# IRIs (Oxigraph) sees the SERVICE as a real pattern.
SERVICE_VARIANTS = [
    r'SELECT * WHERE { BIND("A\u0022 AS ?x) BIND(" AS ?y) SERVICE <{url}> { ?s ?p ?o } BIND(" + \u0022" AS ?z) }',
    r'SELECT * WHERE { BIND("A\U00000022 AS ?x) BIND(" AS ?y) SERVICE <{url}> { ?s ?p ?o } BIND(" + \U00000022" AS ?z) }',  # noqa: E501
    r"SELECT * WHERE { BIND('A\u0027 AS ?x) BIND(' AS ?y) SERVICE <{url}> { ?s ?p ?o } BIND(' + \u0027' AS ?z) }",
    r'SELECT * WHERE { BIND("A\u0022 AS ?x) BIND(" AS ?y) SERVICE SILENT <{url}> { ?s ?p ?o } BIND(" + \u0022" AS ?z) }',  # noqa: E501
    r'SELECT * WHERE { BIND("A\u0022 AS ?x) BIND(" AS ?y) BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } BIND(" + \u0022" AS ?z) }',  # noqa: E501
    r'ASK { BIND("A\u0022 AS ?x) BIND(" AS ?y) SERVICE <{url}> { ?s ?p ?o } BIND(" + \u0022" AS ?z) }',
    r'SELECT * WHERE { BIND("A\u0022 AS ?x) BIND(" AS ?y) FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } BIND(" + \u0022" AS ?z) }',  # noqa: E501
    "SELECT * WHERE { ?s ?p ?o # for rdflib the comment ends here\\u000A SERVICE <{url}> { ?s ?p ?o } \n}",
]


def _small_store(kind: str):  # noqa: ANN202
    from rdflib import Graph, Literal, URIRef

    from tckg.store.backends import open_store
    from tckg.store.load import TckDataset

    store = open_store(kind)
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    store.add_graph(URIRef("urn:g"), g)
    return TckDataset(store)


@pytest.mark.parametrize("store_kind", ["rdflib", "oxigraph"])
def test_service_behind_escapes_is_refused_and_no_request_leaves(counting_server, store_kind):
    from tckg.sparql.errors import QueryRefused
    from tckg.sparql.run import query

    url, hits = counting_server
    store = _small_store(store_kind)
    for variant in SERVICE_VARIANTS:
        text = variant.replace("{url}", url)
        with pytest.raises(QueryRefused, match="escape"):
            query(text, store, timeout=0)
        with pytest.raises(QueryRefused):  # also when SERVICE is allowed: the text is unsafe
            query(text, store, timeout=0, allow_service=True)
    assert hits == []
    # the server does count: a plain SERVICE, allowed, reaches it from this store
    query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", store, timeout=0,
          allow_service=True)
    assert hits != []


def test_cli_service_behind_escapes_on_oxigraph(counting_server, tmp_path):
    url, hits = counting_server
    small = tmp_path / "small.ttl"
    small.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    proc = run_tckg("query", "--store", "oxigraph", "-d", str(small),
                    "-e", SERVICE_VARIANTS[0].replace("{url}", url), env={"no_proxy": "*"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "\\u0022" in proc.stderr and "escape" in proc.stderr
    no_traceback(proc)
    assert hits == []


# -- 12. parameters the SELECT does not list, on Oxigraph --------------------------------------

UNLISTED = """# the parameter ?year is not in the SELECT list
PREFIX x: <urn:x#>
SELECT DISTINCT ?t ?v WHERE { ?t tck:year ?year ; tck:value ?v } ORDER BY ?t ?v"""


@pytest.mark.parametrize("text", [UNLISTED, "select ?t ?v where { ?t tck:year ?year ; tck:value ?v } "
                                  "ORDER BY ?t ?v"], ids=["prologue", "lowercase"])
def test_oxigraph_binds_parameters_the_select_does_not_list(tmp_path, text):
    from tckg.sparql.run import query
    from tckg.store.load import load_dataset

    small = tmp_path / "targets.ttl"
    small.write_text("@prefix tck: <https://w3id.org/tckg/def#> .\n"
                     "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + "".join(
                         f'<urn:t{i}> tck:year "{2020 + i % 5}"^^xsd:gYear ; tck:value {i} .\n'
                         for i in range(50)), encoding="utf-8")
    params = {"year": '"2023"^^xsd:gYear'}
    on_ox = query(text, load_dataset([small], with_ontology=False, store="oxigraph"),
                  params=params, timeout=0)
    on_rdflib = query(text, load_dataset([small], with_ontology=False, store="rdflib"),
                      params=params, timeout=0)
    assert len(on_rdflib) == 10
    assert on_ox.columns == on_rdflib.columns == ["t", "v"]
    assert [tuple(r.values()) for r in on_ox.rows] == [tuple(r.values()) for r in on_rdflib.rows]


def test_oxigraph_aggregate_over_an_unlisted_parameter_is_a_clear_error(tmp_path):
    small = tmp_path / "small.ttl"
    small.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    proc = run_tckg("query", "--store", "oxigraph", "-d", str(small), "-p", 'year="2023"^^xsd:gYear', "-e",
                    "SELECT (COUNT(?t) AS ?n) WHERE { ?t tck:year ?year }")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "?year" in proc.stderr and "--store rdflib" in proc.stderr
    no_traceback(proc)


# -- the hostile-file suite: RDF/XML in every encoding, blank-node and list bombs, FIFOs and
# devices (2, 3, 4, 13). Each case is refused or answered within its limit, without traceback.

LAUGHS = """<?xml version="1.0"{decl}?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""

XML_ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: t.encode("utf-8-sig"),
    "utf-16le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16be-no-bom": lambda t: t.encode("utf-16-be"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-32le-no-bom": lambda t: t.encode("utf-32-le"),
    "gb18030": lambda t: t.encode("gb18030"),
    "declared-utf-16": lambda t: t.replace('{decl}', ' encoding="UTF-16"').encode("utf-16-le"),
}


@pytest.mark.parametrize("encoding", sorted(XML_ENCODINGS))
def test_billion_laughs_is_refused_in_every_encoding(tmp_path, encoding):
    from tckg.io.errors import LoadError
    from tckg.store.load import parse_file
    from tckg.store.persistent import parse_with_oxigraph

    path = tmp_path / "laughs.rdf"
    path.write_bytes(XML_ENCODINGS[encoding](LAUGHS.replace("{decl}", "")))
    for parse in (parse_file, parse_with_oxigraph):
        started = time.monotonic()
        with pytest.raises(LoadError):
            parse(path)
        assert time.monotonic() - started < 2
    # and naming the encoding does not open the door either
    if encoding.startswith("utf-16le") or encoding == "declared-utf-16":
        with pytest.raises(LoadError, match="DOCTYPE"):
            parse_file(path, encoding="utf-16-le")


def test_a_declared_single_byte_encoding_cannot_smuggle_a_doctype(tmp_path):
    """In EBCDIC (cp037) ASCII 'L' is '<': the text checked has no DOCTYPE, the bytes have one
    for a parser that obeys the declaration. The parser gets the checked text, as UTF-8."""
    from tckg.store.load import parse_file

    body = LAUGHS.replace("{decl}", "").split("\n", 1)[1]
    path = tmp_path / "ebcdic.rdf"
    path.write_bytes(b'<?xml version="1.0" encoding="cp037"?>\n' + body.encode("cp037"))
    started = time.monotonic()
    with pytest.raises(Exception) as info:  # noqa: PT011 - refused one way or another, quickly
        parse_file(path)
    assert time.monotonic() - started < 2
    assert type(info.value).__name__ == "LoadError"


@pytest.mark.parametrize("store", ["rdflib", "persistent"])
def test_cli_refuses_utf16_laughs_without_traceback(tmp_path, store):
    path = tmp_path / "laughs.rdf"
    path.write_bytes(LAUGHS.replace("{decl}", "").encode("utf-16-le"))
    started = time.monotonic()
    proc = run_tckg("validate", "--store", store, "--store-dir", str(tmp_path / "s"), str(path),
                    timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "UTF-16LE" in proc.stderr and str(path) in proc.stderr
    no_traceback(proc)


BOMBS = {
    "200-look-alike-blank-nodes": "@prefix ex: <http://example.org/> .\n"
                                  + "[] ex:p ex:o .\n" * 200,
    "80-linked-blank-nodes": "@prefix ex: <http://example.org/> .\n"
                             + "".join(f"_:b{i} ex:next _:b{(i + 1) % 80} ; ex:p ex:o .\n" for i in range(80)),
    "2000-item-list": "@prefix ex: <http://example.org/> .\nex:s ex:p ("
                      + " ".join(f'"{i % 3}"' for i in range(2000)) + ") .\n",
    "nested-blank-nodes": "@prefix ex: <http://example.org/> .\nex:s ex:p "
                          + "[ ex:p " * 300 + "ex:o" + " ]" * 300 + " .\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_blank_node_and_list_bombs_load_in_linear_time(tmp_path, name):
    from tckg.store.load import parse_file

    path = tmp_path / f"{name}.ttl"
    path.write_text(BOMBS[name], encoding="utf-8")
    from tckg.io.errors import LoadError

    started = time.monotonic()
    try:
        parsed = parse_file(path)
    except LoadError as exc:  # refused, quickly and saying why, is also an answer
        assert name == "nested-blank-nodes" and "too deeply" in str(exc)
    else:
        triples = [t for g in parsed.graphs.values() for t in g]
        assert triples and not any(type(x).__name__ == "BNode" for t in triples for x in t)
    assert time.monotonic() - started < 2


_SKOLEM_PRINT = """
import sys
from tckg.store.load import parse_file
print(sorted(str(x) for g in parse_file(sys.argv[1]).graphs.values() for t in g for x in t))
"""


def test_skolem_iris_of_look_alike_blank_nodes_are_stable_across_processes(tmp_path):
    path = tmp_path / "bombs.ttl"
    # look-alikes (no content tells them apart) and a list: the numbering must come from the
    # bytes, not from hash seeds or memory addresses
    path.write_text(BOMBS["200-look-alike-blank-nodes"] + BOMBS["2000-item-list"].split("\n", 1)[1],
                    encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "random"):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", _SKOLEM_PRINT, str(path)], env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1 and "genid" in outputs.pop()


@pytest.mark.slow
def test_cli_blank_node_bomb_is_answered_within_its_limit(tmp_path):
    path = tmp_path / "bomb.ttl"
    path.write_text(BOMBS["200-look-alike-blank-nodes"], encoding="utf-8")
    for store in ("rdflib", "oxigraph"):
        started = time.monotonic()
        proc = run_tckg("query", "--store", store, "-d", str(path), "-f", "csv", "-e",
                        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }", timeout=60)
        assert time.monotonic() - started < 30
        assert proc.returncode == 0, proc.stderr
        assert "200" in proc.stdout


def _fifo_and_devices(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.ttl"
    zero.symlink_to("/dev/zero")
    return {"fifo": fifo, "dev-zero": zero}


_READ_SPECIAL = """
import sys
from pathlib import Path
from tckg.io.errors import LoadError
from tckg.io.read import read_text
from tckg.store.load import parse_file
for read in (parse_file, read_text):
    try:
        read(Path(sys.argv[1]))
    except LoadError as exc:
        print(exc)
    else:
        print("READ")
"""


def _limited_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a runaway read stops at 2 GB


def test_fifos_and_devices_are_refused_at_once(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for kind, path in _fifo_and_devices(tmp_path).items():
        # A real process, bounded in time and memory: a read that blocks or never ends fails
        # the test instead of hanging it.
        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-c", _READ_SPECIAL, str(path)], env=env,
                                  capture_output=True, text=True, encoding="utf-8", timeout=20,
                                  preexec_fn=_limited_memory)
        except subprocess.TimeoutExpired:
            pytest.fail(f"reading the {kind} did not return")
        assert done.returncode == 0, done.stderr[-500:]
        lines = done.stdout.splitlines()
        assert len(lines) == 2 and all("not a regular file" in line for line in lines), lines
        assert time.monotonic() - started < 15


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "query", "extract"])
def test_cli_fifos_and_devices_exit_2(tmp_path, command):
    for kind, path in _fifo_and_devices(tmp_path).items():
        args = {"validate": ["validate", "--store", "rdflib", str(path)],
                "query": ["query", "-e", "ASK {}", "-d", str(path)],
                "extract": ["extract", str(path), "-o", str(tmp_path / "d.ttl")]}[command]
        try:
            proc = run_tckg(*args, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"tckg {command} on a {kind} did not return")
        assert proc.returncode == 2, (kind, proc.stdout + proc.stderr)
        assert "not a regular file" in proc.stderr
        no_traceback(proc)
        path.unlink()


def test_the_byte_limit_holds_while_reading_not_by_stat(tmp_path):
    """/proc files say 0 bytes to stat and then give more: the limit counts what is read."""
    from tckg.io.errors import LoadError
    from tckg.io.read import read_bytes

    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 100
    with pytest.raises(LoadError, match="grew past the limit of 50 bytes"):
        read_bytes(status, max_bytes=50)
    assert len(read_bytes(status, max_bytes=1_000_000)) > 100


def test_utf16le_chinese_without_bom_is_named_and_the_hint_works(tmp_path):
    from tckg.io.errors import LoadError
    from tckg.io.read import read_text

    text = (ROOT / "data" / "sources" / "tianyuan-2023-plan-report.txt").read_text(encoding="utf-8")[:4000]
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(LoadError) as info:
        read_text(path)
    message = str(info.value)
    assert "UTF-16LE" in message and "GBK" not in message and "--encoding utf-16-le" in message
    assert read_text(path, encoding="utf-16-le") == text        # following the hint works
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    with pytest.raises(LoadError, match="GBK/GB18030.*--encoding gb18030"):
        read_text(gbk)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(LoadError, match="encoding is unknown"):
        read_text(noise)


# -- also untested until now ------------------------------------------------------------------

@pytest.mark.slow
def test_owl_imports_are_never_followed_on_any_store_nor_by_validation(counting_server, tmp_path):
    from tckg.store.load import load_dataset

    url, hits = counting_server
    path = tmp_path / "imports.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    f"<http://example.org/o> a owl:Ontology ; owl:imports <{url.replace('/sparql', '/o.ttl')}> .\n",
                    encoding="utf-8")
    for store in ("rdflib", "oxigraph"):
        assert len(load_dataset([path], store=store).data_graph()) == 2
    for store in ("rdflib", "persistent"):
        proc = run_tckg("validate", "--store", store, "--store-dir", str(tmp_path / "s"), str(path),
                        env={"no_proxy": "*"})
        assert proc.returncode in (0, 1), proc.stderr
        no_traceback(proc)
    assert hits == []


@pytest.mark.slow
def test_output_is_utf8_under_a_gbk_locale():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LC_ALL="zh_CN.GBK", LANG="zh_CN.GBK",
               PYTHONIOENCODING="gbk", PYTHONUTF8="0")
    done = subprocess.run([sys.executable, "-m", "tckg", "query", "targets", "-p", "year=2023",
                           "--format", "csv"], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "天元区" in done.stdout.decode("utf-8")  # raises if it was GBK
    assert done.stdout.decode("utf-8").encode("utf-8") == done.stdout


@pytest.mark.slow
def test_symlinks_inside_the_reports_folder(data, tmp_path, draft):
    from tckg.add import AddError, add_report
    from tckg.io.errors import LoadError
    from tckg.io.paths import default_data_files
    from tckg.store.load import load_dataset

    reports = data / "reports"
    # a symlink to a device among the reports: refused by name, nothing read from it
    (reports / "zero.ttl").symlink_to("/dev/zero")
    with pytest.raises(LoadError, match="zero.ttl.*not a regular file"):
        load_dataset(default_data_files(data), store="rdflib")
    (reports / "zero.ttl").unlink()
    # a symlink to a regular file elsewhere is read like the file
    outside = tmp_path / "elsewhere.ttl"
    outside.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    (reports / "linked.ttl").symlink_to(outside)
    assert len(load_dataset(default_data_files(data), store="rdflib").report_graphs()) == 1
    (reports / "linked.ttl").unlink()
    # a dangling symlink where tckg add would store the report is never written through
    target = tmp_path / "written-through.ttl"
    (reports / "tianyuan-2024-plan-draft.ttl").symlink_to(target)
    before = snapshot(data)
    with pytest.raises(AddError, match="is a symlink"):
        add_report(draft, data_dir=data, store="rdflib")
    assert not target.exists() and snapshot(data) == before


@pytest.mark.slow
def test_right_to_left_override_in_a_label_is_inert_in_every_page(tmp_path):
    report = tmp_path / "report.ttl"
    text = (ROOT / "data" / "report.ttl").read_text(encoding="utf-8")
    assert '"天元区"@zh' in text
    report.write_text(text.replace('"天元区"@zh', '"天元\u202egnp.exe区"@zh'), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_tckg("build", "-o", str(out), str(report))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = sorted(out.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "graph.html", "scorecard.html"}
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
            assert control not in html, (page.name, hex(ord(control)))
        shown += html.count("天元⟦U+202E⟧gnp.exe区")
    assert shown >= 2  # the place in the graph and in the scorecard, with its mark visible


def test_the_load_time_limit_stops_parsing(tmp_path, monkeypatch):
    from tckg.io.errors import LoadError
    from tckg.settings import SETTINGS
    from tckg.store.load import load_dataset

    big = tmp_path / "big.ttl"
    big.write_text("@prefix ex: <http://example.org/> .\n" + "".join(
        f'ex:s{i} ex:p [ ex:q "{i}" ] .\n' for i in range(60_000)), encoding="utf-8")
    monkeypatch.setattr(SETTINGS["load_timeout"], "value", 0.3)
    started = time.monotonic()
    with pytest.raises(LoadError, match="big.ttl.*longer than 0.3 s.*load_timeout"):
        load_dataset([big], with_ontology=False, store="rdflib")
    assert time.monotonic() - started < 1.5
    # the timer is gone afterwards: a small load is not interrupted later
    small = tmp_path / "small.ttl"
    small.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    assert len(load_dataset([small], with_ontology=False, store="rdflib").data_graph()) == 1
    time.sleep(0.4)


@pytest.mark.slow
def test_cli_load_timeout_is_a_clear_error(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text("@prefix ex: <http://example.org/> .\n" + "".join(
        f'ex:s{i} ex:p [ ex:q "{i}" ] .\n' for i in range(300_000)), encoding="utf-8")
    for args in (["validate", "--store", "rdflib", str(big)],
                 ["query", "-d", str(big), "-e", "ASK {}"]):
        started = time.monotonic()
        proc = run_tckg(*args, "--load-timeout", "4")
        assert time.monotonic() - started < 30
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "load_timeout" in proc.stderr and "big.ttl" in proc.stderr
        no_traceback(proc)


@pytest.mark.slow
def test_a_manual_verdict_inside_a_report_file_is_refused_by_the_scorecard(tmp_path):
    """A report dropped into the data without tckg add cannot flip a verdict either."""
    from tckg.store.load import load_dataset
    from tckg.track import assess
    from tckg.track.rules import TrackError

    evil = tmp_path / "evil.ttl"
    evil.write_text(MANUAL_FLIP + f"<{REPORTS}evil-2024> a tck:Report .\n", encoding="utf-8")
    dataset = load_dataset([ROOT / "data" / "report.ttl", evil], store="rdflib")
    with pytest.raises(TrackError, match="inside the report graph.*evil.ttl"):
        assess(dataset)


# Texts just under the extractor's limit whose shape once made it quadratic: repeated lines
# (131 s and 1.7 GB at 190,000 characters), no punctuation at all (5.5 GB), an unclosed quotation
# mark (81 s). bench/bench_extract_growth.py prints the growth of these and more shapes.
_HOSTILE_SHAPES = {
    "lines": "全区地区生产总值增长7.1%，规模工业增加值增长10.6%，固定资产投资增长5%。\n",
    "no-punctuation": "地区生产总值增长7.1%和",
    "unclosed-quote": "“地区生产总值增长7.1%",
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(_HOSTILE_SHAPES))
def test_extract_reads_a_text_near_its_limit_in_bounded_time_and_memory(tmp_path, shape):
    from tckg.extract.common import MAX_TEXT_CHARS

    title = "关于天元区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告\n"
    unit = _HOSTILE_SHAPES[shape]
    text = title + unit * ((MAX_TEXT_CHARS - 10_000 - len(title)) // len(unit))
    path = tmp_path / f"{shape}.txt"
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-m", "tckg", "extract", str(path), "-o",
                           str(tmp_path / "draft.ttl"), "--no-validate"], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60,
                          preexec_fn=_limited_memory)
    assert done.returncode == 0, done.stderr[-800:]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "draft.ttl").stat().st_size > 0


@pytest.mark.slow
def test_extract_refuses_a_huge_text_at_once(tmp_path):
    """3 MB of repeated lines once reached 23 GB; above the extractor's declared size it is
    refused before any work, in bounded time and memory (a child limited to 2 GB)."""
    line = "全区地区生产总值增长7.1%，规模工业增加值增长10.6%，固定资产投资增长5%。\n"
    huge = tmp_path / "huge.txt"
    huge.write_text(line * (3_000_000 // len(line.encode("utf-8"))), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tckg", "extract", str(huge), "-o",
                           str(tmp_path / "draft.ttl"), "--no-validate"], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60,
                          preexec_fn=_limited_memory)
    assert time.monotonic() - started < 30
    assert done.returncode == 2, done.stderr[-500:]
    assert "huge.txt" in done.stderr and "characters" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "draft.ttl").exists()
