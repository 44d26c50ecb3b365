"""Workbooks built by hand, byte by byte, to test what a crafted upload can do to a reader."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(
    rows: list[list[object]],
    *,
    dimension: str | None = None,
    strings: list[str] | None = None,
    sheet: str = "Sheet1",
    first_row: int = 1,
    parts: dict[str, str] | None = None,
) -> bytes:
    """An XLSX file whose text cells are shared strings, as Excel writes them.

    ``dimension`` is the size the sheet declares (the real one if None); ``strings`` are shared
    strings added after the cells' own; rows start at ``first_row``; ``parts`` are added as they
    are, or replace the ones of that name.
    """
    shared = list(strings or [])
    own: list[str] = []
    lines = []
    for number, values in enumerate(rows, start=first_row):
        cells = []
        for column, value in enumerate(values, start=1):
            ref = f"{get_column_letter(column)}{number}"
            if isinstance(value, str):
                own.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(own) - 1}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    width = max((len(values) for values in rows), default=1)
    last = first_row + len(rows) - 1
    declared = dimension or f"A1:{get_column_letter(width)}{last}"
    sheet_xml = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{declared}"/>'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in [*own, *shared])
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{TYPES}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{TYPES}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{items}</sst>',
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def rewrite(content: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """``content`` (a zip) with one member changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            archive.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()
