"""Optimistic locking: the second of two people saving the same record is refused, not merged.

And the safety net under every other write: when two people add the same thing at the same
moment, each service's check ("there is already an organisation called ...") can pass for both
before either has saved. The database's own constraints then refuse the second, and
:func:`clash_in` tells that refusal apart from a fault, so the person is told what happened
(``core.middleware.WriteClashMiddleware``, and the API's 409) instead of seeing an error page.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.db import IntegrityError, transaction
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


class Clash(enum.Enum):
    """How a write lost to another that landed first."""

    # The same unique value (a name, a reference, one of something per quarter) was taken.
    TAKEN = "taken"
    # A row the write refers to was removed.
    REMOVED = "removed"

    @property
    def message(self) -> str:
        if self is Clash.TAKEN:
            return (
                "Someone else saved the same thing at the same moment, so what you sent has not "
                "been saved. Open the page again to see what is there now, and make your change "
                "again if it is still needed."
            )
        return (
            "Something this refers to was removed by someone else at the same moment, so what "
            "you sent has not been saved. Open the page again to see what is there now."
        )


# PostgreSQL's SQLSTATEs and SQLite's extended result codes for the two refusals; any other
# integrity error (a NOT NULL or CHECK constraint) is a fault in the code, not a clash.
_POSTGRESQL = {"23505": Clash.TAKEN, "23503": Clash.REMOVED}
_SQLITE = {
    "SQLITE_CONSTRAINT_UNIQUE": Clash.TAKEN,
    "SQLITE_CONSTRAINT_PRIMARYKEY": Clash.TAKEN,
    "SQLITE_CONSTRAINT_FOREIGNKEY": Clash.REMOVED,
}


def clash_in(error: IntegrityError) -> Clash | None:
    """Why the database refused a write, if it was because another write landed first.

    Read from the driver's error code, never its message: PostgreSQL's message quotes the
    clashing values (a name, a reference), which must not reach a log or a page.
    """
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None)  # psycopg
    if code is not None:
        return _POSTGRESQL.get(code)
    return _SQLITE.get(getattr(cause, "sqlite_errorname", ""))
