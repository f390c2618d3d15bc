"""Request dependencies: settings, one database session per request, the service token."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from marketplace.core.config import MarketplaceSettings


def get_settings(request: Request) -> MarketplaceSettings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request only; routes commit, anything uncommitted is rolled back."""
    with request.app.state.session_factory() as session:
        yield session


# Declared as an HTTP bearer security scheme, so the OpenAPI schema says every route needs it.
_bearer = HTTPBearer(auto_error=False, description="the service token (SERVICE_TOKEN)")


def require_service_token(request: Request,
                          credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Only our own services may call the API: `Authorization: Bearer <service token>`."""
    expected = request.app.state.service_token
    token = credentials.credentials if credentials is not None else ""
    if not token or not secrets.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong service token",
                            headers={"WWW-Authenticate": "Bearer"})


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[MarketplaceSettings, Depends(get_settings)]
