"""``{% table_downloads %}``: a table's download links, named the same way on every page."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template

import preventhub
from preventhub.core.exports import FORMAT_NAMES, FORMATS
from preventhub.core.hrefs import kept_address, kept_reverse

SOURCE = Path(preventhub.__file__).parent


def draw(text: str, **context: object) -> str:
    return Template("{% load downloads %}" + text).render(Context(context))


def test_it_links_the_table_in_csv_xlsx_and_ods_named_the_same_everywhere() -> None:
    assert draw("{% table_downloads 'partnership:export' 'organisations' %}") == (
        '<a class="govuk-link" href="/partnership/export/organisations.csv">CSV</a>, '
        '<a class="govuk-link" href="/partnership/export/organisations.xlsx">Excel (XLSX)</a>, '
        '<a class="govuk-link" href="/partnership/export/organisations.ods">'
        "OpenDocument (ODS)</a>"
    )


def test_the_page_s_filter_follows_each_address_escaped() -> None:
    links = draw("{% table_downloads 'delivery:export' query=query %}", query="section=SAF&rag=red")
    assert links.count('export.csv?section=SAF&amp;rag=red"') == 1
    assert links.count("?section=SAF&amp;rag=red") == 3


def test_named_values_are_encoded_and_those_without_a_value_left_out() -> None:
    links = draw("{% table_downloads 'engagement:figures_export' year=year %}", year="2026/27")
    assert 'href="/engagement/figures/export.ods?year=2026%2F27"' in links
    assert "?" not in draw("{% table_downloads 'training:coverage_export' period=period.pk %}")


def test_no_template_writes_a_table_s_download_links_by_hand() -> None:
    by_hand = re.compile(r"\{% url [^%]*'(csv|xlsx|ods)'")
    written = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.html")
        if by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert written == []


def test_every_format_a_table_downloads_as_has_its_link() -> None:
    assert FORMAT_NAMES.keys() == FORMATS.keys()


def test_an_argument_that_is_not_a_number_or_text_is_reversed_each_time() -> None:
    assert kept_reverse("partnership:export", "organisations", "csv") == (
        "/partnership/export/organisations.csv"
    )
    kept = kept_address.cache_info().currsize
    assert kept_reverse("audits:round_export", Decimal(7), "summary", "csv") == (
        "/schools/audits/7/export/summary.csv"
    )
    assert kept_address.cache_info().currsize == kept
