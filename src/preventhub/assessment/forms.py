"""Forms of self-assessment: they validate; the services write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms

from preventhub.accounts.models import User
from preventhub.assessment.defaults import SCALES
from preventhub.assessment.models import Colour, Framework, RatingLevel
from preventhub.core.forms import Radios, ServiceForm, VersionField, date_field
from preventhub.core.spreadsheets import Limits, SpreadsheetRefused, check_size
from preventhub.delivery.evidence import EvidenceField
from preventhub.delivery.models import Section
from preventhub.partnership.models import Organisation
from preventhub.schools.models import Establishment

# ---- frameworks ----------------------------------------------------------------------------------


class FrameworkForm(ServiceForm, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the framework's title"}
    )
    code = forms.SlugField(
        label="Short name",
        max_length=40,
        help_text="Lower-case letters, numbers and hyphens, used in file names: toolkit.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a short name",
            "invalid": "Use only lower-case letters, numbers and hyphens in the short name",
        },
    )
    publisher = forms.CharField(label="Published by (optional)", max_length=200, required=False)
    audience = forms.ChoiceField(
        label="Who assesses themselves with it",
        choices=Framework.Audience.choices,
        widget=Radios,
        error_messages={"required": "Choose who assesses themselves with it"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    steps = forms.CharField(
        label="Steps (optional)",
        required=False,
        help_text="How an assessment is done, one step a line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            self.fields["scale"] = forms.ChoiceField(
                label="Rating scale to start from",
                help_text="You can change its levels afterwards.",
                choices=[(key, label) for key, (label, _) in SCALES.items()],
                widget=Radios,
                error_messages={"required": "Choose a rating scale"},
            )

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        if "scale" in self.cleaned_data:
            arguments["scale"] = self.cleaned_data["scale"]
        return arguments


class LevelForm(ServiceForm, forms.Form):
    label = forms.CharField(
        label="Label", max_length=60, error_messages={"required": "Enter the level's label"}
    )
    code = forms.SlugField(
        label="Code",
        max_length=20,
        help_text="Used in imports and downloads, such as amber or 2.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the level's code",
            "invalid": "Use only letters, numbers and hyphens in the code",
        },
    )
    position = forms.IntegerField(
        label="Place on the scale",
        min_value=1,
        help_text="1 is the worst; higher is better.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter the level's place on the scale"},
    )
    colour = forms.ChoiceField(label="Colour", choices=Colour.choices, widget=Radios)
    is_gap = forms.BooleanField(
        label="A standard rated at this level is a gap to act on", required=False
    )
    description = forms.CharField(
        label="What it means (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AreaForm(ServiceForm, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=12,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter the area's code"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the area's title"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StandardForm(ServiceForm, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=12,
        help_text="Unique in the framework, such as TK4.1.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter the standard's code"},
    )
    title = forms.CharField(
        label="Standard", max_length=300, error_messages={"required": "Enter the standard"}
    )
    good_looks_like = forms.CharField(
        label="What good looks like (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_expected = forms.CharField(
        label="Evidence expected (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "A CSV or XLSX file, one row a standard, with the columns area_code, area, code, "
            "title, good_looks_like and evidence_expected."
        ),
        error_messages={"required": "Choose a CSV or XLSX file"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, Limits.from_settings(), upload.name)
        except SpreadsheetRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


# ---- assessments ---------------------------------------------------------------------------------


class StartForm(forms.Form):
    framework = forms.ModelChoiceField(
        label="Framework",
        queryset=Framework.objects.none(),
        widget=Radios,
        empty_label=None,
        error_messages={"required": "Choose the framework"},
    )
    title = forms.CharField(
        label="Name of the assessment",
        max_length=100,
        help_text="For example Q4 2018/19.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the name of the assessment"},
    )
    assessed_on = date_field("Date of the assessment")

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks


class RatingForm(ServiceForm, forms.Form):
    level = forms.ModelChoiceField(
        label="Rating",
        queryset=RatingLevel.objects.none(),
        widget=Radios,
        required=False,
        empty_label=None,
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        help_text="What shows the standard is met, and where it is kept.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    upload = EvidenceField(
        label="Add a file as evidence (optional)",
        help_text="A PDF, Word, spreadsheet, text or image file.",
    )
    version = VersionField(required=True)
    not_stored: ClassVar[tuple[str, ...]] = ("upload",)

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["level"].label_from_instance = lambda level: (
            f"{level.label}: {level.description}" if level.description else level.label
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("level") is None:
            self.add_error("level", "Choose a rating")
        return cleaned


class AssessorForm(ServiceForm, forms.Form):
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label="Nobody named",
        help_text="They can rate this standard and add its evidence.",
    )
    version = VersionField(required=True)


class FindingForm(ServiceForm, forms.Form):
    text = forms.CharField(
        label="Gap found",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the gap found"},
    )


class SchoolFindingForm(FindingForm):
    improvement = forms.CharField(
        label="What you will do about it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you will do about it"},
    )
    due_on = date_field("Date to do it by", required=False)


class RaiseActionForm(ServiceForm, forms.Form):
    section = forms.ModelChoiceField(
        label="Section of the plan",
        queryset=Section.objects.none(),
        empty_label="Choose a section",
        error_messages={"required": "Choose the section of the plan"},
    )
    title = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_organisation = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.filter(is_archived=False).order_by("name"),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that owns the action"},
    )
    lead = forms.ModelChoiceField(
        label="Lead (optional)",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label="No lead named",
    )
    due_on = date_field("Due date", required=False)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            plan.sections.order_by("position") if plan is not None else Section.objects.none()
        )


class SignOffForm(ServiceForm, forms.Form):
    summary = forms.CharField(
        label="Summary",
        help_text="Where the assessment found things stand, for the Board.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a summary"},
    )
    on = date_field("Date signed off")
    version = VersionField(required=True)
    not_stored: ClassVar[tuple[str, ...]] = ("on",)


class SchoolSignOffForm(SignOffForm):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        help_text="The person signing the assessment off for the school.",
        error_messages={"required": "Enter your name"},
    )
    not_stored: ClassVar[tuple[str, ...]] = ("on", "name")


class SchoolStartForm(StartForm):
    """A school starts one of the DfE's tools, dated today; a lead who is the safeguarding contact
    of several schools (a federation's) also says which school."""

    assessed_on = None

    def __init__(
        self, *args: Any, frameworks: Any, schools: Sequence[Establishment] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, frameworks=frameworks, **kwargs)
        framework = self.fields["framework"]
        framework.label = "Which tool"
        framework.error_messages["required"] = "Choose the tool"
        self.fields["title"].help_text = "For example Autumn 2026."
        if len(schools) > 1:
            self.fields = {
                "establishment": forms.ModelChoiceField(
                    label="Which school",
                    queryset=Establishment.objects.filter(
                        pk__in=[school.pk for school in schools]
                    ).order_by("name", "urn"),
                    widget=Radios,
                    empty_label=None,
                    error_messages={"required": "Choose the school"},
                ),
                **self.fields,
            }


class SchoolRatingForm(RatingForm):
    """A school's judgement of a standard: the level and its evidence, no file."""

    upload = None
    not_stored: ClassVar[tuple[str, ...]] = ()
