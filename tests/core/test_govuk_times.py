"""Times are written as GOV.UK writes them, everywhere: "2:05pm", "10am", "midday", "midnight"."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from preventhub.core.templatetags.govuk import datetime_text, time_text

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("hour", "minute", "written"),
    [
        (14, 5, "2:05pm"),
        (10, 0, "10am"),
        (9, 30, "9:30am"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (12, 45, "12:45pm"),
        (0, 15, "12:15am"),
        (23, 59, "11:59pm"),
    ],
)
def test_a_time_is_written_in_the_govuk_style(hour: int, minute: int, written: str) -> None:
    assert time_text(datetime.time(hour, minute)) == written


def test_a_date_and_time_is_the_date_then_the_time_in_local_time() -> None:
    # 14:05 UTC in summer is 3:05pm in London.
    when = datetime.datetime(2026, 7, 1, 14, 5, tzinfo=datetime.UTC)
    assert datetime_text(when) == "1 July 2026, 3:05pm"
    winter = datetime.datetime(2026, 12, 5, 14, 5, tzinfo=datetime.UTC)
    assert datetime_text(winter) == "5 December 2026, 2:05pm"


def test_seconds_are_shown_when_asked_for() -> None:
    when = datetime.datetime(2026, 12, 5, 14, 5, 9, tzinfo=LONDON)
    assert datetime_text(when, seconds=True) == "5 December 2026, 2:05:09pm"


def test_every_template_has_the_filters_without_loading_them() -> None:
    when = datetime.datetime(2026, 12, 5, 14, 5, tzinfo=datetime.UTC)
    rendered = Template("{{ when|govuk_datetime }} / {{ when|govuk_time }} / {{ none|govuk_time }}")
    assert rendered.render(Context({"when": when, "none": None})) == (
        "5 December 2026, 2:05pm / 2:05pm / "
    )


def test_no_template_writes_a_24_hour_clock() -> None:
    from pathlib import Path

    import preventhub

    root = Path(preventhub.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if "H:i" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
