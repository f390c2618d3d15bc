"""Support handoffs: a person's conversation taken over by staff in a topic of the staff group.

At most one handoff per person is active (open or claimed); opening again returns it (a partial
unique index makes that hold under races too). Staff resolve disputes through the order state
machine with the actor `staff:<telegram id>`; every step is logged in `handoff_events`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from marketplace.core.metrics import count_on_commit, metrics
from marketplace.models import (
    Customer,
    Handoff,
    HandoffEvent,
    HandoffReason,
    HandoffState,
    Order,
    Shop,
    utcnow,
)
from marketplace.services.errors import Conflict, DomainError, NotFound
from marketplace.services.orders import OrderAction, transition
from marketplace.services.policy import check_actor

ACTIVE = (HandoffState.OPEN, HandoffState.CLAIMED)
ROLES = ("buyer", "seller")
RESOLUTIONS = {"refund": OrderAction.REFUND, "release": OrderAction.RELEASE}
COUNTED = {"opened": "opened", "claimed": "claimed", "closed": "resolved"}  # log kind -> metric label


@dataclass(frozen=True)
class Person:
    """Who is handed over, as the bot and the actions know them."""

    telegram_user_id: int
    role: str
    language: str
    name: str | None = None
    country: str | None = None


def _log(session: Session, handoff: Handoff, kind: str, actor: str, text: str | None = None) -> None:
    handoff.events.append(HandoffEvent(kind=kind, actor=actor, text=text))  # keeps the loaded log current
    if kind in COUNTED:
        count_on_commit(session, metrics().handoffs.labels(event=COUNTED[kind]))


def _loaded(session: Session, handoff_id: int, *, for_update: bool = False) -> Handoff | None:
    query = select(Handoff).where(Handoff.id == handoff_id).options(selectinload(Handoff.events))
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def get_handoff(session: Session, handoff_id: int, *, for_update: bool = False) -> Handoff:
    """A handoff with its log, or NotFound."""
    handoff = _loaded(session, handoff_id, for_update=for_update)
    if handoff is None:
        raise NotFound(f"handoff {handoff_id} not found")
    return handoff


def active_for_person(session: Session, telegram_user_id: int) -> Handoff | None:
    """The person's open or claimed handoff, if any."""
    handoff_id = session.scalar(select(Handoff.id).where(Handoff.telegram_user_id == telegram_user_id,
                                                         Handoff.state.in_(ACTIVE)))
    return _loaded(session, handoff_id) if handoff_id is not None else None


def active_for_topic(session: Session, staff_chat_id: int, thread_id: int) -> Handoff | None:
    """The active handoff whose topic this is, if any."""
    handoff_id = session.scalar(select(Handoff.id).where(Handoff.staff_chat_id == staff_chat_id,
                                                         Handoff.thread_id == thread_id, Handoff.state.in_(ACTIVE)))
    return _loaded(session, handoff_id) if handoff_id is not None else None


def _owned_order(session: Session, order_id: int, person: Person | Handoff) -> Order:
    """The order, if it is the person's (as buyer, or as the shop's owner); else NotFound."""
    order = session.get(Order, order_id)
    mine = False
    if order is not None and person.role == "buyer" and order.customer_id is not None:
        customer = session.get(Customer, order.customer_id)
        mine = customer is not None and customer.telegram_user_id == person.telegram_user_id
    elif order is not None and person.role == "seller":
        shop = session.get(Shop, order.shop_id)
        mine = shop is not None and shop.owner_telegram_id == person.telegram_user_id
    if not mine:
        raise NotFound(f"order {order_id} is not one of this person's orders")
    assert order is not None
    return order


def open_handoff(session: Session, person: Person, *, reason: HandoffReason,
                 order_id: int | None = None) -> tuple[Handoff, bool]:
    """Open a handoff, or return the person's active one (attaching the order if it had none).
    Returns the handoff and whether it was created now."""
    if person.role not in ROLES:
        raise DomainError(f"role must be one of {', '.join(ROLES)}")
    if order_id is not None:
        _owned_order(session, order_id, person)
    existing = active_for_person(session, person.telegram_user_id)
    if existing is None:
        handoff = Handoff(telegram_user_id=person.telegram_user_id, name=person.name, role=person.role,
                          language=person.language, country=person.country, reason=reason, order_id=order_id)
        try:
            with session.begin_nested():
                session.add(handoff)
                session.flush()
        except IntegrityError:  # a concurrent open for the same person won the race
            existing = active_for_person(session, person.telegram_user_id)
            if existing is None:
                raise
        else:
            _log(session, handoff, "opened", f"{person.role}:{person.telegram_user_id}",
                 f"{reason.value}" + (f" on order {order_id}" if order_id else ""))
            session.flush()
            return handoff, True
    assert existing is not None
    if order_id is not None and existing.order_id is None:
        existing.order_id = order_id
        if reason is HandoffReason.DISPUTE:
            existing.reason = reason
    _log(session, existing, "asked_again", f"{person.role}:{person.telegram_user_id}",
         f"{reason.value}" + (f" on order {order_id}" if order_id else ""))
    session.flush()
    return existing, False


def _check_active(handoff: Handoff) -> None:
    if handoff.state not in ACTIVE:
        raise Conflict(f"handoff {handoff.id} is closed")


def set_topic(session: Session, handoff: Handoff, *, staff_chat_id: int, thread_id: int) -> Handoff:
    """Remember the staff-group topic of this handoff (once; the same topic again is fine)."""
    if handoff.thread_id is not None and (handoff.staff_chat_id, handoff.thread_id) != (staff_chat_id, thread_id):
        raise Conflict(f"handoff {handoff.id} already has topic {handoff.thread_id}")
    if handoff.thread_id is None:
        handoff.staff_chat_id, handoff.thread_id = staff_chat_id, thread_id
        _log(session, handoff, "topic", "system", f"{staff_chat_id}/{thread_id}")
    session.flush()
    return handoff


def claim(session: Session, handoff: Handoff, *, staff_id: int, staff_name: str | None) -> Handoff:
    """Assign the handoff to a staff member (taking it over from a colleague is allowed)."""
    _check_active(handoff)
    if handoff.assignee_telegram_id != staff_id:
        handoff.assignee_telegram_id, handoff.assignee_name = staff_id, staff_name
        handoff.state = HandoffState.CLAIMED
        handoff.claimed_at = handoff.claimed_at or utcnow()
        _log(session, handoff, "claimed", f"staff:{staff_id}", staff_name)
    session.flush()
    return handoff


def staff_replied(session: Session, handoff: Handoff, *, staff_id: int) -> Handoff:
    """A staff message reached the person: the first one sets the first-response time."""
    _check_active(handoff)
    if handoff.first_staff_reply_at is None:
        handoff.first_staff_reply_at = utcnow()
        _log(session, handoff, "first_reply", f"staff:{staff_id}")
    session.flush()
    return handoff


def add_note(session: Session, handoff: Handoff, *, staff_id: int, text: str) -> Handoff:
    """An internal note (never shown to the person)."""
    if not text.strip():
        raise DomainError("the note is empty")
    _log(session, handoff, "note", f"staff:{staff_id}", text.strip())
    session.flush()
    return handoff


def resolve_order(session: Session, handoff: Handoff, *, action: str, order_id: int, staff_id: int,
                  note: str | None = None) -> Order:
    """Refund the buyer or release the money to the seller for one of the person's orders."""
    _check_active(handoff)
    if action not in RESOLUTIONS:
        raise DomainError(f"action must be one of {', '.join(RESOLUTIONS)}")
    order = _owned_order(session, order_id, handoff)
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    actor = f"staff:{staff_id}"
    check_actor(order=order, actor=actor, action=RESOLUTIONS[action], customer=customer)
    # transition() updates conditionally on the status and version read: a racing change loses cleanly
    transition(session, order=order, action=RESOLUTIONS[action], actor=actor,
               note=note or f"support handoff #{handoff.id}")
    handoff.outcome = f"{'refunded' if action == 'refund' else 'released'} order {order_id}"
    _log(session, handoff, action, actor, f"order {order_id}")
    session.flush()
    return order


def close(session: Session, handoff: Handoff, *, actor: str, outcome: str | None = None) -> Handoff:
    """Hand the conversation back to the bot; the outcome defaults to what staff did (or 'resolved')."""
    _check_active(handoff)
    handoff.state = HandoffState.CLOSED
    handoff.resolved_at = utcnow()
    handoff.outcome = (outcome or "").strip()[:64] or handoff.outcome or "resolved"
    _log(session, handoff, "closed", actor, handoff.outcome)
    session.flush()
    return handoff


def rate(session: Session, handoff: Handoff, *, telegram_user_id: int, stars: int) -> Handoff:
    """The person rates the help once, after the handoff is closed."""
    if handoff.telegram_user_id != telegram_user_id:
        raise NotFound(f"handoff {handoff.id} not found")
    if not 1 <= stars <= 5:
        raise DomainError("stars must be between 1 and 5")
    if handoff.state is not HandoffState.CLOSED:
        raise Conflict("the conversation with support is still open")
    if handoff.rating is not None:
        raise Conflict("this conversation was already rated")
    handoff.rating = stars
    _log(session, handoff, "rated", f"{handoff.role}:{telegram_user_id}", str(stars))
    session.flush()
    return handoff


def queue(session: Session) -> list[Handoff]:
    """Active handoffs, oldest first."""
    return list(session.scalars(select(Handoff).where(Handoff.state.in_(ACTIVE)).order_by(Handoff.id)))


def queue_position(session: Session, handoff: Handoff) -> int | None:
    """1 for the next unclaimed handoff staff should take; None once claimed or closed."""
    if handoff.state is not HandoffState.OPEN:
        return None
    ahead = session.scalar(select(func.count(Handoff.id)).where(Handoff.state == HandoffState.OPEN,
                                                                Handoff.id < handoff.id))
    return int(ahead or 0) + 1


def stats(session: Session, *, since: datetime) -> dict[str, Any]:
    """Handoff rate (handoffs / active people), median first-response time and average rating."""
    handoffs = session.scalars(select(Handoff).where(Handoff.created_at >= since)).all()
    seen = select(Customer.telegram_user_id).where(Customer.last_seen_at >= since)
    handed = select(Handoff.telegram_user_id).where(Handoff.created_at >= since,
                                                    Handoff.telegram_user_id.is_not(None))
    active = int(session.scalar(select(func.count()).select_from(union(seen, handed).subquery())) or 0)
    first = [(h.first_staff_reply_at - h.created_at).total_seconds() for h in handoffs if h.first_staff_reply_at]
    resolution = [(h.resolved_at - h.created_at).total_seconds() for h in handoffs if h.resolved_at]
    ratings = [h.rating for h in handoffs if h.rating is not None]
    by_reason = {reason.value: sum(1 for h in handoffs if h.reason is reason) for reason in HandoffReason}
    return {
        "since": since, "handoffs": len(handoffs), "active_people": active,
        "handoff_rate": round(len(handoffs) / active, 4) if active else None,
        "open": sum(1 for h in handoffs if h.state is HandoffState.OPEN),
        "claimed": sum(1 for h in handoffs if h.state is HandoffState.CLAIMED),
        "closed": sum(1 for h in handoffs if h.state is HandoffState.CLOSED),
        "by_reason": by_reason,
        "median_first_response_seconds": statistics.median(first) if first else None,
        "median_resolution_seconds": statistics.median(resolution) if resolution else None,
        "average_rating": str((Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"))) if ratings else None,
        "ratings": len(ratings),
    }


def export_handoffs(session: Session, telegram_user_id: int) -> list[dict[str, Any]]:
    """The person's handoffs for /mydata (internal staff notes stay internal)."""
    handoffs = session.scalars(select(Handoff).where(Handoff.telegram_user_id == telegram_user_id)
                               .order_by(Handoff.id)).all()
    return [{"id": h.id, "reason": h.reason.value, "order_id": h.order_id, "state": h.state.value,
             "language": h.language, "created_at": h.created_at.isoformat(), "outcome": h.outcome,
             "rating": h.rating} for h in handoffs]


def forget_handoffs(session: Session, telegram_user_id: int) -> None:
    """Anonymise the person's handoffs (refused while one is active: staff are talking to them)."""
    if active_for_person(session, telegram_user_id) is not None:
        raise Conflict("a conversation with support is still open; try again once it is closed")
    for handoff in session.scalars(select(Handoff).where(Handoff.telegram_user_id == telegram_user_id)):
        handoff.telegram_user_id, handoff.name, handoff.country = None, None, None
    session.flush()
