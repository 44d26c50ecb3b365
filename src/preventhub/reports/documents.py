"""A built report (``build.Document``) as Word and as PDF. Touches no database.

Word: real headings, numbered paragraphs, tables with a header row that repeats and a caption,
and an appendix listing every figure with its source. PDF: WeasyPrint's rendering of the same
body the page shows, in the shared print layout, fetching nothing, tagged (PDF/UA-1).
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from django.template.loader import render_to_string

from preventhub.core import word
from preventhub.reports import build
from preventhub.reports.build import Document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}
SOURCES_HEADING = "Appendix: sources of the figures"


def filename(document: Document, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", document["title"].lower()).strip("-")[:80]
    return f"{slug or 'report'}.{extension}"


def docx_bytes(built: Document, *, site_url: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = word.xml_safe(built["title"])
    document.add_heading(word.xml_safe(built["title"]), level=1)
    document.add_paragraph(word.xml_safe(built["subtitle"]))
    for section in built["sections"]:
        document.add_heading(word.xml_safe(section["heading"]), level=2)
        for paragraph in section["paragraphs"]:
            written = document.add_paragraph()
            label = paragraph.get("label") or (
                f"{paragraph['number']}. " if paragraph.get("number") else ""
            )
            if label:
                written.add_run(word.xml_safe(label if label.endswith(" ") else label + " "))
            for run in paragraph["runs"]:
                written.add_run(word.xml_safe(run["text"]))
        table = section.get("table")
        if table:
            word.add_table(document, table["caption"], table["headers"], table["rows"])
        for link in section.get("links", []):
            document.add_paragraph(
                word.xml_safe(f"{link['text']}: {build.absolute(link['href'], site_url)}")
            )
    document.add_heading(SOURCES_HEADING, level=2)
    if built["figures"]:
        word.add_table(
            document,
            build.SOURCES_CAPTION,
            list(build.SOURCES_HEADERS),
            build.sources_rows(built, site_url=site_url),
        )
    else:
        document.add_paragraph("This report has no figures drawn from the data.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(built: Document, *, site_url: str = "") -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"A report fetches nothing; refused {url[:80]!r}")

    html = render_to_string(
        "reports/document_print.html", {"document": built, "site_url": site_url.rstrip("/")}
    )
    return HTML(string=html, url_fetcher=RefuseEverything()).write_pdf(pdf_variant="pdf/ua-1")
