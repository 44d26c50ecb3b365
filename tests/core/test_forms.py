"""The GOV.UK form renderer: what every form's fields look like, and the dates a form takes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from preventhub.core.forms import AuditFilterForm, ServiceForm, VersionField, date_field
from preventhub.core.pages import form_page


class Example(forms.Form):
    code = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    answer = forms.ChoiceField(choices=[("Yes", "Yes"), ("No", "No")], widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def test_a_widgets_own_classes_are_kept_beside_the_gov_uk_ones() -> None:
    assert 'class="govuk-input govuk-input--width-5"' in str(Example())
    with_error = str(Example({"code": ""}))
    assert 'class="govuk-input govuk-input--error govuk-input--width-5"' in with_error


def test_each_radio_and_checkbox_has_one_label() -> None:
    html = str(Example())
    for option_id in ("id_answer_0", "id_answer_1", "id_kinds_0", "id_kinds_1"):
        assert len(re.findall(f'<label[^>]*for="{option_id}"', html)) == 1, option_id
    assert 'class="govuk-label govuk-radios__label" for="id_answer_0">Yes</label>' in html


class GroupForm(ServiceForm, forms.Form):
    name = forms.CharField()
    permissions = forms.ModelMultipleChoiceField(queryset=Permission.objects.all(), required=False)
    summary = forms.CharField(required=False)
    version = VersionField()

    not_stored = ("summary", "version")
    service_names = {"name": "title"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)


class PermissionForm(ServiceForm, forms.Form):
    codename = forms.CharField()
    content_type = forms.ModelChoiceField(queryset=ContentType.objects.all())


@pytest.mark.django_db
class TestServiceForm:
    def test_it_opens_at_the_stored_record(self) -> None:
        group = Group.objects.create(name="Readers")
        chosen = list(Permission.objects.order_by("pk")[:2])
        group.permissions.set(chosen)
        form = GroupForm.for_instance(group, initial={"name": "unused", "summary": "default"})
        assert form.initial == {
            "name": "Readers",
            "permissions": [permission.pk for permission in chosen],
            "summary": "default",
        }

    def test_it_gives_a_foreign_key_as_its_id(self) -> None:
        permission = Permission.objects.select_related("content_type").first()
        form = PermissionForm.for_instance(permission)
        assert form.initial == {
            "codename": permission.codename,
            "content_type": permission.content_type_id,
        }

    def test_an_add_page_opens_at_its_defaults(self) -> None:
        assert GroupForm.for_instance(None, initial={"name": "New"}).initial == {"name": "New"}

    def test_it_passes_the_declared_fields_by_the_services_names(self) -> None:
        form = GroupForm({"name": "Readers", "version": "3", "added_later": "x"})
        assert form.is_valid(), form.errors
        arguments = form.service_arguments()
        assert list(arguments.pop("permissions")) == []
        assert arguments == {"title": "Readers", "summary": "", "expected_version": 3}


class TestTheFormPage:
    """core/form_page.html, the layout every simple edit page uses."""

    def test_a_form_with_a_file_field_is_sent_as_multipart_so_the_file_arrives(
        self, rf: RequestFactory
    ) -> None:
        class UploadForm(forms.Form):
            file = forms.FileField(label="The file")

        html = form_page(rf.get("/"), form=UploadForm(), title="Upload").content.decode()
        assert 'enctype="multipart/form-data"' in html

    def test_a_form_without_files_is_sent_as_an_ordinary_post(self, rf: RequestFactory) -> None:
        class NameForm(forms.Form):
            name = forms.CharField(label="Name")

        html = form_page(rf.get("/"), form=NameForm(), title="Name").content.decode()
        assert "multipart" not in html


class Dated(forms.Form):
    held_on = date_field("Date of the meeting")


class TestDates:
    """A date is taken from 1900 to 2999: nothing recorded falls outside, and a date near the
    ends of Python's calendar broke the arithmetic done on it once saved."""

    @pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
    def test_a_date_at_the_ends_of_the_calendar_is_refused_naming_the_date(
        self, typed: str
    ) -> None:
        form = Dated({"held_on": typed})
        assert not form.is_valid()
        assert form.errors["held_on"] == [
            "Enter the date of the meeting as a date from 1900 to 2999"
        ]

    @pytest.mark.parametrize("typed", ["1900-01-01", "2026-12-07", "2999-12-31"])
    def test_a_date_within_them_is_taken(self, typed: str) -> None:
        assert Dated({"held_on": typed}).is_valid()

    def test_the_audit_logs_filter_is_bounded_too(self) -> None:
        form = AuditFilterForm({"since": "0001-01-01", "until": "9999-12-31"})
        assert not form.is_valid()
        assert form.errors == {
            "since": ["Enter the from date as a date from 1900 to 2999"],
            "until": ["Enter the to date as a date from 1900 to 2999"],
        }
