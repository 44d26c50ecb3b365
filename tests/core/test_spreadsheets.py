"""The one bounded reader every import uses, and the one rule for every cell Prevent Hub writes."""

from __future__ import annotations

import csv
import datetime
import io
import random
import string
import tracemalloc
import zipfile

import pytest
from django.test import override_settings

from preventhub.core import spreadsheets
from preventhub.core.models import AuditEvent
from preventhub.core.spreadsheets import (
    RECORDS_AT_ONCE,
    SpreadsheetRefused,
    _count_tags,
    csv_rows,
    neutralise,
    read_rows,
    restore,
    too_long,
    xlsx_rows,
)
from tests.workbooks import MAIN, rewrite, workbook

RISKY = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "  =HYPERLINK(1)", "\uff1d1"]


def refusal(rows: object) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        list(rows)  # type: ignore[call-overload]
    return str(caught.value)


class TestNeutralise:
    @pytest.mark.parametrize("text", RISKY)
    def test_text_that_could_start_a_formula_gets_an_apostrophe(self, text: str) -> None:
        assert neutralise(text) == "'" + text

    @pytest.mark.parametrize("value", ["Text", "a=b", "'quoted", "", 5, -5, 2.5, None])
    def test_other_values_are_written_as_they_are(self, value: object) -> None:
        assert neutralise(value) == value

    def test_control_characters_a_workbook_cannot_hold_are_dropped_first(self) -> None:
        assert neutralise("a\x01b\x1fc") == "abc"
        assert neutralise("\x01=1") == "'=1"
        assert neutralise("line\nbreak\ttab") == "line\nbreak\ttab"

    def test_a_date_is_written_as_it_is(self) -> None:
        assert neutralise(datetime.date(2019, 3, 4)) == datetime.date(2019, 3, 4)

    @pytest.mark.parametrize("value", [*RISKY, "'quoted", "'", "Text", 5])
    def test_reading_gives_back_exactly_what_was_written(self, value: object) -> None:
        assert restore(neutralise(value)) == value


class TestCsv:
    def test_utf8_with_a_byte_order_mark_and_windows_1252_read_alike(self) -> None:
        text = "code,text\nQ1,St Mary’s\n"
        expected = [(1, ["code", "text"]), (2, ["Q1", "St Mary’s"])]
        assert list(csv_rows(text.encode("utf-8-sig"))) == expected
        assert list(csv_rows(text.encode("cp1252"))) == expected

    def test_a_byte_that_is_neither_utf8_nor_windows_1252_is_named_by_row_and_column(
        self,
    ) -> None:
        message = refusal(csv_rows(b"code,text\nQ1,ok\nQ2,caf\x81\n"))
        assert message.startswith("Row 3, column text: byte 0x81 is neither UTF-8 nor")

    def test_a_nul_byte_anywhere_is_refused_naming_its_row_and_column(self) -> None:
        content = b"code,text\n" + b"Q,padding\n" * 1000 + b"Q9,a\x00b\n"
        assert refusal(csv_rows(content)).startswith(
            "Row 1002, column text: the file contains a NUL character"
        )

    def test_an_endless_quoted_cell_is_refused_with_its_row(self) -> None:
        content = b'code,text\nQ1,"' + b"x" * 200_000 + b"\n"
        assert refusal(csv_rows(content)).startswith("Row 2: a cell is longer than")

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS=10)
    def test_a_cell_longer_than_the_limit_is_named(self) -> None:
        message = refusal(csv_rows(b"code,text\nQ1," + b"x" * 11 + b"\n"))
        assert message == "Row 2, column text: the cell is longer than 10 characters."

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_ROWS=3)
    def test_rows_beyond_the_limit_are_refused(self) -> None:
        assert list(csv_rows(b"a\n1\n2\n"))[-1] == (3, ["2"])
        assert refusal(csv_rows(b"a\n1\n2\n3\n")).startswith("The file has more than 3 rows")

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_COLUMNS=3)
    def test_a_row_wider_than_the_limit_is_refused(self) -> None:
        assert refusal(csv_rows(b"a,b,c\n1,2,3,4\n")).startswith(
            "Row 2: it has more than 3 columns"
        )

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_COLUMNS=3)
    def test_a_line_of_separators_is_refused_before_it_is_split(self) -> None:
        assert refusal(csv_rows(b"a,b,c\n" + b"," * 1_000_000 + b"\n")).startswith(
            "Row 2: it has more than 3 columns"
        )
        assert list(csv_rows(b'a,b,c\n"1,2,3,4",2,3\n'))[1] == (2, ["1,2,3,4", "2", "3"])

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELLS=5)
    def test_more_filled_cells_than_the_limit_are_refused(self) -> None:
        assert refusal(csv_rows(b"a,b\n1,2\n3,4\n")).startswith(
            "Row 3: the file has more than 5 filled cells"
        )

    @override_settings(PREVENTHUB_UPLOAD_MAX_MB=1)
    def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(self) -> None:
        assert refusal(csv_rows(b"a\n" + b"1\n" * 600_000)).startswith(
            "The file is larger than 1 MB"
        )

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_SECONDS=0)
    def test_reading_that_takes_longer_than_the_limit_is_stopped(self) -> None:
        assert "took longer than 0 seconds" in refusal(csv_rows(b"a\n1\n"))

    def test_a_neutralised_cell_reads_back_as_it_was_typed(self) -> None:
        assert list(csv_rows(b"a,b\n'=1+1,'-2\n"))[1] == (2, ["=1+1", "-2"])

    def test_a_file_neither_csv_nor_xlsx_is_refused(self) -> None:
        with pytest.raises(SpreadsheetRefused, match="neither a CSV nor an XLSX file"):
            read_rows(b"", "table.ods")


def many_rows(count: int, row: str = "Q,padding") -> bytes:
    """A CSV file of ``count`` rows after its header: more than one batch of the quick reading."""
    assert count > RECORDS_AT_ONCE
    return ("code,text\n" + (row + "\n") * count).encode()


class TestCsvReadInBatches:
    """Most files are read a hundred records at a time (``RECORDS_AT_ONCE``) and checked
    together; a problem anywhere is still named at its own row, and the rows are the same."""

    def test_rows_read_in_batches_are_those_read_one_by_one(self) -> None:
        text = "code,text\n" + "".join(
            f'Q{n},"line one, then\nline two of {n}"\r\n' if n % 7 == 0 else f"Q{n},St Mary's\n"
            for n in range(1, 1300)
        )
        expected = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
        assert list(csv_rows(text.encode())) == expected

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS=10)
    def test_a_cell_too_long_after_many_rows_is_named_at_its_row(self) -> None:
        content = many_rows(1232) + b"Q," + b"x" * 11 + b"\n" + many_rows(600)[10:]
        assert refusal(csv_rows(content)) == (
            "Row 1234, column text: the cell is longer than 10 characters."
        )

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS=10)
    def test_a_cell_over_several_lines_too_long_is_named_though_no_line_is(self) -> None:
        content = many_rows(700) + b'Q,"abcdef\nghijkl"\n' + many_rows(600)[10:]
        assert refusal(csv_rows(content)) == (
            "Row 702, column text: the cell is longer than 10 characters."
        )

    def test_a_cell_to_restore_after_many_rows_is_restored(self) -> None:
        rows = list(csv_rows(many_rows(1099) + b"Q,'=1+1\n" + many_rows(600)[10:]))
        assert rows[1100] == (1101, ["Q", "=1+1"])
        assert len(rows) == 1701 and rows[1101] == (1102, ["Q", "padding"])

    def test_a_file_with_very_many_apostrophes_is_still_read_whole(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(spreadsheets, "MAX_APOSTROPHES_LOOKED_AT", 10)
        rows = list(csv_rows(many_rows(800, "Q,St Mary's")))
        assert len(rows) == 801 and rows[-1] == (801, ["Q", "St Mary's"])

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELLS=2001)
    def test_more_filled_cells_than_the_limit_are_named_at_the_row_that_passes_it(self) -> None:
        assert refusal(csv_rows(many_rows(1500))).startswith(
            "Row 1001: the file has more than 2,001 filled cells"
        )

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_ROWS=1000)
    def test_rows_beyond_the_limit_are_refused_within_a_batch(self) -> None:
        assert len(list(csv_rows(many_rows(999)))) == 1000
        assert refusal(csv_rows(many_rows(1000))).startswith("The file has more than 1,000 rows")

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_COLUMNS=3)
    def test_a_line_too_wide_after_many_rows_is_named_at_its_row(self) -> None:
        content = many_rows(900) + b"," * 10_000 + b"\n" + many_rows(600)[10:]
        assert refusal(csv_rows(content)).startswith("Row 902: it has more than 3 columns")

    def test_an_endless_quoted_cell_after_many_rows_is_named_at_its_row(self) -> None:
        content = many_rows(1500) + b'Q,"' + b"x" * 200_000 + b"\n"
        assert refusal(csv_rows(content)).startswith("Row 1502: a cell is longer than")


class TestCsvReadInPieces:
    """The file is decoded and split into lines a piece at a time (``spreadsheets._pieces``):
    neither its whole text nor a ``StringIO`` of it (four bytes a character) is made."""

    ENDINGS = 'a,b,"c\r\nd"\r\ne,f\rg,h\n\n"i\rj",k\r\r\nl'

    @pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 21, 34, 1000])
    def test_pieces_end_only_where_a_line_ends_whatever_the_line_ends(self, size: int) -> None:
        content = self.ENDINGS.encode() * 20
        bounds = list(spreadsheets._pieces(content, 0, size))
        assert [start for start, _ in bounds] == [0] + [end for _, end in bounds[:-1]]
        assert bounds[-1][1] == len(content)
        lines = [
            line
            for start, end in bounds
            for line in io.StringIO(content[start:end].decode(), newline="")
        ]
        assert lines == list(io.StringIO(content.decode(), newline=""))

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
    def test_each_piece_is_decoded_as_the_whole_file_is(self, encoding: str) -> None:
        rows = [["URN", "Name"]] + [
            [str(n), f"Ysgol Gymraeg Bro Ddyfi {n} – Café"] for n in range(5000)
        ]
        text = "".join(",".join(row) + "\r\n" for row in rows)
        assert [cells for _, cells in csv_rows(text.encode(encoding))] == rows

    def test_a_file_of_old_mac_line_ends_is_read_as_rows(self) -> None:
        content = many_rows(3000).replace(b"\n", b"\r")
        rows = list(csv_rows(content))
        assert len(rows) == 3001 and rows[-1] == (3001, ["Q", "padding"])

    def test_reading_holds_no_more_for_a_bigger_file(self) -> None:
        def peak_reading(content: bytes) -> int:
            tracemalloc.start()
            try:
                assert sum(1 for _ in csv_rows(content)) == content.count(b"\n")
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

        small, large = many_rows(20_000), many_rows(80_000)
        grew = peak_reading(large) - peak_reading(small)
        # A piece's lines and a batch's rows at a time, whatever the file's size: its decoded
        # text, and a StringIO of it, once made the peak more than five times the file.
        assert grew < 0.1 * (len(large) - len(small))


class TestXlsx:
    def test_an_xlsx_declaring_a_huge_sheet_is_read_as_the_rows_it_holds(self) -> None:
        content = workbook([["URN", "G1"], [900001, "Yes"]], dimension="A1:XFD1048576")
        assert len(content) < 3000
        assert list(xlsx_rows(content)) == [(1, ["URN", "G1"]), (2, [900001, "Yes"])]

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_ROWS=1000)
    def test_an_xlsx_whose_rows_run_past_the_limit_is_refused_with_a_message(self) -> None:
        content = workbook([["URN"], [900001]], first_row=1_048_575)
        assert refusal(xlsx_rows(content)).startswith("The file has more than 1,000 rows")

    def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(self) -> None:
        content = workbook([["URN"], [900001]], strings=["A" * 3_000_000])
        assert len(content) < 10_000
        assert "unpacks to more than 200 times its size" in refusal(xlsx_rows(content))

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_UNPACKED_MB=1)
    def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(self) -> None:
        text = "".join(random.Random(1).choices(string.ascii_letters, k=1_500_000))
        content = workbook([["URN"], [900001]], strings=[text])
        assert refusal(xlsx_rows(content)).startswith("The workbook unpacks to more than 1 MB")

    def test_a_zip_of_thousands_of_parts_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for number in range(1001):
                archive.writestr(f"part{number}.xml", "")
        assert "more than 1,000 parts" in refusal(xlsx_rows(out.getvalue()))

    def test_xml_entities_are_refused(self) -> None:
        content = rewrite(
            workbook([["URN", "G1"], [900001, "Yes"]]),
            "xl/sharedStrings.xml",
            lambda xml: (
                b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>' + xml.replace(b">Yes<", b">&a;&a;&a;<")
            ),
        )
        assert "could not be read as an XLSX workbook" in refusal(xlsx_rows(content))

    def test_a_workbook_with_more_cell_formats_than_excel_allows_is_refused(self) -> None:
        styles = f'<styleSheet xmlns="{MAIN}"><cellXfs>{"<xf/>" * 100_001}</cellXfs></styleSheet>'
        content = workbook([["URN"], [900001]], parts={"xl/styles.xml": styles})
        assert len(content) < 10_000
        assert "more than 100,000 cell formats" in refusal(xlsx_rows(content))

    def test_a_part_openpyxl_builds_whole_is_refused_above_4_mb(self) -> None:
        names = "".join(f'<definedName name="n{n}">A!$A$1</definedName>' for n in range(90_000))
        content = rewrite(
            workbook([["URN"], [900001]]),
            "xl/workbook.xml",
            lambda xml: xml.replace(
                b"</sheets>", f"</sheets><definedNames>{names}".encode()
            ).replace(b"</workbook>", b"</definedNames></workbook>"),
        )
        assert "part xl/workbook.xml is larger than 4 MB" in refusal(xlsx_rows(content))

    def test_styles_declared_as_a_worksheet_are_still_bounded(self) -> None:
        noise = "".join(random.Random(1).choices(string.ascii_letters, k=4_500_000))
        styles = f'<styleSheet xmlns="{MAIN}"><extLst>{noise}</extLst></styleSheet>'
        content = rewrite(
            workbook([["URN"], [900001]], parts={"xl/styles.xml": styles}),
            "[Content_Types].xml",
            lambda xml: xml.replace(
                b"</Types>",
                b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats'
                b'-officedocument.spreadsheetml.worksheet+xml"/></Types>',
            ),
        )
        assert "part xl/styles.xml is larger than 4 MB" in refusal(xlsx_rows(content))

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELLS=10)
    def test_more_shared_text_than_the_cells_limit_is_refused(self) -> None:
        content = workbook([["URN"], [900001]], strings=["unused"] * 10)
        assert refusal(xlsx_rows(content)).startswith("The workbook holds more than 10 pieces")

    def test_tags_are_counted_across_the_pieces_a_part_is_read_in(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("strings.xml", "<sst>" + "<si><t>x</t></si>" * 300_000 + "</sst>")
        with zipfile.ZipFile(out) as archive:
            assert _count_tags(archive, "strings.xml", b"si") == 300_000

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_COLUMNS=3)
    def test_a_row_wider_than_the_limit_is_refused(self) -> None:
        content = workbook([["a", "b", "c"], [1, 2, 3, 4]])
        assert refusal(xlsx_rows(content)).startswith("Row 2: it has more than 3 columns")

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS=10)
    def test_a_cell_longer_than_the_limit_is_named_by_its_heading(self) -> None:
        content = workbook([["URN", "Note"], [900001, "x" * 11]])
        assert refusal(xlsx_rows(content)) == (
            "Row 2, column Note: the cell is longer than 10 characters."
        )

    def test_only_the_columns_asked_for_are_read(self) -> None:
        content = workbook([["a", "b", "c"], [1, None, 3]])
        assert list(xlsx_rows(content, columns=2)) == [(1, ["a", "b"]), (2, [1])]

    def test_a_missing_sheet_is_named(self) -> None:
        content = workbook([["a"]])
        assert refusal(xlsx_rows(content, sheet="Returns")) == (
            "The workbook has no sheet called Returns."
        )

    def test_a_file_that_is_not_a_workbook_is_refused(self) -> None:
        assert "could not be read as an XLSX workbook" in refusal(xlsx_rows(b"a,b\n"))


class TestTooLong:
    def test_it_names_each_field_longer_than_its_column(self) -> None:
        values = {"object_type": "x" * 101, "object_id": "1", "object_repr": "y" * 200}
        assert too_long(AuditEvent, values) == [("object_type", 100)]
