"""Re-encrypt every case field under the current key (the first of PREVENTHUB_CASE_KEYS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from preventhub.casework import crypto, services
from preventhub.core import audit


class Command(BaseCommand):
    help = (
        "Re-encrypt case data under the first key in PREVENTHUB_CASE_KEYS and recompute the "
        "blind indexes. Put the new key first, run this, then remove the old key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Only print a new random key to put first in PREVENTHUB_CASE_KEYS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.stdout.write(crypto.generate_key())
            return
        with audit.acting(label="manage.py rotate_case_key"):
            counts = services.rotate_case_keys()
        total = sum(counts.values())
        self.stdout.write(f"Re-encrypted {total} records under the current key.")
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label}: {count}")
