"""The demo Delivery Plan (¶5–8, 18 of the seed): the history and the plan in force today.

The partnership's history is the seed's 2018/19 plan, refreshed in October 2018: both versions
superseded, its four quarters closed with their updates (the Board reports can still reproduce
the seed). The plan in force is the current financial year's, counted from the day the demo is
loaded: sixty actions across the ten sections, its earlier quarters closed with updates and the
current quarter open, some updates in and some still to come. Nothing is dated after today
except what is due later. Statuses come from a fixed seed; the whole part is created once and
left alone afterwards.
"""

from __future__ import annotations

import datetime
import random

from preventhub.accounts.models import User
from preventhub.core.calendar import (
    default_updates_due_on,
    financial_quarter,
    financial_year,
    financial_year_of,
    quarter_of,
)
from preventhub.core.roles import Role
from preventhub.delivery import queries, services
from preventhub.delivery.models import (
    ActionStatus,
    DeliveryPlan,
    PlanAction,
    SourceKind,
)
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Area, Meeting, Organisation, ReportingPeriod

ORIGINAL_TITLE = "Prevent Delivery Plan 2018/19"
REFRESHED_TITLE = "Prevent Delivery Plan 2018/19 (refreshed October 2018)"
HISTORY_YEAR = 2018


def current_title(today: datetime.date) -> str:
    """The title of the plan in force on ``today``: the financial year's."""
    return f"Prevent Delivery Plan {financial_year(financial_year_of(today))[0]}"


# Six actions a section: (title, owner organisation, lead role or None, sources).
ACTIONS: dict[str, list[tuple[str, str, Role | None, tuple[str, ...]]]] = {
    "SAF": [
        (
            "Align Prevent with the joint county and city safeguarding procedures",
            "council",
            None,
            ("contest", "local"),
        ),
        (
            "Publish the Prevent referral pathway on every partner's intranet",
            "council",
            None,
            ("self_assessment",),
        ),
        ("Add Prevent to multi-agency safeguarding training", "council", None, ("local",)),
        (
            "Review the information-sharing agreement for Prevent",
            "police",
            Role.PARTNER_LEAD,
            ("ctlp",),
        ),
        (
            "Audit Prevent content in safeguarding board annual reports",
            "council",
            None,
            ("self_assessment",),
        ),
        (
            "Brief designated safeguarding leads on online radicalisation",
            "council",
            Role.EDUCATION_LEAD,
            ("ctlp",),
        ),
    ],
    "CAS": [
        ("Hold monthly Channel Panels with full core attendance", "council", None, ("contest",)),
        (
            "Agree a deconfliction protocol with police Prevent officers",
            "police",
            Role.PARTNER_LEAD,
            ("contest",),
        ),
        ("Review cases six and twelve months after exit", "council", None, ("local",)),
        (
            "Recruit co-opted panel members from housing and probation",
            "council",
            None,
            ("self_assessment",),
        ),
        ("Set up reporting of Channel figures to the Board", "council", None, ("local",)),
        (
            "Test the referral form with district councils",
            "council",
            Role.DISTRICT_LEAD,
            ("district_risk",),
        ),
    ],
    "COM": [
        (
            "Deliver a community engagement programme in each district",
            "council",
            Role.DISTRICT_LEAD,
            ("contest", "district_risk"),
        ),
        ("Brief faith leaders on the Prevent duty", "faith", None, ("local",)),
        ("Run the Contest communication plan's campaigns", "council", None, ("contest",)),
        (
            "Map community tension monitoring across partners",
            "police",
            Role.PARTNER_LEAD,
            ("ctlp",),
        ),
        (
            "Check venue-hire policies for permissive environments",
            "council",
            Role.DISTRICT_LEAD,
            ("self_assessment",),
        ),
        ("Support third-sector partners to deliver WRAP", "third", None, ("local",)),
    ],
    "SCH": [
        (
            "Include the Prevent questions in the section 175/157 audit",
            "council",
            Role.EDUCATION_LEAD,
            ("local",),
        ),
        (
            "Follow up schools that did not answer the Prevent questions",
            "council",
            Role.EDUCATION_LEAD,
            ("self_assessment",),
        ),
        (
            "Encourage schools to include Prevent in their self-evaluation form",
            "council",
            Role.EDUCATION_LEAD,
            ("self_assessment",),
        ),
        (
            "Send feedback and action plans to every school",
            "council",
            Role.EDUCATION_LEAD,
            ("local",),
        ),
        ("Run focused surveys on online safety", "council", Role.EDUCATION_LEAD, ("ctlp",)),
        ("Train registered childcare providers in Prevent awareness", "early", None, ("local",)),
    ],
    "OSS": [
        (
            "Identify out-of-school settings in each district",
            "council",
            Role.DISTRICT_LEAD,
            ("ctlp",),
        ),
        (
            "Share safeguarding guidance with supplementary schools",
            "council",
            Role.EDUCATION_LEAD,
            ("local",),
        ),
        (
            "Track children missing from education referred to Prevent",
            "council",
            Role.EDUCATION_LEAD,
            ("self_assessment",),
        ),
        ("Work with sports clubs on safeguarding standards", "third", None, ("local",)),
        ("Offer Prevent awareness sessions to tuition centres", "council", None, ("local",)),
        ("Agree a route for concerns about unregistered settings", "council", None, ("contest",)),
    ],
    "OAC": [
        ("Train youth workers in Prevent awareness", "council", None, ("local",)),
        ("Add Prevent to the youth offending service's assessments", "yos", None, ("contest",)),
        ("Brief children's social care teams on Channel", "council", None, ("self_assessment",)),
        ("Include Prevent in foster carer training", "council", None, ("local",)),
        ("Share online safety messages with parents", "council", Role.EDUCATION_LEAD, ("ctlp",)),
        ("Review Prevent in children's homes' policies", "council", None, ("local",)),
    ],
    "FHE": [
        ("Assure further education Prevent policies", "college", None, ("contest",)),
        ("Assure higher education external speaker policies", "university", None, ("contest",)),
        ("Train college staff in WRAP", "college", None, ("local",)),
        ("Agree IT filtering standards with colleges", "college", None, ("ctlp",)),
        ("Support student unions with Prevent guidance", "university", None, ("local",)),
        (
            "Share referral data with the regional FE and HE coordinator",
            "university",
            None,
            ("contest",),
        ),
    ],
    "HEA": [
        (
            "Reach 85% of NHS staff with basic Prevent awareness",
            "health",
            Role.PARTNER_LEAD,
            ("contest",),
        ),
        ("Train safeguarding leads to Prevent level 3", "health", Role.PARTNER_LEAD, ("local",)),
        ("Add mental health input to Channel assessments", "mental", None, ("self_assessment",)),
        (
            "Report health Prevent referrals to the Board quarterly",
            "health",
            Role.PARTNER_LEAD,
            ("local",),
        ),
        ("Brief GP practices on the referral pathway", "health", Role.PARTNER_LEAD, ("ctlp",)),
        (
            "Review Prevent in primary care safeguarding policies",
            "health",
            Role.PARTNER_LEAD,
            ("local",),
        ),
    ],
    "PRI": [
        ("Deliver Prevent awareness to all prison staff", "prison", None, ("contest",)),
        ("Agree release planning for prisoners of Prevent concern", "prison", None, ("contest",)),
        ("Share intelligence on radicalisation in custody", "prison", None, ("ctlp",)),
        ("Train chaplaincy teams on the Prevent duty", "prison", None, ("local",)),
        ("Link prison Prevent leads with the Channel Panel", "prison", None, ("local",)),
        ("Review visitor-hall monitoring", "prison", None, ("self_assessment",)),
    ],
    "PRO": [
        ("Train probation officers in Prevent awareness", "probation", None, ("contest",)),
        ("Agree Channel referral routes for people on licence", "probation", None, ("contest",)),
        ("Add Prevent to probation's risk assessments", "probation", None, ("local",)),
        ("Share probation data for the local profile", "probation", None, ("ctlp",)),
        ("Brief approved premises staff on Prevent", "probation", None, ("local",)),
        ("Review the transfer of cases between areas", "probation", None, ("self_assessment",)),
    ],
}

ORGANISATION_KEYS = {
    "council": "Staffordshire County Council",
    "police": "Staffordshire Police",
    "health": "Demo Integrated Care Board (fictional)",
    "mental": "Demo Mental Health Trust (fictional)",
    "early": "Demo Early Years Network (fictional)",
    "college": "Demo College of Further Education (fictional)",
    "university": "Demo University (fictional)",
    "prison": "Demo Prison (fictional)",
    "probation": "Demo Probation Delivery Unit (fictional)",
    "yos": "Demo Youth Offending Service (fictional)",
    "third": "Demo Community Trust (fictional)",
    "faith": "Demo Interfaith Forum (fictional)",
}

NARRATIVES = {
    ActionStatus.NOT_STARTED: "Not started yet: planned for later in the year.",
    ActionStatus.ON_TRACK: "Work is going to plan; the next milestone is set.",
    ActionStatus.AT_RISK: "Some delay: staff changes slowed this down. A recovery plan is agreed.",
    ActionStatus.OFF_TRACK: "Behind schedule: the partner needs support from the Board to move on.",
    ActionStatus.COMPLETE: "Completed, with evidence shared with the coordinator.",
}


def _next_status(current: str, chance: random.Random) -> str:
    if current == ActionStatus.COMPLETE:
        return current
    roll = chance.random()
    if current == ActionStatus.NOT_STARTED:
        return ActionStatus.ON_TRACK if roll < 0.7 else ActionStatus.NOT_STARTED
    if roll < 0.2:
        return ActionStatus.COMPLETE
    if roll < 0.75:
        return ActionStatus.ON_TRACK
    return ActionStatus.AT_RISK if roll < 0.92 else ActionStatus.OFF_TRACK


def _add_actions(
    plan: DeliveryPlan,
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    year: int,
) -> None:
    _, starts_on, ends_on = financial_year(year)
    _, _, third_quarter_ends = financial_quarter(year, 3)
    sections = {section.code: section for section in plan.sections.all()}
    for code, rows in ACTIONS.items():
        for number, (title, owner, lead_role, sources) in enumerate(rows, start=1):
            services.save_action(
                plan=plan,
                section=sections[code],
                reference=f"{code}-{number:02d}",
                title=title,
                owner_organisation=organisations[ORGANISATION_KEYS[owner]],
                lead=users[lead_role] if lead_role else None,
                starts_on=starts_on,
                due_on=ends_on if number % 3 else third_quarter_ends,
                success_measure="Evidence reported to the Prevent Board.",
                sources=[(kind, "") for kind in sources],
            )


def _quarter(
    year: int,
    quarter: int,
    users: dict[Role, User],
    chance: random.Random,
    *,
    close: bool,
    today: datetime.date,
    missing_share: float = 0.0,
    board: Meeting | None = None,
) -> ReportingPeriod:
    """A quarter's updates; closed a week after they were due, or left open (the current one).

    No update is sent, and no quarter closed, after ``today``.
    """
    _, starts_on, ends_on = financial_quarter(year, quarter)
    period = partnership_services.create_period(
        year=year,
        quarter=quarter,
        updates_due_on=default_updates_due_on(ends_on),
        board_meeting=board,
    )
    partnership_services.open_period(period=period)
    reporter = users[Role.COORDINATOR]
    for action in queries.actions_due(period):
        if chance.random() < missing_share:
            continue
        status = _next_status(action.status, chance)
        late = chance.random() < 0.1
        if close:
            day = period.updates_due_on + datetime.timedelta(days=3 if late else -4)
        else:  # the open quarter: updates sent over the last few weeks
            day = today - datetime.timedelta(days=chance.randint(0, 20))
        day = max(starts_on, min(day, today))
        services.submit_update(
            action=action,
            period=period,
            status=status,
            narrative=NARRATIVES[status],
            by=action.lead or reporter,
            now=datetime.datetime.combine(day, datetime.time(10, tzinfo=datetime.UTC)),
        )
    if close:
        closed_on = min(period.updates_due_on + datetime.timedelta(days=7), today)
        services.close_period(
            period=period,
            now=datetime.datetime.combine(closed_on, datetime.time(17, tzinfo=datetime.UTC)),
        )
    return period


def _receiving_meeting(after: datetime.date) -> Meeting | None:
    """The first Prevent Board meeting after a quarter's updates are in: it gets the report."""
    from preventhub.demo.partnership import PREVENT_BOARD

    return (
        Meeting.objects.filter(board__name=PREVENT_BOARD, held_on__gt=after)
        .order_by("held_on")
        .first()
    )


def load_delivery_history(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    """The 2018/19 plan, refreshed in October, every quarter closed: in force until this year's
    plan replaces it, so what happened in 2019 (the self-assessment's findings) can join it."""
    today = today or datetime.date.today()
    if DeliveryPlan.objects.filter(title=ORIGINAL_TITLE).exists():
        return
    chance = random.Random(2018)
    original = services.create_plan(title=ORIGINAL_TITLE)
    _add_actions(original, organisations, users, HISTORY_YEAR)
    services.approve_plan(plan=original, on=datetime.date(2018, 4, 20))
    _quarter(HISTORY_YEAR, 1, users, chance, close=True, today=today)
    _quarter(HISTORY_YEAR, 2, users, chance, close=True, today=today)

    refreshed = services.refresh_plan(plan=original, title=REFRESHED_TITLE)
    _add_district_actions(refreshed, areas, organisations, users, HISTORY_YEAR, half=True)
    services.approve_plan(plan=refreshed, on=datetime.date(2018, 10, 22))
    _quarter(HISTORY_YEAR, 3, users, chance, close=True, today=today)
    _quarter(HISTORY_YEAR, 4, users, chance, close=True, today=today, missing_share=0.2)


def load_delivery_current(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    """Today: the current financial year's plan, approved just before the year began."""
    today = today or datetime.date.today()
    year = financial_year_of(today)
    if year <= HISTORY_YEAR or DeliveryPlan.objects.filter(title=current_title(today)).exists():
        return
    chance = random.Random(year)
    _, year_starts, _ = financial_year(year)
    current_quarter = int(quarter_of(today)[0][-1])
    plan = services.create_plan(title=current_title(today))
    _add_actions(plan, organisations, users, year)
    _add_district_actions(plan, areas, organisations, users, year, half=False)
    services.approve_plan(plan=plan, on=year_starts - datetime.timedelta(days=10))
    for quarter in range(1, current_quarter + 1):
        is_open = quarter == current_quarter
        due = default_updates_due_on(financial_quarter(year, quarter)[2])
        _quarter(
            year,
            quarter,
            users,
            chance,
            close=not is_open,
            today=today,
            missing_share=0.3 if is_open else 0.0,
            board=_receiving_meeting(due),
        )
    _, _, next_quarter_ends = quarter_of(
        financial_quarter(year, current_quarter)[2] + datetime.timedelta(days=1)
    )
    _add_district_risks(plan, areas, organisations, review_on=next_quarter_ends)


def _add_district_actions(
    plan: DeliveryPlan,
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    year: int,
    *,
    half: bool,
) -> None:
    """Each district's community engagement events, supporting the county action COM-01; from
    the second half of the year when ``half`` (added at a refresh), else for the whole year."""
    _, starts_on, ends_on = financial_year(year)
    if half:
        starts_on = financial_quarter(year, 3)[1]
    county_action = plan.actions.filter(reference="COM-01").first()
    if county_action is None:  # finished before the refresh, so not carried over
        return
    section = county_action.section
    for area in sorted(
        (a for a in areas.values() if a.kind == Area.Kind.DISTRICT), key=lambda a: a.name
    ):
        code = "".join(word[0] for word in area.name.replace("-", " ").split()).upper()[:3]
        services.save_action(
            plan=plan,
            section=section,
            reference=f"COM-01-{code}",
            title=f"Community engagement events in {area.name}",
            owner_organisation=organisations[f"{area.name} District Council"],
            lead=users[Role.DISTRICT_LEAD]
            if users[Role.DISTRICT_LEAD].district_id == area.pk
            else None,
            starts_on=starts_on,
            due_on=ends_on,
            district=area,
            sources=[(SourceKind.DISTRICT_RISK, f"{area.name} risk assessment")],
            supports=[county_action],
        )


def _add_district_risks(
    plan: DeliveryPlan,
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    *,
    review_on: datetime.date,
) -> None:
    for area in areas.values():
        if area.kind != Area.Kind.DISTRICT:
            continue
        mitigations = list(PlanAction.objects.filter(plan=plan, district=area))
        venue_checks = plan.actions.filter(reference="COM-05").first()
        if venue_checks is not None:
            mitigations.append(venue_checks)
        services.save_district_risk(
            district=area,
            description="Extremist speakers seeking to hire community venues",
            likelihood=2,
            impact=4,
            owner=organisations[f"{area.name} District Council"],
            review_on=review_on,
            mitigations=mitigations,
        )
