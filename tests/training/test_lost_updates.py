"""Nothing silently lost on a training return: every change to its figures moves its version on,
and a form or upload page opened before someone else's change is refused, never saved over it."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.returns.models import PartnerReturn
from preventhub.training import services, spreadsheet
from preventhub.training.models import RoleGroup, TrainingLevel, TrainingSession, WorkforceFigure

pytestmark = pytest.mark.django_db

REFUSED = "changed by someone else while you were editing it"


def _group(name: str) -> RoleGroup:
    return RoleGroup.objects.get(sector__code="health", name=name)


def _staff(name: str = "All staff") -> int:
    return WorkforceFigure.objects.get(role_group=_group(name)).staff


def _version(found: PartnerReturn) -> int:
    return PartnerReturn.objects.get(pk=found.pk).version


def _workforce(found: PartnerReturn, version: int | None, all_staff: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": "2018-12-31",
        f"staff_{_group('All staff').pk}": all_staff,
        f"staff_{_group('Clinical decision-maker').pk}": 120,
    }
    if version is not None:
        data["version"] = version
    return data


def _session(version: int) -> dict[str, Any]:
    return {
        "version": version,
        "held_on": "2018-11-05",
        "level": TrainingLevel.objects.get(name="Basic awareness").pk,
        "mode": "e_learning",
        f"attendees_{_group('All staff').pk}": 85,
    }


def _template_with(found: PartnerReturn, all_staff: int) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template(found)))
    book["Returns"]["C6"] = all_staff  # the first role group, "All staff"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def found(owed: Callable[..., PartnerReturn]) -> PartnerReturn:
    return owed("training")


@pytest.fixture
def client(partner_lead: User, client_as: Callable[[User], Client]) -> Client:
    return client_as(partner_lead)


class TestTheWorkforceForm:
    def test_it_carries_the_version_it_was_opened_at(
        self, found: PartnerReturn, client: Client
    ) -> None:
        page = client.get(reverse("training:workforce", args=[found.pk])).content.decode()
        assert f'name="version" value="{found.version}"' in page

    def test_two_saves_from_the_same_loaded_form_refuse_the_second_and_keep_the_first(
        self, found: PartnerReturn, client: Client
    ) -> None:
        url = reverse("training:workforce", args=[found.pk])
        opened_at = found.version
        assert client.post(url, _workforce(found, opened_at, 900)).status_code == 302
        second = client.post(url, _workforce(found, opened_at, 500))
        assert second.status_code == 200
        assert REFUSED in second.content.decode()
        assert "Your changes have not been saved" in second.content.decode()
        assert _staff() == 900

    def test_a_save_without_the_version_it_was_opened_at_is_refused(
        self, found: PartnerReturn, client: Client
    ) -> None:
        url = reverse("training:workforce", args=[found.pk])
        response = client.post(url, _workforce(found, None, 500))
        assert "This page is out of date" in response.content.decode()
        assert not WorkforceFigure.objects.exists()

    def test_a_form_opened_before_an_upload_is_refused_and_the_upload_kept(
        self, found: PartnerReturn, client: Client
    ) -> None:
        opened_at = found.version
        uploaded = client.post(
            reverse("training:return_upload", args=[found.pk]),
            {
                "file": SimpleUploadedFile("filled.xlsx", _template_with(found, 700)),
                "version": opened_at,
            },
        )
        assert uploaded.status_code == 302
        assert _staff() == 700
        stale = client.post(
            reverse("training:workforce", args=[found.pk]), _workforce(found, opened_at, 500)
        )
        assert REFUSED in stale.content.decode()
        assert _staff() == 700


class TestTheTrainingDeliveredForm:
    def test_a_form_opened_before_an_upload_is_refused_so_nothing_is_counted_twice(
        self, found: PartnerReturn, client: Client, partner_lead: User
    ) -> None:
        opened_at = found.version
        spreadsheet.upload(
            partner_return=found, content=_template_with(found, 700), by=partner_lead
        )
        stale = client.post(reverse("training:session_new", args=[found.pk]), _session(opened_at))
        assert REFUSED in stale.content.decode()
        assert not TrainingSession.objects.exists()

    def test_a_fresh_form_adds_the_session_and_moves_the_version_on(
        self, found: PartnerReturn, client: Client
    ) -> None:
        opened_at = found.version
        response = client.post(
            reverse("training:session_new", args=[found.pk]), _session(opened_at)
        )
        assert response.status_code == 302
        assert TrainingSession.objects.count() == 1
        assert _version(found) == opened_at + 1


class TestTheUpload:
    def test_the_upload_page_carries_the_version_it_was_opened_at(
        self, found: PartnerReturn, client: Client
    ) -> None:
        page = client.get(reverse("training:return_upload", args=[found.pk])).content.decode()
        assert f'name="version" value="{found.version}"' in page

    def test_it_moves_the_version_on_whoever_makes_it(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        opened_at = found.version
        spreadsheet.upload(
            partner_return=found, content=spreadsheet.template(found), by=partner_lead
        )
        assert _version(found) == opened_at + 1

    def test_an_upload_page_opened_before_a_save_is_refused_and_the_save_kept(
        self, found: PartnerReturn, client: Client
    ) -> None:
        opened_at = found.version
        services.save_workforce(
            partner_return=found,
            as_of=datetime.date(2018, 12, 31),
            staff={_group("All staff"): 900},
            expected_version=opened_at,
        )
        response = client.post(
            reverse("training:return_upload", args=[found.pk]),
            {
                "file": SimpleUploadedFile("filled.xlsx", _template_with(found, 700)),
                "version": opened_at,
            },
        )
        assert REFUSED in response.content.decode()
        assert _staff() == 900

    def test_a_refused_upload_leaves_the_version_as_it_was(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        opened_at = found.version
        with pytest.raises(ConcurrentEditError):
            spreadsheet.upload(
                partner_return=found,
                content=_template_with(found, 700),
                by=partner_lead,
                expected_version=opened_at - 1,
            )
        assert _version(found) == opened_at
        assert not WorkforceFigure.objects.exists()


class TestSending:
    def test_send_pressed_on_a_page_opened_before_an_upload_sends_nothing(
        self, found: PartnerReturn, client: Client, partner_lead: User
    ) -> None:
        seen = found.version
        spreadsheet.upload(
            partner_return=found, content=_template_with(found, 700), by=partner_lead
        )
        response = client.post(
            reverse("training:return_submit", args=[found.pk]), {"version": seen}, follow=True
        )
        assert REFUSED in response.content.decode()
        assert PartnerReturn.objects.get(pk=found.pk).status == "draft"
