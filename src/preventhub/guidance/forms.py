from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from preventhub.core.forms import Checkboxes, Radios, ServiceForm, VersionField, date_field
from preventhub.core.roles import Role
from preventhub.guidance.models import GuidanceDocument
from preventhub.partnership.models import Organisation


class DocumentForm(ServiceForm, forms.ModelForm):
    version = VersionField()
    review_on = date_field("Review by")
    must_read_roles = forms.MultipleChoiceField(
        label="Roles who must read it",
        choices=Role.choices,
        required=False,
        widget=Checkboxes,
        help_text="Everyone holding one of these roles is asked to read it.",
    )
    must_read_organisations = forms.ModelMultipleChoiceField(
        label="Organisations whose staff must read it",
        queryset=Organisation.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text="Everyone with an account in one of these organisations is asked to read it.",
    )

    class Meta:
        model = GuidanceDocument
        fields = [
            "title",
            "kind",
            "summary",
            "owner_organisation",
            "owner_name",
            "audience",
            "review_on",
            "must_read_roles",
            "must_read_organisations",
            "is_archived",
        ]
        labels = {"owner_organisation": "Owning organisation", "is_archived": "Archived"}
        help_texts = {"is_archived": "An archived document stays in the library's history."}
        widgets = {"kind": Radios, "summary": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": "Enter the document's title"},
            "kind": {"required": "Choose what kind of document it is"},
            "owner_organisation": {"required": "Choose the organisation that owns it"},
            "owner_name": {"required": "Enter the post that keeps it up to date"},
            "audience": {"required": "Enter who it is for"},
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(is_archived=False)
        self.fields["must_read_organisations"].queryset = Organisation.objects.filter(
            is_archived=False
        )
        if not editing:
            del self.fields["is_archived"]


class VersionForm(ServiceForm, forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"PDF, DOCX, ODT or another document, up to {settings.PREVENTHUB_EVIDENCE_MAX_MB}"
        " MB. Earlier versions are kept, and everyone who must read it is asked again.",
        error_messages={"required": "Choose the file to upload"},
    )
    note = forms.CharField(label="What changed", max_length=300, required=False)

    service_names = {"file": "upload"}
