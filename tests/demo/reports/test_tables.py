"""Every table on a report's page downloads as CSV, Excel and ODS with the page's figures: the
committee report's appendix of sources, and a Board pack's (draft and published)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
import tablib
from django.test import Client

from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.reports.models import BoardPack, CommitteeReport, PackVersion

pytestmark = pytest.mark.django_db


def _page_sources(page: str) -> list[tuple[str, str]]:
    """The appendix as the page shows it: each figure's placeholder and value."""
    rows = re.findall(
        r'<tr class="govuk-table__row" id="figure-\d+">\s*'
        r'<th scope="row" class="govuk-table__header">(\d+)\. <code>(.*?)</code></th>\s*'
        r'<td class="govuk-table__cell">(.*?)</td>',
        page,
        re.S,
    )
    return [
        (f"{number}. {html.unescape(code)}", html.unescape(value)) for number, code, value in rows
    ]


def _rows(content: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    else:
        dataset = tablib.Dataset().load(content, format=fmt)
    return [list(dataset.headers)] + [list(row) for row in dataset]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_committee_reports_sources_download_has_the_figures_on_the_page(
    demo_printed: str, client_for: Callable[..., Client], fmt: str
) -> None:
    report = CommitteeReport.objects.get(title="Prevent")
    reader = client_for(Role.BOARD_READER)
    page = reader.get(f"/reports/committee/{report.pk}/").content.decode()
    assert f'href="/reports/committee/{report.pk}/sources.{fmt}"' in page
    shown = _page_sources(page)
    assert len(shown) > 5

    response = reader.get(f"/reports/committee/{report.pk}/sources.{fmt}")
    assert response["Content-Disposition"] == f'attachment; filename="prevent-sources.{fmt}"'
    rows = _rows(response.content, fmt)
    assert rows[0] == ["Figure", "Value", "Source", "Page"]
    assert [(row[0], row[1]) for row in rows[1:]] == shown
    assert all(row[3].startswith("http://testserver/") for row in rows[1:])
    export = AuditEvent.objects.filter(action="export").latest("sequence")
    assert export.object_type == "reports.committee_table"
    assert export.changes == {"rows": len(shown)}


def test_a_committee_report_table_that_is_not_on_the_page_is_not_found(
    demo_printed: str, client_for: Callable[..., Client]
) -> None:
    report = CommitteeReport.objects.get(title="Prevent")
    reader = client_for(Role.BOARD_READER)
    assert reader.get(f"/reports/committee/{report.pk}/tables/0.csv").status_code == 404
    assert reader.get(f"/reports/committee/{report.pk}/sources.txt").status_code == 404


def test_a_packs_sources_download_has_the_figures_on_its_page(
    demo_printed: str, client_for: Callable[..., Client]
) -> None:
    version = PackVersion.objects.order_by("pk").first()
    reader = client_for(Role.BOARD_READER)
    page = reader.get(f"/reports/versions/{version.pk}/").content.decode()
    rows = _rows(reader.get(f"/reports/versions/{version.pk}/sources.ods").content, "ods")
    assert [(row[0], row[1]) for row in rows[1:]] == _page_sources(page)

    draft = BoardPack.objects.filter(versions__isnull=True).first()
    coordinator = client_for(Role.COORDINATOR)
    page = coordinator.get(f"/reports/packs/{draft.pk}/").content.decode()
    rows = _rows(coordinator.get(f"/reports/packs/{draft.pk}/sources.csv").content, "csv")
    assert [(row[0], row[1]) for row in rows[1:]] == _page_sources(page)
    assert reader.get(f"/reports/packs/{draft.pk}/sources.csv").status_code == 403
