"""The verdict rules, read from the ontology (``ontology/rules.ttl``), and their interpreter.

A numeric target is judged by the rule for its comparator's operator (``tck:operator``:
approx, eq, ge, gt, le, lt, between) and its indicator's polarity (``tck:forPolarity``; a rule
without one serves every polarity, an indicator without one is read as higher is better). The
rule's outcomes (``tck:outcome``) are tested in ``tck:order``; the first whose ``tck:test``
holds gives the status (``tck:givesStatus``) and the reason (``tck:reasonTemplate``, one per
language). Tests compare the result ``r`` with a bound ``b`` (the target, or a range's upper
value with ``tck:bound "upper"``):

=================  =================================================================
test               holds when
=================  =================================================================
at-or-above        r >= b        (a hedged result at the bound: 余 just above, 近 just below)
above              r > b
at-or-below        r <= b
below              r < b
equal              r = b
within-tolerance   abs(r - b) <= tolerance
inside             lower <= r <= upper
always             always (the last outcome of every rule)
=================  =================================================================

The statuses (``tck:Status`` in ``ontology/schemes.ttl``: notation, labels, ``tck:order``,
``tck:colour``) are read here too, so the CLI, the pages and the scorecard speak from one source,
and so is how a target reads with each comparator (``tck:wording``, e.g. ``"{value}左右"@zh``).
The rules without a numeric test (no result, no number, a reference missing …) give their
reasons from the ontology too: ``tck:reasonCase``, one template per language for each case
tckg tells apart (:meth:`RuleBook.reason`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from tckg.errors import TckgError
from tckg.namespaces import POL, TCK
from tckg.numbers import fmt_number
from tckg.vocab.iri import local_name

DEFAULT_POLARITY = "higher-is-better"
TESTS = ("at-or-above", "above", "at-or-below", "below", "equal", "within-tolerance", "inside",
         "always")
RULE_FILES = ("schemes.ttl", "rules.ttl")  # what the statuses and rules need of the ontology


class TrackError(TckgError):
    """A request or a manual assessment the scorecard cannot use; the message says what to fix."""


class RuleError(TrackError):
    """A rule or status in the ontology tckg cannot use, or a request no rule answers."""


@dataclass(frozen=True)
class Status:
    notation: str
    iri: URIRef
    zh: str
    en: str
    colour: str
    order: int


@dataclass(frozen=True)
class Outcome:
    iri: URIRef
    order: int
    test: str
    bound: str  # "lower" or "upper"
    status: str  # a status notation
    reason_en: str
    reason_zh: str


@dataclass(frozen=True)
class Rule:
    notation: str
    iri: URIRef
    zh: str
    en: str
    definition: str
    operator: str | None = None
    polarity: str | None = None  # a polarity notation; None: any
    uses_tolerance: bool = False
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class Judgement:
    status: str
    rule: str
    reason: str
    reason_zh: str
    uses_tolerance: bool = False


def _text(g: Graph, node: Any, prop: URIRef, lang: str | None = None) -> str:
    values = sorted((v for v in g.objects(node, prop) if isinstance(v, Literal)), key=str)
    for v in values:
        if lang is None or v.language == lang:
            return str(v)
    return ""


def _label(g: Graph, node: Any, lang: str) -> str:
    return _text(g, node, SKOS.prefLabel, lang) or _text(g, node, RDFS.label, lang)


def _int(g: Graph, node: Any, prop: URIRef, default: int) -> int:
    value = g.value(node, prop)
    return int(value.toPython()) if isinstance(value, Literal) else default


class RuleBook:
    """The statuses and rules of one ontology graph."""

    def __init__(self, graph: Graph) -> None:
        statuses = []
        for node in set(graph.subjects(RDF.type, TCK.Status)):
            notation = _text(graph, node, SKOS.notation)
            statuses.append(Status(notation, URIRef(node), _label(graph, node, "zh"),
                                   _label(graph, node, "en"), _text(graph, node, TCK.colour),
                                   _int(graph, node, TCK.order, 99)))
        statuses.sort(key=lambda s: (s.order, s.notation))
        self.statuses: dict[str, Status] = {s.notation: s for s in statuses}
        rules = []
        for node in set(graph.subjects(RDF.type, TCK.VerdictRule)):
            outcomes = []
            for o in graph.objects(node, TCK.outcome):
                test = _text(graph, o, TCK.test)
                status = local_name(graph.value(o, TCK.givesStatus))
                if test not in TESTS or status not in self.statuses:
                    raise RuleError(f"rule outcome <{o}> has tck:test {test!r} and tck:givesStatus "
                                    f"{status!r}; tests are {', '.join(TESTS)}, statuses "
                                    f"{', '.join(self.statuses)} (ontology/rules.ttl).")
                outcomes.append(Outcome(URIRef(o), _int(graph, o, TCK.order, 0), test,
                                        _text(graph, o, TCK.bound) or "lower", status,
                                        _text(graph, o, TCK.reasonTemplate, "en"),
                                        _text(graph, o, TCK.reasonTemplate, "zh")))
            outcomes.sort(key=lambda o: o.order)
            polarity = graph.value(node, TCK.forPolarity)
            uses = graph.value(node, TCK.usesTolerance)
            rules.append(Rule(
                _text(graph, node, SKOS.notation), URIRef(node), _label(graph, node, "zh"),
                _label(graph, node, "en"), _text(graph, node, SKOS.definition, "en"),
                _text(graph, node, TCK.forOperator) or None,
                local_name(polarity, POL) or None if polarity is not None else None,
                bool(uses.toPython()) if isinstance(uses, Literal) else False, tuple(outcomes)))
        rules.sort(key=lambda r: r.notation)
        self.rules: dict[str, Rule] = {r.notation: r for r in rules}
        # (rule notation, case) -> (en, zh) reason templates of the rules without a numeric test
        self.reasons: dict[tuple[str, str], tuple[str, str]] = {}
        # subjects and objects only: the persistent store's look-up answers no more than these
        cases = [(n, c) for n in set(graph.subjects(TCK.reasonCase, None))
                 for c in graph.objects(n, TCK.reasonCase)]
        for node, case_node in cases:
            en = _text(graph, case_node, TCK.reasonTemplate, "en")
            zh = _text(graph, case_node, TCK.reasonTemplate, "zh")
            case = _text(graph, case_node, TCK.case)
            if not (case and en and zh):
                raise RuleError(f"reason <{case_node}> of rule <{node}> needs tck:case and "
                                "tck:reasonTemplate @en and @zh (ontology/rules.ttl).")
            self.reasons[(_text(graph, node, SKOS.notation), case)] = (en, zh)
        # comparator notation -> (zh, en) wording, "{value}" standing for the number and unit
        self.wordings: dict[str, tuple[str, str]] = {}
        for node in sorted(set(graph.subjects(TCK.wording, None)), key=str):
            zh, en = _text(graph, node, TCK.wording, "zh"), _text(graph, node, TCK.wording, "en")
            if zh.count("{value}") != 1 or en.count("{value}") != 1:
                raise RuleError(f"comparator <{node}> needs tck:wording @zh and @en, each with "
                                "{value} once (ontology/schemes.ttl).")
            self.wordings[_text(graph, node, SKOS.notation)] = (zh, en)
        self._numeric: dict[tuple[str, str | None], Rule] = {}
        for r in rules:
            if r.operator is None:
                continue
            if not r.outcomes or r.outcomes[-1].test != "always":
                raise RuleError(f"rule <{r.iri}> must end with an outcome whose tck:test is "
                                "\"always\", so every result gets a verdict (ontology/rules.ttl).")
            key = (r.operator, r.polarity)
            if key in self._numeric:
                raise RuleError(f"two rules for operator {r.operator!r} and polarity "
                                f"{r.polarity or 'any'}: <{self._numeric[key].iri}> and <{r.iri}>.")
            self._numeric[key] = r

    @property
    def operators(self) -> list[str]:
        return sorted({op for op, _ in self._numeric})

    def rule_for(self, operator: str, polarity: str | None) -> Rule:
        """The rule for an operator and a polarity notation (or IRI)."""
        pol = local_name(polarity or DEFAULT_POLARITY)
        for key in ((operator, pol), (operator, None), (operator, DEFAULT_POLARITY)):
            if key in self._numeric:
                return self._numeric[key]
        raise RuleError(f"unknown comparator operator {operator!r}; tckg knows "
                        + ", ".join(self.operators) + " and none (tck:operator in "
                        "ontology/schemes.ttl, rules in ontology/rules.ttl).")

    def reason(self, rule: str, case: str, **values: str) -> tuple[str, str]:
        """The reason (en, zh) a rule without a numeric test gives in ``case``, its template's
        fields filled in from ``values`` (labels, years, results as written)."""
        found = self.reasons.get((rule, case))
        if found is None:
            raise RuleError(f"rule {rule!r} has no tck:reasonCase for the case {case!r} "
                            "(ontology/rules.ttl).")
        try:
            return found[0].format(**values), found[1].format(**values)
        except (KeyError, IndexError) as exc:
            raise RuleError(f"a reason template of rule {rule!r} (case {case!r}) names {exc}, "
                            f"which tckg does not fill in; it knows {', '.join(sorted(values))} "
                            "(ontology/rules.ttl).") from None

    def judge(self, operator: str, polarity: str | None, target: Decimal, result: Decimal, *,
              upper: Decimal | None = None, tolerance: Decimal = Decimal(0), bias: int = 0,
              unit: str = "", percent: bool = False) -> Judgement:
        """Decide a numeric target by its rule (see the module doc).

        ``target``, ``upper``, ``result`` and ``tolerance`` are in the same unit (the target's);
        ``tolerance`` is absolute. ``unit`` (as written after a number, e.g. ``%`` or `` 万吨``)
        and ``percent`` (differences are percentage points) only shape the reason.
        """
        rule = self.rule_for(operator, polarity)
        high = upper if upper is not None else target
        for outcome in rule.outcomes:
            bound = high if outcome.bound == "upper" else target
            if _holds(outcome.test, result, bias, bound, target, high, tolerance):
                break
        values = {"r": fmt_number(result) + unit, "t": fmt_number(target) + unit,
                  "h": fmt_number(high) + unit, "d": fmt_number(abs(result - target)),
                  "tol": fmt_number(tolerance)}
        return Judgement(
            outcome.status, rule.notation,
            outcome.reason_en.format(**values, du=" percentage points" if percent else unit),
            outcome.reason_zh.format(**values, du=" 个百分点" if percent else unit),
            rule.uses_tolerance)


def compare(result: Decimal, bias: int, bound: Decimal) -> int:
    """Compare a (possibly hedged) result with a bound: -1, 0 or 1.

    ``bias`` is +1 for 余/超过 (the true figure is above the number), -1 for 近 (just
    below), 0 otherwise; it only matters when the number equals the bound.
    """
    if result != bound:
        return 1 if result > bound else -1
    return bias


def _holds(test: str, result: Decimal, bias: int, bound: Decimal, lower: Decimal,
           upper: Decimal, tolerance: Decimal) -> bool:
    if test == "always":
        return True
    if test == "within-tolerance":
        return abs(result - bound) <= tolerance
    if test == "inside":
        return compare(result, bias, lower) >= 0 and compare(result, bias, upper) <= 0
    c = compare(result, bias, bound)
    return {"at-or-above": c >= 0, "above": c > 0, "at-or-below": c <= 0, "below": c < 0,
            "equal": c == 0}[test]


@cache
def default_rulebook() -> RuleBook:
    """The rules and statuses of the ontology files (``ontology/schemes.ttl``, ``rules.ttl``)."""
    from tckg.io.paths import project_root

    g = Graph()
    for name in RULE_FILES:
        g.parse(project_root() / "ontology" / name, format="turtle")
    return RuleBook(g)


def judge(operator: str, polarity: str | None, target: Decimal, result: Decimal, *,
          upper: Decimal | None = None, tolerance: Decimal = Decimal(0), bias: int = 0,
          unit: str = "", percent: bool = False, rules: RuleBook | None = None) -> Judgement:
    """:meth:`RuleBook.judge` with the ontology's rules (or ``rules``)."""
    return (rules or default_rulebook()).judge(operator, polarity, target, result, upper=upper,
                                               tolerance=tolerance, bias=bias, unit=unit,
                                               percent=percent)


class _OntologyMapping(Mapping[str, Any]):
    """A read-only mapping filled from the ontology on first use (importing costs nothing)."""

    def __init__(self, build: Any) -> None:
        self._build = build

    def _data(self) -> Mapping[str, Any]:
        return self._build(default_rulebook())

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __repr__(self) -> str:
        return repr(dict(self._data()))


# notation -> (zh, en), in the scheme's order: status:… in ontology/schemes.ttl
STATUSES: Mapping[str, tuple[str, str]] = _OntologyMapping(
    lambda book: {s.notation: (s.zh, s.en) for s in book.statuses.values()})
# notation -> "#rrggbb" (tck:colour), the one palette of the CLI and every page
STATUS_COLOURS: Mapping[str, str] = _OntologyMapping(
    lambda book: {s.notation: s.colour for s in book.statuses.values()})
# comparator notation -> (prefix, suffix) around "value unit" as the reports write targets:
# the zh tck:wording of cmp:… in ontology/schemes.ttl split at {value}
COMPARATOR_WORDS: Mapping[str, tuple[str, str]] = _OntologyMapping(
    lambda book: {n: tuple(zh.split("{value}")) for n, (zh, _) in book.wordings.items()})
# notation -> (zh, en, definition): every rule a verdict can rest on (rule:… in rules.ttl)
RULES: Mapping[str, tuple[str, str, str]] = _OntologyMapping(
    lambda book: {r.notation: (r.zh, r.en, r.definition) for r in book.rules.values()})
