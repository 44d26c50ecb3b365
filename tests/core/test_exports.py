"""Downloads: every cell of every CSV, XLSX and ODS file is neutralised, headings included, and
each kind of value reads back from the XLSX and ODS files as it was written."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import zipfile

import openpyxl
import pytest
import tablib
from odf import opendocument, teletype, text
from odf import table as odf_table

from preventhub.core.exports import Table, csv_response, table_response
from preventhub.core.workbooks import LONGEST_TEXT

TABLE = Table(
    title="Organisations",
    headers=["Name", "=Q1", "+Q2"],
    rows=[["-Shire Trust", '=HYPERLINK("http://x")', 5], ["Plain", "@cmd", -3]],
)
NEUTRALISED = [
    ["Name", "'=Q1", "'+Q2"],
    ["'-Shire Trust", '\'=HYPERLINK("http://x")', 5],
    ["Plain", "'@cmd", -3],
]


def test_a_streamed_csv_neutralises_its_header_and_its_cells() -> None:
    response = csv_response("t.csv", TABLE.headers, TABLE.rows)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        [str(cell) for cell in row] for row in NEUTRALISED
    ]


def test_a_csv_table_neutralises_its_header_and_its_cells() -> None:
    text = table_response(TABLE, filename="t", fmt="csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        [str(cell) for cell in row] for row in NEUTRALISED
    ]


def test_an_xlsx_table_holds_text_not_formulas_in_every_cell() -> None:
    content = table_response(TABLE, filename="t", fmt="xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == NEUTRALISED
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} <= {"s", "n"}


def test_an_ods_table_neutralises_its_header_and_its_cells() -> None:
    content = table_response(TABLE, filename="t", fmt="ods").content
    dataset = tablib.Dataset().load(content, format="ods")
    assert dataset.headers == NEUTRALISED[0]
    assert [list(row) for row in dataset] == NEUTRALISED[1:]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_a_control_character_in_any_cell_does_not_break_the_download(fmt: str) -> None:
    table = Table(title="Organisations", headers=["Na\x01me"], rows=[["Shire\x02 Trust"]])
    response = table_response(table, filename="t", fmt=fmt)
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
            ["Name"],
            ["Shire Trust"],
        ]


# --- What core.workbooks writes, read back by the libraries spreadsheet programs' readers use ----

MOMENT = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)  # 09:30 in London, winter
KINDS = Table(
    title="Schools: 2026/27 [draft] *national* and more than thirty-one characters",
    headers=["Text", "Number", "Date", "When", "Flag", "Empty"],
    rows=[
        [
            "  two leading spaces,  two inside\tand a tab",
            42,
            datetime.date(2026, 11, 3),
            MOMENT,
            True,
            None,
        ],
        ["<b>&amp; \"quoted\" 'single'</b>", -3.25, datetime.date(1999, 1, 1), MOMENT, False, ""],
        [
            "Line one\nLine two",
            decimal.Decimal("12.50"),
            datetime.date(2026, 2, 28),
            MOMENT,
            True,
            None,
        ],
        ["Ysgol Gymraeg Bro Ŵyr 🏫", 0, datetime.date(2026, 12, 31), MOMENT, False, None],
    ],
)
WHEN_LOCAL = datetime.datetime(2026, 12, 7, 9, 30)


def _xlsx(table: Table) -> openpyxl.worksheet.worksheet.Worksheet:
    content = table_response(table, filename="t", fmt="xlsx").content
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_an_xlsx_keeps_each_kind_of_value_as_a_spreadsheet_reads_it() -> None:
    sheet = _xlsx(KINDS)
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == KINDS.headers
    assert values[1:] == [
        [
            "  two leading spaces,  two inside\tand a tab",
            42,
            datetime.datetime(2026, 11, 3),
            WHEN_LOCAL,
            True,
            None,
        ],
        [
            "<b>&amp; \"quoted\" 'single'</b>",
            -3.25,
            datetime.datetime(1999, 1, 1),
            WHEN_LOCAL,
            False,
            None,
        ],
        ["Line one\nLine two", 12.5, datetime.datetime(2026, 2, 28), WHEN_LOCAL, True, None],
        ["Ysgol Gymraeg Bro Ŵyr 🏫", 0, datetime.datetime(2026, 12, 31), WHEN_LOCAL, False, None],
    ]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Schools  2026 27  draft   natio"


def _ods_sheet(content: bytes) -> tuple[str, list[list[object]]]:
    """An ODS file's one sheet as OpenDocument defines its values: odfpy reads the text as
    LibreOffice shows it (runs of spaces, tabs, a paragraph a line), where tablib keeps only the
    first piece of a cell's text."""
    sheet = opendocument.load(io.BytesIO(content)).spreadsheet.getElementsByType(odf_table.Table)[0]

    def value(cell: object) -> object:
        kind = cell.getAttribute("valuetype")
        if kind == "float":
            return decimal.Decimal(cell.getAttribute("value"))
        if kind == "boolean":
            return cell.getAttribute("booleanvalue") == "true"
        if kind == "date":
            return datetime.datetime.fromisoformat(cell.getAttribute("datevalue"))
        return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(text.P))

    rows = [
        [value(cell) for cell in row.getElementsByType(odf_table.TableCell)]
        for row in sheet.getElementsByType(odf_table.TableRow)
    ]
    return sheet.getAttribute("name"), rows


def test_an_ods_keeps_each_kind_of_value_as_a_spreadsheet_reads_it() -> None:
    content = table_response(KINDS, filename="t", fmt="ods").content
    package = zipfile.ZipFile(io.BytesIO(content))
    first = package.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert package.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    name, rows = _ods_sheet(content)
    assert name == "Schools  2026 27  draft   natio"
    assert rows[0] == KINDS.headers
    day = datetime.datetime
    assert rows[1:] == [
        [
            "  two leading spaces,  two inside\tand a tab",
            42,
            day(2026, 11, 3),
            WHEN_LOCAL,
            True,
            "",
        ],
        [
            "<b>&amp; \"quoted\" 'single'</b>",
            decimal.Decimal("-3.25"),
            day(1999, 1, 1),
            WHEN_LOCAL,
            False,
            "",
        ],
        ["Line one\nLine two", decimal.Decimal("12.50"), day(2026, 2, 28), WHEN_LOCAL, True, ""],
        ["Ysgol Gymraeg Bro Ŵyr 🏫", 0, day(2026, 12, 31), WHEN_LOCAL, False, ""],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_text_longer_than_a_cell_holds_is_cut_to_its_size_and_the_file_still_opens(
    fmt: str,
) -> None:
    table = Table(title="Long", headers=["Feedback"], rows=[["x" * 40_000], ["short"]])
    content = table_response(table, filename="t", fmt=fmt).content
    if fmt == "xlsx":
        column = [
            row[0].value for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
        ]
    else:
        column = [row[0] for row in _ods_sheet(content)[1]]
    assert column == ["Feedback", "x" * LONGEST_TEXT, "short"]


def test_a_row_wider_than_its_headings_is_written_whole() -> None:
    sheet = _xlsx(Table(title="Wide", headers=["A"], rows=[list(range(30))]))
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))] == list(range(30))
    assert sheet["AD2"].value == 29
