"""Reads of the guidance library: documents, who must read them and who has, home work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils.formats import date_format

from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.guidance.models import Acknowledgement, DocumentVersion, GuidanceDocument


def current_version(document: GuidanceDocument) -> DocumentVersion | None:
    return document.versions.order_by("-number").first()


def _with_versions() -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.select_related("owner_organisation").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
        ),
        "must_read_organisations",
    )


def must_read(document: GuidanceDocument, user: Any) -> bool:
    """Whether ``user`` is among those who must read ``document``."""
    if not document.must_read_roles and not document.must_read_organisations.exists():
        return False
    if roles_of(user) & set(document.must_read_roles):
        return True
    return document.must_read_organisations.filter(pk=user.organisation_id).exists()


def readers(document: GuidanceDocument) -> QuerySet[Any]:
    """The active people who must read ``document``: by role or by organisation."""
    organisations = list(document.must_read_organisations.values_list("pk", flat=True))
    wanted = Q(groups__name__in=document.must_read_roles) | Q(organisation__in=organisations)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(wanted)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "full_name")
    )


@dataclass(frozen=True)
class LibraryRow:
    document: GuidanceDocument
    current: DocumentVersion | None
    is_overdue: bool
    to_read: bool  # the person looking must read it and has not read its current version


def _with_reading(
    documents: QuerySet[GuidanceDocument], user_id: int, organisation_id: int | None
) -> QuerySet[GuidanceDocument]:
    """``documents``, each with what its reading asks of a person, in the same query:
    ``current_id`` (its latest version, or None), ``for_organisation`` (the person's
    organisation must read it) and ``read_current`` (the person has read that version)."""
    current = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    for_organisation = GuidanceDocument.must_read_organisations.through.objects.filter(
        guidancedocument=OuterRef("pk"), organisation=organisation_id
    )
    return documents.annotate(
        current_id=Subquery(current.values("pk")[:1]),
        for_organisation=Exists(for_organisation) if organisation_id else Value(False),
        read_current=Exists(
            Acknowledgement.objects.filter(user=user_id, version=OuterRef("current_id"))
        ),
    )


def _documents_in_use(user_id: int, organisation_id: int | None) -> QuerySet[GuidanceDocument]:
    """The documents in use, with what their reading asks of the person; no versions or owners
    read: the home page is the busiest page there is."""
    return _with_reading(
        GuidanceDocument.objects.filter(is_archived=False).only(
            "pk", "title", "review_on", "owner_name", "must_read_roles"
        ),
        user_id,
        organisation_id,
    )


def _still_to_read(document: Any, roles: set[str]) -> bool:
    """Whether the person must read ``document`` (through their organisation or one of their
    ``roles``) and has not read its current version. ``document`` is annotated by
    :func:`_with_reading`."""
    asked = document.for_organisation or bool(roles & set(document.must_read_roles or []))
    return document.current_id is not None and asked and not document.read_current


def library(user: Any, *, today: datetime.date, archived: bool = False) -> list[LibraryRow]:
    """Every document (or every archived one), with its current version and what ``user`` must
    still read. A fixed number of queries however many documents."""
    documents = _with_reading(
        _with_versions().filter(is_archived=archived), user.pk, user.organisation_id
    )
    roles = roles_of(user)
    rows = []
    for document in documents:
        versions = list(document.versions.all())
        rows.append(
            LibraryRow(
                document,
                versions[0] if versions else None,
                document.review_on < today and not document.is_archived,
                _still_to_read(document, roles),
            )
        )
    return rows


def document_detail(pk: int) -> GuidanceDocument:
    return _with_versions().get(pk=pk)


@dataclass(frozen=True)
class ReaderRow:
    user: Any
    read_current_at: datetime.datetime | None
    read_earlier: int | None  # the latest earlier version they read, if not the current one


@dataclass(frozen=True)
class ReadingList:
    document: GuidanceDocument
    current: DocumentVersion | None
    rows: list[ReaderRow]

    @property
    def read(self) -> list[ReaderRow]:
        return [row for row in self.rows if row.read_current_at is not None]

    @property
    def not_read(self) -> list[ReaderRow]:
        return [row for row in self.rows if row.read_current_at is None]


def reading_list(document: GuidanceDocument) -> ReadingList:
    """Everyone who must read ``document``: who has read its current version, and who has not."""
    current = current_version(document)
    people = list(readers(document))
    acknowledgements = Acknowledgement.objects.filter(
        version__document=document, user__in=people
    ).select_related("version")
    latest: dict[int, Acknowledgement] = {}
    on_current: dict[int, Acknowledgement] = {}
    for found in acknowledgements:
        if current is not None and found.version_id == current.pk:
            on_current[found.user_id] = found
        elif (
            found.user_id not in latest
            or found.version.number > latest[found.user_id].version.number
        ):
            latest[found.user_id] = found
    rows = [
        ReaderRow(
            person,
            on_current[person.pk].acknowledged_at if person.pk in on_current else None,
            latest[person.pk].version.number if person.pk in latest else None,
        )
        for person in people
    ]
    return ReadingList(document, current, rows)


# ---- home work -----------------------------------------------------------------------------------


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    """Overdue reviews for the coordinator; guidance still to read for everyone who must:
    one query, built once (``core.prepared``)."""
    documents = prepared.objects(_documents_in_use, user.pk, user.organisation_id)
    roles = roles_of(user)
    items = []
    if Role.COORDINATOR in roles:
        overdue = sorted(
            (document for document in documents if document.review_on < today),
            key=lambda document: document.review_on,
        )
        for document in overdue:
            items.append(
                WorkItem(
                    "Guidance",
                    f"Review {document.title}",
                    kept_reverse("guidance:document", document.pk),
                    hint=f"{document.title} was due for review by "
                    f"{date_format(document.review_on)}. Its owner: {document.owner_name}.",
                    is_late=True,
                    status="Review overdue",
                )
            )
    unread = [document for document in documents if _still_to_read(document, roles)]
    if unread:
        count = len(unread)
        titles = ", ".join(document.title for document in unread[:3])
        items.append(
            WorkItem(
                "Guidance",
                "Guidance to read",
                kept_reverse("guidance:library"),
                count=count,
                hint=f"You are asked to read {count} document{'s' if count != 1 else ''}: "
                f"{titles}{' and others' if count > 3 else ''}.",
            )
        )
    return items
