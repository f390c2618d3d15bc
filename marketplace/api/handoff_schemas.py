"""Request and response bodies of the support handoff routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from marketplace.api.schemas import ChatId, OrderOut, RowId, TelegramId
from marketplace.models import Handoff

Reason = Literal["talk_to_human", "fallback", "dispute", "escalation"]  # = HandoffReason values


class HandoffIn(BaseModel):
    """Hand a person's conversation to support (the actions call this)."""

    model_config = ConfigDict(str_strip_whitespace=True)
    telegram_user_id: TelegramId
    name: str | None = Field(default=None, max_length=120)
    role: Literal["buyer", "seller"] = "buyer"
    language: str = Field(min_length=2, max_length=8)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    reason: Reason
    order_id: RowId | None = None


class TopicIn(BaseModel):
    """The staff-group topic the bot opened for a handoff."""

    staff_chat_id: ChatId
    thread_id: TelegramId


class StaffIn(BaseModel):
    """Which staff member acts."""

    model_config = ConfigDict(str_strip_whitespace=True)
    staff_telegram_id: TelegramId
    staff_name: str | None = Field(default=None, max_length=120)


class NoteIn(BaseModel):
    """An internal note."""

    staff_telegram_id: TelegramId
    text: str = Field(min_length=1, max_length=2000)


class ResolveIn(BaseModel):
    """Refund the buyer or release the money to the seller, for one of the person's orders."""

    staff_telegram_id: TelegramId
    action: Literal["refund", "release"]
    order_id: RowId
    note: str | None = Field(default=None, max_length=1000)


class CloseIn(BaseModel):
    """Hand the conversation back to the bot."""

    staff_telegram_id: TelegramId | None = None
    outcome: str | None = Field(default=None, max_length=64)


class RatingIn(BaseModel):
    """The person's 1-5 rating of the help."""

    telegram_user_id: TelegramId
    stars: int = Field(ge=1, le=5)


class HandoffEventOut(BaseModel):
    """An entry of the handoff's log."""

    model_config = ConfigDict(from_attributes=True)
    kind: str
    actor: str
    text: str | None
    created_at: datetime


class HandoffOut(BaseModel):
    """A handoff with its log; `queue_position` is 1 for the next one staff should take."""

    id: int
    telegram_user_id: int | None
    name: str | None
    role: str
    language: str
    country: str | None
    reason: str
    order_id: int | None
    staff_chat_id: int | None
    thread_id: int | None
    state: str
    assignee_telegram_id: int | None
    assignee_name: str | None
    created_at: datetime
    claimed_at: datetime | None
    first_staff_reply_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None
    rating: int | None
    queue_position: int | None = None
    waiting_seconds: int
    events: list[HandoffEventOut] = []
    created: bool = False

    @classmethod
    def of(cls, handoff: Handoff, *, now: datetime, queue_position: int | None = None, created: bool = False,
           events: bool = True) -> HandoffOut:
        """Serialise; `waiting_seconds` runs until the first staff reply (or until now)."""
        waited_until = handoff.first_staff_reply_at or handoff.resolved_at or now
        return cls(id=handoff.id, telegram_user_id=handoff.telegram_user_id, name=handoff.name, role=handoff.role,
                   language=handoff.language, country=handoff.country, reason=handoff.reason.value,
                   order_id=handoff.order_id, staff_chat_id=handoff.staff_chat_id, thread_id=handoff.thread_id,
                   state=handoff.state.value, assignee_telegram_id=handoff.assignee_telegram_id,
                   assignee_name=handoff.assignee_name, created_at=handoff.created_at, claimed_at=handoff.claimed_at,
                   first_staff_reply_at=handoff.first_staff_reply_at, resolved_at=handoff.resolved_at,
                   outcome=handoff.outcome, rating=handoff.rating, queue_position=queue_position,
                   waiting_seconds=max(0, int((waited_until - handoff.created_at).total_seconds())),
                   events=[HandoffEventOut.model_validate(e) for e in handoff.events] if events else [],
                   created=created)


class ResolvedOut(BaseModel):
    """The handoff and the order after a refund or release."""

    handoff: HandoffOut
    order: OrderOut


class StatsOut(BaseModel):
    """Support figures for the last `days` days."""

    days: int
    since: datetime
    handoffs: int
    active_people: int
    handoff_rate: float | None
    open: int
    claimed: int
    closed: int
    by_reason: dict[str, int]
    median_first_response_seconds: float | None
    median_resolution_seconds: float | None
    average_rating: str | None
    ratings: int
