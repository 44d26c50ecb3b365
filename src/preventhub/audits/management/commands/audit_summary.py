"""Print the analysis of an audit round: the figures every page, PDF and export shows."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.audits import stats
from preventhub.audits.models import AuditRound


class Command(BaseCommand):
    help = "The analysis of an audit round; --json prints one JSON object as the last line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--round", required=True, dest="round_name")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        audit_round = AuditRound.objects.filter(name=options["round_name"]).first()
        if audit_round is None:
            raise CommandError(f"There is no round called {options['round_name']}.")
        # The summary shows no comparison with the previous round: it is not worked out.
        analysis = stats.analyse(audit_round, breakdowns=False, compare=False)
        if options["json"]:
            self.stdout.write(json.dumps(analysis.summary()))
            return
        f = analysis.figures
        lines = [
            f"Round {audit_round}",
            f"Completed the survey: {stats.with_rate(f.responded, f.in_scope)}",
            f"Answered the Prevent questions: {stats.with_rate(f.prevent_answered, f.in_scope)}",
            f"Actioned all requirements: {stats.with_rate(f.all_actioned, f.prevent_answered)}",
            f"Under review: {stats.with_rate(f.under_review, f.prevent_answered)}",
            f"Could not confirm: {stats.with_rate(f.cannot_confirm, f.prevent_answered)}",
        ]
        for q in analysis.questions:
            counts = ", ".join(f"{label} {n}" for label, n, _ in q.rows())
            lines.append(f"{q.question.code}: {q.answered} answered ({counts})")
        self.stdout.write("\n".join(lines))
