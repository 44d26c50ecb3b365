"""Walk the audit chain and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check that no audit entry has been changed, removed or inserted after the fact."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at entry {report.broken_at}: {report.reason}. "
                f"{report.checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries checked.")
