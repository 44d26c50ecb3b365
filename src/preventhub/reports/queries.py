"""Reads of reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from preventhub.core import prepared
from preventhub.reports.models import BoardPack, CommitteeReport, PackVersion, ReportBuild


@dataclass(frozen=True)
class PackRow:
    pack: BoardPack
    latest: PackVersion | None


def packs() -> list[PackRow]:
    """Every pack with its latest published version: two queries."""
    found = list(BoardPack.objects.select_related("period"))
    latest: dict[int, PackVersion] = {}
    for version in PackVersion.objects.order_by("pack_id", "number").only(
        "pk", "pack_id", "number", "published_at"
    ):
        latest[version.pack_id] = version
    return [PackRow(pack, latest.get(pack.pk)) for pack in found]


def published_packs() -> QuerySet[BoardPack]:
    return BoardPack.objects.filter(Exists(PackVersion.objects.filter(pack=OuterRef("pk"))))


# The home page asks these on every visit: each query is built once (``core.prepared``).


def _latest_published() -> QuerySet[PackVersion]:
    return PackVersion.objects.select_related("pack").order_by("-published_at", "-pk")[:1]


def latest_published() -> PackVersion | None:
    return prepared.first(_latest_published)


def _unpublished() -> QuerySet[BoardPack]:
    return BoardPack.objects.filter(~Exists(PackVersion.objects.filter(pack=OuterRef("pk"))))


def drafts() -> list[BoardPack]:
    """Packs never published, or changed since their last version (versions mark edits)."""
    return prepared.objects(_unpublished)


def committee_reports() -> QuerySet[CommitteeReport]:
    return CommitteeReport.objects.all()


def versions(pack: BoardPack) -> QuerySet[PackVersion]:
    return pack.versions.only("pk", "number", "published_at", "pack_id")


def _changed_last() -> QuerySet[CommitteeReport]:
    return CommitteeReport.objects.order_by("-updated_at", "-pk")[:1]


def latest_committee_report() -> CommitteeReport | None:
    """The committee report changed last: the one being written for the next meeting."""
    return prepared.first(_changed_last)


def _made_last(report_id: int) -> QuerySet[ReportBuild]:
    return ReportBuild.objects.filter(
        committee_report=report_id, status=ReportBuild.Status.DONE
    ).order_by("-finished_at", "-pk")[:1]


def latest_file(report: CommitteeReport) -> ReportBuild | None:
    """The report's file made last, whoever asked for it."""
    return prepared.first(_made_last, report.pk)


# How many of someone's files their home page lists, and for how long after they asked.
FILES_SHOWN = 5
FILES_SHOWN_FOR = datetime.timedelta(days=7)


def _asked_for(user_id: int, since: datetime.datetime) -> QuerySet[ReportBuild]:
    return ReportBuild.objects.filter(requested_by=user_id, requested_at__gte=since).order_by(
        "-requested_at", "-pk"
    )[:FILES_SHOWN]


def files_asked_for(user: Any, *, since: datetime.datetime) -> list[ReportBuild]:
    """The files ``user`` asked for since then, newest first, at most FILES_SHOWN: one query."""
    return prepared.objects(_asked_for, user.pk, since)
