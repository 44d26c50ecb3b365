"""Load a round's questionnaire from CSV, creating the round if there is none of that name."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.audits.imports import ImportProblems
from preventhub.audits.services import import_questionnaire
from preventhub.core import audit
from preventhub.core.spreadsheets import SpreadsheetRefused, read_file


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text} is not a date like 2018-09-01.") from error


class Command(BaseCommand):
    help = (
        "Load a questionnaire (CSV columns code,section,text,scale,prevent,requirement,required "
        "and optionally suggested_action) into an audit round; all or nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--round", required=True, dest="round_name", help='e.g. "2018"')
        parser.add_argument("--opens", type=_date, help="For a new round: its opening date.")
        parser.add_argument("--closes", type=_date, help="For a new round: its closing date.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = read_file(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except SpreadsheetRefused as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        try:
            with audit.acting(label="manage.py import_questionnaire"):
                audit_round, count = import_questionnaire(
                    round_name=options["round_name"],
                    content=content,
                    filename=path.name,
                    opens_on=options["opens"],
                    closes_on=options["closes"],
                )
        except ImportProblems as error:
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Nothing was imported from {path}.", returncode=1) from error
        self.stdout.write(f"Loaded {count} questions into round {audit_round}.")
