"""A server-side SVG drawing of how a Prevent partnership's boards report to one another.

Pure Python and the standard library only, so that it can be tested without a database and
rendered into any template: the view turns ``Board`` rows into ``BoardNode`` values and marks the
returned string safe. Everything is drawn with presentation attributes, never ``style``, because
the site's Content Security Policy forbids inline styles.

Layout: every board in the reporting tree is drawn at its depth in it, roots at the top. Boards
that report to nobody and have nobody reporting to them ("detached" boards, such as Community
Safety Partnerships that only keep the Prevent Board informed) come in a band of their own
beneath the tree. A level or band of more than four boards wraps onto balanced rows.

Lines: drawn at right angles through the gaps between boxes, never through one. The lines of one
kind that arrive at the same side of the same board share a trunk and an arrowhead, as on an
organisation chart, instead of eight separate lines converging on one box. Lines of different
groups keep apart, until a full row has no gap left to pass through; then they share one.

The class names (``app-structure-diagram``, ``__board``, ``__lines``, ``__legend``) are hooks
for the site's stylesheet, for example to give the links the GOV.UK focus style.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = [
    "DEFAULT_TITLE",
    "DESCRIPTION",
    "BoardNode",
    "Box",
    "layout",
    "structure_svg",
]

DEFAULT_TITLE = "How the partnership's boards report"
DESCRIPTION = (
    "Solid arrows show which board each board reports to; dashed arrows show which boards it "
    "updates. The same structure is listed in the text below."
)
EMPTY_TEXT = "No boards yet."

BOX_WIDTH = 208
BOX_HEIGHT = 88
COLUMN_GAP = 32
ROW_GAP = 56
MARGIN = 12
MAX_PER_ROW = 4
# Every diagram gets the width of a full row, so that width="100%" draws text at the same size
# in every diagram and never blows a small one up: max-width would need CSS, which the CSP bars.
VIEW_WIDTH = MAX_PER_ROW * BOX_WIDTH + (MAX_PER_ROW - 1) * COLUMN_GAP + 2 * MARGIN
CENTRE_X = VIEW_WIDTH // 2

NAME_CHARS = 22
NAME_LINES = 3
KIND_CHARS = 30
NAME_FONT_SIZE = 14
KIND_FONT_SIZE = 12
LINE_HEIGHT = 18
# From the top of an 18-unit line to the baseline of 12 to 14 unit Arial text within it.
BASELINE = 14
FONT_FAMILY = "Arial, sans-serif"

# GOV.UK colour palette.
BLACK = "#0b0c0c"
WHITE = "#ffffff"
SECONDARY_TEXT = "#505a5f"
BLUE = "#1d70b8"

STROKE_WIDTH = 2
DASHES = "6 4"
ARROW_LENGTH = 10
# Parallel lines keep this far apart, and from the sides of boxes they pass.
LANE_STEP = 8
# Ports keep this far from a box's corners, and this far apart when they can.
PORT_INSET = 16
PORT_SPACING = 16
# A horizontal run keeps this far from the boxes above and below, leaving room for an arrowhead.
LANE_CLEARANCE = 14
LEGEND_HEIGHT = 20

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

REPORTS = "reports"
UPDATES = "updates"


@dataclass(frozen=True)
class BoardNode:
    """A board as the diagram needs it: no model instances, so this module stays pure."""

    key: int
    name: str
    kind_label: str
    href: str
    reports_to: int | None = None
    updates: tuple[int, ...] = ()


@dataclass(frozen=True)
class Box:
    """Where a board's box is drawn, in the SVG's user units (top-left corner and size).

    ``level`` is the board's depth in the "reports to" tree (0 for a root or a detached board);
    ``row`` counts drawn rows from the top, so a wrapped level spans several rows.
    """

    key: int
    level: int
    row: int
    x: int
    y: float
    width: int = BOX_WIDTH
    height: int = BOX_HEIGHT

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class _Point:
    x: float
    y: float


@dataclass(frozen=True)
class _Edge:
    source: int
    target: int
    kind: str
    both_ways: bool = False


@dataclass(frozen=True)
class _Slot:
    """A board's place in the grid before the rows' heights (and so y) are known."""

    key: int
    level: int
    row: int
    x: int

    @property
    def centre_x(self) -> float:
        return self.x + BOX_WIDTH / 2


@dataclass
class _Group:
    """Lines of one kind arriving at one side of one board: drawn as a single trunk."""

    target: int
    kind: str
    side: str
    edges: list[_Edge] = field(default_factory=list)
    trunk: dict[int, int] = field(default_factory=dict)
    lanes: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Plan:
    boxes: dict[int, Box]
    routes: list[tuple[_Edge, list[_Point]]]
    height: float


# Where boxes go ----------------------------------------------------------------------------------


def _by_key(nodes: Iterable[BoardNode]) -> dict[int, BoardNode]:
    boards: dict[int, BoardNode] = {}
    for node in nodes:
        boards.setdefault(node.key, node)
    return boards


def _declared_parent(node: BoardNode, boards: dict[int, BoardNode]) -> int | None:
    parent = node.reports_to
    return parent if parent in boards and parent != node.key else None


def _parents(boards: dict[int, BoardNode]) -> dict[int, int | None]:
    """Each board's parent in the reporting tree, with every cycle cut.

    Walking up from each board in key order, the board whose line would lead back onto the
    path being walked is the one that closes the cycle, and it becomes a root.
    """
    declared = {key: _declared_parent(node, boards) for key, node in boards.items()}
    parents: dict[int, int | None] = {}
    for start in sorted(declared):
        path: list[int] = []
        on_path: set[int] = set()
        key = start
        while key not in parents:
            parent = declared[key]
            if parent is None or parent in on_path:
                parents[key] = None
                break
            path.append(key)
            on_path.add(key)
            key = parent
        for walked in path:
            parents[walked] = declared[walked]
    return parents


def _levels(parents: dict[int, int | None]) -> dict[int, int]:
    levels: dict[int, int] = {}
    for start in sorted(parents):
        chain: list[int] = []
        key = start
        while key not in levels:
            parent = parents[key]
            if parent is None:
                levels[key] = 0
                break
            chain.append(key)
            key = parent
        for walked in reversed(chain):
            parent = parents[walked]
            assert parent is not None
            levels[walked] = levels[parent] + 1
    return levels


def _rows_of(keys: list[int]) -> list[list[int]]:
    """Split one level into balanced rows of at most MAX_PER_ROW (9 boxes: 3, 3, 3)."""
    if not keys:
        return []
    count = math.ceil(len(keys) / MAX_PER_ROW)
    size = math.ceil(len(keys) / count)
    return [keys[start : start + size] for start in range(0, len(keys), size)]


def _span(count: int) -> int:
    return count * BOX_WIDTH + (count - 1) * COLUMN_GAP


def _centred(count: int) -> list[int]:
    start = (VIEW_WIDTH - _span(count)) // 2
    return [start + index * (BOX_WIDTH + COLUMN_GAP) for index in range(count)]


def _spread(desired: list[int]) -> list[int]:
    """Move boxes as little as possible from where they want to be so that none overlap."""
    xs = list(desired)
    for index in range(len(xs)):
        floor = MARGIN if index == 0 else xs[index - 1] + BOX_WIDTH + COLUMN_GAP
        xs[index] = max(xs[index], floor)
    for index in reversed(range(len(xs))):
        last = index == len(xs) - 1
        ceiling = (
            VIEW_WIDTH - MARGIN - BOX_WIDTH if last else xs[index + 1] - BOX_WIDTH - COLUMN_GAP
        )
        xs[index] = min(xs[index], ceiling)
    return xs


def _under_parents(
    keys: list[int], parents: dict[int, int | None], slots: dict[int, _Slot]
) -> list[int]:
    desired: list[int] = []
    for parent, siblings in itertools.groupby(keys, key=lambda key: parents[key]):
        assert parent is not None
        count = len(list(siblings))
        start = round(slots[parent].centre_x - _span(count) / 2)
        desired.extend(start + index * (BOX_WIDTH + COLUMN_GAP) for index in range(count))
    return _spread(desired)


def _slots(boards: dict[int, BoardNode]) -> dict[int, _Slot]:
    parents = _parents(boards)
    levels = _levels(parents)
    with_children = {parent for parent in parents.values() if parent is not None}

    def by_name(key: int) -> tuple[str, int]:
        return (boards[key].name.casefold(), key)

    def under_parent(key: int) -> tuple[float, int, str, int]:
        parent = parents[key]
        assert parent is not None
        return (slots[parent].centre_x, slots[parent].row, *by_name(key))

    in_tree = [key for key in boards if parents[key] is not None or key in with_children]
    detached = sorted((key for key in boards if key not in in_tree), key=by_name)
    slots: dict[int, _Slot] = {}
    row = 0
    for level in range(max((levels[key] for key in in_tree), default=-1) + 1):
        keys = [key for key in in_tree if levels[key] == level]
        # Siblings side by side, families in their parents' order, keeps lines from crossing.
        keys.sort(key=by_name if level == 0 else under_parent)
        for keys_in_row in _rows_of(keys):
            if level == 0:
                xs = _centred(len(keys_in_row))
            else:
                xs = _under_parents(keys_in_row, parents, slots)
            for key, x in zip(keys_in_row, xs, strict=True):
                slots[key] = _Slot(key=key, level=level, row=row, x=x)
            row += 1
    for keys_in_row in _rows_of(detached):
        for key, x in zip(keys_in_row, _centred(len(keys_in_row)), strict=True):
            slots[key] = _Slot(key=key, level=0, row=row, x=x)
        row += 1
    return slots


# Where lines go ----------------------------------------------------------------------------------


def _edges(boards: dict[int, BoardNode]) -> list[_Edge]:
    """Every line to draw: each reporting line, then each "updates" line not already drawn.

    A board that both reports to and updates another gets only the solid line, and two boards
    that update each other get one dashed line with an arrowhead at each end.
    """
    edges: list[_Edge] = []
    reports: set[tuple[int, int]] = set()
    for key in sorted(boards):
        parent = _declared_parent(boards[key], boards)
        if parent is not None:
            edges.append(_Edge(key, parent, REPORTS))
            reports.add((key, parent))
    updates = {
        (key, target)
        for key, node in boards.items()
        for target in node.updates
        if target in boards and target != key and (key, target) not in reports
    }
    for source, target in sorted(updates):
        if (target, source) in updates:
            if source < target:
                edges.append(_Edge(source, target, UPDATES, both_ways=True))
        else:
            edges.append(_Edge(source, target, UPDATES))
    return edges


def _sides(source: _Slot, target: _Slot, rows: dict[int, list[_Slot]]) -> tuple[str, str]:
    """Which side of the target a line arrives at, and which side of the source it leaves."""
    if source.row > target.row:
        return "bottom", "top"
    if source.row < target.row:
        return "top", "bottom"
    neighbours = rows[source.row]
    if abs(neighbours.index(source) - neighbours.index(target)) == 1:
        return ("left", "right") if source.x < target.x else ("right", "left")
    return "bottom", "bottom"


def _groups(
    edges: list[_Edge], slots: dict[int, _Slot], rows: dict[int, list[_Slot]]
) -> list[_Group]:
    groups: dict[tuple[int, str, str, int | None], _Group] = {}
    for edge in edges:
        source, target = slots[edge.source], slots[edge.target]
        side, _ = _sides(source, target, rows)
        # Only lines from other rows, with one arrowhead, can share a trunk.
        alone = edge.both_ways or source.row == target.row
        key = (edge.target, edge.kind, side, edge.source if alone else None)
        groups.setdefault(key, _Group(edge.target, edge.kind, side)).edges.append(edge)
    return list(groups.values())


def _between(row: int, step: int) -> int:
    """The gap between a row and the next one in the direction of step, numbered by the lower."""
    return row + 1 if step > 0 else row


class _Lanes:
    """Places for vertical lines to pass through a row, between its boxes or beside them.

    Every vertical run is registered with the gap between rows it stands in, so that runs of
    different groups keep LANE_STEP apart instead of running along one another.
    """

    def __init__(self, rows: dict[int, list[_Slot]]) -> None:
        self._places: dict[int, list[int]] = {}
        self._runs: dict[int, list[tuple[float, int]]] = {}
        for row, slots in rows.items():
            sides = [side for slot in slots for side in (slot.x, slot.x + BOX_WIDTH)]
            bounds = [0, *sides, VIEW_WIDTH]
            # One grid for every row, so that a line crossing several rows can run straight,
            # centred on the middle of the drawing, where centred boxes have their middle ports.
            self._places[row] = [
                CENTRE_X + step * LANE_STEP
                for left, right in zip(bounds[::2], bounds[1::2], strict=True)
                for step in range(
                    math.ceil((left + LANE_STEP - CENTRE_X) / LANE_STEP),
                    math.floor((right - LANE_STEP - CENTRE_X) / LANE_STEP) + 1,
                )
            ]

    def clear(self, gap: int, x: float, group: int) -> bool:
        return all(
            owner == group or abs(x - other) >= LANE_STEP
            for other, owner in self._runs.get(gap, [])
        )

    def add(self, gap: int, x: float, group: int) -> None:
        self._runs.setdefault(gap, []).append((x, group))

    def take(self, row: int, ideal: float, group: int) -> int:
        places = self._places[row]
        free = [x for x in places if self.clear(row, x, group) and self.clear(row + 1, x, group)]
        # Once a row is full, lines share places rather than cross a box.
        best = min(free or places, key=lambda x: (abs(x - ideal), x))
        self.add(row, best, group)
        self.add(row + 1, best, group)
        return best


def _spaced(desired: list[float], low: float, high: float) -> list[float]:
    """Points as near as may be to where they are wanted, in order, PORT_SPACING apart."""
    if len(desired) == 1:
        return [min(max(desired[0], low), high)]
    spacing = min(PORT_SPACING, (high - low) / (len(desired) - 1))
    points = [min(max(point, low), high) for point in desired]
    for index in range(1, len(points)):
        points[index] = max(points[index], points[index - 1] + spacing)
    points[-1] = min(points[-1], high)
    for index in reversed(range(len(points) - 1)):
        points[index] = min(points[index], points[index + 1] - spacing)
    return points


class _Router:
    """Plans every line once the boxes have their places in the rows.

    First the ports where lines meet boxes and the trunks' places through the rows in between
    (x only), then, with the number of horizontal lanes each gap between rows needs known, the
    gaps' heights, every y, and each line's points.
    """

    def __init__(self, slots: dict[int, _Slot], edges: list[_Edge]) -> None:
        self.slots = slots
        self.rows: dict[int, list[_Slot]] = {}
        for slot in slots.values():
            self.rows.setdefault(slot.row, []).append(slot)
        self.groups = _groups(edges, slots, self.rows)
        self.lanes = _Lanes(self.rows)
        # Where each line end sits along its side: an x on a top or bottom side, a fraction of
        # the height on a left or right one. Keyed (group, index of the line in its group), with
        # index -1 for the point the whole group meets its target at.
        self.along: dict[tuple[int, int], float] = {}
        self.lanes_used: dict[int, int] = {}
        self._place_ports()
        self._place_trunks()
        self.tops: list[float] = []
        for row in range(len(self.rows)):
            above = self.tops[-1] + BOX_HEIGHT + self.gap_height(row) if row else MARGIN
            self.tops.append(above)

    def _source_side(self, edge: _Edge) -> str:
        return _sides(self.slots[edge.source], self.slots[edge.target], self.rows)[1]

    def _place_ports(self) -> None:
        """Each group meets its board at one point and each line leaves its board from its own.

        A port aims straight at the box at the other end when that box is right above or below,
        and otherwise sits mid-side; ports sharing a side are spaced out in the order of their
        aims, reporting lines first.
        """
        wanted: dict[tuple[int, str], list[tuple[float, float, int, int, tuple[int, int]]]] = {}

        def want(key: int, side: str, toward: float, number: int, end: tuple[int, int]) -> None:
            slot = self.slots[key]
            inside = slot.x + PORT_INSET <= toward <= slot.x + BOX_WIDTH - PORT_INSET
            desired = toward if inside else slot.centre_x
            rank = 0 if self.groups[number].kind == REPORTS else 1
            wanted.setdefault((key, side), []).append((desired, toward, rank, number, end))

        for number, group in enumerate(self.groups):
            others = [self.slots[edge.source].centre_x for edge in group.edges]
            want(group.target, group.side, sum(others) / len(others), number, (number, -1))
            for index, edge in enumerate(group.edges):
                toward = self.slots[edge.target].centre_x
                want(edge.source, self._source_side(edge), toward, number, (number, index))

        # Row by row from the top, so that each port can step off the lines already placed.
        for (key, side), requests in sorted(
            wanted.items(), key=lambda item: (self.slots[item[0][0]].row, item[0])
        ):
            requests.sort()
            if side in ("left", "right"):
                for position, request in enumerate(requests, start=1):
                    self.along[request[-1]] = position / (len(requests) + 1)
                continue
            slot = self.slots[key]
            low, high = slot.x + PORT_INSET, slot.x + BOX_WIDTH - PORT_INSET
            xs = _spaced([request[0] for request in requests], low, high)
            gap = slot.row + 1 if side == "bottom" else slot.row
            for x, (*_, number, end) in zip(xs, requests, strict=True):
                moves = (0, LANE_STEP, -LANE_STEP, 2 * LANE_STEP, -2 * LANE_STEP)
                moved = next(
                    (
                        x + move
                        for move in moves
                        if low - PORT_INSET / 2 <= x + move <= high + PORT_INSET / 2
                        and self.lanes.clear(gap, x + move, number)
                    ),
                    x,
                )
                self.along[end] = moved
                self.lanes.add(gap, moved, number)

    def _path_through(self, group: _Group, farthest: int) -> tuple[list[int], list[int]]:
        """The rows a group's lines cross to reach a row, and the gaps they run along."""
        target = self.slots[group.target].row
        if farthest == target:
            return [], [target + 1]
        step = 1 if farthest > target else -1
        crossed = list(range(target + step, farthest, step))
        return crossed, [_between(row, step) for row in [target, *crossed]]

    def _place_trunks(self) -> None:
        for number, group in enumerate(self.groups):
            if group.side in ("left", "right"):
                continue
            target = self.slots[group.target].row
            farthest = max(
                (self.slots[edge.source].row for edge in group.edges),
                key=lambda row: abs(row - target),
            )
            crossed, gaps = self._path_through(group, farthest)
            x = self.along[(number, -1)]
            for row in crossed:
                x = group.trunk[row] = self.lanes.take(row, x, number)
            for gap in gaps:
                group.lanes[gap] = self.lanes_used.get(gap, 0)
                self.lanes_used[gap] = group.lanes[gap] + 1

    def gap_height(self, gap: int) -> float:
        """The height of the gap above a row (or, past the last row, below it)."""
        count = self.lanes_used.get(gap, 0)
        needed = 2 * LANE_CLEARANCE + (count - 1) * LANE_STEP if count else 0
        return max(ROW_GAP if gap < len(self.rows) else 2 * LANE_CLEARANCE, needed)

    def _lane_y(self, group: _Group, gap: int) -> float:
        count, height = self.lanes_used[gap], self.gap_height(gap)
        if gap < len(self.tops):
            top = self.tops[gap] - height
        else:
            top = self.tops[-1] + BOX_HEIGHT
        if count == 1:
            return top + height / 2
        spacing = (height - 2 * LANE_CLEARANCE) / (count - 1)
        return top + LANE_CLEARANCE + group.lanes[gap] * spacing

    def boxes(self) -> dict[int, Box]:
        ordered = sorted(self.slots.values(), key=lambda slot: (slot.row, slot.x))
        return {
            slot.key: Box(
                key=slot.key, level=slot.level, row=slot.row, x=slot.x, y=self.tops[slot.row]
            )
            for slot in ordered
        }

    def routes(self, boxes: dict[int, Box]) -> list[tuple[_Edge, list[_Point]]]:
        """Each line's points, starting at the board it points at (see _markers)."""

        def port(key: int, side: str, at: float) -> _Point:
            box = boxes[key]
            if side == "top":
                return _Point(at, box.y)
            if side == "bottom":
                return _Point(at, box.bottom)
            y = box.y + box.height * at
            return _Point(box.x if side == "left" else box.right, y)

        routes: list[tuple[_Edge, list[_Point]]] = []
        for number, group in enumerate(self.groups):
            start = port(group.target, group.side, self.along[(number, -1)])
            for index, edge in enumerate(group.edges):
                end = port(edge.source, self._source_side(edge), self.along[(number, index)])
                points = [start]
                if group.side not in ("left", "right"):
                    crossed, gaps = self._path_through(group, self.slots[edge.source].row)
                    points.append(_Point(start.x, self._lane_y(group, gaps[0])))
                    for row, before, after in zip(crossed, gaps, gaps[1:], strict=False):
                        x = group.trunk[row]
                        points.append(_Point(x, self._lane_y(group, before)))
                        points.append(_Point(x, self._lane_y(group, after)))
                    points.append(_Point(end.x, self._lane_y(group, gaps[-1])))
                points.append(end)
                distinct = [
                    point
                    for previous, point in itertools.pairwise([None, *points])
                    if point != previous
                ]
                routes.append((edge, distinct))
        return routes


def _plan(nodes: Sequence[BoardNode]) -> _Plan:
    boards = _by_key(nodes)
    router = _Router(_slots(boards), _edges(boards))
    boxes = router.boxes()
    last = max(boxes.values(), key=lambda box: box.bottom)
    height = last.bottom + router.gap_height(len(router.rows)) + LEGEND_HEIGHT + MARGIN
    return _Plan(boxes=boxes, routes=router.routes(boxes), height=height)


def layout(nodes: Sequence[BoardNode]) -> dict[int, Box]:
    """Place every board's box: reporting tree by level from the top, detached boards beneath.

    Boxes are returned in drawing order (row by row, left to right). A board listed twice is
    drawn once, as first listed; lines to boards that are not listed are ignored.
    """
    return _plan(nodes).boxes if nodes else {}


# Drawing -----------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(_NOT_XML.sub("", text).split())


def _attr(value: str) -> str:
    return escape(_NOT_XML.sub("", value), {'"': "&quot;"})


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _name_lines(name: str) -> list[str]:
    return textwrap.wrap(name, width=NAME_CHARS, max_lines=NAME_LINES, placeholder="…") or [""]


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pulled_back(tip: _Point, towards: _Point) -> _Point:
    """The point ARROW_LENGTH back from a tip, where the arrowhead's base sits."""
    dx, dy = towards.x - tip.x, towards.y - tip.y
    length = math.hypot(dx, dy)
    if length <= ARROW_LENGTH:
        return tip
    return _Point(tip.x + dx * ARROW_LENGTH / length, tip.y + dy * ARROW_LENGTH / length)


def _markers(prefix: str) -> str:
    def marker(name: str, colour: str, path: str, ref_x: int) -> str:
        return (
            f'<marker id="{prefix}-{name}" viewBox="0 0 10 10" refX="{ref_x}" refY="5" '
            f'markerWidth="{ARROW_LENGTH}" markerHeight="{ARROW_LENGTH}" '
            f'markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="{path}" fill="{colour}"/></marker>'
        )

    # Lines stop ARROW_LENGTH short of the box and the arrowhead spans the rest, so the line's
    # square end never shows past the point. Lines are drawn from the board they point at, so
    # that lines sharing a trunk share their dash pattern and arrowhead exactly: that arrowhead
    # is the start marker, pointing backwards.
    pointing_back, pointing_on = "M10,0 L0,5 L10,10 z", "M0,0 L10,5 L0,10 z"
    return (
        "<defs>"
        + marker("reports-arrow", BLACK, pointing_back, 10)
        + marker("updates-arrow", BLUE, pointing_back, 10)
        + marker("updates-arrow-end", BLUE, pointing_on, 0)
        + "</defs>"
    )


def _line(points: list[_Point], kind: str, prefix: str, *, both_ways: bool = False) -> str:
    """A line drawn from the board it points at (its first point) back to where it comes from."""
    points = list(points)
    points[0] = _pulled_back(points[0], points[1])
    if both_ways:
        points[-1] = _pulled_back(points[-1], points[-2])
    path = " ".join(
        f"{'M' if index == 0 else 'L'}{_num(point.x)},{_num(point.y)}"
        for index, point in enumerate(points)
    )
    if kind == REPORTS:
        look = f'stroke="{BLACK}" marker-start="url(#{prefix}-reports-arrow)"'
    else:
        look = (
            f'stroke="{BLUE}" stroke-dasharray="{DASHES}" '
            f'marker-start="url(#{prefix}-updates-arrow)"'
        )
        if both_ways:
            look += f' marker-end="url(#{prefix}-updates-arrow-end)"'
    return f'<path d="{path}" fill="none" stroke-width="{STROKE_WIDTH}" {look}/>'


def _board(node: BoardNode, box: Box) -> str:
    name = _clean(node.name) or f"Board {node.key}"
    lines = _name_lines(name)
    kind = _clean(node.kind_label)
    block = LINE_HEIGHT * (len(lines) + (1 if kind else 0))
    top = box.y + (box.height - block) / 2
    centre = _num(box.centre_x)
    spans = "".join(
        f'<tspan x="{centre}" y="{_num(top + LINE_HEIGHT * index + BASELINE)}">'
        f"{escape(line)}</tspan>"
        for index, line in enumerate(lines)
    )
    # The link is named by its <title> (the full name, never cut short) and described by its
    # <desc>; the drawn text would only repeat them, broken into lines, so it is hidden.
    parts = [
        f'<a href="{_attr(node.href)}" class="app-structure-diagram__board">',
        f"<title>{escape(name)}</title>",
        f"<desc>{escape(kind)}</desc>" if kind else "",
        f'<rect x="{box.x}" y="{_num(box.y)}" width="{box.width}" height="{box.height}" '
        f'fill="{WHITE}" stroke="{BLACK}" stroke-width="{STROKE_WIDTH}"/>',
        f'<text aria-hidden="true" text-anchor="middle" font-size="{NAME_FONT_SIZE}" '
        f'font-weight="700" fill="{BLACK}">{spans}</text>',
    ]
    if kind:
        parts.append(
            f'<text aria-hidden="true" x="{centre}" '
            f'y="{_num(top + LINE_HEIGHT * len(lines) + BASELINE)}" text-anchor="middle" '
            f'font-size="{KIND_FONT_SIZE}" fill="{SECONDARY_TEXT}">'
            f"{escape(_shortened(kind, KIND_CHARS))}</text>"
        )
    parts.append("</a>")
    return "".join(parts)


def _legend(top: float, prefix: str) -> str:
    middle = top + LEGEND_HEIGHT / 2
    items = []
    for offset, kind, label in ((0, REPORTS, "Reports to"), (170, UPDATES, "Updates")):
        left = MARGIN + offset
        items.append(_line([_Point(left + 48, middle), _Point(left, middle)], kind, prefix))
        items.append(
            f'<text x="{_num(left + 56)}" y="{_num(middle + 5)}" font-size="{NAME_FONT_SIZE}" '
            f'fill="{BLACK}">{label}</text>'
        )
    # Hidden from assistive technology: the description already says what the lines mean.
    return f'<g class="app-structure-diagram__legend" aria-hidden="true">{"".join(items)}</g>'


def _svg_open(prefix: str, height: float, *, described: bool) -> str:
    # role="group", not role="img": img makes its children presentational, which would hide the
    # boards' links from screen readers while leaving them in the tab order. axe-core agrees:
    # svg-img-alt only checks img and graphics roles, aria-allowed-role allows any role on an
    # <svg>, nested-interactive only checks widget roles with presentational children, and
    # link-name is met by each link's own <title>.
    described_by = f' aria-describedby="{prefix}-desc"' if described else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="group" '
        f'aria-labelledby="{prefix}-title"{described_by} '
        f'viewBox="0 0 {VIEW_WIDTH} {_num(height)}" width="100%" '
        f'font-family="{FONT_FAMILY}" class="app-structure-diagram">'
    )


def structure_svg(
    nodes: Sequence[BoardNode], *, title: str = DEFAULT_TITLE, id_prefix: str = "structure"
) -> str:
    """Return an accessible inline <svg> drawing boxes for boards and arrows for reporting lines.

    ``id_prefix`` starts every id in the drawing; give each diagram on a page its own.
    """
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    heading = f'<title id="{id_prefix}-title">{escape(_clean(title) or DEFAULT_TITLE)}</title>'
    if not nodes:
        return (
            _svg_open(id_prefix, 2 * MARGIN + LINE_HEIGHT, described=False)
            + heading
            + f'<text x="{MARGIN}" y="{MARGIN + BASELINE}" font-size="{NAME_FONT_SIZE}" '
            f'fill="{BLACK}">{EMPTY_TEXT}</text></svg>'
        )

    boards = _by_key(nodes)
    plan = _plan(nodes)
    lines = "".join(
        _line(points, edge.kind, id_prefix, both_ways=edge.both_ways)
        for edge, points in plan.routes
    )
    return "".join(
        [
            _svg_open(id_prefix, plan.height, described=True),
            heading,
            f'<desc id="{id_prefix}-desc">{escape(DESCRIPTION)}</desc>',
            _markers(id_prefix),
            f'<g class="app-structure-diagram__lines" aria-hidden="true">{lines}</g>',
            "".join(_board(boards[key], box) for key, box in plan.boxes.items()),
            _legend(plan.height - MARGIN - LEGEND_HEIGHT, id_prefix),
            "</svg>",
        ]
    )
