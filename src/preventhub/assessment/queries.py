"""Reads of self-assessment: frameworks, assessments, their comparison and the Board's view.

Each page's read model is built with a fixed number of queries, however many standards or
findings there are.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from preventhub.assessment.models import (
    Assessment,
    EvidenceFile,
    Finding,
    Framework,
    FrameworkArea,
    RatingLevel,
    Standard,
    StandardRating,
)
from preventhub.core import prepared
from preventhub.core.counting import count_per
from preventhub.core.figures import with_base

# ---- frameworks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkRow:
    framework: Framework
    areas: int
    standards: int
    assessments: int


def frameworks() -> list[FrameworkRow]:
    found = Framework.objects.annotate(
        area_count=count_per(FrameworkArea.objects, "framework"),
        standard_count=count_per(Standard.objects, "area__framework"),
        assessment_count=count_per(Assessment.objects, "framework"),
    ).order_by("audience", "title")
    return [
        FrameworkRow(f, f.area_count, f.standard_count, f.assessment_count)  # type: ignore[attr-defined]
        for f in found
    ]


@dataclass(frozen=True)
class FrameworkPage:
    framework: Framework
    levels: list[RatingLevel]
    areas: list[FrameworkArea]  # each with .standards prefetched, in order
    in_use: bool


def framework_page(framework: Framework) -> FrameworkPage:
    return FrameworkPage(
        framework=framework,
        levels=list(framework.levels.order_by("position")),
        areas=list(
            framework.areas.order_by("position").prefetch_related(
                Prefetch("standards", queryset=Standard.objects.order_by("position"))
            )
        ),
        in_use=framework.assessments.exists(),
    )


def partnership_frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(audience=Framework.Audience.PARTNERSHIP).order_by("title")


def school_frameworks() -> QuerySet[Framework]:
    return Framework.objects.exclude(audience=Framework.Audience.PARTNERSHIP).order_by("title")


# ---- assessments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    assessment: Assessment
    rated: int
    total: int

    @property
    def unrated(self) -> int:
        return self.total - self.rated


def _counted(found: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return found.select_related("framework").annotate(
        total=Count("ratings"), rated=Count("ratings", filter=Q(ratings__level__isnull=False))
    )


def _rows(found: list[Assessment]) -> list[AssessmentRow]:
    return [AssessmentRow(a, a.rated, a.total) for a in found]  # type: ignore[attr-defined]


def _with_counts(found: QuerySet[Assessment]) -> list[AssessmentRow]:
    return _rows(list(_counted(found)))


def partnership_assessments() -> list[AssessmentRow]:
    """The partnership's own assessments, newest first: never a school's."""
    return _with_counts(Assessment.objects.filter(establishment__isnull=True))


def _of_school(establishment_id: int) -> QuerySet[Assessment]:
    return _counted(Assessment.objects.filter(establishment=establishment_id))


def school_assessments(establishment: Any) -> list[AssessmentRow]:
    return _rows(prepared.objects(_of_school, establishment.pk))


def _partnership_in_progress() -> QuerySet[Assessment]:
    return _counted(
        Assessment.objects.filter(establishment__isnull=True, status=Assessment.Status.IN_PROGRESS)
    )


def in_progress() -> list[AssessmentRow]:
    """The partnership's assessments still in progress: what the coordinator's home page shows
    (its query built once, ``core.prepared``)."""
    return _rows(prepared.objects(_partnership_in_progress))


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The last signed-off assessment of the same framework, by the same body, before this one."""
    return (
        Assessment.objects.filter(
            framework_id=assessment.framework_id,
            establishment_id=assessment.establishment_id,
            status=Assessment.Status.SIGNED_OFF,
        )
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
        )
        .exclude(pk=assessment.pk)
        .order_by("-assessed_on", "-pk")
        .first()
    )


class Change:
    BETTER = "Better"
    WORSE = "Worse"
    SAME = "Same"
    NEW = "Not rated before"
    NOT_RATED = "Not rated yet"


def change_between(before: RatingLevel | None, after: RatingLevel | None) -> str:
    """How a standard's rating moved, comparing the levels' places on the scale (worst first)."""
    if after is None:
        return Change.NOT_RATED
    if before is None:
        return Change.NEW
    if after.position > before.position:
        return Change.BETTER
    if after.position < before.position:
        return Change.WORSE
    return Change.SAME


@dataclass(frozen=True)
class RatingRow:
    rating: StandardRating
    previous: RatingLevel | None
    change: str
    findings: list[Finding]
    files: list[EvidenceFile]

    @property
    def standard(self) -> Standard:
        return self.rating.standard

    @property
    def needs_finding(self) -> bool:
        """Rated at a level that is a gap, with no finding recorded yet."""
        level = self.rating.level
        return level is not None and level.is_gap and not self.findings


@dataclass(frozen=True)
class LevelCount:
    level: RatingLevel
    count: int


@dataclass(frozen=True)
class AreaBlock:
    area: FrameworkArea
    rows: list[RatingRow]
    counts: list[LevelCount]
    unrated: int

    @property
    def changed(self) -> list[RatingRow]:
        return [row for row in self.rows if row.change in (Change.BETTER, Change.WORSE)]


@dataclass(frozen=True)
class AssessmentPage:
    assessment: Assessment
    previous: Assessment | None
    levels: list[RatingLevel]
    areas: list[AreaBlock]
    totals: list[LevelCount]
    rated: int
    total: int

    @property
    def unrated(self) -> int:
        return self.total - self.rated

    @property
    def rated_text(self) -> str:
        return with_base(self.rated, self.total)

    @property
    def findings(self) -> list[Finding]:
        return [finding for area in self.areas for row in area.rows for finding in row.findings]

    @property
    def changes(self) -> list[RatingRow]:
        return [row for area in self.areas for row in area.changed]

    @property
    def summary_text(self) -> str:
        """Like "7 green and 3 amber": the counts the Board is used to, best first."""
        parts = [
            f"{item.count} {item.level.label.lower()}"
            for item in reversed(self.totals)
            if item.count
        ]
        if not parts:
            return "No standard rated yet"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _counts(levels: list[RatingLevel], rows: list[RatingRow]) -> list[LevelCount]:
    tally = Counter(row.rating.level_id for row in rows if row.rating.level_id)
    return [LevelCount(level, tally[level.pk]) for level in levels]


def assessment_page(assessment: Assessment) -> AssessmentPage:
    """The assessment by area: each standard's rating, the rating before and its findings."""
    levels = list(assessment.framework.levels.order_by("position"))
    previous = previous_assessment(assessment)
    before: dict[int, RatingLevel | None] = {}
    if previous is not None:
        before = {
            r.standard_id: r.level
            for r in previous.ratings.select_related("level").only(
                "standard_id", "level", "assessment_id"
            )
        }
    ratings = list(
        assessment.ratings.select_related("standard__area", "level", "assessor").prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("plan_action__plan").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk")),
        )
    )
    blocks: dict[int, list[RatingRow]] = {}
    areas: dict[int, FrameworkArea] = {}
    for rating in sorted(
        ratings, key=lambda r: (r.standard.area.position, r.standard.position, r.pk)
    ):
        area = rating.standard.area
        areas[area.pk] = area
        blocks.setdefault(area.pk, []).append(
            RatingRow(
                rating=rating,
                previous=before.get(rating.standard_id),
                change=change_between(before.get(rating.standard_id), rating.level)
                if previous is not None
                else (Change.NOT_RATED if rating.level is None else ""),
                findings=list(rating.findings.all()),
                files=list(rating.files.all()),
            )
        )
    all_rows = [row for rows in blocks.values() for row in rows]
    return AssessmentPage(
        assessment=assessment,
        previous=previous,
        levels=levels,
        areas=[
            AreaBlock(
                area=areas[pk],
                rows=rows,
                counts=_counts(levels, rows),
                unrated=sum(1 for row in rows if row.rating.level_id is None),
            )
            for pk, rows in blocks.items()
        ],
        totals=_counts(levels, all_rows),
        rated=sum(1 for row in all_rows if row.rating.level_id),
        total=len(all_rows),
    )


@dataclass(frozen=True)
class RatingDetail:
    rating: StandardRating
    levels: list[RatingLevel]
    findings: list[Finding]
    files: list[EvidenceFile]
    previous: StandardRating | None
    previous_findings: list[Finding]  # the gaps found last time, and their plan actions


def rating_detail(rating: StandardRating) -> RatingDetail:
    previous_run = previous_assessment(rating.assessment)
    previous = (
        previous_run.ratings.select_related("level").filter(standard_id=rating.standard_id).first()
        if previous_run
        else None
    )
    return RatingDetail(
        rating=rating,
        levels=list(rating.assessment.framework.levels.order_by("position")),
        findings=list(
            rating.findings.select_related("plan_action__plan").order_by("created_at", "pk")
        ),
        files=list(rating.files.order_by("uploaded_at", "pk")),
        previous=previous,
        previous_findings=list(
            previous.findings.select_related("plan_action").order_by("created_at", "pk")
        )
        if previous
        else [],
    )


def findings_of_action(action_id: int) -> list[Finding]:
    """The partnership's findings that became this Delivery Plan action."""
    return list(
        Finding.objects.filter(plan_action_id=action_id, rating__assessment__establishment=None)
        .select_related("rating__standard", "rating__assessment__framework")
        .order_by("pk")
    )


def next_reference(section: Any) -> str:
    """The next free reference in a section of the plan, like SAF-07."""
    taken = set(section.plan.actions.values_list("reference", flat=True))
    number = section.actions.count() + 1
    while f"{section.code}-{number:02d}" in taken:
        number += 1
    return f"{section.code}-{number:02d}"


# ---- schools and colleges, in aggregate ----------------------------------------------------------


@dataclass(frozen=True)
class AreaSpread:
    area: FrameworkArea
    counts: list[LevelCount]


@dataclass(frozen=True)
class SchoolResults:
    framework: Framework
    levels: list[RatingLevel]
    schools: int  # schools or colleges with a signed-off assessment
    in_progress: int
    areas: list[AreaSpread]


def school_results(framework: Framework, *, on: datetime.date | None = None) -> SchoolResults:
    """How schools rate themselves, area by area, from each school's latest signed-off
    assessment: counts of standards at each level, never a school's name."""
    levels = list(framework.levels.order_by("position"))
    signed = Assessment.objects.filter(
        framework=framework, establishment__isnull=False, status=Assessment.Status.SIGNED_OFF
    )
    if on is not None:
        signed = signed.filter(assessed_on__lte=on)
    latest: dict[int, int] = {}
    for pk, school in signed.order_by("assessed_on", "pk").values_list("pk", "establishment_id"):
        latest[school] = pk
    tally = Counter(
        StandardRating.objects.filter(assessment_id__in=latest.values(), level__isnull=False)
        .values_list("standard__area_id", "level_id")
        .order_by()
    )
    in_progress = (
        Assessment.objects.filter(
            framework=framework, establishment__isnull=False, status=Assessment.Status.IN_PROGRESS
        )
        .values("establishment_id")
        .distinct()
        .count()
    )
    return SchoolResults(
        framework=framework,
        levels=levels,
        schools=len(latest),
        in_progress=in_progress,
        areas=[
            AreaSpread(area, [LevelCount(level, tally[(area.pk, level.pk)]) for level in levels])
            for area in framework.areas.order_by("position")
        ],
    )
