"""`manage.py demo` loads a fictional Staffordshire partnership; loading it twice is harmless."""

from __future__ import annotations

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from preventhub.accounts.models import User
from preventhub.audits import stats
from preventhub.audits.models import AuditRound
from preventhub.audits.queries import place_for_token
from preventhub.audits.stats import rate
from preventhub.casework.models import Referral
from preventhub.core.models import AuditEvent
from preventhub.core.roles import TWO_FACTOR_ROLES, Role
from preventhub.demo.services import DEMO_PASSWORD, demo_email
from preventhub.partnership.models import Area
from preventhub.returns.models import PartnerReturn
from preventhub.schools.models import Establishment, EstablishmentGroup
from preventhub.training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_it_creates_the_county_and_its_eight_districts_with_their_ons_codes(
    demo_printed: str,
) -> None:
    county = Area.objects.get(gss_code="E10000028")
    districts = dict(county.children.values_list("gss_code", "name"))
    assert county.name == "Staffordshire"
    assert districts == {
        "E07000192": "Cannock Chase",
        "E07000193": "East Staffordshire",
        "E07000194": "Lichfield",
        "E07000195": "Newcastle-under-Lyme",
        "E07000196": "South Staffordshire",
        "E07000197": "Stafford",
        "E07000198": "Staffordshire Moorlands",
        "E07000199": "Tamworth",
    }


def test_it_prints_the_sign_in_details_of_one_user_per_role(demo_printed: str) -> None:
    printed = demo_printed
    assert DEMO_PASSWORD in printed
    for role in Role:
        assert demo_email(role) in printed
        assert User.objects.get(email=demo_email(role)).roles == {role.value}


def test_the_printed_two_factor_secret_gives_working_codes(demo_printed: str) -> None:
    line = next(
        line for line in demo_printed.splitlines() if demo_email(Role.POLICE_OFFICER) in line
    )
    secret = line.split("two-factor secret ")[1].rstrip(")")
    client = Client()
    client.post(
        "/account/sign-in/", {"email": demo_email(Role.POLICE_OFFICER), "password": DEMO_PASSWORD}
    )
    code = f"{totp(base64.b32decode(secret)):06d}"
    assert client.post("/account/two-factor/", {"code": code})["Location"] == "/"


def test_only_roles_that_require_two_factor_get_a_secret(demo_printed: str) -> None:
    for line in demo_printed.splitlines():
        for role in Role:
            if demo_email(role) in line:
                assert ("two-factor secret" in line) == (role in TWO_FACTOR_ROLES)


def test_loading_it_twice_changes_nothing(demo_printed: str) -> None:
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (User, Area, AuditEvent, PartnerReturn, TrainingSession, Referral)
        )

    before = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == before


def test_its_people_are_marked_fictional(demo_printed: str) -> None:
    assert all("(demo)" in name for name in User.objects.values_list("full_name", flat=True))


def test_it_refuses_to_run_in_production(settings) -> None:
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not loaded when PREVENTHUB_ENV=production"):
        call_command("demo", stdout=StringIO())


def test_it_loads_this_years_plan_with_its_earlier_quarters_closed_and_the_current_one_open(
    demo_printed: str,
) -> None:
    from preventhub.delivery import queries as delivery
    from preventhub.delivery.models import DeliveryPlan
    from preventhub.partnership.models import ReportingPeriod

    plan = DeliveryPlan.objects.get(status=DeliveryPlan.Status.APPROVED)
    assert plan.title == "Prevent Delivery Plan 2026/27"
    assert plan.sections.count() == 10
    assert 55 <= plan.actions.count() <= 70
    periods = {p.name: p.status for p in ReportingPeriod.objects.all()}
    assert periods == {
        "2018/19 Q1": "closed",
        "2018/19 Q2": "closed",
        "2018/19 Q3": "closed",
        "2018/19 Q4": "closed",
        "2026/27 Q1": "closed",
        "2026/27 Q2": "closed",
        "2026/27 Q3": "open",
    }
    open_quarter = ReportingPeriod.objects.get(status="open")
    due = delivery.actions_due(open_quarter)
    missing = [a for a in due if not a.updates.filter(period=open_quarter).exists()]
    assert 0 < len(missing) < len(due)


def test_it_keeps_the_refreshed_2018_19_plan_as_history(demo_printed: str) -> None:
    from preventhub.delivery.models import DeliveryPlan

    refreshed = DeliveryPlan.objects.get(
        title="Prevent Delivery Plan 2018/19 (refreshed October 2018)"
    )
    assert refreshed.status == DeliveryPlan.Status.SUPERSEDED
    assert refreshed.predecessor.status == DeliveryPlan.Status.SUPERSEDED
    assert 55 <= refreshed.actions.count() <= 70


def test_its_2018_schools_audit_computes_the_seeds_figures_from_the_answers(
    demo_printed: str,
) -> None:
    out = StringIO()
    call_command("audit_summary", "--round", "2018", "--json", stdout=out)
    summary = json.loads(out.getvalue().splitlines()[-1])
    assert (summary["in_scope"], summary["responded"], summary["completion_rate"]) == (411, 399, 97)
    assert (summary["prevent_answered"], summary["prevent_rate"]) == (345, 84)
    assert rate(summary["all_actioned"], 345) == 85
    assert rate(summary["cannot_confirm"], 345) == 2
    assert summary["all_actioned"] + summary["under_review"] + summary["cannot_confirm"] == 345
    sef, parents = summary["questions"]["P5"], summary["questions"]["P6"]
    assert (sef["answered"], rate(sef["counts"]["Yes"], sef["answered"])) == (345, 10)
    assert (parents["answered"], rate(parents["counts"]["Yes"], parents["answered"])) == (345, 93)


def test_its_register_is_411_schools_in_eight_districts_with_trusts_and_a_2019_trend(
    demo_printed: str,
) -> None:
    first, second = AuditRound.objects.get(name="2018"), AuditRound.objects.get(name="2019")
    assert first.scope.count() == second.scope.count() == 411
    districts = set(first.scope.values_list("establishment__district__gss_code", flat=True))
    assert len(districts) == 8
    phases = set(first.scope.values_list("establishment__phase", flat=True))
    assert {"Primary", "Secondary", "Not applicable", "Nursery"} <= phases
    assert EstablishmentGroup.objects.filter(kind="trust").count() == 6
    assert Establishment.objects.filter(name__contains="’").exists()  # read as Windows-1252
    later = stats.analyse(second, breakdowns=False)
    assert later.previous == first
    assert later.figures.completion_rate > stats.round_figures(first).completion_rate


def test_it_prints_a_working_link_for_a_school_yet_to_answer_the_open_focused_survey(
    demo_printed: str,
) -> None:
    link = demo_printed.strip().splitlines()[-1].strip()
    token = link.split("?link=")[1]
    place = place_for_token(token)
    assert place is not None and place.answered_by is None
    assert place.round.kind == "focused" and place.round.is_open
    assert [q.code for q in place.round.questions.all()] == ["P2", "P3", "P6"]


def test_it_loads_the_2018_referrals_and_recent_ones_with_cases_at_every_stage(
    demo_printed: str,
) -> None:
    import datetime

    from preventhub.casework.models import ExitReview, Referral
    from preventhub.casework.queries import expired_referrals

    history = Referral.objects.filter(received_on__year=2018)
    assert history.count() == 100
    assert (
        history.filter(
            received_on__gte=datetime.date(2018, 5, 1), received_on__lte=datetime.date(2018, 11, 30)
        ).count()
        == 100
    )
    assert Referral.objects.filter(received_on__year=2026).count() > 40
    stages = set(Referral.objects.values_list("stage", flat=True))
    assert stages == {stage.value for stage in Referral.Stage}
    assert ExitReview.objects.filter(completed_on__isnull=True).exists()
    assert len(expired_referrals(timezone.localdate())) == 1
    assert Referral.objects.filter(previous_referral__isnull=False).exists()
