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

from preventhub.core.spreadsheets import Limits, SpreadsheetRefused, check_size
from preventhub.returns.models import PartnerReturn
from preventhub.returns.spreadsheet import XLSX, SpreadsheetError, file_name


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in template",
        help_text="The Excel (XLSX) template for this return. Nothing is saved if any cell "
        "is wrong.",
        error_messages={"required": "Choose the filled-in template"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, Limits.from_settings())
        except SpreadsheetRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


def template_download(partner_return: PartnerReturn, content: bytes, what: str) -> HttpResponse:
    """The pre-filled template as an XLSX download named after the return."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name(partner_return, what)}"'
    return response


def upload_page(
    request: HttpRequest,
    *,
    partner_return: PartnerReturn,
    read: Callable[[bytes], int],
    refused: type[Exception] | tuple[type[Exception], ...] = (),
    success: Callable[[int], str],
    return_url_name: str,
    template_url_name: str,
    replaces: str,
) -> HttpResponse:
    """Upload a filled-in template: every cell checked, nothing saved if any is wrong.

    ``read`` saves the file's figures into the return and says how many it read; it raises
    :class:`SpreadsheetError` listing the cells to fix, or one of ``refused`` with a message.
    """
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = read(form.cleaned_data["file"].read())
        except SpreadsheetError as error:
            problems = error.problems
            form.add_error("file", "The file has problems: nothing was saved. See the list.")
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
