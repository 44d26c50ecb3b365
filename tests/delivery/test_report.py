"""The quarterly Board progress report: its figures, its page and its PDF and Word files.

The fixture is a plan of nine actions in three sections, reported on over two closed quarters,
2018/19 Q2 and Q3, built through the services. Every expected figure below was counted by hand
from this table (Q3 "late" was sent after the due day; "–" is no update):

| Action | Section | Due         | Q2          | Q3                  |
|--------|---------|-------------|-------------|---------------------|
| SAF-01 | SAF     | 31 Mar 2019 | on track    | at risk             |
| SAF-02 | SAF     | 30 Nov 2018 | at risk     | off track           |
| SAF-03 | SAF     | 30 Sep 2018 | complete    | –                   |
| CAS-01 | CAS     | 31 Mar 2019 | not started | on track            |
| CAS-02 | CAS     | 31 Dec 2018 | on track    | complete            |
| SCH-01 | SCH     | 31 Oct 2018 | on track    | –                   |
| SCH-02 | SCH     | none        | –           | on track, late      |
| SCH-03 | SCH     | 30 Jun 2019 | on track    | cancelled           |
| SCH-04 | SCH     | none        | –           | –                   |
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.figures import with_base
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.delivery import report, services, stats
from preventhub.delivery.models import DeliveryPlan, PlanAction
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Organisation, ReportingPeriod
from tests.documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db

NOON = datetime.time(12, tzinfo=datetime.UTC)
ON_TIME = datetime.date(2019, 1, 10)
LATE = datetime.date(2019, 1, 20)

ACTIONS = [
    # reference, due, owner, Q2 status, Q3 status, Q3 day
    ("SAF-01", datetime.date(2019, 3, 31), "council", "on_track", "at_risk", ON_TIME),
    ("SAF-02", datetime.date(2018, 11, 30), "police", "at_risk", "off_track", ON_TIME),
    ("SAF-03", datetime.date(2018, 9, 30), "council", "complete", None, None),
    ("CAS-01", datetime.date(2019, 3, 31), "police", "not_started", "on_track", ON_TIME),
    ("CAS-02", datetime.date(2018, 12, 31), "police", "on_track", "complete", ON_TIME),
    ("SCH-01", datetime.date(2018, 10, 31), "council", "on_track", None, None),
    ("SCH-02", None, "council", None, "on_track", LATE),
    ("SCH-03", datetime.date(2019, 6, 30), "council", "on_track", "cancelled", ON_TIME),
    ("SCH-04", None, "council", None, None, None),
]
NARRATIVES = {
    "SAF-01": "Training slipped: the trainer was off sick.",
    "SAF-02": "The venue-hire policy is still not agreed <with> the districts & partners.",
}


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, NOON)


def period_for(quarter: int, due: datetime.date) -> ReportingPeriod:
    period = partnership_services.create_period(year=2018, quarter=quarter, updates_due_on=due)
    return partnership_services.open_period(period=period)


def refreshed(period: ReportingPeriod) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=period.pk)


@pytest.fixture
def police(db: None) -> Organisation:
    return Organisation.objects.create(name="Shire Police")


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    person = make_user(Role.PARTNER_LEAD)
    person.full_name = "Pat Lead"
    person.save()
    return person


@pytest.fixture
def plan(db: None) -> DeliveryPlan:
    plan = services.create_plan(title="Prevent Delivery Plan 2018/19")
    return services.approve_plan(plan=plan, on=datetime.date(2018, 4, 20))


@pytest.fixture
def actions(
    plan: DeliveryPlan, organisation: Organisation, police: Organisation, lead: User
) -> dict[str, PlanAction]:
    owners = {"council": organisation, "police": police}
    return {
        reference: services.save_action(
            plan=plan,
            section=plan.sections.get(code=reference[:3]),
            reference=reference,
            title=f"Action {reference}",
            owner_organisation=owners[owner],
            lead=lead if owner == "police" else None,
            due_on=due,
        )
        for reference, due, owner, *_ in ACTIONS
    }


@pytest.fixture
def quarters(actions: dict[str, PlanAction], lead: User) -> tuple[ReportingPeriod, ReportingPeriod]:
    q2 = period_for(2, datetime.date(2018, 10, 14))
    for reference, _, _, status, *_ in ACTIONS:
        if status:
            services.submit_update(
                action=actions[reference],
                period=q2,
                status=status,
                narrative=f"{reference} in Q2",
                by=lead,
                now=at(datetime.date(2018, 10, 10)),
            )
    services.close_period(period=q2, now=at(datetime.date(2018, 10, 20)))
    q3 = period_for(3, datetime.date(2019, 1, 14))
    for reference, _, _, _, status, day in ACTIONS:
        if status:
            services.submit_update(
                action=actions[reference],
                period=q3,
                status=status,
                narrative=NARRATIVES.get(reference, f"{reference} in Q3"),
                by=lead,
                now=at(day),
            )
    services.close_period(period=q3, now=at(datetime.date(2019, 1, 21)))
    return refreshed(q2), refreshed(q3)


@pytest.fixture
def q3(quarters: tuple[ReportingPeriod, ReportingPeriod]) -> ReportingPeriod:
    return quarters[1]


@pytest.fixture
def q3_report(q3: ReportingPeriod) -> stats.ProgressReport:
    return stats.progress_report(q3)


def references(lines: list[stats.ActionLine]) -> list[str]:
    return [line.reference for line in lines]


COLUMN_KEYS = ["green", "amber", "red", "not_started", "complete", "cancelled", "no_update"]


class TestShares:
    @pytest.mark.parametrize(
        ("part", "whole", "text"),
        [
            (12, 60, "12 of 60 (20%)"),
            (1, 8, "1 of 8 (13%)"),
            (1, 3, "1 of 3 (33%)"),
            (0, 9, "0 of 9 (0%)"),
            (0, 0, "0 of 0"),
        ],
    )
    def test_a_count_is_given_with_its_base_and_a_rounded_percentage(
        self, part: int, whole: int, text: str
    ) -> None:
        assert with_base(part, whole) == text


class TestTheSummaryTable:
    def test_the_columns_are_the_rag_values_then_no_update(self) -> None:
        assert [column.key for column in stats.COLUMNS] == COLUMN_KEYS
        assert [column.label for column in stats.COLUMNS] == [
            "Green",
            "Amber",
            "Red",
            "Not started",
            "Complete",
            "Cancelled",
            "No update",
        ]

    def test_each_section_counts_its_actions_by_the_status_of_this_quarters_update(
        self, q3_report: stats.ProgressReport
    ) -> None:
        rows = {row.code: row for row in q3_report.rows}
        # SAF-03, complete last quarter, stays complete; SCH-01 and SCH-04 sent nothing.
        assert rows["SAF"].counts == (0, 1, 1, 0, 1, 0, 0)
        assert rows["CAS"].counts == (1, 0, 0, 0, 1, 0, 0)
        assert rows["SCH"].counts == (1, 0, 0, 0, 0, 1, 2)
        assert (rows["SAF"].total, rows["CAS"].total, rows["SCH"].total) == (3, 2, 4)

    def test_every_section_of_the_plan_is_listed_in_its_order(
        self, q3_report: stats.ProgressReport, plan: DeliveryPlan
    ) -> None:
        assert [row.code for row in q3_report.rows] == list(
            plan.sections.order_by("position").values_list("code", flat=True)
        )
        empty = [row for row in q3_report.rows if row.code not in {"SAF", "CAS", "SCH"}]
        assert len(empty) == 7
        assert all(row.total == 0 for row in empty)

    def test_the_totals_are_the_sums_of_the_sections(self, q3_report: stats.ProgressReport) -> None:
        assert q3_report.totals.counts == (2, 1, 1, 0, 2, 1, 2)
        assert q3_report.totals.total == q3_report.action_count == 9

    def test_each_column_is_given_as_a_share_of_all_actions(
        self, q3_report: stats.ProgressReport
    ) -> None:
        assert [item.text for item in q3_report.shares] == [
            "2 of 9 (22%)",
            "1 of 9 (11%)",
            "1 of 9 (11%)",
            "0 of 9 (0%)",
            "2 of 9 (22%)",
            "1 of 9 (11%)",
            "2 of 9 (22%)",
        ]

    def test_updates_received_and_late_are_counted(self, q3_report: stats.ProgressReport) -> None:
        # Eight actions owed an update (SAF-03 was finished); six came, SCH-02 late.
        assert q3_report.updates_received == 6
        assert q3_report.updates_text == "6 of 8 (75%)"
        assert q3_report.late_updates == 1
        assert q3_report.late_text == "1 of 6 (17%)"

    def test_no_update_counts_the_actions_that_closing_the_quarter_reported_missing(
        self, plan: DeliveryPlan, actions: dict[str, PlanAction], lead: User
    ) -> None:
        period = period_for(2, datetime.date(2018, 10, 14))
        services.submit_update(
            action=actions["SAF-01"], period=period, status="on_track", narrative="On", by=lead
        )
        missing = services.close_period(period=period)
        found = stats.progress_report(refreshed(period))
        assert found.totals.count(stats.NO_UPDATE) == len(missing) == 8
        assert references(found.missing) == sorted(
            (a.reference for a in missing), key=lambda r: (["SAF", "CAS", "SCH"].index(r[:3]), r)
        )

    def test_the_first_quarter_is_counted_from_its_own_updates(
        self, quarters: tuple[ReportingPeriod, ReportingPeriod]
    ) -> None:
        found = stats.progress_report(quarters[0])
        assert found.previous is None
        assert found.totals.counts == (4, 1, 0, 1, 1, 0, 2)
        assert found.updates_text == "7 of 9 (78%)"


class TestTheLists:
    def test_exceptions_are_the_red_then_the_amber_actions_with_their_updates(
        self, q3_report: stats.ProgressReport, police: Organisation, organisation: Organisation
    ) -> None:
        assert references(q3_report.exceptions) == ["SAF-02", "SAF-01"]
        red, amber = q3_report.exceptions
        assert (red.rag_label, red.narrative, red.owner, red.lead) == (
            "Red",
            NARRATIVES["SAF-02"],
            police.name,
            "Pat Lead",
        )
        assert (amber.rag_label, amber.narrative, amber.owner, amber.lead) == (
            "Amber",
            NARRATIVES["SAF-01"],
            organisation.name,
            "",
        )

    def test_completed_lists_what_was_completed_this_quarter_only(
        self, q3_report: stats.ProgressReport
    ) -> None:
        assert references(q3_report.completed) == ["CAS-02"]

    def test_an_action_reported_complete_again_was_not_completed_this_quarter(
        self, actions: dict[str, PlanAction], lead: User
    ) -> None:
        q2 = period_for(2, datetime.date(2018, 10, 14))
        services.submit_update(
            action=actions["SAF-03"], period=q2, status="complete", narrative="Done", by=lead
        )
        services.close_period(period=q2)
        q3 = period_for(3, datetime.date(2019, 1, 14))
        services.submit_update(
            action=actions["SAF-03"], period=q3, status="complete", narrative="Done", by=lead
        )
        services.close_period(period=q3)
        assert stats.progress_report(refreshed(q3)).completed == []

    def test_overdue_lists_unfinished_actions_due_by_the_quarters_end_earliest_first(
        self, q3_report: stats.ProgressReport
    ) -> None:
        # SAF-03 and CAS-02 were due too, but are complete.
        assert [(line.reference, line.due_on, line.rag_label) for line in q3_report.overdue] == [
            ("SCH-01", datetime.date(2018, 10, 31), "No update"),
            ("SAF-02", datetime.date(2018, 11, 30), "Red"),
        ]

    def test_changes_give_each_status_before_and_after(
        self, q3_report: stats.ProgressReport, quarters: tuple[ReportingPeriod, ReportingPeriod]
    ) -> None:
        assert q3_report.previous == quarters[0]
        assert [
            (line.reference, line.previous_label, line.rag_label) for line in q3_report.changes
        ] == [
            ("SAF-01", "Green", "Amber"),
            ("SAF-02", "Amber", "Red"),
            ("CAS-01", "Not started", "Green"),
            ("CAS-02", "Green", "Complete"),
            ("SCH-01", "Green", "No update"),
            ("SCH-03", "Green", "Cancelled"),
        ]

    def test_new_lists_the_actions_reported_on_for_the_first_time(
        self, q3_report: stats.ProgressReport
    ) -> None:
        assert references(q3_report.new) == ["SCH-02"]
        assert q3_report.new[0].is_late

    def test_missing_lists_the_actions_that_owed_an_update_and_sent_none(
        self, q3_report: stats.ProgressReport
    ) -> None:
        assert references(q3_report.missing) == ["SCH-01", "SCH-04"]


class TestFiguresAreFinal:
    def test_an_open_quarter_is_refused(self, actions: dict[str, PlanAction]) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        with pytest.raises(stats.PeriodNotClosed, match="available once the quarter is closed"):
            stats.progress_report(period)

    def test_a_planned_quarter_is_refused(self, plan: DeliveryPlan) -> None:
        period = partnership_services.create_period(
            year=2018, quarter=4, updates_due_on=datetime.date(2019, 4, 14)
        )
        with pytest.raises(stats.PeriodNotClosed, match="not open yet"):
            stats.progress_report(period)

    def test_without_an_approved_plan_there_is_nothing_to_report(self, db: None) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        services.close_period(period=period)
        with pytest.raises(stats.ReportError, match="No Delivery Plan has been approved"):
            stats.progress_report(refreshed(period))

    def test_a_later_quarter_does_not_change_an_earlier_report(
        self, q3: ReportingPeriod, actions: dict[str, PlanAction], lead: User
    ) -> None:
        before = stats.progress_report(q3)
        q4 = period_for(4, datetime.date(2019, 4, 14))
        for action in actions.values():
            services.submit_update(
                action=action, period=q4, status="complete", narrative="All done", by=lead
            )
        services.close_period(period=q4)
        after = stats.progress_report(q3)
        assert after.rows == before.rows
        assert after.exceptions == before.exceptions
        assert after.overdue == before.overdue

    def test_a_refresh_of_the_plan_leaves_the_reports_on_the_plan_they_were_about(
        self, q3: ReportingPeriod, plan: DeliveryPlan, lead: User
    ) -> None:
        draft = services.refresh_plan(plan=plan, title="Prevent Delivery Plan 2019/20")
        services.approve_plan(plan=draft, on=datetime.date(2019, 2, 1))
        found = stats.progress_report(q3)
        assert found.plan == plan
        assert found.totals.counts == (2, 1, 1, 0, 2, 1, 2)

    def test_a_quarter_without_updates_reports_on_the_plan_in_force_on_its_last_day(
        self, plan: DeliveryPlan, actions: dict[str, PlanAction]
    ) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        services.close_period(period=period)
        draft = services.refresh_plan(plan=plan, title="Prevent Delivery Plan 2019/20")
        services.approve_plan(plan=draft, on=datetime.date(2019, 2, 1))
        found = stats.progress_report(refreshed(period))
        assert found.plan == plan
        assert found.totals.count(stats.NO_UPDATE) == found.action_count == 9

    def test_the_next_quarter_on_a_refreshed_plan_compares_through_the_carried_actions(
        self, q3: ReportingPeriod, plan: DeliveryPlan, lead: User
    ) -> None:
        draft = services.refresh_plan(plan=plan, title="Prevent Delivery Plan 2019/20")
        services.approve_plan(plan=draft, on=datetime.date(2019, 2, 1))
        carried = draft.actions.get(reference="SAF-02")
        q4 = period_for(4, datetime.date(2019, 4, 14))
        services.submit_update(
            action=carried, period=q4, status="on_track", narrative="Agreed", by=lead
        )
        services.close_period(period=q4)
        found = stats.progress_report(refreshed(q4))
        assert found.plan == draft
        # SAF-03, CAS-02 and SCH-03 were finished, so not carried; SCH-04 was never reported.
        assert [
            (line.reference, line.previous_label, line.rag_label) for line in found.changes
        ] == [
            ("SAF-01", "Amber", "No update"),
            ("SAF-02", "Red", "Green"),
            ("CAS-01", "Green", "No update"),
            ("SCH-02", "Green", "No update"),
        ]
        assert found.new == []


class TestTheChart:
    def test_the_chart_draws_one_bar_per_section_from_the_summary(
        self, q3_report: stats.ProgressReport
    ) -> None:
        svg = report.summary_chart(q3_report)
        assert svg.startswith("<svg")
        assert 'role="img"' in svg
        assert "Schools and Registered Childcare Providers" in svg
        assert svg.count(">No update</text>") == 1  # in the legend


def pdf_drawing(content: bytes) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return b"".join(page.get_contents().get_data() for page in reader.pages)


class TestTheDocuments:
    def test_the_pdf_carries_the_figures_the_lists_and_the_chart(
        self, q3_report: stats.ProgressReport
    ) -> None:
        content = report.report_pdf(q3_report)
        assert content.startswith(b"%PDF")
        text = pdf_text(content)
        assert "Delivery Plan progress: 2018/19 Q3" in text
        assert "All sections 2 1 1 0 2 1 2 9" in text
        assert "Schools and Registered Childcare Providers 1 0 0 0 0 1 2 4" in text
        assert "Updates received 6 of 8 (75%)" in text
        assert "Green 2 of 9 (22%)" in text
        assert "SAF-02" in text
        assert NARRATIVES["SAF-02"] in text
        assert "Pat Lead" in text
        # The chart's red segment: the only fill of #d4351c (212, 53, 28) in the document.
        assert re.search(rb"0\.83\d* 0\.2\d* 0\.1\d* rg", pdf_drawing(content))

    def test_the_word_file_carries_the_summary_table_and_the_lists(
        self, q3_report: stats.ProgressReport
    ) -> None:
        text, tables = docx_text(report.report_docx(q3_report))
        assert "Delivery Plan progress report: 2018/19 Q3" in text
        assert "Updates received: 6 of 8 (75%)." in text
        assert "Red: 1 of 9 (11%)" in text
        assert "is in the web page" not in text
        summary = tables[0]
        assert summary[0] == [
            "Section",
            "Green",
            "Amber",
            "Red",
            "Not started",
            "Complete",
            "Cancelled",
            "No update",
            "Total",
        ]
        assert ["Safeguarding", "0", "1", "1", "0", "1", "0", "0", "3"] in summary
        assert summary[-1] == ["All sections", "2", "1", "1", "0", "2", "1", "2", "9"]
        exceptions = tables[1]
        assert [row[0] for row in exceptions[1:]] == ["SAF-02", "SAF-01"]
        assert exceptions[1][2] == "Red"
        assert exceptions[1][5] == NARRATIVES["SAF-02"]
        everything = " ".join(" ".join(" ".join(row) for row in table) for table in tables)
        for reference in ("CAS-02", "SCH-01", "SCH-02", "SCH-04"):
            assert reference in everything

    def test_the_word_file_carries_the_chart_as_a_picture_with_alt_text(
        self, q3_report: stats.ProgressReport
    ) -> None:
        import docx
        from PIL import Image

        document = docx.Document(io.BytesIO(report.report_docx(q3_report)))
        (shape,) = document.inline_shapes
        alt = shape._inline.docPr.get("descr")
        assert alt.startswith("Actions by section and RAG status, 2018/19 Q3.")
        assert "The table after the chart gives the same figures." in alt
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        picture = document.part.related_parts[blip].blob
        image = Image.open(io.BytesIO(picture)).convert("RGB")
        assert image.format is None or image.width > 1000
        # The red segment of the only red action: the RAG red, #d4351c.
        assert (212, 53, 28) in {colour for _, colour in image.getcolors(maxcolors=1 << 16)}
        # The picture comes before the summary table, as in the PDF.
        body = [child.tag.rsplit("}", 1)[1] for child in document.element.body]
        assert body.index("tbl") > next(
            i for i, child in enumerate(document.element.body) if child.xpath(".//pic:pic")
        )

    def test_the_word_file_says_so_when_a_list_is_empty(self, plan: DeliveryPlan) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        services.close_period(period=period)
        text, tables = docx_text(report.report_docx(stats.progress_report(refreshed(period))))
        assert "No action is red or amber this quarter." in text
        assert "There is no earlier closed quarter to compare with." in text
        assert len(tables) == 1

    def test_the_pdf_is_tagged_and_titled_for_screen_readers(
        self, q3_report: stats.ProgressReport
    ) -> None:
        reader = pypdf.PdfReader(io.BytesIO(report.report_pdf(q3_report)))
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        assert reader.metadata.title == "Delivery Plan progress report: 2018/19 Q3"

    def test_making_the_pdf_fetches_nothing(
        self, q3_report: stats.ProgressReport, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        page = '<html lang="en"><title>T</title><img src="{}" alt="x"><p>Text</p></html>'
        for url in ("http://127.0.0.1:9/chart.png", "file:///etc/hostname"):
            monkeypatch.setattr(report, "render_to_string", lambda *a, u=url, **k: page.format(u))
            reader = pypdf.PdfReader(io.BytesIO(report.report_pdf(q3_report)))
            assert "Text" in reader.pages[0].extract_text()
            assert not reader.pages[0].images

    def test_characters_word_cannot_hold_are_replaced_not_fatal(
        self, plan: DeliveryPlan, actions: dict[str, PlanAction], lead: User
    ) -> None:
        period = period_for(3, datetime.date(2099, 1, 14))
        services.submit_update(
            action=actions["SAF-02"],
            period=period,
            status="off_track",
            narrative="Pasted from Word:\x0bsecond\x07line",
            by=lead,
        )
        services.close_period(period=period)
        found = stats.progress_report(refreshed(period))
        _, tables = docx_text(report.report_docx(found))
        assert tables[1][1][5] == "Pasted from Word: second line"
        assert "Pasted from Word:" in pdf_text(report.report_pdf(found))

    def test_the_names_of_the_files_say_which_quarter(
        self, q3_report: stats.ProgressReport
    ) -> None:
        assert report.filename(q3_report, "pdf") == "delivery-plan-progress-2018-19-q3.pdf"


@pytest.fixture
def reader(client_for: Callable[..., Client]) -> Client:
    return client_for(Role.BOARD_READER)


class TestThePages:
    def test_the_report_page_shows_the_chart_with_its_table_and_the_lists(
        self, reader: Client, q3: ReportingPeriod
    ) -> None:
        response = reader.get(f"/plan/reports/{q3.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1" in html and "Delivery Plan progress: 2018/19 Q3" in html
        chart = html.index("<svg")
        table = html.index("Actions by section and RAG status, 2018/19 Q3</caption>")
        assert chart < table
        assert '<th scope="row" class="govuk-table__header">All sections</th>' in html
        assert "The venue-hire policy is still not agreed &lt;with&gt; the districts" in html
        assert "Changes since 2018/19 Q2" in html
        assert f'href="/plan/reports/{q3.pk}/report.pdf"' in html
        assert f'href="/plan/reports/{q3.pk}/report.docx"' in html
        assert 'style="' not in html

    def test_an_open_quarter_says_the_report_comes_once_it_is_closed(
        self, reader: Client, actions: dict[str, PlanAction]
    ) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        response = reader.get(f"/plan/reports/{period.pk}/")
        assert response.status_code == 200
        assert "The report is available once the quarter is closed." in response.content.decode()

    @pytest.mark.parametrize("extension", ["pdf", "docx"])
    def test_the_downloads_of_an_open_quarter_lead_to_its_page(
        self, reader: Client, extension: str, actions: dict[str, PlanAction]
    ) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        response = reader.get(f"/plan/reports/{period.pk}/report.{extension}")
        assert response.status_code == 302
        assert response["Location"] == f"/plan/reports/{period.pk}/"
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

    def test_a_closed_quarter_without_a_plan_says_why_there_is_no_report(
        self, reader: Client
    ) -> None:
        period = period_for(3, datetime.date(2019, 1, 14))
        services.close_period(period=period)
        response = reader.get(f"/plan/reports/{period.pk}/")
        assert response.status_code == 200
        assert "No Delivery Plan has been approved" in response.content.decode()
        assert reader.get(f"/plan/reports/{period.pk}/report.pdf").status_code == 302

    @pytest.mark.parametrize("path", ["{pk}/", "{pk}/report.pdf", "{pk}/report.docx"])
    def test_an_unknown_quarter_is_not_found(self, reader: Client, path: str) -> None:
        assert reader.get("/plan/reports/" + path.format(pk=999999)).status_code == 404

    def test_the_list_links_the_closed_quarters_latest_first(
        self, reader: Client, quarters: tuple[ReportingPeriod, ReportingPeriod]
    ) -> None:
        q2, q3 = quarters
        q4 = period_for(4, datetime.date(2019, 4, 14))
        html = reader.get("/plan/reports/").content.decode()
        assert html.index(f'href="/plan/reports/{q3.pk}/"') < html.index(
            f'href="/plan/reports/{q2.pk}/"'
        )
        assert f"{q4} is open for updates." in html

    @pytest.mark.parametrize(
        ("extension", "content_type", "magic"),
        [
            ("pdf", "application/pdf", b"%PDF"),
            ("docx", report.DOCX_TYPE, b"PK\x03\x04"),
        ],
    )
    def test_a_download_is_an_attachment_and_is_audited(
        self,
        reader: Client,
        q3: ReportingPeriod,
        extension: str,
        content_type: str,
        magic: bytes,
    ) -> None:
        response = reader.get(f"/plan/reports/{q3.pk}/report.{extension}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="delivery-plan-progress-2018-19-q3.{extension}"'
        )
        assert response.content.startswith(magic)
        entry = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("sequence")
        assert entry.object_type == "delivery.progress_report"
        assert entry.changes == {"rows": 9}
        assert entry.detail == f"2018/19 Q3 {extension}"

    @pytest.mark.parametrize("role", [Role.SCHOOL_DSL, Role.ADMINISTRATOR, Role.DPO])
    def test_roles_without_the_permission_are_refused(
        self, client_for: Callable[..., Client], q3: ReportingPeriod, role: Role
    ) -> None:
        client = client_for(role)
        for path in ("", f"{q3.pk}/", f"{q3.pk}/report.pdf", f"{q3.pk}/report.docx"):
            assert client.get(f"/plan/reports/{path}").status_code == 403


class TestQueryCounts:
    def _quarter(
        self, quarter: int, year: int, statuses: dict[PlanAction, str], lead: User
    ) -> ReportingPeriod:
        period = partnership_services.create_period(
            year=year, quarter=quarter, updates_due_on=datetime.date(2099, 1, 1)
        )
        partnership_services.open_period(period=period)
        for action, status in statuses.items():
            services.submit_update(
                action=action, period=period, status=status, narrative="News", by=lead
            )
        services.close_period(period=period)
        return refreshed(period)

    def test_the_report_page_issues_the_same_queries_for_few_or_many_actions(
        self,
        reader: Client,
        q3: ReportingPeriod,
        plan: DeliveryPlan,
        organisation: Organisation,
        lead: User,
        django_assert_max_num_queries: Any,
    ) -> None:
        with django_assert_max_num_queries(40) as few:
            assert reader.get(f"/plan/reports/{q3.pk}/").status_code == 200
        many = [
            services.save_action(
                plan=plan,
                section=section,
                reference=f"{section.code}-X{number}",
                title="More",
                owner_organisation=organisation,
                lead=lead,
                due_on=datetime.date(2019, 1, 31),
            )
            for section in plan.sections.all()
            for number in range(3)
        ]
        self._quarter(4, 2018, {action: "on_track" for action in many}, lead)
        later = self._quarter(1, 2019, {action: "off_track" for action in many}, lead)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert reader.get(f"/plan/reports/{later.pk}/").status_code == 200
        found = stats.progress_report(later)
        assert len(found.exceptions) == 30
        assert len(found.changes) >= 30
