"""Reads of reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from preventhub.reports.models import BoardPack, CommitteeReport, PackVersion


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


def latest_published() -> PackVersion | None:
    return PackVersion.objects.select_related("pack").order_by("-published_at", "-pk").first()


def drafts() -> list[BoardPack]:
    """Packs never published, or changed since their last version (versions mark edits)."""
    found = BoardPack.objects.annotate(
        has_versions=Exists(PackVersion.objects.filter(pack=OuterRef("pk")))
    )
    return [pack for pack in found if not pack.has_versions]


def committee_reports() -> QuerySet[CommitteeReport]:
    return CommitteeReport.objects.all()


def versions(pack: BoardPack) -> QuerySet[PackVersion]:
    return pack.versions.only("pk", "number", "published_at", "pack_id")
