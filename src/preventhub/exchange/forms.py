from __future__ import annotations

from typing import Any

from django import forms

from preventhub.core.forms import Radios, ServiceForm, VersionField, date_field
from preventhub.exchange.models import LawfulBasis, SharingRequest
from preventhub.partnership.models import Organisation


class RequestForm(ServiceForm, forms.ModelForm):
    respond_by = date_field("Answer needed by")

    class Meta:
        model = SharingRequest
        fields = ["receiving_organisation", "about", "case_reference", "lawful_basis", "respond_by"]
        labels = {
            "receiving_organisation": "Partner asked",
            "about": "What the request is about",
            "case_reference": "Casework reference (optional)",
        }
        widgets = {"about": forms.Textarea(attrs={"rows": 3}), "lawful_basis": Radios}
        error_messages = {
            "receiving_organisation": {"required": "Choose the partner you are asking"},
            "about": {"required": "Say what the request is about"},
            "lawful_basis": {"required": "Choose the lawful basis for sharing"},
        }

    def __init__(self, *args: Any, requester: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_organisation"].queryset = Organisation.objects.filter(
            is_archived=False
        ).exclude(pk=requester.pk)
        self.fields["lawful_basis"].choices = LawfulBasis.choices


class DecisionForm(ServiceForm, forms.Form):
    not_stored = ("approve", "note")
    version = VersionField(required=True)
    approve = forms.TypedChoiceField(
        label="Do you approve sharing?",
        choices=[("yes", "Yes, approve it"), ("no", "No, refuse it")],
        coerce=lambda value: value == "yes",
        widget=Radios,
        error_messages={"required": "Choose whether you approve sharing"},
    )
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you refuse. No case detail.",
    )


class ResponseForm(ServiceForm, forms.Form):
    not_stored = ("note",)
    version = VersionField(required=True)
    outcome = forms.ChoiceField(
        label="What did you hold?",
        choices=SharingRequest.Outcome.choices,
        widget=Radios,
        error_messages={"required": "Choose what you held"},
    )
    note = forms.CharField(
        label="How and when it was sent",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: sent by secure email to the Channel chair on 4 December. Never "
        "the information itself: it goes by your secure route, not through Prevent Hub.",
    )


class CloseForm(ServiceForm, forms.Form):
    not_stored = ("note",)
    version = VersionField(required=True)
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you close a request that has not been answered. No case detail.",
    )
