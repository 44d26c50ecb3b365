"""Write operations on the partnership directory and its boards: one transaction each.

Every change here is audited by the core signal handlers. A merge asks each app to move its own
rows (``core.references``), each bulk move with its summary entry, and adds one entry of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify

from preventhub.core import audit
from preventhub.core.calendar import financial_quarter
from preventhub.core.concurrency import save_versioned
from preventhub.core.models import AuditEvent
from preventhub.core.references import Reference, protected_references, refer, references_to
from preventhub.partnership.models import (
    AgendaItem,
    Area,
    Attendance,
    Board,
    BoardAction,
    Contact,
    Decision,
    Meeting,
    Membership,
    Organisation,
    PeriodReopening,
    ReportingPeriod,
    Sector,
)

# Roles only one person holds at a time on a board: a new holder ends the previous one.
SINGLE_HOLDER_ROLES = frozenset({Membership.Role.CHAIR, Membership.Role.DISTRICT_LEAD})


class PartnershipError(Exception):
    """A change to the directory that cannot be made; the message says why and what to do."""


def _save(obj: Any, expected_version: int | None) -> None:
    if obj.pk is None:
        obj.save()
    else:
        save_versioned(obj, expected_version=expected_version or 0)


ARCHIVE_INSTEAD = "Archive it instead: it stays in the history but is no longer offered."


def _refusal(obj: Any, what: str, references: list[Reference], advice: str) -> PartnershipError:
    return PartnershipError(
        f"{obj} cannot be deleted because {refer(references)} to {what}. {advice}"
    )


def _delete_unreferenced(obj: Any, what: str, *, advice: str = ARCHIVE_INSTEAD) -> None:
    """Delete ``obj``, or refuse with what still refers to it; never a ``ProtectedError``."""
    references = references_to(obj)
    if references:
        raise _refusal(obj, what, references, advice)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        # A row that only the delete's cascade reaches still refers to it.
        blocking = protected_references(_blocking_rows(error))
        raise _refusal(obj, what, blocking, advice) from error


def _blocking_rows(error: ProtectedError | RestrictedError) -> set[Any]:
    if isinstance(error, ProtectedError):
        return set(error.protected_objects)
    return set(error.restricted_objects)


# ---- reference data ----------------------------------------------------------------------------

# The sectors a new partnership starts with, and whether Schedule 6 of the 2015 Act names them.
# Migration 0003 holds its own frozen copy, as migrations must.
DEFAULT_SECTORS: list[tuple[str, str, bool]] = [
    ("local-authority", "Local authority", True),
    ("police", "Police", True),
    ("health", "Health", True),
    ("schools", "Schools", True),
    ("early-years", "Early years and childcare", True),
    ("further-education", "Further education", True),
    ("higher-education", "Higher education", True),
    ("prisons", "Prisons", True),
    ("probation", "Probation", True),
    ("youth-justice", "Youth justice", True),
    ("third-sector", "Third sector", False),
    ("faith-community", "Faith and community", False),
    ("other", "Other", False),
]


@transaction.atomic
def ensure_default_sectors() -> None:
    """Create any default sector that is missing (after a flush, say); change none."""
    for order, (code, name, specified) in enumerate(DEFAULT_SECTORS, start=1):
        Sector.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_specified_authority": specified, "order": order * 10},
        )


@transaction.atomic
def save_area(
    *, area: Area | None = None, gss_code: str, name: str, kind: str, parent: Area | None
) -> Area:
    area = area or Area()
    gss_code = gss_code.strip().upper()
    if Area.objects.filter(gss_code=gss_code).exclude(pk=area.pk).exists():
        raise PartnershipError(f"There is already an area with the GSS code {gss_code}.")
    if parent is not None and parent.pk == area.pk:
        raise PartnershipError("An area cannot be part of itself.")
    area.gss_code = gss_code
    area.name = name.strip()
    area.kind = kind
    area.parent = parent
    area.save()
    return area


@transaction.atomic
def save_sector(*, sector: Sector | None = None, name: str, is_specified_authority: bool) -> Sector:
    sector = sector or Sector(code=slugify(name)[:40] or "sector")
    if Sector.objects.filter(name__iexact=name.strip()).exclude(pk=sector.pk).exists():
        raise PartnershipError(f"There is already a sector called {name.strip()}.")
    if sector.pk is None and Sector.objects.filter(code=sector.code).exists():
        sector.code = f"{sector.code[:31]}-{Sector.objects.count() + 1}"
    sector.name = name.strip()
    sector.is_specified_authority = is_specified_authority
    sector.save()
    return sector


# ---- organisations and contacts ----------------------------------------------------------------


@transaction.atomic
def save_organisation(
    *,
    organisation: Organisation | None = None,
    expected_version: int | None = None,
    name: str,
    sector: Sector | None,
    area: Area | None,
    website: str = "",
) -> Organisation:
    organisation = organisation or Organisation()
    clash = Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=organisation.pk)
    if clash.exists():
        raise PartnershipError(f"There is already an organisation called {name.strip()}.")
    organisation.name = name.strip()
    organisation.sector = sector
    organisation.area = area
    organisation.website = website
    _save(organisation, expected_version)
    return organisation


@transaction.atomic
def set_organisation_archived(*, organisation: Organisation, archived: bool) -> Organisation:
    organisation.is_archived = archived
    organisation.save(update_fields=["is_archived"])
    return organisation


@transaction.atomic
def delete_organisation(*, organisation: Organisation) -> None:
    _delete_unreferenced(organisation, "it")


@transaction.atomic
def merge_organisations(*, keep: Organisation, duplicate: Organisation) -> dict[str, int]:
    """Move everything that points at ``duplicate`` onto ``keep``, then remove the duplicate.

    All or nothing: if any row must stay with the duplicate, or cannot move because ``keep``
    already has its own (one return per quarter, say), nothing moves and the error says why.
    """
    if keep.pk == duplicate.pk:
        raise PartnershipError("Choose two different organisations to merge.")
    references = references_to(duplicate)
    kept = [ref for ref in references if ref.kept_on_merge]
    if kept:
        raise PartnershipError(
            f"{duplicate} cannot be merged into {keep} because {refer(kept)} to it, "
            f"and {'; '.join(ref.kept_on_merge for ref in kept)}. Archive {duplicate} instead: "
            f"it stays in the history but is no longer offered."
        )
    moved: dict[str, int] = {}
    for reference in references:
        try:
            with transaction.atomic():
                reference.move(duplicate=duplicate, keep=keep)
        except IntegrityError as error:
            raise PartnershipError(
                f"{duplicate} cannot be merged into {keep}: both have {reference.label} that "
                f"can only be held once, for example for the same quarter. Settle which to keep "
                f"first, or archive {duplicate} instead."
            ) from error
        except (ProtectedError, RestrictedError) as error:
            raise PartnershipError(
                f"{duplicate} cannot be merged into {keep} because "
                f"{refer(protected_references(_blocking_rows(error)))} to its "
                f"{reference.label}. Archive {duplicate} instead."
            ) from error
        moved[reference.label] = moved.get(reference.label, 0) + reference.count
    name = duplicate.name
    try:
        with transaction.atomic():
            duplicate.delete()
    except (ProtectedError, RestrictedError) as error:
        raise PartnershipError(
            f"{duplicate} cannot be merged into {keep} because "
            f"{refer(protected_references(_blocking_rows(error)))} to it. "
            f"Archive {duplicate} instead."
        ) from error
    audit.record(
        action=AuditEvent.Action.UPDATE,
        obj=keep,
        changes={"merged": {"from": name, "moved": moved}},
        detail=f"Merged {name} into {keep.name}",
    )
    return moved


@transaction.atomic
def reassign_contacts(
    *, model: type[Contact], field_name: str, duplicate: Organisation, keep: Organisation
) -> int:
    """Move a merged-away organisation's contacts to the one kept (registered in ``apps.py``).

    One contact per account per organisation: a person listed at both keeps the one at ``keep``,
    which takes over the other's memberships.
    """
    moved = 0
    for contact in model.objects.filter(**{field_name: duplicate}):
        twin = (
            model.objects.filter(**{field_name: keep}, user=contact.user).first()
            if contact.user_id
            else None
        )
        if twin is None:
            setattr(contact, field_name, keep)
            contact.save(update_fields=[field_name])
        else:
            for membership in Membership.objects.filter(contact=contact):
                membership.contact = twin
                membership.save(update_fields=["contact"])
            contact.delete()
        moved += 1
    return moved


@transaction.atomic
def save_contact(
    *,
    contact: Contact | None = None,
    expected_version: int | None = None,
    organisation: Organisation,
    name: str,
    job_title: str = "",
    email: str = "",
    phone: str = "",
) -> Contact:
    contact = contact or Contact(organisation=organisation)
    contact.name = name.strip()
    contact.job_title = job_title
    contact.email = email.strip().lower()
    contact.phone = phone
    _save(contact, expected_version)
    return contact


@transaction.atomic
def delete_contact(*, contact: Contact) -> None:
    if contact.memberships.exists():
        raise PartnershipError(
            f"{contact.name} cannot be removed because they have sat on a board, and that "
            "history is kept. End their membership instead."
        )
    _delete_unreferenced(contact, "them", advice="Remove those first.")


# ---- boards and memberships --------------------------------------------------------------------


def _reporting_chain_reaches(start: Board | None, target: Board) -> bool:
    seen = set()
    while start is not None and start.pk not in seen:
        if start.pk == target.pk:
            return True
        seen.add(start.pk)
        start = start.reports_to
    return False


@transaction.atomic
def save_board(
    *,
    board: Board | None = None,
    expected_version: int | None = None,
    name: str,
    kind: str,
    purpose: str = "",
    area: Area | None = None,
    frequency: str = Board.Frequency.QUARTERLY,
    quorum: int = 0,
    reports_to: Board | None = None,
    updates: Iterable[Board] = (),
) -> Board:
    board = board or Board()
    if (
        board.pk is not None
        and reports_to is not None
        and (reports_to.pk == board.pk or _reporting_chain_reaches(reports_to, board))
    ):
        raise PartnershipError(
            f"{name} cannot report to {reports_to.name}: {reports_to.name} already reports "
            f"to {name}, directly or through other boards."
        )
    if kind == Board.Kind.CSP and (area is None or area.kind != Area.Kind.DISTRICT):
        raise PartnershipError("A Community Safety Partnership covers one district: choose it.")
    if kind == Board.Kind.CSP:
        other = Board.objects.filter(kind=Board.Kind.CSP, area=area, is_archived=False)
        if other.exclude(pk=board.pk).exists():
            raise PartnershipError(f"{area} already has a Community Safety Partnership.")
    if Board.objects.filter(name__iexact=name.strip()).exclude(pk=board.pk).exists():
        raise PartnershipError(f"There is already a board called {name.strip()}.")
    board.name = name.strip()
    board.kind = kind
    board.purpose = purpose
    board.area = area
    board.frequency = frequency
    board.quorum = quorum
    board.reports_to = reports_to
    _save(board, expected_version)
    board.updates.set([other for other in updates if other.pk != board.pk])
    return board


@transaction.atomic
def set_board_archived(*, board: Board, archived: bool) -> Board:
    if not archived and board.kind == Board.Kind.CSP:
        other = Board.objects.filter(kind=Board.Kind.CSP, area=board.area, is_archived=False)
        if other.exclude(pk=board.pk).exists():
            raise PartnershipError(
                f"{board.area} already has a Community Safety Partnership in use. Archive it first."
            )
    board.is_archived = archived
    board.save(update_fields=["is_archived"])
    return board


@transaction.atomic
def delete_board(*, board: Board) -> None:
    _delete_unreferenced(board, "this board")


@transaction.atomic
def add_membership(
    *,
    board: Board,
    organisation: Organisation,
    role: str,
    since: datetime.date,
    user: Any = None,
    contact: Contact | None = None,
    represents: str = "",
) -> Membership:
    """Seat someone on a board. A new chair or district lead ends the previous one's term."""
    if (user is None) == (contact is None):
        raise PartnershipError("Choose either a person with an account or a contact, not both.")
    if role in SINGLE_HOLDER_ROLES:
        current = Membership.objects.filter(board=board, role=role, until__isnull=True).first()
        if current is not None:
            if since <= current.since:
                raise PartnershipError(
                    f"{current.person_name} has been {current.get_role_display().lower()} since "
                    f"{current.since:%-d %B %Y}. The new term must start after that."
                )
            end_membership(membership=current, until=since - datetime.timedelta(days=1))
    return Membership.objects.create(
        board=board,
        organisation=organisation,
        user=user,
        contact=contact,
        role=role,
        represents=represents,
        since=since,
    )


@transaction.atomic
def end_membership(*, membership: Membership, until: datetime.date) -> Membership:
    if until < membership.since:
        raise PartnershipError(
            f"The membership started on {membership.since:%-d %B %Y}; it cannot end before that."
        )
    membership.until = until
    membership.save(update_fields=["until"])
    return membership


# ---- meetings ----------------------------------------------------------------------------------


def _set_agenda(meeting: Meeting, agenda: Iterable[str]) -> None:
    titles = [line.strip() for line in agenda if line.strip()]
    current = list(meeting.agenda_items.order_by("position"))
    if [item.title for item in current] == titles:
        return
    with audit.bulk_write(
        AgendaItem, action=AuditEvent.Action.UPDATE, description="", obj=meeting
    ) as write:
        meeting.agenda_items.all().delete()
        write.rows = len(
            AgendaItem.objects.bulk_create(
                AgendaItem(meeting=meeting, position=number, title=title)
                for number, title in enumerate(titles, start=1)
            )
        )
        write.changes = {"agenda": {"before": [item.title for item in current], "after": titles}}


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting | None = None,
    expected_version: int | None = None,
    board: Board,
    held_on: datetime.date,
    location: str = "",
    agenda: Iterable[str] = (),
) -> Meeting:
    meeting = meeting or Meeting(board=board)
    meeting.held_on = held_on
    meeting.location = location
    _save(meeting, expected_version)
    _set_agenda(meeting, agenda)
    return meeting


@transaction.atomic
def save_minutes(*, meeting: Meeting, expected_version: int, minutes: str) -> Meeting:
    """Save the minutes; refused (ConcurrentEditError) if someone saved them since they opened."""
    meeting.minutes = minutes
    save_versioned(meeting, expected_version=expected_version, update_fields=["minutes"])
    return meeting


@transaction.atomic
def record_attendance(*, meeting: Meeting, statuses: Mapping[int, str]) -> None:
    """Set each member's attendance (membership id → status); an empty status clears it."""
    members = {m.pk: m for m in Membership.objects.filter(board=meeting.board, pk__in=statuses)}
    for membership_id, status in statuses.items():
        membership = members.get(membership_id)
        if membership is None:
            raise PartnershipError("Attendance can only be recorded for members of this board.")
        existing = Attendance.objects.filter(meeting=meeting, membership=membership).first()
        if not status:
            if existing is not None:
                existing.delete()
        elif existing is None:
            Attendance.objects.create(meeting=meeting, membership=membership, status=status)
        elif existing.status != status:
            existing.status = status
            existing.save(update_fields=["status"])


@transaction.atomic
def add_decision(*, meeting: Meeting, text: str) -> Decision:
    return Decision.objects.create(meeting=meeting, text=text.strip())


@transaction.atomic
def add_board_action(
    *,
    meeting: Meeting,
    description: str,
    owner_organisation: Organisation,
    owner_name: str,
    due_on: datetime.date,
) -> BoardAction:
    return BoardAction.objects.create(
        meeting=meeting,
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner_name=owner_name.strip(),
        due_on=due_on,
    )


@transaction.atomic
def set_board_action_status(
    *, action: BoardAction, expected_version: int, status: str, on: datetime.date
) -> BoardAction:
    action.status = status
    action.completed_on = on if status == BoardAction.Status.DONE else None
    save_versioned(
        action, expected_version=expected_version, update_fields=["status", "completed_on"]
    )
    return action


# ---- the reporting calendar ----------------------------------------------------------------------


@transaction.atomic
def create_period(
    *, year: int, quarter: int, updates_due_on: datetime.date, board_meeting: Any = None
) -> ReportingPeriod:
    name, starts_on, ends_on = financial_quarter(year, quarter)
    if ReportingPeriod.objects.filter(name=name).exists():
        raise PartnershipError(f"{name} already exists.")
    return ReportingPeriod.objects.create(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        updates_due_on=updates_due_on,
        board_meeting=board_meeting,
    )


@transaction.atomic
def open_period(*, period: ReportingPeriod) -> ReportingPeriod:
    """Open a planned quarter for updates and returns; only one is open at a time."""
    if period.status != ReportingPeriod.Status.PLANNED:
        raise PartnershipError(
            f"{period} is {period.get_status_display().lower()}: it cannot be opened."
        )
    if ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).exists():
        raise PartnershipError("Another quarter is open. Close it before opening the next.")
    period.status = ReportingPeriod.Status.OPEN
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def close_period(
    *, period: ReportingPeriod, now: datetime.datetime | None = None
) -> ReportingPeriod:
    """Close the open quarter (locked until the caller's transaction ends)."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != ReportingPeriod.Status.OPEN:
        raise PartnershipError(f"{period} is not open, so it cannot be closed.")
    period.status = ReportingPeriod.Status.CLOSED
    period.closed_at = now or timezone.now()
    period.save(update_fields=["status", "closed_at"])
    return period


@transaction.atomic
def link_board_meeting(
    *, period: ReportingPeriod, board_meeting: Meeting | None
) -> ReportingPeriod:
    """Say which Board meeting receives the quarter's report (``None``: not decided yet)."""
    period.board_meeting = board_meeting
    period.save(update_fields=["board_meeting"])
    return period


@transaction.atomic
def reopen_period(
    *, period: ReportingPeriod, by: Any, reason: str, now: datetime.datetime | None = None
) -> ReportingPeriod:
    """Open a closed quarter again, for a reason kept with it; only while no other is open.

    Its updates can be sent and changed again until it is closed once more; the reason, who
    gave it and when the quarter had been closed are kept as a :class:`PeriodReopening`.
    """
    reason = reason.strip()
    if not reason:
        raise PartnershipError("Say why the quarter is being re-opened.")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != ReportingPeriod.Status.CLOSED:
        raise PartnershipError(f"{period} is not closed, so it cannot be re-opened.")
    if ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).exists():
        raise PartnershipError("Another quarter is open. Close it before re-opening this one.")
    PeriodReopening.objects.create(
        period=period,
        reopened_at=now or timezone.now(),
        by=by,
        reason=reason,
        was_closed_at=period.closed_at,
    )
    period.status = ReportingPeriod.Status.OPEN
    period.closed_at = None
    period.save(update_fields=["status", "closed_at"])
    return period
