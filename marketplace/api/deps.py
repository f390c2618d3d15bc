"""Request dependencies: settings, one database session per request, the service token."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from marketplace.core.config import MarketplaceSettings


def get_settings(request: Request) -> MarketplaceSettings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request only; routes commit, anything uncommitted is rolled back."""
    with request.app.state.session_factory() as session:
        yield session


def require_service_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Only our own services may call the API: `Authorization: Bearer <service token>`."""
    expected = request.app.state.service_token
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong service token",
                            headers={"WWW-Authenticate": "Bearer"})


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[MarketplaceSettings, Depends(get_settings)]
