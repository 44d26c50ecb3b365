"""GOV.UK Design System rendering for Django forms.

The renderer is the project's ``FORM_RENDERER``, so every form (Django's own included) renders
``{{ form }}`` as GOV.UK form groups (label, hint, error message, the input with its classes),
and pages show an error summary linking to each field (``core/includes/error_summary.html``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from preventhub.core.calendar import EARLIEST_DATE, LATEST_DATE

INPUT_CLASSES: dict[str, str] = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
    "file": "govuk-file-upload",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        input_type = getattr(widget, "input_type", None) or (
            "select"
            if isinstance(widget, forms.Select)
            else "textarea"
            if isinstance(widget, forms.Textarea)
            else None
        )
        css = INPUT_CLASSES.get(input_type or "", "govuk-input")
        if self.errors and css in {"govuk-input", "govuk-select", "govuk-textarea"}:
            css += f" {css}--error"
        if self.errors and css == "govuk-file-upload":
            css += " govuk-file-upload--error"
        # The widget's own classes (govuk-input--width-10, say) are kept: Django would let the
        # class given here replace them.
        existing = [widget.attrs.get("class", ""), attrs.get("class", "")]
        attrs["class"] = " ".join(part for part in (css, *existing) if part)
        described_by = []
        if self.help_text:
            described_by.append(f"{self.auto_id}-hint")
        if self.errors:
            described_by.append(f"{self.auto_id}-error")
        if described_by and not isinstance(
            widget, forms.CheckboxSelectMultiple | forms.RadioSelect
        ):
            attrs["aria-describedby"] = " ".join(described_by)
        else:
            attrs.pop("aria-describedby", None)
        return attrs

    @property
    def anchor(self) -> str:
        """Where the error summary links to: the input, or a group's first option."""
        return self.id_for_label or f"{self.auto_id}_0"

    @property
    def is_choice_group(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)

    @property
    def is_single_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Radios(forms.RadioSelect):
    """Radios whose error summary link goes to the first radio, as GOV.UK asks (Django's goes
    nowhere: it gives a group of radios no id to link to)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose error summary link goes to the first checkbox, like :class:`Radios`."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def _plausible(label: str) -> list[Any]:
    """The bounds of a date input (``core.calendar``), with a message naming the date."""
    message = f"Enter the {label.lower()} as a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}"
    return [MinValueValidator(EARLIEST_DATE, message), MaxValueValidator(LATEST_DATE, message)]


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date input whose messages name the date being asked for, a date Prevent Hub takes
    (``core.calendar``)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text,
        validators=_plausible(label),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, like 2019-03-04",
        },
    )


class VersionField(forms.IntegerField):
    """The version a form was opened at, so a save over someone else's change is refused.

    ``required=True`` where a form must never save without the check: a post that lost its
    version (a page kept open across a release, a hand-made request) is refused, not trusted.
    """

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": "This page is out of date. Open it again to see the latest "
                "figures, then make your changes again."
            },
        )
        super().__init__(widget=forms.HiddenInput, required=required, **kwargs)


class ServiceForm:
    """A form that states once what it edits and what its service takes.

    Mix it into a ``forms.Form`` (or ``ModelForm``) whose declared fields are named as the
    record's attributes and the service's arguments. ``for_instance(obj, data)`` opens the form
    at what is stored: each declared field from the attribute of the same name (a foreign key as
    its id, a many-to-many as its ids). ``service_arguments()`` gives the cleaned declared fields
    by the names the service takes: the hidden ``version`` as ``expected_version``, and any other
    difference in ``service_names``. A field the record does not have goes in ``not_stored``; a
    value stored or taken in another shape is the form's to state: override ``initial_from`` or
    ``service_arguments`` and call ``super()``.
    """

    base_fields: ClassVar[dict[str, forms.Field]]
    cleaned_data: dict[str, Any]
    service_names: ClassVar[dict[str, str]] = {}
    not_stored: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def for_instance(
        cls,
        obj: models.Model | None,
        data: Any = None,
        files: Any = None,
        *,
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Self:
        """The form for a change page (``obj``) or an add page (``None``); ``initial`` adds
        defaults for what is not stored, such as today's date."""
        opened = {**(initial or {}), **(cls.initial_from(obj) if obj is not None else {})}
        return cls(data, files, initial=opened, **kwargs)

    @classmethod
    def initial_from(cls, obj: models.Model) -> dict[str, Any]:
        return {
            name: _stored_value(obj, name) for name in cls.base_fields if name not in cls.not_stored
        }

    def service_arguments(self) -> dict[str, Any]:
        names = {"version": "expected_version", **self.service_names}
        return {
            names.get(name, name): self.cleaned_data[name]
            for name in self.base_fields
            if name in self.cleaned_data
        }


def _stored_value(obj: models.Model, name: str) -> Any:
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(obj, name)
    if model_field.many_to_many:
        return list(getattr(obj, name).values_list("pk", flat=True))
    return getattr(obj, model_field.attname)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Who", required=False, help_text="Part of an email address")
    action = forms.ChoiceField(label="What happened", required=False)
    object_type = forms.CharField(
        label="Kind of record", required=False, help_text="For example accounts.user"
    )
    object_id = forms.CharField(label="Record number", required=False)
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_plausible("from date"),
        error_messages={"invalid": "Enter the from date as a real date, like 2026-03-04"},
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_plausible("to date"),
        error_messages={"invalid": "Enter the to date as a real date, like 2026-03-04"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from preventhub.core.models import AuditEvent

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Anything"), *AuditEvent.Action.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The to date must be the same as or after the from date")
        return cleaned
