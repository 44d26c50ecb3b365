from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preventhub.core.access import requires
from preventhub.partnership import queries


@requires("partnership.view_directory")
def directory(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnership/directory.html",
        {"districts": list(queries.districts()), "organisations": list(queries.organisations())},
    )
