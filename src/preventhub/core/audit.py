"""The audit trail: who did what, when, from where; and the access log for reads of case data.

* Every create, update and delete of a model in a Prevent Hub app (and of two-factor devices) is
  recorded by signal handlers, with field-level before and after. Fields whose names suggest a
  secret, and encrypted fields, are recorded as changed but never with their values.
* Apps record reads of sensitive records with :func:`record_access` and exports with
  :func:`record_export`, one call each.
* A write in bulk (``QuerySet.update()``, ``bulk_create()``, ``bulk_update()``) sends no signals:
  it is made inside :func:`bulk_write`, which records one summary entry for it, or it is named in
  :data:`UNRECORDED_BULK_WRITES` with the reason it needs no entry of its own.
  ``tests/core/test_bulk_writes.py`` finds every bulk write in the source and fails on one that is
  neither.
* Entries are hash-chained. :func:`verify_chain` walks the whole chain and names every broken
  link, so one break cannot hide another.
* An entry is hashed as it is stored: the address in its canonical form (the database keeps
  ``2001:db8::1`` whatever spelling arrived), the changes as the JSON the database gives back.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from preventhub.core import prepared
from preventhub.core.models import AuditEvent

GENESIS_HASH = "0" * 64
HIDDEN = "(hidden)"
# Any field whose name contains one of these is never written to the log, only "changed".
SECRET_NAME_PARTS = ("password", "secret", "token", "key")
# Bookkeeping fields that change on every sign-in or save and say nothing about the record.
NOISE_FIELDS = frozenset(
    {
        "last_login",
        "version",
        "last_t",
        "drift",
        "throttling_failure_timestamp",
        "throttling_failure_count",
        "last_used_at",
        "created_at",
        "updated_at",
    }
)
AUDITED_APP_PREFIX = "preventhub."
EXTRA_AUDITED_MODELS = frozenset({"otp_totp.totpdevice", "otp_static.staticdevice"})
# The trail's own rows; the once-only tokens of forms sent (core.once), which say nothing of
# what a form changed: the change itself is recorded; the referral tallies the database's
# triggers keep (casework), whose every change is a referral's, recorded as that.
NOT_AUDITED_MODELS = frozenset({"core.auditevent", "core.sentform", "casework.referraltally"})
# One advisory-lock key for the whole chain: entries are appended one at a time.
CHAIN_LOCK_KEY = 0x5052_4556  # "PREV"


@dataclass
class AuditContext:
    """Who is acting and from where, for the duration of a request or a command."""

    request: HttpRequest | None = None
    label: str = ""
    # How the actor reached us when it was not their own session: 'API token "Finance system"'.
    via: str = ""

    def actor(self) -> Any:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def ip_address(self) -> str | None:
        return client_ip(self.request) if self.request is not None else None


_context: ContextVar[AuditContext | None] = ContextVar("preventhub_audit_context", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, trusting only as many X-Forwarded-For hops as we have proxies.

    In its canonical form, so the audit trail and the lock-out count one address once however
    it was spelt.
    """
    proxies = settings.PREVENTHUB_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and _is_ip(forwarded[-proxies]):
            return canonical_ip(forwarded[-proxies])
    remote = request.META.get("REMOTE_ADDR") or ""
    return canonical_ip(remote) if _is_ip(remote) else None


def canonical_ip(value: str | None) -> str | None:
    """An address in the one form the database stores and returns, whatever spelling arrived.

    IPv6 compressed and lower case (RFC 5952); an IPv4-mapped IPv6 address as ``::ffff:a.b.c.d``,
    as Django's GenericIPAddressField and PostgreSQL's inet both give it. Anything that is not an
    address is returned unchanged.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return address.compressed


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@contextmanager
def acting(*, request: HttpRequest | None = None, label: str = "", via: str = "") -> Iterator[None]:
    """Attribute everything recorded inside the block to this request or to ``label``.

    ``via`` names what acted for the request's user (an API token), and is kept with the actor.
    """
    token = _context.set(AuditContext(request=request, label=label, via=via))
    try:
        yield
    finally:
        _context.reset(token)


def _model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def is_audited(model: type[models.Model]) -> bool:
    label = _model_label(model)
    if label in NOT_AUDITED_MODELS or model._meta.abstract or model._meta.proxy:
        return False
    return model.__module__.startswith(AUDITED_APP_PREFIX) or label in EXTRA_AUDITED_MODELS


def _is_secret(field: models.Field) -> bool:
    name = field.name.lower()
    return (
        any(part in name for part in SECRET_NAME_PARTS)
        or "encrypted" in type(field).__name__.lower()
    )


def _jsonable(value: Any) -> Any:
    """A value as it is stored in the log: JSON primitives only, so hashes are stable."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's values, secrets included: kept in memory to compare, never written as is."""
    return {
        field.name: _jsonable(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.name not in NOISE_FIELDS
    }


def _changes(
    model: type[models.Model], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    """Field-level before and after for what differs, with secret values replaced by HIDDEN."""
    secret = {field.name for field in model._meta.concrete_fields if _is_secret(field)}
    changes: dict[str, Any] = {}
    for name in after.keys() | before.keys():
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in secret:
            old = HIDDEN if old not in (None, "") else old
            new = HIDDEN if new not in (None, "") else new
        changes[name] = {"before": old, "after": new}
    return changes


def entry_digest(event: AuditEvent) -> str:
    """The hash of an entry's content and its predecessor's hash."""
    content = [
        event.sequence,
        event.occurred_at.astimezone(datetime.UTC).isoformat(),
        event.actor_id,
        event.actor_label,
        canonical_ip(event.ip_address),
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.changes,
        event.detail,
        event.previous_hash,
    ]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lock_chain(using: str = "default") -> None:
    """Take the chain's lock until the transaction ends: what every entry appended takes, and
    what the referral tallies' triggers take before they write (casework migration 0009)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: settings open every transaction with BEGIN IMMEDIATE, which already serialises
    # writers, so two entries can never take the same predecessor.


def _chain_head(using: str) -> tuple[int, str] | None:
    """The last entry's sequence number and hash.

    Written as SQL: every audited write reads it, and building the same ORM query each time was
    a tenth of the time of a service that writes many rows (the demo's load, an import's)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    sequence, entry_hash = (
        quote(AuditEvent._meta.get_field(name).column) for name in ("sequence", "entry_hash")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sequence}, {entry_hash} FROM {quote(AuditEvent._meta.db_table)} "  # noqa: S608 - names, no input
            f"ORDER BY {sequence} DESC LIMIT 1"
        )
        return cursor.fetchone()


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: str = "",
    actor: Any = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one entry to the chain, attributed to the current request unless told otherwise."""
    from django.utils import timezone

    context = _context.get()
    if actor is None and context is not None:
        actor = context.actor()
    if ip_address is None and context is not None:
        ip_address = context.ip_address()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if actor is not None:
        actor_label = getattr(actor, "email", "") or str(actor)
        if context is not None and context.via:
            actor_label = f"{actor_label} via {context.via}"
    else:
        actor_label = (
            context.label
            if context is not None and context.label
            else "anonymous"
            if context is not None and context.request is not None
            else "system"
        )

    using = router.db_for_write(AuditEvent)
    # No savepoint of its own: a failed insert fails the caller's transaction anyway (the change
    # it records must not outlive it), and the two extra round trips per entry add up when a
    # service records thousands of entries.
    with transaction.atomic(using=using, savepoint=False):
        lock_chain(using)
        last = _chain_head(using)
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            sequence=sequence,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=actor_label[:254],
            ip_address=canonical_ip(ip_address),
            action=action[:20],
            object_type=object_type[:100],
            object_id=object_id[:64],
            object_repr=object_repr[:200],
            changes={key: value for key, value in (changes or {}).items()},
            detail=detail[:500],
            previous_hash=previous_hash,
        )
        # Hashed as the database gives it back: PostgreSQL's jsonb rewrites numbers (1e16,
        # -0.0) and refuses NaN, so non-integer numbers are kept as their text, as snapshots are.
        event.changes = json.loads(
            json.dumps(event.changes, default=_jsonable), parse_float=str, parse_constant=str
        )
        event.entry_hash = entry_digest(event)
        _insert(event, using)
    return event


_ENTRY_FIELDS = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_sql(using: str) -> str:
    connection = connections[using]
    quote = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    return (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "  # noqa: S608 - names, no input
        f"({', '.join(quote(field.column) for field in _ENTRY_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_ENTRY_FIELDS))})"
        + (f" RETURNING {quote(AuditEvent._meta.pk.column)}" if returning else "")
    )


def _insert(event: AuditEvent, using: str) -> None:
    """Insert ``event`` as ``save()`` would, in SQL written once per process: every audited write
    makes an entry, and Django building the same INSERT each time was a quarter of the time of a
    service that writes many rows. No signal listens to the log's own rows."""
    connection = connections[using]
    returning = connection.features.can_return_columns_from_insert
    values = [
        field.get_db_prep_save(getattr(event, field.attname), connection) for field in _ENTRY_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(using), values)
        event.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    event._state.adding = False
    event._state.db = using


def record_access(obj: models.Model, *, purpose: str = "", actor: Any = None) -> AuditEvent:
    """Log that the current user read ``obj`` (call it from any view showing case data)."""
    return record(action=AuditEvent.Action.READ, obj=obj, detail=purpose, actor=actor)


def record_export(*, what: str, rows: int, detail: str = "", actor: Any = None) -> AuditEvent:
    """Log that the current user downloaded ``rows`` rows of ``what``."""
    return record(
        action=AuditEvent.Action.EXPORT,
        object_type=what,
        object_repr=f"{rows} rows",
        changes={"rows": rows},
        detail=detail,
        actor=actor,
    )


# ---- bulk writes -----------------------------------------------------------------------------

# The bulk writes that record no summary entry of their own, by "module.function", and why.
# Everything else goes through bulk_write(); tests/core/test_bulk_writes.py holds both to it.
UNRECORDED_BULK_WRITES: dict[str, str] = {
    "preventhub.core.concurrency.save_versioned": (
        "claims the next version number; the save() that follows records the change"
    ),
    "preventhub.casework.services.common.index_referral": (
        "a blind index is derived from the referral's name and date of birth, whose change the "
        "referral's own entry records; it is a secret, never written to the trail"
    ),
    "preventhub.accounts.services._new_backup_codes": (
        "backup codes are secrets; its callers record a two-factor entry for them"
    ),
    "preventhub.schools.tasks.run_gias_import": (
        "the progress and outcome of a queued import run; the import records its own entry"
    ),
    "preventhub.schools.tasks.fail_stale_runs": (
        "the outcome of import runs whose worker stopped: nothing was imported, so no entry"
    ),
    "preventhub.reports.tasks.run_build": (
        "the progress and outcome of a queued report file; asking for it and downloading it are "
        "recorded (the build's creation and the export)"
    ),
    "preventhub.reports.tasks.fail_stale_builds": (
        "the outcome of report files whose worker stopped: nothing was kept, so no entry"
    ),
    "preventhub.core.once.claim": (
        "a form's once-only token taken back from a sending that never finished; the trail "
        "records what a form changes, not that it was sent"
    ),
    "preventhub.core.once.settle": (
        "where a form's first sending went, kept with its once-only token; the trail records "
        "what the form changed"
    ),
    "preventhub.core.models.ReminderRun.heard_of": (
        "the progress of a reminder run; the run's outcome is saved and recorded when it ends"
    ),
    "preventhub.core.models.ReminderRun.fail_stale": (
        "the outcome of reminder runs whose worker stopped; what they sent is in the e-mails' "
        "own records (a school's new link, a return's history)"
    ),
}


@dataclass
class BulkWrite:
    """A write in bulk under way: the code inside the block sets ``rows``, and may set
    ``changes`` to say more (counts, never personal data or encrypted values)."""

    action: str
    object_type: str
    description: str
    obj: models.Model | None = None
    object_repr: str = ""
    rows: int = 0
    changes: dict[str, Any] | None = None


@contextmanager
def bulk_write(
    what: type[models.Model] | str,
    *,
    action: str,
    description: str,
    obj: models.Model | None = None,
    object_repr: str = "",
) -> Iterator[BulkWrite]:
    """Declare a write that skips the signals, and record one summary entry for it.

    ``what`` is the model written (or a label for several); ``description`` says what the write
    did in a few words, never with personal data. The entry is about ``obj`` if given. It is
    written when the block ends, in the same transaction as the write, and only if the block
    wrote something: ``rows`` or ``changes`` set.

    ::

        with audit.bulk_write(RoundSchool, action=AuditEvent.Action.CREATE,
                              description="Schools in scope of a new round") as write:
            write.rows = len(RoundSchool.objects.bulk_create(places))
    """
    object_type = what if isinstance(what, str) else _model_label(what)
    write = BulkWrite(
        action=action,
        object_type=object_type,
        description=description,
        obj=obj,
        object_repr=object_repr,
    )
    with transaction.atomic():
        yield write
        if write.rows or write.changes:
            _record_bulk(write, what)


def _record_bulk(write: BulkWrite, what: type[models.Model] | str) -> AuditEvent:
    if write.object_repr:
        object_repr = write.object_repr
    elif write.obj is not None:
        object_repr = ""
    elif isinstance(what, str):
        object_repr = f"{write.rows} rows"
    else:
        name = what._meta.verbose_name if write.rows == 1 else what._meta.verbose_name_plural
        object_repr = f"{write.rows} {name}"
    return record(
        action=write.action,
        obj=write.obj,
        object_type="" if write.obj is not None else write.object_type,
        object_repr=object_repr,
        changes=write.changes if write.changes is not None else {"rows": write.rows},
        detail=write.description,
    )


# ---- signal handlers -------------------------------------------------------------------------


def _stored(pk: Any, model: type[models.Model]) -> models.QuerySet[Any]:
    return model._default_manager.filter(pk=pk)


def _remember_before(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    if not is_audited(sender) or instance._state.adding or instance.pk is None:
        return
    # Every audited update reads the row first: its query is built once per model for every
    # key (core.prepared; every audited model has an integer key, which a test checks), not
    # again on each save (~1 ms a save, now a tenth of it).
    found = prepared.objects_for(_stored, instance.pk, sender, using=using)
    instance._audit_before = _snapshot(found[0]) if found else None


def _record_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw or not is_audited(sender):
        return
    after = _snapshot(instance)
    if created:
        record(action=AuditEvent.Action.CREATE, obj=instance, changes=_changes(sender, {}, after))
        return
    before = getattr(instance, "_audit_before", None) or {}
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        after = {name: value for name, value in after.items() if name in update_fields}
        before = {name: value for name, value in before.items() if name in update_fields}
    changes = _changes(sender, before, after)
    if changes:
        record(action=AuditEvent.Action.UPDATE, obj=instance, changes=changes)


def _record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not is_audited(sender):
        return
    record(
        action=AuditEvent.Action.DELETE,
        obj=instance,
        changes=_changes(sender, _snapshot(instance), {}),
    )


def _record_m2m(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if reverse or not is_audited(type(instance)):
        return
    field_name = next(
        (
            field.name
            for field in type(instance)._meta.many_to_many
            if field.remote_field.through is sender
        ),
        "",
    )
    if action == "pre_clear":
        instance._audit_cleared = [str(item) for item in getattr(instance, field_name).all()]
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear":
        names = getattr(instance, "_audit_cleared", [])
    else:
        names = sorted(str(item) for item in model._default_manager.filter(pk__in=pk_set or []))
    if not names:
        return
    change_key = "added" if action == "post_add" else "removed"
    is_roles = field_name == "groups" and _model_label(type(instance)) == _model_label(
        _user_model()
    )
    record(
        action=AuditEvent.Action.ROLE_CHANGE if is_roles else AuditEvent.Action.UPDATE,
        obj=instance,
        changes={field_name: {change_key: names}},
    )


def _user_model() -> type[models.Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()


def connect_signals() -> None:
    pre_save.connect(_remember_before, dispatch_uid="preventhub_audit_pre_save")
    post_save.connect(_record_save, dispatch_uid="preventhub_audit_post_save")
    post_delete.connect(_record_delete, dispatch_uid="preventhub_audit_post_delete")
    m2m_changed.connect(_record_m2m, dispatch_uid="preventhub_audit_m2m")


# ---- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """One place where the chain does not hold, and why."""

    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    breaks: tuple[ChainBreak, ...] = ()
    head: str = ""  # "sequence:hash" of the last entry, to keep somewhere else as an anchor

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def broken_at(self) -> int | None:
        """The first entry that does not fit, if any."""
        return self.breaks[0].sequence if self.breaks else None

    @property
    def reason(self) -> str:
        return self.breaks[0].reason if self.breaks else ""


def verify_chain(*, anchor: str = "") -> ChainReport:
    """Recompute every hash in order and report every entry that does not fit the chain.

    The walk does not stop at a break: after one, each entry is checked against the entry stored
    before it, so a second change further on is reported too, not hidden by the first.

    A chain alone cannot show that its newest entries were cut off. ``anchor`` is a
    "sequence:hash" printed by an earlier run and kept outside the database: the check then
    also fails unless that entry is still present, unchanged.
    """
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    last_sequence = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        checked += 1
        if event.sequence != expected_sequence:
            missing = (
                f"entry {expected_sequence} is missing"
                if event.sequence == expected_sequence + 1
                else f"entries {expected_sequence} to {event.sequence - 1} are missing"
            )
            breaks.append(
                ChainBreak(expected_sequence, f"{missing} (the next entry is {event.sequence})")
            )
        elif event.previous_hash != expected_previous:
            breaks.append(
                ChainBreak(event.sequence, "its link to the entry before it does not match")
            )
        if entry_digest(event) != event.entry_hash:
            breaks.append(
                ChainBreak(event.sequence, "its content was changed after it was written")
            )
        expected_previous = event.entry_hash
        expected_sequence = event.sequence + 1
        last_sequence = event.sequence
    head = f"{last_sequence}:{expected_previous}" if checked else ""
    if anchor:
        sequence_text, _, anchor_hash = anchor.partition(":")
        stored = (
            AuditEvent.objects.filter(sequence=int(sequence_text))
            .values_list("entry_hash", flat=True)
            .first()
        )
        if stored != anchor_hash:
            breaks.append(
                ChainBreak(
                    int(sequence_text),
                    "the anchored entry is missing or different: entries were removed or rewritten",
                )
            )
    return ChainReport(checked, tuple(breaks), head)
