"""Reads through the API: pages with counts, filters and ordering, and the same figures the
pages, downloads and commands give."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from preventhub.accounts.models import User
from preventhub.casework import services as casework
from preventhub.casework.models import ConcernType
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery
from preventhub.partnership.models import Area, Organisation, Sector
from preventhub.training import stats as training_stats
from tests.api.conftest import Api, World
from tests.audits.audit_world import answer_round, make_round, make_schools

pytestmark = pytest.mark.django_db


class TestPagesOfResults:
    def test_a_list_gives_its_count_and_one_page_of_items(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        for number in range(3, 8):
            Organisation.objects.create(name=f"Partner {number}")
        page = api_as(world.lead).get("/organisations", limit=2, offset=2).json()
        assert (page["count"], page["limit"], page["offset"]) == (7, 2, 2)
        assert [item["name"] for item in page["items"]] == [
            "Partner 4",
            "Partner 5",
        ]  # after Other Trust, Partner 3

    def test_a_list_is_ordered_as_asked(self, world: World, api_as: Callable[..., Api]) -> None:
        names = [
            item["name"]
            for item in api_as(world.lead).get("/organisations", ordering="-name").json()["items"]
        ]
        assert names == sorted(names, reverse=True)

    def test_an_ordering_not_offered_is_refused_naming_the_field(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        response = api_as(world.lead).get("/organisations", ordering="secret_hash")
        assert (response.status_code, response.json()["field"]) == (422, "ordering")

    def test_actions_filter_as_the_plan_page_filters(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        delivery.submit_update(
            action=world.others_action,
            period=world.period,
            status="off_track",
            narrative="Behind",
            by=world.lead,
        )
        api = api_as(world.lead)
        mine = api.get("/plan/actions", owner=world.organisation.pk).json()
        assert [item["reference"] for item in mine["items"]] == ["SAF-01"]
        red = api.get("/plan/actions", rag="red").json()
        assert [(item["reference"], item["rag"]) for item in red["items"]] == [("SAF-02", "red")]
        everything = api.get("/plan/actions", ordering="-reference").json()
        assert [item["reference"] for item in everything["items"]] == ["SAF-02", "SAF-01"]

    def test_an_actions_updates_are_listed(self, world: World, api_as: Callable[..., Api]) -> None:
        delivery.submit_update(
            action=world.action,
            period=world.period,
            status="on_track",
            narrative="Fine",
            by=world.lead,
        )
        page = api_as(world.lead).get(f"/plan/actions/{world.action.pk}/updates").json()
        assert page["count"] == 1
        assert page["items"][0]["period"] == world.period.name


class TestTheSameFigures:
    def test_an_audit_rounds_summary_is_audit_summary_json(
        self,
        county: Area,
        district: Area,
        make_user: Callable[..., User],
        api_as: Callable[..., Api],
    ) -> None:
        other, _ = Area.objects.get_or_create(
            gss_code="E07000199",
            defaults={"name": "Tamworth", "kind": "district", "parent": county},
        )
        make_schools(district, other)
        audit_round = make_round()
        answer_round(audit_round)
        out = StringIO()
        call_command("audit_summary", "--round", audit_round.name, "--json", stdout=out)
        printed = json.loads(out.getvalue().strip().splitlines()[-1])
        api = api_as(make_user(Role.EDUCATION_LEAD))
        assert api.get(f"/audit-rounds/{audit_round.pk}/summary").json() == printed
        assert api.get("/audit-rounds").json()["items"][0]["name"] == audit_round.name

    def test_training_coverage_is_the_coverage_commands(
        self, world: World, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        answer = api_as(make_user(Role.COORDINATOR)).get("/training/coverage").json()
        on = datetime.date.fromisoformat(answer["on"])
        assert answer == json.loads(
            json.dumps(training_stats.coverage_json(training_stats.coverage(on)))
        )


def _referrals(how_many: int, *, gender: str, police: User, force: Organisation) -> None:
    for number in range(how_many):
        casework.receive_referral(
            by=police,
            source="police",
            received_on=datetime.date(2026, 5, 4) + datetime.timedelta(days=number),
            force=force,
            referrer_organisation="Test Academy",
            referrer_sector="education",
            referrer_name="Riley Referrer",
            subject=casework.Subject(
                f"Given{number}", "Family", datetime.date(2010, 1, 1), gender, None
            ),
            concern_type=ConcernType.objects.get(name="Extreme right-wing"),
            concerns="Concerns",
            awareness="not_aware",
        )


def _numbers(value: Any) -> list[int]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):
        return [n for key, item in value.items() if key != "threshold" for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return []


class TestReferralStatistics:
    @override_settings(PREVENTHUB_DISCLOSURE_THRESHOLD=5)
    def test_no_count_below_the_threshold_is_ever_given(
        self, db: None, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        casework.ensure_reference_lists()
        force = Organisation.objects.create(name="Force", sector=Sector.objects.get(code="police"))
        police = make_user(Role.POLICE_OFFICER, totp=True)
        police.organisation = force
        police.save(update_fields=["organisation"])
        _referrals(2, gender="female", police=police, force=force)
        _referrals(9, gender="male", police=police, force=force)
        api = api_as(make_user(Role.COORDINATOR))
        for by, then_by in [("gender", ""), ("age_band", ""), ("gender", "age_band")]:
            response = api.get("/referral-statistics", period="2026-27-Q1", by=by, then_by=then_by)
            assert response.status_code == 200, response.json()
            body = response.json()
            assert body["method"] == "cell-key"
            assert all(number >= 5 for number in _numbers(body)), body
        one_way = api.get("/referral-statistics", period="2026-27-Q1", by="gender").json()
        female = next(row for row in one_way["rows"] if row["label"] == "Female")
        assert female["counts"] == [None]

    def test_a_period_that_has_not_ended_is_refused(
        self, db: None, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        year = datetime.date.today().year
        response = api_as(make_user(Role.COORDINATOR)).get(
            "/referral-statistics", period=f"{year}-{(year + 1) % 100:02d}", by="gender"
        )
        assert (response.status_code, response.json()["field"]) == (422, "period")

    def test_roles_without_statistics_get_none(
        self, db: None, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        for role in (Role.PARTNER_LEAD, Role.CHANNEL_MEMBER, Role.DPO, Role.ADMINISTRATOR):
            api = api_as(make_user(role))
            assert api.get("/referral-statistics", period="2025-26", by="gender").status_code == 403
