"""The Vulnerability Assessment Framework (Home Office, 2012): 3 dimensions and 22 factors.

The framework supports professional judgement. Prevent Hub records text per factor and per
dimension, as the professionals write it; it has no score, no rating and no total.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    factors: tuple[tuple[str, str], ...]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "engagement",
        "Engagement with a group, cause or ideology",
        (
            ("e1", "Feelings of grievance and injustice"),
            ("e2", "Feeling under threat"),
            ("e3", "A need for identity, meaning and belonging"),
            ("e4", "A desire for status"),
            ("e5", "A desire for excitement and adventure"),
            ("e6", "A need to dominate and control others"),
            ("e7", "Susceptibility to indoctrination"),
            ("e8", "A desire for political or moral change"),
            ("e9", "Opportunistic involvement"),
            ("e10", "Family or friends involvement in extremism"),
            ("e11", "Being at a transitional time of life"),
            ("e12", "Being influenced or controlled by a group"),
            ("e13", "Relevant mental health issues"),
        ),
    ),
    Dimension(
        "intent",
        "Intent to cause harm",
        (
            ("i1", "Over-identification with a group or ideology"),
            ("i2", "Them and us thinking"),
            ("i3", "Dehumanisation of the enemy"),
            ("i4", "Attitudes that justify offending"),
            ("i5", "Harmful means to an end"),
            ("i6", "Harmful objectives"),
        ),
    ),
    Dimension(
        "capability",
        "Capability to cause harm",
        (
            ("c1", "Individual knowledge, skills and competencies"),
            ("c2", "Access to networks, funding or equipment"),
            ("c3", "Criminal capability"),
        ),
    ),
)

FACTOR_COUNT = sum(len(dimension.factors) for dimension in DIMENSIONS)
