"""What points at a record: to refuse a delete with an explanation, and to merge duplicates.

Every relation in every installed app is found, including those an app hides from the other
side with ``related_name="+"`` (casework's referral points at its police force and panel that
way): a delete that missed one would end in a ``ProtectedError`` instead of an explanation.

An app whose rows must stay with the record they point at, whatever a merge says, declares it
with :func:`keep_on_merge`, giving the reason; a merge then refuses rather than move them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import ForeignObjectRel

_kept_on_merge: dict[tuple[str, str], str] = {}


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

    @property
    def name(self) -> str:
        """The label, singular for one row: "1 membership", "3 memberships"."""
        return self.label if self.count != 1 else str(self.model._meta.verbose_name)


def keep_on_merge(model: type[models.Model], field_name: str, *, reason: str) -> None:
    """Declare that a merge must never move ``model`` rows from the record ``field_name`` names.

    Called by the app that owns ``model`` (from its ``AppConfig.ready``). ``reason`` finishes
    the sentence "... cannot be merged because these rows ...", e.g. "stay with the force they
    were made to".
    """
    _kept_on_merge[(model._meta.label_lower, field_name)] = reason


def reverse_relations(model: type[models.Model]) -> Iterator[ForeignObjectRel]:
    """Every foreign key, one-to-one and many-to-many in any app that points at ``model``."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue
        # A many-to-many's own join table is counted through the many-to-many itself.
        if relation.related_model._meta.auto_created:
            continue
        yield relation


def references_to(obj: models.Model) -> list[Reference]:
    """Every row in the database that points at ``obj`` by a foreign key or many-to-many."""
    found = []
    for relation in reverse_relations(type(obj)):
        model = relation.related_model
        field_name = relation.field.name
        if relation.many_to_many:
            count = model._default_manager.filter(**{field_name: obj}).count()
        else:
            count = model._default_manager.filter(**{field_name: obj.pk}).count()
        if count:
            found.append(
                Reference(
                    label=str(model._meta.verbose_name_plural),
                    model=model,
                    field_name=field_name,
                    count=count,
                    many_to_many=relation.many_to_many,
                    kept_on_merge=_kept_on_merge.get((model._meta.label_lower, field_name), ""),
                )
            )
    return found


def protected_references(objects: Iterable[models.Model]) -> list[Reference]:
    """The rows a ``ProtectedError`` or ``RestrictedError`` names, counted by kind."""
    counts: dict[type[models.Model], int] = {}
    for row in objects:
        counts[type(row)] = counts.get(type(row), 0) + 1
    return [
        Reference(str(model._meta.verbose_name_plural), model, "", count)
        for model, count in counts.items()
    ]


def describe(references: list[Reference]) -> str:
    """ "3 memberships and 1 user" """
    parts = [f"{ref.count} {ref.name}" for ref in references]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
