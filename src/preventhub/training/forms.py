from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings

from preventhub.core.forms import Radios, ServiceForm, VersionField, date_field
from preventhub.partnership.models import ReportingPeriod, Sector
from preventhub.training.models import RoleGroup, TrainingLevel, TrainingProduct, TrainingSession

WIDTH_5 = forms.NumberInput(attrs={"class": "govuk-input--width-5"})


class LevelForm(ServiceForm, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = TrainingLevel
        fields = ["name", "course", "description", "refresh_months", "position"]
        labels = {"refresh_months": "Refresh after (months)", "position": "Order"}
        widgets = {"refresh_months": WIDTH_5, "position": WIDTH_5}
        error_messages = {
            "name": {"required": "Enter the level's name"},
            "refresh_months": {"required": "Enter after how many months training goes out of date"},
            "position": {"required": "Enter the level's place in the order, 1 for the most basic"},
        }


class RoleGroupForm(ServiceForm, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = RoleGroup
        fields = ["sector", "name", "level", "refresh_months"]
        labels = {"level": "Level needed", "refresh_months": "Refresh after (months)"}
        widgets = {"refresh_months": WIDTH_5}
        error_messages = {
            "sector": {"required": "Choose the sector"},
            "name": {"required": "Enter the role group's name"},
            "level": {"required": "Choose the level this role group needs"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("order", "name")


class ProductForm(ServiceForm, forms.ModelForm):
    version = VersionField()
    url = forms.URLField(
        label="Web address",
        required=False,
        assume_scheme="https",
        help_text="Where an e-learning course is.",
    )

    class Meta:
        model = TrainingProduct
        fields = ["name", "kind", "audience", "level", "url"]
        widgets = {"kind": Radios, "audience": Radios}
        error_messages = {
            "name": {"required": "Enter the product's name"},
            "kind": {"required": "Choose what kind of product it is"},
        }


class ProductVersionForm(ServiceForm, forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"PPTX, ODP, PDF or DOCX, up to {settings.PREVENTHUB_PRODUCT_FILE_MAX_MB} MB. "
        "The earlier versions are kept.",
        error_messages={"required": "Choose the file to upload"},
    )
    note = forms.CharField(label="What changed", max_length=300, required=False)

    service_names = {"file": "upload"}


def _counts(form: forms.Form, groups: list[RoleGroup], prefix: str, help_text: str) -> None:
    for group in groups:
        form.fields[f"{prefix}_{group.pk}"] = forms.IntegerField(
            label=f"{group.name} (needs {group.level.name.lower()})",
            min_value=0,
            required=False,
            widget=WIDTH_5,
            help_text=help_text,
            error_messages={
                "invalid": f"Enter the number of {group.name.lower()} as a whole number",
                "min_value": f"The number of {group.name.lower()} cannot be negative",
            },
        )


class WorkforceForm(ServiceForm, forms.Form):
    """How many staff in each role group: counts only, no names."""

    as_of = date_field("As of")
    version = VersionField(required=True)

    def __init__(self, *args: Any, groups: list[RoleGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        _counts(self, groups, "staff", "")

    def staff(self) -> dict[RoleGroup, int]:
        return {
            group: self.cleaned_data[f"staff_{group.pk}"]
            for group in self.groups
            if self.cleaned_data.get(f"staff_{group.pk}") is not None
        }


class SessionForm(ServiceForm, forms.Form):
    version = VersionField(required=True)
    held_on = date_field("Date", help_text="For e-learning, the last day of the completions.")
    level = forms.ModelChoiceField(
        label="Level",
        queryset=TrainingLevel.objects.order_by("position"),
        error_messages={"required": "Choose the level of the training"},
    )
    mode = forms.ChoiceField(
        label="How it was delivered",
        choices=TrainingSession.Mode.choices,
        widget=Radios,
        error_messages={"required": "Choose how the training was delivered"},
    )
    product = forms.ModelChoiceField(
        label="Training product",
        queryset=TrainingProduct.objects.order_by("name"),
        required=False,
        empty_label="Another product",
    )
    facilitator = forms.CharField(
        label="Facilitator",
        max_length=150,
        required=False,
        help_text="The organisation or accredited WRAP facilitator who delivered it.",
    )
    # Hidden until the service finds the same training already recorded: then a checkbox.
    allow_duplicate = forms.BooleanField(
        label="This is a different session: record it as well",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self, *args: Any, groups: list[RoleGroup], period: ReportingPeriod, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups, self.period = groups, period
        _counts(self, groups, "attendees", "")

    def clean_held_on(self) -> datetime.date:
        held_on = self.cleaned_data["held_on"]
        if not self.period.starts_on <= held_on <= self.period.ends_on:
            raise forms.ValidationError(
                f"Enter a date in {self.period}, from {self.period.starts_on:%-d %B %Y} to "
                f"{self.period.ends_on:%-d %B %Y}"
            )
        return held_on

    def attendees(self) -> dict[RoleGroup, int]:
        return {group: self.cleaned_data.get(f"attendees_{group.pk}") or 0 for group in self.groups}

    @classmethod
    def initial_for(cls, session: TrainingSession, version: int) -> dict[str, Any]:
        """The form opened at a session already recorded, to correct it."""
        initial: dict[str, Any] = {
            "version": version,
            "held_on": session.held_on,
            "level": session.level_id,
            "mode": session.mode,
            "product": session.product_id,
            "facilitator": session.facilitator,
        }
        for row in session.attendance.all():
            initial[f"attendees_{row.role_group_id}"] = row.attendees
        return initial

    def ask_to_confirm_duplicate(self, message: str) -> None:
        """Show the checkbox that records the training even though it looks like a duplicate."""
        self.fields["allow_duplicate"].widget = forms.CheckboxInput()
        self._bound_fields_cache.pop("allow_duplicate", None)
        self.add_error("allow_duplicate", message)


class RemoveSessionForm(ServiceForm, forms.Form):
    version = VersionField(required=True)
