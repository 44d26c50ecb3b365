"""A national-size GIAS extract (50,000 rows, 500 of them the partnership's) imported twice.

The first import creates the partnership's establishments; the second finds them unchanged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from harness import setup_django, timed

ROWS = 50_000
IN_AREA_EVERY = 100
SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "schools" / "data" / "gias_sample.csv"


def national_extract() -> bytes:
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    template = next(row for row in rows if row["LA (code)"] == "860")
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for number in range(ROWS):
        row = dict(template)
        row["URN"] = str(200_000 + number)
        row["EstablishmentName"] = f"St Mary’s School {number}, Example"
        row["LA (code)"] = "860" if number % IN_AREA_EVERY == 0 else "999"
        writer.writerow(row)
    return out.getvalue().encode("cp1252")


def main() -> None:
    setup_django()
    from preventhub.schools.gias import import_gias

    content = national_extract()
    print(f"extract: {len(content) / 1_000_000:.1f} MB, {ROWS} rows")
    with timed("first import", ROWS, "rows"):
        first = import_gias(content, la_codes=["860"])
    print(first.as_dict())
    with timed("same file again", ROWS, "rows"):
        again = import_gias(content, la_codes=["860"])
    print(again.as_dict())


if __name__ == "__main__":
    main()
