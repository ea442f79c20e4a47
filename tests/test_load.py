"""Safe loading (tckg.load): the format allow-list, hostile XML and JSON-LD, deterministic
skolemisation, the dataset of named graphs, and atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from tckg.io.errors import LoadError
from tckg.io.read import read_text
from tckg.io.write import atomic_write_bytes, atomic_write_text
from tckg.namespaces import GRAPH, ONTOLOGY_GRAPH, TCK
from tckg.settings import SETTINGS
from tckg.store.load import FORMATS, load_dataset, parse_file

ROOT = Path(__file__).resolve().parents[1]
EX = Namespace("http://example.org/")


def sample_graph() -> Graph:
    """A small graph with a Chinese literal and a blank node, as every format must carry it."""
    g = Graph()
    g.add((EX.tianyuan, RDF.type, TCK.Place))
    g.add((EX.tianyuan, RDFS.label, Literal("天元区", lang="zh")))
    g.add((EX.tianyuan, RDFS.label, Literal("Tianyuan District", lang="en")))
    node = BNode()
    g.add((EX.tianyuan, EX.note, node))
    g.add((node, RDFS.comment, Literal("株洲市")))
    return g


def only_triples(parsed) -> Graph:  # noqa: ANN001 - a ParsedFile
    g = Graph()
    for graph in parsed.graphs.values():
        for triple in graph:
            g.add(triple)
    return g


def unskolemised(g: Graph) -> Graph:
    """Skolem IRIs back to blank nodes, to compare with the graph that was written."""
    def back(t):  # noqa: ANN001, ANN202
        return BNode(str(t)) if isinstance(t, URIRef) and "/.well-known/genid/" in str(t) else t
    out = Graph()
    for s, p, o in g:
        out.add((back(s), p, back(o)))
    return out


def serialize(fmt: str) -> str:
    if fmt in ("trig", "nquads"):  # quad formats: the sample as one named graph
        ds = Dataset()
        graph = ds.graph(EX.graph)
        for triple in sample_graph():
            graph.add(triple)
        return ds.serialize(format=fmt)
    return sample_graph().serialize(format=fmt)


# -- the allow-list ------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_every_allowed_format_parses_to_the_same_graph(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sample{suffix}"
    path.write_text(serialize(FORMATS[suffix]), encoding="utf-8")
    g = only_triples(parse_file(path))
    assert isomorphic(unskolemised(g), sample_graph())
    assert (EX.tianyuan, RDFS.label, Literal("天元区", lang="zh")) in g


def test_extension_is_matched_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "SAMPLE.TTL"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    assert len(only_triples(parse_file(path))) == 5


@pytest.mark.parametrize("name", ["data.csv", "data.yaml", "data.n3", "data.html", "data"])
def test_other_extensions_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    with pytest.raises(LoadError, match="unknown RDF format") as info:
        parse_file(path)
    assert str(path) in str(info.value) and ".ttl" in str(info.value)


def test_missing_file_and_folder_are_load_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        parse_file(tmp_path / "absent.ttl")
    (tmp_path / "folder.ttl").mkdir()
    with pytest.raises(LoadError, match="folder"):
        parse_file(tmp_path / "folder.ttl")


def test_oversized_input_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    with pytest.raises(LoadError, match="max_input_bytes"):
        read_text(path, max_bytes=100)


def test_triple_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.ttl"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    monkeypatch.setattr(SETTINGS["max_triples"], "value", 4)
    with pytest.raises(LoadError, match="max_triples"):
        parse_file(path)


# -- encodings ----------------------------------------------------------------------------------

def test_bom_is_accepted_and_gbk_refused_with_its_name(tmp_path: Path) -> None:
    text = sample_graph().serialize(format="turtle")
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert isomorphic(unskolemised(only_triples(parse_file(bom))), sample_graph())

    gbk = tmp_path / "gbk.ttl"
    gbk.write_bytes(text.encode("gbk"))
    with pytest.raises(LoadError, match="GBK/GB18030"):
        parse_file(gbk)
    g = only_triples(parse_file(gbk, encoding="gb18030"))
    assert (EX.tianyuan, RDFS.label, Literal("天元区", lang="zh")) in g


def test_unknown_encoding_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    with pytest.raises(LoadError, match="unknown encoding"):
        parse_file(path, encoding="no-such-codec")


# A wrong --encoding said only "is not valid gbk at byte 52": no line, nothing to do.
REPORT_LINE = "\n\n关于天元区2024年计划的报告\n各位代表：\n"


@pytest.mark.parametrize("written, given, said", [
    ("gb18030", "utf-8", "pass --encoding gb18030"),
    ("utf-8", "ascii", "pass --encoding utf-8"),
    ("utf-16-le", "gbk", "pass --encoding utf-16-le"),
    ("utf-16", "gbk", "pass --encoding utf-16"),
])
def test_a_wrong_encoding_names_the_line_and_the_likely_one(tmp_path: Path, written: str,
                                                           given: str, said: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT_LINE.encode(written))
    with pytest.raises(LoadError, match=said) as info:
        read_text(path, encoding=given)
    assert info.value.line is not None and str(info.value).startswith(str(path))


# -- hostile RDF/XML ------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!doctype rdf:RDF [ <!entity secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
def test_billion_laughs_is_refused_quickly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"lolz{suffix}"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(LoadError, match="DOCTYPE") as info:
        parse_file(path)
    # A guard, not a benchmark: expanding the entities would take minutes and gigabytes.
    assert time.monotonic() - started < 5
    assert info.value.line == 2


def test_external_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(EXTERNAL_ENTITY, encoding="utf-8")
    with pytest.raises(LoadError, match="DOCTYPE or ENTITY"):
        parse_file(path)


# -- JSON-LD contexts ----------------------------------------------------------------------------

@pytest.mark.parametrize("doc", [
    '{"@context": "https://schema.org/", "@id": "http://example.org/a", "name": "x"}',
    '{"@context": ["https://schema.org/", {"ex": "http://example.org/"}], "@id": "ex:a"}',
    '{"@context": {"@import": "https://example.org/ctx.jsonld"}, "@id": "http://example.org/a"}',
    # a remote context scoped to a term, and one nested deep inside the data
    '{"@context": {"p": {"@id": "http://example.org/p", "@context": "https://example.org/c"}}}',
    '{"@graph": [{"@id": "http://example.org/a", "http://example.org/p": '
    '{"@context": "https://example.org/c", "@id": "http://example.org/b"}}]}',
])
def test_jsonld_remote_context_is_refused(tmp_path: Path, doc: str) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(LoadError, match="remote @context"):
        parse_file(path)


def test_jsonld_inline_context_is_read(tmp_path: Path) -> None:
    path = tmp_path / "inline.jsonld"
    path.write_text('{"@context": {"label": {"@id": "http://www.w3.org/2000/01/rdf-schema#label",'
                    ' "@language": "zh"}}, "@id": "http://example.org/tianyuan", '
                    '"label": "天元区"}', encoding="utf-8")
    g = only_triples(parse_file(path))
    assert (EX.tianyuan, RDFS.label, Literal("天元区", lang="zh")) in g


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "@id": "http://example.org/a",\n  "x": \n}\n', encoding="utf-8")
    with pytest.raises(LoadError, match="not valid JSON") as info:
        parse_file(path)
    assert info.value.line == 4


# -- syntax errors --------------------------------------------------------------------------------

def test_turtle_syntax_error_reports_the_parsers_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"
                    "ex:a ex:b ex:c ex:d .\nex:a ex:b ex:c .\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        parse_file(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}, line 3")


def test_ntriples_syntax_error_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.nt"
    path.write_text('<http://example.org/a> <http://example.org/b> "c" .\n'
                    '<http://example.org/a> <http://example.org/b> c .\n', encoding="utf-8")
    with pytest.raises(LoadError) as info:
        parse_file(path)
    assert info.value.line == 2


def test_syntax_error_is_one_load_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('ex:a ex:b "unclosed .\n', encoding="utf-8")
    with pytest.raises(LoadError, match="is not valid RDF") as info:
        parse_file(path)
    assert info.value.line is not None and str(path) in str(info.value)


# Hostile files that rdflib's parsers let through or crash on: each must be one LoadError naming
# the file (and the line where there is one), with both loaders (rdflib's parse_file and the
# persistent store's pyoxigraph parser). Before: a bad IRI loaded in rdflib and then failed as
# "internal error: ValueError" when stored; deep JSON named no file.
_DEEP_OBJECTS = "".join(f'{{"@id": "http://example.org/n{i}", "http://example.org/p": '
                        for i in range(50_000)) + '"end"' + "}" * 50_000
HOSTILE_FILES = {
    "iri-with-space.ttl": ('@prefix ex: <http://example.org/> .\nex:a ex:b "x" .\n'
                           'ex:a ex:c <http://example.org/a b> .\n', "IRI", 3),
    "iri-with-pipe.nt": ('<http://example.org/a> <http://example.org/b> "x" .\n'
                         '<http://example.org/a|b> <http://example.org/b> "x" .\n', "IRI", 2),
    "iri-with-brace.trig": ('<http://example.org/g> { <http://example.org/a> '
                            '<http://example.org/b> <http://example.org/{c}> . }\n', "IRI", 1),
    "deep-objects.jsonld": (_DEEP_OBJECTS, "too deeply", None),
    "deep-arrays.jsonld": ("[" * 100_000 + "]" * 100_000, "too deeply", None),
}


@pytest.mark.parametrize("loader", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_files_are_one_load_error_naming_file_and_line(tmp_path: Path, name: str,
                                                               loader: str) -> None:
    from tckg.store.persistent import parse_with_oxigraph

    text, said, line = HOSTILE_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        (parse_file if loader == "rdflib" else parse_with_oxigraph)(path)
    message = str(info.value)
    assert message.startswith(str(path)) and said in message, message
    if line is not None:
        assert info.value.line == line, message


def test_a_literal_over_the_parsers_buffer_is_a_load_error(tmp_path: Path) -> None:
    """pyoxigraph holds at most 16 MiB for one term and raises MemoryError past it, which the
    command line printed as "out of memory" naming no file."""
    from tckg.store.persistent import parse_with_oxigraph

    path = tmp_path / "long-literal.ttl"
    path.write_text('<http://example.org/a> <http://example.org/b> "' + "x" * (17 << 20)
                    + '" .\n', encoding="utf-8")
    with pytest.raises(LoadError, match="too long to parse") as info:
        parse_with_oxigraph(path)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize("name, text, advice", [
    ("bad.ttl", "ex:a ex:b ex:c .\n", "undeclared prefix"),
    ("bad.rdf", "not xml at all <<<\n", "xmlns"),
    ("bad.jsonld", '[1, {"@context": 5}]\n', "@context"),
])
def test_syntax_advice_fits_the_format(tmp_path: Path, name: str, text: str, advice: str) -> None:
    """RDF/XML and JSON-LD files were told to look for a missing '.' or an undeclared prefix."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match="is not valid RDF") as info:
        parse_file(path)
    assert advice in str(info.value)
    if not name.endswith(".ttl"):
        assert "undeclared prefix" not in str(info.value)


def test_owl_imports_are_not_followed(tmp_path: Path) -> None:
    # An import of an address that cannot resolve: following it would fail or hang.
    path = tmp_path / "imports.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "<http://example.org/o> owl:imports <http://tckg-test.invalid/other.ttl> .\n",
                    encoding="utf-8")
    ds = load_dataset([path])
    assert len(ds.data_graph()) == 1


# -- blank nodes -------------------------------------------------------------------------------

def test_blank_nodes_are_skolemised_deterministically(tmp_path: Path) -> None:
    path = tmp_path / "bnodes.ttl"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    first, second = only_triples(parse_file(path)), only_triples(parse_file(path))
    assert isomorphic(first, second)
    assert set(first) == set(second)  # the same IRIs, not just the same shape
    assert not any(isinstance(t, BNode) for triple in first for t in triple)
    [note] = list(first.objects(EX.tianyuan, EX.note))
    assert isinstance(note, URIRef) and "/.well-known/genid/" in str(note)


def test_skolem_iris_do_not_depend_on_the_process(tmp_path: Path) -> None:
    """Two processes with different hash seeds mint the same IRIs (nothing rests on hash())."""
    path = tmp_path / "bnodes.ttl"
    path.write_text(sample_graph().serialize(format="turtle"), encoding="utf-8")
    script = ("import sys; from tckg.store.load import parse_file\n"
              "g = [t for gr in parse_file(sys.argv[1]).graphs.values() for t in gr]\n"
              "print(sorted(str(x) for t in g for x in t if 'genid' in str(x)))\n")
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-W",
                              "error::EncodingWarning", "-c", script, str(path)],
                             capture_output=True, text=True, encoding="utf-8", env=env,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1 and "genid" in outputs.pop()


# -- the dataset -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_bundled_dataset_has_the_ontology_and_one_graph_per_report(dataset) -> None:  # noqa: ANN001
    assert dataset.report_graphs() == [GRAPH["tianyuan-2023-plan"]]
    assert (TCK.Target, RDF.type, None) in dataset.ontology_graph()
    assert (None, RDF.type, TCK.Target) not in dataset.ontology_graph()
    assert ONTOLOGY_GRAPH not in {n for n in dataset.report_graphs()}
    assert len(dataset.union()) == len(dataset.data_graph()) + len(dataset.ontology_graph())


def test_two_files_claiming_one_report_are_refused(tmp_path: Path) -> None:
    report = ROOT / "data" / "report.ttl"
    copy = tmp_path / "copy.ttl"
    copy.write_bytes(report.read_bytes())
    with pytest.raises(LoadError, match="same report graph"):
        load_dataset([report, copy], with_ontology=False)


@pytest.mark.parametrize("store", ["rdflib", "oxigraph", "persistent"])
def test_a_data_file_cannot_write_into_the_ontology_graph(tmp_path: Path, store: str) -> None:
    """The persistent store refused it; the memory stores merged the triples into the
    ontology's graph without a word."""
    path = tmp_path / "hijack.trig"
    path.write_text(f"<{ONTOLOGY_GRAPH}> {{ <{TCK.Target}> <{RDFS.label}> \"hijacked\" . }}\n",
                    encoding="utf-8")
    with pytest.raises(LoadError, match="ontology") as info:
        load_dataset([path], store=store, store_dir=tmp_path / "store")
    assert str(info.value).startswith(str(path))


def test_quad_file_default_graph_gets_the_files_graph_name(tmp_path: Path) -> None:
    one, two = tmp_path / "one.nq", tmp_path / "two.nq"
    one.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
                   encoding="utf-8")
    two.write_text("<http://example.org/d> <http://example.org/e> <http://example.org/f> .\n",
                   encoding="utf-8")
    assert list(parse_file(one).graphs) == [GRAPH["file/one"]]
    ds = load_dataset([one, two], with_ontology=False)
    assert len(ds.data_graph()) == 2


# -- atomic writes ----------------------------------------------------------------------------------

def leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


def test_atomic_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.ttl"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "新的内容")
    assert target.read_text(encoding="utf-8") == "新的内容"
    assert leftovers(tmp_path, target) == []
    atomic_write_bytes(tmp_path / "sub" / "new.bin", b"\x00\x01")  # creates the folder
    assert (tmp_path / "sub" / "new.bin").read_bytes() == b"\x00\x01"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    target = tmp_path / "report.ttl"
    target.write_text("old content", encoding="utf-8")

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(target, "new content " * 10_000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old content"
    assert leftovers(tmp_path, target) == []


def test_killed_writer_leaves_the_old_file_intact(tmp_path: Path) -> None:
    """A process killed (SIGKILL) mid-write: the old file is untouched, no temporary is left."""
    target = tmp_path / "report.ttl"
    target.write_text("old content", encoding="utf-8")
    script = ("import os, signal, sys\n"
              "from pathlib import Path\n"
              "from tckg.io.write import atomic_write_text\n"
              "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
              "atomic_write_text(Path(sys.argv[1]), 'new content ' * 100_000)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-W",
                          "error::EncodingWarning", "-c", script, str(target)],
                         capture_output=True, env=env, timeout=120)
    assert run.returncode == -9
    assert target.read_text(encoding="utf-8") == "old content"
    # The bytes were in an anonymous O_TMPFILE inode, which the kernel frees with the process.
    assert leftovers(tmp_path, target) == []


def test_turtle_is_rdflib_longturtle_byte_for_byte():
    """io.turtle skips rdflib's prefix search only where it could not succeed: the text is the
    same as longturtle's, for the bundled report and for IRIs that each have a namespace of
    their own (…/evidence/S-E/selector, which made longturtle quadratic)."""
    from rdflib import Graph, Literal, URIRef

    from tckg.io.turtle import turtle
    from tckg.namespaces import TCK, bind_prefixes

    def expected(g: Graph) -> str:
        copy = Graph()
        bind_prefixes(copy.namespace_manager)
        for prefix, ns in g.namespaces():
            copy.bind(prefix, ns, override=True, replace=True)
        for triple in g:
            copy.add(triple)
        return copy.serialize(format="longturtle")

    report = Graph()
    report.parse(ROOT / "data" / "report.ttl")
    assert turtle(report) == expected(report)

    g = Graph()
    bind_prefixes(g.namespace_manager)
    g.bind("ex", "https://example.org/ns#")
    for i in range(50):
        ev = URIRef(f"https://w3id.org/tckg/report/x/evidence/{i}-{i + 5}")
        g.add((ev, TCK.evidence, URIRef(f"{ev}/selector")))
        g.add((URIRef(f"{ev}/selector"), URIRef("https://example.org/ns#exact"), Literal(f"引文{i}")))
        g.add((URIRef(f"https://example.org/other/{i}/x"), URIRef(f"https://example.org/p{i}/q"),
               URIRef("https://example.org/ns#thing")))
    assert turtle(g) == expected(g)
    assert "ex:thing" in turtle(g)


@pytest.mark.parametrize("where, said", [
    ("afile/graph.html", "a file is in the way"),  # mkdir(exist_ok=True): FileExistsError
    ("/proc/tckg-out.csv", "cannot hold new files"),  # a folder that takes no new files: ENOENT
    ("x" * 300 + ".csv", "file name is too long"),  # ENAMETOOLONG
])
def test_an_output_path_that_cannot_be_written_is_the_users_to_fix(tmp_path: Path, where: str,
                                                                   said: str) -> None:
    """The command line called both a bug in tckg (exit 3): ``tckg graph -o some-file/g.html``,
    ``tckg query targets -o /proc/x.csv``."""
    from tckg.errors import environment_problem

    if where.startswith("/proc") and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(OSError) as info:
        atomic_write_text(tmp_path / where, "data")
    problem = environment_problem(info.value)
    assert problem is not None and problem.exit_code == 2
    assert said in str(problem)
