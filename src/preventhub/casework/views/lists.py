"""The casework reference lists: types of concern and triage checks, kept by the partnership.

They name categories, never people, so the Administrator keeps them with the Channel chair. A
category in use is never deleted: it is taken out of use, and the records that name it keep it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from preventhub.casework import services
from preventhub.casework.models import ConcernType, TriageCheck
from preventhub.core.access import requires
from preventhub.core.pages import form_page

MANAGE = "casework.manage_lists"

# The lists, by the name their pages use: (model, its name in a sentence).
LISTS: dict[str, tuple[type[Model], str]] = {
    "concern-types": (ConcernType, "type of concern"),
    "triage-checks": (TriageCheck, "triage check"),
}


class ListItemForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the name"})
    order = forms.IntegerField(
        min_value=0,
        max_value=32000,
        initial=100,
        help_text="Lower numbers come first in the lists people choose from.",
        error_messages={"required": "Enter a number for the order, like 10"},
    )
    is_active = forms.BooleanField(
        label="In use: offered on new referrals and triage", required=False, initial=True
    )


@requires(MANAGE)
def lists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "casework/lists.html",
        {"lists": [(slug, label, model.objects.all()) for slug, (model, label) in LISTS.items()]},
    )


def _list(kind: str) -> tuple[type[Model], str]:
    if kind not in LISTS:
        raise Http404("No such list")
    return LISTS[kind]


@requires(MANAGE)
def list_item(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    model, label = _list(kind)
    item = get_object_or_404(model, pk=pk) if pk is not None else None
    initial = (
        {"name": item.name, "order": item.order, "is_active": item.is_active} if item else None
    )
    form = ListItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_list_item(item=item or model(), label=label, **form.cleaned_data)
        except services.CaseworkError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Saved the {label} “{item.name}”.")
            return redirect("casework:lists")
    return form_page(
        request,
        form=form,
        title=f"Change the {label}" if pk is not None else f"Add a {label}",
        back_url=reverse("casework:lists"),
    )
