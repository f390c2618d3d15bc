"""GET /metrics: this API process's Prometheus metrics (no service token; keep the port private)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.core.metrics import metrics
from marketplace.models import utcnow
from marketplace.services import outbox

router = APIRouter(tags=["metrics"], include_in_schema=False, route_class=ReleasingRoute)


@router.get("/metrics")
def scrape(session: SessionDep) -> Response:
    """The metrics in Prometheus' text format, with the outbox lag read from the database now."""
    observed = metrics()
    lag, due = outbox.lag(session, now=utcnow())
    observed.outbox_lag.set(lag)
    observed.outbox_due.set(due)
    return Response(generate_latest(observed.registry), media_type=CONTENT_TYPE_LATEST)
