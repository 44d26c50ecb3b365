"""The demo partnership's organisations, boards, members and meetings (¶2–4, 8, 15 of the seed).

Organisations are real public bodies or marked fictional; every person is fictional. Meetings are
dated around the day the demo is loaded so the board pages always show a recent and a next
meeting; they are created once, so loading the demo again leaves them alone.
"""

from __future__ import annotations

import datetime

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership import services
from preventhub.partnership.models import (
    Area,
    Attendance,
    Board,
    BoardAction,
    Contact,
    Membership,
    Organisation,
    Sector,
)

COUNTY_COUNCIL = "Staffordshire County Council"
POLICE = "Staffordshire Police"
HEALTH = "Demo Integrated Care Board (fictional)"
SCHOOL = "Demo Church of England Primary School (fictional)"

# (name, sector code, area GSS code)
ORGANISATIONS = [
    (COUNTY_COUNCIL, "local-authority", "E10000028"),
    (POLICE, "police", "E10000028"),
    (HEALTH, "health", "E10000028"),
    ("Demo Mental Health Trust (fictional)", "health", "E10000028"),
    (SCHOOL, "schools", "E07000197"),
    ("Demo Early Years Network (fictional)", "early-years", "E10000028"),
    ("Demo College of Further Education (fictional)", "further-education", "E07000193"),
    ("Demo University (fictional)", "higher-education", "E07000197"),
    ("Demo Prison (fictional)", "prisons", "E07000197"),
    ("Demo Probation Delivery Unit (fictional)", "probation", "E10000028"),
    ("Demo Youth Offending Service (fictional)", "youth-justice", "E10000028"),
    ("Demo Community Trust (fictional)", "third-sector", "E07000192"),
    ("Demo Interfaith Forum (fictional)", "faith-community", "E07000199"),
]

CONTEST_BOARD = "Staffordshire Contest Board"
STRATEGY_GROUP = "Safer and Stronger Communities Strategy Group"
PREVENT_BOARD = "Staffordshire Prevent Board"
CHANNEL_PANEL = "Staffordshire Channel Panel"

CHANNEL_CORE = [
    ("Adult safeguarding", COUNTY_COUNCIL),
    ("Child safeguarding", COUNTY_COUNCIL),
    ("Education", COUNTY_COUNCIL),
    ("Youth offending", "Demo Youth Offending Service (fictional)"),
    ("Health, including mental health", "Demo Mental Health Trust (fictional)"),
    ("Community safety", COUNTY_COUNCIL),
]
CHANNEL_CO_OPTED = [
    ("Probation", "Demo Probation Delivery Unit (fictional)"),
    ("Further education", "Demo College of Further Education (fictional)"),
]


def _contact(organisation: Organisation, name: str, job_title: str) -> Contact:
    contact, _ = Contact.objects.get_or_create(
        organisation=organisation, name=name, defaults={"job_title": job_title}
    )
    return contact


def _board(name: str, kind: str, purpose: str, **fields: object) -> Board:
    board = Board.objects.filter(name=name).first()
    if board is None:
        board = services.save_board(name=name, kind=kind, purpose=purpose, **fields)
    return board


def _seat(
    board: Board,
    organisation: Organisation,
    role: str,
    since: datetime.date,
    *,
    user: User | None = None,
    contact: Contact | None = None,
    represents: str = "",
) -> Membership:
    person = {"user": user} if user else {"contact": contact}
    existing = Membership.objects.filter(board=board, role=role, **person).first()
    if existing is not None:
        return existing
    return services.add_membership(
        board=board,
        organisation=organisation,
        role=role,
        since=since,
        represents=represents,
        **person,
    )


def load_organisations(areas: dict[str, Area]) -> dict[str, Organisation]:
    services.ensure_default_sectors()
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    organisations: dict[str, Organisation] = {}
    for name, sector_code, area_code in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"sector": sectors[sector_code], "area": areas[area_code]}
        )
    for area in areas.values():
        if area.kind == Area.Kind.DISTRICT:
            organisations[f"{area.name} District Council"], _ = (
                Organisation.objects.update_or_create(
                    name=f"{area.name} District Council",
                    defaults={"sector": sectors["local-authority"], "area": area},
                )
            )
    return organisations


def load_boards(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    county = organisations[COUNTY_COUNCIL]
    police = organisations[POLICE]
    began = datetime.date(2015, 4, 1)

    contest = _board(
        CONTEST_BOARD,
        Board.Kind.CONTEST_BOARD,
        "Oversees the Contest strategy in Staffordshire. Chaired by the police.",
        frequency=Board.Frequency.QUARTERLY,
    )
    strategy = _board(
        STRATEGY_GROUP,
        Board.Kind.STRATEGY_GROUP,
        "The county's strategy group for safer and stronger communities.",
        frequency=Board.Frequency.QUARTERLY,
    )
    prevent = _board(
        PREVENT_BOARD,
        Board.Kind.PREVENT_BOARD,
        "Oversees delivery of the Prevent duty: monitors progress against the Delivery Plan, "
        "assesses impact, and identifies and addresses challenges.",
        frequency=Board.Frequency.QUARTERLY,
        quorum=5,
        reports_to=contest,
        updates=[strategy],
    )
    channel = _board(
        CHANNEL_PANEL,
        Board.Kind.CHANNEL_PANEL,
        "The multi-agency panel that assesses and supports people referred to Channel.",
        frequency=Board.Frequency.MONTHLY,
        quorum=4,
        updates=[prevent],
    )

    _seat(
        contest,
        police,
        Membership.Role.CHAIR,
        began,
        contact=_contact(police, "Corey Constable (demo)", "Assistant Chief Constable"),
    )
    # The Prevent Board's chair changed: the history shows both terms.
    _seat(
        prevent,
        county,
        Membership.Role.CHAIR,
        began,
        contact=_contact(county, "Robin Former (demo)", "Former Cabinet Member"),
    )
    _seat(
        prevent,
        county,
        Membership.Role.CHAIR,
        datetime.date(2017, 5, 25),
        contact=_contact(
            county, "Jordan Commissioner (demo)", "Commissioner for Safety and Families"
        ),
    )
    _seat(
        prevent,
        county,
        Membership.Role.ADVISER,
        began,
        user=users[Role.COORDINATOR],
        represents="Prevent coordination",
    )
    _seat(
        prevent,
        police,
        Membership.Role.CORE,
        began,
        user=users[Role.POLICE_OFFICER],
        represents="Police Prevent team",
    )
    _seat(
        prevent,
        organisations[HEALTH],
        Membership.Role.CORE,
        began,
        user=users[Role.PARTNER_LEAD],
        represents="Health",
    )
    _seat(
        prevent,
        county,
        Membership.Role.CORE,
        began,
        user=users[Role.EDUCATION_LEAD],
        represents="Education",
    )
    for name in (
        "Demo Probation Delivery Unit (fictional)",
        "Demo College of Further Education (fictional)",
        "Demo Prison (fictional)",
    ):
        _seat(
            prevent,
            organisations[name],
            Membership.Role.CORE,
            began,
            contact=_contact(organisations[name], f"Prevent lead at {name}", "Prevent lead"),
        )

    _seat(channel, county, Membership.Role.CHAIR, began, user=users[Role.CHANNEL_CHAIR])
    _seat(
        channel,
        police,
        Membership.Role.CORE,
        began,
        user=users[Role.POLICE_OFFICER],
        represents="Police",
    )
    for represents, organisation_name in CHANNEL_CORE:
        organisation = organisations[organisation_name]
        person = (
            {"user": users[Role.CHANNEL_MEMBER]}
            if represents.startswith("Health")
            else {"contact": _contact(organisation, f"{represents} lead (demo)", represents)}
        )
        _seat(channel, organisation, Membership.Role.CORE, began, represents=represents, **person)
    for represents, organisation_name in CHANNEL_CO_OPTED:
        organisation = organisations[organisation_name]
        _seat(
            channel,
            organisation,
            Membership.Role.CO_OPTED,
            began,
            represents=represents,
            contact=_contact(organisation, f"{represents} adviser (demo)", represents),
        )

    for area in sorted(
        (a for a in areas.values() if a.kind == Area.Kind.DISTRICT), key=lambda a: a.name
    ):
        council = organisations[f"{area.name} District Council"]
        csp = _board(
            f"{area.name} Community Safety Partnership",
            Board.Kind.CSP,
            f"The Community Safety Partnership for {area.name}.",
            area=area,
            updates=[prevent],
        )
        lead = (
            users[Role.DISTRICT_LEAD] if users[Role.DISTRICT_LEAD].district_id == area.pk else None
        )
        _seat(
            csp,
            council,
            Membership.Role.DISTRICT_LEAD,
            began,
            **(
                {"user": lead}
                if lead
                else {
                    "contact": _contact(
                        council, f"{area.name} Prevent Lead (demo)", "District Prevent Lead"
                    )
                }
            ),
        )
    _load_meetings(prevent, organisations, today or datetime.date.today())


def _load_meetings(
    board: Board, organisations: dict[str, Organisation], today: datetime.date
) -> None:
    if board.meetings.exists():
        return
    earlier = services.save_meeting(
        board=board,
        held_on=today - datetime.timedelta(days=168),
        location="County Buildings, Stafford",
        agenda=[
            "Apologies and minutes",
            "Delivery Plan progress",
            "Training update",
            "Channel update",
        ],
    )
    last = services.save_meeting(
        board=board,
        held_on=today - datetime.timedelta(days=77),
        location="County Buildings, Stafford",
        agenda=[
            "Apologies and minutes",
            "Quarterly progress report on the Delivery Plan",
            "Schools safeguarding audit results",
            "Counter-Terrorism Local Profile",
            "Any other business",
        ],
    )
    services.save_meeting(
        board=board,
        held_on=today + datetime.timedelta(days=14),
        location="Online",
        agenda=["Apologies and minutes", "Quarterly progress report", "Self-assessment plan"],
    )
    members = list(board.memberships.filter(until__isnull=True).order_by("pk"))
    services.record_attendance(
        meeting=last,
        statuses={
            member.pk: Attendance.Status.APOLOGIES if number == 2 else Attendance.Status.PRESENT
            for number, member in enumerate(members)
        },
    )
    services.save_minutes(
        meeting=last,
        expected_version=last.version,
        minutes="The Board reviewed the quarter's progress against this year's Delivery Plan, "
        "checked against the national Contest strategy and the local profile.\n\nThe Education "
        "Safeguarding Lead presented the audit results: most schools answered the Prevent "
        "questions; follow-up with non-responders continues.",
    )
    services.add_decision(
        meeting=last, text="The quarterly progress report is noted; exceptions are followed up."
    )
    services.add_decision(
        meeting=last, text="District Prevent Leads report district risks to each meeting."
    )
    county = organisations[COUNTY_COUNCIL]
    services.add_board_action(
        meeting=earlier,
        description="Circulate the training framework to all partners.",
        owner_organisation=county,
        owner_name="Casey Coordinator (demo)",
        due_on=today - datetime.timedelta(days=100),
    )
    done = BoardAction.objects.get(meeting=earlier)
    services.set_board_action_status(
        action=done,
        expected_version=done.version,
        status=BoardAction.Status.DONE,
        on=today - datetime.timedelta(days=110),
    )
    services.add_board_action(
        meeting=last,
        description="Follow up schools that did not answer the Prevent questions.",
        owner_organisation=county,
        owner_name="Eden Education (demo)",
        due_on=today + datetime.timedelta(days=7),
    )
    services.add_board_action(
        meeting=last,
        description="Provide partnership data for the Counter-Terrorism Local Profile.",
        owner_organisation=organisations[POLICE],
        owner_name="Parker Police (demo)",
        due_on=today + datetime.timedelta(days=60),
    )
