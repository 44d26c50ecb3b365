"""Forms of the school's secure-link journey: one section's answers, the sign-off, an action."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from preventhub.audits.models import ActionPlanItem, Question
from preventhub.audits.scales import (
    MAX_TEXT_ANSWER,
    AnswerError,
    Scale,
    is_scaled,
    labels,
    read_answer,
)
from preventhub.core.forms import ServiceForm, VersionField


def _field_for(question: Question) -> forms.Field:
    # The code leads the label: messages and the check page name questions by it.
    label = f"{question.code}: {question.text}"
    hint = "" if question.required else "Optional."
    if is_scaled(question.scale):
        hint = " ".join(
            part
            for part in (
                hint,
                "1 is best, 4 is worst." if question.scale == Scale.ONE_TO_FOUR else "",
            )
            if part
        )
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=[(value, value) for value in labels(question.scale)],
            widget=forms.RadioSelect,
        )
    if question.scale == Scale.NUMBER:
        return forms.CharField(
            label=label,
            help_text=" ".join(part for part in (hint, "A whole number, like 12.") if part),
            required=False,
            max_length=9,
            widget=forms.TextInput(
                attrs={
                    "class": "govuk-input--width-5",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            ),
        )
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=MAX_TEXT_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The answer must be {MAX_TEXT_ANSWER} characters or fewer"},
    )


class SectionForm(forms.Form):
    """The questions of one section, each field named by its question's code.

    Every field may be left blank: a draft is saved as it is, and required questions are enforced
    when the school submits (``audit_services.submit_response``).
    """

    def __init__(
        self, *args: Any, questions: Iterable[Question], saved: Mapping[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.code] = _field_for(question)
            self.initial[question.code] = saved.get(question.code, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for question in self.questions:
            raw = cleaned.get(question.code)
            if raw is None:
                continue
            try:
                read_answer(question.scale, raw)
            except AnswerError:
                self.add_error(question.code, _answer_message(question))
        return cleaned

    def answers(self) -> dict[str, str]:
        """The answers by question code, as ``audit_services.save_answers`` takes them."""
        return {q.code: self.cleaned_data.get(q.code) or "" for q in self.questions}


def _answer_message(question: Question) -> str:
    if question.scale == Scale.NUMBER:
        return "Enter a whole number, like 12, or leave it blank for now"
    return f"The answer must be {MAX_TEXT_ANSWER} characters or fewer"


class SignOffForm(ServiceForm, forms.Form):
    headteacher = forms.CharField(
        label="Headteacher's name",
        max_length=200,
        help_text="The headteacher who has seen and agreed these answers.",
        error_messages={"required": "Enter the headteacher's name"},
    )
    governor = forms.CharField(
        label="Governor's name",
        max_length=200,
        help_text="The governor who signed the audit off, usually the safeguarding governor.",
        error_messages={"required": "Enter the governor's name"},
    )


class ActionUpdateForm(ServiceForm, forms.Form):
    status = forms.ChoiceField(
        label="How far has the school got with this action?",
        choices=ActionPlanItem.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how far the school has got"},
    )
    progress = forms.CharField(
        label="What the school has done",
        required=False,
        max_length=2000,
        help_text="For example, who was trained and when, or which policy was updated.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "What the school has done must be 2000 characters or fewer"},
    )
    version = VersionField()
