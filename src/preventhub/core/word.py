"""Word documents (python-docx) the same way everywhere: text Word can hold, captioned tables
whose header row repeats on every page, and pictures with alt text.

A helper that touches no database: the Board report, the self-assessment report and the
reports app's documents all build their ``.docx`` files with it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Characters XML 1.0 cannot hold (control characters a pasted text can carry): Word refuses a
# file that has them, so they become spaces.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def caption_table(table: Any, text: str) -> None:
    """Give a Word table its caption and alt text, and repeat its header row on every page."""
    properties = table._tbl.tblPr
    for name in ("w:tblCaption", "w:tblDescription"):
        element = OxmlElement(name)
        element.set(qn("w:val"), text)
        properties.append(element)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)


def add_table(document: Any, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    """A table under its caption, with a bold header row that screen readers announce."""
    caption = xml_safe(caption)
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(text)).bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = xml_safe(text)
    caption_table(table, caption)


def add_picture(document: Any, png: bytes, title: str, description: str) -> None:
    """A chart as a picture at the page's width, with its title and description as alt text."""
    from docx.shared import Inches

    shape = document.add_picture(io.BytesIO(png), width=Inches(6))
    properties = shape._inline.docPr
    properties.set("title", xml_safe(title))
    properties.set("descr", xml_safe(f"{title}. {description}"))
