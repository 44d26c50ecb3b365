"""Stacked bar charts drawn as SVG: well formed, accessible, proportional and CSP-safe."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preventhub.core.charts import (
    EMPTY_TEXT,
    PLOT_WIDTH,
    Series,
    contrasting_text,
    stacked_bar_svg,
)

SVG = "http://www.w3.org/2000/svg"
NS = {"svg": SVG}

GREEN = Series("Green", "#00703c", [3, 1])
RED = Series("Red", "#d4351c", [1, 0])
BLUE = Series("Complete", "#1d70b8", [2, 6])


def chart(categories: list[str], series: list[Series], **options: str) -> str:
    return stacked_bar_svg(
        categories,
        series,
        title=options.pop("title", "Actions by section"),
        description=options.pop("description", "The table below gives the same figures."),
        **options,
    )


def segments(svg: str) -> list[tuple[str, float, float]]:
    """Each drawn segment: its tooltip, x and width."""
    bars = ET.fromstring(svg).find("svg:g[@class='app-chart__bars']", NS)
    assert bars is not None
    return [
        (rect.findtext("svg:title", namespaces=NS), float(rect.get("x")), float(rect.get("width")))
        for rect in bars.iter(f"{{{SVG}}}rect")
    ]


def texts(svg: str, group: str) -> list[str]:
    found = ET.fromstring(svg).find(f"svg:g[@class='app-chart__{group}']", NS)
    assert found is not None
    return [text.text or "" for text in found.iter(f"{{{SVG}}}text")]


class TestTheDrawing:
    def test_it_is_well_formed_svg_named_by_its_title_and_described(self) -> None:
        root = ET.fromstring(chart(["Safeguarding", "Schools"], [GREEN, RED, BLUE]))
        assert root.tag == f"{{{SVG}}}svg"
        assert root.get("role") == "img"
        title = root.find("svg:title", NS)
        desc = root.find("svg:desc", NS)
        assert title is not None and title.text == "Actions by section"
        assert desc is not None and desc.text == "The table below gives the same figures."
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")

    def test_nothing_is_styled_inline_so_the_content_security_policy_allows_it(self) -> None:
        root = ET.fromstring(chart(["Safeguarding", "Schools"], [GREEN, RED, BLUE]))
        assert all(element.get("style") is None for element in root.iter())
        assert root.find(".//svg:style", NS) is None

    def test_segment_widths_are_proportional_to_their_values_on_one_scale(self) -> None:
        drawn = segments(chart(["Safeguarding", "Schools"], [GREEN, RED, BLUE]))
        widths = {label: width for label, _, width in drawn}
        # Schools has the largest total (7): it spans the plot; one unit is a seventh of it.
        unit = PLOT_WIDTH / 7
        assert widths["Safeguarding, Green: 3"] == pytest.approx(3 * unit, abs=0.01)
        assert widths["Safeguarding, Red: 1"] == pytest.approx(unit, abs=0.01)
        assert widths["Safeguarding, Complete: 2"] == pytest.approx(2 * unit, abs=0.01)
        assert widths["Schools, Green: 1"] == pytest.approx(unit, abs=0.01)
        assert widths["Schools, Complete: 6"] == pytest.approx(6 * unit, abs=0.01)

    def test_segments_follow_one_another_in_the_order_of_the_series(self) -> None:
        drawn = segments(chart(["Safeguarding"], [Series("A", "#00703c", [2]), BLUE_ONE]))
        (_, first_x, first_width), (_, second_x, _) = drawn
        assert second_x == pytest.approx(first_x + first_width, abs=0.01)

    def test_a_zero_draws_no_segment(self) -> None:
        labels = [label for label, _, _ in segments(chart(["A", "B"], [GREEN, RED, BLUE]))]
        assert "B, Red: 0" not in labels
        assert len(labels) == 5

    def test_each_bar_is_labelled_with_its_category_and_its_total(self) -> None:
        drawn = texts(chart(["Safeguarding", "Schools"], [GREEN, RED, BLUE]), "bars")
        assert "Safeguarding" in drawn and "Schools" in drawn
        assert "6" in drawn and "7" in drawn  # the totals

    def test_a_segment_wide_enough_carries_its_count_in_a_readable_colour(self) -> None:
        svg = chart(["Wide", "Narrow"], [Series("Done", "#1d70b8", [100, 1])])
        root = ET.fromstring(svg)
        counts = [
            text for text in root.iter(f"{{{SVG}}}text") if text.get("text-anchor") == "middle"
        ]
        assert [text.text for text in counts] == ["100"]  # the 1 is too narrow to label
        assert counts[0].get("fill") == "#ffffff"

    def test_the_legend_names_every_series_in_text(self) -> None:
        assert texts(chart(["A", "B"], [GREEN, RED, BLUE]), "legend") == [
            "Green",
            "Red",
            "Complete",
        ]

    def test_a_long_legend_wraps_onto_more_rows(self) -> None:
        many = [Series(f"A rather long series name {n}", "#505a5f", [1]) for n in range(8)]
        root = ET.fromstring(chart(["A"], many))
        legend = root.find("svg:g[@class='app-chart__legend']", NS)
        assert legend is not None
        rows = {rect.get("y") for rect in legend.iter(f"{{{SVG}}}rect")}
        assert len(rows) > 1

    def test_text_is_escaped(self) -> None:
        nasty = 'Schools <script>alert("x")</script> & "trusts"'
        svg = chart([nasty], [Series("<b>Green</b>", "#00703c", [1])], title="A & B <c>")
        assert "<script>" not in svg and "<b>" not in svg
        root = ET.fromstring(svg)
        assert nasty in texts(svg, "bars")
        assert root.findtext("svg:title", namespaces=NS) == "A & B <c>"
        assert texts(svg, "legend") == ["<b>Green</b>"]

    def test_characters_xml_cannot_carry_are_dropped(self) -> None:
        svg = chart(["Bad\x00\x1bname"], [GREEN_ONE])
        assert "Badname" in texts(svg, "bars")

    @given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
    def test_any_labels_give_well_formed_svg(self, labels: list[str]) -> None:
        svg = chart(labels, [Series("S", "#00703c", [1] * len(labels))], title=labels[0])
        ET.fromstring(svg)


GREEN_ONE = Series("Green", "#00703c", [1])
BLUE_ONE = Series("B", "#1d70b8", [3])


class TestEmptyCharts:
    @pytest.mark.parametrize(
        ("categories", "series"),
        [
            ([], []),
            ([], [Series("Green", "#00703c", [])]),
            (["A", "B"], [Series("G", "#00703c", [0, 0])]),
        ],
    )
    def test_a_chart_with_nothing_to_draw_says_so(
        self, categories: list[str], series: list[Series]
    ) -> None:
        svg = chart(categories, series)
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root.findtext("svg:title", namespaces=NS) == "Actions by section"
        assert [text.text for text in root.iter(f"{{{SVG}}}text")] == [EMPTY_TEXT]


class TestWhatIsRefused:
    def test_a_series_needs_a_value_for_each_category(self) -> None:
        with pytest.raises(ValueError, match="2 values for 3 categories"):
            chart(["A", "B", "C"], [GREEN])

    def test_a_stacked_bar_cannot_show_a_negative_value(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            chart(["A"], [Series("G", "#00703c", [-1])])

    @pytest.mark.parametrize("colour", ["green", "#0f0", '#00703c" onload="x', "url(#a)"])
    def test_a_colour_is_a_six_digit_hex_code(self, colour: str) -> None:
        with pytest.raises(ValueError, match="#rrggbb"):
            chart(["A"], [Series("G", colour, [1])])

    def test_the_id_prefix_must_be_a_plain_name(self) -> None:
        with pytest.raises(ValueError, match="id_prefix"):
            chart(["A"], [GREEN_ONE], id_prefix='x" onload="alert(1)')


class TestTextColour:
    @pytest.mark.parametrize(
        ("fill", "text"),
        [
            ("#00703c", "#ffffff"),
            ("#d4351c", "#ffffff"),
            ("#1d70b8", "#ffffff"),
            ("#505a5f", "#ffffff"),
            ("#ffdd00", "#0b0c0c"),
            ("#b1b4b6", "#0b0c0c"),
            ("#ffffff", "#0b0c0c"),
        ],
    )
    def test_count_labels_take_the_colour_that_contrasts_more(self, fill: str, text: str) -> None:
        assert contrasting_text(fill) == text


class TestTheSameChartAsAPicture:
    """Word cannot show SVG: the PNG draws the same bars, for the Word file."""

    def test_it_is_a_png_with_each_series_colour_and_the_svgs_proportions(self) -> None:
        import io

        from PIL import Image

        from preventhub.core.charts import stacked_bar_png

        png = stacked_bar_png(
            ["Safeguarding", "Channel"],
            [Series("Green", "#00703c", [3, 1]), Series("Red", "#d4351c", [1, 2])],
        )
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.width == 960 * 2
        colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 16)}
        assert {(0, 112, 60), (212, 53, 28)} <= colours

    def test_a_chart_with_nothing_to_show_says_so(self) -> None:
        import io

        from PIL import Image

        from preventhub.core.charts import stacked_bar_png

        png = stacked_bar_png(["Safeguarding"], [Series("Green", "#00703c", [0])])
        assert Image.open(io.BytesIO(png)).height < 150
