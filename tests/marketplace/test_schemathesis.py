"""Schemathesis against the marketplace's own OpenAPI schema, on a real database with a little data:
whatever a caller with the service token sends, the API never answers 5xx, and every answer has a
documented status code and the documented shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import HandoffReason
from marketplace.services import conversations, handoffs
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders

# Without the token every route answers 401: tests/marketplace/test_authorization.py.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
AUTH = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


def seed(factory: sessionmaker[Session]) -> None:
    """A shop with a listing, a buyer with a paid order, a conversation about it and an open handoff."""
    with transaction(factory) as session:
        order = builders.order(session)
        builders.pay(session, order, charge_id="charge-1")
        conversations.open_for_order(session, order_id=order.id, telegram_id=700001, role="buyer")
        handoffs.open_handoff(session, handoffs.Person(telegram_user_id=700001, role="buyer", language="es",
                                                       name="María", country="AR"),
                              reason=HandoffReason.DISPUTE, order_id=order.id)


def _schema() -> schemathesis.BaseSchema:
    """The schema as the app describes it (building the app touches no database)."""
    app = create_app(MarketplaceSettings(database_url="sqlite://", service_token=SERVICE_TOKEN))
    return schemathesis.openapi.from_dict(app.openapi())


schema = _schema()


@pytest.fixture
def marketplace(settings: MarketplaceSettings, factory: sessionmaker[Session]) -> Iterator[FastAPI]:
    """The API over a seeded database; started on its first request, stopped after the test."""
    seed(factory)
    yield create_app(settings)
    schemathesis.python.asgi.shutdown_lifespans()  # disposes the app's engine


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_no_input_makes_the_marketplace_fail_or_break_its_schema(case: schemathesis.Case,
                                                                   marketplace: FastAPI) -> None:
    case.call_and_validate(app=marketplace, headers=AUTH, checks=CHECKS)
