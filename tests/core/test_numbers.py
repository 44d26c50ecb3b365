"""One check for a whole number sent in an address, a form or a file, and its users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.audits.scales import AnswerError, Scale, read_answer
from preventhub.core.numbers import whole_number
from preventhub.core.spreadsheets import LARGEST_INTEGER


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        ("042", 42),
        (str(LARGEST_INTEGER), LARGEST_INTEGER),
        (str(LARGEST_INTEGER + 1), None),  # past the database's integer columns
        ("9" * 5000, None),  # past what int() reads from text at all
        ("²", None),  # isdigit() takes it; int() does not
        ("٣", None),  # an Arabic-Indic three: int() takes it, a URN or a key is never one
        ("-1", None),
        ("+7", None),
        (" 7", None),
        ("", None),
        ("1e3", None),
    ],
)
def test_a_whole_number_is_the_digits_0_to_9_and_fits_the_database(
    text: str, number: int | None
) -> None:
    assert whole_number(text) == number


def test_a_smaller_bound_can_be_asked_for() -> None:
    assert whole_number("100", most=99) is None and whole_number("99", most=99) == 99


@pytest.mark.parametrize("text", ["²", "9" * 5000, str(LARGEST_INTEGER + 1)])
def test_a_number_answer_that_is_not_one_the_round_holds_is_refused_with_its_range(
    text: str,
) -> None:
    with pytest.raises(AnswerError, match="is not a whole number from 0 to 2,147,483,647"):
        read_answer(Scale.NUMBER, text)
    assert read_answer(Scale.NUMBER, " 012 ") == ("12", "")


@pytest.mark.django_db
class TestURNsTypedToAddToARound:
    @pytest.fixture
    def scope_page(self, client_for: Callable[..., Client]) -> Callable[[str], str]:
        from preventhub.audits.models import AuditRound
        from preventhub.core.roles import Role

        audit_round = AuditRound.objects.create(
            name="2026", opens_on="2026-10-01", closes_on="2026-11-30"
        )
        lead = client_for(Role.EDUCATION_LEAD)

        def post(urns: str) -> str:
            response = lead.post(f"/schools/audits/{audit_round.pk}/scope/", {"urns": urns})
            assert response.status_code == 200
            return response.content.decode()

        return post

    def test_a_digit_that_is_not_0_to_9_is_named_as_not_a_urn(self, scope_page) -> None:
        assert "² is not a URN: a URN is a number" in scope_page("100000 ²")

    def test_more_urns_than_one_look_up_holds_are_refused_with_the_limit(self, scope_page) -> None:
        page = scope_page(" ".join(str(100_000 + n) for n in range(5_001)))
        assert "Add at most 5,000 schools at once: these are 5,001" in page
