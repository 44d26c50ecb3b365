"""The checks a local profile data return's figures must pass. Touches no database.

The figures a return asks for (:class:`Cell`), what was entered (:class:`Entry`) and the
problems and large jumps found in them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from preventhub.localprofile.models import Indicator
from preventhub.partnership.models import Area

# A change needs a note when it is at least this many and at least half the last figure.
JUMP_MIN_CHANGE = 5
JUMP_RATIO = 0.5
NOTE_MAX = 200

# Notes are for reasons, not people: refuse what looks like an e-mail address or phone number.
PERSONAL_DATA = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+44|\b0)\d[\d ]{8,}\d")

Key = tuple[int, int | None]  # (indicator, district or None for the county)


@dataclass(frozen=True)
class Cell:
    """One figure a return asks for."""

    indicator: Indicator
    district: Area | None

    @property
    def key(self) -> Key:
        return (self.indicator.pk, self.district.pk if self.district else None)

    @property
    def where(self) -> str:
        return self.district.name if self.district else "Whole county"


@dataclass(frozen=True)
class Entry:
    value: int | None
    note: str = ""


@dataclass(frozen=True)
class Problem:
    key: Key
    field: str  # "value" or "note"
    message: str


@dataclass(frozen=True)
class Jump:
    key: Key
    previous: int
    value: int


def is_large_jump(previous: int, value: int) -> bool:
    change = abs(value - previous)
    return change >= JUMP_MIN_CHANGE and (previous == 0 or change / previous >= JUMP_RATIO)


def check(
    cells: list[Cell],
    entries: Mapping[Key, Entry],
    previous: Mapping[Key, int],
    *,
    sending: bool,
) -> tuple[list[Problem], list[Jump]]:
    """Every problem with the figures, and the large jumps since last quarter.

    A missing required figure, or a large jump without a note, stops a return being sent but
    not being saved as a draft.
    """
    problems: list[Problem] = []
    jumps: list[Jump] = []
    for cell in cells:
        entry = entries.get(cell.key, Entry(None))
        indicator = cell.indicator
        if len(entry.note) > NOTE_MAX:
            problems.append(Problem(cell.key, "note", f"Keep the note to {NOTE_MAX} characters"))
        elif PERSONAL_DATA.search(entry.note):
            problems.append(
                Problem(
                    cell.key,
                    "note",
                    "Take out the e-mail address or phone number: no "
                    "personal details in a data return",
                )
            )
        if entry.value is None:
            if sending and indicator.is_required:
                problems.append(Problem(cell.key, "value", f"Enter the figure for {cell.where}"))
            continue
        if entry.value < 0:
            problems.append(Problem(cell.key, "value", "The figure cannot be negative"))
        elif entry.value < indicator.minimum or (
            indicator.maximum is not None and entry.value > indicator.maximum
        ):
            top = "" if indicator.maximum is None else f" to {indicator.maximum}"
            problems.append(
                Problem(
                    cell.key,
                    "value",
                    f"The figure must be from {indicator.minimum}{top}",
                )
            )
        elif cell.key in previous and is_large_jump(previous[cell.key], entry.value):
            jumps.append(Jump(cell.key, previous[cell.key], entry.value))
            if sending and not entry.note.strip():
                problems.append(
                    Problem(
                        cell.key,
                        "note",
                        f"The figure changed from {previous[cell.key]} last quarter to "
                        f"{entry.value}: say why in a note",
                    )
                )
    return problems, jumps
