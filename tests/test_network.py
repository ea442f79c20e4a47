"""tckg.network: the networkx model of the report, its filters, layouts and exports,
plus the page writer's offline, UTF-8 and escaping guarantees checked on the file itself
(the browser checks are in test_graph_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from conftest import run_tckg
from rdflib.namespace import RDF

from tckg.errors import TckgError
from tckg.html.graph_page import render_graph_html, write_graph_html
from tckg.namespaces import TCK
from tckg.network import (
    NODE_ATTRIBUTES,
    NODE_TYPES,
    TASK_TYPES,
    accountability_nodes,
    build_full_graph,
    filter_graph,
    find_node,
    force_layout,
    hierarchical_layout,
    parse_types,
    tree_layout,
    write_graphml,
    write_node_link_json,
)

REPORT = "https://w3id.org/tckg/report/tianyuan-2023-plan/"
GDP_2023 = REPORT + "target/2023/district/gdp-growth"
GDP_2022 = REPORT + "achievement/2022/tianyuan/gdp-growth"
MEGMEET = "https://w3id.org/tckg/org/megmeet"
MEGMEET_2 = "https://w3id.org/tckg/project/megmeet-phase-2"
PROJECTS_MEASURE = REPORT + "task/t2023-3-1"   # 又强又实抓项目
AREA_3 = REPORT + "task/t2023-3"               # 围绕提速提质，持续扩大投资消费拉动力
AREA_1 = REPORT + "task/t2023-1"


@pytest.fixture(scope="module")
def full(dataset) -> nx.MultiDiGraph:
    return build_full_graph(dataset)


def test_nodes_of_every_type_with_the_report_values(dataset, full: nx.MultiDiGraph) -> None:
    types = {t for _, t in full.nodes(data="type")}
    assert types == set(NODE_TYPES)
    gdp = full.nodes[GDP_2023]
    assert gdp["type"] == "target"
    assert gdp["value"] == "7.5" and gdp["unit"] == "%" and gdp["year"] == "2023"
    assert "7.5%左右" in gdp["quote"]
    assert "左右" in gdp["detail_zh"] and "approximately" in gdp["detail_en"]
    assert gdp["label_zh"].startswith("2023 地区生产总值增速 7.5%左右")
    assert "GDP growth approximately 7.5%" in gdp["label_en"]
    result = full.nodes[GDP_2022]
    assert (result["type"], result["value"], result["year"]) == ("achievement", "4", "2022")
    assert "预计数" in result["detail_zh"]
    assert full.nodes[MEGMEET]["label_zh"] == "麦格米特"
    assert full.nodes[MEGMEET]["type"] == "enterprise"
    assert full.nodes[MEGMEET_2]["label_en"] == "Megmeet Phase II"
    assert full.nodes[MEGMEET_2]["year"] == "2023"
    assert "开工2023（计划）" in full.nodes[MEGMEET_2]["detail_zh"]
    assert full.nodes[AREA_3]["type"] == "task-area"
    # only indicators some observation uses, not the whole scheme
    scheme = set(dataset.ontology_graph().subjects(RDF.type, TCK.Indicator))
    indicators = {n for n, t in full.nodes(data="type") if t == "indicator"}
    assert indicators <= {str(i) for i in scheme}
    for n in indicators:
        assert {key for *_, key in full.in_edges(n, keys=True)} & {"indicator", "relativeTo"}, n


def test_every_node_has_every_attribute_and_no_none(full: nx.MultiDiGraph) -> None:
    for node, attrs in full.nodes(data=True):
        for key in NODE_ATTRIBUTES:
            assert isinstance(attrs[key], str), (node, key)
        assert attrs["label_zh"] and attrs["label_en"], node
        assert None not in attrs.values(), node
    for *_, attrs in full.edges(keys=True, data=True):
        assert None not in attrs.values()
        assert attrs["link"] in ("stated", "inferred")


def test_edges_stated_and_inferred(full: nx.MultiDiGraph) -> None:
    into_gdp = {(s, key): a for s, _, key, a in full.in_edges(GDP_2023, keys=True, data=True)}
    stated = into_gdp[(REPORT + "task/t2023-env", "statesTarget")]
    assert stated["link"] == "stated" and stated["relation"] == "tck:statesTarget"
    assert (stated["label_zh"], stated["label_en"]) == ("陈述目标", "states target")
    inferred = into_gdp[(REPORT + "task/t2023-2-2", "contributesTo")]
    assert inferred["link"] == "inferred" and inferred["relation"] == "tck:contributesTo"
    assert full.has_edge(GDP_2023, "https://w3id.org/tckg/indicator/gdp-growth", key="indicator")
    assert full.has_edge(MEGMEET_2, MEGMEET, key="enterprise")
    assert full.has_edge(PROJECTS_MEASURE, MEGMEET, key="mentions")
    assert full.has_edge(PROJECTS_MEASURE, AREA_3, key="partOf")


@pytest.mark.slow
def test_statuses_colour_targets_only(dataset) -> None:
    G = build_full_graph(dataset, statuses={
        GDP_2023: "https://w3id.org/tckg/status/met-within-tolerance",
        GDP_2022: "met",                      # not a target: ignored
        REPORT + "target/1999/x/y": "missed",  # not in the graph: ignored
    })
    assert G.nodes[GDP_2023]["status"] == "met-within-tolerance"
    assert G.nodes[GDP_2022]["status"] == ""
    assert sum(1 for _, s in G.nodes(data="status") if s) == 1


def test_year_filter(full: nx.MultiDiGraph) -> None:
    G = filter_graph(full, year=2023)
    assert GDP_2023 in G and GDP_2022 not in G
    assert {a["year"] for _, a in G.nodes(data=True)} <= {"2023", ""}
    assert MEGMEET in G and MEGMEET_2 in G
    # an indicator only 2022 results use goes with them
    only_2022 = "https://w3id.org/tckg/indicator/cadre-evening-talk-sessions"
    assert only_2022 in full and only_2022 not in G
    assert not [n for n in G if G.degree(n) == 0]


def test_filters_keep_the_graphs_order(full: nx.MultiDiGraph) -> None:
    # a subgraph view iterates the kept set, whose order moves with the hash seed; the page
    # of `tckg graph --year` differed from run to run
    for G in (filter_graph(full, year=2023), filter_graph(full, task_area="t2023-3"),
              filter_graph(full, focus="麦格米特", depth=2)):
        assert list(G) == [n for n in full if n in G]
        assert list(G.edges(keys=True)) == [e for e in full.edges(keys=True)
                                            if e[0] in G and e[1] in G]


def test_types_filter_and_aliases(full: nx.MultiDiGraph) -> None:
    G = filter_graph(full, types="target,task")
    assert {t for _, t in G.nodes(data="type")} == {"target"} | TASK_TYPES
    assert G.number_of_nodes() == sum(1 for _, t in full.nodes(data="type")
                                      if t == "target" or t in TASK_TYPES)
    assert parse_types(["targets", " Measure "]) == {"target", "measure"}
    with pytest.raises(TckgError, match="unknown node type 'nonsense'"):
        parse_types("target,nonsense")


def test_task_area_filter(full: nx.MultiDiGraph) -> None:
    G = filter_graph(full, task_area="围绕提速提质，持续扩大投资消费拉动力")
    assert AREA_3 in G and PROJECTS_MEASURE in G and MEGMEET in G and MEGMEET_2 in G
    assert AREA_1 not in G and REPORT + "task/t2023-1-1" not in G
    assert {G.nodes[n]["type"] for n in G} & TASK_TYPES <= {"task-area", "measure"}
    # the area's stated or inferred targets come along with their indicators
    assert REPORT + "target/2023/district/fixed-asset-investment-growth" in G
    assert "https://w3id.org/tckg/indicator/fixed-asset-investment-growth" in G
    assert filter_graph(full, task_area="t2023-3").number_of_nodes() == G.number_of_nodes()
    with pytest.raises(TckgError, match="--task-area"):
        filter_graph(full, task_area="麦格米特")  # an enterprise, not a report part


def test_focus_and_depth(full: nx.MultiDiGraph) -> None:
    one = filter_graph(full, focus="麦格米特")
    assert set(one) == {MEGMEET, MEGMEET_2, PROJECTS_MEASURE}
    two = filter_graph(full, focus="megmeet", depth=2)
    assert set(one) < set(two) and AREA_3 in two
    assert set(filter_graph(full, focus=MEGMEET, depth=0)) == {MEGMEET}
    assert find_node(full, "Megmeet Phase II") == MEGMEET_2
    assert find_node(full, "target/2023/district/gdp-growth") == GDP_2023
    with pytest.raises(TckgError, match="matches .* nodes"):
        find_node(full, "项目")
    with pytest.raises(TckgError, match="matches no node"):
        find_node(full, "no such thing anywhere")
    with pytest.raises(TckgError, match="filtered out"):
        filter_graph(full, year=2022, focus="麦格米特二期")


def test_graphml_and_json_round_trip(full: nx.MultiDiGraph, tmp_path: Path) -> None:
    G = filter_graph(full, task_area="t2023-3")
    graphml = write_graphml(G, tmp_path / "g.graphml")
    back = nx.read_graphml(graphml, force_multigraph=True)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    assert back.nodes[MEGMEET]["label_zh"] == "麦格米特"
    assert back.graph["title_zh"].startswith("关于株洲市天元区")
    assert "麦格米特".encode() in graphml.read_bytes()  # UTF-8, not character references
    data = json.loads(write_node_link_json(G, tmp_path / "g.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    again = nx.node_link_graph(data, edges="edges")
    assert again.nodes[MEGMEET_2]["label_en"] == "Megmeet Phase II"
    assert not list(tmp_path.glob(".*.tmp")), "atomic writes leave no temporary file"


def test_hierarchical_layout_reads_left_to_right(full: nx.MultiDiGraph) -> None:
    pos = hierarchical_layout(full)
    assert set(pos) == set(full)
    section = REPORT + "task/t2023"
    assert pos[section][0] < pos[AREA_3][0] < pos[PROJECTS_MEASURE][0] < pos[MEGMEET_2][0]
    # a measure sits within its area's span, areas in report order
    areas = [REPORT + f"task/t2023-{i}" for i in range(1, 7)]
    ys = [pos[a][1] for a in areas]
    assert ys == sorted(ys)
    assert len(set(pos.values())) == len(pos), "no two nodes on one spot"


def test_accountability_tree_holds_task_areas_measures_and_the_targets_they_serve(
        full: nx.MultiDiGraph) -> None:
    tree = accountability_nodes(full)
    kinds = {full.nodes[n]["type"] for n in tree}
    assert kinds == {"task-area", "measure", "review-area", "target"}
    assert AREA_3 in tree and PROJECTS_MEASURE in tree and GDP_2023 in tree
    assert REPORT + "task/t2023" not in tree  # a section states targets; it leads no task
    # a target the appendix alone states (the city's plan) is not in the tree
    assert REPORT + "target/2023/city/gdp-growth" not in tree


def test_tree_layout_reads_task_area_measure_target(full: nx.MultiDiGraph) -> None:
    pos = tree_layout(full)
    assert set(pos) == set(full)
    fai = REPORT + "target/2023/district/fixed-asset-investment-growth"
    assert pos[AREA_3][0] < pos[PROJECTS_MEASURE][0] < pos[fai][0] or \
        pos[AREA_1][0] < pos[REPORT + "task/t2023-1-1"][0] < pos[fai][0]
    tree = accountability_nodes(full)
    spots = [pos[n] for n in tree]
    assert len(set(spots)) == len(spots), "no two tree nodes on one spot"
    # the tree sits above everything else, years apart
    bottom = max(y for n, (_, y) in pos.items() if n in tree)
    assert all(y > bottom for n, (_, y) in pos.items() if n not in tree)
    ys_2022 = [pos[n][1] for n in tree if full.nodes[n].get("year") == "2022"]
    ys_2023 = [pos[n][1] for n in tree if full.nodes[n].get("year") == "2023"]
    assert max(ys_2022) < min(ys_2023)


def test_force_layout_is_deterministic_and_spread(full: nx.MultiDiGraph) -> None:
    G = filter_graph(full, year=2023)
    a, b = force_layout(G), force_layout(G)
    assert a == b and set(a) == set(G)
    xs = sorted(x for x, _ in a.values())
    assert xs[-1] - xs[0] > 1000, "a few hundred nodes spread over more than one screen"
    close = sum(1 for i, (x, y) in enumerate(a.values()) for (u, v) in list(a.values())[i + 1:]
                if abs(x - u) < 5 and abs(y - v) < 5)
    assert close == 0


@pytest.mark.slow
def test_page_is_one_offline_utf8_file(full: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_graph_html(full, tmp_path / "graph.html", layout="hierarchical")
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # UTF-8 whatever the locale
    assert "麦格米特".encode() in raw
    # nothing is fetched: no external script, stylesheet, image, frame or font
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)\s*=", text, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)
    assert "cdn." not in text and "bootstrap" not in text.lower()
    assert "default-src 'none'" in text
    data = json.loads(re.search(r'<script id="tckg-data" type="application/json">(.*?)</script>',
                                text, re.S).group(1))
    assert len(data["nodes"]) == full.number_of_nodes()
    assert len(data["edges"]) == full.number_of_edges()
    assert data["layout"] == "hierarchical"
    assert set(data["positions"]) == {"force", "hierarchical", "tree"}


def test_markup_in_data_cannot_escape_its_script(tmp_path: Path) -> None:
    G = nx.MultiDiGraph(title_zh="</script><script>alert(1)</script>")
    hostile = '</script><img src=x onerror=alert(1)><!--'
    G.add_node("urn:x:1", type="target", label_zh=hostile, label_en="&amp; <b>", value="",
               unit="", year="2023", quote="\u2028</SCRIPT >", status="")
    page = render_graph_html(G, title="<i>t</i>")
    assert hostile not in page and "</SCRIPT >" not in page
    assert page.count("</script>") == 3  # the data, vis-network and the page's own script
    assert "<title>&lt;i&gt;t&lt;/i&gt;</title>" in page
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e" in page


def test_unknown_layout_refused(full: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(TckgError, match="unknown layout"):
        write_graph_html(full, tmp_path / "g.html", layout="circular")
    assert not (tmp_path / "g.html").exists()


@pytest.mark.slow
def test_cli_graph_writes_page_and_exports(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    result = run_tckg("graph", "-o", str(out), "--focus", "麦格米特", "--depth", "2",
                      "--layout", "hierarchical", "--graphml", str(tmp_path / "g.graphml"),
                      "--json", str(tmp_path / "g.json"))
    assert result.returncode == 0, result.stderr
    assert out.is_file() and (tmp_path / "g.graphml").is_file()
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert MEGMEET in {n["id"] for n in data["nodes"]}
    assert f"{len(data['nodes'])} nodes" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--types", "target,bogus"], "unknown node type 'bogus'"),
    (["--focus", "项目"], "matches"),
    (["--layout", "circular"], "unknown --layout"),
])
@pytest.mark.slow
def test_cli_graph_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_tckg("graph", "-o", str(tmp_path / "g.html"), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "g.html").exists()
