"""The interactive graph page: one self-contained, offline, UTF-8 HTML file.

The page is pyvis' data model (its node and edge lists, filled directly rather than through
``from_nx``, which grows with the square of the graph) rendered through tckg's own template
(``templates/graph.html``) instead of pyvis', which links Bootstrap from a CDN and whose
``write_html`` uses the locale's encoding. vis-network is inlined from ``assets/``; the page
makes no request to any host (its Content-Security-Policy forbids it as well).

Positions come from :mod:`tckg.network`'s layouts, computed here in Python, and physics is off,
so a graph of any size draws at once. The layouts are embedded and the reader can switch; on a
phone the accountability tree is laid out top-down by the page itself ("outline", from the label
sizes the browser measures), and the tree never opens zoomed out past legible labels.

Escaping: the data travels as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` written as ``\\u003c`` …, so no label can close the script element; the page's
script puts every text into the DOM with ``textContent`` (tooltips, search results, legend) or
draws it on the canvas. vis-network's own HTML tooltips (the ``title`` field) are not used.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tckg.errors import TckgError
from tckg.html import STATUS_COLOURS, escape, inert
from tckg.io.write import atomic_write_bytes
from tckg.network import (
    NODE_TYPES,
    VERDICT_ATTRIBUTES,
    accountability_nodes,
    force_layout,
    hierarchical_layout,
    tree_layout,
    tree_outline,
)
from tckg.store.load import TckDataset
from tckg.track import STATUSES

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

# computed here; the page has a fourth, "outline" (the tree top-down, one node a row), which
# it lays out itself from the label sizes vis-network measures: the tree at phone width
LAYOUTS = ("force", "hierarchical", "tree")

# type -> (shape, background colour, font colour); report parts are boxes holding their title
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "section": ("box", "#37474f", "#ffffff"),
    "review-area": ("box", "#90a4ae", "#102027"),
    "task-area": ("box", "#1565c0", "#ffffff"),
    "measure": ("box", "#90caf9", "#0d2b45"),
    "target": ("diamond", "#ef6c00", "#3e2723"),
    "achievement": ("triangle", "#8e24aa", "#311b36"),
    "indicator": ("square", "#00897b", "#004d40"),
    "body": ("hexagon", "#6d4c41", "#3e2723"),
    "project": ("star", "#d81b60", "#4a0020"),
    "enterprise": ("triangleDown", "#5e35b1", "#1a0d40"),
    "place": ("dot", "#7cb342", "#1b3d00"),
    "campaign": ("dot", "#fbc02d", "#4a3800"),
}
# assessment statuses (the tck status scheme) -> (zh, en, colour); targets take these colours
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    status: (zh, en, STATUS_COLOURS[status]) for status, (zh, en) in STATUSES.items()}
UNKNOWN_STATUS_COLOUR = "#b0bec5"
LABEL_WIDTH = 34  # longer labels are cut on the canvas (the tooltip shows them whole)
BOX_LABEL_WIDTH = 44  # titles inside boxes wrap, so they may be longer
# report parts carry bigger titles, so sections and areas stay legible in the overview
FONT_SIZE = {"section": 22, "task-area": 19, "review-area": 16}
LARGE = 2000      # from this many edges on, edges hide while the view is dragged or zoomed
FONT = ("Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, "
        "sans-serif")

DEFAULT_TITLE = ("任务与目标关系图", "Tasks and targets")


class GraphPageError(TckgError):
    """A request the page writer cannot honour (unknown layout)."""


def _short(text: str, limit: int = 0) -> str:
    """The canvas label: at most ``limit`` half-width cells (a Chinese character is two)."""
    limit = limit or LABEL_WIDTH
    text = " ".join(text.split())
    width = 0
    for i, ch in enumerate(text):
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width > limit:
            return text[:i].rstrip() + "…"
    return text


def _darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def compute_positions(G: nx.MultiDiGraph) -> dict[str, dict[str, tuple[float, float]]]:
    """Both layouts, by name."""
    return {"force": force_layout(G), "hierarchical": hierarchical_layout(G),
            "tree": tree_layout(G)}


def _node_payload(node: str, attrs: Mapping[str, Any], xy: tuple[float, float]) -> dict[str, Any]:
    kind = attrs.get("type", "")
    shape, colour, font = TYPE_STYLE.get(kind, ("dot", "#b0bec5", "#263238"))
    status = str(attrs.get("status") or "")
    if kind == "target" and status:
        colour = STATUS_STYLE.get(status, ("", "", UNKNOWN_STATUS_COLOUR))[2]
    label_zh = str(attrs.get("label_zh") or attrs.get("label_en") or node)
    label_en = str(attrs.get("label_en") or label_zh)
    limit = BOX_LABEL_WIDTH if shape == "box" else LABEL_WIDTH
    item: dict[str, Any] = {
        "id": node,
        "label": _short(label_zh, limit),
        "shape": shape,
        "x": xy[0],
        "y": xy[1],
        "color": {"background": colour, "border": _darker(colour),
                  "highlight": {"background": colour, "border": "#000000"},
                  "hover": {"background": colour, "border": "#000000"}},
        "font": {"color": font, "size": FONT_SIZE.get(kind, 14)},
        # the data the page shows, kept apart from vis-network's own options ("value" and
        # "title" mean something to vis-network)
        "d": {
            "type": kind,
            "label_zh": label_zh,
            "label_en": label_en,
            "short_zh": _short(label_zh, limit),
            "short_en": _short(label_en, limit),
            **{k: str(attrs.get(k) or "") for k in
               ("value", "unit", "year", "quote", "status", "detail_zh", "detail_en",
                *VERDICT_ATTRIBUTES)},
        },
    }
    if shape == "box":  # the title sits inside the box: no white halo around the letters
        item["widthConstraint"] = {"maximum": 190}
        item["margin"] = 6
        item["font"]["strokeWidth"] = 0
    if kind == "target" and status:
        item["borderWidth"] = 2
    return item


def to_pyvis(G: nx.MultiDiGraph, *, layout: str = "force",
             positions: Mapping[str, Mapping[str, tuple[float, float]]] | None = None) -> Network:
    """A pyvis ``Network`` of ``G`` with positions, colours and shapes, physics off.

    The node and edge lists are filled directly: linear in the size of the graph, where
    ``Network.from_nx`` is quadratic. :func:`write_graph_html` uses it and then renders with
    tckg's offline template; pyvis' own ``write_html``/``show`` would link Bootstrap from a
    CDN and write in the locale's encoding, so use them only where that does not matter.
    """
    from pyvis.network import Network

    if layout not in LAYOUTS:
        raise GraphPageError(f"unknown layout {layout!r} (未知的布局); use force or hierarchical.")
    positions = positions or {layout: {"force": force_layout, "hierarchical": hierarchical_layout,
                                       "tree": tree_layout}[layout](G)}
    xy = positions[layout]
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [_node_payload(n, a, xy.get(n, (0.0, 0.0))) for n, a in G.nodes(data=True)]
    net.node_ids = [item["id"] for item in net.nodes]
    net.node_map = {item["id"]: item for item in net.nodes}
    edges = []
    for i, (s, o, key, attrs) in enumerate(G.edges(keys=True, data=True)):
        inferred = attrs.get("link") == "inferred"
        edges.append({
            "id": f"e{i}",
            "from": s,
            "to": o,
            "dashes": inferred,
            "color": {"color": "#78909c" if inferred else "#b0bec5", "highlight": "#263238",
                      "hover": "#263238"},
            "d": {"relation": str(attrs.get("relation") or key),
                  "label_zh": str(attrs.get("label_zh") or key),
                  "label_en": str(attrs.get("label_en") or key),
                  "link": str(attrs.get("link") or "stated")},
        })
    net.edges = edges
    large = len(edges) >= LARGE
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False,
                        "keyboard": False, "multiselect": True},
        "nodes": {"size": 12, "borderWidth": 1,
                  "font": {"size": 14, "face": FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}},
    }
    return net


def _script_json(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in, whatever the data says."""
    # inert(): the JSON's structure is ASCII, so bidi controls can only be inside its strings
    text = inert(json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _fill(template: str, values: Mapping[str, str]) -> str:
    # one pass over the template: inserted text is never scanned for further placeholders
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], template)


def render_graph_html(G: nx.MultiDiGraph, *, layout: str = "force",
                      title: str | None = None, tree_view: bool = False) -> str:
    """The page as a string (see :func:`write_graph_html`)."""
    if layout not in LAYOUTS:
        raise GraphPageError(f"unknown layout {layout!r} (未知的布局); use force or hierarchical.")
    positions = compute_positions(G)
    net = to_pyvis(G, layout=layout, positions=positions)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    tree = accountability_nodes(G)
    if tree_view:  # the tree's labels a size up, so they read at the fitted zoom
        for item in nodes:
            if item["id"] in tree:
                item["font"]["size"] = max(item["font"]["size"], 16)
                if item["d"]["type"] == "target":
                    item["size"] = 9
    order = [item["id"] for item in nodes]
    payload = {
        "layout": layout,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "positions": {name: [list(pos.get(n, (0.0, 0.0))) for n in order]
                      for name, pos in positions.items()},
        "types": [{"key": k, "zh": zh, "en": en, "shape": TYPE_STYLE[k][0],
                   "color": TYPE_STYLE[k][1]} for k, (zh, en) in NODE_TYPES.items()],
        "statuses": [{"key": k, "zh": zh, "en": en, "color": c}
                     for k, (zh, en, c) in STATUS_STYLE.items()],
        # the accountability tree (task areas → measures → targets) and whether the page
        # opens on it; the other nodes come in with "show everything" or a type's box
        "tree": sorted(tree),
        "treeView": bool(tree_view),
        # the tree in reading order with each node's depth: the page's outline layout
        "outline": [[n, d] for n, d in tree_outline(G)],
        # the tree opens on its latest year (the plan's tasks); the year box shows the others
        "treeYear": max((str(G.nodes[n].get("year") or "") for n in tree
                         if G.nodes[n]["type"] == "target"), default=""),
        "years": sorted({str(y) for _, y in G.nodes(data="year") if y and len(str(y)) == 4}),
    }
    if title is None:
        zh = G.graph.get("title_zh") or ""
        title = f"{DEFAULT_TITLE[0]} · {DEFAULT_TITLE[1]}"
        subtitle = str(zh)
    else:
        subtitle = ""
    heading = escape(title) + (f"<small>{escape(subtitle)}</small>" if subtitle else "")
    template = resources.files("tckg").joinpath("templates/graph.html").read_text(encoding="utf-8")
    vis_js = resources.files("tckg").joinpath("assets/vis-network.min.js").read_text(
        encoding="utf-8")
    if "</script" in vis_js.lower():  # a changed asset must not end its own element
        raise GraphPageError("assets/vis-network.min.js contains '</script'; it cannot be "
                             "inlined. Restore the bundled file.")
    return _fill(template, {"TITLE": escape(title), "HEADING": heading,
                            "DATA": _script_json(payload), "VIS_JS": vis_js})


def write_graph_html(G: nx.MultiDiGraph, path: Path | str, *, layout: str = "force",
                     title: str | None = None, tree_view: bool = False) -> Path:
    """Write the interactive page of ``G`` to ``path``: one self-contained UTF-8 file.

    ``layout`` is the initial layout (``force`` or ``hierarchical``); the page can switch.
    ``title`` defaults to "任务与目标关系图 · Tasks and targets" over the report's title.
    """
    page = render_graph_html(G, layout=layout, title=title, tree_view=tree_view)
    path = Path(path)
    atomic_write_bytes(path, page.encode("utf-8"))  # UTF-8 whatever the locale
    return path


def write_site_graph(dataset: TckDataset, out_dir: Path | str,
                     statuses: Mapping[str, str] | None = None) -> Path:
    """``out_dir/graph.html`` for ``tckg build``: the whole graph, targets coloured by
    ``statuses`` (target IRI -> ``met`` …)."""
    from tckg.network import build_graph

    G = build_graph(dataset, statuses=statuses)
    # the first view answers "which task serves which target": the accountability tree
    return write_graph_html(G, Path(out_dir) / "graph.html", layout="tree", tree_view=True)
