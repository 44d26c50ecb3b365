"""Writes of reports: committee reports and their sections, Board packs, publishing a pack,
and asking for a report's Word or PDF file (built by the task worker: see ``tasks.py``).

Every narrative is checked on save: a placeholder naming no figure, or a parameter the figure
does not take, is refused with a message naming it, and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from preventhub.core.concurrency import save_versioned
from preventhub.reports import build, figures
from preventhub.reports.models import (
    BoardPack,
    CommitteeReport,
    CommitteeSection,
    PackSection,
    PackVersion,
    ReportBuild,
    SectionKind,
)
from preventhub.reports.tasks import build_report_file, fail_stale_builds, run_build

REPORT_FIELDS = (
    "title",
    "committee",
    "meeting_on",
    "recommendations",
    "report_of",
    "summary",
    "strategic_plan",
    "community_impact",
    "contact_name",
    "contact_phone",
    "contact_email",
    "footnotes",
    "background_papers",
    "appendices",
)
CHECKED = ("recommendations", "summary", "strategic_plan", "community_impact", "footnotes")


class ReportError(ValueError):
    """A change refused; the message says why (every problem, one a line)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def check_placeholders(texts: Iterable[str]) -> None:
    problems: list[str] = []
    for text in texts:
        problems.extend(figures.parse(text)[1])
    if problems:
        raise ReportError(problems)


def save_committee_report(
    *, report: CommitteeReport | None = None, expected_version: int | None = None, **values: Any
) -> CommitteeReport:
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a committee report: {', '.join(sorted(unknown))}")
    check_placeholders(str(values.get(name) or "") for name in CHECKED)
    with transaction.atomic():
        if report is None:
            report = CommitteeReport(**values)
            report.full_clean()
            report.save()
            return report
        for name, value in values.items():
            setattr(report, name, value)
        report.full_clean()
        save_versioned(report, expected_version=expected_version or report.version)
    return report


def save_committee_section(
    *,
    report: CommitteeReport,
    section: CommitteeSection | None = None,
    heading: str,
    body: str,
    position: int | None = None,
) -> CommitteeSection:
    check_placeholders([body])
    with transaction.atomic():
        if section is None:
            if position is None:
                last = report.sections.aggregate(last=Max("position"))["last"] or 0
                position = last + 1
            section = CommitteeSection(report=report, position=position)
        section.heading = heading
        section.body = body
        if position is not None:
            section.position = position
        section.full_clean()
        section.save()
    return section


def delete_committee_section(*, section: CommitteeSection) -> None:
    section.delete()


def create_pack(
    *, period: Any, title: str = "", meeting: Any = None, kinds: Iterable[str] | None = None
) -> BoardPack:
    """A draft pack for ``period`` with every section (or ``kinds``), in the usual order."""
    with transaction.atomic():
        pack = BoardPack.objects.create(
            period=period,
            title=title or f"Prevent Board pack, {period.name}",
            meeting=meeting if meeting is not None else period.board_meeting,
        )
        for position, kind in enumerate(kinds or SectionKind.values, start=1):
            PackSection.objects.create(pack=pack, kind=kind, position=position)
    return pack


def save_pack(
    *,
    pack: BoardPack,
    expected_version: int,
    title: str,
    meeting: Any,
    sections: list[tuple[str, int, str]],
) -> BoardPack:
    """The pack's title, meeting and its sections: (kind, position, narrative), those left out
    removed. Nothing published changes: publishing again makes a new version."""
    check_placeholders(narrative for _, _, narrative in sections)
    if not sections:
        raise ReportError(["Choose at least one section for the pack"])
    kinds = [kind for kind, _, _ in sections]
    if len(set(kinds)) != len(kinds):
        raise ReportError(["Each section can be in the pack once"])
    with transaction.atomic():
        pack.title = title
        pack.meeting = meeting
        save_versioned(pack, expected_version=expected_version)
        pack.sections.exclude(kind__in=kinds).delete()
        for kind, position, narrative in sections:
            PackSection.objects.update_or_create(
                pack=pack, kind=kind, defaults={"position": position, "narrative": narrative}
            )
    return pack


def publish_pack(*, pack: BoardPack, by: Any, today: datetime.date | None = None) -> PackVersion:
    """Freeze what the pack shows now as its next version, for the meeting that receives it.

    One transaction: if building or storing fails, no version is published.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
        document = build.pack_document(locked, today=today)
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        return PackVersion.objects.create(
            pack=locked,
            number=number,
            meeting=locked.meeting,
            published_at=timezone.now(),
            published_by=by,
            snapshot=document,
        )


# ---- files built in the background ---------------------------------------------------------------


def _build_title(target: CommitteeReport | BoardPack | PackVersion) -> str:
    if isinstance(target, PackVersion):
        return f"{target.pack.title} (version {target.number})"
    if isinstance(target, BoardPack):
        return f"{target.title} (draft)"
    return target.title


def _target_fields(target: CommitteeReport | BoardPack | PackVersion) -> dict[str, Any]:
    if isinstance(target, CommitteeReport):
        return {"committee_report": target}
    if isinstance(target, BoardPack):
        return {"pack": target}
    return {"pack_version": target}


@transaction.atomic
def request_build(
    *, of: CommitteeReport | BoardPack | PackVersion, fmt: str, by: Any, site_url: str = ""
) -> ReportBuild:
    """Queue a Word or PDF file of ``of`` for the task worker; the build's page shows progress.

    A file of the same report and format that this person asked for and is still waiting or
    being built is theirs already: it is returned rather than queued twice. One whose worker
    stopped is failed first (``tasks.fail_stale_builds``), so asking again builds it anew.
    """
    if fmt not in ReportBuild.Format.values:
        raise ReportError([f"There is no file of the kind {fmt!r}: choose docx or pdf"])
    fail_stale_builds()
    target = _target_fields(of)
    waiting = ReportBuild.objects.filter(
        **target,
        format=fmt,
        requested_by=by,
        status__in=[ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    queued = ReportBuild.objects.create(
        **target, format=fmt, requested_by=by, site_url=site_url[:200], title=_build_title(of)
    )
    transaction.on_commit(lambda: build_report_file.enqueue(queued.pk))
    return queued


def build_now(
    *,
    of: CommitteeReport | BoardPack | PackVersion,
    fmt: str,
    by: Any,
    site_url: str = "",
    today: datetime.date | None = None,
) -> ReportBuild:
    """Build a file of ``of`` at once, in this process: what the worker does, for the demo."""
    with transaction.atomic():
        fail_stale_builds()
        made = ReportBuild.objects.create(
            **_target_fields(of),
            format=fmt,
            requested_by=by,
            site_url=site_url[:200],
            title=_build_title(of),
        )
    return run_build(build_id=made.pk, today=today)


@transaction.atomic
def build_again(*, found: ReportBuild, by: Any) -> ReportBuild:
    """Ask again for the file of a build that failed (or whose worker stopped), as ``by``."""
    fail_stale_builds()
    found.refresh_from_db()
    if found.status != ReportBuild.Status.FAILED:
        raise ReportError(
            [f"This file is {found.get_status_display().lower()}: it need not be asked for again."]
        )
    return request_build(of=found.of, fmt=found.format, by=by, site_url=found.site_url)
