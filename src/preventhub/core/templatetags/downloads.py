"""``{% table_downloads %}``: the links to a table in every format it downloads as (CSV, XLSX
and ODS, ``core.exports.FORMAT_NAMES``), named the same way on every page.

    {% load downloads %}
    {% table_downloads 'partnership:export' 'organisations' %}
    {% table_downloads 'delivery:export' query=query %}      {# the list's filter, encoded #}
    {% table_downloads 'engagement:figures_export' year=year %}
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from preventhub.core.exports import FORMAT_NAMES
from preventhub.core.hrefs import kept_reverse

register = template.Library()


@register.simple_tag
def table_downloads(
    view_name: str, *args: int | str, query: str = "", **params: object
) -> SafeString:
    """The route ``view_name`` with ``args`` and each format, as links separated by commas; after
    the address, ``query`` (already encoded) or ``params`` (those given a value)."""
    given = {name: value for name, value in params.items() if value not in (None, "")}
    query = query or urlencode(given)
    suffix = f"?{query}" if query else ""
    return format_html_join(
        ", ",
        '<a class="govuk-link" href="{}{}">{}</a>',
        ((kept_reverse(view_name, *args, fmt), suffix, name) for fmt, name in FORMAT_NAMES.items()),
    )
