"""Permissions of reports (docs/security.md).

The coordinator writes committee reports and Board packs, previews them and publishes packs.
The Board reader reads committee reports and published packs; so do partner, district and
education leads, who read the plan and the Board's reports. Drafts are the coordinator's.
Nobody else: the figures about people in them come only through the statistical protection,
but case roles have their own statistics page.

A report's Word or PDF file, once built, is read as the report is: by the person who asked for
it, and by anyone who may read that report (a draft pack's file only by those who edit packs).
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role

edits = has_role(Role.COORDINATOR)
reads = has_role(
    Role.COORDINATOR, Role.BOARD_READER, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD
)


@rules.predicate
def asked_for_build(user: Any, build: Any) -> bool:
    return build is not None and build.requested_by_id == user.pk


@rules.predicate
def is_draft_build(user: Any, build: Any) -> bool:
    return build is not None and build.is_draft


rules.add_perm("reports.view_reports", reads)
rules.add_perm("reports.edit_reports", edits)
# Checked with the build: a person must also reach the reports (``view_reports``) at all.
rules.add_perm("reports.read_build", asked_for_build | edits | (reads & ~is_draft_build))
