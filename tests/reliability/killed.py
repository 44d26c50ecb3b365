"""Run a management command that is to be killed in the middle of its import's transaction.

``python -m tests.reliability.killed COMMAND ARGS...`` runs ``manage.py COMMAND ARGS...`` against
the database in ``DATABASE_URL``. Once the import has written inside its transaction (rows of
the register, the audit, the audit trail: anything but the task worker's claim of its task and
the run's progress, which are written apart so the run's page can show them), the process stops
just before the transaction commits: every row written, none committed. It prints ``WRITTEN n``,
n being the rows the transaction holds in the table named by ``KILLED_COUNT_TABLE``, and waits
for the test to kill it with SIGKILL. If nothing kills it, it exits with status 3 after
``WAIT_SECONDS``, still without committing.
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import Any

WAIT_SECONDS = 60
BOOKKEEPING = re.compile(r'"?(django_tasks_database_dbtaskresult|schools_giasimportrun)"?')
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|COPY)\b", re.IGNORECASE)


class Import:
    wrote = False


def _note_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    result = execute(sql, params, many, context)
    if context["connection"].in_atomic_block and WRITE.match(sql):
        if not BOOKKEEPING.search(sql):
            Import.wrote = True
    return result


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preventhub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.signals import connection_created

    def install(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _note_writes not in connection.execute_wrappers:
            connection.execute_wrappers.append(_note_writes)

    commit = BaseDatabaseWrapper._commit

    def stop_before_commit(self: Any) -> Any:
        if Import.wrote:
            # How many rows the transaction about to commit holds in the table the test names:
            # the whole import must be in it, not a first chunk committed on its own.
            with self.cursor() as cursor:
                cursor.execute(f'SELECT COUNT(*) FROM "{os.environ["KILLED_COUNT_TABLE"]}"')
                rows = cursor.fetchone()[0]
            print(f"WRITTEN {rows}", flush=True)
            time.sleep(WAIT_SECONDS)
            os._exit(3)
        return commit(self)

    BaseDatabaseWrapper._commit = stop_before_commit  # type: ignore[method-assign]
    connection_created.connect(install, weak=False)
    call_command(*argv)
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
