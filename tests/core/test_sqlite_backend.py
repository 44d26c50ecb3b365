"""The SQLite backend: Django's, with each statement's placeholders converted once a process."""

from __future__ import annotations

import sqlite3

from django.conf import settings
from django.db import connection

from preventhub.core.sqlite import base


def _cursor() -> base.CursorWrapper:
    return sqlite3.connect(":memory:").cursor(factory=base.CursorWrapper)


def test_placeholders_become_question_marks_and_a_doubled_percent_one_percent() -> None:
    cursor = _cursor()
    cursor.execute("SELECT %s || '%%' || %s, '%%s'", ["50", "!"])
    assert cursor.fetchall() == [("50%!", "%s")]


def test_the_same_statement_run_again_gives_its_new_values() -> None:
    cursor = _cursor()
    statement = "SELECT %s + %s"
    assert [cursor.execute(statement, [n, 1]).fetchone()[0] for n in (1, 2, 3)] == [2, 3, 4]


def test_a_statement_too_long_to_keep_is_converted_all_the_same() -> None:
    cursor = _cursor()
    longest = "SELECT COUNT(*) FROM (SELECT 1 AS n) WHERE n IN (" + ", ".join(["%s"] * 3000) + ")"
    assert len(longest) > base.LONGEST_KEPT
    assert cursor.execute(longest, list(range(3000))).fetchone() == (1,)


def test_named_parameters_are_djangos_own() -> None:
    cursor = _cursor()
    cursor.execute("SELECT %(first)s || %(second)s", {"first": "a", "second": "b"})
    assert cursor.fetchall() == [("ab",)]


def test_the_project_runs_sqlite_through_it() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine == ("preventhub.core.sqlite" if connection.vendor == "sqlite" else engine)
    assert "sqlite3" not in engine
