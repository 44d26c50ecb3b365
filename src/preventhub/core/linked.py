"""What other apps say a record came from or led to: links shown on its page.

``core`` imports no domain app, and an app never imports one that builds on it, so a page cannot
ask the apps that refer to its record by importing them. Instead each such app registers a
function, for a model's label, that gives the links one user may see for one record: self-
assessment registers, for a Delivery Plan action, the finding the action was raised from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class LinkedRecord:
    kind: str  # what the other record is, e.g. "Self-assessment finding"
    text: str
    href: str = ""  # empty when the user may not open it


LinkSource = Callable[[Any, Any], list[LinkedRecord]]

_sources: dict[str, list[LinkSource]] = {}


def register_links(model_label: str, source: LinkSource) -> None:
    """``source(user, obj)`` gives the links to show on the page of ``obj`` to ``user``."""
    registered = _sources.setdefault(model_label.lower(), [])
    if source not in registered:
        registered.append(source)


def links_to(user: Any, obj: Model) -> list[LinkedRecord]:
    label = obj._meta.label_lower
    return [link for source in _sources.get(label, []) for link in source(user, obj)]
