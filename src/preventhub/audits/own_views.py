"""A school's designated safeguarding lead, signed in with an account: their own school's audit.

The school's link (``link/``) needs no account. A designated safeguarding lead who has one finds
the same things here: each round's response, results and feedback, and the action plan. Which
school is theirs is decided by its safeguarding contact, the address the education lead keeps
for it (``audits.queries.own_school_places``): a place of any other school is not found (404), so
the pages never show that it exists. To answer the questionnaire or update the action plan, they
open the school's journey from here, while the school's link is live, without the e-mail.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from preventhub.audits import feedback, queries
from preventhub.audits.link.views import SESSION_KEY
from preventhub.audits.models import RoundSchool
from preventhub.core.access import requires

OWN = "audits.view_own_school"


def _own_place(request: HttpRequest, place_pk: int) -> RoundSchool:
    place = get_object_or_404(queries.own_school_places(request.user), pk=place_pk)
    if not request.user.has_perm("audits.see_own_place", place):
        raise Http404("Not your school")
    return place


@requires(OWN)
def own_school(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "audits/own_school.html",
        {"places": list(queries.own_school_places(request.user))},
    )


@requires(OWN, hide=True)
def own_school_place(request: HttpRequest, place_pk: int) -> HttpResponse:
    place = _own_place(request, place_pk)
    return render(
        request,
        "audits/own_school_place.html",
        {
            "place": place,
            "round": place.round,
            "feedback": feedback.school_feedback(place),
            "items": place.action_items.select_related("question"),
            "link_is_live": place.link_is_live(),
        },
    )


@requires(OWN, hide=True)
def own_school_pdf(request: HttpRequest, place_pk: int) -> HttpResponse:
    found = feedback.school_feedback(_own_place(request, place_pk))
    if found.response is None:
        return redirect("audits:own_school_place", place_pk=place_pk)
    response = HttpResponse(feedback.feedback_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{feedback.filename(found)}"'
    return response


@requires(OWN, hide=True)
@require_POST
def own_school_open(request: HttpRequest, place_pk: int) -> HttpResponse:
    """Open the school's own journey (answering, the action plan) in this session, as its live
    link would; it ends when the link is re-issued, revoked or expires, as the link's does."""
    place = _own_place(request, place_pk)
    if not place.link_is_live():
        return redirect("audits:own_school_place", place_pk=place.pk)
    request.session[SESSION_KEY] = {"place": place.pk, "digest": place.link_token_digest}
    return redirect("school_audit:start")
