"""Forms of casework. Forms validate; services enforce the rules again and say why they refuse."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from preventhub.casework import stats, vaf
from preventhub.casework.models import (
    CaseAssignment,
    ConcernType,
    Consent,
    Gender,
    Intervention,
    OnwardReferral,
    PanelDecision,
    Referral,
    ReferralSector,
    Transfer,
    Triage,
    TriageCheck,
)
from preventhub.casework.services import CheckDone
from preventhub.core.forms import ServiceForm, VersionField, date_field
from preventhub.partnership.models import Area, Board, Organisation


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def _choice(label: str, choices: Any, *, radios: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": f"Select {label[0].lower()}{label[1:]}"},
    )


def police_forces() -> Any:
    return Organisation.objects.filter(sector__code="police", is_archived=False).order_by("name")


class ReferralForm(forms.Form):
    """Intake: only what is needed about the person (data minimisation)."""

    received_on = date_field("Date received")
    force = forms.ModelChoiceField(
        label="Police force area",
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="The police force for the area where the person lives. Its Prevent team "
        "triages the referral.",
        error_messages={"required": "Select the police force area"},
    )
    referrer_organisation = forms.CharField(
        label="Referrer's organisation",
        max_length=200,
        error_messages={"required": "Enter the referrer's organisation"},
    )
    referrer_sector = _choice("Referrer's sector", ReferralSector.choices, radios=False)
    referrer_name = forms.CharField(label="Referrer's name", max_length=150, required=False)
    given_name = forms.CharField(
        label="Person's first name",
        max_length=100,
        error_messages={"required": "Enter the person's first name"},
    )
    family_name = forms.CharField(
        label="Person's last name",
        max_length=100,
        error_messages={"required": "Enter the person's last name"},
    )
    date_of_birth = date_field(
        "Date of birth", required=False, help_text="Leave empty if it is not known."
    )
    gender = _choice("Gender", Gender.choices)
    district = forms.ModelChoiceField(
        label="District where the person lives",
        queryset=Area.objects.none(),
        required=False,
        empty_label="Outside these districts or not known",
    )
    address = _text("Address", required=False, rows=3, help_text="Only if it is needed.")
    concern_type = forms.ModelChoiceField(
        label="Type of concern",
        queryset=ConcernType.objects.none(),
        error_messages={"required": "Select the type of concern"},
    )
    concerns = _text("Concerns", help_text="What has been seen or heard, and when.")
    awareness = _choice(
        "Is the person or their family aware of the referral?", Referral.Awareness.choices
    )
    safeguarding_involved = forms.BooleanField(
        label="Safeguarding services are already involved", required=False
    )
    safeguarding_details = _text("Safeguarding involvement", required=False, rows=3)
    # Set once the person has seen the possible earlier referrals (the second step).
    duplicates_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    previous_referral = forms.ChoiceField(
        label="Is this the same person as an earlier referral?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Linking records a re-referral. It never merges the records.",
    )

    def __init__(self, *args: Any, duplicates: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = police_forces()
        self.fields["district"].queryset = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by(
            "name"
        )
        self.fields["concern_type"].queryset = ConcernType.objects.filter(is_active=True)
        choices = [("", "No, or not sure")]
        choices += [(str(item.pk), f"Yes: {item.reference}") for item in duplicates or []]
        self.fields["previous_referral"].choices = choices
        if not duplicates:
            del self.fields["previous_referral"]

    def clean_received_on(self) -> datetime.date:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past")
        return received


class PartnerReferralForm(ReferralForm):
    """The partner form: the referrer is the person signed in, who gets no access afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("received_on", "referrer_name", "duplicates_seen"):
            del self.fields[name]
        self.fields.pop("previous_referral", None)


class TriageForm(ServiceForm, forms.Form):
    version = VersionField(required=True)
    category = _choice("Triage category", Triage.Category.choices)
    decision = _text("Decision")
    rationale = _text(
        "Rationale", help_text="The reasons for the decision, as you would explain them."
    )
    decided_on = date_field("Date of the decision")
    checks = forms.ModelMultipleChoiceField(
        label="Checks done",
        queryset=TriageCheck.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    checks_done_on = date_field("Date the checks were done", required=False)
    findings = _text("What the checks found", required=False, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checks"].queryset = TriageCheck.objects.filter(is_active=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("checks") and not cleaned.get("checks_done_on"):
            self.add_error("checks_done_on", "Enter the date the checks were done")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        arguments = super().service_arguments()
        done_on, findings = arguments.pop("checks_done_on"), arguments.pop("findings")
        arguments["checks"] = [CheckDone(check, done_on, findings) for check in arguments["checks"]]
        return arguments


class RouteForm(ServiceForm, forms.Form):
    version = VersionField(required=True)
    route = _choice("Route", Referral.Route.choices)
    reason = _text("Reasons for this route")
    signposted_to = forms.CharField(
        label="Service signposted to",
        required=False,
        max_length=200,
        help_text="Only when signposting.",
    )
    panel = forms.ModelChoiceField(
        label="Channel panel",
        queryset=Board.objects.none(),
        required=False,
        help_text="Only when routing to Channel.",
    )
    on = date_field("Date routed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = Board.objects.filter(
            kind=Board.Kind.CHANNEL_PANEL, is_archived=False
        )


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example PR2019-7KQ3XM.",
        error_messages={"required": "Enter the case reference"},
    )
    reason = _text(
        "Why you need to open this case",
        rows=3,
        help_text="The Data protection officer reads every reason.",
    )


class AgendaForm(forms.Form):
    referral = forms.ModelChoiceField(
        label="Case", queryset=Referral.objects.none(), error_messages={"required": "Select a case"}
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = cases


class DecisionForm(forms.Form):
    outcome = _choice("Decision", PanelDecision.Outcome.choices)
    votes_for = forms.IntegerField(label="Votes for", min_value=0)
    votes_against = forms.IntegerField(label="Votes against", min_value=0)
    abstentions = forms.IntegerField(label="Abstentions", min_value=0, initial=0)
    chair_decided = forms.BooleanField(
        label="There was no majority, so the chair decided", required=False
    )
    rationale = _text("Reasons for the decision")


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Channel member", queryset=None, error_messages={"required": "Select a member"}
    )
    kind = _choice("Kind of access", CaseAssignment.Kind.choices)
    since = date_field("From")
    until = date_field("Until", required=False, help_text="Leave empty while it lasts.")

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members


class AssessmentForm(forms.Form):
    """A text box per factor and per dimension: evidence and professional judgement, no score."""

    assessed_on = date_field("Date of the assessment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimension in vaf.DIMENSIONS:
            for code, name in dimension.factors:
                self.fields[code] = _text(name, required=False, rows=2)
            self.fields[dimension.code] = _text(
                f"{dimension.name}: overall judgement", required=False, rows=3
            )

    def entries(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "assessed_on" and value
        }


class ConsentForm(forms.Form):
    requested_by = forms.CharField(
        label="Who asked for consent",
        max_length=150,
        error_messages={"required": "Enter who asked for consent"},
    )
    method = _choice("How consent was asked for", Consent.Method.choices)
    requested_on = date_field("Date consent was asked for")
    status = _choice("Answer", Consent.Status.choices)
    answered_on = date_field("Date of the answer")
    given_by = _choice("Who answered", Consent.GivenBy.choices)
    giver_name = forms.CharField(
        label="Name of the parent or guardian", required=False, max_length=150
    )


class InterventionForm(forms.Form):
    kind = _choice("Type of intervention", Intervention.Kind.choices, radios=False)
    provider = forms.CharField(
        label="Provider", max_length=200, error_messages={"required": "Enter the provider"}
    )
    home_office_provider = forms.BooleanField(
        label="A Home Office intervention provider", required=False
    )
    who = forms.CharField(label="Who delivers it", max_length=200, required=False)
    how = _text("How, and how often", required=False, rows=3)
    starts_on = date_field("Start date")
    review_on = date_field("Review date", required=False)


class NoteForm(forms.Form):
    written_on = date_field("Date")
    text = _text("Progress note")


class OnwardForm(forms.Form):
    service = _choice("Health or social care services", OnwardReferral.Service.choices)
    decided_on = date_field("Date decided")
    notes = _text("Notes", required=False, rows=3)


class ExitForm(forms.Form):
    reason = _choice("Reason for exit", Referral.ExitReason.choices)
    on = date_field("Date of exit")
    notes = _text("Notes", required=False, rows=3)


class ReviewForm(forms.Form):
    on = date_field("Date of the review")
    outcome = _text("What the review found")


class TransferForm(forms.Form):
    direction = _choice("Transfer", Transfer.Direction.choices)
    other_area = forms.CharField(
        label="Other area", max_length=150, error_messages={"required": "Enter the other area"}
    )
    on = date_field("Date of transfer")


class DateForm(forms.Form):
    on = date_field("Date")


class LegalHoldForm(ServiceForm, forms.Form):
    hold = forms.BooleanField(
        label="Keep this record: a legal hold stops the retention clock", required=False
    )
    reason = _text("Reason for the legal hold", required=False, rows=3)


class StatisticsForm(forms.Form):
    """What to count. Everyone chooses a whole reporting period that has ended and the Home
    Office's age bands; case roles may instead count their own cases exactly, for any dates and
    bands (``own_cases``)."""

    SCOPES = [
        ("partnership", "Every referral in the partnership, protected"),
        ("own", "Only the cases you work on, exact"),
    ]

    scope = _choice("Whose referrals", SCOPES)
    period = forms.ChoiceField(
        label="Reporting period",
        required=False,
        help_text="Only periods that have ended: a quarter's or a year's figures are published "
        "once they are complete.",
    )
    date_from = date_field("From", required=False, help_text="Your own cases only.")
    date_to = date_field("To", required=False, help_text="Your own cases only.")
    by = _choice("Count by", list(stats.DIMENSIONS.items()), radios=False)
    then_by = forms.ChoiceField(
        label="And by (optional)",
        required=False,
        choices=[("", "Nothing else: a one-way table"), *stats.DIMENSIONS.items()],
        help_text="A two-way table, for example age band by journey outcome.",
    )
    bands = forms.CharField(
        label="Age bands",
        required=False,
        help_text="Your own cases only. Leave empty for the Home Office bands, or write your own "
        "like 0-13, 14-17, 18+.",
    )

    def __init__(
        self, *args: Any, periods: list[stats.Period], own_cases: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.own_cases = own_cases
        self.fields["period"].choices = [(period.code, period.label) for period in periods]
        if not own_cases:
            for name in ("scope", "date_from", "date_to", "bands"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("by") and cleaned.get("by") == cleaned.get("then_by"):
            self.add_error("then_by", "Choose something other than the first thing to count by")
        if self.own_cases and cleaned.get("scope") == "own":
            return self._clean_own(cleaned)
        cleaned["scope"] = "partnership"
        if not cleaned.get("period"):
            self.add_error("period", "Select a reporting period")
        else:
            cleaned["reporting_period"] = stats.period_named(cleaned["period"])
        if cleaned.get("bands"):
            self.add_error(
                "bands", "Custom age bands are for your own cases only: choose them, or clear "
                "the bands"
            )
        return cleaned

    def _clean_own(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if not start:
            self.add_error("date_from", "Enter the from date")
        if not end:
            self.add_error("date_to", "Enter the to date")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        cleaned["age_bands"] = stats.HOME_OFFICE_BANDS
        if cleaned.get("bands"):
            try:
                cleaned["age_bands"] = stats.parse_bands(cleaned["bands"])
            except stats.BandError as error:
                self.add_error("bands", str(error))
        return cleaned
