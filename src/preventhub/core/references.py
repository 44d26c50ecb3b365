"""What points at a record: to refuse a delete with an explanation, and to merge duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Reference:
    """Rows of one kind that point at a record through one relation."""

    label: str  # plural, readable: "memberships", "users"
    model: type[models.Model]
    field_name: str
    count: int


def references_to(obj: models.Model) -> list[Reference]:
    """Every row in the database that points at ``obj`` by a foreign key or many-to-many."""
    found = []
    for relation in obj._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one or relation.many_to_many):
            continue
        model = relation.related_model
        field_name = relation.field.name
        if relation.many_to_many:
            count = model._default_manager.filter(**{field_name: obj}).count()
        else:
            count = model._default_manager.filter(**{field_name: obj.pk}).count()
        if count:
            found.append(Reference(str(model._meta.verbose_name_plural), model, field_name, count))
    return found


def describe(references: list[Reference]) -> str:
    """ "3 memberships and 1 user" """
    parts = [
        f"{ref.count} {ref.label if ref.count != 1 else ref.model._meta.verbose_name}"
        for ref in references
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
