"""The demo's referrals and Channel cases: a fictional financial year 2018/19.

About 150 referrals, generated from a fixed seed with invented names (no real person), received
from April 2018 to March 2019, triaged and routed by the demo police officer; a monthly Channel
panel with its cases at every stage: awaiting triage, awaiting routing, police-led, awaiting the
panel, adopted and supported, consent refused, exited with reviews done and overdue, closed.

The demo's year is long past, so with the real retention period every closed record would be
due for destruction. The demo counts retention from today instead, so that one closed case, and
only one, is past its date for ``manage.py purge_expired_cases`` to show.

Loading is idempotent: the year is created once and left alone afterwards.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from preventhub.casework import queries, services
from preventhub.casework.models import ConcernType, Referral, TriageCheck
from preventhub.core import audit
from preventhub.core.calendar import add_years
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Attendance, Board, Meeting, Organisation

YEAR_START = datetime.date(2018, 4, 1)
YEAR_END = datetime.date(2019, 3, 31)
REFERRALS = 150

GIVEN_NAMES = [
    "Avery", "Blake", "Carys", "Dara", "Ellis", "Finley", "Gale", "Harper", "Indy", "Jules",
    "Kit", "Lowen", "Marlo", "Nico", "Oakley", "Perrin", "Quinn", "Rowan", "Sable", "Tamsin",
    "Umber", "Vale", "Wren", "Xan", "Yarrow", "Zephyr",
]  # fmt: skip
# Invented surnames: none is a common British family name.
FAMILY_NAMES = [
    "Quillfeather", "Brackenridge", "Marrowby", "Thistlewick", "Fenmarsh", "Oakhollow",
    "Pennigrew", "Larkspurr", "Hollowmere", "Ravensmoor", "Cobbleway", "Wrenfield",
    "Ashgrove-Demo", "Duskwater", "Emberlyn", "Foxglade", "Glimmerton", "Heathwick",
]  # fmt: skip
SECTORS = [
    ("education", 36),
    ("police", 18),
    ("local_authority", 14),
    ("health", 12),
    ("community", 6),
    ("family_friends", 6),
    ("other", 8),
]
# Most referrals in the seed's period were aged 14 to 17 (¶14).
AGES = [(11, 4), (12, 5), (13, 7), (14, 12), (15, 13), (16, 12), (17, 10), (18, 5), (19, 4),
        (22, 6), (27, 6), (34, 5), (45, 4), (58, 2)]  # fmt: skip
GENDERS = [("male", 80), ("female", 17), ("not_known", 3)]


def _weighted(rng: random.Random, options: list[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in options], weights=[w for _, w in options])[0]


def _monthly_meetings(panel: Board) -> list[Meeting]:
    meetings = []
    for month in range(12):
        year, number = (2018, 4 + month) if month < 9 else (2019, month - 8)
        held_on = datetime.date(year, number, 1)
        while held_on.weekday() != 2:  # the first Wednesday
            held_on += datetime.timedelta(days=1)
        meeting = Meeting.objects.filter(board=panel, held_on=held_on).first()
        if meeting is None:
            meeting = partnership.save_meeting(
                board=panel, held_on=held_on, location="County Buildings, Stafford"
            )
        meetings.append(meeting)
    return meetings


def _record_attendance(meetings: list[Meeting], police: Organisation) -> None:
    for number, meeting in enumerate(meetings):
        members = [m for m in meeting.board.memberships.all() if m.is_current(meeting.held_on)]
        statuses = {}
        for member in members:
            absent = number == 7 and member.organisation_id == police.pk
            statuses[member.pk] = (
                Attendance.Status.APOLOGIES if absent else Attendance.Status.PRESENT
            )
        partnership.record_attendance(meeting=meeting, statuses=statuses)


def _next_meeting(meetings: list[Meeting], after: datetime.date) -> Meeting | None:
    return next((m for m in meetings if m.held_on > after), None)


def load_casework(
    areas: dict[str, Area], organisations: dict[str, Organisation], users: dict[Role, Any]
) -> None:
    if Referral.objects.filter(reference__startswith="PR2018-").exists():
        return
    from preventhub.demo.partnership import CHANNEL_PANEL, POLICE

    services.ensure_reference_lists()
    rng = random.Random(201819)
    panel = Board.objects.get(name=CHANNEL_PANEL)
    force = organisations[POLICE]
    police, chair, member = (
        users[Role.POLICE_OFFICER],
        users[Role.CHANNEL_CHAIR],
        users[Role.CHANNEL_MEMBER],
    )
    meetings = _monthly_meetings(panel)
    _record_attendance(meetings, force)
    districts = sorted(
        (area for area in areas.values() if area.kind == Area.Kind.DISTRICT), key=str
    )
    concerns = list(ConcernType.objects.filter(is_active=True))
    checks = list(TriageCheck.objects.all()[:2])
    days = sorted(rng.randrange((YEAR_END - YEAR_START).days + 1) for _ in range(REFERRALS))
    closed: list[Referral] = []
    for index, offset in enumerate(days):
        received = YEAR_START + datetime.timedelta(days=offset)
        age = _weighted(rng, AGES)
        born = received - datetime.timedelta(days=age * 365 + rng.randrange(1, 360))
        referral = services.receive_referral(
            by=police,
            source=Referral.Source.POLICE,
            received_on=received,
            force=force,
            referrer_organisation="Demo referrer organisation (fictional)",
            referrer_sector=_weighted(rng, SECTORS),
            referrer_name=f"{rng.choice(GIVEN_NAMES)} Referrer (fictional)",
            subject=services.Subject(
                rng.choice(GIVEN_NAMES),
                rng.choice(FAMILY_NAMES),
                born,
                _weighted(rng, GENDERS),
                rng.choice(districts + [None]),
            ),
            concern_type=rng.choices(concerns, weights=[3, 4, 2, 3, 1, 2][: len(concerns)])[0],
            concerns="Fictional demo concern: behaviour and remarks that worried the referrer.",
            awareness=rng.choice(Referral.Awareness.values),
        )
        if index >= REFERRALS - 4:
            continue  # the newest few still await triage
        _journey(rng, referral, index, police, chair, member, panel, meetings, checks, closed)
    _re_referral(police, force)
    _demo_retention(closed)


def _journey(
    rng: random.Random,
    referral: Referral,
    index: int,
    police: Any,
    chair: Any,
    member: Any,
    panel: Board,
    meetings: list[Meeting],
    checks: list[TriageCheck],
    closed: list[Referral],
) -> None:
    received = referral.received_on
    triaged_on = received + datetime.timedelta(days=rng.choice([1, 2, 3, 4, 6, 8]))
    route = rng.choices(["nfa", "signposted", "police_led", "channel"], weights=[40, 28, 17, 25])[0]
    category = {"nfa": "not_appropriate", "signposted": "possible"}.get(route, "clear")
    services.record_triage(
        referral=referral,
        by=police,
        category=category,
        decision="Demo decision",
        rationale="Demo rationale: checks made, concern weighed against the evidence.",
        decided_on=triaged_on,
        checks=[services.CheckDone(check, triaged_on, "Nothing further known") for check in checks],
        expected_version=referral.version,
    )
    if index >= REFERRALS - 8:
        return  # triaged, awaiting routing
    routed_on = triaged_on + datetime.timedelta(days=1)
    services.route_referral(
        referral=referral,
        by=police,
        route=route,
        reason="Demo reasons for the route chosen.",
        on=routed_on,
        signposted_to="Early help service (demo)" if route == "signposted" else "",
        panel=panel if route == "channel" else None,
        expected_version=referral.version,
    )
    if route in ("nfa", "signposted"):
        closed.append(referral)
        return
    if route == "police_led":
        if index % 2 == 0:
            services.close_case(
                referral=referral, by=police, on=routed_on + datetime.timedelta(days=60)
            )
            closed.append(referral)
        return
    meeting = _next_meeting(meetings, routed_on)
    if meeting is None:
        return  # awaiting the panel
    entry = services.add_to_agenda(referral=referral, meeting=meeting, by=chair)
    adopt = index % 4 != 0
    services.record_panel_decision(
        entry=entry,
        by=chair,
        outcome="adopt" if adopt else "not_adopt",
        votes_for=6,
        votes_against=0,
        abstentions=1,
        chair_decided=False,
        rationale="Demo panel reasons.",
    )
    if not adopt:
        closed.append(referral)
        return
    if index % 9 == 1:
        services.assign_member(
            referral=referral, user=member, kind="assigned", since=meeting.held_on, by=chair
        )
    services.record_assessment(
        referral=referral,
        by=chair,
        assessed_on=meeting.held_on,
        entries={
            "e1": "Demo evidence: speaks of unfair treatment at school.",
            "e3": "Demo judgement: looking for a group to belong to.",
            "engagement": "Demo: some engagement online, early stage.",
            "intent": "Demo: no expressed intent.",
        },
    )
    answered = meeting.held_on + datetime.timedelta(days=7)
    refused = index % 7 == 3
    services.record_consent(
        referral=referral,
        by=chair,
        requested_by="Channel coordinator (demo)",
        method="in_person",
        requested_on=meeting.held_on + datetime.timedelta(days=2),
        status="refused" if refused else "given",
        answered_on=answered,
        given_by=queries.consent_must_come_from(referral, answered),
        giver_name="A parent (fictional)" if referral.age_on(answered) < 18 else "",
    )
    if refused:
        services.record_onward_referral(
            referral=referral, by=chair, service="children", decided_on=answered
        )
        return
    services.start_support(referral=referral, by=chair, on=answered)
    services.add_intervention(
        referral=referral,
        by=chair,
        kind=rng.choice(["ideological", "education", "mental_health", "family"]),
        provider="Demo intervention provider (fictional)",
        home_office_provider=index % 2 == 0,
        who="A mentor (fictional)",
        how="Weekly sessions",
        starts_on=answered + datetime.timedelta(days=3),
        review_on=answered + datetime.timedelta(days=90),
    )
    services.add_progress_note(
        referral=referral,
        by=chair,
        written_on=answered + datetime.timedelta(days=30),
        text="Demo progress note: attending sessions.",
    )
    exit_on = answered + datetime.timedelta(days=120)
    if exit_on > YEAR_END:
        return  # still receiving support
    services.exit_case(referral=referral, by=chair, on=exit_on, reason="no_longer")
    if index % 5 == 0:
        return  # both reviews overdue
    for review in referral.reviews.order_by("months"):
        if review.months == 12 and index % 3 == 0:
            break  # the 12-month review overdue
        services.complete_review(
            review=review, by=chair, on=review.due_on, outcome="Demo: no further concern."
        )
    referral.refresh_from_db()
    if referral.stage == Referral.Stage.CLOSED:
        closed.append(referral)


def _re_referral(police: Any, force: Organisation) -> None:
    """One person referred again: the second record links to the first, nothing is merged."""
    first = Referral.objects.filter(stage=Referral.Stage.CLOSED).order_by("received_on").first()
    if first is None:
        return
    services.receive_referral(
        by=police,
        source=Referral.Source.POLICE,
        received_on=datetime.date(2019, 3, 28),
        force=force,
        referrer_organisation="Demo referrer organisation (fictional)",
        referrer_sector="education",
        referrer_name="A teacher (fictional)",
        subject=services.Subject(
            first.given_name,
            first.family_name,
            first.birth_date,
            first.gender,
            first.district,
        ),
        concern_type=first.concern_type,
        concerns="Fictional demo concern: renewed worries.",
        awareness="aware",
        previous_referral=first,
    )


def _demo_retention(closed: list[Referral]) -> None:
    """Count retention from today (see the module's docstring); one case is already past it."""
    today = timezone.localdate()
    with audit.bulk_write(
        Referral,
        action=AuditEvent.Action.UPDATE,
        description="Demo: retention dates counted from today",
    ) as write:
        for number, referral in enumerate(sorted(closed, key=lambda item: item.pk)):
            if number == 0:
                until = today - datetime.timedelta(days=30)
            else:
                until = add_years(today + (referral.closed_on - YEAR_START), 5)
            write.rows += Referral.objects.filter(pk=referral.pk).update(retain_until=until)
