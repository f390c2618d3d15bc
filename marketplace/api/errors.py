"""The one shape every refusal has, declared in the OpenAPI schema for every route."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """A refused request: an English `detail`, and for business rules a `code` with its values
    (so a client can say it in the person's language); validation errors list each problem."""

    detail: str
    code: str | None = None
    params: dict[str, str] | None = None
    errors: list[dict[str, Any]] | None = None


# 4XX covers 400 (a business rule), 401 (service token), 404 (missing, or not the caller's),
# 409 (conflicts with the current state) and 422 (malformed input).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorOut, "description": "Refused; `detail` says why"},
}
