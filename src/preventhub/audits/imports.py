"""Reading a questionnaire and a survey tool's export of responses (CSV or XLSX).

Both are all or nothing: every row and cell is checked first, and one problem means nothing is
written. Problems name the row (as the spreadsheet numbers it, the header being row 1) and the
column, and say what to do.

This module touches no database: ``services.import_questionnaire`` and
``services.import_responses`` look up what a file is checked against, and write what it holds.
"""

from __future__ import annotations

import datetime
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from preventhub.audits.models import AuditRound, Question
from preventhub.audits.scales import (
    AnswerError,
    Outcome,
    PreventCounts,
    Scale,
    read_answer,
    share_of,
    unpack,
)
from preventhub.core.calendar import is_plausible
from preventhub.core.numbers import whole_number
from preventhub.core.spreadsheets import (
    MB,
    Limits,
    SpreadsheetRefused,
    read_rows,
    too_long,
)

MAX_PROBLEMS = 20
QUESTIONNAIRE_COLUMNS = ("code", "section", "text", "scale", "prevent", "requirement", "required")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")


class ImportProblems(Exception):
    """The file was refused; ``problems`` lists each row and column to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        more = len(problems) - len(self.problems)
        lines = [*self.problems, *([f"…and {more} more."] if more > 0 else [])]
        super().__init__("Nothing was imported. " + " ".join(lines))


@dataclass
class Sheet:
    """A file's header and its rows by number, without the empty ones: each row its cells in the
    header's order, as many as the header has (a short row is filled with blanks). ``rows`` is a
    list when read whole (:func:`read_sheet`), or read once as it goes (:func:`stream_sheet`)."""

    header: list[str]
    rows: Iterable[tuple[int, list[Any]]] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row as a dictionary by column (a repeated column: its last cell)."""
        for number, cells in self.rows:
            yield number, dict(zip(self.header, cells, strict=True))


def command_limits() -> Limits:
    """The limits of an export imported by ``manage.py import_audit_responses``: a whole
    country's round is 1.4 million answers, beyond a page upload's cells and seconds. Its rows are
    read one at a time and never all held, so only its size and its rows are bounded, as the
    GIAS extract's are."""
    return Limits.from_settings(
        max_bytes=settings.PREVENTHUB_GIAS_UPLOAD_MAX_MB * MB, max_cells=None, max_seconds=None
    )


def read_sheet(content: bytes, filename: str, limits: Limits | None = None) -> Sheet:
    """The rows of a CSV (Windows-1252 or UTF-8) or the first sheet of an XLSX workbook.

    Read within the upload limits (``core.spreadsheets``); a file beyond them, or with bytes that
    are not text, is refused naming the row and column.
    """
    sheet = stream_sheet(content, filename, limits)
    sheet.rows = list(sheet.rows)
    return sheet


def stream_sheet(content: bytes, filename: str, limits: Limits | None = None) -> Sheet:
    """:func:`read_sheet`, its rows read one at a time as they are asked for: a survey export of
    a whole country is checked and written without ever holding its rows."""
    try:
        rows = read_rows(content, filename, limits=limits)
        _, cells = next(rows, (1, []))
    except SpreadsheetRefused as error:
        raise ImportProblems([str(error)]) from error
    header = ["" if cell is None else str(cell).strip() for cell in cells]
    # A CSV row with more fields than the header has a stray comma; an XLSX cell has its column.
    counted = filename.lower().endswith(".csv")
    return Sheet(header=header, rows=_records(header, rows, counted))


def _records(
    header: list[str], rows: Iterator[tuple[int, list[Any]]], counted: bool
) -> Iterator[tuple[int, list[Any]]]:
    width = len(header)
    try:
        for number, cells in rows:
            try:
                # A CSV's cells are all text: one join finds a row of blanks (in C).
                blank = not "".join(cells).strip()
            except TypeError:  # an XLSX row holds numbers, dates and empty cells (None)
                cells = ["" if cell is None else cell for cell in cells]
                blank = not any(str(value).strip() for value in cells)
            if blank:
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            elif len(cells) > width:
                if counted:
                    raise ImportProblems([f"Row {number}: it has more cells than the header row."])
                cells = cells[:width]
            yield number, cells
    except SpreadsheetRefused as error:
        raise ImportProblems([str(error)]) from error


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


# --- Questionnaire ---------------------------------------------------------------------------


def _flag(value: Any, number: int, column: str, problems: list[str]) -> bool:
    word = _text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        problems.append(f'Row {number}, column {column}: "{_text(value)}" is not yes or no.')
    return False


def parse_questionnaire(sheet: Sheet) -> list[dict[str, Any]]:
    """The questions of a questionnaire, as the fields of each, in the file's order."""
    missing = [column for column in QUESTIONNAIRE_COLUMNS if column not in sheet.header]
    if missing:
        raise ImportProblems(
            [
                f"Row 1: the column {', '.join(missing)} is missing. The columns are "
                f"{','.join(QUESTIONNAIRE_COLUMNS)} (and optionally suggested_action)."
            ]
        )
    problems: list[str] = []
    questions: list[dict[str, Any]] = []
    codes: dict[str, int] = {}
    scales = {choice.value for choice in Scale}
    for number, row in sheet.records():
        code = _text(row.get("code"))
        if not code or len(code) > 20:
            problems.append(f"Row {number}, column code: give a code of 1 to 20 characters.")
        elif code in codes:
            problems.append(f"Row {number}, column code: {code} is also on row {codes[code]}.")
        codes.setdefault(code, number)
        scale = _text(row.get("scale"))
        if scale not in scales:
            problems.append(
                f'Row {number}, column scale: "{scale}" is not a scale. Use one of '
                f"{', '.join(sorted(scales))}."
            )
        for column in ("section", "text"):
            if not _text(row.get(column)):
                problems.append(f"Row {number}, column {column}: it is empty.")
        requirement = _flag(row.get("requirement"), number, "requirement", problems)
        if requirement and scale in (Scale.NUMBER, Scale.TEXT):
            problems.append(
                f"Row {number}, column requirement: a {scale} answer cannot show a requirement "
                "is met. Make it an indicator (requirement no) or give it a yes/no kind of scale."
            )
        section = _text(row.get("section"))
        for name, limit in too_long(Question, {"section": section}):
            problems.append(f"Row {number}, column {name}: keep it to {limit} characters.")
        questions.append(
            {
                "code": code,
                "section": section,
                "text": _text(row.get("text")),
                "scale": scale,
                "prevent": _flag(row.get("prevent"), number, "prevent", problems),
                "requirement": requirement,
                "required": _flag(row.get("required"), number, "required", problems),
                "suggested_action": _text(row.get("suggested_action")),
                "position": len(questions) + 1,
            }
        )
    if not questions and not problems:
        problems.append("The file has no questions under its header row.")
    if problems:
        raise ImportProblems(problems)
    return questions


# --- Responses -------------------------------------------------------------------------------


# A requirement answered short of met: its question and the answer, for the action plan.
Gap = tuple[Question, str]
# A cell as read, ready to add to its response: its answer encoded as a member of the response's
# JSON ('"12": "Partly"'), and the gap it shows if any; None for a blank.
ReadCell = tuple[str, Gap | None, int] | None  # piece, gap, share (scales.share_of)
GAP_OUTCOMES = (Outcome.PARTIAL, Outcome.NEGATIVE)


class School(Protocol):
    """A school as an export is checked against it: an ``Establishment``, or its plain row."""

    @property
    def urn(self) -> int: ...

    @property
    def name(self) -> str: ...


class Place(Protocol):
    """A school's place in the round: a ``RoundSchool``, or its plain row."""

    @property
    def pk(self) -> int: ...

    @property
    def establishment_id(self) -> int: ...

    @property
    def answered_by_id(self) -> int | None: ...


@dataclass
class ParsedResponse:
    row: int
    school: School
    submitted_on: datetime.date
    covers: list[School]
    answers: str  # the JSON text of Response.answers: question id → value, answered ones only
    answered: int
    gaps: list[Gap]
    counts: PreventCounts  # what the answers count for in the Prevent figures


@dataclass(frozen=True)
class ResponsesResult:
    responses: int
    schools_covered: int
    answers: int
    action_items: int

    def as_dict(self) -> dict[str, int]:
        return {
            "responses": self.responses,
            "schools_covered": self.schools_covered,
            "answers": self.answers,
            "action_items": self.action_items,
        }


def _date_value(value: Any, number: int, problems: list[str]) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    on = _as_date(value, text)
    if on is None or not is_plausible(on):
        problems.append(f'Row {number}, column Submitted: "{text}" is not a date like 04/03/2019.')
        return None
    return on


def _as_date(value: Any, text: str) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class ResponsesContext:
    """What an export is checked against, looked up by the caller: the round and its questions;
    by URN, the schools the file names that are in the register (any mapping: the caller may
    look a URN up when it is asked for), the round's scope, and the schools that have answered
    the round before."""

    round: AuditRound
    questions: list[Question]
    register: Mapping[int, School]
    scope: Mapping[int, Place]
    answered_before: set[int]


class _Schools:
    """Finds a URN in the register and the round's scope, and sees each school answered once."""

    def __init__(self, context: ResponsesContext) -> None:
        self.round = context.round
        self.by_urn = context.register
        self.places = context.scope
        self.answered_before = context.answered_before
        self.seen: dict[int, int] = {}

    def take(self, raw: str, number: int, column: str, problems: list[str]) -> School | None:
        if not _is_urn(raw):
            problems.append(f'Row {number}, column {column}: "{raw}" is not a URN (a number).')
            return None
        urn = int(raw)
        school = self.by_urn.get(urn)
        place = self.places.get(urn)
        if school is None:
            problems.append(
                f"Row {number}, column {column}: URN {urn} is not in the schools register."
            )
        elif place is None:
            problems.append(
                f"Row {number}, column {column}: {school.name} (URN {urn}) is not in the scope "
                f"of {self.round}. Add it to the round first, or remove the row."
            )
        elif urn in self.seen:
            problems.append(
                f"Row {number}, column {column}: {school.name} (URN {urn}) is answered twice: "
                f"also on row {self.seen[urn]}."
            )
        elif urn in self.answered_before or place.answered_by_id is not None:
            problems.append(
                f"Row {number}, column {column}: {school.name} (URN {urn}) has already answered "
                f"{self.round}."
            )
        else:
            self.seen[urn] = number
            return school
        return None


def _is_urn(raw: str) -> bool:
    # A URN must fit the register's integer column on PostgreSQL.
    return whole_number(raw) is not None


def parse_responses(sheet: Sheet, context: ResponsesContext) -> list[ParsedResponse]:
    """Every response of the export, checked; or :class:`ImportProblems` naming each problem."""
    return list(iter_responses(sheet, context))


def _refuse(sheet: Sheet, problems: list[str]) -> None:
    """Refuse the file for ``problems`` in its header, unless the file cannot be read at all:
    that is said first, as when the file was read whole before its header was looked at."""
    for _ in sheet.rows:
        pass
    raise ImportProblems(problems)


# Answers and dates repeat ("Yes", "Met", the closing date): each distinct text of a column is
# read once, and its answer kept ready to append, already encoded as JSON: joining a response's
# pieces costs a fraction of json.dumps of its dictionary. Free text does not repeat, so a
# column's memo stops growing here.
MEMO_SIZE = 1000


@dataclass
class _Column:
    """A question's column: where it is in a row, and each distinct text of it read before."""

    name: str
    position: int
    question: Question
    key: str  # the question's id encoded as the start of a JSON member: '"12":'
    # A cell's text → its piece of the response's JSON ("" for a blank)
    pieces: dict[str, str] = field(default_factory=dict)
    # A cell's text → the gap it shows, for the texts read before that show one
    gaps: dict[str, Gap] = field(default_factory=dict)
    # A cell's text → its share of the response's Prevent counts (scales.share_of)
    shares: dict[str, int] = field(default_factory=dict)

    def read(self, raw: Any) -> tuple[str, Gap | None, int]:
        """The cell's piece, gap and share, kept for its text while the memo has room. Raises
        AnswerError."""
        cell = _read_cell(self.question, self.key, _text(raw))
        piece, gap, share = cell if cell is not None else ("", None, 0)
        # Only text is kept: a spreadsheet's True and 1 are equal keys but read apart.
        if type(raw) is str and len(self.pieces) < MEMO_SIZE:
            self.pieces[raw] = piece
            self.shares[raw] = share
            if gap is not None:
                self.gaps[raw] = gap
        return piece, gap, share


def _picker(positions: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A function giving a row's cells at ``positions``, as a tuple (in C)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda cells: (cells[only],)
    return operator.itemgetter(*positions)


def iter_responses(sheet: Sheet, context: ResponsesContext) -> Iterator[ParsedResponse]:
    """Each response of the export as it is read and checked, while no problem has been found.

    Problems are gathered to the end and raised together as :class:`ImportProblems`, after the
    last row; after the first, the rest of the file is still checked but nothing more is
    yielded. A caller that writes what it is given, in a transaction that the exception rolls
    back, reads the file once and leaves nothing written when any row has a problem.
    """
    header = sheet.header
    if "URN" not in header:
        _refuse(sheet, ["Row 1: there is no URN column. Name the school's URN column URN."])
    audit_round = context.round
    questions = {q.code.casefold(): q for q in context.questions}
    if not questions:
        _refuse(sheet, [f"{audit_round} has no questions yet. Load its questionnaire first."])
    problems: list[str] = []
    columns: list[_Column] = []
    for position, name in enumerate(header):
        if name in ("URN", "Submitted", "Covers") or not name:
            continue
        question = questions.get(name.casefold())
        if header.index(name) < position:
            problems.append(f"Row 1, column {name}: the column is there twice. Keep one.")
        elif question is None:
            problems.append(f"Row 1, column {name}: there is no question {name} in {audit_round}.")
        else:
            columns.append(_Column(name, position, question, json.dumps(str(question.pk)) + ":"))
    if problems:
        _refuse(sheet, problems)
    urn_at = header.index("URN")
    covers_at = header.index("Covers") if "Covers" in header else None
    submitted_at = header.index("Submitted") if "Submitted" in header else None
    # A row's cells are read a column at a time, in C: its question cells picked in one call,
    # each looked up in its column's memo by map(); only a text not seen before is read in
    # Python. The gaps are looked up the same way, in the columns of requirements alone.
    answers_of = _picker([column.position for column in columns])
    piece_memos = [column.pieces for column in columns]
    gap_columns = [index for index, column in enumerate(columns) if column.question.requirement]
    gaps_of = _picker([columns[index].position for index in gap_columns]) if gap_columns else None
    gap_memos = [columns[index].gaps for index in gap_columns]
    # And each Prevent question's share of the response's counts, in the same way.
    share_columns = [index for index, column in enumerate(columns) if column.question.prevent]
    shares_of = _picker([columns[i].position for i in share_columns]) if share_columns else None
    share_memos = [columns[index].shares for index in share_columns]
    schools = _Schools(context)
    dates: dict[str, datetime.date | None] = {}
    today = timezone.localdate()
    read = 0
    for number, cells in sheet.rows:
        read += 1
        school = schools.take(_text(cells[urn_at]), number, "URN", problems)
        covers = (
            [
                covered
                for raw in _text(cells[covers_at]).split(";")
                if raw.strip()
                and (covered := schools.take(raw.strip(), number, "Covers", problems)) is not None
            ]
            if covers_at is not None
            else []
        )
        submitted = cells[submitted_at] if submitted_at is not None else ""
        if type(submitted) is str and submitted in dates:
            submitted_on = dates[submitted]
        else:
            before = len(problems)
            submitted_on = _date_value(submitted, number, problems)
            if type(submitted) is str and len(problems) == before and len(dates) < MEMO_SIZE:
                dates[submitted] = submitted_on
        texts = answers_of(cells)
        pieces = list(map(dict.get, piece_memos, texts))
        unkept: dict[int, Gap] = {}  # by column: gaps of cells whose text was not kept
        unkept_shares: dict[int, int] = {}  # and their shares
        if None in pieces:
            for index, piece in enumerate(pieces):
                if piece is not None:
                    continue
                column = columns[index]
                try:
                    pieces[index], gap, share = column.read(texts[index])
                except AnswerError as error:
                    problems.append(f"Row {number}, column {column.name}: {error}.")
                    pieces[index] = ""
                    continue
                if gap is not None and texts[index] not in column.gaps:
                    unkept[index] = gap
                if texts[index] not in column.shares:
                    unkept_shares[index] = share
        gaps: list[Gap] = []
        if gaps_of is not None:
            found = list(map(dict.get, gap_memos, gaps_of(cells)))
            if unkept:
                for slot, index in enumerate(gap_columns):
                    found[slot] = unkept.get(index, found[slot])
            gaps = [gap for gap in found if gap is not None]
        if school is not None and not problems:
            answered = len(pieces) - pieces.count("")
            answers = "{" + ",".join(filter(None, pieces)) + "}"
            shares = list(map(dict.get, share_memos, shares_of(cells))) if shares_of else []
            if None in shares:
                shares = [
                    unkept_shares[index] if share is None else share
                    for share, index in zip(shares, share_columns, strict=True)
                ]
            yield ParsedResponse(
                number,
                school,
                submitted_on or today,
                covers,
                answers,
                answered,
                gaps,
                unpack(sum(shares)),
            )
    if not read:
        problems.append("The file has no responses under its header row.")
    if problems:
        raise ImportProblems(problems)


def _read_cell(question: Question, key: str, text: str) -> ReadCell:
    """A cell's answer to ``question`` as a piece of its response's JSON (``key`` is the
    question's, encoded), and the gap it shows; None for a blank. Raises AnswerError."""
    value, outcome = read_answer(question.scale, text)
    if not value:
        return None
    gap = (question, value) if question.requirement and outcome in GAP_OUTCOMES else None
    return key + json.dumps(value), gap, share_of(question, value)
