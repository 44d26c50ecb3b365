"""Write operations on the guidance library."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from preventhub.core.concurrency import save_versioned
from preventhub.core.roles import Role
from preventhub.delivery.evidence import EvidenceRefused, check_evidence
from preventhub.guidance import queries
from preventhub.guidance.models import Acknowledgement, DocumentVersion, GuidanceDocument
from preventhub.partnership.models import Organisation


class GuidanceError(Exception):
    """A change to the library that cannot be made; the message says why."""


@transaction.atomic
def save_document(
    *,
    document: GuidanceDocument | None = None,
    title: str,
    kind: str,
    owner_organisation: Organisation,
    owner_name: str,
    audience: str,
    review_on: datetime.date,
    summary: str = "",
    must_read_roles: Iterable[str] = (),
    must_read_organisations: Iterable[Organisation] = (),
    is_archived: bool = False,
    expected_version: int | None = None,
) -> GuidanceDocument:
    title = title.strip()
    clash = GuidanceDocument.objects.filter(title=title).exclude(pk=getattr(document, "pk", None))
    if clash.exists():
        raise GuidanceError(f"There is already a document called {title}.")
    roles = [str(role) for role in must_read_roles]
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise GuidanceError(f"There is no role called {', '.join(sorted(unknown))}.")
    fields = {
        "title": title,
        "kind": kind,
        "owner_organisation": owner_organisation,
        "owner_name": owner_name.strip(),
        "audience": audience.strip(),
        "review_on": review_on,
        "summary": summary.strip(),
        "must_read_roles": roles,
        "is_archived": is_archived,
    }
    if document is None:
        document = GuidanceDocument.objects.create(**fields)
    else:
        for name, value in fields.items():
            setattr(document, name, value)
        save_versioned(document, expected_version=expected_version or 0)
    document.must_read_organisations.set(list(must_read_organisations))
    return document


@transaction.atomic
def add_version(
    *, document: GuidanceDocument, upload: UploadedFile, note: str = "", by: Any
) -> DocumentVersion:
    """Keep a new version of a document's file; it becomes the one to read, and everyone who
    must read the document is asked again."""
    try:
        content_type = check_evidence(upload)
    except EvidenceRefused as error:
        raise GuidanceError(str(error)) from error
    # Lock the document so two uploads cannot take the same number.
    GuidanceDocument.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        file=upload,
        original_name=PurePath(upload.name or "document").name[:200],
        content_type=content_type,
        size=upload.size,
        note=note.strip()[:300],
        uploaded_by=by,
    )


@transaction.atomic
def acknowledge(*, document: GuidanceDocument, user: Any) -> Acknowledgement:
    """Record that ``user`` has read the document's current version (once per version)."""
    current = queries.current_version(document)
    if current is None:
        raise GuidanceError(f"{document} has no file to read yet.")
    if document.is_archived:
        raise GuidanceError(f"{document} is archived: there is nothing to acknowledge.")
    found, _ = Acknowledgement.objects.get_or_create(version=current, user=user)
    return found
