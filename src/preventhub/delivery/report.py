"""The Board progress report as documents: the chart, the PDF and the Word file.

The PDF is WeasyPrint's rendering of the same report body the web page shows, inside a print
layout whose stylesheet is in the template: the document needs no file and no address, and its
URL fetcher refuses every one, so nothing in a report (a narrative is free text) can make the
server fetch anything. The Word file is built with python-docx from the same ``ProgressReport``:
Word cannot show the SVG chart, so it carries the same chart drawn as a PNG (with alt text),
followed by the table with the same figures.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from django.template.loader import render_to_string
from django.utils import timezone

from preventhub.core import word
from preventhub.core.charts import Series, stacked_bar_png, stacked_bar_svg
from preventhub.delivery.stats import COLUMNS, NO_UPDATE, ActionLine, ProgressReport

# GOV.UK colours; "No update" is white, told apart by the outline every segment has.
RAG_COLOURS: dict[str, str] = {
    "green": "#00703c",
    "amber": "#ffdd00",
    "red": "#d4351c",
    "not_started": "#b1b4b6",
    "complete": "#1d70b8",
    "cancelled": "#505a5f",
    NO_UPDATE: "#ffffff",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters XML 1.0 cannot carry, which python-docx refuses: text pasted from Word into a
# narrative can bring some (a vertical tab for a line break, for one).
COUNTING_NOTE = (
    "Each action is counted by the status of its update for {period}. An action finished in an "
    "earlier quarter stays complete or cancelled; any other action without an update is counted "
    "under No update."
)
CHART_DESCRIPTION = (
    "One bar for each section of the plan, divided by the RAG status of its actions' "
    "updates this quarter, in the order of the legend. The table after the chart gives "
    "the same figures."
)


def title_of(report: ProgressReport) -> str:
    return f"Delivery Plan progress report: {report.period}"


def filename(report: ProgressReport, extension: str) -> str:
    """A download's name, e.g. ``delivery-plan-progress-2018-19-q3.pdf``."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(report.period).lower()).strip("-")
    return f"delivery-plan-progress-{slug}.{extension}"


def _chart_title(report: ProgressReport) -> str:
    return f"Actions by section and RAG status, {report.period}"


def _chart_data(report: ProgressReport) -> tuple[list[str], list[Series]]:
    """The summary table as chart data: one bar per section, one segment per column."""
    return (
        [row.title for row in report.rows],
        [
            Series(
                column.label, RAG_COLOURS[column.key], [row.counts[index] for row in report.rows]
            )
            for index, column in enumerate(report.columns)
        ],
    )


def summary_chart(report: ProgressReport, *, id_prefix: str = "progress-chart") -> str:
    """The summary table drawn as one stacked bar per section."""
    categories, series = _chart_data(report)
    return stacked_bar_svg(
        categories,
        series,
        title=_chart_title(report),
        description=CHART_DESCRIPTION,
        id_prefix=id_prefix,
    )


def summary_chart_png(report: ProgressReport) -> bytes:
    """The same chart as a PNG, for the Word file."""
    return stacked_bar_png(*_chart_data(report))


def context(report: ProgressReport) -> dict[str, Any]:
    """What the report's templates (page and print) need: the report and its chart."""
    return {
        "report": report,
        "title": title_of(report),
        "chart": summary_chart(report),
    }


# ---- PDF -----------------------------------------------------------------------------------------


def report_pdf(report: ProgressReport) -> bytes:
    """The report as a PDF, rendered by WeasyPrint from the print template."""
    # Imported here: loading Pango is slow, and only the PDF needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"A report fetches nothing; refused {url[:80]!r}")

    html = render_to_string("delivery/report_print.html", context(report))
    # PDF/UA: a tagged PDF, with its headings, tables and language, for screen readers.
    return HTML(string=html, url_fetcher=RefuseEverything()).write_pdf(pdf_variant="pdf/ua-1")


# ---- Word ----------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else "None set"


def _lines_section(
    document: Any,
    heading: str,
    lines: list[ActionLine],
    empty: str,
    headers: list[str],
    cells: Any,
    note: str = "",
) -> None:
    document.add_heading(heading, level=2)
    if note:
        document.add_paragraph(note)
    if not lines:
        document.add_paragraph(empty)
        return
    word.add_table(document, heading, headers, [cells(line) for line in lines])


def report_docx(report: ProgressReport) -> bytes:
    """The report as a Word document: headings, the summary as a Word table, then the lists."""
    document = docx.Document()
    plan_title = word.xml_safe(report.plan.title)
    document.core_properties.title = title_of(report)
    document.core_properties.subject = plan_title
    document.add_heading(title_of(report), level=1)
    period = report.period
    document.add_paragraph(
        f"{plan_title}. The quarter from {_date(period.starts_on)} to "
        f"{_date(period.ends_on)}"
        + (
            f", closed on {_date(timezone.localdate(period.closed_at))}."
            if period.closed_at
            else "."
        )
    )

    document.add_heading("Summary", level=2)
    document.add_paragraph(f"Actions in the plan: {report.action_count}.")
    document.add_paragraph(f"Updates received: {report.updates_text}.")
    document.add_paragraph(f"Updates that arrived late: {report.late_text}.")
    for item in report.shares:
        document.add_paragraph(f"{item.column.label}: {item.text}", style="List Bullet")
    document.add_paragraph(COUNTING_NOTE.format(period=period))

    document.add_heading("Progress by section", level=2)
    word.add_picture(document, summary_chart_png(report), _chart_title(report), CHART_DESCRIPTION)
    word.add_table(
        document,
        f"Actions by section and RAG status, {period}",
        ["Section", *(column.label for column in COLUMNS), "Total"],
        [
            [row.title, *(str(count) for count in row.counts), str(row.total)]
            for row in [*report.rows, report.totals]
        ],
    )

    _lines_section(
        document,
        "Exceptions: red and amber actions",
        report.exceptions,
        "No action is red or amber this quarter.",
        ["Reference", "Action", "Status", "Owner", "Lead", "Update"],
        lambda line: [
            line.reference,
            line.title,
            line.rag_label,
            line.owner,
            line.lead or "No lead named",
            line.narrative + (" (late)" if line.is_late else ""),
        ],
    )
    _lines_section(
        document,
        "Completed this quarter",
        report.completed,
        "No action was completed this quarter.",
        ["Reference", "Action", "Section", "Owner"],
        lambda line: [line.reference, line.title, line.section, line.owner],
    )
    _lines_section(
        document,
        "Overdue",
        report.overdue,
        "No action is overdue.",
        ["Reference", "Action", "Due", "Status", "Owner", "Lead"],
        lambda line: [
            line.reference,
            line.title,
            _date(line.due_on),
            line.rag_label,
            line.owner,
            line.lead or "No lead named",
        ],
        note=f"Actions due on or before {_date(period.ends_on)} and not complete or cancelled.",
    )
    if report.previous is None:
        document.add_heading("Changes since the previous quarter", level=2)
        document.add_paragraph("There is no earlier closed quarter to compare with.")
    else:
        _lines_section(
            document,
            f"Changes since {report.previous}",
            report.changes,
            f"No action changed status since {report.previous}.",
            ["Reference", "Action", f"In {report.previous}", f"In {period}"],
            lambda line: [line.reference, line.title, line.previous_label, line.rag_label],
        )
    _lines_section(
        document,
        "New this quarter",
        report.new,
        "No action was reported on for the first time this quarter.",
        ["Reference", "Action", "Section", "Status"],
        lambda line: [line.reference, line.title, line.section, line.rag_label],
        note="Actions reported on for the first time.",
    )
    _lines_section(
        document,
        "No update this quarter",
        report.missing,
        "Every action that owed an update sent one.",
        ["Reference", "Action", "Owner", "Lead"],
        lambda line: [line.reference, line.title, line.owner, line.lead or "No lead named"],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
