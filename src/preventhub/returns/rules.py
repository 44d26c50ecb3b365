"""Permissions of partner returns.

The coordinator opens windows and accepts, returns or re-opens returns. A partner lead fills in
and sends the returns their own organisation owes; so does a district lead for their own council
(the district council is a partner that owes returns like any other).
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of

coordinates = has_role(Role.COORDINATOR)
sends_returns = has_role(Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD)


@rules.predicate
def owes_return(user: Any, target: Any) -> bool:
    """A partner lead or district lead, about a return their own organisation owes."""
    organisation_id = getattr(target, "organisation_id", None)
    return (
        organisation_id is not None
        and bool(roles_of(user) & {Role.PARTNER_LEAD, Role.DISTRICT_LEAD})
        and user.organisation_id == organisation_id
    )


rules.add_perm("returns.manage_returns", coordinates)
# Route-level: may this person see returns at all; object-level: fill in this one.
rules.add_perm("returns.view_returns", sends_returns)
rules.add_perm("returns.fill_return", coordinates | owes_return)
