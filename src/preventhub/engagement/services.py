"""Write operations on the communication plan and engagement activities."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from preventhub.core.concurrency import save_versioned
from preventhub.engagement.models import (
    Activity,
    CommunicationObjective,
    KeyMessage,
    MessageVersion,
)
from preventhub.partnership.models import Area, Organisation


class EngagementError(Exception):
    """A change to the communication plan or an activity that cannot be made; says why."""


@transaction.atomic
def save_objective(
    *,
    objective: CommunicationObjective | None = None,
    title: str,
    description: str = "",
    position: int = 1,
    expected_version: int | None = None,
) -> CommunicationObjective:
    title = title.strip()
    clash = CommunicationObjective.objects.filter(title=title).exclude(
        pk=getattr(objective, "pk", None)
    )
    if clash.exists():
        raise EngagementError(f"There is already an objective called {title}.")
    if objective is None:
        return CommunicationObjective.objects.create(
            title=title, description=description, position=position
        )
    objective.title, objective.description, objective.position = title, description, position
    save_versioned(objective, expected_version=expected_version or 0)
    return objective


@transaction.atomic
def save_message(
    *,
    message: KeyMessage | None = None,
    title: str,
    objective: CommunicationObjective | None = None,
    audience: str = "",
    text: str = "",
    by: Any = None,
    expected_version: int | None = None,
) -> KeyMessage:
    """Add a key message with its first wording (``text``, a draft), or change its title."""
    title = title.strip()
    clash = KeyMessage.objects.filter(title=title).exclude(pk=getattr(message, "pk", None))
    if clash.exists():
        raise EngagementError(f"There is already a key message called {title}.")
    if message is None:
        if not text.strip():
            raise EngagementError("Enter the wording of the message.")
        message = KeyMessage.objects.create(title=title, objective=objective, audience=audience)
        MessageVersion.objects.create(message=message, number=1, text=text.strip(), drafted_by=by)
        return message
    message.title, message.objective, message.audience = title, objective, audience
    save_versioned(message, expected_version=expected_version or 0)
    return message


@transaction.atomic
def draft_message_version(
    *, message: KeyMessage, text: str, note: str = "", by: Any
) -> MessageVersion:
    """A new wording of a message, waiting for approval; the approved one stays in use."""
    if not text.strip():
        raise EngagementError("Enter the wording of the message.")
    # Lock the message so two drafts cannot take the same number.
    KeyMessage.objects.select_for_update().get(pk=message.pk)
    number = (message.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return MessageVersion.objects.create(
        message=message, number=number, text=text.strip(), note=note.strip()[:300], drafted_by=by
    )


@transaction.atomic
def approve_message_version(
    *, version: MessageVersion, on: datetime.date, by: Any
) -> MessageVersion:
    """Approve a wording: from now on it is the one partners use."""
    found = MessageVersion.objects.select_for_update().get(pk=version.pk)
    if found.is_approved:
        raise EngagementError(f"Version {found.number} is already approved.")
    newer = found.message.versions.filter(number__gt=found.number, approved_on__isnull=False)
    if newer.exists():
        raise EngagementError(
            f"A later version of {found.message} is already approved: approve a new draft instead."
        )
    found.approved_on, found.approved_by = on, by
    found.save(update_fields=["approved_on", "approved_by"])
    return found


def _check_reach(reach: int | None, held_on: datetime.date, today: datetime.date) -> None:
    if reach is not None and held_on > today:
        raise EngagementError(
            "An activity still to come has no reach yet: leave it empty until it has happened."
        )


@transaction.atomic
def save_activity(
    *,
    activity: Activity | None = None,
    title: str,
    kind: str,
    held_on: datetime.date,
    district: Area | None,
    audience: str,
    channel: str,
    partners: Iterable[Organisation] = (),
    objective: CommunicationObjective | None = None,
    messages: Iterable[KeyMessage] = (),
    materials: str = "",
    reach: int | None = None,
    reach_kind: str = Activity.ReachKind.ATTENDANCE,
    feedback: str = "",
    outcomes: str = "",
    by: Any = None,
    today: datetime.date | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Record an activity (planned or held), or change one."""
    today = today or datetime.date.today()
    _check_reach(reach, held_on, today)
    if district is not None and district.kind == Area.Kind.COUNTY:
        district = None
    fields = {
        "title": title.strip(),
        "kind": kind,
        "held_on": held_on,
        "district": district,
        "audience": audience,
        "channel": channel,
        "objective": objective,
        "materials": materials.strip(),
        "reach": reach,
        "reach_kind": reach_kind,
        "feedback": feedback.strip(),
        "outcomes": outcomes.strip(),
    }
    if activity is None:
        activity = Activity.objects.create(recorded_by=by, **fields)
    else:
        for name, value in fields.items():
            setattr(activity, name, value)
        save_versioned(activity, expected_version=expected_version or 0)
    activity.partners.set(list(partners))
    activity.messages.set(list(messages))
    return activity
