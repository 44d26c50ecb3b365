"""District involvement: a district lead's own picture each quarter (engagement and protected
referral figures), and being called to a Channel case through casework's need-to-know rules."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.casework import services as casework
from preventhub.casework import stats as referral_stats
from preventhub.casework.access import visible_referrals
from preventhub.casework.models import Referral
from preventhub.core.roles import Role
from preventhub.engagement.models import Activity
from preventhub.partnership.models import Area
from tests.casework.conftest import World
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

QUARTER = "2025-26-Q4"  # January to March 2026, ended by "today"


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12))


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.DISTRICT_LEAD)  # of Stafford, the ``district`` fixture


def _page(user: User, district: Area) -> str:
    response = sign_in(Client(), user).get(
        f"/engagement/districts/{district.pk}/?quarter={QUARTER}"
    )
    assert response.status_code == 200
    return response.content.decode()


class TestTheDistrictPicture:
    def test_a_district_lead_sees_their_own_district_s_engagement(
        self, lead: User, district: Area, record: Callable[..., Activity]
    ) -> None:
        record(district=district, kind="parenting_programme", audience="parents", reach=11)
        record(title="Open day", district=district, held_on=datetime.date(2026, 12, 19))

        text = _page(lead, district)

        assert "1 parenting programme reaching 11 parents" in text
        assert "Open day" in text  # planned for the rest of the month

    def test_a_district_lead_cannot_open_another_district(
        self, lead: User, other_district: Area
    ) -> None:
        response = sign_in(Client(), lead).get(f"/engagement/districts/{other_district.pk}/")

        assert response.status_code == 403

    def test_the_districts_page_takes_a_district_lead_to_their_own(
        self, lead: User, district: Area
    ) -> None:
        response = sign_in(Client(), lead).get("/engagement/districts/")

        assert response["Location"] == f"/engagement/districts/{district.pk}/"


class TestProtectedReferralFigures:
    def test_a_handful_of_referrals_is_suppressed_never_shown_exactly(
        self, lead: User, district: Area, make_referral: Callable[..., Referral]
    ) -> None:
        make_referral(given="Alex")
        make_referral(given="Sam")

        text = _page(lead, district)

        assert "2025/26 Q4: too few referrals to show" in text
        assert "2 referrals" not in text

    def test_the_district_s_figures_are_those_of_casework_s_protected_tables(
        self, lead: User, district: Area, make_referral: Callable[..., Referral]
    ) -> None:
        for number in range(14):
            make_referral(given=f"Person{number}")
        period = referral_stats.period_named(QUARTER)
        table = referral_stats.protected_table(
            period=period, by="district", then_by="age_band", today=datetime.date(2026, 12, 5)
        )
        protected = table.row_totals[table.row_labels.index(district.name)]

        text = _page(lead, district)

        assert not protected.suppressed
        assert f"{protected.count} referrals" in text

    def test_a_quarter_still_open_is_never_offered(self) -> None:
        from preventhub.engagement import stats

        quarters = stats.referral_quarters(datetime.date(2026, 12, 5))

        assert quarters[0].code == "2026-27-Q2"
        assert all(period.ends_on < datetime.date(2026, 12, 5) for period in quarters)


class TestCallingADistrictLeadToAChannelCase:
    """Casework already supports this: a co-opted member is called to one case, and only a
    person holding the Channel member role can be called. Nothing in engagement changes it."""

    def test_a_district_lead_with_the_channel_member_role_sees_only_the_case_while_called(
        self,
        make_user: Callable[..., User],
        world: World,
        make_referral: Callable[..., Referral],
    ) -> None:
        called_case, other_case = make_referral("channel"), make_referral("channel", given="B")
        lead = make_user(Role.DISTRICT_LEAD, Role.CHANNEL_MEMBER, totp=True)

        casework.assign_member(
            referral=called_case,
            user=lead,
            kind="called",
            since=datetime.date(2026, 12, 1),
            until=datetime.date(2026, 12, 31),
            by=world.chair,
        )

        assert list(visible_referrals(lead)) == [called_case]
        assert other_case not in visible_referrals(lead)

    def test_a_district_lead_without_the_channel_member_role_cannot_be_called(
        self,
        lead: User,
        world: World,
        make_referral: Callable[..., Referral],
    ) -> None:
        with pytest.raises(casework.CaseworkError, match="Channel member role"):
            casework.assign_member(
                referral=make_referral("channel"),
                user=lead,
                kind="called",
                since=datetime.date(2026, 12, 1),
                by=world.chair,
            )
        assert not visible_referrals(lead).exists()
