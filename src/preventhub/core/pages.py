"""Page layouts shared by every app's views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    *,
    form: object,
    title: str,
    back_url: str = "",
    caption: str = "",
    intro: str = "",
    submit_label: str = "Save",
    conflict: str = "",
) -> HttpResponse:
    """The one-question-per-page GOV.UK form layout every simple edit page uses."""
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "caption": caption,
            "intro": intro,
            "submit_label": submit_label,
            "conflict": conflict,
        },
    )
