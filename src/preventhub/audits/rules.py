"""Permissions of the safeguarding audit.

The audit's figures and lists are about schools (organisations), never about people.
"""

from typing import Any

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm("audits.view_audit", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR))
# The round's aggregate results (the dashboard and the breakdown by district, phase and trust),
# which the Board's agenda carries: Board readers too, without the lists of schools.
rules.add_perm(
    "audits.view_results", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR, Role.BOARD_READER)
)
rules.add_perm("audits.manage_audit", has_role(Role.EDUCATION_LEAD))


@rules.predicate
def is_schools_contact(user: Any, place: Any) -> bool:
    """The account's address is the safeguarding contact of the school in this place."""
    email = (getattr(user, "email", "") or "").strip().lower()
    contact = (place.establishment.contact_email or "").strip().lower() if place else ""
    return bool(email) and email == contact


# A school's designated safeguarding lead: route-level, their own school's audit pages; object-
# level, one place of it (audits.queries.own_school_places finds the places the same way).
rules.add_perm("audits.view_own_school", has_role(Role.SCHOOL_DSL))
rules.add_perm("audits.see_own_place", has_role(Role.SCHOOL_DSL) & is_schools_contact)
