"""The report for the Board: by area, with what changed, as a page, a PDF and a Word file."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import docx
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from preventhub.assessment.models import Assessment
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(rated: Callable[..., Assessment]) -> Assessment:
    rated("Q4 2018/19", datetime.date(2019, 3, 31), levels={"TK6.1": "amber", "TK4.1": "red"})
    return rated("Q3 2026/27", datetime.date(2026, 12, 1), levels={"TK4.1": "amber"})


def test_the_board_reads_the_report_page_by_area_with_what_changed(
    current: Assessment, client_for: Callable[..., Client]
) -> None:
    text = (
        client_for(Role.BOARD_READER)
        .get(reverse("assessment:report", args=[current.pk]))
        .content.decode()
    )
    assert "What changed since Q4 2018/19" in text
    assert "Training needs are assessed" in text
    assert "Multi-agency partnership group" in text
    assert "15 green and 1 amber" in text


def test_the_pdf_carries_the_same_report(
    current: Assessment, client_for: Callable[..., Client]
) -> None:
    response = client_for(Role.BOARD_READER).get(
        reverse("assessment:report_pdf", args=[current.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert "self-assessment-toolkit-q3-2026-27.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "What changed since Q4 2018/19" in text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="assessment.report"
    ).exists()


def test_the_word_file_lists_the_changed_ratings(
    current: Assessment, client_for: Callable[..., Client]
) -> None:
    response = client_for(Role.COORDINATOR).get(
        reverse("assessment:report_docx", args=[current.pk])
    )
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "TK6.1 Training needs are assessed" in cells
    assert "Better" in cells
    assert "Ratings changed since Q4 2018/19" in [p.text for p in document.paragraphs]


def test_the_word_file_carries_the_chart_as_a_picture_with_alt_text(
    current: Assessment, client_for: Callable[..., Client]
) -> None:
    response = client_for(Role.COORDINATOR).get(
        reverse("assessment:report_docx", args=[current.pk])
    )
    document = docx.Document(io.BytesIO(response.content))
    (shape,) = document.inline_shapes
    alt_text = shape._inline.docPr.get("descr")
    assert alt_text.startswith(f"Standards by area and rating, {current.title}.")
    assert "is in the web page" not in " ".join(p.text for p in document.paragraphs)
