"""Permissions of information-sharing requests.

A request is seen by the two partners it is between: the people of the requesting organisation
and of the receiving organisation who hold a role that takes part in information sharing. The
receiving organisation approves or refuses it and answers it; the requesting organisation closes
it. The Data protection officer oversees every request (they hold no case detail: what a request
is about, its lawful basis, and who did what when) and may approve, refuse or close one. The
Prevent coordinator takes part through their own organisation like any partner.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of

PARTY_ROLES = (
    Role.COORDINATOR,
    Role.PARTNER_LEAD,
    Role.DISTRICT_LEAD,
    Role.POLICE_OFFICER,
    Role.CHANNEL_CHAIR,
)

takes_part = has_role(*PARTY_ROLES)
oversees = has_role(Role.DPO)


def _of(user: Any, target: Any, side: str) -> bool:
    organisation_id = getattr(user, "organisation_id", None)
    return (
        organisation_id is not None
        and bool(roles_of(user) & set(PARTY_ROLES))
        and getattr(target, f"{side}_organisation_id", None) == organisation_id
    )


@rules.predicate
def of_requester(user: Any, target: Any) -> bool:
    """Someone of the requesting organisation (anyone who takes part, asked without a request)."""
    return bool(takes_part(user)) if target is None else _of(user, target, "requesting")


@rules.predicate
def of_receiver(user: Any, target: Any) -> bool:
    """Someone of the receiving organisation (anyone who takes part, asked without a request)."""
    return bool(takes_part(user)) if target is None else _of(user, target, "receiving")


rules.add_perm("exchange.view_requests", takes_part | oversees)
rules.add_perm("exchange.make_request", takes_part)
rules.add_perm("exchange.view_request", of_requester | of_receiver | oversees)
rules.add_perm("exchange.decide_request", of_receiver | oversees)
rules.add_perm("exchange.respond_request", of_receiver)
rules.add_perm("exchange.close_request", of_requester | oversees)
