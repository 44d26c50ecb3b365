"""Figures as people read them: a count with its base and a whole percentage.

One rounding rule for every page, download and document: whole percent, halves rounded up
(12.5% is 13%, 97.5% is 98%), so the same two counts never show two different percentages.
A share that rounds to 0% but is not none is written "less than 1%", and one that rounds to 100%
but is not all "more than 99%": "1 of 345 (0%)" would say nobody.
"""

from __future__ import annotations


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percentage, halves rounded up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


def percent_text(part: int, whole: int) -> str | None:
    """ "97%", "less than 1%" (1 of 345), "more than 99%" (344 of 345); None when ``whole`` is 0."""
    shown = percent(part, whole)
    if shown is None:
        return None
    if shown == 0 and part > 0:
        return "less than 1%"
    if shown == 100 and part < whole:
        return "more than 99%"
    return f"{shown}%"


def with_base(part: int, whole: int) -> str:
    """ "399 of 411 (97%)": a count with its base, as the GOV.UK style guide asks."""
    shown = percent_text(part, whole)
    return f"{part} of {whole}" + ("" if shown is None else f" ({shown})")
