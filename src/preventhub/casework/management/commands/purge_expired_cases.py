"""Destroy the personal data of closed cases whose retention date has passed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from preventhub.casework import queries, services
from preventhub.core import audit


class Command(BaseCommand):
    help = (
        "Destroy the personal data of closed referrals and cases past their retention date "
        "(not those on legal hold), keeping a tombstone of reference, dates and outcomes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be destroyed; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        expired = queries.expired_referrals(today)
        verb = "Would destroy" if options["dry_run"] else "Destroyed"
        if not options["dry_run"]:
            with audit.acting(label="manage.py purge_expired_cases"):
                for referral in expired:
                    services.purge_referral(referral=referral, today=today)
        for referral in expired:
            self.stdout.write(
                f"{verb} {referral.reference} (closed {referral.closed_on}, "
                f"kept until {referral.retain_until})"
            )
        self.stdout.write(f"{verb} the personal data of {len(expired)} records.")
