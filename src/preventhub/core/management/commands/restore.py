"""Restore a backup made by ``manage.py backup`` into an empty database (see docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in FOLDER into the empty database DATABASE_URL points at and the "
        "empty evidence folder, then check every table's row count and the audit chain."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="A folder written by manage.py backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            restored = restore(folder)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        for difference in restored.differences:
            self.stderr.write(f"  {difference}")
        if not restored.audit_intact:
            raise CommandError(
                "The restored audit chain is broken: run verify_audit.", returncode=1
            )
        if restored.differences:
            raise CommandError(
                "The restored database differs from the backup's manifest (above).", returncode=1
            )
        self.stdout.write(
            f"Restored {sum(restored.counts.values())} rows in {len(restored.counts)} tables and "
            f"{restored.files} evidence files; every count matches the backup and the audit "
            "chain is intact."
        )
        self.stdout.write(f"head {restored.audit_head}")
