"""Layouts in plain Python (positions computed when a page is written, so the browser runs no
physics): hierarchical, the accountability tree and force-directed."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tckg.network.model import TASK_TYPES, TYPE_RANK

if TYPE_CHECKING:  # networkx is imported inside the functions that need it
    import networkx as nx


ROW = 48.0      # vertical distance between rows of the hierarchical layout
COLUMN = 300.0  # horizontal distance between the levels of the task tree
CELL = 260.0    # width of one column of items (a target, an indicator …) and its label

# columns after the task tree: what tasks link to, then what those link to
_ITEM_COLUMN = {"target": 0, "achievement": 0, "project": 0, "campaign": 0,
                "indicator": 1, "enterprise": 1, "body": 2, "place": 2}


def hierarchical_layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Left to right: the task tree (sections → task areas → measures) in report order; each
    part's targets, achievements, projects and campaigns in a small grid beside it; then
    indicators and enterprises, then bodies and places, each level with what links to it.

    Wide groups are folded into several sub-columns so the picture stays roughly as wide as
    it is tall instead of one column thousands of rows high.
    """
    parent: dict[str, str] = {}
    for s, o, key in G.edges(keys=True):
        if key == "partOf" and G.nodes[s]["type"] in TASK_TYPES \
                and G.nodes[o]["type"] in TASK_TYPES and s not in parent:
            parent[s] = o
    tasks = [n for n, t in G.nodes(data="type") if t in TASK_TYPES]
    children: dict[str | None, list[str]] = defaultdict(list)
    for t in tasks:
        p = parent.get(t)
        # a cycle in partOf would loop forever below; such a part becomes a root
        children[p if p is not None and not _has_cycle(parent, t) else None].append(t)

    def order(n: str) -> tuple[Any, ...]:
        a = G.nodes[n]
        return (a.get("ordinal", 10**6), TYPE_RANK[a["type"]], a["label_zh"], n)

    preorder: list[tuple[str, int]] = []
    stack = [(t, 0) for t in sorted(children[None], key=order, reverse=True)]
    while stack:
        node, level = stack.pop()
        preorder.append((node, level))
        stack.extend((c, level + 1) for c in sorted(children[node], key=order, reverse=True))
    rank = {n: i for i, (n, _) in enumerate(preorder)}

    # a node linked to report parts is stacked beside the first of them in reading order
    owned: dict[str, list[str]] = defaultdict(list)
    for n, t in G.nodes(data="type"):
        if t in TASK_TYPES or _ITEM_COLUMN.get(t) != 0:
            continue
        linked = [m for m in (*G.predecessors(n), *G.successors(n)) if m in rank]
        if linked:
            owned[min(linked, key=rank.__getitem__)].append(n)
    total = sum(len(v) for v in owned.values())
    grid = max(1, min(8, round(math.sqrt(total / 25))))  # sub-columns of the item grid

    depth = max((level for _, level in preorder), default=-1)
    items_x = (depth + 1) * COLUMN
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    spans: dict[str, tuple[int, int]] = {}
    for node, _level in preorder:
        items = sorted(owned[node], key=lambda m: (TYPE_RANK[G.nodes[m]["type"]],
                                                   G.nodes[m]["label_zh"], m))
        start = row
        for i, item in enumerate(items):
            pos[item] = (items_x + (i % grid) * CELL, (row + i // grid) * ROW)
        row += -(-len(items) // grid)
        if not children[node]:
            row = max(row, start + 2)  # a box of two lines of title
        spans[node] = (start, row)
    # a part sits level with the middle of everything below it
    for node, level in reversed(preorder):
        start, end = spans[node]
        for c in children[node]:
            cs, ce = spans[c]
            start, end = min(start, cs), max(end, ce)
        spans[node] = (start, end)
        pos[node] = (level * COLUMN, (start + max(end - 1, start)) / 2 * ROW)

    # the rest (items of no report part, indicators, bodies …): columns of lanes, each node
    # as level as it can be with the median of its neighbours already placed
    x = items_x + (grid * CELL if owned else 0)
    height = max(row * ROW, ROW)
    by_column: dict[int, list[str]] = defaultdict(list)
    for n in G:
        if n not in pos:
            by_column[_ITEM_COLUMN.get(G.nodes[n]["type"], 2)].append(n)
    for column in sorted(by_column):
        wanted: list[tuple[float, str]] = []
        for n in by_column[column]:
            ys = sorted(pos[m][1] for m in (*G.predecessors(n), *G.successors(n)) if m in pos)
            wanted.append((ys[len(ys) // 2] if ys else math.inf, n))
        wanted.sort(key=lambda w: (w[0], TYPE_RANK[G.nodes[w[1]]["type"]],
                                   G.nodes[w[1]]["label_zh"], w[1]))
        lanes = max(1, min(8, math.ceil(len(wanted) * ROW / height)))
        last = [-math.inf] * lanes
        bottom = max((y for _, y in pos.values()), default=-ROW)
        for desired, n in wanted:
            if desired == math.inf:  # linked to nothing placed: below the rest
                desired = bottom + ROW
            lane = min(range(lanes), key=lambda i: (max(desired, last[i] + ROW), i))
            y = max(desired, last[lane] + ROW)
            last[lane] = y
            bottom = max(bottom, y)
            pos[n] = (x + lane * CELL, y)
        x += lanes * CELL
    return pos


TREE_PARTS = frozenset({"task-area", "measure", "review-area"})
_SERVES = ("statesTarget", "contributesTo")


def accountability_nodes(G: nx.MultiDiGraph) -> set[str]:
    """The accountability tree: targets a task area, measure or review area serves (stated or
    inferred), those parts, and the parts above them. Sections and the appendix, which state
    every target at once, are left out: they say what was promised, not whose task it is."""
    tree: set[str] = set()
    for s, o, key in G.edges(keys=True):
        if key in _SERVES and G.nodes[s]["type"] in TREE_PARTS \
                and G.nodes[o]["type"] == "target":
            tree |= {s, o}
    parent = _tree_parents(G)
    for node in list(tree):
        seen = {node}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
            tree.add(node)
    return tree


def _tree_parents(G: nx.MultiDiGraph) -> dict[str, str]:
    parent: dict[str, str] = {}
    for s, o, key in G.edges(keys=True):
        if key == "partOf" and G.nodes[s]["type"] in TREE_PARTS \
                and G.nodes[o]["type"] in TREE_PARTS and s not in parent:
            parent[s] = o
    return parent


TREE_ROW = 46.0
TREE_COLUMN = 230.0


def _tree_structure(G: nx.MultiDiGraph) -> tuple[dict[str | None, list[str]],
                                                  dict[str, list[str]],
                                                  Callable[[str], tuple[Any, ...]]]:
    """The accountability tree's parts by parent (``None``: the roots), the targets each part
    serves (stated links first), and the reading order of roots."""
    tree = accountability_nodes(G)
    parent = _tree_parents(G)
    children: dict[str | None, list[str]] = defaultdict(list)
    for n in tree:
        if G.nodes[n]["type"] in TREE_PARTS:
            p = parent.get(n)
            children[p if p in tree and not _has_cycle(parent, n) else None].append(n)

    def order(n: str) -> tuple[Any, ...]:
        a = G.nodes[n]
        return (a.get("year", ""), a.get("ordinal", 10**6), a["label_zh"], n)

    served: dict[str, list[str]] = defaultdict(list)
    for s, o, key in sorted(G.edges(keys=True), key=lambda e: (e[2] != "statesTarget", e)):
        if key in _SERVES and s in tree and o in tree and G.nodes[o]["type"] == "target":
            served[s].append(o)
    return children, served, order


def tree_outline(G: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """The accountability tree as an outline: ``(node, depth)`` in reading order (a year's
    areas in report order, each part followed by its sub-parts, then the targets it serves;
    a target served by several parts appears once, under the first). The graph page draws
    it top-down on a phone, where a left-to-right tree cannot be legible at the fitted zoom.
    """
    children, served, order = _tree_structure(G)
    out: list[tuple[str, int]] = []
    placed: set[str] = set()

    def visit(n: str, d: int) -> None:
        out.append((n, d))
        placed.add(n)
        for c in sorted(children[n], key=lambda c: (G.nodes[c].get("ordinal", 10**6),
                                                    G.nodes[c]["label_zh"], c)):
            if c not in placed:
                visit(c, d + 1)
        for t in served[n]:
            if t not in placed:
                placed.add(t)
                out.append((t, d + 1))

    for r in sorted(children[None], key=order):
        visit(r, 0)
    return out


def tree_layout(G: nx.MultiDiGraph, aspect: float = 1.4) -> dict[str, tuple[float, float]]:
    """Task areas → measures → targets, left to right, one block of columns per year.

    Each part's targets sit in the last column beside it (a target served by several parts,
    beside the first in reading order); a year's areas are packed into as many side-by-side
    column blocks as make the year's picture about ``aspect`` times as wide as it is tall, so
    the labels stay legible when the view is fitted to a screen. Nodes outside the tree are
    placed below it by :func:`hierarchical_layout`'s positions.
    """
    children, served, order = _tree_structure(G)
    depth = 0

    def measure(n: str, d: int = 0) -> int:
        nonlocal depth
        depth = max(depth, d)
        return sum(measure(c, d + 1) for c in children[n]) + max(1, len(served[n]))

    roots_by_year: dict[str, list[str]] = defaultdict(list)
    for r in sorted(children[None], key=order):
        roots_by_year[G.nodes[r].get("year", "")].append(r)
    for rs in roots_by_year.values():
        for r in rs:
            measure(r)  # the tree's depth
    block_w = (depth + 2) * TREE_COLUMN
    pos: dict[str, tuple[float, float]] = {}
    placed: set[str] = set()
    y0 = 0.0
    for _year, roots in sorted(roots_by_year.items()):
        # each area's subtree laid out alone first (rows it really takes, a target once)
        local: dict[str, dict[str, tuple[float, float]]] = {}
        height: dict[str, int] = {}
        for r in roots:
            sub: dict[str, tuple[float, float]] = {}
            height[r] = _place_tree(G, r, 0, 0, 0.0, 0.0, children, served, placed, sub, depth)
            local[r] = sub
        total = sum(height.values())
        # blocks side by side: the count whose picture comes closest to the wanted aspect
        k = min(range(1, len(roots) + 1),
                key=lambda k: abs(math.log((k * block_w) / (total / k * TREE_ROW) / aspect)))
        per_block = total / k
        block, row, tallest = 0, 0, 0
        for r in roots:
            if row > 0 and row + height[r] / 2 > per_block and block < k - 1:
                block, row = block + 1, 0
            for n, (x, y) in local[r].items():
                pos[n] = (x + block * block_w, y + y0 + row * TREE_ROW)
            row += height[r]
            tallest = max(tallest, row)
        y0 += (tallest + 2) * TREE_ROW
    # everything else keeps its hierarchical place, below the tree
    rest = hierarchical_layout(G)
    for n, (x, y) in rest.items():
        if n not in pos:
            pos[n] = (x, y + y0)
    return pos


def _place_tree(G: nx.MultiDiGraph, n: str, d: int, row: int, x0: float, y0: float,
                children: Mapping[str | None, list[str]], served: Mapping[str, list[str]],
                placed: set[str], pos: dict[str, tuple[float, float]], depth: int) -> int:
    start = row
    for c in sorted(children[n], key=lambda c: (G.nodes[c].get("ordinal", 10**6),
                                                G.nodes[c]["label_zh"], c)):
        row = _place_tree(G, c, d + 1, row, x0, y0, children, served, placed, pos, depth)
    for t in served[n]:
        if t in placed:
            continue
        placed.add(t)
        pos[t] = (x0 + (depth + 1) * TREE_COLUMN, y0 + row * TREE_ROW)
        row += 1
    if row == start:
        row += 1
    pos[n] = (x0 + d * TREE_COLUMN, y0 + (start + row - 1) / 2 * TREE_ROW)
    return row


def _has_cycle(parent: Mapping[str, str], start: str) -> bool:
    seen = {start}
    node = parent.get(start)
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


def force_layout(G: nx.MultiDiGraph, *, iterations: int | None = None, seed: int = 7,
                 spacing: float = 160.0, gravity: float = 0.01,
                 box_size: float = 2.0) -> dict[str, tuple[float, float]]:
    """A force-directed layout (Fruchterman–Reingold) in plain Python.

    Repulsion is only computed between nodes in neighbouring cells of a grid, so one
    iteration costs about n × (nodes per cell) rather than n²; the number of iterations
    shrinks with the graph (200 for a few hundred nodes, ~25 for 6,000) so the page of any
    graph is written in seconds. It starts from the hierarchical layout squeezed into a
    square, so related nodes start close and few iterations suffice. Deterministic.
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[s], index[o]), max(index[s], index[o]))
                    for s, o in G.edges() if s != o})
    degree = [0] * n
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    # an edge to a hub (the district every target measures, the government committing to all)
    # pulls weakly, so hubs do not drag everything into one knot
    weights = [1.0 / math.sqrt(max(degree[a], degree[b])) for a, b in pairs]
    # report parts are drawn as boxes holding their title: they push harder
    size = [box_size if G.nodes[v].get("type") in TASK_TYPES else 1.0 for v in nodes]
    if iterations is None:
        iterations = max(15, min(200, int(2_500_000 / (20 * n + len(pairs) + 1))))
    k = spacing
    side = k * math.sqrt(n) * 1.2
    rng = random.Random(seed)
    start = hierarchical_layout(G)
    xs0 = [start[v][0] for v in nodes]
    ys0 = [start[v][1] for v in nodes]
    w = (max(xs0) - min(xs0)) or 1.0
    h = (max(ys0) - min(ys0)) or 1.0
    xs = [(x - min(xs0)) / w * side - side / 2 + rng.uniform(-k, k) / 4 for x in xs0]
    ys = [(y - min(ys0)) / h * side - side / 2 + rng.uniform(-k, k) / 4 for y in ys0]
    cell = 2.0 * k
    cutoff2 = cell * cell
    k2 = k * k
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), members in grid.items():
            others: list[int] = []
            for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):  # each cell pair once
                if (ox, oy) != (0, 0):
                    others.extend(grid.get((cx + ox, cy + oy), ()))
            for a_pos, a in enumerate(members):
                xa, ya = xs[a], ys[a]
                for b in (*members[a_pos + 1:], *others):
                    ddx = xa - xs[b]
                    ddy = ya - ys[b]
                    d2 = ddx * ddx + ddy * ddy
                    if d2 >= cutoff2:
                        continue
                    if d2 < 1e-6:
                        ddx, ddy, d2 = rng.uniform(-1, 1), rng.uniform(-1, 1), 1.0
                    f = k2 * size[a] * size[b] / d2
                    dx[a] += ddx * f
                    dy[a] += ddy * f
                    dx[b] -= ddx * f
                    dy[b] -= ddy * f
        for (a, b), weight in zip(pairs, weights, strict=True):
            ddx = xs[a] - xs[b]
            ddy = ys[a] - ys[b]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 1e-3
            f = d / k * weight
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):
            ddx = dx[i] - gravity * xs[i]
            ddy = dy[i] - gravity * ys[i]
            d = math.sqrt(ddx * ddx + ddy * ddy)
            if d > temperature:
                ddx, ddy = ddx / d * temperature, ddy / d * temperature
            xs[i] += ddx
            ys[i] += ddy
        temperature = max(temperature - cooling, k / 20)
    boxes = [G.nodes[v].get("type") in TASK_TYPES for v in nodes]
    _remove_overlaps(xs, ys, [105.0 if b else 80.0 for b in boxes],
                     [26.0 if b else 22.0 for b in boxes])
    return {node: (round(xs[i], 1), round(ys[i], 1)) for i, node in enumerate(nodes)}


def _remove_overlaps(xs: list[float], ys: list[float], half_w: list[float],
                     half_h: list[float], rounds: int = 12) -> None:
    """Push apart nodes whose drawings (a box, or a shape with its label under it) overlap,
    along the axis where they overlap least. Grid-bucketed like the force layout; the
    force layout's picture is kept, only collisions move."""
    n = len(xs)
    cell = 2 * max(max(half_w, default=1.0), max(half_h, default=1.0))
    for _ in range(rounds):
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        moved = False
        for (cx, cy), members in grid.items():
            others: list[int] = []
            for ox, oy in ((1, 0), (-1, 1), (0, 1), (1, 1)):
                others.extend(grid.get((cx + ox, cy + oy), ()))
            for a_pos, a in enumerate(members):
                for b in (*members[a_pos + 1:], *others):
                    ox_ = half_w[a] + half_w[b] - abs(xs[a] - xs[b])
                    oy_ = half_h[a] + half_h[b] - abs(ys[a] - ys[b])
                    if ox_ <= 0 or oy_ <= 0:
                        continue
                    moved = True
                    if ox_ < oy_:
                        step = ox_ / 2 + 0.5
                        sign = 1.0 if xs[a] >= xs[b] else -1.0
                        xs[a] += sign * step
                        xs[b] -= sign * step
                    else:
                        step = oy_ / 2 + 0.5
                        sign = 1.0 if ys[a] >= ys[b] else -1.0
                        ys[a] += sign * step
                        ys[b] -= sign * step
        if not moved:
            return

