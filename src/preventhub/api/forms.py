"""The forms that make API tokens. They validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms

from preventhub.api.models import TokenScope
from preventhub.core.forms import Radios, date_field


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="Say what will use it, like “Quarterly returns script”.",
        error_messages={"required": "Enter a name for the token"},
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=TokenScope.choices,
        widget=Radios,
        help_text="Never more than your own account may do.",
        error_messages={"required": "Choose what the token may do"},
    )
    expires_on = date_field("Expiry date", help_text="At most a year from today.")


class ServiceTokenForm(TokenForm):
    user = forms.ModelChoiceField(
        label="Partner lead who answers for the system",
        queryset=None,
        help_text="The token acts with this person's permissions, for their organisation, and "
        "stops working if they stop leading for it.",
        error_messages={"required": "Choose the partner lead who answers for the system"},
    )

    field_order = ["user", "name", "scope", "expires_on"]

    def __init__(self, *args: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = leads
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.full_name or user.email}, {user.organisation}"
        )
