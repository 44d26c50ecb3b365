"""The register's table rows, written in Python: a page shows a hundred establishments, and a
template loop resolves and escapes each of their eight values through several layers, most of the
page's time. ``html.escape`` is what Django's ``escape`` calls; every value goes through it."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from preventhub.schools.queries import RegisterRow

register = template.Library()

_CELL = '<td class="govuk-table__cell">'
NONE = "–"


def _trust_and_federation(row: RegisterRow) -> str:
    names = [escape(name) for name in (row.trust, row.federation) if name]
    return "<br>".join(names) or NONE


@register.filter
def register_rows(rows: Iterable[RegisterRow]) -> SafeString:
    """``<tbody>{{ page.establishments|register_rows }}</tbody>``: one row per establishment."""
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(
            f'<tr class="govuk-table__row">{_CELL}{row.urn}</td>'
            f'{_CELL}{escape(row.name)}<br><span class="govuk-body-s">{escape(row.type_name)}'
            f"</span></td>{_CELL}{escape(row.phase) or NONE}</td>{_CELL}{escape(row.status)}</td>"
            f"{_CELL}{escape(row.district) or NONE}</td>{_CELL}{_trust_and_federation(row)}</td>"
            "</tr>"
            for row in rows
        )
    )
