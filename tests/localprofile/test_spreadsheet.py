"""The spreadsheet template: pre-filled, filled in, uploaded; a bad cell and nothing is saved."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.localprofile import checks, queries, services, spreadsheet
from preventhub.localprofile.models import IndicatorValue
from preventhub.partnership.models import Area
from preventhub.returns.models import PartnerReturn, ReturnEvent
from tests.workbooks import rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(owed: Callable[..., PartnerReturn], county: Area) -> PartnerReturn:
    for code, name in [("E07000197", "Stafford"), ("E07000199", "Tamworth")]:
        Area.objects.get_or_create(
            gss_code=code, defaults={"name": name, "kind": "district", "parent": county}
        )
    return owed("ctlp")


def _book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _filled(found: PartnerReturn, **cells: object) -> bytes:
    """The template with every value 7, then ``cells`` (like E7=...) written over it."""
    book = _book(spreadsheet.template(found))
    sheet = book["Returns"]
    for row in range(spreadsheet.FIRST_ROW, sheet.max_row + 1):
        sheet[f"E{row}"] = 7
    for ref, value in cells.items():
        sheet[ref] = value
    return _save(book)


class TestTheTemplate:
    def test_it_is_prefilled_with_the_organisation_the_quarter_and_each_figure(
        self, found: PartnerReturn
    ) -> None:
        sheet = _book(spreadsheet.template(found))["Returns"]
        assert sheet["B1"].value == "Shire Health Trust"
        assert sheet["B2"].value == "2018/19 Q3"
        assert [cell.value for cell in sheet[5]] == spreadsheet.HEADERS
        rows = [(row[0].value, row[2].value, row[3].value) for row in sheet.iter_rows(min_row=6)]
        assert rows[:2] == [
            ("ENGAGE", "E07000197", "Stafford"),
            ("ENGAGE", "E07000199", "Tamworth"),
        ]
        assert len(rows) == len(queries.cells_for(found))

    def test_it_carries_figures_already_saved(self, found: PartnerReturn) -> None:
        entries = {cell.key: checks.Entry(5, "") for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        sheet = _book(spreadsheet.template(found))["Returns"]
        assert {row[4].value for row in sheet.iter_rows(min_row=6)} == {5}


class TestTheRoundTrip:
    def test_a_filled_in_template_becomes_the_returns_figures(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        count = spreadsheet.upload(
            partner_return=found, content=_filled(found, F6="Two new events"), by=partner_lead
        )
        assert count == len(queries.cells_for(found))
        assert set(IndicatorValue.objects.values_list("value", flat=True)) == {7}
        assert IndicatorValue.objects.get(note="Two new events").indicator.code == "ENGAGE"
        assert ReturnEvent.objects.filter(partner_return=found, kind="uploaded").exists()

    def test_a_downloaded_and_uploaded_template_changes_nothing(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        entries = {cell.key: checks.Entry(3, "") for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        spreadsheet.upload(
            partner_return=found, content=spreadsheet.template(found), by=partner_lead
        )
        assert queries.stored_entries(found) == entries


class TestWhatACraftedFileCannotDo:
    def test_a_note_that_looks_like_a_formula_is_neutralised_in_the_template(
        self, found: PartnerReturn
    ) -> None:
        entries = {cell.key: checks.Entry(3, "") for cell in queries.cells_for(found)}
        first = next(iter(entries))
        entries[first] = checks.Entry(3, '=HYPERLINK("http://x","Click")')
        services.save_values(partner_return=found, entries=entries)
        sheet = _book(spreadsheet.template(found))["Returns"]
        note = sheet["F6"]
        assert (note.value, note.data_type) == ('\'=HYPERLINK("http://x","Click")', "s")

    def test_a_control_character_in_a_note_does_not_break_the_template(
        self, found: PartnerReturn
    ) -> None:
        note = "up\x01 by two"
        entries = {cell.key: checks.Entry(3, note) for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        assert _book(spreadsheet.template(found))["Returns"]["F6"].value == "up by two"

    def test_a_neutralised_template_uploads_unchanged(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        note = "=4-3 since Q2"
        entries = {cell.key: checks.Entry(3, note) for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        spreadsheet.upload(
            partner_return=found, content=spreadsheet.template(found), by=partner_lead
        )
        assert queries.stored_entries(found) == entries

    def test_a_template_whose_rows_run_past_the_limit_is_refused_with_a_message(
        self, found: PartnerReturn, partner_lead: User, settings: object
    ) -> None:
        settings.PREVENTHUB_SPREADSHEET_MAX_ROWS = 1000  # type: ignore[attr-defined]
        content = rewrite(
            _filled(found),
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"</sheetData>", b'<row r="5000"/></sheetData>'),
        )
        with pytest.raises(spreadsheet.SpreadsheetError) as caught:
            spreadsheet.upload(partner_return=found, content=content, by=partner_lead)
        assert caught.value.problems == [
            "The file has more than 1,000 rows (counting empty ones). Copy the rows you need "
            "into a new file."
        ]
        assert not IndicatorValue.objects.exists()

    def test_a_file_over_the_upload_limit_is_refused_by_the_page(
        self,
        found: PartnerReturn,
        partner_lead: User,
        client_as: Callable[[User], Client],
        settings: object,
    ) -> None:
        settings.PREVENTHUB_UPLOAD_MAX_MB = 1  # type: ignore[attr-defined]
        response = client_as(partner_lead).post(
            reverse("localprofile:return_upload", args=[found.pk]),
            {"file": SimpleUploadedFile("filled.xlsx", b"x" * (1024 * 1024 + 1))},
        )
        assert "The file is larger than 1 MB" in response.content.decode()
        assert not IndicatorValue.objects.exists()


class TestCellLevelErrors:
    @pytest.mark.parametrize(
        ("cells", "message"),
        [
            ({"E7": "lots"}, "Sheet Returns, cell E7: 'lots' is not a whole number"),
            ({"E8": 2.5}, "Sheet Returns, cell E8: enter a whole number"),
            ({"E9": -2}, "Sheet Returns, cell E9: The figure cannot be negative"),
            ({"F6": "x" * 201}, "Sheet Returns, cell F6: Keep the note to 200 characters"),
            ({"A7": "NOPE"}, "Sheet Returns, cell A7: NOPE for E07000199 is not a figure"),
            ({"B1": "Another Trust"}, "Sheet Returns, cell B1: this template is for another"),
            ({"B2": "2018/19 Q2"}, "Sheet Returns, cell B2: this template is for another quarter"),
            ({"E7": 10**12}, "Sheet Returns, cell E7: 1,000,000,000,000 is too large"),
        ],
    )
    def test_a_bad_cell_is_named_and_nothing_is_written(
        self, found: PartnerReturn, partner_lead: User, cells: dict, message: str
    ) -> None:
        with pytest.raises(spreadsheet.SpreadsheetError) as caught:
            spreadsheet.upload(
                partner_return=found, content=_filled(found, **cells), by=partner_lead
            )
        assert any(problem.startswith(message) for problem in caught.value.problems), (
            caught.value.problems
        )
        assert not IndicatorValue.objects.exists()
        assert not ReturnEvent.objects.filter(kind="uploaded").exists()

    def test_every_bad_cell_is_listed_at_once(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        with pytest.raises(spreadsheet.SpreadsheetError) as caught:
            spreadsheet.upload(
                partner_return=found, content=_filled(found, E6="x", E10="y"), by=partner_lead
            )
        assert [p.split(":")[0] for p in caught.value.problems] == [
            "Sheet Returns, cell E6",
            "Sheet Returns, cell E10",
        ]

    def test_a_file_that_is_not_a_workbook_is_refused(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        with pytest.raises(spreadsheet.SpreadsheetError, match="not an Excel"):
            spreadsheet.upload(partner_return=found, content=b"a,b,c\n", by=partner_lead)

    def test_existing_figures_survive_a_bad_upload(
        self, found: PartnerReturn, partner_lead: User
    ) -> None:
        entries = {cell.key: checks.Entry(3, "") for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        with pytest.raises(spreadsheet.SpreadsheetError):
            spreadsheet.upload(partner_return=found, content=_filled(found, E6=-1), by=partner_lead)
        assert queries.stored_entries(found) == entries


class TestThePages:
    def test_a_partner_lead_downloads_the_template_and_uploads_it(
        self, found: PartnerReturn, partner_lead: User, client_as: Callable[[User], Client]
    ) -> None:
        client = client_as(partner_lead)
        download = client.get(reverse("localprofile:return_template", args=[found.pk]))
        assert download["Content-Disposition"] == (
            'attachment; filename="ctlp-return-2018-19-Q3.xlsx"'
        )
        book = _book(download.content)
        for row in range(6, book["Returns"].max_row + 1):
            book["Returns"][f"E{row}"] = 1
        response = client.post(
            reverse("localprofile:return_upload", args=[found.pk]),
            {"file": SimpleUploadedFile("filled.xlsx", _save(book)), "version": found.version},
        )
        assert response.status_code == 302
        assert IndicatorValue.objects.filter(partner_return=found).count() > 0

    def test_the_upload_page_lists_each_bad_cell(
        self, found: PartnerReturn, partner_lead: User, client_as: Callable[[User], Client]
    ) -> None:
        response = client_as(partner_lead).post(
            reverse("localprofile:return_upload", args=[found.pk]),
            {
                "file": SimpleUploadedFile("filled.xlsx", _filled(found, E7="lots")),
                "version": found.version,
            },
        )
        html = response.content.decode()
        assert "nothing was saved" in html
        assert "Sheet Returns, cell E7: &#x27;lots&#x27; is not a whole number" in html
