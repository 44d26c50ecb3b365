"""The structure diagram draws a partnership's boards as linked boxes and its reporting lines."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preventhub.partnership.diagram import (
    ARROW_LENGTH,
    DESCRIPTION,
    BoardNode,
    Box,
    layout,
    structure_svg,
)

SVG = "http://www.w3.org/2000/svg"
NS = {"svg": SVG}

CONTEST, PREVENT, STRATEGY_GROUP, CHANNEL = 1, 2, 3, 4
DISTRICTS = [
    "Cannock Chase",
    "East Staffordshire",
    "Lichfield",
    "Newcastle-under-Lyme",
    "South Staffordshire",
    "Stafford",
    "Staffordshire Moorlands",
    "Tamworth",
]
CSPS = list(range(10, 10 + len(DISTRICTS)))


def board(
    key: int,
    name: str | None = None,
    *,
    reports_to: int | None = None,
    updates: tuple[int, ...] = (),
    kind: str = "Board",
) -> BoardNode:
    return BoardNode(
        key=key,
        name=name or f"Board {key}",
        kind_label=kind,
        href=f"/partnership/boards/{key}/",
        reports_to=reports_to,
        updates=updates,
    )


def staffordshire() -> list[BoardNode]:
    return [
        board(CONTEST, "Staffordshire Contest Board", kind="Contest Board"),
        board(
            PREVENT,
            "Staffordshire Prevent Board",
            reports_to=CONTEST,
            updates=(STRATEGY_GROUP,),
            kind="Prevent Board",
        ),
        board(STRATEGY_GROUP, "Safer and Stronger Communities Strategy Group", kind="Group"),
        board(CHANNEL, "Staffordshire Channel Panel", reports_to=PREVENT, kind="Channel Panel"),
        *(
            board(
                key,
                f"{district} Community Safety Partnership",
                updates=(PREVENT,),
                kind="Community Safety Partnership",
            )
            for key, district in zip(CSPS, DISTRICTS, strict=True)
        ),
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


def group(root: ET.Element, name: str) -> ET.Element:
    found = root.find(f"svg:g[@class='app-structure-diagram__{name}']", NS)
    assert found is not None, f"no {name} group"
    return found


@dataclass(frozen=True)
class Line:
    points: list[tuple[float, float]]
    dashed: bool
    arrowheads: int


def lines(svg: str) -> list[Line]:
    """The lines between boards (not the legend's), with their points and look."""
    found = []
    for path in group(parse(svg), "lines").iter(tag("path")):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        found.append(
            Line(
                points=list(zip(numbers[::2], numbers[1::2], strict=True)),
                dashed=path.get("stroke-dasharray") is not None,
                arrowheads=sum(path.get(end) is not None for end in ("marker-start", "marker-end")),
            )
        )
    return found


def links(svg: str) -> dict[str, ET.Element]:
    return {link.get("href", ""): link for link in parse(svg).iter(tag("a"))}


def finishes_quickly(work: Callable[[], object], seconds: float = 5) -> object:
    """Run work in a thread that cannot keep the test run alive, failing if it takes too long."""
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} seconds"
    assert outcome, "raised an exception (see the thread's traceback above)"
    return outcome[0]


def rows_of(boxes: dict[int, Box]) -> dict[int, list[Box]]:
    rows: dict[int, list[Box]] = {}
    for box in boxes.values():
        rows.setdefault(box.row, []).append(box)
    return rows


def view_box(svg: str) -> tuple[float, float]:
    _, _, width, height = (float(n) for n in parse(svg).get("viewBox", "").split())
    return width, height


def segment_points(line: Line) -> Iterator[tuple[float, float]]:
    """Points one unit apart along every segment of a line."""
    for (x1, y1), (x2, y2) in zip(line.points, line.points[1:], strict=False):
        steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1))))
        for step in range(steps + 1):
            yield x1 + (x2 - x1) * step / steps, y1 + (y2 - y1) * step / steps


def inside(box: Box, x: float, y: float, margin: float = 1) -> bool:
    return box.x + margin < x < box.right - margin and box.y + margin < y < box.bottom - margin


class TestLevels:
    def test_a_board_sits_one_level_below_the_board_it_reports_to(self) -> None:
        boxes = layout([board(1), board(2, reports_to=1), board(3, reports_to=2)])
        assert [boxes[key].level for key in (1, 2, 3)] == [0, 1, 2]
        assert boxes[1].bottom < boxes[2].y
        assert boxes[2].bottom < boxes[3].y

    def test_boards_at_the_same_level_share_a_row(self) -> None:
        boxes = layout([board(1), board(2, reports_to=1), board(3, reports_to=1)])
        assert boxes[2].y == boxes[3].y
        assert boxes[2].right < boxes[3].x

    def test_a_single_child_sits_right_under_its_parent(self) -> None:
        boxes = layout([board(1), board(2), board(3, reports_to=1), board(4, reports_to=2)])
        assert boxes[3].centre_x == boxes[1].centre_x
        assert boxes[4].centre_x == boxes[2].centre_x

    def test_children_are_ordered_by_their_parent_before_their_name(self) -> None:
        boxes = layout(
            [
                board(1, "A parent"),
                board(2, "B parent"),
                board(3, "Z child of A", reports_to=1),
                board(4, "A child of B", reports_to=2),
            ]
        )
        assert boxes[1].x < boxes[2].x
        assert boxes[3].x < boxes[4].x

    def test_siblings_are_ordered_by_name(self) -> None:
        boxes = layout(
            [board(1), board(2, "Walsall", reports_to=1), board(3, "Dudley", reports_to=1)]
        )
        assert boxes[3].x < boxes[2].x

    def test_boards_outside_the_reporting_tree_are_drawn_beneath_it(self) -> None:
        boxes = layout([board(1, "Zeta"), board(2, reports_to=1), board(3, "Alpha")])
        assert boxes[3].level == 0
        assert boxes[3].y > boxes[2].bottom

    def test_a_level_of_eight_boards_wraps_onto_two_rows_of_four(self) -> None:
        boxes = layout([board(1), *(board(key, reports_to=1) for key in range(10, 18))])
        rows = rows_of({key: box for key, box in boxes.items() if box.level == 1})
        assert sorted(len(row) for row in rows.values()) == [4, 4]
        width, _ = view_box(structure_svg([board(1)]))
        assert all(0 <= box.x and box.right <= width for box in boxes.values())

    def test_a_level_of_five_boards_wraps_onto_balanced_rows(self) -> None:
        boxes = layout([board(1), *(board(key, reports_to=1) for key in range(10, 15))])
        rows = rows_of({key: box for key, box in boxes.items() if box.level == 1})
        assert sorted(len(row) for row in rows.values()) == [2, 3]

    def test_eight_boards_with_no_reporting_lines_fit_on_two_rows(self) -> None:
        only_updating = [board(key, updates=(2,)) for key in range(10, 18)]
        boxes = layout([board(1), board(2, reports_to=1), *only_updating])
        band = rows_of({key: boxes[key] for key in range(10, 18)})
        assert [len(row) for row in band.values()] == [4, 4]
        assert min(box.y for box in boxes.values() if box.key >= 10) > boxes[2].bottom

    def test_no_boxes_overlap(self) -> None:
        boxes = list(layout(staffordshire()).values())
        for first, second in zip(boxes, boxes[1:], strict=False):
            if first.row == second.row:
                assert first.right < second.x

    def test_a_board_listed_twice_is_drawn_once_as_first_listed(self) -> None:
        svg = structure_svg([board(1, "First"), board(1, "Second")])
        assert list(links(svg)) == ["/partnership/boards/1/"]
        assert "Second" not in svg


class TestBadReportingLines:
    def test_a_cycle_does_not_hang_and_the_board_closing_it_becomes_a_root(self) -> None:
        nodes = [board(1, reports_to=2), board(2, reports_to=3), board(3, reports_to=1)]
        boxes = finishes_quickly(lambda: layout(nodes))
        assert isinstance(boxes, dict)
        # Walking up from board 1: 1 -> 2 -> 3, and 3's line back to 1 closes the cycle.
        assert {key: box.level for key, box in boxes.items()} == {3: 0, 2: 1, 1: 2}

    def test_a_cycle_is_still_drawn_with_every_reporting_line(self) -> None:
        nodes = [board(1, reports_to=2), board(2, reports_to=1, updates=(1,))]
        svg = finishes_quickly(lambda: structure_svg(nodes))
        assert isinstance(svg, str)
        assert [line.dashed for line in lines(svg)] == [False, False]

    def test_a_board_reporting_to_an_unknown_board_is_a_root(self) -> None:
        boxes = layout([board(1, reports_to=99), board(2, reports_to=1)])
        assert boxes[1].level == 0
        assert boxes[2].level == 1

    def test_lines_to_unknown_boards_are_left_out(self) -> None:
        svg = structure_svg([board(1, reports_to=99, updates=(98, 1))])
        assert lines(svg) == []
        parse(svg)

    def test_a_board_reporting_to_itself_is_a_root(self) -> None:
        boxes = layout([board(1, reports_to=1)])
        assert boxes[1].level == 0


class TestLines:
    def test_each_reporting_line_is_a_solid_arrow_and_each_update_a_dashed_one(self) -> None:
        svg = structure_svg([board(1), board(2, reports_to=1), board(3, updates=(1, 2))])
        drawn = lines(svg)
        assert sum(not line.dashed for line in drawn) == 1
        assert sum(line.dashed for line in drawn) == 2
        assert all(line.arrowheads == 1 for line in drawn)

    def test_a_reporting_line_runs_from_the_childs_top_to_the_parents_bottom(self) -> None:
        nodes = [board(1), board(2, reports_to=1)]
        boxes = layout(nodes)
        (line,) = lines(structure_svg(nodes))
        # Drawn from the arrowhead's base, ARROW_LENGTH short of the parent it points at.
        (x, y), (end_x, end_y) = line.points[0], line.points[-1]
        assert (x, y - ARROW_LENGTH) == (boxes[1].centre_x, boxes[1].bottom)
        assert (end_x, end_y) == (boxes[2].centre_x, boxes[2].y)

    def test_boards_that_update_each_other_get_one_line_with_two_arrowheads(self) -> None:
        (line,) = lines(structure_svg([board(1, updates=(2,)), board(2, updates=(1,))]))
        assert line.dashed
        assert line.arrowheads == 2

    def test_a_board_that_reports_to_and_updates_another_gets_only_the_solid_line(self) -> None:
        (line,) = lines(structure_svg([board(1), board(2, reports_to=1, updates=(1,))]))
        assert not line.dashed

    def test_lines_never_pass_through_a_box(self) -> None:
        nodes = staffordshire()
        boxes = layout(nodes)
        for line in lines(structure_svg(nodes)):
            for x, y in segment_points(line):
                assert not any(inside(box, x, y) for box in boxes.values()), (x, y)

    def test_the_legend_shows_a_solid_and_a_dashed_arrow(self) -> None:
        legend = group(parse(structure_svg([board(1)])), "legend")
        paths = legend.findall("svg:path", NS)
        assert [path.get("stroke-dasharray") is not None for path in paths] == [False, True]
        assert [text.text for text in legend.iter(tag("text"))] == ["Reports to", "Updates"]


class TestMarkup:
    def test_the_output_is_well_formed_svg(self) -> None:
        root = parse(structure_svg(staffordshire()))
        assert root.tag == tag("svg")
        assert root.get("width") == "100%"

    def test_names_with_markup_characters_are_escaped(self) -> None:
        name = "Drugs & Alcohol <Partnership> \"Board\" 'One'"
        node = BoardNode(1, name, "Kind & <sort>", "/boards/?a=1&b=2", None, ())
        svg = structure_svg([node], title="Boards & <lines>")
        link = links(svg)["/boards/?a=1&b=2"]
        assert link.findtext("svg:title", namespaces=NS) == name
        assert link.findtext("svg:desc", namespaces=NS) == "Kind & <sort>"
        assert parse(svg).findtext("svg:title", namespaces=NS) == "Boards & <lines>"
        assert "<Partnership>" not in svg

    def test_characters_xml_cannot_carry_are_dropped(self) -> None:
        svg = structure_svg([board(1, "Bad\x00 \x1bname")])
        assert links(svg)["/partnership/boards/1/"].findtext("svg:title", namespaces=NS) == (
            "Bad name"
        )

    def test_nothing_is_styled_inline(self) -> None:
        root = parse(structure_svg(staffordshire()))
        assert root.find(".//svg:style", NS) is None
        assert [element.tag for element in root.iter() if "style" in element.attrib] == []

    def test_every_box_is_a_link_with_its_href_and_full_name(self) -> None:
        nodes = staffordshire()
        found = links(structure_svg(nodes))
        assert set(found) == {node.href for node in nodes}
        for node in nodes:
            link = found[node.href]
            assert link.findtext("svg:title", namespaces=NS) == node.name
            assert link.find("svg:rect", NS) is not None

    def test_drawn_text_is_hidden_from_assistive_technology_as_the_title_names_the_link(
        self,
    ) -> None:
        link = links(structure_svg([board(1)]))["/partnership/boards/1/"]
        texts = link.findall("svg:text", NS)
        assert texts
        assert all(text.get("aria-hidden") == "true" for text in texts)

    def test_long_names_wrap_onto_three_lines_and_are_cut_short_with_an_ellipsis(self) -> None:
        name = "Staffordshire and Stoke-on-Trent Joint Prevent and Channel Partnership Board"
        link = links(structure_svg([board(1, name)]))["/partnership/boards/1/"]
        name_text = link.find("svg:text", NS)
        assert name_text is not None
        drawn = [span.text or "" for span in name_text.findall("svg:tspan", NS)]
        assert len(drawn) == 3
        assert all(len(line) <= 22 for line in drawn)
        assert drawn[-1].endswith("…")
        assert link.findtext("svg:title", namespaces=NS) == name

    def test_colours_come_from_the_govuk_palette(self) -> None:
        link = links(structure_svg([board(1, reports_to=None)]))["/partnership/boards/1/"]
        rect = link.find("svg:rect", NS)
        assert rect is not None
        assert (rect.get("fill"), rect.get("stroke")) == ("#ffffff", "#0b0c0c")
        name_text, kind_text = link.findall("svg:text", NS)
        assert (name_text.get("fill"), kind_text.get("fill")) == ("#0b0c0c", "#505a5f")
        drawn = structure_svg([board(1), board(2, reports_to=1), board(3, updates=(1,))])
        strokes = {line.get("stroke") for line in group(parse(drawn), "lines")}
        assert strokes == {"#0b0c0c", "#1d70b8"}

    def test_the_drawing_is_a_group_named_by_its_title_and_described_by_its_desc(self) -> None:
        root = parse(structure_svg([board(1)], title="Our boards", id_prefix="boards"))
        assert root.get("role") == "group"
        title = root.find(f"svg:title[@id='{root.get('aria-labelledby')}']", NS)
        desc = root.find(f"svg:desc[@id='{root.get('aria-describedby')}']", NS)
        assert title is not None and title.text == "Our boards"
        assert desc is not None and desc.text == DESCRIPTION

    def test_ids_start_with_the_prefix_and_every_reference_resolves(self) -> None:
        svg = structure_svg(staffordshire(), id_prefix="county")
        root = parse(svg)
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        assert ids and all(str(id_).startswith("county-") for id_ in ids)
        references = set(re.findall(r"url\(#([^)]+)\)", svg))
        references |= {root.get("aria-labelledby"), root.get("aria-describedby")}
        assert references <= ids

    def test_two_diagrams_on_one_page_can_have_different_ids(self) -> None:
        def ids(svg: str) -> set[str]:
            return {str(element.get("id")) for element in parse(svg).iter() if element.get("id")}

        nodes = staffordshire()
        assert not ids(structure_svg(nodes, id_prefix="a")) & ids(
            structure_svg(nodes, id_prefix="b")
        )

    def test_an_id_prefix_that_would_break_the_markup_is_refused(self) -> None:
        try:
            structure_svg([board(1)], id_prefix='x" onload="alert(1)')
        except ValueError:
            return
        raise AssertionError("expected a ValueError")

    def test_the_same_boards_always_give_the_same_drawing_in_any_order(self) -> None:
        nodes = staffordshire()
        assert structure_svg(nodes) == structure_svg(nodes)
        assert structure_svg(nodes) == structure_svg(list(reversed(nodes)))

    def test_no_boards_gives_a_titled_drawing_saying_so(self) -> None:
        root = parse(structure_svg([]))
        assert root.findtext("svg:title", namespaces=NS) == "How the partnership's boards report"
        assert [text.text for text in root.iter(tag("text"))] == ["No boards yet."]
        assert layout([]) == {}


class TestStaffordshire:
    def test_the_contest_prevent_and_channel_boards_stack_in_that_order(self) -> None:
        boxes = layout(staffordshire())
        assert [boxes[key].level for key in (CONTEST, PREVENT, CHANNEL)] == [0, 1, 2]
        assert boxes[CONTEST].bottom < boxes[PREVENT].y < boxes[CHANNEL].y
        assert boxes[CONTEST].centre_x == boxes[PREVENT].centre_x == boxes[CHANNEL].centre_x

    def test_the_district_partnerships_and_strategy_group_sit_beneath_on_wrapped_rows(
        self,
    ) -> None:
        boxes = layout(staffordshire())
        beneath = [boxes[key] for key in [*CSPS, STRATEGY_GROUP]]
        assert all(box.y > boxes[CHANNEL].bottom for box in beneath)
        assert all(len(row) <= 4 for row in rows_of(boxes).values())

    def test_two_solid_arrows_and_nine_dashed_ones_are_drawn(self) -> None:
        drawn = lines(structure_svg(staffordshire()))
        assert sum(not line.dashed for line in drawn) == 2
        assert sum(line.dashed for line in drawn) == 1 + len(CSPS)

    def test_the_district_partnerships_share_one_arrowhead_into_the_prevent_board(
        self,
    ) -> None:
        nodes = staffordshire()
        boxes = layout(nodes)
        into_prevent = {
            line.points[0]
            for line in lines(structure_svg(nodes))
            if line.dashed and line.points[0][1] == boxes[PREVENT].bottom + ARROW_LENGTH
        }
        assert len(into_prevent) == 1


boards_strategy = st.integers(min_value=1, max_value=14).flatmap(
    lambda count: st.lists(
        st.builds(
            board,
            st.integers(min_value=1, max_value=count),
            st.sampled_from(["Alpha", "Beta & Co", "Gamma <G>", "Delta", None]),
            reports_to=st.none() | st.integers(min_value=0, max_value=count + 1),
            updates=st.lists(st.integers(min_value=0, max_value=count + 1), max_size=3).map(tuple),
        ),
        min_size=1,
        max_size=count,
        unique_by=lambda node: node.key,
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards_strategy)
def test_any_structure_draws_well_formed_with_no_line_through_a_box(
    nodes: list[BoardNode],
) -> None:
    svg = structure_svg(nodes)
    root = parse(svg)
    boxes = layout(nodes)
    width, height = view_box(svg)
    assert len(root.findall("svg:a", NS)) == len(boxes) == len({node.key for node in nodes})
    for box in boxes.values():
        assert 0 <= box.x and box.right <= width and box.bottom <= height
    for line in lines(svg):
        for x, y in segment_points(line):
            assert 0 <= x <= width and 0 <= y <= height
            assert not any(inside(box, x, y) for box in boxes.values()), (x, y)
    assert structure_svg(list(reversed(nodes))) == svg
