"""The GOV.UK form renderer: what every form's fields look like."""

from __future__ import annotations

import re

from django import forms


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
