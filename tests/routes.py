"""What every route of Prevent Hub should let each role reach: the matrix the tests walk.

A new app adds its routes here (one line each) and gets the whole access test for free:
``tests/core/test_route_matrix.py`` fails if a route is missing from this table, declares no
access rule, is reachable by a role not listed, or is refused to a role that is listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from preventhub.core.roles import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class RouteContext:
    """Objects a route's URL can point at, made fresh for each test."""

    subject: Any  # a user other than the one signed in


@dataclass(frozen=True)
class Route:
    reach: str | frozenset[Role]
    method: str = "get"
    kwargs: Callable[[RouteContext], dict[str, Any]] = field(default=lambda context: {})

    def reachable_by(self, roles: frozenset[Role]) -> bool:
        if self.reach in (PUBLIC, SIGNED_IN):
            return True
        return bool(set(self.reach) & roles)


def only(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


def _subject_pk(context: RouteContext) -> dict[str, Any]:
    return {"pk": context.subject.pk}


def _reset_link(context: RouteContext) -> dict[str, Any]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(context.subject.pk)),
        "token": default_token_generator.make_token(context.subject),
    }


ROUTES: dict[str, Route] = {
    # core
    "core:home": Route(SIGNED_IN),
    "core:accessibility": Route(PUBLIC),
    "core:cookies": Route(PUBLIC),
    "core:health": Route(PUBLIC),
    "core:audit_log": Route(only(Role.DPO)),
    "core:audit_log_export": Route(only(Role.DPO)),
    # accounts: the signed-in user's own account
    "accounts:sign_in": Route(PUBLIC),
    "accounts:sign_out": Route(SIGNED_IN, method="post"),
    "accounts:account": Route(SIGNED_IN),
    "accounts:two_factor_verify": Route(SIGNED_IN),
    "accounts:two_factor_setup": Route(SIGNED_IN),
    "accounts:backup_codes": Route(SIGNED_IN, method="post"),
    "accounts:password_change": Route(SIGNED_IN),
    "accounts:password_change_done": Route(SIGNED_IN),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(PUBLIC, kwargs=_reset_link),
    "accounts:password_reset_complete": Route(PUBLIC),
    # accounts: managing other people
    "accounts:user_list": Route(only(Role.ADMINISTRATOR)),
    "accounts:user_invite": Route(only(Role.ADMINISTRATOR)),
    "accounts:user_edit": Route(only(Role.ADMINISTRATOR), kwargs=_subject_pk),
    "accounts:user_deactivate": Route(only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk),
    "accounts:user_reactivate": Route(only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk),
    "accounts:user_reset_two_factor": Route(
        only(Role.ADMINISTRATOR), method="post", kwargs=_subject_pk
    ),
    # partnership
    "partnership:directory": Route(SIGNED_IN),
}
