"""Frameworks are data: the defaults, editing them in the app, and importing standards."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.assessment import queries, services
from preventhub.assessment.imports import ImportProblems
from preventhub.assessment.models import Framework, FrameworkArea, Standard
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "area_code,area,code,title,good_looks_like,evidence_expected\n"


class TestTheDefaultFrameworks:
    def test_the_toolkit_has_its_eight_areas_rated_red_amber_green(
        self, toolkit: Framework
    ) -> None:
        assert list(toolkit.areas.values_list("title", flat=True)) == [
            "Multi-agency partnership group",
            "Local risk assessment process",
            "Partnership plan",
            "Referral pathway",
            "Channel panel",
            "Training programme",
            "Reducing permissive environments",
            "Communications and engagement",
        ]
        assert list(toolkit.levels.values_list("label", flat=True)) == ["Red", "Amber", "Green"]
        assert toolkit.audience == Framework.Audience.PARTNERSHIP

    def test_the_schools_tool_has_seven_areas_at_four_levels_in_three_steps(
        self, toolkit: Framework
    ) -> None:
        schools = Framework.objects.get(code="schools")
        assert schools.areas.count() == 7
        assert list(schools.levels.values_list("code", flat=True)) == ["1", "2", "3", "4"]
        assert [step.split(":")[0] for step in schools.step_list] == [
            "Evaluation",
            "Action planning",
            "Summary",
        ]

    def test_the_further_education_tool_has_nine_requirements(self, toolkit: Framework) -> None:
        college = Framework.objects.get(code="further-education")
        assert college.areas.count() == 9
        assert college.audience == Framework.Audience.COLLEGE

    def test_loading_them_again_keeps_the_coordinators_changes(self, toolkit: Framework) -> None:
        standard = Standard.objects.get(area__framework=toolkit, code="TK6.1")
        services.save_standard(
            standard=standard,
            expected_version=standard.version,
            area=standard.area,
            code="TK6.1",
            title="Our own wording",
        )
        services.ensure_default_frameworks()
        assert Framework.objects.count() == 3
        assert (
            Standard.objects.get(area__framework=toolkit, code="TK6.1").title == "Our own wording"
        )


class TestEditingAFramework:
    def test_a_standard_code_is_unique_in_its_framework(self, toolkit: Framework) -> None:
        area = toolkit.areas.get(code="TK2")
        with pytest.raises(services.AssessmentError, match="already has a standard TK1.1"):
            services.save_standard(area=area, code="tk1.1", title="Again")

    def test_a_stale_edit_is_refused(self, toolkit: Framework) -> None:
        standard = Standard.objects.get(area__framework=toolkit, code="TK1.1")
        services.save_standard(
            standard=standard,
            expected_version=standard.version,
            area=standard.area,
            code="TK1.1",
            title="First",
        )
        with pytest.raises(ConcurrentEditError):
            services.save_standard(
                standard=standard,
                expected_version=standard.version - 1,
                area=standard.area,
                code="TK1.1",
                title="Second",
            )

    def test_a_new_standard_joins_the_assessment_in_progress(self, toolkit: Framework) -> None:
        import datetime

        assessment = services.start_assessment(
            framework=toolkit, title="Q3 2026/27", assessed_on=datetime.date(2026, 12, 1)
        )
        services.save_standard(area=toolkit.areas.get(code="TK8"), code="TK8.3", title="New one")
        assert assessment.ratings.filter(standard__code="TK8.3").exists()

    def test_a_new_framework_starts_from_the_scale_chosen(self, db: None) -> None:
        framework = services.save_framework(
            code="own-check", title="Our own check", audience="partnership", scale="met"
        )
        assert list(framework.levels.values_list("code", flat=True)) == ["red", "amber", "green"]

    def test_the_coordinator_changes_a_standard_on_its_page(
        self, toolkit: Framework, client_for: Callable[..., Client]
    ) -> None:
        standard = Standard.objects.get(area__framework=toolkit, code="TK4.1")
        response = client_for(Role.COORDINATOR).post(
            reverse("assessment:standard_edit", args=[standard.pk]),
            {
                "code": "TK4.1",
                "title": "Every partner publishes the pathway",
                "good_looks_like": "On every intranet.",
                "evidence_expected": "Links.",
                "version": standard.version,
            },
        )
        assert response.status_code == 302
        standard.refresh_from_db()
        assert standard.title == "Every partner publishes the pathway"

    def test_the_coordinator_adds_a_level_to_a_scale(
        self, toolkit: Framework, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            reverse("assessment:level_new", args=[toolkit.pk]),
            {"label": "Blue", "code": "blue", "position": 4, "colour": "blue"},
        )
        assert response.status_code == 302
        assert toolkit.levels.order_by("position").last().label == "Blue"


class TestImportingStandards:
    def test_a_csv_adds_areas_and_standards_and_again_changes_nothing(
        self, toolkit: Framework
    ) -> None:
        content = (
            HEADER + "TK9,Elected members,TK9.1,Members are briefed,All briefed,Attendance\n"
            "TK1,Multi-agency partnership group,TK1.1,Reworded,Better,Minutes\n"
        ).encode()
        summary = services.import_standards(framework=toolkit, content=content, filename="s.csv")
        assert (summary.areas_added, summary.standards_added, summary.standards_changed) == (
            1,
            1,
            1,
        )
        assert Standard.objects.get(area__framework=toolkit, code="TK1.1").title == "Reworded"
        again = services.import_standards(framework=toolkit, content=content, filename="s.csv")
        assert (again.areas_added, again.standards_added, again.standards_changed) == (0, 0, 0)

    def test_an_xlsx_workbook_is_read_too(self, toolkit: Framework) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER.strip().split(","))
        sheet.append(["TK9", "Elected members", "TK9.1", "Members are briefed", "", ""])
        buffer = io.BytesIO()
        book.save(buffer)
        services.import_standards(framework=toolkit, content=buffer.getvalue(), filename="s.xlsx")
        assert FrameworkArea.objects.get(framework=toolkit, code="TK9").standards.count() == 1

    def test_one_bad_row_imports_nothing_and_names_its_row_and_column(
        self, toolkit: Framework
    ) -> None:
        content = (
            HEADER + "TK9,Elected members,TK9.1,Members are briefed,,\n"
            "TK9,Elected members,TK9.2,,,\n"
            "TK9,Elected members,TK9.1,Twice,,\n"
        ).encode()
        with pytest.raises(ImportProblems) as refused:
            services.import_standards(framework=toolkit, content=content, filename="s.csv")
        assert refused.value.problems == [
            "Row 3, column title: it is empty.",
            "Row 4, column code: TK9.1 is also on row 2.",
        ]
        assert not FrameworkArea.objects.filter(framework=toolkit, code="TK9").exists()

    def test_a_missing_column_is_named(self, toolkit: Framework) -> None:
        with pytest.raises(ImportProblems, match="the column area_code is missing"):
            services.import_standards(
                framework=toolkit, content=b"area,code,title\nA,B,C\n", filename="s.csv"
            )

    def test_the_import_page_lists_the_problems(
        self, toolkit: Framework, client_for: Callable[..., Client]
    ) -> None:
        upload = SimpleUploadedFile("s.csv", (HEADER + "TK9,,TK9.1,Title,,\n").encode())
        response = client_for(Role.COORDINATOR).post(
            reverse("assessment:framework_import", args=[toolkit.pk]), {"file": upload}
        )
        assert response.status_code == 200
        assert "Row 2, column area: it is empty." in response.content.decode()


def test_the_load_frameworks_command_adds_only_what_is_missing(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "Prevent duty toolkit for local authorities: 8 areas" in out.getvalue()
    call_command("load_frameworks", stdout=StringIO())
    assert Framework.objects.count() == 3


class TestTheFrameworksList:
    def test_each_framework_counts_its_areas_standards_and_assessments_on_their_own(
        self, rated: Callable[..., object], toolkit: Framework
    ) -> None:
        rated("2018", datetime.date(2018, 6, 1))
        rated("2019", datetime.date(2019, 6, 1))

        rows = {row.framework.code: row for row in queries.frameworks()}

        # Two assessments do not double the toolkit's standards, nor its areas its assessments.
        toolkit_row = rows["toolkit"]
        assert (toolkit_row.areas, toolkit_row.assessments) == (8, 2)
        assert toolkit_row.standards == Standard.objects.filter(area__framework=toolkit).count()
        assert toolkit_row.standards > toolkit_row.areas
        schools = rows["schools"]
        assert (schools.areas, schools.assessments) == (7, 0)
        assert schools.standards == Standard.objects.filter(area__framework__code="schools").count()
