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
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from preventhub.reports.build import Document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SOURCES_HEADING = "Appendix: sources of the figures"


def filename(document: Document, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", document["title"].lower()).strip("-")[:80]
    return f"{slug or 'report'}.{extension}"


def _xml(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def absolute(url: str, site_url: str) -> str:
    return url if not url.startswith("/") else site_url.rstrip("/") + url


def _table(document: Any, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    caption = _xml(caption)
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_xml(text)).bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = _xml(text)
    properties = table._tbl.tblPr
    for name in ("w:tblCaption", "w:tblDescription"):
        element = OxmlElement(name)
        element.set(qn("w:val"), caption)
        properties.append(element)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)


def docx_bytes(built: Document, *, site_url: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = _xml(built["title"])
    document.add_heading(_xml(built["title"]), level=1)
    document.add_paragraph(_xml(built["subtitle"]))
    for section in built["sections"]:
        document.add_heading(_xml(section["heading"]), level=2)
        for paragraph in section["paragraphs"]:
            written = document.add_paragraph()
            label = paragraph.get("label") or (
                f"{paragraph['number']}. " if paragraph.get("number") else ""
            )
            if label:
                written.add_run(_xml(label if label.endswith(" ") else label + " "))
            for run in paragraph["runs"]:
                written.add_run(_xml(run["text"]))
        table = section.get("table")
        if table:
            _table(document, table["caption"], table["headers"], table["rows"])
        for link in section.get("links", []):
            document.add_paragraph(_xml(f"{link['text']}: {absolute(link['href'], site_url)}"))
    document.add_heading(SOURCES_HEADING, level=2)
    if built["figures"]:
        _table(
            document,
            "Every figure in this report and where it came from",
            ["Figure", "Value", "Source", "Page"],
            [
                [
                    f"{entry['number']}. {entry['placeholder']}",
                    entry["text"] or "Not available",
                    entry["source"],
                    absolute(entry["source_url"], site_url),
                ]
                for entry in built["figures"]
            ],
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
