"""Fixtures shared by the returns, training and local profile tests (imported by their conftest).

A partner organisation in the health sector with a partner lead, the 2018/19 quarters from the
Delivery Plan's cycle, and the default framework and indicators.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.calendar import financial_quarter
from preventhub.core.roles import Role
from preventhub.localprofile import services as localprofile
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Organisation, ReportingPeriod, Sector
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnWindow
from preventhub.training import services as training
from tests.conftest import sign_in


@pytest.fixture
def sectors(db: None) -> dict[str, Sector]:
    partnership.ensure_default_sectors()
    return {sector.code: sector for sector in Sector.objects.all()}


@pytest.fixture
def framework(sectors: dict[str, Sector]) -> None:
    training.ensure_default_framework()
    localprofile.ensure_default_indicators()


@pytest.fixture
def partner(county: Area, sectors: dict[str, Sector], framework: None) -> Organisation:
    return Organisation.objects.create(
        name="Shire Health Trust", sector=sectors["health"], area=county
    )


@pytest.fixture
def quarters(db: None) -> dict[int, ReportingPeriod]:
    """2018/19 Q1 to Q4, as the Delivery Plan's cycle makes them."""
    made = {}
    for quarter in (1, 2, 3, 4):
        _, _, ends_on = financial_quarter(2018, quarter)
        made[quarter] = partnership.create_period(
            year=2018, quarter=quarter, updates_due_on=ends_on + datetime.timedelta(days=14)
        )
    return made


@pytest.fixture
def open_window(
    quarters: dict[int, ReportingPeriod], partner: Organisation
) -> Callable[..., ReturnWindow]:
    """Ask ``partner`` (and any others) for a return of ``kind`` for 2018/19 Q``quarter``."""

    def make(
        kind: str, quarter: int = 3, *others: Organisation, due_on: datetime.date | None = None
    ) -> ReturnWindow:
        period = quarters[quarter]
        return returns.open_window(
            period=period,
            kind=kind,
            due_on=due_on or period.ends_on + datetime.timedelta(days=14),
            organisations=[partner, *others],
        )

    return make


@pytest.fixture
def owed(
    open_window: Callable[..., ReturnWindow], partner: Organisation
) -> Callable[..., PartnerReturn]:
    """The partner's return of ``kind`` for a quarter."""
    return lambda kind, quarter=3: open_window(kind, quarter).returns.get(organisation=partner)


@pytest.fixture
def partner_lead(make_user: Callable[..., User], partner: Organisation) -> User:
    user = make_user(Role.PARTNER_LEAD)
    user.organisation = partner
    user.save(update_fields=["organisation"])
    return user


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR)


@pytest.fixture
def client_as() -> Callable[[User], Client]:
    return lambda user: sign_in(Client(), user)
