"""Permissions of communication and engagement.

Everyone who reads the Delivery Plan reads the communication plan, its key messages and the
engagement figures: they are about activities, never about people, and partners must be able to
find the approved wording. The coordinator keeps the plan and approves messages. The coordinator
and district leads record activities: a district lead those of their own district. Each district
lead sees their own district's picture; the coordinator sees every district's.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of
from preventhub.partnership.models import Area

coordinates = has_role(Role.COORDINATOR)
reads_engagement = has_role(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.BOARD_READER
)
records_activities = has_role(Role.COORDINATOR, Role.DISTRICT_LEAD)


@rules.predicate
def leads_its_district(user: Any, target: Any) -> bool:
    """A district lead, about their own district or an activity in it (any, asked without one)."""
    if Role.DISTRICT_LEAD not in roles_of(user) or not user.district_id:
        return False
    if target is None:
        return True
    if isinstance(target, Area):
        return target.pk == user.district_id
    return getattr(target, "district_id", None) == user.district_id


rules.add_perm("engagement.view_plan", reads_engagement)
rules.add_perm("engagement.edit_plan", coordinates)
rules.add_perm("engagement.view_activities", reads_engagement)
# Route-level: the coordinator and district leads; object-level: a district lead's own district.
rules.add_perm("engagement.record_activity", coordinates | leads_its_district)
rules.add_perm("engagement.view_figures", reads_engagement)
rules.add_perm("engagement.view_districts", records_activities)
rules.add_perm("engagement.view_district", coordinates | leads_its_district)
