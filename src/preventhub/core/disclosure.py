"""Disclosure control for counts of people: small cells suppressed, and never recoverable.

Any count below the threshold (zero included: "nobody" is also a fact about people) is
suppressed. Secondary suppression then makes sure no suppressed cell can be worked out from the
published total: at least two cells are suppressed together, and they add up to at least one,
so each could take more than one value. If the total itself is below the threshold, it is
suppressed too. Rates are given only where both the count and the total are published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None when suppressed
    suppressed: bool
    primary: bool  # suppressed because it is small, rather than to protect another cell

    def share_of(self, total: int | None) -> float | None:
        if self.count is None or not total:
            return None
        return self.count / total


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[Cell]
    total: int | None
    threshold: int

    def as_json(self) -> dict[str, object]:
        return {
            "rows": [
                {"label": cell.label, "count": cell.count, "suppressed": cell.suppressed}
                for cell in self.cells
            ],
            "total": self.total,
            "threshold": self.threshold,
        }


def protect(counts: Sequence[tuple[str, int]], *, threshold: int) -> ProtectedTable:
    """Suppress the small cells of a one-way table whose rows add up to its total."""
    values = [count for _, count in counts]
    total = sum(values)
    primary = {index for index, value in enumerate(values) if value < threshold}
    suppressed = set(primary)

    def smallest_published() -> int | None:
        candidates = [index for index in range(len(values)) if index not in suppressed]
        return min(candidates, key=lambda index: (values[index], index), default=None)

    total_published = total >= threshold
    if total_published and suppressed:
        # One suppressed cell is the total minus the rest: suppress another with it. Suppressed
        # cells that add up to zero would all be known to be zero: add a cell that is not.
        while len(suppressed) < 2 or sum(values[index] for index in suppressed) == 0:
            extra = smallest_published()
            if extra is None:
                break
            suppressed.add(extra)
        if len(suppressed) < 2 or sum(values[index] for index in suppressed) == 0:
            total_published = False
    cells = [
        Cell(
            label=label,
            count=None if index in suppressed else values[index],
            suppressed=index in suppressed,
            primary=index in primary,
        )
        for index, (label, _) in enumerate(counts)
    ]
    return ProtectedTable(
        cells=cells, total=total if total_published else None, threshold=threshold
    )


def protect_count(count: int, *, threshold: int) -> int | None:
    """A single count on its own: shown only if it reaches the threshold."""
    return count if count >= threshold else None
