"""What every group of the API's operations shares: the answers it documents, pages of
results, and how a write is attributed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Schema

from preventhub.api import schemas
from preventhub.api.auth import ApiError
from preventhub.core import audit

# A record's id in a path: a positive whole number the database can hold.
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
# Every operation may answer with these, in the one error shape.
READ_ERRORS: dict[int, type[schemas.Error]] = {
    code: schemas.Error for code in (400, 401, 403, 404, 422, 429)
}
WRITE_ERRORS = {**READ_ERRORS, **{code: schemas.Error for code in (409, 412, 428)}}
FILL = "returns.fill_return"


def answers(ok: Any, *, writes: bool = False, status: int = 200) -> dict[int, Any]:
    return {status: ok, **(WRITE_ERRORS if writes else READ_ERRORS)}


def refused(message: str, *, status: int = 422, field: str | None = None) -> ApiError:
    """A service's refusal: its message, word for word as the page shows it."""
    return ApiError(status, "refused", message, field=field)


# ---- pages of results ----------------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="At most this many items.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Skip this many items first.")


def one_page(items: Sequence[Any] | Any, query: PageQuery, convert: Callable[[Any], Any]) -> dict:
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    chosen = items[query.offset : query.offset + query.limit]
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [convert(item) for item in chosen],
    }


def ordered(items: list[Any], ordering: str, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    name = ordering.removeprefix("-")
    return sorted(
        items,
        key=lambda item: (keys[name](item) is None, keys[name](item) or 0),
        reverse=ordering.startswith("-"),
    )


def fields_of(obj: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def acting(request: HttpRequest) -> Any:
    """The audit trail names the token as well as its person."""
    token = request.auth  # type: ignore[attr-defined]
    return audit.acting(request=request, via=f"API token “{token.name}” ({token.prefix}…)")
