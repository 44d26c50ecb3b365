"""Template filters for the GOV.UK style of times ("2:05pm", "10am", "midday", "midnight"), of
shares ("97%", "less than 1%": core.figures' rule) and of long lists of links (``link_items``).

Registered as a built-in (settings.TEMPLATES), so every template can use them without ``load``:
``{{ event.at|govuk_datetime }}`` gives "5 December 2026, 2:05pm"; ``{{ event.at|govuk_time }}``
gives "2:05pm". Django's own time formats cannot write "pm" without dots or a space.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe

from preventhub.core.figures import percent_text

register = template.Library()


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def time_text(value: datetime.time | datetime.datetime, *, seconds: bool = False) -> str:
    """A time as GOV.UK writes it: "2:05pm", "10am", "midday", "midnight" (with ":09" seconds
    after the minutes when ``seconds``)."""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    if not seconds or not value.second:
        if (value.hour, value.minute) == (0, 0):
            return "midnight"
        if (value.hour, value.minute) == (12, 0):
            return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if seconds:
        return f"{hour}:{value.minute:02d}:{value.second:02d}{suffix}"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def datetime_text(value: datetime.datetime, *, seconds: bool = False) -> str:
    """ "5 December 2026, 2:05pm": the date as the style guide writes it, then the time."""
    local = _local(value)
    return f"{date_format(local, 'j F Y')}, {time_text(local, seconds=seconds)}"


@register.filter
def govuk_time(value: object, arg: str = "") -> str:
    """``{{ when|govuk_time }}`` → "2:05pm"; ``{{ when|govuk_time:"seconds" }}`` → "2:05:09pm"."""
    if not isinstance(value, datetime.time | datetime.datetime):
        return ""
    return time_text(value, seconds=arg == "seconds")


@register.filter
def govuk_datetime(value: object, arg: str = "") -> str:
    """``{{ when|govuk_datetime }}`` → "5 December 2026, 2:05pm"."""
    if not isinstance(value, datetime.datetime):
        return ""
    return datetime_text(value, seconds=arg == "seconds")


@register.filter
def share_of(part: object, whole: object) -> str:
    """``{{ 1|share_of:345 }}`` → "less than 1%"; empty when there is nothing to divide."""
    try:
        return percent_text(int(part), int(whole)) or ""  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


@register.filter
def link_items(links: Iterable[Any]) -> str:
    """``<ul class="govuk-list">{{ links|link_items }}</ul>``: each link (its ``name`` and
    ``href``) as an item of a GOV.UK list.

    For lists of hundreds of links, such as the partnership's organisations: a template loop
    resolves and escapes each value through several layers, ten times the cost of this one.
    ``html.escape`` is what Django's ``escape`` calls.
    """
    return mark_safe("".join(_list_item(link.href, link.name) for link in links))  # noqa: S308


@register.filter
def described_link_items(links: Iterable[Any]) -> str:
    """``<ul class="govuk-list">{{ links|described_link_items }}</ul>``: each link (its
    ``label`` and ``href``) as an item of a GOV.UK list, with its ``description`` under it as a
    hint when it has one. For the home page's list of what a person can do, as
    :func:`link_items` is for long lists."""
    return mark_safe(  # noqa: S308 - _list_item escapes every value
        "".join(_list_item(link.href, link.label, link.description) for link in links)
    )


def _list_item(href: str, text: str, hint: str = "") -> str:
    """One link of a GOV.UK list, every value escaped, with its hint under it if it has one."""
    under = f'<br><span class="govuk-hint">{escape(hint)}</span>' if hint else ""
    return f'<li><a class="govuk-link" href="{escape(href)}">{escape(text)}</a>{under}</li>'
