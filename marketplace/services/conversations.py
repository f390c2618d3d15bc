"""Buyer <-> seller threads about an order or a product, relayed and translated by the bot.

Only the order's buyer and the shop's owner take part in an order thread; anyone but the owner may
ask about a product (the thread is then between that buyer and the shop). Every message is kept with
its original and translated text (support reads the history later) and the Telegram message ids on
both sides, so that a reply to either maps back to its thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Conversation, ConversationMessage, Customer, Order, Product, Shop, utcnow
from marketplace.services import carts
from marketplace.services.catalog import text_in
from marketplace.services.errors import DomainError, NotFound
from marketplace.services.translation import TranslationService

BUYER, SELLER = "buyer", "seller"


class NotParticipant(DomainError):
    """The person is not the buyer or the seller of this thread (e.g. a forged button)."""

    status = 403


@dataclass(frozen=True)
class Side:
    """One participant: role, Telegram id (= their private chat with the bot) and language."""

    role: str
    telegram_id: int
    language: str


def sides(conversation: Conversation) -> dict[str, Side]:
    """Both participants of a thread."""
    return {BUYER: Side(BUYER, conversation.customer.telegram_user_id, conversation.customer.language),
            SELLER: Side(SELLER, conversation.shop.owner_telegram_id, conversation.shop.language)}


def role_of(conversation: Conversation, telegram_id: int) -> str | None:
    """'buyer' or 'seller' for a participant, None for anyone else."""
    for side in sides(conversation).values():
        if side.telegram_id == telegram_id:
            return side.role
    return None


def other(role: str) -> str:
    """The other side's role."""
    return SELLER if role == BUYER else BUYER


def _loaded(session: Session, conversation_id: int) -> Conversation | None:
    return session.scalar(select(Conversation).where(Conversation.id == conversation_id)
                          .options(selectinload(Conversation.shop), selectinload(Conversation.customer)))


def get_conversation(session: Session, conversation_id: int, telegram_id: int) -> tuple[Conversation, str]:
    """A thread and the caller's role in it; strangers are refused."""
    conversation = _loaded(session, conversation_id)
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} not found")
    role = role_of(conversation, telegram_id)
    if role is None:
        raise NotParticipant("only the buyer and the seller can write in this conversation")
    return conversation, role


def _get_or_create(session: Session, *, topic: str, shop: Shop, customer: Customer, order_id: int | None,
                   product_id: int | None) -> Conversation:
    query = select(Conversation).where(Conversation.topic == topic, Conversation.customer_id == customer.id)
    found = session.scalar(query)
    if found is not None:
        return found
    conversation = Conversation(topic=topic, shop_id=shop.id, customer_id=customer.id, order_id=order_id,
                                product_id=product_id)
    session.add(conversation)
    session.flush()  # two simultaneous first opens: one gets IntegrityError; the caller retries once
    return conversation


def open_for_order(session: Session, *, order_id: int, telegram_id: int, role: str) -> Conversation:
    """The thread about an order, for its buyer or its shop's owner only."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"order {order_id} not found")
    shop = session.get(Shop, order.shop_id)
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    allowed = (customer is not None and customer.telegram_user_id == telegram_id if role == BUYER
               else shop is not None and shop.owner_telegram_id == telegram_id)
    if not allowed or customer is None or shop is None:
        raise NotParticipant(f"only the buyer and the seller of order #{order_id} can write about it")
    return _get_or_create(session, topic=f"order:{order_id}", shop=shop, customer=customer, order_id=order_id,
                          product_id=None)


def open_for_product(session: Session, *, product_id: int, telegram_id: int, language: str | None) -> Conversation:
    """A buyer's thread with the shop about a product (created with the buyer on first contact)."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    shop = session.get(Shop, product.shop_id)
    assert shop is not None
    if shop.owner_telegram_id == telegram_id:
        raise NotParticipant("this is your own listing")
    customer = session.scalar(select(Customer).where(Customer.telegram_user_id == telegram_id))
    if customer is None:
        customer = carts.upsert_customer(session, telegram_user_id=telegram_id, language=language)
    return _get_or_create(session, topic=f"product:{product_id}", shop=shop, customer=customer, order_id=None,
                          product_id=product_id)


def set_prompt(conversation: Conversation, role: str, message_id: int) -> None:
    """Remember the "type your message" prompt the bot sent to this side."""
    if role == BUYER:
        conversation.buyer_prompt_message_id = message_id
    else:
        conversation.seller_prompt_message_id = message_id


def find_by_reply(session: Session, *, telegram_id: int, message_id: int) -> tuple[Conversation, str] | None:
    """The thread a message in this person's chat belongs to (a prompt, a relayed or a sent message)."""
    candidates = session.scalars(select(Conversation).where(or_(
        Conversation.buyer_prompt_message_id == message_id, Conversation.seller_prompt_message_id == message_id))
        .options(selectinload(Conversation.shop), selectinload(Conversation.customer))).all()
    for conversation in candidates:
        role = role_of(conversation, telegram_id)
        prompt = conversation.buyer_prompt_message_id if role == BUYER else conversation.seller_prompt_message_id
        if role is not None and prompt == message_id:
            return conversation, role
    relayed = session.scalar(select(ConversationMessage).where(or_(
        (ConversationMessage.recipient_chat_id == telegram_id)
        & (ConversationMessage.recipient_message_id == message_id),
        (ConversationMessage.sender_chat_id == telegram_id) & (ConversationMessage.sender_message_id == message_id))))
    if relayed is None:
        return None
    conversation = _loaded(session, relayed.conversation_id)
    role = role_of(conversation, telegram_id) if conversation is not None else None
    return (conversation, role) if conversation is not None and role is not None else None


def subject_title(session: Session, conversation: Conversation, language: str) -> str | None:
    """The product's title in `language` for a product thread."""
    if conversation.product_id is None:
        return None
    product = session.scalar(select(Product).where(Product.id == conversation.product_id)
                             .options(selectinload(Product.translations)))
    return text_in(product, language).title if product is not None else None


def post_message(session: Session, translation: TranslationService, *, conversation_id: int, telegram_id: int,
                 text: str, message_id: int | None) -> ConversationMessage:
    """Record a message translated into the recipient's language. Blocking (translation): call it from a
    threadpool. Idempotent per Telegram message: sending the same one again returns the first record."""
    if not text.strip():
        raise DomainError("the message is empty")
    conversation, role = get_conversation(session, conversation_id, telegram_id)
    if message_id is not None:
        existing = session.scalar(select(ConversationMessage).where(
            ConversationMessage.sender_chat_id == telegram_id, ConversationMessage.sender_message_id == message_id))
        if existing is not None:
            return existing
    both = sides(conversation)
    sender, recipient = both[role], both[other(role)]
    session.commit()  # end the read transaction: no transaction stays open while the provider answers
    result = translation.translate_sync(text.strip(), sender.language, recipient.language)
    message = ConversationMessage(
        conversation_id=conversation.id, sender_role=role, sender_telegram_id=telegram_id,
        original_text=text.strip(), original_language=sender.language,
        translated_text=result.text if result.translated else None, translated_language=recipient.language,
        translation_note=result.note, sender_chat_id=telegram_id, sender_message_id=message_id,
        recipient_chat_id=recipient.telegram_id)
    session.add(message)
    session.flush()
    return message


def get_message(session: Session, message_id: int, telegram_id: int) -> ConversationMessage:
    """A relayed message, for its sender or recipient only."""
    message = session.get(ConversationMessage, message_id)
    if message is None or telegram_id not in (message.sender_chat_id, message.recipient_chat_id):
        raise NotFound(f"message {message_id} not found")
    return message


def mark_delivered(session: Session, message_id: int, *, recipient_message_id: int) -> ConversationMessage:
    """Note the Telegram message id the recipient got (their reply to it continues the thread)."""
    message = session.get(ConversationMessage, message_id)
    if message is None:
        raise NotFound(f"message {message_id} not found")
    message.recipient_message_id, message.delivered_at = recipient_message_id, utcnow()
    return message


def export_conversations(session: Session, customer_id: int) -> list[dict[str, object]]:
    """A buyer's threads with every message, for /mydata."""
    threads = session.scalars(select(Conversation).where(Conversation.customer_id == customer_id)
                              .order_by(Conversation.id).options(selectinload(Conversation.messages))).all()
    return [{"topic": c.topic, "shop_id": c.shop_id, "created_at": c.created_at.isoformat(),
             "messages": [{"from": m.sender_role, "text": m.original_text, "language": m.original_language,
                           "translation": m.translated_text, "translated_into": m.translated_language,
                           "at": m.created_at.isoformat()} for m in c.messages]} for c in threads]


def forget_conversations(session: Session, customer_id: int) -> None:
    """Delete a buyer's threads and their messages (/forgetme)."""
    session.execute(delete(Conversation).where(Conversation.customer_id == customer_id))
