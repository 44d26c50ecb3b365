"""A bulk import pauses Python's cycle collector while it runs, and always starts it again."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from preventhub.audits.imports import ImportProblems
from preventhub.core.bulk import cycle_collection_paused
from preventhub.schools import gias
from preventhub.schools.gias import GiasImportError


@pytest.fixture(autouse=True)
def _collector_running() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_import_that_fails() -> None:
    seen: list[bool] = []

    @cycle_collection_paused()
    def failing_import() -> None:
        seen.append(gc.isenabled())
        raise ImportProblems(["Row 2: something is wrong."])

    with pytest.raises(ImportProblems):
        failing_import()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.django_db
def test_a_gias_import_reads_with_the_collector_paused_and_leaves_it_running_when_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    read = gias.read_rows

    def watched(*arguments: object) -> object:
        seen.append(gc.isenabled())
        return read(*arguments)

    monkeypatch.setattr(gias, "read_rows", watched)
    with pytest.raises(GiasImportError):
        gias.import_gias(b"URN,EstablishmentName\n1,Not enough columns\n", la_codes=["860"])
    assert seen == [False]
    assert gc.isenabled()
