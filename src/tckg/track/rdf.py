"""The scorecard as RDF: ``tck:Assessment`` resources with PROV-O provenance in the named graph
``namespaces.ASSESSMENT_GRAPH``; report graphs are never edited.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from tckg.io.turtle import write_turtle
from tckg.io.write import atomic_write_bytes
from tckg.namespaces import ASSESSMENT_GRAPH, BASE, RULE, SCHEMA, TCK, bind_prefixes
from tckg.store.canonical import canonical_triples
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
    for triple in assessment_triples(scorecard):
        g.add(triple)
    return g


def assessment_triples(scorecard: Scorecard) -> Iterator[tuple[URIRef, URIRef, Node]]:
    """The triples of :func:`assessment_graph`, one verdict at a time (a triple may come twice).

    At N = 1,000 reports the graph has about 620,000 triples: as one rdflib graph it is
    several hundred MB, so :func:`add_assessments` streams these into the store instead.
    """
    when = Literal(scorecard.generated_at.isoformat(), datatype=XSD.dateTime)
    act = activity_iri(scorecard.version)
    yield act, RDF.type, PROV.Activity
    yield act, RDFS.label, Literal(f"tckg {scorecard.version} 目标评估", lang="zh")
    yield act, RDFS.label, Literal(f"tckg {scorecard.version} target assessment", lang="en")
    yield act, PROV.wasAssociatedWith, SOFTWARE
    yield act, PROV.endedAtTime, when
    for report in scorecard.reports:
        yield act, PROV.used, URIRef(report)
    yield SOFTWARE, RDF.type, PROV.SoftwareAgent
    yield SOFTWARE, RDFS.label, Literal("tckg")
    yield SOFTWARE, SCHEMA.softwareVersion, Literal(scorecard.version)
    rules_used = set()
    for row in scorecard.rows:
        node = URIRef(row.assessment)
        yield node, RDF.type, TCK.Assessment
        yield node, RDFS.label, Literal(f"评估：{row.indicator_label} {row.year}（"
                                        f"{row.scope_label or row.area_label}）", lang="zh")
        yield node, RDFS.label, Literal(f"Assessment: {row.indicator_label_en} {row.year} "
                                        f"({row.scope})", lang="en")
        yield node, TCK.assesses, URIRef(row.target)
        yield node, TCK.status, row.status_iri
        yield node, TCK.rule, row.rule_iri
        rules_used.add(row.rule)
        yield node, TCK.isManual, Literal(row.is_manual)
        for b in row.based_on:
            yield node, TCK.basedOn, URIRef(b)
        if row.gap is not None:
            yield node, TCK.gap, Literal(row.gap, datatype=XSD.decimal)
        if row.share_reached is not None:
            yield node, TCK.shareReached, Literal(row.share_reached, datatype=XSD.decimal)
        if row.tolerance is not None:
            yield node, TCK.tolerance, Literal(row.tolerance, datatype=XSD.decimal)
        yield node, TCK.reason, Literal(row.reason, lang="en")
        yield node, TCK.reason, Literal(row.reason_zh, lang="zh")
        if row.manual_assessment:
            yield node, PROV.wasDerivedFrom, URIRef(row.manual_assessment)
            for q in row.result_evidence:
                yield node, TCK.evidence, URIRef(q.evidence)
        yield node, PROV.wasGeneratedBy, act
        yield node, PROV.generatedAtTime, when
    for rule in sorted(rules_used):
        zh, en, definition = RULES[rule]
        node = RULE[rule]
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.notation, Literal(rule)
        yield node, RDFS.label, Literal(zh, lang="zh")
        yield node, RDFS.label, Literal(en, lang="en")
        yield node, SKOS.definition, Literal(definition, lang="en")


def add_assessments(dataset: TckDataset, scorecard: Scorecard) -> URIRef:
    """Put the verdicts into the dataset's assessment graph, replacing earlier ones.

    Only ``ASSESSMENT_GRAPH`` is written; report graphs are never touched.
    """
    target = dataset.store.graph(ASSESSMENT_GRAPH)
    target.remove((None, None, None))
    # numbers in canonical form, as the load step puts every file's: Oxigraph keeps a share
    # of "1.0000" as "1", rdflib as written, and the stores would then hold different terms
    triples = canonical_triples(assessment_triples(scorecard))
    stream = getattr(dataset.store, "add_triples", None)
    if stream is not None:  # the persistent store: in parts, never the whole graph in rdflib
        stream(ASSESSMENT_GRAPH, triples)
    else:
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        dataset.store.add_graph(ASSESSMENT_GRAPH, graph)
    return ASSESSMENT_GRAPH


def write_assessments(scorecard: Scorecard, path: Path | str) -> Path:
    """Write the assessment graph as deterministic Turtle (atomically)."""
    path = Path(path)
    header = ("# Assessments of targets against results, generated by tckg "
              f"{scorecard.version} (tckg track). Do not edit: re-run to refresh.\n"
              f"# Named graph: <{ASSESSMENT_GRAPH}>\n")
    # encoded as rdflib writes it, never the whole text as a string: at N = 1,000 reports
    # the text and its copies were a few hundred MB beside the graph
    text = io.BytesIO()
    text.write(header.encode("utf-8"))
    write_turtle(scorecard.to_graph(), text)
    atomic_write_bytes(path, text.getbuffer())
    return path

