"""Support handoffs: open (idempotent per person), topic, claim, notes, refund/release, close, rate, queue, stats.

Staff membership is checked by the bot against the staff group; the API trusts its own services.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Query, Response, status

from marketplace.api.deps import SessionDep
from marketplace.api.handoff_schemas import (
    CloseIn,
    HandoffIn,
    HandoffOut,
    NoteIn,
    RatingIn,
    ResolvedOut,
    ResolveIn,
    StaffIn,
    StatsOut,
    TopicIn,
)
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import ChatId, OrderOut, RowId, TelegramId
from marketplace.models import Handoff, HandoffReason, utcnow
from marketplace.services import checkout, handoffs
from marketplace.services.errors import DomainError, NotFound

router = APIRouter(prefix="/handoffs", tags=["support"], route_class=ReleasingRoute)


def _out(session: SessionDep, handoff: Handoff, *, created: bool = False) -> HandoffOut:
    return HandoffOut.of(handoff, now=utcnow(), queue_position=handoffs.queue_position(session, handoff),
                         created=created)


@router.post("", status_code=status.HTTP_201_CREATED,
             responses={200: {"model": HandoffOut, "description": "The person's active handoff, opened earlier"}})
def open_handoff(body: HandoffIn, session: SessionDep, response: Response) -> HandoffOut:
    """Hand a person to support; while one is active for them, return it (200) instead of a new one."""
    person = handoffs.Person(telegram_user_id=body.telegram_user_id, role=body.role, language=body.language,
                             name=body.name, country=body.country.upper() if body.country else None)
    handoff, created = handoffs.open_handoff(session, person, reason=HandoffReason(body.reason),
                                             order_id=body.order_id)
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return _out(session, handoff, created=created)


@router.get("/queue")
def queue(session: SessionDep) -> list[HandoffOut]:
    """Active handoffs, oldest first, with waiting time and assignee."""
    now = utcnow()
    return [HandoffOut.of(h, now=now, queue_position=handoffs.queue_position(session, h), events=False)
            for h in handoffs.queue(session)]


@router.get("/stats")
def stats(session: SessionDep, days: int = Query(7, ge=1, le=366)) -> StatsOut:
    """Handoff rate, median first-response time and average rating for the last `days` days."""
    return StatsOut(days=days, **handoffs.stats(session, since=utcnow() - timedelta(days=days)))


@router.get("/active")
def active(session: SessionDep, telegram_user_id: TelegramId | None = None, staff_chat_id: ChatId | None = None,
           thread_id: TelegramId | None = None) -> HandoffOut:
    """The active handoff of a person, or of a staff-group topic (404 when there is none)."""
    if telegram_user_id is not None and thread_id is None:
        handoff = handoffs.active_for_person(session, telegram_user_id)
    elif telegram_user_id is None and staff_chat_id is not None and thread_id is not None:
        handoff = handoffs.active_for_topic(session, staff_chat_id, thread_id)
    else:
        raise DomainError("ask by telegram_user_id, or by staff_chat_id and thread_id")
    if handoff is None:
        raise NotFound("no active handoff")
    return _out(session, handoff)


@router.get("/{handoff_id}")
def get_handoff(handoff_id: RowId, session: SessionDep) -> HandoffOut:
    """One handoff with its log."""
    return _out(session, handoffs.get_handoff(session, handoff_id))


@router.put("/{handoff_id}/topic")
def set_topic(handoff_id: RowId, body: TopicIn, session: SessionDep) -> HandoffOut:
    """Remember the topic the bot opened for the handoff (409 if it already has another)."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    handoffs.set_topic(session, handoff, staff_chat_id=body.staff_chat_id, thread_id=body.thread_id)
    session.commit()
    return _out(session, handoff)


@router.post("/{handoff_id}/claim")
def claim(handoff_id: RowId, body: StaffIn, session: SessionDep) -> HandoffOut:
    """Assign the handoff to the staff member."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    handoffs.claim(session, handoff, staff_id=body.staff_telegram_id, staff_name=body.staff_name)
    session.commit()
    return _out(session, handoff)


@router.post("/{handoff_id}/staff-reply")
def staff_reply(handoff_id: RowId, body: StaffIn, session: SessionDep) -> HandoffOut:
    """A staff message was delivered to the person (the first one sets the first-response time)."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    handoffs.staff_replied(session, handoff, staff_id=body.staff_telegram_id)
    session.commit()
    return _out(session, handoff)


@router.post("/{handoff_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(handoff_id: RowId, body: NoteIn, session: SessionDep) -> HandoffOut:
    """An internal staff note."""
    handoff = handoffs.get_handoff(session, handoff_id)
    handoffs.add_note(session, handoff, staff_id=body.staff_telegram_id, text=body.text)
    session.commit()
    return _out(session, handoff)


@router.post("/{handoff_id}/resolve")
def resolve(handoff_id: RowId, body: ResolveIn, session: SessionDep) -> ResolvedOut:
    """Refund or release one of the person's orders through the order state machine (actor staff:<id>)."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    order = handoffs.resolve_order(session, handoff, action=body.action, order_id=body.order_id,
                                   staff_id=body.staff_telegram_id, note=body.note)
    session.commit()
    return ResolvedOut(handoff=_out(session, handoff),
                       order=OrderOut.of(checkout.get_order(session, order.id)))


@router.post("/{handoff_id}/close")
def close(handoff_id: RowId, body: CloseIn, session: SessionDep) -> HandoffOut:
    """Hand the conversation back to the bot."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    actor = f"staff:{body.staff_telegram_id}" if body.staff_telegram_id else "system"
    handoffs.close(session, handoff, actor=actor, outcome=body.outcome)
    session.commit()
    return _out(session, handoff)


@router.post("/{handoff_id}/rating")
def rate(handoff_id: RowId, body: RatingIn, session: SessionDep) -> HandoffOut:
    """The person's 1-5 rating of the help, once, after the handoff is closed."""
    handoff = handoffs.get_handoff(session, handoff_id, for_update=True)
    handoffs.rate(session, handoff, telegram_user_id=body.telegram_user_id, stars=body.stars)
    session.commit()
    return _out(session, handoff)
