"""Permissions of the Delivery Plan.

The coordinator runs the plan and the quarterly cycle. Partners, district leads and the
education safeguarding lead read the plan and update the actions that are theirs; board readers
read it and its reports. An action is someone's to update when they are its lead, when it is
owned by the organisation they lead for the partnership, or when it is their district's action.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of

coordinates = has_role(Role.COORDINATOR)
reads_plan = has_role(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.BOARD_READER
)
updates_actions = has_role(Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD)


def _action_of(target: Any) -> Any:
    """The action a permission is asked about: the action itself, or an update's action."""
    return getattr(target, "action", target)


@rules.predicate
def is_action_updater(user: Any, target: Any) -> bool:
    action = _action_of(target)
    if action is None or not getattr(user, "is_authenticated", False):
        return False
    held = roles_of(user)
    if not held & {Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD}:
        return False
    if action.lead_id == user.pk:
        return True
    if Role.PARTNER_LEAD in held and action.owner_organisation_id == user.organisation_id:
        return True
    return (
        Role.DISTRICT_LEAD in held
        and action.district_id is not None
        and action.district_id == user.district_id
    )


@rules.predicate
def leads_district(user: Any, target: Any) -> bool:
    """A district lead, about their own district (an Area) or one of its risks."""
    district_id = getattr(target, "district_id", getattr(target, "pk", None))
    return (
        district_id is not None
        and Role.DISTRICT_LEAD in roles_of(user)
        and user.district_id == district_id
    )


rules.add_perm("delivery.view_plan", reads_plan)
rules.add_perm("delivery.edit_district_risks", coordinates | leads_district)
rules.add_perm("delivery.edit_plan", coordinates)
rules.add_perm("delivery.manage_periods", coordinates)
# Route-level: may this person send updates at all; object-level: this action.
rules.add_perm("delivery.send_updates", coordinates | updates_actions)
rules.add_perm("delivery.update_action", coordinates | is_action_updater)
rules.add_perm("delivery.view_report", reads_plan)
