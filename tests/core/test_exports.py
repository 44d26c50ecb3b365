"""Downloads: every cell of every CSV, XLSX and ODS file is neutralised, headings included."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import tablib

from preventhub.core.exports import Table, csv_response, table_response

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
