"""The reference lists the partnership keeps: types of concern and triage checks."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from preventhub.casework.models import ConcernType, TriageCheck
from preventhub.casework.services.common import CaseworkError

# The starting lists (also seeded by migration 0002); a partnership may change them.
DEFAULT_CONCERN_TYPES = [
    "Islamist",
    "Extreme right-wing",
    "Fascination with extreme violence or mass-casualty attacks",
    "No ideology – other susceptibility",
    "Other ideology",
    "Mixed, unclear or unstable",
]
DEFAULT_TRIAGE_CHECKS = [
    "Police National Computer",
    "Local police intelligence",
    "Counter Terrorism Policing deconfliction",
    "Children's social care",
    "Adult social care",
    "Education",
    "Health",
]


def ensure_reference_lists() -> None:
    """Put back the default concern types and triage checks if the lists are empty."""
    if not ConcernType.objects.exists():
        for order, name in enumerate(DEFAULT_CONCERN_TYPES, start=1):
            ConcernType.objects.create(name=name, order=order * 10)
    if not TriageCheck.objects.exists():
        for order, name in enumerate(DEFAULT_TRIAGE_CHECKS, start=1):
            TriageCheck.objects.create(name=name, order=order * 10)


def save_list_item(
    *, item: ConcernType | TriageCheck, name: str, order: int, is_active: bool, label: str
) -> ConcernType | TriageCheck:
    """Add or change an entry of a list; ``label`` names the list's entries in the refusal."""
    item.name, item.order, item.is_active = name, order, is_active
    try:
        # A savepoint, so that the refusal leaves the request's transaction usable.
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise CaseworkError(f"There is already a {label} with that name") from None
    return item
