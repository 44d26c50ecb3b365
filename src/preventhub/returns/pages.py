"""The spreadsheet pages every kind of return shares: the pre-filled template and its upload.

The training return and the local profile data return each pass what differs: how to read the
file into the return, what to say when it worked, and where the return's own page is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.forms import VersionField
from preventhub.core.spreadsheets import Limits, SpreadsheetRefused, check_size
from preventhub.returns.forms import StepForm
from preventhub.returns.models import PartnerReturn
from preventhub.returns.spreadsheet import XLSX, SpreadsheetError, file_name


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in template",
        help_text="The Excel (XLSX) template for this return. Nothing is saved if any cell "
        "is wrong.",
        error_messages={"required": "Choose the filled-in template"},
    )
    # The file replaces the return's figures as they were when this page was opened.
    version = VersionField(required=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, Limits.from_settings())
        except SpreadsheetRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


def pressed_at(request: HttpRequest) -> int | None:
    """The version of the page a return's button was pressed on; None, with the reason shown to
    the person, when the post does not say (a page from before versions were sent)."""
    form = StepForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["version"]
    for error in form.errors.get("version", []):
        messages.error(request, error)
    return None


def template_download(partner_return: PartnerReturn, content: bytes, what: str) -> HttpResponse:
    """The pre-filled template as an XLSX download named after the return."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name(partner_return, what)}"'
    return response


def upload_page(
    request: HttpRequest,
    *,
    partner_return: PartnerReturn,
    read: Callable[[bytes, int], int],
    refused: type[Exception] | tuple[type[Exception], ...] = (),
    success: Callable[[int], str],
    return_url_name: str,
    template_url_name: str,
    replaces: str,
) -> HttpResponse:
    """Upload a filled-in template: every cell checked, nothing saved if any is wrong.

    ``read`` saves the file's figures into the return, if it has not changed since the version
    the page was opened at, moves the version on and says how many figures it read; it raises
    :class:`SpreadsheetError` listing the cells to fix, ConcurrentEditError, or one of
    ``refused`` with a message.
    """
    form = UploadForm(
        request.POST or None, request.FILES or None, initial={"version": partner_return.version}
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = read(form.cleaned_data["file"].read(), form.cleaned_data["version"])
        except SpreadsheetError as error:
            problems = error.problems
            form.add_error("file", "The file has problems: nothing was saved. See the list.")
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        except refused as error:  # type: ignore[misc]
            form.add_error("file", str(error))
        else:
            messages.success(request, success(count))
            return redirect(return_url_name, pk=partner_return.pk)
    return render(
        request,
        "returns/upload.html",
        {
            "form": form,
            "problems": problems,
            "partner_return": partner_return,
            "back_url": reverse(return_url_name, args=[partner_return.pk]),
            "template_url": reverse(template_url_name, args=[partner_return.pk]),
            "replaces": replaces,
        },
    )
