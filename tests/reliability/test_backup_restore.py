"""The documented backup, restored into an empty database, gives back the same row count in
every table, the same evidence files and an intact audit chain: on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from preventhub.core.roles import Role
from tests.routes import build_context

from .conftest import ROOT, on_postgresql, postgresql_server, table_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class ScratchDatabase:
    """An empty database of the kind under test, apart from the test database, for the restore:
    a new SQLite file, or a new PostgreSQL database dropped at the end."""

    def __init__(self, directory: Path) -> None:
        db = connection.settings_dict
        self.postgresql = on_postgresql()
        if self.postgresql:
            self.name = f"{db['NAME']}_restored"[:63]
            self.server = postgresql_server()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = f"{self.server}/{self.name}"
        else:
            self.file = directory / "restored.sqlite3"
            self.url = f"sqlite:///{self.file}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(sql)

    def counts(self) -> dict[str, int]:
        if self.postgresql:
            with psycopg.connect(self.url) as db:
                tables = [
                    name
                    for (name,) in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                return {
                    table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                    for table in sorted(tables)
                }
        with sqlite3.connect(self.file) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND NOT name = 'sqlite_sequence'"
                )
            ]
            return {
                table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in sorted(tables)
            }

    def drop(self) -> None:
        if self.postgresql:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path: Path):
    found = ScratchDatabase(tmp_path)
    yield found
    found.drop()


def manage(scratch: ScratchDatabase, media: Path, *command: str) -> subprocess.CompletedProcess:
    """``manage.py command`` in a new process, on the scratch database and evidence folder."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": scratch.url,
            "PREVENTHUB_MEDIA_ROOT": str(media),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def one_of_everything(make_user) -> None:
    """One of every record a page can point at, from every app (tests/routes.py), the lists
    the migrations seed, and an evidence file in the evidence folder."""
    build_context(make_user(Role.PARTNER_LEAD, totp=True))


def test_a_backup_restored_into_an_empty_database_gives_back_every_row_file_and_the_chain(
    one_of_everything: None, scratch: ScratchDatabase, tmp_path: Path
) -> None:
    before = table_counts()
    assert sum(before.values()) > 500 and before["delivery_evidence"] == 1
    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    head = out.getvalue().splitlines()[-1]
    assert head.startswith("head ")

    media = tmp_path / "restored-media"
    restored = manage(scratch, media, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "every count matches the backup and the audit chain is intact" in restored.stdout
    assert scratch.counts() == before
    checked = manage(scratch, media, "verify_audit", "--anchor", head.removeprefix("head "))
    assert checked.returncode == 0, checked.stderr
    assert "Audit chain intact" in checked.stdout
    originals = sorted(
        p.relative_to(settings.MEDIA_ROOT)
        for p in Path(settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    )
    copies = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert copies == originals and originals
    for name in originals:
        assert (media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()


def _manifest(engine: str) -> str:
    return json.dumps(
        {
            "engine": engine,
            "taken_at": "",
            "counts": {},
            "audit_head": "",
            "audit_intact": True,
            "files": 0,
        }
    )


class TestWhatTheCommandsRefuse:
    pytestmark = pytest.mark.django_db

    def test_a_backup_never_writes_into_a_folder_that_holds_anything(self, tmp_path: Path) -> None:
        (tmp_path / "earlier.dump").write_text("an earlier backup")
        with pytest.raises(CommandError, match="is not empty: give a new folder"):
            call_command("backup", str(tmp_path))
        assert [p.name for p in tmp_path.iterdir()] == ["earlier.dump"]

    def test_a_restore_never_writes_into_a_database_that_has_tables(
        self, tmp_path: Path, settings
    ) -> None:
        folder = tmp_path / "backup"
        folder.mkdir()
        (folder / "manifest.json").write_text(_manifest(connection.vendor))
        with pytest.raises(CommandError, match="The database to restore into is not empty"):
            call_command("restore", str(folder))

    def test_a_folder_without_a_manifest_is_not_a_backup(self, tmp_path: Path) -> None:
        with pytest.raises(CommandError, match="it is not a Prevent Hub backup"):
            call_command("restore", str(tmp_path))

    def test_a_backup_of_the_other_database_is_refused(self, tmp_path: Path) -> None:
        other = "sqlite" if on_postgresql() else "postgresql"
        (tmp_path / "manifest.json").write_text(_manifest(other))
        with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
            call_command("restore", str(tmp_path))
