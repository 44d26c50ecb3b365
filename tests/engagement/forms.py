"""Forms of the engagement pages, filled in as a person would."""

from __future__ import annotations


def activity_form(**fields: object) -> dict[str, object]:
    """The new activity form as a person fills it in; keyword arguments change fields."""
    data: dict[str, object] = {
        "title": "Parents' evening",
        "kind": "parenting_programme",
        "held_on": "2026-11-20",
        "audience": "parents",
        "channel": "event",
        "reach": "14",
        "reach_kind": "attendance",
        "feedback": "Parents asked for more sessions",
        "outcomes": "Two schools asked for the programme",
    }
    data.update(fields)
    return data
