"""The subject access request bundle of one case, as JSON and as PDF.

Everything held about the person, with information about other people (the referrer, whoever
asked for or gave consent, staff who wrote notes, the people who deliver support) marked
``third_party`` so it is reviewed and redacted before the bundle is disclosed.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

from preventhub.casework.models import Referral, Triage


def _third(value: Any) -> dict[str, Any]:
    return {"value": value, "third_party": True}


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def bundle(referral: Referral) -> dict[str, Any]:
    triage = Triage.objects.filter(referral=referral).first()
    return {
        "reference": referral.reference,
        "received_on": _date(referral.received_on),
        "source": referral.get_source_display(),
        "referrer": {
            "organisation": _third(referral.referrer_organisation),
            "sector": referral.get_referrer_sector_display(),
            "name": _third(referral.referrer_name),
        },
        "person": {
            "given_name": referral.given_name,
            "family_name": referral.family_name,
            "date_of_birth": referral.date_of_birth or None,
            "gender": referral.get_gender_display(),
            "district": str(referral.district) if referral.district_id else None,
            "address": referral.address,
        },
        "concern_type": str(referral.concern_type),
        "concerns": referral.concerns,
        "awareness": referral.get_awareness_display(),
        "safeguarding_involved": referral.safeguarding_involved,
        "safeguarding_details": referral.safeguarding_details,
        "triage": None
        if triage is None
        else {
            "category": triage.get_category_display(),
            "decision": triage.decision,
            "rationale": triage.rationale,
            "decided_on": _date(triage.decided_on),
            "decided_by": _third(triage.decided_by.full_name),
            "checks": [
                {
                    "check": str(result.triage_check),
                    "done_on": _date(result.done_on),
                    "findings": result.findings,
                }
                for result in triage.checks.all()
            ],
        },
        "route": referral.get_route_display() if referral.route else None,
        "route_reason": referral.route_reason,
        "signposted_to": referral.signposted_to,
        "routed_on": _date(referral.routed_on),
        "panel_decisions": [
            {
                "meeting": _date(entry.meeting.held_on),
                "outcome": decision.get_outcome_display(),
                "rationale": decision.rationale,
            }
            for entry in referral.agenda.select_related("meeting")
            for decision in entry.decisions.all()
        ],
        "assessments": [
            {
                "assessed_on": _date(item.assessed_on),
                "assessed_by": _third(item.assessed_by.full_name),
                "entries": json.loads(item.entries),
            }
            for item in referral.assessments.all()
        ],
        "consent": [
            {
                "requested_by": _third(item.requested_by),
                "method": item.get_method_display(),
                "requested_on": _date(item.requested_on),
                "status": item.get_status_display(),
                "answered_on": _date(item.answered_on),
                "given_by": item.get_given_by_display(),
                "giver_name": _third(item.giver_name),
            }
            for item in referral.consents.all()
        ],
        "support_started_on": _date(referral.support_started_on),
        "interventions": [
            {
                "type": item.get_kind_display(),
                "provider": item.provider,
                "who": _third(item.who),
                "how": item.how,
                "starts_on": _date(item.starts_on),
                "review_on": _date(item.review_on),
            }
            for item in referral.interventions.all()
        ],
        "progress_notes": [
            {
                "written_on": _date(note.written_on),
                "by": _third(note.by.full_name),
                "text": note.text,
            }
            for note in referral.notes.all()
        ],
        "exit": {
            "exited_on": _date(referral.exited_on),
            "reason": referral.get_exit_reason_display(),
            "notes": referral.exit_notes,
        }
        if referral.exited_on
        else None,
        "reviews": [
            {
                "months": review.months,
                "due_on": _date(review.due_on),
                "completed_on": _date(review.completed_on),
                "outcome": review.outcome,
            }
            for review in referral.reviews.all()
        ],
        "intake_corrections": [
            {
                "at": item.at.isoformat(),
                "by": _third(item.by.full_name if item.by else None),
                "details": item.fields,
                "earlier": json.loads(item.earlier or "{}"),
                "reason": item.reason,
            }
            for item in referral.intake_corrections.select_related("by").order_by("at", "pk")
        ],
        "timeline": [
            {"at": event.at.isoformat(), "what": event.title, "detail": event.detail}
            for event in referral.events.order_by("at", "pk")
        ],
    }


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def json_response(data: dict[str, Any], referral: Referral) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, f"{referral.reference}-subject-access.json")


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str, bool]]:
    """Rows of (field, text, third party) for the printed bundle."""
    if isinstance(value, dict) and set(value) == {"value", "third_party"}:
        return [(prefix, "" if value["value"] is None else str(value["value"]), True)]
    if isinstance(value, dict):
        rows = []
        for key, item in value.items():
            rows += _flatten(item, f"{prefix} › {key}" if prefix else key)
        return rows
    if isinstance(value, list):
        rows = []
        for index, item in enumerate(value, start=1):
            rows += _flatten(item, f"{prefix} {index}")
        return rows
    return [(prefix, "" if value is None else str(value), False)]


def pdf_response(data: dict[str, Any], referral: Referral) -> HttpResponse:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("The subject access bundle fetches nothing")

    html = render_to_string(
        "casework/export_print.html",
        {"reference": referral.reference, "rows": _flatten(data)},
    )
    pdf = HTML(string=html, url_fetcher=RefuseEverything()).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    return _attachment(response, f"{referral.reference}-subject-access.pdf")
