"""What points at a shared record: to refuse a delete with an explanation, and to merge duplicates.

``core`` imports no domain app, so each app registers what of its own points at the shared
records (organisations, boards, contacts), from its ``AppConfig.ready()``, with
:func:`register_references`: one :class:`Relation` per foreign key or many-to-many, saying how a
merge moves its rows (``reassign``, the app's own choice of function: :func:`move_rows` for a
plain move) or why a merge must leave them where they are (``kept_on_merge``, with the reason).
:func:`references_to` asks only the registrations, so it sees a relation an app hides from the
other side with ``related_name="+"`` (casework's referral points at its police force and panel
that way) as well as any other. ``tests/core/test_references.py`` checks, by reflection, that
every relation of every installed model to an organisation, a board or a contact is registered:
a delete that missed one would end in a ``ProtectedError`` instead of an explanation.

A relation may also ask for its rows never to be counted in a message: casework's referrals are
named ("referrals refer to it") but not counted, since a count of cases per force or panel outside
casework would skip the statistical protection every case figure passes through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from preventhub.core import audit
from preventhub.core.models import AuditEvent

# Moves the rows of ``model`` whose ``field_name`` points at ``duplicate`` onto ``keep``; returns
# how many rows it moved.
Reassign = Callable[..., int]


@dataclass(frozen=True)
class Relation:
    """One relation of an app's model to a shared record, as the app that owns it registers it."""

    model: type[models.Model]
    field_name: str
    # How a merge moves these rows; None when a merge must refuse (say why in kept_on_merge).
    reassign: Reassign | None = field(default=None, compare=False)
    # Why a merge must leave these rows where they are, e.g. "a referral stays with the police
    # force that received it".
    kept_on_merge: str = ""
    # False keeps the number of such rows out of every message.
    counted: bool = True

    @property
    def target(self) -> type[models.Model]:
        return self.model._meta.get_field(self.field_name).related_model

    @property
    def many_to_many(self) -> bool:
        return self.model._meta.get_field(self.field_name).many_to_many

    @property
    def key(self) -> tuple[str, str]:
        return (self.model._meta.label_lower, self.field_name)


_relations: dict[tuple[str, str], Relation] = {}


def register_references(*relations: Relation) -> None:
    """Register what of an app's own points at shared records (call it from ``ready()``)."""
    for relation in relations:
        _relations[relation.key] = relation


def registered_relations(target: type[models.Model]) -> list[Relation]:
    """The registered relations pointing at ``target``, in the order of the installed apps."""
    order = {model: number for number, model in enumerate(apps.get_models())}
    return sorted(
        (relation for relation in _relations.values() if relation.target is target),
        key=lambda relation: (order.get(relation.model, len(order)), relation.field_name),
    )


@dataclass(frozen=True)
class Reference:
    """Rows of one kind that point at a record through one relation."""

    label: str  # plural, readable: "memberships", "users"
    model: type[models.Model]
    field_name: str
    count: int
    many_to_many: bool = False
    # Why a merge must leave these rows where they are; "" when a merge may move them.
    kept_on_merge: str = ""
    # False when messages name these rows without saying how many.
    counted: bool = True
    reassign: Reassign | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The label, singular for one row: "membership", "memberships"."""
        if self.counted and self.count == 1:
            return str(self.model._meta.verbose_name)
        return self.label

    @property
    def wording(self) -> str:
        """ "1 membership", "3 memberships", or "referrals" when not counted."""
        return f"{self.count} {self.name}" if self.counted else self.name

    @property
    def plural(self) -> bool:
        return not self.counted or self.count != 1

    def move(self, *, duplicate: models.Model, keep: models.Model) -> int:
        """Move these rows onto ``keep``, by the function their app registered."""
        if self.reassign is None:
            raise ValueError(f"{self.label} are kept on merge: {self.kept_on_merge}")
        return self.reassign(
            model=self.model, field_name=self.field_name, duplicate=duplicate, keep=keep
        )


def references_to(obj: models.Model) -> list[Reference]:
    """Every registered relation's rows that point at ``obj``, counted by relation."""
    found = []
    for relation in registered_relations(type(obj)):
        manager = relation.model._default_manager
        value = obj if relation.many_to_many else obj.pk
        count = manager.filter(**{relation.field_name: value}).count()
        if count:
            found.append(
                Reference(
                    label=str(relation.model._meta.verbose_name_plural),
                    model=relation.model,
                    field_name=relation.field_name,
                    count=count,
                    many_to_many=relation.many_to_many,
                    kept_on_merge=relation.kept_on_merge
                    or ("" if relation.reassign else "they cannot be moved"),
                    counted=relation.counted,
                    reassign=relation.reassign,
                )
            )
    return found


def move_rows(
    *, model: type[models.Model], field_name: str, duplicate: models.Model, keep: models.Model
) -> int:
    """The plain move, for an app to register as its ``reassign``: every row of ``model`` that
    points at ``duplicate`` by ``field_name`` points at ``keep`` instead.

    A foreign key is moved in one ``UPDATE``, with one summary entry in the audit trail; a
    many-to-many row by row, each change recorded.
    """
    target = type(duplicate)._meta
    description = f"Moved from {target.verbose_name} {duplicate.pk} to {keep.pk} in a merge"
    if model._meta.get_field(field_name).many_to_many:
        rows = list(model._default_manager.filter(**{field_name: duplicate}))
        for row in rows:
            getattr(row, field_name).remove(duplicate)
            getattr(row, field_name).add(keep)
        return len(rows)
    with audit.bulk_write(model, action=AuditEvent.Action.UPDATE, description=description) as write:
        write.rows = model._default_manager.filter(**{field_name: duplicate.pk}).update(
            **{field_name: keep}
        )
    return write.rows


def protected_references(objects: Iterable[models.Model]) -> list[Reference]:
    """The rows a ``ProtectedError`` or ``RestrictedError`` names, counted by kind.

    Rows of a model with any relation declared not counted are named without a number.
    """
    counts: dict[type[models.Model], int] = {}
    for row in objects:
        counts[type(row)] = counts.get(type(row), 0) + 1
    not_counted = {relation.model for relation in _relations.values() if not relation.counted}
    return [
        Reference(
            str(model._meta.verbose_name_plural),
            model,
            "",
            count,
            counted=model not in not_counted,
        )
        for model, count in counts.items()
    ]


def describe(references: list[Reference]) -> str:
    """ "3 memberships and 1 user"; "2 memberships and referrals" """
    parts = [ref.wording for ref in references]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def refer(references: list[Reference]) -> str:
    """ "1 user refers", "3 users refer", "referrals refer" """
    plural = len(references) > 1 or any(ref.plural for ref in references)
    return f"{describe(references)} {'refer' if plural else 'refers'}"
