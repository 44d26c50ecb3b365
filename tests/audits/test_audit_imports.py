"""Loading questionnaires and survey exports: all or nothing, problems named by row and column."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from openpyxl import Workbook

from preventhub.audits.imports import ImportProblems, read_sheet
from preventhub.audits.models import (
    ActionPlanItem,
    AuditRound,
    Question,
    Response,
    RoundSchool,
)
from preventhub.audits.services import import_questionnaire, import_responses
from preventhub.core.models import AuditEvent
from tests.workbooks import workbook

from .audit_world import QUESTIONNAIRE, answers_by_code

pytestmark = pytest.mark.django_db


def nothing_written(audit_round: AuditRound) -> bool:
    return (
        not Response.objects.filter(round=audit_round).exists()
        and not RoundSchool.objects.filter(round=audit_round, answered_by__isnull=False).exists()
        and not ActionPlanItem.objects.filter(place__round=audit_round).exists()
    )


def refused(audit_round: AuditRound, text: str) -> list[str]:
    # Rows are written as they are read, so a refused file is one whose writes were rolled back.
    entries = AuditEvent.objects.count()
    with pytest.raises(ImportProblems) as caught:
        import_responses(audit_round=audit_round, content=text.encode(), filename="export.csv")
    assert nothing_written(audit_round)
    assert AuditEvent.objects.count() == entries
    return caught.value.problems


class TestQuestionnaires:
    def test_a_questionnaire_creates_its_round_with_the_default_scope(self, audit_round) -> None:
        assert [q.code for q in audit_round.questions.all()] == [
            "G1",
            "P1",
            "P2",
            "SEF",
            "PAR",
            "NOTE",
        ]
        p1 = audit_round.questions.get(code="P1")
        assert (p1.scale, p1.prevent, p1.requirement, p1.required) == (
            "yes_no_partly",
            True,
            True,
            True,
        )
        assert audit_round.scope.count() == 10

    def test_the_schools_put_in_scope_are_one_summary_entry(self, audit_round) -> None:
        entry = AuditEvent.objects.get(object_type="audits.roundschool", action="create")
        assert (entry.object_repr, entry.changes) == ("10 round schools", {"rows": 10})
        assert entry.detail == f"The schools in scope of {audit_round}"

    def test_loading_again_replaces_the_questions_until_schools_answer(self, audit_round) -> None:
        import_questionnaire(round_name="2018", content=QUESTIONNAIRE.encode())
        assert audit_round.questions.count() == 6
        import_responses(
            audit_round=audit_round, content=b"URN,G1\n900001,Yes\n", filename="export.csv"
        )
        with pytest.raises(ImportProblems, match="started answering"):
            import_questionnaire(round_name="2018", content=QUESTIONNAIRE.encode())
        assert audit_round.questions.count() == 6

    def test_a_bad_row_names_the_row_and_column_and_creates_nothing(self, db) -> None:
        bad = (
            "code,section,text,scale,prevent,requirement,required\n"
            "Q1,S,Text,yes_no,yes,yes,yes\n"
            "Q1,S,Text,sometimes,perhaps,yes,yes\n"
            "Q3,S,How many?,number,no,yes,no\n"
        )
        with pytest.raises(ImportProblems) as caught:
            import_questionnaire(round_name="2020", content=bad.encode())
        assert caught.value.problems == [
            "Row 3, column code: Q1 is also on row 2.",
            'Row 3, column scale: "sometimes" is not a scale. Use one of met_partly_not, '
            "number, one_to_four, text, yes_no, yes_no_partly.",
            'Row 3, column prevent: "perhaps" is not yes or no.',
            "Row 4, column requirement: a number answer cannot show a requirement is met. Make "
            "it an indicator (requirement no) or give it a yes/no kind of scale.",
        ]
        assert not AuditRound.objects.filter(name="2020").exists()

    def test_a_missing_column_is_named(self, db) -> None:
        with pytest.raises(ImportProblems, match="the column scale is missing"):
            import_questionnaire(
                round_name="2020",
                content=b"code,section,text,prevent,requirement,required\n",
            )

    def test_the_command_loads_a_file_and_refuses_a_bad_one(self, db, tmp_path) -> None:
        good = tmp_path / "q.csv"
        good.write_text(QUESTIONNAIRE, encoding="cp1252")
        out = StringIO()
        call_command(
            "import_questionnaire",
            str(good),
            "--round",
            "2021",
            "--opens",
            "2021-09-01",
            "--closes",
            "2021-10-31",
            stdout=out,
        )
        assert "Loaded 6 questions into round 2021" in out.getvalue()
        assert AuditRound.objects.get(name="2021").opens_on == datetime.date(2021, 9, 1)
        bad = tmp_path / "bad.csv"
        bad.write_text("code\nQ\n")
        with pytest.raises(CommandError, match="Nothing was imported"):
            call_command("import_questionnaire", str(bad), "--round", "2022", stderr=StringIO())


class TestResponses:
    def test_an_unknown_urn_is_named_and_nothing_is_written(self, audit_round) -> None:
        problems = refused(audit_round, "URN,G1\n900001,Yes\n123456,Yes\n")
        assert problems == ["Row 3, column URN: URN 123456 is not in the schools register."]

    def test_a_school_out_of_scope_is_named(self, audit_round) -> None:
        problems = refused(audit_round, "URN,G1\n900011,Yes\n")
        assert problems == [
            "Row 2, column URN: Closed School (URN 900011) is not in the scope of 2018. "
            "Add it to the round first, or remove the row."
        ]

    def test_an_unknown_answer_names_the_row_column_and_the_answers_allowed(
        self, audit_round
    ) -> None:
        problems = refused(audit_round, "URN,G1,P2\n900001,Yes,Mostly\n")
        assert problems == [
            'Row 2, column P2: "Mostly" is not an answer to this question: use "Met", '
            '"Partly met" or "Not met".'
        ]

    def test_a_school_answered_twice_is_refused_even_through_a_trust(self, audit_round) -> None:
        problems = refused(audit_round, "URN,Covers,G1\n900004,900005,Yes\n900005,,Yes\n")
        assert problems == [
            "Row 3, column URN: School 5 (URN 900005) is answered twice: also on row 2."
        ]

    def test_a_school_that_already_answered_cannot_be_imported_again(self, audit_round) -> None:
        import_responses(audit_round=audit_round, content=b"URN,G1\n900001,Yes\n", filename="a.csv")
        with pytest.raises(ImportProblems, match="has already answered 2018"):
            import_responses(
                audit_round=audit_round, content=b"URN,G1\n900001,Yes\n", filename="a.csv"
            )
        assert Response.objects.count() == 1

    def test_an_unknown_question_column_is_named(self, audit_round) -> None:
        problems = refused(audit_round, "URN,G1,Q99\n900001,Yes,Yes\n")
        assert problems == ["Row 1, column Q99: there is no question Q99 in 2018."]

    def test_a_bad_date_is_named(self, audit_round) -> None:
        problems = refused(audit_round, "URN,Submitted,G1\n900001,31/02/2018,Yes\n")
        assert problems == ['Row 2, column Submitted: "31/02/2018" is not a date like 04/03/2019.']

    @pytest.mark.parametrize("submitted", ["31/12/9999", "01/01/0001", "31/12/1899"])
    def test_a_date_at_the_ends_of_the_calendar_is_named_not_a_fault(
        self, audit_round, submitted: str
    ) -> None:
        # An action plan item is due days after the date submitted: past 9999, the error page.
        problems = refused(audit_round, f"URN,Submitted,G1,P1\n900001,{submitted},Yes,No\n")
        assert problems == [
            f'Row 2, column Submitted: "{submitted}" is not a date like 04/03/2019.'
        ]

    def test_covered_schools_count_as_responded_through_the_trust(self, audit_round) -> None:
        result = import_responses(
            audit_round=audit_round,
            content=b"URN,Covers,G1\n900004,900005; 900006,Yes\n",
            filename="export.csv",
        )
        assert (result.responses, result.schools_covered) == (1, 2)
        covered = RoundSchool.objects.get(round=audit_round, establishment__urn=900006)
        assert covered.answered_by.establishment.urn == 900004
        entry = (
            AuditEvent.objects.filter(object_type="audits.auditround").order_by("sequence").last()
        )
        assert "export.csv" in entry.detail

    def test_an_xlsx_export_is_read_like_a_csv(self, audit_round) -> None:
        book = Workbook()
        sheet = book.active
        sheet.append(["URN", "Submitted", "Covers", "G1", "P1", "P2", "SEF", "PAR", "NOTE"])
        sheet.append(
            [900001, datetime.datetime(2018, 10, 12), None, "Yes", "yes", "met", "No", "Yes", None]
        )
        content = io.BytesIO()
        book.save(content)
        import_responses(audit_round=audit_round, content=content.getvalue(), filename="x.xlsx")
        response = Response.objects.get(establishment__urn=900001)
        assert response.submitted_on == datetime.date(2018, 10, 12)
        assert response.status == Response.Status.SUBMITTED
        assert answers_by_code(response) == {
            "G1": "Yes",
            "P1": "Yes",
            "P2": "Met",
            "SEF": "No",
            "PAR": "Yes",
        }

    def test_a_file_that_is_not_a_spreadsheet_is_refused(self, audit_round) -> None:
        with pytest.raises(ImportProblems, match="neither a CSV nor an XLSX"):
            import_responses(audit_round=audit_round, content=b"x", filename="export.pdf")
        with pytest.raises(ImportProblems, match="could not be read as an XLSX"):
            import_responses(audit_round=audit_round, content=b"x", filename="export.xlsx")
        assert nothing_written(audit_round)

    def test_the_command_prints_json_counts_last(self, audit_round, tmp_path) -> None:
        export = tmp_path / "export.csv"
        export.write_bytes(b"URN,Covers,G1\n900004,900005,Yes\n")
        out = StringIO()
        call_command("import_audit_responses", str(export), "--round", "2018", "--json", stdout=out)
        assert out.getvalue().strip().splitlines()[-1] == (
            '{"responses": 1, "schools_covered": 1, "answers": 1, "action_items": 0}'
        )
        assert Question.objects.filter(round=audit_round).count() == 6


class TestFilesThatCannotBeRead:
    """Crafted or damaged files: a message naming the row and column, and nothing written."""

    def test_a_byte_that_is_not_text_is_named_by_row_and_column(self, db) -> None:
        content = b"code,section,text,scale,prevent,requirement,required\nQ1,S,Caf\x81,yes_no,,,\n"
        with pytest.raises(ImportProblems) as caught:
            import_questionnaire(round_name="2020", content=content)
        assert caught.value.problems[0].startswith("Row 2, column text: byte 0x81 is neither")
        assert not AuditRound.objects.filter(name="2020").exists()

    def test_a_nul_byte_in_a_questionnaire_is_refused_wherever_it_is(self, db) -> None:
        rows = "".join(f"Q{n},S,Text,yes_no,no,no,no\n" for n in range(200))
        content = (QUESTIONNAIRE.split("\n")[0] + "\n" + rows).encode() + b"Q9,S,T\x00,yes_no,,,\n"
        assert len(content) > 4096
        with pytest.raises(ImportProblems) as caught:
            import_questionnaire(round_name="2020", content=content)
        assert caught.value.problems[0].startswith(
            "Row 202, column text: the file contains a NUL character"
        )
        assert not AuditRound.objects.filter(name="2020").exists()

    def test_a_section_longer_than_its_column_is_refused_not_cut(self, db) -> None:
        content = (
            "code,section,text,scale,prevent,requirement,required\n"
            f"Q1,{'S' * 101},Text,yes_no,no,no,no\n"
        ).encode()
        with pytest.raises(ImportProblems) as caught:
            import_questionnaire(round_name="2020", content=content)
        assert caught.value.problems == ["Row 2, column section: keep it to 100 characters."]
        assert not AuditRound.objects.filter(name="2020").exists()

    def test_a_round_name_longer_than_its_column_is_refused_by_the_command(
        self, db, tmp_path
    ) -> None:
        good = tmp_path / "q.csv"
        good.write_text(QUESTIONNAIRE)
        err = StringIO()
        with pytest.raises(CommandError, match="Nothing was imported"):
            call_command("import_questionnaire", str(good), "--round", "R" * 101, stderr=err)
        assert "longer than 100 characters" in err.getvalue()
        assert not AuditRound.objects.exists()

    def test_the_command_names_a_byte_that_is_not_text(self, audit_round, tmp_path) -> None:
        export = tmp_path / "export.csv"
        export.write_bytes(b"URN,G1\n900001,Y\x81s\n")
        err = StringIO()
        with pytest.raises(CommandError, match="Nothing was imported"):
            call_command("import_audit_responses", str(export), "--round", "2018", stderr=err)
        assert "Row 2, column G1: byte 0x81 is neither UTF-8 nor Windows-1252" in err.getvalue()
        assert nothing_written(audit_round)

    def test_a_question_column_named_twice_is_refused_rather_than_read_twice(
        self, audit_round
    ) -> None:
        problems = refused(audit_round, "URN,G1,G1\n900001,Yes,No\n")
        assert problems == ["Row 1, column G1: the column is there twice. Keep one."]

    def test_a_row_shorter_than_the_header_leaves_its_last_questions_unanswered(
        self, audit_round
    ) -> None:
        import_responses(
            audit_round=audit_round,
            content=b"URN,Submitted,G1,P1\n900001,01/10/2018\n900002,01/10/2018,Yes\n",
            filename="export.csv",
        )
        answers = dict(
            Response.objects.filter(round=audit_round).values_list("establishment__urn", "answers")
        )
        g1 = str(audit_round.questions.get(code="G1").pk)
        assert answers == {900001: {}, 900002: {g1: "Yes"}}

    @pytest.mark.parametrize("urn", ["²", "9" * 5000, "99999999999"])
    def test_a_urn_that_is_not_a_plain_number_is_named(self, audit_round, urn: str) -> None:
        problems = refused(audit_round, f"URN,G1\n{urn},Yes\n")
        assert problems == [f'Row 2, column URN: "{urn}" is not a URN (a number).']

    def test_an_xlsx_declaring_a_huge_sheet_is_read_as_the_rows_it_holds(self, audit_round) -> None:
        content = workbook([["URN", "G1"], [900001, "Yes"]], dimension="A1:XFD3")
        sheet = read_sheet(content, "export.xlsx")
        assert sheet.header == ["URN", "G1"]
        assert sheet.rows == [(2, [900001, "Yes"])]

    @override_settings(PREVENTHUB_SPREADSHEET_MAX_ROWS=50)
    def test_an_xlsx_whose_rows_run_past_the_limit_is_refused_with_a_message(
        self, audit_round
    ) -> None:
        content = workbook([["URN", "G1"], [900001, "Yes"]], first_row=1000)
        with pytest.raises(ImportProblems) as caught:
            import_responses(audit_round=audit_round, content=content, filename="export.xlsx")
        assert caught.value.problems == [
            "The file has more than 50 rows (counting empty ones). Copy the rows you need into "
            "a new file."
        ]
        assert nothing_written(audit_round)

    def test_an_xlsx_whose_shared_strings_expand_hugely_is_refused(self, audit_round) -> None:
        content = workbook([["URN", "G1"], [900001, "Yes"]], strings=["A" * 3_000_000])
        with pytest.raises(ImportProblems, match="unpacks to more than 200 times its size"):
            import_responses(audit_round=audit_round, content=content, filename="export.xlsx")
        assert nothing_written(audit_round)

    def test_a_neutralised_question_code_reads_back_as_typed(self, db) -> None:
        content = (
            b"code,section,text,scale,prevent,requirement,required\n'-Q1,S,Text,yes_no,no,no,no\n"
        )
        audit_round, _ = import_questionnaire(round_name="2020", content=content)
        assert audit_round.questions.get().code == "-Q1"


class TestAnExportWrittenInChunks:
    """A national export is written a chunk at a time: here two responses to a chunk."""

    @pytest.fixture(autouse=True)
    def small_chunks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from preventhub.audits import services

        monkeypatch.setattr(services, "CHUNK", 2)

    def test_every_chunk_is_written_with_its_answers_covers_and_action_items(
        self, audit_round
    ) -> None:
        from .audit_world import RESPONSES

        before = AuditEvent.objects.count()
        result = import_responses(
            audit_round=audit_round, content=RESPONSES.encode(), filename="export.csv"
        )
        assert (result.responses, result.schools_covered) == (5, 3)
        assert Response.objects.filter(round=audit_round).count() == 5
        assert result.answers == sum(
            len(answers) for answers in audit_round.responses.values_list("answers", flat=True)
        )
        assert RoundSchool.objects.filter(round=audit_round, answered_by__isnull=False).count() == 8
        items = ActionPlanItem.objects.filter(place__round=audit_round)
        assert result.action_items == items.count() > 0
        assert set(items.values_list("status", "version")) == {("open", 1)}
        # One summary entry for the whole import, however many chunks it took.
        assert AuditEvent.objects.count() == before + 1

    def test_a_problem_after_the_first_chunks_leaves_nothing_written(self, audit_round) -> None:
        problems = refused(
            audit_round,
            "URN,G1\n900001,Yes\n900002,Yes\n900003,Yes\n900004,Yes\n900006,Maybe\n",
        )
        assert problems == [
            'Row 6, column G1: "Maybe" is not an answer to this question: use "Yes" or "No".'
        ]

    def test_the_figures_are_those_of_the_same_export_written_at_once(self, audit_round) -> None:
        from preventhub.audits import stats

        from .audit_world import RESPONSES

        import_responses(audit_round=audit_round, content=RESPONSES.encode(), filename="e.csv")
        assert stats.round_figures(audit_round) == stats.Figures(
            in_scope=10,
            responded=8,
            prevent_answered=6,
            all_actioned=4,
            cannot_confirm=1,
            under_review=1,
        )
