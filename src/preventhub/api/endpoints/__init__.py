"""The JSON API, version 1: django-ninja operations over the apps' queries, stats and services.

Reads call the same queries and statistics the pages use; writes call the same services, so the
checks, messages and all-or-nothing rule are the pages' own. Every operation needs a token
(``auth.TokenAuth``); writes need a read and write token and the ETag last read (If-Match).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import get_schema
from ninja.responses import NinjaJSONEncoder

from preventhub.api.auth import ApiError, TokenAuth
from preventhub.api.endpoints.common import READ_ERRORS
from preventhub.core.concurrency import ConcurrentEditError, clash_in


class PreventHubAPI(NinjaAPI):
    """django-ninja's API, its OpenAPI document made once per process.

    The document follows from the code alone (its operations, schemas and the address it is
    served under), yet django-ninja made it anew for each request: about 100 ms of a worker's
    processor time, on two pages anyone may open without signing in (``/api/`` and
    ``/api/v1/openapi.json``). A few requests a second would have kept every worker busy.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        # "/api/v1/" (the document's own address) and "/api/v1" (its page) give one document.
        # A copy for each caller, read back from the kept text: no caller can change another's.
        return json.loads(_document(self, path_prefix.rstrip("/")))


@lru_cache(maxsize=8)
def _document(api: NinjaAPI, path_prefix: str) -> str:
    """The OpenAPI document of ``api`` served under ``path_prefix``, as JSON text."""
    return json.dumps(get_schema(api=api, path_prefix=path_prefix), cls=NinjaJSONEncoder)


api = PreventHubAPI(
    title="Prevent Hub API",
    version="1",
    description="Read the partnership's plan, returns and protected statistics, and send "
    "progress updates and returns. Send a token in `Authorization: Bearer <token>`; see "
    "docs/api.md.",
    auth=TokenAuth(),
    urls_namespace="api_v1",
    docs_url=None,
)


# ---- errors: {code, message, field?} -------------------------------------------------------------


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error(request, exc.status, exc.body())
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = [str(part) for part in first.get("loc", ())]
    # The first part says where the value came from (query, body, path); the rest is the field.
    field = ".".join(where[1:]) or None
    message = str(first.get("msg", "The request is not valid."))
    return _error(request, 422, {"code": "invalid", "message": message, "field": field})


@api.exception_handler(AuthenticationError)
def _no_token(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        {
            "code": "token_missing",
            "message": "Send an API token in the Authorization header: "
            "Authorization: Bearer <token>.",
        },
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, {"code": "not_found", "message": "There is nothing here."})


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, {"code": "forbidden", "message": "You may not do this."})


@api.exception_handler(ConcurrentEditError)
def _stale(request: HttpRequest, exc: ConcurrentEditError) -> HttpResponse:
    return _error(request, 412, {"code": "stale", "message": str(exc)})


@api.exception_handler(IntegrityError)
def _clash(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A write that lost to another landing first, as the pages say it
    (``core.middleware.WriteClashMiddleware``); any other integrity error is a fault."""
    clash = clash_in(exc)
    if clash is None:
        raise exc
    return _error(request, 409, {"code": "conflict", "message": clash.message})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if exc.status_code in READ_ERRORS else 400
    return _error(request, status, {"code": "bad_request", "message": str(exc)})


from preventhub.api.endpoints import delivery, figures, partnership, returns  # noqa: E402

for group in (partnership, delivery, figures, returns):
    api.add_router("", group.router)
