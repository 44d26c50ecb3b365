from __future__ import annotations

from typing import Any

from django import forms

from preventhub.core.forms import Checkboxes, Radios, ServiceForm, VersionField, date_field
from preventhub.partnership.models import Organisation, ReportingPeriod
from preventhub.returns.models import ReturnKind


class WindowForm(ServiceForm, forms.Form):
    period = forms.ModelChoiceField(
        label="Quarter",
        queryset=ReportingPeriod.objects.order_by("-starts_on"),
        empty_label="Choose a quarter",
        error_messages={"required": "Choose the quarter the returns are for"},
    )
    kind = forms.ChoiceField(
        label="Which return",
        choices=ReturnKind.choices,
        widget=Radios,
        error_messages={"required": "Choose which return to collect"},
    )
    due_on = date_field("Due date", help_text="Returns sent after this day are marked late.")
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations that owe it",
        queryset=Organisation.objects.filter(is_archived=False).order_by("name"),
        widget=Checkboxes,
        error_messages={"required": "Choose the organisations that owe this return"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].label_from_instance = lambda org: org.name


class StepForm(ServiceForm, forms.Form):
    """A button that moves a return on (send, accept, return, re-open), with the version of the
    page it was pressed on: pressed on a page opened before someone else's change, it does
    nothing and says so."""

    version = VersionField(required=True)


class ReasonForm(StepForm):
    reason = forms.CharField(
        label="Why",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The partner sees this. Say what needs to change. Do not name anyone.",
        error_messages={"required": "Say why, so the partner knows what to do"},
    )

    not_stored = ("reason",)
