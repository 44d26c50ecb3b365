"""Disclosure control for counts of people: the cell-key method, then suppression.

This is the one protection through which statistics about individuals leave case work. It is
the method of the ONS (Census 2021 custom datasets) and the ABS (TableBuilder), made small:

1. Each record gets a **record key** when it is created: a random whole number from 0 to
   ``KEY_SPACE - 1``, kept with the record and never shown.
2. A cell of a table (the records it counts) gets a **cell key**: the sum of its records' keys,
   modulo ``KEY_SPACE``. It depends only on *which* records are counted, so the same records
   always get the same cell key, however the question was asked.
3. The **perturbation table** (``PERTURBATION``, published in docs/casework.md) turns the cell
   key into a small change, from -2 to +2, added to the count. The same cell always gets the
   same answer, so asking again, or asking the same thing another way, teaches nothing; two
   different cells get independent changes, so subtracting one from another (a year minus its
   quarters, a total minus its rows) gives a number that is off by an unknown amount.
4. Then **suppression**: a count below the threshold (zero included: "nobody" is also a fact
   about people) is never shown, and neither is a changed count that falls below it. So a
   shown number is never below the threshold, and every shown number could have come from at
   least two different true counts.

Tables built this way do not add up: each row and the total are changed independently. That is
what keeps a total minus the shown rows from giving a hidden one.

Exact figures (``exact_cell``) are for case roles counting their own cases only.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

KEY_SPACE = 256

# The published perturbation table: a cell key below each bound gives that change. Out of 256
# keys: 26 give -2, 51 give -1, 102 give 0, 51 give +1 and 26 give +2 (about 10%, 20%, 40%, 20%,
# 10%), so the change averages zero and is most often none.
PERTURBATION: tuple[tuple[int, int], ...] = ((26, -2), (77, -1), (179, 0), (230, 1), (256, 2))


def new_record_key() -> int:
    """A record key for a new record: random, from the operating system's secure source."""
    return secrets.randbelow(KEY_SPACE)


def change_for(cell_key: int) -> int:
    """The perturbation the published table gives a cell key."""
    for bound, change in PERTURBATION:
        if cell_key % KEY_SPACE < bound:
            return change
    raise AssertionError("the perturbation table covers every key")


@dataclass(frozen=True)
class Tally:
    """A cell as counted, before protection: how many records and the sum of their keys."""

    count: int = 0
    key_sum: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.key_sum + other.key_sum)

    @property
    def cell_key(self) -> int:
        return self.key_sum % KEY_SPACE


def published(tally: Tally, *, threshold: int) -> int | None:
    """The count that may be shown for this cell, or None when it is suppressed."""
    if tally.count < threshold:
        return None
    shown = tally.count + change_for(tally.cell_key)
    return shown if shown >= threshold else None


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None when suppressed
    suppressed: bool

    def share_of(self, total: int | None) -> float | None:
        if self.count is None or not total:
            return None
        return self.count / total


def protected_cell(label: str, tally: Tally, *, threshold: int) -> Cell:
    shown = published(tally, threshold=threshold)
    return Cell(label, shown, shown is None)


def exact_cell(label: str, tally: Tally) -> Cell:
    """A true count, for someone counting their own cases."""
    return Cell(label, tally.count, False)


@dataclass(frozen=True)
class ProtectedTable:
    """A one-way table: a cell per category and the total, each protected on its own."""

    cells: list[Cell]
    total: int | None
    threshold: int
    exact: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "rows": [
                {"label": cell.label, "count": cell.count, "suppressed": cell.suppressed}
                for cell in self.cells
            ],
            "total": self.total,
            "threshold": self.threshold,
            "method": "exact" if self.exact else "cell-key",
        }


@dataclass(frozen=True)
class CrossTable:
    """A two-way table: every cell, every row and column total, and the grand total, each
    protected on its own (so a row total is the same answer as that row's one-way cell)."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Cell]]  # [row][column]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    threshold: int
    exact: bool = False

    @property
    def rows_with_totals(self) -> list[tuple[str, list[Cell], Cell]]:
        return list(zip(self.row_labels, self.cells, self.row_totals, strict=True))

    def as_json(self) -> dict[str, object]:
        def number(cell: Cell) -> int | None:
            return cell.count

        return {
            "columns": self.column_labels,
            "rows": [
                {
                    "label": label,
                    "counts": [number(cell) for cell in row],
                    "total": number(self.row_totals[index]),
                }
                for index, (label, row) in enumerate(zip(self.row_labels, self.cells, strict=True))
            ],
            "column_totals": [number(cell) for cell in self.column_totals],
            "total": number(self.total),
            "threshold": self.threshold,
            "method": "exact" if self.exact else "cell-key",
        }


def one_way(
    labels: Sequence[str], tallies: Sequence[Tally], total: Tally, *, threshold: int, exact: bool
) -> ProtectedTable:
    if exact:
        cells = [exact_cell(label, tally) for label, tally in zip(labels, tallies, strict=True)]
        return ProtectedTable(cells, total.count, threshold, exact=True)
    cells = [
        protected_cell(label, tally, threshold=threshold)
        for label, tally in zip(labels, tallies, strict=True)
    ]
    return ProtectedTable(cells, published(total, threshold=threshold), threshold)


def two_way(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    tallies: Sequence[Sequence[Tally]],
    row_totals: Sequence[Tally],
    column_totals: Sequence[Tally],
    total: Tally,
    *,
    threshold: int,
    exact: bool,
) -> CrossTable:
    def cell(label: str, tally: Tally) -> Cell:
        if exact:
            return exact_cell(label, tally)
        return protected_cell(label, tally, threshold=threshold)

    return CrossTable(
        row_labels=list(row_labels),
        column_labels=list(column_labels),
        cells=[
            [cell(column, tally) for column, tally in zip(column_labels, row, strict=True)]
            for row in tallies
        ],
        row_totals=[
            cell(label, tally) for label, tally in zip(row_labels, row_totals, strict=True)
        ],
        column_totals=[
            cell(label, tally) for label, tally in zip(column_labels, column_totals, strict=True)
        ],
        total=cell("Total", total),
        threshold=threshold,
        exact=exact,
    )
