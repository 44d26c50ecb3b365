"""Queries the ORM builds once and the database runs many times.

For a small query, building it costs far more than running it: resolving a queryset's filters
and expressions and compiling them to SQL took ~90% of the time of the audit figures on the home
page, the database the rest. Pages run the same few queries with the same arguments on every
request (the current round's figures today, a person's work queue), so :func:`rows` and
:func:`objects` build each once per process and set of arguments, keep its SQL, and run the kept
SQL each time: every figure is still read from the data as it is at that moment. Only the SQL
text and its parameters are kept, never a row.

A query kept here must be a function of its arguments alone: ``build(*arguments)`` returns a
queryset whose SQL depends on nothing else (pass ``today`` or the user's id; never read the clock
or the database while building). The arguments are the key, so they must be hashable and few:
ids, dates, counts and small frozen values, not model instances. A query asked for with many
different keys (the signed-in person and their session, on every request) is kept once for all
of them instead: :func:`objects_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, Model, QuerySet, Value
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Queries kept per process: one for each builder and set of arguments (a few a day per page).
KEPT = 512

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Kept:
    """A compiled query: its SQL (empty when no row can match), and what reads its rows."""

    sql: str
    params: tuple[Any, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]  # each column's converters (Django's own: dates on SQLite, say)
    names: tuple[str, ...]  # for values(): the row's keys, in the select's order
    populators: tuple[Any, ...]  # for models: what fills in select_related objects


@lru_cache(maxsize=KEPT)
def _compiled(
    build: Callable[..., QuerySet[Any]], arguments: tuple[Hashable, ...], using: str
) -> _Kept:
    queryset = build(*arguments)
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise TypeError(f"{build.__qualname__}: prefetches and related managers are not kept")
    query = queryset.query
    compiler = query.get_compiler(using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        # A condition nothing can meet (``pk__in=[]``): no SQL to run, no rows.
        sql, params = "", ()
    if compiler.klass_info is None and not compiler.select:
        compiler.setup_query()  # as_sql stopped early: nothing can match
    # Worked out once, as results_iter() would on every call.
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    if queryset._iterable_class is ValuesIterable:
        # The row's keys in the select's order, as Django's ValuesIterable names them.
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        return _Kept(sql, tuple(params), compiler, converters, names, ())
    if queryset._iterable_class is ModelIterable:
        populators = tuple(get_related_populators(compiler.klass_info, compiler.select, using))
        return _Kept(sql, tuple(params), compiler, converters, (), populators)
    raise TypeError(f"{build.__qualname__} must return model instances or values()")


def _fetch(kept: _Kept, using: str) -> list[Any]:
    if not kept.sql:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(kept.sql, kept.params)
        found = cursor.fetchall()
    if not kept.converters:
        return found
    return list(kept.compiler.apply_converters(found, kept.converters))


def rows(
    build: Callable[..., QuerySet[Any]], *arguments: Hashable, using: str = "default"
) -> list[dict[str, Any]]:
    """The rows of ``build(*arguments)``, a ``values()`` queryset, as dictionaries."""
    kept = _compiled(build, arguments, using)
    if not kept.names and kept.sql:
        raise TypeError(f"{build.__qualname__} must return a values() queryset")
    width = len(kept.names)
    return [dict(zip(kept.names, row[:width], strict=True)) for row in _fetch(kept, using)]


def first(
    build: Callable[..., QuerySet[M]], *arguments: Hashable, using: str = "default"
) -> M | None:
    """The first instance :func:`objects` gives (``build`` slices itself to one: ``[:1]``), or
    None: what ``.first()`` is to a queryset."""
    found = objects(build, *arguments, using=using)
    return found[0] if found else None


def whole(queryset: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """``queryset.aggregate(**aggregates)`` as a ``values()`` queryset that :func:`totals` can
    keep: one row of the aggregates over all its rows (no ``GROUP BY``; its ordering dropped)."""
    return (
        queryset.order_by()
        .values(every=Value(1, output_field=IntegerField()))
        .annotate(**aggregates)
    )


def totals(
    build: Callable[..., QuerySet[Any]], *arguments: Hashable, using: str = "default"
) -> dict[str, Any]:
    """The aggregates of ``build(*arguments)``, a :func:`whole` queryset, as ``aggregate()``
    gives them."""
    found = rows(build, *arguments, using=using)
    if not found:  # a condition nothing can meet: what each aggregate is of no rows (Count 0)
        selected = _compiled(build, arguments, using).compiler.query.annotation_select
        return {
            name: getattr(expression, "empty_result_set_value", None)
            for name, expression in selected.items()
            if name != "every"
        }
    return {name: value for name, value in found[0].items() if name != "every"}


def objects(
    build: Callable[..., QuerySet[M]], *arguments: Hashable, using: str = "default"
) -> list[M]:
    """The model instances of ``build(*arguments)``, with its ``select_related`` objects and
    annotations, as iterating the queryset gives them (without its prefetches)."""
    return _instances(_compiled(build, arguments, using), using)


def _instances(kept: _Kept, using: str) -> list[Any]:
    if kept.names:
        raise TypeError("the query must return model instances, not values()")
    compiler = kept.compiler
    klass_info = compiler.klass_info
    model = klass_info["model"]
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = [column[0].target.attname for column in compiler.select[start:end]]
    found = []
    for row in _fetch(kept, using):
        instance = model.from_db(using, names, row[start:end])
        for populator in kept.populators:
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        found.append(instance)
    return found


# Stand for the key given to objects_for() while its query is built: an id no row has, and a text
# no key is (a session's key is letters and digits).
_STAND_INS: dict[type, Any] = {int: -1_987_654_321, str: "(any key: prepared.objects_for)"}


@dataclass(frozen=True)
class _KeptForAny:
    kept: _Kept
    at: tuple[int, ...]  # where the key goes among the parameters
    # For an id: those the model's primary key can hold. A key beyond them finds nothing, as
    # Django's own lookups have it, rather than a database error (an address can name any number).
    smallest: int
    largest: int


@lru_cache(maxsize=KEPT)
def _compiled_for_any(
    build: Callable[..., QuerySet[Any]], kind: type, arguments: tuple[Hashable, ...], using: str
) -> _KeptForAny:
    stand_in = _STAND_INS[kind]
    kept = _compiled(build, (stand_in, *arguments), using)
    at = tuple(place for place, value in enumerate(kept.params) if value == stand_in)
    if not at:
        raise TypeError(f"{build.__qualname__} must give the key it is built with as a parameter")
    smallest, largest = 0, 0
    if kind is int:
        primary_key = kept.compiler.query.model._meta.pk
        ranges = connections[using].ops.integer_field_range
        smallest, largest = ranges(primary_key.get_internal_type())
    return _KeptForAny(kept, at, smallest, largest)


def objects_for(
    build: Callable[..., QuerySet[M]], key: int | str, *arguments: Hashable, using: str = "default"
) -> list[M]:
    """:func:`objects` of ``build(key, *arguments)``, kept once for every ``key`` (an id of the
    model the query reads, or a text key): the query is built with a stand-in key, and each call
    runs it with its own as a parameter."""
    kind = type(key)
    if kind not in _STAND_INS:
        raise TypeError(f"objects_for() takes an int or str key, not {kind.__name__}")
    for_any = _compiled_for_any(build, kind, arguments, using)
    if kind is int and not for_any.smallest <= key <= for_any.largest:
        return []
    params = list(for_any.kept.params)
    for place in for_any.at:
        params[place] = key
    return _instances(replace(for_any.kept, params=tuple(params)), using)


def forget() -> None:
    """Drop every kept query."""
    _compiled.cache_clear()
    _compiled_for_any.cache_clear()
