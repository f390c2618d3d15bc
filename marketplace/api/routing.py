"""Routes that give their database connection back as soon as the endpoint returns."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session


def _releasing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint so the sessions it was given are closed in its own worker thread.

    FastAPI validates a sync endpoint's return value in a second worker thread and closes a yield
    dependency later still. A request holding its connection until then can wait for a thread while every
    thread waits for a connection: the pool times out and the API answers 500 until the load passes.
    Closing here keeps loaded attributes readable (`expire_on_commit=False`) and rolls back anything the
    endpoint did not commit, as the dependency would.
    """
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            for value in kwargs.values():
                if isinstance(value, Session):
                    value.close()

    return run


class ReleasingRoute(APIRoute):
    """An `APIRoute` whose sync endpoint releases its database session before the response is built."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _releasing(endpoint), **kwargs)
