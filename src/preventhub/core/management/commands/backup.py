"""Back up the database and the evidence folder into a new folder (see docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.core.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and the evidence folder into "
        "FOLDER, with a manifest of every table's row count and the audit chain's head."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="A new or empty folder for this backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            manifest = back_up(folder)
        except BackupError as error:
            raise CommandError(f"No backup was made: {error}") from error
        self.stdout.write(
            f"Backed up {manifest.rows} rows in {len(manifest.counts)} tables and "
            f"{manifest.files} evidence files into {folder}."
        )
        if manifest.audit_head:
            self.stdout.write(f"head {manifest.audit_head}")
        if not manifest.audit_intact:
            raise CommandError(
                "The audit chain is broken (run verify_audit to see where): the backup was "
                "made, but tell the data protection officer.",
                returncode=1,
            )
