from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.models import AuditEvent
from preventhub.core.roles import ROLE_DESCRIPTIONS, Role, roles_of


@dataclass(frozen=True)
class RoleSummary:
    name: str
    description: str


def role_summaries(user: Any) -> list[RoleSummary]:
    """The roles a user holds, in the order of the role list, with what each reaches."""
    held = roles_of(user)
    return [
        RoleSummary(
            role.label,
            ROLE_DESCRIPTIONS[role].format(agenda_days=settings.PREVENTHUB_AGENDA_ACCESS_DAYS),
        )
        for role in Role
        if role.value in held
    ]


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_events(criteria: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit entries matching ``criteria``, newest first."""
    events = AuditEvent.objects.order_by("-sequence")
    if criteria.actor:
        events = events.filter(actor_label__icontains=criteria.actor)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.object_type:
        events = events.filter(object_type__icontains=criteria.object_type)
    if criteria.object_id:
        events = events.filter(object_id=criteria.object_id)
    if criteria.since:
        events = events.filter(occurred_at__date__gte=criteria.since)
    if criteria.until:
        events = events.filter(occurred_at__date__lte=criteria.until)
    return events


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe_changes(changes: dict[str, Any]) -> list[str]:
    """An entry's changes as short lines a person can read: "name: before → after"."""
    lines = []
    for name, change in sorted(changes.items()):
        if isinstance(change, dict) and ("added" in change or "removed" in change):
            for key in ("added", "removed"):
                if key in change:
                    lines.append(f"{name} {key}: {_show(change[key])}")
        elif isinstance(change, dict) and "after" in change:
            lines.append(f"{name}: {_show(change.get('before'))} → {_show(change.get('after'))}")
        else:
            lines.append(f"{name}: {_show(change)}")
    return lines


@dataclass(frozen=True)
class AuditRow:
    sequence: int
    occurred_at: datetime.datetime
    actor: str
    ip_address: str
    action: str
    record: str
    changes: list[str]
    detail: str

    @classmethod
    def of(cls, event: AuditEvent) -> AuditRow:
        record = event.object_repr
        if event.object_type:
            record = f"{event.object_type} {event.object_id} {record}".strip()
        return cls(
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            actor=event.actor_label,
            ip_address=event.ip_address or "",
            action=event.get_action_display(),
            record=record,
            changes=describe_changes(event.changes),
            detail=event.detail,
        )


# ---- the home page ----------------------------------------------------------------------------

EXPORT_DAYS = 7


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    """For whoever reads the audit log (the data protection officer): the recent exports."""
    if not user.has_perm("core.view_audit_log"):
        return []
    since = today - datetime.timedelta(days=EXPORT_DAYS)
    exports = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT,
        occurred_at__gte=timezone.make_aware(datetime.datetime.combine(since, datetime.time())),
    ).count()
    return [
        WorkItem(
            "Audit log",
            f"Exports in the last {EXPORT_DAYS} days",
            kept_reverse("core:audit_log") + f"?action=export&since={since.isoformat()}",
            count=exports,
            hint="Downloads of data: who took what, and when.",
        )
    ]
