"""The demo's Board progress report: its figures counted straight from the database."""

from __future__ import annotations

import pytest

from preventhub.delivery import report, stats
from preventhub.delivery.models import RAG_OF_STATUS, PlanAction, ProgressUpdate
from preventhub.partnership.models import ReportingPeriod
from tests.documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db


class TestTheDemoReport:
    """The demo's 2018/19 Q3 report, its figures counted straight from the database."""

    def test_the_pdf_and_word_files_carry_the_counts_of_the_demos_updates(
        self, demo_printed: str
    ) -> None:
        q3 = ReportingPeriod.objects.get(name="2018/19 Q3")
        updates = ProgressUpdate.objects.filter(period=q3)
        by_rag: dict[str, int] = {}
        for status in updates.values_list("status", flat=True):
            by_rag[RAG_OF_STATUS[status]] = by_rag.get(RAG_OF_STATUS[status], 0) + 1
        actions = PlanAction.objects.filter(plan__in=updates.values("action__plan")).count()
        found = stats.progress_report(q3)
        assert found.action_count == actions
        expected_row = [
            by_rag.get(key, 0)
            for key in ("green", "amber", "red", "not_started", "complete", "cancelled")
        ]
        no_update = actions - sum(expected_row)

        _, tables = docx_text(report.report_docx(found))
        assert tables[0][-1] == [
            "All sections",
            *map(str, expected_row),
            str(no_update),
            str(actions),
        ]

        text = pdf_text(report.report_pdf(found))
        totals = " ".join(map(str, [*expected_row, no_update, actions]))
        assert f"All sections {totals}" in text
        green = by_rag.get("green", 0)
        assert f"Green {green} of {actions} ({round(100 * green / actions)}%)" in text
        assert f"Updates received {updates.count()} of" in text
