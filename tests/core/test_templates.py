"""Templates stay readable: short lines, and one way to write a summary row."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

import preventhub

SOURCE = Path(preventhub.__file__).parent
TEMPLATES = sorted(path for path in SOURCE.rglob("templates/**/*.html"))
LONGEST_LINE = 200

# A row with a "Change" link has a third cell, the actions, which the tag does not draw: only a
# template drawing that cell may write a row out.
ACTIONS = 'class="govuk-summary-list__actions"'


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 100


def test_no_template_line_is_longer_than_200_characters() -> None:
    long_lines = [
        f"{path.relative_to(SOURCE)}:{number} is {len(line)} characters"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > LONGEST_LINE
    ]
    assert long_lines == []


def test_summary_rows_are_written_with_the_summary_row_tag() -> None:
    by_hand = [
        str(path.relative_to(SOURCE))
        for path in TEMPLATES
        if 'class="govuk-summary-list__key"' in path.read_text() and ACTIONS not in path.read_text()
    ]
    assert by_hand == []


def render(source: str, **context: object) -> str:
    return Template("{% load summary_list %}" + source).render(Context(context))


def test_a_summary_row_draws_the_design_systems_key_and_value() -> None:
    html = render(
        '{% summary_row "Status" %}<b>{{ status }}</b>{% endsummary_row %}', status="Open"
    )
    assert html == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt>'
        '<dd class="govuk-summary-list__value"><b>Open</b></dd></div>'
    )


def test_a_summary_rows_key_can_be_a_variable_and_is_escaped() -> None:
    html = render("{% summary_row label %}x{% endsummary_row %}", label="<script>")
    assert '<dt class="govuk-summary-list__key">&lt;script&gt;</dt>' in html


def test_a_summary_rows_value_can_keep_its_line_breaks() -> None:
    html = render('{% summary_row "Concerns" value_class="ph-pre" %}a{% endsummary_row %}')
    assert '<dd class="govuk-summary-list__value ph-pre">a</dd>' in html


def test_a_summary_row_without_a_key_is_a_template_error_that_says_how_to_write_it() -> None:
    with pytest.raises(TemplateSyntaxError, match='summary_row "Key"'):
        render("{% summary_row %}x{% endsummary_row %}")


def test_every_table_on_a_page_scrolls_in_its_own_box_so_the_page_reflows() -> None:
    """WCAG 1.4.10: a wide table scrolls by itself at 320 px; the page does not (test_reflow.py
    checks pages in the browser; this finds a table added anywhere, before a browser does)."""
    unboxed = []
    for path in TEMPLATES:
        if "print" in path.name:
            continue  # drawn on paper by WeasyPrint, which does not scroll
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith("<table") and "govuk-table" in line:
                before = next((text for text in reversed(lines[: number - 1]) if text.strip()), "")
                if "ph-table-scroll" not in before:
                    unboxed.append(f"{path.relative_to(SOURCE)}:{number}")
    assert unboxed == []
