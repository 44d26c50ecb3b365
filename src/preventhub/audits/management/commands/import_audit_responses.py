"""Import a survey tool's export of audit responses (CSV or XLSX) into a round; all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.audits.imports import ImportProblems, command_limits
from preventhub.audits.models import AuditRound
from preventhub.audits.services import import_responses
from preventhub.core import audit
from preventhub.core.spreadsheets import SpreadsheetRefused, read_file


class Command(BaseCommand):
    help = (
        "Import audit responses: columns URN, optional Submitted and Covers (URNs separated by "
        "semicolons), then one column per question code."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--round", required=True, dest="round_name")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON, last.")

    def handle(self, *args: Any, **options: Any) -> None:
        audit_round = AuditRound.objects.filter(name=options["round_name"]).first()
        if audit_round is None:
            raise CommandError(f"There is no round called {options['round_name']}.")
        path = Path(options["file"])
        try:
            content = read_file(path, command_limits())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except SpreadsheetRefused as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        try:
            with audit.acting(label="manage.py import_audit_responses"):
                result = import_responses(
                    audit_round=audit_round,
                    content=content,
                    filename=path.name,
                    limits=command_limits(),
                )
        except ImportProblems as error:
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Nothing was imported from {path}.", returncode=1) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(
                f"Imported {result.responses} responses, answering also for "
                f"{result.schools_covered} schools in trusts or federations; "
                f"{result.action_items} action plan items."
            )
