"""Forms of the safeguarding audit's staff pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from preventhub.audits.models import AuditRound, Question
from preventhub.audits.scales import Scale
from preventhub.core.forms import Radios, ServiceForm, VersionField, date_field
from preventhub.core.numbers import whole_number
from preventhub.core.spreadsheets import Limits, SpreadsheetRefused, check_size


class RoundForm(ServiceForm, forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text='For example "2018", or "Online safety survey, spring 2019".',
        error_messages={"required": "Enter a name for the round"},
    )
    kind = forms.ChoiceField(
        label="Kind of round",
        choices=AuditRound.Kind.choices,
        widget=Radios,
        initial=AuditRound.Kind.ANNUAL,
        help_text="A round is compared with the previous round of the same kind.",
    )
    opens_on = date_field("Opens")
    closes_on = date_field("Closes")
    version = VersionField()

    def __init__(self, *args: Any, audit_round: AuditRound | None = None, **kwargs: Any) -> None:
        if audit_round is not None:
            kwargs.setdefault("initial", self.initial_from(audit_round))
        super().__init__(*args, **kwargs)
        if audit_round is None:
            self.fields["copy_from"] = forms.ModelChoiceField(
                label="Copy the questions of another round (optional)",
                queryset=AuditRound.objects.order_by("-opens_on"),
                required=False,
                empty_label="No, start with no questions",
            )
            self.fields["version"].required = False

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        if "copy_from" in self.fields:
            # A new round: it has no version yet, and may start with another round's questions.
            del arguments["expected_version"]
            arguments["copy_from"] = self.cleaned_data["copy_from"]
        return arguments


class QuestionForm(ServiceForm, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Question
        fields = [
            "code",
            "section",
            "text",
            "scale",
            "prevent",
            "requirement",
            "required",
            "suggested_action",
            "position",
        ]
        widgets = {
            "scale": Radios,
            "text": forms.Textarea(attrs={"rows": 3}),
            "suggested_action": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"position": "Order in the questionnaire"}
        error_messages = {
            "code": {"required": "Enter a code for the question, like P3"},
            "section": {"required": "Enter the section the question belongs to"},
            "text": {"required": "Enter the question"},
            "scale": {"required": "Choose how the question is answered"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 1
        self.fields["version"].required = bool(self.instance.pk)
        self.fields["position"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("requirement") and data.get("scale") in (Scale.NUMBER, Scale.TEXT):
            self.add_error(
                "requirement",
                "A number or text answer cannot show a requirement is met: make it an "
                "indicator, or choose a yes/no kind of scale",
            )
        return data


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV or XLSX.",
        error_messages={"required": "Choose the file to upload"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, Limits.from_settings())
        except SpreadsheetRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


# Schools added by URN at once: a round's scope is chosen from the register; these are the
# schools it missed. The register is looked up with one list of them, which SQLite holds to
# 32,766 values.
MOST_URNS_AT_ONCE = 5_000


class ScopeAddForm(forms.Form):
    urns = forms.CharField(
        label="URNs of the schools to add",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Separate URNs with spaces, commas or new lines.",
        error_messages={"required": "Enter the URN of at least one school"},
    )

    def clean_urns(self) -> list[int]:
        parts = [part for part in re.split(r"[\s,;]+", self.cleaned_data["urns"]) if part]
        urns = [whole_number(part) for part in parts]
        wrong = [part[:12] for part, urn in zip(parts, urns, strict=True) if urn is None]
        if wrong:
            raise forms.ValidationError(f"{', '.join(wrong[:5])} is not a URN: a URN is a number")
        if len(parts) > MOST_URNS_AT_ONCE:
            raise forms.ValidationError(
                f"Add at most {MOST_URNS_AT_ONCE:,} schools at once: these are {len(parts):,}"
            )
        return [urn for urn in urns if urn is not None]
