"""Downloads: tabular data as files, streamed so a large export never sits in memory.

Every heading and cell goes through ``core.spreadsheets.neutralise``, so no text anyone typed runs
as a formula in the spreadsheet that opens the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tablib
from django.http import Http404, HttpResponse, StreamingHttpResponse

from preventhub.core.spreadsheets import neutralise


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cells(row: Iterable[Any]) -> list[Any]:
    # Every cell, headings included: a heading can be a question code or a name someone typed.
    return [neutralise(cell) for cell in row]


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens UTF-8 correctly
        yield writer.writerow(_cells(header))
        for row in rows:
            yield writer.writerow(_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class Table:
    """Rows to download, with their column headings: what a query hands to an export view."""

    title: str
    headers: list[str]
    rows: list[list[Any]]


# Format → (tablib format, content type). ODS is the UK government's open standard for tables.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}


def table_response(table: Table, *, filename: str, fmt: str) -> HttpResponse:
    """``table`` as a CSV, XLSX or ODS download (404 for any other format)."""
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    tablib_format, content_type = FORMATS[fmt]
    dataset = tablib.Dataset(headers=_cells(table.headers), title=table.title[:31])
    for row in table.rows:
        dataset.append(_cells(row))
    content = dataset.export(tablib_format)
    if fmt == "csv":
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
