"""The data protection officer reads, filters and exports the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(client_for: Callable[..., Client]) -> Client:
    return client_for(Role.DPO)


def test_it_lists_entries_newest_first_with_what_changed(dpo: Client) -> None:
    organisation = Organisation.objects.create(name="Before")
    organisation.name = "After"
    organisation.save()
    page = dpo.get("/audit/").content.decode()
    assert "name: Before → After" in page
    assert page.index("name: Before → After") < page.index("name: (empty) → Before")


def test_it_filters_by_what_happened_and_kind_of_record(dpo: Client) -> None:
    Organisation.objects.create(name="Findable Council")
    response = dpo.get("/audit/", {"action": "create", "object_type": "partnership.organisation"})
    rows = response.context["rows"]
    assert rows and all(row.action == "Created" for row in rows)
    assert all(row.record.startswith("partnership.organisation") for row in rows)


def test_a_bad_date_range_is_explained(dpo: Client) -> None:
    response = dpo.get("/audit/", {"since": "2026-03-04", "until": "2026-03-01"})
    assert "The to date must be the same as or after the from date" in response.content.decode()


def test_the_export_is_a_csv_of_the_filtered_entries_and_is_itself_logged(dpo: Client) -> None:
    Organisation.objects.create(name='=HYPERLINK("http://evil")')
    response = dpo.get("/audit/export.csv", {"object_type": "partnership.organisation"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {row["object_type"] for row in rows} == {"partnership.organisation"}
    assert rows[0]["object"].startswith("'=")  # a spreadsheet will not run it as a formula
    export = AuditEvent.objects.filter(action="export").latest("sequence")
    assert export.object_type == "core.auditevent" and export.changes == {"rows": len(rows)}


def test_an_export_of_more_entries_than_one_download_holds_says_how_to_narrow_it(
    dpo: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from preventhub.core import views

    for number in range(3):
        Organisation.objects.create(name=f"Council {number}")
    chosen = {"object_type": "partnership.organisation"}
    in_log = AuditEvent.objects.filter(object_type="partnership.organisation").count()
    exports_before = AuditEvent.objects.filter(action="export").count()
    monkeypatch.setattr(views, "AUDIT_EXPORT_MOST", in_log - 1)

    response = dpo.get("/audit/export.csv", chosen)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"These {in_log} entries are more than one download holds ({in_log - 1})" in page
    assert "<title>Error: Audit log" in page
    assert '<details class="govuk-details" open>' in page
    assert AuditEvent.objects.filter(action="export").count() == exports_before  # none made

    monkeypatch.setattr(views, "AUDIT_EXPORT_MOST", in_log)
    assert dpo.get("/audit/export.csv", chosen)["Content-Type"].startswith("text/csv")
