"""Nothing silently lost on a local profile data return: an upload moves the return's version on
like any save, so a figures form opened before it is refused, never saved over it."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.localprofile import queries, spreadsheet
from preventhub.localprofile.models import IndicatorValue
from preventhub.partnership.models import Area
from preventhub.returns.models import PartnerReturn

pytestmark = pytest.mark.django_db

REFUSED = "changed by someone else while you were editing it"


@pytest.fixture
def found(owed: Callable[..., PartnerReturn], county: Area) -> PartnerReturn:
    for code, name in [("E07000197", "Stafford"), ("E07000199", "Tamworth")]:
        Area.objects.get_or_create(
            gss_code=code, defaults={"name": name, "kind": "district", "parent": county}
        )
    return owed("ctlp")


def _version(found: PartnerReturn) -> int:
    return PartnerReturn.objects.get(pk=found.pk).version


def _values() -> set[int | None]:
    return set(IndicatorValue.objects.values_list("value", flat=True))


def _filled(found: PartnerReturn, value: int) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template(found)))
    sheet = book["Returns"]
    for row in range(spreadsheet.FIRST_ROW, sheet.max_row + 1):
        sheet[f"E{row}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _figures(found: PartnerReturn, version: int | None, value: int) -> dict[str, Any]:
    count = len(queries.cells_for(found))
    data: dict[str, Any] = {f"value_{i}": str(value) for i in range(count)}
    data |= {f"note_{i}": "" for i in range(count)}
    if version is not None:
        data["version"] = version
    return data


@pytest.fixture
def client(partner_lead: User, client_as: Callable[[User], Client]) -> Client:
    return client_as(partner_lead)


def test_an_upload_moves_the_version_on_whoever_makes_it(
    found: PartnerReturn, partner_lead: User
) -> None:
    opened_at = found.version
    spreadsheet.upload(partner_return=found, content=_filled(found, 7), by=partner_lead)
    assert _version(found) == opened_at + 1


def test_a_figures_form_opened_before_an_upload_is_refused_and_the_upload_kept(
    found: PartnerReturn, client: Client
) -> None:
    opened_at = found.version
    uploaded = client.post(
        reverse("localprofile:return_upload", args=[found.pk]),
        {"file": SimpleUploadedFile("filled.xlsx", _filled(found, 7)), "version": opened_at},
    )
    assert uploaded.status_code == 302
    stale = client.post(
        reverse("localprofile:return", args=[found.pk]), _figures(found, opened_at, 2)
    )
    assert REFUSED in stale.content.decode()
    assert _values() == {7}


def test_an_upload_page_opened_before_a_save_is_refused_and_the_save_kept(
    found: PartnerReturn, client: Client
) -> None:
    opened_at = found.version
    assert (
        client.post(
            reverse("localprofile:return", args=[found.pk]), _figures(found, opened_at, 2)
        ).status_code
        == 302
    )
    response = client.post(
        reverse("localprofile:return_upload", args=[found.pk]),
        {"file": SimpleUploadedFile("filled.xlsx", _filled(found, 7)), "version": opened_at},
    )
    assert REFUSED in response.content.decode()
    assert _values() == {2}


def test_a_figures_form_without_its_version_is_refused(
    found: PartnerReturn, client: Client
) -> None:
    response = client.post(
        reverse("localprofile:return", args=[found.pk]), _figures(found, None, 2)
    )
    assert "This page is out of date" in response.content.decode()
    assert not IndicatorValue.objects.exists()
