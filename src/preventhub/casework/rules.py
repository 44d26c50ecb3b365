"""Permissions of casework. Without an object, a permission says whether someone may reach a
kind of page at all; with a referral, whether they may for that one (``access.py`` decides).

Case pages are reached with ``requires(..., hide=True)``: whoever may not open a case gets 404,
as if it did not exist.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.casework import access
from preventhub.core.roles import Role, has_role, is_signed_in

case_role = has_role(Role.POLICE_OFFICER, Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER)
police = has_role(Role.POLICE_OFFICER)
chair = has_role(Role.CHANNEL_CHAIR)


@rules.predicate
def sees_referral(user: Any, referral: Any) -> bool:
    return referral is None or access.can_see(user, referral)


@rules.predicate
def works_referral(user: Any, referral: Any) -> bool:
    return referral is None or access.can_work(user, referral)


@rules.predicate
def triages_referral(user: Any, referral: Any) -> bool:
    return referral is None or (
        referral.force_id == user.organisation_id and referral.purged_on is None
    )


@rules.predicate
def chairs_its_panel(user: Any, referral: Any) -> bool:
    return referral is None or (
        referral.panel_id is not None
        and referral.purged_on is None
        and access.chaired_panels(user).filter(board_id=referral.panel_id).exists()
    )


@rules.predicate
def chairs_meeting_panel(user: Any, meeting: Any) -> bool:
    return meeting is None or (
        access.chaired_panels(user).filter(board_id=meeting.board_id).exists()
    )


owns_case = (police & triages_referral) | (chair & chairs_its_panel)

rules.add_perm("casework.refer", is_signed_in)
rules.add_perm("casework.intake", police | chair)
rules.add_perm("casework.view_referral", case_role & sees_referral)
rules.add_perm("casework.work_case", case_role & works_referral)
# Correcting the intake details is part of working the case: whoever works it (access.py).
rules.add_perm("casework.correct_intake", case_role & works_referral)
rules.add_perm("casework.triage", police & triages_referral)
rules.add_perm("casework.manage_panel", chair & chairs_its_panel)
rules.add_perm("casework.export_case", owns_case)
rules.add_perm("casework.close_case", owns_case)
rules.add_perm("casework.chair_meetings", chair & chairs_meeting_panel)
rules.add_perm("casework.break_glass", case_role)
rules.add_perm("casework.view_break_glass_log", has_role(Role.DPO))
rules.add_perm("casework.manage_retention", has_role(Role.DPO))
rules.add_perm(
    "casework.view_statistics",
    has_role(Role.COORDINATOR, Role.BOARD_READER, Role.POLICE_OFFICER, Role.CHANNEL_CHAIR),
)

# Names of categories, not case content: kept by the Administrator with the Channel chair.
rules.add_perm("casework.manage_lists", has_role(Role.ADMINISTRATOR, Role.CHANNEL_CHAIR))
