from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest

from preventhub.accounts.models import User
from preventhub.core.forms import ServiceForm
from preventhub.core.roles import Role
from preventhub.partnership.models import Area, Organisation


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None:
                raise forms.ValidationError(
                    "Enter a correct email address and password. After several wrong attempts "
                    "the account is locked for a while."
                )
        return cleaned


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        help_text="Enter the 6-digit code the app shows for Prevent Hub.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


def _role_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Give only the roles this person's work needs. Select all that apply.",
    )


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_archived=False).order_by("name"),
        error_messages={"required": "Select the organisation this person works for"},
    )
    district = forms.ModelChoiceField(
        label="District (optional)",
        queryset=Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"),
        required=False,
        help_text="Only for people whose work is about one district, such as a district lead.",
    )
    roles = _role_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if Role.DISTRICT_LEAD in cleaned.get("roles", []) and not cleaned.get("district"):
            self.add_error("district", "Select the district this district lead works for")
        return cleaned


class InviteUserForm(ServiceForm, UserDetailsForm):
    email = forms.EmailField(
        label="Email address",
        help_text="We will send an invitation to choose a password to this address.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    field_order = ["email", "full_name", "organisation", "district", "roles"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address")
        return email


class EditUserForm(ServiceForm, UserDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, obj: User) -> dict[str, Any]:
        return {**super().initial_from(obj), "roles": sorted(obj.roles)}


class ResetOrInvitationForm(PasswordResetForm):
    """Django's reset form, which also reaches people who never chose a password.

    An invited person whose invitation link expired would otherwise have no way in: Django's
    form skips accounts without a usable password.
    """

    def get_users(self, email: str):  # noqa: ANN201 - Django's signature
        return User.objects.filter(email__iexact=email, is_active=True)
