"""The demo's referrals and Channel cases: the 2018 history and the months up to today.

The partnership's history is the seed's Channel data: about a hundred referrals received from
1 May to 30 November 2018, each one's journey long finished (triaged, routed, decided by the
panel, supported, exited, reviewed, closed). The present is about sixty referrals received in
the fourteen months up to the day the demo is loaded, with cases at every stage: awaiting triage
(received in the last few working days, within the target), awaiting routing, police-led,
awaiting the panel (on the next meeting's agenda), adopted and supported, consent refused,
exited with reviews done and due. Names are invented (no real person); every date is counted
from ``today`` and nothing is dated after it, except the next panel meeting.

The history's real retention dates would all be past, so the demo counts retention from today
instead: one closed case, and only one, is past its date for ``manage.py purge_expired_cases``.

Loading is idempotent: the referrals are created once and left alone afterwards.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from preventhub.casework import queries, services
from preventhub.casework.models import ConcernType, Referral, TriageCheck
from preventhub.core import audit
from preventhub.core.calendar import add_years
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Attendance, Board, Meeting, Organisation

# The seed's Channel data (¶13–14): the partnership's history.
HISTORY_START = datetime.date(2018, 5, 1)
HISTORY_END = datetime.date(2018, 11, 30)
HISTORY_REFERRALS = 100
# The present: referrals received in the months up to the day the demo is loaded.
RECENT_DAYS = 420
RECENT_REFERRALS = 60
AWAITING_TRIAGE = 4  # the newest few, received in the last few working days
AWAITING_ROUTING = 3  # the next newest, triaged in the last day or two

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


def _working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The working day (Monday to Friday) ``count`` working days before ``day``."""
    while count > 0 or day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _monthly_meetings(panel: Board, first: datetime.date, last: datetime.date) -> list[Meeting]:
    """The panel's meetings on the first Wednesday of each month from ``first`` to ``last``."""
    meetings = []
    year, month = first.year, first.month
    while datetime.date(year, month, 1) <= last:
        held_on = datetime.date(year, month, 1)
        while held_on.weekday() != 2:  # the first Wednesday
            held_on += datetime.timedelta(days=1)
        meeting = Meeting.objects.filter(board=panel, held_on=held_on).first()
        if meeting is None:
            meeting = partnership.save_meeting(
                board=panel, held_on=held_on, location="County Buildings, Stafford"
            )
        meetings.append(meeting)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return meetings


def _record_attendance(meetings: list[Meeting], police: Organisation, today: datetime.date) -> None:
    for number, meeting in enumerate(meetings):
        if meeting.held_on > today:
            continue  # who attends a meeting yet to happen is not known
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


@dataclass
class _Casework:
    """What every journey needs: who acts, where, and the meetings it can go to."""

    rng: random.Random
    police: Any
    chair: Any
    member: Any
    panel: Board
    force: Organisation
    meetings: list[Meeting]
    checks: list[TriageCheck]
    districts: list[Area]
    concerns: list[ConcernType]
    today: datetime.date
    closed: list[Referral]


def load_casework(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, Any],
    today: datetime.date | None = None,
) -> None:
    today = today or datetime.date.today()
    if Referral.objects.filter(reference__startswith="PR2018-").exists():
        return
    from preventhub.demo.partnership import CHANNEL_PANEL, POLICE

    services.ensure_reference_lists()
    panel = Board.objects.get(name=CHANNEL_PANEL)
    force = organisations[POLICE]
    history_meetings = _monthly_meetings(panel, HISTORY_START, datetime.date(2019, 6, 30))
    recent_meetings = _monthly_meetings(
        panel,
        today - datetime.timedelta(days=RECENT_DAYS + 31),
        today + datetime.timedelta(days=35),  # the next meeting, and only one, is to come
    )
    recent_meetings = [m for m in recent_meetings if m.held_on <= today] + [
        m for m in recent_meetings if m.held_on > today
    ][:1]
    _record_attendance(history_meetings, force, today)
    _record_attendance(recent_meetings, force, today)
    work = _Casework(
        rng=random.Random(201819),
        police=users[Role.POLICE_OFFICER],
        chair=users[Role.CHANNEL_CHAIR],
        member=users[Role.CHANNEL_MEMBER],
        panel=panel,
        force=force,
        meetings=history_meetings,
        checks=list(TriageCheck.objects.all()[:2]),
        districts=sorted(
            (area for area in areas.values() if area.kind == Area.Kind.DISTRICT), key=str
        ),
        concerns=list(ConcernType.objects.filter(is_active=True)),
        today=today,
        closed=[],
    )
    span = (HISTORY_END - HISTORY_START).days + 1
    for index, offset in enumerate(
        sorted(work.rng.randrange(span) for _ in range(HISTORY_REFERRALS))
    ):
        referral = _receive(work, HISTORY_START + datetime.timedelta(days=offset))
        _journey(work, referral, index, finished=True)
    work.meetings = recent_meetings
    # The newest few are received in the last few working days, within the triage target.
    newest = [_working_days_before(today, n) for n in range(AWAITING_TRIAGE)]
    days = sorted(
        [
            today - datetime.timedelta(days=work.rng.randrange(8, RECENT_DAYS))
            for _ in range(RECENT_REFERRALS - AWAITING_TRIAGE)
        ]
        + newest
    )
    for index, received in enumerate(days):
        referral = _receive(work, received)
        if index >= RECENT_REFERRALS - AWAITING_TRIAGE:
            continue  # the newest few still await triage
        _journey(
            work,
            referral,
            index,
            finished=False,
            route_it=index < RECENT_REFERRALS - AWAITING_TRIAGE - AWAITING_ROUTING,
        )
    _re_referral(work.police, force, today)
    _demo_retention(work.closed, today)


def _receive(work: _Casework, received: datetime.date) -> Referral:
    rng = work.rng
    age = _weighted(rng, AGES)
    born = received - datetime.timedelta(days=age * 365 + rng.randrange(1, 360))
    return services.receive_referral(
        by=work.police,
        source=Referral.Source.POLICE,
        received_on=received,
        force=work.force,
        referrer_organisation="Demo referrer organisation (fictional)",
        referrer_sector=_weighted(rng, SECTORS),
        referrer_name=f"{rng.choice(GIVEN_NAMES)} Referrer (fictional)",
        subject=services.Subject(
            rng.choice(GIVEN_NAMES),
            rng.choice(FAMILY_NAMES),
            born,
            _weighted(rng, GENDERS),
            rng.choice(work.districts + [None]),
        ),
        concern_type=rng.choices(work.concerns, weights=[3, 4, 2, 3, 1, 2][: len(work.concerns)])[
            0
        ],
        concerns="Fictional demo concern: behaviour and remarks that worried the referrer.",
        awareness=rng.choice(Referral.Awareness.values),
    )


def _journey(
    work: _Casework,
    referral: Referral,
    index: int,
    *,
    finished: bool,
    route_it: bool = True,
) -> None:
    """Take a referral as far as its dates allow: all the way for history (``finished``)."""
    rng, police, chair, today = work.rng, work.police, work.chair, work.today
    received = referral.received_on
    triaged_on = min(received + datetime.timedelta(days=rng.choice([1, 2, 3, 4, 6, 8])), today)
    route = rng.choices(["nfa", "signposted", "police_led", "channel"], weights=[40, 28, 17, 25])[0]
    category = {"nfa": "not_appropriate", "signposted": "possible"}.get(route, "clear")
    services.record_triage(
        referral=referral,
        by=police,
        category=category,
        decision="Demo decision",
        rationale="Demo rationale: checks made, concern weighed against the evidence.",
        decided_on=triaged_on,
        checks=[
            services.CheckDone(check, triaged_on, "Nothing further known") for check in work.checks
        ],
        expected_version=referral.version,
    )
    if not route_it:
        return  # triaged, awaiting routing
    routed_on = min(triaged_on + datetime.timedelta(days=1), today)
    services.route_referral(
        referral=referral,
        by=police,
        route=route,
        reason="Demo reasons for the route chosen.",
        on=routed_on,
        signposted_to="Early help service (demo)" if route == "signposted" else "",
        panel=work.panel if route == "channel" else None,
        expected_version=referral.version,
    )
    if route in ("nfa", "signposted"):
        work.closed.append(referral)
        return
    if route == "police_led":
        closes_on = routed_on + datetime.timedelta(days=60)
        if (finished or index % 2 == 0) and closes_on <= today:
            services.close_case(referral=referral, by=police, on=closes_on)
            work.closed.append(referral)
        return
    meeting = _next_meeting(work.meetings, routed_on)
    if meeting is None:
        return  # awaiting a panel meeting yet to be arranged
    entry = services.add_to_agenda(referral=referral, meeting=meeting, by=chair)
    if meeting.held_on > today:
        return  # on the next meeting's agenda
    _panel_and_support(work, referral, entry, meeting, index, finished=finished)


def _panel_and_support(
    work: _Casework,
    referral: Referral,
    entry: Any,
    meeting: Meeting,
    index: int,
    *,
    finished: bool,
) -> None:
    rng, chair, today = work.rng, work.chair, work.today
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
        work.closed.append(referral)
        return
    if index % 9 == 1 and not finished:
        services.assign_member(
            referral=referral, user=work.member, kind="assigned", since=meeting.held_on, by=chair
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
    answered = min(meeting.held_on + datetime.timedelta(days=7), today)
    refused = index % 7 == 3
    # Who may consent depends on the person's age on the day they answered, not on today.
    services.record_consent(
        referral=referral,
        by=chair,
        requested_by="Channel coordinator (demo)",
        method="in_person",
        requested_on=min(meeting.held_on + datetime.timedelta(days=2), answered),
        status="refused" if refused else "given",
        answered_on=answered,
        given_by=queries.consent_must_come_from(referral, answered),
        giver_name="A parent (fictional)" if referral.age_on(answered) < 18 else "",
    )
    if refused:
        services.record_onward_referral(
            referral=referral, by=chair, service="children", decided_on=answered
        )
        if finished:
            services.close_case(
                referral=referral, by=chair, on=answered + datetime.timedelta(days=14)
            )
            work.closed.append(referral)
        return
    services.start_support(referral=referral, by=chair, on=answered)
    starts_on = min(answered + datetime.timedelta(days=3), today)
    services.add_intervention(
        referral=referral,
        by=chair,
        kind=rng.choice(["ideological", "education", "mental_health", "family"]),
        provider="Demo intervention provider (fictional)",
        home_office_provider=index % 2 == 0,
        who="A mentor (fictional)",
        how="Weekly sessions",
        starts_on=starts_on,
        review_on=starts_on + datetime.timedelta(days=90),
    )
    written_on = answered + datetime.timedelta(days=30)
    if written_on <= today:
        services.add_progress_note(
            referral=referral,
            by=chair,
            written_on=written_on,
            text="Demo progress note: attending sessions.",
        )
    exit_on = answered + datetime.timedelta(days=120)
    if exit_on > today:
        return  # still receiving support
    services.exit_case(referral=referral, by=chair, on=exit_on, reason="no_longer")
    for review in referral.reviews.order_by("months"):
        if review.due_on > today:
            break  # not due yet
        if not finished and index % 5 == 0:
            break  # due and not done yet: the chair's list of reviews due shows it
        services.complete_review(
            review=review, by=chair, on=review.due_on, outcome="Demo: no further concern."
        )
    referral.refresh_from_db()
    if referral.stage == Referral.Stage.CLOSED:
        work.closed.append(referral)


def _re_referral(police: Any, force: Organisation, today: datetime.date) -> None:
    """One person from the history referred again: the new record links to the first, nothing
    is merged, and their age is counted on the day of each referral."""
    first = (
        Referral.objects.filter(stage=Referral.Stage.CLOSED, received_on__lte=HISTORY_END)
        .order_by("received_on")
        .first()
    )
    if first is None:
        return
    services.receive_referral(
        by=police,
        source=Referral.Source.POLICE,
        received_on=_working_days_before(today, 2),  # awaiting triage too
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


def _demo_retention(closed: list[Referral], today: datetime.date) -> None:
    """Count the history's retention from today (see the module's docstring); one case is
    already past it. Cases closed recently keep the dates the service gave them."""
    history = [referral for referral in closed if referral.received_on <= HISTORY_END]
    with audit.bulk_write(
        Referral,
        action=AuditEvent.Action.UPDATE,
        description="Demo: retention dates counted from today",
    ) as write:
        for number, referral in enumerate(sorted(history, key=lambda item: item.pk)):
            referral.refresh_from_db(fields=["closed_on"])
            if number == 0:
                until = today - datetime.timedelta(days=30)
            else:
                until = add_years(today + (referral.closed_on - HISTORY_START), 5)
            write.rows += Referral.objects.filter(pk=referral.pk).update(retain_until=until)
