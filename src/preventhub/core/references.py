"""What points at a record: to refuse a delete with an explanation, and to merge duplicates.

Every relation in every installed app is found, including those an app hides from the other
side with ``related_name="+"`` (casework's referral points at its police force and panel that
way): a delete that missed one would end in a ``ProtectedError`` instead of an explanation.

An app whose rows must stay with the record they point at, whatever a merge says, declares it
with :func:`keep_on_merge`, giving the reason; a merge then refuses rather than move them. It may
also ask for the rows never to be counted in a message: casework's referrals are named ("referrals
refer to it") but not counted, since a count of cases per force or panel outside casework would
skip the statistical protection every case figure passes through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import ForeignObjectRel

_kept_on_merge: dict[tuple[str, str], str] = {}
_not_counted: set[tuple[str, str]] = set()


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


def keep_on_merge(
    model: type[models.Model], field_name: str, *, reason: str, counted: bool = True
) -> None:
    """Declare that a merge must never move ``model`` rows from the record ``field_name`` names.

    Called by the app that owns ``model`` (from its ``AppConfig.ready``). ``reason`` is a
    sentence saying why, e.g. "a referral stays with the police force that received it".
    ``counted=False`` keeps the number of such rows out of every message.
    """
    key = (model._meta.label_lower, field_name)
    _kept_on_merge[key] = reason
    if counted:
        _not_counted.discard(key)
    else:
        _not_counted.add(key)


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
                    counted=(model._meta.label_lower, field_name) not in _not_counted,
                )
            )
    return found


def protected_references(objects: Iterable[models.Model]) -> list[Reference]:
    """The rows a ``ProtectedError`` or ``RestrictedError`` names, counted by kind.

    Rows of a model with any relation declared not counted are named without a number.
    """
    counts: dict[type[models.Model], int] = {}
    for row in objects:
        counts[type(row)] = counts.get(type(row), 0) + 1
    return [
        Reference(
            str(model._meta.verbose_name_plural),
            model,
            "",
            count,
            counted=not any(label == model._meta.label_lower for label, _ in _not_counted),
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
