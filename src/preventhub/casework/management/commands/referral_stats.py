"""Print the disclosure-controlled table of referrals for a period, as JSON on the last line."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.casework import stats
from preventhub.core import audit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Dates are ISO dates like 2018-05-01, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Counts of referrals received in a period, by one dimension, with small cells suppressed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="First day, ISO.")
        parser.add_argument("--to", dest="date_to", required=True, help="Last day, ISO.")
        parser.add_argument("--by", required=True, choices=sorted(stats.DIMENSIONS))
        parser.add_argument(
            "--bands", default="", help='Custom age bands, like "0-13,14-17,18+" (age_band only).'
        )
        parser.add_argument("--json", action="store_true", help="Print only the JSON table.")

    def handle(self, *args: Any, **options: Any) -> None:
        date_from, date_to = _date(options["date_from"]), _date(options["date_to"])
        if date_from > date_to:
            raise CommandError("--from must be the same as or before --to")
        try:
            bands = stats.parse_bands(options["bands"]) if options["bands"] else None
        except stats.BandError as error:
            raise CommandError(str(error)) from error
        table = stats.protected_table(
            date_from=date_from,
            date_to=date_to,
            by=options["by"],
            bands=bands or stats.HOME_OFFICE_BANDS,
        )
        with audit.acting(label="manage.py referral_stats"):
            audit.record_export(
                what="casework.statistics",
                rows=len(table.cells),
                detail=f"{date_from} to {date_to} by {options['by']}",
            )
        if not options["json"]:
            self.stdout.write(
                f"Referrals received {date_from} to {date_to} by {stats.DIMENSIONS[options['by']]}"
                f" (counts below {table.threshold} suppressed):"
            )
            for cell in table.cells:
                shown = "[c]" if cell.suppressed else str(cell.count)
                self.stdout.write(f"  {cell.label}: {shown}")
        self.stdout.write(json.dumps(table.as_json(), ensure_ascii=False))
