"""A self-assessment's report to the Board: its chart, the PDF and the Word file.

Built as the Delivery Plan's Board report is (``delivery/report.py``): the PDF is WeasyPrint's
rendering of the same report body the page shows, inside the shared print layout, with a URL
fetcher that refuses everything; the Word file is built with python-docx from the same
``AssessmentPage``, its tables captioned and their header rows repeated. Touches no database.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from django.template.loader import render_to_string

from preventhub.assessment.queries import AssessmentPage, Change
from preventhub.core import word
from preventhub.core.charts import Series, stacked_bar_png, stacked_bar_svg

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def title_of(page: AssessmentPage) -> str:
    return f"Self-assessment report: {page.assessment.framework.title}, {page.assessment.title}"


def filename(page: AssessmentPage, extension: str) -> str:
    """A download's name, e.g. ``self-assessment-toolkit-q4-2018-19.pdf``."""
    slug = re.sub(r"[^a-z0-9]+", "-", page.assessment.title.lower()).strip("-")
    return f"self-assessment-{page.assessment.framework.code}-{slug}.{extension}"


CHART_DESCRIPTION = (
    "One bar for each area of the framework, divided by the ratings of its standards, in "
    "the order of the legend. The table after the chart gives the same figures."
)


def _chart_title(page: AssessmentPage) -> str:
    return f"Standards by area and rating, {page.assessment.title}"


def _chart_data(page: AssessmentPage) -> tuple[list[str], list[Series]]:
    return [block.area.title for block in page.areas], [
        Series(level.label, level.chart_colour, [block.counts[index].count for block in page.areas])
        for index, level in enumerate(page.levels)
    ]


def chart(page: AssessmentPage, *, id_prefix: str = "assessment-chart") -> str:
    return stacked_bar_svg(
        *_chart_data(page),
        title=_chart_title(page),
        description=CHART_DESCRIPTION,
        id_prefix=id_prefix,
    )


def context(page: AssessmentPage) -> dict[str, Any]:
    return {"page": page, "title": title_of(page), "chart": chart(page), "Change": Change}


def report_pdf(page: AssessmentPage) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"A report fetches nothing; refused {url[:80]!r}")

    html = render_to_string("assessment/report_print.html", context(page))
    return HTML(string=html, url_fetcher=RefuseEverything()).write_pdf(pdf_variant="pdf/ua-1")


def _action_text(finding: Any) -> str:
    action = finding.plan_action
    if action is None:
        return "Not in the plan yet"
    return f"{action.reference} ({action.get_status_display()})"


def report_docx(page: AssessmentPage) -> bytes:
    assessment = page.assessment
    document = docx.Document()
    document.core_properties.title = title_of(page)
    document.add_heading(word.xml_safe(title_of(page)), level=1)
    status = (
        f"Signed off on {assessment.signed_off_on.day} {assessment.signed_off_on:%B %Y}"
        + (f" by {assessment.signed_off_name}" if assessment.signed_off_name else "")
        if assessment.is_signed_off and assessment.signed_off_on
        else "In progress: not signed off"
    )
    document.add_paragraph(
        word.xml_safe(
            f"As at {assessment.assessed_on.day} {assessment.assessed_on:%B %Y}. {status}."
        )
    )
    document.add_heading("Summary", level=2)
    document.add_paragraph(
        word.xml_safe(f"Standards rated: {page.rated_text}. {page.summary_text}.")
    )
    if assessment.summary:
        document.add_paragraph(word.xml_safe(assessment.summary))
    word.add_picture(
        document, stacked_bar_png(*_chart_data(page)), _chart_title(page), CHART_DESCRIPTION
    )
    word.add_table(
        document,
        f"Standards by area and rating, {assessment.title}",
        ["Area", *(level.label for level in page.levels), "Not rated"],
        [
            [block.area.title, *(str(c.count) for c in block.counts), str(block.unrated)]
            for block in page.areas
        ],
    )
    document.add_heading(
        f"What changed since {page.previous.title}" if page.previous else "What changed",
        level=2,
    )
    if page.previous is None:
        document.add_paragraph("There is no earlier signed-off assessment to compare with.")
    elif not page.changes:
        document.add_paragraph(f"No rating changed since {page.previous.title}.")
    else:
        word.add_table(
            document,
            f"Ratings changed since {page.previous.title}",
            ["Standard", f"In {page.previous.title}", f"In {assessment.title}", "Change"],
            [
                [
                    f"{row.standard.code} {row.standard.title}",
                    row.previous.label if row.previous else "Not rated",
                    row.rating.level.label if row.rating.level else "Not rated",
                    row.change,
                ]
                for row in page.changes
            ],
        )
    for block in page.areas:
        document.add_heading(word.xml_safe(f"{block.area.code} {block.area.title}"), level=2)
        word.add_table(
            document,
            f"{block.area.title}: ratings",
            ["Standard", "Rating", "Before", "Evidence"],
            [
                [
                    f"{row.standard.code} {row.standard.title}",
                    row.rating.level.label if row.rating.level else "Not rated",
                    row.previous.label if row.previous else "None",
                    row.rating.evidence or "None recorded",
                ]
                for row in block.rows
            ],
        )
        findings = [(row, f) for row in block.rows for f in row.findings]
        if findings:
            word.add_table(
                document,
                f"{block.area.title}: gaps found",
                ["Standard", "Gap found", "Delivery Plan action"],
                [[row.standard.code, f.text, _action_text(f)] for row, f in findings],
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
