"""What every route of Prevent Hub should let each role reach: the matrix the tests walk.

A new app adds its routes here (one line each) and gets the whole access test for free:
``tests/core/test_route_matrix.py`` fails if a route is missing from this table, declares no
access rule, is reachable by a role not listed, or is refused to a role that is listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from preventhub.core.roles import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class RouteContext:
    """Objects a route's URL can point at, made fresh for each test by :func:`build_context`.

    None of them belongs to the signed-in user's organisation or boards, so only what a role
    grants by itself is tested here; object-level grants have their own tests.
    """

    subject: Any  # a user other than the one signed in
    objects: dict[str, Any]


def build_context(subject: Any) -> RouteContext:
    """Make one of everything a route can point at. A new app adds its objects here."""
    import datetime

    from preventhub.partnership import services as partnership
    from preventhub.partnership.models import Area, Organisation, Sector

    district, _ = Area.objects.get_or_create(
        gss_code="E07000199", defaults={"name": "Tamworth", "kind": Area.Kind.DISTRICT}
    )
    organisation = Organisation.objects.create(name="Route Test Trust")
    contact = partnership.save_contact(organisation=organisation, name="Route Contact")
    board = partnership.save_board(name="Route Test Board", kind="other")
    membership = partnership.add_membership(
        board=board,
        organisation=organisation,
        role="core",
        contact=contact,
        since=datetime.date(2020, 1, 1),
    )
    meeting = partnership.save_meeting(board=board, held_on=datetime.date(2026, 1, 5))
    action = partnership.add_board_action(
        meeting=meeting,
        description="Do it",
        owner_organisation=organisation,
        owner_name="",
        due_on=datetime.date(2026, 2, 1),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from preventhub.delivery import services as delivery
    from preventhub.delivery.models import Section

    plan = delivery.create_plan(title="Route Test Plan")
    delivery.approve_plan(plan=plan, on=datetime.date(2026, 1, 5), meeting=meeting)
    section = Section.objects.get(plan=plan, code="SAF")
    plan_action = delivery.save_action(
        plan=plan,
        section=section,
        reference="SAF-01",
        title="Route action",
        owner_organisation=organisation,
    )
    period = delivery.create_period(year=2025, quarter=3, updates_due_on=datetime.date(2099, 1, 14))
    delivery.open_period(period=period)
    update = delivery.submit_update(
        action=plan_action, period=period, status="on_track", narrative="Going well", by=subject
    )
    evidence = delivery.add_evidence(
        update=update, upload=SimpleUploadedFile("note.txt", b"Evidence"), by=subject
    )
    from preventhub.schools.models import GiasImportRun

    gias_run = GiasImportRun.objects.create(
        file=SimpleUploadedFile("extract.csv", b"URN"),
        original_name="extract.csv",
        la_codes="860",
        created_by=subject,
    )
    district_risk = delivery.save_district_risk(
        district=district,
        description="Route risk",
        likelihood=2,
        impact=3,
        owner=organisation,
        review_on=datetime.date(2026, 6, 1),
        mitigations=[plan_action],
    )
    from preventhub.casework import services as casework
    from preventhub.casework.models import CaseAssignment, ConcernType, ExitReview

    casework.ensure_reference_lists()
    channel_panel = partnership.save_board(name="Route Channel Panel", kind="channel_panel")
    panel_meeting = partnership.save_meeting(board=channel_panel, held_on=datetime.date(2026, 1, 7))
    referral = casework.receive_referral(
        by=subject,
        source="police",
        received_on=datetime.date(2026, 1, 2),
        force=organisation,
        referrer_organisation="Route School",
        referrer_sector="education",
        referrer_name="Route Referrer",
        subject=casework.Subject("Route", "Person", datetime.date(2005, 5, 5), "male", district),
        concern_type=ConcernType.objects.first(),
        concerns="Route concerns",
        awareness="not_known",
    )
    casework.record_triage(
        referral=referral,
        by=subject,
        category="clear",
        decision="Route decision",
        rationale="Route rationale",
        decided_on=datetime.date(2026, 1, 3),
        checks=[],
        expected_version=referral.version,
    )
    casework.route_referral(
        referral=referral,
        by=subject,
        route="channel",
        reason="Route reason",
        on=datetime.date(2026, 1, 4),
        panel=channel_panel,
        expected_version=referral.version,
    )
    agenda_entry = casework.add_to_agenda(referral=referral, meeting=panel_meeting, by=subject)
    assignment = CaseAssignment.objects.create(
        referral=referral, user=subject, kind="called", since=datetime.date(2026, 1, 1)
    )
    review = ExitReview.objects.create(
        referral=referral, months=6, due_on=datetime.date(2026, 7, 4)
    )
    return RouteContext(
        subject=subject,
        objects={
            "referral": referral,
            "panel_meeting": panel_meeting,
            "agenda_entry": agenda_entry,
            "assignment": assignment,
            "review": review,
            "district": district,
            "organisation": organisation,
            "contact": contact,
            "board": board,
            "membership": membership,
            "meeting": meeting,
            "action": action,
            "sector": Sector.objects.order_by("pk").first(),
            "plan": plan,
            "section": section,
            "plan_action": plan_action,
            "period": period,
            "update": update,
            "evidence": evidence,
            "district_risk": district_risk,
            "gias_run": gias_run,
        },
    )


@dataclass(frozen=True)
class Route:
    reach: str | frozenset[Role]
    method: str = "get"
    kwargs: Callable[[RouteContext], dict[str, Any]] = field(default=lambda context: {})
    # What a refused role gets: 403, or 404 for pages about one person's case, which must not
    # even show that the case exists.
    refusal: int = 403

    def reachable_by(self, roles: frozenset[Role]) -> bool:
        if self.reach in (PUBLIC, SIGNED_IN):
            return True
        return bool(set(self.reach) & roles)


def only(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


CASE_ROLES = only(Role.POLICE_OFFICER, Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER)
# Nobody reaches the route context's case by role alone: it is in nobody's force, panel or
# assignment. Who does reach a case is tested in tests/casework/test_access.py.
NOBODY = only()


def case_page(name: str, method: str = "get") -> Route:
    return Route(NOBODY, method=method, kwargs=pk_of(name), refusal=404)


EDITORS = only(Role.COORDINATOR, Role.ADMINISTRATOR)
# The roles holding delivery.view_plan and delivery.view_report.
PLAN_READERS = only(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.BOARD_READER
)


def _subject_pk(context: RouteContext) -> dict[str, Any]:
    return {"pk": context.subject.pk}


def pk_of(name: str) -> Callable[[RouteContext], dict[str, Any]]:
    return lambda context: {"pk": context.objects[name].pk}


def _reset_link(context: RouteContext) -> dict[str, Any]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(context.subject.pk)),
        "token": default_token_generator.make_token(context.subject),
    }


ROUTES: dict[str, Route] = {
    # core
    "core:home": Route(SIGNED_IN),
    "core:accessibility": Route(PUBLIC),
    "core:cookies": Route(PUBLIC),
    "core:health": Route(PUBLIC),
    "core:audit_log": Route(only(Role.DPO)),
    "core:audit_log_export": Route(only(Role.DPO)),
    # accounts: the signed-in user's own account
    "accounts:sign_in": Route(PUBLIC),
    "accounts:sign_out": Route(SIGNED_IN, method="post"),
    "accounts:account": Route(SIGNED_IN),
    "accounts:two_factor_verify": Route(SIGNED_IN),
    "accounts:two_factor_setup": Route(SIGNED_IN),
    "accounts:backup_codes": Route(SIGNED_IN, method="post"),
    "accounts:password_change": Route(SIGNED_IN),
    "accounts:password_change_done": Route(SIGNED_IN),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(PUBLIC, kwargs=_reset_link),
    "accounts:password_reset_complete": Route(PUBLIC),
    # accounts: managing other people
    "accounts:user_list": Route(only(Role.ADMINISTRATOR)),
    "accounts:user_invite": Route(only(Role.ADMINISTRATOR)),
    "accounts:user_edit": Route(only(Role.ADMINISTRATOR), kwargs=_subject_pk),
    "accounts:user_deactivate": Route(only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk),
    "accounts:user_reactivate": Route(only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk),
    "accounts:user_reset_two_factor": Route(
        only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk
    ),
    # partnership: everyone reads the directory; the coordinator and administrator edit it;
    # the coordinator (and a board's own chair, tested apart) edits meetings
    "partnership:directory": Route(SIGNED_IN),
    "partnership:search": Route(SIGNED_IN),
    "partnership:export": Route(
        SIGNED_IN, kwargs=lambda c: {"what": "organisations", "fmt": "ods"}
    ),
    "partnership:area_new": Route(EDITORS),
    "partnership:area_edit": Route(EDITORS, kwargs=pk_of("district")),
    "partnership:sectors": Route(EDITORS),
    "partnership:sector_new": Route(EDITORS),
    "partnership:sector_edit": Route(EDITORS, kwargs=pk_of("sector")),
    "partnership:district": Route(
        SIGNED_IN, kwargs=lambda c: {"gss_code": c.objects["district"].gss_code}
    ),
    "partnership:organisation": Route(SIGNED_IN, kwargs=pk_of("organisation")),
    "partnership:organisation_new": Route(EDITORS),
    "partnership:organisation_edit": Route(EDITORS, kwargs=pk_of("organisation")),
    "partnership:organisation_archive": Route(EDITORS, "post", pk_of("organisation")),
    "partnership:organisation_delete": Route(EDITORS, "post", pk_of("organisation")),
    "partnership:organisation_merge": Route(EDITORS, kwargs=pk_of("organisation")),
    "partnership:contact_new": Route(EDITORS, kwargs=pk_of("organisation")),
    "partnership:contact_edit": Route(EDITORS, kwargs=pk_of("contact")),
    "partnership:contact_delete": Route(EDITORS, "post", pk_of("contact")),
    "partnership:board": Route(SIGNED_IN, kwargs=pk_of("board")),
    "partnership:board_new": Route(EDITORS),
    "partnership:board_edit": Route(EDITORS, kwargs=pk_of("board")),
    "partnership:board_archive": Route(EDITORS, "post", pk_of("board")),
    "partnership:board_delete": Route(EDITORS, "post", pk_of("board")),
    "partnership:membership_new": Route(EDITORS, kwargs=pk_of("board")),
    "partnership:membership_end": Route(EDITORS, kwargs=pk_of("membership")),
    "partnership:meeting": Route(SIGNED_IN, kwargs=pk_of("meeting")),
    "partnership:meeting_new": Route(only(Role.COORDINATOR), kwargs=pk_of("board")),
    "partnership:meeting_edit": Route(only(Role.COORDINATOR), kwargs=pk_of("meeting")),
    "partnership:meeting_minutes": Route(only(Role.COORDINATOR), kwargs=pk_of("meeting")),
    "partnership:meeting_attendance": Route(only(Role.COORDINATOR), kwargs=pk_of("meeting")),
    "partnership:decision_new": Route(only(Role.COORDINATOR), kwargs=pk_of("meeting")),
    "partnership:action_new": Route(only(Role.COORDINATOR), kwargs=pk_of("meeting")),
    "partnership:action_status": Route(only(Role.COORDINATOR), "post", pk_of("action")),
    # delivery: the plan and its quarterly cycle. Whoever holds delivery.view_plan reads the
    # plan; the coordinator edits it and runs the cycle; those who send updates see theirs. The
    # route-matrix action belongs to nobody signed in, so only the coordinator may update it.
    "delivery:plan": Route(PLAN_READERS),
    "delivery:export": Route(
        PLAN_READERS,
        kwargs=lambda c: {"fmt": "ods"},
    ),
    "delivery:versions": Route(PLAN_READERS),
    "delivery:plan_new": Route(only(Role.COORDINATOR)),
    "delivery:section_new": Route(only(Role.COORDINATOR), kwargs=pk_of("plan")),
    "delivery:section_edit": Route(only(Role.COORDINATOR), kwargs=pk_of("section")),
    "delivery:plan_approve": Route(only(Role.COORDINATOR), kwargs=pk_of("plan")),
    "delivery:plan_refresh": Route(only(Role.COORDINATOR), kwargs=pk_of("plan")),
    "delivery:compare": Route(
        PLAN_READERS,
        kwargs=lambda c: {"a": c.objects["plan"].pk, "b": c.objects["plan"].pk},
    ),
    "delivery:action": Route(
        PLAN_READERS,
        kwargs=pk_of("plan_action"),
    ),
    "delivery:action_new": Route(only(Role.COORDINATOR), kwargs=pk_of("plan")),
    "delivery:action_edit": Route(only(Role.COORDINATOR), kwargs=pk_of("plan_action")),
    "delivery:update": Route(only(Role.COORDINATOR), kwargs=pk_of("plan_action")),
    "delivery:my_updates": Route(
        only(Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD)
    ),
    "delivery:evidence": Route(
        PLAN_READERS,
        kwargs=pk_of("evidence"),
    ),
    "delivery:periods": Route(only(Role.COORDINATOR)),
    "delivery:period_new": Route(only(Role.COORDINATOR)),
    "delivery:period_open": Route(only(Role.COORDINATOR), "post", pk_of("period")),
    "delivery:period_remind": Route(only(Role.COORDINATOR), "post", pk_of("period")),
    "delivery:period_close": Route(only(Role.COORDINATOR), kwargs=pk_of("period")),
    "delivery:district": Route(
        PLAN_READERS,
        kwargs=lambda c: {"gss_code": c.objects["district"].gss_code},
    ),
    "delivery:risk_new": Route(
        only(Role.COORDINATOR), kwargs=lambda c: {"gss_code": c.objects["district"].gss_code}
    ),
    "delivery:risk_edit": Route(only(Role.COORDINATOR), kwargs=pk_of("district_risk")),
    # schools: the register is about organisations; the education lead and the administrator
    # keep it up to date from GIAS
    "schools:register": Route(only(Role.EDUCATION_LEAD, Role.COORDINATOR, Role.ADMINISTRATOR)),
    "schools:import_new": Route(only(Role.EDUCATION_LEAD, Role.ADMINISTRATOR)),
    "schools:import_run": Route(
        only(Role.EDUCATION_LEAD, Role.ADMINISTRATOR), kwargs=pk_of("gias_run")
    ),
    # delivery reports: whoever reads the plan reads its Board progress reports; the route
    # context's period is open, so the page says "not yet" and the downloads lead back to it
    "delivery_reports:index": Route(
        PLAN_READERS,
    ),
    "delivery_reports:report": Route(
        PLAN_READERS,
        kwargs=pk_of("period"),
    ),
    "delivery_reports:report_pdf": Route(
        PLAN_READERS,
        kwargs=pk_of("period"),
    ),
    "delivery_reports:report_docx": Route(
        PLAN_READERS,
        kwargs=pk_of("period"),
    ),
    # casework: case pages answer 404 to everyone the case is not visible to
    "casework:index": Route(CASE_ROLES),
    "casework:intake": Route(only(Role.POLICE_OFFICER, Role.CHANNEL_CHAIR)),
    "casework:refer": Route(SIGNED_IN),
    "casework:break_glass": Route(CASE_ROLES),
    "casework:referral": case_page("referral"),
    "casework:triage": case_page("referral"),
    "casework:route": case_page("referral"),
    "casework:export_json": case_page("referral"),
    "casework:export_pdf": case_page("referral"),
    "casework:assign": case_page("referral"),
    "casework:assignment_end": case_page("assignment"),
    "casework:assessment_new": case_page("referral"),
    "casework:consent_new": case_page("referral"),
    "casework:support_start": case_page("referral"),
    "casework:intervention_new": case_page("referral"),
    "casework:note_new": case_page("referral"),
    "casework:onward_new": case_page("referral"),
    "casework:exit": case_page("referral"),
    "casework:review_complete": case_page("review"),
    "casework:transfer_new": case_page("referral"),
    "casework:close": case_page("referral"),
    "casework:meetings": Route(only(Role.CHANNEL_CHAIR)),
    "casework:overdue_reviews": Route(only(Role.CHANNEL_CHAIR)),
    "casework:meeting": case_page("panel_meeting"),
    "casework:agenda_add": case_page("panel_meeting"),
    "casework:decision": case_page("agenda_entry"),
    "casework:statistics": Route(
        only(Role.COORDINATOR, Role.BOARD_READER, Role.POLICE_OFFICER, Role.CHANNEL_CHAIR)
    ),
    "casework:statistics_export": Route(
        only(Role.COORDINATOR, Role.BOARD_READER, Role.POLICE_OFFICER, Role.CHANNEL_CHAIR)
    ),
    "casework:break_glass_log": Route(only(Role.DPO)),
    "casework:retention": Route(only(Role.DPO)),
    "casework:legal_hold": Route(only(Role.DPO), kwargs=pk_of("referral")),
}
