"""Exporting the graph: GraphML (Gephi, Cytoscape, yEd) and node-link JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tckg.io.write import atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx


def _safe(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all str/int/float/bool (GraphML has no null or list)."""
    H = G.copy()
    for _, attrs in H.nodes(data=True):
        for k, v in attrs.items():
            attrs[k] = _safe(v)
    for *_, attrs in H.edges(keys=True, data=True):
        for k, v in attrs.items():
            attrs[k] = _safe(v)
    H.graph = {k: _safe(v) for k, v in G.graph.items()}
    return H


def write_graphml(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """GraphML for Gephi, Cytoscape or yEd, written atomically as UTF-8."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(export_ready(G), buffer, encoding="utf-8", named_key_ids=True)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def write_node_link_json(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """networkx node-link JSON (``nodes`` and ``edges``), UTF-8, Chinese unescaped."""
    import networkx as nx

    data = nx.node_link_data(export_ready(G), edges="edges")
    path = Path(path)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path

