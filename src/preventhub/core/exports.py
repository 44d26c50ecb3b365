"""Downloads: tabular data as files, streamed so a large export never sits in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe_cell(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens UTF-8 correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
