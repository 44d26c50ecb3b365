"""Check that the referral tallies the protected statistics read are what the referrals hold;
with ``--rebuild``, put them back from the referrals first (see docs/casework.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.casework import services, stats
from preventhub.core import audit

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Count every referral again and compare with the tallies the database keeps for the "
        "protected statistics; exit with status 1 if any differs. --rebuild writes them again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Write every tally again from the referrals, then check.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            with audit.acting(label="manage.py check_referral_tallies"):
                written = services.rebuild_referral_tallies()
            self.stdout.write(f"Rebuilt {written} tallies from the referrals.")
        differ = stats.tallies_that_differ()
        if differ:
            for line in differ[:SHOWN]:
                self.stderr.write(f"  {line}")
            if len(differ) > SHOWN:
                self.stderr.write(f"  and {len(differ) - SHOWN} more")
            raise CommandError(
                f"The tallies of {len(differ)} quarters and pairs of dimensions are not what the "
                "referrals hold. Run check_referral_tallies --rebuild.",
                returncode=1,
            )
        self.stdout.write("Every referral tally is what the referrals hold.")
