"""Forms of reports: they validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms

from preventhub.core.forms import ServiceForm, VersionField, date_field
from preventhub.reports import figures
from preventhub.reports.models import BoardPack, SectionKind


def _text(
    label: str, *, rows: int = 4, required: bool = False, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label if required else f"{label} (optional)",
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class PlaceholdersChecked:
    """Refuse placeholders naming no figure or a parameter it does not take, field by field."""

    checked: tuple[str, ...] = ()
    cleaned_data: dict[str, Any]

    def check_placeholders(self) -> None:
        for name in self.checked:
            for problem in figures.parse(self.cleaned_data.get(name) or "")[1]:
                self.add_error(name, problem)  # type: ignore[attr-defined]


FIGURE_HELP = (
    "Figures are placeholders like {{ audit_completion round=2018 show=rate }}: "
    "see the list on the Reports page."
)


class CommitteeReportForm(PlaceholdersChecked, ServiceForm, forms.Form):
    checked = ("recommendations", "summary", "strategic_plan", "community_impact", "footnotes")

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the report's title"}
    )
    committee = forms.CharField(
        label="Committee", max_length=200, error_messages={"required": "Enter the committee"}
    )
    meeting_on = date_field("Meeting date", required=False)
    recommendations = _text(
        "Recommendations", required=True, help_text="One recommendation a line."
    )
    report_of = forms.CharField(
        label="Report of",
        max_length=200,
        help_text="The member or officer presenting it.",
        error_messages={"required": "Enter who the report is of"},
    )
    summary = _text("Summary", help_text=FIGURE_HELP)
    strategic_plan = _text("Link to the strategic plan")
    community_impact = _text("Community impact")
    contact_name = forms.CharField(
        label="Contact officer's name and job title",
        max_length=200,
        error_messages={"required": "Enter the contact officer"},
    )
    contact_phone = forms.CharField(
        label="Contact officer's telephone (optional)", max_length=50, required=False
    )
    contact_email = forms.CharField(
        label="Contact officer's address or email (optional)", max_length=200, required=False
    )
    footnotes = _text("Footnotes", help_text="One footnote a line.")
    background_papers = _text(
        "Background papers", help_text="One paper a line; leave empty for none."
    )
    appendices = _text("Appendices", help_text="One appendix title a line.")
    version = VersionField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_placeholders()
        return cleaned


class CommitteeSectionForm(PlaceholdersChecked, ServiceForm, forms.Form):
    checked = ("body",)

    heading = forms.CharField(
        label="Heading", max_length=200, error_messages={"required": "Enter the section's heading"}
    )
    body = _text(
        "Paragraphs",
        rows=14,
        required=True,
        help_text="Separate paragraphs with a blank line; they are numbered across the report. "
        + FIGURE_HELP,
    )
    position = forms.IntegerField(
        label="Position (optional)",
        required=False,
        min_value=1,
        help_text="Sections are shown in the order of their positions.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_placeholders()
        return cleaned


class PackNewForm(forms.Form):
    period = forms.ModelChoiceField(
        label="Reporting period",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the reporting period"},
    )

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]


class PackForm(forms.Form):
    """The pack's title, its meeting and, for each kind of section, its place and narrative."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the pack's title"}
    )
    meeting = forms.ModelChoiceField(
        label="Board meeting that receives it (optional)", queryset=None, required=False
    )
    version = VersionField()

    def __init__(self, *args: Any, pack: BoardPack, meetings: Any, **kwargs: Any) -> None:
        current = {section.kind: section for section in pack.sections.all()}
        initial = {"title": pack.title, "meeting": pack.meeting_id, "version": pack.version}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        for kind in SectionKind:
            section = current.get(kind.value)
            self.fields[f"{kind.value}_position"] = forms.IntegerField(
                label=f"{kind.label}: position",
                required=False,
                min_value=1,
                help_text="Leave empty to leave this section out.",
                initial=section.position if section else None,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            )
            self.fields[f"{kind.value}_narrative"] = forms.CharField(
                label=f"{kind.label}: narrative (optional)",
                required=False,
                initial=section.narrative if section else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for kind in SectionKind:
            for problem in figures.parse(cleaned.get(f"{kind.value}_narrative") or "")[1]:
                self.add_error(f"{kind.value}_narrative", problem)
        if not any(cleaned.get(f"{kind.value}_position") for kind in SectionKind):
            self.add_error(None, "Give at least one section a position")
        return cleaned

    def sections(self) -> list[tuple[str, int, str]]:
        chosen = [
            (
                kind.value,
                self.cleaned_data[f"{kind.value}_position"],
                self.cleaned_data[f"{kind.value}_narrative"],
            )
            for kind in SectionKind
            if self.cleaned_data.get(f"{kind.value}_position")
        ]
        return sorted(chosen, key=lambda item: item[1])
