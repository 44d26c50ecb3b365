"""Plain rows written straight to a table, for imports of a whole country's data.

``bulk_create()`` builds a model object for every row and SQL for every batch; at 1.4 million
rows that is most of an import's time. :func:`insert_rows` sends plain tuples instead: COPY on
PostgreSQL, one prepared statement run for every row on SQLite. It sends no signals, so the
caller writes inside ``audit.bulk_write`` (one summary entry), like any bulk write.
"""

from __future__ import annotations

from collections.abc import Sequence
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
