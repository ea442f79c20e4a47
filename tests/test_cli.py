"""The command line as an analyst meets it: readable tables at 80 and 100 columns, no silent
empty result (a value that matches nothing is named on stderr with the values there are), the
same scope vocabulary everywhere, spreadsheets that open, and pages that are never replaced
behind the user's back. Every test runs the real command in a child process."""

from __future__ import annotations

import pytest
from rich.cells import cell_len


def _widest(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


@pytest.mark.slow
@pytest.mark.parametrize("width", [80, 100])
def test_track_table_fits_the_terminal_and_names_task_and_lead(tckg_cli, width) -> None:  # noqa: ANN001
    proc = tckg_cli("track", "--year", "2022", "--store", "rdflib",
                    env={"COLUMNS": str(width), "TCKG_LANG": "en"})
    assert proc.returncode == 0, proc.stderr
    assert _widest(proc.stdout) <= width
    assert "牵头" in proc.stdout and "任务" in proc.stdout
    assert "not stated" in proc.stdout and "招商办" in proc.stdout  # 固定资产投资's lead
    assert "left out to fit" in proc.stderr and "--format csv" in proc.stderr


@pytest.mark.slow
def test_values_that_match_nothing_say_so(tckg_cli) -> None:  # noqa: ANN001
    proc = tckg_cli("track", "--year", "2030", "--store", "rdflib")
    assert proc.returncode == 2 and "2022, 2023" in proc.stderr and proc.stdout == ""
    proc = tckg_cli("query", "scorecad", "--store", "rdflib")
    assert proc.returncode == 2 and "Did you mean 'scorecard'" in proc.stderr
    proc = tckg_cli("query", "targets", "-p", "scope=天元", "--store", "rdflib")
    assert proc.returncode == 2 and "'天元区'" in proc.stderr
    proc = tckg_cli("query", "targets", "-p", "year=2030", "-f", "csv", "--store", "rdflib")
    assert proc.returncode == 0 and proc.stdout.count("\n") == 1  # the header only
    assert "year=2030 matches nothing" in proc.stderr and "2022, 2023" in proc.stderr


@pytest.mark.slow
def test_one_scope_vocabulary_and_more_empty_cases(tckg_cli) -> None:  # noqa: ANN001
    by_id = tckg_cli("query", "targets", "-p", "scope=Tianyuan", "-f", "csv", "--store", "rdflib")
    by_name = tckg_cli("query", "targets", "-p", "scope=天元区", "-f", "csv", "--store", "rdflib")
    assert by_id.returncode == 0 and by_id.stdout == by_name.stdout
    assert by_id.stdout.count("\n") > 40
    track_zh = tckg_cli("track", "--scope", "天元区", "-f", "csv", "--store", "rdflib")
    track_id = tckg_cli("track", "--scope", "tianyuan", "-f", "csv", "--store", "rdflib")
    assert track_zh.returncode == 0 and track_zh.stdout == track_id.stdout
    proc = tckg_cli("query", "targets", "-p", "scope=district", "--store", "rdflib")
    assert proc.returncode == 2 and "plan_level=district" in proc.stderr
    proc = tckg_cli("graph", "--year", "twenty", "-o", "x.html", "--store", "rdflib")
    assert proc.returncode == 2 and "four-digit" in proc.stderr and "2022, 2023" in proc.stderr


@pytest.mark.slow
def test_query_scorecard_works_on_the_default_data(tckg_cli) -> None:  # noqa: ANN001
    proc = tckg_cli("query", "scorecard", "-p", "year=2022", "-p", "status_code=missed",
                    "-f", "csv", "--store", "rdflib")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 1 + 6  # the six 2022 misses


@pytest.mark.slow
def test_spreadsheets_open_with_chinese_intact(tckg_cli, tmp_path) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    out = tmp_path / "acc.xlsx"
    proc = tckg_cli("query", "accountability", "-p", "year=2022", "-o", str(out),
                    "--store", "rdflib")
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["target", "indicator_label", "year"]
    assert "固定资产投资增速" in [c.value for c in sheet["B"]]
    proc = tckg_cli("query", "targets", "-f", "csv", "--bom", "--store", "rdflib")
    assert proc.stdout.startswith("\ufefftarget,")
    plain = tckg_cli("query", "targets", "-f", "csv", "--store", "rdflib")
    assert plain.stdout.startswith("target,")
    proc = tckg_cli("query", "targets", "-f", "xlsx", "--store", "rdflib")
    assert proc.returncode == 2 and "-o" in proc.stderr


@pytest.mark.slow
def test_graph_never_replaces_a_page_tckg_build_wrote(tckg_cli, tmp_path) -> None:  # noqa: ANN001
    site = tmp_path / "out"
    site.mkdir()
    (site / ".tckg-site").write_text("written by tckg build\n", encoding="utf-8")
    (site / "graph.html").write_text("the build's page\n", encoding="utf-8")
    proc = tckg_cli("graph", "-o", str(site / "graph.html"), "--store", "rdflib")
    assert proc.returncode == 2 and "tckg build" in proc.stderr
    assert (site / "graph.html").read_text(encoding="utf-8") == "the build's page\n"
    proc = tckg_cli("graph", "--store", "rdflib", cwd=site)  # no -o, inside the site
    assert proc.returncode == 2
    assert (site / "graph.html").read_text(encoding="utf-8") == "the build's page\n"


def test_version(tckg_cli) -> None:  # noqa: ANN001
    from tckg import __version__

    proc = tckg_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"tckg {__version__}"


# Requests refused before any work, each once an "internal error" (exit 3), a traceback, or a
# silent wrong answer: exit 2, one paragraph naming the option and what to give instead, and
# nothing written. (args, extra environment, what the message must say)
REFUSED = {
    "query-timeout-too-long": (["query", "targets", "--query-timeout", "1e12"], {}, "--query-timeout"),
    "validation-timeout-nan": (["validate", "--validation-timeout", "nan"], {}, "out of range"),
    "max-triples-zero": (["add", "x.ttl", "--max-triples", "0"], {}, "--max-triples"),
    "tolerance-nan": (["track", "--tolerance", "growth-rate=nan"], {}, "finite number"),
    "extract-to-jsonld": (["extract", "r.txt", "-o", "draft.jsonld"], {}, "Turtle (.ttl) or TriG"),
    "extract-missing-data-dir": (["extract", "r.txt", "-o", "d.ttl", "--data-dir", "nowhere"], {},
                                 "--data-dir nowhere does not exist"),
    "add-missing-data-dir": (["add", "x.ttl", "--data-dir", "nowhere"], {}, "--data-dir nowhere"),
    "query-a-folder": (["query", "."], {}, ".: is a folder"),
    "query-a-missing-path": (["query", "some/query"], {}, "some/query: no such file"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_requests_are_refused_before_any_work(tckg_cli, tmp_path, case) -> None:  # noqa: ANN001
    args, env, said = REFUSED[case]
    proc = tckg_cli(*args, cwd=tmp_path, env={**env, "COLUMNS": "300"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert said in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, value, fine", [
    ("query_timeout", 0, True), ("query_timeout", 1e6, True), ("query_timeout", 1e12, False),
    ("query_timeout", float("inf"), False), ("query_timeout", -1, False),
    ("load_timeout", 0, True), ("load_timeout", float("nan"), False),
    ("validation_timeout", 0, False), ("validation_timeout", -1, False),
    ("validation_timeout", 0.5, True), ("max_input_bytes", -1, False),
    ("max_input_bytes", 1, True), ("max_triples", 0, False), ("max_rows", 10**20, True),
])
def test_each_limit_declares_its_range(name, value, fine) -> None:  # noqa: ANN001
    from tckg.settings import SETTINGS

    problem = SETTINGS[name].problem(value)
    assert (problem is None) == fine, problem
    if not fine:
        assert SETTINGS[name].option in problem


def test_garbage_in_columns_does_not_stop_the_command(tckg_cli) -> None:  # noqa: ANN001
    proc = tckg_cli("--version", env={"COLUMNS": "abc"})
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
