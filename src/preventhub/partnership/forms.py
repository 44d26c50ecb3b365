from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from preventhub.core.forms import ServiceForm, VersionField, date_field
from preventhub.partnership.models import (
    Area,
    Attendance,
    Board,
    BoardAction,
    Contact,
    Meeting,
    Membership,
    Organisation,
    Sector,
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the partnership",
        required=False,
        max_length=100,
        help_text="Organisations, boards, members and contacts",
        widget=forms.TextInput(attrs={"type": "search", "class": "govuk-input--width-20"}),
    )


class AreaForm(ServiceForm, forms.Form):
    gss_code = forms.RegexField(
        label="GSS code",
        regex=r"^[EWSNewsn]\d{8}$",
        help_text="The ONS code, for example E07000197 for Stafford.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the GSS code",
            "invalid": "Enter a GSS code: a letter and 8 digits, like E07000197",
        },
    )
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the name"}
    )
    kind = forms.ChoiceField(
        label="Kind of area", choices=Area.Kind.choices, widget=forms.RadioSelect
    )
    parent = forms.ModelChoiceField(
        label="Part of (optional)",
        queryset=Area.objects.filter(kind=Area.Kind.COUNTY),
        required=False,
        empty_label="None",
        help_text="The county a district belongs to.",
    )


class SectorForm(ServiceForm, forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the name"}
    )
    is_specified_authority = forms.BooleanField(
        label="Its bodies are specified authorities under Schedule 6 of the 2015 Act",
        required=False,
    )


class OrganisationForm(ServiceForm, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    sector = forms.ModelChoiceField(
        label="Sector", queryset=Sector.objects.all(), required=False, empty_label="Not known"
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.order_by("kind", "name"),
        required=False,
        empty_label="Not known",
        help_text="Where the organisation works: the county, or one district.",
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org"},
    )
    version = VersionField()


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label="The duplicate to merge into this organisation",
        queryset=Organisation.objects.order_by("name"),
        help_text="Its contacts, board seats, actions and accounts move here; then it is removed.",
        error_messages={"required": "Choose the duplicate organisation"},
    )

    def __init__(self, *args: Any, keep: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Organisation.objects.exclude(pk=keep.pk).order_by(
            "name"
        )


class ContactForm(ServiceForm, forms.Form):
    name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the contact's name"}
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    version = VersionField()


class BoardForm(ServiceForm, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the board's name"}
    )
    kind = forms.ChoiceField(label="Kind of board", choices=Board.Kind.choices)
    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    area = forms.ModelChoiceField(
        label="District (Community Safety Partnerships only)",
        queryset=Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"),
        required=False,
        empty_label="None",
    )
    frequency = forms.ChoiceField(label="How often it meets", choices=Board.Frequency.choices)
    quorum = forms.IntegerField(
        label="Quorum",
        min_value=0,
        max_value=100,
        initial=0,
        help_text="How many members must be present for decisions. Enter 0 if not set.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter the quorum, or 0 if not set"},
    )
    reports_to = forms.ModelChoiceField(
        label="Reports to",
        queryset=Board.objects.filter(is_archived=False),
        required=False,
        empty_label="No board",
        help_text="The one board this board is accountable to.",
    )
    updates = forms.ModelMultipleChoiceField(
        label="Keeps these boards informed",
        queryset=Board.objects.filter(is_archived=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()

    def __init__(self, *args: Any, board: Board | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if board is not None:
            others = Board.objects.filter(is_archived=False).exclude(pk=board.pk)
            self.fields["reports_to"].queryset = others
            self.fields["updates"].queryset = others


class MembershipForm(ServiceForm, forms.Form):
    # The user model through Django, not accounts: accounts builds on partnership, not back.
    user = forms.ModelChoiceField(
        label="Person with an account",
        queryset=get_user_model().objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label="Choose a person",
    )
    contact = forms.ModelChoiceField(
        label="Or a contact without an account",
        queryset=Contact.objects.select_related("organisation").order_by("name"),
        required=False,
        empty_label="Choose a contact",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they represent",
        queryset=Organisation.objects.filter(is_archived=False),
        required=False,
        empty_label="Their own organisation",
        help_text="Leave as their own organisation unless they sit for another one.",
    )
    role = forms.ChoiceField(label="Role on the board", choices=Membership.Role.choices)
    represents = forms.CharField(
        label="Represents (optional)",
        max_length=150,
        required=False,
        help_text="For a Channel Panel, the area of work: adult safeguarding, education, health.",
    )
    since = date_field("Start date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user, contact = cleaned.get("user"), cleaned.get("contact")
        if bool(user) == bool(contact):
            self.add_error("user", "Choose either a person with an account or a contact, not both")
            return cleaned
        organisation = cleaned.get("organisation") or (
            user.organisation if user else contact.organisation
        )
        if organisation is None:
            self.add_error("organisation", "Choose the organisation this person represents")
        cleaned["organisation"] = organisation
        return cleaned


class EndMembershipForm(ServiceForm, forms.Form):
    until = date_field("Last day on the board")


class MeetingForm(ServiceForm, forms.Form):
    held_on = date_field("Date")
    location = forms.CharField(label="Where (optional)", max_length=200, required=False)
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One item per line, in order.",
    )
    version = VersionField()

    not_stored = ("agenda",)

    @classmethod
    def initial_from(cls, obj: Meeting) -> dict[str, Any]:
        items = obj.agenda_items.order_by("position").values_list("title", flat=True)
        return {**super().initial_from(obj), "agenda": "\n".join(items)}

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "agenda": self.cleaned_data["agenda"].splitlines()}


class MinutesForm(ServiceForm, forms.Form):
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    version = VersionField()

    def clean_version(self) -> int:
        # A post that lost its version is checked against 0, so refused rather than trusted.
        return self.cleaned_data["version"] or 0


class DecisionForm(ServiceForm, forms.Form):
    text = forms.CharField(
        label="What the board decided",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the decision"},
    )


class BoardActionForm(ServiceForm, forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    owner_organisation = forms.ModelChoiceField(
        label="Organisation responsible",
        queryset=Organisation.objects.filter(is_archived=False),
        error_messages={"required": "Choose the organisation responsible"},
    )
    owner_name = forms.CharField(
        label="Person responsible (optional)", max_length=150, required=False
    )
    due_on = date_field("Due date")


class BoardActionStatusForm(ServiceForm, forms.Form):
    status = forms.ChoiceField(choices=BoardAction.Status.choices)
    version = VersionField()

    def clean_version(self) -> int:
        # A post that lost its version is checked against 0, so refused rather than trusted.
        return self.cleaned_data["version"] or 0


def attendance_form(memberships: list[Membership], initial: dict[int, str]) -> type[forms.Form]:
    """A form with one radio group per member: present, apologies, absent or not recorded."""
    choices = [("", "Not recorded"), *Attendance.Status.choices]
    fields = {
        f"member_{membership.pk}": forms.ChoiceField(
            label=(
                f"{membership.person_name} "
                f"({membership.get_role_display()}, {membership.organisation})"
            ),
            choices=choices,
            required=False,
            initial=initial.get(membership.pk, ""),
            widget=forms.RadioSelect,
        )
        for membership in memberships
    }
    return type("AttendanceForm", (forms.Form,), fields)
