"""Optimistic locking: the second of two people saving the same record is refused, not merged."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from preventhub.core.models import VersionedModel


class ConcurrentEditError(Exception):
    """Someone else saved this record after it was opened for editing."""

    def __init__(self, obj: VersionedModel) -> None:
        super().__init__(
            f"{obj._meta.verbose_name.capitalize()} was changed by someone else while you were "
            "editing it. Your changes have not been saved. Open it again to see the latest "
            "version, then make your changes again."
        )


def save_versioned(
    obj: VersionedModel, *, expected_version: int, update_fields: Iterable[str] | None = None
) -> None:
    """Save ``obj`` only if its stored version is still ``expected_version``, then bump it.

    The check and the write are one UPDATE ... WHERE version = expected, so two workers cannot
    both pass the check.
    """
    model = type(obj)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise ConcurrentEditError(obj)
        obj.version = expected_version + 1
        fields = None if update_fields is None else [*update_fields, "version"]
        obj.save(update_fields=fields)
