"""What reports put on the home page: the latest published Board pack and the latest committee
report with its file, for those who read them; the draft packs, for the coordinator; and each
file someone asked for, once it is ready (or if it failed)."""

from __future__ import annotations

import datetime
from datetime import time
from typing import Any

from django.utils import timezone

from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.reports import queries
from preventhub.reports.models import ReportBuild

# Those who read reports (rules.reads), and so may have asked for a report's file.
READERS = frozenset(
    {
        Role.COORDINATOR,
        Role.BOARD_READER,
        Role.PARTNER_LEAD,
        Role.DISTRICT_LEAD,
        Role.EDUCATION_LEAD,
    }
)


def _latest_committee_report() -> list[WorkItem]:
    report = queries.latest_committee_report()
    if report is None:
        return []
    meeting = (
        f"Meeting {report.meeting_on.day} {report.meeting_on:%B %Y}" if report.meeting_on else ""
    )
    items = [
        WorkItem(
            heading="Committee reports",
            text=f"Latest committee report: {report.title}",
            href=kept_reverse("reports:committee", report.pk),
            status=meeting,
        )
    ]
    ready = queries.latest_file(report)
    if ready is not None:
        items.append(
            WorkItem(
                heading="Committee reports",
                text=f"{ready.get_format_display()} of {ready.title}",
                href=kept_reverse("reports:build", ready.pk),
                status=f"Made {timezone.localtime(ready.finished_at):%-d %B %Y}",
            )
        )
    return items


def _files_asked_for(user: Any, today: datetime.date) -> list[WorkItem]:
    # From the start of the day a week ago: the same query all day (``core.prepared``).
    since = timezone.make_aware(datetime.datetime.combine(today - queries.FILES_SHOWN_FOR, time()))
    items = []
    for found in queries.files_asked_for(user, since=since):
        items.append(
            WorkItem(
                heading="Your report files",
                text=f"{found.get_format_display()} of {found.title}",
                href=kept_reverse("reports:build", found.pk),
                status="Being made" if not found.is_finished else found.get_status_display(),
                is_late=found.status == ReportBuild.Status.FAILED,
            )
        )
    return items


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    items: list[WorkItem] = []
    if held & {Role.BOARD_READER, Role.COORDINATOR}:
        latest = queries.latest_published()
        if latest is not None:
            items.append(
                WorkItem(
                    heading="Board packs",
                    text=f"Latest Board pack: {latest.pack.title} (version {latest.number})",
                    href=kept_reverse("reports:pack_version", latest.pk),
                    status=f"Published {latest.published_at:%-d %B %Y}",
                )
            )
    if Role.COORDINATOR in held:
        for pack in queries.drafts():
            items.append(
                WorkItem(
                    heading="Board packs",
                    text=f"Draft: {pack.title}",
                    href=kept_reverse("reports:pack", pack.pk),
                    status="Not published",
                )
            )
    if held & {Role.BOARD_READER, Role.COORDINATOR}:
        items.extend(_latest_committee_report())
    if held & READERS:
        items.extend(_files_asked_for(user, today))
    return items
