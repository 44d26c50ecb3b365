"""Write operations of self-assessment: one transaction each, keyword-only arguments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from preventhub.assessment import queries
from preventhub.assessment.defaults import DEFAULT_FRAMEWORKS, SCALES, FrameworkData, LevelData
from preventhub.assessment.imports import parse_standards
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
from preventhub.core.concurrency import save_versioned
from preventhub.delivery import services as delivery_services
from preventhub.delivery.evidence import EvidenceRefused, check_evidence
from preventhub.delivery.models import PlanAction, SourceKind


class AssessmentError(Exception):
    """A change to a framework or an assessment that cannot be made; the message says why."""


# ---- frameworks ----------------------------------------------------------------------------------


def _add_levels(framework: Framework, levels: tuple[LevelData, ...]) -> None:
    for position, level in enumerate(levels, start=1):
        RatingLevel.objects.create(
            framework=framework,
            position=position,
            code=level.code,
            label=level.label,
            description=level.description,
            colour=level.colour,
            is_gap=level.is_gap,
        )


def _create_default(data: FrameworkData) -> Framework:
    framework = Framework.objects.create(
        code=data.code,
        title=data.title,
        publisher=data.publisher,
        audience=data.audience,
        description=data.description,
        steps=data.steps,
    )
    _add_levels(framework, data.levels)
    for area_position, area_data in enumerate(data.areas, start=1):
        area = FrameworkArea.objects.create(
            framework=framework,
            position=area_position,
            code=area_data.code,
            title=area_data.title,
            description=area_data.description,
        )
        for position, standard in enumerate(area_data.standards, start=1):
            Standard.objects.create(
                area=area,
                position=position,
                code=standard.code,
                title=standard.title,
                good_looks_like=standard.good_looks_like,
                evidence_expected=standard.evidence_expected,
            )
    return framework


@transaction.atomic
def ensure_default_frameworks() -> list[Framework]:
    """Create the default frameworks that are missing, matched by code; change none."""
    existing = {
        f.code: f for f in Framework.objects.filter(code__in=[d.code for d in DEFAULT_FRAMEWORKS])
    }
    return [existing.get(data.code) or _create_default(data) for data in DEFAULT_FRAMEWORKS]


@transaction.atomic
def save_framework(
    *,
    framework: Framework | None = None,
    expected_version: int | None = None,
    code: str,
    title: str,
    audience: str,
    publisher: str = "",
    description: str = "",
    steps: str = "",
    scale: str = "",
) -> Framework:
    """Create a framework (with a starting scale) or change one."""
    code = code.strip().lower()
    if Framework.objects.filter(code=code).exclude(pk=getattr(framework, "pk", None)).exists():
        raise AssessmentError(f"Another framework already has the short name {code}.")
    if audience not in Framework.Audience.values:
        raise AssessmentError("Choose who the framework is for.")
    if framework is not None and audience != framework.audience and framework.assessments.exists():
        raise AssessmentError("Assessments use this framework: who it is for cannot change now.")
    is_new = framework is None
    framework = framework or Framework()
    framework.code, framework.title, framework.audience = code, title.strip(), audience
    framework.publisher, framework.description = publisher.strip(), description.strip()
    framework.steps = steps.strip()
    if is_new:
        if scale not in SCALES:
            raise AssessmentError("Choose the rating scale to start from.")
        framework.save()
        _add_levels(framework, SCALES[scale][1])
    else:
        save_versioned(framework, expected_version=expected_version or 0)
    return framework


@transaction.atomic
def save_level(
    *,
    level: RatingLevel | None = None,
    framework: Framework,
    code: str,
    label: str,
    position: int,
    colour: str,
    is_gap: bool = False,
    description: str = "",
) -> RatingLevel:
    code = code.strip().lower()
    if framework.levels.filter(code=code).exclude(pk=getattr(level, "pk", None)).exists():
        raise AssessmentError(f"This scale already has a level {code}.")
    if position < 1:
        raise AssessmentError("The place on the scale starts at 1, the worst.")
    level = level or RatingLevel(framework=framework)
    level.code, level.label, level.position = code, label.strip(), position
    level.colour, level.is_gap, level.description = colour, is_gap, description.strip()
    level.save()
    return level


@transaction.atomic
def save_area(
    *,
    area: FrameworkArea | None = None,
    framework: Framework,
    code: str,
    title: str,
    description: str = "",
) -> FrameworkArea:
    code = code.strip().upper()
    if framework.areas.filter(code=code).exclude(pk=getattr(area, "pk", None)).exists():
        raise AssessmentError(f"This framework already has an area {code}.")
    if area is None:
        area = FrameworkArea(framework=framework, position=framework.areas.count() + 1)
    area.code, area.title, area.description = code, title.strip(), description.strip()
    area.save()
    return area


def _code_taken(framework: Framework, code: str, standard: Standard | None) -> bool:
    return (
        Standard.objects.filter(area__framework=framework, code=code)
        .exclude(pk=getattr(standard, "pk", None))
        .exists()
    )


@transaction.atomic
def save_standard(
    *,
    standard: Standard | None = None,
    expected_version: int | None = None,
    area: FrameworkArea,
    code: str,
    title: str,
    good_looks_like: str = "",
    evidence_expected: str = "",
) -> Standard:
    code = code.strip().upper()
    if _code_taken(area.framework, code, standard):
        raise AssessmentError(f"This framework already has a standard {code}.")
    is_new = standard is None
    if standard is None:
        standard = Standard(area=area, position=area.standards.count() + 1)
    elif standard.area.framework_id != area.framework_id:
        raise AssessmentError("A standard stays in its own framework.")
    standard.area, standard.code, standard.title = area, code, title.strip()
    standard.good_looks_like = good_looks_like.strip()
    standard.evidence_expected = evidence_expected.strip()
    if is_new:
        standard.save()
        # An assessment in progress takes the new standard too.
        for assessment in area.framework.assessments.filter(status=Assessment.Status.IN_PROGRESS):
            StandardRating.objects.create(assessment=assessment, standard=standard)
    else:
        save_versioned(standard, expected_version=expected_version or 0)
    return standard


@dataclass(frozen=True)
class ImportSummary:
    areas_added: int
    standards_added: int
    standards_changed: int

    def __str__(self) -> str:
        return (
            f"{self.standards_added} standards added and {self.standards_changed} changed, "
            f"in {self.areas_added} new areas."
        )


@transaction.atomic
def import_standards(*, framework: Framework, content: bytes, filename: str) -> ImportSummary:
    """Add or change areas and standards from a file, matched by code: all or nothing.

    Raises ``imports.ImportProblems`` naming each row and column to fix; then nothing changed.
    """
    parsed = parse_standards(content, filename)
    areas = {area.code: area for area in framework.areas.all()}
    standards = {s.code: s for s in Standard.objects.filter(area__framework=framework)}
    areas_added = added = changed = 0
    for imported in parsed:
        area = areas.get(imported.code)
        if area is None:
            area = save_area(framework=framework, code=imported.code, title=imported.title)
            areas[area.code] = area
            areas_added += 1
        for values in imported.standards:
            found = standards.get(values["code"].upper())
            fields = {k: values[k] for k in ("title", "good_looks_like", "evidence_expected")}
            if found is None:
                save_standard(area=area, code=values["code"], **fields)
                added += 1
            elif found.area_id != area.pk or any(getattr(found, k) != v for k, v in fields.items()):
                found.area = area
                for name, value in fields.items():
                    setattr(found, name, value)
                save_versioned(found, expected_version=found.version)
                changed += 1
    return ImportSummary(areas_added, added, changed)


# ---- assessments ---------------------------------------------------------------------------------


@transaction.atomic
def start_assessment(
    *,
    framework: Framework,
    title: str,
    assessed_on: datetime.date,
    establishment: Any = None,
) -> Assessment:
    """A new assessment with every standard to rate; assessors carry over from the last one."""
    if framework.is_for_schools != (establishment is not None):
        raise AssessmentError(
            "This framework is for schools and colleges to assess themselves."
            if framework.is_for_schools
            else "This framework is for the partnership, not for a school."
        )
    standards = list(Standard.objects.filter(area__framework=framework))
    if not standards:
        raise AssessmentError("This framework has no standards yet: add them first.")
    if not framework.levels.exists():
        raise AssessmentError("This framework has no rating scale yet: add its levels first.")
    if Assessment.objects.filter(
        framework=framework, establishment=establishment, status=Assessment.Status.IN_PROGRESS
    ).exists():
        raise AssessmentError(
            f"An assessment against {framework.title} is already in progress: finish it first."
        )
    assessment = Assessment.objects.create(
        framework=framework,
        title=title.strip(),
        assessed_on=assessed_on,
        establishment=establishment,
    )
    previous = queries.previous_assessment(assessment)
    assessors = dict(previous.ratings.values_list("standard_id", "assessor_id")) if previous else {}
    for standard in standards:
        StandardRating.objects.create(
            assessment=assessment, standard=standard, assessor_id=assessors.get(standard.pk)
        )
    return assessment


def _open(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise AssessmentError("This assessment is signed off: its ratings are final.")


@transaction.atomic
def rate_standard(
    *,
    rating: StandardRating,
    expected_version: int | None,
    level: RatingLevel | None,
    evidence: str,
    by: Any = None,
    by_name: str = "",
    upload: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> StandardRating:
    """Record a standard's rating and the evidence for it; a stale version is refused.

    ``upload``, a file sent with the rating, is kept with it or, if refused, neither is.
    """
    assessment = Assessment.objects.select_for_update().get(pk=rating.assessment_id)
    _open(assessment)
    if level is not None and level.framework_id != assessment.framework_id:
        raise AssessmentError("Choose a rating from this framework's scale.")
    rating.level = level
    rating.evidence = evidence.strip()
    rating.rated_at = now or timezone.now()
    rating.rated_by_name = (by_name or getattr(by, "full_name", ""))[:200]
    save_versioned(
        rating,
        expected_version=expected_version or 0,
        update_fields=["level", "evidence", "rated_at", "rated_by_name"],
    )
    if upload is not None:
        add_evidence_file(rating=rating, upload=upload, by=by)
    return rating


@transaction.atomic
def assign_assessor(
    *, rating: StandardRating, assessor: Any, expected_version: int | None
) -> StandardRating:
    _open(rating.assessment)
    rating.assessor = assessor
    save_versioned(rating, expected_version=expected_version or 0, update_fields=["assessor"])
    return rating


@transaction.atomic
def add_evidence_file(*, rating: StandardRating, upload: UploadedFile, by: Any) -> EvidenceFile:
    """Keep a file as evidence of a rating, checked as the plan's evidence is."""
    _open(Assessment.objects.select_for_update().get(pk=rating.assessment_id))
    try:
        content_type = check_evidence(upload)
    except EvidenceRefused as error:
        raise AssessmentError(str(error)) from error
    return EvidenceFile.objects.create(
        rating=rating,
        file=upload,
        original_name=PurePath(upload.name or "evidence").name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def record_finding(
    *,
    rating: StandardRating,
    text: str,
    improvement: str = "",
    due_on: datetime.date | None = None,
) -> Finding:
    """A gap found against a standard (and, for a school, what it will do about it)."""
    _open(rating.assessment)
    if not text.strip():
        raise AssessmentError("Describe the gap found.")
    return Finding.objects.create(
        rating=rating, text=text.strip(), improvement=improvement.strip(), due_on=due_on
    )


@transaction.atomic
def raise_action(
    *,
    finding: Finding,
    section: Any,
    title: str,
    owner_organisation: Any,
    description: str = "",
    lead: Any = None,
    due_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
) -> PlanAction:
    """Make a finding a Delivery Plan action, with "self-assessment finding" as its source.

    The action is created by the plan's own service, in the section chosen; the finding keeps
    the link, so each side shows the other.
    """
    finding = (
        Finding.objects.select_for_update()
        .select_related("rating__standard", "rating__assessment")
        .get(pk=finding.pk)
    )
    if finding.plan_action_id is not None:
        raise AssessmentError("This finding is already a Delivery Plan action.")
    assessment = finding.rating.assessment
    if assessment.establishment_id is not None:
        raise AssessmentError("A school's findings are its own action plan, not the county's.")
    try:
        action = delivery_services.save_action(
            plan=section.plan,
            section=section,
            reference=queries.next_reference(section),
            title=title,
            description=description,
            owner_organisation=owner_organisation,
            lead=lead,
            starts_on=starts_on or timezone.localdate(),
            due_on=due_on,
            success_measure=f"The gap found against {finding.rating.standard.code} is closed.",
            sources=[
                (
                    SourceKind.SELF_ASSESSMENT,
                    f"{finding.rating.standard.code}, {assessment.title}"[:200],
                )
            ],
        )
    except delivery_services.DeliveryError as error:
        raise AssessmentError(str(error)) from error
    finding.plan_action = action
    finding.save(update_fields=["plan_action"])
    return action


@transaction.atomic
def sign_off(
    *,
    assessment: Assessment,
    expected_version: int | None,
    summary: str,
    on: datetime.date,
    by: Any = None,
    name: str = "",
) -> Assessment:
    """Sign an assessment off: every standard rated, and every gap with a finding recorded."""
    _open(assessment)
    page = queries.assessment_page(assessment)
    if page.unrated:
        raise AssessmentError(
            f"{page.unrated} of {page.total} standards are not rated yet. Rate them all first."
        )
    missing = [row.standard.code for area in page.areas for row in area.rows if row.needs_finding]
    if missing:
        raise AssessmentError(
            "Record the gap found for each standard rated as needing improvement: "
            + ", ".join(missing)
            + "."
        )
    assessment.status = Assessment.Status.SIGNED_OFF
    assessment.summary = summary.strip()
    assessment.signed_off_on = on
    assessment.signed_off_by = by if getattr(by, "is_authenticated", False) else None
    assessment.signed_off_name = (name or getattr(by, "full_name", "")).strip()[:200]
    save_versioned(
        assessment,
        expected_version=expected_version or 0,
        update_fields=[
            "status",
            "summary",
            "signed_off_on",
            "signed_off_by",
            "signed_off_name",
        ],
    )
    return assessment
