"""Telegram-style API errors."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answered as {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        """Store HTTP code, description and optional retry_after."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """Telegram error envelope."""
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def bad_request(text: str) -> ApiError:
    """400 Bad Request: text."""
    return ApiError(400, f"Bad Request: {text}")


def forbidden(text: str) -> ApiError:
    """403 Forbidden: text."""
    return ApiError(403, f"Forbidden: {text}")


def too_many(retry_after: int) -> ApiError:
    """429 flood-control error."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
