"""Path converters for address segments that are one of a few words: a download's format
(``export.csv``, ``files/pdf/``), or which of a page's tables it is.

Matched by the address itself, any other word is not found before a view runs: a view never
builds a national table, or records an export in the audit trail, for a file it then refuses
to send. Core registers ``<table_format:…>`` (CSV, XLSX or ODS) when it starts; an app
registers its own choices in its ``urls.py`` with :func:`register_choice`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.urls import register_converter
from django.urls.converters import get_converters

from preventhub.core.exports import FORMATS


class Choice:
    """A path segment that is one of a fixed set of words, given to the view as it is."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)
        self.regex = "|".join(map(re.escape, self.words))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        if value not in self.words:
            raise ValueError(f"{value!r} is not one of {', '.join(self.words)}")
        return value


def register_choice(name: str, words: Iterable[str]) -> None:
    """Make ``<name:…>`` match only ``words``. Registered once: a module read again (as tests
    that swap the routes do) finds it there; a name already taken for other words is refused,
    so two apps cannot choose the same name and one of them silently match the other's words."""
    choice = Choice(words)
    registered = get_converters().get(name)
    if registered is None:
        # Django makes the converter itself from its class; one made already is given as its own
        register_converter(lambda: choice, name)
    elif not isinstance(registered, Choice) or registered.words != choice.words:
        raise ImproperlyConfigured(f"The path converter {name!r} is already registered.")


def register() -> None:
    register_choice("table_format", FORMATS)
