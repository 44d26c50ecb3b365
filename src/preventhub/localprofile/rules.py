"""Permissions of the local profile data.

Partners send data returns (``returns.fill_return`` decides whose). The coordinator defines the
indicators and compiles the dataset, which the police Prevent officers take to the CTLP team.
District leads and Board readers read the compiled dataset and its trends; district leads also
see their own district's figures across partners.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of

coordinates = has_role(Role.COORDINATOR)


@rules.predicate
def leads_this_district(user: Any, district: Any) -> bool:
    return (
        district is not None
        and Role.DISTRICT_LEAD in roles_of(user)
        and user.district_id == getattr(district, "pk", None)
    )


rules.add_perm(
    "localprofile.view_indicators",
    has_role(
        Role.COORDINATOR,
        Role.PARTNER_LEAD,
        Role.DISTRICT_LEAD,
        Role.POLICE_OFFICER,
        Role.BOARD_READER,
    ),
)
rules.add_perm("localprofile.edit_indicators", coordinates)
# The compiled dataset and its trends: figures partners send about their work, by organisation
# and district, never about a person. The police take them to the CTLP team; district leads see
# where their council stands among the partners; the Board reads the trends.
rules.add_perm(
    "localprofile.view_dataset",
    has_role(Role.COORDINATOR, Role.POLICE_OFFICER, Role.DISTRICT_LEAD, Role.BOARD_READER),
)
# Route-level: the coordinator and district leads; object-level: a district lead's own district.
rules.add_perm("localprofile.view_districts", has_role(Role.COORDINATOR, Role.DISTRICT_LEAD))
rules.add_perm("localprofile.view_district", coordinates | leads_this_district)
