"""The Delivery Plan's pages: the plan and its filter, versions, actions, updates and evidence,
the quarterly cycle and the districts' plans."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.delivery import services
from preventhub.delivery.forms import ActionForm
from preventhub.delivery.models import (
    DeliveryPlan,
    DistrictRisk,
    Evidence,
    PlanAction,
    ProgressUpdate,
    SourceKind,
)
from preventhub.partnership import services as partnership
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Area, Board, Organisation, ReportingPeriod

pytestmark = pytest.mark.django_db

READERS = [
    Role.COORDINATOR,
    Role.PARTNER_LEAD,
    Role.DISTRICT_LEAD,
    Role.EDUCATION_LEAD,
    Role.BOARD_READER,
]
OUTSIDERS = [Role.CHANNEL_MEMBER, Role.SCHOOL_DSL]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def shown(response: Any) -> list[str]:
    """The references of the actions a plan page lists, in order."""
    return [
        row.action.reference for group in response.context["page"].sections for row in group.rows
    ]


def action_post(action: PlanAction, **changes: Any) -> dict[str, Any]:
    """The action form as the edit page would send it back, with ``changes``."""
    data = {**ActionForm.initial_from(action), **changes}
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in data.items()
        if value is not None
    }


# ---- the plan and its filter ---------------------------------------------------------------------


@pytest.fixture
def varied_plan(
    add_action: Callable[..., PlanAction],
    organisation: Organisation,
    police: Organisation,
    district: Area,
    open_quarter: ReportingPeriod,
    make_user: Callable[..., User],
) -> dict[str, PlanAction]:
    """Actions differing in every way the filter can tell apart, on 10 January 2019."""
    actions = {
        "SAF-01": add_action("SAF-01", due_on=datetime.date(2019, 1, 5)),  # overdue
        "SAF-02": add_action(
            "SAF-02",
            owner_organisation=police,
            due_on=datetime.date(2019, 1, 25),  # within 30 days
            sources=[(SourceKind.CTLP, "Recommendation 4")],
        ),
        "SCH-01": add_action(
            "SCH-01", due_on=datetime.date(2019, 3, 20), district=district
        ),  # this quarter
        "SCH-02": add_action(
            "SCH-02",
            due_on=datetime.date(2019, 6, 1),
            sources=[(SourceKind.CONTEST, "Prevent")],
        ),
        "HEA-01": add_action("HEA-01", due_on=datetime.date(2019, 1, 1)),  # finished
    }
    lead = make_user(Role.COORDINATOR)
    for reference, status in [
        ("SAF-02", "off_track"),
        ("SCH-01", "at_risk"),
        ("HEA-01", "complete"),
    ]:
        services.submit_update(
            action=actions[reference], period=open_quarter, status=status, narrative="N", by=lead
        )
    return actions


class TestThePlanPage:
    def test_it_shows_the_plan_in_force_by_section_with_each_rag_in_words(
        self, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.BOARD_READER).get("/plan/")
        page = response.content.decode()
        assert response.status_code == 200
        assert '<h1 class="govuk-heading-xl">Prevent Delivery Plan 2018/19</h1>' in page
        assert shown(response) == ["SAF-01", "SAF-02", "SCH-01", "SCH-02", "HEA-01"]
        assert "Safeguarding</caption>" in page and "Probation</caption>" in page
        assert '<strong class="govuk-tag govuk-tag--red">Red</strong> off track' in page
        assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong> at risk' in page
        assert '<strong class="govuk-tag">Complete</strong>' in page
        assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in page

    def test_without_an_approved_version_it_shows_the_newest_draft(
        self, client_for: Callable[..., Client]
    ) -> None:
        services.create_plan(title="First draft")
        services.create_plan(title="Second draft")
        page = client_for(Role.PARTNER_LEAD).get("/plan/").content.decode()
        assert "Second draft" in page and "This is a draft" in page

    def test_with_no_plan_it_says_so(self, client_for: Callable[..., Client]) -> None:
        page = client_for(Role.COORDINATOR).get("/plan/").content.decode()
        assert "There is no Delivery Plan yet." in page
        assert "/plan/versions/new/" in page

    def test_the_filter_is_a_plain_get_form_in_the_moj_filter_layout(
        self, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.COORDINATOR).get("/plan/").content.decode()
        assert 'class="moj-filter-layout ph-filter-above"' in page and 'class="moj-filter"' in page
        assert '<form method="get" action="/plan/"' in page
        for label in ["Section", "Owner organisation", "District", "Source"]:
            assert f">{label}</label>" in page
        for legend in ["RAG rating", "Due"]:
            assert f">{legend}</legend>" in page

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("section=SCH", ["SCH-01", "SCH-02"]),
            ("rag=red", ["SAF-02"]),
            ("rag=red&rag=amber", ["SAF-02", "SCH-01"]),
            ("rag=not_started", ["SAF-01", "SCH-02"]),
            ("source=ctlp", ["SAF-02"]),
            ("due=overdue", ["SAF-01"]),
            ("due=30_days", ["SAF-02"]),
            ("due=quarter", ["SAF-01", "SAF-02", "SCH-01"]),
            ("section=SAF&rag=not_started", ["SAF-01"]),
        ],
    )
    def test_each_criterion_narrows_the_list(
        self,
        query: str,
        expected: list[str],
        varied_plan: dict[str, PlanAction],
        client_for: Callable[..., Client],
        time_machine: Any,
    ) -> None:
        time_machine.move_to(datetime.datetime(2019, 1, 10, 12, tzinfo=datetime.UTC), tick=False)
        assert shown(client_for(Role.PARTNER_LEAD).get(f"/plan/?{query}")) == expected

    def test_it_filters_by_owner_organisation_and_by_district(
        self,
        varied_plan: dict[str, PlanAction],
        police: Organisation,
        district: Area,
        client_for: Callable[..., Client],
    ) -> None:
        client = client_for(Role.DISTRICT_LEAD)
        assert shown(client.get(f"/plan/?owner={police.pk}")) == ["SAF-02"]
        assert shown(client.get(f"/plan/?district={district.pk}")) == ["SCH-01"]

    def test_each_selected_filter_has_a_link_that_removes_only_it(
        self, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).get("/plan/?section=SAF&rag=red&rag=amber")
        page = response.content.decode()
        assert "Selected filters" in page
        assert 'href="?section=SAF&amp;rag=amber"' in page  # removes red only
        assert 'href="?rag=red&amp;rag=amber"' in page  # removes the section only
        assert "Remove this filter</span> Red" in page

    def test_an_unknown_filter_value_is_ignored_not_an_error_page(
        self, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).get("/plan/?section=NOPE&owner=x")
        assert response.status_code == 200
        assert len(shown(response)) == 5

    def test_its_number_of_queries_does_not_grow_with_its_actions(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
        django_assert_max_num_queries: Any,
    ) -> None:
        client = client_for(Role.BOARD_READER)
        lead = make_user(Role.PARTNER_LEAD)

        def add_some(start: int, count: int) -> None:
            for number in range(start, start + count):
                add_action(
                    f"SCH-{number:02d}",
                    lead=lead,
                    district=district,
                    partners=[police],
                    sources=[(SourceKind.LOCAL, "")],
                    due_on=datetime.date(2019, 1, 1),
                )

        add_some(1, 3)
        with django_assert_max_num_queries(20) as few:
            client.get("/plan/?rag=not_started")
        add_some(4, 20)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/plan/?rag=not_started")
        assert len(shown(response)) == 23

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_cannot_see_it(self, role: Role, client_for: Callable[..., Client]) -> None:
        assert client_for(role).get("/plan/").status_code == 403


class TestDownloads:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
    def test_the_download_holds_exactly_the_filtered_rows(
        self, fmt: str, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.EDUCATION_LEAD)
        page = client.get("/plan/?section=SAF").content.decode()
        assert f'href="/plan/export.{fmt}?section=SAF"' in page
        response = client.get(f"/plan/export.{fmt}?section=SAF")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="delivery-plan.{fmt}"'
        content = response.content.decode("utf-8-sig") if fmt == "csv" else response.content
        data = tablib.Dataset().load(
            content if fmt == "csv" else io.BytesIO(content).read(), format=fmt
        )
        assert list(data["Reference"]) == ["SAF-01", "SAF-02"]
        assert list(data["RAG"]) == ["Not started", "Red"]
        assert data["Sources"][1] == "CTLP recommendation: Recommendation 4"
        entry = AuditEvent.objects.get(action="export", object_type="delivery.planaction")
        assert entry.changes == {"rows": 2} and entry.detail == f"{fmt} section=SAF"

    def test_an_unknown_format_is_not_found(
        self, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        assert client_for(Role.COORDINATOR).get("/plan/export.pdf").status_code == 404

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_cannot_download_the_plan(
        self, role: Role, varied_plan: dict[str, PlanAction], client_for: Callable[..., Client]
    ) -> None:
        assert client_for(role).get("/plan/export.csv").status_code == 403


# ---- versions ------------------------------------------------------------------------------------


class TestVersions:
    def test_the_coordinator_drafts_a_plan_and_records_its_approval_at_a_board_meeting(
        self, client_for: Callable[..., Client]
    ) -> None:
        board = partnership.save_board(name="Shire Prevent Board", kind=Board.Kind.PREVENT_BOARD)
        meeting = partnership.save_meeting(board=board, held_on=datetime.date(2019, 4, 20))
        client = client_for(Role.COORDINATOR)
        response = client.post("/plan/versions/new/", {"title": "Delivery Plan 2019/20"})
        plan = DeliveryPlan.objects.get(title="Delivery Plan 2019/20")
        assert response["Location"] == f"/plan/?plan={plan.pk}"
        assert plan.sections.count() == 10
        client.post(
            f"/plan/versions/{plan.pk}/approve/",
            {"approved_on": "2019-04-20", "meeting": meeting.pk},
        )
        plan.refresh_from_db()
        assert (plan.status, plan.approved_on, plan.approved_at) == (
            "approved",
            datetime.date(2019, 4, 20),
            meeting,
        )
        page = client.get("/plan/versions/").content.decode()
        assert "Approved</strong>" in page and "20 April 2019" in page

    def test_approving_anything_but_a_draft_is_refused_with_the_reason(
        self, approved_plan: DeliveryPlan, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            f"/plan/versions/{approved_plan.pk}/approve/", {"approved_on": "2019-04-20"}
        )
        assert "Only a draft can be approved" in response.content.decode()

    def test_a_refresh_and_its_comparison_show_added_removed_and_changed_actions(
        self,
        add_action: Callable[..., PlanAction],
        approved_plan: DeliveryPlan,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        kept = add_action("SAF-01")
        finished = add_action("SAF-02")
        services.submit_update(
            action=finished,
            period=open_quarter,
            status="complete",
            narrative="Done",
            by=make_user(Role.COORDINATOR),
        )
        client = client_for(Role.COORDINATOR)
        client.post(f"/plan/versions/{approved_plan.pk}/refresh/", {"title": "Refreshed plan"})
        draft = DeliveryPlan.objects.get(title="Refreshed plan")
        carried = draft.actions.get()
        assert carried.predecessor == kept
        client.post(f"/plan/actions/{carried.pk}/edit/", action_post(carried, title="Reworded"))
        add_action("SAF-03", plan=draft)
        response = client_for(Role.BOARD_READER).get(
            f"/plan/versions/{approved_plan.pk}/compare/{draft.pk}/"
        )
        comparison = response.context["comparison"]
        assert [a.reference for a in comparison.added] == ["SAF-03"]
        assert [a.reference for a in comparison.removed] == ["SAF-02"]
        assert [(c.after.reference, c.fields) for c in comparison.changed] == [
            ("SAF-01", ["Title"])
        ]
        assert "1 action added, 1 removed and 1 changed" in response.content.decode()

    def test_only_the_coordinator_changes_versions(
        self, approved_plan: DeliveryPlan, client_for: Callable[..., Client]
    ) -> None:
        reader = client_for(Role.PARTNER_LEAD)
        assert reader.get("/plan/versions/").status_code == 200
        assert reader.post("/plan/versions/new/", {"title": "Mine"}).status_code == 403
        assert reader.get(f"/plan/versions/{approved_plan.pk}/refresh/").status_code == 403
        assert not DeliveryPlan.objects.filter(title="Mine").exists()

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_sees_no_version(
        self, role: Role, approved_plan: DeliveryPlan, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(role)
        assert client.get("/plan/versions/").status_code == 403
        url = f"/plan/versions/{approved_plan.pk}/compare/{approved_plan.pk}/"
        assert client.get(url).status_code == 403


# ---- one action ----------------------------------------------------------------------------------


def _quarters_of_updates(action: PlanAction, by: User, count: int, first_year: int = 2010) -> None:
    """``count`` closed quarters, each with an update (and a piece of evidence) on ``action``."""
    for number in range(count):
        period = partnership_services.create_period(
            year=first_year + number // 4,
            quarter=number % 4 + 1,
            updates_due_on=datetime.date(2099, 1, 1),
        )
        partnership_services.open_period(period=period)
        update = services.submit_update(
            action=action, period=period, status="on_track", narrative=f"Update {number}", by=by
        )
        services.add_evidence(
            update=update, upload=SimpleUploadedFile(f"note{number}.txt", b"Notes"), by=by
        )
        services.close_period(period=period)


class TestTheActionPage:
    def test_it_shows_everything_about_the_action(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        county = add_action(
            "SCH-01",
            title="Train every DSL",
            lead=lead,
            partners=[police],
            starts_on=datetime.date(2018, 4, 1),
            due_on=datetime.date(2019, 3, 31),
            success_measure="Every DSL trained",
            sources=[(SourceKind.CTLP, "Recommendation 4"), (SourceKind.CONTEST, "")],
        )
        local = add_action(
            "COM-01", title="Stafford briefings", district=district, supports=[county]
        )
        services.save_district_risk(
            district=district,
            description="Leaflets in the town centre",
            likelihood=3,
            impact=4,
            owner=police,
            review_on=datetime.date(2019, 6, 1),
            mitigations=[county],
        )
        response = client_for(Role.BOARD_READER).get(f"/plan/actions/{county.pk}/")
        page = response.content.decode()
        for text in [
            "SCH-01, Schools and Registered Childcare Providers",
            "Train every DSL",
            "Test County Council",
            "Shire Police",
            "1 April 2018",
            "31 March 2019",
            "CTLP recommendation: Recommendation 4",
            "Contest strategy strand",
            "Every DSL trained",
            "None: a county action",
            f'href="/plan/actions/{local.pk}/">COM-01</a> Stafford briefings (Stafford)',
            "Leaflets in the town centre (rating 12)",
            "New in this version",
        ]:
            assert text in page, text
        local_page = client_for(Role.BOARD_READER).get(f"/plan/actions/{local.pk}/")
        assert f'href="/plan/actions/{county.pk}/">SCH-01</a>' in local_page.content.decode()

    def test_it_links_to_the_same_action_in_the_earlier_version(
        self,
        add_action: Callable[..., PlanAction],
        approved_plan: DeliveryPlan,
        client_for: Callable[..., Client],
    ) -> None:
        earlier = add_action("SAF-01")
        draft = services.refresh_plan(plan=approved_plan, title="Refreshed")
        page = client_for(Role.COORDINATOR).get(f"/plan/actions/{draft.actions.get().pk}/")
        assert f'href="/plan/actions/{earlier.pk}/">SAF-01</a> in Prevent Delivery Plan' in (
            page.content.decode()
        )

    def test_the_timeline_shows_updates_newest_first_with_their_evidence(
        self,
        add_action: Callable[..., PlanAction],
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        action = add_action("SAF-01")
        _quarters_of_updates(action, make_user(Role.COORDINATOR), 3, first_year=2018)
        response = client_for(Role.PARTNER_LEAD).get(f"/plan/actions/{action.pk}/")
        timeline = [entry.update.period.name for entry in response.context["detail"].timeline]
        assert timeline == ["2018/19 Q3", "2018/19 Q2", "2018/19 Q1"]
        page = response.content.decode()
        assert 'class="moj-timeline"' in page
        assert page.index("Update 2") < page.index("Update 1") < page.index("Update 0")
        assert 'class="govuk-link moj-timeline__document-link"' in page and "note2.txt" in page

    def test_its_number_of_queries_does_not_grow_with_its_updates(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
        django_assert_max_num_queries: Any,
    ) -> None:
        action = add_action("SAF-01", partners=[police], sources=[(SourceKind.LOCAL, "")])
        by = make_user(Role.COORDINATOR)
        client = client_for(Role.PARTNER_LEAD)
        _quarters_of_updates(action, by, 2)
        with django_assert_max_num_queries(20) as few:
            client.get(f"/plan/actions/{action.pk}/")
        _quarters_of_updates(action, by, 10, first_year=2013)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(f"/plan/actions/{action.pk}/")
        assert len(response.context["detail"].timeline) == 12

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_cannot_see_it(
        self, role: Role, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        action = add_action("SAF-01")
        assert client_for(role).get(f"/plan/actions/{action.pk}/").status_code == 403


class TestEditingActions:
    def test_the_coordinator_adds_an_action_with_its_sources(
        self,
        approved_plan: DeliveryPlan,
        organisation: Organisation,
        client_for: Callable[..., Client],
    ) -> None:
        section = approved_plan.sections.get(code="HEA")
        response = client_for(Role.COORDINATOR).post(
            f"/plan/versions/{approved_plan.pk}/actions/new/",
            {
                "section": section.pk,
                "reference": "hea-01",
                "title": "Prevent in every trust's safeguarding training",
                "owner_organisation": organisation.pk,
                "sources": [SourceKind.CONTEST, SourceKind.CTLP],
                "detail_ctlp": "Recommendation 2; Recommendation 5",
                "version": "",
            },
        )
        action = approved_plan.actions.get()
        assert response["Location"] == f"/plan/actions/{action.pk}/"
        assert action.reference == "HEA-01"
        assert sorted(str(source) for source in action.sources.all()) == [
            "CTLP recommendation: Recommendation 2",
            "CTLP recommendation: Recommendation 5",
            "Contest strategy strand",
        ]

    def test_a_county_action_cannot_support_another(
        self, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        county = add_action("SAF-01")
        other = add_action("SAF-02")
        response = client_for(Role.COORDINATOR).post(
            f"/plan/actions/{other.pk}/edit/", action_post(other, supports=[county.pk])
        )
        page = response.content.decode()
        assert "Only a district&#x27;s action supports county actions" in page
        assert 'href="#id_supports_0"' in page and 'id="id_supports_0"' in page
        assert not other.supports.exists()

    def test_a_second_save_from_a_stale_page_is_refused_and_nothing_is_overwritten(
        self, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        action = add_action("SAF-01", title="The original")
        first, second = client_for(Role.COORDINATOR), client_for(Role.COORDINATOR)
        url = f"/plan/actions/{action.pk}/edit/"
        assert first.get(url).context["form"].initial["version"] == action.version
        second.get(url)
        stale = action_post(action)
        first.post(url, {**stale, "title": "The first editor's words"})
        response = second.post(url, {**stale, "title": "The second editor's words"})
        assert "changed by someone else while you were editing it" in response.content.decode()
        action.refresh_from_db()
        assert action.title == "The first editor's words"
        assert action.version == stale["version"] + 1

    @pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.BOARD_READER, *OUTSIDERS])
    def test_only_the_coordinator_edits_actions(
        self, role: Role, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        action = add_action("SAF-01", title="The original")
        client = client_for(role)
        assert (
            client.post(
                f"/plan/actions/{action.pk}/edit/", action_post(action, title="Changed")
            ).status_code
            == 403
        )
        action.refresh_from_db()
        assert action.title == "The original"


# ---- progress updates ----------------------------------------------------------------------------


def _update(period: ReportingPeriod, **fields: Any) -> dict[str, Any]:
    return {"status": "on_track", "narrative": "Going well", "period": period.pk, **fields}


class TestUpdates:
    def test_a_lead_updates_their_own_action_but_not_anothers(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        make_client: Callable[[User], Client],
    ) -> None:
        lead, someone_else = make_user(Role.EDUCATION_LEAD), make_user(Role.EDUCATION_LEAD)
        own = add_action("SCH-01", lead=lead, owner_organisation=police)
        theirs = add_action("SCH-02", lead=someone_else, owner_organisation=police)
        client = make_client(lead)
        response = client.post(f"/plan/actions/{own.pk}/update/", _update(open_quarter))
        assert response["Location"] == f"/plan/actions/{own.pk}/"
        own.refresh_from_db()
        assert own.status == "on_track"
        assert client.get(f"/plan/actions/{theirs.pk}/update/").status_code == 403
        assert (
            client.post(f"/plan/actions/{theirs.pk}/update/", _update(open_quarter)).status_code
            == 403
        )
        assert not theirs.updates.exists()

    def test_a_partner_lead_updates_their_organisations_actions(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        ours = add_action("SAF-01")  # owned by the council, the partner lead's organisation
        not_ours = add_action("SAF-02", owner_organisation=police)
        client = client_for(Role.PARTNER_LEAD)
        client.post(f"/plan/actions/{ours.pk}/update/", _update(open_quarter, status="at_risk"))
        assert ours.updates.get().status == "at_risk"
        assert client.get(f"/plan/actions/{not_ours.pk}/update/").status_code == 403

    def test_a_district_lead_updates_their_districts_actions(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        other_district = Area.objects.create(
            gss_code="E07000199", name="Tamworth", kind=Area.Kind.DISTRICT
        )
        ours = add_action("COM-01", owner_organisation=police, district=district)
        theirs = add_action("COM-02", owner_organisation=police, district=other_district)
        client = client_for(Role.DISTRICT_LEAD)
        client.post(f"/plan/actions/{ours.pk}/update/", _update(open_quarter))
        assert ours.updates.exists()
        assert client.get(f"/plan/actions/{theirs.pk}/update/").status_code == 403

    @pytest.mark.parametrize("role", [Role.BOARD_READER, *OUTSIDERS])
    def test_those_who_do_not_send_updates_are_refused(
        self,
        role: Role,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        action = add_action("SAF-01")
        client = client_for(role)
        assert (
            client.post(f"/plan/actions/{action.pk}/update/", _update(open_quarter)).status_code
            == 403
        )
        assert client.get("/plan/updates/").status_code == 403

    def test_an_update_after_the_quarter_is_closed_is_refused_with_the_message(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        action = add_action("SAF-01")
        client = client_for(Role.PARTNER_LEAD)
        url = f"/plan/actions/{action.pk}/update/"
        assert client.get(url).context["form"].initial["period"] == open_quarter.pk
        services.close_period(period=open_quarter)
        response = client.post(url, _update(open_quarter))
        page = response.content.decode()
        assert "2018/19 Q3 is closed: its updates are frozen." in page
        assert 'href="#id_status_0"' in page  # the error summary links to the first radio
        assert not action.updates.exists()

    def test_an_update_after_the_due_date_is_marked_late(
        self, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        period = partnership_services.create_period(
            year=2018, quarter=3, updates_due_on=datetime.date(2019, 1, 14)
        )
        partnership_services.open_period(period=period)
        action = add_action("SAF-01")
        client = client_for(Role.PARTNER_LEAD)
        response = client.post(f"/plan/actions/{action.pk}/update/", _update(period), follow=True)
        assert action.updates.get().is_late
        page = response.content.decode()
        assert "It is marked late: updates were due by 14 January 2019." in page
        assert '<strong class="govuk-tag govuk-tag--orange">Late</strong>' in page

    def test_changing_an_update_carries_its_version_and_a_stale_change_is_refused(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        action = add_action("SAF-01")
        client = client_for(Role.PARTNER_LEAD)
        url = f"/plan/actions/{action.pk}/update/"
        client.post(url, _update(open_quarter, narrative="First words"))
        form = client.get(url).context["form"]
        sent = action.updates.get()
        assert (form.initial["narrative"], form.initial["version"]) == ("First words", sent.version)
        client.post(url, _update(open_quarter, narrative="Second words", version=sent.version))
        response = client.post(
            url, _update(open_quarter, narrative="Stale words", version=sent.version)
        )
        assert "changed by someone else" in response.content.decode()
        assert action.updates.get().narrative == "Second words"

    def test_with_no_quarter_open_the_update_page_says_so(
        self, add_action: Callable[..., PlanAction], client_for: Callable[..., Client]
    ) -> None:
        action = add_action("SAF-01")
        page = client_for(Role.PARTNER_LEAD).get(f"/plan/actions/{action.pk}/update/")
        assert "No quarter is open for updates." in page.content.decode()
        assert '<form method="post" enctype' not in page.content.decode()

    def test_a_draft_plans_actions_take_no_update(
        self,
        add_action: Callable[..., PlanAction],
        approved_plan: DeliveryPlan,
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        draft = services.create_plan(title="Draft")
        action = add_action("SAF-01", plan=draft)
        response = client_for(Role.PARTNER_LEAD).post(
            f"/plan/actions/{action.pk}/update/", _update(open_quarter)
        )
        assert "Only the approved plan&#x27;s actions take updates" in response.content.decode()
        assert not action.updates.exists()


class TestYourUpdates:
    def test_it_lists_the_actions_you_update_that_are_due_and_whether_you_have(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        make_client: Callable[[User], Client],
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        sent = add_action("SAF-01")
        owed = add_action("SAF-02")
        add_action("SAF-03", owner_organisation=police)  # not theirs
        services.submit_update(
            action=sent, period=open_quarter, status="on_track", narrative="N", by=lead
        )
        response = make_client(lead).get("/plan/updates/")
        rows = response.context["updates"].rows
        assert [(row.action.reference, row.update is not None) for row in rows] == [
            ("SAF-01", True),
            ("SAF-02", False),
        ]
        page = response.content.decode()
        assert "You have sent 1 of 2." in page
        assert f'href="/plan/actions/{owed.pk}/update/">Send' in page

    def test_with_no_quarter_open_it_says_so(self, client_for: Callable[..., Client]) -> None:
        page = client_for(Role.DISTRICT_LEAD).get("/plan/updates/").content.decode()
        assert "No quarter is open for updates." in page


# ---- evidence ------------------------------------------------------------------------------------


class TestEvidence:
    @pytest.fixture
    def action(
        self, add_action: Callable[..., PlanAction], open_quarter: ReportingPeriod
    ) -> PlanAction:
        return add_action("SAF-01")

    def _send(
        self, client: Client, action: PlanAction, period: ReportingPeriod, upload: Any
    ) -> Any:
        return client.post(f"/plan/actions/{action.pk}/update/", _update(period, evidence=upload))

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (
                SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03"),
                "tool.exe is not a file type we keep. Use one of:",
            ),
            (
                SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00\x03"),
                "minutes.pdf is not really a PDF file.",
            ),
            (
                SimpleUploadedFile("huge.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024)),
                "huge.pdf is larger than 10 MB. Send a smaller file.",
            ),
        ],
        ids=["an-exe", "a-renamed-file", "an-11-mb-file"],
    )
    def test_a_file_of_the_wrong_kind_or_size_is_refused_with_a_clear_message(
        self,
        upload: SimpleUploadedFile,
        message: str,
        action: PlanAction,
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        upload.seek(0)
        response = self._send(client_for(Role.PARTNER_LEAD), action, open_quarter, upload)
        page = response.content.decode()
        assert message in page
        assert 'id="id_evidence-error"' in page and "govuk-file-upload--error" in page
        assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()

    def test_a_real_pdf_is_kept_with_the_update(
        self,
        action: PlanAction,
        open_quarter: ReportingPeriod,
        client_for: Callable[..., Client],
    ) -> None:
        response = self._send(
            client_for(Role.PARTNER_LEAD),
            action,
            open_quarter,
            SimpleUploadedFile("minutes.pdf", PDF),
        )
        assert response.status_code == 302
        kept = Evidence.objects.get()
        assert (kept.update.action, kept.original_name, kept.content_type) == (
            action,
            "minutes.pdf",
            "application/pdf",
        )

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_gets_403_for_the_file(
        self,
        role: Role,
        action: PlanAction,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        update = services.submit_update(
            action=action,
            period=open_quarter,
            status="on_track",
            narrative="N",
            by=make_user(Role.COORDINATOR),
        )
        kept = services.add_evidence(
            update=update, upload=SimpleUploadedFile("minutes.pdf", PDF), by=update.submitted_by
        )
        assert client_for(role).get(f"/plan/evidence/{kept.pk}/").status_code == 403
        assert not AuditEvent.objects.filter(
            action="read", object_type="delivery.evidence"
        ).exists()

    def test_a_reader_of_the_plan_gets_the_file_as_an_attachment_and_the_read_is_logged(
        self,
        action: PlanAction,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        make_client: Callable[[User], Client],
    ) -> None:
        update = services.submit_update(
            action=action,
            period=open_quarter,
            status="on_track",
            narrative="N",
            by=make_user(Role.COORDINATOR),
        )
        kept = services.add_evidence(
            update=update, upload=SimpleUploadedFile("minutes.pdf", PDF), by=update.submitted_by
        )
        reader = make_user(Role.BOARD_READER)
        response = make_client(reader).get(f"/plan/evidence/{kept.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
        entry = AuditEvent.objects.get(action="read", object_type="delivery.evidence")
        assert (entry.actor, entry.object_id) == (reader, str(kept.pk))


# ---- the quarterly cycle -------------------------------------------------------------------------


class TestTheQuarterlyCycle:
    def test_the_coordinator_adds_a_quarter_and_opens_it(
        self, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        client.post("/plan/periods/new/", {"year": "2019", "quarter": "1"})
        period = ReportingPeriod.objects.get()
        assert (period.name, period.updates_due_on, period.status) == (
            "2019/20 Q1",
            datetime.date(2019, 7, 14),
            "planned",
        )
        response = client.post(f"/plan/periods/{period.pk}/open/", follow=True)
        period.refresh_from_db()
        assert period.status == "open"
        assert "2019/20 Q1 is open for updates." in response.content.decode()

    def test_a_quarter_twice_is_refused_with_the_reason(
        self, open_quarter: ReportingPeriod, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            "/plan/periods/new/", {"year": "2018", "quarter": "3"}
        )
        assert "2018/19 Q3 already exists." in response.content.decode()

    def test_the_cycle_page_shows_who_has_not_updated_by_lead_and_organisation(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        lead.full_name = "Dana Lead"
        lead.save()
        add_action("SAF-01", lead=lead)
        add_action("SAF-02", lead=lead)
        add_action("SAF-03", owner_organisation=police)
        done = add_action("SAF-04", lead=lead)
        services.submit_update(
            action=done, period=open_quarter, status="on_track", narrative="N", by=lead
        )
        response = client_for(Role.COORDINATOR).get("/plan/periods/")
        missing = response.context["page"].missing
        assert [
            (g.label, g.organisation.name, [a.reference for a in g.actions]) for g in missing
        ] == [
            ("No lead named", "Shire Police", ["SAF-03"]),
            ("Dana Lead", "Test County Council", ["SAF-01", "SAF-02"]),
        ]
        assert "3 of 4 actions due have no update yet." in response.content.decode()

    def test_reminders_are_sent_and_counted(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
        mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        add_action("SAF-01", lead=make_user(Role.PARTNER_LEAD))
        add_action("SAF-02", lead=make_user(Role.EDUCATION_LEAD))
        mailoutbox.clear()
        client = client_for(Role.COORDINATOR)
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post(f"/plan/periods/{open_quarter.pk}/remind/")
        response = client.get(queued.url)
        assert len(mailoutbox) == 2
        assert "http://testserver/plan/updates/" in mailoutbox[0].body
        assert "2 leads, about 2 actions." in response.content.decode()

    def test_closing_asks_first_saying_how_many_updates_are_missing_then_freezes_them(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        sent = add_action("SAF-01")
        add_action("SAF-02")
        services.submit_update(
            action=sent,
            period=open_quarter,
            status="on_track",
            narrative="N",
            by=make_user(Role.PARTNER_LEAD),
        )
        client = client_for(Role.COORDINATOR)
        url = f"/plan/periods/{open_quarter.pk}/close/"
        confirm = client.get(url).content.decode()
        assert "1 of 2 actions due has no update." in confirm
        open_quarter.refresh_from_db()
        assert open_quarter.status == "open"  # looking at the question changes nothing
        response = client.post(url, follow=True)
        open_quarter.refresh_from_db()
        assert open_quarter.status == "closed"
        assert "2018/19 Q3 is closed and its updates are frozen. 1 action had no update." in (
            response.content.decode()
        )
        lead = client_for(Role.PARTNER_LEAD)
        refused = lead.post(f"/plan/actions/{sent.pk}/update/", _update(open_quarter))
        assert "its updates are frozen" in refused.content.decode()

    @pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.BOARD_READER, *OUTSIDERS])
    def test_only_the_coordinator_runs_the_cycle(
        self, role: Role, open_quarter: ReportingPeriod, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(role)
        assert client.get("/plan/periods/").status_code == 403
        assert client.post(f"/plan/periods/{open_quarter.pk}/close/").status_code == 403
        open_quarter.refresh_from_db()
        assert open_quarter.status == "open"


# ---- districts -----------------------------------------------------------------------------------


class TestDistricts:
    def test_a_districts_page_shows_its_actions_the_county_actions_they_support_and_its_risks(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        client_for: Callable[..., Client],
    ) -> None:
        county = add_action("SCH-01", title="County training")
        local = add_action(
            "COM-01", title="Stafford briefings", district=district, supports=[county]
        )
        add_action("COM-02", title="Somewhere else")
        for description, likelihood in [("Lower risk", 1), ("Higher risk", 5)]:
            services.save_district_risk(
                district=district,
                description=description,
                likelihood=likelihood,
                impact=4,
                owner=police,
                review_on=datetime.date(2019, 6, 1),
                mitigations=[local],
            )
        response = client_for(Role.DISTRICT_LEAD).get(f"/plan/districts/{district.gss_code}/")
        detail = response.context["detail"]
        assert [row.action for row in detail.actions] == [local]
        assert detail.actions[0].supports == [county]
        assert [(row.risk.description, row.risk.rating) for row in detail.risks] == [
            ("Higher risk", 20),
            ("Lower risk", 4),
        ]
        page = response.content.decode()
        assert "County training" in page and "Somewhere else" not in page
        assert "Add a risk" in page  # a district lead keeps their own district's risks

    def test_the_coordinator_adds_a_risk_and_a_stale_change_is_refused(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        client_for: Callable[..., Client],
    ) -> None:
        mitigation = add_action("COM-01", district=district)
        client = client_for(Role.COORDINATOR)
        data = {
            "description": "A venue hired by extremist speakers",
            "likelihood": "3",
            "impact": "4",
            "owner": police.pk,
            "review_on": "2019-09-01",
            "mitigations": [mitigation.pk],
        }
        client.post(f"/plan/districts/{district.gss_code}/risks/new/", data)
        risk = DistrictRisk.objects.get()
        assert (risk.rating, list(risk.mitigations.all())) == (12, [mitigation])
        url = f"/plan/risks/{risk.pk}/edit/"
        client.post(url, {**data, "likelihood": "5", "version": risk.version})
        response = client.post(url, {**data, "likelihood": "1", "version": risk.version})
        assert "changed by someone else" in response.content.decode()
        risk.refresh_from_db()
        assert risk.likelihood == 5

    @pytest.mark.parametrize("role", OUTSIDERS)
    def test_an_outsider_cannot_see_a_districts_plan(
        self, role: Role, district: Area, client_for: Callable[..., Client]
    ) -> None:
        assert client_for(role).get(f"/plan/districts/{district.gss_code}/").status_code == 403

    def test_an_unknown_district_is_not_found(self, client_for: Callable[..., Client]) -> None:
        assert client_for(Role.COORDINATOR).get("/plan/districts/E99999999/").status_code == 404


# ---- the navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "plan", "updates"),
    [
        (Role.COORDINATOR, True, True),
        (Role.PARTNER_LEAD, True, True),
        (Role.BOARD_READER, True, False),
        (Role.CHANNEL_MEMBER, False, False),
    ],
)
def test_the_navigation_offers_the_plan_and_your_updates_to_those_who_may_use_them(
    role: Role, plan: bool, updates: bool, client_for: Callable[..., Client]
) -> None:
    page = client_for(role).get("/").content.decode()
    assert ('href="/plan/"' in page) is plan
    assert ('href="/plan/updates/"' in page) is updates


def test_the_coordinator_adds_and_renames_sections(client_for) -> None:
    from preventhub.delivery import services as plan_services
    from preventhub.delivery.models import Section

    plan = plan_services.create_plan(title="Sections plan")
    client = client_for(Role.COORDINATOR)
    client.post(
        f"/plan/versions/{plan.pk}/sections/new/",
        {"code": "onl", "title": "Online harms", "kind": "partnership"},
    )
    added = Section.objects.get(plan=plan, code="ONL")
    client.post(
        f"/plan/sections/{added.pk}/edit/",
        {"code": "ONL", "title": "Online safety", "kind": "partnership"},
    )
    assert Section.objects.get(pk=added.pk).title == "Online safety"
    clash = client.post(
        f"/plan/sections/{added.pk}/edit/", {"code": "SAF", "title": "Copy", "kind": "partnership"}
    )
    assert "already has a section with the code SAF" in clash.content.decode()
