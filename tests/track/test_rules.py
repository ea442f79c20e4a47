"""The verdict rules as data (ontology/rules.ttl) and their interpreter (tckg.track.rules): the
statuses and rules come from the ontology, every operator x polarity has exactly one rule, a
broken rule is refused with its IRI named, and the pages and the CLI use the same statuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from tckg.namespaces import CMP, POL, RULE, STATUS, TCK
from tckg.track import RULES, STATUS_COLOURS, STATUSES, RuleBook, RuleError, TrackError, judge
from tckg.track.rules import TESTS, default_rulebook

ONTOLOGY = ROOT / "ontology"
OPERATORS = ("approx", "eq", "ge", "gt", "le", "lt", "between")
POLARITIES = ("higher-is-better", "lower-is-better", "neutral")


def _rules_graph() -> Graph:
    g = Graph()
    for name in ("schemes.ttl", "rules.ttl"):
        g.parse(ONTOLOGY / name)
    return g


def test_statuses_are_the_scheme_in_its_order():
    g = _rules_graph()
    scheme = {str(g.value(s, SKOS.notation)) for s in g.subjects(RDF.type, TCK.Status)}
    assert list(STATUSES) == ["met", "met-within-tolerance", "missed", "no-result",
                              "not-assessable"]
    assert set(STATUSES) == scheme
    assert STATUSES["met-within-tolerance"] == ("在容差内达成", "met within tolerance")
    for notation in STATUSES:
        assert STATUS_COLOURS[notation] == str(g.value(STATUS[notation], TCK.colour))
        assert STATUS_COLOURS[notation].startswith("#") and len(STATUS_COLOURS[notation]) == 7


def test_pages_and_cli_take_the_palette_from_the_ontology():
    from tckg.html import STATUS_COLOURS as html_colours
    from tckg.html.graph_page import STATUS_STYLE
    from tckg.html.scorecard_page import STATUS_COLOURS as page_colours

    assert html_colours is STATUS_COLOURS and page_colours is STATUS_COLOURS
    assert {k: v[2] for k, v in STATUS_STYLE.items()} == dict(STATUS_COLOURS)
    assert {k: v[:2] for k, v in STATUS_STYLE.items()} == dict(STATUSES)
    for module in sorted((ROOT / "src" / "tckg" / "cli").glob("*.py")):
        cli = module.read_text(encoding="utf-8")
        assert "_TRACK_STYLES" not in cli and '"met-within-tolerance"' not in cli, module.name


@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("polarity", [*POLARITIES, None])
def test_every_operator_and_polarity_has_one_rule_ending_in_always(operator, polarity):
    rule = default_rulebook().rule_for(operator, polarity)
    assert rule.operator == operator
    assert rule.polarity in (polarity or "higher-is-better", None)
    assert rule.outcomes[-1].test == "always"
    assert [o.order for o in rule.outcomes] == sorted({o.order for o in rule.outcomes})
    for o in rule.outcomes:
        assert o.test in TESTS and o.status in STATUSES
        assert o.reason_en and o.reason_zh and o.bound in ("lower", "upper")


def test_a_polarity_iri_chooses_the_same_rule_as_its_notation():
    book = default_rulebook()
    assert book.rule_for("approx", str(POL["lower-is-better"])).notation == "approx-ceiling"
    assert book.rule_for("approx", None).notation == "approx-floor"


def test_every_rule_is_declared_with_labels_and_a_definition():
    g = _rules_graph()
    declared = {str(g.value(r, SKOS.notation)) for r in g.subjects(RDF.type, TCK.VerdictRule)}
    assert set(RULES) == declared
    for notation, (zh, en, definition) in RULES.items():
        assert zh and en and definition, notation
        assert (RULE[notation], SKOS.inScheme, TCK.VerdictRuleScheme) in g


def test_tolerance_flags_are_on_the_rules():
    book = default_rulebook()
    uses = {n for n, r in book.rules.items() if r.uses_tolerance}
    assert uses == {"approx-floor", "approx-ceiling", "approx-band", "point-band"}


def test_a_rule_can_be_changed_in_the_ontology_alone():
    """The rules are data: editing the graph changes the verdict, no Python involved."""
    g = _rules_graph()
    outcome = RULE["at-least-1"]
    g.remove((outcome, TCK.test, None))
    g.add((outcome, TCK.test, Literal("above")))
    book = RuleBook(g)
    assert judge("ge", None, Decimal(10), Decimal(10)).status == "met"
    assert book.judge("ge", None, Decimal(10), Decimal(10)).status == "missed"


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.set((RULE["at-least-1"], TCK.test, Literal("roughly"))), "tck:test 'roughly'"),
    (lambda g: g.set((RULE["at-least-1"], TCK.givesStatus, URIRef("https://w3id.org/tckg/status/ok"))),
     "tck:givesStatus 'ok'"),
    (lambda g: g.remove((RULE["at-least"], TCK.outcome, RULE["at-least-2"])), "always"),
    (lambda g: g.add((RULE["below"], TCK.forOperator, Literal("ge"))) or
     g.remove((RULE["below"], TCK.forOperator, Literal("lt"))), "two rules for operator 'ge'"),
])
def test_a_broken_rule_is_refused_with_its_iri(edit, message):
    g = _rules_graph()
    edit(g)
    with pytest.raises(RuleError, match=message):
        RuleBook(g)


def test_unknown_operator_is_a_track_error():
    with pytest.raises(TrackError, match="unknown comparator operator 'roughly'.*approx, between"):
        judge("roughly", None, Decimal(1), Decimal(1))


def test_reason_templates_fill_in_units_and_points():
    j = judge("approx", "higher-is-better", Decimal("7.5"), Decimal("7.1"), tolerance=Decimal("0.5"),
              unit="%", percent=True)
    assert (j.status, j.rule) == ("met-within-tolerance", "approx-floor")
    assert j.reason == "7.1% is 0.4 percentage points below 7.5%, within the tolerance of 0.5 " \
                       "percentage points."
    assert j.reason_zh == "7.1% 低于目标 7.5% 0.4 个百分点，在容差 0.5 个百分点以内。"


def test_the_loaded_ontology_is_what_assess_reads(dataset):
    """assess() reads the rules from the dataset it is given (the ontology graph is loaded)."""
    book = RuleBook(dataset.union())
    assert set(book.rules) == set(RULES) and list(book.statuses) == list(STATUSES)


def test_comparator_wordings_come_from_the_scheme():
    """How a target reads (7.5% 左右, 超过 500 人) is tck:wording in ontology/schemes.ttl."""
    from tckg.track import COMPARATOR_WORDS

    g = _rules_graph()
    assert dict(COMPARATOR_WORDS) == {
        "approximately": ("", "左右"), "at-least": ("", "以上"), "more-than": ("超过 ", ""),
        "at-most": ("", "以内"), "below": ("低于 ", ""), "point": ("", ""),
        "strive-for": ("力争 ", "")}
    for notation, (zh, en) in default_rulebook().wordings.items():
        assert (CMP[notation], TCK.wording, Literal(zh, lang="zh")) in g and "{value}" in en
    # every comparator that compares with one number has a wording (a range and the
    # comparators without a number are written from their other properties)
    single = {str(g.value(c, SKOS.notation)) for c in g.subjects(TCK.referenceKind, Literal("number"))
              if str(g.value(c, TCK.operator)) != "between"}
    assert single == set(COMPARATOR_WORDS)
    source = (ROOT / "src" / "tckg" / "track" / "assess.py").read_text(encoding="utf-8")
    assert "COMPARATOR_WORDS" not in source and '"以内")' not in source  # no second copy


def test_a_wording_without_its_value_is_refused():
    g = _rules_graph()
    g.remove((CMP.approximately, TCK.wording, Literal("{value}左右", lang="zh")))
    g.add((CMP.approximately, TCK.wording, Literal("左右", lang="zh")))
    with pytest.raises(RuleError, match="approximately.*tck:wording"):
        RuleBook(g)


@pytest.mark.slow
def test_a_wording_changed_in_the_ontology_changes_the_scorecard():
    from tckg.store.load import load_dataset
    from tckg.track import assess

    ds = load_dataset(store="rdflib")
    gdp = "https://w3id.org/tckg/report/tianyuan-2023-plan/target/2023/district/gdp-growth"
    before = {r.target: r.target_text for r in assess(ds, year=2023).rows}[gdp]
    ds.store.update("""DELETE { GRAPH ?g { cmp:approximately tck:wording ?w } }
        INSERT { GRAPH ?g { cmp:approximately tck:wording "约 {value}"@zh, "about {value}"@en } }
        WHERE { GRAPH ?g { cmp:approximately tck:wording ?w } }""")
    after = {r.target: r.target_text for r in assess(ds, year=2023).rows}[gdp]
    assert (before, after) == ("7.5% 左右", "约 7.5%")


REASON_CASES = {
    ("qualitative", "unanswered"), ("qualitative", "answered"),
    ("unquantified", "unanswered"), ("unquantified", "answered"),
    ("no-result", "result"), ("no-result", "numeric-result"),
    ("no-number", "target"), ("no-number", "result"),
    ("incomparable-units", "result"), ("incomparable-units", "benchmark"),
    ("relative-results", "above"), ("relative-results", "below"), ("relative-results", "equal"),
    ("relative-stated", "stated"),
    ("missing-reference", "indicator"), ("missing-reference", "benchmark"),
    ("benchmark", "below"), ("benchmark", "not-above")}


def test_reasons_without_a_numeric_test_come_from_the_ontology():
    """The cases tckg.track.assess tells apart, each with a reason @en and @zh in rules.ttl,
    and none written out in Python any more."""
    book = default_rulebook()
    assert set(book.reasons) == REASON_CASES
    assert {rule for rule, _ in REASON_CASES} <= set(RULES)
    for (rule, case), (en, zh) in book.reasons.items():
        assert en and zh and en != zh, (rule, case)
    en, zh = book.reason("no-result", "result", indicator="地区生产总值增速",
                         indicator_en="GDP growth", area="天元区", area_en="Tianyuan", year="2024")
    assert en == "No loaded report states a result for GDP growth in Tianyuan, 2024."
    assert zh == "尚无报告陈述天元区 2024 年地区生产总值增速的结果。"
    source = (ROOT / "src" / "tckg" / "track" / "assess.py").read_text(encoding="utf-8")
    for phrase in ("尚无报告", "No loaded report", "目标无数值", "基本单位不同", "同年同地区"):
        assert phrase not in source, phrase


def test_a_reason_changed_in_the_ontology_is_the_reason_given():
    g = _rules_graph()
    node = RULE["no-number--target"]
    g.remove((node, TCK.reasonTemplate, None))
    g.add((node, TCK.reasonTemplate, Literal("No target figure for {indicator_en}.", lang="en")))
    g.add((node, TCK.reasonTemplate, Literal("{indicator}目标未给出数值。", lang="zh")))
    assert RuleBook(g).reason("no-number", "target", indicator="就业", indicator_en="jobs") == (
        "No target figure for jobs.", "就业目标未给出数值。")


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.remove((RULE["no-number--target"], TCK.reasonTemplate,
                         Literal("目标无数值。", lang="zh"))), "no-number--target.*@en and @zh"),
    (lambda g: g.remove((RULE["no-number--target"], TCK.case, None)), "needs tck:case"),
])
def test_a_broken_reason_is_refused_with_its_iri(edit, message):
    g = _rules_graph()
    edit(g)
    with pytest.raises(RuleError, match=message):
        RuleBook(g)


def test_a_reason_naming_a_field_tckg_does_not_fill_in_is_refused():
    g = _rules_graph()
    g.remove((RULE["no-number--target"], TCK.reasonTemplate,
              Literal("The target has no number.", lang="en")))
    g.add((RULE["no-number--target"], TCK.reasonTemplate, Literal("{nonsense}", lang="en")))
    book = RuleBook(g)
    with pytest.raises(RuleError, match="names 'nonsense'"):
        book.reason("no-number", "target", indicator="x")
    with pytest.raises(RuleError, match="no tck:reasonCase for the case 'other'"):
        book.reason("no-number", "other")
