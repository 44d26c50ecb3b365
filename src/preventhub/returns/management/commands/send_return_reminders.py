"""Send the reminders due today for every return window (run it once a day, from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from preventhub.returns import queries, services
from preventhub.returns.models import ReturnWindow


class Command(BaseCommand):
    help = (
        "E-mail partner leads whose returns are owed: a week and a day before the due day, "
        "and each week after it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url", required=True, help="The service's address, for links in the e-mails."
        )

    def handle(self, *args: Any, site_url: str, **options: Any) -> None:
        today = timezone.localdate()
        windows = ReturnWindow.objects.filter(returns__status__in=["draft", "returned"]).distinct()
        for window in windows.select_related("period"):
            if queries.reminders_due_today(window, today):
                result = services.send_reminders(window=window, site_url=site_url, today=today)
                self.stdout.write(f"{window}: reminded {len(result.reminded)} organisations")
                for organisation in result.not_reminded:
                    self.stdout.write(
                        f"{window}: did not remind {organisation}: it has no partner lead with "
                        "an account"
                    )
