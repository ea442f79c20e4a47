"""`tckg validate` as a user runs it: exit codes, the readable report, JSON, bad input.

Exit codes: 0 the data conforms, 1 it has violations, 2 an input cannot be read.
Every command runs in a child process with ``-X warn_default_encoding -W error::EncodingWarning``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PREFIXES = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix tck: <https://w3id.org/tckg/def#> .
@prefix place: <https://w3id.org/tckg/place/> .
@prefix project: <https://w3id.org/tckg/project/> .
"""
# A project named in a report but recorded without any milestone: one violation.
PROJECT_WITHOUT_MILESTONE = PREFIXES + """
project:cultural-center-renovation a tck:Project ;
    rdfs:label "文化馆总馆提质改造项目"@zh, "Upgrading of the main Cultural Center"@en .
"""
PROJECT_IRI = "https://w3id.org/tckg/project/cultural-center-renovation"
# A town without its administrative level: one violation, on a node with a Chinese label.
PLACE_WITHOUT_LEVEL = PREFIXES + """
place:qunfeng a tck:Place ; rdfs:label "群丰镇"@zh, "Qunfeng Town"@en .
"""


def cli(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tckg`` in a child process, in English unless ``lang`` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in ("TCKG_LANG", "LC_ALL", "LANG")}
    env.update(PYTHONPATH=str(ROOT / "src"), LANG="C.UTF-8", COLUMNS="200")
    if lang:
        env["TCKG_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-X", "warn_default_encoding", "-W", "error::EncodingWarning",
         "-m", "tckg", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=300)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


# -- exit 0 and 1 ------------------------------------------------------------------------------

@pytest.mark.slow
def test_bundled_data_conforms() -> None:
    result = cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_traceback(result)
    assert "conforms" in result.stdout and "0 violations" in result.stdout


@pytest.mark.slow
def test_violation_exits_1_naming_node_property_and_english_message(tmp_path: Path) -> None:
    result = cli("validate", str(write(tmp_path / "project.ttl", PROJECT_WITHOUT_MILESTONE)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    out = result.stdout
    assert "violation" in out and "does not conform" in out
    # The node by its label (either language) and IRI, the property, the message in English.
    assert "Upgrading of the main Cultural Center" in out or "文化馆总馆提质改造项目" in out
    assert PROJECT_IRI in out
    assert "tck:milestone" in out
    assert "A project needs at least one milestone" in out
    assert "项目至少需要一个里程碑" not in out


@pytest.mark.slow
def test_violation_message_in_chinese_for_a_chinese_user(tmp_path: Path) -> None:
    result = cli("validate", str(write(tmp_path / "project.ttl", PROJECT_WITHOUT_MILESTONE)),
                 lang="zh")
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    out = result.stdout
    assert "文化馆总馆提质改造项目" in out
    assert "tck:milestone" in out
    assert "项目至少需要一个里程碑" in out
    assert "A project needs at least one milestone" not in out


@pytest.mark.slow
def test_json_format_for_pipelines(tmp_path: Path) -> None:
    result = cli("validate", "--format", "json",
                 str(write(tmp_path / "project.ttl", PROJECT_WITHOUT_MILESTONE)))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)  # stdout is the JSON document and nothing else
    assert report["conforms"] is False
    # The file holds a project but no report: besides its violation, a warning says so.
    assert report["violations"] == 1 and report["warnings"] == 1
    assert [x["component"] for x in report["results"] if x["severity"] == "warning"] == ["tck:NoReport"]
    [r] = [x for x in report["results"] if x["severity"] == "violation"]
    assert r["focus"] == PROJECT_IRI and r["path"] == "tck:milestone"
    assert r["severity"] == "violation"
    assert r["component"] == "sh:MinCountConstraintComponent"
    assert "milestone" in r["message_en"] and "里程碑" in r["message_zh"]


@pytest.mark.slow
def test_unknown_format_is_refused(tmp_path: Path) -> None:
    result = cli("validate", "--format", "yaml", str(write(tmp_path / "p.ttl", PLACE_WITHOUT_LEVEL)))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "--format" in result.stderr


@pytest.mark.slow
def test_ill_typed_literal_is_a_violation_without_traceback(tmp_path: Path) -> None:
    # rdflib accepts "abc"^^xsd:decimal (and logs a traceback of its own); tckg reports it.
    path = write(tmp_path / "value.ttl", PREFIXES + """
<https://w3id.org/tckg/report/x/target/a> tck:value "abc"^^xsd:decimal .
""")
    result = cli("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert "abc" in result.stdout and "xsd:decimal" in result.stdout


# -- exit 2: inputs that cannot be read ----------------------------------------------------------

def test_malformed_turtle_names_the_line_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.ttl", PREFIXES + """
place:qunfeng a tck:Place .
place:qunfeng rdfs:label "群丰镇"@zh "Qunfeng Town"@en .
place:qunfeng rdfs:label "群丰"@zh .
""")
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_line = lines.index('place:qunfeng rdfs:label "群丰镇"@zh "Qunfeng Town"@en .') + 1  # no ','
    result = cli("validate", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.stdout == ""
    # The file and a line number lead the message (test_load checks the number is exact),
    # and the parser's own report names the line of the error.
    assert re.search(rf"{re.escape(str(path))}, line \d+", result.stderr), result.stderr
    assert f"line {bad_line}" in result.stderr
    assert "Check the syntax" in result.stderr  # and a hint


def test_gbk_file_is_refused_naming_the_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "gbk.ttl", PLACE_WITHOUT_LEVEL, encoding="gbk")
    result = cli("validate", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert_no_traceback(result)
    assert "GBK" in result.stderr or "GB18030" in result.stderr
    assert "--encoding gb18030" in result.stderr


@pytest.mark.slow
def test_gbk_file_is_read_with_encoding_option(tmp_path: Path) -> None:
    path = write(tmp_path / "gbk.ttl", PLACE_WITHOUT_LEVEL, encoding="gbk")
    result = cli("validate", "--encoding", "gb18030", str(path), lang="zh")
    # Read and validated: the one violation, on the correctly decoded Chinese label.
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert "群丰镇" in result.stdout and "tck:placeLevel" in result.stdout


@pytest.mark.slow
def test_utf8_file_with_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.ttl", "\ufeff" + PLACE_WITHOUT_LEVEL)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = cli("validate", str(path), lang="zh")
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert "群丰镇" in result.stdout and "tck:placeLevel" in result.stdout


def test_missing_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "no-such-report.ttl"
    result = cli("validate", str(path))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert str(path) in result.stderr and "no such file" in result.stderr


def test_folder_instead_of_file_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    result = cli("validate", str(folder))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert str(folder) in result.stderr


@pytest.mark.parametrize("name", ["report.csv", "report.yaml", "report"])
@pytest.mark.slow
def test_unknown_extension_exits_2(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, PLACE_WITHOUT_LEVEL)
    result = cli("validate", str(path))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert str(path) in result.stderr and ".ttl" in result.stderr  # names what it does read


@pytest.mark.slow
def test_a_file_without_a_report_conforms_with_a_warning(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    result = cli("validate", str(empty), "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert [r["component"] for r in report["results"]] == ["tck:NoReport"]
    assert report["results"][0]["severity"] == "warning"
