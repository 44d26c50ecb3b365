from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q

from preventhub.accounts.models import User
from preventhub.core.calendar import default_updates_due_on, financial_quarter
from preventhub.core.forms import Checkboxes, Radios, ServiceForm, VersionField, date_field
from preventhub.delivery.evidence import EvidenceField
from preventhub.delivery.models import (
    RAG_OF_STATUS,
    ActionStatus,
    DeliveryPlan,
    PlanAction,
    Rag,
    Section,
    SourceKind,
)
from preventhub.delivery.queries import Due, FilterChoices, PlanFilter
from preventhub.partnership.models import Area, Meeting, Organisation, ReportingPeriod


def _meetings() -> Any:
    return Meeting.objects.select_related("board").order_by("-held_on")


def _organisations(keep: Any = None) -> Any:
    """Organisations in use, and the one already chosen even if it has since been archived."""
    in_use = Organisation.objects.filter(is_archived=False)
    if keep is not None:
        in_use = in_use | Organisation.objects.filter(pk__in=keep)
    return in_use.order_by("name")


# ---- the plan's filter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectedFilter:
    label: str
    remove_query: str


@dataclass(frozen=True)
class SelectedCategory:
    heading: str
    filters: list[SelectedFilter]


FILTER_FIELDS = ("section", "owner", "rag", "district", "source", "due")


class PlanFilterForm(forms.Form):
    """The plan's filter: a plain GET form, so it works without JavaScript."""

    plan = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.ChoiceField(label="Section", required=False)
    owner = forms.TypedChoiceField(
        label="Owner organisation", required=False, coerce=int, empty_value=None
    )
    rag = forms.MultipleChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        required=False,
        widget=Checkboxes,
    )
    district = forms.TypedChoiceField(
        label="District", required=False, coerce=int, empty_value=None
    )
    source = forms.ChoiceField(
        label="Source", choices=[("", "Any source"), *SourceKind.choices], required=False
    )
    due = forms.ChoiceField(
        label="Due",
        choices=[("", "Any time"), *Due.choices],
        required=False,
        widget=Radios,
        help_text="Open actions only.",
    )

    def __init__(self, data: Any, *, choices: FilterChoices) -> None:
        data = data.copy()
        if not data.get("due"):
            data["due"] = ""
        super().__init__(data)
        self.fields["section"].choices = [("", "Any section"), *choices.sections]
        self.fields["owner"].choices = [("", "Any organisation"), *choices.owners]
        self.fields["district"].choices = [("", "Any district"), *choices.districts]

    def criteria(self) -> PlanFilter:
        """What to filter on: the valid parts of the request (an unknown value is ignored)."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in FILTER_FIELDS}
        return PlanFilter(
            section=values["section"] or "",
            owner=values["owner"],
            rag=tuple(values["rag"] or ()),
            district=values["district"],
            source=values["source"] or "",
            due=values["due"] or "",
        )

    def query(self, *, without: tuple[str, str] | None = None) -> str:
        """The filter as a query string, for download links and for removing one filter."""
        pairs = [
            (name, value)
            for name in ("plan", *FILTER_FIELDS)
            for value in self.data.getlist(name)
            if value and (name, value) != without
        ]
        return urlencode(pairs)

    def clear_query(self) -> str:
        """The query string showing the same version of the plan with no filter."""
        return urlencode([("plan", value) for value in self.data.getlist("plan") if value])

    def selected(self) -> list[SelectedCategory]:
        """The filters in use, each with the query string that removes it."""
        self.is_valid()
        categories = []
        for name in FILTER_FIELDS:
            field = self.fields[name]
            labels = {str(value): label for value, label in field.choices}
            chosen = [
                value
                for value in self.data.getlist(name)
                if value and name in self.cleaned_data and value in labels
            ]
            if chosen:
                categories.append(
                    SelectedCategory(
                        str(field.label),
                        [
                            SelectedFilter(labels[value], self.query(without=(name, value)))
                            for value in chosen
                        ],
                    )
                )
        return categories


# ---- plan versions -------------------------------------------------------------------------------


class PlanForm(ServiceForm, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: Prevent Delivery Plan 2019 to 2020.",
        error_messages={"required": "Enter the plan's title"},
    )


class ApprovePlanForm(ServiceForm, forms.Form):
    approved_on = date_field("Date approved")
    meeting = forms.ModelChoiceField(
        label="Board meeting that approved it (optional)",
        queryset=_meetings(),
        required=False,
        empty_label="Not recorded",
    )

    service_names = {"approved_on": "on"}


# ---- actions -------------------------------------------------------------------------------------


class ActionForm(ServiceForm, forms.Form):
    section = forms.ModelChoiceField(
        label="Section",
        queryset=Section.objects.none(),
        empty_label="Choose a section",
        error_messages={"required": "Choose the section"},
    )
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="Starts with the section's code, for example SCH-03.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the action's reference"},
    )
    title = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_organisation = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that owns the action"},
    )
    lead = forms.ModelChoiceField(
        label="Lead (optional)",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label="No lead named",
        help_text="The person who reports progress each quarter.",
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner organisations (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    starts_on = date_field("Start date", required=False)
    due_on = date_field("Due date", required=False)
    success_measure = forms.CharField(
        label="How success is measured (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"),
        required=False,
        empty_label="None: a county action",
        help_text="Choose a district only for that district's own action.",
    )
    supports = forms.ModelMultipleChoiceField(
        label="County actions it supports (district actions only)",
        queryset=PlanAction.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    sources = forms.MultipleChoiceField(
        label="Why it is in the plan",
        choices=SourceKind.choices,
        required=False,
        widget=Checkboxes,
    )
    version = VersionField()

    def __init__(
        self, *args: Any, plan: DeliveryPlan, action: PlanAction | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.order_by("position")
        keep = [action.owner_organisation_id] if action else None
        self.fields["owner_organisation"].queryset = _organisations(keep)
        self.fields["partners"].queryset = _organisations(
            list(action.partners.values_list("pk", flat=True)) if action else None
        )
        county_actions = plan.actions.filter(district__isnull=True)
        if action is not None:
            county_actions = county_actions.exclude(pk=action.pk)
        self.fields["supports"].queryset = county_actions.order_by("section__position", "reference")
        for kind, label in SourceKind.choices:
            self.fields[f"detail_{kind}"] = forms.CharField(
                label=f"{label}: reference (optional)",
                max_length=600,
                required=False,
                help_text="Separate several with semicolons.",
            )
        self.order_fields(
            [name for name in self.fields if name != "version" and not name.startswith("detail_")]
            + [f"detail_{kind}" for kind in SourceKind.values]
        )

    not_stored = ("sources",)

    @classmethod
    def initial_from(cls, obj: PlanAction) -> dict[str, Any]:
        sources = list(obj.sources.all())
        initial = {**super().initial_from(obj), "sources": sorted({s.kind for s in sources})}
        for kind in SourceKind.values:
            details = [s.detail for s in sources if s.kind == kind and s.detail]
            initial[f"detail_{kind}"] = "; ".join(details)
        return initial

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "sources": self.cleaned_data["source_pairs"]}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, due_on = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", "The due date must be the same as or after the start date")
        if cleaned.get("supports") and not cleaned.get("district"):
            self.add_error(
                "supports",
                "Only a district's action supports county actions: choose its district, "
                "or clear these",
            )
        pairs: list[tuple[str, str]] = []
        for kind in SourceKind.values:
            details = [
                part.strip()
                for part in (cleaned.get(f"detail_{kind}") or "").split(";")
                if part.strip()
            ]
            if details:
                pairs.extend((kind, detail[:200]) for detail in details)
            elif kind in (cleaned.get("sources") or []):
                pairs.append((kind, ""))
        cleaned["source_pairs"] = pairs
        return cleaned


# ---- progress updates ----------------------------------------------------------------------------


def _status_label(status: str, label: str) -> str:
    rag = Rag(RAG_OF_STATUS[status]).label
    return label if rag == label else f"{label} ({rag.lower()})"


class UpdateForm(ServiceForm, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[(value, _status_label(value, label)) for value, label in ActionStatus.choices],
        widget=Radios,
        error_messages={"required": "Choose the action's status"},
    )
    narrative = forms.CharField(
        label="What has happened this quarter",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was done, what is in the way and what happens next.",
        error_messages={"required": "Say what has happened this quarter"},
    )
    evidence = EvidenceField(label="Evidence (optional)")
    period = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.all(), widget=forms.HiddenInput
    )
    version = VersionField()


# ---- the quarterly cycle -------------------------------------------------------------------------


class PeriodForm(ServiceForm, forms.Form):
    year = forms.IntegerField(
        label="Financial year starting in April of",
        min_value=2000,
        max_value=2100,
        help_text="For 2018/19, enter 2018.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year the financial year starts in",
            "invalid": "Enter the year as 4 digits, like 2018",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year up to 2100",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Quarter 1: April to June"),
            (2, "Quarter 2: July to September"),
            (3, "Quarter 3: October to December"),
            (4, "Quarter 4: January to March"),
        ],
        widget=Radios,
        error_messages={"required": "Choose the quarter"},
    )
    updates_due_on = date_field(
        "Updates due by",
        required=False,
        help_text="Updates after this day are marked late. Leave it empty for two weeks after "
        "the quarter ends.",
    )
    board_meeting = forms.ModelChoiceField(
        label="Board meeting (optional)",
        queryset=_meetings(),
        required=False,
        empty_label="Not decided yet",
        help_text="The Board meeting this quarter's report goes to.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        year, quarter = cleaned.get("year"), cleaned.get("quarter")
        if year and quarter and not cleaned.get("updates_due_on"):
            _, _, ends_on = financial_quarter(year, quarter)
            cleaned["updates_due_on"] = default_updates_due_on(ends_on)
        return cleaned


class PeriodMeetingForm(ServiceForm, forms.Form):
    """Which Board meeting receives a quarter's report."""

    board_meeting = forms.ModelChoiceField(
        label="Board meeting",
        queryset=_meetings(),
        required=False,
        empty_label="Not decided yet",
        help_text="The Board meeting this quarter's report goes to.",
    )


class ReopenPeriodForm(ServiceForm, forms.Form):
    """Why a closed quarter is opened again: kept with the quarter for good."""

    reason = forms.CharField(
        label="Why are you re-opening this quarter?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a partner's update was missed. Do not name anyone. The reason "
        "is kept with the quarter.",
        error_messages={
            "required": "Say why you are re-opening the quarter",
            "max_length": "Say why in 500 characters or fewer",
        },
    )

    not_stored = ("reason",)


# ---- district risks ------------------------------------------------------------------------------

LIKELIHOOD = [
    (1, "1: rare"),
    (2, "2: unlikely"),
    (3, "3: possible"),
    (4, "4: likely"),
    (5, "5: almost certain"),
]
IMPACT = [
    (1, "1: minimal"),
    (2, "2: minor"),
    (3, "3: moderate"),
    (4, "4: major"),
    (5, "5: severe"),
]


class RiskForm(ServiceForm, forms.Form):
    description = forms.CharField(
        label="The risk",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A risk to the district, such as a venue used by extremist speakers. "
        "Never a person.",
        error_messages={"required": "Describe the risk"},
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        coerce=int,
        choices=LIKELIHOOD,
        widget=Radios,
        error_messages={"required": "Choose how likely it is"},
    )
    impact = forms.TypedChoiceField(
        label="Impact",
        coerce=int,
        choices=IMPACT,
        widget=Radios,
        error_messages={"required": "Choose how severe its impact would be"},
    )
    owner = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that owns the risk"},
    )
    review_on = date_field("Review date")
    mitigations = forms.ModelMultipleChoiceField(
        label="Plan actions that mitigate it (optional)",
        queryset=PlanAction.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text="The district's own actions and the county actions of the plan in force.",
    )
    version = VersionField()

    def __init__(self, *args: Any, plan: DeliveryPlan | None, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.initial.get("owner")
        self.fields["owner"].queryset = _organisations([owner] if owner else None)
        # The plan in force's county actions and this district's, and any chosen before.
        offered = PlanAction.objects.filter(pk__in=self.initial.get("mitigations") or [])
        if plan is not None:
            offered = offered | plan.actions.filter(Q(district__isnull=True) | Q(district=area))
        self.fields["mitigations"].queryset = offered.order_by(
            "plan", "section__position", "reference"
        )


class SectionForm(ServiceForm, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=6,
        help_text="Two to six letters that start each action's reference, such as SCH.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter the section's code"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the section's title"}
    )
    kind = forms.ChoiceField(label="Kind of section", choices=Section.Kind.choices, widget=Radios)
