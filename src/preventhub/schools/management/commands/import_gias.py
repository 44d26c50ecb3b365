"""Import the GIAS establishment extract into the schools register."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from preventhub.core import audit
from preventhub.core.spreadsheets import SpreadsheetRefused, read_file
from preventhub.schools import gias
from preventhub.schools.gias import GiasImportError, ImportResult, import_gias


class Command(BaseCommand):
    help = (
        "Import a GIAS establishment extract (edubasealldataYYYYMMDD.csv). Keeps the "
        "establishments of the partnership's LA codes; all or nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The CSV file downloaded from GIAS.")
        parser.add_argument(
            "--la",
            action="append",
            dest="la_codes",
            metavar="CODE",
            help="An LA code to keep (repeat for several); default PREVENTHUB_LA_CODES.",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the counts as one JSON object, last."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = read_file(path, gias.limits())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except SpreadsheetRefused as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        la_codes = options["la_codes"] or settings.PREVENTHUB_LA_CODES
        show_progress = not options["json"] and sys.stderr.isatty()
        try:
            with audit.acting(label="manage.py import_gias"):
                result = import_gias(
                    content, la_codes=la_codes, progress=self._progress if show_progress else None
                )
        except GiasImportError as error:
            self.stderr.write(f"Nothing was imported from {path}:")
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            if options["json"]:
                self.stdout.write(json.dumps(error.result.as_dict()))
            raise CommandError(
                "The file was refused; fix the lines above and import it again.", returncode=1
            ) from error
        self._report(result, options["json"])

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done == total:
            self.stderr.write("")

    def _report(self, result: ImportResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"Created {result.created}, updated {result.updated}, unchanged {result.unchanged}; "
            f"{result.closed} newly closed; {result.out_of_area} outside the partnership's areas."
        )
