"""Back up and restore Prevent Hub: the database and the evidence folder, as one folder.

``manage.py backup FOLDER`` writes:

* ``database.dump``, PostgreSQL's custom format from ``pg_dump`` (read by ``pg_restore``), or
  ``database.sqlite3``, a copy made by SQLite's online backup API (it takes the write-ahead log
  with it, so the copy is whole while the service runs);
* ``media/``, a copy of the evidence folder (``MEDIA_ROOT``), taken after the database: Prevent
  Hub never changes an evidence file in place, so the copy holds every file the dump refers to;
* ``manifest.json``: the number of rows in every table and the audit chain's head, read from the
  same snapshot as the dump.

``manage.py restore FOLDER`` puts them into an empty database and an empty evidence folder,
then counts every table again and walks the audit chain: the restore is proved, not assumed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with arguments built here
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from preventhub.core.audit import verify_chain

MANIFEST = "manifest.json"
POSTGRESQL_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    taken_at: str
    counts: dict[str, int]
    audit_head: str
    audit_intact: bool
    files: int

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    counts: dict[str, int]
    audit_head: str
    audit_intact: bool
    files: int
    differences: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.audit_intact and not self.differences


def table_counts() -> dict[str, int]:
    """The number of rows in every table of the database, by table name."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def back_up(folder: Path) -> Manifest:
    """Write a backup of the database and the evidence folder into ``folder`` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        counts, head, intact = _dump_postgresql(folder / POSTGRESQL_DUMP)
    else:
        counts, head, intact = _copy_sqlite(folder / SQLITE_COPY)
    files = _copy_tree(Path(settings.MEDIA_ROOT), folder / MEDIA)
    manifest = Manifest(
        engine=connection.vendor,
        taken_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        counts=counts,
        audit_head=head,
        audit_intact=intact,
        files=files,
    )
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    try:
        return Manifest(**json.loads((Path(folder) / MANIFEST).read_text()))
    except FileNotFoundError as error:
        raise BackupError(
            f"{folder} holds no {MANIFEST}: it is not a Prevent Hub backup."
        ) from error
    except (ValueError, TypeError) as error:
        raise BackupError(f"{folder}/{MANIFEST} is damaged: {error}") from error


def restore(folder: Path) -> Restored:
    """Restore the backup in ``folder`` into this (empty) database and evidence folder."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.engine != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest.engine} database; DATABASE_URL points at "
            f"{connection.vendor}."
        )
    if connection.introspection.table_names():
        raise BackupError(
            "The database to restore into is not empty. Create a new, empty database and "
            "point DATABASE_URL at it."
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"The evidence folder {media} is not empty: restore into an empty one.")
    if connection.vendor == "postgresql":
        _restore_postgresql(folder / POSTGRESQL_DUMP)
    else:
        _restore_sqlite(folder / SQLITE_COPY)
    files = _copy_tree(folder / MEDIA, media)
    counts = table_counts()
    chain = verify_chain()
    differences = [
        f"{table}: {manifest.counts.get(table, 'no table')} backed up, "
        f"{counts.get(table, 'no table')} restored"
        for table in sorted(set(manifest.counts) | set(counts))
        if manifest.counts.get(table) != counts.get(table)
    ]
    if files != manifest.files:
        differences.append(f"evidence folder: {manifest.files} files backed up, {files} restored")
    if chain.head != manifest.audit_head:
        differences.append("the audit chain's head is not the one backed up")
    return Restored(manifest, counts, chain.head, chain.intact, files, differences)


# ---- PostgreSQL -------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    """pg_dump's and pg_restore's connection, as libpq's variables: no password on a command
    line."""
    db = connection.settings_dict
    found = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {**os.environ, **{name: value for name, value in found.items() if value}}


def _run(command: list[str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client tools.")
    done = subprocess.run(  # noqa: S603
        [program, *command[1:]], env=_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _dump_postgresql(target: Path) -> tuple[dict[str, int], str, bool]:
    # One snapshot for the dump, the counts and the audit head: pg_dump takes the snapshot this
    # transaction exports, so the manifest describes exactly what the dump holds.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        counts = table_counts()
        chain = verify_chain()
    return counts, chain.head, chain.intact


def _restore_postgresql(dump: Path) -> None:
    if not dump.exists():
        raise BackupError(f"{dump} is missing.")
    connection.close()  # pg_restore works alone on the new database
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ]
    )


# ---- SQLite -----------------------------------------------------------------------------------


def _copy_sqlite(target: Path) -> tuple[dict[str, int], str, bool]:
    # The chain is walked just before the copy; the head and the counts are read from the copy
    # itself, so the manifest describes exactly what was written.
    intact = verify_chain().intact
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND NOT name = 'sqlite_sequence' ORDER BY name"
            )
        ]
        counts = {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
        last = copy.execute(
            "SELECT sequence, entry_hash FROM core_auditevent ORDER BY sequence DESC LIMIT 1"
        ).fetchone()
    finally:
        copy.close()
    return counts, f"{last[0]}:{last[1]}" if last else "", intact


def _restore_sqlite(copy: Path) -> None:
    if not copy.exists():
        raise BackupError(f"{copy} is missing.")
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# ---- the evidence folder ----------------------------------------------------------------------


def _copy_tree(source: Path, target: Path) -> int:
    """Copy every file under ``source`` to the same place under ``target``; how many."""
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    if not source.exists():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied += 1
    return copied
