"""Placeholders in a report's text are checked when it is saved: an unknown figure, a parameter
the figure does not take, a missing one or an unknown part is refused, naming it, and nothing
is saved."""

from __future__ import annotations

import pytest

from preventhub.core.roles import Role
from preventhub.reports import figures, services
from preventhub.reports.forms import CommitteeSectionForm
from preventhub.reports.models import CommitteeReport, CommitteeSection


def problems(text: str) -> list[str]:
    return figures.parse(text)[1]


def test_a_known_figure_with_its_parameters_is_accepted() -> None:
    found, refused = figures.parse(
        "In 2018, {{ audit_completion round=2018 show=responded }} schools; "
        '{{ training_coverage period="2018/19 Q3" }}.'
    )
    assert refused == []
    assert [(p.name, p.args, p.show) for p in found] == [
        ("audit_completion", (("round", "2018"),), "responded"),
        ("training_coverage", (("period", "2018/19 Q3"),), ""),
    ]


def test_an_unknown_figure_is_named_with_the_figures_there_are() -> None:
    (message,) = problems("{{ schools_happy round=2018 }}")
    assert "no figure named 'schools_happy'" in message
    assert "audit_completion" in message


def test_a_parameter_the_figure_does_not_take_is_named() -> None:
    (message,) = problems("{{ audit_completion round=2018 year=2018 }}")
    assert "takes no parameter 'year'" in message and "round" in message


def test_a_missing_parameter_and_an_unknown_part_are_named() -> None:
    assert "needs round" in problems("{{ audit_completion }}")[0]
    assert "has no part 'colour'" in problems("{{ audit_completion round=2018 show=colour }}")[0]


def test_dates_of_protected_figures_are_parameters_like_any_other() -> None:
    assert problems("{{ referrals_by_age from=2018-05-01 to=2018-11-30 show=largest_band }}") == []


@pytest.mark.django_db
def test_saving_a_section_with_an_unknown_figure_is_refused_and_changes_nothing() -> None:
    report = services.save_committee_report(
        title="Prevent",
        committee="Select Committee",
        recommendations="Note it.",
        report_of="A member",
        contact_name="An officer",
    )
    with pytest.raises(services.ReportError) as refused:
        services.save_committee_section(
            report=report, heading="Schools", body="{{ audit_complete round=2018 }}"
        )
    assert "no figure named 'audit_complete'" in str(refused.value)
    assert not CommitteeSection.objects.filter(report=report).exists()
    with pytest.raises(services.ReportError):
        services.save_committee_report(
            report=report,
            expected_version=report.version,
            recommendations="{{ audit_completion }}",
        )
    assert CommitteeReport.objects.get(pk=report.pk).recommendations == "Note it."


def test_the_section_form_shows_the_problem_on_the_field() -> None:
    form = CommitteeSectionForm({"heading": "Schools", "body": "{{ nope }}"})
    assert not form.is_valid()
    assert "no figure named 'nope'" in form.errors["body"][0]


@pytest.mark.django_db
def test_the_coordinator_sees_the_message_when_saving_a_bad_placeholder(client_for) -> None:
    report = services.save_committee_report(
        title="Prevent",
        committee="Select Committee",
        recommendations="Note it.",
        report_of="A member",
        contact_name="An officer",
    )
    client = client_for(Role.COORDINATOR)
    response = client.post(
        f"/reports/committee/{report.pk}/sections/new/",
        {"heading": "Schools", "body": "{{ audit_completion round=2018 week=3 }}"},
    )
    assert response.status_code == 200
    assert "takes no parameter" in response.content.decode()
    assert not CommitteeSection.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_a_committee_report_saved_by_someone_else_meanwhile_is_refused() -> None:
    from preventhub.core.concurrency import ConcurrentEditError

    report = services.save_committee_report(
        title="Prevent",
        committee="Select Committee",
        recommendations="Note it.",
        report_of="A member",
        contact_name="An officer",
    )
    opened_at = report.version
    services.save_committee_report(report=report, expected_version=opened_at, title="Prevent 2")
    stale = CommitteeReport.objects.get(pk=report.pk)
    with pytest.raises(ConcurrentEditError):
        services.save_committee_report(report=stale, expected_version=opened_at, title="Mine")
    assert CommitteeReport.objects.get(pk=report.pk).title == "Prevent 2"
