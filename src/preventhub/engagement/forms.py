from __future__ import annotations

from typing import Any

from django import forms

from preventhub.core.forms import Checkboxes, Radios, ServiceForm, VersionField, date_field
from preventhub.engagement.models import (
    Activity,
    ActivityKind,
    Audience,
    Channel,
    CommunicationObjective,
    KeyMessage,
)
from preventhub.engagement.queries import ActivityFilter
from preventhub.partnership.models import Area, Organisation


def _districts() -> Any:
    return Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name")


class ObjectiveForm(ServiceForm, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = CommunicationObjective
        fields = ["title", "description", "position"]
        widgets = {
            "position": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter the objective"},
            "position": {"required": "Enter the objective's place in the plan, 1 for the first"},
        }


class MessageForm(ServiceForm, forms.ModelForm):
    """A new key message with its first wording, or a change of its title and audience."""

    version = VersionField()
    text = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The words partners will use. It is a draft until the coordinator approves it.",
        error_messages={"required": "Enter the wording of the message"},
    )
    not_stored = ("text",)

    class Meta:
        model = KeyMessage
        fields = ["title", "objective", "audience"]
        error_messages = {"title": {"required": "Enter a short title for the message"}}

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].empty_label = "None"
        self.fields["audience"].choices = [("", "Every audience"), *Audience.choices]
        if editing:
            del self.fields["text"]


class MessageVersionForm(ServiceForm, forms.Form):
    text = forms.CharField(
        label="New wording",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the new wording of the message"},
    )
    note = forms.CharField(
        label="What changed and why", max_length=300, required=False, widget=forms.TextInput
    )


class ActivityForm(ServiceForm, forms.ModelForm):
    version = VersionField()
    held_on = date_field("Date")
    partners = forms.ModelMultipleChoiceField(
        label="Partners",
        queryset=Organisation.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text="The organisations that ran or joined the activity.",
    )
    messages = forms.ModelMultipleChoiceField(
        label="Key messages used",
        queryset=KeyMessage.objects.none(),
        required=False,
        widget=Checkboxes,
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "held_on",
            "district",
            "audience",
            "channel",
            "partners",
            "objective",
            "messages",
            "materials",
            "reach",
            "reach_kind",
            "feedback",
            "outcomes",
        ]
        labels = {
            "kind": "Kind of activity",
            "reach": "Reach",
            "reach_kind": "Reach counts",
            "feedback": "Feedback",
            "outcomes": "Outcomes",
        }
        help_texts = {
            "reach": "How many people attended, or how many saw it. A number, never names. "
            "Leave empty until the activity has happened.",
            "feedback": "What participants said. Never name anyone.",
            "outcomes": "What came of it: follow-up, new contacts, requests for training.",
        }
        widgets = {
            "audience": Radios,
            "channel": Radios,
            "reach_kind": Radios,
            "reach": forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter what the activity is called"},
            "kind": {"required": "Choose the kind of activity"},
            "district": {"required": "Choose the district"},
            "audience": {"required": "Choose the audience"},
            "channel": {"required": "Choose the channel"},
            "reach": {"min_value": "Reach cannot be negative"},
        }

    def __init__(self, *args: Any, own_district: Area | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        if own_district is not None:
            # A district lead records activities in their own district only.
            district.queryset = Area.objects.filter(pk=own_district.pk)
            district.required = True
            district.empty_label = None
            district.help_text = ""
        else:
            district.queryset = _districts()
            district.empty_label = "Across the county"
        self.fields["partners"].queryset = Organisation.objects.filter(is_archived=False)
        self.fields["messages"].queryset = KeyMessage.objects.all()
        self.fields["objective"].empty_label = "None"


class ActivityFilterForm(forms.Form):
    """The activity list's filter: read from the query string, never saved."""

    district = forms.ChoiceField(label="District", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *ActivityKind.choices]
    )
    audience = forms.ChoiceField(
        label="Audience", required=False, choices=[("", "Any"), *Audience.choices]
    )
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[("", "Any"), *Channel.choices]
    )
    date_from = date_field("From", required=False)
    date_to = date_field("To", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {str(area.pk): area for area in _districts()}
        self.fields["district"].choices = [
            ("", "Any"),
            ("county", "Across the county"),
            *((pk, area.name) for pk, area in self.districts.items()),
        ]

    def chosen(self) -> ActivityFilter:
        if not self.is_valid():
            return ActivityFilter()
        data = self.cleaned_data
        return ActivityFilter(
            district=self.districts.get(data["district"]),
            countywide=data["district"] == "county",
            kind=data["kind"],
            audience=data["audience"],
            channel=data["channel"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class CalendarForm(forms.Form):
    """The calendar's district: every district unless one is chosen."""

    district = forms.ChoiceField(label="District", required=False)
    month = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {str(area.pk): area for area in _districts()}
        self.fields["district"].choices = [
            ("", "Every district"),
            *((pk, area.name) for pk, area in self.districts.items()),
        ]

    def chosen_district(self) -> Area | None:
        if not self.is_valid():
            return None
        return self.districts.get(self.cleaned_data["district"])


class FiguresForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)

    def __init__(self, *args: Any, years: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
