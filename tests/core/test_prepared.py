"""A kept query is built once, and every run of it reads the data as it is then."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.test.utils import CaptureQueriesContext

from preventhub.core import prepared
from preventhub.partnership.models import Area, Organisation

pytestmark = pytest.mark.django_db

built: list[tuple] = []


def organisations_named(prefix: str) -> QuerySet[Organisation]:
    built.append(("values", prefix))
    return (
        Organisation.objects.filter(name__startswith=prefix)
        .values("is_archived", "name")
        .order_by("name")
    )


def organisations_with_area(prefix: str) -> QuerySet[Organisation]:
    built.append(("objects", prefix))
    return (
        Organisation.objects.filter(name__startswith=prefix)
        .select_related("area")
        .annotate(contacts_held=Count("contacts"))
        .order_by("name")
    )


def nothing_can_match() -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=[]).values("name")


def prefetching() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related("contacts")


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    prepared.forget()
    built.clear()
    yield
    prepared.forget()


@pytest.fixture
def area() -> Area:
    return Area.objects.create(gss_code="E07000197", name="Stafford", kind=Area.Kind.DISTRICT)


def test_a_query_is_built_once_and_each_run_reads_the_rows_there_are_now(area: Area) -> None:
    Organisation.objects.create(name="Kept Trust", area=area)
    assert prepared.rows(organisations_named, "Kept") == [
        {"is_archived": False, "name": "Kept Trust"}
    ]
    Organisation.objects.create(name="Kept Academy", is_archived=True)
    assert prepared.rows(organisations_named, "Kept") == [
        {"is_archived": True, "name": "Kept Academy"},
        {"is_archived": False, "name": "Kept Trust"},
    ]
    assert built == [("values", "Kept")]


def test_a_query_run_again_and_again_is_planned_once_by_postgresql(area: Area) -> None:
    """PostgreSQL prepares a statement once it has run five times on a connection and then skips
    parsing and planning it (settings: DATABASE_PREPARED_STATEMENTS); the rows are still read
    afresh each time. SQLite's driver keeps its compiled statements itself."""
    Organisation.objects.create(name="Kept Trust", area=area)
    for count in range(1, 8):
        Organisation.objects.create(name=f"Kept Academy {count}")
        assert len(prepared.rows(organisations_named, "Kept")) == count + 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements "
                "WHERE statement LIKE '%%partnership_organisation%%name%%LIKE%%'"
            )
            assert cursor.fetchone()[0] == 1


def test_other_arguments_are_another_query(area: Area) -> None:
    Organisation.objects.create(name="Kept Trust", area=area)
    Organisation.objects.create(name="Other Trust", area=area)
    assert [row["name"] for row in prepared.rows(organisations_named, "Other")] == ["Other Trust"]
    assert [row["name"] for row in prepared.rows(organisations_named, "Kept")] == ["Kept Trust"]
    assert built == [("values", "Other"), ("values", "Kept")]


def test_instances_come_with_their_related_objects_and_annotations(area: Area) -> None:
    trust = Organisation.objects.create(name="Kept Trust", area=area)
    trust.contacts.create(name="A Person", email="a.person@example.org")
    Organisation.objects.create(name="Kept School")
    expected = list(organisations_with_area("Kept"))
    found = prepared.objects(organisations_with_area, "Kept")
    assert found == expected
    assert [(o.name, o.contacts_held) for o in found] == [("Kept School", 0), ("Kept Trust", 1)]
    with CaptureQueriesContext(connection) as queries:
        assert found[1].area.name == "Stafford"
        assert found[0].area is None
    assert len(queries) == 0  # read with the organisations, not one query each


def test_a_condition_nothing_can_meet_gives_no_rows_without_a_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert prepared.rows(nothing_can_match) == []
    assert len(queries) == 0


def test_a_query_of_the_wrong_kind_is_refused(area: Area) -> None:
    with pytest.raises(TypeError, match="values"):
        prepared.rows(organisations_with_area, "Kept")
    with pytest.raises(TypeError, match="model instances"):
        prepared.objects(organisations_named, "Kept")
    with pytest.raises(TypeError, match="prefetches"):
        prepared.objects(prefetching)


def organisations_counted(prefix: str) -> QuerySet[Organisation]:
    return prepared.whole(
        Organisation.objects.filter(name__startswith=prefix),
        held=Count("pk"),
        archived=Count("pk", filter=Q(is_archived=True)),
    )


def nothing_counted() -> QuerySet[Organisation]:
    return prepared.whole(Organisation.objects.filter(pk__in=[]), held=Count("pk"))


def test_totals_are_what_aggregate_gives_read_afresh_each_time(area: Area) -> None:
    assert prepared.totals(organisations_counted, "Kept") == {"held": 0, "archived": 0}
    Organisation.objects.create(name="Kept Trust", area=area)
    Organisation.objects.create(name="Kept Academy", is_archived=True)
    Organisation.objects.create(name="Other School")
    expected = Organisation.objects.filter(name__startswith="Kept").aggregate(
        held=Count("pk"), archived=Count("pk", filter=Q(is_archived=True))
    )
    assert prepared.totals(organisations_counted, "Kept") == expected == {"held": 2, "archived": 1}
    assert prepared.totals(nothing_counted) == {"held": 0}


def first_named(prefix: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(name__startswith=prefix).order_by("name")[:1]


def test_first_is_the_first_instance_or_none(area: Area) -> None:
    assert prepared.first(first_named, "Kept") is None
    Organisation.objects.create(name="Kept Trust", area=area)
    Organisation.objects.create(name="Kept Academy")
    assert prepared.first(first_named, "Kept").name == "Kept Academy"


def organisation_and_namesakes(key: int, suffix: str) -> QuerySet[Organisation]:
    """An organisation by id, with a count that names the id again in a subquery."""
    built.append(("for any", suffix))
    namesakes = Organisation.objects.filter(pk=key).values("name")
    return (
        Organisation.objects.filter(pk=key, name__endswith=suffix)
        .select_related("area")
        .annotate(named_alike=Count("pk", filter=Q(name__in=namesakes)))
    )


def organisation_by_name(key: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(name="not the id")


def test_a_query_for_any_id_is_built_once_and_run_with_each_id(area: Area) -> None:
    trust = Organisation.objects.create(name="Kept Trust", area=area)
    academy = Organisation.objects.create(name="Kept Academy Trust")
    other = Organisation.objects.create(name="Other School")

    found = [
        prepared.objects_for(organisation_and_namesakes, organisation.pk, "Trust")
        for organisation in (trust, academy, other)
    ]

    assert [[(each.name, each.area, each.named_alike) for each in one] for one in found] == [
        [("Kept Trust", area, 1)],
        [("Kept Academy Trust", None, 1)],
        [],
    ]
    assert built == [("for any", "Trust")]
    assert prepared.objects_for(organisation_and_namesakes, other.pk, "School")[0] == other
    assert built == [("for any", "Trust"), ("for any", "School")]


def organisation_named(key: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(name=key)


def test_a_query_for_any_text_key_is_run_with_each_key(area: Area) -> None:
    trust = Organisation.objects.create(name="Kept Trust", area=area)
    assert prepared.objects_for(organisation_named, "Kept Trust") == [trust]
    assert prepared.objects_for(organisation_named, "Kept") == []
    # Its SQL was made once, for a stand-in; the key is a parameter, never part of the SQL.
    assert prepared.objects_for(organisation_named, "x' OR '1'='1") == []


def test_an_id_no_row_can_have_finds_nothing_without_asking_the_database(area: Area) -> None:
    Organisation.objects.create(name="Kept Trust", area=area)
    with CaptureQueriesContext(connection) as queries:
        for beyond in (2**63, -(2**63) - 1, 10**30):
            assert prepared.objects_for(organisation_and_namesakes, beyond, "Trust") == []
    assert len(queries) == 0


def test_a_query_for_any_key_that_does_not_use_the_key_is_refused() -> None:
    with pytest.raises(TypeError, match="the key it is built with"):
        prepared.objects_for(organisation_by_name, 1)
    with pytest.raises(TypeError, match="int or str"):
        prepared.objects_for(organisation_named, None)  # type: ignore[arg-type]
