"""Permissions of reports (docs/security.md).

The coordinator writes committee reports and Board packs, previews them and publishes packs.
The Board reader reads committee reports and published packs; so do partner, district and
education leads, who read the plan and the Board's reports. Drafts are the coordinator's.
Nobody else: the figures about people in them come only through the statistical protection,
but case roles have their own statistics page.
"""

from __future__ import annotations

import rules

from preventhub.core.roles import Role, has_role

edits = has_role(Role.COORDINATOR)
reads = has_role(
    Role.COORDINATOR, Role.BOARD_READER, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD
)

rules.add_perm("reports.view_reports", reads)
rules.add_perm("reports.edit_reports", edits)
