"""Plain rows written straight to a table, for imports of a whole country's data.

``bulk_create()`` builds a model object for every row and SQL for every batch; at 1.4 million
rows that is most of an import's time. :func:`insert_rows` sends plain tuples instead: COPY on
PostgreSQL, one prepared statement run for every row on SQLite. It sends no signals, so the
caller writes inside ``audit.bulk_write`` (one summary entry), like any bulk write.

:func:`cycle_collection_paused` keeps Python's cycle collector from scanning, again and again,
the tens of thousands of rows an import holds while it builds them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``fields``, field names or their ``_id``
    columns) into ``model``'s table. Values go as they are: plain text, numbers, dates."""
    if not rows:
        return
    # Names from the model, quoted; every value is a parameter or goes through COPY.
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, rows)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused for a bulk import (also as a decorator), and started again
    after it, however it ends, unless it was paused already.

    The collector runs after every few hundred new lists and tuples, and each of its fuller
    passes walks every one still held: an import building a national file's 50,000 rows had it
    walk them dozens of times, a quarter of a first GIAS import's time on PostgreSQL. An import's
    rows are plain values that refer to no cycle, so nothing waits to be collected meanwhile.
    """
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
