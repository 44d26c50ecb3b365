from __future__ import annotations

from django import forms
from django.conf import settings

from preventhub.core.forms import ServiceForm


class GiasUploadForm(ServiceForm, forms.Form):
    extract = forms.FileField(
        label="GIAS establishment extract",
        help_text="The CSV file downloaded from Get Information About Schools "
        "(edubasealldata followed by the date).",
        error_messages={"required": "Choose the GIAS extract to upload"},
    )
    la_codes = forms.CharField(
        label="Local authority codes",
        help_text="Establishments of these authorities are kept; separate codes with commas.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter at least one local authority code, like 860"},
    )

    service_names = {"extract": "upload"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["la_codes"].initial = ",".join(settings.PREVENTHUB_LA_CODES)

    def clean_la_codes(self) -> list[str]:
        codes = [code.strip() for code in self.cleaned_data["la_codes"].split(",") if code.strip()]
        if not codes or not all(
            code.isascii() and code.isdigit() and len(code) == 3 for code in codes
        ):
            raise forms.ValidationError("Enter local authority codes of 3 digits, like 860")
        return codes


class ContactForm(ServiceForm, forms.Form):
    contact_email = forms.EmailField(
        label="Safeguarding contact e-mail",
        required=False,
        help_text="The designated safeguarding lead's address: audit links and reminders go here.",
        error_messages={"invalid": "Enter an e-mail address like dsl@school.example"},
    )

    service_names = {"contact_email": "email"}
