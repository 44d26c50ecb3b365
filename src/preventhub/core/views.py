from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist

from preventhub.core import audit, queries
from preventhub.core.access import public, requires, signed_in
from preventhub.core.exports import csv_response
from preventhub.core.forms import AuditFilterForm
from preventhub.core.home import work_for
from preventhub.core.navigation import links_for


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "roles": queries.role_summaries(request.user),
            "destinations": [link for link in links_for(request.user) if link.href != "/"],
            "work": work_for(request.user),
        },
    )


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/cookies.html",
        {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "session_minutes": settings.PREVENTHUB_SESSION_MINUTES,
            "case_session_minutes": settings.PREVENTHUB_CASE_SESSION_MINUTES,
        },
    )


@public(no_store=True)
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this process can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The GOV.UK-style 500 page; plain text if even that cannot be drawn (say, no database)."""
    try:
        return render(request, "500.html", status=500)
    except (TemplateDoesNotExist, Exception):  # noqa: BLE001 - the last line of defence
        return HttpResponse(
            "Sorry, there is a problem with the service. Try again later.",
            status=500,
            content_type="text/plain",
        )


def _audit_criteria(request: HttpRequest) -> tuple[AuditFilterForm, queries.AuditFilter]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, queries.AuditFilter(**form.cleaned_data)
    return form, queries.AuditFilter()


# The most entries one download holds: a CSV is written at 25,000 to 40,000 entries a second,
# and gunicorn ends a worker that takes over 30 s with the file half sent. The trail grows with
# every read of a case (a county's years reach a million entries; a national service's, more
# each year), so a selection past this is refused, with what to do instead.
AUDIT_EXPORT_MOST = 250_000


def _audit_log_page(
    request: HttpRequest, form: AuditFilterForm, criteria: queries.AuditFilter, refusal: str = ""
) -> HttpResponse:
    page = Paginator(queries.audit_events(criteria), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [queries.AuditRow.of(event) for event in page],
            "query": query.urlencode(),
            "refusal": refusal,
        },
    )


@requires("core.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    form, criteria = _audit_criteria(request)
    return _audit_log_page(request, form, criteria)


@requires("core.view_audit_log")
def audit_log_export(request: HttpRequest) -> HttpResponse:
    form, criteria = _audit_criteria(request)
    events = queries.audit_events(criteria)
    count = events.count()
    if count > AUDIT_EXPORT_MOST:
        return _audit_log_page(
            request,
            form,
            criteria,
            refusal=f"These {count:,} entries are more than one download holds "
            f"({AUDIT_EXPORT_MOST:,}). Filter the log to fewer, for example a shorter period, "
            f"then download them; download a long period a part at a time.",
        )
    header = [
        "sequence",
        "occurred_at",
        "actor",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "object",
        "changes",
        "detail",
        "entry_hash",
    ]
    rows = (
        [
            e.sequence,
            e.occurred_at.isoformat(),
            e.actor_label,
            e.ip_address or "",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False),
            e.detail,
            e.entry_hash,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    audit.record_export(what="core.auditevent", rows=count, detail=request.GET.urlencode()[:400])
    return csv_response("audit-log.csv", header, rows)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid token: usually a page left open past the session."""
    return render(request, "core/csrf_failure.html", status=403)
