"""Answer scales of the safeguarding audit and what each answer means (¶10).

Every scaled answer is positive, partial or negative, so "actioned all requirements" and "could not
confirm" are counted the same way whatever words a question uses. Numbers and text carry no
outcome: they are indicators, never requirements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol

from django.db import models

from preventhub.core.numbers import whole_number
from preventhub.core.spreadsheets import LARGEST_INTEGER


class Scale(models.TextChoices):
    YES_NO = "yes_no", "Yes · No"
    YES_NO_PARTLY = "yes_no_partly", "Yes · Partly · No"
    MET_PARTLY_NOT = "met_partly_not", "Met · Partly met · Not met"
    ONE_TO_FOUR = "one_to_four", "1 · 2 · 3 · 4 (1 is best)"
    NUMBER = "number", "A number"
    TEXT = "text", "Text"


class Outcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    PARTIAL = "partial", "Partial"
    NEGATIVE = "negative", "Negative"
    NONE = "", "No outcome"


# The labels each scale accepts, in the order they are offered, with their outcome.
SCALE_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    Scale.YES_NO: (("Yes", Outcome.POSITIVE), ("No", Outcome.NEGATIVE)),
    Scale.YES_NO_PARTLY: (
        ("Yes", Outcome.POSITIVE),
        ("Partly", Outcome.PARTIAL),
        ("No", Outcome.NEGATIVE),
    ),
    Scale.MET_PARTLY_NOT: (
        ("Met", Outcome.POSITIVE),
        ("Partly met", Outcome.PARTIAL),
        ("Not met", Outcome.NEGATIVE),
    ),
    Scale.ONE_TO_FOUR: (
        ("1", Outcome.POSITIVE),
        ("2", Outcome.PARTIAL),
        ("3", Outcome.PARTIAL),
        ("4", Outcome.NEGATIVE),
    ),
}

MAX_TEXT_ANSWER = 2000


class AnswerError(ValueError):
    """An answer that does not fit its question's scale; the message says what would."""


def _key(text: str) -> str:
    """Case- and space-insensitive form of an answer: " partly  MET " matches "Partly met"."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def labels(scale: str) -> list[str]:
    return [label for label, _ in SCALE_LABELS.get(scale, ())]


def is_scaled(scale: str) -> bool:
    return scale in SCALE_LABELS


def read_answer(scale: str, raw: str) -> tuple[str, str]:
    """The stored value and outcome of ``raw`` on ``scale``; "" for no answer.

    Raises :class:`AnswerError` naming the accepted answers.
    """
    text = re.sub(r"\s+", " ", raw or "").strip()
    if not text:
        return "", Outcome.NONE
    if scale in SCALE_LABELS:
        for label, outcome in SCALE_LABELS[scale]:
            if _key(label) == _key(text):
                return label, outcome
        raise AnswerError(f'"{text}" is not an answer to this question: use {_either(scale)}')
    if scale == Scale.NUMBER:
        number = whole_number(text)
        if number is None:
            raise AnswerError(f'"{text[:20]}" is not a whole number from 0 to {LARGEST_INTEGER:,}')
        return str(number), Outcome.NONE
    if len(raw) > MAX_TEXT_ANSWER:
        raise AnswerError(f"the answer is longer than {MAX_TEXT_ANSWER} characters")
    return raw.strip(), Outcome.NONE


def _either(scale: str) -> str:
    names = [f'"{label}"' for label in labels(scale)]
    return ", ".join(names[:-1]) + " or " + names[-1]


# Each scale's label → its outcome: answers are stored as their label, so an answer's outcome is
# looked up rather than stored.
_OUTCOMES: dict[tuple[str, str], str] = {
    (scale, label): outcome for scale, pairs in SCALE_LABELS.items() for label, outcome in pairs
}


def outcome_of(scale: str, value: str) -> str:
    """The outcome of the stored answer ``value`` on ``scale``; "" for numbers, text and blanks."""
    return _OUTCOMES.get((scale, value), Outcome.NONE)


# --- What a response's answers count for in the round's Prevent figures ------------------------


class CountedQuestion(Protocol):
    pk: int
    scale: str
    prevent: bool
    required: bool
    requirement: bool


class PreventCounts(NamedTuple):
    """What one response's answers count for in its round's Prevent figures (``stats``)."""

    done: int  # non-blank answers to required Prevent questions
    negative: int  # Prevent requirements answered negatively
    positive: int  # Prevent requirements answered positively


# An answer's share of its response's counts is one integer, a field of 20 bits for each count
# (a round has far fewer than a million questions): an import sums a row's shares in one call.
_FIELD = 20
_MASK = (1 << _FIELD) - 1


def share_of(question: CountedQuestion, value: str) -> int:
    """Answer ``value`` to ``question``'s share of :class:`PreventCounts`, packed (see
    :func:`unpack`): nothing for a blank or a question that is not a Prevent one."""
    if not value or not question.prevent:
        return 0
    share = 1 if question.required else 0
    if question.requirement:
        outcome = outcome_of(question.scale, value)
        if outcome == Outcome.NEGATIVE:
            share += 1 << _FIELD
        elif outcome == Outcome.POSITIVE:
            share += 1 << (2 * _FIELD)
    return share


def unpack(total: int) -> PreventCounts:
    """The counts of a sum of :func:`share_of`."""
    return PreventCounts(total & _MASK, (total >> _FIELD) & _MASK, total >> (2 * _FIELD))


def prevent_counts(
    answers: Mapping[str, str], questions: Iterable[CountedQuestion]
) -> PreventCounts:
    """What ``answers`` (a response's, by question id) count for, given its round's questions."""
    return unpack(sum(share_of(q, answers.get(str(q.pk), "")) for q in questions))
