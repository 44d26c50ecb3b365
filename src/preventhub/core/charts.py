"""Charts drawn on the server as SVG, for pages and for the PDFs made from them.

Hand-written SVG from the standard library only: a chart reads the same in a browser without
JavaScript, in a PDF and in a test. Everything is drawn with presentation attributes, never a
``style`` attribute or a ``<style>`` element, because the site's Content Security Policy forbids
inline styles.

A chart is a picture of figures that the page also gives as a table: it carries
``role="img"`` with a ``<title>`` and a ``<desc>`` (it has no links, so nothing inside it needs
to be reached), and the caller must show the same figures in a table beside it. Colour is never
the only cue: every segment is outlined, segments keep the legend's order in every bar, each one
wide enough carries its count, and the legend names each colour in text.

Word cannot show SVG, so ``stacked_bar_png`` draws the same chart, with the same layout, as a
PNG with Pillow (no Cairo needed): the Word file carries it as a picture with alt text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Series", "contrasting_text", "stacked_bar_png", "stacked_bar_svg"]

VIEW_WIDTH = 960
MARGIN = 12
FONT_FAMILY = "Arial, sans-serif"
FONT_SIZE = 14
LABEL_HEIGHT = 22
BAR_HEIGHT = 28
ROW_GAP = 14
# Room right of the longest bar for its total.
TOTAL_WIDTH = 64
PLOT_WIDTH = VIEW_WIDTH - 2 * MARGIN - TOTAL_WIDTH
# Arial at 14 units averages under 8 units a character: enough to decide what fits.
CHAR_WIDTH = 8
LABEL_CHARS = (VIEW_WIDTH - 2 * MARGIN) // CHAR_WIDTH
SWATCH = 16
LEGEND_ROW = 24
LEGEND_GAP = 24
EMPTY_TEXT = "No figures to show."

BLACK = "#0b0c0c"
WHITE = "#ffffff"

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Series:
    """One kind of segment: its legend label, its fill (``#rrggbb``) and a value per category."""

    label: str
    colour: str
    values: Sequence[float]


def _clean(text: str) -> str:
    return " ".join(_NOT_XML.sub("", str(text)).split())


def _text(text: str) -> str:
    return escape(_clean(text))


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[index : index + 2]) for index in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrasting_text(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (WCAG contrast ratio)."""
    return BLACK if _contrast(fill, BLACK) >= _contrast(fill, WHITE) else WHITE


def _checked(categories: Sequence[str], series: Sequence[Series], id_prefix: str) -> None:
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    for one in series:
        if not _COLOUR.fullmatch(one.colour):
            raise ValueError(f"{one.label}: give the colour as #rrggbb, not {one.colour!r}")
        if len(one.values) != len(categories):
            raise ValueError(
                f"{one.label}: {len(one.values)} values for {len(categories)} categories"
            )
        if any(value < 0 for value in one.values):
            raise ValueError(f"{one.label}: a stacked bar cannot show a negative value")


def _svg_open(prefix: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
        f'viewBox="0 0 {VIEW_WIDTH} {_num(height)}" width="100%" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" class="app-chart">'
    )


def _legend_rows(series: Sequence[Series]) -> list[list[tuple[Series, float]]]:
    """Legend entries placed left to right, wrapping onto a new row when one is full."""
    rows: list[list[tuple[Series, float]]] = [[]]
    x = float(MARGIN)
    for one in series:
        width = SWATCH + 8 + len(_clean(one.label)) * CHAR_WIDTH
        if rows[-1] and x + width > VIEW_WIDTH - MARGIN:
            rows.append([])
            x = MARGIN
        rows[-1].append((one, x))
        x += width + LEGEND_GAP
    return rows


def _legend(series: Sequence[Series], top: float) -> str:
    parts = ['<g class="app-chart__legend">']
    for index, row in enumerate(_legend_rows(series)):
        y = top + index * LEGEND_ROW
        for one, x in row:
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{SWATCH}" height="{SWATCH}" '
                f'fill="{one.colour}" stroke="{BLACK}" stroke-width="1"/>'
                f'<text x="{_num(x + SWATCH + 8)}" y="{_num(y + SWATCH - 3)}" fill="{BLACK}">'
                f"{_text(one.label)}</text>"
            )
    parts.append("</g>")
    return "".join(parts)


def _bar(
    category: str, index: int, series: Sequence[Series], scale: float, top: float
) -> list[str]:
    name = _clean(category)
    parts = [
        f'<text x="{MARGIN}" y="{_num(top + FONT_SIZE + 2)}" fill="{BLACK}" '
        f'font-weight="700">{escape(_shortened(name, LABEL_CHARS))}</text>'
    ]
    bar_top = top + LABEL_HEIGHT
    x = float(MARGIN)
    total = 0.0
    for one in series:
        value = one.values[index]
        total += value
        if value == 0:
            continue
        width = value * scale
        figure = _figure(value)
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(bar_top)}" width="{_num(width)}" '
            f'height="{BAR_HEIGHT}" fill="{one.colour}" stroke="{BLACK}" stroke-width="1">'
            f"<title>{escape(name)}, {_text(one.label)}: {figure}</title></rect>"
        )
        if width >= len(figure) * CHAR_WIDTH + 8:
            parts.append(
                f'<text x="{_num(x + width / 2)}" y="{_num(bar_top + BAR_HEIGHT / 2 + 5)}" '
                f'text-anchor="middle" fill="{contrasting_text(one.colour)}">{figure}</text>'
            )
        x += width
    parts.append(
        f'<text x="{_num(x + 8)}" y="{_num(bar_top + BAR_HEIGHT / 2 + 5)}" fill="{BLACK}">'
        f"{_figure(total)}</text>"
    )
    return parts


def stacked_bar_svg(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    id_prefix: str = "chart",
) -> str:
    """An accessible inline <svg>: one horizontal bar per category, a segment per series.

    Bars share one scale, so their lengths compare; each ends with its total. ``description``
    should say where the same figures are given as a table. ``id_prefix`` starts every id in
    the drawing: give each chart on a page its own.
    """
    _checked(categories, series, id_prefix)
    heading = (
        f'<title id="{id_prefix}-title">{_text(title)}</title>'
        f'<desc id="{id_prefix}-desc">{_text(description)}</desc>'
    )
    totals = [sum(one.values[index] for one in series) for index in range(len(categories))]
    largest = max(totals, default=0)
    if largest <= 0:
        height = 2 * MARGIN + LABEL_HEIGHT
        return (
            _svg_open(id_prefix, height)
            + heading
            + f'<text x="{MARGIN}" y="{MARGIN + FONT_SIZE + 2}" fill="{BLACK}">{EMPTY_TEXT}'
            "</text></svg>"
        )
    scale = PLOT_WIDTH / largest
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    bars: list[str] = []
    for index, category in enumerate(categories):
        bars.extend(_bar(category, index, series, scale, MARGIN + index * row_height))
    legend_top = MARGIN + len(categories) * row_height + ROW_GAP
    height = legend_top + len(_legend_rows(series)) * LEGEND_ROW + MARGIN
    return "".join(
        [
            _svg_open(id_prefix, height),
            heading,
            f'<g class="app-chart__bars">{"".join(bars)}</g>',
            _legend(series, legend_top),
            "</svg>",
        ]
    )


# ---- the same chart as a PNG, for Word ----------------------------------------------------------

PNG_SCALE = 2  # pixels per unit: sharp when Word shows it at page width


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def stacked_bar_png(categories: Sequence[str], series: Sequence[Series]) -> bytes:
    """``stacked_bar_svg``'s chart as PNG bytes: the same bars, counts, totals and legend.

    The picture has no title or description of its own: the caller gives it alt text and puts
    the table with the same figures after it.
    """
    import io

    from PIL import Image, ImageDraw, ImageFont

    _checked(categories, series, "chart")
    k = PNG_SCALE
    font = ImageFont.load_default(size=FONT_SIZE * k)
    totals = [sum(one.values[index] for one in series) for index in range(len(categories))]
    largest = max(totals, default=0)
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    if largest <= 0:
        height = 2 * MARGIN + LABEL_HEIGHT
    else:
        legend_top = MARGIN + len(categories) * row_height + ROW_GAP
        height = legend_top + len(_legend_rows(series)) * LEGEND_ROW + MARGIN
    image = Image.new("RGB", (VIEW_WIDTH * k, int(height * k)), WHITE)
    draw = ImageDraw.Draw(image)

    def text(x: float, y: float, words: str, fill: str = BLACK, anchor: str = "ls") -> None:
        draw.text((x * k, y * k), words, fill=fill, font=font, anchor=anchor)

    if largest <= 0:
        text(MARGIN, MARGIN + FONT_SIZE + 2, EMPTY_TEXT)
    else:
        scale = PLOT_WIDTH / largest
        for index, category in enumerate(categories):
            top = MARGIN + index * row_height
            text(MARGIN, top + FONT_SIZE + 2, _shortened(_clean(category), LABEL_CHARS))
            bar_top = top + LABEL_HEIGHT
            x = float(MARGIN)
            for one in series:
                value = one.values[index]
                if value == 0:
                    continue
                width = value * scale
                draw.rectangle(
                    (x * k, bar_top * k, (x + width) * k, (bar_top + BAR_HEIGHT) * k),
                    fill=_rgb(one.colour),
                    outline=BLACK,
                    width=k,
                )
                figure = _figure(value)
                if width >= len(figure) * CHAR_WIDTH + 8:
                    text(
                        x + width / 2,
                        bar_top + BAR_HEIGHT / 2,
                        figure,
                        contrasting_text(one.colour),
                        "mm",
                    )
                x += width
            text(x + 8, bar_top + BAR_HEIGHT / 2, _figure(totals[index]), anchor="lm")
        for number, row in enumerate(_legend_rows(series)):
            y = legend_top + number * LEGEND_ROW
            for one, x in row:
                draw.rectangle(
                    (x * k, y * k, (x + SWATCH) * k, (y + SWATCH) * k),
                    fill=_rgb(one.colour),
                    outline=BLACK,
                    width=k,
                )
                text(x + SWATCH + 8, y + SWATCH / 2, _clean(one.label), anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
