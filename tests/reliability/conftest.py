"""Fixtures for the reliability tests: the test database shared with processes the tests start
(and kill), its tables counted, and the Board report's quarters."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# The Board report's fixture, nine actions over two closed quarters, for test_report_faults.py.
from tests.delivery.test_report import (  # noqa: F401
    actions,
    lead,
    plan,
    police,
    q3,
    quarters,
    reader,
)

ROOT = Path(__file__).resolve().parents[2]
# Long enough for Django to start on a busy machine; the process is killed as soon as it writes.
START_SECONDS = 60


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def postgresql_server() -> str:
    """The test database's server as a URL without a database name, its password included."""
    from urllib.parse import quote

    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = quote(db["USER"] or "", safe="")
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


@dataclass
class SharedDatabase:
    """The test database, shared with a process started by the test.

    On PostgreSQL the process connects to the test database itself (the test commits what it
    makes: ``transaction=True``). SQLite's test database lives in this process's memory, so it
    is copied to a file for the process (``share``) and copied back once it has stopped
    (``take_back``), by SQLite's backup API: what the process committed, and only that.
    """

    directory: Path
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.directory / "shared.sqlite3"

    def share(self) -> None:
        connection.ensure_connection()
        if on_postgresql():
            url = f"{postgresql_server()}/{connection.settings_dict['NAME']}"
        else:
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            target.close()
            url = f"sqlite:///{self.file}"
        self.environment = {
            **os.environ,
            "DATABASE_URL": url,
            "PREVENTHUB_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }

    def take_back(self) -> None:
        if on_postgresql():
            return
        # Opening the file recovers it as SQLite does after a crash: a transaction left in the
        # write-ahead log without its commit is not part of the database.
        source = sqlite3.connect(self.file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> SharedDatabase:
    return SharedDatabase(tmp_path)


def kill_before_commit(shared: SharedDatabase, *command: str, counting: str) -> int:
    """Run ``manage.py command`` in a new process and SIGKILL it once its import has written
    everything and committed nothing (``killed.py``): how many rows of the table ``counting``
    the transaction held when it was killed. Fails if it finishes, exits or stays silent
    instead."""
    shared.share()
    log = shared.directory / "killed.log"
    with log.open("w") as errors:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.reliability.killed", *command],
            cwd=ROOT,
            env={**shared.environment, "KILLED_COUNT_TABLE": counting},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        said = _wait_for_line(process, "WRITTEN", START_SECONDS)
        if not said.startswith("WRITTEN "):
            process.kill()
            process.wait()
            pytest.fail(f"the process did not stop before its commit: {said!r}\n{log.read_text()}")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=START_SECONDS)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    shared.take_back()
    return int(said.removeprefix("WRITTEN "))


def _wait_for_line(process: subprocess.Popen[str], wanted: str, seconds: float) -> str:
    """Read the process's output until it says ``wanted`` or ends; the last line read."""
    deadline = time.monotonic() + seconds
    line = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line:  # the end of its output: it has exited
                return "(exited)"
            if line.startswith((wanted, "FINISHED")):
                return line.strip()
    return line.strip() or "(silent)"


def table_counts() -> dict[str, int]:
    """The number of rows in every table of the database."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
