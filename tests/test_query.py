"""SPARQL over the commitment graph (tckg.query and ``tckg query``): the named queries return
what a reader of the report expects, parameters are bound as terms (a hostile value is only
ever a value), updates / SERVICE / FROM are refused without touching the graph or the network,
a runaway query is stopped and its process is gone, and every output format is well-formed."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDF

import tckg
from tckg.namespaces import BASE, IND, TCK
from tckg.sparql.catalogue import named_queries, named_query, query_text
from tckg.sparql.errors import QueryError, QueryRefused, QueryTimeout
from tckg.sparql.inference import rdfs_closure
from tckg.sparql.run import query
from tckg.sparql.safety import prepare

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXT = ROOT / "data" / "sources" / "tianyuan-2023-plan-report.txt"
R = "https://w3id.org/tckg/report/tianyuan-2023-plan/"

# The column lists the issue fixes (users and scripts depend on them).
REQUIRED_COLUMNS = {
    "targets": ["target", "indicator", "indicator_label", "year", "scope", "plan_level",
                "comparator", "value", "unit", "base_value", "base_unit", "task", "quote"],
    "achievements": ["achievement", "indicator", "indicator_label", "year", "scope", "value",
                     "unit", "base_value", "base_unit", "qualifier", "estimate", "quote"],
    "task-targets": ["task", "task_title", "parent_task", "target", "indicator_label", "value",
                     "unit", "link"],
    "projects": ["project", "label", "stage", "year", "enterprise", "task", "quote"],
    "responsibilities": None, "enterprises": None, "city-vs-district": None, "evidence": None,
    "targets-without-result": None,
}

HOSTILE = '天元区" } ; DROP ALL ; SELECT * { ?s ?p ?o } #'


def run(name: str, dataset, **params):
    """A named query in this process (timeout 0): the child-process path has its own tests."""
    return query(name, dataset, params=params or None, timeout=0)


def snapshot(dataset) -> set:
    return {(s, p, o, name) for name in dataset.store.graph_names()
            for s, p, o in dataset.store.graph(name)}


def one(rows, **where):
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


# -- named queries: headers --------------------------------------------------------------------

@pytest.mark.slow
def test_every_required_named_query_exists_with_a_bilingual_header():
    queries = named_queries()
    for name, columns in REQUIRED_COLUMNS.items():
        q = queries[name]
        assert q.title_zh and q.title_en and q.title_zh != q.title_en, name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q.title_zh), name
        assert len(q.description) > 40, name
        assert q.columns, name
        if columns is not None:
            assert list(q.columns) == columns, name
        prepared = prepare(q.text, name)
        for param in q.params:  # every declared parameter binds a variable of the query
            assert param.name in prepared.variables, (name, param.name)


@pytest.mark.slow
def test_every_rq_file_in_the_package_has_a_title_and_parses():
    for name, q in named_queries().items():
        assert " / " in q.title, name
        prepare(q.text, name)


def test_query_text_reads_the_file_for_the_tracking_helper():
    text = query_text("targets")
    assert text.startswith("# title: 预期目标 / Targets")
    assert "SELECT ?target" in text
    with pytest.raises(QueryError, match="no named query 'nope'"):
        query_text("nope")


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
@pytest.mark.slow
def test_every_named_query_runs_and_returns_its_declared_columns(dataset, name):
    result = run(name, dataset)
    assert result.columns == list(named_query(name).columns)
    assert len(result.rows) > 0
    for row in result.rows:  # plain Python values, ready for pandas.DataFrame(rows)
        assert all(v is None or type(v) in (str, int, float, bool) for v in row.values()), row


# -- named queries: real values from the report ------------------------------------------------

def test_targets_2023_district_gdp_is_7_5_approximately(dataset):
    rows = run("targets", dataset, year="2023", scope="天元区").rows
    gdp = one(rows, indicator=str(IND["gdp-growth"]))
    assert gdp["target"] == R + "target/2023/district/gdp-growth"
    assert gdp["value"] == 7.5 and gdp["unit"] == "%"
    assert gdp["comparator"] == "approximately"
    assert gdp["year"] == "2023" and gdp["scope"] == "天元区" and gdp["plan_level"] == "district"
    assert gdp["indicator_label"] == "地区生产总值增速"
    assert gdp["quote"] == "GDP 增长 7.5%左右"
    assert gdp["task"] == R + "task/t2023-env"
    assert {r["year"] for r in rows} == {"2023"} and {r["scope"] for r in rows} == {"天元区"}


def test_targets_grain_3_5_wan_tonnes_is_35000_tonnes(dataset):
    rows = run("targets", dataset, year="2023", plan_level="district",
               indicator="ind:grain-output").rows
    grain = one(rows)
    assert (grain["value"], grain["unit"]) == (3.5, "万吨")
    assert (grain["base_value"], grain["base_unit"]) == (35000, "吨")
    city = one(run("targets", dataset, year="2023", plan_level="city",
                   indicator="ind:grain-output").rows)
    assert (city["value"], city["unit"], city["scope"]) == (30, "亿斤", "株洲市")
    assert (city["base_value"], city["base_unit"]) == (1500000, "吨")


def test_targets_without_a_number_say_why_in_the_comparator(dataset):
    rows = run("targets", dataset, year="2023", plan_level="district").rows
    income = one(rows, indicator=str(IND["disposable-income-growth"]))
    assert income["value"] is None and income["unit"] is None
    assert income["comparator"] == "higher than another indicator (地区生产总值增速)"
    unemployment = one(rows, indicator=str(IND["surveyed-unemployment-rate"]))
    assert unemployment["comparator"] == "below an outside benchmark (湖南省)"


def test_achievements_2022_fixed_asset_investment_is_minus_28(dataset):
    rows = run("achievements", dataset, year="2022", scope="天元区").rows
    fai = one(rows, indicator=str(IND["fixed-asset-investment-growth"]))
    assert fai["value"] == -28 and fai["unit"] == "%"
    assert fai["achievement"] == R + "achievement/2022/tianyuan/fixed-asset-investment-growth"
    gdp = one(rows, indicator=str(IND["gdp-growth"]))
    assert (gdp["value"], gdp["estimate"]) == (4, True)
    grain = one(rows, indicator=str(IND["grain-output"]))
    assert (grain["value"], grain["unit"], grain["base_value"], grain["base_unit"]) == \
        (3.5, "万吨", 35000, "吨")
    assert grain["qualifier"] == "more than"


def test_projects_feisiluoke_is_to_be_completed_in_2023(dataset):
    rows = run("projects", dataset, project="project:feisiluoke-project").rows
    stages = {(r["stage"], r["year"]) for r in rows}
    assert ("completed (planned)", "2023") in stages
    assert all(r["label"] == "菲斯罗克项目" and r["enterprise"] == "菲斯罗克" for r in rows)
    assert all(r["task"] == R + "task/t2023-3-1" for r in rows)
    assert all("菲斯罗克" in r["quote"] for r in rows)
    done_2022 = run("projects", dataset, year="2022").rows
    assert {"completed", "started"} <= {r["stage"] for r in done_2022}
    assert not any("planned" in r["stage"] for r in done_2022)


def test_city_vs_district_industry_8_5_against_10(dataset):
    rows = run("city-vs-district", dataset, year="2023").rows
    industry = one(rows, indicator=str(IND["industrial-value-added-growth"]))
    assert (industry["city_value"], industry["district_value"]) == (8.5, 10)
    assert industry["difference"] == 1.5 and industry["unit"] == "%"
    assert industry["indicator_label"] == "规模工业增加值增速"
    grain = one(rows, indicator=str(IND["grain-output"]))  # 30 亿斤 against 3.5 万吨
    assert (grain["city_value"], grain["district_value"], grain["unit"]) == (1500000, 35000, "吨")
    income = one(rows, indicator=str(IND["disposable-income-growth"]))
    assert income["difference"] is None


def test_task_targets_tell_stated_from_inferred_links(dataset):
    rows = run("task-targets", dataset).rows
    gdp = R + "target/2023/district/gdp-growth"
    assert one(rows, task=R + "task/t2023-env", target=gdp)["link"] == "stated"
    grain = R + "target/2023/district/grain-output"
    measure = [r for r in rows if r["task"] == R + "task/t2023-4-2" and r["target"] == grain]
    assert {r["link"] for r in measure} == {"stated", "inferred"}
    assert all(r["task_title"] == "着力补齐三农短板" and r["parent_task"] == R + "task/t2023-4"
               for r in measure)
    inferred = run("task-targets", dataset, link="inferred").rows
    assert inferred and {r["link"] for r in inferred} == {"inferred"}


def test_responsibilities_name_the_bodies(dataset):
    rows = run("responsibilities", dataset, role="responsible").rows
    fai = R + "target/2023/district/fixed-asset-investment-growth"
    bodies = {r["body_label"] for r in rows if r["task"] == R + "task/t2023-1-1"
              and r["target"] == fai}
    assert bodies == {"株洲市天元区人民政府", "株洲高新区管委会", "株洲高科集团"}
    commits = run("responsibilities", dataset, role="commits", body="orgs:zhuzhou-gov").rows
    assert commits and all("/target/2023/city/" in r["target"] for r in commits)


def test_enterprises_list_every_enterprise_and_who_names_it(dataset):
    rows = run("enterprises", dataset).rows
    enterprises = set(dataset.union().subjects(RDF.type, TCK.Enterprise))
    assert {r["enterprise"] for r in rows} == {str(e) for e in enterprises}
    feisiluoke = [r for r in rows if r["label"] == "菲斯罗克"]
    assert {(r["named_by_kind"], r["named_by"]) for r in feisiluoke} == {
        ("measure", R + "task/t2023-3-1"), ("project", BASE + "project/feisiluoke-project")}
    assert {r["section"] for r in feisiluoke} == {"关于 2023 年经济社会发展主要任务"}


def test_evidence_quotes_stand_at_their_offsets_in_the_source_text(dataset):
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    rows = run("evidence", dataset).rows
    assert len(rows) > 100
    for row in rows:
        assert text[row["start"]:row["end"]] == row["quote"], row
        assert row["source"] == SOURCE_TEXT.name
    gdp = run("evidence", dataset, resource=R + "target/2023/district/gdp-growth").rows
    assert {r["quote"] for r in gdp} >= {"GDP 增长 7.5%左右", "7.5%左右"}
    project = run("evidence", dataset, resource="project:feisiluoke-project").rows
    assert {r["fact"].rsplit("/", 2)[-2] for r in project} == {"completed", "in-production"}


@pytest.mark.slow
def test_targets_without_result(dataset):
    rows = run("targets-without-result", dataset).rows
    targets = {r["target"] for r in rows}
    assert R + "target/2023/district/gdp-growth" in targets
    assert R + "target/2022/district/gdp-growth" not in targets  # answered by 4%
    # Cross-check with plain rdflib: a target is listed iff no achievement shares its keys.
    g = dataset.union()
    keys = {(g.value(a, TCK.indicator), g.value(a, TCK.year), g.value(a, TCK.refArea))
            for a in g.subjects(RDF.type, TCK.Achievement)}
    expected = {str(t) for t in g.subjects(RDF.type, TCK.Target)
                if (g.value(t, TCK.indicator), g.value(t, TCK.year), g.value(t, TCK.refArea))
                not in keys}
    assert targets == expected
    assert {r["year"] for r in run("targets-without-result", dataset, year="2023").rows} == {"2023"}


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.slow
def test_parameters_filter_and_empty_means_any(dataset):
    everything = run("targets", dataset).rows
    assert {r["year"] for r in everything} == {"2022", "2023"}
    assert run("targets", dataset, year="").rows == everything
    city = run("targets", dataset, scope="株洲市").rows
    assert city and {r["plan_level"] for r in city} == {"city"}
    by_iri = run("targets", dataset, indicator=str(IND["gdp-growth"])).rows
    by_name = run("targets", dataset, indicator="ind:gdp-growth").rows
    by_angle = run("targets", dataset, indicator=f"<{IND['gdp-growth']}>").rows
    assert by_iri == by_name == by_angle and len(by_iri) == 3
    # an IRI as the table shows it (report:…) can be pasted back as a value
    gdp = "report:tianyuan-2023-plan/target/2023/district/gdp-growth"
    assert {r["resource"] for r in run("evidence", dataset, resource=gdp).rows} == {
        R + "target/2023/district/gdp-growth"}


@pytest.mark.parametrize("params, message", [
    ({"year": "20x3"}, "four-digit year"),
    ({"colour": "red"}, "has no parameter 'colour'"),
    ({"indicator": "gdp growth"}, "must be an IRI"),
    ({"indicator": "<https://x.org/a> } ; DROP ALL ; {"}, "must be an IRI"),
    ({"bad name": "1"}, "not a SPARQL variable name"),
])
def test_bad_parameters_are_refused_with_a_message(dataset, params, message):
    with pytest.raises(QueryError, match=message):
        query("targets", dataset, params=params, timeout=0)


def test_ad_hoc_parameters_take_turtle_term_syntax(dataset):
    text = "SELECT ?t WHERE { ?t a tck:Target ; tck:year ?year ; tck:value ?v }"
    rows = query(text, dataset, params={"year": '"2022"^^xsd:gYear'}, timeout=0).rows
    assert len(rows) == 8  # the 2022 targets with a number
    rows = query(text, dataset, params={"v": "7.5"}, timeout=0).rows
    expected = {str(t) for t in dataset.union().subjects(TCK.value, Literal(Decimal("7.5")))}
    assert {r["t"] for r in rows} == expected and len(expected) >= 4  # GDP, retail sales …
    with pytest.raises(QueryError, match="no variable [?]nope"):
        query(text, dataset, params={"nope": "1"}, timeout=0)


def test_hostile_parameter_value_is_only_a_value(dataset):
    before = snapshot(dataset)
    assert len(query("targets", dataset, params={"scope": "天元区"}, timeout=0).rows) > 30
    result = query("targets", dataset, params={"scope": HOSTILE}, timeout=0)
    assert result.rows == [] and result.columns == REQUIRED_COLUMNS["targets"]
    # the same through the child process, and as an untyped ad-hoc parameter
    result = query("targets", dataset, params={"scope": HOSTILE, "year": "2023"})
    assert result.rows == []
    text = "SELECT ?s WHERE { ?s rdfs:label ?label }"
    assert query(text, dataset, params={"label": HOSTILE}, timeout=0).rows == []
    assert query(text, dataset, params={"label": '"天元区"@zh'}, timeout=0).rows == [
        {"s": BASE + "place/tianyuan"}]
    assert snapshot(dataset) == before


# -- refusals ----------------------------------------------------------------------------------

class _Hits:
    count = 0


@pytest.fixture
def local_server(monkeypatch):
    """A SPARQL-ish endpoint on 127.0.0.1 that counts every request it gets."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    hits = _Hits()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.count += 1
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX tck: <https://w3id.org/tckg/def#>\nDELETE { ?t tck:value ?v } "
    "INSERT { ?t tck:value 0 } WHERE { ?t tck:value ?v }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL", "CLEAR DEFAULT", "clear graph <urn:g>", "DROP ALL", "DROP SILENT GRAPH <urn:g>",
    "CREATE GRAPH <urn:new>", "ADD DEFAULT TO <urn:g>", "MOVE DEFAULT TO <urn:g>",
    "COPY <urn:a> TO <urn:b>",
    "# a comment first\nINSERT DATA { <urn:a> <urn:b> 'x' } ; DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]


@pytest.mark.parametrize("text", UPDATES)
@pytest.mark.slow
def test_sparql_update_is_refused_and_changes_nothing(dataset, text):
    before = snapshot(dataset)
    with pytest.raises(QueryError) as info:
        query(text, dataset, timeout=0)
    if not text.startswith("SELECT"):
        assert isinstance(info.value, QueryRefused)
        assert "SPARQL Update" in str(info.value) and "refused" in str(info.value)
    assert info.value.exit_code == 2
    assert snapshot(dataset) == before


def test_load_is_refused_and_fetches_nothing(dataset, local_server):
    url, hits = local_server
    for text in (f"LOAD <{url}/data.ttl>", f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>"):
        with pytest.raises(QueryRefused, match=r"SPARQL Update \(LOAD\)"):
            query(text, dataset)
    assert hits.count == 0


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?t a tck:Target OPTIONAL {{ SERVICE <{url}/x> {{ ?t ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?t a tck:Target FILTER EXISTS {{ SERVICE <{url}/x> {{ ?t ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_in_every_form_and_no_request_leaves(dataset, local_server):
    url, hits = local_server
    for text in service_queries(url):
        with pytest.raises(QueryRefused, match="SERVICE"):
            query(text, dataset)
    assert hits.count == 0


def test_service_runs_only_when_allowed(dataset, local_server):
    url, hits = local_server
    text = f"SELECT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    query(text, dataset, allow_service=True)
    assert hits.count >= 1  # the server would have seen a leak: the zero above means something


def test_from_and_from_named_are_refused_and_fetch_nothing(dataset, local_server):
    url, hits = local_server
    for text in (f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
                 f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                 f"ASK FROM <{url}/a.ttl> {{ ?s ?p ?o }}",
                 f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/a.ttl> WHERE {{ ?s ?p ?o }}",
                 f"DESCRIBE ?s FROM <{url}/a.ttl> WHERE {{ ?s ?p ?o }}",
                 "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryRefused, match="FROM / FROM NAMED are refused"):
            query(text, dataset, allow_service=True)
    assert hits.count == 0


def test_keywords_in_comments_and_strings_do_not_trip_the_checks(dataset):
    text = ('# SERVICE <http://127.0.0.1:9/> { } ; DROP ALL ; FROM <http://x/>\n'
            'SELECT ?t WHERE { ?t a tck:Target ; tck:year ?y .\n'
            '  FILTER (?y != "SERVICE <http://x/> INSERT DATA { } FROM <x>") } LIMIT 3')
    assert len(query(text, dataset, timeout=0).rows) == 3


def test_graph_keyword_reads_the_loaded_named_graphs(dataset):
    name = "https://w3id.org/tckg/graph/tianyuan-2023-plan"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?t a tck:Target }} }}"
    expected = len(set(dataset.store.graph(URIRef(name)).subjects(RDF.type, TCK.Target)))
    assert expected > 50
    assert query(text, dataset, timeout=0).rows == [{"n": expected}]
    ontology = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t a tck:Target } }"
    assert query(ontology, dataset, timeout=0).rows == [{"n": expected}]


# -- syntax errors -----------------------------------------------------------------------------

def test_syntax_error_names_line_and_column_with_a_caret(dataset):
    text = "SELECT ?t WHERE {\n  ?t a tck:Target .\n  ?t tck:value ?v ?w .\n}"
    with pytest.raises(QueryError) as info:
        query(text, dataset, timeout=0)
    message = str(info.value)
    assert "line 3, column" in message
    lines = message.splitlines()
    assert lines[-2].endswith("?t tck:value ?v ?w .")
    caret = lines[-1]
    assert caret.rstrip().endswith("^")
    column = int(message.split("line 3, column ")[1].split()[0])
    assert caret.index("^") - caret.index("|") - 2 == column - 1


def test_empty_query_and_unknown_prefix_have_clear_messages(dataset):
    with pytest.raises(QueryError, match="the query is empty"):
        query("# nothing but a comment\n", dataset, timeout=0)
    with pytest.raises(QueryError, match="(?i)prefix"):
        query("SELECT ?x WHERE { ?x a nope:Thing }", dataset, timeout=0)


# -- limits ------------------------------------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_stops_the_query_and_its_process(dataset):
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as info:
        query(SLOW, dataset, timeout=1.0)
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 10
    assert "stopped" in str(info.value) and info.value.exit_code == 2
    pid = info.value.pid
    assert pid and pid != os.getpid()
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(pid, 0)
    assert not Path(f"/proc/{pid}").exists()
    assert multiprocessing.active_children() == []


def test_max_rows_caps_the_rows_with_a_notice(dataset):
    result = query("evidence", dataset, max_rows=5)
    assert len(result.rows) == 5 and result.truncated
    assert "first 5 rows" in result.notice
    assert not query("targets", dataset, params={"year": "2022"}).truncated


@pytest.mark.slow
def test_spawn_start_method_gives_the_same_rows(dataset, monkeypatch):
    expected = run("city-vs-district", dataset).rows
    monkeypatch.setenv("TCKG_QUERY_START_METHOD", "spawn")
    assert query("city-vs-district", dataset).rows == expected


# -- inference ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_infer_adds_subclass_and_subproperty_reasoning(dataset):
    # the data types its observations tck:Observation; qb:Observation comes by sub-classing,
    # and only for statements with a number (a target without one is not an observation)
    observations = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a qb:Observation }"
    assert query(observations, dataset, timeout=0).rows == [{"n": 0}]
    with_value = set(dataset.union().subjects(TCK.value, None))
    statements = set(dataset.union().subjects(RDF.type, TCK.Target)) | \
        set(dataset.union().subjects(RDF.type, TCK.Achievement))
    assert with_value < statements
    inferred = query(observations, dataset, infer=True).rows
    assert inferred == [{"n": len(with_value)}]
    serves = "SELECT (COUNT(*) AS ?n) WHERE { ?task tck:serves ?target }"
    assert query(serves, dataset, timeout=0).rows == [{"n": 0}]
    links = {(r["task"], r["target"]) for r in run("task-targets", dataset).rows}
    assert query(serves, dataset, infer=True, timeout=0).rows == [{"n": len(links)}]
    # the named queries answer the same with and without reasoning
    assert query("enterprises", dataset, infer=True, timeout=0).rows == \
        run("enterprises", dataset).rows


@pytest.mark.slow
def test_rdfs_closure_agrees_with_owlrl(dataset, monkeypatch):
    import rdflib.term

    # owlrl re-binds rdflib's XSD literal converters for the whole process; keep that change
    # inside this test so later tests (the SHACL fixtures) see rdflib as the CLI does.
    monkeypatch.setattr(rdflib.term, "_toPythonMapping", dict(rdflib.term._toPythonMapping))
    import owlrl

    union = dataset.union()
    mine = rdfs_closure(union)
    full = dataset.union()
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(full)
    assert set(mine) <= set(full)  # nothing owlrl would not also infer

    def tckg_types(graph):
        return {(s, o) for s, o in graph.subject_objects(RDF.type) if str(o).startswith(BASE)}

    assert tckg_types(union + mine) == tckg_types(full)
    assert len(mine) > 1000


# -- output ------------------------------------------------------------------------------------

def test_csv_tsv_md_and_json_are_well_formed(dataset):
    from rdflib.query import Result

    result = run("targets", dataset, year="2023", scope="天元区")
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == result.columns and len(rows) == len(result.rows) + 1
    gdp = next(r for r in rows if r[0].endswith("/2023/district/gdp-growth"))
    assert gdp[rows[0].index("value")] == "7.5" and gdp[rows[0].index("unit")] == "%"
    grain = next(r for r in rows if r[0].endswith("/grain-output"))
    assert grain[rows[0].index("base_value")] == "35000"
    tsv = result.to_tsv().splitlines()
    assert tsv[0].split("\t") == result.columns
    assert all(len(line.split("\t")) == len(result.columns) for line in tsv)
    md = result.to_markdown().splitlines()
    assert md[0].startswith("| target | indicator |") and len(md) == len(result.rows) + 2
    assert "ind:gdp-growth" in result.to_markdown()
    doc = json.loads(result.to_json())
    assert doc["head"]["vars"] == result.columns
    first = doc["results"]["bindings"][0]
    assert first["target"]["type"] == "uri"
    assert first["scope"] == {"type": "literal", "value": "天元区", "xml:lang": "zh"}
    assert first["year"]["datatype"] == "http://www.w3.org/2001/XMLSchema#gYear"
    parsed = Result.parse(io.StringIO(result.to_json()), format="json")
    assert len(parsed.bindings) == len(result.rows)
    assert parsed.bindings[0][Variable("scope")] == Literal("天元区", lang="zh")


def test_ask_construct_and_describe(dataset):
    ask = query("ASK { ?t a tck:Target ; tck:value 7.5 }", dataset, timeout=0)
    assert ask.kind == "ASK" and ask.boolean is True
    assert json.loads(ask.to_json()) == {"head": {}, "boolean": True}
    construct = query("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a tck:Project ; rdfs:label ?l }",
                      dataset, timeout=0)
    assert construct.graph is not None
    assert (URIRef(BASE + "project/feisiluoke-project"), None,
            Literal("菲斯罗克项目", lang="zh")) in construct.graph
    assert "菲斯罗克项目" in construct.serialize("ttl")
    assert len(construct.serialize("nt").splitlines()) == len(construct.graph)
    assert json.loads(construct.serialize("jsonld"))
    with pytest.raises(QueryError, match="is a graph"):
        construct.to_csv()
    describe = query("DESCRIBE project:feisiluoke-project", dataset, timeout=0)
    assert (URIRef(BASE + "project/feisiluoke-project"), RDF.type, TCK.Project) in describe.graph


def test_terminal_table_aligns_chinese_text(dataset):
    from rich.cells import cell_len
    from rich.console import Console

    console = Console(file=io.StringIO(), width=1000, record=True, color_system=None)
    console.print(run("targets", dataset, year="2023").to_table())
    lines = [line for line in console.export_text().splitlines() if line.strip()]
    assert any("天元区" in line for line in lines)
    widths = {cell_len(line.rstrip()) for line in lines}
    assert len(widths) == 1, widths  # every row, CJK or not, is exactly as wide as the border


@pytest.mark.slow
def test_tckg_query_from_a_notebook_works_twice():
    # importing the submodule makes tckg.query the module; it must stay callable
    first = tckg.query("targets", params={"year": "2023"}, timeout=0)
    second = tckg.query("city-vs-district", timeout=0)
    assert len(first.rows) > 30 and len(second.rows) > 5
    assert first.rows[0].keys() == set(REQUIRED_COLUMNS["targets"])


# -- the command line --------------------------------------------------------------------------

def test_cli_list_shows_every_named_query(tckg_cli):
    done = tckg_cli("query", "--list")
    assert done.returncode == 0, done.stderr
    for name in REQUIRED_COLUMNS:
        assert name in done.stdout
    assert "year=(any)" in done.stdout and "预期目标 / Targets" in done.stdout


@pytest.mark.slow
def test_cli_csv_with_params(tckg_cli):
    done = tckg_cli("query", "targets", "--param", "year=2023", "--param", "scope=天元区",
                    "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    gdp = next(r for r in rows if r["target"].endswith("/2023/district/gdp-growth"))
    assert (gdp["value"], gdp["comparator"], gdp["unit"]) == ("7.5", "approximately", "%")


@pytest.mark.slow
def test_cli_file_table_and_output_file(tckg_cli, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# title: 测试 / Test\n# param: year (year) = 2022 — 年度 / year\n"
                  "SELECT ?t ?v WHERE { ?t a tck:Achievement ; tck:year ?year ; tck:value ?v ;"
                  " tck:indicator ind:fixed-asset-investment-growth }\n", encoding="utf-8")
    done = tckg_cli("query", str(rq))
    assert done.returncode == 0, done.stderr
    assert "-28" in done.stdout and "┃" in done.stdout
    out = tmp_path / "result.json"
    done = tckg_cli("query", str(rq), "-o", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["results"]["bindings"][0]["v"]["value"] in ("-28", "-28.0")


@pytest.mark.parametrize("args, expected", [
    (["-e", "DROP ALL"], "SPARQL Update (DROP) is refused"),
    (["-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
    (["-e", "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"], "FROM / FROM NAMED"),
    (["-e", "SELECT ?x WHERE {\n  ?x a [ a tck:Target\n}"], "SPARQL syntax error at line 2"),
    (["nope"], "no named query 'nope'"),
    (["missing.rq"], "no such file"),
    (["targets", "-p", "year"], "name=value"),
    (["targets", "-f", "nt"], "for CONSTRUCT and DESCRIBE"),
    ([], "give one query"),
])
@pytest.mark.slow
def test_cli_refusals_and_errors_exit_2_without_traceback(tckg_cli, args, expected):
    done = tckg_cli("query", *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert expected in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.slow
def test_cli_timeout(tckg_cli):
    started = time.monotonic()
    done = tckg_cli("query", "-e", SLOW, "--timeout", "1")
    assert done.returncode == 2 and "stopped" in done.stderr
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_cli_construct_prints_turtle(tckg_cli):
    done = tckg_cli("query", "-e", "DESCRIBE project:feisiluoke-project")
    assert done.returncode == 0, done.stderr
    assert "project:feisiluoke-project" in done.stdout and "tck:milestone" in done.stdout


@pytest.mark.parametrize("second_in_the_city", [True, False])
def test_city_vs_district_pairs_each_district_with_its_own_city_once(tmp_path, second_in_the_city):
    # two district reports, each restating the city's targets: each district target is
    # compared once with the city containing it (the query once paired every district target
    # with every restatement of every city's target: the square of the corpus)
    import re

    from tckg.store.load import load_dataset

    text = (Path(__file__).resolve().parents[1] / "data" / "report.ttl").read_text(encoding="utf-8")
    files = []
    for d in ("d0", "d1"):
        t = text.replace("tianyuan-2023-plan", f"{d}-2023-plan")
        t = re.sub(r"\bplace:tianyuan(?![A-Za-z0-9_-])", f"place:{d}", t)
        if d == "d1" and not second_in_the_city:
            t = t.replace(f"place:{d}\n    a tck:Place ;", f"place:{d}\n    a tck:Place ;\n"
                          "    schema:containedInPlace place:elsewhere ;", 1)
            t = re.sub(rf"(place:{d}\n(?:    .*\n)*?)    schema:containedInPlace place:zhuzhou ;\n",
                       r"\1", t, count=1)
        files.append(tmp_path / f"{d}.ttl")
        files[-1].write_text(t, encoding="utf-8")
    dataset = load_dataset(files, store="oxigraph")
    rows = run("city-vs-district", dataset, year="2023",
               indicator=str(IND["industrial-value-added-growth"])).rows
    assert all((r["city_value"], r["district_value"]) == (8.5, 10) for r in rows)
    assert len(rows) == (2 if second_in_the_city else 1)
