"""The demo partnership: Staffordshire as in the seed report, with fictional people.

The demo lives in ``today`` (the day it is loaded, unless given): the current financial year's
plan, quarter, returns, referrals and meetings are counted from it, and the seed's year, 2018/19,
is kept as the partnership's history. Loading is idempotent: records are matched on their
natural keys (GSS code, name, e-mail), so running it twice leaves one copy of everything.
Later apps add their demo data here.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts import services as accounts
from preventhub.accounts.models import User
from preventhub.core.roles import TWO_FACTOR_ROLES, Role
from preventhub.demo.assessment import load_assessment, load_assessment_history
from preventhub.demo.casework import load_casework
from preventhub.demo.delivery import load_delivery_current, load_delivery_history
from preventhub.demo.engagement import load_engagement
from preventhub.demo.homes import link_school_dsl
from preventhub.demo.partnership import (
    COUNTY_COUNCIL,
    HEALTH,
    POLICE,
    SCHOOL,
    load_boards,
    load_organisations,
)
from preventhub.demo.reports import load_reports
from preventhub.demo.returns import load_returns
from preventhub.demo.schools import load_schools
from preventhub.partnership.models import Area

DEMO_PASSWORD = "prevent-hub-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.preventhub.example"

COUNTY = ("E10000028", "Staffordshire")
DISTRICTS = [
    ("E07000192", "Cannock Chase"),
    ("E07000193", "East Staffordshire"),
    ("E07000194", "Lichfield"),
    ("E07000195", "Newcastle-under-Lyme"),
    ("E07000196", "South Staffordshire"),
    ("E07000197", "Stafford"),
    ("E07000198", "Staffordshire Moorlands"),
    ("E07000199", "Tamworth"),
]
NEIGHBOURS = [("E06000021", "Stoke-on-Trent")]


# One fictional person per role: (role, name, organisation, district GSS code or None).
PEOPLE = [
    (Role.ADMINISTRATOR, "Alex Admin (demo)", COUNTY_COUNCIL, None),
    (Role.COORDINATOR, "Casey Coordinator (demo)", COUNTY_COUNCIL, None),
    (Role.PARTNER_LEAD, "Pat Partner (demo)", HEALTH, None),
    (Role.DISTRICT_LEAD, "Dani District (demo)", "Stafford District Council", "E07000197"),
    (Role.EDUCATION_LEAD, "Eden Education (demo)", COUNTY_COUNCIL, None),
    (Role.SCHOOL_DSL, "Sam School (demo)", SCHOOL, "E07000197"),
    (Role.POLICE_OFFICER, "Parker Police (demo)", POLICE, None),
    (Role.CHANNEL_CHAIR, "Charlie Chair (demo)", COUNTY_COUNCIL, None),
    (Role.CHANNEL_MEMBER, "Morgan Member (demo)", HEALTH, None),
    (Role.BOARD_READER, "Bailey Board (demo)", COUNTY_COUNCIL, None),
    (Role.DPO, "Drew Protection (demo)", COUNTY_COUNCIL, None),
]


@dataclass(frozen=True)
class DemoUser:
    role: str
    email: str
    password: str
    totp_secret: str  # base32, for an authenticator app; empty where two-factor is optional


def demo_email(role: Role) -> str:
    return f"{role.value.replace('_', '-')}@{DEMO_EMAIL_DOMAIN}"


def _load_areas() -> dict[str, Area]:
    county, _ = Area.objects.update_or_create(
        gss_code=COUNTY[0], defaults={"name": COUNTY[1], "kind": Area.Kind.COUNTY, "parent": None}
    )
    areas = {county.gss_code: county}
    for code, name in DISTRICTS:
        areas[code], _ = Area.objects.update_or_create(
            gss_code=code, defaults={"name": name, "kind": Area.Kind.DISTRICT, "parent": county}
        )
    for code, name in NEIGHBOURS:
        areas[code], _ = Area.objects.update_or_create(
            gss_code=code, defaults={"name": name, "kind": Area.Kind.UNITARY, "parent": None}
        )
    return areas


def _enrol_totp(user: User) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=accounts.TOTP_DEVICE_NAME, confirmed=True, key=secrets.token_hex(20)
        )
    return base64.b32encode(device.bin_key).decode("ascii")


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> list[DemoUser]:
    """Create or refresh the demo partnership as of ``today``; return its people's sign-in
    details."""
    today = today or datetime.date.today()
    accounts.ensure_roles()
    areas = _load_areas()
    organisations = load_organisations(areas)
    people = []
    users: dict[Role, User] = {}
    for role, full_name, organisation, district in PEOPLE:
        email = demo_email(role)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = accounts.invite_user(
                email=email,
                full_name=full_name,
                organisation=organisations[organisation],
                district=areas[district] if district else None,
                roles=[role],
                site_url="http://127.0.0.1:8000/",
                password=DEMO_PASSWORD,
            )
        else:
            accounts.update_user(
                user=user,
                expected_version=user.version,
                full_name=full_name,
                organisation=organisations[organisation],
                district=areas[district] if district else None,
                roles=[role],
                changed_by=None,
            )
            if not user.check_password(DEMO_PASSWORD) or not user.is_active:
                user.set_password(DEMO_PASSWORD)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
        users[role] = user
        secret = _enrol_totp(user) if role in TWO_FACTOR_ROLES else ""
        people.append(DemoUser(role.label, email, DEMO_PASSWORD, secret))
    load_boards(areas, organisations, users, today)
    load_delivery_history(areas, organisations, users, today)
    load_assessment_history(organisations, users)
    load_delivery_current(areas, organisations, users, today)
    load_schools([code for code, _ in DISTRICTS], today)
    link_school_dsl(users[Role.SCHOOL_DSL])
    load_returns(areas, users, today)
    load_casework(areas, organisations, users, today)
    load_assessment(organisations, users, today)
    load_engagement(areas, organisations, users, today)
    load_reports(users[Role.COORDINATOR], today)
    return people
