"""Fixtures for the school's side of the audit: the hand-checked round, open today, and links."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from preventhub.audits import services as audit_services
from preventhub.audits.models import AuditRound, RoundSchool
from preventhub.partnership.models import Area

from .audit_world import answer_round, make_round, make_schools

SITE = "http://testserver"


@pytest.fixture
def registered_schools(district: Area, county: Area) -> None:
    """tests/audits/audit_world's schools: five in Stafford, five in Tamworth, three left out."""
    other, _ = Area.objects.get_or_create(
        gss_code="E07000199", defaults={"name": "Tamworth", "kind": "district", "parent": county}
    )
    make_schools(district, other)


@pytest.fixture
def audit_round(registered_schools: None) -> AuditRound:
    """tests/audits/audit_world's round of 2018, with its questions and no answers yet."""
    return make_round()


@pytest.fixture
def answered_round(audit_round: AuditRound) -> AuditRound:
    """tests/audits/audit_world's round of 2018, answered as its table says."""
    answer_round(audit_round)
    return audit_round


@pytest.fixture
def open_round(registered_schools: None) -> AuditRound:
    """tests/audits/audit_world's round and answers, opened ten days ago and closing in 50."""
    audit_round = make_round("2026", opens_on=timezone.localdate() - datetime.timedelta(days=10))
    answer_round(audit_round)
    return audit_round


def place_of(audit_round: AuditRound, urn: int) -> RoundSchool:
    return audit_round.scope.select_related("establishment").get(establishment__urn=urn)


def link_path(place: RoundSchool, **options: object) -> str:
    """A new link for ``place`` (any earlier one stops working), as a path with its query."""
    issued = audit_services.issue_link(place=place, site_url=SITE, **options)
    return issued.url.removeprefix(SITE)


@pytest.fixture
def school_client() -> Callable[[RoundSchool], Client]:
    """A browser, not signed in, that has opened a new link of the school's place."""

    def make(place: RoundSchool) -> Client:
        client = Client()
        response = client.get(link_path(place))
        assert response.status_code == 302 and response["Location"] == "/school-audit/start/"
        return client

    return make
