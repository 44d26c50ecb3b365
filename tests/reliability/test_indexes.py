"""No index that only costs writes: every row written updates each index of its table, and the
audit trail, written with every change and every read of a case, grows for ever.

An index is redundant when another index or unique constraint of the same table begins with its
columns: the longer one serves every look-up the shorter would, a foreign key's cascades
included. Django gives a foreign key an index of its own unless told ``db_index=False``, and on
PostgreSQL a second index for ``LIKE`` to every text column indexed with ``db_index=True``; both
are checked here on the database the tests run on. Not checked: the tables Django makes for a
many-to-many field, whose indexes it offers no way to choose, and the ``LIKE`` index PostgreSQL
is given beside a unique text column, which serves ``startswith`` look-ups the unique index
cannot (``exchange.services`` numbers requests that way).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db


def _partial(model: Any) -> set[str]:
    """The model's indexes and unique constraints on some rows only (``condition``): they serve
    no look-up of the others."""
    declared = [*model._meta.indexes, *model._meta.constraints]
    return {item.name for item in declared if getattr(item, "condition", None) is not None}


def _indexes(cursor: Any, model: Any) -> list[tuple[str, tuple[str, ...], bool]]:
    """The table's indexes and unique constraints on every row: name, columns, whether
    unique."""
    found = []
    partial = _partial(model)
    constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    for name, constraint in constraints.items():
        if constraint["check"] or constraint["foreign_key"] or name in partial:
            continue
        if constraint["index"] or constraint["unique"] or constraint["primary_key"]:
            unique = bool(constraint["unique"] or constraint["primary_key"])
            found.append((name, tuple(constraint["columns"]), unique))
    return found


def _redundant(indexes: list[tuple[str, tuple[str, ...], bool]]) -> list[str]:
    redundant = []
    for name, columns, unique in indexes:
        if unique:
            continue
        for other, other_columns, other_unique in indexes:
            if other == name or other_columns[: len(columns)] != columns:
                continue
            if name.endswith("_like") and other_unique and other_columns == columns:
                continue  # PostgreSQL's LIKE index beside a unique text column
            longer = len(other_columns) > len(columns)
            # Of two plain indexes on the same columns, the LIKE one is the extra (a text column
            # with db_index=True on PostgreSQL).
            if longer or other_unique or name.endswith("_like"):
                redundant.append(f"{name} ({', '.join(columns)}), covered by {other}")
                break
    return redundant


def test_no_table_of_the_project_has_an_index_another_of_its_indexes_covers() -> None:
    models = [
        model
        for model in apps.get_models()  # not the tables of many-to-many fields
        if model.__module__.startswith("preventhub.") and model._meta.managed
    ]
    assert len(models) > 50
    found = []
    with connection.cursor() as cursor:
        for model in models:
            found += [
                f"{model._meta.db_table}: {line}" for line in _redundant(_indexes(cursor, model))
            ]
    assert not found, "Indexes that only cost writes:\n" + "\n".join(sorted(found))


def test_the_check_finds_a_foreign_key_index_a_unique_constraint_begins_with() -> None:
    indexes = [
        ("delivery_section_pkey", ("id",), True),
        ("delivery_section_plan_id_436371f3", ("plan_id",), False),
        ("delivery_section_code_per_plan", ("plan_id", "code"), True),
    ]
    assert _redundant(indexes) == [
        "delivery_section_plan_id_436371f3 (plan_id), covered by delivery_section_code_per_plan"
    ]


def test_the_check_finds_the_like_twin_of_a_plain_index_but_not_of_a_unique_one() -> None:
    indexes = [
        ("core_auditevent_action", ("action",), False),
        ("core_auditevent_action_like", ("action",), False),
        ("core_auditevent_entry_hash_key", ("entry_hash",), True),
        ("core_auditevent_entry_hash_like", ("entry_hash",), False),
        ("core_audit_object_idx", ("object_type", "object_id"), False),
    ]
    assert _redundant(indexes) == [
        "core_auditevent_action_like (action), covered by core_auditevent_action"
    ]
