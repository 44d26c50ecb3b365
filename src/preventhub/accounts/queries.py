from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Func, OuterRef, Prefetch, QuerySet, Subquery, TextField
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts.models import User
from preventhub.core import prepared
from preventhub.core.queries import RoleSummary, role_summaries
from preventhub.core.roles import Role, keep_roles


@dataclass(frozen=True)
class TwoFactorStatus:
    has_authenticator: bool
    backup_codes_left: int
    required: bool


@dataclass(frozen=True)
class AccountSummary:
    user: Any
    roles: list[RoleSummary]
    two_factor: TwoFactorStatus
    verified: bool


def two_factor_status(user: User) -> TwoFactorStatus:
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return TwoFactorStatus(
        has_authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        backup_codes_left=backup.token_set.count() if backup else 0,
        required=user.needs_two_factor,
    )


def account_summary(user: Any) -> AccountSummary:
    return AccountSummary(
        user=user,
        roles=role_summaries(user),
        two_factor=two_factor_status(user),
        verified=user.is_verified(),
    )


@dataclass(frozen=True)
class PersonRow:
    pk: int
    full_name: str
    email: str
    organisation: str
    district: str
    roles: list[str]
    is_active: bool


def people() -> list[PersonRow]:
    """Everyone with an account, with their roles, in a fixed number of queries."""
    labels = dict(Role.choices)
    users: QuerySet[User] = User.objects.select_related(
        "organisation", "district"
    ).prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
    return [
        PersonRow(
            pk=user.pk,
            full_name=user.full_name,
            email=user.email,
            organisation=str(user.organisation or ""),
            district=str(user.district or ""),
            roles=[labels.get(group.name, group.name) for group in user.groups.all()],
            is_active=user.is_active,
        )
        for user in users
    ]


def link_lifetime() -> str:
    """How long an invitation or reset link works, in words: "3 days", "12 hours"."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds >= 86400:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, seconds // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


class _NamesAsJson(Func):
    """The rows' names as one JSON array of text: an aggregate, though the ORM is not told so
    (it would group the query), so it gives one row over all the rows its query finds."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        text = "%(function)s(%(expressions)s)::text"
        return self.as_sql(compiler, connection, function="JSON_AGG", template=text)


def _signed_in(user_id: int) -> QuerySet[User]:
    roles = Group.objects.filter(users=OuterRef("pk")).annotate(names=_NamesAsJson("name"))
    return (
        User.objects.select_related("organisation", "district")
        .annotate(role_names=Subquery(roles.values("names")[:1], output_field=TextField()))
        .filter(pk=user_id)
    )


def _device(device_id: int, label: str) -> QuerySet[Device]:
    return apps.get_model(label).objects.filter(id=device_id)


def device(model: type[Device], device_id: int) -> Device | None:
    """The device of kind ``model`` with key ``device_id`` that a session names, read on every
    signed-in request (``accounts.middleware.DeviceMiddleware``) with SQL built once."""
    found = prepared.objects_for(_device, device_id, model._meta.label_lower)
    return found[0] if found else None


def signed_in(user_id: int) -> User | None:
    """The signed-in person, read on every request with their organisation, district and roles
    (``core.roles.keep_roles``): the home page names the first two, and a partner lead's and a
    district lead's pages are scoped by them; every page asks for the roles. Each was a query of
    its own. Its SQL is made once for everyone (``core.prepared``)."""
    found = prepared.objects_for(_signed_in, user_id)
    if not found:
        return None
    user = found[0]
    keep_roles(user, user.role_names)
    return user
