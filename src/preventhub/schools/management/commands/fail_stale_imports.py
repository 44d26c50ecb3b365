"""End as failed the GIAS import runs whose task worker stopped in the middle of them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from preventhub.schools.tasks import STALE_AFTER, fail_stale_runs


class Command(BaseCommand):
    help = (
        "Mark as failed, and so retryable, every GIAS import run still importing whose worker "
        f"has not reported for {STALE_AFTER.seconds // 60} minutes. Nothing of such a run was "
        "imported."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ended = fail_stale_runs()
        self.stdout.write(f"{ended} stale import run{'' if ended == 1 else 's'} marked as failed.")
