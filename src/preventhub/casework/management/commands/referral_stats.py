"""Print the protected table of referrals for a reporting period, as JSON on the last line.

The same protection as the statistics page for everyone outside case work: a whole period that
has ended, the Home Office's age bands, every cell through the cell-key method.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from preventhub.casework import stats
from preventhub.core import audit
from preventhub.core.disclosure import ProtectedTable


class Command(BaseCommand):
    help = (
        "Counts of referrals received in a reporting period that has ended, by one dimension "
        "or two, protected by the cell-key method."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--period",
            required=True,
            help="A financial year like 2018-19, or a quarter like 2018-19-Q3.",
        )
        parser.add_argument("--by", required=True, choices=sorted(stats.DIMENSIONS))
        parser.add_argument(
            "--then-by",
            dest="then_by",
            default="",
            choices=["", *sorted(stats.DIMENSIONS)],
            help="A second dimension, for a two-way table (for example outcome).",
        )
        parser.add_argument("--json", action="store_true", help="Print only the JSON table.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = stats.period_named(options["period"])
            table = stats.protected_table(
                period=period,
                by=options["by"],
                then_by=options["then_by"],
                today=timezone.localdate(),
            )
        except stats.StatisticsError as error:
            raise CommandError(str(error)) from error
        counted = options["by"] + (f" by {options['then_by']}" if options["then_by"] else "")
        with audit.acting(label="manage.py referral_stats"):
            audit.record_export(
                what="casework.statistics",
                rows=len(table.cells),
                detail=f"{period.label} by {counted} (protected)",
            )
        if not options["json"]:
            self.stdout.write(
                f"Referrals received in {period.label} by {counted} (changed a little to protect "
                f"the people counted; below {table.threshold} not shown):"
            )
            self._write(table)
        self.stdout.write(json.dumps(table.as_json(), ensure_ascii=False))

    def _write(self, table: stats.Table) -> None:
        def shown(count: int | None) -> str:
            return "[c]" if count is None else str(count)

        if isinstance(table, ProtectedTable):
            for cell in table.cells:
                self.stdout.write(f"  {cell.label}: {shown(cell.count)}")
            self.stdout.write(f"  Total: {shown(table.total)}")
            return
        for label, cells, row_total in table.rows_with_totals:
            counts = ", ".join(
                f"{column} {shown(cell.count)}"
                for column, cell in zip(table.column_labels, cells, strict=True)
            )
            self.stdout.write(f"  {label}: {counts}; total {shown(row_total.count)}")
        self.stdout.write(f"  Total: {shown(table.total.count)}")
