"""Figures as people read them: a count with its base and a whole percentage.

One rounding rule for every page, download and document: whole percent, halves rounded up
(12.5% is 13%, 97.5% is 98%), so the same two counts never show two different percentages.
"""

from __future__ import annotations


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percentage, halves rounded up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


def with_base(part: int, whole: int) -> str:
    """ "399 of 411 (97%)": a count with its base, as the GOV.UK style guide asks."""
    shown = percent(part, whole)
    return f"{part} of {whole}" + ("" if shown is None else f" ({shown}%)")
