"""The plan's versions and the quarterly cycle, through the services that change them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from preventhub.accounts.models import User
from preventhub.core.calendar import financial_quarter
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.roles import Role
from preventhub.delivery import queries, services
from preventhub.delivery.models import (
    ActionStatus,
    DeliveryPlan,
    PlanAction,
    Section,
    SourceKind,
)
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Area, Organisation, ReportingPeriod

pytestmark = pytest.mark.django_db

NOON = datetime.time(12, tzinfo=datetime.UTC)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, NOON)


@pytest.fixture
def plan(organisation: Organisation) -> DeliveryPlan:
    plan = services.create_plan(title="Prevent Delivery Plan 2018/19")
    services.approve_plan(plan=plan, on=datetime.date(2018, 4, 20))
    return plan


def add(
    plan: DeliveryPlan, code: str, reference: str, owner: Organisation, **fields: object
) -> PlanAction:
    section = plan.sections.get(code=code)
    return services.save_action(
        plan=plan,
        section=section,
        reference=reference,
        title=f"Action {reference}",
        owner_organisation=owner,
        **fields,
    )


@pytest.fixture
def period() -> ReportingPeriod:
    period = partnership_services.create_period(
        year=2018, quarter=3, updates_due_on=datetime.date(2019, 1, 14)
    )
    return partnership_services.open_period(period=period)


class TestANewPlan:
    def test_it_starts_from_the_ten_sections_three_partnership_then_seven_sector(self) -> None:
        plan = services.create_plan(title="Plan")
        sections = list(plan.sections.order_by("position"))
        assert [s.title for s in sections[:3]] == [
            "Safeguarding",
            "Case Management",
            "Community Resilience",
        ]
        assert [s.kind for s in sections] == ["partnership"] * 3 + ["sector"] * 7
        assert sections[3].title == "Schools and Registered Childcare Providers"
        assert sections[-1].title == "Probation"

    def test_approving_a_version_supersedes_the_one_before(self, plan: DeliveryPlan) -> None:
        newer = services.refresh_plan(plan=plan, title="Refreshed")
        services.approve_plan(plan=newer, on=datetime.date(2018, 10, 15))
        plan.refresh_from_db()
        assert (plan.status, newer.status) == ("superseded", "approved")

    def test_a_superseded_version_cannot_be_changed(
        self, plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        action = add(plan, "SAF", "SAF-01", organisation)
        services.approve_plan(
            plan=services.refresh_plan(plan=plan, title="New"), on=datetime.date(2018, 10, 1)
        )
        plan.refresh_from_db()
        with pytest.raises(services.DeliveryError, match="superseded"):
            services.save_action(
                action=action,
                expected_version=action.version,
                plan=plan,
                section=action.section,
                reference="SAF-01",
                title="x",
                owner_organisation=organisation,
            )


class TestRefresh:
    def test_open_actions_are_carried_over_with_a_link_and_finished_ones_stay_as_history(
        self, plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        open_action = add(
            plan,
            "SCH",
            "SCH-01",
            organisation,
            sources=[(SourceKind.CTLP, "Recommendation 4"), (SourceKind.LOCAL, "")],
        )
        done = add(plan, "SCH", "SCH-02", organisation)
        services.submit_update(
            action=done,
            period=period,
            status=ActionStatus.COMPLETE,
            narrative="Finished",
            by=lead,
            now=at(datetime.date(2019, 1, 2)),
        )
        draft = services.refresh_plan(plan=plan, title="Prevent Delivery Plan 2018/19 (refreshed)")
        carried = draft.actions.get()
        assert carried.reference == "SCH-01" and carried.predecessor == open_action
        assert carried.section.plan == draft and carried.section.code == "SCH"
        assert {(s.kind, s.detail) for s in carried.sources.all()} == {
            ("ctlp", "Recommendation 4"),
            ("local", ""),
        }
        assert PlanAction.objects.get(pk=done.pk).plan == plan  # history stays in its version
        assert draft.status == DeliveryPlan.Status.DRAFT and draft.predecessor == plan

    def test_district_actions_keep_supporting_the_carried_county_actions(
        self, plan: DeliveryPlan, organisation: Organisation, district: Area
    ) -> None:
        county = add(plan, "COM", "COM-01", organisation)
        local = add(plan, "COM", "COM-01-STA", organisation, district=district, supports=[county])
        draft = services.refresh_plan(plan=plan, title="New")
        new_local = draft.actions.get(reference="COM-01-STA")
        assert list(new_local.supports.all()) == [draft.actions.get(reference="COM-01")]
        assert list(local.supports.all()) == [county]

    def test_only_the_approved_plan_is_refreshed_and_only_once(self, plan: DeliveryPlan) -> None:
        draft = services.refresh_plan(plan=plan, title="New")
        with pytest.raises(services.DeliveryError, match="already exists"):
            services.refresh_plan(plan=plan, title="Again")
        with pytest.raises(services.DeliveryError, match="approved plan"):
            services.refresh_plan(plan=draft, title="From a draft")


class TestComparison:
    def test_it_lists_added_removed_and_changed_actions(
        self, plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        kept = add(plan, "HEA", "HEA-01", organisation, due_on=datetime.date(2019, 3, 31))
        add(plan, "HEA", "HEA-02", organisation)
        draft = services.refresh_plan(plan=plan, title="New")
        carried = draft.actions.get(reference="HEA-01")
        services.save_action(
            action=carried,
            expected_version=carried.version,
            plan=draft,
            section=carried.section,
            reference="HEA-01",
            title="Renamed",
            owner_organisation=organisation,
            due_on=datetime.date(2019, 9, 30),
        )
        draft.actions.get(reference="HEA-02").delete()
        added = add(draft, "PRI", "PRI-01", organisation)
        comparison = services.compare_plans(older=plan, newer=draft)
        assert comparison.added == [added]
        assert [a.reference for a in comparison.removed] == ["HEA-02"]
        assert [(c.before, c.after.reference, c.fields) for c in comparison.changed] == [
            (kept, "HEA-01", ["Title", "Due date"])
        ]


class TestActions:
    def test_a_second_save_from_a_stale_version_is_refused(
        self, plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        action = add(plan, "SAF", "SAF-01", organisation)
        stale = action.version
        services.save_action(
            action=action,
            expected_version=stale,
            plan=plan,
            section=action.section,
            reference="SAF-01",
            title="First",
            owner_organisation=organisation,
        )
        with pytest.raises(ConcurrentEditError):
            services.save_action(
                action=PlanAction.objects.get(pk=action.pk),
                expected_version=stale,
                plan=plan,
                section=action.section,
                reference="SAF-01",
                title="Second",
                owner_organisation=organisation,
            )
        assert PlanAction.objects.get(pk=action.pk).title == "First"

    def test_references_are_unique_within_a_plan(
        self, plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        add(plan, "SAF", "SAF-01", organisation)
        with pytest.raises(services.DeliveryError, match="already has an action SAF-01"):
            add(plan, "SAF", "saf-01", organisation)

    def test_a_due_date_before_the_start_is_refused(
        self, plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        with pytest.raises(services.DeliveryError, match="on or after the start date"):
            add(
                plan,
                "SAF",
                "SAF-09",
                organisation,
                starts_on=datetime.date(2019, 1, 1),
                due_on=datetime.date(2018, 1, 1),
            )


class TestTheQuarter:
    def test_quarters_follow_the_financial_year(self) -> None:
        assert financial_quarter(2018, 3) == (
            "2018/19 Q3",
            datetime.date(2018, 10, 1),
            datetime.date(2018, 12, 31),
        )
        assert financial_quarter(2018, 4)[1:] == (
            datetime.date(2019, 1, 1),
            datetime.date(2019, 3, 31),
        )

    def test_only_one_quarter_is_open_at_a_time(self, period: ReportingPeriod) -> None:
        nxt = partnership_services.create_period(
            year=2018, quarter=4, updates_due_on=datetime.date(2019, 4, 14)
        )
        with pytest.raises(partnership_services.PartnershipError, match="Another quarter is open"):
            partnership_services.open_period(period=nxt)

    def test_an_update_sets_the_actions_status_and_a_late_one_is_marked_late(
        self, plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        on_time = add(plan, "SAF", "SAF-01", organisation)
        late = add(plan, "SAF", "SAF-02", organisation)
        first = services.submit_update(
            action=on_time,
            period=period,
            status="at_risk",
            narrative="Slipping",
            by=lead,
            now=at(datetime.date(2019, 1, 14)),
        )
        second = services.submit_update(
            action=late,
            period=period,
            status="on_track",
            narrative="Fine",
            by=lead,
            now=at(datetime.date(2019, 1, 15)),
        )
        assert (first.is_late, second.is_late) == (False, True)
        assert PlanAction.objects.get(pk=on_time.pk).status == "at_risk"

    def test_closing_freezes_updates_and_reports_who_never_updated(
        self, plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        updated = add(plan, "SAF", "SAF-01", organisation)
        silent = add(plan, "SAF", "SAF-02", organisation)
        update = services.submit_update(
            action=updated,
            period=period,
            status="on_track",
            narrative="Fine",
            by=lead,
            now=at(datetime.date(2019, 1, 2)),
        )
        assert services.close_period(period=period) == [silent]
        with pytest.raises(services.DeliveryError, match="frozen"):
            services.submit_update(
                action=updated,
                period=period,
                status="off_track",
                narrative="Changed",
                by=lead,
                expected_version=update.version,
            )
        with pytest.raises(services.DeliveryError, match="frozen"):
            services.add_evidence(update=update, upload=SimpleUploadedFile("a.txt", b"x"), by=lead)
        assert ReportingPeriod.objects.get(pk=period.pk).status == "closed"

    def test_reminders_go_once_to_each_lead_with_updates_missing(
        self,
        plan: DeliveryPlan,
        organisation: Organisation,
        period: ReportingPeriod,
        make_user: Callable[..., User],
        mailoutbox,
        django_capture_on_commit_callbacks,
    ) -> None:
        owing, done = make_user(Role.PARTNER_LEAD), make_user(Role.PARTNER_LEAD)
        add(plan, "SAF", "SAF-01", organisation, lead=owing)
        add(plan, "SAF", "SAF-02", organisation, lead=owing)
        finished = add(plan, "SAF", "SAF-03", organisation, lead=done)
        services.submit_update(
            action=finished,
            period=period,
            status="on_track",
            narrative="ok",
            by=done,
            now=at(datetime.date(2019, 1, 2)),
        )
        with django_capture_on_commit_callbacks(execute=True):
            run = services.queue_reminders(period=period, by=owing, site_url="https://hub.example/")
        run.refresh_from_db()
        assert len(run.reminded) == 1
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == [owing.email]
        assert "SAF-01" in mailoutbox[0].body and "SAF-02" in mailoutbox[0].body


class TestEvidence:
    @pytest.fixture
    def update(
        self, plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
    ):
        lead = make_user(Role.PARTNER_LEAD)
        action = add(plan, "SAF", "SAF-01", organisation)
        return services.submit_update(
            action=action,
            period=period,
            status="on_track",
            narrative="Fine",
            by=lead,
            now=at(datetime.date(2019, 1, 2)),
        )

    def test_a_real_pdf_is_kept_outside_the_web_root(self, update, settings) -> None:
        evidence = services.add_evidence(
            update=update,
            upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 ..."),
            by=update.submitted_by,
        )
        assert evidence.content_type == "application/pdf"
        assert str(settings.MEDIA_ROOT) in evidence.file.path
        assert not evidence.file.path.startswith(str(settings.BASE_DIR / "src"))

    @pytest.mark.parametrize(
        "name,content,message",
        [
            ("virus.exe", b"MZ....", "not a file type we keep"),
            ("fake.pdf", b"<html>", "not really a PDF file"),
            ("empty.txt", b"", "is empty"),
        ],
    )
    def test_a_wrong_file_is_refused_with_the_reason(
        self, update, name: str, content: bytes, message: str
    ) -> None:
        with pytest.raises(services.DeliveryError, match=message):
            services.add_evidence(
                update=update, upload=SimpleUploadedFile(name, content), by=update.submitted_by
            )

    def test_a_file_over_ten_megabytes_is_refused(self, update) -> None:
        big = SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024 + 1))
        with pytest.raises(services.DeliveryError, match="larger than 10 MB"):
            services.add_evidence(update=update, upload=big, by=update.submitted_by)

    def test_the_limit_is_the_setting(self, update, settings) -> None:
        settings.PREVENTHUB_EVIDENCE_MAX_MB = 1
        big = SimpleUploadedFile("big.txt", b"x" * (1024 * 1024 + 1))
        with pytest.raises(services.DeliveryError, match="larger than 1 MB"):
            services.add_evidence(update=update, upload=big, by=update.submitted_by)


class TestDistrictRisks:
    def test_a_risk_is_rated_likelihood_times_impact_and_links_its_mitigations(
        self, plan: DeliveryPlan, organisation: Organisation, district: Area
    ) -> None:
        action = add(plan, "COM", "COM-01", organisation)
        risk = services.save_district_risk(
            district=district,
            description="Venue hire by extremist speakers",
            likelihood=3,
            impact=4,
            owner=organisation,
            review_on=datetime.date(2019, 6, 30),
            mitigations=[action],
        )
        assert risk.rating == 12 and list(risk.mitigations.all()) == [action]

    def test_scales_outside_one_to_five_are_refused(
        self, organisation: Organisation, district: Area
    ) -> None:
        with pytest.raises(services.DeliveryError, match="from 1 to 5"):
            services.save_district_risk(
                district=district,
                description="x",
                likelihood=6,
                impact=1,
                owner=organisation,
                review_on=datetime.date(2019, 6, 30),
            )


def test_sections_can_be_added_with_a_unique_code(organisation: Organisation) -> None:
    plan = services.create_plan(title="Plan")
    section = services.save_section(
        plan=plan, code="ohe", title="Online harms", kind=Section.Kind.PARTNERSHIP
    )
    assert (section.code, section.position) == ("OHE", 11)
    with pytest.raises(services.DeliveryError, match="already has a section"):
        services.save_section(plan=plan, code="SAF", title="Copy", kind=Section.Kind.PARTNERSHIP)


def test_the_plan_in_force_for_a_quarter_is_the_last_approved_by_its_end(
    plan: DeliveryPlan,
) -> None:
    refreshed = services.refresh_plan(plan=plan, title="Refreshed")
    services.approve_plan(plan=refreshed, on=datetime.date(2018, 10, 22))
    assert queries.plan_in_force(datetime.date(2018, 9, 30)) == plan
    assert queries.plan_in_force(datetime.date(2018, 12, 31)) == refreshed
    assert queries.plan_in_force(datetime.date(2018, 1, 1)) is None


def test_a_program_renamed_as_a_text_file_is_refused(
    plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
) -> None:
    lead = make_user(Role.PARTNER_LEAD)
    action = add(plan, "SAF", "SAF-01", organisation)
    update = services.submit_update(
        action=action,
        period=period,
        status="on_track",
        narrative="Fine",
        by=lead,
        now=at(datetime.date(2019, 1, 2)),
    )
    with pytest.raises(services.DeliveryError, match="not a plain text file"):
        services.add_evidence(
            update=update, upload=SimpleUploadedFile("notes.txt", b"MZ\x90\x00\x03"), by=lead
        )


def test_a_district_lead_edits_risks_of_their_own_district_only(
    organisation: Organisation, district: Area, make_user
) -> None:
    from django.test import Client

    from tests.conftest import sign_in

    lead = sign_in(Client(), make_user(Role.DISTRICT_LEAD))  # their district is `district`
    other, _ = Area.objects.get_or_create(
        gss_code="E07000199", defaults={"name": "Tamworth", "kind": "district"}
    )
    assert lead.get(f"/plan/districts/{district.gss_code}/risks/new/").status_code == 200
    assert lead.get(f"/plan/districts/{other.gss_code}/risks/new/").status_code == 403


def test_control_characters_pasted_into_a_narrative_are_removed(
    plan: DeliveryPlan, organisation: Organisation, period: ReportingPeriod, make_user
) -> None:
    lead = make_user(Role.PARTNER_LEAD)
    action = add(plan, "SAF", "SAF-01", organisation)
    update = services.submit_update(
        action=action,
        period=period,
        status="on_track",
        narrative="Line one\x0bstill\x00 fine\nLine two",
        by=lead,
        now=at(datetime.date(2019, 1, 2)),
    )
    assert update.narrative == "Line one still  fine\nLine two"


def test_a_new_version_is_not_approved_while_a_quarter_is_open(
    plan: DeliveryPlan, period: ReportingPeriod
) -> None:
    draft = services.refresh_plan(plan=plan, title="Refreshed")
    with pytest.raises(services.DeliveryError, match="Close it before approving"):
        services.approve_plan(plan=draft, on=datetime.date(2019, 1, 20))
    services.close_period(period=period)
    services.approve_plan(plan=draft, on=datetime.date(2019, 1, 20))
