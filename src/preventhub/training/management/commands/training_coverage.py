"""Print training coverage at the end of a quarter, as a table or as one line of JSON."""

from __future__ import annotations

import json as jsonlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preventhub.partnership.models import ReportingPeriod
from preventhub.training import stats


class Command(BaseCommand):
    help = "Training coverage (trained and in date of needing) at the end of a quarter."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help='The quarter, like "2018/19 Q3".')
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object as the last line."
        )

    def handle(self, *args: Any, period: str, json: bool = False, **options: Any) -> None:
        found = ReportingPeriod.objects.filter(name=period).first()
        if found is None:
            names = ", ".join(ReportingPeriod.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"There is no quarter called {period!r}. Quarters: {names}.")
        result = stats.coverage(found.ends_on)
        if json:
            document = stats.coverage_json(result)
            document["period"] = found.name
            self.stdout.write(_dumps(document))
            return
        for line in [*result.organisations, result.total]:
            cell = line.total
            shown = "-" if cell.coverage is None else f"{cell.coverage}%"
            self.stdout.write(f"{line.label}: {cell.trained} of {cell.needing} ({shown})")


def _dumps(document: dict[str, Any]) -> str:
    return jsonlib.dumps(document, sort_keys=True)
