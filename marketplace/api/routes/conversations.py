"""Buyer <-> seller conversations about an order or a product (the bot relays them, translated)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.api.deps import SessionDep
from marketplace.api.routes.translation import TranslationDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import RowId, TelegramId
from marketplace.models import Conversation, ConversationMessage
from marketplace.services import conversations as threads
from marketplace.services.errors import NotFound

router = APIRouter(tags=["conversations"], route_class=ReleasingRoute)
MessageId = TelegramId  # a Telegram message id


class OpenIn(BaseModel):
    """Who opens a thread, as which side, about what."""

    telegram_user_id: TelegramId
    role: str = Field(pattern="^(buyer|seller)$")
    order_id: RowId | None = None
    product_id: RowId | None = None
    language: str | None = Field(default=None, min_length=2, max_length=8)  # for a buyer we do not know yet

    @model_validator(mode="after")
    def _one_subject(self) -> OpenIn:
        if (self.order_id is None) == (self.product_id is None):
            raise ValueError("give either order_id or product_id")
        if self.product_id is not None and self.role != "buyer":
            raise ValueError("only buyers open a thread about a product")
        return self


class ConversationOut(BaseModel):
    """A thread as one participant sees it."""

    id: int
    topic: str
    order_id: int | None
    product_id: int | None
    shop_id: int
    shop_name: str
    role: str  # the caller's side
    language: str  # the caller's language
    other_language: str
    product_title: str | None  # in the caller's language

    @classmethod
    def of(cls, session: Session, conversation: Conversation, role: str) -> ConversationOut:
        """Serialise for the participant on side `role`."""
        both = threads.sides(conversation)
        mine, theirs = both[role], both[threads.other(role)]
        return cls(id=conversation.id, topic=conversation.topic, order_id=conversation.order_id,
                   product_id=conversation.product_id, shop_id=conversation.shop_id, shop_name=conversation.shop.name,
                   role=role, language=mine.language, other_language=theirs.language,
                   product_title=threads.subject_title(session, conversation, mine.language))


class PromptIn(BaseModel):
    """The bot asked this participant to type a message (a ForceReply prompt)."""

    telegram_user_id: TelegramId
    message_id: MessageId


class MessageIn(BaseModel):
    """A participant's message; `message_id` is its Telegram id in their chat (makes retries safe)."""

    telegram_user_id: TelegramId
    text: str = Field(min_length=1, max_length=3500)
    message_id: MessageId | None = None


class DeliveredIn(BaseModel):
    """The Telegram message id the relayed text got in the recipient's chat."""

    recipient_message_id: MessageId


class MessageOut(BaseModel):
    """A relayed message: what to show the recipient, and the original."""

    id: int
    conversation_id: int
    topic: str
    order_id: int | None
    product_id: int | None
    shop_name: str
    product_title: str | None  # in the recipient's language
    sender_role: str
    sender_telegram_id: int
    recipient_telegram_id: int
    recipient_message_id: int | None
    original: str
    original_language: str
    text: str  # for the recipient: the translation, or the original when not translated
    language: str  # the recipient's language
    translated: bool
    note: str | None
    created_at: datetime

    @classmethod
    def of(cls, session: Session, message: ConversationMessage) -> MessageOut:
        """Serialise a recorded message."""
        conversation = message.conversation
        return cls(id=message.id, conversation_id=conversation.id, topic=conversation.topic,
                   order_id=conversation.order_id, product_id=conversation.product_id,
                   shop_name=conversation.shop.name,
                   product_title=threads.subject_title(session, conversation, message.translated_language),
                   sender_role=message.sender_role, sender_telegram_id=message.sender_telegram_id,
                   recipient_telegram_id=message.recipient_chat_id, recipient_message_id=message.recipient_message_id,
                   original=message.original_text, original_language=message.original_language,
                   text=message.translated_text or message.original_text, language=message.translated_language,
                   translated=message.translated_text is not None, note=message.translation_note,
                   created_at=message.created_at)


@router.post("/conversations")
def open_conversation(body: OpenIn, session: SessionDep) -> ConversationOut:
    """Open (or find) the caller's thread about an order or a product; strangers get 403."""
    for attempt in (1, 2):
        try:
            if body.order_id is not None:
                conversation = threads.open_for_order(session, order_id=body.order_id,
                                                      telegram_id=body.telegram_user_id, role=body.role)
            else:
                conversation = threads.open_for_product(session, product_id=body.product_id,
                                                        telegram_id=body.telegram_user_id, language=body.language)
            session.commit()
            break
        except IntegrityError:  # opened twice at the same moment: the second try finds the first
            session.rollback()
            if attempt == 2:
                raise
    conversation, role = threads.get_conversation(session, conversation.id, body.telegram_user_id)
    return ConversationOut.of(session, conversation, role)


@router.get("/conversations/by-message")
def find_by_message(session: SessionDep, telegram_user_id: Annotated[TelegramId, Query()],
                    message_id: Annotated[MessageId, Query()]) -> ConversationOut:
    """The thread a message in this person's chat with the bot belongs to (what they replied to)."""
    found = threads.find_by_reply(session, telegram_id=telegram_user_id, message_id=message_id)
    if found is None:
        raise NotFound("that message is not part of a conversation")
    return ConversationOut.of(session, *found)


@router.put("/conversations/{conversation_id}/prompt", status_code=status.HTTP_204_NO_CONTENT)
def set_prompt(conversation_id: RowId, body: PromptIn, session: SessionDep) -> None:
    """Remember the prompt the bot sent, so the reply to it lands in this thread."""
    conversation, role = threads.get_conversation(session, conversation_id, body.telegram_user_id)
    threads.set_prompt(conversation, role, body.message_id)
    session.commit()


@router.post("/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED)
def post_message(conversation_id: RowId, body: MessageIn, session: SessionDep,
                 translation: TranslationDep) -> MessageOut:
    """Record a participant's message, translated into the other side's language (runs in the threadpool)."""
    message = threads.post_message(session, translation, conversation_id=conversation_id,
                                   telegram_id=body.telegram_user_id, text=body.text, message_id=body.message_id)
    session.commit()
    return MessageOut.of(session, message)


@router.get("/conversations/{conversation_id}/messages")
def history(conversation_id: RowId, session: SessionDep,
            telegram_user_id: Annotated[TelegramId, Query()]) -> list[MessageOut]:
    """The thread's messages, oldest first, for one of its participants."""
    conversation, _role = threads.get_conversation(session, conversation_id, telegram_user_id)
    return [MessageOut.of(session, m) for m in conversation.messages]


@router.get("/conversations/messages/{message_id}")
def get_message(message_id: RowId, session: SessionDep,
                telegram_user_id: Annotated[TelegramId, Query()]) -> MessageOut:
    """One relayed message with its original, for its sender or recipient only ("Show original")."""
    return MessageOut.of(session, threads.get_message(session, message_id, telegram_user_id))


@router.put("/conversations/messages/{message_id}/delivery")
def delivered(message_id: RowId, body: DeliveredIn, session: SessionDep) -> MessageOut:
    """Note where the relayed message landed in the recipient's chat."""
    message = threads.mark_delivered(session, message_id, recipient_message_id=body.recipient_message_id)
    session.commit()
    return MessageOut.of(session, message)
