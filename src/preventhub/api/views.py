"""Pages about the API: its documentation, personal tokens, and organisations' service tokens.

A new token's secret is shown on the page that answers the post that made it, once: it is never
stored, never put in a URL and never shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from preventhub.api import forms, queries, services
from preventhub.api.endpoints import api
from preventhub.core.access import public, requires
from preventhub.core.pages import form_page


@public
def docs(request: HttpRequest) -> HttpResponse:
    """The API's reference for people, drawn from the same OpenAPI document programs read."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "tag": (operation.get("tags") or [""])[0],
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api/docs.html", {"operations": operations})


@requires("api.use_tokens")
def tokens(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/tokens.html",
        {"tokens": queries.personal_tokens(request.user), "today": timezone.localdate()},
    )


def _created(request: HttpRequest, token: object, secret: str) -> HttpResponse:
    return render(request, "api/token_created.html", {"token": token, "secret": secret})


@requires("api.use_tokens")
def token_new(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_personal_token(user=request.user, **form.cleaned_data)
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            return _created(request, token, secret)
    return form_page(
        request,
        form=form,
        title="Make an API token",
        intro="The token acts as you: it reaches exactly what your account reaches.",
        submit_label="Make token",
        back_url="/api/tokens/",
    )


@requires("api.use_tokens")
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token answers 404, so its existence does not show.
    found = get_object_or_404(queries.personal_tokens(request.user), pk=pk)
    services.revoke_token(token=found, by=request.user)
    messages.success(request, f"Revoked “{found.name}”. It no longer works.")
    return redirect("api:tokens")


@requires("api.view_service_tokens")
def service_tokens(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/service_tokens.html",
        {
            "tokens": queries.service_tokens(),
            "today": timezone.localdate(),
            "manages": request.user.has_perm("api.manage_service_tokens"),
        },
    )


@requires("api.manage_service_tokens")
def service_token_new(request: HttpRequest) -> HttpResponse:
    form = forms.ServiceTokenForm(request.POST or None, leads=queries.partner_leads())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = services.create_service_token(
                organisation=data["user"].organisation, by=request.user, **data
            )
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            return _created(request, token, secret)
    return form_page(
        request,
        form=form,
        title="Make a service token",
        intro="For a partner's own system to send its returns and updates. Give the token to "
        "the partner lead through a secure channel.",
        submit_label="Make token",
        back_url="/api/service-tokens/",
    )


@requires("api.manage_service_tokens")
@require_POST
def service_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(queries.service_tokens(), pk=pk)
    services.revoke_token(token=found, by=request.user)
    messages.success(request, f"Revoked “{found.name}”. It no longer works.")
    return redirect("api:service_tokens")
