"""Importing the GIAS establishment extract: encodings, checks, all-or-nothing, upsert by URN."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from preventhub.core.models import AuditEvent
from preventhub.partnership.models import Area
from preventhub.schools.gias import GiasImportError, import_gias
from preventhub.schools.models import Establishment, EstablishmentGroup

pytestmark = pytest.mark.django_db

# The real GIAS header and rows, copied from shared/data/gias (Windows-1252, as GIAS publishes).
SAMPLE = Path(__file__).resolve().parent / "data" / "gias_sample.csv"


def sample() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def staffordshire_row(**changes: str) -> dict[str, str]:
    _, rows = sample()
    row = dict(next(r for r in rows if r["LA (code)"] == "860"))
    row.update(changes)
    return row


def extract(
    rows: list[dict[str, str]], *, encoding: str = "cp1252", header: list[str] | None = None
) -> bytes:
    columns = header or sample()[0]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


class TestTheRealSample:
    def test_it_keeps_the_partnerships_school_and_counts_the_rest_as_out_of_area(self) -> None:
        result = import_gias(SAMPLE.read_bytes(), la_codes=["860"])
        assert (result.created, result.out_of_area, result.rejected) == (1, 6, 0)
        school = Establishment.objects.get()
        assert (school.urn, school.name) == (124087, "Thomas Barnes Primary School")
        assert school.status == Establishment.Status.OPEN and school.la_code == "860"

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        import_gias(SAMPLE.read_bytes(), la_codes=["860"])
        entries = AuditEvent.objects.count()
        again = import_gias(SAMPLE.read_bytes(), la_codes=["860"])
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
        assert AuditEvent.objects.count() == entries

    def test_other_la_codes_can_be_asked_for_one_import(self) -> None:
        result = import_gias(SAMPLE.read_bytes(), la_codes=["201", "202"])
        assert result.created == 2
        closed = Establishment.objects.get(urn=100004)
        assert closed.status == Establishment.Status.CLOSED


class TestEncodings:
    @pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
    def test_st_marys_comes_out_as_typed(self, encoding: str) -> None:
        content = extract(
            [staffordshire_row(EstablishmentName="St Mary’s Catholic Primary School")],
            encoding=encoding,
        )
        import_gias(content, la_codes=["860"])
        assert Establishment.objects.get().name == "St Mary’s Catholic Primary School"

    def test_a_file_that_is_not_text_is_refused(self) -> None:
        with pytest.raises(GiasImportError, match="neither UTF-8 nor Windows-1252"):
            import_gias(b"URN,\x81\x8d\x8f\x90\x9d", la_codes=["860"])


class TestAllOrNothing:
    def test_a_missing_column_is_named_and_nothing_is_written(self) -> None:
        header = [c for c in sample()[0] if c != "EstablishmentStatus (code)"]
        with pytest.raises(GiasImportError, match="no column 'EstablishmentStatus \\(code\\)'"):
            import_gias(extract([staffordshire_row()], header=header), la_codes=["860"])
        assert not Establishment.objects.exists()

    def test_a_bad_row_names_its_line_and_column_and_the_good_rows_are_not_written(self) -> None:
        good = staffordshire_row()
        bad = staffordshire_row(URN="999999", OpenDate="31-02-2019")
        with pytest.raises(GiasImportError) as refused:
            import_gias(extract([good, bad]), la_codes=["860"])
        assert refused.value.problems == [
            "Line 3, column OpenDate: '31-02-2019' is not a date like 04-03-2019."
        ]
        assert refused.value.result.rejected == 1
        assert not Establishment.objects.exists()

    @pytest.mark.parametrize(
        "changes,message",
        [
            (
                {"EstablishmentStatus (code)": "7"},
                "Line 2, column EstablishmentStatus (code): '7' is not 1, 2, 3 or 4.",
            ),
            ({"URN": "abc"}, "Line 2, column URN: 'abc' is not a whole number."),
            ({"NumberOfPupils": "-3"}, "Line 2, column NumberOfPupils: -3 is below zero."),
            ({"EstablishmentName": " "}, "Line 2, column EstablishmentName: the name is empty."),
        ],
    )
    def test_each_kind_of_bad_value_is_explained(
        self, changes: dict[str, str], message: str
    ) -> None:
        with pytest.raises(GiasImportError) as refused:
            import_gias(extract([staffordshire_row(**changes)]), la_codes=["860"])
        assert message in refused.value.problems

    def test_a_urn_twice_is_refused(self) -> None:
        with pytest.raises(
            GiasImportError, match="Line 3, column URN: URN 124087 is also on line 2"
        ):
            import_gias(extract([staffordshire_row(), staffordshire_row()]), la_codes=["860"])

    @pytest.mark.parametrize(
        "changes,message",
        [
            (
                {"EstablishmentName": "N" * 256},
                "Line 2, column EstablishmentName: it is longer than 255 characters.",
            ),
            (
                {"Postcode": "ST16 3AA XX"},
                "Line 2, column Postcode: it is longer than 10 characters.",
            ),
            (
                {"Trusts (code)": "1" * 21, "Trusts (name)": "A Trust"},
                "Line 2, column Trusts (code): it is longer than 20 characters.",
            ),
            (
                {"NumberOfPupils": "9999999999"},
                "Line 2, column NumberOfPupils: 9999999999 is too large.",
            ),
        ],
    )
    def test_a_value_too_big_for_the_register_is_named_as_postgresql_would_refuse_it(
        self, changes: dict[str, str], message: str
    ) -> None:
        with pytest.raises(GiasImportError) as refused:
            import_gias(extract([staffordshire_row(**changes)]), la_codes=["860"])
        assert refused.value.problems == [message]
        assert not Establishment.objects.exists() and not EstablishmentGroup.objects.exists()

    def test_a_nul_byte_is_named_by_row_and_column(self) -> None:
        content = extract([staffordshire_row(Postcode="ST16\x003AA")], encoding="utf-8")
        with pytest.raises(GiasImportError, match="Row 2, column Postcode: the file contains"):
            import_gias(content, la_codes=["860"])

    def test_quoted_fields_with_commas_are_read_whole(self) -> None:
        import_gias(
            extract([staffordshire_row(EstablishmentName="Blessed William Howard, Stafford")]),
            la_codes=["860"],
        )
        assert Establishment.objects.get().name == "Blessed William Howard, Stafford"


class TestUpdates:
    def test_closing_a_school_keeps_it_and_counts_the_closure(self) -> None:
        import_gias(extract([staffordshire_row()]), la_codes=["860"])
        result = import_gias(
            extract(
                [
                    staffordshire_row(
                        **{"EstablishmentStatus (code)": "2", "CloseDate": "31-08-2024"}
                    )
                ]
            ),
            la_codes=["860"],
        )
        assert (result.updated, result.closed) == (1, 1)
        school = Establishment.objects.get()
        assert school.status == Establishment.Status.CLOSED
        assert str(school.closed_on) == "2024-08-31"

    def test_trusts_and_federations_become_groups_and_districts_are_linked(self) -> None:
        area = Area.objects.create(gss_code="E07000199", name="Tamworth", kind=Area.Kind.DISTRICT)
        row = staffordshire_row(
            **{
                "Trusts (code)": "16778",
                "Trusts (name)": "Demo Learning Trust",
                "Federations (code)": "",
                "DistrictAdministrative (code)": "E07000199",
            }
        )
        import_gias(extract([row, {**row, "URN": "124088"}]), la_codes=["860"])
        trust = EstablishmentGroup.objects.get(kind="trust")
        assert trust.name == "Demo Learning Trust"
        assert set(trust.trust_schools.values_list("urn", flat=True)) == {124087, 124088}
        assert Establishment.objects.filter(district=area).count() == 2


class TestTheCommand:
    def test_json_is_the_last_line(self, tmp_path: Path) -> None:
        out = StringIO()
        call_command("import_gias", str(SAMPLE), "--json", stdout=out)
        assert json.loads(out.getvalue().strip().splitlines()[-1]) == {
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "closed": 0,
            "out_of_area": 6,
            "rejected": 0,
        }

    def test_a_refused_file_exits_with_an_error_and_its_counts(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.csv"
        bad.write_bytes(extract([staffordshire_row(OpenDate="yesterday")]))
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError) as failed:
            call_command("import_gias", str(bad), "--json", stdout=out, stderr=err)
        assert failed.value.returncode == 1
        assert "Line 2, column OpenDate" in err.getvalue()
        assert json.loads(out.getvalue().strip().splitlines()[-1])["rejected"] == 1

    def test_an_over_long_field_is_refused_with_a_message_not_a_traceback(
        self, tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.csv"
        bad.write_bytes(extract([staffordshire_row(EstablishmentName="N" * 300)]))
        err = StringIO()
        with pytest.raises(CommandError, match="The file was refused"):
            call_command("import_gias", str(bad), stdout=StringIO(), stderr=err)
        assert "Line 2, column EstablishmentName: it is longer than 255 characters." in (
            err.getvalue()
        )
        assert not Establishment.objects.exists()

    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
        self, tmp_path: Path, settings
    ) -> None:
        settings.PREVENTHUB_GIAS_UPLOAD_MAX_MB = 1
        big = tmp_path / "big.csv"
        big.write_bytes(b"x" * (1024 * 1024 + 1))
        with pytest.raises(CommandError, match="Nothing was imported: big.csv is larger than 1 MB"):
            call_command("import_gias", str(big))

    def test_a_missing_file_is_explained(self) -> None:
        with pytest.raises(CommandError, match="Cannot read /no/such.csv"):
            call_command("import_gias", "/no/such.csv")


class TestTheUploadPage:
    def test_an_upload_is_imported_in_the_background_and_its_page_shows_the_counts(
        self, client_for, django_capture_on_commit_callbacks
    ) -> None:
        from preventhub.core.roles import Role
        from preventhub.schools.models import GiasImportRun

        client = client_for(Role.EDUCATION_LEAD)
        with SAMPLE.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
            response = client.post("/schools/import/", {"extract": upload, "la_codes": "860"})
        run = GiasImportRun.objects.get()
        assert response["Location"] == f"/schools/import/{run.pk}/"
        assert run.status == GiasImportRun.Status.SUCCEEDED
        assert run.result["created"] == 1 and run.rows_done == run.rows_total == 7
        page = client.get(f"/schools/import/{run.pk}/").content.decode()
        assert "Imported" in page and "Outside the partnership" in page
        assert "Thomas Barnes Primary School" in client.get("/schools/").content.decode()

    def test_a_refused_file_shows_its_problems_and_changes_nothing(
        self, client_for, django_capture_on_commit_callbacks
    ) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from preventhub.core.roles import Role

        client = client_for(Role.ADMINISTRATOR)
        bad = SimpleUploadedFile("bad.csv", extract([staffordshire_row(OpenDate="soon")]))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/schools/import/", {"extract": bad, "la_codes": "860"})
        page = client.get(response["Location"]).content.decode()
        assert "Nothing was imported" in page and "Line 2, column OpenDate" in page
        assert not Establishment.objects.exists()

    def test_the_form_explains_bad_input(self, client_for) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from preventhub.core.roles import Role

        client = client_for(Role.EDUCATION_LEAD)
        page = client.post(
            "/schools/import/",
            {"extract": SimpleUploadedFile("schools.xlsx", b"PK"), "la_codes": "86O"},
        ).content.decode()
        assert "Enter local authority codes of 3 digits" in page
        page = client.post(
            "/schools/import/",
            {"extract": SimpleUploadedFile("schools.xlsx", b"PK"), "la_codes": "860"},
        ).content.decode()
        assert "is not a CSV file" in page

    def test_a_run_that_fails_in_any_way_ends_failed_with_a_message(
        self, client_for, django_capture_on_commit_callbacks, monkeypatch
    ) -> None:
        from django.db import DataError

        from preventhub.core.roles import Role
        from preventhub.schools import tasks
        from preventhub.schools.models import GiasImportRun

        def fails(*args: object, **kwargs: object) -> None:
            raise DataError("value too long for type character varying(255)")

        monkeypatch.setattr(tasks, "import_gias", fails)
        client = client_for(Role.EDUCATION_LEAD)
        with SAMPLE.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
            client.post("/schools/import/", {"extract": upload, "la_codes": "860"})
        run = GiasImportRun.objects.get()
        assert run.status == GiasImportRun.Status.FAILED and run.finished_at is not None
        assert "a fault in Prevent Hub, not in the file" in run.problems
        assert "Refused" in client.get(f"/schools/import/{run.pk}/").content.decode()

    def test_an_extract_over_its_size_limit_is_refused_before_it_is_kept(
        self, client_for, settings
    ) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from preventhub.core.roles import Role
        from preventhub.schools.models import GiasImportRun

        settings.PREVENTHUB_GIAS_UPLOAD_MAX_MB = 1
        big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))
        page = client_for(Role.EDUCATION_LEAD).post(
            "/schools/import/", {"extract": big, "la_codes": "860"}
        )
        assert "big.csv is larger than 1 MB" in page.content.decode()
        assert not GiasImportRun.objects.exists()

    def test_more_la_codes_than_a_run_keeps_are_refused_with_a_message(self, client_for) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from preventhub.core.roles import Role
        from preventhub.schools.models import GiasImportRun

        codes = ",".join(str(code) for code in range(800, 860))
        page = client_for(Role.EDUCATION_LEAD).post(
            "/schools/import/",
            {"extract": SimpleUploadedFile("extract.csv", b"URN\n"), "la_codes": codes},
        )
        assert "Give at most 50 local authority codes for one import." in page.content.decode()
        assert not GiasImportRun.objects.exists()


class TestOneEntryPerImport:
    def test_new_trusts_and_federations_are_created_with_the_import_in_one_audit_entry(
        self,
    ) -> None:
        rows = [
            staffordshire_row(
                URN=str(124087 + n),
                **{
                    "Trusts (code)": str(16000 + n),
                    "Trusts (name)": f"Trust {n}",
                    "Federations (code)": str(900 + n),
                    "Federations (name)": f"Federation {n}",
                },
            )
            for n in range(3)
        ]
        before = AuditEvent.objects.count()
        import_gias(extract(rows), la_codes=["860"])
        assert AuditEvent.objects.count() == before + 1
        entry = AuditEvent.objects.latest("sequence")
        assert entry.detail == "Schools register imported from GIAS"
        assert (entry.changes["trusts_created"], entry.changes["federations_created"]) == (3, 3)
        assert EstablishmentGroup.objects.count() == 6

    def test_a_renamed_trust_is_renamed_in_the_same_one_entry(self) -> None:
        row = staffordshire_row(**{"Trusts (code)": "16778", "Trusts (name)": "Old name"})
        import_gias(extract([row]), la_codes=["860"])
        before = AuditEvent.objects.count()
        import_gias(extract([{**row, "Trusts (name)": "New name"}]), la_codes=["860"])
        assert AuditEvent.objects.count() == before + 1
        assert EstablishmentGroup.objects.get().name == "New name"
        assert AuditEvent.objects.latest("sequence").changes["groups_renamed"] == 1


class TestWritesInBatches:
    """Changed rows are written a batch at a time (900 on a real import, within SQLite's limit
    on a statement's variables); here two to a batch."""

    def test_every_batch_is_written_and_compared_again(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from preventhub.schools import gias

        monkeypatch.setattr(gias, "BATCH", 2)
        rows = [staffordshire_row(URN=str(124087 + n)) for n in range(5)]
        assert import_gias(extract(rows), la_codes=["860"]).created == 5
        again = import_gias(extract(rows), la_codes=["860"])
        assert (again.created, again.unchanged) == (0, 5)
        for renamed in (0, 2, 4):
            rows[renamed]["EstablishmentName"] = f"Renamed School {renamed}"
        changed = import_gias(extract(rows), la_codes=["860"])
        assert (changed.updated, changed.unchanged) == (3, 2)
        assert Establishment.objects.get(urn=124091).name == "Renamed School 4"
        assert Establishment.objects.filter(name__startswith="Renamed").count() == 3

    def test_a_school_of_the_register_not_in_the_file_is_left_as_it_is(self) -> None:
        import_gias(extract([staffordshire_row(URN="124087")]), la_codes=["860"])
        other = import_gias(
            extract([staffordshire_row(URN="124088", EstablishmentName="Another School")]),
            la_codes=["860"],
        )
        assert (other.created, other.updated, other.unchanged) == (1, 0, 0)
        kept = Establishment.objects.get(urn=124087)
        assert kept.name == staffordshire_row()["EstablishmentName"].strip()

    def test_dates_read_by_hand_are_those_strptime_reads(self) -> None:
        import_gias(
            extract([staffordshire_row(OpenDate="01-09-2011", CloseDate="")]), la_codes=["860"]
        )
        assert str(Establishment.objects.get().opened_on) == "2011-09-01"
