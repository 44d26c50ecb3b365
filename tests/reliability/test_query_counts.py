"""Every list and dashboard page makes as many SQL queries for 1,000 rows as for 10.

Each test fills the page with 10 rows, counts the queries of one request, grows the rows to
1,000 and counts again. Rows are made with ``bulk_create``, so the tests stay quick; a query
made once per row (N+1) shows as a difference of 990.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preventhub.audits.models import (
    ActionPlanItem,
    AuditRound,
    Question,
    Response,
    RoundSchool,
)
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery
from preventhub.delivery.models import PlanAction, ProgressUpdate, Section
from preventhub.localprofile.models import Indicator, IndicatorValue
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Organisation, ReportingPeriod, Sector
from preventhub.returns.models import PartnerReturn, ReturnKind, ReturnStatus, ReturnWindow
from preventhub.schools.models import Establishment
from preventhub.training.models import (
    RoleGroup,
    SessionAttendance,
    TrainingLevel,
    TrainingSession,
    WorkforceFigure,
)

# Casework's fixtures, for the referral list: a police force, a Channel panel, referrals.
from tests.casework.conftest import make_referral, world  # noqa: F401

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 1000
_numbers = count(1)


def queries_of(client: Client, url: str) -> tuple[int, str]:
    """The number of SQL queries one GET of ``url`` makes, and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def same_queries_for_few_and_many(
    client: Client, url: str, grow: Callable[[int], None], *, shows: str
) -> tuple[int, int]:
    """The queries of ``url`` with FEW rows, then with MANY, once the page ``shows`` them.

    A first request fills what lasts a process's lifetime (content types, for one), so the two
    counted requests start alike."""
    grow(FEW)
    assert client.get(url).status_code == 200
    few, _ = queries_of(client, url)
    grow(MANY - FEW)
    many, page = queries_of(client, url)
    assert shows in page, "the page does not show the rows"
    return few, many


def organisations(how_many: int, *, sector: Sector | None = None) -> list[Organisation]:
    county = Area.objects.filter(kind=Area.Kind.COUNTY).first()
    sectors = list(Sector.objects.all())
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {next(_numbers):05}",
            sector=sector or sectors[n % len(sectors)],
            area=county,
        )
        for n in range(how_many)
    )


@pytest.fixture(autouse=True)
def framework(db: None) -> None:
    """The sectors, the training framework and the local profile's indicators, as seeded."""
    from preventhub.localprofile import services as localprofile
    from preventhub.training import services as training

    partnership.ensure_default_sectors()
    training.ensure_default_framework()
    localprofile.ensure_default_indicators()


@pytest.fixture
def quarter(db: None) -> ReportingPeriod:
    return partnership.open_period(
        period=partnership.create_period(
            year=2026, quarter=3, updates_due_on=datetime.date(2099, 1, 14)
        )
    )


# ---- the Delivery Plan's actions ---------------------------------------------------------------


def test_the_plans_actions(client_for, make_user, quarter: ReportingPeriod, district) -> None:
    plan = delivery.approve_plan(
        plan=delivery.create_plan(title="A big plan"), on=datetime.date(2026, 4, 1)
    )
    sections = list(Section.objects.filter(plan=plan))
    lead = make_user(Role.PARTNER_LEAD)

    def grow(how_many: int) -> None:
        owners = organisations(how_many)
        actions = PlanAction.objects.bulk_create(
            PlanAction(
                plan=plan,
                section=sections[n % len(sections)],
                reference=f"{sections[n % len(sections)].code}-{next(_numbers):04}",
                title=f"Action {n}",
                owner_organisation=owner,
                lead=lead if n % 2 else None,
                district=district if n % 3 else None,
                due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 700),
                status=["on_track", "at_risk", "off_track", "not_started"][n % 4],
            )
            for n, owner in enumerate(owners)
        )
        PlanAction.partners.through.objects.bulk_create(
            PlanAction.partners.through(planaction_id=action.pk, organisation_id=owner.pk)
            for action, owner in zip(actions, reversed(owners), strict=True)
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                period=quarter,
                status=action.status,
                narrative="Going well",
                submitted_by=lead,
                submitted_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
            )
            for action in actions[::2]
        )

    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR), "/plan/", grow, shows="Action 989"
    )
    assert many == few


# ---- partner returns ---------------------------------------------------------------------------


def _windows(quarter: ReportingPeriod, coordinator) -> list[ReturnWindow]:
    return [
        ReturnWindow.objects.create(
            period=quarter, kind=kind, due_on=datetime.date(2027, 1, 14), opened_by=coordinator
        )
        for kind in ReturnKind.values
    ]


def _owe(windows: list[ReturnWindow], owing: list[Organisation]) -> list[PartnerReturn]:
    statuses = ReturnStatus.values
    return PartnerReturn.objects.bulk_create(
        PartnerReturn(window=window, organisation=organisation, status=statuses[n % len(statuses)])
        for window in windows
        for n, organisation in enumerate(owing)
    )


def test_the_returns_list(client_for, make_user, quarter: ReportingPeriod) -> None:
    coordinator = make_user(Role.COORDINATOR)
    windows = _windows(quarter, coordinator)
    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR),
        "/returns/",
        lambda n: _owe(windows, organisations(n)),
        shows="1000",
    )
    assert many == few


# ---- the safeguarding audit --------------------------------------------------------------------


def _schools(how_many: int, district: Area) -> list[Establishment]:
    return Establishment.objects.bulk_create(
        Establishment(
            urn=100000 + next(_numbers),
            name=f"School {n}",
            la_code="860",
            status=Establishment.Status.OPEN,
            phase="Primary" if n % 2 else "Secondary",
            type_group="Academies" if n % 3 else "Local authority maintained schools",
            district=district,
        )
        for n in range(how_many)
    )


def _answered(audit_round: AuditRound, schools: list[Establishment]) -> None:
    places = RoundSchool.objects.bulk_create(
        RoundSchool(round=audit_round, establishment=school) for school in schools
    )
    questions = list(audit_round.questions.all())
    responses = Response.objects.bulk_create(
        Response(
            round=audit_round,
            establishment=school,
            status=Response.Status.SUBMITTED,
            source=Response.Source.IMPORTED,
            submitted_on=audit_round.opens_on,
            answers={str(question.pk): "Yes" for question in questions},
        )
        for school in schools[::2]
    )
    by_school = {response.establishment_id: response for response in responses}
    for place in places:
        place.answered_by = by_school.get(place.establishment_id)
    RoundSchool.objects.bulk_update(places, ["answered_by"])
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            place=place,
            question=questions[0],
            answer="No",
            action="Assess the risk.",
            due_on=audit_round.closes_on,
        )
        for place in places
        if place.answered_by_id
    )


def _round(name: str) -> AuditRound:
    from tests.audits.audit_world import make_round

    return make_round(name)


def test_the_audit_rounds_list(client_for, district) -> None:
    school = _schools(1, district)

    def grow(how_many: int) -> None:
        rounds = AuditRound.objects.bulk_create(
            AuditRound(
                name=f"Big round {next(_numbers)}",
                opens_on=datetime.date(2018, 9, 1),
                closes_on=datetime.date(2018, 11, 1),
            )
            for _ in range(how_many)
        )
        RoundSchool.objects.bulk_create(
            RoundSchool(round=audit_round, establishment=school[0]) for audit_round in rounds
        )
        Question.objects.bulk_create(
            Question(round=audit_round, code="P1", section="Prevent", text="?", scale="yes_no")
            for audit_round in rounds
        )

    few, many = same_queries_for_few_and_many(
        client_for(Role.EDUCATION_LEAD), "/schools/audits/", grow, shows="Big round"
    )
    assert many == few


def test_the_audit_rounds_dashboard(client_for, district) -> None:
    audit_round = _round("2018")
    few, many = same_queries_for_few_and_many(
        client_for(Role.EDUCATION_LEAD),
        f"/schools/audits/{audit_round.pk}/",
        lambda n: _answered(audit_round, _schools(n, district)),
        shows="500 of 1000 (50%)",
    )
    assert many == few


# ---- training coverage -------------------------------------------------------------------------


def test_the_training_coverage(client_for, make_user, quarter: ReportingPeriod) -> None:
    groups = list(RoleGroup.objects.all())
    level = TrainingLevel.objects.order_by("position").last()
    assert groups and level is not None
    recorder = make_user(Role.PARTNER_LEAD)
    on = quarter.ends_on

    def grow(how_many: int) -> None:
        owners = organisations(how_many)
        WorkforceFigure.objects.bulk_create(
            WorkforceFigure(organisation=owner, role_group=group, staff=50, as_of=on)
            for owner in owners
            for group in groups[:3]
        )
        sessions = TrainingSession.objects.bulk_create(
            TrainingSession(
                organisation=owner, held_on=on, level=level, mode="e_learning", recorded_by=recorder
            )
            for owner in owners
        )
        SessionAttendance.objects.bulk_create(
            SessionAttendance(session=session, role_group=group, attendees=20)
            for session in sessions
            for group in groups[:3]
        )

    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR),
        f"/training/coverage/?period={quarter.pk}",
        grow,
        shows="Organisation",
    )
    assert many == few


# ---- the local profile's dataset ---------------------------------------------------------------


def test_the_local_profile_dataset(client_for, make_user, quarter: ReportingPeriod, district):
    coordinator = make_user(Role.COORDINATOR)
    window = ReturnWindow.objects.create(
        period=quarter,
        kind=ReturnKind.CTLP,
        due_on=datetime.date(2027, 1, 14),
        opened_by=coordinator,
    )
    indicators = list(Indicator.objects.all())

    def grow(how_many: int) -> None:
        returns = _owe([window], organisations(how_many))
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                partner_return=found,
                indicator=indicators[n % len(indicators)],
                district=district if n % 2 else None,
                value=n,
            )
            for n, found in enumerate(returns)
            if found.status == ReturnStatus.ACCEPTED or n % 2
        )

    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR),
        f"/local-profile/dataset/?period={quarter.pk}",
        grow,
        shows="Organisation",
    )
    assert many == few


# ---- the partnership's organisations -----------------------------------------------------------


def test_the_partnerships_organisations(client_for) -> None:
    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR),
        "/partnership/",
        lambda n: organisations(n),
        shows="Organisation",
    )
    assert many == few


# ---- more lists: a return window, a round's other pages, the schools register -------------------


def test_a_return_windows_returns(client_for, make_user, quarter: ReportingPeriod) -> None:
    window, _ = _windows(quarter, make_user(Role.COORDINATOR))
    few, many = same_queries_for_few_and_many(
        client_for(Role.COORDINATOR),
        f"/returns/windows/{window.pk}/",
        lambda n: _owe([window], organisations(n)),
        shows="Organisation",
    )
    assert many == few


@pytest.mark.parametrize(
    ("page", "shows"),
    [
        ("breakdown/", "Stafford"),
        ("non-responders/", "School "),
        ("scope/", "School "),
        ("action-plans/", "Assess the risk."),
    ],
)
def test_a_rounds_lists(client_for, district, page: str, shows: str) -> None:
    audit_round = _round("2018")
    few, many = same_queries_for_few_and_many(
        client_for(Role.EDUCATION_LEAD),
        f"/schools/audits/{audit_round.pk}/{page}",
        lambda n: _answered(audit_round, _schools(n, district)),
        shows=shows,
    )
    assert many == few


def test_the_schools_register(client_for, district) -> None:
    few, many = same_queries_for_few_and_many(
        client_for(Role.EDUCATION_LEAD),
        "/schools/",
        lambda n: _schools(n, district),
        shows="School",
    )
    assert many == few


# ---- the referral list -------------------------------------------------------------------------


def test_the_referral_list(request: pytest.FixtureRequest) -> None:
    """Copies of one referral made through the services, as the force's police officer sees
    them (casework's own fixtures, tests/casework/conftest.py)."""
    from preventhub.casework.models import Referral
    from tests.conftest import sign_in

    casework_world = request.getfixturevalue("world")
    first: Referral = request.getfixturevalue("make_referral")("triaged")

    def grow(how_many: int) -> None:
        copies = []
        for _ in range(how_many):
            copy = Referral.objects.get(pk=first.pk)
            copy.pk = None
            copy.reference = f"PR2026-{next(_numbers):06}"
            copies.append(copy)
        Referral.objects.bulk_create(copies)

    few, many = same_queries_for_few_and_many(
        sign_in(Client(), casework_world.police), "/cases/", grow, shows="PR2026-"
    )
    assert many == few
