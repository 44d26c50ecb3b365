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
    period = partnership.create_period(
        year=2025, quarter=3, updates_due_on=datetime.date(2099, 1, 14)
    )
    partnership.open_period(period=period)
    update = delivery.submit_update(
        action=plan_action, period=period, status="on_track", narrative="Going well", by=subject
    )
    evidence = delivery.add_evidence(
        update=update, upload=SimpleUploadedFile("note.txt", b"Evidence"), by=subject
    )
    from preventhub.delivery.models import ReminderRun

    reminder_run = ReminderRun.objects.create(
        period=period, requested_by=subject, site_url="https://hub.example/"
    )
    from preventhub.schools.models import GiasImportRun

    gias_run = GiasImportRun.objects.create(
        file=SimpleUploadedFile("extract.csv", b"URN"),
        original_name="extract.csv",
        la_codes="860",
        created_by=subject,
    )
    from preventhub.audits import services as audit_services
    from preventhub.schools.models import Establishment

    school = Establishment.objects.create(
        urn=999001, name="Route School", la_code="860", status="open"
    )
    audit_round = audit_services.create_round(
        name="Route round",
        kind="annual",
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 10, 31),
        establishments=[school],
    )
    question = audit_services.save_question(
        audit_round=audit_round, code="P1", section="Prevent", text="Trained?", scale="yes_no"
    )
    place = audit_round.scope.get()
    from preventhub.audits.models import ReminderRun as AuditReminderRun

    audit_reminder_run = AuditReminderRun.objects.create(
        round=audit_round, places=[place.pk], requested_by=subject, site_url="https://hub.example/"
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
    from preventhub.localprofile import services as localprofile
    from preventhub.localprofile.models import Indicator
    from preventhub.returns import services as returns
    from preventhub.training import services as training
    from preventhub.training.models import RoleGroup, TrainingLevel

    training.ensure_default_framework()
    localprofile.ensure_default_indicators()
    training_window = returns.open_window(
        period=period,
        kind="training",
        due_on=datetime.date(2099, 1, 14),
        organisations=[organisation],
    )
    ctlp_window = returns.open_window(
        period=period, kind="ctlp", due_on=datetime.date(2099, 1, 14), organisations=[organisation]
    )
    product = training.save_product(
        name="Route presentation", kind="presentation", audience="everyone", level=None
    )
    product_version = training.add_product_version(
        product=product, upload=SimpleUploadedFile("talk.pdf", b"%PDF-1.4"), note="", by=subject
    )
    from preventhub.returns.models import ReminderRun as ReturnReminderRun

    return_reminder_run = ReturnReminderRun.objects.create(
        window=training_window, requested_by=subject, site_url="https://hub.example/"
    )
    training_session = training.record_session(
        organisation=organisation,
        held_on=period.starts_on,
        level=TrainingLevel.objects.order_by("position").first(),
        mode="face_to_face",
        attendees={RoleGroup.objects.order_by("pk").first(): 3},
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
    from preventhub.api import services as api_services

    api_token, _ = api_services.create_personal_token(
        user=subject,
        name="Route token",
        scope="read",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    service_token, _ = api_services.create_service_token(
        organisation=subject.organisation,
        user=subject,
        name="Route system",
        scope="read_write",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
        by=subject,
    )
    from preventhub.assessment import services as assessment
    from preventhub.assessment.models import Framework

    assessment.ensure_default_frameworks()
    toolkit = Framework.objects.get(code="toolkit")
    self_assessment = assessment.start_assessment(
        framework=toolkit, title="Route assessment", assessed_on=datetime.date(2026, 12, 1)
    )
    standard_rating = self_assessment.ratings.order_by("pk").first()
    assessment.rate_standard(
        rating=standard_rating,
        expected_version=standard_rating.version,
        level=toolkit.levels.get(code="amber"),
        evidence="Route evidence",
        upload=SimpleUploadedFile("route.txt", b"Evidence"),
    )
    finding = assessment.record_finding(rating=standard_rating, text="Route gap")
    from preventhub.engagement import services as engagement

    objective = engagement.save_objective(title="Route objective")
    key_message = engagement.save_message(title="Route message", text="Say this", by=subject)
    activity = engagement.save_activity(
        title="Route activity",
        kind="community_outreach",
        held_on=datetime.date(2026, 1, 9),
        district=district,
        audience="communities",
        channel="event",
        partners=[organisation],
        objective=objective,
        reach=12,
        today=datetime.date(2026, 1, 10),
    )
    from preventhub.guidance import services as guidance

    guidance_document = guidance.save_document(
        title="Route guidance",
        kind="guidance",
        owner_organisation=organisation,
        owner_name="Prevent coordinator",
        audience="Everyone",
        review_on=datetime.date(2027, 1, 1),
    )
    guidance_version = guidance.add_version(
        document=guidance_document,
        upload=SimpleUploadedFile("guidance.pdf", b"%PDF-1.4 route"),
        by=subject,
    )
    from preventhub.exchange import services as exchange

    sharing_request = exchange.make_request(
        requesting_organisation=organisation,
        receiving_organisation=Organisation.objects.create(name="Route District Council"),
        about="Route request",
        lawful_basis="public_task",
        respond_by=datetime.date(2099, 1, 1),
        by=subject,
    )
    from preventhub.reports import services as reports

    committee_report = reports.save_committee_report(
        title="Route report",
        committee="Route Committee",
        recommendations="Note it.",
        report_of="Route member",
        contact_name="Route officer",
    )
    committee_section = reports.save_committee_section(
        report=committee_report, heading="Background", body="A paragraph."
    )
    board_pack = reports.create_pack(period=period, kinds=["assessment"])
    pack_version = reports.publish_pack(pack=board_pack, by=subject)
    report_build = reports.build_now(of=committee_report, fmt="docx", by=subject)
    return RouteContext(
        subject=subject,
        objects={
            "committee_report": committee_report,
            "committee_section": committee_section,
            "board_pack": board_pack,
            "pack_version": pack_version,
            "report_build": report_build,
            "framework": toolkit,
            "framework_area": toolkit.areas.order_by("position").first(),
            "framework_level": toolkit.levels.order_by("position").first(),
            "standard": standard_rating.standard,
            "self_assessment": self_assessment,
            "standard_rating": standard_rating,
            "assessment_evidence": standard_rating.files.get(),
            "finding": finding,
            "api_token": api_token,
            "service_token": service_token,
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
            "reminder_run": reminder_run,
            "school": school,
            "audit_round": audit_round,
            "question": question,
            "place": place,
            "audit_reminder_run": audit_reminder_run,
            "training_level": TrainingLevel.objects.order_by("position").first(),
            "role_group": RoleGroup.objects.order_by("pk").first(),
            "product": product,
            "product_version": product_version,
            "training_window": training_window,
            "training_return": training_window.returns.get(),
            "training_session": training_session,
            "return_reminder_run": return_reminder_run,
            "ctlp_window": ctlp_window,
            "ctlp_return": ctlp_window.returns.get(),
            "indicator": Indicator.objects.order_by("pk").first(),
            "objective": objective,
            "key_message": key_message,
            "message_version": key_message.versions.get(),
            "activity": activity,
            "guidance_document": guidance_document,
            "guidance_version": guidance_version,
            "sharing_request": sharing_request,
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
# The roles holding audits.view_audit.
AUDIT_READERS = only(Role.EDUCATION_LEAD, Role.COORDINATOR)
# The roles holding audits.view_results: a round's aggregate results, not its lists of schools.
AUDIT_RESULTS_READERS = only(Role.EDUCATION_LEAD, Role.COORDINATOR, Role.BOARD_READER)
# The roles holding delivery.view_plan and delivery.view_report.
PLAN_READERS = only(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.BOARD_READER
)
# The roles holding training.view_framework and training.view_coverage.
TRAINING_READERS = PLAN_READERS
COORDINATOR = only(Role.COORDINATOR)
# The roles holding localprofile.view_dataset: the compiled dataset and its trends.
DATASET_READERS = only(Role.COORDINATOR, Role.POLICE_OFFICER, Role.DISTRICT_LEAD, Role.BOARD_READER)
# The roles holding assessment.view_assessment (the Board reader reads only the reports).
ASSESSMENT_READERS = only(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD
)
# The roles that take part in information-sharing requests, and those with the DPO's oversight.
EXCHANGE_PARTIES = only(
    Role.COORDINATOR,
    Role.PARTNER_LEAD,
    Role.DISTRICT_LEAD,
    Role.POLICE_OFFICER,
    Role.CHANNEL_CHAIR,
)
EXCHANGE_ROLES = EXCHANGE_PARTIES | only(Role.DPO)


def _subject_pk(context: RouteContext) -> dict[str, Any]:
    return {"pk": context.subject.pk}


def pk_of(name: str) -> Callable[[RouteContext], dict[str, Any]]:
    return lambda context: {"pk": context.objects[name].pk}


def training_session(context: RouteContext) -> dict[str, Any]:
    return {
        "pk": context.objects["training_return"].pk,
        "session_pk": context.objects["training_session"].pk,
    }


def _first_triage_check() -> int:
    from preventhub.casework.models import TriageCheck

    return TriageCheck.objects.order_by("pk").values_list("pk", flat=True)[0]


def _place(context: RouteContext) -> dict[str, Any]:
    place = context.objects["place"]
    return {"pk": place.round_id, "place_pk": place.pk}


def _audit_reminder_run(context: RouteContext) -> dict[str, Any]:
    run = context.objects["audit_reminder_run"]
    return {"pk": run.round_id, "run_pk": run.pk}


def _own_place(context: RouteContext) -> dict[str, Any]:
    return {"place_pk": context.objects["place"].pk}


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
    "delivery:reminder_run": Route(only(Role.COORDINATOR), kwargs=pk_of("reminder_run")),
    "delivery:period_close": Route(only(Role.COORDINATOR), kwargs=pk_of("period")),
    "delivery:period_meeting": Route(only(Role.COORDINATOR), kwargs=pk_of("period")),
    "delivery:period_reopen": Route(only(Role.COORDINATOR), kwargs=pk_of("period")),
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
    "schools:import_retry": Route(
        only(Role.EDUCATION_LEAD, Role.ADMINISTRATOR), method="post", kwargs=pk_of("gias_run")
    ),
    # the safeguarding contact, where the audit's links go, is kept by the education lead
    "schools:school_contact": Route(
        only(Role.EDUCATION_LEAD), kwargs=lambda c: {"urn": c.objects["school"].urn}
    ),
    # audits: figures about schools, read by the coordinator, run by the education lead; the
    # Board reads a round's aggregate results
    "audits:rounds": Route(AUDIT_RESULTS_READERS),
    "audits:round_new": Route(only(Role.EDUCATION_LEAD)),
    "audits:round": Route(AUDIT_RESULTS_READERS, kwargs=pk_of("audit_round")),
    "audits:round_edit": Route(only(Role.EDUCATION_LEAD), kwargs=pk_of("audit_round")),
    "audits:round_breakdown": Route(AUDIT_RESULTS_READERS, kwargs=pk_of("audit_round")),
    "audits:round_export": Route(
        AUDIT_READERS,
        kwargs=lambda c: {"pk": c.objects["audit_round"].pk, "kind": "schools", "fmt": "csv"},
    ),
    "audits:questions": Route(AUDIT_READERS, kwargs=pk_of("audit_round")),
    "audits:question_new": Route(only(Role.EDUCATION_LEAD), kwargs=pk_of("audit_round")),
    "audits:questions_copy": Route(
        only(Role.EDUCATION_LEAD), method="post", kwargs=pk_of("audit_round")
    ),
    "audits:questions_import": Route(only(Role.EDUCATION_LEAD), kwargs=pk_of("audit_round")),
    "audits:question": Route(
        AUDIT_READERS,
        kwargs=lambda c: {"pk": c.objects["audit_round"].pk, "code": c.objects["question"].code},
    ),
    "audits:question_edit": Route(only(Role.EDUCATION_LEAD), kwargs=pk_of("question")),
    "audits:question_delete": Route(
        only(Role.EDUCATION_LEAD), method="post", kwargs=pk_of("question")
    ),
    "audits:responses_import": Route(only(Role.EDUCATION_LEAD), kwargs=pk_of("audit_round")),
    "audits:scope": Route(AUDIT_READERS, kwargs=pk_of("audit_round")),
    "audits:scope_remove": Route(only(Role.EDUCATION_LEAD), method="post", kwargs=_place),
    "audits:link_issue": Route(only(Role.EDUCATION_LEAD), method="post", kwargs=_place),
    "audits:link_revoke": Route(only(Role.EDUCATION_LEAD), method="post", kwargs=_place),
    "audits:non_responders": Route(AUDIT_READERS, kwargs=pk_of("audit_round")),
    "audits:non_responders_remind": Route(
        only(Role.EDUCATION_LEAD), method="post", kwargs=pk_of("audit_round")
    ),
    "audits:reminder_run": Route(only(Role.EDUCATION_LEAD), kwargs=_audit_reminder_run),
    "audits:reminder_run_export": Route(
        only(Role.EDUCATION_LEAD), kwargs=lambda c: {**_audit_reminder_run(c), "fmt": "csv"}
    ),
    "audits:action_plans": Route(AUDIT_READERS, kwargs=pk_of("audit_round")),
    # a school's DSL with an account reaches their own school's audit; the route context's
    # school has no safeguarding contact, so its place is nobody's (404, as if not there)
    "audits:own_school": Route(only(Role.SCHOOL_DSL)),
    "audits:own_school_place": Route(NOBODY, kwargs=_own_place, refusal=404),
    "audits:own_school_pdf": Route(NOBODY, kwargs=_own_place, refusal=404),
    "audits:own_school_open": Route(NOBODY, "post", _own_place, refusal=404),
    "audits:school_feedback": Route(AUDIT_READERS, kwargs=_place),
    "audits:school_feedback_pdf": Route(AUDIT_READERS, kwargs=_place),
    # school_audit: a school's secure link. Public at the access layer (a school has no
    # account); without the session its link opens, every page but the first sends the visitor
    # to open the link again (tests/audits/test_school_link.py tests what the session reaches)
    "school_audit:enter": Route(PUBLIC),
    "school_audit:start": Route(PUBLIC),
    "school_audit:section": Route(PUBLIC, kwargs=lambda c: {"number": 1}),
    "school_audit:check": Route(PUBLIC),
    "school_audit:submitted": Route(PUBLIC),
    "school_audit:results": Route(PUBLIC),
    "school_audit:results_pdf": Route(PUBLIC),
    "school_audit:action_plan": Route(PUBLIC),
    "school_audit:action_item": Route(PUBLIC, kwargs=lambda c: {"pk": 1}),
    "school_audit:leave": Route(PUBLIC, method="post"),
    "school_audit:left": Route(PUBLIC),
    # school_assessment: a school's own self-assessment, through the same link's session
    # (tests/assessment/test_school_link.py tests what the session reaches)
    "school_assessment:index": Route(PUBLIC),
    "school_assessment:assessment": Route(PUBLIC, kwargs=lambda c: {"pk": 1}),
    "school_assessment:sign_off": Route(PUBLIC, kwargs=lambda c: {"pk": 1}),
    "school_assessment:rating": Route(PUBLIC, kwargs=lambda c: {"pk": 1}),
    "school_assessment:finding_new": Route(PUBLIC, kwargs=lambda c: {"pk": 1}),
    # own_assessment: the same pages, for a School DSL's account and their own school only; the
    # route context's DSL has no school, and pk 1 is nobody's (tests/assessment/test_own_school.py)
    "own_assessment:index": Route(only(Role.SCHOOL_DSL)),
    "own_assessment:assessment": Route(NOBODY, kwargs=lambda c: {"pk": 1}, refusal=404),
    "own_assessment:sign_off": Route(NOBODY, kwargs=lambda c: {"pk": 1}, refusal=404),
    "own_assessment:rating": Route(NOBODY, kwargs=lambda c: {"pk": 1}, refusal=404),
    "own_assessment:finding_new": Route(NOBODY, kwargs=lambda c: {"pk": 1}, refusal=404),
    # casework lists: names of categories, not case content
    "casework:lists": Route(only(Role.ADMINISTRATOR, Role.CHANNEL_CHAIR)),
    "casework:list_item_new": Route(
        only(Role.ADMINISTRATOR, Role.CHANNEL_CHAIR), kwargs=lambda c: {"kind": "concern-types"}
    ),
    "casework:list_item": Route(
        only(Role.ADMINISTRATOR, Role.CHANNEL_CHAIR),
        kwargs=lambda c: {"kind": "triage-checks", "pk": _first_triage_check()},
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
    # returns: the coordinator runs return windows; partner leads see their organisation's
    # returns. The route-matrix returns belong to an organisation nobody signed in leads for, so
    # only the coordinator reaches them.
    # District leads see their own council's returns (the district council owes them too).
    "returns:index": Route(only(Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD)),
    "returns:window_new": Route(COORDINATOR),
    "returns:window": Route(COORDINATOR, kwargs=pk_of("training_window")),
    "returns:window_remind": Route(COORDINATOR, "post", pk_of("training_window")),
    "returns:reminder_run": Route(COORDINATOR, kwargs=pk_of("return_reminder_run")),
    "returns:return_accept": Route(COORDINATOR, "post", pk_of("training_return")),
    "returns:return_send_back": Route(COORDINATOR, kwargs=pk_of("training_return")),
    "returns:return_reopen": Route(COORDINATOR, kwargs=pk_of("training_return")),
    # training: whoever reads the plan reads the framework and coverage; the coordinator
    # changes the framework
    "training:framework": Route(TRAINING_READERS),
    "training:level_new": Route(COORDINATOR),
    "training:level_edit": Route(COORDINATOR, kwargs=pk_of("training_level")),
    "training:role_group_new": Route(COORDINATOR),
    "training:role_group_edit": Route(COORDINATOR, kwargs=pk_of("role_group")),
    "training:products": Route(TRAINING_READERS),
    "training:product_new": Route(COORDINATOR),
    "training:product_version_new": Route(COORDINATOR, kwargs=pk_of("product")),
    "training:product_file": Route(TRAINING_READERS, kwargs=pk_of("product_version")),
    "training:coverage": Route(TRAINING_READERS),
    "training:coverage_export": Route(TRAINING_READERS, kwargs=lambda c: {"fmt": "ods"}),
    "training:return": Route(COORDINATOR, kwargs=pk_of("training_return")),
    "training:workforce": Route(COORDINATOR, kwargs=pk_of("training_return")),
    "training:session_new": Route(COORDINATOR, kwargs=pk_of("training_return")),
    "training:session_edit": Route(COORDINATOR, kwargs=training_session),
    "training:session_remove": Route(COORDINATOR, kwargs=training_session),
    "training:return_submit": Route(COORDINATOR, "post", pk_of("training_return")),
    "training:return_template": Route(COORDINATOR, kwargs=pk_of("training_return")),
    "training:return_upload": Route(COORDINATOR, kwargs=pk_of("training_return")),
    # local profile: indicators are read widely; the dataset and trends go to the coordinator,
    # the police (the CTLP team), district leads and the Board; a district lead sees only their
    # own district (the route context's district is not theirs)
    "localprofile:indicators": Route(
        only(
            Role.COORDINATOR,
            Role.PARTNER_LEAD,
            Role.DISTRICT_LEAD,
            Role.POLICE_OFFICER,
            Role.BOARD_READER,
        )
    ),
    "localprofile:indicator_new": Route(COORDINATOR),
    "localprofile:indicator_edit": Route(COORDINATOR, kwargs=pk_of("indicator")),
    "localprofile:return": Route(COORDINATOR, kwargs=pk_of("ctlp_return")),
    "localprofile:return_submit": Route(COORDINATOR, "post", pk_of("ctlp_return")),
    "localprofile:return_template": Route(COORDINATOR, kwargs=pk_of("ctlp_return")),
    "localprofile:return_upload": Route(COORDINATOR, kwargs=pk_of("ctlp_return")),
    "localprofile:dataset": Route(DATASET_READERS),
    "localprofile:dataset_export": Route(DATASET_READERS, kwargs=lambda c: {"fmt": "csv"}),
    "localprofile:trends": Route(DATASET_READERS),
    "localprofile:district": Route(
        COORDINATOR, kwargs=lambda c: {"gss_code": c.objects["district"].gss_code}
    ),
    # casework: case pages answer 404 to everyone the case is not visible to
    "casework:index": Route(CASE_ROLES),
    "casework:intake": Route(only(Role.POLICE_OFFICER, Role.CHANNEL_CHAIR)),
    "casework:refer": Route(SIGNED_IN),
    "casework:break_glass": Route(CASE_ROLES),
    "casework:referral": case_page("referral"),
    "casework:correct_intake": case_page("referral"),
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
    # api: its pages. Someone else's personal token answers 404 to everyone.
    "api:docs": Route(PUBLIC),
    "api:tokens": Route(SIGNED_IN),
    "api:token_new": Route(SIGNED_IN),
    "api:token_revoke": Route(SIGNED_IN, method="post", kwargs=pk_of("api_token")),
    "api:service_tokens": Route(only(Role.ADMINISTRATOR, Role.DPO)),
    "api:service_token_new": Route(only(Role.ADMINISTRATOR)),
    "api:service_token_revoke": Route(
        only(Role.ADMINISTRATOR), method="post", kwargs=pk_of("service_token")
    ),
    # assessment: the coordinator runs self-assessment; leads read it; the Board reads its
    # report; the route-matrix standard has no assessor named, so only the coordinator rates it
    "assessment:index": Route(ASSESSMENT_READERS),
    "assessment:frameworks": Route(ASSESSMENT_READERS),
    "assessment:framework": Route(ASSESSMENT_READERS, kwargs=pk_of("framework")),
    "assessment:framework_new": Route(COORDINATOR),
    "assessment:framework_edit": Route(COORDINATOR, kwargs=pk_of("framework")),
    "assessment:framework_import": Route(COORDINATOR, kwargs=pk_of("framework")),
    "assessment:level_new": Route(COORDINATOR, kwargs=pk_of("framework")),
    "assessment:level_edit": Route(COORDINATOR, kwargs=pk_of("framework_level")),
    "assessment:area_new": Route(COORDINATOR, kwargs=pk_of("framework")),
    "assessment:area_edit": Route(COORDINATOR, kwargs=pk_of("framework_area")),
    "assessment:standard_new": Route(COORDINATOR, kwargs=pk_of("framework_area")),
    "assessment:standard_edit": Route(COORDINATOR, kwargs=pk_of("standard")),
    "assessment:assessment_new": Route(COORDINATOR),
    "assessment:assessment": Route(ASSESSMENT_READERS, kwargs=pk_of("self_assessment")),
    "assessment:sign_off": Route(COORDINATOR, kwargs=pk_of("self_assessment")),
    "assessment:report": Route(PLAN_READERS, kwargs=pk_of("self_assessment")),
    "assessment:report_pdf": Route(PLAN_READERS, kwargs=pk_of("self_assessment")),
    "assessment:report_docx": Route(PLAN_READERS, kwargs=pk_of("self_assessment")),
    "assessment:rating": Route(ASSESSMENT_READERS, kwargs=pk_of("standard_rating")),
    "assessment:rating_assessor": Route(COORDINATOR, kwargs=pk_of("standard_rating")),
    "assessment:finding_new": Route(COORDINATOR, kwargs=pk_of("standard_rating")),
    "assessment:finding_action": Route(COORDINATOR, kwargs=pk_of("finding")),
    "assessment:evidence": Route(ASSESSMENT_READERS, kwargs=pk_of("assessment_evidence")),
    "assessment:school_results": Route(only(Role.EDUCATION_LEAD, Role.COORDINATOR)),
    # engagement: whoever reads the plan reads the communication plan, activities and figures;
    # the coordinator keeps the plan; the coordinator and district leads record activities (a
    # district lead only in their own district, which the route context's Tamworth is not).
    "engagement:index": Route(PLAN_READERS),
    "engagement:activities_export": Route(PLAN_READERS, kwargs=lambda c: {"fmt": "csv"}),
    "engagement:calendar": Route(PLAN_READERS),
    "engagement:activity": Route(PLAN_READERS, kwargs=pk_of("activity")),
    "engagement:activity_new": Route(only(Role.COORDINATOR, Role.DISTRICT_LEAD)),
    "engagement:activity_edit": Route(COORDINATOR, kwargs=pk_of("activity")),
    "engagement:plan": Route(PLAN_READERS),
    "engagement:objective_new": Route(COORDINATOR),
    "engagement:objective_edit": Route(COORDINATOR, kwargs=pk_of("objective")),
    "engagement:message_new": Route(COORDINATOR),
    "engagement:message": Route(PLAN_READERS, kwargs=pk_of("key_message")),
    "engagement:message_edit": Route(COORDINATOR, kwargs=pk_of("key_message")),
    "engagement:message_version_new": Route(COORDINATOR, kwargs=pk_of("key_message")),
    "engagement:message_version_approve": Route(COORDINATOR, "post", pk_of("message_version")),
    "engagement:figures": Route(PLAN_READERS),
    "engagement:figures_export": Route(PLAN_READERS, kwargs=lambda c: {"fmt": "xlsx"}),
    "engagement:districts": Route(only(Role.COORDINATOR, Role.DISTRICT_LEAD)),
    "engagement:district": Route(COORDINATOR, kwargs=pk_of("district")),
    # guidance: everyone signed in reads the library and confirms reading; the coordinator keeps
    # it and sees who has read each document.
    "guidance:library": Route(SIGNED_IN),
    "guidance:document": Route(SIGNED_IN, kwargs=pk_of("guidance_document")),
    "guidance:document_new": Route(COORDINATOR),
    "guidance:document_edit": Route(COORDINATOR, kwargs=pk_of("guidance_document")),
    "guidance:version_new": Route(COORDINATOR, kwargs=pk_of("guidance_document")),
    "guidance:version_file": Route(SIGNED_IN, kwargs=pk_of("guidance_version")),
    "guidance:acknowledge": Route(SIGNED_IN, "post", pk_of("guidance_document")),
    "guidance:readers": Route(COORDINATOR, kwargs=pk_of("guidance_document")),
    # exchange: the partners who take part in information sharing list and make requests; a
    # request itself is reached by its two partners (not the signed-in person's organisation
    # here) and by the Data protection officer, who oversees every one.
    "exchange:index": Route(EXCHANGE_ROLES),
    "exchange:request_new": Route(EXCHANGE_PARTIES),
    "exchange:request": Route(only(Role.DPO), kwargs=pk_of("sharing_request")),
    "exchange:decide": Route(only(Role.DPO), kwargs=pk_of("sharing_request")),
    "exchange:respond": Route(NOBODY, kwargs=pk_of("sharing_request")),
    "exchange:close": Route(only(Role.DPO), kwargs=pk_of("sharing_request")),
    # reports: the coordinator writes committee reports and Board packs and publishes packs;
    # whoever reads the plan's Board reports reads committee reports and published packs.
    "reports:index": Route(PLAN_READERS),
    "reports:committee_new": Route(COORDINATOR),
    "reports:committee": Route(PLAN_READERS, kwargs=pk_of("committee_report")),
    "reports:committee_edit": Route(COORDINATOR, kwargs=pk_of("committee_report")),
    "reports:committee_build": Route(
        PLAN_READERS, "post", lambda c: {"pk": c.objects["committee_report"].pk, "fmt": "pdf"}
    ),
    "reports:committee_table": Route(
        PLAN_READERS,
        kwargs=lambda c: {"pk": c.objects["committee_report"].pk, "index": 0, "fmt": "csv"},
    ),
    "reports:committee_sources": Route(
        PLAN_READERS, kwargs=lambda c: {"pk": c.objects["committee_report"].pk, "fmt": "xlsx"}
    ),
    "reports:section_new": Route(COORDINATOR, kwargs=pk_of("committee_report")),
    "reports:section_edit": Route(COORDINATOR, kwargs=pk_of("committee_section")),
    "reports:pack_new": Route(COORDINATOR),
    "reports:pack": Route(COORDINATOR, kwargs=pk_of("board_pack")),
    "reports:pack_edit": Route(COORDINATOR, kwargs=pk_of("board_pack")),
    "reports:pack_publish": Route(COORDINATOR, "post", pk_of("board_pack")),
    "reports:pack_build": Route(
        COORDINATOR, "post", lambda c: {"pk": c.objects["board_pack"].pk, "fmt": "docx"}
    ),
    "reports:pack_sources": Route(
        COORDINATOR, kwargs=lambda c: {"pk": c.objects["board_pack"].pk, "fmt": "csv"}
    ),
    "reports:pack_table": Route(
        COORDINATOR, kwargs=lambda c: {"pk": c.objects["board_pack"].pk, "index": 0, "fmt": "csv"}
    ),
    "reports:pack_version": Route(PLAN_READERS, kwargs=pk_of("pack_version")),
    "reports:pack_version_build": Route(
        PLAN_READERS, "post", lambda c: {"pk": c.objects["pack_version"].pk, "fmt": "pdf"}
    ),
    "reports:pack_version_sources": Route(
        PLAN_READERS, kwargs=lambda c: {"pk": c.objects["pack_version"].pk, "fmt": "ods"}
    ),
    # a report's file, asked for by someone else: whoever may read the report reads its file
    "reports:build": Route(PLAN_READERS, kwargs=pk_of("report_build")),
    "reports:build_file": Route(PLAN_READERS, kwargs=pk_of("report_build")),
    "reports:build_again": Route(PLAN_READERS, "post", pk_of("report_build")),
    "reports:pack_version_table": Route(
        PLAN_READERS,
        kwargs=lambda c: {"pk": c.objects["pack_version"].pk, "index": 0, "fmt": "ods"},
    ),
}

# URL namespaces this matrix does not walk, with the reason. The matrix is about pages reached
# with a signed-in session; the JSON API answers only to a bearer token, never to a session, so
# every role here would get the same 401. tests/api/test_access.py walks every API operation with
# tokens of every role instead, and checks that each of its routes declares token access.
SEPARATELY_TESTED: dict[str, str] = {
    "api_v1": "the JSON API: bearer tokens only; walked by tests/api/test_access.py",
}
