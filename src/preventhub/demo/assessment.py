"""The demo's self-assessment (¶19): the toolkit assessed in Q4 2018/19, and again this year.

The Q4 2018/19 assessment is signed off in April 2019, as the seed report planned, with amber and
red standards whose findings became actions of the 2018/19 Delivery Plan. The current year's
assessment (as at ``today``) is in progress, about half rated, so the coordinator's home page
shows it and its page shows what changed since Q4 2018/19. A dozen schools have assessed
themselves with the DfE tool, for the education lead's totals. Created once, then left alone.
"""

from __future__ import annotations

import datetime
import random

from preventhub.accounts.models import User
from preventhub.assessment import services
from preventhub.assessment.models import Assessment, Framework, StandardRating
from preventhub.core.calendar import quarter_of
from preventhub.core.roles import Role
from preventhub.delivery import queries as delivery_queries
from preventhub.delivery.models import DeliveryPlan
from preventhub.demo.partnership import COUNTY_COUNCIL, POLICE
from preventhub.partnership.models import Organisation
from preventhub.schools.models import Establishment

Q4_TITLE = "Q4 2018/19"
Q4_DATE = datetime.date(2019, 3, 31)
BOARD_DATE = datetime.date(2019, 4, 23)

GREEN = "Seen by the coordinator: in place and reported to the Board."

# The standards not green in Q4 2018/19: level, evidence, the gap found, and the plan action it
# became (section, title, owner: "council" or "police", due date), if it became one yet.
Q4_GAPS: dict[str, tuple[str, str, str, tuple[str, str, str, datetime.date] | None]] = {
    "TK2.1": (
        "amber",
        "The CTLP is briefed to the Board; partners outside policing have not added data.",
        "The local risk picture rests on police data alone.",
        (
            "SAF",
            "Bring partner data into the Counter-Terrorism Local Profile",
            "police",
            datetime.date(2019, 9, 30),
        ),
    ),
    "TK4.1": (
        "amber",
        "The pathway is on the council's site; three partners' intranets do not link to it.",
        "Not every partner publishes the referral pathway to its staff.",
        (
            "SAF",
            "Check that staff in every partner know the referral pathway",
            "council",
            datetime.date(2019, 6, 30),
        ),
    ),
    "TK6.1": (
        "amber",
        "Partners train staff, but no partner has assessed which staff need which level.",
        "No training needs assessment.",
        (
            "SAF",
            "Carry out a training needs assessment with every partner",
            "council",
            datetime.date(2019, 12, 31),
        ),
    ),
    "TK7.2": (
        "red",
        "Library computers filter content, but nobody has tested what the filter lets through.",
        "Filtering of public computers has never been tested.",
        (
            "COM",
            "Test the filtering of public computers in libraries",
            "council",
            datetime.date(2019, 9, 30),
        ),
    ),
    "TK8.1": (
        "amber",
        "Partners use their own wording; no agreed messages.",
        "There is no communication plan with agreed messages.",
        # Left for the coordinator to raise: the finding's page offers it in one step.
        None,
    ),
}

# This year's ratings so far (the rest are still to rate).
NOW_RATED: dict[str, tuple[str, str]] = {
    "TK1.1": ("green", GREEN),
    "TK1.2": ("green", GREEN),
    "TK2.1": ("green", "Partner data returns feed the CTLP every quarter."),
    "TK3.1": ("green", GREEN),
    "TK4.1": ("green", "Every partner's intranet links to the pathway (checked in October)."),
    "TK6.1": ("amber", "The needs assessment covers health and the council, not yet schools."),
    "TK7.2": ("amber", "Filtering was tested in 2024; not since the new library system."),
    "TK8.1": ("green", "The communication plan is agreed and in use."),
}


def _rate(assessment: Assessment, code: str, level: str, evidence: str, by: User) -> StandardRating:
    rating = assessment.ratings.select_related("standard").get(standard__code=code)
    return services.rate_standard(
        rating=rating,
        expected_version=rating.version,
        level=assessment.framework.levels.get(code=level),
        evidence=evidence,
        by=by,
        now=datetime.datetime.combine(
            assessment.assessed_on, datetime.time(10, tzinfo=datetime.UTC)
        ),
    )


def _plan_for_findings() -> DeliveryPlan | None:
    """The plan in force in April 2019, when the Board took the findings into it.

    It is history now (superseded by this year's plan), and its actions are history with it:
    they are judged overdue at its last reported quarter, not today.
    """
    return delivery_queries.plan_in_force(BOARD_DATE) or delivery_queries.current_plan()


def _assign(assessment: Assessment, users: dict[Role, User]) -> None:
    named = {"TK6": users[Role.PARTNER_LEAD], "TK4": users[Role.PARTNER_LEAD]}
    for rating in assessment.ratings.select_related("standard__area"):
        assessor = named.get(rating.standard.area.code, users[Role.COORDINATOR])
        services.assign_assessor(rating=rating, assessor=assessor, expected_version=rating.version)


def _q4_assessment(
    toolkit: Framework, organisations: dict[str, Organisation], users: dict[Role, User]
) -> None:
    coordinator = users[Role.COORDINATOR]
    assessment = services.start_assessment(framework=toolkit, title=Q4_TITLE, assessed_on=Q4_DATE)
    _assign(assessment, users)
    plan = _plan_for_findings()
    owners = {"council": organisations[COUNTY_COUNCIL], "police": organisations[POLICE]}
    for rating in assessment.ratings.select_related("standard").order_by("pk"):
        code = rating.standard.code
        if code not in Q4_GAPS:
            _rate(assessment, code, "green", GREEN, coordinator)
            continue
        level, evidence, gap, action = Q4_GAPS[code]
        found = _rate(assessment, code, level, evidence, coordinator)
        finding = services.record_finding(rating=found, text=gap)
        if plan is not None and action is not None:
            section, title, owner, due_on = action
            services.raise_action(
                finding=finding,
                section=plan.sections.get(code=section),
                title=title,
                owner_organisation=owners[owner],
                starts_on=BOARD_DATE,
                due_on=due_on,
            )
    assessment.refresh_from_db()
    services.sign_off(
        assessment=assessment,
        expected_version=assessment.version,
        summary=(
            "Eleven standards green, four amber and one red. The partnership group, plan and "
            "Channel panel are in good shape; the gaps are in the local risk picture, the "
            "referral pathway's reach, training needs, filtering of public computers and "
            "communications. Each gap is to become an action in the Delivery Plan."
        ),
        on=BOARD_DATE,
        by=coordinator,
    )


def load_assessment_history(
    organisations: dict[str, Organisation], users: dict[Role, User]
) -> None:
    """Q4 2018/19, signed off in April 2019, its gaps raised as actions of the plan then in
    force: loaded while that plan is still the current one (before this year's replaces it)."""
    toolkit = next(f for f in services.ensure_default_frameworks() if f.code == "toolkit")
    if Assessment.objects.filter(framework=toolkit, title=Q4_TITLE).exists():
        return
    _q4_assessment(toolkit, organisations, users)


def load_assessment(
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    """``organisations`` by name, ``users`` one per role, as ``services.load_demo`` has them."""
    load_assessment_history(organisations, users)
    toolkit = next(f for f in services.ensure_default_frameworks() if f.code == "toolkit")
    today = today or datetime.date.today()
    if Assessment.objects.filter(framework=toolkit, assessed_on=today).exists():
        return
    name, _, _ = quarter_of(today)
    year, quarter = name.split(" ")
    current = services.start_assessment(
        framework=toolkit, title=f"{quarter} {year}", assessed_on=today
    )
    _assign(current, users)
    for code, (level, evidence) in NOW_RATED.items():
        found = _rate(current, code, level, evidence, users[Role.COORDINATOR])
        if found.level.is_gap:
            services.record_finding(rating=found, text="Still a gap: " + evidence)
    _schools_own(today)


def _schools_own(today: datetime.date) -> None:
    """A dozen schools' own assessments with the DfE tool, signed off, for the education lead's
    totals; and one in progress. Levels come from a fixed seed, so every load is the same."""
    schools_tool = Framework.objects.get(code="schools")
    year = today.year if today.month >= 9 else today.year - 1
    title = f"{year}/{(year + 1) % 100:02d} academic year"
    chance = random.Random(2026)
    places = Establishment.objects.filter(status=Establishment.Status.OPEN).order_by("urn")[:13]
    for number, school in enumerate(places):
        assessment = services.start_assessment(
            framework=schools_tool,
            title=title,
            assessed_on=today - datetime.timedelta(days=20 + number),
            establishment=school,
        )
        if number == 12:  # still being filled in
            continue
        for rating in assessment.ratings.select_related("standard").order_by("pk"):
            level = chance.choices(["1", "2", "3", "4"], weights=[1, 3, 8, 3])[0]
            found = services.rate_standard(
                rating=rating,
                expected_version=rating.version,
                level=schools_tool.levels.get(code=level),
                evidence="Checked by the designated safeguarding lead.",
                by_name="The school",
            )
            if found.level.is_gap:
                services.record_finding(
                    rating=found,
                    text="Not yet in place across the school.",
                    improvement="Raise with governors and plan it in next term.",
                    due_on=today + datetime.timedelta(days=90),
                )
        assessment.refresh_from_db()
        services.sign_off(
            assessment=assessment,
            expected_version=assessment.version,
            summary="Most of the duty is met; the gaps are in the action plan.",
            on=assessment.assessed_on,
            name="Headteacher (demo)",
        )
