"""RDF -> networkx: the graph of tasks, targets and who carries them, its filters and exports.

:func:`build_graph` turns a :class:`~tckg.store.load.TckDataset` into a ``networkx.MultiDiGraph``
whose nodes are report parts (sections, review areas, task areas, measures), targets,
achievements, the indicators they measure, responsible bodies, projects, enterprises, places
and campaigns, and whose edges are the relations between them (a measure states or serves a
target, a project is carried by an enterprise …). The SPARQL it runs lives in
``queries/network-*.rq``.

Every node carries the same string attributes, so the graph exports cleanly to GraphML (which
has no null) and node-link JSON:

``type``       one of :data:`NODE_TYPES`
``label_zh``, ``label_en``
``value``, ``unit``, ``unit_en``   the number as the report writes it (``6–6.5`` for a range)
``year``       ``2023``; several years separated by spaces (a project's milestones); ``""``
``quote``      the evidence passage(s), one per line, in reading order
``status``     a target's assessment status (``met`` …) when the caller passes ``statuses``
``detail_zh``, ``detail_en``   comparator, plan level, qualifier, milestones … for tooltips

Edges carry ``relation`` (``tck:statesTarget``), ``label_zh``, ``label_en`` and ``link``:
``inferred`` for an analyst's ``tck:contributesTo``, ``stated`` for everything the report says.

The layouts (:func:`hierarchical_layout`, :func:`force_layout`) are plain Python, so positions
are computed once when the page is written and the browser need not run physics.

The package is split along its seams: :mod:`~tckg.network.model` (types),
:mod:`~tckg.network.building` (from the store), :mod:`~tckg.network.filters`,
:mod:`~tckg.network.layouts` and :mod:`~tckg.network.export`.
"""

from tckg.network.building import build_full_graph, build_graph
from tckg.network.export import export_ready, write_graphml, write_node_link_json
from tckg.network.filters import filter_graph, find_node, parse_types
from tckg.network.layouts import (
    TREE_PARTS,
    accountability_nodes,
    force_layout,
    hierarchical_layout,
    tree_layout,
    tree_outline,
)
from tckg.network.model import (
    NODE_ATTRIBUTES,
    NODE_TYPES,
    TASK_TYPES,
    TYPE_ALIASES,
    VERDICT_ATTRIBUTES,
    GraphFilterError,
)

__all__ = [
    "NODE_ATTRIBUTES", "NODE_TYPES", "TASK_TYPES", "TREE_PARTS", "TYPE_ALIASES",
    "VERDICT_ATTRIBUTES", "GraphFilterError", "accountability_nodes", "build_full_graph",
    "build_graph", "export_ready", "filter_graph", "find_node", "force_layout",
    "hierarchical_layout", "parse_types", "tree_layout", "tree_outline", "write_graphml",
    "write_node_link_json",
]
