"""Forms sent once: the same form sent again is taken to where the first sending went.

A double click on "Save", a second press while a slow page loads, or the back button and "Save"
again sends a form twice; a record with nothing unique about it (a referral, a meeting, an
engagement activity) would be saved twice. ``app.js`` stops a second press in the browser. This
is the server's own guard, for a browser without JavaScript and for the back button.

Every form drawn with ``{% csrf_token %}`` carries a once-only token (``FIELD``, drawn by
``core.templatetags.sent_once``, a new one each time a form is drawn). Before the view runs,
``core.middleware.SentOnceMiddleware`` claims the token of a signed-in person's POST (:func:`claim`,
a row with the token unique). The first sending goes on to its view; when its answer sends the
browser on (a redirect, as every page that saves does), where it went is kept with the claim
(:func:`settle`); any other answer (the form again with its errors, a refusal, a fault) gives
the token up (:func:`release`), so the page it drew can be sent again. A later sending of the
same token goes where the first went, with a message saying so; one that comes while the first is
still being handled waits for it a few seconds (:func:`wait_for_first`), then goes where it went,
or is sent as new if the first gave its token up. A claim is kept a day.
"""

from __future__ import annotations

import datetime
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from preventhub.core.models import SentForm

# The form field holding the token, and what a token looks like (secrets.token_urlsafe(32)).
FIELD = "sent_once"
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# How long a claim is kept: a page left open longer than this can be sent again as new.
KEPT_FOR = datetime.timedelta(days=1)
# A claim with no answer for longer than a request may take (gunicorn ends a worker's request
# after 30 s) was left by a request that never finished: its form may be sent again.
ABANDONED_AFTER = datetime.timedelta(minutes=2)
# How long a second sending waits for the first's answer, and how often it looks.
WAIT_FOR_FIRST_SECONDS = 5.0
LOOK_EVERY_SECONDS = 0.1


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_of(request: HttpRequest) -> str | None:
    """The once-only token a POST carries, if it carries a well-formed one."""
    if request.method != "POST":
        return None
    token = request.POST.get(FIELD, "")
    return token if TOKEN.fullmatch(token) else None


@dataclass(frozen=True)
class Earlier:
    """A sending of the same token before this one: whose it was, and where it went ("" while
    it is still being handled)."""

    user_id: int
    location: str


def claim(token: str, user: Any) -> Earlier | None:
    """Claim ``token`` for this sending: None when it is the first (or the first was abandoned),
    else the earlier sending. Committed at once, before the view's own writes."""
    now = timezone.now()
    SentForm.objects.filter(sent_at__lt=now - KEPT_FOR).delete()
    try:
        with transaction.atomic():
            SentForm.objects.create(token=token, user=user, sent_at=now)
        return None
    except IntegrityError:
        pass
    taken_over = SentForm.objects.filter(
        token=token, user=user, location="", sent_at__lt=now - ABANDONED_AFTER
    ).update(sent_at=now)
    if taken_over:
        return None
    earlier = SentForm.objects.filter(token=token).values_list("user", "location").first()
    if earlier is None:  # given up between the two statements: this sending is the first now
        return claim(token, user)
    return Earlier(*earlier)


def settle(token: str, location: str) -> None:
    """The first sending's answer sent the browser to ``location``: later ones go there too."""
    longest = SentForm._meta.get_field("location").max_length
    SentForm.objects.filter(token=token).update(location=location[:longest])


def release(token: str) -> None:
    """The first sending saved nothing that a second could repeat: the token may be sent again."""
    SentForm.objects.filter(token=token, location="").delete()


def wait_for_first(token: str) -> None:
    """Wait up to WAIT_FOR_FIRST_SECONDS for the first sending of ``token`` to be answered (or to
    give the token up)."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while time.monotonic() < deadline:
        location = SentForm.objects.filter(token=token).values_list("location", flat=True).first()
        if location is None or location:
            return
        time.sleep(LOOK_EVERY_SECONDS)
