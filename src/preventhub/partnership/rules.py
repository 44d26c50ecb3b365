"""Permissions of the partnership directory and its boards.

The directory holds no case data: everyone signed in reads it. The coordinator and the
administrator edit it; a board's chair edits that board's meetings; a partner lead keeps their
own organisation's contacts up to date.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from preventhub.core.roles import Role, has_role, is_signed_in

edits_directory = has_role(Role.COORDINATOR, Role.ADMINISTRATOR)
coordinates = has_role(Role.COORDINATOR)


@rules.predicate
def chairs_board(user: Any, board: Any) -> bool:
    if board is None or not getattr(user, "is_authenticated", False):
        return False
    from preventhub.partnership.models import Membership

    today = timezone.localdate()
    return (
        Membership.objects.filter(
            board=board, user=user, role=Membership.Role.CHAIR, since__lte=today
        )
        .exclude(until__lt=today)
        .exists()
    )


@rules.predicate
def leads_organisation(user: Any, organisation: Any) -> bool:
    return (
        organisation is not None
        and Role.PARTNER_LEAD in getattr(user, "roles", frozenset())
        and user.organisation_id == organisation.pk
    )


rules.add_perm("partnership.view_directory", is_signed_in)
rules.add_perm("partnership.edit_directory", edits_directory)
rules.add_perm("partnership.edit_meetings", coordinates | chairs_board)
rules.add_perm("partnership.edit_contacts", edits_directory | leads_organisation)
