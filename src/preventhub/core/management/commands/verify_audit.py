"""Walk the whole audit chain and report every broken link."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check that no audit entry has been changed, removed or inserted after the fact."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--anchor",
            default="",
            help='The "sequence:hash" head printed by an earlier run and kept elsewhere; the '
            "check then also proves no entry since was cut off.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = options["anchor"]
        if anchor and not re.fullmatch(r"\d+:[0-9a-f]{64}", anchor):
            raise CommandError(
                '--anchor must look like 1234:<64 hex characters>, as printed as "head".'
            )
        report = verify_chain(anchor=anchor)
        if not report.intact:
            count = len(report.breaks)
            lines = [
                f"Audit chain broken in {count} place{'s' if count != 1 else ''} "
                f"({report.checked} entries checked):",
                *(f"  broken at {found}" for found in report.breaks),
            ]
            raise CommandError("\n".join(lines), returncode=1)
        self.stdout.write(f"Audit chain intact: {report.checked} entries checked.")
        if report.head:
            self.stdout.write(f"head {report.head}")
