"""The training return's spreadsheet: pre-filled, round trip, and bad cells writing nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnEvent
from preventhub.training import services, spreadsheet
from preventhub.training.models import RoleGroup, TrainingLevel, TrainingSession, WorkforceFigure

pytestmark = pytest.mark.django_db


def _group(name: str) -> RoleGroup:
    return RoleGroup.objects.get(sector__code="health", name=name)


@pytest.fixture
def found(owed: Callable[..., PartnerReturn]) -> PartnerReturn:
    """The health trust's Q3 return: 900 staff, 120 clinicians, one WRAP session."""
    found = owed("training")
    services.record_workforce(
        organisation=found.organisation,
        as_of=datetime.date(2018, 12, 31),
        staff={_group("All staff"): 900, _group("Clinical decision-maker"): 120},
    )
    services.record_session(
        organisation=found.organisation,
        held_on=datetime.date(2018, 11, 5),
        level=TrainingLevel.objects.get(name="Enhanced"),
        mode="face_to_face",
        facilitator="County Prevent team",
        attendees={_group("Clinical decision-maker"): 18, _group("All staff"): 4},
    )
    return found


def _sheet(content: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(content))["Returns"]


def _edited(found: PartnerReturn, **cells: object) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.template(found)))
    for ref, value in cells.items():
        book["Returns"][ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sessions() -> list[tuple]:
    return sorted(
        (s.held_on, s.level.name, s.mode, s.facilitator, r.role_group.name, r.attendees)
        for s in TrainingSession.objects.all()
        for r in s.attendance.all()
    )


class TestTheTemplate:
    def test_it_lists_the_role_groups_with_their_staff_then_the_training(
        self, found: PartnerReturn
    ) -> None:
        sheet = _sheet(spreadsheet.template(found))
        assert (sheet["B1"].value, sheet["B2"].value) == ("Shire Health Trust", "2018/19 Q3")
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_col=7)]
        assert rows[0][:3] == ["Role group", "Level needed", "Staff"]
        assert ["All staff", "Basic awareness", 900] == rows[1][:3]
        assert ["Clinical decision-maker", "Referrals", 120] == rows[2][:3]
        sessions = rows[rows.index(spreadsheet.SESSION_HEADERS) + 1 :]
        assert [row[1:] for row in sessions] == [
            ["Enhanced", "Face to face", None, "County Prevent team", "All staff", 4],
            [
                "Enhanced",
                "Face to face",
                None,
                "County Prevent team",
                "Clinical decision-maker",
                18,
            ],
        ]


class TestTheRoundTrip:
    def test_uploading_the_downloaded_template_changes_nothing(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        before = _sessions()
        count = spreadsheet.upload(
            partner_return=found, content=spreadsheet.template(found), by=partner_lead
        )
        assert count == 1
        assert _sessions() == before
        assert WorkforceFigure.objects.get(role_group=_group("All staff")).staff == 900
        assert ReturnEvent.objects.filter(partner_return=found, kind="uploaded").exists()

    def test_a_changed_template_replaces_the_quarters_figures(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        sheet = _sheet(spreadsheet.template(found))
        next_row = sheet.max_row + 1
        content = _edited(
            found,
            C6=950,
            **{
                f"A{next_row}": "2018-12-03",
                f"B{next_row}": "Basic awareness",
                f"C{next_row}": "E-learning completions",
                f"F{next_row}": "All staff",
                f"G{next_row}": 60,
            },
        )
        spreadsheet.upload(partner_return=found, content=content, by=partner_lead)
        assert WorkforceFigure.objects.get(role_group=_group("All staff")).staff == 950
        assert (
            datetime.date(2018, 12, 3),
            "Basic awareness",
            "e_learning",
            "",
            "All staff",
            60,
        ) in (_sessions())
        assert TrainingSession.objects.count() == 2


class TestTextThatLooksLikeAFormula:
    def test_a_facilitator_and_an_organisation_name_are_neutralised_in_the_template(
        self, found: PartnerReturn
    ) -> None:
        TrainingSession.objects.update(facilitator='=HYPERLINK("http://x","Prevent")')
        type(found.organisation).objects.filter(pk=found.organisation.pk).update(name="+Shire")
        found.refresh_from_db()
        sheet = _sheet(spreadsheet.template(found))
        assert (sheet["B1"].value, sheet["B1"].data_type) == ("'+Shire", "s")
        assert (sheet["E11"].value, sheet["E11"].data_type) == (
            '\'=HYPERLINK("http://x","Prevent")',
            "s",
        )

    def test_the_neutralised_template_uploads_unchanged(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        TrainingSession.objects.update(facilitator="=Prevent team")
        type(found.organisation).objects.filter(pk=found.organisation.pk).update(name="=Shire")
        found.refresh_from_db()
        before = _sessions()
        spreadsheet.upload(
            partner_return=found, content=spreadsheet.template(found), by=partner_lead
        )
        assert _sessions() == before
        assert TrainingSession.objects.get().facilitator == "=Prevent team"


class TestCellLevelErrors:
    @pytest.mark.parametrize(
        ("cells", "message"),
        [
            ({"C6": "many"}, "Sheet Returns, cell C6: 'many' is not a whole number"),
            ({"C7": -1}, "Sheet Returns, cell C7: staff numbers cannot be negative"),
            ({"A6": "Porters"}, "Sheet Returns, cell A6: 'Porters' is not one of your role groups"),
            ({"A11": "2019-02-01"}, "Sheet Returns, cell A11: the date is not in 2018/19 Q3"),
            ({"A11": "soon"}, "Sheet Returns, cell A11: enter the date like 2018-11-05"),
            ({"B11": "Expert"}, "Sheet Returns, cell B11: 'Expert' is not a training level"),
            ({"C11": "By post"}, "Sheet Returns, cell C11: say how it was delivered"),
            ({"G11": 0}, "Sheet Returns, cell G11: enter how many attended, 1 or more"),
            ({"B2": "2018/19 Q4"}, "Sheet Returns, cell B2: this template is for another quarter"),
            ({"C6": 10**12}, "Sheet Returns, cell C6: 1,000,000,000,000 is too large"),
            ({"G11": "3000000000"}, "Sheet Returns, cell G11: 3,000,000,000 is too large"),
        ],
    )
    def test_a_bad_cell_is_named_and_nothing_is_written(
        self, found: PartnerReturn, partner_lead: User, cells: dict, message: str
    ) -> None:
        sessions, staff = _sessions(), list(WorkforceFigure.objects.values_list("staff", flat=True))
        with pytest.raises(spreadsheet.SpreadsheetError) as caught:
            spreadsheet.upload(
                partner_return=found, content=_edited(found, **cells), by=partner_lead
            )
        assert any(p.startswith(message) for p in caught.value.problems), caught.value.problems
        assert _sessions() == sessions
        assert list(WorkforceFigure.objects.values_list("staff", flat=True)) == staff

    def test_a_sent_return_takes_no_upload(self, found: PartnerReturn, partner_lead: User) -> None:
        returns.submit_return(partner_return=found, by=partner_lead)
        found.refresh_from_db()
        with pytest.raises(spreadsheet.SpreadsheetError, match="has been sent"):
            spreadsheet.upload(
                partner_return=found, content=spreadsheet.template(found), by=partner_lead
            )


class TestThePages:
    def test_a_partner_lead_downloads_and_uploads_the_template(
        self, found: PartnerReturn, partner_lead: User, client_as: Callable[[User], Client]
    ) -> None:
        client = client_as(partner_lead)
        download = client.get(reverse("training:return_template", args=[found.pk]))
        assert download["Content-Disposition"] == (
            'attachment; filename="training-return-2018-19-Q3.xlsx"'
        )
        response = client.post(
            reverse("training:return_upload", args=[found.pk]),
            {"file": SimpleUploadedFile("filled.xlsx", download.content), "version": found.version},
        )
        assert response.status_code == 302

    def test_the_upload_page_lists_each_bad_cell(
        self, found: PartnerReturn, partner_lead: User, client_as: Callable[[User], Client]
    ) -> None:
        response = client_as(partner_lead).post(
            reverse("training:return_upload", args=[found.pk]),
            {
                "file": SimpleUploadedFile("filled.xlsx", _edited(found, G11="ten")),
                "version": found.version,
            },
        )
        html = response.content.decode()
        assert "nothing was saved" in html
        assert "Sheet Returns, cell G11: &#x27;ten&#x27; is not a whole number" in html
