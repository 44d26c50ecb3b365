from __future__ import annotations

from typing import Any

from django import forms

from preventhub.core.forms import Checkboxes, ServiceForm, VersionField
from preventhub.localprofile.checks import NOTE_MAX, Cell, Entry, Key
from preventhub.localprofile.models import Indicator
from preventhub.partnership.models import Sector


class IndicatorForm(ServiceForm, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "description",
            "sectors",
            "by_district",
            "minimum",
            "maximum",
            "is_required",
            "is_active",
        ]
        labels = {
            "minimum": "Smallest allowed figure",
            "maximum": "Largest allowed figure",
            "sectors": "Sectors that supply it",
        }
        widgets = {"sectors": Checkboxes}
        error_messages = {
            "code": {"required": "Enter a short code, like HATE"},
            "name": {"required": "Enter the indicator's name"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.order_by("order", "name")
        self.fields["sectors"].required = False


class FiguresForm(ServiceForm, forms.Form):
    """One whole-number box and one short note per figure the return asks for."""

    version = VersionField(required=True)

    def __init__(self, *args: Any, cells: list[Cell], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cells = cells
        for index, cell in enumerate(cells):
            self.fields[f"value_{index}"] = forms.IntegerField(
                label=f"{cell.indicator.name}, {cell.where}",
                required=False,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
                error_messages={"invalid": "Enter a whole number"},
            )
            self.fields[f"note_{index}"] = forms.CharField(
                label=f"Note on {cell.indicator.name}, {cell.where}",
                required=False,
                max_length=NOTE_MAX,
                error_messages={"max_length": f"Keep the note to {NOTE_MAX} characters"},
            )

    def entries(self) -> dict[Key, Entry]:
        return {
            cell.key: Entry(
                self.cleaned_data.get(f"value_{index}"), self.cleaned_data.get(f"note_{index}", "")
            )
            for index, cell in enumerate(self.cells)
        }

    def field_of(self, key: Key, which: str) -> str:
        index = next(i for i, cell in enumerate(self.cells) if cell.key == key)
        return f"{which}_{index}"

    def rows(self) -> list[tuple[Cell, Any, Any]]:
        return [
            (cell, self[f"value_{index}"], self[f"note_{index}"])
            for index, cell in enumerate(self.cells)
        ]
