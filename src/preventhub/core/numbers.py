"""Whole numbers as people and other programs send them: in an address, a form or a file.

``str.isdigit()`` alone is not a check: it takes "²" and the digits of other scripts, which
``int()`` then refuses with an error nobody catches, and a number past the database's integer
columns fails in the database. Both gave the error page. :func:`whole_number` is the check.
"""

from __future__ import annotations

from preventhub.core.spreadsheets import LARGEST_INTEGER


def whole_number(text: str, *, most: int = LARGEST_INTEGER) -> int | None:
    """``text`` as a whole number from 0 to ``most``, or ``None`` if it is not one: only the
    digits 0 to 9, no sign, no spaces (strip them first where they are allowed)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(most)):
        return None
    number = int(text)
    return number if number <= most else None
