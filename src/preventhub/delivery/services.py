"""Write operations on the Delivery Plan and its quarterly cycle: one transaction each."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from preventhub.core.concurrency import save_versioned
from preventhub.delivery import queries
from preventhub.delivery.evidence import EvidenceRefused, check_evidence
from preventhub.delivery.models import (
    FINISHED,
    ActionSource,
    ActionStatus,
    DeliveryPlan,
    DistrictRisk,
    Evidence,
    PlanAction,
    ProgressUpdate,
    ReminderRun,
    Section,
)
from preventhub.delivery.tasks import send_reminders_run
from preventhub.partnership import queries as partnership_queries
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import ReportingPeriod

# The ten sections of DOMAIN.md §1 (¶7): three partnership sections, then seven sector sections.
DEFAULT_SECTIONS: list[tuple[str, str, str]] = [
    ("SAF", "Safeguarding", Section.Kind.PARTNERSHIP),
    ("CAS", "Case Management", Section.Kind.PARTNERSHIP),
    ("COM", "Community Resilience", Section.Kind.PARTNERSHIP),
    ("SCH", "Schools and Registered Childcare Providers", Section.Kind.SECTOR),
    (
        "OSS",
        "Out-of-School Settings (including Children Missing from Education)",
        Section.Kind.SECTOR,
    ),
    ("OAC", "Other Agencies and Organisations Supporting Children", Section.Kind.SECTOR),
    ("FHE", "Further and Higher Education", Section.Kind.SECTOR),
    ("HEA", "Health", Section.Kind.SECTOR),
    ("PRI", "Prisons", Section.Kind.SECTOR),
    ("PRO", "Probation", Section.Kind.SECTOR),
]

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DeliveryError(Exception):
    """A change to the plan or its cycle that cannot be made; the message says why."""


# ---- plan versions -------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, title: str) -> DeliveryPlan:
    """A new draft plan starting from the ten default sections."""
    plan = DeliveryPlan.objects.create(title=title.strip())
    # One by one, not bulk_create: each section is a change the audit trail records.
    for number, (code, section_title, kind) in enumerate(DEFAULT_SECTIONS, start=1):
        Section.objects.create(
            plan=plan, code=code, title=section_title, kind=kind, position=number
        )
    return plan


@transaction.atomic
def approve_plan(*, plan: DeliveryPlan, on: datetime.date, meeting: Any = None) -> DeliveryPlan:
    """Approve a draft; the version approved before it becomes superseded."""
    if plan.status != DeliveryPlan.Status.DRAFT:
        raise DeliveryError(
            f"Only a draft can be approved; this version is {plan.get_status_display().lower()}."
        )
    open_quarter = partnership_queries.period_taking_updates()
    if open_quarter is not None and queries.current_plan() is not None:
        # Its updates are being given against the plan in force; swapping plans mid-quarter
        # would leave them on superseded actions and show the new ones as owing again.
        raise DeliveryError(
            f"{open_quarter} is open. Close it before approving a new version of the plan."
        )
    for previous in DeliveryPlan.objects.filter(status=DeliveryPlan.Status.APPROVED):
        previous.status = DeliveryPlan.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    plan.status = DeliveryPlan.Status.APPROVED
    plan.approved_on = on
    plan.approved_at = meeting
    plan.save(update_fields=["status", "approved_on", "approved_at"])
    return plan


@transaction.atomic
def refresh_plan(*, plan: DeliveryPlan, title: str) -> DeliveryPlan:
    """A new draft from ``plan``: open actions carried over, finished ones left as history."""
    if plan.status != DeliveryPlan.Status.APPROVED:
        raise DeliveryError("Refresh the approved plan: it is the one in force.")
    if plan.refreshes.filter(status=DeliveryPlan.Status.DRAFT).exists():
        raise DeliveryError("A refreshed draft of this plan already exists: carry on with it.")
    draft = DeliveryPlan.objects.create(title=title.strip(), predecessor=plan)
    sections = {}
    for section in plan.sections.order_by("position"):
        sections[section.pk] = Section.objects.create(
            plan=draft,
            code=section.code,
            title=section.title,
            kind=section.kind,
            position=section.position,
        )
    copies: dict[int, PlanAction] = {}
    carried = plan.actions.exclude(status__in=FINISHED).prefetch_related("partners", "sources")
    for action in carried:
        copy = PlanAction.objects.create(
            plan=draft,
            section=sections[action.section_id],
            reference=action.reference,
            title=action.title,
            description=action.description,
            owner_organisation_id=action.owner_organisation_id,
            lead_id=action.lead_id,
            starts_on=action.starts_on,
            due_on=action.due_on,
            status=action.status,
            success_measure=action.success_measure,
            district_id=action.district_id,
            predecessor=action,
        )
        copy.partners.set(action.partners.all())
        for source in action.sources.all():
            ActionSource.objects.create(action=copy, kind=source.kind, detail=source.detail)
        copies[action.pk] = copy
    # District actions keep supporting the county actions that were carried with them.
    for original_pk, copy in copies.items():
        supported = PlanAction.objects.filter(supported_by=original_pk).values_list("pk", flat=True)
        copy.supports.set([copies[pk] for pk in supported if pk in copies])
    return draft


@dataclass(frozen=True)
class ActionChange:
    before: PlanAction
    after: PlanAction
    fields: list[str]


@dataclass(frozen=True)
class PlanComparison:
    older: DeliveryPlan
    newer: DeliveryPlan
    added: list[PlanAction]
    removed: list[PlanAction]
    changed: list[ActionChange]


COMPARED_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("section_id", "Section"),
    ("owner_organisation_id", "Owner"),
    ("lead_id", "Lead"),
    ("starts_on", "Start date"),
    ("due_on", "Due date"),
    ("status", "Status"),
    ("success_measure", "Success measure"),
    ("district_id", "District"),
]


def compare_plans(*, older: DeliveryPlan, newer: DeliveryPlan) -> PlanComparison:
    """Actions added, removed and changed (matched by carry-over, then by reference)."""
    old_actions = {a.pk: a for a in older.actions.select_related("section")}
    new_actions = list(newer.actions.select_related("section"))
    old_by_reference = {a.reference: a for a in old_actions.values()}
    matched: set[int] = set()
    added, changed = [], []
    for action in new_actions:
        before = old_actions.get(action.predecessor_id) or old_by_reference.get(action.reference)
        if before is None:
            added.append(action)
            continue
        matched.add(before.pk)
        differences = [
            label
            for name, label in COMPARED_FIELDS
            if (before.section.code if name == "section_id" else getattr(before, name))
            != (action.section.code if name == "section_id" else getattr(action, name))
        ]
        if differences:
            changed.append(ActionChange(before, action, differences))
    removed = [a for pk, a in old_actions.items() if pk not in matched]
    return PlanComparison(older, newer, added, removed, changed)


# ---- sections and actions ------------------------------------------------------------------------


def _editable(plan: DeliveryPlan) -> None:
    if plan.status == DeliveryPlan.Status.SUPERSEDED:
        raise DeliveryError("This version has been superseded: change the current plan instead.")


@transaction.atomic
def save_section(
    *, section: Section | None = None, plan: DeliveryPlan, code: str, title: str, kind: str
) -> Section:
    _editable(plan)
    section = section or Section(plan=plan, position=plan.sections.count() + 1)
    code = code.strip().upper()
    if plan.sections.filter(code=code).exclude(pk=section.pk).exists():
        raise DeliveryError(f"This plan already has a section with the code {code}.")
    section.code, section.title, section.kind = code, title.strip(), kind
    section.save()
    return section


@transaction.atomic
def save_action(
    *,
    action: PlanAction | None = None,
    expected_version: int | None = None,
    plan: DeliveryPlan,
    section: Section,
    reference: str,
    title: str,
    owner_organisation: Any,
    description: str = "",
    lead: Any = None,
    partners: Iterable[Any] = (),
    starts_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    success_measure: str = "",
    district: Any = None,
    sources: Sequence[tuple[str, str]] = (),
    supports: Iterable[PlanAction] = (),
) -> PlanAction:
    """Create or change an action; a stale ``expected_version`` is refused (ConcurrentEditError)."""
    _editable(plan)
    if action is not None and action.plan_id != plan.pk:
        raise DeliveryError("This action belongs to another version of the plan.")
    if section.plan_id != plan.pk:
        raise DeliveryError("Choose a section of this plan.")
    if starts_on and due_on and due_on < starts_on:
        raise DeliveryError("The due date must be on or after the start date.")
    reference = reference.strip().upper()
    if plan.actions.filter(reference=reference).exclude(pk=getattr(action, "pk", None)).exists():
        raise DeliveryError(f"This plan already has an action {reference}.")
    action = action or PlanAction(plan=plan)
    action.section = section
    action.reference = reference
    action.title = title.strip()
    action.description = description
    action.owner_organisation = owner_organisation
    action.lead = lead
    action.starts_on = starts_on
    action.due_on = due_on
    action.success_measure = success_measure
    action.district = district
    if action.pk is None:
        action.save()
    else:
        save_versioned(action, expected_version=expected_version or 0)
    action.partners.set(list(partners))
    wanted = {(kind, detail.strip()) for kind, detail in sources}
    current = {(s.kind, s.detail): s for s in action.sources.all()}
    for key, source in current.items():
        if key not in wanted:
            source.delete()
    for kind, detail in wanted - current.keys():
        ActionSource.objects.create(action=action, kind=kind, detail=detail)
    supported = [other for other in supports if other.pk != action.pk and other.plan_id == plan.pk]
    action.supports.set(supported)
    return action


@transaction.atomic
def save_district_risk(
    *,
    risk: DistrictRisk | None = None,
    expected_version: int | None = None,
    district: Any,
    description: str,
    likelihood: int,
    impact: int,
    owner: Any,
    review_on: datetime.date,
    mitigations: Iterable[PlanAction] = (),
) -> DistrictRisk:
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise DeliveryError("Likelihood and impact are each from 1 to 5.")
    risk = risk or DistrictRisk()
    risk.district, risk.description, risk.owner = district, description.strip(), owner
    risk.likelihood, risk.impact, risk.review_on = likelihood, impact, review_on
    if risk.pk is None:
        risk.save()
    else:
        save_versioned(risk, expected_version=expected_version or 0)
    risk.mitigations.set(list(mitigations))
    return risk


# ---- the quarterly cycle -------------------------------------------------------------------------


@transaction.atomic
def submit_update(
    *,
    action: PlanAction,
    period: ReportingPeriod,
    status: str,
    narrative: str,
    by: Any,
    expected_version: int | None = None,
    evidence: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Record or correct (while the quarter is open) an update; the action takes its status.

    ``evidence``, a file sent with the update, is kept with it or, if refused, neither is.
    """
    now = now or timezone.now()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != ReportingPeriod.Status.OPEN:
        raise DeliveryError(
            f"{period} is {period.get_status_display().lower()}: its updates are frozen."
            if period.status == ReportingPeriod.Status.CLOSED
            else f"{period} is not open for updates yet."
        )
    if status not in ActionStatus.values:
        raise DeliveryError("Choose a status.")
    # Text pasted from Word carries control characters that break the Word and PDF reports.
    narrative = CONTROL_CHARACTERS.sub(" ", narrative)
    if not narrative.strip():
        raise DeliveryError("Say what has happened this quarter.")
    late = timezone.localdate(now) > period.updates_due_on
    update = ProgressUpdate.objects.filter(action=action, period=period).first()
    if update is None:
        update = ProgressUpdate(action=action, period=period)
        update.status, update.narrative, update.submitted_by = status, narrative.strip(), by
        update.submitted_at, update.is_late = now, late
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError as error:
            raise DeliveryError(
                "Someone else has just sent an update for this action. Open it again to see it."
            ) from error
    else:
        update.status, update.narrative, update.submitted_by = status, narrative.strip(), by
        update.submitted_at, update.is_late = now, update.is_late or late
        save_versioned(update, expected_version=expected_version or 0)
    action.status = status
    action.save(update_fields=["status"])
    if evidence is not None:
        add_evidence(update=update, upload=evidence, by=by)
    return update


@transaction.atomic
def add_evidence(*, update: ProgressUpdate, upload: UploadedFile, by: Any) -> Evidence:
    # Read the period's state afresh: the caller's copy may predate the close.
    period = ReportingPeriod.objects.select_for_update().get(pk=update.period_id)
    if period.status != ReportingPeriod.Status.OPEN:
        raise DeliveryError(f"{period} is closed: its updates are frozen.")
    try:
        content_type = check_evidence(upload)
    except EvidenceRefused as error:
        raise DeliveryError(str(error)) from error
    return Evidence.objects.create(
        update=update,
        file=upload,
        original_name=PurePath(upload.name).name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


@transaction.atomic
def close_period(
    *, period: ReportingPeriod, now: datetime.datetime | None = None
) -> list[PlanAction]:
    """Close the quarter, which freezes its updates; return the actions that never got one."""
    period = partnership_services.close_period(period=period, now=now)
    updated = set(ProgressUpdate.objects.filter(period=period).values_list("action_id", flat=True))
    return [action for action in queries.actions_due(period) if action.pk not in updated]


@transaction.atomic
def queue_reminders(*, period: ReportingPeriod, by: Any, site_url: str) -> ReminderRun:
    """Queue reminders to every lead whose actions still owe ``period`` an update.

    The task worker sends them (``tasks.send_reminders``) once this transaction commits, and
    records on the run whom it reminded and which actions nobody could be reminded about.
    """
    if period.status != ReportingPeriod.Status.OPEN:
        raise DeliveryError(f"{period} is not open: there is nothing to remind anyone about.")
    ReminderRun.fail_stale()  # a run whose worker stopped says so before another starts
    run = ReminderRun.objects.create(period=period, requested_by=by, site_url=site_url[:200])
    transaction.on_commit(lambda: send_reminders_run.enqueue(run.pk))
    return run
