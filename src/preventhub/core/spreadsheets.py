"""Spreadsheets in and out: the one bounded reader every import uses, and the one rule for every
cell Prevent Hub writes.

Reading. Every CSV and XLSX file people upload or import (a return's template, a questionnaire, a
survey export, the GIAS extract) is read by :func:`read_rows`, :func:`csv_rows` or
:func:`xlsx_rows`, within :class:`Limits` (docs/security.md#upload-limits): its size, what it
unpacks to, its rows, columns, cells, the length of a cell, and the time reading takes. A file
beyond them, or one that cannot be read, raises :class:`SpreadsheetRefused` with a message that
names the row and column where it can. Nothing here touches the database.

Writing. Every cell of every CSV, XLSX or ODS file Prevent Hub writes, headings and templates
included, passes through :func:`neutralise`, so that no text anyone typed runs as a formula.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import chain, count, islice, repeat
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.db.models import Model
from django.utils.functional import Promise
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

MB = 1024 * 1024
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
# The full-width forms are read as formulas by Excel with some East Asian input settings.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A zip with more members than this is not a workbook: Excel writes a dozen or two.
MAX_MEMBERS = 1000
# A member bigger than RATIO_CHECKED_ABOVE that unpacks to more than MAX_RATIO times its packed
# size is a zip bomb: real sheets compress 5 to 30 times.
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = MB
# A part openpyxl builds whole in memory (all but the sheets and their shared text) is refused
# above this size; a real workbook's styles or names take a few hundred kilobytes.
MAX_WHOLE_PART = 4 * MB
# Excel's own limit on the cell formats of a workbook is about 65,000.
MAX_CELL_FORMATS = 100_000
CONTENT_TYPES = "[Content_Types].xml"
STYLES = "xl/styles.xml"
# Parts openpyxl reads by these names, whatever [Content_Types].xml says they are.
FIXED_PARTS = {CONTENT_TYPES, STYLES, "docProps/core.xml", "docProps/custom.xml"}
PACKAGE_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# The largest number a PostgreSQL integer column holds; SQLite would store a larger one.
LARGEST_INTEGER = 2_147_483_647
NOT_XLSX = (
    "The file could not be read as an XLSX workbook: it is not an Excel file, or it is damaged. "
    "Save it from Excel again."
)


def neutralise(value: Any) -> Any:
    """``value`` as a cell no spreadsheet program runs: risky text gets an apostrophe in front.

    Text is risky when it starts with a tab, a carriage return or a line feed, or when its first
    character after any spaces is one of ``FORMULA_STARTS``. Control characters a workbook cannot
    hold (all but tab, line feed and carriage return) are dropped first: openpyxl refuses them.
    Numbers, dates and other text are written as they are.
    """
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(("\t", "\r", "\n")) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """A cell as it was typed, without the apostrophe :func:`neutralise` put in front of it.

    Readers call it so that a template downloaded and uploaded again changes nothing.
    """
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


class SpreadsheetRefused(Exception):
    """The file cannot be read, or not within the limits; the message says where and why."""


@dataclass(frozen=True)
class Limits:
    """How much of a file may be read. None means not bounded (see ``from_settings``)."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int | None
    max_cell_chars: int
    max_unpacked_bytes: int
    max_seconds: float | None

    @classmethod
    def from_settings(cls, **changes: Any) -> Limits:
        """The limits in the settings, read now; ``changes`` replace some for one kind of file."""
        limits = cls(
            max_bytes=settings.PREVENTHUB_UPLOAD_MAX_MB * MB,
            max_rows=settings.PREVENTHUB_SPREADSHEET_MAX_ROWS,
            max_columns=settings.PREVENTHUB_SPREADSHEET_MAX_COLUMNS,
            max_cells=settings.PREVENTHUB_SPREADSHEET_MAX_CELLS,
            max_cell_chars=settings.PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS,
            max_unpacked_bytes=settings.PREVENTHUB_SPREADSHEET_MAX_UNPACKED_MB * MB,
            max_seconds=settings.PREVENTHUB_SPREADSHEET_MAX_SECONDS,
        )
        return replace(limits, **changes)


def megabytes(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"


def check_size(size: int, limits: Limits, name: str = "The file") -> None:
    """Refuse a file larger than the limit before anything reads it."""
    if size > limits.max_bytes:
        raise SpreadsheetRefused(
            f"{name} is larger than {megabytes(limits.max_bytes)}: check it is the right file."
        )


def read_file(path: Path, limits: Limits | None = None) -> bytes:
    """A file's bytes for a command, refused before it is read when it is larger than the limit."""
    check_size(path.stat().st_size, limits or Limits.from_settings(), path.name)
    return path.read_bytes()


def read_rows(
    content: bytes, filename: str, *, limits: Limits | None = None, header: bool = True
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file or of the first sheet of an XLSX workbook, chosen by file name."""
    name = filename.lower()
    if name.endswith(".csv"):
        return csv_rows(content, limits=limits, header=header)
    if name.endswith(".xlsx"):
        return xlsx_rows(content, limits=limits, header=header)
    raise SpreadsheetRefused(f"{filename} is neither a CSV nor an XLSX file. Save it as one.")


def _longest(cells: list[str]) -> int:
    return max(map(len, cells), default=0)


class _Reading:
    """What every reader checks of each row, and how it names a cell to the person."""

    def __init__(self, limits: Limits, header: bool) -> None:
        self.limits = limits
        self.header = header
        self.headings: list[str] = []
        self.cells = 0
        self.deadline = (
            None if limits.max_seconds is None else time.monotonic() + limits.max_seconds
        )

    def place(self, row: int, column: int) -> str:
        """ "Row 3, column text" (the column's heading), or "Row 3, column C" without one."""
        heading = self.headings[column] if column < len(self.headings) else ""
        letter = get_column_letter(min(column + 1, 18278))
        return f"Row {row}, column {heading or letter}"

    def check_text(self, number: int, cells: list[str]) -> list[str]:
        """:meth:`check` for a row of text cells (a CSV record), with the per-cell work in C.

        A national extract is millions of cells; most rows hold no long cell, no NUL and no cell
        starting with an apostrophe, so they are checked with a few string operations on the
        whole row. A row that needs more goes through :meth:`check`, which names the cell.
        """
        if self.header and number == 1:
            return self.check(number, cells)
        limits = self.limits
        joined = "\x1f".join(cells)
        if (
            number > limits.max_rows
            or (self.deadline is not None and time.monotonic() >= self.deadline)
            or len(cells) > limits.max_columns
            or "\x00" in joined
            or joined.startswith("'")
            or "\x1f'" in joined  # a cell that starts with an apostrophe, to restore
            or (len(joined) > limits.max_cell_chars and _longest(cells) > limits.max_cell_chars)
        ):
            return self.check(number, cells)
        self.cells += len(cells) - cells.count("")
        if limits.max_cells is not None and self.cells > limits.max_cells:
            raise SpreadsheetRefused(
                f"Row {number}: the file has more than {limits.max_cells:,} filled cells. "
                "Copy the rows you need into a new file."
            )
        return cells

    def all_plain(self, before: int, batch: list[list[str]], longest_line: int | None) -> bool:
        """Whether the records after the first ``before`` (``batch``, text cells of a file with
        no cell to restore) pass every check :meth:`check_text` makes of a row, asked of the
        batch in a few operations in C. ``longest_line`` bounds the length of every cell, when
        known. False sends the caller to check each row, which names the problem; nothing is
        counted for a batch that is not plain."""
        limits = self.limits
        if (
            before + len(batch) > limits.max_rows
            or (self.deadline is not None and time.monotonic() >= self.deadline)
            or max(map(len, batch)) > limits.max_columns
        ):
            return False
        if (longest_line is None or longest_line > limits.max_cell_chars) and max(
            map(len, chain.from_iterable(batch)), default=0
        ) > limits.max_cell_chars:
            return False
        if limits.max_cells is not None:
            filled = self.cells + sum(map(len, batch)) - sum(map(list.count, batch, repeat("")))
            if filled > limits.max_cells:
                return False
            self.cells = filled
        return True

    def check(self, number: int, cells: list[Any]) -> list[Any]:
        limits = self.limits
        if number > limits.max_rows:
            raise SpreadsheetRefused(
                f"The file has more than {limits.max_rows:,} rows (counting empty ones). "
                "Copy the rows you need into a new file."
            )
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise SpreadsheetRefused(
                f"Row {number}: reading the file took longer than {limits.max_seconds} seconds, "
                "so it was stopped. Copy the rows you need into a new file."
            )
        if len(cells) > limits.max_columns:
            raise SpreadsheetRefused(
                f"Row {number}: it has more than {limits.max_columns:,} columns. Copy the columns "
                "you need into a new file."
            )
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            self.cells += 1
            if isinstance(value, str):
                if len(value) > limits.max_cell_chars:
                    raise SpreadsheetRefused(
                        f"{self.place(number, column)}: the cell is longer than "
                        f"{limits.max_cell_chars:,} characters."
                    )
                if "\x00" in value:
                    raise SpreadsheetRefused(
                        f"{self.place(number, column)}: the cell contains a NUL character "
                        "(byte 0), which cannot be stored. Delete it, or save the file again."
                    )
                cells[column] = restore(value)
        if limits.max_cells is not None and self.cells > limits.max_cells:
            raise SpreadsheetRefused(
                f"Row {number}: the file has more than {limits.max_cells:,} filled cells. Copy "
                "the rows you need into a new file."
            )
        if self.header and number == 1:
            self.headings = ["" if value is None else str(value).strip() for value in cells]
        return cells


# --- CSV -------------------------------------------------------------------------------------


def csv_rows(
    content: bytes, *, limits: Limits | None = None, header: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """Each record of a CSV file as (row number, cells); the first record is row 1.

    The file may be UTF-8 (with or without a byte order mark) or Windows-1252, as Excel and GIAS
    save it; any other byte, and a NUL character anywhere, refuse it naming the row and column.
    """
    reading = _Reading(limits or Limits.from_settings(), header)
    check_size(len(content), reading.limits)
    text = _Text(content)
    nul = content.find(b"\x00")  # a NUL character is a NUL byte in either encoding
    if nul >= 0:
        raise SpreadsheetRefused(
            f"{_place_in(text.before(nul))}: the file contains a NUL character (byte 0), so it "
            "is not a CSV file. Save it as CSV or XLSX again."
        )
    if _may_restore(text):  # each cell to restore is found by the careful reading
        yield from _careful_records(text, reading, start=0)
    else:
        yield from _csv_records(text, reading)


class _Text:
    """A CSV file's text, decoded a piece at a time as it is read (:meth:`lines`): what an
    import holds of the file is the file's own bytes, never their text as well.

    Its encoding is settled before any row is read: UTF-8 if every byte is (after a byte order
    mark, which is not text), else Windows-1252 if every byte is, else the file is refused,
    naming where the first byte that is neither sits. The bytes that end lines, separate cells
    and quote them are the same single bytes in both, and never part of another character's
    bytes in UTF-8, so the file is cut into pieces, and searched, as bytes."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.encoding = _encoding_of(content)
        has_mark = self.encoding == "utf-8" and content.startswith(codecs.BOM_UTF8)
        self.start = len(codecs.BOM_UTF8) if has_mark else 0

    def lines(self) -> Iterator[list[str]]:
        """The file's lines, a piece's at a time (:func:`_pieces`), each piece decoded and split
        on its own."""
        for start, end in _pieces(self.content, self.start):
            piece = self.content[start:end].decode(self.encoding)
            yield io.StringIO(piece, newline="").readlines()

    def before(self, end: int) -> str:
        """The text before byte ``end``, to say where a problem found there sits."""
        return self.content[self.start : end].decode(self.encoding, errors="replace")


# UTF-8 is checked this many bytes at a time, each decoded and let go.
CHECKED_AT_ONCE = 1 << 20
# The bytes that are no character in Windows-1252 (Python's cp1252 codec).
NOT_WINDOWS_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def _encoding_of(content: bytes) -> str:
    """The encoding of ``content``, "utf-8" or "cp1252": the first that every byte of it is; or
    the file is refused naming where the first byte that is neither sits."""
    if content.isascii():
        return "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(content), CHECKED_AT_ONCE):
            decoder.decode(view[start : start + CHECKED_AT_ONCE])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    wrong = NOT_WINDOWS_1252.search(content)
    if wrong is None:
        return "cp1252"
    before = content[: wrong.start()].decode("cp1252")
    raise SpreadsheetRefused(
        f"{_place_in(before)}: byte 0x{content[wrong.start()]:02X} is neither UTF-8 nor "
        'Windows-1252 text. Save the file as "CSV UTF-8" and try again.'
    )


# More apostrophes than this in a file and it is read the careful way without looking at each.
MAX_APOSTROPHES_LOOKED_AT = 100_000


def _may_restore(text: _Text) -> bool:
    """Whether a cell of the CSV text may start with an apostrophe (see ``restore``): one after
    a comma, a line's end or a quotation mark, or at the start. Each apostrophe is found in C
    (a national extract has a few thousand, in names); a text with very many is read the
    careful way without looking further."""
    content, start = text.content, text.start
    if content.startswith(b"'", start) or content.count(b"'", start) > MAX_APOSTROPHES_LOOKED_AT:
        return True
    at = content.find(b"'", start + 1)
    while at >= 0:
        if content[at - 1 : at] in (b",", b"\n", b"\r", b'"'):
            return True
        at = content.find(b"'", at + 1)
    return False


# How many records are read and checked together on the quick path.
RECORDS_AT_ONCE = 100


def _csv_records(text: _Text, reading: _Reading) -> Iterator[tuple[int, list[str]]]:
    """The records of a file with no cell to restore, read a hundred at a time and checked
    together, in C.

    A national extract is millions of cells, and checking them row by row in Python took as long
    as the csv module's reading them. Records are read in batches and a batch is checked whole
    (``_Reading.all_plain``). At the first batch that is not plain (a cell too long, too many
    rows or cells, a line too wide, a record the csv module refuses), the rest of the file is
    read again from that batch's first record one record at a time, so that the problem is
    named at its row exactly as before.
    """
    lines = _MeasuredLines(text, reading.limits.max_columns)
    reader = csv.reader(lines)
    done = 0
    while True:
        # The header row alone first: it names the columns of every later message.
        wanted = 1 if reading.header and not done else RECORDS_AT_ONCE
        lines_before = reader.line_num
        try:
            batch = list(islice(reader, wanted))
        except (csv.Error, _TooWide):
            break
        if not batch:
            return
        if wanted == 1:
            yield 1, reading.check_text(1, batch[0])
            done = 1
            continue
        # A record that is one line holds no cell longer than the longest line read so far.
        one_line_each = reader.line_num - lines_before == len(batch)
        if not reading.all_plain(done, batch, lines.longest if one_line_each else None):
            break
        yield from zip(count(done + 1), batch)
        done += len(batch)
    yield from _careful_records(text, reading, start=done)


def _careful_records(
    text: _Text, reading: _Reading, *, start: int
) -> Iterator[tuple[int, list[str]]]:
    """The records after the first ``start`` (read again, unchecked: they were), one at a time,
    each checked with ``_Reading.check_text``."""
    reader = csv.reader(_narrow_lines(text, reading.limits.max_columns))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise SpreadsheetRefused(_csv_problem(number + 1, error)) from error
        except _TooWide as error:
            raise SpreadsheetRefused(
                f"Row {number + 1}: it has more than {reading.limits.max_columns:,} columns. Copy "
                "the columns you need into a new file."
            ) from error
        number += 1
        if number > start:
            yield number, reading.check_text(number, cells)


class _TooWide(Exception):
    pass


QUOTED = re.compile(r'"[^"]*"')


def _narrow_lines(text: _Text, max_columns: int) -> Iterator[str]:
    """The file's lines, stopping at one with more columns than the limit before csv splits it:
    a line of ten million commas would otherwise be a list of ten million cells first."""
    for lines in text.lines():
        for line in lines:
            if _too_wide(line, max_columns):
                raise _TooWide
            yield line


# About how many bytes of the file are decoded and split into lines at once.
PIECE = 1 << 16


def _pieces(content: bytes, start: int = 0, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """Where each piece of ``content`` from ``start`` begins and ends: about ``size`` bytes,
    each ending where a line does, so that each is decoded and split into lines on its own
    (``io.StringIO(piece, newline="")``) and the lines are the file's own: a line ends at
    "\n", "\r\n" or a lone "\r" (Excel for Mac's CSV).

    Neither the whole text nor a ``StringIO`` of it is made: a ``StringIO`` holds its text at
    four bytes a character, for a national GIAS extract 70 MB. Each line end is looked for
    once: the next "\n" and the next "\r" after a cut are kept until the cut passes them."""
    length = len(content)
    newline = carriage_return = 0  # the next of each at or after the cut; -1 when none is left
    while start < length:
        cut = start + size
        if cut >= length:
            yield start, length
            return
        if 0 <= newline < cut:
            newline = content.find(b"\n", cut)
        if 0 <= carriage_return < cut:
            carriage_return = content.find(b"\r", cut)
        found = [at for at in (newline, carriage_return) if at >= 0]
        if not found:
            yield start, length
            return
        end = min(found) + 1
        if content[end - 1] == CARRIAGE_RETURN and content.startswith(b"\n", end):
            end += 1  # "\r\n" is one line end
        yield start, end
        start = end


CARRIAGE_RETURN = ord("\r")


def _too_wide(line: str, max_columns: int) -> bool:
    # Commas inside quotes are not separators; a line whose quotes do not pair up continues
    # a quoted cell, which the csv module's own limit on a cell's length bounds.
    return (
        line.count(",") >= max_columns
        and line.count('"') % 2 == 0
        and QUOTED.sub("", line).count(",") >= max_columns
    )


class _MeasuredLines:
    """:func:`_narrow_lines`, the lines read and measured a piece of the text (:func:`_pieces`,
    64 KB) at a time, in C, keeping the length of the longest. A piece holding a line too wide
    raises before any of its lines is read: the caller reads the file again line by line to name
    the row."""

    def __init__(self, text: _Text, max_columns: int) -> None:
        self.longest = 0
        self.max_columns = max_columns
        self.lines = chain.from_iterable(self._batches(text))

    def __iter__(self) -> Iterator[str]:
        return self.lines

    def _batches(self, text: _Text) -> Iterator[list[str]]:
        for lines in text.lines():
            if max(map(str.count, lines, repeat(","))) >= self.max_columns and any(
                _too_wide(line, self.max_columns) for line in lines
            ):
                raise _TooWide
            self.longest = max(self.longest, max(map(len, lines)))
            yield lines


def _place_in(before: str) -> str:
    """The row and column (by heading) where a problem found after the text ``before`` sits."""
    try:
        records = list(csv.reader(io.StringIO(before, newline="")))
    except csv.Error:  # an unclosed quotation mark or a huge cell: count lines instead
        return f"Row {before.count(chr(10)) + 1}"
    if not before or before.endswith(("\n", "\r")):
        row, column = len(records) + 1, 0
    else:
        row, column = len(records), max(len(records[-1]) - 1, 0)
    headings = [cell.strip() for cell in records[0]] if row > 1 else []
    heading = headings[column] if column < len(headings) else ""
    return f"Row {row}, column {heading or get_column_letter(min(column + 1, 18278))}"


def _csv_problem(number: int, error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"Row {number}: a cell is longer than {csv.field_size_limit():,} characters, or a "
            "quotation mark is never closed."
        )
    return f"Row {number}: it cannot be read as CSV ({error})."


# --- XLSX ------------------------------------------------------------------------------------


def xlsx_rows(
    content: bytes,
    *,
    limits: Limits | None = None,
    sheet: str | None = None,
    columns: int | None = None,
    header: bool = True,
) -> Iterator[tuple[int, list[Any]]]:
    """Each row of a workbook's sheet (``sheet``, or the first) as (row number, values).

    Values are those Excel shows (a formula's last result). Without ``columns`` a row wider than
    the limit refuses the file; with it, only the first ``columns`` cells of each row are read.
    Trailing empty cells are left out.
    """
    reading = _Reading(limits or Limits.from_settings(), header)
    check_size(len(content), reading.limits)
    _check_zip(content, reading.limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetRefused(NOT_XLSX) from error
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SpreadsheetRefused(f"The workbook has no sheet called {sheet}.")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        # A sheet declares its size, and openpyxl would pad every row to it and add empty rows
        # up to it: a 2 KB file declaring a million rows would hold a worker for minutes.
        worksheet.reset_dimensions()
        width = columns or reading.limits.max_columns + 1
        rows = worksheet.iter_rows(max_col=width, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:  # a malformed or forbidden part of the sheet's XML
                raise SpreadsheetRefused(
                    f"Row {number + 1}: the workbook cannot be read from here on. Save it from "
                    "Excel again."
                ) from error
            number += 1
            yield number, reading.check(number, _trimmed(values))
    finally:
        book.close()


def _trimmed(values: tuple[Any, ...]) -> list[Any]:
    """A row without its trailing empty cells, which openpyxl adds up to the width asked for."""
    filled = len(values) - values.count(None)
    if values[:filled].count(None) == 0:  # the usual row, its cells then nothing: counted in C
        return list(values[:filled])
    cells = list(values)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _check_zip(content: bytes, limits: Limits) -> None:
    """Refuse a zip bomb, or a workbook that would swell in memory, before openpyxl opens it.

    The sizes a zip declares can be trusted as bounds: Python's zipfile stops at a member's
    declared size and refuses the member when what it unpacked does not match its checksum.
    """
    declared = _declared_members(content)
    if declared is not None and declared > MAX_MEMBERS:
        raise SpreadsheetRefused(f"The workbook has more than {MAX_MEMBERS:,} parts: {NOT_XLSX}")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_parts(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise SpreadsheetRefused(NOT_XLSX) from error


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetRefused(f"The workbook has more than {MAX_MEMBERS:,} parts: {NOT_XLSX}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise SpreadsheetRefused(
            f"The workbook unpacks to more than {megabytes(limits.max_unpacked_bytes)}. Copy the "
            "rows you need into a new file."
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise SpreadsheetRefused(
                f"The workbook's part {member.filename} unpacks to more than {MAX_RATIO} times "
                "its size, which no real spreadsheet does. Save it from Excel again."
            )
    # openpyxl reads a sheet row by row, but builds every other part whole in memory (styles,
    # defined names, charts), and a few kilobytes of those can become a gigabyte of objects.
    if CONTENT_TYPES not in archive.namelist():
        raise SpreadsheetRefused(NOT_XLSX)
    streamed = _streamed_parts(archive)
    for member in members:
        if member.filename not in streamed and member.file_size > MAX_WHOLE_PART:
            raise SpreadsheetRefused(
                f"The workbook's part {member.filename} is larger than "
                f"{megabytes(MAX_WHOLE_PART)}, which no real spreadsheet's is. Save it from Excel "
                "again."
            )
    if STYLES in archive.namelist() and _count_tags(archive, STYLES, b"xf") > MAX_CELL_FORMATS:
        raise SpreadsheetRefused(
            f"The workbook has more than {MAX_CELL_FORMATS:,} cell formats. Save it from Excel "
            "again."
        )
    for name, kind in streamed.items():
        if kind == SHARED_STRINGS and limits.max_cells is not None:
            if _count_tags(archive, name, b"si") > limits.max_cells:
                raise SpreadsheetRefused(
                    f"The workbook holds more than {limits.max_cells:,} pieces of text. Copy the "
                    "rows you need into a new file."
                )


def _streamed_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The parts [Content_Types].xml calls worksheets or shared strings, by name.

    Parts openpyxl finds by their fixed name (the styles, for one) are never among them, whatever
    the file declares.
    """
    manifest = fromstring(archive.read(CONTENT_TYPES))
    parts = {}
    for override in manifest.iter(f"{{{PACKAGE_TYPES}}}Override"):
        name = (override.get("PartName") or "").lstrip("/")
        kind = override.get("ContentType") or ""
        if kind in (WORKSHEET, SHARED_STRINGS) and name not in FIXED_PARTS:
            parts[name] = kind
    return parts


def _count_tags(archive: zipfile.ZipFile, name: str, tag: bytes) -> int:
    """How many ``tag`` elements a part holds, read in pieces, erring high.

    "<si", "<si/" and "<x:si" count; so does a prefixed end tag "</x:si>", which only makes the
    count higher than it is.
    """
    pattern = re.compile(rb"[<:]" + tag + rb"[\s/>]")
    # A tag cut by the end of a piece is found again with the next one; the bytes kept are too
    # few to hold a whole tag, so none is counted twice.
    kept = len(tag) + 1
    count, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(MB):
            data = tail + chunk
            count += len(pattern.findall(data))
            tail = data[-kept:]
    return count


def _declared_members(content: bytes) -> int | None:
    """The member count in the zip's end record, read before zipfile lists every member."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65557))
    if end < 0 or end + 22 > len(content):
        return None
    return int(struct.unpack("<H", content[end + 10 : end + 12])[0])


# --- Before writing --------------------------------------------------------------------------


def too_long(model: type[Model], values: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The fields of ``values`` longer than ``model`` allows them, each with its maximum.

    PostgreSQL refuses an over-long value where SQLite stores it whole, so every import checks
    its values with this before writing, and names the row and column of each.
    """
    found = []
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            found.append((name, limit))
    return found
