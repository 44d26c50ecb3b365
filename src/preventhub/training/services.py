"""Write operations on the Training Framework and partners' training returns."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from preventhub.core.concurrency import save_versioned
from preventhub.partnership.models import Organisation, ReportingPeriod, Sector
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.training import queries
from preventhub.training.models import (
    ProductVersion,
    RoleGroup,
    SessionAttendance,
    TrainingLevel,
    TrainingProduct,
    TrainingSession,
    WorkforceFigure,
)


class TrainingError(Exception):
    """A change to training records that cannot be made; the message says why."""


class DuplicateSession(TrainingError):
    """Training that looks the same is already recorded: saved only once the person confirms."""

    def __init__(self, sessions: list[TrainingSession]) -> None:
        self.sessions = sessions
        super().__init__(
            f"Training like this is already recorded: {queries.describe_session(sessions[0])}. "
            "If this is a different session, tick the box to record it as well. If it is the "
            "same one, change that one instead."
        )


# (name, course, refresh months): the defaults of DOMAIN.md §5, which a partnership can change.
DEFAULT_LEVELS: list[tuple[str, str, int]] = [
    ("Basic awareness", "Home Office Prevent awareness e-learning", 36),
    ("Referrals", "Home Office Prevent referrals e-learning", 36),
    ("Enhanced", "Workshop to Raise Awareness of Prevent (WRAP), face to face", 36),
    ("Specialist", "Channel and Prevent Multi-Agency Panel awareness; Prevent leads", 36),
]

# (sector code, role group, level position, refresh months or None for the level's)
DEFAULT_ROLE_GROUPS: list[tuple[str, str, int, int | None]] = [
    ("local-authority", "All staff", 1, None),
    ("local-authority", "Reception and customer service", 1, None),
    ("local-authority", "Frontline social care", 3, None),
    ("local-authority", "Safeguarding and Prevent leads", 4, None),
    ("police", "All officers and staff", 1, None),
    ("police", "Neighbourhood officers", 3, None),
    ("health", "All staff", 1, None),
    ("health", "Clinical decision-maker", 2, None),
    ("health", "Safeguarding leads", 4, None),
    ("schools", "All staff", 1, None),
    ("schools", "School DSL", 3, 24),
    ("further-education", "All staff", 1, None),
    ("further-education", "Safeguarding leads", 3, 24),
    ("higher-education", "All staff", 1, None),
    ("prisons", "Frontline officers", 2, None),
    ("probation", "Practitioners", 3, None),
    ("youth-justice", "Case workers", 3, None),
    ("third-sector", "Staff and volunteers", 1, None),
    ("faith-community", "Leaders and volunteers", 1, None),
    ("early-years", "All staff", 1, None),
]


@transaction.atomic
def ensure_default_framework() -> None:
    """Create the default levels and role groups that are missing; change none."""
    levels = {}
    for position, (name, course, months) in enumerate(DEFAULT_LEVELS, start=1):
        levels[position], _ = TrainingLevel.objects.get_or_create(
            name=name, defaults={"course": course, "refresh_months": months, "position": position}
        )
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    for code, name, position, months in DEFAULT_ROLE_GROUPS:
        if code in sectors:
            RoleGroup.objects.get_or_create(
                sector=sectors[code],
                name=name,
                defaults={"level": levels[position], "refresh_months": months},
            )


@transaction.atomic
def save_level(
    *,
    level: TrainingLevel | None = None,
    name: str,
    course: str = "",
    description: str = "",
    refresh_months: int,
    position: int,
    expected_version: int | None = None,
) -> TrainingLevel:
    if refresh_months < 1:
        raise TrainingError("Training must stay in date for at least one month.")
    clash = TrainingLevel.objects.filter(name=name).exclude(pk=getattr(level, "pk", None))
    if clash.exists():
        raise TrainingError(f"There is already a level called {name}.")
    if level is None:
        return TrainingLevel.objects.create(
            name=name,
            course=course,
            description=description,
            refresh_months=refresh_months,
            position=position,
        )
    level.name, level.course, level.description = name, course, description
    level.refresh_months, level.position = refresh_months, position
    save_versioned(level, expected_version=expected_version or 0)
    return level


@transaction.atomic
def save_role_group(
    *,
    role_group: RoleGroup | None = None,
    sector: Sector,
    name: str,
    level: TrainingLevel,
    refresh_months: int | None = None,
    expected_version: int | None = None,
) -> RoleGroup:
    clash = RoleGroup.objects.filter(sector=sector, name=name).exclude(
        pk=getattr(role_group, "pk", None)
    )
    if clash.exists():
        raise TrainingError(f"{sector} already has a role group called {name}.")
    if role_group is None:
        return RoleGroup.objects.create(
            sector=sector, name=name, level=level, refresh_months=refresh_months
        )
    role_group.sector, role_group.name, role_group.level = sector, name, level
    role_group.refresh_months = refresh_months
    save_versioned(role_group, expected_version=expected_version or 0)
    return role_group


def _check_open(organisation: Organisation, on: datetime.date) -> None:
    owed = queries.training_return_for(organisation, on)
    if owed is not None and not owed.is_editable:
        raise TrainingError(
            f"The training return for {owed.window.period} has been sent. Ask the Prevent "
            "coordinator to re-open it to change it."
        )


def claim_return(partner_return: PartnerReturn, *, expected_version: int | None) -> PartnerReturn:
    """Lock a training return whose figures are about to change, and move its version on.

    Every change to a return's figures (the workforce form, training delivered, an upload) goes
    through here, so a form opened before any of them is refused (ConcurrentEditError), never
    saved over them. ``expected_version`` is the version the form was opened at; ``None`` only
    for writers that opened no form (the demo), which still move the version on.
    """
    found = (
        PartnerReturn.objects.select_for_update(of=("self",))
        .select_related("window__period", "organisation")
        .get(pk=partner_return.pk)
    )
    if found.window.kind != ReturnKind.TRAINING:
        raise TrainingError("This is not a training return.")
    if not found.is_editable:
        raise TrainingError(
            f"The training return for {found.window.period} has been sent. Ask the Prevent "
            "coordinator to re-open it to change it."
        )
    save_versioned(
        found,
        expected_version=found.version if expected_version is None else expected_version,
        update_fields=[],
    )
    return found


@transaction.atomic
def save_workforce(
    *,
    partner_return: PartnerReturn,
    as_of: datetime.date,
    staff: Mapping[RoleGroup, int],
    expected_version: int | None,
) -> list[WorkforceFigure]:
    """The workforce form of a return: refused if the return changed since it was opened."""
    found = claim_return(partner_return, expected_version=expected_version)
    return record_workforce(organisation=found.organisation, as_of=as_of, staff=staff)


@transaction.atomic
def add_session(
    *,
    partner_return: PartnerReturn,
    expected_version: int | None,
    held_on: datetime.date,
    level: TrainingLevel,
    mode: str,
    attendees: Mapping[RoleGroup, int],
    product: TrainingProduct | None = None,
    facilitator: str = "",
    by: Any = None,
    allow_duplicate: bool = False,
) -> TrainingSession:
    """Training delivered, added from a return's form: refused if the return changed since the
    form was opened (an upload in between may already hold the same session), and refused with
    DuplicateSession if the same training is already recorded, unless ``allow_duplicate``."""
    found = claim_return(partner_return, expected_version=expected_version)
    same = queries.same_sessions(
        organisation=found.organisation, held_on=held_on, level=level, mode=mode, product=product
    )
    if same and not allow_duplicate:
        raise DuplicateSession(same)
    return record_session(
        organisation=found.organisation,
        held_on=held_on,
        level=level,
        mode=mode,
        attendees=attendees,
        product=product,
        facilitator=facilitator,
        by=by,
    )


@transaction.atomic
def record_workforce(
    *,
    organisation: Organisation,
    as_of: datetime.date,
    staff: Mapping[RoleGroup, int],
) -> list[WorkforceFigure]:
    """Set how many staff ``organisation`` has in each role group on ``as_of``."""
    _check_open(organisation, as_of)
    if any(count < 0 for count in staff.values()):
        raise TrainingError("Staff numbers cannot be negative.")
    saved = []
    for role_group, count in staff.items():
        if organisation.sector_id and role_group.sector_id != organisation.sector_id:
            raise TrainingError(f"{role_group} is not a role group of {organisation.sector}.")
        figure, _ = WorkforceFigure.objects.update_or_create(
            organisation=organisation,
            role_group=role_group,
            as_of=as_of,
            defaults={"staff": count},
        )
        saved.append(figure)
    return saved


@transaction.atomic
def record_session(
    *,
    organisation: Organisation,
    held_on: datetime.date,
    level: TrainingLevel,
    mode: str,
    attendees: Mapping[RoleGroup, int],
    product: TrainingProduct | None = None,
    facilitator: str = "",
    by: Any = None,
) -> TrainingSession:
    """Record training delivered to ``organisation``'s staff, counted by role group."""
    if mode not in TrainingSession.Mode.values:
        raise TrainingError("Choose how the training was delivered.")
    _check_open(organisation, held_on)
    counted = {group: count for group, count in attendees.items() if count}
    if any(count < 0 for count in counted.values()):
        raise TrainingError("Numbers of attendees cannot be negative.")
    if not counted:
        raise TrainingError("Say how many people attended, by role group.")
    session = TrainingSession.objects.create(
        organisation=organisation,
        held_on=held_on,
        level=level,
        mode=mode,
        product=product,
        facilitator=facilitator.strip()[:150],
        recorded_by=by,
    )
    for role_group, count in counted.items():
        SessionAttendance.objects.create(session=session, role_group=role_group, attendees=count)
    return session


def _session_of(found: PartnerReturn, session: TrainingSession) -> TrainingSession:
    """The session, locked, if it is part of the return ``found``; else TrainingError."""
    period = found.window.period
    stored = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("level", "product")
        .filter(pk=session.pk, organisation=found.organisation)
        .first()
    )
    if stored is None or not period.starts_on <= stored.held_on <= period.ends_on:
        raise TrainingError(f"This training is not part of the return for {period}.")
    return stored


@transaction.atomic
def change_session(
    *,
    partner_return: PartnerReturn,
    session: TrainingSession,
    expected_version: int | None,
    held_on: datetime.date,
    level: TrainingLevel,
    mode: str,
    attendees: Mapping[RoleGroup, int],
    product: TrainingProduct | None = None,
    facilitator: str = "",
    by: Any,
    allow_duplicate: bool = False,
) -> TrainingSession:
    """Correct training delivered on a return still being filled in.

    Refused if the return changed since the form was opened. The return's history keeps what
    the session was and what it is now, with who changed it; the audit trail keeps each field.
    """
    found = claim_return(partner_return, expected_version=expected_version)
    stored = _session_of(found, session)
    period = found.window.period
    if not period.starts_on <= held_on <= period.ends_on:
        raise TrainingError(f"The date must be in {period}.")
    if mode not in TrainingSession.Mode.values:
        raise TrainingError("Choose how the training was delivered.")
    counted = {group: count for group, count in attendees.items() if count}
    if any(count < 0 for count in counted.values()):
        raise TrainingError("Numbers of attendees cannot be negative.")
    if not counted:
        raise TrainingError(
            "Say how many people attended, by role group. To take the training off the "
            "return, remove it instead."
        )
    same = queries.same_sessions(
        organisation=found.organisation,
        held_on=held_on,
        level=level,
        mode=mode,
        product=product,
        exclude=stored,
    )
    if same and not allow_duplicate:
        raise DuplicateSession(same)
    before = queries.describe_session(stored)
    stored.held_on, stored.level, stored.mode = held_on, level, mode
    stored.product, stored.facilitator = product, facilitator.strip()[:150]
    stored.save()
    rows = {row.role_group_id: row for row in stored.attendance.all()}
    for role_group, count in counted.items():
        row = rows.pop(role_group.pk, None)
        if row is None:
            SessionAttendance.objects.create(session=stored, role_group=role_group, attendees=count)
        elif row.attendees != count:
            row.attendees = count
            row.save()
    for row in rows.values():
        row.delete()
    after = queries.describe_session(
        stored, {group.name: count for group, count in counted.items()}
    )
    if after != before:
        returns.record_correction(
            partner_return=found,
            by=by,
            note=f"Training delivered changed. It was {before}. It is now {after}.",
        )
    return stored


@transaction.atomic
def remove_session(
    *,
    partner_return: PartnerReturn,
    session: TrainingSession,
    expected_version: int | None,
    by: Any,
) -> None:
    """Take training delivered off a return still being filled in: entered twice, or by
    mistake. The return's history keeps what it was, and who removed it."""
    found = claim_return(partner_return, expected_version=expected_version)
    stored = _session_of(found, session)
    before = queries.describe_session(stored)
    stored.delete()
    returns.record_correction(
        partner_return=found, by=by, note=f"Training delivered removed. It was {before}."
    )


@transaction.atomic
def submit_training_return(
    *,
    partner_return: PartnerReturn,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    """Send a training return: its organisation must have said what its workforce is."""
    period: ReportingPeriod = partner_return.window.period
    if not WorkforceFigure.objects.filter(
        organisation=partner_return.organisation, as_of__lte=period.ends_on
    ).exists():
        raise TrainingError(
            "Say how many staff you have in each role group before you send the return."
        )
    try:
        return returns.submit_return(
            partner_return=partner_return, by=by, now=now, expected_version=expected_version
        )
    except returns.ReturnError as error:
        raise TrainingError(str(error)) from error


@transaction.atomic
def save_product(
    *,
    product: TrainingProduct | None = None,
    name: str,
    kind: str,
    audience: str,
    level: TrainingLevel | None,
    url: str = "",
    expected_version: int | None = None,
) -> TrainingProduct:
    clash = TrainingProduct.objects.filter(name=name).exclude(pk=getattr(product, "pk", None))
    if clash.exists():
        raise TrainingError(f"There is already a training product called {name}.")
    if product is None:
        return TrainingProduct.objects.create(
            name=name, kind=kind, audience=audience, level=level, url=url
        )
    product.name, product.kind, product.audience, product.level, product.url = (
        name,
        kind,
        audience,
        level,
        url,
    )
    save_versioned(product, expected_version=expected_version or 0)
    return product


PRODUCT_FILE_TYPES = frozenset({".pptx", ".pdf", ".odp", ".docx"})


@transaction.atomic
def add_product_version(
    *, product: TrainingProduct, upload: UploadedFile, note: str, by: Any
) -> ProductVersion:
    """Keep a new version of a presentation's file; earlier versions stay downloadable."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in PRODUCT_FILE_TYPES:
        raise TrainingError(f"{upload.name} is not a PPTX, ODP, PDF or DOCX file.")
    limit = settings.PREVENTHUB_PRODUCT_FILE_MAX_MB
    if not upload.size or upload.size > limit * 1024 * 1024:
        raise TrainingError(f"{upload.name} is empty or larger than {limit} MB.")
    # Lock the product so two uploads cannot both take the same number.
    TrainingProduct.objects.select_for_update().get(pk=product.pk)
    number = (product.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return ProductVersion.objects.create(
        product=product,
        number=number,
        file=upload,
        original_name=PurePath(upload.name).name[:200],
        size=upload.size,
        note=note.strip()[:300],
        uploaded_by=by,
    )
