"""The scorecard as RDF: ``tck:Assessment`` resources with PROV-O provenance in the named graph
``namespaces.ASSESSMENT_GRAPH``; report graphs are never edited.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from tckg.io.turtle import turtle
from tckg.io.write import atomic_write_text
from tckg.namespaces import ASSESSMENT_GRAPH, BASE, RULE, SCHEMA, TCK, bind_prefixes
from tckg.store.canonical import canonical_numbers
from tckg.store.load import TckDataset
from tckg.track.model import Scorecard
from tckg.track.rules import RULES
from tckg.vocab.iri import mint

ASSESSMENT_BASE = f"{BASE}assessment/"
SOFTWARE = mint(BASE, "software/tckg")


def activity_iri(version: str) -> URIRef:
    return mint(ASSESSMENT_BASE, f"activity/tckg-{version}")


def assessment_graph(scorecard: Scorecard) -> Graph:
    """The scorecard as tck:Assessment resources with PROV-O, deterministic but for the time.

    Re-running gives the same triples except ``prov:generatedAtTime`` and the activity's
    ``prov:endedAtTime``; manual verdicts are copied with ``prov:wasDerivedFrom`` the analyst's
    record so the graph alone answers the scorecard query.
    """
    g = Graph()
    bind_prefixes(g.namespace_manager)
    g.bind("assessment", ASSESSMENT_BASE)
    when = Literal(scorecard.generated_at.isoformat(), datatype=XSD.dateTime)
    act = activity_iri(scorecard.version)
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, RDFS.label, Literal(f"tckg {scorecard.version} 目标评估", lang="zh")))
    g.add((act, RDFS.label, Literal(f"tckg {scorecard.version} target assessment", lang="en")))
    g.add((act, PROV.wasAssociatedWith, SOFTWARE))
    g.add((act, PROV.endedAtTime, when))
    for report in scorecard.reports:
        g.add((act, PROV.used, URIRef(report)))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal("tckg")))
    g.add((SOFTWARE, SCHEMA.softwareVersion, Literal(scorecard.version)))
    rules_used = set()
    for row in scorecard.rows:
        node = URIRef(row.assessment)
        g.add((node, RDF.type, TCK.Assessment))
        g.add((node, RDFS.label, Literal(f"评估：{row.indicator_label} {row.year}（"
                                         f"{row.scope_label or row.area_label}）", lang="zh")))
        g.add((node, RDFS.label, Literal(f"Assessment: {row.indicator_label_en} {row.year} "
                                         f"({row.scope})", lang="en")))
        g.add((node, TCK.assesses, URIRef(row.target)))
        g.add((node, TCK.status, row.status_iri))
        g.add((node, TCK.rule, row.rule_iri))
        rules_used.add(row.rule)
        g.add((node, TCK.isManual, Literal(row.is_manual)))
        for b in row.based_on:
            g.add((node, TCK.basedOn, URIRef(b)))
        if row.gap is not None:
            g.add((node, TCK.gap, Literal(row.gap, datatype=XSD.decimal)))
        if row.share_reached is not None:
            g.add((node, TCK.shareReached, Literal(row.share_reached, datatype=XSD.decimal)))
        if row.tolerance is not None:
            g.add((node, TCK.tolerance, Literal(row.tolerance, datatype=XSD.decimal)))
        g.add((node, TCK.reason, Literal(row.reason, lang="en")))
        g.add((node, TCK.reason, Literal(row.reason_zh, lang="zh")))
        if row.manual_assessment:
            g.add((node, PROV.wasDerivedFrom, URIRef(row.manual_assessment)))
            for q in row.result_evidence:
                g.add((node, TCK.evidence, URIRef(q.evidence)))
        g.add((node, PROV.wasGeneratedBy, act))
        g.add((node, PROV.generatedAtTime, when))
    for rule in sorted(rules_used):
        zh, en, definition = RULES[rule]
        node = RULE[rule]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.notation, Literal(rule)))
        g.add((node, RDFS.label, Literal(zh, lang="zh")))
        g.add((node, RDFS.label, Literal(en, lang="en")))
        g.add((node, SKOS.definition, Literal(definition, lang="en")))
    return g


def add_assessments(dataset: TckDataset, scorecard: Scorecard) -> URIRef:
    """Put the verdicts into the dataset's assessment graph, replacing earlier ones.

    Only ``ASSESSMENT_GRAPH`` is written; report graphs are never touched.
    """
    target = dataset.store.graph(ASSESSMENT_GRAPH)
    target.remove((None, None, None))
    # numbers in canonical form, as the load step puts every file's: Oxigraph keeps a share
    # of "1.0000" as "1", rdflib as written, and the stores would then hold different terms
    dataset.store.add_graph(ASSESSMENT_GRAPH, canonical_numbers(scorecard.to_graph()))
    return ASSESSMENT_GRAPH


def write_assessments(scorecard: Scorecard, path: Path | str) -> Path:
    """Write the assessment graph as deterministic Turtle (atomically)."""
    path = Path(path)
    text = turtle(scorecard.to_graph())
    header = ("# Assessments of targets against results, generated by tckg "
              f"{scorecard.version} (tckg track). Do not edit: re-run to refresh.\n"
              f"# Named graph: <{ASSESSMENT_GRAPH}>\n")
    atomic_write_text(path, header + text)
    return path

