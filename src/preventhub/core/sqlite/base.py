"""Django's SQLite backend, with each statement's placeholders converted once in a process.

Django writes SQL with ``%s`` placeholders; Python's sqlite3 takes ``?``. Django's backend converts
each statement with a regular expression every time it is run: 11 µs for a page query of 700
characters, which is more than SQLite takes to run many of them, and the home page runs 19. A
page's statements are the same text request after request (``core.prepared`` keeps them), so the
converted text is kept, by statement, for the short ones. Everything else is Django's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base

# Statements kept converted, and the longest kept: a bulk insert's statement runs to tens of
# kilobytes and is seldom the same twice, so at most about 4 MB is held.
KEPT = 512
LONGEST_KEPT = 8_000


@lru_cache(maxsize=KEPT)
def _kept_qmark(query: str) -> str:
    return _qmark(query)


def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        return _kept_qmark(query) if len(query) <= LONGEST_KEPT else _qmark(query)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> CursorWrapper:
        return self.connection.cursor(factory=CursorWrapper)
